"""AG307 on live AgentCore gateways: the audit asks WAF for each gateway's web ACL (GetWebACLForResource), which AWS
documents for AgentCore gateways ("Protecting your gateway with AWS WAF") (moto, completed by agentgov.demo.awsmock)."""

from __future__ import annotations

import pytest

pytest.importorskip("moto")

import agentgov.demo.awsmock as S  # noqa: E402
from agentgov.audit.run import AuditOptions, run_audit  # noqa: E402

REGION = "us-east-1"


def _verdicts(pack, params):
    result = run_audit(AuditOptions(role_name=S.AUDIT_ROLE, regions=[REGION], workers=2), pack, params, only=["AG307"])
    return {f.resource_name or f.resource_id: f for f in result.findings if f.policy_id == "AG307"}


def _gateway(c, account: str, name: str) -> str:
    return c.create_gateway(name=name, roleArn=f"arn:aws:iam::{account}:role/gw", protocolType="MCP", authorizerType="AWS_IAM")[
        "gatewayArn"
    ]


def test_gateway_web_acls_are_judged_live(aws, pack, params):
    (member,) = S.organization(1)
    session = S.session_in(member)
    c = session.client("bedrock-agentcore-control", region_name=REGION)
    guarded, open_ = _gateway(c, member, "guarded"), _gateway(c, member, "open")
    waf = session.client("wafv2", region_name=REGION)
    vis = {"SampledRequestsEnabled": True, "CloudWatchMetricsEnabled": True, "MetricName": "gw"}
    acl = waf.create_web_acl(Name="gateway", Scope="REGIONAL", DefaultAction={"Allow": {}}, VisibilityConfig=vis)["Summary"][
        "ARN"
    ]
    waf.associate_web_acl(WebACLArn=acl, ResourceArn=guarded)
    v = _verdicts(pack, params)
    assert {k: v[k].status.value for k in (guarded, open_)} == {guarded: "PASS", open_: "FAIL"}
    assert "GetWebACLForResource names none" in v[open_].message


def test_a_denied_web_acl_read_makes_it_unknown_naming_the_call(aws, pack, params):
    (member,) = S.organization(1)
    c = S.session_in(member).client("bedrock-agentcore-control", region_name=REGION)
    arn = _gateway(c, member, "gw")
    S.deny(member, "wafv2", "GetWebACLForResource")
    f = _verdicts(pack, params)[arn]
    assert f.status.value == "UNKNOWN" and "GetWebACLForResource" in f.message, f.message
