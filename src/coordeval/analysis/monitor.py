"""Year-on-year monitoring of a scores history (``scores.csv`` written by ``coordeval score``).

Every row of the history is one city-year scored on one frozen scale (one saved model), so
the numbers of different years are comparable. :func:`monitor_history` computes, from those
rows only:

* per city and year: D, the composite and every subsystem score, their change from the
  previous calendar year of the same city, the rank of D within the year and its change,
  the grade and the grade of the previous year, the lagging subsystems;
* the grade transitions over all consecutive years: the count matrix ``F`` (from grade in
  year t − 1, to grade in year t) and the probability matrix ``P = F / row sums`` (a row
  without observations is left empty, not zero);
* per city over the whole history: first and last year, change of D and of the rank (the
  most improved and most declined cities);
* subsystems that became lagging (relative development ``E_i = U_i / mean(U) < 0.8`` in year
  t but not in year t − 1);
* per year: number of cities, mean D and composite, cities up and down;
* findings written from these numbers (Chinese and English).

Changes are taken between consecutive calendar years only (t − 1 → t); a city missing a year
has no change for the year after the gap. Ranks are ``min`` ranks of D within the year, 1 =
highest D; rank change = previous rank − rank (positive = moved up).

References
----------
Transition matrices of grades: the discrete Markov chain estimator p_ij = n_ij / n_i (Rey, S.
2001, Spatial empirics for economic growth and convergence, Geographical Analysis 33(3)).
Relative development E_i = U_i / mean(U) with the 0.8 threshold: coordeval's generalisation of
the two-system rule (see ``coordeval.analysis.coupling.relative_development``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from coordeval.errors import ConfigError

__all__ = ["LAG_THRESHOLD", "Monitoring", "monitor_history"]

#: A subsystem lags when its score is below this share of the city-year's mean score.
LAG_THRESHOLD = 0.8
_NEEDED = ("city", "year", "composite", "D", "grade")


@dataclass
class Monitoring:
    """The monitoring tables of a scores history.

    Attributes
    ----------
    panel : DataFrame
        Index (city, year): D, composite, subsystem scores, ``d_<col>`` year-on-year
        changes, ``rank``, ``rank_change``, ``grade``, ``grade_prev``, ``level_zh``,
        ``level_en``, ``lagging`` (subsystems with E < 0.8, ``"; "``-joined) and
        ``floor_zero`` (a subsystem score at 0 forces C = D = 0: an artefact of the scale).
    transition_counts, transition_probabilities : DataFrame
        Grade × grade (rows: grade in t − 1, columns: grade in t), over every grade from
        the lowest to the highest observed.
    cities : DataFrame
        Per city: first and last year, D in both, change of D, rank in both, rank change,
        grades, ``floor_zero`` (the first or last row is a floor row), sorted by the change
        of D (most improved first); the findings name no city whose change involves a floor
        row.
    became_lagging : DataFrame
        city, year, subsystem, E in t − 1 and in t.
    yearly : DataFrame
        Per year: cities, mean D, mean composite, cities with D up / down from t − 1.
    findings : list of (str, str)
        Sentences (Chinese, English) written from the tables.
    subsystems : list of str
        Subsystem columns of the history.
    floor_transitions : int
        Transitions into or out of a floor row (grade 1 forced by the scale).
    """

    panel: pd.DataFrame
    transition_counts: pd.DataFrame
    transition_probabilities: pd.DataFrame
    cities: pd.DataFrame
    became_lagging: pd.DataFrame
    yearly: pd.DataFrame
    subsystems: list[str]
    floor_transitions: int = 0
    findings: list[tuple[str, str]] = field(default_factory=list)


def _subsystem_columns(scores: pd.DataFrame, subsystems: Sequence[str] | None) -> list[str]:
    if subsystems is not None:
        missing = [s for s in subsystems if s not in scores.columns]
        if missing:
            raise ConfigError(f"the scores history has no column for subsystem(s) {missing}")
        return list(subsystems)
    cols = list(scores.columns)
    return cols[cols.index("year") + 1 : cols.index("composite")]


def monitor_history(
    scores: pd.DataFrame,
    subsystems: Sequence[str] | None = None,
    names: Mapping[str, tuple[str, str]] | None = None,
    top: int = 5,
) -> Monitoring:
    """Year-on-year monitoring tables of a scores history.

    Parameters
    ----------
    scores : DataFrame
        Rows of ``scores.csv`` (:func:`coordeval.batch.read_scores`): columns ``city``,
        ``year``, the subsystem scores, ``composite``, ``C, T, D, grade, level_zh,
        level_en``.
    subsystems : sequence of str, optional
        Subsystem columns; default: the columns between ``year`` and ``composite``.
    names : mapping, optional
        Subsystem id → (Chinese, English) name, for the findings.
    top : int
        Cities named as most improved / declined in the findings.

    Returns
    -------
    Monitoring

    Raises
    ------
    ConfigError
        When a needed column is missing, or a (city, year) appears twice.
    """
    missing = [c for c in _NEEDED if c not in scores.columns]
    if missing:
        raise ConfigError(f"the scores history lacks the column(s) {missing}")
    subs = _subsystem_columns(scores, subsystems)
    frame = scores.astype({"city": "str", "year": "int64"}).set_index(["city", "year"])
    if frame.index.has_duplicates:
        raise ConfigError("the scores history lists a (city, year) more than once")
    frame = frame.sort_index()
    values = ["D", "composite", *subs]
    panel = frame[values].astype("float64")
    # previous calendar year of the same city (t − 1), aligned on the index
    prev_index = pd.MultiIndex.from_arrays(
        [
            panel.index.get_level_values("city"),
            panel.index.get_level_values("year") - 1,
        ],
        names=["city", "year"],
    )
    prev = panel.reindex(prev_index)
    prev.index = panel.index
    has_prev = prev["D"].notna().to_numpy()
    change = (panel - prev).add_prefix("d_")
    rank = panel.groupby(level="year")["D"].rank(method="min", ascending=False)
    prev_rank = rank.reindex(prev_index)
    prev_rank.index = panel.index
    grade = frame["grade"].astype("int64")
    prev_grade = grade.reindex(prev_index)
    prev_grade.index = panel.index
    U = panel[subs].clip(0.0, 1.0)
    mean = U.mean(axis=1).to_numpy()
    with np.errstate(divide="ignore", invalid="ignore"):
        E = np.where(mean[:, None] > 0, U.to_numpy() / mean[:, None], np.nan)
    lag = E < LAG_THRESHOLD
    lag_text = _join(lag, subs, panel.index)
    floor = (U.to_numpy() == 0.0).any(axis=1) & (U.to_numpy() > 0.0).any(axis=1)
    out = panel.join(change)
    out["rank"] = rank.astype("int64")
    out["rank_change"] = (prev_rank - rank).astype("Int64")
    out["grade"] = grade
    out["grade_prev"] = prev_grade.astype("Int64")
    out["level_zh"] = frame["level_zh"].astype("str")
    out["level_en"] = frame["level_en"].astype("str")
    out["lagging"] = lag_text
    out["floor_zero"] = floor

    # grade transitions over consecutive years
    floor_prev = pd.Series(floor, index=panel.index).reindex(prev_index).to_numpy()
    floor_moves = int((has_prev & (floor | pd.Series(floor_prev).eq(True).to_numpy())).sum())
    g_from = prev_grade.to_numpy()[has_prev].astype(np.int64)
    g_to = grade.to_numpy()[has_prev]
    observed = np.concatenate([grade.to_numpy(), g_from])
    levels = np.arange(int(observed.min()), int(observed.max()) + 1)
    k = len(levels)
    counts = np.zeros((k, k), dtype=np.int64)
    np.add.at(counts, (g_from - levels[0], g_to - levels[0]), 1)
    idx = pd.Index(levels, name="from_grade")
    cols = pd.Index(levels, name="to_grade")
    F = pd.DataFrame(counts, index=idx, columns=cols)
    row_sums = counts.sum(axis=1, keepdims=True)
    with np.errstate(divide="ignore", invalid="ignore"):
        P = pd.DataFrame(np.where(row_sums > 0, counts / row_sums, np.nan), index=idx, columns=cols)

    # first → last year per city
    flat = out.reset_index()
    first = flat.groupby("city", sort=True).first()
    last = flat.groupby("city", sort=True).last()
    cities = pd.DataFrame(
        {
            "first_year": first["year"],
            "last_year": last["year"],
            "D_first": first["D"],
            "D_last": last["D"],
            "D_change": last["D"] - first["D"],
            "rank_first": first["rank"],
            "rank_last": last["rank"],
            "rank_change": first["rank"] - last["rank"],
            "grade_first": first["grade"],
            "grade_last": last["grade"],
            "floor_zero": first["floor_zero"].astype(bool) | last["floor_zero"].astype(bool),
        }
    )
    cities = cities.sort_values(["D_change", "D_last"], ascending=False, kind="stable")

    # subsystems that became lagging in t (lagging now, not in t − 1)
    lag_frame = pd.DataFrame(lag, index=panel.index, columns=subs)
    lag_prev = lag_frame.reindex(prev_index)
    lag_prev.index = panel.index
    E_frame = pd.DataFrame(E, index=panel.index, columns=subs)
    E_prev = E_frame.reindex(prev_index)
    E_prev.index = panel.index
    became = lag_frame & lag_prev.eq(False)
    stacked = became.rename_axis(columns="subsystem").stack()
    hit = stacked[stacked.to_numpy(dtype=bool)].index
    became_lagging = pd.DataFrame(
        {
            "E_prev": E_prev.stack().reindex(hit).to_numpy(),
            "E": E_frame.stack().reindex(hit).to_numpy(),
        },
        index=hit,
    ).reset_index()

    d_change = out["d_D"]
    yearly = pd.DataFrame(
        {
            "cities": out.groupby(level="year")["D"].size(),
            "D_mean": out.groupby(level="year")["D"].mean(),
            "composite_mean": out.groupby(level="year")["composite"].mean(),
            "D_up": d_change.gt(0).groupby(level="year").sum(),
            "D_down": d_change.lt(0).groupby(level="year").sum(),
            "floor_zero": out["floor_zero"].groupby(level="year").sum(),
        }
    )
    m = Monitoring(
        panel=out,
        transition_counts=F,
        transition_probabilities=P,
        cities=cities,
        became_lagging=became_lagging,
        yearly=yearly,
        subsystems=subs,
        floor_transitions=floor_moves,
    )
    m.findings = _findings(m, names or {}, top)
    return m


def _join(mask: np.ndarray, names: Sequence[str], index: pd.Index) -> pd.Series:
    """``"a; b"`` of the names whose mask is set, per row (a loop over the few columns)."""
    text = np.full(mask.shape[0], "", dtype=object)
    for j, name in enumerate(names):
        has = mask[:, j]
        text = np.where(has & (text != ""), text + "; " + name, np.where(has, name, text))
    return pd.Series(text, index=index, dtype="str")


def _names(cities: pd.Index) -> str:
    return ", ".join(map(str, cities))


def _findings(
    m: Monitoring, names: Mapping[str, tuple[str, str]], top: int
) -> list[tuple[str, str]]:
    """Sentences from the numbers of the tables (no number here is computed anew)."""
    out: list[tuple[str, str]] = []
    y = m.yearly
    y0, y1 = int(y.index.min()), int(y.index.max())
    n_cities = m.panel.index.get_level_values("city").nunique()
    out.append(
        (
            f"评估期 {y0}–{y1} 年（同一冻结尺度），共 {n_cities} "
            f"个城市、{len(m.panel)} 个城市-年份；平均 D 由 {y['D_mean'].iloc[0]:.3f} 变为 "
            f"{y['D_mean'].iloc[-1]:.3f}，平均综合得分由 {y['composite_mean'].iloc[0]:.3f} 变为 "
            f"{y['composite_mean'].iloc[-1]:.3f}。",
            f"{y0}–{y1} on one frozen scale: {n_cities} "
            f"cities, {len(m.panel)} city-years; mean D moved from {y['D_mean'].iloc[0]:.3f} to "
            f"{y['D_mean'].iloc[-1]:.3f}, the mean composite from "
            f"{y['composite_mean'].iloc[0]:.3f} to {y['composite_mean'].iloc[-1]:.3f}.",
        )
    )
    if len(y) > 1:
        up, down = int(y["D_up"].iloc[-1]), int(y["D_down"].iloc[-1])
        out.append(
            (
                f"{y1} 年较上年 D 上升的城市 {up} 个，下降的 {down} 个。",
                f"In {y1}, D rose in {up} cities and fell in {down} compared with the year before.",
            )
        )
    F = m.transition_counts
    n_trans = int(F.to_numpy().sum())
    if n_trans:
        stay = int(np.trace(F.to_numpy()))
        up = int(np.triu(F.to_numpy(), 1).sum())
        down = int(np.tril(F.to_numpy(), -1).sum())
        out.append(
            (
                f"相邻年份的 {n_trans} 次等级转移中，保持原等级 {stay} 次（{stay / n_trans:.0%}），"
                f"上升 {up} 次，下降 {down} 次"
                + (
                    f"；其中 {m.floor_transitions} 次进出“下限0”行"
                    "（等级 1 由尺度造成，不是真实变化）。"
                    if m.floor_transitions
                    else "。"
                ),
                f"Of {n_trans} year-to-year grade transitions, {stay} ({stay / n_trans:.0%}) kept "
                f"the grade, {up} moved up and {down} moved down"
                + (
                    f"; {m.floor_transitions} of them go into or out of a floor row (grade 1 "
                    "forced by the scale, not a real change)."
                    if m.floor_transitions
                    else "."
                ),
            )
        )
    c = m.cities
    # a change into or out of a floor row (C = D = 0 from the scale) is not a finding
    multi = c[(c["first_year"] < c["last_year"]) & ~c["floor_zero"]]
    if len(multi):
        best = multi.head(top)
        worst = multi.sort_values("D_change", kind="stable").head(top)
        worst = worst[worst["D_change"] < 0]
        best = best[best["D_change"] > 0]
        if len(best):
            who, by = _names(best.index), best["D_change"].iloc[0]
            out.append(
                (
                    f"D 提升最多的城市：{who}（最大 {by:+.3f}）。",
                    f"Most improved D: {who} (largest {by:+.3f}).",
                )
            )
        if len(worst):
            who, by = _names(worst.index), worst["D_change"].iloc[0]
            out.append(
                (
                    f"D 下降最多的城市：{who}（最大 {by:+.3f}）。",
                    f"Most declined D: {who} (largest {by:+.3f}).",
                )
            )
    b = m.became_lagging
    if len(b):
        per = b.groupby("subsystem", sort=False).size().sort_values(ascending=False, kind="stable")
        zh = "；".join(f"{names.get(s, (s, s))[0]} {n} 次" for s, n in per.items())
        en = "; ".join(f"{names.get(s, (s, s))[1]} {n}" for s, n in per.items())
        out.append(
            (
                f"新出现的滞后子系统（E = U/均值 < {LAG_THRESHOLD}）：{zh}。",
                f"Subsystems that became lagging (E = U/mean < {LAG_THRESHOLD}): {en}.",
            )
        )
    n_floor = int(m.panel["floor_zero"].sum())
    if n_floor:
        out.append(
            (
                f"{n_floor} 个城市-年份有子系统得分处于标准化下限 0，"
                "经典模型因乘积为 0 给出 C = D = 0："
                "这是尺度造成的结果，不代表协调水平（表中“下限0”列标出）。",
                f"{n_floor} city-year(s) have a subsystem score at the normalisation floor 0, "
                "which makes C = D = 0 in the product-based models: an artefact of the scale, "
                "not a coordination level (marked in the floor_zero column).",
            )
        )
    return out
