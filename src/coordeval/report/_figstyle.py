"""Fonts, words, colours and classes shared by the figures (matplotlib imported lazily)."""

from __future__ import annotations

import functools
import warnings
from typing import Any

import numpy as np

from coordeval.errors import ConfigError, CoordevalWarning

#: Fonts with Chinese glyphs, in order of preference.
CJK_FAMILIES = (
    "Noto Sans CJK SC",
    "Source Han Sans SC",
    "Source Han Sans CN",
    "Noto Sans SC",
    "WenQuanYi Micro Hei",
    "WenQuanYi Zen Hei",
    "SimHei",
    "Microsoft YaHei",
    "PingFang SC",
    "Noto Sans CJK JP",
    "Noto Sans CJK TC",
)

#: Okabe & Ito (2008) colour-blind-safe qualitative palette (black left out).
OKABE_ITO = (
    "#E69F00",
    "#56B4E9",
    "#009E73",
    "#F0E442",
    "#0072B2",
    "#D55E00",
    "#CC79A7",
    "#999999",
)

#: Context features (in the boundary file but not in the data).
CONTEXT_COLOUR = "#E6E6E6"

#: Words of the figures (key → (中文, English)).
WORDS: dict[str, tuple[str, str]] = {
    "D": ("耦合协调度 D", "Coupling coordination D"),
    "composite": ("综合得分（相对接近度）", "Composite score (closeness)"),
    "score": ("得分", "Score"),
    "year": ("年份", "Year"),
    "mean": ("城市群均值", "Cluster mean"),
    "cities": ("各城市", "Cities"),
    "density": ("核密度", "Density"),
    "grade": ("协调等级", "Coordination grade"),
    "d_title": ("各城市耦合协调度", "Coupling coordination D by city"),
    "sub_title": ("各子系统得分", "Subsystem scores by city"),
    "trend_title": (
        "耦合协调度、综合得分与子系统得分的变化",
        "Trends of D, composite and subsystem scores",
    ),
    "kde_title": ("综合得分的核密度", "Kernel density of the composite score"),
    "radar_title": ("子系统得分雷达图", "Subsystem scores (radar)"),
    "obstacle_title": ("子系统障碍度", "Obstacle degree by subsystem"),
    "obstacle": ("障碍度（%）", "Obstacle degree (%)"),
    "dagum_title": ("Dagum 基尼系数分解的贡献率", "Dagum Gini decomposition: contributions"),
    "contribution": ("贡献率（%）", "Contribution (%)"),
    "G_w_share": ("组内差异", "Within groups"),
    "G_nb_share": ("组间净差异", "Net between groups"),
    "G_t_share": ("超变密度", "Transvariation"),
    "transition_title": ("协调等级转移概率", "Grade transition probabilities"),
    "from": ("t 年等级", "Grade in year t"),
    "to": ("t+1 年等级", "Grade in year t+1"),
    "probability": ("转移概率", "Probability"),
    "classes": ("分位数分级", "Quantile classes"),
    "natural": ("自然断点分级", "Natural breaks"),
    "no_data": ("无数据", "No data"),
    "km": ("千米", "km"),
    "lisa_title": ("LISA 集聚图", "LISA cluster map"),
    "moran_title": ("Moran 散点图", "Moran scatter plot"),
    "lag": ("空间滞后", "Spatial lag"),
    "gi_title": ("热点分析（Gi*）", "Hot spots (Gi*)"),
    "gravity_title": (
        "重心迁移轨迹与标准差椭圆",
        "Centre of gravity and standard deviational ellipses",
    ),
    "geodetector_title": ("交互作用探测 q 值", "GeoDetector interaction q"),
    "zoom": ("重心轨迹放大", "Trajectory, zoomed"),
}


class FontWarning(CoordevalWarning):
    """No font with Chinese glyphs is installed: figures fall back to English labels."""


@functools.cache
def cjk_family() -> str | None:
    """The first installed font of :data:`CJK_FAMILIES`, or None."""
    from matplotlib import font_manager

    installed = {f.name for f in font_manager.fontManager.ttflist}
    return next((name for name in CJK_FAMILIES if name in installed), None)


_warned: list[bool] = []


def resolve_lang(lang: str) -> str:
    """``"zh"`` or ``"en"`` for drawing: ``"both"`` draws Chinese; without a CJK font Chinese
    falls back to English with one :class:`FontWarning` per process.

    Raises
    ------
    ConfigError
        Unknown language.
    """
    if lang not in ("zh", "en", "both"):
        raise ConfigError(
            f"figure language must be zh, en or both, got {lang!r}",
            "figure_lang",
            {"value": repr(lang)},
        )
    if lang == "en":
        return "en"
    if cjk_family() is None:
        if not _warned:
            _warned.append(True)
            warnings.warn(
                "no font with Chinese glyphs is installed (Noto Sans CJK, Source Han Sans, "
                "WenQuanYi, SimHei, Microsoft YaHei): figures are labelled in English; "
                "install one, e.g. apt install fonts-noto-cjk",
                FontWarning,
                stacklevel=3,
            )
        return "en"
    return "zh"


def rc() -> dict[str, Any]:
    """matplotlib settings of the figures: an installed CJK font first (city names may be
    Chinese in English figures too), DejaVu Sans for the rest."""
    family = cjk_family()  # also in English figures: city names may be Chinese
    return {
        "font.family": "sans-serif",
        "font.sans-serif": [*([family] if family else []), "DejaVu Sans"],
        "axes.unicode_minus": False,
        "axes.spines.top": False,
        "axes.spines.right": False,
        "axes.titlesize": 10,
        "axes.labelsize": 9,
        "xtick.labelsize": 8,
        "ytick.labelsize": 8,
        "legend.fontsize": 8,
        "legend.frameon": False,
        "figure.titlesize": 12,
        "svg.fonttype": "path",
        "svg.hashsalt": "coordeval",
    }


def word(key: str, lang: str) -> str:
    """The word ``key`` in ``lang`` (``"zh"`` or ``"en"``)."""
    zh, en = WORDS[key]
    return zh if lang == "zh" else en


def sequential_colours(n: int) -> list[str]:
    """``n`` colours of the colour-blind-safe viridis map (light = high)."""
    from matplotlib import colormaps
    from matplotlib.colors import to_hex

    cmap = colormaps["viridis"]
    return [to_hex(cmap(v)) for v in np.linspace(0.1, 0.95, n)]


def quantile_classes(values: np.ndarray, k: int = 5) -> tuple[np.ndarray, np.ndarray]:
    """Quantile classes of ``values``.

    Parameters
    ----------
    values : ndarray
        Finite numbers.
    k : int
        Number of classes wanted; fewer result when quantiles coincide.

    Returns
    -------
    breaks : ndarray
        Class boundaries, from the minimum to the maximum (length = classes + 1).
    classes : ndarray of int
        0-based class of every value; class ``i`` is ``(breaks[i], breaks[i + 1]]``, the
        first class also holding the minimum.
    """
    v = np.asarray(values, dtype=np.float64)
    breaks = np.unique(np.quantile(v, np.linspace(0, 1, k + 1)))
    if breaks.size == 1:
        return np.array([breaks[0], breaks[0]]), np.zeros(v.size, dtype=np.int64)
    classes = np.clip(np.searchsorted(breaks, v, side="left") - 1, 0, breaks.size - 2)
    return breaks, classes


def fisher_jenks_classes(values: np.ndarray, k: int = 5) -> tuple[np.ndarray, np.ndarray]:
    """Natural breaks (Fisher 1958, "On grouping for maximum homogeneity", JASA 53:789-798):
    the ``k`` classes of consecutive sorted values with the least total within-class sum of
    squared deviations, found exactly by dynamic programming.

    Parameters
    ----------
    values : ndarray
        Finite numbers (at most 4,000: the search holds an n × n table).
    k : int
        Number of classes wanted; at most the number of distinct values result.

    Returns
    -------
    breaks, classes : ndarray
        As :func:`quantile_classes`: ``breaks[0]`` is the minimum, ``breaks[i + 1]`` the
        largest value of class ``i``; class ``i`` is ``(breaks[i], breaks[i + 1]]``.
    """
    v = np.asarray(values, dtype=np.float64)
    if v.size > 4000:
        raise ConfigError(
            f"Fisher-Jenks is limited to 4,000 values, got {v.size}",
            "figure_too_many_values",
            {"n": int(v.size)},
        )
    x = np.sort(v)
    n = x.size
    k = int(min(k, np.unique(x).size))
    if k <= 1:
        return np.array([x[0], x[-1]]), np.zeros(n, dtype=np.int64)
    s1 = np.concatenate([[0.0], np.cumsum(x)])
    s2 = np.concatenate([[0.0], np.cumsum(x * x)])
    i = np.arange(n)[:, None]  # first index of the last class
    j = np.arange(n)[None, :]  # last index
    with np.errstate(invalid="ignore", divide="ignore"):
        m = (j - i + 1).astype(np.float64)
        ssd = s2[j + 1] - s2[i] - (s1[j + 1] - s1[i]) ** 2 / m
    ssd = np.where(i <= j, np.maximum(ssd, 0.0), np.inf)
    cost = ssd[0]  # one class over x[0..j]
    starts = []
    for _ in range(1, k):  # add one class at a time (k is small)
        prev = np.concatenate([[np.inf], cost[:-1]])  # best cost of x[0..i-1]
        total = prev[:, None] + ssd
        best = np.argmin(total, axis=0)
        cost = total[best, np.arange(n)]
        starts.append(best)
    # walk back from the last value: the first index of each class
    firsts, end = [], n - 1
    for best in reversed(starts):
        first = int(best[end])
        firsts.append(first)
        end = first - 1
    firsts = np.array(sorted(firsts))
    breaks = np.concatenate([[x[0]], x[firsts - 1], [x[-1]]])
    classes = np.clip(np.searchsorted(breaks, v, side="left") - 1, 0, breaks.size - 2)
    return breaks, classes
