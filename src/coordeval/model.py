"""CoordinationModel: fit normalisation bounds and weights on a reference panel, score any panel.

The model follows scikit-learn's estimator contract: parameters are stored verbatim in
``__init__`` and validated in ``fit``; learned state lives in attributes ending in ``_``.
Fitting is a set of column reductions (min, max, Σz, Σz·ln z, counts), so scoring next year's
data with a fitted (or saved and reloaded) model never changes earlier scores.
"""

from __future__ import annotations

import hashlib
import json
import math
import re
import warnings
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.utils.validation import check_is_fitted

from coordeval._version import __version__
from coordeval.analysis.coupling import GRADE_SCHEMES, coupling_step
from coordeval.conventions import ANALYSIS_DEFAULTS, resolve_analysis
from coordeval.errors import (
    ConfigError,
    ConstantIndicatorWarning,
    DataWarning,
    InputError,
    Problem,
)
from coordeval.io.atomic import write_text_atomic
from coordeval.kernels.blocks import (
    BlockScores,
    EntropyStats,
    MomentStats,
    RangeStats,
    default_block_rows,
    map_blocks,
    row_blocks,
    score_arrays,
    shifted_minimum,
)
from coordeval.kernels.coupling import MODELS as COUPLING_MODELS
from coordeval.kernels.normalize import minmax_arrays, minmax_params
from coordeval.kernels.weights import (
    critic_from_cov,
    critic_weights,
    cv_from_moments,
    cv_weights,
    entropy_from_sums,
    sd_weights,
)
from coordeval.system import IndicatorSystem, load_system, system_from_dict

MODEL_FORMAT = "coordeval-model"
MODEL_SCHEMA_VERSION = 1

#: Conventions bundled by each preset; explicit parameters override them.
PRESETS: dict[str, dict[str, Any]] = {
    "panel": {
        "shift": 1e-4,
        "coupling": "classic",
        "grades": "ten",
        "description": "min-max over all city-years, shift 0.0001 in the entropy step, "
        "k = 1/ln(N·T), U = Σ w·z′, classic coupling, ten grades on (a, b]",
    },
    "spssau": {
        "shift": 0.01,
        "coupling": "classic",
        "grades": "spssau",
        "description": "SPSSAU parity: min-max, 0.01 non-negative shift in the entropy step, "
        "coupling inputs rescaled to [0.01, 0.99], grade = floor(10·D) + 1 on [a, b)",
    },
    "mathmodels": {
        # entropy_weight() rescales to [0.002, 0.998]: p = y/Σy is scale-free, so the weights
        # are those of z′ + 0.002/0.996
        "shift": 0.002 / 0.996,
        "coupling": "classic",
        "grades": "ten",
        "obstacle_scaled": False,
        "description": "R package mathmodels (zhjx19/mathmodels): entropy on min-max rescaled "
        "to [0.002, 0.998] (the weights of a shift 0.002/0.996), standard coupling, obstacle "
        "degree unscaled w·(1 − z′)",
    },
}
WEIGHTINGS = ("entropy", "critic", "cv", "sd", "equal", "fixed")
SCORINGS = ("weighted_sum", "topsis")
OUT_OF_RANGE = ("extend", "clip", "error")


def _as_system(system: Any) -> IndicatorSystem:
    if system is None:
        raise ConfigError("CoordinationModel needs an indicator system (a file, name or object)")
    return load_system(system)


class CoordinationModel(TransformerMixin, BaseEstimator):
    """Entropy/TOPSIS scoring of indicator subsystems with a frozen, reusable fit.

    Parameters
    ----------
    system : IndicatorSystem, str or Path
        The indicator system (object, ``.toml``/``.xlsx`` path or built-in name).
    preset : {"panel", "spssau"}, optional
        Bundle of conventions (see :data:`PRESETS`); ``shift``, ``coupling`` and ``grades``
        override it when given. ``preset``, ``weighting``, ``scoring`` and ``shift`` left at
        ``None`` take the system's ``[method]`` table, else the defaults ``"panel"``,
        ``"entropy"``, ``"weighted_sum"`` and the preset's shift.
    weighting : {"entropy", "critic", "cv", "sd", "equal", "fixed"}, optional
        How indicator weights are learned within each subsystem. ``fixed`` takes the
        ``weight`` of every indicator from the system; ``sd`` uses the standard deviations of
        the normalised values (:func:`coordeval.sd_weights`).
    scoring : {"weighted_sum", "topsis"}, optional
        Subsystem score ``U_r``: ``Σ_{j∈r} w_j|r · z′_j`` (default), or the TOPSIS closeness
        computed on the subsystem's indicators.
    out_of_range : {"extend", "clip", "error"}
        Values outside the fitted bounds in ``transform``: ``extend`` keeps the linear scale
        (z′ < 0 or > 1), ``clip`` clips z′ to [0, 1], ``error`` refuses. All are flagged.
    shift : float, optional
        Non-negative shift added to z′ in the entropy step only (avoids ln 0); scores use
        the unshifted z′. Default from the preset (0.0001 for ``panel``).
    coupling : {"classic", "wang2021", "fan2024"}, optional
        Coupling model used by :meth:`assess`.
    grades : str, optional
        Grade scheme used by :meth:`assess` (``"ten"`` or ``"spssau"``).
    topsis_weights_in : {"matrix", "distance"}
        Where weights enter the TOPSIS composite.
    critic_correlation, obstacle_scaled, theil_alpha, gini_correction, sigma_log, kde_bw : optional
        Conventions of peer tools, by name (see :mod:`coordeval.conventions`): CRITIC's
        correlation (``"pearson"``, ``"spearman"``, ``"kendall"``; Spearman and Kendall need an
        in-memory fit), obstacle degrees in % or unscaled, the GE(α) member reported as Theil
        (1 T, 0 L), an n/(n − 1) corrected Gini column, σ convergence on logs, and the
        kernel-density bandwidth rule. ``None`` takes the preset's value, else the default.

    Attributes
    ----------
    system_ : IndicatorSystem
        The validated system.
    feature_names_in_ : ndarray of str
        Indicator ids in system order (the columns read from panels); not set when the
        model was fitted on an array, as in scikit-learn.
    n_features_in_ : int
        Number of indicators.
    lo_, hi_ : Series
        Normalisation bounds per indicator (fixed goalposts or fit extremes).
    bounds_source_ : Series
        ``"goalpost"`` or ``"fit"`` per indicator.
    constant_ : list of str
        Indicators that do not vary over the fit data (weight 0).
    entropy_ : DataFrame or None
        For ``weighting="entropy"``: columns ``e``, ``d`` per indicator over the fit data.
    within_weights_ : Series
        Weight of each indicator within its subsystem (sums to 1 per subsystem).
    subsystem_weights_ : Series
        Weight of each subsystem (sums to 1): fixed in the system, or implied by the method.
    weights_ : Series
        Global indicator weights ``subsystem weight × within weight`` (sum to 1), used by the
        TOPSIS composite and the obstacle model.
    n_obs_ : int
        Number of city-years in the fit data.
    cities_ : list of str
        Cities in the fit data (empty for array input).
    years_ : list of int
        Years in the fit data (empty for array input).
    """

    def __init__(
        self,
        system: Any = None,
        preset: str | None = None,
        weighting: str | None = None,
        scoring: str | None = None,
        out_of_range: str = "extend",
        shift: float | None = None,
        coupling: str | None = None,
        grades: str | None = None,
        topsis_weights_in: Literal["matrix", "distance"] = "matrix",
        critic_correlation: str | None = None,
        obstacle_scaled: bool | None = None,
        theil_alpha: float | None = None,
        gini_correction: bool | None = None,
        sigma_log: bool | None = None,
        kde_bw: str | float | None = None,
    ) -> None:
        self.system = system
        self.preset = preset
        self.weighting = weighting
        self.scoring = scoring
        self.out_of_range = out_of_range
        self.shift = shift
        self.coupling = coupling
        self.grades = grades
        self.topsis_weights_in = topsis_weights_in
        self.critic_correlation = critic_correlation
        self.obstacle_scaled = obstacle_scaled
        self.theil_alpha = theil_alpha
        self.gini_correction = gini_correction
        self.sigma_log = sigma_log
        self.kde_bw = kde_bw

    def _resolved(self, system: IndicatorSystem | None = None) -> dict[str, Any]:
        """The effective conventions: explicit parameters first, then the system's ``[method]``
        table, then the preset (``panel`` unless named)."""
        method = system.method if system is not None else None

        def pick(name: str, default: Any) -> Any:
            value = getattr(self, name)
            if value is None and method is not None:
                value = getattr(method, name, None)
            return default if value is None else value

        preset_name = pick("preset", "panel")
        weighting = pick("weighting", "entropy")
        scoring = pick("scoring", "weighted_sum")
        if preset_name not in PRESETS:
            raise ConfigError(f"unknown preset {preset_name!r}: one of {', '.join(PRESETS)}")
        for name, value, allowed in (
            ("weighting", weighting, WEIGHTINGS),
            ("scoring", scoring, SCORINGS),
            ("out_of_range", self.out_of_range, OUT_OF_RANGE),
            ("topsis_weights_in", self.topsis_weights_in, ("matrix", "distance")),
            ("coupling", self.coupling or PRESETS[preset_name]["coupling"], COUPLING_MODELS),
            ("grades", self.grades or PRESETS[preset_name]["grades"], tuple(GRADE_SCHEMES)),
        ):
            if value not in allowed:
                raise ConfigError(f"unknown {name} {value!r}: one of {', '.join(allowed)}")
        preset = PRESETS[preset_name]
        shift = float(pick("shift", preset["shift"]))
        if not (math.isfinite(shift) and shift >= 0):
            raise ConfigError(f"shift must be a non-negative number, got {shift!r}")
        return {
            "preset": preset_name,
            "weighting": weighting,
            "scoring": scoring,
            "out_of_range": self.out_of_range,
            "shift": shift,
            "coupling": self.coupling or preset["coupling"],
            "grades": self.grades or preset["grades"],
            "topsis_weights_in": self.topsis_weights_in,
            "feature_range": [0.0, 1.0],
            "entropy_k": "1/ln(n), n = number of fit city-years (pooled panel entropy)",
            **resolve_analysis({k: getattr(self, k) for k in ANALYSIS_DEFAULTS}, preset),
        }

    def _matrix(
        self,
        panel: Any,
        system: IndicatorSystem,
        check: bool = True,
        allow_empty: bool = False,
    ) -> tuple[np.ndarray, pd.Index]:
        """The indicator matrix in system order (a view of a float64 DataFrame's data, no
        copy), with its row index; with ``check``, refuses NaN and inf."""
        ids = system.indicator_ids
        if isinstance(panel, pd.DataFrame):
            missing = [i for i in ids if i not in panel.columns]
            if missing:
                names = [f"{i} ({system.indicator(i).name_zh})" for i in missing]
                raise InputError(
                    [Problem(f"indicator column missing: {n}") for n in names],
                    f"the data lack {len(missing)} indicator(s) of system {system.name!r}",
                )
            frame = panel[ids]
            try:
                A = frame.to_numpy(dtype=np.float64)
            except (TypeError, ValueError):
                raise InputError(
                    [
                        Problem("column is not numeric", column=str(c))
                        for c in ids
                        if not pd.api.types.is_numeric_dtype(frame[c])
                    ],
                    "the panel has non-numeric indicator columns",
                ) from None
            index = frame.index
        else:
            A = _dense_matrix(panel, len(ids))
            index = pd.RangeIndex(A.shape[0])
        if A.shape[0] == 0 and not allow_empty:
            raise InputError([Problem("the panel has no rows")], "no data to score")
        if check and not RangeStats.of(A).finite:
            raise _nonfinite_error(A, index, ids)
        return A, index

    def fit(self, panel: Any, y: Any = None) -> CoordinationModel:
        """Learn bounds, weights and ideal points from a reference panel.

        Parameters
        ----------
        panel : DataFrame, dask DataFrame or array-like of shape (n_city_years, n_indicators)
            One column per indicator id (extra columns ignored); typically indexed by
            (``city``, ``year``). Arrays must have the system's indicators in order. A Dask
            DataFrame (columns ``city``, ``year`` and the indicator ids) is fitted on Dask,
            partition by partition (see :meth:`fit_chunks` for the statistics).
        y : ignored

        Returns
        -------
        self

        Raises
        ------
        InputError
            Missing indicator columns, non-numeric, missing or infinite values, too few rows,
            or a subsystem none of whose indicators varies.
        ConfigError
            Inconsistent parameters or fixed weights.

        Notes
        -----
        Two reads of the data, block by block: column extremes first (bounds ``lo``, ``hi``
        unless fixed goalposts are given), then the statistics of the weighting method —
        for entropy ``S_j = Σ_i y_ij`` and ``L_j = Σ_i y_ij ln y_ij`` with
        ``y = z′ + shift``, from which ``e_j = −(L_j/S_j − ln S_j)/ln n``.
        """
        if _is_dask(panel):
            return self._fit_dask(panel)
        system = _as_system(self.system)
        conf = self._resolved(system)
        X, index = self._matrix(panel, system, check=False)
        _refuse_duplicate_keys(index)
        rng = RangeStats.of(X)
        if not rng.finite:
            raise _nonfinite_error(X, index, system.indicator_ids)
        _refuse_unscalable(X, index, system.indicator_ids, rng)
        plan = self._plan(conf, system, rng)
        if conf["weighting"] in ("critic", "cv", "sd"):
            arrays = (X, minmax_arrays(X, plan.lo, plan.hi, plan.sign))
            self._finish_fit(conf, system, plan, None, _cities_years(index), arrays)
        else:
            self._finish_fit(conf, system, plan, plan.second_pass(X), _cities_years(index))
        if not isinstance(panel, pd.DataFrame):  # columns matched by position, not by name
            del self.feature_names_in_
        return self

    def fit_chunks(self, chunks: Callable[[], Iterable[Any]] | Sequence[Any]) -> CoordinationModel:
        """Fit on a panel given in chunks (e.g. a file larger than memory), reading it twice.

        Parameters
        ----------
        chunks : callable returning an iterable, or a sequence
            The chunks: DataFrames (indicator columns; ``city``/``year`` as index levels or
            columns) or arrays with the system's indicators in order. A callable is called
            once per pass and must yield the same rows each time; a list or tuple is
            iterated twice. Chunks may differ in size.

        Returns
        -------
        self

        Raises
        ------
        InputError
            As :meth:`fit` (problems located within their chunk).
        ConfigError
            If ``chunks`` is a one-shot iterator, or the second pass sees other rows.

        Notes
        -----
        Pass 1 merges :class:`~coordeval.kernels.blocks.RangeStats` (n, min, max) over the
        chunks; pass 2 merges the weighting's statistics (``Σ y``, ``Σ y ln y`` for entropy;
        means and co-moments for CRITIC and CV). The result equals :meth:`fit` on the
        concatenated chunks up to rounding (≈ 1e-15).
        """
        if callable(chunks):
            factory = chunks
        elif isinstance(chunks, Sequence) and not isinstance(chunks, str | bytes):
            listed = chunks

            def factory() -> Iterable[Any]:
                return listed

        else:
            raise ConfigError(
                "fit_chunks reads the data twice: pass a function returning a fresh iterable "
                "of chunks (or a list), not a one-shot iterator"
            )
        system = _as_system(self.system)
        conf = self._resolved(system)
        ids = system.indicator_ids
        rng = RangeStats.empty(len(ids))
        cities: set[str] = set()
        years: set[int] = set()
        for chunk in factory():
            X, index = self._matrix(chunk, system, check=False, allow_empty=True)
            part = RangeStats.of(X)
            if not part.finite:
                raise _nonfinite_error(X, index, ids)
            rng = rng.merge(part)
            c, y = _distinct_keys(index, chunk)
            cities.update(c)
            years.update(y)
        if rng.n == 0:
            raise InputError([Problem("the panel has no rows")], "no data to fit")
        plan = self._plan(conf, system, rng)
        second = None
        if plan.needs_second_pass:
            second = plan.empty_second()
            for chunk in factory():
                X, _ = self._matrix(chunk, system, check=False, allow_empty=True)
                second = second.merge(plan.second_pass(X))
            if second.n != rng.n:
                raise ConfigError(
                    f"the chunks changed between the passes ({rng.n} rows, then {second.n})"
                )
        keys = (sorted(map(str, cities)), sorted(int(y) for y in years))
        return self._finish_fit(conf, system, plan, second, keys)

    def fit_parquet(
        self,
        path: str | Path,
        columns: Mapping[str, str] | None = None,
        chunk_rows: int = 1 << 18,
    ) -> CoordinationModel:
        """Fit on a wide Parquet panel, ``chunk_rows`` rows at a time (two passes).

        Parameters
        ----------
        path : str or Path
            Parquet file or dataset folder: columns ``city``, ``year`` (optional here) and
            one numeric column per indicator.
        columns : mapping, optional
            File column of each indicator id, where it differs from the id.
        chunk_rows : int
            Rows per batch read; memory use is a few times ``chunk_rows × n_indicators × 8``
            bytes whatever the file size.

        Returns
        -------
        self

        Raises
        ------
        InputError
            Missing indicator columns or values that cannot be used (see :meth:`fit`).
        ConfigError
            If pyarrow is not installed or the file cannot be read.
        """
        from coordeval.io.parquet import iter_parquet_frames

        system = _as_system(self.system)
        passes = iter(range(2))

        def chunks() -> Iterator[pd.DataFrame]:
            first = next(passes, 1) == 0  # city and year are needed in pass 1 only
            return iter_parquet_frames(path, system, columns, chunk_rows, keys=first)

        return self.fit_chunks(chunks)

    def transform_parquet(
        self,
        path: str | Path,
        out_path: str | Path,
        columns: Mapping[str, str] | None = None,
        chunk_rows: int = 1 << 18,
    ) -> Path:
        """Score a wide Parquet panel chunk by chunk and write the scores as Parquet.

        Parameters
        ----------
        path : str or Path
            Input panel, as in :meth:`fit_parquet`.
        out_path : str or Path
            Output file, written atomically: columns ``city`` and ``year`` when the input has
            them, then one column per subsystem and ``composite`` (as :meth:`transform`).
        columns : mapping, optional
            File column of each indicator id, where it differs from the id.
        chunk_rows : int
            Rows per batch.

        Returns
        -------
        Path
            ``out_path``.

        Warns
        -----
        DataWarning
            Once, with the total count, when values lie outside the fitted bounds.

        Raises
        ------
        InputError
            Non-finite values, or values outside the bounds under ``out_of_range="error"``.
        """
        from coordeval.io.parquet import iter_parquet_frames, write_parquet_frames

        check_is_fitted(self)
        system = self.system_
        names = [str(c) for c in self.get_feature_names_out()]
        total_outside = 0

        def scored() -> Iterator[pd.DataFrame]:
            nonlocal total_outside
            for chunk in iter_parquet_frames(path, system, columns, chunk_rows):
                X, index = self._matrix(chunk, system, check=False, allow_empty=True)
                res = self._scorer().score(X)
                if not res.finite:
                    raise _nonfinite_error(X, index, system.indicator_ids)
                if res.n_outside:
                    if self.params_["out_of_range"] == "error":
                        self._outside(X, index, res.n_outside)
                    total_outside += res.n_outside
                out = pd.DataFrame(res.values, index=index, columns=names, copy=False)
                keys = [c for c in ("city", "year") if c in chunk.columns]
                yield pd.concat(
                    [chunk[keys].reset_index(drop=True), out.reset_index(drop=True)], axis=1
                )

        target = write_parquet_frames(scored(), out_path, names)
        if total_outside:
            self._warn_outside(total_outside, stacklevel=2)
        return target

    def _plan(
        self, conf: dict[str, Any], system: IndicatorSystem, rng: RangeStats, stacklevel: int = 3
    ) -> _FitPlan:
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
                f"indicator(s) {names} do not vary over the fit data: weight 0",
                ConstantIndicatorWarning,
                stacklevel=stacklevel,
            )
        origin, scale = minmax_params(lo, hi, sign)
        plan = _FitPlan(
            weighting=conf["weighting"],
            shift=float(conf["shift"]),
            rng=rng,
            lo=lo,
            hi=hi,
            has_goal=has_goal,
            sign=sign,
            constant=constant,
            origin=origin,
            scale=scale,
        )
        if conf["weighting"] == "entropy":
            neg = shifted_minimum(rng, origin, scale, plan.shift) < 0
            if neg.any():
                raise InputError(
                    [
                        Problem(
                            f"values {'below' if sign[j] > 0 else 'above'} the fixed goalposts "
                            f"[{lo[j]:g}, {hi[j]:g}] make z′ + shift negative, where the "
                            "entropy is undefined; widen the bounds in the indicator system",
                            column=ids[j],
                        )
                        for j in np.flatnonzero(neg)
                    ],
                    "the fit data leave the goalposts of the entropy method",
                )
        return plan

    def _finish_fit(
        self,
        conf: dict[str, Any],
        system: IndicatorSystem,
        plan: _FitPlan,
        second: EntropyStats | MomentStats | None,
        cities_years: tuple[list[str], list[int]],
        arrays: tuple[np.ndarray, np.ndarray] | None = None,
    ) -> CoordinationModel:
        """Weights from the statistics of both passes; sets the fitted attributes."""
        ids = system.indicator_ids
        self.entropy_ = None
        within, raw = self._learn_weights(conf, system, plan, second, arrays)
        sub_ids = system.subsystem_ids
        col = {i: k for k, i in enumerate(ids)}
        members = [np.array([col[i.id] for i in sub.indicators]) for sub in system.subsystems]
        fixed_sub = [s.weight for s in system.subsystems]
        if all(w is not None for w in fixed_sub):
            sub_w = np.array(fixed_sub, dtype=np.float64)
        elif any(w is not None for w in fixed_sub):
            raise ConfigError("give a weight for every subsystem or for none")
        else:
            sub_w = np.array([raw[idx].sum() for idx in members], dtype=np.float64)
        if sub_w.sum() <= 0:
            raise InputError(
                [Problem("no indicator varies over the fit data")], "nothing to weight"
            )
        sub_w = sub_w / sub_w.sum()
        sub_of = np.empty(len(ids), dtype=np.intp)
        for k, idx in enumerate(members):
            sub_of[idx] = k
        sub_weights = pd.Series(sub_w, index=sub_ids, name="subsystem_weight")
        within_s = pd.Series(within, index=ids, name="within_weight")
        glob = pd.Series(within * sub_w[sub_of], index=ids)

        self.system_ = system
        self.params_ = conf
        self.feature_names_in_ = np.array(ids, dtype=object)
        self.n_features_in_ = len(ids)
        self.lo_ = pd.Series(plan.lo, index=ids, name="lo")
        self.hi_ = pd.Series(plan.hi, index=ids, name="hi")
        self.bounds_source_ = pd.Series(np.where(plan.has_goal, "goalpost", "fit"), index=ids)
        self.constant_ = [i for i, k in zip(ids, plan.constant, strict=True) if k]
        self.within_weights_ = within_s
        self.subsystem_weights_ = sub_weights
        self.weights_ = glob.rename("weight")
        self.n_obs_ = int(plan.rng.n)
        self.cities_, self.years_ = list(cities_years[0]), list(cities_years[1])
        return self

    def _learn_weights(
        self,
        conf: dict[str, Any],
        system: IndicatorSystem,
        plan: _FitPlan,
        second: EntropyStats | MomentStats | None,
        arrays: tuple[np.ndarray, np.ndarray] | None = None,
    ) -> tuple[np.ndarray, np.ndarray]:
        """Within-subsystem weights and the method's global raw weights (for subsystem weights).

        Entropy, CRITIC and CV come from the merged statistics ``second``; with ``arrays``
        (the in-memory ``X`` and ``Z``) CRITIC and CV use the data kernels directly.
        """
        ids = system.indicator_ids
        m = len(ids)
        method = conf["weighting"]
        constant = plan.constant
        n = plan.rng.n
        if method == "entropy":
            if n < 2 or not isinstance(second, EntropyStats):
                raise InputError(
                    [
                        Problem(
                            "the entropy method needs at least two city-years to fit "
                            f"(got {n} sample{'s' if n != 1 else ''})"
                        )
                    ],
                    "too little data",
                )
            e = entropy_from_sums(second.s, second.s_ylny, n, constant)
            raw = 1.0 - e
            self.entropy_ = pd.DataFrame({"e": e, "d": raw}, index=ids)
        elif method == "equal":
            raw = np.ones(m)
        elif method == "fixed":
            missing = [i.id for i in system.indicators if i.weight is None]
            if missing:
                raise ConfigError(f"weighting='fixed' needs a weight for indicator(s) {missing}")
            raw = np.array([i.weight for i in system.indicators], dtype=np.float64)
        else:
            if n < 2:
                raise InputError(
                    [
                        Problem(
                            f"the {method} method needs at least two city-years to fit "
                            f"(got {n} sample{'s' if n != 1 else ''})"
                        )
                    ],
                    "too little data",
                )
            if method == "cv" and (plan.rng.min < 0).any():
                bad = [i for i, b in zip(ids, plan.rng.min < 0, strict=True) if b]
                raise InputError(
                    [
                        Problem(
                            "negative values: the coefficient-of-variation method "
                            "needs ratio-scale data (≥ 0)",
                            column=c,
                        )
                        for c in bad
                    ],
                    "weighting='cv' cannot use negative values",
                )
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", ConstantIndicatorWarning)
                if arrays is None and not isinstance(second, MomentStats):
                    raise ValueError(f"no statistics for weighting {method!r}")
                try:
                    if arrays is not None:
                        X, Z = arrays
                        if method == "critic":
                            raw = critic_weights(Z, conf["critic_correlation"]).to_numpy()
                        elif method == "sd":
                            raw = sd_weights(Z).to_numpy()
                        else:
                            raw = cv_weights(np.where(constant, 1.0, X)).to_numpy()
                    elif method == "sd":
                        raw = np.where(constant, 0.0, np.sqrt(np.clip(second.cov(), 0.0, None)))
                        if not raw.sum() > 0:
                            raise ValueError("no indicator varies: SD weights are undefined")
                        raw = raw / raw.sum()
                    elif method == "critic" and conf["critic_correlation"] != "pearson":
                        raise ConfigError(
                            f"critic_correlation={conf['critic_correlation']!r} needs the data "
                            "in memory (fit); chunked and Dask fits merge covariances (Pearson)"
                        )
                    elif method == "critic":
                        raw = critic_from_cov(second.cov(), constant)
                    else:
                        raw = cv_from_moments(second.mean, second.cov(), constant)
                except ConfigError:
                    raise
                except ValueError as exc:
                    raise InputError(
                        [Problem(str(exc))], f"{method.upper()} weights are undefined"
                    ) from None
        raw = np.where(constant, 0.0, raw)
        within = np.zeros(m)
        col = {i: k for k, i in enumerate(ids)}
        for sub in system.subsystems:
            idx = np.array([col[i.id] for i in sub.indicators])
            fixed = [i.weight for i in sub.indicators]
            if method != "fixed" and any(w is not None for w in fixed):
                if not all(w is not None for w in fixed):
                    raise ConfigError(
                        f"subsystems[{sub.id}]: give a weight for every indicator or for none"
                    )
                part = np.array(fixed, dtype=np.float64)
            elif method == "critic" and len(idx) > 1 and raw[idx].sum() > 0:
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore", ConstantIndicatorWarning)
                    cov = second.cov() if isinstance(second, MomentStats) else None
                    if arrays is None and cov is None:
                        raise ValueError("no statistics for weighting 'critic'")
                    try:
                        if arrays is not None:
                            Zr = arrays[1][:, idx]
                            part = critic_weights(Zr, conf["critic_correlation"]).to_numpy()
                        else:
                            part = critic_from_cov(cov[np.ix_(idx, idx)], constant[idx])
                    except ValueError as exc:
                        raise InputError(
                            [Problem(f"subsystem {sub.id!r} ({sub.name_zh}): {exc}")],
                            "CRITIC weights are undefined",
                        ) from None
            else:
                part = raw[idx]
            part = np.where(constant[idx], 0.0, part)
            if part.sum() <= 0:
                raise InputError(
                    [
                        Problem(
                            f"no indicator of subsystem {sub.id!r} ({sub.name_zh}) varies over "
                            "the fit data, so its score is undefined"
                        )
                    ],
                    "a subsystem cannot be scored",
                )
            within[idx] = part / part.sum()
        if method == "equal":
            raw = np.zeros(m)
            for sub in system.subsystems:
                idx = np.array([col[i.id] for i in sub.indicators])
                raw[idx] = 1.0 / len(idx)
        return within, raw

    def _fit_dask(self, ddf: Any) -> CoordinationModel:
        """:meth:`fit` on a Dask DataFrame: the two passes run as Dask tasks per partition."""
        import dask

        system = _as_system(self.system)
        conf = self._resolved(system)
        ids = system.indicator_ids
        _require_columns(list(ddf.columns), system)
        parts = ddf.to_delayed()
        firsts = dask.compute(*[dask.delayed(_partition_range)(p, ids) for p in parts])
        rng = RangeStats.empty(len(ids))
        cities: set[str] = set()
        years: set[int] = set()
        for part, c, y, problems in firsts:
            if problems:
                raise InputError(problems, "missing or non-finite value(s) in the Dask panel")
            rng = rng.merge(part)
            cities.update(c)
            years.update(y)
        if rng.n == 0:
            raise InputError([Problem("the panel has no rows")], "no data to fit")
        plan = self._plan(conf, system, rng, stacklevel=4)
        second = None
        if plan.needs_second_pass:
            task = dask.delayed(_partition_second)
            seconds = dask.compute(*[task(p, ids, plan) for p in parts])
            second = plan.empty_second()
            for s in seconds:
                second = second.merge(s)
        keys = (sorted(map(str, cities)), sorted(int(y) for y in years))
        return self._finish_fit(conf, system, plan, second, keys)

    def _outside(self, X: np.ndarray, index: pd.Index, n: int, stacklevel: int = 5) -> None:
        """Raise (``out_of_range="error"``) or warn about ``n`` values outside the bounds."""
        if self.params_["out_of_range"] == "error":
            lo, hi = self.lo_.to_numpy(), self.hi_.to_numpy()
            rows, cols = _first_outside(X, lo, hi, 100)
            ids = self.system_.indicator_ids
            raise InputError(
                [
                    Problem(
                        f"value outside the fitted range [{lo[c]:g}, {hi[c]:g}] at "
                        f"{index[r]!r} (out_of_range='error')",
                        column=ids[c],
                        value=f"{X[r, c]:g}",
                    )
                    for r, c in zip(rows, cols, strict=True)
                ],
                f"{n} value(s) outside the fitted range",
            )
        self._warn_outside(n, stacklevel + 1)

    def _warn_outside(self, n: int, stacklevel: int) -> None:
        warnings.warn(
            f"{n} value(s) lie outside the fitted range; out_of_range="
            f"{self.params_['out_of_range']!r} (see flag_out_of_range)",
            DataWarning,
            stacklevel=stacklevel,
        )

    def _normalized(self, X: np.ndarray, index: pd.Index) -> np.ndarray:
        lo, hi = self.lo_.to_numpy(), self.hi_.to_numpy()
        sign = np.array([1.0 if d == "+" else -1.0 for d in self.system_.directions.values()])
        n = _count_outside(X, lo, hi)
        if n:
            self._outside(X, index, n, stacklevel=4)
        Z = minmax_arrays(X, lo, hi, sign)
        if self.params_["out_of_range"] == "clip":
            np.clip(Z, 0.0, 1.0, out=Z)
        return Z

    def normalized(self, panel: Any) -> pd.DataFrame:
        """Normalised values z′ of ``panel`` with the fitted bounds (benefit-oriented, [0, 1]
        on the fit data), as used for scores and obstacle degrees."""
        check_is_fitted(self)
        X, index = self._matrix(panel, self.system_)
        return pd.DataFrame(
            self._normalized(X, index), index=index, columns=self.system_.indicator_ids
        )

    def transform(self, panel: Any) -> Any:
        """Score a panel with the fitted state; row-wise, so new years never change old scores.

        Parameters
        ----------
        panel : DataFrame, dask DataFrame or array-like
            Same layout as in :meth:`fit`.

        Returns
        -------
        DataFrame or ndarray
            For a DataFrame, a DataFrame indexed like ``panel`` (for an array, an ndarray of
            the same columns, as scikit-learn transformers return): one column per
            subsystem id (scores U), then
            ``composite`` (TOPSIS closeness over all indicators with the global weights and
            the ideal/anti-ideal points z′ = 1 and z′ = 0 of the fitted bounds). For a Dask
            DataFrame, a lazy Dask DataFrame with the same columns after ``city`` and
            ``year``; there, values outside the bounds are scored by the ``out_of_range``
            policy without a warning (``"error"`` raises when computed).

        Warns
        -----
        DataWarning
            When values lie outside the fitted bounds (pandas and arrays).

        Notes
        -----
        One pass over the data, block by block:
        ``z′ = (x − origin)·scale``, ``U_r = Σ_{j∈r} w_{j|r} z′_j``,
        ``D⁺ = √Σ_j f_j max(1 − z′_j, 0)²``, ``D⁻ = √Σ_j f_j max(z′_j, 0)²``,
        ``C = D⁻/(D⁺ + D⁻)`` (the textbook distances inside the bounds; past a bound a value
        adds no distance from the point it has passed, so C is monotone) with
        ``f = w²`` (weights in the matrix) or ``f = w`` (weights in the distance).
        """
        if _is_dask(panel):
            return self._transform_dask(panel)
        check_is_fitted(self)
        X, index = self._matrix(panel, self.system_, check=False)
        res = self._score(X, index)
        if not isinstance(panel, pd.DataFrame):
            return res.values
        return pd.DataFrame(
            res.values, index=index, columns=self.get_feature_names_out(), copy=False
        )

    def _score(self, X: np.ndarray, index: pd.Index, distances: bool = False) -> BlockScores:
        """Scores of raw values with the range and finiteness checks of :meth:`transform`."""
        with np.errstate(invalid="ignore", divide="ignore", over="ignore"):  # refused below
            res = self._scorer().score(X, distances)
        if not res.finite:
            raise _nonfinite_error(X, index, self.system_.indicator_ids)
        if not np.isfinite(res.values).all():
            raise _overflow_error(X, index, self.system_.indicator_ids, res.values)
        if res.n_outside:
            self._outside(X, index, res.n_outside)
        return res

    def _scorer(self) -> _Scorer:
        """The fitted state as the arrays of :func:`coordeval.kernels.blocks.score_arrays`."""
        system = self.system_
        ids = system.indicator_ids
        lo, hi = self.lo_.to_numpy(), self.hi_.to_numpy()
        sign = np.array([1.0 if system.directions[i] == "+" else -1.0 for i in ids])
        origin, scale = minmax_params(lo, hi, sign)
        within = self.within_weights_.reindex(ids).to_numpy()
        w = self.weights_.reindex(ids).to_numpy()
        power = 2 if self.params_["topsis_weights_in"] == "matrix" else 1
        col = {i: k for k, i in enumerate(ids)}
        m, n_sub = len(ids), len(system.subsystems)
        if self.params_["scoring"] == "weighted_sum":
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
        return _Scorer(
            ids,
            origin,
            scale,
            W,
            F,
            lo,
            hi,
            self.params_["out_of_range"],
            [str(c) for c in self.get_feature_names_out()],
        )

    def _scores(self, Z: np.ndarray) -> np.ndarray:
        """Scores (subsystems, then composite) of already normalised values ``Z``."""
        return self._scorer().score_normalized(Z).values

    def composite_table(self, panel: Any) -> pd.DataFrame:
        """TOPSIS composite: ``d_plus``, ``d_minus``, ``closeness`` and ``rank`` (within year)."""
        check_is_fitted(self)
        X, index = self._matrix(panel, self.system_, check=False)
        res = self._score(X, index, distances=True)
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

    def _transform_dask(self, ddf: Any) -> Any:
        """:meth:`transform` of a Dask DataFrame, lazily, partition by partition."""
        check_is_fitted(self)
        _require_columns(list(ddf.columns), self.system_)
        scorer = self._scorer()
        keys = [c for c in ("city", "year") if c in ddf.columns]
        meta = pd.DataFrame(
            {
                **{c: pd.Series([], dtype=ddf.dtypes[c]) for c in keys},
                **{c: pd.Series([], dtype=np.float64) for c in scorer.names},
            }
        )
        return ddf.map_partitions(_partition_scores, scorer, keys, meta=meta)

    def flag_out_of_range(self, panel: Any) -> pd.DataFrame:
        """Every (row, indicator) whose value lies outside the fitted bounds.

        Returns
        -------
        DataFrame
            Columns ``row`` (the panel's index label), ``indicator``, ``value``, ``lo``,
            ``hi``, ``side`` (``"below"``/``"above"``); empty when all values are in range.
        """
        check_is_fitted(self)
        X, index = self._matrix(panel, self.system_)
        lo, hi = self.lo_.to_numpy(), self.hi_.to_numpy()
        rows, cols = np.nonzero((X < lo) | (X > hi))
        ids = np.array(self.system_.indicator_ids, dtype=object)
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

    def subsystem_alpha(self) -> pd.Series | None:
        """Contribution coefficients α of T: the system's fixed subsystem weights when every
        subsystem has one, else ``None`` (equal α = 1/n)."""
        check_is_fitted(self)
        fixed = [s.weight for s in self.system_.subsystems]
        if all(w is not None for w in fixed):
            return pd.Series(fixed, index=self.system_.subsystem_ids, dtype=np.float64)
        return None

    def is_fit_data(self, index: pd.Index) -> bool:
        """Whether ``index`` holds exactly the fit data's city-years (same number of rows,
        cities and years, no duplicates): a refit report rather than a frozen-scale one."""
        check_is_fitted(self)
        if not (isinstance(index, pd.MultiIndex) and list(index.names[:2]) == ["city", "year"]):
            return False
        if len(index) != self.n_obs_ or index.has_duplicates:
            return False
        cities = set(map(str, index.get_level_values("city").unique()))
        years = {int(y) for y in index.get_level_values("year").unique()}
        return cities == set(self.cities_) and years == set(self.years_)

    def coupling_coordination(
        self, scores: pd.DataFrame, *, intervalize: bool | None = None
    ) -> pd.DataFrame:
        """Coupling coordination of subsystem scores with this model's conventions.

        (Named so because ``coupling`` is the estimator parameter holding the model name.)

        The one coupling step behind :meth:`assess`, ``coordeval score`` (``scores.csv``) and
        the monitoring report, so that all of them give the same C, T and D.

        Parameters
        ----------
        scores : DataFrame
            At least the subsystem-score columns (e.g. :meth:`transform`'s output, or rows of
            ``scores.csv`` indexed by city and year).
        intervalize : bool, optional
            SPSSAU's rescaling of U to [0.01, 0.99] over the rows. Default: only for the
            ``spssau`` grade scheme when the rows are the fit data (:meth:`is_fit_data`);
            on a frozen scale each city-year is computed on its own.

        Returns
        -------
        DataFrame
            Indexed like ``scores``: ``C, T, D, grade, level_zh, level_en, stage, stage_en,
            clipped, floor_zero`` (see :func:`coordeval.analysis.coupling.coupling_step`).

        Notes
        -----
        The coupling model, the grade scheme and α (the system's fixed subsystem weights,
        else equal) are the model's. Scores outside [0, 1] (values beyond the fitted bounds
        under ``out_of_range="extend"``) are clipped to [0, 1] for C, T and D and named per
        row in ``clipped``.

        Examples
        --------
        >>> U = model.transform(new_panel)            # doctest: +SKIP
        >>> model.coupling_coordination(U)[["C", "T", "D"]]        # doctest: +SKIP
        """
        check_is_fitted(self)
        ids = self.system_.subsystem_ids
        if not isinstance(scores, pd.DataFrame):
            raise ConfigError("coupling needs a DataFrame with one column per subsystem score")
        missing = [i for i in ids if i not in scores.columns]
        if missing:
            raise ConfigError(f"coupling: the scores lack the subsystem column(s) {missing}")
        conv = self.params_
        if intervalize is None:
            intervalize = conv["grades"] == "spssau" and self.is_fit_data(scores.index)
        return coupling_step(
            scores[ids],
            model=conv["coupling"],
            weights=self.subsystem_alpha(),
            grades=conv["grades"],
            intervalize=intervalize,
        )

    def get_feature_names_out(self, input_features: Any = None) -> np.ndarray:
        """Output columns: the subsystem ids, then ``composite``.

        ``input_features``, when given, must be the indicator ids seen in :meth:`fit` (as
        scikit-learn checks them); the output names do not depend on them.
        """
        check_is_fitted(self)
        if input_features is not None:
            given = np.asarray(input_features, dtype=object)
            if len(given) != self.n_features_in_:
                raise ValueError(
                    "input_features should have length equal to number of features "
                    f"({self.n_features_in_}), got {len(given)}"
                )
            names = getattr(self, "feature_names_in_", None)
            if names is not None and not np.array_equal(given, names):
                raise ValueError("input_features is not equal to feature_names_in_")
        return np.array([*self.system_.subsystem_ids, "composite"], dtype=object)

    def __sklearn_is_fitted__(self) -> bool:
        return hasattr(self, "weights_")

    def assess(self, panel: Any, **kwargs: Any) -> Any:
        """Score ``panel`` and run every analysis; returns an :class:`~coordeval.Assessment`.

        Keyword arguments are passed to :func:`coordeval.assessment.build_assessment`.
        """
        from coordeval.assessment import build_assessment

        check_is_fitted(self)
        return build_assessment(self, panel, **kwargs)

    def to_dict(self) -> dict[str, Any]:
        """Everything needed to reproduce the scores, as JSON-able data."""
        check_is_fitted(self)
        fitted: dict[str, Any] = {
            "n_obs": self.n_obs_,
            "cities": self.cities_,
            "years": self.years_,
            "lo": self.lo_.to_dict(),
            "hi": self.hi_.to_dict(),
            "bounds_source": self.bounds_source_.to_dict(),
            "constant": self.constant_,
            "within_weights": self.within_weights_.to_dict(),
            "subsystem_weights": self.subsystem_weights_.to_dict(),
            "weights": self.weights_.to_dict(),
            "entropy": None if self.entropy_ is None else self.entropy_.to_dict(orient="index"),
        }
        return {
            "format": MODEL_FORMAT,
            "schema_version": MODEL_SCHEMA_VERSION,
            "coordeval_version": __version__,
            "created": datetime.now(UTC).isoformat(timespec="seconds"),
            "params": self.get_params(deep=False) | {"system": None},
            "conventions": self.params_,
            "system_sha256": self.system_.sha256,
            "system": self.system_.content(),
            "fitted": fitted,
            "fitted_sha256": fitted_sha256(fitted),
        } | {
            "checksums": _checksums(
                self.get_params(deep=False) | {"system": None}, fitted, self.system_.content()
            )
        }

    def save(self, path: str | Path) -> Path:
        """Write the fitted model as JSON (atomically). Never pickle.

        Floats are written with full precision (``repr``), so :func:`load_model` restores
        scores exactly.
        """
        text = json.dumps(self.to_dict(), ensure_ascii=False, indent=1, allow_nan=False)
        return write_text_atomic(path, text + "\n")


_FITTED_KEYS = (
    "n_obs",
    "cities",
    "years",
    "lo",
    "hi",
    "bounds_source",
    "constant",
    "within_weights",
    "subsystem_weights",
    "weights",
    "entropy",
)


def fitted_sha256(fitted: dict[str, Any]) -> str:
    """Hash of the fitted numbers of a model file (canonical JSON), to detect hand edits."""
    text = json.dumps(fitted, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


#: Largest model file read (bytes) and deepest JSON nesting accepted.
MODEL_MAX_BYTES = 64 * 1024 * 1024
MODEL_MAX_DEPTH = 32
_JSON_STRING = re.compile(rb'"(?:[^"\\]|\\.)*"', re.DOTALL)


def _checksums(params: dict[str, Any], fitted: dict[str, Any], system: dict[str, Any]) -> dict:
    """One short hash per part of a model file, so that an edit can be named.

    Parts: ``params.<name>``, ``fitted.<field>``, ``system.<field>`` and
    ``system.subsystems[<id>]`` / ``system.subsystems[<id>].indicators[<id>]``.
    """
    parts: dict[str, Any] = {f"params.{k}": v for k, v in params.items() if k != "system"}
    parts |= {f"fitted.{k}": v for k, v in fitted.items()}
    parts |= {f"system.{k}": v for k, v in system.items() if k != "subsystems"}
    for sub in system.get("subsystems") or []:
        if not isinstance(sub, dict):
            continue
        head = f"system.subsystems[{sub.get('id')}]"
        parts[head] = {k: v for k, v in sub.items() if k != "indicators"}
        for ind in sub.get("indicators") or []:
            if isinstance(ind, dict):
                parts[f"{head}.indicators[{ind.get('id')}]"] = ind
    return {k: fitted_sha256(v)[:16] for k, v in parts.items()}


def _what_changed(data: dict[str, Any]) -> str:
    """The parts of a model file whose content differs from their recorded checksums."""
    recorded = data.get("checksums")
    if not isinstance(recorded, dict):
        return ""
    params = data["params"] if isinstance(data.get("params"), dict) else {}
    now = _checksums(params, data["fitted"], data["system"])
    changed = sorted(k for k in set(now) | set(recorded) if now.get(k) != recorded.get(k))
    if not changed:
        return ""
    shown = ", ".join(changed[:8]) + (f" and {len(changed) - 8} more" if len(changed) > 8 else "")
    return f" (changed: {shown})"


def _json_depth(raw: bytes) -> int:
    """Deepest nesting of arrays and objects in JSON text (strings skipped), vectorised."""
    bare = np.frombuffer(_JSON_STRING.sub(b'""', raw), dtype=np.uint8)
    step = np.isin(bare, (ord("["), ord("{"))).astype(np.int64)
    step -= np.isin(bare, (ord("]"), ord("}")))
    return int(np.cumsum(step).max(initial=0))


def _strict_json(raw: bytes, name: str) -> Any:
    """Parse a model file as strict JSON: no NaN/Infinity, no repeated keys, bounded depth."""

    def constant(token: str) -> Any:
        raise ConfigError(f"{name}: {token} is not a JSON number; a model holds finite numbers")

    def pairs(items: list[tuple[str, Any]]) -> dict[str, Any]:
        out = dict(items)
        if len(out) != len(items):
            seen = [k for k, _ in items]
            dup = sorted({k for k in seen if seen.count(k) > 1})
            raise ConfigError(f"{name}: the key(s) {dup} appear twice in one JSON object")
        return out

    if len(raw) > MODEL_MAX_BYTES:
        raise ConfigError(
            f"{name}: {len(raw)} bytes is more than a model file can be "
            f"({MODEL_MAX_BYTES // 2**20} MB)"
        )
    depth = _json_depth(raw)
    if depth > MODEL_MAX_DEPTH:
        raise ConfigError(
            f"{name}: JSON nested {depth} levels deep (a model has at most {MODEL_MAX_DEPTH})"
        )
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ConfigError(f"{name}: not a coordeval model file (not UTF-8 JSON)") from None
    try:
        return json.loads(text, parse_constant=constant, object_pairs_hook=pairs)
    except json.JSONDecodeError as exc:
        raise ConfigError(f"{name}: not valid JSON ({exc.msg} at line {exc.lineno})") from None
    except RecursionError:
        raise ConfigError(f"{name}: JSON nested too deeply") from None


def model_from_dict(data: dict[str, Any], origin: str = "<dict>") -> CoordinationModel:
    """Rebuild a fitted :class:`CoordinationModel` from :meth:`CoordinationModel.to_dict` data.

    Raises
    ------
    ConfigError
        Naming exactly what is wrong: not a coordeval model, an unknown schema version, a
        system whose content does not match its recorded hash (edited by hand), a missing
        field, or fitted numbers that do not fit the system.
    """
    if not isinstance(data, dict) or data.get("format") != MODEL_FORMAT:
        raise ConfigError(f'{origin}: not a coordeval model file (no "format": "{MODEL_FORMAT}")')
    version = data.get("schema_version")
    if version != MODEL_SCHEMA_VERSION:
        raise ConfigError(
            f"{origin}: model schema version {version!r} is not supported by coordeval "
            f"{__version__} (it reads version {MODEL_SCHEMA_VERSION}); refit the model"
        )
    missing = [k for k in ("system", "system_sha256", "params", "fitted") if k not in data]
    if missing:
        raise ConfigError(f"{origin}: missing field(s) {', '.join(missing)}")
    if not all(isinstance(data[k], dict) for k in ("system", "params", "fitted")):
        raise ConfigError(f"{origin}: the fields system, params and fitted must be JSON objects")
    system = system_from_dict(data["system"], f"{origin} (embedded system)")
    if system.sha256 != data["system_sha256"]:
        raise ConfigError(
            f"{origin}: the embedded indicator system does not match its recorded hash "
            f"(recorded {str(data['system_sha256'])[:12]}…, content {system.sha256[:12]}…)"
            f"{_what_changed(data)}: "
            "the file was edited; refit instead of editing a model"
        )
    fitted = data["fitted"]
    missing = [k for k in _FITTED_KEYS if k not in fitted]
    if missing:
        raise ConfigError(f"{origin}: missing fitted field(s) {', '.join(missing)}")
    recorded = data.get("fitted_sha256")
    if not isinstance(recorded, str):
        raise ConfigError(
            f"{origin}: the hash of the fitted numbers (fitted_sha256) is missing, so edits "
            "cannot be detected; refit instead of editing a model"
        )
    if recorded != fitted_sha256(fitted):
        raise ConfigError(
            f"{origin}: the fitted numbers do not match their recorded hash{_what_changed(data)}: "
            "the file was edited; refit instead of editing a model"
        )
    changed = _what_changed(data)
    if changed:
        raise ConfigError(
            f"{origin}: the model file does not match its recorded checksums{changed}: the "
            "file was edited; refit instead of editing a model"
        )
    params = {k: v for k, v in data["params"].items() if k != "system"}
    unknown = sorted(set(params) - set(CoordinationModel().get_params()))
    if unknown:
        raise ConfigError(f"{origin}: unknown parameter(s) {unknown} in params")
    try:
        model = CoordinationModel(system=system, **params)
        conf = model._resolved(system)
    except ConfigError:
        raise
    except (TypeError, ValueError) as exc:
        raise ConfigError(f"{origin}: params are damaged ({exc})") from None
    ids = system.indicator_ids
    try:

        def series(key: str, name: str, index: list[str]) -> pd.Series:
            values = fitted[key]
            absent = [i for i in index if i not in values]
            if absent:
                raise ConfigError(f"{origin}: fitted.{key} lacks {absent}")
            return pd.Series([float(values[i]) for i in index], index=index, name=name)

        model.lo_ = series("lo", "lo", ids)
        model.hi_ = series("hi", "hi", ids)
        model.within_weights_ = series("within_weights", "within_weight", ids)
        model.subsystem_weights_ = series(
            "subsystem_weights", "subsystem_weight", system.subsystem_ids
        )
        model.weights_ = series("weights", "weight", ids)
        model.bounds_source_ = pd.Series([fitted["bounds_source"][i] for i in ids], index=ids)
        ent = fitted["entropy"]
        if ent is not None and not (
            isinstance(ent, dict) and all(isinstance(v, dict) for v in ent.values())
        ):
            raise TypeError("fitted.entropy must map each indicator id to its e and d")
        model.entropy_ = None if ent is None else pd.DataFrame.from_dict(ent, orient="index")
        lists = [fitted[k] for k in ("constant", "cities", "years")]
        if not all(isinstance(v, list) for v in lists):
            raise TypeError("fitted.constant, cities and years must be lists")
        model.constant_ = [str(i) for i in fitted["constant"]]
        model.n_obs_ = int(fitted["n_obs"])
        model.cities_ = [str(c) for c in fitted["cities"]]
        model.years_ = [int(y) for y in fitted["years"]]
    except ConfigError:
        raise
    except (KeyError, TypeError, ValueError, AttributeError, OverflowError) as exc:
        raise ConfigError(f"{origin}: fitted numbers are damaged ({exc})") from None
    all_num = np.concatenate([model.lo_, model.hi_, model.weights_, model.within_weights_])
    if not np.all(np.isfinite(all_num)) or abs(model.weights_.sum() - 1) > 1e-9:
        raise ConfigError(f"{origin}: fitted numbers are not finite or weights do not sum to 1")
    model.system_ = system
    model.params_ = conf
    model.feature_names_in_ = np.array(ids, dtype=object)
    model.n_features_in_ = len(ids)
    return model


def load_model(path: str | Path) -> CoordinationModel:
    """Load a model written by :meth:`CoordinationModel.save`.

    The JSON is checked (format, schema version, the hashes of the embedded indicator system
    and of the fitted numbers) before anything is restored; pickles are never read.

    Parameters
    ----------
    path : str or Path
        The model file (``.json``).

    Returns
    -------
    CoordinationModel
        A fitted model that scores exactly as the saved one.

    Raises
    ------
    ConfigError
        If the file is missing, not JSON, or not a valid coordeval model (see
        :func:`model_from_dict`).
    """
    p = Path(path)
    try:
        if p.stat().st_size > MODEL_MAX_BYTES:
            raise ConfigError(
                f"{p.name}: {p.stat().st_size} bytes is more than a model file can be "
                f"({MODEL_MAX_BYTES // 2**20} MB)"
            )
        raw = p.read_bytes()
    except OSError as exc:
        raise ConfigError(f"{p}: cannot read the model file ({exc.strerror or exc})") from None
    return model_from_dict(_strict_json(raw, p.name), p.name)


def _is_dask(obj: Any) -> bool:
    """True for a Dask DataFrame (checked by module name, so Dask is imported only when used)."""
    return type(obj).__module__.split(".")[0] in ("dask", "dask_expr") and hasattr(
        obj, "map_partitions"
    )


def _require_columns(columns: list[Any], system: IndicatorSystem) -> None:
    missing = [i for i in system.indicator_ids if i not in columns]
    if missing:
        names = [f"{i} ({system.indicator(i).name_zh})" for i in missing]
        raise InputError(
            [Problem(f"indicator column missing: {n}") for n in names],
            f"the data lack {len(missing)} indicator(s) of system {system.name!r}",
        )


def _dense_matrix(panel: Any, m: int) -> np.ndarray:
    """A float64 matrix of ``m`` columns from array-like input, with scikit-learn's messages."""
    if hasattr(panel, "toarray") or type(panel).__module__.startswith("scipy.sparse"):
        raise ValueError(
            "sparse input is not supported: pass a dense array or a DataFrame (sparse data "
            "would treat missing cells as 0)"
        )
    A = np.asarray(panel)
    if A.dtype.kind == "c":
        raise ValueError("Complex data not supported: indicator values must be real numbers")
    A = A.astype(np.float64, copy=False)
    if A.ndim != 2:
        raise ValueError(
            f"expected a 2-D array (rows = city-years, columns = indicators), got {A.ndim} "
            "dimension(s). Reshape your data either using array.reshape(-1, 1) if your data "
            "has a single feature or array.reshape(1, -1) if it contains a single sample."
        )
    if A.shape[1] == 0:
        raise ValueError(
            f"0 feature(s) (shape={A.shape}) while a minimum of 1 is required: the array has "
            "no indicator columns"
        )
    if A.shape[1] != m:
        raise ValueError(
            f"X has {A.shape[1]} features, but CoordinationModel is expecting {m} features as "
            "input (one column per indicator of the system, in its order)"
        )
    return A


def _nonfinite_error(A: np.ndarray, index: pd.Index, ids: list[str]) -> InputError:
    """The located error for NaN or infinite values (first 50 listed, all counted)."""
    bad = ~np.isfinite(A)
    rows, cols = np.nonzero(bad)
    probs = [
        Problem(
            f"missing or non-finite value at {index[r]!r}; choose a missing-value "
            "policy (missing='drop' or missing='interpolate') or fill it",
            column=ids[c],
            value=str(A[r, c]),
        )
        for r, c in zip(rows[:50], cols[:50], strict=True)
    ]
    return InputError(
        probs, f"{int(bad.sum())} missing (NaN) or infinite (inf) value(s) in the indicators"
    )


def _row_label(label: Any) -> str:
    """A row's index label as the user typed it: ``甲 2019`` for the key (甲, 2019)."""
    if isinstance(label, tuple):
        return " ".join(str(x) for x in label)
    return str(label)


def _refuse_duplicate_keys(index: pd.Index) -> None:
    """Refuse a (city, year) panel that lists a key twice (it would count twice in the fit)."""
    if not (isinstance(index, pd.MultiIndex) and {"city", "year"} <= set(index.names)):
        return
    keys = index.droplevel([n for n in index.names if n not in ("city", "year")])
    dup = keys.duplicated(keep=False)
    if dup.any():
        shown = sorted({f"{c} {y}" for c, y in keys[dup]})
        raise InputError(
            [Problem(f"(city, year) {k} appears more than once") for k in shown[:50]],
            f"{len(shown)} (city, year) key(s) appear more than once; each city-year must be "
            "one row (drop or merge the duplicates before fitting)",
        )


def _refuse_unscalable(X: np.ndarray, index: pd.Index, ids: list[str], rng: RangeStats) -> None:
    """Refuse columns whose range ``max − min`` (or its reciprocal) is not a finite double.

    Min-max normalisation divides by the range; beyond about 1.8e308 (values of both signs
    near the largest double) or below about 5.6e-309 (a spread within the subnormal numbers)
    that division cannot be represented. Each column is named with the cells of its extremes.
    """
    with np.errstate(over="ignore", divide="ignore"):
        span = rng.max - rng.min
        bad = (span > 0) & ~(np.isfinite(span) & np.isfinite(1.0 / span))
    if not bad.any():
        return
    problems = []
    for j in np.flatnonzero(bad):
        lo_at, hi_at = int(np.argmin(X[:, j])), int(np.argmax(X[:, j]))
        problems.append(
            Problem(
                f"values from {float(rng.min[j])!r} (at {_row_label(index[lo_at])}) to "
                f"{float(rng.max[j])!r} (at {_row_label(index[hi_at])}) span a range double "
                "precision cannot divide by; rescale the indicator (a unit of another magnitude)",
                column=ids[j],
            )
        )
    raise InputError(
        problems, f"{len(problems)} indicator(s) cannot be min-max normalised in double precision"
    )


def _overflow_error(
    X: np.ndarray, index: pd.Index, ids: list[str], values: np.ndarray
) -> InputError:
    """The located error for scores that overflow (values far beyond the fitted bounds)."""
    rows = np.flatnonzero(~np.isfinite(values).all(axis=1))
    probs = []
    for r in rows[:50]:
        j = int(np.argmax(np.abs(X[r])))
        probs.append(
            Problem(
                f"the scores of {_row_label(index[r])} overflow: its values lie too far beyond "
                "the fitted bounds (out_of_range='extend'); check the value or use "
                "out_of_range='clip'",
                column=ids[j],
                value=repr(float(X[r, j])),
            )
        )
    return InputError(probs, f"{rows.size} row(s) give scores beyond the double range")


def _count_outside(X: np.ndarray, lo: np.ndarray, hi: np.ndarray) -> int:
    """Number of values outside ``[lo, hi]``, checked against the column extremes first."""
    rng = RangeStats.of(X)
    if not ((rng.min < lo).any() or (rng.max > hi).any()):
        return 0

    def part(a: int, b: int, scratch: Any) -> int:
        blk = X[a:b]
        return int(np.count_nonzero((blk < lo) | (blk > hi)))

    return sum(map_blocks(part, X.shape[0], default_block_rows(X.shape[1])))


def _first_outside(
    X: np.ndarray, lo: np.ndarray, hi: np.ndarray, limit: int
) -> tuple[np.ndarray, np.ndarray]:
    """Row and column positions of the first ``limit`` values outside ``[lo, hi]``."""
    rows: list[np.ndarray] = []
    cols: list[np.ndarray] = []
    found = 0
    for a, b in row_blocks(X.shape[0], default_block_rows(X.shape[1])):
        r, c = np.nonzero((X[a:b] < lo) | (X[a:b] > hi))
        rows.append(r + a)
        cols.append(c)
        found += r.size
        if found >= limit:
            break
    if not rows:
        return np.zeros(0, dtype=np.intp), np.zeros(0, dtype=np.intp)
    return np.concatenate(rows)[:limit], np.concatenate(cols)[:limit]


def _distinct_keys(index: pd.Index, frame: Any = None) -> tuple[set[Any], set[Any]]:
    """Distinct cities and years of one chunk, unconverted (merged, then sorted once)."""
    if isinstance(index, pd.MultiIndex) and {"city", "year"} <= set(index.names):
        cities = index.get_level_values("city").unique()
        years = index.get_level_values("year").unique()
    elif isinstance(frame, pd.DataFrame) and {"city", "year"} <= set(frame.columns):
        cities, years = frame["city"].unique(), frame["year"].unique()
    else:
        return set(), set()
    return set(np.asarray(cities, dtype=object).tolist()), set(np.asarray(years).tolist())


def _cities_years(index: pd.Index, frame: Any = None) -> tuple[list[str], list[int]]:
    """Sorted distinct cities and years of a panel: (city, year) index levels, else columns."""
    if isinstance(index, pd.MultiIndex) and {"city", "year"} <= set(index.names):
        cities = index.get_level_values("city").unique()
        years = index.get_level_values("year").unique()
    elif isinstance(frame, pd.DataFrame) and {"city", "year"} <= set(frame.columns):
        cities, years = frame["city"].unique(), frame["year"].unique()
    else:
        return [], []
    return sorted(map(str, cities)), sorted(int(y) for y in years)


@dataclass(frozen=True)
class _FitPlan:
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


@dataclass(frozen=True)
class _Scorer:
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

    def score_normalized(self, Z: np.ndarray) -> BlockScores:
        """Scores of values already normalised to z′ (no range check, no clipping)."""
        m = len(self.ids)
        return score_arrays(Z, np.zeros(m), np.ones(m), self.sum_weights, self.topsis_factors)


def _partition_matrix(frame: pd.DataFrame, ids: list[str]) -> np.ndarray:
    try:
        return frame[ids].to_numpy(dtype=np.float64)
    except (TypeError, ValueError):
        bad = [c for c in ids if not pd.api.types.is_numeric_dtype(frame[c])]
        raise InputError(
            [Problem("column is not numeric", column=str(c)) for c in bad],
            "the panel has non-numeric indicator columns",
        ) from None


def _partition_range(
    frame: pd.DataFrame, ids: list[str]
) -> tuple[RangeStats, set[Any], set[Any], list[Problem]]:
    """Pass 1 on one Dask partition: extremes, cities, years and located non-finite values."""
    X = _partition_matrix(frame, ids)
    rng = RangeStats.of(X)
    problems: list[Problem] = []
    if not rng.finite:
        problems = _nonfinite_error(X, frame.index, ids).problems
    cities, years = _distinct_keys(frame.index, frame)
    return rng, cities, years, problems


def _partition_second(frame: pd.DataFrame, ids: list[str], plan: _FitPlan) -> Any:
    """Pass 2 on one Dask partition: the weighting's statistics."""
    return plan.second_pass(_partition_matrix(frame, ids))


def _partition_scores(frame: pd.DataFrame, scorer: _Scorer, keys: list[str]) -> pd.DataFrame:
    """Scores of one Dask partition, after its ``city``/``year`` columns."""
    X = _partition_matrix(frame, scorer.ids)
    res = scorer.score(X)
    if not res.finite:
        raise _nonfinite_error(X, frame.index, scorer.ids)
    if res.n_outside and scorer.out_of_range == "error":
        raise InputError(
            [Problem(f"{res.n_outside} value(s) outside the fitted range (out_of_range='error')")],
            f"{res.n_outside} value(s) outside the fitted range",
        )
    out = pd.DataFrame(res.values, index=frame.index, columns=scorer.names, copy=False)
    if keys:
        out = pd.concat([frame[keys], out], axis=1)
    return out
