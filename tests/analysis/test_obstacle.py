"""Obstacle degree model: hand case, published example, row sums, top-k, subsystem sums."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from coordeval.analysis.obstacle import obstacle_degree, subsystem_obstacle, top_obstacles
from coordeval.errors import ConfigError, DataWarning, InputError
from coordeval.kernels.obstacle import obstacle_arrays, top_k_arrays


def test_hand_computed_two_by_three():
    """Z = [[1, 0.5, 0], [0.2, 0.6, 1]], w = [0.5, 0.3, 0.2]. Row 1: F·I = [0, 0.15, 0.2],
    sum 0.35 → [0, 300/7, 400/7]. Row 2: F·I = [0.4, 0.12, 0], sum 0.52 →
    [1000/13, 300/13, 0]."""
    Z = pd.DataFrame(
        {"gdp": [1.0, 0.2], "green": [0.5, 0.6], "beds": [0.0, 1.0]}, index=["贵阳", "遵义"]
    )
    O = obstacle_degree(Z, pd.Series({"beds": 0.2, "gdp": 0.5, "green": 0.3}))
    expected = np.array([[0.0, 300 / 7, 400 / 7], [1000 / 13, 300 / 13, 0.0]])
    np.testing.assert_allclose(O.to_numpy(), expected, rtol=1e-12, atol=1e-12)
    assert list(O.columns) == ["gdp", "green", "beds"]
    assert O.index.tolist() == ["贵阳", "遵义"]
    np.testing.assert_allclose(O.sum(axis=1), 100.0)
    same = obstacle_degree(Z.to_numpy(), [0.5, 0.3, 0.2])
    np.testing.assert_allclose(same.to_numpy(), expected, rtol=1e-12)
    assert list(same.columns) == ["x1", "x2", "x3"]


MM_DATA = np.array(
    [
        [0.0162, 0.2720, 0.2655],
        [0.1782, 0.6824, 0.3721],
        [0.5490, 0.0593, 0.5729],
        [0.6730, 0.4812, 0.9082],
        [0.0207, 0.8891, 0.2017],
        [0.9875, 0.5573, 0.8984],
    ]
)


@pytest.mark.parametrize(
    ("w", "printed"),
    [
        (
            np.full(3, 1 / 3),
            [
                [0.328, 0.243, 0.245],
                [0.274, 0.106, 0.209],
                [0.150, 0.314, 0.142],
                [0.109, 0.173, 0.0306],
                [0.326, 0.0370, 0.266],
                [0.00417, 0.148, 0.0339],
            ],
        ),
        (
            np.array([0.4, 0.3, 0.3]),
            [
                [0.394, 0.218, 0.220],
                [0.329, 0.0953, 0.188],
                [0.180, 0.282, 0.128],
                [0.131, 0.156, 0.0275],
                [0.392, 0.0333, 0.239],
                [0.00500, 0.133, 0.0305],
            ],
        ),
    ],
)
def test_mathmodels_obstacle_degree_printed_output(w, printed):
    """Jingxin Zhang, R package mathmodels, reference page "system_evaluation" (GitHub
    zhjx19/mathmodels, docs/reference/system_evaluation.html): ``obstacle_degree(df)`` and
    ``obstacle_degree(df, c(0.4, 0.3, 0.3))`` (unscaled ``(1 − X)·w``), printed by tibble to
    3 significant digits. The scaled output is the same products normalised per row."""
    raw = obstacle_arrays(MM_DATA, w, scaled=False)
    rounded = np.array([[float(f"{x:.3g}") for x in row] for row in raw])
    np.testing.assert_array_equal(rounded, np.array(printed))
    pct = obstacle_degree(MM_DATA, w).to_numpy()
    np.testing.assert_allclose(pct, 100 * raw / raw.sum(axis=1, keepdims=True), rtol=1e-12)


def brute_obstacle(Z: np.ndarray, w: np.ndarray) -> np.ndarray:
    out = np.zeros_like(Z)
    for i in range(Z.shape[0]):
        fi = [w[j] * (1 - Z[i, j]) for j in range(Z.shape[1])]
        total = sum(fi)
        for j in range(Z.shape[1]):
            out[i, j] = 100 * fi[j] / total if total > 0 else 0.0
    return out


unit = st.one_of(st.just(0.0), st.just(1.0), st.floats(0.0, 1.0))


@settings(max_examples=150, deadline=None)
@given(
    st.integers(1, 8).flatmap(
        lambda m: st.tuples(
            arrays(np.float64, st.tuples(st.integers(1, 6), st.just(m)), elements=unit),
            arrays(np.float64, st.just(m), elements=st.floats(0.0, 3.0)),
        )
    )
)
def test_rows_sum_to_100_and_match_definition(case):
    Z, w = case
    if w.sum() == 0:
        w = w + 1.0
    O = obstacle_degree(Z, w).to_numpy()
    np.testing.assert_allclose(O, brute_obstacle(Z, w), rtol=1e-9, atol=1e-9)
    total = ((1 - Z) * w).sum(axis=1)
    sums = O.sum(axis=1)
    np.testing.assert_allclose(sums[total > 0], 100.0, rtol=1e-12)
    assert np.all(sums[total == 0] == 0.0)
    assert np.all((O >= 0) & (O <= 100 + 1e-9))
    assert not np.isnan(O).any()


def test_row_at_the_ideal_has_no_obstacle():
    Z = pd.DataFrame({"a": [1.0, 0.5], "b": [1.0, 1.0], "c": [0.3, 0.0]})
    O = obstacle_degree(Z, {"a": 0.5, "b": 0.5, "c": 0.0})
    assert O.iloc[0].tolist() == [0.0, 0.0, 0.0]
    assert O.iloc[1].tolist() == [100.0, 0.0, 0.0]


def test_top_obstacles_order_ties_and_index():
    idx = pd.MultiIndex.from_tuples([("贵阳", 2021), ("遵义", 2021)], names=["city", "year"])
    O = pd.DataFrame({"a": [10.0, 25.0], "b": [50.0, 25.0], "c": [40.0, 50.0]}, index=idx)
    top = top_obstacles(O, k=2)
    assert top.index.names == ["city", "year", "rank"]
    assert top.index.tolist() == [
        ("贵阳", 2021, 1),
        ("贵阳", 2021, 2),
        ("遵义", 2021, 1),
        ("遵义", 2021, 2),
    ]
    assert top["indicator"].tolist() == ["b", "c", "c", "a"]
    assert top["obstacle_pct"].tolist() == [50.0, 40.0, 50.0, 25.0]
    full = top_obstacles(O, k=10, membership={"a": "eco", "b": "eco", "c": "infra"})
    assert full.index.get_level_values("rank").tolist() == [1, 2, 3, 1, 2, 3]
    assert full["indicator"].tolist()[3:] == ["c", "a", "b"]
    assert full["subsystem"].tolist()[:3] == ["eco", "infra", "eco"]
    plain = top_obstacles(O.reset_index(drop=True), k=1)
    assert plain.index.names == ["row", "rank"]
    with pytest.raises(ConfigError):
        top_obstacles(O, k=0)


@settings(max_examples=100, deadline=None)
@given(
    arrays(
        np.float64, st.tuples(st.integers(1, 6), st.integers(1, 8)), elements=st.floats(0.0, 100.0)
    ),
    st.integers(1, 10),
)
def test_top_k_matches_sorting(O, k):
    idx, vals = top_k_arrays(O, k)
    kk = min(k, O.shape[1])
    assert idx.shape == (O.shape[0], kk)
    np.testing.assert_array_equal(vals, -np.sort(-O, axis=1)[:, :kk])
    np.testing.assert_array_equal(np.take_along_axis(O, idx, axis=1), vals)
    assert np.all(np.diff(vals, axis=1) <= 0)


def test_subsystem_sums_and_membership_forms():
    Z = pd.DataFrame(
        {"gdp": [0.2, 0.9], "pm25": [0.4, 0.1], "green": [0.7, 0.3], "roads": [0.0, 0.5]}
    )
    w = pd.Series({"gdp": 0.3, "pm25": 0.2, "green": 0.25, "roads": 0.25})
    by_ind = {"gdp": "industry", "pm25": "ecology", "green": "ecology", "roads": "infra"}
    O = obstacle_degree(Z, w)
    S = subsystem_obstacle(O, by_ind)
    assert list(S.columns) == ["industry", "ecology", "infra"]
    brute = {s: sum(O[i] for i, sub in by_ind.items() if sub == s) for s in S.columns}
    for s in S.columns:
        np.testing.assert_allclose(S[s], brute[s], rtol=1e-12)
    np.testing.assert_allclose(S.sum(axis=1), 100.0)
    by_sub = {"industry": ["gdp"], "ecology": ["pm25", "green"], "infra": ["roads", "unused"]}
    pd.testing.assert_frame_equal(subsystem_obstacle(O, by_sub), S)
    pd.testing.assert_frame_equal(subsystem_obstacle(O, pd.Series(by_ind)), S)
    grouped = obstacle_degree(Z, w, membership=by_ind)
    assert list(grouped.columns) == ["gdp", "pm25", "green", "roads"]
    regrouped = obstacle_degree(Z, w, membership={"a": ["roads", "gdp"], "b": ["pm25", "green"]})
    assert list(regrouped.columns) == ["gdp", "roads", "pm25", "green"]
    pd.testing.assert_frame_equal(regrouped[O.columns], O)


def test_membership_errors():
    O = pd.DataFrame({"a": [50.0], "b": [50.0]})
    with pytest.raises(ConfigError) as info:
        subsystem_obstacle(O, {"a": "x"})
    assert (info.value.code, info.value.params) == ("membership_missing", {"missing": "['b']"})
    with pytest.raises(ConfigError) as info:
        subsystem_obstacle(O, {"x": ["a", "b"], "y": ["b"]})
    assert info.value.code == "membership_twice"
    assert info.value.params == {"indicator": "'b'", "first": "'x'", "second": "'y'"}
    with pytest.raises(ConfigError):
        subsystem_obstacle(O, ["a", "b"])


@pytest.mark.parametrize(
    ("weights", "match"),
    [
        ({"a": 0.5}, "no weight"),
        ({"a": 0.5, "b": 0.5, "z": 0.1}, "unknown"),
        ([0.5], "1 weights"),
        ([-0.5, 1.5], "non-negative"),
        (None, "needs indicator weights"),
    ],
)
def test_weight_errors(weights, match):
    Z = pd.DataFrame({"a": [0.2], "b": [0.4]})
    with pytest.raises(ConfigError, match=match):
        obstacle_degree(Z, weights)


def test_value_policy():
    Z = pd.DataFrame({"a": [0.2, 1.0001], "b": [0.4, 0.5]})
    with pytest.raises(InputError, match="outside"):
        obstacle_degree(Z, [0.5, 0.5])
    with pytest.warns(DataWarning, match="clipped 1 cell"):
        O = obstacle_degree(Z, [0.5, 0.5], on_invalid="clip")
    assert O.iloc[1].tolist() == [0.0, 100.0]
    with pytest.raises(InputError, match="missing"):
        obstacle_degree(pd.DataFrame({"a": [np.nan], "b": [0.4]}), [0.5, 0.5])


def test_kernel_shape_errors():
    with pytest.raises(ValueError, match="2-D"):
        obstacle_arrays(np.zeros(3), np.ones(3))
    with pytest.raises(ValueError, match="weights"):
        obstacle_arrays(np.zeros((2, 3)), np.ones(2))
    with pytest.raises(ValueError, match="at least 1"):
        top_k_arrays(np.zeros((2, 3)), 0)
