"""Property-based tests of CoordinationModel that tests/test_weights.py and tests/test_model.py
do not already cover.

Covered there (not repeated): kernel weights finite, ≥ 0 and summing to 1; min-max entropy
weights invariant to scaling/shifting a column; kernel weights invariant to row order;
model scores in [0, 1] on the fit data; ``transform`` row-wise; save → load → transform
identical; monotonicity under improvement of one indicator with fixed goalposts. Coupling and
obstacle kernels have their own properties in test_coupling.py / test_obstacle.py.

Added here, on the fitted model as a whole:

* fitting on the rows in another order gives the same weights, bounds and scores;
* multiplying one indicator by a positive constant (fit bounds, any weighting) changes no
  weight and no score: min-max z′ = (x − min)/(max − min) and CV σ/μ are scale-free;
* scores stay finite for any finite new data (``extend``) and inside [0, 1] with ``clip``;
* the JSON model format: ``to_dict`` → JSON text → ``model_from_dict`` → ``to_dict`` is the
  identity, and changing any single fitted number is detected (``ConfigError``).
"""

from __future__ import annotations

import copy
import json
import warnings

import numpy as np
import pandas as pd
import pytest
from hypothesis import assume, given, reject, settings
from hypothesis import strategies as st

from conftest import build_system
from coordeval.errors import ConfigError, DataWarning, InputError
from coordeval.model import CoordinationModel, model_from_dict

SYSTEM = build_system(
    {"economy": {"gdp": "+", "jobless": "-"}, "ecology": {"green": "+", "pm25": "-", "water": "+"}},
    name="properties",
)
IDS = SYSTEM.indicator_ids
WEIGHTINGS = ["entropy", "critic", "cv", "equal"]


@st.composite
def panels(draw, min_rows: int = 3, max_rows: int = 15) -> pd.DataFrame:
    """Positive panels (CV needs a ratio scale) whose columns all vary, indexed (city, year)."""
    n = draw(st.integers(min_rows, max_rows))
    value = st.floats(0.5, 1000.0, allow_nan=False, allow_infinity=False)
    rows = draw(st.lists(st.lists(value, min_size=len(IDS), max_size=len(IDS)), min_size=n,
                         max_size=n))  # fmt: skip
    X = np.array(rows)
    spread = X.max(axis=0) - X.min(axis=0)
    assume(np.all(spread > 1e-6 * np.abs(X).max(axis=0)))
    index = pd.MultiIndex.from_arrays(
        [[f"c{i % 4}" for i in range(n)], [2000 + i // 4 for i in range(n)]], names=["city", "year"]
    )
    panel = pd.DataFrame(X, index=index, columns=IDS)
    # CRITIC needs some conflict between indicators (test_model.py documents the degenerate case)
    Z = (X - X.min(axis=0)) / spread
    for cols in ([0, 1], [2, 3, 4], list(range(len(IDS)))):
        corr = np.corrcoef(Z[:, cols], rowvar=False)
        assume(np.all(np.isfinite(corr)) and np.all((1 - corr).sum(axis=0) > 1e-3))
    return panel


def fit_or_refusal(panel: pd.DataFrame, **kw) -> CoordinationModel | str:
    """The fitted model, or the message of the InputError refusing the data (e.g. CRITIC on
    perfectly correlated indicators), so that invariance covers refusals too."""
    try:
        return CoordinationModel(SYSTEM, **kw).fit(panel)
    except InputError as exc:
        return str(exc)


def fitted(panel: pd.DataFrame, **kw) -> CoordinationModel:
    """The fitted model; generated data the model rightly refuses (CRITIC on perfectly
    correlated indicators) are rejected as examples, any other refusal fails the test."""
    model = fit_or_refusal(panel, **kw)
    if isinstance(model, str):
        if "perfectly correlated" in model:
            reject()
        pytest.fail(model)
    return model


@settings(max_examples=40, deadline=None)
@given(panel=panels(), weighting=st.sampled_from(WEIGHTINGS), data=st.data())
def test_fit_does_not_depend_on_row_order(panel, weighting, data):
    order = data.draw(st.permutations(range(len(panel))))
    a = fit_or_refusal(panel, weighting=weighting)
    b = fit_or_refusal(panel.iloc[list(order)], weighting=weighting)
    if isinstance(a, str) or isinstance(b, str):
        assert a == b
        return
    for attr in ("weights_", "within_weights_", "subsystem_weights_", "lo_", "hi_"):
        pd.testing.assert_series_equal(getattr(a, attr), getattr(b, attr), rtol=1e-12, atol=0)
    pd.testing.assert_frame_equal(
        a.transform(panel), b.transform(panel), check_exact=False, rtol=1e-12, atol=1e-15
    )


@settings(max_examples=40, deadline=None)
@given(
    panel=panels(),
    weighting=st.sampled_from(WEIGHTINGS),
    column=st.sampled_from(IDS),
    factor=st.floats(1e-3, 1e3),
)
def test_positive_scaling_of_an_indicator_changes_nothing(panel, weighting, column, factor):
    scaled = panel.assign(**{column: panel[column] * factor})
    a = fit_or_refusal(panel, weighting=weighting)
    b = fit_or_refusal(scaled, weighting=weighting)
    if isinstance(a, str) or isinstance(b, str):
        assert isinstance(a, str) and isinstance(b, str)
        return
    np.testing.assert_allclose(b.weights_, a.weights_, rtol=1e-9, atol=1e-12)
    np.testing.assert_allclose(
        b.transform(scaled).to_numpy(), a.transform(panel).to_numpy(), rtol=1e-9, atol=1e-12
    )


new_values = st.floats(-1e6, 1e6, allow_nan=False, allow_infinity=False)


@settings(max_examples=40, deadline=None)
@given(
    panel=panels(),
    weighting=st.sampled_from(WEIGHTINGS),
    scoring=st.sampled_from(["weighted_sum", "topsis"]),
    rows=st.lists(st.lists(new_values, min_size=len(IDS), max_size=len(IDS)), min_size=1,
                  max_size=6),
)  # fmt: skip
def test_scores_of_any_new_data_are_finite_and_clip_keeps_them_in_unit_interval(
    panel, weighting, scoring, rows
):
    new = pd.DataFrame(np.array(rows), columns=IDS)
    for policy in ("extend", "clip"):
        model = fitted(panel, weighting=weighting, scoring=scoring, out_of_range=policy)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DataWarning)  # out-of-range values are flagged
            scores = model.transform(new).to_numpy()
        assert np.isfinite(scores).all()
        if policy == "clip":
            assert np.all((scores >= 0) & (scores <= 1 + 1e-12))


@settings(max_examples=25, deadline=None)
@given(panel=panels(), weighting=st.sampled_from(WEIGHTINGS))
def test_json_round_trip_is_the_identity(panel, weighting):
    data = fitted(panel, weighting=weighting).to_dict()
    again = model_from_dict(json.loads(json.dumps(data, ensure_ascii=False))).to_dict()
    data.pop("created")
    again.pop("created")
    assert again == data


def _numbers(fitted_part: dict) -> list[tuple[str, str]]:
    """(section, key) of every number in the fitted part that a hand edit could change."""
    keys = ["lo", "hi", "weights", "within_weights", "subsystem_weights"]
    return [(k, i) for k in keys for i in fitted_part[k]]


@settings(max_examples=40, deadline=None)
@given(panel=panels(), data=st.data())
def test_any_edit_of_a_fitted_number_is_detected(panel, data):
    original = fitted(panel).to_dict()
    section, key = data.draw(st.sampled_from(_numbers(original["fitted"])))
    delta = data.draw(st.sampled_from([1e-9, -1e-6, 0.5, 10.0]))
    edited = copy.deepcopy(original)
    edited["fitted"][section][key] = edited["fitted"][section][key] + delta
    assume(edited["fitted"][section][key] != original["fitted"][section][key])
    with pytest.raises(ConfigError, match="fitted numbers"):
        model_from_dict(json.loads(json.dumps(edited)))
    model_from_dict(json.loads(json.dumps(original)))
