"""The sample datasets shipped with coordeval (real figures with provenance; see data/README.md)."""

from __future__ import annotations

from dataclasses import dataclass
from importlib.abc import Traversable

from coordeval._resources import shipped


@dataclass(frozen=True)
class Dataset:
    """One shipped dataset.

    Attributes
    ----------
    name : str
        Short name used by ``coordeval demo`` and for the report file.
    file : str
        CSV file in ``data/``.
    system : str
        Built-in indicator system in ``indices/``.
    kind : {"panel", "targets"}
        ``panel``: city-year indicator values; ``targets``: plan base values and targets.
    title : str
        One-line description.
    missing : {"error", "drop", "interpolate"}
        Missing-value policy the demo uses (``drop`` where the source tables cover different
        units, as in capitals2018; the dropped rows are listed in the report).
    geometry : str, optional
        Boundary file in ``data/`` for the demo's maps.
    coords : str, optional
        City coordinates in ``data/`` for the demo's spatial analyses (and point maps when
        there is no boundary file).
    map_credit : str, optional
        Source line printed under the demo's maps.
    """

    name: str
    file: str
    system: str
    kind: str
    title: str
    missing: str = "error"
    geometry: str | None = None
    coords: str | None = None
    map_credit: str | None = None

    def path(self) -> Traversable:
        """Location of the data file inside the installed package."""
        return shipped("data") / self.file


DATASETS: tuple[Dataset, ...] = (
    Dataset(
        "cyg2019",
        "cyg2019.csv",
        "cyg2019",
        "panel",
        "成渝贵 2019: 重庆, 成都, 贵阳 × 10 indicators (刘波、邓玲 2021)",
    ),
    Dataset(
        "capitals2018",
        "capitals2018.csv",
        "capitals2018",
        "panel",
        "Five western capitals 2018: scale and innovation (罗丹阳, tables dated 2018); "
        "重庆 is dropped: its two tables cover different areas",
        missing="drop",
    ),
    Dataset(
        "munnell",
        "munnell_states_1970_1986.csv",
        "munnell",
        "panel",
        "US states 1970–1986, public capital panel (Munnell 1990) — non-Chinese panel demo",
        geometry="us_states_contiguous.geojson",
        coords="munnell_state_coords.csv",
        map_credit="Boundaries: US Census Bureau cartographic boundary files 2017 (1:10,000,000), "
        "via us-atlas 3.0.1 (ISC licence); Albers equal-area projection",
    ),
    Dataset(
        "qianzhong2025",
        "qianzhong_plan_2022_2025.csv",
        "qianzhong2025",
        "targets",
        "黔中城市群 plan: 29 indicators, 2022 base and 2025 targets (贵州省发改委 2023)",
    ),
)


def get_dataset(name: str) -> Dataset:
    """The shipped dataset called ``name``."""
    for d in DATASETS:
        if d.name == name:
            return d
    raise KeyError(f"no shipped dataset {name!r}; one of {[d.name for d in DATASETS]}")
