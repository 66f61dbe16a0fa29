"""Reports of an assessment: the Excel workbook, the Word brief, figures, the monitoring and
plan-target workbooks and the data-entry template.

The report reads what the analyses computed and writes files; it computes no scores. Names
are loaded on first use (openpyxl, python-docx and matplotlib are imported only when a
report is written).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from coordeval._lazy import lazy_names

if TYPE_CHECKING:
    from coordeval.report._context import MAX_SHEET_ROWS, Context, make_context
    from coordeval.report._palette import FLOOR_COLOUR, GRADE_COLOURS, grade_colour
    from coordeval.report.brief import build_brief, write_brief
    from coordeval.report.figures import draw_figures
    from coordeval.report.monitor import write_monitor_report
    from coordeval.report.targets import write_targets_report, write_targets_workbook
    from coordeval.report.template import build_template, write_template
    from coordeval.report.workbook import build_workbook, write_report

#: Public name → module that defines it.
_WHERE = {
    "MAX_SHEET_ROWS": "_context",
    "Context": "_context",
    "make_context": "_context",
    "FLOOR_COLOUR": "_palette",
    "GRADE_COLOURS": "_palette",
    "grade_colour": "_palette",
    "build_brief": "brief",
    "write_brief": "brief",
    "draw_figures": "figures",
    "write_monitor_report": "monitor",
    "write_targets_report": "targets",
    "write_targets_workbook": "targets",
    "build_template": "template",
    "write_template": "template",
    "build_workbook": "workbook",
    "write_report": "workbook",
}

__all__ = [
    "FLOOR_COLOUR",
    "GRADE_COLOURS",
    "MAX_SHEET_ROWS",
    "Context",
    "build_brief",
    "build_template",
    "build_workbook",
    "draw_figures",
    "grade_colour",
    "make_context",
    "write_brief",
    "write_monitor_report",
    "write_report",
    "write_targets_report",
    "write_targets_workbook",
    "write_template",
]


__getattr__, __dir__ = lazy_names(__name__, _WHERE)
