"""``coordeval validate`` lists everything in one round: unreadable cells, missing values and
plausibility warnings together (a % above 100, a ×10 jump from the previous year, a unit after
the number), notes for magnitude words (``4.1万``), with the CLI's spelling of options
(``--missing interpolate``).

Data: the cyg2019 figures (刘波、邓玲 2021, 表1; ``data/cyg2019.csv``) as 2019, and a test copy
as 2020 with slips written in.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[2]
CYG = ROOT / "data" / "cyg2019.csv"


def test_validate_one_round(tmp_path: Path) -> None:
    long = pd.read_csv(CYG, encoding="utf-8-sig")
    wide = long.pivot_table(index=["city", "year"], columns="indicator", values="value")
    wide = wide.reset_index()
    y2020 = wide.assign(year=2020)
    both = pd.concat([wide, y2020], ignore_index=True).astype(object)
    at = (both["city"] == "成都") & (both["year"] == 2020)
    both.loc[at, "gdp"] = both.loc[at, "gdp"].item() * 10  # a 亿元 → 千万 slip
    both.loc[at, "urbanisation_rate"] = 120  # a % above 100
    gy = (both["city"] == "贵阳") & (both["year"] == 2020)
    both.loc[gy, "patents_granted"] = "abc"  # unreadable
    both.loc[gy, "imports_exports"] = ""  # missing
    cq = (both["city"] == "重庆") & (both["year"] == 2020)
    both.loc[cq, "resident_population"] = "3124.32万"  # written with a magnitude word
    both.loc[cq, "gdp_per_capita"] = "75828元"  # with the header's unit
    both.loc[gy, "gdp"] = "0.4万亿元"  # with another unit than the header's 亿元
    path = tmp_path / "slips.csv"
    both.to_csv(path, index=False)
    res = subprocess.run(
        [sys.executable, "-m", "coordeval", "validate", str(path), "-s", "cyg2019"],
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "COLUMNS": "400"},
    )
    err = res.stderr
    assert res.returncode == 1 and "Traceback" not in err
    assert "'abc'" in err  # read error
    assert "imports_exports" in err and "--missing interpolate" in err  # missing, CLI spelling
    assert "missing='" not in err
    assert "outside 0–100" in err and "120" in err  # plausibility, same round
    assert "times the previous year's" in err
    assert "carries its unit '元', which is the header's unit" in err
    assert "'万亿元', which differs from the header's unit '亿元'" in err
    assert "'3124.32万' read as" in err and "magnitude word converted" in err  # a note
