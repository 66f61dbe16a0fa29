"""Boundary files (shapefile, GeoJSON, TopoJSON, GeoDataFrame), name/adcode joins, coordinates
and the equal-area projection of the maps."""

from __future__ import annotations

import contextlib
import json
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import shapefile
from shapely.geometry import Polygon, box

from coordeval.errors import ConfigError, InputError
from coordeval.io import geometry as geo
from coordeval.io.geometry import match_cities, normalize_names, read_boundaries
from coordeval.io.side import read_coords
from coordeval.kernels.projection import albers_equal_area, albers_parameters

DATA = Path(__file__).resolve().parents[2] / "data"


def _collection(features: list[tuple[dict, Polygon]]) -> dict:
    return {
        "type": "FeatureCollection",
        "features": [
            {"type": "Feature", "properties": props, "geometry": poly.__geo_interface__}
            for props, poly in features
        ],
    }


@pytest.fixture
def guizhou_geojson(tmp_path: Path) -> Path:
    """Three made-up squares named like prefecture-level units, with adcodes."""
    feats = [
        ({"name": "贵阳市", "adcode": 520100}, box(106, 26, 107, 27)),
        ({"name": "遵义市", "adcode": 520300}, box(106, 27, 107, 28)),
        ({"name": "黔南布依族苗族自治州", "adcode": 522700}, box(107, 25, 108, 26)),
    ]
    path = tmp_path / "gz.geojson"
    path.write_text(json.dumps(_collection(feats), ensure_ascii=False), encoding="utf-8")
    return path


@contextlib.contextmanager
def _shapefile_writer(stem: Path, **kw: object) -> Iterator[shapefile.Writer]:
    """A pyshp writer on files we open and close ourselves (pyshp 3 leaves its own .dbf
    handle open, a ResourceWarning)."""
    with contextlib.ExitStack() as stack:
        files = {
            ext: stack.enter_context(stem.with_suffix(f".{ext}").open("wb+"))
            for ext in ("shp", "shx", "dbf")
        }
        with shapefile.Writer(**files, **kw) as w:
            yield w


def test_albers_snyder_worked_example() -> None:
    """Snyder (1987) Map Projections — A Working Manual, USGS PP 1395, p. 292: sphere R = 1,
    φ1 = 29.5°, φ2 = 45.5°, φ0 = 23°, λ0 = −96°; (35°N, 75°W) → x = 0.2952720,
    y = 0.2416774."""
    x, y = albers_equal_area(np.array([-75.0]), np.array([35.0]), 29.5, 45.5, -96.0, 23.0)
    assert x[0] == pytest.approx(0.2952720, abs=5e-8)
    assert y[0] == pytest.approx(0.2416774, abs=5e-8)


def test_albers_keeps_areas() -> None:
    """Equal-area: two 1° cells at 20°N and 50°N keep the ratio of their spherical areas
    (sin 51° − sin 50°)/(sin 21° − sin 20°)."""
    params = albers_parameters(np.array([100.0, 120.0]), np.array([20.0, 51.0]))

    def area(lat: float) -> float:
        ring = np.array([[110, lat], [111, lat], [111, lat + 1], [110, lat + 1]], dtype=float)
        # densify the parallels: they are arcs in the projection
        lon = np.r_[np.linspace(110, 111, 200), np.linspace(111, 110, 200)]
        la = np.r_[np.full(200, lat), np.full(200, lat + 1.0)]
        x, y = albers_equal_area(lon, la, *params)
        assert ring.shape == (4, 2)
        return 0.5 * abs(np.dot(x, np.roll(y, 1)) - np.dot(y, np.roll(x, 1)))

    expected = (np.sin(np.radians(51)) - np.sin(np.radians(50))) / (
        np.sin(np.radians(21)) - np.sin(np.radians(20))
    )
    assert area(50) / area(20) == pytest.approx(expected, rel=1e-4)


def test_normalize_names_rules() -> None:
    got = normalize_names(
        [
            "贵阳市",
            "贵阳",
            "ＧＵＩＹＡＮＧ",
            "杭州",
            "杭州市",
            "毕节地区",
            "NEW_YORK",
            " New  York ",
            "浦东新区",
        ]
    ).tolist()
    assert got == [
        "贵阳",
        "贵阳",
        "guiyang",
        "杭州",
        "杭州",
        "毕节",
        "newyork",
        "newyork",
        "浦东",
    ]


def test_geojson_read_and_join_by_name(guizhou_geojson: Path) -> None:
    b = read_boundaries(guizhou_geojson)
    assert len(b) == 3 and not b.projected and b.source == "gz.geojson"
    assert list(b.attributes["name"]) == ["贵阳市", "遵义市", "黔南布依族苗族自治州"]
    m = match_cities(["遵义", "贵阳市", "黔南布依族苗族自治州"], b)
    assert m.tolist() == [1, 0, 2]


def test_join_by_adcode(guizhou_geojson: Path) -> None:
    b = read_boundaries(guizhou_geojson)
    assert match_cities(["520300", "520100"], b).tolist() == [1, 0]


def test_unmatched_names_are_all_listed(guizhou_geojson: Path) -> None:
    b = read_boundaries(guizhou_geojson)
    with pytest.raises(InputError) as exc:
        match_cities(["贵阳", "安顺", "六盘水市"], b)
    problems = exc.value.problems
    assert [p.value for p in problems] == ["安顺", "六盘水市"]
    assert all(p.column == "name" and p.file == "gz.geojson" for p in problems)
    assert "2 of 3 cities" in exc.value.summary


def test_ambiguous_and_unknown_key(tmp_path: Path) -> None:
    feats = [({"name": "朝阳区"}, box(0, 0, 1, 1)), ({"name": "朝阳市"}, box(1, 0, 2, 1))]
    path = tmp_path / "two.geojson"
    path.write_text(json.dumps(_collection(feats), ensure_ascii=False), encoding="utf-8")
    b = read_boundaries(path)
    with pytest.raises(InputError) as err:
        match_cities(["朝阳"], b)
    (problem,) = err.value.problems
    assert problem.code == "map_city_features"
    assert (problem.params["city"], problem.params["k"]) == ("朝阳", 2)
    with pytest.raises(InputError) as err:
        match_cities(["朝阳"], b, key="NAME")
    (problem,) = err.value.problems
    assert problem.code == "map_attribute_missing" and problem.params["key"] == "NAME"


def test_shapefile_gbk_with_projected_prj(tmp_path: Path) -> None:
    """A shapefile written here (GBK attributes, no .cpg; a projected .prj)."""
    stem = tmp_path / "cities"
    with _shapefile_writer(stem, shapeType=shapefile.POLYGON, encoding="gbk") as w:
        w.field("NAME", "C", size=40)
        w.field("CODE", "N", decimal=0)
        for k, name in enumerate(["成都市", "重庆市"]):
            x = 400_000.0 + k * 50_000
            w.poly(
                [
                    [
                        [x, 3_300_000.0],
                        [x, 3_350_000.0],
                        [x + 50_000, 3_350_000.0],
                        [x + 50_000, 3_300_000.0],
                        [x, 3_300_000.0],
                    ]
                ]
            )
            w.record(name, 510100 + k)
    stem.with_suffix(".prj").write_text('PROJCS["WGS_1984_UTM_Zone_48N",GEOGCS["GCS_WGS_1984"]]')
    b = read_boundaries(stem.with_suffix(".shp"))
    assert b.projected
    assert list(b.attributes["NAME"]) == ["成都市", "重庆市"]
    assert b.geometries[1].bounds == (450_000.0, 3_300_000.0, 500_000.0, 3_350_000.0)
    assert match_cities(["重庆", "成都"], b, key="NAME").tolist() == [1, 0]


def test_shapefile_without_prj_in_degrees(tmp_path: Path) -> None:
    stem = tmp_path / "deg"
    with _shapefile_writer(stem, shapeType=shapefile.POLYGON) as w:
        w.field("name", "C")
        w.poly([[[104, 30], [104, 31], [105, 31], [105, 30], [104, 30]]])
        w.record("Chengdu")
    b = read_boundaries(stem.with_suffix(".shp"))
    assert not b.projected and b.attributes["name"].tolist() == ["Chengdu"]


def test_topojson_decoding() -> None:
    """A two-square topology with a shared, quantised, delta-encoded arc (hand-decoded)."""
    topo = {
        "type": "Topology",
        "transform": {"scale": [0.5, 0.5], "translate": [100.0, 20.0]},
        # arc 0: the shared edge (2,0)→(2,2) in grid units; arc 1: left square's outer path
        # (2,2)→(0,2)→(0,0)→(2,0); arc 2: right square's outer path (2,0)→(4,0)→(4,2)→(2,2)
        "arcs": [
            [[2, 0], [0, 2]],
            [[2, 2], [-2, 0], [0, -2], [2, 0]],
            [[2, 0], [2, 0], [0, 2], [-2, 0]],
        ],
        "objects": {
            "cities": {
                "type": "GeometryCollection",
                "geometries": [
                    {"type": "Polygon", "arcs": [[0, 1]], "id": "A", "properties": {"n": "甲"}},
                    {"type": "Polygon", "arcs": [[2, -1]], "id": "B", "properties": {"n": "乙"}},
                ],
            }
        },
    }
    feats = geo._topology_features(topo, "t.json", None)
    left = np.asarray(feats[0]["geometry"]["coordinates"][0])
    right = np.asarray(feats[1]["geometry"]["coordinates"][0])
    np.testing.assert_allclose(left, [[101, 20], [101, 21], [100, 21], [100, 20], [101, 20]])
    np.testing.assert_allclose(right, [[101, 20], [102, 20], [102, 21], [101, 21], [101, 20]])
    assert feats[0]["id"] == "A" and feats[1]["properties"] == {"n": "乙"}


def test_topojson_file_and_layer(tmp_path: Path) -> None:
    topo = {
        "type": "Topology",
        "arcs": [[[0.0, 0.0], [1.0, 0.0], [1.0, 1.0], [0.0, 0.0]]],
        "objects": {
            "a": {
                "type": "GeometryCollection",
                "geometries": [{"type": "Polygon", "arcs": [[0]], "properties": {"name": "X"}}],
            }
        },
    }
    path = tmp_path / "t.json"
    path.write_text(json.dumps(topo))
    assert read_boundaries(path).attributes["name"].tolist() == ["X"]
    with pytest.raises(InputError) as err:
        read_boundaries(path, layer="b")
    assert err.value.problems[0].code == "map_layer_missing"
    assert err.value.problems[0].params["layer"] == "b"


def test_bad_boundary_files(tmp_path: Path) -> None:
    (tmp_path / "x.txt").write_text("x")
    (tmp_path / "bad.geojson").write_text("{")
    for name, code in (
        ("x.txt", "map_type_unsupported"),
        ("none.geojson", "file_not_found"),
        ("bad.geojson", "map_not_json"),
    ):
        with pytest.raises(InputError) as err:
            read_boundaries(tmp_path / name)
        assert [p.code for p in err.value.problems] == [code]
    pts = {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "properties": {},
                "geometry": {"type": "Point", "coordinates": [1, 2]},
            },
            {"type": "Feature", "properties": {}, "geometry": None},
        ],
    }
    (tmp_path / "pts.geojson").write_text(json.dumps(pts))
    with pytest.raises(InputError) as exc:
        read_boundaries(tmp_path / "pts.geojson")
    assert [(p.code, p.params) for p in exc.value.problems] == [
        ("map_not_polygon", {"k": 1, "kind": "Point"}),
        ("map_not_polygon", {"k": 2, "kind": "no geometry"}),
    ]


def test_geodataframe_duck_typed() -> None:
    """A GeoDataFrame is used through .geometry, .crs and .drop (geopandas is not required)."""

    class Crs:
        is_projected = True

    class FakeGeoFrame(pd.DataFrame):
        @property
        def crs(self) -> Crs:
            return Crs()

        @property
        def geometry(self) -> pd.Series:
            return self["geometry"]

    frame = FakeGeoFrame({"name": ["a", "b"], "geometry": [box(0, 0, 1, 1), box(1, 0, 2, 1)]})
    b = read_boundaries(frame)
    assert b.projected and b.source == "GeoDataFrame" and list(b.attributes.columns) == ["name"]
    assert match_cities(["b"], b).tolist() == [1]


def test_missing_extra_is_named(monkeypatch: pytest.MonkeyPatch) -> None:
    import importlib.util

    real = importlib.util.find_spec
    monkeypatch.setattr(
        importlib.util, "find_spec", lambda name, *a: None if name == "shapely" else real(name, *a)
    )
    with pytest.raises(ConfigError, match=r'shapely: pip install "coordeval\[figures\]"'):
        geo.require_figures_extra()


def test_read_coords(tmp_path: Path) -> None:
    path = tmp_path / "xy.csv"
    path.write_text("城市,经度,纬度\n贵阳,106.63,26.65\n遵义,106.93,27.72\n", encoding="utf-8")
    xy = read_coords(path)
    assert xy.loc["遵义", "lat"] == 27.72 and list(xy.columns) == ["lon", "lat"]
    bad = tmp_path / "bad.csv"
    bad.write_text("city,lon,lat\n贵阳,206.63,26.65\n贵阳,x,26\n,1,2\n", encoding="utf-8")
    with pytest.raises(InputError) as exc:
        read_coords(bad)
    text = "\n".join(str(p) for p in exc.value.problems)
    assert "line 2, column 2 [lon]: value '206.63': must be within [-180, 180] degrees" in text
    assert "listed twice" in text and "city name is blank" in text and "'x'" in text


def test_shipped_us_states_map() -> None:
    """data/us_states_contiguous.geojson: 48 contiguous states + DC, valid polygons, and the
    Munnell panel's 48 state labels all matched (DC has no label)."""
    b = read_boundaries(DATA / "us_states_contiguous.geojson")
    assert len(b) == 49 and not b.projected
    assert all(g.is_valid for g in b.geometries)
    states = pd.read_csv(DATA / "munnell_states_1970_1986.csv", encoding="utf-8-sig")["city"]
    m = match_cities(states.unique(), b)
    assert m.size == 48 and m.is_unique
    assert b.attributes.loc[m["TENNESSE"], "name"] == "Tennessee"
    assert b.attributes.loc[m["MASSACHUSET"], "name"] == "Massachusetts"
    x0, y0, x1, y1 = np.array([g.bounds for g in b.geometries]).T
    assert x0.min() > -125 and x1.max() < -66 and y0.min() > 24 and y1.max() < 50


def test_shapefile_cpg_code_page(tmp_path: Path) -> None:
    """A .cpg naming code page 936 (GBK) is honoured; an unknown name is reported."""
    stem = tmp_path / "cp"
    with _shapefile_writer(stem, shapeType=shapefile.POLYGON, encoding="gbk") as w:
        w.field("NAME", "C", size=40)
        w.poly([[[104, 30], [104, 31], [105, 31], [105, 30], [104, 30]]])
        w.record("成都市")
    stem.with_suffix(".cpg").write_text("936")
    assert read_boundaries(stem.with_suffix(".shp")).attributes["NAME"].tolist() == ["成都市"]
    stem.with_suffix(".cpg").write_text("ANSI 1252x")
    with pytest.raises(InputError) as err:
        read_boundaries(stem.with_suffix(".shp"))
    (problem,) = err.value.problems
    assert (problem.code, problem.params["name"]) == ("cpg_unknown", "ANSI 1252x")
