"""The conventions table: presets, method names, grade schemes and the resolved conventions.

Conventions differ between tools and papers; every one is a parameter of
:class:`~coordeval.CoordinationModel`, and presets bundle them. :func:`resolve_conventions`
gives the one typed :class:`Conventions` object of a model, resolved in the order explicit
parameter → the system's ``[method]`` table → preset → default; the model, the assessment, the
batch scorer and the methods sheet read it.

Analysis conventions of peer tools, by name:

* ``critic_correlation``: ``"pearson"`` (default), ``"spearman"``, ``"kendall"``
  (scikit-criteria ``CRITIC(correlation=...)``).
* ``obstacle_scaled``: True (default, % per row) or False, ``w·(1 − z′)`` unscaled (the
  default of R mathmodels ``obstacle_degree``).
* ``theil_alpha``: 1.0 (default, Theil T); 0 Theil L (mean log deviation); any α, GE(α).
* ``gini_correction``: False (default) or True, an ``n/(n − 1)·G`` column (R
  ``ineq::Gini(corr = TRUE)``).
* ``sigma_log``: False (default) or True, σ of ln U and its trend (Barro & Sala-i-Martin 1992).
* ``kde_bw``: ``"silverman"`` (default, statsmodels, IQR/1.349), ``"scott"``,
  ``"normal_reference"``, ``"nrd0"`` (R ``density``'s default, IQR/1.34), ``"nrd"``,
  ``"scipy_scott"``, ``"scipy_silverman"``, or a positive number.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, fields
from typing import Any, Literal

import numpy as np

from coordeval._coded import config_error
from coordeval.kernels.coupling import MODELS as COUPLING_MODELS
from coordeval.kernels.coupling import grade_arrays
from coordeval.kernels.weights import CORRELATIONS

__all__ = [
    "ANALYSIS_DEFAULTS",
    "COUPLING_MODELS",
    "COUPLING_STAGES",
    "GRADE_SCHEMES",
    "KDE_RULES",
    "OUT_OF_RANGE",
    "PRESETS",
    "SCORINGS",
    "SPSSAU_LEVELS",
    "TEN_LEVELS",
    "TOPSIS_WEIGHTS_IN",
    "WEIGHTINGS",
    "Conventions",
    "GradeScheme",
    "resolve_analysis",
    "resolve_conventions",
]

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
#: How indicator weights are learned, how subsystem scores are made, what happens to values
#: outside the fitted bounds, and where TOPSIS weights enter.
WEIGHTINGS = ("entropy", "critic", "cv", "sd", "equal", "fixed")
SCORINGS = ("weighted_sum", "topsis")
OUT_OF_RANGE = ("extend", "clip", "error")
TOPSIS_WEIGHTS_IN = ("matrix", "distance")

ANALYSIS_DEFAULTS: dict[str, Any] = {
    "critic_correlation": "pearson",
    "obstacle_scaled": True,
    "theil_alpha": 1.0,
    "gini_correction": False,
    "sigma_log": False,
    "kde_bw": "silverman",
}
KDE_RULES = ("silverman", "scott", "normal_reference", "nrd0", "nrd", "scipy_scott",
             "scipy_silverman")  # fmt: skip


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
            raise config_error("grade_cuts_not_numbers", cuts=repr(self.cuts)) from None
        names_zh = tuple(str(n) for n in self.names_zh)
        names_en = names_zh if self.names_en is None else tuple(str(n) for n in self.names_en)
        if not all(np.isfinite(cuts)) or any(b <= a for a, b in itertools.pairwise(cuts)):
            raise config_error("grade_cuts_order", cuts=str(cuts))
        if len(names_zh) != len(cuts) + 1:
            raise config_error(
                "grade_names_count",
                n_cuts=len(cuts),
                n_levels=len(cuts) + 1,
                n_names=len(names_zh),
            )
        if len(names_en) != len(names_zh):
            raise config_error("grade_names_en", n_en=len(names_en), n_levels=len(names_zh))
        if self.closed not in ("right", "left"):
            raise config_error("grade_closed", closed=repr(self.closed))
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


def resolve_analysis(explicit: Mapping[str, Any], preset: Mapping[str, Any]) -> dict[str, Any]:
    """The analysis conventions: explicit values (not ``None``), else the preset's, else the
    defaults; every value checked.

    Raises
    ------
    ConfigError
        An unknown correlation or bandwidth rule, a non-boolean switch or a non-finite α.
    """
    out: dict[str, Any] = {}
    for name, default in ANALYSIS_DEFAULTS.items():
        value = explicit.get(name)
        out[name] = preset.get(name, default) if value is None else value
    if out["critic_correlation"] not in CORRELATIONS:
        raise config_error(
            "unknown_convention",
            name="critic_correlation",
            value=repr(out["critic_correlation"]),
            allowed=", ".join(CORRELATIONS),
        )
    for name in ("obstacle_scaled", "gini_correction", "sigma_log"):
        if not isinstance(out[name], bool):
            raise config_error("switch_not_bool", name=name, value=repr(out[name]))
    alpha = out["theil_alpha"]
    if isinstance(alpha, bool) or not isinstance(alpha, int | float) or not math.isfinite(alpha):
        raise config_error("theil_alpha_invalid", value=repr(alpha))
    out["theil_alpha"] = float(alpha)
    bw = out["kde_bw"]
    numeric = isinstance(bw, int | float) and not isinstance(bw, bool)
    if not (bw in KDE_RULES if isinstance(bw, str) else numeric and math.isfinite(bw) and bw > 0):
        raise config_error("kde_bw_invalid", rules=", ".join(KDE_RULES), value=repr(bw))
    return out


@dataclass(frozen=True)
class Conventions(Mapping[str, Any]):
    """Every convention of a model, resolved and checked (read-only).

    Also a read-only mapping of the same names (``conv["coupling"]``), in the order written to
    model files and the methods sheet, so that code reading the former ``params_`` dict works.

    Attributes
    ----------
    preset, weighting, scoring, out_of_range : str
        Preset name, weighting method, subsystem scoring and the out-of-range policy.
    shift : float
        Non-negative shift of z′ in the entropy step.
    coupling, grades : str
        Coupling model and grade scheme (keys of :data:`GRADE_SCHEMES`).
    topsis_weights_in : str
        ``"matrix"`` or ``"distance"``.
    feature_range : list of float
        The normalised range, ``[0.0, 1.0]``.
    entropy_k : str
        The entropy constant, in words.
    critic_correlation, obstacle_scaled, theil_alpha, gini_correction, sigma_log, kde_bw
        The analysis conventions of :data:`ANALYSIS_DEFAULTS`.
    """

    preset: str
    weighting: str
    scoring: str
    out_of_range: str
    shift: float
    coupling: str
    grades: str
    topsis_weights_in: str
    feature_range: tuple[float, float]
    entropy_k: str
    critic_correlation: str
    obstacle_scaled: bool
    theil_alpha: float
    gini_correction: bool
    sigma_log: bool
    kde_bw: str | float

    def __getitem__(self, key: str) -> Any:
        if key not in self._names():
            raise KeyError(key)
        value = getattr(self, key)
        return list(value) if key == "feature_range" else value

    def __iter__(self) -> Iterator[str]:
        return iter(self._names())

    def __len__(self) -> int:
        return len(self._names())

    @classmethod
    def _names(cls) -> tuple[str, ...]:
        return tuple(f.name for f in fields(cls))

    @property
    def grade_scheme(self) -> GradeScheme:
        """The :class:`GradeScheme` named by :attr:`grades`."""
        return GRADE_SCHEMES[self.grades]

    def as_dict(self) -> dict[str, Any]:
        """A plain (JSON-able) dict of every convention."""
        return dict(self.items())


def _choice(name: str, value: Any, allowed: tuple[str, ...]) -> None:
    if value not in allowed:
        raise config_error(
            "unknown_convention", name=name, value=repr(value), allowed=", ".join(allowed)
        )


def resolve_conventions(explicit: Mapping[str, Any], method: Any = None) -> Conventions:
    """Resolve and check a model's conventions.

    Parameters
    ----------
    explicit : mapping
        The model's parameters (``None`` means "not given").
    method : MethodSettings, optional
        The indicator system's ``[method]`` table (``preset``, ``weighting``, ``scoring``,
        ``shift``).

    Returns
    -------
    Conventions
        ``preset``, ``weighting``, ``scoring`` and ``shift`` from the parameter, else the
        ``[method]`` table, else the defaults (``"panel"``, ``"entropy"``,
        ``"weighted_sum"``, the preset's shift); ``coupling``, ``grades`` and the analysis
        conventions from the parameter, else the preset, else the defaults.

    Raises
    ------
    ConfigError
        An unknown name or a shift that is not a non-negative number.
    """

    def pick(name: str, default: Any) -> Any:
        value = explicit.get(name)
        if value is None and method is not None:
            value = getattr(method, name, None)
        return default if value is None else value

    preset_name = pick("preset", "panel")
    weighting = pick("weighting", "entropy")
    scoring = pick("scoring", "weighted_sum")
    if preset_name not in PRESETS:
        _choice("preset", preset_name, tuple(PRESETS))
    preset = PRESETS[preset_name]
    out_of_range = explicit.get("out_of_range", "extend")
    weights_in = explicit.get("topsis_weights_in", "matrix")
    coupling = explicit.get("coupling") or preset["coupling"]
    grades = explicit.get("grades") or preset["grades"]
    for name, value, allowed in (
        ("weighting", weighting, WEIGHTINGS),
        ("scoring", scoring, SCORINGS),
        ("out_of_range", out_of_range, OUT_OF_RANGE),
        ("topsis_weights_in", weights_in, TOPSIS_WEIGHTS_IN),
        ("coupling", coupling, COUPLING_MODELS),
        ("grades", grades, tuple(GRADE_SCHEMES)),
    ):
        _choice(name, value, allowed)
    shift = float(pick("shift", preset["shift"]))
    if not (math.isfinite(shift) and shift >= 0):
        raise config_error("shift_invalid", value=repr(shift))
    return Conventions(
        preset=preset_name,
        weighting=weighting,
        scoring=scoring,
        out_of_range=out_of_range,
        shift=shift,
        coupling=coupling,
        grades=grades,
        topsis_weights_in=weights_in,
        feature_range=(0.0, 1.0),
        entropy_k="1/ln(n), n = number of fit city-years (pooled panel entropy)",
        **resolve_analysis({k: explicit.get(k) for k in ANALYSIS_DEFAULTS}, preset),
    )
