"""Unit cases of the ``exists`` condition, ``default`` and the tag operators, on inventory records."""

from __future__ import annotations

import pytest

from agentgov.policies.compiled import condition
from agentgov.scanner.conditions import FAIL, PASS, UNKNOWN, EvalContext, evaluate
from agentgov.scanner.model import Inventory, Location, Resource, Unknown


def _res(kind: str, rid: str, stack: str = "a.yaml", account: str | None = None, tags=None, **props) -> Resource:
    return Resource(
        kind=kind,
        id=rid,
        key=f"{stack}#{rid}",
        source="cloudformation",
        source_type=kind,
        stack=stack,
        location=Location(stack, 1),
        properties=props,
        tags=tags if tags is not None else {},
        account=account,
    )


def _inv(*resources: Resource) -> Inventory:
    inv = Inventory()
    for r in resources:
        inv.add(r)
    return inv


TRAIL_OK = {"attr": "is_multi_region_trail", "op": "truthy", "message": "not multi-region"}


def _exists(**kw):
    return condition({"exists": {"kind": "trail", "check": TRAIL_OK, **kw}})


def _eval(cond, res, inv, params=None):
    return evaluate(cond, res, EvalContext(inventory=inv, params=params or {}))


def test_none_declared_is_unknown_with_the_message():
    agent = _res("agent", "A")
    v = _eval(_exists(message="settled on live accounts"), agent, _inv(agent))
    assert v.status == UNKNOWN and v.messages == ["settled on live accounts"]


@pytest.mark.parametrize("if_none, status", [("pass", PASS), ("fail", FAIL), ("unknown", UNKNOWN)])
def test_if_none(if_none, status):
    agent = _res("agent", "A")
    assert _eval(_exists(if_none=if_none), agent, _inv(agent)).status == status


def test_one_passing_candidate_passes_and_names_it():
    agent = _res("agent", "A")
    bad = _res("trail", "Bad", is_multi_region_trail=False)
    good = _res("trail", "Good", is_multi_region_trail=True)
    v = _eval(_exists(), agent, _inv(agent, bad, good))
    assert v.status == PASS and v.evidence["settled_by"] == "Good"


def test_all_candidates_failing_fails_naming_them_and_pointing_at_one():
    agent = _res("agent", "A")
    bad = _res("trail", "Bad", is_multi_region_trail=False)
    v = _eval(_exists(), agent, _inv(agent, bad))
    assert v.status == FAIL and v.messages == ["trail Bad: not multi-region"]
    assert v.location == bad.location


def test_unknown_candidate_beats_failing_ones():
    agent = _res("agent", "A")
    bad = _res("trail", "Bad", is_multi_region_trail=False)
    maybe = _res("trail", "Maybe", is_multi_region_trail=Unknown("parameter Multi has no default"))
    v = _eval(_exists(), agent, _inv(agent, bad, maybe))
    assert v.status == UNKNOWN and "parameter Multi has no default" in v.messages[0]


def test_stack_scope_ignores_other_stacks_scan_scope_does_not():
    agent = _res("agent", "A", stack="app.yaml")
    good = _res("trail", "Org", stack="baseline.yaml", is_multi_region_trail=True)
    inv = _inv(agent, good)
    assert _eval(_exists(scope="stack"), agent, inv).status == UNKNOWN
    assert _eval(_exists(scope="scan"), agent, inv).status == PASS


def test_account_scope_skips_other_known_accounts_keeps_unknown_ones():
    agent = _res("agent", "A", stack="app", account="111111111111")
    other = _res("trail", "Other", stack="x", account="222222222222", is_multi_region_trail=True)
    assert _eval(_exists(scope="account"), agent, _inv(agent, other)).status == UNKNOWN
    iac = _res("trail", "Iac", stack="y", is_multi_region_trail=True)
    assert _eval(_exists(scope="account"), agent, _inv(agent, other, iac)).status == PASS


def test_where_narrows_candidates():
    agent = _res("agent", "A")
    other = _res("alarm", "Lambda", namespace="AWS/Lambda")
    cond = condition(
        {
            "exists": {
                "kind": "alarm",
                "where": {"attr": "namespace", "op": "equals", "value": "AWS/Bedrock"},
                "check": {"attr": "alarm_actions", "op": "not_empty"},
            }
        }
    )
    assert _eval(cond, agent, _inv(agent, other)).status == UNKNOWN
    assert "not counted: alarm Lambda" in _eval(cond, agent, _inv(agent, other)).messages[0]
    bedrock = _res("alarm", "Tokens", namespace="AWS/Bedrock")
    assert _eval(cond, agent, _inv(agent, other, bedrock)).status == FAIL


def test_exists_validates_in_the_schema():
    from agentgov.policies.schema import Policy

    with pytest.raises(Exception, match="scope"):
        Policy.model_validate(
            {
                "id": "AG999",
                "title": "t",
                "severity": "low",
                "pillar": "observe",
                "resource": ["agent"],
                "rationale": "r",
                "remediation": {"summary": "s", "cloudformation": "c", "terraform": "t"},
                "check": {"exists": {"kind": "trail", "scope": "galaxy"}},
            }
        )


@pytest.mark.parametrize("props, status", [({}, PASS), ({"ttl": 1200}, PASS), ({"ttl": 4000}, FAIL)])
def test_default_is_judged_when_absent(props, status):
    agent = _res("agent", "A", **props)
    cond = condition({"attr": "ttl", "op": "le", "value": 1800, "default": 600})
    assert _eval(cond, agent, _inv(agent)).status == status
    strict = condition({"attr": "ttl", "op": "le", "value": 300, "default": 600})
    assert _eval(strict, _res("agent", "B"), _inv()).status == FAIL  # the default itself is over the bound


@pytest.mark.parametrize(
    "tags, has",
    [
        ({"agentgov:evidence": "true"}, PASS),
        ({"agentgov:evidence": "TRUE"}, PASS),
        ({"agentgov:evidence": "no"}, FAIL),
        ({}, FAIL),
        (Unknown("tags from a variable"), UNKNOWN),
    ],
)
def test_has_tag(tags, has):
    b = _res("bucket", "B", tags=tags)
    v = _eval(condition({"attr": "tags", "op": "has_tag", "value": "agentgov:evidence=true"}), b, _inv(b))
    assert v.status == has
    neg = _eval(condition({"attr": "tags", "op": "not_has_tag", "value": "agentgov:evidence=true"}), b, _inv(b))
    assert neg.status == {PASS: FAIL, FAIL: PASS, UNKNOWN: UNKNOWN}[has]


def test_kind_path():
    a = _res("agent_runtime", "R")
    assert _eval(condition({"attr": "@kind", "op": "equals", "value": "agent_runtime"}), a, _inv(a)).status == PASS


def test_message_names_related_resources():
    from agentgov.scanner.model import Edge

    t = _res("table", "T")
    fn = _res("function", "Tool")
    inv = _inv(t, fn)
    inv.add_edge(Edge(t.key, "reached_by", fn.key))
    cond = condition({"attr": "pitr", "op": "truthy", "message": "no PITR; reached by {rel:reached_by}"})
    assert _eval(cond, t, inv).messages == ["no PITR; reached by function Tool"]


@pytest.mark.parametrize("props, message", [({"ttl": 4000}, "ttl 4000 over 1800"), ({}, "ttl absent over 1800")])
def test_message_shows_value_and_operand(props, message):
    a = _res("agent", "A", **props)
    cond = condition({"attr": "ttl", "op": "le", "value": 1800, "message": "ttl {value} over {operand}"})
    assert _eval(cond, a, _inv(a)).messages == [message]


def _live(kind, rid, region, props, source_type):
    from agentgov.scanner.model import Location, Resource

    return Resource(kind=kind, id=rid, key=f"aws://111122223333#{rid}", source="aws", source_type=source_type,
                    stack="aws://111122223333", location=Location(f"aws://111122223333/{region}/{rid}"),
                    properties=props, tags={}, account="111122223333", region=region, arn=rid)  # fmt: skip


def test_live_regional_controls_are_judged_per_region_and_a_completed_collection_that_found_none_fails(pack):
    from agentgov.scanner.config import Config, effective_parameters
    from agentgov.scanner.engine import run
    from agentgov.scanner.model import Inventory

    agent_arn = "arn:aws:bedrock:us-east-1:111122223333:agent/A1"
    inv = Inventory()
    inv.add(_live("agent", agent_arn, "us-east-1", {"agent_name": "a"}, "AWS::Bedrock::Agent"))
    logging_eu = "arn:aws:bedrock:eu-west-1:111122223333:model-invocation-logging-configuration"
    inv.add(_live("invocation_logging", logging_eu, "eu-west-1",
                  {"logging_config": {"text_data_delivery_enabled": True, "s3_config": {"bucket_name": "b"}}, "enabled": True},
                  "AWS::Bedrock::ModelInvocationLoggingConfiguration"))  # fmt: skip
    params = effective_parameters(Config(), pack.parameters)
    policies = [pack.get("AG601"), pack.get("AG602")]

    def verdicts():
        return {f.policy_id: (f.status.value, f.message) for f in run(inv, policies, params)}

    # nothing says the collection completed: logging in another region does not settle us-east-1, and no trail is UNKNOWN
    v = verdicts()
    assert v["AG601"][0] == "UNKNOWN" and v["AG602"][0] == "UNKNOWN"
    # the audit collected invocation logging and trails in us-east-1 and found none there
    inv.collected |= {("111122223333", "us-east-1", "invocation_logging"), ("111122223333", "us-east-1", "trail")}
    v = verdicts()
    assert v["AG601"] == ("FAIL", "account 111122223333 us-east-1 has no invocation logging (collected live)")
    assert v["AG602"][0] == "FAIL" and "has no trail (collected live)" in v["AG602"][1]
