"""AG306 on live AgentCore runtimes, endpoints and gateways: the audit reads GetResourcePolicy for each (no policy:
ResourceNotFoundException) and judges the documents as IaC does (moto, completed by agentgov.demo.awsmock)."""

from __future__ import annotations

import json

import pytest

pytest.importorskip("moto")

import agentgov.demo.awsmock as S  # noqa: E402
from agentgov.audit.run import AuditOptions, run_audit  # noqa: E402

REGION = "us-east-1"


def _verdicts(pack, params):
    result = run_audit(AuditOptions(role_name=S.AUDIT_ROLE, regions=[REGION], workers=2), pack, params, only=["AG306"])
    return {f.resource_name or f.resource_id: f for f in result.findings if f.policy_id == "AG306"}


def _doc(*statements):
    return json.dumps({"Version": "2012-10-17", "Statement": list(statements)})


def _runtime(c, account: str, name: str) -> dict:
    return c.create_agent_runtime(
        agentRuntimeName=name,
        roleArn=f"arn:aws:iam::{account}:role/runtime",
        networkConfiguration={"networkMode": "PUBLIC"},
        agentRuntimeArtifact={"containerConfiguration": {"containerUri": f"{account}.dkr.ecr.{REGION}.amazonaws.com/a:1"}},
    )


def test_resource_policies_are_judged_live(aws, pack, params):
    (member,) = S.organization(1)
    c = S.session_in(member).client("bedrock-agentcore-control", region_name=REGION)
    public = _runtime(c, member, "public_rt")["agentRuntimeArn"]
    partner = _runtime(c, member, "partner_rt")["agentRuntimeArn"]
    org = _runtime(c, member, "org_rt")["agentRuntimeArn"]
    bare = c.create_gateway(name="bare", roleArn=f"arn:aws:iam::{member}:role/gw", protocolType="MCP", authorizerType="AWS_IAM")
    invoke = "bedrock-agentcore:InvokeAgentRuntime"
    c.put_resource_policy(
        resourceArn=public, policy=_doc({"Effect": "Allow", "Principal": "*", "Action": invoke, "Resource": "*"})
    )
    c.put_resource_policy(
        resourceArn=partner,
        policy=_doc(
            {"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::210987654321:root"}, "Action": invoke, "Resource": "*"}
        ),
    )
    c.put_resource_policy(
        resourceArn=org,
        policy=_doc(
            {
                "Effect": "Allow",
                "Principal": {"AWS": "*"},
                "Action": invoke,
                "Resource": "*",
                "Condition": {"StringEquals": {"aws:PrincipalOrgID": "o-a1b2c3d4e5"}},
            },
            {
                "Effect": "Allow",
                "Principal": {"AWS": f"arn:aws:iam::{member}:root"},
                "Action": "bedrock-agentcore:*",
                "Resource": "*",
            },
        ),
    )
    v = _verdicts(pack, params)
    status = {arn: v[arn].status.value for arn in (public, partner, org, bare["gatewayArn"])}
    assert status == {public: "FAIL", partner: "FAIL", org: "PASS", bare["gatewayArn"]: "PASS"}
    assert "allows any principal (public)" in v[public].message
    assert "allows account 210987654321 (another account)" in v[partner].message
    assert "no resource policy is attached on the account" in v[bare["gatewayArn"]].message


def test_a_denied_policy_read_makes_it_unknown_naming_the_call(aws, pack, params):
    (member,) = S.organization(1)
    c = S.session_in(member).client("bedrock-agentcore-control", region_name=REGION)
    arn = _runtime(c, member, "rt")["agentRuntimeArn"]
    S.deny(member, "bedrock-agentcore-control", "GetResourcePolicy")
    f = _verdicts(pack, params)[arn]
    assert f.status.value == "UNKNOWN" and "GetResourcePolicy" in f.message, f.message
