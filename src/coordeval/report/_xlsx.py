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


def print_scale(ws: Worksheet) -> tuple[int, int]:
    """The print scale (%) and the number of key columns to repeat (0 when the sheet fits
    across one page at the scale)."""
    printable = (PAGE_WIDTH_IN - 2 * MARGIN_IN) * 72
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


def keep_headings(ws: Worksheet, scale: int, title_rows: tuple[int, int] | None) -> list[int]:
    """Page breaks so that no section heading ends a page: a heading with fewer than
    :data:`KEEP_ROWS` rows room left on its page starts the next page. Returns the rows
    before which a break was put."""
    headings = sorted(set(getattr(ws, _SECTIONS, [])))
    if not headings:
        return []
    printable = (PAGE_HEIGHT_IN - 2 * TOP_MARGIN_IN) * 72 * (1 - SAFETY) / (scale / 100)
    repeat = 0.0
    if title_rows is not None:
        repeat = sum(_row_points(ws, r) for r in range(title_rows[0], title_rows[1] + 1))
    heads = set(headings)
    breaks: list[int] = []
    used = 0.0
    for row in range(1, ws.max_row + 1):
        h = _row_points(ws, row)
        room = printable - (repeat if breaks or used > printable else 0.0)
        if row in heads:
            need = sum(_row_points(ws, r) for r in range(row, row + KEEP_ROWS))
            if used + need > room and used > 0:
                breaks.append(row)
                used = 0.0
        if used + h > room:
            used = 0.0  # the renderer starts a new page here by itself
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
    keep_headings(ws, scale, title_rows)
    if first_page_number:
        ws.oddFooter.center.text = "&P / &N"
    return scale
