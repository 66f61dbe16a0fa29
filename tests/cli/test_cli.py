"""The command line through Typer's runner and through a real subprocess."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

import coordeval as ce
from coordeval.cli import app
from coordeval.datasets import DATASETS

runner = CliRunner()
DATA = Path(__file__).resolve().parents[2] / "data"


def sha(p: Path) -> str:
    return hashlib.sha256(p.read_bytes()).hexdigest()


def write_csv(path: Path, text: str, encoding: str = "utf-8-sig") -> Path:
    path.write_bytes(text.encode(encoding))
    return path


SYSTEM = """
name = "cli"
[[subsystems]]
id = "economy"
name_zh = "经济"
name_en = "Economy"
[[subsystems.indicators]]
id = "gdp"
name_zh = "地区生产总值"
name_en = "GDP"
unit = "亿元"
direction = "+"
[[subsystems.indicators]]
id = "unemployment"
name_zh = "城镇登记失业率"
name_en = "Unemployment"
unit = "%"
direction = "-"
[[subsystems]]
id = "ecology"
name_zh = "生态环境"
name_en = "Ecology"
[[subsystems.indicators]]
id = "green"
name_zh = "建成区绿化覆盖率"
name_en = "Green coverage"
unit = "%"
direction = "+"
[[subsystems.indicators]]
id = "pm25"
name_zh = "PM2.5年均浓度"
name_en = "PM2.5"
unit = "μg/m³"
direction = "-"
"""

GOOD = """城市,年份,地区生产总值(亿元),城镇登记失业率(%),建成区绿化覆盖率(%),PM2.5年均浓度
甲,2019,100,3.1,40,35
乙,2019,250,2.5,42,30
丙,2019,180,4.0,38,45
甲,2020,110,3.3,41,33
乙,2020,260,2.9,43,29
丙,2020,185,3.8,39,40
"""


@pytest.fixture
def files(tmp_path: Path) -> dict[str, Path]:
    system = tmp_path / "cli.toml"
    system.write_text(SYSTEM, encoding="utf-8")
    return {"system": system, "good": write_csv(tmp_path / "good.csv", GOOD), "dir": tmp_path}


def test_assess_writes_report_and_model(files: dict[str, Path]) -> None:
    out = files["dir"] / "out" / "r.xlsx"
    model = files["dir"] / "m.json"
    before = sha(files["good"])
    res = runner.invoke(
        app,
        [
            "assess",
            str(files["good"]),
            "--system",
            str(files["system"]),
            "-o",
            str(out),
            "--model-out",
            str(model),
        ],
    )
    assert res.exit_code == 0, res.output
    wb = load_workbook(out)
    assert {"权重", "子系统得分", "综合评价", "数据问题"} <= set(wb.sheetnames)
    assert json.loads(model.read_text(encoding="utf-8"))["format"] == "coordeval-model"
    assert sha(files["good"]) == before


def test_validate_lists_every_problem_with_cells(files: dict[str, Path]) -> None:
    bad = write_csv(files["dir"] / "bad.csv", GOOD.replace("250", "abc").replace("45\n", "x\n"))
    res = runner.invoke(app, ["validate", str(bad), "--system", str(files["system"])])
    assert res.exit_code == 1
    assert "abc" in res.output and "'x'" in res.output
    assert "line 3" in res.output and "line 4" in res.output
    assert "Traceback" not in res.output


def test_fit_then_template(files: dict[str, Path]) -> None:
    model = files["dir"] / "m.json"
    assert (
        runner.invoke(
            app, ["fit", str(files["good"]), "-s", str(files["system"]), "-o", str(model)]
        ).exit_code
        == 0
    )
    tpl = files["dir"] / "t.xlsx"
    res = runner.invoke(app, ["template", "-s", str(files["system"]), "-o", str(tpl)])
    assert res.exit_code == 0, res.output
    ws = load_workbook(tpl)["数据"]
    assert [c.value for c in ws[1]][:3] == ["城市", "年份", "地区生产总值"]
    assert ws["C2"].value == "亿元"


def test_template_reads_back_as_data(files: dict[str, Path]) -> None:
    """A filled-in template is read by the same reader (header + units row)."""
    from coordeval import load_system, read_panel

    tpl = files["dir"] / "t.xlsx"
    runner.invoke(app, ["template", "-s", str(files["system"]), "-o", str(tpl)])
    wb = load_workbook(tpl)
    ws = wb["数据"]
    for r, row in enumerate([["甲", 2019, 1, 2, 3, 4], ["乙", 2019, 2, 3, 4, 5]], start=3):
        for c, v in enumerate(row, start=1):
            ws.cell(row=r, column=c, value=v)
    wb.save(tpl)
    panel = read_panel(tpl, load_system(files["system"]))
    assert panel.shape == (2, 4)
    assert panel.loc[("乙", 2019), "pm25"] == 5


def test_usage_error_exit_code_2(files: dict[str, Path]) -> None:
    assert runner.invoke(app, ["assess", str(files["good"])]).exit_code == 2


def test_bad_system_exit_1(files: dict[str, Path]) -> None:
    res = runner.invoke(app, ["validate", str(files["good"]), "-s", "nope"])
    assert res.exit_code == 1
    assert "not found" in res.output


def test_demo_list() -> None:
    res = runner.invoke(app, ["demo", "--list"])
    assert res.exit_code == 0
    for d in DATASETS:
        assert d.name in res.output


def test_demo_subprocess(tmp_path: Path) -> None:
    """`coordeval demo` as a user runs it: one workbook per shipped dataset, exit 0."""
    exe = Path(sys.executable).with_name("coordeval")
    cmd = [str(exe)] if exe.exists() else [sys.executable, "-m", "coordeval"]
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST")}
    res = subprocess.run(
        [*cmd, "demo", "-o", str(tmp_path)],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
        check=False,
    )
    assert res.returncode == 0, res.stderr
    for d in DATASETS:
        assert (tmp_path / f"{d.name}.xlsx").exists()
    assert "Traceback" not in res.stderr
    # the monitoring demo: a history built by scoring 1981..1986 one file at a time
    history = pd.read_csv(tmp_path / "munnell_monitoring" / "scores" / "scores.csv")
    assert sorted(set(history["year"])) == list(range(1981, 1987))
    assert history.groupby("year")["source_file"].nunique().eq(1).all()
    wb = load_workbook(tmp_path / "munnell_monitoring.xlsx", read_only=True)
    assert "等级转移" in wb.sheetnames
    wb.close()
    # figures beside the reports (the figures extra is in the dev install): the state map
    for name in ("cyg2019", "capitals2018", "munnell"):
        assert (tmp_path / f"{name}_figures" / "d_by_city.png").exists()
    assert (tmp_path / "munnell_figures" / "trends.svg").exists()
    # the shipped state coordinates feed the spatial analyses: their figures, and the key
    # figures on the report's 图表 sheet after 趋势
    for name in ("lisa", "hot_spots", "centre_of_gravity"):
        assert (tmp_path / "munnell_figures" / f"{name}.png").exists()
    wb = load_workbook(tmp_path / "munnell.xlsx")
    assert "空间自相关" in wb.sheetnames
    assert wb.sheetnames.index("图表") == wb.sheetnames.index("趋势") + 1
    assert len(wb["图表"]._images) == 7  # REPORT_FIGURES less geodetector (no factors)


def test_invalid_input_subprocess_no_traceback(files: dict[str, Path]) -> None:
    bad = write_csv(files["dir"] / "bad.csv", GOOD.replace("250", "abc"))
    res = subprocess.run(
        [
            sys.executable,
            "-m",
            "coordeval",
            "assess",
            str(bad),
            "-s",
            str(files["system"]),
            "-o",
            str(files["dir"] / "x.xlsx"),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert res.returncode == 1
    assert "Traceback" not in res.stderr
    assert "abc" in res.stderr
    assert not (files["dir"] / "x.xlsx").exists()


def test_coupling_and_grades_options_reach_the_model(tmp_path: Path) -> None:
    """--coupling fan2024 --grades spssau: the saved model and the report use them; the D in
    the report equals √(C·T) with C = 1 − 2·SD(U) (population SD) of the reported scores."""
    out, model = tmp_path / "r.xlsx", tmp_path / "m.json"
    args = ["assess", str(DATA / "cyg2019.csv"), "-s", "cyg2019", "-o", str(out)]
    args += ["--model-out", str(model), "--coupling", "fan2024", "--grades", "spssau"]
    res = runner.invoke(app, args)
    assert res.exit_code == 0, res.output
    conv = json.loads(model.read_text(encoding="utf-8"))["conventions"]
    assert (conv["coupling"], conv["grades"]) == ("fan2024", "spssau")
    wb = load_workbook(out, read_only=True)
    rows = list(wb["耦合协调"].iter_rows(min_row=5, max_row=7, values_only=True))
    wb.close()
    assert sorted(r[0] for r in rows) == ["成都", "贵阳", "重庆"]
    assert all(r[5] == int(10 * r[4]) + 1 for r in rows)  # spssau grade floor(10·D) + 1
    for _city, _year, C, T, D, *_ in rows:
        assert D == pytest.approx((C * T) ** 0.5, abs=1e-12)
    bad = runner.invoke(app, [*args[:6], "--coupling", "bogus"])
    assert bad.exit_code == 2 and "bogus" in bad.output  # a usage error naming the choices
    assert all(m in bad.output for m in ("classic", "wang2021", "fan2024"))


def test_version_alone() -> None:
    res = runner.invoke(app, ["--version"])
    assert res.exit_code == 0 and res.output.strip() == ce.__version__


@pytest.mark.parametrize(
    ("option", "name"),
    [("-o", "x.csv"), ("--model-out", "m.xlsx"), ("--brief", "b.pdf")],
)
def test_output_suffix_must_match_the_format(tmp_path: Path, option: str, name: str) -> None:
    """An output whose suffix does not match what is written is a usage error; nothing is
    written."""
    args = ["assess", str(DATA / "cyg2019.csv"), "-s", "cyg2019", "-o", str(tmp_path / "r.xlsx")]
    if option == "-o":
        args[-1] = str(tmp_path / name)
    else:
        args += [option, str(tmp_path / name)]
    res = runner.invoke(app, args)
    assert res.exit_code == 2, res.output
    assert name in res.output and not list(tmp_path.iterdir())


def test_wrong_lang_is_a_usage_error_before_any_work(tmp_path: Path) -> None:
    args = ["assess", str(tmp_path / "missing.csv"), "-s", "cyg2019"]
    res = runner.invoke(app, [*args, "-o", str(tmp_path / "r.xlsx"), "--lang", "english"])
    assert res.exit_code == 2  # before the (missing) data file is looked at
    assert "english" in res.output and all(c in res.output for c in ("'zh'", "'en'", "'both'"))
    assert "not found" not in res.output and "Traceback" not in res.output


def test_each_message_printed_once(tmp_path: Path) -> None:
    res = subprocess.run(
        [
            sys.executable,
            "-m",
            "coordeval",
            "assess",
            str(tmp_path / "nope.csv"),
            "-s",
            "cyg2019",
            "-o",
            str(tmp_path / "r.xlsx"),
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert res.returncode == 1
    assert res.stderr.count("not found") == 1, res.stderr


def test_help_names_the_choices() -> None:
    res = runner.invoke(app, ["assess", "--help"], env={"COLUMNS": "200"})
    assert res.exit_code == 0
    for choices in ("zh|en|both", "classic|wang2021|fan2024", "error|drop|interpolate"):
        assert choices in res.output
    out = runner.invoke(app, ["score", "--help"], env={"COLUMNS": "200"}).output
    reports = next(line for line in out.splitlines() if "--reports" in line)
    assert "<bool>" not in reports


def test_fit_names_the_cells_of_a_bad_file_as_assess_does(files: dict[str, Path]) -> None:
    """A file whose ecology indicators do not vary: fit and assess both refuse it, naming the
    file and the cells (issue 16: fit used to name no cell), with the same problems."""
    flat = GOOD.replace(",40,35", ",40,30").replace(",42,30", ",40,30").replace(",38,45", ",40,30")
    flat = flat.replace(",41,33", ",40,30").replace(",43,29", ",40,30").replace(",39,40", ",40,30")
    bad = write_csv(files["dir"] / "flat.csv", flat)
    model = files["dir"] / "m.json"
    report = files["dir"] / "r.xlsx"
    fit = runner.invoke(app, ["fit", str(bad), "-s", str(files["system"]), "-o", str(model)])
    assess = runner.invoke(app, ["assess", str(bad), "-s", str(files["system"]), "-o", str(report)])
    assert fit.exit_code == assess.exit_code == 1, (fit.output, assess.output)
    assert not model.exists() and not report.exists()
    lines = [ln for ln in fit.output.splitlines() if "flat.csv" in ln]
    assert lines and any("line 2" in ln for ln in lines), fit.output
    assert "ecology" in fit.output and "Traceback" not in fit.output
    assert fit.output == assess.output
