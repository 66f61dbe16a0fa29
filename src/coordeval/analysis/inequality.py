"""Inequality among the cities of a cluster: Gini, Dagum's Gini decomposition and Theil.

The array kernels (``_gini_sorted``, ``_dagum_kernel``, ``_theil_kernel`` and the weighted ones of
:mod:`coordeval.kernels.inequality`) are
pure numpy on validated float arrays. The public functions validate their input, raise
:class:`~coordeval.errors.InputError` for data a user can get wrong (negative or missing values,
all zeros, cities without a group) and return labelled results.

Panel input is tidy: a score Series, or a DataFrame with one column per score, indexed by a
MultiIndex with levels ``city`` and ``year``. ``groups`` maps each city to a group label (core vs
periphery, province, ...).
"""

from __future__ import annotations

import warnings
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
import pandas as pd
from scipy.special import xlogy

from coordeval.errors import ConfigError, DataWarning, InputError, Problem
from coordeval.kernels.inequality import cross_sums, ge_groups, gini_weighted

__all__ = [
    "DagumResult",
    "TheilResult",
    "dagum_by_year",
    "dagum_gini",
    "gini",
    "inequality_by_year",
    "theil",
]

NanPolicy = Literal["raise", "omit"]
GroupsLike = Mapping[Hashable, Hashable] | pd.Series | Sequence[Hashable] | np.ndarray

_MAX_LISTED = 50
_MEASURES = ("gini", "theil")


def _gini_sorted(ys: np.ndarray) -> float:
    """Gini coefficient of values sorted ascending (mean must be positive).

    ``G = Σ_i (2i − n − 1)·y_(i) / (n² μ)``, i = 1 … n. The weights sum to zero, so the values
    are centred first, which keeps the sum accurate for large, nearly equal values.
    """
    n = ys.size
    if n == 0:
        raise ValueError("the Gini coefficient needs at least one value")
    mu = ys.mean()
    if mu <= 0:
        raise ValueError("the Gini coefficient needs a positive mean")
    ranks = np.arange(1, n + 1, dtype=np.float64)
    num = np.dot(2.0 * ranks - n - 1.0, ys - mu)
    return float(num / (n * n * mu))


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


def _theil_kernel(
    y: np.ndarray, codes: np.ndarray, k: int
) -> tuple[float, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Theil T of ``y`` and its split by group codes 0 … k−1 (every code occurs).

    Returns ``T``, the group sizes ``n_k``, means ``μ_k``, within-group indices ``T_k`` and
    income shares ``s_k``. A group whose values are all 0 has ``T_k = 0`` (0·ln 0 = 0).
    """
    mu = y.mean()
    r = y / mu
    T = float(np.mean(xlogy(r, r)))
    n_k = np.bincount(codes, minlength=k).astype(np.float64)
    sum_k = np.bincount(codes, weights=y, minlength=k)
    mu_k = sum_k / n_k
    safe = np.where(mu_k > 0, mu_k, 1.0)
    r_k = y / safe[codes]
    T_k = np.bincount(codes, weights=xlogy(r_k, r_k), minlength=k) / n_k
    s_k = sum_k / sum_k.sum()
    return T, n_k, mu_k, T_k, s_k


def _share(part: float, total: float) -> float:
    return part / total if total > 0 else 0.0


def _input_error(summary: str, messages: list[str], column: str | None = None) -> InputError:
    problems = [Problem(message=m, column=column) for m in messages[:_MAX_LISTED]]
    if len(messages) > _MAX_LISTED:
        problems.append(
            Problem(message=f"... and {len(messages) - _MAX_LISTED} more", column=column)
        )
    return InputError(problems, summary)


def _values(y: Any, what: str, *, positive: bool = False) -> np.ndarray:
    """Validated 1-D float array: finite, non-negative (``positive``: > 0), positive mean."""
    arr = np.asarray(y.to_numpy() if isinstance(y, pd.Series) else y, dtype=np.float64)
    if arr.ndim != 1:
        raise ValueError(f"{what}: expected a 1-D array of values, got {arr.ndim} dimensions")
    if arr.size == 0:
        raise InputError([Problem(message=f"{what}: no values")], f"{what}: no values")
    bad = ~np.isfinite(arr)
    if bad.any():
        pos = np.flatnonzero(bad)
        raise _input_error(
            f"{what}: {pos.size} missing or infinite value(s)",
            [f"position {i}: value {arr[i]!r} is missing or infinite" for i in pos],
        )
    neg = np.flatnonzero(arr < 0)
    if neg.size:
        raise _input_error(
            f"{what} is defined for non-negative values only; {neg.size} value(s) are negative",
            [f"position {i}: negative value {arr[i]!r}" for i in neg],
        )
    zero = np.flatnonzero(arr == 0) if positive else np.empty(0, dtype=np.intp)
    if zero.size:
        raise _input_error(
            f"{what} with alpha ≤ 0 (Theil L, GE(α ≤ 0)) needs positive values; "
            f"{zero.size} value(s) are 0",
            [f"position {i}: value 0 (ln 0 is undefined)" for i in zero],
        )
    mean = arr.mean()
    if not mean > 0:
        raise InputError(
            [Problem(message=f"{what} is undefined when every value is 0 (mean 0)")],
            f"{what}: all values are 0",
        )
    if not np.isfinite(mean):
        raise InputError(
            [Problem(message=f"{what}: the values are too large to average in float64")],
            f"{what}: values overflow",
        )
    return arr


def _labels_for(y: Any, groups: GroupsLike, n: int) -> np.ndarray:
    """Group label per observation, as an object array of length ``n``."""
    if isinstance(groups, Mapping | pd.Series):
        if not isinstance(y, pd.Series):
            raise ValueError(
                "a groups mapping (city -> group) needs the values as a pandas Series indexed "
                "by city; for a plain array pass one group label per value"
            )
        cities = (
            y.index.get_level_values("city")
            if isinstance(y.index, pd.MultiIndex) and "city" in y.index.names
            else y.index
        )
        mapping = groups if isinstance(groups, pd.Series) else pd.Series(dict(groups))
        labels = pd.Series(cities).map(mapping)
        missing = pd.unique(pd.Series(cities)[labels.isna().to_numpy()])
        if missing.size:
            raise _input_error(
                f"{missing.size} city(ies) have no group",
                [f"city {c!r} is not in groups" for c in missing],
            )
        return labels.to_numpy(dtype=object)
    labels = np.asarray(pd.Series(list(groups), dtype=object))
    if labels.size != n:
        raise ValueError(f"{labels.size} group labels for {n} values")
    missing = pd.isna(labels)
    if missing.any():
        raise _input_error(
            f"{int(missing.sum())} value(s) have no group label",
            [f"position {i}: group label is missing" for i in np.flatnonzero(missing)],
        )
    return labels


def _codes(labels: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    codes, uniques = pd.factorize(labels, sort=False)
    return codes.astype(np.intp), np.asarray(uniques, dtype=object)


def gini(y: Any, *, weights: Any = None, bias_correction: bool = False) -> float:
    """Gini coefficient of one cross-section.

    Parameters
    ----------
    y : array_like or pandas.Series
        Non-negative values, e.g. the scores of all cities in one year.
    weights : mapping, pandas.Series or array_like, optional
        Population (or other) weight per value, positive: a city of weight 2 counts as two
        cities. A mapping or Series is matched to the labels of ``y`` (by city for a
        (city, year) index); an array gives one weight per value. Regional-inequality papers
        weight cities by population (R mathmodels ``gini(y, pop)``, grouped-data Lorenz curve).
    bias_correction : bool, default False
        Multiply by ``n/(n − 1)`` (R ``ineq::Gini(x, corr = TRUE)``; DescTools
        ``Gini(unbiased = TRUE)``), so that the maximum is 1. Not with ``weights``.

    Returns
    -------
    float
        Gini coefficient in [0, 1 − 1/n]; 0 when all values are equal (also for a single value).

    Raises
    ------
    InputError
        If a value is missing, infinite or negative, or every value is 0 (the mean is 0 and the
        coefficient undefined).
    ValueError
        If ``y`` is not one-dimensional.

    Notes
    -----
    Population (not bias-corrected) Gini, the mean absolute difference over twice the mean:
    ``G = Σ_i Σ_r |y_i − y_r| / (2 n² μ)``, computed from the sorted values as
    ``G = Σ_i (2i − n − 1) y_(i) / (n² μ)`` in O(n log n). With weights
    ``G = Σ_i Σ_r w_i w_r |y_i − y_r| / (2 W² μ)``, μ the weighted mean.

    References
    ----------
    Dagum, C. (1997). A new approach to the decomposition of the Gini income inequality ratio.
    Empirical Economics, 22(4), 515-531 (eq. for G).
    """
    arr = _values(y, "Gini coefficient")
    w = _weights_for(y, weights, arr.size, "Gini coefficient")
    if bias_correction and w is not None:
        raise ConfigError("the n/(n − 1) bias correction is defined for unweighted values only")
    g = _gini_sorted(np.sort(arr)) if w is None else gini_weighted(arr, w)
    return _bias_corrected(g, arr.size) if bias_correction else g


def _bias_corrected(g: float, n: int) -> float:
    """``n/(n − 1)·G`` (0 for a single value)."""
    return g * n / (n - 1) if n > 1 else 0.0


def _check_alpha(alpha: Any) -> float:
    try:
        a = float(alpha)
    except (TypeError, ValueError):
        raise ConfigError(f"alpha must be a number, got {alpha!r}") from None
    if not np.isfinite(a):
        raise ConfigError(f"alpha must be finite, got {alpha!r}")
    return a


def _weights_for(y: Any, weights: Any, n: int, what: str) -> np.ndarray | None:
    """Positive finite weight per value of ``y`` (mapping/Series matched to its labels)."""
    if weights is None:
        return None
    if isinstance(weights, Mapping | pd.Series):
        if not isinstance(y, pd.Series):
            raise ValueError(
                f"{what}: a weights mapping needs the values as a pandas Series with labels; "
                "for a plain array pass one weight per value"
            )
        mapping = weights if isinstance(weights, pd.Series) else pd.Series(dict(weights))
        keys = y.index
        if isinstance(keys, pd.MultiIndex) and not isinstance(mapping.index, pd.MultiIndex):
            keys = keys.get_level_values("city")
        if not mapping.index.is_unique:
            dup = mapping.index[mapping.index.duplicated()].unique()
            raise _input_error(
                f"{what}: {len(dup)} label(s) have more than one weight",
                [f"{d!r} appears more than once in weights" for d in dup],
            )
        numeric = pd.to_numeric(mapping, errors="coerce")  # non-numbers are reported below
        arr = numeric.reindex(keys).to_numpy(dtype=np.float64, na_value=np.nan)
        shown = [None if pd.isna(v) else v for v in mapping.reindex(keys).tolist()]
        labels = list(keys)
    else:
        arr = np.asarray(weights, dtype=np.float64).reshape(-1)
        shown = arr.tolist()
        labels = list(range(arr.size))
        if arr.size != n:
            raise ValueError(f"{what}: {arr.size} weights for {n} values")
    bad = ~(np.isfinite(arr) & (arr > 0))
    if bad.any():
        raise _input_error(
            f"{what}: {int(bad.sum())} weight(s) missing, not positive or not finite",
            [
                f"{labels[i]!r}: no weight"
                if shown[i] is None
                else f"{labels[i]!r}: weight {shown[i]!r} must be a positive number"
                for i in np.flatnonzero(bad)
            ],
        )
    return arr


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


@dataclass(frozen=True, eq=False)
class TheilResult:
    """Theil index (GE(α), Theil T by default) of one cross-section and its within/between
    split.

    Attributes
    ----------
    T : float
        Theil T index.
    T_w : float
        Within-group part ``Σ_k s_k T_k`` (equals ``T`` without groups).
    T_b : float
        Between-group part ``Σ_k s_k ln(s_k / p_k)`` (0 without groups).
    groups : pandas.DataFrame
        One row per group (a single row ``"all"`` without groups): ``n``, ``mean``, ``p``,
        ``s``, ``T_k``, ``within_part`` (``s_k T_k``) and ``between_part`` (``s_k ln(s_k/p_k)``).
        With population weights ``mean`` is weighted and ``p`` is the group's weight share.
    alpha : float
        The member of the generalised-entropy family: 1 Theil T (default), 0 Theil L (mean
        log deviation), 2 half the squared CV. For α ≠ 1 the fields ``T``, ``T_w``, ``T_b``,
        ``T_k`` hold GE(α), its within part ``Σ p_k (μ_k/μ)^α GE_k`` and between part (GE(α)
        of the group means weighted by ``p_k``).
    """

    T: float
    T_w: float
    T_b: float
    groups: pd.DataFrame
    alpha: float = 1.0

    def __float__(self) -> float:
        return self.T

    @property
    def contributions(self) -> pd.Series:
        """Shares of ``T_w`` and ``T_b`` in ``T`` (both 0 when ``T`` is 0)."""
        return pd.Series(
            {"within": _share(self.T_w, self.T), "between": _share(self.T_b, self.T)},
            name="share",
        )


def theil(
    y: Any,
    groups: GroupsLike | None = None,
    *,
    alpha: float = 1.0,
    weights: Any = None,
) -> TheilResult:
    """Theil index (or GE(α)) of one cross-section, split into within- and between-group parts.

    Parameters
    ----------
    y : array_like or pandas.Series
        Non-negative values of one cross-section.
    groups : mapping, pandas.Series or array_like, optional
        As in :func:`dagum_gini`. Without groups the whole sample is one group.
    alpha : float, default 1.0
        Generalised-entropy parameter: 1 Theil T (today's, PySAL ``inequality.theil.Theil``,
        R mathmodels ``theil0``), 0 Theil L / mean log deviation (needs positive values), any
        other α the GE(α) of Shorrocks (1980) (α < 0 needs positive values).
    weights : mapping, pandas.Series or array_like, optional
        Population (or other) weight per value, as :func:`gini`: a city of weight 2 counts as
        two cities (R mathmodels ``theil(y, pop)`` and ``theil_g``).

    Returns
    -------
    TheilResult
        ``T``, ``T_w``, ``T_b`` (``T = T_w + T_b`` up to rounding) and the group table.
        ``float(result)`` is ``T``.

    Raises
    ------
    InputError
        If a value is missing, infinite or negative, every value is 0, or a city has no group.
    ValueError
        If the number of labels does not match the number of values.

    Notes
    -----
    ``T = (1/n) Σ_i (y_i/μ) ln(y_i/μ)`` with 0·ln 0 = 0 (zeros are allowed);
    ``T_w = Σ_k s_k T_k`` and ``T_b = Σ_k s_k ln(s_k / p_k)`` with ``s_k = n_k μ_k / (n μ)`` the
    group's share of the total and ``p_k = n_k / n``. A group with one member, or whose values
    are all equal or all 0, has ``T_k = 0``. With weights, ``1/n`` becomes ``w_i/W`` and
    ``n_k/n`` the group's weight share. GE(α) ``= Σ_i (w_i/W)[(y_i/μ)^α − 1]/(α(α − 1))``;
    GE(0) ``= −Σ (w_i/W) ln(y_i/μ)``; within part ``Σ_k p_k (μ_k/μ)^α GE_k``.

    References
    ----------
    Theil, H. (1967). Economics and Information Theory. North-Holland, ch. 4.
    Shorrocks, A. F. (1980). The class of additively decomposable inequality measures.
    Econometrica, 48(3), 613-625.
    """
    alpha = _check_alpha(alpha)
    arr = _values(y, "Theil index", positive=alpha <= 0)
    w = _weights_for(y, weights, arr.size, "Theil index")
    if groups is None:
        codes = np.zeros(arr.size, dtype=np.intp)
        uniques = np.array(["all"], dtype=object)
    else:
        codes, uniques = _codes(_labels_for(y, groups, arr.size))
    return _theil_result(arr, codes, uniques, alpha, w)


def _theil_result(
    arr: np.ndarray,
    codes: np.ndarray,
    uniques: np.ndarray,
    alpha: float = 1.0,
    w: np.ndarray | None = None,
) -> TheilResult:
    n_k = np.bincount(codes, minlength=uniques.size).astype(np.float64)
    if alpha == 1.0 and w is None:
        T, n_k, mu_k, T_k, s_k = _theil_kernel(arr, codes, uniques.size)
        p_k = n_k / arr.size
        within = s_k * T_k
        between = xlogy(s_k, s_k / p_k)
    else:
        T, p_k, mu_k, s_k, T_k, between = ge_groups(arr, codes, uniques.size, alpha, w)
        mu = float(p_k @ mu_k)
        within = p_k * (mu_k / mu) ** alpha * T_k
    table = pd.DataFrame(
        {
            "n": n_k.astype(np.int64),
            "mean": mu_k,
            "p": p_k,
            "s": s_k,
            "T_k": T_k,
            "within_part": within,
            "between_part": between,
        },
        index=pd.Index(list(uniques), dtype=object, name="group"),
    )
    return TheilResult(
        T=T, T_w=float(within.sum()), T_b=float(between.sum()), groups=table, alpha=alpha
    )


def _score_frame(scores: Any, what: str) -> pd.DataFrame:
    """Scores as a float DataFrame indexed by (city, year), one column per score."""
    if isinstance(scores, pd.Series):
        frame = scores.to_frame(name="score" if scores.name is None else scores.name)
    elif isinstance(scores, pd.DataFrame):
        frame = scores
    else:
        raise TypeError(f"{what}: scores must be a pandas Series or DataFrame")
    index = frame.index
    names = list(index.names)
    if not isinstance(index, pd.MultiIndex) or sorted(map(str, names)) != ["city", "year"]:
        raise InputError(
            [Problem(message=f"index levels are {names}; expected exactly 'city' and 'year'")],
            f"{what}: scores must be indexed by a (city, year) MultiIndex",
        )
    if names != ["city", "year"]:
        frame = frame.reorder_levels(["city", "year"])
    if frame.shape[1] == 0 or frame.shape[0] == 0:
        raise InputError(
            [Problem(message=f"{frame.shape[0]} rows, {frame.shape[1]} score columns")],
            f"{what}: no scores",
        )
    dup = frame.index.duplicated(keep="first")
    if dup.any():
        raise _input_error(
            f"{what}: {int(dup.sum())} duplicate (city, year) row(s)",
            [f"city {c!r}, year {t!r} appears more than once" for c, t in frame.index[dup]],
        )
    bad_cols = [c for c in frame.columns if not pd.api.types.is_numeric_dtype(frame[c])]
    if bad_cols:
        raise InputError(
            [Problem(message="not numeric", column=str(c)) for c in bad_cols],
            f"{what}: score columns must be numeric",
        )
    frame = frame.astype(np.float64)
    frame.columns = [str(c) for c in frame.columns]
    return frame


def _clean_column(
    col: pd.Series, nan_policy: NanPolicy, what: str, *, nonnegative: bool = True
) -> pd.Series:
    """One score column with missing values raised on or dropped (with a DataWarning).

    Infinite values always raise; negative values raise when ``nonnegative``.
    """
    if nan_policy not in ("raise", "omit"):
        raise ConfigError(f"nan_policy must be 'raise' or 'omit', got {nan_policy!r}")
    values = col.to_numpy()
    inf = np.isinf(values)
    if inf.any():
        raise _input_error(
            f"{what}: {int(inf.sum())} infinite value(s) in {col.name!r}",
            [f"city {c!r}, year {t!r}: infinite value" for c, t in col.index[inf]],
            column=str(col.name),
        )
    nan = np.isnan(values)
    if nan.any():
        if nan_policy == "raise":
            raise _input_error(
                f"{what}: {int(nan.sum())} missing value(s) in {col.name!r} "
                "(pass nan_policy='omit' to leave those city-years out)",
                [f"city {c!r}, year {t!r}: missing value" for c, t in col.index[nan]],
                column=str(col.name),
            )
        warnings.warn(
            f"{what}: {int(nan.sum())} missing value(s) in {col.name!r} left out",
            DataWarning,
            stacklevel=4,
        )
        col = col[~nan]
    if nonnegative:
        neg = col.to_numpy() < 0
        if neg.any():
            raise _input_error(
                f"{what}: {int(neg.sum())} negative value(s) in {col.name!r}; inequality "
                "measures need non-negative scores",
                [f"city {c!r}, year {t!r}: negative value {v!r}" for (c, t), v in col[neg].items()],
                column=str(col.name),
            )
    return col


def _check_year(values: np.ndarray, column: str, year: Any, what: str) -> None:
    if not values.mean() > 0:
        raise InputError(
            [Problem(message=f"year {year!r}: every city scores 0", column=column)],
            f"{what}: inequality is undefined in a year where every score is 0",
        )


def _group_map(groups: GroupsLike | None, cities: pd.Index, what: str) -> pd.Series | None:
    """Group label per city (a Series indexed by city), or None without groups."""
    if groups is None:
        return None
    if not isinstance(groups, Mapping | pd.Series):
        raise TypeError(f"{what}: groups must be a mapping or Series city -> group label")
    mapping = groups if isinstance(groups, pd.Series) else pd.Series(dict(groups), dtype=object)
    unique = pd.Index(pd.unique(cities))
    labels = pd.Series(unique, index=unique).map(mapping)
    missing = labels.index[labels.isna().to_numpy()]
    if len(missing):
        raise _input_error(
            f"{what}: {len(missing)} city(ies) have no group",
            [f"city {c!r} is not in groups" for c in missing],
        )
    return labels.astype(object)


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
                raise _input_error(
                    f"{what}: Theil L / GE(α ≤ 0) needs positive scores; {name!r} has zeros "
                    f"in year {year!r}",
                    [f"{name!r}, year {year!r}: {int((values == 0).sum())} score(s) are 0"],
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
