"""Key findings for page 1 and the Word brief, written from the numbers of an Assessment.

Each finding is a pair (中文, English) read off the Assessment's tables: it selects and phrases
numbers, it does not compute new scores. The order is the order a director reads: the level
and trend of the coupling coordination degree D, the full grade distribution, the leading and
lagging cities, the improvers, the lagging subsystems, the groups, the gap between cities.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

if TYPE_CHECKING:
    from coordeval.assessment import Assessment

#: Change of mean D below which the trend is called stable.
STABLE_CHANGE = 0.005


def latest_year(a: Assessment) -> int:
    """The last year of the assessed panel."""
    return int(a.scores.index.get_level_values("year").max())


def first_year(a: Assessment) -> int:
    """The first year of the assessed panel."""
    return int(a.scores.index.get_level_values("year").min())


def _latest(frame: pd.DataFrame, year: int) -> pd.DataFrame:
    return frame.xs(year, level="year")


#: Level names of the rows whose C = D = 0 comes from a subsystem at the normalisation floor.
FLOOR_LEVEL = ("尺度所致D=0", "D = 0 (scale artefact)")


def _floor(cc: pd.DataFrame) -> np.ndarray:
    """Rows whose C = D = 0 is caused by a subsystem score at the normalisation floor."""
    if "floor_zero" not in cc.columns:
        return np.zeros(len(cc), dtype=bool)
    return cc["floor_zero"].fillna(False).to_numpy(dtype=bool)


def _levels(a: Assessment) -> pd.DataFrame:
    """The coupling table without its floor rows: the rows that state a coordination level."""
    cc = a.tables["coupling"]
    return cc[~_floor(cc)]


def grade_distribution(a: Assessment, year: int | None = None) -> pd.DataFrame:
    """Count of city-years per coordination level, best level first.

    Parameters
    ----------
    a : Assessment
        An assessment with a ``coupling`` table.
    year : int, optional
        Count one year only; by default every assessed city-year.

    Returns
    -------
    DataFrame
        Index ``grade`` (descending), columns ``level_zh``, ``level_en``, ``count`` and
        ``share`` (count / total); the counts sum to the number of city-years counted. Only
        levels that occur are listed.
    """
    cc = a.tables["coupling"]
    if year is not None:
        cc = cc[cc.index.get_level_values("year") == year]
    floor = _floor(cc)
    grouped = cc[~floor].groupby("grade", sort=True)
    out = pd.DataFrame(
        {
            "level_zh": grouped["level_zh"].first(),
            "level_en": grouped["level_en"].first(),
            "count": grouped.size(),
        }
    ).sort_index(ascending=False)
    if floor.any():
        # counted apart: a product coupling model at the normalisation floor is not a level
        extra = pd.DataFrame(
            {"level_zh": [FLOOR_LEVEL[0]], "level_en": [FLOOR_LEVEL[1]], "count": [int(floor.sum())]},
            index=pd.Index([0], name="grade"),
        )
        out = pd.concat([out, extra.astype({"count": out["count"].dtype})])
    out["share"] = out["count"] / max(len(cc), 1)
    return out


def _name(city: object, names_en: Mapping[str, str]) -> str:
    return str(names_en.get(str(city), city))


def _listing(cities: Sequence[object], names_en: Mapping[str, str]) -> tuple[str, str]:
    zh = "、".join(str(c) for c in cities)
    en = ", ".join(_name(c, names_en) for c in cities)
    return zh, en


def _d_level_and_trend(a: Assessment, year: int) -> tuple[str, str]:
    D = _levels(a)["D"]
    by_year = D.groupby(level="year").mean().sort_index()
    last = float(by_year.iloc[-1])
    level = "协调" if last > 0.5 else "失调"
    level_en = "coordinated" if last > 0.5 else "not yet coordinated"
    zh = f"{year} 年耦合协调度 D 平均为 {last:.3f}，总体处于{level}区间（D > 0.5 为协调）"
    en = (
        f"In {year} the mean coupling coordination degree D is {last:.3f}: the cluster as a "
        f"whole is {level_en} (D above 0.5 counts as coordinated)"
    )
    if len(by_year) < 2:
        return zh + "；只有一年数据，无法判断趋势。", en + "; one year only, so no trend."
    y0, d0 = int(by_year.index[0]), float(by_year.iloc[0])
    change = last - d0
    rising = int((np.diff(by_year.to_numpy()) > 0).sum())
    steps = len(by_year) - 1
    if abs(change) < STABLE_CHANGE:
        trend_zh, trend_en = "基本持平", "about the same as"
    elif change > 0:
        trend_zh, trend_en = "上升", "up from"
    else:
        trend_zh, trend_en = "下降", "down from"
    zh += (
        f"，较 {y0} 年的 {d0:.3f}{trend_zh}（变化 {change:+.3f}；{steps} 个年度变化中 {rising} "
        "个为上升）。"
    )
    en += (
        f", {trend_en} {d0:.3f} in {y0} (change {change:+.3f}; D rose in {rising} of {steps} "
        "year-on-year steps)."
    )
    return zh, en


def _grades(a: Assessment, year: int) -> tuple[str, str]:
    dist = grade_distribution(a, year)
    n = int(dist["count"].sum())
    zh = "、".join(f"{r.level_zh} {r.count} 个" for r in dist.itertuples())
    en = "; ".join(f"{r.level_en} {r.count}" for r in dist.itertuples())
    return (
        f"{year} 年 {n} 个城市的协调类型（由高到低）：{zh}。",
        f"Coordination levels of the {n} cities in {year} (best first): {en}.",
    )


def _floor_rows(a: Assessment, year: int) -> list[tuple[str, str]]:
    cc = _latest(a.tables["coupling"], year)
    floor = _floor(cc)
    if not floor.any():
        return []
    names = cc.index[floor]
    return [
        (
            f"{year} 年 {'、'.join(map(str, names))} 的 C = D = 0 并非协调水平：其某一子系统得分处于"
            "标准化下限 0（拟合数据中该子系统各指标最低），乘积型耦合模型因此为 0；D 的均值、排名与"
            "变化不计这些行（见耦合协调表“下限0”列）。",
            f"In {year} C = D = 0 for {', '.join(map(str, names))} is not a coordination level: a "
            "subsystem score sits at the normalisation floor 0 (lowest on every indicator of that "
            "subsystem in the fit data), which zeroes the product-based coupling model; the mean, "
            "ranking and change of D leave these rows out (column floor_zero of the coupling "
            "table).",
        )
    ]


def _best_worst(a: Assessment, year: int, names_en: Mapping[str, str]) -> list[tuple[str, str]]:
    out = []
    if "coupling" in a.tables:
        cc = _latest(_levels(a), year)
        d = cc["D"].sort_values(ascending=False, kind="stable")
        if len(d) >= 2:
            b, w = d.index[0], d.index[-1]
            out.append(
                (
                    f"{year} 年耦合协调度最高的是 {b}（D = {d.iloc[0]:.3f}，"
                    f"{cc.loc[b, 'level_zh']}），最低的是 {w}（D = {d.iloc[-1]:.3f}，"
                    f"{cc.loc[w, 'level_zh']}）。",
                    f"In {year} {_name(b, names_en)} has the highest D ({d.iloc[0]:.3f}, "
                    f"{cc.loc[b, 'level_en']}) and {_name(w, names_en)} the lowest "
                    f"({d.iloc[-1]:.3f}, {cc.loc[w, 'level_en']}).",
                )
            )
    comp = _latest(a.composite, year)["closeness"].sort_values(ascending=False, kind="stable")
    if len(comp) >= 2:
        b, w = comp.index[0], comp.index[-1]
        out.append(
            (
                f"{year} 年综合发展水平（相对贴近度）最高的是 {b}（{comp.iloc[0]:.3f}），"
                f"最低的是 {w}（{comp.iloc[-1]:.3f}）。",
                f"In {year} {_name(b, names_en)} ranks first on overall development (relative "
                f"closeness {comp.iloc[0]:.3f}) and {_name(w, names_en)} last "
                f"({comp.iloc[-1]:.3f}).",
            )
        )
    return out


def _improvers(a: Assessment, names_en: Mapping[str, str]) -> list[tuple[str, str]]:
    D = _levels(a)["D"].unstack("year")
    y0, y1 = first_year(a), latest_year(a)
    if y0 == y1 or y0 not in D.columns or y1 not in D.columns:
        return []
    change = (D[y1] - D[y0]).dropna().sort_values(ascending=False, kind="stable")
    if len(change) < 2:
        return []
    k = min(3, len(change) // 2)
    up, down = change.head(k), change.tail(k)[::-1]
    zh_up = "、".join(f"{c}（{v:+.3f}）" for c, v in up.items())
    en_up = ", ".join(f"{_name(c, names_en)} ({v:+.3f})" for c, v in up.items())
    zh_dn = "、".join(f"{c}（{v:+.3f}）" for c, v in down.items())
    en_dn = ", ".join(f"{_name(c, names_en)} ({v:+.3f})" for c, v in down.items())
    n_up = int((change > 0).sum())
    return [
        (
            f"{y0}—{y1} 年 D 上升的城市有 {n_up} 个（共 {len(change)} 个）；提升最多的是 {zh_up}，"
            f"变化最差的是 {zh_dn}。",
            f"From {y0} to {y1} D rose in {n_up} of {len(change)} cities; the largest gains: "
            f"{en_up}; the weakest changes: {en_dn}.",
        )
    ]


def _subsystems(a: Assessment, year: int) -> list[tuple[str, str]]:
    zh_names = {s.id: s.name_zh for s in a.system.subsystems}
    en_names = {s.id: s.name_en for s in a.system.subsystems}
    out = []
    means = _latest(a.scores, year).mean().sort_values()
    out.append(
        (
            f"{year} 年各子系统平均得分最高为{zh_names[means.index[-1]]}（{means.iloc[-1]:.3f}），"
            f"最低为{zh_names[means.index[0]]}（{means.iloc[0]:.3f}）。",
            f"In {year} the strongest subsystem on average is {en_names[means.index[-1]]} "
            f"({means.iloc[-1]:.3f}) and the weakest {en_names[means.index[0]]} "
            f"({means.iloc[0]:.3f}).",
        )
    )
    if "coupling" in a.tables and "lagging" in a.tables["coupling"].columns:
        cc = _latest(a.tables["coupling"], year)
        lag = cc["lagging"].astype("string").fillna("").str.split(",").explode()
        lag = lag[lag != ""].value_counts()
        if len(lag):
            items = list(lag.head(3).items())
            zh = "、".join(f"{zh_names.get(s, s)}（{n} 个城市）" for s, n in items)
            en = ", ".join(f"{en_names.get(s, s)} ({n} cities)" for s, n in items)
            out.append(
                (
                    f"{year} 年最常见的滞后子系统（低于本城市平均水平的 80%）：{zh}。",
                    f"In {year} the subsystems most often lagging (below 80% of the city's own "
                    f"average): {en}.",
                )
            )
    if "subsystem_obstacles" in a.tables:
        ob = _latest(a.tables["subsystem_obstacles"], year).mean().sort_values()
        sid = ob.index[-1]
        out.append(
            (
                f"{year} 年对综合发展阻碍最大的子系统是{zh_names.get(sid, sid)}"
                f"（平均障碍度 {ob.iloc[-1]:.1f}%）。",
                f"In {year} the subsystem holding development back most is "
                f"{en_names.get(sid, sid)} (mean obstacle degree {ob.iloc[-1]:.1f}%).",
            )
        )
    return out


def _groups(a: Assessment, year: int) -> list[tuple[str, str]]:
    groups = a.meta.get("groups")
    if not isinstance(groups, Mapping) or "coupling" not in a.tables:
        return []
    cc = _latest(_levels(a), year)
    label = pd.Series([groups.get(str(c)) for c in cc.index], index=cc.index)
    means = cc["D"].groupby(label).mean().sort_values(ascending=False, kind="stable")
    if len(means) < 2:
        return []
    zh = "、".join(f"{g} {v:.3f}" for g, v in means.items())
    en = ", ".join(f"{g} {v:.3f}" for g, v in means.items())
    gap = float(means.iloc[0] - means.iloc[-1])
    return [
        (
            f"{year} 年各组平均 D：{zh}；最高组与最低组相差 {gap:.3f}。",
            f"Mean D by group in {year}: {en}; the gap between the highest and lowest group is "
            f"{gap:.3f}.",
        )
    ]


def _gap(a: Assessment) -> list[tuple[str, str]]:
    if "sigma_convergence" not in a.tables:
        return []
    s = a.tables["sigma_convergence"]
    s = s[s["score"] == "composite"].sort_values("year")
    if len(s) < 2:
        return []
    first, last = s.iloc[0], s.iloc[-1]
    narrowed = last["cv"] < first["cv"]
    return [
        (
            f"城市间综合发展水平的变异系数由 {int(first['year'])} 年的 {first['cv']:.3f} 变为 "
            f"{int(last['year'])} 年的 {last['cv']:.3f}，城市间差距{'缩小' if narrowed else '扩大'}。",
            f"The coefficient of variation of overall development across cities went from "
            f"{first['cv']:.3f} ({int(first['year'])}) to {last['cv']:.3f} "
            f"({int(last['year'])}): the gap between cities {'narrowed' if narrowed else 'widened'}.",
        )
    ]


def key_findings(a: Assessment, names_en: Mapping[str, str] | None = None) -> list[tuple[str, str]]:
    """Findings (中文, English) from the scores and analyses, most important first.

    Parameters
    ----------
    a : Assessment
        The assessment to describe.
    names_en : mapping, optional
        English city names used in the English text (cities not in it keep their name).

    Returns
    -------
    list of (str, str)
        The D level and trend, the full grade distribution of the latest year, the best and
        worst cities, the improvers (panels), the subsystems, the groups (when given) and
        the gap between cities (panels); every statement present when its table is.
    """
    names_en = dict(names_en or {})
    year = latest_year(a)
    out: list[tuple[str, str]] = []
    if "coupling" in a.tables:
        out.append(_d_level_and_trend(a, year))
        out += _floor_rows(a, year)
        out.append(_grades(a, year))
    out += _best_worst(a, year, names_en)
    if "coupling" in a.tables:
        out += _improvers(a, names_en)
    out += _subsystems(a, year)
    out += _groups(a, year)
    out += _gap(a)
    return out
