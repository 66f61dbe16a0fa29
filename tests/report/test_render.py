"""The report and the brief as a reader sees them: every demo workbook and two briefs are
rendered to PDF with LibreOffice and the PDF is checked — page count, print scale and word
size, CJK fonts embedded, no page holding only a heading, page 1 with the findings and the D
chart and no hash, one language at a time (no CJK in English reports outside city names and
cited sources, no English words in Chinese reports outside proper names, file names,
parameter names and formula symbols), and the grade distribution adding up."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import warnings
from dataclasses import dataclass
from pathlib import Path

import pytest
from openpyxl import load_workbook

from coordeval.assessment import Assessment
from coordeval.datasets import get_dataset
from coordeval.report import _xlsx
from coordeval.report._context import make_context
from coordeval.report.brief import write_brief
from coordeval.report.findings import grade_distribution, latest_year
from coordeval.workflow import assess_file

pytestmark = pytest.mark.skipif(
    shutil.which("soffice") is None and not os.environ.get("CI"),
    reason="LibreOffice is not installed (CI installs it)",
)

#: Pages each Chinese demo report may print at most (before this layout: 12, 13 and 201).
PAGE_LIMITS = {"cyg2019": 16, "capitals2018": 18, "munnell": 40}
CJK = re.compile(r"[\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef]+")
WORD = re.compile(r"[A-Za-z][A-Za-z\-]+")
#: Proper names of methods, acronyms and formula words allowed in a Chinese report.
PROPER = {
    "TOPSIS", "CRITIC", "Gini", "Theil", "Dagum", "Spearman", "Dirichlet", "Silverman",
    "OLS", "Tobit", "GDP", "SHA", "CSV", "csv", "NaN", "Pearson", "SPSSAU", "coordeval",
    "ln", "max", "min", "exp", "mean", "spatial", "xlsx", "built-in", "Shorrocks", "IQR",
    "floor", "GeoDetector", "Moran", "Geary", "Getis", "Ord", "LISA", "ARIMA", "ETS", "statsmodels",
}  # fmt: skip
#: Parameter names and choices (options a user types), allowed in any language.
PARAMETERS = {
    "extend", "clip", "error", "classic", "wang", "fan", "ten", "spssau", "panel", "entropy",
    "critic", "cv", "equal", "fixed", "drop", "interpolate",
}  # fmt: skip


@dataclass
class Rendered:
    a: Assessment
    xlsx: Path
    pdf: Path
    lang: str


def _assess(name: str) -> Assessment:
    d = get_dataset(name)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        a, _ = assess_file(str(d.path()), d.system, missing=d.missing)
    return a


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Rendered]:
    """Reports (zh: three demos; en: two) and briefs (cyg2019 zh, munnell en), rendered to
    PDF in one LibreOffice run."""
    out = tmp_path_factory.mktemp("render")
    made: dict[str, tuple[Assessment, Path, str]] = {}
    cache = {n: _assess(n) for n in ("cyg2019", "capitals2018", "munnell")}
    for name, a in cache.items():
        made[f"{name}_zh"] = (a, a.to_excel(out / f"{name}_zh.xlsx", lang="zh"), "zh")
    for name in ("capitals2018", "munnell"):
        a = cache[name]
        made[f"{name}_en"] = (a, a.to_excel(out / f"{name}_en.xlsx", lang="en"), "en")
    made["brief_cyg2019_zh"] = (
        cache["cyg2019"],
        write_brief(cache["cyg2019"], out / "brief_cyg2019_zh.docx", lang="zh"),
        "zh",
    )
    made["brief_munnell_en"] = (
        cache["munnell"],
        write_brief(cache["munnell"], out / "brief_munnell_en.docx", lang="en"),
        "en",
    )
    subprocess.run(
        ["soffice", "--headless", "--convert-to", "pdf", "--outdir", str(out)]
        + [str(p) for _, p, _ in made.values()],
        check=True,
        capture_output=True,
        timeout=600,
    )
    return {k: Rendered(a, p, out / f"{p.stem}.pdf", lang) for k, (a, p, lang) in made.items()}


def pages_text(pdf: Path) -> list[str]:
    """The text of each page (pdftotext separates pages by form feeds)."""
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    return text.split("\f")[:-1]


def word_heights(pdf: Path) -> list[float]:
    """Per page, the 5th-percentile word height in points (as shared/tools/render.sh)."""
    bbox = subprocess.run(
        ["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    out = []
    for page in bbox.split("<page ")[1:]:
        hs = sorted(
            float(b) - float(a)
            for a, b in re.findall(r'yMin="([\d.]+)" xMax="[\d.]+" yMax="([\d.]+)"', page)
        )
        out.append(hs[int(0.05 * (len(hs) - 1))] if hs else 99.0)
    return out


def _lines(page: str) -> list[str]:
    """Non-empty lines of a page without the page-number footer."""
    return [
        line.strip()
        for line in page.splitlines()
        if line.strip() and not re.fullmatch(r"\d+ / \d+", line.strip())
    ]


@pytest.mark.parametrize("name", ["cyg2019", "capitals2018", "munnell"])
def test_printable(rendered: dict[str, Rendered], name: str) -> None:
    """Page count within the limit, every sheet at 60 % or more and no page shrunk below a
    readable word size, CJK fonts embedded, no page whose only content is a heading."""
    r = rendered[f"{name}_zh"]
    pages = pages_text(r.pdf)
    assert 1 <= len(pages) <= PAGE_LIMITS[name], len(pages)
    wb = load_workbook(r.xlsx)
    assert min(ws.page_setup.scale for ws in wb.worksheets) >= 60
    assert min(word_heights(r.pdf)) >= 5.0
    fonts = subprocess.run(["pdffonts", str(r.pdf)], capture_output=True, text=True).stdout
    cjk = [line for line in fonts.splitlines() if "CJK" in line]
    assert cjk and all(" yes " in line for line in cjk), fonts  # embedded
    headings = {
        str(c.value).strip()
        for ws in wb.worksheets
        for row in ws.iter_rows()
        for c in row
        if c.value is not None and c.font is not None and c.font.b and (c.font.sz or 0) >= 12
    }
    for i, page in enumerate(pages, start=1):
        lines = _lines(page)
        assert lines, f"page {i} is empty"
        assert not set(lines) <= headings, f"page {i} holds only a heading: {lines}"


@pytest.mark.parametrize("name", ["cyg2019", "capitals2018", "munnell"])
def test_page_one_for_a_director(rendered: dict[str, Rendered], name: str) -> None:
    """Page 1: the title, the findings (the full grade distribution of the latest year adds
    up to the number of cities), the D chart; no run metadata."""
    r = rendered[f"{name}_zh"]
    page1 = pages_text(r.pdf)[0]
    flat = re.sub(r"\s+", "", page1)
    wb = load_workbook(r.xlsx)
    assert re.sub(r"\s+", "", wb["摘要"]["A1"].value) in flat
    assert "主要发现" in page1 and "年各城市耦合协调度" in flat
    assert "SHA" not in page1 and not re.search(r"[0-9a-f]{16}", page1)
    year = latest_year(r.a)
    n_cities = len(r.a.tables["coupling"].xs(year, level="year"))
    finding = re.search(rf"{year}年{n_cities}个城市的协调类型（由高到低）：(.*?)。", flat)
    assert finding, flat
    counts = [int(n) for n in re.findall(r"(\d+)个", finding.group(1))]
    assert sum(counts) == n_cities
    dist = grade_distribution(r.a)
    n = len(r.a.tables["coupling"])
    assert dist["count"].sum() == n
    # the full distribution over every city-year is printed on page 1 with its total
    table = flat[flat.index(f"协调类型分布（全部{n}个城市-年份）") :]
    total = re.search(r"合计(\d+)100\.0%", table)
    assert total and int(total.group(1)) == n
    for level, count in zip(dist["level_zh"], dist["count"], strict=True):
        assert f"{level}{count}" in table
    grade_cells = [
        c.value for row in wb["摘要"].iter_rows() for c in row if isinstance(c.value, str)
    ]
    assert f"协调类型分布（全部 {len(r.a.tables['coupling'])} 个城市-年份）" in grade_cells


def _allowed_cjk(a: Assessment) -> list[str]:
    """City names (no English names are given for the demos) and the cited sources."""
    cities = [str(c) for c in a.scores.index.get_level_values("city").unique()]
    cities += [str(p.params["city"]) for p in a.problems if "city" in p.params]  # dropped rows
    return cities + [str(i.source) for i in a.system.indicators]


@pytest.mark.parametrize("key", ["capitals2018_en", "munnell_en", "brief_munnell_en"])
def test_english_report_has_no_chinese(rendered: dict[str, Rendered], key: str) -> None:
    r = rendered[key]
    allowed = _allowed_cjk(r.a)
    text = "\n".join(pages_text(r.pdf))
    stray = {run for run in CJK.findall(text) if not any(run in s for s in allowed)}
    assert not stray, stray


def _allowed_words(a: Assessment) -> set[str]:
    texts = [str(c) for c in a.scores.index.get_level_values("city").unique()]
    texts += [str(v) for v in a.meta.values()]
    texts += [f"{k} {v}" for k, v in a.conventions.items()]
    texts += [f"{i.source} {i.unit} {i.name_zh} {i.id}" for i in a.system.indicators]
    texts += [f"{p.file} {p.column} {p.value}" for p in a.problems]
    words = {w for t in texts for w in WORD.findall(t)}
    return words | PROPER | PARAMETERS


@pytest.mark.parametrize("key", ["cyg2019_zh", "capitals2018_zh", "munnell_zh", "brief_cyg2019_zh"])
def test_chinese_report_has_no_english_words(rendered: dict[str, Rendered], key: str) -> None:
    """Outside proper names (cities, sources, methods), file and parameter names and
    formula symbols (one or two letters, or with an index such as w_j) no English word."""
    r = rendered[key]
    text = "\n".join(pages_text(r.pdf))
    files = re.findall(r"[\w\-]+\.csv", text)  # the CSV files holding long tables
    allowed = _allowed_words(r.a) | {w for f in files for w in WORD.findall(f)}
    stray = {
        w
        for w in (m.strip("-") for m in WORD.findall(text))
        if w not in allowed
        and len(w) > 2
        and not re.fullmatch(r"[a-f]+", w)  # hash digits
        and not any(w in a_ for a_ in allowed)  # names cut short by a chart label
    }
    words = set(re.findall(r"[A-Za-z]\w*_\w+", text))  # formula symbols such as p_ij
    stray -= {w.split("_")[0] for w in words}
    assert not stray, sorted(stray)


@pytest.mark.parametrize("key", ["brief_cyg2019_zh", "brief_munnell_en"])
def test_brief_renders_on_two_to_four_pages(rendered: dict[str, Rendered], key: str) -> None:
    r = rendered[key]
    pages = pages_text(r.pdf)
    assert 2 <= len(pages) <= 4, len(pages)
    fonts = subprocess.run(["pdffonts", str(r.pdf)], capture_output=True, text=True).stdout
    assert ("CJK" in fonts) == (r.lang == "zh")
    first = re.sub(r"\s+", "", pages[0])
    assert ("主要结论" if r.lang == "zh" else "Keyfindings") in first
    assert ("年各城市耦合协调度" if r.lang == "zh" else "Couplingcoordinationbycity") in first
    year = latest_year(r.a)
    assert str(year) in first


def test_page_one_keeps_workbook_helpers_working(rendered: dict[str, Rendered]) -> None:
    """The helpers other sheet writers use keep their call forms (print_setup(ws),
    sheet_header(ws, zh, en, lang, note), write_frame(ws, df, ctx))."""
    wb = _xlsx.new_workbook()
    ws = wb.create_sheet("x")
    ctx = make_context(rendered["cyg2019_zh"].a, "zh")
    _xlsx.sheet_header(ws, "标题", "Title", "zh", "a note")
    _xlsx.write_frame(ws, rendered["cyg2019_zh"].a.scores, ctx)
    assert 60 <= _xlsx.print_setup(ws) <= 100
    assert ws["A1"].value == "标题" and ws["A2"].value is None  # an English-only note: not in zh
