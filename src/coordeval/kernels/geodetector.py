"""GeoDetector kernels (numpy/scipy only): q statistic, detectors and discretisation.

Conventions follow the R packages ``GD``/``gdverse``/``geodetector`` (Wang et al. 2010;
Wang, Zhang & Fu 2016): population variances, strata with a single observation removed
before q is computed, p of q from the non-central F distribution.

References
----------
Wang, J.-F., Li, X.-H., Christakos, G., Liao, Y.-L., Zhang, T., Gu, X. & Zheng, X.-Y. (2010).
Geographical detectors-based health risk assessment. IJGIS 24(1), 107–127.
Wang, J.-F., Zhang, T.-L. & Fu, B.-J. (2016). A measure of spatial stratified heterogeneity.
Ecological Indicators 67, 250–256. Song, Y., Wang, J., Ge, Y. & Xu, C. (2020). An optimal
parameters-based geographical detector model. GIScience & Remote Sensing 57(5), 593–610.
Fisher, W. D. (1958). On grouping for maximum homogeneity. JASA 53(284), 789–798.
"""

from __future__ import annotations

import numpy as np
from scipy import stats

from coordeval import _validation as V

#: Discretisation methods of :func:`breaks`.
DISCRETIZATIONS = ("equal", "quantile", "natural", "sd", "geometric")

#: Interaction types by name (Wang et al. 2010, Table 1).
INTERACTIONS = (
    "nonlinear-weaken",
    "uni-weaken",
    "bi-enhance",
    "independent",
    "nonlinear-enhance",
)


def _codes(x: np.ndarray) -> np.ndarray:
    return np.unique(np.asarray(x), return_inverse=True)[1].ravel()


def _keep_non_singletons(y: np.ndarray, h: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    counts = np.bincount(h)
    keep = counts[h] > 1
    return y[keep], _codes(h[keep])


def factor_q(y: np.ndarray, strata: np.ndarray) -> dict[str, float]:
    """q statistic of ``strata`` for ``y`` and its p-value (non-central F).

    Notes
    -----
    :math:`q = 1 - \\sum_h N_h\\sigma_h^2/(N\\sigma^2)`;
    :math:`F = \\frac{N-L}{L-1}\\frac{q}{1-q} \\sim F(L-1, N-L; \\lambda)`,
    :math:`\\lambda = [\\sum_h \\bar Y_h^2 - (\\sum_h \\sqrt{N_h}\\bar Y_h)^2/N]/\\sigma^2` with
    the population variance σ² (as R ``GD::gd``). Strata with one observation are dropped.
    """
    y = np.asarray(y, dtype=np.float64)
    y, h = _keep_non_singletons(y, _codes(strata))
    N = y.size
    L = int(h.max()) + 1 if N else 0
    if L < 2 or N <= L:  # fewer than two strata left, or no degrees of freedom within them
        return {"q": float("nan"), "p": float("nan"), "strata": float(L), "n": float(N)}
    counts = np.bincount(h, minlength=L).astype(np.float64)
    sums = np.bincount(h, weights=y, minlength=L)
    means = sums / counts
    sst = float(((y - y.mean()) ** 2).sum())
    ssw = float(((y - means[h]) ** 2).sum())
    if sst <= 0:
        return {"q": float("nan"), "p": float("nan"), "strata": float(L), "n": float(N)}
    q = 1.0 - ssw / sst
    var = sst / N
    lam = ((means**2).sum() - (np.sqrt(counts) * means).sum() ** 2 / N) / var
    Fv = (N - L) / (L - 1) * q / (1.0 - q) if q < 1 else np.inf
    p = float(stats.ncf.sf(Fv, L - 1, N - L, max(lam, 0.0)))
    return {"q": q, "p": p, "strata": float(L), "n": float(N)}


def interaction_type(q1: float, q2: float, q12: float, tol: float = 1e-12) -> str:
    """Name of the interaction of two factors from q(X1), q(X2) and q(X1 ∩ X2)."""
    lo, hi = min(q1, q2), max(q1, q2)
    if q12 < lo - tol:
        return INTERACTIONS[0]
    if q12 < hi - tol:
        return INTERACTIONS[1]
    if abs(q12 - (q1 + q2)) <= tol:
        return INTERACTIONS[3]
    if q12 > q1 + q2:
        return INTERACTIONS[4]
    return INTERACTIONS[2]


def combine(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Strata of the overlay X1 ∩ X2 (one code per observed pair)."""
    ca, cb = _codes(a), _codes(b)
    return _codes(ca * (int(cb.max()) + 1) + cb)


def risk_means(y: np.ndarray, strata: np.ndarray, alpha: float = 0.05) -> dict[str, np.ndarray]:
    """Stratum means and pairwise Welch t-tests (risk detector).

    Returns ``labels`` (sorted strata), ``n``, ``mean``, and (L, L) arrays ``t``, ``df``,
    ``p`` and ``significant`` (p < alpha; False when a stratum has fewer than two values).
    """
    y = np.asarray(y, dtype=np.float64)
    labels, h = np.unique(np.asarray(strata), return_inverse=True)
    h = h.ravel()
    L = labels.size
    n = np.bincount(h, minlength=L).astype(np.float64)
    mean = np.bincount(h, weights=y, minlength=L) / n
    ss = np.bincount(h, weights=(y - mean[h]) ** 2, minlength=L)
    var = np.divide(ss, n - 1, out=np.full(L, np.nan), where=n > 1)
    se2 = var / n
    s = se2[:, None] + se2[None, :]
    with np.errstate(invalid="ignore", divide="ignore"):
        t = (mean[:, None] - mean[None, :]) / np.sqrt(s)
        df = s**2 / ((se2**2 / (n - 1))[:, None] + (se2**2 / (n - 1))[None, :])
        p = 2.0 * stats.t.sf(np.abs(t), df)
    sig = np.nan_to_num(p, nan=1.0) < alpha
    return {"labels": labels, "n": n, "mean": mean, "t": t, "df": df, "p": p, "significant": sig}


def ecological_f(y: np.ndarray, s1: np.ndarray, s2: np.ndarray) -> dict[str, float]:
    """Ecological detector: F = [N1(N2−1)SSW1]/[N2(N1−1)SSW2], df (N1−1, N2−1), one-sided p.

    ``N1``, ``N2`` are the numbers of observations left after removing single-observation
    strata of each factor (as the q statistic); SSW = Σ_h N_h σ_h².
    """
    y = np.asarray(y, dtype=np.float64)
    out = []
    for s in (s1, s2):
        yy, h = _keep_non_singletons(y, _codes(s))
        means = np.bincount(h, weights=yy) / np.bincount(h)
        out.append((yy.size, float(((yy - means[h]) ** 2).sum())))
    (n1, w1), (n2, w2) = out
    F = n1 * (n2 - 1) * w1 / (n2 * (n1 - 1) * w2) if w2 > 0 else np.inf
    return {"F": float(F), "p": float(stats.f.sf(F, n1 - 1, n2 - 1))}


def fisher_jenks_all(x: np.ndarray, k_max: int, max_n: int = 1500) -> dict[int, np.ndarray]:
    """Upper bounds of the Fisher–Jenks classes of ``x`` for every class count 1..``k_max``.

    Exact dynamic programme over the sorted values (minimum within-class sum of squares),
    O(k·n²) time and O(n²) memory, vectorised over the split position; one run serves every
    class count. Above ``max_n`` values the programme runs on ``max_n`` evenly spaced order
    statistics (as mapclassify's ``FisherJenksSampled`` samples).
    """
    v = np.sort(np.asarray(x, dtype=np.float64))
    if v.size > max_n:
        v = v[np.linspace(0, v.size - 1, max_n).round().astype(np.int64)]
    n = v.size
    c1 = np.concatenate([[0.0], np.cumsum(v)])
    c2 = np.concatenate([[0.0], np.cumsum(v * v)])
    i = np.arange(n + 1)[:, None]
    j = np.arange(n + 1)[None, :]
    # within SS of v[i:j] (j exclusive); splits with i ≥ j are impossible
    S = (c2[j] - c2[i]) - (c1[j] - c1[i]) ** 2 / np.maximum(j - i, 1)
    S[i >= j] = np.inf
    cost = np.full((k_max + 1, n + 1), np.inf)
    arg = np.zeros((k_max + 1, n + 1), dtype=np.int64)
    cost[0, 0] = 0.0
    cols = np.arange(n + 1)
    for c in range(1, k_max + 1):
        # cost[c, j] = min_{i<j} cost[c-1, i] + S[i, j]
        total = cost[c - 1][:, None] + S
        arg[c] = np.argmin(total, axis=0)
        cost[c] = total[arg[c], cols]
    out = {}
    for k in range(1, min(k_max, n) + 1):
        ends = [n]
        for c in range(k, 0, -1):
            ends.append(int(arg[c, ends[-1]]))
        out[k] = v[np.array(ends[::-1][1:]) - 1]
    return out


def fisher_jenks_breaks(x: np.ndarray, k: int, max_n: int = 1500) -> np.ndarray:
    """Upper bounds of the ``k`` Fisher–Jenks classes of ``x`` (see :func:`fisher_jenks_all`)."""
    return fisher_jenks_all(x, k, max_n)[k]


def breaks(
    x: np.ndarray, method: str, k: int, natural: dict[int, np.ndarray] | None = None
) -> np.ndarray:
    """Upper class bounds (last = max) of ``k`` classes of ``x`` by ``method``.

    Methods: ``equal`` (equal intervals), ``quantile``, ``natural`` (Fisher–Jenks), ``sd``
    (intervals of one standard deviation centred on the mean, k classes), ``geometric``
    (class widths in geometric progression: bounds ``m + (M − m)·(r^i − 1)/(r^k − 1)`` with
    ``r`` = 2, i.e. each class twice as wide as the one below). ``natural`` may hold the
    Fisher–Jenks bounds by class count from :func:`fisher_jenks_all`.
    """
    V.choice(method, DISCRETIZATIONS, "discretisation method")
    x = np.asarray(x, dtype=np.float64)
    lo, hi = float(x.min()), float(x.max())
    i = np.arange(1, k + 1)
    if method == "equal":
        b = lo + (hi - lo) * i / k
    elif method == "quantile":
        b = np.quantile(x, i / k)
    elif method == "natural":
        b = (natural or {}).get(k)
        b = fisher_jenks_breaks(x, k) if b is None else b.copy()
    elif method == "sd":
        sd = float(x.std())
        b = x.mean() + sd * (i - k / 2.0)
    else:
        b = lo + (hi - lo) * (2.0**i - 1.0) / (2.0**k - 1.0)
    b[-1] = max(b[-1], hi)
    return b


def discretize(x: np.ndarray, bounds: np.ndarray) -> np.ndarray:
    """Class codes 0..k−1 of ``x`` given upper bounds (values above the last go to the last)."""
    codes = np.searchsorted(bounds, x, side="left")
    return np.minimum(codes, len(bounds) - 1)
