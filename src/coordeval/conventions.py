"""Analysis conventions that differ between peer tools, chosen by name.

:class:`~coordeval.CoordinationModel` takes each as a parameter; a preset (``PRESETS`` in
:mod:`coordeval.model`) may set some of them; the remaining ones take the defaults below.
:func:`resolve_analysis` validates and merges them in that order (explicit parameter → preset →
default), and :meth:`~coordeval.CoordinationModel.assess` and the methods sheet read the result.

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

import math
from collections.abc import Mapping
from typing import Any

from coordeval.errors import ConfigError
from coordeval.kernels.weights import CORRELATIONS

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
        raise ConfigError(
            f"unknown critic_correlation {out['critic_correlation']!r}: one of "
            f"{', '.join(CORRELATIONS)}"
        )
    for name in ("obstacle_scaled", "gini_correction", "sigma_log"):
        if not isinstance(out[name], bool):
            raise ConfigError(f"{name} must be True or False, got {out[name]!r}")
    alpha = out["theil_alpha"]
    if isinstance(alpha, bool) or not isinstance(alpha, int | float) or not math.isfinite(alpha):
        raise ConfigError(f"theil_alpha must be a finite number, got {alpha!r}")
    out["theil_alpha"] = float(alpha)
    bw = out["kde_bw"]
    numeric = isinstance(bw, int | float) and not isinstance(bw, bool)
    if not (bw in KDE_RULES if isinstance(bw, str) else numeric and math.isfinite(bw) and bw > 0):
        raise ConfigError(
            f"kde_bw must be a positive number or one of {', '.join(KDE_RULES)}, got {bw!r}"
        )
    return out
