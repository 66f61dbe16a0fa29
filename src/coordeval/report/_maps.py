"""Map drawing: projection of boundary files and coordinates, one patch per city, credit line.

Longitude/latitude are projected with the Albers equal-area conic fitted to the study area
(:mod:`coordeval.kernels.projection`); a projected boundary file is drawn as it is. Only the
study area is framed; features of the file outside the data are drawn grey as context.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from coordeval.io.geometry import Boundaries, match_cities
from coordeval.kernels.projection import albers_equal_area, albers_parameters
from coordeval.report._figstyle import CONTEXT_COLOUR, word

#: Mean radius of the Earth (km) for the scale bar of projected longitude/latitude.
EARTH_RADIUS_KM = 6371.0088


@dataclass(frozen=True)
class MapLayer:
    """Cities placed on a plane, ready to draw.

    Attributes
    ----------
    kind : {"polygons", "points"}
    shapes : Series
        City → projected shapely geometry (polygons) or (x, y) tuple (points).
    context : tuple
        Projected geometries of the file's other features (polygons only).
    km_per_unit : float or None
        Kilometres per plotting unit when known (for the scale bar).
    project : callable or None
        ``(n, 2)`` longitude/latitude → plotting coordinates; None when the boundary file
        is projected (then other layers must be given in its coordinates).
    """

    kind: str
    shapes: pd.Series
    context: tuple[Any, ...]
    km_per_unit: float | None
    project: Any = None

    @property
    def aspect(self) -> float:
        """Height over width of the study area (between 0.3 and 2)."""
        if self.kind == "points":
            xy = np.array(list(self.shapes))
            w, h = np.ptp(xy, axis=0)
        else:
            b = np.array([g.bounds for g in self.shapes])
            w, h = b[:, 2].max() - b[:, 0].min(), b[:, 3].max() - b[:, 1].min()
        return float(np.clip(h / w, 0.3, 2.0)) if w > 0 else 1.0


def projector(lon: np.ndarray, lat: np.ndarray) -> Any:
    """An Albers equal-area projection fitted to the extent of ``lon``, ``lat``: a function
    of an ``(n, 2)`` array of degrees."""
    params = albers_parameters(lon, lat)

    def fn(xy: np.ndarray) -> np.ndarray:
        x, y = albers_equal_area(xy[:, 0], xy[:, 1], *params)
        return np.column_stack([x, y])

    return fn


def polygon_layer(cities: pd.Index, boundaries: Boundaries, key: str | None = None) -> MapLayer:
    """Join ``cities`` to ``boundaries`` and project them (raises InputError when unmatched)."""
    import shapely

    pos = match_cities(cities, boundaries, key)
    geoms = np.asarray(boundaries.geometries, dtype=object)
    others = np.setdiff1d(np.arange(len(geoms)), pos.to_numpy())
    fn = None
    if boundaries.projected:
        placed, context, km = geoms, geoms[others], None
    else:
        x0, y0, x1, y1 = shapely.total_bounds(geoms[pos.to_numpy()])
        fn = projector(np.array([x0, x1]), np.array([y0, y1]))
        placed = shapely.transform(geoms, fn)
        context, km = placed[others], EARTH_RADIUS_KM
    placed = shapely.orient_polygons(placed)
    shapes = pd.Series(list(placed[pos.to_numpy()]), index=pos.index, dtype=object)
    return MapLayer("polygons", shapes, tuple(shapely.orient_polygons(context)), km, fn)


def point_layer(cities: pd.Index, coords: pd.DataFrame) -> MapLayer:
    """Place ``cities`` at their coordinates (lon, lat), projected equal-area."""
    from coordeval.errors import InputError, Problem

    missing = [c for c in cities if c not in coords.index]
    if missing:
        raise InputError(
            [
                Problem(
                    f"no coordinates for city {c!r}",
                    column="city",
                    value=str(c),
                    code="map_no_coordinates",
                    params={"city": c},
                )
                for c in missing
            ],
            f"{len(missing)} of {len(cities)} cities have no coordinates",
        )
    c = coords.loc[list(cities)]
    fn = projector(c["lon"].to_numpy(), c["lat"].to_numpy())
    xy = fn(c[["lon", "lat"]].to_numpy(dtype=np.float64))
    shapes = pd.Series(list(map(tuple, xy)), index=pd.Index(cities, name="city"), dtype=object)
    return MapLayer("points", shapes, (), EARTH_RADIUS_KM, fn)


def geometry_path(geom: Any) -> Any:
    """A matplotlib Path of a (multi)polygon, holes included (rings oriented for nonzero fill)."""
    from matplotlib.path import Path

    polys = getattr(geom, "geoms", [geom])
    rings = [np.asarray(r.coords)[:, :2] for p in polys for r in (p.exterior, *p.interiors)]
    return Path.make_compound_path(*(Path(r, closed=True) for r in rings))


def draw_layer(ax: Any, layer: MapLayer, colours: pd.Series, labels: bool = False) -> None:
    """Draw ``layer`` on ``ax``, each city in its colour (one patch or point per city, the
    city's name as the artist's ``gid``), context features grey, the study area framed."""
    from matplotlib.patches import PathPatch

    if layer.kind == "polygons":
        for geom in layer.context:
            ax.add_patch(
                PathPatch(
                    geometry_path(geom),
                    facecolor=CONTEXT_COLOUR,
                    edgecolor="white",
                    linewidth=0.3,
                    gid="context",
                )
            )
        for city, geom in layer.shapes.items():
            ax.add_patch(
                PathPatch(
                    geometry_path(geom),
                    facecolor=colours[city],
                    edgecolor="white",
                    linewidth=0.4,
                    gid=str(city),
                )
            )
        bounds = np.array([g.bounds for g in layer.shapes])
        x0, y0 = bounds[:, :2].min(axis=0)
        x1, y1 = bounds[:, 2:].max(axis=0)
    else:
        xy = np.array(list(layer.shapes))
        ax.scatter(
            xy[:, 0],
            xy[:, 1],
            s=70,
            c=list(colours[layer.shapes.index]),
            edgecolors="#333333",
            linewidths=0.5,
            zorder=3,
            gid="cities",
        )
        x0, y0 = xy.min(axis=0)
        x1, y1 = xy.max(axis=0)
        labels = True
    if labels and len(layer.shapes) <= 40:
        for city, geom in layer.shapes.items():
            x, y = geom if layer.kind == "points" else geom.representative_point().coords[0]
            dy = 6 if layer.kind == "points" else 0  # points: the name above the marker
            ax.annotate(
                str(city),
                (x, y),
                xytext=(0, dy),
                textcoords="offset points",
                ha="center",
                va="bottom" if dy else "center",
                fontsize=6.5,
            )
    pad = 0.06 * max(x1 - x0, y1 - y0, 1e-9)
    ax.set_xlim(x0 - pad, x1 + pad)
    ax.set_ylim(y0 - pad, y1 + pad)
    ax.set_aspect("equal")
    ax.set_axis_off()


def add_scale_bar(ax: Any, layer: MapLayer, lang: str) -> None:
    """A scale bar of a round length (1, 2 or 5 × 10^k km) at the lower left, when known."""
    if layer.km_per_unit is None:
        return
    x0, x1 = ax.get_xlim()
    y0, y1 = ax.get_ylim()
    target = (x1 - x0) * layer.km_per_unit / 5
    mag = 10 ** np.floor(np.log10(target))
    km = float(max(m * mag for m in (1, 2, 5) if m * mag <= target))
    length = km / layer.km_per_unit
    xs, ys = x0 + 0.04 * (x1 - x0), y0 + 0.04 * (y1 - y0)
    ax.plot(
        [xs, xs + length],
        [ys, ys],
        color="#333333",
        linewidth=2,
        solid_capstyle="butt",
        gid="scale_bar",
    )
    ax.annotate(
        f"{km:g} {word('km', lang)}",
        (xs + length / 2, ys),
        textcoords="offset points",
        xytext=(0, 3),
        ha="center",
        fontsize=6.5,
    )


def wrap_text(text: str, width_pt: float, fontsize: float) -> list[str]:
    """Break ``text`` into lines no wider than ``width_pt`` points in the current font (at a
    space where there is one, else between any two characters, as Chinese text allows)."""
    from matplotlib.font_manager import FontProperties
    from matplotlib.textpath import TextToPath

    prop = FontProperties(size=fontsize)
    measure = TextToPath()
    lines: list[str] = []
    rest = text
    while rest:
        cut = len(rest)
        while (
            cut > 1 and measure.get_text_width_height_descent(rest[:cut], prop, False)[0] > width_pt
        ):
            cut -= 1
        if cut < len(rest) and " " in rest[1:cut]:
            cut = rest.rindex(" ", 1, cut) + 1
        lines.append(rest[:cut].rstrip())
        rest = rest[cut:].lstrip()
    return lines


def add_credit(fig: Any, credit: str | None, width: float = 0.9) -> None:
    """Print the user's credit line (e.g. the basemap's 审图号) directly under the maps,
    wrapped to ``width`` (a fraction) of the figure's width: below the bottom-left map panel (and its legend, so call
    it after the panels' legends are made), with its lines kept free in the layout (figure
    legends go below it)."""
    if not credit:
        return
    panels = [ax for ax in fig.axes if ax.get_visible() and ax.get_subplotspec() is not None]
    spec = [ax.get_subplotspec() for ax in panels]
    ax = next(a for a, s in zip(panels, spec, strict=True) if s.is_first_col() and s.is_last_row())
    lines = wrap_text(credit, width * fig.get_figwidth() * 72, 7)
    below = ax.get_legend() or "axes fraction"  # under the panel's own legend, if it has one
    where = {
        "xy": (0, 0),
        "xycoords": ("axes fraction", below),
        "xytext": (0, -3),
        "textcoords": "offset points",
        "ha": "left",
        "va": "top",
        "fontsize": 7,
        "annotation_clip": False,
    }
    # a narrow placeholder of the same height reserves the lines in the layout; the credit
    # itself may run under the neighbouring panels without squeezing its own
    ax.annotate("\n".join("." * len(lines)), alpha=0.0, **where)
    ax.annotate("\n".join(lines), color="#333333", gid="credit", **where).set_in_layout(False)
