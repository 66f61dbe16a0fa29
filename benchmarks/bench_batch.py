"""Time ``coordeval.batch.score_files`` on 100 small one-year files.

The files are cut from the Munnell US-states panel (``data/munnell_states_1970_1986.csv``,
48 states × 7 indicators): the model is fitted on 1970–1980 and each of the 100 files holds
one year (1970–1986, cycling) of all 48 states, alternately as wide CSV and wide Excel, with
the states renamed per file (``ALABAMA_007``) so that every file adds its own 48 rows to
``scores.csv``. Everything is written to a temporary folder and removed afterwards.

``read_only_cpu_ms_per_file`` is the CPU time of reading and validating the files alone
(:func:`coordeval.workflow.read_validated`), for comparison with the whole scoring.

Run from the project root::

    PYTHONPATH=src python benchmarks/bench_batch.py [--files 100] [--jobs 1 2]
"""

from __future__ import annotations

import argparse
import os
import resource
import tempfile
import time
import warnings
from pathlib import Path

import pandas as pd

from coordeval.batch import score_files
from coordeval.errors import CoordevalWarning
from coordeval.io.read import read_data
from coordeval.model import CoordinationModel
from coordeval.system import load_system
from coordeval.workflow import read_validated

ROOT = Path(__file__).resolve().parents[1]


def make_inputs(folder: Path, n_files: int) -> tuple[CoordinationModel, list[Path]]:
    """Fit the model and write ``n_files`` one-year files into ``folder``."""
    system = load_system(ROOT / "indices" / "munnell.toml")
    panel = read_data(ROOT / "data" / "munnell_states_1970_1986.csv", system).panel
    years = panel.index.get_level_values("year")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", CoordevalWarning)
        model = CoordinationModel(system).fit(panel[years <= 1980])
    all_years = sorted(set(years))
    paths = []
    for k in range(n_files):
        year = all_years[k % len(all_years)]
        frame = panel[years == year].reset_index()
        frame["city"] = frame["city"] + f"_{k:03d}"
        if k % 2:
            path = folder / f"y{k:03d}.xlsx"
            frame.to_excel(path, index=False)
        else:
            path = folder / f"y{k:03d}.csv"
            frame.to_csv(path, index=False)
        paths.append(path)
    return model, paths


def cpu_seconds() -> float:
    """CPU time of this process and of its finished children (the worker processes)."""
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.process_time() + children.ru_utime + children.ru_stime


def run(n_files: int, jobs_list: list[int]) -> list[dict[str, object]]:
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "in"
        folder.mkdir()
        model, paths = make_inputs(folder, n_files)
        size = sum(p.stat().st_size for p in paths)
        c0 = cpu_seconds()
        for p in paths:
            read_validated(p, model.system_)
        read_cpu = cpu_seconds() - c0
        for jobs in jobs_list:
            out = Path(tmp) / f"out_{jobs}"
            t0 = time.perf_counter()
            result = score_files(paths, model, out, jobs=jobs)
            first = time.perf_counter() - t0
            t0, c0 = time.perf_counter(), cpu_seconds()
            again = score_files(paths, model, out, jobs=jobs)
            second, cpu = time.perf_counter() - t0, cpu_seconds() - c0
            assert result.exit_code == again.exit_code == 0, result.files_table()
            rows.append(
                {
                    "files": n_files,
                    "input_kib": round(size / 1024),
                    "jobs": jobs,
                    "rows": len(result.scores),
                    "first_run_s": round(first, 2),
                    "rerun_s": round(second, 2),
                    "ms_per_file": round(1000 * min(first, second) / n_files, 1),
                    "rerun_cpu_s": round(cpu, 2),
                    "cpu_ms_per_file": round(1000 * cpu / n_files, 1),
                    "read_only_cpu_ms_per_file": round(1000 * read_cpu / n_files, 1),
                }
            )
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=100)
    parser.add_argument("--jobs", type=int, nargs="+", default=[1, os.cpu_count() or 1])
    args = parser.parse_args()
    load = os.getloadavg()[0]
    table = pd.DataFrame(run(args.files, args.jobs))
    print(f"cpus: {os.cpu_count()}, load average before: {load:.2f}")
    print(table.to_string(index=False))


if __name__ == "__main__":
    main()
