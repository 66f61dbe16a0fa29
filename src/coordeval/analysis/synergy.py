"""The four synergy relations of a city cluster (协同关系).

The seed framework (刘波、邓玲 2021) describes a city cluster's synergy through four relations
between its cities and seven subsystems:

1. 城内同质 — within a city, within one subsystem: do the subsystem's indicators pull together?
2. 城内异质 — within a city, across subsystems: coupling coordination of the subsystem scores.
3. 城际同质 — across cities, the same subsystem: how equal are the cities, are they converging?
4. 城际异质 — across cities, across subsystems: does one city's subsystem l move with its
   neighbours' subsystem k?

The framework names the relations but gives no formulas; the measures below are coordeval's own
operationalisations, stated in every function's Notes so that a report can quote them.

Panels are pandas objects indexed by a ``(city, year)`` MultiIndex: ``Z`` holds normalised
indicator values in [0, 1] (columns = indicator ids), ``U`` subsystem scores (columns =
subsystem ids), ``membership`` maps indicator id → subsystem id.
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from coordeval.analysis._problems import coded
from coordeval.analysis._relations import (
    RELATIONS,
    _panel_index,
    inter_homogeneity,
    intra_heterogeneity,
    intra_homogeneity,
)
from coordeval.analysis._spillover import (
    MIN_CLUSTERS,
    WeightKind,
    inter_heterogeneity,
    spatial_lag,
    spatial_weights,
    spillover_arrays,
)
from coordeval.errors import InputError

__all__ = [
    "MIN_CLUSTERS",
    "RELATIONS",
    "WeightKind",
    "inter_heterogeneity",
    "inter_homogeneity",
    "intra_heterogeneity",
    "intra_homogeneity",
    "spatial_lag",
    "spatial_weights",
    "spillover_arrays",
    "synergy_relations",
]


def synergy_relations(
    Z: pd.DataFrame,
    U: pd.DataFrame,
    membership: Mapping[str, str] | pd.Series,
    W: pd.DataFrame | None = None,
    *,
    w_kind: WeightKind | None = None,
    within_model: str = "wang2021",
    across_model: str = "classic",
    subsystem_weights: Mapping[str, float] | pd.Series | None = None,
    time_effects: bool = False,
) -> dict[str, pd.DataFrame]:
    """The four synergy relations of a city cluster in one call.

    Parameters
    ----------
    Z : pandas.DataFrame
        Normalised indicator values in [0, 1], indexed by ``(city, year)``.
    U : pandas.DataFrame
        Subsystem scores in [0, 1] on the same index.
    membership : mapping or pandas.Series
        Indicator id → subsystem id.
    W : pandas.DataFrame, optional
        City × city adjacency/weight or distance table for relation 4 (uniform if omitted).
    w_kind : {"weights", "distance"}, optional
        How to read ``W`` (see :func:`inter_heterogeneity`).
    within_model : str, default "wang2021"
        Coupling model of relation 1.
    across_model : str, default "classic"
        Coupling model of relation 2.
    subsystem_weights : mapping or pandas.Series, optional
        Contribution coefficients of T in relation 2.
    time_effects : bool, default False
        Year fixed effects in relation 4.

    Returns
    -------
    dict of str → pandas.DataFrame
        ``"intra_homogeneity"`` (城内同质, :func:`intra_homogeneity`),
        ``"intra_heterogeneity"`` (城内异质, :func:`intra_heterogeneity`),
        ``"inter_homogeneity"`` (城际同质, :func:`inter_homogeneity`),
        ``"inter_heterogeneity"`` (城际异质, :func:`inter_heterogeneity`).
        :data:`RELATIONS` gives their Chinese names.

    Raises
    ------
    InputError
        ``Z`` and ``U`` on different rows, or any error of the four functions.

    Notes
    -----
    The four relations are named in the seed framework; the measures are coordeval's own
    operationalisations (see each function).

    References
    ----------
    刘波, 邓玲 (2021). 双循环新格局下成渝贵城市群协同发展影响因素与实现路径研究.
    """
    if not isinstance(Z, pd.DataFrame) or not isinstance(U, pd.DataFrame):
        raise InputError([coded("z_u_not_frames")])
    _panel_index(U, "U")
    if not Z.index.sort_values().equals(U.index.sort_values()):
        raise InputError([coded("z_u_rows_differ")])
    return {
        "intra_homogeneity": intra_homogeneity(Z, membership, model=within_model),
        "intra_heterogeneity": intra_heterogeneity(
            U, model=across_model, weights=subsystem_weights
        ),
        "inter_homogeneity": inter_homogeneity(U),
        "inter_heterogeneity": inter_heterogeneity(U, W, w_kind, time_effects=time_effects),
    }
