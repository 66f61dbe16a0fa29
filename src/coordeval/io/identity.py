"""City identity: likely variants of one city's name, an unbalanced panel, a cities table.

Yearbooks write one city in several ways: ``清镇市`` in one year and ``清镇`` in another, a
full-width ``Ｇ`` or a stray space. Such variants silently split a city into two. This module
finds them (:func:`city_variants`), reports the cities and years missing from an unbalanced
panel once (:func:`unbalanced_panel`), and applies a cities table (canonical name, aliases,
row order; :func:`apply_cities`, read with :func:`coordeval.io.side.read_cities`).

The comparison key of a name (:func:`city_key`, :func:`fold_names`) is its NFKC form
(full-width letters, digits and spaces become half-width) without white space or ``_``,
case-folded, with administrative suffixes (自治州, 新区, 地区, 市, 区, 县, 州, 盟, the longest
that matches) removed while two characters remain. Boundary files are matched with the same
rule (:func:`coordeval.io.geometry.normalize_names`). Two different names with the same key
are reported as likely variants of one city; nothing is merged without a cities table.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd

from coordeval.errors import Problem

__all__ = [
    "ADMIN_SUFFIXES",
    "apply_cities",
    "city_key",
    "city_variants",
    "fold_names",
    "unbalanced_panel",
]

#: Administrative suffixes removed for the comparison key (longest first).
ADMIN_SUFFIXES = ("自治州", "新区", "地区", "市", "区", "县", "州", "盟")
_SUFFIX = r"^(.{2,}?)(?:" + "|".join(ADMIN_SUFFIXES) + r")$"


def fold_names(names: pd.Series | pd.Index | list[str]) -> pd.Series:
    """City names folded for comparison: the one rule of coordeval (data, cities tables and
    boundary files alike).

    NFKC (full-width letters, digits and spaces become half-width), case-folded, white space
    and ``_`` removed, then administrative suffixes (:data:`ADMIN_SUFFIXES`, the longest that
    matches) removed while at least two characters remain, repeatedly (``某某地区市`` →
    ``某某``).

    Parameters
    ----------
    names : Series, Index or list of str

    Returns
    -------
    Series of string
        Same order (and index, for a Series); missing names stay missing.

    Examples
    --------
    ``贵阳市``, ``贵阳`` and ``ＧＵＩＹＡＮＧ`` fold to ``贵阳``, ``贵阳`` and ``guiyang``; ``杭州``
    stays ``杭州`` (the remainder would be one character); ``浦东新区`` folds to ``浦东``.
    """
    index = names.index if isinstance(names, pd.Series) else None
    s = pd.Series(list(names), index=index, dtype="string")
    s = s.str.normalize("NFKC").str.casefold().str.replace(r"[\s_]+", "", regex=True)
    for _ in range(3):  # stops when nothing changes
        t = s.str.replace(_SUFFIX, r"\1", regex=True)
        if t.equals(s):
            break
        s = t
    return s


def city_key(names: pd.Series) -> pd.Series:
    """Comparison keys of city names (:func:`fold_names`, as ``str``)."""
    return fold_names(names).astype("str")


def _first_cells(cells: pd.DataFrame) -> pd.Series:
    """The first cell (file order) where each city has a value."""
    located = cells.dropna(subset=["cell"])
    return located.groupby("city", sort=False)["cell"].first().astype("str")


def city_variants(
    names: pd.Index | pd.Series,
    cells: Callable[[], pd.DataFrame] | pd.DataFrame | None = None,
    file: str | None = None,
    sheet: str | None = None,
) -> list[Problem]:
    """One warning per group of names that look like one city.

    Parameters
    ----------
    names : Index or Series
        The city names (duplicates allowed).
    cells : DataFrame or callable, optional
        :attr:`coordeval.io.read.PanelData.cells` (columns ``city``, ``year``, ``cell``), or
        a function returning it; looked up only when variants are found, to name each
        variant's first cell and its years.
    file, sheet : str, optional
        Where the names were read.

    Returns
    -------
    list of Problem
        Severity ``warning``; the message names every variant with its cell and years when
        known, and suggests a cities table.
    """
    unique = pd.Series(pd.Index(names).unique().astype("str"), dtype="str")
    if unique.empty:
        return []
    keys = city_key(unique)
    multi = keys.map(keys.value_counts()).to_numpy() > 1
    if not multi.any():
        return []
    first = pd.Series(dtype="str")
    years: pd.Series = pd.Series(dtype=object)
    if cells is not None:
        table = cells() if callable(cells) else cells
        table = table[table["city"].astype("str").isin(unique[multi])]
        first = _first_cells(table)
        years = table.groupby("city", sort=False)["year"].agg(lambda y: sorted(set(y)))
    problems = []
    for key, group in unique[multi].groupby(keys[multi], sort=False):
        parts = []
        for name in group:
            where = f" at {first[name]}" if name in first.index else ""
            when = years.get(name)
            span = f" ({', '.join(map(str, when))})" if when is not None else ""
            parts.append(f"{name!r}{where}{span}")
        problems.append(
            Problem(
                f"{len(group)} names look like one city ({key}): {'; '.join(parts)}; they are "
                "treated as different cities. Write one name throughout, or give a cities "
                "table (--cities) that lists the others as aliases",
                file=file,
                sheet=sheet,
                value=", ".join(group),
                severity="warning",
                code="names_one_city",
                params={"n": len(group), "key": key, "parts": "; ".join(parts)},
            )
        )
    return problems


def unbalanced_panel(panel: pd.DataFrame, file: str | None = None) -> list[Problem]:
    """One warning naming each city and the years it lacks (empty for a balanced panel)."""
    city = panel.index.get_level_values("city").astype("str")
    year = panel.index.get_level_values("year").astype(np.int64)
    all_years = np.unique(year)
    present = pd.crosstab(city, year).reindex(columns=all_years, fill_value=0) > 0
    lacking = present[~present.all(axis=1)]
    if lacking.empty:
        return []
    parts = [
        f"{c}: {', '.join(map(str, all_years[~row]))}"
        for c, row in zip(lacking.index, lacking.to_numpy(), strict=True)
    ]
    return [
        Problem(
            f"unbalanced panel: {len(lacking)} of {len(present)} cities lack years of "
            f"{all_years.min()}–{all_years.max()} — "
            + "; ".join(parts)
            + " (each year's analyses use the cities present in it; a name written two "
            "ways also looks like this)",
            file=file,
            severity="warning",
            code="unbalanced_panel",
            params={
                "n": len(lacking),
                "total": len(present),
                "first": int(all_years.min()),
                "last": int(all_years.max()),
                "parts": "; ".join(parts),
            },
        )
    ]


def apply_cities(
    panel: pd.DataFrame, cities: pd.DataFrame, file: str | None = None
) -> tuple[pd.DataFrame, dict[str, str], list[Problem]]:
    """Rename the panel's cities to their canonical names and order the rows.

    Parameters
    ----------
    panel : DataFrame
        Indexed by (``city``, ``year``).
    cities : DataFrame
        :func:`coordeval.io.side.read_cities`: index = canonical name, column ``aliases``
        (a list of names), optional ``order``.
    file : str, optional
        The data file, for the problems.

    Returns
    -------
    panel : DataFrame
        Cities renamed, rows in the table's order (then by year); cities not in the table
        keep their names and follow.
    renamed : dict
        Name as written → canonical name, for the names that changed.
    problems : list of Problem
        An error when two names of one city give the same year (which value is meant is
        unknown), an info line per renamed name, a warning naming the data's cities the
        table does not list.
    """
    alias = {str(c): str(c) for c in cities.index}
    for canonical, names in cities["aliases"].items():
        for name in names:
            alias[str(name)] = str(canonical)
    by_key = dict(zip(city_key(pd.Series(list(alias))), alias.values(), strict=True))
    written = panel.index.get_level_values("city").astype("str")
    direct = pd.Series(written, dtype="str").map(alias)
    keyed = city_key(pd.Series(written, dtype="str")).map(by_key)
    target = direct.fillna(keyed).fillna(pd.Series(written, dtype="str"))
    pairs = pd.DataFrame({"w": written, "t": target.to_numpy()}).drop_duplicates()
    pairs = pairs[pairs["w"] != pairs["t"]]
    renamed = dict(zip(pairs["w"], pairs["t"], strict=True))
    problems = [
        Problem(
            f"city {w!r} read as {t!r} (cities table)",
            file=file,
            severity="info",
            code="city_renamed",
            params={"written": w, "city": t},
        )
        for w, t in dict(sorted(renamed.items())).items()
    ]
    index = pd.MultiIndex.from_arrays(
        [target.to_numpy(dtype=object), panel.index.get_level_values("year")],
        names=["city", "year"],
    )
    out = panel.set_axis(index, axis=0)
    dup = out.index.duplicated(keep=False)
    if dup.any():
        keys = sorted({f"{c} {y}" for c, y in out.index[dup]})
        problems.append(
            Problem(
                f"two names of one city give the same year(s): {', '.join(keys)}; keep one "
                "row per city and year",
                file=file,
                code="alias_same_year",
                params={"keys": ", ".join(keys)},
            )
        )
        return panel, renamed, problems
    unlisted = sorted(set(target) - set(map(str, cities.index)))
    if unlisted:
        problems.append(
            Problem(
                f"the cities table does not list {len(unlisted)} city(ies) of the data: "
                f"{', '.join(unlisted)}",
                file=file,
                severity="warning",
                code="cities_unlisted",
                params={"n": len(unlisted), "cities": ", ".join(unlisted)},
            )
        )
    order = list(map(str, cities.index)) + unlisted
    rank = pd.Series(np.arange(len(order)), index=order)
    pos = rank.reindex(out.index.get_level_values("city")).to_numpy()
    sorter = np.lexsort((out.index.get_level_values("year").to_numpy(), pos))
    return out.iloc[sorter], renamed, problems
