"""Spatial weights and spatial autocorrelation kernels (numpy only, dense matrices).

Dense ``n × n`` matrices are used throughout: memory is ``8·n²`` bytes per matrix, so a few
thousand units (2,800 counties: 63 MB per matrix) is the practical limit; clusters of 5–300
cities are well inside it. Permutation inference draws one random permutation of all units
per draw and derives every unit's conditional permutation from it (see
:func:`conditional_lags`), so a draw costs one matrix product for all units and series.

References
----------
Cliff, A. D. & Ord, J. K. (1981). Spatial Processes: Models and Applications. Pion.
Anselin, L. (1995). Local indicators of spatial association — LISA. Geographical Analysis
27(2), 93–115.
Getis, A. & Ord, J. K. (1992). The analysis of spatial association by use of distance
statistics. Geographical Analysis 24(3), 189–206; Ord & Getis (1995) 27(4), 286–306.
"""

from __future__ import annotations

import numpy as np
from scipy import sparse, stats

from coordeval.errors import ConfigError

EARTH_RADIUS_KM = 6371.0088  # IUGG mean Earth radius

#: LISA quadrant names in the order of the internal codes 0..4.
LISA_NAMES = ("HH", "LH", "LL", "HL", "not significant")


def haversine_km(lon: np.ndarray, lat: np.ndarray) -> np.ndarray:
    """Great-circle distances (km) between all pairs of points given in degrees.

    Parameters
    ----------
    lon, lat : ndarray of shape (n,)
        Longitude and latitude in decimal degrees.

    Returns
    -------
    ndarray of shape (n, n)
        Haversine distances on a sphere of radius :data:`EARTH_RADIUS_KM`.
    """
    lam = np.radians(np.asarray(lon, dtype=np.float64))
    phi = np.radians(np.asarray(lat, dtype=np.float64))
    dphi = phi[:, None] - phi[None, :]
    dlam = lam[:, None] - lam[None, :]
    h = np.sin(dphi / 2) ** 2 + np.cos(phi)[:, None] * np.cos(phi)[None, :] * np.sin(dlam / 2) ** 2
    return 2.0 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.clip(h, 0.0, 1.0)))


def haversine_pairs(
    lon1: np.ndarray, lat1: np.ndarray, lon2: np.ndarray, lat2: np.ndarray
) -> np.ndarray:
    """Great-circle distances (km) between paired points (element-wise)."""
    p1, p2 = np.radians(lat1), np.radians(lat2)
    dl = np.radians(np.asarray(lon2) - np.asarray(lon1))
    h = np.sin((p2 - p1) / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(dl / 2) ** 2
    return 2.0 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.clip(h, 0.0, 1.0)))


def knn_weights(D: np.ndarray, k: int) -> np.ndarray:
    """Binary k-nearest-neighbour weights from a distance matrix (ties broken by order).

    Row i has ones at the ``k`` closest other units (not symmetric in general).
    """
    D = np.asarray(D, dtype=np.float64)
    n = D.shape[0]
    Dm = D.copy()
    np.fill_diagonal(Dm, np.inf)
    nearest = np.argsort(Dm, axis=1, kind="stable")[:, :k]
    W = np.zeros((n, n))
    np.put_along_axis(W, nearest, 1.0, axis=1)
    return W


def inverse_distance_weights(
    D: np.ndarray, power: float = 1.0, threshold: float | None = None
) -> np.ndarray:
    """Inverse-distance weights ``1/d^p`` (zero diagonal; zero beyond ``threshold``)."""
    D = np.asarray(D, dtype=np.float64)
    off = ~np.eye(D.shape[0], dtype=bool)
    with np.errstate(divide="ignore"):
        W = np.where(off & (D > 0), D ** (-float(power)), 0.0)
    if threshold is not None:
        W[D > threshold] = 0.0
    return W


def distance_band_weights(D: np.ndarray, threshold: float) -> np.ndarray:
    """Binary weights: 1 for other units within ``threshold`` (same unit as ``D``)."""
    D = np.asarray(D, dtype=np.float64)
    W = (D <= threshold).astype(np.float64)
    np.fill_diagonal(W, 0.0)
    return W


def economic_weights(x: np.ndarray) -> np.ndarray:
    """Economic-distance weights ``1/|x_i − x_j|`` (zero diagonal; equal values give ``inf``)."""
    x = np.asarray(x, dtype=np.float64)
    with np.errstate(divide="ignore"):
        W = 1.0 / np.abs(x[:, None] - x[None, :])
    np.fill_diagonal(W, 0.0)
    return W


def row_standardize(W: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Rows divided by their sums; returns ``(W_r, islands)`` with islands' rows left at zero."""
    W = np.asarray(W, dtype=np.float64)
    sums = W.sum(axis=1)
    islands = sums <= 0
    out = np.divide(W, sums[:, None], out=np.zeros_like(W), where=~islands[:, None])
    return out, islands


def _moments(W: np.ndarray) -> tuple[float, float, float]:
    S0 = float(W.sum())
    S1 = float(0.5 * ((W + W.T) ** 2).sum())
    S2 = float(((W.sum(axis=1) + W.sum(axis=0)) ** 2).sum())
    return S0, S1, S2


def _nonzero(ss: np.ndarray) -> np.ndarray:
    """Sums of squares with zeros (constant columns) replaced by NaN."""
    return np.where(ss > 0, ss, np.nan)


def _pseudo_p(sim: np.ndarray, observed: np.ndarray) -> np.ndarray:
    """esda's folded pseudo p: ``(min(#sim ≥ obs, B − #sim ≥ obs) + 1)/(B + 1)``.

    ``sim`` has the draws on its last axis.
    """
    B = sim.shape[-1]
    larger = (sim >= observed[..., None]).sum(axis=-1)
    larger = np.minimum(larger, B - larger)
    return np.where(np.isnan(observed), np.nan, (larger + 1.0) / (B + 1.0))


def permutations(n: int, draws: int, seed: int | np.random.Generator | None) -> np.ndarray:
    """``draws`` random permutations of ``range(n)`` as an int array of shape (draws, n)."""
    rng = np.random.default_rng(seed)
    return rng.permuted(np.tile(np.arange(n), (draws, 1)), axis=1)


def _lag_draws(W: np.ndarray, Zp: np.ndarray) -> np.ndarray:
    """``W @ Zp[b]`` for every draw b, as one matrix product (Zp of shape (B, n, m))."""
    B, n, m = Zp.shape
    X = np.ascontiguousarray(Zp.transpose(1, 0, 2)).reshape(n, B * m)
    Wm = sparse.csr_array(W) if np.count_nonzero(W) < 0.15 * W.size else W
    return (Wm @ X).reshape(n, B, m).transpose(1, 0, 2)


def moran_global(
    Y: np.ndarray, W: np.ndarray, perms: np.ndarray | None = None
) -> dict[str, np.ndarray]:
    """Global Moran's I of each column of ``Y``: normal, randomisation and permutation inference.

    Parameters
    ----------
    Y : ndarray of shape (n, m)
        ``m`` variables (e.g. years) observed at the ``n`` units.
    W : ndarray of shape (n, n)
        Spatial weights as used (already row-standardised if wanted).
    perms : ndarray of int of shape (B, n), optional
        Permutations for the pseudo p-value (see :func:`permutations`).

    Returns
    -------
    dict of ndarray of shape (m,)
        ``I``, ``EI``, ``VI_norm``, ``z_norm``, ``p_norm``, ``VI_rand``, ``z_rand``,
        ``p_rand`` (two-sided normal p), and with ``perms`` ``EI_sim``, ``z_sim``, ``p_sim``.

    Notes
    -----
    :math:`I = \\frac{n}{S_0}\\frac{z^T W z}{z^T z}`, :math:`E[I] = -1/(n-1)`; variances under
    normality and randomisation as Cliff & Ord (1981), esda's ``Moran``. ``p_sim`` is esda's
    folded one-sided pseudo p (the tail the observed value is in).
    """
    Y = np.asarray(Y, dtype=np.float64)
    with np.errstate(divide="ignore", invalid="ignore"):  # constant columns give NaN
        return _moran_global(Y, W, perms)


def _moran_global(Y: np.ndarray, W: np.ndarray, perms: np.ndarray | None) -> dict[str, np.ndarray]:
    n = Y.shape[0]
    Z = Y - Y.mean(axis=0)
    zz = _nonzero((Z**2).sum(axis=0))
    S0, S1, S2 = _moments(W)
    I_obs = n / S0 * (Z * (W @ Z)).sum(axis=0) / zz
    EI = -1.0 / (n - 1)
    VI_norm = (n * n * S1 - n * S2 + 3 * S0 * S0) / ((n - 1) * (n + 1) * S0 * S0) - EI**2
    k = n * (Z**4).sum(axis=0) / zz**2
    A = n * ((n * n - 3 * n + 3) * S1 - n * S2 + 3 * S0 * S0)
    Bk = k * ((n * n - n) * S1 - 2 * n * S2 + 6 * S0 * S0)
    VI_rand = (A - Bk) / ((n - 1) * (n - 2) * (n - 3) * S0 * S0) - EI**2
    out = {"I": I_obs, "EI": np.full_like(I_obs, EI)}
    for tag, V in (("norm", np.full_like(I_obs, VI_norm)), ("rand", VI_rand)):
        z = (I_obs - EI) / np.sqrt(V)
        out[f"VI_{tag}"] = V
        out[f"z_{tag}"] = z
        out[f"p_{tag}"] = 2.0 * stats.norm.sf(np.abs(z))
    if perms is not None:
        Zp = Z[perms]  # (B, n, m)
        sim = n / S0 * (Zp * _lag_draws(W, Zp)).sum(axis=1).T / zz[:, None]
        out["EI_sim"] = sim.mean(axis=1)
        out["z_sim"] = (I_obs - out["EI_sim"]) / sim.std(axis=1, ddof=1)
        out["p_sim"] = _pseudo_p(sim, I_obs)
    return out


def geary(Y: np.ndarray, W: np.ndarray, perms: np.ndarray | None = None) -> dict[str, np.ndarray]:
    """Geary's C of each column of ``Y`` (normality z and p, optional permutation pseudo p).

    Notes
    -----
    :math:`C = \\frac{(n-1)\\sum_{ij} w_{ij}(y_i - y_j)^2}{2 S_0 \\sum_i (y_i - \\bar y)^2}`,
    :math:`E[C] = 1`, :math:`V_N[C] = \\frac{(2S_1 + S_2)(n-1) - 4S_0^2}{2(n+1)S_0^2}` (Cliff &
    Ord 1981; esda's ``Geary``). C < 1 means positive autocorrelation.
    """
    Y = np.asarray(Y, dtype=np.float64)
    with np.errstate(divide="ignore", invalid="ignore"):  # constant columns give NaN
        return _geary(Y, W, perms)


def _geary(Y: np.ndarray, W: np.ndarray, perms: np.ndarray | None) -> dict[str, np.ndarray]:
    n = Y.shape[0]
    Z = Y - Y.mean(axis=0)
    zz = _nonzero((Z**2).sum(axis=0))
    S0, S1, S2 = _moments(W)
    rs = W.sum(axis=1) + W.sum(axis=0)

    def stat(Zx: np.ndarray) -> np.ndarray:
        # sum_ij w_ij (z_i - z_j)^2 = sum_i z_i^2 (r_i + c_i) - 2 z^T W z
        return (n - 1) * ((Zx**2 * rs[:, None]).sum(axis=0) - 2 * (Zx * (W @ Zx)).sum(axis=0))

    C = stat(Z) / (2 * S0 * zz)
    VC = ((2 * S1 + S2) * (n - 1) - 4 * S0 * S0) / (2 * (n + 1) * S0 * S0)
    z = (C - 1.0) / np.sqrt(VC)
    out = {"C": C, "EC": np.ones_like(C), "VC_norm": np.full_like(C, VC), "z_norm": z}
    out["p_norm"] = 2.0 * stats.norm.sf(np.abs(z))
    if perms is not None:
        Zp = Z[perms]
        sq = np.einsum("bnm,n->mb", Zp**2, rs)
        cross = (Zp * _lag_draws(W, Zp)).sum(axis=1).T
        sim = (n - 1) * (sq - 2 * cross) / (2 * S0 * zz[:, None])
        out["p_sim"] = _pseudo_p(sim, C)
    return out


def conditional_lags(Z: np.ndarray, W: np.ndarray, perms: np.ndarray) -> np.ndarray:
    """Spatial lags of every unit under conditional randomisation, for every draw.

    Parameters
    ----------
    Z : ndarray of shape (n, m)
    W : ndarray of shape (n, n) with zero diagonal
    perms : ndarray of int of shape (B, n)

    Returns
    -------
    ndarray of shape (m, n, B)
        ``lag[m, i, b] = Σ_{j≠i} w_ij z_{σ_i^b(j)}`` where ``σ_i^b`` is a uniformly random
        bijection from the other units to the other units' values.

    Notes
    -----
    From one uniform permutation π of all n units, unit i's conditional permutation is π with
    the unit p = π⁻¹(i) (which received i's own value) given π(i) instead; every bijection of
    the other units then arises from exactly n permutations π, so it is uniform. The lag is
    :math:`(W z_\\pi)_i + w_{ip}(z_{\\pi(i)} - z_i)`: one matrix product per draw for all units.
    """
    n = Z.shape[0]
    Zp = Z[perms]  # (B, n, m): Zp[b, j] = z[π_b(j)]
    full = _lag_draws(W, Zp)
    inv = np.argsort(perms, axis=1)  # inv[b, i] = π_b^{-1}(i)
    rows = np.arange(n)
    w_ip = W[rows[None, :], inv]  # (B, n)
    corr = w_ip[:, :, None] * (Zp - Z[None, :, :])  # z_{π(i)} − z_i at position i
    return np.transpose(full + corr, (2, 1, 0))


def moran_local(
    Y: np.ndarray, W: np.ndarray, perms: np.ndarray | None = None
) -> dict[str, np.ndarray]:
    """Local Moran's I_i (LISA) of each column of ``Y``, quadrants and conditional pseudo p.

    Returns
    -------
    dict of ndarray of shape (n, m)
        ``Is``, ``quadrant`` (0 HH, 1 LH, 2 LL, 3 HL: index into :data:`LISA_NAMES`),
        with ``perms`` also ``p_sim`` (esda's folded pseudo p).

    Notes
    -----
    :math:`I_i = (n-1) z_i (Wz)_i / \\sum_j z_j^2` (Anselin 1995; esda's ``Moran_Local``).
    Quadrant by the signs of z_i and (Wz)_i; zeros count as low (as esda).
    """
    Y = np.asarray(Y, dtype=np.float64)
    n = Y.shape[0]
    Z = Y - Y.mean(axis=0)
    zz = _nonzero((Z**2).sum(axis=0))  # constant columns: NaN, never "significant"
    lag = W @ Z
    Is = (n - 1) * Z * lag / zz
    hi, lhi = Z > 0, lag > 0
    quad = np.where(hi & lhi, 0, np.where(~hi & lhi, 1, np.where(~hi & ~lhi, 2, 3)))
    out = {"Is": Is, "quadrant": quad, "lag": lag}
    if perms is not None:
        lags = conditional_lags(Z, W, perms)  # (m, n, B)
        sim = (n - 1) * Z.T[:, :, None] * lags / zz[:, None, None]
        out["p_sim"] = _pseudo_p(sim, Is.T).T
    return out


def getis_ord_star(Y: np.ndarray, W_star: np.ndarray) -> dict[str, np.ndarray]:
    """Getis-Ord Gi* z-scores of each column of ``Y`` (self included in ``W_star``).

    Notes
    -----
    :math:`G_i^* = (\\sum_j w_{ij} y_j - \\bar y W_i)
    / (S\\sqrt{(n\\sum_j w_{ij}^2 - W_i^2)/(n-1)})`
    with :math:`W_i = \\sum_j w_{ij}` and :math:`S^2 = \\sum y^2/n - \\bar y^2` (Ord & Getis
    1995; ArcGIS "Hot Spot Analysis"). For binary weights this equals esda's
    ``G_Local(star=True).Zs``. p-values two-sided normal.
    """
    Y = np.asarray(Y, dtype=np.float64)
    n = Y.shape[0]
    mean = Y.mean(axis=0)
    S = np.sqrt(_nonzero(Y.var(axis=0)))
    Wi = W_star.sum(axis=1)
    W2 = (W_star**2).sum(axis=1)
    num = W_star @ Y - np.outer(Wi, mean)
    den = S[None, :] * np.sqrt((n * W2 - Wi**2) / (n - 1))[:, None]
    with np.errstate(divide="ignore", invalid="ignore"):
        z = num / den
    return {"z": z, "p": 2.0 * stats.norm.sf(np.abs(z))}


def hot_cold_band(z: np.ndarray) -> np.ndarray:
    """Code of the Gi* band: 0..2 cold 99/95/90 %, 3 not significant, 4..6 hot 90/95/99 %."""
    q = stats.norm.isf([0.005, 0.025, 0.05])
    cut = np.concatenate([-q, q[::-1]])
    band = np.searchsorted(cut, z, side="right").astype(np.int64)
    return np.where(np.isnan(z), 3, band)  # an undefined z (constant values) is not significant


def contiguity_weights(
    xy: np.ndarray,
    unit: np.ndarray,
    ring: np.ndarray,
    n: int,
    kind: str = "queen",
    tol: float = 1e-6,
) -> np.ndarray:
    """Binary queen or rook contiguity between polygons given as one table of vertices.

    Parameters
    ----------
    xy : ndarray of shape (V, 2)
        Vertex coordinates of every ring of every unit, ring after ring, each ring in drawing
        order (closed or not).
    unit : ndarray of int of shape (V,)
        The unit (0..n−1) each vertex belongs to.
    ring : ndarray of int of shape (V,)
        A ring id per vertex; consecutive vertices with the same ring id form an edge.
    n : int
        Number of units.
    kind : {"queen", "rook"}
        ``queen``: two units are neighbours when their outlines share at least one vertex;
        ``rook``: when they share at least one edge (two consecutive vertices, either direction).
    tol : float
        Vertices are compared after rounding to multiples of ``tol`` (coordinate units).

    Returns
    -------
    ndarray of shape (n, n)
        Symmetric 0/1 matrix with a zero diagonal.

    Notes
    -----
    Vectorised: vertices become integer keys (``round(xy / tol)``), equal keys are found by
    ``np.unique``; a sparse unit × key incidence matrix ``M`` gives the shared-key counts
    ``M Mᵀ``. Rook keys are the unordered pairs of consecutive vertex keys. As PySAL's
    ``libpysal.weights.Queen``/``Rook`` (shared vertices / shared edges).
    """
    if kind not in ("queen", "rook"):
        raise ConfigError(
            f"kind must be queen or rook, got {kind!r}", "contiguity_kind", {"kind": repr(kind)}
        )
    grid = np.round(np.asarray(xy, dtype=np.float64) / tol).astype(np.int64)
    unit = np.asarray(unit, dtype=np.int64)
    ring = np.asarray(ring)
    _, key = np.unique(grid, axis=0, return_inverse=True)
    key = key.ravel()
    if kind == "rook":
        same = (ring[1:] == ring[:-1]) & (key[1:] != key[:-1])
        ends = np.sort(np.column_stack([key[:-1][same], key[1:][same]]), axis=1)
        _, key = np.unique(ends, axis=0, return_inverse=True)
        key = key.ravel()
        unit = unit[:-1][same]
    m = int(key.max()) + 1 if key.size else 0
    M = sparse.coo_array((np.ones(key.size), (unit, key)), shape=(n, m)).tocsr()
    M.data[:] = 1.0  # repeated (unit, key) pairs were summed: back to incidence
    A = (M @ M.T).toarray() > 0
    np.fill_diagonal(A, False)
    return A.astype(np.float64)
