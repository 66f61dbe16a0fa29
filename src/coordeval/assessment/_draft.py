"""The working state of an assessment while its analyses run (the Assessment is made from it
once, at the end, and is then frozen)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import pandas as pd

from coordeval.assessment._result import Note
from coordeval.assessment._tables import check_table_name
from coordeval.errors import CoordevalError, InputError

if TYPE_CHECKING:
    from coordeval.model import CoordinationModel
    from coordeval.system import IndicatorSystem

__all__ = ["Draft", "Inputs", "NotApplicable", "attempt"]


class NotApplicable(CoordevalError):
    """The data rule an analysis out (e.g. one year only for convergence)."""


@dataclass(frozen=True)
class Inputs:
    """The side inputs and options of :func:`coordeval.assessment.build_assessment`."""

    groups: Any = None
    targets: pd.DataFrame | None = None
    spatial_weights: pd.DataFrame | None = None
    spatial_kind: str | None = None
    factors: pd.DataFrame | None = None
    robustness_draws: int = 1000
    seed: int = 0
    population: Any = None
    extended: Any = None


@dataclass
class Draft:
    """Scores of one run and the tables, notes and reasons the analyses add to it.

    ``tables`` accepts only the names declared in :data:`coordeval.assessment.TABLES`.
    """

    model: CoordinationModel
    system: IndicatorSystem
    conventions: dict[str, Any]
    data: pd.DataFrame
    normalized: pd.DataFrame
    scores: pd.DataFrame
    composite: pd.DataFrame
    meta: dict[str, Any]
    inputs: Inputs
    tables: dict[str, pd.DataFrame] = field(default_factory=dict)
    notes: list[Note] = field(default_factory=list)
    skipped: dict[str, str] = field(default_factory=dict)

    def put(self, name: str, table: pd.DataFrame) -> None:
        """Store a table under a declared name."""
        check_table_name(name)
        self.tables[name] = table

    def note(self, topic: str, key: str, **params: Any) -> None:
        """Record a method fact for the report to word."""
        self.notes.append(Note(topic, key, params))

    @property
    def n_cities(self) -> int:
        return int(self.scores.index.get_level_values("city").nunique())

    @property
    def n_years(self) -> int:
        return int(self.scores.index.get_level_values("year").nunique())

    def variables(self) -> pd.DataFrame:
        """Subsystem scores, the composite and (when computed) D, side by side."""
        cols = self.scores.join(self.composite["closeness"].rename("composite"))
        if "coupling" in self.tables:
            cols = cols.join(self.tables["coupling"]["D"])
        return cols


def attempt(d: Draft, name: str, fn: Callable[[Draft], None]) -> None:
    """Run ``fn(d)``; a data condition that rules the analysis out is recorded, not raised."""
    try:
        fn(d)
    except InputError as exc:
        d.skipped[name] = "; ".join(p.message for p in exc.problems[:3]) or exc.summary
    except CoordevalError as exc:
        d.skipped[name] = str(exc).splitlines()[0]
