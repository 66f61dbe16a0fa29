"""CoordinationModel: fit/transform against the kernels, conventions, edge cases, persistence,
properties and the scikit-learn estimator contract."""

from __future__ import annotations

import contextlib
import json
import math
import tempfile
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from sklearn.exceptions import NotFittedError

from coordeval import (
    ConfigError,
    ConstantIndicatorWarning,
    CoordevalError,
    DataWarning,
    InputError,
    critic_weights,
    cv_weights,
    entropy_table,
    entropy_weights,
    normalize,
    topsis,
)
from coordeval.model import PRESETS, CoordinationModel, load_model, model_from_dict
from coordeval.system import IndicatorSystem, system_from_dict

# id, 中文名, direction, (low, high) range of the synthetic data, goalposts covering it
INDICATORS = {
    "econ": (
        "经济",
        [
            ("gdp_pc", "人均GDP", "+", (30_000.0, 150_000.0), (0.0, 200_000.0)),
            ("unemployment", "城镇登记失业率", "-", (2.0, 6.0), (0.0, 10.0)),
        ],
    ),
    "ecology": (
        "生态",
        [
            ("green_cover", "建成区绿化覆盖率", "+", (30.0, 50.0), (0.0, 100.0)),
            ("pm25", "PM2.5年均浓度", "-", (20.0, 80.0), (0.0, 150.0)),
            ("sewage", "污水处理率", "+", (80.0, 100.0), (0.0, 100.0)),
        ],
    ),
    "infra": ("基础设施", [("road_area", "人均道路面积", "+", (8.0, 20.0), (0.0, 40.0))]),
}
IDS = [i[0] for _, (_, inds) in INDICATORS.items() for i in inds]
DIRS = {i[0]: i[2] for _, (_, inds) in INDICATORS.items() for i in inds}
SUBS = {s: [i[0] for i in inds] for s, (_, inds) in INDICATORS.items()}
LOW = np.array([i[3][0] for _, (_, inds) in INDICATORS.items() for i in inds])
HIGH = np.array([i[3][1] for _, (_, inds) in INDICATORS.items() for i in inds])
GOAL = {i[0]: i[4] for _, (_, inds) in INDICATORS.items() for i in inds}


@contextlib.contextmanager
def raises_code(kind: type[Exception], code: str, **params: Any) -> Iterator[Any]:
    """The block raises ``kind`` with a problem coded ``code`` with (at least) these
    parameters, its stored English text the catalog's rendering."""
    with pytest.raises(kind) as info:
        yield info
    found = [p for p in info.value.problems if p.code == code]
    assert found, [p.code for p in info.value.problems]
    for p in found:
        assert {k: p.params.get(k) for k in params} == params, p.params
        assert p.render("en") == p.message


@contextlib.contextmanager
def warns_code(kind: type[Warning], code: str, **params: Any) -> Iterator[None]:
    """The block warns ``kind`` coded ``code`` with (at least) these parameters."""
    with pytest.warns(kind) as record:
        yield
    found = [w.message for w in record if getattr(w.message, "code", "") == code]
    assert found, [str(w.message) for w in record]
    assert {k: found[0].params.get(k) for k in params} == params, found[0].params


def system_dict(
    bounds: dict[str, tuple[float, float]] | None = None,
    weights: dict[str, float] | None = None,
    sub_weights: dict[str, float] | None = None,
) -> dict[str, Any]:
    subs = []
    for sid, (zh, inds) in INDICATORS.items():
        items = []
        for iid, name_zh, direction, _, _ in inds:
            ind: dict[str, Any] = {
                "id": iid,
                "name_zh": name_zh,
                "name_en": iid.replace("_", " "),
                "direction": direction,
            }
            if bounds and iid in bounds:
                ind["bounds"] = list(bounds[iid])
            if weights and iid in weights:
                ind["weight"] = weights[iid]
            items.append(ind)
        sub: dict[str, Any] = {"id": sid, "name_zh": zh, "name_en": sid, "indicators": items}
        if sub_weights and sid in sub_weights:
            sub["weight"] = sub_weights[sid]
        subs.append(sub)
    return {"name": "测试城市群 test cluster", "subsystems": subs}


def make_system(**kwargs: Any) -> IndicatorSystem:
    return system_from_dict(system_dict(**kwargs))


def make_panel(seed: int = 0, cities: int = 5, years: tuple[int, ...] = (2019, 2020, 2021, 2022)):
    rng = np.random.default_rng(seed)
    names = ["重庆", "成都", "贵阳", "昆明", "南宁", "长沙"][:cities]
    idx = pd.MultiIndex.from_product([names, list(years)], names=["city", "year"])
    u = rng.uniform(0.0, 1.0, size=(len(idx), len(IDS)))
    return pd.DataFrame(LOW + u * (HIGH - LOW), index=idx, columns=IDS)


PANEL = make_panel()


def z_of(panel: pd.DataFrame) -> pd.DataFrame:
    """Independent min-max of the fit panel with the system's directions."""
    return normalize(panel[IDS], DIRS)


# ---------------------------------------------------------------------------------------------
# fit and transform against the kernels


def test_entropy_fit_matches_kernels_on_the_pooled_panel():
    """Panel preset: min-max over all city-years, shift 0.0001 in the entropy step,
    k = 1/ln(N·T) with N·T = 20 rows, within-subsystem weights d_j/Σ_{j∈r} d_j, subsystem weight
    Σ_{j∈r} d_j/Σ d (methods reference §1.3, §1.4)."""
    model = CoordinationModel(make_system()).fit(PANEL)
    Z = z_of(PANEL)
    shifted = Z + 1e-4
    table = entropy_table(shifted)
    np.testing.assert_allclose(model.entropy_["e"], table["e"], rtol=1e-12)
    n = len(PANEL)
    p = shifted / shifted.sum()
    e_def = -(p * np.log(p)).sum() / math.log(n)
    np.testing.assert_allclose(model.entropy_["e"], e_def, rtol=1e-12)
    for ids in SUBS.values():
        np.testing.assert_allclose(
            model.within_weights_[ids], entropy_weights(shifted[ids]), rtol=1e-12
        )
    d = 1 - table["e"]
    sub = {s: d[ids].sum() / d.sum() for s, ids in SUBS.items()}
    np.testing.assert_allclose(model.subsystem_weights_[list(SUBS)], list(sub.values()), 1e-12)
    np.testing.assert_allclose(model.weights_[IDS], table["w"], rtol=1e-12)
    pd.testing.assert_series_equal(model.lo_, PANEL[IDS].min().rename("lo"))
    pd.testing.assert_series_equal(model.hi_, PANEL[IDS].max().rename("hi"))
    assert set(model.bounds_source_) == {"fit"}
    assert model.n_obs_ == 20 and model.years_ == [2019, 2020, 2021, 2022]
    assert sorted(model.cities_) == sorted(PANEL.index.get_level_values("city").unique())


def test_transform_scores_are_weighted_sums_and_composite_is_topsis():
    """U_r = Σ_{j∈r} w_j|r · z′_j on the unshifted z′; the composite is TOPSIS closeness with
    the global weights and ideal/anti-ideal z′ = 1/0, which on the fit data equals
    ``topsis(X, weights_, directions, normalize="minmax")``."""
    model = CoordinationModel(make_system()).fit(PANEL)
    out = model.transform(PANEL)
    assert list(out.columns) == [*SUBS, "composite"]
    assert out.index.equals(PANEL.index)
    Z = z_of(PANEL)
    for sid, ids in SUBS.items():
        np.testing.assert_allclose(
            out[sid], Z[ids].to_numpy() @ model.within_weights_[ids].to_numpy(), rtol=1e-12
        )
    ref = topsis(PANEL[IDS], model.weights_, DIRS, normalize="minmax")
    np.testing.assert_allclose(out["composite"], ref["closeness"], rtol=1e-12)
    np.testing.assert_allclose(model.normalized(PANEL), Z, atol=1e-15)
    table = model.composite_table(PANEL)
    np.testing.assert_allclose(table["closeness"], out["composite"], rtol=1e-15)
    for _, grp in table.groupby(level="year"):
        expected = grp["closeness"].rank(method="min", ascending=False).astype(np.int64)
        np.testing.assert_array_equal(grp["rank"], expected)


def test_topsis_weights_in_distance_for_the_composite():
    model = CoordinationModel(make_system(), topsis_weights_in="distance").fit(PANEL)
    ref = topsis(PANEL[IDS], model.weights_, DIRS, normalize="minmax", weights_in="distance")
    np.testing.assert_allclose(model.transform(PANEL)["composite"], ref["closeness"], 1e-12)


def test_scoring_topsis_subsystem_scores():
    """scoring="topsis": U_r is the TOPSIS closeness of the subsystem's indicators with the
    within weights; a one-indicator subsystem's closeness equals its z′."""
    model = CoordinationModel(make_system(), scoring="topsis").fit(PANEL)
    out = model.transform(PANEL)
    for sid, ids in SUBS.items():
        ref = topsis(PANEL[ids], model.within_weights_[ids], DIRS, normalize="minmax")
        np.testing.assert_allclose(out[sid], ref["closeness"], rtol=1e-12)
    np.testing.assert_allclose(out["infra"], z_of(PANEL)["road_area"], atol=1e-15)
    plain = CoordinationModel(make_system()).fit(PANEL).transform(PANEL)
    np.testing.assert_allclose(out["composite"], plain["composite"], rtol=1e-15)


def test_presets_panel_and_spssau_shift_changes_weights_slightly():
    """panel: shift 0.0001; spssau: shift 0.01 (SPSSAU's 非负平移). Each equals the kernel with
    its own shift; the two differ a little; an explicit shift overrides the preset."""
    assert PRESETS["panel"]["shift"] == 1e-4 and PRESETS["spssau"]["shift"] == 0.01
    panel = CoordinationModel(make_system()).fit(PANEL)
    spssau = CoordinationModel(make_system(), preset="spssau").fit(PANEL)
    Z = z_of(PANEL)
    np.testing.assert_allclose(panel.weights_[IDS], entropy_weights(Z + 1e-4), rtol=1e-12)
    np.testing.assert_allclose(spssau.weights_[IDS], entropy_weights(Z + 0.01), rtol=1e-12)
    diff = np.abs(panel.weights_ - spssau.weights_).max()
    assert 1e-5 < diff < 0.02
    assert spssau.params_["shift"] == 0.01 and panel.params_["shift"] == 1e-4
    override = CoordinationModel(make_system(), preset="spssau", shift=1e-4).fit(PANEL)
    pd.testing.assert_series_equal(override.weights_, panel.weights_)


def test_system_method_table_supplies_defaults_and_parameters_override_it():
    """Order of precedence: explicit parameters, then the system's [method] table, then the
    preset (panel unless named)."""
    data = system_dict()
    data["method"] = {"preset": "spssau", "weighting": "equal"}
    system = system_from_dict(data)
    model = CoordinationModel(system).fit(PANEL)
    assert model.params_["preset"] == "spssau" and model.params_["shift"] == 0.01
    assert model.params_["weighting"] == "equal"
    np.testing.assert_allclose(model.within_weights_[SUBS["econ"]], [0.5, 0.5], rtol=1e-15)
    explicit = CoordinationModel(system, preset="panel", weighting="entropy").fit(PANEL)
    plain = CoordinationModel(make_system()).fit(PANEL)
    pd.testing.assert_series_equal(explicit.weights_, plain.weights_)
    data["method"] = {"shift": 0.001}
    shifted = CoordinationModel(system_from_dict(data)).fit(PANEL)
    np.testing.assert_allclose(
        shifted.weights_[IDS], entropy_weights(z_of(PANEL) + 0.001), rtol=1e-12
    )


def test_weighting_equal():
    model = CoordinationModel(make_system(), weighting="equal").fit(PANEL)
    for ids in SUBS.values():
        np.testing.assert_allclose(model.within_weights_[ids], 1 / len(ids), rtol=1e-15)
    np.testing.assert_allclose(model.subsystem_weights_, 1 / 3, rtol=1e-15)
    assert model.entropy_ is None


def test_weighting_critic_within_subsystems_and_summed_for_subsystems():
    model = CoordinationModel(make_system(), weighting="critic").fit(PANEL)
    Z = z_of(PANEL)
    for ids in SUBS.values():
        expected = critic_weights(Z[ids]) if len(ids) > 1 else pd.Series([1.0], index=ids)
        np.testing.assert_allclose(model.within_weights_[ids], expected, rtol=1e-12)
    glob = critic_weights(Z)
    np.testing.assert_allclose(
        model.subsystem_weights_[list(SUBS)], [glob[ids].sum() for ids in SUBS.values()], 1e-12
    )


def test_weighting_cv_on_raw_data():
    model = CoordinationModel(make_system(), weighting="cv").fit(PANEL)
    glob = cv_weights(PANEL[IDS])
    for ids in SUBS.values():
        np.testing.assert_allclose(model.within_weights_[ids], cv_weights(PANEL[ids]), 1e-12)
    np.testing.assert_allclose(
        model.subsystem_weights_[list(SUBS)], [glob[ids].sum() for ids in SUBS.values()], 1e-12
    )


def test_weighting_cv_refuses_negative_data():
    with raises_code(InputError, "cv_negative") as info:
        CoordinationModel(make_system(), weighting="cv").fit(PANEL.assign(pm25=PANEL["pm25"] - 50))
    assert [p.column for p in info.value.problems] == ["pm25"]


def test_weighting_fixed_and_fixed_subsystem_weights():
    w = {"gdp_pc": 3, "unemployment": 1, "green_cover": 1, "pm25": 1, "sewage": 2, "road_area": 5}
    subw = {"econ": 0.5, "ecology": 0.3, "infra": 0.2}
    model = CoordinationModel(make_system(weights=w, sub_weights=subw), weighting="fixed")
    model.fit(PANEL)
    np.testing.assert_allclose(
        model.within_weights_[IDS], [0.75, 0.25, 0.25, 0.25, 0.5, 1.0], rtol=1e-15
    )
    np.testing.assert_allclose(model.subsystem_weights_[list(SUBS)], [0.5, 0.3, 0.2], 1e-15)
    np.testing.assert_allclose(
        model.weights_[IDS], [0.375, 0.125, 0.075, 0.075, 0.15, 0.2], rtol=1e-14
    )
    with raises_code(ConfigError, "fixed_weights_missing"):
        CoordinationModel(make_system(), weighting="fixed").fit(PANEL)


def test_fixed_indicator_weights_with_entropy_subsystem_weights():
    w = {"gdp_pc": 1, "unemployment": 1}
    model = CoordinationModel(make_system(weights=w)).fit(PANEL)
    np.testing.assert_allclose(model.within_weights_[SUBS["econ"]], [0.5, 0.5], rtol=1e-15)
    Z = z_of(PANEL) + 1e-4
    np.testing.assert_allclose(
        model.within_weights_[SUBS["ecology"]], entropy_weights(Z[SUBS["ecology"]]), 1e-12
    )
    with raises_code(ConfigError, "indicator_weights_partial", sub="econ"):
        CoordinationModel(make_system(weights={"gdp_pc": 1})).fit(PANEL)


def test_partial_subsystem_weights_are_a_config_error():
    with raises_code(ConfigError, "subsystem_weights_partial"):
        CoordinationModel(make_system(sub_weights={"econ": 0.5})).fit(PANEL)


@pytest.mark.parametrize(
    "kwargs",
    [
        {"preset": "stata"},
        {"weighting": "pca"},
        {"scoring": "grey"},
        {"out_of_range": "wrap"},
        {"topsis_weights_in": "both"},
        {"shift": -0.1},
        {"shift": float("nan")},
        {"system": None},
    ],
)
def test_invalid_parameters_raise_config_error_at_fit(kwargs):
    params = {"system": make_system()} | kwargs
    model = CoordinationModel(**params)
    with pytest.raises(ConfigError):
        model.fit(PANEL)


@pytest.mark.parametrize("u", [(0.2, 0.3, 0.9), (0.1, 0.2, 0.3, 0.4, 0.5)])
def test_critic_with_perfectly_correlated_indicators_in_a_subsystem(u):
    """gdp_pc = 30000 + 120000u and unemployment = 6 − 4u carry the same information: CRITIC
    has no conflict to weigh, so fitting stops with an InputError naming the subsystem (before
    the fix: a stray kernel ValueError, rounding-noise weights (0.25, 0.75) or ±6e15)."""
    u = np.array(u)
    panel = make_panel()[: len(u)].reset_index(drop=True)
    panel["gdp_pc"] = 30_000 + 120_000 * u
    panel["unemployment"] = 6 - 4 * u
    with raises_code(InputError, "critic_subsystem", sub="econ"):
        CoordinationModel(make_system(), weighting="critic").fit(panel)


# ---------------------------------------------------------------------------------------------
# goalposts, out-of-range policies, bad data


def test_goalposts_replace_fit_extremes():
    bounds = {"gdp_pc": GOAL["gdp_pc"], "pm25": GOAL["pm25"]}
    model = CoordinationModel(make_system(bounds=bounds)).fit(PANEL)
    assert model.lo_["gdp_pc"] == 0.0 and model.hi_["gdp_pc"] == 200_000.0
    assert model.lo_["pm25"] == 0.0 and model.hi_["pm25"] == 150.0
    assert model.bounds_source_["gdp_pc"] == "goalpost" and model.bounds_source_["sewage"] == "fit"
    Z = model.normalized(PANEL)
    np.testing.assert_allclose(Z["gdp_pc"], PANEL["gdp_pc"] / 200_000.0, rtol=1e-15)
    np.testing.assert_allclose(Z["pm25"], (150.0 - PANEL["pm25"]) / 150.0, rtol=1e-15)
    np.testing.assert_allclose(Z["sewage"], z_of(PANEL)["sewage"], atol=1e-15)
    np.testing.assert_allclose(model.weights_[IDS], entropy_weights(Z + 1e-4), rtol=1e-12)


@pytest.mark.parametrize("bounds", [(40_000.0, 200_000.0), (100_000.0, 200_000.0)])
def test_fit_data_outside_goalposts_is_flagged_and_never_gives_nan(bounds):
    """Expected: fit refuses (CoordevalError) or flags the values outside the goalposts with a
    DataWarning and still returns finite weights that do not silently drop the indicator."""
    model = CoordinationModel(make_system(bounds={"gdp_pc": bounds}))
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            model.fit(PANEL)
        except CoordevalError:
            return
    assert any(issubclass(w.category, DataWarning) for w in caught)
    assert np.isfinite(model.weights_).all() and model.weights_["gdp_pc"] > 0


def test_out_of_range_extend_clip_and_error():
    new = PANEL.xs(2022, level="year", drop_level=False).copy()
    new["gdp_pc"] = PANEL["gdp_pc"].max() * 2
    new["pm25"] = PANEL["pm25"].max() + 10.0
    span = PANEL["pm25"].max() - PANEL["pm25"].min()

    extend = CoordinationModel(make_system()).fit(PANEL)
    with warns_code(DataWarning, "outside_fitted_range", policy="extend"):
        z = extend.normalized(new)
    expected = (2 * PANEL["gdp_pc"].max() - PANEL["gdp_pc"].min()) / (
        PANEL["gdp_pc"].max() - PANEL["gdp_pc"].min()
    )
    np.testing.assert_allclose(z["gdp_pc"], expected, rtol=1e-12)
    np.testing.assert_allclose(z["pm25"], -10.0 / span, rtol=1e-12)

    clip = CoordinationModel(make_system(), out_of_range="clip").fit(PANEL)
    with pytest.warns(DataWarning):
        zc = clip.normalized(new)
        scores = clip.transform(new)
    assert (zc["gdp_pc"] == 1.0).all() and (zc["pm25"] == 0.0).all()
    at_bounds = new.copy()
    at_bounds["gdp_pc"] = PANEL["gdp_pc"].max()
    at_bounds["pm25"] = PANEL["pm25"].max()
    np.testing.assert_allclose(scores, clip.transform(at_bounds), rtol=1e-15)

    error = CoordinationModel(make_system(), out_of_range="error").fit(PANEL)
    with raises_code(InputError, "value_outside_refused") as info:
        error.transform(new)
    assert {p.column for p in info.value.problems} == {"gdp_pc", "pm25"}

    flags = extend.flag_out_of_range(new)
    assert len(flags) == 2 * len(new)
    assert set(flags.loc[flags["indicator"] == "gdp_pc", "side"]) == {"above"}
    assert extend.flag_out_of_range(PANEL).empty


def test_scoring_a_new_year_never_changes_earlier_scores():
    model = CoordinationModel(make_system()).fit(PANEL)
    before = model.transform(PANEL)
    new = make_panel(seed=9, years=(2023,))
    new["road_area"] = 30.0
    with pytest.warns(DataWarning):
        both = model.transform(pd.concat([PANEL, new]))
    pd.testing.assert_frame_equal(both.loc[PANEL.index], before)


@pytest.mark.parametrize("where", ["fit", "transform"])
def test_nan_in_the_panel_is_an_input_error_naming_the_column(where):
    bad = PANEL.copy()
    bad.iloc[3, IDS.index("pm25")] = np.nan
    model = CoordinationModel(make_system())
    if where == "transform":
        model.fit(PANEL)
    with pytest.raises(InputError) as info:
        getattr(model, where)(bad)
    assert [p.column for p in info.value.problems] == ["pm25"]


def test_inf_in_the_panel_is_an_input_error():
    bad = PANEL.copy()
    bad.iloc[0, 0] = np.inf
    with raises_code(InputError, "value_not_finite"):
        CoordinationModel(make_system()).fit(bad)


def test_missing_indicator_column_is_an_input_error_naming_it():
    with raises_code(InputError, "indicator_missing", indicator="pm25") as info:
        CoordinationModel(make_system()).fit(PANEL.drop(columns="pm25"))
    assert "PM2.5年均浓度" in str(info.value)
    assert len(info.value.problems) == 1


def test_non_numeric_column_is_an_input_error():
    bad = PANEL.astype({"sewage": object})
    bad.iloc[0, IDS.index("sewage")] = "约95"
    with pytest.raises(InputError) as info:
        CoordinationModel(make_system()).fit(bad)
    assert [p.column for p in info.value.problems] == ["sewage"]


def test_extra_columns_are_ignored_and_order_follows_the_system():
    model = CoordinationModel(make_system()).fit(PANEL)
    shuffled = PANEL[IDS[::-1]].assign(note=1.0)
    pd.testing.assert_frame_equal(model.transform(shuffled), model.transform(PANEL))


def test_constant_indicator_gets_weight_zero_and_a_warning():
    flat = PANEL.assign(sewage=95.0)
    with warns_code(ConstantIndicatorWarning, "constant_indicator", names="['sewage']"):
        model = CoordinationModel(make_system()).fit(flat)
    assert model.constant_ == ["sewage"]
    assert model.weights_["sewage"] == 0.0 and model.within_weights_["sewage"] == 0.0
    eco = ["green_cover", "pm25"]
    Z = normalize(flat[eco], DIRS) + 1e-4
    np.testing.assert_allclose(model.within_weights_[eco], entropy_weights(Z[eco]), rtol=1e-12)
    assert np.isfinite(model.transform(flat).to_numpy()).all()


def test_subsystem_whose_only_indicator_is_constant_is_an_input_error():
    with (
        pytest.warns(ConstantIndicatorWarning),
        raises_code(InputError, "subsystem_not_varying", sub="infra"),
    ):
        CoordinationModel(make_system()).fit(PANEL.assign(road_area=12.0))


def test_all_indicators_constant_is_an_input_error():
    flat = PANEL.copy()
    flat[:] = 1.0
    with pytest.warns(ConstantIndicatorWarning), pytest.raises(InputError):
        CoordinationModel(make_system()).fit(flat)


def test_one_row_is_an_input_error():
    """A single city-year cannot be fitted (k = 1/ln 1); fit also warns that nothing varies."""
    with (
        pytest.warns(ConstantIndicatorWarning),
        raises_code(InputError, "method_too_few_rows", n=1),
    ):
        CoordinationModel(make_system()).fit(PANEL.iloc[:1])


def test_empty_panel_is_an_input_error():
    with raises_code(InputError, "panel_empty"):
        CoordinationModel(make_system()).fit(PANEL.iloc[:0])


def test_transform_before_fit_raises_not_fitted():
    with pytest.raises(NotFittedError):
        CoordinationModel(make_system()).transform(PANEL)


def test_array_input_in_system_order():
    model = CoordinationModel(make_system()).fit(PANEL[IDS].to_numpy())
    out = model.transform(PANEL[IDS].to_numpy())
    assert isinstance(out, np.ndarray) and model.cities_ == [] and model.years_ == []
    ref = CoordinationModel(make_system()).fit(PANEL).transform(PANEL)
    assert isinstance(ref, pd.DataFrame)
    np.testing.assert_allclose(out, ref.to_numpy(), rtol=1e-15)
    framed = model.set_output(transform="pandas").transform(PANEL[IDS].to_numpy())
    assert list(framed.columns) == [*SUBS, "composite"]
    np.testing.assert_allclose(framed.to_numpy(), out, rtol=0)
    assert list(model.get_feature_names_out()) == [*SUBS, "composite"]
    with pytest.raises(ValueError, match="features"):
        model.transform(PANEL[IDS[:-1]].to_numpy())


# ---------------------------------------------------------------------------------------------
# persistence


def _fitted_variants():
    bounds = {"gdp_pc": GOAL["gdp_pc"], "road_area": GOAL["road_area"]}
    return [
        CoordinationModel(make_system()).fit(PANEL),
        CoordinationModel(make_system(bounds=bounds), preset="spssau", out_of_range="clip").fit(
            PANEL
        ),
        CoordinationModel(make_system(), weighting="critic", scoring="topsis").fit(PANEL),
        CoordinationModel(
            make_system(weights=dict.fromkeys(IDS, 1.0), sub_weights={s: 1 for s in SUBS}),
            weighting="fixed",
            topsis_weights_in="distance",
        ).fit(PANEL),
        CoordinationModel(
            system_from_dict(system_dict() | {"method": {"preset": "spssau", "weighting": "cv"}})
        ).fit(PANEL),
    ]


@pytest.mark.parametrize("k", range(5))
def test_save_load_transform_is_exact(tmp_path, k):
    model = _fitted_variants()[k]
    path = model.save(tmp_path / "模型.json")
    loaded = load_model(path)
    new = make_panel(seed=5)
    for panel in (PANEL, new):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DataWarning)
            a, b = model.transform(panel), loaded.transform(panel)
        assert np.array_equal(a.to_numpy(), b.to_numpy())
        assert a.index.equals(b.index) and list(a.columns) == list(b.columns)
    assert loaded.get_params(deep=False) | {"system": None} == model.get_params(deep=False) | {
        "system": None
    }
    assert loaded.system_ == model.system_ and loaded.params_ == model.params_
    for attr in ("lo_", "hi_", "weights_", "within_weights_", "subsystem_weights_"):
        pd.testing.assert_series_equal(getattr(loaded, attr), getattr(model, attr))
    if model.entropy_ is not None:
        pd.testing.assert_frame_equal(loaded.entropy_, model.entropy_)
    text = Path(path).read_text(encoding="utf-8")
    assert "NaN" not in text and "测试城市群" in text


@pytest.fixture
def saved(tmp_path):
    model = CoordinationModel(make_system(bounds={"pm25": GOAL["pm25"]})).fit(PANEL)
    path = model.save(tmp_path / "m.json")
    return path, json.loads(Path(path).read_text(encoding="utf-8"))


def _write(path: Path, data: Any, resign: bool = False) -> Path:
    """Write a (hand-edited) model file; ``resign`` recomputes the fitted-numbers hash when the
    file has one (and drops the per-part checksums), so that the checks behind the hash are
    reached."""
    if resign and "fitted_sha256" in data and isinstance(data.get("fitted"), dict):
        from coordeval import model as model_module

        data["fitted_sha256"] = model_module.fitted_sha256(data["fitted"])
        data.pop("checksums", None)
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


def test_hand_edited_system_fails_the_hash_check(saved):
    path, data = saved
    data["system"]["subsystems"][1]["indicators"][1]["bounds"] = [0.0, 120.0]
    with pytest.raises(ConfigError, match="hash"):
        load_model(_write(path, data))


@pytest.mark.parametrize(
    "edit",
    [
        lambda d: d["fitted"]["lo"].update(gdp_pc=d["fitted"]["lo"]["gdp_pc"] - 1000.0),
        lambda d: d["fitted"]["weights"].update(gdp_pc=d["fitted"]["weights"]["gdp_pc"] + 0.1),
    ],
    ids=["bounds", "weights"],
)
def test_hand_edited_fitted_numbers_are_a_config_error(saved, edit):
    path, data = saved
    edit(data)
    with pytest.raises(ConfigError):
        load_model(_write(path, data))


@pytest.mark.parametrize(
    ("edit", "match"),
    [
        (lambda d: d.pop("fitted"), "fitted"),
        (lambda d: d.pop("system_sha256"), "system_sha256"),
        (lambda d: d["fitted"].pop("lo"), "lo"),
        (lambda d: d["fitted"]["hi"].pop("pm25"), "pm25"),
        (lambda d: d["fitted"]["lo"].update(pm25="abc"), "damaged"),
        (lambda d: d["fitted"]["weights"].update(gdp_pc=0.9), "sum to 1"),
        (lambda d: d.update(schema_version=2), "schema version"),
        (lambda d: d.pop("format"), "not a coordeval model"),
        (lambda d: d["params"].update(weighting="magic"), "weighting"),
        (lambda d: d["params"].update(colour="red"), "colour"),
        (lambda d: d["fitted"].update(n_obs="twenty"), "damaged"),
        (lambda d: d.update(params=[]), "params"),
    ],
)
def test_damaged_model_files_are_config_errors(saved, edit, match):
    path, data = saved
    edit(data)
    with pytest.raises(ConfigError, match=match):
        load_model(_write(path, data, resign=True))


def test_not_json_missing_file_and_not_a_model(tmp_path):
    bad = tmp_path / "m.json"
    bad.write_text("{ this is not json", encoding="utf-8")
    with raises_code(ConfigError, "model_json_invalid"):
        load_model(bad)
    with raises_code(ConfigError, "model_unreadable"):
        load_model(tmp_path / "absent.json")
    binary = tmp_path / "b.json"
    binary.write_bytes(b"\xff\xfe\x00garbage")
    with pytest.raises(ConfigError):
        load_model(binary)
    with raises_code(ConfigError, "model_format"):
        model_from_dict([1, 2, 3])


# ---------------------------------------------------------------------------------------------
# properties


@st.composite
def panels(draw, min_rows: int = 3, max_rows: int = 12):
    n = draw(st.integers(min_rows, max_rows))
    cells = st.floats(0.0, 1.0, allow_nan=False)
    u = np.array(draw(st.lists(st.lists(cells, min_size=6, max_size=6), min_size=n, max_size=n)))
    assume(np.all(u.max(axis=0) - u.min(axis=0) > 1e-3))
    panel = pd.DataFrame(LOW + u * (HIGH - LOW), columns=IDS)
    # CRITIC is degenerate when the indicators of a subsystem are perfectly correlated
    # (test_critic_with_perfectly_correlated_indicators_in_a_subsystem)
    Z = z_of(panel).to_numpy()
    for cols in [list(range(len(IDS)))] + [[IDS.index(i) for i in ids] for ids in SUBS.values()]:
        if len(cols) > 1:
            conflict = (1 - np.corrcoef(Z[:, cols], rowvar=False)).sum(axis=0)
            assume(np.all(conflict > 1e-3))
    return panel


methods = st.fixed_dictionaries(
    {
        "weighting": st.sampled_from(["entropy", "critic", "cv", "equal"]),
        "scoring": st.sampled_from(["weighted_sum", "topsis"]),
        "preset": st.sampled_from(["panel", "spssau"]),
        "topsis_weights_in": st.sampled_from(["matrix", "distance"]),
    }
)

SYSTEM = make_system()
GOAL_SYSTEM = make_system(bounds=GOAL)


@settings(max_examples=30, deadline=None)
@given(panel=panels(), kw=methods)
def test_scores_lie_in_unit_interval_on_the_fit_data(panel, kw):
    model = CoordinationModel(SYSTEM, **kw).fit(panel)
    out = model.transform(panel).to_numpy()
    assert np.isfinite(out).all()
    assert np.all(out >= -1e-12) and np.all(out <= 1 + 1e-12)
    for w in (model.weights_, model.within_weights_, model.subsystem_weights_):
        assert np.all(w >= 0) and np.isfinite(w).all()
    assert model.weights_.sum() == pytest.approx(1.0, abs=1e-12)


@settings(max_examples=30, deadline=None)
@given(panel=panels(), kw=methods, data=st.data())
def test_transform_is_row_wise(panel, kw, data):
    model = CoordinationModel(SYSTEM, **kw).fit(panel)
    full = model.transform(panel)
    rows = data.draw(
        st.lists(st.integers(0, len(panel) - 1), min_size=1, max_size=len(panel), unique=True)
    )
    part = model.transform(panel.iloc[rows])
    np.testing.assert_allclose(part.to_numpy(), full.iloc[rows].to_numpy(), rtol=1e-14, atol=0)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(panel=panels(), kw=methods)
def test_save_load_round_trip_is_exact_property(panel, kw):
    model = CoordinationModel(SYSTEM, **kw).fit(panel)
    with tempfile.TemporaryDirectory() as tmp:
        loaded = load_model(model.save(Path(tmp) / "m.json"))
    assert np.array_equal(loaded.transform(panel).to_numpy(), model.transform(panel).to_numpy())


@settings(max_examples=40, deadline=None)
@given(panel=panels(), kw=methods, data=st.data())
def test_improving_an_indicator_never_lowers_scores_with_goalposts(panel, kw, data):
    """With fixed goalposts, moving one value of one row towards its better goalpost (up for a
    benefit, down for a cost indicator) does not lower that row's subsystem score or composite
    and leaves the other subsystems unchanged."""
    model = CoordinationModel(GOAL_SYSTEM, **kw).fit(panel)
    i = data.draw(st.integers(0, len(panel) - 1))
    j = data.draw(st.integers(0, len(IDS) - 1))
    t = data.draw(st.floats(0.0, 1.0))
    ind = IDS[j]
    lo, hi = GOAL[ind]
    row = panel.iloc[[i]]
    better = row.copy()
    x = float(row[ind].iloc[0])
    better[ind] = x + t * (hi - x) if DIRS[ind] == "+" else x - t * (x - lo)
    old, new = model.transform(row).iloc[0], model.transform(better).iloc[0]
    sub = next(s for s, ids in SUBS.items() if ind in ids)
    assert new[sub] >= old[sub] - 1e-12
    assert new["composite"] >= old["composite"] - 1e-12
    others = [s for s in SUBS if s != sub]
    np.testing.assert_array_equal(new[others].to_numpy(), old[others].to_numpy())


# ---------------------------------------------------------------------------------------------
# scikit-learn estimator contract


def width_system(n: int, prefix: str = "x") -> IndicatorSystem:
    """One subsystem of ``n`` benefit indicators ``{prefix}0 … {prefix}{n-1}``: the checks
    generate data of a fixed width, so the system must match it."""
    inds = [
        {"id": f"{prefix}{j}", "name_zh": f"指标{j}", "name_en": f"{prefix}{j}", "direction": "+"}
        for j in range(n)
    ]
    return system_from_dict(
        {
            "name": "w",
            "subsystems": [{"id": "s", "name_zh": "s", "name_en": "s", "indicators": inds}],
        }
    )


#: Checks that apply to an estimator whose ``system`` fixes the number of features, with the
#: width of the data each check generates (and the column-name prefix for pandas checks).
APPLICABLE = {
    "check_estimator_cloneable": (3, "x"),
    "check_estimator_repr": (3, "x"),
    "check_estimator_tags_renamed": (3, "x"),
    "check_valid_tag_types": (3, "x"),
    "check_no_attributes_set_in_init": (3, "x"),
    "check_parameters_default_constructible": (3, "x"),
    "check_do_not_raise_errors_in_init_or_set_params": (3, "x"),
    "check_get_params_invariance": (3, "x"),
    "check_set_params": (3, "x"),
    "check_mixin_order": (3, "x"),
    "check_dont_overwrite_parameters": (3, "x"),
    "check_estimators_overwrite_params": (2, "x"),
    "check_estimators_unfitted": (3, "x"),
    "check_transformers_unfitted": (3, "x"),
    "check_fit_check_is_fitted": (2, "x"),
    "check_estimators_fit_returns_self": (2, "x"),
    "check_fit_idempotent": (2, "x"),
    "check_n_features_in": (2, "x"),
    "check_fit_score_takes_y": (3, "x"),
    "check_requires_y_none": (2, "x"),
    "check_transformer_general": (3, "x"),
    "check_transformer_data_not_an_array": (3, "x"),
    "check_methods_subset_invariance": (3, "x"),
    "check_methods_sample_order_invariance": (3, "x"),
    "check_dict_unchanged": (3, "x"),
    "check_pipeline_consistency": (3, "x"),
    "check_readonly_memmap_input": (2, "x"),
    "check_f_contiguous_array_estimator": (3, "x"),
    "check_estimators_dtypes": (5, "x"),
    "check_dtype_object": (10, "x"),
    "check_fit1d": (3, "x"),
    "check_fit2d_1feature": (1, "x"),
    "check_fit2d_1sample": (10, "x"),
    "check_n_features_in_after_fitting": (4, "x"),
    "check_estimators_nan_inf": (3, "x"),
    "check_estimators_empty_data_messages": (3, "x"),
    "check_fit2d_predict1d": (3, "x"),
    "check_complex_data": (1, "x"),
    "check_transformer_preserve_dtypes": (3, "x"),
    "check_transformer_get_feature_names_out": (3, "x"),
    "check_transformer_get_feature_names_out_pandas": (3, "col"),
    "check_estimator_sparse_array": (3, "x"),
    "check_estimator_sparse_matrix": (3, "x"),
    "check_positive_only_tag_during_fit": (4, "x"),
    "check_estimators_pickle": (3, "x"),
    "check_get_feature_names_out_error": (3, "x"),
    "check_set_output_transform": (5, "x"),
    "check_set_output_transform_pandas": (5, "col"),
    "check_global_output_transform_pandas": (5, "col"),
}

#: Checks that do not apply, and why.
NOT_APPLICABLE = {
    "check_dataframe_column_names_consistency": "the model reads DataFrame columns by indicator "
    "id (extra columns ignored, order taken from the system), by design, so reordered names "
    "are accepted rather than refused",
    "check_estimator_sparse_tag": "duplicates check_estimator_sparse_array/_matrix for the "
    "default sparse=False tag",
    "check_array_api_input": "numpy-only estimator; needs SCIPY_ARRAY_API",
    "check_set_output_transform_polars": "polars is not installed in the project environment",
    "check_global_set_output_transform_polars": "polars is not installed",
    "check_transformer_n_iter": "no max_iter parameter: passes vacuously",
    "check_estimators_partial_fit_n_features": "no partial_fit",
    "check_sample_weights_*": "fit takes no sample_weight",
    "check_classifiers_* / check_regressors_* / check_clustering / check_outliers_*": "not a "
    "classifier, regressor, clusterer or outlier detector",
    "check_fit_non_negative / check_inplace_ensure_writeable": "run only for estimators with "
    "the positive_only tag or an in-place 'copy' option",
}


def _run_check(name: str, width: int, prefix: str) -> None:
    from sklearn.utils import estimator_checks

    check = getattr(estimator_checks, name)
    check("CoordinationModel", CoordinationModel(width_system(width, prefix)))


@pytest.mark.parametrize(("name", "width", "prefix"), [(k, *v) for k, v in APPLICABLE.items()])
def test_sklearn_estimator_check(name, width, prefix):
    _run_check(name, width, prefix)


def test_every_generated_check_is_classified():
    """Every check that ``check_estimator`` generates for this model is either run above or
    listed in NOT_APPLICABLE with a reason."""
    from sklearn.utils.estimator_checks import check_estimator

    seen: set[str] = set()

    def record(**kw: Any) -> None:
        seen.add(kw["check_name"])

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        check_estimator(
            CoordinationModel(width_system(3)), on_fail=None, on_skip=None, callback=record
        )
    unclassified = seen - set(APPLICABLE) - set(NOT_APPLICABLE)
    assert not unclassified, unclassified


@pytest.mark.parametrize("scoring", ["weighted_sum", "topsis"])
def test_composite_is_monotone_beyond_the_fitted_bounds(scoring):
    """out_of_range="extend": raising a benefit indicator past the fitted maximum (or
    lowering it below the minimum) never moves the TOPSIS composite the wrong way. With the
    plain distance a value above the maximum would move away from the ideal point z′ = 1 and
    lower the composite. Inside the bounds the scores equal the textbook TOPSIS."""
    model = CoordinationModel(make_system(), scoring=scoring).fit(PANEL)
    lo, hi = PANEL["gdp_pc"].min(), PANEL["gdp_pc"].max()
    grid = np.linspace(lo - 0.5 * (hi - lo), hi + 0.5 * (hi - lo), 41)
    rows = pd.concat([PANEL.iloc[[0]]] * len(grid), ignore_index=True)
    rows["gdp_pc"] = grid
    with warns_code(DataWarning, "outside_fitted_range"):
        out = model.transform(rows)
    assert np.all(np.diff(out["composite"].to_numpy()) >= -1e-15)
    assert out["composite"].iloc[-1] > out["composite"].iloc[len(grid) // 2]
    ref = model.composite_table(PANEL)["closeness"].to_numpy()
    Z = model.normalized(PANEL).to_numpy()
    w = model.weights_.reindex(IDS).to_numpy()
    dp = np.sqrt((((1.0 - Z) * w) ** 2).sum(axis=1))
    dm = np.sqrt(((Z * w) ** 2).sum(axis=1))
    np.testing.assert_allclose(ref, dm / (dp + dm), rtol=0, atol=1e-12)


# --- one scoring pass, conventions, coded problems -------------------------------------------


def _demo_panels() -> list[tuple[str, pd.DataFrame]]:
    from coordeval.io.validated import read_validated
    from coordeval.system import load_system
    from coordeval.workflow import demo_datasets

    out = []
    for d in demo_datasets():
        if d.kind == "targets":
            continue
        system = load_system(d.system)
        out.append((d.name, read_validated(Path(str(d.path())), system, d.missing).panel))
    return out


@pytest.fixture(scope="module")
def demo_panels() -> list[tuple[str, pd.DataFrame]]:
    return _demo_panels()


@pytest.mark.parametrize("policy", ["extend", "clip"])
def test_score_panel_equals_the_four_separate_calls(demo_panels, policy):
    """On every demo panel, refit and frozen on the earlier half of the years: score_panel
    gives exactly normalized, the scores of normalized, composite_table and flag_out_of_range,
    and the coded problems the assessment lists, without a warning."""
    from coordeval.model import Scoring

    flagged = 0
    for name, panel in demo_panels:
        years = panel.index.get_level_values("year")
        early = panel[years <= np.median(years)]
        system = load_system_of(name)
        for fit_on in (panel, early):
            model = CoordinationModel(system, out_of_range=policy).fit(fit_on)
            with warnings.catch_warnings():
                warnings.simplefilter("error")
                s = model.score_panel(panel)
            assert isinstance(s, Scoring)
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", DataWarning)
                normalized = model.normalized(panel)
                composite = model.composite_table(panel)
            scores = pd.DataFrame(
                model._scores(normalized.to_numpy()),
                index=panel.index,
                columns=model.get_feature_names_out(),
            )
            flags = model.flag_out_of_range(panel)
            pd.testing.assert_frame_equal(s.normalized, normalized, check_exact=True)
            pd.testing.assert_frame_equal(s.scores, scores, check_exact=True)
            pd.testing.assert_frame_equal(s.composite, composite, check_exact=True)
            pd.testing.assert_frame_equal(s.out_of_range, flags, check_exact=True)
            assert len(s.problems) == len(flags)
            flagged += len(flags)
            for p, r in zip(s.problems, flags.itertuples(index=False), strict=True):
                assert (p.code, p.column, p.severity) == ("out_of_range", r.indicator, "warning")
                assert p.message == (
                    f"{r.row[0]} {r.row[1]}: value {r.value:g} is {r.side} the fitted range "
                    f"[{r.lo:g}, {r.hi:g}] (out_of_range={policy!r})"
                )
                assert p.params["policy"] == policy and p.params["side"] == r.side
    assert flagged > 0  # the frozen-scale fits see values outside their bounds


def load_system_of(name: str) -> IndicatorSystem:
    from coordeval.system import load_system
    from coordeval.workflow import demo_datasets

    return load_system(next(d.system for d in demo_datasets() if d.name == name))


def test_score_panel_refuses_values_outside_under_error(demo_panels):
    name, panel = next((n, p) for n, p in demo_panels if n == "munnell")
    years = panel.index.get_level_values("year")
    model = CoordinationModel(load_system_of(name), out_of_range="error").fit(
        panel[years <= np.median(years)]
    )
    with pytest.raises(InputError) as err:
        model.score_panel(panel)
    assert {p.code for p in err.value.problems} == {"value_outside_refused"}


def test_conventions_are_typed_and_read_only():
    from coordeval.conventions import Conventions, GradeScheme, resolve_conventions

    model = CoordinationModel(make_system(), preset="spssau", weighting="equal").fit(PANEL)
    conv = model.conventions_
    assert isinstance(conv, Conventions) and model.params_ is conv
    assert (conv.preset, conv.weighting, conv.shift, conv.grades) == (
        "spssau",
        "equal",
        0.01,
        "spssau",
    )
    assert isinstance(conv.grade_scheme, GradeScheme) and conv.grade_scheme.closed == "left"
    assert model.params_["coupling"] == "classic" and dict(model.params_)["feature_range"] == [0, 1]
    with pytest.raises(TypeError):
        model.params_["coupling"] = "fan2024"  # type: ignore[index]
    with pytest.raises(AttributeError):
        conv.coupling = "fan2024"  # type: ignore[misc]
    with pytest.raises(KeyError):
        conv["nope"]
    assert list(conv) == list(conv.as_dict()) and len(conv) == len(conv.as_dict())
    # parameter → [method] table → preset
    method = make_system().method.model_copy(update={"preset": "spssau", "shift": 0.5})
    assert resolve_conventions({}, method).shift == 0.5
    assert resolve_conventions({"shift": 0.2}, method).shift == 0.2
    assert resolve_conventions({}, None).shift == 1e-4
    with pytest.raises(ConfigError, match="unknown coupling 'x': one of classic"):
        resolve_conventions({"coupling": "x"}, None)


def test_grade_schemes_live_in_the_conventions_table():
    import coordeval as ce
    from coordeval import conventions
    from coordeval.analysis import coupling

    assert ce.GradeScheme is conventions.GradeScheme
    assert not {"GradeScheme", "GRADE_SCHEMES", "COUPLING_STAGES"} & set(coupling.__all__)


def test_the_model_imports_nothing_of_the_analysis_rooms():
    """Every import in coordeval/model (function-level ones too) points below the model,
    except the one convenience method ``CoordinationModel.assess``."""
    import ast

    import coordeval.model

    upward = ("coordeval.analysis", "coordeval.assessment", "coordeval.report", "coordeval.batch")
    found = []
    for path in sorted(Path(coordeval.model.__file__).parent.glob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith(upward):
                found.append((path.name, node.module))
    assert found == [("_estimator.py", "coordeval.assessment")]


def test_fit_problems_are_coded():
    bad = PANEL.copy()
    bad.iloc[2, 1] = np.nan
    bad = pd.concat([bad, bad.iloc[:1]])
    with pytest.raises(InputError) as err:
        CoordinationModel(make_system()).fit(bad)
    assert [p.code for p in err.value.problems] == ["duplicate_key"]
    with pytest.raises(InputError) as err:
        CoordinationModel(make_system()).fit(bad.iloc[:-1])
    (p,) = err.value.problems
    assert p.code == "value_not_finite" and p.column == IDS[1]
    assert p.render("en") == p.message and "缺失值" in p.render("zh")
    with pytest.raises(InputError) as err:
        CoordinationModel(make_system()).fit(PANEL.drop(columns=[IDS[0]]))
    assert [(p.code, p.params["indicator"]) for p in err.value.problems] == [
        ("indicator_missing", IDS[0])
    ]
