"""The data-entry template: an empty workbook laid out the way coordeval reads data."""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook

from coordeval.io.atomic import write_atomic
from coordeval.report._xlsx import HEADER_FILL, HEADER_FONT, SUBTITLE_FONT, put
from coordeval.system import SHEET_COLUMNS, SYSTEM_SHEET, IndicatorSystem

DATA_SHEET = "数据"


def build_template(system: IndicatorSystem) -> Workbook:
    """A workbook with a ``数据`` sheet (城市, 年份, one column per indicator, a units row) and
    the indicator system as a ``指标体系`` sheet, so the file documents itself."""
    wb = Workbook()
    ws = wb.active
    ws.title = DATA_SHEET
    heads = ["城市", "年份", *[i.name_zh for i in system.indicators]]
    units = ["单位", "", *[i.unit for i in system.indicators]]
    for j, (h, u) in enumerate(zip(heads, units, strict=True), start=1):
        put(ws, 1, j, h)
        ws.cell(row=1, column=j).font = HEADER_FONT
        ws.cell(row=1, column=j).fill = HEADER_FILL
        put(ws, 2, j, u)
        ws.cell(row=2, column=j).font = SUBTITLE_FONT
        ws.column_dimensions[ws.cell(row=1, column=j).column_letter].width = max(10, 2 * len(h) + 2)
    ws.freeze_panes = "C3"
    sheet = wb.create_sheet(SYSTEM_SHEET)
    for j, name in enumerate(SHEET_COLUMNS, start=1):
        put(sheet, 1, j, name)
        sheet.cell(row=1, column=j).font = HEADER_FONT
    r = 2
    for sub in system.subsystems:
        for ind in sub.indicators:
            row = [
                sub.id,
                sub.name_zh,
                sub.name_en,
                sub.weight,
                ind.id,
                ind.name_zh,
                ind.name_en,
                ind.unit,
                ind.direction,
                ind.weight,
                ind.bounds[0] if ind.bounds else None,
                ind.bounds[1] if ind.bounds else None,
                ";".join(ind.aliases),
                ind.source,
                ind.note,
            ]
            for j, v in enumerate(row, start=1):
                put(sheet, r, j, v)
            r += 1
    sheet.freeze_panes = "A2"
    return wb


def write_template(system: IndicatorSystem, path: str | Path) -> Path:
    """Write the template for ``system`` to ``path`` atomically."""
    return write_atomic(path, build_template(system).save)
