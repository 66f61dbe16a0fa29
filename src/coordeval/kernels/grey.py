"""Grey-system kernels: GM(1,1) and grey relational analysis (numpy only).

References
----------
Deng, J.-L. (1982). Control problems of grey systems. Systems & Control Letters 1(5),
288–294. 刘思峰 等 (2017). 灰色系统理论及其应用（第8版）. 科学出版社, ch. 7 (GM(1,1), level
ratio, posterior-error test).
"""

from __future__ import annotations

import numpy as np

#: Accuracy grades of the posterior-error test: (name, C at most, P at least).
GM_GRADES = (("good", 0.35, 0.95), ("qualified", 0.50, 0.80), ("barely", 0.65, 0.70))


def level_ratio(x0: np.ndarray) -> dict[str, object]:
    """Level ratios λ(k) = x⁰(k−1)/x⁰(k) and the admissible interval (e^(−2/(n+1)), e^(2/(n+1)))."""
    x0 = np.asarray(x0, dtype=np.float64)
    n = x0.size
    lam = x0[:-1] / x0[1:]
    lo, hi = np.exp(-2.0 / (n + 1)), np.exp(2.0 / (n + 1))
    return {"ratios": lam, "low": lo, "high": hi, "passed": bool(np.all((lam > lo) & (lam < hi)))}


def admissible_shift(x0: np.ndarray, step: float | None = None, max_steps: int = 10_000) -> float:
    """Smallest shift c (in steps of ``step``) with every level ratio of x⁰ + c admissible."""
    x0 = np.asarray(x0, dtype=np.float64)
    step = float(step or max(np.abs(x0).max(), 1e-12) * 0.01)
    c = np.arange(max_steps + 1) * step + max(0.0, -float(x0.min()) + step)
    X = x0[None, :] + c[:, None]
    lam = X[:, :-1] / X[:, 1:]
    n = x0.size
    ok = np.all((lam > np.exp(-2.0 / (n + 1))) & (lam < np.exp(2.0 / (n + 1))), axis=1)
    return float(c[np.argmax(ok)]) if ok.any() else float("nan")


def gm11(x0: np.ndarray, horizon: int = 0) -> dict[str, object]:
    """Fit GM(1,1) to the positive series ``x0`` and forecast ``horizon`` steps.

    Returns
    -------
    dict
        ``a`` (development coefficient), ``b`` (grey input), ``fitted`` (x̂⁰ for the n
        observations), ``forecast`` (the next ``horizon`` values), ``residual``,
        ``relative_error`` (|ε|/x⁰, the first is 0), ``C`` (posterior-error ratio S₂/S₁),
        ``P`` (small-error probability) and ``grade``.

    Notes
    -----
    x¹ = cumsum x⁰; z¹(k) = (x¹(k) + x¹(k−1))/2; [a, b]ᵀ by least squares of
    x⁰(k) = −a z¹(k) + b (k = 2..n); x̂¹(k+1) = (x⁰(1) − b/a)e^(−ak) + b/a; x̂⁰ by
    differencing. C = S₂/S₁ with population SDs of residuals and data;
    P = share of |ε(k) − ε̄| < 0.6745 S₁ (刘思峰 2017, ch. 7).
    """
    x0 = np.asarray(x0, dtype=np.float64)
    n = x0.size
    x1 = np.cumsum(x0)
    z1 = 0.5 * (x1[1:] + x1[:-1])
    B = np.column_stack([-z1, np.ones(n - 1)])
    a, b = np.linalg.lstsq(B, x0[1:], rcond=None)[0]
    k = np.arange(n + horizon)
    x1_hat = (x0[0] - b / a) * np.exp(-a * k) + b / a
    x0_hat = np.concatenate([[x0[0]], np.diff(x1_hat)])
    fitted = x0_hat[:n]
    resid = x0 - fitted
    S1 = x0.std()
    S2 = resid.std()
    C = float(S2 / S1) if S1 > 0 else float("nan")
    P = float(np.mean(np.abs(resid - resid.mean()) < 0.6745 * S1))
    grade = "unqualified"
    for name, c_max, p_min in GM_GRADES:
        if C <= c_max and P >= p_min:
            grade = name
            break
    return {
        "a": float(a),
        "b": float(b),
        "fitted": fitted,
        "forecast": x0_hat[n:],
        "residual": resid,
        "relative_error": np.abs(resid) / np.abs(x0),
        "C": C,
        "P": P,
        "grade": grade,
    }


def grey_relational(reference: np.ndarray, X: np.ndarray, rho: float = 0.5) -> np.ndarray:
    """Grey relational grades of the columns of ``X`` (n, m) to the ``reference`` series (n,).

    Notes
    -----
    ξ_i(k) = (Δmin + ρΔmax)/(Δ_i(k) + ρΔmax), Δ_i(k) = |x₀(k) − x_i(k)|, with Δmin and Δmax
    over all i and k; the grade is the mean of ξ over k. Series should be made dimensionless
    first (e.g. divided by their means).
    """
    D = np.abs(np.asarray(X, dtype=np.float64) - np.asarray(reference, dtype=np.float64)[:, None])
    dmin, dmax = D.min(), D.max()
    if dmax == 0:
        return np.ones(D.shape[1])
    xi = (dmin + rho * dmax) / (D + rho * dmax)
    return xi.mean(axis=0)
