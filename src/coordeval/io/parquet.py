"""Wide Parquet panels: read in chunks (files larger than memory), read whole, write chunks.

Layout (wide): columns ``city`` and ``year`` (or any key header the Excel and CSV readers
accept, :data:`coordeval.io._header.KEY_NAMES`: ``城市``/``地区``, ``年份``/``年度``, …) and one
numeric column per indicator id (or the file column given for it in ``columns``). Any other column
is ignored. Reading needs ``pyarrow`` (``pip install coordeval[dask]``); it is imported only
here, when a Parquet file is used.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from coordeval.errors import ConfigError, InputError, Problem
from coordeval.io._header import KEY_NAMES, key_roles
from coordeval.io.atomic import atomic_path
from coordeval.io.validate import check_missing_policy, interpolate_years
from coordeval.system import IndicatorSystem, load_system

__all__ = [
    "KEY_COLUMNS",
    "iter_parquet_frames",
    "parquet_layout",
    "read_parquet_panel",
    "write_parquet_frames",
]

#: The key columns' header names: the one list every reader uses.
KEY_COLUMNS: dict[str, tuple[str, ...]] = KEY_NAMES


def _pyarrow() -> Any:
    try:
        import pyarrow.parquet as pq
    except ImportError:
        raise ConfigError(
            "reading or writing Parquet needs pyarrow: pip install 'coordeval[dask]'"
        ) from None
    return pq


def _open(path: str | Path) -> Any:
    pq = _pyarrow()
    p = Path(path)
    if not p.exists():
        raise ConfigError(f"{p}: no such file or folder")
    try:
        return pq.ParquetDataset(str(p)) if p.is_dir() else pq.ParquetFile(str(p), pre_buffer=False)
    except (OSError, ValueError) as exc:
        raise InputError(
            [
                Problem(
                    f"not a readable Parquet file ({exc})",
                    file=p.name,
                    code="parquet_unreadable",
                    params={"detail": str(exc)},
                )
            ],
            f"{p.name} cannot be read",
        ) from None


def parquet_layout(
    path: str | Path,
    system: IndicatorSystem | str | Path,
    columns: Mapping[str, str] | None = None,
) -> dict[str, str]:
    """File column → panel column (``city``, ``year``, indicator ids) for a wide Parquet panel.

    Parameters
    ----------
    path : str or Path
        Parquet file, or a folder of Parquet files (a dataset).
    system : IndicatorSystem, str or Path
        The indicator system.
    columns : mapping, optional
        File column of each indicator id where it differs from the id.

    Returns
    -------
    dict
        Renaming from the file's columns to ``city``, ``year`` (when present) and the ids,
        in that order.

    Raises
    ------
    InputError
        Listing every indicator whose column is not in the file.
    ConfigError
        If pyarrow is missing or the path does not exist.
    """
    system = load_system(system) if not isinstance(system, IndicatorSystem) else system
    src = _open(path)
    names = list(src.schema.names)
    layout: dict[str, str] = {}
    roles = key_roles(names)
    for key in KEY_COLUMNS:
        found = next((n for n, r in zip(names, roles, strict=True) if r == key), None)
        if found is not None:
            layout[found] = key
    columns = dict(columns or {})
    unknown = sorted(set(columns) - set(system.indicator_ids))
    if unknown:
        raise ConfigError(f"columns names indicator(s) not in the system: {unknown}")
    missing = []
    for ind in system.indicators:
        col = columns.get(ind.id, ind.id)
        if col in names:
            layout[col] = ind.id
        else:
            missing.append(f"{ind.id} ({ind.name_zh})" + (f" as {col!r}" if col != ind.id else ""))
    if missing:
        raise InputError(
            [
                Problem(
                    f"indicator column missing: {m}",
                    file=Path(path).name,
                    code="parquet_column_missing",
                    params={"indicator": m},
                )
                for m in missing
            ],
            f"{Path(path).name} lacks {len(missing)} indicator(s) of system {system.name!r}",
        )
    return layout


def iter_parquet_frames(
    path: str | Path,
    system: IndicatorSystem | str | Path,
    columns: Mapping[str, str] | None = None,
    chunk_rows: int = 1 << 18,
    keys: bool = True,
) -> Iterator[pd.DataFrame]:
    """Read a wide Parquet panel ``chunk_rows`` rows at a time.

    Parameters
    ----------
    path, system, columns
        See :func:`parquet_layout`.
    chunk_rows : int
        Rows per chunk (the last one of each file may be shorter).
    keys : bool
        Also read the ``city`` and ``year`` columns (when the file has them).

    Yields
    ------
    DataFrame
        Columns ``city``, ``year`` (with ``keys``) and the indicator ids in system order, the
        indicators as one float64 column-major block (a view for the model, no copy); a
        default integer index.

    Raises
    ------
    InputError
        An indicator column that is not numeric.
    ValueError
        If ``chunk_rows`` is not positive.
    """
    if chunk_rows < 1:
        raise ValueError(f"chunk_rows must be positive, got {chunk_rows}")
    system = load_system(system) if not isinstance(system, IndicatorSystem) else system
    layout = parquet_layout(path, system, columns)
    by_role = {role: col for col, role in layout.items()}
    ids = system.indicator_ids
    read = [by_role[i] for i in ids]
    key_cols = [(k, by_role[k]) for k in ("city", "year") if keys and k in by_role]
    src = _open(path)
    files = [src] if hasattr(src, "iter_batches") else [_open(f) for f in src.files]
    for f in files:
        for batch in f.iter_batches(batch_size=chunk_rows, columns=[c for _, c in key_cols] + read):
            yield _batch_frame(batch, ids, read, key_cols, Path(path).name)


def _batch_frame(
    batch: Any, ids: list[str], read: list[str], key_cols: list[tuple[str, str]], name: str
) -> pd.DataFrame:
    import pyarrow as pa
    import pyarrow.compute as pc

    X = np.empty((batch.num_rows, len(ids)), order="F")
    for j, col in enumerate(read):
        arr = batch.column(col)
        if not (pa.types.is_floating(arr.type) or pa.types.is_integer(arr.type)):
            raise InputError(
                [
                    Problem(
                        f"column is not numeric ({arr.type})",
                        file=name,
                        column=col,
                        code="parquet_not_numeric_type",
                        params={"type": str(arr.type)},
                    )
                ],
                f"{name}: non-numeric indicator columns",
            )
        X[:, j] = pc.cast(arr, pa.float64()).to_numpy(zero_copy_only=False)
    frame = pd.DataFrame(X, columns=ids, copy=False)
    for pos, (role, col) in enumerate(key_cols):
        frame.insert(pos, role, batch.column(col).to_pandas())
    return frame


def read_parquet_panel(
    path: str | Path,
    system: IndicatorSystem | str | Path,
    columns: Mapping[str, str] | None = None,
    missing: str = "error",
) -> tuple[pd.DataFrame, list[Problem]]:
    """Read a whole wide Parquet panel into a (city, year) × indicator DataFrame.

    Parameters
    ----------
    path, system, columns
        See :func:`parquet_layout`.
    missing : {"error", "drop", "interpolate"}
        Missing values (NaN, null, ±inf): every one is an error; or city-years with any are
        dropped (a warning); or interior gaps are filled linearly in the year within each city
        (:func:`coordeval.io.validate.interpolate_years`; gaps at the ends stay errors).

    Returns
    -------
    panel : DataFrame
        Index ``(city, year)`` (str, int), sorted; float64 indicator columns in system order.
    problems : list of Problem
        Warnings and information (dropped or filled values).

    Raises
    ------
    InputError
        Missing key or indicator columns, non-numeric columns, duplicate city-years,
        missing values under the policy (the first 50 located by row and column).
    ConfigError
        Unknown missing-value policy, missing pyarrow.
    """
    check_missing_policy(missing)
    system = load_system(system) if not isinstance(system, IndicatorSystem) else system
    name = Path(path).name
    layout = parquet_layout(path, system, columns)
    keys = [k for k in ("city", "year") if k in layout.values()]
    if keys != ["city", "year"]:
        raise InputError(
            [
                Problem(
                    "the file needs the key columns city and year (or 城市 and 年份)",
                    file=name,
                    code="parquet_no_keys",
                )
            ],
            f"{name} cannot be used",
        )
    frame = pd.concat(list(iter_parquet_frames(path, system, columns)), ignore_index=True)
    ids = system.indicator_ids
    bad = [c for c in ids if not pd.api.types.is_numeric_dtype(frame[c])]
    if bad:
        raise InputError(
            [
                Problem("column is not numeric", file=name, column=c, code="parquet_not_numeric")
                for c in bad
            ],
            f"{name}: non-numeric indicator columns",
        )
    try:
        year = frame["year"].astype(np.int64)
    except (TypeError, ValueError):
        raise InputError(
            [
                Problem(
                    "years must be whole numbers",
                    file=name,
                    column="year",
                    code="parquet_year_not_whole",
                )
            ],
            f"{name} cannot be used",
        ) from None
    city = frame["city"].astype("string")
    dup = pd.DataFrame({"city": city, "year": year}).duplicated(keep=False).to_numpy()
    if dup.any():
        rows = np.flatnonzero(dup)
        raise InputError(
            [
                Problem(
                    f"duplicate city-year {city.iloc[r]} {year.iloc[r]}",
                    file=name,
                    cell=f"row {r}",
                    code="parquet_duplicate",
                    params={"city": str(city.iloc[r]), "year": int(year.iloc[r])},
                )
                for r in rows[:50]
            ],
            f"{name}: {int(dup.sum())} rows share a (city, year) with another row",
        )
    values = frame[ids].astype(np.float64)
    panel = values.set_axis(pd.MultiIndex.from_arrays([city, year], names=["city", "year"]))
    panel = panel.sort_index()
    return _apply_missing(panel, name, missing)


def _apply_missing(
    panel: pd.DataFrame, name: str, missing: str
) -> tuple[pd.DataFrame, list[Problem]]:
    A = panel.to_numpy()
    bad = ~np.isfinite(A)
    if not bad.any():
        return panel, []
    problems: list[Problem] = []
    if missing == "drop":
        rows = bad.any(axis=1)
        kept = panel[~rows]
        problems.append(
            Problem(
                f"dropped {int(rows.sum())} city-year(s) with missing values (missing='drop')",
                file=name,
                severity="warning",
                code="parquet_dropped",
                params={"n": int(rows.sum())},
            )
        )
        if kept.empty:
            raise InputError(
                [
                    Problem(
                        "every city-year has a missing value", file=name, code="parquet_all_missing"
                    )
                ],
                f"{name}: no data",
            )
        return kept, problems
    if missing == "interpolate":
        filled, source = interpolate_years(panel.where(np.isfinite(A)))
        if len(source):
            problems.append(
                Problem(
                    f"filled {len(source)} missing value(s) linearly in the year "
                    "(missing='interpolate')",
                    file=name,
                    severity="info",
                    code="parquet_interpolated",
                    params={"n": len(source)},
                )
            )
        panel, A = filled, filled.to_numpy()
        bad = ~np.isfinite(A)
        if not bad.any():
            return panel, problems
    rows, cols = np.nonzero(bad)
    raise InputError(
        [
            Problem(
                f"missing value at {panel.index[r]!r}; choose --missing drop or interpolate, "
                "or fill it",
                file=name,
                column=str(panel.columns[c]),
                code="parquet_value_missing",
                params={"where": repr(panel.index[r])},
            )
            for r, c in zip(rows[:50], cols[:50], strict=True)
        ],
        f"{name}: {int(bad.sum())} missing value(s)",
    )


def write_parquet_frames(
    frames: Iterable[pd.DataFrame], out_path: str | Path, value_columns: list[str]
) -> Path:
    """Write DataFrames (same columns) as one Parquet file, atomically.

    Parameters
    ----------
    frames : iterable of DataFrame
        Consumed once; nothing is held in memory beyond one frame.
    out_path : str or Path
        Target file; a failed run leaves no partial file and an earlier file untouched.
    value_columns : list of str
        Float columns of an empty result (when ``frames`` yields nothing).

    Returns
    -------
    Path
        ``out_path``.
    """
    pq = _pyarrow()
    import pyarrow as pa

    target = Path(out_path)
    with atomic_path(target) as tmp:
        writer = None
        try:
            for frame in frames:
                table = pa.Table.from_pandas(frame, preserve_index=False)
                if writer is None:
                    # dictionary-encode the text keys only: scores are distinct floats
                    keys = [
                        c
                        for c in table.column_names
                        if not pa.types.is_floating(table.schema.field(c).type)
                    ]
                    writer = pq.ParquetWriter(str(tmp), table.schema, use_dictionary=keys)
                writer.write_table(table)
            if writer is None:
                empty = pd.DataFrame({c: pd.Series([], dtype=np.float64) for c in value_columns})
                pq.write_table(pa.Table.from_pandas(empty, preserve_index=False), str(tmp))
        finally:
            if writer is not None:
                writer.close()
    return target


def file_sha256(path: str | Path) -> str:
    """SHA-256 of a file's bytes (of every file, in name order, for a dataset folder)."""
    h = hashlib.sha256()
    p = Path(path)
    for f in sorted(p.rglob("*")) if p.is_dir() else [p]:
        if f.is_file():
            with f.open("rb") as fh:
                for block in iter(lambda fh=fh: fh.read(1 << 20), b""):
                    h.update(block)
    return h.hexdigest()
