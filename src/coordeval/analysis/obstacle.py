"""Obstacle degrees (障碍度): which indicators and subsystems hold a city back.

Labelled wrappers around :mod:`coordeval.kernels.obstacle`: DataFrames (one column per
indicator, any row index such as ``(city, year)``) or arrays in, DataFrames indexed like the
input out.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, Literal

import numpy as np
import pandas as pd

from coordeval._coded import coded, config_error
from coordeval.analysis.coupling import (
    _checked_values,
    _require_columns,
    _subsystem_frame,
    _weight_vector,
)
from coordeval.errors import InputError
from coordeval.kernels.obstacle import obstacle_arrays, top_k_arrays

__all__ = ["obstacle_degree", "subsystem_obstacle", "top_obstacles"]


def _membership_list(membership: Any, indicators: pd.Index) -> list[str]:
    """Subsystem of each indicator, from indicator → subsystem or subsystem → indicators."""
    if isinstance(membership, pd.Series):
        membership = membership.to_dict()
    if not isinstance(membership, Mapping):
        raise config_error("membership_not_mapping")
    values = list(membership.values())
    if values and all(isinstance(v, Iterable) and not isinstance(v, str | bytes) for v in values):
        lookup: dict[Any, str] = {}
        for sub, members in membership.items():
            for ind in members:
                if ind in lookup and lookup[ind] != str(sub):
                    raise config_error(
                        "membership_twice",
                        indicator=repr(ind),
                        first=repr(lookup[ind]),
                        second=repr(sub),
                    )
                lookup[ind] = str(sub)
    else:
        lookup = {k: str(v) for k, v in membership.items()}
    missing = [str(c) for c in indicators if c not in lookup]
    if missing:
        raise config_error("membership_missing", missing=str(missing))
    return [lookup[c] for c in indicators]


def obstacle_degree(
    Z: Any,
    weights: Any,
    membership: Any = None,
    on_invalid: Literal["error", "clip"] = "error",
    *,
    scaled: bool = True,
) -> pd.DataFrame:
    """Obstacle degree (障碍度) of every indicator for every row, in percent.

    Parameters
    ----------
    Z : DataFrame or array-like of shape (n_obs, n_ind)
        Normalised indicator values z′ in [0, 1] (1 = best), rows city-years, columns
        indicators. Arrays get columns ``x1 … xm``. Pass values *before* any entropy shift
        (or use ``on_invalid="clip"``), so that the best value is 1.
    weights : Series, mapping or sequence
        Global indicator weights F_j keyed by indicator (or in column order). For a
        two-layer system this is the subsystem weight × the within-subsystem weight. Only
        relative sizes matter (the result is row-normalised).
    membership : mapping, optional
        Indicator → subsystem (or subsystem → list of indicators). When given, every
        indicator must be assigned and the columns are grouped by subsystem (subsystems in
        order of first appearance, indicators in input order within each).
    on_invalid : {"error", "clip"}
        Values outside [0, 1]: raise ``InputError`` or clip with a ``DataWarning``.
    scaled : bool, default True
        True: percentages, each row summing to 100 (as papers report). False: the unscaled
        products ``F_j·I_ij = w_j (1 − z′_ij)`` with the weights as given — the default of R
        ``mathmodels::obstacle_degree(scaled = FALSE)``.

    Returns
    -------
    DataFrame
        Indexed like ``Z``, one column per indicator, ``O_ij`` in percent; each row sums to
        100, except a row at the ideal in every weighted indicator, which is all 0. With
        ``scaled=False`` the unscaled products.

    Raises
    ------
    InputError
        Non-numeric columns, NaN/inf, values outside [0, 1] with ``on_invalid="error"``.
    ConfigError
        Weights missing, unknown, negative or all zero; incomplete ``membership``.

    Notes
    -----
    Factor contribution ``F_j = w_j``; deviation ``I_ij = 1 − z′_ij``;
    ``O_ij = 100·F_j I_ij / Σ_j F_j I_ij``. When ``Σ_j F_j I_ij = 0`` nothing obstructs the
    row and all its obstacle degrees are defined as 0 (never NaN).

    References
    ----------
    ``zhjx19/mathmodels`` R package, ``obstacle_degree()`` (R/system_evaluation.R):
    ``O = (1 − X)·w``, row-normalised when ``scaled = TRUE``.
    """
    frame = _subsystem_frame(Z, prefix="x")
    _require_columns(frame, 1, "obstacle degree")
    w = _weight_vector(weights, frame.columns, "indicators")
    if w is None:
        raise config_error("obstacle_needs_weights")
    values = _checked_values(frame, on_invalid, "obstacle degree")
    O = obstacle_arrays(values, w, scaled=scaled)
    result = pd.DataFrame(O, index=frame.index, columns=frame.columns)
    if membership is not None:
        subs = _membership_list(membership, frame.columns)
        order = list(dict.fromkeys(subs))
        rank = np.array([order.index(s) for s in subs])
        result = result.iloc[:, np.argsort(rank, kind="stable")]
    return result


def subsystem_obstacle(O: pd.DataFrame, membership: Any) -> pd.DataFrame:
    """Obstacle degree of each subsystem: the sum of its indicators' obstacle degrees.

    Parameters
    ----------
    O : DataFrame
        Output of :func:`obstacle_degree` (percent per indicator).
    membership : mapping
        Indicator → subsystem, or subsystem → list of indicators. Every column of ``O``
        must be assigned; entries for indicators not in ``O`` are ignored.

    Returns
    -------
    DataFrame
        Indexed like ``O``, one column per subsystem (order of first appearance among the
        columns of ``O``); rows sum to 100 (0 for rows without obstacles).

    Raises
    ------
    ConfigError
        Indicators without a subsystem.

    Notes
    -----
    ``U_ir = Σ_{j∈r} O_ij``.

    References
    ----------
    See :func:`obstacle_degree`.
    """
    if not isinstance(O, pd.DataFrame):
        raise InputError([coded("obstacle_not_a_frame")], "bad input")
    subs = _membership_list(membership, O.columns)
    order = list(dict.fromkeys(subs))
    M = np.zeros((len(subs), len(order)))
    M[np.arange(len(subs)), [order.index(s) for s in subs]] = 1.0
    return pd.DataFrame(O.to_numpy(dtype=np.float64) @ M, index=O.index, columns=order)


def top_obstacles(O: pd.DataFrame, k: int = 5, membership: Any = None) -> pd.DataFrame:
    """The ``k`` largest obstacles of each row as a long table.

    Parameters
    ----------
    O : DataFrame
        Output of :func:`obstacle_degree`.
    k : int
        Number of obstacles per row (capped at the number of indicators).
    membership : mapping, optional
        Indicator → subsystem; adds a ``subsystem`` column.

    Returns
    -------
    DataFrame
        Index: the levels of ``O``'s index (an unnamed single index is called ``row``)
        plus ``rank`` (1 … k, largest first; ties keep column order). Columns
        ``indicator`` and ``obstacle_pct`` (and ``subsystem``).

    Raises
    ------
    ConfigError
        ``k < 1``.

    References
    ----------
    See :func:`obstacle_degree`.
    """
    if not isinstance(O, pd.DataFrame):
        raise InputError([coded("obstacle_not_a_frame")], "bad input")
    if isinstance(k, bool) or not isinstance(k, int | np.integer) or k < 1:
        raise config_error("top_k_invalid", k=repr(k))
    idx, vals = top_k_arrays(O.to_numpy(dtype=np.float64), int(k))
    n_obs, kk = idx.shape
    rows = O.index.repeat(kk)
    ranks = np.tile(np.arange(1, kk + 1, dtype=np.int64), n_obs)
    if isinstance(rows, pd.MultiIndex):
        arrays = [rows.get_level_values(i) for i in range(rows.nlevels)]
        names = list(rows.names)
    else:
        arrays = [rows]
        names = [rows.name if rows.name is not None else "row"]
    index = pd.MultiIndex.from_arrays([*arrays, ranks], names=[*names, "rank"])
    columns = np.asarray(O.columns, dtype=object)
    flat = idx.ravel()
    out = {"indicator": columns[flat], "obstacle_pct": vals.ravel()}
    if membership is not None:
        subs = np.asarray(_membership_list(membership, O.columns), dtype=object)
        out["subsystem"] = subs[flat]
    return pd.DataFrame(out, index=index)
