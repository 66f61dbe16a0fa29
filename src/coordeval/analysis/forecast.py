"""Forecasts of D (GM(1,1), ARIMA/ETS) and grey relational analysis.

GM(1,1) is fitted to every city's series and to the cluster mean; series shorter than
:data:`MIN_GM_YEARS` are reported as too short, never extrapolated. ARIMA(1,1,0) with drift
and Holt's linear-trend exponential smoothing (statsmodels) are added for series of at least
:data:`MIN_TS_YEARS` years.

References
----------
Deng (1982); 刘思峰 等 (2017) 灰色系统理论及其应用 ch. 7 (its example series
x⁰ = (2.874, 3.278, 3.337, 3.390, 3.679) gives a = −0.0372, b = 3.0654). Box, Jenkins & Reinsel;
Holt (1957); statsmodels ``ARIMA`` and ``ExponentialSmoothing``.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence

import numpy as np
import pandas as pd

from coordeval import _validation as V
from coordeval.analysis._problems import coded
from coordeval.errors import ConfigError, InputError
from coordeval.kernels import grey as K

__all__ = ["MIN_GM_YEARS", "MIN_TS_YEARS", "forecast_panel", "gm11_series", "grey_relational"]

MIN_GM_YEARS = 4
MIN_TS_YEARS = 10


def gm11_series(x: pd.Series, horizon: int = 0, *, shift: bool = True) -> dict[str, object]:
    """GM(1,1) of one positive series indexed by year.

    Parameters
    ----------
    x : Series
        At least :data:`MIN_GM_YEARS` consecutive values, indexed by year.
    horizon : int
        Steps to forecast after the last year.
    shift : bool
        If the level-ratio test fails, fit x + c with the smallest admissible c (stated in
        the result) and subtract c from the fitted and forecast values.

    Returns
    -------
    dict
        ``a``, ``b``, ``C``, ``P``, ``grade``, ``level_ratio_passed``, ``shift``,
        ``fitted`` (Series), ``forecast`` (Series indexed by the forecast years),
        ``relative_error`` (Series; relative to the modelled series x + c, so a shifted
        series with zeros has finite errors), ``mape`` (mean relative error of years 2..n, %).
    """
    x = x.dropna().sort_index().astype(np.float64)
    if len(x) < MIN_GM_YEARS:
        raise InputError([coded("gm11_too_few_years", {"min_years": MIN_GM_YEARS, "n": len(x)})])
    v = x.to_numpy()
    lr = K.level_ratio(v) if np.all(v > 0) else {"passed": False}
    c = 0.0
    if not lr["passed"]:
        if not shift:
            raise InputError([coded("level_ratio_failed")])
        c = K.admissible_shift(v)
        if not np.isfinite(c):
            raise InputError([coded("level_ratio_no_shift")])
    r = K.gm11(v + c, horizon)
    years = np.asarray(x.index, dtype=np.int64)
    future = years[-1] + np.arange(1, horizon + 1)
    rel = pd.Series(np.asarray(r["relative_error"]), index=x.index)
    return {
        "a": r["a"],
        "b": r["b"],
        "C": r["C"],
        "P": r["P"],
        "grade": r["grade"],
        "level_ratio_passed": bool(lr["passed"]),
        "shift": c,
        "fitted": pd.Series(r["fitted"] - c, index=x.index),
        "forecast": pd.Series(np.asarray(r["forecast"]) - c, index=future),
        "relative_error": rel,
        "mape": float(rel.iloc[1:].mean() * 100.0),
    }


def _ts_forecasts(x: pd.Series, horizon: int) -> dict[str, np.ndarray]:
    from statsmodels.tsa.arima.model import ARIMA
    from statsmodels.tsa.holtwinters import ExponentialSmoothing

    v = x.to_numpy(dtype=np.float64)
    out = {}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # convergence chatter of short series; results kept
        out["arima"] = np.asarray(ARIMA(v, order=(1, 1, 0), trend="t").fit().forecast(horizon))
        out["ets"] = np.asarray(
            ExponentialSmoothing(v, trend="add", initialization_method="estimated")
            .fit()
            .forecast(horizon)
        )
    return out


def forecast_panel(
    D: pd.Series,
    plan_years: Sequence[int] | None = None,
    *,
    horizon: int | None = None,
    time_series: str = "mean",
) -> pd.DataFrame:
    """Forecast D of every city and of the cluster mean to the plan years.

    Parameters
    ----------
    D : Series
        Indexed by (``city``, ``year``).
    plan_years : sequence of int, optional
        Years to forecast (default: the next 5 years after the last one).
    horizon : int, optional
        Alternative to ``plan_years``: steps after the last year.
    time_series : {"mean", "all", "none"}
        Which units also get ARIMA/ETS forecasts (statsmodels fits take ~0.1–0.3 s each):
        the cluster mean only (default), every city, or none.

    Returns
    -------
    DataFrame
        One row per unit (cities, then ``"cluster mean"``) and method (``GM(1,1)``,
        ``ARIMA(1,1,0)``, ``Holt ETS``): ``status`` (``"ok"`` or why not), GM diagnostics
        (``a``, ``b``, ``posterior_error_ratio`` C, ``small_error_probability`` P,
        ``accuracy`` grade, ``level_ratio_passed``, ``shift``, ``mape_pct``) and one column
        per plan year.
    """
    if list(D.index.names[:2]) != ["city", "year"]:
        raise InputError([coded("d_not_panel")])
    V.choice(time_series, ("mean", "all", "none"), "time_series")
    last = int(D.index.get_level_values("year").max())
    if plan_years is None:
        plan_years = list(range(last + 1, last + 1 + (horizon or 5)))
    plan = sorted(int(y) for y in plan_years)
    if not plan or plan[0] <= last:
        raise ConfigError(f"plan years must come after the last data year {last}")
    steps = plan[-1] - last
    wide = D.astype(np.float64).unstack("year").sort_index(axis=1)
    units = {str(c): wide.loc[c].dropna() for c in wide.index}
    units["cluster mean"] = wide.mean(axis=0)
    rows = []
    pick = np.asarray(plan) - last - 1
    for unit, s in units.items():
        years = np.asarray(s.index, dtype=np.int64)
        gaps = len(s) > 1 and np.any(np.diff(years) != 1)
        base = {"unit": unit, "years": len(s)}
        if len(s) < MIN_GM_YEARS or gaps:
            why = (
                f"series too short ({len(s)} years; GM(1,1) needs {MIN_GM_YEARS})"
                if not gaps
                else "years are not consecutive"
            )
            rows.append({**base, "method": "GM(1,1)", "status": why})
            continue
        r = gm11_series(s, steps)
        fc = np.asarray(r["forecast"])[pick]
        rows.append(
            {
                **base,
                "method": "GM(1,1)",
                "status": "ok",
                "a": r["a"],
                "b": r["b"],
                "posterior_error_ratio": r["C"],
                "small_error_probability": r["P"],
                "accuracy": r["grade"],
                "level_ratio_passed": r["level_ratio_passed"],
                "shift": r["shift"],
                "mape_pct": r["mape"],
                **{str(y): f for y, f in zip(plan, fc, strict=True)},
            }
        )
        if time_series == "none" or (time_series == "mean" and unit != "cluster mean"):
            continue
        if len(s) >= MIN_TS_YEARS:
            ts = _ts_forecasts(s, steps)
            for method, key in (("ARIMA(1,1,0) with drift", "arima"), ("Holt ETS", "ets")):
                rows.append(
                    {
                        **base,
                        "method": method,
                        "status": "ok",
                        **{str(y): f for y, f in zip(plan, ts[key][pick], strict=True)},
                    }
                )
        else:
            rows.append(
                {
                    **base,
                    "method": "ARIMA/ETS",
                    "status": f"series too short ({len(s)} years; needs {MIN_TS_YEARS})",
                }
            )
    return pd.DataFrame(rows)


def grey_relational(
    reference: pd.Series, X: pd.DataFrame, *, rho: float = 0.5, scale: str = "mean"
) -> pd.DataFrame:
    """Grey relational grades of each column of ``X`` to ``reference`` (aligned rows).

    Parameters
    ----------
    reference : Series
        The reference (mother) sequence, e.g. D over years or cities.
    X : DataFrame
        Comparison sequences, one per column, on the same index.
    rho : float
        Resolution coefficient in (0, 1], default 0.5.
    scale : {"mean", "initial", "none"}
        Dimensionless transform of every sequence before the comparison (divide by its
        mean or by its first value).

    Returns
    -------
    DataFrame
        ``factor``, ``relational_grade``, ``rank`` (1 = closest relation).
    """
    if not 0 < rho <= 1:
        raise ConfigError(f"rho must be in (0, 1], got {rho}")
    data = pd.concat([reference.rename("__ref__"), X], axis=1, join="inner").dropna()
    if len(data) < 2:
        raise InputError([coded("grey_too_few_rows")])
    A = data.to_numpy(dtype=np.float64)
    if V.choice(scale, ("mean", "initial", "none"), "scale") == "mean":
        A = A / A.mean(axis=0)
    elif scale == "initial":
        A = A / A[0]
    g = K.grey_relational(A[:, 0], A[:, 1:], rho)
    out = pd.DataFrame({"factor": list(X.columns), "relational_grade": g})
    out["rank"] = out["relational_grade"].rank(ascending=False, method="min").astype(int)
    return out
