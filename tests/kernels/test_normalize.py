"""Dimensionless transforms: published examples, hand-computed cases, oracles and properties."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from coordeval import ConfigError, InputError, normalize
from coordeval.kernels.normalize import minmax_arrays

X4 = [4.0, 1.0, 5.0, 8.0]

finite = st.floats(-1e6, 1e6, allow_nan=False, allow_infinity=False)


def matrices(min_rows: int = 2, max_rows: int = 8, max_cols: int = 5):
    shapes = st.tuples(st.integers(min_rows, max_rows), st.integers(1, max_cols))
    return shapes.flatmap(lambda s: arrays(np.float64, s, elements=finite))


def _spread(A: np.ndarray) -> bool:
    """Every column varies by more than rounding noise relative to its magnitude."""
    span = A.max(axis=0) - A.min(axis=0)
    return bool(np.all(span > 1e-6 * (1.0 + np.abs(A).max(axis=0))))


def test_mathmodels_rescale_and_l2_normalize_printed_output():
    """Jingxin Zhang, R package mathmodels, reference page "Preprocessing Functions for Data
    Normalization and Standardization" (GitHub zhjx19/mathmodels, docs/reference/preprocess.md):
    for x = (4, 1, NA, 5, 8), ``rescale(x)`` prints 0.4285714 0.0000000 NA 0.5714286 1.0000000,
    ``rescale(x, type = "-", a = 0.002, b = 0.996)`` prints 0.570 0.996 NA 0.428 0.002 and
    ``normalize(x)`` (L2) prints 0.38851434 0.09712859 NA 0.48564293 0.77702869. The NA is
    dropped here (coordeval refuses missing values)."""
    up = normalize(X4)
    np.testing.assert_allclose(up["x0"], [0.4285714, 0.0, 0.5714286, 1.0], rtol=0, atol=5e-8)
    down = normalize(X4, "-", feature_range=(0.002, 0.996))
    np.testing.assert_allclose(down["x0"], [0.570, 0.996, 0.428, 0.002], rtol=0, atol=5e-4)
    l2 = normalize(X4, method="vector")
    np.testing.assert_allclose(
        l2["x0"], [0.38851434, 0.09712859, 0.48564293, 0.77702869], rtol=0, atol=5e-9
    )


def test_mathmodels_standardize_matches_sample_sd_zscore():
    """Same mathmodels reference page: ``standardize(x)`` (R ``scale``: sample SD, ddof = 1)
    prints -0.1732051 -1.2124356 NA 0.1732051 1.2124356 for x = (4, 1, NA, 5, 8)."""
    z = normalize(X4, method="zscore")
    np.testing.assert_allclose(
        z["x0"], [-0.1732051, -1.2124356, 0.1732051, 1.2124356], rtol=0, atol=5e-8
    )


def test_minmax_by_hand_with_directions_range_and_shift():
    """Hand computation: column a = (2, 4, 10) benefit → (0, 0.25, 1); column b = (5, 1, 3)
    cost → ((5−5)/4, (5−1)/4, (5−3)/4) = (0, 1, 0.5); then onto [0.1, 0.9] and + 0.01."""
    X = pd.DataFrame({"a": [2.0, 4.0, 10.0], "b": [5.0, 1.0, 3.0]}, index=["p", "q", "r"])
    plain = normalize(X, {"a": "+", "b": "-"})
    np.testing.assert_allclose(plain.to_numpy(), [[0, 0], [0.25, 1], [1, 0.5]], atol=1e-15)
    assert list(plain.index) == ["p", "q", "r"] and list(plain.columns) == ["a", "b"]
    mapped = normalize(X, ["+", "-"], feature_range=(0.1, 0.9), shift=0.01)
    expected = 0.1 + 0.8 * np.array([[0, 0], [0.25, 1], [1, 0.5]]) + 0.01
    np.testing.assert_allclose(mapped.to_numpy(), expected, atol=1e-15)


def test_direction_spellings_are_equivalent():
    X = np.array([[1.0, 7.0], [3.0, 2.0], [2.0, 5.0]])
    ref = normalize(X, ["+", "-"])
    for spelling in (["+", "-"], [1, -1], ["1", "-1"], {"x0": "+", "x1": -1}):
        pd.testing.assert_frame_equal(normalize(X, spelling), ref)
    pd.testing.assert_frame_equal(normalize(X, "-"), normalize(X, ["-", "-"]))
    pd.testing.assert_frame_equal(normalize(X), normalize(X, ["+", "+"]))


def test_constant_column_maps_to_lower_end_plus_shift():
    """Documented convention: a constant column carries no information and maps to a + shift."""
    X = pd.DataFrame({"a": [3.0, 3.0, 3.0], "b": [1.0, 2.0, 3.0]})
    out = normalize(X, ["-", "+"], feature_range=(0.2, 1.0), shift=0.5)
    np.testing.assert_array_equal(out["a"], [0.7, 0.7, 0.7])
    assert np.isfinite(out.to_numpy()).all()


def test_vector_by_hand_cost_turned_into_benefit_first():
    """Hand computation: benefit a = (3, 4) → (3/5, 4/5); cost b = (1, 4, ...) → max − x =
    (3, 0) → (1, 0) under ``vector_cost="reverse"``; a shift is added afterwards."""
    X = pd.DataFrame({"a": [3.0, 4.0], "b": [1.0, 4.0]})
    out = normalize(X, ["+", "-"], method="vector", shift=0.25, vector_cost="reverse")
    np.testing.assert_allclose(out.to_numpy(), [[0.85, 1.25], [1.05, 0.25]], atol=1e-15)


def test_zscore_by_hand_cost_negated_sample_sd():
    """Hand computation: x = (1, 2, 3, 6): mean 3, sample SD √(14/3); cost negates."""
    X = pd.DataFrame({"a": [1.0, 2.0, 3.0, 6.0], "b": [1.0, 2.0, 3.0, 6.0]})
    out = normalize(X, ["+", "-"], method="zscore", shift=2.0)
    z = (np.array([1.0, 2.0, 3.0, 6.0]) - 3.0) / np.sqrt(14.0 / 3.0)
    np.testing.assert_allclose(out["a"], z + 2.0, atol=1e-15)
    np.testing.assert_allclose(out["b"], -z + 2.0, atol=1e-15)


def test_zscore_is_sklearn_standard_scaler_rescaled_by_ddof():
    """Oracle: scikit-learn's StandardScaler uses the population SD (ddof = 0); coordeval's
    zscore uses the sample SD (ddof = 1), so they differ by exactly √((n − 1)/n)."""
    from sklearn.preprocessing import StandardScaler

    rng = np.random.default_rng(3)
    X = rng.normal(10, 3, size=(9, 4))
    ours = normalize(X, method="zscore").to_numpy()
    theirs = StandardScaler().fit_transform(X)
    np.testing.assert_allclose(ours, theirs * np.sqrt(8 / 9), rtol=1e-12, atol=1e-12)


def test_minmax_matches_sklearn_minmaxscaler_on_benefit_columns():
    """Oracle: scikit-learn MinMaxScaler(feature_range) on benefit columns."""
    from sklearn.preprocessing import MinMaxScaler

    rng = np.random.default_rng(4)
    X = rng.uniform(-50, 50, size=(11, 5))
    ours = normalize(X, feature_range=(0.002, 1.0)).to_numpy()
    theirs = MinMaxScaler(feature_range=(0.002, 1.0)).fit_transform(X)
    np.testing.assert_allclose(ours, theirs, rtol=1e-12, atol=1e-13)


def test_minmax_and_vector_match_pymcdm_normalisations():
    """Oracle: pymcdm 1.4 ``minmax_normalization`` (benefit and cost) and
    ``vector_normalization`` (benefit; pymcdm's cost form is 1 − x/‖x‖, not coordeval's)."""
    nz = pytest.importorskip("pymcdm.normalizations")
    rng = np.random.default_rng(5)
    X = rng.uniform(1, 100, size=(7, 3))
    mm = normalize(X, ["+", "-", "+"]).to_numpy()
    for j, cost in enumerate([False, True, False]):
        np.testing.assert_allclose(mm[:, j], nz.minmax_normalization(X[:, j], cost), atol=1e-14)
    vec = normalize(X, method="vector").to_numpy()
    for j in range(3):
        np.testing.assert_allclose(vec[:, j], nz.vector_normalization(X[:, j]), atol=1e-14)


def test_minmax_with_directions_matches_skcriteria_minmaxinverter():
    """Oracle: scikit-criteria 0.10 ``MinMaxInverter`` (min-max with cost columns reversed)."""
    skc = pytest.importorskip("skcriteria")
    from skcriteria.preprocessing.invert_objectives import MinMaxInverter

    rng = np.random.default_rng(6)
    X = rng.uniform(0, 10, size=(8, 4))
    dm = skc.mkdm(X, [max, min, min, max])
    theirs = MinMaxInverter().transform(dm).matrix.to_numpy()
    ours = normalize(X, ["+", "-", "-", "+"]).to_numpy()
    np.testing.assert_allclose(ours, theirs, atol=1e-14)


def test_minmax_arrays_with_goalposts_extrapolates_linearly():
    """Fixed goalposts [0, 200] (benefit) and [10, 60] (cost): values outside map outside
    [0, 1] on the same line, e.g. 250 → 1.25 and, for the cost column, 70 → −0.2."""
    X = np.array([[50.0, 35.0], [250.0, 70.0], [-20.0, 10.0]])
    out = minmax_arrays(X, np.array([0.0, 10.0]), np.array([200.0, 60.0]), np.array([1.0, -1.0]))
    np.testing.assert_allclose(out, [[0.25, 0.5], [1.25, -0.2], [-0.1, 1.0]], atol=1e-15)
    assert not np.shares_memory(out, X)


@pytest.mark.parametrize(
    ("X", "kwargs", "error", "code"),
    [
        ([[1.0, np.nan], [2.0, 3.0]], {}, InputError, "missing_values"),
        ([[1.0, np.inf], [2.0, 3.0]], {}, InputError, "missing_values"),
        ([[1.0, 2.0], [2.0, 3.0]], {"method": "ratio"}, ConfigError, "unknown_choice"),
        ([[1.0, 2.0], [2.0, 3.0]], {"directions": ["+", "x"]}, ConfigError, "directions_invalid"),
        ([[1.0, 2.0], [2.0, 3.0]], {"directions": ["+"]}, ConfigError, "directions_count"),
        ([[1.0, 2.0], [2.0, 3.0]], {"directions": {"x0": "+"}}, ConfigError, "directions_missing"),
        ([[1.0, 2.0]], {"method": "zscore"}, InputError, "too_few_rows"),
    ],
)
def test_invalid_input_raises_the_contract_error(X, kwargs, error, code):
    with pytest.raises(error) as exc:
        normalize(X, **kwargs)
    assert isinstance(exc.value, ValueError)
    assert [p.code for p in exc.value.problems] == [code]


def test_nan_problem_names_the_column_and_row():
    X = pd.DataFrame({"gdp": [1.0, 2.0], "pm25": [np.nan, 3.0]}, index=["甲", "乙"])
    with pytest.raises(InputError) as exc:
        normalize(X)
    assert [(p.code, p.column, p.params["rows"]) for p in exc.value.problems] == [
        ("missing_values", "pm25", "甲")
    ]


@settings(max_examples=60, deadline=None)
@given(
    A=matrices(),
    a=st.floats(-5, 5),
    width=st.floats(0.01, 10),
    shift=st.floats(0, 1),
    data=st.data(),
)
def test_minmax_hits_both_ends_and_stays_inside(A, a, width, shift, data):
    assume(_spread(A))
    dirs = data.draw(st.lists(st.sampled_from("+-"), min_size=A.shape[1], max_size=A.shape[1]))
    out = normalize(A, dirs, feature_range=(a, a + width), shift=shift).to_numpy()
    tol = 1e-9 * (1 + abs(a) + width)
    assert np.all(out >= a + shift - tol) and np.all(out <= a + width + shift + tol)
    np.testing.assert_allclose(out.min(axis=0), a + shift, atol=tol)
    np.testing.assert_allclose(out.max(axis=0), a + width + shift, atol=tol)
    sign = np.where(np.array(dirs) == "+", 1.0, -1.0)
    best = np.where(sign > 0, A.argmax(axis=0), A.argmin(axis=0))
    np.testing.assert_allclose(out[best, np.arange(A.shape[1])], a + width + shift, atol=tol)


@settings(max_examples=60, deadline=None)
@given(A=matrices(), scale=st.floats(0.01, 100), offset=st.floats(-1e3, 1e3))
def test_minmax_invariant_to_positive_affine_change_of_a_column(A, scale, offset):
    assume(_spread(A))
    B = A.copy()
    B[:, 0] = scale * A[:, 0] + offset
    assume(_spread(B))
    np.testing.assert_allclose(normalize(B).to_numpy(), normalize(A).to_numpy(), atol=1e-6)


@settings(max_examples=60, deadline=None)
@given(A=matrices())
def test_cost_direction_equals_benefit_of_negated_data(A):
    assume(_spread(A))
    np.testing.assert_allclose(
        normalize(A, "-").to_numpy(), normalize(-A, "+").to_numpy(), atol=1e-12
    )


@settings(max_examples=60, deadline=None)
@given(A=matrices(min_rows=3))
def test_zscore_and_vector_moments(A):
    assume(_spread(A))
    z = normalize(A, method="zscore").to_numpy()
    np.testing.assert_allclose(z.mean(axis=0), 0.0, atol=1e-9)
    np.testing.assert_allclose(z.std(axis=0, ddof=1), 1.0, rtol=1e-9)
    v = normalize(np.abs(A) + 1.0, method="vector").to_numpy()
    np.testing.assert_allclose(np.sqrt((v**2).sum(axis=0)), 1.0, rtol=1e-12)
