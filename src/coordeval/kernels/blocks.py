"""Blocked, mergeable column statistics and one-pass scoring for panels of any size.

A fit is a handful of column reductions, computed block by block (``BLOCK_BYTES`` of each work
array at a time, so temporaries stay in the processor cache and never grow with the data):

* :class:`RangeStats` — pass 1: ``n`` and the column minimum and maximum (NaN and ±inf
  propagate into them, so they double as the finiteness check);
* :class:`EntropyStats` — pass 2, once the bounds are known: ``Σ y`` and ``Σ y·ln y`` of
  ``y = z′ + shift`` with ``z′ = (x − origin)·scale``;
* :class:`MomentStats` — pass 2 for CRITIC and CV: mean and co-moment matrix.

Each has ``merge``: statistics of two row sets combine into those of their union, so the
same code fits a matrix in memory, the chunks of a file larger than memory, or the
partitions of a Dask DataFrame. Partial results are always merged in row order, so a
threaded or chunked fit gives the same numbers for the same chunking, and agrees with the
whole-array formulas to rounding (about 1e-15 relative).

:func:`score_arrays` scores rows in one pass: weighted sums ``z′ @ W`` and TOPSIS
distances to the ideal and anti-ideal points, counting values outside given bounds.

Blocks run on a small thread pool (NumPy releases the GIL inside its loops); results never
depend on the number of threads.
"""

from __future__ import annotations

import contextlib
import os
import threading
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any, TypeVar

import numpy as np
from scipy.special import xlogy

#: Bytes of one block of one work array (about a core's L2 cache; 8738 rows of 30 columns).
BLOCK_BYTES = 1 << 21
#: Inputs with at least this many values run BLAS single-threaded inside the block loops.
SERIAL_BLAS_SIZE = 1 << 20
_FOLD = 16
#: Upper bound on worker threads (``None``: the cores available to this process).
MAX_THREADS: int | None = None

T = TypeVar("T")


def available_threads() -> int:
    """Worker threads used by the block loops: the usable cores, capped by ``MAX_THREADS``."""
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not on Linux
        cores = os.cpu_count() or 1
    return max(1, min(cores, MAX_THREADS or cores))


def default_block_rows(m: int) -> int:
    """Rows per block for ``m`` float64 columns: ``BLOCK_BYTES / (8 m)``, at least 64."""
    return max(64, BLOCK_BYTES // (8 * max(m, 1)))


def row_blocks(n: int, block_rows: int) -> list[tuple[int, int]]:
    """Half-open row ranges ``(start, stop)`` covering ``0 … n`` in blocks of ``block_rows``.

    Raises
    ------
    ValueError
        If ``block_rows`` is not positive.
    """
    if block_rows < 1:
        raise ValueError(f"block_rows must be positive, got {block_rows}")
    return [(a, min(a + block_rows, n)) for a in range(0, n, block_rows)]


class Scratch:
    """Reusable work buffers of one worker thread (fresh arrays per block would page-fault)."""

    def __init__(self) -> None:
        self._flat: dict[str, np.ndarray] = {}

    def array(self, name: str, shape: tuple[int, int], order: str = "C") -> np.ndarray:
        """An uninitialised float64 array of ``shape`` backed by the buffer called ``name``."""
        need = shape[0] * shape[1]
        flat = self._flat.get(name)
        if flat is None or flat.size < need:
            flat = self._flat[name] = np.empty(need)
        return flat[:need].reshape(shape, order=order)


def map_blocks(
    func: Callable[[int, int, Scratch], T],
    n: int,
    block_rows: int | None = None,
    threads: int | None = None,
) -> list[T]:
    """``[func(start, stop, scratch) for each block]`` in row order, on up to ``threads`` threads.

    Parameters
    ----------
    func : callable
        Called with the half-open row range of one block and the worker's :class:`Scratch`;
        must be thread-safe (NumPy code writing only to its own rows and buffers is).
    n : int
        Number of rows.
    block_rows : int, optional
        Rows per block; default 8192.
    threads : int, optional
        Worker threads; default :func:`available_threads`. Small inputs run inline.

    Returns
    -------
    list
        The results in block order (independent of the number of threads).
    """
    blocks = row_blocks(n, 8192 if block_rows is None else block_rows)
    threads = available_threads() if threads is None else max(1, int(threads))
    if threads == 1 or len(blocks) < 2 * threads:
        scratch = Scratch()
        return [func(a, b, scratch) for a, b in blocks]
    local = threading.local()

    def run(ab: tuple[int, int]) -> T:
        scratch = getattr(local, "scratch", None)
        if scratch is None:
            scratch = local.scratch = Scratch()
        return func(ab[0], ab[1], scratch)

    with ThreadPoolExecutor(max_workers=threads) as pool:
        return list(pool.map(run, blocks))


def _merge_all(parts: Iterable[Any], empty: Any) -> Any:
    out = empty
    for p in parts:
        out = out.merge(p)
    return out


@dataclass(frozen=True)
class RangeStats:
    """Row count and column extremes (pass 1 of a fit).

    Attributes
    ----------
    n : int
        Number of rows seen.
    min, max : ndarray of shape (m,)
        Column minimum and maximum (``+inf``/``−inf`` when ``n = 0``; NaN when a column
        holds NaN).
    """

    n: int
    min: np.ndarray
    max: np.ndarray

    @classmethod
    def empty(cls, m: int) -> RangeStats:
        """The statistics of no rows (the identity of :meth:`merge`)."""
        return cls(0, np.full(m, np.inf), np.full(m, -np.inf))

    @classmethod
    def of(
        cls, X: np.ndarray, block_rows: int | None = None, threads: int | None = None
    ) -> RangeStats:
        """Statistics of the rows of ``X`` (n, m), read once in blocks.

        Parameters
        ----------
        X : ndarray of shape (n, m)
            Any memory order; float64 is read without a copy.
        block_rows, threads
            See :func:`map_blocks`.

        Returns
        -------
        RangeStats
        """
        X = _as_matrix(X)

        def part(a: int, b: int, scratch: Scratch) -> RangeStats:
            blk = X[a:b]
            return RangeStats(b - a, col_reduce(np.minimum, blk), col_reduce(np.maximum, blk))

        parts = map_blocks(part, X.shape[0], _rows(block_rows, X), threads)
        return _merge_all(parts, cls.empty(X.shape[1]))

    def merge(self, other: RangeStats) -> RangeStats:
        """Statistics of the union of both row sets (NaN propagates).

        Raises
        ------
        ValueError
            If the column counts differ.
        """
        _same_width(self.min, other.min)
        return RangeStats(
            self.n + other.n, np.minimum(self.min, other.min), np.maximum(self.max, other.max)
        )

    @property
    def finite(self) -> bool:
        """True when no value seen is NaN or infinite."""
        if self.n == 0:
            return True
        return bool(np.isfinite(self.min).all() and np.isfinite(self.max).all())


@dataclass(frozen=True)
class EntropyStats:
    """Entropy statistics ``n``, ``Σ y`` and ``Σ y·ln y`` (pass 2 of an entropy fit).

    ``y = (x − origin)·scale + shift`` is the shifted min-max value ``z′ + shift``; the entropy
    follows from the sums alone (:func:`coordeval.kernels.weights.entropy_from_sums`).

    Attributes
    ----------
    n : int
    s, s_ylny : ndarray of shape (m,)
        ``Σ y`` and ``Σ y ln y`` (``0·ln 0 = 0``).
    """

    n: int
    s: np.ndarray
    s_ylny: np.ndarray

    @classmethod
    def empty(cls, m: int) -> EntropyStats:
        """The statistics of no rows (the identity of :meth:`merge`)."""
        return cls(0, np.zeros(m), np.zeros(m))

    @classmethod
    def of(
        cls,
        X: np.ndarray,
        origin: np.ndarray,
        scale: np.ndarray,
        shift: float = 0.0,
        block_rows: int | None = None,
        threads: int | None = None,
    ) -> EntropyStats:
        """Statistics of ``y = (x − origin)·scale + shift`` over the rows of ``X``.

        Parameters
        ----------
        X : ndarray of shape (n, m)
            Raw values.
        origin, scale : ndarray of shape (m,)
            The min-max map (:func:`coordeval.kernels.normalize.minmax_params`).
        shift : float
            Non-negative shift added to z′.
        block_rows, threads
            See :func:`map_blocks`.

        Returns
        -------
        EntropyStats

        Raises
        ------
        ValueError
            If some ``y`` is negative (``y ln y`` is undefined there); callers check the
            bounds first with :func:`shifted_minimum`.

        Notes
        -----
        Per block: ``y = x − origin``, ``y *= scale``, ``y += shift`` (in place), ``Σ y``, then
        ``Σ y·ln y`` as ``einsum("ij,ij->j", y, ln y)`` — one temporary of one block.
        """
        X = _as_matrix(X)
        m = X.shape[1]
        origin = np.asarray(origin, dtype=np.float64)
        scale = np.asarray(scale, dtype=np.float64)
        order = _order(X)

        def part(a: int, b: int, scratch: Scratch) -> EntropyStats:
            y = np.subtract(X[a:b], origin, out=scratch.array("y", (b - a, m), order))
            y *= scale
            y += shift
            s = col_reduce(np.add, y)
            lny = scratch.array("lny", (b - a, m), order)
            with np.errstate(divide="ignore", invalid="ignore"):
                np.log(y, out=lny)
                sl = col_dot(y, lny)
            if not np.isfinite(sl).all():
                if (y < 0).any():
                    raise ValueError("entropy statistics need y = z′ + shift ≥ 0")
                sl = xlogy(y, y).sum(axis=0)
            return EntropyStats(b - a, s, sl)

        parts = map_blocks(part, X.shape[0], _rows(block_rows, X), threads)
        return _merge_all(parts, cls.empty(X.shape[1]))

    def merge(self, other: EntropyStats) -> EntropyStats:
        """Statistics of the union of both row sets."""
        _same_width(self.s, other.s)
        return EntropyStats(self.n + other.n, self.s + other.s, self.s_ylny + other.s_ylny)


@dataclass(frozen=True)
class MomentStats:
    """Row count, column means and co-moments (for CRITIC and CV weights).

    Attributes
    ----------
    n : int
    mean : ndarray of shape (m,)
    m2 : ndarray of shape (m, m) or (m,)
        ``Σ (v − mean)(v − mean)ᵀ`` (full) or its diagonal ``Σ (v − mean)²``.
    """

    n: int
    mean: np.ndarray
    m2: np.ndarray

    @classmethod
    def empty(cls, m: int, full: bool = True) -> MomentStats:
        """The statistics of no rows (the identity of :meth:`merge`)."""
        return cls(0, np.zeros(m), np.zeros((m, m) if full else m))

    @classmethod
    def of(
        cls,
        X: np.ndarray,
        origin: np.ndarray | None = None,
        scale: np.ndarray | None = None,
        full: bool = True,
        block_rows: int | None = None,
        threads: int | None = None,
    ) -> MomentStats:
        """Moments of ``v = (x − origin)·scale`` (or of ``x`` itself) over the rows of ``X``.

        Parameters
        ----------
        X : ndarray of shape (n, m)
        origin, scale : ndarray of shape (m,), optional
            A min-max map applied first (both or neither).
        full : bool
            Keep the whole co-moment matrix (CRITIC) or only its diagonal (CV).
        block_rows, threads
            See :func:`map_blocks`.

        Returns
        -------
        MomentStats

        Notes
        -----
        Blocks are combined with the pairwise update of Chan, Golub & LeVeque (1979):
        ``M2 = M2_a + M2_b + δδᵀ·n_a n_b / n`` with ``δ = mean_b − mean_a``.

        References
        ----------
        Chan, T. F., Golub, G. H., LeVeque, R. J. (1979). Updating formulae and a pairwise
        algorithm for computing sample variances. Stanford CS report STAN-CS-79-773.
        """
        X = _as_matrix(X)

        def part(a: int, b: int, scratch: Scratch) -> MomentStats:
            v = X[a:b]
            if origin is not None and scale is not None:
                v = np.subtract(v, origin)
                v *= scale
            mean = v.mean(axis=0)
            c = v - mean
            m2 = c.T @ c if full else np.einsum("ij,ij->j", c, c)
            return MomentStats(b - a, mean, m2)

        with _serial_blas(X.size):
            parts = map_blocks(part, X.shape[0], _rows(block_rows, X), threads)
        return _merge_all(parts, cls.empty(X.shape[1], full))

    def merge(self, other: MomentStats) -> MomentStats:
        """Statistics of the union of both row sets (Chan et al.'s pairwise update)."""
        _same_width(self.mean, other.mean)
        if other.n == 0:
            return self
        if self.n == 0:
            return other
        n = self.n + other.n
        delta = other.mean - self.mean
        mean = self.mean + delta * (other.n / n)
        f = self.n * other.n / n
        extra = np.outer(delta, delta) if self.m2.ndim == 2 else delta * delta
        return MomentStats(n, mean, self.m2 + other.m2 + extra * f)

    def cov(self, ddof: int = 1) -> np.ndarray:
        """Covariance matrix (or variances) ``M2 / (n − ddof)``.

        Raises
        ------
        ValueError
            If ``n ≤ ddof``.
        """
        if self.n <= ddof:
            raise ValueError(f"need more than {ddof} row(s), got {self.n}")
        return self.m2 / (self.n - ddof)


def shifted_minimum(
    stats: RangeStats, origin: np.ndarray, scale: np.ndarray, shift: float
) -> np.ndarray:
    """Exact column minimum of ``y = (x − origin)·scale + shift`` from the column extremes.

    Each floating-point step is monotone in ``x``, so the minimum is attained at ``min x``
    (``scale ≥ 0``) or ``max x`` (``scale < 0``) and equals the value computed there.
    """
    lo = (stats.min - origin) * scale + shift
    hi = (stats.max - origin) * scale + shift
    return np.minimum(lo, hi)


@dataclass(frozen=True)
class BlockScores:
    """Result of :func:`score_arrays`.

    Attributes
    ----------
    values : ndarray of shape (n, k + t)
        Weighted sums (first ``k`` columns) then TOPSIS closeness (last ``t`` columns).
    d_plus, d_minus : ndarray of shape (n, t) or None
        TOPSIS distances, when requested.
    n_outside : int
        Values outside ``[lo, hi]`` (0 when no bounds were given).
    finite : bool
        False when some input value is NaN or infinite (the outputs are then not valid).
    """

    values: np.ndarray
    d_plus: np.ndarray | None
    d_minus: np.ndarray | None
    n_outside: int
    finite: bool


def score_arrays(
    X: np.ndarray,
    origin: np.ndarray,
    scale: np.ndarray,
    sum_weights: np.ndarray,
    topsis_factors: np.ndarray,
    ideal: np.ndarray | None = None,
    anti: np.ndarray | None = None,
    *,
    lo: np.ndarray | None = None,
    hi: np.ndarray | None = None,
    clip: bool = False,
    distances: bool = False,
    block_rows: int | None = None,
    threads: int | None = None,
) -> BlockScores:
    """Normalise and score rows in one pass: weighted sums and TOPSIS closeness.

    Parameters
    ----------
    X : ndarray of shape (n, m)
        Raw values (any memory order).
    origin, scale : ndarray of shape (m,)
        The min-max map ``z′ = (x − origin)·scale``.
    sum_weights : ndarray of shape (m, k)
        One column of weights per weighted-sum output ``Σ_j w_j z′_j`` (k may be 0).
    topsis_factors : ndarray of shape (m, t)
        One column per TOPSIS output: the factor ``f_j`` of each squared difference, ``w_j²``
        when weights are multiplied into the matrix and ``w_j`` when they weight the distance;
        0 for indicators outside that output (t may be 0).
    ideal, anti : ndarray of shape (m,), optional
        Ideal and anti-ideal points in z′ units; default 1 and 0 (the fitted bounds).
    lo, hi : ndarray of shape (m,), optional
        Count the values of ``X`` outside ``[lo, hi]``.
    clip : bool
        Clip z′ to [0, 1] before scoring.
    distances : bool
        Also return ``d_plus`` and ``d_minus``.
    block_rows, threads
        See :func:`map_blocks`.

    Returns
    -------
    BlockScores

    Notes
    -----
    ``D⁺ = √Σ_j f_j max(z⁺_j − z′_j, 0)²``, ``D⁻ = √Σ_j f_j max(z′_j − z⁻_j, 0)²``,
    ``C = D⁻/(D⁺ + D⁻)`` (``C = 0.5`` when both are 0). Inside ``[z⁻, z⁺]`` this is the
    textbook distance of :func:`coordeval.kernels.topsis.topsis_arrays`; a value scored beyond
    the fitted bounds (``out_of_range="extend"``) adds nothing to the distance from the point
    it has passed, so the composite never falls when an indicator improves (with the plain
    distance a value above the fitted maximum would move away from the ideal point). The
    squared differences are formed explicitly (never expanded as ``Σ f z² − 2 Σ f z z⁺ + …``,
    which cancels catastrophically near the ideal point). Per block the temporaries are z′
    and one squared-difference array.
    """
    X = _as_matrix(X)
    n, m = X.shape
    order = "F"  # column-major work arrays: per-column scale and row sums run fastest
    origin = np.asarray(origin, dtype=np.float64)
    scale = np.asarray(scale, dtype=np.float64)
    W = np.asarray(sum_weights, dtype=np.float64).reshape(m, -1)
    F = np.asarray(topsis_factors, dtype=np.float64).reshape(m, -1)
    ideal = np.ones(m) if ideal is None else np.asarray(ideal, dtype=np.float64)
    anti = np.zeros(m) if anti is None else np.asarray(anti, dtype=np.float64)
    k, t = W.shape[1], F.shape[1]
    if np.any(F < 0):
        raise ValueError("TOPSIS factors must be non-negative")
    sums = [(sl, np.ascontiguousarray(W[sl, c])) for c, sl in enumerate(_supports(W))]
    dists = []
    for c, sl in enumerate(_supports(F)):
        root = np.sqrt(F[sl, c])
        dists.append((sl, root, anti[sl] * root, ideal[sl] * root))
    values = np.empty((n, k + t), order="F")
    dp_all = np.empty((n, t), order="F")
    dm_all = np.empty((n, t), order="F")
    check = lo is not None and hi is not None

    def part(a: int, b: int, scratch: Scratch) -> tuple[int, bool]:
        blk = X[a:b]
        outside, finite = 0, True
        if check:
            bmin, bmax = col_reduce(np.minimum, blk), col_reduce(np.maximum, blk)
            finite = bool(np.isfinite(bmin).all() and np.isfinite(bmax).all())
            if (bmin < lo).any() or (bmax > hi).any():
                outside = int(np.count_nonzero((blk < lo) | (blk > hi)))
        z = np.subtract(blk, origin, out=scratch.array("z", (b - a, m), order))
        z *= scale
        if clip:
            np.clip(z, 0.0, 1.0, out=z)
        for c, (sl, w) in enumerate(sums):
            np.dot(z[:, sl], w, out=values[a:b, c])
        for c, (sl, root, anti_r, ideal_r) in enumerate(dists):
            last = c == t - 1
            width = sl.stop - sl.start
            u = z[:, sl] if last else scratch.array("u", (b - a, width), order)
            np.multiply(z[:, sl], root, out=u)
            v = np.subtract(u, anti_r, out=scratch.array("v", (b - a, width), order))
            np.maximum(v, 0.0, out=v)  # beyond the anti-ideal point: distance 0
            np.einsum("ij,ij->i", v, v, out=dm_all[a:b, c])
            u -= ideal_r
            np.minimum(u, 0.0, out=u)  # beyond the ideal point: distance 0
            np.einsum("ij,ij->i", u, u, out=dp_all[a:b, c])
        return outside, finite

    with _serial_blas(n * m):
        flags = map_blocks(part, n, _rows(block_rows, X), threads)
    np.sqrt(dp_all, out=dp_all)
    np.sqrt(dm_all, out=dm_all)
    if t:
        tot = dp_all + dm_all
        closeness = values[:, k:]
        closeness[...] = 0.5
        np.divide(dm_all, tot, out=closeness, where=tot > 0)
    n_out = sum(o for o, _ in flags)
    finite = all(f for _, f in flags) if check else bool(np.isfinite(values).all())
    if distances:
        return BlockScores(values, dp_all, dm_all, n_out, finite)
    return BlockScores(values, None, None, n_out, finite)


def _supports(W: np.ndarray) -> list[slice]:
    """Per column of ``W``, the smallest row slice holding all its non-zero entries."""
    out = []
    for c in range(W.shape[1]):
        nz = np.flatnonzero(W[:, c])
        out.append(slice(int(nz[0]), int(nz[-1]) + 1) if nz.size else slice(0, 0))
    return out


def col_reduce(ufunc: np.ufunc, A: np.ndarray) -> np.ndarray:
    """``ufunc.reduce(A, axis=0)``, fast for row-major blocks too.

    A C-contiguous ``(n, m)`` block is viewed as ``(n/16, 16·m)`` so that the inner loop runs
    over ``16·m`` contiguous values, then the 16 partial rows are reduced (NaN propagates
    through ``minimum``/``maximum`` as in ``A.min(axis=0)``; sums differ only in the order
    of addition).
    """
    n, m = A.shape
    if not A.flags.c_contiguous or n < 4 * _FOLD or m > 64:
        return ufunc.reduce(A, axis=0)
    h = n - n % _FOLD
    out = ufunc.reduce(ufunc.reduce(A[:h].reshape(h // _FOLD, _FOLD * m), axis=0).reshape(_FOLD, m))
    if h < n:
        out = ufunc(out, ufunc.reduce(A[h:], axis=0))
    return out


def col_dot(A: np.ndarray, B: np.ndarray) -> np.ndarray:
    """Column-wise dot products ``Σ_i A_ij B_ij`` (``einsum("ij,ij->j")``), folded like
    :func:`col_reduce` for row-major blocks."""
    n, m = A.shape
    if not (A.flags.c_contiguous and B.flags.c_contiguous) or n < 4 * _FOLD or m > 64:
        return np.einsum("ij,ij->j", A, B)
    h = n - n % _FOLD
    fa = A[:h].reshape(h // _FOLD, _FOLD * m)
    fb = B[:h].reshape(h // _FOLD, _FOLD * m)
    out = np.einsum("ij,ij->j", fa, fb).reshape(_FOLD, m).sum(axis=0)
    if h < n:
        out += np.einsum("ij,ij->j", A[h:], B[h:])
    return out


def _rows(block_rows: int | None, X: np.ndarray) -> int:
    return default_block_rows(X.shape[1]) if block_rows is None else block_rows


@contextlib.contextmanager
def _serial_blas(size: int) -> Iterator[None]:
    """Keep BLAS single-threaded inside the block loops (they bring their own threads);
    small inputs skip the switch, which costs a few milliseconds."""
    if size < SERIAL_BLAS_SIZE:
        yield
        return
    from threadpoolctl import threadpool_limits

    with threadpool_limits(limits=1, user_api="blas"):
        yield


def _order(X: np.ndarray) -> str:
    return "F" if X.flags.f_contiguous and not X.flags.c_contiguous else "C"


def _as_matrix(X: Any) -> np.ndarray:
    A = np.asarray(X, dtype=np.float64)
    if A.ndim != 2:
        raise ValueError(f"expected a 2-D array, got {A.ndim} dimension(s)")
    return A


def _same_width(a: np.ndarray, b: np.ndarray) -> None:
    if a.shape[0] != b.shape[0]:
        raise ValueError(f"cannot merge statistics of {a.shape[0]} and {b.shape[0]} columns")
