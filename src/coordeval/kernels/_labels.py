"""Small helpers shared by the labelled wrappers: arrays in, labels kept."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

SIGN = {"+": 1.0, "-": -1.0, 1: 1.0, -1: -1.0, "1": 1.0, "-1": -1.0, "+1": 1.0}


def as_frame(X: Any) -> pd.DataFrame:
    """Return ``X`` as a float DataFrame (arrays get columns ``x0, x1, …``)."""
    if isinstance(X, pd.DataFrame):
        return X.astype(np.float64)
    arr = np.asarray(X, dtype=np.float64)
    if arr.ndim == 1:
        arr = arr[:, None]
    if arr.ndim != 2:
        raise ValueError(f"expected a 2-D table, got an array with {arr.ndim} dimensions")
    return pd.DataFrame(arr, columns=[f"x{j}" for j in range(arr.shape[1])])


def signs(directions: Any, columns: Sequence[str]) -> np.ndarray:
    """Direction signs (+1 benefit, −1 cost) aligned with ``columns``.

    ``directions`` is a mapping column → direction, a sequence in column order, or a single
    direction for every column; a direction is ``"+"``/``"-"`` or ``+1``/``-1``.
    """
    if directions is None:
        return np.ones(len(columns))
    if isinstance(directions, str | int):
        directions = [directions] * len(columns)
    if isinstance(directions, Mapping | pd.Series):
        missing = [c for c in columns if c not in directions]
        if missing:
            raise ValueError(f"no direction given for column(s) {missing}")
        directions = [directions[c] for c in columns]
    directions = list(directions)
    if len(directions) != len(columns):
        raise ValueError(f"{len(directions)} directions for {len(columns)} columns")
    try:
        return np.array([SIGN[d] for d in directions], dtype=np.float64)
    except (KeyError, TypeError):
        bad = [d for d in directions if d not in SIGN]
        raise ValueError(f"directions must be '+'/'-' or +1/-1, got {bad}") from None


def weight_vector(weights: Any, columns: Sequence[str]) -> np.ndarray:
    """Non-negative weights aligned with ``columns``, renormalised to sum to 1."""
    if weights is None:
        w = np.ones(len(columns))
    elif isinstance(weights, Mapping | pd.Series):
        missing = [c for c in columns if c not in weights]
        if missing:
            raise ValueError(f"no weight given for column(s) {missing}")
        w = np.array([weights[c] for c in columns], dtype=np.float64)
    else:
        w = np.asarray(weights, dtype=np.float64).ravel()
        if w.size != len(columns):
            raise ValueError(f"{w.size} weights for {len(columns)} columns")
    if not np.all(np.isfinite(w)) or np.any(w < 0):
        raise ValueError("weights must be finite and non-negative")
    if w.size and w.max() > 0:
        w = np.ldexp(w, -int(np.frexp(w.max())[1]))  # exact; the sum cannot overflow
    total = w.sum()
    if total <= 0:
        raise ValueError("weights must not all be zero")
    return w / total


def check_finite(frame: pd.DataFrame, what: str = "X") -> None:
    """Raise ``ValueError`` naming the columns that hold NaN or infinite values."""
    bad = ~np.isfinite(frame.to_numpy())
    if bad.any():
        cols = [c for c, b in zip(frame.columns, bad.any(axis=0), strict=True) if b]
        raise ValueError(f"{what} has missing or infinite values in column(s) {cols}")
