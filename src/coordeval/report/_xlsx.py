"""Cells, styles and tables of the report workbooks (openpyxl).

Fonts, fills and number formats; writing one cell (numpy scalars to Python, NaN to empty,
text that looks like a formula stored as text); display widths (CJK characters count double);
:func:`write_frame`, which writes a table with its header, widths and wrapping; sheet titles,
section headings and notes; colour scales; line charts; and :func:`print_setup`, the print
layout of every sheet (:mod:`coordeval.report._pages`). Used by every workbook coordeval
writes: the assessment report, the monitoring and plan-target workbooks and the template.
"""

from __future__ import annotations

import math
import re
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

from coordeval.errors import ConfigError
from coordeval.io.atomic import FORMULA_TRIGGERS
from coordeval.report import _pages
from coordeval.report.labels import VALUE_COLUMNS, column_label, value_label

if TYPE_CHECKING:
    from coordeval.report._context import Context

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
#: The one vertical alignment of every cell.
VALIGN = "center"
CELL_ALIGNMENT = Alignment(vertical=VALIGN)
WRAP_ALIGNMENT = Alignment(wrap_text=True, vertical=VALIGN)
INVALID_SHEET_CHARS = set("/\\?*[]:")


def check_sheet_name(name: str) -> str:
    """Return ``name`` if Excel accepts it as a sheet name (≤ 31 characters, no ``/\\?*[]:``)."""
    if not name or len(name) > 31 or INVALID_SHEET_CHARS & set(name):
        raise ConfigError(
            f"invalid Excel sheet name {name!r}", "invalid_sheet_name", {"value": repr(name)}
        )
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
    _pages.mark_section(ws, row)


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
    """A4 landscape at a readable scale (:func:`coordeval.report._pages.page_setup`: no page
    below 60 %, wide tables in column blocks repeating the key columns, headings kept with
    their tables); a one-table sheet repeats its header row on every page. ``key`` is the
    sheet's Chinese name (default: its title). Returns the print scale (%)."""
    key = key or ws.title
    rows = None
    if key in SINGLE_TABLE_SHEETS and ws.max_row > HEADER_ROW:
        rows = (HEADER_ROW, HEADER_ROW + (key == "原始数据"))
    return _pages.page_setup(ws, rows)


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


def line_chart(
    ws: Worksheet,
    title: str,
    rows: tuple[int, int],
    cols: tuple[int, int],
    anchor: str,
    y_title: str,
    *,
    x_title: str | None = None,
    categories: int = 1,
    size: tuple[float, float] = (8, 16),
) -> None:
    """A line chart of the table columns ``cols`` (first, last) whose header row is
    ``rows[0]`` and last data row ``rows[1]``, against the categories (years) in column
    ``categories``; anchored at ``anchor``, ``size`` = (height, width) in cm."""
    top, last = rows
    chart = LineChart()
    chart.title = title
    chart.y_axis.title = y_title
    chart.x_axis.title = x_title
    chart.add_data(
        Reference(ws, min_col=cols[0], max_col=cols[1], min_row=top, max_row=last),
        titles_from_data=True,
    )
    chart.set_categories(Reference(ws, min_col=categories, min_row=top + 1, max_row=last))
    for s in chart.series:
        s.smooth = False
    chart.y_axis.delete = False
    chart.x_axis.delete = False
    chart.height, chart.width = size
    ws.add_chart(chart, anchor)


def new_workbook() -> Workbook:
    """An empty workbook whose default font is the CJK font analysts have (等线)."""
    wb = Workbook()
    wb.properties.creator = "coordeval"  # how a later run recognises its own reports
    wb.remove(wb.active)
    wb._fonts = IndexedList([BASE_FONT])  # the default (Normal) font of every cell
    wb._named_styles["Normal"].font = BASE_FONT
    return wb
