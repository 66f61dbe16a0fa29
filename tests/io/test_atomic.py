"""Atomic writes: the result replaces the target in one rename with ordinary permissions."""

from __future__ import annotations

import os
import stat

import pytest

from coordeval.io.atomic import write_atomic, write_text_atomic


def _mode(path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.mark.skipif(os.name != "posix", reason="POSIX permission bits")
def test_new_file_gets_umask_permissions_not_owner_only(tmp_path):
    """mkstemp creates 0o600 files; a report must be readable like any file the user saves."""
    old = os.umask(0o022)
    try:
        out = write_text_atomic(tmp_path / "report.txt", "x")
    finally:
        os.umask(old)
    assert _mode(out) == 0o644


@pytest.mark.skipif(os.name != "posix", reason="POSIX permission bits")
def test_replacing_a_file_keeps_its_permissions(tmp_path):
    target = tmp_path / "scores.csv"
    target.write_text("old")
    target.chmod(0o640)
    write_text_atomic(target, "new")
    assert target.read_text() == "new"
    assert _mode(target) == 0o640


def test_failed_write_leaves_the_old_file_and_no_stray_file(tmp_path):
    target = tmp_path / "report.xlsx"
    target.write_bytes(b"earlier report")

    def fail(path):
        path.write_bytes(b"half")
        raise OSError("disk full")

    with pytest.raises(OSError, match="disk full"):
        write_atomic(target, fail)
    assert target.read_bytes() == b"earlier report"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.xlsx"]


def test_report_csv_and_cells_neutralise_every_formula_trigger():
    """OWASP CSV injection: = + - @ and a leading tab or carriage return are all made text."""
    import pandas as pd
    from openpyxl import Workbook

    from coordeval.io._csvtext import escape_frame, unescape_text
    from coordeval.report._xlsx import put

    texts = ["=1+1", "+1", "-1", "@SUM(A1)", "\t=1", "\r=1", "ok"]
    out = escape_frame(pd.DataFrame({"city": texts}))
    assert out["city"].tolist() == [*("'" + t for t in texts[:-1]), "ok"]
    # one rule for the report's CSV and the scores history: it round-trips, quotes included
    quoted = escape_frame(pd.DataFrame({"city": ["'=1", "'ok", *texts]}))["city"]
    assert unescape_text(quoted).tolist() == ["'=1", "'ok", *texts]
    ws = Workbook().active
    for k, t in enumerate(texts, start=1):
        put(ws, k, 1, t)
    assert all(ws.cell(row=k, column=1).data_type == "s" for k in range(1, len(texts) + 1))
