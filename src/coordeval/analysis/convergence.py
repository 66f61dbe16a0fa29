"""Convergence of the cities of a cluster: σ convergence, β convergence and kernel densities.

Input is a tidy panel of scores: a Series (or a DataFrame with one column per score) indexed by a
MultiIndex with levels ``city`` and ``year``; years are numbers (e.g. ``2015``). The functions
validate at the boundary and raise :class:`~coordeval.errors.InputError` or
:class:`~coordeval.errors.ConfigError` for problems a user can fix.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np
import pandas as pd
import statsmodels.api as sm
from scipy import stats
from statsmodels.nonparametric.kde import KDEUnivariate

from coordeval.analysis.inequality import NanPolicy, _clean_column, _input_error, _score_frame
from coordeval.errors import ConfigError, DataWarning, InputError, MethodWarning, Problem

__all__ = [
    "BetaResult",
    "beta_convergence",
    "convergence_speed",
    "kernel_density",
    "sigma_convergence",
]


def _drop_missing(col: pd.Series, nan_policy: NanPolicy, what: str) -> pd.Series:
    return _clean_column(col, nan_policy, what, nonnegative=False)


def _numeric_years(index: pd.MultiIndex, what: str) -> np.ndarray:
    years = index.get_level_values("year")
    if not pd.api.types.is_numeric_dtype(years):
        raise InputError(
            [Problem(message=f"year values such as {years[0]!r} are not numbers")],
            f"{what}: the year level must hold numbers (e.g. 2015)",
        )
    return np.asarray(years, dtype=np.float64)


def _ols_slope(x: np.ndarray, y: np.ndarray) -> tuple[float, float]:
    """Slope of the OLS line of ``y`` on ``x`` and its two-sided t-test p-value (n ≥ 3)."""
    n = x.size
    xc = x - x.mean()
    yc = y - y.mean()
    sxx = float(np.dot(xc, xc))
    slope = float(np.dot(xc, yc)) / sxx
    resid = yc - slope * xc
    se = math.sqrt(float(np.dot(resid, resid)) / (n - 2) / sxx)
    if se == 0.0:
        return slope, (1.0 if slope == 0.0 else 0.0)
    return slope, float(2.0 * stats.t.sf(abs(slope / se), n - 2))


def sigma_convergence(
    scores: pd.Series | pd.DataFrame,
    *,
    trend: bool = True,
    alpha: float = 0.05,
    nan_policy: NanPolicy = "raise",
    log: bool = False,
) -> pd.DataFrame:
    """σ convergence: yearly dispersion of the scores and the trend of their CV.

    Parameters
    ----------
    scores : pandas.Series or pandas.DataFrame
        Scores indexed by (``city``, ``year``); one score per column. Years are numbers.
    trend : bool, default True
        Fit the OLS trend of CV on year per score column (needs at least 3 years).
    alpha : float, default 0.05
        Significance level of the trend test behind the verdict.
    nan_policy : {"raise", "omit"}, default "raise"
        Missing scores raise :class:`InputError`, or are left out with a :class:`DataWarning`.
    log : bool, default False
        σ on logs, as in the growth literature (Barro & Sala-i-Martin 1992: the cross-section
        SD of log income): add ``sd_log``, the population SD of ``ln U_it`` per year (scores
        must be positive), and fit the trend on ``sd_log`` instead of the CV (columns
        ``sd_log_slope``, ``sd_log_slope_p``).

    Returns
    -------
    pandas.DataFrame
        One row per (score, year): ``score``, ``year``, ``n``, ``mean``, ``sd`` (population
        standard deviation), ``cv``; with ``trend`` also ``cv_slope`` (change of CV per year),
        ``cv_slope_p`` (two-sided t test of the slope, n − 2 df) and ``verdict``:
        ``"σ-convergence"`` (slope < 0 and p < alpha), ``"σ-divergence"`` (slope > 0 and
        p < alpha) or ``"no significant trend"``. The trend columns repeat within a score.

    Raises
    ------
    InputError
        Bad index, duplicate rows, missing (with ``nan_policy="raise"``) or infinite scores,
        non-numeric years, a year whose mean score is not positive (CV undefined), or fewer than
        3 years with ``trend=True``.
    ConfigError
        If ``alpha`` is not in (0, 1).

    Warns
    -----
    DataWarning
        If the panel is unbalanced (the years compare different sets of cities).

    Notes
    -----
    ``σ_t = √[(1/N_t) Σ_i (U_it − Ū_t)²]``, ``CV_t = σ_t / Ū_t``. A falling σ (or CV) over
    time means σ convergence. The trend is the OLS slope of ``CV_t`` on ``t``.

    References
    ----------
    Barro, R. J., & Sala-i-Martin, X. (1992). Convergence. Journal of Political Economy, 100(2),
    223-251.
    """
    what = "sigma_convergence"
    if not 0 < alpha < 1:
        raise ConfigError(f"alpha must lie in (0, 1), got {alpha!r}")
    frame = _score_frame(scores, what)
    _numeric_years(frame.index, what)
    out = []
    for name in frame.columns:
        col = _drop_missing(frame[name], nan_policy, what)
        by_year = col.groupby(level="year", sort=True)
        table = pd.DataFrame(
            {
                "n": by_year.size(),
                "mean": by_year.mean(),
                "sd": by_year.std(ddof=0),
            }
        )
        bad = table.index[~(table["mean"].to_numpy() > 0)]
        if len(bad):
            raise _input_error(
                f"{what}: the coefficient of variation needs a positive mean score",
                [f"year {y!r}: mean score is {table.loc[y, 'mean']!r}" for y in bad],
                column=name,
            )
        n_cities = col.index.get_level_values("city").nunique()
        if (table["n"] != n_cities).any():
            short = [str(y) for y in table.index[table["n"].to_numpy() != n_cities]]
            warnings.warn(
                f"{what}: unbalanced panel for {name!r}: years {', '.join(short)} have fewer "
                f"than {n_cities} cities, so σ compares different sets of cities",
                DataWarning,
                stacklevel=2,
            )
        table["cv"] = table["sd"] / table["mean"]
        measure = "cv"
        if log:
            nonpos = col[~(col.to_numpy() > 0)]
            if len(nonpos):
                raise _input_error(
                    f"{what}: σ on logs needs positive scores",
                    [f"city {c!r}, year {t!r}: score {v!r}" for (c, t), v in nonpos.items()],
                    column=name,
                )
            table["sd_log"] = np.log(col).groupby(level="year", sort=True).std(ddof=0)
            measure = "sd_log"
        if trend:
            if len(table) < 3:
                raise InputError(
                    [Problem(message=f"only {len(table)} year(s) of data", column=name)],
                    f"{what}: the CV trend needs at least 3 years (or pass trend=False)",
                )
            slope, p = _ols_slope(
                table.index.to_numpy(dtype=np.float64), table[measure].to_numpy(dtype=np.float64)
            )
            if p < alpha and slope < 0:
                verdict = "σ-convergence"
            elif p < alpha and slope > 0:
                verdict = "σ-divergence"
            else:
                verdict = "no significant trend"
            table[f"{measure}_slope"] = slope
            table[f"{measure}_slope_p"] = p
            table["verdict"] = verdict
        table = table.reset_index()
        table.insert(0, "score", name)
        out.append(table)
    result = pd.concat(out, ignore_index=True)
    result["score"] = result["score"].astype("str")
    if trend:
        result["verdict"] = result["verdict"].astype("str")
    return result


def convergence_speed(beta: float, tau: float = 1.0) -> tuple[float, float]:
    """Convergence speed and half-life implied by a β coefficient over a step of ``tau`` years.

    Parameters
    ----------
    beta : float
        Coefficient of ``ln U_t`` in a regression of the growth ``ln(U_{t+τ}/U_t)`` over one
        step (not divided by τ).
    tau : float, default 1.0
        Years per step.

    Returns
    -------
    speed : float
        ``s = −ln(1 + β)/τ`` per year.
    half_life : float
        ``ln 2 / s`` years; ``inf`` when ``s ≤ 0`` (no convergence, the gap never halves).

    Raises
    ------
    ValueError
        If ``tau`` is not positive.

    Warns
    -----
    MethodWarning
        If ``β ≤ −1`` (overshooting: ``ln(1 + β)`` is undefined); both results are then NaN.

    Notes
    -----
    From ``ln U_{t+τ} − ln U_t = α + β ln U_t`` with ``1 + β = e^{−sτ}``.

    References
    ----------
    Barro, R. J., & Sala-i-Martin, X. (1992). Convergence. Journal of Political Economy, 100(2),
    223-251.
    """
    if not tau > 0:
        raise ValueError(f"tau must be positive, got {tau!r}")
    if not 1.0 + beta > 0:
        warnings.warn(
            f"β = {beta:.4g} ≤ −1 per step: the convergence speed −ln(1+β)/τ is undefined "
            "(speed and half-life reported as NaN)",
            MethodWarning,
            stacklevel=2,
        )
        return math.nan, math.nan
    speed = -math.log1p(beta) / tau
    half_life = math.log(2.0) / speed if speed > 0 else math.inf
    return speed, half_life


@dataclass(frozen=True, eq=False)
class BetaResult:
    """Result of a β-convergence regression.

    Attributes
    ----------
    beta, se, t, pvalue, ci_low, ci_high : float
        Coefficient of ``ln U``, its standard error, t statistic, two-sided p-value and
        confidence interval at level ``1 − alpha``.
    n : int
        Observations in the regression.
    n_cities : int
        Cities (clusters) in the regression.
    r2 : float
        R² of the regression (including any fixed-effect dummies).
    tau : float
        Years per step: the year spacing for ``period="annual"``, ``T`` for ``"long"``.
    speed : float
        Convergence speed per year, ``−ln(1 + β_step)/τ``.
    half_life : float
        ``ln 2 / speed`` years (``inf`` without convergence).
    kind, period, fixed_effects, cov_type : str or None
        The specification.
    alpha : float
        Significance level of the verdict and the confidence interval.
    verdict : str
        ``"β-convergence"`` (β < 0, p < alpha), ``"β-divergence"`` (β > 0, p < alpha) or
        ``"no significant β-convergence"``.
    params, bse, pvalues : pandas.Series
        Coefficients, standard errors and p-values of the constant, ``ln_U`` and the controls
        (fixed-effect dummies left out).
    results : statsmodels RegressionResults
        The fitted statsmodels model, for anything else.
    """

    beta: float
    se: float
    t: float
    pvalue: float
    ci_low: float
    ci_high: float
    n: int
    n_cities: int
    r2: float
    tau: float
    speed: float
    half_life: float
    kind: str
    period: str
    fixed_effects: str | None
    cov_type: str
    alpha: float
    verdict: str
    params: pd.Series
    bse: pd.Series
    pvalues: pd.Series
    results: Any = field(repr=False)

    def summary(self) -> pd.DataFrame:
        """One-column table (index ``item``, column ``value``) of the main results."""
        items = {
            "beta": self.beta,
            "se": self.se,
            "t": self.t,
            "p_value": self.pvalue,
            "ci_low": self.ci_low,
            "ci_high": self.ci_high,
            "n": self.n,
            "n_cities": self.n_cities,
            "r2": self.r2,
            "tau": self.tau,
            "speed": self.speed,
            "half_life": self.half_life,
            "kind": self.kind,
            "period": self.period,
            "fixed_effects": "none" if self.fixed_effects is None else self.fixed_effects,
            "cov_type": self.cov_type,
            "verdict": self.verdict,
        }
        index = pd.Index(list(items), name="item")
        return pd.Series(list(items.values()), index=index, dtype=object, name="value").to_frame()

    def coefficients(self) -> pd.DataFrame:
        """Coefficient table of the constant, ``ln_U`` and the controls (no dummies)."""
        conf = self.results.conf_int(alpha=self.alpha)
        names = list(self.params.index)
        return pd.DataFrame(
            {
                "coef": self.params,
                "se": self.bse,
                "t": self.results.tvalues[names],
                "p_value": self.pvalues,
                "ci_low": conf.loc[names, 0],
                "ci_high": conf.loc[names, 1],
            }
        )


_RESERVED = {"g", "ln_U", "const"}


def _controls_frame(controls: Any, what: str) -> pd.DataFrame:
    if isinstance(controls, pd.Series):
        controls = controls.to_frame(name="control" if controls.name is None else controls.name)
    if not isinstance(controls, pd.DataFrame):
        raise ConfigError(f"{what}: controls must be a DataFrame indexed by (city, year)")
    frame = _score_frame(controls, f"{what} controls")
    clash = sorted(set(frame.columns) & _RESERVED)
    if clash:
        raise ConfigError(f"{what}: control names {clash} are reserved; rename them")
    return frame


def _growth_table(col: pd.Series, period: str, what: str) -> tuple[pd.DataFrame, float]:
    """Regression table (columns ``g``, ``ln_U``, ``city``, ``year``) and the step τ in years.

    ``year`` is the start year of each growth step (the first year for ``period="long"``).
    """
    nonpos = col.to_numpy() <= 0
    if nonpos.any():
        raise _input_error(
            f"{what}: β convergence takes logarithms, so scores must be > 0; "
            f"{int(nonpos.sum())} are not",
            [f"city {c!r}, year {t!r}: value {v!r}" for (c, t), v in col[nonpos].items()],
            column=str(col.name),
        )
    _numeric_years(col.index, what)
    ln_u = np.log(col).unstack("year").sort_index(axis=1)
    years = ln_u.columns.to_numpy(dtype=np.float64)
    if years.size < 2:
        raise InputError(
            [Problem(message=f"only {years.size} year(s)", column=str(col.name))],
            f"{what}: β convergence needs at least two years",
        )
    if period == "long":
        tau = float(years[-1] - years[0])
        first, last = ln_u.columns[0], ln_u.columns[-1]
        both = ln_u[first].notna() & ln_u[last].notna()
        if not both.all():
            dropped = [str(c) for c in ln_u.index[~both.to_numpy()]]
            warnings.warn(
                f"{what}: {len(dropped)} city(ies) lack the first or last year and are left "
                f"out of the long-difference regression: {', '.join(dropped)}",
                DataWarning,
                stacklevel=3,
            )
        wide = ln_u[both]
        table = pd.DataFrame(
            {
                "g": (wide[last] - wide[first]) / tau,
                "ln_U": wide[first],
                "city": wide.index,
                "year": first,
            }
        )
        return table.reset_index(drop=True), tau
    steps = np.diff(years)
    if not np.allclose(steps, steps[0]):
        raise InputError(
            [Problem(message=f"years {list(ln_u.columns)} are not evenly spaced")],
            f"{what}: annual β convergence needs evenly spaced years (or use period='long')",
        )
    tau = float(steps[0])
    growth = ln_u.shift(-1, axis=1) - ln_u
    table = pd.DataFrame({"g": growth.stack(), "ln_U": ln_u.stack()}).dropna(subset=["g"])
    table["city"] = table.index.get_level_values("city")
    table["year"] = table.index.get_level_values("year")
    return table, tau


def beta_convergence(
    scores: pd.Series | pd.DataFrame,
    kind: Literal["absolute", "conditional"] = "absolute",
    controls: pd.DataFrame | None = None,
    fixed_effects: Literal["city", "two-way"] | None = None,
    cluster: Literal["city"] | None = "city",
    *,
    period: Literal["annual", "long"] = "annual",
    alpha: float = 0.05,
    nan_policy: NanPolicy = "raise",
) -> BetaResult:
    """β convergence: regression of score growth on the initial log score.

    Parameters
    ----------
    scores : pandas.Series or single-column pandas.DataFrame
        Positive scores indexed by (``city``, ``year``); years are evenly spaced numbers for
        ``period="annual"``.
    kind : {"absolute", "conditional"}, default "absolute"
        Absolute: growth on ``ln U`` only. Conditional: also ``controls`` and/or
        ``fixed_effects`` (at least one is required).
    controls : pandas.DataFrame, optional
        Control variables indexed by (``city``, ``year``), read at the start year of each
        growth step (the first year for ``period="long"``).
    fixed_effects : {None, "city", "two-way"}, default None
        City dummies ``C(city)``, or city and year dummies ``C(city) + C(year)``
        (``period="annual"`` only).
    cluster : {"city", None}, default "city"
        Cluster-robust standard errors by city (``cov_type="cluster"``, t with G − 1 df); with
        ``period="long"`` each city is one observation and heteroskedasticity-robust HC1
        errors are used. ``None``: classical OLS errors.
    period : {"annual", "long"}, default "annual"
        ``"annual"``: pooled growth over each step, ``g_it = ln(U_{i,t+τ}/U_it)`` on
        ``ln U_it``. ``"long"``: one cross-section, ``ln(U_iT/U_i0)/T`` on ``ln U_i0``.
    alpha : float, default 0.05
        Significance level for the verdict and the confidence interval.
    nan_policy : {"raise", "omit"}, default "raise"
        Missing scores raise :class:`InputError`, or are left out with a :class:`DataWarning`.

    Returns
    -------
    BetaResult
        β, its standard error and p-value, n, R², τ, the convergence speed
        ``s = −ln(1 + β_step)/τ`` and half-life ``ln 2 / s``; ``summary()`` gives a table.

    Raises
    ------
    InputError
        Bad index, duplicate rows, missing or non-positive scores, non-numeric or unevenly
        spaced years, missing controls, or too few observations.
    ConfigError
        Inconsistent specification (controls or fixed effects with ``kind="absolute"``, none with
        ``"conditional"``, fixed effects with ``period="long"``, several score columns,
        collinear regressors such as a time-invariant control with city fixed effects).

    Warns
    -----
    DataWarning
        Cities left out of a long-difference regression for lack of the first or last year.
    MethodWarning
        If ``β_step ≤ −1`` (speed undefined, reported as NaN).

    Notes
    -----
    Annual: ``ln(U_{i,t+τ}/U_it) = α + β ln U_it (+ γ'X_it + μ_i + η_t) + ε_it``, τ the year
    spacing, β_step = β. Long: ``ln(U_iT/U_i0)/T = α + β ln U_i0 (+ γ'X_i0) + ε_i``,
    τ = T and β_step = βT. ``β < 0`` means convergence; speed ``s = −ln(1 + β_step)/τ``,
    half-life ``ln 2 / s``. Fixed effects enter as dummies (first category dropped) in a
    statsmodels OLS. With city fixed effects and few years the within estimator of a dynamic
    equation is biased towards more convergence (Nickell 1981).

    References
    ----------
    Barro, R. J., & Sala-i-Martin, X. (1992). Convergence. Journal of Political Economy, 100(2),
    223-251.
    Nickell, S. (1981). Biases in dynamic models with fixed effects. Econometrica, 49(6),
    1417-1426.
    """
    what = "beta_convergence"
    if kind not in ("absolute", "conditional"):
        raise ConfigError(f"kind must be 'absolute' or 'conditional', got {kind!r}")
    if period not in ("annual", "long"):
        raise ConfigError(f"period must be 'annual' or 'long', got {period!r}")
    if fixed_effects not in (None, "city", "two-way"):
        raise ConfigError(f"fixed_effects must be None, 'city' or 'two-way', got {fixed_effects!r}")
    if cluster not in (None, "city"):
        raise ConfigError(f"cluster must be 'city' or None, got {cluster!r}")
    if not 0 < alpha < 1:
        raise ConfigError(f"alpha must lie in (0, 1), got {alpha!r}")
    if kind == "absolute" and (controls is not None or fixed_effects is not None):
        raise ConfigError(
            "absolute β convergence takes no controls or fixed effects; use kind='conditional'"
        )
    if kind == "conditional" and controls is None and fixed_effects is None:
        raise ConfigError("conditional β convergence needs controls and/or fixed_effects")
    if period == "long" and fixed_effects is not None:
        raise ConfigError(
            "fixed effects need repeated observations per city; period='long' has one each"
        )

    frame = _score_frame(scores, what)
    if frame.shape[1] != 1:
        raise ConfigError(f"{what}: pass one score column at a time, got {list(frame.columns)}")
    col = _drop_missing(frame.iloc[:, 0], nan_policy, what)
    table, tau = _growth_table(col, period, what)

    ctrl_names: list[str] = []
    if controls is not None:
        ctrl = _controls_frame(controls, what)
        ctrl_names = list(ctrl.columns)
        keys = pd.MultiIndex.from_arrays(
            [table["city"].to_numpy(), table["year"].to_numpy()], names=["city", "year"]
        )
        aligned = ctrl.reindex(keys)
        missing = aligned.isna().any(axis=1).to_numpy() | ~np.isfinite(aligned.to_numpy()).all(
            axis=1
        )
        if missing.any():
            raise _input_error(
                f"{what}: controls are missing for {int(missing.sum())} city-year(s)",
                [f"city {c!r}, year {t!r}: control value missing" for c, t in keys[missing]],
            )
        for name in ctrl_names:
            table[name] = aligned[name].to_numpy()

    X = pd.DataFrame({"const": 1.0, "ln_U": table["ln_U"].to_numpy()}, index=table.index)
    for name in ctrl_names:
        X[name] = table[name].to_numpy()
    if fixed_effects is not None:
        city_fe = pd.get_dummies(
            pd.Categorical(table["city"]), prefix="city", prefix_sep=":", drop_first=True
        ).astype(np.float64)
        city_fe.index = table.index
        X = pd.concat([X, city_fe], axis=1)
        if fixed_effects == "two-way":
            year_fe = pd.get_dummies(
                pd.Categorical(table["year"]), prefix="year", prefix_sep=":", drop_first=True
            ).astype(np.float64)
            year_fe.index = table.index
            X = pd.concat([X, year_fe], axis=1)

    n, k = X.shape
    if n <= k:
        raise InputError(
            [Problem(message=f"{n} observations for {k} coefficients")],
            f"{what}: too few observations for the regression",
        )
    if np.linalg.matrix_rank(X.to_numpy()) < k:
        raise ConfigError(
            f"{what}: the regressors are collinear (e.g. a control that does not vary within "
            "cities together with city fixed effects, or a constant control); drop one"
        )
    y = table["g"].to_numpy(dtype=np.float64)
    model = sm.OLS(y, X)
    if cluster == "city" and period == "annual":
        codes = pd.factorize(table["city"])[0]
        cov_type = "cluster"
        results = model.fit(cov_type="cluster", cov_kwds={"groups": codes}, use_t=True)
    elif cluster == "city":
        cov_type = "HC1"
        results = model.fit(cov_type="HC1", use_t=True)
    else:
        cov_type = "nonrobust"
        results = model.fit()

    beta = float(results.params["ln_U"])
    beta_step = beta * tau if period == "long" else beta
    speed, half_life = convergence_speed(beta_step, tau)
    p = float(results.pvalues["ln_U"])
    if p < alpha and beta < 0:
        verdict = "β-convergence"
    elif p < alpha and beta > 0:
        verdict = "β-divergence"
    else:
        verdict = "no significant β-convergence"
    conf = results.conf_int(alpha=alpha)
    keep = ["const", "ln_U", *ctrl_names]
    return BetaResult(
        beta=beta,
        se=float(results.bse["ln_U"]),
        t=float(results.tvalues["ln_U"]),
        pvalue=p,
        ci_low=float(conf.loc["ln_U", 0]),
        ci_high=float(conf.loc["ln_U", 1]),
        n=int(n),
        n_cities=int(pd.Series(table["city"]).nunique()),
        r2=float(results.rsquared),
        tau=tau,
        speed=speed,
        half_life=half_life,
        kind=kind,
        period=period,
        fixed_effects=fixed_effects,
        cov_type=cov_type,
        alpha=alpha,
        verdict=verdict,
        params=results.params[keep],
        bse=results.bse[keep],
        pvalues=results.pvalues[keep],
        results=results,
    )


def _iqr(x: np.ndarray) -> float:
    q75, q25 = np.percentile(x, [75, 25])  # R quantile type 7 = numpy's linear default
    return float(q75 - q25)


def bw_nrd0(x: np.ndarray) -> float:
    """R ``bw.nrd0``: ``0.9·min(s, IQR/1.34)·n^(−1/5)``; when that minimum is 0, ``s``, then
    ``|x_1|``, then 1 (R stats, src/library/stats/R/bandwidths.R)."""
    hi = float(np.std(x, ddof=1))
    lo = min(hi, _iqr(x) / 1.34) or hi or abs(float(x[0])) or 1.0
    return 0.9 * lo * x.size ** (-0.2)


def bw_nrd(x: np.ndarray) -> float:
    """R ``bw.nrd``: ``1.06·min(s, IQR/1.34)·n^(−1/5)`` (Scott 1992)."""
    return 1.06 * min(float(np.std(x, ddof=1)), _iqr(x) / 1.34) * x.size ** (-0.2)


#: Bandwidth rules computed here (the statsmodels rules are passed to statsmodels by name).
BANDWIDTH_RULES = {
    "nrd0": bw_nrd0,
    "nrd": bw_nrd,
    "scipy_scott": lambda x: float(np.std(x, ddof=1)) * x.size ** (-0.2),
    "scipy_silverman": lambda x: float(np.std(x, ddof=1)) * (x.size * 0.75) ** (-0.2),
}


def kernel_density(
    scores: pd.Series | pd.DataFrame,
    grid: Sequence[float] | np.ndarray | None = None,
    bw: str | float = "silverman",
    *,
    gridsize: int = 256,
    cut: float = 3.0,
    nan_policy: NanPolicy = "raise",
) -> pd.DataFrame:
    """Gaussian kernel density of the scores per year, on a grid shared by all years.

    Parameters
    ----------
    scores : pandas.Series or pandas.DataFrame
        Scores indexed by (``city``, ``year``); one score per column.
    grid : array_like, optional
        Points where the densities are evaluated (1-D, increasing). Default: ``gridsize``
        evenly spaced points from ``min − cut·h_max`` to ``max + cut·h_max`` over all years of
        a score column, ``h_max`` the largest bandwidth of that column's years.
    bw : str or float, default "silverman"
        Bandwidth rule by name, or a positive number. statsmodels'
        (:meth:`~statsmodels.nonparametric.kde.KDEUnivariate.fit`, IQR/1.349):
        ``"silverman"`` ``0.9·min(s, IQR/1.349)·N^(−1/5)``, ``"scott"``
        ``1.059·min(s, IQR/1.349)·N^(−1/5)``, ``"normal_reference"``. R's (IQR/1.34, see
        :data:`BANDWIDTH_RULES`): ``"nrd0"`` (``bw.nrd0``, the default of R ``density``)
        ``0.9·min(s, IQR/1.34)·N^(−1/5)``, ``"nrd"`` (``bw.nrd``) ``1.06·min(s, IQR/1.34)·
        N^(−1/5)``. SciPy's ``gaussian_kde`` factors: ``"scipy_scott"`` ``s·N^(−1/5)``,
        ``"scipy_silverman"`` ``s·(3N/4)^(−1/5)``. ``s`` is the sample SD.
    gridsize : int, default 256
        Number of grid points when ``grid`` is not given.
    cut : float, default 3.0
        Grid margin in bandwidths when ``grid`` is not given.
    nan_policy : {"raise", "omit"}, default "raise"
        Missing scores raise :class:`InputError`, or are left out with a :class:`DataWarning`.

    Returns
    -------
    pandas.DataFrame
        Tidy columns ``score``, ``year``, ``x``, ``density``, ``bandwidth``: one row per score,
        year and grid point.

    Raises
    ------
    InputError
        Bad index, duplicate rows, missing (with ``nan_policy="raise"``) or infinite scores, a
        year with fewer than 2 cities, or with a rule-of-thumb bandwidth a year where every
        city has the same score (bandwidth 0).
    ConfigError
        If ``grid``, ``bw``, ``gridsize`` or ``cut`` is invalid.

    Notes
    -----
    ``f(x) = (1/(N h)) Σ_i K((x − U_i)/h)`` with the Gaussian kernel ``K``. Silverman's rule
    (statsmodels): ``h = 0.9 · min(s, IQR/1.349) · N^(−1/5)``, ``s`` the sample standard
    deviation (``s`` alone when the IQR is 0).

    References
    ----------
    Silverman, B. W. (1986). Density Estimation for Statistics and Data Analysis. Chapman &
    Hall, section 3.4.2.
    """
    what = "kernel_density"
    if isinstance(bw, str):
        if bw not in ("silverman", "scott", "normal_reference", *BANDWIDTH_RULES):
            raise ConfigError(
                "bw must be 'silverman', 'scott', 'normal_reference', "
                f"{', '.join(repr(r) for r in BANDWIDTH_RULES)} or a number, got {bw!r}"
            )
    elif not (isinstance(bw, int | float) and math.isfinite(bw) and bw > 0):
        raise ConfigError(f"bw must be a positive number or a rule name, got {bw!r}")
    if grid is not None:
        points = np.asarray(grid, dtype=np.float64)
        if points.ndim != 1 or points.size < 2 or not np.all(np.isfinite(points)):
            raise ConfigError("grid must be a 1-D array of at least 2 finite points")
        if np.any(np.diff(points) <= 0):
            raise ConfigError("grid must be strictly increasing")
    else:
        if not (isinstance(gridsize, int) and gridsize >= 2):
            raise ConfigError(f"gridsize must be an integer ≥ 2, got {gridsize!r}")
        if not (math.isfinite(cut) and cut >= 0):
            raise ConfigError(f"cut must be a non-negative number, got {cut!r}")
    frame = _score_frame(scores, what)
    out = []
    for name in frame.columns:
        col = _drop_missing(frame[name], nan_policy, what)
        fits = []
        for year, part in col.groupby(level="year", sort=True):
            values = part.to_numpy()
            if values.size < 2:
                raise InputError(
                    [Problem(message=f"year {year!r}: {values.size} city", column=name)],
                    f"{what}: a kernel density needs at least 2 cities per year",
                )
            if isinstance(bw, str) and np.ptp(values) == 0:
                raise InputError(
                    [
                        Problem(
                            message=f"year {year!r}: every city scores {values[0]!r}", column=name
                        )
                    ],
                    f"{what}: bandwidth rule {bw!r} gives 0 when all scores are equal; pass a "
                    "numeric bw",
                )
            kde = KDEUnivariate(values)
            h = BANDWIDTH_RULES[bw](values) if isinstance(bw, str) and bw in BANDWIDTH_RULES else bw
            kde.fit(kernel="gau", bw=h, fft=True)
            fits.append((year, kde))
        if grid is None:
            h_max = max(float(kde.bw) for _, kde in fits)
            lo = float(col.min()) - cut * h_max
            hi = float(col.max()) + cut * h_max
            points = np.linspace(lo, hi, gridsize)
        for year, kde in fits:
            out.append(
                pd.DataFrame(
                    {
                        "score": name,
                        "year": year,
                        "x": points,
                        "density": np.asarray(kde.evaluate(points), dtype=np.float64),
                        "bandwidth": float(kde.bw),
                    }
                )
            )
    result = pd.concat(out, ignore_index=True)
    result["score"] = result["score"].astype("str")
    return result
