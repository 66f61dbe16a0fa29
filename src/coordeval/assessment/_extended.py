"""The extended analyses of an assessment (spatial weights and autocorrelation, Markov chains,
GeoDetector, centre of gravity, forecast, size structure): one small function each, run when
:class:`~coordeval.analysis.extended.ExtendedOptions` and their inputs are given."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import pandas as pd

from coordeval.analysis._problems import coded
from coordeval.assessment._draft import Draft, NotApplicable, attempt
from coordeval.errors import InputError

if TYPE_CHECKING:
    from coordeval.analysis.extended import ExtendedOptions
    from coordeval.analysis.spatial import SpatialWeights

__all__ = ["run_extended"]


#: Chinese names of the indicator options (for the problem messages).
_OPTION_ZH = {
    "weights indicator": "权重指标",
    "size indicator": "规模指标",
    "economy indicator": "经济指标",
}


def check_options(d: Draft, o: ExtendedOptions) -> None:
    """Refuse options the data cannot serve: cities without coordinates, unknown indicators,
    weights without what they are built from (every problem at once)."""
    if o.coords is not None:
        cities = d.scores.index.get_level_values("city").unique()
        lacking = [c for c in cities if c not in o.coords.index]
        if lacking:
            raise InputError(
                [
                    coded("city_without_coordinates", {"city": str(c)}, value=str(c))
                    for c in lacking
                ],
                "the coordinates table does not cover every city",
            )
    named = {
        "weights indicator": o.weights_indicator,
        "size indicator": o.size_indicator,
        "economy indicator": o.economy_indicator,
    }
    unknown = [
        coded(
            "unknown_option_indicator",
            {"what": what, "what_zh": _OPTION_ZH[what], "indicator": ind},
        )
        for what, ind in named.items()
        if ind is not None and ind not in d.data.columns
    ]
    if o.weights in ("economic", "geo-economic") and o.weights_indicator is None:
        unknown.append(coded("extended_weights_need_indicator", {"weights": o.weights}))
    if o.weights == "geo-economic" and o.coords is None:
        unknown.append(coded("weights_need_coordinates"))
    if o.weights in ("queen", "rook") and o.geometry is None:
        unknown.append(coded("weights_need_polygons", {"weights": o.weights}))
    if unknown:
        raise InputError(unknown, "the extended analyses cannot run as asked")


class _Extended:
    """The extended analyses over one draft; ``W`` is set by the spatial weights step."""

    def __init__(self, d: Draft, o: ExtendedOptions) -> None:
        self.d, self.o = d, o
        self.V = d.variables()
        self.D = self.V["D"] if "D" in self.V else None
        self.cities = list(self.V.index.get_level_values("city").unique())
        self.W: SpatialWeights | None = None

    def _needs_d(self, why: str = "D was not computed") -> pd.Series:
        if self.D is None:
            raise NotApplicable(why)
        return self.D

    def weights(self, d: Draft) -> None:
        from coordeval.analysis import spatial

        o, cities, side = self.o, self.cities, d.inputs
        if o.weights in ("economic", "geo-economic"):
            x = d.data[o.weights_indicator].groupby(level="city").mean()
            econ = spatial.economic_weights(x, cities=cities, row_standardize=o.row_standardize)
            if o.weights == "economic":
                W = econ
            else:
                geo = spatial.weights_from_coords(
                    o.coords, "idw", power=o.power, threshold_km=o.threshold_km, cities=cities
                )
                W = spatial.geo_economic_weights(
                    geo, econ, o.phi, row_standardize=o.row_standardize
                )
        elif o.weights in ("queen", "rook"):
            W = spatial.weights_from_geometry(
                o.geometry,
                cities,
                o.weights,  # type: ignore[arg-type]
                key=o.geometry_key,
                row_standardize=o.row_standardize,
            )
        elif o.coords is not None:
            W = spatial.weights_from_coords(
                o.coords,
                o.weights,  # type: ignore[arg-type]
                k=o.k,
                power=o.power,
                threshold_km=o.threshold_km,
                row_standardize=o.row_standardize,
                cities=cities,
            )
        elif side.spatial_weights is not None:
            W = spatial.weights_from_table(
                side.spatial_weights,
                side.spatial_kind or "weights",  # type: ignore[arg-type]
                power=o.power,
                row_standardize=o.row_standardize,
                cities=cities,
            )
        else:
            raise NotApplicable("no coordinates or spatial weights given")
        self.W = W
        d.put("spatial_weights", W.summary())
        d.put("spatial_weights_matrix", W.W)

    def autocorrelation(self, d: Draft) -> None:
        from coordeval.analysis import spatial

        if self.W is None:
            raise NotApplicable("no spatial weights")
        W, V, o = self.W, self.V, self.o
        d.put("moran", spatial.moran_by_year(V, W, permutations=o.permutations, seed=o.seed))
        d.put("lisa", spatial.lisa_by_year(V, W, permutations=o.permutations, seed=o.seed))
        d.put("hotspots", spatial.hotspots_by_year(V, W))
        d.note(
            "spatial autocorrelation",
            "spatial_autocorrelation",
            method=W.method,
            row_standardized=bool(W.row_standardized),
            permutations=o.permutations,
            seed=o.seed,
        )

    def markov(self, d: Draft) -> None:
        from coordeval.analysis import dynamics
        from coordeval.conventions import GRADE_SCHEMES

        o = self.o
        D = self._needs_d("the Markov chains classify D, which was not computed")
        if not (o.dynamics or self.W is not None):
            raise NotApplicable("Markov chains run with coordinates/weights or when asked")
        if D.index.get_level_values("year").nunique() < 2:
            raise NotApplicable("Markov chains need at least two years")
        if o.markov_classes == "grades":
            scheme = GRADE_SCHEMES[d.conventions["grades"]]
            x = d.tables["coupling"]["grade"].astype(float)
            names = list(scheme.names_zh)
            res = dynamics.markov_chain(x, classes="given", labels=names)
            # the report shows the grade names in its language
            d.meta["markov_class_names"] = dict(zip(names, scheme.names_en, strict=True))
            how = "grades"
        elif o.markov_cutoffs is not None:
            res = dynamics.markov_chain(D, classes=list(o.markov_cutoffs))
            how = "cutoffs"
        else:
            res = dynamics.markov_chain(D, classes="quantile", k=o.markov_k, pooled=o.markov_pooled)
            how = "quantile"
        for key in ("classes", "counts", "probabilities", "steady_state", "first_passage", "moves"):
            d.put(f"markov_{key}", getattr(res, key))
        d.put("markov_notes", pd.DataFrame(res.notes, columns=["note_zh", "note_en"]))
        if self.W is not None:
            sm = dynamics.spatial_markov(D, self.W, classes="quantile", k=o.markov_k)
            d.put("spatial_markov_probabilities", sm.probabilities)
            d.put("spatial_markov_homogeneity", sm.homogeneity)
            d.put("spatial_markov_lag_classes", sm.lag_classes)
            d.put("spatial_markov_steady_state", sm.steady_state)
            d.put("spatial_markov_notes", pd.DataFrame(sm.notes, columns=["note_zh", "note_en"]))
        d.note(
            "Markov chains",
            "markov",
            how=how,
            classes=o.markov_classes,
            cutoffs=list(o.markov_cutoffs or []),
            k=o.markov_k,
            pooled=bool(o.markov_pooled),
        )

    def geodetector(self, d: Draft) -> None:
        from coordeval.analysis.geodetector import geodetector

        if d.inputs.factors is None or not self.o.geodetector:
            raise NotApplicable("no influencing factors given")
        res = geodetector(
            self._needs_d("GeoDetector explains D, which was not computed"), d.inputs.factors
        )
        for key in ("factor", "discretization", "interaction", "risk", "risk_means", "ecological"):
            d.put(f"geodetector_{key}", getattr(res, key))
        d.note("GeoDetector", "geodetector")

    def centre(self, d: Draft) -> None:
        from coordeval.analysis.centrography import centre_of_gravity

        o = self.o
        if o.coords is None:
            raise NotApplicable("no coordinates given")
        D = self._needs_d()
        d.put("centre_of_gravity", centre_of_gravity(D, o.coords, correction=o.ellipse_correction))
        d.note("centre of gravity", "centre_of_gravity", correction=o.ellipse_correction)

    def forecast(self, d: Draft) -> None:
        from coordeval.analysis import forecast

        if self.o.plan_years is None:
            raise NotApplicable("no plan years given")
        D = self._needs_d()
        d.put("forecast", forecast.forecast_panel(D, self.o.plan_years))
        means = self.V.groupby(level="year").mean()
        if len(means) >= 2:
            subsystems = means.drop(columns=[c for c in ("D", "composite") if c in means])
            d.put("grey_relational", forecast.grey_relational(means["D"], subsystems))
        d.note("forecast", "forecast")

    def structure(self, d: Draft) -> None:
        from coordeval.analysis import structure

        o = self.o
        if o.size_indicator is None:
            raise NotApplicable("no size indicator named")
        size = d.data[o.size_indicator]
        d.put("size_structure", structure.size_structure(size))
        if o.coords is not None and o.economy_indicator in d.data.columns:
            last = size.index.get_level_values("year").max()
            P = size.xs(last, level="year")
            G = d.data[o.economy_indicator].xs(last, level="year")
            for key, t in structure.gravity_network(P, G, o.coords).items():
                d.put(f"gravity_{key}", t)
        d.note("size structure", "size_structure", indicator=o.size_indicator)


def run_extended(d: Draft, options: ExtendedOptions) -> None:
    """Add the extended analyses that apply (reasons for the others in ``d.skipped``).

    Tables: ``spatial_weights``, ``moran``, ``lisa``, ``hotspots``, ``markov_*``,
    ``spatial_markov_*``, ``geodetector_*``, ``centre_of_gravity``, ``forecast``,
    ``size_structure``, ``gravity_*``.
    """
    check_options(d, options)
    x = _Extended(d, options)
    steps: tuple[tuple[str, Callable[[Draft], None]], ...] = (
        ("spatial weights", x.weights),
        ("spatial autocorrelation", x.autocorrelation),
        ("Markov chains", x.markov),
        ("GeoDetector", x.geodetector),
        ("centre of gravity", x.centre),
        ("forecast", x.forecast),
        ("size structure", x.structure),
    )
    for name, fn in steps:
        attempt(d, name, fn)
