"""The cell grid: a sheet or CSV file as a rectangle of cells, with cell references."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from itertools import zip_longest
from typing import Any, Literal

import numpy as np
import pandas as pd

from coordeval.errors import (
    Problem,
)
from coordeval.io.cells import _arrow, _arrow_text, display_text

__all__ = []


@dataclass
class _Grid:
    """A sheet or CSV file as a rectangle of cells; row ``i`` is sheet row ``i + 1``.

    ``raw`` holds the cells as read: object columns, or for a CSV file split by Arrow text
    columns (Arrow-backed, no Python object per cell). Their display text (:func:`display_text`)
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
    def columnar(self) -> bool:
        """The cells are text columns (a CSV file split by Arrow), not Python objects."""
        return bool(len(self.raw.columns)) and all(_arrow_text(d) for d in self.raw.dtypes)

    @property
    def values(self) -> np.ndarray:
        """``raw`` as a 2-D object array (made once; costly for a large columnar grid, whose
        readers use :meth:`cells` and :meth:`block` instead)."""
        if self._values is None:
            self._values = self.raw.to_numpy(dtype=object)
        return self._values

    @property
    def filled(self) -> np.ndarray:
        """Boolean array: the cell's display text is not empty (not blank, NaN or ``""``)."""
        if self._filled is None:
            if self.columnar:  # column by column, in Arrow: no Python object per cell
                out = np.zeros(self.shape, dtype=bool)
                for k in range(self.shape[1]):
                    col = self.raw.iloc[:, k]
                    out[:, k] = col.str.len().fillna(0).to_numpy(dtype=np.int64) > 0
                self._filled = out
            else:
                values = self.values
                blank = pd.isna(values)
                self._filled = ~blank & (np.where(blank, "", values) != "")
        return self._filled

    def cells(self, rows: Any, cols: Any) -> np.ndarray:
        """The cells (as read) at aligned row/col positions, as an object array."""
        rows, cols = _aligned(rows, cols)
        if not self.columnar or self._values is not None:
            return self.values[rows, cols]
        out = np.empty(len(rows), dtype=object)
        for c in np.unique(cols):
            at = cols == c
            out[at] = self.raw.iloc[rows[at], int(c)].to_numpy(dtype=object)
        return out

    def block(self, rows: np.ndarray, cols: np.ndarray) -> pd.Series:
        """The cells of ``rows`` × ``cols`` flattened row by row (row-major) into one Series:
        a text Series gathered in Arrow for a columnar grid, else an object Series."""
        rows = np.asarray(rows, dtype=np.int64)
        cols = np.asarray(cols, dtype=np.int64)
        if not self.columnar:
            return pd.Series(self.values[np.ix_(rows, cols)].ravel(), dtype=object)
        import pyarrow as pa
        import pyarrow.compute as pc

        if not len(cols) or not len(rows):
            return pd.Series([], dtype=pd.ArrowDtype(pa.string()))
        at = pa.array(rows)
        pieces = [_arrow(self.raw.iloc[:, int(c)]).take(at) for c in cols]
        taken = pa.concat_arrays(pieces)  # column-major: column k holds cells k·n … k·n + n − 1
        n, m = len(rows), len(cols)
        order = (np.arange(m)[None, :] * n + np.arange(n)[:, None]).ravel()
        flat = pc.take(taken, pa.array(order))
        return pd.Series(flat, dtype=pd.ArrowDtype(pa.string()))

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
        cells = pd.Series(self.cells(rows, cols), dtype=object)
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
        code: str = "",
        params: Mapping[str, Any] | None = None,
    ) -> Problem:
        """A problem located at one cell (or at the file/sheet when ``row`` is None), with its
        ``code`` and ``params`` (see :mod:`coordeval._messages`)."""
        cell = self.ref(row, col) if row is not None and col is not None else None
        return Problem(
            message,
            file=self.file,
            sheet=self.sheet,
            cell=cell,
            column=column,
            value=value,
            severity=severity,
            code=code,
            params=dict(params or {}),
        )

    def problems(
        self,
        messages: Any,
        rows: Any,
        cols: Any,
        columns: Any,
        values: Any,
        severity: Literal["error", "warning", "info"] = "error",
        code: str = "",
        params: Mapping[str, Any] | Sequence[Mapping[str, Any]] | None = None,
    ) -> list[Problem]:
        """Located problems for aligned arrays (one loop over the problems, not the cells).

        ``params`` is one mapping for every problem or a sequence of mappings, one each.
        """
        rows = np.asarray(rows, dtype=np.int64)
        n = len(rows)
        cells = self.refs(rows, cols)
        messages = np.broadcast_to(np.asarray(messages, dtype=object), (n,))
        columns = np.broadcast_to(np.asarray(columns, dtype=object), (n,))
        values = np.broadcast_to(np.asarray(values, dtype=object), (n,))
        each = [params or {}] * n if params is None or isinstance(params, Mapping) else params
        return [
            Problem(
                str(m),
                file=self.file,
                sheet=self.sheet,
                cell=str(c),
                column=None if h is None or pd.isna(h) else str(h),
                value=None if v is None or pd.isna(v) else str(v),
                severity=severity,
                code=code,
                params=dict(p),
            )
            for m, c, h, v, p in zip(messages, cells, columns, values, each, strict=True)
        ]


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
