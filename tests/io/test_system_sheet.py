"""Indicator systems from a 指标体系 sheet: read through the guarded reader, every cell checked
and named (coordeval.system.system_from_sheet)."""

from __future__ import annotations

import time
from pathlib import Path

import openpyxl
import pytest
from typer.testing import CliRunner

from coordeval.cli import app
from coordeval.errors import ConfigError
from coordeval.system import SHEET_COLUMNS, SYSTEM_SHEET, load_system

ROWS = [
    [
        "economy",
        "经济",
        "Economy",
        None,
        "gdp",
        "地区生产总值",
        "GDP",
        "亿元",
        "+",
        None,
        None,
        None,
    ],
    ["economy", "经济", "Economy", None, "unemp", "失业率", "Unemployment", "%", "-", None, 0, 10],
    [
        "ecology",
        "生态",
        "Ecology",
        None,
        "green",
        "绿化覆盖率",
        "Green",
        "%",
        "+",
        None,
        None,
        None,
    ],
]


def workbook(path: Path, edit=None) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = SYSTEM_SHEET
    ws.append(list(SHEET_COLUMNS[:12]))
    for r in ROWS:
        ws.append(r)
    if edit is not None:
        edit(ws)
    wb.save(path)
    return path


def test_a_clean_sheet_loads(tmp_path):
    s = load_system(workbook(tmp_path / "s.xlsx"))
    assert s.indicator_ids == ["gdp", "unemp", "green"]
    assert s.indicator("unemp").bounds == (0.0, 10.0)


@pytest.mark.parametrize(
    ("cell", "value", "needle"),
    [
        ("J2", "abc", r"s.xlsx!指标体系!J2 \(weight\): 'abc' is not a number"),
        ("D3", "heavy", r"!D3 \(subsystem_weight\): 'heavy' is not a number"),
        ("J2", "inf", r"!J2 \(weight\): 'inf' is not a finite number"),
        ("K2", 5, r"!L2 \(hi\): blank although lo is given"),
        ("L4", 5, r"!K4 \(lo\): blank although hi is given"),
        ("B2", "#N/A", r"!B2 \(subsystem_name_zh\): '#N/A' is not a value"),
        ("F3", "=1/0", r"!F3 \(name_zh\): '=1/0' is not a value"),
        ("G2", "GDP_x0007_", r"!G2 \(name_en\): the text holds a control character"),
        ("E2", "composite", "reserved"),
    ],
)
def test_every_cell_is_checked_and_named(tmp_path, cell, value, needle):
    def edit(ws):
        ws[cell] = value

    with pytest.raises(ConfigError, match=needle):
        load_system(workbook(tmp_path / "s.xlsx", edit))


def test_all_problems_are_listed_at_once(tmp_path):
    def edit(ws):
        ws["J2"] = "abc"
        ws["K4"] = 1

    with pytest.raises(ConfigError) as exc:
        load_system(workbook(tmp_path / "s.xlsx", edit))
    assert "J2" in str(exc.value) and "L4" in str(exc.value)


def test_a_far_away_cell_is_refused_before_any_engine_reads_it(tmp_path):
    def edit(ws):
        ws["XFD1048576"] = "x"

    path = workbook(tmp_path / "s.xlsx", edit)
    t0 = time.perf_counter()
    with pytest.raises(ConfigError, match="no usable sheet"):
        load_system(path)
    assert time.perf_counter() - t0 < 5


def test_cli_reports_a_bad_sheet_in_one_message(tmp_path):
    def edit(ws):
        ws["J2"] = "abc"

    path = workbook(tmp_path / "s.xlsx", edit)
    data = tmp_path / "d.csv"
    data.write_text("城市,年份,GDP\n甲,2020,1\n", encoding="utf-8")
    res = CliRunner().invoke(app, ["validate", str(data), "--system", str(path)])
    assert res.exit_code == 1 and "Traceback" not in res.output
    assert "J2 (weight): 'abc' is not a number" in " ".join(res.output.split())


def test_template_names_the_cell_of_a_text_weight(tmp_path):
    """`coordeval template --system sys.xlsx` with a word in the weight column: exit 1, the
    cell named, no traceback."""

    def edit(ws):
        ws["J2"] = "heavy"

    path = workbook(tmp_path / "sys.xlsx", edit)
    out = tmp_path / "t.xlsx"
    res = CliRunner().invoke(app, ["template", "--system", str(path), "-o", str(out)])
    assert res.exit_code == 1 and "Traceback" not in res.output
    assert "J2 (weight): 'heavy' is not a number" in " ".join(res.output.split())
    assert not out.exists()
