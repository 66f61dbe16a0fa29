"""Benchmarks of the spatial, dynamics, GeoDetector, centrography, grey and network kernels.

Run on demand (not part of the test suite), from the project root::

    PYTHONPATH=src python benchmarks/bench_spatial.py        # writes docs/benchmarks_spatial.md

All inputs are synthetic (random coordinates in a 20° × 18° box and random values, seeded);
each timing is the median of ``--repeats`` runs after one warm-up run. The headline target is
999 permutations × 300 cities × 20 years of global Moran's I "well under a second".
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from coordeval.analysis.forecast import forecast_panel  # noqa: E402
from coordeval.analysis.geodetector import geodetector  # noqa: E402
from coordeval.analysis.structure import gravity_network  # noqa: E402
from coordeval.kernels import centrography as C  # noqa: E402
from coordeval.kernels import geodetector as G  # noqa: E402
from coordeval.kernels import markov as M  # noqa: E402
from coordeval.kernels import spatial as K  # noqa: E402


def synthetic_cluster(n: int, T: int, seed: int = 0) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Synthetic city coordinates (lon, lat) and an (n, T) panel of values."""
    rng = np.random.default_rng(seed)
    lon, lat = rng.uniform(100, 120, n), rng.uniform(22, 40, n)
    trend = np.linspace(0.3, 0.5, T)[None, :]
    Y = trend + 0.1 * rng.standard_normal((n, 1)) + 0.02 * rng.standard_normal((n, T))
    return lon, lat, Y


def timed(fn: Callable[[], object], repeats: int) -> float:
    fn()
    runs = []
    for _ in range(repeats):
        t = time.perf_counter()
        fn()
        runs.append(time.perf_counter() - t)
    return statistics.median(runs)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeats", type=int, default=5)
    ap.add_argument("--out", default=str(ROOT / "docs" / "benchmarks_spatial.md"))
    args = ap.parse_args()
    n, T, B = 300, 20, 999
    lon, lat, Y = synthetic_cluster(n, T)
    D = K.haversine_km(lon, lat)
    Wk, _ = K.row_standardize(K.knn_weights(D, 6))
    Wi, _ = K.row_standardize(K.inverse_distance_weights(D, 1.0))
    Wb = K.knn_weights(D, 6)
    np.fill_diagonal(Wb, 1.0)
    perms = K.permutations(n, B, 0)
    rows: list[tuple[str, float]] = []

    def add(label: str, fn: Callable[[], object]) -> None:
        sec = timed(fn, args.repeats)
        rows.append((label, sec))
        print(f"{label}: {sec * 1000:.1f} ms", flush=True)

    add(
        "weights: haversine 300×300 + kNN(6) + row standardisation",
        lambda: K.row_standardize(K.knn_weights(K.haversine_km(lon, lat), 6)),
    )
    add("permutations: 999 × 300 (seeded)", lambda: K.permutations(n, B, 0))
    add(
        "global Moran 999 perms × 300 cities × 20 years, kNN(6) W",
        lambda: K.moran_global(Y, Wk, perms),
    )
    add(
        "global Moran 999 perms × 300 cities × 20 years, dense inverse-distance W",
        lambda: K.moran_global(Y, Wi, perms),
    )
    add("Geary 999 perms × 300 × 20, kNN(6)", lambda: K.geary(Y, Wk, perms))
    add("LISA conditional 999 perms × 300 × 20, kNN(6)", lambda: K.moran_local(Y, Wk, perms))
    add("Getis-Ord Gi* 300 × 20", lambda: K.getis_ord_star(Y, Wb))
    cuts = M.quantile_cutoffs(Y.ravel(), 5)
    Cl = M.classify(Y, cuts)
    lagc = M.classify(Wk @ Y, M.quantile_cutoffs((Wk @ Y).ravel(), 5))
    add(
        "Markov 300 × 20, 5 classes: counts, P, steady state, first passage",
        lambda: M.mean_first_passage(M.probabilities(M.transition_counts(Cl, 5))),
    )
    add(
        "spatial Markov 300 × 20, 5 × 5 regimes + homogeneity",
        lambda: M.homogeneity(M.transition_counts(Cl, 5, regime=lagc, r=5)),
    )
    rng = np.random.default_rng(1)
    y = pd.Series(Y.ravel())
    f = pd.DataFrame({"a": Y.ravel() + rng.normal(0, 0.05, n * T), "b": rng.normal(size=n * T)})
    add(
        "GeoDetector 6000 rows × 2 factors × 5 methods × 6 class counts + detectors",
        lambda: geodetector(y, f),
    )
    add("Fisher–Jenks 1500 values, 8 classes", lambda: G.fisher_jenks_breaks(Y.ravel()[:1500], 8))

    def ellipses() -> None:
        for t in range(T):
            lon0, lat0 = C.mean_centre(lon, lat, Y[:, t])
            x, yy = C.local_xy(lon, lat, lon0, lat0)
            C.ellipse(x, yy, Y[:, t])

    add("centre of gravity + ellipse, 300 cities × 20 years", ellipses)
    idx = pd.MultiIndex.from_product([range(n), range(2001, 2001 + T)], names=["city", "year"])
    Ds = pd.Series(Y.ravel(), index=idx)
    add(
        "forecast D: GM(1,1) for 300 cities + mean, ARIMA + ETS for the mean (20 years)",
        lambda: forecast_panel(Ds, [2025, 2030]),
    )
    add(
        "forecast D: GM(1,1) + ARIMA + ETS for each of 40 cities (20 years)",
        lambda: forecast_panel(Ds.loc[list(range(40))], [2025, 2030], time_series="all"),
    )
    cities = pd.Index(range(n), name="city")
    coords = pd.DataFrame({"lon": lon, "lat": lat}, index=cities)
    P = pd.Series(rng.lognormal(3, 1, n), index=cities)
    add(
        "gravity network 300 cities: links, degree/closeness/betweenness",
        lambda: gravity_network(P, P, coords),
    )
    lines = [
        "# Spatial, dynamics and structure benchmarks",
        "",
        f"Measured {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC on "
        f"{platform.processor() or platform.machine()}, {os.cpu_count()} CPUs (shared), "
        f"Python {platform.python_version()}, numpy {np.__version__}; median of "
        f"{args.repeats} runs after a warm-up; load average {os.getloadavg()[0]:.1f} at the end "
        "(other work shares the cores, so timings vary up to 2×). Synthetic data "
        "(`benchmarks/bench_spatial.py`).",
        "",
        "| what | time |",
        "|---|---:|",
        *[f"| {label} | {sec * 1000:.1f} ms |" for label, sec in rows],
        "",
    ]
    Path(args.out).write_text("\n".join(lines), encoding="utf-8")
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
