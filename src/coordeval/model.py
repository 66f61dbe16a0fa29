"""CoordinationModel: fit normalisation bounds and weights on a reference panel, score any panel.

The model follows scikit-learn's estimator contract: parameters are stored verbatim in
``__init__`` and validated in ``fit``; learned state lives in attributes ending in ``_``.
Fitting is a set of column reductions (min, max, Σz, Σz·ln z, counts), so scoring next year's
data with a fitted (or saved and reloaded) model never changes earlier scores.
"""

from __future__ import annotations

import json
import math
import warnings
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.utils.validation import check_is_fitted

from coordeval._version import __version__
from coordeval.errors import (
    ConfigError,
    ConstantIndicatorWarning,
    DataWarning,
    InputError,
    Problem,
)
from coordeval.io.atomic import write_text_atomic
from coordeval.kernels.normalize import minmax_arrays
from coordeval.kernels.topsis import topsis_arrays
from coordeval.kernels.weights import column_sums, critic_weights, cv_weights, entropy_from_sums
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
}
WEIGHTINGS = ("entropy", "critic", "cv", "equal", "fixed")
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
    weighting : {"entropy", "critic", "cv", "equal", "fixed"}, optional
        How indicator weights are learned within each subsystem. ``fixed`` takes the
        ``weight`` of every indicator from the system.
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

    Attributes
    ----------
    system_ : IndicatorSystem
        The validated system.
    feature_names_in_ : ndarray of str
        Indicator ids in system order (the columns read from panels).
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
        }

    def _matrix(self, panel: Any, system: IndicatorSystem) -> tuple[np.ndarray, pd.Index]:
        """The indicator matrix in system order, with its row index; refuses NaN and inf."""
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
            A = np.asarray(panel, dtype=np.float64)
            if A.ndim != 2:
                raise ValueError(f"expected a 2-D array, got {A.ndim} dimension(s)")
            if A.shape[1] != len(ids):
                raise ValueError(
                    f"X has {A.shape[1]} features, but the system has {len(ids)} indicators"
                )
            index = pd.RangeIndex(A.shape[0])
        if A.shape[0] == 0:
            raise InputError([Problem("the panel has no rows")], "no data to score")
        bad = ~np.isfinite(A)
        if bad.any():
            rows, cols = np.nonzero(bad)
            probs = [
                Problem(
                    f"missing or non-finite value at {index[r]!r}; choose a missing-value "
                    "policy (missing='drop' or 'interpolate') or fill it",
                    column=ids[c],
                    value=str(A[r, c]),
                )
                for r, c in zip(rows[:50], cols[:50], strict=True)
            ]
            raise InputError(probs, f"{int(bad.sum())} missing or non-finite value(s)")
        return A, index

    def fit(self, panel: Any, y: Any = None) -> CoordinationModel:
        """Learn bounds, weights and ideal points from a reference panel.

        Parameters
        ----------
        panel : DataFrame or array-like of shape (n_city_years, n_indicators)
            One column per indicator id (extra columns ignored); typically indexed by
            (``city``, ``year``). Arrays must have the system's indicators in order.
        y : ignored

        Returns
        -------
        self
        """
        system = _as_system(self.system)
        conf = self._resolved(system)
        X, index = self._matrix(panel, system)
        ids = system.indicator_ids
        goal_lo = np.array([i.bounds[0] if i.bounds else np.nan for i in system.indicators])
        goal_hi = np.array([i.bounds[1] if i.bounds else np.nan for i in system.indicators])
        has_goal = ~np.isnan(goal_lo)
        lo = np.where(has_goal, goal_lo, X.min(axis=0))
        hi = np.where(has_goal, goal_hi, X.max(axis=0))
        sign = np.array([1.0 if i.direction == "+" else -1.0 for i in system.indicators])
        constant = (hi - lo) <= 0
        constant |= X.max(axis=0) - X.min(axis=0) <= 0
        if constant.any():
            names = [i for i, k in zip(ids, constant, strict=True) if k]
            warnings.warn(
                f"indicator(s) {names} do not vary over the fit data: weight 0",
                ConstantIndicatorWarning,
                stacklevel=2,
            )
        Z = minmax_arrays(X, lo, hi, sign)
        self.entropy_ = None
        within, raw = self._learn_weights(conf, system, X, Z, constant)
        membership = system.membership
        sub_ids = system.subsystem_ids
        by_sub = pd.Series(raw, index=ids).groupby(pd.Series(membership)).sum()
        fixed_sub = [s.weight for s in system.subsystems]
        if all(w is not None for w in fixed_sub):
            sub_w = np.array(fixed_sub, dtype=np.float64)
        elif any(w is not None for w in fixed_sub):
            raise ConfigError("give a weight for every subsystem or for none")
        else:
            sub_w = by_sub.reindex(sub_ids).to_numpy(dtype=np.float64)
        if sub_w.sum() <= 0:
            raise InputError(
                [Problem("no indicator varies over the fit data")], "nothing to weight"
            )
        sub_w = sub_w / sub_w.sum()
        sub_weights = pd.Series(sub_w, index=sub_ids, name="subsystem_weight")
        within_s = pd.Series(within, index=ids, name="within_weight")
        glob = within_s * pd.Series(membership).map(sub_weights).reindex(ids)

        self.system_ = system
        self.params_ = conf
        self.feature_names_in_ = np.array(ids, dtype=object)
        self.n_features_in_ = len(ids)
        self.lo_ = pd.Series(lo, index=ids, name="lo")
        self.hi_ = pd.Series(hi, index=ids, name="hi")
        self.bounds_source_ = pd.Series(np.where(has_goal, "goalpost", "fit"), index=ids)
        self.constant_ = [i for i, k in zip(ids, constant, strict=True) if k]
        self.within_weights_ = within_s
        self.subsystem_weights_ = sub_weights
        self.weights_ = glob.rename("weight")
        self.n_obs_ = int(X.shape[0])
        if isinstance(index, pd.MultiIndex) and {"city", "year"} <= set(index.names):
            self.cities_ = sorted(map(str, index.get_level_values("city").unique()))
            self.years_ = sorted(int(y) for y in index.get_level_values("year").unique())
        else:
            self.cities_, self.years_ = [], []
        return self

    def _learn_weights(
        self,
        conf: dict[str, Any],
        system: IndicatorSystem,
        X: np.ndarray,
        Z: np.ndarray,
        constant: np.ndarray,
    ) -> tuple[np.ndarray, np.ndarray]:
        """Within-subsystem weights and the method's global raw weights (for subsystem weights)."""
        ids = system.indicator_ids
        m = len(ids)
        method = conf["weighting"]
        if method == "entropy":
            if X.shape[0] < 2:
                raise InputError(
                    [Problem("the entropy method needs at least two city-years to fit")],
                    "too little data",
                )
            s, sl = column_sums(Z + conf["shift"])
            e = entropy_from_sums(s, sl, X.shape[0], constant)
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
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", ConstantIndicatorWarning)
                if method == "critic":
                    raw = critic_weights(Z).to_numpy()
                else:
                    if (X < 0).any():
                        bad = [i for i, b in zip(ids, (X < 0).any(axis=0), strict=True) if b]
                        raise InputError(
                            [Problem("negative values: the coefficient-of-variation method "
                                     "needs ratio-scale data (≥ 0)", column=c) for c in bad],
                            "weighting='cv' cannot use negative values",
                        )
                    raw = cv_weights(X).to_numpy()
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
            elif method in ("critic",) and len(idx) > 1:
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore", ConstantIndicatorWarning)
                    part = critic_weights(Z[:, idx]).to_numpy() if raw[idx].sum() > 0 else raw[idx]
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

    def _normalized(self, X: np.ndarray, index: pd.Index) -> np.ndarray:
        lo, hi = self.lo_.to_numpy(), self.hi_.to_numpy()
        sign = np.array([1.0 if d == "+" else -1.0 for d in self.system_.directions.values()])
        outside = (X < lo) | (X > hi)
        if outside.any():
            n = int(outside.sum())
            if self.params_["out_of_range"] == "error":
                rows, cols = np.nonzero(outside)
                ids = self.system_.indicator_ids
                raise InputError(
                    [
                        Problem(
                            f"value outside the fitted range [{lo[c]:g}, {hi[c]:g}] at "
                            f"{index[r]!r} (out_of_range='error')",
                            column=ids[c],
                            value=f"{X[r, c]:g}",
                        )
                        for r, c in zip(rows[:100], cols[:100], strict=True)
                    ],
                    f"{n} value(s) outside the fitted range",
                )
            warnings.warn(
                f"{n} value(s) lie outside the fitted range; out_of_range="
                f"{self.params_['out_of_range']!r} (see flag_out_of_range)",
                DataWarning,
                stacklevel=3,
            )
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

    def transform(self, panel: Any) -> pd.DataFrame:
        """Score a panel with the fitted state; row-wise, so new years never change old scores.

        Parameters
        ----------
        panel : DataFrame or array-like
            Same layout as in :meth:`fit`.

        Returns
        -------
        DataFrame
            Indexed like ``panel``: one column per subsystem id (scores U), then
            ``composite`` (TOPSIS closeness over all indicators with the global weights and
            the ideal/anti-ideal points z′ = 1 and z′ = 0 of the fitted bounds).
        """
        check_is_fitted(self)
        X, index = self._matrix(panel, self.system_)
        Z = self._normalized(X, index)
        return pd.DataFrame(self._scores(Z), index=index, columns=self.get_feature_names_out())

    def _scores(self, Z: np.ndarray) -> np.ndarray:
        system = self.system_
        col = {i: k for k, i in enumerate(system.indicator_ids)}
        within = self.within_weights_.to_numpy()
        out = np.empty((Z.shape[0], len(system.subsystems) + 1))
        wi = self.params_["topsis_weights_in"]
        for k, sub in enumerate(system.subsystems):
            idx = np.array([col[i.id] for i in sub.indicators])
            if self.params_["scoring"] == "weighted_sum":
                out[:, k] = Z[:, idx] @ within[idx]
            else:
                m = len(idx)
                out[:, k] = topsis_arrays(Z[:, idx], within[idx], np.ones(m), np.zeros(m), wi)[2]
        w = self.weights_.to_numpy()
        m = Z.shape[1]
        out[:, -1] = topsis_arrays(Z, w, np.ones(m), np.zeros(m), wi)[2]
        return out

    def composite_table(self, panel: Any) -> pd.DataFrame:
        """TOPSIS composite: ``d_plus``, ``d_minus``, ``closeness`` and ``rank`` (within year)."""
        check_is_fitted(self)
        X, index = self._matrix(panel, self.system_)
        Z = self._normalized(X, index)
        m = Z.shape[1]
        dp, dm, c = topsis_arrays(
            Z, self.weights_.to_numpy(), np.ones(m), np.zeros(m), self.params_["topsis_weights_in"]
        )
        out = pd.DataFrame({"d_plus": dp, "d_minus": dm, "closeness": c}, index=index)
        if isinstance(index, pd.MultiIndex) and "year" in index.names:
            rank = out.groupby(level="year")["closeness"].rank(method="min", ascending=False)
        else:
            rank = out["closeness"].rank(method="min", ascending=False)
        out["rank"] = rank.astype(np.int64)
        return out

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

    def get_feature_names_out(self, input_features: Any = None) -> np.ndarray:
        """Output columns: the subsystem ids, then ``composite``."""
        check_is_fitted(self)
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
    system = system_from_dict(data["system"], f"{origin} (embedded system)")
    if system.sha256 != data["system_sha256"]:
        raise ConfigError(
            f"{origin}: the embedded indicator system does not match its recorded hash "
            f"(recorded {str(data['system_sha256'])[:12]}…, content {system.sha256[:12]}…): "
            "the file was edited; refit instead of editing a model"
        )
    fitted = data["fitted"]
    missing = [k for k in _FITTED_KEYS if k not in fitted]
    if missing:
        raise ConfigError(f"{origin}: missing fitted field(s) {', '.join(missing)}")
    params = {k: v for k, v in data["params"].items() if k != "system"}
    model = CoordinationModel(system=system, **params)
    conf = model._resolved(system)
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
        model.entropy_ = None if ent is None else pd.DataFrame.from_dict(ent, orient="index")
    except (KeyError, TypeError, ValueError) as exc:
        raise ConfigError(f"{origin}: fitted numbers are damaged ({exc})") from None
    all_num = np.concatenate([model.lo_, model.hi_, model.weights_, model.within_weights_])
    if not np.all(np.isfinite(all_num)) or abs(model.weights_.sum() - 1) > 1e-9:
        raise ConfigError(f"{origin}: fitted numbers are not finite or weights do not sum to 1")
    model.system_ = system
    model.params_ = conf
    model.feature_names_in_ = np.array(ids, dtype=object)
    model.n_features_in_ = len(ids)
    model.constant_ = list(fitted["constant"])
    model.n_obs_ = int(fitted["n_obs"])
    model.cities_ = list(fitted["cities"])
    model.years_ = [int(y) for y in fitted["years"]]
    return model


def load_model(path: str | Path) -> CoordinationModel:
    """Load a model written by :meth:`CoordinationModel.save`.

    Raises
    ------
    ConfigError
        If the file is missing, not JSON, or not a valid coordeval model (see
        :func:`model_from_dict`).
    """
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8")
    except OSError as exc:
        raise ConfigError(f"{p}: cannot read the model file ({exc.strerror})") from None
    except UnicodeDecodeError:
        raise ConfigError(f"{p.name}: not a coordeval model file (not UTF-8 JSON)") from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ConfigError(f"{p.name}: not valid JSON ({exc.msg} at line {exc.lineno})") from None
    return model_from_dict(data, p.name)
