"""Regenerate the messy and hostile input corpus in ``tests/data/bad``.

Run from the project root::

    PYTHONPATH=src python tests/data/bad/make_corpus.py

Every file is derived from the reference table :data:`ROWS` (3 cities x 3 years of the system
in ``system.toml``) and damaged in one way; ``README.md`` in this folder lists what each file
is and what coordeval must answer. Two files need tools that are used here only, never by
coordeval itself: ``encrypted.xlsx`` is encrypted with ``msoffcrypto-tool`` (password
``coordeval``) and ``old.xls`` is written with ``xlwt``; when a tool is missing that file is
left as it is. Writing is deterministic (fixed timestamps in the zip members), so re-running
the script reproduces the committed bytes except for the encrypted file, whose salt is random.
"""

from __future__ import annotations

import io
import json
import sys
import zipfile
from collections.abc import Callable
from pathlib import Path

import openpyxl

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[2]
sys.path.insert(0, str(ROOT / "src"))

HEADER = [
    "城市",
    "年份",
    "地区生产总值(亿元)",
    "城镇登记失业率(%)",
    "建成区绿化覆盖率(%)",
    "PM2.5年均浓度(微克/立方米)",
]
ROWS: list[list[object]] = [
    ["甲", 2019, 100, 3.1, 40, 35],
    ["乙", 2019, 250, 2.5, 42, 30],
    ["丙", 2019, 180, 4.0, 38, 45],
    ["甲", 2020, 110, 3.3, 41, 33],
    ["乙", 2020, 260, 2.9, 43, 29],
    ["丙", 2020, 185, 3.8, 39, 40],
    ["甲", 2021, 120, 3.0, 43, 31],
    ["乙", 2021, 275, 2.7, 44, 27],
    ["丙", 2021, 190, 3.6, 40, 38],
]
SHEET = "数据"
PASSWORD = "coordeval"
_EPOCH = (2024, 1, 1, 0, 0, 0)

CORPUS: dict[str, Callable[[Path], None]] = {}


def case(name: str) -> Callable[[Callable[[Path], None]], Callable[[Path], None]]:
    """Register a writer of ``tests/data/bad/<name>``."""

    def register(fn: Callable[[Path], None]) -> Callable[[Path], None]:
        CORPUS[name] = fn
        return fn

    return register


def _normalise_zip(data: bytes) -> bytes:
    """Rewrite an .xlsx with fixed member timestamps so the bytes are reproducible."""
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            body = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                body = _fixed_core_props(body)
            dst.writestr(zipfile.ZipInfo(info.filename, _EPOCH), body, zipfile.ZIP_DEFLATED)
    return out.getvalue()


def _fixed_core_props(body: bytes) -> bytes:
    text = body.decode("utf-8")
    for tag in ("dcterms:created", "dcterms:modified"):
        start = text.find(f"<{tag}")
        if start >= 0:
            open_end = text.index(">", start) + 1
            close = text.index(f"</{tag}>", open_end)
            text = text[:open_end] + "2024-01-01T00:00:00Z" + text[close:]
    return text.encode("utf-8")


def save(wb: openpyxl.Workbook, path: Path) -> None:
    buf = io.BytesIO()
    wb.save(buf)
    path.write_bytes(_normalise_zip(buf.getvalue()))


def workbook(
    rows: list[list[object]], header: list[str] = HEADER, title: str = SHEET
) -> openpyxl.Workbook:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = title
    ws.append(header)
    for row in rows:
        ws.append(row)
    return wb


def xlsx_bytes(rows: list[list[object]] = ROWS) -> bytes:
    buf = io.BytesIO()
    workbook(rows).save(buf)
    return _normalise_zip(buf.getvalue())


def csv_text(rows: list[list[object]] = ROWS, header: list[str] = HEADER) -> str:
    lines = [",".join(header)] + [",".join(str(v) for v in row) for row in rows]
    return "\r\n".join(lines) + "\r\n"


def with_cells(changes: dict[tuple[int, int], object]) -> list[list[object]]:
    """The reference rows with ``(row index, column index) -> value`` replaced."""
    rows = [list(r) for r in ROWS]
    for (r, c), v in changes.items():
        rows[r][c] = v
    return rows


@case("reference.csv")
def reference(path: Path) -> None:
    """The clean table every readable file must equal."""
    path.write_text(csv_text(), encoding="utf-8")


@case("non_number.xlsx")
def non_number(path: Path) -> None:
    """``abc`` in 数据!C3 and ``12.3.4`` in 数据!E5."""
    save(workbook(with_cells({(1, 2): "abc", (3, 4): "12.3.4"})), path)


@case("duplicate_city_year.xlsx")
def duplicate(path: Path) -> None:
    """甲 2019 appears in rows 2 and 11 (A2 and A11)."""
    save(workbook([*ROWS, ["甲", 2019, 101, 3.2, 40, 36]]), path)


@case("missing_indicator.xlsx")
def missing_indicator(path: Path) -> None:
    """No column for pm25."""
    save(workbook([r[:5] for r in ROWS], HEADER[:5]), path)


@case("unknown_indicator.xlsx")
def unknown_indicator(path: Path) -> None:
    """The GDP header is misspelt (地区生产总额), so gdp is missing and C1 is unknown."""
    save(workbook(ROWS, ["城市", "年份", "地区生产总额(亿元)", *HEADER[3:]]), path)


@case("extra_column.xlsx")
def extra_column(path: Path) -> None:
    """Every indicator is there plus a column 常住人口 the system does not know (G1)."""
    rows = [[*r, 1000 + i] for i, r in enumerate(ROWS)]
    save(workbook(rows, [*HEADER, "常住人口(万人)"]), path)


@case("empty.xlsx")
def empty_xlsx(path: Path) -> None:
    """Zero bytes."""
    path.write_bytes(b"")


@case("empty.csv")
def empty_csv(path: Path) -> None:
    """Zero bytes."""
    path.write_bytes(b"")


@case("blank_sheet.xlsx")
def blank_sheet(path: Path) -> None:
    """A valid workbook whose only sheet has no cells."""
    wb = openpyxl.Workbook()
    wb.active.title = SHEET
    save(wb, path)


@case("header_only.xlsx")
def header_only_xlsx(path: Path) -> None:
    """The header row and nothing below it."""
    save(workbook([]), path)


@case("header_only.csv")
def header_only_csv(path: Path) -> None:
    """The header line and nothing below it."""
    path.write_text(",".join(HEADER) + "\n", encoding="utf-8")


@case("merged_header.xlsx")
def merged_header(path: Path) -> None:
    """A yearbook layout: a merged title, a two-row header whose key cells are merged down
    (A2:A3, B2:B3) under group headings merged across (C2:D2 经济, E2:F2 生态环境), each city
    merged over its three years, and footnotes under the table. It reads like the reference."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = SHEET
    ws.append(["表3-1 城市群主要指标(2019—2021年)"])
    ws.append(["城市", "年份", "经济", None, "生态环境", None])
    ws.append([None, None, *HEADER[2:]])
    for row in sorted(ROWS, key=lambda r: (["甲", "乙", "丙"].index(r[0]), r[1])):
        ws.append(row)
    ws.append([])
    ws.append(["注：2021年为快报数。"])
    ws.append(["资料来源：《某省统计年鉴2022》。"])
    for ref in ("A1:F1", "A2:A3", "B2:B3", "C2:D2", "E2:F2", "A4:A6", "A7:A9", "A10:A12"):
        ws.merge_cells(ref)
    save(wb, path)


@case("merged_value_header.xlsx")
def merged_value_header(path: Path) -> None:
    """The GDP header is merged across C1:D1 and both columns hold numbers: which is GDP?"""
    rows = [[r[0], r[1], r[2], r[2] * 0.9, *r[3:]] for r in ROWS]
    wb = workbook(rows, ["城市", "年份", HEADER[2], None, *HEADER[3:]])
    wb.active.merge_cells("C1:D1")
    save(wb, path)


@case("second_sheet.xlsx")
def second_sheet(path: Path) -> None:
    """A notes sheet first, the data on the second sheet 数据."""
    wb = workbook(ROWS)
    notes = wb.create_sheet("说明", 0)
    notes.append(["本工作簿整理自统计年鉴。"])
    notes.append(["数据见第二张工作表。"])
    save(wb, path)


@case("two_data_sheets.xlsx")
def two_data_sheets(path: Path) -> None:
    """Two sheets with a data table (2019–2020 and 2021): the first is read, the second named."""
    wb = workbook(ROWS[:6], title="2019-2020")
    ws = wb.create_sheet("2021")
    ws.append(HEADER)
    for row in ROWS[6:]:
        ws.append(row)
    save(wb, path)


@case("no_data_sheet.xlsx")
def no_data_sheet(path: Path) -> None:
    """Two sheets, neither with a city and a year column."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "封面"
    ws.append(["城市群协同发展数据"])
    other = wb.create_sheet("指标")
    other.append(["指标", "单位"])
    other.append(["地区生产总值", "亿元"])
    save(wb, path)


@case("truncated.xlsx")
def truncated(path: Path) -> None:
    """The first 60 % of the bytes of a valid workbook (an interrupted download)."""
    data = xlsx_bytes()
    path.write_bytes(data[: len(data) * 6 // 10])


@case("not_a_workbook.xlsx")
def not_a_workbook(path: Path) -> None:
    """A text file renamed to .xlsx."""
    path.write_text(csv_text(), encoding="utf-8")


@case("encrypted.xlsx")
def encrypted(path: Path) -> None:
    """The reference workbook encrypted with a password (an OLE container, not a zip)."""
    try:
        from msoffcrypto.format.ooxml import OOXMLFile
    except ImportError:
        print("  msoffcrypto-tool is not installed: encrypted.xlsx left as it is")
        return
    plain = io.BytesIO(xlsx_bytes())
    out = io.BytesIO()
    OOXMLFile(plain).encrypt(PASSWORD, out)
    path.write_bytes(out.getvalue())


@case("old.xls")
def old_xls(path: Path) -> None:
    """The reference table as an Excel 97–2003 .xls workbook (BIFF8)."""
    try:
        import xlwt
    except ImportError:
        print("  xlwt is not installed: old.xls left as it is")
        return
    book = xlwt.Workbook(encoding="utf-8")
    ws = book.add_sheet(SHEET)
    for c, text in enumerate(HEADER):
        ws.write(0, c, text)
    for r, row in enumerate(ROWS, start=1):
        for c, value in enumerate(row):
            ws.write(r, c, value)
    buf = io.BytesIO()
    book.save(buf)
    path.write_bytes(buf.getvalue())


@case("gbk.csv")
def gbk(path: Path) -> None:
    """GBK, as Excel on Chinese Windows saves "CSV (逗号分隔)"."""
    path.write_bytes(csv_text().encode("gbk"))


@case("utf8_bom.csv")
def utf8_bom(path: Path) -> None:
    """UTF-8 with a byte-order mark ("CSV UTF-8")."""
    path.write_bytes(csv_text().encode("utf-8-sig"))


@case("utf16.csv")
def utf16(path: Path) -> None:
    """UTF-16 LE with BOM, tab separated ("Unicode text")."""
    text = csv_text().replace(",", "\t")
    path.write_bytes(text.encode("utf-16"))


@case("nonfinite.csv")
def nonfinite(path: Path) -> None:
    """``inf`` (line 2, column 3), ``1e400`` (line 4, column 6) and ``-Infinity`` (line 6,
    column 4): none is a finite number."""
    rows = with_cells({(0, 2): "inf", (2, 5): "1e400", (4, 3): "-Infinity"})
    path.write_text(csv_text(rows), encoding="utf-8")


@case("negative.xlsx")
def negative(path: Path) -> None:
    """A negative GDP growth-like value in 数据!C4 (-5): the CV weighting forbids negatives."""
    save(workbook(with_cells({(2, 2): -5})), path)


@case("constant_indicator.xlsx")
def constant_indicator(path: Path) -> None:
    """建成区绿化覆盖率 is 40 in every row: it cannot be weighted (weight 0, a warning)."""
    save(workbook([[*r[:4], 40, r[5]] for r in ROWS]), path)


@case("constant_subsystem.xlsx")
def constant_subsystem(path: Path) -> None:
    """Both ecology indicators are constant: the ecology score is undefined."""
    save(workbook([[*r[:4], 40, 35] for r in ROWS]), path)


@case("single_city.xlsx")
def single_city(path: Path) -> None:
    """One city over three years: scores work, cross-city analyses are skipped."""
    save(workbook([r for r in ROWS if r[0] == "甲"]), path)


@case("single_year.xlsx")
def single_year(path: Path) -> None:
    """Three cities in one year: scores work, analyses over time are skipped."""
    save(workbook([r for r in ROWS if r[1] == 2021]), path)


@case("single_row.xlsx")
def single_row(path: Path) -> None:
    """One city in one year: entropy weights need at least two city-years."""
    save(workbook(ROWS[:1]), path)


@case("all_missing_indicator.xlsx")
def all_missing_indicator(path: Path) -> None:
    """The PM2.5 column is there but every cell is a dash or blank."""
    save(workbook([[*r[:5], "—" if i % 2 else None] for i, r in enumerate(ROWS)]), path)


@case("years_nian.xlsx")
def years_nian(path: Path) -> None:
    """Years written as text ``2019年``; reads like the reference."""
    save(workbook([[r[0], f"{r[1]}年", *r[2:]] for r in ROWS]), path)


@case("formula_no_cache.xlsx")
def formula_no_cache(path: Path) -> None:
    """Formulas written by a program (openpyxl) carry no cached value: 数据!C3 ``=C2*2.5`` and
    数据!F10 ``=AVERAGE(F2:F9)``."""
    save(workbook(with_cells({(1, 2): "=C2*2.5", (8, 5): "=AVERAGE(F2:F9)"})), path)


def _replace_member(data: bytes, name: str, body: bytes) -> bytes:
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            content = body if info.filename == name else src.read(info.filename)
            dst.writestr(zipfile.ZipInfo(info.filename, _EPOCH), content, zipfile.ZIP_DEFLATED)
    return out.getvalue()


BILLION_LAUGHS_DTD = (
    '<!DOCTYPE lolz [<!ENTITY lol "lol">'
    + "".join(
        f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">'
        for i in range(1, 10)
    )
    + "]>"
)


def _with_dtd(xml: str, dtd: str) -> str:
    """Insert a document type declaration after the XML declaration (if any)."""
    if xml.startswith("<?xml"):
        end = xml.index("?>") + 2
        return xml[:end] + dtd + xml[end:]
    return dtd + xml


def _sheet_xml() -> tuple[bytes, str]:
    data = xlsx_bytes()
    return data, zipfile.ZipFile(io.BytesIO(data)).read(SHEET_PART).decode("utf-8")


SHEET_PART = "xl/worksheets/sheet1.xml"


@case("billion_laughs.xlsx")
def billion_laughs(path: Path) -> None:
    """The sheet XML declares nested entities (10^9 "lol"s when expanded) and the city cell
    数据!A2 uses the outermost one."""
    data, sheet = _sheet_xml()
    body = _with_dtd(sheet.replace("<t>甲</t>", "<t>&lol9;</t>", 1), BILLION_LAUGHS_DTD)
    path.write_bytes(_replace_member(data, SHEET_PART, body.encode("utf-8")))


@case("external_entity.xlsx")
def external_entity(path: Path) -> None:
    """The sheet XML declares an external entity pointing at a local file (XXE) and uses it
    in 数据!A2."""
    data, sheet = _sheet_xml()
    dtd = '<!DOCTYPE worksheet [<!ENTITY xxe SYSTEM "file:///etc/hostname">]>'
    body = _with_dtd(sheet.replace("<t>甲</t>", "<t>&xxe;</t>", 1), dtd)
    path.write_bytes(_replace_member(data, SHEET_PART, body.encode("utf-8")))


def _fit_model(system: Path, rows: list[list[object]], header: list[str]) -> dict[str, object]:
    import pandas as pd

    from coordeval.model import CoordinationModel
    from coordeval.system import load_system

    sys_obj = load_system(system)
    frame = pd.DataFrame(rows, columns=["city", "year", *sys_obj.indicator_ids])
    panel = frame.set_index(["city", "year"]).astype("float64")
    data = CoordinationModel(sys_obj).fit(panel).to_dict()
    data["created"] = "2024-01-01T00:00:00+00:00"
    return data


def _write_json(path: Path, data: dict[str, object]) -> None:
    path.write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


@case("model_other_system.json")
def model_other_system(path: Path) -> None:
    """A valid model fitted on ``other_system.toml``: the corpus data lack its indicators."""
    rows = [["甲", 2020, 41000, 2.9], ["乙", 2020, 52000, 3.4], ["丙", 2020, 38000, 2.4]]
    _write_json(path, _fit_model(HERE / "other_system.toml", rows, []))


@case("model_edited_system.json")
def model_edited_system(path: Path) -> None:
    """A model of ``system.toml`` whose embedded system was edited (pm25 made a benefit)."""
    data = _fit_model(HERE / "system.toml", ROWS, HEADER)
    data["system"]["subsystems"][1]["indicators"][1]["direction"] = "+"
    _write_json(path, data)


@case("model_edited_weights.json")
def model_edited_weights(path: Path) -> None:
    """A model of ``system.toml`` whose gdp weight was raised by hand (weights sum to > 1)."""
    data = _fit_model(HERE / "system.toml", ROWS, HEADER)
    data["fitted"]["weights"]["gdp"] += 0.1
    _write_json(path, data)


@case("model_edited_bounds.json")
def model_edited_bounds(path: Path) -> None:
    """A model of ``system.toml`` whose fitted lower bound of gdp was changed by hand."""
    data = _fit_model(HERE / "system.toml", ROWS, HEADER)
    data["fitted"]["lo"]["gdp"] = 50.0
    _write_json(path, data)


@case("model_truncated.json")
def model_truncated(path: Path) -> None:
    """The first half of a valid model file."""
    data = _fit_model(HERE / "system.toml", ROWS, HEADER)
    text = json.dumps(data, ensure_ascii=False, indent=1)
    path.write_text(text[: len(text) // 2], encoding="utf-8")


# --- issue 17: cells read as typed, extremes, systems, model files, every format ---------

ASCII_HEADER = ["city", "year", "gdp", "unemployment", "green", "pm25"]


def _quoted(value: object) -> str:
    return f'"{value}"'


@case("decimal_comma.csv")
def decimal_comma(path: Path) -> None:
    """Unemployment written with quoted decimal commas ("3,1"): read as 3.1, with a warning."""
    rows = [[*r[:3], _quoted(str(r[3]).replace(".", ",")), *r[4:]] for r in ROWS]
    path.write_text(csv_text(rows), encoding="utf-8")


@case("comma_unquoted.csv")
def comma_unquoted(path: Path) -> None:
    """One unquoted decimal comma (3,3 in line 5) splits the row: an error, not a shift."""
    rows = with_cells({(3, 3): "3,3"})
    path.write_text(csv_text(rows), encoding="utf-8")


@case("comma_ambiguous.csv")
def comma_ambiguous(path: Path) -> None:
    """GDP with a thousands separator (1,100,000) and a decimal comma (0,25): refused."""
    rows = with_cells({(0, 2): _quoted("1,100,000"), (1, 2): _quoted("0,25")})
    path.write_text(csv_text(rows), encoding="utf-8")


@case("percent_format.xlsx")
def percent_format(path: Path) -> None:
    """Two unemployment cells stored as fractions with a % format (as Excel keeps 3.1%)."""
    wb = workbook(ROWS)
    ws = wb[SHEET]
    for ref, stored in (("D2", 0.031), ("D5", 0.033)):
        ws[ref] = stored
        ws[ref].number_format = "0.0%"
    save(wb, path)


@case("error_key.xlsx")
def error_key(path: Path) -> None:
    """The error value #N/A where a city name belongs (A3)."""
    wb = workbook(ROWS)
    wb[SHEET]["A3"] = "#N/A"
    save(wb, path)


@case("uncached_key.xlsx")
def uncached_key(path: Path) -> None:
    """A formula without a cached value where a city name belongs (A4: =A2)."""
    wb = workbook(ROWS)
    wb[SHEET]["A4"] = "=A2"
    save(wb, path)


@case("total_row.csv")
def total_row(path: Path) -> None:
    """A yearbook total row (合计) after the cities: left out with a warning."""
    rows = [*ROWS, ["合计", 2021, 585, 3.1, 42, 32]]
    path.write_text(csv_text(rows), encoding="utf-8")


@case("hidden_sheet.xlsx")
def hidden_sheet(path: Path) -> None:
    """A hidden sheet with other numbers before the visible 数据 sheet: 数据 is read."""
    wb = workbook([[c, y, g * 10, *rest] for c, y, g, *rest in ROWS], title="旧数据")
    wb.active.sheet_state = "hidden"
    ws = wb.create_sheet(SHEET)
    ws.append(HEADER)
    for row in ROWS:
        ws.append(row)
    save(wb, path)


@case("big5.csv")
def big5(path: Path) -> None:
    """The reference in Big5 (ids as headers): refused, naming Big5."""
    path.write_bytes(csv_text(ROWS, ASCII_HEADER).encode("big5"))


@case("shift_jis.csv")
def shift_jis(path: Path) -> None:
    """The reference in Shift-JIS (ids as headers): refused, naming Shift-JIS."""
    path.write_bytes(csv_text(ROWS, ASCII_HEADER).encode("shift_jis"))


@case("euc_kr.csv")
def euc_kr(path: Path) -> None:
    """Korean city names in EUC-KR (ids as headers): the bytes also decode as common GB2312
    characters; refused, naming EUC-KR."""
    names = ["서울특별시", "부산광역시", "대구광역시", "인천광역시", "광주광역시", "대전광역시"]
    rows = [[names[k % len(names)], *row[1:]] for k, row in enumerate(ROWS)]
    path.write_bytes(csv_text(rows, ASCII_HEADER).encode("euc_kr"))


@case("control_char.csv")
def control_char(path: Path) -> None:
    """A bell character (U+0007) inside a city name (line 2)."""
    path.write_text(csv_text(with_cells({(0, 0): "甲\x07"})), encoding="utf-8")


@case("extreme_values.csv")
def extreme_values(path: Path) -> None:
    """GDP of ±1.7e308: its range overflows a double, so fitting is refused naming the cells."""
    rows = with_cells({(0, 2): "-1.7e308", (1, 2): "1.7e308"})
    path.write_text(csv_text(rows), encoding="utf-8")


@case("system_sheet_bad.xlsx")
def system_sheet_bad(path: Path) -> None:
    """A 指标体系 sheet with a text weight (J2) and a lower goalpost without upper (K3)."""
    from coordeval.system import SHEET_COLUMNS

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "指标体系"
    ws.append(list(SHEET_COLUMNS[:12]))
    ws.append(
        ["economy", "经济", "Economy", None, "gdp", "地区生产总值", "GDP", "亿元", "+", "heavy"]
    )
    ws.append(["economy", "经济", "Economy", None, "unemployment", "城镇登记失业率", "Unemployment",
               "%", "-", None, 0, None])  # fmt: skip
    save(wb, path)


@case("system_nonfinite.toml")
def system_nonfinite(path: Path) -> None:
    """The corpus system with goalposts [-inf, inf] on gdp and weight = inf on green."""
    text = (HERE / "system.toml").read_text(encoding="utf-8")
    text = text.replace('unit = "亿元"\n', 'unit = "亿元"\nbounds = [-inf, inf]\n', 1)
    text = text.replace('id = "green"\n', 'id = "green"\nweight = inf\n', 1)
    path.write_text(text, encoding="utf-8")


@case("system_reserved.toml")
def system_reserved(path: Path) -> None:
    """The corpus system with a subsystem id equal to an output column (composite)."""
    text = (HERE / "system.toml").read_text(encoding="utf-8")
    path.write_text(text.replace('id = "ecology"', 'id = "composite"', 1), encoding="utf-8")


@case("far_cell.ods")
def far_cell(path: Path) -> None:
    """An OpenDocument sheet whose repeated empty rows put one cell at row 1,000,010."""
    ns = (
        'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"'
    )

    def cell(v: object) -> str:
        kind = (
            'office:value-type="string"'
            if isinstance(v, str)
            else f'office:value-type="float" office:value="{v}"'
        )
        return f"<table:table-cell {kind}><text:p>{v}</text:p></table:table-cell>"

    body = "".join(
        "<table:table-row>" + "".join(map(cell, r)) + "</table:table-row>" for r in [HEADER, *ROWS]
    )
    body += (
        '<table:table-row table:number-rows-repeated="1000000"><table:table-cell/>'
        "</table:table-row><table:table-row>"
        '<table:table-cell table:number-columns-repeated="16000"/>'
        + cell("x")
        + "</table:table-row>"
    )
    content = (
        f'<?xml version="1.0" encoding="UTF-8"?><office:document-content {ns} '
        'office:version="1.2"><office:body><office:spreadsheet><table:table table:name="数据">'
        f"{body}</table:table></office:spreadsheet></office:body></office:document-content>"
    )
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr(
            zipfile.ZipInfo("mimetype", _EPOCH), "application/vnd.oasis.opendocument.spreadsheet"
        )
        z.writestr(zipfile.ZipInfo("content.xml", _EPOCH), content, zipfile.ZIP_DEFLATED)
    path.write_bytes(out.getvalue())


@case("model_no_hash.json")
def model_no_hash(path: Path) -> None:
    """A model whose fitted lower bound of gdp was edited and whose hash field was removed."""
    data = _fit_model(HERE / "system.toml", ROWS, HEADER)
    data["fitted"]["lo"]["gdp"] = 50.0
    del data["fitted_sha256"]
    _write_json(path, data)


@case("model_nan.json")
def model_nan(path: Path) -> None:
    """A model whose fitted upper bound of gdp is the non-JSON literal NaN."""
    data = _fit_model(HERE / "system.toml", ROWS, HEADER)
    text = json.dumps(data, ensure_ascii=False, indent=1)
    hi = json.dumps(data["fitted"]["hi"]["gdp"])
    path.write_text(text.replace(f'"gdp": {hi}', '"gdp": NaN', 1) + "\n", encoding="utf-8")


@case("model_deep.json")
def model_deep(path: Path) -> None:
    """JSON nested 100,000 levels deep."""
    path.write_text('{"format": ' + "[" * 100_000 + "]" * 100_000 + "}\n", encoding="utf-8")


def main(names: list[str]) -> None:
    for name, writer in CORPUS.items():
        if names and name not in names:
            continue
        print(name)
        writer(HERE / name)


if __name__ == "__main__":
    main(sys.argv[1:])
