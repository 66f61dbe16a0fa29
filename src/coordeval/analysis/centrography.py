"""Centre of gravity and standard deviational ellipse of a panel variable, year by year.

References
----------
Yuill (1971), Geografiska Annaler B 53(1), 28–39; Levine (2010), CrimeStat III ch. 4; ESRI
ArcGIS "Directional Distribution". Axes checked against pointpats ``centrography.ellipse``
(the ``crimestat`` correction).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from coordeval import _validation as V
from coordeval.analysis._problems import coded
from coordeval.errors import InputError
from coordeval.kernels import centrography as K
from coordeval.kernels.spatial import haversine_pairs

__all__ = ["centre_of_gravity"]

_DIRECTIONS = ("N", "NE", "E", "SE", "S", "SW", "W", "NW")


def centre_of_gravity(
    values: pd.Series, coords: pd.DataFrame, *, correction: str = "crimestat"
) -> pd.DataFrame:
    """Weighted mean centre, its yearly shift, and the standard deviational ellipse.

    Parameters
    ----------
    values : Series
        Non-negative weights (e.g. D or a score) indexed by (``city``, ``year``).
    coords : DataFrame
        ``lon``, ``lat`` in degrees indexed by city.
    correction : {"crimestat", "arcgis", "yuill"}
        Axis convention: CrimeStat/pointpats √2·√(n/(n−2)), ArcGIS √2 (one standard
        deviation), Yuill 1971 (none).

    Returns
    -------
    DataFrame
        Per year: ``n``, ``lon``, ``lat`` (weighted mean centre), ``shift_km`` and
        ``azimuth_deg`` (great-circle distance and bearing from the previous year's centre,
        clockwise from north), ``direction`` (8-point compass), ``major_km``, ``minor_km``
        (semi-axes), ``rotation_deg`` (major axis, clockwise from north), ``area_km2``,
        ``flattening`` (1 − minor/major), ``correction``.

    Raises
    ------
    InputError
        Cities without coordinates, negative weights, or a year with fewer than 3 cities.
    """
    V.choice(correction, K.CORRECTIONS, "correction")
    lacking = sorted(set(values.index.get_level_values("city")) - set(coords.index), key=str)
    if lacking:
        raise InputError(
            [coded("no_coordinates_for_city", {"city": str(c)}, value=str(c)) for c in lacking]
        )
    v = values.dropna().astype(np.float64)
    if (v < 0).any():
        raise InputError([coded("negative_gravity_weights")])
    rows = []
    for year, s in v.groupby(level="year", sort=True):
        cities = s.index.get_level_values("city")
        lon = coords.loc[cities, "lon"].to_numpy()
        lat = coords.loc[cities, "lat"].to_numpy()
        w = s.to_numpy()
        if cities.size < 3 or w.sum() <= 0:
            raise InputError([coded("too_few_weighted_cities", {"year": year})])
        lon0, lat0 = K.mean_centre(lon, lat, w)
        x, y = K.local_xy(lon, lat, lon0, lat0)
        e = K.ellipse(x, y, w, correction)
        rows.append(
            {
                "year": year,
                "n": cities.size,
                "lon": lon0,
                "lat": lat0,
                "major_km": e["major"],
                "minor_km": e["minor"],
                "rotation_deg": e["rotation_deg"],
                "area_km2": e["area"],
                "flattening": e["flattening"],
                "correction": correction,
            }
        )
    out = pd.DataFrame(rows)
    lon, lat = out["lon"].to_numpy(), out["lat"].to_numpy()
    shift = np.full(len(out), np.nan)
    az = np.full(len(out), np.nan)
    if len(out) > 1:
        shift[1:] = haversine_pairs(lon[:-1], lat[:-1], lon[1:], lat[1:])
        az[1:] = K.bearing_deg(lon[:-1], lat[:-1], lon[1:], lat[1:])
    out.insert(4, "shift_km", shift)
    out.insert(5, "azimuth_deg", az)
    sector = np.where(np.isnan(az), -1, np.round(np.nan_to_num(az) / 45.0).astype(int) % 8)
    out.insert(6, "direction", [_DIRECTIONS[s] if s >= 0 else "" for s in sector])
    return out
