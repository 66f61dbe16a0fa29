"""Read yearbook data from Excel or CSV into a (city, year) panel, locating every problem.

Two layouts are accepted:

* **wide** — key columns ``城市``/``city`` and ``年份``/``year`` and one column per indicator,
  optionally with a units row directly under the header;
* **long** — columns ``city, year, indicator, value`` (optional ``unit``; ``value_raw,
  qualifier, source, table, note, quote`` are ignored).

The header is the first row holding both key columns; a title above it is skipped. Footnote
rows (``注：…``, ``资料来源：…``) end the table. The sheet is read once into a grid of cells;
everything after that is column-wise pandas work: the value block is flattened to long form,
parsed at once by :func:`coordeval.io.cells.parse_values`, and cell references are built by
vectorised string concatenation. The text of a cell as shown is rendered only where it is
needed (header, keys, footnotes, problems); the text of every number and every reference of
the value block are made when :attr:`PanelData.cells` is first read. Each problem names the
file, sheet, cell (``F3``, or ``line 3, column 6`` for CSV), the column header and the value
as written.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterable
from functools import partial
from pathlib import Path
from typing import Literal

import numpy as np
import pandas as pd

from coordeval.errors import (
    DataWarning,
    InputError,
    Problem,
    raise_if_errors,
)
from coordeval.io._checks import _absent_problem, _unit_problems, _value_problems
from coordeval.io._header import (
    _HEADER_SCAN,
    _KEY_HELP,
    KEY_HELP_PARAMS,
    _extend_header,
    _find_header,
    _lookup,
)
from coordeval.io._layouts import _cells_frame, _read_long, _read_wide
from coordeval.io._limits import ReadLimits
from coordeval.io._sources import EXCEL_SUFFIXES, Loaded, load_grid, read_sheet
from coordeval.io.panel import PanelData
from coordeval.io.validate import apply_missing
from coordeval.system import SYSTEM_SHEET, IndicatorSystem, load_system

__all__ = ["EXCEL_SUFFIXES", "PanelData", "ReadLimits", "read_data", "read_panel", "read_sheet"]


def read_data(
    path: str | Path,
    system: IndicatorSystem | str | Path,
    *,
    sheet: str | None = None,
    limits: ReadLimits | None = None,
) -> PanelData:
    """Read a yearbook data file into a panel, collecting every problem.

    Parameters
    ----------
    path : str or Path
        ``.xlsx``/``.xlsm``/``.xls`` workbook or ``.csv`` file (UTF-8, UTF-8 with BOM,
        GBK/GB18030, UTF-16 with BOM; comma, tab or semicolon separated). Opened read-only.
    system : IndicatorSystem, str or Path
        The indicator system (or anything :func:`coordeval.system.load_system` accepts).
    sheet : str, optional
        Worksheet to read. By default the first sheet with a header row holding a city and a
        year column; a sheet named ``指标体系`` is skipped, and other sheets that also hold
        such a table are named in a warning.
    limits : ReadLimits, optional
        Size limits against oversized and hostile files; default :meth:`ReadLimits.from_env`.

    Returns
    -------
    PanelData
        The panel with every problem found (all severities). Nothing is raised for problems
        inside the table; see :func:`read_panel` for the raising variant.

    Raises
    ------
    InputError
        When the file cannot be read at all: missing, empty, unsupported type, damaged or
        truncated, password-protected, unsafe (an XML part with a DTD) or over the
        ``limits``, undecodable text, no header row with a city and a year column, or a
        ``sheet`` that does not exist.
    ConfigError
        When ``sheet`` is given for a CSV file, or the system is invalid.

    Notes
    -----
    Header matching compares the header (and, for long files, the indicator cell) with each
    indicator's id, Chinese name, English name and aliases after mapping full-width
    characters to ASCII, removing whitespace and case-folding; if that fails, a unit in
    trailing parentheses is stripped (``"地区生产总值（亿元）"``) and recorded in ``units``.
    Values are parsed by :func:`coordeval.io.cells.parse_values`. Excel cell references use
    the A1 notation of the sheet itself (calamine is asked not to skip leading empty rows and
    columns); CSV locations are 1-based line numbers as a text editor shows them (a quoted
    cell spanning lines counts all its lines) and 1-based field numbers. python-calamine reads
    formula-error cells (``#DIV/0!``) and formulas without a cached value as empty strings,
    so for ``.xlsx`` files they are recovered from the sheet XML and reported ("not a
    number"; "formula without a cached value: open and save the file in Excel"). Merged cells
    in the city, year or indicator column below the header are read in every row they span
    (an info problem says so). A header of two or three rows (key cells merged down, group
    headings such as 经济 over the indicator names) is read as one: each column's header is
    its lowest filled cell. A header merged across columns that hold values is an error
    (which column is the indicator?). CSV text is decoded by its BOM (UTF-8, UTF-16), else as
    strict UTF-8, else as GB18030, a superset of the GBK that Excel on Chinese Windows writes.

    Hostile files are refused before a parser sees them: an ``.xlsx`` package is checked
    for damage, its member count and uncompressed size (declared and actual, against
    ``limits``), encryption, and for XML parts declaring a DTD (parsed with defusedxml up to
    the root element); each sheet's used rectangle is bounded before it is loaded. An OLE file
    holding an ``EncryptedPackage`` stream is reported as password-protected. ``.xls``
    (Excel 97–2003) workbooks are read by python-calamine.

    References
    ----------
    .. [1] ECMA-376 Office Open XML File Formats, Part 1, §18.3.1.4 ``c`` (Cell): attribute
       ``r`` (A1 reference) and ``t="e"`` (error cell type).
    .. [2] RFC 4180, Common Format and MIME Type for Comma-Separated Values (CSV) Files
       (quoted fields may contain line breaks).
    .. [3] GB 18030-2005, Information technology — Chinese coded character set (superset of
       GBK); Python codec ``gb18030``.
    """
    path = Path(path)
    system = load_system(system)
    limits = ReadLimits.from_env() if limits is None else limits
    loaded = load_grid(
        path,
        find=_find_header,
        sheet=sheet,
        skip=(SYSTEM_SHEET,),
        table="a table with city and year columns",
        scan_rows=_HEADER_SCAN,
        limits=limits,
    )
    if loaded.grid is None:
        raise _no_table(path.name, sheet, loaded)
    grid, header = loaded.grid, loaded.found
    header.problems += loaded.notes
    lookup = _lookup(system)
    header = _extend_header(grid, header, lookup)
    layout = header.layout
    table = (_read_long if layout == "long" else _read_wide)(grid, header, system, lookup)
    problems = header.problems + table.problems

    found = [i for i in system.indicator_ids if i in set(table.panel.columns)]
    absent = [ind for ind in system.indicators if ind.id not in found]
    if absent:
        problems.append(_absent_problem(grid, header, layout, system, absent, table.unknown))
    if table.panel.shape[0] == 0:
        problems.append(
            grid.problem(
                "no data rows below the header",
                header.row,
                header.city,
                severity="error",
                code="no_data_rows",
            )
        )
    problems += _value_problems(grid, table.long, system)
    problems += _unit_problems(grid, table.units, system)

    panel = table.panel.reindex(columns=pd.Index(found, dtype="str")).sort_index()
    long = table.long
    qual = (long["qualifier"].notna() & ~long["qualifier"].isin(["exact", "missing"])).to_numpy(
        dtype=bool
    )
    qualifiers = _cells_frame(long[qual], np.array([], dtype=object), grid.lines)
    qualifiers = qualifiers.assign(
        qualifier=long["qualifier"][qual].astype("str").reset_index(drop=True)
    )[["city", "year", "indicator", "raw", "qualifier", "cell"]]
    todo = pd.isna(long["raw"]).to_numpy(dtype=bool)
    numbers = grid.cells(long["row"].to_numpy()[todo], long["col"].to_numpy()[todo])
    return PanelData(
        panel=panel,
        problems=problems,
        qualifiers=qualifiers,
        cells=partial(_cells_frame, long, numbers, grid.lines),
        units=table.units,
        file=grid.file,
        sheet=grid.sheet,
        layout=layout,
        sha256=loaded.sha256,
        system=system,
        encoding=grid.encoding,
    )


def _no_table(file: str, sheet: str | None, loaded: Loaded) -> InputError:
    """The error for a file in which no sheet holds a header row with city and year."""
    if loaded.csv:
        if loaded.blank:
            message, code = "the file holds no text (only blank lines or spaces)", "csv_blank"
        else:
            message, code = f"the file has no {_KEY_HELP}", "csv_no_header"
        problem = Problem(
            message, file=file, code=code, params=KEY_HELP_PARAMS if code == "csv_no_header" else {}
        )
        return InputError([problem], f"{file}: no data table")
    where = f"sheet {sheet!r} has no" if sheet is not None else "no sheet has a"
    names = ", ".join(loaded.sheet_names) if loaded.sheet_names else "(none)"
    message = f"{where} {_KEY_HELP}; sheets in the workbook: {names}"
    problem = Problem(
        message,
        file=file,
        sheet=sheet,
        code="sheet_no_header" if sheet is not None else "workbook_no_header",
        params={"sheet": sheet, "sheets": names, **KEY_HELP_PARAMS},
    )
    return InputError([problem], f"{file}: no data table")


def _summary(file: str, problems: Iterable[Problem], shown: int = 5) -> DataWarning:
    """One warning summarising the warnings and notes of a read."""
    problems = list(problems)
    n_warn = sum(p.severity == "warning" for p in problems)
    n_info = sum(p.severity == "info" for p in problems)
    head = "\n".join(str(p) for p in problems[:shown])
    more = f"\n… and {len(problems) - shown} more" if len(problems) > shown else ""
    params = {"file": file, "n_warn": n_warn, "n_info": n_info, "head": head, "more": more}
    message = (
        f"{file}: {n_warn} warning(s), {n_info} note(s) while reading; "
        f"read_data() lists them all:\n{head}{more}"
    )
    return DataWarning(message, code="read_summary", params=params)


def read_panel(
    path: str | Path,
    system: IndicatorSystem | str | Path,
    *,
    sheet: str | None = None,
    missing: Literal["error", "drop", "interpolate"] = "error",
    limits: ReadLimits | None = None,
) -> pd.DataFrame:
    """Read a yearbook data file into a complete (city, year) × indicator panel.

    Parameters
    ----------
    path : str or Path
        Excel or CSV file; see :func:`read_data`.
    system : IndicatorSystem, str or Path
        The indicator system.
    sheet : str, optional
        Worksheet to read (Excel).
    missing : {"error", "drop", "interpolate"}
        Policy for missing values, see :func:`coordeval.io.validate.apply_missing`.
    limits : ReadLimits, optional
        Size limits, see :func:`read_data`.

    Returns
    -------
    pandas.DataFrame
        Index ``(city, year)``, one float64 column per indicator id in system order.

    Raises
    ------
    InputError
        Listing every error found (unreadable cells, missing indicators, duplicates, missing
        values under ``missing="error"``, …), errors first.
    ConfigError
        For an unknown ``missing`` policy.

    Warns
    -----
    DataWarning
        Once, summarising the warnings (qualified values, unknown columns, unit mismatches)
        and, with ``missing="interpolate"``, the values that were filled. Notes of severity
        ``"info"`` alone (footnote rows, merged cells) do not warn.
    """
    data = read_data(path, system, sheet=sheet, limits=limits)
    panel, missing_problems = apply_missing(data, missing)
    problems = data.problems + missing_problems
    ordered = sorted(problems, key=lambda p: p.severity != "error")
    raise_if_errors(
        ordered,
        f"{data.file}: {sum(p.severity == 'error' for p in problems)} error(s) in the input",
    )
    if any(p.severity == "warning" for p in problems) or (
        missing == "interpolate" and missing_problems
    ):
        notes = [p for p in problems if p.severity != "error"]
        warnings.warn(_summary(data.file, notes), stacklevel=2)
    return panel
