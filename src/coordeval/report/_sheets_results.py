"""The sheets of the results: 子系统得分 (subsystem scores), 综合评价 (composite), 耦合协调
(coupling coordination), 障碍度 (obstacle degree) and 趋势 (trends)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from openpyxl.worksheet.worksheet import Worksheet

from coordeval.report._context import Context, chart_cities, fit_table
from coordeval.report._xlsx import (
    COUNT_FORMAT,
    HEADER_ROW,
    SHARE_FORMAT,
    colour_scale,
    default_formats,
    line_chart,
    put,
    section,
    sheet_header,
    write_frame,
)
from coordeval.report.findings import latest_year

if TYPE_CHECKING:
    from coordeval.assessment import Assessment

#: Height (pt) given to rows under a chart, so the print layout can count them.
DEFAULT_ROW_HEIGHT = 16
#: Why a row flagged floor_zero has C = D = 0 (written under the coupling table).
FLOOR_NOTE = {
    "zh": "“下限0”为是的行：某子系统得分处于标准化下限 0（该市在该子系统各指标上均为拟合数据最低），"
    "乘积型耦合模型（经典、王淑佳）因此给出 C = D = 0、等级 1。这是标准化尺度造成的结果，不是协调水平；"
    "可改用固定界值、spssau 预设（U 区间化到 [0.01, 0.99]）或 fan2024 模型。",
    "en": "Rows with floor_zero: a subsystem score sits at the normalisation floor 0 (lowest on "
    "every indicator of that subsystem in the fit data), so the product-based coupling models "
    "(classic, wang2021) give C = D = 0 and grade 1. This is an artefact of the scale, not a "
    "coordination level; fixed goalposts, the spssau preset (U rescaled to [0.01, 0.99]) or "
    "the fan2024 model avoid it.",
}


def scores_sheet(a: Assessment, ws: Worksheet, ctx: Context) -> None:
    scores, note = fit_table(ctx, "scores", a.scores)
    sheet_header(
        ws,
        "子系统得分",
        "Subsystem scores",
        ctx.lang,
        note or "score of each subsystem per city-year, 0–1, higher is better",
        note or "各城市-年份的子系统得分，0–1，越高越好",
    )
    last, lastc = write_frame(ws, scores, ctx, max_width=12)
    colour_scale(ws, HEADER_ROW + 1, last, 3, lastc)


def composite_sheet(a: Assessment, ws: Worksheet, ctx: Context) -> None:
    comp, note = fit_table(ctx, "composite", a.composite)
    sheet_header(
        ws,
        "综合评价",
        "Composite (TOPSIS)",
        ctx.lang,
        note or "overall development by TOPSIS: relative closeness to the ideal, rank in the year",
        note or "TOPSIS 综合评价：与理想解的相对贴近度，年内排名",
    )
    last, _ = write_frame(ws, comp, ctx)
    colour_scale(ws, HEADER_ROW + 1, last, 5, 5)


def _pair_label(col: str, ctx: Context) -> tuple[str, str]:
    a_, _, b_ = col.partition("~")
    na, nb = ctx.names.get(a_, (a_, a_)), ctx.names.get(b_, (b_, b_))
    return f"{na[0]}—{nb[0]}", f"{na[1]}–{nb[1]}"


def coupling_sheet(a: Assessment, ws: Worksheet, ctx: Context) -> None:
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
            "stage_en",
            "lag_type_zh",
            "lag_type_en",
            "lagging",
            "clipped",
            "floor_zero",
        )
        if c in cc.columns
    ]
    if ctx.lang == "zh":
        show = [c for c in show if not c.endswith("_en")]
    elif ctx.lang == "en":
        show = [c for c in show if c not in ("level_zh", "lag_type_zh", "stage")]
    table = cc[show].copy()
    if "lagging" in table.columns:
        lang = 1 if ctx.lang == "en" else 0
        sep = ", " if lang else "、"
        table["lagging"] = (
            table["lagging"]
            .astype("string")
            .fillna("")
            .map(lambda v: sep.join(ctx.names.get(s, (s, s))[lang] for s in v.split(",") if s))
        )
    if ctx.lang == "en" and "stage_en" in table.columns:
        table = table.rename(columns={"stage_en": "stage"})
    table, note = fit_table(ctx, "coupling", table)
    sheet_header(
        ws,
        "耦合协调",
        "Coupling coordination",
        ctx.lang,
        note
        or f"coupling model {a.conventions['coupling']}, grade scheme {a.conventions['grades']}",
        note or f"耦合模型 {a.conventions['coupling']}，等级划分 {a.conventions['grades']}",
    )
    last, _ = write_frame(ws, table, ctx, {"grade": COUNT_FORMAT})
    d_col = 2 + list(table.columns).index("D") + 1
    colour_scale(ws, HEADER_ROW + 1, last, d_col, d_col)
    if "floor_zero" in cc.columns and cc["floor_zero"].any():
        last += 2
        put(ws, last, 1, ctx.text(FLOOR_NOTE["zh"], FLOOR_NOTE["en"]))
    pairs = a.tables["pairwise_coupling"]
    pair, _ = fit_table(ctx, "pairwise_coupling", pairs)
    names = {c: _pair_label(c, ctx) for c in pairs.columns}
    section(
        ws,
        last + 3,
        1,
        ctx.text("两两子系统的耦合协调度 D", "Coupling coordination D of each pair of subsystems"),
    )
    pl, pc = write_frame(ws, pair, ctx, top=last + 4, freeze=False, names=names, max_width=12)
    colour_scale(ws, last + 5, pl, 3, pc)


def obstacles_sheet(a: Assessment, ws: Worksheet, ctx: Context) -> None:
    top = a.tables["top_obstacles"]
    ind_names = {i.id: i.name_zh if ctx.lang != "en" else i.name_en for i in a.system.indicators}
    wide = top.assign(indicator=top["indicator"].map(ind_names))
    wide = wide.reset_index().pivot(
        index=["city", "year"], columns="rank", values=["indicator", "obstacle_pct"]
    )
    ranks = sorted(top.index.get_level_values("rank").unique())
    cols = [(k, r) for r in ranks for k in ("indicator", "obstacle_pct")]
    wide = wide[cols]
    wide.columns = [
        ctx.text(
            f"{'第' + str(r) + '障碍因素' if k == 'indicator' else '障碍度(%)'}",
            f"{'Obstacle ' + str(r) if k == 'indicator' else 'Share (%)'}",
        )
        + ("" if k == "indicator" else f" {r}")
        for k, r in cols
    ]
    pct_cols = [c for (k, _), c in zip(cols, wide.columns, strict=True) if k != "indicator"]
    for c in pct_cols:
        wide[c] = wide[c].astype("float64")
    wide, note = fit_table(ctx, "top_obstacles", wide)
    sheet_header(
        ws,
        "障碍度",
        "Obstacle degree",
        ctx.lang,
        note or "the five indicators holding each city-year back most (% of the shortfall)",
        note or "各城市-年份障碍度最大的五个指标（占差距的百分比）",
    )
    last, _ = write_frame(
        ws,
        wide,
        ctx,
        dict.fromkeys(pct_cols, SHARE_FORMAT),
        max_width=10,
        text_width=16,
    )
    sub, _ = fit_table(ctx, "subsystem_obstacles", a.tables["subsystem_obstacles"])
    section(ws, last + 3, 1, ctx.text("子系统障碍度（%）", "Obstacle degree by subsystem (%)"))
    sl, sc = write_frame(
        ws, sub, ctx, default_formats(sub, SHARE_FORMAT), top=last + 4, freeze=False, max_width=12
    )
    colour_scale(ws, last + 5, sl, 3, sc, reverse=True)


def trends_sheet(a: Assessment, ws: Worksheet, ctx: Context) -> None:
    sheet_header(
        ws,
        "趋势",
        "Trends",
        ctx.lang,
        "overall development by city, subsystem means and mean D by year",
        "逐年各城市综合发展水平、子系统平均得分与平均耦合协调度",
    )
    year = latest_year(a)
    cities = chart_cities(a, year, ctx)
    comp = a.composite["closeness"].unstack("city")[cities]
    comp.columns = [str(ctx.city_label(c)) for c in comp.columns]
    comp.index.name = "year"
    top = HEADER_ROW
    section(
        ws,
        top - 1,
        1,
        ctx.text("综合发展水平（相对贴近度）", "Overall development (relative closeness)"),
    )
    last, lastc = write_frame(ws, comp, ctx, freeze=False)
    line_chart(
        ws,
        ctx.text("综合发展水平", "Overall development"),
        (top, last),
        (2, lastc),
        f"A{max(last + 3, top + 3)}",
        ctx.text("相对贴近度", "Relative closeness"),
    )
    means = a.scores.groupby(level="year").mean()
    if "coupling" in a.tables:
        means = means.join(a.tables["coupling"]["D"].groupby(level="year").mean())
    top2 = max(last + 3, top + 3) + 19
    section(
        ws,
        top2 - 1,
        1,
        ctx.text(
            "子系统平均得分与平均耦合协调度 D", "Subsystem means and mean coupling coordination D"
        ),
    )
    last2, lastc2 = write_frame(ws, means, ctx, top=top2, freeze=False)
    line_chart(
        ws,
        ctx.text("子系统平均得分", "Subsystem means"),
        (top2, last2),
        (2, lastc2),
        f"A{last2 + 3}",
        ctx.text("得分", "Score"),
    )
    for r in range(last2 + 3, last2 + 20):
        ws.row_dimensions[r].height = DEFAULT_ROW_HEIGHT
    ws.freeze_panes = ws.cell(row=top + 1, column=2)
