"""Dagum's (1997) Gini decomposition into within-group, net between-group and transvariation
parts."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from coordeval.analysis._gini_theil import _gini_sorted
from coordeval.analysis._inputs import (
    GroupsLike,
    _codes,
    _labels_for,
    _share,
    _values,
    _weights_for,
)
from coordeval.kernels.inequality import cross_sums, gini_weighted


@dataclass(frozen=True)
class _DagumArrays:
    order: np.ndarray  # group codes ordered by mean, highest first
    n_j: np.ndarray
    mu_j: np.ndarray
    p_j: np.ndarray
    s_j: np.ndarray
    G: float
    G_jh: np.ndarray  # k × k, diagonal G_jj
    D_jh: np.ndarray  # k × k, symmetric, diagonal 0
    within_part: np.ndarray  # G_jj p_j s_j
    net_part: np.ndarray  # k × k upper triangle: G_jh (p_j s_h + p_h s_j) D_jh
    trans_part: np.ndarray  # k × k upper triangle: G_jh (p_j s_h + p_h s_j) (1 − D_jh)


def _dagum_kernel(
    y: np.ndarray, codes: np.ndarray, k: int, w: np.ndarray | None = None
) -> _DagumArrays:
    """Dagum (1997) decomposition of the Gini coefficient of ``y`` by group ``codes`` 0 … k−1.

    ``y`` is finite, non-negative with a positive mean; every code 0 … k−1 occurs. Groups are
    reordered by mean, highest first, so that in every pair (j, h), j < h, ``μ_j ≥ μ_h``.
    With observation weights ``w`` every count becomes a sum of weights (a city of weight 2
    counts as two identical cities).
    """
    n_raw = np.bincount(codes, minlength=k)
    W_raw = n_raw.astype(np.float64) if w is None else np.bincount(codes, w, minlength=k)
    sum_raw = np.bincount(codes, weights=y if w is None else w * y, minlength=k)
    mu_raw = sum_raw / W_raw
    order = np.argsort(-mu_raw, kind="stable")
    rank = np.empty(k, dtype=np.intp)
    rank[order] = np.arange(k)
    ordered_codes = rank[codes]
    n_j = n_raw[order].astype(np.float64)
    W_j = W_raw[order]
    mu_j = mu_raw[order]
    by_group = np.argsort(ordered_codes, kind="stable")
    cuts = np.cumsum(n_raw[order])[:-1]
    members = np.split(y[by_group], cuts)
    weights = [None] * k if w is None else np.split(w[by_group], cuts)
    lo = np.array([m.min() for m in members])
    hi = np.array([m.max() for m in members])

    abs_sum = np.zeros((k, k))
    D = np.zeros((k, k))
    for j in range(k):
        for h in range(j, k):
            # Differences are shift-invariant: centre each pair on the middle of its range.
            c = 0.5 * (min(lo[j], lo[h]) + max(hi[j], hi[h]))
            pos, neg = cross_sums(members[j] - c, members[h] - c, weights[j], weights[h])
            total = pos + neg
            abs_sum[j, h] = abs_sum[h, j] = total
            if h > j and total > 0:
                D[j, h] = D[h, j] = (pos - neg) / total
    denom = np.outer(W_j, W_j) * (mu_j[:, None] + mu_j[None, :])
    G_jh = np.divide(abs_sum, denom, out=np.zeros((k, k)), where=denom > 0)

    p_j = W_j / W_j.sum()
    s_j = sum_raw[order] / sum_raw.sum()
    weight = np.outer(p_j, s_j) + np.outer(p_j, s_j).T  # p_j s_h + p_h s_j
    upper = np.triu(np.ones((k, k), dtype=bool), 1)
    between = np.where(upper, G_jh * weight, 0.0)
    return _DagumArrays(
        order=order,
        n_j=n_j,
        mu_j=mu_j,
        p_j=p_j,
        s_j=s_j,
        G=_gini_sorted(np.sort(y)) if w is None else gini_weighted(y, w),
        G_jh=G_jh,
        D_jh=D,
        within_part=np.diag(G_jh) * p_j * s_j,
        net_part=between * D,
        trans_part=between * (1.0 - D),
    )


@dataclass(frozen=True, eq=False)
class DagumResult:
    """Dagum's decomposition of one cross-section's Gini coefficient.

    Attributes
    ----------
    G : float
        Total Gini coefficient.
    G_w : float
        Contribution of inequality within groups, ``Σ_j G_jj p_j s_j``.
    G_nb : float
        Net contribution of inequality between groups, ``Σ_{j<h} G_jh (p_j s_h + p_h s_j) D_jh``.
    G_t : float
        Contribution of transvariation (overlap) between groups,
        ``Σ_{j<h} G_jh (p_j s_h + p_h s_j)(1 − D_jh)``.
    groups : pandas.DataFrame
        One row per group, ordered by mean (highest first): ``n``, ``mean``, ``p`` (population
        share), ``s`` (value share), ``G_jj`` (within-group Gini), ``contribution``
        (``G_jj p_j s_j``).
    G_jh : pandas.DataFrame
        Symmetric matrix of Gini coefficients between groups, diagonal ``G_jj``.
    D_jh : pandas.DataFrame
        Symmetric matrix of relative economic affluence ``D_jh`` in [0, 1], diagonal 0.
    """

    G: float
    G_w: float
    G_nb: float
    G_t: float
    groups: pd.DataFrame
    G_jh: pd.DataFrame
    D_jh: pd.DataFrame

    def __float__(self) -> float:
        return self.G

    @property
    def contributions(self) -> pd.Series:
        """Shares of ``G_w``, ``G_nb`` and ``G_t`` in ``G`` (all 0 when ``G`` is 0)."""
        return pd.Series(
            {
                "within": _share(self.G_w, self.G),
                "net_between": _share(self.G_nb, self.G),
                "transvariation": _share(self.G_t, self.G),
            },
            name="share",
        )

    def pairs(self) -> pd.DataFrame:
        """Tidy table: one row per group (``kind="within"``) and per pair of groups.

        Columns ``group_a``, ``group_b`` (``group_a`` has the higher mean), ``kind``, ``n_a``,
        ``n_b``, ``mean_a``, ``mean_b``, ``G_jh``, ``D_jh``, ``within_part``, ``net_between_part``
        and ``transvariation_part``. The three ``*_part`` columns sum over the rows to ``G_w``,
        ``G_nb`` and ``G_t``; parts that do not apply to a row are 0.
        """
        labels = list(self.groups.index)
        k = len(labels)
        ja, hb = np.triu_indices(k)
        G = self.G_jh.to_numpy()
        D = self.D_jh.to_numpy()
        n = self.groups["n"].to_numpy()
        mean = self.groups["mean"].to_numpy()
        p = self.groups["p"].to_numpy()
        s = self.groups["s"].to_numpy()
        weight = p[ja] * s[hb] + p[hb] * s[ja]
        within = ja == hb
        between_w = np.where(within, 0.0, G[ja, hb] * weight)
        return pd.DataFrame(
            {
                "group_a": pd.Series([labels[i] for i in ja], dtype=object),
                "group_b": pd.Series([labels[i] for i in hb], dtype=object),
                "kind": np.where(within, "within", "between"),
                "n_a": n[ja].astype(np.int64),
                "n_b": n[hb].astype(np.int64),
                "mean_a": mean[ja],
                "mean_b": mean[hb],
                "G_jh": G[ja, hb],
                "D_jh": D[ja, hb],
                "within_part": np.where(within, G[ja, hb] * p[ja] * s[ja], 0.0),
                "net_between_part": between_w * D[ja, hb],
                "transvariation_part": between_w * (1.0 - D[ja, hb]),
            }
        )


def dagum_gini(y: Any, groups: GroupsLike, *, weights: Any = None) -> DagumResult:
    """Dagum's decomposition of the Gini coefficient of one cross-section by groups.

    Parameters
    ----------
    y : array_like or pandas.Series
        Non-negative values of one cross-section (e.g. the city scores of one year).
    groups : mapping, pandas.Series or array_like
        Either a mapping / Series city → group label, applied to the city labels of ``y`` (``y``
        must then be a Series indexed by city, or by a MultiIndex with a ``city`` level), or one
        group label per value of ``y``.
    weights : mapping, pandas.Series or array_like, optional
        Population (or other) weight per value, as in :func:`gini`: sizes become sums of
        weights (``p_j = W_j/W``, ``s_j = W_j μ_j/(W μ)``, weighted means and pair sums).

    Returns
    -------
    DagumResult
        ``G``, ``G_w``, ``G_nb``, ``G_t``, group table and the ``G_jh`` / ``D_jh`` matrices,
        groups ordered by mean, highest first. ``G = G_w + G_nb + G_t`` up to rounding.

    Raises
    ------
    InputError
        If a value is missing, infinite or negative, every value is 0, or a city has no group.
    ValueError
        If the number of labels does not match the number of values, or a mapping is given
        with an unlabelled array.

    Notes
    -----
    With groups j = 1 … k ordered so that ``μ_1 ≥ μ_2 ≥ … ≥ μ_k``, sizes ``n_j``, ``p_j = n_j/n``
    and ``s_j = n_j μ_j / (n μ)``:

    * ``G = Σ_j Σ_h Σ_i Σ_r |y_ji − y_hr| / (2 n² μ)``
    * ``G_jj = Σ_i Σ_r |y_ji − y_jr| / (2 n_j² μ_j)``
    * ``G_jh = Σ_i Σ_r |y_ji − y_hr| / (n_j n_h (μ_j + μ_h))``
    * ``d_jh`` = mean over pairs of ``max(y_ji − y_hr, 0)``, ``p_jh`` = mean of
      ``max(y_hr − y_ji, 0)`` (j the higher-mean group), ``D_jh = (d_jh − p_jh)/(d_jh + p_jh)``
    * ``G_w = Σ_j G_jj p_j s_j``, ``G_nb = Σ_{j<h} G_jh (p_j s_h + p_h s_j) D_jh``,
      ``G_t = Σ_{j<h} G_jh (p_j s_h + p_h s_j)(1 − D_jh)``.

    Conventions for degenerate cases: a group with one member, or whose members are all equal,
    has ``G_jj = 0``; a group whose values are all 0 has ``G_jj = 0`` and weight ``s_j = 0``;
    a pair whose values are all equal (``d_jh + p_jh = 0``) has ``G_jh = 0`` and ``D_jh = 0``.
    With a single group ``G_w = G``. Pairwise sums use sorting (O(n log n) per pair of groups),
    not an n × n matrix.

    References
    ----------
    Dagum, C. (1997). A new approach to the decomposition of the Gini income inequality ratio.
    Empirical Economics, 22(4), 515-531.
    """
    arr = _values(y, "Dagum Gini decomposition")
    w = _weights_for(y, weights, arr.size, "Dagum Gini decomposition")
    labels = _labels_for(y, groups, arr.size)
    codes, uniques = _codes(labels)
    res = _dagum_kernel(arr, codes, uniques.size, w)
    return _dagum_result(res, uniques)


def _dagum_result(res: _DagumArrays, uniques: np.ndarray) -> DagumResult:
    index = pd.Index(list(uniques[res.order]), dtype=object, name="group")
    table = pd.DataFrame(
        {
            "n": res.n_j.astype(np.int64),
            "mean": res.mu_j,
            "p": res.p_j,
            "s": res.s_j,
            "G_jj": np.diag(res.G_jh).copy(),
            "contribution": res.within_part,
        },
        index=index,
    )
    return DagumResult(
        G=res.G,
        G_w=float(res.within_part.sum()),
        G_nb=float(res.net_part.sum()),
        G_t=float(res.trans_part.sum()),
        groups=table,
        G_jh=pd.DataFrame(res.G_jh, index=index, columns=index.rename("group_b")),
        D_jh=pd.DataFrame(res.D_jh, index=index, columns=index.rename("group_b")),
    )
