"""TOPSIS: published examples, pymcdm oracle, hand-computed cases, properties, edge cases."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from coordeval import ConfigError, InputError, topsis
from coordeval.kernels.topsis import rank_desc, topsis_arrays

values = st.floats(0.1, 1e3, allow_nan=False, allow_infinity=False)


def problems(min_rows: int = 2, max_rows: int = 9, max_cols: int = 5):
    """(X, weights, directions) with every column varying."""

    @st.composite
    def build(draw):
        n = draw(st.integers(min_rows, max_rows))
        m = draw(st.integers(1, max_cols))
        X = draw(arrays(np.float64, (n, m), elements=values))
        w = draw(arrays(np.float64, (m,), elements=st.floats(0.01, 1.0)))
        dirs = draw(st.lists(st.sampled_from("+-"), min_size=m, max_size=m))
        return X, w, dirs

    return build()


def _varies(X: np.ndarray) -> bool:
    span = X.max(axis=0) - X.min(axis=0)
    return bool(np.all(span > 1e-3 * np.abs(X).max(axis=0)))


def test_mathmodels_topsis_printed_output():
    """Jingxin Zhang, R package mathmodels, reference page "TOPSIS Method for Multi-Criteria
    Decision Making" (GitHub zhjx19/mathmodels, docs/reference/topsis.md):
    ``topsis(A, w = c(0.6, 0.4), index = c("+", "-"))`` prints 0.0000000 1.0000000 0.3111391.
    Convention (R/topsis.R): L2 normalisation of the raw columns, weights multiplied into the
    matrix, the ideal of a cost column is its minimum — coordeval's ``normalize="vector"``,
    ``weights_in="matrix"``."""
    A = pd.DataFrame({"X1": [2.0, 5.0, 3.0], "X2": [8.0, 1.0, 6.0]})
    out = topsis(A, [0.6, 0.4], ["+", "-"], normalize="vector", weights_in="matrix")
    np.testing.assert_allclose(out["closeness"], [0.0, 1.0, 0.3111391], rtol=0, atol=5e-8)
    assert list(out["rank"]) == [3, 1, 2]


def test_papathanasiou_ploskas_2018_vector_topsis():
    """Papathanasiou, J., Ploskas, N. (2018). TOPSIS. In: Multiple Criteria Decision Aid,
    Springer Optimization and Its Applications 136, pp. 1–30. Matrix, weights and closeness
    (0.387, 0.327, 0.391, 0.615, 0.868, 0.493), ranks (5, 6, 4, 2, 1, 3) as transcribed in
    GitHub energyinpython/distance-metrics-for-mcda, tests/test_mcda_methods.py (not read in
    the book itself). Convention: vector normalisation, weights in the matrix, all benefit."""
    X = [[8, 7, 2, 1], [5, 3, 7, 5], [7, 5, 6, 4], [9, 9, 7, 3], [11, 10, 3, 7], [6, 9, 5, 4]]
    out = topsis(X, [0.4, 0.3, 0.1, 0.2], "+", normalize="vector")
    np.testing.assert_allclose(
        out["closeness"], [0.387, 0.327, 0.391, 0.615, 0.868, 0.493], rtol=0, atol=5e-4
    )
    assert list(out["rank"]) == [5, 6, 4, 2, 1, 3]


def test_pymcdm_docstring_example_minmax_topsis():
    """Shekhovtsov, A., pymcdm 1.4, ``pymcdm.methods.TOPSIS`` docstring example: matrix
    ((1, 3000), (2, 3750), (5, 4500)), weights (0.5, 0.5), types (−1, 1) prints
    [0.500, 0.617, 0.500]. Convention: min-max normalisation with directions, weights in the
    matrix — coordeval's ``normalize="minmax"``."""
    X = np.array([[1, 2, 5], [3000, 3750, 4500]]).T
    out = topsis(X, [0.5, 0.5], ["-", "+"], normalize="minmax")
    np.testing.assert_allclose(out["closeness"], [0.500, 0.617, 0.500], rtol=0, atol=5e-4)
    assert list(out["rank"]) == [2, 1, 2]


def test_vector_topsis_by_hand():
    """X = ((3, 1), (4, 2)), w = (0.5, 0.5), benefit, cost. r = ((0.6, 1/√5), (0.8, 2/√5));
    v = r/2; ideal = (0.4, 1/(2√5)), anti = (0.3, 1/√5); row 1: D+ = 0.1, D− = 1/(2√5),
    C = D−/(D+ + D−); row 2 is the mirror image."""
    out = topsis([[3.0, 1.0], [4.0, 2.0]], [1, 1], ["+", "-"])
    a = 1 / (2 * math.sqrt(5))
    np.testing.assert_allclose(out["d_plus"], [0.1, a], atol=1e-15)
    np.testing.assert_allclose(out["d_minus"], [a, 0.1], atol=1e-15)
    np.testing.assert_allclose(out["closeness"], [a / (0.1 + a), 0.1 / (0.1 + a)], atol=1e-15)


def test_weights_in_distance_versus_matrix_by_hand():
    """Already-normalised Z = ((0, 1), (1, 0), (0.5, 0.5)), w = (0.8, 0.2), no normalisation.
    matrix: D+ of row 3 = √((0.8·0.5)² + (0.2·0.5)²) = √0.17;
    distance: D+ of row 3 = √(0.8·0.25 + 0.2·0.25) = 0.5. Row 1: matrix D+ = 0.8,
    distance D+ = √0.8."""
    Z = [[0.0, 1.0], [1.0, 0.0], [0.5, 0.5]]
    mat = topsis(Z, [0.8, 0.2], normalize=None, weights_in="matrix")
    dist = topsis(Z, [0.8, 0.2], normalize=None, weights_in="distance")
    np.testing.assert_allclose(mat["d_plus"], [0.8, 0.2, math.sqrt(0.17)], atol=1e-15)
    np.testing.assert_allclose(mat["d_minus"], [0.2, 0.8, math.sqrt(0.17)], atol=1e-15)
    np.testing.assert_allclose(dist["d_plus"], [math.sqrt(0.8), math.sqrt(0.2), 0.5], atol=1e-15)
    np.testing.assert_allclose(mat["closeness"], [0.2, 0.8, 0.5], atol=1e-15)
    cd = math.sqrt(0.2) / (math.sqrt(0.8) + math.sqrt(0.2))
    np.testing.assert_allclose(dist["closeness"], [cd, 1 - cd, 0.5], atol=1e-15)


def test_weights_in_distance_equals_matrix_with_square_root_weights():
    """Identity: Σ w (r − r*)² = Σ (√w (r − r*))², so 'distance' with w has the closeness of
    'matrix' with √w (distances differ by the common factor of renormalising √w)."""
    rng = np.random.default_rng(20)
    X = rng.uniform(1, 10, size=(8, 4))
    w = np.array([0.1, 0.2, 0.3, 0.4])
    dist = topsis(X, w, ["+", "-", "+", "-"], weights_in="distance")
    mat = topsis(X, np.sqrt(w), ["+", "-", "+", "-"], weights_in="matrix")
    np.testing.assert_allclose(dist["closeness"], mat["closeness"], rtol=1e-12)
    np.testing.assert_allclose(dist["d_plus"] / mat["d_plus"], np.sqrt(w).sum(), rtol=1e-12)


def test_normalize_none_uses_column_extremes_with_directions():
    """With ``normalize=None`` (SPSSAU's TOPSIS, data already normalised) the ideal is the
    column max for benefit and the column min for cost columns."""
    Z = np.array([[0.2, 0.9], [0.6, 0.1], [1.0, 0.5]])
    out = topsis(Z, [0.5, 0.5], ["+", "-"], normalize=None)
    v = Z * 0.5
    dp = np.sqrt((v[:, 0] - 0.5) ** 2 + (v[:, 1] - 0.05) ** 2)
    dm = np.sqrt((v[:, 0] - 0.1) ** 2 + (v[:, 1] - 0.45) ** 2)
    np.testing.assert_allclose(out["d_plus"], dp, atol=1e-15)
    np.testing.assert_allclose(out["d_minus"], dm, atol=1e-15)


def test_weights_are_renormalised_and_labels_kept():
    X = pd.DataFrame({"a": [1.0, 4.0, 2.0], "b": [3.0, 1.0, 2.0]}, index=["渝", "蓉", "筑"])
    a = topsis(X, {"b": 3.0, "a": 1.0}, {"a": "+", "b": "-"})
    b = topsis(X, [0.25, 0.75], ["+", "-"])
    pd.testing.assert_frame_equal(a, b)
    assert list(a.index) == ["渝", "蓉", "筑"]
    assert list(a.columns) == ["d_plus", "d_minus", "closeness", "rank"]


def test_ties_share_the_smallest_rank_and_all_constant_gives_one_half():
    np.testing.assert_array_equal(rank_desc(np.array([0.2, 0.9, 0.2, 0.5])), [3, 1, 3, 2])
    flat = topsis([[2.0, 5.0], [2.0, 5.0], [2.0, 5.0]])
    np.testing.assert_array_equal(flat["closeness"], [0.5, 0.5, 0.5])
    np.testing.assert_array_equal(flat["rank"], [1, 1, 1])


def test_constant_column_does_not_move_closeness():
    X = np.array([[1.0, 7.0], [3.0, 7.0], [2.0, 7.0]])
    for norm in ("vector", "minmax", None):
        both = topsis(X, [0.5, 0.5], normalize=norm)["closeness"]
        alone = topsis(X[:, :1], normalize=norm)["closeness"]
        np.testing.assert_allclose(both, alone, atol=1e-15)


def test_topsis_arrays_rejects_unknown_weights_in():
    z = np.zeros((2, 1))
    with pytest.raises(ConfigError) as exc:
        topsis_arrays(z, np.ones(1), np.ones(1), np.zeros(1), weights_in="both")
    assert exc.value.params["name"] == "weights_in"


@pytest.mark.parametrize(
    ("args", "kwargs", "error", "code"),
    [
        (([[1.0, np.nan], [2.0, 3.0]],), {}, InputError, "missing_values"),
        (([[1.0, 2.0], [2.0, 3.0]],), {"normalize": "sum"}, ConfigError, "unknown_choice"),
        (([[1.0, 2.0], [2.0, 3.0]],), {"weights_in": "both"}, ConfigError, "unknown_choice"),
        (([[1.0, 2.0], [2.0, 3.0]], [1.0, -1.0]), {}, ConfigError, "weights_invalid"),
        (([[1.0, 2.0], [2.0, 3.0]], [0.0, 0.0]), {}, ConfigError, "weights_all_zero"),
        (([[1.0, 2.0], [2.0, 3.0]], [1.0]), {}, ConfigError, "weights_count"),
        (([[1.0, 2.0], [2.0, 3.0]], None, ["+", "?"]), {}, ConfigError, "directions_invalid"),
    ],
)
def test_invalid_input_raises_the_contract_error(args, kwargs, error, code):
    with pytest.raises(error) as exc:
        topsis(*args, **kwargs)
    assert isinstance(exc.value, ValueError)
    assert [p.code for p in exc.value.problems] == [code]


def test_equals_pymcdm_minmax_and_vector_topsis():
    """Oracle: pymcdm 1.4 ``TOPSIS()`` (default min-max normalisation, weights multiplied into
    the matrix) and ``TOPSIS(vector_normalization)`` (pymcdm's cost form 1 − x/‖x‖ with a max
    ideal gives the same distances as coordeval's x/‖x‖ with a min ideal)."""
    pytest.importorskip("pymcdm")
    from pymcdm.methods import TOPSIS
    from pymcdm.normalizations import vector_normalization

    rng = np.random.default_rng(21)
    X = rng.uniform(1, 100, size=(12, 5))
    w = rng.uniform(0.05, 1, size=5)
    w /= w.sum()
    dirs = ["+", "-", "+", "-", "-"]
    types = np.array([1 if d == "+" else -1 for d in dirs])
    mm = topsis(X, w, dirs, normalize="minmax")["closeness"].to_numpy()
    np.testing.assert_allclose(mm, TOPSIS()(X, w, types), rtol=1e-12)
    vec = topsis(X, w, dirs, normalize="vector")["closeness"].to_numpy()
    np.testing.assert_allclose(vec, TOPSIS(vector_normalization)(X, w, types), rtol=1e-12)


@pytest.mark.filterwarnings("ignore:Alternatives with indices:UserWarning")
@settings(max_examples=60, deadline=None)
@given(p=problems())
def test_pymcdm_agrees_on_random_problems(p):
    pytest.importorskip("pymcdm")
    from pymcdm.methods import TOPSIS
    from pymcdm.normalizations import vector_normalization

    X, w, dirs = p
    assume(_varies(X))
    wn = w / w.sum()
    types = np.array([1 if d == "+" else -1 for d in dirs])
    np.testing.assert_allclose(
        topsis(X, w, dirs, normalize="minmax")["closeness"], TOPSIS()(X, wn, types), atol=1e-10
    )
    np.testing.assert_allclose(
        topsis(X, w, dirs)["closeness"], TOPSIS(vector_normalization)(X, wn, types), atol=1e-10
    )


@settings(max_examples=60, deadline=None)
@given(
    p=problems(),
    norm=st.sampled_from(["vector", "minmax", None]),
    wi=st.sampled_from(["matrix", "distance"]),
    data=st.data(),
)
def test_closeness_in_unit_interval_and_row_permutation_invariant(p, norm, wi, data):
    X, w, dirs = p
    out = topsis(X, w, dirs, normalize=norm, weights_in=wi)
    c = out["closeness"].to_numpy()
    assert np.all(np.isfinite(out[["d_plus", "d_minus", "closeness"]].to_numpy()))
    assert np.all((c >= 0) & (c <= 1))
    perm = list(data.draw(st.permutations(range(X.shape[0]))))
    moved = topsis(X[perm], w, dirs, normalize=norm, weights_in=wi)["closeness"].to_numpy()
    np.testing.assert_allclose(moved, c[perm], rtol=1e-12, atol=1e-14)
    r = out["rank"].to_numpy()
    assert r.min() == 1
    for i in range(len(c)):
        assert r[i] == 1 + int(np.sum(c > c[i]))


@settings(max_examples=40, deadline=None)
@given(p=problems(), k=st.floats(0.01, 100), norm=st.sampled_from(["vector", "minmax"]))
def test_closeness_invariant_to_positive_scaling_of_a_column(p, k, norm):
    X, w, dirs = p
    Y = X.copy()
    Y[:, 0] *= k
    np.testing.assert_allclose(
        topsis(Y, w, dirs, normalize=norm)["closeness"],
        topsis(X, w, dirs, normalize=norm)["closeness"],
        atol=1e-9,
    )
