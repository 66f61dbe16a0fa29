"""Make data/us_states_contiguous.geojson from the npm package us-atlas 3.0.1 (states-10m).

Usage::

    npm pack us-atlas@3.0.1
    # (or download https://registry.npmjs.org/us-atlas/-/us-atlas-3.0.1.tgz)
    python data/scripts/make_us_states.py us-atlas-3.0.1.tgz data/us_states_contiguous.geojson

Keeps the 48 contiguous states and the District of Columbia (drops Alaska, Hawaii and the
territories), simplifies every outline with a 0.01° tolerance (Douglas-Peucker, topology kept
per state), snaps coordinates to a 0.001° grid (``shapely.set_precision``, valid output) and
adds the label each state has in the Munnell (1990) panel
(``data/munnell_states_1970_1986.csv``: upper case, ``_`` for spaces, at most 11 characters,
and ``TENNESSE`` as spelled there). The District of Columbia has no Munnell label.
"""

from __future__ import annotations

import io
import json
import sys
import tarfile
from pathlib import Path

import numpy as np
import shapely
from shapely.geometry import mapping, shape

from coordeval.io.geometry import _topology_features

DROPPED_FIPS = {"02", "15", "60", "66", "69", "72", "78"}  # AK, HI, territories
MUNNELL_SPELLING = {"Tennessee": "TENNESSE"}


def munnell_label(name: str) -> str:
    """The state's label in the Munnell panel ('' for the District of Columbia)."""
    if name == "District of Columbia":
        return ""
    return MUNNELL_SPELLING.get(name, name.upper().replace(" ", "_")[:11])


def _rounded(coords):
    if isinstance(coords[0], (int, float)):
        return [round(float(c), 3) for c in coords]
    return [_rounded(c) for c in coords]


def main(tgz: str, out: str) -> None:
    with tarfile.open(tgz) as tar:
        member = tar.extractfile("package/states-10m.json")
        topo = json.load(io.TextIOWrapper(member, encoding="utf-8"))
    features = []
    for feat in _topology_features(topo, "states-10m.json", "states"):
        if feat["id"] in DROPPED_FIPS:
            continue
        geom = shape(feat["geometry"]).simplify(0.01, preserve_topology=True)
        # snap to the 0.001° grid with a valid result (slivers and two-point rings removed)
        geom = shapely.set_precision(geom, 0.001)
        name = feat["properties"]["name"]
        features.append(
            {
                "type": "Feature",
                "id": feat["id"],
                "properties": {"name": name, "fips": feat["id"], "munnell": munnell_label(name)},
                "geometry": {
                    "type": geom.geom_type,
                    "coordinates": _rounded(json.loads(json.dumps(mapping(geom)))["coordinates"]),
                },
            }
        )
    features.sort(key=lambda f: f["id"])
    assert len(features) == 49, len(features)
    assert np.all([f["geometry"]["type"] in ("Polygon", "MultiPolygon") for f in features])
    assert all(shape(f["geometry"]).is_valid for f in features)
    doc = {"type": "FeatureCollection", "features": features}
    Path(out).write_text(
        json.dumps(doc, ensure_ascii=False, separators=(",", ":")) + "\n", encoding="utf-8"
    )


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
