"""The wheel carries every subpackage: ``pip install .`` (not editable, as CI and users
install) lists packages explicitly in ``pyproject.toml``, so a new room must be named there."""

from __future__ import annotations

import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_every_subpackage_is_listed_for_the_wheel():
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    listed = set(config["tool"]["setuptools"]["packages"])
    src = ROOT / "src"
    found = {
        ".".join(p.parent.relative_to(src).parts) for p in (src / "coordeval").rglob("__init__.py")
    }
    assert found - listed == set()
    assert {"coordeval.model", "coordeval.assessment", "coordeval.batch"} <= found
