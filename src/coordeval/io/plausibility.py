"""Plausibility warnings for values that were read fine but are probably wrong.

Yearbook slips that parse as numbers: a percentage above 100 or below 0, a negative count, a
value ten times larger or smaller than the same city's previous year (a 万/元 or 亿/万 slip), and
notes for values converted from a magnitude word (``4.1万`` read as 41000), so that the user sees
every conversion. Every problem names the file, sheet, cell, column and the value as written.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from coordeval.errors import Problem
from coordeval.io.panel import PanelData

__all__ = ["COUNT_UNITS", "JUMP_FACTOR", "plausibility_problems"]

#: A value this many times larger or smaller than the city's previous year is flagged.
JUMP_FACTOR = 10.0
#: Units of counts (no negative values): the unit, or its part before "/", is one of these.
COUNT_UNITS = frozenset(
    {
        "个",
        "人",
        "件",
        "项",
        "家",
        "条",
        "所",
        "张",
        "台",
        "户",
        "辆",
        "座",
        "处",
        "次",
        "万人",
        "床",
        "名",
    }
)
_MAGNITUDE = r"\d\s*(?:万亿|百万|千万|亿|万|千)"


def _fmt(values: pd.Series, spec: str = "{:g}") -> pd.Series:
    """Numbers as text (a str Series, also when empty)."""
    return pd.Series([spec.format(v) for v in values.tolist()], index=values.index, dtype="str")


def _unit_of(data: PanelData, indicator: str) -> str:
    unit = data.units.get(indicator) or ""
    if not unit and data.system is not None and indicator in data.system.indicator_ids:
        unit = data.system.indicator(indicator).unit or ""
    return str(unit).strip()


def plausibility_problems(data: PanelData) -> list[Problem]:
    """Warnings (and notes) for implausible values of ``data.panel``.

    Parameters
    ----------
    data : PanelData
        As returned by :func:`coordeval.io.read.read_data`.

    Returns
    -------
    list of Problem
        ``warning``: a value of a % indicator outside [0, 100]; a negative value of a count
        (unit in :data:`COUNT_UNITS`); a value at least :data:`JUMP_FACTOR` times larger or
        smaller than the same city's value in the previous year (both positive); a value that
        could not be read because a unit other than the header's follows the number
        (``52318元`` under ``亿元``). ``info``: a value written with a magnitude word and
        converted (``4.1万`` → 41000); a number followed by the header's own unit.
    """
    panel = data.panel
    if panel.empty:
        return []
    stacked = panel.rename_axis(columns="indicator").stack().rename("value").reset_index()
    stacked = stacked.dropna(subset=["value"])
    stacked = stacked.astype({"city": "str", "year": "int64", "indicator": "str"})
    units = {c: _unit_of(data, c) for c in panel.columns}
    unit = stacked["indicator"].map(units).astype("str")
    value = stacked["value"].to_numpy(dtype=np.float64)
    frames = []
    pct = unit.str.fullmatch(r"%|％|百分比").to_numpy(dtype=bool)
    bad = pct & ((value > 100) | (value < 0))
    frames.append(
        stacked[bad].assign(
            message=lambda f: (
                f["indicator"]
                + " is a percentage but reads "
                + _fmt(f["value"])
                + " (outside 0–100): check the unit or a slipped decimal point"
            ),
            code="percent_out_of_range",
            params=lambda f: [
                {"indicator": i, "value": v}
                for i, v in zip(f["indicator"], _fmt(f["value"]), strict=True)
            ],
        )
    )
    base = unit.str.split("/").str[0].str.strip()
    count = base.isin(COUNT_UNITS).to_numpy(dtype=bool)
    frames.append(
        stacked[count & (value < 0)].assign(
            message=lambda f: (
                f["indicator"]
                + " counts "
                + f["indicator"].map(units).astype("str")
                + " but reads a negative number "
                + _fmt(f["value"])
            ),
            code="count_negative",
            params=lambda f: [
                {"indicator": i, "unit": u, "value": v}
                for i, u, v in zip(
                    f["indicator"],
                    f["indicator"].map(units).astype("str"),
                    _fmt(f["value"]),
                    strict=True,
                )
            ],
        )
    )
    prev = stacked.assign(year=stacked["year"] + 1).rename(columns={"value": "prev"})
    joined = stacked.merge(
        prev[["city", "year", "indicator", "prev"]],
        on=["city", "year", "indicator"],
        how="inner",
    )
    ratio = joined["value"] / joined["prev"]
    both = (joined["value"] > 0) & (joined["prev"] > 0)
    jump = both & ((ratio >= JUMP_FACTOR) | (ratio <= 1 / JUMP_FACTOR))
    frames.append(
        joined[jump].assign(
            message=lambda f: (
                f["indicator"]
                + " = "
                + _fmt(f["value"])
                + " is "
                + _fmt(f["value"] / f["prev"], "{:.3g}")
                + " times the previous year's "
                + _fmt(f["prev"])
                + ": check the unit (万/元, 亿/万)"
            ),
            code="year_jump",
            params=lambda f: [
                {"indicator": i, "value": v, "ratio": r, "prev": q}
                for i, v, r, q in zip(
                    f["indicator"],
                    _fmt(f["value"]),
                    _fmt(f["value"] / f["prev"], "{:.3g}"),
                    _fmt(f["prev"]),
                    strict=True,
                )
            ],
        )[["city", "year", "indicator", "value", "message", "code", "params"]]
    )
    found = pd.concat(frames, ignore_index=True)
    problems = data.problems_at(
        found[["city", "year", "indicator", "message", "code", "params"]], "warning"
    )
    cells = data.cells
    raw = cells["raw"].astype("string").fillna("")
    ok = ~cells["status"].isin(["missing", "invalid"]).to_numpy(dtype=bool)
    converted = raw.str.contains(_MAGNITUDE, regex=True).fillna(False).to_numpy(dtype=bool)
    notes = cells[ok & converted]
    if len(notes):
        vals = panel.stack().rename("value")
        keys = pd.MultiIndex.from_frame(notes[["city", "year", "indicator"]])
        read_as = vals.reindex(keys).to_numpy()
        where = notes[["city", "year", "indicator"]].assign(
            message=notes["indicator"].astype("str")
            + ": '"
            + notes["raw"].astype("str")
            + "' read as "
            + _fmt(pd.Series(read_as, index=notes.index))
            + " (magnitude word converted)",
            code="magnitude_converted",
            params=[
                {"indicator": i, "raw": r, "value": v}
                for i, r, v in zip(
                    notes["indicator"].astype("str"),
                    notes["raw"].astype("str"),
                    _fmt(pd.Series(read_as, index=notes.index)),
                    strict=True,
                )
            ],
        )
        problems += data.problems_at(where, "info")
    problems += _unit_suffixes(data, units)
    return problems


_WITH_UNIT = r"^\s*[-+]?[\d,，.]+\s*(?P<mag>万亿|百万|千万|亿|万|千)?\s*(?P<unit>[^\d\s.,，]+)\s*$"


def _unit_suffixes(data: PanelData, units: dict[str, str]) -> list[Problem]:
    """Cells that could not be read because a unit follows the number (``52318元``): a note
    when the unit is the header's, a warning when it differs from the header's unit."""
    cells = data.cells
    bad = cells[cells["status"].eq("invalid").fillna(False).to_numpy(dtype=bool)]
    if bad.empty:
        return []
    parts = bad["raw"].astype("string").str.extract(_WITH_UNIT)
    hit = parts["unit"].notna().to_numpy(dtype=bool)
    if not hit.any():
        return []
    bad, parts = bad[hit], parts[hit]
    written = (parts["mag"].fillna("") + parts["unit"]).astype("str")
    header = bad["indicator"].astype("str").map(units).fillna("").astype("str")
    same = (written == header).to_numpy(dtype=bool)
    text = np.where(
        same,
        "the value carries its unit '" + written + "', which is the header's unit: write the "
        "number alone",
        "the value carries the unit '"
        + written
        + "', which differs from the header's unit '"
        + header
        + "': convert it, or write the number alone in the header's unit",
    )
    where = bad[["city", "year", "indicator"]].assign(
        message=text,
        code=np.where(same, "value_with_header_unit", "value_with_other_unit"),
        params=[{"unit": u, "header": h} for u, h in zip(written, header, strict=True)],
    )
    return data.problems_at(where[same], "info") + data.problems_at(where[~same], "warning")
