"""AG906 on live AgentCore runtimes: GetAgentRuntime's authorizerConfiguration reads as CloudFormation's
AuthorizerConfiguration, so the live verdicts are the IaC ones (moto, completed by agentgov.demo.awsmock)."""

from __future__ import annotations

import pytest

pytest.importorskip("moto")

import agentgov.demo.awsmock as S  # noqa: E402
from agentgov.audit.run import AuditOptions, run_audit  # noqa: E402

DISCOVERY = "https://idp.example.com/.well-known/openid-configuration"


def _verdicts(pack, params, only):
    result = run_audit(AuditOptions(role_name=S.AUDIT_ROLE, regions=["us-east-1"], workers=2), pack, params, only=only)
    return {(f.policy_id, f.resource_name or f.resource_id): f for f in result.findings if f.policy_id in only}


def _runtime(c, account: str, name: str, **extra):
    return c.create_agent_runtime(
        agentRuntimeName=name,
        roleArn=f"arn:aws:iam::{account}:role/runtime",
        networkConfiguration={"networkMode": "PUBLIC"},
        agentRuntimeArtifact={"containerConfiguration": {"containerUri": f"{account}.dkr.ecr.us-east-1.amazonaws.com/a:1"}},
        **extra,
    )


def test_runtime_end_user_authentication_is_judged_live(aws, pack, params):
    (member,) = S.organization(1)
    c = S.session_in(member).client("bedrock-agentcore-control", region_name="us-east-1")
    names = {
        _runtime(c, member, "iam_only")["agentRuntimeArn"]: "iam_only",
        _runtime(c, member, "any_audience", authorizerConfiguration={"customJWTAuthorizer": {"discoveryUrl": DISCOVERY}})[
            "agentRuntimeArn"
        ]: "any_audience",
        _runtime(
            c,
            member,
            "clients",
            authorizerConfiguration={"customJWTAuthorizer": {"discoveryUrl": DISCOVERY, "allowedClients": ["7abc"]}},
        )["agentRuntimeArn"]: "clients",
    }
    v = {names[k[1]]: f for k, f in _verdicts(pack, params, ["AG906"]).items()}
    assert {k: f.status.value for k, f in v.items()} == {"iam_only": "FAIL", "any_audience": "FAIL", "clients": "PASS"}
    assert "no custom JWT authorizer" in v["iam_only"].message
    assert "no allowed audiences and no allowed clients" in v["any_audience"].message


def test_a_denied_runtime_read_makes_it_unknown_naming_the_call(aws, pack, params):
    (member,) = S.organization(1)
    c = S.session_in(member).client("bedrock-agentcore-control", region_name="us-east-1")
    _runtime(c, member, "clients", authorizerConfiguration={"customJWTAuthorizer": {"discoveryUrl": DISCOVERY}})
    S.deny(member, "bedrock-agentcore-control", "GetAgentRuntime")
    (f,) = _verdicts(pack, params, ["AG906"]).values()
    assert f.status.value == "UNKNOWN" and "GetAgentRuntime" in f.message, f.message
