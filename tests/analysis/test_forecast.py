"""GM(1,1), grey relational analysis and panel forecasts of D.

Reference: the textbook GM(1,1) series of 刘思峰 等《灰色系统理论及其应用》(科学出版社),
x⁰ = (2.874, 3.278, 3.337, 3.390, 3.679), whose development coefficient and grey input are
quoted as a ≈ −0.0372, b ≈ 3.065; checked here to 4 decimals and, exactly, against the
closed-form solution of the 2 × 2 least-squares normal equations computed by hand in the test.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from coordeval.analysis.forecast import forecast_panel, gm11_series, grey_relational
from coordeval.errors import ConfigError, InputError
from coordeval.kernels import grey as K

X0 = [2.874, 3.278, 3.337, 3.390, 3.679]


def test_gm11_textbook_example() -> None:
    r = K.gm11(np.array(X0), horizon=2)
    assert r["a"] == pytest.approx(-0.0372, abs=5e-5)
    assert r["b"] == pytest.approx(3.0654, abs=5e-5)
    # closed form: x0(k) = −a z(k) + b over k = 2..n
    x1 = np.cumsum(X0)
    z = [(x1[k] + x1[k - 1]) / 2 for k in range(1, 5)]
    y = X0[1:]
    m = len(z)
    sz, sy = sum(z), sum(y)
    szz = sum(v * v for v in z)
    szy = sum(u * v for u, v in zip(z, y, strict=True))
    a_cf = -(m * szy - sz * sy) / (m * szz - sz * sz)
    b_cf = (sy + a_cf * sz) / m
    assert r["a"] == pytest.approx(a_cf, rel=1e-12) and r["b"] == pytest.approx(b_cf, rel=1e-12)
    c = X0[0] - b_cf / a_cf
    x1_hat = [c * np.exp(-a_cf * k) + b_cf / a_cf for k in range(7)]
    np.testing.assert_allclose(r["fitted"][1:], np.diff(x1_hat)[:4], rtol=1e-12)
    np.testing.assert_allclose(r["forecast"], np.diff(x1_hat)[4:], rtol=1e-12)
    assert K.level_ratio(np.array(X0))["passed"]
    # posterior-error test by hand: C = S2/S1 (population SDs), P share within 0.6745·S1
    resid = np.array(X0) - r["fitted"]
    assert r["C"] == pytest.approx(resid.std() / np.std(X0))
    assert r["grade"] == "good" and r["P"] == 1.0


def test_level_ratio_shift() -> None:
    x = pd.Series([1.0, 5.0, 6.0, 6.5, 7.0], index=range(2016, 2021))
    assert not K.level_ratio(x.to_numpy())["passed"]
    r = gm11_series(x, 2)
    assert r["shift"] > 0 and not r["level_ratio_passed"]
    assert K.level_ratio(x.to_numpy() + r["shift"])["passed"]
    assert list(r["forecast"].index) == [2021, 2022]
    with pytest.raises(InputError) as info:
        gm11_series(x.iloc[:3])
    assert {p.code for p in info.value.problems} == {"gm11_too_few_years"}


def test_grey_relational_hand_computed() -> None:
    """Deltas |x0 − xi| = [[0, 1], [1, 0]] → Δmin 0, Δmax 1, ξ = 0.5/(Δ + 0.5)."""
    ref = pd.Series([1.0, 2.0])
    X = pd.DataFrame({"a": [1.0, 3.0], "b": [2.0, 2.0]})
    g = grey_relational(ref, X, scale="none")
    expected_a = (1 + 0.5 / 1.5) / 2
    expected_b = (0.5 / 1.5 + 1) / 2
    assert g["relational_grade"].tolist() == pytest.approx([expected_a, expected_b])
    with pytest.raises(ConfigError):
        grey_relational(ref, X, rho=0)


def test_forecast_panel_reports_short_series() -> None:
    years = list(range(2010, 2022))
    idx = pd.MultiIndex.from_product([["a", "b"], years], names=["city", "year"])
    D = pd.Series(np.r_[np.linspace(0.3, 0.5, 12), np.linspace(0.4, 0.6, 12)], index=idx)
    D = D.drop(index=[("b", y) for y in years[:10]])  # b: only 2 years
    t = forecast_panel(D, [2025, 2030], time_series="all")
    a_gm = t[(t["unit"] == "a") & (t["method"] == "GM(1,1)")].iloc[0]
    assert a_gm["status"] == "ok" and a_gm["2030"] > a_gm["2025"] > 0.5
    assert "too short" in t[t["unit"] == "b"].iloc[0]["status"]
    assert set(t.loc[t["unit"] == "a", "method"]) == {
        "GM(1,1)",
        "ARIMA(1,1,0) with drift",
        "Holt ETS",
    }
    assert (t["unit"] == "cluster mean").any()
    mean_only = forecast_panel(D, [2025, 2030])
    assert set(mean_only.loc[mean_only["unit"] == "a", "method"]) == {"GM(1,1)"}
    assert len(mean_only[mean_only["unit"] == "cluster mean"]) == 3
    with pytest.raises(ConfigError, match="after the last"):
        forecast_panel(D, [2020])


def test_gaps_are_not_extrapolated() -> None:
    idx = pd.MultiIndex.from_tuples(
        [("a", y) for y in (2010, 2011, 2013, 2014, 2015)], names=["city", "year"]
    )
    t = forecast_panel(pd.Series([0.3, 0.32, 0.35, 0.36, 0.38], index=idx), [2020])
    assert t.iloc[0]["status"] == "years are not consecutive"
