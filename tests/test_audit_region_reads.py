"""Region-level reads that only resolve what agentic resources name run where something names them (issue 16).

An account has many enabled regions and agents in few. The reads that serve only to resolve references (subnets
and route tables, ECR repositories and registry scanning, OpenSearch Serverless collections and policies, log
deliveries, secrets, alarms, KMS keys) run in a region only once the account's first collections show something
there that needs them; elsewhere their kinds are recorded as not read, saying why, and never as "none". Counted
(never timed) with a botocore ``before-call`` handler, by region and operation.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

import pytest

pytest.importorskip("moto")

import agentgov.demo.awsmock as S  # noqa: E402
from agentgov.audit import live_inventory  # noqa: E402
from agentgov.audit.run import AuditOptions, run_audit  # noqa: E402
from agentgov.scanner.findings import Status  # noqa: E402

pytestmark = [pytest.mark.slow, pytest.mark.filterwarnings("ignore:Exception.*with code AccessDenied does not match:UserWarning")]
HOME = "us-east-1"  # the one region with agents
EMPTY = ["us-west-2", "eu-west-1", "eu-central-1"]
REGIONS = [HOME, *EMPTY]

#: what a region without any agentic resource costs: one page of each list that finds what the policies judge there
#: or that shows the region holds no agentic resource
EMPTY_REGION_CALLS = {
    # agentic resources: agents, knowledge bases, flows, AgentCore's six kinds
    "bedrock-agent.ListAgents",
    "bedrock-agent.ListKnowledgeBases",
    "bedrock-agent.ListFlows",
    "bedrock-agentcore-control.ListAgentRuntimes",
    "bedrock-agentcore-control.ListGateways",
    "bedrock-agentcore-control.ListMemories",
    "bedrock-agentcore-control.ListPolicyEngines",
    "bedrock-agentcore-control.ListCodeInterpreters",
    "bedrock-agentcore-control.ListBrowsers",
    # judged wherever they are: guardrails (AG203-AG209), AG807's models and jobs; a region's invocation logging and
    # enforced guardrails decide which roles are agent roles and what guards them (AG1xx, AG206)
    "bedrock.ListGuardrails",
    "bedrock.GetModelInvocationLoggingConfiguration",
    "bedrock.ListEnforcedGuardrailsConfiguration",
    "bedrock.ListCustomModels",
    "bedrock.ListImportedModels",
    "bedrock.ListModelCustomizationJobs",
    "bedrock.ListModelInvocationJobs",
    # a trail anywhere in the account may record the agents' data events (AG602, scope stack); an endpoint to a
    # Bedrock service (AG303), a log group named like Bedrock's (AG604) and a function Bedrock may invoke (AG1xx,
    # AG3xx) are judged wherever they are
    "cloudtrail.DescribeTrails",
    "ec2.DescribeVpcEndpoints",
    "logs.DescribeLogGroups",
    "lambda.ListFunctions",
    # a function's environment may name a table by its bare name, which the graph matches in any region
    "dynamodb.ListTables",
}
#: the resolving reads, made where something needs them (the agents' region here) and nowhere else
RESOLVING = {
    "ec2.DescribeSubnets",
    "ec2.DescribeRouteTables",
    "opensearchserverless.ListCollections",
    "opensearchserverless.ListSecurityPolicies",
    "secretsmanager.ListSecrets",
    "cloudwatch.DescribeAlarms",
    "kms.ListKeys",
}
#: the kinds not read in a region where nothing needs them
UNREAD_KINDS = {
    "subnet",
    "route_table",
    "ecr_repository",
    "ecr_scanning_configuration",
    "aoss_collection",
    "aoss_security_policy",
    "log_delivery_source",
    "log_delivery",
    "log_delivery_destination",
    "secret",
    "alarm",
    "kms_key",
}


def _estate(agents: int = 5) -> str:
    (member,) = S.organization(1)
    S.enable_regions(member, REGIONS)
    session = S.session_in(member)
    S.deploy_controls(session, HOME, f"ctl-{member}")
    S.seed_agents(session, HOME, agents, prefix="agent")
    return member


def _audit(pack: Any, params: Any, member: str, **kw: Any) -> tuple[Any, Counter]:
    """The audit of ``member`` in ``REGIONS``, and its calls by (region, service.Operation)."""
    calls: Counter = Counter()

    def count(model: Any = None, request_signer: Any = None, **_: Any) -> None:
        calls[(request_signer.region_name, f"{model.service_model.service_name}.{model.name}")] += 1

    opts = AuditOptions(
        role_name=S.AUDIT_ROLE, accounts=[member], regions=REGIONS, workers=4, keep_inventory=True, hooks=[("before-call", count)]
    )
    for k, v in kw.items():
        setattr(opts, k, v)
    return run_audit(opts, pack, params), calls


def _in(calls: Counter, region: str) -> Counter:
    return Counter({op: n for (r, op), n in calls.items() if r == region})


def _verdicts(result: Any) -> Counter:
    return Counter((f.policy_id, f.resource_id, f.status, f.message) for f in result.findings)


def test_an_empty_region_costs_only_the_lists_that_show_it_holds_no_agentic_resource(aws, pack, params):
    member = _estate()
    result, calls = _audit(pack, params, member)
    assert not [f for f in result.findings if f.status == Status.ERROR]
    for region in EMPTY:
        assert _in(calls, region) == Counter(dict.fromkeys(EMPTY_REGION_CALLS, 1)), region
    home = _in(calls, HOME)
    assert RESOLVING <= set(home), RESOLVING - set(home)  # where the agents are, what they name is read
    # no AgentCore runtime names an image: no ECR read anywhere; no AgentCore resource: no log delivery read
    assert not {op for (_, op) in calls if op.startswith("ecr.") or "Deliver" in op}


def test_what_is_not_read_in_a_region_is_recorded_as_not_needed_never_as_none(aws, pack, params):
    member = _estate(agents=2)
    result, _ = _audit(pack, params, member)
    inv = result.inventory
    for region in EMPTY:
        unread = {k: why for (a, r, k), why in inv.uncollected.items() if a == member and r == region}
        assert set(unread) == UNREAD_KINDS, region
        assert all(
            why.startswith(f"not needed: no resource the audit read in account {member} {region}") for why in unread.values()
        )
        assert not {k for (a, r, k) in inv.collected if a == member and r == region} & UNREAD_KINDS
    # the live inventory (what drift matches IaC against) does not say they were collected whole there: an IaC subnet in
    # an empty region is "not assessed", never "not deployed"
    collected = {(d["account"], d["region"]): set(d["kinds"]) for d in live_inventory.collected_records(inv, [])}
    for region in EMPTY:
        assert not collected[(member, region)] & UNREAD_KINDS, region
        assert {"agent", "guardrail", "vpc_endpoint", "log_group"} <= collected[(member, region)]
    assert {"subnet", "route_table", "secret", "alarm", "kms_key", "aoss_collection"} <= collected[(member, HOME)]
    # and where it was needed nothing is said to be unread
    assert not [k for (a, r, k) in inv.uncollected if r == HOME and k in {"subnet", "secret", "alarm", "kms_key"}]


def test_the_verdicts_are_those_of_an_audit_that_reads_every_region_whole(aws, pack, params):
    member = _estate()
    gated, calls = _audit(pack, params, member)
    whole, calls_whole = _audit(pack, params, member, reach=False)  # every region read whole (the Config rule's way)
    for region in EMPTY:  # the region-gated collectors read everywhere there
        assert RESOLVING <= set(_in(calls_whole, region)), region
    assert sum(calls.values()) < sum(calls_whole.values())
    assert _verdicts(gated) == _verdicts(whole)


def test_an_image_in_another_regions_registry_is_read_there(aws, pack, params):
    member = _estate(agents=1)
    session = S.session_in(member)
    other = EMPTY[0]  # no agentic resource: its registry is read because a runtime's image names it
    ecr, key = S.scanned_registry(session, other)
    repo = ecr.create_repository(repositoryName="agents/orders", encryptionConfiguration={"encryptionType": "KMS", "kmsKey": key})
    session.client("bedrock-agentcore-control", region_name=HOME).create_agent_runtime(
        agentRuntimeName="remote_image",
        roleArn=f"arn:aws:iam::{member}:role/runtime",
        networkConfiguration={"networkMode": "PUBLIC"},
        agentRuntimeArtifact={"containerConfiguration": {"containerUri": f"{repo['repository']['repositoryUri']}:1"}},
    )
    result, calls = _audit(pack, params, member)
    assert _in(calls, other)["ecr.DescribeRepositories"] == 1 and _in(calls, other)["kms.ListKeys"] == 1
    assert not [op for op in _in(calls, EMPTY[1]) if op.startswith("ecr.")]
    (f,) = [f for f in result.findings if f.policy_id == "AG907"]
    assert f.status == Status.PASS, f.message  # the repository, its key and the registry's scanning were read and judged
    # the runtime's region reads its log deliveries (AG605); the others have no AgentCore resource
    assert _in(calls, HOME)["logs.DescribeDeliverySources"] == 1
    assert not [op for op in _in(calls, other) if "Deliver" in op]


def test_a_region_whose_agentic_lists_failed_is_read_whole(aws, pack, params):
    member = _estate(agents=1)
    S.deny(member, "bedrock-agentcore-control", "ListAgentRuntimes")
    result, calls = _audit(pack, params, member)
    # whether a region holds a runtime is not known: what a runtime could name is read in every region
    for region in REGIONS:
        got = _in(calls, region)
        assert {"ecr.DescribeRepositories", "logs.DescribeDeliverySources", "ec2.DescribeSubnets", "kms.ListKeys"} <= set(got)
    assert not [k for (a, r, k) in result.inventory.uncollected if k in UNREAD_KINDS]
    assert [f for f in result.findings if f.status == Status.ERROR and "ListAgentRuntimes" in f.message]


def test_a_global_gap_reads_every_region_whole_only_when_it_hides_what_names_their_resources(aws, pack, params):
    member = _estate(agents=1)
    S.deny(member, "iam", "ListServiceSpecificCredentials")  # Bedrock API keys: they name nothing of a region
    _, calls = _audit(pack, params, member)
    assert not [op for op in _in(calls, EMPTY[0]) if op in RESOLVING]
    S.deny(member, "iam", "GetAccountAuthorizationDetails")  # the roles' policies may name a secret or key anywhere
    _, calls = _audit(pack, params, member)
    assert RESOLVING <= set(_in(calls, EMPTY[0]))


def test_a_key_of_a_region_whose_keys_were_not_needed_is_unknown_with_that_reason(pack, params):
    from agentgov.audit.collectors.kms_keys import WHEN
    from agentgov.audit.collectors.resolve import not_needed
    from agentgov.scanner import engine
    from agentgov.scanner.graph import resolve_edges
    from agentgov.scanner.model import Inventory, Location, Resource

    account, region = "111122223333", "eu-west-1"
    arn = f"arn:aws:logs:{region}:{account}:log-group:/aws/bedrock-agentcore/runtimes/r1"
    key = f"arn:aws:kms:{region}:{account}:key/1234abcd-12ab-34cd-56ef-1234567890ab"
    inv = Inventory()
    inv.add(Resource(kind="log_group", id=arn, key=f"aws://{account}#{arn}", source="aws", source_type="AWS::Logs::LogGroup",
                     stack=f"aws://{account}", location=Location(file=f"aws://{account}/{region}/{arn}"),
                     name="/aws/bedrock-agentcore/runtimes/r1",
                     properties={"log_group_name": "/aws/bedrock-agentcore/runtimes/r1", "kms_key_id": key,
                                 "data_protection_policy": {"Statement": [{"Operation": {"Deidentify": {"MaskConfig": {}}}}]}},
                     account=account, region=region, arn=arn))  # fmt: skip
    inv.collected.add((account, region, "log_group"))
    inv.uncollected[(account, region, "kms_key")] = not_needed(WHEN, account, region)
    resolve_edges(inv)
    (f,) = [f for f in engine.run(inv, engine.select(pack, ["AG604"], []), params) if f.resource_id == arn]
    assert f.status == Status.UNKNOWN
    assert f"the KMS keys of account {account} in {region} were not read: not needed: no resource" in f.message, f.message
