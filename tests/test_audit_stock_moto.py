"""The audit on a stock moto server (no completion), with an estate seeded only through the public API.

The server (``moto.server.ThreadedMotoServer`` on 127.0.0.1) runs in its own process, so nothing of
demo/awsmock is installed in it. The member account is built as a user builds one: roles, an agent, a
knowledge base, an action-group function Bedrock may invoke, an AgentCore runtime, gateway and memory,
a bucket, a key, a table, a trail, an alarm, a secret, a VPC endpoint. Stock moto serves those, and
lacks agent versions, aliases, action groups, data sources, guardrails and the AgentCore tools.

What must hold: everything stock moto serves is judged; what it lacks is a coverage gap (AG000) naming
exactly the calls it does not answer, or UNKNOWN, for exactly those resources. The verdicts per policy
are printed (``-s``) for the issue's closing note.
"""

from __future__ import annotations

import io
import json
import os
import socket
import subprocess
import sys
import time
import zipfile
from collections import Counter
from collections.abc import Iterator
from typing import Any

import pytest

pytest.importorskip("moto", reason="moto is in the test extras")

REGION = "us-east-1"
AUDIT_ROLE = "agentgov-audit"
DEFECT = "issue 13 defect {n}: {what}"

#: calls stock moto 5.2 does not answer (the completion adds them): their gaps are expected
NOT_IN_STOCK_MOTO = frozenset(
    {
        "bedrock-agent ListAgentVersions",
        "bedrock-agent ListAgentAliases",
        "bedrock-agent ListAgentActionGroups",
        "bedrock-agent ListAgentKnowledgeBases",
        "bedrock-agent ListAgentCollaborators",
        "bedrock-agent ListDataSources",
        "bedrock-agent ListFlows",  # stock moto 5.2 has no Bedrock Flows
        "bedrock ListGuardrails",
        "bedrock ListEnforcedGuardrailsConfiguration",
        "bedrock ListImportedModels",
        "bedrock ListModelInvocationJobs",
        "ce GetAnomalyMonitors",
        "ce GetAnomalySubscriptions",
        "iam ListServiceSpecificCredentials",
        "bedrock-agentcore-control ListCodeInterpreters",
        "bedrock-agentcore-control ListBrowsers",
        "bedrock-agentcore-control ListPolicyEngines",
        "organizations DescribeEffectivePolicy",
        "organizations ListPoliciesForTarget",  # with Filter BEDROCK_POLICY: stock moto knows no such policy type
    }
)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def stock_server() -> Iterator[str]:
    port = _free_port()
    code = (
        "import sys, time\n"
        "from moto.server import ThreadedMotoServer\n"
        "s = ThreadedMotoServer(ip_address='127.0.0.1', port=int(sys.argv[1]))\n"
        "s.start()\n"
        "print('ready', flush=True)\n"
        "sys.stdin.read()\n"  # until the test closes stdin
        "s.stop()\n"
    )
    proc = subprocess.Popen(
        [sys.executable, "-c", code, str(port)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        assert proc.stdout is not None
        while (line := proc.stdout.readline()) and line.strip() != "ready":  # moto says where it listens first
            pass
        assert line.strip() == "ready"
        yield f"http://127.0.0.1:{port}"
    finally:
        if proc.stdin:
            proc.stdin.close()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def _zip() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("index.py", "def handler(event, context):\n    return {}\n")
    return buf.getvalue()


def _trust(principal: dict[str, Any]) -> str:
    return json.dumps(
        {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": principal, "Action": "sts:AssumeRole"}]}
    )


def _seed(endpoint: str) -> tuple[str, str]:
    """An Organization with one member account, seeded as a user's account looks; (management, member)."""
    import boto3

    def session(**creds: str) -> Any:
        return boto3.session.Session(region_name=REGION, **creds)

    mgmt = session()
    org = mgmt.client("organizations", endpoint_url=endpoint)
    org.create_organization(FeatureSet="ALL")
    management = org.describe_organization()["Organization"]["MasterAccountId"]
    member = org.create_account(Email="member@example.com", AccountName="member")["CreateAccountStatus"]["AccountId"]
    creds = mgmt.client("sts", endpoint_url=endpoint).assume_role(
        RoleArn=f"arn:aws:iam::{member}:role/OrganizationAccountAccessRole", RoleSessionName="seed"
    )["Credentials"]
    s = session(
        aws_access_key_id=creds["AccessKeyId"],
        aws_secret_access_key=creds["SecretAccessKey"],
        aws_session_token=creds["SessionToken"],
    )

    def c(service: str) -> Any:
        return s.client(service, endpoint_url=endpoint)

    iam = c("iam")
    iam.create_role(RoleName=AUDIT_ROLE, AssumeRolePolicyDocument=_trust({"AWS": f"arn:aws:iam::{management}:root"}))
    agent_role = iam.create_role(
        RoleName="orders-agent-role", AssumeRolePolicyDocument=_trust({"Service": "bedrock.amazonaws.com"})
    )["Role"]["Arn"]
    iam.put_role_policy(
        RoleName="orders-agent-role",
        PolicyName="invoke",
        PolicyDocument=json.dumps(
            {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "bedrock:*", "Resource": "*"}]}
        ),
    )
    fn_role = iam.create_role(RoleName="orders-fn-role", AssumeRolePolicyDocument=_trust({"Service": "lambda.amazonaws.com"}))[
        "Role"
    ]["Arn"]
    policy = iam.create_policy(
        PolicyName="orders-data",
        PolicyDocument=json.dumps(
            {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "dynamodb:*", "Resource": "*"}]}
        ),
    )["Policy"]["Arn"]
    iam.attach_role_policy(RoleName="orders-fn-role", PolicyArn=policy)
    fn = c("lambda").create_function(
        FunctionName="orders-tool",
        Runtime="python3.12",
        Role=fn_role,
        Handler="index.handler",
        Code={"ZipFile": _zip()},
        Environment={"Variables": {"TABLE": "orders"}},
    )["FunctionArn"]
    c("lambda").add_permission(
        FunctionName="orders-tool", StatementId="bedrock", Action="lambda:InvokeFunction", Principal="bedrock.amazonaws.com"
    )
    agents = c("bedrock-agent")
    agents.create_agent(
        agentName="orders",
        agentResourceRoleArn=agent_role,
        foundationModel="anthropic.claude-3-haiku-20240307-v1:0",
        instruction="You answer questions about orders and never reveal card numbers.",
        idleSessionTTLInSeconds=600,
    )
    agents.create_knowledge_base(
        name="orders-kb",
        roleArn=agent_role,
        knowledgeBaseConfiguration={
            "type": "VECTOR",
            "vectorKnowledgeBaseConfiguration": {
                "embeddingModelArn": f"arn:aws:bedrock:{REGION}::foundation-model/amazon.titan-embed-text-v2:0"
            },
        },
        storageConfiguration={
            "type": "OPENSEARCH_SERVERLESS",
            "opensearchServerlessConfiguration": {
                "collectionArn": f"arn:aws:aoss:{REGION}:{member}:collection/kb",
                "vectorIndexName": "kb",
                "fieldMapping": {"vectorField": "v", "textField": "t", "metadataField": "m"},
            },
        },
    )
    core = c("bedrock-agentcore-control")
    core.create_agent_runtime(
        agentRuntimeName="orders_runtime",
        agentRuntimeArtifact={"containerConfiguration": {"containerUri": f"{member}.dkr.ecr.{REGION}.amazonaws.com/orders:1"}},
        roleArn=agent_role,
        networkConfiguration={"networkMode": "PUBLIC"},
    )
    gw = core.create_gateway(name="orders-gateway", roleArn=agent_role, protocolType="MCP", authorizerType="AWS_IAM")
    core.create_gateway_target(
        gatewayIdentifier=gw["gatewayId"],
        name="orders-target",
        targetConfiguration={
            "mcp": {
                "lambda": {
                    "lambdaArn": fn,
                    "toolSchema": {
                        "inlinePayload": [{"name": "delete_order", "description": "d", "inputSchema": {"type": "object"}}]
                    },
                }
            }
        },
        credentialProviderConfigurations=[{"credentialProviderType": "GATEWAY_IAM_ROLE"}],
    )
    core.create_memory(name="orders_memory", eventExpiryDuration=30)
    c("s3").create_bucket(Bucket=f"orders-data-{member}")
    c("kms").create_key(Description="orders")
    c("dynamodb").create_table(
        TableName="orders",
        KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}],
        BillingMode="PAY_PER_REQUEST",
    )
    c("s3").create_bucket(Bucket=f"trail-{member}")
    c("cloudtrail").create_trail(Name="main", S3BucketName=f"trail-{member}", IsMultiRegionTrail=True)
    c("cloudwatch").put_metric_alarm(
        AlarmName="agent-errors",
        MetricName="InvocationClientErrors",
        Namespace="AWS/Bedrock",
        Statistic="Sum",
        Period=300,
        EvaluationPeriods=1,
        Threshold=1,
        ComparisonOperator="GreaterThanOrEqualToThreshold",
    )
    c("secretsmanager").create_secret(Name="orders-db", SecretString="not-a-real-secret")
    ec2 = c("ec2")
    vpc = ec2.create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]
    ec2.create_vpc_endpoint(VpcId=vpc, ServiceName=f"com.amazonaws.{REGION}.bedrock-runtime", VpcEndpointType="Interface")
    return management, member


@pytest.fixture(scope="module")
def stock_audit(stock_server, pack) -> Iterator[tuple[Any, str]]:
    from agentgov.audit.run import AuditOptions, run_audit
    from agentgov.scanner.config import effective_parameters, load_config

    keys = (
        "AWS_ENDPOINT_URL",
        "AWS_ACCESS_KEY_ID",
        "AWS_SECRET_ACCESS_KEY",
        "AWS_DEFAULT_REGION",
        "AWS_PROFILE",
        "AWS_SESSION_TOKEN",
    )
    saved = {k: os.environ.get(k) for k in keys}
    os.environ.update(
        AWS_ENDPOINT_URL=stock_server, AWS_ACCESS_KEY_ID="testing", AWS_SECRET_ACCESS_KEY="testing", AWS_DEFAULT_REGION=REGION
    )
    for k in ("AWS_PROFILE", "AWS_SESSION_TOKEN"):
        os.environ.pop(k, None)
    try:
        _, member = _seed(stock_server)
        params = effective_parameters(load_config(None, pack.parameters), pack.parameters)
        t0 = time.perf_counter()
        result = run_audit(AuditOptions(role_name=AUDIT_ROLE, accounts=[member], regions=[REGION], max_attempts=2), pack, params)
        findings = result.findings
        result.close()
        assert time.perf_counter() - t0 >= 0
        yield findings, member
    finally:
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v


def verdict_table(findings: list[Any]) -> dict[str, Counter]:
    table: dict[str, Counter] = {}
    for f in findings:
        table.setdefault(f.policy_id, Counter())[f.status.value] += 1
    return dict(sorted(table.items()))


def test_the_verdicts_per_policy_are_recorded(stock_audit, capsys):
    findings, _ = stock_audit
    table = verdict_table(findings)
    with capsys.disabled():
        print("\nstock moto verdicts (policy: FAIL/PASS/UNKNOWN/ERROR):")
        for pid, c in table.items():
            print(f"  {pid}: {c['FAIL']}/{c['PASS']}/{c['UNKNOWN']}/{c['ERROR']}")
        print("  gaps: " + ", ".join(sorted({str(f.evidence.get("api")) for f in findings if f.policy_id == "AG000"})))
    assert table


def test_every_gap_is_a_call_stock_moto_does_not_answer(stock_audit):
    findings, _ = stock_audit
    apis = {f.evidence.get("api") for f in findings if f.policy_id == "AG000"}
    assert apis - NOT_IN_STOCK_MOTO == set()


def test_what_stock_moto_lacks_is_a_gap_for_exactly_those_resources(stock_audit):
    """The agent's versions, aliases and tools are a gap of that agent; the guardrails' of the region."""
    findings, member = stock_audit
    gaps = {(f.evidence.get("api"), f.resource_kind) for f in findings if f.policy_id == "AG000"}
    assert ("bedrock-agent ListAgentVersions", "resource") in gaps  # under the agent, not the region
    assert ("bedrock ListGuardrails", "region") in gaps
    agents = [f for f in findings if f.resource_kind == "agent" and f.policy_id != "AG000"]
    assert agents and all(member in f.resource_id for f in agents)


def test_everything_stock_moto_serves_is_judged(stock_audit):
    findings, _ = stock_audit
    judged = {f.resource_kind for f in findings if f.policy_id != "AG000"}
    served = {"agent", "knowledge_base", "function", "agent_runtime", "gateway", "vpc_endpoint", "bucket"}
    assert served - judged == set()


def test_the_roles_are_judged_whatever_shape_the_managed_policies_have(stock_audit):
    findings, member = stock_audit
    roles = {f.resource_id.rsplit("/", 1)[-1] for f in findings if f.resource_kind == "role" and f.policy_id.startswith("AG1")}
    assert "orders-agent-role" in roles


def test_no_live_finding_speaks_of_scanned_files(stock_audit):
    findings, _ = stock_audit
    iac_words = [f"{f.policy_id} {f.resource_id}: {f.message[:160]}" for f in findings if "scanned files" in f.message]
    assert iac_words == []


#: the relations an agent's part listings give (ListAgentVersions, ListAgentAliases, ListAgentActionGroups, ...)
PART_RELATIONS = ("version", "alias", "action_group", "knowledge_base", "collaborator")


def _reads_parts(policy_id: str) -> bool:
    """Whether a policy reads an agent's parts: a ``related:`` of its check, or its analyzer's ``related(res, ...)``."""
    import re
    from pathlib import Path

    import yaml

    import agentgov.policies as pol
    import agentgov.scanner.analyzers as an

    text = (Path(pol.__file__).parent / f"{policy_id}.yaml").read_text(encoding="utf-8")
    found = set(re.findall(r"related:\s*(\w+)", text))
    for name in re.findall(r"analyzer:\s*(\w+)", text):
        src = (Path(an.__file__).parent / f"{name}.py").read_text(encoding="utf-8")
        found |= set(re.findall(r"related\(\w+, \"(\w+)\"\)", src))
    yaml.safe_load(text)  # (a policy file that is not YAML would make this guess meaningless)
    return bool(found & set(PART_RELATIONS))


def test_an_agent_whose_parts_were_not_listed_passes_only_what_does_not_read_them(stock_audit):
    """Stock moto lists no agent's versions: the agent's part relations are unknown (never "it has none"), so a
    policy that reads them is UNKNOWN naming the call; what GetAgent alone settles (AG202's guardrail) may pass."""
    findings, _ = stock_audit
    gapped = {f.resource_id.split("/", 4)[-1] for f in findings if f.policy_id == "AG000" and f.resource_kind == "resource"}
    assert gapped  # stock moto lists no agent's versions
    on_gapped = [f for f in findings if f.resource_id in gapped and f.policy_id != "AG000"]
    reading = [f for f in on_gapped if _reads_parts(f.policy_id)]
    assert reading, "no policy on the gapped agents reads their parts: the test judges nothing"
    wrong = [f"{f.policy_id} {f.status.value}: {f.message[:160]}" for f in reading if f.status.value == "PASS"]
    assert wrong == []
    unnamed = [
        f"{f.policy_id}: {f.message[:160]}" for f in reading if f.status.value == "UNKNOWN" and "ListAgent" not in f.message
    ]
    assert unnamed == []
