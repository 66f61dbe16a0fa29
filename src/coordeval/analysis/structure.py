"""Cluster size structure: primacy, rank-size (Zipf) fit, HHI; gravity linkage network.

References
----------
Jefferson, M. (1939). The law of the primate city. Geographical Review 29, 226–232 (S2);
Ginsburg (1961) for S4 and S11. Zipf (1949); Rosen & Resnick (1980). Modified gravity
model of linkage strength: 王欣 et al. (2006) 城市经济圈的引力模型; network measures as
Freeman (1979), checked against networkx.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy.sparse.csgraph import shortest_path

from coordeval.analysis._problems import coded
from coordeval.errors import InputError
from coordeval.kernels.spatial import haversine_km

__all__ = ["gravity_network", "size_structure"]


def size_structure(size: pd.Series) -> pd.DataFrame:
    """Primacy indices, rank-size fit and HHI of a size indicator, per year.

    Parameters
    ----------
    size : Series
        Positive sizes (population, GDP, …) indexed by (``city``, ``year``).

    Returns
    -------
    DataFrame
        Per year: ``n``, ``S2`` = P1/P2, ``S4`` = P1/(P2+P3+P4), ``S11`` = 2P1/(P2+…+P11)
        (empty when there are too few cities), ``zipf_q`` and ``zipf_r2`` of the OLS fit
        ln P_r = ln P_1 − q ln r, ``hhi`` = Σ s_i² of the shares (0–1).
    """
    v = size.dropna().astype(np.float64)
    if (v <= 0).any():
        raise InputError([coded("sizes_not_positive")])
    wide = v.unstack("year")
    P = -np.sort(-wide.to_numpy(), axis=0)  # descending per year, NaN last
    P = np.where(np.isnan(wide.to_numpy()).all(axis=0), np.nan, P)
    n = np.sum(np.isfinite(P), axis=0)
    Pz = np.nan_to_num(P)
    rows = np.arange(P.shape[0])[:, None]

    def top(a: int, b: int) -> np.ndarray:
        return np.where((rows >= a) & (rows < b), Pz, 0.0).sum(axis=0)

    with np.errstate(invalid="ignore", divide="ignore"):
        S2 = np.where(n >= 2, Pz[0] / top(1, 2), np.nan)
        S4 = np.where(n >= 4, Pz[0] / top(1, 4), np.nan)
        S11 = np.where(n >= 11, 2 * Pz[0] / top(1, 11), np.nan)
        lr = np.log(rows + 1.0) * np.isfinite(P)
        lp = np.where(np.isfinite(P), np.log(np.where(np.isfinite(P), P, 1.0)), 0.0)
        mx, my = lr.sum(0) / n, lp.sum(0) / n
        dx = np.where(np.isfinite(P), lr - mx, 0.0)
        dy = np.where(np.isfinite(P), lp - my, 0.0)
        slope = (dx * dy).sum(0) / (dx**2).sum(0)
        r2 = (dx * dy).sum(0) ** 2 / ((dx**2).sum(0) * (dy**2).sum(0))
        shares = Pz / Pz.sum(axis=0)
    return pd.DataFrame(
        {
            "year": wide.columns,
            "n": n,
            "S2": S2,
            "S4": S4,
            "S11": S11,
            "zipf_q": np.where(n >= 3, -slope, np.nan),
            "zipf_r2": np.where(n >= 3, r2, np.nan),
            "hhi": (shares**2).sum(axis=0),
        }
    )


def gravity_network(
    population: pd.Series,
    economy: pd.Series,
    coords: pd.DataFrame,
    *,
    k: float = 1.0,
    threshold: float | None = None,
) -> dict[str, pd.DataFrame]:
    """Modified gravity linkage R_ij = k·√(P_i G_i)·√(P_j G_j)/d_ij² and its network measures.

    Parameters
    ----------
    population, economy : Series
        One value per city (e.g. the last year), indexed by city.
    coords : DataFrame
        ``lon``, ``lat`` (degrees) indexed by city; d_ij is the haversine distance in km.
    k : float
        Gravity constant.
    threshold : float, optional
        Links with R_ij above it form the network (default: the mean of all R_ij, i ≠ j).

    Returns
    -------
    dict of DataFrame
        ``links`` (city pairs with R and whether linked), ``centrality`` (per city: total
        linkage, degree, degree/closeness/betweenness centrality, normalised as networkx)
        and ``network`` (cities, links, density, threshold).
    """
    cities = pd.Index(population.index, name="city")
    lacking = [c for c in cities if c not in coords.index or c not in economy.index]
    if lacking:
        raise InputError(
            [coded("city_without_gravity_inputs", {"city": str(c)}, value=str(c)) for c in lacking]
        )
    n = len(cities)
    if n < 3:
        raise InputError([coded("gravity_too_few_cities")])
    m = np.sqrt(
        population.to_numpy(dtype=np.float64) * economy.loc[cities].to_numpy(dtype=np.float64)
    )
    d = haversine_km(coords.loc[cities, "lon"].to_numpy(), coords.loc[cities, "lat"].to_numpy())
    off = ~np.eye(n, dtype=bool)
    R = np.where(off, k * np.outer(m, m) / np.where(off, d, 1.0) ** 2, 0.0)
    thr = float(R[off].mean()) if threshold is None else float(threshold)
    A = (R > thr) & off
    iu, ju = np.triu_indices(n, 1)
    links = pd.DataFrame(
        {
            "city_1": cities[iu],
            "city_2": cities[ju],
            "distance_km": d[iu, ju],
            "R": R[iu, ju],
            "linked": A[iu, ju],
        }
    ).sort_values("R", ascending=False, ignore_index=True)
    deg = A.sum(axis=1)
    dist = shortest_path(A.astype(np.float64), unweighted=True, directed=False)
    reach = np.isfinite(dist) & off
    tot = np.where(reach, dist, 0.0).sum(axis=1)
    r_n = reach.sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        closeness = np.where(tot > 0, (r_n / tot) * (r_n / (n - 1)), 0.0)  # Wasserman–Faust
    between = _betweenness(A, dist)
    centrality = pd.DataFrame(
        {
            "city": cities,
            "linkage_total": R.sum(axis=1),
            "degree": deg,
            "degree_centrality": deg / (n - 1),
            "closeness_centrality": closeness,
            "betweenness_centrality": between,
        }
    )
    network = pd.DataFrame(
        {
            "cities": [n],
            "links": [int(A[iu, ju].sum())],
            "density": [float(A[iu, ju].mean())],
            "threshold": [thr],
        }
    )
    return {"links": links, "centrality": centrality, "network": network}


def _betweenness(A: np.ndarray, dist: np.ndarray) -> np.ndarray:
    """Normalised betweenness of an undirected unweighted graph from path counts.

    σ_st (number of shortest paths) from powers of A; v lies on an s–t geodesic when
    d_sv + d_vt = d_st, contributing σ_sv σ_vt/σ_st. Normalised by (n−1)(n−2)/2 pairs.
    """
    n = A.shape[0]
    Af = A.astype(np.float64)
    finite = np.isfinite(dist)
    sigma = np.eye(n)
    power = np.eye(n)
    maxd = int(dist[finite].max()) if finite.any() else 0
    for length in range(1, maxd + 1):
        power = power @ Af
        sigma = np.where(dist == length, power, sigma)
    D = np.where(finite, dist, -1.0)
    b = np.zeros(n)
    idx = np.arange(n)
    for src in range(n):  # one source at a time keeps memory at n² (n³ for all at once)
        ok = finite[src][:, None] & finite & finite[src][None, :]
        on = ok & (D[src][:, None] + D == D[src][None, :])  # [v, t]: v on a src–t geodesic
        on[src, :] = False
        on[:, src] = False
        on[idx, idx] = False
        num = sigma[src][:, None] * sigma
        den = np.where(on, sigma[src][None, :], 1.0)
        b += np.where(on, num / den, 0.0).sum(axis=1)
    b /= 2.0
    return b / ((n - 1) * (n - 2) / 2.0) if n > 2 else b
