"""Options of the extended analyses of an assessment: spatial weights and autocorrelation,
Markov chains, GeoDetector, centre of gravity, forecast and size structure.

Each analysis is a public function usable on plain DataFrames (see the modules named in
:class:`ExtendedOptions`); :mod:`coordeval.assessment` runs those that apply.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

__all__ = ["ExtendedOptions"]


@dataclass
class ExtendedOptions:
    """What the extended analyses need and how to run them (all optional).

    Attributes
    ----------
    coords : DataFrame, optional
        City ``lon``/``lat`` (degrees): enables spatial weights, autocorrelation, spatial
        Markov, centre of gravity and the gravity network.
    weights : {"knn", "idw", "band", "economic", "geo-economic", "queen", "rook"}
        How to build W: from ``coords`` (kNN, inverse distance, distance band), from the
        polygons of ``geometry`` (queen or rook contiguity), from the
        city means of ``weights_indicator`` (economic distance 1/|x_i − x_j|), or the nested
        φ·W_idw + (1 − φ)·W_economic. A user table given as ``spatial_weights`` to the
        assessment is used when there are no coordinates and no economic weights.
    geometry : Boundaries, optional
        City polygons (:func:`coordeval.io.geometry.read_boundaries`) for queen/rook weights,
        joined to the cities by the attribute ``geometry_key`` (default: the best match).
    weights_indicator : str, optional
        Indicator id of the economic distance (e.g. per-capita GDP); its mean over the years.
    phi : float
        Share of the geographic matrix in the nested geo-economic weights.
    k, power, threshold_km, row_standardize
        Parameters of :func:`coordeval.analysis.spatial.weights_from_coords`.
    permutations, seed
        Permutation inference of Moran/Geary/LISA.
    markov_classes : {"quantile", "grades"}
        Classes of D for the Markov chains; ``markov_k`` quantile classes, pooled over all
        years (``markov_pooled``) or per year; ``markov_cutoffs`` (upper bounds of the lower
        classes) override both.
    plan_years : sequence of int, optional
        Forecast D (GM(1,1), ARIMA/ETS) to these years.
    size_indicator, economy_indicator : str, optional
        Indicator ids for the size structure (primacy, rank-size, HHI) and the gravity
        network (R_ij from √(P·G)); the last year is used for the network.
    geodetector : bool
        Run GeoDetector on the influencing factors when they are given.
    ellipse_correction : {"crimestat", "arcgis", "yuill"}
    """

    coords: pd.DataFrame | None = None
    weights: str = "knn"
    k: int = 4
    power: float = 1.0
    threshold_km: float | None = None
    row_standardize: bool = True
    permutations: int = 999
    seed: int = 0
    markov_classes: str = "quantile"
    markov_k: int = 4
    markov_pooled: bool = True
    markov_cutoffs: Sequence[float] | None = None
    weights_indicator: str | None = None
    phi: float = 0.5
    plan_years: Sequence[int] | None = None
    size_indicator: str | None = None
    economy_indicator: str | None = None
    geodetector: bool = True
    ellipse_correction: str = "crimestat"
    dynamics: bool = field(default=False)
    geometry: Any = None
    geometry_key: str | None = None
