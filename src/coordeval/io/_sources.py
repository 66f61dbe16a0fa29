"""The one entry for every user file: Excel, OpenDocument and CSV into a cell grid."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from coordeval.errors import (
    ConfigError,
    InputError,
    Problem,
)
from coordeval.io._csv import _csv_grid, _decode
from coordeval.io._grid import _Grid
from coordeval.io._header import _HEADER_SCAN, _KEY_HELP, _find_header, _Header
from coordeval.io._limits import ReadLimits, _read_bytes, _unreadable
from coordeval.io._workbook import _Workbook
from coordeval.io._xlsx_guard import _OLE_MAGIC, _ZIP_MAGIC
from coordeval.system import SYSTEM_SHEET

__all__ = ["CSV_SUFFIXES", "EXCEL_SUFFIXES", "read_sheet"]

EXCEL_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".ods")
CSV_SUFFIXES = (".csv",)


def read_sheet(path: str | Path, sheet: str, limits: ReadLimits | None = None) -> pd.DataFrame:
    """One worksheet's cells through the guarded reader every data file goes through.

    Parameters
    ----------
    path : str or Path
        An ``.xlsx``/``.xlsm``/``.xls`` workbook.
    sheet : str
        The sheet's name.
    limits : ReadLimits, optional
        Default :meth:`ReadLimits.from_env`.

    Returns
    -------
    DataFrame
        Object cells, row ``i`` / column ``j`` = sheet row ``i + 1`` / column ``j + 1``; error
        values are :class:`~coordeval.io.cells.ErrorValue` and formulas without a cached
        value :class:`~coordeval.io.cells.UncachedFormula`.

    Raises
    ------
    InputError
        The file is too large, unsafe or damaged, the sheet's extent exceeds the limits
        (checked on its XML before any engine allocates it), or there is no such sheet.
    """
    limits = ReadLimits.from_env() if limits is None else limits
    p = Path(path)
    book = _Workbook(_read_bytes(p, limits), p.name, limits)
    try:
        if sheet not in book.sheet_names:
            problem = Problem(
                f"no sheet {sheet!r}; the workbook has: {', '.join(book.sheet_names)}", file=p.name
            )
            raise InputError([problem], f"{p.name}: no sheet {sheet!r}")
        return book.grid(sheet).raw
    finally:
        book.close()


def _load(path: Path, data: bytes, sheet: str | None, limits: ReadLimits) -> tuple[_Grid, _Header]:
    suffix = path.suffix.lower()
    file = path.name
    if suffix in EXCEL_SUFFIXES:
        return _load_excel(data, file, sheet, limits)
    if suffix in CSV_SUFFIXES:
        if sheet is not None:
            raise ConfigError(f"{file}: sheet={sheet!r} applies to Excel files only")
        if not data:
            raise _unreadable(file, "the file is empty (0 bytes)", "empty file")
        if data.startswith((*_ZIP_MAGIC, _OLE_MAGIC)):
            raise _unreadable(
                file,
                "not a CSV file: the file is an Excel workbook with a .csv name; rename it to "
                ".xlsx (or .xls)",
                "not a CSV file",
            )
        text, encoding = _decode(data, file)
        for delimiter in (",", "\t", ";"):
            grid = _csv_grid(text, file, encoding, delimiter, limits)
            header = _find_header(grid)
            if header is not None:
                return grid, header
        message = f"the file has no {_KEY_HELP}"
        if not text.strip():
            message = "the file holds no text (only blank lines or spaces)"
        raise InputError([Problem(message, file=file)], f"{file}: no data table")
    problem = Problem(
        f"unsupported file type {path.suffix!r}: use .xlsx, .xlsm, .xls, .ods or .csv", file=file
    )
    raise InputError([problem], f"{file}: unsupported file type")


def _load_excel(
    data: bytes, file: str, sheet: str | None, limits: ReadLimits
) -> tuple[_Grid, _Header]:
    """The sheet to read and its header: ``sheet``, or the first sheet with a data table."""
    book = _Workbook(data, file, limits)
    try:
        if sheet is not None:
            if sheet not in book.sheet_names:
                problem = Problem(
                    f"no sheet {sheet!r}; the workbook has: {', '.join(book.sheet_names)}",
                    file=file,
                )
                raise InputError([problem], f"{file}: no sheet {sheet!r}")
            candidates = [sheet]
        else:  # visible sheets first: a hidden sheet is read only when no visible one has data
            names = [n for n in book.sheet_names if n != SYSTEM_SHEET]
            candidates = [n for n in names if n not in book.hidden]
            candidates += [n for n in names if n in book.hidden]
        for k, name in enumerate(candidates):
            grid = book.grid(name)
            header = _find_header(grid)
            if header is None:
                continue
            header.problems += book.notes.get(name, [])
            if name in book.hidden:
                header.problems.append(
                    grid.problem(
                        f"sheet {name!r} is hidden in Excel; it is read because "
                        + (
                            "it was asked for"
                            if sheet is not None
                            else "no visible sheet holds a table with city and year columns"
                        ),
                        severity="warning",
                    )
                )
            others = [
                other
                for other in candidates[k + 1 :]
                if _find_header(book.grid(other, nrows=_HEADER_SCAN)) is not None
            ]
            if others:
                hidden = [o for o in others if o in book.hidden]
                note = f" ({', '.join(map(repr, hidden))} hidden)" if hidden else ""
                header.problems.append(
                    grid.problem(
                        f"sheet(s) {', '.join(map(repr, others))}{note} also hold a table with "
                        f"city and year columns and are NOT read; only sheet {name!r} is. Put all "
                        "years in one sheet, or read each sheet on its own (sheet=...)",
                        severity="warning",
                    )
                )
            return grid, header
    finally:
        book.close()
    where = f"sheet {sheet!r} has no" if sheet is not None else "no sheet has a"
    names = ", ".join(book.sheet_names) if book.sheet_names else "(none)"
    message = f"{where} {_KEY_HELP}; sheets in the workbook: {names}"
    raise InputError([Problem(message, file=file, sheet=sheet)], f"{file}: no data table")
