"""Weight robustness: how much do city rankings depend on the fitted weights?

:func:`weight_robustness` perturbs fitted indicator weights by Monte Carlo draws from a
Dirichlet distribution centred on them, re-scores every city(-year) with each draw in one
matrix product, re-ranks, and reports per unit the base rank, the range of ranks and the share
of draws that leave its rank unchanged, plus per year the Spearman rank correlation of every
draw's ranking with the base ranking.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal

import numpy as np
import pandas as pd
from scipy.stats import rankdata

from coordeval import _validation as V
from coordeval.analysis._problems import coded
from coordeval.errors import InputError

__all__ = ["RobustnessResult", "dirichlet_weight_draws", "weight_robustness"]

Level = Literal["indicator", "subsystem", "both"]


@dataclass(frozen=True)
class RobustnessResult:
    """Result of :func:`weight_robustness`.

    Attributes
    ----------
    ranks : pandas.DataFrame
        Indexed like ``Z``: ``score`` (with the base weights), ``score_sd`` (over draws),
        ``base_rank``, ``mean_rank``, ``min_rank``, ``max_rank`` and ``rank_stability`` (share of
        draws whose rank equals the base rank). Rank 1 is the highest score; ranks are taken
        within each year for a ``(city, year)`` panel; ties share the lowest rank.
    spearman : pandas.DataFrame
        Spearman correlation of each draw's ranking with the base ranking: one row per draw,
        one column per year (a single column ``"all"`` for a cross-section).
    summary : pandas.DataFrame
        Per year: ``n_units``, ``spearman_mean``, ``spearman_p05`` (5th percentile),
        ``spearman_min``, ``rank_stability_mean``.
    weight_draws : pandas.DataFrame
        The perturbed weight vectors, one row per draw (each sums to 1).
    n_draws, concentration, seed, level
        The settings used.
    scores : pandas.DataFrame or None
        Composite scores per draw (rows like ``Z``, one column per draw) when requested.
    """

    ranks: pd.DataFrame
    spearman: pd.DataFrame
    summary: pd.DataFrame
    weight_draws: pd.DataFrame
    n_draws: int
    concentration: float
    seed: int | None
    level: str
    scores: pd.DataFrame | None = field(default=None, repr=False)


def dirichlet_weight_draws(
    w: np.ndarray,
    n_draws: int,
    concentration: float,
    rng: np.random.Generator,
    groups: np.ndarray | None = None,
    level: Level = "indicator",
) -> np.ndarray:
    """Dirichlet perturbations of a weight vector (array kernel).

    Parameters
    ----------
    w : ndarray of shape (k,)
        Non-negative weights summing to 1.
    n_draws : int
        Number of draws.
    concentration : float
        Dirichlet concentration c > 0; larger means draws closer to ``w``.
    rng : numpy.random.Generator
        Source of randomness.
    groups : ndarray of int of shape (k,), optional
        Subsystem code of every indicator (needed for ``level`` other than ``"indicator"``).
    level : {"indicator", "subsystem", "both"}
        ``"indicator"``: :math:`w^* \\sim \\mathrm{Dir}(c\\,w)` over all indicators.
        ``"subsystem"``: subsystem totals :math:`W_r = \\sum_{j \\in r} w_j` are drawn from
        :math:`\\mathrm{Dir}(c\\,W)`, within-subsystem shares :math:`w_j / W_r` are kept.
        ``"both"``: subsystem totals as above and, independently for every subsystem, the
        within-subsystem shares from :math:`\\mathrm{Dir}(c\\,w_{\\cdot|r})`;
        :math:`w^*_j = W^*_r\\,w^*_{j|r}`.

    Returns
    -------
    ndarray of shape (n_draws, k)
        Each row sums to 1; indicators (or subsystems) with weight 0 keep weight 0.

    Raises
    ------
    ValueError
        Invalid weights, concentration, level or groups.

    Notes
    -----
    :math:`E[w^*] = w` and :math:`\\mathrm{Var}(w^*_j) = w_j(1 - w_j)/(c + 1)` for the
    indicator-level draw (Dirichlet moments), so ``concentration`` sets the spread directly.
    Zero weights are left out of the Dirichlet (its parameters must be positive).
    """
    w = np.asarray(w, dtype=np.float64)
    if w.ndim != 1 or np.any(w < 0) or not np.all(np.isfinite(w)) or w.sum() <= 0:
        raise ValueError("w must be a finite, non-negative 1-D weight vector with positive sum")
    if not (np.isfinite(concentration) and concentration > 0):
        raise ValueError("concentration must be a positive finite number")
    if level not in ("indicator", "subsystem", "both"):
        raise ValueError(f"unknown level {level!r}")
    w = w / w.sum()
    k = w.size
    out = np.zeros((n_draws, k))
    if level == "indicator":
        pos = w > 0
        out[:, pos] = rng.dirichlet(concentration * w[pos], size=n_draws)
        return out
    if groups is None:
        raise ValueError(f"level={level!r} needs groups")
    codes = np.asarray(groups)
    if codes.shape != (k,):
        raise ValueError("groups must give one subsystem code per weight")
    labels, inv = np.unique(codes, return_inverse=True)
    totals = np.bincount(inv, weights=w, minlength=labels.size)
    live = totals > 0
    tot_draws = np.zeros((n_draws, labels.size))
    tot_draws[:, live] = rng.dirichlet(concentration * totals[live], size=n_draws)
    shares = np.where(totals[inv] > 0, w / np.where(totals[inv] > 0, totals[inv], 1.0), 0.0)
    share_draws = np.broadcast_to(shares, (n_draws, k)).copy()
    if level == "both":
        for g in np.flatnonzero(live):
            members = np.flatnonzero((inv == g) & (w > 0))
            if members.size > 1:
                share_draws[:, members] = rng.dirichlet(concentration * shares[members], n_draws)
    out = tot_draws[:, inv] * share_draws
    return out


def _validate(
    Z: pd.DataFrame, weights: pd.Series | Mapping[str, float]
) -> tuple[np.ndarray, np.ndarray]:
    if not isinstance(Z, pd.DataFrame):
        raise InputError([coded("z_not_frame")])
    if not isinstance(weights, Mapping | pd.Series):
        raise InputError([coded("weights_not_series")])
    wv = V.weights(weights, list(Z.columns), "indicators")
    Za = V.finite_values(V.table(Z), "weight_robustness")
    return Za, wv / wv.sum()


def weight_robustness(
    Z: pd.DataFrame,
    weights: pd.Series | Mapping[str, float],
    n_draws: int = 1000,
    concentration: float = 100.0,
    seed: int | None = 0,
    groups: Mapping[str, str] | pd.Series | None = None,
    *,
    level: Level | None = None,
    return_scores: bool = False,
) -> RobustnessResult:
    """Monte Carlo sensitivity of composite scores and ranks to the indicator weights.

    Parameters
    ----------
    Z : pandas.DataFrame
        Normalised indicator values (columns = indicator ids), rows = cities or a
        ``(city, year)`` MultiIndex panel (then ranks are taken within each year).
    weights : pandas.Series or mapping
        Fitted weights keyed by indicator id (renormalised to sum 1).
    n_draws : int, default 1000
        Number of perturbed weight vectors.
    concentration : float, default 100
        Dirichlet concentration c (see :func:`dirichlet_weight_draws`); the standard deviation
        of a perturbed weight is :math:`\\sqrt{w(1-w)/(c+1)}`, about 0.1·w at c = 100 for small
        w. ``numpy.inf`` is not accepted; use a large number to approach the base weights.
    seed : int or None, default 0
        Seed of :func:`numpy.random.default_rng`; the same seed gives identical draws.
    groups : mapping or pandas.Series, optional
        Membership indicator id → subsystem id. When given, the default ``level`` is
        ``"both"``: subsystem totals and within-subsystem shares are perturbed separately.
    level : {"indicator", "subsystem", "both"}, optional
        Perturbation level (default ``"indicator"`` without ``groups``, ``"both"`` with).
    return_scores : bool, default False
        Keep the (n_rows, n_draws) matrix of composite scores in the result.

    Returns
    -------
    RobustnessResult

    Raises
    ------
    InputError
        Weights not matching the columns of Z, negative or missing values, a year with fewer
        than two units, or a year in which every unit has the same base score.
    ValueError
        Invalid ``n_draws``, ``concentration`` or ``level``.

    Notes
    -----
    With the draws stacked in :math:`W^*` (n_draws × k), all composite scores are one matrix
    product per year block, :math:`S = Z W^{*\\prime}` (no loop over draws), the composite
    being :math:`S_i = \\sum_j w_j z_{ij}` as in the ``panel`` preset. Ranks are descending
    (rank 1 = best), ties receive the minimum rank. The Spearman coefficient of draw d in year
    t is the Pearson correlation of average ranks,
    :math:`\\rho_{td} = \\mathrm{corr}(r^{0}_{t}, r^{d}_{t})` (a draw that ties every unit of a
    year, impossible with continuous data, would get ρ = 0). Peak memory is one year's
    (n_units × n_draws) score block, plus the full matrix when ``return_scores``.

    References
    ----------
    Saisana, M., Saltelli, A., & Tarantola, S. (2005). Uncertainty and sensitivity analysis
    techniques as tools for the quality assessment of composite indicators. Journal of the
    Royal Statistical Society A, 168(2), 307-323.
    """
    if not isinstance(n_draws, int | np.integer) or n_draws < 1:
        raise ValueError("n_draws must be a positive integer")
    Za, w = _validate(Z, weights)
    if level is None:
        level = "indicator" if groups is None else "both"
    codes = None
    if level != "indicator":
        if groups is None:
            raise InputError([coded("level_needs_groups", {"level": level})])
        g = pd.Series(groups)
        lacking = [c for c in Z.columns if c not in g.index]
        if lacking:
            raise InputError([coded("indicator_without_group", column=str(c)) for c in lacking])
        codes = pd.factorize(g.reindex(Z.columns))[0]
    rng = np.random.default_rng(seed)
    W = dirichlet_weight_draws(w, int(n_draws), float(concentration), rng, codes, level)

    if isinstance(Z.index, pd.MultiIndex) and "year" in Z.index.names:
        year_values = Z.index.get_level_values("year")
        year_codes, years = pd.factorize(year_values, sort=True)
        year_labels = list(years)
    else:
        year_codes = np.zeros(len(Z), dtype=np.int64)
        year_labels = ["all"]

    n = Za.shape[0]
    base = Za @ w
    base_rank = np.empty(n, dtype=np.int64)
    min_rank = np.empty(n, dtype=np.int64)
    max_rank = np.empty(n, dtype=np.int64)
    mean_rank = np.empty(n)
    stability = np.empty(n)
    score_sd = np.empty(n)
    spearman = np.empty((n_draws, len(year_labels)))
    scores = np.empty((n, n_draws)) if return_scores else None
    problems = []
    for t, label in enumerate(year_labels):
        rows = np.flatnonzero(year_codes == t)
        if rows.size < 2:
            problems.append(coded("too_few_units_to_rank", {"year": label}))
            continue
        b = base[rows]
        if np.ptp(b) == 0:
            problems.append(coded("equal_base_scores", {"year": label}))
            continue
        S = Za[rows] @ W.T
        if scores is not None:
            scores[rows] = S
        R = rankdata(-S, axis=0, method="min")
        r0 = rankdata(-b, method="min")
        base_rank[rows] = r0
        min_rank[rows] = R.min(axis=1)
        max_rank[rows] = R.max(axis=1)
        mean_rank[rows] = R.mean(axis=1)
        stability[rows] = (R == r0[:, None]).mean(axis=1)
        score_sd[rows] = S.std(axis=1)
        Ra = rankdata(-S, axis=0, method="average")
        ra = rankdata(-b, method="average")
        Rc = Ra - Ra.mean(axis=0)
        rc = ra - ra.mean()
        denom = np.sqrt((Rc**2).sum(axis=0) * (rc**2).sum())
        spearman[:, t] = np.where(denom > 0, (rc @ Rc) / np.where(denom > 0, denom, 1.0), 0.0)
    if problems:
        raise InputError(problems, summary="cannot rank the units")

    ranks = pd.DataFrame(
        {
            "score": base,
            "score_sd": score_sd,
            "base_rank": base_rank,
            "mean_rank": mean_rank,
            "min_rank": min_rank,
            "max_rank": max_rank,
            "rank_stability": stability,
        },
        index=Z.index,
    )
    draw_index = pd.RangeIndex(n_draws, name="draw")
    rho = pd.DataFrame(spearman, index=draw_index, columns=pd.Index(year_labels, name="year"))
    stab_by_year = pd.Series(stability).groupby(year_codes).mean().to_numpy()
    summary = pd.DataFrame(
        {
            "n_units": np.bincount(year_codes, minlength=len(year_labels)),
            "spearman_mean": spearman.mean(axis=0),
            "spearman_p05": np.percentile(spearman, 5, axis=0),
            "spearman_min": spearman.min(axis=0),
            "rank_stability_mean": stab_by_year,
        },
        index=pd.Index(year_labels, name="year"),
    )
    return RobustnessResult(
        ranks=ranks,
        spearman=rho,
        summary=summary,
        weight_draws=pd.DataFrame(W, index=draw_index, columns=Z.columns),
        n_draws=int(n_draws),
        concentration=float(concentration),
        seed=seed,
        level=level,
        scores=None if scores is None else pd.DataFrame(scores, index=Z.index, columns=draw_index),
    )
