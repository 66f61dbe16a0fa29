"""File-level workflows behind the CLI: read → validate → fit → assess → report."""

from __future__ import annotations

import contextlib
import dataclasses
import warnings
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from coordeval._coded import coded, config_error
from coordeval.assessment import Assessment
from coordeval.datasets import DATASETS, Dataset
from coordeval.errors import (
    ConfigError,
    ConstantIndicatorWarning,
    CoordevalWarning,
    InputError,
    Problem,
    problem_from_warning,
    raise_if_errors,
)
from coordeval.io.parquet import file_sha256
from coordeval.io.validate import check_fit_data
from coordeval.io.validated import Validated, read_validated
from coordeval.model import CoordinationModel
from coordeval.system import IndicatorSystem, load_system


def system_origin(system: str | Path | IndicatorSystem) -> tuple[IndicatorSystem, str]:
    """The loaded system and a description of where it came from."""
    loaded = load_system(system)
    if isinstance(system, IndicatorSystem):
        return loaded, "(object)"
    p = Path(system)
    return loaded, (f"{p.name} (sha256 {file_sha256(p)})" if p.exists() else f"built-in {system}")


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


def check_fit(v: Validated, path: str | Path, system: IndicatorSystem, weighting: Any) -> None:
    """The located fit checks of a validated file.

    The conditions that stop or weaken a fit (too few city-years, a subsystem that does not
    vary, negative values for CV weights, constant indicators) are checked on the file
    (:func:`coordeval.io.validate.check_fit_data`), so that every problem names its file,
    sheet and cells, the same for ``coordeval fit`` and ``coordeval assess``. Errors are
    raised together with the file's other problems; warnings are added to ``v.problems``.
    """
    weighting = weighting or system.method.weighting or "entropy"
    fit_problems = check_fit_data(v.data, v.panel, weighting)
    raise_if_errors([*fit_problems, *v.problems], f"{Path(path).name} cannot be used")
    v.problems.extend(fit_problems)


def fit_file(
    path: str | Path,
    system: str | Path | IndicatorSystem,
    *,
    missing: str = "error",
    sheet: str | None = None,
    cities: Any = None,
    **model_params: Any,
) -> tuple[CoordinationModel, list[Problem]]:
    """Read, validate and fit one data file (``coordeval fit``).

    Returns the fitted model and every non-fatal problem found (reader, validation and fit
    checks, located in the file). Raises :class:`~coordeval.errors.InputError` listing every
    problem, located as :func:`assess_file` locates them.
    """
    sys_obj = load_system(system)
    v = read_validated(path, sys_obj, missing, sheet, cities=cities)
    check_fit(v, path, sys_obj, model_params.get("weighting"))
    with located_in(path):
        model = CoordinationModel(sys_obj, **model_params).fit(v.panel)
    return model, v.problems


def assess_file(
    path: str | Path,
    system: str | Path | IndicatorSystem,
    *,
    missing: str = "error",
    sheet: str | None = None,
    model: CoordinationModel | None = None,
    analysis: dict[str, Any] | None = None,
    cities: Any = None,
    **model_params: Any,
) -> tuple[Assessment, CoordinationModel]:
    """Read, validate, fit (unless a fitted ``model`` is given) and assess one data file.

    ``cities`` is a cities table (:func:`coordeval.io.side.read_cities`) resolving name
    variants to canonical names.

    ``analysis`` holds keyword arguments for :meth:`CoordinationModel.assess` (``groups``,
    ``spatial_weights``, ``spatial_kind``, ``factors``, ``targets``, ...).
    """
    sys_obj, origin = system_origin(system if model is None else model.system_)
    v = read_validated(path, sys_obj, missing, sheet, cities=cities)
    if model is None:
        check_fit(v, path, sys_obj, model_params.get("weighting"))
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
    order = {"city_order": list(dict.fromkeys(v.data.cells["city"].astype(str)))}
    a = a.amended(
        meta={**order, **a.meta},
        problems=[
            problem_from_warning(w.message, Path(path).name)
            for w in caught
            if not issubclass(w.category, ConstantIndicatorWarning)  # located by check_fit_data
        ],
    )
    return a, model


def read_side_tables(
    groups: str | Path | None = None,
    spatial: str | Path | None = None,
    spatial_kind: str | None = None,
    factors: str | Path | None = None,
    targets: str | Path | None = None,
) -> dict[str, Any]:
    """Read the optional side tables of an assessment; every file's problems are collected.

    ``targets`` is a plan-target table (:func:`coordeval.analysis.targets.read_targets`).

    Returns the keyword arguments for :meth:`CoordinationModel.assess` (empty when no file is
    given). Raises one :class:`InputError` listing the problems of all files.
    """
    from coordeval.analysis.targets import read_targets
    from coordeval.io.side import read_factors, read_groups, read_spatial_weights

    if spatial_kind not in (None, "weights", "distance"):
        raise config_error("spatial_kind_invalid", value=repr(spatial_kind))
    if spatial_kind is not None and spatial is None:
        raise config_error("spatial_kind_needs_spatial")
    out: dict[str, Any] = {}
    problems: list[Problem] = []
    for key, path, reader in (
        ("groups", groups, read_groups),
        ("spatial_weights", spatial, read_spatial_weights),
        ("factors", factors, read_factors),
        ("targets", targets, read_targets),
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


def city_coordinates(coords: str | Path | None, cities: Any = None) -> Any:
    """The city coordinates of the spatial analyses: the one place that decides their source.

    Parameters
    ----------
    coords : str or Path, optional
        A coordinates table (``--coords``), read with :func:`coordeval.io.side.read_coords`.
    cities : DataFrame, optional
        A cities table (``--cities``, :func:`coordeval.io.side.read_cities`); its ``lon`` and
        ``lat`` columns are the coordinates when ``coords`` is not given.

    Returns
    -------
    DataFrame or None
        ``lon``, ``lat`` in degrees indexed by city; None when neither source has them.

    Raises
    ------
    InputError
        Both sources are given and place a city differently (more than 1e-6°): every such
        city is named with both positions.
    """
    from coordeval.io.side import read_coords

    table = None
    if cities is not None and {"lon", "lat"} <= set(cities.columns):
        table = cities[["lon", "lat"]].astype("float64")
    if coords is None:
        return table
    given = read_coords(coords)
    if table is not None:
        common = given.index.intersection(table.index)
        a, b = given.loc[common], table.loc[common]
        differ = (a - b).abs().gt(1e-6).any(axis=1).to_numpy()
        if differ.any():
            raise InputError(
                [
                    coded(
                        "coords_disagree",
                        value=str(c),
                        city=str(c),
                        lon=float(x.lon),
                        lat=float(x.lat),
                        lon_cities=float(y.lon),
                        lat_cities=float(y.lat),
                    )
                    for c, x, y in zip(
                        common[differ],
                        a[differ].itertuples(),
                        b[differ].itertuples(),
                        strict=True,
                    )
                ],
                "the coordinates of --coords and --cities disagree",
            )
    return given


def extended_options(
    coords: str | Path | None = None,
    *,
    cities: Any = None,
    plan_years: str | Sequence[int] | None = None,
    dynamics: bool = False,
    size_indicator: str | None = None,
    **options: Any,
) -> Any:
    """Options of the extended analyses (``None`` when none of their inputs is given).

    Coordinates come from ``coords`` or else the ``lon``/``lat`` of the ``cities`` table
    (:func:`city_coordinates`); ``plan_years`` may be text
    such as ``"2025,2030"``. Returns a :class:`coordeval.analysis.extended.ExtendedOptions`.
    """
    from coordeval.analysis.extended import ExtendedOptions

    xy = city_coordinates(coords, cities)
    economic = options.get("weights") in ("economic", "geo-economic", "queen", "rook")
    if xy is None and plan_years is None and not (dynamics or economic or size_indicator):
        return None
    if options.get("ellipse_correction", "crimestat") not in ("crimestat", "arcgis", "yuill"):
        raise config_error("ellipse_correction_invalid")
    kinds = ("knn", "idw", "band", "economic", "geo-economic", "queen", "rook")
    if options.get("weights", "knn") not in kinds:
        raise config_error(
            "weights_kind_invalid", allowed=", ".join(kinds), value=repr(options["weights"])
        )
    geometry = options.pop("geometry", None)
    if options.get("weights") in kinds[5:]:
        if geometry is None:
            raise config_error("weights_need_geometry", kind=options["weights"])
        from coordeval.io.geometry import read_boundaries

        options["geometry"] = read_boundaries(geometry)
    if options.get("weights") in kinds[3:5] and not options.get("weights_indicator"):
        raise config_error("weights_need_indicator", kind=options["weights"])
    cut = options.get("markov_cutoffs")
    if isinstance(cut, str):
        try:
            options["markov_cutoffs"] = [
                float(c) for c in cut.replace("，", ",").split(",") if c.strip()
            ]
        except ValueError:
            raise config_error("markov_cutoffs_invalid", value=repr(cut)) from None
    if options.get("markov_classes", "quantile") not in ("quantile", "grades"):
        raise config_error("markov_classes_invalid")
    years = None
    if isinstance(plan_years, str):
        try:
            years = [int(y) for y in plan_years.replace("，", ",").split(",") if y.strip()]
        except ValueError:
            raise config_error("plan_years_invalid", value=repr(plan_years)) from None
    elif plan_years is not None:
        years = [int(y) for y in plan_years]
    return ExtendedOptions(
        coords=xy,
        plan_years=years,
        dynamics=dynamics,
        size_indicator=size_indicator,
        **options,
    )


def demo_datasets() -> tuple[Dataset, ...]:
    """The shipped datasets ``coordeval demo`` assesses."""
    return DATASETS


def figures_available() -> bool:
    """True when the optional ``figures`` extra (matplotlib, shapely, pyshp) is installed."""
    from coordeval.io.geometry import require_figures_extra

    try:
        require_figures_extra()
    except ConfigError:
        return False
    return True


def figure_inputs(
    folder: str | Path | None,
    geometry: str | Path | None = None,
    key: str | None = None,
    coords: str | Path | None = None,
    map_credit: str | None = None,
) -> dict[str, Any]:
    """Check and read the map inputs before an assessment runs (so that a bad boundary file
    stops the run before any file is written); keyword arguments for ``draw_figures``.

    Raises
    ------
    ConfigError
        Map options without a figures folder, or the ``figures`` extra is missing.
    InputError
        Unreadable boundary or coordinate files (every problem listed).
    """
    given = [
        n
        for n, v in (
            ("--geometry", geometry),
            ("--geometry-key", key),
            ("--coords", coords),
            ("--map-credit", map_credit),
        )
        if v is not None
    ]
    if folder is None:
        if given:
            raise config_error("map_options_need_figures", options=", ".join(given))
        return {}
    from coordeval.io.geometry import read_boundaries, require_figures_extra
    from coordeval.io.side import read_coords

    require_figures_extra()
    return {
        "geometry": read_boundaries(geometry) if geometry is not None else None,
        "key": key,
        "coords": read_coords(coords) if coords is not None else None,
        "map_credit": map_credit,
    }


def run_demo_dataset(
    d: Dataset, out_dir: str | Path, figures: bool = True, lang: str = "zh"
) -> Path:
    """Assess one shipped dataset and write ``<out_dir>/<name>.xlsx`` in ``lang``; with
    ``figures`` (and the extra installed) also its figures into ``<out_dir>/<name>_figures/``,
    drawn on the dataset's shipped map or coordinates when it has them; the coordinates also
    feed the spatial analyses (weights from the coordinates, default options), and the key
    figures go into the report's 图表 sheet."""
    out = Path(out_dir) / f"{d.name}.xlsx"
    path = Path(str(d.path()))
    if d.kind == "targets":
        from coordeval.report.targets import write_targets_report

        return write_targets_report(path, d.system, out, lang=lang)
    from coordeval._resources import shipped

    coords = Path(str(shipped("data") / d.coords)) if d.coords else None
    analysis = {"extended": extended_options(coords)} if coords is not None else None
    a, _ = assess_file(path, d.system, missing=d.missing, analysis=analysis)
    drawn = None
    if figures and figures_available():
        kw: dict[str, Any] = {"map_credit": d.map_credit, "coords": coords}
        if d.geometry:
            kw["geometry"] = Path(str(shipped("data") / d.geometry))
        drawn = a.figures(
            Path(out_dir) / f"{d.name}_figures", lang="en" if lang == "en" else "zh", **kw
        )
    return a.to_excel(out, lang=lang, figures=drawn)


def monitor(
    scores_dir: str | Path,
    out: str | Path,
    *,
    model: str | Path | CoordinationModel | None = None,
    lang: str = "both",
) -> tuple[Path, Any]:
    """Monitoring report of a scores history: ``SCORES_DIR/scores.csv`` (or that file) →
    ``out`` (.xlsx). Reads only the history and, when given, the model (whose hash the
    history must carry; it also names the subsystems). Returns the path and the
    :class:`~coordeval.analysis.monitor.Monitoring`."""
    from coordeval.analysis.monitor import monitor_history
    from coordeval.batch import read_scores
    from coordeval.io.scores import SCORES_FILE
    from coordeval.model import load_model
    from coordeval.report.monitor import write_monitor_report

    src = Path(scores_dir)
    csv = src / SCORES_FILE if src.is_dir() else src
    if not csv.is_file():
        raise config_error("no_scores_history", path=str(csv))
    fitted = load_model(model) if isinstance(model, str | Path) else model
    history = read_scores(csv, fitted)
    if history.empty:
        raise config_error("scores_history_empty", path=str(csv))
    names = None
    subsystems = None
    if fitted is not None:
        subsystems = fitted.system_.subsystem_ids
        names = {s.id: (s.name_zh, s.name_en) for s in fitted.system_.subsystems}
    m = monitor_history(history, subsystems=subsystems, names=names)
    digests = sorted(set(history["model_sha256"]))
    meta = {
        "scores history": str(csv),
        "model_sha256": ", ".join(digests),
        "years": f"{history['year'].min()}–{history['year'].max()}",
    }
    return write_monitor_report(m, out, names=names, lang=lang, meta=meta), m


#: The monitoring demo: Munnell fitted on these years, the later years scored one file each.
DEMO_FIT_YEARS = (1970, 1980)


def run_demo_monitoring(out_dir: str | Path) -> Path:
    """Yearly monitoring demo on the shipped Munnell panel.

    Fits a model on 1970–1980 (``<out_dir>/munnell_monitoring/model.json``), writes each
    later year as its own data file (``years/munnell_<year>.csv``), scores them one file at
    a time into the history ``scores/scores.csv`` (as a planning office does year after
    year), and writes the monitoring report ``<out_dir>/munnell_monitoring.xlsx``.
    """
    from coordeval.batch import score_files
    from coordeval.datasets import get_dataset

    d = get_dataset("munnell")
    base = Path(out_dir) / "munnell_monitoring"
    years_dir = base / "years"
    years_dir.mkdir(parents=True, exist_ok=True)
    system = load_system(d.system)
    v = read_validated(Path(str(d.path())), system, d.missing)
    panel = v.panel
    years = panel.index.get_level_values("year")
    lo, hi = DEMO_FIT_YEARS
    model = CoordinationModel(system).fit(panel[(years >= lo) & (years <= hi)])
    model_path = model.save(base / "model.json")
    history = base / "scores"
    scores_csv = history / "scores.csv"
    if scores_csv.exists():
        scores_csv.unlink()  # the demo rebuilds its history from scratch
    for year in sorted(set(years[years > hi])):
        path = years_dir / f"munnell_{year}.csv"
        panel[years == year].reset_index().to_csv(path, index=False, encoding="utf-8")
        result = score_files(path, model, history, jobs=1)
        if result.exit_code:
            raise config_error("demo_scoring_failed", path=str(path), failed=str(result.failed))
    out, _ = monitor(history, Path(out_dir) / "munnell_monitoring.xlsx", model=model_path)
    return out
