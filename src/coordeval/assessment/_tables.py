"""The registry of assessment tables: every name an :class:`Assessment` may hold, declared once
with what it holds, and the read-only mapping that refuses any other name."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

import pandas as pd

__all__ = ["TABLES", "ReadOnly", "Tables", "check_table_name"]

#: Every table an assessment may hold, in the order the analyses make them: name → contents.
TABLES: dict[str, str] = {
    # coupling coordination (coordeval.analysis.coupling)
    "coupling": "C, T, D, grade, level, stage, relative development and lagging subsystems",
    "pairwise_coupling": "coupling coordination of every pair of subsystems",
    "obstacles": "obstacle degree per city-year and indicator",
    "subsystem_obstacles": "obstacle degree per city-year and subsystem (%)",
    "top_obstacles": "the five largest obstacles per city-year (%)",
    # inequality (coordeval.analysis.inequality)
    "inequality": "Gini, Theil / GE(α) and their decompositions per year and variable",
    "dagum_pairs": "Dagum decomposition by pair of groups per year and variable",
    "group_means": "mean of every score per group and year, with the number of cities",
    # convergence (coordeval.analysis.convergence)
    "sigma_convergence": "yearly SD and CV of every score, with the trend",
    "kernel_density": "Gaussian kernel density of the composite per year",
    "beta_convergence": "β convergence of the composite: coefficient, speed, half-life",
    # the four synergy relations (coordeval.analysis.synergy)
    "synergy_intra_homogeneity": "within-city homogeneous relation (with floor_zero marks)",
    "synergy_intra_heterogeneity": "within-city heterogeneous relation (D across subsystems)",
    "synergy_inter_homogeneity": "cross-city homogeneous relation (1 − Gini, σ)",
    "synergy_inter_heterogeneity": "cross-city heterogeneous relation (spillover matrix)",
    # robustness, targets, influencing factors
    "robustness": "rank range of every city-year under Dirichlet weight draws",
    "robustness_summary": "Spearman correlation and rank keeping over the draws",
    "targets": "attainment of the plan targets",
    "factors_ols": "OLS of D on the influencing factors",
    "factors_tobit": "two-limit Tobit of D on the influencing factors",
    # spatial weights and autocorrelation (coordeval.analysis.spatial)
    "spatial_weights": "summary of the spatial weights matrix W",
    "spatial_weights_matrix": "the spatial weights matrix W",
    "moran": "global Moran's I and Geary's C per year and variable",
    "lisa": "local Moran per city, year and variable",
    "hotspots": "Getis-Ord Gi* per city, year and variable",
    # Markov chains of D (coordeval.analysis.dynamics)
    "markov_classes": "the classes of D and their observations",
    "markov_counts": "transition counts between consecutive years",
    "markov_probabilities": "transition probabilities",
    "markov_steady_state": "steady-state distribution (ergodic chains)",
    "markov_first_passage": "mean first passage times (ergodic chains)",
    "markov_moves": "moves up, down and staying per class",
    "markov_notes": "remarks of the Markov chain (zh/en)",
    "spatial_markov_probabilities": "transition probabilities by neighbours' lag class",
    "spatial_markov_homogeneity": "homogeneity LR and Q tests of the spatial Markov chain",
    "spatial_markov_lag_classes": "the lag classes of the spatial Markov chain",
    "spatial_markov_steady_state": "steady states by neighbours' lag class",
    "spatial_markov_notes": "remarks of the spatial Markov chain (zh/en)",
    # GeoDetector (coordeval.analysis.geodetector)
    "geodetector_factor": "factor detector q and p",
    "geodetector_discretization": "discretisation chosen for every continuous factor",
    "geodetector_interaction": "interaction detector",
    "geodetector_risk": "risk detector (Welch t)",
    "geodetector_risk_means": "mean D per stratum",
    "geodetector_ecological": "ecological detector (F)",
    # centre of gravity, forecast, size structure
    "centre_of_gravity": "D-weighted centre per year, its shift and the deviational ellipse",
    "forecast": "GM(1,1) (and ARIMA/ETS) forecasts of D to the plan years",
    "grey_relational": "grey relational grades of the subsystem scores to D",
    "size_structure": "primacy, rank-size slope and HHI per year",
    "gravity_links": "gravity linkage of every pair of cities",
    "gravity_centrality": "gravity network centrality per city",
    "gravity_network": "size, links and density of the gravity network",
}


class ReadOnly(Mapping[str, Any]):
    """A read-only mapping (picklable, unlike :class:`types.MappingProxyType`)."""

    __slots__ = ("_data",)

    def __init__(self, data: Mapping[str, Any] | None = None) -> None:
        self._data = dict(data or {})

    def __getitem__(self, name: str) -> Any:
        return self._data[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self._data)

    def __len__(self) -> int:
        return len(self._data)

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self._data!r})"

    def __getstate__(self) -> dict[str, Any]:
        return self._data

    def __setstate__(self, state: dict[str, Any]) -> None:
        self._data = state


class Tables(ReadOnly):
    """Read-only mapping of an assessment's tables.

    Only names declared in :data:`TABLES` are accepted; looking up any other name raises a
    :class:`KeyError` that lists the declared ones, so a misspelt name fails at once instead
    of reading as "not computed". A declared table that was not computed is simply absent
    (``name in tables`` is false and ``tables.get(name)`` is ``None``).
    """

    __slots__ = ()

    def __init__(self, tables: Mapping[str, pd.DataFrame] | None = None) -> None:
        super().__init__(tables)
        for name in self._data:
            check_table_name(name)

    def __getitem__(self, name: str) -> pd.DataFrame:
        if name in self._data:
            return self._data[name]
        check_table_name(name)
        raise KeyError(f"table {name!r} was not computed in this assessment (see skipped)")

    def __contains__(self, name: object) -> bool:
        return name in self._data

    def __repr__(self) -> str:
        return f"Tables({', '.join(self._data)})"


def check_table_name(name: str) -> None:
    """Raise :class:`KeyError` naming the declared tables when ``name`` is not one of them."""
    if name not in TABLES:
        raise KeyError(
            f"{name!r} is not an assessment table; the declared tables are: {', '.join(TABLES)}"
        )
