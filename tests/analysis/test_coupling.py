"""Coupling coordination: published examples, identities, grades, guards, lag types."""

from __future__ import annotations

import itertools
import math
import warnings
from fractions import Fraction

import numpy as np
import pandas as pd
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from coordeval.analysis.coupling import (
    coupling_coordination,
    intervalize,
    pairwise_coupling,
    relative_development,
)
from coordeval.conventions import COUPLING_STAGES, SPSSAU_LEVELS, TEN_LEVELS, GradeScheme
from coordeval.errors import ConfigError, DataWarning, InputError, MethodWarning
from coordeval.kernels.coupling import coupling_arrays, grade_arrays, pairwise_gap_sum

MODELS = ("classic", "wang2021", "fan2024")

# zhjx19/mathmodels example data (R/coupling.R and R/system_evaluation.R roxygen examples).
S1 = [0.0162, 0.1782, 0.5490, 0.6730, 0.0207, 0.9875]
S2 = [0.2720, 0.6824, 0.0593, 0.4812, 0.8891, 0.5573]
S3 = [0.2655, 0.3721, 0.5729, 0.9082, 0.2017, 0.8984]


def test_mathmodels_coupling_two_subsystems_printed_output():
    """Jingxin Zhang, R package mathmodels 0.0.2, reference page "Coupling and Coordination
    Analysis" (GitHub zhjx19/mathmodels, docs/reference/coupling.html): ``coupling(df)`` and
    ``coupling(df, c(0.6, 0.4))`` print CD, CI, CCD to 7 decimals (CI to 5)."""
    U = pd.DataFrame({"s1": S1, "s2": S2})
    cd = [0.4606573, 0.8104048, 0.5932335, 0.9860962, 0.2982253, 0.9604413]
    eq = coupling_coordination(U)
    np.testing.assert_allclose(eq["C"], cd, rtol=0, atol=5e-8)
    np.testing.assert_allclose(
        eq["T"], [0.14410, 0.43030, 0.30415, 0.57710, 0.45490, 0.77240], rtol=0, atol=5e-9
    )
    np.testing.assert_allclose(
        eq["D"],
        [0.2576446, 0.5905228, 0.4247729, 0.7543713, 0.3683242, 0.8613041],
        rtol=0,
        atol=5e-8,
    )
    wt = coupling_coordination(U, weights=[0.6, 0.4])
    np.testing.assert_allclose(wt["C"], cd, rtol=0, atol=5e-8)
    np.testing.assert_allclose(
        wt["T"], [0.11852, 0.37988, 0.35312, 0.59628, 0.36806, 0.81542], rtol=0, atol=5e-9
    )
    np.testing.assert_allclose(
        wt["D"],
        [0.2336602, 0.5548483, 0.4576927, 0.7668047, 0.3313077, 0.8849650],
        rtol=0,
        atol=5e-8,
    )


def test_mathmodels_coupling_degree_three_subsystems_standard_and_adjusted():
    """mathmodels reference page "system_evaluation" (GitHub zhjx19/mathmodels,
    docs/reference/system_evaluation.html): ``coupling_degree(df)`` and
    ``coupling_degree(df, c(0.4, 0.3, 0.3), type = "adjusted")`` (the 王淑佳 et al. 2021
    model) printed by tibble to 3 significant digits."""
    U = pd.DataFrame({"s1": S1, "s2": S2, "s3": S3}, index=list("ABCDEF"))
    std = coupling_coordination(U)
    np.testing.assert_allclose(std["C"], [0.571, 0.867, 0.674, 0.967, 0.418, 0.971], atol=5e-4)
    np.testing.assert_allclose(std["T"], [0.185, 0.411, 0.394, 0.687, 0.370, 0.814], atol=5e-4)
    np.testing.assert_allclose(std["D"], [0.325, 0.597, 0.515, 0.815, 0.393, 0.889], atol=5e-4)
    adj = coupling_coordination(U, model="wang2021", weights=[0.4, 0.3, 0.3])
    np.testing.assert_allclose(adj["C"], [0.447, 0.501, 0.455, 0.669, 0.175, 0.715], atol=5e-4)
    np.testing.assert_allclose(adj["T"], [0.168, 0.388, 0.409, 0.686, 0.336, 0.832], atol=5e-4)
    np.testing.assert_allclose(adj["D"], [0.274, 0.440, 0.432, 0.678, 0.242, 0.771], atol=5e-4)


def test_wang2021_product_is_over_ratios_to_the_maximum():
    """The printed mathmodels "adjusted" C values (first row 0.447) are reproduced only by
    (Π U_i/max U)^{1/(n−1)}; the other reading (Π U_i)/max U gives 0.233 for row A."""
    u = np.array([S1[0], S2[0], S3[0]])
    other = math.sqrt(
        (1 - (abs(u[0] - u[1]) + abs(u[0] - u[2]) + abs(u[1] - u[2])) / 3)
        * (np.prod(u) / u.max()) ** 0.5
    )
    C = coupling_arrays(u, "wang2021")[0]
    assert round(float(C), 3) == 0.447
    assert round(other, 3) != 0.447


GZMA_DT = np.array(
    [
        [0.8179733, 0.3246648, 0.6590316, 0.1308531],
        [0.3020233, 0.1318888, 0.4046987, 0.5173794],
        [0.9209903, 0.3353516, 0.6921477, 0.3141320],
        [0.9604095, 0.3914758, 0.7099999, 0.4316421],
        [0.9061589, 0.3473603, 0.7297774, 0.6909494],
        [0.9456379, 0.4391423, 0.7304117, 0.4792905],
    ]
)
GZMA_PRINTED = {
    "classic": (
        [0.8051958, 0.8914577, 0.8999423, 0.9346128, 0.9440912, 0.9519923],
        [0.6237105, 0.5497290, 0.7134825, 0.7632959, 0.7944703, 0.7858001],
    ),
    "wang2021": (
        [0.4722274, 0.6211236, 0.5375842, 0.5861986, 0.6640321, 0.6319211],
        [0.4776480, 0.4588675, 0.5514412, 0.6045044, 0.6662930, 0.6402164],
    ),
    "fan2024": (
        [0.4593785, 0.7164548, 0.4915051, 0.5399620, 0.5951898, 0.5907777],
        [0.4711049, 0.4928249, 0.5272784, 0.5801746, 0.6308098, 0.6190239],
    ),
}


@pytest.mark.parametrize("model", MODELS)
def test_cran_coupling_vignette_gzma(model):
    """Wenbo Lyu, CRAN package ``coupling``, vignette "Coupling Coordination Degree Model and
    Metacoupling Analysis" (https://stscl.github.io/coupling/articles/ccd.html; GitHub
    stscl/coupling articles/ccd.md): ``head(dt)`` of the min-max normalised gzma scores and
    ``head(coupling::ccd(dt, method = "standard" | "wang" | "fan"))``, all to 7 decimals.
    The inputs are themselves printed to 7 decimals, so agreement is to 1e-7."""
    C, _, D = coupling_arrays(GZMA_DT, model)
    np.testing.assert_allclose(C, GZMA_PRINTED[model][0], rtol=0, atol=1e-7)
    np.testing.assert_allclose(D, GZMA_PRINTED[model][1], rtol=0, atol=1e-7)
    out = coupling_coordination(GZMA_DT, model=model)
    np.testing.assert_allclose(out["D"], GZMA_PRINTED[model][1], rtol=0, atol=1e-7)


ZHANGYE_U1 = [0.028, 0.070, 0.114, 0.155, 0.183, 0.246, 0.327, 0.412, 0.555, 0.651, 0.758]
ZHANGYE_U1 += [0.885, 0.928]
ZHANGYE_U2 = [0.487, 0.583, 0.617, 0.597, 0.622, 0.599, 0.397, 0.390, 0.440, 0.513, 0.527]
ZHANGYE_U2 += [0.739, 0.794]
ZHANGYE_C = [0.457, 0.619, 0.726, 0.810, 0.838, 0.909, 0.995, 1.000, 0.993, 0.993, 0.984]
ZHANGYE_C += [0.996, 0.997]


def test_zhangye_two_system_series():
    """唐志强, 秦娜, 张掖市新型城镇化与生态安全耦合协调发展研究, 干旱区地理 (ChinaXiv
    202006.00126, GitHub DreamBlooms/ChinaXiv-201601-to-202209 md/ChinaXiv-202006.00126V1.md),
    Table 7 (2005-2017): urbanisation and ecological-security indices and the two-system C
    (the row labelled 耦合协调度 holds 2√(u1u2)/(u1+u2)), all to 3 decimals.

    Every printed C lies within the range C takes over the ±0.0005 rounding box of the
    printed inputs; recomputed from the rounded inputs, 12 of 13 years round to the printed
    value, 2005 (u1 = 0.028 has only two significant digits) gives 0.4535 vs 0.457."""
    u1 = np.array(ZHANGYE_U1)
    u2 = np.array(ZHANGYE_U2)
    printed = np.array(ZHANGYE_C)
    corners = [
        coupling_arrays(np.column_stack([u1 + a, u2 + b]))[0]
        for a in (-5e-4, 5e-4)
        for b in (-5e-4, 5e-4)
    ]
    lo, hi = np.min(corners, axis=0), np.max(corners, axis=0)
    assert np.all(lo <= printed + 5e-4)
    assert np.all(hi >= printed - 5e-4)
    C = coupling_coordination(np.column_stack([u1, u2]))["C"].to_numpy()
    exact = np.ones(13, dtype=bool)
    exact[[0, 3]] = False
    np.testing.assert_allclose(np.round(C[exact], 3), printed[exact], rtol=0, atol=1e-9)
    np.testing.assert_allclose(C[~exact], [0.4535, 0.8090], rtol=0, atol=5e-5)


unit = st.one_of(st.just(0.0), st.floats(min_value=1e-3, max_value=1.0))


def matrices(min_cols: int = 2, max_cols: int = 7):
    return st.integers(min_cols, max_cols).flatmap(
        lambda n: arrays(np.float64, st.tuples(st.integers(1, 8), st.just(n)), elements=unit)
    )


def brute_classic(u: np.ndarray) -> float:
    if u.max() == 0:
        return 0.0
    n = len(u)
    return n * math.prod(u) ** (1 / n) / sum(u)


def brute_wang(u: np.ndarray) -> float:
    if u.max() == 0:
        return 0.0
    n = len(u)
    gap = sum(abs(a - b) for a, b in itertools.combinations(u, 2))
    spread = 1 - gap / sum(range(1, n))
    rel = math.prod(x / max(u) for x in u) ** (1 / (n - 1))
    return math.sqrt(spread * rel)


def brute_fan(u: np.ndarray) -> float:
    if u.max() == 0:
        return 0.0
    n = len(u)
    x = [Fraction(float(v)) for v in u]
    var = (n * sum(v * v for v in x) - sum(x) ** 2) / n**2
    return 1 - 2 * math.sqrt(var)


@settings(max_examples=150, deadline=None)
@given(matrices())
def test_models_match_brute_force_definitions(U):
    """Each model equals a row-by-row implementation of its published formula (CRAN
    ``coupling`` vignette: standard, Wang et al. 2021, Fan et al. 2024)."""
    for model, brute in (
        ("classic", brute_classic),
        ("wang2021", brute_wang),
        ("fan2024", brute_fan),
    ):
        C = coupling_arrays(U, model)[0]
        ref = np.array([brute(row) for row in U])
        np.testing.assert_allclose(C, ref, rtol=1e-9, atol=1e-12)
        assert np.all((C >= 0) & (C <= 1))


@settings(max_examples=100, deadline=None)
@given(arrays(np.float64, st.tuples(st.integers(1, 10), st.just(2)), elements=unit))
def test_classic_two_subsystems_identity(U):
    """n = 2: C = 2√(U1U2)/(U1 + U2) (廖重斌 1999 two-system form)."""
    u1, u2 = U[:, 0], U[:, 1]
    with np.errstate(invalid="ignore"):
        ref = np.where(u1 + u2 > 0, 2 * np.sqrt(u1 * u2) / (u1 + u2), 0.0)
    np.testing.assert_allclose(coupling_arrays(U)[0], ref, rtol=1e-12, atol=1e-15)


@settings(max_examples=100, deadline=None)
@given(matrices())
def test_fan_is_one_minus_twice_population_sd(U):
    expected = np.where(U.max(axis=1) > 0, 1 - 2 * np.std(U, axis=1), 0.0)
    np.testing.assert_allclose(coupling_arrays(U, "fan2024")[0], expected, atol=1e-12)


@settings(max_examples=100, deadline=None)
@given(st.integers(2, 7), st.floats(min_value=1e-3, max_value=1.0), matrices())
def test_wang_equals_one_iff_all_equal(n, value, U):
    equal = np.full((1, n), value)
    for model in MODELS:
        assert coupling_arrays(equal, model)[0][0] == 1.0
    spread = U.max(axis=1) - U.min(axis=1)
    assume(np.all(spread > 1e-6))
    assert np.all(coupling_arrays(U, "wang2021")[0] < 1.0)


@settings(max_examples=100, deadline=None)
@given(matrices())
def test_pairwise_gap_sum_matches_broadcasting(U):
    brute = np.abs(U[:, :, None] - U[:, None, :]).sum(axis=(1, 2)) / 2
    np.testing.assert_allclose(pairwise_gap_sum(U), brute, rtol=1e-12, atol=1e-12)


@settings(max_examples=60, deadline=None)
@given(matrices(), st.data())
def test_t_is_weighted_mean_and_d_is_sqrt_ct(U, data):
    n = U.shape[1]
    w = np.array(data.draw(st.lists(st.floats(0.01, 5.0), min_size=n, max_size=n)))
    for model in MODELS:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", MethodWarning)
            out = coupling_coordination(U, model=model, weights=w)
        alpha = w / w.sum()
        np.testing.assert_allclose(out["T"], U @ alpha, rtol=1e-12, atol=1e-15)
        np.testing.assert_allclose(out["D"], np.sqrt(out["C"] * out["T"]), rtol=1e-12)


def test_weights_series_keyed_by_column_and_sequence_agree():
    U = pd.DataFrame({"a": [0.2, 0.5], "b": [0.4, 0.9], "c": [0.6, 0.1]})
    by_key = coupling_coordination(U, weights=pd.Series({"c": 2.0, "a": 1.0, "b": 1.0}))
    by_seq = coupling_coordination(U, weights=[0.25, 0.25, 0.5])
    pd.testing.assert_frame_equal(by_key, by_seq)
    np.testing.assert_allclose(by_key["T"], [0.25 * 0.2 + 0.25 * 0.4 + 0.5 * 0.6, 0.4])


def test_kernel_one_observation_returns_scalars():
    C, T, D = coupling_arrays(np.array([0.3, 0.3]))
    assert np.ndim(C) == 0 and C == 1.0 and T == pytest.approx(0.3)
    assert D == pytest.approx(math.sqrt(0.3))


def test_intervalize_spssau_formula():
    """SPSSAU help "Coupling Coordination Degree" (spssau.net/helps/coupling.html): data
    intervalisation 0.01 + 0.98·(X − Min)/(Max − Min); hand-computed."""
    out = intervalize(pd.DataFrame({"a": [0.2, 0.4, 0.6], "b": [3.0, 1.0, 2.0]}))
    np.testing.assert_allclose(out["a"], [0.01, 0.5, 0.99], rtol=0, atol=1e-15)
    np.testing.assert_allclose(out["b"], [0.99, 0.01, 0.5], rtol=0, atol=1e-15)
    with pytest.raises(InputError) as info:
        intervalize(pd.DataFrame({"a": [0.2, 0.4], "b": [0.5, 0.5]}))
    assert [(p.code, p.column) for p in info.value.problems] == [("intervalize_constant", "b")]


def test_spssau_scheme_hand_computed():
    """SPSSAU convention, hand-computed: columns rescaled to [0.01, 0.99], classic C,
    grade = floor(10·D) + 1. U = [[0.2, 0.1], [0.4, 0.5], [0.6, 0.3]] becomes
    [[0.01, 0.01], [0.5, 0.99], [0.99, 0.5]]; row 1 has C = 1, T = 0.01, D = 0.1, which is
    level 2 on [a, b) but level 1 on (a, b]."""
    U = pd.DataFrame({"x": [0.2, 0.4, 0.6], "y": [0.1, 0.5, 0.3]})
    out = coupling_coordination(U, grades="spssau")
    C2 = 2 * math.sqrt(0.5 * 0.99) / 1.49
    D2 = math.sqrt(C2 * 0.745)
    np.testing.assert_allclose(out["C"], [1.0, C2, C2], rtol=1e-12)
    np.testing.assert_allclose(out["T"], [0.01, 0.745, 0.745], rtol=1e-12)
    np.testing.assert_allclose(out["D"], [0.1, D2, D2], rtol=1e-12)
    assert out["grade"].tolist() == [2, math.floor(10 * D2) + 1, math.floor(10 * D2) + 1]
    assert out["level_zh"].tolist()[0] == "严重失调"
    via_preset = coupling_coordination(U, preset="spssau")
    pd.testing.assert_frame_equal(out, via_preset)
    assert coupling_coordination(U, preset="spssau", grades="ten")["grade"].tolist()[0] == 1
    raw = coupling_coordination(U, grades="spssau", intervalize=False)
    np.testing.assert_allclose(raw["T"], [0.15, 0.45, 0.45])


def test_spssau_intervalisation_accepts_unnormalised_columns():
    U = pd.DataFrame({"x": [12.0, 40.0, 33.0], "y": [-1.0, 5.0, 2.0]})
    out = coupling_coordination(U, preset="spssau")
    assert out["T"].between(0.01, 0.99).all()


EDGES = [0.1, 0.3, 0.6, 0.9, 1.0]


def test_grade_boundaries_both_schemes():
    """Ten-level table of 田深圳 et al. 2021 (地理学报 76(4):781, Table 1) on (a, b], and the
    SPSSAU [a, b) variant (grade = floor(10·D) + 1, D = 1 → 10), against the definition
    "1 + number of cuts below (or at) D". floor(10·D) + 1 itself misgrades the double just
    below 0.9 (10·D rounds up to 9.0), which is why grades compare with the cut points."""
    below = [np.nextafter(d, 0.0) for d in EDGES]
    above = [np.nextafter(d, 1.0) for d in EDGES[:-1]]
    D = np.array([0.0, *EDGES, *below, *above])
    right = TEN_LEVELS.grade(D)
    left = SPSSAU_LEVELS.grade(D)
    assert right.tolist()[:6] == [1, 1, 3, 6, 9, 10]
    assert right.tolist()[6:11] == [1, 3, 6, 9, 10]
    assert right.tolist()[11:] == [2, 4, 7, 10]
    cuts = TEN_LEVELS.cuts
    assert left.tolist() == [1 + sum(d >= c for c in cuts) for d in D]
    assert right.tolist() == [1 + sum(d > c for c in cuts) for d in D]
    floor_rule = np.minimum(np.floor(10 * D).astype(int) + 1, 10)
    differs = np.flatnonzero(floor_rule != left)
    assert D[differs].tolist() == [np.nextafter(0.9, 0.0)]
    assert left.tolist()[:6] == [1, 2, 4, 7, 10, 10]
    assert grade_arrays(D, np.array(TEN_LEVELS.cuts), "right").tolist() == right.tolist()


def test_grade_edges_through_the_full_pipeline():
    """Rows [d², d²] have C = 1 and D = d exactly for d in 0.1, 0.3, 0.6, 0.9, 1.0."""
    U = np.array([[d * d, d * d] for d in EDGES])
    ten = coupling_coordination(U)
    assert ten["D"].tolist() == EDGES
    assert ten["grade"].tolist() == [1, 3, 6, 9, 10]
    assert ten["level_zh"].tolist() == ["极度失调", "中度失调", "勉强协调", "良好协调", "优质协调"]
    left = coupling_coordination(U, grades=SPSSAU_LEVELS)
    assert left["grade"].tolist() == [2, 4, 7, 10, 10]


def test_user_grade_scheme():
    """The three-class grouping 失调衰退 (0, 0.4] / 过渡发展 (0.4, 0.6] / 协调发展 (0.6, 1]
    (王睿 & 杨国靖, ChinaXiv 202101.00006, Table 1) as a user scheme."""
    scheme = GradeScheme(
        cuts=[0.4, 0.6],
        names_zh=["失调衰退类", "过渡发展类", "协调发展类"],
        names_en=["declining", "transitional", "coordinated"],
    )
    D = np.array([0.0, 0.4, np.nextafter(0.4, 1), 0.6, np.nextafter(0.6, 1), 1.0])
    assert scheme.grade(D).tolist() == [1, 1, 2, 2, 3, 3]
    left = GradeScheme(cuts=(0.4, 0.6), names_zh=("a", "b", "c"), closed="left")
    assert left.grade(D).tolist() == [1, 2, 2, 3, 3, 3]
    assert left.names_en == ("a", "b", "c")
    U = np.array([[0.16, 0.16], [0.25, 0.25]])
    out = coupling_coordination(U, grades=scheme)
    assert out["level_zh"].tolist() == ["失调衰退类", "过渡发展类"]
    assert out["level_en"].tolist() == ["declining", "transitional"]


@pytest.mark.parametrize(
    "kwargs",
    [
        {"cuts": [0.5, 0.4], "names_zh": ["a", "b", "c"]},
        {"cuts": [0.4, 0.6], "names_zh": ["a", "b"]},
        {"cuts": [0.4], "names_zh": ["a", "b"], "names_en": ["x"]},
        {"cuts": [0.4], "names_zh": ["a", "b"], "closed": "both"},
        {"cuts": [float("nan")], "names_zh": ["a", "b"]},
    ],
)
def test_invalid_grade_schemes(kwargs):
    with pytest.raises(ConfigError):
        GradeScheme(**kwargs)


def test_coupling_stage_boundaries():
    """Four C stages of 田深圳 et al. 2021 Table 1 on (a, b]."""
    C = np.array([0.0, 0.3, np.nextafter(0.3, 1), 0.5, np.nextafter(0.5, 1), 0.8, 0.81, 1.0])
    assert COUPLING_STAGES.grade(C).tolist() == [1, 1, 2, 2, 3, 3, 4, 4]
    with pytest.warns(MethodWarning, match="1 of 3 rows have a subsystem score of exactly 0"):
        out = coupling_coordination(np.array([[0.0, 0.5], [0.3, 0.3], [0.05, 0.9]]))
    c3 = 2 * math.sqrt(0.05 * 0.9) / 0.95
    assert 0.3 < c3 <= 0.5
    assert out["stage"].tolist() == ["低水平耦合", "高水平耦合", "拮抗"]
    assert out["stage_en"].tolist() == ["low-level coupling", "high-level coupling", "antagonism"]


def test_output_keeps_index_and_columns():
    idx = pd.MultiIndex.from_tuples([("贵阳", 2020), ("贵阳", 2021), ("遵义", 2020)])
    idx = idx.set_names(["city", "year"])
    U = pd.DataFrame({"industry": [0.2, 0.3, 0.4], "ecology": [0.5, 0.6, 0.1]}, index=idx)
    out = coupling_coordination(U)
    assert out.index.equals(idx)
    assert list(out.columns) == [
        "C",
        "T",
        "D",
        "grade",
        "level_zh",
        "level_en",
        "stage",
        "stage_en",
    ]
    assert out["grade"].dtype == np.int64


def test_out_of_range_scores_raise():
    U = pd.DataFrame({"a": [0.2, 1.3], "b": [0.5, -0.1]}, index=["x", "y"])
    with pytest.raises(InputError) as err:
        coupling_coordination(U)
    cols = {p.column for p in err.value.problems}
    assert cols == {"a", "b"}
    assert "outside [0, 1]" in str(err.value)


def test_clip_policy_warns_and_clips():
    U = pd.DataFrame({"a": [0.2, 1.3], "b": [0.5, -0.1]})
    with (
        pytest.warns(DataWarning, match="clipped 2 cell"),
        pytest.warns(MethodWarning, match="exactly 0"),
    ):
        out = coupling_coordination(U, on_invalid="clip")
    with pytest.warns(MethodWarning, match="exactly 0"):
        ref = coupling_coordination(pd.DataFrame({"a": [0.2, 1.0], "b": [0.5, 0.0]}))
    pd.testing.assert_frame_equal(out, ref)


@pytest.mark.parametrize("bad", [np.nan, np.inf])
def test_missing_scores_raise(bad):
    U = pd.DataFrame({"a": [0.2, bad], "b": [0.5, 0.4]})
    with pytest.raises(InputError, match="missing"):
        coupling_coordination(U)
    with pytest.raises(InputError):
        coupling_coordination(U, on_invalid="clip")


def test_zero_scores_and_all_zero_rows():
    U = np.array([[0.0, 0.5, 0.7], [0.0, 0.0, 0.0]])
    for model in ("classic", "wang2021"):
        # the all-zero row is not counted: it is zero in every model
        with pytest.warns(MethodWarning, match=f"1 of 2 rows .* the {model} model makes C = 0"):
            out = coupling_coordination(U, model=model)
        assert out["C"].tolist() == [0.0, 0.0]
        assert out["T"].iloc[0] == pytest.approx(0.4)
        assert out["D"].tolist() == [0.0, 0.0]
    fan = coupling_coordination(U, model="fan2024")
    assert fan["C"].iloc[0] == pytest.approx(1 - 2 * np.std([0.0, 0.5, 0.7]))
    assert fan.iloc[1][["C", "T", "D"]].tolist() == [0.0, 0.0, 0.0]
    assert fan["grade"].iloc[1] == 1
    assert not fan[["C", "T", "D"]].isna().any().any()


def test_crowding_warning_classic_many_subsystems():
    rng = np.random.default_rng(0)
    U = 0.6 + 0.05 * rng.random((10, 7))
    with pytest.warns(MethodWarning, match="wang2021"):
        coupling_coordination(U)
    coupling_coordination(U, model="wang2021")
    coupling_coordination(U[:, :3])
    spread = np.column_stack([rng.random((10, 3)) * 0.05 + 0.01, U[:, :4]])
    coupling_coordination(spread)


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"model": "standard"}, "unknown coupling model"),
        ({"grades": "five"}, "unknown grade scheme"),
        ({"preset": "spsspro"}, "unknown preset"),
        ({"on_invalid": "ignore"}, "on_invalid"),
        ({"weights": [0.5, 0.5, 0.5]}, "3 weights"),
        ({"weights": {"a": 1.0, "b": 1.0, "z": 1.0}}, "unknown"),
        ({"weights": {"a": 1.0}}, "no weight"),
        ({"weights": [-1.0, 2.0]}, "non-negative"),
        ({"weights": [0.0, 0.0]}, "zero"),
    ],
)
def test_configuration_errors(kwargs, match):
    U = pd.DataFrame({"a": [0.2, 0.5], "b": [0.4, 0.9]})
    with pytest.raises(ConfigError, match=match):
        coupling_coordination(U, **kwargs)


def test_shape_and_type_errors():
    with pytest.raises(InputError, match="at least 2"):
        coupling_coordination(pd.DataFrame({"a": [0.2, 0.5]}))
    with pytest.raises(InputError, match="no rows"):
        coupling_coordination(pd.DataFrame({"a": [], "b": []}, dtype=float))
    with pytest.raises(InputError, match="not numeric"):
        coupling_coordination(pd.DataFrame({"a": [0.2, 0.5], "b": ["x", "y"]}))
    with pytest.raises(InputError, match="dimensions"):
        coupling_coordination(np.zeros((2, 2, 2)))


def test_kernel_errors():
    with pytest.raises(ValueError, match="at least 2"):
        coupling_arrays(np.array([[0.3], [0.4]]))
    with pytest.raises(ValueError, match="unknown"):
        coupling_arrays(np.array([0.3, 0.4]), model="wang")
    with pytest.raises(ValueError, match="dimensions"):
        coupling_arrays(np.zeros((2, 2, 2)))
    with pytest.raises(ValueError, match="weights"):
        coupling_arrays(np.array([0.3, 0.4]), weights=np.array([1.0]))
    with pytest.raises(ValueError, match="increasing"):
        grade_arrays(np.array([0.5]), np.array([0.5, 0.2]))
    with pytest.raises(ValueError, match="closed"):
        grade_arrays(np.array([0.5]), np.array([0.2]), closed="both")


def test_relative_development_two_subsystems_thresholds():
    """E = U2/U1 with 同步型 on 0.8 ≤ E ≤ 1.2 (王睿 & 杨国靖, ChinaXiv 202101.00006,
    Table 1); hand-computed cases on and beside the thresholds."""
    U = pd.DataFrame(
        {"urban": [0.5, 0.5, 0.5, 0.5, 0.0, 0.0], "eco": [0.39, 0.4, 0.6, 0.61, 0.0, 0.3]}
    )
    out = relative_development(U, names_zh={"urban": "城镇化", "eco": "生态环境"})
    np.testing.assert_allclose(out["E"], [0.78, 0.8, 1.2, 1.22, 1.0, np.inf])
    assert out["lag_type_zh"].tolist() == [
        "生态环境滞后型",
        "同步型",
        "同步型",
        "城镇化滞后型",
        "同步型",
        "城镇化滞后型",
    ]
    assert out["lagging"].tolist() == ["eco", "", "", "urban", "", "urban"]
    assert out["lag_type_en"].tolist()[:2] == ["eco lagging", "synchronous"]


def test_relative_development_many_subsystems():
    U = pd.DataFrame(
        {
            "industry": [0.2, 0.3, 0.5, 0.0],
            "ecology": [0.5, 0.3, 0.5, 0.0],
            "markets": [0.8, 0.9, 0.5, 0.0],
        }
    )
    out = relative_development(
        U,
        names_zh={"ecology": "生态环境", "industry": "现代产业"},
        names_en={"industry": "Industry"},
    )
    np.testing.assert_allclose(out["E_industry"], [0.4, 0.6, 1.0, 1.0])
    np.testing.assert_allclose(out["E_markets"], [1.6, 1.8, 1.0, 1.0])
    assert out["lagging"].tolist() == ["industry", "industry,ecology", "", ""]
    assert out["leading"].tolist() == ["markets", "markets", "", ""]
    assert out["lag_type_zh"].tolist() == ["现代产业滞后型", "现代产业滞后型", "同步型", "同步型"]
    assert out["lag_type_en"].tolist()[0] == "Industry lagging"
    lag_eco = relative_development(
        pd.DataFrame({"industry": [0.6], "ecology": [0.2], "markets": [0.7]}),
        names_zh={"ecology": "生态环境"},
    )
    assert lag_eco["lag_type_zh"].tolist() == ["生态环境滞后型"]


def test_relative_development_errors():
    U = pd.DataFrame({"a": [0.2], "b": [0.4]})
    with pytest.raises(ConfigError):
        relative_development(U, low=1.3, high=1.2)
    with pytest.raises(InputError):
        relative_development(pd.DataFrame({"a": [0.2], "b": [np.nan]}))


@pytest.mark.parametrize("model", MODELS)
def test_pairwise_coupling_matches_two_column_runs(model):
    U = pd.DataFrame({"a": S1, "b": S2, "c": S3})
    out = pairwise_coupling(U, model=model)
    assert list(out.columns) == ["a~b", "a~c", "b~c"]
    for a, b in (("a", "b"), ("a", "c"), ("b", "c")):
        ref = coupling_coordination(U[[a, b]], model=model)["D"]
        np.testing.assert_allclose(out[f"{a}~{b}"], ref, rtol=1e-14)
    u1, u2 = np.array(S1), np.array(S2)
    if model == "wang2021":
        c = np.sqrt((1 - np.abs(u1 - u2)) * np.minimum(u1, u2) / np.maximum(u1, u2))
    elif model == "fan2024":
        c = 1 - np.abs(u1 - u2)
    else:
        c = 2 * np.sqrt(u1 * u2) / (u1 + u2)
    np.testing.assert_allclose(out["a~b"], np.sqrt(c * (u1 + u2) / 2), rtol=1e-12)


def test_pairwise_coupling_errors():
    with pytest.raises(ConfigError):
        pairwise_coupling(pd.DataFrame({"a": [0.2], "b": [0.4]}), model="x")
    with pytest.raises(InputError):
        pairwise_coupling(pd.DataFrame({"a": [0.2], "b": [1.4]}))
