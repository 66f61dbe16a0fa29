"""Validation of the inputs of the inequality and convergence analyses: value arrays, group
labels, population weights and (city, year) score panels, with every problem located."""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from typing import Any, Literal

import numpy as np
import pandas as pd

from coordeval import _validation as V
from coordeval.analysis._problems import coded, coded_error, warn_coded
from coordeval.errors import DataWarning, InputError

NanPolicy = Literal["raise", "omit"]


GroupsLike = Mapping[Hashable, Hashable] | pd.Series | Sequence[Hashable] | np.ndarray


def _share(part: float, total: float) -> float:
    return part / total if total > 0 else 0.0


def _values(y: Any, what: str, *, positive: bool = False) -> np.ndarray:
    """Validated 1-D float array: finite, non-negative (``positive``: > 0), positive mean."""
    arr = np.asarray(y.to_numpy() if isinstance(y, pd.Series) else y, dtype=np.float64)
    if arr.ndim != 1:
        raise ValueError(f"{what}: expected a 1-D array of values, got {arr.ndim} dimensions")
    if arr.size == 0:
        raise InputError([coded("no_values", {"what": what})], f"{what}: no values")
    bad = ~np.isfinite(arr)
    if bad.any():
        pos = np.flatnonzero(bad)
        raise coded_error(
            f"{what}: {pos.size} missing or infinite value(s)",
            "position_not_finite",
            ({"position": int(i), "value": arr[i]} for i in pos),
        )
    neg = np.flatnonzero(arr < 0)
    if neg.size:
        raise coded_error(
            f"{what} is defined for non-negative values only; {neg.size} value(s) are negative",
            "position_negative",
            ({"position": int(i), "value": arr[i]} for i in neg),
        )
    zero = np.flatnonzero(arr == 0) if positive else np.empty(0, dtype=np.intp)
    if zero.size:
        raise coded_error(
            f"{what} with alpha ≤ 0 (Theil L, GE(α ≤ 0)) needs positive values; "
            f"{zero.size} value(s) are 0",
            "position_zero_log",
            ({"position": int(i)} for i in zero),
        )
    mean = arr.mean()
    if not mean > 0:
        raise InputError(
            [coded("all_values_zero", {"what": what})],
            f"{what}: all values are 0",
        )
    if not np.isfinite(mean):
        raise InputError(
            [coded("values_overflow", {"what": what})],
            f"{what}: values overflow",
        )
    return arr


def _labels_for(y: Any, groups: GroupsLike, n: int) -> np.ndarray:
    """Group label per observation, as an object array of length ``n``."""
    if isinstance(groups, Mapping | pd.Series):
        if not isinstance(y, pd.Series):
            raise ValueError(
                "a groups mapping (city -> group) needs the values as a pandas Series indexed "
                "by city; for a plain array pass one group label per value"
            )
        cities = (
            y.index.get_level_values("city")
            if isinstance(y.index, pd.MultiIndex) and "city" in y.index.names
            else y.index
        )
        mapping = groups if isinstance(groups, pd.Series) else pd.Series(dict(groups))
        labels = pd.Series(cities).map(mapping)
        missing = pd.unique(pd.Series(cities)[labels.isna().to_numpy()])
        if missing.size:
            raise coded_error(
                f"{missing.size} city(ies) have no group",
                "city_without_group",
                ({"city": c} for c in missing),
            )
        return labels.to_numpy(dtype=object)
    labels = np.asarray(pd.Series(list(groups), dtype=object))
    if labels.size != n:
        raise ValueError(f"{labels.size} group labels for {n} values")
    missing = pd.isna(labels)
    if missing.any():
        raise coded_error(
            f"{int(missing.sum())} value(s) have no group label",
            "position_without_group",
            ({"position": int(i)} for i in np.flatnonzero(missing)),
        )
    return labels


def _codes(labels: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    codes, uniques = pd.factorize(labels, sort=False)
    return codes.astype(np.intp), np.asarray(uniques, dtype=object)


def _weights_for(y: Any, weights: Any, n: int, what: str) -> np.ndarray | None:
    """Positive finite weight per value of ``y`` (mapping/Series matched to its labels)."""
    if weights is None:
        return None
    if isinstance(weights, Mapping | pd.Series):
        if not isinstance(y, pd.Series):
            raise ValueError(
                f"{what}: a weights mapping needs the values as a pandas Series with labels; "
                "for a plain array pass one weight per value"
            )
        mapping = weights if isinstance(weights, pd.Series) else pd.Series(dict(weights))
        keys = y.index
        if isinstance(keys, pd.MultiIndex) and not isinstance(mapping.index, pd.MultiIndex):
            keys = keys.get_level_values("city")
        if not mapping.index.is_unique:
            dup = mapping.index[mapping.index.duplicated()].unique()
            raise coded_error(
                f"{what}: {len(dup)} label(s) have more than one weight",
                "weight_label_repeated",
                ({"label": d} for d in dup),
            )
        numeric = pd.to_numeric(mapping, errors="coerce")  # non-numbers are reported below
        arr = numeric.reindex(keys).to_numpy(dtype=np.float64, na_value=np.nan)
        shown = [None if pd.isna(v) else v for v in mapping.reindex(keys).tolist()]
        labels = list(keys)
    else:
        arr = np.asarray(weights, dtype=np.float64).reshape(-1)
        shown = arr.tolist()
        labels = list(range(arr.size))
        if arr.size != n:
            raise ValueError(f"{what}: {arr.size} weights for {n} values")
    bad = ~(np.isfinite(arr) & (arr > 0))
    if bad.any():
        raise coded_error(
            f"{what}: {int(bad.sum())} weight(s) missing, not positive or not finite",
            lambda r: "weight_missing" if r["weight"] is None else "weight_not_positive",
            ({"label": labels[i], "weight": shown[i]} for i in np.flatnonzero(bad)),
        )
    return arr


def _score_frame(scores: Any, what: str) -> pd.DataFrame:
    """Scores as a float DataFrame indexed by (city, year), one column per score."""
    if isinstance(scores, pd.Series):
        frame = scores.to_frame(name="score" if scores.name is None else scores.name)
    elif isinstance(scores, pd.DataFrame):
        frame = scores
    else:
        raise TypeError(f"{what}: scores must be a pandas Series or DataFrame")
    index = frame.index
    names = list(index.names)
    if not isinstance(index, pd.MultiIndex) or sorted(map(str, names)) != ["city", "year"]:
        raise InputError(
            [coded("not_city_year_index", {"levels": names})],
            f"{what}: scores must be indexed by a (city, year) MultiIndex",
        )
    if names != ["city", "year"]:
        frame = frame.reorder_levels(["city", "year"])
    if frame.shape[1] == 0 or frame.shape[0] == 0:
        raise InputError(
            [coded("no_scores", {"rows": frame.shape[0], "columns": frame.shape[1]})],
            f"{what}: no scores",
        )
    V.panel_index(frame, what)  # each (city, year) once
    bad_cols = [c for c in frame.columns if not pd.api.types.is_numeric_dtype(frame[c])]
    if bad_cols:
        raise InputError(
            [coded("score_not_numeric", column=str(c)) for c in bad_cols],
            f"{what}: score columns must be numeric",
        )
    frame = frame.astype(np.float64)
    frame.columns = [str(c) for c in frame.columns]
    return frame


def _clean_column(
    col: pd.Series, nan_policy: NanPolicy, what: str, *, nonnegative: bool = True
) -> pd.Series:
    """One score column with missing values raised on or dropped (with a DataWarning).

    Infinite values always raise; negative values raise when ``nonnegative``.
    """
    V.choice(nan_policy, ("raise", "omit"), "nan_policy")
    values = col.to_numpy()
    inf = np.isinf(values)
    if inf.any():
        raise coded_error(
            f"{what}: {int(inf.sum())} infinite value(s) in {col.name!r}",
            "score_infinite",
            ({"city": c, "year": t} for c, t in col.index[inf]),
            column=str(col.name),
        )
    nan = np.isnan(values)
    if nan.any():
        if nan_policy == "raise":
            raise coded_error(
                f"{what}: {int(nan.sum())} missing value(s) in {col.name!r} "
                "(pass nan_policy='omit' to leave those city-years out)",
                "score_missing",
                ({"city": c, "year": t} for c, t in col.index[nan]),
                column=str(col.name),
            )
        warn_coded(
            DataWarning,
            "missing_scores_left_out",
            stacklevel=4,
            what=what,
            n=int(nan.sum()),
            column=col.name,
        )
        col = col[~nan]
    if nonnegative:
        neg = col.to_numpy() < 0
        if neg.any():
            raise coded_error(
                f"{what}: {int(neg.sum())} negative value(s) in {col.name!r}; inequality "
                "measures need non-negative scores",
                "score_negative",
                ({"city": c, "year": t, "value": v} for (c, t), v in col[neg].items()),
                column=str(col.name),
            )
    return col


def _check_year(values: np.ndarray, column: str, year: Any, what: str) -> None:
    if not values.mean() > 0:
        raise InputError(
            [coded("year_all_zero", {"year": year}, column=column)],
            f"{what}: inequality is undefined in a year where every score is 0",
        )


def _group_map(groups: GroupsLike | None, cities: pd.Index, what: str) -> pd.Series | None:
    """Group label per city (a Series indexed by city), or None without groups."""
    if groups is None:
        return None
    if not isinstance(groups, Mapping | pd.Series):
        raise TypeError(f"{what}: groups must be a mapping or Series city -> group label")
    mapping = groups if isinstance(groups, pd.Series) else pd.Series(dict(groups), dtype=object)
    unique = pd.Index(pd.unique(cities))
    labels = pd.Series(unique, index=unique).map(mapping)
    missing = labels.index[labels.isna().to_numpy()]
    if len(missing):
        raise coded_error(
            f"{what}: {len(missing)} city(ies) have no group",
            "city_without_group",
            ({"city": c} for c in missing),
        )
    return labels.astype(object)
