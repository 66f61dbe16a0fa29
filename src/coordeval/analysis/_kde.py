"""Kernel density of a score per year (Gaussian kernel; R's and statsmodels' bandwidth rules)."""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import pandas as pd

from coordeval.analysis._inputs import NanPolicy, _score_frame
from coordeval.analysis._problems import coded
from coordeval.analysis._sigma import _drop_missing
from coordeval.errors import ConfigError, InputError


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
    from statsmodels.nonparametric.kde import KDEUnivariate  # loaded on first use

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
                    [coded("kde_one_city", {"year": year, "n": values.size}, column=name)],
                    f"{what}: a kernel density needs at least 2 cities per year",
                )
            if isinstance(bw, str) and np.ptp(values) == 0:
                raise InputError(
                    [coded("kde_equal_scores", {"year": year, "value": values[0]}, column=name)],
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
