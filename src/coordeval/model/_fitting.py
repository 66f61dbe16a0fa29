"""Fitting: the fit plan (bounds, directions, constant indicators) and the weight maths.

A fit is two reads of the data: column extremes (pass 1, :class:`RangeStats`), then the
weighting's mergeable statistics (pass 2). The in-memory, chunked, Parquet and Dask engines
all go through :func:`make_plan` and :func:`finish_fit`.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from coordeval._coded import coded, config_error
from coordeval.conventions import Conventions
from coordeval.errors import ConfigError, ConstantIndicatorWarning, InputError
from coordeval.kernels.blocks import EntropyStats, MomentStats, RangeStats, shifted_minimum
from coordeval.kernels.normalize import minmax_arrays, minmax_params
from coordeval.kernels.weights import (
    critic_from_cov,
    critic_weights,
    cv_from_moments,
    cv_weights,
    entropy_from_sums,
    sd_weights,
)
from coordeval.model._coercion import (
    cities_years,
    nonfinite_error,
    panel_matrix,
    refuse_duplicate_keys,
    refuse_unscalable,
)
from coordeval.system import IndicatorSystem

if TYPE_CHECKING:
    from coordeval.model._estimator import CoordinationModel


@dataclass(frozen=True)
class FitPlan:
    """What pass 1 of a fit decided: bounds, directions, the min-max map, constant columns."""

    weighting: str
    shift: float
    rng: RangeStats
    lo: np.ndarray
    hi: np.ndarray
    has_goal: np.ndarray
    sign: np.ndarray
    constant: np.ndarray
    origin: np.ndarray
    scale: np.ndarray

    @property
    def needs_second_pass(self) -> bool:
        return self.weighting in ("entropy", "critic", "cv", "sd")

    def second_pass(self, X: np.ndarray) -> EntropyStats | MomentStats | None:
        """The weighting's statistics of the rows of ``X`` (mergeable across chunks)."""
        if self.weighting == "entropy":
            return EntropyStats.of(X, self.origin, self.scale, self.shift)
        if self.weighting == "critic":
            return MomentStats.of(X, self.origin, self.scale, full=True)
        if self.weighting == "cv":
            return MomentStats.of(X, full=False)
        if self.weighting == "sd":
            return MomentStats.of(X, self.origin, self.scale, full=False)
        return None

    def empty_second(self) -> Any:
        m = self.lo.size
        if self.weighting == "entropy":
            return EntropyStats.empty(m)
        return MomentStats.empty(m, full=self.weighting == "critic")


def make_plan(
    conv: Conventions, system: IndicatorSystem, rng: RangeStats, stacklevel: int = 4
) -> FitPlan:
    """Bounds, directions and constant indicators from pass 1; checks the entropy domain."""
    ids = system.indicator_ids
    goal_lo = np.array([i.bounds[0] if i.bounds else np.nan for i in system.indicators])
    goal_hi = np.array([i.bounds[1] if i.bounds else np.nan for i in system.indicators])
    has_goal = ~np.isnan(goal_lo)
    lo = np.where(has_goal, goal_lo, rng.min)
    hi = np.where(has_goal, goal_hi, rng.max)
    sign = np.array([1.0 if i.direction == "+" else -1.0 for i in system.indicators])
    constant = (hi - lo) <= 0
    constant |= rng.max - rng.min <= 0
    if constant.any():
        names = [i for i, k in zip(ids, constant, strict=True) if k]
        warnings.warn(
            ConstantIndicatorWarning(
                f"indicator(s) {names} do not vary over the fit data: weight 0",
                "constant_indicator",
                {"names": str(names)},
            ),
            stacklevel=stacklevel,
        )
    origin, scale = minmax_params(lo, hi, sign)
    plan = FitPlan(conv.weighting, conv.shift, rng, lo, hi, has_goal, sign, constant, origin, scale)
    if conv.weighting == "entropy":
        neg = shifted_minimum(rng, origin, scale, plan.shift) < 0
        if neg.any():
            raise InputError(
                [
                    coded(
                        "goalposts_entropy",
                        column=ids[j],
                        side="below" if sign[j] > 0 else "above",
                        lo=float(lo[j]),
                        hi=float(hi[j]),
                    )
                    for j in np.flatnonzero(neg)
                ],
                "the fit data leave the goalposts of the entropy method",
            )
    return plan


def fit_frame(model: CoordinationModel, panel: Any) -> CoordinationModel:
    """The in-memory fit of a DataFrame or an array (both passes over one matrix)."""
    system = model._system()
    conv = model._conventions(system)
    X, index = panel_matrix(panel, system, check=False)
    refuse_duplicate_keys(index)
    rng = RangeStats.of(X)
    if not rng.finite:
        raise nonfinite_error(X, index, system.indicator_ids)
    refuse_unscalable(X, index, system.indicator_ids, rng)
    plan = make_plan(conv, system, rng, stacklevel=5)
    if conv.weighting in ("critic", "cv", "sd"):
        arrays = (X, minmax_arrays(X, plan.lo, plan.hi, plan.sign))
        finish_fit(model, conv, system, plan, None, cities_years(index), arrays)
    else:
        finish_fit(model, conv, system, plan, plan.second_pass(X), cities_years(index))
    if not isinstance(panel, pd.DataFrame):  # columns matched by position, not by name
        del model.feature_names_in_
    return model


def finish_fit(
    model: CoordinationModel,
    conv: Conventions,
    system: IndicatorSystem,
    plan: FitPlan,
    second: EntropyStats | MomentStats | None,
    keys: tuple[list[str], list[int]],
    arrays: tuple[np.ndarray, np.ndarray] | None = None,
) -> CoordinationModel:
    """Weights from the statistics of both passes; sets the fitted attributes of ``model``."""
    ids = system.indicator_ids
    within, raw, entropy = learn_weights(conv, system, plan, second, arrays)
    col = {i: k for k, i in enumerate(ids)}
    members = [np.array([col[i.id] for i in sub.indicators]) for sub in system.subsystems]
    fixed_sub = [s.weight for s in system.subsystems]
    if all(w is not None for w in fixed_sub):
        sub_w = np.array(fixed_sub, dtype=np.float64)
    elif any(w is not None for w in fixed_sub):
        raise config_error("subsystem_weights_partial")
    else:
        sub_w = np.array([raw[idx].sum() for idx in members], dtype=np.float64)
    if sub_w.sum() <= 0:
        raise InputError([coded("nothing_varies")], "nothing to weight")
    sub_w = sub_w / sub_w.sum()
    sub_of = np.empty(len(ids), dtype=np.intp)
    for k, idx in enumerate(members):
        sub_of[idx] = k

    model.entropy_ = entropy
    model.system_ = system
    model.conventions_ = conv
    model.params_ = conv
    model.feature_names_in_ = np.array(ids, dtype=object)
    model.n_features_in_ = len(ids)
    model.lo_ = pd.Series(plan.lo, index=ids, name="lo")
    model.hi_ = pd.Series(plan.hi, index=ids, name="hi")
    model.bounds_source_ = pd.Series(np.where(plan.has_goal, "goalpost", "fit"), index=ids)
    model.constant_ = [i for i, k in zip(ids, plan.constant, strict=True) if k]
    model.within_weights_ = pd.Series(within, index=ids, name="within_weight")
    model.subsystem_weights_ = pd.Series(sub_w, index=system.subsystem_ids, name="subsystem_weight")
    model.weights_ = pd.Series(within * sub_w[sub_of], index=ids, name="weight")
    model.n_obs_ = int(plan.rng.n)
    model.cities_, model.years_ = list(keys[0]), list(keys[1])
    return model


def _too_few(method: str, n: int) -> InputError:
    return InputError(
        [coded("method_too_few_rows", method=method, n=n, plural="s" if n != 1 else "")],
        "too little data",
    )


def _method_weights(
    conv: Conventions,
    plan: FitPlan,
    ids: list[str],
    second: EntropyStats | MomentStats | None,
    arrays: tuple[np.ndarray, np.ndarray] | None,
) -> np.ndarray:
    """Global raw weights of the CRITIC, CV and SD methods."""
    method, constant = conv.weighting, plan.constant
    if plan.rng.n < 2:
        raise _too_few(method, plan.rng.n)
    if method == "cv" and (plan.rng.min < 0).any():
        bad = [i for i, b in zip(ids, plan.rng.min < 0, strict=True) if b]
        raise InputError(
            [coded("cv_negative", column=c) for c in bad],
            "weighting='cv' cannot use negative values",
        )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConstantIndicatorWarning)  # warned once by make_plan
        if arrays is None and not isinstance(second, MomentStats):
            raise ValueError(f"no statistics for weighting {method!r}")
        if arrays is None and method == "critic" and conv.critic_correlation != "pearson":
            raise config_error("critic_needs_memory", correlation=repr(conv.critic_correlation))
        try:
            if arrays is not None:
                X, Z = arrays
                if method == "critic":
                    return critic_weights(Z, conv.critic_correlation).to_numpy()
                if method == "sd":
                    return sd_weights(Z).to_numpy()
                return cv_weights(np.where(constant, 1.0, X)).to_numpy()
            assert isinstance(second, MomentStats)
            if method == "sd":
                raw = np.where(constant, 0.0, np.sqrt(np.clip(second.cov(), 0.0, None)))
                if not raw.sum() > 0:
                    raise ValueError("no indicator varies: SD weights are undefined")
                return raw / raw.sum()
            if method == "critic":
                return critic_from_cov(second.cov(), constant)
            return cv_from_moments(second.mean, second.cov(), constant)
        except ConfigError:
            raise
        except ValueError as exc:
            raise InputError(
                [coded("weights_undefined", reason=str(exc))],
                f"{method.upper()} weights are undefined",
            ) from None


def _critic_within(
    conv: Conventions,
    sub: Any,
    idx: np.ndarray,
    constant: np.ndarray,
    second: EntropyStats | MomentStats | None,
    arrays: tuple[np.ndarray, np.ndarray] | None,
) -> np.ndarray:
    """CRITIC weights recomputed within one subsystem (its own correlations)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConstantIndicatorWarning)
        cov = second.cov() if isinstance(second, MomentStats) else None
        if arrays is None and cov is None:
            raise ValueError("no statistics for weighting 'critic'")
        try:
            if arrays is not None:
                return critic_weights(arrays[1][:, idx], conv.critic_correlation).to_numpy()
            assert cov is not None
            return critic_from_cov(cov[np.ix_(idx, idx)], constant[idx])
        except ConfigError:
            raise
        except ValueError as exc:
            raise InputError(
                [coded("critic_subsystem", sub=sub.id, name_zh=sub.name_zh, reason=str(exc))],
                "CRITIC weights are undefined",
            ) from None


def learn_weights(
    conv: Conventions,
    system: IndicatorSystem,
    plan: FitPlan,
    second: EntropyStats | MomentStats | None,
    arrays: tuple[np.ndarray, np.ndarray] | None = None,
) -> tuple[np.ndarray, np.ndarray, pd.DataFrame | None]:
    """Within-subsystem weights, the method's global raw weights (for subsystem weights) and
    the entropy table (``e``, ``d``) of the entropy method.

    Entropy, CRITIC and CV come from the merged statistics ``second``; with ``arrays``
    (the in-memory ``X`` and ``Z``) CRITIC and CV use the data kernels directly.
    """
    ids = system.indicator_ids
    m = len(ids)
    method = conv.weighting
    constant = plan.constant
    n = plan.rng.n
    entropy = None
    if method == "entropy":
        if n < 2 or not isinstance(second, EntropyStats):
            raise _too_few(method, n)
        e = entropy_from_sums(second.s, second.s_ylny, n, constant)
        raw = 1.0 - e
        entropy = pd.DataFrame({"e": e, "d": raw}, index=ids)
    elif method == "equal":
        raw = np.ones(m)
    elif method == "fixed":
        missing = [i.id for i in system.indicators if i.weight is None]
        if missing:
            raise config_error("fixed_weights_missing", missing=str(missing))
        raw = np.array([i.weight for i in system.indicators], dtype=np.float64)
    else:
        raw = _method_weights(conv, plan, ids, second, arrays)
    raw = np.where(constant, 0.0, raw)
    within = np.zeros(m)
    col = {i: k for k, i in enumerate(ids)}
    for sub in system.subsystems:
        idx = np.array([col[i.id] for i in sub.indicators])
        fixed = [i.weight for i in sub.indicators]
        if method != "fixed" and any(w is not None for w in fixed):
            if not all(w is not None for w in fixed):
                raise config_error("indicator_weights_partial", sub=sub.id)
            part = np.array(fixed, dtype=np.float64)
        elif method == "critic" and len(idx) > 1 and raw[idx].sum() > 0:
            part = _critic_within(conv, sub, idx, constant, second, arrays)
        else:
            part = raw[idx]
        part = np.where(constant[idx], 0.0, part)
        if part.sum() <= 0:
            raise InputError(
                [coded("subsystem_not_varying", sub=sub.id, name_zh=sub.name_zh)],
                "a subsystem cannot be scored",
            )
        within[idx] = part / part.sum()
    if method == "equal":
        raw = np.zeros(m)
        for sub in system.subsystems:
            idx = np.array([col[i.id] for i in sub.indicators])
            raw[idx] = 1.0 / len(idx)
    return within, raw, entropy
