"""Queen and rook contiguity weights from polygons against libpysal (test-only oracle).

References reproduced: libpysal 4 ``weights.Queen``/``weights.Rook`` (``from_iterable`` on the
same shapely polygons) on polygons written here and on the 48 contiguous US states of
``data/us_states_contiguous.geojson`` (us-atlas 3.0.1, Census cartographic boundaries);
a hand case: in a 3 × 3 grid of unit squares the corner square has 3 queen and 2 rook
neighbours, the centre 8 and 4.
"""

from __future__ import annotations

import json
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import shapely
from openpyxl import load_workbook
from shapely.geometry import MultiPolygon, Polygon, box

from coordeval.analysis import spatial as S
from coordeval.errors import ConfigError, InputError
from coordeval.io.geometry import read_boundaries
from coordeval.kernels import spatial as K

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    import libpysal

DATA = Path(__file__).resolve().parents[2] / "data"


def _geojson(path: Path, polys: list, names: list[str]) -> Path:
    feats = [
        {"type": "Feature", "properties": {"name": n}, "geometry": shapely.geometry.mapping(p)}
        for p, n in zip(polys, names, strict=True)
    ]
    path.write_text(json.dumps({"type": "FeatureCollection", "features": feats}))
    return path


def _oracle(polys: list, kind: str) -> np.ndarray:
    cls = libpysal.weights.Queen if kind == "queen" else libpysal.weights.Rook
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # islands warning of libpysal
        return cls.from_iterable(polys).full()[0]


GRID = [box(i, j, i + 1, j + 1) for j in range(3) for i in range(3)]
GRID_NAMES = [f"c{j}{i}" for j in range(3) for i in range(3)]


def test_grid_by_hand(tmp_path: Path) -> None:
    """3 × 3 grid: corner c00 touches c01, c10 (edges) and c11 (a corner only)."""
    path = _geojson(tmp_path / "grid.geojson", GRID, GRID_NAMES)
    q = S.weights_from_geometry(path, GRID_NAMES, "queen", row_standardize=False)
    r = S.weights_from_geometry(path, GRID_NAMES, "rook", row_standardize=False)
    assert q.raw.loc["c00"].sum() == 3 and r.raw.loc["c00"].sum() == 2
    assert q.raw.loc["c11"].sum() == 8 and r.raw.loc["c11"].sum() == 4
    assert q.raw.loc["c00", "c11"] == 1 and r.raw.loc["c00", "c11"] == 0
    assert sorted(q.raw.columns[q.raw.loc["c00"] > 0]) == ["c01", "c10", "c11"]
    assert q.binary and q.islands == [] and "queen contiguity" in q.method
    rs = S.weights_from_geometry(path, GRID_NAMES, "rook")
    np.testing.assert_allclose(rs.W.loc["c00"].sum(), 1.0)
    assert rs.W.loc["c00", "c01"] == 0.5


def test_written_polygons_match_libpysal(tmp_path: Path) -> None:
    """Edges drawn in opposite directions, a multipolygon, a hole, a vertex-only touch, an
    island: every ring of every part counts, as in libpysal."""
    a = Polygon([(0, 0), (2, 0), (2, 2), (0, 2)], holes=[[(0.5, 0.5), (1, 0.5), (1, 1)]])
    b = Polygon([(2, 2), (2, 0), (4, 0), (4, 2)])  # shares edge (2,0)-(2,2) reversed
    c = Polygon([(4, 2), (6, 2), (6, 4), (4, 4)])  # touches b at the vertex (4, 2) only
    d = MultiPolygon([box(10, 10, 11, 11), box(0, 2, 2, 3)])  # second part on a's top edge
    e = Polygon([(0.5, 0.5), (1, 0.5), (1, 1)])  # fills a's hole: shares its edges
    f = box(20, 20, 21, 21)  # island
    polys, names = [a, b, c, d, e, f], list("abcdef")
    path = _geojson(tmp_path / "p.geojson", polys, names)
    for kind in ("queen", "rook"):
        w = S.weights_from_geometry(path, names, kind, row_standardize=False)
        np.testing.assert_array_equal(w.raw.to_numpy(), _oracle(polys, kind))
        assert w.islands == (["f"] if kind == "queen" else ["c", "f"])  # c: a vertex only
    q = S.weights_from_geometry(path, names, "queen", row_standardize=False).raw
    r = S.weights_from_geometry(path, names, "rook", row_standardize=False).raw
    assert q.loc["b", "c"] == 1 and r.loc["b", "c"] == 0
    assert r.loc["a", "e"] == 1 and r.loc["a", "d"] == 1
    assert S.weights_from_geometry(path, names).summary()["islands"].item() == "f"


@pytest.mark.parametrize("kind", ["queen", "rook"])
def test_us_states_match_libpysal(kind: str) -> None:
    """The 48 Munnell states joined on ``munnell`` (the file also has DC, not a Munnell unit):
    identical to libpysal's matrix on the same 48 polygons."""
    b = read_boundaries(DATA / "us_states_contiguous.geojson")
    states = pd.read_csv(DATA / "munnell_state_coords.csv", encoding="utf-8-sig")["state"]
    names = list(states)[::-1]  # an order other than the file's
    w = S.weights_from_geometry(b, names, kind, key="munnell", row_standardize=False)
    order = [list(b.attributes["munnell"]).index(n) for n in names]
    ref = _oracle([b.geometries[i] for i in order], kind)
    np.testing.assert_array_equal(w.raw.to_numpy(), ref)
    # the simplified file draws Wyoming as 4 vertices; no neighbour repeats one of its edges
    # vertex for vertex (Montana's side ends at -104.041 instead of -104.059), so by shared
    # edges Wyoming has no neighbour — in libpysal too; by shared vertices only the 4 states
    # holding one of its corners (of its 6 true neighbours): simplified outlines lose links
    assert len(names) == 48 and w.islands == ([] if kind == "queen" else ["WYOMING"])
    assert w.raw.loc["WYOMING"].sum() == (4 if kind == "queen" else 0)
    assert w.raw.loc["UTAH", "ARIZONA"] == 1
    assert w.raw.loc["UTAH", "NEW_MEXICO"] == (1 if kind == "queen" else 0)  # Four Corners


def test_tolerance_rounds_vertices() -> None:
    """Two squares whose shared corner differs by 1e-9: shared with tol 1e-6, not 1e-12."""
    xy = np.array([[0, 0], [1, 0], [1, 1], [0, 1], [1 + 1e-9, 1], [2, 1], [2, 2], [1, 2]])
    unit = np.repeat([0, 1], 4)
    A = K.contiguity_weights(xy, unit, unit, 2, "queen", tol=1e-6)
    B = K.contiguity_weights(xy, unit, unit, 2, "queen", tol=1e-12)
    assert A[0, 1] == 1 and B[0, 1] == 0
    with pytest.raises(ValueError, match="queen or rook"):
        K.contiguity_weights(xy, unit, unit, 2, "bishop")


def test_bad_input_is_named(tmp_path: Path) -> None:
    path = _geojson(tmp_path / "grid.geojson", GRID, GRID_NAMES)
    with pytest.raises(InputError) as exc:
        S.weights_from_geometry(path, [*GRID_NAMES[:3], "nowhere", "elsewhere"], "queen")
    assert {p.value for p in exc.value.problems} == {"nowhere", "elsewhere"}
    with pytest.raises(ConfigError) as config:
        S.weights_from_geometry(path, GRID_NAMES, "bishop")  # type: ignore[arg-type]
    assert (config.value.code, config.value.params["name"]) == ("unknown_choice", "contiguity")
    with pytest.raises(ConfigError, match="tolerance"):
        S.weights_from_geometry(path, GRID_NAMES, tol=0)
    with pytest.raises(InputError) as info:
        S.weights_from_geometry(path, GRID_NAMES[:2])
    assert {p.code for p in info.value.problems} == {"spatial_too_few_cities"}


def test_cli_assess_with_queen_weights_from_the_state_boundaries(tmp_path: Path) -> None:
    """``assess --weights queen --geometry`` on the Munnell panel: the matrix of the report
    is the row-standardised libpysal Queen matrix of the 48 states."""
    from typer.testing import CliRunner

    from coordeval.cli import app

    geo = DATA / "us_states_contiguous.geojson"
    base = ["assess", str(DATA / "munnell_states_1970_1986.csv")]
    base += ["--system", str(DATA.parent / "indices" / "munnell.toml")]
    out = tmp_path / "m.xlsx"
    opts = ["--weights", "queen", "--geometry", str(geo), "--geometry-key", "munnell"]
    res = CliRunner().invoke(app, [*base, "-o", str(out), *opts, "--permutations", "99"])
    assert res.exit_code == 0, res.output
    W = pd.read_csv(tmp_path / "m_spatial_weights_matrix.csv", encoding="utf-8-sig")
    W = W.set_index(W.columns[0])
    b = read_boundaries(geo)
    order = [list(b.attributes["munnell"]).index(n) for n in W.index]
    ref = _oracle([b.geometries[i] for i in order], "queen")
    np.testing.assert_allclose(W.to_numpy(), ref / ref.sum(axis=1, keepdims=True), atol=1e-12)
    wb = load_workbook(out, read_only=True)
    text = " ".join(str(v) for r in wb["空间自相关"].iter_rows(values_only=True) for v in r if v)
    assert "queen contiguity (us_states_contiguous.geojson)" in text
    # rook without a boundary file: a usage problem named, no report
    bad = tmp_path / "r.xlsx"
    res = CliRunner().invoke(app, [*base, "-o", str(bad), "--weights", "rook"])
    assert res.exit_code == 1 and "--geometry" in res.output and "Traceback" not in res.output
    assert not bad.exists()
