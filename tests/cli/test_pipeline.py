"""The model's conventions come from explicit parameters, then the system's [method] table."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import coordeval as ce
from coordeval.system import system_from_dict


def make_system(method: dict | None = None) -> ce.IndicatorSystem:
    data = {
        "name": "t",
        "subsystems": [
            {
                "id": "a",
                "name_zh": "甲",
                "name_en": "A",
                "indicators": [
                    {"id": "x1", "name_zh": "x1", "name_en": "x1", "direction": "+"},
                    {"id": "x2", "name_zh": "x2", "name_en": "x2", "direction": "-"},
                ],
            },
            {
                "id": "b",
                "name_zh": "乙",
                "name_en": "B",
                "indicators": [{"id": "x3", "name_zh": "x3", "name_en": "x3", "direction": "+"}],
            },
        ],
    }
    if method:
        data["method"] = method
    return system_from_dict(data)


@pytest.fixture
def panel() -> pd.DataFrame:
    idx = pd.MultiIndex.from_product([["p", "q", "r"], [2020, 2021]], names=["city", "year"])
    vals = np.array([[1.0, 5, 2], [2, 4, 3], [3, 3, 1], [4, 2, 5], [5, 1, 4], [6, 0.5, 6]])
    return pd.DataFrame(vals, index=idx, columns=["x1", "x2", "x3"])


def test_method_table_sets_defaults(panel: pd.DataFrame) -> None:
    m = ce.CoordinationModel(make_system({"preset": "spssau", "weighting": "equal"})).fit(panel)
    assert m.params_["preset"] == "spssau" and m.params_["shift"] == 0.01
    assert m.params_["grades"] == "spssau"
    np.testing.assert_allclose(m.within_weights_.to_numpy(), [0.5, 0.5, 1.0])


def test_explicit_parameters_win(panel: pd.DataFrame) -> None:
    system = make_system({"preset": "spssau", "weighting": "equal", "shift": 0.5})
    m = ce.CoordinationModel(system, preset="panel", weighting="entropy", shift=0.0).fit(panel)
    assert m.params_["preset"] == "panel" and m.params_["shift"] == 0.0
    assert m.entropy_ is not None


def test_defaults_without_method_table(panel: pd.DataFrame) -> None:
    m = ce.CoordinationModel(make_system()).fit(panel)
    assert (m.params_["preset"], m.params_["weighting"], m.params_["scoring"]) == (
        "panel",
        "entropy",
        "weighted_sum",
    )
    assert m.params_["shift"] == 1e-4


def test_cv_refuses_negative_values(panel: pd.DataFrame) -> None:
    bad = panel.copy()
    bad.loc[("p", 2020), "x3"] = -1.0
    with pytest.raises(ce.InputError, match="cv") as info:
        ce.CoordinationModel(make_system(), weighting="cv").fit(bad)
    assert info.value.problems[0].column == "x3"
