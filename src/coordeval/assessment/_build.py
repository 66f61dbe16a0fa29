"""Build an assessment: one scoring pass of the panel with the fitted model, then the
registry of analyses (:data:`~coordeval.assessment._analyses.ANALYSES`, and the extended
ones when asked), then the frozen :class:`~coordeval.assessment.Assessment`."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pandas as pd

from coordeval._version import __version__
from coordeval.analysis._problems import coded
from coordeval.assessment._analyses import ANALYSES
from coordeval.assessment._draft import Draft, Inputs, attempt
from coordeval.assessment._result import Assessment
from coordeval.errors import InputError, Problem

if TYPE_CHECKING:
    from coordeval.model import CoordinationModel

__all__ = ["build_assessment", "weights_table"]


def weights_table(model: CoordinationModel) -> pd.DataFrame:
    """Indicator weights with e, d (entropy) and the three weight levels."""
    system = model.system_
    rows = pd.DataFrame(
        {
            "subsystem": [system.membership[i] for i in system.indicator_ids],
            "name_zh": [i.name_zh for i in system.indicators],
            "name_en": [i.name_en for i in system.indicators],
            "unit": [i.unit for i in system.indicators],
            "direction": [i.direction for i in system.indicators],
        },
        index=pd.Index(system.indicator_ids, name="indicator"),
    )
    if model.entropy_ is not None:
        rows = rows.join(model.entropy_)
    rows["within_weight"] = model.within_weights_
    rows["subsystem_weight"] = rows["subsystem"].map(model.subsystem_weights_)
    rows["weight"] = model.weights_
    rows["lo"] = model.lo_
    rows["hi"] = model.hi_
    rows["bounds_source"] = model.bounds_source_
    return rows


def _ensure_panel_index(panel: pd.DataFrame) -> pd.DataFrame:
    if isinstance(panel.index, pd.MultiIndex) and list(panel.index.names[:2]) == ["city", "year"]:
        return panel
    raise ValueError("assess needs a panel indexed by (city, year); use coordeval.read_panel")


def _check_side_tables(panel: pd.DataFrame, side: dict[str, Any]) -> None:
    from coordeval.io.side import check_side_cities

    mismatch = check_side_cities(
        {k: v for k, v in side.items() if isinstance(v, pd.Series | pd.DataFrame)},
        panel.index.get_level_values("city").unique(),
    )
    if mismatch:
        raise InputError(mismatch, "the side tables do not match the data's cities")


def _new_cities(model: CoordinationModel, panel: pd.DataFrame) -> list[Problem]:
    """A warning naming the cities assessed on the frozen scale that the model never saw."""
    if not model.cities_ or model.is_fit_data(panel.index):
        return []
    known = set(model.cities_)
    new = [str(c) for c in panel.index.get_level_values("city").unique() if str(c) not in known]
    if not new:
        return []
    return [
        coded("cities_not_in_fit", {"n": len(new), "cities": ", ".join(new)}, severity="warning")
    ]


def _run_info(
    model: CoordinationModel, panel: pd.DataFrame, inputs: Inputs, meta: dict[str, Any] | None
) -> dict[str, Any]:
    system = model.system_
    years = panel.index.get_level_values("year")
    info: dict[str, Any] = {
        "coordeval_version": __version__,
        "system_name": system.name,
        "system_sha256": system.sha256,
        "fit_cities": len(model.cities_),
        "fit_years": f"{min(model.years_)}–{max(model.years_)}" if model.years_ else "",
        "fit_observations": model.n_obs_,
        "assessed_years": f"{years.min()}–{years.max()}",
        "assessed_cities": panel.index.get_level_values("city").nunique(),
    }
    if inputs.groups is not None:  # page 1 compares the groups
        info["groups"] = {str(k): str(v) for k, v in pd.Series(inputs.groups).items()}
    if inputs.spatial_weights is not None:  # the spillover caveat depends on it
        info["spatial_weights"] = "user"
    info.update(meta or {})
    return info


def build_assessment(
    model: CoordinationModel,
    panel: pd.DataFrame,
    *,
    problems: list[Problem] | None = None,
    meta: dict[str, Any] | None = None,
    groups: Any = None,
    targets: pd.DataFrame | None = None,
    spatial_weights: pd.DataFrame | None = None,
    spatial_kind: str | None = None,
    factors: pd.DataFrame | None = None,
    robustness_draws: int = 1000,
    seed: int = 0,
    population: Any = None,
    extended: Any = None,
) -> Assessment:
    """Score ``panel`` with a fitted model and run every analysis that applies.

    Parameters
    ----------
    model : CoordinationModel
        A fitted model.
    panel : DataFrame
        Indexed by (``city``, ``year``), one column per indicator id.
    problems : list of Problem, optional
        Problems found when reading the data (kept in the report).
    meta : dict, optional
        Extra run metadata (data file, hash, …).
    groups : mapping or Series, optional
        City → group label for the inequality decompositions.
    targets : DataFrame, optional
        Plan targets (see :func:`coordeval.analysis.targets.read_targets`).
    spatial_weights : DataFrame, optional
        City × city distance or adjacency table for the cross-city spillover relation.
    spatial_kind : {"weights", "distance"}, optional
        How to read ``spatial_weights``; may be omitted for a 0/1 adjacency table.
    factors : DataFrame, optional
        Influencing factors indexed by (``city``, ``year``), one numeric column each: D is
        regressed on them (OLS with city fixed effects and clustered SE, and a two-limit
        Tobit on [0, 1]); rows without factors are dropped with a warning.
    robustness_draws : int
        Monte Carlo draws for the weight-robustness analysis (0 skips it).
    seed : int
        Seed of the Monte Carlo draws.
    population : mapping or Series, optional
        Population (or other) weight by city, or a Series by (``city``, ``year``): Gini,
        Theil and the Dagum decomposition are then population-weighted.
    extended : ExtendedOptions, optional
        Coordinates and options of the spatial, Markov, GeoDetector, centre-of-gravity,
        forecast and size-structure analyses
        (:class:`coordeval.analysis.extended.ExtendedOptions`).

    Returns
    -------
    Assessment
        Frozen: its tables, notes and skipped analyses cannot be changed afterwards.

    Raises
    ------
    InputError
        Side tables (``groups``, ``spatial_weights``, ``factors``) given as pandas objects must
        list exactly the panel's cities: an unknown or a missing city is named (with its cell
        when the table was read by :mod:`coordeval.io.side`) before anything is computed; the
        extended options are checked the same way.
    """
    panel = _ensure_panel_index(panel)
    inputs = Inputs(
        groups=groups,
        targets=targets,
        spatial_weights=spatial_weights,
        spatial_kind=spatial_kind,
        factors=factors,
        robustness_draws=robustness_draws,
        seed=seed,
        population=population,
        extended=extended,
    )
    _check_side_tables(
        panel, {"groups": groups, "spatial_weights": spatial_weights, "factors": factors}
    )
    s = model.score_panel(panel)  # one pass: z′, U, composite, out-of-range flags
    scores = s.scores.drop(columns="composite")
    d = Draft(
        model=model,
        system=model.system_,
        conventions=dict(model.params_),
        data=panel,
        normalized=s.normalized,
        scores=scores,
        composite=s.composite,
        meta=_run_info(model, panel, inputs, meta),
        inputs=inputs,
    )
    for name, fn in ANALYSES:
        attempt(d, name, fn)
    if extended is not None:
        from coordeval.assessment._extended import run_extended

        run_extended(d, extended)
    return Assessment(
        system=d.system,
        meta=d.meta,
        conventions=d.conventions,
        data=panel,
        problems=[*(problems or []), *s.problems, *_new_cities(model, panel)],
        normalized=s.normalized,
        weights=weights_table(model),
        subsystem_weights=model.subsystem_weights_,
        scores=scores,
        composite=s.composite,
        out_of_range=s.out_of_range,
        tables=d.tables,
        skipped=d.skipped,
        notes=tuple(d.notes),
    )
