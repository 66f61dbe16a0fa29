"""Tests of yearbook cell parsing (coordeval.io.cells).

References are hand-computed: each accepted form is listed with the number a reader of the
yearbook would write down, and magnitude words are checked against exact decimal arithmetic
(Python's ``decimal`` module) as an independent oracle.
"""

from __future__ import annotations

import datetime as dt
import math
from decimal import Decimal

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from coordeval.io.cells import (
    QUALIFIERS,
    clean_text,
    display_text,
    parse_values,
    parse_year,
)

FULL_WIDTH = str.maketrans("0123456789.,-+e%<>", "０１２３４５６７８９．，－＋ｅ％＜＞")

VALUE_CASES = [
    # (cell, value, qualifier)
    (12134, 12134.0, "exact"),
    (12.5, 12.5, "exact"),
    (np.float64(0.1), 0.1, "exact"),
    (np.int64(7), 7.0, "exact"),
    ("12134", 12134.0, "exact"),
    ("12,134", 12134.0, "exact"),
    ("1,234,567.89", 1234567.89, "exact"),
    ("１２．５", 12.5, "exact"),
    ("１２，１３４", 12134.0, "exact"),
    ("－３．５", -3.5, "exact"),
    ("−3.5", -3.5, "exact"),
    ("15.9万", 159000.0, "exact"),
    ("1.2亿", 1.2e8, "exact"),
    ("3千", 3000.0, "exact"),
    ("2.5百万", 2.5e6, "exact"),
    ("0.3万亿", 3e11, "exact"),
    ("１５．９万", 159000.0, "exact"),
    ("12.5%", 12.5, "exact"),
    ("12.5 ％", 12.5, "exact"),
    (">95", 95.0, "greater_than"),
    ("＞95", 95.0, "greater_than"),
    ("≥95", 95.0, "greater_equal"),
    (">=95", 95.0, "greater_equal"),
    ("≧95", 95.0, "greater_equal"),
    ("<5", 5.0, "less_than"),
    ("＜5", 5.0, "less_than"),
    ("≤5", 5.0, "less_equal"),
    ("约 5.5", 5.5, "approx"),
    ("约5.5", 5.5, "approx"),
    ("大约5.5", 5.5, "approx"),
    ("5.5 左右", 5.5, "approx"),
    ("5.5左右", 5.5, "approx"),
    (">95%", 95.0, "greater_than"),
    ("约1.2万", 12000.0, "approx"),
    ("  12.5 ", 12.5, "exact"),
    ("\u00a012.5\u00a0", 12.5, "exact"),
    ("\u300012.5\u3000", 12.5, "exact"),
    ("\t12.5\n", 12.5, "exact"),
    ("1e3", 1000.0, "exact"),
    ("1.5E-3", 0.0015, "exact"),
    ("-0.25", -0.25, "exact"),
    ("+4", 4.0, "exact"),
    (".5", 0.5, "exact"),
    ("5.", 5.0, "exact"),
]

MISSING_CASES = [
    "—",
    "——",
    "-",
    "--",
    "－",
    "–",
    "…",
    "……",
    "...",
    "/",
    "",
    "   ",
    "\u3000",
    "NA",
    "na",
    "N/A",
    "n/a",
    "#N/A",
    None,
    np.nan,
]

ERROR_CASES = [
    ("inf", "not a finite number"),
    ("-inf", "not a finite number"),
    ("Infinity", "not a finite number"),
    ("nan", "not a finite number"),
    ("NaN", "not a finite number"),
    ("1e400", "not a finite number"),
    ("-1e400", "not a finite number"),
    ("1e308万", "not a finite number"),
    (float("inf"), "not a finite number"),
    ("abc", "not a number"),
    ("1,2", "not a number"),
    ("12 134", "not a number"),
    ("12.5.3", "not a number"),
    ("1.2亿元", "not a number"),
    (">95左右", "not a number"),
    ("#DIV/0!", "not a number"),
    ("5²", "not a number"),
    ("万", "not a number"),
    ("%", "not a number"),
    (True, "not a number"),
    (False, "not a number"),
    (np.True_, "not a number"),
    (dt.date(2020, 1, 1), "not a number"),
    (dt.datetime(2020, 1, 1, 12, 0), "not a number"),
]


@pytest.mark.parametrize(("cell", "value", "qualifier"), VALUE_CASES)
def test_accepted_forms(cell, value, qualifier):
    """Hand-computed: each form gives the number a yearbook reader writes down."""
    p = parse_values(pd.Series([cell], dtype=object))
    assert p.value.iloc[0] == value
    assert p.qualifier.iloc[0] == qualifier
    assert pd.isna(p.error.iloc[0])


@pytest.mark.parametrize("cell", MISSING_CASES)
def test_missing_placeholders(cell):
    p = parse_values(pd.Series([cell], dtype=object))
    assert np.isnan(p.value.iloc[0])
    assert p.qualifier.iloc[0] == "missing"
    assert pd.isna(p.error.iloc[0])


@pytest.mark.parametrize(("cell", "message"), ERROR_CASES)
def test_errors(cell, message):
    p = parse_values(pd.Series([cell], dtype=object))
    assert np.isnan(p.value.iloc[0])
    assert p.error.iloc[0] == message
    assert pd.isna(p.qualifier.iloc[0])


def test_whole_column_at_once_keeps_index_and_dtypes():
    cells = [c for c, _, _ in VALUE_CASES] + MISSING_CASES + [c for c, _ in ERROR_CASES]
    index = pd.Index([f"r{i}" for i in range(len(cells))][::-1])
    p = parse_values(pd.Series(cells, index=index, dtype=object))
    for s in (p.value, p.qualifier, p.error, p.raw, p.percent, p.multiplier):
        assert s.index.equals(index)
    assert p.value.dtype == np.float64
    assert p.qualifier.dtype == "string"
    assert p.error.dtype == "string"
    n_ok, n_missing = len(VALUE_CASES), len(MISSING_CASES)
    expected = [v for _, v, _ in VALUE_CASES]
    np.testing.assert_array_equal(p.value.to_numpy()[:n_ok], expected)
    assert p.qualifier.iloc[:n_ok].tolist() == [q for _, _, q in VALUE_CASES]
    assert (p.qualifier.iloc[n_ok : n_ok + n_missing] == "missing").all()
    assert p.error.iloc[n_ok + n_missing :].tolist() == [m for _, m in ERROR_CASES]
    assert set(p.qualifier.dropna()) <= set(QUALIFIERS)


def test_batch_equals_one_by_one():
    """The vectorised parse agrees with parsing every cell on its own."""
    cells = [c for c, _, _ in VALUE_CASES] + MISSING_CASES + [c for c, _ in ERROR_CASES]
    batch = parse_values(pd.Series(cells, dtype=object))
    for i, cell in enumerate(cells):
        one = parse_values(pd.Series([cell], dtype=object))
        assert np.array_equal([batch.value.iloc[i]], [one.value.iloc[0]], equal_nan=True), cell
        assert str(batch.qualifier.iloc[i]) == str(one.qualifier.iloc[0])
        assert str(batch.error.iloc[i]) == str(one.error.iloc[0])


def test_percent_and_multiplier_flags():
    p = parse_values(pd.Series(["12.5%", "15.9万", "3", ">95%", "1.2亿"], dtype=object))
    assert p.percent.tolist() == [True, False, False, True, False]
    assert p.multiplier.tolist() == [1.0, 1e4, 1.0, 1.0, 1e8]


def test_raw_text_as_written():
    p = parse_values(pd.Series([12134.0, 12.5, "  12,134 ", True, None, 2019], dtype=object))
    assert p.raw.tolist() == ["12134", "12.5", "  12,134 ", "TRUE", "", "2019"]


def test_numeric_series_input():
    p = parse_values(pd.Series([1.5, np.nan, -2.0, np.inf]))
    assert p.value.iloc[0] == 1.5 and p.value.iloc[2] == -2.0
    assert p.qualifier.tolist()[:3] == ["exact", "missing", "exact"]
    assert p.error.iloc[3] == "not a finite number"


def test_string_dtype_input():
    p = parse_values(pd.Series(["1", "", "约2"], dtype="string"))
    assert p.value.iloc[0] == 1.0 and p.value.iloc[2] == 2.0
    assert p.qualifier.tolist() == ["exact", "missing", "approx"]


def test_clean_text_leaves_superscripts_alone():
    out = clean_text(pd.Series(["１２，１３４", "５²", "＞９５", "\u00a0a\u3000"]))
    assert out.tolist() == ["12,134", "5²", ">95", "a"]


def test_display_text():
    out = display_text(
        pd.Series([1.0, 0.1, 1e20, "x", None, False, dt.datetime(2020, 5, 1)], dtype=object)
    )
    assert out.tolist() == ["1", "0.1", "1e+20", "x", "", "FALSE", "2020-05-01"]


@given(st.floats(allow_nan=False, allow_infinity=False))
def test_float_repr_round_trips(x):
    """Any float written as text (its repr) parses back to exactly the same float."""
    p = parse_values(pd.Series([repr(x)], dtype=object))
    got = p.value.iloc[0]
    assert got == x and math.copysign(1.0, got) == math.copysign(1.0, x)
    assert p.qualifier.iloc[0] == "exact"


@given(st.lists(st.floats(allow_nan=False, allow_infinity=False), min_size=1, max_size=30))
def test_float_objects_and_text_round_trip_in_bulk(xs):
    """Floats as Excel gives them (objects) and as text, mixed in one column."""
    cells = [v for x in xs for v in (x, repr(x))]
    p = parse_values(pd.Series(cells, dtype=object))
    np.testing.assert_array_equal(p.value.to_numpy(), np.repeat(xs, 2))


@given(st.floats(allow_nan=False, allow_infinity=False, min_value=-1e300, max_value=1e300))
def test_thousands_separators_and_full_width_round_trip(x):
    """``format(x, ",")`` (groups of three) and its full-width form parse back exactly."""
    text = format(x, ",")
    assert parse_values(pd.Series([text], dtype=object)).value.iloc[0] == x
    full = text.translate(FULL_WIDTH)
    assert parse_values(pd.Series([full], dtype=object)).value.iloc[0] == x


@settings(max_examples=200)
@given(
    st.decimals(
        min_value=Decimal("-1e6"),
        max_value=Decimal("1e6"),
        allow_nan=False,
        allow_infinity=False,
        places=4,
    ),
    st.sampled_from([("千", 3), ("万", 4), ("百万", 6), ("千万", 7), ("亿", 8), ("万亿", 12)]),
)
def test_magnitude_words_are_exact(d, word_exp):
    """Oracle: the correctly rounded double of the exact decimal product (decimal module)."""
    word, exp = word_exp
    text = f"{d:f}{word}"
    expected = float(d.scaleb(exp))
    assert parse_values(pd.Series([text], dtype=object)).value.iloc[0] == expected


def test_magnitude_words_beat_naive_multiplication():
    """0.07万 is 700 and 0.29亿 is 29000000, which float multiplication misses."""
    assert 0.07 * 1e4 != 700.0 and 0.29 * 1e8 != 29_000_000.0
    p = parse_values(pd.Series(["0.07万", "0.29亿"]))
    assert p.value.tolist() == [700.0, 29_000_000.0]


YEAR_CASES = [
    (2019, 2019),
    (2019.0, 2019),
    (np.int64(2019), 2019),
    ("2019", 2019),
    ("2019.0", 2019),
    ("2019年", 2019),
    ("2019 年", 2019),
    ("2019年度", 2019),
    ("２０１９年", 2019),
    (" 2020 ", 2020),
    ("1900", 1900),
    ("2200", 2200),
]

YEAR_ERRORS = [
    (2019.5, "year must be a whole number"),
    ("2019.5", "year must be a whole number"),
    (1899, "implausible year (outside 1900–2200)"),
    ("2201", "implausible year (outside 1900–2200)"),
    ("19", "implausible year (outside 1900–2200)"),
    ("99999999999", "implausible year (outside 1900–2200)"),
    ("二〇一九", "not a year"),
    ("2019-2020", "not a year"),
    (True, "not a year"),
    (dt.date(2019, 1, 1), "not a year"),
    ("", "year is blank"),
    (None, "year is blank"),
]


@pytest.mark.parametrize(("cell", "year"), YEAR_CASES)
def test_parse_year_accepts(cell, year):
    y, err = parse_year(pd.Series([cell], dtype=object))
    assert y.iloc[0] == year
    assert pd.isna(err.iloc[0])


@pytest.mark.parametrize(("cell", "message"), YEAR_ERRORS)
def test_parse_year_rejects(cell, message):
    y, err = parse_year(pd.Series([cell], dtype=object))
    assert pd.isna(y.iloc[0])
    assert err.iloc[0] == message


def test_parse_year_column_dtype_and_index():
    index = pd.Index([10, 20, 30])
    y, err = parse_year(pd.Series([2019, "2020年", 2019.5], index=index, dtype=object))
    assert y.dtype == "Int64" and err.dtype == "string"
    assert y.index.equals(index) and err.index.equals(index)
    assert y.tolist()[:2] == [2019, 2020]


def test_render_numbers_false_defers_only_the_text_of_numbers():
    """``render_numbers=False`` changes nothing but ``raw`` of the cells that are numbers,
    which stays ``None``; :func:`display_text` of those cells gives what the default puts
    there (hand-checked in ``test_raw_text_as_written``)."""
    cells = pd.Series(
        [12134.0, 12.5, "  12,134 ", True, None, 2019, -0.0, 2**60, np.inf, "约5", 1e20],
        dtype=object,
    )
    full = parse_values(cells)
    lazy = parse_values(cells, render_numbers=False)
    for name in ("value", "qualifier", "error", "percent", "multiplier"):
        pd.testing.assert_series_equal(getattr(lazy, name), getattr(full, name))
    numbers = np.array([0, 1, 5, 6, 7, 8, 10])
    assert lazy.raw.iloc[numbers].isna().all()
    rest = np.setdiff1d(np.arange(len(cells)), numbers)
    assert lazy.raw.iloc[rest].tolist() == full.raw.iloc[rest].tolist()
    assert display_text(cells.iloc[numbers]).tolist() == full.raw.iloc[numbers].tolist()
    assert full.raw.iloc[numbers].tolist() == [
        "12134", "12.5", "2019", "-0", "1152921504606846976", "inf", "1e+20"
    ]  # fmt: skip


@given(
    st.lists(
        st.one_of(
            st.integers(-10, 2_000_000),
            st.floats(-1e7, 1e7, allow_nan=False, allow_infinity=False),
            st.sampled_from([1900.0, 2200.0, 1899.0, 2201.0, 2019.5, -0.0, 0.0, np.nan]),
            st.sampled_from([np.float64(2019), np.int64(2020), True, None, "2019", "2019年"]),
        ),
        min_size=1,
        max_size=20,
    )
)
def test_parse_year_numbers_read_as_their_text(cells):
    """Years that arrive as numbers give what their display text (typed into a cell) gives:
    the whole-number fast path and the text path agree, in mixed columns too."""
    as_read = pd.Series(cells, dtype=object)
    as_text = pd.Series(
        [c if isinstance(c, (str, bool)) or c is None else t for c, t in
         zip(cells, display_text(as_read), strict=True)],
        dtype=object,
    )  # fmt: skip
    y1, e1 = parse_year(as_read)
    y2, e2 = parse_year(as_text)
    pd.testing.assert_series_equal(y1, y2)
    pd.testing.assert_series_equal(e1, e2)


def test_arrow_text_is_parsed_like_python_text():
    """The Arrow path (a CSV file's columns) gives what the object path gives, cell by cell."""
    import pyarrow as pa

    cells = ["12,134", "15.9万", ">95", "—", "abc", "", "1e3", "-0.5", "inf", "约5.5", "3%", "7"]
    arrow = pd.Series(cells * 3, dtype=pd.ArrowDtype(pa.string()))
    python = pd.Series(cells * 3, dtype=object)
    a, b = parse_values(arrow, render_numbers=False), parse_values(python, render_numbers=False)
    np.testing.assert_array_equal(a.value.to_numpy(), b.value.to_numpy())
    for name in ("qualifier", "error", "raw"):
        left = getattr(a, name).astype("string").fillna("<NA>").tolist()
        right = getattr(b, name).astype("string").fillna("<NA>").tolist()
        assert left == right, name
    assert a.percent.tolist() == b.percent.tolist()
    assert a.multiplier.tolist() == b.multiplier.tolist()


def test_an_unquoted_csv_is_read_into_arrow_columns(tmp_path):
    from coordeval.io._sources import load_grid

    path = tmp_path / "d.csv"
    path.write_text("城市,年份,GDP\n甲,2020,1.5\n乙,2020,2\n", encoding="utf-8")
    grid = load_grid(path).grid
    assert grid.columnar and grid.comma_free
    assert grid.block(np.array([1, 2]), np.array([1, 2])).tolist() == ["2020", "1.5", "2020", "2"]
    assert grid.cells([2], [0]).tolist() == ["乙"] and grid.filled.all()
