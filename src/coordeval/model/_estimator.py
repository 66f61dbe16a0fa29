"""The estimator: :class:`CoordinationModel`, a scikit-learn transformer over the rooms of
:mod:`coordeval.model` (fitting, engines, scoring, coupling, persistence)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any, Literal

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.utils.validation import check_is_fitted

from coordeval._coded import config_error
from coordeval.conventions import Conventions, resolve_conventions
from coordeval.model import _engines, _persist
from coordeval.model._coercion import as_system, count_outside, is_dask, panel_matrix
from coordeval.model._coupling import coupling_step
from coordeval.model._fitting import fit_frame
from coordeval.model._scoring import (
    Scoring,
    composite_frame,
    handle_outside,
    outside_flags,
    score_checked,
    score_panel,
    scorer_of,
)
from coordeval.system import IndicatorSystem


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
    conventions_ : Conventions
        Every convention, resolved (:func:`coordeval.conventions.resolve_conventions`).
    params_ : Conventions
        The same object, read as a mapping (``params_["coupling"]``); read-only.
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

    def _system(self) -> IndicatorSystem:
        return as_system(self.system)

    def _conventions(self, system: IndicatorSystem | None = None) -> Conventions:
        """The effective conventions: explicit parameters first, then the system's ``[method]``
        table, then the preset (``panel`` unless named)."""
        explicit = self.get_params(deep=False)
        return resolve_conventions(explicit, system.method if system is not None else None)

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
        if is_dask(panel):
            return _engines.fit_dask(self, panel)
        return fit_frame(self, panel)

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
        return _engines.fit_chunks(self, chunks)

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
        return _engines.fit_parquet(self, path, columns, chunk_rows)

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
        check_is_fitted(self)
        return _engines.transform_parquet(self, path, out_path, columns, chunk_rows)

    def normalized(self, panel: Any) -> pd.DataFrame:
        """Normalised values z′ of ``panel`` with the fitted bounds (benefit-oriented, [0, 1]
        on the fit data), as used for scores and obstacle degrees."""
        check_is_fitted(self)
        X, index = panel_matrix(panel, self.system_)
        n = count_outside(X, self.lo_.to_numpy(), self.hi_.to_numpy())
        if n:
            handle_outside(self, X, index, n, stacklevel=2)
        return pd.DataFrame(
            scorer_of(self).normalize(X), index=index, columns=self.system_.indicator_ids
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
        if is_dask(panel):
            check_is_fitted(self)
            return _engines.transform_dask(self, panel)
        check_is_fitted(self)
        X, index = panel_matrix(panel, self.system_, check=False)
        res = score_checked(self, X, index)
        if not isinstance(panel, pd.DataFrame):
            return res.values
        return pd.DataFrame(
            res.values, index=index, columns=self.get_feature_names_out(), copy=False
        )

    def _scores(self, Z: np.ndarray) -> np.ndarray:
        """Scores (subsystems, then composite) of already normalised values ``Z``."""
        return scorer_of(self).score_normalized(Z).values

    def composite_table(self, panel: Any) -> pd.DataFrame:
        """TOPSIS composite: ``d_plus``, ``d_minus``, ``closeness`` and ``rank`` (within year)."""
        check_is_fitted(self)
        X, index = panel_matrix(panel, self.system_, check=False)
        return composite_frame(score_checked(self, X, index, distances=True), index)

    def flag_out_of_range(self, panel: Any) -> pd.DataFrame:
        """Every (row, indicator) whose value lies outside the fitted bounds.

        Returns
        -------
        DataFrame
            Columns ``row`` (the panel's index label), ``indicator``, ``value``, ``lo``,
            ``hi``, ``side`` (``"below"``/``"above"``); empty when all values are in range.
        """
        check_is_fitted(self)
        X, index = panel_matrix(panel, self.system_)
        return outside_flags(self, X, index)

    def score_panel(self, panel: Any) -> Scoring:
        """Everything an assessment needs from one pass over ``panel``.

        Parameters
        ----------
        panel : DataFrame
            Indexed by (``city``, ``year``), one column per indicator id.

        Returns
        -------
        Scoring
            ``normalized`` (:meth:`normalized`), ``scores`` (:meth:`transform`'s columns,
            computed from ``normalized``), ``composite`` (:meth:`composite_table`),
            ``out_of_range`` (:meth:`flag_out_of_range`) and ``problems`` (one coded
            ``out_of_range`` warning per flagged value). No warning is issued: values outside
            the fitted bounds are in ``out_of_range`` and ``problems``.

        Raises
        ------
        InputError
            Missing columns, non-numeric or non-finite values, values outside the fitted
            bounds under ``out_of_range="error"``, or scores beyond the double range.
        """
        check_is_fitted(self)
        return score_panel(self, panel)

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
            clipped, floor_zero`` (see :func:`coordeval.model.coupling_step`).

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
            raise config_error("coupling_needs_frame")
        missing = [i for i in ids if i not in scores.columns]
        if missing:
            raise config_error("coupling_columns_missing", missing=str(missing))
        conv = self.conventions_
        if intervalize is None:
            intervalize = conv.grades == "spssau" and self.is_fit_data(scores.index)
        return coupling_step(
            scores[ids],
            model=conv.coupling,
            weights=self.subsystem_alpha(),
            grades=conv.grades,
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
        return _persist.model_dict(self)

    def save(self, path: str | Path) -> Path:
        """Write the fitted model as JSON (atomically). Never pickle.

        Floats are written with full precision (``repr``), so :func:`load_model` restores
        scores exactly.
        """
        check_is_fitted(self)
        return _persist.save_model(self, path)
