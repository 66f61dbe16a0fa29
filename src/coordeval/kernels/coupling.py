"""Coupling coordination kernels (耦合协调度): C, T, D and grade lookup on plain arrays.

Rows are observations (city-years), columns are subsystem scores ``U`` (normally in [0, 1]).
No validation beyond shapes: callers check ranges, NaN and configuration first
(:mod:`coordeval.analysis.coupling`).

Conventions fixed here (the same for every model):

* a row whose scores are all equal and positive has ``C = 1`` exactly (the value of every
  formula; set explicitly so that rounding cannot push a boundary ``D`` into the next grade);
* a row that is all zero has ``C = 0``, ``T = 0``, ``D = 0`` (no development, no coupling —
  the formulas are 0/0 there; fan2024 would give 1, which is overridden);
* ``C`` is clipped to [0, 1] against floating-point overshoot.
"""

from __future__ import annotations

from typing import Literal

import numpy as np

from coordeval import _validation as V
from coordeval.errors import ConfigError, InputError, Problem
from coordeval.kernels.blocks import Scratch, map_blocks

CouplingModel = Literal["classic", "wang2021", "fan2024"]
MODELS: tuple[str, ...] = ("classic", "wang2021", "fan2024")
_COUPLING_BLOCK_ROWS = 16384


def _as_2d(U: np.ndarray) -> tuple[np.ndarray, bool]:
    arr = np.asarray(U, dtype=np.float64)
    if arr.ndim == 1:
        return arr[None, :], True
    if arr.ndim != 2:
        raise V.not_a_table(arr.ndim)
    return arr, False


def equal_or_given_weights(n_sub: int, weights: np.ndarray | None) -> np.ndarray:
    """Weights α for ``T = Σ α_i U_i``: equal ``1/n`` or ``weights`` renormalised to sum 1.

    Raises
    ------
    ConfigError
        If the length differs from ``n_sub`` or the weights are negative, non-finite or all 0.
    """
    if weights is None:
        return np.full(n_sub, 1.0 / n_sub)
    return V.weights(weights, range(n_sub), "subsystems", normalise=True)


def pairwise_gap_sum(U: np.ndarray) -> np.ndarray:
    """``Σ_{i<j} |U_i − U_j|`` per row, through the sorted-order identity.

    With each row sorted ascending, ``Σ_{i<j} |U_i − U_j| = Σ_k (2k − n + 1)·U_(k)``
    (k = 0 … n−1); this is O(n log n) per row and needs no (n_obs, n, n) temporary.
    """
    n = U.shape[1]
    coef = 2.0 * np.arange(n) - (n - 1)
    return np.sort(U, axis=1) @ coef


def _degree_rows(Ut: np.ndarray, model: str, scratch: Scratch) -> np.ndarray:
    """Coupling degree of the columns of ``Ut`` (n_sub, b): one observation per column.

    Every reduction over subsystems runs across the ``n_sub`` contiguous rows, so each step is
    one vectorised operation over ``b`` observations.
    """
    n, b = Ut.shape
    umax = np.maximum.reduce(Ut, axis=0)
    umin = np.minimum.reduce(Ut, axis=0)
    work = scratch.array("work", (n, b))
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        if model == "classic":
            C = _root_of_product(Ut, n)
            C *= n
            C /= np.add.reduce(Ut, axis=0)
        elif model == "wang2021":
            spread = _gap_sum_rows(Ut)
            spread /= n * (n - 1) / 2.0
            np.subtract(1.0, spread, out=spread)
            np.maximum(spread, 0.0, out=spread)
            np.divide(Ut, umax, out=work)
            rel = _root_of_product(work, n - 1)
            rel *= spread
            C = np.sqrt(rel, out=rel)
        else:
            mean = np.add.reduce(Ut, axis=0)
            mean /= n
            np.subtract(Ut, mean, out=work)
            np.multiply(work, work, out=work)
            var = np.add.reduce(work, axis=0)
            var /= n
            C = np.sqrt(var, out=var)
            C *= -2.0
            C += 1.0
    C[umax == umin] = 1.0
    C[umax == 0.0] = 0.0
    return np.clip(C, 0.0, 1.0, out=C)


def _root_of_product(V: np.ndarray, k: int) -> np.ndarray:
    """``(Π_i V_i)^(1/k)`` per column of ``V`` (non-negative), by multiplying the rows.

    Where the product underflows although no factor is 0, the geometric mean is taken through
    logarithms instead, ``exp(Σ ln V_i / k)``.
    """
    prod = np.multiply.reduce(V, axis=0)
    small = prod < 1e-280
    out = np.power(prod, 1.0 / k, out=prod)
    if small.any():
        cols = np.flatnonzero(small & (np.minimum.reduce(V, axis=0) > 0))
        if cols.size:
            out[cols] = np.exp(np.log(V[:, cols]).sum(axis=0) / k)
    return out


def _gap_sum_rows(Ut: np.ndarray) -> np.ndarray:
    """``Σ_{i<j} |U_i − U_j|`` per column of ``Ut`` (n_sub, b).

    For each ``i`` the differences to all later rows are one broadcast operation; beyond 24
    subsystems the sorted-order identity of :func:`pairwise_gap_sum` is used instead.
    """
    n, b = Ut.shape
    if n > 24:
        return pairwise_gap_sum(Ut.T)
    out = np.zeros(b)
    diff = np.empty((n - 1, b))
    for i in range(n - 1):
        d = diff[: n - 1 - i]
        np.subtract(Ut[i + 1 :], Ut[i], out=d)
        np.abs(d, out=d)
        out += np.add.reduce(d, axis=0)
    return out


def _check_model(U2: np.ndarray, model: str) -> None:
    n = U2.shape[1]
    V.choice(model, MODELS, "coupling model")
    if n < 2:
        params = {"what": "coupling", "minimum": 2, "n_columns": n}
        raise InputError(
            [
                Problem(
                    f"coupling needs at least 2 columns, got {n}",
                    code="too_few_columns",
                    params=params,
                )
            ],
            "too few columns for coupling",
        )


def _coupling_blocks(
    U2: np.ndarray, model: str, alpha: np.ndarray | None
) -> tuple[np.ndarray, np.ndarray | None]:
    """C (and T when ``alpha`` is given) for every row of ``U2``, in row blocks."""
    n_obs, n = U2.shape
    C = np.empty(n_obs)
    T = np.empty(n_obs) if alpha is not None else None

    def part(a: int, b: int, scratch: Scratch) -> None:
        Ut = scratch.array("ut", (n, b - a))
        np.copyto(Ut, U2[a:b].T)
        C[a:b] = _degree_rows(Ut, model, scratch)
        if T is not None and alpha is not None:
            np.dot(alpha, Ut, out=T[a:b])

    map_blocks(part, n_obs, _COUPLING_BLOCK_ROWS)
    return C, T


def coupling_degree_arrays(U: np.ndarray, model: str = "classic") -> np.ndarray:
    """Coupling degree ``C`` per row of ``U`` (n_obs, n_sub) for one of :data:`MODELS`.

    See :func:`coupling_arrays` for the formulas.

    Raises
    ------
    ValueError
        Fewer than 2 subsystems or an unknown model.
    """
    U2, _ = _as_2d(U)
    _check_model(U2, model)
    return _coupling_blocks(U2, model, None)[0]


def coupling_arrays(
    U: np.ndarray,
    model: str = "classic",
    weights: np.ndarray | None = None,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Coupling degree C, comprehensive index T and coupling coordination degree D.

    Parameters
    ----------
    U : ndarray of shape (n_obs, n_sub) or (n_sub,)
        Subsystem scores, one column per subsystem; a 1-D array is one observation.
    model : {"classic", "wang2021", "fan2024"}
        Coupling-degree formula (see Notes).
    weights : ndarray of shape (n_sub,), optional
        Contribution coefficients α for T; renormalised to sum 1. Default equal ``1/n``.

    Returns
    -------
    C, T, D : ndarray of shape (n_obs,)
        0-d arrays when ``U`` is 1-D.

    Raises
    ------
    ValueError
        Wrong shape, fewer than 2 subsystems, unknown model or invalid weights.

    Notes
    -----
    * classic (capacity coupling): ``C = n·(Π U_i)^{1/n} / Σ U_i``, with the geometric mean
      computed as ``exp(mean(ln U))``; ``U_i = 0`` gives ``C = 0``.
    * wang2021: ``C = √{[1 − Σ_{i>j}|U_i − U_j| / Σ_{m=1}^{n−1} m] · (Π_i U_i/max U)^{1/(n−1)}}``.
      The product is over the ratios ``U_i / max U`` (each score divided by the row maximum),
      as printed in the CRAN ``coupling`` vignette and implemented in ``coupling::ccd``
      (``method = "wang"``) and ``mathmodels::coupling_degree(type = "adjusted")``; with that
      reading ``C = 1`` exactly when all scores are equal.
    * fan2024: ``C = 1 − 2·√[(nΣU_i² − (ΣU_i)²)/n²] = 1 − 2·SD(U)`` (population SD).
    * ``T = Σ α_i U_i`` and ``D = √(C·T)`` for every model.

    Rows are processed in blocks of ``_COUPLING_BLOCK_ROWS``, transposed so that every sum,
    product or extreme over the subsystems is one vectorised step over the block; no
    temporary grows with ``n_obs``.

    References
    ----------
    廖重斌 (1999) 环境与经济协调发展的定量评判及其分类体系, 热带地理 19(2):171-177.
    王淑佳, 孔伟, 任亮, 治丹丹, 戴彬婷 (2021) 国内耦合协调度模型的误区及修正, 自然资源学报
    36(3):793-810, doi:10.31497/zrzyxb.20210319.
    Fan D., Ke H., Cao R. (2024) Modification and improvement of coupling coordination degree
    model, 统计与决策 (Statistics & Decision) 40(22):41-46, doi:10.13546/j.cnki.tjyjc.2024.22.007.
    Lyu W., CRAN package ``coupling``, vignette https://stscl.github.io/coupling/articles/ccd.html.
    """
    U2, one = _as_2d(U)
    _check_model(U2, model)
    alpha = equal_or_given_weights(U2.shape[1], weights)
    C, T = _coupling_blocks(U2, model, alpha)
    if T is None:
        T = U2 @ alpha
    D = np.multiply(C, T)
    np.sqrt(D, out=D)
    if one:
        return C[0], T[0], D[0]
    return C, T, D


def grade_arrays(
    D: np.ndarray,
    cuts: np.ndarray,
    closed: Literal["right", "left"] = "right",
) -> np.ndarray:
    """1-based grade of each value of ``D`` given the interior cut points ``cuts``.

    Parameters
    ----------
    D : ndarray
        Values to grade (no NaN).
    cuts : ndarray of shape (k,)
        Strictly increasing interior boundaries; ``k + 1`` grades result.
    closed : {"right", "left"}
        ``"right"``: intervals ``(a, b]`` (a value on a cut belongs to the lower grade);
        ``"left"``: intervals ``[a, b)`` (it belongs to the upper grade). The outermost
        intervals are open-ended, so ``D = 0`` is grade 1 and ``D = 1`` the top grade in both.

    Returns
    -------
    ndarray of int64, same shape as ``D``
        ``searchsorted(cuts, D, side) + 1`` with side ``"left"`` for ``closed="right"``.

    Raises
    ------
    ConfigError
        Unknown ``closed`` or cuts that are not strictly increasing.
    """
    V.choice(closed, ("right", "left"), "closed")
    c = np.asarray(cuts, dtype=np.float64).ravel()
    if c.size and np.any(np.diff(c) <= 0):
        raise ConfigError("cuts must be strictly increasing", "cuts_not_increasing")
    side = "left" if closed == "right" else "right"
    return np.searchsorted(c, np.asarray(D, dtype=np.float64), side=side).astype(np.int64) + 1
