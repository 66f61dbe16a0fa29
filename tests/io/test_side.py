"""Side tables of ``coordeval assess``: city groups, spatial weights and influencing factors.

The tables written here are test fixtures (group labels, weights and the log of a column of the
shipped Munnell panel), not sample data.
"""

from __future__ import annotations

import subprocess
import sys
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from openpyxl import Workbook, load_workbook
from typer.testing import CliRunner

from coordeval.analysis import inequality, synergy
from coordeval.analysis.regression import factor_regression
from coordeval.cli import app
from coordeval.errors import InputError
from coordeval.io.side import read_factors, read_groups, read_spatial_weights
from coordeval.workflow import assess_file

ROOT = Path(__file__).resolve().parents[2]
CYG = ROOT / "data" / "cyg2019.csv"
MUNNELL = ROOT / "data" / "munnell_states_1970_1986.csv"
runner = CliRunner()


def _write(path: Path, text: str, encoding: str = "utf-8-sig") -> Path:
    path.write_bytes(text.encode(encoding))
    return path


def _munnell_factors() -> pd.DataFrame:
    raw = pd.read_csv(MUNNELL, encoding="utf-8-sig")
    p_cap = raw[raw["indicator"] == "p_cap"].set_index(["city", "year"])["value"]
    return np.log(p_cap).rename("ln_p_cap").to_frame()


def _quiet_assess(path: Path, system: str, **analysis):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return assess_file(path, system, analysis=analysis)


def test_read_groups_gbk_csv(tmp_path):
    f = _write(tmp_path / "g.csv", "城市,分组\n成都,成渝\n重庆,成渝\n贵阳,黔中\n", "gbk")
    g = read_groups(f)
    assert g.to_dict() == {"成都": "成渝", "重庆": "成渝", "贵阳": "黔中"}


def test_read_spatial_weights_xlsx(tmp_path):
    wb = Workbook()
    ws = wb.active
    for row in (["城市", "成都", "重庆"], ["成都", 0, 1], ["重庆", 1, 0]):
        ws.append(row)
    wb.save(tmp_path / "w.xlsx")
    W = read_spatial_weights(tmp_path / "w.xlsx")
    assert list(W.index) == ["成都", "重庆"] and list(W.columns) == ["成都", "重庆"]
    np.testing.assert_array_equal(W.to_numpy(), [[0.0, 1.0], [1.0, 0.0]])


def test_read_factors_parses_years_and_yearbook_numbers(tmp_path):
    f = _write(tmp_path / "f.csv", '城市,年份,人口\n贵阳,2019年,"1,234"\n遵义,2019,15.9万\n')
    X = read_factors(f)
    assert list(X.index) == [("贵阳", 2019), ("遵义", 2019)]
    np.testing.assert_array_equal(X["人口"].to_numpy(), [1234.0, 159000.0])


def test_bad_side_tables_list_every_cell(tmp_path):
    groups = _write(tmp_path / "g.csv", "city,group\n成都,A\n成都,B\n贵阳,\n")
    spatial = _write(tmp_path / "w.csv", "city,成都,重庆\n成都,0,-1\n重庆,x,0\n")
    factors = _write(tmp_path / "f.csv", "city,year,gdp\n成都,2019,abc\n成都,2019,1\n")
    with pytest.raises(InputError) as info:
        read_groups(groups)
    text = str(info.value)
    assert "成都 is listed twice" in text and "group is blank" in text and "line 4" in text
    with pytest.raises(InputError) as info:
        read_spatial_weights(spatial)
    text = str(info.value)
    assert "must not be negative" in text and "line 2, column 3" in text
    assert "not a number" in text and "line 3, column 2" in text
    with pytest.raises(InputError) as info:
        read_factors(factors)
    text = str(info.value)
    assert "'abc'" in text or "abc" in text
    assert "成都 2019 is listed twice" in text


def test_cli_groups_give_the_dagum_decomposition(tmp_path):
    """The report of a grouped run holds the same Dagum table as the library call."""
    groups = _write(tmp_path / "g.csv", "city,group\n成都,成渝\n重庆,成渝\n贵阳,黔中\n")
    out = tmp_path / "r.xlsx"
    res = runner.invoke(
        app, ["assess", str(CYG), "-s", "cyg2019", "-o", str(out), "--groups", str(groups)]
    )
    assert res.exit_code == 0, res.output
    a, _ = _quiet_assess(CYG, "cyg2019", groups=read_groups(groups))
    cols = a.scores.join(a.composite["closeness"].rename("composite"))
    cols = cols.join(a.tables["coupling"]["D"])
    ref = inequality.dagum_by_year(cols, read_groups(groups))
    pd.testing.assert_frame_equal(a.tables["dagum_pairs"], ref)
    assert "dagum_pairs" in a.tables


def test_spatial_weights_reach_the_spillover_relation(tmp_path):
    """Relation 4 with a user-given distance table (seeded random distances between the 48
    states, a fixture) equals the library call with that table."""
    states = sorted(pd.read_csv(MUNNELL, encoding="utf-8-sig")["city"].unique())
    rng = np.random.default_rng(7)
    dist = rng.uniform(100, 3000, (len(states), len(states)))
    dist = np.triu(dist, 1) + np.triu(dist, 1).T
    table = pd.DataFrame(dist, index=pd.Index(states, name="city"), columns=states)
    table.to_csv(tmp_path / "w.csv", encoding="utf-8-sig")
    W = read_spatial_weights(tmp_path / "w.csv")
    np.testing.assert_allclose(W.to_numpy(), dist, rtol=1e-15)
    a, _ = _quiet_assess(MUNNELL, "munnell", spatial_weights=W, spatial_kind="distance")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ref = synergy.synergy_relations(
            a.normalized.clip(0.0, 1.0), a.scores, a.system.membership, W=W, w_kind="distance"
        )
        uniform = synergy.synergy_relations(
            a.normalized.clip(0.0, 1.0), a.scores, a.system.membership
        )
    for key, t in ref.items():
        # the assessment marks floor zeros in an extra column (floor_zero)
        got = a.tables[f"synergy_{key}"].drop(columns="floor_zero", errors="ignore")
        pd.testing.assert_frame_equal(got, t)
    rho = a.tables["synergy_inter_heterogeneity"]
    assert not rho.equals(uniform["inter_heterogeneity"])  # the table was used


def test_cli_factors_sheet_equals_statsmodels_regression(tmp_path):
    """D on ln(public capital), city fixed effects, SE clustered by state: the report's
    coefficients equal :func:`factor_regression` (statsmodels OLS) on the same data."""
    f = _munnell_factors()
    path = tmp_path / "factors.csv"
    f.reset_index().to_csv(path, index=False, encoding="utf-8-sig")
    out = tmp_path / "m.xlsx"
    res = runner.invoke(
        app, ["assess", str(MUNNELL), "-s", "munnell", "-o", str(out), "--factors", str(path)]
    )
    assert res.exit_code == 0, res.output
    wb = load_workbook(out, read_only=True)
    assert "影响因素" in wb.sheetnames
    cells = [c for row in wb["影响因素"].iter_rows(values_only=True) for c in row if c is not None]
    wb.close()
    a, _ = _quiet_assess(MUNNELL, "munnell", factors=read_factors(path))
    ref = factor_regression(a.tables["coupling"]["D"], f, fixed_effects="city", cluster="city")
    pd.testing.assert_frame_equal(a.tables["factors_ols"], ref.table)
    coef = float(ref.table.set_index("term").loc["ln_p_cap", "coef"])
    assert any(isinstance(c, float) and abs(c - coef) < 1e-12 for c in cells)
    tob = a.tables["factors_tobit"].set_index("term")
    assert list(tob.index) == ["const", "ln_p_cap", "log_sigma"]
    assert np.isfinite(tob.to_numpy()).all()


def test_cli_bad_side_table_exits_1_without_report(tmp_path):
    groups = _write(tmp_path / "g.csv", "city,group\n成都,\n")
    spatial = _write(tmp_path / "w.csv", "city,成都\n成都,-3\n")
    out = tmp_path / "r.xlsx"
    args = ["assess", str(CYG), "-s", "cyg2019", "-o", str(out), "--groups", str(groups)]
    args += ["--spatial", str(spatial), "--spatial-kind", "distance"]
    proc = subprocess.run(
        [sys.executable, "-m", "coordeval", *args],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 1
    assert "Traceback" not in proc.stderr
    assert "g.csv" in proc.stderr and "group is blank" in proc.stderr
    assert "w.csv" in proc.stderr and "must not be negative" in proc.stderr
    assert not out.exists()
