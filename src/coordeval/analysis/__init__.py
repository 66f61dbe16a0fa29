"""Labelled analyses on tables of scores: coupling coordination and obstacles, inequality,
convergence, the four synergy relations, regression, robustness, plan targets, spatial
autocorrelation, dynamics (Markov chains), GeoDetector, centrography, forecasts, size
structure and yearly monitoring.

Each name below lives in the submodule given in :data:`_HOME` and is loaded on first use, so
that importing one analysis (or :mod:`coordeval`) does not load statsmodels or scipy's
heavier parts for all of them. A function named like its submodule (``geodetector``) is
reached through the submodule: ``coordeval.analysis.geodetector.geodetector``. The analyses
import kernels, conventions, errors, io (side tables) and each other, never the assessment or
the report.
"""

from __future__ import annotations

from coordeval._lazy import lazy_names

#: Public name → the submodule of :mod:`coordeval.analysis` that defines it.
_HOME: dict[str, str] = {
    "centre_of_gravity": "centrography",
    "BANDWIDTH_RULES": "convergence",
    "BetaResult": "convergence",
    "beta_convergence": "convergence",
    "bw_nrd": "convergence",
    "bw_nrd0": "convergence",
    "convergence_speed": "convergence",
    "kernel_density": "convergence",
    "sigma_convergence": "convergence",
    "coupling_coordination": "coupling",
    "intervalize": "coupling",
    "obstacle_degree": "obstacle",
    "pairwise_coupling": "coupling",
    "relative_development": "coupling",
    "subsystem_obstacle": "obstacle",
    "top_obstacles": "obstacle",
    "MarkovResult": "dynamics",
    "markov_chain": "dynamics",
    "spatial_markov": "dynamics",
    "ExtendedOptions": "extended",
    "MIN_GM_YEARS": "forecast",
    "MIN_TS_YEARS": "forecast",
    "forecast_panel": "forecast",
    "gm11_series": "forecast",
    "grey_relational": "forecast",
    "DISCRETIZATIONS": "geodetector",
    "GeoDetectorResult": "geodetector",
    "DagumResult": "inequality",
    "GroupsLike": "inequality",
    "NanPolicy": "inequality",
    "TheilResult": "inequality",
    "dagum_by_year": "inequality",
    "dagum_gini": "inequality",
    "gini": "inequality",
    "inequality_by_year": "inequality",
    "theil": "inequality",
    "LAG_THRESHOLD": "monitor",
    "Monitoring": "monitor",
    "monitor_history": "monitor",
    "RegressionResult": "regression",
    "Tobit": "regression",
    "factor_regression": "regression",
    "tobit": "regression",
    "RobustnessResult": "robustness",
    "dirichlet_weight_draws": "robustness",
    "weight_robustness": "robustness",
    "P_VALUE_CONVENTION": "spatial",
    "SpatialWeights": "spatial",
    "economic_weights": "spatial",
    "geary_by_year": "spatial",
    "geo_economic_weights": "spatial",
    "hotspots_by_year": "spatial",
    "lisa_by_year": "spatial",
    "moran_by_year": "spatial",
    "weights_from_coords": "spatial",
    "weights_from_geometry": "spatial",
    "weights_from_table": "spatial",
    "gravity_network": "structure",
    "size_structure": "structure",
    "MIN_CLUSTERS": "synergy",
    "RELATIONS": "synergy",
    "WeightKind": "synergy",
    "inter_heterogeneity": "synergy",
    "inter_homogeneity": "synergy",
    "intra_heterogeneity": "synergy",
    "intra_homogeneity": "synergy",
    "spatial_lag": "synergy",
    "spatial_weights": "synergy",
    "spillover_arrays": "synergy",
    "synergy_relations": "synergy",
    "STATUS_EN": "targets",
    "STATUS_ZH": "targets",
    "TARGET_COLUMNS": "targets",
    "TARGET_TYPES": "targets",
    "read_targets": "targets",
    "target_attainment": "targets",
}

__all__ = sorted(_HOME)


__getattr__, __dir__ = lazy_names(__name__, _HOME)
