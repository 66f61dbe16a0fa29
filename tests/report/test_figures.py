"""Figures and maps: structure of the figure objects (patches, colours, legends, axes), the
tables behind them, files written, languages and fonts, bad inputs."""

from __future__ import annotations

import json
import re
from pathlib import Path

import matplotlib
import numpy as np
import pandas as pd
import pytest
from matplotlib.colors import to_hex
from matplotlib.patches import PathPatch
from shapely.geometry import box

import coordeval as ce
from coordeval.errors import ConfigError, InputError, Problem
from coordeval.io.geometry import read_boundaries
from coordeval.report import _fig_spatial as sp
from coordeval.report import _figstyle, _palette
from coordeval.report import figures as figs
from coordeval.report._figbase import _figure, _grade_legend, _level_label
from coordeval.report._maps import point_layer, polygon_layer

DATA = Path(__file__).resolve().parents[2] / "data"


@pytest.fixture(scope="module")
def assessment(munnell_panel: tuple[ce.IndicatorSystem, pd.DataFrame]) -> ce.Assessment:
    """Twelve states × six years of the real US-states panel (Munnell 1990), two groups."""
    system, panel = munnell_panel
    states = sorted(panel.index.get_level_values("city").unique())
    groups = pd.Series(["west" if k % 2 else "east" for k in range(12)], index=states)
    model = ce.CoordinationModel(system).fit(panel)
    with pytest.warns(ce.MethodWarning):
        return model.assess(panel, robustness_draws=200, groups=groups)


@pytest.fixture(scope="module")
def states(assessment: ce.Assessment) -> list[str]:
    return list(assessment.scores.index.get_level_values("city").unique())


@pytest.fixture(scope="module")
def grid_geojson(states: list[str], tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Made-up squares, one per state (names in title case, so the join folds case) and one
    neighbour that is not in the data."""
    feats = [
        (
            {"NAME": s.title().replace("_", " ")},
            box(-100 + 2 * (k % 4), 35 + 2 * (k // 4), -98 + 2 * (k % 4), 37 + 2 * (k // 4)),
        )
        for k, s in enumerate(states)
    ]
    feats.append(({"NAME": "Elsewhere"}, box(-92, 35, -90, 37)))
    doc = {
        "type": "FeatureCollection",
        "features": [
            {"type": "Feature", "properties": p, "geometry": g.__geo_interface__} for p, g in feats
        ],
    }
    path = tmp_path_factory.mktemp("geo") / "grid.geojson"
    path.write_text(json.dumps(doc), encoding="utf-8")
    return path


def _grade_colour(a: ce.Assessment, grades: pd.Series) -> pd.Series:
    """The workbook's fill of each grade (RRGGBB) as matplotlib writes it."""
    levels = _palette.level_count(a)
    return pd.Series([f"#{_palette.grade_colour(g, levels)}".lower() for g in grades], grades.index)


def _city_patches(ax) -> dict[str, PathPatch]:
    return {p.get_gid(): p for p in ax.patches if p.get_gid() not in (None, "context")}


def _legend_labels(fig) -> list[str]:
    return [t.get_text() for leg in fig.legends for t in leg.get_texts()]


def test_choropleth_one_patch_per_city_coloured_by_grade(
    assessment: ce.Assessment, states: list[str], grid_geojson: Path
) -> None:
    layer = polygon_layer(pd.Index(states), read_boundaries(grid_geojson))
    with matplotlib.rc_context(_figstyle.rc()):
        fig, table = figs.d_by_city_figure(assessment, layer=layer, credit="审图号：GS(0000)0000号")
    cc = assessment.tables["coupling"]
    years = sorted(cc.index.get_level_values("year").unique())
    shown = [int(ax.get_title()) for ax in fig.axes]
    assert shown == [years[0], years[2], years[3], years[-1]]  # four evenly spread years
    for ax, year in zip(fig.axes, shown, strict=True):
        patches = _city_patches(ax)
        assert sorted(patches) == sorted(states)  # one patch per city
        assert [p.get_gid() for p in ax.patches].count("context") == 1
        expected = _grade_colour(assessment, _palette.shown_grades(cc.xs(year, level="year")))
        got = {c: to_hex(p.get_facecolor()) for c, p in patches.items()}
        assert got == expected.to_dict()
        assert ax.get_aspect() == 1.0
    shown_rows = cc.loc[cc.index.get_level_values("year").isin(shown)]
    present = sorted(_palette.shown_grades(shown_rows).unique())  # 0: the grey floor rows
    scheme = _palette.grade_scheme(assessment)
    assert _legend_labels(fig) == [_level_label(scheme, g, "zh") for g in present]
    # the credit line once, under the bottom-left map (the third of the 2 × 2 panels)
    credits = [
        (k, t.get_text())
        for k, ax in enumerate(fig.axes)
        for t in ax.texts
        if t.get_gid() == "credit"
    ]
    assert credits == [(2, "审图号：GS(0000)0000号")]
    assert set(table.columns) == {"city", "year", "D", "grade", "level"}
    assert len(table) == 4 * len(states)


def test_ordered_bar_chart_without_geometry(assessment: ce.Assessment, states: list[str]) -> None:
    with matplotlib.rc_context(_figstyle.rc()):
        fig, table = figs.d_by_city_figure(assessment, lang="en")
    (ax,) = fig.axes
    bars = ax.patches
    assert len(bars) == len(states)
    last = assessment.tables["coupling"].xs(1975, level="year").sort_values("D")
    np.testing.assert_allclose([b.get_width() for b in bars], last["D"])
    assert [t.get_text() for t in ax.get_yticklabels()] == list(last.index)
    assert [to_hex(b.get_facecolor()) for b in bars] == list(
        _grade_colour(assessment, _palette.shown_grades(last))
    )
    assert ax.get_xlim() == (0.0, 1.0)
    scheme = _palette.grade_scheme(assessment)
    assert _legend_labels(fig) == [
        _level_label(scheme, g, "en") for g in sorted(_palette.shown_grades(last).unique())
    ]
    assert table["year"].eq(1975).all()


def test_figure_level_colours_are_the_workbooks(assessment: ce.Assessment, tmp_path: Path) -> None:
    """One palette: the figures colour every level (and the grey floor row) as the workbook
    fills it, green for good coordination."""
    from openpyxl import load_workbook

    scheme = _palette.grade_scheme(assessment)
    every = list(range(scheme.n_levels + 1))  # 0 = the floor rows (D = 0 from the scale)
    fig, _ = _figure(1, 1, 3, 3)
    _grade_legend(fig, scheme, every, "zh", scheme.n_levels)
    (legend,) = fig.legends
    drawn = [to_hex(h.get_facecolor()).upper() for h in legend.legend_handles]
    assert drawn == [f"#{c}" for c in (_palette.FLOOR_COLOUR, *_palette.GRADE_COLOURS)]
    assert drawn[-1] == "#006837" and drawn[1] == "#A50026"  # best green, worst red
    labels = [t.get_text() for t in legend.get_texts()]
    assert labels[0] == "尺度所致D=0" and labels[1].startswith("极度失调")
    # the workbook: page 1's level table and D chart, against the bar figure
    path = assessment.to_excel(tmp_path / "r.xlsx")
    ws = load_workbook(path)["摘要"]
    fills = {
        int(ws.cell(row=r, column=1).value): ws.cell(row=r, column=2).fill.fgColor.rgb[-6:]
        for r in range(1, ws.max_row + 1)
        if isinstance(ws.cell(row=r, column=1).value, int)
        and ws.cell(row=r, column=2).fill.fill_type == "solid"
    }
    assert fills and all(fills[g] == _palette.grade_colour(g) for g in fills)
    with matplotlib.rc_context(_figstyle.rc()):
        fig, table = figs.d_by_city_figure(assessment)
    bars = {
        t.get_text(): to_hex(b.get_facecolor()).upper()[1:]
        for t, b in zip(fig.axes[0].get_yticklabels(), fig.axes[0].patches, strict=True)
    }
    year = int(table["year"].iloc[0])
    grades = _palette.shown_grades(assessment.tables["coupling"].xs(year, level="year"))
    assert bars == {c: _palette.grade_colour(g) for c, g in grades.items()}
    (chart,) = ws._charts
    fills = [p.graphicalProperties.solidFill.srgbClr for p in chart.series[0].dPt]
    points = [str(getattr(c, "val", c)) for c in fills]
    assert sorted(set(points)) == sorted({_palette.grade_colour(g) for g in grades})


def test_level_labels_show_intervals(assessment: ce.Assessment) -> None:
    scheme = _palette.grade_scheme(assessment)
    assert _level_label(scheme, 1, "zh") == "极度失调 [0, 0.1]"
    assert _level_label(scheme, 6, "en") == "barely coordinated (0.5, 0.6]"


def test_point_map(assessment: ce.Assessment, states: list[str]) -> None:
    coords = pd.DataFrame(
        {"lon": np.linspace(-120, -75, 12), "lat": np.linspace(30, 45, 12)},
        index=pd.Index(states, name="city"),
    )
    layer = point_layer(pd.Index(states), coords)
    with matplotlib.rc_context(_figstyle.rc()):
        fig, _ = figs.d_by_city_figure(assessment, layer=layer)
    ax = fig.axes[-1]
    (points,) = [c for c in ax.collections if c.get_gid() == "cities"]
    assert len(points.get_offsets()) == len(states)
    latest = assessment.tables["coupling"].xs(1975, level="year").reindex(states)
    grades = _palette.shown_grades(latest)
    assert [to_hex(c) for c in points.get_facecolors()] == list(_grade_colour(assessment, grades))
    assert sorted(t.get_text() for t in ax.texts if t.get_text() in states) == sorted(states)
    with pytest.raises(InputError) as exc:
        point_layer(pd.Index([*states, "NOWHERE"]), coords)
    assert [(p.code, p.params["city"]) for p in exc.value.problems] == [
        ("map_no_coordinates", "NOWHERE")
    ]


def test_subsystem_scores_small_multiples(
    assessment: ce.Assessment, grid_geojson: Path, states: list[str]
) -> None:
    with matplotlib.rc_context(_figstyle.rc()):
        fig, table = figs.subsystem_scores_figure(assessment)
    U = assessment.scores.xs(1975, level="year")
    assert len(fig.axes) == U.shape[1]
    for ax, col in zip(fig.axes, U.columns, strict=True):
        np.testing.assert_allclose(sorted(b.get_width() for b in ax.patches), np.sort(U[col]))
    layer = polygon_layer(pd.Index(states), read_boundaries(grid_geojson))
    with matplotlib.rc_context(_figstyle.rc()):
        fig, table = figs.subsystem_scores_figure(assessment, layer=layer)
    for ax, col in zip(fig.axes, U.columns, strict=True):
        assert len(_city_patches(ax)) == len(states)
        classes = table.set_index("city")[f"{col}_class"]
        # a higher class never holds a lower score
        ordered = U[col].sort_values()
        assert classes.reindex(ordered.index).is_monotonic_increasing


def test_quantile_classes_hand_computed() -> None:
    breaks, classes = _figstyle.quantile_classes(np.array([1.0, 2, 3, 4, 5]), k=4)
    np.testing.assert_allclose(breaks, [1, 2, 3, 4, 5])
    assert classes.tolist() == [0, 0, 1, 2, 3]  # (a, b], the minimum in the first class
    breaks, classes = _figstyle.quantile_classes(np.array([2.0, 2, 2]))
    assert classes.tolist() == [0, 0, 0]


def test_trends(assessment: ce.Assessment, states: list[str]) -> None:
    with matplotlib.rc_context(_figstyle.rc()):
        fig, table = figs.trends_figure(assessment, lang="en")
    panels = 2 + assessment.scores.shape[1]
    axes = [ax for ax in fig.axes if ax.get_visible()]
    assert len(axes) == panels
    d_ax = axes[0]
    assert d_ax.get_title() == "Coupling coordination D"
    lines = {ln.get_gid(): ln for ln in d_ax.lines}
    assert len(lines) == len(states) + 1
    mean = assessment.tables["coupling"]["D"].groupby(level="year").mean()
    np.testing.assert_allclose(lines["mean"].get_ydata(), mean.to_numpy())
    assert d_ax.get_xlim() == (1970.0, 1975.0)
    assert set(table["city"]) == {*states, "mean"}


def test_kernel_density_figures(assessment: ce.Assessment) -> None:
    kd = assessment.tables["kernel_density"]
    with matplotlib.rc_context(_figstyle.rc()):
        fig, table = figs.kernel_density_figure(assessment)
        fig3, grid = figs.kernel_density_3d_figure(assessment)
    (ax,) = fig.axes
    assert len(ax.lines) == kd["year"].nunique() == 6
    first = kd[kd["year"] == 1970]
    np.testing.assert_allclose(ax.lines[0].get_ydata(), first["density"])
    assert ax.get_ylim()[0] == 0.0
    assert grid.shape == (6, 1 + kd["x"].nunique())
    assert len(table) == len(kd)
    assert fig3.axes[0].name == "3d" and len(fig3.axes[0].collections) == 1


def test_radar_at_most_five_cities_a_panel(assessment: ce.Assessment, states: list[str]) -> None:
    with matplotlib.rc_context(_figstyle.rc()):
        fig, table = figs.radar_figure(assessment)
    axes = [ax for ax in fig.axes if ax.get_visible()]
    assert len(axes) == 3  # 12 cities → 5 + 5 + 2
    assert table["city"].tolist() == states
    assert [len(ax.lines) for ax in axes] == [5, 5, 2]
    assert sorted(ln.get_gid()[5:] for ax in axes for ln in ax.lines) == sorted(states)
    alabama = axes[0].lines[0]
    U = assessment.scores.xs(1975, level="year").loc[states[0]]
    np.testing.assert_allclose(alabama.get_ydata()[:-1], U.to_numpy())


def test_obstacles_stack_to_100(assessment: ce.Assessment, states: list[str]) -> None:
    with matplotlib.rc_context(_figstyle.rc()):
        fig, table = figs.obstacles_figure(assessment)
    (ax,) = fig.axes
    n_sub = assessment.scores.shape[1]
    assert len(ax.patches) == n_sub * len(states)
    right = np.array([p.get_x() + p.get_width() for p in ax.patches[-len(states) :]])
    np.testing.assert_allclose(right, 100.0)
    assert ax.get_xlim() == (0.0, 100.0)
    np.testing.assert_allclose(table.drop(columns="city").sum(axis=1), 100.0)


def test_dagum_contributions(assessment: ce.Assessment) -> None:
    with matplotlib.rc_context(_figstyle.rc()):
        fig, table = figs.dagum_figure(assessment)
    assert (table["score"] == "D").all() and len(table) == 6
    np.testing.assert_allclose(table[["G_w_share", "G_nb_share", "G_t_share"]].sum(axis=1), 100)
    (ax,) = fig.axes
    assert len(ax.patches) == 3 * 6


def test_grade_transitions_hand_computed() -> None:
    """A: 1 → 2 → 2; B: 2 → 2 → 3 (rows given out of order). From grade 2: 2 stays, 1 rises."""
    idx = pd.MultiIndex.from_tuples(
        [("B", 2001), ("A", 2000), ("A", 2002), ("B", 2000), ("A", 2001), ("B", 2002)],
        names=["city", "year"],
    )
    cc = pd.DataFrame({"grade": [2, 1, 2, 2, 2, 3]}, index=idx)
    t = figs.grade_transitions(cc)
    assert t[["from_grade", "to_grade", "count"]].values.tolist() == [
        [1, 2, 1],
        [2, 2, 2],
        [2, 3, 1],
    ]
    np.testing.assert_allclose(t["probability"], [1.0, 2 / 3, 1 / 3])


def test_grade_transition_heat_map(assessment: ce.Assessment) -> None:
    with matplotlib.rc_context(_figstyle.rc()):
        fig, table = figs.grade_transitions_figure(assessment)
    ax = fig.axes[0]
    img = ax.images[0].get_array()
    np.testing.assert_allclose(np.asarray(img).sum(axis=1)[np.asarray(img).sum(axis=1) > 0], 1.0)
    assert table["count"].sum() == 12 * 5  # 12 cities × 5 year-to-year steps


def test_draw_figures_writes_every_file(
    assessment: ce.Assessment, grid_geojson: Path, tmp_path: Path
) -> None:
    out = tmp_path / "figs"
    paths = assessment.figures(out, geometry=grid_geojson, map_credit="credit", dpi=60)
    assert list(paths) == list(figs.FIGURE_NAMES)
    for name, png in paths.items():
        assert png == out / f"{name}.png" and png.read_bytes()[:4] == b"\x89PNG"
        assert (out / f"{name}.svg").read_text(encoding="utf-8").lstrip().startswith("<?xml")
        table = pd.read_csv(out / f"{name}.csv", encoding="utf-8-sig")
        assert len(table) > 0
    assert sorted(p.name for p in out.iterdir()) == sorted(
        f"{n}.{ext}" for n in paths for ext in ("png", "svg", "csv")
    )


def test_single_year_draws_what_applies(tmp_path: Path) -> None:
    """One year, three cities (成渝贵 2019): no trends, densities or transitions."""
    from coordeval.workflow import assess_file

    a, _ = assess_file(DATA / "cyg2019.csv", "cyg2019")
    paths = figs.draw_figures(a, tmp_path, formats=("png",), dpi=50, lang="en")
    assert list(paths) == ["d_by_city", "subsystem_scores", "radar", "obstacles"]


def test_unmatched_geometry_writes_nothing(assessment: ce.Assessment, tmp_path: Path) -> None:
    path = tmp_path / "one.geojson"
    path.write_text(
        json.dumps(
            {
                "type": "FeatureCollection",
                "features": [
                    {
                        "type": "Feature",
                        "properties": {"name": "ALABAMA"},
                        "geometry": box(0, 0, 1, 1).__geo_interface__,
                    }
                ],
            }
        )
    )
    with pytest.raises(InputError) as exc:
        figs.draw_figures(assessment, tmp_path / "out", geometry=path)
    assert len(exc.value.problems) == 11  # every state but Alabama
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize(
    ("kw", "code"),
    [
        ({"formats": ("jpg",)}, "figure_formats"),
        ({"dpi": 0}, "figure_dpi"),
        ({"lang": "fr"}, "figure_lang"),
    ],
)
def test_bad_options(assessment: ce.Assessment, tmp_path: Path, kw: dict, code: str) -> None:
    with pytest.raises(ConfigError) as exc:
        figs.draw_figures(assessment, tmp_path, **kw)
    assert exc.value.code == code


def test_without_cjk_font_english_and_one_warning(
    monkeypatch: pytest.MonkeyPatch, assessment: ce.Assessment
) -> None:
    monkeypatch.setattr(_figstyle, "cjk_family", lambda: None)
    monkeypatch.setattr(_figstyle, "_warned", [])
    with pytest.warns(_figstyle.FontWarning, match="English"):
        assert _figstyle.resolve_lang("zh") == "en"
    assert _figstyle.resolve_lang("zh") == "en"  # warned once only (an error otherwise)
    assert _figstyle.rc()["font.sans-serif"] == ["DejaVu Sans"]


def test_cjk_font_found_and_used() -> None:
    """A CJK font is installed here (CI installs fonts-noto-cjk); drawing Chinese with it
    raises no missing-glyph warning (warnings are errors in this suite)."""
    family = _figstyle.cjk_family()
    assert family in _figstyle.CJK_FAMILIES
    assert _figstyle.rc()["font.sans-serif"][0] == family
    from matplotlib.figure import Figure

    with matplotlib.rc_context(_figstyle.rc()):
        fig = Figure()
        fig.suptitle("耦合协调度 各城市 贵阳 −0.5")
        fig.canvas.draw()


def test_embed_figures(assessment: ce.Assessment, tmp_path: Path) -> None:
    from openpyxl import Workbook

    paths = figs.draw_figures(assessment, tmp_path, formats=("png",), dpi=40)
    wb = Workbook()
    row = figs.embed_figures(wb.active, [paths["d_by_city"], paths["trends"]], width_px=400)
    assert len(wb.active._images) == 2 and row > 2
    assert wb.active._images[0].width == 400


# ---------------------------------------------------------------- spatial figures (plain tables)


def test_lisa_classes_quadrants_and_significance() -> None:
    lisa = pd.DataFrame(
        {
            "z": [1.0, -1.0, -1.0, 1.0, 0.5, 1.0],
            "lag": [1.0, 1.0, -1.0, -1.0, 2.0, 1.0],
            "p": [0.01, 0.02, 0.03, 0.04, 0.5, 0.05],
        },
        index=pd.Index(list("abcdef"), name="city"),
    )
    # p = alpha is not significant, as in the report's LISA table (p_sim < alpha)
    assert sp.lisa_classes(lisa).tolist() == ["HH", "LH", "LL", "HL", "ns", "ns"]
    with pytest.raises(InputError) as exc:
        sp.lisa_classes(lisa.drop(columns="lag"))
    assert [(p.code, p.params["column"]) for p in exc.value.problems] == [
        ("figure_table_column", "lag")
    ]


def test_lisa_map_and_moran_slope(states: list[str], grid_geojson: Path) -> None:
    """Four-by-three grid of squares, rook neighbours, row-standardised W: the slope of the
    Moran scatter (Wz on z) equals Moran's I = z'Wz / z'z (Anselin 1996)."""
    rng = np.random.default_rng(7)
    k = np.arange(12)
    row, col = k // 4, k % 4
    W = ((np.abs(row[:, None] - row) + np.abs(col[:, None] - col)) == 1).astype(float)
    W /= W.sum(axis=1, keepdims=True)
    x = rng.normal(size=12) + col  # a west–east gradient: positive autocorrelation
    z = (x - x.mean()) / x.std()
    lisa = pd.DataFrame(
        {"z": z, "lag": W @ z, "p": np.where(np.abs(z) > 1, 0.01, 0.4)},
        index=pd.Index(states, name="city"),
    )
    layer = polygon_layer(pd.Index(states), read_boundaries(grid_geojson))
    with matplotlib.rc_context(_figstyle.rc()):
        fig, table = sp.lisa_figure(lisa, layer=layer, credit="c")
    map_ax, scatter_ax = fig.axes[:2]
    classes = table.set_index("city")["lisa_class"]
    got = {c: to_hex(p.get_facecolor()).upper() for c, p in _city_patches(map_ax).items()}
    assert got == {c: sp.LISA_CLASSES[k][0] for c, k in classes.items()}
    (fit,) = [ln for ln in scatter_ax.lines if ln.get_gid() == "fit"]
    xs, ys = fit.get_data()
    slope = (ys[1] - ys[0]) / (xs[1] - xs[0])
    assert slope == pytest.approx(z @ W @ z / (z @ z))
    assert slope > 0
    present = [k for k in sp.LISA_CLASSES if (classes == k).any()]
    assert _legend_labels(fig) == [sp.LISA_CLASSES[k][1] for k in present]


def test_gi_bands() -> None:
    z = pd.Series([3.0, 2.0, 1.7, 0.0, -1.7, -1.96, -3.0, 1.6449])
    assert sp.gi_classes(z).tolist() == [
        "hot99",
        "hot95",
        "hot90",
        "ns",
        "cold90",
        "cold95",
        "cold99",
        "ns",
    ]


def test_hot_spot_map_and_bars(states: list[str], grid_geojson: Path) -> None:
    z = np.linspace(-3, 3, 12)
    gi = pd.DataFrame({"z": z}, index=pd.Index(states, name="city"))
    layer = polygon_layer(pd.Index(states), read_boundaries(grid_geojson))
    with matplotlib.rc_context(_figstyle.rc()):
        fig, table = sp.hot_spots_figure(gi, layer=layer, lang="en")
        bars, _ = sp.hot_spots_figure(gi)
    got = {c: to_hex(p.get_facecolor()).upper() for c, p in _city_patches(fig.axes[0]).items()}
    want = table.set_index("city")["gi_class"].map(lambda k: sp.GI_CLASSES[k][1])
    assert got == want.to_dict()
    assert _legend_labels(fig)[0] == "Hot spot, 99 % confidence"
    (ax,) = bars.axes
    assert len(ax.patches) == 12
    assert sorted({round(abs(ln.get_xdata()[0]), 3) for ln in ax.lines}) == [1.645, 1.96, 2.576]


def test_gravity_centre_trajectory_and_ellipses() -> None:
    centres = pd.DataFrame(
        {"year": [2012, 2010, 2011], "lon": [106.2, 106.0, 106.1], "lat": [26.9, 26.5, 26.7]}
    )
    ellipses = centres.assign(
        major_km=[120.0, 100.0, 110.0], minor_km=[60.0, 50.0, 55.0], rotation=[30.0, 10.0, 20.0]
    )
    with matplotlib.rc_context(_figstyle.rc()):
        fig, table = sp.gravity_centre_figure(centres, ellipses)
    (ax,) = fig.axes
    assert table["year"].tolist() == [2010, 2011, 2012]
    (traj,) = [ln for ln in ax.lines if ln.get_gid() == "trajectory"]
    np.testing.assert_allclose(traj.get_xydata(), table[["x", "y"]].to_numpy())
    ells = {p.get_gid(): p for p in ax.patches}
    e = ells["ellipse:2010"]
    assert e.width == pytest.approx(2 * 100.0 / 6371.0088)
    assert e.height == pytest.approx(2 * 50.0 / 6371.0088)
    assert e.angle == pytest.approx(80.0)
    # the centres move north-east: y increases with the years in the equal-area plane
    assert np.all(np.diff(table["y"]) > 0) and np.all(np.diff(table["x"]) > 0)


def test_geodetector_heat_map() -> None:
    q = pd.DataFrame(
        {
            "factor_a": ["X1", "X2", "X1", "X3", "X1", "X2"],
            "factor_b": ["X1", "X2", "X2", "X3", "X3", "X3"],
            "q": [0.30, 0.40, 0.65, 0.20, 0.45, 0.55],
            "interaction": [None, None, "bi-enhance", None, "nonlinear-enhance", "bi-enhance"],
        }
    )
    with matplotlib.rc_context(_figstyle.rc()):
        fig, m = sp.geodetector_figure(q)
    ax = fig.axes[0]
    assert m.set_index("factor").loc["X2", "X1"] == 0.65
    assert m.set_index("factor").loc["X1", "X2"] == 0.65
    texts = sorted(t.get_text() for t in ax.texts)
    assert len(texts) == 6  # three factors and three pairs, lower triangle only
    assert "0.450\nnonlinear-enhance" in texts


def test_without_cjk_font_chinese_city_names_become_codes(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """No CJK font: English labels and the Chinese city names drawn as C1…Cn (never boxes:
    a missing glyph would raise, warnings being errors here), listed in city_labels.csv."""
    from coordeval.workflow import assess_file

    a, _ = assess_file(DATA / "cyg2019.csv", "cyg2019")
    monkeypatch.setattr(_figstyle, "cjk_family", lambda: None)
    monkeypatch.setattr(_figstyle, "_warned", [])
    with pytest.warns(_figstyle.FontWarning) as record:
        paths = figs.draw_figures(a, tmp_path, formats=("png",), dpi=40, lang="zh")
    assert len(record) == 2  # the language falls back to English; the names become codes
    labels = pd.read_csv(tmp_path / "city_labels.csv", encoding="utf-8-sig")
    assert labels.to_dict("list") == {"city": ["成都", "贵阳", "重庆"], "label": ["C1", "C2", "C3"]}
    bars = pd.read_csv(tmp_path / "d_by_city.csv", encoding="utf-8-sig")
    assert set(bars["city"]) == {"C1", "C2", "C3"} and "d_by_city" in paths


def test_long_credit_is_wrapped_under_the_maps(
    assessment: ce.Assessment, states: list[str], grid_geojson: Path
) -> None:
    """A long credit line is wrapped to the figure's width and does not squeeze the panels
    (a collapsed constrained layout warns, an error in this suite)."""
    from coordeval.datasets import get_dataset

    credit = get_dataset("munnell").map_credit + "；审图号：GS(2019)1822号" * 3
    layer = polygon_layer(pd.Index(states), read_boundaries(grid_geojson))
    with matplotlib.rc_context(_figstyle.rc()):
        fig, _ = figs.d_by_city_figure(assessment, layer=layer, credit=credit)
        fig.draw_without_rendering()
        (text,) = [t for ax in fig.axes for t in ax.texts if t.get_gid() == "credit"]
        lines = text.get_text().split("\n")
        assert len(lines) >= 2 and "".join(lines).replace(" ", "") == credit.replace(" ", "")
        widths = [ax.get_position().width for ax in fig.axes]
        assert min(widths) > 0.3  # two map columns keep their room


# ---------------------------------------------------------------- command line


def test_cli_figures_and_assess_with_figures(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from coordeval.cli import app

    runner = CliRunner()
    xy = tmp_path / "xy.csv"  # rounded city-seat coordinates, test input only (not shipped)
    xy.write_text(
        "city,lon,lat\n重庆,106.55,29.56\n成都,104.07,30.57\n贵阳,106.63,26.65\n", encoding="utf-8"
    )
    out = tmp_path / "figs"
    res = runner.invoke(
        app,
        [
            "figures",
            str(DATA / "cyg2019.csv"),
            "-s",
            "cyg2019",
            "-o",
            str(out),
            "--coords",
            str(xy),
            "--map-credit",
            "made-up points",
            "--format",
            "png",
            "--dpi",
            "40",
            "--lang",
            "en",
        ],
    )
    assert res.exit_code == 0, res.output
    assert sorted(p.name for p in out.glob("*.png")) == [
        "d_by_city.png",
        "obstacles.png",
        "radar.png",
        "subsystem_scores.png",
    ]
    # a boundary file without the cities: exit 1, every city named, no report, no figures
    bad = tmp_path / "bad.geojson"
    bad.write_text(
        json.dumps(
            {
                "type": "FeatureCollection",
                "features": [
                    {
                        "type": "Feature",
                        "properties": {"name": "昆明市"},
                        "geometry": box(102, 24, 103, 25).__geo_interface__,
                    }
                ],
            },
            ensure_ascii=False,
        ),
        encoding="utf-8",
    )
    report = tmp_path / "r.xlsx"
    res = runner.invoke(
        app,
        [
            "assess",
            str(DATA / "cyg2019.csv"),
            "-s",
            "cyg2019",
            "-o",
            str(report),
            "--figures",
            str(tmp_path / "f2"),
            "--geometry",
            str(bad),
        ],
    )
    assert res.exit_code == 1
    assert all(c in res.output for c in ("重庆", "成都", "贵阳")) and "Traceback" not in res.output
    assert not report.exists() and not (tmp_path / "f2").exists()
    # map options without a figures folder
    res = runner.invoke(
        app,
        [
            "assess",
            str(DATA / "cyg2019.csv"),
            "-s",
            "cyg2019",
            "-o",
            str(report),
            "--geometry",
            str(bad),
        ],
    )
    assert res.exit_code == 1 and "--figures DIR" in res.output and not report.exists()


def test_projected_boundaries_drawn_as_they_are(tmp_path: Path) -> None:
    """A projected boundary file (metres) is not re-projected and gets no scale bar."""
    feats = [
        ({"name": n}, box(400_000 + 50_000 * k, 3_300_000, 450_000 + 50_000 * k, 3_350_000))
        for k, n in enumerate(["A", "B"])
    ]
    doc = {
        "type": "FeatureCollection",
        "features": [
            {"type": "Feature", "properties": p, "geometry": g.__geo_interface__} for p, g in feats
        ],
    }
    path = tmp_path / "utm.geojson"
    path.write_text(json.dumps(doc))
    b = read_boundaries(path)
    assert b.projected  # coordinates beyond ±180/±90 can only be projected
    layer = polygon_layer(pd.Index(["B", "A"]), b)
    assert layer.shapes["B"].bounds == (450_000.0, 3_300_000.0, 500_000.0, 3_350_000.0)
    assert layer.km_per_unit is None and layer.project is None


def test_fisher_jenks_hand_computed_and_oracle() -> None:
    """Two obvious groups (hand-computed), and mapclassify.FisherJenks as an oracle on skewed
    data (bins = the largest value of each class; classes 0-based)."""
    import mapclassify

    breaks, classes = _figstyle.fisher_jenks_classes(np.array([1.0, 2, 3, 10, 11, 12]), 2)
    np.testing.assert_allclose(breaks, [1, 3, 12])
    assert classes.tolist() == [0, 0, 0, 1, 1, 1]
    rng = np.random.default_rng(3)
    for k in (3, 5, 7):
        y = rng.lognormal(size=300)
        breaks, classes = _figstyle.fisher_jenks_classes(y, k)
        oracle = mapclassify.FisherJenks(y, k=k)
        np.testing.assert_allclose(breaks[1:], oracle.bins)
        np.testing.assert_array_equal(classes, oracle.yb)
    breaks, classes = _figstyle.fisher_jenks_classes(np.array([2.0, 2.0, 5.0]), 5)
    assert breaks.tolist() == [2.0, 2.0, 5.0] and classes.tolist() == [0, 0, 1]


def test_subsystem_maps_natural_breaks(
    assessment: ce.Assessment, states: list[str], grid_geojson: Path
) -> None:
    layer = polygon_layer(pd.Index(states), read_boundaries(grid_geojson))
    U = assessment.scores.xs(1975, level="year")
    with matplotlib.rc_context(_figstyle.rc()):
        fig, table = figs.subsystem_scores_figure(assessment, layer=layer, lang="en")
        with pytest.raises(ConfigError) as exc:
            figs.subsystem_scores_figure(assessment, classify="jenks")
        assert exc.value.code == "figure_classify"
    col = U.columns[0]
    _, expected = _figstyle.fisher_jenks_classes(U[col].reindex(table["city"]).to_numpy())
    assert table[f"{col}_class"].tolist() == list(expected + 1)
    assert fig.axes[0].get_legend().get_title().get_text() == "Natural breaks"


def test_many_cities_show_the_extremes(assessment: ce.Assessment) -> None:
    """72 cities (the 12 states copied six times under synthetic names): bars, radar and
    obstacle rows show the 30 lowest and 30 highest, and the title says so."""
    import dataclasses

    def widen(f: pd.DataFrame) -> pd.DataFrame:
        parts = []
        for k in range(6):
            part = f.rename(index=lambda c, k=k: f"synthetic_{k}_{c}", level="city")
            parts.append(part * (1 + 0.01 * k) if k and "grade" not in f.columns else part)
        return pd.concat(parts)

    big = dataclasses.replace(
        assessment,
        scores=widen(assessment.scores),
        composite=widen(assessment.composite),
        tables={k: widen(assessment.tables[k]) for k in ("coupling", "subsystem_obstacles")},
    )
    with matplotlib.rc_context(_figstyle.rc()):
        bars, _ = figs.d_by_city_figure(big, lang="en")
        radar, _ = figs.radar_figure(big, lang="en")
        obstacles, table = figs.obstacles_figure(big, lang="en")
    assert len(bars.axes[0].patches) == 60
    d = big.tables["coupling"]["D"].xs(1975, level="year").sort_values(kind="stable")
    shown = [t.get_text() for t in bars.axes[0].get_yticklabels()]
    assert shown == [*d.index[:30], *d.index[-30:]]
    assert "highest and lowest 30 of 72" in bars.get_suptitle()
    assert sum(len(ax.lines) for ax in radar.axes if ax.get_visible()) == 60
    assert len(obstacles.axes[0].patches) == 60 * big.scores.shape[1]
    assert len(table) == 60


def _coded(exc: pytest.ExceptionInfo) -> list[Problem]:
    """The coded problems of a raised error, each worded in English exactly as raised."""
    problems = exc.value.problems
    for p in problems:
        assert p.code and p.render("en") == p.message
        assert p.render("zh") != p.message and re.search(r"[\u4e00-\u9fff]", p.render("zh"))
    return problems


def test_report_problems_carry_codes(assessment: ce.Assessment, tmp_path: Path) -> None:
    """Every problem and option error of the report room has a code, its parameters and a
    Chinese wording; the English wording is the message raised."""
    from coordeval.report import _xlsx
    from coordeval.report._maps import MapLayer
    from coordeval.report.labels import check_lang_value

    cases = [
        (lambda: check_lang_value("english"), "report_lang"),
        (lambda: _xlsx.check_sheet_name("a/b"), "invalid_sheet_name"),
        (lambda: _figstyle.resolve_lang("fr"), "figure_lang"),
        (lambda: figs.draw_figures(assessment, tmp_path, formats=("gif",)), "figure_formats"),
        (lambda: figs.draw_figures(assessment, tmp_path, dpi=0), "figure_dpi"),
        (lambda: figs.subsystem_scores_figure(assessment, classify="x"), "figure_classify"),
        (lambda: _figstyle.fisher_jenks_classes(np.arange(4001.0)), "figure_too_many_values"),
    ]
    for call, code in cases:
        with pytest.raises(ConfigError) as exc:
            call()
        (p,) = _coded(exc)
        assert p.code == code and str(exc.value) == p.message
    with pytest.raises(InputError) as exc:
        point_layer(pd.Index(["A", "B"]), pd.DataFrame({"lon": [1.0], "lat": [2.0]}, index=["A"]))
    (p,) = _coded(exc)
    assert (p.code, p.params["city"], p.render("zh")) == (
        "map_no_coordinates",
        "B",
        "城市 B 没有坐标",
    )
    with pytest.raises(InputError) as exc:
        sp.gravity_centre_figure(pd.DataFrame({"year": [1970], "lon": [1.0]}))
    (p,) = _coded(exc)
    assert p.code == "figure_table_column" and p.render("zh") == "重心表缺少列“lat”"
    centres = pd.DataFrame({"year": [1970], "lon": [1.0], "lat": [2.0]})
    ellipses = centres.assign(major_km=1.0, minor_km=1.0, rotation=0.0)
    projected = MapLayer("points", pd.Series([(1.0, 2.0)], index=["A"]), (), None)
    with pytest.raises(InputError) as exc:
        sp.gravity_centre_figure(centres, ellipses, layer=projected)
    assert [p.code for p in _coded(exc)] == ["ellipse_needs_lonlat"]
