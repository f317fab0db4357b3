"""Inline suppressions (CloudFormation metadata, Terraform comments): reasons required, SARIF suppressions."""

from __future__ import annotations

from pathlib import Path

from agentgov.reports import sarif
from agentgov.scanner.config import Config, effective_parameters
from agentgov.scanner.engine import scan

CFN = """
Resources:
  Agent:
    Type: AWS::Bedrock::Agent
    Metadata:
      agentgov:
        ignore:
          - { id: AG201, reason: "guardrail applied by the calling application; reviewed 2026-11" }
          - AG801
    Properties: { AgentName: a }
"""

TF = """
# agentgov:ignore AG201 reason="guardrail enforced account-wide"
resource "aws_bedrockagent_agent" "waived" {
  agent_name = "w"
}

resource "aws_bedrockagent_agent" "no_reason" {
  # agentgov:ignore AG201
  agent_name = "n"
}
"""


def _scan(tmp_path, monkeypatch, pack, name, text):
    (tmp_path / name).write_text(text)
    monkeypatch.chdir(tmp_path)
    return scan([Path(".")], pack, effective_parameters(Config(), pack.parameters), only=["AG201", "AG801"])


def test_cloudformation_metadata_suppression(tmp_path, monkeypatch, pack):
    result = _scan(tmp_path, monkeypatch, pack, "t.yaml", CFN)
    by = {f.policy_id: f for f in result.findings}
    assert by["AG201"].status.value == "SUPPRESSED"
    assert by["AG201"].suppression["reason"].startswith("guardrail applied")
    # a suppression without a reason is refused: the finding stays and says so
    assert by["AG801"].status.value == "FAIL"
    assert "refused: it gives no reason" in by["AG801"].message
    doc = sarif.render(result)
    res = next(r for r in doc["runs"][0]["results"] if r["ruleId"] == "AG201")
    assert res["suppressions"] == [{"kind": "inSource", "status": "accepted", "justification": by["AG201"].suppression["reason"]}]


def test_terraform_comment_suppression(tmp_path, monkeypatch, pack):
    result = _scan(tmp_path, monkeypatch, pack, "main.tf", TF)
    by = {(f.policy_id, f.resource_id): f for f in result.findings}
    waived = by[("AG201", "aws_bedrockagent_agent.waived")]
    assert waived.status.value == "SUPPRESSED" and waived.suppression["reason"] == "guardrail enforced account-wide"
    refused = by[("AG201", "aws_bedrockagent_agent.no_reason")]
    assert refused.status.value == "FAIL" and "refused" in refused.message


def test_an_inline_wildcard_is_refused_and_the_findings_stay(tmp_path, monkeypatch, pack):
    cfn = CFN.replace(
        '- { id: AG201, reason: "guardrail applied by the calling application; reviewed 2026-11" }',
        '- { id: "*", reason: "all" }',
    )
    result = _scan(tmp_path, monkeypatch, pack, "t.yaml", cfn)
    by = {f.policy_id: f for f in result.findings}
    assert by["AG201"].status.value == "FAIL" and "'*' would suppress every policy" in by["AG201"].message
    assert by["AG801"].status.value == "FAIL"
