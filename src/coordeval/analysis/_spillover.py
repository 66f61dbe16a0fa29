"""The cross-city heterogeneous relation: spatial weights from a table, spatial lags and the
spillover matrix of fixed-effects regressions with standard errors clustered by city."""

from __future__ import annotations

from typing import Any, Literal

import numpy as np
import pandas as pd
from scipy import stats

from coordeval import _validation as V
from coordeval.analysis._problems import coded, warn_coded
from coordeval.analysis._relations import _panel_index, _values
from coordeval.errors import ConfigError, InputError, MethodWarning

WeightKind = Literal["distance", "weights"]


#: Fewer clusters than this make cluster-robust standard errors unreliable.
MIN_CLUSTERS = 10


def spatial_weights(
    table: pd.DataFrame | None = None,
    cities: Any = None,
    kind: WeightKind = "weights",
    power: float = 1.0,
) -> pd.DataFrame:
    """Row-standardised spatial weight matrix W between cities.

    Parameters
    ----------
    table : pandas.DataFrame, optional
        Square table with the same city labels as index and columns. ``kind="distance"``:
        distances (any unit) — the weights are inverse distances :math:`d_{ij}^{-p}`;
        ``kind="weights"``: non-negative weights used as given, e.g. a 0/1 adjacency table.
        Without a table, every other city gets the same weight.
    cities : sequence, optional
        City labels (required without ``table``; with a table, selects and orders its rows).
    kind : {"weights", "distance"}
        How to read ``table``.
    power : float, default 1
        Distance-decay exponent p for ``kind="distance"``.

    Returns
    -------
    pandas.DataFrame
        W with zero diagonal and rows summing to 1, index and columns = cities.

    Raises
    ------
    InputError
        A non-square table, labels that differ between rows and columns, cities missing from
        the table, negative or missing entries, a zero distance between two different cities,
        or a city with no neighbour (a row of zeros cannot be row-standardised).

    Notes
    -----
    :math:`w_{ij} = a_{ij} / \\sum_{k \\ne i} a_{ik}` with :math:`a_{ii} = 0` and
    :math:`a_{ij}` = the given weight, :math:`d_{ij}^{-p}`, or 1 (uniform).

    References
    ----------
    Anselin, L. (1988). Spatial Econometrics: Methods and Models. Kluwer, ch. 3.
    """
    V.choice(kind, ("weights", "distance"), "kind")
    if table is None:
        if cities is None:
            raise InputError([coded("no_weights_or_cities")])
        labels = pd.Index(cities)
        if labels.has_duplicates or len(labels) < 2:
            raise InputError([coded("too_few_cities")])
        A = np.ones((len(labels), len(labels)))
    else:
        if not isinstance(table, pd.DataFrame) or table.shape[0] != table.shape[1]:
            raise InputError([coded("spatial_table_not_square")])
        if set(table.index) != set(table.columns) or table.index.has_duplicates:
            raise InputError([coded("spatial_table_labels")])
        labels = table.index if cities is None else pd.Index(cities)
        lacking = [c for c in labels if c not in table.index]
        if lacking:
            raise InputError(
                [
                    coded("city_not_in_spatial_table", {"city": str(c)}, value=str(c))
                    for c in lacking
                ]
            )
        A = table.loc[labels, labels].to_numpy(dtype=np.float64, copy=True)
        off = ~np.eye(len(labels), dtype=bool)
        if not np.all(np.isfinite(A[off])) or np.any(A[off] < 0):
            raise InputError([coded("spatial_table_entries")])
        if kind == "distance":
            if np.any(A[off] <= 0):
                raise InputError([coded("zero_distance")])
            with np.errstate(divide="ignore"):
                A = np.where(off, A ** (-float(power)), 0.0)
    np.fill_diagonal(A, 0.0)
    sums = A.sum(axis=1)
    if np.any(sums <= 0):
        islands = [str(c) for c in labels[sums <= 0]]
        raise InputError([coded("city_without_neighbour", {"city": c}, value=c) for c in islands])
    return pd.DataFrame(A / sums[:, None], index=labels, columns=labels)


def spillover_arrays(
    Y: np.ndarray,
    X: np.ndarray,
    city: np.ndarray,
    year: np.ndarray | None = None,
) -> dict[str, np.ndarray]:
    """Slopes of every column of Y on every column of X with fixed effects (array kernel).

    Parameters
    ----------
    Y, X : ndarray of shape (N, K)
        Dependent scores and regressors (e.g. the spatial lags); one regression per pair (k, l).
    city : ndarray of int of shape (N,)
        City code 0 … G−1 of every row (fixed effect and cluster).
    year : ndarray of int of shape (N,), optional
        Year code; adds year fixed effects (two-way within transformation; the panel must then
        be balanced).

    Returns
    -------
    dict of ndarray
        ``rho``, ``se``, ``t``, ``p``, ``r2_within`` of shape (K, K), indexed [k, l], and
        ``n``, ``n_clusters``, ``df_resid`` (scalars as 0-d arrays).

    Raises
    ------
    ValueError
        Shapes that do not match, fewer than two clusters, an unbalanced panel with year
        effects, or a regressor without within variation.

    Notes
    -----
    By the Frisch–Waugh–Lovell theorem the slope of
    :math:`y_{k,it} = \\alpha_i (+\\lambda_t) + \\rho_{kl} x_{l,it} + \\varepsilon` equals the
    slope of the within-transformed data, :math:`\\rho_{kl} = \\sum \\tilde y_k \\tilde x_l /
    \\sum \\tilde x_l^2`, and its cluster-robust variance (clusters = cities) equals the
    dummy-variable regression's:
    :math:`V = c \\sum_g (\\sum_{i \\in g} \\tilde x_{l,i} e_i)^2 / (\\sum \\tilde x_l^2)^2`,
    :math:`c = \\frac{G}{G-1}\\frac{N-1}{N-P}` with P = 1 + (G − 1) + (T − 1 with year
    effects) + 1 parameters of the dummy regression, as statsmodels' ``cov_type="cluster"``;
    p-values from the t distribution with G − 1 degrees of freedom. All K² regressions are
    computed at once.
    """
    Y = np.asarray(Y, dtype=np.float64)
    X = np.asarray(X, dtype=np.float64)
    if Y.ndim != 2 or X.shape != Y.shape:
        raise ValueError("Y and X must be 2-D arrays of the same shape")
    N, K = Y.shape
    city = np.asarray(city)
    G = int(city.max()) + 1 if N else 0
    if city.shape != (N,) or G < 2:
        raise ValueError("city must give a code for every row, with at least two cities")
    counts = np.bincount(city, minlength=G).astype(np.float64)

    def demean(A: np.ndarray) -> np.ndarray:
        sums = np.zeros((G, A.shape[1]))
        np.add.at(sums, city, A)
        out = A - (sums / counts[:, None])[city]
        if year is not None:
            T = int(year.max()) + 1
            ysum = np.zeros((T, A.shape[1]))
            np.add.at(ysum, year, A)
            out = out - (ysum / np.bincount(year, minlength=T)[:, None])[year] + A.mean(axis=0)
        return out

    P = G + 1
    if year is not None:
        year = np.asarray(year)
        T = int(year.max()) + 1
        if N != G * T or np.unique(city * T + year).size != N:
            raise ValueError("year fixed effects need a balanced panel (every city every year)")
        P += T - 1
    Yt, Xt = demean(Y), demean(X)
    sxx = (Xt**2).sum(axis=0)
    scale = np.maximum((X**2).sum(axis=0), np.finfo(float).tiny)
    if np.any(sxx <= 1e-24 * scale):
        raise ValueError("a regressor has no variation left after the fixed effects")
    rho = (Yt.T @ Xt) / sxx[None, :]
    E = Yt[:, :, None] - rho[None, :, :] * Xt[:, None, :]
    S = Xt[:, None, :] * E
    csum = np.zeros((G, K, K))
    np.add.at(csum, city, S)
    meat = (csum**2).sum(axis=0)
    c = G / (G - 1) * (N - 1) / (N - P)
    se = np.sqrt(c * meat) / sxx[None, :]
    with np.errstate(divide="ignore", invalid="ignore"):
        t = np.where(se > 0, rho / se, np.inf * np.sign(rho))
    p = 2.0 * stats.t.sf(np.abs(t), df=G - 1)
    syy = (Yt**2).sum(axis=0)
    ssr = (E**2).sum(axis=0)
    r2 = np.where(syy[:, None] > 0, 1.0 - ssr / np.where(syy > 0, syy, 1.0)[:, None], 0.0)
    return {
        "rho": rho,
        "se": se,
        "t": t,
        "p": p,
        "r2_within": r2,
        "n": np.asarray(N),
        "n_clusters": np.asarray(G),
        "df_resid": np.asarray(N - P),
    }


def _resolve_w_table(W: pd.DataFrame | None, w_kind: WeightKind | None) -> tuple[Any, str]:
    if W is None:
        return None, "weights"
    if not isinstance(W, pd.DataFrame):
        raise InputError([coded("w_not_square")])
    if w_kind is None:
        vals = W.to_numpy(dtype=np.float64)
        off = ~np.eye(vals.shape[0], dtype=bool) if vals.shape[0] == vals.shape[1] else None
        if off is not None and np.all(np.isin(vals[off], (0.0, 1.0))):
            return W, "weights"
        raise ConfigError(
            "W is not a 0/1 adjacency table: say whether it holds distances "
            "(w_kind='distance') or weights (w_kind='weights')"
        )
    return W, w_kind


def spatial_lag(U: pd.DataFrame, W: pd.DataFrame) -> pd.DataFrame:
    """Spatial lag ``W·U`` of every subsystem, year by year.

    Parameters
    ----------
    U : pandas.DataFrame
        Scores (one column per subsystem), indexed by ``(city, year)``.
    W : pandas.DataFrame
        City × city weights (e.g. from :func:`spatial_weights`), covering every city of ``U``.

    Returns
    -------
    pandas.DataFrame
        Indexed and labelled like ``U``: :math:`(W U)_{it} = \\sum_j w^{(t)}_{ij} U_{jt}`.

    Raises
    ------
    InputError
        Missing or negative scores, cities missing from ``W``, or a city none of whose
        neighbours is present in some year.

    Notes
    -----
    ``W`` is restricted to the cities present in each year and its rows re-standardised
    (:math:`w^{(t)}_{ij} = w_{ij} / \\sum_{k \\in N_t} w_{ik}`), then applied to that year's
    scores in one product ``W_t @ U_t`` for all subsystems at once.

    References
    ----------
    Anselin, L. (1988). Spatial Econometrics: Methods and Models. Kluwer, ch. 3.
    """
    arr = _values(U, "U", unit_interval=False)
    city_codes, cities, year_codes = _panel_index(U, "U")
    lacking = [c for c in cities if c not in W.index]
    if lacking:
        raise InputError([coded("city_not_in_w", {"city": str(c)}, value=str(c)) for c in lacking])
    Wa = W.loc[cities, cities].to_numpy(dtype=np.float64)
    lag = np.empty_like(arr)
    for t in np.unique(year_codes):
        rows = np.flatnonzero(year_codes == t)
        present = city_codes[rows]
        Wt = Wa[np.ix_(present, present)]
        sums = Wt.sum(axis=1)
        if np.any(sums <= 0):
            year = U.index.get_level_values("year")[rows[0]]
            alone = [str(cities[i]) for i in present[sums <= 0]]
            raise InputError(
                [coded("no_neighbour_in_year", {"year": year, "city": c}, value=c) for c in alone]
            )
        lag[rows] = (Wt / sums[:, None]) @ arr[rows]
    return pd.DataFrame(lag, index=U.index, columns=U.columns)


def inter_heterogeneity(
    U: pd.DataFrame,
    W: pd.DataFrame | None = None,
    w_kind: WeightKind | None = None,
    *,
    time_effects: bool = False,
    power: float = 1.0,
) -> pd.DataFrame:
    """Relation 4, 城际异质: spillover matrix between subsystems across cities.

    Parameters
    ----------
    U : pandas.DataFrame
        Subsystem scores, one column per subsystem, indexed by ``(city, year)`` (at least two
        cities and two years).
    W : pandas.DataFrame, optional
        Square city × city table: a 0/1 adjacency table, other non-negative weights
        (``w_kind="weights"``) or distances (``w_kind="distance"``, inverse-distance weights).
        Default: uniform weights over the other cities.
    w_kind : {"weights", "distance"}, optional
        How to read ``W``; may be omitted only for a 0/1 adjacency table.
    time_effects : bool, default False
        Add year fixed effects (balanced panels only).
    power : float, default 1
        Distance-decay exponent for ``w_kind="distance"``.

    Returns
    -------
    pandas.DataFrame
        Indexed by ``(subsystem, lagged_subsystem)`` = (k, l), one row per ordered pair, with
        columns ``rho`` (spillover coefficient), ``se``, ``t``, ``p``, ``r2_within``, ``n``,
        ``n_clusters``. ``.unstack()`` on a column gives the K × K matrix (rows k, columns l).

    Raises
    ------
    InputError
        Missing/negative scores, no ``(city, year)`` index, fewer than two years, an invalid
        W, or a spatial lag without variation within cities.
    ConfigError
        W given without ``w_kind`` and not a 0/1 table; unknown ``w_kind``.

    Warns
    -----
    MethodWarning
        Fewer than 10 cities (clusters): cluster-robust standard errors are then unreliable.

    Notes
    -----
    coordeval's operationalisation: for every ordered pair of subsystems (k, l)

    .. math:: U_{k,it} = \\alpha_i\\,[+\\lambda_t] + \\rho_{kl}\\,(W U_l)_{it} + \\varepsilon_{it}

    estimated by OLS with city fixed effects (city dummies; computed by the within
    transformation, which gives the same coefficient and cluster-robust standard errors, see
    :func:`spillover_arrays`), standard errors clustered by city. ρ_kl > 0: cities whose
    neighbours score higher in subsystem l score higher in subsystem k, beyond their own
    average level. W is row-standardised and built per year from the cities present
    (:math:`(WU_l)_t = W_t U_{l,t}`). The diagonal ρ_kk regresses a subsystem on its own
    spatial lag: a descriptive association, not a consistent spatial-autoregressive
    estimate (use a maximum-likelihood SAR model for that). Without year effects a common
    trend of all subsystems shows up as positive ρ everywhere; with uniform W and year
    effects, :math:`(WU_l)_{it}` is an affine function of :math:`U_{l,it}` within a year.

    References
    ----------
    刘波, 邓玲 (2021). 双循环新格局下成渝贵城市群协同发展影响因素与实现路径研究.
    Anselin, L. (1988). Spatial Econometrics: Methods and Models. Kluwer.
    Cameron, A. C., & Miller, D. L. (2015). A practitioner's guide to cluster-robust inference.
    Journal of Human Resources, 50(2), 317-372.
    """
    table, kind = _resolve_w_table(W, w_kind)
    _values(U, "U", unit_interval=False)
    city_codes, cities, year_codes = _panel_index(U, "U")
    if year_codes.max(initial=0) < 1:
        raise InputError([coded("spillover_too_few_years")])
    Wn = spatial_weights(table, cities=cities, kind=kind, power=power)
    lag = spatial_lag(U, Wn)
    if len(cities) < MIN_CLUSTERS:
        warn_coded(
            MethodWarning, "few_clusters", stacklevel=2, n=len(cities), min_clusters=MIN_CLUSTERS
        )
    try:
        res = spillover_arrays(
            U.to_numpy(dtype=np.float64),
            lag.to_numpy(dtype=np.float64),
            city_codes,
            year_codes if time_effects else None,
        )
    except ValueError as err:
        raise InputError(
            [coded("spillover_not_estimable", {"reason": str(err)})],
            summary="cannot estimate the spillovers",
        ) from None
    subs = list(U.columns)
    K = len(subs)
    index = pd.MultiIndex.from_product([subs, subs], names=["subsystem", "lagged_subsystem"])
    return pd.DataFrame(
        {
            "rho": res["rho"].ravel(),
            "se": res["se"].ravel(),
            "t": res["t"].ravel(),
            "p": res["p"].ravel(),
            "r2_within": res["r2_within"].ravel(),
            "n": np.full(K * K, int(res["n"])),
            "n_clusters": np.full(K * K, int(res["n_clusters"])),
        },
        index=index,
    )
