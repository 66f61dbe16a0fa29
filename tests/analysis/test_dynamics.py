"""Markov chains against giddy (test-only oracle) and its published docstring examples.

References reproduced: giddy 2.3 ``Spatial_Markov(rpci, w, fixed=True, k=5, m=5)`` on the US
state incomes 1929–2009 (``usjoin.csv``, ``states48.gal``; docstring: LR 170.659, Q 200.624,
dof 60); ``giddy.ergodic.mfpt`` docstring example (Kemeny & Snell's Land of Oz chain:
first passage times [[2.5, 4, 3.333], [2.667, 5, 2.667], [3.333, 4, 2.5]]).
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from coordeval.analysis.dynamics import NO_OBS, markov_chain, spatial_markov
from coordeval.analysis.spatial import SpatialWeights
from coordeval.errors import InputError
from coordeval.kernels import markov as K

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    import libpysal
    from giddy.markov import Markov, Spatial_Markov


@pytest.fixture(scope="module")
def usjoin() -> tuple[pd.Series, SpatialWeights, np.ndarray, object]:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        f = libpysal.io.open(libpysal.examples.get_path("usjoin.csv"))
        pci = np.array([f.by_col[str(y)] for y in range(1929, 2010)]).T
        f.close()
        g = libpysal.io.open(libpysal.examples.get_path("states48.gal"))
        w = g.read()
        g.close()
        w.transform = "r"
    rpci = pci / pci.mean(axis=0)
    idx = pd.MultiIndex.from_product([range(48), range(1929, 2010)], names=["city", "year"])
    A = (w.full()[0] > 0).astype(float)
    raw = pd.DataFrame(A, index=range(48), columns=range(48))
    W = SpatialWeights(
        W=raw.div(raw.sum(axis=1), axis=0),
        raw=raw,
        method="gal",
        row_standardized=True,
        binary=True,
    )
    return pd.Series(rpci.ravel(), index=idx), W, rpci, w


def test_spatial_markov_matches_giddy(usjoin) -> None:
    s, W, rpci, w = usjoin
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        sm = Spatial_Markov(rpci, w, fixed=True, k=5, m=5)
    r = spatial_markov(s, W, k=5)
    P = r.probabilities.drop(columns=["n", "status"]).to_numpy().reshape(5, 5, 5)
    np.testing.assert_allclose(P, sm.P, atol=1e-12)
    lr, q = r.homogeneity.iloc[0], r.homogeneity.iloc[1]
    assert lr["statistic"] == pytest.approx(170.659, abs=1e-3)  # giddy docstring
    assert q["statistic"] == pytest.approx(200.624, abs=1e-3)
    assert lr["statistic"] == pytest.approx(sm.LR, rel=1e-12)
    assert q["statistic"] == pytest.approx(sm.Q, rel=1e-12)
    assert int(lr["dof"]) == sm.dof_hom == 60
    assert lr["p"] == pytest.approx(sm.LR_p_value, rel=1e-4)


def test_markov_matches_giddy(usjoin) -> None:
    s, _, rpci, _ = usjoin
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        import mapclassify

        cuts = mapclassify.Quantiles(rpci.ravel(), k=5).bins
        m = Markov(np.searchsorted(cuts, rpci))
    r = markov_chain(s, k=5)
    np.testing.assert_array_equal(r.counts.to_numpy(), m.transitions)
    np.testing.assert_allclose(r.steady_state["steady_state"], m.steady_state, atol=1e-12)
    from giddy.ergodic import mfpt

    np.testing.assert_allclose(r.first_passage.to_numpy(), mfpt(m.p), rtol=1e-9)


def test_mfpt_land_of_oz() -> None:
    P = np.array([[0.5, 0.25, 0.25], [0.5, 0, 0.5], [0.25, 0.25, 0.5]])
    expected = [[2.5, 4.0, 10 / 3], [8 / 3, 5.0, 8 / 3], [10 / 3, 4.0, 2.5]]
    np.testing.assert_allclose(K.mean_first_passage(P), expected, rtol=1e-12)
    np.testing.assert_allclose(K.steady_state(P), [0.4, 0.2, 0.4], atol=1e-12)


def test_empty_class_is_reported_not_zero() -> None:
    idx = pd.MultiIndex.from_product([list("abcd"), [2019, 2020, 2021]], names=["city", "year"])
    grades = pd.Series([1, 2, 2, 1, 1, 2, 4, 4, 5, 5, 4, 4], index=idx, dtype=float)
    r = markov_chain(grades, classes="given", labels=["g1", "g2", "g3", "g4", "g5"])
    p = r.probabilities
    assert p.loc["g3", "status"] == NO_OBS and p.loc["g3", ["g1", "g2"]].isna().all()
    assert p.loc["g1", "status"] == "ok"
    assert r.steady_state.empty and any("not ergodic" in n[1] for n in r.notes)
    assert r.classes.set_index("class").loc["g3", "observations"] == 0
    moves = r.moves.iloc[0]
    assert moves["up"] + moves["stay"] + moves["down"] == pytest.approx(1.0)
    with pytest.raises(InputError) as info:
        markov_chain(grades.replace(5.0, 7.0), classes="given", labels=["a", "b", "c", "d", "e"])
    assert {p.code for p in info.value.problems} == {"class_code_outside"}


def test_quantile_ties_are_a_stated_fallback() -> None:
    idx = pd.MultiIndex.from_product([list("abcdef"), [1, 2]], names=["city", "year"])
    x = pd.Series([0.0] * 10 + [1.0, 2.0], index=idx)
    r = markov_chain(x, k=4)
    assert len(r.classes) < 4 and any("instead of 4" in n[1] for n in r.notes)


@settings(max_examples=25, deadline=None)
@given(
    st.integers(min_value=3, max_value=12),
    st.integers(min_value=2, max_value=8),
    st.integers(min_value=2, max_value=5),
    st.integers(min_value=0, max_value=10_000),
)
def test_rows_sum_to_one(n: int, T: int, k: int, seed: int) -> None:
    """Every observed row of P sums to 1; unobserved rows are empty, never zero."""
    C = np.random.default_rng(seed).integers(0, k, size=(n, T))
    F = K.transition_counts(C, k)
    P = K.probabilities(F)
    seen = F.sum(axis=1) > 0
    np.testing.assert_allclose(P[seen].sum(axis=1), 1.0)
    assert np.isnan(P[~seen]).all()
    assert F.sum() == n * (T - 1)


def test_per_year_quantiles_and_user_cutoffs() -> None:
    idx = pd.MultiIndex.from_product([list("abcd"), [2019, 2020]], names=["city", "year"])
    # every city doubles: per-year ranks do not change, pooled classes move up
    x = pd.Series([1.0, 2.0, 2.0, 4.0, 3.0, 6.0, 4.0, 8.0], index=idx)
    per_year = markov_chain(x, k=2, pooled=False)
    assert per_year.moves.iloc[0]["stay"] == 1.0
    assert any("each year" in n[1] for n in per_year.notes)
    cut = markov_chain(x, classes=[2.5, 5.0])
    assert list(cut.classes["class"]) == ["C1", "C2", "C3"]
    assert cut.counts.to_numpy().sum() == 4 and cut.moves.iloc[0]["up"] == 0.75
