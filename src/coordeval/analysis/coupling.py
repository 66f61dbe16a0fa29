"""Coupling coordination (耦合协调度), grades, lagging subsystems and obstacle degrees.

Labelled wrappers around :mod:`coordeval.kernels.coupling` and
:mod:`coordeval.kernels.obstacle`: they accept DataFrames (one column per subsystem or
indicator, any row index such as ``(city, year)``) or arrays, validate at the boundary and
return DataFrames indexed like the input.

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

import itertools
import warnings
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
import pandas as pd

from coordeval import _validation as V
from coordeval.errors import ConfigError, InputError, MethodWarning, Problem
from coordeval.kernels.coupling import MODELS, coupling_arrays, grade_arrays
from coordeval.kernels.obstacle import obstacle_arrays, top_k_arrays

__all__ = [
    "COUPLING_STAGES",
    "GRADE_SCHEMES",
    "SPSSAU_LEVELS",
    "TEN_LEVELS",
    "GradeScheme",
    "coupling_coordination",
    "coupling_step",
    "intervalize",
    "obstacle_degree",
    "pairwise_coupling",
    "relative_development",
    "subsystem_obstacle",
    "top_obstacles",
]


@dataclass(frozen=True)
class GradeScheme:
    """A classification table for D (or C): interior cut points and level names.

    Parameters
    ----------
    cuts : sequence of float
        Strictly increasing interior boundaries, e.g. ``[0.1, 0.2, …, 0.9]`` for ten levels.
        The outermost levels are open-ended (a value below the first cut is level 1).
    names_zh : sequence of str
        One Chinese name per level (``len(cuts) + 1`` names), lowest first.
    names_en : sequence of str, optional
        English names, same length; defaults to ``names_zh``.
    closed : {"right", "left"}
        ``"right"``: intervals ``(a, b]`` as in most papers; ``"left"``: ``[a, b)`` as SPSSAU
        (``grade = floor(10·D) + 1`` for the ten-level table).

    Raises
    ------
    ConfigError
        Cuts not strictly increasing or not finite, wrong number of names, unknown ``closed``.
    """

    cuts: tuple[float, ...]
    names_zh: tuple[str, ...]
    names_en: tuple[str, ...] | None = None
    closed: Literal["right", "left"] = "right"

    def __post_init__(self) -> None:
        try:
            cuts = tuple(float(c) for c in self.cuts)
        except (TypeError, ValueError):
            raise ConfigError(f"grade cuts must be numbers, got {self.cuts!r}") from None
        names_zh = tuple(str(n) for n in self.names_zh)
        names_en = names_zh if self.names_en is None else tuple(str(n) for n in self.names_en)
        if not all(np.isfinite(cuts)) or any(b <= a for a, b in itertools.pairwise(cuts)):
            raise ConfigError(f"grade cuts must be finite and strictly increasing, got {cuts}")
        if len(names_zh) != len(cuts) + 1:
            raise ConfigError(
                f"{len(cuts)} interior cut points need {len(cuts) + 1} level names, got "
                f"{len(names_zh)} (give only the interior cuts, e.g. [0.1, …, 0.9] for 10 levels)"
            )
        if len(names_en) != len(names_zh):
            raise ConfigError(f"{len(names_en)} English names for {len(names_zh)} levels")
        if self.closed not in ("right", "left"):
            raise ConfigError(f"closed must be 'right' or 'left', got {self.closed!r}")
        object.__setattr__(self, "cuts", cuts)
        object.__setattr__(self, "names_zh", names_zh)
        object.__setattr__(self, "names_en", names_en)

    @property
    def n_levels(self) -> int:
        """Number of levels."""
        return len(self.names_zh)

    def grade(self, values: Any) -> np.ndarray:
        """1-based level of each value (:func:`coordeval.kernels.coupling.grade_arrays`)."""
        return grade_arrays(
            np.asarray(values, dtype=np.float64), np.asarray(self.cuts), self.closed
        )

    def labels(self, grades: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Chinese and English names for 1-based ``grades``."""
        g = np.asarray(grades, dtype=np.int64) - 1
        return (
            np.asarray(self.names_zh, dtype=object)[g],
            np.asarray(self.names_en, dtype=object)[g],
        )


_TEN_ZH = (
    "极度失调",
    "严重失调",
    "中度失调",
    "轻度失调",
    "濒临失调",
    "勉强协调",
    "初级协调",
    "中级协调",
    "良好协调",
    "优质协调",
)
_TEN_EN = (
    "extreme imbalance",
    "severe imbalance",
    "moderate imbalance",
    "mild imbalance",
    "on the verge of imbalance",
    "barely coordinated",
    "primary coordination",
    "intermediate coordination",
    "good coordination",
    "high-quality coordination",
)
_TEN_CUTS = (0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9)

TEN_LEVELS = GradeScheme(_TEN_CUTS, _TEN_ZH, _TEN_EN, closed="right")
"""Ten uniform D levels on ``(a, b]`` (田深圳 et al. 2021, 地理学报 76(4):781, Table 1)."""

SPSSAU_LEVELS = GradeScheme(_TEN_CUTS, _TEN_ZH, _TEN_EN, closed="left")
"""The same ten levels on ``[a, b)``: ``grade = floor(10·D) + 1``, D = 1 is level 10 (SPSSAU)."""

GRADE_SCHEMES: dict[str, GradeScheme] = {"ten": TEN_LEVELS, "spssau": SPSSAU_LEVELS}

COUPLING_STAGES = GradeScheme(
    (0.3, 0.5, 0.8),
    ("低水平耦合", "拮抗", "磨合", "高水平耦合"),
    ("low-level coupling", "antagonism", "running-in", "high-level coupling"),
    closed="right",
)
"""Four stages of the coupling degree C on ``(a, b]`` (田深圳 et al. 2021, Table 1)."""

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
    if model not in MODELS:
        raise ConfigError(f"unknown coupling model {model!r}; expected one of {MODELS}")


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
        raise ConfigError(f"intervalize needs low < high, got {low}, {high}")
    frame = _subsystem_frame(U)
    values = _checked_values(frame, "error", "intervalize", check_range=False)
    return pd.DataFrame(
        _intervalize_values(values, frame.columns, low, high),
        index=frame.index,
        columns=frame.columns,
    )


def _intervalize_values(values: np.ndarray, columns: pd.Index, low: float, high: float):
    lo = values.min(axis=0)
    span = values.max(axis=0) - lo
    const = span <= 0
    if const.any():
        raise InputError(
            [
                Problem(
                    "column is constant, so it cannot be rescaled to [0.01, 0.99]; use "
                    "intervalize=False (or grades='ten') for this data",
                    column=str(c),
                )
                for c in columns[const]
            ],
            "constant columns cannot be intervalised",
        )
    return low + (high - low) * (values - lo) / span


def _resolve_scheme(
    grades: str | GradeScheme | None, preset: str | None, intervalize_: bool | None
) -> tuple[GradeScheme, bool]:
    if preset is not None and preset not in _PRESETS:
        raise ConfigError(f"unknown preset {preset!r}; expected one of {tuple(_PRESETS)}")
    preset_grades, preset_rescale = _PRESETS[preset] if preset else ("ten", False)
    chosen = preset_grades if grades is None else grades
    if isinstance(chosen, GradeScheme):
        scheme = chosen
    elif isinstance(chosen, str) and chosen in GRADE_SCHEMES:
        scheme = GRADE_SCHEMES[chosen]
    else:
        raise ConfigError(
            f"unknown grade scheme {chosen!r}; expected one of {tuple(GRADE_SCHEMES)} "
            "or a GradeScheme"
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
    if rescale:
        values = _intervalize_values(values, frame.columns, 0.01, 0.99)
    C, T, D = coupling_arrays(values, model, alpha)
    n_sub = values.shape[1]
    if model == "classic" and n_sub >= 4 and np.mean(C > 0.9) > 0.5:
        warnings.warn(
            MethodWarning(
                f"classic coupling with {n_sub} subsystems: C > 0.9 in "
                f"{np.mean(C > 0.9):.0%} of rows, so C hardly discriminates; consider "
                "model='wang2021' (Wang Shujia et al. 2021)",
                "classic_coupling_crowded",
                {"n_sub": n_sub, "share": float(np.mean(C > 0.9))},
            ),
            stacklevel=2,
        )
    if model != "fan2024":
        zero = (values == 0.0).any(axis=1) & (values > 0.0).any(axis=1)
        if zero.any():
            warnings.warn(
                MethodWarning(
                    f"{int(zero.sum())} of {len(zero)} rows have a subsystem score of exactly 0 "
                    "(lowest on every indicator of that subsystem), so the product in the "
                    f"{model} model makes C = 0 and D = 0 there; with few cities, fixed "
                    "goalposts (bounds) or model='fan2024' keep such rows apart",
                    "zero_subsystem_score",
                    {"n_zero": int(zero.sum()), "n_rows": len(zero), "model": model},
                ),
                stacklevel=2,
            )
    grade = scheme.grade(D)
    level_zh, level_en = scheme.labels(grade)
    stage_zh, stage_en = COUPLING_STAGES.labels(COUPLING_STAGES.grade(C))
    return pd.DataFrame(
        {
            "C": C,
            "T": T,
            "D": D,
            "grade": grade,
            "level_zh": level_zh,
            "level_en": level_en,
            "stage": stage_zh,
            "stage_en": stage_en,
        },
        index=frame.index,
    )


#: Scores beyond [0, 1] by at most this much are rounding, not values beyond the fitted range.
CLIP_TOLERANCE = 1e-12


def coupling_step(
    U: pd.DataFrame,
    *,
    model: str = "classic",
    weights: Any = None,
    grades: str | GradeScheme = "ten",
    intervalize: bool = False,
) -> pd.DataFrame:
    """The one coupling step of every path (assessment, batch scoring, monitoring, library).

    Subsystem scores on a frozen scale may leave [0, 1] (``out_of_range="extend"``: a city
    beyond the fitted maximum next year). They are clipped to [0, 1] for C, T and D, and every
    row says which scores were clipped; the scores themselves are not changed.

    Parameters
    ----------
    U : DataFrame
        Subsystem scores, one column per subsystem (at least 2), any row index.
    model : {"classic", "wang2021", "fan2024"}
        Coupling model.
    weights : Series, mapping or sequence, optional
        Contribution coefficients α for T (default equal).
    grades : {"ten", "spssau"} or GradeScheme
        Grade scheme of D.
    intervalize : bool
        SPSSAU's column rescaling to [0.01, 0.99] over the given rows (after clipping).

    Returns
    -------
    DataFrame
        Indexed like ``U``: the columns of :func:`coupling_coordination`, then ``clipped``
        (text such as ``"industry>1; market<0"``, empty when no score was clipped) and
        ``floor_zero`` (True where a subsystem score at the normalisation floor, exactly 0
        after clipping, forces C = D = 0 in the classic and wang2021 models: an artefact of
        the scale, not a coordination level).

    Notes
    -----
    Clipping rule: ``U' = min(max(U, 0), 1)``; a score is reported as clipped when it lies
    outside [0, 1] by more than :data:`CLIP_TOLERANCE`. Without intervalisation each row is
    computed on its own, so a city-year's C, T, D do not depend on the other rows.
    """
    frame = _subsystem_frame(U)
    _require_columns(frame, 2, "coupling coordination")
    values = _checked_values(frame, "error", "coupling coordination", check_range=False)
    above = values > 1.0 + CLIP_TOLERANCE
    below = values < -CLIP_TOLERANCE
    names = np.asarray([str(c) for c in frame.columns], dtype=object)
    text = np.full(len(frame), "", dtype=object)
    for j, name in enumerate(names):  # a few subsystems; every row at once
        tag = np.where(above[:, j], name + ">1", np.where(below[:, j], name + "<0", ""))
        has = tag != ""
        text = np.where(has & (text != ""), text + "; " + tag, np.where(has, tag, text))
    clipped_text = pd.Series(text, index=frame.index, dtype="str")
    clipped = pd.DataFrame(np.clip(values, 0.0, 1.0), index=frame.index, columns=frame.columns)
    with warnings.catch_warnings():
        # the zero-score rows are flagged per row below (floor_zero)
        warnings.filterwarnings("ignore", message=".*score of exactly 0", category=MethodWarning)
        cc = coupling_coordination(
            clipped, model=model, weights=weights, grades=grades, intervalize=intervalize
        )
    floor = (clipped.to_numpy() == 0.0).any(axis=1) & (clipped.to_numpy() > 0.0).any(axis=1)
    if model == "fan2024" or intervalize:
        floor = np.zeros(len(clipped), dtype=bool)
    return cc.assign(clipped=clipped_text, floor_zero=floor)


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
        raise ConfigError(f"thresholds must satisfy 0 < low <= high, got {low}, {high}")
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


def _membership_list(membership: Any, indicators: pd.Index) -> list[str]:
    """Subsystem of each indicator, from indicator → subsystem or subsystem → indicators."""
    if isinstance(membership, pd.Series):
        membership = membership.to_dict()
    if not isinstance(membership, Mapping):
        raise ConfigError("membership must be a mapping indicator → subsystem (or a Series)")
    values = list(membership.values())
    if values and all(isinstance(v, Iterable) and not isinstance(v, str | bytes) for v in values):
        lookup: dict[Any, str] = {}
        for sub, members in membership.items():
            for ind in members:
                if ind in lookup and lookup[ind] != str(sub):
                    raise ConfigError(
                        f"indicator {ind!r} is listed under both {lookup[ind]!r} and {sub!r}"
                    )
                lookup[ind] = str(sub)
    else:
        lookup = {k: str(v) for k, v in membership.items()}
    missing = [str(c) for c in indicators if c not in lookup]
    if missing:
        raise ConfigError(f"no subsystem given for indicator(s) {missing}")
    return [lookup[c] for c in indicators]


def obstacle_degree(
    Z: Any,
    weights: Any,
    membership: Any = None,
    on_invalid: Literal["error", "clip"] = "error",
    *,
    scaled: bool = True,
) -> pd.DataFrame:
    """Obstacle degree (障碍度) of every indicator for every row, in percent.

    Parameters
    ----------
    Z : DataFrame or array-like of shape (n_obs, n_ind)
        Normalised indicator values z′ in [0, 1] (1 = best), rows city-years, columns
        indicators. Arrays get columns ``x1 … xm``. Pass values *before* any entropy shift
        (or use ``on_invalid="clip"``), so that the best value is 1.
    weights : Series, mapping or sequence
        Global indicator weights F_j keyed by indicator (or in column order). For a
        two-layer system this is the subsystem weight × the within-subsystem weight. Only
        relative sizes matter (the result is row-normalised).
    membership : mapping, optional
        Indicator → subsystem (or subsystem → list of indicators). When given, every
        indicator must be assigned and the columns are grouped by subsystem (subsystems in
        order of first appearance, indicators in input order within each).
    on_invalid : {"error", "clip"}
        Values outside [0, 1]: raise ``InputError`` or clip with a ``DataWarning``.
    scaled : bool, default True
        True: percentages, each row summing to 100 (as papers report). False: the unscaled
        products ``F_j·I_ij = w_j (1 − z′_ij)`` with the weights as given — the default of R
        ``mathmodels::obstacle_degree(scaled = FALSE)``.

    Returns
    -------
    DataFrame
        Indexed like ``Z``, one column per indicator, ``O_ij`` in percent; each row sums to
        100, except a row at the ideal in every weighted indicator, which is all 0. With
        ``scaled=False`` the unscaled products.

    Raises
    ------
    InputError
        Non-numeric columns, NaN/inf, values outside [0, 1] with ``on_invalid="error"``.
    ConfigError
        Weights missing, unknown, negative or all zero; incomplete ``membership``.

    Notes
    -----
    Factor contribution ``F_j = w_j``; deviation ``I_ij = 1 − z′_ij``;
    ``O_ij = 100·F_j I_ij / Σ_j F_j I_ij``. When ``Σ_j F_j I_ij = 0`` nothing obstructs the
    row and all its obstacle degrees are defined as 0 (never NaN).

    References
    ----------
    ``zhjx19/mathmodels`` R package, ``obstacle_degree()`` (R/system_evaluation.R):
    ``O = (1 − X)·w``, row-normalised when ``scaled = TRUE``.
    """
    frame = _subsystem_frame(Z, prefix="x")
    _require_columns(frame, 1, "obstacle degree")
    w = _weight_vector(weights, frame.columns, "indicators")
    if w is None:
        raise ConfigError("obstacle degree needs indicator weights")
    values = _checked_values(frame, on_invalid, "obstacle degree")
    O = obstacle_arrays(values, w, scaled=scaled)
    result = pd.DataFrame(O, index=frame.index, columns=frame.columns)
    if membership is not None:
        subs = _membership_list(membership, frame.columns)
        order = list(dict.fromkeys(subs))
        rank = np.array([order.index(s) for s in subs])
        result = result.iloc[:, np.argsort(rank, kind="stable")]
    return result


def subsystem_obstacle(O: pd.DataFrame, membership: Any) -> pd.DataFrame:
    """Obstacle degree of each subsystem: the sum of its indicators' obstacle degrees.

    Parameters
    ----------
    O : DataFrame
        Output of :func:`obstacle_degree` (percent per indicator).
    membership : mapping
        Indicator → subsystem, or subsystem → list of indicators. Every column of ``O``
        must be assigned; entries for indicators not in ``O`` are ignored.

    Returns
    -------
    DataFrame
        Indexed like ``O``, one column per subsystem (order of first appearance among the
        columns of ``O``); rows sum to 100 (0 for rows without obstacles).

    Raises
    ------
    ConfigError
        Indicators without a subsystem.

    Notes
    -----
    ``U_ir = Σ_{j∈r} O_ij``.

    References
    ----------
    See :func:`obstacle_degree`.
    """
    if not isinstance(O, pd.DataFrame):
        raise InputError([Problem("O must be a DataFrame from obstacle_degree")], "bad input")
    subs = _membership_list(membership, O.columns)
    order = list(dict.fromkeys(subs))
    M = np.zeros((len(subs), len(order)))
    M[np.arange(len(subs)), [order.index(s) for s in subs]] = 1.0
    return pd.DataFrame(O.to_numpy(dtype=np.float64) @ M, index=O.index, columns=order)


def top_obstacles(O: pd.DataFrame, k: int = 5, membership: Any = None) -> pd.DataFrame:
    """The ``k`` largest obstacles of each row as a long table.

    Parameters
    ----------
    O : DataFrame
        Output of :func:`obstacle_degree`.
    k : int
        Number of obstacles per row (capped at the number of indicators).
    membership : mapping, optional
        Indicator → subsystem; adds a ``subsystem`` column.

    Returns
    -------
    DataFrame
        Index: the levels of ``O``'s index (an unnamed single index is called ``row``)
        plus ``rank`` (1 … k, largest first; ties keep column order). Columns
        ``indicator`` and ``obstacle_pct`` (and ``subsystem``).

    Raises
    ------
    ConfigError
        ``k < 1``.

    References
    ----------
    See :func:`obstacle_degree`.
    """
    if not isinstance(O, pd.DataFrame):
        raise InputError([Problem("O must be a DataFrame from obstacle_degree")], "bad input")
    if isinstance(k, bool) or not isinstance(k, int | np.integer) or k < 1:
        raise ConfigError(f"k must be a positive integer, got {k!r}")
    idx, vals = top_k_arrays(O.to_numpy(dtype=np.float64), int(k))
    n_obs, kk = idx.shape
    rows = O.index.repeat(kk)
    ranks = np.tile(np.arange(1, kk + 1, dtype=np.int64), n_obs)
    if isinstance(rows, pd.MultiIndex):
        arrays = [rows.get_level_values(i) for i in range(rows.nlevels)]
        names = list(rows.names)
    else:
        arrays = [rows]
        names = [rows.name if rows.name is not None else "row"]
    index = pd.MultiIndex.from_arrays([*arrays, ranks], names=[*names, "rank"])
    columns = np.asarray(O.columns, dtype=object)
    flat = idx.ravel()
    out = {"indicator": columns[flat], "obstacle_pct": vals.ravel()}
    if membership is not None:
        subs = np.asarray(_membership_list(membership, O.columns), dtype=object)
        out["subsystem"] = subs[flat]
    return pd.DataFrame(out, index=index)
