"""Large panels end to end: a wide Parquet panel assessed with pandas or fitted on Dask.

The fit is the same set of mergeable column statistics in every engine
(:mod:`coordeval.kernels.blocks`): in memory, over chunks of a file
(:meth:`~coordeval.CoordinationModel.fit_parquet`), or over the partitions of a Dask DataFrame
(:meth:`~coordeval.CoordinationModel.fit` on a ``dask.dataframe``). Dask is imported only
here and in those methods, when asked for.
"""

from __future__ import annotations

import contextlib
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from coordeval._coded import config_error
from coordeval.assessment import Assessment
from coordeval.errors import CoordevalWarning, problem_from_warning
from coordeval.io.parquet import file_sha256, parquet_layout, read_parquet_panel
from coordeval.model import CoordinationModel
from coordeval.system import IndicatorSystem
from coordeval.workflow import system_origin

ENGINES = ("pandas", "dask")


@contextlib.contextmanager
def dask_client(scheduler: str | None) -> Iterator[Any]:
    """Connect to an existing Dask scheduler for the duration of the block.

    Parameters
    ----------
    scheduler : str or None
        Address such as ``tcp://host:8786``; ``None`` uses Dask's default (local threads, or
        a ``dask.distributed.Client`` the caller already created).

    Yields
    ------
    Client or None

    Raises
    ------
    ConfigError
        If Dask (or, for an address, ``distributed``) is not installed, or the scheduler
        cannot be reached.
    """
    try:
        import dask.dataframe  # noqa: F401
    except ImportError:
        raise config_error("dask_missing") from None
    if scheduler is None:
        yield None
        return
    try:
        from dask.distributed import Client
    except ImportError:
        raise config_error("distributed_missing") from None
    try:
        client = Client(scheduler, timeout="10s")
    except (OSError, TimeoutError) as exc:
        raise config_error(
            "scheduler_unreachable", scheduler=str(scheduler), why=str(exc)
        ) from None
    try:
        yield client
    finally:
        client.close()


def read_dask_panel(path: str | Path, system: IndicatorSystem, missing: str = "error") -> Any:
    """A wide Parquet panel as a Dask DataFrame with columns ``city``, ``year`` and the ids.

    Raises
    ------
    InputError
        Missing indicator columns.
    ConfigError
        ``missing="interpolate"`` (needs whole cities in memory: use the pandas engine).
    """
    import dask.dataframe as dd

    layout = parquet_layout(path, system)
    if missing == "interpolate":
        raise config_error("interpolate_needs_pandas")
    ddf = dd.read_parquet(str(path), columns=list(layout)).rename(columns=layout)
    if missing == "drop":
        ddf = ddf.dropna(subset=system.indicator_ids)
    return ddf


def assess_parquet(
    path: str | Path,
    system: str | Path | IndicatorSystem,
    *,
    engine: str = "pandas",
    scheduler: str | None = None,
    missing: str = "error",
    **model_params: Any,
) -> tuple[Assessment, CoordinationModel]:
    """Fit a model on a wide Parquet panel and assess it (the ``assess`` command's path).

    Parameters
    ----------
    path : str or Path
        Parquet file or dataset folder (columns ``city``, ``year``, indicator ids).
    system : str, Path or IndicatorSystem
        The indicator system.
    engine : {"pandas", "dask"}
        ``dask`` fits on a Dask DataFrame (partition by partition, on the scheduler given or
        on local threads); the report itself is then built from the panel in memory.
    scheduler : str, optional
        Address of an existing Dask scheduler (``tcp://host:8786``); Dask engine only.
    missing : {"error", "drop", "interpolate"}
        Missing-value policy (``interpolate`` with the pandas engine only).
    **model_params
        Passed to :class:`CoordinationModel`.

    Returns
    -------
    Assessment, CoordinationModel

    Raises
    ------
    ConfigError
        Unknown engine, a scheduler without the Dask engine, a non-Parquet file with the Dask
        engine, or Dask/pyarrow missing.
    InputError
        Everything wrong with the data, located.
    """
    if engine not in ENGINES:
        raise config_error(
            "unknown_convention", name="engine", value=repr(engine), allowed=", ".join(ENGINES)
        )
    if scheduler is not None and engine != "dask":
        raise config_error("scheduler_needs_dask")
    p = Path(path)
    if p.suffix.lower() != ".parquet" and not p.is_dir():
        raise config_error("engine_needs_parquet", name=p.name, engine=engine)
    sys_obj, origin = system_origin(system)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", CoordevalWarning)
        model = CoordinationModel(sys_obj, **model_params)
        if engine == "dask":
            with dask_client(scheduler):
                model.fit(read_dask_panel(p, sys_obj, missing))
        panel, problems = read_parquet_panel(p, sys_obj, missing=missing)
        if engine == "pandas":
            model.fit(panel)
        a = model.assess(
            panel,
            problems=problems,
            meta={
                "data_file": p.name,
                "data_sha256": file_sha256(p),
                "data_layout": "wide (Parquet)",
                "system_file": origin,
                "engine": engine if scheduler is None else f"dask ({scheduler})",
            },
        )
    return a.amended(problems=[problem_from_warning(w.message, p.name) for w in caught]), model
