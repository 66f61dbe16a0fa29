"""β convergence: growth of a score on its initial level (absolute or conditional, pooled or
with fixed effects), with the speed of convergence and the half-life."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np
import pandas as pd

from coordeval import _validation as V
from coordeval.analysis._inputs import NanPolicy, _score_frame
from coordeval.analysis._problems import coded, coded_error, warn_coded
from coordeval.analysis._sigma import _drop_missing, _numeric_years
from coordeval.errors import ConfigError, DataWarning, InputError, MethodWarning


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
        warn_coded(MethodWarning, "beta_below_minus_one", stacklevel=2, beta=beta)
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
        raise coded_error(
            f"{what}: β convergence takes logarithms, so scores must be > 0; "
            f"{int(nonpos.sum())} are not",
            "score_not_positive",
            ({"city": c, "year": t, "value": v} for (c, t), v in col[nonpos].items()),
            column=str(col.name),
        )
    _numeric_years(col.index, what)
    ln_u = np.log(col).unstack("year").sort_index(axis=1)
    years = ln_u.columns.to_numpy(dtype=np.float64)
    if years.size < 2:
        raise InputError(
            [coded("too_few_years", {"n": years.size}, column=str(col.name))],
            f"{what}: β convergence needs at least two years",
        )
    if period == "long":
        tau = float(years[-1] - years[0])
        first, last = ln_u.columns[0], ln_u.columns[-1]
        both = ln_u[first].notna() & ln_u[last].notna()
        if not both.all():
            dropped = [str(c) for c in ln_u.index[~both.to_numpy()]]
            warn_coded(
                DataWarning,
                "long_difference_cities_left_out",
                stacklevel=3,
                what=what,
                n=len(dropped),
                cities=", ".join(dropped),
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
            [coded("years_not_evenly_spaced", {"years": list(ln_u.columns)})],
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
    V.choice(kind, ("absolute", "conditional"), "kind")
    V.choice(period, ("annual", "long"), "period")
    V.choice(fixed_effects, (None, "city", "two-way"), "fixed_effects")
    V.choice(cluster, (None, "city"), "cluster")
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
            raise coded_error(
                f"{what}: controls are missing for {int(missing.sum())} city-year(s)",
                "control_missing",
                ({"city": c, "year": t} for c, t in keys[missing]),
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
            [coded("too_few_observations", {"n": n, "k": k})],
            f"{what}: too few observations for the regression",
        )
    if np.linalg.matrix_rank(X.to_numpy()) < k:
        raise ConfigError(
            f"{what}: the regressors are collinear (e.g. a control that does not vary within "
            "cities together with city fixed effects, or a constant control); drop one"
        )
    y = table["g"].to_numpy(dtype=np.float64)
    import statsmodels.api as sm  # loaded on first use (import time)

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
