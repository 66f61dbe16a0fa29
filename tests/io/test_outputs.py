"""Outputs never touch inputs, writable destinations are checked first, and the scores
history is locked and crash-safe (coordeval.io.outputs, coordeval.batch, the CLI).

Real data: the Munnell (1990) US-states panel ``data/munnell_states_1970_1986.csv`` with
``indices/munnell.toml`` (fit on 1970–1975, new years scored one file each).
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from filelock import FileLock
from typer.testing import CliRunner

from coordeval import batch
from coordeval.batch import LOCK_FILE, read_scores, score_files
from coordeval.cli import app
from coordeval.errors import ConfigError
from coordeval.io import outputs
from coordeval.io.atomic import write_text_atomic
from coordeval.io.outputs import (
    TEMP_PREFIX,
    Output,
    check_outputs,
    check_writable,
    guarded,
    remove_stale_temporaries,
)
from coordeval.io.read import read_data
from coordeval.model import CoordinationModel
from coordeval.system import load_system

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "data" / "munnell_states_1970_1986.csv"
SYSTEM = ROOT / "indices" / "munnell.toml"
runner = CliRunner()


def sha(p: Path) -> str:
    return hashlib.sha256(p.read_bytes()).hexdigest()


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> dict:
    root = tmp_path_factory.mktemp("outputs")
    system = load_system(SYSTEM)
    panel = read_data(DATA, system).panel
    years = panel.index.get_level_values("year")
    fit = panel[years <= 1975]
    fit.reset_index().to_csv(root / "fit.csv", index=False)
    model = CoordinationModel(system).fit(fit)
    model_path = model.save(root / "model.json")
    new = {}
    for y in range(1976, 1984):
        p = root / f"y{y}.csv"
        panel[years == y].reset_index().to_csv(p, index=False)
        new[y] = p
    return {"root": root, "fit": root / "fit.csv", "model": model_path, "new": new, "panel": panel}


def fresh(tmp_path: Path, files: dict, name: str = "data.csv") -> Path:
    p = tmp_path / name
    p.write_bytes(files["fit"].read_bytes())
    return p


def run(*args: str | Path):
    return runner.invoke(app, [str(a) for a in args])


def one_line_error(res, *needles: str) -> None:
    assert res.exit_code == 1, res.output
    assert "Traceback" not in res.output
    text = " ".join(res.output.split())
    for n in needles:
        assert n in text, text


@pytest.mark.parametrize("command", ["assess", "fit"])
def test_output_equal_to_the_data_file_is_refused(tmp_path, files, command):
    data = fresh(tmp_path, files)
    before = sha(data)
    res = run(command, data, "--system", SYSTEM, "-o", data)
    one_line_error(res, "would replace an input", "data file", "data.csv")
    assert sha(data) == before


def test_model_out_equal_to_the_data_file_is_refused(tmp_path, files):
    data = fresh(tmp_path, files)
    before = sha(data)
    res = run("assess", data, "--system", SYSTEM, "-o", tmp_path / "r.xlsx", "--model-out", data)
    one_line_error(res, "the model", "data file")
    assert sha(data) == before
    assert not (tmp_path / "r.xlsx").exists()  # refused before any work


@pytest.mark.parametrize("kind", ["symlink", "hardlink", "dotdot", "system"])
def test_other_spellings_of_an_input_are_refused(tmp_path, files, kind):
    data = fresh(tmp_path, files)
    (tmp_path / "sub").mkdir()
    if kind == "symlink":
        out = tmp_path / "link.json"
        out.symlink_to(data)
    elif kind == "hardlink":
        out = tmp_path / "hard.json"
        os.link(data, out)
    elif kind == "dotdot":
        out = tmp_path / "sub" / ".." / "data.csv"
    else:
        out = tmp_path / "system.toml"
        out.write_bytes(SYSTEM.read_bytes())
    before = sha(data), sha(out)
    res = run("fit", data, "--system", out if kind == "system" else SYSTEM, "-o", out)
    one_line_error(res, "would replace an input")
    assert (sha(data), sha(out)) == before


def test_a_sidecar_name_of_the_report_is_an_input(tmp_path, files):
    data = fresh(tmp_path, files, "r_scores.csv")
    res = run("assess", data, "--system", SYSTEM, "-o", tmp_path / "r.xlsx")
    one_line_error(res, "may write its table r_scores.csv")
    assert not (tmp_path / "r.xlsx").exists()


def test_two_outputs_one_file(tmp_path, files):
    data = fresh(tmp_path, files)
    out = tmp_path / "r.xlsx"
    res = run("assess", data, "--system", SYSTEM, "-o", out, "--model-out", out)
    one_line_error(res, "the report and the model are one file")


@pytest.mark.parametrize("where", ["under_file", "is_folder"])
def test_unwritable_destinations_are_one_line_errors(tmp_path, files, where):
    data = fresh(tmp_path, files)
    out = data / "m.json" if where == "under_file" else tmp_path
    res = run("fit", data, "--system", SYSTEM, "-o", out)
    needle = "is a file, not a folder" if where == "under_file" else "is a folder, not a file"
    one_line_error(res, "cannot write the model", needle)


def test_read_only_folder_is_named(tmp_path, monkeypatch):
    """Root may write anywhere, so the refusal of the probe file is simulated."""
    real_open = os.open

    def refuse(path, *args, **kwargs):
        if Path(path).name.startswith(TEMP_PREFIX):
            raise PermissionError(13, "Permission denied")
        return real_open(path, *args, **kwargs)

    monkeypatch.setattr(outputs.os, "open", refuse)
    with pytest.raises(ConfigError, match=r"folder .* is not writable \(Permission denied\)"):
        check_writable(tmp_path / "x" / "r.xlsx", "report")


def test_score_reports_folder_that_is_a_file(tmp_path, files):
    blocker = tmp_path / "out"
    blocker.write_text("not a folder")
    res = run("score", files["new"][1976], "--model", files["model"], "-o", blocker, "--reports")
    one_line_error(res, "scores folder", "is a file, not a folder")
    assert blocker.read_text() == "not a folder"


def test_score_never_replaces_a_workbook_it_did_not_write(tmp_path, files):
    """A CSV exported from data.xlsx sits beside it, and a workbook coordeval did not write
    already has the report's name: both are kept, the report goes elsewhere."""
    data = tmp_path / "y1976.csv"
    data.write_bytes(files["new"][1976].read_bytes())
    source = tmp_path / "y1976.xlsx"
    pd.DataFrame({"a": [1]}).to_excel(source, index=False)
    (tmp_path / "reports").mkdir()
    foreign = tmp_path / "reports" / "coordeval_report_y1976.xlsx"
    pd.DataFrame({"b": [2]}).to_excel(foreign, index=False)
    before = sha(source), sha(foreign)
    result = score_files([data], files["model"], tmp_path, reports=True, jobs=1)
    assert result.exit_code == 0
    assert (sha(source), sha(foreign)) == before
    expected = tmp_path / "reports" / "coordeval_report_y1976_csv.xlsx"
    assert result.results[0].report == expected
    assert expected.exists()
    # the report it wrote is replaced by the next run (coordeval wrote it)
    again = score_files([data], files["model"], tmp_path, reports=True, jobs=1)
    assert again.results[0].report == expected
    assert (sha(source), sha(foreign)) == before


def test_score_refuses_the_model_file_as_output(tmp_path, files):
    model = tmp_path / "scores.csv"
    model.write_bytes(files["model"].read_bytes())
    with pytest.raises(ConfigError, match=r"scores history .* is the model file"):
        score_files([files["new"][1976]], model, tmp_path, jobs=1)


def test_guard_protects_inputs_from_late_writes(tmp_path):
    src = tmp_path / "in.csv"
    src.write_text("a\n1\n")
    with (
        guarded([("data file", src)], [Output("report", tmp_path / "r.xlsx")]),
        pytest.raises(ConfigError, match=r"refusing to write .*in.csv: it is the data file"),
    ):
        write_text_atomic(tmp_path / "." / "in.csv", "x")
    assert src.read_text() == "a\n1\n"
    write_text_atomic(src, "b\n")  # outside the guard the library writes where it is told
    assert src.read_text() == "b\n"


def test_check_outputs_ignores_absent_inputs(tmp_path):
    check_outputs(
        [("data file", tmp_path / "nope.csv"), ("x", None)], [Output("m", tmp_path / "m")]
    )


def test_stale_temporaries_are_removed(tmp_path):
    dead = tmp_path / f"{TEMP_PREFIX}999999999-abcd-scores.csv"
    dead.write_text("partial")
    dead_dir = tmp_path / f"{TEMP_PREFIX}999999999-efgh"
    dead_dir.mkdir()
    (dead_dir / "r.xlsx").write_text("partial")
    live = tmp_path / f"{TEMP_PREFIX}{os.getpid()}-abcd-r.xlsx"
    live.write_text("being written")
    other = tmp_path / ".hidden.csv"
    other.write_text("user file")
    removed = remove_stale_temporaries(tmp_path)
    assert sorted(p.name for p in removed) == sorted([dead.name, dead_dir.name])
    assert live.exists() and other.exists() and not dead.exists() and not dead_dir.exists()


def test_score_run_removes_temporaries_of_a_killed_run(tmp_path, files):
    out = tmp_path / "out"
    out.mkdir()
    dead = out / f"{TEMP_PREFIX}999999999-abcd-scores.csv"
    dead.write_bytes(b"x" * 1_000_000)
    score_files([files["new"][1976]], files["model"], out, jobs=1)
    assert sorted(p.name for p in out.iterdir()) == [LOCK_FILE, "scores.csv"]


def test_a_held_lock_is_a_clear_error_after_a_bounded_wait(tmp_path, files):
    out = tmp_path / "out"
    out.mkdir()
    with FileLock(out / LOCK_FILE), pytest.raises(ConfigError) as info:
        score_files([files["new"][1976]], files["model"], out, jobs=1, lock_wait=0.2)
    assert (info.value.code, info.value.params["wait"]) == ("scores_folder_locked", 0.2)
    assert not (out / "scores.csv").exists()


def test_history_and_reports_are_written_together(tmp_path, files, monkeypatch):
    """A failure writing the history publishes no report; the old history stays."""
    out = tmp_path / "out"
    score_files([files["new"][1976]], files["model"], out, jobs=1)
    before = sha(out / "scores.csv")

    def fail(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(batch._run, "_publish", fail)
    with pytest.raises(ConfigError) as info:
        score_files([files["new"][1977]], files["model"], out, reports=True, jobs=1)
    assert info.value.code == "scores_unwritable"
    assert sha(out / "scores.csv") == before
    assert sorted(p.name for p in out.iterdir()) == [LOCK_FILE, "scores.csv"]


def _folder_state(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): sha(p)
        for p in sorted(folder.rglob("*"))
        if p.is_file() and p.name != LOCK_FILE
    }


@pytest.mark.parametrize("fail_at", ["second report", "history", "interrupt"])
def test_history_and_reports_are_published_all_or_nothing(tmp_path, files, monkeypatch, fail_at):
    """An OS failure while publishing (moving the second report into place, or renaming the
    history last) takes back the reports already moved: the folder is as before the run."""
    out = tmp_path / "out"
    first = [files["new"][1976], files["new"][1977]]
    assert score_files(first, files["model"], out, reports=True, jobs=1).exit_code == 0
    before = _folder_state(out)
    assert len([k for k in before if k.startswith("reports/")]) == 2
    real_replace = os.replace
    moved: list[str] = []

    def flaky(src, dst):
        src, dst = Path(src), Path(dst)
        if dst.parent.name == "reports":
            moved.append(dst.name)
            if fail_at == "second report" and len(moved) == 2:
                raise OSError(5, "Input/output error")
        if fail_at == "history" and dst.name == "scores.csv":
            raise OSError(28, "No space left on device")
        if fail_at == "interrupt" and dst.name == "scores.csv":
            raise KeyboardInterrupt
        return real_replace(src, dst)

    monkeypatch.setattr(os, "replace", flaky)
    again = [files["new"][1976], files["new"][1977], files["new"][1978]]
    expected = KeyboardInterrupt if fail_at == "interrupt" else ConfigError
    with pytest.raises(expected) as info:
        score_files(again, files["model"], out, reports=True, jobs=1)
    assert fail_at == "interrupt" or info.value.code == "scores_unwritable"
    monkeypatch.undo()
    assert moved  # the failure came while publishing
    assert _folder_state(out) == before
    assert sorted(p.name for p in out.iterdir()) == sorted([LOCK_FILE, "scores.csv", "reports"])


def test_two_concurrent_score_runs_keep_every_row(tmp_path, files):
    """Two real ``coordeval score`` processes into one folder: all rows of both survive."""
    out = tmp_path / "out"
    exe = [sys.executable, "-m", "coordeval", "score", "--model", str(files["model"])]
    runs = [
        [str(files["new"][y]) for y in ys]
        for ys in ((1976, 1978, 1980, 1982), (1977, 1979, 1981, 1983))
    ]
    procs = [
        subprocess.Popen([*exe, *r, "-o", str(out), "-j", "1", "-q"], stderr=subprocess.PIPE)
        for r in runs
    ]
    errs = [p.communicate(timeout=300)[1].decode() for p in procs]
    assert [p.returncode for p in procs] == [0, 0], errs
    history = read_scores(out / "scores.csv")
    panel = files["panel"]
    years = panel.index.get_level_values("year")
    expected = panel[(years >= 1976) & (years <= 1983)].index
    assert len(history) == len(expected) == 8 * 48
    got = pd.MultiIndex.from_frame(history[["city", "year"]].astype({"year": "int64"}))
    assert set(got) == set(expected)
