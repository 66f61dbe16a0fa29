"""Safety inspection of spreadsheet packages before any parser sees them: zip and XML
checks, sheet extents, percent-formatted and special (error, uncached formula) cells."""

from __future__ import annotations

import html
import io
import os
import re
import zipfile
import zlib
from dataclasses import dataclass
from typing import Any

import numpy as np

from coordeval.errors import (
    CoordevalError,
    InputError,
    Problem,
)
from coordeval.io._grid import _column_letters
from coordeval.io._limits import ENV_MAX_CELLS, ENV_MAX_ROWS, ReadLimits, _too_big, _unreadable
from coordeval.io.cells import (
    ErrorValue,
    UncachedFormula,
)

__all__ = []

_NS_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_NS_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ENCRYPTED_STREAM = "EncryptedPackage".encode("utf-16-le")
_ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06")
_REL_OFFICE_DOCUMENT = "/officeDocument"
_REL_WORKSHEET = "/worksheet"
_CHUNK = 1 << 20
_ZIP_DAMAGE = (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, ValueError, OSError)
_PASSWORD_HELP = (
    "the workbook is password-protected (encrypted); open it in Excel with the password, "
    "then save a copy without one (File → Info → Protect Workbook → Encrypt with Password: "
    "clear it)"
)
_DAMAGED_HELP = "get the file again, or open it in Excel and save it as a new .xlsx"
_XML_REF = re.compile(rb"(?<![\w.:\x80-\xff-])r\s*=\s*[\"']([A-Za-z]*)([0-9]*)&?")
_FORMULA_NO_VALUE = re.compile(
    rb"<(?:[\w.-]+:)?c\b([^>]*)>\s*<(?:[\w.-]+:)?f\b[^>]*(?:/>|>([^<]*)</(?:[\w.-]+:)?f>)\s*"
    rb"(?:<(?:[\w.-]+:)?v\s*/>|<(?:[\w.-]+:)?v>\s*</(?:[\w.-]+:)?v>)?\s*</(?:[\w.-]+:)?c>"
)
_ERROR_CELL = re.compile(
    rb"<(?:[\w.-]+:)?c\b(?=[^>]*\bt=[\"']e[\"'])([^>]*)>(.*?)</(?:[\w.-]+:)?c>", re.S
)
_CELL_REF = re.compile(rb"\br=[\"']([A-Z]+)([0-9]+)[\"']")
_VALUE = re.compile(rb"<(?:[\w.-]+:)?v>([^<]*)</")


def _unsafe_xml(file: str, part: str) -> InputError:
    return _unreadable(
        file,
        f"refused: the workbook part {part} declares a document type (DTD) with entities, "
        "which can expand to gigabytes or read other files (an 'XML bomb'); Excel never writes "
        f"them. {_DAMAGED_HELP[0].upper()}{_DAMAGED_HELP[1:]}",
        "unsafe XML",
        "xml_dtd",
        {"part": part},
    )


class _RootSeen(Exception):
    """Raised by :class:`_Prolog` at the first element: the prolog has been checked."""


class _Prolog:
    """Parser target that stops at the root element (a DTD can only come before it)."""

    def start(self, tag: str, attrib: dict[str, str]) -> None:
        raise _RootSeen

    def end(self, tag: str) -> None:
        return None

    def data(self, data: str) -> None:
        return None

    def close(self) -> None:
        return None


class _PrologCheck:
    """Refuse an XML part that declares a DTD (entity bombs and external entities live there).

    The part is fed to a defusedxml parser (``forbid_dtd=True``) chunk by chunk until its root
    element starts, so the check costs a few kilobytes whatever the part's size. Malformed XML
    is left to the workbook reader, which reports it.
    """

    def __init__(self, file: str, part: str) -> None:
        from defusedxml.ElementTree import DefusedXMLParser

        self.file = file
        self.part = part
        self.done = False
        self.parser = DefusedXMLParser(
            target=_Prolog(), forbid_dtd=True, forbid_entities=True, forbid_external=True
        )

    def feed(self, chunk: bytes) -> None:
        if self.done:
            return
        from defusedxml import DefusedXmlException
        from defusedxml.ElementTree import ParseError

        try:
            self.parser.feed(chunk)
        except _RootSeen:
            self.done = True
        except DefusedXmlException:
            raise _unsafe_xml(self.file, self.part) from None
        except ParseError:
            self.done = True


@dataclass
class _Package:
    """What the safety inspection of an ``.xlsx`` package learnt: each sheet's XML part."""

    sheet_parts: dict[str, str]
    sheet_xml: dict[str, bytes]
    styles: bytes = b""


def _read_xml_part(zf: zipfile.ZipFile, name: str) -> Any:
    from defusedxml.ElementTree import fromstring

    return fromstring(zf.read(name), forbid_dtd=True)


def _sheet_parts(zf: zipfile.ZipFile) -> dict[str, str]:
    """Sheet name → XML part, from the package relationships (parsed with defusedxml)."""
    names = set(zf.namelist())
    workbook = "xl/workbook.xml"
    if "_rels/.rels" in names:
        for rel in _read_xml_part(zf, "_rels/.rels"):
            if str(rel.get("Type", "")).endswith(_REL_OFFICE_DOCUMENT):
                workbook = str(rel.get("Target", workbook)).lstrip("/")
                break
    folder, _, base = workbook.rpartition("/")
    rels_name = f"{folder}/_rels/{base}.rels" if folder else f"_rels/{base}.rels"
    if workbook not in names or rels_name not in names:
        return {}
    targets = {}
    for rel in _read_xml_part(zf, rels_name):
        if str(rel.get("Type", "")).endswith(_REL_WORKSHEET):
            target = str(rel.get("Target", ""))
            part = target.lstrip("/") if target.startswith("/") else f"{folder}/{target}"
            targets[rel.get("Id")] = os.path.normpath(part).replace(os.sep, "/")
    parts = {}
    for el in _read_xml_part(zf, workbook).iter(f"{{{_NS_MAIN}}}sheet"):
        rid = el.get(f"{{{_NS_REL}}}id")
        if rid in targets:
            parts[str(el.get("name"))] = targets[rid]
    return parts


def _inspect_xlsx(data: bytes, file: str, limits: ReadLimits) -> _Package:
    """Check an ``.xlsx`` package before any parser sees it.

    Refuses a damaged or truncated zip, more than ``limits.max_parts`` members, a total
    uncompressed size above ``limits.max_bytes`` (checked on the declared sizes and again
    while inflating, since declared sizes can lie), encrypted zip members, and XML parts that
    declare a DTD. Returns the sheet XML for the cell-extent and formula checks.
    """
    from defusedxml import DefusedXmlException
    from defusedxml.ElementTree import ParseError

    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
    except _ZIP_DAMAGE:
        incomplete = data.startswith(b"PK\x03\x04")
        what = (
            "the workbook is incomplete: the end of the file (the zip directory) is missing, "
            "as after an interrupted download or copy"
            if incomplete
            else "the workbook is damaged (not a valid zip archive)"
        )
        code = "workbook_truncated" if incomplete else "workbook_not_zip"
        raise _unreadable(file, f"{what}; {_DAMAGED_HELP}", "damaged workbook", code) from None
    with zf:
        infos = zf.infolist()
        if len(infos) > limits.max_parts:
            raise _unreadable(
                file,
                f"the workbook has {len(infos):,} parts, more than the limit of "
                f"{limits.max_parts:,}; it is not a normal Excel file",
                "too many parts",
                "workbook_too_many_parts",
                {"n": len(infos), "limit": limits.max_parts},
            )
        declared = sum(i.file_size for i in infos)
        if declared > limits.max_bytes:
            raise _too_big(
                file, "the workbook's content inflates to", declared, limits, "workbook_inflates"
            )
        if any(i.flag_bits & 0x1 for i in infos):
            raise _unreadable(file, _PASSWORD_HELP, "password-protected", "workbook_password")
        try:
            sheet_parts = _sheet_parts(zf)
        except KeyError:
            sheet_parts = {}
        except DefusedXmlException:
            raise _unsafe_xml(file, "xl/workbook.xml") from None
        except (ParseError, *_ZIP_DAMAGE) as exc:
            raise _unreadable(
                file,
                f"the workbook's structure is damaged ({exc}); {_DAMAGED_HELP}",
                "damaged workbook",
                "workbook_structure_damaged",
                {"detail": str(exc)},
            ) from None
        wanted = set(sheet_parts.values())
        sheet_xml: dict[str, bytes] = {}
        total = 0
        for info in infos:
            check = (
                _PrologCheck(file, info.filename)
                if info.filename.endswith((".xml", ".rels"))
                else None
            )
            is_styles = info.filename == "xl/styles.xml"
            is_ods = info.filename == "content.xml"  # an OpenDocument spreadsheet's cells
            keep = info.filename in wanted or "worksheets/" in info.filename or is_styles
            keep = keep or is_ods
            pieces: list[bytes] = []
            try:
                with zf.open(info) as fh:
                    while chunk := fh.read(_CHUNK):
                        total += len(chunk)
                        if total > limits.max_bytes:
                            raise _too_big(
                                file,
                                "the workbook's content inflates to more than",
                                total,
                                limits,
                                "workbook_inflates_more",
                            )
                        if check is not None:
                            check.feed(chunk)
                        if keep:
                            pieces.append(chunk)
            except CoordevalError:
                raise  # too large, or an unsafe XML part (InputError is also a ValueError)
            except _ZIP_DAMAGE as exc:
                raise _unreadable(
                    file,
                    f"the workbook is damaged: part {info.filename} cannot be unpacked ({exc}); "
                    f"{_DAMAGED_HELP}",
                    "damaged workbook",
                    "workbook_part_damaged",
                    {"part": info.filename, "detail": str(exc)},
                ) from None
            if keep:
                sheet_xml[info.filename] = b"".join(pieces)
    styles = sheet_xml.pop("xl/styles.xml", b"")
    return _Package(sheet_parts=sheet_parts, sheet_xml=sheet_xml, styles=styles)


_BUILTIN_PERCENT = {9, 10}  # "0%" and "0.00%" (ECMA-376 Part 1, §18.8.30)
_QUOTED = re.compile(r'"[^"]*"|\\.')


def _percent_styles(styles: bytes) -> list[int]:
    """Indices of the cell formats (``cellXfs``) that show numbers as percentages."""
    if not styles:
        return []
    try:
        from defusedxml.ElementTree import fromstring

        root = fromstring(styles, forbid_dtd=True)
    except Exception:  # a damaged styles part: no percent formats are known
        return []
    ns = {"m": _NS_MAIN}
    percent = set(_BUILTIN_PERCENT)
    for fmt in root.iterfind("m:numFmts/m:numFmt", ns):
        code = _QUOTED.sub("", fmt.get("formatCode", ""))
        if "%" in code and str(fmt.get("numFmtId", "")).isdigit():
            percent.add(int(fmt.get("numFmtId")))
    xfs = root.find("m:cellXfs", ns)
    if xfs is None:
        return []
    return [
        k
        for k, xf in enumerate(xfs.iterfind("m:xf", ns))
        if str(xf.get("numFmtId", "0")).isdigit() and int(xf.get("numFmtId", "0")) in percent
    ]


def _percent_cells(xml: bytes, styles: list[int]) -> list[tuple[int, int, str]]:
    """Numeric cells shown as percentages, as the text the reader sees (``0.031`` → ``3.1%``).

    Excel stores a cell typed as ``3.1%`` as 0.031 with a percent format; read as a bare
    number it would be a fraction next to cells typed as 3.3 in the same ``%`` column.
    """
    if not styles:
        return []
    ids = b"|".join(str(k).encode() for k in styles)
    pattern = re.compile(
        rb'<(?:[\w.-]+:)?c\b([^>]*\bs\s*=\s*["\'](?:'
        + ids
        + rb')["\'][^>]*)>(.*?)</(?:[\w.-]+:)?c>',
        re.DOTALL,
    )
    found = []
    for m in pattern.finditer(xml):
        attrs = m.group(1)
        if re.search(rb'\bt\s*=\s*["\'](?!n["\'])', attrs):
            continue  # text, boolean, error: not a number
        ref, val = _CELL_REF.search(attrs), _VALUE.search(m.group(2))
        if ref is None or val is None:
            continue
        try:
            number = float(val.group(1))
        except ValueError:
            continue
        found.append((*_ref_position(ref), f"{number * 100:.15g}%"))
    return found


def _sheet_extent(xml: bytes) -> tuple[int, int]:
    """Upper bounds of the last row and column (1-based) that a sheet's XML can fill.

    A reader allocates the rectangle from the first to the last used cell, so a tiny file with
    cells in A1 and XFD1048576 would ask for 1.7 × 10^10 cells. The bound is taken from every
    ``r`` attribute (``<row r="5">``, ``<c r="F5">``); rows and cells written without one are
    counted as if each advanced by one.

    Notes
    -----
    The scan works on the bytes with numpy: the positions of ``r="``/``r='`` after white
    space give the references; a window of 12 bytes after each holds its letters and digits.
    The largest column is the largest letter string among those with the most letters, the
    largest row likewise among the digit strings, compared as fixed-width byte strings. So it
    is a few vectorised passes over the XML. Attributes written with white space around ``=``
    are read with a regular expression instead.
    """
    buf = np.frombuffer(xml, dtype=np.uint8)
    n = buf.size
    if n < 8:
        return 0, 0
    at = np.flatnonzero(buf[1 : n - 3] == ord("r")) + 1
    after = buf[at + 1]
    attr = ~_is_name(buf[at - 1])  # lenient parsers accept attributes without a space
    loose = attr & (_is_space(after) | ((after == ord("=")) & _is_space(buf[at + 2])))
    if loose.any():
        found = [
            (m.group(1).upper(), m.group(2), m.group(0).endswith(b"&"))
            for m in _XML_REF.finditer(xml)
        ]
        if any(amp for _, _, amp in found):
            raise ValueError("a cell reference written with an XML character reference")
        cols = [_col_number(a) for a, _, _ in found if a]
        rows = [int(d[:12]) for _, d, _ in found if d]
        max_row, max_col = max(rows, default=0), max(cols, default=0)
        n_cell_refs = sum(1 for a, _, _ in found if a)
        n_row_refs = sum(1 for a, d, _ in found if not a and d)
    else:
        quote = buf[at + 2]
        is_ref = attr & (after == ord("=")) & ((quote == ord('"')) | (quote == ord("'")))
        if (buf[np.minimum(at[is_ref] + 3, n - 1)] == ord("&")).any():
            raise ValueError("a cell reference written with an XML character reference")
        max_row, max_col, n_cell_refs, n_row_refs = _max_ref(buf, at[is_ref] + 3)
    n_cells = xml.count(b"<c") + xml.count(b":c")
    n_rows = xml.count(b"<row") + xml.count(b":row")
    max_col += max(0, n_cells - n_cell_refs)
    max_row += max(0, n_rows - n_row_refs)
    return max_row, max_col


def _is_name(chars: np.ndarray) -> np.ndarray:
    """Bytes that can be part of an XML name (ASCII name characters and any non-ASCII)."""
    lower = chars | 0x20
    return (
        ((lower >= ord("a")) & (lower <= ord("z")))
        | ((chars >= ord("0")) & (chars <= ord("9")))
        | (chars == ord("_"))
        | (chars == ord(":"))
        | (chars == ord("."))
        | (chars == ord("-"))
        | (chars >= 0x80)
    )


def _is_space(chars: np.ndarray) -> np.ndarray:
    return (chars == 0x20) | (chars == 0x09) | (chars == 0x0A) | (chars == 0x0D)


def _col_number(letters: bytes) -> int:
    n = 0
    for ch in letters[:6]:
        n = n * 26 + ch - 64
    return n


_REF_WIDTH = 12
_HUGE = 2**40


def _max_ref(buf: np.ndarray, start: np.ndarray) -> tuple[int, int, int, int]:
    """Largest row and column among the references starting at ``start`` (after the quote),
    and how many references have letters (cells) and only digits (rows)."""
    if not start.size:
        return 0, 0, 0, 0
    windows = np.lib.stride_tricks.sliding_window_view(
        np.concatenate([buf, np.zeros(_REF_WIDTH, dtype=np.uint8)]), _REF_WIDTH
    )[start]
    pos = np.arange(_REF_WIDTH)
    windows = np.where((windows >= ord("a")) & (windows <= ord("z")), windows - 32, windows)
    letter = (windows >= ord("A")) & (windows <= ord("Z"))
    n_letters = np.where(letter.all(axis=1), _REF_WIDTH, letter.argmin(axis=1))
    digit_run = ((windows >= ord("0")) & (windows <= ord("9"))) | (pos < n_letters[:, None])
    stop = np.where(digit_run.all(axis=1), _REF_WIDTH, digit_run.argmin(axis=1))
    ends = windows[np.arange(start.size), np.minimum(stop, _REF_WIDTH - 1)]
    if (ends == ord("&")).any():
        raise ValueError("a cell reference written with an XML character reference")
    n_digits = stop - n_letters
    has_letters = n_letters > 0
    is_row = ~has_letters & (n_digits > 0)
    max_col = _largest(windows, n_letters, n_letters * 0, has_letters)
    max_row = _largest(windows, n_digits, n_letters, n_digits > 0)
    return max_row, max_col, int(has_letters.sum()), int(is_row.sum())


def _largest(windows: np.ndarray, length: np.ndarray, offset: np.ndarray, use: np.ndarray) -> int:
    """The largest number among strings of ``windows`` (letters A–Z base 26, or digits)."""
    if not use.any():
        return 0
    longest = int(length[use].max())
    if longest >= _REF_WIDTH - 1 or (longest > 3 and offset[use].max() == 0):
        return _HUGE
    best = 0
    for off in np.unique(offset[use & (length == longest)]):
        chars = windows[use & (length == longest) & (offset == off), off : off + longest]
        digits = bool(chars[0, 0] <= ord("9"))
        base, zero = (10, ord("0")) if digits else (26, ord("A") - 1)
        value = np.zeros(chars.shape[0], dtype=np.int64)
        for j in range(longest):
            value = value * base + (chars[:, j].astype(np.int64) - zero)
        best = max(best, int(value.max()))
    return best


_ODS_ROW = re.compile(rb"<table:table-row\b")
_ODS_CELL = re.compile(rb"<table:(?:covered-)?table-cell\b([^>]*?)(/?)>")
_ODS_ROWS_REPEATED = re.compile(rb'number-rows-repeated\s*=\s*["\'](\d+)')
_ODS_COLS_REPEATED = re.compile(rb'number-columns-repeated\s*=\s*["\'](\d+)')


def _ods_extent(xml: bytes) -> tuple[int, int]:
    """Rows and columns an OpenDocument spreadsheet's ``content.xml`` makes a reader allocate.

    Repeated rows and cells (``table:number-rows-repeated``) let a few bytes describe a far
    cell; trailing empty repeats (which LibreOffice writes to the sheet's end) are not
    counted, as readers skip them. The bound covers all tables of the file together.
    """
    rows = cols = pending = 0
    pieces = _ODS_ROW.split(xml)[1:]
    for piece in pieces:
        head = piece[: piece.find(b">") + 1]
        repeat = _ODS_ROWS_REPEATED.search(head)
        width = last = 0
        for m in _ODS_CELL.finditer(piece):
            span = _ODS_COLS_REPEATED.search(m.group(1))
            n = int(span.group(1)) if span else 1
            width += n
            empty = m.group(2) == b"/" and b"value-type" not in m.group(1)
            if not empty:
                last = width
        n_rows = int(repeat.group(1)) if repeat else 1
        if last:  # empty rows above a filled one count; trailing empty rows do not
            rows += pending + n_rows
            pending = 0
            cols = max(cols, last)
        else:
            pending += n_rows
    return rows, cols


def _check_extent(xml: bytes, file: str, sheet: str, limits: ReadLimits, ods: bool = False) -> None:
    """Refuse a sheet whose used rectangle exceeds the row or cell limits."""
    try:
        rows, cols = _ods_extent(xml) if ods else _sheet_extent(xml)
    except ValueError as exc:
        raise InputError(
            [
                Problem(
                    f"the sheet's cell references are malformed ({exc}); Excel never writes "
                    f"them so. {_DAMAGED_HELP[0].upper()}{_DAMAGED_HELP[1:]}",
                    file=file,
                    sheet=sheet,
                    code="sheet_refs_malformed",
                    params={"detail": str(exc)},
                )
            ],
            f"{file}: damaged sheet",
        ) from None
    if rows > limits.max_rows:
        raise InputError(
            [
                Problem(
                    f"the sheet reaches row {rows:,}, more than the limit of "
                    f"{limits.max_rows:,} rows ({ENV_MAX_ROWS} raises it)",
                    file=file,
                    sheet=sheet,
                    code="sheet_too_many_rows",
                    params={"rows": rows, "limit": limits.max_rows, "env": ENV_MAX_ROWS},
                )
            ],
            f"{file}: sheet too large",
        )
    if rows * cols > limits.max_cells:
        last = f"{_column_letters(np.array([cols - 1]))[0]}{rows}" if cols <= 16384 else "?"
        raise InputError(
            [
                Problem(
                    f"the sheet's cells span A1:{last} ({rows:,} rows × {cols:,} columns = "
                    f"{rows * cols:,} cells), more than the limit of {limits.max_cells:,} cells "
                    f"({ENV_MAX_CELLS} raises it); delete the stray cells far from the table",
                    file=file,
                    sheet=sheet,
                    code="sheet_too_many_cells",
                    params={
                        "last": last,
                        "rows": rows,
                        "cols": cols,
                        "cells": rows * cols,
                        "limit": limits.max_cells,
                        "env": ENV_MAX_CELLS,
                    },
                )
            ],
            f"{file}: sheet too large",
        )


def _special_cells(xml: bytes) -> list[tuple[int, int, str]]:
    """Cells a reader shows as blank although they are not: ``(row, col, marker)``, 0-based.

    python-calamine returns formula-error cells (``#DIV/0!``) and formulas without a cached
    value (written by a program and never calculated) as empty strings; the sheet XML tells
    them apart. The marker is the error text, or a :class:`~coordeval.io.cells.UncachedFormula`
    holding ``"=" + formula``.
    """
    found: list[tuple[int, int, str]] = []
    if b't="e"' in xml or b"t='e'" in xml:
        for m in _ERROR_CELL.finditer(xml):
            ref = _CELL_REF.search(m.group(1))
            val = _VALUE.search(m.group(2))
            if ref and val:
                text = val.group(1).decode("utf-8", "replace")
                found.append((*_ref_position(ref), ErrorValue(text)))
    if b"<f" in xml or b":f" in xml:
        for m in _FORMULA_NO_VALUE.finditer(xml):
            ref = _CELL_REF.search(m.group(1))
            if ref:
                text = html.unescape((m.group(2) or b"").decode("utf-8", "replace"))
                found.append((*_ref_position(ref), UncachedFormula(f"={text}")))
    return found


def _ref_position(ref: re.Match[bytes]) -> tuple[int, int]:
    return int(ref.group(2)) - 1, _col_number(ref.group(1)) - 1
