"""Synthetic panels for scale benchmarks only — never used by the demo or the sample data.

Every value is drawn from a seeded random generator: the numbers stand for no real city.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from coordeval.system import IndicatorSystem, system_from_dict


def synthetic_system(n_subsystems: int = 7, per_subsystem: int = 9) -> IndicatorSystem:
    """A synthetic indicator system (every third indicator a cost indicator)."""
    subs = []
    for s in range(n_subsystems):
        inds = [
            {
                "id": f"syn_s{s}_i{i}",
                "name_zh": f"合成指标{s}-{i}",
                "name_en": f"synthetic {s}-{i}",
                "unit": "",
                "direction": "-" if i % 3 == 2 else "+",
            }
            for i in range(per_subsystem)
        ]
        subs.append(
            {
                "id": f"syn_s{s}",
                "name_zh": f"合成子系统{s}",
                "name_en": f"synthetic subsystem {s}",
                "indicators": inds,
            }
        )
    return system_from_dict({"name": "synthetic benchmark system", "subsystems": subs})


def synthetic_panel(
    system: IndicatorSystem, n_cities: int, n_years: int, seed: int = 0
) -> pd.DataFrame:
    """A synthetic (city, year) panel with positive log-normal values and a mild trend."""
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
