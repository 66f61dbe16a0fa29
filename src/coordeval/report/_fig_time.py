"""Figures over the years: trends, kernel densities (2-D and 3-D), Dagum contributions and
grade transitions."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from coordeval.report._figbase import (
    WIDTH,
    NotDrawn,
    _coupling,
    _figure,
    _legend,
    _subsystem_names,
    _title,
    _years,
)
from coordeval.report._figstyle import (
    OKABE_ITO,
    sequential_colours,
    word,
)
from coordeval.report._palette import grade_scheme

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from coordeval.assessment import Assessment


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
    names = {
        "D": word("D", lang),
        "composite": word("composite", lang),
        **_subsystem_names(a, lang),
    }
    mean = frame.groupby(level="year").mean()
    cities = frame.index.get_level_values("city").unique()
    few = len(cities) <= len(OKABE_ITO)
    fig, axes = _figure(frame.shape[1], 3, WIDTH / 3, 1.9)
    wide = {col: frame[col].unstack("city").reindex(years) for col in frame.columns}
    for ax, col in zip(axes, frame.columns, strict=True):
        w = wide[col]
        for k, city in enumerate(cities):
            ax.plot(
                years,
                w[city],
                color=OKABE_ITO[k] if few else "#BBBBBB",
                linewidth=1.0 if few else 0.6,
                label=str(city),
                gid=f"city:{city}",
            )
        ax.plot(
            years,
            mean[col].reindex(years),
            color="black",
            linewidth=2.0,
            label=word("mean", lang),
            gid="mean",
        )
        ax.set_title(names.get(col, col))
        ax.set_xlim(years[0], years[-1])
        ax.xaxis.get_major_locator().set_params(integer=True)
    handles, labels = axes[0].get_legend_handles_labels()
    if not few:
        handles, labels = [handles[0], handles[-1]], [word("cities", lang), labels[-1]]
    _legend(fig, handles, labels)
    fig.suptitle(word("trend_title", lang))
    out = pd.concat(
        [
            frame,
            mean.assign(city="mean")
            .set_index("city", append=True)
            .reorder_levels(["city", "year"]),
        ]
    )
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
        ax.plot(
            d["x"], d["density"], color=colour, linewidth=1.0, label=str(year), gid=f"year:{year}"
        )
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
    ax.plot_surface(
        X,
        Y,
        grid.to_numpy(),
        cmap="viridis",
        linewidth=0,
        antialiased=True,
        rcount=min(grid.shape[0], 60),
        ccount=min(grid.shape[1], 120),
    )
    ax.set_xlabel(word("composite", lang), labelpad=6)
    ax.set_ylabel(word("year", lang), labelpad=6)
    ax.set_zlabel(word("density", lang), labelpad=4)
    ax.view_init(elev=28, azim=-58)
    fig.suptitle(word("kde_title", lang))
    return fig, grid.reset_index()


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
        ax.bar(
            x,
            t[col],
            bottom=bottom,
            color=OKABE_ITO[(0, 4, 5)[k]],
            width=0.75,
            label=word(col, lang),
        )
        bottom += t[col].to_numpy()
    ax.set_xticks(x, t["year"].astype(str), rotation=90 if len(t) > 10 else 0)
    ax.set_ylim(0, 100)
    ax.set_ylabel(word("contribution", lang))
    _legend(fig, *fig.axes[0].get_legend_handles_labels())
    _title(fig, "dagum_title", lang, score)
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
    scheme = grade_scheme(a)
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
            ax.text(
                j,
                i,
                f"{p:.2f}\n({count.iat[i, j]})",
                ha="center",
                va="center",
                fontsize=6.5,
                color="white" if p > 0.6 else "black",
            )
    ax.set_xlabel(word("to", lang))
    ax.set_ylabel(word("from", lang))
    fig.colorbar(im, ax=ax, label=word("probability", lang), shrink=0.8)
    fig.suptitle(word("transition_title", lang))
    return fig, t
