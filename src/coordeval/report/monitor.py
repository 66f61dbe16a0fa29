"""Write the monitoring report of a scores history (``coordeval monitor``) as Excel.

Sheets: 摘要 (findings, yearly table, chart of mean D and composite), 逐年变化 (per city-year
D, composite, subsystem scores, year-on-year changes, rank and rank change, grade, lagging
subsystems, the floor artefact), 等级转移 (transition counts and probabilities), 城市进退
(first → last year per city), 新增滞后 (subsystems that became lagging), 趋势 (D by city with a
line chart). The workbook only lays out :class:`~coordeval.analysis.monitor.Monitoring`; it
computes nothing. Written atomically.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from openpyxl.styles import Alignment
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from coordeval.analysis.monitor import LAG_THRESHOLD, Monitoring
from coordeval.io.atomic import atomic_path
from coordeval.report._context import MAX_CHART_SERIES, Context
from coordeval.report._xlsx import (
    HEADER_ROW,
    check_sheet_name,
    line_chart,
    new_workbook,
    print_setup,
    put,
    section,
    sheet_header,
    write_frame,
)
from coordeval.report.labels import check_lang_value, pick, sheet_name

__all__ = ["MONITOR_LABELS", "write_monitor_report"]

#: Column labels of the monitoring tables (Chinese, English).
MONITOR_LABELS: dict[str, tuple[str, str]] = {
    "d_D": ("D 较上年变化", "Change of D"),
    "d_composite": ("综合得分较上年变化", "Change of composite"),
    "rank": ("D 排名", "Rank of D"),
    "rank_change": ("排名变化（正=上升）", "Rank change (+ = up)"),
    "grade_prev": ("上年等级", "Grade in t − 1"),
    "lagging": ("滞后子系统", "Lagging subsystems"),
    "floor_zero": ("下限0（C=D=0 为尺度所致）", "Floor zero (C = D = 0 from the scale)"),
    "from_grade": ("t−1 年等级", "Grade in t − 1"),
    "to_grade": ("t 年等级", "Grade in t"),
    "first_year": ("首年", "First year"),
    "last_year": ("末年", "Last year"),
    "D_first": ("首年 D", "D first"),
    "D_last": ("末年 D", "D last"),
    "D_change": ("D 变化", "Change of D"),
    "rank_first": ("首年排名", "Rank first"),
    "rank_last": ("末年排名", "Rank last"),
    "grade_first": ("首年等级", "Grade first"),
    "grade_last": ("末年等级", "Grade last"),
    "E_prev": ("上年 E", "E in t − 1"),
    "E": ("本年 E", "E in t"),
    "cities": ("城市数", "Cities"),
    "D_mean": ("平均 D", "Mean D"),
    "composite_mean": ("平均综合得分", "Mean composite"),
    "D_up": ("D 上升城市数", "Cities with D up"),
    "D_down": ("D 下降城市数", "Cities with D down"),
}

#: Why rows at the normalisation floor have C = D = 0 (中文, English).
_FLOOR_NOTE = (
    "“下限0”：某子系统得分处于标准化下限 0（该市在该子系统各指标上均不高于拟合期最低值），经典与"
    "王淑佳模型的乘积因而为 0，C = D = 0、等级 1；这是尺度造成的结果，不代表协调水平，相关等级转移"
    "也应据此解读。",
    "Floor zero: a subsystem score at the normalisation floor 0 makes the product "
    "and so C = D = 0 (grade 1) in the classic and wang2021 models; it is an artefact of the "
    "scale, not a coordination level, and grade transitions into or out of such rows should be "
    "read accordingly.",
)

#: Words for the run facts the monitoring recipe lists (中文, English); shown as given in
#: ``lang="both"``.
META_LABELS: dict[str, tuple[str, str]] = {
    "scores history": ("得分历史文件", "Scores history"),
    "model_sha256": ("模型 SHA-256", "Model SHA-256"),
    "years": ("年份", "Years"),
}

#: (Chinese title, English title, English note, Chinese note) of each sheet.
_SHEETS: dict[str, tuple[str, str, str, str]] = {
    "摘要": (
        "年度监测摘要",
        "Monitoring summary",
        "one frozen scale, all years",
        "同一冻结尺度，全部年份",
    ),
    "逐年变化": (
        "逐年变化",
        "Year-on-year change",
        "changes from t − 1; rank of D within the year (1 = highest)",
        "较 t − 1 年的变化；D 的年内排名（1 = 最高）",
    ),
    "等级转移": (
        "等级转移",
        "Grade transitions",
        "rows: grade in t − 1; columns: grade in t; all consecutive years",
        "行：t − 1 年等级；列：t 年等级；全部相邻年份",
    ),
    "城市进退": (
        "城市进退",
        "Improvers and decliners",
        "first → last year, sorted by change of D",
        "首年 → 末年，按 D 的变化排序",
    ),
    "新增滞后": (
        "新增滞后子系统",
        "Subsystems that became lagging",
        f"E = U / mean(U) < {LAG_THRESHOLD} in t, not in t − 1",
        f"t 年相对发展度 E = U / U 的均值 < {LAG_THRESHOLD}，t − 1 年不是",
    ),
    "趋势": (
        "趋势",
        "Trends",
        "D by city (highest and lowest of the last year)",
        "各城市的 D（末年最高与最低的城市）",
    ),
}


def _sheet(wb: Any, key: str, lang: str) -> Worksheet:
    """A new sheet named ``key`` in ``lang`` with its title and note."""
    ws = wb.create_sheet(check_sheet_name(sheet_name(key, lang)))
    title_zh, title_en, note, note_zh = _SHEETS[key]
    # "both" keeps the English subtitle and note of the bilingual monitoring workbook
    sheet_header(ws, title_zh, title_en, lang, note, note_zh if lang != "both" else "")
    return ws


def _line(
    ws: Worksheet,
    lang: str,
    title: tuple[str, str],
    rows: tuple[int, int],
    cols: tuple[int, int],
    anchor: str,
    y_title: str,
) -> None:
    """A line chart of table columns ``cols`` against the years in column 1."""
    line_chart(
        ws,
        pick(*title, lang, sep=" "),
        rows,
        cols,
        anchor,
        y_title,
        x_title=pick("年份", "Year", lang, sep=" "),
        size=(9, 18),
    )


def write_monitor_report(
    m: Monitoring,
    path: str | Path,
    names: Mapping[str, tuple[str, str]] | None = None,
    lang: str = "both",
    meta: Mapping[str, str] | None = None,
) -> Path:
    """Write the monitoring workbook of :func:`coordeval.analysis.monitor.monitor_history`.

    Parameters
    ----------
    m : Monitoring
        The monitoring tables.
    path : str or Path
        The ``.xlsx`` file (written atomically).
    names : mapping, optional
        Subsystem id → (Chinese, English) name for the column headers.
    lang : {"both", "zh", "en"}
        Language of sheet names, titles, notes, headers, findings and charts.
    meta : mapping, optional
        Run facts listed on the summary sheet (scores file, model hash, …).

    Returns
    -------
    Path
    """
    check_lang_value(lang)
    path = Path(path)
    ctx = Context(lang=lang, names=dict(names or {}), stem=path.stem, max_rows=10**9)
    labels = dict(MONITOR_LABELS)
    for sid, (zh, en) in ctx.names.items():
        labels[f"d_{sid}"] = (f"{zh}较上年变化", f"Change of {en}")
    wb = new_workbook()
    _summary_sheet(wb, m, ctx, labels, meta or {})
    _panel_sheet(wb, m, ctx, labels)
    _transitions_sheet(wb, m, ctx, labels)
    for key, table in (("城市进退", m.cities), ("新增滞后", m.became_lagging)):
        ws = _sheet(wb, key, lang)
        write_frame(ws, table, ctx, names=labels)
        print_setup(ws)
    _trends_sheet(wb, m, ctx)
    with atomic_path(path) as tmp:
        wb.save(tmp)
    return path


def _summary_sheet(
    wb: Any, m: Monitoring, ctx: Context, labels: dict, meta: Mapping[str, str]
) -> None:
    lang = ctx.lang
    ws = _sheet(wb, "摘要", lang)
    section(ws, HEADER_ROW - 1, 1, pick("主要发现", "Findings", lang))
    row = HEADER_ROW
    for zh, en in m.findings:  # long text runs over the empty cells to its right
        for text in {"zh": [zh], "en": [en]}.get(lang, [zh, en]):
            put(ws, row, 1, text)
            row += 1
    top = row + 3
    section(ws, top - 1, 1, pick("逐年概况", "Yearly overview", lang))
    last, lastc = write_frame(ws, m.yearly, ctx, top=top, names=labels, freeze=False)
    title = ("平均 D 与综合得分", "Mean D and composite")
    _line(ws, lang, title, (top, last), (3, 4), f"{get_column_letter(lastc + 2)}{top}", "")
    row = max(last + 3, top + 20)
    for k, v in meta.items():
        put(ws, row, 1, k if lang == "both" else pick(*META_LABELS.get(k, (k, k)), lang))
        put(ws, row, 2, v)
        row += 1
    print_setup(ws)


def _panel_sheet(wb: Any, m: Monitoring, ctx: Context, labels: dict) -> None:
    lang = ctx.lang
    ws = _sheet(wb, "逐年变化", lang)
    panel = m.panel
    if lang != "both":
        panel = panel.drop(columns=[f"level_{'en' if lang == 'zh' else 'zh'}"])
    _, lastc = write_frame(ws, panel, ctx, names=labels)
    put(ws, 3, 1, pick(*_FLOOR_NOTE, lang, sep=" "))
    ws.merge_cells(start_row=3, start_column=1, end_row=3, end_column=lastc)
    ws.cell(row=3, column=1).alignment = Alignment(wrap_text=True, vertical="top")
    ws.row_dimensions[3].height = 45
    print_setup(ws)
    ws.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"


def _transitions_sheet(wb: Any, m: Monitoring, ctx: Context, labels: dict) -> None:
    lang = ctx.lang
    ws = _sheet(wb, "等级转移", lang)
    section(ws, HEADER_ROW - 1, 1, pick("转移次数", "Counts", lang))
    last, _ = write_frame(ws, m.transition_counts, ctx, names=labels, freeze=False)
    top = last + 3
    probabilities = pick(
        "转移概率（空行 = 无观测）", "Probabilities (empty row = no observations)", lang, sep="/ "
    )
    section(ws, top - 1, 1, probabilities)
    write_frame(ws, m.transition_probabilities, ctx, top=top, names=labels, freeze=False)
    print_setup(ws)


def _trends_sheet(wb: Any, m: Monitoring, ctx: Context) -> None:
    ws = _sheet(wb, "趋势", ctx.lang)
    wide = m.panel["D"].unstack("city")
    latest = wide.iloc[-1].sort_values(ascending=False)
    half = MAX_CHART_SERIES // 2
    keep = list(dict.fromkeys([*latest.index[:half], *latest.index[-half:]]))
    ordered = wide[keep + [c for c in wide.columns if c not in keep]]
    last, lastc = write_frame(ws, ordered, ctx, freeze=False)
    anchor = f"{get_column_letter(lastc + 2)}{HEADER_ROW}"
    title = ("耦合协调度 D", "Coupling coordination D")
    _line(ws, ctx.lang, title, (HEADER_ROW, last), (2, 1 + len(keep)), anchor, "D")
    print_setup(ws)
