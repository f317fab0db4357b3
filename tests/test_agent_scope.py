"""What counts as an agent's role or tool (POLICIES.md's opening paragraph), beyond the golden fixtures:
the evidence of a role judged for its trust alone says why."""

from __future__ import annotations

from pathlib import Path

from agentgov.scanner.config import Config, effective_parameters
from agentgov.scanner.engine import scan
from agentgov.scanner.pack import load_pack

FIXTURES = Path(__file__).resolve().parent / "policies" / "AG102"


def _findings(path: Path, pid: str):
    pack = load_pack()
    return scan([path], pack, effective_parameters(Config(), pack.parameters), only=[pid]).findings


def test_a_trust_only_role_is_judged_and_says_why():
    (f,) = _findings(FIXTURES / "tf" / "fail_trust_only_role_not_logging_role.tf", "AG102")
    assert f.resource_id == "aws_iam_role.handed_out"
    why = f.evidence["agent_role"]
    assert "nothing in the scanned files uses it" in why and "bedrock.amazonaws.com" in why


def test_a_role_serving_model_invocation_logging_or_a_flow_only_is_not_an_agent_role():
    for path in (
        FIXTURES / "tf" / "fail_trust_only_role_not_logging_role.tf",
        FIXTURES / "cfn" / "fail_trust_only_role_not_flow_role.yaml",
    ):
        for pid in ("AG101", "AG102", "AG104", "AG801"):
            ids = {f.resource_id for f in _findings(path, pid)}
            assert not ids & {"aws_iam_role.invocation_logging", "FlowRole"}, (path.name, pid, ids)


def test_a_role_an_agent_uses_carries_no_trust_only_reason():
    fixture = Path(__file__).resolve().parent / "policies" / "AG101" / "cfn" / "fail_aws_managed_bedrock_full_access.yaml"
    (f,) = _findings(fixture, "AG102")
    assert "agent_role" not in (f.evidence or {})


def test_a_violation_from_a_policy_in_another_file_sits_on_the_role_and_points_at_the_policy():
    tf = Path(__file__).resolve().parent / "policies" / "AG101" / "tf"
    for pid, where in (("AG101", "fail_cross_file_policy.tf:7"), ("AG105", "fail_cross_file_policy.tf:13")):
        (f,) = [f for f in _findings(tf, pid) if f.resource_id == "aws_iam_role.cross_file"]
        assert f.status.value == "FAIL" and f.location.file.endswith("fail_cross_file_role.tf"), (pid, f.location)
        assert f.location.line == 3
        assert where in f.evidence["policy_location"], (pid, f.evidence["policy_location"])
