"""Yearly monitoring on one frozen scale: the Munnell (1990) US-states panel
(``data/munnell_states_1970_1986.csv``, ``indices/munnell.toml``) fitted on 1970–1980 and
scored year by year, one file per year, through the real ``coordeval`` command.

Checks: the frozen-scale report has every coupling sheet and its D equals ``scores.csv`` to
1e-12 and ``model.coupling_coordination``; the monitoring report's year-on-year changes, ranks
and grade transition counts equal an independent pandas computation over ``scores.csv``; a
blank cell scored with ``--missing interpolate`` equals the hand interpolation.

Classic coupling C = n(ΠU)^{1/n}/ΣU, T = mean U, D = √(CT) (廖重斌 1999, 热带地理
19(2):171-177); transition probabilities p_ij = n_ij / n_i (Rey 2001, Geographical Analysis
33(3)).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from openpyxl import load_workbook

import coordeval as ce
from coordeval.io.read import read_data
from coordeval.model import CoordinationModel, load_model
from coordeval.system import load_system

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "data" / "munnell_states_1970_1986.csv"
SYSTEM = ROOT / "indices" / "munnell.toml"


def plain_csv(path: Path) -> pd.DataFrame:
    """scores.csv read with pandas only."""
    round_trip = tuple(int(x) for x in pd.__version__.split(".")[:2]) < (3, 1)
    return pd.read_csv(
        path,
        encoding="utf-8-sig",
        keep_default_na=False,
        **({"float_precision": "round_trip"} if round_trip else {}),
    )


@pytest.fixture(scope="module")
def history(tmp_path_factory: pytest.TempPathFactory, run_cli) -> dict:
    root = tmp_path_factory.mktemp("monitor")
    system = load_system(SYSTEM)
    panel = read_data(DATA, system).panel
    years = panel.index.get_level_values("year")
    fit = panel[years <= 1980].reset_index()
    fit.to_csv(root / "fit.csv", index=False)
    res = run_cli("fit", str(root / "fit.csv"), "-s", str(SYSTEM), "-o", str(root / "m.json"))
    assert res.returncode == 0, res.stderr
    for year in range(1981, 1987):
        path = root / f"y{year}.csv"
        panel[years == year].reset_index().to_csv(path, index=False)
        res = run_cli("score", str(path), "-m", str(root / "m.json"), "-o", str(root / "out"), "-q")
        assert res.returncode == 0, res.stderr
    return {
        "root": root,
        "panel": panel,
        "model": load_model(root / "m.json"),
        "csv": root / "out" / "scores.csv",
    }


def test_frozen_report_has_coupling_and_equals_scores_csv(history: dict, run_cli) -> None:
    root, model = history["root"], history["model"]
    out = root / "r1982.xlsx"
    res = run_cli(
        "assess", str(root / "y1982.csv"), "--model", str(root / "m.json"), "-o", str(out)
    )
    assert res.returncode == 0, res.stderr
    wb = load_workbook(out, read_only=True)
    sheets = set(wb.sheetnames)
    wb.close()
    assert {"耦合协调", "区域差异", "障碍度"} <= sheets
    panel = history["panel"]
    new = panel[panel.index.get_level_values("year") == 1982]
    with pytest.warns(Warning):
        a = model.assess(new)
    # every table a refit report of the same year has (one year: no convergence, no
    # spillover regressions, in either)
    with pytest.warns(Warning):
        refit = CoordinationModel(model.system_).fit(new).assess(new)
    assert set(refit.tables) <= set(a.tables)
    assert "coupling" not in a.skipped and "inequality" not in a.skipped
    scores = plain_csv(history["csv"]).set_index(["city", "year"]).sort_index()
    mine = scores.xs(1982, level="year", drop_level=False)
    report_D = a.tables["coupling"]["D"].sort_index()
    np.testing.assert_allclose(report_D.to_numpy(), mine["D"].to_numpy(), rtol=0, atol=1e-12)
    lib = model.coupling_coordination(mine)
    np.testing.assert_array_equal(lib["D"].to_numpy(), mine["D"].to_numpy())
    # the library recipe: transform the new year, then the coupling with the model's choice
    with pytest.warns(Warning):
        U = model.transform(new)
    recipe = ce.coupling_coordination(U, model=model).sort_index()
    np.testing.assert_allclose(recipe["D"].to_numpy(), mine["D"].to_numpy(), rtol=0, atol=1e-12)
    # the clipped rows are named in the report and in scores.csv alike
    assert (a.tables["coupling"]["clipped"].sort_index().to_numpy() == mine["clipped"]).all()
    assert mine["clipped"].ne("").any()
    # hand check of one clipped row: classic C, T, D on U clipped to [0, 1]
    row = mine[mine["clipped"].ne("")].iloc[0]
    U = np.clip(row[model.system_.subsystem_ids].to_numpy(dtype=float), 0, 1)
    n = len(U)
    C = n * np.prod(U) ** (1 / n) / U.sum()
    assert row["D"] == pytest.approx(np.sqrt(C * U.mean()), abs=1e-12)


def test_monitor_equals_pandas_over_scores_csv(history: dict, run_cli) -> None:
    root = history["root"]
    out = root / "monitor.xlsx"
    res = run_cli(
        "monitor", str(root / "out"), "-m", str(root / "m.json"), "-o", str(out), "--lang", "both"
    )
    assert res.returncode == 0, res.stderr
    assert "grade transitions" in res.stderr
    s = plain_csv(history["csv"])
    # independent computation: shift within city over consecutive years
    s = s.sort_values(["city", "year"]).reset_index(drop=True)
    prev = s.groupby("city")[["year", "D", "grade"]].shift(1)
    consecutive = prev["year"].eq(s["year"] - 1)
    d_D = (s["D"] - prev["D"]).where(consecutive)
    rank = s.groupby("year")["D"].rank(method="min", ascending=False)
    counts = pd.crosstab(prev["grade"][consecutive].astype(int), s["grade"][consecutive])
    wb = load_workbook(out, read_only=True)
    assert wb.sheetnames == ["摘要", "逐年变化", "等级转移", "城市进退", "新增滞后", "趋势"]
    rows = list(wb["逐年变化"].iter_rows(min_row=4, values_only=True))
    head, body = rows[0], pd.DataFrame(rows[1:], columns=rows[0])
    assert len(body) == len(s)
    col = {h.split("\n")[-1]: h for h in head}
    np.testing.assert_allclose(
        body[col["Change of D"]].astype(float).to_numpy(),
        d_D.to_numpy(dtype=float),
        rtol=0,
        atol=1e-15,
    )
    np.testing.assert_array_equal(body[col["Rank of D"]].to_numpy(dtype=int), rank.to_numpy())
    grid = list(wb["等级转移"].iter_rows(min_row=4, values_only=True))
    levels = [int(v) for v in grid[0][1:]]
    F = pd.DataFrame([r[1:] for r in grid[1 : 1 + len(levels)]], index=levels, columns=levels)
    expected = counts.reindex(index=levels, columns=levels, fill_value=0)
    np.testing.assert_array_equal(F.to_numpy(dtype=int), expected.to_numpy())
    P_rows = grid[1 + len(levels) + 3 : 1 + 2 * len(levels) + 3]
    P = np.array([[np.nan if v is None else v for v in r[1:]] for r in P_rows], dtype=float)
    sums = expected.to_numpy().sum(axis=1, keepdims=True)
    with np.errstate(invalid="ignore", divide="ignore"):
        np.testing.assert_allclose(P, expected.to_numpy() / sums, rtol=1e-15)
    wb.close()


def test_score_missing_interpolate_equals_hand(history: dict, tmp_path: Path, run_cli) -> None:
    """A blank 1982 cell in a 1981–1983 file: x_1982 = (x_1981 + x_1983) / 2 (linear in
    the year), scored as if that value had been in the file."""
    root, panel = history["root"], history["panel"]
    years = panel.index.get_level_values("year")
    part = panel[(years >= 1981) & (years <= 1983)].reset_index()
    hand = part.copy()
    at = (part["city"] == "OHIO") & (part["year"] == 1982)
    x81 = part.loc[(part["city"] == "OHIO") & (part["year"] == 1981), "gsp"].item()
    x83 = part.loc[(part["city"] == "OHIO") & (part["year"] == 1983), "gsp"].item()
    hand.loc[at, "gsp"] = (x81 + x83) / 2
    part["gsp"] = part["gsp"].astype(object)
    part.loc[at, "gsp"] = ""
    part.to_csv(tmp_path / "gap.csv", index=False)
    hand.to_csv(tmp_path / "hand.csv", index=False)
    model = str(root / "m.json")
    res = run_cli("score", str(tmp_path / "gap.csv"), "-m", model, "-o", str(tmp_path / "a"), "-q")
    assert res.returncode == 1 and "interpolate" in res.stderr
    res = run_cli(
        "score", str(tmp_path / "gap.csv"), "-m", model, "-o", str(tmp_path / "a"), "-q",
        "--missing", "interpolate",
    )  # fmt: skip
    assert res.returncode == 0, res.stderr
    assert "filled by linear interpolation" in res.stderr
    assert f"{(x81 + x83) / 2}" in res.stderr
    res = run_cli("score", str(tmp_path / "hand.csv"), "-m", model, "-o", str(tmp_path / "b"), "-q")
    assert res.returncode == 0, res.stderr
    a = plain_csv(tmp_path / "a" / "scores.csv").drop(columns="source_file")
    b = plain_csv(tmp_path / "b" / "scores.csv").drop(columns="source_file")
    pd.testing.assert_frame_equal(a, b, check_exact=False, rtol=0, atol=1e-12)


def test_model_coupling_clips_and_flags() -> None:
    """U = (1.2, 0.5) clipped to (1, 0.5): C = 2√0.5/1.5, T = 0.75, D = √(CT); U = (0, 0.4):
    C = D = 0 at the floor, flagged."""
    system = load_system(SYSTEM)
    panel = read_data(DATA, system).panel
    model = CoordinationModel(system).fit(panel)
    ids = system.subsystem_ids
    U = pd.DataFrame([[1.2, 0.5, 0.5], [0.0, 0.4, 0.4]], columns=ids)
    cc = model.coupling_coordination(U)
    C = 3 * (1 * 0.5 * 0.5) ** (1 / 3) / 2.0
    assert cc["C"].iloc[0] == pytest.approx(C, abs=1e-15)
    assert cc["D"].iloc[0] == pytest.approx(np.sqrt(C * 2.0 / 3), abs=1e-15)
    assert cc["clipped"].tolist() == [f"{ids[0]}>1", ""]
    assert cc["floor_zero"].tolist() == [False, True] and cc["D"].iloc[1] == 0


def test_score_interpolates_across_yearly_files(history: dict, tmp_path: Path, run_cli) -> None:
    """Three one-year files, OHIO's 1982 gsp blank: scored in one run with --missing
    interpolate, the gap is bridged with the 1981 and 1983 files (x = (x81 + x83)/2, linear in
    the year) and the row equals the hand-filled one; scored alone, the file fails."""
    root, panel = history["root"], history["panel"]
    years = panel.index.get_level_values("year")
    files = []
    for year in (1981, 1982, 1983):
        part = panel[years == year].reset_index()
        if year == 1982:
            at = part["city"] == "OHIO"
            x81 = panel.loc[("OHIO", 1981), "gsp"]
            x83 = panel.loc[("OHIO", 1983), "gsp"]
            hand = part.copy()
            hand.loc[at, "gsp"] = (x81 + x83) / 2
            hand.to_csv(tmp_path / "hand.csv", index=False)
            part["gsp"] = part["gsp"].astype(object)
            part.loc[at, "gsp"] = ""
        files.append(tmp_path / f"y{year}.csv")
        part.to_csv(files[-1], index=False)
    model = str(root / "m.json")
    alone = run_cli("score", str(files[1]), "-m", model, "-o", str(tmp_path / "x"), "-q",
                    "--missing", "interpolate")  # fmt: skip
    assert alone.returncode == 1 and "cannot be interpolated" in alone.stderr
    res = run_cli("score", *map(str, files), "-m", model, "-o", str(tmp_path / "a"), "-q",
                  "--missing", "interpolate", "--jobs", "2")  # fmt: skip
    assert res.returncode == 0, res.stderr
    assert "filled by linear interpolation" in res.stderr
    res = run_cli("score", str(tmp_path / "hand.csv"), "-m", model, "-o", str(tmp_path / "b"), "-q")
    assert res.returncode == 0, res.stderr
    a = plain_csv(tmp_path / "a" / "scores.csv").set_index(["city", "year"])
    b = plain_csv(tmp_path / "b" / "scores.csv").set_index(["city", "year"])
    cols = [c for c in b.columns if c != "source_file"]
    pd.testing.assert_frame_equal(
        a.loc[b.index, cols], b[cols], check_exact=False, rtol=0, atol=1e-12
    )
