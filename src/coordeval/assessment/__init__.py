"""Assessment: the results object of one run (tables and metadata), and the code that builds it.

:func:`build_assessment` scores a panel with a fitted model in one pass and runs each
analysis of a registry; an analysis that does not apply to the data (e.g. convergence on a
single year) is recorded in ``Assessment.skipped`` with the reason rather than silently left
out. The Assessment holds tables only, under the names declared in :data:`TABLES`, and is
frozen once built; :meth:`Assessment.to_excel` hands it to :mod:`coordeval.report`.
"""

from __future__ import annotations

from coordeval.assessment._build import build_assessment, weights_table
from coordeval.assessment._result import Assessment, Note, problems_frame
from coordeval.assessment._tables import TABLES, Tables

__all__ = [
    "TABLES",
    "Assessment",
    "Note",
    "Tables",
    "build_assessment",
    "problems_frame",
    "weights_table",
]
