"""Layout and data helpers shared by the figure modules."""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from coordeval.report._figstyle import word
from coordeval.report._palette import figure_colours

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from coordeval.assessment import Assessment
    from coordeval.conventions import GradeScheme

FORMATS = ("png", "svg", "pdf")
WIDTH = 7.0  # inches: a journal's double column


class NotDrawn(Exception):
    """The data do not support a figure (e.g. trends of a single year); the reason is kept."""


# ---------------------------------------------------------------- data of the assessment


def _coupling(a: Assessment) -> pd.DataFrame:
    if "coupling" not in a.tables:
        raise NotDrawn(a.skipped.get("coupling", "no coupling coordination table"))
    return a.tables["coupling"]


def _years(frame: pd.DataFrame) -> np.ndarray:
    return np.sort(frame.index.get_level_values("year").unique().to_numpy())


def _latest(frame: pd.DataFrame) -> tuple[int, pd.DataFrame]:
    year = int(_years(frame)[-1])
    return year, frame.xs(year, level="year")


def _subsystem_names(a: Assessment, lang: str) -> dict[str, str]:
    return {s.id: (s.name_zh if lang == "zh" else s.name_en) for s in a.system.subsystems}


def _level_label(scheme: GradeScheme, grade: int, lang: str) -> str:
    """``级别名 (a, b]`` with the interval of the grade; grade 0 names the rows whose D = 0
    comes from the normalisation floor."""
    if grade < 1:
        from coordeval.report.findings import FLOOR_LEVEL

        return FLOOR_LEVEL[0] if lang == "zh" else FLOOR_LEVEL[1]
    lows = (0.0, *scheme.cuts)
    highs = (*scheme.cuts, 1.0)
    lo, hi = lows[grade - 1], highs[grade - 1]
    if scheme.closed == "right":
        left, right = ("[" if grade == 1 else "("), "]"
    else:
        left, right = "[", ("]" if grade == scheme.n_levels else ")")
    name = (scheme.names_zh if lang == "zh" else scheme.names_en)[grade - 1]
    return f"{name} {left}{lo:g}, {hi:g}{right}"


# ---------------------------------------------------------------- layout helpers


def _figure(n_panels: int, ncols: int, panel_w: float, panel_h: float, **kw: Any):
    from matplotlib.figure import Figure

    ncols = max(1, min(ncols, n_panels))
    nrows = math.ceil(n_panels / ncols)
    fig = Figure(figsize=(panel_w * ncols, panel_h * nrows + 1.0), layout="constrained")
    axes = fig.subplots(nrows, ncols, squeeze=False, **kw).ravel()
    for ax in axes[n_panels:]:
        ax.set_visible(False)
    return fig, axes[:n_panels]


def _grade_legend(
    fig: Figure, scheme: GradeScheme, grades: Iterable[int], lang: str, n_levels: int
) -> None:
    """Legend of the grades present (0: the floor rows), lowest first, titled in the report
    language, in the colours of :mod:`coordeval.report._palette`."""
    from matplotlib.patches import Patch

    present = sorted({int(g) for g in grades})
    handles = [
        Patch(facecolor=colour, edgecolor="#666666", label=_level_label(scheme, g, lang))
        for g, colour in zip(present, figure_colours(present, n_levels), strict=True)
    ]
    _legend(fig, handles, [h.get_label() for h in handles], word("grade", lang))


def _legend(fig: Figure, handles: list, labels: list, title: str | None = None) -> None:
    """One legend for the figure, centred below the panels, in rows of up to five entries
    (up to ten for short labels such as years)."""
    width = max((len(str(lab)) for lab in labels), default=1)
    ncols = min(len(labels), 10 if width <= 5 else 5 if width <= 14 else 3 if width <= 30 else 2)
    fig.legend(handles, labels, title=title, loc="outside lower center", ncols=max(ncols, 1))


def _city_ticks(ax: Any, labels: Sequence[str], axis: str = "y") -> None:
    size = 8 if len(labels) <= 15 else max(4.0, 8 - len(labels) / 10)
    if axis == "y":
        ax.set_yticks(np.arange(len(labels)), labels, fontsize=size)
    else:
        ax.set_xticks(np.arange(len(labels)), labels, fontsize=size, rotation=90)


def _map_years(years: np.ndarray, k: int = 4) -> np.ndarray:
    """Up to ``k`` years evenly spread from the first to the last."""
    if years.size <= k:
        return years
    return years[np.unique(np.round(np.linspace(0, years.size - 1, k)).astype(int))]


def _title(fig: Figure, key: str, lang: str, detail: object | None = None) -> None:
    """The figure's title in ``lang``, with a detail (year, score) in brackets."""
    text = word(key, lang)
    if detail is not None:
        text += f"（{detail}）" if lang == "zh" else f" ({detail})"
    fig.suptitle(text)


#: Figures with one bar, row or radar line per city show at most this many cities.
MAX_LISTED = 60


def _extremes(values: pd.Series, limit: int = MAX_LISTED) -> pd.Series:
    """``values`` sorted ascending; beyond ``limit`` cities only the ``limit/2`` lowest and
    the ``limit/2`` highest (a national panel of 2,800 counties cannot be read as bars)."""
    s = values.sort_values(kind="stable")
    if len(s) <= limit:
        return s
    half = limit // 2
    return pd.concat([s.iloc[:half], s.iloc[-half:]])


def _detail(year: object, shown: int, total: int, lang: str) -> str:
    """A title's detail: the year, and how many cities are shown when not all are."""
    if shown >= total:
        return str(year)
    if lang == "zh":
        return f"{year}，最高与最低各 {shown // 2} 个，共 {total} 个"
    return f"{year}; the highest and lowest {shown // 2} of {total}"
