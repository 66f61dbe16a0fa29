"""The header vocabulary (city/year/indicator/value/unit names) and header detection."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from typing import Literal

import numpy as np
import pandas as pd

from coordeval.errors import (
    Problem,
)
from coordeval.io._grid import _flat, _Grid
from coordeval.io.cells import (
    clean_text,
)
from coordeval.system import IndicatorSystem

__all__ = ["KEY_NAMES", "key_roles"]

#: The header names of the key columns, for every reader (Excel, CSV, Parquet, side tables);
#: compared after full-width mapping, white-space removal and case-folding.
KEY_NAMES: dict[str, tuple[str, ...]] = {
    "city": ("city", "城市", "地区", "城市名称", "city_name"),
    "year": ("year", "年份", "年度", "年"),
}
_ROLE_KEYS: dict[str, tuple[str, ...]] = {
    **KEY_NAMES,
    "indicator": ("indicator", "指标", "指标名称", "indicator_id", "indicator_name"),
    "value": ("value", "数值", "值", "指标值"),
    "unit": ("unit", "单位"),
    "ignored": ("value_raw", "qualifier", "source", "table", "note", "quote"),
}
_ROLE_OF = {key: role for role, keys in _ROLE_KEYS.items() for key in keys}
_UNITS_ROW_LABELS = ("单位", "unit", "units", "计量单位")


@dataclass
class _Header:
    row: int
    city: int
    year: int
    roles: pd.Series
    text: pd.Series
    problems: list[Problem]
    top: int = -1

    @property
    def first(self) -> int:
        """The first row of the header (``row`` is its last)."""
        return self.row if self.top < 0 else self.top

    @property
    def layout(self) -> Literal["wide", "long"]:
        return "long" if {"indicator", "value"} <= set(self.roles) else "wide"


def _norm_key(text: pd.Series) -> pd.Series:
    """Matching key: full-width → ASCII, all whitespace removed, case-folded."""
    return clean_text(text).str.replace(r"\s+", "", regex=True).str.casefold()


def _split_unit(text: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Split ``"GDP (亿元)"`` into the name and the unit in trailing parentheses."""
    groups = clean_text(text).str.extract(r"^(?P<name>.*?\S)\s*[(\[](?P<unit>[^()\[\]]*)[)\]]$")
    return groups["name"], groups["unit"].str.strip()


def _roles(text: pd.Series) -> pd.Series:
    """Role of each header cell: city, year, indicator, value, unit, ignored or NA."""
    role = _norm_key(text).map(_ROLE_OF)
    stripped = _norm_key(_split_unit(text)[0]).map(_ROLE_OF)
    return role.fillna(stripped).astype("string")


def _lookup(system: IndicatorSystem) -> pd.DataFrame:
    """Normalised header key → ``id`` (when it names one indicator) or ``ambiguous`` ids."""
    ids = [ind.id for ind in system.indicators for _ in range(3 + len(ind.aliases))]
    names = [
        name
        for ind in system.indicators
        for name in (ind.id, ind.name_zh, ind.name_en, *ind.aliases)
    ]
    names_s = pd.Series(names, dtype="string")
    stripped = _split_unit(names_s)[0].fillna(names_s)
    table = pd.DataFrame(
        {"key": pd.concat([_norm_key(names_s), _norm_key(stripped)], ignore_index=True)}
    ).assign(id=ids + ids)
    table = table[table["key"].ne("")].drop_duplicates()
    grouped = table.groupby("key", sort=False)["id"]
    out = pd.DataFrame({"n": grouped.size(), "ids": grouped.agg(", ".join)})
    return out.assign(id=out["ids"].where(out["n"].eq(1)))


def _match(text: pd.Series, lookup: pd.DataFrame) -> pd.DataFrame:
    """Match header texts to indicator ids.

    Returns columns ``id`` (the indicator, NA unless exactly one matches), ``ambiguous``
    (the ids, comma-separated, when several match) and ``unit`` (the unit stripped from
    trailing parentheses when the match needed the stripping, else NA).
    """
    full_key = _norm_key(text)
    name, unit = _split_unit(text)
    stripped_key = _norm_key(name)
    use_full = full_key.isin(lookup.index).to_numpy(dtype=bool)
    key = full_key.where(use_full, stripped_key)
    found = key.isin(lookup.index).to_numpy(dtype=bool)
    ids = key.map(lookup["id"]).where(found)
    ambiguous = key.map(lookup["ids"]).where(found & ids.isna().to_numpy(dtype=bool))
    has_unit = ~use_full & found & unit.fillna("").ne("").to_numpy(dtype=bool)
    return pd.DataFrame(
        {
            "id": ids.astype("string"),
            "ambiguous": ambiguous.astype("string"),
            "unit": unit.where(has_unit).astype("string"),
        },
        index=text.index,
    )


def _find_header(grid: _Grid) -> _Header | None:
    """The first row holding a city and a year column."""
    if grid.shape[1] == 0 or grid.shape[0] == 0:
        return None
    row = -1
    for lo, hi in ((0, _HEADER_SCAN), (_HEADER_SCAN, grid.shape[0])):
        roles = _flat(grid.text(slice(lo, hi)), lambda cells: _roles(cells).fillna(""))
        has = roles.eq("city").any(axis=1) & roles.eq("year").any(axis=1)
        rows = np.flatnonzero(has.to_numpy(dtype=bool))
        if len(rows):
            row = lo + int(rows[0])
            role = roles.iloc[int(rows[0])].astype("string")
            role = role.mask(role.eq(""))
            break
    if row < 0:
        return None
    text = grid.text(row)
    problems = []
    is_long = role.eq("indicator").any() and role.eq("value").any()
    for key in ("city", "year", "indicator", "value", "unit") if is_long else ("city", "year"):
        at = np.flatnonzero(role.eq(key).fillna(False).to_numpy(dtype=bool))
        if len(at) > 1:
            refs = ", ".join(grid.refs([row] * len(at), at))
            problems.append(
                grid.problem(
                    f"{len(at)} columns could be the {key} column ({refs}); keep one",
                    row,
                    int(at[1]),
                    column=str(text.iloc[at[1]]),
                    code="key_column_twice",
                    params={"n": len(at), "key": key, "key_zh": _KEY_ZH[key], "refs": refs},
                )
            )
    city = int(np.flatnonzero(role.eq("city").fillna(False).to_numpy(dtype=bool))[0])
    year = int(np.flatnonzero(role.eq("year").fillna(False).to_numpy(dtype=bool))[0])
    return _Header(
        row=row,
        city=city,
        year=year,
        roles=role.reset_index(drop=True),
        text=text.reset_index(drop=True),
        problems=problems,
    )


_HEADER_SCAN = 200
_KEY_ZH = {"city": "城市", "year": "年份", "indicator": "指标", "value": "数值", "unit": "单位"}
#: The key header names suggested in messages.
KEY_HELP_PARAMS = {"city_names": "城市/地区/城市名称/city", "year_names": "年份/年度/年/year"}
_KEY_HELP = (
    f"header row with a city column ({KEY_HELP_PARAMS['city_names']}) and a year column "
    f"({KEY_HELP_PARAMS['year_names']})"
)


def _same_unit(a: str, b: str) -> bool:
    """Units compare equal after full-width mapping, whitespace removal and case-folding."""
    ka, kb = _norm_key(pd.Series([a, b], dtype="string"))
    return bool(ka == kb)


_MAX_HEADER_ROWS = 3


def _extend_header(grid: _Grid, header: _Header, lookup: pd.DataFrame) -> _Header:
    """Join a header of up to three rows into one.

    Yearbook tables put group headings (``经济``, merged across their indicators) above the
    indicator names, with the key cells (``城市``, ``年份``) merged down over both rows. The
    header is extended down while the key cells are merged into the next row, or while the
    next row has blank key cells and names an indicator that the rows above do not. Each
    column's header is then its lowest filled cell, after spreading group headings across
    their merged span.
    """
    top = header.row
    last = min(top + _MAX_HEADER_ROWS - 1, grid.shape[0] - 1)
    bottom = top
    for r0, c0, r1, c1 in grid.merged:
        keys = (c0 <= header.city <= c1) or (c0 <= header.year <= c1)
        if r0 == top and r1 > top and keys:
            bottom = max(bottom, min(r1, last))
    text = grid.text(slice(top, last + 1)).to_numpy(dtype=object)
    for r0, c0, _, c1 in grid.merged:
        if top <= r0 <= last and c1 > c0:
            text[r0 - top, c0 + 1 : c1 + 1] = text[r0 - top, c0]
    key_cols = [header.city, header.year]
    while bottom < last:
        nxt = pd.Series(text[bottom + 1 - top], dtype="string")
        if nxt.iloc[key_cols].ne("").any():
            break
        above = _combined(text[: bottom + 1 - top])
        new = _match(nxt, lookup)["id"].notna() & _match(above, lookup)["id"].isna()
        if not new.any():
            break
        bottom += 1
    if bottom == top:
        return header
    combined = _combined(text[: bottom + 1 - top])
    roles = _roles(combined)
    info = grid.problem(
        f"the header spans rows {top + 1}–{bottom + 1}: each column's header is its lowest "
        "filled cell (group headings above the indicator names are not read)",
        severity="info",
        code="header_rows",
        params={"top": top + 1, "bottom": bottom + 1},
    )
    return _Header(
        row=bottom,
        city=header.city,
        year=header.year,
        roles=roles.reset_index(drop=True),
        text=combined.reset_index(drop=True),
        problems=[*header.problems, info],
        top=top,
    )


def _combined(rows: np.ndarray) -> pd.Series:
    """The lowest non-empty text of each column of a block of header rows."""
    filled = rows != ""
    lowest = rows.shape[0] - 1 - np.argmax(filled[::-1], axis=0)
    picked = rows[lowest, np.arange(rows.shape[1])]
    return pd.Series(np.where(filled.any(axis=0), picked, ""), dtype="string")


def _suggestion(message: str) -> dict[str, str]:
    """``{"suggestion": id}`` when ``message`` ends in a :func:`_did_you_mean` hint."""
    found = re.search(r"\(did you mean (\S+) ", message)
    return {"suggestion": found.group(1)} if found else {}


def _did_you_mean(text: str, system: IndicatorSystem, lookup: pd.DataFrame) -> str:
    """``" (did you mean gdp 地区生产总值?)"`` for a header close to an indicator's name."""
    name = _split_unit(pd.Series([text], dtype="string"))[0].fillna(text)
    key = str(_norm_key(name).iloc[0])
    keys = [str(k) for k in lookup.index[lookup["id"].notna()]]
    close = difflib.get_close_matches(key, keys, n=1, cutoff=0.6)
    if not key or not close:
        return ""
    ind = system.indicator(str(lookup.at[close[0], "id"]))
    return f" (did you mean {ind.id} {ind.name_zh}?)"


def key_roles(names: list[str]) -> list[str | None]:
    """``"city"``, ``"year"`` or ``None`` for each column name (see :data:`KEY_NAMES`)."""
    roles = _roles(pd.Series(names, dtype="string"))
    return [r if r in KEY_NAMES else None for r in roles.fillna("").tolist()]
