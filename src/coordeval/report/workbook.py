"""Write an :class:`~coordeval.Assessment` as a formatted Excel workbook (openpyxl).

The report reads an Assessment and never computes scores. It is written in one language at a
time (``lang="zh"``, ``"en"`` or ``"both"``): sheet names, titles, headers, words in tables,
findings and data-issue messages. Page 1 (摘要, :mod:`coordeval.report.summary`) is for a
director; run metadata has its own sheet (运行信息). Every sheet has a title, a header row,
frozen panes, number formats by unit, widths fitted per table, one vertical alignment and one
row order (the input order of the cities, or ``city_order``); it prints on A4 landscape at
60 % or more (:mod:`coordeval.report._xlsx`). Text that starts with ``=``, ``+``, ``-`` or
``@`` is written as text, never as a formula. Tables longer than ``max_rows`` go to CSV files
(UTF-8 with BOM) next to the workbook and the sheet keeps the latest year; 运行信息 names the
files. Everything is written to temporary files in the target folder and renamed at the end,
so a failed run leaves no partial report.
"""

from __future__ import annotations

import contextlib
import math
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
from openpyxl import Workbook
from openpyxl.chart import LineChart, Reference
from openpyxl.formatting.rule import ColorScaleRule
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.utils.indexed_list import IndexedList
from openpyxl.worksheet.worksheet import Worksheet

from coordeval.assessment import problems_frame
from coordeval.io.atomic import FORMULA_TRIGGERS, atomic_path
from coordeval.report import _xlsx
from coordeval.report._notes import method_note_rows
from coordeval.report.findings import latest_year
from coordeval.report.labels import (
    SEVERITY_ZH,
    SKIPPED_ZH,
    VALUE_COLUMNS,
    check_lang_value,
    column_label,
    pick,
    sheet_name,
    unit_label,
    value_label,
)
from coordeval.report.methods import (
    SYNERGY_TITLES,
    TOPICS,
    caveat_rows,
    factors_caveat,
    methods_rows,
    spillover_caveat,
)

if TYPE_CHECKING:
    from coordeval.assessment import Assessment

FONT_NAME = "等线"
#: charset 134 = GB2312: Excel uses the East-Asian font for CJK text.
BASE_FONT = Font(name=FONT_NAME, sz=11, family=2, charset=134, scheme=None)
TITLE_FONT = Font(name=FONT_NAME, size=14, bold=True, charset=134)
SECTION_FONT = Font(name=FONT_NAME, size=12, bold=True, charset=134)
SUBTITLE_FONT = Font(name=FONT_NAME, size=10, italic=True, color="555555", charset=134)
HEADER_FONT = Font(name=FONT_NAME, bold=True, charset=134)
HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
HEADER_ROW = 4
SCORE_FORMAT = "0.000"
WEIGHT_FORMAT = "0.0000"
P_FORMAT = "0.0000"
PCT_FORMAT = "0.00"
SHARE_FORMAT = "0.0"
MONEY_FORMAT = "#,##0.00"
COUNT_FORMAT = "#,##0"
MEASURE_FORMAT = "#,##0.00"
#: Units counted in whole things (printed without decimals).
COUNT_UNITS = ("个", "人", "项", "件", "所", "家", "条", "座", "辆", "张", "次", "户")
#: The one vertical alignment of every cell.
VALIGN = "center"
CELL_ALIGNMENT = Alignment(vertical=VALIGN)
WRAP_ALIGNMENT = Alignment(wrap_text=True, vertical=VALIGN)
INVALID_SHEET_CHARS = set("/\\?*[]:")
#: Tables longer than this go to CSV; the sheet keeps a summary (a 500-row table already
#: prints on about 17 pages).
MAX_SHEET_ROWS = 500
#: Units of the latest year shown in full when a long table goes to CSV (else best and worst 10).
MAX_SUMMARY_UNITS = 60
#: Why a row flagged floor_zero has C = D = 0 (written under the coupling table).
FLOOR_NOTE = {
    "zh": "“下限0”为是的行：某子系统得分处于标准化下限 0（该市在该子系统各指标上均为拟合数据最低），"
    "乘积型耦合模型（经典、王淑佳）因此给出 C = D = 0、等级 1。这是标准化尺度造成的结果，不是协调水平；"
    "可改用固定界值、spssau 预设（U 区间化到 [0.01, 0.99]）或 fan2024 模型。",
    "en": "Rows with floor_zero: a subsystem score sits at the normalisation floor 0 (lowest on "
    "every indicator of that subsystem in the fit data), so the product-based coupling models "
    "(classic, wang2021) give C = D = 0 and grade 1. This is an artefact of the scale, not a "
    "coordination level; fixed goalposts, the spssau preset (U rescaled to [0.01, 0.99]) or "
    "the fan2024 model avoid it.",
}
#: Cities drawn in one chart at most (best and worst of the latest year).
MAX_CHART_SERIES = 10


def check_sheet_name(name: str) -> str:
    """Return ``name`` if Excel accepts it as a sheet name (≤ 31 characters, no ``/\\?*[]:``)."""
    if not name or len(name) > 31 or INVALID_SHEET_CHARS & set(name):
        raise ValueError(f"invalid Excel sheet name {name!r}")
    return name


#: Characters an .xlsx cell cannot hold (XML 1.0 forbids C0 controls other than tab/LF/CR).
_ILLEGAL_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def cell_value(v: Any) -> Any:
    """A value openpyxl can store: numpy scalars to Python, NaN/NA/inf to empty, control
    characters in text shown as ``<U+0007>`` (a user's header or name may hold them)."""
    if v is None or v is pd.NA:
        return None
    if isinstance(v, np.generic):
        v = v.item()
    if isinstance(v, float) and not math.isfinite(v):
        return None
    if isinstance(v, str) and _ILLEGAL_XML.search(v):
        return _ILLEGAL_XML.sub(lambda m: f"<U+{ord(m.group(0)):04X}>", v)
    return v


def put(ws: Worksheet, row: int, col: int, value: Any, fmt: str | None = None) -> None:
    """Write one cell; strings that look like formulas are stored as text."""
    v = cell_value(value)
    c = ws.cell(row=row, column=col)
    c.value = v
    c.alignment = CELL_ALIGNMENT
    if isinstance(v, str) and v.startswith(FORMULA_TRIGGERS):
        c.data_type = "s"
    elif fmt and isinstance(v, int | float) and not isinstance(v, bool):
        c.number_format = fmt


def display_width(values: pd.Series) -> int:
    """Widest display width of the values, counting CJK and full-width characters double."""
    return int(cell_widths(values).max()) if len(values) else 0


def safe_csv_frame(df: pd.DataFrame) -> pd.DataFrame:
    """Copy of ``df`` whose text cells starting with = + - @ (or a tab or carriage return,
    :data:`~coordeval.io.atomic.FORMULA_TRIGGERS`) are prefixed with ``'``, so a spreadsheet
    opening the CSV shows them as text instead of evaluating them."""
    out = df.copy()
    for col in out.columns:
        if out[col].dtype == object or pd.api.types.is_string_dtype(out[col]):
            s = out[col].astype("string")
            out[col] = s.where(~s.str.startswith(FORMULA_TRIGGERS).fillna(False), "'" + s)
    return out


def write_csv_bom(df: pd.DataFrame, path: Path) -> None:
    """Write ``df`` as CSV in UTF-8 with BOM (so Excel shows Chinese), floats at full
    precision; pyarrow's writer is an order of magnitude faster than pandas' for big tables."""
    import pyarrow as pa
    import pyarrow.csv as pacsv

    with path.open("wb") as fh:
        fh.write(b"\xef\xbb\xbf")
        pacsv.write_csv(pa.Table.from_pandas(df, preserve_index=False), fh)


@dataclass
class Context:
    """What every sheet writer needs: language, display names, the row order and the
    sidecar files.

    Attributes
    ----------
    lang : {"zh", "en", "both"}
    names : dict
        Subsystem id → (中文, English) name.
    stem : str
        File name stem of the report (sidecars are ``<stem>_<table>.csv``).
    max_rows : int
        Tables longer than this go to CSV.
    sidecars : dict
        Tables written to CSV, by name.
    order : list, optional
        City order of every table (input order, or the user's); cities not in it follow in
        their own order.
    names_en : dict, optional
        English city names used when ``lang="en"`` (a city without one keeps its name).
    title : str
        Title of page 1 (default: the system's name and the years).
    """

    lang: str
    names: dict[str, tuple[str, str]]
    stem: str
    max_rows: int
    sidecars: dict[str, pd.DataFrame] = field(default_factory=dict)
    order: list[Any] = field(default_factory=list)
    names_en: dict[str, str] = field(default_factory=dict)
    title: str = ""

    def label(self, key: str) -> str:
        return column_label(key, self.lang, self.names)

    def text(self, zh: str, en: str) -> str:
        """``zh`` or ``en`` in the report language (both on one line for ``"both"``)."""
        return pick(zh, en, self.lang)

    def city_order(self, cities: list[Any]) -> list[Any]:
        """``cities`` in the report's row order."""
        rank = {c: i for i, c in enumerate(self.order)}
        return sorted(cities, key=lambda c: rank.get(c, len(rank)))

    def city_label(self, city: Any) -> Any:
        """The city's name as printed in the report language."""
        if self.lang == "en":
            return self.names_en.get(str(city), city)
        return city

    def ordered(self, df: pd.DataFrame) -> pd.DataFrame:
        """Rows of ``df`` with a ``city`` index level in the report's city order (stable, so
        years stay in order within a city)."""
        if not self.order or "city" not in (df.index.names or []):
            return df
        rank = {c: i for i, c in enumerate(self.order)}
        pos = df.index.get_level_values("city").map(lambda c: rank.get(c, len(rank)))
        return df.iloc[np.argsort(np.asarray(pos, dtype=np.int64), kind="stable")]


def sheet_header(
    ws: Worksheet, title_zh: str, title_en: str, lang: str, note: str = "", note_zh: str = ""
) -> None:
    """Title (row 1) and note (row 2) in ``lang``.

    ``note`` is the English note; ``note_zh`` its Chinese wording. With ``lang="zh"`` only a
    Chinese note is printed (an English-only note is left out), with ``"en"`` only the
    English one, with ``"both"`` the English subtitle and both notes.
    """
    title = {"zh": title_zh, "en": title_en}.get(lang, title_zh)
    ws.cell(row=1, column=1, value=cell_value(title)).font = TITLE_FONT
    if lang == "zh":
        parts = [note_zh]
    elif lang == "en":
        parts = [note]
    else:
        parts = [title_en, note_zh, note]
    text = " — ".join(t for t in parts if t)
    if text:
        put(ws, 2, 1, text)
        ws.cell(row=2, column=1).font = SUBTITLE_FONT


def section(ws: Worksheet, row: int, col: int, text: str) -> None:
    """A section title inside a sheet (kept with the table under it when printed)."""
    put(ws, row, col, text)
    ws.cell(row=row, column=col).font = SECTION_FONT
    _xlsx.mark_section(ws, row)


def note_rows(ws: Worksheet, row: int, text: str, width: int = 110) -> int:
    """A plain-language note (caveat) under a table, wrapped over merged columns A:H.
    Returns the row written."""
    put(ws, row, 1, text)
    ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=8)
    c = ws.cell(row=row, column=1)
    c.alignment = WRAP_ALIGNMENT
    lines = sum(
        max(1, math.ceil(int(cell_widths(pd.Series([part])).iloc[0]) / width))
        for part in text.split("\n")
    )
    ws.row_dimensions[row].height = 16 * lines + 4
    return row


def default_formats(df: pd.DataFrame, fmt: str = SCORE_FORMAT) -> dict[str, str]:
    """``fmt`` for every float column."""
    return {str(c): fmt for c in df.columns if pd.api.types.is_float_dtype(df[c])}


# CJK and full-width characters; the escapes are decoded by Python, so the pattern holds the
# characters themselves (pyarrow's RE2 engine, which pandas may use, has no \u escapes)
_WIDE = "[\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef]"


def cell_widths(values: pd.Series) -> pd.Series:
    """Display width of each value (CJK and full-width characters count 2; for text with line
    breaks, the longest line). Numbers are measured as printed with three decimals."""
    if pd.api.types.is_numeric_dtype(values) and not pd.api.types.is_bool_dtype(values):
        v = np.abs(values.to_numpy(dtype=np.float64, na_value=0.0))
        v = np.where(np.isfinite(v), v, 0.0)
        digits = np.floor(np.log10(np.maximum(v, 1.0))).astype(int) + 1
        return pd.Series(digits + digits // 3 + 5, index=values.index)
    s = values.astype("string").fillna("")
    w = s.str.len() + s.str.count(_WIDE)
    multi = s.str.contains("\n", regex=False)
    if multi.any():
        lines = s[multi].str.split("\n").explode()
        lw = lines.str.len() + lines.str.count(_WIDE)
        w[multi] = lw.groupby(level=0).max()
    return w.astype(int)


def write_frame(
    ws: Worksheet,
    df: pd.DataFrame,
    ctx: Context,
    formats: dict[str, str] | None = None,
    top: int = HEADER_ROW,
    left: int = 1,
    freeze: bool = True,
    names: dict[str, tuple[str, str]] | None = None,
    max_width: int = 22,
    text_width: int = 40,
) -> tuple[int, int]:
    """Write ``df`` (index included as leading columns) with a header row at ``top``.

    Column widths fit the content (CJK characters count double), capped at ``max_width``
    (``text_width`` for text columns); longer headers and texts wrap and their rows get the
    height they need. Returns the last row and last column written.
    """
    df = ctx.ordered(df)
    flat = df.reset_index() if not isinstance(df.index, pd.RangeIndex) else df
    formats = default_formats(df) | (formats or {})
    n_index = flat.shape[1] - df.shape[1]
    label_names = ctx.names | (names or {})
    heads = [column_label(str(c), ctx.lang, label_names) for c in flat.columns]
    flat = _localised(flat, ctx)
    values = flat.to_numpy(dtype=object)
    fmts = [formats.get(str(col)) for col in flat.columns]
    for i in range(values.shape[0]):
        for j in range(values.shape[1]):
            put(ws, top + 1 + i, left + j, values[i, j], fmts[j])
    head_lines = 1
    row_lines = pd.Series(1, index=range(values.shape[0]))
    for j, head in enumerate(heads):
        col = flat.iloc[:, j].reset_index(drop=True)
        is_text = not pd.api.types.is_numeric_dtype(col)
        content = cell_widths(col) if len(col) else pd.Series([0])
        head_w = int(cell_widths(pd.Series(head.split("\n"))).max())
        cap = text_width if is_text else max_width
        width = min(max(int(content.max()) + 2, min(head_w + 2, cap), 8), cap)
        letter = get_column_letter(left + j)
        current = ws.column_dimensions[letter].width or 0
        width = max(width, current if current != 13 else 0)  # 13 = openpyxl's unset default
        ws.column_dimensions[letter].width = width
        put(ws, top, left + j, head)  # a header such as a city name "=..." stays text
        c = ws.cell(row=top, column=left + j)
        c.font = HEADER_FONT
        c.fill = HEADER_FILL
        c.alignment = WRAP_ALIGNMENT
        line_w = cell_widths(pd.Series(head.split("\n"))).to_numpy()
        head_lines = max(head_lines, int(np.ceil(np.maximum(line_w, 1) / max(width - 1, 1)).sum()))
        if is_text and len(col) and int(content.max()) + 2 > width:
            row_lines = np.maximum(row_lines, np.ceil(content / max(width - 1, 1)).astype(int))
            for i in np.flatnonzero(content.to_numpy() + 2 > width):
                ws.cell(row=top + 1 + int(i), column=left + j).alignment = WRAP_ALIGNMENT
    ws.row_dimensions[top].height = 15 * head_lines
    for i in np.flatnonzero(row_lines.to_numpy() > 1):
        ws.row_dimensions[top + 1 + int(i)].height = 15 * int(row_lines.iloc[i])
    if freeze:
        ws.freeze_panes = ws.cell(row=top + 1, column=left + max(n_index, 1))
    return top + values.shape[0], left + values.shape[1] - 1


def _localised(flat: pd.DataFrame, ctx: Context) -> pd.DataFrame:
    """Words for the values of item/term/score columns, English city names in English."""
    out = flat
    for col in flat.columns:
        key = str(col)
        if key in VALUE_COLUMNS and not pd.api.types.is_numeric_dtype(flat[col]):
            out = out.assign(**{key: flat[col].map(lambda v: value_label(v, ctx.lang, ctx.names))})
        elif key == "city" and ctx.lang == "en" and ctx.names_en:
            out = out.assign(city=flat[col].map(ctx.city_label))
    return out


def colour_scale(
    ws: Worksheet,
    first_row: int,
    last_row: int,
    first_col: int,
    last_col: int,
    reverse: bool = False,
) -> None:
    """Three-colour scale (red–yellow–green; ``reverse`` for 'larger is worse')."""
    if last_row < first_row or last_col < first_col:
        return
    lo, hi = ("63BE7B", "F8696B") if reverse else ("F8696B", "63BE7B")
    rng = f"{get_column_letter(first_col)}{first_row}:{get_column_letter(last_col)}{last_row}"
    ws.conditional_formatting.add(
        rng,
        ColorScaleRule(
            start_type="min",
            start_color=lo,
            mid_type="percentile",
            mid_value=50,
            mid_color="FFEB84",
            end_type="max",
            end_color=hi,
        ),
    )


#: Sheets holding one table, whose header row is repeated on every printed page.
SINGLE_TABLE_SHEETS = {
    "方法",
    "指标体系",
    "原始数据",
    "数据问题",
    "子系统得分",
    "综合评价",
    "目标达成",
    "运行信息",
}


def print_setup(ws: Worksheet, key: str | None = None) -> int:
    """A4 landscape at a readable scale (:func:`coordeval.report._xlsx.page_setup`: no page
    below 60 %, wide tables in column blocks repeating the key columns, headings kept with
    their tables); a one-table sheet repeats its header row on every page. ``key`` is the
    sheet's Chinese name (default: its title). Returns the print scale (%)."""
    key = key or ws.title
    rows = None
    if key in SINGLE_TABLE_SHEETS and ws.max_row > HEADER_ROW:
        rows = (HEADER_ROW, HEADER_ROW + (key == "原始数据"))
    return _xlsx.page_setup(ws, rows)


def wrap_rows(ws: Worksheet, first_row: int, widths: dict[int, float]) -> None:
    """Wrap text in the given columns and set row heights so wrapped text is visible."""
    for row in ws.iter_rows(min_row=first_row):
        lines = 1
        for c in row:
            if c.column in widths and isinstance(c.value, str):
                c.alignment = Alignment(wrap_text=True, vertical="top")
                w = display_width(pd.Series([c.value]))
                lines = max(lines, math.ceil(w / max(widths[c.column] - 1, 1)))
        ws.row_dimensions[row[0].row].height = 15 * lines


def fit_table(ctx: Context, name: str, df: pd.DataFrame) -> tuple[pd.DataFrame, str]:
    """The table to show in the workbook and a note; long tables go to a CSV sidecar.

    A (city, year) table longer than ``ctx.max_rows`` keeps the latest year (every unit up
    to :data:`MAX_SUMMARY_UNITS`, else the first and last ten by its first numeric column);
    the full table is written to ``<report>_<name>.csv``. The note is in the report language.
    """
    if len(df) <= ctx.max_rows:
        return df, ""
    ctx.sidecars[name] = df
    file = f"{ctx.stem}_{name}.csv"
    if isinstance(df.index, pd.MultiIndex) and "year" in df.index.names:
        year = df.index.get_level_values("year").max()
        latest = df[df.index.get_level_values("year") == year]
        if len(latest) <= MAX_SUMMARY_UNITS:
            return latest, ctx.text(
                f"完整表 {len(df)} 行见 {file}；此处为 {year} 年",
                f"full table ({len(df)} rows) in {file}; shown: {year}",
            )
        num = [c for c in latest.columns if pd.api.types.is_numeric_dtype(latest[c])]
        if num:
            latest = latest.sort_values(num[0], ascending=False)
        shown = pd.concat([latest.head(10), latest.tail(10)])
        return shown, ctx.text(
            f"完整表 {len(df)} 行见 {file}；此处为 {year} 年最高与最低各 10 个单元",
            f"full table ({len(df)} rows) in {file}; shown: {year}, top and bottom 10 units",
        )
    return df.head(ctx.max_rows), ctx.text(
        f"完整表 {len(df)} 行见 {file}；此处为前 {ctx.max_rows} 行",
        f"full table ({len(df)} rows) in {file}; first {ctx.max_rows} rows shown",
    )


SheetWriter = Callable[["Assessment", Worksheet, Context], None]


def _chart_cities(a: Assessment, year: int, ctx: Context | None = None) -> list[Any]:
    """Cities drawn in line charts: all, or the best and worst of ``year`` by the composite
    (in the report's city order)."""
    comp = a.composite.xs(year, level="year")["closeness"].sort_values(ascending=False)
    if len(comp) <= MAX_CHART_SERIES:
        chosen = list(comp.index)
    else:
        half = MAX_CHART_SERIES // 2
        chosen = [*comp.index[:half], *comp.index[-half:]]
    return ctx.city_order(chosen) if ctx is not None else chosen


def _summary_writer(a: Assessment, ws: Worksheet, ctx: Context) -> None:
    from coordeval.report.summary import write_summary

    write_summary(a, ws, ctx)


def _run_info_writer(a: Assessment, ws: Worksheet, ctx: Context) -> None:
    from coordeval.report.summary import write_run_info

    write_run_info(a, ws, ctx)


def _methods(a: Assessment, ws: Worksheet, ctx: Context) -> None:
    sheet_header(
        ws,
        "方法",
        "Methods",
        ctx.lang,
        "every formula and convention used in this run",
        "本次运行使用的全部公式与约定",
    )
    rows = methods_rows(a.conventions, method_note_rows(a.notes))
    rows += [
        (k, f"未计算：{SKIPPED_ZH.get(v, v)}", f"Not computed: {v}") for k, v in a.skipped.items()
    ]
    rows += caveat_rows(a)
    frame = pd.DataFrame(
        [(ctx.text(*TOPICS.get(t, (t, t))), zh, en) for t, zh, en in rows],
        columns=["topic", "中文", "English"],
    )
    if ctx.lang == "zh":
        frame = frame.drop(columns="English")
    elif ctx.lang == "en":
        frame = frame.drop(columns="中文")
    write_frame(ws, frame, ctx, names={"中文": ("说明", "Chinese"), "English": ("英文", "English")})
    ws.column_dimensions["A"].width = 16
    widths = {c: 70 if frame.shape[1] == 3 else 110 for c in range(2, frame.shape[1] + 1)}
    for c, w in widths.items():
        ws.column_dimensions[get_column_letter(c)].width = w
    wrap_rows(ws, HEADER_ROW + 1, widths)


def _system(a: Assessment, ws: Worksheet, ctx: Context) -> None:
    zh_name, _, en_name = str(a.system.name).partition(" / ")
    sheet_header(ws, "指标体系", "Indicator system", ctx.lang, en_name or zh_name, zh_name)
    sys = a.system
    frame = pd.DataFrame(
        {
            "subsystem": [ctx.text(*ctx.names[sys.membership[i.id]]) for i in sys.indicators],
            "name_zh": [i.name_zh for i in sys.indicators],
            "name_en": [i.name_en for i in sys.indicators],
            "unit": [unit_label(i.unit, ctx.lang) for i in sys.indicators],
            "direction": [i.direction for i in sys.indicators],
            "goalposts": [
                "" if i.bounds is None else f"[{i.bounds[0]:g}, {i.bounds[1]:g}]"
                for i in sys.indicators
            ],
            "source": [i.source for i in sys.indicators],
        }
    )
    if ctx.lang == "zh":
        frame = frame.drop(columns="name_en")
    elif ctx.lang == "en":
        frame = frame.drop(columns="name_zh")
    if not frame["goalposts"].astype(bool).any():
        frame = frame.drop(columns="goalposts")
    write_frame(ws, frame, ctx, text_width=30)
    src = list(frame.columns).index("source") + 1
    ws.column_dimensions[get_column_letter(src)].width = 50
    wrap_rows(ws, HEADER_ROW + 1, {src: 50})


def unit_format(unit: str) -> str | None:
    """Number format for raw values by unit: money with thousands separators and two
    decimals, percentages with one decimal, counts without decimals; ``None`` for other
    units (callers use :data:`MEASURE_FORMAT`)."""
    if "元" in unit or "$" in unit:
        return MONEY_FORMAT
    if "%" in unit or "‰" in unit:
        return SHARE_FORMAT
    if unit.strip().endswith(COUNT_UNITS) and not unit.strip().startswith(("万", "亿", "千")):
        return COUNT_FORMAT
    return None


def indicator_names(a: Assessment, lang: str) -> dict[str, tuple[str, str]]:
    """Indicator id → (中文, English) name; ``lang`` picks the header shown."""
    return {i.id: (i.name_zh, i.name_en or i.name_zh) for i in a.system.indicators}


def _data(a: Assessment, ws: Worksheet, ctx: Context) -> None:
    data, note = fit_table(ctx, "data", a.data)
    sheet_header(
        ws,
        "原始数据",
        "Data",
        ctx.lang,
        note or "values as read; row 5 gives the units",
        note or "读入的原始数值；第 5 行为单位",
    )
    sys = a.system
    fmts = {i.id: unit_format(i.unit) or MEASURE_FORMAT for i in sys.indicators}
    write_frame(ws, data, ctx, fmts, names=indicator_names(a, ctx.lang), max_width=14)
    ws.insert_rows(HEADER_ROW + 1)
    units = {i.id: unit_label(i.unit, ctx.lang) for i in sys.indicators}
    for j, col in enumerate(data.columns, start=data.index.nlevels + 1):
        put(ws, HEADER_ROW + 1, j, units.get(col, ""))
        ws.cell(row=HEADER_ROW + 1, column=j).font = SUBTITLE_FONT
    ws.freeze_panes = ws.cell(row=HEADER_ROW + 2, column=data.index.nlevels + 1)


def issues_frame(a: Assessment, ctx: Context) -> pd.DataFrame:
    """The data problems as a table, messages worded in the report language."""
    frame = problems_frame(a.problems)
    if len(a.problems):
        frame["message"] = [_problem_text(p, ctx, a) for p in a.problems]
    if ctx.lang == "zh":
        frame["cell"] = (
            frame["cell"]
            .astype("string")
            .str.replace(r"^line (\d+), column (\d+)$", r"第 \1 行第 \2 列", regex=True)
        )
    if ctx.lang != "en":
        frame["severity"] = frame["severity"].map(
            lambda s: pick(SEVERITY_ZH.get(s, s), s, ctx.lang)
        )
    return frame.loc[:, frame.notna().any() | frame.columns.isin(["severity", "message"])]


def _problem_text(p: Any, ctx: Context, a: Assessment | None = None) -> str:
    """A problem worded in the report language; subsystem and indicator ids by name."""
    params = dict(p.params)
    if "indicators" in params and a is not None:
        names = {i.id: (i.name_zh, i.name_en or i.name_zh) for i in a.system.indicators}
        pairs = [names.get(i, (i, i)) for i in params["indicators"]]
        params["labels"] = ("、" if ctx.lang != "en" else ", ").join(
            pick(zh, en, ctx.lang) for zh, en in pairs
        )
    if "subsystem_ids" in params:
        names = [ctx.names.get(s, (s, s)) for s in params["subsystem_ids"]]
        lang = "en" if ctx.lang == "en" else "zh"
        params["subsystems"] = ("、" if lang == "zh" else ", ").join(
            n[0] if lang == "zh" else n[1] for n in names
        )
    from coordeval.errors import render_message

    return render_message(p.code, params, p.message, ctx.lang)


def _issues(a: Assessment, ws: Worksheet, ctx: Context) -> None:
    frame, note = fit_table(ctx, "issues", issues_frame(a, ctx))
    sheet_header(
        ws,
        "数据问题",
        "Data issues",
        ctx.lang,
        note or "every warning, note and parsed qualifier",
        note or "全部警告、提示与解析出的限定词",
    )
    if frame.empty:
        frame = pd.DataFrame({"message": [ctx.text("无问题", "no issues")]})
    write_frame(ws, frame, ctx)
    if "message" in frame.columns:
        col = list(frame.columns).index("message") + 1
        ws.column_dimensions[get_column_letter(col)].width = 80
        wrap_rows(ws, HEADER_ROW + 1, {col: 80})


def _weights(a: Assessment, ws: Worksheet, ctx: Context) -> None:
    sheet_header(
        ws,
        "权重",
        "Weights",
        ctx.lang,
        "entropy, divergence and weights per indicator; subsystem weights",
        "各指标的信息熵、信息效用值与权重；子系统权重",
    )
    cols = [
        c
        for c in (
            "subsystem",
            "name_zh" if ctx.lang != "en" else "name_en",
            "unit",
            "direction",
            "e",
            "d",
            "within_weight",
            "subsystem_weight",
            "weight",
            "lo",
            "hi",
            "bounds_source",
        )
        if c in a.weights.columns
    ]
    table = a.weights[cols].copy()
    if "unit" in table.columns:
        table["unit"] = table["unit"].map(lambda u: unit_label(str(u), ctx.lang))
    table["subsystem"] = table["subsystem"].map(lambda s: ctx.text(*ctx.names[s]))
    table.index = table.index.rename("id")
    fmt = {c: WEIGHT_FORMAT for c in ("e", "d", "within_weight", "subsystem_weight", "weight")}
    fmt |= {"lo": MEASURE_FORMAT, "hi": MEASURE_FORMAT}
    if ctx.lang != "en":
        table = table.reset_index(drop=True)
    last, _ = write_frame(ws, table, ctx, fmt)
    sub = a.subsystem_weights.rename("subsystem_weight").to_frame()
    sub.index = [ctx.text(*ctx.names[s]) for s in sub.index]
    sub.index.name = "subsystem"
    section(ws, last + 2, 1, ctx.text("子系统权重", "Subsystem weights"))
    write_frame(ws, sub, ctx, fmt, top=last + 3, freeze=False)


def _scores(a: Assessment, ws: Worksheet, ctx: Context) -> None:
    scores, note = fit_table(ctx, "scores", a.scores)
    sheet_header(
        ws,
        "子系统得分",
        "Subsystem scores",
        ctx.lang,
        note or "score of each subsystem per city-year, 0–1, higher is better",
        note or "各城市-年份的子系统得分，0–1，越高越好",
    )
    last, lastc = write_frame(ws, scores, ctx, max_width=12)
    colour_scale(ws, HEADER_ROW + 1, last, 3, lastc)


def _composite(a: Assessment, ws: Worksheet, ctx: Context) -> None:
    comp, note = fit_table(ctx, "composite", a.composite)
    sheet_header(
        ws,
        "综合评价",
        "Composite (TOPSIS)",
        ctx.lang,
        note or "overall development by TOPSIS: relative closeness to the ideal, rank in the year",
        note or "TOPSIS 综合评价：与理想解的相对贴近度，年内排名",
    )
    last, _ = write_frame(ws, comp, ctx)
    colour_scale(ws, HEADER_ROW + 1, last, 5, 5)


def _pair_label(col: str, ctx: Context) -> tuple[str, str]:
    a_, _, b_ = col.partition("~")
    na, nb = ctx.names.get(a_, (a_, a_)), ctx.names.get(b_, (b_, b_))
    return f"{na[0]}—{nb[0]}", f"{na[1]}–{nb[1]}"


def _coupling(a: Assessment, ws: Worksheet, ctx: Context) -> None:
    cc = a.tables["coupling"]
    show = [
        c
        for c in (
            "C",
            "T",
            "D",
            "grade",
            "level_zh",
            "level_en",
            "stage",
            "stage_en",
            "lag_type_zh",
            "lag_type_en",
            "lagging",
            "clipped",
            "floor_zero",
        )
        if c in cc.columns
    ]
    if ctx.lang == "zh":
        show = [c for c in show if not c.endswith("_en")]
    elif ctx.lang == "en":
        show = [c for c in show if c not in ("level_zh", "lag_type_zh", "stage")]
    table = cc[show].copy()
    if "lagging" in table.columns:
        lang = 1 if ctx.lang == "en" else 0
        sep = ", " if lang else "、"
        table["lagging"] = (
            table["lagging"]
            .astype("string")
            .fillna("")
            .map(lambda v: sep.join(ctx.names.get(s, (s, s))[lang] for s in v.split(",") if s))
        )
    if ctx.lang == "en" and "stage_en" in table.columns:
        table = table.rename(columns={"stage_en": "stage"})
    table, note = fit_table(ctx, "coupling", table)
    sheet_header(
        ws,
        "耦合协调",
        "Coupling coordination",
        ctx.lang,
        note
        or f"coupling model {a.conventions['coupling']}, grade scheme {a.conventions['grades']}",
        note or f"耦合模型 {a.conventions['coupling']}，等级划分 {a.conventions['grades']}",
    )
    last, _ = write_frame(ws, table, ctx, {"grade": COUNT_FORMAT})
    d_col = 2 + list(table.columns).index("D") + 1
    colour_scale(ws, HEADER_ROW + 1, last, d_col, d_col)
    if "floor_zero" in cc.columns and cc["floor_zero"].any():
        last += 2
        put(ws, last, 1, ctx.text(FLOOR_NOTE["zh"], FLOOR_NOTE["en"]))
    pairs = a.tables["pairwise_coupling"]
    pair, _ = fit_table(ctx, "pairwise_coupling", pairs)
    names = {c: _pair_label(c, ctx) for c in pairs.columns}
    section(
        ws,
        last + 3,
        1,
        ctx.text("两两子系统的耦合协调度 D", "Coupling coordination D of each pair of subsystems"),
    )
    pl, pc = write_frame(ws, pair, ctx, top=last + 4, freeze=False, names=names, max_width=12)
    colour_scale(ws, last + 5, pl, 3, pc)


def _obstacles(a: Assessment, ws: Worksheet, ctx: Context) -> None:
    top = a.tables["top_obstacles"]
    ind_names = {i.id: i.name_zh if ctx.lang != "en" else i.name_en for i in a.system.indicators}
    wide = top.assign(indicator=top["indicator"].map(ind_names))
    wide = wide.reset_index().pivot(
        index=["city", "year"], columns="rank", values=["indicator", "obstacle_pct"]
    )
    ranks = sorted(top.index.get_level_values("rank").unique())
    cols = [(k, r) for r in ranks for k in ("indicator", "obstacle_pct")]
    wide = wide[cols]
    wide.columns = [
        ctx.text(
            f"{'第' + str(r) + '障碍因素' if k == 'indicator' else '障碍度(%)'}",
            f"{'Obstacle ' + str(r) if k == 'indicator' else 'Share (%)'}",
        )
        + ("" if k == "indicator" else f" {r}")
        for k, r in cols
    ]
    pct_cols = [c for (k, _), c in zip(cols, wide.columns, strict=True) if k != "indicator"]
    for c in pct_cols:
        wide[c] = wide[c].astype("float64")
    wide, note = fit_table(ctx, "top_obstacles", wide)
    sheet_header(
        ws,
        "障碍度",
        "Obstacle degree",
        ctx.lang,
        note or "the five indicators holding each city-year back most (% of the shortfall)",
        note or "各城市-年份障碍度最大的五个指标（占差距的百分比）",
    )
    last, _ = write_frame(
        ws,
        wide,
        ctx,
        dict.fromkeys(pct_cols, SHARE_FORMAT),
        max_width=10,
        text_width=16,
    )
    sub, _ = fit_table(ctx, "subsystem_obstacles", a.tables["subsystem_obstacles"])
    section(ws, last + 3, 1, ctx.text("子系统障碍度（%）", "Obstacle degree by subsystem (%)"))
    sl, sc = write_frame(
        ws, sub, ctx, default_formats(sub, SHARE_FORMAT), top=last + 4, freeze=False, max_width=12
    )
    colour_scale(ws, last + 5, sl, 3, sc, reverse=True)


def _stack(
    ws: Worksheet, ctx: Context, blocks: list[tuple[str, pd.DataFrame, dict | None]]
) -> tuple[int, dict[str, tuple[int, int, int]]]:
    """Write titled tables one under another (the first one's header row frozen). Returns
    the last row written and each written block's (header row, last row, last column) by
    title."""
    row = HEADER_ROW
    first = True
    last = row
    where: dict[str, tuple[int, int, int]] = {}
    for title, df, fmt in blocks:
        if df is None or df.empty:
            continue
        section(ws, row - 1, 1, title)
        last, lastc = write_frame(ws, df, ctx, fmt, top=row, freeze=first)
        where[title] = (row, last, lastc)
        first = False
        row = last + 4
    return last, where


def _inequality(a: Assessment, ws: Worksheet, ctx: Context) -> None:
    sheet_header(
        ws,
        "区域差异",
        "Inequality and convergence",
        ctx.lang,
        "Gini and Theil by year (Dagum decomposition with groups), σ and β convergence, "
        "robustness of the ranks to the weights",
        "逐年基尼系数与泰尔指数（给定分组时作 Dagum 分解）、σ 与 β 收敛、排名对权重的稳健性",
    )
    t = a.tables
    blocks: list[tuple[str, pd.DataFrame, dict | None]] = []
    if "inequality" in t:
        blocks.append(
            (
                ctx.text("逐年区域差异", "Inequality by year"),
                t["inequality"].set_index(["score", "year"]),
                None,
            )
        )
    trend_title = ctx.text("分组平均 D 的变化", "Mean D by group and year")
    if "group_means" in t:
        blocks.append((ctx.text("分组均值", "Group means by year"), t["group_means"], None))
        if "D" in t["group_means"].columns:
            trend = t["group_means"]["D"].unstack("group")
            trend.index.name = "year"
            blocks.append((trend_title, trend if len(trend) > 1 else None, None))
    if "dagum_pairs" in t:
        pairs = t["dagum_pairs"].set_index(["score", "year", "group_a", "group_b"])
        blocks.append(
            (ctx.text("Dagum 组内与组间基尼系数", "Within- and between-group Gini"), pairs, None)
        )
    if "sigma_convergence" in t:
        blocks.append(
            (
                ctx.text("σ 收敛（城市间离散程度的变化）", "σ convergence (spread across cities)"),
                t["sigma_convergence"].set_index(["score", "year"]),
                {"cv_slope_p": P_FORMAT},
            )
        )
    if "beta_convergence" in t:
        blocks.append(
            (
                ctx.text(
                    "β 收敛（综合发展水平：落后城市是否增长更快）",
                    "β convergence (overall development: do laggards grow faster?)",
                ),
                t["beta_convergence"].assign(
                    value=t["beta_convergence"]["value"].map(
                        lambda v: value_label(v, ctx.lang, ctx.names)
                    )
                ),
                {"value": P_FORMAT},
            )
        )
    if "robustness_summary" in t:
        blocks.append(
            (
                ctx.text("排名对权重的稳健性", "Robustness of the ranks to the weights"),
                t["robustness_summary"],
                None,
            )
        )
    if not blocks:
        blocks.append(
            (
                "",
                pd.DataFrame({"message": [skipped_text(a, ctx)]}),
                None,
            )
        )
    _, where = _stack(ws, ctx, blocks)
    if trend_title in where:
        top, last, lastc = where[trend_title]
        anchor = f"{get_column_letter(lastc + 2)}{top}"
        title = ctx.text("分组平均耦合协调度 D", "Mean coupling coordination D by group")
        _line_chart(ws, title, top, last, 1, lastc, anchor, "D")


def skipped_text(a: Assessment, ctx: Context) -> str:
    """The analyses not run and why, in the report language."""
    return "; ".join(
        f"{ctx.text(*TOPICS.get(k, (k, k)))}: {ctx.text(SKIPPED_ZH.get(v, v), v)}"
        for k, v in a.skipped.items()
    )


def _targets(a: Assessment, ws: Worksheet, ctx: Context) -> None:
    sheet_header(
        ws,
        "目标达成",
        "Target attainment",
        ctx.lang,
        "plan targets vs the latest values",
        "规划目标与最新值对比",
    )
    write_frame(ws, a.tables["targets"], ctx)


def _synergy(a: Assessment, ws: Worksheet, ctx: Context) -> None:
    sheet_header(
        ws,
        "协同关系",
        "Synergy relations",
        ctx.lang,
        "the four synergy relations of the framework, as computed by coordeval",
        "协同发展框架的四种协同关系（coordeval 的计算口径）",
    )
    t = a.tables
    blocks = []
    for key, (zh, en) in SYNERGY_TITLES.items():
        if key in t:
            table, note = fit_table(ctx, key, t[key])
            blocks.append(
                (ctx.text(zh, en) + (f" — {note}" if note else ""), table, {"p": P_FORMAT})
            )
    last, _ = _stack(ws, ctx, blocks)
    if "synergy_inter_heterogeneity" in t:
        zh, en = spillover_caveat(a)
        note_rows(ws, last + 2, ctx.text(zh, en) if ctx.lang != "both" else f"{zh}\n{en}")


def _line_chart(
    ws: Worksheet, title: str, top: int, last: int, left: int, lastc: int, anchor: str, y_title: str
) -> None:
    chart = LineChart()
    chart.title = title
    chart.y_axis.title = y_title
    chart.x_axis.title = None
    chart.add_data(
        Reference(ws, min_col=left + 1, max_col=lastc, min_row=top, max_row=last),
        titles_from_data=True,
    )
    chart.set_categories(Reference(ws, min_col=left, min_row=top + 1, max_row=last))
    for s in chart.series:
        s.smooth = False
    chart.y_axis.delete = False
    chart.x_axis.delete = False
    chart.height, chart.width = 8, 16
    ws.add_chart(chart, anchor)


def _trends(a: Assessment, ws: Worksheet, ctx: Context) -> None:
    sheet_header(
        ws,
        "趋势",
        "Trends",
        ctx.lang,
        "overall development by city, subsystem means and mean D by year",
        "逐年各城市综合发展水平、子系统平均得分与平均耦合协调度",
    )
    year = latest_year(a)
    cities = _chart_cities(a, year, ctx)
    comp = a.composite["closeness"].unstack("city")[cities]
    comp.columns = [str(ctx.city_label(c)) for c in comp.columns]
    comp.index.name = "year"
    top = HEADER_ROW
    section(
        ws,
        top - 1,
        1,
        ctx.text("综合发展水平（相对贴近度）", "Overall development (relative closeness)"),
    )
    last, lastc = write_frame(ws, comp, ctx, freeze=False)
    _line_chart(
        ws,
        ctx.text("综合发展水平", "Overall development"),
        top,
        last,
        1,
        lastc,
        f"A{max(last + 3, top + 3)}",
        ctx.text("相对贴近度", "Relative closeness"),
    )
    means = a.scores.groupby(level="year").mean()
    if "coupling" in a.tables:
        means = means.join(a.tables["coupling"]["D"].groupby(level="year").mean())
    top2 = max(last + 3, top + 3) + 19
    section(
        ws,
        top2 - 1,
        1,
        ctx.text(
            "子系统平均得分与平均耦合协调度 D", "Subsystem means and mean coupling coordination D"
        ),
    )
    last2, lastc2 = write_frame(ws, means, ctx, top=top2, freeze=False)
    _line_chart(
        ws,
        ctx.text("子系统平均得分", "Subsystem means"),
        top2,
        last2,
        1,
        lastc2,
        f"A{last2 + 3}",
        ctx.text("得分", "Score"),
    )
    for r in range(last2 + 3, last2 + 20):
        ws.row_dimensions[r].height = DEFAULT_ROW_HEIGHT
    ws.freeze_panes = ws.cell(row=top + 1, column=2)


#: Height (pt) given to rows under a chart, so the print layout can count them.
DEFAULT_ROW_HEIGHT = 16


def _factors(a: Assessment, ws: Worksheet, ctx: Context) -> None:
    sheet_header(
        ws,
        "影响因素",
        "Influencing factors",
        ctx.lang,
        "coupling coordination D regressed on the given factors (see the methods sheet)",
        "耦合协调度 D 对所给影响因素的回归（见方法表）",
    )
    t = a.tables
    last, _ = _stack(
        ws,
        ctx,
        [
            (
                ctx.text(
                    "普通最小二乘回归（城市固定效应）", "Least squares with city fixed effects"
                ),
                t["factors_ols"],
                {"p": P_FORMAT},
            ),
            (
                ctx.text("双限 Tobit 回归（0–1 截断，混合样本）", "Two-limit Tobit (0–1, pooled)"),
                t["factors_tobit"],
                {"p": P_FORMAT},
            ),
        ],
    )
    zh, en = factors_caveat()
    note_rows(ws, last + 2, ctx.text(zh, en) if ctx.lang != "both" else f"{zh}\n{en}")


SHEETS: list[tuple[str, SheetWriter, Callable[[Assessment], bool]]] = [
    ("摘要", _summary_writer, lambda a: True),
    ("方法", _methods, lambda a: True),
    ("指标体系", _system, lambda a: True),
    ("原始数据", _data, lambda a: True),
    ("数据问题", _issues, lambda a: True),
    ("权重", _weights, lambda a: True),
    ("子系统得分", _scores, lambda a: True),
    ("综合评价", _composite, lambda a: True),
    ("耦合协调", _coupling, lambda a: "coupling" in a.tables),
    ("障碍度", _obstacles, lambda a: "top_obstacles" in a.tables),
    ("区域差异", _inequality, lambda a: True),
    ("目标达成", _targets, lambda a: "targets" in a.tables),
    ("协同关系", _synergy, lambda a: any(k.startswith("synergy_") for k in a.tables)),
    ("影响因素", _factors, lambda a: "factors_ols" in a.tables),
    ("趋势", _trends, lambda a: a.is_panel),
    ("运行信息", _run_info_writer, lambda a: True),
]

#: Sheets written after all others (they name the CSV files the others made).
_LAST = {"运行信息"}


def new_workbook() -> Workbook:
    """An empty workbook whose default font is the CJK font analysts have (等线)."""
    wb = Workbook()
    wb.properties.creator = "coordeval"  # how a later run recognises its own reports
    wb.remove(wb.active)
    wb._fonts = IndexedList([BASE_FONT])  # the default (Normal) font of every cell
    wb._named_styles["Normal"].font = BASE_FONT
    return wb


check_lang = check_lang_value


def make_context(
    a: Assessment,
    lang: str = "zh",
    stem: str = "report",
    max_rows: int = MAX_SHEET_ROWS,
    *,
    title: str | None = None,
    city_order: list[Any] | None = None,
    names_en: Mapping[str, str] | None = None,
) -> Context:
    """The :class:`Context` of a report on ``a`` (also for sheets other modules write).

    Parameters
    ----------
    a : Assessment
    lang : {"zh", "en", "both"}
    stem, max_rows
        As :func:`build_workbook`.
    title : str, optional
        Title of page 1 (default ``a.meta["title"]``, else the system's name and years).
    city_order : list, optional
        Row order of the cities (default ``a.meta["city_order"]``, the input order).
    names_en : mapping, optional
        English city names, over ``a.meta["city_names_en"]`` (e.g. from a cities table).

    Raises
    ------
    ValueError
        ``lang`` is not one of zh, en, both.
    """
    check_lang(lang)
    names = {s.id: (s.name_zh, s.name_en or s.name_zh) for s in a.system.subsystems}
    order = list(city_order or a.meta.get("city_order") or [])
    en = dict(a.meta.get("city_names_en") or {}) | dict(names_en or {})
    return Context(
        lang=lang,
        names=names,
        stem=stem,
        max_rows=max_rows,
        order=order,
        names_en={str(k): str(v) for k, v in en.items()},
        title=title or str(a.meta.get("title") or ""),
    )


def build_workbook(
    a: Assessment,
    lang: str = "zh",
    stem: str = "report",
    max_rows: int = MAX_SHEET_ROWS,
    **layout: Any,
) -> tuple[Workbook, dict[str, pd.DataFrame]]:
    """Lay out every sheet of the report; returns the workbook and the CSV sidecar tables.

    Parameters
    ----------
    a : Assessment
    lang : {"zh", "en", "both"}
        Language of every sheet name, title, label, chart, finding and message.
    stem : str
        Report file stem (names the CSV sidecars).
    max_rows : int
        Longer tables go to CSV sidecars.
    **layout
        ``title`` (page 1; default: the system's name and the years), ``city_order`` (row
        order of the cities; default: the order of the input file), ``names_en`` (English
        city names used with ``lang="en"``): see :func:`make_context`; ``figures`` (figure
        name → PNG, as :func:`coordeval.report.figures.draw_figures` returns them) adds the
        sheet 图表 (Figures) with the key figures after the 趋势 sheet.
    """
    figures = layout.pop("figures", None) or {}
    ctx = make_context(a, lang, stem, max_rows, **layout)
    wb = new_workbook()
    deferred = []
    for name, writer, applies in SHEETS:
        if not applies(a):
            continue
        ws = wb.create_sheet(check_sheet_name(sheet_name(name, lang)))
        if name in _LAST:
            deferred.append((name, writer, ws))
            continue
        writer(a, ws, ctx)
        print_setup(ws, name)
    for name, writer, ws in deferred:
        writer(a, ws, ctx)
        print_setup(ws, name)
    if figures:
        from coordeval.report.figures import figures_sheet, report_figures

        if report_figures(figures):
            trend = sheet_name("趋势", lang)
            at = wb.sheetnames.index(trend) + 1 if trend in wb.sheetnames else None
            figures_sheet(wb.create_sheet(sheet_name("图表", lang), at), figures, lang)
    return wb, ctx.sidecars


def write_report(
    a: Assessment,
    path: str | Path,
    lang: str = "zh",
    max_rows: int = MAX_SHEET_ROWS,
    **layout: Any,
) -> Path:
    """Write the report workbook (and CSV files for long tables) atomically.

    All files are first written to temporary files in the target folder and renamed only
    when every one of them has been written; on failure no file is left behind and earlier
    reports are untouched. ``layout`` is passed to :func:`build_workbook`.
    """
    path = Path(path)
    wb, sidecars = build_workbook(a, lang, stem=path.stem, max_rows=max_rows, **layout)
    with contextlib.ExitStack() as stack:
        for name, df in sidecars.items():
            tmp = stack.enter_context(atomic_path(path.with_name(f"{path.stem}_{name}.csv")))
            write_csv_bom(safe_csv_frame(df.reset_index()), tmp)
        tmp = stack.enter_context(atomic_path(path))
        wb.save(tmp)
    return path


# the extended analyses' sheets (spatial, dynamics, GeoDetector, …) live in their own module
from coordeval.report.spatial import SHEETS as _EXTENDED_SHEETS  # noqa: E402

SHEETS.extend(_EXTENDED_SHEETS)
