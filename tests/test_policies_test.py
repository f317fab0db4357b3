"""``agentgov policies test`` (issue 18, item 4): each policy against its fixtures, expectations inline or in
expected.yaml, matched both ways; the built-in pack runs through the same runner."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from agentgov.cli.main import main
from agentgov.policies.registry import PACK

REPO = Path(__file__).resolve().parents[1]
EXIT_OK, EXIT_FAIL, EXIT_USAGE = 0, 1, 2

POLICY = """\
id: ORG010
title: Agents carry a cost-center tag
severity: medium
pillar: govern
resource: [agent]
rationale: Cost is charged back to the team that runs the agent.
remediation: {summary: Tag it., cloudformation: "Tags: {cost-center: x}", terraform: 'tags = { cost-center = "x" }'}
check: {attr: tags, op: has_tag, value: cost-center, message: no cost-center tag}
"""

CFN = """\
AWSTemplateFormatVersion: "2010-09-09"
Resources:
  # agentgov:expect FAIL ORG010
  Untagged:
    Type: AWS::Bedrock::Agent
    Properties:
      AgentName: a
  Tagged:  # agentgov:expect PASS ORG010
    Type: AWS::Bedrock::Agent
    Properties:
      AgentName: b
      Tags: {cost-center: cc-1}
"""

TF = """\
// agentgov:expect FAIL ORG010
resource "aws_bedrockagent_agent" "untagged" {
  agent_name = "a"
}

# agentgov:expect PASS ORG010
resource "aws_bedrockagent_agent" "tagged" {
  agent_name = "b"
  tags       = { cost-center = "cc-1" }
}
"""


def _pack(tmp_path: Path, cfn: str = CFN, tf: str = TF) -> Path:
    d = tmp_path / "pack"
    (d / "fixtures" / "ORG010" / "cfn").mkdir(parents=True)
    (d / "fixtures" / "ORG010" / "tf").mkdir()
    (d / "ORG010.yaml").write_text(POLICY)
    (d / "fixtures" / "ORG010" / "cfn" / "agents.yaml").write_text(cfn)
    (d / "fixtures" / "ORG010" / "tf" / "main.tf").write_text(tf)
    return d


def _test(capsys, *argv: str) -> tuple[int, str]:
    capsys.readouterr()
    rc = main(["policies", "test", *argv])
    out, err = capsys.readouterr()
    return rc, out + err


def test_inline_expectations_in_yaml_and_hcl_pass(tmp_path, capsys):
    rc, out = _test(capsys, str(_pack(tmp_path)))
    assert rc == EXIT_OK, out
    assert "ORG010     inline             2        4       4       0          0  ok" in out


def test_an_unexpected_finding_is_a_mismatch(tmp_path, capsys):
    rc, out = _test(capsys, str(_pack(tmp_path, cfn=CFN.replace("  # agentgov:expect FAIL ORG010\n", ""))))
    assert rc == EXIT_FAIL
    assert "ORG010: unexpected: cfn/agents.yaml: Untagged FAIL" in out and "MISMATCH" in out


def test_a_missing_finding_is_a_mismatch(tmp_path, capsys):
    tf = TF.replace('agent_name = "a"', 'agent_name = "a"\n  tags       = { cost-center = "cc-2" }')
    rc, out = _test(capsys, str(_pack(tmp_path, tf=tf)))
    assert rc == EXIT_FAIL
    assert "ORG010: missing: tf/main.tf: aws_bedrockagent_agent.untagged FAIL" in out


def test_json_fixtures_take_a_sidecar_or_are_skipped_with_a_message(tmp_path, capsys):
    d = _pack(tmp_path)
    j = d / "fixtures" / "ORG010" / "cfn" / "agent.json"
    j.write_text('{"Resources": {"J": {"Type": "AWS::Bedrock::Agent", "Properties": {"AgentName": "j"}}}}')
    rc, out = _test(capsys, str(d))
    assert (
        rc == EXIT_OK
        and "cfn/agent.json: skipped (JSON cannot carry comments: write the expectations in agent.json.expect.yaml)" in out
    )
    (j.parent / "agent.json.expect.yaml").write_text("- {resource: J, status: PASS, policy: ORG010}\n")
    rc, out = _test(capsys, str(d))
    assert rc == EXIT_FAIL and "ORG010: missing: cfn/agent.json: J PASS" in out and "unexpected: cfn/agent.json: J FAIL" in out
    (j.parent / "agent.json.expect.yaml").write_text("- {resource: J, status: FAIL, policy: ORG010}\n")
    assert _test(capsys, str(d))[0] == EXIT_OK


def test_a_policy_without_fixtures_or_expectations_fails(tmp_path, capsys):
    d = _pack(tmp_path)
    shutil.rmtree(d / "fixtures")
    rc, out = _test(capsys, str(d))
    assert rc == EXIT_FAIL and "NO EXPECTATIONS" in out and "no fixtures" in out


def test_a_broken_policy_exits_2_and_the_others_are_tested(tmp_path, capsys):
    d = _pack(tmp_path)
    (d / "ORG011.yaml").write_text(POLICY.replace("ORG010", "ORG011").replace("[agent]", "[agnet]"))
    rc, out = _test(capsys, str(d))
    assert rc == EXIT_USAGE and "ORG011.yaml:5: unknown resource kind 'agnet'" in out and "ORG010     inline" in out


def test_expected_yaml_is_matched_both_ways(tmp_path, capsys):
    root = tmp_path / "fixtures"
    shutil.copytree(REPO / "tests" / "policies" / "AG201", root / "AG201")
    assert _test(capsys, "--fixtures", str(root), "--policy", "AG201")[0] == EXIT_OK
    exp = root / "AG201" / "expected.yaml"
    lines = exp.read_text().splitlines()
    row = next(x for x in lines if "status: FAIL" in x)
    exp.write_text("\n".join(x for x in lines if x != row) + "\n- {file: cfn/none.yaml, resource: X, status: FAIL, line: 1}\n")
    rc, out = _test(capsys, "--fixtures", str(root), "--policy", "AG201")
    assert rc == EXIT_FAIL
    assert "AG201: missing: cfn/none.yaml: X FAIL (line 1)" in out and "AG201: unexpected: " in out


@pytest.mark.slow
def test_the_whole_builtin_pack_passes_its_own_runner(capsys):
    """Dogfood: every built-in policy against tests/policies/<ID>/ and its expected.yaml, through `policies test`."""
    rc, out = _test(capsys)
    assert rc == EXIT_OK, out
    assert f"{len(PACK)} policies tested: {len(PACK)} ok" in out
    for pid in PACK:
        assert f"\n{pid:10} expected.yaml" in out
