"""File-level workflows behind the CLI: read → validate → fit → assess → report."""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import warnings
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from coordeval.assessment import Assessment
from coordeval.datasets import DATASETS, Dataset
from coordeval.errors import (
    ConfigError,
    ConstantIndicatorWarning,
    CoordevalWarning,
    InputError,
    Problem,
    raise_if_errors,
)
from coordeval.io.read import PanelData, read_data
from coordeval.io.validate import apply_missing, check_fit_data
from coordeval.model import CoordinationModel
from coordeval.system import IndicatorSystem, load_system


def file_sha256(path: str | Path) -> str:
    """SHA-256 of a file's bytes."""
    h = hashlib.sha256()
    with Path(path).open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def system_origin(system: str | Path | IndicatorSystem) -> tuple[IndicatorSystem, str]:
    """The loaded system and a description of where it came from."""
    loaded = load_system(system)
    if isinstance(system, IndicatorSystem):
        return loaded, "(object)"
    p = Path(system)
    return loaded, (f"{p.name} (sha256 {file_sha256(p)})" if p.exists() else f"built-in {system}")


@dataclass
class Validated:
    """A read and validated panel with every problem found on the way."""

    data: PanelData
    panel: Any
    problems: list[Problem]


def read_validated(
    path: str | Path, system: IndicatorSystem, missing: str = "error", sheet: str | None = None
) -> Validated:
    """Read ``path`` and apply the missing-value policy; raise :class:`InputError` listing
    every error, otherwise return the panel with all non-fatal problems."""
    data = read_data(path, system, sheet=sheet)
    raise_if_errors(data.problems, f"{Path(path).name} cannot be used")
    panel, extra = apply_missing(data, missing)
    problems = [*data.problems, *extra]
    raise_if_errors(problems, f"{Path(path).name} cannot be used")
    return Validated(data, panel, problems)


@contextlib.contextmanager
def located_in(path: str | Path) -> Iterator[None]:
    """Name the data file in the problems of an :class:`InputError` raised inside (fitting
    and scoring see a panel, not a file)."""
    try:
        yield
    except InputError as exc:
        name = Path(path).name
        problems = [p if p.file else dataclasses.replace(p, file=name) for p in exc.problems]
        raise InputError(problems, f"{name}: {exc.summary}") from None


def assess_file(
    path: str | Path,
    system: str | Path | IndicatorSystem,
    *,
    missing: str = "error",
    sheet: str | None = None,
    model: CoordinationModel | None = None,
    analysis: dict[str, Any] | None = None,
    **model_params: Any,
) -> tuple[Assessment, CoordinationModel]:
    """Read, validate, fit (unless a fitted ``model`` is given) and assess one data file.

    ``analysis`` holds keyword arguments for :meth:`CoordinationModel.assess` (``groups``,
    ``spatial_weights``, ``spatial_kind``, ``factors``, ``targets``, ...).
    """
    sys_obj, origin = system_origin(system if model is None else model.system_)
    v = read_validated(path, sys_obj, missing, sheet)
    if model is None:
        weighting = model_params.get("weighting") or sys_obj.method.weighting or "entropy"
        fit_problems = check_fit_data(v.data, v.panel, weighting)
        raise_if_errors([*fit_problems, *v.problems], f"{Path(path).name} cannot be used")
        v.problems.extend(fit_problems)
    with warnings.catch_warnings(record=True) as caught, located_in(path):
        warnings.simplefilter("always", CoordevalWarning)
        if model is None:
            model = CoordinationModel(sys_obj, **model_params).fit(v.panel)
        a = model.assess(
            v.panel,
            problems=v.problems,
            meta={
                "data_file": Path(path).name,
                "data_sha256": v.data.sha256,
                "data_layout": v.data.layout,
                "system_file": origin,
            },
            **(analysis or {}),
        )
    a.problems.extend(
        Problem(str(w.message), file=Path(path).name, severity="warning")
        for w in caught
        if not issubclass(w.category, ConstantIndicatorWarning)  # located by check_fit_data
    )
    return a, model


def read_side_tables(
    groups: str | Path | None = None,
    spatial: str | Path | None = None,
    spatial_kind: str | None = None,
    factors: str | Path | None = None,
) -> dict[str, Any]:
    """Read the optional side tables of an assessment; every file's problems are collected.

    Returns the keyword arguments for :meth:`CoordinationModel.assess` (empty when no file is
    given). Raises one :class:`InputError` listing the problems of all files.
    """
    from coordeval.io.side import read_factors, read_groups, read_spatial_weights

    if spatial_kind not in (None, "weights", "distance"):
        raise ConfigError(f"--spatial-kind must be weights or distance, got {spatial_kind!r}")
    if spatial_kind is not None and spatial is None:
        raise ConfigError("--spatial-kind needs --spatial")
    out: dict[str, Any] = {}
    problems: list[Problem] = []
    for key, path, reader in (
        ("groups", groups, read_groups),
        ("spatial_weights", spatial, read_spatial_weights),
        ("factors", factors, read_factors),
    ):
        if path is None:
            continue
        try:
            out[key] = reader(path)
        except InputError as exc:
            problems.extend(exc.problems)
    raise_if_errors(problems, "the side tables cannot be used")
    if spatial is not None:
        out["spatial_kind"] = spatial_kind
    return out


def extended_options(
    coords: str | Path | None = None,
    *,
    plan_years: str | Sequence[int] | None = None,
    dynamics: bool = False,
    size_indicator: str | None = None,
    **options: Any,
) -> Any:
    """Options of the extended analyses (``None`` when none of their inputs is given).

    Reads ``coords`` with :func:`coordeval.io.side.read_coords`; ``plan_years`` may be text
    such as ``"2025,2030"``. Returns a :class:`coordeval.analysis.extended.ExtendedOptions`.
    """
    from coordeval.analysis.extended import ExtendedOptions
    from coordeval.io.side import read_coords

    economic = options.get("weights") in ("economic", "geo-economic")
    if coords is None and plan_years is None and not (dynamics or economic or size_indicator):
        return None
    if options.get("ellipse_correction", "crimestat") not in ("crimestat", "arcgis", "yuill"):
        raise ConfigError("--ellipse-correction must be crimestat, arcgis or yuill")
    kinds = ("knn", "idw", "band", "economic", "geo-economic")
    if options.get("weights", "knn") not in kinds:
        raise ConfigError(
            f"--weights must be one of {', '.join(kinds)}, got {options['weights']!r}"
        )
    if options.get("weights") in kinds[3:] and not options.get("weights_indicator"):
        raise ConfigError(f"--weights {options['weights']} needs --weights-indicator")
    cut = options.get("markov_cutoffs")
    if isinstance(cut, str):
        try:
            options["markov_cutoffs"] = [
                float(c) for c in cut.replace("，", ",").split(",") if c.strip()
            ]
        except ValueError:
            raise ConfigError(
                f"--markov-cutoffs must be numbers separated by commas, got {cut!r}"
            ) from None
    if options.get("markov_classes", "quantile") not in ("quantile", "grades"):
        raise ConfigError("--markov-classes must be quantile or grades")
    years = None
    if isinstance(plan_years, str):
        try:
            years = [int(y) for y in plan_years.replace("，", ",").split(",") if y.strip()]
        except ValueError:
            raise ConfigError(
                f"--plan-years must be years separated by commas, got {plan_years!r}"
            ) from None
    elif plan_years is not None:
        years = [int(y) for y in plan_years]
    return ExtendedOptions(
        coords=None if coords is None else read_coords(coords),
        plan_years=years,
        dynamics=dynamics,
        size_indicator=size_indicator,
        **options,
    )


def demo_datasets() -> tuple[Dataset, ...]:
    """The shipped datasets ``coordeval demo`` assesses."""
    return DATASETS


def run_demo_dataset(d: Dataset, out_dir: str | Path) -> Path:
    """Assess one shipped dataset and write ``<out_dir>/<name>.xlsx``."""
    out = Path(out_dir) / f"{d.name}.xlsx"
    path = Path(str(d.path()))
    if d.kind == "targets":
        from coordeval.report.targets import write_targets_report

        return write_targets_report(path, d.system, out)
    a, _ = assess_file(path, d.system, missing=d.missing)
    return a.to_excel(out)
