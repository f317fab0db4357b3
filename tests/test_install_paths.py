"""agentgov is on no package index: nothing in the repository tells anyone to install it by name.

Every install path installs from the repository itself (``pip install .`` / ``'.[extra]'`` in a clone, the Action from
its own checkout, ``agentgov @ git+https://...`` at a tag or commit, the Config rule's zip from ``agentgov config-rules
package``). An install by name would fail, or install whatever else holds that name.
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
#: ``pip install agentgov``, ``pip install -U 'agentgov[aws]'``, ``pip install "agentgov"``, ``pipx install agentgov``,
#: ``uv pip install agentgov``...: a name, not a path or a ``name @ url`` direct reference
BY_NAME = re.compile(
    r"""\b(?:pip3?|pipx|uv(?: pip| tool)?) +install +(?:-[-\w=]+ +)*["']?agentgov(?:\[[\w,]+\])?["']?(?!\s*@)(?=[\s"'`)]|$)"""
)


def _tracked() -> list[Path]:
    try:
        out = subprocess.run(["git", "ls-files"], cwd=REPO, capture_output=True, text=True, check=True).stdout
    except (OSError, subprocess.CalledProcessError):
        pytest.skip("not a git checkout")
    return [REPO / line for line in out.splitlines() if line and (REPO / line).is_file()]


def test_the_pattern_finds_an_install_by_name_and_not_one_from_the_repository():
    for bad in ("pip install agentgov", "pip install -U 'agentgov[aws]'", 'pip install "agentgov"', "pipx install agentgov"):
        assert BY_NAME.search(bad), bad
    for good in ("pip install '.[aws]'", 'pip install "agentgov @ git+https://github.com/o/agentgov@v0.2.0"', "pip install ."):
        assert not BY_NAME.search(good), good


def test_nothing_installs_agentgov_by_name():
    hits = []
    for path in _tracked():
        if path.suffix in (".gz", ".zip", ".png", ".pdf") or path.parent == REPO / "tests":
            continue  # tests name the forbidden commands in order to refuse them
        try:
            text = path.read_text(encoding="utf-8")
        except (UnicodeDecodeError, OSError):
            continue
        for no, line in enumerate(text.splitlines(), 1):
            if BY_NAME.search(line):
                hits.append(f"{path.relative_to(REPO)}:{no}: {line.strip()}")
    assert not hits, "installs by name (agentgov is on no index):\n" + "\n".join(hits)
