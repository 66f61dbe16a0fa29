"""Reading a large CSV: 500,000 rows × 10 columns (city, year, 8 indicators), synthetic.

Target (issue 17): under 3 s and under 500 MB on the project machine. Run as
``python benchmarks/bench_csv.py [rows]``; prints the file size, the wall time of
:func:`coordeval.io.read.read_data` and the peak resident memory of a fresh process that only
reads the file (``ru_maxrss``), minus the memory of the same process before reading. The CPU
time is printed too: on a shared machine the wall time also measures the other processes.
Every file written here has "synthetic" in its name; nothing here is real data.
"""

from __future__ import annotations

import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent))
from synthetic_panel import SEED, synthetic_system

M = 8


def write_synthetic_csv(path: Path, rows: int) -> Path:
    """A wide CSV: ``城市, 年份, x0 … x7``; cities c0…, 20 years each, random numbers."""
    rng = np.random.default_rng(SEED)
    years = 20
    frame = pd.DataFrame(
        rng.uniform(1, 1000, (rows, M)).round(4), columns=[f"x{k}" for k in range(M)]
    )
    frame.insert(0, "年份", 2000 + np.arange(rows) % years)
    frame.insert(0, "城市", pd.Series(np.arange(rows) // years).map("c{}".format))
    frame.to_csv(path, index=False)
    return path


def _child(path: str) -> None:
    from coordeval.io.read import read_data

    system = synthetic_system(M)
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    t0, c0 = time.perf_counter(), time.process_time()
    data = read_data(path, system)
    elapsed, cpu = time.perf_counter() - t0, time.process_time() - c0
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    assert not data.errors, data.errors[:3]
    print(
        f"{len(data.panel)} {elapsed:.2f} {cpu:.2f} {peak / 1024:.0f} {(peak - before) / 1024:.0f}"
    )


def main(rows: int = 500_000) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = write_synthetic_csv(Path(tmp) / "synthetic_500k.csv", rows)
        size = path.stat().st_size / 2**20
        out = subprocess.run(
            [sys.executable, __file__, "--child", str(path)],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.split()
        n, seconds, cpu, peak, grown = out
        print(
            f"read_data: {n} rows × {M + 2} columns, {size:.1f} MB CSV: {seconds} s wall, "
            f"{cpu} s CPU, peak RSS {peak} MB ({grown} MB for the read)"
        )


if __name__ == "__main__":
    if len(sys.argv) > 2 and sys.argv[1] == "--child":
        _child(sys.argv[2])
    else:
        main(int(sys.argv[1]) if len(sys.argv) > 1 else 500_000)
