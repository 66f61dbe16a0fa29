"""Print layout of report sheets: A4 landscape at a readable scale, key columns repeated on
every page across, header rows repeated down, section headings kept with their tables.

The layout is computed from the column widths and row heights the sheet writers set (Excel
widths in characters, heights in points), so it needs no spreadsheet application. A sheet
narrower than the page prints at 100 %; a wider one is scaled down to at most
:data:`MIN_SCALE`; beyond that, the table is split into column blocks that each repeat the
key (city, year) columns, which is how Excel and LibreOffice print a sheet with print-title
columns.
"""

from __future__ import annotations

from openpyxl.utils import get_column_letter, range_boundaries
from openpyxl.utils.cell import column_index_from_string, coordinate_from_string
from openpyxl.worksheet.pagebreak import Break, RowBreak
from openpyxl.worksheet.worksheet import Worksheet

#: Smallest print scale (%) of any sheet.
MIN_SCALE = 60
#: A4 landscape, inches.
PAGE_WIDTH_IN, PAGE_HEIGHT_IN = 11.69, 8.27
MARGIN_IN = 0.5
TOP_MARGIN_IN = 0.6
#: Height (pt) of a row whose height is not set (LibreOffice, 11 pt CJK font).
DEFAULT_ROW_PT = 16.0
#: Width of a column whose width is not set (Excel characters).
DEFAULT_COL_WIDTH = 8.43
#: A heading is kept with this many rows after it (heading, header row, two data rows).
KEEP_ROWS = 4
#: Share of the printable height kept free for differences between estimate and renderer.
SAFETY = 0.1

_SECTIONS = "_coordeval_sections"


def mark_section(ws: Worksheet, row: int) -> None:
    """Remember that ``row`` holds a section heading (kept with the table under it)."""
    rows = getattr(ws, _SECTIONS, None)
    if rows is None:
        rows = []
        setattr(ws, _SECTIONS, rows)
    rows.append(row)


#: Printed points per character of column width (measured: LibreOffice with the CJK fallback
#: of 等线 11 pt prints an 8-character column 56 pt wide; Excel's 等线 is narrower).
POINTS_PER_CHAR = 7.0


def width_points(width: float) -> float:
    """Printed width (pt) of an Excel column ``width`` characters wide."""
    return POINTS_PER_CHAR * width


def last_column(ws: Worksheet) -> int:
    """The last visible column holding a value (0 for an empty sheet)."""
    hidden = {
        col
        for col in range(1, ws.max_column + 1)
        if (dim := ws.column_dimensions.get(get_column_letter(col))) is not None and dim.hidden
    }
    cols = {c for (_, c), cell in ws._cells.items() if cell.value is not None} - hidden
    return max(cols, default=0)


def column_points(ws: Worksheet, first: int, last: int) -> float:
    """Printed width (pt) of columns ``first`` … ``last``."""
    total = 0.0
    for col in range(first, last + 1):
        dim = ws.column_dimensions.get(get_column_letter(col))
        if dim is not None and dim.hidden:
            continue
        width = dim.width if dim is not None and dim.width else DEFAULT_COL_WIDTH
        total += width_points(width)
    return total


def _key_columns(ws: Worksheet) -> int:
    """Number of leading key columns: those left of the frozen pane."""
    if not ws.freeze_panes:
        return 0
    col, _, _, _ = range_boundaries(f"{ws.freeze_panes}:{ws.freeze_panes}")
    return max((col or 1) - 1, 0)


def _chart_right_edge(ws: Worksheet) -> float:
    """Right edge (pt) of the charts anchored on the sheet, from the left of column A."""
    edge = 0.0
    for chart in ws._charts:
        anchor = chart.anchor
        if isinstance(anchor, str):
            col = column_index_from_string(coordinate_from_string(anchor)[0]) - 1
        elif getattr(anchor, "_from", None) is not None:
            col = anchor._from.col
        else:
            continue
        left = column_points(ws, 1, col) if col else 0.0
        edge = max(edge, left + chart.width / 2.54 * 72)
    return edge


def print_area(ws: Worksheet) -> str:
    """The printed range: every visible column with a value or under a chart, every row
    with a value or a set height (rows under charts)."""
    col = last_column(ws)
    edge = _chart_right_edge(ws)
    while column_points(ws, 1, col) < edge:
        col += 1
    heights = [r for r, dim in ws.row_dimensions.items() if dim.height]
    row = max([ws.max_row, *heights])
    return f"A1:{get_column_letter(max(col, 1))}{row}"


def print_scale(ws: Worksheet) -> tuple[int, int]:
    """The print scale (%) and the number of key columns to repeat (0 when the sheet fits
    across one page at the scale)."""
    printable = (PAGE_WIDTH_IN - 2 * MARGIN_IN) * 72 * (1 - SAFETY / 2)
    used = max(column_points(ws, 1, last_column(ws)), _chart_right_edge(ws), 1.0)
    fit = int(printable / used * 100)
    if fit >= 100:
        return 100, 0
    if fit >= MIN_SCALE:
        return fit, 0
    return MIN_SCALE, _key_columns(ws)


def _row_points(ws: Worksheet, row: int) -> float:
    dim = ws.row_dimensions.get(row)
    return float(dim.height) if dim is not None and dim.height else DEFAULT_ROW_PT


def _chart_rows(ws: Worksheet) -> dict[int, float]:
    """Top row → height (pt) of the charts anchored on the sheet."""
    out: dict[int, float] = {}
    for chart in ws._charts:
        anchor = chart.anchor
        if isinstance(anchor, str):
            row = coordinate_from_string(anchor)[1]
        elif getattr(anchor, "_from", None) is not None:
            row = anchor._from.row + 1
        else:
            continue
        out[row] = max(out.get(row, 0.0), chart.height / 2.54 * 72)
    return out


def page_height_pt(scale: float = 100) -> float:
    """Printable height (pt of the sheet, at print ``scale`` %) of one A4 landscape page,
    less the :data:`SAFETY` room."""
    return (PAGE_HEIGHT_IN - 2 * TOP_MARGIN_IN) * 72 * (1 - SAFETY) / (scale / 100)


def keep_headings(ws: Worksheet, scale: int, title_rows: tuple[int, int] | None) -> list[int]:
    """Explicit page breaks: a page ends before the row that would overflow it (estimated
    with :data:`SAFETY` room to spare, so the renderer never breaks earlier by itself), and
    a section heading with fewer than :data:`KEEP_ROWS` rows room left on its page starts
    the next page. Returns the rows before which a break was put."""
    printable = page_height_pt(scale)
    repeat = 0.0
    if title_rows is not None:
        repeat = sum(_row_points(ws, r) for r in range(title_rows[0], title_rows[1] + 1))
    heads = set(getattr(ws, _SECTIONS, []))
    charts = _chart_rows(ws)
    last = max([ws.max_row, *(r for r, d in ws.row_dimensions.items() if d.height)])
    breaks: list[int] = []
    used = 0.0
    for row in range(1, last + 1):
        h = _row_points(ws, row)
        room = printable - (repeat if breaks and (title_rows is None or row > title_rows[1]) else 0)
        need = h
        if row in heads:
            need = sum(_row_points(ws, r) for r in range(row, row + KEEP_ROWS))
        if row in charts:  # a chart is not split across pages
            need = max(need, charts[row])
        if used > 0 and used + need > room:
            breaks.append(row)
            used = 0.0
        used += h
    for row in breaks:
        ws.row_breaks.append(Break(id=row - 1))
    return breaks


def page_setup(
    ws: Worksheet, title_rows: tuple[int, int] | None = None, *, first_page_number: bool = True
) -> int:
    """A4 landscape at the scale :func:`print_scale` gives, key columns and ``title_rows``
    repeated, headings kept with their tables, page numbers in the footer. Returns the
    scale."""
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.sheet_properties.pageSetUpPr.fitToPage = False
    scale, keys = print_scale(ws)
    ws.page_setup.scale = scale
    ws.page_margins.left = ws.page_margins.right = MARGIN_IN
    ws.page_margins.top = ws.page_margins.bottom = TOP_MARGIN_IN
    ws.page_margins.header = ws.page_margins.footer = 0.3
    ws.print_options.horizontalCentered = False
    if keys:
        ws.print_title_cols = f"A:{get_column_letter(keys)}"
    if title_rows is not None and ws.max_row > title_rows[1]:
        ws.print_title_rows = f"{title_rows[0]}:{title_rows[1]}"
    if ws.row_breaks is None:
        ws.row_breaks = RowBreak()
    ws.print_area = print_area(ws)
    keep_headings(ws, scale, title_rows)
    if first_page_number:
        ws.oddFooter.center.text = "&P / &N"
    return scale
