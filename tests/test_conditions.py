"""Unit cases of the condition language on inventory records: element matching
(``where``), applicability (``when``), relations without ``check``, values of
known shape, and the registry analyzers' matching rules."""

from __future__ import annotations

import pytest

from agentgov.policies.compiled import condition
from agentgov.scanner.conditions import EvalContext, evaluate
from agentgov.scanner.model import MISSING, Choice, Edge, Inventory, Location, Ref, Resource, ShapedUnknown, Unknown


def _res(props, kind="guardrail", rid="G", locs=None):
    return Resource(
        kind=kind,
        id=rid,
        key=f"s#{rid}",
        source="cloudformation",
        source_type="AWS::Bedrock::Guardrail",
        stack="s",
        location=Location("t.yaml", 1),
        properties=props,
        attr_locations=locs or {},
    )


def _eval(cond, res, inv=None, params=None):
    inv = inv or Inventory()
    if res.key not in inv.resources:
        inv.add(res)
    return evaluate(condition(cond), res, EvalContext(inv, params or {}))


PROMPT_ATTACK_HIGH = {
    "attr": "content_policy_config.filters_config",
    "where": {
        "all": [
            {"attr": "type", "op": "equals", "value": "PROMPT_ATTACK"},
            {"attr": "input_strength", "op": "equals", "value": "HIGH"},
        ]
    },
    "op": "present",
    "message": "no strong prompt-attack filter",
}


def _filters(*items):
    return {"content_policy_config": {"filters_config": list(items)}}


# ------------------------------------------------------------ element matching


def test_where_present_passes_when_one_element_matches_and_points_at_it():
    res = _res(
        _filters({"type": "HATE", "input_strength": "HIGH"}, {"type": "PROMPT_ATTACK", "input_strength": "HIGH"}),
        locs={"content_policy_config.filters_config.1": Location("t.yaml", 9)},
    )
    v = _eval(PROMPT_ATTACK_HIGH, res)
    assert v.status == "PASS"
    assert v.path == "content_policy_config.filters_config.1"
    assert res.attr_location(v.path).line == 9


def test_where_needs_both_parts_on_the_same_element():
    # HIGH on another filter and PROMPT_ATTACK at MEDIUM: no single element matches
    res = _res(_filters({"type": "HATE", "input_strength": "HIGH"}, {"type": "PROMPT_ATTACK", "input_strength": "MEDIUM"}))
    v = _eval(PROMPT_ATTACK_HIGH, res)
    assert v.status == "FAIL"
    assert v.messages == ["no strong prompt-attack filter"]


@pytest.mark.parametrize("props", [{}, {"content_policy_config": {}}, _filters()])
def test_where_present_fails_without_elements(props):
    assert _eval(PROMPT_ATTACK_HIGH, _res(props)).status == "FAIL"


def test_where_element_that_cannot_be_judged_is_unknown_with_its_reason():
    res = _res(_filters({"type": "PROMPT_ATTACK", "input_strength": Unknown("parameter Strength has no default")}))
    v = _eval(PROMPT_ATTACK_HIGH, res)
    assert v.status == "UNKNOWN"
    assert "parameter Strength has no default" in v.messages[0]


def test_where_a_matching_element_decides_despite_an_unknown_one():
    res = _res(_filters(Unknown("a dynamic block over a variable"), {"type": "PROMPT_ATTACK", "input_strength": "HIGH"}))
    assert _eval(PROMPT_ATTACK_HIGH, res).status == "PASS"


def test_where_unknown_list_is_unknown():
    res = _res({"content_policy_config": {"filters_config": Unknown("var.filters has no default")}})
    v = _eval(PROMPT_ATTACK_HIGH, res)
    assert v.status == "UNKNOWN" and "var.filters" in v.messages[0]


def test_where_present_fails_when_a_deployable_variant_lacks_the_list():
    strong = {"filters_config": [{"type": "PROMPT_ATTACK", "input_strength": "HIGH"}]}
    res = _res({"content_policy_config": Choice("IsStrict", (strong, MISSING))})
    assert _eval(PROMPT_ATTACK_HIGH, res).status == "FAIL"


def test_where_an_element_absent_in_a_variant_is_just_not_an_element():
    strong = {"type": "PROMPT_ATTACK", "input_strength": "HIGH"}
    res = _res(_filters(strong, Choice("WithHate", ({"type": "HATE", "input_strength": "LOW"}, MISSING))))
    assert _eval(PROMPT_ATTACK_HIGH, res).status == "PASS"
    res = _res({"content_policy_config": {"filters_config": Choice("Strict", ([strong], MISSING))}})
    assert _eval(PROMPT_ATTACK_HIGH, res).status == "FAIL"  # here the whole list is absent in a variant


def test_where_absent():
    cond = {
        "attr": "content_policy_config.filters_config",
        "where": {
            "all": [
                {"attr": "type", "op": "equals", "value": "PROMPT_ATTACK"},
                {"attr": "input_strength", "op": "not_equals", "value": "HIGH"},
            ]
        },
        "op": "absent",
        "message": "weak",
    }
    weak = _res(
        _filters({"type": "PROMPT_ATTACK", "input_strength": "LOW"}),
        locs={"content_policy_config.filters_config.0": Location("t.yaml", 7)},
    )
    v = _eval(cond, weak)
    assert v.status == "FAIL" and v.messages == ["weak"] and v.path == "content_policy_config.filters_config.0"
    assert _eval(cond, _res(_filters({"type": "PROMPT_ATTACK", "input_strength": "HIGH"}))).status == "PASS"
    assert _eval(cond, _res({})).status == "PASS"
    assert _eval(cond, _res(_filters({"type": "PROMPT_ATTACK", "input_strength": Unknown("x")}))).status == "UNKNOWN"


def test_where_in_the_schema_allows_only_present_and_absent():
    from pydantic import ValidationError

    from agentgov.policies.schema import AttrCondition

    AttrCondition.model_validate(PROMPT_ATTACK_HIGH)
    with pytest.raises(ValidationError, match="op must be 'present' or 'absent'"):
        AttrCondition.model_validate({**PROMPT_ATTACK_HIGH, "op": "equals", "value": 1})
    with pytest.raises(ValidationError, match="give no 'value'"):
        AttrCondition.model_validate({**PROMPT_ATTACK_HIGH, "value": 1})
    with pytest.raises(ValidationError):
        AttrCondition.model_validate({**PROMPT_ATTACK_HIGH, "where": {"attr": "type", "op": "nope"}})


# --------------------------------------------------------------- applicability

WHEN = {
    "when": {"attr": "knowledge_bases", "op": "not_empty"},
    "then": {"attr": "guardrail", "op": "present", "message": "no guardrail"},
    "message": "not applicable: no knowledge base",
}


def test_when_not_applicable_passes_with_its_message():
    v = _eval(WHEN, _res({}, kind="agent"))
    assert v.status == "PASS" and v.messages == ["not applicable: no knowledge base"]


def test_when_applicable_judges_then():
    assert _eval(WHEN, _res({"knowledge_bases": ["kb"]}, kind="agent")).status == "FAIL"
    assert _eval(WHEN, _res({"knowledge_bases": ["kb"], "guardrail": "g"}, kind="agent")).status == "PASS"


def test_when_unknown_applicability_passes_only_if_then_passes():
    unknown_kbs = {"knowledge_bases": Unknown("var.kbs has no default")}
    assert _eval(WHEN, _res({**unknown_kbs, "guardrail": "g"}, kind="agent")).status == "PASS"
    v = _eval(WHEN, _res(unknown_kbs, kind="agent"))
    assert v.status == "UNKNOWN"
    assert any("var.kbs" in m for m in v.messages) and any("no guardrail" in m for m in v.messages)


# ------------------------------------------------------- relations without check


def test_related_without_check_asks_only_that_the_relation_exists():
    inv = Inventory()
    agent = _res({}, kind="agent", rid="A")
    kb = _res({}, kind="knowledge_base", rid="KB")
    outside = _res({}, kind="agent", rid="B")
    lonely = _res({}, kind="agent", rid="C")
    for r in (agent, kb, outside, lonely):
        inv.add(r)
    inv.add_edge(Edge(agent.key, "knowledge_base", kb.key))
    inv.add_edge(Edge(outside.key, "knowledge_base", Unknown("KB12345678 is not defined in the scanned files")))
    cond = {"related": "knowledge_base", "message": "no knowledge base"}
    assert _eval(cond, agent, inv).status == "PASS"
    assert _eval(cond, outside, inv).status == "PASS"
    v = _eval(cond, lonely, inv)
    assert v.status == "FAIL" and v.messages == ["no knowledge base"]


def test_used_by_names_the_referrers_of_a_failing_resource():
    inv = Inventory()
    g = _res(_filters(), rid="G")
    agent = _res({}, kind="agent", rid="A")
    version = _res({}, kind="guardrail_version", rid="V")
    for r in (g, agent, version):
        inv.add(r)
    inv.add_edge(Edge(agent.key, "guardrail", g.key))
    inv.add_edge(Edge(version.key, "guardrail", g.key))
    cond = {"used_by": "guardrail", "kinds": ["agent"], "check": PROMPT_ATTACK_HIGH}
    v = _eval(cond, g, inv)
    assert v.status == "FAIL"
    assert v.messages == ["no strong prompt-attack filter", "used by agent A"]
    assert v.evidence["used_by"] == ["agent A"]
    lonely = _res(_filters(), rid="L")
    assert _eval(cond, lonely, inv).messages[-1] == "no scanned agent references it"


# ------------------------------------------------------------ values of known shape


def _version_ref_agent(source_type):
    inv = Inventory()
    target = _res({}, kind="guardrail_version", rid="V")
    target.source_type = source_type
    agent = _res({"version": Ref("V", "Version")}, kind="agent", rid="A")
    inv.add(target)
    inv.add(agent)
    return inv, agent


@pytest.mark.parametrize(
    "op, value, status",
    [
        ("not_equals", "DRAFT", "PASS"),
        ("equals", "DRAFT", "FAIL"),
        ("not_in", ["DRAFT", ""], "PASS"),
        ("in", ["DRAFT"], "FAIL"),
        ("not_equals", "3", "UNKNOWN"),  # it may be 3
        ("equals", "3", "UNKNOWN"),
        ("present", None, "PASS"),
        ("matches", "^[0-9]+$", "UNKNOWN"),  # regexes are not compared with shapes
    ],
)
def test_a_published_version_is_a_number_of_unknown_value(op, value, status):
    inv, agent = _version_ref_agent("AWS::Bedrock::GuardrailVersion")
    cond = {"attr": "version", "op": op} | ({"value": value} if value is not None else {})
    assert _eval(cond, agent, inv).status == status


def test_a_guardrail_resource_version_is_draft():
    inv, agent = _version_ref_agent("aws_bedrock_guardrail")
    agent.properties["version"] = Ref("V", "version")
    assert _eval({"attr": "version", "op": "not_equals", "value": "DRAFT"}, agent, inv).status == "FAIL"


def test_shaped_unknown_is_an_unknown_elsewhere():
    s = ShapedUnknown("a number", shape="[0-9]+")
    assert isinstance(s, Unknown) and s.reason == "a number"


# ------------------------------------------------------------- registry matching


def test_model_forms_normalize_arns_and_cross_region_profiles():
    from agentgov.scanner.analyzers._models import model_forms

    forms, kind = model_forms("arn:aws:bedrock:us-east-1::foundation-model/anthropic.claude-3-haiku-20240307-v1:0")
    assert "anthropic.claude-3-haiku-20240307-v1:0" in forms and kind == "foundation-model"
    forms, kind = model_forms(
        "arn:aws:bedrock:us-east-1:123456789012:inference-profile/us.anthropic.claude-3-haiku-20240307-v1:0"
    )
    assert {"us.anthropic.claude-3-haiku-20240307-v1:0", "anthropic.claude-3-haiku-20240307-v1:0"} <= forms
    forms, _ = model_forms("apac.amazon.nova-pro-v1:0")
    assert "amazon.nova-pro-v1:0" in forms
    forms, _ = model_forms("amazon.nova-pro-v1:0")  # a provider name is not a region prefix
    assert forms == {"amazon.nova-pro-v1:0"}


def _agent(props):
    return _res(props, kind="agent", rid="A")


@pytest.mark.parametrize(
    "model, approved, status",
    [
        ("anthropic.claude-3-5-sonnet-20240620-v1:0", ["anthropic.claude-3-5-sonnet-*"], "PASS"),
        ("us.anthropic.claude-3-5-sonnet-20240620-v1:0", ["anthropic.claude-3-5-sonnet-*"], "PASS"),
        ("anthropic.claude-3-5-sonnet-20240620-v1:0", ["us.anthropic.claude-3-5-sonnet-*"], "FAIL"),
        ("anthropic.claude-v2", ["anthropic.claude-3-*"], "FAIL"),
        ("Anthropic.Claude-v2", ["anthropic.claude-v2"], "FAIL"),  # case-sensitive, as Bedrock is
        ("arn:aws:bedrock:us-east-1:1:application-inference-profile/abc", ["anthropic.*"], "UNKNOWN"),
        (
            "arn:aws:bedrock:us-east-1:1:application-inference-profile/abc",
            ["arn:aws:bedrock:*:application-inference-profile/abc"],
            "PASS",
        ),
        ("anthropic.claude-v2", None, "UNKNOWN"),
        (Unknown("var.model has no default"), ["x"], "UNKNOWN"),
    ],
)
def test_approved_model(model, approved, status):
    from agentgov.scanner.analyzers.approved_model import check as check_approved_model

    res = _agent({"foundation_model": model})
    inv = Inventory()
    inv.add(res)
    v = check_approved_model(res, EvalContext(inv, {}), {"approved": approved, "path": "foundation_model"})
    assert v.status == status, v.messages


@pytest.mark.parametrize(
    "identifier, registered, status",
    [
        ("gr1abc2def3g", ["gr1abc2def3g"], "PASS"),
        ("arn:aws:bedrock:us-east-1:123456789012:guardrail/gr1abc2def3g", ["gr1abc2def3g"], "PASS"),
        ("gr1abc2def3g", ["arn:aws:bedrock:us-east-1:123456789012:guardrail/gr1abc2def3g"], "PASS"),
        ("gr0other0000", ["gr1abc2def3g"], "FAIL"),
        (None, ["gr1abc2def3g"], "FAIL"),
        ("gr1abc2def3g", None, "UNKNOWN"),
        (Unknown("parameter GuardrailId has no default"), ["gr1abc2def3g"], "UNKNOWN"),
    ],
)
def test_registered_guardrail(identifier, registered, status):
    from agentgov.scanner.analyzers.registered_guardrail import check as check_registered_guardrail

    props = {} if identifier is None else {"guardrail_configuration": {"guardrail_identifier": identifier}}
    res = _agent(props)
    inv = Inventory()
    inv.add(res)
    v = check_registered_guardrail(res, EvalContext(inv, {}), {"registered": registered})
    assert v.status == status, v.messages


@pytest.mark.parametrize(
    "key, status",
    [
        (None, "FAIL"),
        ("alias/aws/bedrock", "FAIL"),
        ("arn:aws:kms:us-east-1:123456789012:alias/aws/bedrock", "FAIL"),
        ("arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab", "PASS"),
        ("alias/agents", "PASS"),
        (Ref("aws_kms_alias.agents", "arn"), "PASS"),
        (Ref("aws_ssm_parameter.key", "value"), "UNKNOWN"),
        (Unknown("data source data.aws_kms_key.k is read at apply time"), "UNKNOWN"),
    ],
)
def test_customer_managed_key(key, status):
    from agentgov.scanner.analyzers.customer_managed_key import check as check_customer_managed_key

    res = _agent({} if key is None else {"customer_encryption_key_arn": key})
    inv = Inventory()
    inv.add(res)
    v = check_customer_managed_key(res, EvalContext(inv, {}), {"paths": {"agent": "customer_encryption_key_arn"}})
    assert v.status == status, v.messages


_KEY = "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"


@pytest.mark.parametrize(
    "key, manager, status",
    [
        (_KEY, "CUSTOMER", "PASS"),
        (_KEY, "AWS", "FAIL"),
        ("1234abcd-12ab-34cd-56ef-1234567890ab", "AWS", "FAIL"),  # a bare key id: the key of its account and region
        (_KEY, Unknown("kms DescribeKey denied"), "UNKNOWN"),
        (_KEY, None, "UNKNOWN"),  # not among the keys the audit listed (another account's)
        ("alias/batch-output", None, "PASS"),  # KMS maps a customer alias only to a customer-managed key
    ],
)
def test_customer_managed_key_on_a_live_record_is_the_key_records_manager(key, manager, status):
    """On a live account a key ARN or id passes only when DescribeKey says the customer manages it."""
    from dataclasses import replace

    from agentgov.scanner.analyzers.customer_managed_key import check as check_customer_managed_key

    res = replace(_agent({"customer_encryption_key_arn": key}), source="aws", account="123456789012", region="us-east-1")
    inv = Inventory()
    inv.add(res)
    if manager is not None:
        props = {"key_id": _KEY.rsplit("/", 1)[-1], "key_arn": _KEY, "key_manager": manager}
        rec = replace(_res(props, kind="kms_key", rid=_KEY), source="aws", arn=_KEY, account="123456789012", region="us-east-1")
        inv.add(rec)
    v = check_customer_managed_key(res, EvalContext(inv, {}), {"paths": {"agent": "customer_encryption_key_arn"}})
    assert v.status == status, v.messages
    if status == "UNKNOWN":
        assert "cannot be told" in v.messages[0]


@pytest.mark.parametrize("literal_keys, status", [(None, "PASS"), ("unknown", "UNKNOWN")])
def test_a_literal_key_arn_in_iac_is_unknown_when_the_policy_asks(literal_keys, status):
    from agentgov.scanner.analyzers.customer_managed_key import check as check_customer_managed_key

    res = _agent({"customer_encryption_key_arn": _KEY})
    inv = Inventory()
    inv.add(res)
    params = {"paths": {"agent": "customer_encryption_key_arn"}, "literal_keys": literal_keys}
    assert check_customer_managed_key(res, EvalContext(inv, {}), params).status == status


def test_the_operator_registry_is_what_the_schema_accepts():
    """Each ``op:`` the policy schema accepts has one operator class, and no operator is unreachable."""
    from agentgov.policies.schema import ATTR_OPS
    from agentgov.scanner.conditions import OPERATORS

    assert set(OPERATORS) == set(ATTR_OPS)
    assert all(op.name == name for name, op in OPERATORS.items())


def test_every_condition_kind_has_its_function():
    from agentgov.policies import compiled
    from agentgov.scanner.conditions import CONDITIONS

    kinds = {compiled.All, compiled.AnyOf, compiled.Not, compiled.Attr, compiled.Related, compiled.When}
    kinds |= {compiled.UsedBy, compiled.Exists, compiled.AnalyzerCall}
    assert set(CONDITIONS) == kinds


def test_a_pack_with_an_operator_the_engine_lacks_fails_to_load(tmp_path, monkeypatch):
    """The schema and the engine's operators are checked against each other when the pack loads."""
    import shutil

    from agentgov.policies.registry import PACK_DIR, PackError
    from agentgov.scanner import pack as pack_module
    from agentgov.scanner.conditions import operators

    for f in PACK_DIR.iterdir():
        if f.suffix == ".yaml":
            shutil.copy(f, tmp_path / f.name)
    monkeypatch.setattr(operators, "OPERATORS", {k: v for k, v in operators.OPERATORS.items() if k != "has_keys"})
    with pytest.raises(PackError, match=r"AG801\.yaml:\d+: unknown operator 'has_keys'"):
        pack_module.load_pack(tmp_path, use_cache=False)
