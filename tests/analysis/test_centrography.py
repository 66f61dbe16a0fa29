"""Centre of gravity and standard deviational ellipse.

Reference: pointpats 2.5 ``centrography.ellipse`` (CrimeStat convention √2·√(n/(n−2))), used
as a test-only oracle; great-circle shift checked by the length of one degree of latitude.
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from coordeval.analysis.centrography import centre_of_gravity
from coordeval.errors import ConfigError, InputError
from coordeval.kernels import centrography as K

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from pointpats import centrography as pp


def test_ellipse_matches_pointpats() -> None:
    rng = np.random.default_rng(1)
    pts = rng.normal(size=(40, 2)) * [3, 1] @ np.array([[1, 0.5], [-0.3, 1]])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        sx, sy, theta = pp.ellipse(pts)
    e = K.ellipse(pts[:, 0], pts[:, 1], correction="crimestat")
    assert sorted([e["minor"], e["major"]]) == pytest.approx(sorted([sx, sy]), rel=1e-12)
    # pointpats' angle is counter-clockwise from +x; ours clockwise from north (+y)
    assert e["rotation_deg"] == pytest.approx(90.0 - np.degrees(theta), abs=1e-9)
    arc = K.ellipse(pts[:, 0], pts[:, 1], correction="arcgis")
    assert arc["major"] == pytest.approx(e["major"] * np.sqrt(38 / 40), rel=1e-12)
    yu = K.ellipse(pts[:, 0], pts[:, 1], correction="yuill")
    assert yu["major"] == pytest.approx(arc["major"] / np.sqrt(2), rel=1e-12)


@settings(max_examples=30, deadline=None)
@given(st.integers(min_value=3, max_value=40), st.floats(0, 2 * np.pi), st.floats(0.1, 100))
def test_circle_symmetric_points_have_equal_axes(m: int, phase: float, r: float) -> None:
    t = phase + 2 * np.pi * np.arange(m) / m
    e = K.ellipse(r * np.cos(t), r * np.sin(t), correction="yuill")
    assert e["major"] == pytest.approx(e["minor"], rel=1e-9)
    assert e["major"] == pytest.approx(r / np.sqrt(2), rel=1e-9)


def test_centre_shift_and_table() -> None:
    coords = pd.DataFrame(
        {"lon": [100.0, 102.0, 101.0, 101.0], "lat": [30.0, 30.0, 31.0, 29.0]},
        index=pd.Index(list("abcd"), name="city"),
    )
    idx = pd.MultiIndex.from_product([list("abcd"), [2020, 2021]], names=["city", "year"])
    # 2021 puts all extra weight on c (north): the centre moves north
    w = pd.Series([1, 1, 1, 1, 1, 3, 1, 1], index=idx, dtype=float)
    t = centre_of_gravity(w, coords)
    assert list(t.columns[:7]) == [
        "year",
        "n",
        "lon",
        "lat",
        "shift_km",
        "azimuth_deg",
        "direction",
    ]
    assert t.loc[0, "lon"] == pytest.approx(101.0) and t.loc[0, "lat"] == pytest.approx(30.0)
    assert t.loc[1, "lat"] == pytest.approx(30.0 + 2 / 6)
    assert t.loc[1, "shift_km"] == pytest.approx(6371.0088 * np.radians(2 / 6), rel=1e-6)
    assert t.loc[1, "azimuth_deg"] == pytest.approx(0.0, abs=1e-6) and t.loc[1, "direction"] == "N"
    assert (t["area_km2"] > 0).all() and np.isnan(t.loc[0, "shift_km"])
    with pytest.raises(ConfigError):
        centre_of_gravity(w, coords, correction="esri")
    with pytest.raises(InputError) as info:
        centre_of_gravity(w, coords.drop(index="d"))
    assert {p.code for p in info.value.problems} == {"no_coordinates_for_city"}
