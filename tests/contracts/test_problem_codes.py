"""Every problem coordeval reports carries a stable code from the catalog, so that tests and
translations do not depend on English wording (issue 16) and a ``--lang zh`` report words every
data issue in Chinese (issue 13)."""

from __future__ import annotations

import ast
from pathlib import Path

import coordeval
from coordeval._messages import MESSAGES

SRC = Path(coordeval.__file__).resolve().parent


def _calls(name: str) -> list[tuple[str, ast.Call]]:
    found = []
    for path in sorted(SRC.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Call):
                f = node.func
                called = f.id if isinstance(f, ast.Name) else getattr(f, "attr", None)
                if called == name:
                    found.append((f"{path.relative_to(SRC)}:{node.lineno}", node))
    return found


def _code(call: ast.Call) -> ast.expr | None:
    """The ``code=`` argument, or a ``**fields`` expansion that carries it."""
    return next((k.value for k in call.keywords if k.arg in ("code", None)), None)


def test_every_problem_is_created_with_a_code():
    calls = _calls("Problem")
    assert len(calls) > 50  # the scan sees the package's problem sites
    missing = [where for where, call in calls if _code(call) is None]
    assert not missing, "Problem(...) without code=: " + ", ".join(missing)


#: Helpers that build a coded problem or error from a code given as a positional argument
#: (name → position of the code).
_HELPERS = {
    "coded": 0,
    "located": 0,
    "config_error": 0,
    "_config": 0,
    "coded_error": 1,
    "warn_coded": 1,
}


def test_every_literal_code_is_in_the_catalog():
    unknown, seen = [], 0
    for name in ("Problem", "ConfigError", "DataWarning", "MethodWarning", *_HELPERS):
        for where, call in _calls(name):
            code = _code(call)
            if code is None and name in _HELPERS and len(call.args) > _HELPERS[name]:
                code = call.args[_HELPERS[name]]
            if isinstance(code, ast.Constant) and isinstance(code.value, str):
                seen += 1
                if code.value not in MESSAGES:
                    unknown.append(f"{where} {code.value!r}")
    assert seen > 300  # the scan reaches the helpers' call sites
    assert not unknown, "codes missing from the catalog: " + ", ".join(unknown)
