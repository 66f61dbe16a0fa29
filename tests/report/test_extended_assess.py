"""The extended analyses through ``CoordinationModel.assess(extended=...)`` on real data.

Real data: twelve states × all years of the Munnell (1990) panel with the US state polygon
centroids of ``data/munnell_state_coords.csv``.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import coordeval as ce

DATA = Path(__file__).resolve().parents[2] / "data"


@pytest.fixture(scope="module")
def fitted() -> tuple[ce.CoordinationModel, pd.DataFrame, pd.DataFrame]:
    system = ce.load_system("munnell")
    with pytest.warns(ce.DataWarning, match="p_cap"):
        panel = ce.read_panel(DATA / "munnell_states_1970_1986.csv", system)
    states = sorted(panel.index.get_level_values("city").unique())[:12]
    panel = panel[panel.index.get_level_values("city").isin(states)]
    coords = ce.read_coords(DATA / "munnell_state_coords.csv")
    model = ce.CoordinationModel(system).fit(panel)
    return model, panel, coords


def test_grades_markov_reports_every_grade(fitted) -> None:
    model, panel, coords = fitted
    opts = ce.ExtendedOptions(coords=coords, markov_classes="grades", permutations=99)
    with pytest.warns(ce.MethodWarning):
        a = model.assess(panel, robustness_draws=0, extended=opts)
    P = a.tables["markov_probabilities"]
    assert len(P) == 10  # the ten coordination grades, observed or not
    assert ((P["n"] == 0) == (P["status"] == "no observations")).all()
    assert (
        P.loc[P["status"] == "ok"].drop(columns=["n", "status"]).sum(axis=1).round(12) == 1
    ).all()
    assert a.tables["markov_classes"]["observations"].sum() == len(panel)
    # spatial tables cover the 12 states, every year and the five variables
    assert len(a.tables["lisa"]) == 12 * 17 * 5
    assert set(a.tables["moran"]["variable"]) == {*a.scores.columns, "composite", "D"}
    c = a.tables["centre_of_gravity"]
    assert len(c) == 17 and np.isnan(c["shift_km"].iloc[0]) and (c["shift_km"].iloc[1:] >= 0).all()
    assert any(note[0] == "spatial autocorrelation" for note in a.notes)


def test_nothing_extra_without_inputs(fitted) -> None:
    model, panel, _ = fitted
    with pytest.warns(ce.MethodWarning):
        a = model.assess(panel, robustness_draws=0)
    assert not any(k.startswith(("moran", "markov", "lisa", "forecast")) for k in a.tables)


def test_report_modules_import_in_either_order() -> None:
    import subprocess
    import sys

    for first in ("coordeval.report.spatial", "coordeval.report.workbook"):
        code = f"import {first}; from coordeval.report.workbook import SHEETS; print(len(SHEETS))"
        res = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
        assert res.returncode == 0, res.stderr
