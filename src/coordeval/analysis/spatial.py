"""Spatial weights from coordinates or indicators, and spatial autocorrelation by year.

Labelled wrappers around :mod:`coordeval.kernels.spatial`: DataFrames in, tidy DataFrames
out, inputs validated with every problem named. Dense matrices (see the kernel module for the
size limit).

p-value convention (stated in every output): ``p_norm``/``p_rand`` are two-sided p-values
of the normal approximation; ``p_sim`` is the folded one-sided pseudo p-value of esda,
``(min(#{sim ≥ obs}, B − #{sim ≥ obs}) + 1)/(B + 1)``, i.e. the share of the B permutations
at least as extreme in the tail where the observed value lies.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np
import pandas as pd

from coordeval import _validation as V
from coordeval.analysis._problems import coded
from coordeval.errors import ConfigError, InputError
from coordeval.kernels import spatial as K

__all__ = [
    "P_VALUE_CONVENTION",
    "SpatialWeights",
    "economic_weights",
    "geary_by_year",
    "geo_economic_weights",
    "hotspots_by_year",
    "lisa_by_year",
    "moran_by_year",
    "weights_from_coords",
    "weights_from_geometry",
    "weights_from_table",
]

WeightMethod = Literal["knn", "idw", "band"]

P_VALUE_CONVENTION = (
    "p_norm, p_rand: two-sided, normal approximation; p_sim: folded one-sided permutation "
    "pseudo p = (min(#sim ≥ obs, B − #sim ≥ obs) + 1)/(B + 1) (esda convention)"
)

HOTSPOT_NAMES = (
    "cold spot 99%",
    "cold spot 95%",
    "cold spot 90%",
    "not significant",
    "hot spot 90%",
    "hot spot 95%",
    "hot spot 99%",
)


@dataclass(frozen=True)
class SpatialWeights:
    """A spatial weight matrix between cities, as used, with how it was built.

    Attributes
    ----------
    W : DataFrame
        City × city weights as used by the statistics (row-standardised if asked).
    raw : DataFrame
        The weights before row standardisation (Gi* uses these, with a self weight).
    method : str
        How the weights were built, in words (e.g. ``"k-nearest neighbours, k = 4"``).
    row_standardized : bool
    binary : bool
        True when the raw weights are 0/1.
    islands : list of str
        Cities without any neighbour (rows of zeros).
    """

    W: pd.DataFrame
    raw: pd.DataFrame
    method: str
    row_standardized: bool
    binary: bool
    islands: list[str] = field(default_factory=list)

    def summary(self) -> pd.DataFrame:
        """One row: cities, links, neighbours per city (min/mean/max), islands, symmetry."""
        A = self.raw.to_numpy()
        links = A > 0
        nb = links.sum(axis=1)
        n = A.shape[0]
        return pd.DataFrame(
            {
                "method": [self.method],
                "cities": [n],
                "links": [int(links.sum())],
                "density": [float(links.sum() / (n * (n - 1))) if n > 1 else np.nan],
                "neighbours_min": [int(nb.min())],
                "neighbours_mean": [float(nb.mean())],
                "neighbours_max": [int(nb.max())],
                "symmetric": [bool(np.allclose(A, A.T))],
                "row_standardized": [self.row_standardized],
                "islands": [", ".join(self.islands) or "none"],
            }
        )

    def star(self) -> np.ndarray:
        """Raw weights with the self weight of Gi*: 1 for binary weights, else the row maximum."""
        A = self.raw.to_numpy(dtype=np.float64, copy=True)
        np.fill_diagonal(A, 1.0 if self.binary else A.max(axis=1))
        return A


def _finish(A: np.ndarray, cities: pd.Index, method: str, row_standardize: bool) -> SpatialWeights:
    np.fill_diagonal(A, 0.0)
    W, islands = K.row_standardize(A) if row_standardize else (A, A.sum(axis=1) <= 0)
    raw = pd.DataFrame(A, index=cities, columns=cities)
    return SpatialWeights(
        W=pd.DataFrame(W, index=cities, columns=cities),
        raw=raw,
        method=method,
        row_standardized=row_standardize,
        binary=bool(np.isin(A, (0.0, 1.0)).all()),
        islands=[str(c) for c in cities[islands]],
    )


def weights_from_coords(
    coords: pd.DataFrame,
    method: WeightMethod = "knn",
    *,
    k: int = 4,
    power: float = 1.0,
    threshold_km: float | None = None,
    row_standardize: bool = True,
    cities: Sequence[str] | None = None,
) -> SpatialWeights:
    """Spatial weights from city longitude/latitude, with distances on the sphere.

    Parameters
    ----------
    coords : DataFrame
        Columns ``lon``, ``lat`` (degrees), indexed by city (see
        :func:`coordeval.io.side.read_coords`).
    method : {"knn", "idw", "band"}
        k nearest neighbours (binary), inverse distance ``1/d^power`` (zero beyond
        ``threshold_km`` if given), or distance band (binary, within ``threshold_km``).
    k : int
        Neighbours for ``knn``.
    power : float
        Distance-decay exponent for ``idw`` (1 or 2 are usual).
    threshold_km : float, optional
        Band width for ``band`` (required) and cut-off for ``idw``; default for ``band``:
        the smallest distance that gives every city a neighbour.
    row_standardize : bool
        Divide each row by its sum (islands stay zero and are listed).
    cities : sequence of str, optional
        Select and order the cities (default: all rows of ``coords``).

    Returns
    -------
    SpatialWeights

    Raises
    ------
    InputError
        Cities without coordinates, missing or out-of-range coordinates, two cities at the
        same place with ``idw``.
    ConfigError
        An unknown method or a bad ``k``/``power``/threshold.

    References
    ----------
    Haversine great-circle distance on a sphere of radius 6371.0088 km; the weights follow
    PySAL ``libpysal.weights`` (``KNN``, ``DistanceBand`` with ``binary=False, alpha=-p``).
    """
    V.choice(method, ("knn", "idw", "band"), "weights method")
    labels = pd.Index(coords.index if cities is None else list(cities), name="city")
    lacking = [c for c in labels if c not in coords.index]
    if lacking:
        raise InputError(
            [coded("no_coordinates_for_city", {"city": str(c)}, value=str(c)) for c in lacking],
            "cities without coordinates",
        )
    xy = coords.loc[labels, ["lon", "lat"]].to_numpy(dtype=np.float64)
    bad = ~np.isfinite(xy).all(axis=1) | (np.abs(xy[:, 0]) > 180) | (np.abs(xy[:, 1]) > 90)
    if bad.any():
        raise InputError(
            [coded("bad_lon_lat", {"city": str(c)}, value=str(c)) for c in labels[bad]]
        )
    n = len(labels)
    if n < 3:
        raise InputError([coded("spatial_too_few_cities", {"n": n})])
    D = K.haversine_km(xy[:, 0], xy[:, 1])
    if method == "knn":
        if not 1 <= k < n:
            raise ConfigError(f"k must be between 1 and {n - 1} (cities − 1), got {k}")
        A = K.knn_weights(D, k)
        how = f"k-nearest neighbours (haversine), k = {k}"
    elif method == "idw":
        if power <= 0:
            raise ConfigError(f"the distance power must be positive, got {power}")
        off = ~np.eye(n, dtype=bool)
        if np.any(D[off] == 0):
            i, j = np.argwhere((D == 0) & off)[0]
            raise InputError(
                [coded("same_coordinates", {"city_1": labels[i], "city_2": labels[j]})],
                "inverse distance needs distinct places",
            )
        A = K.inverse_distance_weights(D, power, threshold_km)
        how = f"inverse distance 1/d^{power:g} (haversine km)" + (
            f", cut at {threshold_km:g} km" if threshold_km is not None else ""
        )
    else:
        if threshold_km is None:
            Dm = D + np.diag(np.full(n, np.inf))
            threshold_km = float(Dm.min(axis=1).max())
        if threshold_km <= 0:
            raise ConfigError(f"the band must be positive, got {threshold_km}")
        A = K.distance_band_weights(D, threshold_km)
        how = f"distance band {threshold_km:.1f} km (haversine), binary"
    return _finish(A, labels, how, row_standardize)


def weights_from_geometry(
    geometry: Any,
    cities: Sequence[str],
    kind: Literal["queen", "rook"] = "queen",
    *,
    key: str | None = None,
    tol: float = 1e-6,
    row_standardize: bool = True,
) -> SpatialWeights:
    """Queen or rook contiguity weights from city polygons.

    Parameters
    ----------
    geometry : Boundaries, str, Path or GeoDataFrame
        Polygons (:func:`coordeval.io.geometry.read_boundaries` reads a path or GeoDataFrame;
        needs the ``figures`` extra).
    cities : sequence of str
        The cities, in the order of the matrix; joined to the features by name or adcode
        (:func:`coordeval.io.geometry.match_cities`).
    kind : {"queen", "rook"}
        Queen: the outlines share at least one vertex; rook: at least one edge (two
        consecutive vertices). Every ring (outer and holes, every part) counts.
    key : str, optional
        Attribute of the features with the city names or adcodes (default: the best match).
    tol : float
        Vertices are compared after rounding to multiples of ``tol`` (degrees for
        longitude/latitude files, else the file's unit).
    row_standardize : bool
        Divide each row by its sum; islands (cities without a neighbour) stay zero and are
        listed in :attr:`SpatialWeights.islands` and the summary.

    Returns
    -------
    SpatialWeights

    Raises
    ------
    InputError
        Cities without a feature or with two (each named), fewer than 3 cities.
    ConfigError
        An unknown kind, a non-positive tolerance, the ``figures`` extra missing.

    References
    ----------
    Anselin, L. (1988). Spatial Econometrics: Methods and Models, ch. 3 (contiguity); the
    matrices equal PySAL ``libpysal.weights.Queen``/``Rook`` built from the same polygons.
    """
    import shapely

    from coordeval.io.geometry import Boundaries, match_cities, read_boundaries

    V.choice(kind, ("queen", "rook"), "contiguity")
    if not tol > 0:
        raise ConfigError(f"the vertex tolerance must be positive, got {tol}")
    b = geometry if isinstance(geometry, Boundaries) else read_boundaries(geometry)
    labels = pd.Index([str(c) for c in cities], name="city")
    if len(labels) < 3:
        raise InputError([coded("spatial_too_few_cities", {"n": len(labels)})])
    feature = match_cities(labels, b, key).to_numpy()
    geoms = np.asarray(b.geometries, dtype=object)[feature]
    parts, owner = shapely.get_parts(geoms, return_index=True)  # multipolygons → polygons
    rings, part = shapely.get_rings(parts, return_index=True)
    xy, ring = shapely.get_coordinates(rings, return_index=True)
    A = K.contiguity_weights(xy, owner[part[ring]], ring, len(labels), kind, tol)
    how = f"{kind} contiguity ({b.source}), binary"
    return _finish(A, labels, how, row_standardize)


def weights_from_table(
    table: pd.DataFrame,
    kind: Literal["weights", "distance"] = "weights",
    *,
    power: float = 1.0,
    row_standardize: bool = True,
    cities: Sequence[str] | None = None,
) -> SpatialWeights:
    """Spatial weights from a user city × city table (0/1 adjacency, weights or distances).

    The table is checked as :func:`coordeval.analysis.synergy.spatial_weights` does (square,
    same cities, finite, non-negative); distances become ``1/d^power``.
    """
    from coordeval.analysis.synergy import spatial_weights

    # the shared validator row-standardises; recover the raw matrix from the table itself
    W_checked = spatial_weights(table, cities=cities, kind=kind, power=power)
    labels = W_checked.index
    A = table.loc[labels, labels].to_numpy(dtype=np.float64, copy=True)
    if kind == "distance":  # the validator has checked every off-diagonal distance is > 0
        A = K.inverse_distance_weights(A, power)
    how = "user table: " + (f"inverse distance 1/d^{power:g}" if kind == "distance" else kind)
    return _finish(A, pd.Index(labels, name="city"), how, row_standardize)


def economic_weights(
    x: pd.Series, *, row_standardize: bool = True, cities: Sequence[str] | None = None
) -> SpatialWeights:
    """Economic-distance weights ``w_ij = 1/|x_i − x_j|`` from one value per city.

    Parameters
    ----------
    x : Series
        One value per city (e.g. mean per-capita GDP over the period), indexed by city.

    Raises
    ------
    InputError
        Missing values or two cities with the same value (infinite weight), named.

    References
    ----------
    李婧, 谭清美, 白俊红 (2010). 中国区域创新生产的空间计量分析. 管理世界 (7), 43–55.
    """
    labels = pd.Index(x.index if cities is None else list(cities), name="city")
    v = x.reindex(labels).to_numpy(dtype=np.float64)
    problems = [
        coded("no_economic_value", {"city": str(c)}, value=str(c)) for c in labels[np.isnan(v)]
    ]
    diff = np.abs(v[:, None] - v[None, :]) + np.eye(len(v))
    for i, j in np.argwhere(np.triu(diff == 0, 1)):
        problems.append(coded("same_economic_value", {"city_1": labels[i], "city_2": labels[j]}))
    if problems:
        raise InputError(problems, "the economic weights cannot be built")
    return _finish(
        K.economic_weights(v), labels, "economic distance 1/|x_i − x_j|", row_standardize
    )


def geo_economic_weights(
    geo: SpatialWeights, econ: SpatialWeights, phi: float = 0.5, *, row_standardize: bool = True
) -> SpatialWeights:
    """Nested geo-economic weights ``φ·W_geo + (1 − φ)·W_econ`` of two row-standardised matrices.

    References
    ----------
    邵帅, 李欣, 曹建华, 杨莉莉 (2016). 中国雾霾污染治理的经济政策选择. 经济研究 51(9), 73–88.
    """
    if not 0.0 <= phi <= 1.0:
        raise ConfigError(f"phi must be in [0, 1], got {phi}")
    labels = geo.W.index
    G, _ = K.row_standardize(geo.raw.to_numpy())
    E, _ = K.row_standardize(econ.raw.loc[labels, labels].to_numpy())
    how = f"nested geo-economic φ = {phi:g}: φ·({geo.method}) + (1 − φ)·({econ.method})"
    return _finish(phi * G + (1 - phi) * E, pd.Index(labels, name="city"), how, row_standardize)


def _wide(values: pd.DataFrame | pd.Series, W: SpatialWeights) -> pd.DataFrame:
    """City × (variable, year) table of the values, cities in W's order."""
    frame = values.to_frame() if isinstance(values, pd.Series) else values
    if not isinstance(frame.index, pd.MultiIndex) or list(frame.index.names[:2]) != [
        "city",
        "year",
    ]:
        raise InputError([coded("values_not_panel")])
    lacking = sorted(set(frame.index.get_level_values("city")) - set(W.W.index), key=str)
    if lacking:
        raise InputError(
            [coded("city_without_weights_row", {"city": str(c)}, value=str(c)) for c in lacking],
            "cities missing from the spatial weights",
        )
    frame = frame.astype(np.float64)
    wide = frame.unstack("year").reindex(W.W.index)
    wide.columns = wide.columns.set_names(["variable", "year"])
    return wide


def _blocks(wide: pd.DataFrame) -> list[tuple[np.ndarray, list]]:
    """Groups of columns observed at the same set of cities (≥ 3 cities)."""
    present = wide.notna().to_numpy()
    keys, inverse = np.unique(present.T, axis=0, return_inverse=True)
    out = []
    for g in range(keys.shape[0]):
        rows = np.flatnonzero(keys[g])
        if rows.size >= 3:
            out.append((rows, list(wide.columns[np.flatnonzero(inverse.ravel() == g)])))
    return out


def _per_city(
    wide: pd.DataFrame, rows: np.ndarray, cols: list, **arrays: np.ndarray
) -> pd.DataFrame:
    """Tidy rows (variable, year, city, …) from (cities × columns) arrays of one block."""
    keys = {
        "variable": np.repeat([c[0] for c in cols], rows.size),
        "year": np.repeat([c[1] for c in cols], rows.size),
        "city": np.tile(wide.index[rows].to_numpy(), len(cols)),
    }
    return pd.DataFrame(keys | {name: a.T.ravel() for name, a in arrays.items()})


def _concat(parts: list[pd.DataFrame]) -> pd.DataFrame:
    if not parts:
        raise InputError([coded("no_year_with_three_cities")])
    return pd.concat(parts, ignore_index=True)


def _subW(W: SpatialWeights, rows: np.ndarray) -> np.ndarray:
    A = W.raw.to_numpy()[np.ix_(rows, rows)]
    return K.row_standardize(A)[0] if W.row_standardized else A


def _year_blocks(
    values: pd.DataFrame | pd.Series, W: SpatialWeights, permutations: int, seed: int
) -> Iterator[tuple[pd.DataFrame, np.ndarray, list, np.ndarray, np.ndarray, np.ndarray | None]]:
    """(wide table, city rows, columns, values, W of those cities, permutations) per block."""
    wide = _wide(values, W)
    for rows, cols in _blocks(wide):
        perms = K.permutations(rows.size, permutations, seed) if permutations else None
        yield wide, rows, cols, wide.loc[:, cols].to_numpy()[rows], _subW(W, rows), perms


def moran_by_year(
    values: pd.DataFrame | pd.Series,
    W: SpatialWeights,
    *,
    permutations: int = 999,
    seed: int = 0,
) -> pd.DataFrame:
    """Global Moran's I and Geary's C per variable and year.

    Parameters
    ----------
    values : DataFrame or Series
        Indexed by (``city``, ``year``); one column per variable (subsystem scores,
        composite, D).
    W : SpatialWeights
        Weights covering every city; restricted to the cities present in each year (and
        re-standardised when row-standardised).
    permutations : int
        Random permutations for ``p_sim`` (0: none). Seeded by ``seed``.

    Returns
    -------
    DataFrame
        One row per variable and year: ``n``, ``I``, ``EI``, ``z_norm``, ``p_norm``,
        ``z_rand``, ``p_rand``, ``z_sim``, ``p_sim``, ``geary_C``, ``geary_z``,
        ``geary_p_norm``, ``geary_p_sim``. See :data:`P_VALUE_CONVENTION`.

    References
    ----------
    Moran, P. A. P. (1950). Biometrika 37, 17–23; Geary, R. C. (1954). The Incorporated
    Statistician 5, 115–145; Cliff & Ord (1981); checked against esda ``Moran``/``Geary``.
    """
    rows_out = []
    for _wide_t, rows, cols, Y, A, perms in _year_blocks(values, W, permutations, seed):
        m = K.moran_global(Y, A, perms)
        g = K.geary(Y, A, perms)
        res = pd.DataFrame(
            {
                "variable": [c[0] for c in cols],
                "year": [c[1] for c in cols],
                "n": rows.size,
                "I": m["I"],
                "EI": m["EI"],
                "z_norm": m["z_norm"],
                "p_norm": m["p_norm"],
                "z_rand": m["z_rand"],
                "p_rand": m["p_rand"],
                "z_sim": m.get("z_sim", np.nan),
                "p_sim": m.get("p_sim", np.nan),
                "geary_C": g["C"],
                "geary_z": g["z_norm"],
                "geary_p_norm": g["p_norm"],
                "geary_p_sim": g.get("p_sim", np.nan),
            }
        )
        rows_out.append(res)
    out = _concat(rows_out)
    order = {v: i for i, v in enumerate(dict.fromkeys(out["variable"]))}
    return out.sort_values(
        ["variable", "year"], key=lambda s: s.map(order) if s.name == "variable" else s
    ).reset_index(drop=True)


def geary_by_year(values: pd.DataFrame | pd.Series, W: SpatialWeights, **kw: int) -> pd.DataFrame:
    """Geary's C columns of :func:`moran_by_year`.

    Returns ``variable, year, n, geary_C, geary_z, geary_p_norm, geary_p_sim``.
    """
    t = moran_by_year(values, W, **kw)
    return t[["variable", "year", "n", "geary_C", "geary_z", "geary_p_norm", "geary_p_sim"]]


def lisa_by_year(
    values: pd.DataFrame | pd.Series,
    W: SpatialWeights,
    *,
    permutations: int = 999,
    seed: int = 0,
    alpha: float = 0.05,
) -> pd.DataFrame:
    """Local Moran (LISA) per city, variable and year with the cluster type by name.

    Returns
    -------
    DataFrame
        ``variable, year, city, value, lag`` (spatial lag of the deviation), ``Ii``,
        ``p_sim`` (conditional permutation, seeded), ``quadrant`` (HH, LH, LL, HL) and
        ``cluster`` — the quadrant when ``p_sim < alpha``, else ``"not significant"``.
        HH: high value among high neighbours; LH: low among high; LL; HL: high among low.

    References
    ----------
    Anselin (1995), Geographical Analysis 27(2), 93–115; checked against esda
    ``Moran_Local`` (whose numeric codes 1 HH, 2 LH, 3 LL, 4 HL differ from GeoDa's).
    """
    parts = []
    for wide, rows, cols, Y, A, perms in _year_blocks(values, W, permutations, seed):
        r = K.moran_local(Y, A, perms)
        p = r.get("p_sim", np.full_like(r["Is"], np.nan))
        quad = np.asarray(K.LISA_NAMES, dtype=object)[r["quadrant"]]
        cluster = np.where(p < alpha, quad, "not significant")
        parts.append(
            _per_city(
                wide,
                rows,
                cols,
                value=Y,
                lag=r["lag"],
                Ii=r["Is"],
                p_sim=p,
                quadrant=quad,
                cluster=cluster,
            )
        )
    return _concat(parts)


def hotspots_by_year(values: pd.DataFrame | pd.Series, W: SpatialWeights) -> pd.DataFrame:
    """Getis-Ord Gi* z-scores per city, variable and year with 90/95/99 % hot and cold spots.

    The self weight is 1 for binary weights and the row maximum otherwise (esda's choice
    for row-standardised input); the raw (not row-standardised) weights are used.

    Returns
    -------
    DataFrame
        ``variable, year, city, value, z, p`` (two-sided normal), ``band`` (e.g.
        ``"hot spot 95%"``, ``"not significant"``).

    References
    ----------
    Ord, J. K. & Getis, A. (1995). Geographical Analysis 27(4), 286–306; checked against esda
    ``G_Local(star=True)``.
    """
    wide = _wide(values, W)
    star_full = W.star()
    parts = []
    for rows, cols in _blocks(wide):
        Y = wide.loc[:, cols].to_numpy()[rows]
        r = K.getis_ord_star(Y, star_full[np.ix_(rows, rows)])
        band = np.asarray(HOTSPOT_NAMES, dtype=object)[K.hot_cold_band(r["z"])]
        parts.append(_per_city(wide, rows, cols, value=Y, z=r["z"], p=r["p"], band=band))
    return _concat(parts)
