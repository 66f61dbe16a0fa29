"""Plan-target attainment: hand cases for every target type and status, the real 黔中 case."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from coordeval.analysis.targets import (
    STATUS_EN,
    STATUS_ZH,
    TARGET_COLUMNS,
    read_targets,
    target_attainment,
)
from coordeval.errors import InputError

ROOT = Path(__file__).resolve().parents[2]
QIANZHONG = ROOT / "data" / "qianzhong_plan_2022_2025.csv"
SEEDS = ROOT / "tests" / "data" / "seeds"
SEED_BOX1 = SEEDS / "seed002_box1_qianzhong_indicators_2022_2025.csv"


def _row(indicator: str, base: float, target: float, **kw: object) -> dict[str, object]:
    row: dict[str, object] = {
        "indicator": indicator,
        "name_zh": indicator,
        "unit": "",
        "base_year": 2020,
        "base_value": base,
        "target_year": 2025,
        "target_value": target,
        "target_type": "level",
        "target_qualifier": "exact",
    }
    row.update(kw)
    return row


def _assess(rows: list[dict[str, object]], actual=None, as_of=None) -> pd.DataFrame:
    return target_attainment(pd.DataFrame(rows), actual, as_of).set_index("indicator")


def _obs(values: dict[str, tuple[float, int]], **extra: dict[str, float]) -> pd.DataFrame:
    frame = pd.DataFrame(
        {"value": [v for v, _ in values.values()], "year": [y for _, y in values.values()]},
        index=list(values),
    )
    for col, mapping in extra.items():
        frame[col] = pd.Series(mapping)
    return frame


def test_level_targets_hand_cases():
    """Hand-computed: base 2020, target 2025, observed 2023 → elapsed share 3/5 = 0.6.
    up_on: (160 − 100)/(200 − 100) = 0.6 ≥ 0.6 → on track; up_behind: 0.5 < 0.6 → behind;
    down_on: (8 − 10)/(5 − 10) = 0.4 … with 2022 data elapsed 0.4 → on track; down_behind:
    (9 − 10)/(5 − 10) = 0.2 < 0.4 → behind; met rows reach the target."""
    rows = [
        _row("up_on", 100, 200),
        _row("up_behind", 100, 200),
        _row("up_met", 100, 200),
        _row("down_on", 10, 5),
        _row("down_behind", 10, 5),
        _row("down_met", 10, 5),
    ]
    actual = _obs(
        {
            "up_on": (160, 2023),
            "up_behind": (150, 2023),
            "up_met": (210, 2023),
            "down_on": (8, 2022),
            "down_behind": (9, 2022),
            "down_met": (4.9, 2022),
        }
    )
    r = _assess(rows, actual)
    assert r.loc["up_on", "progress"] == pytest.approx(0.6)
    assert r.loc["up_on", "elapsed_share"] == pytest.approx(0.6)
    assert r.loc["up_behind", "progress"] == pytest.approx(0.5)
    assert r.loc["down_on", "progress"] == pytest.approx(0.4)
    assert r.loc["down_behind", "progress"] == pytest.approx(0.2)
    assert r.loc["down_on", "direction"] == "-"
    assert r.loc["down_on", "direction_basis"] == "target vs base"
    expected = {
        "up_on": ("on_track", "进度正常", "on track"),
        "up_behind": ("behind", "滞后", "behind"),
        "up_met": ("met", "已达成", "met"),
        "down_on": ("on_track", "进度正常", "on track"),
        "down_behind": ("behind", "滞后", "behind"),
        "down_met": ("met", "已达成", "met"),
    }
    for ind, (code, zh, en) in expected.items():
        assert tuple(r.loc[ind, ["status", "status_zh", "status_en"]]) == (code, zh, en), ind
    assert (r["actual_source"] == "observed").all()


def test_bound_qualifiers_already_met_and_crossed():
    """'>95' with base 99 is met at the base; an observation of exactly 95 does not satisfy the
    strict bound and lies beyond it → behind; '<5' with base 5.5 is not judged at the base
    (progress 0 at elapsed share 0) and, reaching exactly 5 in the target year, behind."""
    rows = [
        _row("air", 99, 95, target_qualifier="greater_than"),
        _row("air_low", 99, 95, target_qualifier="greater_than"),
        _row("unemp", 5.5, 5, target_qualifier="less_than"),
        _row("unemp_end", 5.5, 5, target_qualifier="less_than"),
    ]
    actual = _obs({"air_low": (95, 2023), "unemp_end": (5.0, 2025)})
    r = _assess(rows, actual)
    assert r.loc["air", "status"] == "met" and r.loc["air", "actual_source"] == "base"
    assert r.loc["air_low", "status"] == "behind"
    assert r.loc["air_low", "reason_en"] == "the observed value is beyond the target's bound"
    assert math.isnan(r.loc["air_low", "progress"])
    # observed in the base year only: no time has elapsed, so no progress verdict
    assert r.loc["unemp", "status"] == "too_early"
    assert r.loc["unemp", "status_zh"] == "基期当年，进度未评"
    assert r.loc["unemp", "progress"] == 0.0 and r.loc["unemp", "elapsed_share"] == 0.0
    assert r.loc["unemp", "direction"] == "-" and r.loc["unemp", "direction_basis"] == "qualifier"
    assert r.loc["unemp_end", "status"] == "behind"
    assert r.loc["unemp_end", "reason"] == "目标年已到，尚未达到目标"


def test_maintain_missing_base_and_non_numeric_targets():
    rows = [
        _row("keep", 100, 100),
        _row("keep_moved", 100, 100),
        _row("no_base", np.nan, 100),
        _row("no_base_met", np.nan, 100),
        _row("no_base_open", np.nan, 100),
        _row(
            "assigned",
            np.nan,
            np.nan,
            target_type="not_numeric",
            target_qualifier="per_national_and_provincial_assignment",
        ),
        _row("text", np.nan, np.nan, target_type="not_numeric", target_qualifier="text"),
        _row("nothing", 3.0, np.nan, target_type="none", target_qualifier=""),
    ]
    actual = _obs(
        {"keep_moved": (98, 2022), "no_base_met": (100, 2023), "no_base_open": (90, 2023)}
    )
    r = _assess(rows, actual)
    assert r.loc["keep", "status"] == "met" and r.loc["keep", "direction"] == "="
    assert r.loc["keep_moved", "status"] == "behind"
    assert r.loc["keep_moved", "reason_en"].startswith("target is to maintain")
    assert r.loc["no_base", "status"] == "not_assessable"
    assert r.loc["no_base", "reason"] == "基期值缺失且无实际值"
    assert r.loc["no_base_met", "status"] == "met"
    assert r.loc["no_base_open", "status"] == "not_assessable"
    assert r.loc["no_base_open", "reason"] == "基期值缺失，无法计算进度"
    assert r.loc["assigned", "reason"] == "目标为国家及省下达目标，非数值"
    assert r.loc["text", "reason"] == "目标非数值"
    assert r.loc["nothing", "reason"] == "未设定目标"
    for ind in ("assigned", "text", "nothing"):
        assert r.loc[ind, "status_zh"] == "不可评估"
        assert r.loc[ind, "status_en"] == "not assessable"
        assert math.isnan(r.loc[ind, "progress"]) and math.isnan(r.loc[ind, "elapsed_share"])


def test_average_annual_growth_targets_hand_cases():
    """Base level 1000 in 2020, target 10 % a year to 2025 (level path 1000·1.1^t).
    2022 level 1210 = 1000·1.1² → realised growth exactly 10 % → on track, required level 1210,
    progress (1210 − 1000)/(1000·1.1⁵ − 1000) = 210/610.51; 1150 → (1.15)^(1/2) − 1 = 7.24 % →
    behind; 1700 ≥ 1610.51 → met; without base level → not assessable."""
    rows = [
        _row(name, np.nan, 10.0, target_type="avg_annual_growth", unit="%")
        for name in ("g_on", "g_behind", "g_met", "g_rate_only", "g_none")
    ]
    actual = _obs(
        {
            "g_on": (1210.0, 2022),
            "g_behind": (1150.0, 2022),
            "g_met": (1700.0, 2024),
            "g_rate_only": (8.0, 2022),
        },
        base_level={"g_on": 1000.0, "g_behind": 1000.0, "g_met": 1000.0},
    )
    r = _assess(rows, actual)
    assert r.loc["g_on", "status"] == "on_track"
    assert r.loc["g_on", "realised_growth"] == pytest.approx(0.10, rel=1e-12)
    assert r.loc["g_on", "required_level"] == pytest.approx(1210.0)
    assert r.loc["g_on", "progress"] == pytest.approx(210.0 / (1000.0 * 1.1**5 - 1000.0))
    assert r.loc["g_behind", "status"] == "behind"
    assert r.loc["g_behind", "realised_growth"] == pytest.approx(math.sqrt(1.15) - 1.0)
    assert r.loc["g_met", "status"] == "met"
    for ind in ("g_rate_only", "g_none"):
        assert r.loc[ind, "status"] == "not_assessable"
        assert r.loc[ind, "reason_en"].startswith("average-annual-growth target")
        assert r.loc[ind, "required_growth"] == pytest.approx(0.10)
    assert (r["direction"] == "+").all()


def test_as_of_sets_the_elapsed_share():
    rows = [_row("gdp", 100, 200)]
    r = _assess(rows, _obs({"gdp": (150, 2022)}))
    assert r.loc["gdp", "elapsed_share"] == pytest.approx(0.4)
    assert r.loc["gdp", "status"] == "on_track"
    r = _assess(rows, _obs({"gdp": (150, 2022)}), as_of=2024)
    assert r.loc["gdp", "elapsed_share"] == pytest.approx(0.8)
    assert r.loc["gdp", "status"] == "behind"
    r = _assess(rows, pd.Series({"gdp": 190.0}), as_of=2024)
    assert r.loc["gdp", "actual_year"] == 2024 and r.loc["gdp", "status"] == "on_track"


def test_input_errors():
    good = [_row("a", 1, 2)]
    cases = [
        ((pd.DataFrame(good).drop(columns="target_type"),), "target_table_column_missing"),
        ((pd.DataFrame([_row("a", 1, 2, target_type="ratio")]),), "target_type_unknown"),
        ((pd.DataFrame([_row("a", 1, 2), _row("a", 3, 4)]),), "target_id_twice"),
        (
            (pd.DataFrame([_row("a", 1, 2, target_qualifier="greater_than", direction="-")]),),
            "target_direction_conflict",
        ),
        ((pd.DataFrame([_row("a", 1, 2, target_year=2020)]),), "target_years_order"),
        ((pd.DataFrame(good), _obs({"zz": (1.0, 2022)})), "actual_unknown_indicator"),
        ((pd.DataFrame(good), pd.Series({"a": 1.5})), "actual_series_needs_as_of"),
        ((pd.DataFrame(good), _obs({"a": (1.5, 2019)})), "target_observed_early"),
    ]
    for args, code in cases:
        with pytest.raises(InputError) as err:
            target_attainment(*args)
        assert [p.code for p in err.value.problems] == [code]


def _brute_force_level_status(b: float, t: float, a: float, e: float) -> str:
    """The level rule written out case by case (exact qualifier, direction from t − b)."""
    if t == b:
        return "met" if math.isclose(a, t) else "behind"
    up = t > b
    if (up and a >= t) or (not up and a <= t):
        return "met"
    if e <= 0:
        return "too_early"  # observed in the base year: no time has elapsed
    if e >= 1:
        return "behind"
    return "on_track" if (a - b) / (t - b) >= e else "behind"


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.integers(1, 500),
            st.integers(1, 500),
            st.integers(1, 500),
            st.integers(2020, 2026),
        ),
        min_size=1,
        max_size=12,
    )
)
def test_level_status_matches_brute_force_and_keeps_every_row(cases):
    rows = [_row(f"i{k}", b, t) for k, (b, t, _, _) in enumerate(cases)]
    actual = _obs({f"i{k}": (a, y) for k, (_, _, a, y) in enumerate(cases)})
    r = target_attainment(pd.DataFrame(rows), actual)
    assert list(r["indicator"]) == [f"i{k}" for k in range(len(cases))]
    for k, (b, t, a, y) in enumerate(cases):
        e = (y - 2020) / 5
        assert r["status"].iloc[k] == _brute_force_level_status(b, t, a, e), (b, t, a, y)
    assert set(r["status_zh"]) <= set(STATUS_ZH.values())
    assert set(r["status_en"]) <= set(STATUS_EN.values())


def _table_from_seed() -> pd.DataFrame:
    """The 29-row target table built directly from the seed (used when data/ lacks the file)."""
    seed = pd.read_csv(SEED_BOX1, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    base = seed[seed["kind"].str.startswith("actual")].set_index("seq")
    target = seed[seed["kind"] == "target"].set_index("seq")
    seq = base.index.astype(int)
    ttype = np.where(
        target["qualifier"] == "per_national_and_provincial_assignment",
        "not_numeric",
        np.where(seq.isin([3, 4, 5, 6]), "avg_annual_growth", "level"),
    )
    return pd.DataFrame(
        {
            "seq": seq,
            "indicator": [f"q{s:02d}" for s in seq],
            "name_zh": base["indicator_cn"].to_numpy(),
            "unit": base["unit"].to_numpy(),
            "base_year": base["year"].astype(int).to_numpy(),
            "base_value": pd.to_numeric(base["value"].replace("", None)).to_numpy(),
            "target_year": target["year"].astype(int).to_numpy(),
            "target_value": pd.to_numeric(target["value"].replace("", None)).to_numpy(),
            "target_raw": target["value_raw"].to_numpy(),
            "target_qualifier": target["qualifier"].to_numpy(),
            "target_type": ttype,
        }
    )


def _qianzhong_table() -> pd.DataFrame:
    if QIANZHONG.exists():
        return read_targets(QIANZHONG)
    if not SEED_BOX1.exists():
        pytest.skip("neither data/qianzhong_plan_2022_2025.csv nor the seed table is available")
    return _table_from_seed()


def test_qianzhong_plan_targets_real_case():
    """贵州省发展和改革委员会 (2023) 黔中城市群高质量发展规划, 专栏1: 29 indicators, 2022 base,
    2025 targets. Assessed at the base (no later observations): rows 24–25 (国家及省下达目标)
    are not assessable with that reason, rows 3–6 are average-annual-growth targets (not
    assessable without levels), the 5G row has no base (—), good-air days (99 vs >95) and river
    water quality (100 vs 100) are already met, every other level row is observed in the base
    year only, so no time has elapsed and its progress is not judged (too_early, never "进度正常");
    no row is dropped."""
    table = _qianzhong_table()
    assert len(table) == 29
    r = target_attainment(table)
    assert len(r) == 29
    assert list(r["indicator"]) == list(table["indicator"])
    seq = pd.to_numeric(r["seq"]).astype(int).to_numpy() if "seq" in r else np.arange(1, 30)
    by_seq = r.set_index(pd.Index(seq, name="seq"))
    for s in (24, 25):
        assert by_seq.loc[s, "status_zh"] == "不可评估"
        assert by_seq.loc[s, "reason"] == "目标为国家及省下达目标，非数值"
    for s in (3, 4, 5, 6):
        assert by_seq.loc[s, "target_type"] == "avg_annual_growth"
        assert by_seq.loc[s, "status"] == "not_assessable"
        assert by_seq.loc[s, "reason"] == "目标为年均增速，需提供基期与当期水平值"
    assert by_seq.loc[6, "required_growth"] == pytest.approx(0.09)
    assert by_seq.loc[18, "status"] == "not_assessable"
    assert by_seq.loc[21, "status"] == "met" and by_seq.loc[23, "status"] == "met"
    assert by_seq.loc[29, "direction"] == "-" and by_seq.loc[7, "direction"] == "-"
    rest = [s for s in range(1, 30) if s not in (3, 4, 5, 6, 18, 21, 23, 24, 25)]
    assert (by_seq.loc[rest, "status"] == "too_early").all()
    assert not (r["status"] == "on_track").any()
    assert (by_seq.loc[rest, "progress"] == 0.0).all()
    assert (by_seq.loc[rest, "elapsed_share"] == 0.0).all()
    assert r["status_zh"].value_counts().to_dict() == {
        "基期当年，进度未评": 20,
        "不可评估": 7,
        "已达成": 2,
    }

    late = target_attainment(table, as_of=2025)
    assert (late.set_index(pd.Index(seq))["status"].loc[rest] == "behind").all()


def test_qianzhong_data_file_agrees_with_the_seed():
    """The shipped plan table and a table built straight from the seed give the same numbers,
    target types and statuses (guards against a transcription error in either)."""
    shipped = read_targets(QIANZHONG)
    seed = _table_from_seed()
    np.testing.assert_array_equal(shipped["seq"].to_numpy(dtype=int), seed["seq"].to_numpy())
    for col in ("base_value", "target_value"):
        np.testing.assert_array_equal(shipped[col].to_numpy(), seed[col].to_numpy())
    assert list(shipped["target_type"]) == list(seed["target_type"])
    assert list(shipped["target_qualifier"]) == list(seed["target_qualifier"])
    assert list(target_attainment(shipped)["status"]) == list(target_attainment(seed)["status"])


def test_read_targets_layout(tmp_path):
    header = ",".join(TARGET_COLUMNS)
    lines = [
        header,
        "综合实力,Overall,1,grp,地区生产总值,GRP,亿元,2022,12134,12134,exact,2025,16800,16800,"
        "exact,level,src,",
        "生态,Ecology,2,energy,能耗降低,Energy,%,2022,,国家及省 下达目标,"
        "per_national_and_provincial_assignment,2025,,国家及省 下达目标,"
        "per_national_and_provincial_assignment,not_numeric,src,",
    ]
    path = tmp_path / "plan.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8-sig")
    t = read_targets(path)
    assert list(t.columns) == list(TARGET_COLUMNS)
    assert t["base_value"].iloc[0] == 12134.0 and math.isnan(t["base_value"].iloc[1])
    assert t["target_raw"].iloc[1] == "国家及省 下达目标"
    assert str(t["base_year"].dtype) == "Int64" and t["seq"].tolist() == [1, 2]
    r = target_attainment(t)
    assert r["reason"].iloc[1] == "目标为国家及省下达目标，非数值"

    bad = [*lines[:2], lines[2].replace("2025,,", "2025,x9,", 1)]
    path.write_text("\n".join(bad) + "\n", encoding="utf-8-sig")
    with pytest.raises(InputError) as err:
        read_targets(path)
    problem = err.value.problems[0]
    assert problem.cell == "line 3, column 13" and problem.value == "x9"
    path.write_text("indicator,name_zh\ngrp,GDP\n", encoding="utf-8-sig")
    with pytest.raises(InputError) as err:
        read_targets(path)
    assert {p.code for p in err.value.problems} == {"target_column_missing"}


def test_assess_targets_option_subprocess(tmp_path):
    """`coordeval assess --targets`: the 黔中 plan table (2022 base, 2025 targets) with the
    cyg2019 data; observed only in the base year, no row is called 进度正常 (on track)."""
    import subprocess
    import sys

    from openpyxl import load_workbook

    root = Path(__file__).resolve().parents[2]
    out = tmp_path / "t.xlsx"
    res = subprocess.run(
        [
            sys.executable, "-m", "coordeval", "assess", str(root / "data" / "cyg2019.csv"),
            "-s", "cyg2019", "-o", str(out),
            "--targets", str(root / "data" / "qianzhong_plan_2022_2025.csv"),
        ],
        capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert res.returncode == 0, res.stderr
    wb = load_workbook(out, read_only=True)
    cells = [v for r in wb["目标达成"].iter_rows(values_only=True) for v in r if v is not None]
    wb.close()
    assert cells.count("基期当年，进度未评") == 20 and "进度正常" not in cells


def _plan_lines() -> list[str]:
    return [
        ",".join(TARGET_COLUMNS),
        "综合实力,Overall,1,grp,地区生产总值,GRP,亿元,2022,12134,12134,exact,2025,16800,16800,"
        "exact,level,贵州省发展和改革委员会,",
    ]


def test_a_gbk_plan_table_is_read(tmp_path):
    """A plan table saved by Excel on Chinese Windows (GBK) reads like the UTF-8 one; it
    used to raise a raw UnicodeDecodeError."""
    path = tmp_path / "plan_gbk.csv"
    path.write_bytes(("\r\n".join(_plan_lines()) + "\r\n").encode("gbk"))
    t = read_targets(path)
    assert t["name_zh"].tolist() == ["地区生产总值"] and t["source"].iloc[0].startswith("贵州省")
    assert t["target_value"].iloc[0] == 16800.0


def test_a_plan_table_in_an_unknown_encoding_is_an_input_error(tmp_path):
    path = tmp_path / "plan.csv"
    path.write_bytes("\n".join(_plan_lines()).encode("utf-16-le"))  # no byte-order mark
    with pytest.raises(InputError) as err:
        read_targets(path)
    assert err.value.problems[0].file == "plan.csv"


def test_a_plan_table_in_a_workbook_names_excel_cells(tmp_path):
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    for line in _plan_lines():
        ws.append(line.split(","))
    ws.append([])  # a blank row is skipped
    ws.append(_plan_lines()[1].replace(",grp,", ",water,").replace(",16800,", ",多,", 1).split(","))
    path = tmp_path / "plan.xlsx"
    wb.save(path)
    with pytest.raises(InputError) as err:
        read_targets(path)
    (problem,) = err.value.problems
    assert (problem.cell, problem.value, problem.code) == ("M4", "多", "target_not_number")


def test_plan_table_blank_lines_are_skipped_and_lines_counted(tmp_path):
    lines = _plan_lines()
    bad = lines[1].replace(",grp,", ",water,").replace("2022,12134", "20x2,12134", 1)
    path = tmp_path / "plan.csv"
    path.write_text("\n".join([lines[0], "", lines[1], bad]) + "\n", encoding="utf-8")
    with pytest.raises(InputError) as err:
        read_targets(path)
    (problem,) = err.value.problems
    assert (problem.cell, problem.code) == ("line 4, column 8", "target_not_whole")
