"""Side tables for an assessment: city groups, a spatial weights table, influencing factors.

Each is a small table in a ``.csv`` (UTF-8, UTF-8 with BOM, GBK, UTF-16) or the first sheet of
an ``.xlsx`` workbook, read with the same safety checks as the data file. Every problem is
collected with its cell before an :class:`~coordeval.errors.InputError` is raised.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from coordeval.errors import InputError, Problem
from coordeval.io._grid import _Grid
from coordeval.io._header import KEY_NAMES
from coordeval.io._sources import load_grid
from coordeval.io.cells import error_params, parse_values, parse_year

__all__ = [
    "check_side_cities",
    "read_cities",
    "read_coords",
    "read_factors",
    "read_groups",
    "read_spatial_weights",
]

_CITY = KEY_NAMES["city"]
_YEAR = KEY_NAMES["year"]
_ALIASES = ("aliases", "alias", "别名", "曾用名")
_NAME_EN = ("name_en", "英文名", "英文名称", "english")
_ORDER = ("order", "顺序", "序号")
_LON = ("lon", "lng", "longitude", "经度", "x")
_LAT = ("lat", "latitude", "纬度", "y")
_ADCODE = ("adcode", "行政区划代码", "区划代码")
_GROUP = ("group", "分组", "组别", "区域", "片区", "省份", "province", "region")


def _first_grid(path: str | Path) -> _Grid:
    """The first sheet of a workbook, or a CSV file, as a grid of cells (header in row 0)."""
    grid = load_grid(path, formats=".xlsx or .csv").grid
    assert grid is not None  # without ``find`` the first sheet (the widest split) is read
    return grid


def _header(grid: _Grid) -> list[str]:
    if grid.shape[0] < 2:
        raise InputError(
            [
                grid.problem(
                    "the table needs a header row and at least one row below it",
                    code="side_no_table",
                )
            ],
            f"{grid.file}: no table",
        )
    return [str(h).strip() for h in grid.text(0)]


def _find(header: list[str], keys: tuple[str, ...]) -> int | None:
    folded = [h.casefold().replace(" ", "") for h in header]
    for k in keys:
        if k.casefold() in folded:
            return folded.index(k.casefold())
    return None


def _need(grid: _Grid, header: list[str], keys: tuple[str, ...], what: str) -> int:
    col = _find(header, keys)
    if col is None:
        raise InputError(
            [
                grid.problem(
                    f"no {what} column: name one of {', '.join(keys)} in the first row",
                    code="side_column_missing",
                    params={
                        "what": what,
                        "what_zh": _WHAT_ZH.get(what, what),
                        "keys": ", ".join(keys),
                    },
                )
            ],
            f"{grid.file}: no {what} column",
        )
    return col


def _city_cells(grid: _Grid, names: pd.Series, col: int) -> dict[str, Any]:
    """Where each city is written (file, sheet, first cell), kept in ``attrs`` of the table
    so that a city the panel does not have can be reported with its cell."""
    valid = (names.notna() & names.ne("")).to_numpy(dtype=bool)
    rows = np.flatnonzero(valid & ~names.duplicated().to_numpy(dtype=bool))
    refs = grid.refs(rows + 1, np.full(len(rows), col)) if len(rows) else []
    cells = dict(zip(names.iloc[rows].astype(str).tolist(), map(str, refs), strict=True))
    return {"file": grid.file, "sheet": getattr(grid, "sheet", None), "cells": cells}


def _cities(grid: _Grid, col: int, problems: list[Problem]) -> pd.Series:
    """City names of the body rows; blank names are problems."""
    names = grid.text(slice(1, None), col).astype("string").str.strip()
    for row in np.flatnonzero((names.isna() | (names == "")).to_numpy()):
        problems.append(
            grid.problem("city name is blank", int(row) + 1, col, code="side_city_blank")
        )
    return names


def _duplicates(
    grid: _Grid, keys: pd.Series | pd.DataFrame, col: int, problems: list[Problem]
) -> None:
    dup = keys.duplicated(keep="first").to_numpy()
    for row in np.flatnonzero(dup):
        key = keys.iloc[row]
        shown = " ".join(map(str, key)) if isinstance(key, pd.Series) else str(key)
        problems.append(
            grid.problem(
                f"{shown} is listed twice",
                int(row) + 1,
                col,
                value=shown,
                code="side_listed_twice",
                params={"key": shown},
            )
        )


def _numbers(
    grid: _Grid, cols: list[int], header: list[str], problems: list[Problem]
) -> np.ndarray:
    """Parse the body of ``cols`` as numbers; every unreadable or missing cell is a problem."""
    out = np.empty((grid.shape[0] - 1, len(cols)))
    for k, col in enumerate(cols):
        parsed = parse_values(grid.raw.iloc[1:, col].reset_index(drop=True))
        bad = parsed.error.notna() | parsed.value.isna()
        for row in np.flatnonzero(bad.to_numpy()):
            why = parsed.error.iloc[row]
            message = "value is missing" if pd.isna(why) else str(why)
            problems.append(
                grid.problem(
                    message,
                    int(row) + 1,
                    col,
                    column=header[col],
                    value=str(parsed.raw.iloc[row]),
                    code="side_value_missing" if pd.isna(why) else "side_value_unreadable",
                    params={} if pd.isna(why) else error_params([why])[0],
                )
            )
        out[:, k] = parsed.value.to_numpy(dtype=np.float64, na_value=np.nan)
    return out


def _raise(problems: list[Problem], grid: _Grid, what: str) -> None:
    errors = [p for p in problems if p.severity == "error"]
    if errors:
        raise InputError(errors, f"{grid.file}: the {what} cannot be used")


def read_groups(path: str | Path) -> pd.Series:
    """Read city groups (e.g. core/periphery, province) for the inequality decompositions.

    Parameters
    ----------
    path : str or Path
        A table with a city column (``city``/``城市``/``地区``) and a group column
        (``group``/``分组``/``组别``/``区域``/``片区``/``省份``/``province``/``region``).

    Returns
    -------
    pandas.Series
        Group label (string) indexed by city name.

    Raises
    ------
    InputError
        Unreadable file, missing columns, blank or duplicated cities, blank groups.
    """
    grid = _first_grid(path)
    header = _header(grid)
    c_city = _need(grid, header, _CITY, "city")
    c_group = _need(grid, header, _GROUP, "group")
    problems: list[Problem] = []
    cities = _cities(grid, c_city, problems)
    groups = grid.text(slice(1, None), c_group).astype("string").str.strip()
    for row in np.flatnonzero((groups.isna() | (groups == "")).to_numpy()):
        problems.append(grid.problem("group is blank", int(row) + 1, c_group, code="group_blank"))
    _duplicates(grid, cities, c_city, problems)
    _raise(problems, grid, "groups")
    index = pd.Index(cities.to_numpy(), name="city")
    out = pd.Series(groups.to_numpy(), index=index, name="group")
    out.attrs["source"] = _city_cells(grid, cities, c_city)
    return out


def read_spatial_weights(path: str | Path) -> pd.DataFrame:
    """Read a square city × city table (0/1 adjacency, weights or distances).

    Parameters
    ----------
    path : str or Path
        The first row holds the city names of the columns, the first column those of the rows
        (its header cell may say ``city``/``城市`` or be blank); every other cell is a
        non-negative number.

    Returns
    -------
    pandas.DataFrame
        Indexed and labelled by city, in the file's order.

    Raises
    ------
    InputError
        Unreadable or negative values, missing cells, duplicated cities, or row and column
        cities that differ.
    """
    grid = _first_grid(path)
    header = _header(grid)
    problems: list[Problem] = []
    rows = _cities(grid, 0, problems)
    cols = header[1:]
    if sorted(cols) != sorted(rows.dropna().tolist()):
        extra_c = sorted(set(cols) - set(rows.dropna()))
        extra_r = sorted(set(rows.dropna()) - set(cols))
        problems.append(
            grid.problem(
                "the row and column cities must be the same; only in the columns: "
                f"{', '.join(extra_c) or '—'}; only in the rows: {', '.join(extra_r) or '—'}",
                code="weights_cities_differ",
                params={"cols": ", ".join(extra_c) or "—", "rows": ", ".join(extra_r) or "—"},
            )
        )
    _duplicates(grid, rows, 0, problems)
    values = _numbers(grid, list(range(1, len(header))), header, problems)
    for r, c in zip(*np.nonzero(values < 0), strict=True):
        problems.append(
            grid.problem(
                "must not be negative",
                int(r) + 1,
                int(c) + 1,
                column=header[c + 1],
                value=None,
                code="weight_negative",
            )
        )
    _raise(problems, grid, "spatial weights table")
    out = pd.DataFrame(values, index=pd.Index(rows.to_numpy(), name="city"), columns=cols)
    out.attrs["source"] = _city_cells(grid, rows, 0)
    return out


def read_factors(path: str | Path) -> pd.DataFrame:
    """Read influencing factors: one row per city and year, one numeric column per factor.

    Parameters
    ----------
    path : str or Path
        A table with a city column, a year column (``2019`` or ``2019年``) and factor columns;
        values are read like data values (thousands separators, ``万``, full-width digits).

    Returns
    -------
    pandas.DataFrame
        Indexed by (``city``, ``year``), one float column per factor (its header as written).

    Raises
    ------
    InputError
        Missing city/year columns, no factor column, unreadable or missing values, duplicated
        city-years.
    """
    grid = _first_grid(path)
    header = _header(grid)
    c_city = _need(grid, header, _CITY, "city")
    c_year = _need(grid, header, _YEAR, "year")
    factor_cols = [k for k, h in enumerate(header) if k not in (c_city, c_year) and h]
    if not factor_cols:
        raise InputError(
            [grid.problem("no factor column besides city and year", code="factors_none")],
            f"{grid.file}: no factors",
        )
    problems: list[Problem] = []
    cities = _cities(grid, c_city, problems)
    years, year_error = parse_year(grid.raw.iloc[1:, c_year].reset_index(drop=True))
    for row in np.flatnonzero(year_error.notna().to_numpy()):
        problems.append(
            grid.problem(
                str(year_error.iloc[row]),
                int(row) + 1,
                c_year,
                column=header[c_year],
                value=grid.text(row + 1, c_year),
                code="year_unreadable",
                params=error_params([year_error.iloc[row]])[0],
            )
        )
    keys = pd.DataFrame({"city": cities.to_numpy(), "year": years.to_numpy()})
    _duplicates(grid, keys, c_city, problems)
    values = _numbers(grid, factor_cols, header, problems)
    _raise(problems, grid, "factors table")
    index = pd.MultiIndex.from_arrays(
        [cities.to_numpy(dtype=object), years.to_numpy(dtype=np.int64)], names=["city", "year"]
    )
    out = pd.DataFrame(values, index=index, columns=[header[k] for k in factor_cols])
    out.attrs["source"] = _city_cells(grid, cities, c_city)
    return out


#: The side tables and columns named in messages, in Chinese.
_WHAT_ZH = {
    "city groups": "城市分组",
    "spatial weights": "空间权重",
    "influencing factors": "影响因素",
    "city": "城市",
    "group": "分组",
    "year": "年份",
    "longitude": "经度",
    "latitude": "纬度",
}

_SIDE_NAMES = {
    "groups": ("--groups", "city groups"),
    "spatial_weights": ("--spatial", "spatial weights"),
    "factors": ("--factors", "influencing factors"),
}


def check_side_cities(tables: Mapping[str, Any], cities: Iterable[str]) -> list[Problem]:
    """Cities of the side tables that the panel does not have, and panel cities they lack.

    Parameters
    ----------
    tables : mapping
        Keyword arguments of an assessment: ``groups`` (Series indexed by city),
        ``spatial_weights`` (city × city DataFrame), ``factors`` (indexed by city, year);
        other keys are ignored.
    cities : iterable of str
        The cities of the panel.

    Returns
    -------
    list of Problem
        One error per unknown city (with the file and cell where it is written, when the
        table was read by this module) and one per table that lacks panel cities (naming
        them). Empty when every table matches.
    """
    panel = list(dict.fromkeys(map(str, cities)))
    known = set(panel)
    problems: list[Problem] = []
    for key, (option, what) in _SIDE_NAMES.items():
        table = tables.get(key)
        if table is None:
            continue
        index = (
            table.index.get_level_values(0)
            if isinstance(table.index, pd.MultiIndex)
            else table.index
        )
        listed = list(dict.fromkeys(map(str, index)))
        source = getattr(table, "attrs", {}).get("source", {})
        cells = source.get("cells", {})
        for city in (c for c in listed if c not in known):
            problems.append(
                Problem(
                    f"{option}: city {city!r} of the {what} table is not in the data; check "
                    "its spelling (the data's cities: "
                    + ", ".join(panel[:12])
                    + (" …" if len(panel) > 12 else "")
                    + ")",
                    file=source.get("file"),
                    sheet=source.get("sheet"),
                    cell=cells.get(city),
                    value=city,
                    code="side_city_unknown",
                    params={
                        "option": option,
                        "city": city,
                        "what": what,
                        "what_zh": _WHAT_ZH[what],
                        "cities": ", ".join(panel[:12]) + (" …" if len(panel) > 12 else ""),
                    },
                )
            )
        absent = [c for c in panel if c not in set(listed)]
        if absent:
            problems.append(
                Problem(
                    f"{option}: the {what} table has no row for {len(absent)} city(ies) of the "
                    f"data: {', '.join(absent)}",
                    file=source.get("file"),
                    sheet=source.get("sheet"),
                    code="side_cities_absent",
                    params={
                        "option": option,
                        "what": what,
                        "what_zh": _WHAT_ZH[what],
                        "n": len(absent),
                        "cities": ", ".join(absent),
                    },
                )
            )
    return problems


def read_cities(path: str | Path) -> pd.DataFrame:
    """Read a cities table: canonical names, their aliases and the row order.

    Parameters
    ----------
    path : str or Path
        A table with the columns ``city`` (canonical name; also ``城市``), ``aliases``
        (other spellings separated by ``;`` or ``、``; also ``别名``) and optionally
        ``name_en`` (``英文名``), ``order`` (``顺序``), ``lon`` (``经度``), ``lat``
        (``纬度``), ``adcode`` (``行政区划代码``).

    Returns
    -------
    pandas.DataFrame
        Indexed by canonical city, in the ``order`` given (else the file's order):
        ``aliases`` (list of str), and ``name_en``, ``order``, ``lon``, ``lat``, ``adcode``
        when present (coordinates are kept for analyses that use them).

    Raises
    ------
    InputError
        Unreadable file, no city column, blank or duplicated cities, an alias given to two
        cities or equal to another canonical name, unreadable numbers, longitude outside
        [-180, 180], latitude outside [-90, 90], an adcode that is not six digits.
    """
    grid = _first_grid(path)
    header = _header(grid)
    c_city = _need(grid, header, _CITY, "city")
    problems: list[Problem] = []
    cities = _cities(grid, c_city, problems)
    _duplicates(grid, cities, c_city, problems)
    out = pd.DataFrame(index=pd.Index(cities.to_numpy(dtype=object), name="city"))
    c_alias = _find(header, _ALIASES)
    if c_alias is not None:
        raw = grid.text(slice(1, None), c_alias).astype("string").fillna("")
        parts = raw.str.replace("；", ";").str.replace("、", ";").str.split(";")
        out["aliases"] = [[a.strip() for a in p if a.strip()] for p in parts.tolist()]
        owner: dict[str, str] = {}
        names = set(map(str, cities.dropna()))
        for row, (city, aliases) in enumerate(zip(cities, out["aliases"], strict=True)):
            for a in aliases:
                if a in names and a != city:
                    problems.append(
                        grid.problem(
                            f"alias {a!r} of {city} is itself a city of the table",
                            row + 1,
                            c_alias,
                            value=a,
                            code="alias_is_city",
                            params={"alias": a, "city": city},
                        )
                    )
                elif owner.setdefault(a, str(city)) != city:
                    problems.append(
                        grid.problem(
                            f"alias {a!r} is given to {owner[a]} and to {city}",
                            row + 1,
                            c_alias,
                            value=a,
                            code="alias_twice",
                            params={"alias": a, "first": owner[a], "city": city},
                        )
                    )
    else:
        out["aliases"] = [[] for _ in range(len(out))]
    c_en = _find(header, _NAME_EN)
    if c_en is not None:
        out["name_en"] = grid.text(slice(1, None), c_en).astype("string").str.strip().to_numpy()
    numeric = {
        key: col
        for key, keys in (("order", _ORDER), ("lon", _LON), ("lat", _LAT), ("adcode", _ADCODE))
        if (col := _find(header, keys)) is not None
    }
    if numeric:
        values = _numbers(grid, list(numeric.values()), header, problems)
        for k, (key, col) in enumerate(numeric.items()):
            out[key] = values[:, k]
            limits = {"lon": (-180.0, 180.0), "lat": (-90.0, 90.0)}.get(key)
            v = values[:, k]
            if limits is not None:
                bad = (v < limits[0]) | (v > limits[1])
                what = f"must lie in [{limits[0]:g}, {limits[1]:g}]"
                code, params = "value_outside", {"lo": f"{limits[0]:g}", "hi": f"{limits[1]:g}"}
            elif key == "adcode":
                bad = ~np.isnan(v) & ((v != np.round(v)) | (v < 100000) | (v > 999999))
                what = "must be a six-digit administrative division code"
                code, params = "adcode_invalid", {}
            else:
                bad = np.zeros(len(v), dtype=bool)
                what, code, params = "", "", {}
            for row in np.flatnonzero(bad):
                problems.append(
                    grid.problem(
                        what,
                        int(row) + 1,
                        col,
                        column=header[col],
                        value=f"{v[row]:g}",
                        code=code,
                        params=params,
                    )
                )
        if "adcode" in out:
            out["adcode"] = out["adcode"].astype("Int64")
    _raise(problems, grid, "cities table")
    if "order" in out:
        out = out.sort_values("order", kind="stable")
    out.attrs["source"] = _city_cells(grid, cities, c_city)
    return out


def read_coords(path: str | Path) -> pd.DataFrame:
    """Read city coordinates: longitude and latitude in decimal degrees (WGS 84).

    Parameters
    ----------
    path : str or Path
        A table with a city column (``city``/``城市``/``地区``; ``state`` is accepted for
        non-Chinese panels) and ``lon``/``longitude``/``经度`` and ``lat``/``latitude``/``纬度``
        columns; other columns are ignored.

    Returns
    -------
    pandas.DataFrame
        Columns ``lon``, ``lat`` (float), indexed by city in the file's order.

    Raises
    ------
    InputError
        Missing columns, blank or duplicated cities, unreadable values, longitudes outside
        [−180, 180] or latitudes outside [−90, 90] (each with its cell).
    """
    grid = _first_grid(path)
    header = _header(grid)
    c_city = _need(grid, header, (*_CITY, "state", "州"), "city")
    c_lon = _need(grid, header, _LON, "longitude")
    c_lat = _need(grid, header, _LAT, "latitude")
    problems: list[Problem] = []
    cities = _cities(grid, c_city, problems)
    _duplicates(grid, cities, c_city, problems)
    values = _numbers(grid, [c_lon, c_lat], header, problems)
    for k, (col, bound) in enumerate(((c_lon, 180.0), (c_lat, 90.0))):
        for row in np.flatnonzero(np.abs(values[:, k]) > bound):
            problems.append(
                grid.problem(
                    f"must be within [-{bound:g}, {bound:g}] degrees",
                    int(row) + 1,
                    col,
                    column=header[col],
                    value=f"{values[row, k]:g}",
                    code="degrees_outside",
                    params={"bound": f"{bound:g}"},
                )
            )
    _raise(problems, grid, "coordinates table")
    return pd.DataFrame(
        values, index=pd.Index(cities.to_numpy(), name="city"), columns=["lon", "lat"]
    )
