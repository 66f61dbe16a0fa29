"""What the report says: findings read off the tables, problems worded in Chinese or English
from their code, words instead of symbols, number formats by unit, one row order, English city
names, plain-language caveats, and the Word brief's content.

The group labels and factor column below are test fixtures (a split of the shipped panels and
the log of a column of the shipped Munnell data), not sample data.
"""

from __future__ import annotations

import re
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from docx import Document
from openpyxl import load_workbook
from typer.testing import CliRunner

from coordeval.analysis.coupling import coupling_coordination as ce_coupling
from coordeval.assessment import Assessment
from coordeval.cli import app
from coordeval.errors import MESSAGES, MethodWarning, Problem, render_message
from coordeval.report._palette import grade_colour
from coordeval.report._sheets_data import unit_format
from coordeval.report._xlsx import MEASURE_FORMAT
from coordeval.report.brief import build_brief
from coordeval.report.findings import grade_distribution, key_findings
from coordeval.report.labels import sheet_name, unit_label, value_label
from coordeval.workflow import assess_file

ROOT = Path(__file__).resolve().parents[2]
CYG = ROOT / "data" / "cyg2019.csv"
MUNNELL = ROOT / "data" / "munnell_states_1970_1986.csv"
#: English names of the three cities of the cyg2019 sample (standard romanisation).
CYG_EN = {"重庆": "Chongqing", "成都": "Chengdu", "贵阳": "Guiyang"}


def _assess(path: Path, system: str, **analysis) -> Assessment:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        a, _ = assess_file(path, system, analysis=analysis)
    return a


@pytest.fixture(scope="module")
def cyg() -> Assessment:
    return _assess(CYG, "cyg2019")


@pytest.fixture(scope="module")
def munnell() -> Assessment:
    raw = pd.read_csv(MUNNELL, encoding="utf-8-sig")
    p_cap = raw[raw["indicator"] == "p_cap"].set_index(["city", "year"])["value"]
    factors = np.log(p_cap).rename("ln_p_cap").to_frame()
    states = sorted(raw["city"].unique())
    groups = pd.Series(
        ["first half" if i < len(states) // 2 else "second half" for i in range(len(states))],
        index=states,
    )
    return _assess(MUNNELL, "munnell", factors=factors, groups=groups)


def test_problem_code_is_optional_and_rendered_in_both_languages() -> None:
    plain = Problem("something is wrong", column="x")
    assert plain.code == "" and dict(plain.params) == {}
    assert plain.render("zh") == plain.render("en") == "something is wrong"
    p = Problem(
        "text as stored",
        code="out_of_range",
        params={"city": "成都", "year": 2019, "value": 5.0, "side": "above", "lo": 0.0,
                "hi": 4.0, "policy": "extend"},
        severity="warning",
    )  # fmt: skip
    assert p.render("zh") == "成都 2019：取值 5 高于拟合范围 [0, 4]（超出范围处理：extend）"
    assert p.render("en") == (
        "成都 2019: value 5 is above the fitted range [0, 4] (out_of_range='extend')"
    )
    assert p.render("both") == p.render("zh") + "\n" + p.render("en")
    # an unknown code or parameters that do not fit: the stored text
    assert Problem("kept", code="no_such_code").render("zh") == "kept"
    assert render_message("out_of_range", {"city": "x"}, "kept", "zh") == "kept"
    assert Problem("a") == Problem("a")  # params take no part in equality
    for zh, en in MESSAGES.values():
        # English may quote the Chinese header words a file can use, in parentheses
        prose = re.sub(r"\([^)]*\)", "", en)
        assert re.search(r"[\u4e00-\u9fff]", zh) and not re.search(r"[\u4e00-\u9fff]{3}", prose)


def test_coded_warnings_become_coded_problems() -> None:
    w = MethodWarning("text", "single_indicator_subsystem", {"subsystems": "a"})
    assert (str(w), w.code, w.params) == ("text", "single_indicator_subsystem", {"subsystems": "a"})
    assert str(MethodWarning("plain")) == "plain" and MethodWarning("plain").code == ""
    # the panel preset (not the system's spssau) leaves a subsystem score at 0 in cyg2019: the
    # assessment marks those rows (floor_zero) and its problems carry the system's coded warning
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        cyg, _ = assess_file(CYG, "cyg2019", preset="panel")
    assert "single_indicator_subsystem" in {p.code for p in cyg.problems}
    assert cyg.tables["coupling"]["floor_zero"].sum() == 2
    # the library call on its own warns with the code
    U = pd.DataFrame({"a": [0.0, 0.5], "b": [0.4, 0.6]})
    with pytest.warns(MethodWarning) as caught:
        ce_coupling(U)
    zero = next(x.message for x in caught if x.message.code == "zero_subsystem_score")
    assert zero.params["n_zero"] == 1
    assert Problem(str(zero), code=zero.code, params=zero.params).render("en") == str(zero)


def test_data_issues_sheet_in_one_language(cyg: Assessment, tmp_path: Path) -> None:
    zh = load_workbook(cyg.to_excel(tmp_path / "zh.xlsx", lang="zh"))["数据问题"]
    en = load_workbook(cyg.to_excel(tmp_path / "en.xlsx", lang="en"))["Data issues"]
    zh_text = " ".join(str(c.value) for row in zh.iter_rows(min_row=5) for c in row if c.value)
    en_text = " ".join(str(c.value) for row in en.iter_rows(min_row=5) for c in row if c.value)
    assert "子系统 科技创新、治理体系、基础设施 只有一个指标" in zh_text
    assert "警告" in zh_text and "warning" not in zh_text
    assert "subsystem(s) Innovation, Governance, Infrastructure have a single indicator" in en_text
    assert not re.search(r"[\u4e00-\u9fff]", en_text.replace("cyg2019", ""))


def test_findings_read_off_the_tables(munnell: Assessment) -> None:
    """Each number in the findings equals the same number computed here from the tables
    with pandas: mean D and its change, the latest grade counts, best/worst, improvers,
    group means. Rows whose C = D = 0 comes from the normalisation floor (floor_zero) state no
    level and are left out of them."""
    cc = munnell.tables["coupling"]
    assert cc["floor_zero"].any()  # one state-year of the Munnell panel sits at the floor
    cc = cc[~cc["floor_zero"].to_numpy(dtype=bool)]
    D = cc["D"]
    by_year = D.groupby(level="year").mean()
    found = key_findings(munnell)
    zh = [f[0] for f in found]
    assert zh[0].startswith(f"1986 年耦合协调度 D 平均为 {by_year[1986]:.3f}")
    assert (
        f"较 1970 年的 {by_year[1970]:.3f}上升（变化 {by_year[1986] - by_year[1970]:+.3f}" in zh[0]
    )
    rising = int((np.diff(by_year.to_numpy()) > 0).sum())
    assert f"16 个年度变化中 {rising} 个为上升" in zh[0]
    latest = cc.xs(1986, level="year")
    counts = latest["level_zh"].value_counts()
    for level, n in counts.items():
        assert f"{level} {n} 个" in zh[1]
    assert sum(int(n) for n in re.findall(r"(\d+) 个", zh[1].split("：")[1])) == 48
    best, worst = latest["D"].idxmax(), latest["D"].idxmin()
    assert f"最高的是 {best}（D = {latest['D'].max():.3f}" in zh[2]
    assert f"最低的是 {worst}（D = {latest['D'].min():.3f}" in zh[2]
    change = (D.xs(1986, level="year") - D.xs(1970, level="year")).sort_values(ascending=False)
    improvers = next(f for f in zh if "上升的城市有" in f)
    assert f"上升的城市有 {int((change > 0).sum())} 个" in improvers
    assert f"{change.index[0]}（{change.iloc[0]:+.3f}）" in improvers
    groups = next(f for f in zh if "各组平均 D" in f)
    label = latest.index.map(munnell.meta["groups"])
    for g, v in latest["D"].groupby(label).mean().items():
        assert f"{g} {v:.3f}" in groups
    dist = grade_distribution(munnell)
    # every city-year counted; the floor rows apart, as their own last row (grade 0)
    assert dist["count"].sum() == len(munnell.tables["coupling"])
    assert dist.index.is_monotonic_decreasing and dist.loc[0, "count"] == 1
    assert dist["share"].sum() == pytest.approx(1.0)


def test_words_instead_of_symbols(munnell: Assessment, tmp_path: Path) -> None:
    wb = load_workbook(munnell.to_excel(tmp_path / "m.xlsx", lang="zh"))
    beta = [c.value for row in wb["区域差异"].iter_rows() for c in row if isinstance(c.value, str)]
    assert "收敛系数 β" in beta and "95% 置信区间下限" in beta and "beta" not in beta
    terms = [c.value for row in wb["影响因素"].iter_rows() for c in row if c.value is not None]
    assert "常数项" in terms and "误差标准差的对数" in terms
    assert not {"Intercept", "const", "log_sigma", "ci_low", "tau"} & set(terms)
    heads = [c.value for c in wb["耦合协调"][4] if c.value]
    assert "滞后子系统" in heads
    col = heads.index("滞后子系统") + 1
    ws = wb["耦合协调"]
    lagging = {ws.cell(r, col).value for r in range(5, 40) if ws.cell(r, col).value}
    assert lagging and not any(re.search(r"[a-z]", v) for v in lagging)  # Chinese names
    assert value_label("G_nb", "en") == "Net between-group contribution"
    assert value_label("industry", "zh", {"industry": ("现代产业", "Industry")}) == "现代产业"


def test_caveats_on_factors_and_spillover(munnell: Assessment, tmp_path: Path) -> None:
    wb = load_workbook(munnell.to_excel(tmp_path / "m.xlsx", lang="zh"))
    factors = " ".join(str(c.value) for row in wb["影响因素"].iter_rows() for c in row if c.value)
    assert "城市固定效应" in factors and "符号和显著性因此可能不同" in factors
    assert "含城市虚拟变量的最小二乘拟合优度" in factors
    synergy = " ".join(str(c.value) for row in wb["协同关系"].iter_rows() for c in row if c.value)
    assert "共同的时间趋势" in synergy and "--spatial" in synergy
    methods = " ".join(str(c.value) for row in wb["方法"].iter_rows() for c in row if c.value)
    assert "注意：影响因素" in methods and "注意：空间溢出" in methods
    en = load_workbook(munnell.to_excel(tmp_path / "e.xlsx", lang="en"))
    text = " ".join(str(c.value) for row in en["Factors"].iter_rows() for c in row if c.value)
    assert "Caveat: the two regressions answer different questions" in text


def test_number_formats_by_unit(cyg: Assessment, tmp_path: Path) -> None:
    assert unit_format("亿元") == "#,##0.00"
    assert unit_format("%") == "0.0"
    assert unit_format("条") == "#,##0"
    assert unit_format("万人") is None  # a measured quantity: MEASURE_FORMAT
    assert unit_label("亿元", "en") == "100 million yuan"
    assert unit_label("元/人", "en") == "yuan/persons"
    assert unit_label("not stated", "zh") == "未注明"
    ws = load_workbook(cyg.to_excel(tmp_path / "c.xlsx"))["原始数据"]
    fmt = {ws.cell(4, j).value: ws.cell(6, j).number_format for j in range(3, ws.max_column + 1)}
    units = {ws.cell(4, j).value: ws.cell(5, j).value for j in range(3, ws.max_column + 1)}
    for head, unit in units.items():
        assert fmt[head] == (unit_format(unit) or MEASURE_FORMAT), head
    cells = {
        ws.cell(r, c).alignment.vertical
        for r in range(4, 8)
        for c in range(1, 6)
        if ws.cell(r, c).value is not None
    }
    assert cells == {"center"}  # one vertical alignment


def test_one_row_order(cyg: Assessment, tmp_path: Path) -> None:
    """Rows follow the input file (重庆, 成都, 贵阳), not code-point order, on every sheet;
    ``city_order`` sets another order."""
    assert cyg.meta["city_order"] == ["重庆", "成都", "贵阳"]
    wb = load_workbook(cyg.to_excel(tmp_path / "c.xlsx"))
    for sheet in ("原始数据", "子系统得分", "综合评价", "耦合协调"):
        ws = wb[sheet]
        first = 6 if sheet == "原始数据" else 5
        assert [ws.cell(r, 1).value for r in range(first, first + 3)] == ["重庆", "成都", "贵阳"]
    summary = [c.value for c in wb["摘要"]["A"] if c.value in CYG_EN]
    assert summary == ["重庆", "成都", "贵阳"]
    wb = load_workbook(cyg.to_excel(tmp_path / "o.xlsx", city_order=["贵阳", "成都", "重庆"]))
    ws = wb["综合评价"]
    assert [ws.cell(r, 1).value for r in range(5, 8)] == ["贵阳", "成都", "重庆"]


def test_english_city_names(cyg: Assessment, tmp_path: Path) -> None:
    wb = load_workbook(cyg.to_excel(tmp_path / "e.xlsx", lang="en", names_en=CYG_EN))
    ws = wb["Composite"]
    assert [ws.cell(r, 1).value for r in range(5, 8)] == ["Chongqing", "Chengdu", "Guiyang"]
    findings = " ".join(str(c.value) for c in wb["Summary"]["A"] if c.value)
    assert "Chengdu has the highest D" in findings
    assert not re.search(r"[\u4e00-\u9fff]", findings)


def test_title_option_and_brief_from_the_cli(cyg: Assessment, tmp_path: Path) -> None:
    out, brief = tmp_path / "r.xlsx", tmp_path / "b.docx"
    args = ["assess", str(CYG), "-s", "cyg2019", "-o", str(out), "--brief", str(brief)]
    res = CliRunner().invoke(app, [*args, "--title", "成渝贵协同发展评估（测试）"])
    assert res.exit_code == 0, res.output
    assert load_workbook(out)["摘要"]["A1"].value == "成渝贵协同发展评估（测试）"
    doc = Document(str(brief))
    assert doc.paragraphs[0].text == "成渝贵协同发展评估（测试）"
    text = "\n".join(p.text for p in doc.paragraphs)
    mean_d = cyg.tables["coupling"]["D"].mean()
    assert "主要结论" in text and f"耦合协调度 D 平均为 {mean_d:.3f}" in text


def test_brief_content(cyg: Assessment, tmp_path: Path) -> None:
    """The D table holds every city in input order with D and its level, the level cell
    shaded; figures given are embedded, else native tables."""
    doc = build_brief(cyg, "zh")
    d_table = doc.tables[0]
    rows = [[c.text for c in r.cells] for r in d_table.rows]
    latest = cyg.tables["coupling"].xs(2019, level="year")
    assert [r[0] for r in rows[1:]] == ["重庆", "成都", "贵阳"]
    for r in rows[1:]:
        assert r[1] == f"{latest.loc[r[0], 'D']:.3f}" and r[2] == latest.loc[r[0], "level_zh"]
    shade = d_table.rows[1].cells[2]._tc.xml
    grade = int(latest.loc[rows[1][0], "grade"])
    assert f'w:fill="{grade_colour(grade)}"' in shade  # the level's colour
    assert len(doc.inline_shapes) == 0 and len(doc.tables) == 3
    png = tmp_path / "d.png"
    png.write_bytes(
        bytes.fromhex(
            "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
            "1f15c4890000000d49444154789c6360f8cfc0000003010100c9fe92ef"
            "0000000049454e44ae426082"
        )
    )
    with_fig = build_brief(cyg, "en", figures={"d_by_city": png})
    assert len(with_fig.inline_shapes) == 1
    captions = [p.text for p in with_fig.paragraphs if p.text.startswith("Figure 1.")]
    assert captions == ["Figure 1. Coupling coordination degree by city"]


def test_both_languages(cyg: Assessment, tmp_path: Path) -> None:
    """``lang="both"``: Chinese sheet names, headers in Chinese over English, each finding in
    Chinese then English, the English title under the Chinese one."""
    wb = load_workbook(cyg.to_excel(tmp_path / "b.xlsx", lang="both"))
    assert wb.sheetnames[0] == "摘要" and "运行信息" in wb.sheetnames
    assert wb["综合评价"]["E4"].value == "相对贴近度\nRelative closeness"
    ws = wb["摘要"]
    assert ws["A1"].value.startswith("成渝贵城市群") and ws["A2"].value.startswith("Chengdu")
    first = ws["A5"].value
    assert first.startswith("1. 2019 年耦合协调度 D 平均为") and "\nIn 2019 the mean" in first


def test_reader_problems_carry_codes() -> None:
    """The reader's warnings a report keeps (footnote rows, unknown columns, qualified
    values) carry a code and their parameters, so they are worded in either language; the
    stored English text is unchanged."""
    import coordeval as ce
    from coordeval.io.read import read_data

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        data = read_data(ROOT / "tests" / "data" / "wide_utf8.csv", ce.load_system("synergy7"))
    by_code = {p.code: p for p in data.problems if p.code}
    assert {"footnote_row", "unknown_column", "qualifier"} <= set(by_code)
    q = by_code["qualifier"]
    assert q.render("en") == q.message
    assert re.fullmatch(
        r".+：读作 [\d.]+；年鉴标注为(近似值|下限（[>≥]）|上限（[<≤]）)", q.render("zh")
    )
    col = by_code["unknown_column"]
    assert col.render("zh").startswith(f"列“{col.params['column']}”不是指标体系中的指标")
    rest = col.render("zh").replace(col.params["column"], "")
    rest = rest.replace(col.params.get("suggestion", "-"), "")  # an indicator id
    assert not re.search(r"[A-Za-z]{4,}", rest)


QIANZHONG = ROOT / "data" / "qianzhong_plan_2022_2025.csv"
_CJK = re.compile(r"[\u4e00-\u9fff]")


def _header_rows(ws) -> list[str]:
    """The title, the note and the header row (row 4) of a sheet, as text."""
    cells = [ws["A1"].value, ws["A2"].value, *(c.value for c in ws[4])]
    return [str(v) for v in cells if v is not None]


def test_targets_workbook_in_the_report_language(tmp_path: Path) -> None:
    """The plan-target workbook (``coordeval demo``'s qianzhong2025) in one language: sheet
    names, titles, notes, headers, the methods and the codes of the target columns."""
    from coordeval.report.targets import write_targets_report

    zh = load_workbook(write_targets_report(QIANZHONG, "qianzhong2025", tmp_path / "zh.xlsx"))
    assert zh.sheetnames == ["摘要", "方法", "目标达成", "原始数据"]
    for ws in zh.worksheets:
        heads = _header_rows(ws)
        assert heads and not any(re.search(r"[A-Za-z]", h) for h in heads), (ws.title, heads)
    rows = list(zh["目标达成"].iter_rows(min_row=5, values_only=True))
    heads = [c.value for c in zh["目标达成"][4]]
    kinds = {r[heads.index("目标类型")] for r in rows}
    assert kinds == {"水平值", "年均增速", "非数值目标"}
    assert [r[heads.index("状态")] for r in rows].count("基期当年，进度未评") == 20
    assert "按国家及省下达" in {r[heads.index("目标限定")] for r in rows}
    methods = [c.value for c in zh["方法"]["B"][4:]]
    assert methods[0].startswith("完成进度 =")
    assert [c.value for c in zh["方法"]["A"][4:]] == ["完成进度", "状态", "增速目标"]
    summary = {r[0]: r[1] for r in zh["摘要"].iter_rows(min_row=5, values_only=True)}
    assert summary["指标数"] == "29" and summary["状态：基期当年，进度未评"] == "20"

    en = load_workbook(
        write_targets_report(QIANZHONG, "qianzhong2025", tmp_path / "en.xlsx", lang="en")
    )
    assert en.sheetnames == ["Summary", "Methods", "Targets", "Data"]
    for ws in en.worksheets:
        assert not any(_CJK.search(h) for h in _header_rows(ws)), ws.title
    heads = [c.value for c in en["Targets"][4]]
    first = next(en["Targets"].iter_rows(min_row=5, max_row=5, values_only=True))
    assert first[heads.index("Category")] == "Overall strength"
    assert first[heads.index("Unit")] == "100 million yuan"
    assert first[heads.index("Status")] == "no time elapsed"
    text = [v for r in en["Targets"].iter_rows(min_row=5, values_only=True) for v in r]
    assert not any(isinstance(v, str) and _CJK.search(v) for v in text)


def test_targets_sheet_of_the_report_in_english(tmp_path: Path) -> None:
    """``assess --targets``: the report's 目标达成 sheet follows ``lang`` too."""
    from coordeval.analysis.targets import read_targets

    a = _assess(CYG, "cyg2019", targets=read_targets(QIANZHONG))
    en = load_workbook(a.to_excel(tmp_path / "en.xlsx", lang="en"))["Targets"]
    assert not any(_CJK.search(h) for h in _header_rows(en))
    heads = [c.value for c in en[4]]
    assert {"Indicator", "Target type", "Status", "Reason"} <= set(heads)
    statuses = {r[heads.index("Status")] for r in en.iter_rows(min_row=5, values_only=True)}
    assert statuses <= {"met", "on track", "behind", "no time elapsed", "not assessable"}
    zh = load_workbook(a.to_excel(tmp_path / "zh.xlsx", lang="zh"))["目标达成"]
    assert not any(re.search(r"[A-Za-z]", h) for h in _header_rows(zh))


def test_coded_reader_problems_in_the_report_language(cyg: Assessment, tmp_path: Path) -> None:
    """Problems that arrive with a code from the reader are worded in the report language on
    the 数据问题 sheet (Chinese in zh, the stored English text in en, both lines in both);
    a problem without a code keeps its text."""
    from dataclasses import replace

    read = Problem(
        "建成区绿化覆盖率: read as 48.0; the yearbook marks it as a lower bound (>)",
        file="data.csv",
        cell="line 5, column 5",
        value=">48",
        severity="warning",
        code="qualifier",
        params={"label": "建成区绿化覆盖率", "value": 48.0, "qualifier": "greater_than"},
    )
    dropped = Problem(
        "city-year 成都 2019 dropped: no usable value for 专利 (1 value(s))",
        severity="warning",
        code="row_dropped",
        params={"city": "成都", "year": 2019, "labels": "专利", "n": 1},
    )
    plain = Problem("a remark without a code", severity="info")
    a = replace(cyg, problems=[read, dropped, plain])

    def messages(lang: str) -> list[str]:
        wb = load_workbook(a.to_excel(tmp_path / f"{lang}.xlsx", lang=lang))
        ws = wb[sheet_name("数据问题", lang)]
        heads = [c.value for c in ws[4]]
        col = next(i for i, h in enumerate(heads) if h.startswith(("说明", "Message")))
        return [r[col] for r in ws.iter_rows(min_row=5, values_only=True)]

    assert messages("zh") == [
        "建成区绿化覆盖率：读作 48.0；年鉴标注为下限（>）",
        "成都 2019 已剔除：专利 无可用数值（1 个）",
        "a remark without a code",
    ]
    assert messages("en") == [read.message, dropped.message, plain.message]
    both = messages("both")
    assert both[0] == "建成区绿化覆盖率：读作 48.0；年鉴标注为下限（>）\n" + read.message
    assert both[2] == plain.message
    zh = load_workbook(tmp_path / "zh.xlsx")["数据问题"]
    assert {r[0] for r in zh.iter_rows(min_row=5, values_only=True)} <= {"警告", "提示"}
    assert "第 5 行第 5 列" in [c.value for row in zh.iter_rows(min_row=5) for c in row]


def test_page_one_bar_chart_labels_every_state(munnell: Assessment, cyg: Assessment) -> None:
    """48 states: a horizontal bar chart tall enough for a label on every bar (tick-label
    skip 1, font ≥ 6 pt), fitting on page 1 at the sheet's print scale; a few cities keep the
    column chart with the program's own labels."""
    from coordeval.report import _pages
    from coordeval.report.summary import CHART_FRAME_CM, MIN_LABEL_PT, TITLE_ROW_PT
    from coordeval.report.workbook import build_workbook

    ws = build_workbook(munnell, "zh")[0]["摘要"]
    (chart,) = ws._charts
    assert chart.type == "bar" and len(chart.series[0].dPt) == 48
    assert chart.x_axis.tickLblSkip == 1 and chart.x_axis.tickMarkSkip == 1
    size = chart.x_axis.txPr.p[0].pPr.defRPr.sz / 100
    per_city_pt = (chart.height - CHART_FRAME_CM) / 48 / 2.54 * 72
    assert MIN_LABEL_PT <= size <= per_city_pt / 1.2  # each label has its own line
    page_pt = _pages.page_height_pt(ws.page_setup.scale)
    above = TITLE_ROW_PT + 2 * _pages.DEFAULT_ROW_PT
    assert above + chart.height / 2.54 * 72 <= page_pt  # the chart fits on page 1
    breaks = [b.id for b in ws.row_breaks.brk]
    rows = sum(ws.row_dimensions[r].height for r in range(4, (breaks or [ws.max_row])[0] + 1))
    assert rows >= chart.height / 2.54 * 72  # no page break cuts it (row heights all set)
    (small,) = build_workbook(cyg, "zh")[0]["摘要"]._charts
    assert small.type == "col" and small.x_axis.tickLblSkip is None
