"""Conventions of peer tools, chosen by name, reproduce the peers' published numbers.

Each test cites the file and line (or page) whose printed numbers it reproduces, and asserts at
the printed precision. Oracles imported at test time (pymcdm, scikit-criteria, pyrepo-mcda,
AHPy, PySAL inequality) are dev extras.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from coordeval import ahp_weights, critic_weights, normalize, sd_weights
from coordeval.kernels.weights import RANDOM_INDEX

# AHPy tests/test_ahp.py lines 10-17: Saaty (2008) drinks example, element pairs and judgements
DRINKS = {
    ("coffee", "wine"): 9, ("coffee", "tea"): 5, ("coffee", "beer"): 2, ("coffee", "soda"): 1,
    ("coffee", "milk"): 1, ("water", "coffee"): 2, ("water", "wine"): 9, ("water", "tea"): 9,
    ("water", "beer"): 3, ("water", "soda"): 2, ("water", "milk"): 3, ("tea", "wine"): 3,
    ("beer", "wine"): 9, ("beer", "tea"): 3, ("beer", "milk"): 1, ("soda", "wine"): 9,
    ("soda", "tea"): 4, ("soda", "beer"): 2, ("soda", "milk"): 2, ("milk", "wine"): 9,
    ("milk", "tea"): 3,
}  # fmt: skip

# Diakoulaki, Mavrotas & Papayannakis (1995) Table 1, as typed in scikit-criteria
# tests/preprocessing/test_weighters.py lines 372-381
DIAKOULAKI = np.array(
    [
        [61, 1.08, 4.33],
        [20.7, 0.26, 4.34],
        [16.3, 1.98, 2.53],
        [9, 3.29, 1.65],
        [5.4, 2.77, 2.33],
        [4, 4.12, 1.21],
        [-6.1, 3.52, 2.10],
        [-34.6, 3.31, 0.98],
    ]
)


def _pairwise(pairs: dict[tuple[str, str], float]) -> pd.DataFrame:
    names = sorted({a for pair in pairs for a in pair})
    A = pd.DataFrame(np.eye(len(names)), index=names, columns=names)
    for (a, b), v in pairs.items():
        A.loc[a, b] = v
        A.loc[b, a] = 1.0 / v
    return A


# --- AHP random index --------------------------------------------------------------------------


def test_ahp_random_index_saaty2005_reproduces_ahpy():
    """AHPy tests/test_ahp.py lines 20-22 (test_drinks_cr_saaty): CR = 0.022 at precision 3
    with ``random_index='saaty'`` (Saaty 2005, p. 31)."""
    r = ahp_weights(_pairwise(DRINKS), random_index="saaty2005")
    assert round(r.cr, 3) == 0.022
    assert r.ri == 1.35 and r.ri_table == "saaty2005"
    # AHPy tests/test_ahp.py lines 30-33: weights at precision 3
    expected = {"beer": 0.116, "coffee": 0.177, "milk": 0.129, "soda": 0.190, "tea": 0.042,
                "water": 0.327, "wine": 0.019}  # fmt: skip
    assert r.weights.round(3).to_dict() == expected


def test_ahp_random_index_donegan_dodd_reproduces_ahpy_default():
    """AHPy tests/test_ahp.py lines 25-27 (test_drinks_cr_dd): CR = 0.0235 at precision 4
    with AHPy's default ``random_index='dd'`` (Donegan & Dodd 1991)."""
    r = ahp_weights(_pairwise(DRINKS), random_index="donegan_dodd")
    assert round(r.cr, 4) == 0.0235
    assert r.ri == 1.2519


def test_ahp_random_index_tummala_ling_matches_pymcdm():
    """pymcdm ``weights.subjective.AHP.get_cr`` (RI_M, Tummala & Ling 1998) as an oracle."""
    from pymcdm.weights.subjective import AHP

    A = np.array([[1, 3, 5, 7], [1 / 3, 1, 2, 4], [1 / 5, 1 / 2, 1, 3], [1 / 7, 1 / 4, 1 / 3, 1]])
    expected = AHP(matrix=A).get_cr()
    r = ahp_weights(A, random_index="tummala_ling")
    assert r.cr == pytest.approx(expected, rel=1e-12)
    assert r.ri_table == "tummala_ling"


def test_ahp_random_index_tables_and_user_numbers_by_hand():
    """3 × 3: CR = CI/RI with RI 0.58 (Saaty 1980), 0.52 (2005), 0.4914 (Donegan–Dodd),
    0.5799 (Tummala–Ling): the same matrix passes CR ≤ 0.1 under Saaty 1980 and fails under
    Donegan–Dodd (CI = 0.0539 is between 0.04914 and 0.058)."""
    A = np.array([[1, 2, 3], [1 / 2, 1, 4], [1 / 3, 1 / 4, 1]])
    base = ahp_weights(A)
    assert base.ri_table == "saaty1980" and base.ri == 0.58
    ci = base.ci
    assert 0.04914 < ci < 0.058
    assert base.cr <= 0.1
    with pytest.warns(Warning, match="donegan_dodd"):
        dd = ahp_weights(A, random_index="donegan_dodd")
    assert dd.cr == pytest.approx(ci / 0.4914) and dd.cr > 0.1
    user = ahp_weights(A, random_index=[0, 0, 0.6])
    assert user.ri_table == "user" and user.cr == pytest.approx(ci / 0.6)
    for name, table in RANDOM_INDEX.items():
        assert table[:2] == (0.0, 0.0), name
        assert all(np.diff(table[2:9]) > 0), name


@pytest.mark.parametrize("bad", ["saaty", [0, 0], [0, 0, -1], [0, 0, 0]])
def test_ahp_random_index_rejects_unknown_or_short_tables(bad):
    with pytest.raises(ValueError, match="random"):
        ahp_weights(np.ones((3, 3)), random_index=bad)


# --- standard-deviation and CRITIC weights -----------------------------------------------------


def test_sd_weights_reproduce_scikit_criteria():
    """scikit-criteria tests/preprocessing/test_weighters.py lines 151-167
    (test_StdWeighter_simple_matrix): [[1, 2], [4, 16]] → [0.176471, 0.82353], atol 1e-5."""
    w = sd_weights([[1.0, 2.0], [4.0, 16.0]])
    np.testing.assert_allclose(w, [0.176471, 0.82353], atol=1e-5)


def test_sd_weights_match_pymcdm_and_pyrepo():
    """pymcdm ``standard_deviation_weights`` and pyrepo-mcda ``std_weighting`` as oracles."""
    from pymcdm.weights import standard_deviation_weights
    from pyrepo_mcda.weighting_methods import std_weighting

    rng = np.random.default_rng(7)
    X = rng.uniform(0.1, 5.0, (9, 4))
    ours = sd_weights(X).to_numpy()
    np.testing.assert_allclose(ours, standard_deviation_weights(X), rtol=1e-12)
    np.testing.assert_allclose(ours, std_weighting(X), rtol=1e-12)


def test_sd_weights_constant_column_gets_zero():
    with pytest.warns(Warning, match="do not vary"):
        w = sd_weights([[1.0, 3.0], [2.0, 3.0], [4.0, 3.0]])
    assert w.tolist() == [1.0, 0.0]


@pytest.mark.parametrize(
    ("correlation", "expected"),
    [
        ("pearson", [0.20222554, 0.48090173, 0.31687273]),
        ("spearman", [0.21454645, 0.4898563, 0.29559726]),
    ],
)
def test_critic_correlations_reproduce_scikit_criteria(correlation, expected):
    """scikit-criteria tests/preprocessing/test_weighters.py lines 341-357 (scale=True rows):
    CRITIC on Diakoulaki et al. (1995) Table 1 after min-max scaling; numpy ``allclose``."""
    Z = normalize(DIAKOULAKI)
    np.testing.assert_allclose(critic_weights(Z, correlation=correlation), expected, atol=1e-8)


def test_critic_kendall_matches_scikit_criteria():
    """scikit-criteria ``critic_weights(correlation="kendall")`` (pandas' τ-b) as an oracle."""
    from skcriteria.preprocessing.weighters import critic_weights as skc_critic

    expected = skc_critic(DIAKOULAKI, objectives=[1, 1, 1], correlation="kendall", scale=True)
    ours = critic_weights(normalize(DIAKOULAKI), correlation="kendall")
    np.testing.assert_allclose(ours, expected, rtol=1e-12)
    with pytest.raises(ValueError, match="unknown correlation"):
        critic_weights(normalize(DIAKOULAKI), correlation="distance")


# --- vector normalisation of cost indicators and z-scores --------------------------------------

PYMCDM_NORM_X = np.array(
    [[66, 56, 95], [61, 55, 166], [65, 49, 113], [95, 56, 99], [63, 43, 178], [74, 59, 140]],
    dtype=float,
)


def test_vector_one_minus_reproduces_pymcdm_test_suite():
    """pymcdm test/test_normalizations.py lines 78-94 (TestVectorNormalization): types
    (−1, −1, +1), output rounded to 8 decimals, row by row."""
    expected = [0.62375904, 0.57085288, 0.28587109, 0.65226214, 0.57851622, 0.49952212,
                0.62945966, 0.62449627, 0.34003614, 0.45844104, 0.57085288, 0.29790777,
                0.6408609, 0.67047632, 0.53563215, 0.57815408, 0.54786285, 0.42128371]  # fmt: skip
    out = normalize(PYMCDM_NORM_X, ["-", "-", "+"], method="vector", vector_cost="one_minus")
    assert [round(v, 8) for v in out.to_numpy().reshape(-1)] == expected
    from pyrepo_mcda.normalizations import vector_normalization  # the same form, as an oracle

    ref = vector_normalization(PYMCDM_NORM_X, np.array([-1, -1, 1]))
    np.testing.assert_allclose(out.to_numpy(), ref, rtol=1e-13)


def test_vector_hwang_yoon_reproduces_scikit_criteria_vector_scaler():
    """scikit-criteria tests/preprocessing/test_scalers.py lines 396-417
    (test_VectorScaler_simple_matrix): every column x/‖x‖, cost (min) columns included, as in
    Hwang & Yoon (1981) where the direction enters through the ideal point."""
    out = normalize([[1, 2, 3], [4, 5, 6]], ["-", "+", "-"], method="vector")
    expected = [[1 / 4.123105626, 2 / 5.385164807, 3 / 6.708203932],
                [4 / 4.123105626, 5 / 5.385164807, 6 / 6.708203932]]  # fmt: skip
    np.testing.assert_allclose(out.to_numpy(), expected, rtol=1e-9)


def test_vector_forms_by_hand_and_reverse_is_the_former_default():
    """Cost column b = (1, 4): ‖b‖ = √17; hwang_yoon (1, 4)/√17, one_minus 1 − (1, 4)/√17,
    reverse (max − b) = (3, 0) → (1, 0)."""
    X = pd.DataFrame({"a": [3.0, 4.0], "b": [1.0, 4.0]})
    s = np.sqrt(17.0)
    hy = normalize(X, ["+", "-"], method="vector")
    om = normalize(X, ["+", "-"], method="vector", vector_cost="one_minus")
    rv = normalize(X, ["+", "-"], method="vector", vector_cost="reverse")
    np.testing.assert_allclose(hy["a"], [0.6, 0.8])
    np.testing.assert_allclose(hy["b"], [1 / s, 4 / s])
    np.testing.assert_allclose(om["b"], [1 - 1 / s, 1 - 4 / s])
    np.testing.assert_allclose(rv["b"], [1.0, 0.0])
    for form in (om, rv):
        np.testing.assert_allclose(form["a"], hy["a"])
    with pytest.raises(ValueError, match="vector_cost"):
        normalize(X, ["+", "-"], method="vector", vector_cost="max")


def test_topsis_vector_cost_one_minus_matches_pymcdm_topsis():
    """pymcdm ``TOPSIS(vector_normalization)`` (cost columns 1 − x/‖x‖, then every ideal the
    column maximum) as an oracle; the default stays Hwang & Yoon."""
    from pymcdm.methods import TOPSIS
    from pymcdm.normalizations import vector_normalization

    from coordeval import topsis

    w = np.array([0.5, 0.3, 0.2])
    types = np.array([-1, -1, 1])
    expected = TOPSIS(vector_normalization)(PYMCDM_NORM_X, w, types)
    ours = topsis(PYMCDM_NORM_X, w, ["-", "-", "+"], vector_cost="one_minus")
    np.testing.assert_allclose(ours["closeness"], expected, rtol=1e-12)
    # 1 − r reflects the column, so its distances to the maximum equal those of r to the
    # minimum: Hwang & Yoon and pymcdm rank alike; only the reverse form changes the numbers
    classic = topsis(PYMCDM_NORM_X, w, ["-", "-", "+"])
    np.testing.assert_allclose(classic["closeness"], expected, rtol=1e-12)
    reverse = topsis(PYMCDM_NORM_X, w, ["-", "-", "+"], vector_cost="reverse")
    assert not np.allclose(reverse["closeness"], expected)


def test_zscore_population_sd_reproduces_scikit_criteria_standard_scaler():
    """scikit-criteria tests/preprocessing/test_scalers.py lines 216-237
    (test_StandarScaler_simple_matrix): (x − mean)/1.5 with the population SD of (1, 4)."""
    out = normalize([[1, 2, 3], [4, 5, 6]], method="zscore", ddof=0)
    expected = [[(1 - 2.5) / 1.5, (2 - 3.5) / 1.5, (3 - 4.5) / 1.5],
                [(4 - 2.5) / 1.5, (5 - 3.5) / 1.5, (6 - 4.5) / 1.5]]  # fmt: skip
    np.testing.assert_allclose(out.to_numpy(), expected, rtol=1e-12)


def test_zscore_sample_sd_is_the_default_and_matches_scipy():
    """Sample SD (ddof = 1) is SPSS's and R's ``scale``; scipy.stats.zscore(ddof=1) as oracle."""
    from scipy.stats import zscore

    X = np.array([[1.0, 7.0], [2.0, 3.0], [3.0, 5.0], [6.0, 1.0]])
    np.testing.assert_allclose(normalize(X, method="zscore"), zscore(X, ddof=1), rtol=1e-12)
    np.testing.assert_allclose(normalize(X, method="zscore", ddof=0), zscore(X, ddof=0), rtol=1e-12)
    with pytest.raises(ValueError, match="ddof"):
        normalize(X, method="zscore", ddof=2)


# --- inequality: weights, bias correction, Theil L and GE(α) ----------------------------------

# R mathmodels docs/reference/inequality.md (Examples), the Theil sample: 18 people in 2 groups
MM_THEIL = pd.DataFrame(
    {
        "g": ["A", "A"] + ["B"] * 10 + ["A"] * 6,
        "y": [10.0, 10.0] + [8.0] * 4 + [6.0] * 6 + [4.0] * 4 + [2.0, 2.0],
    }
)


def test_gini_population_weights_reproduce_mathmodels():
    """mathmodels docs/reference/inequality.md "Gini coefficient (grouped data)":
    ``gini(income = c(10, 20, 30, 40, 100), pop = c(100, 150, 200, 250, 300))`` prints 0.225
    (income is each group's total, so the per-capita value income/pop is weighted by pop);
    ``gini0(income)`` prints 0.4."""
    from coordeval import gini

    income = np.array([10.0, 20.0, 30.0, 40.0, 100.0])
    pop = np.array([100.0, 150.0, 200.0, 250.0, 300.0])
    assert round(gini(income / pop, weights=pop), 3) == 0.225
    assert round(gini(income), 1) == 0.4


def test_gini_bias_correction_reproduces_small_sample_gini():
    """npm gini-ss README (Paul Brewer 2017; index.js ``sumdiff/((n−1)·sum)``, the R
    ``ineq::Gini(corr = TRUE)`` factor n/(n − 1)): [0, 0, 0, 0, 1] → 1.0, [3, 3, 3] → 0."""
    from coordeval import gini

    assert gini([0, 0, 0, 0, 1], bias_correction=True) == pytest.approx(1.0, abs=1e-15)
    assert gini([0, 0, 0, 0, 1]) == pytest.approx(0.8, abs=1e-15)
    assert gini([3, 3, 3], bias_correction=True) == 0.0
    x = np.random.default_rng(3).uniform(0, 10, 25)
    sumdiff = np.abs(x[:, None] - x[None, :]).sum() / 2
    assert gini(x, bias_correction=True) == pytest.approx(sumdiff / (24 * x.sum()), rel=1e-12)


def test_gini_weights_equal_expanded_sample_and_validation():
    """Integer weights = the sample with each value repeated (the definition of a population
    weight); bad weights are named."""
    from coordeval import ConfigError, InputError, gini

    y = np.array([3.0, 1.0, 7.0, 2.0])
    w = np.array([2, 1, 3, 1])
    assert gini(y, weights=w) == pytest.approx(gini(np.repeat(y, w)), rel=1e-12)
    s = pd.Series(y, index=["a", "b", "c", "d"])
    assert gini(s, weights={"a": 2, "b": 1, "c": 3, "d": 1}) == pytest.approx(gini(y, weights=w))
    with pytest.raises(InputError) as exc:
        gini(s, weights={"a": 2, "b": 0, "c": -1})
    assert "'b'" in str(exc.value.problems) and "'d'" in str(exc.value.problems)
    with pytest.raises(ConfigError):
        gini(y, weights=w, bias_correction=True)


def test_theil_population_weights_reproduce_mathmodels_theil_g():
    """mathmodels docs/reference/inequality.md: ``theil0(data$y)`` and ``theil(data2$y,
    data2$pop)`` print 0.07907822; ``theil_g(data2, "g", "y", "pop")`` prints T 0.07907822,
    Tb 0.01127992, Tw 0.06779830, A 0.16568710, B 0.01021666 (8 decimals)."""
    from coordeval import theil

    assert round(theil(MM_THEIL["y"].to_numpy()).T, 8) == 0.07907822
    counts = MM_THEIL.groupby(["g", "y"]).size().rename("pop").reset_index()
    res = theil(counts["y"].to_numpy(), counts["g"].to_numpy(), weights=counts["pop"].to_numpy())
    assert round(res.T, 8) == 0.07907822
    assert round(res.T_b, 8) == 0.01127992
    assert round(res.T_w, 8) == 0.06779830
    assert res.groups["T_k"].round(8).to_dict() == {"A": 0.16568710, "B": 0.01021666}


def test_theil_l_and_ge_by_hand_and_identities():
    """y = (1, 2, 3, 6), μ = 3: Theil L = −(1/4) Σ ln(y/3) = ln 3 − ln(36)/4; GE(2) = CV²/2
    with the population CV (σ² = 3.5); GE(α) → T and L as α → 1 and 0 (Shorrocks 1980)."""
    from coordeval import theil

    y = np.array([1.0, 2.0, 3.0, 6.0])
    assert theil(y, alpha=0).T == pytest.approx(np.log(3) - np.log(36) / 4, rel=1e-14)
    assert theil(y, alpha=2).T == pytest.approx(3.5 / 9 / 2, rel=1e-14)
    assert theil(y, alpha=1 + 1e-7).T == pytest.approx(theil(y).T, rel=1e-5)
    assert theil(y, alpha=1e-7).T == pytest.approx(theil(y, alpha=0).T, rel=1e-5)
    assert theil(y, alpha=0.5).alpha == 0.5


@pytest.mark.parametrize("alpha", [0.0, 0.5, 1.0, 2.0, -1.0])
def test_ge_decomposition_adds_up_and_weights_equal_expanded_sample(alpha):
    from coordeval import theil

    rng = np.random.default_rng(11)
    y = rng.uniform(0.5, 9.0, 12)
    g = np.array(list("aabbbcccdddd"))
    w = rng.integers(1, 4, 12)
    res = theil(y, g, alpha=alpha, weights=w)
    assert res.T_w + res.T_b == pytest.approx(res.T, rel=1e-12, abs=1e-15)
    big = theil(np.repeat(y, w), np.repeat(g, w), alpha=alpha)
    assert res.T == pytest.approx(big.T, rel=1e-12)
    assert res.T_b == pytest.approx(big.T_b, rel=1e-10, abs=1e-15)
    np.testing.assert_allclose(res.groups["T_k"], big.groups["T_k"], rtol=1e-10, atol=1e-15)


def test_theil_t_matches_pysal_inequality():
    """PySAL ``inequality.theil.TheilD`` (Theil T and its group split) as an oracle."""
    from inequality.theil import TheilD

    from coordeval import theil

    rng = np.random.default_rng(5)
    y = rng.uniform(1, 20, 15)
    g = np.repeat([0, 1, 2], 5)
    ref = TheilD(y, g)
    res = theil(y, g)
    assert res.T == pytest.approx(float(ref.T), rel=1e-12)
    assert res.T_b == pytest.approx(float(np.squeeze(ref.bg)), rel=1e-12)


def test_theil_l_refuses_zeros():
    from coordeval import InputError, theil

    with pytest.raises(InputError, match="positive values"):
        theil([0.0, 1.0, 2.0], alpha=0)


def test_dagum_population_weights_equal_expanded_sample():
    """Dagum (1997) with population weights: integer weights give exactly the decomposition of
    the sample with each city repeated, and G = G_w + G_nb + G_t still holds."""
    from coordeval import dagum_gini

    rng = np.random.default_rng(2)
    y = rng.uniform(0.1, 1.0, 10)
    g = np.array(list("aaabbbbccc"))
    w = rng.integers(1, 5, 10)
    res = dagum_gini(y, g, weights=w)
    big = dagum_gini(np.repeat(y, w), np.repeat(g, w))
    for part in ("G", "G_w", "G_nb", "G_t"):
        assert getattr(res, part) == pytest.approx(getattr(big, part), rel=1e-12, abs=1e-15)
    assert res.G_w + res.G_nb + res.G_t == pytest.approx(res.G, rel=1e-12)
    np.testing.assert_allclose(res.G_jh, big.G_jh, rtol=1e-12)
    np.testing.assert_allclose(res.groups["p"], big.groups["p"], rtol=1e-12)


def test_inequality_by_year_weights_alpha_and_correction():
    from coordeval import dagum_by_year, gini, inequality_by_year, theil

    idx = pd.MultiIndex.from_product([["a", "b", "c", "d"], [2020, 2021]], names=["city", "year"])
    s = pd.Series([0.2, 0.3, 0.5, 0.4, 0.9, 0.8, 0.4, 0.6], index=idx, name="U")
    pop = {"a": 100, "b": 300, "c": 50, "d": 150}
    groups = {"a": "core", "b": "core", "c": "rim", "d": "rim"}
    out = inequality_by_year(s, weights=pop, theil_alpha=0)
    y2020 = s.xs(2020, level="year")
    w2020 = np.array([100, 300, 50, 150])
    row = out[out["year"] == 2020].iloc[0]
    assert row["gini"] == pytest.approx(gini(y2020.to_numpy(), weights=w2020))
    assert row["theil"] == pytest.approx(theil(y2020.to_numpy(), alpha=0, weights=w2020).T)
    corr = inequality_by_year(s, gini_correction=True)
    assert (corr["gini_corrected"] == corr["gini"] * 4 / 3).all()
    dec = inequality_by_year(s, groups=groups, weights=pop)
    assert np.allclose(dec["G_w"] + dec["G_nb"] + dec["G_t"], dec["gini"])
    pairs = dagum_by_year(s, groups, weights=pop)
    assert pairs.groupby("year")["within_part"].sum().to_numpy() == pytest.approx(
        dec["G_w"].to_numpy()
    )


# --- obstacle degree, σ convergence on logs, kernel-density bandwidths ------------------------


def test_obstacle_unscaled_reproduces_mathmodels():
    """mathmodels docs/reference/system_evaluation.md lines 112-131 (Examples):
    ``obstacle_degree(df, id_cols = "ID")`` (equal weights 1/3) and with w = (0.4, 0.3, 0.3),
    unscaled O = (1 − X)·w, printed to 3 significant digits."""
    from coordeval import obstacle_degree

    df = pd.DataFrame(
        {
            "s1": [0.0162, 0.1782, 0.5490, 0.6730, 0.0207, 0.9875],
            "s2": [0.2720, 0.6824, 0.0593, 0.4812, 0.8891, 0.5573],
            "s3": [0.2655, 0.3721, 0.5729, 0.9082, 0.2017, 0.8984],
        },
        index=list("ABCDEF"),
    )
    equal = obstacle_degree(df, [1 / 3] * 3, scaled=False)
    printed_equal = [[0.328, 0.243, 0.245], [0.274, 0.106, 0.209], [0.150, 0.314, 0.142],
                     [0.109, 0.173, 0.0306], [0.326, 0.0370, 0.266],
                     [0.00417, 0.148, 0.0339]]  # fmt: skip
    np.testing.assert_allclose(equal.to_numpy(), printed_equal, rtol=5e-3)
    weighted = obstacle_degree(df, [0.4, 0.3, 0.3], scaled=False)
    printed_w = [[0.394, 0.218, 0.220], [0.329, 0.0953, 0.188], [0.180, 0.282, 0.128],
                 [0.131, 0.156, 0.0275], [0.392, 0.0333, 0.239],
                 [0.00500, 0.133, 0.0305]]  # fmt: skip
    np.testing.assert_allclose(weighted.to_numpy(), printed_w, rtol=5e-3)
    pct = obstacle_degree(df, [0.4, 0.3, 0.3])
    np.testing.assert_allclose(pct, 100 * weighted.div(weighted.sum(axis=1), axis=0))


def test_sigma_convergence_on_logs_by_hand():
    """σ on logs (Barro & Sala-i-Martin 1992): the population SD of ln U per year; the trend
    is then fitted on it. Year 1: ln(1), ln(e²) → SD 1; year 2: SD 0.5; year 3: 0."""
    from coordeval import InputError, sigma_convergence

    e = np.e
    idx = pd.MultiIndex.from_product([["a", "b"], [2001, 2002, 2003]], names=["city", "year"])
    s = pd.Series([1.0, 1.0, 1.0, e**2, e, 1.0], index=idx, name="U")
    out = sigma_convergence(s, log=True)
    np.testing.assert_allclose(out["sd_log"], [1.0, 0.5, 0.0], atol=1e-15)
    assert out["sd_log_slope"].iloc[0] == pytest.approx(-0.5)
    assert "cv_slope" not in out and "cv" in out
    with pytest.raises(InputError, match="positive"):
        sigma_convergence(s.where(s > 1.5, 0.0), log=True)


# R datasets::precip (average annual precipitation of 70 US cities, Statistical Abstracts of the
# United States 1975), printed by R 4.2.2 ``cat(precip)``
PRECIP = [
    67.0, 54.7, 7.0, 48.5, 14.0, 17.2, 20.7, 13.0, 43.4, 40.2, 38.9, 54.5, 59.8, 48.3, 22.9,
    11.5, 34.4, 35.1, 38.7, 30.8, 30.6, 43.1, 56.8, 40.8, 41.8, 42.5, 31.0, 31.7, 30.2, 25.9,
    49.2, 37.0, 35.9, 15.0, 30.2, 7.2, 36.2, 45.5, 7.8, 33.4, 36.1, 40.2, 42.7, 42.5, 16.2,
    39.0, 35.0, 37.0, 31.4, 37.6, 39.9, 36.2, 42.8, 46.4, 24.7, 49.1, 46.0, 35.9, 7.8, 48.2,
    15.2, 32.5, 44.7, 42.6, 38.8, 17.4, 40.8, 29.1, 14.6, 59.2,
]  # fmt: skip


def _bandwidth(bw: str) -> float:
    from coordeval import kernel_density

    idx = pd.MultiIndex.from_product([[f"c{i}" for i in range(70)], [2020]])
    s = pd.Series(PRECIP, index=idx.set_names(["city", "year"]), name="precip")
    return float(kernel_density(s, bw=bw, gridsize=8)["bandwidth"].iloc[0])


def test_kde_bandwidth_nrd0_reproduces_r_density():
    """R stats ``?density`` Examples, ``density(precip, n = 1000)``: print.density shows
    "Bandwidth 'bw' = 3.848" (R's default ``bw.nrd0``, IQR/1.34; 4 significant digits).
    ``bw.nrd(precip)`` printed 4.531961975 by R 4.2.2 (10 digits)."""
    assert round(_bandwidth("nrd0"), 3) == 3.848
    assert _bandwidth("nrd") == pytest.approx(4.531961975, abs=5e-10)


def test_kde_bandwidth_statsmodels_and_scipy_rules():
    """statsmodels ``bw_silverman``/``bw_scott`` (IQR/1.349) and SciPy ``gaussian_kde``
    (``factor·s``) as oracles; R's 1.34 and statsmodels' 1.349 differ on this sample."""
    from scipy.stats import gaussian_kde
    from statsmodels.nonparametric.bandwidths import bw_scott, bw_silverman

    x = np.asarray(PRECIP)
    assert _bandwidth("silverman") == pytest.approx(bw_silverman(x), rel=1e-12)
    assert _bandwidth("scott") == pytest.approx(bw_scott(x), rel=1e-12)
    s = np.std(x, ddof=1)
    assert _bandwidth("scipy_scott") == pytest.approx(gaussian_kde(x).factor * s, rel=1e-12)
    kde = gaussian_kde(x, bw_method="silverman")
    assert _bandwidth("scipy_silverman") == pytest.approx(kde.factor * s, rel=1e-12)
    assert _bandwidth("silverman") != pytest.approx(_bandwidth("nrd0"), rel=1e-6)


# --- Tobit: values beyond the limits censored --------------------------------------------------

AFFAIRS = "affairs_fair1978.csv"  # Fair (1978) JPE 86:45-61, as R package AER's data("Affairs")


def test_tobit_beyond_censor_reproduces_aer():
    """R AER ``?tobit`` Examples (man/tobit.Rd, "from Table 22.4 in Greene (2003)"):
    ``tobit(affairs ~ age + yearsmarried + religiousness + occupation + rating, right = 4)``.
    80 answers (7 and 12 affairs) lie beyond the right limit 4; AER censors them. Printed by
    R 4.2.2 / AER 1.2-10 ``coef(summary(fm.tobit2))`` (8 decimals) and ``logLik``
    −500.0428; the left-censored model (``fm.tobit``): 8.174197 … 2.109859, −705.5762."""
    from pathlib import Path

    from coordeval import DataWarning, InputError, tobit

    data = pd.read_csv(Path(__file__).parents[1] / "data" / AFFAIRS)
    X = data.drop(columns="affairs")
    with pytest.raises(InputError, match="Tobit"):
        tobit(data["affairs"], X, left=0, right=4, disp=0)
    with pytest.warns(DataWarning, match="80 score value"):
        res = tobit(data["affairs"], X, left=0, right=4, beyond="censor", disp=0)
    coef = [7.90098045, -0.17759821, 0.53230211, -1.61633565, 0.32418646, -2.20700745,
            2.07231866]  # fmt: skip
    se = [2.80385484, 0.07990629, 0.14116841, 0.42439672, 0.25387778, 0.44983190,
          0.11039607]  # fmt: skip
    np.testing.assert_allclose(res.params, coef, atol=5e-8)
    np.testing.assert_allclose(res.bse, se, atol=5e-6)
    assert round(res.llf, 4) == -500.0428
    left_only = tobit(data["affairs"], X, left=0, right=None, disp=0)
    np.testing.assert_allclose(
        left_only.params,
        [8.174197, -0.179333, 0.554142, -1.686220, 0.326053, -2.284973, 2.109859],
        atol=5e-7,
    )
    assert round(left_only.llf, 4) == -705.5762


# --- the model: presets and named conventions --------------------------------------------------


def _mm_system(weighting: str | None = None):
    from coordeval.system import system_from_dict

    ind = [
        {"id": "x1", "name_zh": "指标一", "name_en": "x1", "direction": "+"},
        {"id": "x2", "name_zh": "指标二", "name_en": "x2", "direction": "-"},
    ]
    data = {"name": "mathmodels example", "subsystems": [
        {"id": "s", "name_zh": "子系统", "name_en": "s", "indicators": ind}]}  # fmt: skip
    if weighting:
        data["method"] = {"weighting": weighting}
    return system_from_dict(data)


def _synthetic_panel(seed: int = 0) -> tuple[object, pd.DataFrame]:
    """A synthetic two-subsystem panel (random numbers, no real data)."""
    from coordeval.system import system_from_dict

    subs = []
    for s, dirs in (("a", "+-"), ("b", "++")):
        subs.append(
            {
                "id": s,
                "name_zh": s,
                "name_en": s,
                "indicators": [
                    {"id": f"{s}{k}", "name_zh": f"{s}{k}", "name_en": f"{s}{k}", "direction": d}
                    for k, d in enumerate(dirs)
                ],
            }
        )
    system = system_from_dict({"name": "synthetic", "subsystems": subs})
    rng = np.random.default_rng(seed)
    idx = pd.MultiIndex.from_product(
        [[f"c{i}" for i in range(12)], [2019, 2020, 2021, 2022]], names=["city", "year"]
    )
    panel = pd.DataFrame(rng.uniform(1, 10, (len(idx), 4)), index=idx, columns=system.indicator_ids)
    return system, panel


def test_preset_mathmodels_reproduces_entropy_weight_printed_output():
    """mathmodels docs/reference/entropy_weight.md (Examples): ``entropy_weight(X, c("+",
    "-"))`` on x1 = (3, 5, 2, 7), x2 = (10, 20, 15, 25) prints w = 0.5452618, 0.4547382 (7
    digits). Its [0.002, 0.998] rescaling equals a shift of 0.002/0.996 in the entropy step."""
    from coordeval import CoordinationModel

    X = pd.DataFrame({"x1": [3.0, 5.0, 2.0, 7.0], "x2": [10.0, 20.0, 15.0, 25.0]})
    model = CoordinationModel(_mm_system(), preset="mathmodels").fit(X)
    assert model.within_weights_.round(7).tolist() == [0.5452618, 0.4547382]
    assert model.params_["obstacle_scaled"] is False
    assert CoordinationModel(_mm_system()).fit(X).params_["obstacle_scaled"] is True


def test_model_sd_weighting_in_memory_and_chunked_agree():
    from coordeval import CoordinationModel

    system, panel = _synthetic_panel()
    model = CoordinationModel(system, weighting="sd").fit(panel)
    Z = normalize(panel, {"a0": "+", "a1": "-", "b0": "+", "b1": "+"})
    for sub in ("a", "b"):
        ids = [f"{sub}0", f"{sub}1"]
        np.testing.assert_allclose(model.within_weights_[ids], sd_weights(Z[ids]), rtol=1e-12)
    chunked = CoordinationModel(system, weighting="sd").fit_chunks(
        [panel.iloc[:10], panel.iloc[10:]]
    )
    np.testing.assert_allclose(chunked.weights_, model.weights_, rtol=1e-10)
    import dask.dataframe as dd

    ddf = dd.from_pandas(panel.reset_index(), npartitions=3)
    on_dask = CoordinationModel(system, weighting="sd").fit(ddf)
    np.testing.assert_allclose(on_dask.weights_, model.weights_, rtol=1e-10)


def test_model_critic_correlation_by_name():
    from coordeval import ConfigError, CoordinationModel

    system, panel = _synthetic_panel(1)
    model = CoordinationModel(system, weighting="critic", critic_correlation="kendall").fit(panel)
    Z = normalize(panel, {"a0": "+", "a1": "-", "b0": "+", "b1": "+"})
    np.testing.assert_allclose(
        model.within_weights_[["a0", "a1"]], critic_weights(Z[["a0", "a1"]], "kendall")
    )
    assert model.params_["critic_correlation"] == "kendall"
    with pytest.raises(ConfigError) as info:
        CoordinationModel(system, weighting="critic", critic_correlation="spearman").fit_chunks(
            [panel.iloc[:20], panel.iloc[20:]]
        )
    assert (info.value.code, info.value.params) == (
        "critic_needs_memory",
        {"correlation": "'spearman'"},
    )
    # the correlation concerns CRITIC only: other weightings still fit in chunks
    cv = CoordinationModel(system, weighting="cv", critic_correlation="kendall")
    cv.fit_chunks([panel.iloc[:20], panel.iloc[20:]])
    with pytest.raises(ConfigError) as info:
        CoordinationModel(system, critic_correlation="distance").fit(panel)
    assert info.value.code == "unknown_convention"
    assert info.value.params["name"] == "critic_correlation"
    with pytest.raises(ConfigError) as info:
        CoordinationModel(system, kde_bw="wide").fit(panel)
    assert (info.value.code, info.value.params["value"]) == ("kde_bw_invalid", "'wide'")


def test_assess_uses_the_named_analysis_conventions():
    """The assessment follows the model's conventions and the methods sheet states them."""
    from coordeval import CoordinationModel
    from coordeval.report.methods import methods_rows

    system, panel = _synthetic_panel(2)
    model = CoordinationModel(
        system,
        preset="mathmodels",
        theil_alpha=0,
        gini_correction=True,
        sigma_log=True,
        kde_bw="nrd0",
    ).fit(panel)
    a = model.assess(panel, robustness_draws=0)
    O = a.tables["obstacles"]
    assert not np.allclose(O.sum(axis=1), 100.0)
    top = a.tables["top_obstacles"]  # all four indicators listed, in % (sums to 100)
    np.testing.assert_allclose(top.groupby(level=[0, 1])["obstacle_pct"].sum(), 100.0)
    np.testing.assert_allclose(a.tables["subsystem_obstacles"].sum(axis=1), 100.0)
    assert "gini_corrected" in a.tables["inequality"]
    assert "sd_log" in a.tables["sigma_convergence"]
    comp = a.composite["closeness"]
    first = comp.xs(2019, level="year").to_numpy()
    assert a.tables["kernel_density"]["bandwidth"].iloc[0] == pytest.approx(
        0.9
        * min(first.std(ddof=1), np.subtract(*np.percentile(first, [75, 25])) / 1.34)
        * first.size ** (-0.2)
    )
    topics = {r[0]: r[2] for r in methods_rows(a.conventions)}
    assert "unscaled" in topics["obstacle scale"]
    assert "α = 0" in topics["Theil / GE"]
    assert "bw.nrd0" in topics["KDE bandwidth"]
    assert "n/(n − 1)" in topics["Gini correction"]


def test_assess_population_weights_the_inequality_tables():
    from coordeval import CoordinationModel, gini

    system, panel = _synthetic_panel(2)
    cities = panel.index.get_level_values("city").unique()
    pop = pd.Series(np.arange(1, len(cities) + 1) * 100.0, index=cities)
    groups = {c: "core" if i < 4 else "rim" for i, c in enumerate(cities)}
    model = CoordinationModel(system).fit(panel)
    a = model.assess(panel, robustness_draws=0, population=pop, groups=groups)
    ineq = a.tables["inequality"]
    row = ineq[(ineq["score"] == "composite") & (ineq["year"] == 2020)].iloc[0]
    comp = a.composite["closeness"].xs(2020, level="year")
    assert row["gini"] == pytest.approx(gini(comp, weights=pop))
    assert row["G_w"] + row["G_nb"] + row["G_t"] == pytest.approx(row["gini"])
    from coordeval.report.methods import method_note_rows

    assert any("population-weighted" in en for _, _, en in method_note_rows(a.notes))
    plain = model.assess(panel, robustness_draws=0, groups=groups).tables["inequality"]
    assert not np.allclose(plain["gini"], ineq["gini"])


def test_methods_row_states_the_ahp_random_index_table():
    from coordeval.report.methods import ahp_row

    r = ahp_weights(_pairwise(DRINKS), random_index="donegan_dodd")
    topic, zh, en = ahp_row(r)
    assert topic == "AHP" and "Donegan & Dodd (1991)" in en and "RI = 1.2519" in en
    assert "Donegan & Dodd" in zh
    user = ahp_row(ahp_weights(np.ones((3, 3)), random_index=[0, 0, 0.5]))
    assert "user-given RI" in user[2]


def test_inequality_weights_by_city_and_year_and_bad_weights_named():
    from coordeval import InputError, gini, inequality_by_year

    idx = pd.MultiIndex.from_product([["a", "b", "c"], [2020, 2021]], names=["city", "year"])
    s = pd.Series([0.2, 0.3, 0.5, 0.4, 0.9, 0.8], index=idx, name="U")
    w = pd.Series([1, 2, 3, 4, 5, 6.0], index=idx)
    out = inequality_by_year(s, weights=w)
    assert out["gini"].tolist() == pytest.approx(
        [gini([0.2, 0.5, 0.9], weights=[1, 3, 5]), gini([0.3, 0.4, 0.8], weights=[2, 4, 6])]
    )
    with pytest.raises(InputError) as exc:
        gini(pd.Series([1.0, 2.0, 3.0], index=list("abc")), weights={"a": "x", "b": -2})
    assert [p.message for p in exc.value.problems] == [
        "'a': weight 'x' must be a positive number",
        "'b': weight -2 must be a positive number",
        "'c': no weight",
    ]
    with pytest.raises(InputError, match="more than one weight"):
        gini(
            pd.Series([1.0, 2.0], index=list("ab")), weights=pd.Series([1, 2, 3], index=list("aab"))
        )


def test_named_conventions_survive_save_and_load(tmp_path):
    from coordeval import CoordinationModel, load_model

    system, panel = _synthetic_panel(2)
    model = CoordinationModel(
        system, preset="mathmodels", weighting="sd", theil_alpha=0.5, kde_bw="nrd0"
    ).fit(panel)
    loaded = load_model(model.save(tmp_path / "m.json"))
    assert loaded.params_ == model.params_
    assert loaded.params_["theil_alpha"] == 0.5 and loaded.params_["obstacle_scaled"] is False
    np.testing.assert_array_equal(loaded.weights_, model.weights_)


# R package ineq 0.2-13, data(Ilocos): household incomes of La Union province (Philippines NSO,
# 1997 Family Income and Expenditure Survey); the package's own test output rescales them by 1e-4
ILOCOS_LA_UNION = "ilocos_la_union_income.csv"


def test_gini_and_theil_reproduce_ineq_test_suite():
    """R ineq tests/Examples/ineq-Ex.Rout.save (printed to 7 significant digits):
    lines 40-53 ``Gini(x, corr = TRUE)`` and ``Gini(y, corr = TRUE)`` = 0.4444444 for
    x = rep(c(50/9, 50), c(9, 1)), y = rep(c(2, 18), c(5, 5)); lines 237-241 ``ineq(x)``
    = 0.4620911; lines 80-106 Theil T of La Union incomes/10000 = 0.3622122."""
    from pathlib import Path

    from coordeval import gini, theil

    x = np.repeat([50 / 9, 50.0], [9, 1])
    y = np.repeat([2.0, 18.0], [5, 5])
    assert round(gini(x, bias_correction=True), 7) == 0.4444444
    assert round(gini(y, bias_correction=True), 7) == 0.4444444
    inc = [541, 1463, 2445, 3438, 4437, 5401, 6392, 8304, 11904, 22261]
    assert round(gini(inc), 7) == 0.4620911
    u = pd.read_csv(Path(__file__).parents[1] / "data" / ILOCOS_LA_UNION)["income"] / 10000
    assert round(theil(u).T, 7) == 0.3622122


@pytest.mark.parametrize(
    ("alpha", "printed"),
    [(0, 0.3580480484), (0.5, 0.3498874231), (2, 0.4599499233), (-1, 0.4489272682)],
)
def test_ge_family_matches_r_ineq_entropy(alpha, printed):
    """R ineq ``entropy(x, parameter = α)`` (GE(α); α = 0 the mean log deviation) on La Union
    incomes/10000, printed with ``digits = 10`` by R 4.2.2 with ineq 0.2-13 installed from its
    CRAN source (R/ineq.R ``entropy``) as a test-only oracle."""
    from pathlib import Path

    from coordeval import theil

    u = pd.read_csv(Path(__file__).parents[1] / "data" / ILOCOS_LA_UNION)["income"] / 10000
    assert theil(u, alpha=alpha).T == pytest.approx(printed, abs=5e-11)


def test_every_preset_is_listed_in_the_readme():
    from pathlib import Path

    from coordeval import PRESETS

    readme = (Path(__file__).parents[2] / "README.md").read_text(encoding="utf-8")
    for name in PRESETS:
        assert f"reset `{name}`" in readme, name  # "Preset `x`" or "(preset `x`)"
