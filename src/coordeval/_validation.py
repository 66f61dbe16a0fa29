"""The one boundary validator: every public function checks its input here, once.

Tables (DataFrames or arrays) become float matrices that keep their labels; values are checked
for finiteness, signs and range; weights are aligned to columns; option values are checked
against their allowed choices; a panel's ``(city, year)`` index must be unique.

One error contract (issue 16): a defect in the *data* raises
:class:`~coordeval.errors.InputError` whose coded problems name the column and the rows; a bad
*option* (a choice, weights, directions) raises :class:`~coordeval.errors.ConfigError`. Both
are ``ValueError`` s. The problem codes are in :mod:`coordeval._messages.core`.
"""

from __future__ import annotations

import warnings
from collections import Counter
from collections.abc import Collection, Mapping, Sequence
from typing import Any, Literal

import numpy as np
import pandas as pd

from coordeval.errors import ConfigError, DataWarning, InputError, Problem

__all__ = [
    "SIGN",
    "choice",
    "finite_values",
    "nonnegative",
    "panel_index",
    "require_rows",
    "require_shape",
    "row_labels",
    "signs",
    "table",
    "unit_interval",
    "weights",
]

#: Accepted spellings of an indicator's direction: benefit (+1) or cost (−1).
SIGN: dict[Any, float] = {"+": 1.0, "-": -1.0, 1: 1.0, -1: -1.0, "1": 1.0, "-1": -1.0, "+1": 1.0}


def _numeric_column(s: pd.Series) -> bool:
    """Numbers (not booleans), or text/objects that all read as numbers."""
    if pd.api.types.is_bool_dtype(s):
        return False
    if pd.api.types.is_numeric_dtype(s):
        return True
    if s.map(lambda v: isinstance(v, bool | np.bool_)).any():
        return False
    converted = pd.to_numeric(s, errors="coerce")
    return bool((converted.notna() | s.isna()).all())


def table(
    X: Any,
    *,
    prefix: str = "x",
    start: int = 0,
    vector: Literal["column", "row"] = "column",
) -> pd.DataFrame:
    """``X`` as a float DataFrame that keeps its labels.

    Parameters
    ----------
    X : DataFrame, Series or array-like
        A table, one column per variable. Arrays get columns ``prefix + str(start + j)``.
    prefix, start : str, int
        Column names of arrays: ``x0, x1, …`` (the kernels) or ``U1, U2, …`` (coupling).
    vector : {"column", "row"}
        What 1-D input is: one column (a variable over rows) or one row (a Series or a 1-D
        array of subsystem scores is one observation).

    Returns
    -------
    DataFrame
        Float64 values, the index and columns of ``X``.

    Raises
    ------
    InputError
        More than two dimensions (coded ``not_a_table``), or a column of booleans or of
        values that are not numbers (``column_not_numeric``, one problem per column).
    """
    if isinstance(X, pd.Series) and vector == "row":
        X = X.to_frame().T
    if not isinstance(X, pd.DataFrame):
        arr = np.asarray(X)
        if arr.ndim == 1:
            arr = arr[:, None] if vector == "column" else arr[None, :]
        if arr.ndim != 2:
            raise InputError(
                [
                    Problem(
                        f"expected a table (rows × columns), got {arr.ndim} dimensions",
                        code="not_a_table",
                        params={"ndim": arr.ndim},
                    )
                ],
                "the input is not a table",
            )
        if arr.dtype.kind in "iuf":
            return pd.DataFrame(
                arr.astype(np.float64),
                columns=[f"{prefix}{j + start}" for j in range(arr.shape[1])],
            )
        X = pd.DataFrame(arr, columns=[f"{prefix}{j + start}" for j in range(arr.shape[1])])
    bad = [c for j, c in enumerate(X.columns) if not _numeric_column(X.iloc[:, j])]
    if bad:
        raise InputError(
            [
                Problem("column is not numeric", column=str(c), code="column_not_numeric")
                for c in bad
            ],
            "non-numeric columns in the input",
        )
    numeric = all(pd.api.types.is_numeric_dtype(t) for t in X.dtypes)
    if not numeric:
        X = pd.DataFrame(
            {j: pd.to_numeric(X.iloc[:, j]) for j in range(X.shape[1])}, index=X.index
        ).set_axis(X.columns, axis=1)
    return X.astype(np.float64)


def require_shape(frame: pd.DataFrame, what: str, min_columns: int = 1) -> None:
    """At least ``min_columns`` columns, at least one row, unique column labels.

    Raises
    ------
    InputError
        Coded ``too_few_columns``, ``no_rows`` or ``duplicate_column`` (one problem per
        duplicated label).
    """
    if frame.shape[1] < min_columns:
        params = {"what": what, "minimum": min_columns, "n_columns": frame.shape[1]}
        raise InputError(
            [
                Problem(
                    f"{what} needs at least {min_columns} columns, got {frame.shape[1]}",
                    code="too_few_columns",
                    params=params,
                )
            ],
            f"too few columns for {what}",
        )
    if frame.shape[0] == 0:
        raise InputError(
            [Problem(f"{what} got a table with no rows", code="no_rows", params={"what": what})],
            "no rows",
        )
    if not frame.columns.is_unique:
        dup = sorted({str(c) for c in frame.columns[frame.columns.duplicated()]})
        raise InputError(
            [Problem("duplicate column", column=c, code="duplicate_column") for c in dup],
            "duplicate columns",
        )


def require_rows(frame: pd.DataFrame, minimum: int, what: str) -> None:
    """At least ``minimum`` rows (coded ``too_few_rows``)."""
    if frame.shape[0] < minimum:
        params = {"what": what, "minimum": minimum, "n_rows": frame.shape[0]}
        raise InputError(
            [
                Problem(
                    f"{what} needs at least {minimum} rows, got {frame.shape[0]}",
                    code="too_few_rows",
                    params=params,
                )
            ],
            f"too few rows for {what}",
        )


def row_labels(index: pd.Index, mask: np.ndarray, limit: int = 5) -> str:
    """The first ``limit`` row labels where ``mask`` holds, and how many more."""
    labels = [str(x) for x in index[mask][:limit]]
    more = int(mask.sum()) - len(labels)
    return ", ".join(labels) + (f" and {more} more" if more > 0 else "")


def _column_problems(
    frame: pd.DataFrame,
    values: np.ndarray,
    bad: np.ndarray,
    code: str,
    template: str,
    what: str,
    value: Any = str,
) -> list[Problem]:
    """One coded problem per column with a ``bad`` cell, naming its rows and first value."""
    problems = []
    for j in np.flatnonzero(bad.any(axis=0)):
        params = {
            "n": int(bad[:, j].sum()),
            "rows": row_labels(frame.index, bad[:, j]),
            "what": what,
        }
        problems.append(
            Problem(
                template.format(**params),
                column=str(frame.columns[j]),
                value=value(values[bad[:, j], j][0]),
                code=code,
                params=params,
            )
        )
    return problems


def finite_values(frame: pd.DataFrame, what: str) -> np.ndarray:
    """A float copy of ``frame``'s values, refusing NaN and ±inf.

    Raises
    ------
    InputError
        Coded ``missing_values``: one problem per column, naming the rows.
    """
    values = frame.to_numpy(dtype=np.float64, copy=True)
    missing = ~np.isfinite(values)
    if missing.any():
        problems = _column_problems(
            frame,
            values,
            missing,
            "missing_values",
            "{n} missing or infinite value(s) in rows {rows}; {what} needs every value",
            what,
        )
        raise InputError(problems, f"{what}: missing values")
    return values


def nonnegative(frame: pd.DataFrame, values: np.ndarray, what: str) -> None:
    """Refuse negative values (coded ``negative_values``, one problem per column)."""
    negative = values < 0.0
    if negative.any():
        problems = _column_problems(
            frame,
            values,
            negative,
            "negative_values",
            "{n} negative value(s) in rows {rows}; {what} needs non-negative values "
            "(normalise first, e.g. min-max with a shift)",
            what,
            value=lambda v: repr(float(v)),
        )
        raise InputError(problems, f"{what}: negative values")


def unit_interval(
    frame: pd.DataFrame, values: np.ndarray, on_invalid: str, what: str, stacklevel: int = 3
) -> np.ndarray:
    """Scores in [0, 1]: refuse others (``on_invalid="error"``) or clip them in place with a
    :class:`~coordeval.errors.DataWarning` (``"clip"``).

    Raises
    ------
    InputError
        Coded ``outside_unit_interval``, one problem per column, naming the rows.
    """
    outside = (values < 0.0) | (values > 1.0)
    if not outside.any():
        return values
    if on_invalid == "error":
        problems = _column_problems(
            frame,
            values,
            outside,
            "outside_unit_interval",
            "{n} value(s) outside [0, 1] in rows {rows}; {what} expects normalised scores "
            "(pass on_invalid='clip' to clip them; for the scores of a fitted model use "
            "model.coupling(scores), which clips and flags them per row)",
            what,
            value=lambda v: repr(float(v)),
        )
        raise InputError(problems, f"{what}: values outside [0, 1]")
    n = int(outside.sum())
    warnings.warn(
        DataWarning(
            f"{what}: clipped {n} cell(s) outside [0, 1] to the interval",
            "values_clipped",
            {"what": what, "n": n},
        ),
        stacklevel=stacklevel + 1,
    )
    np.clip(values, 0.0, 1.0, out=values)
    return values


def choice(value: Any, allowed: Collection[Any], name: str) -> Any:
    """``value`` when it is one of ``allowed``; else a :class:`ConfigError` naming them.

    Raises
    ------
    ConfigError
        Coded ``unknown_choice``: ``unknown NAME 'x'; expected one of ('a', 'b')``.
    """
    options = tuple(allowed)
    if not any(_same(value, a) for a in options):
        params = {"name": name, "value": repr(value), "allowed": str(options)}
        raise ConfigError(
            f"unknown {name} {value!r}; expected one of {options}", "unknown_choice", params
        )
    return value


def _same(value: Any, option: Any) -> bool:
    """``value`` is ``option`` (``True`` is not ``1``; arrays are no option)."""
    if value is option:
        return True
    if option is None or value is None or isinstance(value, bool) != isinstance(option, bool):
        return False
    try:
        return bool(value == option)
    except (TypeError, ValueError):
        return False


def _config(code: str, template: str, **params: Any) -> ConfigError:
    return ConfigError(template.format(**params), code, params)


def weights(
    given: Any,
    columns: Sequence[Any],
    what: str = "columns",
    *,
    extra: Literal["error", "ignore"] = "error",
    normalise: bool = False,
) -> np.ndarray:
    """Weights aligned with ``columns``: finite, non-negative, not all zero.

    Parameters
    ----------
    given : Series, mapping or sequence
        Keyed by column label, or in column order.
    columns : sequence
        The columns the weights belong to.
    what : str
        What the columns are, in messages (``"subsystems"``, ``"indicators"``).
    extra : {"error", "ignore"}
        Keys of a mapping that are not columns: refused, or ignored (a weight Series that
        covers more indicators than the table).
    normalise : bool
        Divide by the sum (after an exact power-of-two rescaling, so that the sum of huge
        weights stays finite).

    Raises
    ------
    ConfigError
        Coded ``weights_missing``, ``weights_unknown``, ``weights_misaligned``,
        ``weights_count``, ``weights_not_numbers``, ``weights_invalid`` or
        ``weights_all_zero``.
    """
    try:
        if isinstance(given, Mapping | pd.Series):
            keyset = set(columns)
            missing = [str(c) for c in columns if c not in given]
            unknown = [str(k) for k in given.keys() if k not in keyset] if extra == "error" else []
            if missing and unknown:
                raise _config(
                    "weights_misaligned",
                    "no weight for {missing}; weights for unknown {what} {extra}",
                    missing=missing,
                    what=what,
                    extra=unknown,
                )
            if missing:
                raise _config("weights_missing", "no weight for {missing}", missing=missing)
            if unknown:
                raise _config(
                    "weights_unknown",
                    "weights for unknown {what} {extra}",
                    what=what,
                    extra=unknown,
                )
            w = np.array([given[c] for c in columns], dtype=np.float64)
        else:
            w = np.asarray(given, dtype=np.float64).ravel()
            if w.size != len(columns):
                raise _config(
                    "weights_count",
                    "{n_weights} weights given for {n_columns} {what}",
                    n_weights=w.size,
                    n_columns=len(columns),
                    what=what,
                )
    except (TypeError, ValueError) as exc:
        if isinstance(exc, ConfigError):
            raise
        raise _config(
            "weights_not_numbers", "weights must be numbers, got {weights}", weights=repr(given)
        ) from None
    if not np.all(np.isfinite(w)) or np.any(w < 0):
        raise _config(
            "weights_invalid",
            "weights must be finite and non-negative, got {weights}",
            weights=w.tolist(),
        )
    if w.size and w.max() > 0 and normalise:
        w = np.ldexp(w, -int(np.frexp(w.max())[1]))  # exact; the sum cannot overflow
    if not w.sum() > 0:
        raise _config("weights_all_zero", "weights must not all be zero")
    return w / w.sum() if normalise else w


def signs(directions: Any, columns: Sequence[Any]) -> np.ndarray:
    """Direction signs (+1 benefit, −1 cost) aligned with ``columns``.

    ``directions`` is a mapping column → direction, a sequence in column order, or a single
    direction for every column (None: all benefit); a direction is ``"+"``/``"-"`` or
    ``+1``/``-1``.

    Raises
    ------
    ConfigError
        Coded ``directions_missing``, ``directions_count`` or ``directions_invalid``.
    """
    if directions is None:
        return np.ones(len(columns))
    if isinstance(directions, str | int):
        directions = [directions] * len(columns)
    if isinstance(directions, Mapping | pd.Series):
        missing = [c for c in columns if c not in directions]
        if missing:
            raise _config(
                "directions_missing", "no direction given for column(s) {missing}", missing=missing
            )
        directions = [directions[c] for c in columns]
    directions = list(directions)
    if len(directions) != len(columns):
        raise _config(
            "directions_count",
            "{n_directions} directions for {n_columns} columns",
            n_directions=len(directions),
            n_columns=len(columns),
        )
    try:
        return np.array([SIGN[d] for d in directions], dtype=np.float64)
    except (KeyError, TypeError):
        bad = [d for d in directions if not _hashable_in(d, SIGN)]
        raise _config(
            "directions_invalid", "directions must be '+'/'-' or +1/-1, got {bad}", bad=bad
        ) from None


def _hashable_in(value: Any, table: Mapping[Any, Any]) -> bool:
    try:
        return value in table
    except TypeError:
        return False


def panel_index(frame: pd.DataFrame, what: str = "panel") -> None:
    """A panel's row index is ``(city, year)`` and unique.

    Raises
    ------
    InputError
        Coded ``panel_index`` (other index levels) or ``duplicate_panel_key`` (one problem per
        repeated key, with its count).
    """
    names = list(frame.index.names)
    if names[:2] != ["city", "year"] or len(names) != 2:
        levels = [str(n) for n in names]
        raise InputError(
            [
                Problem(
                    f"a panel needs the row index (city, year), got index level(s) {levels}",
                    code="panel_index",
                    params={"levels": levels},
                )
            ],
            f"{what}: no (city, year) index",
        )
    dup = frame.index.duplicated(keep=False)
    if dup.any():
        counts = Counter(frame.index[dup])  # in the order of first appearance
        problems = [
            Problem(
                f"duplicate (city, year): {city} {year} appears {n} times",
                code="duplicate_panel_key",
                params={"city": str(city), "year": str(year), "count": n},
            )
            for (city, year), n in counts.items()
        ]
        raise InputError(problems, f"{what}: duplicate (city, year) keys")
