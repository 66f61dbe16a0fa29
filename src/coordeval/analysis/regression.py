"""Influencing-factor regressions of a score: OLS with fixed effects and a two-limit Tobit.

Planners ask which factors move a city's coordination degree D (or any other score). Two
estimators are offered:

* :func:`factor_regression` — OLS of the score on user-chosen factor columns, optionally with
  city (one-way) or city and year (two-way) fixed effects entered as dummy variables, and
  cluster-robust standard errors by city;
* :class:`Tobit` / :func:`tobit` — a two-limit Tobit model for a score censored to an interval
  (D lives in [0, 1]), fitted by maximum likelihood with an analytic log-likelihood, score and
  Hessian on top of :class:`statsmodels.base.model.GenericLikelihoodModel`.

Panels are pandas objects indexed by a ``(city, year)`` MultiIndex.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np
import pandas as pd
import statsmodels.api as sm
from scipy.special import log_ndtr
from statsmodels.base.model import GenericLikelihoodModel, LikelihoodResultsWrapper

from coordeval import _validation as V
from coordeval.analysis._problems import coded, warn_coded
from coordeval.errors import DataWarning, InputError, MethodWarning, Problem

__all__ = ["RegressionResult", "Tobit", "factor_regression", "tobit"]

FixedEffects = Literal["city", "two-way"] | None

#: Fewer clusters than this make cluster-robust standard errors unreliable (Cameron & Miller 2015).
MIN_CLUSTERS = 10

_LOG_SQRT_2PI = 0.5 * np.log(2.0 * np.pi)


@dataclass(frozen=True)
class RegressionResult:
    """Result of :func:`factor_regression`.

    Attributes
    ----------
    table : pandas.DataFrame
        One row per reported term (``Intercept`` and the factors; fixed-effect dummies are left
        out) with columns ``term, coef, se, t, p, ci_low, ci_high``.
    n : int
        Number of observations used.
    r2 : float
        R² of the fitted OLS model (with the fixed-effect dummies, i.e. the LSDV R²).
    dependent : str
        Name of the dependent score.
    fixed_effects : {None, "city", "two-way"}
        Fixed effects included as dummies.
    cov_type : str
        ``"cluster"`` (cluster-robust by ``cluster``) or ``"nonrobust"``.
    cluster : str or None
        Index level the standard errors are clustered on.
    n_clusters : int or None
        Number of clusters.
    fit : statsmodels RegressionResults
        The full statsmodels result, including the dummy coefficients.
    """

    table: pd.DataFrame
    n: int
    r2: float
    dependent: str
    fixed_effects: str | None
    cov_type: str
    cluster: str | None
    n_clusters: int | None
    fit: Any = field(repr=False, compare=False)


def _dummies(values: pd.Index, prefix: str) -> pd.DataFrame:
    """Treatment-coded dummies of ``values`` (first sorted level dropped), float columns."""
    codes, levels = pd.factorize(values, sort=True)
    k = len(levels)
    eye = np.eye(k, dtype=np.float64)[codes][:, 1:]
    names = [f"{prefix}[T.{lev}]" for lev in levels[1:]]
    return pd.DataFrame(eye, columns=names)


def _missing_problems(frame: pd.DataFrame) -> list[Problem]:
    bad = frame.isna()
    rows, cols = np.nonzero(bad.to_numpy())
    return [
        coded(
            "regression_value_missing",
            cell=str(frame.index[r]),
            column=str(frame.columns[c]),
        )
        for r, c in zip(rows, cols, strict=True)
    ]


def factor_regression(
    y: pd.Series,
    factors: pd.DataFrame | pd.Series,
    fixed_effects: FixedEffects = None,
    cluster: str | None = "city",
    *,
    missing: Literal["raise", "drop"] = "raise",
    alpha: float = 0.05,
) -> RegressionResult:
    """OLS of a score on influencing factors, with optional fixed effects and clustered SE.

    Parameters
    ----------
    y : pandas.Series
        The score (e.g. the coupling coordination degree D), indexed by a ``(city, year)``
        MultiIndex (any index when neither fixed effects nor clustering are used).
    factors : pandas.DataFrame or pandas.Series
        Numeric factor columns on the same index. Rows are matched on the index.
    fixed_effects : {None, "city", "two-way"}
        ``"city"`` adds city dummies, ``"two-way"`` city and year dummies (treatment coding, the
        first sorted level is the reference, as ``C(city) + C(year)`` in a statsmodels formula).
    cluster : str or None, default "city"
        Index level to cluster standard errors on; ``None`` gives classical OLS standard errors.
    missing : {"raise", "drop"}
        What to do with rows that have a missing value (or that are missing from one of the two
        inputs): raise an :class:`~coordeval.errors.InputError` listing them, or drop them with a
        :class:`~coordeval.errors.MethodWarning` giving their number.
    alpha : float
        Significance level of the confidence intervals.

    Returns
    -------
    RegressionResult
        Coefficient table ``term, coef, se, t, p, ci_low, ci_high`` (intercept and factors),
        ``n``, ``r2`` and the statsmodels result in ``fit``.

    Raises
    ------
    InputError
        Missing values (with ``missing="raise"``), non-numeric factors, a rank-deficient design
        (a factor constant within cities under city fixed effects, duplicated factors), a
        missing index level, or fewer than two clusters.
    ValueError
        Unknown ``fixed_effects`` or ``missing`` option.

    Warns
    -----
    MethodWarning
        Fewer than 10 clusters (cluster-robust standard errors are then unreliable), or rows
        dropped for missing values.

    Notes
    -----
    The model is :math:`y_{it} = \\alpha + x_{it}'\\beta + \\mu_i + \\lambda_t +
    \\varepsilon_{it}` estimated by OLS with ``statsmodels.OLS`` on an explicit design matrix
    (intercept, city dummies, year dummies, factors). The cluster-robust covariance is
    statsmodels' ``cov_type="cluster"``:
    :math:`V = c\\,(X'X)^{-1} \\sum_g X_g' e_g e_g' X_g (X'X)^{-1}` with
    :math:`c = \\frac{G}{G-1}\\frac{N-1}{N-K}`, where K counts the dummies (as Stata's ``regress
    ..., vce(cluster city)`` with dummies; ``xtreg, fe`` counts them differently). Inference
    uses the t distribution with G − 1 degrees of freedom (``use_t=True``).

    References
    ----------
    Cameron, A. C., & Miller, D. L. (2015). A practitioner's guide to cluster-robust inference.
    Journal of Human Resources, 50(2), 317-372.
    """
    if fixed_effects not in (None, "city", "two-way"):
        raise ValueError(f"fixed_effects must be None, 'city' or 'two-way', got {fixed_effects!r}")
    if missing not in ("raise", "drop"):
        raise ValueError(f"missing must be 'raise' or 'drop', got {missing!r}")
    if not isinstance(y, pd.Series):
        raise InputError([coded("y_not_series")])
    if isinstance(factors, pd.Series):
        factors = factors.to_frame(factors.name if factors.name is not None else "x")
    if not isinstance(factors, pd.DataFrame) or factors.shape[1] == 0:
        raise InputError([coded("factors_not_frame")])
    dep = str(y.name) if y.name is not None else "y"
    names = [str(c) for c in factors.columns]
    if dep in names or len(set(names)) != len(names):
        raise InputError([coded("factor_names_clash")])
    non_numeric = [c for c in factors.columns if not pd.api.types.is_numeric_dtype(factors[c])]
    if non_numeric or not pd.api.types.is_numeric_dtype(y):
        raise InputError(
            [coded("regression_not_numeric", column=str(c)) for c in (non_numeric or [dep])]
        )
    needed = {"city"} if fixed_effects == "city" else set()
    if fixed_effects == "two-way":
        needed = {"city", "year"}
    if cluster is not None:
        needed.add(cluster)
    index_names = set(y.index.names) if y.index.names is not None else set()
    lacking = sorted(needed - index_names)
    if lacking:
        raise InputError([coded("index_level_missing", {"level": lv}) for lv in lacking])

    data = pd.concat([y.rename(dep), factors.set_axis(names, axis=1)], axis=1, join="outer")
    has_nan = data.isna().any(axis=1).to_numpy()
    if has_nan.any():
        if missing == "raise":
            raise InputError(
                _missing_problems(data),
                summary=f"{int(has_nan.sum())} row(s) with missing values in the regression data",
            )
        warn_coded(MethodWarning, "regression_rows_dropped", stacklevel=2, n=int(has_nan.sum()))
        data = data.loc[~has_nan]

    parts = [pd.DataFrame({"Intercept": np.ones(len(data))})]
    if fixed_effects in ("city", "two-way"):
        parts.append(_dummies(data.index.get_level_values("city"), "C(city)"))
    if fixed_effects == "two-way":
        parts.append(_dummies(data.index.get_level_values("year"), "C(year)"))
    parts.append(data[names].reset_index(drop=True).astype(np.float64))
    X = pd.concat(parts, axis=1)
    X.index = data.index
    endog = data[dep].astype(np.float64)

    rank = np.linalg.matrix_rank(X.to_numpy())
    if rank < X.shape[1]:
        base = X.drop(columns=names).to_numpy()
        bad = []
        for name in names:
            cand = np.column_stack([base, X[name].to_numpy()])
            if np.linalg.matrix_rank(cand) < cand.shape[1]:
                bad.append(name)
            else:
                base = cand
        raise InputError(
            [coded("factor_collinear", column=b) for b in bad],
            summary="the regression design is rank deficient",
        )

    if cluster is None:
        fit = sm.OLS(endog, X).fit()
        n_clusters = None
        cov_type = "nonrobust"
    else:
        groups, levels = pd.factorize(data.index.get_level_values(cluster))
        n_clusters = len(levels)
        if n_clusters < 2:
            raise InputError([coded("too_few_clusters", {"cluster": cluster})])
        if n_clusters < MIN_CLUSTERS:
            warn_coded(
                MethodWarning,
                "few_regression_clusters",
                stacklevel=2,
                n=n_clusters,
                cluster=cluster,
                min_clusters=MIN_CLUSTERS,
            )
        fit = sm.OLS(endog, X).fit(cov_type="cluster", cov_kwds={"groups": groups}, use_t=True)
        cov_type = "cluster"

    keep = ["Intercept", *names]
    ci = fit.conf_int(alpha=alpha)
    table = pd.DataFrame(
        {
            "term": pd.array(keep, dtype="string"),
            "coef": fit.params[keep].to_numpy(),
            "se": fit.bse[keep].to_numpy(),
            "t": fit.tvalues[keep].to_numpy(),
            "p": fit.pvalues[keep].to_numpy(),
            "ci_low": ci.loc[keep, 0].to_numpy(),
            "ci_high": ci.loc[keep, 1].to_numpy(),
        }
    )
    return RegressionResult(
        table=table,
        n=int(fit.nobs),
        r2=float(fit.rsquared),
        dependent=dep,
        fixed_effects=fixed_effects,
        cov_type=cov_type,
        cluster=cluster,
        n_clusters=n_clusters,
        fit=fit,
    )


class Tobit(GenericLikelihoodModel):
    """Two-limit Tobit model (censored normal regression) for a score bounded to [left, right].

    The latent score is :math:`y^*_i = x_i'\\beta + \\varepsilon_i`,
    :math:`\\varepsilon_i \\sim N(0, \\sigma^2)`, and the observed score is
    :math:`y_i = \\min(\\max(y^*_i, L), R)`. Observations with :math:`y_i \\le L` are
    censored below, with :math:`y_i \\ge R` censored above.

    Parameters
    ----------
    endog : array_like
        Observed score, every value within [left, right].
    exog : array_like
        Regressors (include a constant column yourself, or use :func:`tobit`).
    left, right : float or None
        Censoring limits; ``None`` or an infinite value means no censoring on that side.
    **kwds
        Passed to :class:`~statsmodels.base.model.GenericLikelihoodModel`.

    Notes
    -----
    Parameters are :math:`(\\beta, \\ln\\sigma)`; the last one is named ``log_sigma``. The
    log-likelihood per observation is

    .. math::

        \\ell_i = \\begin{cases}
        \\ln\\Phi\\big((L - x_i'\\beta)/\\sigma\\big) & y_i \\le L \\\\
        \\ln\\big(1 - \\Phi((R - x_i'\\beta)/\\sigma)\\big)
            = \\ln\\Phi\\big((x_i'\\beta - R)/\\sigma\\big) & y_i \\ge R \\\\
        \\ln\\phi\\big((y_i - x_i'\\beta)/\\sigma\\big) - \\ln\\sigma & \\text{otherwise}
        \\end{cases}

    with :math:`\\ln\\Phi` evaluated by :func:`scipy.special.log_ndtr` for accuracy in the
    tails. The score and the Hessian are analytic (inverse Mills ratio
    :math:`\\lambda(c) = \\phi(c)/\\Phi(c)`, :math:`\\lambda'(c) = -\\lambda(c)(c + \\lambda(c))`),
    so standard errors come from the exact observed information. Starting values are the OLS
    coefficients and the log of the OLS residual standard deviation. Panel random-effects Tobit
    (Stata ``xttobit``) is not provided.

    References
    ----------
    Tobin, J. (1958). Estimation of relationships for limited dependent variables.
    Econometrica, 26(1), 24-36.
    Rosett, R. N., & Nelson, F. D. (1975). Estimation of the two-limit probit regression model.
    Econometrica, 43(1), 141-146.
    """

    def __init__(
        self,
        endog: Any,
        exog: Any,
        left: float | None = 0.0,
        right: float | None = 1.0,
        **kwds: Any,
    ) -> None:
        lo = -np.inf if left is None else float(left)
        hi = np.inf if right is None else float(right)
        if not lo < hi:
            raise ValueError(f"left limit {lo} must be below right limit {hi}")
        super().__init__(endog, exog, extra_params_names=["log_sigma"], **kwds)
        self.left = lo
        self.right = hi
        y = np.asarray(self.endog, dtype=np.float64)
        if not np.all(np.isfinite(y)):
            raise ValueError("endog contains NaN or infinite values")
        if np.any(y < lo) or np.any(y > hi):
            raise ValueError(f"endog has values outside the censoring limits [{lo}, {hi}]")
        self._lower = y <= lo
        self._upper = y >= hi
        self._mid = ~(self._lower | self._upper)
        if not self._mid.any():
            raise ValueError("every observation is censored; the Tobit model is not identified")
        self.k_extra = 1
        self.df_resid = float(y.shape[0] - self.exog.shape[1] - 1)
        self.df_model = float(self.exog.shape[1] - 1)

    @property
    def start_params(self) -> np.ndarray:
        """OLS coefficients and log of the OLS residual standard deviation."""
        beta, *_ = np.linalg.lstsq(self.exog, self.endog, rcond=None)
        resid = self.endog - self.exog @ beta
        sd = float(np.sqrt(np.mean(resid**2)))
        return np.append(beta, np.log(sd if sd > 0 else 1.0))

    def _parts(self, params: np.ndarray) -> tuple[np.ndarray, float, np.ndarray]:
        params = np.asarray(params, dtype=np.float64)
        beta = params[:-1]
        sigma = float(np.exp(params[-1]))
        return beta, sigma, self.exog @ beta

    def _censored_index(self, xb: np.ndarray, sigma: float) -> tuple[np.ndarray, np.ndarray]:
        """Standardised limit ``c`` and sign ``s`` = ∂c/∂(x'β)·σ for censored rows."""
        cens = self._lower | self._upper
        c = np.where(self._lower[cens], self.left - xb[cens], xb[cens] - self.right) / sigma
        s = np.where(self._lower[cens], -1.0, 1.0)
        return c, s

    def loglikeobs(self, params: np.ndarray) -> np.ndarray:
        """Log-likelihood contribution of every observation (see the class Notes)."""
        _, sigma, xb = self._parts(params)
        ll = np.empty(xb.shape[0], dtype=np.float64)
        cens = ~self._mid
        c, _ = self._censored_index(xb, sigma)
        ll[cens] = log_ndtr(c)
        z = (self.endog[self._mid] - xb[self._mid]) / sigma
        ll[self._mid] = -_LOG_SQRT_2PI - 0.5 * z**2 - np.log(sigma)
        return ll

    def loglike(self, params: np.ndarray) -> float:
        """Total log-likelihood."""
        return float(self.loglikeobs(params).sum())

    def score_obs(self, params: np.ndarray, **kwds: Any) -> np.ndarray:
        """Analytic per-observation gradient with respect to ``(β, ln σ)``."""
        _, sigma, xb = self._parts(params)
        n = xb.shape[0]
        g_xb = np.empty(n)
        g_th = np.empty(n)
        z = (self.endog[self._mid] - xb[self._mid]) / sigma
        g_xb[self._mid] = z / sigma
        g_th[self._mid] = z**2 - 1.0
        cens = ~self._mid
        c, s = self._censored_index(xb, sigma)
        lam = _mills(c)
        g_xb[cens] = s * lam / sigma
        g_th[cens] = -lam * c
        return np.column_stack([self.exog * g_xb[:, None], g_th])

    def score(self, params: np.ndarray) -> np.ndarray:
        """Analytic gradient of the log-likelihood."""
        return self.score_obs(params).sum(axis=0)

    def hessian(self, params: np.ndarray) -> np.ndarray:
        """Analytic Hessian of the log-likelihood with respect to ``(β, ln σ)``."""
        _, sigma, xb = self._parts(params)
        n = xb.shape[0]
        w_bb = np.empty(n)
        w_bt = np.empty(n)
        w_tt = np.empty(n)
        z = (self.endog[self._mid] - xb[self._mid]) / sigma
        w_bb[self._mid] = -1.0 / sigma**2
        w_bt[self._mid] = -2.0 * z / sigma
        w_tt[self._mid] = -2.0 * z**2
        cens = ~self._mid
        c, s = self._censored_index(xb, sigma)
        lam = _mills(c)
        h = -lam * (c + lam)
        w_bb[cens] = h / sigma**2
        w_bt[cens] = -s * (h * c + lam) / sigma
        w_tt[cens] = h * c**2 + lam * c
        X = self.exog
        k = X.shape[1]
        H = np.empty((k + 1, k + 1))
        H[:k, :k] = (X * w_bb[:, None]).T @ X
        H[:k, k] = H[k, :k] = X.T @ w_bt
        H[k, k] = w_tt.sum()
        return H

    def fit(  # type: ignore[override]
        self,
        start_params: np.ndarray | None = None,
        method: str = "newton",
        maxiter: int = 200,
        disp: int | bool = 0,
        **kwargs: Any,
    ) -> Any:
        """Maximum-likelihood fit (Newton's method with the analytic Hessian by default).

        Parameters
        ----------
        start_params : array_like, optional
            Starting values; default :attr:`start_params` (OLS).
        method : str
            Optimiser passed to statsmodels (``"newton"``, ``"bfgs"``, ``"nm"``, …).
        maxiter : int
            Maximum number of iterations.
        disp : bool
            Print optimiser messages.
        **kwargs
            Passed to :meth:`GenericLikelihoodModel.fit`.

        Returns
        -------
        statsmodels LikelihoodResultsWrapper
            Wraps the GenericLikelihoodModelResults so that ``params`` and ``bse`` are labelled
            Series when the inputs are pandas objects; ``llf``, ``summary()``, …
        """
        if start_params is None:
            start_params = self.start_params
        res = super().fit(
            start_params=start_params, method=method, maxiter=maxiter, disp=disp, **kwargs
        )
        return LikelihoodResultsWrapper(res)


def _mills(c: np.ndarray) -> np.ndarray:
    """Inverse Mills ratio φ(c)/Φ(c), computed through logs for stability in the tails."""
    return np.exp(-_LOG_SQRT_2PI - 0.5 * c**2 - log_ndtr(c))


def tobit(
    y: Any,
    X: Any,
    left: float | None = 0.0,
    right: float | None = 1.0,
    *,
    add_constant: bool = True,
    beyond: Literal["error", "censor"] = "error",
    **fit_kwds: Any,
) -> Any:
    """Fit a two-limit Tobit model of a bounded score (by default D ∈ [0, 1]).

    Parameters
    ----------
    y : pandas.Series or array_like
        The score, every value within [left, right].
    X : pandas.DataFrame or array_like
        Explanatory factors.
    left, right : float or None, default 0.0 and 1.0
        Censoring limits; ``None`` for no censoring on that side.
    add_constant : bool, default True
        Prepend a ``const`` column unless ``X`` already has a constant column.
    beyond : {"error", "censor"}, default "error"
        Scores outside [left, right]: ``"error"`` lists them; ``"censor"`` treats a value
        ≤ left as censored at left and ≥ right as censored at right, as R's ``AER::tobit``
        (``Surv(ifelse(y <= left, left, y), y > left)``) and ``censReg`` do, with a
        :class:`~coordeval.errors.DataWarning` giving the count.
    **fit_kwds
        Passed to :meth:`Tobit.fit` (``method``, ``maxiter``, …).

    Returns
    -------
    statsmodels GenericLikelihoodModelResults
        ``params`` (β and ``log_sigma``), ``bse``, ``llf``, ``summary()``.

    Raises
    ------
    InputError
        Missing values, a score outside [left, right], or every observation censored.

    Warns
    -----
    MethodWarning
        The optimiser did not report convergence.

    Notes
    -----
    See :class:`Tobit` for the likelihood. σ is ``exp(params["log_sigma"])``.

    References
    ----------
    Tobin, J. (1958). Estimation of relationships for limited dependent variables.
    Econometrica, 26(1), 24-36.
    """
    if isinstance(X, pd.Series):
        X = X.to_frame()
    is_frame = isinstance(X, pd.DataFrame)
    Xa = X.to_numpy(dtype=np.float64) if is_frame else np.asarray(X, dtype=np.float64)
    if Xa.ndim == 1:
        Xa = Xa[:, None]
    ya = np.asarray(y, dtype=np.float64)
    if ya.ndim != 1 or Xa.shape[0] != ya.shape[0]:
        raise InputError([coded("y_x_rows_differ", {"n_y": ya.shape[0], "n_x": Xa.shape[0]})])
    problems = []
    if not np.all(np.isfinite(ya)):
        problems.append(coded("score_not_finite", column="y"))
    if not np.all(np.isfinite(Xa)):
        problems.append(coded("factors_not_finite"))
    lo = -np.inf if left is None else float(left)
    hi = np.inf if right is None else float(right)
    V.choice(beyond, ("error", "censor"), "beyond")
    outside = (ya < lo) | (ya > hi)
    if outside.any() and beyond == "error":
        problems.append(
            coded("outside_tobit_limits", {"n": int(outside.sum()), "lo": lo, "hi": hi})
        )
    if problems:
        raise InputError(problems, summary="cannot fit the Tobit model")
    if outside.any():
        warn_coded(
            DataWarning, "treated_as_censored", stacklevel=2, n=int(outside.sum()), lo=lo, hi=hi
        )
        ya = np.clip(ya, lo, hi)
    if is_frame:
        exog = X.astype(np.float64)
    else:
        exog = pd.DataFrame(Xa, columns=[f"x{j}" for j in range(Xa.shape[1])])
    endog = pd.Series(ya, index=exog.index, name=getattr(y, "name", None) or "y")
    if add_constant:
        const = np.ptp(exog.to_numpy(), axis=0) == 0
        if not const.any():
            exog = exog.copy()
            exog.insert(0, "const", 1.0)
    try:
        model = Tobit(endog, exog, left=left, right=right)
    except ValueError as err:
        raise InputError(
            [coded("tobit_not_estimable", {"reason": str(err)})],
            summary="cannot fit the Tobit model",
        ) from None
    res = model.fit(**fit_kwds)
    if not res.mle_retvals.get("converged", True):
        warn_coded(MethodWarning, "tobit_not_converged", stacklevel=2)
    return res
