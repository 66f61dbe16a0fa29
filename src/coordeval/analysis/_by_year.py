"""Inequality of every score of a (city, year) panel, year by year: Gini, Theil / GE(α) and,
with groups, the Dagum decomposition."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from coordeval.analysis._dagum import _dagum_kernel, _dagum_result
from coordeval.analysis._gini_theil import (
    _bias_corrected,
    _check_alpha,
    _gini_sorted,
    _theil_kernel,
    _theil_result,
)
from coordeval.analysis._inputs import (
    GroupsLike,
    NanPolicy,
    _check_year,
    _clean_column,
    _codes,
    _group_map,
    _score_frame,
    _share,
    _weights_for,
)
from coordeval.analysis._problems import coded_error
from coordeval.errors import ConfigError
from coordeval.kernels.inequality import gini_weighted

_MEASURES = ("gini", "theil")


def _check_measures(measures: Iterable[str]) -> tuple[str, ...]:
    chosen = tuple(measures)
    unknown = [m for m in chosen if m not in _MEASURES]
    if unknown or not chosen:
        raise ConfigError(
            f"measures must be a non-empty selection of {list(_MEASURES)}, got {list(chosen)}"
        )
    return chosen


def _cross_sections(
    scores: Any,
    groups: GroupsLike | None,
    nan_policy: NanPolicy,
    what: str,
    weights: Any = None,
) -> Iterable[tuple[str, Any, np.ndarray, np.ndarray | None, np.ndarray | None, np.ndarray | None]]:
    """Yield (score, year, values, group codes, group labels, weights) per column and year."""
    frame = _score_frame(scores, what)
    group_of = _group_map(groups, frame.index.get_level_values("city"), what)
    if weights is not None and not isinstance(weights, Mapping | pd.Series):
        raise TypeError(
            f"{what}: weights must be a mapping or Series by city, or a Series by (city, year)"
        )
    for name in frame.columns:
        col = _clean_column(frame[name], nan_policy, what)
        years = col.index.get_level_values("year")
        for year in pd.unique(years.sort_values()):
            part = col[years == year]
            values = part.to_numpy()
            _check_year(values, name, year, what)
            w = _weights_for(part, weights, values.size, what)
            if group_of is None:
                yield name, year, values, None, None, w
            else:
                codes, uniques = _codes(
                    group_of.reindex(part.index.get_level_values("city")).to_numpy()
                )
                yield name, year, values, codes, uniques, w


def inequality_by_year(
    scores: pd.Series | pd.DataFrame,
    groups: GroupsLike | None = None,
    measures: Sequence[str] = ("gini", "theil"),
    *,
    nan_policy: NanPolicy = "raise",
    weights: Any = None,
    theil_alpha: float = 1.0,
    gini_correction: bool = False,
) -> pd.DataFrame:
    """Gini, Dagum decomposition and Theil index for every year and score column.

    Parameters
    ----------
    scores : pandas.Series or pandas.DataFrame
        Non-negative scores indexed by a MultiIndex with levels ``city`` and ``year``; a
        DataFrame holds one score per column (e.g. the seven subsystems and the composite).
    groups : mapping or pandas.Series, optional
        City → group label. When given, the Gini is decomposed after Dagum and the Theil index
        into within and between parts.
    measures : sequence of {"gini", "theil"}, default ("gini", "theil")
        Which measures to report.
    nan_policy : {"raise", "omit"}, default "raise"
        Missing scores raise :class:`InputError`, or are left out of their year with a
        :class:`DataWarning`.
    weights : mapping or pandas.Series, optional
        Population (or other) weights: by city (mapping or Series), or a Series indexed by
        (city, year) for weights that change over the years. Every measure, the Dagum
        decomposition included, is then weighted (see :func:`gini`, :func:`theil`).
    theil_alpha : float, default 1.0
        The generalised-entropy member in the ``theil`` columns: 1 Theil T, 0 Theil L (mean
        log deviation), any other α GE(α) (see :func:`theil`).
    gini_correction : bool, default False
        Add a column ``gini_corrected`` = ``n/(n − 1)·gini`` (R ``ineq::Gini(corr = TRUE)``);
        ``gini`` and its decomposition stay the population Gini. Not with ``weights``.

    Returns
    -------
    pandas.DataFrame
        One row per (score, year), sorted by score column order then year. Columns: ``score``,
        ``year``, ``n``, ``mean``; for "gini" ``gini`` and, with groups, ``n_groups``, ``G_w``,
        ``G_nb``, ``G_t``, ``G_w_share``, ``G_nb_share``, ``G_t_share`` (and
        ``gini_corrected`` with ``gini_correction``); for "theil" ``theil`` (GE(``theil_alpha``))
        and, with groups, ``T_w``, ``T_b``, ``T_w_share``, ``T_b_share``. Shares are parts over
        the total, reported as 0 when the total is 0 (all cities equal). ``mean`` is unweighted.

    Raises
    ------
    InputError
        Bad index, duplicate (city, year) rows, non-numeric columns, missing (with
        ``nan_policy="raise"``), infinite or negative scores, a year where every score is 0, or
        a city without a group.
    ConfigError
        If ``measures`` names an unknown measure.

    Notes
    -----
    Each year is one cross-section; formulas as in :func:`gini`, :func:`dagum_gini` and
    :func:`theil`. An unbalanced panel is allowed: each year uses the cities observed in it.

    References
    ----------
    Dagum, C. (1997). A new approach to the decomposition of the Gini income inequality ratio.
    Empirical Economics, 22(4), 515-531.
    Theil, H. (1967). Economics and Information Theory. North-Holland.
    """
    chosen = _check_measures(measures)
    what = "inequality_by_year"
    alpha = _check_alpha(theil_alpha)
    if gini_correction and weights is not None:
        raise ConfigError("the n/(n − 1) bias correction is defined for unweighted values only")
    rows = []
    sections = _cross_sections(scores, groups, nan_policy, what, weights)
    for name, year, values, codes, uniques, w in sections:
        row: dict[str, Any] = {
            "score": name,
            "year": year,
            "n": values.size,
            "mean": float(values.mean()),
        }
        if "gini" in chosen:
            if codes is None:
                row["gini"] = (
                    _gini_sorted(np.sort(values)) if w is None else gini_weighted(values, w)
                )
            else:
                dg = _dagum_result(_dagum_kernel(values, codes, uniques.size, w), uniques)
                shares = dg.contributions
                row.update(
                    gini=dg.G,
                    n_groups=int(uniques.size),
                    G_w=dg.G_w,
                    G_nb=dg.G_nb,
                    G_t=dg.G_t,
                    G_w_share=shares["within"],
                    G_nb_share=shares["net_between"],
                    G_t_share=shares["transvariation"],
                )
            if gini_correction:
                row["gini_corrected"] = _bias_corrected(row["gini"], values.size)
        if "theil" in chosen:
            if alpha <= 0 and not (values > 0).all():
                raise coded_error(
                    f"{what}: Theil L / GE(α ≤ 0) needs positive scores; {name!r} has zeros "
                    f"in year {year!r}",
                    "zero_scores_in_year",
                    [{"score": name, "year": year, "n": int((values == 0).sum())}],
                    column=str(name),
                )
            if codes is None and alpha == 1.0 and w is None:
                row["theil"] = _theil_kernel(values, np.zeros(values.size, np.intp), 1)[0]
            elif codes is None:
                row["theil"] = _theil_result(
                    values, np.zeros(values.size, np.intp), np.array(["all"], object), alpha, w
                ).T
            else:
                th = _theil_result(values, codes, uniques, alpha, w)
                row.update(
                    theil=th.T,
                    T_w=th.T_w,
                    T_b=th.T_b,
                    T_w_share=_share(th.T_w, th.T),
                    T_b_share=_share(th.T_b, th.T),
                )
        rows.append(row)
    out = pd.DataFrame(rows)
    out["score"] = out["score"].astype("str")
    return out


def dagum_by_year(
    scores: pd.Series | pd.DataFrame,
    groups: GroupsLike,
    *,
    nan_policy: NanPolicy = "raise",
    weights: Any = None,
) -> pd.DataFrame:
    """Detailed Dagum decomposition per year: within-group and between-group Gini in long form.

    Parameters
    ----------
    scores : pandas.Series or pandas.DataFrame
        Non-negative scores indexed by (``city``, ``year``); one score per column.
    groups : mapping or pandas.Series
        City → group label.
    nan_policy : {"raise", "omit"}, default "raise"
        As in :func:`inequality_by_year`.
    weights : mapping or pandas.Series, optional
        Population weights, as in :func:`inequality_by_year`.

    Returns
    -------
    pandas.DataFrame
        One row per (score, year, group or pair of groups): ``score``, ``year`` and the columns
        of :meth:`DagumResult.pairs` (``group_a``, ``group_b``, ``kind`` ∈ {"within",
        "between"}, ``n_a``, ``n_b``, ``mean_a``, ``mean_b``, ``G_jh``, ``D_jh``,
        ``within_part``, ``net_between_part``, ``transvariation_part``). Within rows have
        ``group_a == group_b`` and ``G_jh = G_jj``; in between rows ``group_a`` is the group with
        the higher mean that year. Per (score, year) the ``*_part`` columns sum to ``G_w``,
        ``G_nb`` and ``G_t``.

    Raises
    ------
    InputError
        As in :func:`inequality_by_year`.

    Notes
    -----
    Formulas as in :func:`dagum_gini`.

    References
    ----------
    Dagum, C. (1997). A new approach to the decomposition of the Gini income inequality ratio.
    Empirical Economics, 22(4), 515-531.
    """
    what = "dagum_by_year"
    if groups is None:
        raise TypeError(f"{what}: groups are required")
    frames = []
    sections = _cross_sections(scores, groups, nan_policy, what, weights)
    for name, year, values, codes, uniques, w in sections:
        if codes is None or uniques is None:  # pragma: no cover - groups are always given here
            raise RuntimeError("group codes are missing")
        pairs = _dagum_result(_dagum_kernel(values, codes, uniques.size, w), uniques).pairs()
        pairs.insert(0, "year", year)
        pairs.insert(0, "score", name)
        frames.append(pairs)
    out = pd.concat(frames, ignore_index=True)
    out["score"] = out["score"].astype("str")
    return out
