"""GeoDetector against the published gdverse example and mapclassify's Fisher–Jenks.

Reference reproduced: ``gdverse::geodetector`` documentation example (R, Lv Wenbo; reference/
geodetector.md): y = 1:7, x1 = (x, y, y, y, z, z, z), x2 = (a, a, b, b, c, c, c) →
q(x2) = 0.8928571, p = 0.03167582; q(x1) = 0.7714286, p = 0.07936477; interaction
"Weaken, nonlinear"; risk x1: z vs y significant only; x2: c vs a and c vs b significant;
ecological x1 vs x2: not significant.
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from coordeval.analysis.geodetector import geodetector
from coordeval.errors import ConfigError, InputError
from coordeval.kernels import geodetector as K

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    import mapclassify

Y = np.arange(1, 8, dtype=float)
X1 = np.array(list("xyyyzzz"), dtype=object)
X2 = np.array(list("aabbccc"), dtype=object)


def test_factor_detector_published_example() -> None:
    r2, r1 = K.factor_q(Y, X2), K.factor_q(Y, X1)
    assert r2["q"] == pytest.approx(0.8928571, abs=5e-8)
    assert r2["p"] == pytest.approx(0.03167582, abs=5e-9)
    assert r1["q"] == pytest.approx(0.7714286, abs=5e-8)
    assert r1["p"] == pytest.approx(0.07936477, abs=5e-9)
    assert r1["strata"] == 2  # the single-observation stratum x is removed, as GD/gdverse


def test_other_detectors_published_example() -> None:
    res = geodetector(pd.Series(Y), pd.DataFrame({"x1": X1, "x2": X2}))
    inter = res.interaction.iloc[0]
    assert inter["type"] == "nonlinear-weaken" and inter["q_interaction"] == pytest.approx(0.75)
    risk = res.risk.set_index(["factor", "stratum_1", "stratum_2"])["significant"]
    assert not risk[("x1", "x", "y")] and not risk[("x1", "x", "z")] and risk[("x1", "y", "z")]
    assert not risk[("x2", "a", "b")] and risk[("x2", "a", "c")] and risk[("x2", "b", "c")]
    assert not res.ecological.iloc[0]["significant"]
    assert list(res.factor.sort_values("rank")["factor"]) == ["x2", "x1"]


def test_interaction_types_by_name() -> None:
    assert K.interaction_type(0.3, 0.4, 0.2) == "nonlinear-weaken"
    assert K.interaction_type(0.3, 0.4, 0.35) == "uni-weaken"
    assert K.interaction_type(0.3, 0.4, 0.5) == "bi-enhance"
    assert K.interaction_type(0.3, 0.4, 0.7) == "independent"
    assert K.interaction_type(0.3, 0.4, 0.8) == "nonlinear-enhance"


@pytest.mark.parametrize("k", [3, 5, 8])
def test_natural_breaks_match_mapclassify(k: int) -> None:
    x = np.random.default_rng(k).gamma(2.0, size=400)
    ref = mapclassify.FisherJenks(x, k).bins
    np.testing.assert_allclose(K.fisher_jenks_breaks(x, k), ref)
    np.testing.assert_allclose(K.fisher_jenks_all(x, 8)[k], ref)  # one run for every k


def test_discretisation_search_and_errors() -> None:
    rng = np.random.default_rng(0)
    x = rng.uniform(0, 10, 200)
    y = pd.Series(np.floor(x / 2.5) + rng.normal(0, 0.1, 200))
    res = geodetector(y, pd.DataFrame({"x": x, "noise": rng.normal(size=200)}))
    grid = res.discretization
    assert set(grid["method"]) == {"equal", "quantile", "natural", "sd", "geometric"}
    assert set(grid.loc[grid["factor"] == "x", "classes"]) == set(range(3, 9))
    best = res.factor.set_index("factor").loc["x"]
    assert best["q"] == pytest.approx(grid.loc[grid["factor"] == "x", "q"].max())
    assert best["q"] > 0.9 and res.factor.set_index("factor").loc["noise", "q"] < 0.2
    means = res.risk_means[res.risk_means["factor"] == "x"]
    assert means["stratum"].iloc[0].startswith("S1 (≤") and means["stratum"].iloc[1].startswith(
        "S2 ("
    )
    assert means["n"].sum() == 200
    with pytest.raises(ConfigError):
        geodetector(y, pd.DataFrame({"x": x}), methods=["jenks"])
    with pytest.raises(InputError) as info:
        geodetector(pd.Series(np.ones(200)), pd.DataFrame({"x": x}))
    assert {p.code for p in info.value.problems} == {"explained_constant"}


@settings(max_examples=30, deadline=None)
@given(st.integers(min_value=6, max_value=60), st.integers(2, 6), st.integers(0, 10_000))
@example(6, 6, 3200)  # every stratum a singleton: nothing left after dropping them
def test_q_in_unit_interval(n: int, L: int, seed: int) -> None:
    rng = np.random.default_rng(seed)
    r = K.factor_q(rng.normal(size=n), rng.integers(0, L, n))
    assert np.isnan(r["q"]) or 0.0 <= r["q"] <= 1.0
    assert np.isnan(r["p"]) or 0.0 <= r["p"] <= 1.0
