"""Figures of cities in one year: D by grade (map, points or bars), subsystem scores, radar
small multiples, obstacle degrees."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from coordeval.errors import ConfigError
from coordeval.report._figbase import (
    MAX_LISTED,
    WIDTH,
    NotDrawn,
    _city_ticks,
    _coupling,
    _detail,
    _extremes,
    _figure,
    _grade_legend,
    _latest,
    _legend,
    _map_years,
    _subsystem_names,
    _title,
    _years,
)
from coordeval.report._figstyle import (
    OKABE_ITO,
    fisher_jenks_classes,
    quantile_classes,
    sequential_colours,
    word,
)
from coordeval.report._palette import figure_colours, grade_scheme, level_count, shown_grades

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from coordeval.assessment import Assessment
    from coordeval.report._maps import MapLayer


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
    scheme, levels = grade_scheme(a), level_count(a)
    grades = shown_grades(cc)  # the floor rows (grade 0) in grey
    colours = pd.Series(figure_colours(grades, levels), index=cc.index)
    level = "level_zh" if lang == "zh" else "level_en"
    years = _map_years(_years(cc)) if layer is not None else _years(cc)[-1:]
    shown = cc.loc[cc.index.get_level_values("year").isin(years), ["D", "grade", level]]
    table = shown.rename(columns={level: "level"}).reset_index()
    if layer is None:
        year, last = _latest(cc)
        last = last.loc[_extremes(last["D"]).index]
        fig, (ax,) = _figure(1, 1, WIDTH - 2.2, max(2.2, 0.22 * len(last) + 0.8))
        ax.barh(
            np.arange(len(last)),
            last["D"],
            color=colours.xs(year, level="year").loc[last.index].to_list(),
            edgecolor="#555555",
            linewidth=0.3,
        )
        _city_ticks(ax, list(last.index.astype(str)))
        ax.set_xlim(0, 1)
        ax.set_xticks(np.linspace(0, 1, 11))
        ax.grid(axis="x", color="#DDDDDD", linewidth=0.5)
        ax.set_axisbelow(True)
        ax.set_xlabel(word("D", lang))
        if len(last) <= 20:
            for k, v in enumerate(last["D"]):
                ax.annotate(
                    f"{v:.3f}",
                    (v, k),
                    xytext=(3, 0),
                    textcoords="offset points",
                    va="center",
                    fontsize=7,
                )
        _title(fig, "d_title", lang, _detail(year, len(last), len(cc.xs(year, level="year")), lang))
    else:
        ncols = 2 if len(years) == 4 else len(years)
        w = min((WIDTH - 1.8) / ncols, 4.5 / layer.aspect)  # maps at most 4.5 in tall
        fig, axes = _figure(len(years), ncols, w, w * layer.aspect + 0.35)
        for ax, year in zip(axes, years, strict=True):
            draw_layer(ax, layer, colours.xs(year, level="year"))
            ax.set_title(str(year))
            add_scale_bar(ax, layer, lang)
        fig.suptitle(word("d_title", lang))
        add_credit(fig, credit)
    _grade_legend(fig, scheme, grades.loc[shown.index], lang, levels)
    return fig, table


def subsystem_scores_figure(
    a: Assessment,
    *,
    lang: str = "zh",
    layer: MapLayer | None = None,
    credit: str | None = None,
    classify: str = "natural",
) -> tuple[Figure, pd.DataFrame]:
    """Each subsystem's score by city in the latest year, one panel per subsystem.

    Bars ordered by score on a shared axis; with a map layer, maps in five classes or fewer
    (viridis) with each panel's class limits in its legend: ``classify="natural"`` Fisher–Jenks
    natural breaks (quantiles beyond 4,000 cities), ``"quantiles"`` quantile classes.

    Returns
    -------
    Figure, DataFrame
        The table has ``city``, one column per subsystem and, for maps, ``<subsystem>_class``.
    """
    from matplotlib.patches import Patch

    from coordeval.report._maps import add_credit, draw_layer

    if classify not in ("natural", "quantiles"):
        raise ConfigError(
            f"classify must be natural or quantiles, got {classify!r}",
            "figure_classify",
            {"value": repr(classify)},
        )
    year, U = _latest(a.scores)
    names = _subsystem_names(a, lang)
    table = U.copy()
    n = U.shape[1]
    if layer is None:
        rows = min(len(U), MAX_LISTED)
        fig, axes = _figure(
            n, 3 if rows <= 15 else 2, 2.4 if rows <= 15 else 3.5, max(1.8, 0.16 * rows + 0.6)
        )
        top = float(np.nanmax(U.to_numpy())) if U.size else 1.0
        for ax, col in zip(axes, U.columns, strict=True):
            s = _extremes(U[col])
            ax.barh(np.arange(len(s)), s, color=OKABE_ITO[4], height=0.7)
            _city_ticks(ax, list(s.index.astype(str)))
            ax.set_xlim(0, max(top * 1.05, 1e-9))
            ax.set_title(names.get(col, col))
    else:
        fig, axes = _figure(n, 3, WIDTH / 3, WIDTH / 3 * layer.aspect + 0.7)
        for ax, col in zip(axes, U.columns, strict=True):
            exact = classify == "natural" and len(U) <= 4000
            classes_of = fisher_jenks_classes if exact else quantile_classes
            breaks, classes = classes_of(U[col].to_numpy())
            pal = np.asarray(sequential_colours(breaks.size - 1))
            draw_layer(ax, layer, pd.Series(pal[classes], index=U.index))
            table[f"{col}_class"] = classes + 1
            handles = [
                Patch(facecolor=pal[k], label=f"{breaks[k]:.3f}–{breaks[k + 1]:.3f}")
                for k in range(breaks.size - 1)
            ]
            ax.legend(
                handles=handles,
                loc="upper center",
                bbox_to_anchor=(0.5, 0.0),
                ncols=2,
                fontsize=5.5,
                title=word("natural" if exact else "classes", lang),
                title_fontsize=6,
            )
            ax.set_title(names.get(col, col))
        add_credit(fig, credit)
    shown = len(U) if layer is not None else min(len(U), MAX_LISTED)
    _title(fig, "sub_title", lang, _detail(year, shown, len(U), lang))
    return fig, table.reset_index()


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
    total = len(U)
    if total > MAX_LISTED:  # the highest and lowest by the composite score
        composite = a.composite["closeness"].xs(year, level="year")
        U = U.loc[U.index.isin(_extremes(composite).index)]
    n_panels = math.ceil(len(U) / per_panel)
    fig, axes = _figure(
        n_panels, 3, WIDTH / 3, WIDTH / 3 + 0.35, subplot_kw={"projection": "polar"}
    )
    angles = np.linspace(0, 2 * np.pi, U.shape[1], endpoint=False)
    closed = np.append(angles, angles[0])
    top = max(math.ceil(float(np.nanmax(U.to_numpy())) * 10) / 10, 0.1)
    for p, ax in enumerate(axes):
        block = U.iloc[p * per_panel : (p + 1) * per_panel]
        for k, (city, row) in enumerate(block.iterrows()):
            vals = np.append(row.to_numpy(), row.to_numpy()[0])
            ax.plot(
                closed, vals, color=OKABE_ITO[k], linewidth=1.1, label=str(city), gid=f"city:{city}"
            )
            ax.fill(closed, vals, color=OKABE_ITO[k], alpha=0.08)
        ax.set_theta_offset(np.pi / 2)
        ax.set_theta_direction(-1)
        ax.set_rlabel_position(180 / U.shape[1])
        ax.set_xticks(angles, [names.get(c, c) for c in U.columns], fontsize=6.5)
        ax.set_ylim(0, top)
        ax.tick_params(axis="y", labelsize=5.5)
        ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.08), ncols=2, fontsize=6)
    _title(fig, "radar_title", lang, _detail(year, len(U), total, lang))
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
    total = len(O)
    if total > MAX_LISTED:  # the highest and lowest by D (else by the composite score)
        by = a.tables["coupling"]["D"] if "coupling" in a.tables else a.composite["closeness"]
        O = O.loc[O.index.isin(_extremes(by.xs(year, level="year")).index)]
    O = O.sort_index()
    names = _subsystem_names(a, lang)
    fig, (ax,) = _figure(1, 1, WIDTH - 2.0, max(2.2, 0.22 * len(O) + 0.9))
    left = np.zeros(len(O))
    palette = OKABE_ITO if O.shape[1] <= len(OKABE_ITO) else sequential_colours(O.shape[1])
    for k, col in enumerate(O.columns):
        ax.barh(
            np.arange(len(O)),
            O[col],
            left=left,
            color=palette[k],
            height=0.75,
            label=names.get(col, col),
            edgecolor="white",
            linewidth=0.3,
        )
        left += O[col].to_numpy()
    _city_ticks(ax, list(O.index.astype(str)))
    ax.set_ylim(len(O) - 0.5, -0.5)
    ax.set_xlim(0, 100)
    ax.set_xlabel(word("obstacle", lang))
    _legend(fig, *fig.axes[0].get_legend_handles_labels())
    _title(fig, "obstacle_title", lang, _detail(year, len(O), total, lang))
    return fig, O.reset_index()
