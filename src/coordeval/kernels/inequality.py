"""Inequality kernels with observation weights: Gini, generalised entropy GE(α), pair sums.

Pure numpy on validated float arrays (finite, non-negative values with a positive weighted
mean; positive finite weights). Weights are population (or other) sizes: a city of weight 2
counts as two identical cities, so integer weights reproduce the unweighted measure of the
expanded sample exactly. ``w=None`` means equal weights.

Conventions (stated in :mod:`coordeval.analysis.inequality` and the methods sheet):

* Gini ``G = Σ_i Σ_r w_i w_r |y_i − y_r| / (2 W² μ)``, ``μ = Σ w y / W`` (population Gini);
  the bias-corrected ``n/(n − 1)·G`` is R ``ineq::Gini(x, corr = TRUE)``.
* GE(α) ``= 1/(α(α − 1)) Σ_i (w_i/W)[(y_i/μ)^α − 1]``; GE(1) = Theil T ``Σ (w/W) r ln r``,
  GE(0) = Theil L (mean log deviation) ``−Σ (w/W) ln r``, GE(2) = CV²/2 (population CV).
"""

from __future__ import annotations

import numpy as np
from scipy.special import xlogy

from coordeval.errors import InputError, Problem

__all__ = ["cross_sums", "ge_groups", "ge_index", "gini_weighted"]


def _shares(y: np.ndarray, w: np.ndarray | None) -> np.ndarray:
    return np.full(y.size, 1.0 / y.size) if w is None else w / w.sum()


def gini_weighted(y: np.ndarray, w: np.ndarray | None = None) -> float:
    """Gini coefficient of ``y`` with observation weights ``w``.

    Sorted ascending with population shares ``p`` and cumulative shares ``F``,
    ``G = Σ_i p_i (y_i − μ)(2 F_i − p_i − 1) / μ``; the weights ``2F − p − 1`` sum to zero, so
    centring on μ keeps the sum accurate. Equal weights give ``Σ (2i − n − 1) y_(i)/(n² μ)``.
    """
    order = np.argsort(y, kind="stable")
    ys = y[order]
    p = _shares(y, None if w is None else w[order])
    mu = float(p @ ys)
    if not mu > 0:
        raise InputError(
            [Problem("the Gini coefficient needs a positive mean", code="gini_mean_not_positive")],
            "the Gini coefficient is undefined",
        )
    F = np.cumsum(p)
    return float(np.dot(p * (2.0 * F - p - 1.0), ys - mu) / mu)


def ge_index(y: np.ndarray, alpha: float = 1.0, w: np.ndarray | None = None) -> float:
    """Generalised entropy GE(α) of ``y`` with observation weights ``w``.

    ``α = 1`` is Theil T (0·ln 0 = 0, zeros allowed), ``α = 0`` Theil L (mean log deviation,
    needs positive values), other α ``Σ p[(y/μ)^α − 1]/(α(α − 1))`` (α < 0 needs positive
    values).
    """
    p = _shares(y, w)
    mu = float(p @ y)
    r = y / mu
    if alpha == 1.0:
        return float(p @ xlogy(r, r))
    if alpha == 0.0:
        return float(-(p @ np.log(r)))
    return float((p @ (r**alpha - 1.0)) / (alpha * (alpha - 1.0)))


def ge_groups(
    y: np.ndarray, codes: np.ndarray, k: int, alpha: float = 1.0, w: np.ndarray | None = None
) -> tuple[float, np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """GE(α) of ``y`` and its additive split by group codes 0 … k−1 (every code occurs).

    Returns ``(GE, v_k, μ_k, s_k, GE_k, between_k)``: population shares ``v_k``, weighted
    group means, value shares ``s_k = v_k μ_k/μ``, within-group indices and the terms of the
    between-group part, the GE(α) of the group means with weights ``v_k``:
    ``v_k[(μ_k/μ)^α − 1]/(α(α−1))`` (α = 1: ``s_k ln(s_k/v_k)``; α = 0: ``−v_k ln(μ_k/μ)``).
    Within part ``Σ_k v_k (μ_k/μ)^α GE_k`` (α = 1: ``Σ s_k T_k``; α = 0: ``Σ v_k L_k``);
    ``GE = within + between`` (Shorrocks 1980).
    """
    wt = np.ones(y.size) if w is None else w
    W_k = np.bincount(codes, weights=wt, minlength=k)
    sum_k = np.bincount(codes, weights=wt * y, minlength=k)
    v_k = W_k / W_k.sum()
    mu = sum_k.sum() / W_k.sum()
    mu_k = sum_k / W_k
    s_k = sum_k / sum_k.sum()
    safe = np.where(mu_k > 0, mu_k, 1.0)
    r = y / safe[codes]
    q = wt / W_k[codes]  # shares within the group
    if alpha == 1.0:
        terms = q * xlogy(r, r)
        between = xlogy(s_k, s_k / v_k)
    elif alpha == 0.0:
        terms = -q * np.log(r)
        between = -v_k * np.log(mu_k / mu)
    else:
        terms = q * (r**alpha - 1.0) / (alpha * (alpha - 1.0))
        between = v_k * ((mu_k / mu) ** alpha - 1.0) / (alpha * (alpha - 1.0))
    GE_k = np.bincount(codes, weights=terms, minlength=k)
    return ge_index(y, alpha, w), v_k, mu_k, s_k, GE_k, between


def cross_sums(
    x: np.ndarray, z: np.ndarray, wx: np.ndarray | None = None, wz: np.ndarray | None = None
) -> tuple[float, float]:
    """``Σ_i Σ_r wx_i wz_r max(x_i − z_r, 0)`` and ``Σ_i Σ_r wx_i wz_r max(z_r − x_i, 0)``.

    O((n + m) log m): for each ``x_i`` the weight ``K_i`` and weighted sum ``Z_i`` of the
    values of ``z`` not above it give ``x_i K_i − Z_i`` for the first sum and
    ``(Z − Z_i) − x_i (K − K_i)`` for the second.
    """
    order = np.argsort(z, kind="stable")
    zs = z[order]
    vs = np.ones(z.size) if wz is None else wz[order]
    cv = np.concatenate(([0.0], np.cumsum(vs)))
    cz = np.concatenate(([0.0], np.cumsum(vs * zs)))
    k = np.searchsorted(zs, x, side="right")
    ux = np.ones(x.size) if wx is None else wx
    pos = np.dot(ux, x * cv[k] - cz[k])
    neg = np.dot(ux, (cz[-1] - cz[k]) - x * (cv[-1] - cv[k]))
    return max(float(pos), 0.0), max(float(neg), 0.0)
