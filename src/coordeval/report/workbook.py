"""Write an :class:`~coordeval.Assessment` as a formatted Excel workbook (openpyxl).

The report reads an Assessment and never computes scores. Every sheet has a Chinese title, an
English subtitle, a header row, frozen panes, number formats and fitted column widths; score
tables carry colour scales; charts are native Excel charts anchored beside their tables. Text
that starts with ``=``, ``+``, ``-`` or ``@`` is written as text, never as a formula. Tables
longer than ``max_rows`` go to CSV files (UTF-8 with BOM) next to the workbook and the sheet
keeps the latest year's top and bottom units; the summary sheet names the files. Everything is
written to temporary files in the target folder and renamed at the end, so a failed run
leaves no partial report.
"""

from __future__ import annotations

import contextlib
import math
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
from openpyxl import Workbook
from openpyxl.chart import BarChart, LineChart, RadarChart, Reference
from openpyxl.chart.series import SeriesLabel
from openpyxl.formatting.rule import ColorScaleRule
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.utils.indexed_list import IndexedList
from openpyxl.worksheet.worksheet import Worksheet

from coordeval.assessment import problems_frame
from coordeval.io.atomic import FORMULA_TRIGGERS, atomic_path
from coordeval.report.findings import key_findings, latest_year
from coordeval.report.labels import SEVERITY_ZH, column_label
from coordeval.report.methods import methods_rows

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
MONEY_FORMAT = "#,##0.00"
INVALID_SHEET_CHARS = set("/\\?*[]:")
#: Tables longer than this go to CSV; the sheet keeps a summary.
MAX_SHEET_ROWS = 5000
#: Cities drawn in one chart at most (best and worst of the latest year).
MAX_CHART_SERIES = 10


def check_sheet_name(name: str) -> str:
    """Return ``name`` if Excel accepts it as a sheet name (≤ 31 characters, no ``/\\?*[]:``)."""
    if not name or len(name) > 31 or INVALID_SHEET_CHARS & set(name):
        raise ValueError(f"invalid Excel sheet name {name!r}")
    return name


def cell_value(v: Any) -> Any:
    """A value openpyxl can store: numpy scalars to Python, NaN/NA/inf to empty."""
    if v is None or v is pd.NA:
        return None
    if isinstance(v, np.generic):
        v = v.item()
    if isinstance(v, float) and not math.isfinite(v):
        return None
    return v


def put(ws: Worksheet, row: int, col: int, value: Any, fmt: str | None = None) -> None:
    """Write one cell; strings that look like formulas are stored as text."""
    v = cell_value(value)
    c = ws.cell(row=row, column=col)
    c.value = v
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
    """What every sheet writer needs: language, display names and the sidecar files."""

    lang: str
    names: dict[str, tuple[str, str]]
    stem: str
    max_rows: int
    sidecars: dict[str, pd.DataFrame] = field(default_factory=dict)

    def label(self, key: str) -> str:
        return column_label(key, self.lang, self.names)


def sheet_header(ws: Worksheet, title_zh: str, title_en: str, lang: str, note: str = "") -> None:
    """Title (row 1), English subtitle and note (row 2)."""
    title = {"zh": title_zh, "en": title_en}.get(lang, title_zh)
    ws.cell(row=1, column=1, value=title).font = TITLE_FONT
    sub = title_en if lang == "both" else ""
    text = " — ".join(t for t in (sub, note) if t)
    if text:
        put(ws, 2, 1, text)
        ws.cell(row=2, column=1).font = SUBTITLE_FONT


def section(ws: Worksheet, row: int, col: int, text: str) -> None:
    """A section title inside a sheet."""
    put(ws, row, col, text)
    ws.cell(row=row, column=col).font = SECTION_FONT


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
    flat = df.reset_index() if not isinstance(df.index, pd.RangeIndex) else df
    formats = default_formats(df) | (formats or {})
    n_index = flat.shape[1] - df.shape[1]
    label_names = ctx.names | (names or {})
    heads = [column_label(str(c), ctx.lang, label_names) for c in flat.columns]
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
        c.alignment = Alignment(wrap_text=True, vertical="center")
        line_w = cell_widths(pd.Series(head.split("\n"))).to_numpy()
        head_lines = max(head_lines, int(np.ceil(np.maximum(line_w, 1) / max(width - 1, 1)).sum()))
        if is_text and len(col) and int(content.max()) + 2 > width:
            row_lines = np.maximum(row_lines, np.ceil(content / max(width - 1, 1)).astype(int))
            for i in np.flatnonzero(content.to_numpy() + 2 > width):
                ws.cell(row=top + 1 + int(i), column=left + j).alignment = Alignment(
                    wrap_text=True, vertical="top"
                )
    ws.row_dimensions[top].height = 15 * head_lines
    for i in np.flatnonzero(row_lines.to_numpy() > 1):
        ws.row_dimensions[top + 1 + int(i)].height = 15 * int(row_lines.iloc[i])
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
}


def print_setup(ws: Worksheet) -> None:
    """Fit to page width, landscape; a one-table sheet repeats its header row on every page."""
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    if ws.title in SINGLE_TABLE_SHEETS and ws.max_row > HEADER_ROW:
        ws.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW + (ws.title == '原始数据')}"


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

    A (city, year) table longer than ``ctx.max_rows`` keeps the latest year's first and last
    ten rows by its first numeric column; the full table is written to
    ``<report>_<name>.csv``.
    """
    if len(df) <= ctx.max_rows:
        return df, ""
    ctx.sidecars[name] = df
    file = f"{ctx.stem}_{name}.csv"
    if isinstance(df.index, pd.MultiIndex) and "year" in df.index.names:
        year = df.index.get_level_values("year").max()
        latest = df[df.index.get_level_values("year") == year]
        num = [c for c in latest.columns if pd.api.types.is_numeric_dtype(latest[c])]
        if num:
            latest = latest.sort_values(num[0], ascending=False)
        shown = pd.concat([latest.head(10), latest.tail(10)]) if len(latest) > 20 else latest
        return shown, (
            f"完整表 {len(df)} 行见 {file}；此处为 {year} 年前后各 10 个单元 / full table "
            f"({len(df)} rows) in {file}; shown: {year}, top and bottom 10 units"
        )
    return df.head(ctx.max_rows), (
        f"完整表 {len(df)} 行见 {file} / full table ({len(df)} rows) "
        f"in {file}; first {ctx.max_rows} rows shown"
    )


SheetWriter = Callable[["Assessment", Worksheet, Context], None]


def _summary(a: Assessment, ws: Worksheet, ctx: Context) -> None:
    sheet_header(ws, "摘要", "Summary", ctx.lang, "key findings, run metadata and conventions")
    findings = pd.DataFrame(key_findings(a), columns=["finding_zh", "finding_en"])
    if ctx.lang == "zh":
        findings = findings[["finding_zh"]]
    elif ctx.lang == "en":
        findings = findings[["finding_en"]]
    last, _ = write_frame(ws, findings, ctx)
    for col in range(1, findings.shape[1] + 1):
        ws.column_dimensions[get_column_letter(col)].width = 60
    wrap_rows(ws, HEADER_ROW + 1, {c: 60 for c in range(1, findings.shape[1] + 1)})
    rows = [(k, str(v)) for k, v in a.meta.items()]
    rows += [(f"convention.{k}", str(v)) for k, v in a.conventions.items()]
    rows += [(f"csv.{k}", f"{ctx.stem}_{k}.csv") for k in ctx.sidecars]
    meta = pd.DataFrame(rows, columns=["key", "value"])
    section(ws, last + 2, 1, "运行信息 / Run metadata")
    last, _ = write_frame(ws, meta, ctx, top=last + 3, freeze=False)
    # the chart data go below both the metadata and the two charts (about 40 rows tall)
    _summary_charts(a, ws, ctx, top=max(last + 3, HEADER_ROW + 42), chart_col=findings.shape[1] + 2)


def _chart_cities(a: Assessment, year: int) -> list[Any]:
    """Cities drawn in charts: all, or the best and worst of ``year`` by the composite."""
    comp = a.composite.xs(year, level="year")["closeness"].sort_values(ascending=False)
    if len(comp) <= MAX_CHART_SERIES:
        return list(comp.index)
    half = MAX_CHART_SERIES // 2
    return [*comp.index[:half], *comp.index[-half:]]


def _summary_charts(a: Assessment, ws: Worksheet, ctx: Context, top: int, chart_col: int) -> None:
    """The latest year's chart data under the metadata; radar and bar charts beside the
    findings (column ``chart_col``), where they cover no table."""
    year = latest_year(a)
    cities = _chart_cities(a, year)
    U = a.scores.xs(year, level="year").loc[cities]
    comp = a.composite.xs(year, level="year").loc[cities, "closeness"].rename("composite")
    table = U.join(comp)
    if "coupling" in a.tables:
        table = table.join(a.tables["coupling"].xs(year, level="year")["D"])
    table.index.name = "city"
    left = 1
    note = (
        ""
        if len(cities) == a.scores.xs(year, level="year").shape[0]
        else (
            f"（前 {MAX_CHART_SERIES // 2} 与后 {MAX_CHART_SERIES // 2} 名 / best and worst "
            f"{MAX_CHART_SERIES // 2}）"
        )
    )
    section(ws, top - 1, left, f"{year} 图表数据 / chart data {note}")
    last, lastc = write_frame(ws, table, ctx, top=top, left=left, freeze=False)
    anchor_col = get_column_letter(chart_col)
    n_sub = U.shape[1]
    if n_sub >= 3:
        radar = RadarChart()
        radar.type = "marker"
        radar.title = f"{year} 子系统得分 Subsystem scores"
        for r in range(top + 1, last + 1):
            ref = Reference(ws, min_col=left + 1, max_col=left + n_sub, min_row=r, max_row=r)
            radar.add_data(ref, from_rows=True, titles_from_data=False)
        radar.set_categories(
            Reference(ws, min_col=left + 1, max_col=left + n_sub, min_row=top, max_row=top)
        )
        for s, city in zip(radar.series, table.index, strict=True):
            s.tx = SeriesLabel(v=str(city))
        radar.height, radar.width = 9, 15
        ws.add_chart(radar, f"{anchor_col}{HEADER_ROW}")
    bar = BarChart()
    bar.type = "col"
    metric_col = lastc if "coupling" in a.tables else left + n_sub + 1
    bar.title = f"{year} " + (
        "耦合协调度 D / Coupling coordination D"
        if "coupling" in a.tables
        else "综合得分 / Composite"
    )
    bar.add_data(
        Reference(ws, min_col=metric_col, min_row=top, max_row=last), titles_from_data=True
    )
    bar.set_categories(Reference(ws, min_col=left, min_row=top + 1, max_row=last))
    bar.legend = None
    bar.height, bar.width = 8, 15
    ws.add_chart(bar, f"{anchor_col}{HEADER_ROW + 20}")


def _methods(a: Assessment, ws: Worksheet, ctx: Context) -> None:
    sheet_header(ws, "方法", "Methods", ctx.lang, "every formula and convention used in this run")
    rows = methods_rows(a.conventions, a.notes)
    rows += [(f"not run: {k}", f"未计算：{v}", f"Not computed: {v}") for k, v in a.skipped.items()]
    frame = pd.DataFrame(rows, columns=["item", "中文", "English"])
    if ctx.lang == "zh":
        frame = frame.drop(columns="English")
    elif ctx.lang == "en":
        frame = frame.drop(columns="中文")
    write_frame(ws, frame, ctx)
    widths = {c: 70 for c in range(2, frame.shape[1] + 1)}
    for c, w in widths.items():
        ws.column_dimensions[get_column_letter(c)].width = w
    wrap_rows(ws, HEADER_ROW + 1, widths)


def _system(a: Assessment, ws: Worksheet, ctx: Context) -> None:
    sheet_header(ws, "指标体系", "Indicator system", ctx.lang, a.system.name)
    sys = a.system
    frame = pd.DataFrame(
        {
            "subsystem": [ctx.names[sys.membership[i.id]][0] for i in sys.indicators],
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
    write_frame(ws, frame, ctx)
    ws.column_dimensions["H"].width = 50


def unit_format(unit: str) -> str | None:
    """Number format for raw values by unit: thousands separators for money, 2 decimals for %."""
    if "元" in unit or "$" in unit:
        return MONEY_FORMAT
    if "%" in unit or "‰" in unit:
        return PCT_FORMAT
    return None


def _data(a: Assessment, ws: Worksheet, ctx: Context) -> None:
    data, note = fit_table(ctx, "data", a.data)
    sheet_header(ws, "原始数据", "Data", ctx.lang, note or "values as read; row 5 gives the units")
    sys = a.system
    ind_names = {i.id: (i.name_zh, i.name_en) for i in sys.indicators}
    fmts = {i.id: unit_format(i.unit) or "General" for i in sys.indicators}
    write_frame(ws, data, ctx, fmts, names=ind_names)
    ws.insert_rows(HEADER_ROW + 1)
    units = {i.id: i.unit for i in sys.indicators}
    for j, col in enumerate(data.columns, start=data.index.nlevels + 1):
        put(ws, HEADER_ROW + 1, j, units.get(col, ""))
        ws.cell(row=HEADER_ROW + 1, column=j).font = SUBTITLE_FONT
    ws.freeze_panes = ws.cell(row=HEADER_ROW + 2, column=data.index.nlevels + 1)


def _issues(a: Assessment, ws: Worksheet, ctx: Context) -> None:
    frame = problems_frame(a.problems)
    if ctx.lang != "en":
        frame["severity"] = frame["severity"].map(lambda s: SEVERITY_ZH.get(s, s))
    frame, note = fit_table(ctx, "issues", frame)
    sheet_header(
        ws, "数据问题", "Data issues", ctx.lang, note or "every warning, note and parsed qualifier"
    )
    if frame.empty:
        frame = pd.DataFrame({"message": ["无问题 / no issues"]})
    write_frame(ws, frame, ctx)
    if "message" in frame.columns:
        col = list(frame.columns).index("message") + 1
        ws.column_dimensions[get_column_letter(col)].width = 80
        wrap_rows(ws, HEADER_ROW + 1, {col: 80})


def _weights(a: Assessment, ws: Worksheet, ctx: Context) -> None:
    sheet_header(ws, "权重", "Weights", ctx.lang, "e, d and w per indicator; subsystem weights")
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
    table = a.weights[cols].copy()
    table["subsystem"] = table["subsystem"].map(lambda s: ctx.names[s][0])
    fmt = {c: WEIGHT_FORMAT for c in ("e", "d", "within_weight", "subsystem_weight", "weight")}
    fmt |= {"lo": "General", "hi": "General"}
    last, _ = write_frame(ws, table, ctx, fmt)
    sub = a.subsystem_weights.rename("subsystem_weight").to_frame()
    sub.index = [ctx.names[s][0] for s in sub.index]
    sub.index.name = "subsystem"
    section(ws, last + 2, 1, "子系统权重 / Subsystem weights")
    write_frame(ws, sub, ctx, fmt, top=last + 3, freeze=False)


def _scores(a: Assessment, ws: Worksheet, ctx: Context) -> None:
    scores, note = fit_table(ctx, "scores", a.scores)
    sheet_header(ws, "子系统得分", "Subsystem scores", ctx.lang, note or "U per city-year, [0, 1]")
    last, lastc = write_frame(ws, scores, ctx)
    colour_scale(ws, HEADER_ROW + 1, last, 3, lastc)


def _composite(a: Assessment, ws: Worksheet, ctx: Context) -> None:
    comp, note = fit_table(ctx, "composite", a.composite)
    sheet_header(ws, "综合评价", "Composite (TOPSIS)", ctx.lang, note or "rank within each year")
    last, _ = write_frame(ws, comp, ctx)
    colour_scale(ws, HEADER_ROW + 1, last, 5, 5)


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
            "lag_type_zh",
            "lag_type_en",
            "lagging",
        )
        if c in cc.columns
    ]
    if ctx.lang == "zh":
        show = [c for c in show if not c.endswith("_en")]
    elif ctx.lang == "en":
        show = [c for c in show if c not in ("level_zh", "lag_type_zh", "stage")]
    table, note = fit_table(ctx, "coupling", cc[show])
    sheet_header(
        ws,
        "耦合协调",
        "Coupling coordination",
        ctx.lang,
        note or f"model {a.conventions['coupling']}, grades {a.conventions['grades']}",
    )
    last, _ = write_frame(ws, table, ctx)
    d_col = 2 + show.index("D") + 1
    colour_scale(ws, HEADER_ROW + 1, last, d_col, d_col)
    pair, _ = fit_table(ctx, "pairwise_coupling", a.tables["pairwise_coupling"])
    section(ws, last + 3, 1, "两两耦合协调度 D / Pairwise coupling coordination D")
    pl, pc = write_frame(ws, pair, ctx, top=last + 4, freeze=False)
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
    wide.columns = [f"{'障碍因素' if k == 'indicator' else '障碍度%'} {r}" for k, r in cols]
    wide, note = fit_table(ctx, "top_obstacles", wide)
    sheet_header(
        ws,
        "障碍度",
        "Obstacle degree",
        ctx.lang,
        note or "top obstacles per city-year (%), subsystem obstacles",
    )
    last, _ = write_frame(
        ws,
        wide,
        ctx,
        dict.fromkeys([c for c in wide.columns if "%" in c], PCT_FORMAT),
        max_width=12,
        text_width=16,
    )
    sub, _ = fit_table(ctx, "subsystem_obstacles", a.tables["subsystem_obstacles"])
    section(ws, last + 3, 1, "子系统障碍度(%) / Subsystem obstacles (%)")
    sl, sc = write_frame(
        ws, sub, ctx, default_formats(sub, PCT_FORMAT), top=last + 4, freeze=False, max_width=12
    )
    colour_scale(ws, last + 5, sl, 3, sc, reverse=True)


def _stack(
    ws: Worksheet, ctx: Context, blocks: list[tuple[str, pd.DataFrame, dict | None]]
) -> None:
    """Write titled tables one under another (the first one's header row frozen)."""
    row = HEADER_ROW
    first = True
    for title, df, fmt in blocks:
        if df is None or df.empty:
            continue
        section(ws, row - 1, 1, title)
        last, _ = write_frame(ws, df, ctx, fmt, top=row, freeze=first)
        first = False
        row = last + 4


def _inequality(a: Assessment, ws: Worksheet, ctx: Context) -> None:
    sheet_header(
        ws,
        "区域差异",
        "Inequality and convergence",
        ctx.lang,
        "Gini, Theil (Dagum decomposition with groups), σ and β convergence, robustness",
    )
    t = a.tables
    blocks: list[tuple[str, pd.DataFrame, dict | None]] = []
    if "inequality" in t:
        blocks.append(
            ("区域差异 / Inequality by year", t["inequality"].set_index(["score", "year"]), None)
        )
    if "sigma_convergence" in t:
        blocks.append(
            (
                "σ 收敛 / σ convergence",
                t["sigma_convergence"].set_index(["score", "year"]),
                {"cv_slope_p": P_FORMAT},
            )
        )
    if "beta_convergence" in t:
        blocks.append(
            (
                "β 收敛（综合得分）/ β convergence (composite)",
                t["beta_convergence"],
                {"value": P_FORMAT},
            )
        )
    if "robustness_summary" in t:
        blocks.append(("权重稳健性 / Weight robustness", t["robustness_summary"], None))
    if not blocks:
        blocks.append(
            (
                "",
                pd.DataFrame({"message": ["; ".join(f"{k}: {v}" for k, v in a.skipped.items())]}),
                None,
            )
        )
    _stack(ws, ctx, blocks)


def _targets(a: Assessment, ws: Worksheet, ctx: Context) -> None:
    sheet_header(ws, "目标达成", "Target attainment", ctx.lang, "plan targets vs the latest values")
    write_frame(ws, a.tables["targets"], ctx)


def _synergy(a: Assessment, ws: Worksheet, ctx: Context) -> None:
    sheet_header(
        ws,
        "协同关系",
        "Synergy relations",
        ctx.lang,
        "the four relations of the seed framework, as operationalised by coordeval",
    )
    t = a.tables
    titles = {
        "synergy_intra_homogeneity": "① 城内同质：子系统内指标修正耦合度 C / within city, within "
        "subsystem",
        "synergy_intra_heterogeneity": "② 城内异质：子系统间耦合协调 / within city, across "
        "subsystems",
        "synergy_inter_homogeneity": "③ 城际同质：同一子系统的城市间差异 / across cities, same "
        "subsystem",
        "synergy_inter_heterogeneity": "④ 城际异质：空间溢出系数 / across cities, across "
        "subsystems",
    }
    blocks = []
    for key, title in titles.items():
        if key in t:
            table, note = fit_table(ctx, key, t[key])
            blocks.append((title + (f" — {note}" if note else ""), table, {"p": P_FORMAT}))
    _stack(ws, ctx, blocks)


def _line_chart(
    ws: Worksheet, title: str, top: int, last: int, left: int, lastc: int, anchor: str, y_title: str
) -> None:
    chart = LineChart()
    chart.title = title
    chart.y_axis.title = y_title
    chart.x_axis.title = "年份 Year"
    chart.add_data(
        Reference(ws, min_col=left + 1, max_col=lastc, min_row=top, max_row=last),
        titles_from_data=True,
    )
    chart.set_categories(Reference(ws, min_col=left, min_row=top + 1, max_row=last))
    for s in chart.series:
        s.smooth = False
    chart.height, chart.width = 8, 16
    ws.add_chart(chart, anchor)


def _trends(a: Assessment, ws: Worksheet, ctx: Context) -> None:
    sheet_header(
        ws, "趋势", "Trends", ctx.lang, "yearly composite by city, subsystem means, mean D"
    )
    year = latest_year(a)
    cities = _chart_cities(a, year)
    comp = a.composite["closeness"].unstack("city")[cities]
    comp.index.name = "year"
    top = HEADER_ROW
    section(ws, top - 1, 1, "综合得分 / Composite by city")
    last, lastc = write_frame(ws, comp, ctx, freeze=False)
    _line_chart(
        ws,
        "综合得分趋势 Composite",
        top,
        last,
        1,
        lastc,
        f"{get_column_letter(lastc + 2)}{top}",
        "C",
    )
    means = a.scores.groupby(level="year").mean()
    if "coupling" in a.tables:
        means = means.join(a.tables["coupling"]["D"].groupby(level="year").mean())
    top2 = max(last + 4, top + 20)
    section(ws, top2 - 1, 1, "子系统平均得分与平均 D / Subsystem means and mean D")
    last2, lastc2 = write_frame(ws, means, ctx, top=top2, freeze=False)
    _line_chart(
        ws,
        "子系统平均得分 Subsystem means",
        top2,
        last2,
        1,
        lastc2,
        f"{get_column_letter(max(lastc, lastc2) + 2)}{top2}",
        "U",
    )
    ws.freeze_panes = ws.cell(row=top + 1, column=2)


def _factors(a: Assessment, ws: Worksheet, ctx: Context) -> None:
    sheet_header(
        ws,
        "影响因素",
        "Influencing factors",
        ctx.lang,
        "coupling coordination D regressed on the given factors (see the methods sheet)",
    )
    t = a.tables
    _stack(
        ws,
        ctx,
        [
            ("OLS 回归 / OLS regression", t["factors_ols"], {"p": P_FORMAT}),
            ("双限 Tobit [0, 1] / Two-limit Tobit", t["factors_tobit"], {"p": P_FORMAT}),
        ],
    )


SHEETS: list[tuple[str, SheetWriter, Callable[[Assessment], bool]]] = [
    ("摘要", _summary, lambda a: True),
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
]


def new_workbook() -> Workbook:
    """An empty workbook whose default font is the CJK font analysts have (等线)."""
    wb = Workbook()
    wb.remove(wb.active)
    wb._fonts = IndexedList([BASE_FONT])  # the default (Normal) font of every cell
    wb._named_styles["Normal"].font = BASE_FONT
    return wb


def build_workbook(
    a: Assessment, lang: str = "both", stem: str = "report", max_rows: int = MAX_SHEET_ROWS
) -> tuple[Workbook, dict[str, pd.DataFrame]]:
    """Lay out every sheet of the report; returns the workbook and the CSV sidecar tables."""
    if lang not in ("zh", "en", "both"):
        raise ValueError(f"lang must be 'zh', 'en' or 'both', got {lang!r}")
    names = {s.id: (s.name_zh, s.name_en) for s in a.system.subsystems}
    ctx = Context(lang=lang, names=names, stem=stem, max_rows=max_rows)
    wb = new_workbook()
    summary = None
    for name, writer, applies in SHEETS:
        if not applies(a):
            continue
        ws = wb.create_sheet(check_sheet_name(name))
        if writer is _summary:
            summary = ws  # written last, when the sidecar files are known
            continue
        writer(a, ws, ctx)
        print_setup(ws)
    assert summary is not None
    _summary(a, summary, ctx)
    print_setup(summary)
    return wb, ctx.sidecars


def write_report(
    a: Assessment, path: str | Path, lang: str = "both", max_rows: int = MAX_SHEET_ROWS
) -> Path:
    """Write the report workbook (and CSV files for long tables) atomically.

    All files are first written to temporary files in the target folder and renamed only
    when every one of them has been written; on failure no file is left behind and earlier
    reports are untouched.
    """
    path = Path(path)
    wb, sidecars = build_workbook(a, lang, stem=path.stem, max_rows=max_rows)
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
