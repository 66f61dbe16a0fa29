"""The plan-target attainment workbook, and the 目标达成 (targets) table of the assessment
report, in one language at a time.

The plan table is read by :func:`coordeval.analysis.targets.read_targets` and assessed by
:func:`coordeval.analysis.targets.target_attainment`; this module only lays out their
results: :func:`write_targets_workbook` writes the workbook (摘要, 方法, 目标达成, 原始数据)
and :func:`target_table` gives the attainment table in the report language (columns, words for
the codes, units), also used by the assessment report's 目标达成 sheet.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from coordeval._version import __version__
from coordeval.analysis.targets import STATUS_EN, STATUS_ZH, read_targets, target_attainment
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
from coordeval.report.labels import check_lang_value, pick, sheet_name, unit_label

__all__ = [
    "TARGET_LABELS",
    "TARGET_METHODS",
    "target_table",
    "write_targets_report",
    "write_targets_workbook",
]

#: (item, 中文, English) of the methods sheet.
TARGET_METHODS = [
    (
        ("完成进度", "Progress"),
        "完成进度 = (当前值 − 基期值)/(目标值 − 基期值)；时间进度 = (评估年 − 基期年)/(目标年 − 基期年)。",
        "Progress = (actual − base)/(target − base); elapsed share = (as_of − base year)/(target "
        "year − base year).",
    ),
    (
        ("状态", "Status"),
        "已达成：当前值达到目标（含 >、< 类目标）；进度正常：完成进度 ≥ 时间进度；滞后：低于时间进度；"
        "基期当年，进度未评：实际值年份即基期年，尚无时间进度；不可评估：目标非数值（如国家及省下达目标）或缺少水平值，列出原因而不删除。",
        "Met: the target is reached (including > and < targets); on track: progress ≥ elapsed "
        "share; behind: below it; no time elapsed: the observed year is the base year, so "
        "progress is not judged; not assessable: a non-numeric target (e.g. set by the national "
        "and provincial governments) or levels missing — listed with the reason, never dropped.",
    ),
    (
        ("增速目标", "Growth targets"),
        "年均增速目标：按 基期水平·(1+g)^(t−基期年) 的路径比较实际年均增速与 g。",
        "Average-annual-growth targets: the realised average annual growth is compared with g "
        "along the path base·(1+g)^(t − base year).",
    ),
]

#: Column headers of the plan and attainment tables (中文, English).
TARGET_LABELS: dict[str, tuple[str, str]] = {
    "category_zh": ("类别", "Category"),
    "category_en": ("类别（英文）", "Category"),
    "seq": ("序号", "No."),
    "indicator": ("指标代码", "Indicator code"),
    "name_zh": ("指标名称", "Indicator"),
    "name_en": ("英文名称", "Indicator"),
    "target_type": ("目标类型", "Target type"),
    "base_year": ("基期年", "Base year"),
    "base_value": ("基期值", "Base"),
    "base_raw": ("基期原文", "Base as printed"),
    "base_qualifier": ("基期限定", "Base qualifier"),
    "target_year": ("目标年", "Target year"),
    "target_value": ("目标值", "Target"),
    "target_raw": ("目标原文", "Target as printed"),
    "target_qualifier": ("目标限定", "Qualifier"),
    "actual_year": ("当前年", "Actual year"),
    "actual_value": ("当前值", "Actual"),
    "elapsed_share": ("时间进度", "Elapsed share"),
    "progress": ("完成进度", "Progress"),
    "status_zh": ("状态", "Status (zh)"),
    "status_en": ("状态（英文）", "Status"),
    "reason": ("说明", "Reason (zh)"),
    "reason_en": ("说明（英文）", "Reason"),
    "source": ("来源", "Source"),
    "note": ("备注", "Note"),
}

#: Words for the codes of the target type and qualifier columns (中文, English).
TARGET_WORDS: dict[str, tuple[str, str]] = {
    "level": ("水平值", "level"),
    "avg_annual_growth": ("年均增速", "average annual growth"),
    "not_numeric": ("非数值目标", "not numeric"),
    "none": ("无目标", "no target"),
    "exact": ("确数", "exact"),
    "approx": ("约数", "approximate"),
    "greater_than": ("大于（>）", "greater than (>)"),
    "less_than": ("小于（<）", "less than (<)"),
    "greater_equal": ("不低于（≥）", "at least (≥)"),
    "less_equal": ("不高于（≤）", "at most (≤)"),
    "not_available": ("未列出", "not available"),
    "per_national_and_provincial_assignment": (
        "按国家及省下达",
        "as assigned by the national and provincial governments",
    ),
}

#: Columns of the attainment table shown, in order; (zh, en) pairs are chosen by language.
_SHOWN: list[str | tuple[str, str]] = [
    ("category_zh", "category_en"),
    "seq",
    "indicator",
    ("name_zh", "name_en"),
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
    ("status_zh", "status_en"),
    ("reason", "reason_en"),
]
#: Columns holding codes worded by :data:`TARGET_WORDS`.
_CODED = ("target_type", "target_qualifier", "base_qualifier")


def _columns(frame: pd.DataFrame, spec: list[str | tuple[str, str]], lang: str) -> list[str]:
    """The columns of ``spec`` present in ``frame`` for ``lang``: of a (zh, en) pair the one
    in the report language (the other when it is missing), both for ``"both"``."""
    out: list[str] = []
    for item in spec:
        if isinstance(item, str):
            if item in frame.columns and not (item == "indicator" and lang == "zh"):
                out.append(item)
            continue
        zh, en = item
        want = {"zh": [zh], "en": [en]}.get(lang, [zh, en])
        have = [c for c in want if c in frame.columns] or [c for c in item if c in frame.columns]
        out += have[:1] if lang != "both" else have
    return out


def _worded(frame: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Codes of the target type and qualifier columns in words, units in ``lang``."""
    out = frame.copy()
    for col in _CODED:
        if col in out.columns:
            out[col] = out[col].map(
                lambda v: pick(*TARGET_WORDS[v], lang) if v in TARGET_WORDS else v
            )
    if "unit" in out.columns:
        out["unit"] = out["unit"].map(lambda u: unit_label(str(u), lang) if pd.notna(u) else u)
    return out


def target_table(result: pd.DataFrame, lang: str, plan: pd.DataFrame | None = None) -> pd.DataFrame:
    """The attainment table (:func:`~coordeval.analysis.targets.target_attainment`) as the
    report shows it in ``lang``: the identifying columns, base, target, actual value,
    progress, status and reason, codes in words.

    Parameters
    ----------
    result : DataFrame
        Output of :func:`~coordeval.analysis.targets.target_attainment`.
    lang : {"zh", "en", "both"}
    plan : DataFrame, optional
        The plan table; its English category names are used in English.
    """
    if plan is not None and "category_en" in plan.columns and "category_en" not in result:
        english = plan.set_index("indicator")["category_en"]
        result = result.assign(category_en=result["indicator"].map(english).to_numpy())
    return _worded(result[_columns(result, _SHOWN, lang)], lang)


def _plan_shown(plan: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The plan table as printed, in ``lang`` (the other language's name columns left out)."""
    pairs = {"category_zh": "category_en", "name_zh": "name_en"}
    spec: list[str | tuple[str, str]] = []
    for col in plan.columns:
        if col in pairs:
            spec.append((col, pairs[col]))
        elif col not in pairs.values():
            spec.append(str(col))
    return _worded(plan[_columns(plan, spec, lang)], lang)


def write_targets_workbook(
    plan: pd.DataFrame,
    result: pd.DataFrame,
    out: str | Path,
    *,
    data_file: str,
    system: str,
    lang: str = "zh",
) -> Path:
    """Write the plan-target workbook (atomically) in ``lang``.

    Parameters
    ----------
    plan : DataFrame
        The plan table (:func:`~coordeval.analysis.targets.read_targets`).
    result : DataFrame
        Its attainment (:func:`~coordeval.analysis.targets.target_attainment`).
    out : str or Path
        The ``.xlsx`` file.
    data_file, system : str
        Names of the plan file and the indicator system, listed on the summary sheet.
    lang : {"zh", "en", "both"}
        Language of sheet names, titles, headers, words and notes.

    Returns
    -------
    Path
    """
    check_lang_value(lang)
    ctx = Context(lang=lang, names=TARGET_LABELS, stem=Path(out).stem, max_rows=MAX_SHEET_ROWS)
    wb = new_workbook()

    ws = wb.create_sheet(check_sheet_name(sheet_name("摘要", lang)))
    sheet_header(ws, "摘要", "Summary", lang, "plan-target attainment", "规划目标达成情况")
    counts = result["status"].value_counts()
    meta = pd.DataFrame(
        [
            (pick("coordeval 版本", "coordeval version", lang), __version__),
            (pick("规划表文件", "Plan table file", lang), data_file),
            (pick("指标体系", "Indicator system", lang), system),
            (pick("指标数", "Indicators", lang), str(len(result))),
            *[
                (pick(f"状态：{STATUS_ZH[k]}", f"Status: {STATUS_EN[k]}", lang), str(v))
                for k, v in counts.items()
            ],
        ],
        columns=["item", "value"],
    )
    write_frame(ws, meta, ctx)

    ws = wb.create_sheet(check_sheet_name(sheet_name("方法", lang)))
    sheet_header(ws, "方法", "Methods", lang)
    methods = pd.DataFrame(
        [(pick(*item, lang), zh, en) for item, zh, en in TARGET_METHODS],
        columns=["item", "中文", "English"],
    )
    if lang != "both":
        methods = methods.drop(columns="English" if lang == "zh" else "中文")
    names = {"中文": ("说明", "Description (Chinese)"), "English": ("英文说明", "Description")}
    write_frame(ws, methods, ctx, names=names, text_width=90)

    ws = wb.create_sheet(check_sheet_name(sheet_name("目标达成", lang)))
    sheet_header(ws, "目标达成", "Target attainment", lang)
    table = target_table(result, lang, plan)
    write_frame(ws, table, ctx, {"elapsed_share": SCORE_FORMAT, "progress": SCORE_FORMAT})

    ws = wb.create_sheet(check_sheet_name(sheet_name("原始数据", lang)))
    sheet_header(
        ws,
        "原始数据",
        "Data",
        lang,
        "the plan table as printed, with parsed values",
        "规划表原文及解析出的数值",
    )
    write_frame(ws, _plan_shown(plan, lang), ctx)
    for sheet in wb.worksheets:
        print_setup(sheet)
    return write_atomic(out, wb.save)


def write_targets_report(path: str | Path, system: str, out: str | Path, lang: str = "zh") -> Path:
    """Read a plan-target table (:func:`~coordeval.analysis.targets.read_targets`), assess it
    (:func:`~coordeval.analysis.targets.target_attainment`) and write its workbook in
    ``lang`` (:func:`write_targets_workbook`)."""
    plan = read_targets(path)
    result = target_attainment(plan)
    return write_targets_workbook(
        plan, result, out, data_file=Path(path).name, system=system, lang=lang
    )
