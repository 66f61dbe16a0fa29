"""Convergence of the cities of a cluster: σ convergence, β convergence and kernel densities.

Input is a tidy panel of scores: a Series (or a DataFrame with one column per score) indexed by a
MultiIndex with levels ``city`` and ``year``; years are numbers (e.g. ``2015``). The functions
validate at the boundary and raise :class:`~coordeval.errors.InputError` or
:class:`~coordeval.errors.ConfigError` for problems a user can fix.
"""

from __future__ import annotations

from coordeval.analysis._beta import BetaResult, beta_convergence, convergence_speed
from coordeval.analysis._kde import BANDWIDTH_RULES, bw_nrd, bw_nrd0, kernel_density
from coordeval.analysis._sigma import sigma_convergence

__all__ = [
    "BANDWIDTH_RULES",
    "BetaResult",
    "beta_convergence",
    "bw_nrd",
    "bw_nrd0",
    "convergence_speed",
    "kernel_density",
    "sigma_convergence",
]
