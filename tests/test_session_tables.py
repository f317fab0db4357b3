"""AG704's session_table_pattern as parameters.yaml documents it: an empty pattern matches no table
(every table passes as not applicable, saying so); "." judges every table agent code reaches."""

from __future__ import annotations

from pathlib import Path

from agentgov.scanner.config import Config, effective_parameters
from agentgov.scanner.engine import scan
from agentgov.scanner.pack import load_pack

FIXTURE = Path(__file__).resolve().parent / "policies" / "AG704" / "cfn" / "pass_business_table.yaml"


def _statuses(pattern: str) -> dict[str, tuple[str, str]]:
    pack = load_pack()
    params = effective_parameters(Config(parameters={"session_table_pattern": pattern}), pack.parameters)
    return {f.resource_id: (f.status.value, f.message) for f in scan([FIXTURE], pack, params, only=["AG704"]).findings}


def test_the_description_says_what_an_empty_pattern_does():
    assert "An empty pattern matches no table" in load_pack().parameters["session_table_pattern"].description


def test_an_empty_pattern_judges_no_table_and_says_so():
    found = _statuses("")
    assert found and all(s == "PASS" and "not applicable" in m and "session_table_pattern" in m for s, m in found.values())


def test_a_dot_judges_every_table_agent_code_reaches():
    found = _statuses(".")
    assert found and all(s == "FAIL" for s, _ in found.values()), found
