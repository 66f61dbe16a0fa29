"""The four synergy relations of a city cluster (协同关系).

The seed framework (刘波、邓玲 2021) describes a city cluster's synergy through four relations
between its cities and seven subsystems:

1. 城内同质 — within a city, within one subsystem: do the subsystem's indicators pull together?
2. 城内异质 — within a city, across subsystems: coupling coordination of the subsystem scores.
3. 城际同质 — across cities, the same subsystem: how equal are the cities, are they converging?
4. 城际异质 — across cities, across subsystems: does one city's subsystem l move with its
   neighbours' subsystem k?

The framework names the relations but gives no formulas; the measures below are coordeval's own
operationalisations, stated in every function's Notes so that a report can quote them.

Panels are pandas objects indexed by a ``(city, year)`` MultiIndex: ``Z`` holds normalised
indicator values in [0, 1] (columns = indicator ids), ``U`` subsystem scores (columns =
subsystem ids), ``membership`` maps indicator id → subsystem id.
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping
from typing import Any, Literal

import numpy as np
import pandas as pd
from scipy import stats

from coordeval.analysis.inequality import gini
from coordeval.errors import ConfigError, InputError, MethodWarning, Problem
from coordeval.kernels.coupling import MODELS, coupling_arrays

__all__ = [
    "RELATIONS",
    "inter_heterogeneity",
    "inter_homogeneity",
    "intra_heterogeneity",
    "intra_homogeneity",
    "spatial_lag",
    "spatial_weights",
    "spillover_arrays",
    "synergy_relations",
]

#: Key → (Chinese name, English description) of the four synergy relations.
RELATIONS: dict[str, tuple[str, str]] = {
    "intra_homogeneity": ("城内同质", "within a city, within one subsystem"),
    "intra_heterogeneity": ("城内异质", "within a city, across subsystems"),
    "inter_homogeneity": ("城际同质", "across cities, the same subsystem"),
    "inter_heterogeneity": ("城际异质", "across cities, across subsystems"),
}

WeightKind = Literal["distance", "weights"]

#: Fewer clusters than this make cluster-robust standard errors unreliable.
MIN_CLUSTERS = 10


def _panel_index(frame: pd.DataFrame, what: str) -> tuple[np.ndarray, pd.Index, np.ndarray]:
    """City codes, city labels and year codes of a ``(city, year)`` panel."""
    idx = frame.index
    names = list(idx.names) if isinstance(idx, pd.MultiIndex) else []
    if "city" not in names or "year" not in names:
        raise InputError(
            [Problem(f"{what} must be indexed by a (city, year) MultiIndex, got {names or idx}")]
        )
    if idx.duplicated().any():
        dups = idx[idx.duplicated()].unique()[:5]
        raise InputError([Problem(f"{what} has duplicated (city, year) rows, e.g. {list(dups)}")])
    city_codes, cities = pd.factorize(idx.get_level_values("city"), sort=True)
    year_codes, _ = pd.factorize(idx.get_level_values("year"), sort=True)
    return city_codes, pd.Index(cities, name="city"), year_codes


def _values(frame: pd.DataFrame, what: str, *, unit_interval: bool) -> np.ndarray:
    """Finite float values; non-negative, and within [0, 1] when ``unit_interval``."""
    if not isinstance(frame, pd.DataFrame):
        raise InputError([Problem(f"{what} must be a pandas DataFrame")])
    non_numeric = [c for c in frame.columns if not pd.api.types.is_numeric_dtype(frame[c])]
    if non_numeric:
        raise InputError(
            [Problem(f"{what}: non-numeric column", column=str(c)) for c in non_numeric]
        )
    arr = frame.to_numpy(dtype=np.float64)
    bad = ~np.isfinite(arr)
    bad |= arr < 0
    if unit_interval:
        bad |= arr > 1
    if bad.any():
        rows, cols = np.nonzero(bad)
        limit = "in [0, 1]" if unit_interval else "non-negative"
        raise InputError(
            [
                Problem(
                    f"{what}: value must be finite and {limit}",
                    cell=str(frame.index[r]),
                    column=str(frame.columns[c]),
                    value=repr(float(arr[r, c])),
                )
                for r, c in zip(rows[:50], cols[:50], strict=True)
            ],
            summary=f"{what}: {int(bad.sum())} invalid value(s)",
        )
    return arr


def _check_model(model: str) -> None:
    if model not in MODELS:
        raise ConfigError(f"unknown coupling model {model!r}; expected one of {MODELS}")


def intra_homogeneity(
    Z: pd.DataFrame,
    membership: Mapping[str, str] | pd.Series,
    model: str = "wang2021",
) -> pd.DataFrame:
    """Relation 1, 城内同质: coupling degree of each subsystem's indicators in every city-year.

    Parameters
    ----------
    Z : pandas.DataFrame
        Normalised indicator values in [0, 1], one column per indicator id; rows are cities or
        city-years.
    membership : mapping or pandas.Series
        Indicator id → subsystem id, covering every column of ``Z``.
    model : {"wang2021", "classic", "fan2024"}, default "wang2021"
        Coupling-degree formula of :func:`coordeval.kernels.coupling.coupling_arrays`.

    Returns
    -------
    pandas.DataFrame
        Indexed like ``Z``, one column per subsystem (in order of first appearance in
        ``membership``) holding the coupling degree C of its indicators. Subsystems with a
        single indicator are left out with a :class:`~coordeval.errors.MethodWarning`.

    Raises
    ------
    InputError
        Indicators without a subsystem, membership entries that are not columns of ``Z``,
        missing or out-of-range values.
    ConfigError
        Unknown ``model``.

    Notes
    -----
    coordeval's operationalisation (the seed framework gives none): the subsystem's normalised
    indicators :math:`z_{1}, …, z_{m}` of one city-year are treated as m "systems" and their
    coupling degree is computed, by default with the corrected model of 王淑佳 et al. (2021)

    .. math:: C = \\sqrt{\\Big[1 - \\frac{\\sum_{i>j}|z_i - z_j|}{\\sum_{s=1}^{m-1} s}\\Big]
              \\Big(\\prod_i \\frac{z_i}{\\max_j z_j}\\Big)^{1/(m-1)}}

    C = 1 when every indicator of the subsystem is at the same normalised level; it falls as
    the indicators diverge. A zero indicator value gives C = 0 (use shifted normalisation).

    References
    ----------
    刘波, 邓玲 (2021). 双循环新格局下成渝贵城市群协同发展影响因素与实现路径研究.
    王淑佳, 孔伟, 任亮, 治丹丹, 戴彬婷 (2021). 国内耦合协调度模型的误区及修正. 自然资源学报,
    36(3), 793-810. doi:10.31497/zrzyxb.20210319.
    """
    _check_model(model)
    arr = _values(Z, "Z", unit_interval=True)
    member = pd.Series(membership, dtype=object) if isinstance(membership, Mapping) else membership
    if not isinstance(member, pd.Series):
        raise InputError([Problem("membership must map indicator id → subsystem id")])
    problems = [
        Problem("indicator has no subsystem in membership", column=str(c))
        for c in Z.columns
        if c not in member.index
    ]
    problems += [
        Problem("membership names an indicator that is not a column of Z", column=str(i))
        for i in member.index
        if i not in Z.columns
    ]
    if problems:
        raise InputError(problems, summary="membership does not match the columns of Z")
    subsystems = list(dict.fromkeys(member.to_numpy().tolist()))
    col_sub = member.reindex(Z.columns).to_numpy()
    out: dict[Any, np.ndarray] = {}
    single = []
    for sub in subsystems:
        cols = np.flatnonzero(col_sub == sub)
        if cols.size < 2:
            single.append(str(sub))
            continue
        C, _, _ = coupling_arrays(arr[:, cols], model=model)
        out[sub] = C
    if single:
        warnings.warn(
            MethodWarning(
                f"subsystem(s) {', '.join(single)} have a single indicator; their "
                "within-subsystem coupling is undefined and left out",
                "single_indicator_subsystem",
                {"subsystems": ", ".join(single), "subsystem_ids": list(single)},
            ),
            stacklevel=2,
        )
    frame = pd.DataFrame(out, index=Z.index)
    frame.columns.name = "subsystem"
    return frame


def intra_heterogeneity(
    U: pd.DataFrame,
    model: str = "classic",
    weights: Mapping[str, float] | pd.Series | None = None,
) -> pd.DataFrame:
    """Relation 2, 城内异质: coupling coordination of the subsystem scores of every city-year.

    Parameters
    ----------
    U : pandas.DataFrame
        Subsystem scores in [0, 1], one column per subsystem.
    model : {"classic", "wang2021", "fan2024"}, default "classic"
        Coupling-degree formula (the default matches coordeval's coupling table).
    weights : mapping or pandas.Series, optional
        Subsystem contribution coefficients for T (renormalised); equal by default.

    Returns
    -------
    pandas.DataFrame
        Indexed like ``U`` with columns ``C, T, D``.

    Raises
    ------
    InputError
        Missing or out-of-range scores, fewer than two subsystems, weights not matching.
    ConfigError
        Unknown ``model``.

    Notes
    -----
    coordeval's operationalisation: the coupling coordination degree over the n subsystems,
    :math:`D = \\sqrt{C\\,T}`, :math:`T = \\sum_r a_r U_r`, with C from the chosen model
    (classic :math:`C = n (\\prod U_r)^{1/n} / \\sum U_r`). Grades and lagging subsystems are in
    :func:`coordeval.analysis.coupling.coupling_coordination`.

    References
    ----------
    刘波, 邓玲 (2021). 双循环新格局下成渝贵城市群协同发展影响因素与实现路径研究.
    廖重斌 (1999). 环境与经济协调发展的定量评判及其分类体系. 热带地理, 19(2), 171-177.
    """
    _check_model(model)
    arr = _values(U, "U", unit_interval=True)
    if arr.shape[1] < 2:
        raise InputError([Problem("coupling across subsystems needs at least two subsystems")])
    w = None
    if weights is not None:
        ws = pd.Series(weights, dtype=np.float64)
        lacking = [c for c in U.columns if c not in ws.index]
        if lacking:
            raise InputError([Problem("no weight for subsystem", column=str(c)) for c in lacking])
        w = ws.reindex(U.columns).to_numpy()
        if not np.all(np.isfinite(w)) or np.any(w < 0) or w.sum() <= 0:
            raise InputError([Problem("subsystem weights must be non-negative, not all zero")])
    C, T, D = coupling_arrays(arr, model=model, weights=w)
    return pd.DataFrame({"C": C, "T": T, "D": D}, index=U.index)


def inter_homogeneity(U: pd.DataFrame) -> pd.DataFrame:
    """Relation 3, 城际同质: equality of the cities in every subsystem, year by year.

    Parameters
    ----------
    U : pandas.DataFrame
        Subsystem scores (non-negative), one column per subsystem, indexed by
        ``(city, year)``. Unbalanced panels are fine: each year uses the cities present.

    Returns
    -------
    pandas.DataFrame
        Indexed by ``(subsystem, year)`` with columns ``n_cities``, ``mean``, ``sd``
        (population), ``cv`` (sd/mean), ``gini`` and ``homogeneity`` (1 − Gini).

    Raises
    ------
    InputError
        Missing or negative scores, a missing ``(city, year)`` index, or a subsystem whose
        scores are all 0 in a year (Gini and CV undefined).

    Notes
    -----
    coordeval's operationalisation: per subsystem r and year t over the N_t cities,
    :math:`H_{rt} = 1 - G_{rt}` with the Gini coefficient
    :math:`G = \\sum_i\\sum_j |U_i - U_j| / (2N^2\\mu)`, plus σ-convergence statistics
    :math:`\\sigma_t = \\sqrt{\\frac1N\\sum_i (U_{it} - \\bar U_t)^2}` and
    :math:`CV_t = \\sigma_t/\\bar U_t`. A falling σ or CV over the years is σ-convergence of
    the subsystem. The Gini coefficient is :func:`coordeval.analysis.inequality.gini`
    (sorted-rank formula).

    References
    ----------
    刘波, 邓玲 (2021). 双循环新格局下成渝贵城市群协同发展影响因素与实现路径研究.
    Dagum, C. (1997). A new approach to the decomposition of the Gini income inequality ratio.
    Empirical Economics, 22(4), 515-531.
    """
    arr = _values(U, "U", unit_interval=False)
    _, _, year_codes = _panel_index(U, "U")
    years = np.sort(U.index.get_level_values("year").unique())
    rows = []
    problems = []
    for t, year in enumerate(years):
        block = arr[year_codes == t]
        mean = block.mean(axis=0)
        sd = block.std(axis=0)
        for r, sub in enumerate(U.columns):
            if mean[r] <= 0:
                problems.append(
                    Problem(
                        f"year {year}: every city scores 0; Gini and CV are undefined",
                        column=str(sub),
                    )
                )
                continue
            g = gini(block[:, r])
            rows.append((sub, year, block.shape[0], mean[r], sd[r], sd[r] / mean[r], g, 1.0 - g))
    if problems:
        raise InputError(problems, summary="inter-city homogeneity is undefined")
    out = pd.DataFrame(
        rows,
        columns=["subsystem", "year", "n_cities", "mean", "sd", "cv", "gini", "homogeneity"],
    )
    return out.sort_values(["subsystem", "year"], key=_column_order(U.columns)).set_index(
        ["subsystem", "year"]
    )


def _column_order(columns: pd.Index) -> Any:
    order = {c: i for i, c in enumerate(columns)}

    def key(s: pd.Series) -> pd.Series:
        return s.map(order) if s.name == "subsystem" else s

    return key


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
    if kind not in ("weights", "distance"):
        raise ConfigError(f"kind must be 'weights' or 'distance', got {kind!r}")
    if table is None:
        if cities is None:
            raise InputError([Problem("give a weight/distance table or the list of cities")])
        labels = pd.Index(cities)
        if labels.has_duplicates or len(labels) < 2:
            raise InputError([Problem("need at least two distinct cities")])
        A = np.ones((len(labels), len(labels)))
    else:
        if not isinstance(table, pd.DataFrame) or table.shape[0] != table.shape[1]:
            raise InputError([Problem("the spatial table must be a square DataFrame")])
        if set(table.index) != set(table.columns) or table.index.has_duplicates:
            raise InputError(
                [
                    Problem(
                        "the spatial table needs the same, unique city labels as rows and columns"
                    )
                ]
            )
        labels = table.index if cities is None else pd.Index(cities)
        lacking = [c for c in labels if c not in table.index]
        if lacking:
            raise InputError(
                [Problem("city missing from the spatial table", value=str(c)) for c in lacking]
            )
        A = table.loc[labels, labels].to_numpy(dtype=np.float64, copy=True)
        off = ~np.eye(len(labels), dtype=bool)
        if not np.all(np.isfinite(A[off])) or np.any(A[off] < 0):
            raise InputError([Problem("spatial table entries must be finite and non-negative")])
        if kind == "distance":
            if np.any(A[off] <= 0):
                raise InputError([Problem("zero distance between two different cities")])
            with np.errstate(divide="ignore"):
                A = np.where(off, A ** (-float(power)), 0.0)
    np.fill_diagonal(A, 0.0)
    sums = A.sum(axis=1)
    if np.any(sums <= 0):
        islands = [str(c) for c in labels[sums <= 0]]
        raise InputError([Problem("city has no neighbour in W", value=c) for c in islands])
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
        raise InputError([Problem("W must be a square DataFrame (cities × cities)")])
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
        raise InputError([Problem("city missing from W", value=str(c)) for c in lacking])
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
                [
                    Problem(f"year {year}: no neighbour of this city is in the data", value=c)
                    for c in alone
                ]
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
        raise InputError([Problem("spillover regressions need at least two years")])
    Wn = spatial_weights(table, cities=cities, kind=kind, power=power)
    lag = spatial_lag(U, Wn)
    if len(cities) < MIN_CLUSTERS:
        warnings.warn(
            f"only {len(cities)} cities: cluster-robust standard errors of the spillover "
            f"coefficients are unreliable with fewer than {MIN_CLUSTERS} clusters",
            MethodWarning,
            stacklevel=2,
        )
    try:
        res = spillover_arrays(
            U.to_numpy(dtype=np.float64),
            lag.to_numpy(dtype=np.float64),
            city_codes,
            year_codes if time_effects else None,
        )
    except ValueError as err:
        raise InputError([Problem(str(err))], summary="cannot estimate the spillovers") from None
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


def synergy_relations(
    Z: pd.DataFrame,
    U: pd.DataFrame,
    membership: Mapping[str, str] | pd.Series,
    W: pd.DataFrame | None = None,
    *,
    w_kind: WeightKind | None = None,
    within_model: str = "wang2021",
    across_model: str = "classic",
    subsystem_weights: Mapping[str, float] | pd.Series | None = None,
    time_effects: bool = False,
) -> dict[str, pd.DataFrame]:
    """The four synergy relations of a city cluster in one call.

    Parameters
    ----------
    Z : pandas.DataFrame
        Normalised indicator values in [0, 1], indexed by ``(city, year)``.
    U : pandas.DataFrame
        Subsystem scores in [0, 1] on the same index.
    membership : mapping or pandas.Series
        Indicator id → subsystem id.
    W : pandas.DataFrame, optional
        City × city adjacency/weight or distance table for relation 4 (uniform if omitted).
    w_kind : {"weights", "distance"}, optional
        How to read ``W`` (see :func:`inter_heterogeneity`).
    within_model : str, default "wang2021"
        Coupling model of relation 1.
    across_model : str, default "classic"
        Coupling model of relation 2.
    subsystem_weights : mapping or pandas.Series, optional
        Contribution coefficients of T in relation 2.
    time_effects : bool, default False
        Year fixed effects in relation 4.

    Returns
    -------
    dict of str → pandas.DataFrame
        ``"intra_homogeneity"`` (城内同质, :func:`intra_homogeneity`),
        ``"intra_heterogeneity"`` (城内异质, :func:`intra_heterogeneity`),
        ``"inter_homogeneity"`` (城际同质, :func:`inter_homogeneity`),
        ``"inter_heterogeneity"`` (城际异质, :func:`inter_heterogeneity`).
        :data:`RELATIONS` gives their Chinese names.

    Raises
    ------
    InputError
        ``Z`` and ``U`` on different rows, or any error of the four functions.

    Notes
    -----
    The four relations are named in the seed framework; the measures are coordeval's own
    operationalisations (see each function).

    References
    ----------
    刘波, 邓玲 (2021). 双循环新格局下成渝贵城市群协同发展影响因素与实现路径研究.
    """
    if not isinstance(Z, pd.DataFrame) or not isinstance(U, pd.DataFrame):
        raise InputError([Problem("Z and U must be pandas DataFrames")])
    _panel_index(U, "U")
    if not Z.index.sort_values().equals(U.index.sort_values()):
        raise InputError([Problem("Z and U must cover the same (city, year) rows")])
    return {
        "intra_homogeneity": intra_homogeneity(Z, membership, model=within_model),
        "intra_heterogeneity": intra_heterogeneity(
            U, model=across_model, weights=subsystem_weights
        ),
        "inter_homogeneity": inter_homogeneity(U),
        "inter_heterogeneity": inter_heterogeneity(U, W, w_kind, time_effects=time_effects),
    }
