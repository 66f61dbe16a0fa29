"""Gini, Dagum's Gini decomposition and Theil index against hand cases and brute force."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from coordeval.analysis.inequality import (
    dagum_by_year,
    dagum_gini,
    gini,
    inequality_by_year,
    theil,
)
from coordeval.errors import ConfigError, DataWarning, InputError


def brute_gini(y):
    """G = Σ_i Σ_r |y_i − y_r| / (2 n² μ), written as a plain double loop."""
    n = len(y)
    mu = sum(y) / n
    total = 0.0
    for a in y:
        for b in y:
            total += abs(a - b)
    return total / (2 * n * n * mu)


def brute_dagum(y, labels):
    """Every definition of methods §5 (Dagum 1997) as nested sums over observations."""
    groups = {}
    for v, g in zip(y, labels, strict=True):
        groups.setdefault(g, []).append(v)
    n = len(y)
    mu = sum(y) / n
    # order groups by mean, highest first (stable on first appearance)
    order = sorted(groups, key=lambda g: -sum(groups[g]) / len(groups[g]))
    nj = {g: len(groups[g]) for g in order}
    mj = {g: sum(groups[g]) / nj[g] for g in order}
    p = {g: nj[g] / n for g in order}
    s = {g: nj[g] * mj[g] / (n * mu) for g in order}

    total = 0.0
    for gj in order:
        for gh in order:
            for a in groups[gj]:
                for b in groups[gh]:
                    total += abs(a - b)
    G = total / (2 * n * n * mu)

    Gjj = {}
    for g in order:
        acc = 0.0
        for a in groups[g]:
            for b in groups[g]:
                acc += abs(a - b)
        # convention: a group of zeros has G_jj = 0
        Gjj[g] = acc / (2 * nj[g] ** 2 * mj[g]) if mj[g] > 0 else 0.0
    Gw = sum(Gjj[g] * p[g] * s[g] for g in order)

    Gjh, Djh = {}, {}
    Gnb = Gt = 0.0
    for a_i, gj in enumerate(order):
        for gh in order[a_i + 1 :]:
            acc = d = pp = 0.0
            for a in groups[gj]:
                for b in groups[gh]:
                    acc += abs(a - b)
                    d += max(a - b, 0.0)
                    pp += max(b - a, 0.0)
            pairs = nj[gj] * nj[gh]
            # conventions: two groups of zeros have G_jh = 0; all-equal pairs have D_jh = 0
            Gjh[gj, gh] = acc / (pairs * (mj[gj] + mj[gh])) if mj[gj] + mj[gh] > 0 else 0.0
            d /= pairs
            pp /= pairs
            Djh[gj, gh] = (d - pp) / (d + pp) if d + pp > 0 else 0.0
            w = p[gj] * s[gh] + p[gh] * s[gj]
            Gnb += Gjh[gj, gh] * w * Djh[gj, gh]
            Gt += Gjh[gj, gh] * w * (1 - Djh[gj, gh])
    return {"G": G, "G_w": Gw, "G_nb": Gnb, "G_t": Gt, "order": order, "G_jj": Gjj}, Gjh, Djh


def brute_theil(y, labels=None):
    n = len(y)
    mu = sum(y) / n

    def t_of(vals):
        m = sum(vals) / len(vals)
        return sum((v / m) * math.log(v / m) for v in vals if v > 0) / len(vals)

    T = t_of(y)
    if labels is None:
        return T, T, 0.0
    groups = {}
    for v, g in zip(y, labels, strict=True):
        groups.setdefault(g, []).append(v)
    Tw = Tb = 0.0
    for vals in groups.values():
        if sum(vals) == 0:  # a group of zeros: s_k = 0 and 0·ln 0 = 0
            continue
        sk = sum(vals) / (n * mu)
        pk = len(vals) / n
        Tw += sk * t_of(vals)
        Tb += sk * math.log(sk / pk)
    return T, Tw, Tb


score_values = st.one_of(st.just(0.0), st.floats(min_value=1e-6, max_value=1e3))
positive_lists = st.lists(score_values, min_size=1, max_size=25).filter(lambda v: sum(v) > 0)


@given(positive_lists)
@settings(max_examples=60, deadline=None)
def test_gini_equals_double_sum(values):
    assert gini(values) == pytest.approx(brute_gini(values), rel=1e-10, abs=1e-12)


def test_gini_hand_cases():
    # Σ|y_i − y_r| over all ordered pairs of (1,2,3,4) is 20; 2 n² μ = 2·16·2.5 = 80.
    assert gini([1, 2, 3, 4]) == pytest.approx(0.25, abs=1e-15)
    # One city holds everything: G = 1 − 1/n.
    assert gini([0, 0, 0, 1]) == pytest.approx(0.75, abs=1e-15)
    assert gini([5.0, 5.0, 5.0]) == 0.0
    assert gini([7.0]) == 0.0


def test_gini_published_example_r_ineq():
    """R package ``ineq`` (Zeileis), help page of ``Gini``: the example vector
    x = (541, 1463, 2445, 3438, 4437, 5401, 6392, 8304, 11904, 22261) has Gini 0.4620911
    (value as asserted from the R documentation in mgoeminne/scalar-ineq,
    src/test/scala/IneqTest.scala)."""
    x = [541, 1463, 2445, 3438, 4437, 5401, 6392, 8304, 11904, 22261]
    assert gini(x) == pytest.approx(0.4620911, abs=5e-8)


def test_gini_accurate_for_large_nearly_equal_values():
    rng = np.random.default_rng(3)
    y = 1e6 + rng.random(400)
    brute = np.abs(y[:, None] - y[None, :]).sum() / (2 * y.size**2 * y.mean())
    assert gini(y) == pytest.approx(brute, rel=1e-9)


def _problems(info: pytest.ExceptionInfo) -> list[tuple[str, dict]]:
    """(code, params) of every problem of a raised InputError."""
    return [(p.code, dict(p.params)) for p in info.value.problems]


def test_gini_guards():
    with pytest.raises(InputError) as info:
        gini([1.0, -0.5, 2.0])
    assert _problems(info) == [("position_negative", {"position": 1, "value": -0.5})]
    with pytest.raises(InputError) as info:
        gini([0.0, 0.0])
    assert _problems(info) == [("all_values_zero", {"what": "Gini coefficient"})]
    with pytest.raises(InputError) as info:
        gini([1.0, np.nan])
    assert _problems(info)[0][0] == "position_not_finite"
    assert _problems(info)[0][1]["position"] == 1
    with pytest.raises(InputError) as info:
        gini([])
    assert _problems(info) == [("no_values", {"what": "Gini coefficient"})]
    with pytest.raises(ValueError, match="1-D"):
        gini(np.ones((2, 2)))


def _random_groups(seed, sizes):
    rng = np.random.default_rng(seed)
    labels = np.repeat([f"g{i}" for i in range(len(sizes))], sizes)
    shift = np.repeat(rng.uniform(0.5, 3.0, len(sizes)), sizes)
    y = rng.gamma(2.0, 1.0, labels.size) + shift
    perm = rng.permutation(labels.size)
    return y[perm], labels[perm]


@pytest.mark.parametrize(
    ("seed", "sizes"), [(1, [3, 7, 12]), (2, [1, 5, 9, 14]), (5, [6, 2, 4, 8])]
)
def test_dagum_matches_brute_force(seed, sizes):
    y, labels = _random_groups(seed, sizes)
    ref, Gjh, Djh = brute_dagum(list(y), list(labels))
    res = dagum_gini(y, labels)
    for key in ("G", "G_w", "G_nb", "G_t"):
        assert getattr(res, key) == pytest.approx(ref[key], rel=1e-12, abs=1e-14), key
    assert list(res.groups.index) == ref["order"]
    for g, value in ref["G_jj"].items():
        assert res.groups.loc[g, "G_jj"] == pytest.approx(value, rel=1e-12, abs=1e-14)
        assert res.G_jh.loc[g, g] == pytest.approx(value, rel=1e-12, abs=1e-14)
    for (gj, gh), value in Gjh.items():
        assert res.G_jh.loc[gj, gh] == pytest.approx(value, rel=1e-12)
        assert res.G_jh.loc[gh, gj] == pytest.approx(value, rel=1e-12)
        assert res.D_jh.loc[gj, gh] == pytest.approx(Djh[gj, gh], rel=1e-10, abs=1e-13)
    means = res.groups["mean"].to_numpy()
    assert np.all(np.diff(means) <= 0)
    assert res.G == pytest.approx(brute_gini(list(y)), rel=1e-12)


@st.composite
def grouped_values(draw):
    k = draw(st.integers(1, 4))
    sizes = draw(st.lists(st.integers(1, 8), min_size=k, max_size=k))
    values = []
    labels = []
    for i, size in enumerate(sizes):
        values += draw(st.lists(score_values, min_size=size, max_size=size))
        labels += [f"g{i}"] * size
    return values, labels


@given(grouped_values())
@settings(max_examples=80, deadline=None)
def test_dagum_identity_and_brute_force(data):
    values, labels = data
    if sum(values) == 0:
        with pytest.raises(InputError):
            dagum_gini(values, labels)
        return
    res = dagum_gini(values, labels)
    assert res.G == pytest.approx(res.G_w + res.G_nb + res.G_t, abs=1e-12)
    ref, Gjh, Djh = brute_dagum(values, labels)
    for key in ("G", "G_w", "G_nb", "G_t"):
        assert getattr(res, key) == pytest.approx(ref[key], rel=1e-9, abs=1e-12), key
    for (gj, gh), value in Gjh.items():
        assert res.G_jh.loc[gj, gh] == pytest.approx(value, rel=1e-9, abs=1e-12)
        assert res.D_jh.loc[gj, gh] == pytest.approx(Djh[gj, gh], rel=1e-9, abs=1e-9)
    assert np.all(res.D_jh.to_numpy() >= -1e-12)
    assert np.all(res.D_jh.to_numpy() <= 1 + 1e-12)
    pairs = res.pairs()
    assert pairs["within_part"].sum() == pytest.approx(res.G_w, abs=1e-13)
    assert pairs["net_between_part"].sum() == pytest.approx(res.G_nb, abs=1e-13)
    assert pairs["transvariation_part"].sum() == pytest.approx(res.G_t, abs=1e-13)


def test_dagum_single_group_is_all_within():
    y = [1.0, 4.0, 2.5, 9.0]
    res = dagum_gini(y, ["a"] * 4)
    assert res.G_w == pytest.approx(res.G, abs=1e-15)
    assert res.G_nb == 0.0
    assert res.G_t == 0.0
    assert res.contributions["within"] == pytest.approx(1.0)


def test_dagum_hand_case_two_separated_groups():
    """Groups {1, 3} and {5, 7}: no overlap, so D = 1 and G_t = 0.

    Hand computation: n = 4, μ = 4, G = Σ|y_i − y_r| / (2·16·4) = 40/128 = 0.3125;
    G_11 (5, 7) = 4 / (2·4·6) = 1/12, G_22 (1, 3) = 4 / (2·4·2) = 1/4;
    p = (1/2, 1/2), s = (3/4, 1/4); G_w = (1/12)(1/2)(3/4) + (1/4)(1/2)(1/4) = 1/16;
    G_12 = (4+6+2+4)/(4·8) = 1/2; G_nb = (1/2)(1/2·1/4 + 1/2·3/4) = 1/4.
    """
    res = dagum_gini([1.0, 3.0, 5.0, 7.0], ["low", "low", "high", "high"])
    assert list(res.groups.index) == ["high", "low"]
    assert res.G == pytest.approx(0.3125, abs=1e-15)
    assert res.G_w == pytest.approx(1 / 16, abs=1e-15)
    assert res.G_nb == pytest.approx(0.25, abs=1e-15)
    assert res.G_t == pytest.approx(0.0, abs=1e-15)
    assert res.D_jh.loc["high", "low"] == pytest.approx(1.0)
    assert res.G_jh.loc["high", "low"] == pytest.approx(0.5)


def test_dagum_degenerate_groups_are_defined():
    # one-member groups, a group of zeros and two equal groups
    res = dagum_gini([0.0, 0.0, 2.0, 2.0, 5.0], ["z", "z", "a", "b", "c"])
    assert res.groups.loc["z", "G_jj"] == 0.0
    assert res.groups.loc["a", "G_jj"] == 0.0
    assert res.G_jh.loc["a", "b"] == 0.0
    assert res.D_jh.loc["a", "b"] == 0.0
    assert not res.G_jh.isna().any().any()
    assert res.G == pytest.approx(res.G_w + res.G_nb + res.G_t, abs=1e-15)
    assert res.G == pytest.approx(brute_gini([0.0, 0.0, 2.0, 2.0, 5.0]), abs=1e-15)


def test_dagum_groups_by_city_mapping():
    y = pd.Series([3.0, 1.0, 4.0, 1.5], index=pd.Index(["A", "B", "C", "D"], name="city"))
    res = dagum_gini(y, {"A": "core", "B": "rim", "C": "core", "D": "rim"})
    ref = dagum_gini([3.0, 1.0, 4.0, 1.5], ["core", "rim", "core", "rim"])
    assert res.G_nb == pytest.approx(ref.G_nb, abs=1e-15)
    with pytest.raises(InputError) as info:
        dagum_gini(y, {"A": "core", "B": "rim"})
    assert _problems(info) == [
        ("city_without_group", {"city": "C"}),
        ("city_without_group", {"city": "D"}),
    ]
    with pytest.raises(ValueError, match="Series"):
        dagum_gini([1.0, 2.0], {"A": "core"})
    with pytest.raises(ValueError, match="group labels"):
        dagum_gini([1.0, 2.0], ["a"])
    with pytest.raises(InputError) as info:
        dagum_gini([1.0, -2.0], ["a", "b"])
    assert _problems(info) == [("position_negative", {"position": 1, "value": -2.0})]


def test_theil_hand_case():
    # y = (1, 3): μ = 2, T = [0.5 ln 0.5 + 1.5 ln 1.5] / 2
    expected = (0.5 * math.log(0.5) + 1.5 * math.log(1.5)) / 2
    assert theil([1.0, 3.0]).T == pytest.approx(expected, abs=1e-15)
    assert float(theil([1.0, 3.0])) == pytest.approx(expected, abs=1e-15)
    assert theil([4.0, 4.0, 4.0]).T == 0.0
    # a zero income contributes 0·ln 0 = 0: y = (0, 2), μ = 1, T = 2 ln 2 / 2
    assert theil([0.0, 2.0]).T == pytest.approx(math.log(2.0), abs=1e-15)


@given(grouped_values())
@settings(max_examples=60, deadline=None)
def test_theil_brute_force_and_split(data):
    values, labels = data
    if sum(values) == 0:
        with pytest.raises(InputError):
            theil(values, labels)
        return
    res = theil(values, labels)
    T, Tw, Tb = brute_theil(values, labels)
    assert res.T == pytest.approx(T, rel=1e-10, abs=1e-12)
    assert res.T_w == pytest.approx(Tw, rel=1e-10, abs=1e-12)
    assert res.T_b == pytest.approx(Tb, rel=1e-10, abs=1e-12)
    assert res.T == pytest.approx(res.T_w + res.T_b, abs=1e-12)
    assert theil(values).T_b == 0.0


def test_theil_equal_within_groups_is_all_between():
    res = theil([2.0, 2.0, 6.0, 6.0], ["a", "a", "b", "b"])
    assert res.T_w == pytest.approx(0.0, abs=1e-15)
    assert res.T_b == pytest.approx(res.T, abs=1e-15)
    assert res.contributions["between"] == pytest.approx(1.0)


def _panel(seed=0, cities=9, years=(2018, 2019, 2020)):
    rng = np.random.default_rng(seed)
    idx = pd.MultiIndex.from_product(
        [[f"c{i}" for i in range(cities)], list(years)], names=["city", "year"]
    )
    df = pd.DataFrame(
        {"industry": rng.random(len(idx)) + 0.1, "ecology": rng.gamma(2, 1, len(idx))}, index=idx
    )
    groups = {f"c{i}": ("core" if i < 3 else "ring" if i < 6 else "edge") for i in range(cities)}
    return df, groups


def test_inequality_by_year_matches_cross_sections():
    df, groups = _panel()
    table = inequality_by_year(df, groups)
    assert len(table) == 6
    assert list(table["score"].unique()) == ["industry", "ecology"]
    for row in table.itertuples():
        part = df[row.score].xs(row.year, level="year")
        labels = [groups[c] for c in part.index]
        ref, _, _ = brute_dagum(list(part), labels)
        T, Tw, Tb = brute_theil(list(part), labels)
        assert row.gini == pytest.approx(ref["G"], rel=1e-12)
        assert row.G_w == pytest.approx(ref["G_w"], rel=1e-12)
        assert row.G_nb == pytest.approx(ref["G_nb"], rel=1e-12)
        assert row.G_t == pytest.approx(ref["G_t"], rel=1e-12)
        assert row.G_w_share + row.G_nb_share + row.G_t_share == pytest.approx(1.0)
        assert row.theil == pytest.approx(T, rel=1e-12)
        assert row.T_w == pytest.approx(Tw, rel=1e-12)
        assert row.T_b == pytest.approx(Tb, rel=1e-12)
        assert row.n == 9 and row.n_groups == 3
    plain = inequality_by_year(df["industry"], measures=("gini",))
    assert list(plain.columns) == ["score", "year", "n", "mean", "gini"]
    assert plain["gini"].to_numpy() == pytest.approx(
        table.loc[table["score"] == "industry", "gini"].to_numpy(), rel=1e-14
    )


def test_inequality_by_year_guards():
    df, _ = _panel()
    with pytest.raises(ConfigError, match="measures"):
        inequality_by_year(df, measures=("atkinson",))
    bad = df.copy()
    bad.iloc[4, 0] = np.nan
    with pytest.raises(InputError) as info:
        inequality_by_year(bad)
    assert [c for c, _ in _problems(info)] == ["score_missing"]
    with pytest.warns(DataWarning) as caught:
        out = inequality_by_year(bad, nan_policy="omit")
    assert (caught[0].message.code, caught[0].message.params["n"]) == ("missing_scores_left_out", 1)
    assert out.loc[(out["score"] == "industry") & (out["year"] == 2019), "n"].item() == 8
    neg = df.copy()
    neg.iloc[0, 1] = -1.0
    with pytest.raises(InputError) as info:
        inequality_by_year(neg)
    assert [c for c, _ in _problems(info)] == ["score_negative"]
    assert _problems(info)[0][1]["value"] == -1.0
    zeros = df.copy()
    zeros.loc[pd.IndexSlice[:, 2020], "industry"] = 0.0
    with pytest.raises(InputError) as info:
        inequality_by_year(zeros)
    assert _problems(info) == [("year_all_zero", {"year": 2020})]
    with pytest.raises(InputError) as info:
        inequality_by_year(df, {"c0": "core"})
    assert {c for c, _ in _problems(info)} == {"city_without_group"}
    assert len(info.value.problems) == df.index.get_level_values("city").nunique() - 1
    with pytest.raises(InputError) as info:
        inequality_by_year(df.reset_index(drop=True))
    assert [c for c, _ in _problems(info)] == ["not_city_year_index"]
    with pytest.raises(InputError) as info:
        inequality_by_year(df.iloc[:0])
    assert _problems(info) == [("no_scores", {"rows": 0, "columns": df.shape[1]})]
    with pytest.raises(InputError) as info:
        inequality_by_year(pd.concat([df, df.iloc[:1]]))
    city, year = df.index[0]
    assert _problems(info) == [
        ("duplicate_panel_key", {"city": str(city), "year": str(year), "count": 2})
    ]


def test_dagum_by_year_long_form_adds_up():
    df, groups = _panel(seed=4)
    detail = dagum_by_year(df, groups)
    summary = inequality_by_year(df, groups, measures=("gini",))
    # 3 groups: 3 within rows + 3 between pairs per score and year
    assert len(detail) == 2 * 3 * 6
    sums = detail.groupby(["score", "year"], sort=False)[
        ["within_part", "net_between_part", "transvariation_part"]
    ].sum()
    for row in summary.itertuples():
        got = sums.loc[(row.score, row.year)]
        assert got["within_part"] == pytest.approx(row.G_w, rel=1e-12)
        assert got["net_between_part"] == pytest.approx(row.G_nb, rel=1e-12)
        assert got["transvariation_part"] == pytest.approx(row.G_t, rel=1e-12)
    within = detail[detail["kind"] == "within"]
    assert (within["group_a"] == within["group_b"]).all()
    between = detail[detail["kind"] == "between"]
    assert (between["mean_a"] >= between["mean_b"]).all()
    one = detail[(detail["score"] == "ecology") & (detail["year"] == 2019)]
    part = df["ecology"].xs(2019, level="year")
    _, Gjh, _ = brute_dagum(list(part), [groups[c] for c in part.index])
    for r in one[one["kind"] == "between"].itertuples():
        assert r.G_jh == pytest.approx(Gjh[r.group_a, r.group_b], rel=1e-12)
