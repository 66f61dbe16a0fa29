"""Scoring with a fitted model: the scorer arrays, the out-of-range policy and one pass that
gives everything an assessment needs (:class:`Scoring`)."""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from coordeval._coded import coded
from coordeval.errors import DataWarning, InputError, Problem, render_message
from coordeval.kernels.blocks import BlockScores, score_arrays
from coordeval.kernels.normalize import minmax_params
from coordeval.model._coercion import (
    first_outside,
    nonfinite_error,
    overflow_error,
    panel_matrix,
)

if TYPE_CHECKING:
    from coordeval.model._estimator import CoordinationModel


@dataclass(frozen=True)
class Scorer:
    """A fitted model reduced to arrays: what scoring a block of rows needs (picklable)."""

    ids: list[str]
    origin: np.ndarray
    scale: np.ndarray
    sum_weights: np.ndarray
    topsis_factors: np.ndarray
    lo: np.ndarray
    hi: np.ndarray
    out_of_range: str
    names: list[str]

    def score(self, X: np.ndarray, distances: bool = False) -> BlockScores:
        """Scores of raw values ``X`` (rows × indicators in system order)."""
        return score_arrays(
            X,
            self.origin,
            self.scale,
            self.sum_weights,
            self.topsis_factors,
            lo=self.lo,
            hi=self.hi,
            clip=self.out_of_range == "clip",
            distances=distances,
        )

    def score_normalized(self, Z: np.ndarray, distances: bool = False) -> BlockScores:
        """Scores of values already normalised to z′ (no range check, no clipping)."""
        m = len(self.ids)
        return score_arrays(
            Z, np.zeros(m), np.ones(m), self.sum_weights, self.topsis_factors, distances=distances
        )

    def normalize(self, X: np.ndarray) -> np.ndarray:
        """z′ of raw values (clipped to [0, 1] under ``out_of_range="clip"``)."""
        Z = np.subtract(X, self.origin)  # the map of minmax_arrays, with the fitted origin
        Z *= self.scale
        Z += 0.0
        if self.out_of_range == "clip":
            np.clip(Z, 0.0, 1.0, out=Z)
        return Z


def scorer_of(model: CoordinationModel) -> Scorer:
    """The fitted state as the arrays of :func:`coordeval.kernels.blocks.score_arrays`."""
    system = model.system_
    conv = model.conventions_
    ids = system.indicator_ids
    lo, hi = model.lo_.to_numpy(), model.hi_.to_numpy()
    sign = np.array([1.0 if system.directions[i] == "+" else -1.0 for i in ids])
    origin, scale = minmax_params(lo, hi, sign)
    within = model.within_weights_.reindex(ids).to_numpy()
    w = model.weights_.reindex(ids).to_numpy()
    power = 2 if conv.topsis_weights_in == "matrix" else 1
    col = {i: k for k, i in enumerate(ids)}
    m, n_sub = len(ids), len(system.subsystems)
    if conv.scoring == "weighted_sum":
        W = np.zeros((m, n_sub))
        F = (w**power)[:, None]
    else:
        W = np.zeros((m, 0))
        F = np.zeros((m, n_sub + 1))
        F[:, n_sub] = w**power
    for k, sub in enumerate(system.subsystems):
        idx = [col[i.id] for i in sub.indicators]
        if W.shape[1]:
            W[idx, k] = within[idx]
        else:
            F[idx, k] = within[idx] ** power
    names = [*system.subsystem_ids, "composite"]
    return Scorer(ids, origin, scale, W, F, lo, hi, conv.out_of_range, names)


def outside_error(model: CoordinationModel, X: np.ndarray, index: pd.Index, n: int) -> InputError:
    """The located error of ``out_of_range="error"`` (the first 100 values listed)."""
    lo, hi = model.lo_.to_numpy(), model.hi_.to_numpy()
    rows, cols = first_outside(X, lo, hi, 100)
    ids = model.system_.indicator_ids
    return InputError(
        [
            coded(
                "value_outside_refused",
                column=ids[c],
                value=f"{X[r, c]:g}",
                lo=float(lo[c]),
                hi=float(hi[c]),
                row=repr(index[r]),
            )
            for r, c in zip(rows, cols, strict=True)
        ],
        f"{n} value(s) outside the fitted range",
    )


def warn_outside(model: CoordinationModel, n: int, stacklevel: int) -> None:
    """The one warning about ``n`` values outside the fitted bounds."""
    policy = model.conventions_.out_of_range
    warnings.warn(
        DataWarning(
            f"{n} value(s) lie outside the fitted range; out_of_range={policy!r} "
            "(see flag_out_of_range)",
            "outside_fitted_range",
            {"n": n, "policy": policy},
        ),
        stacklevel=stacklevel + 1,
    )


def handle_outside(
    model: CoordinationModel, X: np.ndarray, index: pd.Index, n: int, stacklevel: int
) -> None:
    """Raise (``out_of_range="error"``) or warn about ``n`` values outside the bounds."""
    if model.conventions_.out_of_range == "error":
        raise outside_error(model, X, index, n)
    warn_outside(model, n, stacklevel + 1)


def score_checked(
    model: CoordinationModel, X: np.ndarray, index: pd.Index, distances: bool = False
) -> BlockScores:
    """Scores of raw values with the range and finiteness checks of ``transform``."""
    ids = model.system_.indicator_ids
    with np.errstate(invalid="ignore", divide="ignore", over="ignore"):  # refused below
        res = scorer_of(model).score(X, distances)
    if not res.finite:
        raise nonfinite_error(X, index, ids)
    if not np.isfinite(res.values).all():
        raise overflow_error(X, index, ids, res.values)
    if res.n_outside:
        handle_outside(model, X, index, res.n_outside, stacklevel=5)
    return res


def composite_frame(res: BlockScores, index: pd.Index) -> pd.DataFrame:
    """``d_plus``, ``d_minus``, ``closeness`` and ``rank`` (within year) of the composite."""
    dp = res.d_plus if res.d_plus is not None else np.full((len(index), 1), np.nan)
    dm = res.d_minus if res.d_minus is not None else np.full((len(index), 1), np.nan)
    out = pd.DataFrame(
        {"d_plus": dp[:, -1], "d_minus": dm[:, -1], "closeness": res.values[:, -1]},
        index=index,
    )
    if isinstance(index, pd.MultiIndex) and "year" in index.names:
        rank = out.groupby(level="year")["closeness"].rank(method="min", ascending=False)
    else:
        rank = out["closeness"].rank(method="min", ascending=False)
    out["rank"] = rank.astype(np.int64)
    return out


def outside_flags(model: CoordinationModel, X: np.ndarray, index: pd.Index) -> pd.DataFrame:
    """Every (row, indicator) whose value lies outside the fitted bounds (see
    :meth:`~coordeval.model.CoordinationModel.flag_out_of_range`)."""
    lo, hi = model.lo_.to_numpy(), model.hi_.to_numpy()
    rows, cols = np.nonzero((X < lo) | (X > hi))
    ids = np.array(model.system_.indicator_ids, dtype=object)
    vals = X[rows, cols]
    return pd.DataFrame(
        {
            "row": list(index[rows]) if len(rows) else [],
            "indicator": ids[cols],
            "value": vals,
            "lo": lo[cols],
            "hi": hi[cols],
            "side": np.where(vals < lo[cols], "below", "above"),
        }
    )


def out_of_range_problems(flags: pd.DataFrame, policy: str) -> tuple[Problem, ...]:
    """One coded warning per flagged (city-year, indicator), as the assessment lists them."""
    out = []
    for r in flags.itertuples(index=False):
        params = {
            "city": r.row[0],
            "year": r.row[1],
            "value": r.value,
            "side": r.side,
            "lo": r.lo,
            "hi": r.hi,
            "policy": policy,
        }
        text = render_message("out_of_range", params, "out_of_range", "en")
        out.append(
            Problem(
                text, column=r.indicator, severity="warning", code="out_of_range", params=params
            )
        )
    return tuple(out)


@dataclass(frozen=True)
class Scoring:
    """Everything one scoring pass over a panel gives (:meth:`CoordinationModel.score_panel`).

    Attributes
    ----------
    normalized : DataFrame
        z′ on the fitted scale, indexed like the panel, one column per indicator id (clipped
        to [0, 1] under ``out_of_range="clip"``).
    scores : DataFrame
        One column per subsystem id (scores U), then ``composite``.
    composite : DataFrame
        ``d_plus``, ``d_minus``, ``closeness`` and ``rank`` (within year), as
        :meth:`CoordinationModel.composite_table`.
    out_of_range : DataFrame
        Every value outside the fitted bounds, as :meth:`CoordinationModel.flag_out_of_range`.
    problems : tuple of Problem
        One coded ``out_of_range`` warning per row of :attr:`out_of_range` (needs a
        (city, year) index).
    """

    normalized: pd.DataFrame
    scores: pd.DataFrame
    composite: pd.DataFrame
    out_of_range: pd.DataFrame
    problems: tuple[Problem, ...]


def score_panel(model: CoordinationModel, panel: Any) -> Scoring:
    """One pass: the matrix read and checked once, z′ once, one scoring kernel call."""
    system = model.system_
    X, index = panel_matrix(panel, system)
    scorer = scorer_of(model)
    flags = outside_flags(model, X, index)
    if len(flags) and scorer.out_of_range == "error":
        raise outside_error(model, X, index, len(flags))
    with np.errstate(over="ignore", invalid="ignore"):  # overflow refused below
        Z = scorer.normalize(X)
        res = scorer.score_normalized(Z, distances=True)
    if not np.isfinite(res.values).all():
        raise overflow_error(X, index, system.indicator_ids, res.values)
    keyed = isinstance(index, pd.MultiIndex) and index.nlevels >= 2
    return Scoring(
        normalized=pd.DataFrame(Z, index=index, columns=system.indicator_ids),
        scores=pd.DataFrame(res.values, index=index, columns=scorer.names),
        composite=composite_frame(res, index),
        out_of_range=flags,
        problems=out_of_range_problems(flags, scorer.out_of_range) if keyed else (),
    )
