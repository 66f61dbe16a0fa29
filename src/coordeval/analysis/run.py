"""Run every analysis that applies to an assessment and store its tables on it."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pandas as pd

    from coordeval.assessment import Assessment
    from coordeval.model import CoordinationModel


def run_analyses(
    a: Assessment,
    model: CoordinationModel,
    *,
    groups: Any = None,
    targets: pd.DataFrame | None = None,
    spatial_weights: pd.DataFrame | None = None,
    robustness_draws: int = 1000,
    seed: int = 0,
) -> None:
    """Fill ``a.tables`` (and ``a.skipped`` with reasons) from the scores on ``a``."""
