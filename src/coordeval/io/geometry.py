"""Boundary files and city coordinates for maps (optional extra ``figures``: shapely, pyshp).

coordeval ships no boundaries of China: Chinese maps must be drawn on a reviewed standard
basemap and carry its 审图号, so the user supplies the boundary file. Read here:

* shapefiles (``.shp`` with ``.dbf``; ``.prj`` tells whether the coordinates are projected;
  ``.cpg`` the text encoding, else UTF-8 with a GBK fallback) through pyshp;
* GeoJSON (RFC 7946, longitude/latitude) and TopoJSON (``"type": "Topology"``) files;
* a geopandas ``GeoDataFrame`` already in memory.

Features are joined to the cities of the data by adcode or by name
(:func:`match_cities`): names are compared after the one folding rule of
:func:`coordeval.io.identity.fold_names` (NFKC, case, white space and ``_`` removed,
administrative suffixes 市, 区, 县, 州, 盟, 地区, 新区, 自治州 removed while two characters
remain). Every city without a feature, and every city matching two
features, is reported as one problem in a single :class:`~coordeval.errors.InputError`.
"""

from __future__ import annotations

import json
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from coordeval.errors import ConfigError, InputError, Problem
from coordeval.io.identity import fold_names

__all__ = [
    "Boundaries",
    "match_cities",
    "normalize_names",
    "read_boundaries",
    "require_figures_extra",
]

INSTALL_HINT = 'pip install "coordeval[figures]"'


def require_figures_extra(what: str = "figures and maps") -> None:
    """Raise :class:`ConfigError` naming the extra to install when it is missing.

    Parameters
    ----------
    what : str
        What was asked for, for the message.
    """
    import importlib.util

    missing = [m for m in ("matplotlib", "shapely", "shapefile") if not importlib.util.find_spec(m)]
    if missing:
        names = ", ".join("pyshp" if m == "shapefile" else m for m in missing)
        raise ConfigError(f"{what} need the optional packages {names}: {INSTALL_HINT}")


@dataclass(frozen=True)
class Boundaries:
    """Polygons of a boundary file with their attribute table.

    Attributes
    ----------
    geometries : tuple of shapely geometries
        One (multi)polygon per feature, in file order.
    attributes : DataFrame
        One row per feature; every attribute as text (``id`` holds a GeoJSON/TopoJSON feature
        id when the file gives one).
    projected : bool
        True when the coordinates are already projected (drawn as they are); False for
        longitude/latitude in degrees (projected with an equal-area conic for drawing).
    source : str
        File name or ``"GeoDataFrame"``.
    """

    geometries: tuple[Any, ...]
    attributes: pd.DataFrame
    projected: bool
    source: str

    def __len__(self) -> int:
        return len(self.geometries)


def _problem(
    message: str, source: str, code: str, params: dict[str, Any] | None = None
) -> InputError:
    problem = Problem(message, file=source, code=code, params=params or {})
    return InputError([problem], f"{source} cannot be used as a map")


def _attributes(rows: list[dict[str, Any]]) -> pd.DataFrame:
    frame = pd.DataFrame(rows)
    return frame.astype("string") if len(frame.columns) else frame


def _looks_projected(geoms: tuple[Any, ...]) -> bool:
    """Coordinates outside longitude/latitude ranges can only be projected ones."""
    import shapely

    if not geoms:
        return False
    x0, y0, x1, y1 = shapely.total_bounds(np.asarray(geoms, dtype=object))
    return bool(x0 < -180.5 or x1 > 360.5 or y0 < -90.5 or y1 > 90.5)


def _from_features(features: list[dict[str, Any]], source: str) -> Boundaries:
    from shapely.geometry import shape

    geoms, rows, problems = [], [], []
    for k, feat in enumerate(features):
        geom = feat.get("geometry")
        if not geom or geom.get("type") not in ("Polygon", "MultiPolygon"):
            kind = geom.get("type") if geom else "no geometry"
            problems.append(
                Problem(
                    f"feature {k + 1} is {kind}, not a polygon",
                    file=source,
                    severity="error",
                    code="map_not_polygon",
                    params={"k": k + 1, "kind": kind},
                )
            )
            continue
        geoms.append(shape(geom))
        props = dict(feat.get("properties") or {})
        if feat.get("id") is not None:
            props.setdefault("id", feat["id"])
        rows.append(props)
    if problems:
        raise InputError(problems, f"{source} cannot be used as a map")
    if not geoms:
        raise _problem("the file has no polygon features", source, "map_no_polygons")
    gs = tuple(geoms)
    return Boundaries(gs, _attributes(rows), _looks_projected(gs), source)


def _topology_features(topo: dict[str, Any], source: str, layer: str | None) -> list[dict]:
    """Decode a TopoJSON topology (delta-encoded, quantised arcs) into GeoJSON features."""
    objects = topo.get("objects") or {}
    if not objects:
        raise _problem("the TopoJSON file has no objects", source, "topojson_no_objects")
    if layer is None:
        layer = next(iter(objects))
    if layer not in objects:
        raise _problem(
            f"no layer {layer!r}; the file has {', '.join(objects)}",
            source,
            "map_layer_missing",
            {"layer": layer, "layers": ", ".join(objects)},
        )
    transform = topo.get("transform")
    arcs = []
    for arc in topo.get("arcs", []):
        a = np.asarray(arc, dtype=np.float64)[:, :2]
        if transform:
            a = np.cumsum(a, axis=0) * transform["scale"] + transform["translate"]
        arcs.append(a)

    def ring(indexes: list[int]) -> list[list[float]]:
        parts = [arcs[i] if i >= 0 else arcs[~i][::-1] for i in indexes]
        # consecutive arcs share their end points: drop the first point of every later arc
        pts = np.concatenate([parts[0], *(p[1:] for p in parts[1:])])
        return pts.tolist()

    def geometry(g: dict[str, Any]) -> dict[str, Any] | None:
        if g.get("type") == "Polygon":
            return {"type": "Polygon", "coordinates": [ring(r) for r in g["arcs"]]}
        if g.get("type") == "MultiPolygon":
            return {
                "type": "MultiPolygon",
                "coordinates": [[ring(r) for r in poly] for poly in g["arcs"]],
            }
        return None

    obj = objects[layer]
    members = obj.get("geometries", [obj]) if obj.get("type") == "GeometryCollection" else [obj]
    return [
        {"geometry": geometry(g), "properties": g.get("properties"), "id": g.get("id")}
        for g in members
    ]


def _read_json(path: Path, layer: str | None) -> Boundaries:
    try:
        doc = json.loads(path.read_text(encoding="utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise _problem(
            f"not a JSON file: {exc}", path.name, "map_not_json", {"detail": str(exc)}
        ) from None
    kind = doc.get("type") if isinstance(doc, dict) else None
    if kind == "Topology":
        b = _from_features(_topology_features(doc, path.name, layer), path.name)
    elif kind == "FeatureCollection":
        b = _from_features(doc.get("features", []), path.name)
    else:
        raise _problem(
            f"expected a GeoJSON FeatureCollection or a TopoJSON Topology, got {kind!r}",
            path.name,
            "map_not_geojson",
            {"kind": kind},
        )
    return b


def _cpg_encoding(cpg: Path, source: str) -> str:
    """The Python codec named by a shapefile's ``.cpg`` (a code page number such as 936 or
    65001, or a name such as UTF-8 or GBK)."""
    import codecs

    name = cpg.read_text(encoding="ascii", errors="replace").strip()
    codec = "utf-8" if name == "65001" else f"cp{name}" if name.isdigit() else name
    try:
        return codecs.lookup(codec).name
    except LookupError:
        raise _problem(
            f"the .cpg file names an unknown text encoding {name!r}",
            source,
            "cpg_unknown",
            {"name": name},
        ) from None


def _read_shapefile(path: Path) -> Boundaries:
    import shapefile

    cpg = path.with_suffix(".cpg")
    encodings = [_cpg_encoding(cpg, path.name)] if cpg.exists() else ["utf-8", "gbk"]
    last: Exception | None = None
    for enc in encodings:
        try:
            with warnings.catch_warnings():
                # pyshp warns that the codec differs from the .cpg text (e.g. "gbk" for 936)
                warnings.filterwarnings("ignore", "Specified encoding", UserWarning)
                with shapefile.Reader(str(path), encoding=enc) as r:
                    names = [f[0] for f in r.fields[1:]]
                    rows = [dict(zip(names, rec, strict=True)) for rec in r.records()]
                    feats = [
                        {"geometry": s.__geo_interface__, "properties": row}
                        for s, row in zip(r.shapes(), rows, strict=True)
                    ]
            break
        except UnicodeDecodeError as exc:
            last = exc
        except shapefile.ShapefileException as exc:
            if "decode" in str(exc).lower():  # pyshp 3 wraps the UnicodeDecodeError
                last = exc
                continue
            raise _problem(
                f"not a readable shapefile: {exc}",
                path.name,
                "shapefile_unreadable",
                {"detail": str(exc)},
            ) from None
    else:
        raise _problem(
            f"attribute text is neither UTF-8 nor GBK ({last}); add a .cpg file",
            path.name,
            "shapefile_encoding",
            {"detail": str(last)},
        )
    b = _from_features(feats, path.name)
    prj = path.with_suffix(".prj")
    if prj.exists():
        projected = prj.read_text(errors="replace").lstrip().upper().startswith("PROJCS")
        b = Boundaries(b.geometries, b.attributes, projected, b.source)
    return b


def read_boundaries(source: Any, *, layer: str | None = None) -> Boundaries:
    """Read polygons from a shapefile, GeoJSON or TopoJSON file, or a GeoDataFrame.

    Parameters
    ----------
    source : str, Path or GeoDataFrame
        ``.shp`` (with its ``.dbf``), ``.geojson``/``.json`` (GeoJSON or TopoJSON), or a
        geopandas GeoDataFrame (its CRS decides whether it is projected).
    layer : str, optional
        TopoJSON object to read (default: the first).

    Returns
    -------
    Boundaries

    Raises
    ------
    ConfigError
        The ``figures`` extra is not installed.
    InputError
        Missing or unreadable file, unknown type, non-polygon features (each listed).
    """
    require_figures_extra("maps")
    if hasattr(source, "geometry") and hasattr(source, "crs"):
        geoms = tuple(source.geometry)
        attrs = _attributes(source.drop(columns=source.geometry.name).to_dict("records"))
        crs = source.crs
        projected = bool(crs.is_projected) if crs is not None else _looks_projected(geoms)
        return Boundaries(geoms, attrs, projected, "GeoDataFrame")
    path = Path(source)
    if not path.is_file():
        raise _problem("file not found", path.name, "file_not_found")
    suffix = path.suffix.lower()
    if suffix == ".shp":
        return _read_shapefile(path)
    if suffix in (".geojson", ".json", ".topojson"):
        return _read_json(path, layer)
    raise _problem(
        f"unsupported boundary file {path.suffix!r}: use .shp, .geojson or .json",
        path.name,
        "map_type_unsupported",
        {"suffix": path.suffix},
    )


def normalize_names(names: pd.Series | list[str] | pd.Index) -> pd.Series:
    """Names folded for matching boundary features to cities: the one rule of
    :func:`coordeval.io.identity.fold_names` (NFKC, case, white space and ``_``, administrative
    suffixes while two characters remain), as a string Series in the order given."""
    return fold_names(pd.Series(list(names), dtype="string"))


def match_cities(
    cities: list[str] | pd.Index, boundaries: Boundaries, key: str | None = None
) -> pd.Series:
    """Join the cities of the data to the features of a boundary file.

    Parameters
    ----------
    cities : list of str or Index
        City labels as in the data (names or adcodes).
    boundaries : Boundaries
        From :func:`read_boundaries`.
    key : str, optional
        Attribute holding the city name or adcode. Default: the attribute that matches the
        most cities.

    Returns
    -------
    Series of int
        Position of each city's feature in ``boundaries.geometries``, indexed by city.

    Raises
    ------
    InputError
        Unknown ``key``; cities matching no feature (each named, with the attribute used);
        cities matching more than one feature.
    """
    src = boundaries.source
    cities = pd.Index(list(cities), dtype="string")
    attrs = boundaries.attributes
    if key is not None and key not in attrs.columns:
        raise _problem(
            f"no attribute {key!r}; the file has {', '.join(map(str, attrs.columns))}",
            src,
            "map_attribute_missing",
            {"key": key, "columns": ", ".join(map(str, attrs.columns))},
        )
    wanted = normalize_names(cities)
    columns = [key] if key is not None else list(attrs.columns)
    if not columns:
        raise _problem(
            "the features have no attributes to match city names or codes",
            src,
            "map_no_attributes",
        )
    folded = {c: normalize_names(attrs[c]) for c in columns}
    best = max(columns, key=lambda c: int(wanted.isin(folded[c]).sum()))
    values = folded[best]
    counts = values.value_counts()
    n = counts.reindex(wanted).fillna(0).astype(int).to_numpy()
    problems = [
        Problem(
            f"city {city!r} matches {'no feature' if k == 0 else f'{k} features'} by "
            f"attribute {best!r}",
            file=src,
            column=best,
            value=str(city),
            code="map_city_no_feature" if k == 0 else "map_city_features",
            params={"city": str(city), "k": int(k), "attribute": best},
        )
        for city, k in zip(cities[n != 1], n[n != 1], strict=True)
    ]
    if problems:
        raise InputError(
            problems, f"{src}: {len(problems)} of {len(cities)} cities cannot be placed on the map"
        )
    position = pd.Series(np.arange(len(values)), index=pd.Index(values, dtype="string"))
    out = position.loc[wanted].to_numpy()
    return pd.Series(out, index=pd.Index(cities, name="city"), name="feature")
