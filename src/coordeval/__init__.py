"""coordeval: coordinated-development assessment of city clusters.

Score every city and year on synergy subsystems with entropy weights and TOPSIS, measure the
coupling coordination of the subsystems, diagnose lagging subsystems and obstacles, and write
an Excel assessment report — from Python or from the ``coordeval`` command line.

Every public name is loaded on first use (a name → module table below), so that
``import coordeval`` loads neither pandas nor the scientific stack; ``dir(coordeval)`` and
``from coordeval import *`` list them all.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from coordeval._lazy import lazy_names
from coordeval._version import __version__

if TYPE_CHECKING:  # the names as type checkers and IDEs see them
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
    from coordeval.analysis.dynamics import (
        MarkovResult,
        markov_chain,
        spatial_markov,
    )
    from coordeval.analysis.extended import ExtendedOptions
    from coordeval.analysis.forecast import (
        forecast_panel,
        gm11_series,
        grey_relational,
    )
    from coordeval.analysis.geodetector import (
        GeoDetectorResult,
        geodetector,
    )
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
    from coordeval.analysis.regression import (
        Tobit,
        factor_regression,
        tobit,
    )
    from coordeval.analysis.robustness import (
        RobustnessResult,
        weight_robustness,
    )
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
    from coordeval.analysis.structure import (
        gravity_network,
        size_structure,
    )
    from coordeval.analysis.synergy import (
        spatial_weights,
        synergy_relations,
    )
    from coordeval.analysis.targets import (
        read_targets,
        target_attainment,
    )
    from coordeval.assessment import Assessment
    from coordeval.batch import (
        BatchResult,
        score_files,
    )
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
    from coordeval.io.read import (
        read_data,
        read_panel,
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
    from coordeval.system import (
        IndicatorSystem,
        builtin_systems,
        load_system,
    )

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

#: Public name → the module that defines it.
_LAZY: dict[str, str] = {
    "centre_of_gravity": "coordeval.analysis.centrography",
    "BetaResult": "coordeval.analysis.convergence",
    "beta_convergence": "coordeval.analysis.convergence",
    "convergence_speed": "coordeval.analysis.convergence",
    "kernel_density": "coordeval.analysis.convergence",
    "sigma_convergence": "coordeval.analysis.convergence",
    "GradeScheme": "coordeval.conventions",
    "coupling_coordination": "coordeval.analysis.coupling",
    "obstacle_degree": "coordeval.analysis.obstacle",
    "pairwise_coupling": "coordeval.analysis.coupling",
    "relative_development": "coordeval.analysis.coupling",
    "subsystem_obstacle": "coordeval.analysis.obstacle",
    "top_obstacles": "coordeval.analysis.obstacle",
    "MarkovResult": "coordeval.analysis.dynamics",
    "markov_chain": "coordeval.analysis.dynamics",
    "spatial_markov": "coordeval.analysis.dynamics",
    "ExtendedOptions": "coordeval.analysis.extended",
    "forecast_panel": "coordeval.analysis.forecast",
    "gm11_series": "coordeval.analysis.forecast",
    "grey_relational": "coordeval.analysis.forecast",
    "GeoDetectorResult": "coordeval.analysis.geodetector",
    "geodetector": "coordeval.analysis.geodetector",
    "DagumResult": "coordeval.analysis.inequality",
    "TheilResult": "coordeval.analysis.inequality",
    "dagum_by_year": "coordeval.analysis.inequality",
    "dagum_gini": "coordeval.analysis.inequality",
    "gini": "coordeval.analysis.inequality",
    "inequality_by_year": "coordeval.analysis.inequality",
    "theil": "coordeval.analysis.inequality",
    "Tobit": "coordeval.analysis.regression",
    "factor_regression": "coordeval.analysis.regression",
    "tobit": "coordeval.analysis.regression",
    "RobustnessResult": "coordeval.analysis.robustness",
    "weight_robustness": "coordeval.analysis.robustness",
    "SpatialWeights": "coordeval.analysis.spatial",
    "economic_weights": "coordeval.analysis.spatial",
    "geo_economic_weights": "coordeval.analysis.spatial",
    "hotspots_by_year": "coordeval.analysis.spatial",
    "lisa_by_year": "coordeval.analysis.spatial",
    "moran_by_year": "coordeval.analysis.spatial",
    "weights_from_coords": "coordeval.analysis.spatial",
    "weights_from_geometry": "coordeval.analysis.spatial",
    "weights_from_table": "coordeval.analysis.spatial",
    "gravity_network": "coordeval.analysis.structure",
    "size_structure": "coordeval.analysis.structure",
    "spatial_weights": "coordeval.analysis.synergy",
    "synergy_relations": "coordeval.analysis.synergy",
    "read_targets": "coordeval.analysis.targets",
    "target_attainment": "coordeval.analysis.targets",
    "Assessment": "coordeval.assessment",
    "BatchResult": "coordeval.batch",
    "score_files": "coordeval.batch",
    "ConfigError": "coordeval.errors",
    "ConstantIndicatorWarning": "coordeval.errors",
    "CoordevalError": "coordeval.errors",
    "CoordevalWarning": "coordeval.errors",
    "DataWarning": "coordeval.errors",
    "InputError": "coordeval.errors",
    "MethodWarning": "coordeval.errors",
    "Problem": "coordeval.errors",
    "read_data": "coordeval.io.read",
    "read_panel": "coordeval.io.read",
    "read_coords": "coordeval.io.side",
    "normalize": "coordeval.kernels.normalize",
    "topsis": "coordeval.kernels.topsis",
    "AHPResult": "coordeval.kernels.weights",
    "ahp_weights": "coordeval.kernels.weights",
    "combine_weights": "coordeval.kernels.weights",
    "critic_weights": "coordeval.kernels.weights",
    "cv_weights": "coordeval.kernels.weights",
    "entropy_table": "coordeval.kernels.weights",
    "entropy_weights": "coordeval.kernels.weights",
    "sd_weights": "coordeval.kernels.weights",
    "CoordinationModel": "coordeval.model",
    "PRESETS": "coordeval.conventions",
    "load_model": "coordeval.model",
    "IndicatorSystem": "coordeval.system",
    "builtin_systems": "coordeval.system",
    "load_system": "coordeval.system",
}


# a public name (or a subpackage such as ``coordeval.io``) is imported on first use
__getattr__, __dir__ = lazy_names(__name__, _LAZY, submodules=True)
