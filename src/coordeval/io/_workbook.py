"""Excel and OpenDocument workbooks read through python-calamine, with openpyxl as fallback."""

from __future__ import annotations

import codecs
import io
import warnings
from typing import Any

import numpy as np

from coordeval.errors import (
    CoordevalError,
    InputError,
    Problem,
)
from coordeval.io._grid import _column_letters, _frame, _Grid, _grid, _put_cells
from coordeval.io._limits import ENV_MAX_CELLS, ENV_MAX_ROWS, ReadLimits, _unreadable
from coordeval.io._xlsx_guard import (
    _DAMAGED_HELP,
    _ENCRYPTED_STREAM,
    _OLE_MAGIC,
    _PASSWORD_HELP,
    _ZIP_MAGIC,
    _check_extent,
    _inspect_xlsx,
    _Package,
    _percent_cells,
    _percent_styles,
    _special_cells,
)

__all__ = []


class _Workbook:
    """An Excel workbook read through python-calamine, with openpyxl as fallback.

    Before either parser sees the bytes, an ``.xlsx`` package is inspected
    (:func:`_inspect_xlsx`) and each sheet's used rectangle is checked against the limits.
    """

    def __init__(self, data: bytes, file: str, limits: ReadLimits) -> None:
        self.data = data
        self.file = file
        self.limits = limits
        self.package: _Package | None = None
        self._book: Any = None
        self._openpyxl: Any = None
        self._calamine_error: str = ""
        self.hidden: set[str] = set()
        self.notes: dict[str, list[Problem]] = {}
        if not data:
            raise _unreadable(file, "the file is empty (0 bytes)", "empty file", "file_empty")
        if data.startswith(_OLE_MAGIC):
            if _ENCRYPTED_STREAM in data:
                raise _unreadable(file, _PASSWORD_HELP, "password-protected", "workbook_password")
        elif data.startswith(_ZIP_MAGIC):
            self.package = _inspect_xlsx(data, file, limits)
            content = self.package.sheet_xml.get("content.xml")
            if content is not None:  # OpenDocument: parsed whole when opened, so bound it now
                _check_extent(content, file, "content.xml", limits, ods=True)
        else:
            message, code = _not_excel(data)
            raise _unreadable(file, message, "not an Excel workbook", code)
        try:
            import python_calamine

            self._book = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
            meta = self._book.sheets_metadata
            self.sheet_names = [
                m.name for m in meta if str(getattr(m, "typ", "WorkSheet")).endswith("WorkSheet")
            ]
            self.hidden = {
                m.name
                for m in meta
                if not str(getattr(m, "visible", "Visible")).endswith(".Visible")
            }
        except Exception as exc:
            self._calamine_failed(exc)
            self._book = None
            self._open_openpyxl()

    def _calamine_failed(self, exc: Exception) -> None:
        import python_calamine

        if isinstance(exc, python_calamine.PasswordError):
            raise _unreadable(
                self.file, _PASSWORD_HELP, "password-protected", "workbook_password"
            ) from None
        self._calamine_error = str(exc)

    def _open_openpyxl(self) -> None:
        import openpyxl

        if self.package is None:
            kind = "an Excel 97–2003 (.xls) workbook"
            raise _unreadable(
                self.file,
                f"cannot be read as {kind} ({self._calamine_error}); {_DAMAGED_HELP}",
                "not a readable workbook",
                "xls_unreadable",
                {"detail": self._calamine_error},
            )
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                self._openpyxl = openpyxl.load_workbook(
                    io.BytesIO(self.data), read_only=True, data_only=True
                )
        except Exception as exc:
            detail = "; ".join(x for x in (self._calamine_error, str(exc)) if x)
            raise _unreadable(
                self.file,
                f"cannot be read as an Excel workbook ({detail}); {_DAMAGED_HELP}",
                "not a readable workbook",
                "workbook_unreadable",
                {"detail": detail},
            ) from None
        self.sheet_names = [ws.title for ws in self._openpyxl.worksheets]
        self.hidden = {ws.title for ws in self._openpyxl.worksheets if ws.sheet_state != "visible"}

    def _sheet_xml(self, name: str) -> bytes | None:
        if self.package is None or name not in self.package.sheet_parts:
            return None
        return self.package.sheet_xml.get(self.package.sheet_parts[name])

    def grid(self, name: str, nrows: int | None = None) -> _Grid:
        """The sheet as a grid; ``nrows`` limits it to its first rows (to look for a header)."""
        xml = self._sheet_xml(name)
        if xml is not None:
            _check_extent(xml, self.file, name, self.limits)
        elif self.package is not None:
            for key, part in self.package.sheet_xml.items():  # the sheet's part is not known
                _check_extent(part, self.file, name, self.limits, ods=key == "content.xml")
        special = _special_cells(xml) if xml is not None else []
        if xml is not None and self.package is not None:
            percent = _percent_cells(xml, _percent_styles(self.package.styles))
            if percent and nrows is None:
                r, c, shown = percent[0]
                self.notes[name] = [
                    Problem(
                        f"{len(percent)} cell(s) are formatted as percentages (stored "
                        f"{float(shown[:-1]) / 100:g}, shown {shown}); they are read as shown, "
                        "in the unit of their column's header",
                        file=self.file,
                        sheet=name,
                        cell=f"{_column_letters(np.array([c]))[0]}{r + 1}",
                        value=shown,
                        severity="warning",
                        code="percent_cells",
                        params={
                            "n": len(percent),
                            "stored": float(shown[:-1]) / 100,
                            "shown": shown,
                        },
                    )
                ]
            special += percent
        if nrows is not None:
            special = [cell for cell in special if cell[0] < nrows]
        if self._book is not None:
            try:
                sheet = self._book.get_sheet_by_name(name)
                self._check_size(name, int(sheet.height), int(sheet.width))
                rows = sheet.to_python(skip_empty_area=False, nrows=nrows)
                merged = [
                    (r0, c0, r1, c1) for (r0, c0), (r1, c1) in (sheet.merged_cell_ranges or [])
                ]
                raw = _put_cells(_frame(rows, ""), special)
                nrow, ncol = raw.shape
                merged = [  # merged ranges may reach past the last filled cell: clip them
                    (r0, c0, min(r1, nrow - 1), min(c1, ncol - 1))
                    for r0, c0, r1, c1 in merged
                    if r0 < nrow and c0 < ncol and r0 <= r1 and c0 <= c1
                ]
                return _grid(raw, self.file, name, merged=merged)
            except CoordevalError:
                raise
            except Exception as exc:
                self._calamine_failed(exc)
                if self._openpyxl is None:
                    self._open_openpyxl()
        try:
            ws = self._openpyxl[name]
            rows = list(ws.iter_rows(min_row=1, max_row=nrows, min_col=1, values_only=True))
        except Exception as exc:
            detail = "; ".join(x for x in (self._calamine_error, str(exc)) if x)
            raise InputError(
                [
                    Problem(
                        f"the sheet cannot be read, its XML is damaged ({detail}); {_DAMAGED_HELP}",
                        file=self.file,
                        sheet=name,
                        code="sheet_damaged",
                        params={"detail": detail},
                    )
                ],
                f"{self.file}: damaged sheet",
            ) from None
        return _grid(_put_cells(_frame(rows, None), special), self.file, name)

    def _check_size(self, name: str, height: int, width: int) -> None:
        """The row and cell limits on the parsed sheet (every format, .xls and .ods too)."""
        if height > self.limits.max_rows or height * width > self.limits.max_cells:
            raise InputError(
                [
                    Problem(
                        f"the sheet has {height:,} rows × {width:,} columns, over the reader's "
                        f"limits ({self.limits.max_rows:,} rows, {self.limits.max_cells:,} "
                        f"cells; {ENV_MAX_ROWS} and {ENV_MAX_CELLS} raise them)",
                        file=self.file,
                        sheet=name,
                        code="sheet_over_limits",
                        params={
                            "rows": height,
                            "cols": width,
                            "max_rows": self.limits.max_rows,
                            "max_cells": self.limits.max_cells,
                            "env_rows": ENV_MAX_ROWS,
                            "env_cells": ENV_MAX_CELLS,
                        },
                    )
                ],
                f"{self.file}: sheet too large",
            )

    def close(self) -> None:
        if self._book is not None:
            self._book.close()
        if self._openpyxl is not None:
            self._openpyxl.close()


def _not_excel(data: bytes) -> tuple[str, str]:
    """Why bytes that are neither a zip package nor an OLE file are not a workbook: the
    message and its problem code."""
    head = data[:2048].lstrip(codecs.BOM_UTF8).lstrip()
    start = "cannot be read as an Excel workbook:"
    if head[:1] == b"<" and (b"<html" in head.lower() or b"<table" in head.lower()):
        return (
            f"{start} the file is a web page (HTML) saved with an Excel name; open it in "
            "Excel and save it as .xlsx"
        ), "excel_is_html"
    if head.startswith(b"<?xml"):
        return (
            f"{start} the file is an XML spreadsheet (Excel 2003 XML); open it in Excel and "
            "save it as .xlsx"
        ), "excel_is_xml2003"
    text = data[:4096]
    if text.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) or not any(b < 9 for b in text):
        return (
            f"{start} the file holds plain text (a CSV file given an Excel name?); rename it "
            "to .csv or save it from Excel as .xlsx"
        ), "excel_is_text"
    return f"{start} the content is neither an .xlsx package nor an .xls file", "excel_unknown"
