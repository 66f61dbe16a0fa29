"""The wide and long layouts of a data table."""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import numpy as np
import pandas as pd

from coordeval.errors import (
    Problem,
)
from coordeval.io._grid import _Grid, _refs
from coordeval.io._header import (
    _UNITS_ROW_LABELS,
    _did_you_mean,
    _Header,
    _match,
    _norm_key,
    _same_unit,
    _suggestion,
)
from coordeval.io._rows import _body_rows, _duplicates, _fill_merged, _keys, _unheaded
from coordeval.io.cells import (
    ParsedValues,
    _arrow_text,
    clean_text,
    display_text,
    parse_values,
    text_mask,
)
from coordeval.system import IndicatorSystem

__all__ = []


@dataclass
class _Table:
    panel: pd.DataFrame
    long: pd.DataFrame
    units: dict[str, str]
    problems: list[Problem]
    unknown: list[tuple[str, str]] = field(default_factory=list)


_DECIMAL_COMMA = r"[+-]?[0-9]+,[0-9]+"
_GROUPED = r"[+-]?[1-9][0-9]{0,2}(?:,[0-9]{3})+"
_SURELY_GROUPED = r"[+-]?[1-9][0-9]{0,2}(?:(?:,[0-9]{3}){2,}(?:\.[0-9]*)?|(?:,[0-9]{3})+\.[0-9]*)"


def _decimal_commas(
    grid: _Grid, flat: pd.Series, rows: np.ndarray, cols: np.ndarray, headers: pd.Series
) -> tuple[pd.Series, list[Problem]]:
    """Decimal commas detected from the whole column, never one cell at a time.

    A text cell ``0,250`` or ``1200,5`` cannot be a thousands separator (groups of three
    digits after a leading 1–3 digits); one such cell makes its column a decimal-comma
    column, whose single-comma numbers are then read with a decimal point (a warning names
    the column). A column that also holds unmistakable thousands separators (``1,234,567``,
    ``1,234.5``) is ambiguous: its decimal-comma cells are errors. Only text cells with a
    comma are looked at (found with one vectorised scan). ``flat`` is the block of
    ``rows`` × ``cols`` row by row (:meth:`_Grid.block`); the same Series is returned, with
    the converted cells replaced.
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    problems: list[Problem] = []
    if len(flat) == 0 or grid.comma_free:
        return flat, problems
    if _arrow_text(flat.dtype):  # Arrow text: every cell is text, scanned in place
        comma = pc.match_substring(pa.array(flat), ",").fill_null(False)
        where = np.flatnonzero(comma.to_numpy(zero_copy_only=False))
        cells = flat.iloc[where].to_numpy(dtype=object)
    else:
        values = flat.to_numpy(dtype=object)
        is_str = text_mask(pd.Series(values, dtype=object))
        if not is_str.any():
            return flat, problems
        where = np.flatnonzero(is_str)
        comma = pc.match_substring(pa.array(values[where], type=pa.string()), ",")
        where = where[comma.to_numpy(zero_copy_only=False)]
        cells = values[where]
    if not where.size:
        return flat, problems
    text = pd.Series(cells, dtype="string").str.strip()
    decimal = (text.str.fullmatch(_DECIMAL_COMMA) & ~text.str.fullmatch(_GROUPED)).to_numpy(
        dtype=bool, na_value=False
    )
    if not decimal.any():
        return flat, problems
    ncol = len(cols)
    r, c = where // ncol, where % ncol
    grouped = text.str.fullmatch(_SURELY_GROUPED).to_numpy(dtype=bool, na_value=False)
    dec_cols = np.bincount(c[decimal], minlength=ncol) > 0
    mixed = dec_cols & (np.bincount(c[grouped], minlength=ncol) > 0)
    convert = dec_cols & ~mixed
    single = text.str.fullmatch(_DECIMAL_COMMA).to_numpy(dtype=bool, na_value=False)
    change = single & convert[c]
    out = flat.copy()
    if change.any():
        fixed = text[change].str.replace(",", ".", regex=False).to_numpy(dtype=object)
        out.iloc[where[change]] = fixed
        for j in np.flatnonzero(convert):
            first = int(np.flatnonzero(decimal & (c == j))[0])
            problems.append(
                grid.problem(
                    f"the column writes decimals with a comma ({text.iat[first]} is not a "
                    f"thousands separator): its {int((change & (c == j)).sum())} comma "
                    "number(s) are read with a decimal point",
                    int(rows[r[first]]),
                    int(cols[j]),
                    column=str(headers.iloc[j]),
                    value=str(text.iat[first]),
                    severity="warning",
                    code="decimal_comma_column",
                    params={"first": str(text.iat[first]), "n": int((change & (c == j)).sum())},
                )
            )
    bad = decimal & mixed[c]
    if bad.any():
        problems += grid.problems(
            "the column has both decimal commas and thousands separators, so this number is "
            "ambiguous; write decimals with a point and no thousands separators",
            rows[r[bad]],
            cols[c[bad]],
            headers.to_numpy(dtype=object)[c[bad]],
            text[bad].to_numpy(dtype=object),
            code="decimal_comma_ambiguous",
        )
    return out, problems


def _read_wide(
    grid: _Grid, header: _Header, system: IndicatorSystem, lookup: pd.DataFrame
) -> _Table:
    problems: list[Problem] = []
    text = header.text
    headed = np.flatnonzero(text.ne("").to_numpy(dtype=bool))
    others = headed[(headed != header.city) & (headed != header.year)]
    match = _match(text.iloc[others], lookup)
    unknown = (match["id"].isna() & match["ambiguous"].isna()).to_numpy(dtype=bool)
    unknown_text = text.iloc[others[unknown]].to_numpy(dtype=object)
    problems += [
        replace(p, code="unknown_column", params={"column": str(t), **_suggestion(p.message)})
        for p, t in zip(
            grid.problems(
                [
                    f"column is not an indicator of the system {system.name!r}; it is not read"
                    + _did_you_mean(str(t), system, lookup)
                    for t in unknown_text
                ],
                np.full(int(unknown.sum()), header.row),
                others[unknown],
                unknown_text,
                None,
                severity="warning",
            ),
            unknown_text,
            strict=True,
        )
    ]
    unknown_cols = list(
        zip(
            grid.refs(np.full(len(unknown_text), header.row), others[unknown]),
            unknown_text,
            strict=True,
        )
    )
    ambiguous = match["ambiguous"].notna().to_numpy(dtype=bool)
    problems += grid.problems(
        ("header matches several indicators: " + match["ambiguous"][ambiguous]).to_numpy(
            dtype=object
        ),
        np.full(int(ambiguous.sum()), header.row),
        others[ambiguous],
        text.iloc[others[ambiguous]].to_numpy(dtype=object),
        None,
        code="header_ambiguous",
        params=[{"ids": str(i)} for i in match["ambiguous"][ambiguous]],
    )
    single = match["id"].notna().to_numpy(dtype=bool)
    cols = pd.DataFrame(
        {
            "col": others[single],
            "id": match["id"][single].to_numpy(dtype=object),
            "header": text.iloc[others[single]].to_numpy(dtype=object),
            "unit": match["unit"][single].to_numpy(dtype=object),
        }
    )
    twice = cols.duplicated("id", keep="first").to_numpy(dtype=bool)
    if twice.any():
        first_col = cols.groupby("id", sort=False)["col"].transform("first").to_numpy()
        first_ref = grid.refs(np.full(int(twice.sum()), header.row), first_col[twice])
        problems += grid.problems(
            [
                f"a second column for indicator {i} (the first is {r}); keep one"
                for i, r in zip(cols["id"][twice], first_ref, strict=True)
            ],
            np.full(int(twice.sum()), header.row),
            cols["col"][twice].to_numpy(),
            cols["header"][twice].to_numpy(dtype=object),
            None,
            code="indicator_column_twice",
            params=[
                {"indicator": str(i), "first": str(r)}
                for i, r in zip(cols["id"][twice], first_ref, strict=True)
            ],
        )
        cols = cols[~twice].reset_index(drop=True)

    problems += _fill_merged(grid, header, [header.city, header.year])
    units = {i: u for i, u in zip(cols["id"], cols["unit"], strict=True) if pd.notna(u)}
    start = header.row + 1
    row_units = _units_row(grid, header, cols, start)
    if row_units is not None:
        for i, unit in row_units.items():
            if i in units and not _same_unit(units[i], unit):
                problems.append(
                    grid.problem(
                        f"the header gives unit {units[i]!r} for {i} but the units row "
                        f"gives {unit!r}; the header's unit is kept",
                        start,
                        int(cols.loc[cols["id"].eq(i), "col"].iloc[0]),
                        value=unit,
                        severity="warning",
                        code="units_row_differs",
                        params={"header_unit": units[i], "indicator": i, "row_unit": unit},
                    )
                )
            units.setdefault(i, unit)
        start += 1

    rows, span, body_problems = _body_rows(grid, start, headed)
    problems += body_problems
    problems += _unheaded(grid, header, span)
    keys, key_problems = _keys(grid, header, rows)
    problems += key_problems
    keys = keys[keys["ok"]].reset_index(drop=True)
    dup, dup_problems = _duplicates(grid, keys, ["city", "year"], header.city, "city-year")
    problems += dup_problems
    keys = keys[~dup].reset_index(drop=True)

    n_rows, n_ind = len(keys), len(cols)
    col_pos = cols["col"].to_numpy(dtype=np.int64)
    row_pos = keys["row"].to_numpy(dtype=np.int64)
    block = grid.block(row_pos, col_pos)
    block, comma_problems = _decimal_commas(grid, block, row_pos, col_pos, cols["header"])
    problems += comma_problems
    parsed = parse_values(block.reset_index(drop=True), render_numbers=False)
    city = pd.Categorical(keys["city"].to_numpy(dtype=object))
    header_text = pd.Categorical(cols["header"].to_numpy(dtype=object))
    long = pd.DataFrame(  # categorical labels: no string column of n_rows × n_ind is built
        {
            "city": pd.Categorical.from_codes(np.repeat(city.codes, n_ind), city.categories),
            "year": np.repeat(keys["year"].to_numpy(dtype=np.int32), n_ind),
            "indicator": pd.Categorical.from_codes(
                np.tile(np.arange(n_ind), n_rows), pd.Index(cols["id"], dtype=object)
            ),
            "row": np.repeat(row_pos.astype(np.int32), n_ind),  # 32 bits: a sheet's limit
            "col": np.tile(col_pos.astype(np.int32), n_rows),
            "column": pd.Categorical.from_codes(
                np.tile(header_text.codes, n_rows), header_text.categories
            ),
        }
    )
    long = _attach(long, parsed, grid)
    index = pd.MultiIndex.from_arrays(
        [keys["city"].astype("str"), keys["year"].astype("int64")], names=["city", "year"]
    )
    panel = pd.DataFrame(
        parsed.value.to_numpy(dtype=np.float64).reshape(n_rows, n_ind),
        index=index,
        columns=pd.Index(cols["id"].to_numpy(dtype=object), dtype="str"),
    )
    return _Table(panel=panel, long=long, units=units, problems=problems, unknown=unknown_cols)


def _units_row(grid: _Grid, header: _Header, cols: pd.DataFrame, row: int) -> dict[str, str] | None:
    """Units of a units row directly under the header (key cells blank or 单位/unit).

    Returns None when the row is not a units row: its indicator cells must be text that is
    not a number (placeholders such as ``—`` are allowed) and at least one must be filled.
    """
    if row >= grid.shape[0] or cols.empty:
        return None
    key_text = _norm_key(grid.text(row, [header.city, header.year]))
    labels = _norm_key(pd.Series(_UNITS_ROW_LABELS, dtype="string"))
    if not (key_text.eq("") | key_text.isin(labels)).all():
        return None
    parsed = parse_values(grid.raw.iloc[row, cols["col"].to_numpy()].reset_index(drop=True))
    text_cells = parsed.error.notna().to_numpy(dtype=bool)
    if parsed.value.notna().any() or not text_cells.any():
        return None
    unit_text = clean_text(parsed.raw).to_numpy(dtype=object)
    return dict(zip(cols["id"][text_cells], unit_text[text_cells], strict=True))


def _attach(long: pd.DataFrame, parsed: ParsedValues, grid: _Grid) -> pd.DataFrame:
    """Add value, qualifier, error, raw, percent, multiplier and status columns to a long frame.

    ``parsed`` is aligned with ``long`` and was parsed with ``render_numbers=False``: the text
    of a number is rendered here only where a problem shows it (a non-finite number), and
    for the rest when :attr:`PanelData.cells` is first read (:func:`_cells_frame`).
    """
    index = long.index
    shown = parsed.raw.isna().to_numpy(dtype=bool) & parsed.error.notna().to_numpy(dtype=bool)
    if _arrow_text(parsed.raw.dtype) and not shown.any():
        raw = parsed.raw.set_axis(index)  # Arrow text, kept without a Python object per cell
    else:
        values = parsed.raw.to_numpy(dtype=object)
        if shown.any():
            values = values.copy()
            rows, cols = long["row"].to_numpy()[shown], long["col"].to_numpy()[shown]
            values[shown] = grid.texts(rows, cols)
        raw = pd.Series(values, index=index, dtype=object)
    return long.assign(
        value=parsed.value.set_axis(index),
        qualifier=parsed.qualifier.set_axis(index),
        error=parsed.error.set_axis(index),
        raw=raw,
        percent=parsed.percent.set_axis(index),
        multiplier=parsed.multiplier.set_axis(index),
        status=parsed.qualifier.fillna("invalid").set_axis(index),
    )


def _cells_frame(long: pd.DataFrame, numbers: np.ndarray, lines: np.ndarray | None) -> pd.DataFrame:
    """:attr:`PanelData.cells` from the long frame of the values read.

    ``numbers`` holds the cells (as read) whose ``raw`` text is still ``None``, in order;
    their display text and every cell reference are made here, once, when asked for.
    """
    raw = long["raw"].to_numpy(dtype=object).copy()
    todo = pd.isna(raw)
    if todo.any():
        raw[todo] = display_text(pd.Series(numbers, dtype=object)).to_numpy(dtype=object)
    index = long.index
    cells = pd.DataFrame(
        {
            "city": long["city"].astype("str"),
            "year": long["year"].astype("int64"),
            "indicator": long["indicator"].astype("str"),
            "cell": pd.Series(_refs(long["row"], long["col"], lines), index=index, dtype="str"),
            "column": long["column"].astype("str"),
            "raw": pd.Series(raw, index=index, dtype="str"),
            "status": long["status"].astype("str"),
        }
    )
    return cells.reset_index(drop=True)


def _read_long(
    grid: _Grid, header: _Header, system: IndicatorSystem, lookup: pd.DataFrame
) -> _Table:
    problems: list[Problem] = []
    text = header.text
    roles = header.roles
    ind_col = int(np.flatnonzero(roles.eq("indicator").fillna(False).to_numpy(dtype=bool))[0])
    val_col = int(np.flatnonzero(roles.eq("value").fillna(False).to_numpy(dtype=bool))[0])
    unit_at = np.flatnonzero(roles.eq("unit").fillna(False).to_numpy(dtype=bool))
    unit_col = int(unit_at[0]) if len(unit_at) else None
    headed = np.flatnonzero(text.ne("").to_numpy(dtype=bool))
    extra = headed[roles.iloc[headed].isna().to_numpy(dtype=bool)]
    problems += grid.problems(
        "column is not part of the long layout (city, year, indicator, value, unit); "
        "it is not read",
        np.full(len(extra), header.row),
        extra,
        text.iloc[extra].to_numpy(dtype=object),
        None,
        severity="warning",
        code="long_extra_column",
    )
    problems += _fill_merged(grid, header, [header.city, header.year, ind_col])
    rows, span, body_problems = _body_rows(grid, header.row + 1, headed)
    problems += body_problems
    problems += _unheaded(grid, header, span)
    keys, key_problems = _keys(grid, header, rows)
    problems += key_problems

    name_text = clean_text(grid.text(rows, ind_col)).reset_index(drop=True)
    match = _match(name_text, lookup)
    ok = keys["ok"].to_numpy(dtype=bool)
    blank = name_text.eq("").to_numpy(dtype=bool) & ok
    problems += grid.problems(
        "indicator is blank",
        rows[blank],
        ind_col,
        str(text.iloc[ind_col]),
        None,
        code="indicator_blank",
    )
    unknown = (match["id"].isna() & match["ambiguous"].isna()).to_numpy(dtype=bool)
    unknown = unknown & ~blank & ok
    unknown_names: list[tuple[str, str]] = []
    if unknown.any():
        names = name_text[unknown]
        first = ~names.duplicated().to_numpy(dtype=bool)
        counts = names.map(names.value_counts()).astype(str)[first]
        hints = pd.Series(
            [_did_you_mean(str(t), system, lookup) for t in names[first]],
            index=names[first].index,
            dtype="string",
        )
        found = grid.problems(
            (
                "indicator '"
                + names[first]
                + f"' is not in the system {system.name!r}; its "
                + counts
                + " row(s) are not read"
                + hints
            ).to_numpy(dtype=object),
            rows[unknown][first],
            ind_col,
            str(text.iloc[ind_col]),
            names[first].to_numpy(dtype=object),
            severity="warning",
        )
        problems += [
            replace(
                p,
                code="unknown_indicator",
                params={"indicator": str(name), "n": n, **_suggestion(p.message)},
            )
            for p, name, n in zip(found, names[first], counts, strict=True)
        ]
        unknown_names = list(
            zip(
                grid.refs(rows[unknown][first], ind_col),
                names[first].to_numpy(dtype=object),
                strict=True,
            )
        )
    ambiguous = match["ambiguous"].notna().to_numpy(dtype=bool) & ok
    problems += grid.problems(
        ("indicator name matches several indicators: " + match["ambiguous"][ambiguous]).to_numpy(
            dtype=object
        ),
        rows[ambiguous],
        ind_col,
        str(text.iloc[ind_col]),
        name_text[ambiguous].to_numpy(dtype=object),
        code="indicator_name_ambiguous",
        params=[{"ids": str(i)} for i in match["ambiguous"][ambiguous]],
    )
    use = ok & match["id"].notna().to_numpy(dtype=bool)
    keys = keys.assign(
        indicator=match["id"].to_numpy(dtype=object),
        unit=match["unit"].to_numpy(dtype=object),
    )
    if unit_col is not None:
        unit_cells = clean_text(grid.text(rows, unit_col)).reset_index(drop=True)
        keys = keys.assign(
            unit=unit_cells.where(unit_cells.ne(""), keys["unit"]).to_numpy(dtype=object)
        )
    keys = keys[use].reset_index(drop=True)
    dup, dup_problems = _duplicates(
        grid, keys, ["city", "year", "indicator"], ind_col, "city-year-indicator"
    )
    problems += dup_problems
    keys = keys[~dup].reset_index(drop=True)

    row_pos = keys["row"].to_numpy(dtype=np.int64)
    parsed = parse_values(
        grid.raw.iloc[row_pos, val_col].reset_index(drop=True), render_numbers=False
    )
    long = pd.DataFrame(
        {
            "city": keys["city"].to_numpy(dtype=object),
            "year": keys["year"].to_numpy(dtype=np.int64),
            "indicator": keys["indicator"].to_numpy(dtype=object),
            "row": row_pos,
            "col": np.full(len(keys), val_col),
            "column": str(text.iloc[val_col]),
        }
    )
    long = _attach(long, parsed, grid)

    units, unit_problems = _long_units(grid, keys, unit_col if unit_col is not None else ind_col)
    problems += unit_problems
    panel = (
        long.pivot(index=["city", "year"], columns="indicator", values="value")
        if len(long)
        else pd.DataFrame(
            index=pd.MultiIndex.from_arrays([[], []], names=["city", "year"]), dtype="float64"
        )
    )
    panel.columns = pd.Index(panel.columns.astype(object), dtype="str", name=None)
    panel.index = pd.MultiIndex.from_arrays(
        [
            panel.index.get_level_values(0).astype("str"),
            panel.index.get_level_values(1).astype("int64"),
        ],
        names=["city", "year"],
    )
    return _Table(
        panel=panel.astype("float64"),
        long=long,
        units=units,
        problems=problems,
        unknown=unknown_names,
    )


def _long_units(grid: _Grid, keys: pd.DataFrame, col: int) -> tuple[dict[str, str], list[Problem]]:
    """Unit per indicator from the unit column; warn when rows disagree."""
    given = keys[keys["unit"].notna() & keys["unit"].astype("string").ne("")]
    if given.empty:
        return {}, []
    given = given.assign(norm=_norm_key(given["unit"].astype("string")).to_numpy(dtype=object))
    first = given.drop_duplicates("indicator")
    units = dict(zip(first["indicator"], first["unit"].astype(str), strict=True))
    per = given.drop_duplicates(["indicator", "norm"])
    clash = per[per.duplicated("indicator", keep="first")]
    problems = grid.problems(
        [
            f"unit {u!r} differs from {units[i]!r} given for {i} above; {units[i]!r} is kept"
            for i, u in zip(clash["indicator"], clash["unit"], strict=True)
        ],
        clash["row"].to_numpy(),
        col,
        None,
        clash["unit"].to_numpy(dtype=object),
        severity="warning",
        code="long_unit_differs",
        params=[
            {"unit": u, "kept": units[i], "indicator": i}
            for i, u in zip(clash["indicator"], clash["unit"], strict=True)
        ],
    )
    return units, problems
