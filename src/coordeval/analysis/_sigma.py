"""σ convergence: the yearly dispersion of every score and its trend."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
from scipy import stats

from coordeval.analysis._inputs import NanPolicy, _clean_column, _score_frame
from coordeval.analysis._problems import coded, coded_error, warn_coded
from coordeval.errors import ConfigError, DataWarning, InputError


def _drop_missing(col: pd.Series, nan_policy: NanPolicy, what: str) -> pd.Series:
    return _clean_column(col, nan_policy, what, nonnegative=False)


def _numeric_years(index: pd.MultiIndex, what: str) -> np.ndarray:
    years = index.get_level_values("year")
    if not pd.api.types.is_numeric_dtype(years):
        raise InputError(
            [coded("years_not_numbers", {"year": years[0]})],
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
            raise coded_error(
                f"{what}: the coefficient of variation needs a positive mean score",
                "mean_not_positive",
                ({"year": y, "mean": table.loc[y, "mean"]} for y in bad),
                column=name,
            )
        n_cities = col.index.get_level_values("city").nunique()
        if (table["n"] != n_cities).any():
            short = [str(y) for y in table.index[table["n"].to_numpy() != n_cities]]
            warn_coded(
                DataWarning,
                "unbalanced_sigma",
                stacklevel=2,
                what=what,
                column=name,
                years=", ".join(short),
                n_cities=n_cities,
            )
        table["cv"] = table["sd"] / table["mean"]
        measure = "cv"
        if log:
            nonpos = col[~(col.to_numpy() > 0)]
            if len(nonpos):
                raise coded_error(
                    f"{what}: σ on logs needs positive scores",
                    "log_score_not_positive",
                    ({"city": c, "year": t, "value": v} for (c, t), v in nonpos.items()),
                    column=name,
                )
            table["sd_log"] = np.log(col).groupby(level="year", sort=True).std(ddof=0)
            measure = "sd_log"
        if trend:
            if len(table) < 3:
                raise InputError(
                    [coded("too_few_years_of_data", {"n": len(table)}, column=name)],
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
