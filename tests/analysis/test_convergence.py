"""σ convergence, β convergence and kernel densities against hand cases and statsmodels."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
import statsmodels.formula.api as smf
from scipy import stats

from coordeval.analysis.convergence import (
    beta_convergence,
    convergence_speed,
    kernel_density,
    sigma_convergence,
)
from coordeval.errors import ConfigError, DataWarning, InputError, MethodWarning


def _series(values: dict[tuple[str, int], float], name: str = "score") -> pd.Series:
    idx = pd.MultiIndex.from_tuples(list(values), names=["city", "year"])
    return pd.Series(list(values.values()), index=idx, name=name)


def _simulated_panel(seed=0, cities=60, years=8, beta=-0.15, sigma=0.03, controls=False):
    """ln U_{t+1} = 0.1 + (1 + β) ln U_t (+ 0.05 x_t) + ε, a panel with known β."""
    rng = np.random.default_rng(seed)
    ln_u = np.empty((cities, years))
    ln_u[:, 0] = rng.normal(0.0, 0.5, cities)
    x = rng.normal(0.0, 1.0, (cities, years))
    for t in range(years - 1):
        extra = 0.05 * x[:, t] if controls else 0.0
        ln_u[:, t + 1] = 0.1 + (1 + beta) * ln_u[:, t] + extra + rng.normal(0, sigma, cities)
    idx = pd.MultiIndex.from_product(
        [[f"c{i:02d}" for i in range(cities)], range(2001, 2001 + years)], names=["city", "year"]
    )
    scores = pd.Series(np.exp(ln_u).ravel(), index=idx, name="U")
    ctrl = pd.DataFrame({"x": x.ravel()}, index=idx)
    return scores, ctrl


def _long_table(scores: pd.Series) -> pd.DataFrame:
    """Growth table built independently with groupby/shift, for the statsmodels oracle."""
    df = scores.rename("U").reset_index().sort_values(["city", "year"])
    df["ln_U"] = np.log(df["U"])
    df["g"] = df.groupby("city")["ln_U"].shift(-1) - df["ln_U"]
    return df.dropna(subset=["g"]).reset_index(drop=True)


def test_sigma_hand_case():
    # years: (1, 3) -> mean 2, sd 1, cv 1/2; (2, 4) -> 3, 1, 1/3; (3, 5) -> 4, 1, 1/4
    s = _series(
        {
            ("a", 2001): 1,
            ("b", 2001): 3,
            ("a", 2002): 2,
            ("b", 2002): 4,
            ("a", 2003): 3,
            ("b", 2003): 5,
        }
    )
    out = sigma_convergence(s)
    assert list(out["year"]) == [2001, 2002, 2003]
    assert out["mean"].tolist() == pytest.approx([2, 3, 4])
    assert out["sd"].tolist() == pytest.approx([1, 1, 1])
    assert out["cv"].tolist() == pytest.approx([1 / 2, 1 / 3, 1 / 4])
    # OLS slope of (1/2, 1/3, 1/4) on (−1, 0, 1) is (1/4 − 1/2)/2 = −1/8
    assert out["cv_slope"].iloc[0] == pytest.approx(-0.125)
    ref = stats.linregress([2001, 2002, 2003], [1 / 2, 1 / 3, 1 / 4])
    assert out["cv_slope_p"].iloc[0] == pytest.approx(ref.pvalue, rel=1e-10)
    assert ref.pvalue > 0.05
    assert set(out["verdict"]) == {"no significant trend"}


def test_sigma_matches_numpy_and_scipy():
    scores, _ = _simulated_panel(seed=2, cities=30, years=10)
    out = sigma_convergence(scores.to_frame("U"))
    wide = scores.unstack("year")
    sd = wide.std(axis=0, ddof=0).to_numpy()
    cv = sd / wide.mean(axis=0).to_numpy()
    assert out["sd"].to_numpy() == pytest.approx(sd, rel=1e-12)
    assert out["cv"].to_numpy() == pytest.approx(cv, rel=1e-12)
    ref = stats.linregress(np.arange(2001, 2011), cv)
    assert out["cv_slope"].iloc[0] == pytest.approx(ref.slope, rel=1e-10)
    assert out["cv_slope_p"].iloc[0] == pytest.approx(ref.pvalue, rel=1e-8)
    # ln U shrinks towards its steady state, so dispersion of U falls strongly
    assert out["verdict"].iloc[0] == "σ-convergence"


def _problems(info: pytest.ExceptionInfo) -> list[tuple[str, dict]]:
    """(code, params) of every problem of a raised InputError."""
    return [(p.code, dict(p.params)) for p in info.value.problems]


def test_sigma_guards():
    s = _series({("a", 2001): 1.0, ("b", 2001): 3.0, ("a", 2002): 2.0, ("b", 2002): 4.0})
    with pytest.raises(InputError, match="at least 3 years") as info:
        sigma_convergence(s)
    assert _problems(info) == [("too_few_years_of_data", {"n": 2})]
    assert len(sigma_convergence(s, trend=False)) == 2
    zero = _series({("a", 2001): 0.0, ("b", 2001): 0.0, ("a", 2002): 2.0, ("b", 2002): 4.0})
    with pytest.raises(InputError) as info:
        sigma_convergence(zero, trend=False)
    assert _problems(info) == [("mean_not_positive", {"year": 2001, "mean": 0.0})]
    unbalanced = _series(
        {("a", 2001): 1.0, ("b", 2001): 3.0, ("a", 2002): 2.0, ("c", 2002): 4.0, ("a", 2003): 1.0}
    )
    with pytest.warns(DataWarning) as caught:
        sigma_convergence(unbalanced, trend=False)
    assert caught[0].message.code == "unbalanced_sigma"
    assert caught[0].message.params["years"] == "2001, 2002, 2003"  # three cities in all
    with pytest.raises(ConfigError, match="alpha"):
        sigma_convergence(s, alpha=1.5)


def test_convergence_speed_hand_check():
    # β = −0.1 per 1-year step: s = −ln(0.9) = 0.1053605…, half-life = ln 2 / s = 6.5788…
    speed, half = convergence_speed(-0.1, 1.0)
    assert speed == pytest.approx(0.10536051565782628, rel=1e-14)
    assert half == pytest.approx(6.578813478960584, rel=1e-12)
    # over a 5-year step the same β is five times slower
    speed5, half5 = convergence_speed(-0.1, 5.0)
    assert speed5 == pytest.approx(speed / 5)
    assert half5 == pytest.approx(5 * half)
    assert convergence_speed(0.02)[1] == math.inf
    with pytest.warns(MethodWarning) as caught:
        s, h = convergence_speed(-1.2)
    assert (caught[0].message.code, caught[0].message.params) == (
        "beta_below_minus_one",
        {"beta": -1.2},
    )
    assert math.isnan(s) and math.isnan(h)


@pytest.mark.parametrize(
    ("fixed_effects", "formula"),
    [
        (None, "g ~ ln_U"),
        ("city", "g ~ ln_U + C(city)"),
        ("two-way", "g ~ ln_U + C(city) + C(year)"),
    ],
)
def test_beta_equals_direct_statsmodels_fit(fixed_effects, formula):
    scores, _ = _simulated_panel(seed=1, cities=25, years=7)
    kind = "absolute" if fixed_effects is None else "conditional"
    res = beta_convergence(scores, kind=kind, fixed_effects=fixed_effects)
    data = _long_table(scores)
    codes = pd.factorize(data["city"])[0]
    ref = smf.ols(formula, data).fit(cov_type="cluster", cov_kwds={"groups": codes}, use_t=True)
    assert res.beta == pytest.approx(ref.params["ln_U"], rel=1e-10)
    assert res.se == pytest.approx(ref.bse["ln_U"], rel=1e-10)
    assert res.pvalue == pytest.approx(ref.pvalues["ln_U"], rel=1e-8, abs=1e-300)
    assert res.r2 == pytest.approx(ref.rsquared, rel=1e-10)
    assert res.n == len(data) == 25 * 6
    assert res.cov_type == "cluster"


def test_beta_conditional_controls_equal_direct_fit():
    scores, ctrl = _simulated_panel(seed=4, cities=40, years=6, controls=True)
    res = beta_convergence(scores, kind="conditional", controls=ctrl, fixed_effects="two-way")
    data = _long_table(scores).merge(ctrl.reset_index(), on=["city", "year"])
    codes = pd.factorize(data["city"])[0]
    ref = smf.ols("g ~ ln_U + x + C(city) + C(year)", data).fit(
        cov_type="cluster", cov_kwds={"groups": codes}, use_t=True
    )
    assert res.beta == pytest.approx(ref.params["ln_U"], rel=1e-10)
    assert res.se == pytest.approx(ref.bse["ln_U"], rel=1e-10)
    assert res.params["x"] == pytest.approx(ref.params["x"], rel=1e-10)
    assert res.bse["x"] == pytest.approx(ref.bse["x"], rel=1e-10)
    assert list(res.coefficients().index) == ["const", "ln_U", "x"]
    # unclustered errors are statsmodels' classical ones
    plain = beta_convergence(scores, kind="conditional", controls=ctrl, cluster=None)
    ref_plain = smf.ols("g ~ ln_U + x", data).fit()
    assert plain.se == pytest.approx(ref_plain.bse["ln_U"], rel=1e-10)


def test_beta_recovers_known_beta():
    scores, _ = _simulated_panel(seed=7, cities=300, years=8, beta=-0.15, sigma=0.02)
    res = beta_convergence(scores)
    assert abs(res.beta - (-0.15)) < 4 * res.se
    assert res.beta == pytest.approx(-0.15, abs=0.01)
    assert res.verdict == "β-convergence"
    assert res.speed == pytest.approx(-math.log1p(res.beta), rel=1e-12)
    assert res.half_life == pytest.approx(math.log(2) / res.speed, rel=1e-12)


def test_beta_long_difference_recovers_known_beta():
    """ln(U_T/U_0)/T = 0.02 − 0.03 ln U_0 + ε over T = 10 years."""
    rng = np.random.default_rng(11)
    n, T = 400, 10
    ln_u0 = rng.normal(0, 0.6, n)
    ln_ut = ln_u0 + T * (0.02 - 0.03 * ln_u0) + rng.normal(0, 0.01, n)
    cities = [f"c{i}" for i in range(n)]
    scores = pd.concat(
        [
            pd.Series(np.exp(ln_u0), index=pd.MultiIndex.from_product([cities, [2010]])),
            pd.Series(np.exp(ln_ut), index=pd.MultiIndex.from_product([cities, [2020]])),
        ]
    ).rename_axis(["city", "year"])
    res = beta_convergence(scores, period="long")
    assert res.beta == pytest.approx(-0.03, abs=0.002)
    assert res.n == n and res.tau == 10.0 and res.cov_type == "HC1"
    # speed from β_step = βT: s = −ln(1 + βT)/T
    assert res.speed == pytest.approx(-math.log1p(res.beta * 10) / 10, rel=1e-12)
    ref = smf.ols("g ~ ln_U", pd.DataFrame({"g": (ln_ut - ln_u0) / T, "ln_U": ln_u0})).fit(
        cov_type="HC1", use_t=True
    )
    assert res.beta == pytest.approx(ref.params["ln_U"], rel=1e-10)
    assert res.se == pytest.approx(ref.bse["ln_U"], rel=1e-10)


def test_beta_munnell_real_panel():
    """US state panel (Munnell 1990, 48 states, 1970-1986): gross state product per employee."""
    munnell = pytest.importorskip("linearmodels.datasets.munnell")
    from linearmodels import PanelOLS

    df = munnell.load()
    scores = pd.Series(
        (df["GSP"] / df["EMP"]).to_numpy(),
        index=pd.MultiIndex.from_arrays([df["STATE"], df["YR"]], names=["city", "year"]),
        name="gsp_per_emp",
    )
    res = beta_convergence(scores)
    assert res.n == 48 * 16 and res.n_cities == 48
    assert np.isfinite(res.beta) and np.isfinite(res.se) and res.se > 0
    assert res.beta < 0
    two_way = beta_convergence(scores, kind="conditional", fixed_effects="two-way")
    assert two_way.n == 48 * 16 and np.isfinite(two_way.beta)
    # the dummy-variable estimate equals linearmodels' within estimator
    data = _long_table(scores).set_index(["city", "year"])
    lm = PanelOLS(data["g"], data[["ln_U"]], entity_effects=True, time_effects=True).fit()
    assert two_way.beta == pytest.approx(lm.params["ln_U"], rel=1e-9)
    table = two_way.summary()
    assert table.loc["n", "value"] == 768
    assert table.loc["fixed_effects", "value"] == "two-way"


def test_beta_guards():
    scores, ctrl = _simulated_panel(seed=3, cities=10, years=5)
    with pytest.raises(ConfigError, match="conditional"):
        beta_convergence(scores, controls=ctrl)
    with pytest.raises(ConfigError, match="needs controls"):
        beta_convergence(scores, kind="conditional")
    with pytest.raises(ConfigError, match="fixed effects"):
        beta_convergence(scores, kind="conditional", fixed_effects="city", period="long")
    with pytest.raises(ConfigError, match="one score column"):
        beta_convergence(pd.concat([scores, scores.rename("V")], axis=1))
    bad = scores.copy()
    bad.iloc[3] = 0.0
    with pytest.raises(InputError, match="> 0") as info:
        beta_convergence(bad)
    assert [c for c, _ in _problems(info)] == ["score_not_positive"]
    assert _problems(info)[0][1]["value"] == 0.0
    gap = scores[scores.index.get_level_values("year") != 2003]
    with pytest.raises(InputError) as info:
        beta_convergence(gap)
    assert _problems(info) == [("years_not_evenly_spaced", {"years": [2001, 2002, 2004, 2005]})]
    fixed = pd.DataFrame(
        {"area": np.repeat(np.arange(10.0), 5)}, index=scores.index
    )  # does not vary within a city
    with pytest.raises(ConfigError, match="collinear"):
        beta_convergence(scores, kind="conditional", controls=fixed, fixed_effects="city")
    with pytest.raises(InputError) as info:
        beta_convergence(scores, kind="conditional", controls=ctrl.iloc[:-10])
    assert {c for c, _ in _problems(info)} == {"control_missing"}
    nan = scores.copy()
    nan.iloc[0] = np.nan
    with pytest.raises(InputError) as info:
        beta_convergence(nan)
    assert [c for c, _ in _problems(info)] == ["score_missing"]
    with pytest.warns(DataWarning) as caught:
        res = beta_convergence(nan, nan_policy="omit")
    assert caught[0].message.code == "missing_scores_left_out"
    assert res.n == 10 * 4 - 1


def test_beta_five_year_steps():
    scores, _ = _simulated_panel(seed=5, cities=20, years=4)
    idx = scores.index
    spaced = scores.set_axis(
        pd.MultiIndex.from_arrays(
            [idx.get_level_values("city"), 2000 + 5 * (idx.get_level_values("year") - 2001)],
            names=["city", "year"],
        )
    )
    res = beta_convergence(spaced)
    ref = beta_convergence(scores)
    assert res.tau == 5.0
    assert res.beta == pytest.approx(ref.beta, rel=1e-12)
    assert res.speed == pytest.approx(ref.speed / 5, rel=1e-12)


def test_kernel_density_integrates_to_one_and_matches_formula():
    scores, _ = _simulated_panel(seed=6, cities=40, years=4)
    out = kernel_density(scores)
    assert list(out.columns) == ["score", "year", "x", "density", "bandwidth"]
    grids = out.groupby("year")["x"].apply(lambda x: tuple(x))
    assert grids.nunique() == 1  # one grid shared by all years
    for year, part in out.groupby("year"):
        assert np.trapezoid(part["density"], part["x"]) == pytest.approx(1.0, abs=1e-3)
        values = scores.xs(year, level="year").to_numpy()
        n = values.size
        q75, q25 = np.percentile(values, [75, 25])
        h = 0.9 * min(values.std(ddof=1), (q75 - q25) / 1.349) * n ** (-0.2)
        assert part["bandwidth"].iloc[0] == pytest.approx(h, rel=1e-12)
        x = part["x"].to_numpy()
        direct = np.exp(-0.5 * ((x[:, None] - values[None, :]) / h) ** 2).sum(axis=1) / (
            n * h * math.sqrt(2 * math.pi)
        )
        assert part["density"].to_numpy() == pytest.approx(direct, rel=1e-9, abs=1e-12)


def test_kernel_density_grid_and_guards():
    s = _series({("a", 2001): 1.0, ("b", 2001): 2.0, ("c", 2001): 4.0})
    out = kernel_density(s, grid=[0.0, 1.0, 2.0], bw=0.5)
    # f(1) = (1/(3·0.5)) Σ φ((1 − U_i)/0.5): hand value with φ(0), φ(2), φ(6)
    phi = stats.norm.pdf
    assert out["density"].iloc[1] == pytest.approx((phi(0) + phi(2) + phi(6)) / 1.5, rel=1e-12)
    same = _series({("a", 2001): 1.0, ("b", 2001): 1.0})
    with pytest.raises(InputError, match="numeric bw") as info:
        kernel_density(same)
    assert _problems(info) == [("kde_equal_scores", {"year": 2001, "value": 1.0})]
    assert kernel_density(same, bw=0.1)["density"].max() > 0
    one = _series({("a", 2001): 1.0})
    with pytest.raises(InputError) as info:
        kernel_density(one, bw=0.1)
    assert _problems(info) == [("kde_one_city", {"year": 2001, "n": 1})]
    with pytest.raises(ConfigError, match="increasing"):
        kernel_density(s, grid=[1.0, 0.0])
    with pytest.raises(ConfigError, match="bw"):
        kernel_density(s, bw=-1.0)
