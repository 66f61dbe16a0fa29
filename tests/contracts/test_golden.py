"""The demo outputs equal the committed golden outputs (``tests/golden/``, written by
``tests/golden/make_golden.py`` at a known-good commit): every cell of every demo workbook,
every CSV sidecar, the monitoring demo's model file and ``scores.csv`` history.

A deliberate change of an output is made by re-running the script and committing the new
golden file with the change that explains it.
"""

from __future__ import annotations

import gzip
import importlib.util
import json
import math
from pathlib import Path
from typing import Any

import pytest

HERE = Path(__file__).resolve().parents[1] / "golden"
REL_TOL = 1e-9
_spec = importlib.util.spec_from_file_location("make_golden", HERE / "make_golden.py")
assert _spec is not None and _spec.loader is not None
make_golden = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(make_golden)


def _differences(expected: Any, actual: Any, where: str, out: list[str]) -> None:
    if isinstance(expected, dict) and isinstance(actual, dict):
        for key in sorted(expected.keys() | actual.keys()):
            if key not in actual:
                out.append(f"{where}/{key}: missing")
            elif key not in expected:
                out.append(f"{where}/{key}: new value {actual[key]!r}")
            else:
                _differences(expected[key], actual[key], f"{where}/{key}", out)
    elif isinstance(expected, list) and isinstance(actual, list) and len(expected) == len(actual):
        for i, (e, a) in enumerate(zip(expected, actual, strict=True)):
            _differences(e, a, f"{where}[{i}]", out)
    elif isinstance(expected, float) and isinstance(actual, (int, float)):
        if not math.isclose(expected, actual, rel_tol=REL_TOL, abs_tol=1e-12):
            out.append(f"{where}: {expected!r} -> {actual!r}")
    elif isinstance(expected, str) and isinstance(actual, str) and "\n" in expected:
        old, new = expected.splitlines(), actual.splitlines()
        if old != new:
            changed = [i for i, (a, b) in enumerate(zip(old, new, strict=False)) if a != b]
            out.append(
                f"{where}: {len(old)} -> {len(new)} lines, first changed line "
                f"{changed[0] + 1 if changed else min(len(old), len(new)) + 1}"
            )
    elif expected != actual:
        out.append(f"{where}: {expected!r} -> {actual!r}")


@pytest.fixture(scope="module")
def rebuilt() -> dict[str, Any]:
    return json.loads(json.dumps(make_golden.build(), ensure_ascii=False))


@pytest.fixture(scope="module")
def golden() -> dict[str, Any]:
    return json.loads(gzip.decompress(make_golden.GOLDEN.read_bytes()))


def test_the_same_outputs_are_written(golden, rebuilt):
    assert sorted(rebuilt) == sorted(golden)


@pytest.mark.parametrize(
    "name", sorted(json.loads(gzip.decompress((HERE / "golden.json.gz").read_bytes())))
)
def test_every_value_equals_the_golden_output(golden, rebuilt, name):
    diffs: list[str] = []
    _differences(golden[name], rebuilt.get(name), name, diffs)
    assert not diffs, f"{len(diffs)} difference(s):\n" + "\n".join(diffs[:40])
