"""Tests of reading yearbook files (coordeval.io.read) and the missing-value policy
(coordeval.io.validate).

The reference panel ``EXPECTED`` is typed by hand from the figures written in
``tests/data/wide_utf8.csv``; every other file (GBK, UTF-16, long layout, Excel) must read to
exactly the same numbers. Interpolation is checked against a hand-computed case and against
pandas ``interpolate(method="index", limit_area="inside")`` per city as an oracle.
"""

from __future__ import annotations

import csv
import hashlib
import io
import os
from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd
import pytest

from coordeval.errors import ConfigError, DataWarning, InputError
from coordeval.io.read import PanelData, read_data, read_panel
from coordeval.io.validate import apply_missing, check_nonnegative, interpolate_years
from coordeval.system import system_from_dict

DATA = Path(__file__).parents[1] / "data"

SYSTEM = system_from_dict(
    {
        "name": "test system",
        "subsystems": [
            {
                "id": "industry",
                "name_zh": "现代产业",
                "name_en": "Modern industry",
                "indicators": [
                    {
                        "id": "gdp",
                        "name_zh": "地区生产总值",
                        "name_en": "GDP",
                        "unit": "亿元",
                        "direction": "+",
                        "aliases": ["GDP总量"],
                    },
                    {
                        "id": "pop",
                        "name_zh": "常住人口",
                        "name_en": "Resident population",
                        "unit": "万人",
                        "direction": "+",
                    },
                ],
            },
            {
                "id": "ecology",
                "name_zh": "生态环境",
                "name_en": "Ecology",
                "indicators": [
                    {
                        "id": "green",
                        "name_zh": "建成区绿化覆盖率",
                        "name_en": "Green coverage",
                        "unit": "%",
                        "direction": "+",
                    },
                    {
                        "id": "pm25",
                        "name_zh": "PM2.5年均浓度",
                        "name_en": "PM2.5 concentration",
                        "unit": "微克/立方米",
                        "direction": "-",
                    },
                ],
            },
        ],
    }
)
IDS = ["gdp", "pop", "green", "pm25"]
HEADER = ["城市", "年份", "地区生产总值", "常住人口", "建成区绿化覆盖率", "PM2.5年均浓度"]


def panel_frame(rows: list[tuple], columns: list[str] = IDS) -> pd.DataFrame:
    """A panel with the reader's index: (city str, year int64), float64 columns."""
    index = pd.MultiIndex.from_arrays(
        [
            pd.Index([r[0] for r in rows], dtype="str"),
            pd.Index([r[1] for r in rows], dtype="int64"),
        ],
        names=["city", "year"],
    )
    values = np.array([r[2:] for r in rows], dtype=np.float64).reshape(len(rows), len(columns))
    return pd.DataFrame(values, index=index, columns=pd.Index(columns, dtype="str"))


EXPECTED = panel_frame(
    [
        ("北京", 2019, 35371.3, 2153.6, 48.5, 42.0),
        ("北京", 2020, 36102.6, 2189.0, 48.0, 38.0),
        ("天津", 2019, 14104.3, 1561.8, 37.0, 51.0),
        ("天津", 2020, 14083.7, 1386.6, 37.6, 48.0),
    ]
)
EXPECTED_UNITS = {"gdp": "亿元", "pop": "万人", "green": "%", "pm25": "微克/立方米"}

WIDE_ROWS = [
    ["表1 2019—2020年部分城市主要指标"],
    ["城市", "年份", "地区生产总值（亿元）", "常住人口(万人)", "建成区绿化覆盖率", "PM2.5年均浓度"],
    ["单位", None, "亿元", "万人", "%", "微克/立方米"],
    ["北京", 2019, 35371.3, 2153.6, "48.5%", 42],
    ["北京", "2020年", "36,102.6", 2189.0, ">48", 38],
    [None],
    ["天津", 2019, "１４１０４．３", 1561.8, "约37", 51],
    ["天津", 2020, 14083.7, 1386.6, "37.6 左右", 48],
    ["注：PM2.5年均浓度为细颗粒物年平均浓度。"],
    ["资料来源：各市统计年鉴。"],
]


def write_xlsx(path: Path, rows: list[list], sheet: str = "数据", before=()) -> Path:
    """Write ``rows`` from A1 of sheet ``sheet``; ``before`` = [(name, rows)] sheets first."""
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for name, sheet_rows in [*before, (sheet, rows)]:
        ws = wb.create_sheet(name)
        for r, row in enumerate(sheet_rows, start=1):
            for c, value in enumerate(row, start=1):
                if value is not None:
                    ws.cell(row=r, column=c, value=value)
    wb.save(path)
    return path


def write_csv(path: Path, rows: list[list], encoding: str = "utf-8") -> Path:
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\r\n").writerows(
        [["" if v is None else v for v in row] for row in rows]
    )
    path.write_bytes(buf.getvalue().encode(encoding))
    return path


def simple_rows(values: dict | None = None) -> list[list]:
    """Header in row 1, cities 北京/天津 × 2019/2020 from row 2, all values readable."""
    rows = [
        list(HEADER),
        ["北京", 2019, 35371.3, 2153.6, 48.5, 42],
        ["北京", 2020, 36102.6, 2189.0, 48.0, 38],
        ["天津", 2019, 14104.3, 1561.8, 37.0, 51],
        ["天津", 2020, 14083.7, 1386.6, 37.6, 48],
    ]
    for (r, c), v in (values or {}).items():
        rows[r][c] = v
    return rows


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def by_severity(data: PanelData, severity: str) -> list:
    return [p for p in data.problems if p.severity == severity]


def test_wide_csv_reads_every_form():
    data = read_data(DATA / "wide_utf8.csv", SYSTEM)
    pd.testing.assert_frame_equal(data.panel, EXPECTED)
    assert data.layout == "wide" and data.sheet is None and data.encoding == "utf-8"
    assert data.units == EXPECTED_UNITS
    assert by_severity(data, "error") == []
    notes = by_severity(data, "info")
    assert [(p.cell, p.value) for p in notes] == [
        ("line 9, column 1", "注：PM2.5年均浓度为细颗粒物年平均浓度。"),
        ("line 10, column 1", "资料来源：各市统计年鉴。"),
    ]
    warned = by_severity(data, "warning")
    assert [(p.cell, p.value) for p in warned] == [
        ("line 5, column 5", ">48"),
        ("line 7, column 5", "约37"),
        ("line 8, column 5", "37.6 左右"),
    ]
    q = data.qualifiers
    assert q.columns.tolist() == ["city", "year", "indicator", "raw", "qualifier", "cell"]
    assert q[["city", "year", "qualifier"]].values.tolist() == [
        ["北京", 2020, "greater_than"],
        ["天津", 2019, "approx"],
        ["天津", 2020, "approx"],
    ]
    cells = data.cells.set_index(["city", "year", "indicator"])
    assert cells.loc[("北京", 2019, "gdp"), "cell"] == "line 4, column 3"
    assert cells.loc[("天津", 2019, "gdp"), "raw"] == "１４１０４．３"
    assert cells.loc[("天津", 2020, "pm25"), "column"] == "PM2.5年均浓度"
    assert len(data.cells) == 16


@pytest.mark.parametrize(
    ("name", "encoding"),
    [
        ("wide_gbk.csv", "gb18030"),
        ("wide_utf8sig.csv", "utf-8-sig"),
        ("wide_utf16.csv", "utf-16"),
        ("wide_utf16_tab.csv", "utf-16"),
    ],
)
def test_encodings_read_equal_to_utf8(name, encoding):
    reference = read_data(DATA / "wide_utf8.csv", SYSTEM)
    data = read_data(DATA / name, SYSTEM)
    assert data.encoding == encoding
    pd.testing.assert_frame_equal(data.panel, reference.panel)
    assert data.units == reference.units
    assert [(p.cell, p.value, p.severity) for p in data.problems] == [
        (p.cell, p.value, p.severity) for p in reference.problems
    ]


def test_gbk_fixture_is_not_utf8():
    """The GBK file really needs the fallback decoder."""
    with pytest.raises(UnicodeDecodeError):
        (DATA / "wide_gbk.csv").read_bytes().decode("utf-8")


def test_long_layout_equals_wide():
    data = read_data(DATA / "long_utf8.csv", SYSTEM)
    assert data.layout == "long"
    pd.testing.assert_frame_equal(data.panel, EXPECTED)
    assert data.units == EXPECTED_UNITS
    assert [(p.cell, p.column, p.value) for p in by_severity(data, "warning")] == [
        ("line 8, column 4", "value", ">48"),
        ("line 12, column 4", "value", "约37"),
        ("line 16, column 4", "value", "37.6左右"),
    ]
    assert by_severity(data, "error") == []


def test_xlsx_wide_with_title_units_row_and_footnotes(tmp_path):
    path = write_xlsx(
        tmp_path / "data.xlsx",
        WIDE_ROWS,
        before=[
            ("说明", [["本表为示例数据"]]),
            ("指标体系", [["城市", "年份"], ["x", 1]]),
        ],
    )
    data = read_data(path, SYSTEM)
    assert data.sheet == "数据" and data.layout == "wide"
    pd.testing.assert_frame_equal(data.panel, EXPECTED)
    assert data.units == EXPECTED_UNITS
    assert [str(p.cell) for p in by_severity(data, "warning")] == ["E5", "E7", "E8"]
    assert "data.xlsx 数据!E7 [建成区绿化覆盖率]" in str(by_severity(data, "warning")[1])
    assert [p.cell for p in by_severity(data, "info")] == ["A9", "A10"]


def stored_values(path: Path, n_rows: int) -> np.ndarray:
    """Oracle for Excel files: the numbers as openpyxl reads them back from the file.

    openpyxl stores floats with 16 significant digits, so they can differ from the written
    float in the last bit; both readers must agree on what the file holds.
    """
    wb = openpyxl.load_workbook(path, read_only=True)
    try:
        rows = wb["数据"].iter_rows(
            min_row=2, max_row=n_rows + 1, min_col=3, max_col=6, values_only=True
        )
        return np.array(list(rows), dtype=np.float64)
    finally:
        wb.close()


def test_xlsx_and_csv_values_are_exact(tmp_path):
    rng = np.random.default_rng(7)
    values = rng.lognormal(3, 2, size=(4, 4))
    rows = [HEADER] + [
        [city, year, *values[i]]
        for i, (city, year) in enumerate([("a", 2019), ("a", 2020), ("b", 2019), ("b", 2020)])
    ]
    path = write_xlsx(tmp_path / "v.xlsx", rows)
    from_xlsx = read_data(path, SYSTEM).panel
    from_csv = read_data(write_csv(tmp_path / "v.csv", rows), SYSTEM).panel
    np.testing.assert_array_equal(from_xlsx.to_numpy(), stored_values(path, 4))
    np.testing.assert_array_equal(from_csv.to_numpy(), values)


def test_header_row_found_below_title_rows_and_offset_table(tmp_path):
    rows = [
        ["标题"],
        ["副标题", None, "单位：亿元"],
        [],
        *[[None, None, *r] for r in simple_rows()],
    ]
    data = read_data(write_xlsx(tmp_path / "t.xlsx", rows), SYSTEM)
    pd.testing.assert_frame_equal(data.panel, EXPECTED)
    cells = data.cells.set_index(["city", "year", "indicator"])
    assert cells.loc[("北京", 2019, "gdp"), "cell"] == "E5"
    assert cells.loc[("天津", 2020, "pm25"), "cell"] == "H8"


@pytest.mark.parametrize(
    ("header", "unit"),
    [
        ("GDP (亿元)", "亿元"),
        ("GDP（亿元）", "亿元"),
        ("地区生产总值(亿元)", "亿元"),
        ("地区生产总值 （ 亿元 ）", "亿元"),
        ("地区生产总值【亿元】", "亿元"),
        ("地区生产总值", None),
        (" 地区 生产总值 ", None),
        ("地区生产\n总值", None),
        ("gdp", None),
        ("Gdp", None),
        ("ＧＤＰ", None),
        ("GDP总量", None),
        ("gdp总量(亿元)", "亿元"),
    ],
)
def test_header_variants(tmp_path, header, unit):
    rows = simple_rows()
    rows[0] = [*rows[0][:2], header, *rows[0][3:]]
    data = read_data(write_xlsx(tmp_path / "h.xlsx", rows), SYSTEM)
    assert by_severity(data, "error") == []
    pd.testing.assert_frame_equal(data.panel, EXPECTED)
    assert data.units.get("gdp") == unit


@pytest.mark.parametrize(
    ("city", "year"),
    [
        ("city", "year"),
        ("City", "YEAR"),
        ("城市", "年份"),
        ("地区", "年度"),
        ("城市名称", "年"),
        ("city_name", "年份(年)"),
        ("城 市", "年　份"),
    ],
)
def test_key_column_names(tmp_path, city, year):
    rows = simple_rows()
    rows[0] = [city, year, *rows[0][2:]]
    data = read_data(write_csv(tmp_path / "k.csv", rows), SYSTEM)
    pd.testing.assert_frame_equal(data.panel, EXPECTED)


def test_key_columns_need_not_come_first(tmp_path):
    rows = [[r[2], r[3], r[0], r[4], r[1], r[5]] for r in simple_rows()]
    data = read_data(write_csv(tmp_path / "k.csv", rows), SYSTEM)
    pd.testing.assert_frame_equal(data.panel, EXPECTED)


def test_units_row_recognised_with_blank_key_cells(tmp_path):
    rows = simple_rows()
    rows.insert(1, [None, None, "亿元", "万人", "%", "—"])
    data = read_data(write_xlsx(tmp_path / "u.xlsx", rows), SYSTEM)
    pd.testing.assert_frame_equal(data.panel, EXPECTED)
    assert data.units == {"gdp": "亿元", "pop": "万人", "green": "%"}
    assert by_severity(data, "error") == []


def test_numeric_row_under_header_is_data_not_units(tmp_path):
    rows = simple_rows()
    rows.insert(1, ["单位", None, 1, 2, 3, 4])
    data = read_data(write_xlsx(tmp_path / "u.xlsx", rows), SYSTEM)
    assert data.units == {}
    [err] = by_severity(data, "error")
    assert err.cell == "B2" and err.code == "year_unreadable"
    assert err.params["error"] == "year is blank" and err.render("zh") == "年份列：年份为空"


def test_unit_mismatch_with_system_warns(tmp_path):
    rows = simple_rows()
    rows[0][2] = "GDP(万元)"
    data = read_data(write_xlsx(tmp_path / "u.xlsx", rows), SYSTEM)
    [warn] = by_severity(data, "warning")
    assert warn.code == "unit_differs"
    assert (warn.params["given"], warn.params["expected"]) == ("万元", "亿元")
    assert data.units == {"gdp": "万元"}


def test_unit_mismatch_header_vs_units_row_warns(tmp_path):
    rows = simple_rows()
    rows[0][2] = "GDP(亿元)"
    rows.insert(1, ["单位", None, "万元", "万人", "%", "微克/立方米"])
    data = read_data(write_xlsx(tmp_path / "u.xlsx", rows), SYSTEM)
    [warn] = by_severity(data, "warning")
    assert warn.cell == "C2" and warn.value == "万元"
    assert data.units["gdp"] == "亿元"


def test_footnote_ends_table_and_rows_below_are_reported(tmp_path):
    rows = simple_rows()
    rows += [["注：初步核算数。"], ["北京", 2021, 1, 2, 3, 4], ["* 估计值"]]
    data = read_data(write_xlsx(tmp_path / "f.xlsx", rows), SYSTEM)
    pd.testing.assert_frame_equal(data.panel, EXPECTED)
    assert [(p.cell, p.value) for p in by_severity(data, "info")] == [
        ("A6", "注：初步核算数。"),
        ("A8", "* 估计值"),
    ]
    [warn] = by_severity(data, "warning")
    assert warn.cell == "A7" and warn.code == "rows_below_footnote"
    assert (warn.params["n"], warn.params["at"]) == (1, "A6")


@pytest.mark.parametrize(
    "note", ["资料来源：统计局", "数据来源: 年鉴", "Note: x", "Source: y", "*"]
)
def test_footnote_prefixes(tmp_path, note):
    rows = [*simple_rows(), [note]]
    data = read_data(write_csv(tmp_path / "f.csv", rows), SYSTEM)
    [info] = by_severity(data, "info")
    assert info.cell == "line 6, column 1" and info.value == note
    assert by_severity(data, "error") == []


def test_unknown_columns_warn_and_missing_indicators_are_one_error(tmp_path):
    rows = [
        ["城市", "年份", "地区生产总值", "省份", "建成区绿化覆盖率"],
        ["北京", 2019, 1, "北京", 2],
    ]
    data = read_data(write_xlsx(tmp_path / "m.xlsx", rows), SYSTEM)
    [warn] = by_severity(data, "warning")
    assert warn.cell == "D1" and warn.column == "省份"
    [err] = by_severity(data, "error")
    assert err.code == "indicators_absent_wide" and err.params["n"] == 2
    assert err.params["listed"] == "pop (常住人口), pm25 (PM2.5年均浓度)"
    assert data.panel.columns.tolist() == ["gdp", "green"]


def test_column_matching_two_indicators_is_an_error(tmp_path):
    system = system_from_dict(
        {
            "name": "clash",
            "subsystems": [
                {
                    "id": "s",
                    "name_zh": "子系统",
                    "name_en": "S",
                    "indicators": [
                        {
                            "id": "a",
                            "name_zh": "甲",
                            "name_en": "A",
                            "direction": "+",
                            "aliases": ["总量"],
                        },
                        {
                            "id": "b",
                            "name_zh": "乙",
                            "name_en": "B",
                            "direction": "+",
                            "aliases": ["总量"],
                        },
                    ],
                }
            ],
        }
    )
    rows = [["城市", "年份", "总量", "甲", "乙"], ["x", 2019, 1, 2, 3]]
    data = read_data(write_xlsx(tmp_path / "c.xlsx", rows), system)
    [err] = by_severity(data, "error")
    assert err.cell == "C1" and err.code == "header_ambiguous" and err.params["ids"] == "a, b"


def test_two_columns_for_one_indicator_is_an_error(tmp_path):
    rows = simple_rows()
    rows = [[*r, r[2]] for r in rows]
    rows[0][-1] = "GDP"
    data = read_data(write_xlsx(tmp_path / "d.xlsx", rows), SYSTEM)
    [err] = by_severity(data, "error")
    assert err.cell == "G1" and err.code == "indicator_column_twice"
    assert err.params == {"indicator": "gdp", "first": "C1"}


def test_two_city_columns_is_an_error(tmp_path):
    rows = [[*r, r[0]] for r in simple_rows()]
    rows[0][-1] = "地区"
    data = read_data(write_xlsx(tmp_path / "d.xlsx", rows), SYSTEM)
    [err] = by_severity(data, "error")
    assert err.cell == "G1" and err.code == "key_column_twice" and err.params["refs"] == "A1, G1"


def test_duplicate_city_year_names_both_cells(tmp_path):
    rows = [*simple_rows(), ["北京", "2019年", 1, 2, 3, 4]]
    data = read_data(write_xlsx(tmp_path / "dup.xlsx", rows), SYSTEM)
    [err] = by_severity(data, "error")
    assert err.cell == "A6" and err.sheet == "数据"
    assert err.code == "duplicate_city_year"
    assert err.params == {"label": "北京, 2019", "first": "A2", "second": "A6"}
    pd.testing.assert_frame_equal(data.panel, EXPECTED)


def test_unreadable_values_are_located(tmp_path):
    rows = simple_rows({(1, 5): "abc", (3, 2): "inf", (4, 4): True})
    data = read_data(write_xlsx(tmp_path / "bad.xlsx", rows), SYSTEM)
    errors = by_severity(data, "error")
    assert [(p.sheet, p.cell, p.column, p.value) for p in errors] == [
        ("数据", "F2", "PM2.5年均浓度", "abc"),
        ("数据", "C4", "地区生产总值", "inf"),
        ("数据", "E5", "建成区绿化覆盖率", "TRUE"),
    ]
    assert "bad.xlsx 数据!F2 [PM2.5年均浓度]" in str(errors[0])
    assert [(e.code, e.params["label"], e.params["error"]) for e in errors[:2]] == [
        ("value_unreadable", "pm25 (PM2.5年均浓度)", "not a number"),
        ("value_unreadable", "gdp (地区生产总值)", "not a finite number"),
    ]
    assert errors[0].render("zh") == "指标 pm25 (PM2.5年均浓度)：不是数值"
    assert (
        data.cells.set_index(["city", "year", "indicator"]).loc[("北京", 2019, "pm25"), "status"]
        == "invalid"
    )


def test_csv_locations_count_lines_of_quoted_multiline_cells(tmp_path):
    rows = [["说明：第一行\n第二行"], *simple_rows({(2, 3): "x"})]
    data = read_data(write_csv(tmp_path / "ml.csv", rows), SYSTEM)
    [err] = by_severity(data, "error")
    assert err.cell == "line 5, column 4" and err.sheet is None
    assert str(err).startswith("error: ml.csv line 5, column 4 [常住人口]: value 'x'")


def test_rows_without_city_or_with_bad_year(tmp_path):
    rows = [
        *simple_rows(),
        [None, 2021, 1, 2, 3, 4],
        ["上海", "2021.5", 1, 2, 3, 4],
        ["上海", None, 1, 2, 3, 4],
        ["上海", "1800", 1, 2, 3, 4],
    ]
    data = read_data(write_csv(tmp_path / "k.csv", rows), SYSTEM)
    assert [(p.cell, p.message) for p in by_severity(data, "error")] == [
        ("line 6, column 1", "city is blank but the row has values"),
        ("line 7, column 2", "year must be a whole number"),
        ("line 8, column 2", "year is blank"),
        ("line 9, column 2", "implausible year (outside 1900–2200)"),
    ]
    pd.testing.assert_frame_equal(data.panel, EXPECTED)


def test_stray_values_in_unheaded_column_warn(tmp_path):
    rows = [[*r, None] for r in simple_rows()]
    rows[2][6] = "备注"
    rows.insert(3, [None] * 6 + ["孤立"])
    data = read_data(write_xlsx(tmp_path / "s.xlsx", rows), SYSTEM)
    [warn] = by_severity(data, "warning")
    assert warn.cell == "G3" and warn.value == "备注"
    pd.testing.assert_frame_equal(data.panel, EXPECTED)


def test_percent_and_magnitude_words_against_units(tmp_path):
    rows = simple_rows({(1, 2): "3.5万", (1, 3): "21%", (2, 4): "48%"})
    data = read_data(write_xlsx(tmp_path / "p.xlsx", rows), SYSTEM)
    warned = {p.cell: p.message for p in by_severity(data, "warning")}
    assert set(warned) == {"C2", "D2"}
    assert "35000.0" in warned["C2"] and "'亿元'" in warned["C2"]
    assert "written with %" in warned["D2"] and "'万人'" in warned["D2"]
    assert data.panel.loc[("北京", 2019), "gdp"] == 35000.0
    assert data.panel.loc[("北京", 2020), "green"] == 48.0


def test_excel_error_cells_are_not_blank(tmp_path):
    rows = simple_rows({(2, 3): "#DIV/0!", (3, 5): "#N/A"})
    path = write_xlsx(tmp_path / "e.xlsx", rows)
    ws = openpyxl.load_workbook(path)["数据"]
    assert ws["D3"].data_type == "e"
    data = read_data(path, SYSTEM)
    errors = by_severity(data, "error")
    assert [(e.cell, e.value) for e in errors] == [("D3", "#DIV/0!"), ("F4", "#N/A")]
    assert all("error value of a formula" in e.message for e in errors)


def test_openpyxl_fallback_reads_the_same(tmp_path, monkeypatch):
    import python_calamine

    path = write_xlsx(tmp_path / "fb.xlsx", WIDE_ROWS)
    expected = read_data(path, SYSTEM)

    def broken(*args, **kwargs):
        raise python_calamine.CalamineError("simulated failure")

    monkeypatch.setattr(python_calamine.CalamineWorkbook, "from_filelike", broken)
    data = read_data(path, SYSTEM)
    pd.testing.assert_frame_equal(data.panel, expected.panel)
    assert [str(p) for p in data.problems] == [str(p) for p in expected.problems]


def test_merged_city_cells_in_long_layout(tmp_path):
    rows = [["城市", "年份", "指标", "数值"]]
    for city, year, *vals in [tuple(r) for r in EXPECTED.reset_index().itertuples(index=False)]:
        rows += [[city, year, ind, v] for ind, v in zip(IDS, vals, strict=True)]
    for i in range(1, len(rows)):
        if (i - 1) % 8:
            rows[i][0] = None
    path = write_xlsx(tmp_path / "merged.xlsx", rows)
    wb = openpyxl.load_workbook(path)
    wb["数据"].merge_cells("A2:A9")
    wb["数据"].merge_cells("A10:A17")
    wb.save(path)
    data = read_data(path, SYSTEM)
    pd.testing.assert_frame_equal(data.panel, EXPECTED)
    assert [p.message for p in by_severity(data, "info")] == [
        "merged cells A2:A9: the value is read in each of their rows",
        "merged cells A10:A17: the value is read in each of their rows",
    ]


def test_long_layout_problems(tmp_path):
    rows = [
        ["city", "year", "indicator", "value", "note", "来源说明"],
        ["北京", 2019, "gdp", 1, "x", ""],
        ["北京", 2019, "gdp", 2, "", ""],
        ["北京", 2019, "foo", 3, "", ""],
        ["北京", 2019, "foo", 4, "", ""],
        ["北京", 2019, "green", "n.a.", "", ""],
        ["北京", 2019, "", 5, "", ""],
        ["北京", 2020, "pop", 6, "", ""],
    ]
    data = read_data(write_csv(tmp_path / "l.csv", rows), SYSTEM)
    warned = by_severity(data, "warning")
    assert [(p.cell, p.value) for p in warned] == [
        ("line 1, column 6", None),
        ("line 4, column 3", "foo"),
    ]
    assert "its 2 row(s) are not read" in warned[1].message
    errors = by_severity(data, "error")
    assert [p.cell for p in errors] == [
        "line 7, column 3",
        "line 3, column 3",
        None,
        "line 6, column 4",
    ]
    assert [e.code for e in errors] == [
        "indicator_blank",
        "duplicate_city_year_indicator",
        "indicators_absent_long",
        "value_unreadable",
    ]
    assert errors[1].params == {
        "label": "北京, 2019, gdp",
        "first": "line 2, column 3",
        "second": "line 3, column 3",
    }
    assert (errors[2].params["n"], errors[2].params["system"]) == (1, "test system")
    assert errors[3].params["label"] == "green (建成区绿化覆盖率)"
    assert data.panel.columns.tolist() == ["gdp", "pop", "green"]
    assert data.panel.loc[("北京", 2019), "gdp"] == 1.0


def test_long_layout_absent_rows_are_missing_without_a_cell(tmp_path):
    rows = [["city", "year", "indicator", "value"]]
    rows += [["a", 2019, i, 1] for i in IDS] + [["a", 2020, i, 2] for i in IDS[:3]]
    data = read_data(write_csv(tmp_path / "l.csv", rows), SYSTEM)
    _, problems = apply_missing(data, "error")
    [err] = problems
    assert err.cell is None and err.code == "value_absent" and err.params["place"] == "a 2020"


def test_sheet_argument_and_sheet_errors(tmp_path):
    path = write_xlsx(tmp_path / "s.xlsx", simple_rows(), before=[("封面", [["封面"]])])
    assert read_data(path, SYSTEM, sheet="数据").sheet == "数据"
    with pytest.raises(InputError, match="no sheet '其他'; the workbook has: 封面, 数据"):
        read_data(path, SYSTEM, sheet="其他")
    with pytest.raises(InputError, match="sheet '封面' has no header row"):
        read_data(path, SYSTEM, sheet="封面")
    empty = write_xlsx(tmp_path / "e.xlsx", [["x"]], before=[("指标体系", simple_rows())])
    with pytest.raises(
        InputError, match=r"no sheet has a header row .* sheets in the workbook: 指标体系, 数据"
    ):
        read_data(empty, SYSTEM)
    with pytest.raises(ConfigError, match="Excel files only"):
        read_data(write_csv(tmp_path / "c.csv", simple_rows()), SYSTEM, sheet="数据")


def test_unreadable_files(tmp_path):
    with pytest.raises(InputError, match="file not found"):
        read_data(tmp_path / "nope.xlsx", SYSTEM)
    (tmp_path / "x.json").write_text("{}")
    with pytest.raises(InputError, match="unsupported file type"):
        read_data(tmp_path / "x.json", SYSTEM)
    (tmp_path / "bad.xlsx").write_bytes(b"not a zip file")
    with pytest.raises(InputError, match="cannot be read as an Excel workbook"):
        read_data(tmp_path / "bad.xlsx", SYSTEM)
    (tmp_path / "nokeys.csv").write_text("a,b\n1,2\n")
    with pytest.raises(InputError, match="has no header row"):
        read_data(tmp_path / "nokeys.csv", SYSTEM)
    (tmp_path / "bin.csv").write_bytes(bytes([0x81, 0x30, 0xFF, 0xFF]))
    with pytest.raises(InputError, match="cannot decode"):
        read_data(tmp_path / "bin.csv", SYSTEM)


@pytest.mark.parametrize("kind", ["xlsx", "csv"])
def test_input_bytes_unchanged(tmp_path, kind):
    path = (
        write_xlsx(tmp_path / "in.xlsx", WIDE_ROWS)
        if kind == "xlsx"
        else write_csv(tmp_path / "in.csv", WIDE_ROWS, "gbk")
    )
    os.chmod(path, 0o444)
    before, mtime = sha(path), path.stat().st_mtime_ns
    data = read_data(path, SYSTEM)
    with pytest.warns(DataWarning):
        read_panel(path, SYSTEM)
    assert sha(path) == before == data.sha256
    assert path.stat().st_mtime_ns == mtime
    assert sorted(p.name for p in tmp_path.iterdir()) == [path.name]


def test_committed_fixtures_unchanged_by_reading():
    for name in ("wide_utf8.csv", "wide_gbk.csv", "wide_utf16.csv", "long_utf8.csv"):
        before = sha(DATA / name)
        assert read_data(DATA / name, SYSTEM).sha256 == before == sha(DATA / name)


@pytest.mark.parametrize("kind", ["xlsx", "csv"])
def test_two_thousand_row_wide_file(tmp_path, kind):
    rng = np.random.default_rng(1)
    n = 2000
    cities = np.repeat([f"城市{i:03d}" for i in range(200)], 10)
    years = np.tile(np.arange(2011, 2021), 200)
    values = rng.lognormal(2, 1.5, size=(n, 4))
    rows = [HEADER] + [[c, int(y), *v] for c, y, v in zip(cities, years, values, strict=True)]
    path = (write_xlsx if kind == "xlsx" else write_csv)(tmp_path / f"big.{kind}", rows)
    data = read_data(path, SYSTEM)
    assert data.problems == []
    assert data.panel.shape == (n, 4)
    order = np.lexsort((years, cities))
    stored = stored_values(path, n) if kind == "xlsx" else values
    np.testing.assert_array_equal(data.panel.to_numpy(), stored[order])


def test_read_panel_raises_with_every_error(tmp_path):
    rows = [*simple_rows({(1, 5): "abc", (3, 2): "—"}), ["北京", 2019, 1, 2, 3, 4]]
    rows[0][4] = "绿化"
    with pytest.raises(InputError) as info:
        read_panel(write_xlsx(tmp_path / "r.xlsx", rows), SYSTEM)
    errors = [p for p in info.value.problems if p.severity == "error"]
    assert [p.cell for p in errors] == ["A6", None, "F2", "C4"]
    assert info.value.problems[: len(errors)] == errors
    assert "数据!F2" in str(info.value) and "数据!C4" in str(info.value)
    assert "r.xlsx: 4 error(s)" in str(info.value)


def test_read_panel_warns_once_and_returns_the_panel():
    with pytest.warns(DataWarning) as record:
        panel = read_panel(DATA / "wide_gbk.csv", SYSTEM)
    assert len(record) == 1
    assert "3 warning(s), 2 note(s)" in str(record[0].message)
    pd.testing.assert_frame_equal(panel, EXPECTED)


def test_read_panel_without_warnings_is_silent(tmp_path):
    rows = [*simple_rows(), ["注：无。"]]
    panel = read_panel(write_xlsx(tmp_path / "ok.xlsx", rows), SYSTEM)
    pd.testing.assert_frame_equal(panel, EXPECTED)


def test_read_panel_rejects_unknown_policy():
    with pytest.raises(ConfigError) as err:
        read_panel(DATA / "wide_utf8.csv", SYSTEM, missing="fill")
    assert err.value.code == "missing_policy_unknown" and err.value.params["missing"] == "'fill'"


def test_the_parquet_reader_checks_the_policy_with_the_same_check(tmp_path):
    from coordeval.io.parquet import read_parquet_panel

    with pytest.raises(ConfigError) as err:
        read_parquet_panel(tmp_path / "p.parquet", SYSTEM, missing="fill")
    assert err.value.code == "missing_policy_unknown"


def gap_rows() -> list[list]:
    """City A: 2015=10, 2016 missing, 2018=40 (no 2017 row); B: 2015 missing; C: one year."""
    return [
        list(HEADER),
        ["A", 2015, 10, 1, 1, 1],
        ["A", 2016, "—", 1, 1, 1],
        ["A", 2018, 40, 1, 1, 1],
        ["B", 2015, "…", 2, 2, 2],
        ["B", 2016, 5, 2, 2, 2],
        ["C", 2015, 3, 3, 3, "/"],
    ]


def test_missing_error_policy_locates_each_missing_cell(tmp_path):
    data = read_data(write_xlsx(tmp_path / "g.xlsx", gap_rows()), SYSTEM)
    panel, problems = apply_missing(data, "error")
    assert [(p.cell, p.value, p.severity) for p in problems] == [
        ("C3", "—", "error"),
        ("C5", "…", "error"),
        ("F7", "/", "error"),
    ]
    assert [p.code for p in problems] == ["value_missing"] * 3
    assert (problems[0].params["label"], problems[0].params["place"]) == (
        "gdp (地区生产总值)",
        "A 2016",
    )
    assert problems[1].params["ellipsis_en"] and not problems[0].params["ellipsis_en"]
    pd.testing.assert_frame_equal(panel, data.panel)


def test_missing_drop_policy(tmp_path):
    data = read_data(write_xlsx(tmp_path / "g.xlsx", gap_rows()), SYSTEM)
    panel, problems = apply_missing(data, "drop")
    assert panel.index.tolist() == [("A", 2015), ("A", 2018), ("B", 2016)]
    assert [(p.cell, p.severity) for p in problems] == [
        ("C3", "warning"),
        ("C5", "warning"),
        ("F7", "warning"),
    ]
    assert problems[0].code == "row_dropped"
    assert (problems[0].params["city"], problems[0].params["year"]) == ("A", 2016)
    with pytest.warns(DataWarning, match="3 warning"):
        read_panel(tmp_path / "g.xlsx", SYSTEM, missing="drop")


def test_missing_interpolate_policy_hand_computed(tmp_path):
    """Linear in the year: 2016 lies 1/3 of the way from 2015 (10) to 2018 (40) → 20."""
    data = read_data(write_xlsx(tmp_path / "g.xlsx", gap_rows()), SYSTEM)
    panel, problems = apply_missing(data, "interpolate")
    assert panel.loc[("A", 2016), "gdp"] == 20.0
    info = [p for p in problems if p.severity == "info"]
    assert [(p.cell, p.value) for p in info] == [("C3", "—")]
    assert info[0].code == "value_interpolated"
    assert {k: info[0].params[k] for k in ("value", "year0", "value0", "year1", "value1")} == {
        "value": "20.0",
        "year0": "2015",
        "value0": "10.0",
        "year1": "2018",
        "value1": "40.0",
    }
    errors = [p for p in problems if p.severity == "error"]
    assert [p.cell for p in errors] == ["C5", "F7"]
    assert errors[0].code == "value_not_interpolable"
    with pytest.raises(InputError, match="cannot be interpolated"):
        read_panel(tmp_path / "g.xlsx", SYSTEM, missing="interpolate")


def test_interpolate_policy_fills_and_warns(tmp_path):
    rows = gap_rows()[:4]
    data = read_data(write_xlsx(tmp_path / "g.xlsx", rows), SYSTEM)
    with pytest.warns(DataWarning, match="1 note"):
        panel = read_panel(tmp_path / "g.xlsx", SYSTEM, missing="interpolate")
    assert panel.loc[("A", 2016), "gdp"] == 20.0
    assert not panel.isna().any().any()
    assert data.panel.loc[("A", 2016), "gdp"] != data.panel.loc[("A", 2016), "gdp"]


def test_invalid_cells_are_not_interpolated_or_reported_twice(tmp_path):
    rows = gap_rows()[:4]
    rows[2][2] = "abc"
    data = read_data(write_xlsx(tmp_path / "g.xlsx", rows), SYSTEM)
    for policy in ("error", "interpolate"):
        panel, problems = apply_missing(data, policy)
        assert problems == []
        assert np.isnan(panel.loc[("A", 2016), "gdp"])


@pytest.mark.parametrize("seed", range(5))
def test_interpolate_years_matches_pandas_per_city(seed):
    """Oracle: pandas interpolate(method="index", limit_area="inside") on each city."""
    rng = np.random.default_rng(seed)
    pieces = []
    for c in range(6):
        years = np.sort(rng.choice(np.arange(2000, 2025), size=rng.integers(1, 9), replace=False))
        idx = pd.MultiIndex.from_arrays(
            [pd.Index([f"c{c}"] * len(years), dtype="str"), pd.Index(years, dtype="int64")],
            names=["city", "year"],
        )
        pieces.append(
            pd.DataFrame(rng.normal(size=(len(years), 3)), index=idx, columns=list("xyz"))
        )
    panel = pd.concat(pieces)
    panel = panel.mask(rng.random(panel.shape) < 0.35)
    filled, source = interpolate_years(panel)
    expected = pd.concat(
        g.droplevel("city").interpolate(method="index", limit_area="inside").set_axis(g.index)
        for _, g in panel.groupby(level="city")
    )
    pd.testing.assert_frame_equal(filled, expected, rtol=1e-12, atol=1e-12)
    assert len(source) == int(panel.isna().sum().sum() - filled.isna().sum().sum())


def test_check_nonnegative_locates_negative_values(tmp_path):
    rows = simple_rows({(2, 5): -3, (4, 3): "-0.5", (1, 2): 0})
    data = read_data(write_xlsx(tmp_path / "n.xlsx", rows), SYSTEM)
    problems = check_nonnegative(data)
    assert [(p.cell, p.value, p.column) for p in problems] == [
        ("F3", "-3", "PM2.5年均浓度"),
        ("D5", "-0.5", "常住人口"),
    ]
    assert problems[0].code == "value_negative"
    assert {k: problems[0].params[k] for k in ("label", "x", "city", "year")} == {
        "label": "pm25 (PM2.5年均浓度)",
        "x": "-3.0",
        "city": "北京",
        "year": 2020,
    }
    assert check_nonnegative(read_data(DATA / "wide_utf8.csv", SYSTEM)) == []


def test_problems_at_locates_arbitrary_values():
    data = read_data(DATA / "wide_utf8.csv", SYSTEM)
    where = pd.DataFrame(
        {"city": ["天津"], "year": [2020], "indicator": ["green"], "message": ["constant"]}
    )
    [p] = data.problems_at(where, severity="warning")
    assert (p.cell, p.column, p.value, p.severity) == (
        "line 8, column 5",
        "建成区绿化覆盖率",
        "37.6 左右",
        "warning",
    )


def test_cell_references_match_openpyxl_column_letters():
    """Excel references for every column up to XFD (16,384), against openpyxl's
    ``get_column_letter`` as an independent oracle; CSV locations are lines and fields."""
    from openpyxl.utils import get_column_letter

    from coordeval.io._grid import _refs

    cols = np.arange(16384)
    rows = np.arange(16384) * 61 % 1_048_576
    expected = [f"{get_column_letter(c + 1)}{r + 1}" for r, c in zip(rows, cols, strict=True)]
    assert _refs(rows, cols, None).tolist() == expected
    assert _refs([0, 2], 5, np.array([1, 2, 7])).tolist() == [
        "line 1, column 6",
        "line 7, column 6",
    ]
    assert _refs([], [], None).tolist() == []


def test_cells_are_made_on_first_access_from_the_cells_as_written(tmp_path):
    """``PanelData.cells`` (made lazily) holds each value's reference and its text as the
    sheet shows it; the indicator columns start at AB, past the one-letter columns."""
    extra = [f"备注{i}" for i in range(26)]
    rows = [
        ["城市", "年份", *extra, *HEADER[2:]],
        ["北京", 2019, *[None] * 26, 12134.0, 0.1, "约48", 1e20],
        ["北京", 2020, *[None] * 26, 35371.3, -0.0, "37.6 左右", "—"],
    ]
    path = write_xlsx(tmp_path / "wide.xlsx", rows)
    data = read_data(path, SYSTEM)
    assert "_cells" in vars(data) and callable(vars(data)["_cells"])  # not made yet
    cells = data.cells
    assert data.cells is cells  # made once
    ws = openpyxl.load_workbook(path)["数据"]
    expected = {
        ("北京", 2019, "gdp"): (ws.cell(2, 29).coordinate, "12134", "exact"),
        ("北京", 2019, "pop"): (ws.cell(2, 30).coordinate, "0.1", "exact"),
        ("北京", 2019, "green"): (ws.cell(2, 31).coordinate, "约48", "approx"),
        ("北京", 2019, "pm25"): (ws.cell(2, 32).coordinate, "1e+20", "exact"),
        ("北京", 2020, "gdp"): (ws.cell(3, 29).coordinate, "35371.3", "exact"),
        ("北京", 2020, "pop"): (ws.cell(3, 30).coordinate, "-0", "exact"),
        ("北京", 2020, "green"): (ws.cell(3, 31).coordinate, "37.6 左右", "approx"),
        ("北京", 2020, "pm25"): (ws.cell(3, 32).coordinate, "—", "missing"),
    }
    got = {(r.city, r.year, r.indicator): (r.cell, r.raw, r.status) for r in cells.itertuples()}
    assert got == expected
    assert expected[("北京", 2019, "gdp")][0] == "AC2"
    assert cells.dtypes.astype(str).tolist() == ["str", "int64", "str", "str", "str", "str", "str"]
    assert data.qualifiers.dtypes.astype(str).tolist() == ["str", "int64", *["str"] * 4]
    quals = data.qualifiers.set_index("indicator")
    assert quals.loc["green", "cell"].tolist() == ["AE2", "AE3"]
    assert quals.loc["green", "raw"].tolist() == ["约48", "37.6 左右"]


def test_non_finite_number_cell_is_reported_with_its_text(tmp_path):
    """A numeric cell holding ``inf`` (``<v>inf</v>``, which Excel never writes but other
    programs can) is an error whose value is the cell's text, though the text of numbers is
    otherwise made only when ``cells`` is read."""
    import zipfile

    path = write_xlsx(tmp_path / "ok.xlsx", simple_rows())
    bad = tmp_path / "inf.xlsx"
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(bad, "w") as dst:
        for info in src.infolist():
            part = src.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                assert b'<c r="C2" t="n"><v>35371.3</v>' in part
                part = part.replace(
                    b'<c r="C2" t="n"><v>35371.3</v>', b'<c r="C2" t="n"><v>inf</v>'
                )
            dst.writestr(info, part)
    data = read_data(bad, SYSTEM)
    [error] = data.errors
    assert (error.cell, error.value, error.message) == (
        "C2",
        "inf",
        "gdp (地区生产总值): not a finite number",
    )
    first = data.cells.iloc[0]
    assert (first["cell"], first["raw"], first["status"]) == ("C2", "inf", "invalid")


def test_cells_of_a_table_without_rows_have_the_same_dtypes():
    """A header without data rows gives empty ``cells`` and ``qualifiers`` frames with the
    same columns and dtypes as a full read, and ``cells`` can be replaced."""
    data = read_data(DATA / "bad" / "header_only.xlsx", DATA / "bad" / "system.toml")
    assert data.cells.empty and data.qualifiers.empty
    assert data.cells.dtypes.astype(str).tolist() == ["str", "int64", *["str"] * 5]
    assert data.qualifiers.dtypes.astype(str).tolist() == ["str", "int64", *["str"] * 4]
    other = data.cells.assign(raw="x")
    data.cells = other
    assert data.cells is other
