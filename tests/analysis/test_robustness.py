"""Weight robustness: Dirichlet perturbations, vectorised re-scoring, rank stability, Spearman."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.stats import spearmanr

from coordeval.analysis.robustness import dirichlet_weight_draws, weight_robustness
from coordeval.errors import ConfigError, InputError


def _panel(n_cities: int = 8, n_years: int = 4, k: int = 6, seed: int = 0):
    rng = np.random.default_rng(seed)
    idx = pd.MultiIndex.from_product(
        [[f"c{i}" for i in range(n_cities)], range(2018, 2018 + n_years)], names=["city", "year"]
    )
    cols = [f"x{j}" for j in range(k)]
    Z = pd.DataFrame(rng.uniform(size=(len(idx), k)), index=idx, columns=cols)
    w = pd.Series(rng.dirichlet(np.ones(k)), index=cols)
    return Z, w


def test_seeded_runs_are_identical_and_seeds_differ():
    Z, w = _panel()
    a = weight_robustness(Z, w, n_draws=200, seed=5)
    b = weight_robustness(Z, w, n_draws=200, seed=5)
    c = weight_robustness(Z, w, n_draws=200, seed=6)
    pd.testing.assert_frame_equal(a.weight_draws, b.weight_draws)
    pd.testing.assert_frame_equal(a.ranks, b.ranks)
    pd.testing.assert_frame_equal(a.spearman, b.spearman)
    assert not np.allclose(a.weight_draws.to_numpy(), c.weight_draws.to_numpy())


def test_huge_concentration_gives_full_rank_stability():
    """As c → ∞ the Dirichlet draws collapse on the base weights: every draw reproduces the
    base ranking (stability 1, Spearman 1, min = max = base rank)."""
    Z, w = _panel()
    r = weight_robustness(Z, w, n_draws=100, concentration=1e13)
    np.testing.assert_allclose(
        r.weight_draws.to_numpy(), np.tile(w.to_numpy(), (100, 1)), atol=1e-5
    )
    assert (r.ranks["rank_stability"] == 1.0).all()
    assert (r.ranks["min_rank"] == r.ranks["base_rank"]).all()
    assert (r.ranks["max_rank"] == r.ranks["base_rank"]).all()
    np.testing.assert_allclose(r.spearman.to_numpy(), 1.0)
    np.testing.assert_allclose(r.summary["spearman_p05"], 1.0)


def test_matrix_product_equals_a_loop_over_draws():
    """Oracle: scores and ranks recomputed draw by draw with pandas (groupby-year rank,
    descending, ties → minimum) and Spearman with scipy.stats.spearmanr."""
    Z, w = _panel(n_cities=7, n_years=3, k=5, seed=3)
    r = weight_robustness(Z, w, n_draws=6, concentration=20.0, seed=1, return_scores=True)
    W = r.weight_draws.to_numpy()
    ranks = []
    for d in range(6):
        s = pd.Series(Z.to_numpy() @ W[d], index=Z.index)
        np.testing.assert_allclose(r.scores[d].to_numpy(), s.to_numpy(), rtol=1e-14)
        ranks.append(s.groupby(level="year").rank(ascending=False, method="min"))
    R = pd.concat(ranks, axis=1).to_numpy()
    base = pd.Series(Z.to_numpy() @ w.to_numpy(), index=Z.index)
    r0 = base.groupby(level="year").rank(ascending=False, method="min").to_numpy()
    np.testing.assert_array_equal(r.ranks["base_rank"], r0)
    np.testing.assert_array_equal(r.ranks["min_rank"], R.min(axis=1))
    np.testing.assert_array_equal(r.ranks["max_rank"], R.max(axis=1))
    np.testing.assert_allclose(r.ranks["mean_rank"], R.mean(axis=1))
    np.testing.assert_allclose(r.ranks["rank_stability"], (R == r0[:, None]).mean(axis=1))
    np.testing.assert_allclose(r.ranks["score"], base.to_numpy())
    years = Z.index.get_level_values("year")
    for year in (2018, 2020):
        rows = years == year
        for d in range(6):
            expected = spearmanr(base[rows], Z.to_numpy()[rows] @ W[d]).statistic
            assert r.spearman.loc[d, year] == pytest.approx(expected, abs=1e-12)
    assert r.summary.loc[2019, "spearman_mean"] == pytest.approx(r.spearman[2019].mean())
    assert r.summary.loc[2019, "spearman_p05"] == pytest.approx(np.percentile(r.spearman[2019], 5))
    assert (r.summary["n_units"] == 7).all()


def test_dirichlet_moments():
    """Dirichlet(c·w): E[w*] = w and Var(w*_j) = w_j(1 − w_j)/(c + 1) (Monte Carlo, 40,000
    draws, seeded; tolerance ≈ 5 standard errors)."""
    w = np.array([0.5, 0.3, 0.15, 0.05])
    c = 50.0
    W = dirichlet_weight_draws(w, 40_000, c, np.random.default_rng(9))
    var = w * (1 - w) / (c + 1)
    assert np.all(np.abs(W.mean(axis=0) - w) < 5 * np.sqrt(var / 40_000))
    np.testing.assert_allclose(W.var(axis=0), var, rtol=0.05)


def test_subsystem_level_keeps_within_shares_and_both_perturbs_them():
    w = np.array([0.2, 0.2, 0.1, 0.3, 0.2, 0.0])
    groups = np.array([0, 0, 1, 1, 2, 2])
    rng = np.random.default_rng(2)
    W = dirichlet_weight_draws(w, 500, 30.0, rng, groups, level="subsystem")
    totals = np.stack([W[:, groups == g].sum(axis=1) for g in range(3)], axis=1)
    shares = W / totals[:, groups]
    np.testing.assert_allclose(shares, np.tile([0.5, 0.5, 0.25, 0.75, 1.0, 0.0], (500, 1)))
    assert totals.std(axis=0).min() > 0.01
    W2 = dirichlet_weight_draws(w, 20_000, 30.0, rng, groups, level="both")
    totals2 = np.stack([W2[:, groups == g].sum(axis=1) for g in range(3)], axis=1)
    np.testing.assert_allclose(totals2.mean(axis=0), [0.4, 0.4, 0.2], atol=0.005)
    np.testing.assert_allclose(W2.mean(axis=0), w, atol=0.005)
    assert (W2[:, 0] / totals2[:, 0]).std() > 0.01
    assert (W2[:, 5] == 0).all()


@settings(max_examples=40, deadline=None)
@given(
    raw=st.lists(st.floats(0.0, 1.0), min_size=2, max_size=9).filter(lambda v: sum(v) > 0.01),
    c=st.floats(0.5, 1e4),
    level=st.sampled_from(["indicator", "subsystem", "both"]),
)
def test_draws_are_weight_vectors(raw, c, level):
    w = np.asarray(raw)
    groups = np.arange(w.size) % 3
    W = dirichlet_weight_draws(w, 50, c, np.random.default_rng(0), groups, level=level)
    assert W.shape == (50, w.size)
    assert np.all(W >= 0)
    np.testing.assert_allclose(W.sum(axis=1), 1.0, rtol=1e-12)
    assert np.all(W[:, w == 0] == 0)


def test_groups_default_to_both_levels_and_cross_sections_rank_all_rows():
    Z, w = _panel()
    groups = {c: ("a" if i < 3 else "b") for i, c in enumerate(Z.columns)}
    r = weight_robustness(Z, w, n_draws=50, groups=groups)
    assert r.level == "both"
    cross = Z.xs(2019, level="year")
    rc = weight_robustness(cross, w, n_draws=50)
    assert list(rc.spearman.columns) == ["all"]
    assert sorted(rc.ranks["base_rank"]) == list(range(1, 9))


def test_guards():
    Z, w = _panel()
    with pytest.raises(ConfigError) as config:
        weight_robustness(Z, w.drop("x0"))
    assert (config.value.code, config.value.params["missing"]) == ("weights_missing", ["x0"])
    Zn = Z.copy()
    Zn.iloc[2, 1] = np.nan
    with pytest.raises(InputError) as info:
        weight_robustness(Zn, w)
    ((code, column, rows),) = [(p.code, p.column, p.params["rows"]) for p in info.value.problems]
    assert (code, column, rows) == ("missing_values", Z.columns[1], str(Z.index[2]))
    with pytest.raises(InputError, match="cannot rank") as info:
        weight_robustness(Z.iloc[:5], w)
    assert {p.code for p in info.value.problems} == {"too_few_units_to_rank"}
    with pytest.raises(InputError, match="cannot rank") as info:
        weight_robustness(Z * 0.0, w)
    assert {p.code for p in info.value.problems} == {"equal_base_scores"}
    with pytest.raises(InputError) as info:
        weight_robustness(Z, w, level="subsystem")
    assert {p.code for p in info.value.problems} == {"level_needs_groups"}
    with pytest.raises(ValueError, match="concentration"):
        weight_robustness(Z, w, concentration=0.0)
    with pytest.raises(ValueError, match="n_draws"):
        weight_robustness(Z, w, n_draws=0)
