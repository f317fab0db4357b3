"""SCP compiler: templates filled from configuration, validation, size packing, break glass,
the evaluator (checked against AWS's documented semantics), explain, the baseline, deploy (moto)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from agentgov.cli.main import main
from agentgov.policies.compiled import PolicySpec, Remediation
from agentgov.scanner.config import Config, effective_parameters
from agentgov.scps import outputs
from agentgov.scps.compiler import SCP_MAX_CHARS, ScpError, build, minified, pack_documents, statements_of
from agentgov.scps.evaluator import Request, arn_like, evaluate
from agentgov.scps.validate import operator_ok, validate_statement

REPO = Path(__file__).resolve().parents[1]
BREAK_GLASS = "arn:aws:iam::111122223333:role/agentgov/break-glass/responder"
DEPLOYER = "arn:aws:iam::111122223333:role/break-glass-pipeline"
TAGS = {"aws:RequestTag/owner": "team", "aws:RequestTag/environment": "prod", "aws:RequestTag/data-classification": "internal"}


@pytest.fixture(scope="module")
def default_build(pack):
    return build(pack, effective_parameters(Config(), pack.parameters))


def _docs(b):
    return [d["document"] for d in b.documents]


# ------------------------------------------------------------------ requests the SCPs must deny or allow


def test_create_agent_without_the_owner_tag_is_denied_with_it_allowed(default_build):
    docs = _docs(default_build)
    without_owner = {k: v for k, v in TAGS.items() if k != "aws:RequestTag/owner"}
    d = evaluate(docs, Request("bedrock:CreateAgent", context=without_owner))
    assert d.denied and d.statement == "AG801DenyUntaggedAgenticCreateOwner"
    assert not evaluate(docs, Request("bedrock:CreateAgent", context=TAGS)).denied
    assert evaluate(docs, Request("bedrock:CreateKnowledgeBase", context={})).denied
    assert not evaluate(docs, Request("bedrock:InvokeAgent", context={})).denied  # not a create: not this SCP's business


def _with(pack, **params):
    return build(pack, {**effective_parameters(Config(), pack.parameters), **params})


@pytest.fixture(scope="module")
def break_glass_build(pack):
    return _with(pack, scp_break_glass_accounts=["111122223333"], scp_break_glass_admins=[DEPLOYER])


def test_the_break_glass_role_is_never_denied(break_glass_build):
    docs = _docs(break_glass_build)
    for built in break_glass_build.statements:
        for action in built.statement["Action"]:
            req = Request(action, principal_arn=BREAK_GLASS, resource=BREAK_GLASS, context={})
            assert not evaluate(docs, req).denied, f"{built.sid} denies the break-glass role {action}"
    # and every statement carries the exemption
    assert all("aws:PrincipalArn" in s.statement["Condition"]["ArnNotLike"] for s in break_glass_build.statements)


def test_the_break_glass_exemption_is_scoped_to_the_named_accounts_and_path(break_glass_build):
    docs = _docs(break_glass_build)
    create = {"aws:RequestTag/agentgov:agent": "orders"}  # AG301: a tagged function outside a VPC
    assert not evaluate(docs, Request("lambda:CreateFunction", principal_arn=BREAK_GLASS, context=create)).denied
    for impostor in (
        "arn:aws:iam::444455556666:role/agentgov/break-glass/responder",  # the same role in an account not named
        "arn:aws:iam::111122223333:role/responder",  # the named account, outside the path
        "arn:aws:iam::111122223333:role/agentgov-break-glass",  # the old default name: no longer exempt
    ):
        assert evaluate(docs, Request("lambda:CreateFunction", principal_arn=impostor, context=create)).denied, impostor


def test_nobody_is_exempt_by_default_and_explain_says_so(default_build):
    assert not any("ArnNotLike" in (s.statement.get("Condition") or {}) for s in default_build.statements)
    assert not any(s.sid == "AgentgovProtectBreakGlassRoles" for s in default_build.statements)
    assert any("nobody is exempt" in g for g in default_build.residual_gaps)
    docs = _docs(default_build)
    old_default = "arn:aws:iam::111122223333:role/agentgov-break-glass"
    assert evaluate(
        docs, Request("lambda:CreateFunction", principal_arn=old_default, context={"aws:RequestTag/agentgov:agent": "x"})
    )


@pytest.mark.parametrize(
    "param, value",
    [
        ("scp_break_glass_principals", ["arn:aws:iam::*:role/agentgov-break-glass"]),  # a role of that name in any account
        ("scp_break_glass_principals", ["arn:aws:iam::1111:role/x"]),  # not an account id
        ("scp_break_glass_principals", ["arn:aws:sts::111122223333:assumed-role/x/*"]),  # not a role ARN
        ("scp_break_glass_admins", ["arn:aws:iam::*:role/deployer"]),
        ("scp_break_glass_accounts", ["11112222333"]),
        ("scp_break_glass_role_path", "agentgov"),
    ],
)
def test_a_break_glass_setting_that_opens_every_account_is_refused(pack, param, value):
    with pytest.raises(ScpError) as exc:
        _with(pack, **{param: value})
    assert param in str(exc.value)


def test_the_break_glass_roles_are_protected(break_glass_build):
    docs = _docs(break_glass_build)
    role = "arn:aws:iam::111122223333:role/agentgov/break-glass/responder"
    elsewhere = "arn:aws:iam::444455556666:role/agentgov/break-glass/escape"  # made in another account to look like one
    for action in ("iam:CreateRole", "iam:UpdateAssumeRolePolicy", "iam:AttachRolePolicy", "iam:DeleteRole", "iam:UntagRole"):
        for target in (role, elsewhere):
            d = evaluate(docs, Request(action, resource=target, context={}))
            assert d.denied and d.statement == "AgentgovProtectBreakGlassRoles", (action, target)
        assert not evaluate(docs, Request(action, principal_arn=DEPLOYER, resource=role, context={})).denied
        assert not evaluate(docs, Request(action, principal_arn=BREAK_GLASS, resource=role, context={})).denied
    assert not evaluate(docs, Request("iam:CreateRole", resource="arn:aws:iam::111122223333:role/app", context={})).denied


def test_the_agent_tag_cannot_be_removed_or_left_off_where_an_scp_can_tell(default_build):
    docs = _docs(default_build)
    tag = {"aws:ResourceTag/agentgov:agent": "orders"}
    for action, sid in (
        ("iam:UntagRole", "AgentgovProtectAgentTagOnRoles"),
        ("lambda:UntagResource", "AgentgovProtectAgentTagOnFunctions"),
    ):
        d = evaluate(docs, Request(action, context={"aws:TagKeys": ["owner", "agentgov:agent"]}))
        assert d.denied and d.statement == sid
        assert not evaluate(docs, Request(action, context={"aws:TagKeys": ["owner"]})).denied
    for service in ("bedrock.amazonaws.com", "bedrock-agentcore.amazonaws.com"):
        d = evaluate(docs, Request("iam:PassRole", context={"iam:PassedToService": service}))
        assert d.denied and d.statement == "AgentgovRequireAgentTagOnPassRole"
        assert not evaluate(docs, Request("iam:PassRole", context={"iam:PassedToService": service, **tag})).denied
    assert not evaluate(docs, Request("iam:PassRole", context={"iam:PassedToService": "lambda.amazonaws.com"})).denied
    d = evaluate(docs, Request("lambda:AddPermission", context={"lambda:Principal": "bedrock.amazonaws.com"}))
    assert d.denied and d.statement == "AgentgovRequireAgentTagOnBedrockPermission"
    assert not evaluate(
        docs, Request("lambda:AddPermission", context={"lambda:Principal": "bedrock.amazonaws.com", **tag})
    ).denied
    assert not evaluate(docs, Request("lambda:AddPermission", context={"lambda:Principal": "s3.amazonaws.com"})).denied


def test_without_a_tag_scoped_policy_the_tag_is_not_protected(pack):
    b = build(pack, effective_parameters(Config(), pack.parameters), ["AG801"])
    assert not any(s.sid.startswith("Agentgov") for s in b.statements)


def test_agent_functions_outside_a_vpc_are_denied(default_build):
    docs = _docs(default_build)
    tagged = {"aws:RequestTag/agentgov:agent": "orders"}
    assert evaluate(docs, Request("lambda:CreateFunction", context=tagged)).denied
    assert not evaluate(docs, Request("lambda:CreateFunction", context={**tagged, "lambda:VpcIds": ["vpc-1"]})).denied
    assert not evaluate(docs, Request("lambda:CreateFunction", context={})).denied  # not an agent function
    assert evaluate(docs, Request("lambda:UpdateFunctionConfiguration", context={"aws:ResourceTag/agentgov:agent": "x"})).denied


# ------------------------------------------------------------------ the evaluator against AWS's documented semantics


@pytest.mark.parametrize(
    "condition, context, denied",
    [
        # "If the key ... is not present in the request context ... the condition is false" (positive operators)
        ({"StringEquals": {"aws:RequestTag/team": "a"}}, {}, False),
        # "... StringNotLike or ArnNotLike, and the right key is not present, the condition is true"
        ({"StringNotLike": {"aws:RequestTag/team": "a*"}}, {}, True),
        ({"StringNotLike": {"aws:RequestTag/team": "a*"}}, {"aws:RequestTag/team": "abc"}, False),
        # ...IfExists: "If the key is not present, evaluate the condition element as true"
        ({"StringEqualsIfExists": {"aws:RequestTag/team": "a"}}, {}, True),
        ({"StringEqualsIfExists": {"aws:RequestTag/team": "a"}}, {"aws:RequestTag/team": "b"}, False),
        # Null "true": the key is absent; "false": present
        ({"Null": {"aws:TokenIssueTime": "true"}}, {}, True),
        ({"Null": {"aws:TokenIssueTime": "false"}}, {}, False),
        # several values for one key are ORed, several keys are ANDed
        ({"StringEquals": {"aws:RequestTag/team": ["a", "b"]}}, {"aws:RequestTag/team": "b"}, True),
        ({"StringEquals": {"aws:RequestTag/team": "a", "aws:RequestTag/env": "p"}}, {"aws:RequestTag/team": "a"}, False),
        # ForAllValues with a missing key is true; ForAnyValue with a missing key is false
        ({"ForAllValues:StringEquals": {"aws:TagKeys": ["a", "b"]}}, {}, True),
        ({"ForAnyValue:StringEquals": {"aws:TagKeys": ["a", "b"]}}, {}, False),
        ({"ForAllValues:StringEquals": {"aws:TagKeys": ["a", "b"]}}, {"aws:TagKeys": ["a", "c"]}, False),
        ({"ForAnyValue:StringEquals": {"aws:TagKeys": ["a", "b"]}}, {"aws:TagKeys": ["c", "b"]}, True),
        # string comparison is case-sensitive unless IgnoreCase
        ({"StringEquals": {"aws:RequestTag/team": "A"}}, {"aws:RequestTag/team": "a"}, False),
        ({"StringEqualsIgnoreCase": {"aws:RequestTag/team": "A"}}, {"aws:RequestTag/team": "a"}, True),
        # condition key names are case-insensitive
        ({"StringEquals": {"aws:requesttag/team": "a"}}, {"aws:RequestTag/team": "a"}, True),
    ],
)
def test_condition_semantics(condition, context, denied):
    stmt = {"Effect": "Deny", "Action": "bedrock:CreateAgent", "Resource": "*", "Condition": condition}
    assert evaluate([{"Statement": [stmt]}], Request("bedrock:CreateAgent", context=context)).denied is denied


def test_arn_wildcards_stay_within_their_segment():
    assert arn_like("arn:aws:bedrock:*::foundation-model/*", "arn:aws:bedrock:us-east-1::foundation-model/x")
    assert not arn_like("arn:aws:bedrock:*:?*:*", "arn:aws:bedrock:us-east-1::foundation-model/x")  # empty account
    assert arn_like("arn:aws:bedrock:*:?*:*", "arn:aws:bedrock:us-east-1:111122223333:inference-profile/us.x")
    assert not arn_like("arn:aws:iam::*:role/a*", "arn:aws:iam::1:user/a")
    assert arn_like("arn:aws:iam::*:role/agentgov-*", "arn:aws:iam::1:role/agentgov-break-glass")


def test_action_wildcards_and_not_resource():
    stmt = {
        "Effect": "Deny",
        "Action": ["bedrock:InvokeModel*"],
        "NotResource": ["arn:aws:bedrock:*::foundation-model/anthropic.*"],
    }
    doc = [{"Statement": [stmt]}]
    fm = "arn:aws:bedrock:us-east-1::foundation-model/"
    assert evaluate(doc, Request("bedrock:InvokeModelWithResponseStream", resource=fm + "meta.llama3")).denied
    assert not evaluate(doc, Request("bedrock:invokemodel", resource=fm + "anthropic.claude-3")).denied
    assert not evaluate(doc, Request("bedrock:GetAgent", resource=fm + "meta.llama3")).denied


# ------------------------------------------------------------------ validation


def test_every_emitted_action_key_and_operator_is_valid(default_build):
    assert default_build.statements
    for s in default_build.statements:
        assert validate_statement(s.statement) == [], s.sid
        for op in s.statement.get("Condition", {}):
            assert operator_ok(op)


@pytest.mark.parametrize(
    "stmt, needle",
    [
        ({"Action": ["bedrock:CreateAgentt"]}, "action 'bedrock:CreateAgentt' is not in the IAM data"),
        (
            {"Action": ["lambda:CreateFunction"], "Condition": {"StringEqualz": {"aws:RequestTag/a": "b"}}},
            "unknown condition operator 'StringEqualz'",
        ),
        (
            {"Action": ["lambda:CreateFunction"], "Condition": {"Null": {"lambda:VpcId": "true"}}},
            "'lambda:VpcId' does not exist for service lambda",
        ),
        (
            {"Action": ["lambda:InvokeFunction"], "Condition": {"Null": {"lambda:VpcIds": "true"}}},
            "does not apply to lambda:InvokeFunction",
        ),
        (
            {"Action": ["lambda:CreateFunction"], "Condition": {"Null": {"aws:RequestTagg/a": "true"}}},
            "not a global condition key",
        ),
        ({"Action": ["lambda:CreateFunction"], "Condition": {"Null": {"lambda:VpcIds": "yes"}}}, 'must be "true" or "false"'),
    ],
)
def test_invalid_statements_are_refused_with_the_reason(stmt, needle):
    assert any(needle in p for p in validate_statement({"Effect": "Deny", "Resource": "*", **stmt})), validate_statement(stmt)


def _policy(statements):
    return PolicySpec(
        id="AG999", title="t", severity="high", pillar="protect", resource=("agent",), rationale="r",
        remediation=Remediation("s", "c", "t"), check=None, parameters=("required_tags",), scp_statements=tuple(statements),
    )  # fmt: skip


def test_a_template_with_an_invalid_key_fails_the_build_naming_policy_and_statement():
    p = _policy(
        [{"sid": "Bad", "explain": "x", "action": ["bedrock:CreateAgent"], "condition": {"Null": {"bedrock:NoSuchKey": "true"}}}]
    )
    with pytest.raises(ScpError, match=r"AG999 statement AG999Bad: condition key 'bedrock:NoSuchKey' does not exist"):
        statements_of(p, {}, [])


def test_statements_needing_an_unset_parameter_are_listed_not_silently_dropped():
    p = _policy([{"sid": "Models", "explain": "x", "action": ["bedrock:InvokeModel"], "requires": ["approved_models"],
                  "not_resource": ["arn:aws:bedrock:*::foundation-model/${approved_models}"]}])  # fmt: skip
    built, skipped = statements_of(p, {"approved_models": None}, [])
    assert built == [] and skipped[0].reason == "parameter approved_models is not configured"
    built, skipped = statements_of(p, {"approved_models": ["anthropic.*", "amazon.nova-*"]}, [])
    assert built[0].statement["NotResource"] == [
        "arn:aws:bedrock:*::foundation-model/anthropic.*",
        "arn:aws:bedrock:*::foundation-model/amazon.nova-*",
    ]


# ------------------------------------------------------------------ size quota and packing


def test_documents_fit_the_quota_and_are_packed_into_as_few_as_fit(pack):
    tags = [f"cost-center-{i:03d}" for i in range(40)]
    params = {**effective_parameters(Config(), pack.parameters), "required_tags": tags}
    b = build(pack, params, only=["AG801"])
    sizes = [len(minified(d["document"])) for d in b.documents]
    assert all(s <= SCP_MAX_CHARS for s in sizes)
    total = sum(s.size + 1 for s in b.statements)
    assert len(b.documents) == -(-total // SCP_MAX_CHARS) or len(b.documents) == -(-total // SCP_MAX_CHARS) + 1
    assert len(b.statements) == 40


def test_more_statements_than_the_document_quota_is_an_error_naming_them(pack):
    params = {
        **effective_parameters(Config(), pack.parameters),
        "required_tags": [f"t{i:03d}" for i in range(200)],
        "scp_max_documents": 2,
    }
    with pytest.raises(ScpError) as exc:
        build(pack, params, only=["AG801"])
    assert "more than scp_max_documents = 2" in str(exc.value) and "AG801DenyUntaggedAgenticCreate" in str(exc.value)


def test_one_statement_too_large_for_any_document_is_an_error():
    from agentgov.scps.compiler import BuiltStatement

    huge = BuiltStatement("AG999", "Huge", "x", {"Sid": "Huge", "Effect": "Deny", "Action": ["a:b"], "Resource": ["x" * 6000]})
    with pytest.raises(ScpError, match="Huge"):
        pack_documents([huge], 4)


# ------------------------------------------------------------------ baseline, CLI


def test_checked_in_baseline_is_what_the_default_configuration_builds(default_build):
    stale = outputs.write(default_build, REPO / "scps" / "baseline", check=True)
    assert not stale, f"scps/baseline is stale ({stale}): run 'agentgov scp build --out scps/baseline'"


def test_cli_build_explain_and_check(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert main(["scp", "build", "--out", "out"]) == 0
    files = sorted(p.name for p in (tmp_path / "out").glob("*.json"))
    assert files and all(len(minified(json.loads((tmp_path / "out" / f).read_text()))) <= SCP_MAX_CHARS for f in files)
    assert main(["scp", "build", "--out", "out", "--check"]) == 0
    (tmp_path / "agentgov.toml").write_text('[agentgov.parameters]\nrequired_tags = ["owner"]\n')
    assert main(["scp", "build", "--out", "out", "--check"]) == 1  # the configuration changed the documents
    capsys.readouterr()
    assert main(["scp", "explain"]) == 0
    out = capsys.readouterr().out
    assert (
        "[AG801]" in out
        and "denies creating a Bedrock agent, agent alias, knowledge base or guardrail without the tag owner" in out
    )
    assert "residual gaps (what these SCPs do not prevent):" in out and "nobody is exempt" in out
    (tmp_path / "agentgov.toml").write_text('[agentgov.parameters]\nscp_break_glass_accounts = ["111122223333"]\n')
    assert main(["scp", "explain"]) == 0
    out = capsys.readouterr().out
    assert "except for arn:*:iam::111122223333:role/agentgov/break-glass/* (break glass)" in out
    (tmp_path / "agentgov.toml").write_text('[agentgov.parameters]\nscp_break_glass_principals = ["arn:aws:iam::*:role/bg"]\n')
    assert main(["scp", "explain"]) == 2
    assert "does not name one account" in capsys.readouterr().err


def test_cli_bad_configuration_is_exit_2(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "agentgov.toml").write_text('[agentgov.parameters]\nrequired_tags = "owner"\n')
    assert main(["scp", "build"]) == 2
    assert "required_tags" in capsys.readouterr().err


def test_deploy_creates_updates_and_attaches_idempotently(default_build, monkeypatch):
    moto = pytest.importorskip("moto")
    import boto3

    from agentgov.scps.deploy import deploy

    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    with moto.mock_aws():
        org = boto3.client("organizations")
        org.create_organization(FeatureSet="ALL")
        root = org.list_roots()["Roots"][0]["Id"]
        ou = org.create_organizational_unit(ParentId=root, Name="agents")["OrganizationalUnit"]["Id"]
        plan = deploy(default_build.documents, ou, dry_run=True, client=org)
        assert [a.verb for a in plan] == ["create", "attach"] * len(default_build.documents)
        assert not [p for p in org.list_policies(Filter="SERVICE_CONTROL_POLICY")["Policies"] if p["Name"].startswith("agentgov")]
        first = deploy(default_build.documents, ou, client=org)
        assert [a.verb for a in first] == ["create", "attach"] * len(default_build.documents)
        again = deploy(default_build.documents, ou, client=org)
        assert {a.verb for a in again} == {"unchanged", "already-attached"}
        changed = [dict(d) for d in default_build.documents]
        changed[0] = {**changed[0], "document": {**changed[0]["document"], "Statement": changed[0]["document"]["Statement"][:1]}}
        third = deploy(changed, ou, client=org)
        assert third[0].verb == "update"
        pid = next(
            p["Id"] for p in org.list_policies(Filter="SERVICE_CONTROL_POLICY")["Policies"] if p["Name"] == changed[0]["name"]
        )
        assert json.loads(org.describe_policy(PolicyId=pid)["Policy"]["Content"]) == changed[0]["document"]
        assert [t["TargetId"] for t in org.list_targets_for_policy(PolicyId=pid)["Targets"]] == [ou]


def test_ag206_organizations_bedrock_policy(pack):
    params = {**effective_parameters(Config(), pack.parameters),
              "org_enforced_guardrails": ["arn:aws:bedrock:us-east-1:111122223333:guardrail/gr1abc:3",
                                          "arn:aws:bedrock:eu-west-1:111122223333:guardrail/gr2def:1"]}  # fmt: skip
    b = build(pack, params)
    gi = b.bedrock_policy["bedrock"]["guardrail_inference"]
    assert sorted(gi) == ["eu-west-1", "us-east-1"]
    assert gi["us-east-1"]["config_1"]["identifier"] == {"@@assign": "arn:aws:bedrock:us-east-1:111122223333:guardrail/gr1abc:3"}
    assert "agentgov-bedrock-policy.json" in outputs.files(b)
    assert build(pack, effective_parameters(Config(), pack.parameters)).bedrock_policy is None
    for bad in (
        "gr1abc",
        "arn:aws:bedrock:us-east-1:111122223333:guardrail/gr1abc",
        "arn:aws:bedrock:us-east-1:111122223333:guardrail/gr1abc:DRAFT",
    ):
        with pytest.raises(ScpError, match="not a guardrail ARN with a published version"):
            build(pack, {**params, "org_enforced_guardrails": [bad]})
    with pytest.raises(ScpError, match="two guardrails for us-east-1"):
        build(pack, {**params, "org_enforced_guardrails": params["org_enforced_guardrails"][:1] * 2})


@pytest.mark.parametrize(
    "condition, context, denied",
    [
        ({"IpAddress": {"aws:SourceIp": "203.0.113.0/24"}}, {"aws:SourceIp": "203.0.113.7"}, True),
        ({"NotIpAddress": {"aws:SourceIp": "203.0.113.0/24"}}, {"aws:SourceIp": "198.51.100.1"}, True),
        ({"NotIpAddress": {"aws:SourceIp": "203.0.113.0/24"}}, {"aws:SourceIp": "203.0.113.9"}, False),
        ({"DateGreaterThan": {"aws:CurrentTime": "2026-01-01T00:00:00Z"}}, {"aws:CurrentTime": "2026-12-01T10:00:00Z"}, True),
        ({"DateLessThan": {"aws:EpochTime": "1700000000"}}, {"aws:EpochTime": "1800000000"}, False),
    ],
)
def test_ip_and_date_operators(condition, context, denied):
    stmt = {"Effect": "Deny", "Action": "s3:GetObject", "Resource": "*", "Condition": condition}
    assert evaluate([{"Statement": [stmt]}], Request("s3:GetObject", context=context)).denied is denied


def test_only_deployers_and_break_glass_change_agentcore_resource_policies(pack):
    """AG306's SCP: PutResourcePolicy / DeleteResourcePolicy outside deployer_principals is denied; the break-glass
    role keeps its exemption; without deployer_principals the statement is not built (and the result says so)."""
    assert not any(s.sid == "AG306DenyAgentCoreResourcePolicyChanges" for s in _with(pack).statements)
    built = _with(
        pack,
        deployer_principals=["arn:aws:iam::*:role/deploy-*"],
        scp_break_glass_accounts=["111122223333"],
        scp_break_glass_admins=[DEPLOYER],
    )
    docs = _docs(built)
    for action in ("bedrock-agentcore:PutResourcePolicy", "bedrock-agentcore:DeleteResourcePolicy"):
        assert evaluate(docs, Request(action, principal_arn="arn:aws:iam::111122223333:role/app"))
        assert not evaluate(docs, Request(action, principal_arn="arn:aws:iam::111122223333:role/deploy-agents"))
        assert not evaluate(docs, Request(action, principal_arn="arn:aws:iam::111122223333:role/agentgov/break-glass/responder"))
    assert not evaluate(docs, Request("bedrock-agentcore:GetResourcePolicy", principal_arn="arn:aws:iam::111122223333:role/app"))


# ------------------------------------------------------------------ AG108: Marketplace subscriptions


def test_marketplace_subscriptions_outside_the_approved_products_are_denied(pack):
    approved = ["prod-6dw3qvchef7zy", "prod-m5ilt4siql27k"]
    b = _with(pack, approved_marketplace_products=approved)
    (stmt,) = [s for s in b.statements if s.policy_id == "AG108"]
    # aws-marketplace:ProductId is documented for Subscribe by Bedrock, not in the Service Authorization Reference
    assert validate_statement(stmt.statement) == []
    docs = _docs(b)
    key = "aws-marketplace:ProductId"
    assert not evaluate(docs, Request("aws-marketplace:Subscribe", context={key: ["prod-m5ilt4siql27k"]})).denied
    d = evaluate(docs, Request("aws-marketplace:Subscribe", context={key: ["prod-m5ilt4siql27k", "prod-fm3feywmwerog"]}))
    assert d.denied and d.statement == "AG108DenyUnapprovedMarketplaceProducts"
    assert not evaluate(docs, Request("aws-marketplace:ViewSubscriptions", context={})).denied
    # without the list the statement is not built, and the build says so
    assert not [s for s in _with(pack).statements if s.policy_id == "AG108"]


def test_the_product_id_exception_covers_subscribe_only():
    stmt = {"Effect": "Deny", "Resource": "*", "Action": ["aws-marketplace:Unsubscribe"]}
    stmt["Condition"] = {"ForAnyValue:StringNotEquals": {"aws-marketplace:ProductId": ["prod-x"]}}
    assert any("does not apply to aws-marketplace:Unsubscribe" in p for p in validate_statement(stmt))


# ------------------------------------------------------------------ AG110: sessions on agent compute


def test_only_principals_with_the_operator_tag_open_sessions_on_agent_compute(pack):
    """AG110's SCP: the session and Create actions are denied without the operator tag (any case of its value), allowed
    with it; putting the tag on a role or user is denied except to the break-glass roles; other tags are not."""
    params = {**effective_parameters(Config(), pack.parameters), "scp_break_glass_accounts": ["111122223333"]}
    docs = _docs(build(pack, params, only=["AG110"]))
    tag = "aws:PrincipalTag/agentgov:operator"
    for action in (
        "bedrock-agentcore:InvokeAgentRuntimeCommand",
        "bedrock-agentcore:StartBrowserSession",
        "bedrock-agentcore:ConnectBrowserAutomationStream",
        "bedrock-agentcore:CreateAgentRuntime",
        "bedrock-agentcore:CreateHarness",
    ):
        d = evaluate(docs, Request(action))
        assert d.denied and d.statement == "AG110DenyAgentComputeSessionsToNonOperators", action
        assert evaluate(docs, Request(action, context={tag: "false"})).denied, action
        assert not evaluate(docs, Request(action, context={tag: "True"})).denied, action
        assert not evaluate(docs, Request(action, principal_arn=BREAK_GLASS)).denied, action
    assert not evaluate(docs, Request("bedrock-agentcore:InvokeAgentRuntime")).denied  # calling an agent is no session
    for action in ("iam:TagRole", "iam:TagUser", "iam:CreateRole", "iam:CreateUser"):
        d = evaluate(docs, Request(action, context={"aws:TagKeys": ["owner", "agentgov:operator"]}))
        assert d.denied and d.statement == "AG110ProtectOperatorTag", action
        assert not evaluate(docs, Request(action, context={"aws:TagKeys": ["owner"]})).denied, action
        assert not evaluate(docs, Request(action, principal_arn=BREAK_GLASS, context={"aws:TagKeys": ["agentgov:operator"]}))
    # without an operator tag the statements are not built, and the build says so
    empty = _with(pack, operator_tag="")
    assert not [s for s in empty.statements if s.policy_id == "AG110"]
    assert {s.sid for s in empty.skipped if s.policy_id == "AG110"} == {
        "DenyAgentComputeSessionsToNonOperators",
        "ProtectOperatorTag",
    }
