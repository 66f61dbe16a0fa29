"""Shared test helpers: the data folder, file hashes, files written in an encoding, the command
line (in process and in a subprocess), the Munnell sample panel, small indicator systems and
synthetic panels, and workbook readers.

Fixtures serve the tests; the plain functions below them (``build_system``, ``synthetic_panel``,
``sha256``, ``write_encoded``, ``sheet_values``) also serve module-level constants and
hypothesis strategies, which cannot take fixtures (``from conftest import build_system``).
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
from hypothesis import settings

# Property tests explore the same examples on every run (a fixed seed per test), so a red
# suite can be reproduced; a case they once found is kept as an ``@example``.
settings.register_profile("coordeval", derandomize=True)
settings.load_profile("coordeval")

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "data"


# ------------------------------------------------------------------------------------------
# plain helpers


def sha256(path: Path) -> str:
    """Hex SHA-256 of a file's bytes (to show that an input or an old output is untouched)."""
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def write_encoded(path: Path, text: str, encoding: str = "utf-8-sig") -> Path:
    """Write ``text`` to ``path`` in ``encoding`` (default: UTF-8 with BOM, as Excel saves CSV)
    and return the path."""
    path = Path(path)
    path.write_bytes(text.encode(encoding))
    return path


def build_system(
    subsystems: Mapping[str, Mapping[str, Any]],
    name: str = "test",
    method: Mapping[str, Any] | None = None,
) -> Any:
    """A small :class:`~coordeval.system.IndicatorSystem` from a compact spec.

    ``subsystems`` maps a subsystem id to its indicators: indicator id → direction (``"+"`` or
    ``"-"``), or → a dict of indicator fields (``direction``, ``name_zh``, ``unit``, ``aliases``,
    ``bounds``, ``weight`` …). Names default to the ids.

    >>> build_system({"eco": {"gdp": "+", "jobless": "-"}, "env": {"pm25": "-"}})
    """
    from coordeval.system import system_from_dict

    def indicator(iid: str, spec: str | Mapping[str, Any]) -> dict[str, Any]:
        fields = {"direction": spec} if isinstance(spec, str) else dict(spec)
        return {"id": iid, "name_zh": iid, "name_en": iid, **fields}

    data: dict[str, Any] = {
        "name": name,
        "subsystems": [
            {
                "id": sid,
                "name_zh": sid,
                "name_en": sid,
                "indicators": [indicator(i, s) for i, s in indicators.items()],
            }
            for sid, indicators in subsystems.items()
        ],
    }
    if method:
        data["method"] = dict(method)
    return system_from_dict(data)


def synthetic_panel(
    columns: Sequence[str],
    cities: int | Sequence[str] = 5,
    years: Sequence[int] = (2019, 2020, 2021),
    seed: int = 0,
    low: float = 1.0,
    high: float = 100.0,
) -> pd.DataFrame:
    """A panel indexed ``(city, year)`` with uniform random values in ``[low, high)``, one
    column per indicator id (cities ``c0, c1, …`` when a count is given)."""
    names = [f"c{i}" for i in range(cities)] if isinstance(cities, int) else list(cities)
    index = pd.MultiIndex.from_product([names, list(years)], names=["city", "year"])
    values = np.random.default_rng(seed).uniform(low, high, (len(index), len(columns)))
    return pd.DataFrame(values, index=index, columns=list(columns))


def sheet_values(workbook: Any, sheet: str, min_row: int = 1) -> list[Any]:
    """Every non-empty cell value of a sheet, row by row (``workbook``: a path or an openpyxl
    workbook)."""
    if not hasattr(workbook, "worksheets"):
        from openpyxl import load_workbook

        workbook = load_workbook(workbook)
    rows = workbook[sheet].iter_rows(min_row=min_row, values_only=True)
    return [v for row in rows for v in row if v is not None]


def _run(*args: str) -> subprocess.CompletedProcess:
    """``python -m coordeval ARGS`` in a real subprocess (wide console, text output)."""
    return subprocess.run(
        [sys.executable, "-m", "coordeval", *args],
        capture_output=True,
        text=True,
        timeout=600,
        env={**os.environ, "COLUMNS": "400"},
    )


# ------------------------------------------------------------------------------------------
# fixtures


@pytest.fixture(scope="session")
def data_dir() -> Path:
    """The repository's ``data/`` folder (real sample data with provenance)."""
    return DATA


@pytest.fixture(scope="session")
def run_cli() -> Callable[..., subprocess.CompletedProcess]:
    """The coordeval command through a real subprocess."""
    return _run


@pytest.fixture(scope="session")
def invoke() -> Callable[..., Any]:
    """The coordeval command in process (Typer's runner); arguments may be paths or numbers.

    ``invoke("validate", data, "--system", toml)`` returns the runner's result
    (``exit_code``, ``output``, ``stdout``, ``stderr``).
    """
    from typer.testing import CliRunner

    from coordeval.cli import app

    runner = CliRunner()

    def run(*args: Any, **kwargs: Any) -> Any:
        return runner.invoke(app, [str(a) for a in args], **kwargs)

    return run


@pytest.fixture(scope="session")
def munnell_panel() -> tuple[Any, pd.DataFrame]:
    """Twelve US states × 1970–1975 of the real Munnell (1990) panel, with its system."""
    import coordeval as ce

    system = ce.load_system("munnell")
    with pytest.warns(ce.DataWarning, match="p_cap"):
        panel = ce.read_panel(DATA / "munnell_states_1970_1986.csv", system)
    states = sorted(panel.index.get_level_values("city").unique())[:12]
    keep = panel.index.get_level_values("city").isin(states) & (
        panel.index.get_level_values("year") <= 1975
    )
    return system, panel[keep]
