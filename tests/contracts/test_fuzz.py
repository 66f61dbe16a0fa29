"""Fuzzing the readers: hypothesis-generated workbooks, CSV files and damaged bytes.

Whatever the file, reading it must either succeed or raise one of coordeval's own errors
(:class:`~coordeval.errors.CoordevalError`); any other exception or warning is a bug. When a
file is read, the result must keep the reader's promises: every unreadable cell is an error
located at that cell, the panel holds only finite numbers or NaN, and the missing-value
policies and the fit checks run on it without crashing.

The number of examples per test is ``COORDEVAL_FUZZ_EXAMPLES`` (default 40, a CI budget of a
few seconds per test); set it higher for an on-demand run, e.g.
``COORDEVAL_FUZZ_EXAMPLES=2000 pytest tests/test_fuzz.py``.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
import tempfile
import warnings
import zipfile
from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from coordeval.errors import CoordevalError
from coordeval.io.read import PanelData, ReadLimits, read_data
from coordeval.io.validate import MISSING_POLICIES, apply_missing, check_fit_data
from coordeval.system import system_from_dict

EXAMPLES = int(os.environ.get("COORDEVAL_FUZZ_EXAMPLES", "40"))
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
LIMITS = ReadLimits(max_bytes=8 << 20, max_rows=5000, max_cells=200_000)

SYSTEM = system_from_dict(
    {
        "name": "fuzz",
        "subsystems": [
            {
                "id": "economy",
                "name_zh": "经济",
                "name_en": "Economy",
                "indicators": [
                    {
                        "id": "gdp",
                        "name_zh": "地区生产总值",
                        "name_en": "GDP",
                        "unit": "亿元",
                        "direction": "+",
                        "aliases": ["生产总值"],
                    },
                    {
                        "id": "pop",
                        "name_zh": "常住人口",
                        "name_en": "Population",
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
                        "name_en": "PM2.5",
                        "unit": "微克/立方米",
                        "direction": "-",
                    },
                ],
            },
        ],
    }
)

HEADERS = [
    "城市", "年份", "city", "year", "地区", "年度", "年", "指标", "数值", "indicator", "value",
    "unit", "单位", "gdp", "GDP（亿元）", "地区生产总值(亿元)", "生产总值", "pop", "常住人口(万人)",
    "green", "建成区绿化覆盖率(%)", "pm25", "PM2.5年均浓度", "note", "", "备注", "经济",
]  # fmt: skip
CITIES = ["甲", "乙", "丙", "北京", " 天津 ", "", "=SUM(A1)", "@x", "甲\n乙", "None", "1"]
YEARS = [2019, 2020, 2021.0, "2019年", "２０２０年", "2021", 1800, 2019.5, "abc", "", True]
TEXT_VALUES = [
    "12,134", "15.9万", "1.2亿", "12.5%", ">95", "≥95", "约5.5", "5.5左右", "—", "-", "…",
    "N/A", "inf", "nan", "1e400", "-0", "１２．５", "abc", "12.3.4", "#DIV/0!", "#N/A", " ",
    "注：快报数", "资料来源：年鉴", "\u00a042\u3000",
]  # fmt: skip
finite = st.floats(-1e12, 1e12, allow_nan=False, allow_infinity=False)
cell_values = st.one_of(
    st.none(),
    finite,
    st.integers(-(10**12), 10**12),
    st.sampled_from(TEXT_VALUES),
    st.sampled_from(CITIES),
    st.sampled_from(YEARS),
    st.text(max_size=12),
    st.booleans(),
    st.datetimes(min_value=dt.datetime(1950, 1, 1), max_value=dt.datetime(2100, 1, 1)),
    st.sampled_from(["=1+1", "=A2*2", '=HYPERLINK("x")']),
)


def legal_for_openpyxl(value: object) -> object:
    """openpyxl refuses control characters in text; keep the rest as drawn."""
    if isinstance(value, str):
        return "".join(ch for ch in value if ch in "\t\n\r" or ord(ch) >= 32)
    return value


@st.composite
def tables(draw) -> list[list[object]]:
    """A header (often with the key columns) over rows of cities, years and values."""
    width = draw(st.integers(1, 8))
    header = draw(st.lists(st.sampled_from(HEADERS), min_size=width, max_size=width))
    if draw(st.booleans()):
        header[:2] = draw(st.sampled_from([["城市", "年份"], ["city", "year"], ["地区", "年度"]]))
    n = draw(st.integers(0, 12))
    rows = []
    for _ in range(n):
        row = [draw(cell_values) for _ in range(width)]
        if draw(st.booleans()) and width >= 2:
            row[0] = draw(st.sampled_from(CITIES))
            row[1] = draw(st.sampled_from(YEARS))
        rows.append(row)
    title = draw(st.lists(st.lists(cell_values, max_size=3), max_size=2))
    return [*title, header, *rows]


@st.composite
def workbooks(draw) -> bytes:
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    names = draw(
        st.lists(
            st.sampled_from(["数据", "Sheet1", "说明", "指标体系", "2021", "封面", "x y"]),
            min_size=1,
            max_size=3,
            unique=True,
        )
    )
    for name in names:
        ws = wb.create_sheet(name)
        rows = draw(tables())
        for r, row in enumerate(rows, start=1):
            for c, value in enumerate(row, start=1):
                if value is not None:
                    ws.cell(row=r, column=c, value=legal_for_openpyxl(value))
        height, width = max(len(rows), 1), max((len(r) for r in rows), default=1)
        for _ in range(draw(st.integers(0, 3))):
            r0 = draw(st.integers(1, height))
            c0 = draw(st.integers(1, max(width, 1)))
            r1 = draw(st.integers(r0, min(r0 + 3, height + 1)))
            c1 = draw(st.integers(c0, min(c0 + 2, width + 1)))
            if (r1, c1) != (r0, c0):
                try:
                    ws.merge_cells(start_row=r0, start_column=c0, end_row=r1, end_column=c1)
                except ValueError:
                    pass  # overlapping merge ranges are refused by openpyxl itself
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


@st.composite
def csv_files(draw) -> bytes:
    rows = draw(tables())
    delimiter = draw(st.sampled_from([",", "\t", ";"]))
    encoding = draw(st.sampled_from(["utf-8", "utf-8-sig", "gbk", "utf-16"]))
    buf = io.StringIO()
    writer = csv.writer(
        buf, delimiter=delimiter, lineterminator=draw(st.sampled_from(["\n", "\r\n"]))
    )
    writer.writerows([["" if v is None else v for v in row] for row in rows])
    return buf.getvalue().encode(encoding, errors="replace")


def check_read(data: bytes, suffix: str) -> str:
    """Read ``data`` saved under ``suffix``; assert the reader's promises. Returns the outcome."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"fuzz{suffix}"
        path.write_bytes(data)
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            try:
                result = read_data(path, SYSTEM, limits=LIMITS)
            except CoordevalError as exc:
                assert str(exc)
                return "refused"
            check_result(result, path.name)
        assert path.read_bytes() == data
    return "read"


def check_result(data: PanelData, name: str) -> None:
    panel = data.panel
    assert panel.index.names == ["city", "year"]
    assert panel.index.is_unique and panel.index.is_monotonic_increasing
    assert list(panel.columns) == [i for i in SYSTEM.indicator_ids if i in panel.columns]
    values = panel.to_numpy(dtype=np.float64)
    assert not np.isinf(values).any()
    assert all(p.file == name for p in data.problems)
    invalid = data.cells.loc[data.cells["status"].eq("invalid"), "cell"]
    error_cells = {p.cell for p in data.errors}
    assert set(invalid) <= error_cells, "an unreadable cell without an error at that cell"
    for policy in MISSING_POLICIES:
        filled, problems = apply_missing(data, policy)
        assert isinstance(filled, pd.DataFrame)
        assert all(p.file == name for p in problems)
    check_fit_data(data)


@FUZZ
@given(book=workbooks())
def test_fuzz_generated_workbooks(book):
    check_read(book, ".xlsx")


@FUZZ
@given(text=csv_files())
def test_fuzz_generated_csv(text):
    check_read(text, ".csv")


@FUZZ
@given(junk=st.binary(max_size=2000), suffix=st.sampled_from([".csv", ".xlsx", ".xls"]))
def test_fuzz_random_bytes(junk, suffix):
    check_read(junk, suffix)


VALID = None


def valid_workbook() -> bytes:
    global VALID
    if VALID is None:
        wb = openpyxl.Workbook()
        ws = wb.active
        ws.title = "数据"
        ws.append(["城市", "年份", "地区生产总值", "常住人口", "建成区绿化覆盖率", "PM2.5年均浓度"])
        for k, city in enumerate(["甲", "乙", "丙"]):
            for year in (2019, 2020):
                ws.append([city, year, 100 + k, 50 + year % 7, 40 - k, 35 + k])
        buf = io.BytesIO()
        wb.save(buf)
        VALID = buf.getvalue()
    return VALID


@FUZZ
@given(data=st.data())
def test_fuzz_damaged_workbook_bytes(data):
    """A valid workbook truncated, or with bytes overwritten anywhere (headers, compressed
    data, the zip directory)."""
    raw = bytearray(valid_workbook())
    if data.draw(st.booleans()):
        raw = raw[: data.draw(st.integers(0, len(raw)))]
    else:
        for _ in range(data.draw(st.integers(1, 8))):
            at = data.draw(st.integers(0, len(raw) - 1))
            raw[at] = data.draw(st.integers(0, 255))
    check_read(bytes(raw), ".xlsx")


@FUZZ
@given(data=st.data())
def test_fuzz_damaged_sheet_xml(data):
    """The sheet XML of a valid workbook with text spliced in (re-zipped with good CRCs), so
    the damage reaches the XML parsers instead of stopping at the zip layer."""
    src = zipfile.ZipFile(io.BytesIO(valid_workbook()))
    part = "xl/worksheets/sheet1.xml"
    xml = src.read(part)
    at = data.draw(st.integers(0, len(xml)))
    cut = data.draw(st.integers(0, 40))
    insert = data.draw(
        st.one_of(
            st.sampled_from(
                [b"<", b">", b"&lol;", b'r="XFD1048576"', b'<c r="ZZZZ9"/>', b"<f>A1</f>",
                 b't="e"', b"<!DOCTYPE x>", b'<row r="99999999">', b"\x00", b"\xff\xfe"]
            ),
            st.binary(max_size=20),
        )
    )  # fmt: skip
    damaged = xml[:at] + insert + xml[at + cut :]
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            dst.writestr(info.filename, damaged if info.filename == part else src.read(info))
    check_read(out.getvalue(), ".xlsx")


def test_generated_files_do_get_read():
    """The strategies are not vacuous: a well-formed table among them reads to a panel."""
    rows = [
        ["城市", "年份", "地区生产总值", "常住人口", "建成区绿化覆盖率", "PM2.5年均浓度"],
        ["甲", "2019年", "12,134", "15.9万", ">95", "—"],
        ["乙", 2019, 1, 2, 3, 4],
    ]
    buf = io.StringIO()
    csv.writer(buf).writerows(rows)
    assert check_read(buf.getvalue().encode("gbk"), ".csv") == "read"
    assert check_read(valid_workbook(), ".xlsx") == "read"
