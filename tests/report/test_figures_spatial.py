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

DATA = Path(__file__).resolve().parents[2] / "data"
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


# ---------------------------------------------------------------- the report's figures sheet


def _media(path: Path) -> list[bytes]:
    import zipfile

    with zipfile.ZipFile(path) as z:
        return [z.read(n) for n in sorted(z.namelist()) if n.startswith("xl/media/")]


def test_key_figures_on_the_report_sheet(
    assessment: ce.Assessment, drawn: dict[str, Path], tmp_path: Path
) -> None:
    from openpyxl import load_workbook

    report = assessment.to_excel(tmp_path / "r.xlsx", lang="en", figures=drawn)
    wb = load_workbook(report)
    assert wb.sheetnames.index("Figures") == wb.sheetnames.index("Trends") + 1
    ws = wb["Figures"]
    shown = figs.report_figures(drawn)
    assert shown == [n for n in figs.REPORT_FIGURES if n in drawn] and "lisa" in shown
    assert len(ws._images) == len(shown)
    # the PNG files themselves are in the workbook, in order of the sheet
    media = _media(report)
    assert sorted(media) == sorted(drawn[n].read_bytes() for n in shown)
    # captions name each file; one page per figure: A4 landscape at 100 %, a break after each
    names = [c.value for c in ws["A"] if isinstance(c.value, str) and c.value.endswith(".png")]
    assert names == [f"{n}.png" for n in shown]
    assert ws.page_setup.orientation == "landscape" and int(ws.page_setup.paperSize) == 9
    assert int(ws.page_setup.scale) == 100
    assert len(ws.row_breaks.brk) == len(shown)


def test_page_box_fits_a4_landscape() -> None:
    """A4 landscape 11.69 × 8.27 in less 0.5 in side and 0.6 in top/bottom margins, 10 %
    safety room, six 15 pt rows: 10.69 × 0.9 in = 923 px; (7.07 × 72 × 0.9 − 90) pt
    = 368.1 pt = 490 px (96 px per inch)."""
    assert figs.page_image_px() == (923, 490)


def test_no_figures_sheet_without_figures(assessment: ce.Assessment, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    report = assessment.to_excel(tmp_path / "r.xlsx")
    assert "图表" not in load_workbook(report).sheetnames
    assert _media(report) == []


def test_cli_assess_with_coords_and_figures(tmp_path: Path) -> None:
    """``assess --coords --figures``: the state coordinates (a ``state`` column) feed the
    spatial analyses and the point maps; the report carries the key figures."""
    from openpyxl import load_workbook
    from typer.testing import CliRunner

    from coordeval.cli import app

    report, folder = tmp_path / "r.xlsx", tmp_path / "figs"
    res = CliRunner().invoke(
        app,
        [
            "assess",
            str(DATA / "munnell_states_1970_1986.csv"),
            "-s",
            "munnell",
            "-o",
            str(report),
            "--coords",
            str(COORDS),
            "--permutations",
            "99",
            "--figures",
            str(folder),
        ],
    )
    assert res.exit_code == 0, res.output
    for name in ("lisa", "hot_spots", "centre_of_gravity"):
        assert (folder / f"{name}.png").exists() and (folder / f"{name}.svg").exists()
    ws = load_workbook(report)["图表"]
    assert len(ws._images) == 7  # the report figures drawn (no GeoDetector without factors)


def test_small_trajectory_zoomed_in_an_inset(assessment: ce.Assessment) -> None:
    """The Munnell centre moves < 30 km on a continental map: the trajectory is drawn again
    in an inset, titled with the inset's width in km (1.3 × the trajectory's extent)."""
    from coordeval.report._maps import point_layer

    cities = assessment.scores.index.get_level_values("city").unique()
    layer = point_layer(cities, ce.read_coords(COORDS))
    drawers = dict(figs._spatial_drawers(assessment, layer, "en", None, None))
    with matplotlib.rc_context(_figstyle.rc()):
        fig, table = drawers["centre_of_gravity"]()
    (ax,) = fig.axes
    (inset,) = [a for a in ax.child_axes if a.get_gid() == "zoom"]
    (traj,) = [ln for ln in inset.lines if ln.get_gid() == "trajectory"]
    np.testing.assert_allclose(traj.get_xydata(), table[["x", "y"]].to_numpy())
    extent = np.ptp(table[["x", "y"]].to_numpy(), axis=0).max() * EARTH_RADIUS_KM
    assert inset.get_title() == f"Trajectory, zoomed ({1.3 * extent:.3g} km)"
    assert sorted(t.get_text() for t in inset.texts) == ["1970", "1986"] and not ax.texts


def test_large_trajectory_without_inset() -> None:
    centres = pd.DataFrame({"year": [2010, 2011], "lon": [104.0, 106.5], "lat": [29.0, 27.0]})
    with matplotlib.rc_context(_figstyle.rc()):
        fig, _ = sp.gravity_centre_figure(centres)
    assert not fig.axes[0].child_axes and len(fig.axes[0].texts) == 2


def test_geodetector_one_factor_and_projected_map_without_ellipses(
    assessment: ce.Assessment,
) -> None:
    """One factor: a one-cell matrix (no interaction rows). On a projected boundary file
    (no longitude/latitude projection) the centres are drawn without the km ellipses."""
    import dataclasses

    from coordeval.report._maps import MapLayer

    one = dataclasses.replace(
        assessment,
        tables={
            "geodetector_factor": pd.DataFrame({"factor": ["x1"], "q": [0.4]}),
            "geodetector_interaction": pd.DataFrame(),
            "centre_of_gravity": assessment.tables["centre_of_gravity"],
        },
    )
    cities = assessment.scores.index.get_level_values("city").unique()
    c = ce.read_coords(COORDS).loc[cities]
    layer = MapLayer(
        "points", pd.Series(list(zip(c["lon"], c["lat"], strict=True)), index=cities), (), None
    )
    drawers = dict(figs._spatial_drawers(one, layer, "en", None, None))
    assert list(drawers) == ["centre_of_gravity", "geodetector"]
    with matplotlib.rc_context(_figstyle.rc()):
        _, m = drawers["geodetector"]()
        fig, table = drawers["centre_of_gravity"]()
    assert m.set_index("factor").loc["x1", "x1"] == pytest.approx(0.4) and m.shape == (1, 2)
    assert not [p for p in fig.axes[0].patches if str(p.get_gid()).startswith("ellipse:")]
    np.testing.assert_allclose(table["x"], one.tables["centre_of_gravity"]["lon"])
