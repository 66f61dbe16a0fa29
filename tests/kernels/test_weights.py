"""Indicator weights: published examples, oracles, hand-computed cases, properties, edge cases."""

from __future__ import annotations

import math
import warnings

import numpy as np
import pandas as pd
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from coordeval import (
    AHPResult,
    ConfigError,
    ConstantIndicatorWarning,
    InputError,
    MethodWarning,
    ahp_weights,
    combine_weights,
    critic_weights,
    cv_weights,
    entropy_table,
    entropy_weights,
    normalize,
    sd_weights,
)
from coordeval.kernels.weights import SAATY_RI, column_sums, entropy_from_sums

# mathmodels roxygen example data (R/entropy_weight.R, R/critic_weight.R)
MM_X = pd.DataFrame({"x1": [3.0, 5.0, 2.0, 7.0], "x2": [10.0, 20.0, 15.0, 25.0]})

positive = st.floats(0.01, 1e4, allow_nan=False, allow_infinity=False)


def positive_matrices(min_rows: int = 2, max_rows: int = 9, max_cols: int = 5):
    shapes = st.tuples(st.integers(min_rows, max_rows), st.integers(2, max_cols))
    return shapes.flatmap(lambda s: arrays(np.float64, s, elements=positive))


def _varies(A: np.ndarray, rel: float = 1e-3) -> bool:
    span = A.max(axis=0) - A.min(axis=0)
    return bool(np.all(span > rel * np.abs(A).max(axis=0)))


def _conflicting(Z: np.ndarray) -> bool:
    """CRITIC is degenerate (and ill-conditioned near it) when a column is (almost) perfectly
    correlated with every other one; see test_critic_perfectly_correlated_columns."""
    conflict = (1 - np.corrcoef(Z, rowvar=False)).sum(axis=0)
    return bool(np.all(conflict > 1e-3))


def brute_entropy(Z: np.ndarray) -> np.ndarray:
    """The definition, cell by cell: p = z/Σz, e = −Σ p ln p / ln n (0·ln 0 = 0), w = d/Σd."""
    n, m = Z.shape
    e = np.empty(m)
    for j in range(m):
        total = sum(Z[i, j] for i in range(n))
        h = 0.0
        for i in range(n):
            p = Z[i, j] / total
            if p > 0:
                h -= p * math.log(p)
        e[j] = h / math.log(n)
    d = 1.0 - e
    return d / d.sum()


# ---------------------------------------------------------------------------------------------
# published worked examples


def test_mathmodels_entropy_weight_printed_output():
    """Jingxin Zhang, R package mathmodels, reference page "Entropy Weight Method" (GitHub
    zhjx19/mathmodels, docs/reference/entropy_weight.md): ``entropy_weight(X, c("+", "-"))``
    prints w = 0.5452618 0.4547382 and s = 56.35354 47.88215 30.39461 54.50808.
    Convention (R/entropy_weight.R): min-max rescaled onto [ε, 1 − ε], ε = 0.002, no shift;
    s = 100·Σ w·z. coordeval: ``normalize(..., feature_range=(0.002, 0.998))``."""
    Z = normalize(MM_X, ["+", "-"], feature_range=(0.002, 0.998))
    w = entropy_weights(Z)
    np.testing.assert_allclose(w, [0.5452618, 0.4547382], rtol=0, atol=5e-8)
    s = 100 * Z.to_numpy() @ w.to_numpy()
    np.testing.assert_allclose(s, [56.35354, 47.88215, 30.39461, 54.50808], rtol=0, atol=5e-6)


def test_mathmodels_critic_weight_printed_output():
    """mathmodels reference page "CRITIC Weight Method" (docs/reference/critic_weight.md):
    ``critic_weight(X, c("+", "-"))`` prints w = 0.5075187 0.4924813 and s = 59.39851
    46.86716 32.83209 50.75187. Convention (R/critic_weight.R): min-max onto [0, 1] with
    directions, R ``sd`` (ddof = 1), Pearson correlation; s = 100·Σ w·z."""
    Z = normalize(MM_X, ["+", "-"])
    w = critic_weights(Z)
    np.testing.assert_allclose(w, [0.5075187, 0.4924813], rtol=0, atol=5e-8)
    s = 100 * Z.to_numpy() @ w.to_numpy()
    np.testing.assert_allclose(s, [59.39851, 46.86716, 32.83209, 50.75187], rtol=0, atol=5e-6)


def test_mathmodels_cv_weight_printed_output():
    """mathmodels reference page "Coefficient of Variation Weighting"
    (docs/reference/cv_weight.md): ``cv_weight(X)`` prints 0.503839 0.496161 (R ``sd``)."""
    X = pd.DataFrame({"x1": [10.0, 20.0, 15.0], "x2": [5.0, 10.0, 8.0]})
    np.testing.assert_allclose(cv_weights(X), [0.503839, 0.496161], rtol=0, atol=5e-7)


def test_mathmodels_ahp_printed_output():
    """mathmodels reference page "AHP: Analytic Hierarchy Process" (docs/reference/AHP.md):
    the 5×5 example prints w = 0.26360349 0.47583538 0.05381460 0.09806829 0.10867824,
    CR = 0.01609027, Lmax = 5.072084, CI = 0.0180211 (Saaty RI(5) = 1.12)."""
    A = [
        [1, 1 / 2, 4, 3, 3],
        [2, 1, 7, 5, 5],
        [1 / 4, 1 / 7, 1, 1 / 2, 1 / 3],
        [1 / 3, 1 / 5, 2, 1, 1],
        [1 / 3, 1 / 5, 3, 1, 1],
    ]
    r = ahp_weights(A)
    assert isinstance(r, AHPResult)
    np.testing.assert_allclose(
        r.weights, [0.26360349, 0.47583538, 0.05381460, 0.09806829, 0.10867824], atol=5e-9
    )
    assert r.cr == pytest.approx(0.01609027, abs=5e-9)
    assert r.lambda_max == pytest.approx(5.072084, abs=5e-7)
    assert r.ci == pytest.approx(0.0180211, abs=5e-8)
    assert r.ri == 1.12


def test_mathmodels_combine_weights_printed_output():
    """mathmodels reference page "Combine Subjective and Objective Weights"
    (docs/reference/combine_weights.md): linear with alpha = 0.6 prints 0.34 0.26 0.24 0.16;
    multiplicative prints 0.4081633 0.2448980 0.2448980 0.1020408."""
    subj, obj = [0.4, 0.3, 0.2, 0.1], [0.25, 0.2, 0.3, 0.25]
    lin = combine_weights(subj, obj, method="linear", alpha=[0.6, 0.4])
    np.testing.assert_allclose(lin, [0.34, 0.26, 0.24, 0.16], atol=5e-15)
    mult = combine_weights(subj, obj, method="multiplicative")
    np.testing.assert_allclose(mult, [0.4081633, 0.2448980, 0.2448980, 0.1020408], atol=5e-8)


def test_xu_2004_entropy_weights_on_raw_data():
    """Xu, X. (2004). A note on the subjective and objective integrated approach to determine
    attribute weights. European Journal of Operational Research 156(2):530–532. Matrix and
    weights (0.4630, 0.3992, 0.1378, 0.0000) as transcribed in GitHub
    energyinpython/pyrepo-mcda, tests/test_weights.py (not read in the paper itself).
    Convention: entropy of the raw positive data (p = x/Σx), no min-max step."""
    X = [[30, 30, 38, 29], [19, 54, 86, 29], [19, 15, 85, 28.9], [68, 70, 60, 29]]
    np.testing.assert_allclose(entropy_weights(X), [0.4630, 0.3992, 0.1378, 0.0000], atol=5e-5)


def test_zavadskas_podvezko_2016_entropy_weights_on_raw_data():
    """Zavadskas, E. K., Podvezko, V. (2016). Integrated determination of objective criteria
    weights in MCDM. International Journal of Information Technology & Decision Making
    15(02):267–283. Matrix and weights (0.1146, 0.1981, 0.4185, 0.2689) as transcribed in
    energyinpython/pyrepo-mcda, tests/test_weights.py; entropy of the raw data (p = x/Σx)."""
    X = [[3.0, 100, 10, 7], [2.5, 80, 8, 5], [1.8, 50, 20, 11], [2.2, 70, 12, 9]]
    np.testing.assert_allclose(entropy_weights(X), [0.1146, 0.1981, 0.4185, 0.2689], atol=5e-5)


def test_ersoy_2021_entropy_weights_on_raw_data():
    """Ersoy, Y. (2021). Equipment selection for an e-commerce company using entropy-based
    TOPSIS, EDAS and CODAS methods during the COVID-19. LogForum 17(3). Matrix and weights
    (0.405, 0.221, 0.134, 0.199, 0.007, 0.034) as transcribed in energyinpython/pyrepo-mcda,
    tests/test_weights.py; entropy of the raw data (p = x/Σx)."""
    X = [
        [256, 8, 41, 1.6, 1.77, 7347.16],
        [256, 8, 32, 1.0, 1.8, 6919.99],
        [256, 8, 53, 1.6, 1.9, 8400],
        [256, 8, 41, 1.0, 1.75, 6808.9],
        [512, 8, 35, 1.6, 1.7, 8479.99],
        [256, 4, 35, 1.6, 1.7, 7499.99],
    ]
    np.testing.assert_allclose(
        entropy_weights(X), [0.405, 0.221, 0.134, 0.199, 0.007, 0.034], atol=5e-4
    )


def test_tus_aytac_adali_2019_critic_weights():
    """Tuş, A., Aytaç Adalı, E. (2019). The new combination with CRITIC and WASPAS methods for
    the time and attendance software selection problem. Opsearch 56(2):528–538. Matrix and
    weights (0.157, 0.249, 0.168, 0.121, 0.154, 0.151) as transcribed in
    energyinpython/pyrepo-mcda, tests/test_weights.py (not read in the paper itself).
    Convention of that transcription: every column min-max normalised as a benefit column
    (the price column is not reversed), population SD; coordeval's sample SD gives the same
    weights because the SD factor cancels."""
    X = [
        [5000, 3, 3, 4, 3, 2],
        [680, 5, 3, 2, 2, 1],
        [2000, 3, 2, 3, 4, 3],
        [600, 4, 3, 1, 2, 2],
        [800, 2, 4, 3, 3, 4],
    ]
    np.testing.assert_allclose(
        critic_weights(normalize(X)), [0.157, 0.249, 0.168, 0.121, 0.154, 0.151], atol=5e-4
    )


# ---------------------------------------------------------------------------------------------
# test-only oracles


def test_entropy_equals_pymcdm_on_strictly_positive_raw_data():
    """Oracle: pymcdm 1.4 ``weights.entropy_weights`` (sum normalisation, k = 1/ln m)."""
    pw = pytest.importorskip("pymcdm.weights")
    rng = np.random.default_rng(10)
    for shape in [(3, 2), (7, 4), (25, 6)]:
        X = rng.uniform(0.5, 500, size=shape)
        np.testing.assert_allclose(entropy_weights(X), pw.entropy_weights(X), rtol=1e-10)


def test_entropy_differs_from_pymcdm_on_columns_with_zeros():
    """Documented difference: pymcdm 1.4 refuses zeros in entropy weights (its
    sum_normalization raises ValueError; older pymcdm set e = 0 for such a column), whereas
    coordeval applies 0·ln 0 = 0 and agrees with the definition computed cell by cell."""
    pw = pytest.importorskip("pymcdm.weights")
    Z = np.array([[0.0, 1.0], [0.5, 2.0], [1.0, 4.0]])
    with pytest.raises(ValueError):
        pw.entropy_weights(Z)
    np.testing.assert_allclose(entropy_weights(Z), brute_entropy(Z), rtol=1e-12)


def test_minmax_entropy_shift_zero_equals_skcriteria_pipeline():
    """Oracle: scikit-criteria 0.10 ``MinMaxInverter`` → ``EntropyWeighter`` (scipy entropy,
    base = number of alternatives; a zero contributes 0) equals coordeval min-max with
    directions and shift 0, zeros (the worst city of each column) included."""
    skc = pytest.importorskip("skcriteria")
    from skcriteria.preprocessing.invert_objectives import MinMaxInverter
    from skcriteria.preprocessing.weighters import EntropyWeighter

    rng = np.random.default_rng(11)
    X = rng.uniform(1, 9, size=(9, 5))
    dirs = ["+", "-", "+", "-", "-"]
    dm = skc.mkdm(X, [max if d == "+" else min for d in dirs])
    theirs = EntropyWeighter().transform(MinMaxInverter().transform(dm)).weights.to_numpy()
    ours = entropy_weights(normalize(X, dirs, shift=0.0)).to_numpy()
    np.testing.assert_allclose(ours, theirs, rtol=1e-10)


def test_critic_equals_pymcdm_and_skcriteria():
    """Oracles: pymcdm 1.4 ``weights.critic_weights`` (min-max of all columns as benefit,
    ddof = 1) and scikit-criteria 0.10 ``CRITIC`` after ``MinMaxInverter`` (ddof = 0). The
    SD convention cancels in w = C/ΣC, so both coincide with coordeval (ddof = 1)."""
    pw = pytest.importorskip("pymcdm.weights")
    skc = pytest.importorskip("skcriteria")
    from skcriteria.preprocessing.invert_objectives import MinMaxInverter
    from skcriteria.preprocessing.weighters import CRITIC

    rng = np.random.default_rng(12)
    X = rng.uniform(0, 100, size=(10, 4))
    np.testing.assert_allclose(critic_weights(normalize(X)), pw.critic_weights(X), rtol=1e-10)
    dirs = ["+", "-", "-", "+"]
    dm = skc.mkdm(X, [max if d == "+" else min for d in dirs])
    theirs = CRITIC().transform(MinMaxInverter().transform(dm)).weights.to_numpy()
    np.testing.assert_allclose(critic_weights(normalize(X, dirs)), theirs, rtol=1e-10)


# ---------------------------------------------------------------------------------------------
# hand-computed cases


def test_entropy_table_by_hand_with_zero_log_zero():
    """a = (0, 1, 2): p = (0, 1/3, 2/3), e = −(⅓ln⅓ + ⅔ln⅔)/ln 3; b = (0, 0, 5): p = (0, 0, 1),
    e = 0 (0·ln 0 = 0); d = 1 − e, w = d/Σd."""
    Z = pd.DataFrame({"a": [0.0, 1.0, 2.0], "b": [0.0, 0.0, 5.0]})
    t = entropy_table(Z)
    ea = -(1 / 3 * math.log(1 / 3) + 2 / 3 * math.log(2 / 3)) / math.log(3)
    np.testing.assert_allclose(t["e"], [ea, 0.0], atol=1e-15)
    np.testing.assert_allclose(t["d"], [1 - ea, 1.0], atol=1e-15)
    np.testing.assert_allclose(t["w"], [(1 - ea) / (2 - ea), 1 / (2 - ea)], atol=1e-15)
    assert list(t.index) == ["a", "b"] and list(t.columns) == ["e", "d", "w"]
    w = entropy_weights(Z)
    assert w.name == "weight" and list(w.index) == ["a", "b"]


def test_entropy_two_rows_by_hand():
    """n = 2, column (1, 3): p = (¼, ¾), e = −(¼ln¼ + ¾ln¾)/ln 2 ≈ 0.811278."""
    t = entropy_table([[1.0, 2.0], [3.0, 2.5]])
    e1 = -(0.25 * math.log(0.25) + 0.75 * math.log(0.75)) / math.log(2)
    e2 = -(2 / 4.5 * math.log(2 / 4.5) + 2.5 / 4.5 * math.log(2.5 / 4.5)) / math.log(2)
    np.testing.assert_allclose(t["e"], [e1, e2], atol=1e-15)
    assert e1 == pytest.approx(0.811278, abs=5e-7)


def test_critic_by_hand_three_rows():
    """Z columns a = (0, 0.5, 1), b = (1, 0, 0.5): σ = (0.5, 0.5), r_ab = −0.5;
    C = σ·Σ_k(1 − r) = 0.5·(0 + 1.5) for both → w = (½, ½). Adding c = a gives r_ac = 1,
    r_bc = −0.5: C_a = C_c = 0.5·1.5, C_b = 0.5·3 → w = (¼, ½, ¼)."""
    Z = pd.DataFrame({"a": [0.0, 0.5, 1.0], "b": [1.0, 0.0, 0.5]})
    np.testing.assert_allclose(critic_weights(Z), [0.5, 0.5], atol=1e-15)
    Z["c"] = Z["a"]
    np.testing.assert_allclose(critic_weights(Z), [0.25, 0.5, 0.25], atol=1e-15)


def test_critic_perfectly_correlated_columns():
    """Two perfectly correlated columns (e.g. normalize([[0.01171875, 1], [1, 2]], shift=0.01)):
    1 − r is rounding noise, so the weights are undefined; unclipped, r gave (−3e15, 3e15)."""
    Z = [[0.01, 0.01], [1.0099999999999998, 1.01]]
    with pytest.raises(ValueError, match="constant or perfectly correlated"):
        critic_weights(Z)
    # r = −1 is full conflict (1 − r = 2), not a degenerate case
    np.testing.assert_allclose(critic_weights([[0.0, 1.0], [0.5, 0.5], [1.0, 0.0]]), [0.5, 0.5])


def test_cv_by_hand():
    """a = (1, 2, 3): μ = 2, s = 1, v = 0.5; b = (−2, −4, −6): μ = −4, s = 2, v = 0.5 (|μ|);
    c = (10, 10, 13): μ = 11, s = √3, v = √3/11."""
    X = pd.DataFrame({"a": [1.0, 2.0, 3.0], "b": [-2.0, -4.0, -6.0], "c": [10.0, 10.0, 13.0]})
    v = np.array([0.5, 0.5, math.sqrt(3) / 11])
    np.testing.assert_allclose(cv_weights(X), v / v.sum(), atol=1e-15)


def test_ahp_consistent_matrix_by_hand():
    """A consistent matrix a_ij = w_i/w_j with w = (4, 2, 1)/7: λmax = n = 3, CI = CR = 0."""
    A = pd.DataFrame(
        [[1, 2, 4], [0.5, 1, 2], [0.25, 0.5, 1]], index=["gdp", "edu", "air"], dtype=float
    )
    r = ahp_weights(A)
    np.testing.assert_allclose(r.weights, [4 / 7, 2 / 7, 1 / 7], atol=1e-12)
    assert list(r.weights.index) == ["gdp", "edu", "air"]
    assert r.lambda_max == pytest.approx(3.0, abs=1e-12)
    assert abs(r.ci) < 1e-12 and abs(r.cr) < 1e-12 and r.ri == 0.58


def test_ahp_cr_by_hand_from_power_iteration():
    """Independent reference: λmax by power iteration, CI = (λ − n)/(n − 1), CR = CI/RI(4)
    with Saaty's RI(4) = 0.90."""
    A = np.array([[1, 3, 5, 7], [1 / 3, 1, 3, 5], [1 / 5, 1 / 3, 1, 3], [1 / 7, 1 / 5, 1 / 3, 1]])
    v = np.ones(4)
    for _ in range(200):
        v = A @ v
        v /= v.sum()
    lam = float((A @ v / v).mean())
    r = ahp_weights(A)
    np.testing.assert_allclose(r.weights, v, atol=1e-10)
    assert r.lambda_max == pytest.approx(lam, abs=1e-10)
    assert r.cr == pytest.approx((lam - 4) / 3 / 0.90, abs=1e-10)


def test_saaty_random_index_table():
    """Saaty's RI for n = 3…8 as printed in the AHP step list of IWA Publishing's figure
    (iwaponline.com/view-large/3120630, Table 2): 0.58, 0.9, 1.12, 1.24, 1.32, 1.41."""
    assert SAATY_RI[:8] == (0.0, 0.0, 0.58, 0.90, 1.12, 1.24, 1.32, 1.41)


def test_ahp_inconsistent_matrix_warns_and_two_by_two_has_cr_zero():
    with pytest.warns(MethodWarning, match="CR"):
        r = ahp_weights([[1, 9, 9], [1 / 9, 1, 9], [1 / 9, 1 / 9, 1]])
    assert r.cr > 0.1
    r2 = ahp_weights([[1, 3], [1 / 3, 1]])
    np.testing.assert_allclose(r2.weights, [0.75, 0.25], atol=1e-12)
    assert r2.cr == 0.0


def test_ahp_accepts_rounded_reciprocals():
    r = ahp_weights([[1, 3, 0.5], [0.33, 1, 0.25], [2, 4, 1]])
    assert np.isclose(r.weights.sum(), 1.0) and r.cr < 0.1


@pytest.mark.parametrize(
    "A",
    [
        [[1, 2, 3], [0.5, 1, 2]],
        [[1, 3], [3, 1]],
        [[1, -2], [-0.5, 1]],
        [[2, 4], [0.25, 2]],
        [[1, np.nan], [1, 1]],
        np.ones((16, 16)),
    ],
)
def test_ahp_invalid_matrices(A):
    with pytest.raises(ValueError) as exc:
        ahp_weights(A)
    assert isinstance(exc.value, InputError | ConfigError)
    assert all(p.code for p in exc.value.problems)


def test_combine_weights_by_hand_both_methods_and_label_alignment():
    """(0.2, 0.8) ⊗ (0.5, 0.5): product (0.1, 0.4)/0.5 = (0.2, 0.8); linear with α = (3, 1)
    (renormalised to ¾, ¼): ¾·(0.2, 0.8) + ¼·(0.5, 0.5) = (0.275, 0.725). Series are aligned
    by label, not position."""
    a = pd.Series({"gdp": 0.2, "pm25": 0.8})
    b = pd.Series({"pm25": 0.5, "gdp": 0.5})
    mult = combine_weights(a, b)
    np.testing.assert_allclose(mult[["gdp", "pm25"]], [0.2, 0.8], atol=1e-15)
    lin = combine_weights(a, b, method="linear", alpha=[3, 1])
    np.testing.assert_allclose(lin[["gdp", "pm25"]], [0.275, 0.725], atol=1e-15)
    eq = combine_weights([0.2, 0.8], [0.6, 0.4], method="linear")
    np.testing.assert_allclose(eq, [0.4, 0.6], atol=1e-15)


@pytest.mark.parametrize(
    ("args", "kwargs"),
    [
        (([0.5, 0.5],), {}),
        (([0.5, 0.5], [0.2, 0.3, 0.5]), {}),
        ((pd.Series({"a": 1.0}), pd.Series({"b": 1.0})), {}),
        (([0.5, 0.5], [0.5, 0.5]), {"method": "geometric"}),
        (([0.5, 0.5], [-0.5, 1.5]), {}),
    ],
)
def test_combine_weights_invalid(args, kwargs):
    with pytest.raises(ConfigError) as exc:
        combine_weights(*args, **kwargs)
    assert exc.value.code


def test_combine_weights_with_all_zero_products_raises():
    with warnings.catch_warnings():
        warnings.simplefilter("error", RuntimeWarning)
        with pytest.raises(ConfigError) as exc:
            combine_weights([1.0, 0.0], [0.0, 1.0])
    assert exc.value.code == "combined_weights_zero"


# ---------------------------------------------------------------------------------------------
# column reductions (mergeable fit statistics)


def test_entropy_from_chunked_column_sums_equals_whole():
    """The fit is a set of mergeable column reductions: Σz and Σz·ln z summed over chunks give
    the same entropy as the whole table."""
    rng = np.random.default_rng(13)
    Z = rng.uniform(0, 1, size=(40, 3))
    Z[0, 0] = 0.0
    parts = [column_sums(c) for c in np.array_split(Z, 5)]
    s = sum(p[0] for p in parts)
    sl = sum(p[1] for p in parts)
    e = entropy_from_sums(s, sl, Z.shape[0])
    np.testing.assert_allclose(e, entropy_table(Z)["e"], rtol=1e-12)
    with pytest.raises(ValueError):
        entropy_from_sums(s, sl, 1)


def test_entropy_from_sums_dead_and_constant_columns_are_one():
    s = np.array([0.0, 3.0, 6.0])
    sl = np.array([0.0, 0.0, 6 * math.log(2)])
    e = entropy_from_sums(s, sl, 3, constant=np.array([False, False, True]))
    assert e[0] == 1.0 and e[2] == 1.0
    assert 0.0 <= e[1] <= 1.0


# ---------------------------------------------------------------------------------------------
# properties


@settings(max_examples=60, deadline=None)
@given(A=positive_matrices())
def test_entropy_matches_brute_force_definition(A):
    assume(_varies(A))
    np.testing.assert_allclose(entropy_weights(A), brute_entropy(A), rtol=1e-7, atol=1e-9)


@settings(max_examples=60, deadline=None)
@given(A=positive_matrices(), shift=st.sampled_from([0.0, 1e-4, 0.01]))
def test_weights_are_finite_nonnegative_and_sum_to_one(A, shift):
    assume(_varies(A))
    Z = normalize(A, shift=shift)
    assume(_conflicting(Z.to_numpy()))
    for w in (entropy_weights(Z), critic_weights(Z), cv_weights(A)):
        arr = w.to_numpy()
        assert np.all(np.isfinite(arr)) and np.all(arr >= 0)
        assert arr.sum() == pytest.approx(1.0, abs=1e-12)


@settings(max_examples=60, deadline=None)
@given(
    A=positive_matrices(min_rows=3),
    scale=st.floats(0.001, 1000),
    offset=st.floats(-1e4, 1e4),
    shift=st.sampled_from([0.0, 1e-4]),
    data=st.data(),
)
def test_minmax_entropy_weights_invariant_to_scaling_and_shifting_a_column(
    A, scale, offset, shift, data
):
    assume(_varies(A))
    j = data.draw(st.integers(0, A.shape[1] - 1))
    dirs = data.draw(st.lists(st.sampled_from("+-"), min_size=A.shape[1], max_size=A.shape[1]))
    B = A.copy()
    B[:, j] = scale * A[:, j] + offset
    wa = entropy_weights(normalize(A, dirs, shift=shift))
    wb = entropy_weights(normalize(B, dirs, shift=shift))
    np.testing.assert_allclose(wb, wa, rtol=1e-6, atol=1e-9)


@settings(max_examples=40, deadline=None)
@given(A=positive_matrices(min_rows=3), data=st.data())
def test_weights_invariant_to_row_order_and_follow_column_order(A, data):
    assume(_varies(A))
    rows = data.draw(st.permutations(range(A.shape[0])))
    cols = data.draw(st.permutations(range(A.shape[1])))
    Z = normalize(A).to_numpy()
    assume(_conflicting(Z))
    for f in (entropy_weights, critic_weights):
        base = f(Z).to_numpy()
        np.testing.assert_allclose(f(Z[list(rows)]).to_numpy(), base, rtol=1e-9, atol=1e-12)
        np.testing.assert_allclose(f(Z[:, list(cols)]).to_numpy(), base[list(cols)], atol=1e-12)


# ---------------------------------------------------------------------------------------------
# edge cases


def test_constant_column_gets_weight_zero_and_a_warning():
    Z = pd.DataFrame({"a": [0.2, 0.5, 0.9], "flat": [0.4, 0.4, 0.4], "b": [1.0, 0.0, 0.3]})
    with pytest.warns(ConstantIndicatorWarning, match="flat"):
        t = entropy_table(Z)
    assert t.loc["flat", "e"] == 1.0 and t.loc["flat", "d"] == 0.0 and t.loc["flat", "w"] == 0.0
    rest = entropy_weights(Z[["a", "b"]])
    np.testing.assert_allclose(t.loc[["a", "b"], "w"], rest, rtol=1e-12)
    with pytest.warns(ConstantIndicatorWarning, match="flat"):
        c = critic_weights(Z)
    assert c["flat"] == 0.0 and np.isclose(c.sum(), 1.0)
    np.testing.assert_allclose(c[["a", "b"]], critic_weights(Z[["a", "b"]]), rtol=1e-12)


def test_cv_constant_column_with_exact_zero_sd_gets_weight_zero():
    X = pd.DataFrame({"a": [0.2, 0.5, 0.9], "flat": [0.5, 0.5, 0.5]})
    with pytest.warns(ConstantIndicatorWarning, match="flat"):
        v = cv_weights(X)
    assert v["flat"] == 0.0 and v["a"] == 1.0


def test_cv_constant_column_gets_weight_exactly_zero():
    """np.std of (0.4, 0.4, 0.4) is ~7e-17, not 0: constants are found by max − min."""
    X = pd.DataFrame({"a": [0.2, 0.5, 0.9], "flat": [0.4, 0.4, 0.4]})
    with pytest.warns(ConstantIndicatorWarning, match="flat"):
        v = cv_weights(X)
    assert v["flat"] == 0.0


@pytest.mark.parametrize("f", [entropy_weights, critic_weights, cv_weights])
def test_all_columns_constant_raise_valueerror(f):
    with pytest.warns(ConstantIndicatorWarning), pytest.raises(ValueError, match="varies"):
        f([[0.5, 2.0], [0.5, 2.0], [0.5, 2.0]])


def test_cv_all_constant_columns_raise_even_when_sd_rounds_above_zero():
    with pytest.warns(ConstantIndicatorWarning), pytest.raises(ValueError, match="varies"):
        cv_weights([[0.4, 0.1], [0.4, 0.1], [0.4, 0.1]])


def test_negative_input_to_entropy_raises_naming_the_column_and_row():
    Z = pd.DataFrame({"ok": [0.1, 0.5, 1.0], "neg": [0.2, -0.1, 0.3]})
    with pytest.raises(InputError) as exc:
        entropy_weights(Z)
    (p,) = exc.value.problems
    assert (p.code, p.column, p.value, p.params["rows"]) == ("negative_values", "neg", "-0.1", "1")


@pytest.mark.parametrize("f", [entropy_weights, critic_weights, cv_weights, sd_weights])
def test_one_row_raises_inputerror(f):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConstantIndicatorWarning)
        with pytest.raises(InputError) as exc:
            f([[0.3, 0.7]])
    (p,) = exc.value.problems
    assert (p.code, p.params["minimum"], p.params["n_rows"]) == ("too_few_rows", 2, 1)


def test_one_row_entropy_raises_without_a_misleading_warning():
    with pytest.raises(InputError) as exc:
        entropy_weights([[0.3, 0.7]])
    assert [p.code for p in exc.value.problems] == ["too_few_rows"]


@pytest.mark.parametrize("f", [entropy_weights, critic_weights, cv_weights, sd_weights])
def test_missing_values_raise_inputerror_naming_column_and_row(f):
    with pytest.raises(InputError) as exc:
        f(pd.DataFrame({"a": [0.1, np.nan, 0.3], "b": [0.2, 0.4, 0.9]}))
    (p,) = exc.value.problems
    assert (p.code, p.column, p.params["rows"]) == ("missing_values", "a", "1")


def test_cv_mean_zero_raises():
    with pytest.raises(ValueError, match="mean 0"):
        cv_weights([[-1.0, 1.0], [1.0, 2.0]])
