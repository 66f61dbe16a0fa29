"""A Word brief of an assessment (python-docx): two to four A4 pages a director can forward.

The brief is written in one language (``"zh"``, ``"en"`` or ``"both"``) and holds a title,
a short narrative written from the numbers (the level and trend of the coupling coordination
degree D, the leading and lagging cities and subsystems, the groups when given), the table of
D by city coloured by coordination level, and either the figures given (PNG files, e.g. from
``coordeval.report.figures.draw_figures``) or native tables (the distribution of levels and
the subsystem scores). It reads the Assessment; it computes no new numbers.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from coordeval.io.atomic import atomic_path
from coordeval.report._palette import grade_colour, level_count, shown_grades, text_colour
from coordeval.report.findings import first_year, grade_distribution, key_findings, latest_year
from coordeval.report.labels import check_lang_value, pick
from coordeval.report.summary import default_title

if TYPE_CHECKING:
    from docx.document import Document as DocumentObject
    from docx.table import Table

    from coordeval.assessment import Assessment

#: East-Asian font of the brief (the one the workbook uses; Word and LibreOffice substitute
#: an installed CJK font when it is missing).
CJK_FONT = "等线"
LATIN_FONT = "Calibri"
#: Cities listed in the D table at most (the best and worst half each beyond).
MAX_TABLE_CITIES = 40
#: Figures embedded, in this order, when given (other keys follow in their own order).
FIGURE_ORDER = ("d_by_city", "map", "trend", "radar", "kernel_density", "obstacles")
FIGURE_WIDTH_CM = 15.5
#: Captions of known figures (中文, English).
FIGURE_CAPTIONS: dict[str, tuple[str, str]] = {
    "d_by_city": ("各城市耦合协调度", "Coupling coordination degree by city"),
    "map": ("耦合协调度空间分布", "Coupling coordination degree on the map"),
    "trend": ("耦合协调度变化趋势", "Trend of the coupling coordination degree"),
    "radar": ("各城市子系统得分", "Subsystem scores by city"),
    "kernel_density": ("综合发展水平的核密度", "Kernel density of overall development"),
    "obstacles": ("主要障碍因素", "Main obstacles"),
}


def _set_fonts(doc: DocumentObject, size: float = 10.5) -> None:
    from docx.oxml.ns import qn
    from docx.shared import Pt

    for name in ("Normal", "Title", "Heading 1", "Heading 2", "Caption"):
        style = doc.styles[name]
        style.font.name = LATIN_FONT
        rpr = style.element.get_or_add_rPr()
        fonts = rpr.find(qn("w:rFonts"))
        if fonts is None:
            fonts = rpr.makeelement(qn("w:rFonts"), {})
            rpr.append(fonts)
        fonts.set(qn("w:eastAsia"), CJK_FONT)
        fonts.set(qn("w:ascii"), LATIN_FONT)
        fonts.set(qn("w:hAnsi"), LATIN_FONT)
    doc.styles["Normal"].font.size = Pt(size)
    doc.styles["Title"].font.size = Pt(20)


def _shade(cell: Any, colour: str, font_colour: str = "000000") -> None:
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls
    from docx.shared import RGBColor

    cell._tc.get_or_add_tcPr().append(
        parse_xml(f'<w:shd {nsdecls("w")} w:val="clear" w:fill="{colour}"/>')
    )
    for par in cell.paragraphs:
        for run in par.runs:
            run.font.color.rgb = RGBColor.from_string(font_colour)


def _table(doc: DocumentObject, head: list[str], rows: list[list[str]]) -> Table:
    """A native table with a bold header row, 9 pt text, numbers right-aligned."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    table = doc.add_table(rows=1 + len(rows), cols=len(head))
    table.style = "Table Grid"
    for j, h in enumerate(head):
        cell = table.rows[0].cells[j]
        cell.text = h
        run = cell.paragraphs[0].runs[0]
        run.font.bold = True
        run.font.size = Pt(9)
        _shade(cell, "DDEBF7")
    for i, values in enumerate(rows, start=1):
        for j, v in enumerate(values):
            cell = table.rows[i].cells[j]
            cell.text = v
            par = cell.paragraphs[0]
            par.runs[0].font.size = Pt(9)
            if _is_number(v):
                par.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    return table


def _is_number(text: str) -> bool:
    try:
        float(text.replace("%", "").replace(",", "").replace("+", ""))
    except ValueError:
        return False
    return True


def _table_cities(a: Assessment, city_order: list[Any] | None = None) -> list[Any]:
    """Cities of the brief's tables in the report's order: all, or the best and worst
    :data:`MAX_TABLE_CITIES` / 2 by D (by the composite without coupling)."""
    year = latest_year(a)
    if "coupling" in a.tables:
        score = a.tables["coupling"].xs(year, level="year")["D"]
    else:
        score = a.composite.xs(year, level="year")["closeness"]
    rank_of = {c: i for i, c in enumerate(city_order or a.meta.get("city_order") or [])}
    cities = sorted(score.index, key=lambda c: rank_of.get(c, len(rank_of)))
    if len(cities) > MAX_TABLE_CITIES:
        by = score.sort_values(ascending=False, kind="stable")
        half = MAX_TABLE_CITIES // 2
        keep = set(by.index[:half]) | set(by.index[-half:])
        cities = [c for c in cities if c in keep]
    return cities


def _d_table(
    doc: DocumentObject,
    a: Assessment,
    lang: str,
    names_en: Mapping[str, str],
    cities: list[Any],
) -> None:
    year, y0 = latest_year(a), first_year(a)
    cc = a.tables["coupling"]
    latest = cc.xs(year, level="year")
    rank = latest["D"].rank(ascending=False, method="min").astype(int)
    panel = y0 != year
    first = cc.xs(y0, level="year")["D"] if panel else None
    head = [pick("城市", "City", lang), pick(f"{year} 年 D", f"D {year}", lang)]
    head += [pick("协调类型", "Level", lang), pick("排名", "Rank", lang)]
    if panel:
        head.append(pick(f"较 {y0} 年变化", f"Change since {y0}", lang))
    rows = []
    for c in cities:
        name = names_en.get(str(c), str(c)) if lang == "en" else str(c)
        level = pick(str(latest.loc[c, "level_zh"]), str(latest.loc[c, "level_en"]), lang)
        row = [name, f"{latest.loc[c, 'D']:.3f}", level, str(int(rank.loc[c]))]
        if first is not None:
            change = latest.loc[c, "D"] - first.get(c, float("nan"))
            row.append("" if pd.isna(change) else f"{change:+.3f}")
        rows.append(row)
    table = _table(doc, head, rows)
    levels = level_count(a)
    shown = shown_grades(latest)
    for i, c in enumerate(cities, start=1):
        g = int(shown.loc[c])
        _shade(table.rows[i].cells[2], grade_colour(g, levels), text_colour(g, levels))
    if len(cities) < len(latest):
        doc.add_paragraph(
            pick(
                f"（共 {len(latest)} 个城市，表中列出 D 最高与最低的各 {MAX_TABLE_CITIES // 2} 个）",
                f"({len(latest)} cities; the {MAX_TABLE_CITIES // 2} highest and lowest are "
                "listed)",
                lang,
            )
        )


def _grade_table(doc: DocumentObject, a: Assessment, lang: str) -> None:
    dist = grade_distribution(a)
    head = [pick("协调类型", "Level", lang), pick("城市-年份数", "City-years", lang)]
    head.append(pick("占比", "Share", lang))
    rows = [
        [pick(r.level_zh, r.level_en, lang), f"{r.count:,d}", f"{r.share:.1%}"]
        for r in dist.itertuples()
    ]
    rows.append([pick("合计", "Total", lang), f"{int(dist['count'].sum()):,d}", "100.0%"])
    table = _table(doc, head, rows)
    levels = level_count(a)
    for i, g in enumerate(dist.index, start=1):
        _shade(table.rows[i].cells[0], grade_colour(int(g), levels), text_colour(g, levels))


def _score_table(
    doc: DocumentObject, a: Assessment, lang: str, cities: list[Any], names_en: Mapping[str, str]
) -> None:
    """Latest subsystem scores of ``cities``, each cell shaded by its level (0–1)."""
    year = latest_year(a)
    U = a.scores.xs(year, level="year").loc[cities]
    names = {s.id: pick(s.name_zh, s.name_en or s.name_zh, lang) for s in a.system.subsystems}
    head = [pick("城市", "City", lang), *(names.get(s, s) for s in U.columns)]
    rows = [
        [names_en.get(str(c), str(c)) if lang == "en" else str(c)]
        + [f"{v:.3f}" for v in U.loc[c].to_numpy()]
        for c in cities
    ]
    table = _table(doc, head, rows)
    for i, c in enumerate(cities, start=1):
        for j, v in enumerate(U.loc[c].to_numpy(), start=1):
            g = int(min(max(v, 0.0), 0.999) * 10) + 1
            _shade(table.rows[i].cells[j], grade_colour(g), text_colour(g))


def _figure(doc: DocumentObject, key: str, path: Path, lang: str, number: int) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Cm

    doc.add_picture(str(path), width=Cm(FIGURE_WIDTH_CM))
    doc.paragraphs[-1].alignment = WD_ALIGN_PARAGRAPH.CENTER
    zh, en = FIGURE_CAPTIONS.get(key, (key, key))
    cap = doc.add_paragraph(pick(f"图 {number}  {zh}", f"Figure {number}. {en}", lang))
    cap.style = doc.styles["Caption"]
    cap.alignment = WD_ALIGN_PARAGRAPH.CENTER


def build_brief(
    a: Assessment,
    lang: str = "zh",
    *,
    title: str | None = None,
    figures: Mapping[str, Path] | None = None,
    names_en: Mapping[str, str] | None = None,
) -> DocumentObject:
    """The brief as a python-docx Document (see :func:`write_brief`)."""
    from docx import Document
    from docx.enum.section import WD_ORIENT
    from docx.shared import Cm

    check_lang_value(lang)
    en = {str(k): str(v) for k, v in (a.meta.get("city_names_en") or {}).items()}
    en |= {str(k): str(v) for k, v in (names_en or {}).items()}
    doc = Document()
    section = doc.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Cm(21.0), Cm(29.7)
    section.left_margin = section.right_margin = Cm(2.2)
    section.top_margin = section.bottom_margin = Cm(2.0)
    _set_fonts(doc)
    doc.add_heading(title or str(a.meta.get("title") or default_title(a, lang)), level=0)
    n_cities = a.scores.index.get_level_values("city").nunique()
    y0, y1 = first_year(a), latest_year(a)
    years = f"{y0}" if y0 == y1 else f"{y0}–{y1}"
    doc.add_paragraph(
        pick(
            f"{n_cities} 个城市，{years} 年；{a.scores.shape[1]} 个子系统、{a.data.shape[1]} 项指标；"
            f"数据：{a.meta.get('data_file', '')}。",
            f"{n_cities} cities, {years}; {a.scores.shape[1]} subsystems, {a.data.shape[1]} "
            f"indicators; data: {a.meta.get('data_file', '')}.",
            lang,
            sep="\n",
        )
    )
    doc.add_heading(pick("主要结论", "Key findings", lang), level=1)
    for zh, en_text in key_findings(a, en):
        doc.add_paragraph(pick(zh, en_text, lang, sep="\n"), style="List Number")
    figure_no = 0
    cities = _table_cities(a)
    if "coupling" in a.tables:
        doc.add_heading(
            pick(f"{y1} 年各城市耦合协调度", f"Coupling coordination by city, {y1}", lang),
            level=1,
        )
        _d_table(doc, a, lang, en, cities)
    doc.add_page_break()
    shown = dict(figures or {})
    keys = [k for k in FIGURE_ORDER if k in shown] + [k for k in shown if k not in FIGURE_ORDER]
    if keys:
        doc.add_heading(pick("图表", "Figures", lang), level=1)
        for key in keys:
            figure_no += 1
            _figure(doc, key, Path(shown[key]), lang, figure_no)
    else:
        if "coupling" in a.tables:
            doc.add_heading(
                pick(
                    "协调类型分布（全部城市-年份）",
                    "Coordination levels (all city-years)",
                    lang,
                ),
                level=1,
            )
            _grade_table(doc, a, lang)
        doc.add_heading(
            pick(
                f"{y1} 年子系统得分（0–1，越高越好）",
                f"Subsystem scores, {y1} (0–1, higher is better)",
                lang,
            ),
            level=1,
        )
        _score_table(doc, a, lang, cities, en)
    doc.add_heading(pick("方法与说明", "Method and notes", lang), level=1)
    doc.add_paragraph(_method_text(a, lang))
    return doc


def _method_text(a: Assessment, lang: str) -> str:
    conv = a.conventions
    zh = (
        f"指标经极差标准化后以{_WEIGHTING_ZH.get(conv['weighting'], conv['weighting'])}赋权，"
        "子系统得分为加权和（0–1），综合发展水平为 TOPSIS 相对贴近度；耦合度 C、协调指数 T 与"
        f"耦合协调度 D 按 {conv['coupling']} 模型计算，D > 0.5 为协调。完整的公式、参数、数据问题"
        "与注意事项见评价报告工作簿（方法、数据问题各表）。"
    )
    en = (
        f"Indicators are min-max normalised and weighted by the {conv['weighting']} method; "
        "subsystem scores are weighted sums (0–1) and overall development is the TOPSIS "
        "relative closeness; the coupling degree C, coordination index T and coupling "
        f"coordination degree D follow the {conv['coupling']} model, D above 0.5 counting as "
        "coordinated. Every formula, parameter, data issue and caveat is in the report "
        "workbook (sheets Methods and Data issues)."
    )
    return pick(zh, en, lang, sep="\n")


_WEIGHTING_ZH = {
    "entropy": "熵值法",
    "critic": "CRITIC 法",
    "cv": "变异系数法",
    "equal": "等权法",
    "fixed": "给定权重",
}


def write_brief(
    a: Assessment,
    path: str | Path,
    lang: str = "zh",
    *,
    title: str | None = None,
    figures: Mapping[str, Path] | None = None,
    names_en: Mapping[str, str] | None = None,
) -> Path:
    """Write a two-to-four page Word brief of ``a`` (atomically).

    Parameters
    ----------
    a : Assessment
        The assessment to summarise.
    path : str or Path
        The ``.docx`` file to write; an earlier file is replaced only on success.
    lang : {"zh", "en", "both"}
        Language of the brief.
    title : str, optional
        Title (default: the system's name and the years, as on page 1 of the workbook).
    figures : mapping of str to Path, optional
        PNG figures to embed by name (``d_by_city``, ``map``, ``trend``, ``radar``, …, as
        ``draw_figures`` returns them); without figures the brief shows native tables.
    names_en : mapping, optional
        English city names for ``lang="en"``.

    Returns
    -------
    Path
        The file written.
    """
    path = Path(path)
    doc = build_brief(a, lang, title=title, figures=figures, names_en=names_en)
    with atomic_path(path) as tmp:
        doc.save(str(tmp))
    return path
