"""How many API calls the audit makes, counted (never timed) on small moto estates: per agent on the benchmark's
estate (bench/bench_audit.py), and that an account's unrelated buckets, keys, tables and alarms add list pages only.

Calls are counted with a botocore ``before-call`` handler on the audit's sessions (what AWS would bill and
throttle), by ``service.Operation``.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

import pytest

pytest.importorskip("moto")

import agentgov.demo.awsmock as S  # noqa: E402
from agentgov.audit.run import AuditOptions, run_audit  # noqa: E402
from agentgov.scanner.findings import Status  # noqa: E402
from agentgov.scanner.model import Unknown  # noqa: E402

pytestmark = [pytest.mark.slow, pytest.mark.filterwarnings("ignore:Exception.*with code AccessDenied does not match:UserWarning")]
REGIONS = ["us-east-1", "us-west-2", "eu-west-1"]
AGENTS_PER_REGION = 5  # the benchmark's
#: the ceiling per agent on the benchmark's estate: measured 22.2 with 1 and 2 accounts (30.2 before issue 16), then
#: 25.9 once the catalog's new policies read what they judge: per region ECR (2 calls), log groups and deliveries
#: (4), subnets and route tables (2), OpenSearch Serverless lists (2), the agents' foundation model (1), i.e. 2.2
#: per agent here; a collection's network policy (1.0 per agent) and a published version's own record (0.8); then
#: 26.1 with the account's budgets and cost anomaly monitors (AG651: DescribeBudgets and GetAnomalyMonitors, one call
#: each per account; GetAnomalySubscriptions only where a monitor exists), 26.9 with AG807's four Bedrock lists
#: per region (custom models, imported models, customization jobs, batch-inference jobs: one page each, none here,
#: so no detail read), i.e. 0.8 per agent, and 27.1 with Bedrock Flows (AG210: none here, one ListFlows page per
#: region, 0.2 per agent);
#: then 29.1 with AG111's IAM service last accessed of each agent role that may hold a Bedrock action:
#: GenerateServiceLastAccessedDetails and GetServiceLastAccessedDetails once each per such role (15 roles for 15
#: agents here: 2.0 per agent; jobs done at the first poll, as moto's are);
#: then 28.1 once the reads that only resolve what agentic resources name run where something names them
#: (collectors.resolve): no AgentCore runtime names an image and no AgentCore resource delivers logs here, so the
#: ECR reads (2 per region) and the log-delivery lists (3 per region) are not made, i.e. 1.0 per agent fewer; the
#: subnets, route tables, collections, secrets, alarms and keys are read (every region holds agents that name them);
#: then 25.3 once a routed version's GetAgentVersion (read for its role) also settles whether it collaborates (none
#: does here: no ListAgentCollaborators, 0.8 per agent fewer), and the agent roles younger than AG111's
#: max_unused_days less a day are not read (moto's roles are created at seeding: 2.0 per agent fewer)
PER_AGENT = 26
#: calls about one bucket, key, table or alarm (their list calls and the Tagging API's excepted)
DETAIL_CALLS = {
    "s3.GetBucketLocation",
    "s3.GetBucketVersioning",
    "s3.GetObjectLockConfiguration",
    "s3.GetPublicAccessBlock",
    "s3.GetBucketEncryption",
    "s3.GetBucketTagging",
    "kms.DescribeKey",
    "kms.GetKeyRotationStatus",
    "kms.GetKeyPolicy",
    "kms.ListResourceTags",
    "dynamodb.DescribeTable",
    "dynamodb.DescribeContinuousBackups",
    "dynamodb.ListTagsOfResource",
    "cloudwatch.ListTagsForResource",
}


def _estate(unrelated: int = 0, member: str | None = None) -> str:
    if member is None:
        (member,) = S.organization(1)
    S.enable_regions(member, REGIONS)
    session = S.session_in(member)
    S.deploy_controls(session, REGIONS[0], f"ctl-{member}")
    for region in REGIONS:
        S.seed_agents(session, region, AGENTS_PER_REGION, prefix=f"{region}-agent")
    if unrelated:
        S.deploy_unrelated(session, REGIONS[0], unrelated)
    return member


def _audit(pack: Any, params: Any, member: str, **kw: Any) -> tuple[Any, Counter]:
    calls: Counter = Counter()

    def count(model: Any = None, **_: Any) -> None:
        calls[f"{model.service_model.service_name}.{model.name}"] += 1

    opts = AuditOptions(
        role_name=S.AUDIT_ROLE, accounts=[member], regions=REGIONS, workers=4, keep_inventory=True, hooks=[("before-call", count)]
    )
    for k, v in kw.items():
        setattr(opts, k, v)
    return run_audit(opts, pack, params), calls


def _verdicts(result: Any) -> Counter:
    return Counter((f.policy_id, f.resource_id, f.status) for f in result.findings)


def test_the_benchmark_estate_is_audited_in_few_calls_per_agent(aws, pack, params):
    member = _estate()
    result, calls = _audit(pack, params, member)
    agents = sum(1 for r in result.inventory if r.kind == "agent")
    assert agents == len(REGIONS) * AGENTS_PER_REGION
    total = sum(calls.values())
    assert total / agents <= PER_AGENT, f"{total / agents:.1f} calls per agent: {calls.most_common()}"
    # what issue 16 named: no alias read twice, no collaborators of agents without collaboration, one Lambda read
    # for configuration, concurrency and tags, the buckets' regions from the list, the tags from the Tagging API
    assert calls["bedrock-agent.GetAgentAlias"] == 0
    # seed_agents makes no supervisor, and an alias routes to every published version: GetAgent and each version's
    # GetAgentVersion answer agentCollaboration DISABLED, so no collaborators are listed
    versions = sum(1 for r in result.inventory if r.kind == "agent_version")
    assert calls["bedrock-agent.GetAgentVersion"] == versions
    assert calls["bedrock-agent.ListAgentCollaborators"] == 0
    functions = sum(1 for r in result.inventory if r.kind == "function")
    assert calls["lambda.GetFunction"] == functions and calls["lambda.ListTags"] == 0
    assert "lambda.GetFunctionConcurrency" not in calls and calls["s3.GetBucketLocation"] == 0
    per_resource_tags = ("bedrock-agent.ListTagsForResource", "bedrock.ListTagsForResource", "s3.GetBucketTagging",
                         "kms.ListResourceTags", "dynamodb.ListTagsOfResource", "cloudwatch.ListTagsForResource")  # fmt: skip
    assert {k: calls[k] for k in per_resource_tags if calls[k]} == {}
    assert calls["resourcegroupstaggingapi.GetResources"] == len(REGIONS)  # one page per region here
    assert not [f for f in result.findings if f.status == Status.ERROR]


def test_unrelated_buckets_keys_tables_and_alarms_add_list_pages_not_detail_reads(aws, pack, params):
    members = S.organization(2)
    small, calls_small = _audit(pack, params, _estate(member=members[0]))
    big, calls_big = _audit(pack, params, _estate(unrelated=120, member=members[1]))
    details_small = {k: v for k, v in calls_small.items() if k in DETAIL_CALLS}
    details_big = {k: v for k, v in calls_big.items() if k in DETAIL_CALLS}
    assert details_big == details_small
    grown = {k: calls_big[k] - calls_small[k] for k in calls_big if calls_big[k] != calls_small[k]}
    # 120 more keys and tables in one region: a second page of ListKeys and ListTables (100 each), and a few more
    # pages of GetResources; the alarms and buckets come in the pages they came in before
    assert set(grown) <= {"kms.ListKeys", "dynamodb.ListTables", "resourcegroupstaggingapi.GetResources"}, grown
    assert sum(grown.values()) <= 6, grown
    # the unrelated resources are recorded, with their tags, and their details are unknown with the reason
    table = next(r for r in big.inventory if r.kind == "table" and r.name == "unrelated-table-0")
    detail = table.properties["point_in_time_recovery_specification"]
    assert isinstance(detail, Unknown) and "references it" in detail.reason
    assert table.tags == {"team": "t0"}
    bucket = next(r for r in big.inventory if r.kind == "bucket" and r.name.startswith("unrelated-bucket-") and r.tags)
    assert isinstance(bucket.properties["object_lock_configuration"], Unknown)
    # the verdicts on the agents' resources are those of the estate without the unrelated ones
    ours = Counter((p, s) for (p, rid, s) in _verdicts(big).elements() if "unrelated" not in rid)
    assert ours == Counter((p, s) for (p, _, s) in _verdicts(small).elements())


def test_a_bucket_carrying_the_audit_evidence_tag_is_read_though_no_agent_uses_it(aws, pack, params):
    member = _estate()
    session = S.session_in(member)
    s3 = session.client("s3", region_name="us-east-1")
    s3.create_bucket(Bucket="evidence-of-nobody")
    s3.put_bucket_tagging(Bucket="evidence-of-nobody", Tagging={"TagSet": [{"Key": "agentgov:evidence", "Value": "true"}]})
    result, calls = _audit(pack, params, member)
    (f,) = [f for f in result.findings if f.policy_id == "AG804" and f.resource_id == "arn:aws:s3:::evidence-of-nobody"]
    assert f.status == Status.FAIL and "Object Lock" in f.message  # read, judged: no Object Lock
    assert calls["s3.GetObjectLockConfiguration"] >= 1


def test_a_denied_tagging_api_falls_back_to_each_resources_own_tags_with_the_same_tags(aws, pack, params):
    member = _estate()
    with_api, _ = _audit(pack, params, member)
    S.deny(member, "resourcegroupstaggingapi", "GetResources")
    without, calls = _audit(pack, params, member)
    assert calls["bedrock-agent.ListTagsForResource"] > 0 and calls["bedrock.ListTagsForResource"] > 0
    tags = {r.key: r.tags for r in with_api.inventory}
    fallback = {r.key: r.tags for r in without.inventory}
    # a key or table no agentic resource reaches is not read one by one (its calls would grow with the account):
    # its tags are unknown, saying why, never "none"
    unread = {k for k, t in fallback.items() if isinstance(t, Unknown) and "references it" in t.reason}
    assert {without.inventory.resources[k].kind for k in unread} <= {"kms_key", "table"}
    assert tags and {k: t for k, t in fallback.items() if k not in unread} == {k: t for k, t in tags.items() if k not in unread}
    assert _verdicts(without) == _verdicts(with_api)


def test_a_denied_tagging_api_and_denied_own_tags_make_tags_unknown_never_none(aws, pack, params):
    member = _estate()
    S.deny(member, "resourcegroupstaggingapi", "GetResources")
    S.deny(member, "bedrock-agent", "ListTagsForResource")
    result, _ = _audit(pack, params, member)
    agents = [r for r in result.inventory if r.kind == "agent"]
    assert agents and all(isinstance(r.tags, Unknown) and "ListTagsForResource denied" in r.tags.reason for r in agents)
    ag801 = [f for f in result.findings if f.policy_id == "AG801" and f.resource_kind == "agent"]
    assert ag801 and {f.status for f in ag801} == {Status.UNKNOWN}


def test_collaborators_are_listed_for_the_versions_that_collaborate_and_only_those(aws, pack, params):
    """A published version's GetAgentVersion answers agentCollaboration (botocore's AgentVersion has it): a version
    published as a supervisor has its collaborators listed and recorded; a routed version published with DISABLED
    is not asked; a version no alias routes to (no GetAgentVersion read) is asked."""
    member = _estate()
    session = S.session_in(member)
    ab = session.client("bedrock-agent", region_name=REGIONS[0])
    agents = ab.list_agents()["agentSummaries"]
    helper = ab.list_agent_aliases(agentId=agents[1]["agentId"])["agentAliasSummaries"][0]
    sup = ab.get_agent(agentId=agents[0]["agentId"])["agent"]
    keep = ("agentName", "agentResourceRoleArn", "foundationModel", "instruction", "guardrailConfiguration")
    ab.update_agent(agentId=sup["agentId"], agentCollaboration="SUPERVISOR", **{k: sup[k] for k in keep if k in sup})
    ab.associate_agent_collaborator(
        agentId=sup["agentId"],
        agentVersion="DRAFT",
        collaboratorName="helper",
        collaborationInstruction="help",
        agentDescriptor={"aliasArn": _alias_arn(ab, agents[1]["agentId"], helper["agentAliasId"])},
    )
    ab.create_agent_alias(agentId=sup["agentId"], agentAliasName="supervised")  # publishes a supervisor version
    result, calls = _audit(pack, params, member)
    asked = calls["bedrock-agent.ListAgentCollaborators"]
    # the supervisor's DRAFT and its new version; every other version was published with collaboration DISABLED
    assert asked == 2, calls
    recorded = sorted(r.id.rsplit("/collaborator/", 1)[0].rsplit("/version/", 1)[1] for r in result.inventory
                      if r.kind == "agent_collaborator")  # fmt: skip
    assert len(recorded) == 2 and "DRAFT" in recorded and recorded != ["DRAFT", "DRAFT"]


def _alias_arn(ab: Any, agent_id: str, alias_id: str) -> str:
    agent = ab.get_agent(agentId=agent_id)["agent"]
    return agent["agentArn"].replace(":agent/", ":agent-alias/") + f"/{alias_id}"
