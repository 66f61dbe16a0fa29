"""Markov classes by coordination grade named in the report's language, on the Munnell panel
(``data/munnell_states_1970_1986.csv``, Munnell 1990)."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

from coordeval.cli import app
from coordeval.conventions import GRADE_SCHEMES

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "data" / "munnell_states_1970_1986.csv"
SYSTEM = ROOT / "indices" / "munnell.toml"


@pytest.mark.parametrize("lang", ["en", "zh", "both"])
def test_markov_grade_names_in_the_report_language(tmp_path: Path, lang: str) -> None:
    """Markov classes by coordination grade: English grade names in English reports, the
    Chinese ones in Chinese reports, both in bilingual ones (the grade scheme's own names)."""
    out = tmp_path / "m.xlsx"
    opts = ["--dynamics", "--markov-classes", "grades", "--grades", "ten", "--lang", lang]
    res = CliRunner().invoke(
        app, ["assess", str(DATA), "--system", str(SYSTEM), "-o", str(out), *opts]
    )
    assert res.exit_code == 0, res.output
    wb = load_workbook(out, read_only=True)
    ws = next(wb[n] for n in wb.sheetnames if n in ("动态演进", "Distribution dynamics"))
    cells = {str(v) for r in ws.iter_rows(values_only=True) for v in r if v is not None}
    scheme = GRADE_SCHEMES["ten"]
    zh, en = scheme.names_zh, scheme.names_en
    shown = {"en": en, "zh": zh, "both": [f"{z} / {e}" for z, e in zip(zh, en, strict=True)]}
    assert set(shown[lang]) <= cells
    assert not set(zh) & cells if lang == "en" else not set(en) & cells
