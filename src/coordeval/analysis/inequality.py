"""Inequality among the cities of a cluster: Gini, Dagum's Gini decomposition and Theil.

The array kernels (``_gini_sorted`` and ``_theil_kernel`` in ``_gini_theil``, ``_dagum_kernel`` in
``_dagum`` and the weighted ones of :mod:`coordeval.kernels.inequality`) are pure numpy on
validated float arrays; ``_by_year`` applies them to every year of a panel. The public
functions validate their input (``_inputs``), raise :class:`~coordeval.errors.InputError` for
data a user can get wrong (negative or missing values, all zeros, cities without a group) and
return labelled results.

Panel input is tidy: a score Series, or a DataFrame with one column per score, indexed by a
MultiIndex with levels ``city`` and ``year``. ``groups`` maps each city to a group label (core vs
periphery, province, ...).
"""

from __future__ import annotations

from coordeval.analysis._by_year import dagum_by_year, inequality_by_year
from coordeval.analysis._dagum import DagumResult, dagum_gini
from coordeval.analysis._gini_theil import TheilResult, gini, theil
from coordeval.analysis._inputs import GroupsLike, NanPolicy

__all__ = [
    "DagumResult",
    "GroupsLike",
    "NanPolicy",
    "TheilResult",
    "dagum_by_year",
    "dagum_gini",
    "gini",
    "inequality_by_year",
    "theil",
]
