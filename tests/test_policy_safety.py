"""A user policy cannot execute code or hang a scan (issue 18, item 7): YAML safe load (tests/test_user_packs.py),
titles escaped in generated checks (tests/test_user_enforcement.py), and patterns: ``matches`` runs RE2 (linear time
in the input, whatever the pattern), patterns RE2 cannot run are refused when the policy loads, and values longer than
``MAX_MATCH_INPUT`` are not searched."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from agentgov.scanner.conditions import values
from agentgov.scanner.pack import load_effective

POLICY = """\
id: ORG020
title: Agent names follow the naming standard
severity: low
pillar: govern
resource: [agent]
rationale: Names are how incidents are routed.
remediation: {{summary: Rename it., cloudformation: "AgentName: team-x", terraform: 'agent_name = "team-x"'}}
check:
  attr: agent_name
  op: matches
  value: '{pattern}'
"""

TEMPLATE = """\
Resources:
  Agent:
    Type: AWS::Bedrock::Agent
    Properties:
      AgentName: {name}
"""


def _pack(tmp_path: Path, pattern: str) -> Path:
    d = tmp_path / "pack"
    d.mkdir(exist_ok=True)
    (d / "ORG020.yaml").write_text(POLICY.format(pattern=pattern))
    return d


def test_a_catastrophic_pattern_on_a_hostile_value_finishes(tmp_path):
    """(a+)+$ against 'aaa...ab' is exponential for a backtracking engine (Python's re: about 2^n steps); RE2 answers
    in linear time. The scan runs in a subprocess: on a backtracking engine it would not end, and the timeout (far
    above what the scan needs, not a speed bound) turns that into a failure instead of a hung suite."""
    d = _pack(tmp_path, "^(a+)+$")
    (tmp_path / "t.yaml").write_text(TEMPLATE.format(name="a" * 5000 + "b"))
    r = subprocess.run(
        [sys.executable, "-m", "agentgov.cli", "scan", "t.yaml", "--policies", str(d), "--policy", "ORG020", "--format", "json"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=300,
    )
    findings = json.loads(r.stdout)["findings"]
    assert [(f["policy_id"], f["status"]) for f in findings] == [("ORG020", "FAIL")], r.stderr


def test_the_engine_of_matches_is_re2():
    pytest.importorskip("re2")
    import re2

    assert isinstance(values.rx("^(a+)+$"), re2._Regexp)


@pytest.mark.parametrize(
    ("pattern", "why"),
    [
        ("^(a)\\1$", "backreferences and lookaround are not supported"),
        ("^(?=admin).*$", "backreferences and lookaround are not supported"),
        ("^(?<!x)y$", "backreferences and lookaround are not supported"),
        ("a" * 1001, "longer than 1000 characters"),
    ],
)
def test_patterns_re2_cannot_run_are_refused_at_load(tmp_path, pattern, why):
    pytest.importorskip("re2")
    pack = load_effective(None, [_pack(tmp_path, pattern)], read_config=False)
    assert "ORG020" not in pack.policies
    assert len(pack.not_loaded[0]) < 400  # one line, the pattern shortened
    assert len(pack.not_loaded) == 1 and ":11: " in pack.not_loaded[0] and why in pack.not_loaded[0], pack.not_loaded


def test_without_re2_the_unsafe_constructs_are_refused(monkeypatch):
    monkeypatch.setattr(values, "_RE2", [None, None])
    for bad in ("(a+)+$", "(a)\\1", "(?=x)y", "(x*)*"):
        assert values.pattern_problem(bad), bad
    for good in (
        "^(prod|shared)-[a-z0-9-]+$",
        "(?i)ignore (all|previous) instructions",
        "^https://[a-z0-9.-]+\\.example\\.com(/|$)",
    ):
        assert values.pattern_problem(good) is None, good


def test_a_value_longer_than_the_bound_is_unknown_not_searched(tmp_path, capsys):
    from agentgov.cli.main import main

    d = _pack(tmp_path, "^team-")
    (tmp_path / "t.yaml").write_text(TEMPLATE.format(name="team-" + "x" * values.MAX_MATCH_INPUT))
    capsys.readouterr()
    main(["scan", str(tmp_path / "t.yaml"), "--policies", str(d), "--policy", "ORG020", "--format", "json"])
    (f,) = json.loads(capsys.readouterr()[0])["findings"]
    assert f["status"] == "UNKNOWN" and f"longer than {values.MAX_MATCH_INPUT} characters: not searched" in f["message"]
