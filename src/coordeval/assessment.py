"""Assessment: the results object of one run (tables and metadata), and the code that fills it.

:func:`build_assessment` scores a panel with a fitted model and runs each analysis; an
analysis that does not apply to the data (e.g. convergence on a single year) is recorded in
``Assessment.skipped`` with the reason rather than silently left out. The Assessment holds
tables only; :meth:`Assessment.to_excel` hands it to :mod:`coordeval.report`.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from coordeval._version import __version__
from coordeval.errors import DataWarning, InputError, Problem

if TYPE_CHECKING:
    from coordeval.model import CoordinationModel
    from coordeval.system import IndicatorSystem


@dataclass
class Assessment:
    """Everything one assessment produced.

    Attributes
    ----------
    system : IndicatorSystem
        The indicator system used.
    meta : dict
        Run metadata: coordeval version, data file and SHA-256, system name and SHA-256, fit
        period, preset and every convention.
    conventions : dict
        The model's effective conventions (normalisation, shift, entropy constant, …).
    data : DataFrame
        The panel as read (index ``city, year``; one column per indicator id).
    problems : list of Problem
        Every data problem, warning and parsed qualifier.
    normalized : DataFrame
        z′ per city-year and indicator.
    weights : DataFrame
        Per indicator: subsystem, names, e, d, within-subsystem weight, subsystem weight and
        global weight.
    subsystem_weights : Series
        Weight of each subsystem.
    scores : DataFrame
        Subsystem scores U per city-year.
    composite : DataFrame
        TOPSIS composite: d_plus, d_minus, closeness, rank (within year).
    out_of_range : DataFrame
        Values outside the fitted bounds (empty when none).
    tables : dict of str to DataFrame
        Further analysis tables by name (coupling, obstacles, inequality, …).
    skipped : dict of str to str
        Analyses not run, with the reason.
    notes : list of (str, str, str)
        Method descriptions ``(topic, 中文, English)`` of the analyses that ran.
    """

    system: IndicatorSystem
    meta: dict[str, Any]
    conventions: dict[str, Any]
    data: pd.DataFrame
    problems: list[Problem]
    normalized: pd.DataFrame
    weights: pd.DataFrame
    subsystem_weights: pd.Series
    scores: pd.DataFrame
    composite: pd.DataFrame
    out_of_range: pd.DataFrame
    tables: dict[str, pd.DataFrame] = field(default_factory=dict)
    skipped: dict[str, str] = field(default_factory=dict)
    notes: list[tuple[str, str, str]] = field(default_factory=list)

    @property
    def is_panel(self) -> bool:
        """True when the data hold more than one year."""
        return self.data.index.get_level_values("year").nunique() > 1

    def to_frames(self) -> dict[str, pd.DataFrame]:
        """All tables as tidy DataFrames keyed by name (for use without Excel)."""
        frames = {
            "data": self.data,
            "normalized": self.normalized,
            "weights": self.weights,
            "subsystem_weights": self.subsystem_weights.to_frame(),
            "scores": self.scores,
            "composite": self.composite,
            "out_of_range": self.out_of_range,
            "problems": problems_frame(self.problems),
        }
        frames.update(self.tables)
        return frames

    def to_excel(
        self, path: str | Path, lang: str = "zh", max_rows: int | None = None, **layout: Any
    ) -> Path:
        """Write the assessment report workbook (atomically).

        Parameters
        ----------
        path : str or Path
            The ``.xlsx`` file to write; earlier files are replaced only on success.
        lang : {"zh", "en", "both"}
            Language of every sheet name, title, label, chart, finding and message.
        max_rows : int, optional
            Tables longer than this go to CSV files (UTF-8 with BOM) named
            ``<stem>_<table>.csv`` beside the workbook; default
            :data:`coordeval.report.workbook.MAX_SHEET_ROWS`.
        **layout
            ``title`` (page 1), ``city_order`` (row order), ``names_en`` (English city
            names), ``figures`` (figure name → PNG from :meth:`figures`: the key figures on
            a sheet 图表/Figures): see :func:`coordeval.report.workbook.build_workbook`.
        """
        from coordeval.report.workbook import MAX_SHEET_ROWS, write_report

        return write_report(self, path, lang=lang, max_rows=max_rows or MAX_SHEET_ROWS, **layout)

    def figures(
        self,
        dir: str | Path,
        formats: tuple[str, ...] = ("png", "svg"),
        dpi: int = 300,
        geometry: Any = None,
        coords: Any = None,
        map_credit: str | None = None,
        lang: str = "zh",
    ) -> dict[str, Path]:
        """Draw the figures of the assessment into ``dir`` (optional extra ``figures``).

        One file per figure and format with a stable name, and the table behind each figure
        as CSV; see :func:`coordeval.report.figures.draw_figures` for the parameters.

        Returns
        -------
        dict of str to Path
            Figure name → file in the first of ``formats``.
        """
        from coordeval.report.figures import draw_figures

        return draw_figures(
            self,
            dir,
            formats=formats,
            dpi=dpi,
            geometry=geometry,
            coords=coords,
            map_credit=map_credit,
            lang=lang,
        )


def problems_frame(problems: list[Problem]) -> pd.DataFrame:
    """Problems as a table with columns severity, file, sheet, cell, column, value, message."""
    cols = ["severity", "file", "sheet", "cell", "column", "value", "message"]
    return pd.DataFrame([[getattr(p, c) for c in cols] for p in problems], columns=cols)


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

    Side tables (``groups``, ``spatial_weights``, ``factors``) given as pandas objects must
    list exactly the panel's cities: an unknown or a missing city raises
    :class:`~coordeval.errors.InputError` naming each one (with its cell when the table was
    read by :mod:`coordeval.io.side`), before anything is computed.
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
    """
    panel = _ensure_panel_index(panel)
    from coordeval.io.side import check_side_cities

    side = {"groups": groups, "spatial_weights": spatial_weights, "factors": factors}
    mismatch = check_side_cities(
        {k: v for k, v in side.items() if isinstance(v, pd.Series | pd.DataFrame)},
        panel.index.get_level_values("city").unique(),
    )
    if mismatch:
        raise InputError(mismatch, "the side tables do not match the data's cities")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DataWarning)  # listed below, cell by cell
        normalized = model.normalized(panel)
        composite = model.composite_table(panel)
    scores = pd.DataFrame(
        model._scores(normalized.to_numpy()),
        index=panel.index,
        columns=model.get_feature_names_out(),
    )
    flags = model.flag_out_of_range(panel)
    problems = list(problems or [])
    problems += [
        Problem(
            f"{r.row[0]} {r.row[1]}: value {r.value:g} is {r.side} the fitted range "
            f"[{r.lo:g}, {r.hi:g}] (out_of_range={model.params_['out_of_range']!r})",
            column=r.indicator,
            severity="warning",
            code="out_of_range",
            params={
                "city": r.row[0],
                "year": r.row[1],
                "value": r.value,
                "side": r.side,
                "lo": r.lo,
                "hi": r.hi,
                "policy": model.params_["out_of_range"],
            },
        )
        for r in flags.itertuples(index=False)
    ]
    system = model.system_
    years = panel.index.get_level_values("year")
    cities = panel.index.get_level_values("city").unique()
    if model.cities_ and not model.is_fit_data(panel.index):
        new = [str(c) for c in cities if str(c) not in set(model.cities_)]
        if new:
            problems.append(
                Problem(
                    f"{len(new)} city(ies) not in the fit data, assessed on the frozen scale "
                    f"(check the spelling if they should be): {', '.join(new)}",
                    severity="warning",
                )
            )
    info = {
        "coordeval_version": __version__,
        "system_name": system.name,
        "system_sha256": system.sha256,
        "fit_cities": len(model.cities_),
        "fit_years": f"{min(model.years_)}–{max(model.years_)}" if model.years_ else "",
        "fit_observations": model.n_obs_,
        "assessed_years": f"{years.min()}–{years.max()}",
        "assessed_cities": panel.index.get_level_values("city").nunique(),
    }
    if groups is not None:  # page 1 compares the groups
        info["groups"] = {str(k): str(v) for k, v in pd.Series(groups).items()}
    if spatial_weights is not None:  # the spillover caveat depends on it
        info["spatial_weights"] = "user"
    info.update(meta or {})
    a = Assessment(
        system=system,
        meta=info,
        conventions=dict(model.params_),
        data=panel,
        problems=problems,
        normalized=normalized,
        weights=weights_table(model),
        subsystem_weights=model.subsystem_weights_,
        scores=scores.drop(columns="composite"),
        composite=composite,
        out_of_range=flags,
    )
    from coordeval.analysis.run import run_analyses

    run_analyses(
        a,
        model,
        groups=groups,
        targets=targets,
        spatial_weights=spatial_weights,
        spatial_kind=spatial_kind,
        factors=factors,
        robustness_draws=robustness_draws,
        seed=seed,
        population=population,
    )
    if extended is not None:
        from coordeval.analysis.extended import run_extended

        run_extended(
            a, extended, spatial_weights=spatial_weights, spatial_kind=spatial_kind, factors=factors
        )
    return a
