"""Plan-target tables (规划目标): reading coordeval's plan-target layout from CSV or Excel.

The table is read through the one guarded reader (:func:`coordeval.io._sources.load_grid`:
size limits, workbook inspection, CSV text in UTF-8, GBK/GB18030 or UTF-16); computing the
attainment is :func:`coordeval.analysis.targets.target_attainment`'s job.
"""

from __future__ import annotations

from os import PathLike

import numpy as np
import pandas as pd

from coordeval.errors import InputError, Problem
from coordeval.io._sources import load_grid

__all__ = ["TARGET_COLUMNS", "TARGET_TYPES", "read_targets_table", "table_problems", "text_column"]

#: Columns of the plan-target layout, in file order.
TARGET_COLUMNS: tuple[str, ...] = (
    "category_zh",
    "category_en",
    "seq",
    "indicator",
    "name_zh",
    "name_en",
    "unit",
    "base_year",
    "base_value",
    "base_raw",
    "base_qualifier",
    "target_year",
    "target_value",
    "target_raw",
    "target_qualifier",
    "target_type",
    "source",
    "note",
)

#: ``level``: a level to reach; ``avg_annual_growth``: an average annual growth rate in percent;
#: ``not_numeric``: a target that is not a number; ``none``: no target.
TARGET_TYPES: tuple[str, ...] = ("level", "avg_annual_growth", "not_numeric", "none")

#: The numeric columns of the layout.
NUMERIC_COLUMNS: tuple[str, ...] = ("base_year", "base_value", "target_year", "target_value")
_TEXT_MISSING = ("", "nan", "NaN", "<NA>", "None")


def text_column(series: pd.Series) -> pd.Series:
    """Strip a text column; missing entries become ``""``."""
    s = series.astype("string").fillna("").str.strip()
    return s.where(~s.isin(_TEXT_MISSING), "")


def table_problems(table: pd.DataFrame, file: str | None = None) -> list[Problem]:
    """Duplicated or empty indicator ids and unknown ``target_type`` values of a plan table."""
    problems: list[Problem] = []
    ids = table["indicator"]
    for dup in sorted(set(ids[ids.duplicated()])):
        problems.append(
            Problem(
                "indicator id appears more than once",
                file=file,
                value=dup,
                code="target_id_twice",
            )
        )
    if (ids == "").any():
        problems.append(
            Problem("empty indicator id", file=file, column="indicator", code="target_id_empty")
        )
    ttype = table["target_type"]
    for bad in sorted(set(ttype[~ttype.isin(TARGET_TYPES)])):
        problems.append(
            Problem(
                f"unknown target_type; expected one of {', '.join(TARGET_TYPES)}",
                file=file,
                column="target_type",
                value=bad,
                code="target_type_unknown",
                params={"expected": ", ".join(TARGET_TYPES)},
            )
        )
    return problems


def _header_names(texts: list[str]) -> list[str]:
    """Header texts, stripped; a repeated name gets ``.1``, ``.2`` … (as pandas does)."""
    seen: dict[str, int] = {}
    out = []
    for text in texts:
        name = text.strip()
        if name in seen:
            seen[name] += 1
            name = f"{name}.{seen[name]}"
        else:
            seen[name] = 0
        out.append(name)
    return out


def read_targets_table(path: str | PathLike[str]) -> pd.DataFrame:
    """Read a plan-target table in coordeval's layout (see :data:`TARGET_COLUMNS`).

    Parameters
    ----------
    path : str or path-like
        A ``.csv`` file (UTF-8 with or without a byte-order mark, GBK/GB18030, UTF-16; comma,
        tab or semicolon separated) or the first sheet of a workbook, header in the first row.
        Extra columns are kept; blank rows are skipped.

    Returns
    -------
    pandas.DataFrame
        One row per indicator. ``base_year``/``target_year``/``seq`` as nullable integers,
        ``base_value``/``target_value`` as floats (NaN where the printed value is not a number),
        every other column as stripped strings.

    Raises
    ------
    InputError
        An unreadable file (size limits, damage, an unknown text encoding), missing columns,
        values in columns without a header, duplicated or empty indicator ids, numbers that
        cannot be parsed (with their cell), unknown ``target_type`` values.
    """
    grid = load_grid(path, formats=".csv or .xlsx").grid
    assert grid is not None  # without ``find`` the first sheet (the widest split) is read
    name = grid.file
    columns = _header_names([str(t) for t in grid.text(0)]) if grid.shape[0] else []
    missing = [c for c in TARGET_COLUMNS if c not in columns]
    if missing:
        raise InputError(
            [
                Problem(
                    f"required column {c!r} is missing",
                    file=name,
                    sheet=grid.sheet,
                    code="target_column_missing",
                    params={"column": c},
                )
                for c in missing
            ],
            summary=f"{name} is not a plan-target table",
        )
    filled = grid.filled[1:]
    rows = 1 + np.flatnonzero(filled.any(axis=1))  # blank rows are skipped
    problems: list[Problem] = []
    unheaded = [k for k, c in enumerate(columns) if c == "" and filled[:, k].any()]
    for k in unheaded:
        r = int(rows[np.argmax(grid.filled[rows, k])])
        problems.append(
            grid.problem(
                "column has values but no header; it is not read",
                r,
                k,
                value=grid.text(r, k),
                code="target_column_unheaded",
            )
        )
    body = grid.text(rows, slice(None)).reset_index(drop=True)
    body.columns = columns
    raw = body.loc[:, [c for c in columns if c != ""]]
    out = raw.copy()
    for col in (*NUMERIC_COLUMNS, "seq"):
        k = columns.index(col)
        text = text_column(raw[col])
        num = pd.to_numeric(text.where(text != "", None), errors="coerce").astype(np.float64)
        integer = col.endswith("_year") or col == "seq"
        bad = num.isna() & (text != "")
        if integer:
            bad = bad | (num.notna() & (num != num.round()))
            num = num.where(~bad)
        message, code = (
            ("not a whole number", "target_not_whole")
            if integer
            else (
                "not a number",
                "target_not_number",
            )
        )
        for i in np.flatnonzero(bad.to_numpy()):
            problems.append(
                grid.problem(
                    message, int(rows[i]), k, column=col, value=str(text.iloc[i]), code=code
                )
            )
        out[col] = num.astype("Int64") if integer else num
    for col in out.columns:
        if col not in (*NUMERIC_COLUMNS, "seq"):
            out[col] = text_column(raw[col])
    problems.extend(table_problems(out, name))
    if problems:
        raise InputError(problems, summary=f"{len(problems)} problem(s) in {name}")
    return out
