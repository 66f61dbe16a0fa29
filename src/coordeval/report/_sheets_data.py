"""The sheets on the inputs of an assessment: 方法 (methods), 指标体系 (indicator system),
原始数据 (data), 数据问题 (data issues) and 权重 (weights)."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

import pandas as pd
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from coordeval.assessment import problems_frame
from coordeval.errors import Problem
from coordeval.report._context import Context, fit_table
from coordeval.report._xlsx import (
    COUNT_FORMAT,
    HEADER_ROW,
    MEASURE_FORMAT,
    MONEY_FORMAT,
    SHARE_FORMAT,
    SUBTITLE_FONT,
    WEIGHT_FORMAT,
    put,
    section,
    sheet_header,
    wrap_rows,
    write_frame,
)
from coordeval.report.labels import SEVERITY_ZH, SKIPPED_ZH, pick, unit_label
from coordeval.report.methods import TOPICS, caveat_rows, method_note_rows, methods_rows

if TYPE_CHECKING:
    from coordeval.assessment import Assessment


def methods_sheet(a: Assessment, ws: Worksheet, ctx: Context) -> None:
    sheet_header(
        ws,
        "方法",
        "Methods",
        ctx.lang,
        "every formula and convention used in this run",
        "本次运行使用的全部公式与约定",
    )
    rows = methods_rows(a.conventions, method_note_rows(a.notes))
    rows += [
        (k, f"未计算：{SKIPPED_ZH.get(v, v)}", f"Not computed: {v}") for k, v in a.skipped.items()
    ]
    rows += caveat_rows(a)
    frame = pd.DataFrame(
        [(ctx.text(*TOPICS.get(t, (t, t))), zh, en) for t, zh, en in rows],
        columns=["topic", "中文", "English"],
    )
    if ctx.lang == "zh":
        frame = frame.drop(columns="English")
    elif ctx.lang == "en":
        frame = frame.drop(columns="中文")
    write_frame(ws, frame, ctx, names={"中文": ("说明", "Chinese"), "English": ("英文", "English")})
    ws.column_dimensions["A"].width = 16
    widths = {c: 70 if frame.shape[1] == 3 else 110 for c in range(2, frame.shape[1] + 1)}
    for c, w in widths.items():
        ws.column_dimensions[get_column_letter(c)].width = w
    wrap_rows(ws, HEADER_ROW + 1, widths)


def system_sheet(a: Assessment, ws: Worksheet, ctx: Context) -> None:
    zh_name, _, en_name = str(a.system.name).partition(" / ")
    sheet_header(ws, "指标体系", "Indicator system", ctx.lang, en_name or zh_name, zh_name)
    sys = a.system
    frame = pd.DataFrame(
        {
            "subsystem": [ctx.text(*ctx.names[sys.membership[i.id]]) for i in sys.indicators],
            "name_zh": [i.name_zh for i in sys.indicators],
            "name_en": [i.name_en for i in sys.indicators],
            "unit": [unit_label(i.unit, ctx.lang) for i in sys.indicators],
            "direction": [i.direction for i in sys.indicators],
            "goalposts": [
                "" if i.bounds is None else f"[{i.bounds[0]:g}, {i.bounds[1]:g}]"
                for i in sys.indicators
            ],
            "source": [i.source for i in sys.indicators],
        }
    )
    if ctx.lang == "zh":
        frame = frame.drop(columns="name_en")
    elif ctx.lang == "en":
        frame = frame.drop(columns="name_zh")
    if not frame["goalposts"].astype(bool).any():
        frame = frame.drop(columns="goalposts")
    write_frame(ws, frame, ctx, text_width=30)
    src = list(frame.columns).index("source") + 1
    ws.column_dimensions[get_column_letter(src)].width = 50
    wrap_rows(ws, HEADER_ROW + 1, {src: 50})


#: Units counted in whole things (printed without decimals).
COUNT_UNITS = ("个", "人", "项", "件", "所", "家", "条", "座", "辆", "张", "次", "户")


def unit_format(unit: str) -> str | None:
    """Number format for raw values by unit: money with thousands separators and two
    decimals, percentages with one decimal, counts without decimals; ``None`` for other
    units (callers use :data:`MEASURE_FORMAT`)."""
    if "元" in unit or "$" in unit:
        return MONEY_FORMAT
    if "%" in unit or "‰" in unit:
        return SHARE_FORMAT
    if unit.strip().endswith(COUNT_UNITS) and not unit.strip().startswith(("万", "亿", "千")):
        return COUNT_FORMAT
    return None


def indicator_names(a: Assessment, lang: str) -> dict[str, tuple[str, str]]:
    """Indicator id → (中文, English) name; ``lang`` picks the header shown."""
    return {i.id: (i.name_zh, i.name_en or i.name_zh) for i in a.system.indicators}


def data_sheet(a: Assessment, ws: Worksheet, ctx: Context) -> None:
    data, note = fit_table(ctx, "data", a.data)
    sheet_header(
        ws,
        "原始数据",
        "Data",
        ctx.lang,
        note or "values as read; row 5 gives the units",
        note or "读入的原始数值；第 5 行为单位",
    )
    sys = a.system
    fmts = {i.id: unit_format(i.unit) or MEASURE_FORMAT for i in sys.indicators}
    write_frame(ws, data, ctx, fmts, names=indicator_names(a, ctx.lang), max_width=14)
    ws.insert_rows(HEADER_ROW + 1)
    units = {i.id: unit_label(i.unit, ctx.lang) for i in sys.indicators}
    for j, col in enumerate(data.columns, start=data.index.nlevels + 1):
        put(ws, HEADER_ROW + 1, j, units.get(col, ""))
        ws.cell(row=HEADER_ROW + 1, column=j).font = SUBTITLE_FONT
    ws.freeze_panes = ws.cell(row=HEADER_ROW + 2, column=data.index.nlevels + 1)


def issues_frame(a: Assessment, ctx: Context) -> pd.DataFrame:
    """The data problems as a table, messages worded in the report language."""
    frame = problems_frame(a.problems)
    if len(a.problems):
        frame["message"] = [problem_text(p, ctx, a) for p in a.problems]
    if ctx.lang == "zh":
        frame["cell"] = (
            frame["cell"]
            .astype("string")
            .str.replace(r"^line (\d+), column (\d+)$", r"第 \1 行第 \2 列", regex=True)
        )
    if ctx.lang != "en":
        frame["severity"] = frame["severity"].map(
            lambda s: pick(SEVERITY_ZH.get(s, s), s, ctx.lang)
        )
    return frame.loc[:, frame.notna().any() | frame.columns.isin(["severity", "message"])]


def _named_params(p: Problem, lang: str, ctx: Context, a: Assessment | None) -> dict:
    """The problem's parameters with its indicator and subsystem ids named in ``lang``."""
    params = dict(p.params)
    if "indicators" in params and a is not None:
        names = {i.id: (i.name_zh, i.name_en or i.name_zh) for i in a.system.indicators}
        pairs = [names.get(i, (i, i)) for i in params["indicators"]]
        params["labels"] = ("、" if lang == "zh" else ", ").join(pick(*n, lang) for n in pairs)
    if "subsystem_ids" in params:
        pairs = [ctx.names.get(s, (s, s)) for s in params["subsystem_ids"]]
        params["subsystems"] = ("、" if lang == "zh" else ", ").join(pick(*n, lang) for n in pairs)
    return params


def problem_text(p: Problem, ctx: Context, a: Assessment | None = None) -> str:
    """A problem worded in the report language (:meth:`Problem.render`; for ``"both"`` the
    Chinese wording over the English one), its subsystem and indicator ids by name."""
    langs = ("zh", "en") if ctx.lang == "both" else (ctx.lang,)
    texts = [replace(p, params=_named_params(p, lang, ctx, a)).render(lang) for lang in langs]
    return "\n".join(dict.fromkeys(texts))


def issues_sheet(a: Assessment, ws: Worksheet, ctx: Context) -> None:
    frame, note = fit_table(ctx, "issues", issues_frame(a, ctx))
    sheet_header(
        ws,
        "数据问题",
        "Data issues",
        ctx.lang,
        note or "every warning, note and parsed qualifier",
        note or "全部警告、提示与解析出的限定词",
    )
    if frame.empty:
        frame = pd.DataFrame({"message": [ctx.text("无问题", "no issues")]})
    write_frame(ws, frame, ctx)
    if "message" in frame.columns:
        col = list(frame.columns).index("message") + 1
        ws.column_dimensions[get_column_letter(col)].width = 80
        wrap_rows(ws, HEADER_ROW + 1, {col: 80})


def weights_sheet(a: Assessment, ws: Worksheet, ctx: Context) -> None:
    sheet_header(
        ws,
        "权重",
        "Weights",
        ctx.lang,
        "entropy, divergence and weights per indicator; subsystem weights",
        "各指标的信息熵、信息效用值与权重；子系统权重",
    )
    cols = [
        c
        for c in (
            "subsystem",
            "name_zh" if ctx.lang != "en" else "name_en",
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
    if "unit" in table.columns:
        table["unit"] = table["unit"].map(lambda u: unit_label(str(u), ctx.lang))
    table["subsystem"] = table["subsystem"].map(lambda s: ctx.text(*ctx.names[s]))
    table.index = table.index.rename("id")
    fmt = {c: WEIGHT_FORMAT for c in ("e", "d", "within_weight", "subsystem_weight", "weight")}
    fmt |= {"lo": MEASURE_FORMAT, "hi": MEASURE_FORMAT}
    if ctx.lang != "en":
        table = table.reset_index(drop=True)
    last, _ = write_frame(ws, table, ctx, fmt)
    sub = a.subsystem_weights.rename("subsystem_weight").to_frame()
    sub.index = [ctx.text(*ctx.names[s]) for s in sub.index]
    sub.index.name = "subsystem"
    section(ws, last + 2, 1, ctx.text("子系统权重", "Subsystem weights"))
    write_frame(ws, sub, ctx, fmt, top=last + 3, freeze=False)
