"""Gini coefficient and the Theil / generalised-entropy index of one cross-section (with the
within/between split of GE(α) by group)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from scipy.special import xlogy

from coordeval.analysis._inputs import (
    GroupsLike,
    _codes,
    _labels_for,
    _share,
    _values,
    _weights_for,
)
from coordeval.errors import ConfigError
from coordeval.kernels.inequality import ge_groups, gini_weighted


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
