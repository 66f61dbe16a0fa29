"""From user input to the indicator matrix: column matching, numeric and finite values, keys.

Every refusal is a located, coded :class:`~coordeval.errors.Problem` inside an
:class:`~coordeval.errors.InputError` (templates in :mod:`coordeval._messages.model`).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from coordeval._coded import coded, config_error
from coordeval.errors import InputError
from coordeval.kernels.blocks import RangeStats, default_block_rows, map_blocks, row_blocks
from coordeval.system import IndicatorSystem, load_system


def as_system(system: Any) -> IndicatorSystem:
    """The model's indicator system from an object, a file or a built-in name."""
    if system is None:
        raise config_error("system_required")
    return load_system(system)


def is_dask(obj: Any) -> bool:
    """True for a Dask DataFrame (checked by module name, so Dask is imported only when used)."""
    return type(obj).__module__.split(".")[0] in ("dask", "dask_expr") and hasattr(
        obj, "map_partitions"
    )


def require_columns(columns: list[Any], system: IndicatorSystem) -> None:
    """Refuse a table that lacks indicator columns of ``system``, naming each one."""
    missing = [i for i in system.indicator_ids if i not in columns]
    if missing:
        raise InputError(
            [
                coded("indicator_missing", indicator=i, name_zh=system.indicator(i).name_zh)
                for i in missing
            ],
            f"the data lack {len(missing)} indicator(s) of system {system.name!r}",
        )


def numeric_matrix(frame: pd.DataFrame, ids: list[str]) -> np.ndarray:
    """The indicator columns ``ids`` of ``frame`` as a float64 matrix; non-numeric refused."""
    try:
        return frame[ids].to_numpy(dtype=np.float64)
    except (TypeError, ValueError):
        raise InputError(
            [
                coded("indicator_not_numeric", column=str(c))
                for c in ids
                if not pd.api.types.is_numeric_dtype(frame[c])
            ],
            "the panel has non-numeric indicator columns",
        ) from None


def panel_matrix(
    panel: Any, system: IndicatorSystem, check: bool = True, allow_empty: bool = False
) -> tuple[np.ndarray, pd.Index]:
    """The indicator matrix in system order (a view of a float64 DataFrame's data, no copy),
    with its row index; with ``check``, refuses NaN and inf."""
    ids = system.indicator_ids
    if isinstance(panel, pd.DataFrame):
        require_columns(list(panel.columns), system)
        A = numeric_matrix(panel, ids)
        index = panel.index
    else:
        A = dense_matrix(panel, len(ids))
        index = pd.RangeIndex(A.shape[0])
    if A.shape[0] == 0 and not allow_empty:
        raise InputError([coded("panel_empty")], "no data to score")
    if check and not RangeStats.of(A).finite:
        raise nonfinite_error(A, index, ids)
    return A, index


def dense_matrix(panel: Any, m: int) -> np.ndarray:
    """A float64 matrix of ``m`` columns from array-like input, with scikit-learn's messages."""
    if hasattr(panel, "toarray") or type(panel).__module__.startswith("scipy.sparse"):
        raise ValueError(
            "sparse input is not supported: pass a dense array or a DataFrame (sparse data "
            "would treat missing cells as 0)"
        )
    A = np.asarray(panel)
    if A.dtype.kind == "c":
        raise ValueError("Complex data not supported: indicator values must be real numbers")
    A = A.astype(np.float64, copy=False)
    if A.ndim != 2:
        raise ValueError(
            f"expected a 2-D array (rows = city-years, columns = indicators), got {A.ndim} "
            "dimension(s). Reshape your data either using array.reshape(-1, 1) if your data "
            "has a single feature or array.reshape(1, -1) if it contains a single sample."
        )
    if A.shape[1] == 0:
        raise ValueError(
            f"0 feature(s) (shape={A.shape}) while a minimum of 1 is required: the array has "
            "no indicator columns"
        )
    if A.shape[1] != m:
        raise ValueError(
            f"X has {A.shape[1]} features, but CoordinationModel is expecting {m} features as "
            "input (one column per indicator of the system, in its order)"
        )
    return A


def nonfinite_error(A: np.ndarray, index: pd.Index, ids: list[str]) -> InputError:
    """The located error for NaN or infinite values (first 50 listed, all counted)."""
    bad = ~np.isfinite(A)
    rows, cols = np.nonzero(bad)
    probs = [
        coded("value_not_finite", column=ids[c], value=str(A[r, c]), row=repr(index[r]))
        for r, c in zip(rows[:50], cols[:50], strict=True)
    ]
    return InputError(
        probs, f"{int(bad.sum())} missing (NaN) or infinite (inf) value(s) in the indicators"
    )


def row_label(label: Any) -> str:
    """A row's index label as the user typed it: ``甲 2019`` for the key (甲, 2019)."""
    if isinstance(label, tuple):
        return " ".join(str(x) for x in label)
    return str(label)


def refuse_duplicate_keys(index: pd.Index) -> None:
    """Refuse a (city, year) panel that lists a key twice (it would count twice in the fit)."""
    if not (isinstance(index, pd.MultiIndex) and {"city", "year"} <= set(index.names)):
        return
    keys = index.droplevel([n for n in index.names if n not in ("city", "year")])
    dup = keys.duplicated(keep=False)
    if dup.any():
        shown = sorted({f"{c} {y}" for c, y in keys[dup]})
        raise InputError(
            [coded("duplicate_key", key=k) for k in shown[:50]],
            f"{len(shown)} (city, year) key(s) appear more than once; each city-year must be "
            "one row (drop or merge the duplicates before fitting)",
        )


def refuse_unscalable(X: np.ndarray, index: pd.Index, ids: list[str], rng: RangeStats) -> None:
    """Refuse columns whose range ``max − min`` (or its reciprocal) is not a finite double.

    Min-max normalisation divides by the range; beyond about 1.8e308 (values of both signs
    near the largest double) or below about 5.6e-309 (a spread within the subnormal numbers)
    that division cannot be represented. Each column is named with the cells of its extremes.
    """
    with np.errstate(over="ignore", divide="ignore"):
        span = rng.max - rng.min
        bad = (span > 0) & ~(np.isfinite(span) & np.isfinite(1.0 / span))
    if not bad.any():
        return
    problems = []
    for j in np.flatnonzero(bad):
        lo_at, hi_at = int(np.argmin(X[:, j])), int(np.argmax(X[:, j]))
        problems.append(
            coded(
                "range_unscalable",
                column=ids[j],
                lo=float(rng.min[j]),
                lo_at=row_label(index[lo_at]),
                hi=float(rng.max[j]),
                hi_at=row_label(index[hi_at]),
            )
        )
    raise InputError(
        problems, f"{len(problems)} indicator(s) cannot be min-max normalised in double precision"
    )


def overflow_error(
    X: np.ndarray, index: pd.Index, ids: list[str], values: np.ndarray
) -> InputError:
    """The located error for scores that overflow (values far beyond the fitted bounds)."""
    rows = np.flatnonzero(~np.isfinite(values).all(axis=1))
    probs = []
    for r in rows[:50]:
        j = int(np.argmax(np.abs(X[r])))
        probs.append(
            coded(
                "score_overflow",
                column=ids[j],
                value=repr(float(X[r, j])),
                row=row_label(index[r]),
            )
        )
    return InputError(probs, f"{rows.size} row(s) give scores beyond the double range")


def count_outside(X: np.ndarray, lo: np.ndarray, hi: np.ndarray) -> int:
    """Number of values outside ``[lo, hi]``, checked against the column extremes first."""
    rng = RangeStats.of(X)
    if not ((rng.min < lo).any() or (rng.max > hi).any()):
        return 0

    def part(a: int, b: int, scratch: Any) -> int:
        blk = X[a:b]
        return int(np.count_nonzero((blk < lo) | (blk > hi)))

    return sum(map_blocks(part, X.shape[0], default_block_rows(X.shape[1])))


def first_outside(
    X: np.ndarray, lo: np.ndarray, hi: np.ndarray, limit: int
) -> tuple[np.ndarray, np.ndarray]:
    """Row and column positions of the first ``limit`` values outside ``[lo, hi]``."""
    rows: list[np.ndarray] = []
    cols: list[np.ndarray] = []
    found = 0
    for a, b in row_blocks(X.shape[0], default_block_rows(X.shape[1])):
        r, c = np.nonzero((X[a:b] < lo) | (X[a:b] > hi))
        rows.append(r + a)
        cols.append(c)
        found += r.size
        if found >= limit:
            break
    if not rows:
        return np.zeros(0, dtype=np.intp), np.zeros(0, dtype=np.intp)
    return np.concatenate(rows)[:limit], np.concatenate(cols)[:limit]


def _key_levels(index: pd.Index, frame: Any = None) -> tuple[Any, Any] | None:
    """The city and year values of a panel: (city, year) index levels, else columns."""
    if isinstance(index, pd.MultiIndex) and {"city", "year"} <= set(index.names):
        return (
            index.get_level_values("city").unique(),
            index.get_level_values("year").unique(),
        )
    if isinstance(frame, pd.DataFrame) and {"city", "year"} <= set(frame.columns):
        return frame["city"].unique(), frame["year"].unique()
    return None


def distinct_keys(index: pd.Index, frame: Any = None) -> tuple[set[Any], set[Any]]:
    """Distinct cities and years of one chunk, unconverted (merged, then sorted once)."""
    keys = _key_levels(index, frame)
    if keys is None:
        return set(), set()
    cities, years = keys
    return set(np.asarray(cities, dtype=object).tolist()), set(np.asarray(years).tolist())


def sorted_keys(cities: Any, years: Any) -> tuple[list[str], list[int]]:
    """Cities as sorted text and years as sorted integers."""
    return sorted(map(str, cities)), sorted(int(y) for y in years)


def cities_years(index: pd.Index, frame: Any = None) -> tuple[list[str], list[int]]:
    """Sorted distinct cities and years of a panel: (city, year) index levels, else columns."""
    keys = _key_levels(index, frame)
    if keys is None:
        return [], []
    return sorted_keys(*keys)
