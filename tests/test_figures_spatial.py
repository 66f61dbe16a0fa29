"""Spatial figures drawn by ``draw_figures`` from the extended analyses' tables.

Real data: the 48 states × 1970–1986 of the Munnell (1990) panel with the state polygon
centroids of ``data/munnell_state_coords.csv`` (US Census Bureau cartographic boundaries via
us-atlas 3.0.1) and the shipped state boundaries ``data/us_states_contiguous.geojson``; the
GeoDetector factors are the panel's own public capital (in the file, not scored).
"""

from __future__ import annotations

from pathlib import Path

import matplotlib
import numpy as np
import pandas as pd
import pytest
from matplotlib.colors import to_hex

import coordeval as ce
from coordeval.report import _fig_spatial as sp
from coordeval.report import _figstyle
from coordeval.report import figures as figs
from coordeval.report._maps import EARTH_RADIUS_KM

DATA = Path(__file__).resolve().parents[1] / "data"
COORDS = DATA / "munnell_state_coords.csv"
GEOMETRY = DATA / "us_states_contiguous.geojson"


@pytest.fixture(scope="module")
def assessment() -> ce.Assessment:
    system = ce.load_system("munnell")
    with pytest.warns(ce.DataWarning, match="p_cap"):
        panel = ce.read_panel(DATA / "munnell_states_1970_1986.csv", system)
    long = pd.read_csv(DATA / "munnell_states_1970_1986.csv", encoding="utf-8-sig")
    wide = long.pivot_table(index=["city", "year"], columns="indicator", values="value")
    factors = pd.DataFrame(
        {"public_capital": wide["p_cap"], "public_capital_per_job": wide["p_cap"] / wide["emp"]}
    )
    coords = ce.read_coords(COORDS)
    model = ce.CoordinationModel(system).fit(panel)
    opts = ce.ExtendedOptions(coords=coords, permutations=99)
    with pytest.warns(ce.MethodWarning):
        return model.assess(panel, robustness_draws=0, factors=factors, extended=opts)


@pytest.fixture(scope="module")
def drawn(assessment: ce.Assessment, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("spatial")
    return figs.draw_figures(
        assessment, out, formats=("png",), dpi=50, coords=COORDS, map_credit="credit", lang="en"
    )


def _last_d(t: pd.DataFrame) -> pd.DataFrame:
    d = t[t["variable"] == "D"]
    return d[d["year"] == d["year"].max()].set_index("city")


def test_spatial_figures_follow_the_others_with_stable_names(drawn: dict[str, Path]) -> None:
    assert list(drawn)[-4:] == list(figs.SPATIAL_FIGURE_NAMES)
    for name in figs.SPATIAL_FIGURE_NAMES:
        assert drawn[name].name == f"{name}.png"
        assert drawn[name].read_bytes()[:4] == b"\x89PNG"
        assert len(pd.read_csv(drawn[name].with_suffix(".csv"), encoding="utf-8-sig")) > 0


def test_no_spatial_figures_without_the_tables(tmp_path: Path) -> None:
    from coordeval.workflow import assess_file

    a, _ = assess_file(DATA / "cyg2019.csv", "cyg2019")
    paths = figs.draw_figures(a, tmp_path, formats=("png",), dpi=40)
    assert not set(paths) & set(figs.SPATIAL_FIGURE_NAMES)


def test_lisa_table_slope_is_morans_i_hand_computed() -> None:
    """Four cities on a line, contiguity weights row-standardised: values 1, 2, 3, 6
    (deviations −2, −1, 0, 3), lags of the deviations −1, −1, 1, 0, so Moran's I =
    Σ dev·lag / Σ dev² = 3/14."""
    rows = pd.DataFrame(
        {"value": [1.0, 2.0, 3.0, 6.0], "lag": [-1.0, -1.0, 1.0, 0.0], "p_sim": [0.5] * 4},
        index=pd.Index(list("abcd"), name="city"),
    )
    t = figs.lisa_table(rows)
    sd = np.sqrt(14 / 4)
    np.testing.assert_allclose(t["z"], np.array([-2, -1, 0, 3]) / sd)
    np.testing.assert_allclose(np.polyfit(t["z"], t["lag"], 1)[0], 3 / 14)


def test_lisa_figure_matches_the_report(assessment: ce.Assessment) -> None:
    """Classes and Moran's I of the figure are those of the report's LISA and Moran tables
    (D, last year); the map's points carry GeoDa's colours."""
    codes = None
    drawers = dict(figs._spatial_drawers(assessment, None, "en", None, codes))
    with matplotlib.rc_context(_figstyle.rc()):
        fig, table = drawers["lisa"]()
    rows = _last_d(assessment.tables["lisa"])
    want = rows["cluster"].replace({"not significant": "ns"})
    got = table.set_index("city")["lisa_class"]
    assert got.loc[want.index].tolist() == want.tolist()
    assert (table["year"] == 1986).all() and (table["variable"] == "D").all()
    m = assessment.tables["moran"]
    moran_i = m[(m["variable"] == "D") & (m["year"] == 1986)]["I"].item()
    (ax,) = fig.axes
    (fit,) = [ln for ln in ax.lines if ln.get_gid() == "fit"]
    assert fit.get_label() == f"I = {moran_i:.3f}"
    scatter = next(c for c in ax.collections if c.get_gid() == "cities")
    colours = [to_hex(c).upper() for c in scatter.get_facecolors()]
    assert colours == [sp.LISA_CLASSES[k][0] for k in got]


def test_hot_spots_bands_match_the_report(assessment: ce.Assessment) -> None:
    drawers = dict(figs._spatial_drawers(assessment, None, "en", None, None))
    with matplotlib.rc_context(_figstyle.rc()):
        _, table = drawers["hot_spots"]()
    rows = _last_d(assessment.tables["hotspots"])
    got = table.set_index("city")["gi_class"].loc[rows.index]
    side = rows["band"].str.extract(r"^(hot|cold)")[0]
    level = rows["band"].str.extract(r"(\d+)%")[0]
    want = (side + level).fillna("ns")
    assert got.tolist() == want.tolist()
    assert (got != "ns").any()


def test_centre_trajectory_and_ellipses_on_the_state_map(assessment: ce.Assessment) -> None:
    from coordeval.io.geometry import read_boundaries
    from coordeval.report._maps import polygon_layer

    cities = assessment.scores.index.get_level_values("city").unique()
    layer = polygon_layer(cities, read_boundaries(GEOMETRY), None)
    drawers = dict(figs._spatial_drawers(assessment, layer, "en", "credit", None))
    with matplotlib.rc_context(_figstyle.rc()):
        fig, table = drawers["centre_of_gravity"]()
    (ax,) = fig.axes
    c = assessment.tables["centre_of_gravity"]
    assert table["year"].tolist() == list(range(1970, 1987))
    (traj,) = [ln for ln in ax.lines if ln.get_gid() == "trajectory"]
    assert len(traj.get_xydata()) == 17
    ells = {p.get_gid(): p for p in ax.patches if str(p.get_gid()).startswith("ellipse:")}
    assert len(ells) == 17
    e = ells["ellipse:1970"]
    assert e.width == pytest.approx(2 * c["major_km"].iloc[0] / EARTH_RADIUS_KM)
    assert e.angle == pytest.approx(90.0 - c["rotation_deg"].iloc[0])


def test_geodetector_heat_map_from_the_tables(assessment: ce.Assessment) -> None:
    drawers = dict(figs._spatial_drawers(assessment, None, "en", None, None))
    with matplotlib.rc_context(_figstyle.rc()):
        _, m = drawers["geodetector"]()
    f = assessment.tables["geodetector_factor"].set_index("factor")["q"]
    i = assessment.tables["geodetector_interaction"].iloc[0]
    m = m.set_index("factor")
    for name, q in f.items():
        assert m.loc[name, name] == pytest.approx(q)
    assert m.loc[i["factor_2"], i["factor_1"]] == pytest.approx(i["q_interaction"])
