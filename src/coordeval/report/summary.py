"""Page 1 of the report (摘要) for a director, and the run-information sheet (运行信息).

Page 1 holds a title, the key findings written from the numbers, a bar chart of the coupling
coordination degree D of every city in the latest year (bars coloured by coordination level,
value labels, axis from 0 to the next tenth above the largest D), the full distribution of
coordination levels over every assessed city-year, and the latest subsystem scores as a
colour-scaled table. Version, hashes and conventions go to 运行信息.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
from openpyxl.chart import BarChart, Reference
from openpyxl.chart.label import DataLabelList
from openpyxl.chart.marker import DataPoint
from openpyxl.chart.text import RichText
from openpyxl.drawing.text import CharacterProperties, Paragraph, ParagraphProperties
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from coordeval.report import _pages, _xlsx
from coordeval.report._palette import grade_colour, level_count, shown_grades, text_colour
from coordeval.report.findings import first_year, grade_distribution, key_findings, latest_year
from coordeval.report.labels import pick, value_label

if TYPE_CHECKING:
    from coordeval.assessment import Assessment
    from coordeval.report._context import Context

#: Width (characters) of the findings block (columns A–F) on page 1.
FINDINGS_WIDTH = 78
#: Cities with value labels on their bar at most.
MAX_LABELLED_BARS = 20
#: Cities drawn as columns at most; more are drawn as horizontal bars, one labelled row each.
COLUMN_CHART_CITIES = 24
#: Height (cm) of one city's bar and label in the horizontal chart, and of the chart's title
#: and axis around the bars.
CITY_ROW_CM, CHART_FRAME_CM = 0.42, 3.0
#: Font sizes (pt) of the city labels of the horizontal chart.
MAX_LABEL_PT, MIN_LABEL_PT = 9.0, 6.0
#: Height (cm) of a sheet row of 16 pt.
ROW_CM = 0.56
#: Height (pt) of the title row of page 1 (14 pt text).
TITLE_ROW_PT = 20.0
#: Meta keys that are not run information (used by the report itself).
INTERNAL_META = {"city_order", "city_names_en", "groups", "title", "spatial_weights"}


def default_title(a: Assessment, lang: str) -> str:
    """The system's name in ``lang`` and the assessed years."""
    name = str(a.system.name)
    zh, _, en = name.partition(" / ")
    en = en or zh
    y0, y1 = first_year(a), latest_year(a)
    years = f"{y0}" if y0 == y1 else f"{y0}–{y1}"
    return pick(
        f"{zh.strip()}：{years} 年协同发展评价",
        f"{en.strip()}: coordinated development {years}",
        lang,
    )


def _fill(cell: Any, colour: str, font_colour: str = "000000") -> None:
    cell.fill = PatternFill("solid", fgColor=colour)
    cell.font = Font(name=cell.font.name, charset=134, color=font_colour, bold=cell.font.b)


def write_summary(a: Assessment, ws: Worksheet, ctx: Context) -> None:
    """Page 1: title, findings, D chart, level distribution, subsystem scores."""
    title = ctx.title or default_title(a, ctx.lang)
    n_cities = a.scores.index.get_level_values("city").nunique()
    y0, y1 = first_year(a), latest_year(a)
    years = f"{y0}" if y0 == y1 else f"{y0}–{y1}"
    sub = pick(
        f"{n_cities} 个城市，{years} 年；子系统 {a.scores.shape[1]} 个，指标 {a.data.shape[1]} 个",
        f"{n_cities} cities, {years}; {a.scores.shape[1]} subsystems, {a.data.shape[1]} indicators",
        ctx.lang,
    )
    if ctx.lang == "both" and not ctx.title:  # one title a line: the page stays narrow
        title, sub = default_title(a, "zh"), default_title(a, "en")
    _xlsx.put(ws, 1, 1, title)
    ws.cell(row=1, column=1).font = _xlsx.TITLE_FONT
    _xlsx.put(ws, 2, 1, sub)
    ws.cell(row=2, column=1).font = _xlsx.SUBTITLE_FONT
    widths = (12, 11, 11, 11, 11, 11, 11)
    for col, width in zip("ABCDEFG", widths, strict=True):
        ws.column_dimensions[col].width = width
    row = _xlsx.HEADER_ROW
    _xlsx.section(ws, row, 1, pick("主要发现", "Key findings", ctx.lang))
    row += 1
    findings = key_findings(a, ctx.names_en)
    chars = sum(widths) - 2
    for i, (zh, en) in enumerate(findings, start=1):
        text = f"{i}. " + pick(zh, en, ctx.lang, sep="\n")
        _xlsx.put(ws, row, 1, text)
        ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=len(widths))
        ws.cell(row=row, column=1).alignment = Alignment(wrap_text=True, vertical="center")
        lines = sum(
            int(np.ceil(max(int(_xlsx.cell_widths(pd.Series([part])).iloc[0]), 1) / chars))
            for part in text.split("\n")
        )
        ws.row_dimensions[row].height = 15 * lines + 3
        row += 1
    chart_rows = _d_chart(a, ws, ctx) if "coupling" in a.tables else 0
    if "coupling" in a.tables:  # under the findings, beside the chart
        row = _grade_table(a, ws, ctx, row + 1) + 1
    row = max(row + 1, _xlsx.HEADER_ROW + chart_rows + 1)
    _score_table(a, ws, ctx, row)
    ws.freeze_panes = None
    # rows beside the chart get their height set, so that the page breaks the print layout
    # computes are where the spreadsheet program puts them and the chart is never cut
    for r in range(1, _xlsx.HEADER_ROW + chart_rows + 1):
        if not ws.row_dimensions[r].height:
            ws.row_dimensions[r].height = TITLE_ROW_PT if r == 1 else _pages.DEFAULT_ROW_PT


def _d_chart(a: Assessment, ws: Worksheet, ctx: Context) -> int:
    """The latest year's D per city as a bar chart right of the findings; its data sit in
    hidden columns far right. Returns the rows the chart covers."""
    year = latest_year(a)
    cc = a.tables["coupling"].xs(year, level="year")
    cc = cc.loc[ctx.city_order(list(cc.index))]
    levels = level_count(a)
    data_col = 30
    _xlsx.put(ws, 1, data_col, pick("城市", "City", ctx.lang))
    _xlsx.put(ws, 1, data_col + 1, pick("耦合协调度 D", "Coupling coordination D", ctx.lang))
    for i, (city, d) in enumerate(cc["D"].items(), start=2):
        _xlsx.put(ws, i, data_col, ctx.city_label(city))
        _xlsx.put(ws, i, data_col + 1, float(d), "0.000")
    last = len(cc) + 1
    for col in (data_col, data_col + 1):
        ws.column_dimensions[get_column_letter(col)].hidden = True
    chart = BarChart()
    chart.visible_cells_only = False  # its data sit in hidden columns
    chart.type = "col" if len(cc) <= COLUMN_CHART_CITIES else "bar"
    chart.title = pick(
        f"{year} 年各城市耦合协调度 D", f"Coupling coordination degree D by city, {year}", ctx.lang
    )
    chart.add_data(
        Reference(ws, min_col=data_col + 1, min_row=1, max_row=last), titles_from_data=True
    )
    chart.set_categories(Reference(ws, min_col=data_col, min_row=2, max_row=last))
    chart.legend = None
    series = chart.series[0]
    for i, g in enumerate(shown_grades(cc).to_numpy()):
        pt = DataPoint(idx=i)
        pt.graphicalProperties.solidFill = grade_colour(int(g), levels)
        pt.graphicalProperties.line.solidFill = "404040"
        series.dPt.append(pt)
    if len(cc) <= MAX_LABELLED_BARS:
        series.dLbls = DataLabelList()
        series.dLbls.showVal = True
        series.dLbls.numFmt = "0.000"
        for flag in ("showSerName", "showCatName", "showLegendKey", "showPercent"):
            setattr(series.dLbls, flag, False)
    top = float(np.ceil(cc["D"].max() * 10 + 1e-9) / 10) if len(cc) else 1.0
    chart.y_axis.scaling.min = 0.0
    chart.y_axis.scaling.max = min(max(top, 0.1), 1.0)
    chart.y_axis.majorUnit = 0.1 if chart.y_axis.scaling.max > 0.3 else 0.05
    chart.y_axis.number_format = "0.0"
    chart.y_axis.title = pick("耦合协调度 D", "D", ctx.lang)
    chart.y_axis.delete = False
    chart.x_axis.delete = False
    chart.gapWidth = 60
    if chart.type == "bar":  # first city on top
        chart.x_axis.scaling.orientation = "maxMin"
    chart.width, chart.height = 13.5, 10.0
    ws.add_chart(chart, "I4")
    if len(cc) > COLUMN_CHART_CITIES:
        _label_every_city(ws, chart, len(cc))
    return int(np.ceil(chart.height / ROW_CM))


def _label_every_city(ws: Worksheet, chart: BarChart, n: int) -> None:
    """A horizontal bar chart of ``n`` cities tall enough for a readable label on every bar:
    :data:`CITY_ROW_CM` a city, at most the rest of page 1 at the sheet's print scale; the
    label font shrinks (down to :data:`MIN_LABEL_PT`) when the page is too short, and every
    category is labelled (tick-label skip 1, which spreadsheet programs otherwise choose
    themselves and LibreOffice sets to every other city)."""
    scale, _ = _pages.print_scale(ws)
    above = TITLE_ROW_PT + 2 * _pages.DEFAULT_ROW_PT  # the title, subtitle and a blank row
    room_cm = (_pages.page_height_pt(scale) - above) / 72 * 2.54
    chart.height = float(min(CITY_ROW_CM * n + CHART_FRAME_CM, room_cm))
    per_city_pt = (chart.height - CHART_FRAME_CM) / n / 2.54 * 72
    size = min(MAX_LABEL_PT, per_city_pt / 1.3)  # a label line is 1.3 × the font size
    if size < MIN_LABEL_PT:  # more cities than readable labels: the program picks
        return
    chart.x_axis.tickLblSkip = 1
    chart.x_axis.tickMarkSkip = 1
    font = CharacterProperties(sz=int(size * 2) * 50)  # hundredths of a point, half points
    chart.x_axis.txPr = RichText(
        p=[Paragraph(pPr=ParagraphProperties(defRPr=font), endParaRPr=font)]
    )


def _grade_table(a: Assessment, ws: Worksheet, ctx: Context, row: int) -> int:
    """The level distribution over every assessed city-year, each level in its colour.
    Returns the last row written."""
    dist = grade_distribution(a)
    total = int(dist["count"].sum())
    _xlsx.section(
        ws,
        row,
        1,
        pick(
            f"协调类型分布（全部 {total} 个城市-年份）",
            f"Coordination levels (all {total} city-years)",
            ctx.lang,
        ),
    )
    head = row + 1
    heads = [pick("等级", "Grade", ctx.lang), pick("协调类型", "Level", ctx.lang)]
    heads += [pick("城市-年份数", "City-years", ctx.lang), pick("占比", "Share", ctx.lang)]
    for j, h in enumerate(heads, start=1):
        _xlsx.put(ws, head, j, h)
        c = ws.cell(row=head, column=j)
        c.font, c.fill = _xlsx.HEADER_FONT, _xlsx.HEADER_FILL
        c.alignment = Alignment(wrap_text=True, vertical="center")
    ws.row_dimensions[head].height = 32 if ctx.lang == "both" else 18
    levels = level_count(a)
    r = head
    for r, (grade, item) in enumerate(dist.iterrows(), start=head + 1):
        _xlsx.put(ws, r, 1, int(grade))
        _xlsx.put(ws, r, 2, pick(item["level_zh"], item["level_en"], ctx.lang))
        _xlsx.put(ws, r, 3, int(item["count"]), "#,##0")
        _xlsx.put(ws, r, 4, float(item["share"]), "0.0%")
        _fill(
            ws.cell(row=r, column=2), grade_colour(int(grade), levels), text_colour(grade, levels)
        )
    _xlsx.put(ws, r + 1, 2, pick("合计", "Total", ctx.lang))
    _xlsx.put(ws, r + 1, 3, total, "#,##0")
    _xlsx.put(ws, r + 1, 4, 1.0, "0.0%")
    ws.cell(row=r + 1, column=2).font = _xlsx.HEADER_FONT
    return r + 1


def _score_table(a: Assessment, ws: Worksheet, ctx: Context, row: int) -> int:
    """Latest subsystem scores, overall development and D per city, colour-scaled by
    column; the level coloured by grade. Returns the last row written."""
    year = latest_year(a)
    table = a.scores.xs(year, level="year").copy()
    table["closeness"] = a.composite.xs(year, level="year")["closeness"]
    if "coupling" in a.tables:
        cc = a.tables["coupling"].xs(year, level="year")
        table["D"] = cc["D"]
        table["level"] = cc["level_zh"] if ctx.lang != "en" else cc["level_en"]
    table = table.loc[ctx.city_order(list(table.index))]
    table.index.name = "city"
    _xlsx.section(
        ws,
        row,
        1,
        pick(
            f"{year} 年子系统得分（0–1，越高越好）",
            f"Subsystem scores {year} (0–1, higher is better)",
            ctx.lang,
        ),
    )
    last, lastc = _xlsx.write_frame(ws, table, ctx, top=row + 1, freeze=False, max_width=11)
    n_sub = a.scores.shape[1]
    _xlsx.colour_scale(ws, row + 2, last, 2, 1 + n_sub)
    _xlsx.colour_scale(ws, row + 2, last, 2 + n_sub, 2 + n_sub)
    if "coupling" in a.tables:
        _xlsx.colour_scale(ws, row + 2, last, 3 + n_sub, 3 + n_sub)
        levels = level_count(a)
        grades = shown_grades(cc.loc[table.index]).to_numpy()
        for r, g in enumerate(grades, start=row + 2):
            _fill(
                ws.cell(row=r, column=lastc), grade_colour(int(g), levels), text_colour(g, levels)
            )
    return last


def write_run_info(a: Assessment, ws: Worksheet, ctx: Context) -> None:
    """Version, data and system files with their SHA-256, fit period and every convention;
    the CSV files holding the long tables."""
    _xlsx.sheet_header(
        ws,
        "运行信息",
        "Run information",
        ctx.lang,
        "version, input files with their SHA-256, fit period, every convention, CSV files",
        "版本、输入文件及其 SHA-256 校验值、拟合期、全部约定、CSV 文件",
    )
    rows = [
        (k, pick(*META_LABELS.get(k, (k, k)), ctx.lang), _meta_value(k, v, ctx.lang))
        for k, v in a.meta.items()
        if k not in INTERNAL_META and not isinstance(v, Mapping | list)
    ]
    rows += [
        (
            f"convention.{k}",
            pick("方法约定", "Convention", ctx.lang) + f" {k}",
            _meta_value(k, v, ctx.lang),
        )
        for k, v in a.conventions.items()
    ]
    rows += [
        (f"csv.{k}", pick("完整表", "Full table", ctx.lang) + f" {k}", f"{ctx.stem}_{k}.csv")
        for k in ctx.sidecars
    ]
    meta = pd.DataFrame(rows, columns=["key", "item", "value"]).drop(columns="key")
    _xlsx.write_frame(ws, meta, ctx, text_width=70)


def _meta_value(key: str, value: Any, lang: str) -> str:
    """A metadata value as printed: a bilingual system name ("中文 / English") in ``lang``."""
    text = str(value)
    if key == "system_name" and " / " in text:
        zh, _, en = text.partition(" / ")
        return pick(zh.strip(), en.strip(), lang)
    if text.startswith("built-in "):
        return pick("内置 ", "built-in ", lang) + text.removeprefix("built-in ")
    return str(value_label(text, lang))


#: Words for the run metadata keys (中文, English).
META_LABELS: dict[str, tuple[str, str]] = {
    "coordeval_version": ("coordeval 版本", "coordeval version"),
    "system_name": ("指标体系", "Indicator system"),
    "system_sha256": ("指标体系 SHA-256", "Indicator system SHA-256"),
    "fit_cities": ("拟合城市数", "Cities fitted"),
    "fit_years": ("拟合年份", "Years fitted"),
    "fit_observations": ("拟合观测数", "Observations fitted"),
    "assessed_years": ("评价年份", "Years assessed"),
    "assessed_cities": ("评价城市数", "Cities assessed"),
    "data_file": ("数据文件", "Data file"),
    "data_sha256": ("数据文件 SHA-256", "Data file SHA-256"),
    "data_layout": ("数据格式", "Data layout"),
    "system_file": ("指标体系文件", "Indicator system file"),
}
