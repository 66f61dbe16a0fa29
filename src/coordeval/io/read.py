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
vectorised string concatenation. Each problem names the file, sheet, cell (``F3``, or
``line 3, column 6`` for CSV), the column header and the value as written.
"""

from __future__ import annotations

import codecs
import csv
import hashlib
import io
import re
import warnings
import xml.etree.ElementTree as ET
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from itertools import zip_longest
from pathlib import Path
from typing import Any, Literal

import numpy as np
import pandas as pd

from coordeval.errors import ConfigError, DataWarning, InputError, Problem, raise_if_errors
from coordeval.io.cells import clean_text, display_text, parse_values, parse_year
from coordeval.system import SYSTEM_SHEET, IndicatorSystem, load_system

__all__ = ["EXCEL_SUFFIXES", "PanelData", "read_data", "read_panel"]

EXCEL_SUFFIXES = (".xlsx", ".xlsm", ".xls")
CSV_SUFFIXES = (".csv",)

_ROLE_KEYS: dict[str, tuple[str, ...]] = {
    "city": ("city", "城市", "地区", "城市名称", "city_name"),
    "year": ("year", "年份", "年度", "年"),
    "indicator": ("indicator", "指标", "指标名称", "indicator_id", "indicator_name"),
    "value": ("value", "数值", "值", "指标值"),
    "unit": ("unit", "单位"),
    "ignored": ("value_raw", "qualifier", "source", "table", "note", "quote"),
}
_ROLE_OF = {key: role for role, keys in _ROLE_KEYS.items() for key in keys}
_UNITS_ROW_LABELS = ("单位", "unit", "units", "计量单位")
_FOOTNOTE = r"^(?:注|资料来源|数据来源|note|source|\*)"
_MAGNITUDE_IN_UNIT = r"[千万亿百]"
_QUALIFIER_WORDS = {
    "approx": "approximate",
    "greater_than": "a lower bound (>)",
    "less_than": "an upper bound (<)",
    "greater_equal": "a lower bound (≥)",
    "less_equal": "an upper bound (≤)",
}
_NS_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_NS_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_ERROR_CELL = re.compile(r"<(?:\w+:)?c\b(?=[^>]*\bt=\"e\")([^>]*)>(.*?)</(?:\w+:)?c>", re.S)


@dataclass
class PanelData:
    """Everything read from one data file.

    Attributes
    ----------
    panel : pandas.DataFrame
        Index ``(city, year)`` (str, int), sorted; one float64 column per indicator of the
        system found in the file, in system order. ``NaN`` where a value is missing or could
        not be read.
    problems : list of Problem
        Every problem found, all severities, each located.
    qualifiers : pandas.DataFrame
        Columns ``city, year, indicator, raw, qualifier, cell``: one row per value read with a
        qualifier other than ``"exact"`` (``>95``, ``约5.5``); missing values are not listed
        here (see :func:`coordeval.io.validate.apply_missing`).
    cells : pandas.DataFrame
        Columns ``city, year, indicator, cell, column, raw, status``: where every value of
        ``panel`` came from. ``status`` is the qualifier, ``"missing"``, or ``"invalid"`` for
        cells that could not be read. A long file without a row for a (city, year, indicator)
        has no entry.
    units : dict
        Indicator id → unit written in the file (header ``GDP（亿元）``, units row, or the
        ``unit`` column of a long file).
    file : str
        File name.
    sheet : str or None
        Worksheet read (Excel only).
    layout : {"wide", "long"}
    sha256 : str
        SHA-256 of the file's bytes, as read.
    system : IndicatorSystem or None
        The indicator system the headers were matched against.
    encoding : str or None
        Text encoding of a CSV file.
    """

    panel: pd.DataFrame
    problems: list[Problem]
    qualifiers: pd.DataFrame
    cells: pd.DataFrame
    units: dict[str, str]
    file: str
    sheet: str | None
    layout: Literal["wide", "long"]
    sha256: str
    system: IndicatorSystem | None = None
    encoding: str | None = None

    @property
    def errors(self) -> list[Problem]:
        """The problems of severity ``"error"``."""
        return [p for p in self.problems if p.severity == "error"]

    def indicator_label(self, indicator_id: str) -> str:
        """``"gdp (地区生产总值)"`` when the system knows the id, else the id."""
        if self.system is not None and indicator_id in self.system.indicator_ids:
            return f"{indicator_id} ({self.system.indicator(indicator_id).name_zh})"
        return indicator_id

    def problems_at(
        self, where: pd.DataFrame, severity: Literal["error", "warning", "info"] = "error"
    ) -> list[Problem]:
        """Located problems for values of the panel.

        Parameters
        ----------
        where : pandas.DataFrame
            Columns ``city, year, indicator, message`` (one row per problem); an optional
            ``value`` column overrides the value as written in the file.
        severity : {"error", "warning", "info"}

        Returns
        -------
        list of Problem
            One per row of ``where``, with the file, sheet, cell, column header and value as
            written taken from :attr:`cells`.
        """
        keys = ["city", "year", "indicator"]
        wanted = [*keys, "message", *(["value"] if "value" in where.columns else [])]
        located = where[wanted].merge(
            self.cells[[*keys, "cell", "column", "raw"]], on=keys, how="left", validate="m:1"
        )
        value = located["value"] if "value" in located.columns else located["raw"]
        return [
            Problem(
                str(msg),
                file=self.file,
                sheet=self.sheet,
                cell=None if pd.isna(cell) else str(cell),
                column=None if pd.isna(col) else str(col),
                value=None if pd.isna(val) else str(val),
                severity=severity,
            )
            for msg, cell, col, val in zip(
                located["message"], located["cell"], located["column"], value, strict=True
            )
        ]


@dataclass
class _Grid:
    """A sheet or CSV file as a rectangle of cells; row ``i`` is sheet row ``i + 1``."""

    raw: pd.DataFrame
    text: pd.DataFrame
    file: str
    sheet: str | None
    lines: np.ndarray | None = None
    merged: list[tuple[int, int, int, int]] = field(default_factory=list)
    encoding: str | None = None

    def refs(self, rows: Any, cols: Any) -> np.ndarray:
        """Cell references (``"F3"`` or ``"line 3, column 6"``) for aligned row/col positions."""
        rows = np.asarray(rows, dtype=np.int64).ravel()
        cols = np.broadcast_to(np.asarray(cols, dtype=np.int64), rows.shape).ravel()
        if self.lines is None:
            ref = pd.Series(_column_letters(cols)) + pd.Series(rows + 1).astype(str)
        else:
            line = pd.Series(self.lines[rows]).astype(str)
            ref = "line " + line + ", column " + pd.Series(cols + 1).astype(str)
        return ref.to_numpy(dtype=object)

    def ref(self, row: int, col: int) -> str:
        """One cell reference."""
        return str(self.refs([row], [col])[0])

    def problem(
        self,
        message: str,
        row: int | None = None,
        col: int | None = None,
        *,
        column: str | None = None,
        value: str | None = None,
        severity: Literal["error", "warning", "info"] = "error",
    ) -> Problem:
        """A problem located at one cell (or at the file/sheet when ``row`` is None)."""
        cell = self.ref(row, col) if row is not None and col is not None else None
        return Problem(
            message,
            file=self.file,
            sheet=self.sheet,
            cell=cell,
            column=column,
            value=value,
            severity=severity,
        )

    def problems(
        self,
        messages: Any,
        rows: Any,
        cols: Any,
        columns: Any,
        values: Any,
        severity: Literal["error", "warning", "info"] = "error",
    ) -> list[Problem]:
        """Located problems for aligned arrays (one loop over the problems, not the cells)."""
        rows = np.asarray(rows, dtype=np.int64)
        n = len(rows)
        cells = self.refs(rows, cols)
        messages = np.broadcast_to(np.asarray(messages, dtype=object), (n,))
        columns = np.broadcast_to(np.asarray(columns, dtype=object), (n,))
        values = np.broadcast_to(np.asarray(values, dtype=object), (n,))
        return [
            Problem(
                str(m),
                file=self.file,
                sheet=self.sheet,
                cell=str(c),
                column=None if h is None or pd.isna(h) else str(h),
                value=None if v is None or pd.isna(v) else str(v),
                severity=severity,
            )
            for m, c, h, v in zip(messages, cells, columns, values, strict=True)
        ]


@dataclass
class _Header:
    row: int
    city: int
    year: int
    roles: pd.Series
    text: pd.Series
    problems: list[Problem]

    @property
    def layout(self) -> Literal["wide", "long"]:
        return "long" if {"indicator", "value"} <= set(self.roles) else "wide"


@dataclass
class _Table:
    panel: pd.DataFrame
    long: pd.DataFrame
    units: dict[str, str]
    problems: list[Problem]


def _column_letters(cols: np.ndarray) -> np.ndarray:
    """Excel column letters for 0-based column positions (0 → A, 26 → AA)."""
    n = np.asarray(cols, dtype=np.int64) + 1
    out = np.full(n.shape, "", dtype=object)
    alphabet = np.array(list("ABCDEFGHIJKLMNOPQRSTUVWXYZ"), dtype=object)
    while (n > 0).any():
        active = n > 0
        rem = (n - 1) % 26
        out = np.where(active, alphabet[rem] + out, out)
        n = np.where(active, (n - 1) // 26, 0)
    return out


def _norm_key(text: pd.Series) -> pd.Series:
    """Matching key: full-width → ASCII, all whitespace removed, case-folded."""
    return clean_text(text).str.replace(r"\s+", "", regex=True).str.casefold()


def _split_unit(text: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Split ``"GDP (亿元)"`` into the name and the unit in trailing parentheses."""
    groups = clean_text(text).str.extract(r"^(?P<name>.*?\S)\s*[(\[](?P<unit>[^()\[\]]*)[)\]]$")
    return groups["name"], groups["unit"].str.strip()


def _roles(text: pd.Series) -> pd.Series:
    """Role of each header cell: city, year, indicator, value, unit, ignored or NA."""
    role = _norm_key(text).map(_ROLE_OF)
    stripped = _norm_key(_split_unit(text)[0]).map(_ROLE_OF)
    return role.fillna(stripped).astype("string")


def _lookup(system: IndicatorSystem) -> pd.DataFrame:
    """Normalised header key → ``id`` (when it names one indicator) or ``ambiguous`` ids."""
    ids = [ind.id for ind in system.indicators for _ in range(3 + len(ind.aliases))]
    names = [
        name
        for ind in system.indicators
        for name in (ind.id, ind.name_zh, ind.name_en, *ind.aliases)
    ]
    names_s = pd.Series(names, dtype="string")
    stripped = _split_unit(names_s)[0].fillna(names_s)
    table = pd.DataFrame(
        {"key": pd.concat([_norm_key(names_s), _norm_key(stripped)], ignore_index=True)}
    ).assign(id=ids + ids)
    table = table[table["key"].ne("")].drop_duplicates()
    grouped = table.groupby("key", sort=False)["id"]
    out = pd.DataFrame({"n": grouped.size(), "ids": grouped.agg(", ".join)})
    return out.assign(id=out["ids"].where(out["n"].eq(1)))


def _match(text: pd.Series, lookup: pd.DataFrame) -> pd.DataFrame:
    """Match header texts to indicator ids.

    Returns columns ``id`` (the indicator, NA unless exactly one matches), ``ambiguous``
    (the ids, comma-separated, when several match) and ``unit`` (the unit stripped from
    trailing parentheses when the match needed the stripping, else NA).
    """
    full_key = _norm_key(text)
    name, unit = _split_unit(text)
    stripped_key = _norm_key(name)
    use_full = full_key.isin(lookup.index).to_numpy(dtype=bool)
    key = full_key.where(use_full, stripped_key)
    found = key.isin(lookup.index).to_numpy(dtype=bool)
    ids = key.map(lookup["id"]).where(found)
    ambiguous = key.map(lookup["ids"]).where(found & ids.isna().to_numpy(dtype=bool))
    has_unit = ~use_full & found & unit.fillna("").ne("").to_numpy(dtype=bool)
    return pd.DataFrame(
        {
            "id": ids.astype("string"),
            "ambiguous": ambiguous.astype("string"),
            "unit": unit.where(has_unit).astype("string"),
        },
        index=text.index,
    )


def _read_bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        problem = Problem("file not found", file=path.name)
        raise InputError([problem], f"{path}: not found") from None
    except OSError as exc:
        problem = Problem(f"cannot be read: {exc.strerror}", file=path.name)
        raise InputError([problem], f"{path.name}: cannot be read") from None


def _flat(frame: pd.DataFrame, fn: Any) -> pd.DataFrame:
    """Apply a Series function to every cell at once (row-major), keeping the frame's shape."""
    flat = pd.Series(frame.to_numpy(dtype=object).ravel(), dtype=object)
    out = fn(flat).to_numpy(dtype=object).reshape(frame.shape)
    return pd.DataFrame(out, index=frame.index, columns=frame.columns)


def _grid(raw: pd.DataFrame, file: str, sheet: str | None, **kw: Any) -> _Grid:
    raw = raw.astype(object)
    text = _flat(raw, display_text).astype("string")
    return _Grid(raw=raw, text=text, file=file, sheet=sheet, **kw)


def _frame(rows: list[list[Any]] | list[tuple[Any, ...]], fill: Any) -> pd.DataFrame:
    """Rectangular object frame from ragged rows (padded with ``fill``), columns 0..n-1."""
    columns = list(zip_longest(*rows, fillvalue=fill))
    return pd.DataFrame(dict(enumerate(columns)), index=pd.RangeIndex(len(rows)), dtype=object)


class _Workbook:
    """An Excel workbook read through python-calamine, with openpyxl as fallback."""

    def __init__(self, data: bytes, file: str) -> None:
        self.data = data
        self.file = file
        self._book: Any = None
        self._openpyxl: Any = None
        try:
            import python_calamine

            self._book = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
            meta = self._book.sheets_metadata
            self.sheet_names = [
                m.name for m in meta if str(getattr(m, "typ", "WorkSheet")).endswith("WorkSheet")
            ]
        except Exception:
            self._book = None
            self._open_openpyxl()

    def _open_openpyxl(self) -> None:
        import openpyxl

        try:
            self._openpyxl = openpyxl.load_workbook(
                io.BytesIO(self.data), read_only=True, data_only=True
            )
        except Exception as exc:
            problem = Problem(f"cannot be read as an Excel workbook ({exc})", file=self.file)
            raise InputError([problem], f"{self.file}: not a readable workbook") from None
        self.sheet_names = [ws.title for ws in self._openpyxl.worksheets]

    def grid(self, name: str) -> _Grid:
        if self._book is not None:
            try:
                sheet = self._book.get_sheet_by_name(name)
                rows = sheet.to_python(skip_empty_area=False)
                merged = [
                    (r0, c0, r1, c1) for (r0, c0), (r1, c1) in (sheet.merged_cell_ranges or [])
                ]
                raw = _frame(rows, "")
                raw = _put_error_cells(raw, _excel_error_cells(self.data, name))
                return _grid(raw, self.file, name, merged=merged)
            except Exception:
                if self._openpyxl is None:
                    self._open_openpyxl()
        ws = self._openpyxl[name]
        rows = list(ws.iter_rows(min_row=1, min_col=1, values_only=True))
        return _grid(_frame(rows, None), self.file, name)

    def close(self) -> None:
        if self._book is not None:
            self._book.close()
        if self._openpyxl is not None:
            self._openpyxl.close()


def _excel_error_cells(data: bytes, sheet: str) -> list[tuple[int, int, str]]:
    """Error cells (``#DIV/0!``, ``#N/A``) of an .xlsx sheet as (row, col, text), 0-based.

    python-calamine returns error cells as empty strings; reading them from the sheet XML
    keeps a formula error from passing as a blank cell.
    """
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            book = ET.fromstring(zf.read("xl/workbook.xml"))
            rid = next(
                el.get(f"{{{_NS_REL}}}id")
                for el in book.iter(f"{{{_NS_MAIN}}}sheet")
                if el.get("name") == sheet
            )
            rels = ET.fromstring(zf.read("xl/_rels/workbook.xml.rels"))
            target = next(el.get("Target") for el in rels if el.get("Id") == rid)
            part = target.lstrip("/") if target.startswith("/") else f"xl/{target}"
            xml = zf.read(part).decode("utf-8")
    except (KeyError, StopIteration, zipfile.BadZipFile, ET.ParseError, UnicodeDecodeError):
        return []
    if 't="e"' not in xml:
        return []
    found = []
    for m in _ERROR_CELL.finditer(xml):
        ref = re.search(r'\br="([A-Z]+)([0-9]+)"', m.group(1))
        val = re.search(r"<(?:\w+:)?v>([^<]*)</", m.group(2))
        if ref and val:
            col = 0
            for ch in ref.group(1):
                col = col * 26 + ord(ch) - 64
            found.append((int(ref.group(2)) - 1, col - 1, val.group(1)))
    return found


def _put_error_cells(raw: pd.DataFrame, cells: list[tuple[int, int, str]]) -> pd.DataFrame:
    if not cells:
        return raw
    nrow = max(raw.shape[0], max(r for r, _, _ in cells) + 1)
    ncol = max(raw.shape[1], max(c for _, c, _ in cells) + 1)
    values = np.full((nrow, ncol), "", dtype=object)
    values[: raw.shape[0], : raw.shape[1]] = raw.to_numpy(dtype=object)
    rows, cols, texts = zip(*cells, strict=True)
    values[list(rows), list(cols)] = list(texts)
    return pd.DataFrame(values, dtype=object)


def _decode(data: bytes, file: str) -> tuple[str, str]:
    """Decode CSV bytes: BOM first, then strict UTF-8, then GB18030 (a superset of GBK)."""
    if data.startswith(codecs.BOM_UTF8):
        return data.decode("utf-8-sig"), "utf-8-sig"
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16"), "utf-16"
        except UnicodeDecodeError:
            pass
    else:
        for encoding in ("utf-8", "gb18030"):
            try:
                return data.decode(encoding), encoding
            except UnicodeDecodeError:
                continue
    problem = Problem(
        "cannot decode the text: save the CSV as UTF-8 (or GBK / UTF-16 with BOM)", file=file
    )
    raise InputError([problem], f"{file}: unknown text encoding")


def _csv_grid(text: str, file: str, encoding: str, delimiter: str) -> _Grid:
    try:
        rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=False))
    except csv.Error as exc:
        problem = Problem(f"not a readable CSV file ({exc})", file=file)
        raise InputError([problem], f"{file}: not a CSV file") from None
    raw = _frame(rows, "")
    newlines = _flat(raw, lambda cells: cells.astype("string").str.count("\n"))
    extent = 1 + newlines.to_numpy(dtype=np.int64).sum(axis=1)
    lines = np.concatenate([[1], 1 + np.cumsum(extent)[:-1]]) if len(extent) else extent
    return _grid(raw, file, None, lines=lines, encoding=encoding)


def _find_header(grid: _Grid) -> _Header | None:
    """The first row holding a city and a year column."""
    if grid.text.shape[1] == 0 or grid.text.shape[0] == 0:
        return None
    row = -1
    for lo, hi in ((0, _HEADER_SCAN), (_HEADER_SCAN, grid.text.shape[0])):
        roles = _flat(grid.text.iloc[lo:hi], lambda cells: _roles(cells).fillna(""))
        has = roles.eq("city").any(axis=1) & roles.eq("year").any(axis=1)
        rows = np.flatnonzero(has.to_numpy(dtype=bool))
        if len(rows):
            row = lo + int(rows[0])
            role = roles.iloc[int(rows[0])].astype("string")
            role = role.mask(role.eq(""))
            break
    if row < 0:
        return None
    text = grid.text.iloc[row]
    problems = []
    is_long = role.eq("indicator").any() and role.eq("value").any()
    for key in ("city", "year", "indicator", "value", "unit") if is_long else ("city", "year"):
        at = np.flatnonzero(role.eq(key).fillna(False).to_numpy(dtype=bool))
        if len(at) > 1:
            refs = ", ".join(grid.refs([row] * len(at), at))
            problems.append(
                grid.problem(
                    f"{len(at)} columns could be the {key} column ({refs}); keep one",
                    row,
                    int(at[1]),
                    column=str(text.iloc[at[1]]),
                )
            )
    city = int(np.flatnonzero(role.eq("city").fillna(False).to_numpy(dtype=bool))[0])
    year = int(np.flatnonzero(role.eq("year").fillna(False).to_numpy(dtype=bool))[0])
    return _Header(
        row=row,
        city=city,
        year=year,
        roles=role.reset_index(drop=True),
        text=text.reset_index(drop=True),
        problems=problems,
    )


_HEADER_SCAN = 200
_KEY_HELP = (
    "header row with a city column (城市/地区/城市名称/city) and a year column (年份/年度/年/year)"
)


def _load(path: Path, data: bytes, sheet: str | None) -> tuple[_Grid, _Header]:
    suffix = path.suffix.lower()
    file = path.name
    if suffix in EXCEL_SUFFIXES:
        book = _Workbook(data, file)
        try:
            if sheet is not None:
                if sheet not in book.sheet_names:
                    problem = Problem(
                        f"no sheet {sheet!r}; the workbook has: {', '.join(book.sheet_names)}",
                        file=file,
                    )
                    raise InputError([problem], f"{file}: no sheet {sheet!r}")
                candidates = [sheet]
            else:
                candidates = [n for n in book.sheet_names if n != SYSTEM_SHEET]
            for name in candidates:
                grid = book.grid(name)
                header = _find_header(grid)
                if header is not None:
                    return grid, header
        finally:
            book.close()
        where = f"sheet {sheet!r} has no" if sheet is not None else "no sheet has a"
        names = ", ".join(book.sheet_names)
        message = f"{where} {_KEY_HELP}; sheets in the workbook: {names}"
        raise InputError([Problem(message, file=file, sheet=sheet)], f"{file}: no data table")
    if suffix in CSV_SUFFIXES:
        if sheet is not None:
            raise ConfigError(f"{file}: sheet={sheet!r} applies to Excel files only")
        text, encoding = _decode(data, file)
        for delimiter in (",", "\t", ";"):
            grid = _csv_grid(text, file, encoding, delimiter)
            header = _find_header(grid)
            if header is not None:
                return grid, header
        message = f"the file has no {_KEY_HELP}"
        raise InputError([Problem(message, file=file)], f"{file}: no data table")
    problem = Problem(
        f"unsupported file type {path.suffix!r}: use .xlsx, .xlsm, .xls or .csv", file=file
    )
    raise InputError([problem], f"{file}: unsupported file type")


def _fill_merged(grid: _Grid, header: _Header, key_cols: list[int]) -> list[Problem]:
    """Repeat the value of merged key cells (a city spanning several year rows) in each row."""
    problems = []
    for r0, c0, r1, c1 in grid.merged:
        if r0 <= header.row or r1 == r0 or c0 != c1 or c0 not in key_cols:
            continue
        value = grid.raw.iat[r0, c0]
        raw_col = grid.raw.iloc[:, c0].copy()
        raw_col.iloc[r0 + 1 : r1 + 1] = value
        grid.raw[c0] = raw_col
        text_col = grid.text.iloc[:, c0].copy()
        text_col.iloc[r0 + 1 : r1 + 1] = grid.text.iat[r0, c0]
        grid.text[c0] = text_col
        span = f"{grid.ref(r0, c0)}:{grid.ref(r1, c1)}"
        problems.append(
            grid.problem(
                f"merged cells {span}: the value is read in each of their rows",
                r0,
                c0,
                column=str(header.text.iloc[c0]),
                value=str(grid.text.iat[r0, c0]),
                severity="info",
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
    body = grid.text.iloc[start:]
    empty = np.array([], dtype=np.int64)
    if body.shape[0] == 0:
        return empty, empty, []
    nonempty = body.ne("").to_numpy(dtype=bool)
    count = nonempty.sum(axis=1)
    first_col = nonempty.argmax(axis=1)
    first = pd.Series(
        body.to_numpy(dtype=object)[np.arange(body.shape[0]), first_col], dtype="string"
    )
    starts_note = first.str.casefold().str.contains(_FOOTNOTE).fillna(False)
    footnote = (count == 1) & starts_note.to_numpy(dtype=bool)
    blank = ~nonempty[:, table_cols].any(axis=1)
    positions = np.arange(start, start + body.shape[0])
    notes = np.flatnonzero(footnote)
    end = int(notes[0]) if len(notes) else body.shape[0]
    problems: list[Problem] = []
    if len(notes):
        problems += grid.problems(
            "footnote row: the table ends above it",
            positions[notes],
            first_col[notes],
            None,
            first.to_numpy(dtype=object)[notes],
            severity="info",
        )
        after = np.flatnonzero((count > 0) & ~footnote)
        after = after[after > end]
        if len(after):
            problems.append(
                grid.problem(
                    f"{len(after)} non-empty row(s) below the footnote at "
                    f"{grid.ref(int(positions[end]), int(first_col[end]))} are not read",
                    int(positions[after[0]]),
                    int(first_col[after[0]]),
                    value=str(first.iloc[after[0]]),
                    severity="warning",
                )
            )
    span = positions[:end]
    return span[~blank[:end]], span, problems


def _keys(grid: _Grid, header: _Header, rows: np.ndarray) -> tuple[pd.DataFrame, list[Problem]]:
    """City and year of each row; rows without a usable key are reported and marked."""
    city = clean_text(grid.text.iloc[rows, header.city]).reset_index(drop=True)
    year, year_error = parse_year(grid.raw.iloc[rows, header.year].reset_index(drop=True))
    city_blank = city.eq("").to_numpy(dtype=bool)
    bad_year = year_error.notna().to_numpy(dtype=bool) & ~city_blank
    problems = grid.problems(
        "city is blank but the row has values",
        rows[city_blank],
        header.city,
        str(header.text.iloc[header.city]),
        None,
    )
    problems += grid.problems(
        year_error[bad_year].to_numpy(dtype=object),
        rows[bad_year],
        header.year,
        str(header.text.iloc[header.year]),
        grid.text.iloc[rows[bad_year], header.year].to_numpy(dtype=object),
    )
    keys = pd.DataFrame(
        {"row": rows, "city": city.astype("str"), "year": year, "ok": ~city_blank & ~bad_year}
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
    problems = grid.problems(messages, keys["row"].to_numpy()[dup], col, None, labels)
    return dup, problems


def _read_wide(
    grid: _Grid, header: _Header, system: IndicatorSystem, lookup: pd.DataFrame
) -> _Table:
    problems: list[Problem] = []
    text = header.text
    headed = np.flatnonzero(text.ne("").to_numpy(dtype=bool))
    others = headed[(headed != header.city) & (headed != header.year)]
    match = _match(text.iloc[others], lookup)
    unknown = (match["id"].isna() & match["ambiguous"].isna()).to_numpy(dtype=bool)
    problems += grid.problems(
        f"column is not an indicator of the system {system.name!r}; it is not read",
        np.full(int(unknown.sum()), header.row),
        others[unknown],
        text.iloc[others[unknown]].to_numpy(dtype=object),
        None,
        severity="warning",
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
    block = grid.raw.iloc[row_pos, col_pos].to_numpy(dtype=object)
    parsed = parse_values(pd.Series(block.ravel(), dtype=object))
    flat_rows = np.repeat(row_pos, n_ind)
    flat_cols = np.tile(col_pos, n_rows)
    long = pd.DataFrame(
        {
            "city": np.repeat(keys["city"].to_numpy(dtype=object), n_ind),
            "year": np.repeat(keys["year"].to_numpy(dtype=np.int64), n_ind),
            "indicator": np.tile(cols["id"].to_numpy(dtype=object), n_rows),
            "row": flat_rows,
            "col": flat_cols,
            "column": np.tile(cols["header"].to_numpy(dtype=object), n_rows),
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
    return _Table(panel=panel, long=long, units=units, problems=problems)


def _same_unit(a: str, b: str) -> bool:
    """Units compare equal after full-width mapping, whitespace removal and case-folding."""
    ka, kb = _norm_key(pd.Series([a, b], dtype="string"))
    return bool(ka == kb)


def _units_row(grid: _Grid, header: _Header, cols: pd.DataFrame, row: int) -> dict[str, str] | None:
    """Units of a units row directly under the header (key cells blank or 单位/unit).

    Returns None when the row is not a units row: its indicator cells must be text that is
    not a number (placeholders such as ``—`` are allowed) and at least one must be filled.
    """
    if row >= grid.text.shape[0] or cols.empty:
        return None
    key_text = _norm_key(grid.text.iloc[row, [header.city, header.year]])
    labels = _norm_key(pd.Series(_UNITS_ROW_LABELS, dtype="string"))
    if not (key_text.eq("") | key_text.isin(labels)).all():
        return None
    parsed = parse_values(grid.raw.iloc[row, cols["col"].to_numpy()].reset_index(drop=True))
    text_cells = parsed.error.notna().to_numpy(dtype=bool)
    if parsed.value.notna().any() or not text_cells.any():
        return None
    unit_text = clean_text(parsed.raw).to_numpy(dtype=object)
    return dict(zip(cols["id"][text_cells], unit_text[text_cells], strict=True))


def _unheaded(grid: _Grid, header: _Header, rows: np.ndarray) -> list[Problem]:
    """Warn about columns that hold values in table rows but have no header."""
    if not len(rows):
        return []
    unheaded = np.flatnonzero(header.text.eq("").to_numpy(dtype=bool))
    if not len(unheaded):
        return []
    filled = grid.text.iloc[rows, unheaded].ne("").to_numpy()
    has = filled.any(axis=0)
    first = filled.argmax(axis=0)
    cols = unheaded[has]
    return grid.problems(
        "column has values but no header; it is not read",
        rows[first[has]],
        cols,
        None,
        grid.text.to_numpy(dtype=object)[rows[first[has]], cols],
        severity="warning",
    )


def _attach(long: pd.DataFrame, parsed: Any, grid: _Grid) -> pd.DataFrame:
    """Add value, qualifier, error, raw, cell and status columns to a long frame."""
    status = parsed.qualifier.fillna("invalid").to_numpy(dtype=object)
    return long.assign(
        value=parsed.value.to_numpy(),
        qualifier=parsed.qualifier.to_numpy(dtype=object),
        error=parsed.error.to_numpy(dtype=object),
        raw=parsed.raw.to_numpy(dtype=object),
        percent=parsed.percent.to_numpy(dtype=bool),
        multiplier=parsed.multiplier.to_numpy(),
        cell=grid.refs(long["row"].to_numpy(), long["col"].to_numpy()),
        status=status,
    )


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
    )
    problems += _fill_merged(grid, header, [header.city, header.year, ind_col])
    rows, span, body_problems = _body_rows(grid, header.row + 1, headed)
    problems += body_problems
    problems += _unheaded(grid, header, span)
    keys, key_problems = _keys(grid, header, rows)
    problems += key_problems

    name_text = clean_text(grid.text.iloc[rows, ind_col]).reset_index(drop=True)
    match = _match(name_text, lookup)
    ok = keys["ok"].to_numpy(dtype=bool)
    blank = name_text.eq("").to_numpy(dtype=bool) & ok
    problems += grid.problems(
        "indicator is blank", rows[blank], ind_col, str(text.iloc[ind_col]), None
    )
    unknown = (match["id"].isna() & match["ambiguous"].isna()).to_numpy(dtype=bool)
    unknown = unknown & ~blank & ok
    if unknown.any():
        names = name_text[unknown]
        first = ~names.duplicated().to_numpy(dtype=bool)
        counts = names.map(names.value_counts()).astype(str)[first]
        problems += grid.problems(
            (
                "indicator '"
                + names[first]
                + f"' is not in the system {system.name!r}; its "
                + counts
                + " row(s) are not read"
            ).to_numpy(dtype=object),
            rows[unknown][first],
            ind_col,
            str(text.iloc[ind_col]),
            names[first].to_numpy(dtype=object),
            severity="warning",
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
    )
    use = ok & match["id"].notna().to_numpy(dtype=bool)
    keys = keys.assign(
        indicator=match["id"].to_numpy(dtype=object),
        unit=match["unit"].to_numpy(dtype=object),
    )
    if unit_col is not None:
        unit_cells = clean_text(grid.text.iloc[rows, unit_col]).reset_index(drop=True)
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
    parsed = parse_values(grid.raw.iloc[row_pos, val_col].reset_index(drop=True))
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
    return _Table(panel=panel.astype("float64"), long=long, units=units, problems=problems)


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
    )
    return units, problems


def _value_problems(grid: _Grid, long: pd.DataFrame, system: IndicatorSystem) -> list[Problem]:
    """Errors for unreadable cells; warnings for qualifiers, % signs and magnitude words."""
    if long.empty:
        return []
    labels = {ind.id: f"{ind.id} ({ind.name_zh})" for ind in system.indicators}
    sys_units = {ind.id: ind.unit for ind in system.indicators}
    label = long["indicator"].map(labels).astype("string")
    problems = []
    bad = long["error"].notna().to_numpy(dtype=bool)
    problems += grid.problems(
        (label[bad] + ": " + long["error"][bad].astype(str)).to_numpy(dtype=object),
        long["row"][bad],
        long["col"][bad],
        long["column"][bad].to_numpy(dtype=object),
        long["raw"][bad].to_numpy(dtype=object),
    )
    qual = long["qualifier"].isin(list(_QUALIFIER_WORDS)).to_numpy(dtype=bool)
    if qual.any():
        words = long["qualifier"][qual].map(_QUALIFIER_WORDS)
        numbers = long["value"][qual].astype("string")
        problems += grid.problems(
            (label[qual] + ": read as " + numbers + "; the yearbook marks it as " + words).to_numpy(
                dtype=object
            ),
            long["row"][qual],
            long["col"][qual],
            long["column"][qual].to_numpy(dtype=object),
            long["raw"][qual].to_numpy(dtype=object),
            severity="warning",
        )
    unit = long["indicator"].map(sys_units).astype("string")
    unit_norm = _norm_key(unit)
    pct = long["percent"].to_numpy(dtype=bool) & unit_norm.ne("%").to_numpy(dtype=bool)
    problems += grid.problems(
        (
            label[pct]
            + ": written with % but the system's unit is "
            + "'"
            + unit[pct]
            + "'; the number is kept as printed"
        ).to_numpy(dtype=object),
        long["row"][pct],
        long["col"][pct],
        long["column"][pct].to_numpy(dtype=object),
        long["raw"][pct].to_numpy(dtype=object),
        severity="warning",
    )
    mag = (long["multiplier"] != 1.0).to_numpy(dtype=bool) & unit.str.contains(
        _MAGNITUDE_IN_UNIT
    ).fillna(False).to_numpy(dtype=bool)
    problems += grid.problems(
        (
            label[mag]
            + ": read as "
            + long["value"][mag].astype("string")
            + " but the unit '"
            + unit[mag]
            + "' already has a magnitude word; write the number in that unit"
        ).to_numpy(dtype=object),
        long["row"][mag],
        long["col"][mag],
        long["column"][mag].to_numpy(dtype=object),
        long["raw"][mag].to_numpy(dtype=object),
        severity="warning",
    )
    return problems


def _unit_problems(grid: _Grid, units: dict[str, str], system: IndicatorSystem) -> list[Problem]:
    """Warn when a unit written in the file differs from the system's unit."""
    problems = []
    for ind in system.indicators:
        given = units.get(ind.id)
        if given is None or not ind.unit:
            continue
        a, b = _norm_key(pd.Series([given, ind.unit], dtype="string"))
        if a != b:
            problems.append(
                grid.problem(
                    f"{ind.id} ({ind.name_zh}): the file gives unit {given!r} but the system "
                    f"expects {ind.unit!r}; check that the values are in {ind.unit!r}",
                    severity="warning",
                    value=given,
                )
            )
    return problems


def read_data(
    path: str | Path, system: IndicatorSystem | str | Path, *, sheet: str | None = None
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
        year column; a sheet named ``指标体系`` is skipped.

    Returns
    -------
    PanelData
        The panel with every problem found (all severities). Nothing is raised for problems
        inside the table; see :func:`read_panel` for the raising variant.

    Raises
    ------
    InputError
        When the file cannot be read at all: missing, unsupported type, undecodable text, no
        header row with a city and a year column, or a ``sheet`` that does not exist.
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
    formula-error cells (``#DIV/0!``) as empty strings, so for ``.xlsx`` files they are
    recovered from the sheet XML and reported as "not a number". Merged cells in the city,
    year or indicator column below the header are read in every row they span (an info
    problem says so). CSV text is decoded by its BOM (UTF-8, UTF-16), else as strict UTF-8,
    else as GB18030, a superset of the GBK that Excel on Chinese Windows writes.

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
    data = _read_bytes(path)
    digest = hashlib.sha256(data).hexdigest()
    grid, header = _load(path, data, sheet)
    lookup = _lookup(system)
    layout = header.layout
    table = (_read_long if layout == "long" else _read_wide)(grid, header, system, lookup)
    problems = header.problems + table.problems

    found = [i for i in system.indicator_ids if i in set(table.panel.columns)]
    absent = [ind for ind in system.indicators if ind.id not in found]
    if absent:
        what = "column" if layout == "wide" else "row"
        listed = ", ".join(f"{ind.id} ({ind.name_zh})" for ind in absent)
        problems.append(
            grid.problem(
                f"no {what} for {len(absent)} indicator(s) of the system {system.name!r}: {listed}"
            )
        )
    if table.panel.shape[0] == 0:
        problems.append(
            grid.problem("no data rows below the header", header.row, header.city, severity="error")
        )
    problems += _value_problems(grid, table.long, system)
    problems += _unit_problems(grid, table.units, system)

    panel = table.panel.reindex(columns=pd.Index(found, dtype="str")).sort_index()
    long = table.long
    cells = long[["city", "year", "indicator", "cell", "column", "raw", "status"]].reset_index(
        drop=True
    )
    cells = cells.astype({"city": "str", "year": "int64", "indicator": "str"})
    qual = long["qualifier"].notna() & ~long["qualifier"].isin(["exact", "missing"])
    qualifiers = long.loc[qual, ["city", "year", "indicator", "raw", "qualifier", "cell"]]
    qualifiers = qualifiers.astype({"city": "str", "year": "int64", "indicator": "str"})
    return PanelData(
        panel=panel,
        problems=problems,
        qualifiers=qualifiers.reset_index(drop=True),
        cells=cells,
        units=table.units,
        file=grid.file,
        sheet=grid.sheet,
        layout=layout,
        sha256=digest,
        system=system,
        encoding=grid.encoding,
    )


def _summary(file: str, problems: Iterable[Problem], shown: int = 5) -> str:
    problems = list(problems)
    n_warn = sum(p.severity == "warning" for p in problems)
    n_info = sum(p.severity == "info" for p in problems)
    head = "\n".join(str(p) for p in problems[:shown])
    more = f"\n… and {len(problems) - shown} more" if len(problems) > shown else ""
    return (
        f"{file}: {n_warn} warning(s), {n_info} note(s) while reading; "
        f"read_data() lists them all:\n{head}{more}"
    )


def read_panel(
    path: str | Path,
    system: IndicatorSystem | str | Path,
    *,
    sheet: str | None = None,
    missing: Literal["error", "drop", "interpolate"] = "error",
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
    from coordeval.io.validate import apply_missing

    data = read_data(path, system, sheet=sheet)
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
        warnings.warn(_summary(data.file, notes), DataWarning, stacklevel=2)
    return panel
