"""The audit's collectors for the Organization's policies, Bedrock's enforced guardrails and the AgentCore tools.

Against moto (``mock_aws``) completed by ``agentgov.demo.awsmock``: the
findings the policies give on what the collectors read, the pages they follow,
and what a denied call becomes.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

pytest.importorskip("moto")


import agentgov.demo.awsmock as S  # noqa: E402
from agentgov.audit.run import AuditOptions, run_audit  # noqa: E402
from agentgov.scanner.findings import Status  # noqa: E402

pytestmark = pytest.mark.filterwarnings("ignore:Exception.*with code AccessDenied does not match:UserWarning")

FIXTURES = Path(__file__).parent / "fixtures" / "audit"


def audit(pack, params, **kw):
    kw.setdefault("role_name", S.AUDIT_ROLE)
    kw.setdefault("regions", ["us-east-1"])
    kw.setdefault("workers", 4)
    kw.setdefault("keep_inventory", True)  # the tests look at the collected records
    return run_audit(AuditOptions(**kw), pack, params)


def by(result, policy: str, resource: str | None = None):
    return [f for f in result.findings if f.policy_id == policy and (resource is None or f.resource_id == resource)]


def one(result, policy: str, resource: str):
    (f,) = by(result, policy, resource)
    return f


def gid(arn: str) -> str:
    """A guardrail's id from its ARN (with or without a version)."""
    return arn.rsplit("/", 1)[-1].split(":", 1)[0]


# ------------------------------------------------------------------ AgentCore tools


def test_code_interpreters_browsers_and_policy_engines_are_judged_live(aws, pack, params):
    (member,) = S.organization(1)
    session = S.session_in(member)
    core = S.deploy_agentcore(session, "us-east-1", "core")
    key = session.client("kms", region_name="us-east-1").create_key(Description="policy engine")["KeyMetadata"]["Arn"]
    tools = S.deploy_agentcore_tools(
        session, "us-east-1", "tools", runtime_id=core["runtime_id"], gateway_role=core["role"], key=key
    )
    bare = S.deploy_agentcore_tools(session, "us-east-1", "bare", tags={"owner": "team-x"})
    result = audit(pack, params, accounts=[member])
    assert not by(result, "AG000")

    public = one(result, "AG904", tools["public_interpreter"])
    assert public.status == Status.FAIL and "network mode PUBLIC" in public.message
    assert public.location.file == f"aws://{member}/us-east-1/{tools['public_interpreter']}"
    assert one(result, "AG904", tools["vpc_interpreter"]).status == Status.PASS
    browser = one(result, "AG904", tools["browser"])
    assert browser.status == Status.FAIL and "recording is off" in browser.message
    for k in ("public_interpreter", "vpc_interpreter", "browser"):
        assert one(result, "AG801", tools[k]).status == Status.PASS, k
        assert one(result, "AG801", bare[k]).status == Status.FAIL, k
    # the policy engine encrypted with the account's own key passes AG903, the one without a key fails
    assert one(result, "AG903", tools["policy_engine"]).status == Status.PASS
    assert one(result, "AG903", bare["policy_engine"]).status == Status.FAIL
    # the gateway names its engine in ENFORCE mode: the edge resolves to the collected engine
    inv = result.inventory
    gateway = next(r for r in inv if r.id == tools["gateway"])
    assert gateway.properties["policy_engine_configuration"] == {"arn": tools["policy_engine"], "mode": "ENFORCE"}
    assert [t.id for t in inv.related(gateway, "policy_engine")] == [tools["policy_engine"]]
    engine = next(r for r in inv if r.id == tools["policy_engine"])
    assert [p["name"] for p in engine.properties["policies"]] == ["tools_policy0", "tools_policy1"]
    assert engine.properties["policies"][1]["definition"]["cedar"]["statement"].startswith("forbid(")
    vpc = next(r for r in inv if r.id == tools["vpc_interpreter"])
    assert vpc.source_type == "AWS::BedrockAgentCore::CodeInterpreterCustom"
    assert vpc.properties["network_configuration"]["vpc_config"]["subnets"][0].startswith("subnet-")
    endpoints = [r for r in inv if r.kind == "agent_runtime_endpoint"]
    assert sorted(r.name for r in endpoints) == ["canary", "live"]
    assert all(r.properties["agent_runtime_id"] == core["runtime"] for r in endpoints)
    assert all([t.id for t in inv.related(r, "agent_runtime")] == [core["runtime"]] for r in endpoints)
    # the AWS-managed code interpreter and browser have no configuration of the account's: not listed
    assert Counter(r.kind for r in inv)["code_interpreter"] == 4 and Counter(r.kind for r in inv)["browser"] == 2


def test_a_browser_that_records_in_a_vpc_passes_ag904(aws, pack, params):
    (member,) = S.organization(1)
    session = S.session_in(member)
    ec2 = session.client("ec2", region_name="us-east-1")
    vpc = ec2.create_vpc(CidrBlock="10.9.0.0/16")["Vpc"]["VpcId"]
    subnet = ec2.create_subnet(VpcId=vpc, CidrBlock="10.9.1.0/24")["Subnet"]["SubnetId"]
    sg = ec2.create_security_group(GroupName="browser", Description="b", VpcId=vpc)["GroupId"]
    c = session.client("bedrock-agentcore-control", region_name="us-east-1")
    arn = c.create_browser(
        name="recorded",
        networkConfiguration={"networkMode": "VPC", "vpcConfig": {"subnets": [subnet], "securityGroups": [sg]}},
        recording={"enabled": True, "s3Location": {"bucket": "recordings", "prefix": "sessions/"}},
    )["browserArn"]
    result = audit(pack, params, accounts=[member])
    assert one(result, "AG904", arn).status == Status.PASS
    browser = next(r for r in result.inventory if r.id == arn)
    assert browser.properties["recording_config"] == {
        "enabled": True,
        "s3_location": {"bucket": "recordings", "prefix": "sessions/"},
    }


def test_a_denied_agentcore_tool_call_is_unknown_or_a_gap_naming_the_api(aws, pack, params):
    (member,) = S.organization(1)
    tools = S.deploy_agentcore_tools(S.session_in(member), "us-east-1", "tools")
    S.deny(member, "bedrock-agentcore-control", "GetCodeInterpreter")
    S.deny(member, "bedrock-agentcore-control", "ListBrowsers")
    result = audit(pack, params, accounts=[member])
    f = one(result, "AG904", tools["public_interpreter"])
    assert f.status == Status.UNKNOWN
    assert (
        "bedrock-agentcore-control GetCodeInterpreter denied (AccessDeniedException; IAM action bedrock-agentcore:GetCodeInterpreter)"
        in f.message
    )
    (gap,) = by(result, "AG000")
    assert gap.status == Status.ERROR and gap.region == "us-east-1"
    assert gap.evidence == {"api": "bedrock-agentcore-control ListBrowsers", "error_code": "AccessDeniedException"}
    assert not by(result, "AG904", tools["browser"])  # not seen, and the gap says so


# ------------------------------------------------------------------ AG206: account-level guardrails


def _registered(params, *arns):
    return {**params, "registered_guardrails": [gid(a) for a in arns]}


def test_ag206_passes_a_live_agent_thanks_to_an_organizations_bedrock_policy(aws, pack, params):
    covered, other = S.organization(2)
    a = S.deploy_agent(S.session_in(covered), "us-east-1", "covered", guardrail=False)
    b = S.deploy_agent(S.session_in(other), "us-east-1", "other", guardrail=False)
    org_guardrail = S.published_guardrail(S.session_in(S.MANAGEMENT), "us-east-1", "org-guardrail")
    S.deploy_org_bedrock_policy(covered, {"us-east-1": org_guardrail})
    result = audit(pack, _registered(params, org_guardrail), accounts=[covered, other])
    assert not by(result, "AG000")
    passed = one(result, "AG206", a["agent"])
    assert passed.status == Status.PASS
    assert passed.evidence["guardrail"] == org_guardrail
    assert "Organizations Bedrock policy" in passed.evidence["enforced_by"]
    failed = one(result, "AG206", b["agent"])
    assert failed.status == Status.FAIL and "no guardrail" in failed.message
    assert (
        f"no enforced guardrail configuration or Organizations Bedrock policy applies a registered guardrail to account {other}"
        in failed.message
    )
    # AG201 (the agent's own guardrail) is not changed by the account's controls
    assert one(result, "AG201", a["agent"]).status == Status.FAIL
    # the policies in force are records of the account: the Bedrock policy, and the root's FullAWSAccess SCP
    policies = {r.properties["type"]: r for r in result.inventory if r.kind == "org_policy" and r.account == covered}
    assert set(policies) == {"BEDROCK_POLICY", "SERVICE_CONTROL_POLICY"}
    assert policies["BEDROCK_POLICY"].properties["targets"] == [{"target_id": covered, "target_type": "ACCOUNT"}]
    assert policies["SERVICE_CONTROL_POLICY"].properties["targets"][0]["target_type"] == "ROOT"
    assert policies["SERVICE_CONTROL_POLICY"].properties["content"]["Statement"]


def test_a_bedrock_policy_inherited_from_an_ou_applies_and_one_for_another_region_does_not(aws, pack, params):
    import boto3

    (member,) = S.organization(1)
    org = boto3.client("organizations", region_name="us-east-1")
    root = org.list_roots()["Roots"][0]["Id"]
    ou = org.create_organizational_unit(ParentId=root, Name="workloads")["OrganizationalUnit"]["Id"]
    org.move_account(AccountId=member, SourceParentId=root, DestinationParentId=ou)
    east = S.deploy_agent(S.session_in(member), "us-east-1", "east", guardrail=False)
    west = S.deploy_agent(S.session_in(member), "us-west-2", "west", guardrail=False)
    g = S.published_guardrail(S.session_in(S.MANAGEMENT), "us-east-1", "org-guardrail")
    S.deploy_org_bedrock_policy(ou, {"us-east-1": g})
    result = audit(pack, _registered(params, g), accounts=[member], regions=["us-east-1", "us-west-2"])
    assert one(result, "AG206", east["agent"]).status == Status.PASS
    assert one(result, "AG206", west["agent"]).status == Status.FAIL
    (bedrock,) = [r for r in result.inventory if r.kind == "org_policy" and r.properties["type"] == "BEDROCK_POLICY"]
    assert bedrock.properties["targets"] == [{"target_id": ou, "target_type": "ORGANIZATIONAL_UNIT"}]


def test_ag206_passes_a_live_agent_thanks_to_an_enforced_guardrail_configuration(aws, pack, params):
    (member,) = S.organization(1)
    session = S.session_in(member)
    a = S.deploy_agent(session, "us-east-1", "covered", guardrail=False)
    enforced = S.deploy_enforced_guardrail(session, "us-east-1", "account-guardrail")
    result = audit(pack, _registered(params, enforced), accounts=[member])
    f = one(result, "AG206", a["agent"])
    assert f.status == Status.PASS and "enforced guardrail configuration" in f.evidence["enforced_by"]
    (cfg,) = [r for r in result.inventory if r.kind == "enforced_guardrail"]
    assert cfg.source_type == "AWS::Bedrock::EnforcedGuardrailConfiguration"
    assert cfg.properties["guardrail_arn"] == enforced.rsplit(":", 1)[0] and cfg.properties["guardrail_version"] == "1"
    # the same configuration, not registered: FAIL naming it
    unregistered = audit(
        pack, _registered(params, "arn:aws:bedrock:us-east-1:111122223333:guardrail/other1234567"), accounts=[member]
    )
    f = one(unregistered, "AG206", a["agent"])
    assert f.status == Status.FAIL and f"applies {enforced}, which is not a registered guardrail" in f.message


def test_an_enforced_guardrail_that_excludes_the_agents_model_does_not_count(aws, pack, params):
    (member,) = S.organization(1)
    session = S.session_in(member)
    a = S.deploy_agent(session, "us-east-1", "haiku", guardrail=False)
    enforced = S.deploy_enforced_guardrail(
        session,
        "us-east-1",
        "not-haiku",
        model_enforcement={"includedModels": ["ALL"], "excludedModels": ["anthropic.claude-3-haiku-20240307-v1:0"]},
    )
    result = audit(pack, _registered(params, enforced), accounts=[member])
    assert one(result, "AG206", a["agent"]).status == Status.FAIL


def test_a_denied_enforced_guardrail_list_is_a_gap_and_ag206_unknown(aws, pack, params):
    (member,) = S.organization(1)
    a = S.deploy_agent(S.session_in(member), "us-east-1", "agent", guardrail=False)
    g = S.deploy_agent(S.session_in(member), "us-east-1", "guarded")
    S.deny(member, "bedrock", "ListEnforcedGuardrailsConfiguration")
    result = audit(pack, _registered(params, g["guardrail"]), accounts=[member])
    (gap,) = by(result, "AG000")
    assert gap.evidence == {"api": "bedrock ListEnforcedGuardrailsConfiguration", "error_code": "AccessDeniedException"}
    f = one(result, "AG206", a["agent"])
    assert f.status == Status.UNKNOWN and "ListEnforcedGuardrailsConfiguration" in f.message
    assert one(result, "AG206", g["agent"]).status == Status.PASS  # its own registered guardrail settles it
    # the region's guardrails were still collected whole (their own collector completed)
    assert one(result, "AG201", a["agent"]).status == Status.FAIL


def test_a_denied_organizations_call_is_a_gap_of_the_account_and_ag206_unknown(aws, pack, params):
    (member,) = S.organization(1)
    a = S.deploy_agent(S.session_in(member), "us-east-1", "agent", guardrail=False)
    S.deny(S.MANAGEMENT, "organizations", "DescribeEffectivePolicy")  # the auditing principal's call
    S.deny(S.MANAGEMENT, "organizations", "ListPoliciesForTarget")
    result = audit(pack, _registered(params, "gr1abc2def3g"), accounts=[member])
    gaps = {(g.account, g.region, g.evidence["api"], g.evidence["error_code"]) for g in by(result, "AG000")}
    assert gaps == {
        (member, None, "organizations DescribeEffectivePolicy", "AccessDeniedException"),
        (member, None, "organizations ListPoliciesForTarget", "AccessDeniedException"),
    }
    f = one(result, "AG206", a["agent"])
    assert f.status == Status.UNKNOWN
    assert (
        "organizations DescribeEffectivePolicy denied (AccessDeniedException; IAM action organizations:DescribeEffectivePolicy)"
        in f.message
    )


def test_the_config_rule_runtime_reads_no_organization_policy_and_judges_the_agent_alone(aws, pack, params):
    from agentgov.audit.run import collect_account

    (member,) = S.organization(1)
    session = S.session_in(member)
    S.deploy_agent(session, "us-east-1", "agent", guardrail=False)
    made = []
    session.events.register("before-call", lambda model, **_: made.append(model.service_model.service_name))
    inv = collect_account(member, "us-east-1", session=session)
    assert "organizations" not in made and not inv.errors  # a member account cannot read the Organization's policies
    assert not inv.of_kind("org_effective_policy") and not inv.of_kind("org_policy")


# ------------------------------------------------------------------ pages


def test_every_new_list_call_follows_its_pages(aws, pack, params, monkeypatch):
    from agentgov.demo.awsmock import enforced_guardrails

    monkeypatch.setattr(enforced_guardrails, "PAGE", 1)  # ListEnforcedGuardrailsConfiguration takes no page size
    (member,) = S.organization(1)
    session = S.session_in(member)
    core = S.deploy_agentcore(session, "us-east-1", "core")
    S.deploy_agentcore_tools(session, "us-east-1", "tools-a", runtime_id=core["runtime_id"])
    S.deploy_agentcore_tools(session, "us-east-1", "tools-b")
    S.deploy_enforced_guardrail(session, "us-east-1", "first")
    S.deploy_enforced_guardrail(session, "us-east-1", "second")
    g = S.published_guardrail(S.session_in(S.MANAGEMENT), "us-east-1", "org")
    S.deploy_org_bedrock_policy(member, {"us-east-1": g}, name="first")
    S.deploy_org_bedrock_policy(member, {"us-east-1": g}, name="second")
    for i in range(2):
        S.deploy_scp(member, f"scp{i}", {"Effect": "Deny", "Action": "iam:CreateUser", "Resource": "*"})
    tokens: Counter = Counter()

    def record(model, params, **_):
        if params.get("nextToken") or params.get("NextToken"):
            tokens[(model.service_model.service_name, model.name)] += 1

    result = audit(pack, params, accounts=[member], page_size=1, hooks=[("before-parameter-build", record)])
    assert not by(result, "AG000")
    new_lists = {
        ("bedrock-agentcore-control", op)
        for op in ("ListCodeInterpreters", "ListBrowsers", "ListPolicyEngines", "ListPolicies", "ListAgentRuntimeEndpoints")
    } | {("bedrock", "ListEnforcedGuardrailsConfiguration"), ("organizations", "ListPoliciesForTarget")}
    assert new_lists - set(tokens) == set(), f"never fetched a second page: {sorted(new_lists - set(tokens))}"
    kinds = Counter(r.kind for r in result.inventory)
    assert kinds["code_interpreter"] == 4 and kinds["browser"] == 2 and kinds["policy_engine"] == 2
    assert kinds["agent_runtime_endpoint"] == 2 and kinds["enforced_guardrail"] == 2
    assert kinds["org_policy"] == 5  # FullAWSAccess (root), two SCPs and two Bedrock policies (account)
    engines = [r for r in result.inventory if r.kind == "policy_engine"]
    assert all(len(e.properties["policies"]) == 2 for e in engines)


# ------------------------------------------------------------------ parity


@pytest.mark.parametrize("written", ["agentcore_tools.yaml", "agentcore_tools_tf"], ids=["cloudformation", "terraform"])
def test_scan_and_audit_judge_the_same_code_interpreters_and_browser_alike(aws, pack, params, written):
    from agentgov.scanner.engine import scan

    scanned = scan([FIXTURES / written], pack, params)
    assert not scanned.inventory.errors
    (member,) = S.organization(1)
    S.deploy_agentcore_tools(S.session_in(member), "us-east-1", "tools")
    audited = audit(pack, params, accounts=[member])

    def verdicts(result):
        names = {r.id: r.name for r in result.inventory}
        return {
            (f.policy_id, f.resource_kind, names.get(f.resource_id), f.status.value)
            for f in result.findings
            if f.resource_kind in ("code_interpreter", "browser", "policy_engine")
        }

    expected = verdicts(scanned)
    assert {p for p, *_ in expected} >= {"AG801", "AG903", "AG904"} and {s for *_, s in expected} >= {"PASS", "FAIL"}
    # one difference is the point of auditing: the files name the VPC interpreter's subnets by id only, so the scan
    # cannot know their VPC (AG302 UNKNOWN); the account's subnets (DescribeSubnets) name it, and it has no endpoints
    vpc_tool = ("AG302", "code_interpreter", "tools_vpc")
    assert (*vpc_tool, "UNKNOWN") in expected
    expected = (expected - {(*vpc_tool, "UNKNOWN")}) | {(*vpc_tool, "FAIL")}
    assert verdicts(audited) == expected
    (f,) = [
        f for f in audited.findings if f.policy_id == "AG302" and f.resource_kind == "code_interpreter" and "vpc-" in f.message
    ]
    assert "has no interface endpoint for" in f.message


def test_an_account_outside_the_auditors_organization_has_no_organization_policies_and_no_gap(aws, pack, params):
    import boto3

    (member,) = S.organization(1)
    a = S.deploy_agent(S.session_in(member), "us-east-1", "agent", guardrail=False)
    boto3.client("organizations", region_name="us-east-1").remove_account_from_organization(AccountId=member)
    result = audit(pack, _registered(params, "gr1abc2def3g"), accounts=[member])  # an --accounts audit
    assert not by(result, "AG000")
    assert not [r for r in result.inventory if r.kind in ("org_policy", "org_effective_policy")]
    assert one(result, "AG206", a["agent"]).status == Status.FAIL


def test_the_roots_and_ous_policies_are_read_once_for_all_accounts_under_them(aws, pack, params):
    import boto3

    members = S.organization(3)
    org = boto3.client("organizations", region_name="us-east-1")
    root = org.list_roots()["Roots"][0]["Id"]
    ou = org.create_organizational_unit(ParentId=root, Name="workloads")["OrganizationalUnit"]["Id"]
    for m in members:
        org.move_account(AccountId=m, SourceParentId=root, DestinationParentId=ou)
    S.deploy_scp(ou, "no-leaving", {"Effect": "Deny", "Action": "organizations:LeaveOrganization", "Resource": "*"})
    calls: Counter = Counter()

    def record(model, params, **_):
        if model.service_model.service_name == "organizations":
            calls[(model.name, params.get("TargetId") or params.get("ChildId") or params.get("PolicyId"))] += 1

    result = audit(pack, params, accounts=members, hooks=[("before-parameter-build", record)])
    assert not by(result, "AG000")
    assert calls[("ListPoliciesForTarget", root)] == 2 and calls[("ListPoliciesForTarget", ou)] == 2  # one per policy type
    assert calls[("ListParents", ou)] == 1
    assert all(calls[("ListParents", m)] == 1 and calls[("DescribeEffectivePolicy", m)] == 1 for m in members)
    assert {n for (op, _), n in calls.items() if op == "DescribePolicy"} == {1}  # each policy document once
    for m in members:  # and every account still has both SCPs in force, with where they are attached
        scps = {r.name: r.properties["targets"] for r in result.inventory if r.kind == "org_policy" and r.account == m}
        # (Organizations attaches FullAWSAccess to the root and to every new OU and account)
        assert scps == {
            "FullAWSAccess": [
                {"target_id": root, "target_type": "ROOT"},
                {"target_id": ou, "target_type": "ORGANIZATIONAL_UNIT"},
                {"target_id": m, "target_type": "ACCOUNT"},
            ],
            "no-leaving": [{"target_id": ou, "target_type": "ORGANIZATIONAL_UNIT"}],
        }
