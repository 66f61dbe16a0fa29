"""City identity and side tables that must match the panel, through the real ``coordeval``
command: name variants (清镇/清镇市) reported with their cells, an unbalanced panel reported once
naming cities and years, a cities table (``--cities``) resolving aliases, a groups file with a
misspelt city refused before anything is written, groups reported by name.

Data: rows of the Munnell (1990) panel (``data/munnell_states_1970_1986.csv``) with some state
names replaced by test names, and the cyg2019 sample (``data/cyg2019.csv``).
"""

from __future__ import annotations

import warnings
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import load_workbook

from coordeval.errors import InputError
from coordeval.io.identity import city_key, city_variants
from coordeval.io.side import read_cities, read_groups
from coordeval.workflow import assess_file

ROOT = Path(__file__).resolve().parents[2]
MUNNELL = ROOT / "data" / "munnell_states_1970_1986.csv"
MUNNELL_SYSTEM = ROOT / "indices" / "munnell.toml"
CYG = ROOT / "data" / "cyg2019.csv"


@pytest.fixture
def variants(tmp_path: Path) -> Path:
    """Ten states × 1981–1982 in a wide file; ALABAMA written 清镇市 in 1981 and 清镇 in 1982."""
    long = pd.read_csv(MUNNELL)
    long = long[long["year"].isin([1981, 1982])]
    wide = long.pivot_table(index=["city", "year"], columns="indicator", values="value")
    wide = wide.reset_index()
    keep = sorted(wide["city"].unique())[:10]
    wide = wide[wide["city"].isin(keep)].reset_index(drop=True)
    wide.loc[(wide["city"] == "ALABAMA") & (wide["year"] == 1981), "city"] = "清镇市"
    wide.loc[(wide["city"] == "ALABAMA") & (wide["year"] == 1982), "city"] = "清镇"
    path = tmp_path / "variants.csv"
    wide.to_csv(path, index=False)
    return path


def test_validate_reports_both_variants_with_cells(variants: Path, run_cli) -> None:
    res = run_cli("validate", str(variants), "-s", str(MUNNELL_SYSTEM))
    assert res.returncode == 0, res.stderr
    text = res.stderr
    assert "look like one city" in text
    assert "'清镇市' at line 2" in text and "'清镇' at line 3" in text
    assert "(1981)" in text and "(1982)" in text
    # the unbalanced panel is reported once, naming both cities and their missing years
    assert text.count("unbalanced panel") == 1
    assert "清镇市: 1982" in text and "清镇: 1981" in text


def test_cities_table_resolves_the_variant(variants: Path, tmp_path: Path, run_cli) -> None:
    table = tmp_path / "cities.csv"
    table.write_text(
        "城市,别名,英文名,经度,纬度\n清镇市,清镇、清镇县,Qingzhen,106.47,26.56\n", "utf-8"
    )
    res = run_cli("validate", str(variants), "-s", str(MUNNELL_SYSTEM), "--cities", str(table))
    assert res.returncode == 0, res.stderr
    assert "look like one city" not in res.stderr
    assert "unbalanced" not in res.stderr
    assert "ok: 20 city-years (10 cities, 2 years)" in res.stderr
    cities = read_cities(table)
    assert cities.loc["清镇市", "aliases"] == ["清镇", "清镇县"]
    assert cities.loc["清镇市", "lon"] == pytest.approx(106.47)


def test_cities_table_range_checks(tmp_path: Path) -> None:
    table = tmp_path / "cities.csv"
    table.write_text("city,aliases,lon,lat,adcode\nA,B,200,26,52018\nC,B,106,26,520181\n", "utf-8")
    with pytest.raises(InputError) as info:
        read_cities(table)
    text = "\n".join(str(p) for p in info.value.problems)
    assert "[-180, 180]" in text and "six-digit" in text and "'B' is given to A and to C" in text


def test_city_key_and_variants() -> None:
    names = pd.Series(
        ["清镇市", "清镇", " 清 镇 ", "黔南州", "黔南布依族苗族自治州", "ＡＢＣ", "abc"]
    )
    keys = city_key(names)
    assert keys.iloc[0] == keys.iloc[1] == keys.iloc[2] == "清镇"
    assert keys.iloc[5] == keys.iloc[6] == "abc"
    found = city_variants(pd.Index(names))
    assert len(found) == 2  # 清镇 ×3 and abc ×2; the two 黔南 names differ


def test_one_folding_rule_for_data_and_boundary_files() -> None:
    """city_key (data) and normalize_names (boundary files) are one rule: a suffix is removed
    only while two characters remain (杭州 is not 杭), repeatedly, 新区 included."""
    from coordeval.io.geometry import normalize_names

    names = pd.Series(["杭州", "杭州市", "浦东新区", "浦东", "某某地区市", "New_York", "new york"])
    keys = city_key(names).tolist()
    assert keys == ["杭州", "杭州", "浦东", "浦东", "某某", "newyork", "newyork"]
    assert normalize_names(names.tolist()).tolist() == keys
    assert len(city_variants(pd.Index(names))) == 3


def test_groups_with_a_misspelt_city_exit_1_nothing_written(tmp_path: Path, run_cli) -> None:
    groups = tmp_path / "groups.csv"
    groups.write_text("city,group\n重庆,成渝\n成都,成渝\n桂阳,黔中\n", "utf-8")
    out = tmp_path / "r.xlsx"
    res = run_cli("assess", str(CYG), "-s", "cyg2019", "-o", str(out), "--groups", str(groups))
    assert res.returncode == 1
    assert "Traceback" not in res.stderr
    assert "'桂阳'" in res.stderr and "line 4" in res.stderr
    assert "no row for 1 city(ies) of the data: 贵阳" in res.stderr
    assert not out.exists() and list(tmp_path.iterdir()) == [groups]


def test_groups_reported_by_name(tmp_path: Path, run_cli) -> None:
    groups = tmp_path / "groups.csv"
    groups.write_text("city,group\n重庆,成渝\n成都,成渝\n贵阳,黔中\n", "utf-8")
    out = tmp_path / "r.xlsx"
    res = run_cli("assess", str(CYG), "-s", "cyg2019", "-o", str(out), "--groups", str(groups))
    assert res.returncode == 0, res.stderr
    wb = load_workbook(out, read_only=True)
    values = [v for row in wb["区域差异"].iter_rows(values_only=True) for v in row if v]
    wb.close()
    assert "成渝" in values and "黔中" in values
    assert "分组均值" in values  # the group table under its Chinese title (report in zh)


def test_group_trend_chart_for_a_panel(tmp_path: Path, run_cli) -> None:
    """Munnell 1970–1986 with a test grouping of the states into two named groups: the
    inequality sheet has the mean D per group and year (equal to the mean of the coupling
    table's D over the group's states) and a line chart of it."""
    long = pd.read_csv(MUNNELL)
    states = sorted(long["city"].unique())
    groups = pd.DataFrame({"city": states, "group": ["北组", "南组"] * (len(states) // 2)})
    groups.to_csv(tmp_path / "g.csv", index=False)
    out = tmp_path / "m.xlsx"
    res = run_cli(
        "assess", str(MUNNELL), "-s", "munnell", "-o", str(out), "--groups", str(tmp_path / "g.csv")
    )
    assert res.returncode == 0, res.stderr
    wb = load_workbook(out)
    ws = wb["区域差异"]
    assert len(ws._charts) == 1
    rows = [[v for v in r if v is not None] for r in ws.iter_rows(values_only=True)]
    start = next(k for k, r in enumerate(rows) if r and r[0] == "分组平均 D 的变化")
    head, first = rows[start + 1], rows[start + 2]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        a, _ = assess_file(MUNNELL, "munnell", analysis={"groups": read_groups(tmp_path / "g.csv")})
    D = a.tables["coupling"]["D"].xs(1970, level="year")
    north = groups.loc[groups["group"] == "北组", "city"]
    mean_north = D[north.to_numpy()].mean()
    col = [str(h) for h in head].index("北组")
    assert first[0] == 1970 and first[col] == pytest.approx(mean_north, abs=1e-12)


def test_cities_option_on_fit_score_assess(variants: Path, tmp_path: Path, run_cli) -> None:
    """--cities on fit, score and assess: the alias 清镇 is read as 清镇市 everywhere, so the
    model knows 10 cities, scores.csv has 清镇市 for both years and the report no 清镇 row."""
    table = tmp_path / "cities.csv"
    table.write_text("city,aliases,name_en\n清镇市,清镇,Qingzhen\n", "utf-8")
    system = str(MUNNELL_SYSTEM)
    model = tmp_path / "m.json"
    res = run_cli("fit", str(variants), "-s", system, "-o", str(model), "--cities", str(table))
    assert res.returncode == 0, res.stderr
    res = run_cli(
        "score", str(variants), "-m", str(model), "-o", str(tmp_path / "out"), "--cities",
        str(table), "-q",
    )  # fmt: skip
    assert res.returncode == 0, res.stderr
    scores = pd.read_csv(tmp_path / "out" / "scores.csv", encoding="utf-8-sig")
    assert sorted(scores.loc[scores["city"] == "清镇市", "year"]) == [1981, 1982]
    assert "清镇" not in set(scores["city"]) and "not in the fit data" not in res.stderr
    out = tmp_path / "r.xlsx"
    res = run_cli(
        "assess", str(variants), "--model", str(model), "-o", str(out), "--cities", str(table)
    )
    assert res.returncode == 0, res.stderr
    wb = load_workbook(out, read_only=True)
    names = {r[0] for r in wb["子系统得分"].iter_rows(min_row=5, values_only=True)}
    wb.close()
    assert "清镇市" in names and "清镇" not in names


def test_spatial_and_factors_cities_must_match(tmp_path: Path, run_cli) -> None:
    """--spatial with a misspelt city and --factors without one of the data's cities: both
    listed in one run (exit 1, with the file and cell of the unknown name), nothing written."""
    spatial = tmp_path / "w.csv"
    spatial.write_text("city,重庆,成都,桂阳\n重庆,0,1,1\n成都,1,0,1\n桂阳,1,1,0\n", "utf-8")
    factors = tmp_path / "f.csv"
    factors.write_text("city,year,open\n重庆,2019,1.5\n成都,2019,2.5\n", "utf-8")
    out = tmp_path / "r.xlsx"
    res = run_cli(
        "assess", str(CYG), "-s", "cyg2019", "-o", str(out),
        "--spatial", str(spatial), "--factors", str(factors),
    )  # fmt: skip
    assert res.returncode == 1 and "Traceback" not in res.stderr
    assert "--spatial: city '桂阳'" in res.stderr and "w.csv line 4" in res.stderr
    assert "--factors: the influencing factors table has no row for 1 city(ies)" in res.stderr
    assert not out.exists()
