"""Problems of the values and units read, and of indicators without a column."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pandas as pd

from coordeval.errors import (
    Problem,
)
from coordeval.io._grid import _Grid
from coordeval.io._header import _Header, _norm_key
from coordeval.io.cells import error_params
from coordeval.system import IndicatorSystem

__all__ = []

_MAGNITUDE_IN_UNIT = r"[千万亿百]"
_QUALIFIER_WORDS = {
    "approx": "approximate",
    "greater_than": "a lower bound (>)",
    "less_than": "an upper bound (<)",
    "greater_equal": "a lower bound (≥)",
    "less_equal": "an upper bound (≤)",
}


def _value_problems(grid: _Grid, long: pd.DataFrame, system: IndicatorSystem) -> list[Problem]:
    """Errors for unreadable cells; warnings for qualifiers, % signs and magnitude words."""
    flagged = (
        long["error"].notna().to_numpy(dtype=bool)
        | long["qualifier"].isin(list(_QUALIFIER_WORDS)).to_numpy(dtype=bool)
        | long["percent"].to_numpy(dtype=bool)
        | (long["multiplier"] != 1.0).to_numpy(dtype=bool)
    )
    long = long[flagged]  # usually a few cells: the messages are built for these only
    if long.empty:
        return []
    labels = {ind.id: f"{ind.id} ({ind.name_zh})" for ind in system.indicators}
    sys_units = {ind.id: ind.unit for ind in system.indicators}
    label = long["indicator"].map(labels).astype("string")
    problems = []
    bad = long["error"].notna().to_numpy(dtype=bool)
    problems += grid.problems(
        (label[bad] + ": " + long["error"][bad].astype(str)).to_numpy(dtype=object),
        long["row"][bad],
        long["col"][bad],
        long["column"][bad].to_numpy(dtype=object),
        long["raw"][bad].to_numpy(dtype=object),
        code="value_unreadable",
        params=[
            {"label": lab, **e}
            for lab, e in zip(label[bad], error_params(long["error"][bad]), strict=True)
        ],
    )
    qual = long["qualifier"].isin(list(_QUALIFIER_WORDS)).to_numpy(dtype=bool)
    if qual.any():
        words = long["qualifier"][qual].map(_QUALIFIER_WORDS)
        numbers = long["value"][qual].astype("string")
        found = grid.problems(
            (label[qual] + ": read as " + numbers + "; the yearbook marks it as " + words).to_numpy(
                dtype=object
            ),
            long["row"][qual],
            long["col"][qual],
            long["column"][qual].to_numpy(dtype=object),
            long["raw"][qual].to_numpy(dtype=object),
            severity="warning",
        )
        problems += [
            replace(
                p,
                code="qualifier",
                params={"indicator": i, "label": lab, "value": v, "qualifier": q},
            )
            for p, i, lab, v, q in zip(
                found,
                long["indicator"][qual],
                label[qual],
                numbers,
                long["qualifier"][qual],
                strict=True,
            )
        ]
    unit = long["indicator"].map(sys_units).astype("string")
    ids = pd.Series(list(sys_units), dtype="string")
    units = pd.Series(list(sys_units.values()), dtype="string")
    not_pct = dict(zip(ids, _norm_key(units).ne("%"), strict=True))
    has_mag = dict(zip(ids, units.str.contains(_MAGNITUDE_IN_UNIT).fillna(False), strict=True))
    pct = long["percent"].to_numpy(dtype=bool) & long["indicator"].map(not_pct).to_numpy(dtype=bool)
    problems += grid.problems(
        (
            label[pct]
            + ": written with % but the system's unit is "
            + "'"
            + unit[pct]
            + "'; the number is kept as printed"
        ).to_numpy(dtype=object),
        long["row"][pct],
        long["col"][pct],
        long["column"][pct].to_numpy(dtype=object),
        long["raw"][pct].to_numpy(dtype=object),
        severity="warning",
        code="percent_sign_unit",
        params=[{"label": lab, "unit": u} for lab, u in zip(label[pct], unit[pct], strict=True)],
    )
    mag = (long["multiplier"] != 1.0).to_numpy(dtype=bool) & long["indicator"].map(
        has_mag
    ).to_numpy(dtype=bool)
    problems += grid.problems(
        (
            label[mag]
            + ": read as "
            + long["value"][mag].astype("string")
            + " but the unit '"
            + unit[mag]
            + "' already has a magnitude word; write the number in that unit"
        ).to_numpy(dtype=object),
        long["row"][mag],
        long["col"][mag],
        long["column"][mag].to_numpy(dtype=object),
        long["raw"][mag].to_numpy(dtype=object),
        severity="warning",
        code="magnitude_in_unit",
        params=[
            {"label": lab, "value": v, "unit": u}
            for lab, v, u in zip(
                label[mag], long["value"][mag].astype("string"), unit[mag], strict=True
            )
        ],
    )
    return problems


def _unit_problems(grid: _Grid, units: dict[str, str], system: IndicatorSystem) -> list[Problem]:
    """Warn when a unit written in the file differs from the system's unit."""
    problems = []
    for ind in system.indicators:
        given = units.get(ind.id)
        if given is None or not ind.unit:
            continue
        a, b = _norm_key(pd.Series([given, ind.unit], dtype="string"))
        if a != b:
            problems.append(
                grid.problem(
                    f"{ind.id} ({ind.name_zh}): the file gives unit {given!r} but the system "
                    f"expects {ind.unit!r}; check that the values are in {ind.unit!r}",
                    severity="warning",
                    value=given,
                    code="unit_differs",
                    params={
                        "indicator": ind.id,
                        "name": ind.name_zh,
                        "given": given,
                        "expected": ind.unit,
                    },
                )
            )
    return problems


def _absent_problem(
    grid: _Grid,
    header: _Header,
    layout: str,
    system: IndicatorSystem,
    absent: list[Any],
    unknown: list[tuple[str, str]],
) -> Problem:
    """One error naming every indicator without a column (or row) and the unread headers."""
    what = "column" if layout == "wide" else "row"
    listed = ", ".join(f"{ind.id} ({ind.name_zh})" for ind in absent)
    message = f"no {what} for {len(absent)} indicator(s) of the system {system.name!r}: {listed}"
    unknown_en = unknown_zh = ""
    if unknown:
        shown = ", ".join(f"{ref} {text!r}" for ref, text in unknown[:10])
        more = f" and {len(unknown) - 10} more" if len(unknown) > 10 else ""
        more_zh = f" 等 {len(unknown)} 项" if len(unknown) > 10 else ""
        label = "headers" if layout == "wide" else "indicator names"
        label_zh = "未识别的表头" if layout == "wide" else "未识别的指标名称"
        unknown_en = f"; {label} not recognised: {shown}{more}"
        unknown_zh = f"；{label_zh}：{shown}{more_zh}"
        message += unknown_en
    message += (
        "; write each indicator's id, Chinese or English name as its header"
        if layout == "wide"
        else "; write each indicator's id, Chinese or English name in the indicator column"
    ) + ", or add the header as an alias in the system"
    where = grid.row_ref(header.row)
    where_zh = f"第 {where[5:]} 行" if where.startswith("line ") else where
    message += f" (header row: {where})"
    return Problem(
        message,
        file=grid.file,
        sheet=grid.sheet,
        code=f"indicators_absent_{layout}",
        params={
            "n": len(absent),
            "system": system.name,
            "listed": listed,
            "unknown_en": unknown_en,
            "unknown_zh": unknown_zh,
            "where": where,
            "where_zh": where_zh,
        },
    )
