"""``import coordeval`` is light: public names resolve on first use; the heavy stack stays out."""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

import coordeval

HEAVY = ("pandas", "statsmodels", "sklearn", "openpyxl", "pyarrow", "dask", "scipy")


def _fresh(code: str) -> str:
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120
    )
    return out.stdout


def test_import_loads_none_of_the_heavy_dependencies():
    code = (
        "import json, sys, coordeval; "
        f"print(json.dumps([m for m in {HEAVY!r} if m in sys.modules]))"
    )
    assert json.loads(_fresh(code)) == []


def test_the_command_line_module_loads_none_of_them_either():
    code = (
        "import json, sys, coordeval.cli; "
        f"print(json.dumps([m for m in {HEAVY!r} if m in sys.modules]))"
    )
    assert json.loads(_fresh(code)) == []


def test_every_public_name_resolves_to_its_defining_module():
    for name in coordeval.__all__:
        value = getattr(coordeval, name)
        if name != "__version__":
            assert coordeval._LAZY[name].startswith("coordeval.")
            home = sys.modules[coordeval._LAZY[name]]
            assert getattr(home, name) is value, name
    assert set(coordeval._LAZY) == set(coordeval.__all__) - {"__version__"}


def test_first_use_loads_only_what_the_name_needs():
    code = (
        "import json, sys, coordeval as ce; ce.Problem; "
        "print(json.dumps([m for m in ('pandas', 'statsmodels') if m in sys.modules]))"
    )
    assert json.loads(_fresh(code)) == []
    code = (
        "import json, sys, coordeval as ce; ce.normalize; "
        "print(json.dumps([m for m in ('pandas', 'statsmodels') if m in sys.modules]))"
    )
    assert json.loads(_fresh(code)) == ["pandas"]


def test_dir_star_import_and_subpackages():
    assert set(coordeval.__all__) <= set(dir(coordeval))
    namespace: dict[str, object] = {}
    exec("from coordeval import *", namespace)
    assert set(coordeval.__all__) <= set(namespace)
    assert coordeval.kernels.__name__ == "coordeval.kernels"
    try:
        coordeval.no_such_name  # noqa: B018
    except AttributeError as exc:
        assert "no_such_name" in str(exc)
    else:
        raise AssertionError("an unknown name must raise AttributeError")


def test_the_type_checking_imports_match_the_table():
    """Type checkers read the TYPE_CHECKING block; the runtime reads _LAZY: they agree."""
    tree = ast.parse(Path(coordeval.__file__).read_text(encoding="utf-8"))
    block = next(
        n
        for n in tree.body
        if isinstance(n, ast.If) and getattr(n.test, "id", "") == "TYPE_CHECKING"
    )
    seen = {a.name: n.module for n in block.body if isinstance(n, ast.ImportFrom) for a in n.names}
    assert seen == coordeval._LAZY
