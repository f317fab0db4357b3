"""AG210 on live flows: the audit reads each flow's draft (GetFlow) and every published version (GetFlowVersion) with
its definition under the API's names, which are the IaC ones, so a node's guardrail is judged the same way live
(moto, completed by agentgov.demo.awsmock)."""

from __future__ import annotations

import pytest

pytest.importorskip("moto")

import agentgov.demo.awsmock as S  # noqa: E402
from agentgov.audit.run import AuditOptions, run_audit  # noqa: E402
from agentgov.demo.awsmock.estate import flow_definition  # noqa: E402

REGION = "us-east-1"
MODEL = "anthropic.claude-3-haiku-20240307-v1:0"
GUARDRAIL = {"guardrailIdentifier": "gr1234abcd", "guardrailVersion": "1"}


def _verdicts(pack, params):
    result = run_audit(AuditOptions(role_name=S.AUDIT_ROLE, regions=[REGION], workers=2), pack, params, only=["AG210"])
    return {f.resource_id: f for f in result.findings if f.policy_id == "AG210"}


def _role(session) -> str:
    return session.client("iam").create_role(
        RoleName="flow-role", AssumeRolePolicyDocument=S.trust({"Service": "bedrock.amazonaws.com"})
    )["Role"]["Arn"]


def test_flows_and_their_versions_are_judged_by_their_nodes_guardrails(aws, pack, params):
    (member,) = S.organization(1)
    session = S.session_in(member)
    role = _role(session)
    ab = session.client("bedrock-agent", region_name=REGION)
    guarded = S.deploy_flow(session, REGION, "guarded", role_arn=role, guardrail=GUARDRAIL)
    open_ = S.deploy_flow(session, REGION, "open", role_arn=role, guardrail=None)
    # published without guardrails, then the draft guarded: the version keeps what it was published with
    fixed = S.deploy_flow(session, REGION, "fixed-later", role_arn=role, guardrail=None)
    ab.update_flow(
        flowIdentifier=fixed["flow_id"], name="fixed-later", executionRoleArn=role, definition=flow_definition(MODEL, GUARDRAIL)
    )
    retrieval = ab.create_flow(
        name="retrieval-only",
        executionRoleArn=role,
        definition={
            "nodes": [
                {"name": "Docs", "type": "KnowledgeBase", "configuration": {"knowledgeBase": {"knowledgeBaseId": "KB00000001"}}}
            ]
        },
    )
    no_version = ab.create_flow(
        name="no-guardrail-version",
        executionRoleArn=role,
        definition=flow_definition(MODEL, {"guardrailIdentifier": "gr1234abcd"}),
    )
    prompt = {"sourceConfiguration": {"resource": {"promptArn": f"arn:aws:bedrock:{REGION}:123456789012:prompt/PROMPT1234"}}}
    inner = {"nodes": [{"name": "Draft", "type": "Prompt", "configuration": {"prompt": prompt}}]}
    loop = ab.create_flow(  # a loop runs a definition of its own, whose prompt node has no guardrail
        name="loop",
        executionRoleArn=role,
        definition={"nodes": [{"name": "Refine", "type": "Loop", "configuration": {"loop": {"definition": inner}}}]},
    )
    v = _verdicts(pack, params)
    status = {k: f.status.value for k, f in v.items()}
    assert status == {
        guarded["flow"]: "PASS",
        f"{guarded['flow']}/version/1": "PASS",
        open_["flow"]: "FAIL",
        f"{open_['flow']}/version/1": "FAIL",
        fixed["flow"]: "PASS",
        f"{fixed['flow']}/version/1": "FAIL",
        retrieval["arn"]: "PASS",
        no_version["arn"]: "FAIL",
        loop["arn"]: "FAIL",
    }
    assert "in loop 'Refine', prompt node 'Draft': no guardrail configuration" in v[loop["arn"]].message
    msg = v[open_["flow"]].message
    assert "prompt node 'Rewrite': no guardrail configuration" in msg and "knowledge-base node 'Answer'" in msg
    assert v[retrieval["arn"]].message == "no prompt or text-generating knowledge-base node"
    assert "a guardrail without a version" in v[no_version["arn"]].message
    assert v[f"{guarded['flow']}/version/1"].evidence["guarded"] == ["prompt node 'Rewrite'", "knowledge-base node 'Answer'"]


@pytest.mark.parametrize("operation", ["GetFlow", "GetFlowVersion"])
def test_a_denied_flow_read_makes_it_unknown_naming_the_call(aws, pack, params, operation):
    (member,) = S.organization(1)
    session = S.session_in(member)
    flow = S.deploy_flow(session, REGION, "guarded", role_arn=_role(session), guardrail=GUARDRAIL)
    S.deny(member, "bedrock-agent", operation)
    v = _verdicts(pack, params)
    denied = f"{flow['flow']}/version/1" if operation == "GetFlowVersion" else flow["flow"]
    other = flow["flow"] if operation == "GetFlowVersion" else f"{flow['flow']}/version/1"
    assert v[denied].status.value == "UNKNOWN" and operation in v[denied].message, v[denied].message
    assert v[other].status.value == "PASS"


def test_a_denied_flow_list_is_a_coverage_gap_not_a_pass(aws, pack, params):
    (member,) = S.organization(1)
    session = S.session_in(member)
    S.deploy_flow(session, REGION, "open", role_arn=_role(session), guardrail=None)
    S.deny(member, "bedrock-agent", "ListFlows")
    result = run_audit(AuditOptions(role_name=S.AUDIT_ROLE, regions=[REGION], workers=2), pack, params, only=["AG210"])
    assert [f for f in result.findings if f.policy_id == "AG210"] == []
    gaps = [f for f in result.findings if f.policy_id == "AG000"]
    assert gaps and any("ListFlows" in f.message for f in gaps), [f.message for f in gaps]


def test_a_version_published_without_a_definition_is_judged_on_its_own_not_on_the_draft(aws, pack, params):
    (member,) = S.organization(1)
    session = S.session_in(member)
    role = _role(session)
    ab = session.client("bedrock-agent", region_name=REGION)
    flow = ab.create_flow(name="grown", executionRoleArn=role)  # no definition yet: version 1 has none
    ab.create_flow_version(flowIdentifier=flow["id"])
    ab.update_flow(flowIdentifier=flow["id"], name="grown", executionRoleArn=role, definition=flow_definition(MODEL, None))
    v = _verdicts(pack, params)
    assert v[flow["arn"]].status.value == "FAIL"
    version = v[f"{flow['arn']}/version/1"]
    assert (version.status.value, version.message) == ("PASS", "no prompt or text-generating knowledge-base node")
