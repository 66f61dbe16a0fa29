"""Benchmarks of coordeval's fit/transform against a textbook NumPy pipeline and the MCDA
libraries pymcdm, scikit-criteria and pyDecision; writes docs/benchmarks.md.

Run on demand (not part of the test suite), from the project root::

    PYTHONPATH=src python benchmarks/bench_kernels.py            # everything (~20 min)
    PYTHONPATH=src python benchmarks/bench_kernels.py --quick    # 10^3 … 10^5, no big runs

Every measurement runs in its own process (one library per process): the synthetic matrix is
built there, the pipeline runs once as a warm-up, then ``--repeats`` timed runs give the
median; the child's peak resident memory (``ru_maxrss``) includes the data. The pipeline in
every library is "min-max normalise, entropy weights (shift 0.0001), TOPSIS": for coordeval
that is ``CoordinationModel.fit`` + ``transform`` (which also computes 7 subsystem scores).
Outputs are compared with the NumPy pipeline where the definitions coincide (see
``AGREEMENT`` in the report). The competitors are benchmark-only dependencies:
``pip install pymcdm scikit-criteria pyDecision``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import time
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path[:0] = [str(ROOT / "src"), str(HERE)]

from synthetic_panel import (  # noqa: E402
    synthetic_frame,
    synthetic_system,
    write_synthetic_parquet,
    write_synthetic_xlsx,
)

SHIFT = 1e-4
M = 30
LIBS = ("coordeval", "numpy", "pymcdm", "pymcdm_noval", "skcriteria", "pydecision")
SAMPLE = 2000


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _rss_mb() -> float:
    """Current resident memory (not the peak)."""
    with open("/proc/self/statm") as fh:
        return int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def _signs(m: int) -> np.ndarray:
    return np.array([-1.0 if j % 5 == 3 else 1.0 for j in range(m)])


def _minmax_shifted(X: np.ndarray, sign: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    lo, hi = X.min(axis=0), X.max(axis=0)
    Z = np.where(sign > 0, (X - lo) / (hi - lo), (hi - X) / (hi - lo))
    return Z, Z + SHIFT


def pipeline_numpy(X: np.ndarray, sign: np.ndarray) -> np.ndarray:
    """Textbook whole-array pipeline: min-max, entropy on z′ + 0.0001, TOPSIS (weights in the
    matrix, ideal and anti-ideal = column max and min of the weighted matrix)."""
    from scipy.special import xlogy

    Z, Y = _minmax_shifted(X, sign)
    P = Y / Y.sum(axis=0)
    e = -xlogy(P, P).sum(axis=0) / np.log(X.shape[0])
    d = 1 - e
    w = d / d.sum()
    V = Z * w
    dp = np.sqrt(((V - V.max(axis=0)) ** 2).sum(axis=1))
    dm = np.sqrt(((V - V.min(axis=0)) ** 2).sum(axis=1))
    return dm / (dp + dm)


def make_coordeval(rows: int) -> tuple[Callable[[], np.ndarray], Any]:
    from coordeval import CoordinationModel

    system = synthetic_system(M)
    frame = synthetic_frame(rows, M)

    def run() -> np.ndarray:
        model = CoordinationModel(system).fit(frame)
        return model.transform(frame)["composite"].to_numpy()

    return run, frame


def make_pymcdm(X: np.ndarray, sign: np.ndarray, validation: bool) -> Callable[[], np.ndarray]:
    from pymcdm.helpers import normalize_matrix
    from pymcdm.methods import TOPSIS
    from pymcdm.normalizations import minmax_normalization
    from pymcdm.weights import entropy_weights

    types = sign.astype(int)

    def run() -> np.ndarray:
        Y = normalize_matrix(X, minmax_normalization, types) + SHIFT
        w = entropy_weights(Y)
        return TOPSIS(minmax_normalization)(X, w, types, validation=validation)

    return run


def make_skcriteria(X: np.ndarray, sign: np.ndarray) -> Callable[[], np.ndarray]:
    import skcriteria as skc
    from skcriteria.agg.topsis import TOPSIS
    from skcriteria.pipeline import mkpipe
    from skcriteria.preprocessing.increment import AddValueToZero
    from skcriteria.preprocessing.invert_objectives import MinMaxInverter
    from skcriteria.preprocessing.weighters import EntropyWeighter

    objectives = [max if s > 0 else min for s in sign]
    pipe = mkpipe(
        MinMaxInverter(), AddValueToZero(target="matrix", value=SHIFT), EntropyWeighter(), TOPSIS()
    )

    def run() -> np.ndarray:
        dm = skc.mkdm(X, objectives)
        return np.asarray(pipe.evaluate(dm).e_.similarity)

    return run


def make_pydecision(X: np.ndarray, sign: np.ndarray) -> Callable[[], np.ndarray]:
    from pyDecision.algorithm import entropy_method, topsis_method

    m = X.shape[1]

    def run() -> np.ndarray:
        # pyDecision has no min-max step and TOPSIS normalises by column norms: feed it z′ + 0.0001
        # and weights rescaled by those norms so that its weighted matrix is z′·w as elsewhere.
        Z, Y = _minmax_shifted(X, sign)
        w = entropy_method(Y, ["max"] * m)
        norms = np.sqrt((Z * Z).sum(axis=0))
        return topsis_method(Z, w * norms, ["max"] * m, graph=False, verbose=False)

    return run


def child_pipeline(lib: str, rows: int, repeats: int) -> dict[str, Any]:
    from synthetic_panel import synthetic_matrix

    sign = _signs(M)
    before = _rss_mb()
    if lib == "coordeval":
        run, frame = make_coordeval(rows)
        data_mb = frame.memory_usage(index=False).sum() / 2**20
    else:
        X = synthetic_matrix(rows, M)
        data_mb = X.nbytes / 2**20
        run = {
            "numpy": lambda: lambda: pipeline_numpy(X, sign),
            "pymcdm": lambda: make_pymcdm(X, sign, True),
            "pymcdm_noval": lambda: make_pymcdm(X, sign, False),
            "skcriteria": lambda: make_skcriteria(X, sign),
            "pydecision": lambda: make_pydecision(X, sign),
        }[lib]()
    loaded = _rss_mb()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        t0 = time.perf_counter()
        out = run()
        warm = time.perf_counter() - t0
        n = repeats if warm * repeats < 600 else max(1, int(600 // max(warm, 1e-9)))
        times = []
        for _ in range(n):
            t0 = time.perf_counter()
            out = run()
            times.append(time.perf_counter() - t0)
    return {
        "lib": lib,
        "rows": rows,
        "times": times,
        "median": statistics.median(times),
        "peak_mb": _peak_mb(),
        "data_mb": data_mb,
        "base_mb": before,
        "loaded_mb": loaded,
        "sample": np.asarray(out, dtype=float)[:SAMPLE].tolist(),
    }


def child_coupling(rows: int, repeats: int) -> dict[str, Any]:
    from coordeval.kernels.coupling import coupling_arrays

    U = np.random.default_rng(1).uniform(0, 1, size=(rows, 7))
    res = {}
    for model in ("classic", "wang2021", "fan2024"):
        coupling_arrays(U, model)
        times = []
        for _ in range(repeats):
            t0 = time.perf_counter()
            coupling_arrays(U, model)
            times.append(time.perf_counter() - t0)
        res[model] = statistics.median(times)
    return {"rows": rows, "median": res, "peak_mb": _peak_mb()}


def child_xlsx(rows: int, repeats: int) -> dict[str, Any]:
    from python_calamine import CalamineWorkbook

    import coordeval as ce

    system = synthetic_system(M)
    with tempfile.TemporaryDirectory() as d:
        path = write_synthetic_xlsx(Path(d) / f"synthetic_{rows}.xlsx", rows, M)
        size = path.stat().st_size / 2**20
        times, floor = [], []
        for _ in range(repeats):
            t0 = time.perf_counter()
            panel = ce.read_panel(path, system)
            times.append(time.perf_counter() - t0)
            t0 = time.perf_counter()  # the parser alone: the sheet as Python objects
            book = CalamineWorkbook.from_path(str(path))
            book.get_sheet_by_name(book.sheet_names[0]).to_python(skip_empty_area=False)
            floor.append(time.perf_counter() - t0)
    return {
        "rows": len(panel),
        "file_mb": size,
        "median": statistics.median(times),
        "times": times,
        "calamine": statistics.median(floor),
    }


def child_big(path: str, engine: str, chunk_rows: int) -> dict[str, Any]:
    from coordeval import CoordinationModel

    system = synthetic_system(M)
    model = CoordinationModel(system)
    out = Path(path).with_name(f"synthetic_scores_{engine}.parquet")
    t0 = time.perf_counter()
    if engine == "chunks":
        model.fit_parquet(path, chunk_rows=chunk_rows)
        t1 = time.perf_counter()
        model.transform_parquet(path, out, chunk_rows=chunk_rows)
    else:
        import dask
        import dask.dataframe as dd

        dask.config.set(scheduler="threads")
        ddf = dd.read_parquet(path, split_row_groups=True)
        model.fit(ddf)
        t1 = time.perf_counter()
        model.transform(ddf).to_parquet(str(out), write_index=False)
    t2 = time.perf_counter()
    import pyarrow.parquet as pq

    files = [out] if out.is_file() else sorted(out.rglob("*.parquet"))
    rows = sum(pq.ParquetFile(str(f)).metadata.num_rows for f in files)
    return {
        "engine": engine,
        "fit_s": t1 - t0,
        "transform_s": t2 - t1,
        "peak_mb": _peak_mb(),
        "rows_scored": rows,
        "weights_head": model.weights_.iloc[:3].tolist(),
    }


def spawn(*args: str) -> dict[str, Any]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT / "src"), env.get("PYTHONPATH", "")])
    proc = subprocess.run(
        [sys.executable, str(Path(__file__).resolve()), "--child", *args],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    if proc.returncode != 0:
        return {"error": proc.stderr.strip().splitlines()[-1] if proc.stderr else "failed"}
    return json.loads(proc.stdout.strip().splitlines()[-1])


def machine() -> dict[str, str]:
    from threadpoolctl import threadpool_info

    info: dict[str, str] = {}
    try:
        lscpu = subprocess.run(["lscpu"], capture_output=True, text=True, check=False).stdout
        for line in lscpu.splitlines():
            key, _, val = line.partition(":")
            if key.strip() in (
                "Model name",
                "CPU(s)",
                "Thread(s) per core",
                "L2 cache",
                "L3 cache",
            ):
                info[key.strip()] = val.strip()
    except OSError:
        info["Model name"] = platform.processor()
    with open("/proc/meminfo") as fh:
        total = next(line for line in fh if line.startswith("MemTotal"))
    info["RAM"] = f"{int(total.split()[1]) / 2**20:.1f} GiB"
    info["Python"] = platform.python_version()
    info["NumPy"] = np.__version__
    blas = [
        f"{b.get('internal_api')} {b.get('version')} ({b.get('architecture')}, "
        f"{b.get('num_threads')} threads)"
        for b in threadpool_info()
        if b.get("user_api") == "blas"
    ]
    info["BLAS"] = "; ".join(blas) or "unknown"
    info["OPENBLAS_CORETYPE"] = os.environ.get("OPENBLAS_CORETYPE", "unset")
    info["Load average at start"] = " ".join(open("/proc/loadavg").read().split()[:3])
    return info


def fmt_s(x: float | None) -> str:
    if x is None:
        return "—"
    return f"{x * 1e3:.1f} ms" if x < 1 else f"{x:.2f} s"


def versions() -> dict[str, str]:
    from importlib.metadata import PackageNotFoundError, version

    out = {}
    for name in ("pandas", "scipy", "pymcdm", "scikit-criteria", "pyDecision", "dask", "pyarrow"):
        try:
            out[name] = version(name)
        except PackageNotFoundError:
            out[name] = "not installed"
    return out


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    ap.add_argument("--quick", action="store_true", help="10^3 … 10^5 only, no big runs")
    ap.add_argument("--repeats", type=int, default=5)
    ap.add_argument("--out", type=Path, default=ROOT / "docs" / "benchmarks.md")
    ap.add_argument("--big-rows", type=int, default=10**7)
    ap.add_argument("--workdir", type=Path, default=None, help="folder for the big Parquet file")
    args = ap.parse_args(argv)
    if args.child:
        kind, *rest = args.child
        if kind == "pipeline":
            res = child_pipeline(rest[0], int(rest[1]), int(rest[2]))
        elif kind == "coupling":
            res = child_coupling(int(rest[0]), int(rest[1]))
        elif kind == "xlsx":
            res = child_xlsx(int(rest[0]), int(rest[1]))
        else:
            res = child_big(rest[0], rest[1], int(rest[2]))
        print(json.dumps(res))
        return

    info = machine()
    started = dt.datetime.now().astimezone()
    sizes = [10**3, 10**4, 10**5] if args.quick else [10**3, 10**4, 10**5, 10**6]
    table: dict[tuple[str, int], dict[str, Any]] = {}
    for rows in sizes:
        for lib in LIBS:
            res = spawn("pipeline", lib, str(rows), str(args.repeats))
            table[lib, rows] = res
            print(f"{lib:13s} {rows:>9,d}  {fmt_s(res.get('median'))}  {res.get('error', '')}")
    scaling = {}
    for rows in [*sizes, *([] if args.quick else [10**7])]:
        res = table.get(("coordeval", rows)) or spawn("pipeline", "coordeval", str(rows), "3")
        scaling[rows] = res
        print(f"scaling {rows:>11,d}  {fmt_s(res.get('median'))}")
    coupling = spawn("coupling", str(10**6 if not args.quick else 10**5), str(args.repeats))
    print("coupling", coupling)
    xlsx = spawn("xlsx", "50000" if not args.quick else "5000", "3")
    print("xlsx", xlsx)
    big: list[dict[str, Any]] = []
    if not args.quick:
        with tempfile.TemporaryDirectory(dir=args.workdir) as d:
            path = Path(d) / "synthetic_panel_1e7x30.parquet"
            t0 = time.perf_counter()
            write_synthetic_parquet(path, args.big_rows, M)
            size_gb = path.stat().st_size / 2**30
            print(f"wrote {path} ({size_gb:.2f} GiB, {time.perf_counter() - t0:.0f} s)")
            for engine in ("chunks", "dask"):
                res = spawn("big", str(path), engine, str(1 << 18))
                res.setdefault("engine", engine)
                big.append(res)
                print("big", res)
            file_gb = path.stat().st_size / 2**30
    else:
        file_gb = 0.0
    info["Load average at end"] = " ".join(open("/proc/loadavg").read().split()[:3])
    write_report(args, info, started, sizes, table, scaling, coupling, xlsx, big, file_gb)
    print(f"wrote {args.out}")


NOTES = [
    "## Notes",
    "",
    "- How coordeval gets there: the fit reads the matrix twice block by block (column",
    "  extremes; then Σ y and Σ y·ln y of y = z′ + 0.0001), scoring once (z′, weighted sums",
    "  per subsystem, TOPSIS distances). Work arrays are one cache-sized block per thread",
    "  (`coordeval/kernels/blocks.py`), DataFrames are read as views of their float64 block,",
    "  and blocks run on one thread per core. The statistics merge across chunks, which is",
    "  what `fit_parquet` and the Dask path use.",
    "- Reading a workbook: before the parser sees it, the package and the sheet XML are",
    "  scanned for hostile content (size, DTDs, the used rectangle, error and formula cells",
    "  python-calamine would show as blank). Cells that arrive as numbers skip the",
    "  yearbook-text parser (full-width digits, 万/亿, qualifiers such as >95), and the text",
    "  of a cell as shown is rendered only where it is needed (header, keys, footnotes,",
    "  problems): the text of every number and every cell reference of the value block are",
    "  made when `PanelData.cells` is first read, which `read_panel` does not need.",
    "- OPENBLAS_CORETYPE (and OPENBLAS_L2_SIZE) may be set on some machines of this",
    "  workplace; it is recorded in the machine table and left unchanged (tests and CI never",
    "  change it). The kernels make little use of BLAS (matrix-vector products only).",
    "- Regenerate with `PYTHONPATH=src python benchmarks/bench_kernels.py` (about 25 minutes;",
    "  `--quick` for a smoke run). The competitors are benchmark-only installs.",
    "",
]


def targets(sizes, table, coupling, xlsx, big) -> list[str]:
    """The issue's targets next to the measured numbers."""
    rows = []
    if 10**6 in sizes:
        res = table["coordeval", 10**6]
        t = res.get("median")
        rows.append(("fit + transform, 10^6 × 30", "≤ 0.5 s", fmt_s(t), t is not None and t <= 0.5))
        used = res.get("peak_mb", np.inf) - res.get("base_mb", 0.0)
        ratio = used / res.get("data_mb", 1.0)
        rows.append(
            (
                "peak memory above the interpreter / data, 10^6 × 30",
                "≤ 3×",
                f"{ratio:.2f}×",
                ratio <= 3,
            )
        )
    cm = coupling.get("median", {})
    if coupling.get("rows") == 10**6 and cm:
        worst = max(cm.values())
        rows.append(
            ("coupling_arrays, 10^6 × 7 (slowest model)", "≤ 0.1 s", fmt_s(worst), worst <= 0.1)
        )
    if xlsx.get("rows") == 50_000:
        t = xlsx.get("median")
        rows.append(("read_panel, 50,000-row .xlsx", "≤ 3 s", fmt_s(t), t is not None and t <= 3))
    for res in big:
        if "peak_mb" in res:
            gb = res["peak_mb"] / 1024
            rows.append(
                (f"10^7 × 30 Parquet, {res['engine']}", "peak < 4 GB", f"{gb:.2f} GB", gb < 4)
            )
    if not rows:
        return []
    out = ["## Targets", "", "| target | goal | measured | met |", "| --- | --- | ---: | --- |"]
    out += [f"| {a} | {b} | {c} | {'yes' if d else 'no'} |" for a, b, c, d in rows]
    return [*out, ""]


def write_report(args, info, started, sizes, table, scaling, coupling, xlsx, big, file_gb) -> None:
    names = {
        "coordeval": "coordeval fit + transform",
        "numpy": "NumPy textbook pipeline",
        "pymcdm": "pymcdm (validation on)",
        "pymcdm_noval": "pymcdm (validation off)",
        "skcriteria": "scikit-criteria pipeline",
        "pydecision": "pyDecision",
    }
    lines = [
        "# Benchmarks",
        "",
        f"Generated by `benchmarks/bench_kernels.py` on {started:%Y-%m-%d %H:%M %Z}. All data",
        "are synthetic (random lognormal values from `benchmarks/synthetic_panel.py`), 30",
        "indicators in 7 subsystems, every fifth a cost indicator. Each cell ran in its own",
        f"process: one warm-up, then the median of {args.repeats} runs; peak memory is the",
        "child's `ru_maxrss` and includes the data.",
        "",
        "## Machine",
        "",
        "| | |",
        "| --- | --- |",
        *[f"| {k} | {v} |" for k, v in info.items()],
        *[f"| {k} | {v} |" for k, v in versions().items()],
        "",
        "The machine is shared: other jobs ran at the same time (see the load averages), so",
        "absolute times are noisy; compare within a row.",
        "",
        "## Entropy weights + TOPSIS, rows × 30",
        "",
        "Pipeline: min-max normalisation with directions, entropy weights on z′ + 0.0001,",
        "TOPSIS with the weights in the matrix. coordeval additionally computes the 7 subsystem",
        "scores (`CoordinationModel.fit` + `transform` on a DataFrame).",
        "",
        "| library | " + " | ".join(f"{r:,}" for r in sizes) + " | peak RSS at "
        f"{sizes[-1]:,} | max abs. diff. of C vs NumPy |",
        "| --- | " + " | ".join("---:" for _ in sizes) + " | ---: | ---: |",
    ]
    for lib in LIBS:
        cells = []
        for rows in sizes:
            res = table[lib, rows]
            cells.append(fmt_s(res.get("median")) if "error" not in res else "failed")
        last = table[lib, sizes[-1]]
        ref = table["numpy", sizes[-1]]
        diff = "—"
        if "sample" in last and "sample" in ref and lib != "numpy":
            diff = f"{np.max(np.abs(np.array(last['sample']) - np.array(ref['sample']))):.1e}"
        peak = f"{last['peak_mb']:.0f} MB" if "peak_mb" in last else "—"
        note = ""
        if "times" in last and len(last["times"]) < args.repeats:
            note = f" (median of {len(last['times'])})"
        lines.append(f"| {names[lib]}{note} | " + " | ".join(cells) + f" | {peak} | {diff} |")
    data_mb = table["coordeval", sizes[-1]].get("data_mb", float("nan"))
    lines += [
        "",
        f"Data at {sizes[-1]:,} rows: {data_mb:.0f} MB. The closeness C agrees with the NumPy",
        "pipeline on the first 2,000 rows to the difference shown. pyDecision computes",
        "p·ln(p + 1e-9) with p = y/Σy ≈ 1/n, a relative perturbation of about n·1e-9, and adds",
        "1e-9 to d, so it agrees less closely the more rows there are; it is fed z′ + 0.0001 and",
        "weights rescaled by its column norms so that its weighted matrix is z′·w as elsewhere.",
        "",
        "## Scaling of coordeval fit + transform (30 indicators)",
        "",
        "Memory: `interpreter` is the resident size before the data were made (imports),",
        "`with data` after, `peak` the maximum during the runs.",
        "",
        "| rows | time | interpreter | with data | peak | data |",
        "| ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    nan = float("nan")
    for rows, res in scaling.items():
        lines.append(
            f"| {rows:,} | {fmt_s(res.get('median'))} | {res.get('base_mb', nan):.0f} MB "
            f"| {res.get('loaded_mb', nan):.0f} MB | {res.get('peak_mb', nan):.0f} MB "
            f"| {res.get('data_mb', nan):.0f} MB |"
        )
    cm = coupling.get("median", {})
    lines += [
        "",
        f"## Coupling coordination, {coupling.get('rows', 0):,} × 7",
        "",
        "| model | time |",
        "| --- | ---: |",
        *[f"| {k} | {fmt_s(v)} |" for k, v in cm.items()],
        "",
        "## Reading a workbook",
        "",
        f"`coordeval.read_panel` on a synthetic wide .xlsx of {xlsx.get('rows', 0):,} rows × 30",
        f"indicators ({xlsx.get('file_mb', 0):.1f} MB): median {fmt_s(xlsx.get('median'))} of 3.",
        "python-calamine alone (open the workbook, the sheet as Python objects, nothing else):",
        f"median {fmt_s(xlsx.get('calamine'))}; the rest is coordeval's checks and parsing.",
        "",
    ]
    lines += targets(sizes, table, coupling, xlsx, big)
    if big:
        lines += [
            f"## A synthetic panel of {args.big_rows:,} × 30 from Parquet ({file_gb:.2f} GiB)",
            "",
            "| engine | fit | transform (scores written to Parquet) | peak RSS |",
            "| --- | ---: | ---: | ---: |",
        ]
        for res in big:
            if "error" in res:
                lines.append(f"| {res['engine']} | failed: {res['error']} | | |")
                continue
            label = {
                "chunks": "`fit_parquet` + `transform_parquet` (chunks of 262,144 rows)",
                "dask": "Dask DataFrame (`fit` + `transform(...).to_parquet`, threads)",
            }[res["engine"]]
            lines.append(
                f"| {label} | {fmt_s(res['fit_s'])} | {fmt_s(res['transform_s'])} "
                f"| {res['peak_mb'] / 1024:.2f} GB |"
            )
        lines.append("")
    lines += NOTES
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text("\n".join(lines), encoding="utf-8")


if __name__ == "__main__":
    main()
