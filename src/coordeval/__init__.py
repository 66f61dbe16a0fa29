"""coordeval: coordinated-development assessment of city clusters.

Score every city and year on synergy subsystems with entropy weights and TOPSIS, measure the
coupling coordination of the subsystems, diagnose lagging subsystems and obstacles, and write
an Excel assessment report — from Python or from the ``coordeval`` command line.
"""

from coordeval._version import __version__
from coordeval.assessment import Assessment
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
)
from coordeval.model import PRESETS, CoordinationModel, load_model
from coordeval.system import IndicatorSystem, builtin_systems, load_system

__all__ = [
    "PRESETS",
    "AHPResult",
    "Assessment",
    "ConfigError",
    "ConstantIndicatorWarning",
    "CoordevalError",
    "CoordevalWarning",
    "CoordinationModel",
    "DataWarning",
    "IndicatorSystem",
    "InputError",
    "MethodWarning",
    "Problem",
    "__version__",
    "ahp_weights",
    "builtin_systems",
    "combine_weights",
    "critic_weights",
    "cv_weights",
    "entropy_table",
    "entropy_weights",
    "load_model",
    "load_system",
    "normalize",
    "read_data",
    "read_panel",
    "topsis",
]


def __getattr__(name: str) -> object:
    # the readers pull in the Excel/CSV stack; import them on first use
    if name in ("read_data", "read_panel"):
        from coordeval.io import read

        return getattr(read, name)
    raise AttributeError(f"module 'coordeval' has no attribute {name!r}")
