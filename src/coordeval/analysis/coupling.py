"""Coupling coordination (耦合协调度), grades and lagging subsystems.

Labelled wrappers around :mod:`coordeval.kernels.coupling` and the one coupling step of
:mod:`coordeval.model` (grade schemes in :mod:`coordeval.conventions`; obstacle degrees in
:mod:`coordeval.analysis.obstacle`): they accept DataFrames (one column per subsystem, any row
index such as ``(city, year)``) or arrays, validate at the boundary and return DataFrames
indexed like the input.

Input policy for subsystem scores ``U`` (stated in every report's methods sheet):

* NaN or infinite scores raise :class:`~coordeval.errors.InputError` (every subsystem is needed);
* scores outside [0, 1] raise ``InputError`` (``on_invalid="error"``, default) or are clipped to
  [0, 1] with a :class:`~coordeval.errors.DataWarning` giving the number of cells
  (``on_invalid="clip"``); with SPSSAU intervalisation the range check is skipped, because every
  column is mapped onto [0.01, 0.99] first;
* a zero score gives ``C = 0`` in the classic and wang2021 models (the product is zero), with a
  :class:`~coordeval.errors.MethodWarning` counting such rows (min-max scores are exactly 0
  for a city that is lowest on every indicator of a subsystem, common with few cities);
* an all-zero row gives ``C = T = D = 0`` in every model (grade 1, never NaN);
* a row whose scores are all equal and positive gives ``C = 1`` exactly.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Literal

import numpy as np
import pandas as pd

from coordeval import _validation as V
from coordeval._coded import config_error
from coordeval.conventions import (
    GRADE_SCHEMES,
    GradeScheme,
)
from coordeval.kernels.coupling import MODELS, coupling_arrays
from coordeval.model._coupling import coupling_table, intervalize_values

__all__ = [
    "coupling_coordination",
    "intervalize",
    "pairwise_coupling",
    "relative_development",
]

_PRESETS: dict[str, tuple[str, bool]] = {"panel": ("ten", False), "spssau": ("spssau", True)}
_ON_INVALID = ("error", "clip")


def _subsystem_frame(U: Any, prefix: str = "U") -> pd.DataFrame:
    """``U`` as a float DataFrame; arrays get columns ``U1 … Un``, 1-D input is one row."""
    return V.table(U, prefix=prefix, start=1, vector="row")


def _require_columns(frame: pd.DataFrame, minimum: int, what: str) -> None:
    V.require_shape(frame, what, minimum)


def _checked_values(
    frame: pd.DataFrame,
    on_invalid: str,
    what: str,
    check_range: bool = True,
) -> np.ndarray:
    """Values of ``frame`` after the NaN rule and the [0, 1] policy."""
    V.choice(on_invalid, _ON_INVALID, "on_invalid")
    values = V.finite_values(frame, what)
    if check_range:
        V.unit_interval(frame, values, on_invalid, what, stacklevel=3)
    return values


def _check_model(model: str) -> None:
    V.choice(model, MODELS, "coupling model")


def _weight_vector(weights: Any, columns: pd.Index, what: str) -> np.ndarray | None:
    """Weights aligned with ``columns`` (not renormalised); None stays None."""
    return None if weights is None else V.weights(weights, list(columns), what)


def intervalize(U: Any, low: float = 0.01, high: float = 0.99) -> pd.DataFrame:
    """Rescale every column onto ``[low, high]`` (SPSSAU "数据区间化").

    Parameters
    ----------
    U : DataFrame or array-like of shape (n_obs, n_sub)
        Values to rescale, one column per subsystem.
    low, high : float
        Target interval; SPSSAU uses 0.01 and 0.99.

    Returns
    -------
    DataFrame
        ``low + (high − low)·(X − min)/(max − min)`` per column, indexed like ``U``.

    Raises
    ------
    InputError
        NaN values, or a constant column (max = min cannot be rescaled).
    ConfigError
        If ``low >= high``.

    References
    ----------
    SPSSAU help "Coupling Coordination Degree", https://www.spssau.net/helps/coupling.html
    ("Data Intervalization … each column's data will be scaled within the range of 0.01 to
    0.99"; a + (b − a)(X − Min)/(Max − Min)).
    """
    if not low < high:
        raise config_error("intervalize_bounds", low=low, high=high)
    frame = _subsystem_frame(U)
    values = _checked_values(frame, "error", "intervalize", check_range=False)
    return pd.DataFrame(
        intervalize_values(values, frame.columns, low, high),
        index=frame.index,
        columns=frame.columns,
    )


def _resolve_scheme(
    grades: str | GradeScheme | None, preset: str | None, intervalize_: bool | None
) -> tuple[GradeScheme, bool]:
    if preset is not None:
        V.choice(preset, tuple(_PRESETS), "preset")
    preset_grades, preset_rescale = _PRESETS[preset] if preset else ("ten", False)
    chosen = preset_grades if grades is None else grades
    if isinstance(chosen, GradeScheme):
        scheme = chosen
    elif isinstance(chosen, str) and chosen in GRADE_SCHEMES:
        scheme = GRADE_SCHEMES[chosen]
    else:
        raise config_error(
            "unknown_grade_scheme", value=repr(chosen), allowed=str(tuple(GRADE_SCHEMES))
        )
    if intervalize_ is None:
        intervalize_ = preset_rescale or (isinstance(chosen, str) and chosen == "spssau")
    return scheme, bool(intervalize_)


def coupling_coordination(
    U: Any,
    model: Any = "classic",
    weights: Any = None,
    grades: str | GradeScheme | None = None,
    preset: str | None = None,
    on_invalid: Literal["error", "clip"] = "error",
    intervalize: bool | None = None,
) -> pd.DataFrame:
    """Coupling degree C, comprehensive index T, coupling coordination degree D and its level.

    Parameters
    ----------
    U : DataFrame or array-like of shape (n_obs, n_sub)
        Subsystem scores in [0, 1], one column per subsystem (at least 2); any row index
        (e.g. ``(city, year)``) is kept. Arrays get columns ``U1 … Un``; a 1-D array or a
        Series is one observation.
    model : {"classic", "wang2021", "fan2024"} or CoordinationModel
        Coupling-degree formula (Notes). A fitted
        :class:`~coordeval.model.CoordinationModel` instead applies that model's coupling
        model, α and grade scheme, with scores outside [0, 1] clipped and flagged
        (:meth:`~coordeval.model.CoordinationModel.coupling_coordination`; the other
        arguments are then ignored), so that ``coupling_coordination(model.transform(new),
        model=model)`` equals ``scores.csv``.
    weights : Series, mapping or sequence, optional
        Contribution coefficients α_i for T, keyed by column or in column order; renormalised
        to sum 1. Default: equal ``1/n``.
    grades : {"ten", "spssau"} or GradeScheme, optional
        Classification of D. ``"ten"``: ten levels on ``(a, b]``; ``"spssau"``: the same
        levels on ``[a, b)`` (``floor(10·D) + 1``) *and* SPSSAU's intervalisation of U;
        a :class:`GradeScheme` for any other table. Default: the preset's scheme, else "ten".
    preset : {"panel", "spssau"}, optional
        ``"panel"``: ten levels on ``(a, b]``, no rescaling. ``"spssau"``: SPSSAU's
        defaults — U rescaled column-wise to [0.01, 0.99], grades on ``[a, b)``. Explicit
        ``grades``/``intervalize`` arguments override the preset.
    on_invalid : {"error", "clip"}
        Scores outside [0, 1]: raise ``InputError`` or clip with a ``DataWarning``.
    intervalize : bool, optional
        Rescale every column to ``0.01 + 0.98·(X − min)/(max − min)`` first (SPSSAU
        "数据区间化"). Default: True for ``grades="spssau"`` or ``preset="spssau"``.

    Returns
    -------
    DataFrame
        Indexed like ``U``, columns ``C, T, D`` (float), ``grade`` (int, 1-based),
        ``level_zh, level_en`` (the D level), ``stage, stage_en`` (the 4-level C stage
        低水平耦合 (0, 0.3], 拮抗 (0.3, 0.5], 磨合 (0.5, 0.8], 高水平耦合 (0.8, 1]).

    Raises
    ------
    InputError
        Non-numeric columns, fewer than 2 subsystems, no rows, NaN/inf scores, scores
        outside [0, 1] with ``on_invalid="error"``, constant columns when intervalising.
    ConfigError
        Unknown model, grade scheme, preset or ``on_invalid``; weights of the wrong length,
        negative, all zero or keyed by unknown subsystems.

    Warns
    -----
    MethodWarning
        ``model="classic"`` with 4 or more subsystems and C > 0.9 in more than half of the
        rows: the classic C crowds near 1 and stops discriminating (王淑佳 et al. 2021);
        ``model="wang2021"`` is suggested.
    DataWarning
        Scores clipped to [0, 1] (``on_invalid="clip"``).

    Notes
    -----
    * classic: ``C = n·(Π U_i)^{1/n} / Σ U_i`` (two systems: ``2√(U1U2)/(U1 + U2)``).
    * wang2021: ``C = √{[1 − Σ_{i>j}|U_i − U_j| / Σ_{m=1}^{n−1} m]·(Π U_i/max U)^{1/(n−1)}}``,
      the product taken over the ratios ``U_i/max U`` as in the CRAN ``coupling`` package
      and ``mathmodels``; C = 1 only when all scores are equal.
    * fan2024: ``C = 1 − 2·√[(nΣU_i² − (ΣU_i)²)/n²]`` = 1 − 2·(population SD of U).
    * ``T = Σ α_i U_i``, ``D = √(C·T)``.
    * Zero and equal-score rules: see the module docstring.

    References
    ----------
    廖重斌 (1999) 热带地理 19(2):171-177 (classic model and the D levels).
    王淑佳, 孔伟, 任亮, 治丹丹, 戴彬婷 (2021) 国内耦合协调度模型的误区及修正, 自然资源学报
    36(3):793-810, doi:10.31497/zrzyxb.20210319.
    Fan D., Ke H., Cao R. (2024) 统计与决策 40(22):41-46, doi:10.13546/j.cnki.tjyjc.2024.22.007.
    田深圳 et al. (2021) 地理学报 76(4):781, Table 1 (ten D levels and four C stages).
    SPSSAU help "Coupling Coordination Degree", https://www.spssau.net/helps/coupling.html.
    """
    if not isinstance(model, str) and hasattr(model, "coupling_coordination"):
        # a fitted CoordinationModel: its own conventions and the frozen-scale clipping rule
        return model.coupling_coordination(_subsystem_frame(U))
    scheme, rescale = _resolve_scheme(grades, preset, intervalize)
    _check_model(model)
    frame = _subsystem_frame(U)
    _require_columns(frame, 2, "coupling coordination")
    alpha = _weight_vector(weights, frame.columns, "subsystems")
    values = _checked_values(frame, on_invalid, "coupling coordination", check_range=not rescale)
    return coupling_table(values, frame.index, model, alpha, scheme, rescale, columns=frame.columns)


def _display_names(names: Mapping[Any, str] | None, columns: pd.Index) -> list[str]:
    if names is None:
        return [str(c) for c in columns]
    return [str(names.get(c, c)) for c in columns]


def relative_development(
    U: Any,
    low: float = 0.8,
    high: float = 1.2,
    names_zh: Mapping[Any, str] | None = None,
    names_en: Mapping[Any, str] | None = None,
    on_invalid: Literal["error", "clip"] = "error",
) -> pd.DataFrame:
    """Relative development degree (相对发展度) and the lagging-subsystem type.

    Parameters
    ----------
    U : DataFrame or array-like of shape (n_obs, n_sub)
        Subsystem scores in [0, 1] (same input policy as :func:`coupling_coordination`).
    low, high : float
        Thresholds: ``E < low`` lags, ``low ≤ E ≤ high`` is synchronous, ``E > high`` leads.
    names_zh, names_en : mapping, optional
        Display names keyed by column id (missing ids show the id), e.g.
        ``{"ecology": "生态环境"}``.
    on_invalid : {"error", "clip"}
        Scores outside [0, 1]: raise or clip with a warning.

    Returns
    -------
    DataFrame
        Indexed like ``U``.

        * two subsystems: ``E`` (= U2/U1), ``lagging`` (id of the lagging subsystem or ""),
          ``lag_type_zh`` ("<U2 name>滞后型" if E < low, "同步型", "<U1 name>滞后型" if
          E > high) and ``lag_type_en`` ("<name> lagging" / "synchronous");
        * three or more: ``E_<id>`` (= U_i / mean U per row), ``lagging`` and ``leading``
          (comma-joined ids with E_i < low, E_i > high, in column order), ``lag_type_zh``
          ("<name>滞后型" of the lagging subsystem with the smallest E, first in column order
          on ties; "同步型" when none lags) and ``lag_type_en``.

    Raises
    ------
    InputError
        As :func:`coupling_coordination` (shape, NaN, range).
    ConfigError
        ``low`` and ``high`` not ``0 < low ≤ high``.

    Notes
    -----
    Two systems: ``E = U2/U1``; ``U1 = U2 = 0`` gives ``E = 1`` (synchronous), ``U1 = 0 < U2``
    gives ``E = inf`` (U1 lags). n ≥ 3 (no standard in the literature; the generalisation of
    methods §3.4): ``E_i = U_i / Ū``; an all-zero row has every ``E_i = 1``.

    References
    ----------
    王睿, 杨国靖, 干旱区地理 (ChinaXiv 202101.00006), Table 1: E < 0.8 / 0.8–1.2 / > 1.2
    thresholds for the 2-system lag types.
    """
    if not (0 < low <= high) or not np.isfinite([low, high]).all():
        raise config_error("relative_thresholds", low=low, high=high)
    frame = _subsystem_frame(U)
    _require_columns(frame, 2, "relative development")
    values = _checked_values(frame, on_invalid, "relative development")
    ids = [str(c) for c in frame.columns]
    zh = _display_names(names_zh, frame.columns)
    en = _display_names(names_en, frame.columns)
    n_sub = values.shape[1]
    if n_sub == 2:
        u1, u2 = values[:, 0], values[:, 1]
        with np.errstate(divide="ignore", invalid="ignore"):
            E = np.where(u1 > 0, u2 / np.where(u1 > 0, u1, 1.0), np.where(u2 > 0, np.inf, 1.0))
        lag2, lag1 = E < low, E > high
        return pd.DataFrame(
            {
                "E": E,
                "lagging": np.where(lag2, ids[1], np.where(lag1, ids[0], "")).astype(object),
                "lag_type_zh": np.where(
                    lag2, f"{zh[1]}滞后型", np.where(lag1, f"{zh[0]}滞后型", "同步型")
                ).astype(object),
                "lag_type_en": np.where(
                    lag2, f"{en[1]} lagging", np.where(lag1, f"{en[0]} lagging", "synchronous")
                ).astype(object),
            },
            index=frame.index,
        )
    mean = values.mean(axis=1, keepdims=True)
    E = np.where(mean > 0, values / np.where(mean > 0, mean, 1.0), 1.0)
    lag_mask, lead_mask = E < low, E > high
    lagging = _join_ids(lag_mask, ids)
    leading = _join_ids(lead_mask, ids)
    first = np.argmin(E, axis=1)
    any_lag = lag_mask.any(axis=1)
    zh_arr = np.array([f"{z}滞后型" for z in zh], dtype=object)
    en_arr = np.array([f"{e} lagging" for e in en], dtype=object)
    out = {f"E_{i}": E[:, j] for j, i in enumerate(ids)}
    out["lagging"] = lagging
    out["leading"] = leading
    out["lag_type_zh"] = np.where(any_lag, zh_arr[first], "同步型").astype(object)
    out["lag_type_en"] = np.where(any_lag, en_arr[first], "synchronous").astype(object)
    return pd.DataFrame(out, index=frame.index)


def _join_ids(mask: np.ndarray, ids: Sequence[str]) -> np.ndarray:
    """Comma-joined ids of the True columns of each row (loop over columns only)."""
    out = np.full(mask.shape[0], "", dtype=object)
    for j, cid in enumerate(ids):
        sep = np.where(out == "", "", ",").astype(object)
        out = np.where(mask[:, j], out + sep + cid, out)
    return out


def pairwise_coupling(
    U: Any,
    model: str = "classic",
    on_invalid: Literal["error", "clip"] = "error",
) -> pd.DataFrame:
    """Coupling coordination degree D of every pair of subsystems, per row.

    Parameters
    ----------
    U : DataFrame or array-like of shape (n_obs, n_sub)
        Subsystem scores in [0, 1] (same input policy as :func:`coupling_coordination`).
    model : {"classic", "wang2021", "fan2024"}
        Coupling-degree formula applied to each pair (T = mean of the pair).
    on_invalid : {"error", "clip"}
        Scores outside [0, 1]: raise or clip with a warning.

    Returns
    -------
    DataFrame
        Indexed like ``U``, one column ``"<a>~<b>"`` per pair a < b in column order.

    Raises
    ------
    InputError, ConfigError
        As :func:`coupling_coordination`.

    Notes
    -----
    For a pair, classic ``C = 2√(U_a U_b)/(U_a + U_b)``, wang2021
    ``C = √{(1 − |U_a − U_b|)·min/max}``, fan2024 ``C = 1 − |U_a − U_b|``; ``D = √(C·T)``
    with ``T = (U_a + U_b)/2``.

    References
    ----------
    See :func:`coupling_coordination`.
    """
    _check_model(model)
    frame = _subsystem_frame(U)
    _require_columns(frame, 2, "pairwise coupling")
    values = _checked_values(frame, on_invalid, "pairwise coupling")
    ids = [str(c) for c in frame.columns]
    out: dict[str, np.ndarray] = {}
    n = len(ids)
    for a in range(n):
        for b in range(a + 1, n):
            out[f"{ids[a]}~{ids[b]}"] = coupling_arrays(values[:, [a, b]], model)[2]
    return pd.DataFrame(out, index=frame.index)
