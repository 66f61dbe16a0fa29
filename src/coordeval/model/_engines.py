"""Fitting and scoring engines beyond one in-memory frame: chunks, Parquet files and Dask.

Each engine merges the same column statistics as the in-memory fit (:mod:`._fitting`) and
scores with the same arrays (:class:`._scoring.Scorer`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from coordeval._coded import coded, config_error
from coordeval.conventions import Conventions
from coordeval.errors import InputError, Problem
from coordeval.kernels.blocks import RangeStats
from coordeval.model._coercion import (
    distinct_keys,
    nonfinite_error,
    numeric_matrix,
    panel_matrix,
    require_columns,
    sorted_keys,
)
from coordeval.model._fitting import FitPlan, finish_fit, make_plan
from coordeval.model._scoring import Scorer, handle_outside, scorer_of, warn_outside
from coordeval.system import IndicatorSystem

if TYPE_CHECKING:
    from coordeval.model._estimator import CoordinationModel


def _plan_of_first_pass(conv: Conventions, system: IndicatorSystem, rng: RangeStats) -> FitPlan:
    """The fit plan from the merged extremes of pass 1; a panel without rows is refused."""
    if rng.n == 0:
        raise InputError([coded("panel_empty")], "no data to fit")
    return make_plan(conv, system, rng, stacklevel=6)


def fit_chunks(
    model: CoordinationModel, chunks: Callable[[], Iterable[Any]] | Sequence[Any]
) -> CoordinationModel:
    """Two passes over chunks: merged extremes, then the weighting's merged statistics."""
    if callable(chunks):
        factory = chunks
    elif isinstance(chunks, Sequence) and not isinstance(chunks, str | bytes):
        listed = chunks

        def factory() -> Iterable[Any]:
            return listed

    else:
        raise config_error("chunks_one_shot")
    system = model._system()
    conv = model._conventions(system)
    ids = system.indicator_ids
    rng = RangeStats.empty(len(ids))
    cities: set[Any] = set()
    years: set[Any] = set()
    for chunk in factory():
        X, index = panel_matrix(chunk, system, check=False, allow_empty=True)
        part = RangeStats.of(X)
        if not part.finite:
            raise nonfinite_error(X, index, ids)
        rng = rng.merge(part)
        c, y = distinct_keys(index, chunk)
        cities.update(c)
        years.update(y)
    plan = _plan_of_first_pass(conv, system, rng)
    second = None
    if plan.needs_second_pass:
        second = plan.empty_second()
        for chunk in factory():
            X, _ = panel_matrix(chunk, system, check=False, allow_empty=True)
            second = second.merge(plan.second_pass(X))
        if second.n != rng.n:
            raise config_error("chunks_changed", n_first=rng.n, n_second=second.n)
    return finish_fit(model, conv, system, plan, second, sorted_keys(cities, years))


def fit_parquet(
    model: CoordinationModel,
    path: str | Path,
    columns: Mapping[str, str] | None,
    chunk_rows: int,
) -> CoordinationModel:
    """:func:`fit_chunks` over the record batches of a Parquet file."""
    from coordeval.io.parquet import iter_parquet_frames

    system = model._system()
    passes = iter(range(2))

    def chunks() -> Iterator[pd.DataFrame]:
        first = next(passes, 1) == 0  # city and year are needed in pass 1 only
        return iter_parquet_frames(path, system, columns, chunk_rows, keys=first)

    return fit_chunks(model, chunks)


def transform_parquet(
    model: CoordinationModel,
    path: str | Path,
    out_path: str | Path,
    columns: Mapping[str, str] | None,
    chunk_rows: int,
) -> Path:
    """Score a Parquet panel batch by batch into a Parquet file (one warning at the end)."""
    from coordeval.io.parquet import iter_parquet_frames, write_parquet_frames

    system = model.system_
    scorer = scorer_of(model)
    total_outside = 0

    def scored() -> Iterator[pd.DataFrame]:
        nonlocal total_outside
        for chunk in iter_parquet_frames(path, system, columns, chunk_rows):
            X, index = panel_matrix(chunk, system, check=False, allow_empty=True)
            res = scorer.score(X)
            if not res.finite:
                raise nonfinite_error(X, index, system.indicator_ids)
            if res.n_outside:
                if scorer.out_of_range == "error":
                    handle_outside(model, X, index, res.n_outside, stacklevel=1)
                total_outside += res.n_outside
            out = pd.DataFrame(res.values, index=index, columns=scorer.names, copy=False)
            keys = [c for c in ("city", "year") if c in chunk.columns]
            yield pd.concat(
                [chunk[keys].reset_index(drop=True), out.reset_index(drop=True)], axis=1
            )

    target = write_parquet_frames(scored(), out_path, scorer.names)
    if total_outside:
        warn_outside(model, total_outside, stacklevel=3)
    return target


def fit_dask(model: CoordinationModel, ddf: Any) -> CoordinationModel:
    """The fit of a Dask DataFrame: both passes run as Dask tasks, one per partition."""
    import dask

    system = model._system()
    conv = model._conventions(system)
    ids = system.indicator_ids
    require_columns(list(ddf.columns), system)
    parts = ddf.to_delayed()
    firsts = dask.compute(*[dask.delayed(_partition_range)(p, ids) for p in parts])
    rng = RangeStats.empty(len(ids))
    cities: set[Any] = set()
    years: set[Any] = set()
    for part, c, y, problems in firsts:
        if problems:
            raise InputError(problems, "missing or non-finite value(s) in the Dask panel")
        rng = rng.merge(part)
        cities.update(c)
        years.update(y)
    plan = _plan_of_first_pass(conv, system, rng)
    second = None
    if plan.needs_second_pass:
        task = dask.delayed(_partition_second)
        seconds = dask.compute(*[task(p, ids, plan) for p in parts])
        second = plan.empty_second()
        for s in seconds:
            second = second.merge(s)
    return finish_fit(model, conv, system, plan, second, sorted_keys(cities, years))


def transform_dask(model: CoordinationModel, ddf: Any) -> Any:
    """The scores of a Dask DataFrame, lazily, partition by partition."""
    require_columns(list(ddf.columns), model.system_)
    scorer = scorer_of(model)
    keys = [c for c in ("city", "year") if c in ddf.columns]
    meta = pd.DataFrame(
        {
            **{c: pd.Series([], dtype=ddf.dtypes[c]) for c in keys},
            **{c: pd.Series([], dtype=np.float64) for c in scorer.names},
        }
    )
    return ddf.map_partitions(_partition_scores, scorer, keys, meta=meta)


def _partition_range(
    frame: pd.DataFrame, ids: list[str]
) -> tuple[RangeStats, set[Any], set[Any], list[Problem]]:
    """Pass 1 on one Dask partition: extremes, cities, years and located non-finite values."""
    X = numeric_matrix(frame, ids)
    rng = RangeStats.of(X)
    problems: list[Problem] = []
    if not rng.finite:
        problems = nonfinite_error(X, frame.index, ids).problems
    cities, years = distinct_keys(frame.index, frame)
    return rng, cities, years, problems


def _partition_second(frame: pd.DataFrame, ids: list[str], plan: FitPlan) -> Any:
    """Pass 2 on one Dask partition: the weighting's statistics."""
    return plan.second_pass(numeric_matrix(frame, ids))


def _partition_scores(frame: pd.DataFrame, scorer: Scorer, keys: list[str]) -> pd.DataFrame:
    """Scores of one Dask partition, after its ``city``/``year`` columns."""
    X = numeric_matrix(frame, scorer.ids)
    res = scorer.score(X)
    if not res.finite:
        raise nonfinite_error(X, frame.index, scorer.ids)
    if res.n_outside and scorer.out_of_range == "error":
        raise InputError(
            [coded("outside_count_refused", n=res.n_outside)],
            f"{res.n_outside} value(s) outside the fitted range",
        )
    out = pd.DataFrame(res.values, index=frame.index, columns=scorer.names, copy=False)
    if keys:
        out = pd.concat([frame[keys], out], axis=1)
    return out
