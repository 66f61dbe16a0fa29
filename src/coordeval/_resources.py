"""Where the shipped indicator systems and sample data live (installed, or in a source tree)."""

from __future__ import annotations

from importlib import resources
from importlib.abc import Traversable
from pathlib import Path


def shipped(folder: str) -> Traversable:
    """The packaged folder ``indices`` or ``data`` (``coordeval.indices``/``coordeval.data``).

    In a source checkout run without installation the repository's top-level folder is used.
    """
    try:
        return resources.files(f"coordeval.{folder}")
    except ModuleNotFoundError:
        return Path(__file__).resolve().parents[2] / folder
