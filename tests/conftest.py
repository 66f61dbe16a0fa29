"""Shared test helpers."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable

import pytest


def _run(*args: str) -> subprocess.CompletedProcess:
    """``python -m coordeval ARGS`` in a real subprocess (wide console, text output)."""
    return subprocess.run(
        [sys.executable, "-m", "coordeval", *args],
        capture_output=True,
        text=True,
        timeout=600,
        env={**os.environ, "COLUMNS": "400"},
    )


@pytest.fixture(scope="session")
def run_cli() -> Callable[..., subprocess.CompletedProcess]:
    """The coordeval command through a real subprocess."""
    return _run
