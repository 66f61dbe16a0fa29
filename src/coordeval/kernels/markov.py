"""Markov-chain kernels for distribution dynamics (numpy only).

Classes are integer codes ``0..k-1`` in an ``(n, T)`` array (units × periods); transitions are
counted between consecutive periods. Rows of classes never observed as an origin are NaN in
the probability matrix ("no observations"), never zeros.

References
----------
Rey, S. J. (2001). Spatial analysis of regional income inequality. Geographical Analysis
33(3), 195–214. Bickenbach, F. & Bode, E. (2003). Evaluating the Markov property in studies
of economic convergence. International Regional Science Review 26(3), 363–392. Kemeny, J. G.
& Snell, J. L. (1976). Finite Markov Chains. Springer.
"""

from __future__ import annotations

import numpy as np
from scipy import stats


def classify(values: np.ndarray, cutoffs: np.ndarray) -> np.ndarray:
    """Class codes: class c holds values in ``(cutoffs[c-1], cutoffs[c]]`` (upper bounds)."""
    return np.searchsorted(np.asarray(cutoffs, dtype=np.float64), values, side="left")


def quantile_cutoffs(values: np.ndarray, k: int) -> np.ndarray:
    """Upper class bounds of ``k`` quantile classes (the last one is +inf)."""
    q = np.quantile(np.asarray(values, dtype=np.float64), np.arange(1, k) / k)
    return np.append(q, np.inf)


def transition_counts(
    C: np.ndarray,
    k: int,
    regime: np.ndarray | None = None,
    valid: np.ndarray | None = None,
    r: int | None = None,
) -> np.ndarray:
    """Transition counts between consecutive columns of ``C`` (shape (n, T)).

    With ``regime`` (shape (n, T), codes ``0..r-1`` of the origin period) the counts are split
    by regime: shape (r, k, k); otherwise (k, k). ``valid`` (n, T) marks observed cells; a
    transition counts only when both of its periods are observed.
    """
    C = np.asarray(C)
    ok = np.ones(C.shape, dtype=bool) if valid is None else np.asarray(valid, dtype=bool)
    pair = (ok[:, :-1] & ok[:, 1:]).ravel()
    a, b = C[:, :-1].ravel()[pair], C[:, 1:].ravel()[pair]
    if regime is None:
        return np.bincount(a * k + b, minlength=k * k).reshape(k, k).astype(np.float64)
    reg = np.asarray(regime)[:, :-1].ravel()[pair]
    r = (int(reg.max()) + 1 if reg.size else 0) if r is None else r
    counts = np.bincount((reg * k + a) * k + b, minlength=r * k * k)
    return counts.reshape(r, k, k).astype(np.float64)


def probabilities(F: np.ndarray) -> np.ndarray:
    """Row-normalised transition probabilities; rows without observations are NaN."""
    F = np.asarray(F, dtype=np.float64)
    n = F.sum(axis=-1, keepdims=True)
    return np.divide(F, n, out=np.full_like(F, np.nan), where=n > 0)


def is_ergodic(P: np.ndarray) -> bool:
    """True when every row is observed and every class reaches every other (irreducible)."""
    if np.isnan(P).any():
        return False
    k = P.shape[0]
    R = (P > 0).astype(np.float64) + np.eye(k)
    reach = np.linalg.matrix_power(R, k) > 0
    return bool(reach.all())


def steady_state(P: np.ndarray) -> np.ndarray:
    """Stationary distribution π (πP = π, Σπ = 1) of an ergodic chain."""
    k = P.shape[0]
    A = np.vstack([P.T - np.eye(k), np.ones((1, k))])
    rhs = np.zeros(k + 1)
    rhs[-1] = 1.0
    return np.linalg.lstsq(A, rhs, rcond=None)[0]


def mean_first_passage(P: np.ndarray) -> np.ndarray:
    """Mean first passage times of an ergodic chain (diagonal: mean recurrence times 1/π_i).

    Notes
    -----
    Kemeny & Snell (1976): :math:`Z = (I - P + \\mathbf{1}\\pi^T)^{-1}`,
    :math:`m_{ij} = (z_{jj} - z_{ij})/\\pi_j`, :math:`m_{ii} = 1/\\pi_i` (as giddy's ``mfpt``).
    """
    k = P.shape[0]
    pi = steady_state(P)
    Z = np.linalg.inv(np.eye(k) - P + np.outer(np.ones(k), pi))
    M = (np.diag(Z)[None, :] - Z) / pi[None, :]
    M[np.diag_indices(k)] = 1.0 / pi
    return M


def homogeneity(F: np.ndarray) -> dict[str, float]:
    """Likelihood-ratio and Q tests that the regime matrices ``F`` (r, k, k) share one P.

    Notes
    -----
    Bickenbach & Bode (2003), as giddy's ``Homogeneity_Results``:
    :math:`Q = \\sum_l \\sum_i \\sum_j n_{l,i} (p_{l,ij} - p_{ij})^2 / p_{ij}`,
    :math:`LR = 2\\sum_l\\sum_i\\sum_j n_{l,ij}\\ln(p_{l,ij}/p_{ij})` over cells with
    :math:`n_{l,ij} > 0`, degrees of freedom :math:`\\sum_i (a_i - 1)(b_i - 1)` with a_i the
    number of regimes observing row i and b_i the number of non-zero entries of the pooled row i.
    """
    F = np.asarray(F, dtype=np.float64)
    T = F.sum(axis=0)
    n_i = T.sum(axis=1)
    p = np.divide(T, n_i[:, None], out=np.zeros_like(T), where=n_i[:, None] > 0)
    n_li = F.sum(axis=2)
    p_l = np.divide(F, n_li[:, :, None], out=np.zeros_like(F), where=n_li[:, :, None] > 0)
    den = np.where(p > 0, p, 1.0)
    Q = float((n_li[:, :, None] * (p_l - p) ** 2 / den).sum())
    mask = (F > 0) & (p > 0)
    LR = 2.0 * float((F * np.log(np.where(mask, p_l, 1.0) / np.where(mask, p, 1.0))).sum())
    a = (n_li > 0).sum(axis=0)
    b = (T > 0).sum(axis=1)
    dof = int(((a - 1) * (b - 1)).clip(min=0).sum())
    out = {"Q": Q, "LR": LR, "dof": float(dof)}
    out["Q_p"] = float(stats.chi2.sf(Q, dof)) if dof > 0 else float("nan")
    out["LR_p"] = float(stats.chi2.sf(LR, dof)) if dof > 0 else float("nan")
    return out


def move_shares(F: np.ndarray) -> dict[str, float]:
    """Shares of upward, downward and staying transitions in the count matrix ``F`` (k, k)."""
    total = F.sum()
    up = np.triu(F, 1).sum()
    down = np.tril(F, -1).sum()
    if total == 0:
        return {"up": float("nan"), "stay": float("nan"), "down": float("nan"), "n": 0.0}
    return {
        "up": float(up / total),
        "stay": float(np.trace(F) / total),
        "down": float(down / total),
        "n": float(total),
    }
