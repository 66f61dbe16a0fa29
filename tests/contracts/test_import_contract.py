"""The import contract of ``pyproject.toml`` (import-linter) holds: data flows one way through
the rooms, kernels import nothing of the package but errors and the validator, and no room has
an import cycle inside. ``.ci/run`` runs ``lint-imports`` too; this test makes the README's
test command check it as well."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_the_import_contract_is_kept():
    run = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys; from importlinter.cli import lint_imports_command; "
            "sys.exit(lint_imports_command())",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-2000:]
    assert "Contracts: 3 kept, 0 broken." in run.stdout
