"""The shipped sample data (``data/``) and indicator systems (``indices/``) against their sources.

Every seed-derived number and printed text is compared with the transcribed source tables
(``tests/data/seeds``), the Munnell panel with
``linearmodels.datasets.munnell.load()``; a typo in either fails a test.

References
----------
刘波, 邓玲 2021, 双循环新格局下成渝贵城市群协同发展影响因素与实现路径研究, 表1.
罗丹阳, 增强中心城市聚集效应研究——以贵州省贵阳市为例, 中央民族大学, 表1 and 表2.
贵州省发展和改革委员会 2023, 黔中城市群高质量发展规划, 专栏1.
Munnell, A. H. 1990, Why has productivity growth declined? Productivity and public investment,
New England Economic Review Jan/Feb: 3-22.
"""

from __future__ import annotations

import math
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from coordeval.system import IndicatorSystem, load_system

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "data"
INDICES = ROOT / "indices"
SEEDS = ROOT / "tests" / "data" / "seeds"

PANEL_COLUMNS = [
    "city", "year", "indicator", "value", "unit", "value_raw", "qualifier", "source", "table",
    "note",
]  # fmt: skip
PLAN_COLUMNS = [
    "category_zh", "category_en", "seq", "indicator", "name_zh", "name_en", "unit", "base_year",
    "base_value", "base_raw", "base_qualifier", "target_year", "target_value", "target_raw",
    "target_qualifier", "target_type", "source", "note",
]  # fmt: skip
PANELS = {
    "cyg2019.csv": "cyg2019.toml",
    "capitals2018.csv": "capitals2018.toml",
    "munnell_states_1970_1986.csv": "munnell.toml",
}
PLAN = ("qianzhong_plan_2022_2025.csv", "qianzhong2025.toml")
ALL_FILES = {**{k: PANEL_COLUMNS for k in PANELS}, PLAN[0]: PLAN_COLUMNS}
# polygon centroids of the Munnell states (data/make_state_coords.py, us-atlas 3.0.1)
ALL_FILES["munnell_state_coords.csv"] = ["state", "name", "fips", "lon", "lat"]
SYNERGY7 = {
    "industry": "现代产业",
    "services": "公共服务",
    "ecology": "生态环境",
    "innovation": "科技创新",
    "governance": "治理体系",
    "markets": "区域市场",
    "infrastructure": "基础设施",
}
QUALIFIERS = {
    "exact", "approx", "greater_than", "less_than", "not_available",
    "per_national_and_provincial_assignment",
}  # fmt: skip
MUNNELL_COLUMNS = ["P_CAP", "HWY", "WATER", "UTIL", "PC", "GSP", "EMP", "UNEMP"]


def read_data(name: str) -> pd.DataFrame:
    return pd.read_csv(DATA / name, dtype=str, keep_default_na=False, encoding="utf-8-sig")


def read_seed(name: str) -> pd.DataFrame:
    return pd.read_csv(SEEDS / name, dtype=str, keep_default_na=False, encoding="utf-8-sig")


def system(name: str) -> IndicatorSystem:
    return load_system(INDICES / name)


def same_number(a: str, b: str) -> bool:
    """Both empty, or both parse to the same float."""
    if a == "" or b == "":
        return a == b
    return float(a) == float(b)


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


@pytest.fixture(scope="module")
def seeds() -> Path:
    return SEEDS


@pytest.mark.parametrize("name", sorted(ALL_FILES))
def test_file_is_utf8_with_bom_and_has_exact_columns(name: str) -> None:
    raw = (DATA / name).read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf"), f"{name} lacks the UTF-8 BOM"
    raw.decode("utf-8")
    assert list(read_data(name).columns) == ALL_FILES[name]


def test_data_folder_holds_exactly_the_documented_files() -> None:
    csvs = {p.name for p in DATA.glob("*.csv")}
    assert csvs == set(ALL_FILES)
    readme = (DATA / "README.md").read_text(encoding="utf-8")
    for name in csvs:
        assert f"## {name}" in readme
    assert not (DATA / "__init__.py").exists()
    assert not (INDICES / "__init__.py").exists()


@pytest.mark.parametrize("path", sorted(INDICES.glob("*.toml")), ids=lambda p: p.name)
def test_every_system_loads_and_documents_each_indicator(path: Path) -> None:
    assert re.fullmatch(r"[a-z][a-z0-9_]*\.toml", path.name)
    sys_ = load_system(path)
    assert sys_.source
    for ind in sys_.indicators:
        assert ind.direction in {"+", "-"}
        assert ind.source.strip(), f"{ind.id} has no source"
        if ind.unit == "":
            assert "dimensionless" in ind.note.lower(), f"{ind.id}: empty unit needs a note"


@pytest.mark.parametrize("path", sorted(INDICES.glob("*.toml")), ids=lambda p: p.name)
def test_header_labels_point_to_one_indicator(path: Path) -> None:
    owner: dict[str, str] = {}
    for ind in load_system(path).indicators:
        for label in {ind.id, ind.name_zh, ind.name_en, *ind.aliases}:
            key = squash(label).casefold()
            assert owner.setdefault(key, ind.id) == ind.id, (
                f"{label!r} names both {owner[key]} and {ind.id}"
            )


def test_synergy7_has_the_seven_subsystems_with_five_indicators_each() -> None:
    s = system("synergy7.toml")
    assert s.subsystem_ids == list(SYNERGY7)
    for sub in s.subsystems:
        assert sub.name_zh == SYNERGY7[sub.id]
        assert len(sub.indicators) >= 5, sub.id
    assert [i.name_zh for i in s.indicators].count("城镇登记失业率") == 1
    for tag in [f"S{k}" for k in range(1, 9)]:
        assert f"{tag}: " in s.source


def test_synergy7_marks_inferred_choices() -> None:
    for ind in system("synergy7.toml").indicators:
        sources = [part.strip() for part in ind.source.split(";")]
        assert all(re.match(r"(S[1-8]|I): \S", part) for part in sources), ind.id
        if any(part.startswith("I: ") for part in sources):
            assert "inferred" in ind.note, ind.id
        if ind.aliases:
            assert "inferred" in ind.note or "as printed" in ind.note, ind.id


#: Indicators a data file carries but its system deliberately does not score, with the reason.
NOT_SCORED = {"munnell.toml": {"p_cap"}}  # p_cap = hwy + water + util: scoring it counts twice


@pytest.mark.parametrize(("data_name", "system_name"), [*PANELS.items(), PLAN])
def test_data_indicators_exist_in_their_system_with_its_unit(
    data_name: str, system_name: str
) -> None:
    df = read_data(data_name)
    s = system(system_name)
    units = {i.id: i.unit for i in s.indicators}
    unscored = NOT_SCORED.get(system_name, set())
    assert set(df["indicator"]) == set(units) | unscored, (
        "data and system list different indicators"
    )
    assert not unscored & set(units)
    for ind_id, unit in df[~df["indicator"].isin(unscored)].groupby("indicator")["unit"]:
        assert set(unit) == {units[ind_id]}, ind_id


@pytest.mark.parametrize("name", sorted(PANELS))
def test_panel_rows_are_unique_and_values_parse(name: str) -> None:
    df = read_data(name)
    assert not df.duplicated(["city", "year", "indicator"]).any()
    assert set(df["qualifier"]) <= QUALIFIERS
    assert (df["source"] != "").all()
    assert (df["table"] != "").all()
    exact = df[df["qualifier"] == "exact"]
    assert all(
        float(v) == float(r) for v, r in zip(exact["value"], exact["value_raw"], strict=True)
    )


def compare_with_seed(data: pd.DataFrame, s: IndicatorSystem, seed: pd.DataFrame) -> None:
    """Each data row equals the seed row with the same city, table and printed indicator name."""
    name_zh = {i.id: i.name_zh for i in s.indicators}
    keyed = seed.set_index(["city", "table_or_section", "indicator_cn"])
    assert keyed.index.is_unique
    for row in data.itertuples(index=False):
        city = "重庆" if row.city == "重庆主城区" else row.city
        ref = keyed.loc[(city, row.table, name_zh[row.indicator])]
        where = f"{row.city} {row.indicator}"
        assert same_number(row.value, ref["value"]), where
        assert row.value_raw == ref["value_raw"], where
        assert row.qualifier == ref["qualifier"], where
        assert row.unit == ref["unit"], where
        assert row.year == ref["year"], where


def test_cyg2019_equals_its_source_table(seeds: Path) -> None:
    data = read_data("cyg2019.csv")
    seed = read_seed("seed004_table1_2019_chongqing_chengdu_guiyang.csv")
    assert len(data) == len(seed) == 30
    compare_with_seed(data, system("cyg2019.toml"), seed)
    assert set(data["city"]) == {"重庆", "成都", "贵阳"}
    assert (data["source"].str.startswith("刘波, 邓玲 2021")).all()


def test_cyg2019_flags_guiyang_76_1() -> None:
    data = read_data("cyg2019.csv")
    gy = data[(data["city"] == "贵阳") & (data["value_raw"] == "76.1")]
    assert set(gy["indicator"]) == {"urbanisation_rate", "tax_share_of_budget_revenue"}
    assert gy["note"].str.contains("FLAG").all()
    assert not data.loc[data["city"] != "贵阳", "note"].str.contains("76.1").any()


def test_capitals2018_equals_its_source_tables(seeds: Path) -> None:
    data = read_data("capitals2018.csv")
    seed = pd.concat(
        [
            read_seed("seed000_table1_2018_city_scale.csv"),
            read_seed("seed000_table2_2018_innovation.csv"),
        ]
    )
    left_out = {"面积", "全国省会城市排位", "城市类型"}
    kept = seed[~seed["indicator_cn"].isin(left_out)]
    assert len(data) == len(kept) == 60
    compare_with_seed(data, system("capitals2018.toml"), seed)
    readme = (DATA / "README.md").read_text(encoding="utf-8")
    for name in left_out:
        assert name in readme


def test_capitals2018_keeps_printed_chongqing_labels_and_flags() -> None:
    data = read_data("capitals2018.csv")
    t1 = data["table"].str.startswith("表1")
    assert set(data.loc[t1, "city"]) == {"重庆主城区", "长沙", "昆明", "南宁", "贵阳"}
    assert set(data.loc[~t1, "city"]) == {"重庆", "长沙", "昆明", "南宁", "贵阳"}
    cq = data[data["city"].str.startswith("重庆")]
    assert cq["note"].str.contains("whole municipality").all()
    rd = data[(data["city"] == "重庆") & (data["indicator"] == "rd_intensity")]
    assert rd["value"].tolist() == ["3.19"]
    assert "2.01%" in rd["note"].iloc[0]


def test_qianzhong_plan_equals_its_source_box(seeds: Path) -> None:
    data = read_data(PLAN[0])
    seed = read_seed("seed002_box1_qianzhong_indicators_2022_2025.csv")
    name_zh = {i.id: i.name_zh for i in system(PLAN[1]).indicators}
    assert data["seq"].tolist() == [str(k) for k in range(1, 30)]
    for row in data.itertuples(index=False):
        rows = seed[seed["seq"] == row.seq].set_index("year")
        base, target = rows.loc[row.base_year], rows.loc[row.target_year]
        where = f"row {row.seq}"
        assert (row.base_year, row.target_year) == ("2022", "2025"), where
        assert squash(row.name_zh) == squash(base["indicator_cn"]) == squash(name_zh[row.indicator])
        assert row.name_en == base["indicator_en"], where
        assert row.category_zh == base["category_cn"], where
        assert row.category_en == base["category_en"], where
        assert row.unit == base["unit"], where
        assert same_number(row.base_value, base["value"]), where
        assert same_number(row.target_value, target["value"]), where
        assert row.base_raw == base["value_raw"], where
        assert row.target_raw == target["value_raw"], where
        assert row.base_qualifier == base["qualifier"], where
        assert row.target_qualifier == target["qualifier"], where
        growth = "average annual growth" in target["note"]
        assert (row.target_type == "avg_annual_growth") == growth, where


def test_qianzhong_target_types_and_printed_forms() -> None:
    data = read_data(PLAN[0]).set_index("seq")
    assert set(data["target_type"]) <= {"level", "avg_annual_growth", "not_numeric", "none"}
    assert data.index[data["target_type"] == "avg_annual_growth"].tolist() == ["3", "4", "5", "6"]
    assert data.index[data["target_type"] == "not_numeric"].tolist() == ["24", "25"]
    non_numeric = data[data["target_type"] == "not_numeric"]
    assert (non_numeric["target_value"] == "").all()
    assert (non_numeric["target_raw"] == "国家及省 下达目标").all()
    assert data.loc["18", "base_raw"] == "—" and data.loc["18", "base_value"] == ""
    assert (data.loc["29", "base_raw"], data.loc["29", "target_raw"]) == ("5.5 左右", "<5")
    assert data.loc["21", "target_raw"] == ">95"
    assert "6.48" in data.loc["2", "note"]
    assert data.loc[["3", "4", "5", "6"], "note"].str.contains("growth").all()


def test_qianzhong_system_has_one_subsystem_per_category() -> None:
    data = read_data(PLAN[0])
    s = system(PLAN[1])
    assert [sub.name_zh for sub in s.subsystems] == list(dict.fromkeys(data["category_zh"]))
    membership = s.membership
    by_category = dict(zip(data["category_zh"], data["category_en"], strict=False))
    for row in data.itertuples(index=False):
        sub = next(x for x in s.subsystems if x.id == membership[row.indicator])
        assert sub.name_zh == row.category_zh
        assert sub.name_en == by_category[row.category_zh]
    for ind in s.indicators:
        assert "inferred" in ind.note, ind.id


def test_munnell_equals_linearmodels() -> None:
    munnell = pytest.importorskip("linearmodels.datasets.munnell")
    ref = munnell.load().set_index(["STATE", "YR"])[MUNNELL_COLUMNS].sort_index()
    df = read_data("munnell_states_1970_1986.csv")
    assert len(df) == ref.size == 48 * 17 * 8
    assert (df["note"] == "non-Chinese example panel").all()
    assert df["source"].str.startswith("Munnell, A. H. 1990, Why has productivity growth").all()
    wide = df.assign(
        year=df["year"].astype(int),
        value=df["value"].astype(float),
        col=df["indicator"].str.upper(),
    ).pivot(index=["city", "year"], columns="col", values="value")
    wide = wide.sort_index()[MUNNELL_COLUMNS]
    assert wide.index.tolist() == ref.index.tolist()
    np.testing.assert_array_equal(wide.to_numpy(), ref.to_numpy(dtype=float))
    raw = df["value_raw"].astype(float).to_numpy()
    np.testing.assert_array_equal(raw, df["value"].astype(float).to_numpy())


def test_munnell_public_capital_is_the_sum_of_its_components() -> None:
    """The p_cap note in indices/munnell.toml: p_cap = hwy + water + util to within 0.01."""
    df = read_data("munnell_states_1970_1986.csv")
    wide = df.assign(value=df["value"].astype(float)).pivot(
        index=["city", "year"], columns="indicator", values="value"
    )
    gap = (wide["p_cap"] - wide["hwy"] - wide["water"] - wide["util"]).abs()
    assert gap.max() <= 0.01 + 1e-9
    assert not math.isnan(gap.max())
