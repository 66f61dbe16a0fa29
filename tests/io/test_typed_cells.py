"""Cells read as the person typed them: decimal commas, unquoted separators, percent formats,
error values and uncached formulas in keys, total rows, hidden sheets, foreign encodings and
control characters (coordeval.io.read, coordeval.io.cells).

Every file is written by the test from hand-typed values, so each expected number is known.
"""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest
from typer.testing import CliRunner

from coordeval.cli import app
from coordeval.errors import InputError
from coordeval.io.read import read_data
from coordeval.system import system_from_dict


def _ind(i: str, zh: str, unit: str, d: str) -> dict:
    return {"id": i, "name_zh": zh, "name_en": i, "unit": unit, "direction": d}


SYSTEM = system_from_dict(
    {
        "name": "typed",
        "subsystems": [
            {
                "id": "economy",
                "name_zh": "经济",
                "name_en": "Economy",
                "indicators": [
                    _ind("gdp", "地区生产总值", "亿元", "+"),
                    _ind("unemployment", "城镇登记失业率", "%", "-"),
                ],
            },
            {
                "id": "ecology",
                "name_zh": "生态",
                "name_en": "Ecology",
                "indicators": [_ind("green", "建成区绿化覆盖率", "%", "+")],
            },
        ],
    }
)
HEADER = ["城市", "年份", "地区生产总值", "城镇登记失业率", "建成区绿化覆盖率"]
ROWS = [
    ["甲市", 2020, 1200.5, 3.1, 40.2],
    ["乙市", 2020, 980.25, 2.9, 38.1],
    ["丙市", 2020, 1500.75, 3.3, 42.0],
    ["甲市", 2021, 1300.5, 3.0, 41.2],
    ["乙市", 2021, 1000.25, 2.8, 39.1],
    ["丙市", 2021, 1600.75, 3.2, 43.0],
]


def csv_text(rows: list[list], header: list[str] = HEADER) -> str:
    return "\n".join(",".join(map(str, r)) for r in [header, *rows]) + "\n"


def write(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.write_bytes(text.encode(encoding))
    return path


def errors(data) -> list:
    return [p for p in data.problems if p.severity == "error"]


def warnings_of(data) -> list:
    return [p for p in data.problems if p.severity == "warning"]


def test_quoted_decimal_commas_are_read_from_the_whole_column(tmp_path):
    rows = [[c, y, f'"{str(g).replace(".", ",")}"', u, v] for c, y, g, u, v in ROWS]
    rows[1][2] = '"0,250"'  # cannot be a thousands separator
    data = read_data(write(tmp_path / "d.csv", csv_text(rows)), SYSTEM)
    assert not errors(data)
    assert data.panel.loc[("乙市", 2020), "gdp"] == 0.25
    assert data.panel.loc[("甲市", 2020), "gdp"] == 1200.5
    [w] = [p for p in warnings_of(data) if p.code == "decimal_comma_column"]
    assert w.column == "地区生产总值" and w.params["n"] == 6


def test_decimal_commas_next_to_thousands_separators_are_refused(tmp_path):
    rows = [[c, y, g, u, v] for c, y, g, u, v in ROWS]
    rows[0][2] = '"1,234,567"'
    rows[1][2] = '"0,250"'
    data = read_data(write(tmp_path / "d.csv", csv_text(rows)), SYSTEM)
    [e] = errors(data)
    assert e.cell == "line 3, column 3" and e.value == "0,250"
    assert e.code == "decimal_comma_ambiguous"


def test_plain_thousands_separators_still_read(tmp_path):
    rows = [[c, y, g, u, v] for c, y, g, u, v in ROWS]
    rows[0][2] = '"1,234"'
    data = read_data(write(tmp_path / "d.csv", csv_text(rows)), SYSTEM)
    assert not errors(data) and data.panel.loc[("甲市", 2020), "gdp"] == 1234.0


@pytest.mark.parametrize("typed", ["1,200", "0,25"])
def test_an_unquoted_comma_in_a_number_is_an_error_not_a_shift(tmp_path, typed):
    rows = [[c, y, g, u, v] for c, y, g, u, v in ROWS]
    rows[2][2] = typed
    data = read_data(write(tmp_path / "d.csv", csv_text(rows)), SYSTEM)
    [e] = errors(data)
    assert e.cell == "line 4, column 6" and e.code == "csv_row_too_long"
    assert e.params == {"n": 6, "width": 5}


def xlsx(path: Path, rows: list[list], **sheets) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "数据"
    ws.append(HEADER)
    for r in rows:
        ws.append(r)
    for name, (state, extra) in sheets.items():
        other = wb.create_sheet(name)
        other.append(HEADER)
        for r in extra:
            other.append(r)
        other.sheet_state = state
    wb.save(path)
    return path


def test_percent_formatted_cells_are_brought_to_the_column_unit(tmp_path):
    path = xlsx(tmp_path / "p.xlsx", ROWS)
    wb = openpyxl.load_workbook(path)
    ws = wb["数据"]
    for ref, stored in (("D3", 0.029), ("D4", 0.033)):
        ws[ref].value = stored
        ws[ref].number_format = "0.0%"
    ws["E2"].value = 0.402
    ws["E2"].number_format = '0.0"%"'  # a quoted % is text in the format, not a percent
    wb.save(path)
    data = read_data(path, SYSTEM)
    assert data.panel.loc[("乙市", 2020), "unemployment"] == 2.9
    assert data.panel.loc[("丙市", 2020), "unemployment"] == 3.3
    assert data.panel.loc[("甲市", 2020), "green"] == 0.402
    [w] = [p for p in warnings_of(data) if p.code == "percent_cells"]
    assert w.cell == "D3" and (w.params["n"], w.params["shown"]) == (2, "2.9%")
    assert w.params["stored"] == pytest.approx(0.029)


@pytest.mark.parametrize(
    ("value", "needle"),
    [("#N/A", "error value of a formula"), ("=A2", "formula without a cached value")],
)
def test_error_values_and_uncached_formulas_in_keys_are_errors(tmp_path, value, needle):
    path = xlsx(tmp_path / "k.xlsx", ROWS)
    wb = openpyxl.load_workbook(path)
    wb["数据"]["A3"] = value
    wb.save(path)
    data = read_data(path, SYSTEM)
    [e] = errors(data)
    assert e.cell == "A3" and e.code in ("city_error_value", "city_formula_no_value")
    assert needle in e.message


def test_error_text_in_a_csv_key_is_an_error(tmp_path):
    rows = [list(r) for r in ROWS]
    rows[0][0] = "#REF!"
    data = read_data(write(tmp_path / "k.csv", csv_text(rows)), SYSTEM)
    [e] = errors(data)
    assert e.value == "#REF!" and e.code == "city_error_value"


@pytest.mark.parametrize(
    "label", ["合计", "总计", "全市", "全省", "长三角城市群", "Total", "平均值"]
)
def test_total_rows_are_left_out_with_a_warning(tmp_path, label):
    rows = [*ROWS, [label, 2020, 3681.5, 3.1, 40.1]]
    data = read_data(write(tmp_path / "t.csv", csv_text(rows)), SYSTEM)
    assert not errors(data)
    assert label not in data.panel.index.get_level_values("city")
    [w] = [p for p in warnings_of(data) if p.code == "total_row"]
    assert w.value == label and w.cell == "line 8, column 1"


def test_hidden_sheet_is_not_chosen_over_a_visible_one(tmp_path):
    doubled = [[c, y, g * 2, u, v] for c, y, g, u, v in ROWS]
    path = xlsx(tmp_path / "h.xlsx", ROWS, 可见=("visible", doubled))
    wb = openpyxl.load_workbook(path)
    wb["数据"].sheet_state = "hidden"
    wb.save(path)
    data = read_data(path, SYSTEM)
    assert data.sheet == "可见"
    assert data.panel.loc[("甲市", 2020), "gdp"] == 2401.0
    [note] = [p for p in warnings_of(data) if p.code == "other_sheets_not_read"]
    assert note.params["note_en"] == " ('数据' hidden)" and note.params["sheet"] == "可见"


def test_a_hidden_sheet_read_alone_is_named(tmp_path):
    path = xlsx(tmp_path / "h.xlsx", ROWS)
    wb = openpyxl.load_workbook(path)
    wb.create_sheet("说明")
    wb["数据"].sheet_state = "hidden"
    wb.save(path)
    data = read_data(path, SYSTEM)
    assert data.sheet == "数据"
    [note] = [p for p in warnings_of(data) if p.code == "sheet_hidden_read"]
    assert note.params["sheet"] == "数据"
    assert note.render("zh").startswith("工作表 '数据' 在 Excel 中为隐藏状态")


@pytest.mark.parametrize(
    ("encoding", "cities", "name"),
    [
        ("big5", ["臺北市", "高雄市", "新竹縣"], "Big5"),
        ("shift_jis", ["東京都", "大阪府", "さいたま市"], "Shift-JIS"),
        ("euc_kr", ["서울특별시", "부산광역시", "대구광역시"], "EUC-KR"),
    ],
)
def test_foreign_encodings_are_refused_naming_the_encoding(tmp_path, encoding, cities, name):
    header = ["city", "year", "gdp", "unemployment", "green"]
    rows = [[cities[k % 3], 2020 + k // 3, 1 + k, 2, 3] for k in range(6)]
    path = write(tmp_path / "e.csv", csv_text(rows, header), encoding)
    with pytest.raises(InputError, match=f"looks like {name}"):
        read_data(path, SYSTEM)


def test_gbk_with_traditional_characters_is_still_read(tmp_path):
    header = ["城市", "年份", "地区生产总值", "城镇登记失业率", "建成区绿化覆盖率"]
    rows = [[c.replace("甲市", "臺北市"), *r] for c, *r in ROWS]
    data = read_data(write(tmp_path / "g.csv", csv_text(rows, header), "gbk"), SYSTEM)
    assert not errors(data) and "臺北市" in data.panel.index.get_level_values("city")


def test_control_characters_in_a_city_name_are_a_located_error(tmp_path):
    rows = [list(r) for r in ROWS]
    rows[0][0] = "甲市\x07"
    path = write(tmp_path / "c.csv", csv_text(rows))
    res = CliRunner().invoke(app, ["validate", str(path), "--system", str(write_system(tmp_path))])
    assert res.exit_code == 1 and "Traceback" not in res.output
    assert "甲市<U+0007>" in res.output and "control character" in res.output


def write_system(tmp_path: Path) -> Path:
    import json

    p = tmp_path / "s.toml"
    lines = ['name = "typed"']
    for sub in SYSTEM.content()["subsystems"]:
        lines += ["[[subsystems]]", f'id = "{sub["id"]}"', f'name_zh = "{sub["name_zh"]}"']
        lines += [f'name_en = "{sub["name_en"]}"']
        for ind in sub["indicators"]:
            lines.append("[[subsystems.indicators]]")
            lines += [f"{k} = {json.dumps(ind[k], ensure_ascii=False)}" for k in _IND_KEYS]
    p.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return p


_IND_KEYS = ("id", "name_zh", "name_en", "unit", "direction")


def test_the_fast_path_for_plain_numbers_equals_the_full_parser():
    """Plain decimal text is converted by Arrow; the full parser (regex + Python float) is the
    oracle, on numbers of every magnitude, sign, precision and exponent form."""
    import numpy as np
    import pandas as pd

    from coordeval.io.cells import _parse_text_cells, _types, parse_values

    rng = np.random.default_rng(5)
    x = rng.standard_normal(3000) * 10.0 ** rng.integers(-30, 30, 3000)
    texts = [repr(v) for v in x] + [f"{v:.3f}" for v in x[:500]] + [f"{v:e}" for v in x[:500]]
    texts += ["0", "-0", "007", "1.", ".5", "+3", "1e99", "123456789012345678901", "1e5", "2019"]
    values = pd.Series(texts, dtype=object)
    fast = parse_values(values)
    slow = _parse_text_cells(values, _types(values))
    np.testing.assert_array_equal(fast.value.to_numpy(), slow.value.to_numpy())
    assert np.array_equal(np.signbit(fast.value), np.signbit(slow.value))
    assert fast.qualifier.tolist() == slow.qualifier.tolist()
    assert fast.raw.tolist() == slow.raw.astype(object).tolist()


def test_control_characters_in_an_extra_header_reach_the_report_visibly(tmp_path):
    rows = [[*r, "备注"] for r in ROWS]
    header = [*HEADER, "备注\x07"]
    path = write(tmp_path / "x.csv", csv_text(rows, header))
    out = tmp_path / "r.xlsx"
    res = CliRunner().invoke(
        app, ["assess", str(path), "--system", str(write_system(tmp_path)), "-o", str(out)]
    )
    assert res.exit_code == 0, res.output
    wb = openpyxl.load_workbook(out)
    texts = [c.value for ws in wb.worksheets for row in ws.iter_rows() for c in row]
    assert any(isinstance(v, str) and "备注<U+0007>" in v for v in texts)


def test_euc_kr_bytes_decode_as_gb2312_but_are_refused(tmp_path):
    """EUC-KR's Hangul block is GB2312's block of common characters: the bytes decode
    strictly as GBK, into real but meaningless Chinese characters."""
    text = "city,year,gdp\n서울특별시,2020,1924\n부산광역시,2020,895\n"
    data = text.encode("euc_kr")
    assert data.decode("gb18030")  # decodes: a check on the decoding alone would accept it
    path = tmp_path / "k.csv"
    path.write_bytes(data)
    with pytest.raises(InputError) as err:
        read_data(path, SYSTEM)
    (problem,) = err.value.problems
    assert problem.code == "text_other_encoding" and problem.params["encoding"] == "EUC-KR (Korean)"
    assert "EUC-KR（韩文）" in problem.render("zh")


def test_gbk_names_from_the_hangul_block_are_still_read(tmp_path):
    """Chinese names whose GBK bytes all lie in EUC-KR's Hangul block are not taken for Korean."""
    header = ["城市", "年份", "地区生产总值", "城镇登记失业率", "建成区绿化覆盖率"]
    rows = [[c.replace("甲市", "北京"), *r] for c, *r in ROWS]
    data = read_data(write(tmp_path / "g.csv", csv_text(rows, header), "gbk"), SYSTEM)
    assert not errors(data) and "北京" in data.panel.index.get_level_values("city")
