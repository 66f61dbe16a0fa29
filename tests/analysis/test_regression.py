"""Influencing-factor regressions: OLS with fixed effects and the two-limit Tobit model."""

from __future__ import annotations

import math
import warnings

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm
import statsmodels.formula.api as smf
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.stats import norm
from statsmodels.tools.numdiff import approx_fprime, approx_hess

from coordeval.analysis.regression import Tobit, factor_regression, tobit
from coordeval.errors import InputError, MethodWarning

# Fair (1978) extramarital-affairs data as distributed in R package AER (data "Affairs", 601 rows),
# encoded six digits per respondent: affairs, age and yearsmarried as indices into the value lists
# below, then religiousness (1-5), occupation (1-7) and rating (1-5).
_AFFAIRS = [0, 1, 2, 3, 7, 12]
_AGE = [17.5, 22.0, 27.0, 32.0, 37.0, 42.0, 47.0, 52.0, 57.0]
_YEARS_MARRIED = [0.125, 0.417, 0.75, 1.5, 4.0, 7.0, 10.0, 15.0]
_AFFAIRS_CODES = """
046374 024464 037114 087565 012263 033255 012213 087244 037412 013445 047272 024464 067564
013254 024454 047155 047243 012354 013255 026215 013255 013255 026454 036315 044264 013255
025415 057564 024355 024354 057463 013355 021464 057554 034164 013453 057314 014455 013135
012315 036565 077563 011514 024261 035553 014355 025465 057254 023435 057264 012535 035264
024565 026464 014155 047431 013544 047415 022454 036464 067572 046364 012255 024245 035464
057235 046464 067365 013555 023264 024355 036545 010255 067443 037155 025455 013355 024365
013355 087272 003365 087465 012234 054433 013415 011164 037455 023352 013315 047314 037434
046253 046454 087553 021134 057515 087361 046164 047355 047465 026515 046264 010445 087565
047464 014464 025454 087454 037363 013254 035415 047465 033555 056574 025354 047465 047432
036564 012415 025424 025225 057554 057453 025212 013355 047565 010245 023455 033265 023265
026413 057465 023265 024263 036353 037354 012265 047214 024455 024154 026214 037564 025553
077254 024363 044154 024454 077513 087464 025154 045463 012243 034253 047463 012243 057463
077511 047412 025453 034255 024265 024255 047565 067554 036314 023412 087252 013454 057334
087422 087465 010445 036415 057354 023265 030252 024354 026214 035413 047454 057562 033465
034353 045455 011335 025415 022355 024255 036445 037155 012345 025414 021454 047454 047213
014154 047453 013245 077462 013455 034535 034235 013365 022233 015252 022253 047412 013115
046244 047453 057333 014255 075262 022255 024245 053565 013465 014453 014154 047545 046363
057465 067455 013454 036314 015135 036454 023224 047455 054345 047554 035455 057465 024464
012465 024453 012515 077555 036355 047444 035254 057314 037155 024355 037434 012324 013353
057435 077354 047564 067423 087264 035455 025414 013165 014314 013215 057264 087424 025215
014315 047453 035164 013255 013313 077255 047211 036255 057445 024345 047465 023355 010263
036263 024454 025251 034563 047255 067464 023155 047464 037414 035454 057313 025314 023342
013335 024342 025312 047254 045344 013255 047554 013453 036415 024253 011455 024255 047453
046574 025242 034255 034264 013345 014434 002254 036445 032533 047453 034345 023232 015415
067565 024144 047513 054455 034215 077274 013214 077424 011315 013255 024464 037415 023235
034165 047364 036265 036555 043453 033244 036414 067454 026515 024345 047442 022455 047415
037315 026215 025265 047213 023244 012215 014424 050464 023465 025363 077413 023552 023255
023355 010544 024415 024415 067255 037353 055255 012464 020365 036365 011545 067514 036315
087455 024365 035415 046415 036114 014314 025432 087552 035255 023413 013455 013454 035315
067354 012315 013255 024155 077455 036465 067464 025212 013445 036254 012254 013255 057364
025545 057444 087352 057362 035212 014545 013165 012145 037415 013253 024525 024415 057554
033273 087431 045455 077254 067465 025254 025455 014233 045265 025443 056464 013315 014213
087465 047443 025355 006445 014455 024214 047251 013514 025254 024455 010135 025414 037553
036454 037234 013355 024444 077515 025212 025314 057214 057454 025433 025262 057333 024335
025314 013245 024414 014455 013245 067454 046262 047354 024214 323344 324315 447562 536352
110455 113215 547452 413234 247264 337432 147442 457314 557541 546262 537312 324165 446273
424355 157455 167545 424354 125514 523354 525462 357454 426473 123252 134464 125313 336414
324272 102545 136415 435264 447264 446153 536255 477264 457113 177263 247365 514334 525162
124355 567465 557411 424334 435445 131334 367554 547254 414264 124245 477513 124333 126414
135374 435241 313132 414364 457464 287154 434352 124144 435414 287144 457452 446153 357361
177344 225353 535242 114425 325364 547155 437313 425255 135353 133224 557412 436354 444163
124253 557343 126565 546262 525133 325412 336244 502213 537354 215443 135465 424262 113553
537351 557212 457354 536242 537311 487545 567464 257263 547363 547552 426264 247254 537152
436363 247451 423255 367252 547254 524255 226415 114313 575455 224135 447264 224131 502235
437554 414135 234464 113352 357254 135444 547362 157363 124154 247473 447364 313233 334362
237565 577155 567165 337444 437332 425412 557362 457232 525254 336443 467342 113125 436254
236265 215362 137315
"""


def _affairs() -> pd.DataFrame:
    rows = [
        (
            _AFFAIRS[int(c[0])],
            _AGE[int(c[1])],
            _YEARS_MARRIED[int(c[2])],
            int(c[3]),
            int(c[4]),
            int(c[5]),
        )
        for c in _AFFAIRS_CODES.split()
    ]
    cols = ["affairs", "age", "yearsmarried", "religiousness", "occupation", "rating"]
    return pd.DataFrame(rows, columns=cols, dtype=np.float64)


def test_tobit_reproduces_published_censreg_affairs_example():
    """Published worked example: R package censReg (A. Henningsen), example
    ``censReg(affairs ~ age + yearsmarried + religiousness + occupation + rating,
    data = Affairs)`` on Fair (1978, Journal of Political Economy 86:45-61) data from R package
    AER; output printed in https://stats.stackexchange.com/questions/103598 ("Explanation of a
    censored regression model"): 601 observations, 451 left-censored; estimates, standard
    errors, logSigma and log-likelihood −705.6. Reproduced to every printed digit."""
    d = _affairs()
    assert len(d) == 601
    assert int((d["affairs"] == 0).sum()) == 451
    X = d[["age", "yearsmarried", "religiousness", "occupation", "rating"]]
    res = tobit(d["affairs"], X, left=0.0, right=None)
    printed = {
        "const": (8.17420, 2.74145),
        "age": (-0.17933, 0.07909),
        "yearsmarried": (0.55414, 0.13452),
        "religiousness": (-1.68622, 0.40375),
        "occupation": (0.32605, 0.25442),
        "rating": (-2.28497, 0.40783),
        "log_sigma": (2.10986, 0.06710),
    }
    for name, (coef, se) in printed.items():
        assert round(float(res.params[name]), 5) == coef, name
        assert round(float(res.bse[name]), 5) == se, name
    assert round(float(res.llf), 1) == -705.6


def _censored_sample(n: int, seed: int) -> tuple[pd.Series, pd.DataFrame, np.ndarray, float]:
    rng = np.random.default_rng(seed)
    X = pd.DataFrame({"x1": rng.normal(size=n), "x2": rng.uniform(size=n)})
    beta = np.array([0.45, 0.35, -0.4])
    sigma = 0.25
    latent = beta[0] + X.to_numpy() @ beta[1:] + rng.normal(scale=sigma, size=n)
    return pd.Series(np.clip(latent, 0.0, 1.0), name="D"), X, beta, sigma


def test_tobit_recovers_known_coefficients_on_simulated_two_limit_data():
    """Simulated censored data (n = 5,000, seeded) with known β and σ: every estimate lies within
    four standard errors of the truth, with censoring at both limits."""
    y, X, beta, sigma = _censored_sample(5000, seed=20240601)
    assert 0.03 < (y == 0).mean() < 0.5 and 0.03 < (y == 1).mean() < 0.5
    res = tobit(y, X)
    truth = np.append(beta, math.log(sigma))
    z = (res.params.to_numpy() - truth) / res.bse.to_numpy()
    assert np.all(np.abs(z) < 4), z
    assert res.mle_retvals["converged"]


def test_tobit_loglikelihood_equals_brute_force_sum():
    """ℓ(β, σ) against the definition, one observation at a time with scipy.stats.norm."""
    y, X, _, _ = _censored_sample(300, seed=7)
    exog = sm.add_constant(X)
    model = Tobit(y, exog, left=0.0, right=1.0)
    params = np.array([0.4, 0.3, -0.2, math.log(0.3)])
    b, s = params[:-1], math.exp(params[-1])
    total = 0.0
    for yi, xi in zip(y.to_numpy(), exog.to_numpy(), strict=True):
        mu = float(xi @ b)
        if yi <= 0.0:
            total += math.log(norm.cdf((0.0 - mu) / s))
        elif yi >= 1.0:
            total += math.log(1.0 - norm.cdf((1.0 - mu) / s))
        else:
            total += math.log(norm.pdf((yi - mu) / s) / s)
    assert model.loglike(params) == pytest.approx(total, rel=1e-12)


@pytest.mark.parametrize("limits", [(None, None), (0.0, 1.0)])
def test_tobit_without_censored_observations_is_the_ols_mle(limits):
    """No censored observation: the Tobit MLE is OLS β with σ² = SSR/n, and ℓ is the normal
    log-likelihood of OLS (statsmodels ``OLS.llf``)."""
    rng = np.random.default_rng(3)
    X = pd.DataFrame({"x1": rng.uniform(size=400), "x2": rng.uniform(size=400)})
    y = pd.Series(0.4 + 0.2 * X["x1"] - 0.1 * X["x2"] + rng.normal(scale=0.05, size=400))
    assert y.between(0.0, 1.0, inclusive="neither").all()
    res = tobit(y, X, left=limits[0], right=limits[1])
    ols = sm.OLS(y, sm.add_constant(X)).fit()
    np.testing.assert_allclose(res.params.to_numpy()[:-1], ols.params.to_numpy(), rtol=1e-8)
    assert math.exp(2 * res.params["log_sigma"]) == pytest.approx(ols.ssr / ols.nobs, rel=1e-8)
    assert res.llf == pytest.approx(ols.llf, rel=1e-10)


def test_tobit_analytic_score_and_hessian_match_numerical_derivatives():
    y, X, _, _ = _censored_sample(500, seed=11)
    model = Tobit(y, sm.add_constant(X))
    p = np.array([0.3, 0.5, -0.1, math.log(0.4)])
    num_g = approx_fprime(p, model.loglike, centered=True)
    np.testing.assert_allclose(model.score(p), num_g, rtol=1e-6, atol=1e-5)
    num_h = approx_hess(p, model.loglike)
    scale = np.abs(model.hessian(p)).max()
    np.testing.assert_allclose(model.hessian(p), num_h, atol=1e-5 * scale)
    obs = model.score_obs(p)
    np.testing.assert_allclose(obs.sum(axis=0), model.score(p), rtol=1e-12)


def test_tobit_guards():
    y, X, _, _ = _censored_sample(100, seed=1)
    with pytest.raises(InputError) as info:
        tobit(y + 0.5, X)
    assert {p.code for p in info.value.problems} == {"outside_tobit_limits"}
    bad = y.copy()
    bad.iloc[3] = np.nan
    with pytest.raises(InputError) as info:
        tobit(bad, X)
    assert {p.code for p in info.value.problems} == {"score_not_finite"}
    with pytest.raises(InputError, match="censored"):
        tobit(pd.Series(np.zeros(100)), X)
    res = tobit(y, X.assign(const=1.0))
    assert list(res.params.index) == ["x1", "x2", "const", "log_sigma"]
    with pytest.raises(ValueError, match="below"):
        Tobit(y, X, left=1.0, right=0.0)


@pytest.fixture
def panel() -> tuple[pd.Series, pd.DataFrame]:
    rng = np.random.default_rng(42)
    cities = [f"city{i:02d}" for i in range(12)]
    idx = pd.MultiIndex.from_product([cities, range(2014, 2022)], names=["city", "year"])
    X = pd.DataFrame(
        {"open": rng.normal(size=len(idx)), "fiscal": rng.uniform(size=len(idx))}, index=idx
    )
    effect = pd.Series(rng.normal(scale=0.1, size=12), index=cities)
    y = (
        0.5
        + 0.08 * X["open"]
        - 0.1 * X["fiscal"]
        + effect.reindex(idx.get_level_values("city")).to_numpy()
        + rng.normal(scale=0.05, size=len(idx))
    ).rename("D")
    return y, X


@pytest.mark.parametrize(
    ("fixed_effects", "formula"),
    [
        (None, "D ~ open + fiscal"),
        ("city", "D ~ open + fiscal + C(city)"),
        ("two-way", "D ~ open + fiscal + C(city) + C(year)"),
    ],
)
def test_factor_regression_equals_direct_statsmodels_fit(panel, fixed_effects, formula):
    """Oracle: the same model fitted directly with a statsmodels formula, cluster-robust SE by
    city with t(G − 1) inference."""
    y, X = panel
    res = factor_regression(y, X, fixed_effects=fixed_effects, cluster="city")
    data = X.assign(D=y).reset_index()
    groups = pd.factorize(data["city"])[0]
    direct = smf.ols(formula, data).fit(cov_type="cluster", cov_kwds={"groups": groups}, use_t=True)
    table = res.table.set_index("term")
    terms = ["Intercept", "open", "fiscal"]
    np.testing.assert_allclose(table["coef"], direct.params[terms], rtol=1e-10, atol=1e-13)
    np.testing.assert_allclose(table["se"], direct.bse[terms], rtol=1e-10, atol=1e-13)
    np.testing.assert_allclose(table["t"], direct.tvalues[terms], rtol=1e-9)
    np.testing.assert_allclose(table["p"], direct.pvalues[terms], rtol=1e-8, atol=1e-15)
    ci = direct.conf_int().loc[terms]
    np.testing.assert_allclose(table["ci_low"], ci[0], rtol=1e-10)
    np.testing.assert_allclose(table["ci_high"], ci[1], rtol=1e-10)
    assert res.n == 96 and res.n_clusters == 12
    assert res.r2 == pytest.approx(direct.rsquared, rel=1e-12)
    assert list(res.table.columns) == ["term", "coef", "se", "t", "p", "ci_low", "ci_high"]


def test_factor_regression_classical_standard_errors(panel):
    y, X = panel
    res = factor_regression(y, X, fixed_effects="city", cluster=None)
    direct = smf.ols("D ~ open + fiscal + C(city)", X.assign(D=y).reset_index()).fit()
    np.testing.assert_allclose(
        res.table.set_index("term")["se"], direct.bse[["Intercept", "open", "fiscal"]], rtol=1e-10
    )
    assert res.cov_type == "nonrobust" and res.n_clusters is None


@settings(max_examples=20, deadline=None)
@given(k=st.floats(0.01, 100.0), shift=st.floats(-5.0, 5.0))
def test_factor_regression_rescaling_a_factor_rescales_its_coefficient(k, shift):
    """Property: x → k·x + shift divides its coefficient by k and leaves its t statistic and
    the other factor's coefficient unchanged (the intercept absorbs the shift)."""
    rng = np.random.default_rng(0)
    cities = [f"c{i}" for i in range(10)]
    idx = pd.MultiIndex.from_product([cities, range(5)], names=["city", "year"])
    X = pd.DataFrame({"a": rng.normal(size=50), "b": rng.normal(size=50)}, index=idx)
    y = pd.Series(0.3 * X["a"] + 0.1 * X["b"] + rng.normal(size=50), index=idx, name="y")
    base = factor_regression(y, X, fixed_effects="city").table.set_index("term")
    moved = factor_regression(y, X.assign(a=k * X["a"] + shift), fixed_effects="city")
    moved_t = moved.table.set_index("term")
    assert moved_t.loc["a", "coef"] == pytest.approx(base.loc["a", "coef"] / k, rel=1e-7)
    assert moved_t.loc["a", "t"] == pytest.approx(base.loc["a", "t"], rel=1e-7)
    assert moved_t.loc["b", "coef"] == pytest.approx(base.loc["b", "coef"], rel=1e-7, abs=1e-12)


def test_factor_regression_missing_values(panel):
    y, X = panel
    X2 = X.copy()
    X2.iloc[5, 0] = np.nan
    with pytest.raises(InputError) as err:
        factor_regression(y, X2, fixed_effects="city")
    assert (err.value.problems[0].code, err.value.problems[0].column) == (
        "regression_value_missing",
        "open",
    )
    with pytest.warns(MethodWarning) as caught:
        dropped = factor_regression(y, X2, fixed_effects="city", missing="drop")
    assert [w.message.code for w in caught] == ["regression_rows_dropped"]
    keep = X2.notna().all(axis=1)
    direct = factor_regression(y[keep], X[keep], fixed_effects="city")
    assert dropped.n == 95
    np.testing.assert_allclose(dropped.table["coef"], direct.table["coef"], rtol=1e-12)


def test_factor_regression_guards(panel):
    y, X = panel
    city_level = X.index.get_level_values("city")
    constant_in_city = pd.Series(pd.factorize(city_level)[0], index=X.index, dtype=float)
    with pytest.raises(InputError, match="rank deficient") as err:
        factor_regression(y, X.assign(size=constant_in_city), fixed_effects="city")
    assert [(p.code, p.column) for p in err.value.problems] == [("factor_collinear", "size")]
    with pytest.raises(ValueError, match="fixed_effects"):
        factor_regression(y, X, fixed_effects="city-year")
    with pytest.raises(InputError) as info:
        factor_regression(y.reset_index(drop=True), X.reset_index(drop=True))
    assert {p.code for p in info.value.problems} == {"index_level_missing"}
    with pytest.raises(InputError) as info:
        factor_regression(y, X.assign(kind="a"))
    assert {p.code for p in info.value.problems} == {"regression_not_numeric"}


def test_factor_regression_warns_about_few_clusters(panel):
    y, X = panel
    few = y.index.get_level_values("city").isin(["city00", "city01", "city02", "city03"])
    with pytest.warns(MethodWarning) as caught:
        res = factor_regression(y[few], X[few], fixed_effects="city")
    assert [w.message.code for w in caught] == ["few_regression_clusters"]
    assert res.n_clusters == 4
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        factor_regression(y[few], X[few], fixed_effects="city", cluster=None)
