"""The four synergy relations: within/across cities × within/across subsystems."""

from __future__ import annotations

import itertools
import math

import numpy as np
import pandas as pd
import pytest
import statsmodels.formula.api as smf
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from coordeval.analysis.synergy import (
    RELATIONS,
    inter_heterogeneity,
    inter_homogeneity,
    intra_heterogeneity,
    intra_homogeneity,
    spatial_lag,
    spatial_weights,
    spillover_arrays,
    synergy_relations,
)
from coordeval.errors import ConfigError, InputError, MethodWarning
from coordeval.kernels.coupling import coupling_arrays

MEMBERSHIP = {
    "gdp": "industry",
    "tertiary": "industry",
    "labour": "industry",
    "green": "ecology",
    "pm25": "ecology",
    "roads": "infrastructure",
    "broadband": "infrastructure",
}


def _panel(n_cities: int = 12, n_years: int = 6, seed: int = 0):
    rng = np.random.default_rng(seed)
    cities = [f"c{i:02d}" for i in range(n_cities)]
    idx = pd.MultiIndex.from_product([cities, range(2015, 2015 + n_years)], names=["city", "year"])
    Z = pd.DataFrame(
        rng.uniform(0.05, 1.0, size=(len(idx), 7)), index=idx, columns=list(MEMBERSHIP)
    )
    U = pd.DataFrame(
        {
            sub: Z[[c for c, s in MEMBERSHIP.items() if s == sub]].mean(axis=1)
            for sub in ("industry", "ecology", "infrastructure")
        }
    )
    return Z, U


def _wang2021_by_definition(u: list[float]) -> float:
    """王淑佳 et al. (2021, 自然资源学报 36(3):793-810) corrected coupling degree, written out:
    C = √{[1 − Σ_{i>j}|u_i − u_j| / Σ_{m=1}^{n−1} m] · (Π_i u_i / max u)^{1/(n−1)}}."""
    n = len(u)
    gaps = sum(abs(a - b) for a, b in itertools.combinations(u, 2))
    pairs = sum(range(1, n))
    prod = 1.0
    for v in u:
        prod *= v / max(u)
    return math.sqrt((1 - gaps / pairs) * prod ** (1 / (n - 1)))


def test_relation1_equals_the_kernel_applied_by_hand():
    Z, _ = _panel()
    C = intra_homogeneity(Z, MEMBERSHIP)
    assert list(C.columns) == ["industry", "ecology", "infrastructure"]
    for sub in C.columns:
        cols = [c for c, s in MEMBERSHIP.items() if s == sub]
        by_hand, _, _ = coupling_arrays(Z[cols].to_numpy(), model="wang2021")
        np.testing.assert_array_equal(C[sub].to_numpy(), by_hand)
    row = Z.iloc[7]
    expected = _wang2021_by_definition([row["gdp"], row["tertiary"], row["labour"]])
    assert C["industry"].iloc[7] == pytest.approx(expected, rel=1e-12)
    equal = Z.copy()
    equal[["gdp", "tertiary", "labour"]] = 0.4
    assert (intra_homogeneity(equal, MEMBERSHIP)["industry"] == 1.0).all()


def test_relation1_guards_and_single_indicator_subsystems():
    Z, _ = _panel()
    with pytest.warns(MethodWarning) as caught:
        C = intra_homogeneity(Z, {**MEMBERSHIP, "pm25": "markets"})
    assert [w.message.code for w in caught] == ["single_indicator_subsystem"]
    assert "markets" not in C.columns and "ecology" not in C.columns
    with pytest.raises(InputError, match="membership does not match") as info:
        intra_homogeneity(Z, {k: v for k, v in MEMBERSHIP.items() if k != "gdp"})
    assert {p.code for p in info.value.problems} == {"indicator_without_subsystem"}
    with pytest.raises(InputError, match="invalid value") as info:
        intra_homogeneity(Z * 2.0, MEMBERSHIP)
    assert {p.code for p in info.value.problems} == {"value_outside_unit_interval"}
    with pytest.raises(ConfigError, match="unknown coupling model"):
        intra_homogeneity(Z, MEMBERSHIP, model="pearson")


def test_relation2_is_coupling_coordination_across_subsystems():
    """Classic model for two subsystems: C = 2√(U1U2)/(U1+U2) (廖重斌 1999), T = mean, D = √(CT)."""
    _, U = _panel()
    out = intra_heterogeneity(U[["industry", "ecology"]])
    u1, u2 = U["industry"].to_numpy(), U["ecology"].to_numpy()
    C = 2 * np.sqrt(u1 * u2) / (u1 + u2)
    T = (u1 + u2) / 2
    np.testing.assert_allclose(out["C"], C, rtol=1e-12)
    np.testing.assert_allclose(out["T"], T, rtol=1e-12)
    np.testing.assert_allclose(out["D"], np.sqrt(C * T), rtol=1e-12)
    weighted = intra_heterogeneity(
        U, model="wang2021", weights={"industry": 2, "ecology": 1, "infrastructure": 1}
    )
    C3, T3, _ = coupling_arrays(U.to_numpy(), "wang2021", np.array([0.5, 0.25, 0.25]))
    np.testing.assert_allclose(weighted["C"], C3)
    np.testing.assert_allclose(weighted["T"], T3)


def test_relation3_gini_sd_and_cv_by_year_against_brute_force():
    """Gini by the double sum Σ_iΣ_j |U_i − U_j| / (2 N² μ), σ by the population formula."""
    _, U = _panel()
    U = U.drop(index=("c03", 2016))
    out = inter_homogeneity(U)
    assert out.index.names == ["subsystem", "year"]
    for sub, year in [("industry", 2015), ("ecology", 2016), ("infrastructure", 2020)]:
        v = U.xs(year, level="year")[sub].to_numpy()
        n = v.size
        g = sum(abs(a - b) for a in v for b in v) / (2 * n * n * v.mean())
        sd = math.sqrt(sum((a - v.mean()) ** 2 for a in v) / n)
        row = out.loc[(sub, year)]
        assert row["n_cities"] == n
        assert row["gini"] == pytest.approx(g, rel=1e-12)
        assert row["homogeneity"] == pytest.approx(1 - g, rel=1e-12)
        assert row["sd"] == pytest.approx(sd, rel=1e-12)
        assert row["cv"] == pytest.approx(sd / v.mean(), rel=1e-12)
    assert out.loc[("ecology", 2016), "n_cities"] == 11
    zero = U.copy()
    zero.loc[zero.index.get_level_values("year") == 2017, "ecology"] = 0.0
    with pytest.raises(InputError) as info:
        inter_homogeneity(zero)
    assert {p.code for p in info.value.problems} == {"year_all_zero_gini"}


def test_spatial_weights_hand_cases():
    """Inverse distance, d12 = 1, d13 = 2, d23 = 4: row 1 = (0, 1, 1/2)/(3/2) = (0, 2/3, 1/3)."""
    D = pd.DataFrame([[0, 1, 2], [1, 0, 4], [2, 4, 0]], index=list("abc"), columns=list("abc"))
    W = spatial_weights(D, kind="distance")
    np.testing.assert_allclose(W.loc["a"], [0, 2 / 3, 1 / 3])
    np.testing.assert_allclose(W.loc["b"], [1 / 1.25, 0, 0.25 / 1.25])
    W2 = spatial_weights(D, kind="distance", power=2)
    np.testing.assert_allclose(W2.loc["a"], [0, 0.8, 0.2])
    uniform = spatial_weights(cities=list("abcd"))
    np.testing.assert_allclose(uniform.to_numpy(), (1 - np.eye(4)) / 3)
    A = pd.DataFrame([[0, 1, 0], [1, 0, 1], [0, 1, 0]], index=list("abc"), columns=list("abc"))
    np.testing.assert_allclose(spatial_weights(A).loc["b"], [0.5, 0, 0.5])
    island = pd.DataFrame([[0, 1, 0], [1, 0, 0], [0, 0, 0]], index=list("abc"), columns=list("abc"))
    with pytest.raises(InputError) as info:
        spatial_weights(island)
    assert {p.code for p in info.value.problems} == {"city_without_neighbour"}
    with pytest.raises(InputError) as info:
        spatial_weights(D.replace(4, 0), kind="distance")
    assert {p.code for p in info.value.problems} == {"zero_distance"}
    with pytest.raises(InputError) as info:
        spatial_weights(D.rename(columns={"c": "z"}))
    assert {p.code for p in info.value.problems} == {"spatial_table_labels"}


@settings(max_examples=40, deadline=None)
@given(arrays(np.float64, (6, 6), elements=st.floats(0.1, 1000.0)), st.floats(0.5, 3.0))
def test_weight_rows_sum_to_one(values, power):
    labels = [f"k{i}" for i in range(6)]
    table = pd.DataFrame(values, index=labels, columns=labels)
    for kind in ("distance", "weights"):
        W = spatial_weights(table, kind=kind, power=power)
        np.testing.assert_allclose(W.sum(axis=1), 1.0, rtol=1e-12)
        assert np.all(np.diag(W.to_numpy()) == 0)
        assert np.all(W.to_numpy() >= 0)


def test_spatial_lag_restricts_w_to_the_cities_present_each_year():
    """Uniform W over 3 cities; in 2021 city c is missing, so a's lag is b's score alone."""
    idx = pd.MultiIndex.from_tuples(
        [("a", 2020), ("b", 2020), ("c", 2020), ("a", 2021), ("b", 2021)], names=["city", "year"]
    )
    U = pd.DataFrame({"u": [0.2, 0.4, 0.9, 0.3, 0.5]}, index=idx)
    lag = spatial_lag(U, spatial_weights(cities=["a", "b", "c"]))
    np.testing.assert_allclose(lag["u"], [0.65, 0.55, 0.3, 0.5, 0.3])


def _simulated_spillover(rho: float, n_cities: int = 30, n_years: int = 12, seed: int = 4):
    rng = np.random.default_rng(seed)
    cities = [f"c{i:02d}" for i in range(n_cities)]
    idx = pd.MultiIndex.from_product([cities, range(2000, 2000 + n_years)], names=["city", "year"])
    xy = rng.uniform(0, 300, size=(n_cities, 2))
    dist = pd.DataFrame(
        np.sqrt(((xy[:, None, :] - xy[None, :, :]) ** 2).sum(axis=-1)), index=cities, columns=cities
    )
    U = pd.DataFrame(
        {"infra": rng.uniform(0.1, 0.6, len(idx)), "eco": rng.uniform(0.1, 0.6, len(idx))},
        index=idx,
    )
    lag = spatial_lag(U, spatial_weights(dist, kind="distance"))
    alpha = np.repeat(rng.uniform(0.0, 0.2, n_cities), n_years)
    U["industry"] = alpha + rho * lag["infra"].to_numpy() + rng.normal(0, 0.03, len(idx))
    return U, dist


def test_spillover_coefficient_recovered_on_simulated_data():
    """U_industry,it = α_i + 0.6·(W U_infra)_it + ε: the estimate lies within 4 SE of 0.6 and
    the unrelated pair (industry on the lag of eco) is within 4 SE of 0."""
    U, dist = _simulated_spillover(0.6)
    out = inter_heterogeneity(U, dist, w_kind="distance")
    est = out.loc[("industry", "infra")]
    assert abs(est["rho"] - 0.6) < 4 * est["se"]
    assert est["p"] < 1e-6
    null = out.loc[("industry", "eco")]
    assert abs(null["rho"]) < 4 * null["se"]
    assert (out["n"] == 360).all() and (out["n_clusters"] == 30).all()
    assert out["rho"].unstack().shape == (3, 3)


@pytest.mark.parametrize("time_effects", [False, True])
def test_spillover_equals_statsmodels_ols_with_city_dummies(time_effects):
    """Oracle: statsmodels OLS with C(city) (and C(year)) dummies, cluster-robust SE by city,
    t(G − 1) inference — the within-transformation kernel must agree exactly."""
    U, dist = _simulated_spillover(0.3, n_cities=14, n_years=7, seed=8)
    out = inter_heterogeneity(U, dist, w_kind="distance", time_effects=time_effects)
    lag = spatial_lag(U, spatial_weights(dist, kind="distance"))
    data = U.join(lag.add_prefix("lag_")).reset_index()
    groups = pd.factorize(data["city"])[0]
    fe = " + C(city) + C(year)" if time_effects else " + C(city)"
    for k, l in [("industry", "infra"), ("eco", "industry"), ("infra", "infra")]:
        fit = smf.ols(f"{k} ~ lag_{l}{fe}", data).fit(
            cov_type="cluster", cov_kwds={"groups": groups}, use_t=True
        )
        row = out.loc[(k, l)]
        assert row["rho"] == pytest.approx(fit.params[f"lag_{l}"], rel=1e-10)
        assert row["se"] == pytest.approx(fit.bse[f"lag_{l}"], rel=1e-10)
        assert row["p"] == pytest.approx(fit.pvalues[f"lag_{l}"], rel=1e-8, abs=1e-300)


def test_spillover_kernel_shapes_and_guards():
    rng = np.random.default_rng(0)
    Y, X = rng.normal(size=(20, 2)), rng.normal(size=(20, 2))
    city = np.repeat(np.arange(5), 4)
    res = spillover_arrays(Y, X, city)
    assert res["rho"].shape == (2, 2) and int(res["n_clusters"]) == 5
    with pytest.raises(ValueError, match="no variation"):
        spillover_arrays(Y, np.repeat(rng.normal(size=(5, 2)), 4, axis=0), city)
    with pytest.raises(ValueError, match="balanced"):
        spillover_arrays(Y[:-1], X[:-1], city[:-1], np.tile(np.arange(4), 5)[:-1])


def test_synergy_relations_returns_the_four_tables():
    Z, U = _panel()
    adjacency = pd.DataFrame(
        np.roll(np.eye(12), 1, axis=1) + np.roll(np.eye(12), -1, axis=1),
        index=U.index.levels[0],
        columns=U.index.levels[0],
    )
    out = synergy_relations(Z, U, MEMBERSHIP, W=adjacency)
    assert set(out) == set(RELATIONS)
    assert RELATIONS["inter_heterogeneity"][0] == "城际异质"
    assert out["intra_homogeneity"].shape == (72, 3)
    assert list(out["intra_heterogeneity"].columns) == ["C", "T", "D"]
    assert out["inter_homogeneity"].shape == (18, 6)
    assert out["inter_heterogeneity"].shape == (9, 7)
    uniform = synergy_relations(Z, U, MEMBERSHIP)["inter_heterogeneity"]
    assert not np.allclose(uniform["rho"], out["inter_heterogeneity"]["rho"])
    distances = adjacency * 50.0 + 10.0
    with pytest.raises(ConfigError, match="w_kind"):
        synergy_relations(Z, U, MEMBERSHIP, W=distances)
    with pytest.raises(InputError) as info:
        synergy_relations(Z.iloc[1:], U, MEMBERSHIP)
    assert {p.code for p in info.value.problems} == {"z_u_rows_differ"}


def test_few_cities_warn_and_one_year_is_rejected():
    _, U = _panel(n_cities=4)
    with pytest.warns(MethodWarning) as caught:
        inter_heterogeneity(U)
    assert [w.message.code for w in caught] == ["few_clusters"]
    with pytest.raises(InputError) as info:
        inter_heterogeneity(U.xs(2015, level="year", drop_level=False))
    assert {p.code for p in info.value.problems} == {"spillover_too_few_years"}
