"""``coordeval assess`` end to end on the Munnell panel with US state coordinates.

Real data: ``data/munnell_states_1970_1986.csv`` (Munnell 1990) and
``data/munnell_state_coords.csv`` (polygon centroids from the US Census Bureau's cartographic
boundary files via us-atlas 3.0.1, made by ``data/make_state_coords.py``). The factors table is
built from the panel's own public-capital column (p_cap is in the file but not scored).
"""

from __future__ import annotations

import csv
import hashlib
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

from coordeval.cli import app

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "data" / "munnell_states_1970_1986.csv"
COORDS = ROOT / "data" / "munnell_state_coords.csv"
SYSTEM = ROOT / "indices" / "munnell.toml"
SHEETS = ["空间自相关", "动态演进", "地理探测器", "重心与椭圆", "预测", "规模结构"]
runner = CliRunner()


def assess(out: Path, *options: str) -> object:
    """Run ``coordeval assess`` on the Munnell panel with ``options``."""
    base = ["assess", str(DATA), "--system", str(SYSTEM), "-o", str(out)]
    return runner.invoke(app, [*base, *options])


def sha(p: Path) -> str:
    return hashlib.sha256(p.read_bytes()).hexdigest()


def test_state_names_match_the_panel() -> None:
    with COORDS.open(encoding="utf-8-sig") as fh:
        coords = {r["state"]: r for r in csv.DictReader(fh)}
    panel = set(pd.read_csv(DATA, encoding="utf-8-sig")["city"])
    assert set(coords) == panel and len(panel) == 48
    # spot checks of centroids (degrees): Kansas and Colorado lie in the plains/Rockies
    assert float(coords["KANSAS"]["lon"]) == pytest.approx(-98.4, abs=0.3)
    assert float(coords["KANSAS"]["lat"]) == pytest.approx(38.5, abs=0.3)
    assert float(coords["COLORADO"]["lon"]) == pytest.approx(-105.5, abs=0.3)
    assert float(coords["COLORADO"]["lat"]) == pytest.approx(39.0, abs=0.3)


@pytest.fixture(scope="module")
def factors(tmp_path_factory: pytest.TempPathFactory) -> Path:
    long = pd.read_csv(DATA, encoding="utf-8-sig")
    wide = long.pivot_table(index=["city", "year"], columns="indicator", values="value")
    f = pd.DataFrame(
        {"public_capital": wide["p_cap"], "public_capital_per_job": wide["p_cap"] / wide["emp"]}
    ).reset_index()
    path = tmp_path_factory.mktemp("f") / "factors.csv"
    f.to_csv(path, index=False, encoding="utf-8-sig")
    return path


def test_assess_munnell_with_coordinates(tmp_path: Path, factors: Path) -> None:
    out = tmp_path / "munnell.xlsx"
    before = sha(COORDS), sha(DATA)
    res = assess(
        out,
        "--coords",
        str(COORDS),
        "--weights",
        "knn",
        "--knn",
        "5",
        "--permutations",
        "199",
        "--plan-years",
        "1990,1995",
        "--size-indicator",
        "gsp",
        "--economy-indicator",
        "emp",
        "--factors",
        str(factors),
        "--lang",
        "zh",
    )
    assert res.exit_code == 0, res.output
    wb = load_workbook(out, read_only=True)
    assert set(SHEETS) <= set(wb.sheetnames)
    for name in SHEETS:
        ws = wb[name]
        cells = [r[0] for r in ws.iter_rows(min_row=1, max_row=6, max_col=1, values_only=True)]
        assert cells[0] == name and cells[2] == "主要发现" and cells[3]  # a finding from numbers
    text = " ".join(
        str(v) for r in wb["空间自相关"].iter_rows(values_only=True) for v in r if v is not None
    )
    assert "Moran" in text and "not significant" in text and "HH" in text
    assert "esda" in text  # the p-value convention is stated
    dyn = " ".join(str(v) for r in wb["动态演进"].iter_rows(values_only=True) for v in r if v)
    assert "likelihood ratio" in dyn
    assert (sha(COORDS), sha(DATA)) == before
    W = pd.read_csv(tmp_path / "munnell_spatial_weights_matrix.csv", encoding="utf-8-sig")
    assert W.shape == (48, 49) and (W.iloc[:, 1:].sum(axis=1).round(12) == 1).all()
    lisa = pd.read_csv(tmp_path / "munnell_lisa.csv", encoding="utf-8-sig")
    assert len(lisa) == 48 * 17 * 5  # 3 subsystems, composite and D, every year


def test_coordinates_missing_a_state_is_an_input_error(tmp_path: Path) -> None:
    short = tmp_path / "coords.csv"
    lines = COORDS.read_text(encoding="utf-8-sig").splitlines()
    short.write_text("\n".join(l for l in lines if not l.startswith("OHIO")), encoding="utf-8")
    out = tmp_path / "r.xlsx"
    res = assess(out, "--coords", str(short))
    assert res.exit_code == 1 and "OHIO" in res.output and "Traceback" not in res.output
    assert not out.exists()


def test_bad_coordinates_file_names_the_cell(tmp_path: Path) -> None:
    bad = tmp_path / "coords.csv"
    bad.write_text("state,lon,lat\nOHIO,-82.8,400\nIOWA,abc,42\n", encoding="utf-8")
    out = tmp_path / "r.xlsx"
    res = assess(out, "--coords", str(bad))
    assert res.exit_code == 1 and "Traceback" not in res.output
    assert "line 2" in res.output and "line 3" in res.output and "abc" in res.output
    assert not out.exists()
    res = assess(out, "--coords", str(COORDS), "--weights", "bishop")
    # an unknown weights kind is a usage error listing the choices, before any work
    assert res.exit_code == 2 and "'bishop' is not one of 'knn'" in " ".join(res.output.split())
    assert not out.exists()


def test_economic_weights_cutoffs_and_dynamics_without_coordinates(tmp_path: Path) -> None:
    """Economic-distance W from mean gross state product; Markov with user cut-offs."""
    out = tmp_path / "econ.xlsx"
    res = assess(
        out,
        "--weights",
        "economic",
        "--weights-indicator",
        "gsp",
        "--permutations",
        "99",
        "--markov-cutoffs",
        "0.4,0.5",
        "--lang",
        "en",
    )
    assert res.exit_code == 0, res.output
    wb = load_workbook(out, read_only=True)
    # English tabs with --lang en
    assert {"Spatial autocorrelation", "Distribution dynamics"} <= set(wb.sheetnames)
    assert "Centre of gravity" not in wb.sheetnames  # no coordinates, no centre of gravity
    text = " ".join(
        str(v)
        for r in wb["Spatial autocorrelation"].iter_rows(values_only=True)
        for v in r
        if v is not None
    )
    assert "economic distance" in text
    dyn = [
        r
        for r in wb["Distribution dynamics"].iter_rows(values_only=True)
        if r[0] in ("C1", "C2", "C3")
    ]
    assert len(dyn) >= 3  # three classes from two cut-offs


def test_geo_economic_weights_and_unknown_indicators(tmp_path: Path) -> None:
    out = tmp_path / "geo.xlsx"
    res = assess(
        out,
        "--coords",
        str(COORDS),
        "--weights",
        "geo-economic",
        "--weights-indicator",
        "gsp",
        "--phi",
        "0.7",
        "--permutations",
        "99",
        "--ellipse-correction",
        "arcgis",
    )
    assert res.exit_code == 0, res.output
    wb = load_workbook(out, read_only=True)
    text = " ".join(
        str(v) for r in wb["空间自相关"].iter_rows(values_only=True) for v in r if v is not None
    )
    assert "nested geo-economic φ = 0.7" in text
    assert "arcgis" in " ".join(
        str(v) for r in wb["重心与椭圆"].iter_rows(values_only=True) for v in r if v is not None
    )
    bad = assess(
        tmp_path / "x.xlsx",
        "--size-indicator",
        "population",
        "--weights",
        "economic",
        "--weights-indicator",
        "gdp",
    )
    assert bad.exit_code == 1 and "'population'" in bad.output and "'gdp'" in bad.output
    assert not (tmp_path / "x.xlsx").exists()
    assert assess(tmp_path / "y.xlsx", "--weights", "economic").exit_code == 1
    assert assess(tmp_path / "y.xlsx", "--dynamics", "--markov-cutoffs", "a,b").exit_code == 1
