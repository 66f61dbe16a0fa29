"""Time a full assessment report on a synthetic national county panel (run on demand).

    python benchmarks/bench_report.py [--cities 2800] [--years 20] [--per-subsystem 9]

Fits the model, runs every analysis and writes the workbook (plus CSV files for the long
tables) for a synthetic 2,800 counties × 20 years × 63 indicators panel; prints the time of
each step. The data are synthetic (see synthetic_panel.py).
"""

from __future__ import annotations

import argparse
import tempfile
import time
import warnings
from pathlib import Path

from synthetic_panel import synthetic_city_panel, synthetic_system

import coordeval as ce


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--cities", type=int, default=2800)
    p.add_argument("--years", type=int, default=20)
    p.add_argument("--per-subsystem", type=int, default=9)
    args = p.parse_args()
    system = synthetic_system(7 * args.per_subsystem)
    panel = synthetic_city_panel(system, args.cities, args.years)
    print(f"synthetic panel: {panel.shape[0]} city-years x {panel.shape[1]} indicators")
    warnings.simplefilter("ignore", ce.CoordevalWarning)
    t0 = time.perf_counter()
    model = ce.CoordinationModel(system).fit(panel)
    t1 = time.perf_counter()
    a = model.assess(panel)
    t2 = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        out = a.to_excel(Path(tmp) / "synthetic_counties.xlsx")
        t3 = time.perf_counter()
        files = sorted(p.name for p in Path(tmp).iterdir())
        size = sum(p.stat().st_size for p in Path(tmp).iterdir())
    print(
        f"fit {t1 - t0:.2f} s, assess {t2 - t1:.2f} s, report {t3 - t2:.2f} s, "
        f"total {t3 - t0:.2f} s"
    )
    print(f"wrote {out.name} and {len(files) - 1} CSV files, {size / 1e6:.1f} MB")


if __name__ == "__main__":
    main()
