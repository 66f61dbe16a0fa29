"""Dimensionless transforms (无量纲化) with indicator directions.

Array kernels take float64 arrays and return new arrays; :func:`normalize` is the labelled
wrapper. Conventions, stated once here and in the report's methods sheet:

* ``minmax`` (极差标准化): benefit ``(x − lo)/(hi − lo)``, cost ``(hi − x)/(hi − lo)``; then
  mapped affinely onto ``feature_range`` and ``shift`` is added. A constant column
  (``hi == lo``) maps to ``feature_range[0] + shift`` — it carries no information.
* ``vector`` (向量归一化): ``r = x / sqrt(Σ x²)``; cost columns by ``vector_cost``:
  ``"hwang_yoon"`` (the default after 0.1.0; Hwang & Yoon 1981, the textbook TOPSIS) leaves them as
  ``x/‖x‖`` — smaller stays better, the direction enters through the ideal point (column
  minimum); ``"one_minus"`` gives ``1 − x/‖x‖`` (pymcdm ``vector_normalization(cost=True)``,
  pyrepo-mcda); ``"reverse"`` turns cost into benefit by ``max − x`` first, then
  ``(max − x)/‖max − x‖`` (coordeval ≤ 0.1.0, the 清风 modelling-course form).
* ``zscore``: ``(x − mean)/sd``, sample SD (``ddof=1``, SPSS's Standardize, R ``scale``) or
  population SD (``ddof=0``, scikit-learn's ``StandardScaler``); cost columns are negated;
  then ``shift`` is added.
"""

from __future__ import annotations

from typing import Any, Literal

import numpy as np
import pandas as pd

from coordeval import _validation as V
from coordeval.kernels.finite import unit_columns


def minmax_params(
    lo: np.ndarray,
    hi: np.ndarray,
    sign: np.ndarray,
    feature_range: tuple[float, float] = (0.0, 1.0),
) -> tuple[np.ndarray, np.ndarray]:
    """Origin and signed scale of the min-max map ``z = (x − origin)·scale``.

    Parameters
    ----------
    lo, hi : ndarray of shape (m,)
        Bounds per column.
    sign : ndarray of shape (m,)
        +1 benefit, −1 cost.
    feature_range : (float, float)
        Target interval ``(a, b)``; only its width ``b − a`` enters the scale.

    Returns
    -------
    origin, scale : ndarray of shape (m,)
        ``origin = lo`` and ``scale = (b − a)/(hi − lo)`` for benefit columns, ``origin = hi``
        and ``scale = −(b − a)/(hi − lo)`` for cost columns; ``scale = 0`` where ``hi ≤ lo``.

    Notes
    -----
    Benefit: ``(x − lo)/(hi − lo)``; cost: ``(hi − x)/(hi − lo) = −(x − hi)/(hi − lo)``. Every
    blocked kernel applies exactly these two floating-point operations per value, so blocked
    and whole-array results agree bit for bit.
    """
    a, b = feature_range
    span = hi - lo
    const = span <= 0
    scale = np.where(const, 0.0, (b - a) / np.where(const, 1.0, span)) * sign
    origin = np.where(sign > 0, lo, hi)
    return origin, scale


def minmax_arrays(
    X: np.ndarray,
    lo: np.ndarray,
    hi: np.ndarray,
    sign: np.ndarray,
    feature_range: tuple[float, float] = (0.0, 1.0),
    shift: float = 0.0,
    *,
    out: np.ndarray | None = None,
) -> np.ndarray:
    """Min-max transform of ``X`` with given bounds and direction signs.

    Parameters
    ----------
    X : ndarray of shape (n, m)
    lo, hi : ndarray of shape (m,)
        Bounds per column (fitted extremes or fixed goalposts).
    sign : ndarray of shape (m,)
        +1 benefit, −1 cost.
    feature_range : (float, float)
        Target interval ``(a, b)``.
    shift : float
        Added after the affine map.
    out : ndarray of shape (n, m), optional
        Where to write the result (may be ``X`` itself for an in-place transform).

    Returns
    -------
    ndarray of shape (n, m)
        ``a + (b − a)·z + shift`` with ``z = (x − lo)/(hi − lo)`` (benefit) or
        ``(hi − x)/(hi − lo)`` (cost); constant columns give ``a + shift``.

    Notes
    -----
    Three in-place passes (subtract, multiply, add) and no temporary beyond ``out``; see
    :func:`minmax_params`.
    """
    origin, scale = minmax_params(lo, hi, sign, feature_range)
    out = np.subtract(X, origin, out=out)
    out *= scale
    out += feature_range[0] + shift
    return out


VECTOR_COST = ("hwang_yoon", "one_minus", "reverse")
METHODS = ("minmax", "vector", "zscore")


def vector_arrays(A: np.ndarray, sign: np.ndarray, cost: str = "hwang_yoon") -> np.ndarray:
    """Vector normalisation ``x/‖x‖`` with cost columns (``sign < 0``) by the named form.

    ``hwang_yoon``: ``x/‖x‖`` (cost columns keep their orientation); ``one_minus``:
    ``1 − x/‖x‖``; ``reverse``: ``(max − x)/‖max − x‖``. A zero-norm column gives 0.
    """
    V.choice(cost, VECTOR_COST, "vector_cost")
    cost_col = sign < 0
    base = np.where(cost_col, A.max(axis=0) - A, A) if cost == "reverse" else A
    norm = np.sqrt(np.square(base).sum(axis=0))
    r = base / np.where(norm > 0, norm, 1.0)
    if cost == "one_minus":
        r = np.where(cost_col, 1.0 - r, r)
    return r


def normalize(
    X: Any,
    directions: Any = None,
    method: Literal["minmax", "vector", "zscore"] = "minmax",
    feature_range: tuple[float, float] = (0.0, 1.0),
    shift: float = 0.0,
    *,
    vector_cost: Literal["hwang_yoon", "one_minus", "reverse"] = "hwang_yoon",
    ddof: int = 1,
) -> pd.DataFrame:
    """Make indicators dimensionless and oriented so that larger is better.

    Parameters
    ----------
    X : DataFrame or array-like of shape (n_samples, n_indicators)
        Raw indicator values; rows are units (city-years), columns indicators.
    directions : mapping, sequence or scalar of {"+", "-", 1, -1}, optional
        Direction of each indicator (benefit ``+``, cost ``-``); default all benefit.
    method : {"minmax", "vector", "zscore"}
        The transform; see the module docstring for the exact formulas.
    feature_range : (float, float)
        Target interval of ``minmax`` (e.g. ``(0.002, 1)`` or SPSSAU's ``(0.01, 0.99)``).
    shift : float
        Constant added afterwards (``非负平移``; 0.0001 in most panel-entropy papers).
    vector_cost : {"hwang_yoon", "one_minus", "reverse"}
        Cost columns under ``method="vector"`` (see the module docstring). The default
        ``"hwang_yoon"`` keeps them cost-oriented (use the column minimum as their ideal, as
        :func:`coordeval.topsis` does); ``"one_minus"`` (pymcdm) and ``"reverse"`` (coordeval
        ≤ 0.1.0) orient them so that larger is better.
    ddof : {1, 0}
        Degrees of freedom of the SD under ``method="zscore"``: 1 sample SD (SPSS, R),
        0 population SD (scikit-learn).

    Returns
    -------
    DataFrame
        Same index and columns as ``X``.

    Raises
    ------
    InputError
        Not a numeric table, no rows or columns, duplicate columns, missing or infinite
        values (one coded problem per column, naming the rows); ``zscore`` with one row.
    ConfigError
        Unknown ``method``, ``vector_cost`` or ``ddof``; directions missing, miscounted or
        not ``+``/``-``.

    Notes
    -----
    Min-max bounds are the column extremes of ``X`` itself; to normalise new data with bounds
    learned elsewhere, use :class:`coordeval.CoordinationModel`. Each column is first divided
    by a power of two near its largest magnitude (exact; see :mod:`coordeval.kernels.finite`),
    so any finite input, from subnormal to near ±1.8e308, gives finite results.

    References
    ----------
    SPSSAU, "Entropy method" help page (极差标准化); methods reference §1.2.
    """
    V.choice(method, METHODS, "normalisation method")
    if method == "vector":
        V.choice(vector_cost, VECTOR_COST, "vector_cost")
    if method == "zscore":
        V.choice(ddof, (1, 0), "ddof")
    frame = V.table(X)
    V.require_shape(frame, "normalize")
    if method == "zscore":
        V.require_rows(frame, 2, "zscore")
    values = V.finite_values(frame, "normalize")
    sign = V.signs(directions, list(frame.columns))
    A = unit_columns(values)  # exact; every method is scale-free
    if method == "minmax":
        out = minmax_arrays(A, A.min(axis=0), A.max(axis=0), sign, feature_range, shift)
    elif method == "vector":
        out = vector_arrays(A, sign, vector_cost) + shift
    else:
        sd = A.std(axis=0, ddof=ddof)
        out = sign * (A - A.mean(axis=0)) / np.where(sd > 0, sd, 1.0) + shift
    return pd.DataFrame(out, index=frame.index, columns=frame.columns)
