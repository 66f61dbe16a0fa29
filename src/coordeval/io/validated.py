"""A data file read and validated in one round: the reader, the city-identity checks, the
missing-value policy and the plausibility checks, every problem listed together
(:func:`read_validated`, used by ``assess``, ``fit``, ``validate`` and batch scoring)."""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from coordeval.errors import CoordevalError, Problem, raise_if_errors
from coordeval.io.panel import PanelData
from coordeval.io.read import read_data
from coordeval.io.validate import apply_missing
from coordeval.system import IndicatorSystem

__all__ = ["Validated", "read_validated"]


@dataclass
class Validated:
    """A read and validated panel with every problem found on the way."""

    data: PanelData
    panel: Any
    problems: list[Problem]


def read_validated(
    path: str | Path,
    system: IndicatorSystem,
    missing: str = "error",
    sheet: str | None = None,
    cities: Any = None,
    context: Any = None,
) -> Validated:
    """Read ``path`` and apply the missing-value policy; raise :class:`InputError` listing
    every error, otherwise return the panel with all non-fatal problems.

    City identity is checked on the way: names that look like one city (``清镇``/``清镇市``,
    full-width characters, stray spaces) are reported with their cells, and an unbalanced
    panel once, naming each city's missing years. ``cities`` (a table from
    :func:`coordeval.io.side.read_cities`) renames aliases to canonical names and fixes the
    row order first. ``context`` (city-years of other files) lets ``missing="interpolate"``
    bridge a gap with the neighbouring years found there.
    """
    from coordeval.io.identity import apply_cities, city_variants, unbalanced_panel
    from coordeval.io.plausibility import plausibility_problems

    data = read_data(path, system, sheet=sheet)
    name = Path(path).name
    if any(p.severity == "error" for p in data.problems):
        # one round: read errors, missing values and plausibility warnings listed together
        extra: list[Problem] = []
        with contextlib.suppress(CoordevalError, KeyError, ValueError):
            extra = apply_missing(data, missing)[1] + plausibility_problems(data)
        raise_if_errors([*data.problems, *extra], f"{name} cannot be used")
    if cities is not None:
        renamed_panel, renamed, found = apply_cities(data.panel, cities, name)
        data.problems.extend(found)
        raise_if_errors(data.problems, f"{name} cannot be used")
        if renamed:
            data.panel = renamed_panel
            data.cells = data.cells.assign(city=data.cells["city"].replace(renamed))
    names = data.panel.index.get_level_values("city")
    data.problems.extend(city_variants(names, lambda: data.cells, data.file, data.sheet))
    panel, extra = apply_missing(data, missing, context)
    if cities is not None:  # keep the table's row order after the policy's sort
        panel = panel.reindex(data.panel.index.intersection(panel.index, sort=False))
    problems = [*data.problems, *extra, *plausibility_problems(data)]
    raise_if_errors(problems, f"{name} cannot be used")
    problems.extend(unbalanced_panel(panel, name))
    return Validated(data, panel, problems)
