"""TOPSIS (Hwang & Yoon 1981): distances to the ideal and anti-ideal points and closeness.

Conventions (parameters of :func:`topsis`, stated in every report's methods sheet):

* ``normalize``: ``"vector"`` (classic, ``x/√Σx²``), ``"minmax"`` (with directions applied, as
  in entropy-TOPSIS papers) or ``None`` (data already normalised, SPSSAU's TOPSIS).
* ``weights_in="matrix"`` (classic): ``v = w·r``, ``D± = √Σ (v − v±)²``;
  ``weights_in="distance"``: ``D± = √Σ w (r − r±)²``. They differ (w² vs w).
* Ideal ``v⁺_j`` = column max for benefit and column min for cost indicators after
  normalisation (for ``minmax`` every column is benefit-oriented already).
* Closeness ``C = D⁻/(D⁺ + D⁻)``; when a row coincides with both points (all columns
  constant) C = 0.5 by definition. Rank 1 = largest C (ties share the smallest rank).
"""

from __future__ import annotations

from typing import Any, Literal

import numpy as np
import pandas as pd

from coordeval import _validation as V
from coordeval.errors import InputError, Problem
from coordeval.kernels.finite import unit_columns, unit_matrix
from coordeval.kernels.normalize import VECTOR_COST, minmax_arrays, vector_arrays

WEIGHTS_IN = ("matrix", "distance")
NORMALIZE = ("vector", "minmax", None)


def topsis_arrays(
    R: np.ndarray,
    w: np.ndarray,
    ideal: np.ndarray,
    anti: np.ndarray,
    weights_in: Literal["matrix", "distance"] = "matrix",
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Distances and closeness of the rows of ``R`` to given ideal and anti-ideal points.

    Parameters
    ----------
    R : ndarray of shape (n, m)
        Normalised (unweighted) values.
    w : ndarray of shape (m,)
        Weights summing to 1.
    ideal, anti : ndarray of shape (m,)
        Ideal and anti-ideal points in the units of ``R`` (unweighted).
    weights_in : {"matrix", "distance"}
        Where the weights enter (see the module docstring).

    Returns
    -------
    d_plus, d_minus, closeness : ndarray of shape (n,)
    """
    V.choice(weights_in, WEIGHTS_IN, "weights_in")
    f = w * w if weights_in == "matrix" else w
    dp = np.sqrt(np.square(R - ideal) @ f)
    dm = np.sqrt(np.square(R - anti) @ f)
    tot = dp + dm
    c = np.divide(dm, tot, out=np.full_like(tot, 0.5), where=tot > 0)
    return dp, dm, c


def rank_desc(values: np.ndarray) -> np.ndarray:
    """Rank 1 = largest value; ties share the smallest rank ("min" method)."""
    return pd.Series(values).rank(method="min", ascending=False).to_numpy(dtype=np.int64)


def topsis(
    X: Any,
    weights: Any = None,
    directions: Any = None,
    normalize: Literal["vector", "minmax"] | None = "vector",
    weights_in: Literal["matrix", "distance"] = "matrix",
    *,
    vector_cost: Literal["hwang_yoon", "one_minus", "reverse"] = "hwang_yoon",
) -> pd.DataFrame:
    """Rank alternatives by TOPSIS.

    Parameters
    ----------
    X : DataFrame or array-like of shape (n_alternatives, n_criteria)
        Decision matrix (cities × indicators).
    weights : Series, mapping or array-like, optional
        Criterion weights, renormalised to sum to 1; default equal.
    directions : mapping, sequence or scalar of {"+", "-", 1, -1}, optional
        Benefit (``+``) or cost (``-``) per criterion; default all benefit.
    normalize : {"vector", "minmax", None}
        Normalisation inside TOPSIS (see module docstring).
    weights_in : {"matrix", "distance"}
        ``matrix`` multiplies weights into the normalised matrix (Hwang & Yoon); ``distance``
        weights the squared differences.
    vector_cost : {"hwang_yoon", "one_minus", "reverse"}
        Cost columns under ``normalize="vector"``: ``x/‖x‖`` with the column minimum as ideal
        (Hwang & Yoon, default), or turned into benefit columns by ``1 − x/‖x‖`` (pymcdm's
        ``TOPSIS(vector_normalization)``) or ``(max − x)/‖max − x‖`` before the ideal is
        taken as the column maximum (see :func:`coordeval.normalize`). ``1 − r`` reflects
        the column, so ``one_minus`` gives the same distances as the default.

    Raises
    ------
    InputError
        Not a numeric table, no rows or columns, duplicate columns, missing or infinite
        values (coded problems naming the column and rows); raw values whose distances
        exceed the double range (``normalize=None``).
    ConfigError
        Unknown ``normalize``, ``weights_in`` or ``vector_cost``; weights or directions
        missing, miscounted, negative or all zero.

    Returns
    -------
    DataFrame
        Indexed like ``X`` with columns ``d_plus`` (正理想解距离D+), ``d_minus`` (负理想解距离D-),
        ``closeness`` (相对接近度C) and ``rank`` (排序结果, 1 = best).

    References
    ----------
    Hwang, C.-L., Yoon, K. (1981). Multiple Attribute Decision Making. Springer, pp. 128–134;
    CRAN package ``topsis`` (vector normalisation, weights multiplied in).
    """
    V.choice(normalize, NORMALIZE, "normalize")
    V.choice(weights_in, WEIGHTS_IN, "weights_in")
    V.choice(vector_cost, VECTOR_COST, "vector_cost")
    frame = V.table(X)
    V.require_shape(frame, "topsis")
    A = V.finite_values(frame, "topsis")
    cols = list(frame.columns)
    sign = V.signs(directions, cols)
    given = np.ones(len(cols)) if weights is None else weights
    w = V.weights(given, cols, extra="ignore", normalise=True)
    exponent = 0
    if normalize == "vector":
        A = unit_columns(A)  # exact; the vector forms are scale-free and the squares stay finite
        R = vector_arrays(A, sign, vector_cost)
        if vector_cost != "hwang_yoon":
            sign = np.ones_like(sign)
    elif normalize == "minmax":
        A = unit_columns(A)
        R = minmax_arrays(A, A.min(axis=0), A.max(axis=0), sign)
        sign = np.ones_like(sign)
    else:
        R, exponent = unit_matrix(A)  # one factor for all columns: closeness is unchanged
    hi, lo = R.max(axis=0), R.min(axis=0)
    ideal = np.where(sign > 0, hi, lo)
    anti = np.where(sign > 0, lo, hi)
    dp, dm, c = topsis_arrays(R, w, ideal, anti, weights_in)
    if exponent:
        with np.errstate(over="ignore"):
            dp, dm = np.ldexp(dp, exponent), np.ldexp(dm, exponent)
        if not (np.isfinite(dp).all() and np.isfinite(dm).all()):
            raise InputError(
                [
                    Problem(
                        "the distances D+ and D- of these raw values exceed the double range "
                        "(about 1.8e308); normalise the matrix (normalize='vector' or 'minmax')",
                        code="distances_overflow",
                    )
                ],
                "topsis: distances beyond the double range",
            )
    return pd.DataFrame(
        {"d_plus": dp, "d_minus": dm, "closeness": c, "rank": rank_desc(c)}, index=frame.index
    )
