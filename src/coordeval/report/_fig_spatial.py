"""Spatial figures from plain tables: LISA cluster map with the Moran scatter plot, Gi* hot
spots, centre-of-gravity trajectory with standard deviational ellipses, GeoDetector
interaction q. The tables' columns are documented per function, so any implementation of
the statistics can feed them.

Colours: the LISA classes in GeoDa's colours (High-High #FF0000, Low-Low #0000FF, Low-High
#A7ADF9, High-Low #F4ADA8, not significant #EEEEEE); Gi* bands at the two-sided normal
critical values 1.645, 1.960 and 2.576 (90/95/99 % confidence) in a blue–red diverging scheme.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from coordeval._messages.report import FIGURE_TABLES_ZH
from coordeval.errors import InputError, Problem
from coordeval.report._figbase import WIDTH, _figure, _legend
from coordeval.report._figstyle import sequential_colours, word

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

    from coordeval.report._maps import MapLayer

__all__ = [
    "GI_CLASSES",
    "LISA_CLASSES",
    "geodetector_figure",
    "gi_classes",
    "gravity_centre_figure",
    "hot_spots_figure",
    "lisa_classes",
    "lisa_figure",
]

#: LISA class → (colour, 中文, English), GeoDa's colours.
LISA_CLASSES: dict[str, tuple[str, str, str]] = {
    "HH": ("#FF0000", "高-高集聚", "High-High"),
    "LL": ("#0000FF", "低-低集聚", "Low-Low"),
    "LH": ("#A7ADF9", "低-高异常", "Low-High"),
    "HL": ("#F4ADA8", "高-低异常", "High-Low"),
    "ns": ("#EEEEEE", "不显著", "Not significant"),
}

#: Gi* class → (lower |z| bound, colour, 中文, English), hot first.
GI_CLASSES: dict[str, tuple[float, str, str, str]] = {
    "hot99": (2.576, "#D62F27", "热点（99% 置信）", "Hot spot, 99 % confidence"),
    "hot95": (1.960, "#ED7551", "热点（95% 置信）", "Hot spot, 95 % confidence"),
    "hot90": (1.645, "#FAB984", "热点（90% 置信）", "Hot spot, 90 % confidence"),
    "ns": (0.0, "#FFFFBF", "不显著", "Not significant"),
    "cold90": (1.645, "#C0CCBE", "冷点（90% 置信）", "Cold spot, 90 % confidence"),
    "cold95": (1.960, "#849EBA", "冷点（95% 置信）", "Cold spot, 95 % confidence"),
    "cold99": (2.576, "#4575B5", "冷点（99% 置信）", "Cold spot, 99 % confidence"),
}


def _require(frame: pd.DataFrame, columns: tuple[str, ...], what: str) -> None:
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise InputError(
            [
                Problem(
                    f"the {what} table needs the column {c!r}",
                    column=c,
                    code="figure_table_column",
                    params={"what": what, "what_zh": FIGURE_TABLES_ZH.get(what, what), "column": c},
                )
                for c in missing
            ],
            f"the {what} figure cannot be drawn",
        )


def _class_legend(fig: Figure, keys: list[str], table: dict, lang: str, colour_at: int) -> None:
    from matplotlib.patches import Patch

    labels = [table[k][colour_at + (1 if lang == "zh" else 2)] for k in keys]
    handles = [
        Patch(facecolor=table[k][colour_at], edgecolor="#666666", label=lab)
        for k, lab in zip(keys, labels, strict=True)
    ]
    _legend(fig, handles, labels)


def lisa_classes(lisa: pd.DataFrame, alpha: float = 0.05) -> pd.Series:
    """LISA class of each city: the Moran-scatter quadrant where significant, else ``"ns"``.

    Parameters
    ----------
    lisa : DataFrame
        Indexed by city; ``z`` (standardised value), ``lag`` (its spatial lag, W·z) and
        ``p`` (pseudo p-value of the local Moran's I).
    alpha : float
        Significance level: a class needs ``p < alpha`` (as the report's LISA table).

    Returns
    -------
    Series of str
        ``HH`` (z ≥ 0, lag ≥ 0), ``LH`` (z < 0, lag ≥ 0), ``LL`` (z < 0, lag < 0), ``HL``
        (z ≥ 0, lag < 0) or ``ns`` (p ≥ alpha).
    """
    _require(lisa, ("z", "lag", "p"), "LISA")
    high = lisa["z"].to_numpy() >= 0
    lag_high = lisa["lag"].to_numpy() >= 0
    quadrant = np.where(high, np.where(lag_high, "HH", "HL"), np.where(lag_high, "LH", "LL"))
    cls = np.where(lisa["p"].to_numpy() < alpha, quadrant, "ns")
    return pd.Series(cls, index=lisa.index, name="lisa_class")


def lisa_figure(
    lisa: pd.DataFrame,
    *,
    layer: MapLayer | None = None,
    lang: str = "zh",
    credit: str | None = None,
    alpha: float = 0.05,
) -> tuple[Figure, pd.DataFrame]:
    """LISA cluster map (with a map layer) beside the Moran scatter plot.

    Parameters
    ----------
    lisa : DataFrame
        See :func:`lisa_classes`.
    layer : MapLayer, optional
        Without it only the scatter plot is drawn.
    alpha : float
        Significance level of the classes.

    Returns
    -------
    Figure, DataFrame
        The table is ``lisa`` with ``lisa_class``; the scatter's fitted slope (Moran's I for
        row-standardised weights) is in the plot's legend.
    """
    from coordeval.report._maps import add_credit, draw_layer

    classes = lisa_classes(lisa, alpha)
    colours = classes.map({k: v[0] for k, v in LISA_CLASSES.items()})
    n = 2 if layer is not None else 1
    fig, axes = _figure(n, n, (WIDTH - 0.6) / n, 3.2)
    if layer is not None:
        draw_layer(axes[0], layer, colours)
        axes[0].set_title(word("lisa_title", lang))
        add_credit(fig, credit, width=0.38)  # under the map, clear of the scatter's ticks
    ax = axes[-1]
    z, lag = lisa["z"].to_numpy(), lisa["lag"].to_numpy()
    ax.scatter(z, lag, c=list(colours), edgecolors="#333333", linewidths=0.4, s=28, gid="cities")
    slope, intercept = np.polyfit(z, lag, 1)
    xs = np.array([z.min(), z.max()])
    ax.plot(
        xs,
        intercept + slope * xs,
        color="black",
        linewidth=1.0,
        gid="fit",
        label=f"I = {slope:.3f}",
    )
    ax.axhline(0, color="#999999", linewidth=0.6)
    ax.axvline(0, color="#999999", linewidth=0.6)
    ax.set_xlabel("z")
    ax.set_ylabel(word("lag", lang))
    ax.set_title(word("moran_title", lang))
    ax.legend(loc="upper left")
    present = [k for k in LISA_CLASSES if (classes == k).any()]
    _class_legend(fig, present, LISA_CLASSES, lang, 0)
    return fig, lisa.assign(lisa_class=classes).reset_index()


def gi_classes(z: pd.Series) -> pd.Series:
    """Gi* class of each z-score: ``hot99``/``hot95``/``hot90`` for z ≥ 2.576/1.960/1.645,
    ``cold…`` for z ≤ −those, else ``ns`` (two-sided normal critical values)."""
    v = z.to_numpy(dtype=np.float64)
    a = np.abs(v)
    level = np.select([a >= 2.576, a >= 1.960, a >= 1.645], ["99", "95", "90"], "")
    side = np.where(v > 0, "hot", "cold")
    return pd.Series(
        np.where(level == "", "ns", np.char.add(side, level)), index=z.index, name="gi_class"
    )


def hot_spots_figure(
    gi: pd.DataFrame,
    *,
    layer: MapLayer | None = None,
    lang: str = "zh",
    credit: str | None = None,
) -> tuple[Figure, pd.DataFrame]:
    """Gi* hot and cold spots: a map in 90/95/99 % bands, or bars of z by city with the
    critical values drawn when no map layer is given.

    Parameters
    ----------
    gi : DataFrame
        Indexed by city; ``z`` (the Getis–Ord Gi* z-score).

    Returns
    -------
    Figure, DataFrame
        The table is ``gi`` with ``gi_class``.
    """
    from coordeval.report._maps import add_credit, draw_layer

    _require(gi, ("z",), "Gi*")
    classes = gi_classes(gi["z"])
    colours = classes.map({k: v[1] for k, v in GI_CLASSES.items()})
    if layer is not None:
        fig, (ax,) = _figure(1, 1, WIDTH - 2.5, (WIDTH - 2.5) * layer.aspect + 0.4)
        draw_layer(ax, layer, colours)
        add_credit(fig, credit)
    else:
        order = gi["z"].sort_values().index
        fig, (ax,) = _figure(1, 1, WIDTH - 2.0, max(2.2, 0.22 * len(gi) + 0.8))
        ax.barh(
            np.arange(len(order)),
            gi["z"].loc[order],
            color=list(colours.loc[order]),
            edgecolor="#555555",
            linewidth=0.3,
        )
        ax.set_yticks(np.arange(len(order)), [str(c) for c in order])
        for crit in (1.645, 1.960, 2.576):
            for sign in (-1, 1):
                ax.axvline(sign * crit, color="#999999", linewidth=0.5, linestyle=":")
        ax.set_xlabel("Gi* z")
    fig.suptitle(word("gi_title", lang))
    present = [k for k in GI_CLASSES if (classes == k).any()]
    _class_legend(fig, present, GI_CLASSES, lang, 1)
    return fig, gi.assign(gi_class=classes).reset_index()


def gravity_centre_figure(
    centres: pd.DataFrame,
    ellipses: pd.DataFrame | None = None,
    *,
    layer: MapLayer | None = None,
    lang: str = "zh",
    credit: str | None = None,
) -> tuple[Figure, pd.DataFrame]:
    """Centre-of-gravity trajectory over the years with standard deviational ellipses.

    Parameters
    ----------
    centres : DataFrame
        One row per year: ``year``, ``lon``, ``lat`` (degrees; or plotting coordinates when
        the map layer comes from a projected boundary file).
    ellipses : DataFrame, optional
        One row per year: ``year``, ``lon``, ``lat`` (the ellipse's centre), ``major_km`` and
        ``minor_km`` (semi-axes, km) and ``rotation`` (degrees clockwise from north to the
        major axis).
    layer : MapLayer, optional
        Drawn grey underneath; its projection is used for the trajectory.

    Returns
    -------
    Figure, DataFrame
        The table is ``centres`` with the plotting coordinates ``x``, ``y``.
    """
    from matplotlib.patches import Ellipse

    from coordeval.report._maps import EARTH_RADIUS_KM, add_credit, draw_layer, projector

    _require(centres, ("year", "lon", "lat"), "centre of gravity")
    centres = centres.sort_values("year")
    lonlat = centres[["lon", "lat"]].to_numpy(dtype=np.float64)
    if layer is not None and layer.project is None:
        xy, km = lonlat, None  # a projected boundary file: coordinates in its units
    else:
        fn = layer.project if layer is not None else projector(lonlat[:, 0], lonlat[:, 1])
        xy, km = fn(lonlat), EARTH_RADIUS_KM
    fig, (ax,) = _figure(1, 1, WIDTH - 2.0, 4.0)
    if layer is not None:
        grey = pd.Series("#E0E0E0", index=layer.shapes.index)
        draw_layer(ax, layer, grey)
        add_credit(fig, credit)
    years = centres["year"].to_numpy()
    colours = sequential_colours(len(years))
    if ellipses is not None:
        _require(ellipses, ("year", "lon", "lat", "major_km", "minor_km", "rotation"), "ellipse")
        if km is None:
            raise InputError(
                [
                    Problem(
                        "ellipses in km need longitude/latitude boundaries",
                        code="ellipse_needs_lonlat",
                    )
                ],
                "the ellipses cannot be drawn on a projected map",
            )
        e = ellipses.set_index("year").reindex(years)
        ec = layer.project if layer is not None else fn
        exy = ec(e[["lon", "lat"]].to_numpy(dtype=np.float64))
        for k, (row, centre) in enumerate(zip(e.itertuples(), exy, strict=True)):
            ax.add_patch(
                Ellipse(
                    centre,
                    2 * row.major_km / km,
                    2 * row.minor_km / km,
                    angle=90.0 - row.rotation,
                    fill=False,
                    edgecolor=colours[k],
                    linewidth=0.9,
                    gid=f"ellipse:{years[k]}",
                )
            )
    ax.plot(xy[:, 0], xy[:, 1], color="#333333", linewidth=0.8, zorder=4, gid="trajectory")
    ax.scatter(xy[:, 0], xy[:, 1], c=colours, s=22, zorder=5, edgecolors="#333333", linewidths=0.4)
    labels = [
        ax.annotate(str(year), (x, y), xytext=(4, 4), textcoords="offset points", fontsize=7)
        for (x, y), year in zip(xy[[0, -1]], years[[0, -1]], strict=True)
    ]
    if layer is None:
        span = np.ptp(xy, axis=0).max() or 1e-3
        pad = (
            0.15 * span
            if ellipses is None
            else max(0.15 * span, 1.1 * float(ellipses["major_km"].max()) / EARTH_RADIUS_KM)
        )
        ax.set_xlim(xy[:, 0].min() - pad, xy[:, 0].max() + pad)
        ax.set_ylim(xy[:, 1].min() - pad, xy[:, 1].max() + pad)
        ax.set_aspect("equal")
        ax.set_xticks([])
        ax.set_yticks([])
    unit_km = km if km is not None else (layer.km_per_unit if layer is not None else None)
    if _zoom_inset(ax, xy, years, colours, unit_km, lang):
        for label in labels:  # the years are read in the inset, not piled on the map
            label.remove()
    fig.suptitle(word("gravity_title", lang))
    return fig, centres.assign(x=xy[:, 0], y=xy[:, 1]).reset_index(drop=True)


#: A trajectory spanning less than this share of the map gets a zoomed inset.
ZOOM_BELOW = 0.1


def _zoom_inset(
    ax: Axes, xy: np.ndarray, years: np.ndarray, colours: list, unit_km: float | None, lang: str
) -> bool:
    """A trajectory too small to read on the map (less than :data:`ZOOM_BELOW` of its
    extent) is drawn again, enlarged, in an inset in the map corner farthest from it, titled
    with the inset's width in km when the plotting units are known. Returns whether it was
    drawn."""
    (x0, x1), (y0, y1) = ax.get_xlim(), ax.get_ylim()
    span = float(np.ptp(xy, axis=0).max())
    if span == 0 or span >= ZOOM_BELOW * max(x1 - x0, y1 - y0):
        return False
    cx = (xy[:, 0].mean() - x0) / (x1 - x0)
    cy = (xy[:, 1].mean() - y0) / (y1 - y0)
    size = 0.3
    inset = ax.inset_axes(
        (0.0 if cx > 0.5 else 1.0 - size, 0.0 if cy > 0.5 else 1.0 - size, size, size)
    )
    inset.set_gid("zoom")
    inset.plot(xy[:, 0], xy[:, 1], color="#333333", linewidth=0.8, gid="trajectory")
    inset.scatter(xy[:, 0], xy[:, 1], c=colours, s=14, edgecolors="#333333", linewidths=0.3)
    for (x, y), year in zip(xy[[0, -1]], years[[0, -1]], strict=True):
        inset.annotate(str(year), (x, y), xytext=(3, 3), textcoords="offset points", fontsize=6)
    mid = xy.min(axis=0) + np.ptp(xy, axis=0) / 2
    half = 0.65 * span
    inset.set_xlim(mid[0] - half, mid[0] + half)
    inset.set_ylim(mid[1] - half, mid[1] + half)
    inset.set_aspect("equal")
    inset.set_xticks([])
    inset.set_yticks([])
    inset.set_facecolor("white")
    inset.spines[:].set_visible(True)
    title = word("zoom", lang)
    if unit_km is not None:
        title += f" ({2 * half * unit_km:.3g} km)"
    inset.set_title(title, fontsize=6, pad=2)
    return True


def geodetector_figure(q: pd.DataFrame, *, lang: str = "zh") -> tuple[Figure, pd.DataFrame]:
    """GeoDetector interaction q as a lower-triangular heat map (single factors on the
    diagonal), each cell annotated.

    Parameters
    ----------
    q : DataFrame
        Long form: ``factor_a``, ``factor_b``, ``q`` (``factor_a == factor_b`` for a single
        factor's q); an optional ``interaction`` column (e.g. "nonlinear-enhance") is printed
        under the value.

    Returns
    -------
    Figure, DataFrame
        The square matrix of q (rows and columns in first-appearance order).
    """
    _require(q, ("factor_a", "factor_b", "q"), "GeoDetector")
    factors = pd.unique(pd.concat([q["factor_a"], q["factor_b"]], ignore_index=True))
    both = pd.concat([q, q.rename(columns={"factor_a": "factor_b", "factor_b": "factor_a"})])
    both = both.drop_duplicates(["factor_a", "factor_b"])
    m = both.pivot(index="factor_a", columns="factor_b", values="q").reindex(
        index=factors, columns=factors
    )
    mask = np.triu(np.ones(m.shape, dtype=bool), k=1)
    shown = np.ma.masked_array(m.to_numpy(dtype=np.float64), mask | m.isna().to_numpy())
    size = 1.4 + 0.6 * len(factors)
    fig, (ax,) = _figure(1, 1, size + 1.4, size)
    im = ax.imshow(shown, cmap="YlOrRd", vmin=0, vmax=1)
    ax.set_xticks(np.arange(len(factors)), [str(f) for f in factors], rotation=45, ha="right")
    ax.set_yticks(np.arange(len(factors)), [str(f) for f in factors])
    kinds = None
    if "interaction" in both.columns:
        kinds = both.pivot(index="factor_a", columns="factor_b", values="interaction").reindex(
            index=factors, columns=factors
        )
    for (i, j), v in np.ndenumerate(shown.filled(np.nan)):
        if np.isnan(v):
            continue
        text = f"{v:.3f}"
        if kinds is not None and i != j and isinstance(kinds.iat[i, j], str):
            text += f"\n{kinds.iat[i, j]}"
        ax.text(
            j, i, text, ha="center", va="center", fontsize=6, color="white" if v > 0.6 else "black"
        )
    ax.spines[["top", "right"]].set_visible(False)
    fig.colorbar(im, ax=ax, label="q", shrink=0.8)
    fig.suptitle(word("geodetector_title", lang))
    return fig, m.rename_axis(index="factor", columns=None).reset_index()
