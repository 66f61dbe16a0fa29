"""Map projections for drawing boundary files (numpy only).

The Albers equal-area conic on the sphere (Snyder 1987, *Map Projections — A Working Manual*,
USGS Professional Paper 1395, eqs. 14-1 to 14-4) keeps areas true, which a choropleth needs:
a large city must not look larger because it lies further north.
"""

from __future__ import annotations

import numpy as np

__all__ = ["albers_equal_area", "albers_parameters"]


def albers_parameters(lon: np.ndarray, lat: np.ndarray) -> tuple[float, float, float, float]:
    """Standard parallels and origin for an Albers projection of the given extent.

    Parameters
    ----------
    lon, lat : ndarray
        Longitudes and latitudes in degrees (any shape; NaN ignored).

    Returns
    -------
    lat1, lat2, lon0, lat0 : float
        Standard parallels at one sixth and five sixths of the latitude range (Snyder's rule
        of thumb for a conic), central meridian and origin latitude at the centre of the extent.
        A range of less than 1° is widened to 1° so that the parallels differ.
    """
    lo_lat, hi_lat = float(np.nanmin(lat)), float(np.nanmax(lat))
    lo_lon, hi_lon = float(np.nanmin(lon)), float(np.nanmax(lon))
    mid = (lo_lat + hi_lat) / 2
    span = max(hi_lat - lo_lat, 1.0)
    return mid - span / 3, mid + span / 3, (lo_lon + hi_lon) / 2, mid


def albers_equal_area(
    lon: np.ndarray,
    lat: np.ndarray,
    lat1: float,
    lat2: float,
    lon0: float,
    lat0: float,
) -> tuple[np.ndarray, np.ndarray]:
    """Albers equal-area conic projection on the unit sphere.

    Parameters
    ----------
    lon, lat : ndarray
        Coordinates in degrees.
    lat1, lat2 : float
        Standard parallels in degrees (not symmetric about the equator).
    lon0, lat0 : float
        Central meridian and latitude of the origin, in degrees.

    Returns
    -------
    x, y : ndarray
        Projected coordinates in units of the sphere's radius.

    Notes
    -----
    ``n = (sin φ1 + sin φ2)/2``, ``C = cos²φ1 + 2n sin φ1``, ``ρ = √(C − 2n sin φ)/n``,
    ``θ = n(λ − λ0)``, ``x = ρ sin θ``, ``y = ρ0 − ρ cos θ`` (Snyder 1987, eqs. 14-1 to 14-4).
    """
    p1, p2, p0 = np.radians(lat1), np.radians(lat2), np.radians(lat0)
    n = (np.sin(p1) + np.sin(p2)) / 2
    c = np.cos(p1) ** 2 + 2 * n * np.sin(p1)
    rho0 = np.sqrt(c - 2 * n * np.sin(p0)) / n
    rho = np.sqrt(c - 2 * n * np.sin(np.radians(np.asarray(lat, dtype=np.float64)))) / n
    theta = n * np.radians(np.asarray(lon, dtype=np.float64) - lon0)
    return rho * np.sin(theta), rho0 - rho * np.cos(theta)
