"""Objective and subjective indicator weights: entropy, CRITIC, CV, AHP, and their combination.

Array kernels work on float64 arrays; the public functions take DataFrames or arrays and return
labelled Series. All weights are non-negative and sum to 1.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
import pandas as pd
from scipy.special import xlogy
from scipy.stats import kendalltau, rankdata

from coordeval import _validation as V
from coordeval.errors import (
    ConfigError,
    ConstantIndicatorWarning,
    InputError,
    MethodWarning,
    Problem,
)
from coordeval.kernels.finite import unit_columns, unit_matrix

#: Saaty's random consistency index RI for n = 1 … 15 (Saaty 1980, The Analytic Hierarchy Process).
SAATY_RI = (0.0, 0.0, 0.58, 0.90, 1.12, 1.24, 1.32, 1.41, 1.45, 1.49, 1.51, 1.48, 1.56, 1.57, 1.59)

#: Random-index tables by name, RI for n = 1, 2, 3, … (the entry for n is at position n − 1).
#:
#: * ``saaty1980`` (default): Saaty, T. L. (1980). The Analytic Hierarchy Process. McGraw-Hill.
#: * ``saaty2005``: Saaty, T. L. (2005). Theory and Applications of the Analytic Network
#:   Process. RWS Publications, p. 31 (AHPy's ``random_index="saaty"``).
#: * ``donegan_dodd``: Donegan, H. A., Dodd, F. J. (1991). A note on Saaty's random indexes.
#:   Mathematical and Computer Modelling 15(10):135–137 (AHPy's default ``"dd"``).
#: * ``tummala_ling``: Tummala, V. M. R., Ling, H. (1998). A note on the computation of the mean
#:   random consistency index of the AHP. Theory and Decision 44(3):221–230 (pymcdm's ``AHP``).
RANDOM_INDEX: dict[str, tuple[float, ...]] = {
    "saaty1980": SAATY_RI,
    "saaty2005": (
        0.0,
        0.0,
        0.52,
        0.89,
        1.11,
        1.25,
        1.35,
        1.40,
        1.45,
        1.49,
        1.52,
        1.54,
        1.56,
        1.58,
        1.59,
    ),
    "donegan_dodd": (
        0.0,
        0.0,
        0.4914,
        0.8286,
        1.0591,
        1.1797,
        1.2519,
        1.3171,
        1.3733,
        1.4055,
        1.4213,
        1.4497,
        1.4643,
        1.4822,
        1.4969,
        1.5078,
        1.5153,
        1.5262,
        1.5313,
        1.5371,
    ),
    "tummala_ling": (
        0.0,
        0.0,
        0.5799,
        0.8921,
        1.1159,
        1.2358,
        1.3322,
        1.3952,
        1.4537,
        1.4882,
        1.5117,
        1.5356,
        1.5571,
        1.5714,
        1.5831,
    ),
}
CORRELATIONS = ("pearson", "spearman", "kendall")


def column_sums(Z: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Column sums ``Σ y`` and ``Σ y·ln y`` (0·ln 0 = 0), the entropy method's statistics."""
    return Z.sum(axis=0), xlogy(Z, Z).sum(axis=0)


def entropy_from_sums(
    s: np.ndarray, s_ylny: np.ndarray, n: int, constant: np.ndarray | None = None
) -> np.ndarray:
    """Information entropy ``e_j`` from column sums.

    Uses ``Σ_i p_ij ln p_ij = (1/S_j)·Σ_i y_ij ln y_ij − ln S_j`` with ``p_ij = y_ij / S_j``, and
    ``e_j = −k Σ_i p_ij ln p_ij``, ``k = 1/ln n``. Columns flagged ``constant`` or with
    ``S_j = 0`` carry no information: ``e_j = 1``. The result is clipped to [0, 1] against
    rounding.

    Parameters
    ----------
    s, s_ylny : ndarray of shape (m,)
        ``Σ y`` and ``Σ y ln y`` per column over the ``n`` rows.
    n : int
        Number of rows (cities, or city-years for the pooled panel entropy).
    constant : ndarray of bool, optional
        Columns known to be constant.
    """
    if n < 2:
        raise ValueError("the entropy method needs at least two rows (k = 1/ln n)")
    safe = np.where(s > 0, s, 1.0)
    plnp = s_ylny / safe - np.log(safe)
    e = -plnp / np.log(n)
    dead = s <= 0
    if constant is not None:
        dead = dead | constant
    e = np.where(dead, 1.0, e)
    return np.clip(e, 0.0, 1.0)


def _constant_columns(A: np.ndarray) -> np.ndarray:
    return A.max(axis=0) - A.min(axis=0) <= 0


def _warn_constant(columns: list[str], const: np.ndarray) -> None:
    if const.any():
        names = [c for c, k in zip(columns, const, strict=True) if k]
        warnings.warn(
            ConstantIndicatorWarning(
                f"indicator(s) {names} do not vary: they carry no information and get weight 0",
                "constant_indicator_weight",
                {"names": names},
            ),
            stacklevel=3,
        )


def _normalise(d: np.ndarray, columns: list[str], what: str) -> np.ndarray:
    total = d.sum()
    if not np.isfinite(total) or total <= 0:
        raise ValueError(f"no indicator varies: {what} weights are undefined for {columns}")
    return d / total


def entropy_table(Z: Any) -> pd.DataFrame:
    """Entropy-weight table: information entropy e, divergence d = 1 − e and weight w.

    Parameters
    ----------
    Z : DataFrame or array-like of shape (n, m)
        Non-negative, already normalised values (e.g. min-max + shift). Rows are units
        (cities, or all city-years for the panel variant), columns indicators.

    Returns
    -------
    DataFrame
        Index = indicators, columns ``e`` (信息熵值), ``d`` (信息效用值) and ``w`` (权重系数).

    Raises
    ------
    InputError
        If ``Z`` is not a numeric table, has negative, missing or infinite values (coded
        problems naming the column and rows) or fewer than two rows.
    ValueError
        If no column varies.

    Warns
    -----
    ConstantIndicatorWarning
        For constant columns, which get ``e = 1``, ``d = 0``, ``w = 0``.

    Notes
    -----
    ``p_ij = z_ij / Σ_i z_ij``; ``e_j = −(1/ln n) Σ_i p_ij ln p_ij`` with 0·ln 0 = 0;
    ``d_j = 1 − e_j``; ``w_j = d_j / Σ_j d_j``.

    References
    ----------
    SPSSAU help "Entropy Method" (k = 1/ln m, d = 1 − e, w = d/Σd); 杨丽, 孙之淳 (2015), 经济问题
    (panel variant with k = 1/ln(rN)).
    """
    frame = V.table(Z)
    V.require_shape(frame, "entropy weights")
    A = V.finite_values(frame, "entropy weights")
    V.nonnegative(frame, A, "entropy weights")
    V.require_rows(frame, 2, "the entropy method")
    columns = [str(c) for c in frame.columns]
    A = unit_columns(A)  # proportions are scale-free; exact rescaling keeps sums finite
    const = _constant_columns(A)
    _warn_constant(columns, const)
    s, sl = column_sums(A)
    e = entropy_from_sums(s, sl, A.shape[0], const)
    d = 1.0 - e
    w = _normalise(d, columns, "entropy")
    return pd.DataFrame({"e": e, "d": d, "w": w}, index=frame.columns)


def entropy_weights(Z: Any) -> pd.Series:
    """Entropy weights (熵权法) of normalised, non-negative data; see :func:`entropy_table`.

    Parameters
    ----------
    Z : DataFrame or array-like of shape (n, m)
        Normalised non-negative values (e.g. min-max with a shift), at least two rows.

    Returns
    -------
    Series
        Weights indexed by indicator, summing to 1.
    """
    return entropy_table(Z)["w"].rename("weight")


def critic_weights(
    Z: Any, correlation: Literal["pearson", "spearman", "kendall"] = "pearson"
) -> pd.Series:
    """CRITIC weights (Diakoulaki, Mavrotas & Papayannakis 1995).

    ``C_j = σ_j Σ_k (1 − r_jk)``, ``w_j = C_j / Σ C``, with σ the sample SD (ddof = 1) of the
    normalised column and r the correlation named by ``correlation``. A constant column gets
    ``w = 0`` (its correlations are taken as 0) and a :class:`ConstantIndicatorWarning`.

    Parameters
    ----------
    Z : DataFrame or array-like of shape (n, m)
        Normalised values (e.g. min-max), at least two rows.
    correlation : {"pearson", "spearman", "kendall"}
        The conflict measure: Pearson (the paper's, default), Spearman's rank correlation
        (Pearson on average ranks) or Kendall's τ-b — the choices of scikit-criteria's
        ``CRITIC(correlation=...)``. The SD is that of the values in every case.

    Returns
    -------
    Series
        Weights indexed by indicator, summing to 1.

    References
    ----------
    Diakoulaki, D., Mavrotas, G., Papayannakis, L. (1995). Determining objective weights in
    multiple criteria problems: the CRITIC method. Computers & Operations Research 22(7):763–770.
    """
    V.choice(correlation, CORRELATIONS, "correlation")
    frame, A, columns, const = _checked_columns(Z, "CRITIC")
    sd = A.std(axis=0, ddof=1)
    r = correlation_matrix(A, correlation, const)
    c = _critic_information(sd, r, const, columns)
    return pd.Series(c / c.sum(), index=frame.columns, name="weight")


def _checked_columns(X: Any, what: str) -> tuple[pd.DataFrame, np.ndarray, list[str], np.ndarray]:
    """Frame, array, column names and constant-column mask of finite data with ≥ 2 rows
    (warning about constant columns)."""
    frame = V.table(X)
    V.require_shape(frame, what)
    A = V.finite_values(frame, what)
    V.require_rows(frame, 2, what)
    A = unit_matrix(A)[0]  # one exact factor for all columns: the ratios of σ_j are kept
    columns = [str(c) for c in frame.columns]
    const = _constant_columns(A)
    _warn_constant(columns, const)
    return frame, A, columns, const


def correlation_matrix(
    A: np.ndarray, correlation: str = "pearson", constant: np.ndarray | None = None
) -> np.ndarray:
    """Correlation matrix of the columns of ``A``: Pearson, Spearman (Pearson on average
    ranks) or Kendall's τ-b; entries involving a ``constant`` column are 0."""
    const = _constant_columns(A) if constant is None else constant
    if correlation == "kendall":
        m = A.shape[1]
        r = np.eye(m)
        for j, k in zip(*np.triu_indices(m, 1), strict=True):
            if not (const[j] or const[k]):
                r[j, k] = r[k, j] = kendalltau(A[:, j], A[:, k]).statistic
    elif correlation in ("pearson", "spearman"):
        B = rankdata(A, axis=0) if correlation == "spearman" else A
        sd = B.std(axis=0, ddof=1)
        centred = (B - B.mean(axis=0)) / np.where(sd > 0, sd, 1.0)
        r = centred.T @ centred / (A.shape[0] - 1)
    else:
        V.choice(correlation, CORRELATIONS, "correlation")
    r = np.clip(r, -1.0, 1.0)
    r[const, :] = 0.0
    r[:, const] = 0.0
    return r


def sd_weights(X: Any) -> pd.Series:
    """Standard-deviation weights (标准离差法): ``w_j = σ_j / Σ_k σ_k``.

    Apply to normalised data (e.g. min-max), as pymcdm's ``standard_deviation_weights``,
    scikit-criteria's ``StdWeighter`` and pyrepo-mcda's ``std_weighting`` do on the matrix they
    are given; the SD's degrees of freedom cancel in the ratio.

    Parameters
    ----------
    X : DataFrame or array-like of shape (n, m)
        Values (normalised, so that the SDs are comparable), at least two rows.

    Returns
    -------
    Series
        Weights indexed by indicator, summing to 1; a constant column gets 0 and a
        :class:`ConstantIndicatorWarning`.

    Raises
    ------
    InputError
        Not a numeric table, fewer than two rows, missing or infinite values.
    ValueError
        No column varies.

    References
    ----------
    Diakoulaki, D., Mavrotas, G., Papayannakis, L. (1995). Computers & Operations Research
    22(7):763–770 (the SD as contrast intensity); pymcdm ``weights.standard_deviation_weights``.
    """
    frame, A, columns, const = _checked_columns(X, "standard-deviation weights")
    sd = np.where(const, 0.0, A.std(axis=0, ddof=1))
    return pd.Series(_normalise(sd, columns, "SD"), index=frame.columns, name="weight")


def _critic_information(
    sd: np.ndarray, r: np.ndarray, const: np.ndarray, columns: list[str]
) -> np.ndarray:
    """``C_j = σ_j Σ_k (1 − r_jk)``, refusing a total that is zero or rounding noise.

    With every varying column perfectly correlated (``|r| = 1`` up to rounding) the conflict
    terms ``1 − r`` are rounding noise of order 1e-16 and the weights would be arbitrary.
    """
    if const.all():
        raise ValueError(f"no indicator varies: CRITIC weights are undefined for {columns}")
    c = sd * (1.0 - r).sum(axis=1)
    c[const] = 0.0
    scale = float(sd.max()) * len(sd)
    if not np.isfinite(c.sum()) or c.sum() <= 1e-12 * scale:
        raise ValueError(
            f"the indicators {columns} are constant or perfectly correlated: CRITIC has no "
            "conflict between them to weigh, so its weights are undefined"
        )
    return c


def cv_weights(X: Any) -> pd.Series:
    """Coefficient-of-variation weights (变异系数法): ``v_j = σ_j / |μ_j|``, ``w = v / Σ v``.

    σ is the sample SD (ddof = 1). Use raw positive data (ratio scale); a column with mean 0
    is an error.

    Parameters
    ----------
    X : DataFrame or array-like of shape (n, m)
        Raw values on a ratio scale, at least two rows.

    Returns
    -------
    Series
        Weights indexed by indicator, summing to 1; a constant column (max = min) gets
        exactly 0 and a :class:`ConstantIndicatorWarning`.

    Raises
    ------
    InputError
        Not a numeric table, fewer than two rows, missing or infinite values.
    ValueError
        A varying column with mean 0, or no column that varies.

    References
    ----------
    Standard formulation, e.g. SPSSAU help "变异系数法".
    """
    frame = V.table(X)
    V.require_shape(frame, "the CV method")
    A = V.finite_values(frame, "the CV method")
    V.require_rows(frame, 2, "the CV method")
    A = unit_columns(A)  # σ/|μ| is scale-free; exact rescaling keeps the sums finite
    mu = A.mean(axis=0)
    if np.any(mu == 0):
        bad = [c for c, m in zip(frame.columns, mu, strict=True) if m == 0]
        raise ValueError(f"column(s) {bad} have mean 0: the coefficient of variation is undefined")
    columns = [str(c) for c in frame.columns]
    const = _constant_columns(A)
    _warn_constant(columns, const)
    v = np.where(const, 0.0, A.std(axis=0, ddof=1) / np.abs(mu))
    return pd.Series(_normalise(v, columns, "CV"), index=frame.columns, name="weight")


@dataclass(frozen=True)
class AHPResult:
    """Result of :func:`ahp_weights`.

    Attributes
    ----------
    weights : Series
        Principal-eigenvector weights, summing to 1.
    lambda_max : float
        Principal eigenvalue.
    ci : float
        Consistency index ``(λ_max − n)/(n − 1)``.
    ri : float
        The random index for ``n`` from the table ``ri_table``.
    cr : float
        Consistency ratio ``CI/RI`` (0 for n ≤ 2); acceptable when ≤ 0.1.
    ri_table : str
        Name of the random-index table (a key of :data:`RANDOM_INDEX`, or ``"user"``).
    """

    weights: pd.Series
    lambda_max: float
    ci: float
    ri: float
    cr: float
    ri_table: str = "saaty1980"


def _random_index(random_index: Any, n: int) -> tuple[float, str]:
    """RI for an n × n matrix from a named table or user numbers (RI for n = 1, 2, …)."""
    if isinstance(random_index, str):
        V.choice(random_index, RANDOM_INDEX, "random_index")
        table, name = RANDOM_INDEX[random_index], random_index
    else:
        try:
            table = tuple(float(v) for v in random_index)
        except (TypeError, ValueError):
            table = (np.nan,)
        name = "user"
        if not all(np.isfinite(table)) or any(v < 0 for v in table):
            raise ConfigError(
                "random_index numbers must be finite and non-negative", "random_index_invalid"
            )
    if n > len(table):
        raise ConfigError(
            f"AHP random index {name!r} is known for n ≤ {len(table)}, got {n}",
            "random_index_too_short",
            {"name": name, "known": len(table), "n": n},
        )
    ri = table[n - 1]
    if n > 2 and ri <= 0:
        raise ConfigError(
            f"random index {name!r} for n = {n} must be positive, got {ri}",
            "random_index_not_positive",
            {"name": name, "n": n, "ri": ri},
        )
    return ri, name


def _pairwise_error(message: str, code: str, params: dict[str, Any] | None = None) -> InputError:
    return InputError(
        [Problem(message, code=code, params=params or {})], "AHP: bad pairwise matrix"
    )


def ahp_weights(pairwise: Any, random_index: Any = "saaty1980") -> AHPResult:
    """AHP weights from a reciprocal pairwise-comparison matrix (Saaty's 1–9 scale).

    Parameters
    ----------
    pairwise : DataFrame or array-like of shape (n, n)
        ``a_ij`` = importance of i over j; positive, ``a_ii = 1``, ``a_ji = 1/a_ij``.
    random_index : {"saaty1980", "saaty2005", "donegan_dodd", "tummala_ling"} or sequence
        The random-index table for ``CR = CI/RI`` (see :data:`RANDOM_INDEX`): Saaty (1980,
        default), Saaty (2005, AHPy's ``"saaty"``), Donegan & Dodd (1991, AHPy's default) or
        Tummala & Ling (1998, pymcdm); or the user's numbers, RI for n = 1, 2, 3, …. For 3 × 3
        matrices the tables differ by up to 18 %, which can flip the CR ≤ 0.1 verdict; the
        result names the table used.

    Returns
    -------
    AHPResult

    Raises
    ------
    InputError
        If the matrix is not square, positive and reciprocal (tolerance 1e-2 relative, as
        matrices are often typed with rounded fractions such as 0.33).
    ConfigError
        An unknown random-index table, user numbers that are not finite and non-negative, or
        ``n`` beyond the table (15 for Saaty and Tummala–Ling, 20 for Donegan–Dodd).

    Warns
    -----
    MethodWarning
        When CR > 0.1 (the judgements are inconsistent).

    References
    ----------
    Saaty, T. L. (1980). The Analytic Hierarchy Process. McGraw-Hill (RI table, CR ≤ 0.1);
    the other tables as in :data:`RANDOM_INDEX`.
    """
    frame = V.table(pairwise)
    A = frame.to_numpy(dtype=np.float64)
    n = A.shape[0]
    if A.shape[1] != n or n == 0:
        raise _pairwise_error(
            f"pairwise matrix must be square, got shape {A.shape}",
            "pairwise_not_square",
            {"shape": A.shape},
        )
    ri, ri_table = _random_index(random_index, n)
    if not np.all(np.isfinite(A)) or np.any(A <= 0):
        raise _pairwise_error("pairwise comparisons must be positive numbers", "pairwise_positive")
    if not np.allclose(A * A.T, 1.0, rtol=1e-2) or not np.allclose(np.diag(A), 1.0):
        raise _pairwise_error(
            "pairwise matrix must be reciprocal (a_ji = 1/a_ij, a_ii = 1)", "pairwise_reciprocal"
        )
    vals, vecs = np.linalg.eig(A)
    k = int(np.argmax(vals.real))
    lam = float(vals[k].real)
    v = np.abs(vecs[:, k].real)
    w = v / v.sum()
    ci = (lam - n) / (n - 1) if n > 2 else 0.0
    cr = ci / ri if ri > 0 else 0.0
    if cr > 0.1:
        warnings.warn(
            MethodWarning(
                f"AHP consistency ratio CR = {cr:.3f} > 0.1 (random index {ri_table}): revise "
                "the pairwise judgements",
                "ahp_inconsistent",
                {"cr": cr, "ri_table": ri_table},
            ),
            stacklevel=2,
        )
    labels = frame.index if isinstance(pairwise, pd.DataFrame) else range(n)
    return AHPResult(pd.Series(w, index=labels, name="weight"), lam, ci, ri, cr, ri_table)


def combine_weights(
    *ws: Any,
    method: Literal["multiplicative", "linear"] = "multiplicative",
    alpha: Any = None,
) -> pd.Series:
    """Combine several weight vectors (组合赋权), e.g. AHP (subjective) with entropy (objective).

    Parameters
    ----------
    *ws : Series or array-like
        Weight vectors over the same indicators (Series are aligned by label).
    method : {"multiplicative", "linear"}
        ``multiplicative``: ``w_j = Π_k w_kj / Σ_j Π_k w_kj`` (乘法合成归一化);
        ``linear``: ``w_j = Σ_k α_k w_kj`` with ``α`` summing to 1 (default equal).
    alpha : array-like, optional
        Coefficients of the linear combination.

    Returns
    -------
    Series
        Combined weights summing to 1.

    Raises
    ------
    ConfigError
        Fewer than two vectors, vectors over different indicators, negative or all-zero
        weights, an unknown ``method``, or combined weights that are all zero.
    """
    V.choice(method, ("multiplicative", "linear"), "combination method")
    if len(ws) < 2:
        raise ConfigError(
            "combine_weights needs at least two weight vectors", "combine_too_few", {"n": len(ws)}
        )
    series = [w if isinstance(w, pd.Series) else pd.Series(np.asarray(w, float)) for w in ws]
    index = series[0].index
    for s in series[1:]:
        if set(s.index) != set(index):
            raise ConfigError("weight vectors cover different indicators", "combine_misaligned")
    W = np.vstack([V.weights(s, list(index), "indicators", normalise=True) for s in series])
    if method == "multiplicative":
        comb = W.prod(axis=0)
    else:
        given = np.ones(len(ws)) if alpha is None else alpha
        a = V.weights(given, [str(i) for i in range(len(ws))], "weight vectors", normalise=True)
        comb = a @ W
    total = comb.sum()
    if not np.isfinite(total) or total <= 0:
        raise ConfigError(
            "the combined weights are all zero: no indicator has a positive weight in every "
            "vector (multiplicative synthesis needs a common support)",
            "combined_weights_zero",
        )
    return pd.Series(comb / total, index=index, name="weight")


def critic_from_cov(cov: np.ndarray, constant: np.ndarray) -> np.ndarray:
    """CRITIC weights from the sample covariance matrix of the normalised columns.

    The same formula as :func:`critic_weights`, from statistics that can be merged across
    chunks (:class:`coordeval.kernels.blocks.MomentStats`) instead of the data.

    Parameters
    ----------
    cov : ndarray of shape (m, m)
        Sample covariance (ddof = 1) of the normalised values.
    constant : ndarray of bool, shape (m,)
        Columns that do not vary: weight 0, correlations taken as 0.

    Returns
    -------
    ndarray of shape (m,)
        Weights summing to 1.

    Raises
    ------
    ValueError
        If every ``C_j`` is 0 (no column varies).

    Notes
    -----
    ``σ_j = √cov_jj``, ``r_jk = cov_jk / (σ_j σ_k)``, ``C_j = σ_j Σ_k (1 − r_jk)``,
    ``w_j = C_j / Σ C``.

    References
    ----------
    Diakoulaki, D., Mavrotas, G., Papayannakis, L. (1995). Determining objective weights in
    multiple criteria problems: the CRITIC method. Computers & Operations Research 22(7):763–770.
    """
    const = np.asarray(constant, dtype=bool)
    sd = np.sqrt(np.clip(np.diag(cov), 0.0, None))
    sd = np.where(const, 0.0, sd)
    safe = np.where(sd > 0, sd, 1.0)
    r = np.clip(cov / np.outer(safe, safe), -1.0, 1.0)
    r[const, :] = 0.0
    r[:, const] = 0.0
    c = _critic_information(sd, r, const, [str(j) for j in range(sd.size)])
    return c / c.sum()


def cv_from_moments(mean: np.ndarray, var: np.ndarray, constant: np.ndarray) -> np.ndarray:
    """Coefficient-of-variation weights from column means and sample variances.

    The formula of :func:`cv_weights` (``v_j = σ_j/|μ_j|``, ``w = v/Σv``) from mergeable
    statistics; constant columns get ``v = 0``.

    Parameters
    ----------
    mean, var : ndarray of shape (m,)
        Column means and sample variances (ddof = 1) of the raw values.
    constant : ndarray of bool, shape (m,)

    Returns
    -------
    ndarray of shape (m,)
        Weights summing to 1.

    Raises
    ------
    ValueError
        If a varying column has mean 0, or no column varies.

    References
    ----------
    Standard formulation, e.g. SPSSAU help "变异系数法".
    """
    const = np.asarray(constant, dtype=bool)
    zero = (mean == 0) & ~const
    if zero.any():
        raise ValueError(
            f"column(s) {np.flatnonzero(zero).tolist()} have mean 0: the coefficient of "
            "variation is undefined"
        )
    v = np.sqrt(np.clip(var, 0.0, None)) / np.abs(np.where(const, 1.0, mean))
    v = np.where(const, 0.0, v)
    return _normalise(v, [str(j) for j in range(v.size)], "CV")
