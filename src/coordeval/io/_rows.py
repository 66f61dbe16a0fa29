"""The body rows of a table: footnotes, merged keys, city and year keys, repeats."""

from __future__ import annotations

import numpy as np
import pandas as pd

from coordeval.errors import (
    Problem,
)
from coordeval.io._grid import _Grid
from coordeval.io._header import _Header
from coordeval.io.cells import (
    ERROR_VALUE,
    FORMULA_NO_VALUE,
    clean_text,
    error_params,
    parse_year,
    special_cells,
)

__all__ = []

_FOOTNOTE = r"^(?:注|资料来源|数据来源|note|source|\*)"


def _fill_merged(grid: _Grid, header: _Header, key_cols: list[int]) -> list[Problem]:
    """Repeat the value of merged key cells (a city spanning several year rows) in each row."""
    problems = []
    for r0, c0, r1, c1 in grid.merged:
        if r0 <= header.row or r1 == r0 or c0 != c1 or c0 not in key_cols:
            continue
        grid.fill_down(c0, r0, r1)
        span = f"{grid.ref(r0, c0)}:{grid.ref(r1, c1)}"
        problems.append(
            grid.problem(
                f"merged cells {span}: the value is read in each of their rows",
                r0,
                c0,
                column=str(header.text.iloc[c0]),
                value=grid.text(r0, c0),
                severity="info",
                code="merged_keys",
                params={"span": span},
            )
        )
    return problems


def _body_rows(
    grid: _Grid, start: int, table_cols: np.ndarray
) -> tuple[np.ndarray, np.ndarray, list[Problem]]:
    """Rows of the table from ``start``, ended by the first footnote row.

    Returns the non-blank table rows, all rows above the footnote (``span``) and the
    problems (an info for each footnote row, a warning for content below the footnote).
    """
    empty = np.array([], dtype=np.int64)
    if start >= grid.shape[0]:
        return empty, empty, []
    nonempty = grid.filled[start:]
    count = nonempty.sum(axis=1)
    first_col = nonempty.argmax(axis=1)
    positions = np.arange(start, grid.shape[0])
    single = np.flatnonzero(count == 1)  # a footnote is the only filled cell of its row
    first = pd.Series(grid.texts(positions[single], first_col[single]), dtype="string")
    is_note = first.str.casefold().str.contains(_FOOTNOTE).fillna(False).to_numpy(dtype=bool)
    notes = single[is_note]
    footnote = np.zeros(len(positions), dtype=bool)
    footnote[notes] = True
    blank = ~nonempty[:, table_cols].any(axis=1)
    end = int(notes[0]) if len(notes) else len(positions)
    problems: list[Problem] = []
    if len(notes):
        problems += [
            *grid.problems(
                "footnote row: the table ends above it",
                positions[notes],
                first_col[notes],
                None,
                first.to_numpy(dtype=object)[is_note],
                severity="info",
                code="footnote_row",
            )
        ]
        after = np.flatnonzero((count > 0) & ~footnote)
        after = after[after > end]
        if len(after):
            problems.append(
                grid.problem(
                    f"{len(after)} non-empty row(s) below the footnote at "
                    f"{grid.ref(int(positions[end]), int(first_col[end]))} are not read",
                    int(positions[after[0]]),
                    int(first_col[after[0]]),
                    value=grid.text(int(positions[after[0]]), int(first_col[after[0]])),
                    severity="warning",
                    code="rows_below_footnote",
                    params={
                        "n": len(after),
                        "at": grid.ref(int(positions[end]), int(first_col[end])),
                    },
                )
            )
    span = positions[:end]
    return span[~blank[:end]], span, problems


#: City cells that name a total or subtotal of a yearbook table, not a city.
_TOTAL_ROW = (
    r"(?:.*(?:合计|总计|小计|共计|总和|汇总|平均值?|均值)|全市|全省|全区|全县|全国|全州|全盟|全流域"
    r"|.*城市群|.*经济圈|.*都市圈|(?:grand\s+)?total|subtotal|sum|average|mean|all)"
    r"\s*[:：]?"
)
#: Control characters (C0 other than tab/newline/CR, DEL, C1) that no name may contain.
_CONTROL = r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]"


def _bad_city_cells(
    grid: _Grid, header: _Header, rows: np.ndarray, city: pd.Series
) -> tuple[np.ndarray, np.ndarray, list[Problem]]:
    """Key cells that are not city names: error values, uncached formulas and control
    characters (errors), and total/subtotal rows (left out with a note).

    Returns the masks ``(refused, totals)`` over ``rows`` and the problems.
    """
    raw = grid.raw.iloc[rows, header.city].reset_index(drop=True)
    failed, formula = special_cells(raw)
    codes, uniques = pd.factorize(city)
    names = pd.Series(uniques, dtype="string")
    control = names.str.contains(_CONTROL, regex=True).to_numpy(dtype=bool, na_value=False)
    control = np.append(control, False)[codes] & ~failed & ~formula
    total = names.str.fullmatch(_TOTAL_ROW, case=False).to_numpy(dtype=bool, na_value=False)
    total = np.append(total, False)[codes] & ~failed & ~formula & ~control
    column = str(header.text.iloc[header.city])
    shown = city.to_numpy(dtype=object)
    problems: list[Problem] = []
    for mask, what, code in (
        (failed, ERROR_VALUE, "city_error_value"),
        (formula, FORMULA_NO_VALUE, "city_formula_no_value"),
    ):
        problems += grid.problems(
            f"where a city name is expected: {what}",
            rows[mask],
            header.city,
            column,
            shown[mask],
            code=code,
        )
    problems += grid.problems(
        "the city name holds a control character (an invisible character such as U+0007); "
        "retype the name",
        rows[control],
        header.city,
        column,
        pd.Series(shown[control], dtype="string")
        .str.replace(_CONTROL, lambda m: f"<U+{ord(m.group(0)):04X}>", regex=True)
        .to_numpy(dtype=object),
        code="city_control_character",
    )
    problems += grid.problems(
        "a total or subtotal row, not a city: left out",
        rows[total],
        header.city,
        column,
        shown[total],
        severity="warning",
        code="total_row",
    )
    return failed | formula | control, total, problems


def _keys(grid: _Grid, header: _Header, rows: np.ndarray) -> tuple[pd.DataFrame, list[Problem]]:
    """City and year of each row; rows without a usable key are reported and marked."""
    shown = grid.text(rows, header.city).reset_index(drop=True)
    codes, uniques = pd.factorize(shown)  # a city repeats once per year: clean each name once
    city = pd.Series(
        np.append(clean_text(pd.Series(uniques, dtype="string")).to_numpy(dtype=object), "")[codes],
        dtype="string",
    )
    refused, total, problems = _bad_city_cells(grid, header, rows, city)
    year, year_error = parse_year(grid.raw.iloc[rows, header.year].reset_index(drop=True))
    city_blank = city.eq("").to_numpy(dtype=bool) & ~refused
    skip = refused | total
    bad_year = year_error.notna().to_numpy(dtype=bool) & ~city_blank & ~skip
    problems += grid.problems(
        "city is blank but the row has values",
        rows[city_blank],
        header.city,
        str(header.text.iloc[header.city]),
        None,
        code="city_blank",
    )
    problems += grid.problems(
        year_error[bad_year].to_numpy(dtype=object),
        rows[bad_year],
        header.year,
        str(header.text.iloc[header.year]),
        grid.texts(rows[bad_year], header.year),
        code="year_unreadable",
        params=error_params(year_error[bad_year]),
    )
    keys = pd.DataFrame(
        {
            "row": rows,
            "city": city.astype("str"),
            "year": year,
            "ok": ~city_blank & ~bad_year & ~skip,
        }
    )
    return keys, problems


def _duplicates(
    grid: _Grid, keys: pd.DataFrame, by: list[str], col: int, what: str
) -> tuple[np.ndarray, list[Problem]]:
    """Mark repeated keys; report each repeat with the cell of the first occurrence."""
    dup = keys.duplicated(subset=by, keep="first").to_numpy(dtype=bool)
    if not dup.any():
        return dup, []
    first_row = keys.groupby(by, sort=False)["row"].transform("first").to_numpy()
    firsts = grid.refs(first_row[dup], col)
    seconds = grid.refs(keys["row"].to_numpy()[dup], col)
    labels = keys.loc[dup, by].astype(str).agg(", ".join, axis=1).to_numpy(dtype=object)
    messages = [
        f"duplicate {what} ({label}) in {a} and {b}; only the first is read"
        for label, a, b in zip(labels, firsts, seconds, strict=True)
    ]
    problems = grid.problems(
        messages,
        keys["row"].to_numpy()[dup],
        col,
        None,
        labels,
        code=f"duplicate_{what.replace('-', '_')}",
        params=[
            {"label": label, "first": a, "second": b}
            for label, a, b in zip(labels, firsts, seconds, strict=True)
        ],
    )
    return dup, problems


def _unheaded(grid: _Grid, header: _Header, rows: np.ndarray) -> list[Problem]:
    """Report columns that hold values in table rows but have no header.

    A warning for a column without a header; an error when the column sits under a header
    cell merged across several columns, because it is then unclear which column holds the
    indicator (the values would be lost without a trace).
    """
    if not len(rows):
        return []
    unheaded = np.flatnonzero(header.text.eq("").to_numpy(dtype=bool))
    if not len(unheaded):
        return []
    problems: list[Problem] = []
    if grid.sheet is None:  # a CSV row longer than its header has been shifted
        last = int(np.flatnonzero(header.text.ne("").to_numpy(dtype=bool)).max(initial=-1))
        extra = unheaded[unheaded > last]
        if len(extra):
            long_rows = rows[grid.filled[np.ix_(rows, extra)].any(axis=1)]
            fields = grid.filled[long_rows].shape[1] - (
                np.argmax(grid.filled[long_rows][:, ::-1], axis=1)
            )
            problems += grid.problems(
                [
                    f"the row has {n} fields but the header has {last + 1}: an unquoted "
                    "thousands separator or decimal comma (such as 1,234 or 0,25) splits a "
                    "number in two and shifts the values after it; quote such numbers or "
                    "write them without the comma"
                    for n in fields
                ],
                long_rows,
                np.full(len(long_rows), last + 1),
                None,
                grid.texts(long_rows, np.full(len(long_rows), last + 1)),
                code="csv_row_too_long",
                params=[{"n": int(n), "width": last + 1} for n in fields],
            )
            unheaded = unheaded[unheaded <= last]
            if not len(unheaded):
                return problems
    filled = grid.filled[np.ix_(rows, unheaded)]
    has = filled.any(axis=0)
    first = filled.argmax(axis=0)
    cols = unheaded[has]
    first_rows = rows[first[has]]
    values = grid.texts(first_rows, cols)
    under = np.full(len(cols), "", dtype=object)
    for r0, c0, r1, c1 in grid.merged:
        if c1 > c0 and r0 <= header.row and r1 >= header.first:
            span = (cols > c0) & (cols <= c1)
            text = grid.text(r0, c0)
            under[span] = f"{grid.ref(r0, c0)}:{grid.ref(r1, c1)} ({text!r})"
    merged = under != ""
    problems += grid.problems(
        "column has values but no header; it is not read",
        first_rows[~merged],
        cols[~merged],
        None,
        values[~merged],
        severity="warning",
        code="column_unheaded",
    )
    problems += grid.problems(
        (
            "column has values under the header "
            + under[merged]
            + ", which is merged across several columns: which column is the indicator? "
            "Unmerge the header cells and give each column its own header"
        ),
        first_rows[merged],
        cols[merged],
        None,
        values[merged],
        code="column_under_merged_header",
        params=[{"header": str(u)} for u in under[merged]],
    )
    return problems
