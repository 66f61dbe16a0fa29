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
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd
from openpyxl import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from coordeval.io._csvtext import escape_frame
from coordeval.io.atomic import atomic_path
from coordeval.report._context import (
    MAX_SHEET_ROWS,
    Context,
    make_context,
    write_csv_bom,
)
from coordeval.report._sheets_analysis import (
    factors_sheet,
    inequality_sheet,
    synergy_sheet,
    targets_sheet,
)
from coordeval.report._sheets_data import (
    data_sheet,
    issues_sheet,
    methods_sheet,
    system_sheet,
    weights_sheet,
)
from coordeval.report._sheets_results import (
    composite_sheet,
    coupling_sheet,
    obstacles_sheet,
    scores_sheet,
    trends_sheet,
)
from coordeval.report._xlsx import check_sheet_name, new_workbook, print_setup
from coordeval.report.labels import sheet_name
from coordeval.report.spatial import SHEETS as EXTENDED_SHEETS
from coordeval.report.summary import write_run_info, write_summary

if TYPE_CHECKING:
    from coordeval.assessment import Assessment

__all__ = ["MAX_SHEET_ROWS", "SHEETS", "build_workbook", "write_report"]

SheetWriter = Callable[["Assessment", Worksheet, Context], None]

#: The sheets of the report in order: (Chinese name, writer, whether the assessment has it);
#: the extended analyses' sheets (:mod:`coordeval.report.spatial`) come last.
SHEETS: list[tuple[str, SheetWriter, Callable[[Assessment], bool]]] = [
    ("摘要", write_summary, lambda a: True),
    ("方法", methods_sheet, lambda a: True),
    ("指标体系", system_sheet, lambda a: True),
    ("原始数据", data_sheet, lambda a: True),
    ("数据问题", issues_sheet, lambda a: True),
    ("权重", weights_sheet, lambda a: True),
    ("子系统得分", scores_sheet, lambda a: True),
    ("综合评价", composite_sheet, lambda a: True),
    ("耦合协调", coupling_sheet, lambda a: "coupling" in a.tables),
    ("障碍度", obstacles_sheet, lambda a: "top_obstacles" in a.tables),
    ("区域差异", inequality_sheet, lambda a: True),
    ("目标达成", targets_sheet, lambda a: "targets" in a.tables),
    ("协同关系", synergy_sheet, lambda a: any(k.startswith("synergy_") for k in a.tables)),
    ("影响因素", factors_sheet, lambda a: "factors_ols" in a.tables),
    ("趋势", trends_sheet, lambda a: a.is_panel),
    ("运行信息", write_run_info, lambda a: True),
    *EXTENDED_SHEETS,
]

#: Sheets written after all others (they name the CSV files the others made).
_LAST = {"运行信息"}


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
            write_csv_bom(escape_frame(df.reset_index()), tmp)
        tmp = stack.enter_context(atomic_path(path))
        wb.save(tmp)
    return path
