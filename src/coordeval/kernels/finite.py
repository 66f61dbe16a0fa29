"""Scale-safe arithmetic: exact power-of-two rescaling so that any finite double computes.

Min-max and vector normalisation, entropy proportions, CRITIC and CV weights and TOPSIS
closeness do not change when a column (or, for TOPSIS on raw values, the whole matrix) is
multiplied by a positive constant. Multiplying by a power of two is exact in binary floating
point (no rounding, unless a value falls below the subnormal range), so each kernel first
brings every column to a largest magnitude in ``[0.5, 1)``: then ``max − min ≤ 2``, sums of
``n`` values stay below ``2n`` and subnormal inputs become normal numbers. Results are the
same bits as without the rescaling whenever the unscaled arithmetic neither overflows nor
underflows, and finite where it would have.
"""

from __future__ import annotations

import numpy as np

__all__ = ["pow2_exponents", "unit_columns", "unit_matrix"]

_MAX_SHIFT = 1022  # 2**±1022 is a normal double, so the factor itself is representable


def pow2_exponents(peak: np.ndarray) -> np.ndarray:
    """Exponents ``e`` with ``peak · 2**−e`` in ``[0.5, 1)`` (0 where ``peak`` is 0)."""
    _, e = np.frexp(np.asarray(peak, dtype=np.float64))
    return np.where(np.asarray(peak) > 0, e, 0).astype(np.int64)


def unit_columns(A: np.ndarray) -> np.ndarray:
    """``A`` with each column divided by a power of two near its largest magnitude (exact).

    Parameters
    ----------
    A : ndarray of shape (n, m)
        Finite values.

    Returns
    -------
    ndarray of shape (n, m)
        A new array; each non-zero column has ``max |a| ∈ [0.5, 1)``.
    """
    A = np.asarray(A, dtype=np.float64)
    if A.size == 0:
        return A.copy()
    return np.ldexp(A, -pow2_exponents(np.abs(A).max(axis=0)))


def unit_matrix(A: np.ndarray) -> tuple[np.ndarray, int]:
    """``A · 2**−e`` with one exponent for the whole array, and ``e`` (to scale back).

    Parameters
    ----------
    A : ndarray
        Finite values.

    Returns
    -------
    (ndarray, int)
        The rescaled array (largest magnitude in ``[0.5, 1)``) and the exponent ``e``.
    """
    A = np.asarray(A, dtype=np.float64)
    if A.size == 0:
        return A.copy(), 0
    e = int(pow2_exponents(np.abs(A).max()))
    return np.ldexp(A, -e), e


def pow2_factors(peak: np.ndarray) -> np.ndarray:
    """Representable factors ``2**−e`` (``e`` clipped to ±1022) bringing ``peak`` near 1."""
    e = np.clip(pow2_exponents(peak), -_MAX_SHIFT, _MAX_SHIFT)
    return np.ldexp(1.0, -e)
