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


def test_every_subpackage_declares_its_public_names():
    """Each room's ``__init__`` has ``__all__`` and every name in it resolves (kernels list
    their public modules)."""
    import importlib

    for room in ("kernels", "io", "model", "analysis", "assessment", "report", "batch"):
        module = importlib.import_module(f"coordeval.{room}")
        assert module.__all__, room
        for name in module.__all__:
            value = getattr(module, name, None)
            if value is None:
                value = importlib.import_module(f"coordeval.{room}.{name}")
            assert value is not None, f"coordeval.{room}.{name}"
