"""AG207-AG209 on live guardrails: the audit reads GetGuardrail's answer (contentPolicy.tier, crossRegionDetails, ...)
under CreateGuardrail's names, so the live verdicts are the IaC ones (moto, completed by agentgov.demo.awsmock)."""

from __future__ import annotations

import pytest

pytest.importorskip("moto")

import agentgov.demo.awsmock as S  # noqa: E402
from agentgov.audit.run import AuditOptions, run_audit  # noqa: E402

HARMFUL = ("HATE", "INSULTS", "SEXUAL", "VIOLENCE", "MISCONDUCT")


def _verdicts(pack, params, only):
    result = run_audit(AuditOptions(role_name=S.AUDIT_ROLE, regions=["us-east-1"], workers=2), pack, params, only=only)
    return {(f.policy_id, f.resource_name or f.resource_id): f for f in result.findings if f.policy_id in only}


def test_guardrail_content_tier_and_topics_are_judged_live(aws, pack, params):
    (member,) = S.organization(1)
    br = S.session_in(member).client("bedrock", region_name="us-east-1")
    common = {"blockedInputMessaging": "no", "blockedOutputsMessaging": "no"}
    strict = br.create_guardrail(
        name="strict",
        contentPolicyConfig={
            "filtersConfig": [{"type": t, "inputStrength": "HIGH", "outputStrength": "MEDIUM"} for t in HARMFUL],
            "tierConfig": {"tierName": "STANDARD"},
        },
        topicPolicyConfig={
            "topicsConfig": [{"name": "advice", "definition": "investment advice", "type": "DENY"}],
            "tierConfig": {"tierName": "STANDARD"},
        },
        crossRegionConfig={"guardrailProfileIdentifier": "us.guardrail.v1:0"},
        **common,
    )
    weak = br.create_guardrail(
        name="weak",
        contentPolicyConfig={
            "filtersConfig": [{"type": "HATE", "inputStrength": "LOW", "outputStrength": "HIGH", "outputAction": "NONE"}]
        },
        wordPolicyConfig={"wordsConfig": [{"text": "competitor"}]},
        **common,
    )
    names = {strict["guardrailArn"]: "strict", weak["guardrailArn"]: "weak"}
    v = {(pid, names[r]): f for (pid, r), f in _verdicts(pack, params, ["AG207", "AG208", "AG209"]).items()}
    assert {k: f.status.value for k, f in v.items()} == {
        ("AG207", "strict"): "PASS",
        ("AG208", "strict"): "PASS",
        ("AG209", "strict"): "PASS",
        ("AG207", "weak"): "FAIL",
        ("AG208", "weak"): "FAIL",
        ("AG209", "weak"): "FAIL",
    }
    assert "HATE: input strength LOW" in v[("AG207", "weak")].message
    assert "output only detects" in v[("AG207", "weak")].message
    assert "no filter for INSULTS, SEXUAL, VIOLENCE, MISCONDUCT" in v[("AG207", "weak")].message


def test_a_denied_guardrail_read_makes_them_unknown_naming_the_call(aws, pack, params):
    (member,) = S.organization(1)
    S.session_in(member).client("bedrock", region_name="us-east-1").create_guardrail(
        name="g", blockedInputMessaging="no", blockedOutputsMessaging="no"
    )
    S.deny(member, "bedrock", "GetGuardrail")
    v = _verdicts(pack, params, ["AG207", "AG208", "AG209"])
    assert {f.status.value for f in v.values()} == {"UNKNOWN"} and len(v) == 3
    for f in v.values():
        assert "GetGuardrail" in f.message, f.message
