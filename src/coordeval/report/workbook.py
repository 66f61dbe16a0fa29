"""Write an :class:`~coordeval.Assessment` as a formatted Excel workbook (openpyxl).

The report reads an Assessment and never computes scores. Every sheet has a Chinese title, an
English subtitle, a header row, frozen panes, number formats and fitted column widths. Text
that starts with ``=``, ``+``, ``-`` or ``@`` is written as text, never as a formula. The file is
written to a temporary file in the target folder and renamed.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
from openpyxl import Workbook
from openpyxl.formatting.rule import ColorScaleRule
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from coordeval.assessment import problems_frame
from coordeval.io.atomic import write_atomic
from coordeval.report.labels import SEVERITY_ZH, column_label
from coordeval.report.methods import methods_rows

if TYPE_CHECKING:
    from coordeval.assessment import Assessment

FONT_NAME = "等线"
TITLE_FONT = Font(name=FONT_NAME, size=14, bold=True)
SUBTITLE_FONT = Font(name=FONT_NAME, size=10, italic=True, color="555555")
HEADER_FONT = Font(name=FONT_NAME, bold=True)
HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
FORMULA_START = ("=", "+", "-", "@")
HEADER_ROW = 4
SCORE_FORMAT = "0.000"
WEIGHT_FORMAT = "0.0000"
INVALID_SHEET_CHARS = set("/\\?*[]:")


def check_sheet_name(name: str) -> str:
    """Return ``name`` if Excel accepts it as a sheet name (≤ 31 characters, no ``/\\?*[]:``)."""
    if not name or len(name) > 31 or INVALID_SHEET_CHARS & set(name):
        raise ValueError(f"invalid Excel sheet name {name!r}")
    return name


def cell_value(v: Any) -> Any:
    """A value openpyxl can store: numpy scalars to Python, NaN/NA to empty."""
    if v is None or v is pd.NA:
        return None
    if isinstance(v, np.generic):
        v = v.item()
    if isinstance(v, float) and not np.isfinite(v):
        return None
    return v


def put(ws: Worksheet, row: int, col: int, value: Any, fmt: str | None = None) -> None:
    """Write one cell; strings that look like formulas are stored as text."""
    v = cell_value(value)
    c = ws.cell(row=row, column=col)
    c.value = v
    if isinstance(v, str) and v.startswith(FORMULA_START):
        c.data_type = "s"
    elif fmt and isinstance(v, int | float) and not isinstance(v, bool):
        c.number_format = fmt


def display_width(values: pd.Series) -> int:
    """Widest display width of the values, counting CJK and full-width characters double."""
    s = values.astype("string").fillna("")
    lines = s.str.split("\n").explode().fillna("")
    w = lines.str.len() + lines.str.count(r"[\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef]")
    return int(w.max()) if len(w) else 0


def sheet_header(ws: Worksheet, title_zh: str, title_en: str, lang: str, note: str = "") -> None:
    """Title (row 1), English subtitle and note (row 2)."""
    title = {"zh": title_zh, "en": title_en}.get(lang, title_zh)
    ws.cell(row=1, column=1, value=title).font = TITLE_FONT
    sub = title_en if lang == "both" else ""
    text = " — ".join(t for t in (sub, note) if t)
    if text:
        put(ws, 2, 1, text)
        ws.cell(row=2, column=1).font = SUBTITLE_FONT


def write_frame(
    ws: Worksheet,
    df: pd.DataFrame,
    lang: str,
    names: dict[str, tuple[str, str]],
    formats: dict[str, str] | None = None,
    top: int = HEADER_ROW,
    left: int = 1,
    freeze: bool = True,
) -> tuple[int, int]:
    """Write ``df`` (index included as leading columns) with a bilingual header at ``top``.

    Returns the last row and last column written.
    """
    flat = df.reset_index() if not isinstance(df.index, pd.RangeIndex) else df
    formats = formats or {}
    n_index = flat.shape[1] - df.shape[1]
    for j, col in enumerate(flat.columns):
        c = ws.cell(row=top, column=left + j, value=column_label(str(col), lang, names))
        c.font = HEADER_FONT
        c.fill = HEADER_FILL
        c.alignment = Alignment(wrap_text=True, vertical="center")
    values = flat.to_numpy(dtype=object)
    fmts = [formats.get(str(col)) for col in flat.columns]
    for i in range(values.shape[0]):
        for j in range(values.shape[1]):
            put(ws, top + 1 + i, left + j, values[i, j], fmts[j])
    for j, col in enumerate(flat.columns):
        head = column_label(str(col), lang, names)
        width = max(display_width(pd.Series([head])), display_width(flat.iloc[:, j]))
        letter = get_column_letter(left + j)
        ws.column_dimensions[letter].width = min(max(width + 2, 8), 60)
    if freeze:
        ws.freeze_panes = ws.cell(row=top + 1, column=left + max(n_index, 1))
    return top + values.shape[0], left + values.shape[1] - 1


def colour_scale(
    ws: Worksheet,
    first_row: int,
    last_row: int,
    first_col: int,
    last_col: int,
    reverse: bool = False,
) -> None:
    """Three-colour scale (red–yellow–green; reversed for 'larger is worse')."""
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


def print_setup(ws: Worksheet) -> None:
    """Fit to page width, landscape, repeat the header row on every page."""
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"


SheetWriter = Callable[["Assessment", Worksheet, str, dict[str, tuple[str, str]]], None]


def _summary(a: Assessment, ws: Worksheet, lang: str, names: dict) -> None:
    sheet_header(ws, "摘要", "Summary", lang, "run metadata and conventions")
    rows = [(k, str(v)) for k, v in a.meta.items()]
    rows += [(f"convention.{k}", str(v)) for k, v in a.conventions.items()]
    frame = pd.DataFrame(rows, columns=["key", "value"])
    write_frame(ws, frame, lang, names)


def _methods(a: Assessment, ws: Worksheet, lang: str, names: dict) -> None:
    sheet_header(ws, "方法", "Methods", lang, "every formula and convention used in this run")
    rows = methods_rows(a.conventions, a.notes)
    rows += [(f"not run: {k}", f"未计算：{v}", f"Not computed: {v}") for k, v in a.skipped.items()]
    frame = pd.DataFrame(rows, columns=["item", "中文", "English"])
    if lang == "zh":
        frame = frame.drop(columns="English")
    elif lang == "en":
        frame = frame.drop(columns="中文")
    write_frame(ws, frame, lang, names)
    for col in ("B", "C"):
        ws.column_dimensions[col].width = 70
    for row in ws.iter_rows(min_row=HEADER_ROW + 1):
        for c in row:
            c.alignment = Alignment(wrap_text=True, vertical="top")


def _system(a: Assessment, ws: Worksheet, lang: str, names: dict) -> None:
    sheet_header(ws, "指标体系", "Indicator system", lang, a.system.name)
    sys = a.system
    frame = pd.DataFrame(
        {
            "subsystem": [sys.membership[i.id] for i in sys.indicators],
            "id": [i.id for i in sys.indicators],
            "name_zh": [i.name_zh for i in sys.indicators],
            "name_en": [i.name_en for i in sys.indicators],
            "unit": [i.unit for i in sys.indicators],
            "direction": [i.direction for i in sys.indicators],
            "goalposts": [
                "" if i.bounds is None else f"[{i.bounds[0]:g}, {i.bounds[1]:g}]"
                for i in sys.indicators
            ],
            "source": [i.source for i in sys.indicators],
        }
    )
    write_frame(ws, frame, lang, names)


def _data(a: Assessment, ws: Worksheet, lang: str, names: dict) -> None:
    sheet_header(ws, "原始数据", "Data", lang, "values as read; row 5 gives the units")
    sys = a.system
    ind_names = {i.id: (i.name_zh, i.name_en) for i in sys.indicators}
    write_frame(ws, a.data, lang, ind_names, top=HEADER_ROW)
    ws.insert_rows(HEADER_ROW + 1)
    units = {i.id: i.unit for i in sys.indicators}
    for j, col in enumerate(a.data.columns, start=a.data.index.nlevels + 1):
        put(ws, HEADER_ROW + 1, j, units.get(col, ""))
        ws.cell(row=HEADER_ROW + 1, column=j).font = SUBTITLE_FONT
    ws.freeze_panes = ws.cell(row=HEADER_ROW + 2, column=a.data.index.nlevels + 1)


def _issues(a: Assessment, ws: Worksheet, lang: str, names: dict) -> None:
    sheet_header(ws, "数据问题", "Data issues", lang, "every warning, note and parsed qualifier")
    frame = problems_frame(a.problems)
    if lang != "en":
        frame["severity"] = frame["severity"].map(lambda s: SEVERITY_ZH.get(s, s))
    if frame.empty:
        frame = pd.DataFrame({"message": ["无问题 / no issues"]})
    write_frame(ws, frame, lang, names)


def _weights(a: Assessment, ws: Worksheet, lang: str, names: dict) -> None:
    sheet_header(ws, "权重", "Weights", lang, "e, d and w per indicator; subsystem weights")
    cols = [
        c
        for c in (
            "subsystem",
            "name_zh",
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
    fmt = {c: WEIGHT_FORMAT for c in ("e", "d", "within_weight", "subsystem_weight", "weight")}
    last, _ = write_frame(ws, a.weights[cols], lang, names, fmt)
    sub = a.subsystem_weights.rename("subsystem_weight").to_frame()
    sub.index.name = "subsystem"
    write_frame(ws, sub, lang, names, fmt, top=last + 3, freeze=False)


def _scores(a: Assessment, ws: Worksheet, lang: str, names: dict) -> None:
    sheet_header(ws, "子系统得分", "Subsystem scores", lang, "U per city-year, on [0, 1]")
    last, lastc = write_frame(
        ws, a.scores, lang, names, dict.fromkeys(a.scores.columns, SCORE_FORMAT)
    )
    colour_scale(ws, HEADER_ROW + 1, last, 3, lastc)


def _composite(a: Assessment, ws: Worksheet, lang: str, names: dict) -> None:
    sheet_header(ws, "综合评价", "Composite (TOPSIS)", lang, "rank within each year")
    fmt = dict.fromkeys(("d_plus", "d_minus", "closeness"), SCORE_FORMAT)
    last, _ = write_frame(ws, a.composite, lang, names, fmt)
    colour_scale(ws, HEADER_ROW + 1, last, 5, 5)


SHEETS: list[tuple[str, SheetWriter]] = [
    ("摘要", _summary),
    ("方法", _methods),
    ("指标体系", _system),
    ("原始数据", _data),
    ("数据问题", _issues),
    ("权重", _weights),
    ("子系统得分", _scores),
    ("综合评价", _composite),
]


def build_workbook(a: Assessment, lang: str = "both") -> Workbook:
    """Lay out every sheet of the report in a new openpyxl Workbook."""
    if lang not in ("zh", "en", "both"):
        raise ValueError(f"lang must be 'zh', 'en' or 'both', got {lang!r}")
    names = {s.id: (s.name_zh, s.name_en) for s in a.system.subsystems}
    wb = Workbook()
    wb.remove(wb.active)
    for name, writer in SHEETS:
        ws = wb.create_sheet(check_sheet_name(name))
        writer(a, ws, lang, names)
        print_setup(ws)
    return wb


def write_report(a: Assessment, path: str | Path, lang: str = "both") -> Path:
    """Write the report workbook to ``path`` atomically (temp file + rename)."""
    wb = build_workbook(a, lang)
    return write_atomic(path, wb.save)
