"""coordeval: coordinated-development assessment of city clusters.

Score every city and year on synergy subsystems with entropy weights and TOPSIS, measure the
coupling coordination of the subsystems, diagnose lagging subsystems and obstacles, and write
an Excel assessment report — from Python or from the ``coordeval`` command line.
"""

from coordeval._version import __version__
from coordeval.analysis.centrography import centre_of_gravity
from coordeval.analysis.convergence import (
    BetaResult,
    beta_convergence,
    convergence_speed,
    kernel_density,
    sigma_convergence,
)
from coordeval.analysis.coupling import (
    coupling_coordination,
    pairwise_coupling,
    relative_development,
)
from coordeval.analysis.dynamics import MarkovResult, markov_chain, spatial_markov
from coordeval.analysis.extended import ExtendedOptions
from coordeval.analysis.forecast import forecast_panel, gm11_series, grey_relational
from coordeval.analysis.geodetector import GeoDetectorResult, geodetector
from coordeval.analysis.inequality import (
    DagumResult,
    TheilResult,
    dagum_by_year,
    dagum_gini,
    gini,
    inequality_by_year,
    theil,
)
from coordeval.analysis.obstacle import obstacle_degree, subsystem_obstacle, top_obstacles
from coordeval.analysis.regression import Tobit, factor_regression, tobit
from coordeval.analysis.robustness import RobustnessResult, weight_robustness
from coordeval.analysis.spatial import (
    SpatialWeights,
    economic_weights,
    geo_economic_weights,
    hotspots_by_year,
    lisa_by_year,
    moran_by_year,
    weights_from_coords,
    weights_from_geometry,
    weights_from_table,
)
from coordeval.analysis.structure import gravity_network, size_structure
from coordeval.analysis.synergy import spatial_weights, synergy_relations
from coordeval.analysis.targets import read_targets, target_attainment
from coordeval.assessment import Assessment
from coordeval.batch import BatchResult, score_files
from coordeval.conventions import PRESETS, GradeScheme
from coordeval.errors import (
    ConfigError,
    ConstantIndicatorWarning,
    CoordevalError,
    CoordevalWarning,
    DataWarning,
    InputError,
    MethodWarning,
    Problem,
)
from coordeval.io.side import read_coords
from coordeval.kernels.normalize import normalize
from coordeval.kernels.topsis import topsis
from coordeval.kernels.weights import (
    AHPResult,
    ahp_weights,
    combine_weights,
    critic_weights,
    cv_weights,
    entropy_table,
    entropy_weights,
    sd_weights,
)
from coordeval.model import CoordinationModel, load_model
from coordeval.system import IndicatorSystem, builtin_systems, load_system

__all__ = [
    "PRESETS",
    "AHPResult",
    "Assessment",
    "BatchResult",
    "BetaResult",
    "ConfigError",
    "ConstantIndicatorWarning",
    "CoordevalError",
    "CoordevalWarning",
    "CoordinationModel",
    "DagumResult",
    "DataWarning",
    "ExtendedOptions",
    "GeoDetectorResult",
    "GradeScheme",
    "IndicatorSystem",
    "InputError",
    "MarkovResult",
    "MethodWarning",
    "Problem",
    "RobustnessResult",
    "SpatialWeights",
    "TheilResult",
    "Tobit",
    "__version__",
    "ahp_weights",
    "beta_convergence",
    "builtin_systems",
    "centre_of_gravity",
    "combine_weights",
    "convergence_speed",
    "coupling_coordination",
    "critic_weights",
    "cv_weights",
    "dagum_by_year",
    "dagum_gini",
    "economic_weights",
    "entropy_table",
    "entropy_weights",
    "factor_regression",
    "forecast_panel",
    "geo_economic_weights",
    "geodetector",
    "gini",
    "gm11_series",
    "gravity_network",
    "grey_relational",
    "hotspots_by_year",
    "inequality_by_year",
    "kernel_density",
    "lisa_by_year",
    "load_model",
    "load_system",
    "markov_chain",
    "moran_by_year",
    "normalize",
    "obstacle_degree",
    "pairwise_coupling",
    "read_coords",
    "read_data",
    "read_panel",
    "read_targets",
    "relative_development",
    "score_files",
    "sd_weights",
    "sigma_convergence",
    "size_structure",
    "spatial_markov",
    "spatial_weights",
    "subsystem_obstacle",
    "synergy_relations",
    "target_attainment",
    "theil",
    "tobit",
    "top_obstacles",
    "topsis",
    "weight_robustness",
    "weights_from_coords",
    "weights_from_geometry",
    "weights_from_table",
]


def __getattr__(name: str) -> object:
    # the readers pull in the Excel/CSV stack; import them on first use
    if name in ("read_data", "read_panel"):
        from coordeval.io import read

        return getattr(read, name)
    raise AttributeError(f"module 'coordeval' has no attribute {name!r}")
