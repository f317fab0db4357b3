"""Golden fixtures per policy, matched both ways (see tests/golden.py)."""

from __future__ import annotations

import golden
import pytest

from agentgov.policies.registry import PACK


@pytest.mark.parametrize("pid", PACK)
def test_golden(pid):
    exp = golden.expected(pid)
    act = golden.actual(pid)
    key = lambda r: (r["file"], r["resource"], r["status"], r["line"])  # noqa: E731
    missing = sorted(set(map(key, exp)) - set(map(key, act)), key=str)
    unexpected = sorted(set(map(key, act)) - set(map(key, exp)), key=str)
    assert not missing and not unexpected, (
        f"{pid}: expected findings missing: {missing}\nunexpected findings: {unexpected}\n"
        f"(after a deliberate change: python tests/golden.py {pid}, then review the diff)"
    )


@pytest.mark.parametrize("pid", PACK)
def test_fixture_names_say_what_they_expect(pid):
    """fail_* files fail, pass_* files never fail, unknown_* files are UNKNOWN; each has a finding; none_* files have none."""
    rows = golden.expected(pid)
    by_file: dict[str, set[str]] = {}
    for r in rows:
        by_file.setdefault(r["file"], set()).add(r["status"])
    assert rows, f"{pid} has no expected findings"
    for file, statuses in by_file.items():
        name = file.rsplit("/", 1)[-1]
        if name.startswith("fail_"):
            assert "FAIL" in statuses, f"{file} is named fail_ but nothing fails"
        elif name.startswith("pass_"):
            assert statuses <= {"PASS"}, f"{file} is named pass_ but has {statuses}"
        elif name.startswith("unknown_"):
            assert "UNKNOWN" in statuses and "FAIL" not in statuses, f"{file}: {statuses}"
        elif name.startswith("none_"):  # what the policy cannot judge in that source: no finding at all
            raise AssertionError(f"{file} is named none_ but has findings {statuses}")
