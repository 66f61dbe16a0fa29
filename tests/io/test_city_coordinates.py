"""City coordinates from ``--coords`` or the lon/lat columns of ``--cities`` (one source
decided in :func:`coordeval.workflow.city_coordinates`), on the Munnell panel with the US
state centroids of ``data/munnell_state_coords.csv`` (us-atlas 3.0.1, Census boundaries)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

from coordeval.cli import app
from coordeval.errors import InputError
from coordeval.io.side import read_cities, read_coords
from coordeval.workflow import city_coordinates, extended_options

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "data" / "munnell_states_1970_1986.csv"
COORDS = ROOT / "data" / "munnell_state_coords.csv"
SYSTEM = ROOT / "indices" / "munnell.toml"


def _cities_table(path: Path, shift: dict[str, float] | None = None) -> Path:
    t = pd.read_csv(COORDS, encoding="utf-8-sig")[["state", "lon", "lat"]]
    t = t.rename(columns={"state": "city"})
    for state, d in (shift or {}).items():
        t.loc[t["city"] == state, "lon"] += d
    t.to_csv(path, index=False)
    return path


def test_cities_lon_lat_are_the_coordinates_without_coords(tmp_path: Path) -> None:
    table = read_cities(_cities_table(tmp_path / "c.csv"))
    xy = city_coordinates(None, table)
    ref = read_coords(COORDS)
    pd.testing.assert_frame_equal(xy, ref, check_names=False, check_index_type=False)
    assert city_coordinates(None, table.drop(columns=["lon", "lat"])) is None
    assert city_coordinates(None, None) is None
    # both given and equal: the --coords table
    both = city_coordinates(COORDS, read_cities(_cities_table(tmp_path / "d.csv")))
    pd.testing.assert_frame_equal(both, read_coords(COORDS))
    assert extended_options(None, cities=table) is not None  # the spatial analyses run


def test_disagreeing_sources_name_every_city(tmp_path: Path) -> None:
    table = read_cities(_cities_table(tmp_path / "c.csv", {"OHIO": 0.5, "IOWA": -1.0}))
    with pytest.raises(InputError) as exc:
        city_coordinates(COORDS, table)
    assert sorted(p.value for p in exc.value.problems) == ["IOWA", "OHIO"]
    assert "disagree" in str(exc.value)


def test_cli_assess_with_cities_coordinates(tmp_path: Path) -> None:
    cities = _cities_table(tmp_path / "cities.csv")
    out = tmp_path / "m.xlsx"
    base = ["assess", str(DATA), "--system", str(SYSTEM), "--cities", str(cities)]
    res = CliRunner().invoke(app, [*base, "-o", str(out), "--permutations", "99"])
    assert res.exit_code == 0, res.output
    assert "空间自相关" in load_workbook(out, read_only=True).sheetnames
    W = pd.read_csv(tmp_path / "m_spatial_weights_matrix.csv", encoding="utf-8-sig")
    assert W.shape == (48, 49)
    moved = _cities_table(tmp_path / "moved.csv", {"KANSAS": 2.0})
    bad = tmp_path / "bad.xlsx"
    res = CliRunner().invoke(
        app,
        ["assess", str(DATA), "--system", str(SYSTEM), "--cities", str(moved), "-o", str(bad),
         "--coords", str(COORDS)],
    )  # fmt: skip
    assert res.exit_code == 1 and "KANSAS" in res.output and "Traceback" not in res.output
    assert not bad.exists()


def test_cities_coordinates_draw_the_same_point_map_as_coords(tmp_path: Path) -> None:
    """With --figures, the lon/lat of --cities place the cities on the point maps exactly as
    the same positions given with --coords."""
    cities = _cities_table(tmp_path / "cities.csv")
    base = ["assess", str(DATA), "--system", str(SYSTEM), "--permutations", "0"]
    figs = ["--lang", "en"]
    maps = {}
    for tag, source in (
        ("cities", ["--cities", str(cities)]),
        ("coords", ["--coords", str(cities)]),
    ):
        out = tmp_path / tag
        res = CliRunner().invoke(
            app, [*base, "-o", str(out / "r.xlsx"), "--figures", str(out), *source, *figs]
        )
        assert res.exit_code == 0, res.output
        maps[tag] = (out / "d_by_city.png").read_bytes()
    assert maps["cities"] == maps["coords"]  # without the fallback: no map, other bytes
