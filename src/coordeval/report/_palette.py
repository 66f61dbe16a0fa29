"""The one table of coordination-level colours, used by every output that colours a level:
the workbook's fills and its page-1 D chart, the Word brief's shaded cells and the
matplotlib figures and maps.

Levels run from red (serious imbalance, level 1) through yellow to green (high-quality
coordination, level 10), ColorBrewer RdYlGn; the rows whose D = 0 comes from a subsystem at the
normalisation floor (:data:`coordeval.report.findings.FLOOR_LEVEL`, grade 0 in the level
distribution) state no level and are grey. Colours are ``RRGGBB`` strings as openpyxl and
python-docx take them; :func:`figure_colours` gives matplotlib's ``#RRGGBB``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

if TYPE_CHECKING:
    from coordeval.assessment import Assessment
    from coordeval.conventions import GradeScheme

#: Colours of the coordination levels, worst (1) to best (10): red – yellow – green.
GRADE_COLOURS = (
    "A50026",
    "D73027",
    "F46D43",
    "FDAE61",
    "FEE08B",
    "D9EF8B",
    "A6D96A",
    "66BD63",
    "1A9850",
    "006837",
)
#: Fill of the floor rows (grade 0): no coordination level, so no level colour.
FLOOR_COLOUR = "D9D9D9"
#: Levels (of ten) whose colour is dark enough for white text.
_DARK = {1, 2, 9, 10}


def _position(grade: int, n_levels: int) -> int:
    """Index into :data:`GRADE_COLOURS` of level ``grade`` (≥ 1) of ``n_levels``."""
    if n_levels <= 1:
        return len(GRADE_COLOURS) - 1
    pos = (int(grade) - 1) / (n_levels - 1) * (len(GRADE_COLOURS) - 1)
    return int(np.clip(round(pos), 0, len(GRADE_COLOURS) - 1))


def grade_colour(grade: int, n_levels: int = 10) -> str:
    """Fill colour (``RRGGBB``) of coordination level ``grade`` of ``n_levels``; grey for
    grade 0, the rows whose D = 0 comes from the normalisation floor (no level)."""
    if int(grade) < 1:
        return FLOOR_COLOUR
    return GRADE_COLOURS[_position(grade, n_levels)]


def text_colour(grade: int, n_levels: int = 10) -> str:
    """Readable text colour (``RRGGBB``) on :func:`grade_colour`."""
    if int(grade) < 1:
        return "000000"
    return "FFFFFF" if _position(grade, n_levels) + 1 in _DARK else "000000"


def figure_colours(grades: Sequence[int] | np.ndarray, n_levels: int = 10) -> list[str]:
    """:func:`grade_colour` of each grade as matplotlib's ``#RRGGBB``."""
    return [f"#{grade_colour(int(g), n_levels)}" for g in np.asarray(grades).ravel()]


def shown_grades(coupling: pd.DataFrame) -> pd.Series:
    """The level each row of a coupling table is coloured by: its ``grade``, or 0 where
    ``floor_zero`` marks a D = 0 caused by the normalisation floor."""
    grade = coupling["grade"].astype("int64")
    if "floor_zero" not in coupling.columns:
        return grade
    floor = coupling["floor_zero"].fillna(False).astype(bool)
    return grade.where(~floor, 0)


def grade_scheme(a: Assessment) -> GradeScheme:
    """The grade scheme of the assessment's conventions."""
    from coordeval.conventions import GRADE_SCHEMES, GradeScheme

    g = a.conventions.get("grades", "ten")
    return g if isinstance(g, GradeScheme) else GRADE_SCHEMES[str(g)]


def level_count(a: Assessment) -> int:
    """Number of coordination levels the colours are spread over: the grade scheme's, or
    more when the grades seen go beyond it."""
    seen = int(a.tables["coupling"]["grade"].max()) if "coupling" in a.tables else 0
    return max(grade_scheme(a).n_levels, seen)
