"""CoordinationModel: fit normalisation bounds and weights on a reference panel, score any panel.

The model follows scikit-learn's estimator contract: parameters are stored verbatim in
``__init__`` and validated in ``fit``; learned state lives in attributes ending in ``_``.
Fitting is a set of column reductions (min, max, Σz, Σz·ln z, counts), so scoring next year's
data with a fitted (or saved and reloaded) model never changes earlier scores.

Rooms: ``_estimator`` (the class), ``_coercion`` (input → indicator matrix), ``_fitting``
(fit plan and weight maths), ``_engines`` (chunks, Parquet, Dask), ``_scoring`` (one pass →
:class:`Scoring`), ``_coupling`` (the one coupling step), ``_persist`` (JSON and the one
hash of a fit).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from coordeval._lazy import lazy_names
from coordeval.conventions import OUT_OF_RANGE, PRESETS, SCORINGS, WEIGHTINGS, Conventions
from coordeval.model._coupling import CLIP_TOLERANCE, coupling_step
from coordeval.model._persist import (
    MODEL_FORMAT,
    MODEL_MAX_BYTES,
    MODEL_MAX_DEPTH,
    MODEL_SCHEMA_VERSION,
    canonical_sha256,
    fitted_sha256,
    load_model,
    model_from_dict,
    model_sha256,
)
from coordeval.model._scoring import Scoring

if TYPE_CHECKING:
    from coordeval.model._estimator import CoordinationModel

__all__ = [
    "CLIP_TOLERANCE",
    "MODEL_FORMAT",
    "MODEL_MAX_BYTES",
    "MODEL_MAX_DEPTH",
    "MODEL_SCHEMA_VERSION",
    "OUT_OF_RANGE",
    "PRESETS",
    "SCORINGS",
    "WEIGHTINGS",
    "Conventions",
    "CoordinationModel",
    "Scoring",
    "canonical_sha256",
    "coupling_step",
    "fitted_sha256",
    "load_model",
    "model_from_dict",
    "model_sha256",
]


# the estimator brings scikit-learn; the coupling step and model files do not need it
__getattr__, __dir__ = lazy_names(__name__, {"CoordinationModel": "_estimator"})
