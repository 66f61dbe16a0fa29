"""The one entry for every user file: Excel, OpenDocument and CSV into a cell grid."""

from __future__ import annotations

import codecs
import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from coordeval.errors import (
    ConfigError,
    InputError,
    Problem,
)
from coordeval.io._csv import _csv_grid, _decode
from coordeval.io._grid import _Grid
from coordeval.io._limits import ReadLimits, _read_bytes, _unreadable
from coordeval.io._workbook import _Workbook
from coordeval.io._xlsx_guard import _OLE_MAGIC, _ZIP_MAGIC

__all__ = ["CSV_SUFFIXES", "EXCEL_SUFFIXES", "Loaded", "load_grid", "read_sheet"]

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
    grid = load_grid(path, sheet=sheet, formats=".xlsx or .xlsm", limits=limits).grid
    assert grid is not None  # a named sheet is always read
    return grid.raw


@dataclass
class Loaded:
    """What :func:`load_grid` read from a user file.

    Attributes
    ----------
    grid : _Grid or None
        The sheet (or CSV text) chosen, as a grid of cells; ``None`` when ``find`` accepted
        no sheet (no delimiter).
    found : object
        What ``find`` returned for ``grid`` (``None`` without ``find``).
    notes : list of Problem
        Remarks about the choice: percent-formatted cells, a hidden sheet read, other sheets
        holding a table that are not read.
    sha256 : str
        SHA-256 of the file's bytes, as read.
    sheet_names : list of str
        The workbook's sheets (empty for CSV).
    blank : bool
        A CSV text holding nothing but white space.
    csv : bool
        The file is CSV text (not a workbook).
    """

    grid: _Grid | None
    found: Any
    notes: list[Problem]
    sha256: str
    sheet_names: list[str] = field(default_factory=list)
    blank: bool = False
    csv: bool = False


def load_grid(
    path: str | Path,
    *,
    find: Callable[[_Grid], Any] | None = None,
    sheet: str | None = None,
    skip: tuple[str, ...] = (),
    table: str = "a table",
    scan_rows: int = 200,
    formats: str = ".xlsx, .xlsm, .xls, .ods or .csv",
    limits: ReadLimits | None = None,
) -> Loaded:
    """Read any user file into a grid of cells: the one entry every reader goes through.

    The bytes are read once, opened read-only, under the size ``limits``; a workbook
    (``.xlsx``/``.xlsm``/``.xls``/``.ods``) is inspected before any parser sees it and each
    sheet's extent is bounded; CSV text is decoded from UTF-8, UTF-16 or GB18030 (other
    encodings are named and refused) and split at commas, tabs or semicolons.

    Parameters
    ----------
    path : str or Path
        The file; its suffix says whether it is a workbook or CSV text.
    find : callable, optional
        ``find(grid)`` returns what it recognises in a grid (a header, say) or ``None``.
        Workbook: the sheet read is ``sheet``, else the first sheet ``find`` accepts, visible
        sheets before hidden ones (a note names a hidden sheet read and the other sheets that
        ``find`` also accepts within their first ``scan_rows`` rows). CSV: the first of the
        comma, tab and semicolon splits ``find`` accepts. Without ``find``: ``sheet`` or the
        first sheet; for CSV the split with the most columns.
    sheet : str, optional
        The worksheet to read (workbooks only).
    skip : tuple of str
        Sheets never chosen by ``find`` (such as ``指标体系``).
    table : str
        What ``find`` looks for, in the notes (``"a table with city and year columns"``).
    scan_rows : int
        Rows of the other sheets looked at for the note on sheets not read.
    formats : str
        The file types the caller accepts, named when the suffix is not supported.
    limits : ReadLimits, optional
        Default :meth:`ReadLimits.from_env`.

    Returns
    -------
    Loaded

    Raises
    ------
    InputError
        The file is missing, empty, too large, unsafe, damaged, password-protected, of an
        unsupported type, text in an unknown encoding, or ``sheet`` does not exist.
    ConfigError
        ``sheet`` given for a CSV file.
    """
    limits = ReadLimits.from_env() if limits is None else limits
    path = Path(path)
    file = path.name
    data = _read_bytes(path, limits)
    digest = hashlib.sha256(data).hexdigest()
    suffix = path.suffix.lower()
    if suffix in EXCEL_SUFFIXES:
        return _load_excel(data, file, digest, find, sheet, skip, table, scan_rows, limits)
    if suffix in CSV_SUFFIXES:
        if sheet is not None:
            raise ConfigError(f"{file}: sheet={sheet!r} applies to Excel files only")
        if not data:
            raise _unreadable(file, "the file is empty (0 bytes)", "empty file", "file_empty")
        if data.startswith((*_ZIP_MAGIC, _OLE_MAGIC)):
            raise _unreadable(
                file,
                "not a CSV file: the file is an Excel workbook with a .csv name; rename it to "
                ".xlsx (or .xls)",
                "not a CSV file",
                "csv_is_workbook",
            )
        text, encoding = _decode(data, file)
        blank = not text or text.isspace()
        utf8 = {"utf-8": data, "utf-8-sig": data[len(codecs.BOM_UTF8) :]}.get(encoding)
        if find is None:
            grids = [_csv_grid(text, file, encoding, d, limits, utf8) for d in _DELIMITERS]
            return Loaded(
                max(grids, key=lambda g: g.shape[1]), None, [], digest, blank=blank, csv=True
            )
        for delimiter in _DELIMITERS:
            grid = _csv_grid(text, file, encoding, delimiter, limits, utf8)
            found = find(grid)
            if found is not None:
                return Loaded(grid, found, [], digest, blank=blank, csv=True)
        return Loaded(None, None, [], digest, blank=blank, csv=True)
    problem = Problem(
        f"unsupported file type {path.suffix!r}: use {formats}",
        file=file,
        code="file_type_unsupported",
        params={"suffix": path.suffix, "formats": formats},
    )
    raise InputError([problem], f"{file}: unsupported file type")


_DELIMITERS = (",", "\t", ";")

#: What ``find`` looks for, in Chinese (for the notes' Chinese wording).
_TABLE_ZH = {"a table with city and year columns": "含城市列和年份列的数据表", "a table": "数据表"}


def _zh(table: str) -> str:
    return _TABLE_ZH.get(table, table)


def _load_excel(
    data: bytes,
    file: str,
    digest: str,
    find: Callable[[_Grid], Any] | None,
    sheet: str | None,
    skip: tuple[str, ...],
    table: str,
    scan_rows: int,
    limits: ReadLimits,
) -> Loaded:
    """The sheet to read: ``sheet``, or the first sheet ``find`` accepts (see :func:`load_grid`)."""
    book = _Workbook(data, file, limits)
    try:
        if sheet is not None:
            if sheet not in book.sheet_names:
                problem = Problem(
                    f"no sheet {sheet!r}; the workbook has: {', '.join(book.sheet_names)}",
                    file=file,
                    code="sheet_missing",
                    params={"sheet": sheet, "sheets": ", ".join(book.sheet_names)},
                )
                raise InputError([problem], f"{file}: no sheet {sheet!r}")
            candidates = [sheet]
        elif find is None:
            if not book.sheet_names:
                problem = Problem("the workbook has no sheet", file=file, code="workbook_no_sheet")
                raise InputError([problem])
            candidates = book.sheet_names[:1]
        else:  # visible sheets first: a hidden sheet is read only when no visible one has data
            names = [n for n in book.sheet_names if n not in skip]
            candidates = [n for n in names if n not in book.hidden]
            candidates += [n for n in names if n in book.hidden]
        for k, name in enumerate(candidates):
            grid = book.grid(name)
            if find is None:
                return Loaded(grid, None, book.notes.get(name, []), digest, book.sheet_names)
            found = find(grid)
            if found is None:
                continue
            notes = list(book.notes.get(name, []))
            if name in book.hidden:
                notes.append(
                    grid.problem(
                        f"sheet {name!r} is hidden in Excel; it is read because "
                        + (
                            "it was asked for"
                            if sheet is not None
                            else f"no visible sheet holds {table}"
                        ),
                        severity="warning",
                        code="sheet_hidden_asked" if sheet is not None else "sheet_hidden_read",
                        params={"sheet": name, "table": table, "table_zh": _zh(table)},
                    )
                )
            others = [
                other
                for other in candidates[k + 1 :]
                if find(book.grid(other, nrows=scan_rows)) is not None
            ]
            if others:
                hidden = [o for o in others if o in book.hidden]
                note = f" ({', '.join(map(repr, hidden))} hidden)" if hidden else ""
                notes.append(
                    grid.problem(
                        f"sheet(s) {', '.join(map(repr, others))}{note} also hold {table} "
                        f"and are NOT read; only sheet {name!r} is. Put all "
                        "years in one sheet, or read each sheet on its own (sheet=...)",
                        severity="warning",
                        code="other_sheets_not_read",
                        params={
                            "sheets": ", ".join(map(repr, others)),
                            "note_en": note,
                            "note_zh": f"（其中 {', '.join(hidden)} 为隐藏工作表）"
                            if hidden
                            else "",
                            "table": table,
                            "table_zh": _zh(table),
                            "sheet": name,
                        },
                    )
                )
            return Loaded(grid, found, notes, digest, book.sheet_names)
    finally:
        book.close()
    return Loaded(None, None, [], digest, book.sheet_names)
