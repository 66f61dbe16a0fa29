"""The plan-target attainment workbook (a plan table with base values and targets)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from coordeval._version import __version__
from coordeval.analysis.targets import read_targets, target_attainment
from coordeval.io.atomic import write_atomic
from coordeval.report._context import MAX_SHEET_ROWS, Context
from coordeval.report._xlsx import (
    SCORE_FORMAT,
    check_sheet_name,
    new_workbook,
    print_setup,
    sheet_header,
    write_frame,
)

TARGET_METHODS = [
    (
        "progress",
        "完成进度 = (当前值 − 基期值)/(目标值 − 基期值)；时间进度 = (评估年 − 基期年)/(目标年 − 基期年)。",
        "Progress = (actual − base)/(target − base); elapsed share = (as_of − base year)/(target "
        "year − base year).",
    ),
    (
        "status",
        "已达成：当前值达到目标（含 >、< 类目标）；进度正常：完成进度 ≥ 时间进度；滞后：低于时间进度；"
        "基期当年，进度未评：实际值年份即基期年，尚无时间进度；不可评估：目标非数值（如国家及省下达目标）或缺少水平值，列出原因而不删除。",
        "Met: the target is reached (including > and < targets); on track: progress ≥ elapsed "
        "share; behind: below it; no time elapsed: the observed year is the base year, so "
        "progress is not judged; not assessable: a non-numeric target (e.g. set by the national "
        "and provincial governments) or levels missing — listed with the reason, never dropped.",
    ),
    (
        "growth targets",
        "年均增速目标：按 基期水平·(1+g)^(t−基期年) 的路径比较实际年均增速与 g。",
        "Average-annual-growth targets: the realised average annual growth is compared with g "
        "along the path base·(1+g)^(t − base year).",
    ),
]

SHOW = [
    "category_zh",
    "seq",
    "indicator",
    "name_zh",
    "unit",
    "target_type",
    "base_year",
    "base_value",
    "target_year",
    "target_value",
    "target_qualifier",
    "actual_year",
    "actual_value",
    "elapsed_share",
    "progress",
    "status_zh",
    "status_en",
    "reason",
]


def write_targets_report(path: str | Path, system: str, out: str | Path) -> Path:
    """Assess a plan-target table (see :func:`read_targets`) and write its workbook."""
    table = read_targets(path)
    result = target_attainment(table)
    names = {
        "category_zh": ("类别", "Category"),
        "seq": ("序号", "No."),
        "target_type": ("目标类型", "Target type"),
        "base_year": ("基期年", "Base year"),
        "base_value": ("基期值", "Base"),
        "target_year": ("目标年", "Target year"),
        "target_value": ("目标值", "Target"),
        "target_qualifier": ("目标限定", "Qualifier"),
        "actual_year": ("当前年", "Actual year"),
        "actual_value": ("当前值", "Actual"),
        "elapsed_share": ("时间进度", "Elapsed share"),
        "progress": ("完成进度", "Progress"),
        "status_zh": ("状态", "Status (zh)"),
        "status_en": ("状态(英)", "Status"),
        "reason": ("说明", "Reason"),
        "base_raw": ("基期原文", "Base as printed"),
        "target_raw": ("目标原文", "Target as printed"),
    }
    ctx = Context(lang="both", names=names, stem=Path(out).stem, max_rows=MAX_SHEET_ROWS)
    wb = new_workbook()
    ws = wb.create_sheet(check_sheet_name("摘要"))
    sheet_header(ws, "摘要", "Summary", "both", "plan-target attainment")
    counts = result["status_zh"].value_counts()
    meta = pd.DataFrame(
        [
            ("coordeval_version", __version__),
            ("data_file", Path(path).name),
            ("system", system),
            ("indicators", str(len(result))),
            *[(f"status {k}", str(v)) for k, v in counts.items()],
        ],
        columns=["key", "value"],
    )
    write_frame(ws, meta, ctx)
    ws = wb.create_sheet(check_sheet_name("方法"))
    sheet_header(ws, "方法", "Methods", "both")
    write_frame(ws, pd.DataFrame(TARGET_METHODS, columns=["item", "中文", "English"]), ctx)
    ws = wb.create_sheet(check_sheet_name("目标达成"))
    sheet_header(ws, "目标达成", "Target attainment", "both")
    write_frame(ws, result[SHOW], ctx, {"elapsed_share": SCORE_FORMAT, "progress": SCORE_FORMAT})
    ws = wb.create_sheet(check_sheet_name("原始数据"))
    sheet_header(ws, "原始数据", "Data", "both", "the plan table as printed, with parsed values")
    write_frame(ws, table, ctx)
    for sheet in wb.worksheets:
        print_setup(sheet)
    return write_atomic(out, wb.save)
