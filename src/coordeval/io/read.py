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

import codecs
import csv
import difflib
import hashlib
import html
import io
import itertools
import math
import os
import re
import stat
import warnings
import zipfile
import zlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from functools import partial
from itertools import zip_longest
from pathlib import Path
from typing import Any, Literal

import numpy as np
import pandas as pd

from coordeval.errors import (
    ConfigError,
    CoordevalError,
    DataWarning,
    InputError,
    Problem,
    raise_if_errors,
)
from coordeval.io.cells import (
    ERROR_VALUE,
    FORMULA_NO_VALUE,
    ErrorValue,
    ParsedValues,
    UncachedFormula,
    clean_text,
    display_text,
    parse_values,
    parse_year,
    special_cells,
    text_mask,
)
from coordeval.system import SYSTEM_SHEET, IndicatorSystem, load_system

__all__ = ["EXCEL_SUFFIXES", "PanelData", "ReadLimits", "read_data", "read_panel", "read_sheet"]

EXCEL_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".ods")
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


ENV_MAX_MB = "COORDEVAL_MAX_INPUT_MB"
ENV_MAX_ROWS = "COORDEVAL_MAX_ROWS"
ENV_MAX_CELLS = "COORDEVAL_MAX_CELLS"


@dataclass(frozen=True)
class ReadLimits:
    """Resource limits that protect the reader from oversized and hostile files.

    Attributes
    ----------
    max_bytes : int
        Largest CSV file, and largest total uncompressed size of the parts of an ``.xlsx``
        package (a "zip bomb" is a few kilobytes that inflate to gigabytes). Default 200 MiB.
    max_rows : int
        Most rows a sheet or CSV file may have (header and notes included). Default
        1,048,576, the row limit of an Excel worksheet.
    max_cells : int
        Most cells of the rectangle from A1 to a sheet's last used row and column. A sheet
        with one value in A1 and one in XFD1048576 spans 1.7 × 10^10 cells, which a reader
        would try to allocate; default 20,000,000 (as many as 200 MiB of sheet XML can
        hold).
    max_parts : int
        Most members of an ``.xlsx`` package. Default 10,000.

    Notes
    -----
    :meth:`from_env` reads overrides from the environment variables
    ``COORDEVAL_MAX_INPUT_MB``, ``COORDEVAL_MAX_ROWS`` and ``COORDEVAL_MAX_CELLS`` (so the
    command line can be given larger limits without an option).
    """

    max_bytes: int = 200 * 2**20
    max_rows: int = 1_048_576
    max_cells: int = 20_000_000
    max_parts: int = 10_000

    @classmethod
    def from_env(cls) -> ReadLimits:
        """Defaults, overridden by ``COORDEVAL_MAX_INPUT_MB``/``_MAX_ROWS``/``_MAX_CELLS``.

        Raises
        ------
        ConfigError
            When a variable is set but is not a positive number.
        """
        values: dict[str, int] = {}
        for env, key, scale in (
            (ENV_MAX_MB, "max_bytes", 2**20),
            (ENV_MAX_ROWS, "max_rows", 1),
            (ENV_MAX_CELLS, "max_cells", 1),
        ):
            text = os.environ.get(env)
            if text is None or not text.strip():
                continue
            try:
                number = float(text)
            except ValueError:
                number = float("nan")
            if not (math.isfinite(number) and number > 0):
                raise ConfigError(f"{env}={text!r} must be a positive number")
            values[key] = int(number * scale)
        return cls(**values)


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

    def __init__(
        self,
        panel: pd.DataFrame,
        problems: list[Problem],
        qualifiers: pd.DataFrame,
        cells: pd.DataFrame | Callable[[], pd.DataFrame],
        units: dict[str, str],
        file: str,
        sheet: str | None,
        layout: Literal["wide", "long"],
        sha256: str,
        system: IndicatorSystem | None = None,
        encoding: str | None = None,
    ) -> None:
        self.panel = panel
        self.problems = problems
        self.qualifiers = qualifiers
        self._cells = cells
        self.units = units
        self.file = file
        self.sheet = sheet
        self.layout = layout
        self.sha256 = sha256
        self.system = system
        self.encoding = encoding

    def __repr__(self) -> str:
        return (
            f"PanelData(file={self.file!r}, sheet={self.sheet!r}, layout={self.layout!r}, "
            f"panel={self.panel.shape[0]}×{self.panel.shape[1]}, problems={len(self.problems)})"
        )

    @property
    def cells(self) -> pd.DataFrame:
        """Where every value of :attr:`panel` came from (see the class docstring).

        ``cells`` may be given as a function that makes the frame: it is called on first
        access, since the text of every number and every cell reference of a large sheet
        are needed only when something looks them up.
        """
        if callable(self._cells):
            self._cells = self._cells()
        return self._cells

    @cells.setter
    def cells(self, value: pd.DataFrame) -> None:
        self._cells = value

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
    """A sheet or CSV file as a rectangle of cells; row ``i`` is sheet row ``i + 1``.

    ``raw`` holds the cells as read (object dtype). Their display text (:func:`display_text`)
    is rendered on demand for the cells asked for, so the numbers of a large value block are
    not turned into text unless a problem or :attr:`PanelData.cells` shows them.
    """

    raw: pd.DataFrame
    file: str
    sheet: str | None
    lines: np.ndarray | None = None
    merged: list[tuple[int, int, int, int]] = field(default_factory=list)
    encoding: str | None = None
    comma_free: bool = False  # no cell can hold a comma (an unquoted comma-separated file)
    _values: np.ndarray | None = field(default=None, init=False, repr=False)
    _filled: np.ndarray | None = field(default=None, init=False, repr=False)

    @property
    def shape(self) -> tuple[int, int]:
        return self.raw.shape

    @property
    def values(self) -> np.ndarray:
        """``raw`` as a 2-D object array (made once)."""
        if self._values is None:
            self._values = self.raw.to_numpy(dtype=object)
        return self._values

    @property
    def filled(self) -> np.ndarray:
        """Boolean array: the cell's display text is not empty (not blank, NaN or ``""``)."""
        if self._filled is None:
            values = self.values
            blank = pd.isna(values)
            self._filled = ~blank & (np.where(blank, "", values) != "")
        return self._filled

    def text(self, rows: Any = slice(None), cols: Any = slice(None)) -> Any:
        """Display text of ``raw.iloc[rows, cols]``: a string-dtype DataFrame or Series of
        the same shape and labels as that selection, or one ``str`` for a single cell."""
        part = self.raw.iloc[rows, cols]
        if isinstance(part, pd.DataFrame):
            return _flat(part, display_text).astype("string")
        if isinstance(part, pd.Series):
            return display_text(part)
        return str(display_text(pd.Series([part], dtype=object)).iloc[0])

    def texts(self, rows: Any, cols: Any) -> np.ndarray:
        """Display text of the cells at aligned row/col positions, as an object array."""
        rows, cols = _aligned(rows, cols)
        cells = pd.Series(self.values[rows, cols], dtype=object)
        return display_text(cells).to_numpy(dtype=object)

    def fill_down(self, col: int, r0: int, r1: int) -> None:
        """Repeat the cell at (``r0``, ``col``) in rows ``r0 + 1`` … ``r1`` (merged cells)."""
        column = self.raw.iloc[:, col].copy()
        column.iloc[r0 + 1 : r1 + 1] = self.raw.iat[r0, col]
        self.raw[col] = column
        self._values = self._filled = None

    def refs(self, rows: Any, cols: Any) -> np.ndarray:
        """Cell references (``"F3"`` or ``"line 3, column 6"``) for aligned row/col positions."""
        return _refs(rows, cols, self.lines)

    def ref(self, row: int, col: int) -> str:
        """One cell reference."""
        return str(self.refs([row], [col])[0])

    def row_ref(self, row: int) -> str:
        """A whole table row: ``"A1:F1"``, or ``"line 1"`` for CSV files."""
        if self.lines is not None:
            return f"line {self.lines[row]}"
        last = max(self.shape[1] - 1, 0)
        return f"{self.ref(row, 0)}:{self.ref(row, last)}"

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
    top: int = -1

    @property
    def first(self) -> int:
        """The first row of the header (``row`` is its last)."""
        return self.row if self.top < 0 else self.top

    @property
    def layout(self) -> Literal["wide", "long"]:
        return "long" if {"indicator", "value"} <= set(self.roles) else "wide"


@dataclass
class _Table:
    panel: pd.DataFrame
    long: pd.DataFrame
    units: dict[str, str]
    problems: list[Problem]
    unknown: list[tuple[str, str]] = field(default_factory=list)


def _aligned(rows: Any, cols: Any) -> tuple[np.ndarray, np.ndarray]:
    """Row and column positions as flat int64 arrays of one length (a scalar ``cols`` is
    repeated for every row)."""
    rows = np.asarray(rows, dtype=np.int64).ravel()
    return rows, np.broadcast_to(np.asarray(cols, dtype=np.int64), rows.shape).ravel()


def _refs(rows: Any, cols: Any, lines: np.ndarray | None) -> np.ndarray:
    """Cell references for aligned 0-based row/col positions: ``"F3"``, or for a CSV file
    with 1-based starting ``lines`` per row, ``"line 3, column 6"``."""
    rows, cols = _aligned(rows, cols)
    if not rows.size:
        return np.array([], dtype=object)
    if lines is None:
        letters = _column_letters(np.arange(int(cols.max()) + 1))  # one per column, not cell
        ref = pd.Series(letters[cols], dtype="str") + pd.Series(rows + 1).astype("str")
    else:
        line = pd.Series(lines[rows]).astype("str")
        ref = "line " + line + ", column " + pd.Series(cols + 1).astype("str")
    return ref.to_numpy(dtype=object)


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


def _read_bytes(path: Path, limits: ReadLimits) -> bytes:
    """The file's bytes, opened read-only; refuses folders, devices and oversized files."""
    try:
        info = path.stat()
    except FileNotFoundError:
        problem = Problem("file not found", file=path.name)
        raise InputError([problem], f"{path}: not found") from None
    except OSError as exc:
        problem = Problem(f"cannot be read: {exc.strerror}", file=path.name)
        raise InputError([problem], f"{path.name}: cannot be read") from None
    if not stat.S_ISREG(info.st_mode):
        what = "a folder" if stat.S_ISDIR(info.st_mode) else "not a regular file"
        problem = Problem(f"cannot be read: {what}; give a .xlsx or .csv file", file=path.name)
        raise InputError([problem], f"{path.name}: not a data file")
    if info.st_size > limits.max_bytes:
        raise _too_big(path.name, "the file is", info.st_size, limits)
    try:
        with path.open("rb") as fh:
            data = fh.read(limits.max_bytes + 1)
    except OSError as exc:
        problem = Problem(f"cannot be read: {exc.strerror}", file=path.name)
        raise InputError([problem], f"{path.name}: cannot be read") from None
    if len(data) > limits.max_bytes:
        raise _too_big(path.name, "the file is", len(data), limits)
    return data


def _too_big(file: str, what: str, size: int, limits: ReadLimits) -> InputError:
    message = (
        f"{what} {size / 2**20:,.1f} MiB, more than the limit of "
        f"{limits.max_bytes / 2**20:,.0f} MiB ({ENV_MAX_MB} raises it)"
    )
    return InputError([Problem(message, file=file)], f"{file}: too large")


def _unreadable(file: str, message: str, summary: str) -> InputError:
    return InputError([Problem(message, file=file)], f"{file}: {summary}")


def _flat(frame: pd.DataFrame, fn: Any) -> pd.DataFrame:
    """Apply a Series function to every cell at once (row-major), keeping the frame's shape."""
    flat = pd.Series(frame.to_numpy(dtype=object).ravel(), dtype=object)
    out = fn(flat).to_numpy(dtype=object).reshape(frame.shape)
    return pd.DataFrame(out, index=frame.index, columns=frame.columns)


def _grid(raw: pd.DataFrame, file: str, sheet: str | None, **kw: Any) -> _Grid:
    return _Grid(raw=raw.astype(object), file=file, sheet=sheet, **kw)


def _frame(rows: list[list[Any]] | list[tuple[Any, ...]], fill: Any) -> pd.DataFrame:
    """Rectangular object frame from ragged rows (padded with ``fill``), columns 0..n-1."""
    widths = set(map(len, rows))
    if len(widths) == 1:  # already rectangular (python-calamine): one copy into an array
        values = np.empty((len(rows), widths.pop()), dtype=object)
        values[:] = rows
        return pd.DataFrame(values, dtype=object, copy=False)
    columns = list(zip_longest(*rows, fillvalue=fill))
    return pd.DataFrame(dict(enumerate(columns)), index=pd.RangeIndex(len(rows)), dtype=object)


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
        raise _unreadable(file, f"{what}; {_DAMAGED_HELP}", "damaged workbook") from None
    with zf:
        infos = zf.infolist()
        if len(infos) > limits.max_parts:
            raise _unreadable(
                file,
                f"the workbook has {len(infos):,} parts, more than the limit of "
                f"{limits.max_parts:,}; it is not a normal Excel file",
                "too many parts",
            )
        declared = sum(i.file_size for i in infos)
        if declared > limits.max_bytes:
            raise _too_big(file, "the workbook's content inflates to", declared, limits)
        if any(i.flag_bits & 0x1 for i in infos):
            raise _unreadable(file, _PASSWORD_HELP, "password-protected")
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
                                file, "the workbook's content inflates to more than", total, limits
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


def _put_cells(raw: pd.DataFrame, cells: list[tuple[int, int, Any]]) -> pd.DataFrame:
    """``raw`` with the given cells set (the frame grows when a cell lies outside it)."""
    if not cells:
        return raw
    nrow = max(raw.shape[0], max(r for r, _, _ in cells) + 1)
    ncol = max(raw.shape[1], max(c for _, c, _ in cells) + 1)
    values = np.full((nrow, ncol), "", dtype=object)
    values[: raw.shape[0], : raw.shape[1]] = raw.to_numpy(dtype=object)
    rows, cols, texts = zip(*cells, strict=True)
    put = np.empty(len(texts), dtype=object)
    put[:] = texts
    values[list(rows), list(cols)] = put
    return pd.DataFrame(values, dtype=object)


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
            raise _unreadable(file, "the file is empty (0 bytes)", "empty file")
        if data.startswith(_OLE_MAGIC):
            if _ENCRYPTED_STREAM in data:
                raise _unreadable(file, _PASSWORD_HELP, "password-protected")
        elif data.startswith(_ZIP_MAGIC):
            self.package = _inspect_xlsx(data, file, limits)
            content = self.package.sheet_xml.get("content.xml")
            if content is not None:  # OpenDocument: parsed whole when opened, so bound it now
                _check_extent(content, file, "content.xml", limits, ods=True)
        else:
            raise _unreadable(file, _not_excel(data), "not an Excel workbook")
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
            raise _unreadable(self.file, _PASSWORD_HELP, "password-protected") from None
        self._calamine_error = str(exc)

    def _open_openpyxl(self) -> None:
        import openpyxl

        if self.package is None:
            kind = "an Excel 97–2003 (.xls) workbook"
            raise _unreadable(
                self.file,
                f"cannot be read as {kind} ({self._calamine_error}); {_DAMAGED_HELP}",
                "not a readable workbook",
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
                    )
                ],
                f"{self.file}: sheet too large",
            )

    def close(self) -> None:
        if self._book is not None:
            self._book.close()
        if self._openpyxl is not None:
            self._openpyxl.close()


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


def _not_excel(data: bytes) -> str:
    """Why bytes that are neither a zip package nor an OLE file are not a workbook."""
    head = data[:2048].lstrip(codecs.BOM_UTF8).lstrip()
    start = "cannot be read as an Excel workbook:"
    if head[:1] == b"<" and (b"<html" in head.lower() or b"<table" in head.lower()):
        return (
            f"{start} the file is a web page (HTML) saved with an Excel name; open it in "
            "Excel and save it as .xlsx"
        )
    if head.startswith(b"<?xml"):
        return (
            f"{start} the file is an XML spreadsheet (Excel 2003 XML); open it in Excel and "
            "save it as .xlsx"
        )
    text = data[:4096]
    if text.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) or not any(b < 9 for b in text):
        return (
            f"{start} the file holds plain text (a CSV file given an Excel name?); rename it "
            "to .csv or save it from Excel as .xlsx"
        )
    return f"{start} the content is neither an .xlsx package nor an .xls file"


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
                text = data.decode(encoding)
            except UnicodeDecodeError:
                continue
            other = _other_encoding(data, text) if encoding == "gb18030" else None
            if other is not None:
                problem = Problem(
                    f"the text looks like {other}, not UTF-8 or GBK/GB18030: read as GBK it "
                    "gives garbled names; save the CSV as UTF-8",
                    file=file,
                )
                raise InputError([problem], f"{file}: text encoding {other}")
            return text, encoding
    other = _other_encoding(data, "")
    problem = Problem(
        f"cannot decode the text{f' (it looks like {other})' if other else ''}: save the CSV "
        "as UTF-8 (or GBK / UTF-16 with BOM)",
        file=file,
    )
    raise InputError([problem], f"{file}: unknown text encoding")


#: Share of non-ASCII characters outside GB2312 above which a GB18030 reading is garbled.
_OUTSIDE_GB2312 = 0.3


_OTHER_ENCODINGS = (
    ("big5", "Big5 (Traditional Chinese)"),
    ("shift_jis", "Shift-JIS (Japanese)"),
    ("euc_kr", "EUC-KR (Korean)"),
)


def _other_encoding(data: bytes, gb_text: str) -> str | None:
    """The likely encoding of bytes that are not GBK text, or ``None`` when GBK is plausible.

    Big5, Shift-JIS and EUC-KR bytes mostly decode as GB18030 too, but into characters a
    Chinese table does not use: kana (Big5 lead bytes A4/A5 are GB2312's kana rows),
    private-use characters, and a large share of characters outside GB2312. When ``gb_text``
    shows that (or is empty: GB18030 failed), the encodings that decode the bytes strictly
    are scored by the share of ideographs, kana and hangul they give (kana name Japanese).
    """
    if gb_text:
        cp = np.frombuffer(gb_text.encode("utf-32-le"), dtype="<u4")
        cp = cp[cp > 0x7F]
        if not cp.size:
            return None
        uniq, counts = np.unique(cp, return_counts=True)
        kana = (uniq >= 0x3040) & (uniq <= 0x30FF)
        private = (uniq >= 0xE000) & (uniq <= 0xF8FF)
        outside = np.array([not _in_gb2312(chr(int(u))) for u in uniq])
        share = counts[outside].sum() / counts.sum()
        if share < _OUTSIDE_GB2312 and not kana.any() and not private.any():
            return None
    best, score = None, 0.0
    for encoding, name in _OTHER_ENCODINGS:
        try:
            cp = np.frombuffer(data.decode(encoding).encode("utf-32-le"), dtype="<u4")
        except UnicodeDecodeError:
            continue
        cp = cp[cp > 0x7F]
        ideograph = (cp >= 0x4E00) & (cp <= 0x9FFF)
        kana = (cp >= 0x3040) & (cp <= 0x30FF)
        hangul = (cp >= 0xAC00) & (cp <= 0xD7A3)
        fit = float((ideograph | kana | hangul).mean()) if cp.size else 0.0
        if encoding == "shift_jis" and kana.any():
            fit += 0.5  # kana occur only in Japanese
        if fit > score:
            best, score = name, fit
    if best is not None:
        return best
    return "an encoding other than UTF-8, UTF-16 and GB18030" if gb_text else None


def _in_gb2312(ch: str) -> bool:
    try:
        ch.encode("gb2312")
    except UnicodeEncodeError:
        return False
    return True


def _csv_grid(text: str, file: str, encoding: str, delimiter: str, limits: ReadLimits) -> _Grid:
    n_lines = text.count("\n") + 1
    if text.count(delimiter) + n_lines > limits.max_cells:
        raise _csv_too_large(file, f"more than {limits.max_cells:,} cells", ENV_MAX_CELLS)
    raw = _unquoted_grid(text, delimiter)
    comma_free = raw is not None and delimiter == ","
    if raw is None:
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=False)
        try:
            rows = list(itertools.islice(reader, limits.max_rows + 1))
        except csv.Error as exc:
            problem = Problem(f"not a readable CSV file ({exc})", file=file)
            raise InputError([problem], f"{file}: not a CSV file") from None
        n_rows, width = len(rows), max(map(len, rows), default=0)
    else:
        n_rows, width = raw.shape
    if n_rows > limits.max_rows:
        raise _csv_too_large(file, f"more than {limits.max_rows:,} rows", ENV_MAX_ROWS)
    if n_rows * width > limits.max_cells:
        raise _csv_too_large(
            file,
            f"{n_rows:,} rows × {width:,} columns, more than {limits.max_cells:,} cells",
            ENV_MAX_CELLS,
        )
    if raw is None:
        raw = _frame(rows, "")
    breaks = text.count("\n") - text.endswith("\n")
    if breaks == n_rows - 1:  # no cell holds a line break: one line per record
        lines = np.arange(1, n_rows + 1, dtype=np.int64)
    else:
        newlines = _flat(raw, lambda cells: cells.astype("string").str.count("\n"))
        extent = 1 + newlines.to_numpy(dtype=np.int64).sum(axis=1)
        lines = np.concatenate([[1], 1 + np.cumsum(extent)[:-1]]) if len(extent) else extent
    return _grid(raw, file, None, lines=lines, encoding=encoding, comma_free=comma_free)


def _unquoted_grid(text: str, delimiter: str) -> pd.DataFrame | None:
    """The cells of a CSV text without any quote character, split by Arrow's C++ reader.

    Without quotes a CSV is plain splitting at delimiters and line ends, so the result is the
    :mod:`csv` module's; texts with quotes, rows of unequal length and blank lines (which Arrow
    would refuse or read differently) return ``None`` and go through :mod:`csv`.
    """
    if '"' in text or "\x00" in text or not text:
        return None
    import pyarrow as pa
    import pyarrow.csv as pacsv

    n = text[: text.find("\n") if "\n" in text else len(text)].count(delimiter) + 1
    names = [f"c{k}" for k in range(n)]
    try:
        table = pacsv.read_csv(
            pa.py_buffer(text.encode("utf-8")),
            read_options=pacsv.ReadOptions(column_names=names),
            parse_options=pacsv.ParseOptions(
                delimiter=delimiter, quote_char=False, ignore_empty_lines=False
            ),
            convert_options=pacsv.ConvertOptions(
                column_types=dict.fromkeys(names, pa.string()),
                strings_can_be_null=False,
                null_values=[],
            ),
        )
    except (pa.ArrowInvalid, ValueError):
        return None
    values = np.empty((table.num_rows, n), dtype=object)
    for k in range(n):
        values[:, k] = table.column(k).to_numpy(zero_copy_only=False)
    return pd.DataFrame(values, dtype=object, copy=False)


def _csv_too_large(file: str, what: str, env: str) -> InputError:
    message = f"the file has {what}, over the reader's limit ({env} raises it)"
    return InputError([Problem(message, file=file)], f"{file}: too large")


def _find_header(grid: _Grid) -> _Header | None:
    """The first row holding a city and a year column."""
    if grid.shape[1] == 0 or grid.shape[0] == 0:
        return None
    row = -1
    for lo, hi in ((0, _HEADER_SCAN), (_HEADER_SCAN, grid.shape[0])):
        roles = _flat(grid.text(slice(lo, hi)), lambda cells: _roles(cells).fillna(""))
        has = roles.eq("city").any(axis=1) & roles.eq("year").any(axis=1)
        rows = np.flatnonzero(has.to_numpy(dtype=bool))
        if len(rows):
            row = lo + int(rows[0])
            role = roles.iloc[int(rows[0])].astype("string")
            role = role.mask(role.eq(""))
            break
    if row < 0:
        return None
    text = grid.text(row)
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
            replace(p, code="footnote_row")
            for p in grid.problems(
                "footnote row: the table ends above it",
                positions[notes],
                first_col[notes],
                None,
                first.to_numpy(dtype=object)[is_note],
                severity="info",
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
    problems = grid.problems(
        f"where a city name is expected: {ERROR_VALUE}",
        rows[failed],
        header.city,
        column,
        shown[failed],
    )
    problems += grid.problems(
        f"where a city name is expected: {FORMULA_NO_VALUE}",
        rows[formula],
        header.city,
        column,
        shown[formula],
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
    )
    problems += grid.problems(
        "a total or subtotal row, not a city: left out",
        rows[total],
        header.city,
        column,
        shown[total],
        severity="warning",
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
    )
    problems += grid.problems(
        year_error[bad_year].to_numpy(dtype=object),
        rows[bad_year],
        header.year,
        str(header.text.iloc[header.year]),
        grid.texts(rows[bad_year], header.year),
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


_DECIMAL_COMMA = r"[+-]?[0-9]+,[0-9]+"
_GROUPED = r"[+-]?[1-9][0-9]{0,2}(?:,[0-9]{3})+"
_SURELY_GROUPED = r"[+-]?[1-9][0-9]{0,2}(?:(?:,[0-9]{3}){2,}(?:\.[0-9]*)?|(?:,[0-9]{3})+\.[0-9]*)"


def _decimal_commas(
    grid: _Grid, block: np.ndarray, rows: np.ndarray, cols: np.ndarray, headers: pd.Series
) -> tuple[np.ndarray, list[Problem]]:
    """Decimal commas detected from the whole column, never one cell at a time.

    A text cell ``0,250`` or ``1200,5`` cannot be a thousands separator (groups of three
    digits after a leading 1–3 digits); one such cell makes its column a decimal-comma
    column, whose single-comma numbers are then read with a decimal point (a warning names
    the column). A column that also holds unmistakable thousands separators (``1,234,567``,
    ``1,234.5``) is ambiguous: its decimal-comma cells are errors. Only text cells with a
    comma are looked at (found with one vectorised scan).
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    problems: list[Problem] = []
    flat = block.ravel()
    if flat.size == 0 or grid.comma_free:
        return block, problems
    is_str = text_mask(pd.Series(flat, dtype=object))
    if not is_str.any():
        return block, problems
    where = np.flatnonzero(is_str)
    comma = pc.match_substring(pa.array(flat[where], type=pa.string()), ",")
    where = where[comma.to_numpy(zero_copy_only=False)]
    if not where.size:
        return block, problems
    text = pd.Series(flat[where], dtype="string").str.strip()
    decimal = (text.str.fullmatch(_DECIMAL_COMMA) & ~text.str.fullmatch(_GROUPED)).to_numpy(
        dtype=bool, na_value=False
    )
    if not decimal.any():
        return block, problems
    ncol = block.shape[1]
    r, c = where // ncol, where % ncol
    grouped = text.str.fullmatch(_SURELY_GROUPED).to_numpy(dtype=bool, na_value=False)
    dec_cols = np.bincount(c[decimal], minlength=ncol) > 0
    mixed = dec_cols & (np.bincount(c[grouped], minlength=ncol) > 0)
    convert = dec_cols & ~mixed
    single = text.str.fullmatch(_DECIMAL_COMMA).to_numpy(dtype=bool, na_value=False)
    change = single & convert[c]
    out = block.copy()
    if change.any():
        fixed = text[change].str.replace(",", ".", regex=False).to_numpy(dtype=object)
        out[r[change], c[change]] = fixed
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
        )
    return out, problems


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
    block = grid.values[np.ix_(row_pos, col_pos)]
    block, comma_problems = _decimal_commas(grid, block, row_pos, col_pos, cols["header"])
    problems += comma_problems
    parsed = parse_values(pd.Series(block.ravel(), dtype=object), render_numbers=False)
    city = pd.Categorical(keys["city"].to_numpy(dtype=object))
    header_text = pd.Categorical(cols["header"].to_numpy(dtype=object))
    long = pd.DataFrame(  # categorical labels: no string column of n_rows × n_ind is built
        {
            "city": pd.Categorical.from_codes(np.repeat(city.codes, n_ind), city.categories),
            "year": np.repeat(keys["year"].to_numpy(dtype=np.int64), n_ind),
            "indicator": pd.Categorical.from_codes(
                np.tile(np.arange(n_ind), n_rows), pd.Index(cols["id"], dtype=object)
            ),
            "row": np.repeat(row_pos, n_ind),
            "col": np.tile(col_pos, n_rows),
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


def _same_unit(a: str, b: str) -> bool:
    """Units compare equal after full-width mapping, whitespace removal and case-folding."""
    ka, kb = _norm_key(pd.Series([a, b], dtype="string"))
    return bool(ka == kb)


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
    )
    return problems


_MAX_HEADER_ROWS = 3


def _extend_header(grid: _Grid, header: _Header, lookup: pd.DataFrame) -> _Header:
    """Join a header of up to three rows into one.

    Yearbook tables put group headings (``经济``, merged across their indicators) above the
    indicator names, with the key cells (``城市``, ``年份``) merged down over both rows. The
    header is extended down while the key cells are merged into the next row, or while the
    next row has blank key cells and names an indicator that the rows above do not. Each
    column's header is then its lowest filled cell, after spreading group headings across
    their merged span.
    """
    top = header.row
    last = min(top + _MAX_HEADER_ROWS - 1, grid.shape[0] - 1)
    bottom = top
    for r0, c0, r1, c1 in grid.merged:
        keys = (c0 <= header.city <= c1) or (c0 <= header.year <= c1)
        if r0 == top and r1 > top and keys:
            bottom = max(bottom, min(r1, last))
    text = grid.text(slice(top, last + 1)).to_numpy(dtype=object)
    for r0, c0, _, c1 in grid.merged:
        if top <= r0 <= last and c1 > c0:
            text[r0 - top, c0 + 1 : c1 + 1] = text[r0 - top, c0]
    key_cols = [header.city, header.year]
    while bottom < last:
        nxt = pd.Series(text[bottom + 1 - top], dtype="string")
        if nxt.iloc[key_cols].ne("").any():
            break
        above = _combined(text[: bottom + 1 - top])
        new = _match(nxt, lookup)["id"].notna() & _match(above, lookup)["id"].isna()
        if not new.any():
            break
        bottom += 1
    if bottom == top:
        return header
    combined = _combined(text[: bottom + 1 - top])
    roles = _roles(combined)
    info = grid.problem(
        f"the header spans rows {top + 1}–{bottom + 1}: each column's header is its lowest "
        "filled cell (group headings above the indicator names are not read)",
        severity="info",
    )
    return _Header(
        row=bottom,
        city=header.city,
        year=header.year,
        roles=roles.reset_index(drop=True),
        text=combined.reset_index(drop=True),
        problems=[*header.problems, info],
        top=top,
    )


def _combined(rows: np.ndarray) -> pd.Series:
    """The lowest non-empty text of each column of a block of header rows."""
    filled = rows != ""
    lowest = rows.shape[0] - 1 - np.argmax(filled[::-1], axis=0)
    picked = rows[lowest, np.arange(rows.shape[1])]
    return pd.Series(np.where(filled.any(axis=0), picked, ""), dtype="string")


def _attach(long: pd.DataFrame, parsed: ParsedValues, grid: _Grid) -> pd.DataFrame:
    """Add value, qualifier, error, raw, percent, multiplier and status columns to a long frame.

    ``parsed`` is aligned with ``long`` and was parsed with ``render_numbers=False``: the text
    of a number is rendered here only where a problem shows it (a non-finite number), and
    for the rest when :attr:`PanelData.cells` is first read (:func:`_cells_frame`).
    """
    raw = parsed.raw.to_numpy(dtype=object)
    shown = pd.isna(raw) & parsed.error.notna().to_numpy(dtype=bool)
    if shown.any():
        raw = raw.copy()
        raw[shown] = grid.texts(long["row"].to_numpy()[shown], long["col"].to_numpy()[shown])
    index = long.index
    return long.assign(
        value=parsed.value.set_axis(index),
        qualifier=parsed.qualifier.set_axis(index),
        error=parsed.error.set_axis(index),
        raw=pd.Series(raw, index=index, dtype=object),
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
        "indicator is blank", rows[blank], ind_col, str(text.iloc[ind_col]), None
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
    )
    return units, problems


def _value_problems(grid: _Grid, long: pd.DataFrame, system: IndicatorSystem) -> list[Problem]:
    """Errors for unreadable cells; warnings for qualifiers, % signs and magnitude words."""
    flagged = (
        long["error"].notna().to_numpy(dtype=bool)
        | long["qualifier"].isin(list(_QUALIFIER_WORDS)).to_numpy(dtype=bool)
        | long["percent"].to_numpy(dtype=bool)
        | (long["multiplier"] != 1.0).to_numpy(dtype=bool)
    )
    long = long[flagged]  # usually a few cells: the messages are built for these only
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
        found = grid.problems(
            (label[qual] + ": read as " + numbers + "; the yearbook marks it as " + words).to_numpy(
                dtype=object
            ),
            long["row"][qual],
            long["col"][qual],
            long["column"][qual].to_numpy(dtype=object),
            long["raw"][qual].to_numpy(dtype=object),
            severity="warning",
        )
        problems += [
            replace(
                p,
                code="qualifier",
                params={"indicator": i, "label": lab, "value": v, "qualifier": q},
            )
            for p, i, lab, v, q in zip(
                found,
                long["indicator"][qual],
                label[qual],
                numbers,
                long["qualifier"][qual],
                strict=True,
            )
        ]
    unit = long["indicator"].map(sys_units).astype("string")
    ids = pd.Series(list(sys_units), dtype="string")
    units = pd.Series(list(sys_units.values()), dtype="string")
    not_pct = dict(zip(ids, _norm_key(units).ne("%"), strict=True))
    has_mag = dict(zip(ids, units.str.contains(_MAGNITUDE_IN_UNIT).fillna(False), strict=True))
    pct = long["percent"].to_numpy(dtype=bool) & long["indicator"].map(not_pct).to_numpy(dtype=bool)
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
    mag = (long["multiplier"] != 1.0).to_numpy(dtype=bool) & long["indicator"].map(
        has_mag
    ).to_numpy(dtype=bool)
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


def _suggestion(message: str) -> dict[str, str]:
    """``{"suggestion": id}`` when ``message`` ends in a :func:`_did_you_mean` hint."""
    found = re.search(r"\(did you mean (\S+) ", message)
    return {"suggestion": found.group(1)} if found else {}


def _did_you_mean(text: str, system: IndicatorSystem, lookup: pd.DataFrame) -> str:
    """``" (did you mean gdp 地区生产总值?)"`` for a header close to an indicator's name."""
    name = _split_unit(pd.Series([text], dtype="string"))[0].fillna(text)
    key = str(_norm_key(name).iloc[0])
    keys = [str(k) for k in lookup.index[lookup["id"].notna()]]
    close = difflib.get_close_matches(key, keys, n=1, cutoff=0.6)
    if not key or not close:
        return ""
    ind = system.indicator(str(lookup.at[close[0], "id"]))
    return f" (did you mean {ind.id} {ind.name_zh}?)"


def _absent_problem(
    grid: _Grid,
    header: _Header,
    layout: str,
    system: IndicatorSystem,
    absent: list[Any],
    unknown: list[tuple[str, str]],
) -> Problem:
    """One error naming every indicator without a column (or row) and the unread headers."""
    what = "column" if layout == "wide" else "row"
    listed = ", ".join(f"{ind.id} ({ind.name_zh})" for ind in absent)
    message = f"no {what} for {len(absent)} indicator(s) of the system {system.name!r}: {listed}"
    if unknown:
        shown = ", ".join(f"{ref} {text!r}" for ref, text in unknown[:10])
        more = f" and {len(unknown) - 10} more" if len(unknown) > 10 else ""
        label = "headers" if layout == "wide" else "indicator names"
        message += f"; {label} not recognised: {shown}{more}"
    message += (
        "; write each indicator's id, Chinese or English name as its header"
        if layout == "wide"
        else "; write each indicator's id, Chinese or English name in the indicator column"
    ) + ", or add the header as an alias in the system"
    where = f" (header row: {grid.row_ref(header.row)})"
    return Problem(message + where, file=grid.file, sheet=grid.sheet)


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
    data = _read_bytes(path, limits)
    digest = hashlib.sha256(data).hexdigest()
    grid, header = _load(path, data, sheet, limits)
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
            grid.problem("no data rows below the header", header.row, header.city, severity="error")
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
    numbers = grid.values[long["row"].to_numpy()[todo], long["col"].to_numpy()[todo]]
    return PanelData(
        panel=panel,
        problems=problems,
        qualifiers=qualifiers,
        cells=partial(_cells_frame, long, numbers, grid.lines),
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
    from coordeval.io.validate import apply_missing

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
        warnings.warn(_summary(data.file, notes), DataWarning, stacklevel=2)
    return panel
