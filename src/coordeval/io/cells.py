"""Parse yearbook cell values and years, vectorised over a whole column at once.

Users copy figures from statistical yearbooks and bulletins into Excel or CSV. Besides plain
numbers they write thousands separators (``12,134``), full-width digits (``１２．５``),
Chinese magnitude words (``15.9万``), percentages (``12.5%``), placeholders for missing data
(``—``, ``…``, ``/``) and qualified values (``>95``, ``约5.5``, ``5.5左右``). This module turns
such cells into float64 values, a qualifier and, for anything it cannot read, an error message.
Every step is a pandas string method or a regular expression applied to the whole Series.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

import numpy as np
import pandas as pd

__all__ = [
    "ERROR_VALUE",
    "FORMULA_NO_VALUE",
    "MAGNITUDES",
    "QUALIFIERS",
    "ErrorValue",
    "ParsedValues",
    "UncachedFormula",
    "clean_text",
    "display_text",
    "parse_values",
    "parse_year",
    "special_cells",
    "text_mask",
]

QUALIFIERS = (
    "exact",
    "approx",
    "greater_than",
    "less_than",
    "greater_equal",
    "less_equal",
    "missing",
)
"""Qualifiers :func:`parse_values` assigns (``NA`` marks a cell that could not be read)."""

MAGNITUDES = {"千": 3, "万": 4, "百万": 6, "千万": 7, "亿": 8, "万亿": 12}
"""Chinese magnitude words accepted after a number, as powers of ten."""

YEAR_MIN, YEAR_MAX = 1900, 2200

NOT_A_NUMBER = "not a number"
NOT_FINITE = "not a finite number"
FORMULA_NO_VALUE = (
    "formula without a cached value: open and save the file in Excel (which calculates it), "
    "or type the number"
)


ERROR_VALUE = (
    "an error value of a formula (such as #N/A or #DIV/0!): correct the formula in Excel or "
    "type the number"
)
#: Error values a spreadsheet shows for a failed formula (as text in a CSV export too).
ERROR_TEXT = (
    r"#(?:N/A|REF!|DIV/0!|VALUE!|NAME\?|NULL!|NUM!|SPILL!|CALC!|FIELD!|BLOCKED!|CONNECT!"
    r"|UNKNOWN!|GETTING_DATA)"
)


class ErrorValue(str):
    """A cell holding a spreadsheet error value (``#N/A``, ``#DIV/0!``, …) in the sheet XML.

    The reader marks such cells with this type so they are reported wherever they are (keys
    included), never read as text or as a missing-value placeholder.
    """

    __slots__ = ()


class UncachedFormula(str):
    """A formula cell that carries no calculated value, as ``"=" + formula``.

    Programs that write workbooks (openpyxl, pandas) store formulas without their results;
    only a spreadsheet application calculates and caches them. The reader marks such cells
    with this type so they are reported, not read as blank.
    """

    __slots__ = ()


_SPACES = "\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a"
_SPACES += "\u202f\u205f\u3000"
_TRANSLATE: dict[int, str] = {cp: chr(cp - 0xFEE0) for cp in range(0xFF01, 0xFF5F)}
_TRANSLATE.update({ord(c): " " for c in _SPACES})
_TRANSLATE.update({ord(c): "" for c in "\u200b\u200c\u200d\u2060\ufeff"})
_TRANSLATE.update({ord(c): "-" for c in "\u2212\ufe63\u2010\u2011"})
_TRANSLATE.update(
    {
        0x2267: "≥",  # ≧
        0x2266: "≤",  # ≦
        0xFE64: "<",  # ﹤
        0xFE65: ">",  # ﹥
        0xFE6A: "%",  # ﹪
        0x3010: "[",  # 【
        0x3011: "]",  # 】
    }
)

_MISSING = r"[-—–―]+|…+|⋯+|\.{3,}|/|na|n/a|#n/a"
_NONFINITE = r"[+-]?(?:inf|infinity|nan)"
_NUMBER = (
    r"^(?P<pre>约|大约|>=|<=|≥|≤|>|<)?\s*"
    r"(?P<sign>[+-]?)"
    r"(?P<mant>(?:[0-9]{1,3}(?:,[0-9]{3})+|[0-9]+)(?:\.[0-9]*)?|\.[0-9]+)"
    r"(?:[eE](?P<exp>[+-]?[0-9]+))?"
    r"\s*(?P<mag>万亿|百万|千万|亿|万|千)?"
    r"\s*(?P<pct>%)?"
    r"\s*(?P<post>左右)?$"
)
_YEAR = r"^(?P<year>[0-9]+)(?P<frac>\.[0-9]+)?\s*(?:年度|年)?$"

_FLOAT_TYPES = [float, np.float64, np.float32]
_BOOL_TYPES = [bool, np.bool_]
_INT_TYPES = [int, np.int64, np.int32]
_NUMBER_TYPES = [float, np.float64, *_INT_TYPES]  # float32 keeps its short text path
_DATE_TYPES = [date, datetime, time, timedelta, pd.Timestamp]

_PREFIX_QUALIFIER = {
    "约": "approx",
    "大约": "approx",
    ">": "greater_than",
    "<": "less_than",
    ">=": "greater_equal",
    "≥": "greater_equal",
    "<=": "less_equal",
    "≤": "less_equal",
}


def _types(values: pd.Series) -> np.ndarray:
    """The Python type of each cell, as an object array (for Arrow text, ``str`` or
    ``NoneType`` without making a Python object per cell)."""
    if _arrow_text(values.dtype):
        kind = np.full(len(values), str, dtype=object)
        kind[values.isna().to_numpy(dtype=bool)] = type(None)
        return kind
    return _TYPE_OF(values.to_numpy(dtype=object)).astype(object)


_TYPE_OF = np.frompyfunc(type, 1, 1)


def _is(kind: np.ndarray, types: list[type]) -> np.ndarray:
    """Boolean mask ``kind[i] in types`` for an array of types (hashed once, not compared
    element by element with each type; the factorisation of the last array is reused, as
    one parse asks several questions of the same array)."""
    cached = _FACTORS[0]
    if cached is not None and cached[0] is kind:
        codes, uniques = cached[1], cached[2]
    else:
        codes, uniques = pd.factorize(kind)
        _FACTORS[0] = (kind, codes, uniques)
    return np.array([u in types for u in uniques] + [False], dtype=bool)[codes]


_FACTORS: list[Any] = [None]


def text_mask(values: pd.Series) -> np.ndarray:
    """Which cells are text (``str``) — not numbers, dates, markers or blanks."""
    return _is(_types(pd.Series(values, copy=False)), [str])


def special_cells(values: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """Masks of the cells that are error values and formulas without a cached value.

    An error value is an :class:`ErrorValue` cell or a text that is exactly an error value
    (``#N/A``, ``#REF!``, … as a CSV export writes them).
    """
    values = pd.Series(values, copy=False)
    kind = _types(values)
    formula = _is(kind, [UncachedFormula])
    if _arrow_text(values.dtype):  # text only: matched in Arrow
        text = values
    else:
        text = pd.Series(values.to_numpy(dtype=object), dtype=object).where(
            _is(kind, [str, ErrorValue])
        )
    typed = text.astype("string").str.strip().str.fullmatch(ERROR_TEXT, case=False)
    errors = _is(kind, [ErrorValue]) | typed.fillna(False).to_numpy(dtype=bool)
    return errors, formula


def _numbers(values: pd.Series, kind: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Mask of the cells that arrive as numbers (not blank) and their float64 values (NaN at
    the other cells)."""
    numeric = _is(kind, _NUMBER_TYPES)
    if numeric.any():  # a text-only column (CSV) needs no missing-value scan
        numeric &= values.notna().to_numpy(dtype=bool)
    number = np.full(len(values), np.nan)
    number[numeric] = values.to_numpy(dtype=object)[numeric].astype(np.float64)
    return numeric, number


@dataclass(frozen=True)
class ParsedValues:
    """The result of :func:`parse_values`: Series aligned with the input.

    Attributes
    ----------
    value : pandas.Series of float64
        The number, ``NaN`` when the cell is missing or could not be read.
    qualifier : pandas.Series of string
        One of :data:`QUALIFIERS`; ``NA`` where ``error`` is set.
    error : pandas.Series of string
        ``"not a number"`` or ``"not a finite number"``; ``NA`` for cells that were read.
    raw : pandas.Series of str (string dtype, or object dtype from the numeric fast path)
        The cell as written (numbers from Excel without a trailing ``.0``; ``""`` for blank);
        ``None`` for numbers when :func:`parse_values` was called with
        ``render_numbers=False``.
    percent : pandas.Series of bool
        The cell carried a ``%`` sign (the number is kept as printed: ``12.5%`` → 12.5).
    multiplier : pandas.Series of float64
        The factor of a magnitude word (``万`` → 1e4), 1.0 when there was none.
    """

    value: pd.Series
    qualifier: pd.Series
    error: pd.Series
    raw: pd.Series
    percent: pd.Series
    multiplier: pd.Series


def display_text(values: pd.Series) -> pd.Series:
    """Render cells as the text a user sees: ``12134.0`` from Excel shows as ``"12134"``.

    Parameters
    ----------
    values : pandas.Series
        Cells as read: text, numbers, booleans, dates, ``None``/``NaN`` for blank.

    Returns
    -------
    pandas.Series of string
        Same index; ``""`` for blank cells, ``"TRUE"``/``"FALSE"`` for booleans, the shortest
        round-tripping representation for floats.
    """
    values = pd.Series(values, copy=False)
    if _arrow_text(values.dtype):  # text is shown as it is
        return values.fillna("").astype("string")
    kind = _types(values)
    numeric, number = _numbers(values, kind)
    if not numeric.any():
        return _display(values, kind)
    text = _number_text(values, number, _is(kind, _INT_TYPES))
    rest = ~numeric
    if rest.any():
        text[rest] = _display(values[rest], kind[rest]).to_numpy(dtype=object)
    return pd.Series(text, index=values.index, dtype="string")


def _number_text(values: pd.Series, number: np.ndarray, is_int: np.ndarray) -> np.ndarray:
    """Display text of the cells that arrive as numbers (``number``, from :func:`_numbers`),
    vectorised (``12134.0`` → ``"12134"``, floats in their shortest round-tripping form); other
    positions hold junk to overwrite."""
    integral = np.isfinite(number) & (number == np.trunc(number)) & (np.abs(number) < 1e16)
    text = np.empty(len(values), dtype=object)
    text[integral] = number[integral].astype(np.int64).astype(str)
    other = ~integral
    # Python's float repr is the shortest round-tripping text (as numpy's str), 2x faster
    text[other] = list(map(repr, number[other].tolist()))
    text[(number == 0) & np.signbit(number)] = "-0"
    if is_int.any():  # Python ints keep every digit, also beyond 2**53
        text[is_int] = values[is_int].astype(str).to_numpy(dtype=object)
    return text


def _display(values: pd.Series, kind: np.ndarray) -> pd.Series:
    """:func:`display_text` given the Python type of each cell."""
    text = values.astype(object).where(values.notna(), "").astype(str).astype("string")
    is_float = _is(kind, _FLOAT_TYPES)
    is_bool = _is(kind, _BOOL_TYPES)
    is_date = _is(kind, _DATE_TYPES)
    if not (is_float.any() or is_bool.any() or is_date.any()):
        return text
    out = text.to_numpy(dtype=object)
    integral = is_float & text.str.fullmatch(r"-?[0-9]+\.0").fillna(False).to_numpy(dtype=bool)
    out = np.where(integral, text.str.slice(stop=-2).to_numpy(dtype=object), out)
    out = np.where(is_bool, text.str.upper().to_numpy(dtype=object), out)
    midnight = is_date & text.str.endswith(" 00:00:00").fillna(False).to_numpy(dtype=bool)
    out = np.where(midnight, text.str.slice(stop=-9).to_numpy(dtype=object), out)
    return pd.Series(out, index=values.index, dtype="string")


def clean_text(text: pd.Series) -> pd.Series:
    """Map full-width characters to ASCII, unify spaces and minus signs, and strip.

    Parameters
    ----------
    text : pandas.Series of string

    Returns
    -------
    pandas.Series of string
        ``"１２，１３４"`` → ``"12,134"``; ``"＞95"`` → ``">95"``; NBSP and the ideographic
        space become a plain space; leading and trailing whitespace is removed.

    Notes
    -----
    Full-width forms U+FF01–U+FF5E map to U+0021–U+007E (the Unicode "Halfwidth and Fullwidth
    Forms" block); ``≧``/``≦`` map to ``≥``/``≤``. Unlike NFKC normalisation this leaves
    superscripts and other compatibility characters alone, so ``5²`` does not become ``52``.

    References
    ----------
    The Unicode Standard, block "Halfwidth and Fullwidth Forms" (U+FF00–U+FFEF).
    """
    return pd.Series(text, copy=False).astype("string").str.translate(_TRANSLATE).str.strip()


def parse_values(values: pd.Series, *, render_numbers: bool = True) -> ParsedValues:
    """Parse yearbook cells into numbers, qualifiers and error messages.

    Parameters
    ----------
    values : pandas.Series
        Cells as read from Excel (floats, ints, text, booleans, dates) or CSV (text).
    render_numbers : bool, default True
        Whether ``raw`` holds the text of cells that arrive as numbers (``12134.0`` →
        ``"12134"``). ``False`` leaves ``None`` there, for callers that render that text
        later with :func:`display_text` and only where they need it (a large sheet's
        numbers are then never turned into text); text cells always get their ``raw``.

    Returns
    -------
    ParsedValues
        Aligned Series ``value``, ``qualifier``, ``error``, ``raw``, ``percent``,
        ``multiplier``.

    Notes
    -----
    Accepted forms (after mapping full-width characters to ASCII and stripping whitespace):

    * numbers, with optional sign, thousands separators in groups of three (``12,134``),
      decimals and an exponent (``1e3``);
    * a magnitude word after the number: 千 1e3, 万 1e4, 百万 1e6, 千万 1e7, 亿 1e8,
      万亿 1e12 — ``15.9万`` is 159000. The exponent is added to the decimal text before
      conversion, so the result is the correctly rounded double of the exact decimal value;
    * a trailing ``%``: the number is kept as printed (``12.5%`` → 12.5); the indicator's unit
      is ``%``;
    * qualifiers: ``>``, ``<``, ``≥``/``>=``, ``≤``/``<=`` before the number give
      ``greater_than``, ``less_than``, ``greater_equal``, ``less_equal``; ``约``/``大约``
      before or ``左右`` after give ``approx``;
    * missing: blank, ``—``, ``-``, ``--``, ``…``, ``...``, ``/``, ``NA``, ``N/A``.

    ``inf``, ``nan`` and numbers whose magnitude overflows float64 give the error
    ``"not a finite number"``; booleans, dates and any other text give ``"not a number"``;
    an :class:`UncachedFormula` gives :data:`FORMULA_NO_VALUE`.

    In the China Statistical Yearbook ``…`` means "less than the smallest unit of the
    table" and a blank cell "not available"; both are read as missing here, so a value that
    is really near zero has to be entered as ``0`` by the user.

    References
    ----------
    .. [1] The Unicode Standard, block "Halfwidth and Fullwidth Forms" (U+FF00–U+FFEF):
       U+FF01–U+FF5E are the full-width forms of U+0021–U+007E.
    .. [2] 国家统计局, 《中国统计年鉴—1992》编者说明第八条: "…" 表示数据不足本表最小单位数;
       "空格" 表示该项统计指标数据不详或无该项数据. Quoted at
       http://m.xiaomonv0755.com/tjnj/00zg/11768.html

    Examples
    --------
    >>> p = parse_values(pd.Series(["12,134", "15.9万", ">95", "—", "abc"]))
    >>> p.value.tolist()
    [12134.0, 159000.0, 95.0, nan, nan]
    >>> p.qualifier.tolist()
    ['exact', 'exact', 'greater_than', 'missing', <NA>]
    """
    values = pd.Series(values, copy=False)
    if _arrow_text(values.dtype):
        return _parse_arrow_text(values)
    kind = _types(values)
    numeric, number = _numbers(values, kind)
    plain, plain_number = _plain_text_numbers(values, kind, ~numeric)
    if not (numeric | plain).any():
        return _parse_text_cells(values, kind)
    number[plain] = plain_number
    out = _parse_numbers(values, numeric | plain, number, _is(kind, _INT_TYPES), render_numbers)
    if plain.any():  # a text cell keeps its own text as ``raw``
        raw = out.raw.to_numpy(dtype=object, copy=True)
        raw[plain] = values.to_numpy(dtype=object)[plain]
        out = dataclasses.replace(out, raw=pd.Series(raw, index=values.index, dtype=object))
    rest = ~(numeric | plain)
    if not rest.any():
        return out
    slow = _parse_text_cells(values[rest], kind[rest])
    parts = {}
    for f in dataclasses.fields(ParsedValues):
        merged = getattr(out, f.name).copy()
        merged[rest] = getattr(slow, f.name).to_numpy()
        parts[f.name] = merged
    return ParsedValues(**parts)


def _arrow_text(dtype: Any) -> bool:
    """An Arrow-backed text dtype (a CSV file's columns as split by Arrow)."""
    if isinstance(dtype, pd.StringDtype):
        return dtype.storage == "pyarrow"
    return isinstance(dtype, pd.ArrowDtype) and str(dtype.pyarrow_dtype) in (
        "string",
        "large_string",
    )


def _arrow(values: pd.Series) -> Any:
    """An Arrow text Series as one contiguous Arrow string array."""
    import pyarrow as pa

    arr = pa.array(values)
    arr = arr.combine_chunks() if isinstance(arr, pa.ChunkedArray) else arr
    return arr.cast(pa.string()) if arr.type != pa.string() else arr


def _parse_arrow_text(values: pd.Series) -> ParsedValues:
    """:func:`parse_values` for an Arrow text Series, without a Python object per cell.

    The plain decimal numbers (nearly every cell of a CSV file) are found and converted in
    Arrow (as :func:`_plain_text_numbers` does); only the other cells go through the full
    text parser. ``raw`` is the text itself, kept in Arrow.
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    index = values.index
    arr = _arrow(values)
    ok = pc.match_substring_regex(arr, _PLAIN_NUMBER).fill_null(False)
    ok = ok.to_numpy(zero_copy_only=False).copy()
    number = np.full(len(values), np.nan)
    if ok.any():
        converted = pc.cast(arr.filter(pa.array(ok)), pa.float64())
        converted = converted.to_numpy(zero_copy_only=False)
        finite = np.isfinite(converted)
        at = np.flatnonzero(ok)
        ok[at[~finite]] = False
        number[at[finite]] = converted[finite]
    raw = values.fillna("") if values.hasnans else values
    out = ParsedValues(
        value=pd.Series(number, index=index, dtype="float64"),
        qualifier=_choose(ok, None, "exact", index),
        error=_choose(ok, None, None, index),
        raw=raw,
        percent=pd.Series(np.zeros(len(values), dtype=bool), index=index),
        multiplier=pd.Series(np.ones(len(values)), index=index),
    )
    rest = ~ok
    if not rest.any():
        return out
    cells = pd.Series(values[rest].to_numpy(dtype=object), index=index[rest], dtype=object)
    slow = _parse_text_cells(cells, _types(cells))
    parts: dict[str, pd.Series] = {"raw": raw}
    for f in dataclasses.fields(ParsedValues):
        if f.name != "raw":
            merged = getattr(out, f.name).copy()
            merged[rest] = getattr(slow, f.name).to_numpy()
            parts[f.name] = merged
    return ParsedValues(**parts)


#: Text that is a plain decimal number (no separators, words or spaces; at most a two-digit
#: exponent and 17 significant digits… the full parser handles everything else).
_PLAIN_NUMBER = r"^[+-]?(?:[0-9]{1,20}(?:\.[0-9]{0,20})?|\.[0-9]{1,20})(?:[eE][+-]?[0-9]{1,2})?$"


_PLAIN_DIGITS = r"^[0-9]{1,6}$"


def _plain_text_numbers(
    values: pd.Series, kind: np.ndarray, candidates: np.ndarray, pattern: str = _PLAIN_NUMBER
) -> tuple[np.ndarray, np.ndarray]:
    """The fast path for text cells that are plain decimal numbers (a CSV's usual cell).

    Matched with RE2 and converted by Arrow's correctly rounded string-to-double cast, both
    in C++; the result equals the full parser's (which forms the same decimal text and
    converts it with Python's correctly rounded ``float``). Returns the mask over all cells
    and the numbers of the masked cells.
    """
    mask = np.zeros(len(values), dtype=bool)
    text_cells = candidates & _is(kind, [str])
    if not text_cells.any():
        return mask, np.zeros(0)
    import pyarrow as pa
    import pyarrow.compute as pc

    if _arrow_text(values.dtype):
        arr = _arrow(values).filter(pa.array(text_cells))
    else:
        arr = pa.array(values.to_numpy(dtype=object)[text_cells], type=pa.string())
    ok = pc.match_substring_regex(arr, pattern).to_numpy(zero_copy_only=False)
    if not ok.any():
        return mask, np.zeros(0)
    number = pc.cast(arr.filter(pa.array(ok)), pa.float64()).to_numpy(zero_copy_only=False)
    finite = np.isfinite(number)
    ok[np.flatnonzero(ok)[~finite]] = False
    mask[np.flatnonzero(text_cells)[ok]] = True
    return mask, number[finite]


def _parse_numbers(
    values: pd.Series, numeric: np.ndarray, number: np.ndarray, is_int: np.ndarray, render: bool
) -> ParsedValues:
    """The fast path for cells that arrive as numbers (Excel numeric cells): no text parsing.

    ``numeric`` and ``number`` come from :func:`_numbers` (``number`` is consumed). Rows where
    ``numeric`` is False get placeholders, to be overwritten by the text path; without
    ``render`` the ``raw`` text of the numbers is ``None``.
    """
    index = values.index
    if render:
        text = _number_text(values, number, is_int)
    else:
        text = np.full(len(values), None, dtype=object)
    bad = numeric & ~np.isfinite(number)
    number[bad] = np.nan
    return ParsedValues(
        value=pd.Series(number, index=index, dtype="float64"),
        qualifier=_choose(bad, "exact", None, index),
        error=_choose(bad, None, NOT_FINITE, index),
        raw=pd.Series(text, index=index, dtype=object),
        percent=pd.Series(np.zeros(len(values), dtype=bool), index=index),
        multiplier=pd.Series(np.ones(len(values)), index=index),
    )


def _choose(mask: np.ndarray, no: str | None, yes: str | None, index: pd.Index) -> pd.Series:
    """String Series: ``yes`` where ``mask``, else ``no`` (by ``take``, without building one
    Python string per element)."""
    pair = pd.array([no, yes], dtype="string")
    return pd.Series(pair.take(mask.astype(np.intp)), index=index)


def _parse_text_cells(values: pd.Series, kind: np.ndarray) -> ParsedValues:
    """:func:`parse_values` for cells of any type, through their text."""
    index = values.index
    n = len(values)
    formula = _is(kind, [UncachedFormula])
    failed = _is(kind, [ErrorValue])
    usable = ~_is(kind, _BOOL_TYPES + _DATE_TYPES) & ~formula & ~failed
    raw = _display(values, kind)
    text = clean_text(raw)
    low = text.str.lower()

    blank = text.eq("").to_numpy(dtype=bool)
    placeholder = low.str.fullmatch(_MISSING).fillna(False).to_numpy(dtype=bool)
    missing = (blank | placeholder) & usable
    nonfinite_text = low.str.fullmatch(_NONFINITE).fillna(False).to_numpy(dtype=bool) & usable
    groups = text.str.extract(_NUMBER)
    pre = groups["pre"].to_numpy(dtype=object)
    has_pre = groups["pre"].notna().to_numpy(dtype=bool)
    has_post = groups["post"].notna().to_numpy(dtype=bool)
    approx_pre = groups["pre"].isin(["约", "大约"]).to_numpy(dtype=bool)
    contradictory = has_pre & ~approx_pre & has_post
    matched = groups["mant"].notna().to_numpy(dtype=bool) & usable & ~missing & ~contradictory

    number = np.full(n, np.nan)
    magnitude = np.zeros(n)
    if matched.any():
        exponent = pd.to_numeric(groups["exp"], errors="coerce").to_numpy(dtype=np.float64)
        exponent = np.clip(np.nan_to_num(exponent, nan=0.0), -100_000, 100_000)
        magnitude = groups["mag"].map(MAGNITUDES).to_numpy(dtype=np.float64, na_value=0.0)
        total_exp = pd.Series((exponent + magnitude).astype(np.int64), dtype="string")
        mantissa = groups["mant"].str.replace(",", "", regex=False)
        number_text = (groups["sign"].fillna("") + mantissa + "e").to_numpy(dtype=object)
        number_text = number_text + total_exp.to_numpy(dtype=object)
        number[matched] = number_text[matched].astype(np.float64)
    overflow = matched & ~np.isfinite(number)
    number[overflow] = np.nan
    ok = matched & ~overflow

    error = np.where(
        ok | missing,
        None,
        np.where(
            formula,
            FORMULA_NO_VALUE,
            np.where(
                failed,
                ERROR_VALUE,
                np.where(nonfinite_text | overflow, NOT_FINITE, NOT_A_NUMBER),
            ),
        ),
    )
    prefix_q = pd.Series(pre).map(_PREFIX_QUALIFIER).to_numpy(dtype=object)
    read_q = np.where(has_pre, prefix_q, np.where(has_post, "approx", "exact"))
    qualifier = np.where(missing, "missing", np.where(ok, read_q, None))
    percent = groups["pct"].notna().to_numpy(dtype=bool) & ok
    return ParsedValues(
        value=pd.Series(number, index=index, dtype="float64"),
        qualifier=pd.Series(qualifier, index=index, dtype="string"),
        error=pd.Series(error, index=index, dtype="string"),
        raw=raw,
        percent=pd.Series(percent, index=index, dtype=bool),
        multiplier=pd.Series(np.where(ok, 10.0**magnitude, 1.0), index=index),
    )


def parse_year(values: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Parse a column of years.

    Parameters
    ----------
    values : pandas.Series
        Cells such as ``2019``, ``2019.0``, ``"2019"``, ``"2019年"``, ``"２０１９年"``.

    Returns
    -------
    year : pandas.Series of Int64
        The year, ``NA`` where it could not be read.
    error : pandas.Series of string
        What is wrong (``"year is blank"``, ``"not a year"``, ``"year must be a whole
        number"``, ``"implausible year (outside 1900–2200)"``), ``NA`` for good cells.

    Notes
    -----
    A year is a whole number written with digits, optionally followed by ``年`` or ``年度``.
    A decimal part is accepted only if it is zero (Excel stores 2019 as 2019.0). Cells that
    arrive as whole non-negative numbers below 10^6 are taken as they are; the rest go
    through their text, with the same result as if the number had been written as text.
    """
    values = pd.Series(values, copy=False)
    kind = _types(values)
    _, number = _numbers(values, kind)
    digits, digit_number = _plain_text_numbers(values, kind, np.isnan(number), _PLAIN_DIGITS)
    number[digits] = digit_number  # "2019" as text: the same whole number, without regexes
    with np.errstate(invalid="ignore"):
        whole = (number >= 0) & (number < 1e6) & (number == np.floor(number))
    whole &= ~np.signbit(number)  # -0.0 shows as "-0", not a year
    if not whole.any():
        return _parse_year_text(values, kind)
    error = np.where(whole & ((number < YEAR_MIN) | (number > YEAR_MAX)), _IMPLAUSIBLE, None)
    rest = ~whole
    if rest.any():
        year_rest, error_rest = _parse_year_text(values[rest], kind[rest])
        number[rest] = year_rest.to_numpy(dtype=np.float64, na_value=np.nan)
        error[rest] = error_rest.to_numpy(dtype=object, na_value=None)
    error_s = pd.Series(error, index=values.index, dtype="string")
    year_s = pd.Series(number, index=values.index, name="year").where(error_s.isna())
    year_s = year_s.astype("Int64")
    return year_s, error_s


_IMPLAUSIBLE = f"implausible year (outside {YEAR_MIN}–{YEAR_MAX})"

#: The cell errors of :func:`parse_values` and :func:`parse_year` in Chinese, for messages
#: worded in the report language.
ERRORS_ZH: dict[str, str] = {
    NOT_A_NUMBER: "不是数值",
    NOT_FINITE: "不是有限数值",
    FORMULA_NO_VALUE: "公式没有已缓存的计算结果：请在 Excel 中打开并保存该文件（使公式重新计算），"
    "或直接录入数值",
    ERROR_VALUE: "公式返回错误值（如 #N/A、#DIV/0!）：请在 Excel 中修正公式，或直接录入数值",
    "year is blank": "年份为空",
    "not a year": "不是年份",
    "year must be a whole number": "年份须为整数",
    _IMPLAUSIBLE: f"年份不合理（不在 {YEAR_MIN}–{YEAR_MAX} 之间）",
}


def error_params(errors: Any) -> list[dict[str, str]]:
    """``{"error": …, "error_zh": …}`` for each cell error text (see :data:`ERRORS_ZH`)."""
    return [{"error": str(e), "error_zh": ERRORS_ZH.get(str(e), str(e))} for e in errors]


def _parse_year_text(values: pd.Series, kind: np.ndarray) -> tuple[pd.Series, pd.Series]:
    """:func:`parse_year` through the cells' text."""
    index = values.index
    formula = _is(kind, [UncachedFormula])
    failed = _is(kind, [ErrorValue])
    usable = ~_is(kind, _BOOL_TYPES + _DATE_TYPES) & ~formula & ~failed
    text = clean_text(_display(values, kind))
    groups = text.str.extract(_YEAR)
    digits = groups["year"].where(usable)
    frac = groups["frac"]
    whole = frac.isna() | frac.str.fullmatch(r"\.0+").fillna(False)
    short = whole & (digits.str.len() <= 6).fillna(False)
    year = pd.to_numeric(digits.where(short), errors="coerce").astype("float64")
    plausible = year.between(YEAR_MIN, YEAR_MAX).fillna(False)
    error = np.select(
        [
            formula,
            failed,
            text.eq("").to_numpy(dtype=bool),
            digits.isna().to_numpy(dtype=bool),
            ~whole.to_numpy(dtype=bool),
            ~plausible.to_numpy(dtype=bool),
        ],
        [
            FORMULA_NO_VALUE,
            ERROR_VALUE,
            "year is blank",
            "not a year",
            "year must be a whole number",
            _IMPLAUSIBLE,
        ],
        default=None,
    )
    error_s = pd.Series(error, index=index, dtype="string")
    year_s = year.where(error_s.isna()).astype("Int64")
    return year_s, error_s
