"""Figures and maps of an assessment for papers and briefs (optional extra ``figures``).

:func:`draw_figures` writes one file per figure and format with a stable name, and beside it
a CSV (UTF-8 with BOM) of the table behind the figure. Each ``*_figure`` function returns a
matplotlib ``Figure`` and that table, for use in notebooks. matplotlib is imported only when
a figure is drawn; without the extra a :class:`~coordeval.errors.ConfigError` names
``pip install "coordeval[figures]"``.

Figures (stable names):

* ``d_by_city`` — D by city coloured by coordination grade (the scheme in use): a map from the
  user's boundary file, a point map from coordinates, else an ordered bar chart;
* ``subsystem_scores`` — each subsystem score by city (small multiples; maps in quantile
  classes when geometry or coordinates are given);
* ``trends`` — D, composite and subsystem scores per city and the cluster mean (panels);
* ``kernel_density`` and ``kernel_density_3d`` — kernel densities of the composite score per
  year, as curves and as a year × value × density surface;
* ``radar`` — subsystem scores as radar small multiples (at most five cities each);
* ``obstacles`` — obstacle degree by subsystem, stacked to 100 % per city;
* ``dagum`` — contributions of the Dagum Gini decomposition per year (with groups);
* ``grade_transitions`` — grade transition probabilities from year t to t + 1.

The spatial figures (``lisa``, ``hot_spots``, ``gravity_centre``, ``geodetector``) are drawn by
:mod:`coordeval.report._spatial_figures` from plain tables. Every map prints the user's
credit line (for Chinese maps the basemap's 审图号) under the figure.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from coordeval.errors import ConfigError
from coordeval.io.geometry import (
    Boundaries,
    read_boundaries,
    read_coordinates,
    require_figures_extra,
)
from coordeval.report._figstyle import (
    OKABE_ITO,
    grade_colours,
    quantile_classes,
    rc,
    resolve_lang,
    sequential_colours,
    word,
)

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from coordeval.analysis.coupling import GradeScheme
    from coordeval.assessment import Assessment
    from coordeval.report._maps import MapLayer

__all__ = [
    "FIGURE_NAMES",
    "d_by_city_figure",
    "dagum_figure",
    "draw_figures",
    "embed_figures",
    "grade_transitions",
    "grade_transitions_figure",
    "kernel_density_3d_figure",
    "kernel_density_figure",
    "obstacles_figure",
    "radar_figure",
    "subsystem_scores_figure",
    "trends_figure",
]

#: The figures :func:`draw_figures` draws from an assessment, in order.
FIGURE_NAMES = (
    "d_by_city",
    "subsystem_scores",
    "trends",
    "kernel_density",
    "kernel_density_3d",
    "radar",
    "obstacles",
    "dagum",
    "grade_transitions",
)

FORMATS = ("png", "svg", "pdf")
WIDTH = 7.0  # inches: a journal's double column


class NotDrawn(Exception):
    """The data do not support a figure (e.g. trends of a single year); the reason is kept."""


# ---------------------------------------------------------------- data of the assessment


def _scheme(a: Assessment) -> GradeScheme:
    from coordeval.analysis.coupling import GRADE_SCHEMES, GradeScheme

    g = a.conventions.get("grades", "ten")
    return g if isinstance(g, GradeScheme) else GRADE_SCHEMES[str(g)]


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
    """``级别名 (a, b]`` with the interval of the grade."""
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


def _grade_legend(fig: Figure, scheme: GradeScheme, grades: Iterable[int], lang: str) -> None:
    """Legend of the grades present, lowest first, titled in the report language."""
    from matplotlib.patches import Patch

    colours = grade_colours(scheme.n_levels)
    present = sorted({int(g) for g in grades})
    handles = [
        Patch(facecolor=colours[g - 1], edgecolor="#666666", label=_level_label(scheme, g, lang))
        for g in present
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


# ---------------------------------------------------------------- the figures


def d_by_city_figure(
    a: Assessment, *, lang: str = "zh", layer: MapLayer | None = None, credit: str | None = None
) -> tuple[Figure, pd.DataFrame]:
    """D by city coloured by coordination grade.

    With a map layer: one map per shown year (up to four, first to last), one patch (or point)
    per city; otherwise a bar chart of the latest year ordered by D on a [0, 1] axis, the
    grade cuts drawn as grid lines. The legend lists the grades present.

    Returns
    -------
    Figure, DataFrame
        The table has ``city, year, D, grade, level``.
    """
    from coordeval.report._maps import add_credit, add_scale_bar, draw_layer

    cc = _coupling(a)
    scheme = _scheme(a)
    colours = np.asarray(grade_colours(scheme.n_levels))
    level = "level_zh" if lang == "zh" else "level_en"
    years = _map_years(_years(cc)) if layer is not None else _years(cc)[-1:]
    shown = cc.loc[cc.index.get_level_values("year").isin(years), ["D", "grade", level]]
    table = shown.rename(columns={level: "level"}).reset_index()
    if layer is None:
        year, last = _latest(cc)
        last = last.sort_values("D")
        fig, (ax,) = _figure(1, 1, WIDTH - 2.2, max(2.2, 0.22 * len(last) + 0.8))
        ax.barh(np.arange(len(last)), last["D"], color=colours[last["grade"].to_numpy() - 1],
                edgecolor="#555555", linewidth=0.3)
        _city_ticks(ax, list(last.index.astype(str)))
        ax.set_xlim(0, 1)
        ax.set_xticks(np.linspace(0, 1, 11))
        ax.grid(axis="x", color="#DDDDDD", linewidth=0.5)
        ax.set_axisbelow(True)
        ax.set_xlabel(word("D", lang))
        if len(last) <= 20:
            for k, v in enumerate(last["D"]):
                ax.annotate(f"{v:.3f}", (v, k), xytext=(3, 0), textcoords="offset points",
                            va="center", fontsize=7)
        fig.suptitle(f"{word('d_title', lang)}（{year}）" if lang == "zh"
                     else f"{word('d_title', lang)}, {year}")
    else:
        ncols = 2 if len(years) == 4 else len(years)
        w = (WIDTH - 1.8) / ncols
        fig, axes = _figure(len(years), ncols, w, w * layer.aspect + 0.35)
        for ax, year in zip(axes, years, strict=True):
            g = cc.xs(year, level="year")["grade"]
            draw_layer(ax, layer, pd.Series(colours[g.to_numpy() - 1], index=g.index))
            ax.set_title(str(year))
            add_scale_bar(ax, layer, lang)
        fig.suptitle(word("d_title", lang))
        add_credit(fig, credit)
    _grade_legend(fig, scheme, shown["grade"], lang)
    return fig, table


def subsystem_scores_figure(
    a: Assessment, *, lang: str = "zh", layer: MapLayer | None = None, credit: str | None = None
) -> tuple[Figure, pd.DataFrame]:
    """Each subsystem's score by city in the latest year, one panel per subsystem.

    Bars ordered by score on a shared axis; with a map layer, maps in quantile classes
    (viridis, five classes or fewer) with each panel's class limits in its legend.

    Returns
    -------
    Figure, DataFrame
        The table has ``city``, one column per subsystem and, for maps, ``<subsystem>_class``.
    """
    from matplotlib.patches import Patch

    from coordeval.report._maps import add_credit, draw_layer

    year, U = _latest(a.scores)
    names = _subsystem_names(a, lang)
    table = U.copy()
    n = U.shape[1]
    if layer is None:
        fig, axes = _figure(n, 3 if len(U) <= 15 else 2, 2.4 if len(U) <= 15 else 3.5,
                            max(1.8, 0.16 * len(U) + 0.6))
        top = float(np.nanmax(U.to_numpy())) if U.size else 1.0
        for ax, col in zip(axes, U.columns, strict=True):
            s = U[col].sort_values()
            ax.barh(np.arange(len(s)), s, color=OKABE_ITO[4], height=0.7)
            _city_ticks(ax, list(s.index.astype(str)))
            ax.set_xlim(0, max(top * 1.05, 1e-9))
            ax.set_title(names.get(col, col))
    else:
        fig, axes = _figure(n, 3, WIDTH / 3, WIDTH / 3 * layer.aspect + 0.7)
        for ax, col in zip(axes, U.columns, strict=True):
            breaks, classes = quantile_classes(U[col].to_numpy())
            pal = np.asarray(sequential_colours(breaks.size - 1))
            draw_layer(ax, layer, pd.Series(pal[classes], index=U.index))
            table[f"{col}_class"] = classes + 1
            handles = [Patch(facecolor=pal[k], label=f"{breaks[k]:.3f}–{breaks[k + 1]:.3f}")
                       for k in range(breaks.size - 1)]
            ax.legend(handles=handles, loc="lower right", fontsize=5.5,
                      title=word("classes", lang), title_fontsize=6)
            ax.set_title(names.get(col, col))
        add_credit(fig, credit)
    fig.suptitle(f"{word('sub_title', lang)}（{year}）" if lang == "zh"
                 else f"{word('sub_title', lang)}, {year}")
    return fig, table.reset_index()


def trends_figure(a: Assessment, *, lang: str = "zh") -> tuple[Figure, pd.DataFrame]:
    """D, composite score and every subsystem score over the years: one panel each, a line per
    city (Okabe–Ito colours up to eight cities, grey beyond) and the cluster mean in black.

    Returns
    -------
    Figure, DataFrame
        The table has ``city, year, D, composite`` and one column per subsystem; rows with
        ``city`` = ``"mean"`` hold the cluster mean.
    """
    years = _years(a.scores)
    if years.size < 2:
        raise NotDrawn("trends need at least two years")
    frame = a.scores.copy()
    frame.insert(0, "composite", a.composite["closeness"])
    if "coupling" in a.tables:
        frame.insert(0, "D", a.tables["coupling"]["D"])
    names = {"D": word("D", lang), "composite": word("composite", lang),
             **_subsystem_names(a, lang)}
    mean = frame.groupby(level="year").mean()
    cities = frame.index.get_level_values("city").unique()
    few = len(cities) <= len(OKABE_ITO)
    fig, axes = _figure(frame.shape[1], 3, WIDTH / 3, 1.9)
    wide = {col: frame[col].unstack("city").reindex(years) for col in frame.columns}
    for ax, col in zip(axes, frame.columns, strict=True):
        w = wide[col]
        for k, city in enumerate(cities):
            ax.plot(years, w[city], color=OKABE_ITO[k] if few else "#BBBBBB",
                    linewidth=1.0 if few else 0.6, label=str(city), gid=f"city:{city}")
        ax.plot(years, mean[col].reindex(years), color="black", linewidth=2.0,
                label=word("mean", lang), gid="mean")
        ax.set_title(names.get(col, col))
        ax.set_xlim(years[0], years[-1])
        ax.xaxis.get_major_locator().set_params(integer=True)
    handles, labels = axes[0].get_legend_handles_labels()
    if not few:
        handles, labels = [handles[0], handles[-1]], [word("cities", lang), labels[-1]]
    _legend(fig, handles, labels)
    fig.suptitle(word("trend_title", lang))
    out = pd.concat([frame, mean.assign(city="mean").set_index("city", append=True)
                     .reorder_levels(["city", "year"])])
    return fig, out.reset_index()


def _density(a: Assessment) -> pd.DataFrame:
    if "kernel_density" not in a.tables:
        raise NotDrawn(a.skipped.get("convergence", "no kernel density table"))
    kd = a.tables["kernel_density"]
    return kd[kd["score"] == "composite"] if (kd["score"] == "composite").any() else kd


def kernel_density_figure(a: Assessment, *, lang: str = "zh") -> tuple[Figure, pd.DataFrame]:
    """Kernel density curves of the composite score, one per year (viridis, early = dark).

    Returns
    -------
    Figure, DataFrame
        The kernel density table of the assessment (``score, year, x, density, bandwidth``).
    """
    kd = _density(a)
    years = np.sort(kd["year"].unique())
    colours = sequential_colours(years.size)
    fig, (ax,) = _figure(1, 1, WIDTH - 1.6, 3.2)
    for colour, year in zip(colours, years, strict=True):
        d = kd[kd["year"] == year]
        ax.plot(d["x"], d["density"], color=colour, linewidth=1.0, label=str(year),
                gid=f"year:{year}")
    ax.set_xlabel(word("composite", lang))
    ax.set_ylabel(word("density", lang))
    ax.set_xlim(float(kd["x"].min()), float(kd["x"].max()))
    ax.set_ylim(0, float(kd["density"].max()) * 1.05)
    _legend(fig, *ax.get_legend_handles_labels(), word("year", lang))
    fig.suptitle(word("kde_title", lang))
    return fig, kd.reset_index(drop=True)


def kernel_density_3d_figure(a: Assessment, *, lang: str = "zh") -> tuple[Figure, pd.DataFrame]:
    """The kernel densities as a surface over year × composite score (grid shared by all years).

    Returns
    -------
    Figure, DataFrame
        The density grid: one row per year, one column per grid value ``x``.
    """
    from matplotlib.figure import Figure

    kd = _density(a)
    grid = kd.pivot_table(index="year", columns="x", values="density")
    if grid.shape[0] < 2:
        raise NotDrawn("a density surface needs at least two years")
    fig = Figure(figsize=(WIDTH - 1.0, 4.6), layout="constrained")
    ax = fig.add_subplot(projection="3d")
    X, Y = np.meshgrid(grid.columns.to_numpy(dtype=np.float64), grid.index.to_numpy())
    ax.plot_surface(X, Y, grid.to_numpy(), cmap="viridis", linewidth=0, antialiased=True,
                    rcount=min(grid.shape[0], 60), ccount=min(grid.shape[1], 120))
    ax.set_xlabel(word("composite", lang), labelpad=6)
    ax.set_ylabel(word("year", lang), labelpad=6)
    ax.set_zlabel(word("density", lang), labelpad=4)
    ax.view_init(elev=28, azim=-58)
    fig.suptitle(word("kde_title", lang))
    return fig, grid.reset_index()


def radar_figure(
    a: Assessment, *, lang: str = "zh", per_panel: int = 5
) -> tuple[Figure, pd.DataFrame]:
    """Subsystem scores of the latest year as radar charts, at most ``per_panel`` cities each.

    Returns
    -------
    Figure, DataFrame
        The table has ``city`` and one column per subsystem.
    """
    year, U = _latest(a.scores)
    if U.shape[1] < 3:
        raise NotDrawn("a radar chart needs at least three subsystems")
    names = _subsystem_names(a, lang)
    n_panels = math.ceil(len(U) / per_panel)
    fig, axes = _figure(n_panels, 3, WIDTH / 3, WIDTH / 3 + 0.35,
                        subplot_kw={"projection": "polar"})
    angles = np.linspace(0, 2 * np.pi, U.shape[1], endpoint=False)
    closed = np.append(angles, angles[0])
    top = max(math.ceil(float(np.nanmax(U.to_numpy())) * 10) / 10, 0.1)
    for p, ax in enumerate(axes):
        block = U.iloc[p * per_panel : (p + 1) * per_panel]
        for k, (city, row) in enumerate(block.iterrows()):
            vals = np.append(row.to_numpy(), row.to_numpy()[0])
            ax.plot(closed, vals, color=OKABE_ITO[k], linewidth=1.1, label=str(city),
                    gid=f"city:{city}")
            ax.fill(closed, vals, color=OKABE_ITO[k], alpha=0.08)
        ax.set_theta_offset(np.pi / 2)
        ax.set_theta_direction(-1)
        ax.set_rlabel_position(180 / U.shape[1])
        ax.set_xticks(angles, [names.get(c, c) for c in U.columns], fontsize=6.5)
        ax.set_ylim(0, top)
        ax.tick_params(axis="y", labelsize=5.5)
        ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.08), ncols=2, fontsize=6)
    fig.suptitle(f"{word('radar_title', lang)}（{year}）" if lang == "zh"
                 else f"{word('radar_title', lang)}, {year}")
    return fig, U.reset_index()


def obstacles_figure(a: Assessment, *, lang: str = "zh") -> tuple[Figure, pd.DataFrame]:
    """Obstacle degree of each subsystem in the latest year, stacked to 100 % per city.

    Returns
    -------
    Figure, DataFrame
        The table has ``city`` and one column per subsystem (percent, rows sum to 100).
    """
    if "subsystem_obstacles" not in a.tables:
        raise NotDrawn(a.skipped.get("obstacles", "no obstacle table"))
    year, O = _latest(a.tables["subsystem_obstacles"])
    O = O.sort_index()
    names = _subsystem_names(a, lang)
    fig, (ax,) = _figure(1, 1, WIDTH - 2.0, max(2.2, 0.22 * len(O) + 0.9))
    left = np.zeros(len(O))
    palette = OKABE_ITO if O.shape[1] <= len(OKABE_ITO) else sequential_colours(O.shape[1])
    for k, col in enumerate(O.columns):
        ax.barh(np.arange(len(O)), O[col], left=left, color=palette[k], height=0.75,
                label=names.get(col, col), edgecolor="white", linewidth=0.3)
        left += O[col].to_numpy()
    _city_ticks(ax, list(O.index.astype(str)))
    ax.set_ylim(len(O) - 0.5, -0.5)
    ax.set_xlim(0, 100)
    ax.set_xlabel(word("obstacle", lang))
    _legend(fig, *fig.axes[0].get_legend_handles_labels())
    fig.suptitle(f"{word('obstacle_title', lang)}（{year}）" if lang == "zh"
                 else f"{word('obstacle_title', lang)}, {year}")
    return fig, O.reset_index()


def dagum_figure(a: Assessment, *, lang: str = "zh") -> tuple[Figure, pd.DataFrame]:
    """Contributions (%) of within-group, net between-group and transvariation inequality to
    the Gini of D (else of the composite score), stacked per year.

    Returns
    -------
    Figure, DataFrame
        The table has ``score, year, gini`` and the three contribution shares in percent.
    """
    iq = a.tables.get("inequality")
    parts = ["G_w_share", "G_nb_share", "G_t_share"]
    if iq is None or not set(parts) <= set(iq.columns) or iq[parts].isna().all().all():
        raise NotDrawn("the Dagum decomposition needs city groups")
    score = "D" if (iq["score"] == "D").any() else "composite"
    t = iq.loc[iq["score"] == score, ["score", "year", "gini", *parts]].sort_values("year")
    t[parts] = t[parts] * 100
    fig, (ax,) = _figure(1, 1, WIDTH - 1.8, 3.0)
    x = np.arange(len(t))
    bottom = np.zeros(len(t))
    for k, col in enumerate(parts):
        ax.bar(x, t[col], bottom=bottom, color=OKABE_ITO[(0, 4, 5)[k]], width=0.75,
               label=word(col, lang))
        bottom += t[col].to_numpy()
    ax.set_xticks(x, t["year"].astype(str), rotation=90 if len(t) > 10 else 0)
    ax.set_ylim(0, 100)
    ax.set_ylabel(word("contribution", lang))
    _legend(fig, *fig.axes[0].get_legend_handles_labels())
    fig.suptitle(f"{word('dagum_title', lang)}（{score}）" if lang == "zh"
                 else f"{word('dagum_title', lang)} ({score})")
    return fig, t.reset_index(drop=True)


def grade_transitions(coupling: pd.DataFrame) -> pd.DataFrame:
    """Grade transitions of each city from one observed year to its next.

    Parameters
    ----------
    coupling : DataFrame
        Indexed by (``city``, ``year``) with an integer ``grade`` column.

    Returns
    -------
    DataFrame
        One row per observed pair of grades: ``from_grade, to_grade, count`` and
        ``probability`` (the count over all transitions out of ``from_grade``, a
        first-order Markov estimate).
    """
    g = coupling["grade"].sort_index()
    nxt = g.groupby(level="city").shift(-1)
    pairs = pd.DataFrame({"from_grade": g, "to_grade": nxt}).dropna().astype("int64")
    counts = pairs.value_counts().rename("count").reset_index()
    counts = counts.sort_values(["from_grade", "to_grade"], ignore_index=True)
    counts["probability"] = counts["count"] / counts.groupby("from_grade")["count"].transform("sum")
    return counts


def grade_transitions_figure(a: Assessment, *, lang: str = "zh") -> tuple[Figure, pd.DataFrame]:
    """Heat map of the grade transition probabilities (rows: grade in t, columns: in t + 1),
    each cell annotated with the probability and the count.

    Returns
    -------
    Figure, DataFrame
        :func:`grade_transitions` of the assessment.
    """
    cc = _coupling(a)
    if _years(cc).size < 2:
        raise NotDrawn("grade transitions need at least two years")
    t = grade_transitions(cc)
    scheme = _scheme(a)
    grades = np.union1d(t["from_grade"], t["to_grade"])
    prob = t.pivot_table(index="from_grade", columns="to_grade", values="probability")
    prob = prob.reindex(index=grades, columns=grades).fillna(0.0)
    count = t.pivot_table(index="from_grade", columns="to_grade", values="count")
    count = count.reindex(index=grades, columns=grades).fillna(0).astype(int)
    size = 1.2 + 0.55 * grades.size
    fig, (ax,) = _figure(1, 1, size + 1.6, size)
    im = ax.imshow(prob.to_numpy(), cmap="Blues", vmin=0, vmax=1)
    labels = [(scheme.names_zh if lang == "zh" else scheme.names_en)[g - 1] for g in grades]
    ax.set_xticks(np.arange(grades.size), labels, rotation=45, ha="right")
    ax.set_yticks(np.arange(grades.size), labels)
    for (i, j), p in np.ndenumerate(prob.to_numpy()):
        if count.iat[i, j]:
            ax.text(j, i, f"{p:.2f}\n({count.iat[i, j]})", ha="center", va="center",
                    fontsize=6.5, color="white" if p > 0.6 else "black")
    ax.set_xlabel(word("to", lang))
    ax.set_ylabel(word("from", lang))
    fig.colorbar(im, ax=ax, label=word("probability", lang), shrink=0.8)
    fig.suptitle(word("transition_title", lang))
    return fig, t


# ---------------------------------------------------------------- drawing everything


def _layer(
    a: Assessment, geometry: Any, coords: Any, key: str | None
) -> MapLayer | None:
    from coordeval.report._maps import point_layer, polygon_layer

    cities = a.scores.index.get_level_values("city").unique()
    if geometry is not None:
        b = geometry if isinstance(geometry, Boundaries) else read_boundaries(geometry)
        return polygon_layer(cities, b, key)
    if coords is not None:
        c = coords if isinstance(coords, pd.DataFrame) else read_coordinates(coords)
        return point_layer(cities, c)
    return None


def _save(fig: Figure, table: pd.DataFrame, stem: Path, formats: Sequence[str], dpi: int) -> Path:
    from coordeval.io.atomic import atomic_path
    from coordeval.report.workbook import safe_csv_frame, write_csv_bom

    paths = []
    for fmt in formats:
        path = stem.with_suffix(f".{fmt}")
        with atomic_path(path) as tmp:
            fig.savefig(tmp, format=fmt, dpi=dpi, metadata=_metadata(fmt))
        paths.append(path)
    with atomic_path(stem.with_suffix(".csv")) as tmp:
        write_csv_bom(safe_csv_frame(table), tmp)
    return paths[0]


def _metadata(fmt: str) -> dict[str, Any]:
    """No creation date in SVG/PDF files, so that the same data give the same files."""
    if fmt == "svg":
        return {"Date": None}
    if fmt == "pdf":
        return {"CreationDate": None}
    return {}


def draw_figures(
    assessment: Assessment,
    outdir: str | Path,
    formats: Sequence[str] = ("png", "svg"),
    dpi: int = 300,
    geometry: Any = None,
    coords: Any = None,
    map_credit: str | None = None,
    lang: str = "zh",
    key: str | None = None,
    extra: Iterable[tuple[str, Callable[[str], tuple[Figure, pd.DataFrame]]]] = (),
) -> dict[str, Path]:
    """Draw every figure the assessment supports and write them to ``outdir``.

    Parameters
    ----------
    assessment : Assessment
    outdir : str or Path
        Folder (created when missing). Each figure ``name`` is written as ``name.<format>``
        for every format, with the table behind it as ``name.csv`` (UTF-8 with BOM).
    formats : sequence of {"png", "svg", "pdf"}
        File formats; the first is the one returned.
    dpi : int
        Resolution of raster formats.
    geometry : str, Path, Boundaries or GeoDataFrame, optional
        The user's boundary file (shapefile, GeoJSON, TopoJSON): D and the subsystem scores
        are drawn as maps, joined by adcode or name (every unmatched city is an error).
    coords : str, Path or DataFrame, optional
        City coordinates (``lon``, ``lat`` indexed by city) for point maps when no geometry
        is given.
    map_credit : str, optional
        Printed under every map (e.g. ``"审图号：GS(2019)1822号"`` of the basemap).
    lang : {"zh", "en", "both"}
        Language of titles, axes and legends (``"both"`` draws Chinese); without an installed
        CJK font Chinese falls back to English with a :class:`FontWarning`.
    key : str, optional
        Attribute of the boundary file holding city names or adcodes (default: the one that
        matches the most cities).
    extra : iterable of (name, function)
        Further figures: ``function(lang)`` returns a figure and its table.

    Returns
    -------
    dict of str to Path
        Figure name → file in the first format, in :data:`FIGURE_NAMES` order; figures the
        data do not support (e.g. trends of one year) are left out. The other formats and the
        CSV share the file's stem.

    Raises
    ------
    ConfigError
        The ``figures`` extra is missing; unknown format or language; dpi not positive.
    InputError
        Unreadable geometry or coordinates, or cities without a feature or coordinates
        (each listed). Nothing is written then.
    """
    require_figures_extra()
    import matplotlib

    formats = tuple(formats)
    bad = [f for f in formats if f not in FORMATS]
    if bad or not formats:
        raise ConfigError(f"figure formats must be among {', '.join(FORMATS)}, got {formats}")
    if not isinstance(dpi, int) or isinstance(dpi, bool) or dpi <= 0:
        raise ConfigError(f"dpi must be a positive whole number, got {dpi!r}")
    lang = resolve_lang(lang)
    layer = _layer(assessment, geometry, coords, key)
    drawers: list[tuple[str, Callable[[], tuple[Figure, pd.DataFrame]]]] = [
        ("d_by_city", lambda: d_by_city_figure(assessment, lang=lang, layer=layer,
                                               credit=map_credit)),
        ("subsystem_scores", lambda: subsystem_scores_figure(assessment, lang=lang, layer=layer,
                                                             credit=map_credit)),
        ("trends", lambda: trends_figure(assessment, lang=lang)),
        ("kernel_density", lambda: kernel_density_figure(assessment, lang=lang)),
        ("kernel_density_3d", lambda: kernel_density_3d_figure(assessment, lang=lang)),
        ("radar", lambda: radar_figure(assessment, lang=lang)),
        ("obstacles", lambda: obstacles_figure(assessment, lang=lang)),
        ("dagum", lambda: dagum_figure(assessment, lang=lang)),
        ("grade_transitions", lambda: grade_transitions_figure(assessment, lang=lang)),
        *((name, (lambda fn=fn: fn(lang))) for name, fn in extra),
    ]
    out = Path(outdir)
    written: dict[str, Path] = {}
    with matplotlib.rc_context(rc(lang)):
        drawn = []
        for name, draw in drawers:
            try:
                drawn.append((name, *draw()))
            except NotDrawn:
                continue
        out.mkdir(parents=True, exist_ok=True)
        for name, fig, table in drawn:
            written[name] = _save(fig, table, out / name, formats, dpi)
    return written


def embed_figures(ws: Any, paths: Iterable[str | Path], *, anchor_col: str = "A",
                  first_row: int = 1, width_px: int = 640) -> int:
    """Insert PNG figures into an openpyxl worksheet, one below the other.

    Parameters
    ----------
    ws : openpyxl Worksheet
    paths : iterable of path
        PNG files (e.g. values of :func:`draw_figures` with ``formats=("png", ...)``).
    anchor_col : str
        Column of the images' top-left corners.
    first_row : int
        Row of the first image.
    width_px : int
        Width of every image on the sheet; heights keep the aspect ratio.

    Returns
    -------
    int
        The first free row below the last image.
    """
    from openpyxl.drawing.image import Image

    row = first_row
    for path in paths:
        img = Image(str(path))
        scale = width_px / img.width
        img.width, img.height = width_px, round(img.height * scale)
        ws.add_image(img, f"{anchor_col}{row}")
        row += math.ceil(img.height / 20) + 2  # default row height is 20 px
    return row
