"""Obstacle-degree kernels (障碍度模型) on plain arrays.

Rows are observations (city-years), columns indicators. No validation beyond shapes; the
labelled wrappers live in :mod:`coordeval.analysis.coupling`.
"""

from __future__ import annotations

import numpy as np

from coordeval.errors import ConfigError, InputError, Problem


def _two_d(A: np.ndarray, name: str, shape: str = "") -> None:
    if A.ndim != 2:
        raise InputError(
            [
                Problem(
                    f"{name} must be 2-D{shape}, got {A.ndim} dimensions",
                    code="not_2d",
                    params={"name": name, "shape": shape, "ndim": A.ndim},
                )
            ],
            "the input is not a table",
        )


def obstacle_arrays(Z: np.ndarray, w: np.ndarray, scaled: bool = True) -> np.ndarray:
    """Obstacle degree of every indicator in every row.

    Parameters
    ----------
    Z : ndarray of shape (n_obs, n_ind)
        Normalised indicator values z′ in [0, 1] (1 = best).
    w : ndarray of shape (n_ind,)
        Factor contribution F_j: the global indicator weight.
    scaled : bool
        True: percentages that sum to 100 per row. False: the raw products ``F_j·I_ij``
        (the ``scaled = FALSE`` output of ``mathmodels::obstacle_degree``).

    Returns
    -------
    ndarray of shape (n_obs, n_ind)

    Raises
    ------
    ValueError
        If ``Z`` is not 2-D or ``w`` does not have one entry per column.

    Notes
    -----
    ``I_ij = 1 − z′_ij`` (deviation), ``O_ij = 100·F_j I_ij / Σ_j F_j I_ij``. A row with
    ``Σ_j F_j I_ij = 0`` (at the ideal in every weighted indicator) has no obstacle: all its
    ``O_ij`` are 0 and the row sums to 0, not 100.
    """
    Z = np.asarray(Z, dtype=np.float64)
    w = np.asarray(w, dtype=np.float64).ravel()
    _two_d(Z, "Z", " (n_obs, n_ind)")
    if w.size != Z.shape[1]:
        params = {"n_weights": w.size, "n_columns": Z.shape[1], "what": "indicators"}
        raise ConfigError(
            f"{w.size} weights given for {Z.shape[1]} indicators", "weights_count", params
        )
    FI = (1.0 - Z) * w
    if not scaled:
        return FI
    total = FI.sum(axis=1, keepdims=True)
    safe = np.where(total > 0, total, 1.0)
    return np.where(total > 0, 100.0 * FI / safe, 0.0)


def top_k_arrays(O: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    """Column indices and values of the ``k`` largest entries of each row, largest first.

    Ties keep column order (stable sort). ``k`` is capped at the number of columns.

    Returns
    -------
    idx : ndarray of int64, shape (n_obs, k)
    values : ndarray of shape (n_obs, k)
    """
    O = np.asarray(O, dtype=np.float64)
    _two_d(O, "O")
    if k < 1:
        raise ConfigError(
            f"k must be at least 1, got {k}", "at_least", {"name": "k", "minimum": 1, "value": k}
        )
    k = min(k, O.shape[1])
    idx = np.argsort(-O, axis=1, kind="stable")[:, :k]
    return idx.astype(np.int64), np.take_along_axis(O, idx, axis=1)
