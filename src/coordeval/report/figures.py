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

Spatial figures (stable names, :data:`SPATIAL_FIGURE_NAMES`), drawn when the assessment holds
the tables of the extended analyses (``ExtendedOptions(coords=...)``, ``assess --coords``):

* ``lisa`` — LISA cluster map (with geometry or coordinates) beside the Moran scatter plot of
  D (else the composite score) in the last year, classes as in the report's LISA table;
* ``hot_spots`` — Getis–Ord Gi* hot and cold spots of the same variable and year;
* ``centre_of_gravity`` — the D-weighted centre's trajectory with the standard deviational
  ellipses of every year;
* ``geodetector`` — GeoDetector single-factor and interaction q (with ``--factors``).

The functions :func:`lisa_figure`, :func:`hot_spots_figure`, :func:`gravity_centre_figure`
and :func:`geodetector_figure` draw them from plain tables. Every map prints the user's
credit line (for Chinese maps the basemap's 审图号) under the figure.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from coordeval.errors import ConfigError
from coordeval.io.geometry import (
    Boundaries,
    read_boundaries,
    require_figures_extra,
)
from coordeval.io.side import read_coords
from coordeval.report._fig_cities import (
    d_by_city_figure,
    obstacles_figure,
    radar_figure,
    subsystem_scores_figure,
)
from coordeval.report._fig_spatial import (
    geodetector_figure,
    gravity_centre_figure,
    hot_spots_figure,
    lisa_figure,
)
from coordeval.report._fig_time import (
    dagum_figure,
    grade_transitions,
    grade_transitions_figure,
    kernel_density_3d_figure,
    kernel_density_figure,
    trends_figure,
)
from coordeval.report._figbase import FORMATS, NotDrawn
from coordeval.report._figstyle import FontWarning, rc, resolve_lang

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from coordeval.assessment import Assessment
    from coordeval.report._maps import MapLayer

__all__ = [
    "FIGURE_NAMES",
    "REPORT_CAPTIONS",
    "REPORT_FIGURES",
    "SPATIAL_FIGURE_NAMES",
    "FontWarning",
    "NotDrawn",
    "d_by_city_figure",
    "dagum_figure",
    "draw_figures",
    "embed_figures",
    "figures_sheet",
    "geodetector_figure",
    "grade_transitions",
    "grade_transitions_figure",
    "gravity_centre_figure",
    "hot_spots_figure",
    "kernel_density_3d_figure",
    "kernel_density_figure",
    "lisa_figure",
    "lisa_table",
    "obstacles_figure",
    "radar_figure",
    "report_figures",
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

#: The spatial figures :func:`draw_figures` draws after :data:`FIGURE_NAMES` when the
#: assessment has the tables of the extended analyses, in order.
SPATIAL_FIGURE_NAMES = ("lisa", "hot_spots", "centre_of_gravity", "geodetector")


# ---------------------------------------------------------------- drawing everything


def _layer(a: Assessment, geometry: Any, coords: Any, key: str | None) -> MapLayer | None:
    from coordeval.report._maps import point_layer, polygon_layer

    cities = a.scores.index.get_level_values("city").unique()
    if geometry is not None:
        b = geometry if isinstance(geometry, Boundaries) else read_boundaries(geometry)
        return polygon_layer(cities, b, key)
    if coords is not None:
        c = coords if isinstance(coords, pd.DataFrame) else read_coords(coords)
        return point_layer(cities, c)
    return None


def _latin_cities(
    a: Assessment, layer: MapLayer | None
) -> tuple[Assessment, MapLayer | None, pd.Series | None]:
    """Without a CJK font, Chinese city names would be drawn as boxes: they become C1, C2, …
    (in the order of the data), listed in ``city_labels.csv``, with a :class:`FontWarning`."""
    import dataclasses
    import warnings

    from coordeval.report._figstyle import cjk_family

    cities = a.scores.index.get_level_values("city").unique()
    if cjk_family() is not None or not cities.astype(str).str.contains(r"[^\x00-\u024f]").any():
        return a, layer, None
    codes = pd.Series([f"C{k + 1}" for k in range(len(cities))], index=cities)
    mapping = codes.to_dict()

    def rename(f: pd.DataFrame) -> pd.DataFrame:
        if "city" in (f.index.names or []):
            return f.rename(index=mapping, level="city" if f.index.nlevels > 1 else None)
        return f

    warnings.warn(
        f"no font with Chinese glyphs is installed: the city names are drawn as "
        f"C1…C{len(codes)} (see city_labels.csv)",
        FontWarning,
        stacklevel=3,
    )
    a = dataclasses.replace(
        a,
        scores=rename(a.scores),
        composite=rename(a.composite),
        tables={k: rename(v) for k, v in a.tables.items()},
    )
    if layer is not None:
        layer = dataclasses.replace(layer, shapes=layer.shapes.rename(index=mapping))
    return a, layer, codes


def _focus_rows(t: pd.DataFrame, codes: pd.Series | None) -> tuple[pd.DataFrame, str, int]:
    """Rows of D (else the composite, else the first variable) in the last year, indexed by
    city (renamed to the Latin codes when Chinese names cannot be drawn)."""
    names = list(dict.fromkeys(t["variable"]))
    v = "D" if "D" in names else ("composite" if "composite" in names else names[0])
    sub = t[t["variable"] == v]
    year = int(sub["year"].max())
    rows = sub[sub["year"] == year].set_index("city")
    if codes is not None:
        rows = rows.rename(index=codes.to_dict())
    return rows, v, year


def lisa_table(lisa: pd.DataFrame) -> pd.DataFrame:
    """The report's LISA rows of one variable and year → the input of :func:`lisa_figure`.

    ``z`` is the value standardised over the cities (population standard deviation, as in
    the Moran scatter plot of GeoDa and esda) and ``lag`` the spatial lag of z — the lag of
    the deviation divided by the same standard deviation, W being linear — so the slope of
    ``lag`` on ``z`` is Moran's I under row-standardised weights. ``p`` is ``p_sim``.
    """
    dev = lisa["value"] - lisa["value"].mean()
    sd = float(np.sqrt((dev**2).mean())) or 1.0
    return pd.DataFrame(
        {"z": dev / sd, "lag": lisa["lag"] / sd, "p": lisa["p_sim"]}, index=lisa.index
    )


def _spatial_drawers(
    a: Assessment, layer: MapLayer | None, lang: str, credit: str | None, codes: pd.Series | None
) -> list[tuple[str, Callable[[], tuple[Figure, pd.DataFrame]]]]:
    """Drawers of the spatial figures whose tables the assessment has."""
    from coordeval.report._figstyle import word

    t = a.tables
    drawers: list[tuple[str, Callable[[], tuple[Figure, pd.DataFrame]]]] = []

    def titled(fig: Figure, key: str, v: str, year: int) -> Figure:
        fig.suptitle(f"{word(key, lang)}: {v}, {year}")
        return fig

    if "lisa" in t and len(t["lisa"]):

        def lisa() -> tuple[Figure, pd.DataFrame]:
            rows, v, year = _focus_rows(t["lisa"], codes)
            fig, table = lisa_figure(lisa_table(rows), layer=layer, lang=lang, credit=credit)
            return titled(fig, "lisa_title", v, year), table.assign(variable=v, year=year)

        drawers.append(("lisa", lisa))
    if "hotspots" in t and len(t["hotspots"]):

        def hot() -> tuple[Figure, pd.DataFrame]:
            rows, v, year = _focus_rows(t["hotspots"], codes)
            fig, table = hot_spots_figure(rows[["z", "p"]], layer=layer, lang=lang, credit=credit)
            return titled(fig, "gi_title", v, year), table.assign(variable=v, year=year)

        drawers.append(("hot_spots", hot))
    if "centre_of_gravity" in t and len(t["centre_of_gravity"]):

        def centre() -> tuple[Figure, pd.DataFrame]:
            c = t["centre_of_gravity"]
            ellipses = None
            if layer is None or layer.project is not None:  # km ellipses need lon/lat maps
                ellipses = c[["year", "lon", "lat", "major_km", "minor_km"]].assign(
                    rotation=c["rotation_deg"]
                )
            return gravity_centre_figure(
                c[["year", "lon", "lat"]], ellipses, layer=layer, lang=lang, credit=credit
            )

        drawers.append(("centre_of_gravity", centre))
    if "geodetector_factor" in t and len(t["geodetector_factor"]):

        def geodetector() -> tuple[Figure, pd.DataFrame]:
            f = t["geodetector_factor"].dropna(subset=["q"])
            single = pd.DataFrame({"factor_a": f["factor"], "factor_b": f["factor"], "q": f["q"]})
            i = t.get("geodetector_interaction", pd.DataFrame())
            pairs = pd.DataFrame(
                {
                    "factor_a": i.get("factor_2", pd.Series(dtype=object)),
                    "factor_b": i.get("factor_1", pd.Series(dtype=object)),
                    "q": i.get("q_interaction", pd.Series(dtype=float)),
                    "interaction": i.get("type", pd.Series(dtype=object)),
                }
            )
            return geodetector_figure(pd.concat([single, pairs], ignore_index=True), lang=lang)

        drawers.append(("geodetector", geodetector))
    return drawers


def _save_table(table: pd.DataFrame, path: Path) -> None:
    from coordeval.io._csvtext import escape_frame
    from coordeval.io.atomic import atomic_path
    from coordeval.report._context import write_csv_bom

    with atomic_path(path) as tmp:
        write_csv_bom(escape_frame(table), tmp)


def _save(fig: Figure, table: pd.DataFrame, stem: Path, formats: Sequence[str], dpi: int) -> Path:
    from coordeval.io.atomic import atomic_path

    paths = []
    for fmt in formats:
        path = stem.with_suffix(f".{fmt}")
        with atomic_path(path) as tmp:
            fig.savefig(
                tmp,
                format=fmt,
                dpi=dpi,
                metadata=_metadata(fmt),
                bbox_inches="tight",
                pad_inches=0.08,
            )
        paths.append(path)
    _save_table(table, stem.with_suffix(".csv"))
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
        Figure name → file in the first format, in :data:`FIGURE_NAMES` order, then the
        :data:`SPATIAL_FIGURE_NAMES` whose tables the assessment has, then ``extra``; figures
        the data do not support (e.g. trends of one year) are left out. The other formats and the
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
        choices = ", ".join(FORMATS)
        raise ConfigError(
            f"figure formats must be among {choices}, got {formats}",
            "figure_formats",
            {"choices": choices, "value": str(formats)},
        )
    if not isinstance(dpi, int) or isinstance(dpi, bool) or dpi <= 0:
        raise ConfigError(
            f"dpi must be a positive whole number, got {dpi!r}", "figure_dpi", {"value": repr(dpi)}
        )
    lang = resolve_lang(lang)
    layer = _layer(assessment, geometry, coords, key)
    assessment, layer, codes = _latin_cities(assessment, layer)
    drawers: list[tuple[str, Callable[[], tuple[Figure, pd.DataFrame]]]] = [
        (
            "d_by_city",
            lambda: d_by_city_figure(assessment, lang=lang, layer=layer, credit=map_credit),
        ),
        (
            "subsystem_scores",
            lambda: subsystem_scores_figure(assessment, lang=lang, layer=layer, credit=map_credit),
        ),
        ("trends", lambda: trends_figure(assessment, lang=lang)),
        ("kernel_density", lambda: kernel_density_figure(assessment, lang=lang)),
        ("kernel_density_3d", lambda: kernel_density_3d_figure(assessment, lang=lang)),
        ("radar", lambda: radar_figure(assessment, lang=lang)),
        ("obstacles", lambda: obstacles_figure(assessment, lang=lang)),
        ("dagum", lambda: dagum_figure(assessment, lang=lang)),
        ("grade_transitions", lambda: grade_transitions_figure(assessment, lang=lang)),
        *_spatial_drawers(assessment, layer, lang, map_credit, codes),
        *((name, (lambda fn=fn: fn(lang))) for name, fn in extra),
    ]
    out = Path(outdir)
    written: dict[str, Path] = {}
    with matplotlib.rc_context(rc()):
        drawn = []
        for name, draw in drawers:
            try:
                drawn.append((name, *draw()))
            except NotDrawn:
                continue
        out.mkdir(parents=True, exist_ok=True)
        if codes is not None:
            _save_table(
                codes.rename_axis("city").rename("label").reset_index(), out / "city_labels.csv"
            )
        for name, fig, table in drawn:
            written[name] = _save(fig, table, out / name, formats, dpi)
    return written


def _scaled_image(path: str | Path, width_px: int, height_px: int | None = None) -> Any:
    """An openpyxl image of the PNG ``path`` at ``width_px`` wide (and at most
    ``height_px`` high), keeping the aspect ratio."""
    from openpyxl.drawing.image import Image

    img = Image(str(path))
    scale = width_px / img.width
    if height_px is not None:
        scale = min(scale, height_px / img.height)
    img.width, img.height = round(img.width * scale), round(img.height * scale)
    return img


def embed_figures(
    ws: Any,
    paths: Iterable[str | Path],
    *,
    anchor_col: str = "A",
    first_row: int = 1,
    width_px: int = 640,
) -> int:
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
    row = first_row
    for path in paths:
        img = _scaled_image(path, width_px)
        ws.add_image(img, f"{anchor_col}{row}")
        row += math.ceil(img.height / 20) + 2  # default row height is 20 px
    return row


#: The figures the report's 图表 (Figures) sheet shows when they were drawn, in order.
REPORT_FIGURES = (
    "d_by_city",
    "subsystem_scores",
    "trends",
    "obstacles",
    "lisa",
    "hot_spots",
    "centre_of_gravity",
    "geodetector",
)

#: Captions of the report's figures (中文, English).
REPORT_CAPTIONS: dict[str, tuple[str, str]] = {
    "d_by_city": ("各城市耦合协调度（按协调等级着色）", "Coupling coordination degree D by city"),
    "subsystem_scores": ("各子系统得分", "Subsystem scores by city"),
    "trends": ("耦合协调度与得分的变化趋势", "Trends of D, the composite and subsystem scores"),
    "obstacles": ("各子系统障碍度", "Obstacle degree by subsystem"),
    "lisa": ("LISA 集聚图与 Moran 散点图", "LISA cluster map and Moran scatter plot"),
    "hot_spots": ("冷热点分析（Getis-Ord Gi*）", "Hot and cold spots (Getis-Ord Gi*)"),
    "centre_of_gravity": ("重心轨迹与标准差椭圆", "Centre of gravity and deviational ellipses"),
    "geodetector": ("地理探测器交互作用 q 值", "GeoDetector interaction q"),
}

#: Row height (pt) set on the figures sheet, so that images and page breaks line up in every
#: spreadsheet program.
FIGURE_ROW_PT = 15.0


def page_image_px() -> tuple[int, int]:
    """The image box (px at 96 per inch) of one figure on an A4 landscape page at 100 %: the
    page less the report's margins and safety room, the title and caption rows and one spare
    row."""
    from coordeval.report import _pages

    width_in = (_pages.PAGE_WIDTH_IN - 2 * _pages.MARGIN_IN) * (1 - _pages.SAFETY)
    height_pt = (_pages.PAGE_HEIGHT_IN - 2 * _pages.TOP_MARGIN_IN) * 72 * (1 - _pages.SAFETY)
    height_pt -= 6 * FIGURE_ROW_PT  # title, note, blank, caption, file name, spare
    return math.floor(width_in * 96), math.floor(height_pt * 96 / 72)


def report_figures(paths: Mapping[str, str | Path]) -> list[str]:
    """The :data:`REPORT_FIGURES` among ``paths`` drawn as PNG, in order."""
    return [n for n in REPORT_FIGURES if n in paths and Path(paths[n]).suffix.lower() == ".png"]


def figures_sheet(ws: Any, paths: Mapping[str, str | Path], lang: str = "zh") -> list[str]:
    """Lay out the key figures (:data:`REPORT_FIGURES` that were drawn as PNG) on a report
    sheet, each under its caption and scaled to fit one A4 landscape page at 100 %, with a
    page break after each.

    Parameters
    ----------
    ws : openpyxl Worksheet
        An empty sheet of the report workbook.
    paths : mapping of str to path
        Figure name → PNG file (as :func:`draw_figures` returns them).
    lang : {"zh", "en", "both"}
        Language of the title and captions.

    Returns
    -------
    list of str
        The names of the figures placed, in order.
    """
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.pagebreak import Break

    from coordeval.report import _pages
    from coordeval.report._xlsx import put, section, sheet_header
    from coordeval.report.labels import pick

    shown = report_figures(paths)
    folder = Path(paths[shown[0]]).parent if shown else Path()
    sheet_header(
        ws,
        "图表",
        "Figures",
        lang,
        f"figures drawn by coordeval; the SVG files and the tables behind them are in {folder}",
        f"coordeval 绘制的图表；矢量图（SVG）与各图所据数据表（CSV）见 {folder}",
    )
    row_px = FIGURE_ROW_PT * 96 / 72
    box = page_image_px()
    row, right = 4, 1
    for name in shown:
        zh, en = REPORT_CAPTIONS[name]
        section(ws, row, 1, pick(zh, en, lang))
        put(ws, row + 1, 1, f"{name}.png")
        img = _scaled_image(paths[name], *box)
        ws.add_image(img, f"A{row + 2}")
        right = max(right, math.ceil(img.width / 64) + 1)  # default column ≈ 64 px
        row += 2 + math.ceil(img.height / row_px) + 1
        ws.row_breaks.append(Break(id=row - 1))
    for r in range(1, row):
        ws.row_dimensions[r].height = FIGURE_ROW_PT
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.scale = 100
    ws.page_margins.left = ws.page_margins.right = _pages.MARGIN_IN
    ws.page_margins.top = ws.page_margins.bottom = _pages.TOP_MARGIN_IN
    ws.oddFooter.center.text = "&P / &N"
    ws.print_area = f"A1:{get_column_letter(right)}{max(row - 1, 2)}"
    return shown
