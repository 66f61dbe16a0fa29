"""Synthetic benchmark panels (random numbers, not data): an indicator system of ``m``
indicators in 7 subsystems, wide panels in memory, as Parquet and as .xlsx.

Every file written here has "synthetic" in its name; nothing here is real data.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from coordeval.system import IndicatorSystem, system_from_dict

SEED = 20240601
N_SUBSYSTEMS = 7


def synthetic_system(m: int = 30) -> IndicatorSystem:
    """``m`` indicators ``x0 … x{m-1}`` split as evenly as possible into 7 subsystems; every
    fifth indicator (x3, x8, …) is a cost indicator."""
    sizes = [m // N_SUBSYSTEMS + (1 if s < m % N_SUBSYSTEMS else 0) for s in range(N_SUBSYSTEMS)]
    subs, k = [], 0
    for s, size in enumerate(sizes):
        inds = []
        for _ in range(size):
            inds.append(
                {
                    "id": f"x{k}",
                    "name_zh": f"合成指标{k}",
                    "name_en": f"synthetic indicator {k}",
                    "direction": "-" if k % 5 == 3 else "+",
                }
            )
            k += 1
        subs.append(
            {
                "id": f"s{s}",
                "name_zh": f"合成子系统{s}",
                "name_en": f"synthetic {s}",
                "indicators": inds,
            }
        )
    return system_from_dict({"name": "synthetic benchmark system", "subsystems": subs})


def synthetic_matrix(rows: int, m: int = 30, seed: int = SEED) -> np.ndarray:
    """Positive lognormal values (rows × m, column-major), reproducible from ``seed``; filled
    column by column, so no temporary of the full size is made."""
    rng = np.random.default_rng(seed)
    X = np.empty((rows, m), order="F")
    for j in range(m):
        X[:, j] = rng.lognormal(mean=2.0, sigma=0.8, size=rows)
    return X


def synthetic_frame(rows: int, m: int = 30, seed: int = SEED) -> pd.DataFrame:
    """A wide panel with a default index and columns ``x0 …``: the same values as
    :func:`synthetic_matrix`, in pandas' column-major layout, without a copy."""
    return pd.DataFrame(
        synthetic_matrix(rows, m, seed), columns=[f"x{j}" for j in range(m)], copy=False
    )


def synthetic_city_panel(
    system: IndicatorSystem, n_cities: int, n_years: int, seed: int = 0
) -> pd.DataFrame:
    """A synthetic (city, year) panel for report benchmarks: positive lognormal city levels
    with a mild common trend (2 % a year) and noise, indexed by ``synthetic_city_*``."""
    rng = np.random.default_rng(seed)
    ids = system.indicator_ids
    index = pd.MultiIndex.from_product(
        [[f"synthetic_city_{i:05d}" for i in range(n_cities)], range(2000, 2000 + n_years)],
        names=["city", "year"],
    )
    level = rng.lognormal(0.0, 0.5, size=(n_cities, 1, len(ids)))
    trend = 1.0 + 0.02 * np.arange(n_years)[None, :, None]
    noise = rng.lognormal(0.0, 0.1, size=(n_cities, n_years, len(ids)))
    values = (level * trend * noise).reshape(n_cities * n_years, len(ids))
    return pd.DataFrame(values, index=index, columns=ids)


def _keys(start: int, rows: int, years: int = 20) -> tuple[np.ndarray, np.ndarray]:
    i = np.arange(start, start + rows)
    city = np.char.add("synthetic_unit_", (i // years).astype(str))
    return city, 2000 + i % years


def write_synthetic_parquet(
    path: str | Path, rows: int, m: int = 30, chunk_rows: int = 1 << 20
) -> Path:
    """Write a synthetic wide panel (``city``, ``year``, ``x0 …``) of ``rows`` rows in chunks,
    so memory stays at one chunk whatever ``rows`` is."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    path = Path(path)
    if "synthetic" not in path.name:
        raise ValueError("synthetic benchmark files must say 'synthetic' in their name")
    writer = None
    try:
        for k, start in enumerate(range(0, rows, chunk_rows)):
            n = min(chunk_rows, rows - start)
            city, year = _keys(start, n)
            frame = pd.DataFrame(
                synthetic_matrix(n, m, SEED + k), columns=[f"x{j}" for j in range(m)]
            )
            frame.insert(0, "year", year)
            frame.insert(0, "city", city)
            table = pa.Table.from_pandas(frame, preserve_index=False)
            if writer is None:
                writer = pq.ParquetWriter(str(path), table.schema)
            writer.write_table(table)
    finally:
        if writer is not None:
            writer.close()
    return path


def write_synthetic_xlsx(path: str | Path, rows: int, m: int = 30) -> Path:
    """Write a synthetic wide workbook (header 城市, 年份, indicator ids) with openpyxl."""
    from openpyxl import Workbook

    path = Path(path)
    if "synthetic" not in path.name:
        raise ValueError("synthetic benchmark files must say 'synthetic' in their name")
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("synthetic")
    ws.append(["城市", "年份", *[f"x{j}" for j in range(m)]])
    X = np.round(synthetic_matrix(rows, m), 4)
    city, year = _keys(0, rows)
    for r in range(rows):
        ws.append([str(city[r]), int(year[r]), *X[r].tolist()])
    wb.save(path)
    return path
