"""The Excel assessment report: sheets, headers, formats, charts, safety, large panels, render."""

from __future__ import annotations

import hashlib
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from openpyxl import load_workbook
from openpyxl.chart import BarChart, LineChart

import coordeval as ce
from coordeval.report import _context, _xlsx
from coordeval.report import workbook as wbmod

DATA = Path(__file__).resolve().parents[2] / "data"


@pytest.fixture(scope="module")
def assessment(munnell_panel: tuple[ce.IndicatorSystem, pd.DataFrame]) -> ce.Assessment:
    system, panel = munnell_panel
    model = ce.CoordinationModel(system).fit(panel)
    with pytest.warns(ce.MethodWarning):
        return model.assess(panel, robustness_draws=200)


@pytest.fixture(scope="module")
def report(assessment: ce.Assessment, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return assessment.to_excel(tmp_path_factory.mktemp("rep") / "munnell.xlsx")


EXPECTED_SHEETS = [
    "摘要",
    "方法",
    "指标体系",
    "原始数据",
    "数据问题",
    "权重",
    "子系统得分",
    "综合评价",
    "耦合协调",
    "障碍度",
    "区域差异",
    "协同关系",
    "趋势",
    "运行信息",
]


def test_sheets_and_titles(report: Path) -> None:
    wb = load_workbook(report)
    assert wb.sheetnames == EXPECTED_SHEETS
    assert "1970–1975" in wb["摘要"]["A1"].value  # page 1: the report's title
    for ws in wb.worksheets[1:]:
        assert ws["A1"].value == ws.title  # Chinese title
        assert ws["A2"].value  # a note in Chinese
        assert ws.freeze_panes is not None
    for ws in wb.worksheets:
        assert ws.page_setup.orientation == "landscape"
        assert int(ws.page_setup.paperSize) == int(ws.PAPERSIZE_A4)
        assert 60 <= ws.page_setup.scale <= 100
        assert not ws.sheet_properties.pageSetUpPr.fitToPage


def test_reviewer_headers(report: Path) -> None:
    """Statistics named in words: 相对贴近度 for the TOPSIS closeness, 耦合度 C / 协调指数 T /
    耦合协调度 D for the coupling (never a bare symbol)."""
    wb = load_workbook(report)
    heads = {
        name: [str(c.value).split("\n")[0] for c in wb[name][4] if c.value]
        for name in ("权重", "综合评价", "耦合协调")
    }
    assert {"信息熵值", "信息效用值", "综合权重"} <= set(heads["权重"])
    assert heads["综合评价"][2:] == ["与正理想解的距离", "与负理想解的距离", "相对贴近度", "排名"]
    assert heads["耦合协调"][2:7] == [
        "耦合度 C",
        "协调指数 T",
        "耦合协调度 D",
        "协调等级",
        "协调类型",
    ]


def test_number_formats_and_colour_scales(report: Path) -> None:
    wb = load_workbook(report)
    ws = wb["子系统得分"]
    assert ws["C5"].number_format == "0.000"
    assert ws.conditional_formatting  # colour scale on scores
    assert wb["权重"]["G5"].number_format == "0.0000"
    assert wb["障碍度"].conditional_formatting


def test_charts(report: Path, assessment: ce.Assessment) -> None:
    wb = load_workbook(report)
    charts = wb["摘要"]._charts
    bar = [c for c in charts if isinstance(c, BarChart)]
    assert len(bar) == 1 and len(charts) == 1
    lines = [c for c in wb["趋势"]._charts if isinstance(c, LineChart)]
    assert len(lines) == 2
    assert len(lines[0].series) == min(12, _context.MAX_CHART_SERIES)
    assert len(lines[1].series) == assessment.scores.shape[1] + 1  # subsystem means and D
    assert all(s.smooth is False for c in lines for s in c.series)


def test_no_formula_cells_and_fonts(report: Path) -> None:
    wb = load_workbook(report)
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for c in row:
                assert c.data_type != "f", f"{ws.title}!{c.coordinate}"
    assert wb._fonts[0].name == "等线" and wb._fonts[0].charset == 134


def test_formula_like_text_is_written_as_text(munnell_panel, tmp_path: Path) -> None:
    system, panel = munnell_panel
    evil = panel.rename(
        index={panel.index[0][0]: '=HYPERLINK("http://x")', panel.index[-1][0]: "@SUM(A1)"},
        level="city",
    )
    model = ce.CoordinationModel(system).fit(evil)
    with pytest.warns(ce.MethodWarning):
        a = model.assess(evil, robustness_draws=0)
    path = a.to_excel(tmp_path / "evil.xlsx", max_rows=5)
    wb = load_workbook(path)
    found = [
        c
        for ws in wb.worksheets
        for row in ws.iter_rows()
        for c in row
        if isinstance(c.value, str) and c.value.startswith(("=HYPERLINK", "@SUM"))
    ]
    assert found and all(c.data_type == "s" for c in found)
    csvs = list(tmp_path.glob("evil_*.csv"))
    assert csvs
    text = "".join(p.read_text(encoding="utf-8-sig") for p in csvs)
    assert "'=HYPERLINK" in text and "'@SUM" in text


def test_long_tables_go_to_csv(assessment: ce.Assessment, tmp_path: Path) -> None:
    path = assessment.to_excel(tmp_path / "big.xlsx", max_rows=20)
    scores = tmp_path / "big_scores.csv"
    assert scores.read_bytes().startswith(b"\xef\xbb\xbf")  # UTF-8 BOM so Excel shows Chinese
    full = pd.read_csv(scores, encoding="utf-8-sig")
    assert len(full) == len(assessment.scores)
    np.testing.assert_allclose(
        full[assessment.scores.columns].to_numpy(), assessment.scores.to_numpy(), rtol=1e-12
    )
    wb = load_workbook(path)
    meta = [c.value for c in wb["运行信息"]["B"] if c.value]
    assert "big_scores.csv" in meta
    assert wb["子系统得分"].max_row < len(assessment.scores)


def test_failed_write_leaves_previous_report(
    assessment: ce.Assessment, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = assessment.to_excel(tmp_path / "r.xlsx")
    before = hashlib.sha256(path.read_bytes()).hexdigest()

    def boom(self, filename):
        raise OSError("disk full")

    monkeypatch.setattr(wbmod.Workbook, "save", boom)
    with pytest.raises(OSError, match="disk full"):
        assessment.to_excel(path, max_rows=20)
    assert hashlib.sha256(path.read_bytes()).hexdigest() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["r.xlsx"]


def test_sheet_names_validated() -> None:
    for bad in ["", "a" * 32, "a/b", "x[1]", "a:b"]:
        with pytest.raises(ValueError) as exc:
            _xlsx.check_sheet_name(bad)
        assert exc.value.code == "invalid_sheet_name"
    assert _xlsx.check_sheet_name("耦合协调") == "耦合协调"


def test_languages(assessment: ce.Assessment, tmp_path: Path) -> None:
    zh = load_workbook(assessment.to_excel(tmp_path / "zh.xlsx", lang="zh"))
    en = load_workbook(assessment.to_excel(tmp_path / "en.xlsx", lang="en"))
    assert zh["综合评价"]["E4"].value == "相对贴近度"
    assert en["Composite"]["E4"].value == "Relative closeness"
    assert en.sheetnames[0] == "Summary" and en.sheetnames[-1] == "Run information"
    assert en["Summary"]["A1"].value.startswith("Munnell US states")
    with pytest.raises(ValueError) as exc:
        assessment.to_excel(tmp_path / "x.xlsx", lang="fr")
    assert exc.value.code == "report_lang" and exc.value.params["value"] == "'fr'"


def test_to_frames(assessment: ce.Assessment) -> None:
    frames = assessment.to_frames()
    for key in (
        "weights",
        "scores",
        "composite",
        "coupling",
        "obstacles",
        "inequality",
        "sigma_convergence",
        "problems",
    ):
        assert isinstance(frames[key], pd.DataFrame), key


def test_monitoring_workbook_in_one_language(assessment: ce.Assessment, tmp_path: Path) -> None:
    """The monitoring workbook in zh or en: sheet names, titles, notes, section titles and
    the floor note in that language only; ``both`` keeps the bilingual workbook."""
    import re

    from coordeval.analysis.monitor import monitor_history
    from coordeval.report.monitor import write_monitor_report

    cc = assessment.tables["coupling"][["C", "T", "D", "grade", "level_zh", "level_en"]]
    history = (
        assessment.scores.join(assessment.composite["closeness"].rename("composite"))
        .join(cc)
        .reset_index()
    )
    names = {s.id: (s.name_zh, s.name_en) for s in assessment.system.subsystems}
    m = monitor_history(history, subsystems=list(assessment.scores.columns), names=names)
    meta = {"years": "1970–1975"}
    cjk = re.compile(r"[\u4e00-\u9fff]")
    en = load_workbook(write_monitor_report(m, tmp_path / "en.xlsx", names, "en", meta))
    assert en.sheetnames == [
        "Summary",
        "Year-on-year change",
        "Grade transitions",
        "Improvers and decliners",
        "Newly lagging",
        "Trends",
    ]
    for ws in en.worksheets:
        top = [ws.cell(row=r, column=1).value for r in (1, 2, 3)] + [c.value for c in ws[4]]
        assert not any(isinstance(v, str) and cjk.search(v) for v in top), ws.title
    summary = [c.value for c in en["Summary"]["A"] if c.value is not None]
    assert "Findings" in summary and "Yearly overview" in summary and "Years" in summary
    assert en["Year-on-year change"]["A3"].value.startswith("Floor zero:")
    zh = load_workbook(write_monitor_report(m, tmp_path / "zh.xlsx", names, "zh", meta))
    assert zh.sheetnames == ["摘要", "逐年变化", "等级转移", "城市进退", "新增滞后", "趋势"]
    for ws in zh.worksheets:
        top = [ws.cell(row=r, column=1).value for r in (1, 2, 3)]
        assert not any(isinstance(v, str) and re.search("[A-Za-z]{3,}", v) for v in top), ws.title
    assert zh["摘要"]["A2"].value == "同一冻结尺度，全部年份"
    both = load_workbook(write_monitor_report(m, tmp_path / "b.xlsx", names, "both", meta))
    assert both["摘要"]["A3"].value == "主要发现 / Findings"
    assert both["逐年变化"]["A3"].value.startswith("“下限0”") and "Floor zero:" in (
        both["逐年变化"]["A3"].value
    )


def test_extended_sheets_named_in_english(tmp_path: Path) -> None:
    """The extended analyses' sheets (spatial, dynamics, …) have English tabs in English."""
    from coordeval.report.labels import sheet_name
    from coordeval.report.spatial import SHEETS

    names = [sheet_name(zh, "en") for zh, _, _ in SHEETS]
    assert names == [
        "Spatial autocorrelation",
        "Distribution dynamics",
        "GeoDetector",
        "Centre of gravity",
        "Forecast",
        "Size structure",
    ]
    assert all(_xlsx.check_sheet_name(n) == n for n in names)
    assert sheet_name(SHEETS[0][0], "zh") == "空间自相关"
