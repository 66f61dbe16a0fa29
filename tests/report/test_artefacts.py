"""Zero-product artefacts are marked, explained and kept out of the findings.

cyg2019 (刘波、邓玲 2021, 表1; ``data/cyg2019.csv``): 3 cities, single-indicator subsystems. Under
the ``panel`` preset min-max puts the lowest city of such a subsystem at exactly 0 and the
classic coupling C = n(ΠU)^{1/n}/ΣU (廖重斌 1999) is then 0, so D = √(CT) = 0 for 重庆 and 贵阳.
The shipped system uses the ``spssau`` preset (U rescaled to [0.01, 0.99] before coupling,
SPSSAU help "Coupling Coordination Degree"), which has no such row.
"""

from __future__ import annotations

import warnings
from pathlib import Path

import numpy as np
from openpyxl import load_workbook

from coordeval.report.findings import key_findings
from coordeval.workflow import assess_file

ROOT = Path(__file__).resolve().parents[2]
CYG = ROOT / "data" / "cyg2019.csv"


def _assess(**kw):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        a, _ = assess_file(CYG, "cyg2019", **kw)
    return a


def test_cyg2019_demo_has_no_zero_D(tmp_path: Path) -> None:
    a = _assess()
    cc = a.tables["coupling"]
    assert a.conventions["preset"] == "spssau"
    assert (cc["D"] > 0).all() and not cc["floor_zero"].any()
    # the SPSSAU grade: floor(10·D) + 1
    np.testing.assert_array_equal(cc["grade"], np.floor(10 * cc["D"]).astype(int) + 1)


def test_floor_rows_flagged_explained_and_left_out_of_findings(tmp_path: Path) -> None:
    a = _assess(preset="panel", grades="ten")
    cc = a.tables["coupling"]
    floor = cc["floor_zero"]
    assert floor.sum() == 2 and (cc.loc[floor, "D"] == 0).all()
    U = a.scores.loc[floor[floor].index]
    assert (U.min(axis=1) == 0).all()
    text = " ".join(en for _, en in key_findings(a))
    assert "is not a coordination level" in text and "重庆" in text and "贵阳" in text
    mean_rest = cc.loc[~floor, "D"].mean()
    assert f"mean coupling coordination degree D is {mean_rest:.3f}" in text
    out = a.to_excel(tmp_path / "r.xlsx", lang="both")
    wb = load_workbook(out, read_only=True)
    values = [v for r in wb["耦合协调"].iter_rows(values_only=True) for v in r if v is not None]
    wb.close()
    assert any(isinstance(v, str) and "artefact of the scale" in v and "下限" in v for v in values)


def test_within_city_zeros_marked_munnell(tmp_path: Path) -> None:
    """Munnell (1990) panel: a within-city homogeneous cell (wang2021 coupling of a
    subsystem's indicators) is exactly 0 only where an indicator of that subsystem is at z′ = 0,
    and each such cell is named in the floor_zero column and explained in the notes."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        a, _ = assess_file(ROOT / "data" / "munnell_states_1970_1986.csv", "munnell")
    t = a.tables["synergy_intra_homogeneity"]
    subs = [c for c in t.columns if c != "floor_zero"]
    zero = t[subs].eq(0.0)
    assert zero.to_numpy().any()
    for (city, year), row in zero.iterrows():
        named = set(filter(None, t.loc[(city, year), "floor_zero"].split("; ")))
        assert named == {s for s in subs if row[s]}
    assert any(topic == "within-city homogeneous zeros" for topic, _, _ in a.notes)
    a.to_excel(tmp_path / "m.xlsx")
