"""Key findings for the summary sheet, written from the numbers of an Assessment.

Each finding is a pair (中文, English) read off the Assessment's tables: it selects and phrases
numbers, it does not compute new ones.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

if TYPE_CHECKING:
    from coordeval.assessment import Assessment


def latest_year(a: Assessment) -> int:
    """The last year of the assessed panel."""
    return int(a.scores.index.get_level_values("year").max())


def _latest(frame: pd.DataFrame, year: int) -> pd.DataFrame:
    return frame.xs(year, level="year")


def key_findings(a: Assessment) -> list[tuple[str, str]]:
    """Three to six findings (中文, English) from the scores and analyses."""
    year = latest_year(a)
    zh_names = {s.id: s.name_zh for s in a.system.subsystems}
    en_names = {s.id: s.name_en for s in a.system.subsystems}
    out: list[tuple[str, str]] = []
    comp = _latest(a.composite, year)["closeness"].sort_values(ascending=False)
    if len(comp) >= 2:
        best, worst = comp.index[0], comp.index[-1]
        out.append(
            (
                f"{year} 年综合评价最高的是 {best}（C = {comp.iloc[0]:.3f}），最低的是 {worst}"
                f"（C = {comp.iloc[-1]:.3f}），共 {len(comp)} 个城市。",
                f"In {year} {best} ranks first on the composite (C = {comp.iloc[0]:.3f}) and {worst} "
                f"last (C = {comp.iloc[-1]:.3f}) of {len(comp)} cities.",
            )
        )
    U = _latest(a.scores, year)
    means = U.mean().sort_values()
    out.append(
        (
            f"{year} 年各子系统平均得分最高为{zh_names[means.index[-1]]}（{means.iloc[-1]:.3f}），"
            f"最低为{zh_names[means.index[0]]}（{means.iloc[0]:.3f}）。",
            f"In {year} the highest mean subsystem score is {en_names[means.index[-1]]} "
            f"({means.iloc[-1]:.3f}), the lowest {en_names[means.index[0]]} ({means.iloc[0]:.3f}).",
        )
    )
    if "coupling" in a.tables:
        cc = _latest(a.tables["coupling"], year)
        if "floor_zero" in cc.columns and cc["floor_zero"].any():
            floor = cc["floor_zero"].to_numpy(dtype=bool)
            names = "、".join(map(str, cc.index[floor]))
            out.append(
                (
                    f"{year} 年 {names} 的 C = D = 0 并非协调水平：其某一子系统得分处于标准化下限 0"
                    "（拟合数据中该子系统各指标最低），乘积型耦合模型因此为 0；下列 D 均值与等级分布"
                    "不计这些行（见耦合协调表“下限0”列）。",
                    f"In {year} C = D = 0 for {', '.join(map(str, cc.index[floor]))} is not a "
                    "coordination level: a subsystem score sits at the normalisation floor 0 "
                    "(lowest on every indicator of that subsystem in the fit data), which zeroes "
                    "the product-based coupling model; the mean D and the levels below leave "
                    "these rows out (column floor_zero of the coupling table).",
                )
            )
            cc = cc[~floor]
    if "coupling" in a.tables and len(cc):
        counts = cc["level_zh"].value_counts()
        top_zh = "、".join(f"{k} {v} 个" for k, v in counts.head(3).items())
        counts_en = cc["level_en"].value_counts()
        top_en = ", ".join(f"{k} {v}" for k, v in counts_en.head(3).items())
        out.append(
            (
                f"{year} 年耦合协调度 D 均值 {cc['D'].mean():.3f}；等级分布：{top_zh}。",
                f"In {year} the mean coupling coordination D is {cc['D'].mean():.3f}; levels: "
                f"{top_en}.",
            )
        )
        lag = cc["lagging"].fillna("").str.split(",").explode()
        lag = lag[lag != ""].value_counts()
        if len(lag):
            sid = lag.index[0]
            out.append(
                (
                    f"{year} 年最常见的滞后子系统是{zh_names.get(sid, sid)}（{lag.iloc[0]} 个城市，"
                    "相对发展度 E < 0.8）。",
                    f"In {year} the most frequent lagging subsystem is {en_names.get(sid, sid)} "
                    f"({lag.iloc[0]} cities with relative development E < 0.8).",
                )
            )
    if "subsystem_obstacles" in a.tables:
        ob = _latest(a.tables["subsystem_obstacles"], year).mean().sort_values()
        out.append(
            (
                f"{year} 年障碍度最大的子系统是{zh_names.get(ob.index[-1], ob.index[-1])}"
                f"（平均 {ob.iloc[-1]:.1f}%）。",
                f"In {year} the largest obstacle is {en_names.get(ob.index[-1], ob.index[-1])} "
                f"(mean {ob.iloc[-1]:.1f}%).",
            )
        )
    if "sigma_convergence" in a.tables:
        s = a.tables["sigma_convergence"]
        s = s[s["score"] == "composite"].sort_values("year")
        if len(s) >= 2:
            first, last = s.iloc[0], s.iloc[-1]
            trend_zh = "缩小" if last["cv"] < first["cv"] else "扩大"
            trend_en = "narrowed" if last["cv"] < first["cv"] else "widened"
            out.append(
                (
                    f"综合得分的变异系数由 {int(first['year'])} 年的 {first['cv']:.3f} 变为 "
                    f"{int(last['year'])} 年的 {last['cv']:.3f}，城市间差距{trend_zh}。",
                    f"The CV of the composite went from {first['cv']:.3f} ({int(first['year'])}) to "
                    f"{last['cv']:.3f} ({int(last['year'])}): the gap between cities {trend_en}.",
                )
            )
    return out[:6]
