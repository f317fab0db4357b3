"""The layers and the absence of import cycles (``[tool.importlinter]`` in pyproject.toml) hold for the code.

``lint-imports`` reads every import, those inside functions too (a lazy import upward breaks the contract as a
top-level one does). Run with this interpreter, so the ``agentgov`` it analyses is the one under test.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]

pytest.importorskip("importlinter", reason="import-linter is not installed (pip install -e '.[test]')")


def test_the_import_contracts_are_kept():
    proc = subprocess.run(
        [sys.executable, "-c", "from importlinter.cli import lint_imports_command; lint_imports_command()", "--no-cache"],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=300,
    )
    out = proc.stdout + proc.stderr
    assert proc.returncode == 0, out
    assert "0 broken" in out and "2 kept" in out, out
