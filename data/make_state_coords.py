"""Make ``munnell_state_coords.csv``: the area-weighted polygon centroid of each Munnell state.

Source: the npm package ``us-atlas`` 3.0.1 (ISC licence), ``states-10m.json`` — TopoJSON
derived from the US Census Bureau's 2017 cartographic boundary files (1:10,000,000). Run
``python data/make_state_coords.py /path/to/us-atlas-3.0.1.tgz``.

Method: the quantised, delta-encoded arcs are decoded with the file's transform; each
state's polygons (outer rings minus holes, all parts) are projected to a local
equal-area cylindrical plane (x = λ·cos φ₀ with φ₀ the state's mean latitude, y = φ), the
area-weighted centroid is taken there (shoelace formula), and mapped back to degrees.
State names are written as the Munnell panel spells them (upper case, underscores, cut to
11 characters; ``TENNESSE`` as distributed), and every one is checked against the panel.
"""

from __future__ import annotations

import csv
import io
import json
import sys
import tarfile
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
PANEL = HERE / "munnell_states_1970_1986.csv"
OUT = HERE / "munnell_state_coords.csv"
MEMBER = "package/states-10m.json"
SPELLING = {"Tennessee": "TENNESSE"}  # as distributed in the panel


def munnell_name(name: str) -> str:
    """The panel's spelling of a state name."""
    return SPELLING.get(name, name.upper().replace(" ", "_")[:11])


def decode_arcs(topo: dict) -> list[np.ndarray]:
    """Absolute lon/lat coordinates of every arc."""
    scale = np.asarray(topo["transform"]["scale"])
    shift = np.asarray(topo["transform"]["translate"])
    return [
        np.cumsum(np.asarray(a, dtype=np.float64), axis=0) * scale + shift for a in topo["arcs"]
    ]


def ring(indices: list[int], arcs: list[np.ndarray]) -> np.ndarray:
    """Coordinates of a ring from its arc indices (negative: reversed arc ~i)."""
    parts = []
    for k, i in enumerate(indices):
        pts = arcs[i] if i >= 0 else arcs[~i][::-1]
        parts.append(pts if k == 0 else pts[1:])
    return np.concatenate(parts)


def centroid(rings: list[np.ndarray]) -> tuple[float, float, float]:
    """Area-weighted centroid (lon, lat) and area (deg² in the local plane) of rings.

    Signed areas: TopoJSON outer rings are clockwise and holes counter-clockwise in
    lon/lat, so the signed sums subtract holes whichever the orientation of the file.
    """
    lat0 = np.radians(np.mean(np.concatenate([r[:, 1] for r in rings])))
    A = Cx = Cy = 0.0
    for r in rings:
        x = r[:, 0] * np.cos(lat0)
        y = r[:, 1]
        x1, y1 = np.roll(x, -1), np.roll(y, -1)
        cross = x * y1 - x1 * y
        A += cross.sum() / 2
        Cx += ((x + x1) * cross).sum() / 6
        Cy += ((y + y1) * cross).sum() / 6
    return Cx / A / np.cos(lat0), Cy / A, abs(A)


def main(tgz: str) -> None:
    with tarfile.open(tgz) as tar:
        member = tar.extractfile(MEMBER)
        assert member is not None
        topo = json.load(io.TextIOWrapper(member, encoding="utf-8"))
    arcs = decode_arcs(topo)
    with PANEL.open(encoding="utf-8-sig") as fh:
        panel_states = {row["city"] for row in csv.DictReader(fh)}
    rows = []
    for g in topo["objects"]["states"]["geometries"]:
        name = g["properties"]["name"]
        spelt = munnell_name(name)
        if spelt not in panel_states:
            continue
        polys = g["arcs"] if g["type"] == "MultiPolygon" else [g["arcs"]]
        rings = [ring(r, arcs) for poly in polys for r in poly]
        lon, lat, _ = centroid(rings)
        rows.append((spelt, name, g["id"], round(lon, 4), round(lat, 4)))
    found = {r[0] for r in rows}
    missing = sorted(panel_states - found)
    if missing:
        raise SystemExit(f"states of the panel without a polygon: {missing}")
    rows.sort()
    with OUT.open("w", encoding="utf-8-sig", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["state", "name", "fips", "lon", "lat"])
        w.writerows(rows)
    print(f"wrote {OUT} ({len(rows)} states)")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "/tmp/us-atlas-3.0.1.tgz")
