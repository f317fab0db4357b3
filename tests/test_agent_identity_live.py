"""AG107-AG111 on live accounts (moto, completed by agentgov.demo.awsmock): the audit reads what the IaC side reads
under the same names, so one policy judges both."""

from __future__ import annotations

import json
from typing import Any

import pytest

pytest.importorskip("moto")

import agentgov.demo.awsmock as S  # noqa: E402
from agentgov.audit.run import AuditOptions, run_audit  # noqa: E402

MODEL = "anthropic.claude-3-haiku-20240307-v1:0"


def _verdicts(pack, params, only, names=None):
    """(policy, name) -> finding; ``names``: ARN -> the name the resource was made with."""
    result = run_audit(AuditOptions(role_name=S.AUDIT_ROLE, regions=["us-east-1"], workers=2), pack, params, only=only)
    names = names or {}
    return {(f.policy_id, names.get(f.resource_id, f.resource_id)): f for f in result.findings if f.policy_id in only}


def _role(iam, name: str, service: str) -> str:
    return iam.create_role(RoleName=name, AssumeRolePolicyDocument=S.trust({"Service": service}))["Role"]["Arn"]


def _runtime(session, name: str, role: str, account: str) -> str:
    return session.client("bedrock-agentcore-control", region_name="us-east-1").create_agent_runtime(
        agentRuntimeName=name,
        roleArn=role,
        networkConfiguration={"networkMode": "PUBLIC"},
        agentRuntimeArtifact={"containerConfiguration": {"containerUri": f"{account}.dkr.ecr.us-east-1.amazonaws.com/{name}:1"}},
    )["agentRuntimeArn"]


def _shared_roles_estate() -> tuple[str, dict[str, str]]:
    """orders and the research runtime share a role; billing's alias routes to version 1, published with the role
    support uses, before billing's draft moved to a role of its own; audit has its own role."""
    (member,) = S.organization(1)
    session = S.session_in(member)
    iam = session.client("iam")
    shared = _role(iam, "shared", "bedrock.amazonaws.com")
    old = _role(iam, "old", "bedrock.amazonaws.com")
    billing_role = _role(iam, "billing", "bedrock.amazonaws.com")
    audit_role = _role(iam, "audit", "bedrock.amazonaws.com")
    agents = session.client("bedrock-agent", region_name="us-east-1")

    names: dict[str, str] = {}

    def agent(name: str, role: str) -> str:
        made = agents.create_agent(agentName=name, agentResourceRoleArn=role, foundationModel=MODEL, idleSessionTTLInSeconds=600)
        names[made["agent"]["agentArn"]] = name
        return made["agent"]["agentId"]

    agent("orders", shared)
    names[_runtime(session, "research", shared, member)] = "research"
    billing = agent("billing", old)
    agents.create_agent_alias(agentId=billing, agentAliasName="live")  # publishes version 1 with the old role
    agents.update_agent(
        agentId=billing,
        agentName="billing",
        agentResourceRoleArn=billing_role,
        foundationModel=MODEL,
        idleSessionTTLInSeconds=600,
    )
    agent("support", old)
    agent("audit", audit_role)
    return member, names


def test_agents_and_runtimes_sharing_a_role_fail_live_and_an_alias_routed_version_counts(aws, pack, params):
    _, names = _shared_roles_estate()
    v = {r: f for (pid, r), f in _verdicts(pack, params, ["AG107"], names).items()}
    assert {r: f.status.value for r, f in v.items()} == {
        "orders": "FAIL",
        "research": "FAIL",
        "billing": "FAIL",
        "support": "FAIL",
        "audit": "PASS",
    }
    arn = {n: a for a, n in names.items()}
    assert f"role/shared is also the execution role of agent runtime {arn['research']}" in v["orders"].message
    assert f"role/old is also the execution role of agent {arn['support']}" in v["billing"].message
    assert f"role/old is also the execution role of agent {arn['billing']}" in v["support"].message


def test_an_unread_version_role_makes_the_comparison_unknown_naming_the_call(aws, pack, params):
    member, names = _shared_roles_estate()
    S.deny(member, "bedrock-agent", "GetAgentVersion")
    v = {r: f for (pid, r), f in _verdicts(pack, params, ["AG107"], names).items()}
    assert v["orders"].status.value == "FAIL" and v["research"].status.value == "FAIL"
    for name in ("billing", "support", "audit"):
        assert v[name].status.value == "UNKNOWN", (name, v[name].message)
        assert "GetAgentVersion" in v[name].message, v[name].message
    assert json.dumps(v["billing"].evidence, default=str).count("GetAgentVersion") >= 1


def _marketplace_estate() -> tuple[str, dict[str, str]]:
    """An agent whose role may subscribe to any Marketplace product, one limited to a named product (PASS with the
    default, empty approved list), and one with Subscribe only through a NotAction grant."""
    (member,) = S.organization(1)
    session = S.session_in(member)
    iam = session.client("iam")
    agents = session.client("bedrock-agent", region_name="us-east-1")
    statements = {
        "any": {"Effect": "Allow", "Action": "aws-marketplace:Subscribe", "Resource": "*"},
        "named": {
            "Effect": "Allow",
            "Action": "aws-marketplace:Subscribe",
            "Resource": "*",
            "Condition": {"ForAnyValue:StringEquals": {"aws-marketplace:ProductId": ["prod-6dw3qvchef7zy"]}},
        },
        "notaction": {"Effect": "Allow", "NotAction": "iam:*", "Resource": "*"},
    }
    names = {}
    for name, statement in statements.items():
        arn = _role(iam, f"{name}-role", "bedrock.amazonaws.com")
        iam.put_role_policy(
            RoleName=f"{name}-role",
            PolicyName="marketplace",
            PolicyDocument=json.dumps({"Version": "2012-10-17", "Statement": [statement]}),
        )
        agents.create_agent(agentName=name, agentResourceRoleArn=arn, foundationModel=MODEL, idleSessionTTLInSeconds=600)
        names[arn] = name
    return member, names


def test_marketplace_subscribe_is_judged_on_live_roles(aws, pack, params):
    _, names = _marketplace_estate()
    v = {r: f for (pid, r), f in _verdicts(pack, params, ["AG108"], names).items()}
    assert {r: f.status.value for r, f in v.items()} == {"any": "FAIL", "named": "PASS", "notaction": "FAIL"}
    assert "no aws-marketplace:ProductId condition" in v["any"].message


def test_marketplace_subscribe_with_iam_unread_is_unknown(aws, pack, params):
    member, _ = _marketplace_estate()
    S.deny(member, "iam", "GetAccountAuthorizationDetails")
    found = _verdicts(pack, params, ["AG108"])
    assert found and {f.status.value for f in found.values()} == {"UNKNOWN"}
    assert all("role" in f.message for f in found.values())


def test_bedrock_api_keys_fail_live_and_say_when_they_are_critical(aws, pack, params):
    (member,) = S.organization(1)
    iam = S.session_in(member).client("iam")
    for user in ("admin", "scoped", "escalator", "git"):
        iam.create_user(UserName=user)
    iam.put_user_policy(
        UserName="admin",
        PolicyName="admin",
        PolicyDocument=json.dumps({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}),
    )
    iam.put_user_policy(
        UserName="scoped",
        PolicyName="invoke",
        PolicyDocument=json.dumps(
            {
                "Version": "2012-10-17",
                "Statement": [
                    {
                        "Effect": "Allow",
                        "Action": "bedrock:InvokeModel",
                        "Resource": f"arn:aws:bedrock:*::foundation-model/{MODEL}",
                    }
                ],
            }
        ),
    )
    iam.put_user_policy(
        UserName="escalator",
        PolicyName="self",
        PolicyDocument=json.dumps(
            {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "iam:PutUserPolicy", "Resource": "*"}]}
        ),
    )
    iam.create_service_specific_credential(UserName="admin", ServiceName="bedrock.amazonaws.com")
    iam.create_service_specific_credential(UserName="scoped", ServiceName="bedrock.amazonaws.com", CredentialAgeDays=30)
    iam.create_service_specific_credential(UserName="escalator", ServiceName="bedrock.amazonaws.com", CredentialAgeDays=7)
    iam.create_service_specific_credential(UserName="git", ServiceName="codecommit.amazonaws.com")
    # administrator access through a group (AWS's AdministratorAccess attached to it) makes the key critical too
    (admin_access,) = S.aws_managed_policies(member, "AdministratorAccess")
    iam.create_group(GroupName="admins")
    iam.attach_group_policy(GroupName="admins", PolicyArn=admin_access)
    iam.create_user(UserName="grouped")
    iam.add_user_to_group(GroupName="admins", UserName="grouped")
    iam.create_service_specific_credential(UserName="grouped", ServiceName="bedrock.amazonaws.com", CredentialAgeDays=30)
    found = _verdicts(pack, params, ["AG109"])
    v = {str(r).split("/", 1)[0]: f for (pid, r), f in found.items() if "/service-specific-credential/" in str(r)}
    users = {str(r).rsplit("/", 1)[-1]: f.status.value for (pid, r), f in found.items() if ":user/" in str(r)}
    # the audit lists Bedrock's keys only (ServiceName filter): the CodeCommit credential is not read
    assert {u: f.status.value for u, f in v.items()} == {
        "admin": "FAIL",
        "scoped": "FAIL",
        "escalator": "FAIL",
        "grouped": "FAIL",
    }
    assert users == {"admin": "FAIL", "scoped": "FAIL", "escalator": "FAIL", "git": "PASS", "grouped": "FAIL"}
    assert v["admin"].evidence["critical_because"] == ["it never expires", "administrator access (* on *)"]
    assert v["grouped"].evidence["critical_because"] == ["administrator access (* on *)"]
    assert "critical_because" not in v["scoped"].evidence and "expires 20" in v["scoped"].evidence["lifetime"]
    assert "PutUserPolicy" in v["escalator"].evidence["critical_because"][0]


def test_an_unread_list_of_bedrock_api_keys_makes_users_unknown_and_is_a_coverage_gap_naming_the_call(aws, pack, params):
    (member,) = S.organization(1)
    iam = S.session_in(member).client("iam")
    iam.create_user(UserName="admin")
    iam.create_service_specific_credential(UserName="admin", ServiceName="bedrock.amazonaws.com")
    S.deny(member, "iam", "ListServiceSpecificCredentials")
    result = run_audit(AuditOptions(role_name=S.AUDIT_ROLE, regions=["us-east-1"], workers=2), pack, params, only=["AG109"])
    (user,) = [f for f in result.findings if f.policy_id == "AG109"]  # no key was read: the user cannot pass
    assert user.status.value == "UNKNOWN" and "ListServiceSpecificCredentials" in user.message, user.message
    gaps = [f for f in result.findings if f.policy_id == "AG000"]
    assert any("ListServiceSpecificCredentials" in f.message and "AccessDenied" in f.message for f in gaps), gaps


# ------------------------------------------------------------------ AG110: sessions on agent compute


def _policy(*statements: dict) -> str:
    return json.dumps({"Version": "2012-10-17", "Statement": list(statements)})


def test_only_operators_may_open_sessions_on_agent_compute_live(aws, pack, params):
    """Roles and users read from GetAccountAuthorizationDetails: a command session, a browser's automation stream, a
    new runtime with the agent's role fail; an operator by name or by tag passes, as does a principal without a
    session; a user's groups' inline, customer managed and AWS managed policies count as the user's own."""
    (member,) = S.organization(1)
    session = S.session_in(member)
    iam = session.client("iam")
    orders = _role(iam, "orders", "bedrock-agentcore.amazonaws.com")
    _runtime(session, "orders", orders, member)
    command = {"Effect": "Allow", "Action": "bedrock-agentcore:InvokeAgentRuntimeCommand", "Resource": "*"}
    deploy = [
        {"Effect": "Allow", "Action": "bedrock-agentcore:CreateAgentRuntime", "Resource": "*"},
        {"Effect": "Allow", "Action": "iam:PassRole", "Resource": orders},
    ]
    for name, statements in (("support", [command]), ("deployer", deploy), ("ops-oncall", [command]), ("tagged", [command])):
        _role(iam, name, "lambda.amazonaws.com")
        iam.put_role_policy(RoleName=name, PolicyName="p", PolicyDocument=_policy(*statements))
    iam.tag_role(RoleName="tagged", Tags=[{"Key": "agentgov:operator", "Value": "true"}])
    for user in ("dev", "reader", "grouped"):
        iam.create_user(UserName=user)
    iam.put_user_policy(
        UserName="dev",
        PolicyName="browser",
        PolicyDocument=_policy(
            {
                "Effect": "Allow",
                "Action": ["bedrock-agentcore:StartBrowserSession", "bedrock-agentcore:ConnectBrowserAutomationStream"],
                "Resource": f"arn:aws:bedrock-agentcore:us-east-1:{member}:browser/*",
            }
        ),
    )
    iam.create_group(GroupName="developers")
    iam.add_user_to_group(GroupName="developers", UserName="grouped")
    # a live user's groups' policies are read with the user (GetAccountAuthorizationDetails' GroupDetailList): an
    # inline policy, a customer managed and an AWS managed policy of a group each open a session; a group without
    # one leaves its user passing
    iam.put_group_policy(GroupName="developers", PolicyName="debug", PolicyDocument=_policy(command))
    S.aws_managed_policies(member, "ReadOnlyAccess", "AdministratorAccess")
    shared = iam.create_policy(PolicyName="shared-debug", PolicyDocument=_policy(command))["Policy"]["Arn"]
    for group, user in (("readers", "grouped-reader"), ("platform", "grouped-managed"), ("admins", "grouped-admin")):
        iam.create_group(GroupName=group)
        iam.create_user(UserName=user)
        iam.add_user_to_group(GroupName=group, UserName=user)
    iam.attach_group_policy(GroupName="readers", PolicyArn="arn:aws:iam::aws:policy/ReadOnlyAccess")
    iam.attach_group_policy(GroupName="platform", PolicyArn=shared)
    iam.attach_group_policy(GroupName="admins", PolicyArn="arn:aws:iam::aws:policy/AdministratorAccess")
    found = _verdicts(pack, {**params, "operator_principals": ["ops-*"]}, ["AG110"])
    v = {str(r).rsplit("/", 1)[-1]: f for (pid, r), f in found.items()}
    assert {
        n: v[n].status.value
        for n in ("orders", "support", "deployer", "ops-oncall", "tagged", "dev", "reader")
        + ("grouped", "grouped-reader", "grouped-managed", "grouped-admin")
    } == {
        "orders": "PASS",
        "support": "FAIL",
        "deployer": "FAIL",
        "ops-oncall": "PASS",
        "tagged": "PASS",
        "dev": "FAIL",
        "reader": "PASS",
        "grouped": "FAIL",
        "grouped-reader": "PASS",
        "grouped-managed": "FAIL",
        "grouped-admin": "FAIL",
    }
    assert (
        f"passing arn:aws:iam::{member}:role/orders" in v["deployer"].message
        and "InvokeAgentRuntimeCommand" in v["support"].message
    )
    assert "operator tag" in v["tagged"].message
    # the finding names the group's policy that grants the session
    granted = {
        k: [g["policy"] for s in v[k].evidence["sessions"] for g in s["granted_by"]] for k in ("grouped", "grouped-managed")
    }
    assert granted == {"grouped": ["debug (group developers)"], "grouped-managed": ["shared-debug (group platform)"]}
    assert "arn:aws:iam::aws:policy/AdministratorAccess" in v["grouped-admin"].evidence["aws_managed"]
    # without operators by name or by tag, a principal that may open a session is UNKNOWN naming the parameter
    unset = _verdicts(pack, {**params, "operator_principals": [], "operator_tag": ""}, ["AG110"])
    u = {str(r).rsplit("/", 1)[-1]: f for (pid, r), f in unset.items()}
    assert u["support"].status.value == "UNKNOWN" and "operator_principals is not configured" in u["support"].message
    assert u["reader"].status.value == "PASS"


def test_a_user_whose_group_was_not_read_is_unknown_naming_the_group(aws, pack, params, monkeypatch):
    """A group of the user's GroupList without a record (its GroupDetail could not be read): the group's policies are
    the user's, so AG110 cannot pass the user; the other users are judged."""
    from agentgov.audit.collectors import iam as iam_collector

    (member,) = S.organization(1)
    iam = S.session_in(member).client("iam")
    for group, user in (("developers", "grouped"), ("readers", "reader")):
        iam.create_group(GroupName=group)
        iam.create_user(UserName=user)
        iam.add_user_to_group(GroupName=group, UserName=user)
    read = iam_collector._group

    def unreadable(ctx: Any, g: dict) -> None:
        if g["GroupName"] == "developers":
            raise KeyError("Arn")  # as a GroupDetail without its ARN would
        read(ctx, g)

    monkeypatch.setattr(iam_collector, "_group", unreadable)
    found = _verdicts(pack, {**params, "operator_principals": ["ops-*"]}, ["AG110"])
    v = {str(r).rsplit("/", 1)[-1]: f for (pid, r), f in found.items()}
    assert v["grouped"].status.value == "UNKNOWN" and "developers" in v["grouped"].message, v["grouped"].message
    assert v["reader"].status.value == "PASS"


# ------------------------------------------------------------------ AG111: unused Bedrock / AgentCore permissions


def _age_role(account: str, name: str, days: int) -> None:
    from datetime import timedelta

    from moto.iam.models import iam_backends

    role = next(r for r in iam_backends[account]["aws"].roles.values() if r.name == name)
    role.create_date = role.create_date - timedelta(days=days)


def _unused_estate() -> tuple[str, Any]:
    """orders used Bedrock 10 days ago; stale 200 days ago; dormant (a year old) never; research (new) never used
    AgentCore; storage (it trusts Bedrock) may use S3 only."""
    from datetime import UTC, datetime, timedelta

    from agentgov.demo.awsmock.iam_last_accessed import record_access

    (member,) = S.organization(1)
    session = S.session_in(member)
    iam = session.client("iam")
    now = datetime.now(UTC)
    invoke = {"Effect": "Allow", "Action": "bedrock:InvokeModel", "Resource": "*"}
    roles = {}
    for name, service, statements in (
        ("orders", "bedrock.amazonaws.com", [invoke]),
        ("stale", "bedrock.amazonaws.com", [invoke]),
        ("dormant", "bedrock.amazonaws.com", [{"Effect": "Allow", "Action": "bedrock:*", "Resource": "*"}]),
        ("research", "bedrock-agentcore.amazonaws.com", [{"Effect": "Allow", "Action": "bedrock-agentcore:*", "Resource": "*"}]),
        ("storage", "bedrock.amazonaws.com", [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]),
    ):
        roles[name] = _role(iam, name, service)
        iam.put_role_policy(RoleName=name, PolicyName="p", PolicyDocument=_policy(*statements))
    _runtime(session, "research", roles["research"], member)
    record_access(member, roles["orders"], "bedrock", now - timedelta(days=10))
    record_access(member, roles["stale"], "bedrock", now - timedelta(days=200))
    _age_role(member, "stale", 400)
    _age_role(member, "dormant", 365)
    return member, roles


def _counted_options(**kw):
    """Audit options for us-east-1 whose hook records the name of every call made."""
    calls: list[str] = []
    opts = AuditOptions(
        role_name=S.AUDIT_ROLE,
        regions=["us-east-1"],
        workers=2,
        hooks=[("before-call", lambda model=None, **_: calls.append(model.name))],
        **kw,
    )
    return opts, calls


@pytest.mark.parametrize("read_young", [False, True], ids=["young-roles-by-age", "every-role-read"])
def test_agent_roles_that_left_bedrock_permissions_unused_fail_live(aws, pack, params, read_young):
    member, _ = _unused_estate()
    # young_role_days None: AG111's max_unused_days (90) less a day
    opts, calls = _counted_options(young_role_days=0 if read_young else None)
    result = run_audit(opts, pack, params, only=["AG111"])
    v = {str(f.resource_id).rsplit("/", 1)[-1]: f for f in result.findings if f.policy_id == "AG111"}
    # the same verdicts whether or not the reports of the young roles (orders, research: created today) are read
    assert {n: v[n].status.value for n in ("orders", "stale", "dormant", "research", "storage")} == {
        "orders": "PASS",
        "stale": "FAIL",
        "dormant": "FAIL",
        "research": "PASS",
        "storage": "PASS",
    }
    assert "bedrock last used 200 days ago" in v["stale"].message
    assert "never used in IAM's tracking period (the role is 365 days old)" in v["dormant"].message
    assert "allow no Bedrock or AgentCore action" in v["storage"].message
    if read_young:
        assert "cannot have left them unused that long" in v["research"].message
        assert "the role used bedrock within 90 days" in v["orders"].message
        jobs = 4  # one per role that may use Bedrock or AgentCore (not storage), polled once: moto's are done at once
    else:
        for young in ("orders", "research"):
            assert "created 0 days ago, less than 90" in v[young].message and "not read" in v[young].message
        jobs = 2  # the old roles only
    assert calls.count("GenerateServiceLastAccessedDetails") == jobs and calls.count("GetServiceLastAccessedDetails") == jobs


def test_service_last_accessed_is_not_read_when_ag111_is_not_run(aws, pack, params):
    member, _ = _unused_estate()
    opts, calls = _counted_options()
    run_audit(opts, pack, params, skip=["AG111"])
    assert "GenerateServiceLastAccessedDetails" not in calls and "GetServiceLastAccessedDetails" not in calls


@pytest.mark.parametrize(
    "script, needle",
    [
        ("denied", "GenerateServiceLastAccessedDetails denied (AccessDenied"),
        ("failed", "the job FAILED (ServiceFailure: internal error)"),
        ("running", "was still IN_PROGRESS after 6 polls"),
    ],
)
def test_an_unread_service_last_accessed_report_is_unknown_naming_the_call(aws, pack, params, monkeypatch, script, needle):
    from agentgov.audit.collectors import iam_last_accessed
    from agentgov.demo.awsmock.iam_last_accessed import job_status

    monkeypatch.setattr(iam_last_accessed, "POLL_WAIT", 0.0)
    member, _ = _unused_estate()
    if script == "denied":
        S.deny(member, "iam", "GenerateServiceLastAccessedDetails")
    else:
        job_status(
            member,
            "FAILED" if script == "failed" else "IN_PROGRESS",
            {"Code": "ServiceFailure", "Message": "internal error"} if script == "failed" else None,
        )
    v = {str(r).rsplit("/", 1)[-1]: f for (pid, r), f in _verdicts(pack, params, ["AG111"]).items()}
    for name in ("stale", "dormant"):
        assert v[name].status.value == "UNKNOWN" and needle in v[name].message, (name, v[name].message)
    # nothing to read: storage's policies allow no Bedrock action; orders and research are younger than 90 days
    assert {n: v[n].status.value for n in ("storage", "orders", "research")} == dict.fromkeys(
        ("storage", "orders", "research"), "PASS"
    )
