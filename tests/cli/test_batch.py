"""Batch scoring of new years against a saved model (coordeval.batch, ``coordeval score``).

Real data: the Munnell (1990) US-states panel ``data/munnell_states_1970_1986.csv`` with the
``indices/munnell.toml`` system. A model is fitted on 1970–1980 and saved; 1981–1986 are
written as six one-year files (CSV and Excel, wide and long layouts) plus one broken file.

Every number in ``scores.csv`` is checked against a brute-force implementation of the
definitions written out in this file (min-max with the fitted bounds, weighted sums, TOPSIS
closeness to z′ = 1 / z′ = 0, classic coupling C = n(ΠU)^{1/n}/ΣU, T = mean U, D = √(CT),
ten grades on (a, b]), and against ``model.transform`` + ``coupling_coordination``, to 1e-12.
The fitted bounds themselves are checked against the column minima and maxima of the fit
years (the system has no goalposts).

Definitions: TOPSIS closeness d⁻/(d⁺ + d⁻) (Hwang, C.-L. & Yoon, K. 1981, Multiple Attribute
Decision Making, Springer); classic coupling C, T, D (廖重斌 1999, 热带地理 19(2):171-177); ten
D grades on (a, b] (田深圳 et al. 2021, 地理学报 76(4):781, Table 1); formula escaping (OWASP,
"CSV Injection", https://owasp.org/www-community/attacks/CSV_Injection).
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook
from typer.testing import CliRunner

from coordeval import batch
from coordeval.analysis.coupling import coupling_coordination
from coordeval.batch import (
    FORMULA_TRIGGERS,
    expand_inputs,
    model_sha256,
    read_scores,
    score_file,
    score_files,
)
from coordeval.cli import app
from coordeval.errors import ConfigError
from coordeval.io._csvtext import escape_text, unescape_text
from coordeval.io.read import read_data
from coordeval.model import CoordinationModel, load_model
from coordeval.system import load_system

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "data" / "munnell_states_1970_1986.csv"
SYSTEM = ROOT / "indices" / "munnell.toml"
YEARS = range(1981, 1987)
FILES = {
    1981: ("1981.csv", "long"),
    1982: ("1982.xlsx", "wide"),
    1983: ("1983.csv", "wide"),
    1984: ("1984.xlsx", "long"),
    1985: ("1985.csv", "long"),
    1986: ("1986.xlsx", "wide"),
}
runner = CliRunner()


def write_year(panel: pd.DataFrame, path: Path, layout: str) -> Path:
    """Write a (city, year) panel as a wide or long CSV/Excel file."""
    frame = panel.reset_index()
    if layout == "long":
        frame = frame.melt(id_vars=["city", "year"], var_name="indicator", value_name="value")
    if path.suffix == ".csv":
        frame.to_csv(path, index=False)
    else:
        frame.to_excel(path, index=False)
    return path


@pytest.fixture(scope="module")
def setup(tmp_path_factory: pytest.TempPathFactory) -> dict:
    root = tmp_path_factory.mktemp("batch")
    system = load_system(SYSTEM)
    data = read_data(DATA, system)
    assert not data.errors
    panel = data.panel
    years = panel.index.get_level_values("year")
    fit = panel[years <= 1980]
    model = CoordinationModel(system).fit(fit)
    model_path = model.save(root / "model.json")
    inputs = root / "in"
    inputs.mkdir()
    for year, (name, layout) in FILES.items():
        write_year(panel[years == year], inputs / name, layout)
    broken = panel[years == 1986].reset_index().astype({"gsp": "object"})
    broken.loc[3, "gsp"] = "abc"
    broken.to_csv(inputs / "broken.csv", index=False)
    return {
        "root": root,
        "system": system,
        "panel": panel,
        "fit": fit,
        "new": panel[years > 1980],
        "model": load_model(model_path),
        "model_path": model_path,
        "inputs": inputs,
    }


@pytest.fixture(scope="module")
def cli_run(setup: dict) -> dict:
    """`coordeval score` through Typer's runner, in two worker processes."""
    out = setup["root"] / "cli_out"
    res = runner.invoke(
        app,
        ["score", str(setup["inputs"]), "--model", str(setup["model_path"]), "-o", str(out),
         "--jobs", "2"],
    )  # fmt: skip
    return {"res": res, "out": out, "csv": out / "scores.csv"}


def brute_force(model: CoordinationModel, panel: pd.DataFrame) -> pd.DataFrame:
    """The definitions, computed directly from the fitted bounds and weights."""
    system = model.system_
    ids = system.indicator_ids
    X = panel[ids].to_numpy()
    lo, hi = model.lo_[ids].to_numpy(), model.hi_[ids].to_numpy()
    plus = np.array([system.indicator(i).direction == "+" for i in ids])
    Z = np.where(plus, (X - lo) / (hi - lo), (hi - X) / (hi - lo))
    if model.params_["out_of_range"] == "clip":
        Z = np.clip(Z, 0, 1)
    out = pd.DataFrame(index=panel.index)
    for sub in system.subsystems:
        cols = [ids.index(i.id) for i in sub.indicators]
        w = model.within_weights_[[i.id for i in sub.indicators]].to_numpy()
        out[sub.id] = sum(w[k] * Z[:, c] for k, c in enumerate(cols))
    w = model.weights_[ids].to_numpy()
    # TOPSIS distances, one-sided beyond the fitted bounds (out_of_range="extend")
    d_plus = np.sqrt(((w * np.maximum(1 - Z, 0)) ** 2).sum(axis=1))
    d_minus = np.sqrt(((w * np.maximum(Z, 0)) ** 2).sum(axis=1))
    out["composite"] = d_minus / (d_plus + d_minus)
    U = np.clip(out[system.subsystem_ids].to_numpy(), 0, 1)
    n = U.shape[1]
    total = U.sum(axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        C = np.where(total > 0, n * np.prod(U, axis=1) ** (1 / n) / total, 0.0)
    T = U.mean(axis=1)
    out["C"], out["T"] = C, T
    out["D"] = np.sqrt(C * T)
    out["grade"] = 1 + (out["D"].to_numpy()[:, None] > np.arange(1, 10) / 10).sum(axis=1)
    flags = []
    for row in X:
        tags = [
            f"{i}>hi" if x > h else f"{i}<lo"
            for i, x, lo_, h in zip(ids, row, lo, hi, strict=True)
            if x > h or x < lo_
        ]
        flags.append("; ".join(tags))
    out["out_of_range"] = flags
    return out


def read_csv_plain(path: Path) -> pd.DataFrame:
    """scores.csv read with pandas only (no coordeval code); pandas before 3.1 parses floats
    exactly only when asked to (3.1 does by default and deprecates the argument)."""
    round_trip = tuple(int(x) for x in pd.__version__.split(".")[:2]) < (3, 1)
    return pd.read_csv(
        path,
        encoding="utf-8-sig",
        keep_default_na=False,
        **({"float_precision": "round_trip"} if round_trip else {}),
    ).set_index(["city", "year"])


def totals_from_output(text: str) -> list[int]:
    """The five numbers of the summary table row printed by the CLI."""
    rows = [
        [int(n) for n in re.findall(r"\d+", line)]
        for line in text.splitlines()
        if re.fullmatch(r"[\W_]*(?:\d+[\W_]+){4}\d+[\W_]*", line.strip())
    ]
    assert len(rows) == 1, text[-2000:]
    return rows[0]


def test_fitted_bounds_are_the_fit_extremes(setup: dict) -> None:
    """Min-max bounds without goalposts are the column extremes over all fit city-years."""
    model, fit = setup["model"], setup["fit"]
    ids = model.system_.indicator_ids
    np.testing.assert_array_equal(model.lo_[ids], fit[ids].min().to_numpy())
    np.testing.assert_array_equal(model.hi_[ids], fit[ids].max().to_numpy())


def test_cli_scores_six_years_and_lists_the_broken_file(setup: dict, cli_run: dict) -> None:
    res = cli_run["res"]
    assert res.exit_code == 3, res.output
    assert "Traceback" not in res.output
    assert "failed:" in res.output and "broken.csv" in res.output
    assert "'abc'" in res.output and "gsp" in res.output and "line 5" in res.output
    scores = read_csv_plain(cli_run["csv"])
    assert sorted(set(scores.index.get_level_values("year"))) == list(YEARS)
    assert len(scores) == 48 * 6 and scores.index.is_unique
    assert set(scores["source_file"]) == {name for name, _ in FILES.values()}
    assert set(scores["model_sha256"]) == {model_sha256(setup["model"])}
    # per file one summary of its out-of-range values (42 in all, listed per row in
    # scores.csv), one of its clipped subsystem scores and one of its zero-score rows
    assert totals_from_output(res.output) == [7, 6, 1, 288, 16]
    assert res.output.count("value(s) outside the fitted range (--out-of-range extend)") == 6
    assert res.output.count("subsystem score of exactly 0") == 5
    assert res.output.count("C, T and D use them clipped") == 5


def test_scores_equal_the_definitions_to_1e12(setup: dict, cli_run: dict) -> None:
    model, new = setup["model"], setup["new"]
    scores = read_csv_plain(cli_run["csv"]).sort_index()
    ref = brute_force(model, new).sort_index()
    cols = [*model.system_.subsystem_ids, "composite", "C", "T", "D"]
    np.testing.assert_allclose(scores[cols], ref[cols], rtol=0, atol=1e-12)
    np.testing.assert_array_equal(scores["grade"], ref["grade"])
    assert (scores["out_of_range"] == ref["out_of_range"]).all()
    levels = ["极度失调", "严重失调", "中度失调", "轻度失调", "濒临失调", "勉强协调"]
    levels += ["初级协调", "中级协调", "良好协调", "优质协调"]
    assert (scores["level_zh"] == [levels[g - 1] for g in ref["grade"]]).all()
    with pytest.warns(Warning, match="outside the fitted range"):
        transformed = model.transform(new).sort_index()
    with pytest.warns(Warning, match="exactly 0"):
        cc = coupling_coordination(transformed[model.system_.subsystem_ids].clip(0, 1))
    np.testing.assert_allclose(scores[transformed.columns], transformed, rtol=0, atol=1e-12)
    np.testing.assert_allclose(scores[["C", "T", "D"]], cc[["C", "T", "D"]], rtol=0, atol=1e-12)
    # extended scores are kept as they are; only C, T, D use them clipped
    assert (scores[model.system_.subsystem_ids].to_numpy() > 1).any()
    assert (scores[model.system_.subsystem_ids].to_numpy() < 0).any()


def test_scores_csv_is_lossless_and_bom_encoded(cli_run: dict) -> None:
    raw = cli_run["csv"].read_bytes()
    assert raw.startswith("\ufeffcity,year,".encode())
    frame = read_csv_plain(cli_run["csv"])
    buf = io.StringIO()
    frame.reset_index().to_csv(buf, index=False, lineterminator="\n")
    assert ("\ufeff" + buf.getvalue()).encode() == raw


def test_out_of_range_cells_are_listed(setup: dict, cli_run: dict) -> None:
    model, new = setup["model"], setup["new"]
    ids = model.system_.indicator_ids
    X = new[ids].to_numpy()
    outside = (X > model.hi_[ids].to_numpy()) | (X < model.lo_[ids].to_numpy())
    assert outside.sum() > 0
    # one summary per file, whose counts add up to every value outside, each also tagged
    # in its row of scores.csv; --verbose lists them one by one
    counts = re.findall(r"(\d+) value\(s\) outside the fitted range", cli_run["res"].output)
    assert sum(map(int, counts)) == outside.sum()
    assert "is above the fitted range" not in cli_run["res"].output
    tags = read_csv_plain(cli_run["csv"])["out_of_range"].str.count(">hi|<lo")
    assert tags.sum() == outside.sum()
    assert "gsp: " in cli_run["res"].output and "CALIFORNIA" in cli_run["res"].output
    res = subprocess.run(
        [
            sys.executable, "-m", "coordeval", "score", str(setup["inputs"] / "1986.xlsx"),
            "--model", str(setup["model_path"]), "-o", str(setup["root"] / "verbose"),
            "--verbose", "-q",
        ],
        capture_output=True, text=True, timeout=300, env={**os.environ, "COLUMNS": "300"},
    )  # fmt: skip
    assert res.returncode == 0, res.stderr
    assert "CALIFORNIA 1986: gsp = 464550 is above the fitted range" in res.stderr


@pytest.fixture(scope="module")
def lib_run(setup: dict) -> dict:
    """The same batch through the library, sequentially (jobs=1), the model given as a path."""
    out = setup["root"] / "lib_out"
    result = score_files([setup["inputs"]], setup["model_path"], out, jobs=1)
    return {"result": result, "out": out}


def test_library_call_gives_the_same_summary_and_file(cli_run: dict, lib_run: dict) -> None:
    result, out = lib_run["result"], lib_run["out"]
    assert result.exit_code == 3
    assert result.summary().iloc[0].tolist() == totals_from_output(cli_run["res"].output)
    table = result.files_table()
    assert table["status"].tolist() == ["ok"] * 6 + ["failed"]
    assert table["rows"].tolist() == [48] * 6 + [0]
    assert "'abc'" in table["reason"].iloc[-1]
    assert (out / "scores.csv").read_bytes() == cli_run["csv"].read_bytes()


def test_second_run_adds_no_duplicates(setup: dict, cli_run: dict, tmp_path: Path) -> None:
    out = tmp_path / "out"
    shutil.copytree(cli_run["out"], out)
    before = (out / "scores.csv").read_bytes()
    again = [setup["inputs"] / "1981.csv", setup["inputs"] / "1982.xlsx"]
    result = score_files(again, setup["model"], out, jobs=1)
    assert result.exit_code == 0 and result.totals["rows"] == 96 and len(result.scores) == 288
    assert (out / "scores.csv").read_bytes() == before


def test_rescoring_one_year_replaces_its_rows(setup: dict, cli_run: dict, tmp_path: Path) -> None:
    out = tmp_path / "out"
    shutil.copytree(cli_run["out"], out)
    before = read_csv_plain(out / "scores.csv")
    years = setup["panel"].index.get_level_values("year")
    revised = setup["panel"][years == 1983].copy()
    revised.loc[("ALABAMA", 1983), "gsp"] *= 1.1
    path = write_year(revised, tmp_path / "1983_revised.csv", "wide")
    result = score_files(path, setup["model"], out)
    assert result.exit_code == 0 and result.totals["rows"] == 48
    after = read_csv_plain(out / "scores.csv")
    assert after.index.equals(before.index)
    y = after.index.get_level_values("year")
    pd.testing.assert_frame_equal(after[y != 1983], before[y != 1983])
    assert (after.loc[y == 1983, "source_file"] == "1983_revised.csv").all()
    ref = brute_force(setup["model"], revised)
    got = after.loc[("ALABAMA", 1983)]
    assert got["composite"] == pytest.approx(ref.loc[("ALABAMA", 1983), "composite"], abs=1e-12)
    assert got["composite"] > before.loc[("ALABAMA", 1983), "composite"]


@pytest.mark.parametrize("exc", [OSError("disk full"), KeyboardInterrupt()])
def test_interrupted_write_keeps_the_previous_file(
    setup: dict, cli_run: dict, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, exc: BaseException
) -> None:
    out = tmp_path / "out"
    shutil.copytree(cli_run["out"], out)
    before = (out / "scores.csv").read_bytes()
    years = setup["panel"].index.get_level_values("year")
    changed = setup["panel"][years == 1981] * 1.01
    path = write_year(changed, tmp_path / "1981b.csv", "wide")

    def fail(src: object, dst: object) -> None:
        assert Path(str(src)).exists()  # the temporary file was written completely
        raise exc

    monkeypatch.setattr(os, "replace", fail)
    expected = ConfigError if isinstance(exc, OSError) else KeyboardInterrupt
    with pytest.raises(expected):
        score_files(path, setup["model"], out, jobs=1)
    monkeypatch.undo()
    assert (out / "scores.csv").read_bytes() == before
    assert sorted(p.name for p in out.iterdir()) == [".scores.csv.lock", "scores.csv"]


def test_parallel_output_identical_to_sequential(
    setup: dict, cli_run: dict, lib_run: dict, tmp_path: Path
) -> None:
    # the whole batch: two workers (CLI run) and sequential (library run)
    assert cli_run["csv"].read_bytes() == (lib_run["out"] / "scores.csv").read_bytes()
    inputs = [setup["inputs"] / n for n in ("broken.csv", "1982.xlsx")]
    seq = score_files(inputs, setup["model"], tmp_path / "seq", jobs=1)
    par = score_files(inputs, setup["model"], tmp_path / "par", jobs=2)
    assert (tmp_path / "par" / "scores.csv").read_bytes() == (
        tmp_path / "seq" / "scores.csv"
    ).read_bytes()
    assert [r.file for r in par.results] == [r.file for r in seq.results]
    assert par.files_table().equals(seq.files_table())
    assert [[str(w) for w in r.warnings] for r in par.results] == [
        [str(w) for w in r.warnings] for r in seq.results
    ]


def test_real_subprocess_exit_3(setup: dict, tmp_path: Path) -> None:
    out = tmp_path / "out"
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST")}
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT / "src"), env.get("PYTHONPATH", "")])
    res = subprocess.run(
        [sys.executable, "-m", "coordeval", "score", str(setup["inputs"] / "*.csv"),
         str(setup["inputs"] / "*.xlsx"), "--model", str(setup["model_path"]),
         "-o", str(out), "--jobs", "2"],
        capture_output=True, text=True, timeout=120, check=False, env=env,
    )  # fmt: skip
    assert res.returncode == 3, res.stderr
    assert "Traceback" not in res.stderr
    assert "broken.csv" in res.stderr and "'abc'" in res.stderr
    scores = read_csv_plain(out / "scores.csv")
    assert sorted(set(scores.index.get_level_values("year"))) == list(YEARS)
    assert len(scores) == 48 * 6


def edit_model(src: Path, dst: Path, edit) -> Path:
    data = json.loads(src.read_text(encoding="utf-8"))
    edit(data)
    dst.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return dst


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (lambda d: d["system"].update(name="edited by hand"), "does not match its recorded hash"),
        (lambda d: d["fitted"].pop("lo"), "missing fitted field(s) lo"),
        (lambda d: d.pop("fitted"), "missing field(s) fitted"),
    ],
)
def test_edited_model_file_exit_1(setup: dict, tmp_path: Path, edit, message: str) -> None:
    bad = edit_model(setup["model_path"], tmp_path / "m.json", edit)
    out = tmp_path / "out"
    res = runner.invoke(
        app, ["score", str(setup["inputs"] / "1981.csv"), "--model", str(bad), "-o", str(out)]
    )
    assert res.exit_code == 1
    assert message in res.output and "Traceback" not in res.output
    assert not out.exists()


def test_model_that_is_not_json_exit_1(setup: dict, tmp_path: Path) -> None:
    bad = tmp_path / "m.json"
    bad.write_text("{not json", encoding="utf-8")
    res = runner.invoke(app, ["score", str(setup["inputs"]), "--model", str(bad), "-o", "x"])
    assert res.exit_code == 1 and "not valid JSON" in res.output


def test_other_indicator_system_is_refused(setup: dict, tmp_path: Path) -> None:
    path = tmp_path / "cities.csv"
    path.write_text(
        "城市,年份,地区生产总值,PM2.5年均浓度,hwy\n甲,2019,100,35,5\n乙,2019,250,30,6\n",
        encoding="utf-8",
    )
    res = runner.invoke(
        app, ["score", str(path), "--model", str(setup["model_path"]), "-o", str(tmp_path / "o")]
    )
    assert res.exit_code == 1
    assert not (tmp_path / "o" / "scores.csv").exists()
    for missing in ("water", "util", "pc", "gsp", "emp", "unemp"):
        assert f"{missing} (" in res.output
    assert "地区生产总值" in res.output and "PM2.5年均浓度" in res.output
    assert "is not an indicator of the system" in res.output
    result = score_file(path, setup["model"])
    assert not result.ok and "gsp (州生产总值)" in result.reason


def test_error_policy_fails_the_file_listing_every_cell(setup: dict, tmp_path: Path) -> None:
    model = CoordinationModel(setup["system"], out_of_range="error").fit(setup["fit"])
    years = setup["panel"].index.get_level_values("year")
    year = setup["panel"][years == 1986]
    path = write_year(year, tmp_path / "1986.csv", "wide")
    ids = model.system_.indicator_ids
    X = year[ids].to_numpy()
    n_out = int(((X > model.hi_[ids].to_numpy()) | (X < model.lo_[ids].to_numpy())).sum())
    result = score_files(path, model, tmp_path / "out")
    assert result.exit_code == 1 and not result.written
    failed = result.results[0]
    assert len(failed.problems) == n_out > 0
    assert all(p.cell and p.severity == "error" for p in failed.problems)
    assert "outside the fitted range" in failed.reason


def test_clip_policy_flags_and_clips(setup: dict, tmp_path: Path) -> None:
    model = CoordinationModel(setup["system"], out_of_range="clip").fit(setup["fit"])
    years = setup["panel"].index.get_level_values("year")
    year = setup["panel"][years == 1986]
    result = score_file(write_year(year, tmp_path / "1986.csv", "wide"), model, verbose=True)
    assert result.ok
    got = result.scores.set_index(["city", "year"]).sort_index()
    ref = brute_force(model, year).sort_index()
    cols = [*model.system_.subsystem_ids, "composite", "C", "T", "D"]
    np.testing.assert_allclose(got[cols], ref[cols], rtol=0, atol=1e-12)
    assert got[model.system_.subsystem_ids].to_numpy().max() <= 1
    assert (got["out_of_range"] == ref["out_of_range"]).all()
    assert got["out_of_range"].str.len().gt(0).any()
    n_flag = sum("the fitted range [" in w.message for w in result.warnings)
    assert n_flag == len(result.out_of_range) > 0


def test_formula_text_is_escaped_and_round_trips(setup: dict, tmp_path: Path) -> None:
    """OWASP, "CSV Injection" (https://owasp.org/www-community/attacks/CSV_Injection):
    cells starting with = + - @ are prefixed with a single quote."""
    years = setup["panel"].index.get_level_values("year")
    year = setup["panel"][years == 1981].iloc[:6].reset_index()
    names = ['=HYPERLINK("http://x","y")', "+1", "-cmd", "@SUM(A1)", "'quoted", "Plain"]
    year["city"] = names
    path = write_year(year.set_index(["city", "year"]), tmp_path / "odd.csv", "wide")
    out = tmp_path / "out"
    assert score_files(path, setup["model"], out).exit_code == 0
    with (out / "scores.csv").open(encoding="utf-8-sig", newline="") as fh:
        cities = [row[0] for row in csv.reader(fh)][1:]
    assert sorted(cities) == sorted(["'" + n for n in names[:5]] + ["Plain"])
    assert not any(c.startswith(FORMULA_TRIGGERS) for c in cities)
    assert sorted(read_scores(out / "scores.csv")["city"]) == sorted(names)
    before = (out / "scores.csv").read_bytes()
    assert score_files(path, setup["model"], out).exit_code == 0
    assert (out / "scores.csv").read_bytes() == before


@settings(max_examples=40, deadline=None)
@given(st.lists(st.text(max_size=8), min_size=1, max_size=20))
def test_escaping_round_trips_and_never_leaves_a_trigger(texts: list[str]) -> None:
    s = pd.Series(texts, dtype="str")
    escaped = escape_text(s)
    assert not escaped.str.startswith(FORMULA_TRIGGERS).any()
    assert unescape_text(escaped).tolist() == texts
    untouched = ~s.str.startswith((*FORMULA_TRIGGERS, "'"))
    assert (escaped[untouched] == s[untouched]).all()


def test_model_hash_is_stable_and_history_of_another_model_is_refused(
    setup: dict, cli_run: dict, tmp_path: Path
) -> None:
    model = setup["model"]
    again = load_model(model.save(tmp_path / "again.json"))
    assert model_sha256(again) == model_sha256(model)
    other = CoordinationModel(setup["system"]).fit(setup["fit"].iloc[:-48])
    assert model_sha256(other) != model_sha256(model)
    out = tmp_path / "out"
    shutil.copytree(cli_run["out"], out)
    before = (out / "scores.csv").read_bytes()
    with pytest.raises(ConfigError) as info:
        score_files(setup["inputs"] / "1981.csv", other, out)
    assert info.value.code == "scores_other_model"
    assert info.value.params["this"] == model_sha256(other)[:12]
    other_path = other.save(tmp_path / "other.json")
    res = runner.invoke(
        app, ["score", str(setup["inputs"]), "--model", str(other_path), "-o", str(out)]
    )
    assert res.exit_code == 1 and "another model" in res.output
    assert (out / "scores.csv").read_bytes() == before


def test_expand_inputs(setup: dict, tmp_path: Path) -> None:
    folder = tmp_path / "f"
    folder.mkdir()
    for name in ("b.xlsx", "a.csv", "notes.txt", ".hidden.csv", "~$b.xlsx", "c.CSV"):
        (folder / name).write_text("x")
    empty = tmp_path / "empty"
    empty.mkdir()
    got = expand_inputs(
        [folder, str(folder / "*.csv"), folder / "notes.txt", tmp_path / "nope.csv", empty,
         str(tmp_path / "zz*.xlsx")]
    )  # fmt: skip
    assert got == [
        folder / "a.csv", folder / "b.xlsx", folder / "c.CSV", folder / "notes.txt",
        tmp_path / "nope.csv", empty, tmp_path / "zz*.xlsx",
    ]  # fmt: skip
    reasons = [score_file(p, setup["model"]).reason for p in got[-3:]]
    assert "no such file" in reasons[0]
    assert "folder has no" in reasons[1]
    assert "no data file matches" in reasons[2]


def test_nothing_to_score_and_bad_jobs(setup: dict, tmp_path: Path) -> None:
    result = score_files([], setup["model"], tmp_path / "o")
    assert result.exit_code == 1 and not result.written
    missing = score_files(tmp_path / "nope.csv", setup["model"], tmp_path / "o")
    assert missing.exit_code == 1 and "no such file" in missing.results[0].reason
    assert not (tmp_path / "o" / "scores.csv").exists()
    with pytest.raises(ConfigError) as info:
        score_files(setup["inputs"], setup["model"], tmp_path / "o", jobs=0)
    assert (info.value.code, info.value.params) == ("jobs_invalid", {"jobs": "0"})


def test_same_city_year_in_two_inputs_keeps_the_later(setup: dict, tmp_path: Path) -> None:
    years = setup["panel"].index.get_level_values("year")
    year = setup["panel"][years == 1981]
    first = write_year(year, tmp_path / "a.csv", "wide")
    second = write_year(year * 1.01, tmp_path / "b.csv", "wide")
    result = score_files([first, second], setup["model"], tmp_path / "o", jobs=1)
    assert result.exit_code == 0 and len(result.scores) == 48
    assert set(result.scores["source_file"]) == {"b.csv"}
    assert result.results[0].rows == 0 and result.results[1].rows == 48
    assert any("b.csv" in n for n in result.notes)
    assert any("later" in w.message for w in result.results[0].warnings)


def test_reports_one_workbook_per_input(setup: dict, tmp_path: Path) -> None:
    out = tmp_path / "out"
    years = setup["panel"].index.get_level_values("year")
    small = write_year(setup["panel"][years == 1981].iloc[:8], tmp_path / "1981.csv", "wide")
    result = score_files(small, setup["model"], out, reports=True)
    assert result.exit_code == 0
    report = out / "reports" / "coordeval_report_1981.xlsx"
    assert result.results[0].report == report
    wb = load_workbook(report, read_only=True)
    assert "子系统得分" in wb.sheetnames
    wb.close()
    paths = batch._run._report_paths([Path("x/1981.csv"), Path("y/1981.xlsx"), out / "z.xlsx"], out)
    assert [p.name for p in paths] == [
        "coordeval_report_1981_csv.xlsx",
        "coordeval_report_1981_xlsx.xlsx",
        "coordeval_report_z.xlsx",
    ]
    # scoring the output folder again never reads the reports written there
    again = score_files([out, out / "reports"], setup["model"], out, reports=True)
    assert again.exit_code == 1 and not again.results
    assert any("not read as inputs" in n for n in again.notes)


def test_spssau_grades_without_rescaling(setup: dict, tmp_path: Path) -> None:
    """SPSSAU grades D on [a, b): grade = floor(10·D) + 1 (SPSSAU help "Coupling
    Coordination Degree", https://www.spssau.net/helps/coupling.html); batch scoring does not
    rescale U over the scored rows, so C, T, D are those of the clipped scores themselves."""
    model = CoordinationModel(setup["system"], preset="spssau").fit(setup["fit"])
    years = setup["panel"].index.get_level_values("year")
    year = setup["panel"][years == 1981]
    result = score_files(write_year(year, tmp_path / "1981.csv", "wide"), model, tmp_path / "o")
    assert result.exit_code == 0
    assert any("spssau" in n for n in result.notes)
    got = result.scores.set_index(["city", "year"]).sort_index()
    ref = brute_force(model, year).sort_index()
    np.testing.assert_allclose(got["D"], ref["D"], rtol=0, atol=1e-12)
    expected = np.minimum(np.floor(10 * ref["D"].to_numpy()) + 1, 10).astype(int)
    np.testing.assert_array_equal(got["grade"], expected)


@pytest.mark.parametrize("jobs", [1, 2])
def test_progress_is_reported_to_a_callback(setup: dict, tmp_path: Path, jobs: int) -> None:
    """progress(done, total): 0 once the work has started, then once per input, in order."""
    inputs = [setup["inputs"] / n for n in ("broken.csv", "1982.xlsx", "1983.csv")]
    calls: list[tuple[int, int]] = []
    score_files(
        inputs, setup["model"], tmp_path / "o", jobs=jobs, progress=lambda *a: calls.append(a)
    )
    assert calls == [(0, 3), (1, 3), (2, 3), (3, 3)]


def test_the_batch_library_draws_nothing() -> None:
    """The progress bar is the CLI's: no module of coordeval.batch imports rich."""
    import ast

    found = []
    for path in sorted(Path(batch.__file__).parent.glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = (
                [node.module or ""]
                if isinstance(node, ast.ImportFrom)
                else [a.name for a in node.names]
                if isinstance(node, ast.Import)
                else []
            )
            found += [(path.name, n) for n in names if n.split(".")[0] == "rich"]
    assert found == []


def test_one_escaping_rule_for_whole_frames() -> None:
    """escape_frame applies the history's round-tripping rule to every text column of a
    table (numbers and missing text untouched), for every CSV written for spreadsheets."""
    from coordeval.io._csvtext import escape_frame

    df = pd.DataFrame(
        {
            "city": ["=HYPERLINK()", "'quoted", "plain", None],
            "note": ["+1", "-x", "@a", "\tb"],
            "value": [1.0, -2.0, 3.0, 4.0],
        }
    )
    out = escape_frame(df)
    assert out["city"].tolist()[:3] == ["'=HYPERLINK()", "''quoted", "plain"]
    assert pd.isna(out["city"].iloc[3])
    assert out["note"].tolist() == ["'+1", "'-x", "'@a", "'\tb"]
    assert out["value"].tolist() == [1.0, -2.0, 3.0, 4.0]
    assert unescape_text(out["note"]).tolist() == df["note"].tolist()
    assert unescape_text(out["city"].iloc[:3]).tolist() == df["city"].iloc[:3].tolist()
