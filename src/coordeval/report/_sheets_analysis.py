"""The sheets of the analyses on the scores: 区域差异 (inequality and convergence), 目标达成
(plan targets), 协同关系 (synergy relations) and 影响因素 (influencing factors)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from coordeval.report._context import Context, fit_table
from coordeval.report._xlsx import (
    HEADER_ROW,
    P_FORMAT,
    SCORE_FORMAT,
    line_chart,
    note_rows,
    section,
    sheet_header,
    write_frame,
)
from coordeval.report.labels import SKIPPED_ZH, value_label
from coordeval.report.methods import SYNERGY_TITLES, TOPICS, factors_caveat, spillover_caveat
from coordeval.report.targets import TARGET_LABELS, target_table

if TYPE_CHECKING:
    from coordeval.assessment import Assessment


def stack_tables(
    ws: Worksheet, ctx: Context, blocks: list[tuple[str, pd.DataFrame, dict | None]]
) -> tuple[int, dict[str, tuple[int, int, int]]]:
    """Write titled tables one under another (the first one's header row frozen). Returns
    the last row written and each written block's (header row, last row, last column) by
    title."""
    row = HEADER_ROW
    first = True
    last = row
    where: dict[str, tuple[int, int, int]] = {}
    for title, df, fmt in blocks:
        if df is None or df.empty:
            continue
        section(ws, row - 1, 1, title)
        last, lastc = write_frame(ws, df, ctx, fmt, top=row, freeze=first)
        where[title] = (row, last, lastc)
        first = False
        row = last + 4
    return last, where


def inequality_sheet(a: Assessment, ws: Worksheet, ctx: Context) -> None:
    sheet_header(
        ws,
        "区域差异",
        "Inequality and convergence",
        ctx.lang,
        "Gini and Theil by year (Dagum decomposition with groups), σ and β convergence, "
        "robustness of the ranks to the weights",
        "逐年基尼系数与泰尔指数（给定分组时作 Dagum 分解）、σ 与 β 收敛、排名对权重的稳健性",
    )
    t = a.tables
    blocks: list[tuple[str, pd.DataFrame, dict | None]] = []
    if "inequality" in t:
        blocks.append(
            (
                ctx.text("逐年区域差异", "Inequality by year"),
                t["inequality"].set_index(["score", "year"]),
                None,
            )
        )
    trend_title = ctx.text("分组平均 D 的变化", "Mean D by group and year")
    if "group_means" in t:
        blocks.append((ctx.text("分组均值", "Group means by year"), t["group_means"], None))
        if "D" in t["group_means"].columns:
            trend = t["group_means"]["D"].unstack("group")
            trend.index.name = "year"
            blocks.append((trend_title, trend if len(trend) > 1 else None, None))
    if "dagum_pairs" in t:
        pairs = t["dagum_pairs"].set_index(["score", "year", "group_a", "group_b"])
        blocks.append(
            (ctx.text("Dagum 组内与组间基尼系数", "Within- and between-group Gini"), pairs, None)
        )
    if "sigma_convergence" in t:
        blocks.append(
            (
                ctx.text("σ 收敛（城市间离散程度的变化）", "σ convergence (spread across cities)"),
                t["sigma_convergence"].set_index(["score", "year"]),
                {"cv_slope_p": P_FORMAT},
            )
        )
    if "beta_convergence" in t:
        blocks.append(
            (
                ctx.text(
                    "β 收敛（综合发展水平：落后城市是否增长更快）",
                    "β convergence (overall development: do laggards grow faster?)",
                ),
                t["beta_convergence"].assign(
                    value=t["beta_convergence"]["value"].map(
                        lambda v: value_label(v, ctx.lang, ctx.names)
                    )
                ),
                {"value": P_FORMAT},
            )
        )
    if "robustness_summary" in t:
        blocks.append(
            (
                ctx.text("排名对权重的稳健性", "Robustness of the ranks to the weights"),
                t["robustness_summary"],
                None,
            )
        )
    if not blocks:
        blocks.append(
            (
                "",
                pd.DataFrame({"message": [skipped_text(a, ctx)]}),
                None,
            )
        )
    _, where = stack_tables(ws, ctx, blocks)
    if trend_title in where:
        top, last, lastc = where[trend_title]
        anchor = f"{get_column_letter(lastc + 2)}{top}"
        title = ctx.text("分组平均耦合协调度 D", "Mean coupling coordination D by group")
        line_chart(ws, title, (top, last), (2, lastc), anchor, "D")


def skipped_text(a: Assessment, ctx: Context) -> str:
    """The analyses not run and why, in the report language."""
    return "; ".join(
        f"{ctx.text(*TOPICS.get(k, (k, k)))}: {ctx.text(SKIPPED_ZH.get(v, v), v)}"
        for k, v in a.skipped.items()
    )


def targets_sheet(a: Assessment, ws: Worksheet, ctx: Context) -> None:
    sheet_header(
        ws,
        "目标达成",
        "Target attainment",
        ctx.lang,
        "plan targets vs the latest values",
        "规划目标与最新值对比",
    )
    table = target_table(a.tables["targets"], ctx.lang)
    write_frame(
        ws,
        table,
        ctx,
        {"elapsed_share": SCORE_FORMAT, "progress": SCORE_FORMAT},
        names=TARGET_LABELS,
    )


def synergy_sheet(a: Assessment, ws: Worksheet, ctx: Context) -> None:
    sheet_header(
        ws,
        "协同关系",
        "Synergy relations",
        ctx.lang,
        "the four synergy relations of the framework, as computed by coordeval",
        "协同发展框架的四种协同关系（coordeval 的计算口径）",
    )
    t = a.tables
    blocks = []
    for key, (zh, en) in SYNERGY_TITLES.items():
        if key in t:
            table, note = fit_table(ctx, key, t[key])
            blocks.append(
                (ctx.text(zh, en) + (f" — {note}" if note else ""), table, {"p": P_FORMAT})
            )
    last, _ = stack_tables(ws, ctx, blocks)
    if "synergy_inter_heterogeneity" in t:
        zh, en = spillover_caveat(a)
        note_rows(ws, last + 2, ctx.text(zh, en) if ctx.lang != "both" else f"{zh}\n{en}")


def factors_sheet(a: Assessment, ws: Worksheet, ctx: Context) -> None:
    sheet_header(
        ws,
        "影响因素",
        "Influencing factors",
        ctx.lang,
        "coupling coordination D regressed on the given factors (see the methods sheet)",
        "耦合协调度 D 对所给影响因素的回归（见方法表）",
    )
    t = a.tables
    last, _ = stack_tables(
        ws,
        ctx,
        [
            (
                ctx.text(
                    "普通最小二乘回归（城市固定效应）", "Least squares with city fixed effects"
                ),
                t["factors_ols"],
                {"p": P_FORMAT},
            ),
            (
                ctx.text("双限 Tobit 回归（0–1 截断，混合样本）", "Two-limit Tobit (0–1, pooled)"),
                t["factors_tobit"],
                {"p": P_FORMAT},
            ),
        ],
    )
    zh, en = factors_caveat()
    note_rows(ws, last + 2, ctx.text(zh, en) if ctx.lang != "both" else f"{zh}\n{en}")
