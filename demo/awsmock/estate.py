"""An estate to audit: an Organization with the audit role, and what teams deploy in it."""

from __future__ import annotations

import contextlib
import json
import re
import threading
from collections.abc import Iterator
from typing import Any

AUDIT_ROLE = "AgentgovAudit"
MANAGEMENT = "123456789012"  # moto's default account: the Organization's management account


def trust(principal: dict[str, Any], external_id: str | None = None) -> str:
    st: dict[str, Any] = {"Effect": "Allow", "Principal": principal, "Action": "sts:AssumeRole"}
    if external_id:
        st["Condition"] = {"StringEquals": {"sts:ExternalId": external_id}}
    return json.dumps({"Version": "2012-10-17", "Statement": [st]})


_LOADER: list[Any] = []  # the botocore data loader every session of the set-up shares
_LOADER_LOCK = threading.Lock()


class _UniquePaths(list):
    """A loader's search paths: boto3 appends its data path to the loader of every session it makes (once is enough)."""

    def append(self, path: Any) -> None:
        if path not in self:
            super().append(path)


def _loader(data_path: Any = None) -> Any:
    """The process's shared botocore data loader (made on first use)."""
    from botocore.loaders import create_loader

    with _LOADER_LOCK:
        if not _LOADER:
            loader = create_loader(data_path)
            loader._search_paths = _UniquePaths(loader.search_paths)
            _LOADER.append(loader)
        return _LOADER[0]


def _core() -> Any:
    """A botocore session reading the service models through one loader: each model (EC2's is megabytes of JSON)
    is parsed once per process, not once per session."""
    import botocore.session

    core = botocore.session.Session()
    core.register_component("data_loader", _loader())
    return core


@contextlib.contextmanager
def shared_models() -> Iterator[None]:
    """Every botocore session made in the block (moto's own, boto3's default one, an audit's) reads the service
    models through the one shared loader: EC2's model alone is tens of megabytes once parsed, and each loader keeps
    its own copy."""
    import botocore.session
    import moto.core.utils
    from moto.core.base_backend import AccountSpecificBackend

    from agentgov.demo.awsmock import backend_regions

    original = botocore.session.Session._register_data_loader
    moto_original = moto.core.utils._load_service_model
    regions_original = AccountSpecificBackend._generate_regions

    def register(self: Any) -> None:
        self._components.lazy_register_component("data_loader", lambda: _loader(self.get_config_variable("data_path")))

    def moto_model(service_name: str, model_name: str) -> Any:
        # moto reads a service's model (to parse requests and serialize answers) and its paginators through a new
        # loader each time: each scans botocore's ~400 service folders and parses the model a second time
        return _loader().load_service_model(service_name, model_name)

    def backend_regions_of(self: Any, service_name: str) -> list[str]:
        # (moto's own loads the service's whole model for its endpoint prefix: backend_regions)
        return backend_regions.regions(
            AccountSpecificBackend.get_session(), _loader(), service_name, lambda name: regions_original(self, name)
        )

    botocore.session.Session._register_data_loader = register
    moto.core.utils._load_service_model = moto_model
    AccountSpecificBackend._generate_regions = backend_regions_of  # type: ignore[method-assign,assignment]
    try:
        yield
    finally:
        botocore.session.Session._register_data_loader = original
        moto.core.utils._load_service_model = moto_original
        AccountSpecificBackend._generate_regions = regions_original  # type: ignore[method-assign]


def session_in(account: str) -> Any:
    """A boto3 session in ``account`` (through the OrganizationAccountAccessRole moto creates)."""
    import boto3

    if account == MANAGEMENT:
        return boto3.session.Session(region_name="us-east-1", botocore_session=_core())
    sts = boto3.session.Session(botocore_session=_core()).client("sts", region_name="us-east-1")
    creds = sts.assume_role(
        RoleArn=f"arn:aws:iam::{account}:role/OrganizationAccountAccessRole", RoleSessionName="agentgov-test-setup"
    )["Credentials"]
    return boto3.session.Session(
        aws_access_key_id=creds["AccessKeyId"],
        aws_secret_access_key=creds["SecretAccessKey"],
        aws_session_token=creds["SessionToken"],
        region_name="us-east-1",
        botocore_session=_core(),
    )


def aws_managed_policies(account: str, *names: str) -> list[str]:
    """Make the AWS managed policies ``names`` exist in ``account`` (their ARNs), as they do in every real account.

    moto loads all of them (about 1,300) into every account only with ``MOTO_IAM_LOAD_MANAGED_POLICIES``, seconds per
    account; this loads the ones a test attaches, from moto's own copy of their documents."""
    from moto.iam.aws_managed_policies import aws_managed_policies_data
    from moto.iam.models import AWSManagedPolicy, iam_backends

    data = json.loads(aws_managed_policies_data)
    backend = iam_backends[account]["aws"]
    arns = []
    for name in names:
        policy = AWSManagedPolicy.from_data(name, account, backend.region_name, data[name])
        backend.aws_managed_policies.append(policy)
        backend.managed_policies[policy.arn] = policy
        arns.append(policy.arn)
    return arns


def organization(members: int, audit_role: bool | list[bool] = True, external_id: str | None = None, first: int = 0) -> list[str]:
    """An Organization with ``members`` member accounts; the audit role in those ``audit_role`` says.

    ``first`` > 0 adds members ``member<first>``... to the Organization already there (the benchmark grows it)."""
    import boto3

    org = boto3.client("organizations", region_name="us-east-1")
    if not first:
        org.create_organization(FeatureSet="ALL")
    accounts = []
    for i in range(first, first + members):
        accounts.append(
            org.create_account(Email=f"member{i}@example.com", AccountName=f"member{i}")["CreateAccountStatus"]["AccountId"]
        )
    flags = audit_role if isinstance(audit_role, list) else [audit_role] * members
    for account, flag in zip(accounts, flags):
        if flag:
            session_in(account).client("iam").create_role(
                RoleName=AUDIT_ROLE, AssumeRolePolicyDocument=trust({"AWS": f"arn:aws:iam::{MANAGEMENT}:root"}, external_id)
            )
    return accounts


TAGS = {"owner": "team-orders", "environment": "production", "data-classification": "confidential"}


def _zip() -> bytes:
    import io
    import zipfile

    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("index.py", "def handler(event, context):\n    return {'ok': True}\n")
    return buf.getvalue()


def deploy_agent(
    session: Any,
    region: str,
    name: str,
    *,
    guardrail: bool = True,
    vpc: bool = True,
    secret_in_env: bool = False,
    wildcard_role: bool = False,
    alias_version: str | None = None,
    tags: dict[str, str] | None = None,
    knowledge_base: bool = False,
) -> dict[str, str]:
    """An agent as a team deploys it: roles, an action-group function Bedrock may invoke, a guardrail, an alias.

    ``alias_version`` "DRAFT" routes the alias to the draft; None publishes a version (no routing given).
    ``knowledge_base``: also a knowledge base (an S3 data source) associated with the agent.
    """
    tags = dict(TAGS if tags is None else tags)
    iam = session.client("iam")
    account = session.client("sts").get_caller_identity()["Account"]
    agent_role = iam.create_role(
        RoleName=f"{name}-agent-role",
        AssumeRolePolicyDocument=trust({"Service": "bedrock.amazonaws.com"}),
        Tags=[{"Key": k, "Value": v} for k, v in tags.items()],
    )["Role"]["Arn"]
    actions = "bedrock:*" if wildcard_role else "bedrock:InvokeModel"
    resource = "*" if wildcard_role else f"arn:aws:bedrock:{region}::foundation-model/anthropic.claude-3-haiku-20240307-v1:0"
    iam.put_role_policy(
        RoleName=f"{name}-agent-role",
        PolicyName="agent",
        PolicyDocument=json.dumps(
            {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": actions, "Resource": resource}]}
        ),
    )
    fn_role = iam.create_role(
        RoleName=f"{name}-function-role",
        AssumeRolePolicyDocument=trust({"Service": "lambda.amazonaws.com"}),
        Tags=[{"Key": k, "Value": v} for k, v in tags.items()],
    )["Role"]["Arn"]
    iam.put_role_policy(
        RoleName=f"{name}-function-role",
        PolicyName="orders-table",
        PolicyDocument=json.dumps(
            {
                "Version": "2012-10-17",
                "Statement": [
                    {
                        "Effect": "Allow",
                        "Action": ["dynamodb:GetItem"],
                        "Resource": f"arn:aws:dynamodb:{region}:{account}:table/orders",
                    }
                ],
            }
        ),
    )
    lam = session.client("lambda", region_name=region)
    env = {"TABLE_NAME": "orders"}
    if secret_in_env:
        env["PAYMENTS_API_KEY"] = "pk9Fq2LmX7vR4tZw8YbN3cJd"
    kwargs: dict[str, Any] = {}
    if vpc:
        ec2 = session.client("ec2", region_name=region)
        vpc_id = ec2.create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]
        subnet = ec2.create_subnet(VpcId=vpc_id, CidrBlock="10.0.1.0/24")["Subnet"]["SubnetId"]
        sg = ec2.create_security_group(GroupName=f"{name}-fn", Description="action function", VpcId=vpc_id)["GroupId"]
        kwargs["VpcConfig"] = {"SubnetIds": [subnet], "SecurityGroupIds": [sg]}
    fn = lam.create_function(
        FunctionName=f"{name}-actions",
        Runtime="python3.12",
        Role=fn_role,
        Handler="index.handler",
        Code={"ZipFile": _zip()},
        Timeout=30,
        Environment={"Variables": env},
        Tags=tags,
        **kwargs,
    )["FunctionArn"]
    ab = session.client("bedrock-agent", region_name=region)
    agent_kwargs: dict[str, Any] = {}
    out: dict[str, str] = {"agent_role": agent_role, "function_role": fn_role, "function": fn}
    if guardrail:
        br = session.client("bedrock", region_name=region)
        g = br.create_guardrail(
            name=f"{name}-guardrail",
            blockedInputMessaging="Sorry.",
            blockedOutputsMessaging="Sorry.",
            contentPolicyConfig={"filtersConfig": [{"type": "PROMPT_ATTACK", "inputStrength": "HIGH", "outputStrength": "NONE"}]},
            tags=[{"key": k, "value": v} for k, v in tags.items()],
        )
        version = br.create_guardrail_version(guardrailIdentifier=g["guardrailId"])["version"]
        agent_kwargs["guardrailConfiguration"] = {"guardrailIdentifier": g["guardrailArn"], "guardrailVersion": version}
        out["guardrail"] = g["guardrailArn"]
    agent = ab.create_agent(
        agentName=name,
        agentResourceRoleArn=agent_role,
        foundationModel="anthropic.claude-3-haiku-20240307-v1:0",
        instruction="You help customers look up, change and cancel their orders.",
        idleSessionTTLInSeconds=600,
        tags=tags,
        **agent_kwargs,
    )["agent"]
    out["agent"] = agent["agentArn"]
    ab.create_agent_action_group(
        agentId=agent["agentId"],
        agentVersion="DRAFT",
        actionGroupName="orders",
        actionGroupExecutor={"lambda": fn},
        functionSchema={
            "functions": [
                {
                    "name": "get_order",
                    "description": "Look up an order",
                    "parameters": {"order_id": {"type": "string", "required": True}},
                }
            ]
        },
    )
    lam.add_permission(
        FunctionName=fn,
        StatementId="bedrock",
        Action="lambda:InvokeFunction",
        Principal="bedrock.amazonaws.com",
        SourceArn=agent["agentArn"],
    )
    if knowledge_base:
        kb = ab.create_knowledge_base(
            name=f"{name}-kb",
            roleArn=agent_role,
            tags=tags,
            knowledgeBaseConfiguration={
                "type": "VECTOR",
                "vectorKnowledgeBaseConfiguration": {
                    "embeddingModelArn": f"arn:aws:bedrock:{region}::foundation-model/amazon.titan-embed-text-v2:0"
                },
            },
            storageConfiguration={
                "type": "OPENSEARCH_SERVERLESS",
                "opensearchServerlessConfiguration": {
                    "collectionArn": vector_store(session, region, name),
                    "vectorIndexName": "docs",
                    "fieldMapping": {"vectorField": "v", "textField": "t", "metadataField": "m"},
                },
            },
        )["knowledgeBase"]
        ab.create_data_source(
            knowledgeBaseId=kb["knowledgeBaseId"],
            name=f"{name}-docs",
            dataSourceConfiguration={"type": "S3", "s3Configuration": {"bucketArn": f"arn:aws:s3:::{name}-{account}-docs"}},
        )
        ab.associate_agent_knowledge_base(
            agentId=agent["agentId"],
            agentVersion="DRAFT",
            knowledgeBaseId=kb["knowledgeBaseId"],
            description="order policies and FAQ",
        )
        out["knowledge_base"] = kb["knowledgeBaseArn"]
    alias_kwargs: dict[str, Any] = {}
    if alias_version:
        alias_kwargs["routingConfiguration"] = [{"agentVersion": alias_version}]
    alias = ab.create_agent_alias(agentId=agent["agentId"], agentAliasName="live", tags=tags, **alias_kwargs)["agentAlias"]
    out["alias"] = alias["agentAliasArn"]
    return out


def vector_store(session: Any, region: str, name: str) -> str:
    """A knowledge base's OpenSearch Serverless collection: reachable only from the Bedrock service (a private network
    policy), encrypted with the AWS-owned key (an encryption policy without KmsARN). Its ARN."""
    base = re.sub(r"[^a-z0-9-]", "-", name.lower()).strip("-")[:24] or "kb"
    coll = f"{base}-vec" if base[0].isalpha() else f"v{base}-vec"
    aoss = session.client("opensearchserverless", region_name=region)
    rules = [{"ResourceType": "collection", "Resource": [f"collection/{coll}"]}]
    aoss.create_security_policy(name=coll, type="encryption", policy=json.dumps({"Rules": rules, "AWSOwnedKey": True}))
    aoss.create_security_policy(
        name=coll,
        type="network",
        policy=json.dumps([{"Rules": rules, "AllowFromPublic": False, "SourceServices": ["bedrock.amazonaws.com"]}]),
    )
    return str(aoss.create_collection(name=coll, type="VECTORSEARCH")["createCollectionDetail"]["arn"])


def deploy_agentcore(
    session: Any,
    region: str,
    name: str,
    *,
    tags: dict[str, str] | None = None,
    targets: int = 2,
    observed: bool = False,
) -> dict[str, str]:
    """An AgentCore runtime (its own role, its image's ECR repository), a gateway with Lambda targets, and a memory;
    ``observed``: the runtime delivers its application logs to a masked log group and its traces to X-Ray."""
    tags = dict(TAGS if tags is None else tags)
    iam = session.client("iam")
    role = iam.create_role(
        RoleName=f"{name}-runtime-role",
        AssumeRolePolicyDocument=trust({"Service": "bedrock-agentcore.amazonaws.com"}),
        Tags=[{"Key": k, "Value": v} for k, v in tags.items()],
    )["Role"]["Arn"]
    iam.put_role_policy(
        RoleName=f"{name}-runtime-role",
        PolicyName="runtime",
        PolicyDocument=json.dumps(
            {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": "*"}]}
        ),
    )
    c = session.client("bedrock-agentcore-control", region_name=region)
    account = session.client("sts").get_caller_identity()["Account"]
    # the runtime's image repository, scanned on push (AG907 reads it)
    session.client("ecr", region_name=region).create_repository(
        repositoryName=name,
        imageScanningConfiguration={"scanOnPush": True},
        tags=[{"Key": k, "Value": v} for k, v in tags.items()],
    )
    rt = c.create_agent_runtime(
        agentRuntimeName=name.replace("-", "_"),
        roleArn=role,
        networkConfiguration={"networkMode": "PUBLIC"},
        agentRuntimeArtifact={"containerConfiguration": {"containerUri": f"{account}.dkr.ecr.{region}.amazonaws.com/{name}:1"}},
        environmentVariables={"LOG_LEVEL": "info"},
        tags=tags,
    )
    gw = c.create_gateway(name=f"{name}-gw", roleArn=role, protocolType="MCP", authorizerType="NONE", tags=tags)
    for i in range(targets):
        c.create_gateway_target(
            gatewayIdentifier=gw["gatewayId"],
            name=f"{name}-t{i}",
            targetConfiguration={
                "mcp": {
                    "lambda": {
                        "lambdaArn": f"arn:aws:lambda:{region}:{account}:function:{name}-tool{i}",
                        "toolSchema": {"inlinePayload": []},
                    }
                }
            },
        )
    # the runtime may be invoked by the account's own principals through its resource policy (AG306 passes)
    c.put_resource_policy(
        resourceArn=rt["agentRuntimeArn"],
        policy=json.dumps(
            {
                "Version": "2012-10-17",
                "Statement": [
                    {
                        "Effect": "Allow",
                        "Principal": {"AWS": f"arn:aws:iam::{account}:root"},
                        "Action": "bedrock-agentcore:InvokeAgentRuntime",
                        "Resource": "*",
                    }
                ],
            }
        ),
    )
    mem = c.create_memory(name=f"{name}_memory", eventExpiryDuration=30, memoryExecutionRoleArn=role, tags=tags)
    if observed:
        observe_runtime(session, region, name, rt["agentRuntimeArn"])
    return {
        "runtime": rt["agentRuntimeArn"],
        "gateway": gw["gatewayArn"],
        "memory": mem["memory"]["arn"],
        "role": role,
        "runtime_id": rt["agentRuntimeId"],
    }


#: a CloudWatch Logs data-protection policy that audits and masks e-mail addresses (a Deidentify statement)
MASKING_POLICY = {
    "Name": "mask-personal-data",
    "Version": "2021-06-01",
    "Statement": [
        {
            "Sid": "audit",
            "DataIdentifier": ["arn:aws:dataprotection::aws:data-identifier/EmailAddress"],
            "Operation": {"Audit": {"FindingsDestination": {}}},
        },
        {
            "Sid": "redact",
            "DataIdentifier": ["arn:aws:dataprotection::aws:data-identifier/EmailAddress"],
            "Operation": {"Deidentify": {"MaskConfig": {}}},
        },
    ],
}


def scanned_registry(session: Any, region: str) -> tuple[Any, str]:
    """The region's ECR registry with enhanced, continuous scanning of ``agents/*`` repositories, and a KMS key for
    them: (the ECR client, the key's ARN)."""
    ecr = session.client("ecr", region_name=region)
    key = session.client("kms", region_name=region).create_key()["KeyMetadata"]["Arn"]
    ecr.put_registry_scanning_configuration(
        scanType="ENHANCED",
        rules=[{"scanFrequency": "CONTINUOUS_SCAN", "repositoryFilters": [{"filter": "agents/*", "filterType": "WILDCARD"}]}],
    )
    return ecr, key


def observe_runtime(session: Any, region: str, name: str, runtime_arn: str) -> str:
    """The runtime's application logs delivered to a log group under /aws/vendedlogs/bedrock-agentcore/ (with a
    masking data-protection policy) and its traces to X-Ray: two delivery sources, two destinations, two deliveries."""
    logs = session.client("logs", region_name=region)
    group = f"/aws/vendedlogs/bedrock-agentcore/{name}"
    logs.create_log_group(logGroupName=group)
    logs.put_data_protection_policy(logGroupIdentifier=group, policyDocument=json.dumps(MASKING_POLICY))
    group_arn = next(g["arn"] for g in logs.describe_log_groups(logGroupNamePrefix=group)["logGroups"]).removesuffix(":*")
    for log_type, dest in (("APPLICATION_LOGS", {"destinationResourceArn": group_arn}), ("TRACES", None)):
        source = f"{name}-{log_type.lower()}"
        logs.put_delivery_source(name=source, resourceArn=runtime_arn, logType=log_type)
        if dest is None:
            d = logs.put_delivery_destination(name=f"{source}-dest", deliveryDestinationType="XRAY")
        else:
            d = logs.put_delivery_destination(name=f"{source}-dest", deliveryDestinationConfiguration=dest)
        logs.create_delivery(deliverySourceName=source, deliveryDestinationArn=d["deliveryDestination"]["arn"])
    return group


def deploy_agentcore_tools(
    session: Any,
    region: str,
    name: str,
    *,
    tags: dict[str, str] | None = None,
    runtime_id: str | None = None,
    gateway_role: str | None = None,
    key: str | None = None,
) -> dict[str, str]:
    """AgentCore tools: a code interpreter in network mode PUBLIC and one in a VPC, a PUBLIC browser without session
    recording, a policy engine (encrypted with ``key`` when given) with two Cedar policies; with ``gateway_role`` a
    gateway that enforces the engine (ENFORCE), with ``runtime_id`` two endpoints of that runtime."""
    tags = dict(TAGS if tags is None else tags)
    c = session.client("bedrock-agentcore-control", region_name=region)
    ec2 = session.client("ec2", region_name=region)
    vpc = ec2.create_vpc(CidrBlock="10.2.0.0/16")["Vpc"]["VpcId"]
    subnet = ec2.create_subnet(VpcId=vpc, CidrBlock="10.2.1.0/24")["Subnet"]["SubnetId"]
    sg = ec2.create_security_group(GroupName=f"{name}-tools", Description="agentcore tools", VpcId=vpc)["GroupId"]
    base = name.replace("-", "_")
    public = c.create_code_interpreter(name=f"{base}_public", networkConfiguration={"networkMode": "PUBLIC"}, tags=tags)
    private = c.create_code_interpreter(
        name=f"{base}_vpc",
        tags=tags,
        networkConfiguration={"networkMode": "VPC", "vpcConfig": {"subnets": [subnet], "securityGroups": [sg]}},
    )
    browser = c.create_browser(name=f"{base}_browser", networkConfiguration={"networkMode": "PUBLIC"}, tags=tags)
    engine = c.create_policy_engine(name=f"{base}_engine", tags=tags, **({"encryptionKeyArn": key} if key else {}))
    for i, statement in enumerate(
        (
            'permit(principal, action == AgentCore::Action::"get_order", resource);',
            'forbid(principal, action == AgentCore::Action::"cancel_order", resource);',
        )
    ):
        c.create_policy(
            policyEngineId=engine["policyEngineId"], name=f"{base}_policy{i}", definition={"cedar": {"statement": statement}}
        )
    out = {
        "public_interpreter": public["codeInterpreterArn"],
        "vpc_interpreter": private["codeInterpreterArn"],
        "browser": browser["browserArn"],
        "policy_engine": engine["policyEngineArn"],
    }
    if gateway_role:
        gw = c.create_gateway(
            name=f"{name}-enforced-gw",
            roleArn=gateway_role,
            protocolType="MCP",
            authorizerType="NONE",
            tags=tags,
            policyEngineConfiguration={"arn": engine["policyEngineArn"], "mode": "ENFORCE"},
        )
        out["gateway"] = gw["gatewayArn"]
    if runtime_id:
        for endpoint in ("live", "canary"):
            out[f"endpoint_{endpoint}"] = c.create_agent_runtime_endpoint(agentRuntimeId=runtime_id, name=endpoint)[
                "agentRuntimeEndpointArn"
            ]
    return out


def published_guardrail(session: Any, region: str, name: str) -> str:
    """A guardrail with a published version: its ARN with the version (``...:guardrail/ID:1``)."""
    br = session.client("bedrock", region_name=region)
    g = br.create_guardrail(
        name=name,
        blockedInputMessaging="Sorry.",
        blockedOutputsMessaging="Sorry.",
        contentPolicyConfig={"filtersConfig": [{"type": "PROMPT_ATTACK", "inputStrength": "HIGH", "outputStrength": "NONE"}]},
    )
    version = br.create_guardrail_version(guardrailIdentifier=g["guardrailId"])["version"]
    return f"{g['guardrailArn']}:{version}"


def deploy_enforced_guardrail(session: Any, region: str, name: str, *, model_enforcement: dict[str, Any] | None = None) -> str:
    """An account-level enforced guardrail configuration in ``region``, applying a new guardrail; its ARN:version."""
    arn = published_guardrail(session, region, name)
    identifier, version = arn.rsplit(":", 1)
    cfg: dict[str, Any] = {
        "guardrailIdentifier": identifier,
        "guardrailVersion": version,
        "selectiveContentGuarding": {"system": "COMPREHENSIVE", "messages": "COMPREHENSIVE"},
    }
    if model_enforcement:
        cfg["modelEnforcement"] = model_enforcement
    session.client("bedrock", region_name=region).put_enforced_guardrail_configuration(guardrailInferenceConfig=cfg)
    return arn


def deploy_org_bedrock_policy(target: str, guardrails: dict[str, str], name: str = "enforced-guardrails") -> str:
    """An Organizations Bedrock policy (``BEDROCK_POLICY``, ``guardrail_inference`` per region, as ``agentgov scp build``
    writes it) attached to ``target`` (an account, an OU or the root), from the management account; the type is
    enabled on the root first. ``guardrails``: region -> guardrail ARN:version. Returns the policy id."""
    org = session_in(MANAGEMENT).client("organizations", region_name="us-east-1")
    root = org.list_roots()["Roots"][0]
    if not any(t["Type"] == "BEDROCK_POLICY" for t in root.get("PolicyTypes", [])):
        org.enable_policy_type(RootId=root["Id"], PolicyType="BEDROCK_POLICY")
    content = {
        "bedrock": {
            "guardrail_inference": {
                region: {
                    "config_1": {
                        "identifier": {"@@assign": arn},
                        "selective_content_guarding": {
                            "system": {"@@assign": "comprehensive"},
                            "messages": {"@@assign": "comprehensive"},
                        },
                    }
                }
                for region, arn in guardrails.items()
            }
        }
    }
    policy = org.create_policy(
        Content=json.dumps(content), Description="guardrails every model invocation uses", Name=name, Type="BEDROCK_POLICY"
    )["Policy"]["PolicySummary"]["Id"]
    org.attach_policy(PolicyId=policy, TargetId=target)
    return policy


def deploy_scp(target: str, name: str, statement: dict[str, Any]) -> str:
    """A service control policy attached to ``target``, from the management account; its id."""
    org = session_in(MANAGEMENT).client("organizations", region_name="us-east-1")
    doc = {"Version": "2012-10-17", "Statement": [statement]}
    policy = org.create_policy(Content=json.dumps(doc), Description=name, Name=name, Type="SERVICE_CONTROL_POLICY")
    org.attach_policy(PolicyId=policy["Policy"]["PolicySummary"]["Id"], TargetId=target)
    return policy["Policy"]["PolicySummary"]["Id"]


def deploy_controls(session: Any, region: str, name: str) -> dict[str, str]:
    """What surrounds agents in an account: PrivateLink endpoints, a trail, an alarm, a table, buckets (one with Object Lock)."""
    account = session.client("sts").get_caller_identity()["Account"]
    ec2 = session.client("ec2", region_name=region)
    vpc = ec2.create_vpc(CidrBlock="10.1.0.0/16")["Vpc"]["VpcId"]
    for svc in ("bedrock-runtime", "bedrock-agent-runtime"):
        ec2.create_vpc_endpoint(
            VpcId=vpc,
            ServiceName=f"com.amazonaws.{region}.{svc}",
            VpcEndpointType="Interface",
            TagSpecifications=[{"ResourceType": "vpc-endpoint", "Tags": [{"Key": "owner", "Value": name}]}],
        )
    s3 = session.client("s3", region_name=region)
    where = {} if region == "us-east-1" else {"CreateBucketConfiguration": {"LocationConstraint": region}}
    logs = f"{name}-{account}-{region}-trail"
    s3.create_bucket(Bucket=logs, **where)
    evidence = f"{name}-{account}-{region}-evidence"
    s3.create_bucket(Bucket=evidence, ObjectLockEnabledForBucket=True, **where)
    s3.put_object_lock_configuration(
        Bucket=evidence,
        ObjectLockConfiguration={
            "ObjectLockEnabled": "Enabled",
            "Rule": {"DefaultRetention": {"Mode": "COMPLIANCE", "Days": 365}},
        },
    )
    s3.put_public_access_block(
        Bucket=evidence,
        PublicAccessBlockConfiguration={
            "BlockPublicAcls": True,
            "IgnorePublicAcls": True,
            "BlockPublicPolicy": True,
            "RestrictPublicBuckets": True,
        },
    )
    s3.put_bucket_tagging(Bucket=evidence, Tagging={"TagSet": [{"Key": "owner", "Value": name}]})
    ct = session.client("cloudtrail", region_name=region)
    trail = ct.create_trail(
        Name=f"{name}-trail",
        S3BucketName=logs,
        IsMultiRegionTrail=False,
        EnableLogFileValidation=True,
        TagsList=[{"Key": "owner", "Value": name}],
    )["TrailARN"]
    ct.start_logging(Name=f"{name}-trail")  # (moto accepts only the name here; AWS either)
    cw = session.client("cloudwatch", region_name=region)
    cw.put_metric_alarm(
        AlarmName=f"{name}-guardrail-interventions",
        MetricName="InvocationsIntervened",
        Namespace="AWS/Bedrock/Guardrails",
        Statistic="Sum",
        Period=300,
        EvaluationPeriods=1,
        Threshold=10,
        ComparisonOperator="GreaterThanThreshold",
        Tags=[{"Key": "owner", "Value": name}],
    )
    ddb = session.client("dynamodb", region_name=region)
    table = ddb.create_table(
        TableName=f"{name}-sessions",
        BillingMode="PAY_PER_REQUEST",
        AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}],
        KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
        Tags=[{"Key": "owner", "Value": name}],
    )
    ddb.update_continuous_backups(
        TableName=f"{name}-sessions", PointInTimeRecoverySpecification={"PointInTimeRecoveryEnabled": True}
    )
    kms = session.client("kms", region_name=region)
    key = kms.create_key(
        Description=f"{name} sessions",
        Tags=[{"TagKey": "owner", "TagValue": name}, {"TagKey": "purpose", "TagValue": "sessions"}],
    )["KeyMetadata"]["Arn"]
    kms.enable_key_rotation(KeyId=key)
    sm = session.client("secretsmanager", region_name=region)
    secret = sm.create_secret(
        Name=f"{name}/payments-api-key",
        SecretString="never-read-by-agentgov",
        KmsKeyId=key,
        Tags=[{"Key": "owner", "Value": name}],
    )["ARN"]
    return {
        "trail": trail,
        "table": table["TableDescription"]["TableArn"],
        "evidence_bucket": evidence,
        "log_bucket": logs,
        "key": key,
        "secret": secret,
    }


def deploy_unrelated(session: Any, region: str, count: int, prefix: str = "unrelated") -> None:
    """``count`` buckets, KMS keys, DynamoDB tables and CloudWatch alarms that no agent uses (what a real account
    holds besides its agents), every other one tagged."""
    account = session.client("sts").get_caller_identity()["Account"]
    s3 = session.client("s3", region_name=region)
    kms = session.client("kms", region_name=region)
    ddb = session.client("dynamodb", region_name=region)
    cw = session.client("cloudwatch", region_name=region)
    where = {} if region == "us-east-1" else {"CreateBucketConfiguration": {"LocationConstraint": region}}
    for i in range(count):
        tags = [{"Key": "team", "Value": f"t{i % 7}"}] if i % 2 == 0 else []
        bucket = f"{prefix}-bucket-{account}-{region}-{i}"
        s3.create_bucket(Bucket=bucket, **where)
        if tags:
            s3.put_bucket_tagging(Bucket=bucket, Tagging={"TagSet": tags})
        kms.create_key(Description=f"{prefix} {i}", Tags=[{"TagKey": t["Key"], "TagValue": t["Value"]} for t in tags])
        ddb.create_table(
            TableName=f"{prefix}-table-{i}",
            BillingMode="PAY_PER_REQUEST",
            AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}],
            KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
            **({"Tags": tags} if tags else {}),
        )
        cw.put_metric_alarm(
            AlarmName=f"{prefix}-alarm-{i}",
            MetricName="CPUUtilization",
            Namespace="AWS/EC2",
            Statistic="Average",
            Period=300,
            EvaluationPeriods=1,
            Threshold=90,
            ComparisonOperator="GreaterThanThreshold",
            **({"Tags": tags} if tags else {}),
        )


#: the settings of the agents ``seed_agents`` deploys, in turn: good ones and the mistakes the policies catch
AGENT_MIX: tuple[dict[str, Any], ...] = (
    {},  # well configured
    {"guardrail": False},
    {"wildcard_role": True, "vpc": False},
    {"secret_in_env": True, "alias_version": "DRAFT"},
    {"tags": {"owner": "team-sandbox"}},
)


def seed_agents(session: Any, region: str, count: int, prefix: str = "agent") -> list[dict[str, str]]:
    """``count`` agents in ``region`` (each with its roles, action-group function, guardrail and knowledge base,
    except where ``AGENT_MIX`` leaves one out), their settings taken from ``AGENT_MIX`` in turn."""
    session = _Clients(session)
    return [
        deploy_agent(session, region, f"{prefix}{i}", knowledge_base=True, **AGENT_MIX[i % len(AGENT_MIX)]) for i in range(count)
    ]


class _Clients:
    """A session whose clients are made once (a boto3 client costs tens of milliseconds to create)."""

    def __init__(self, session: Any):
        self._session: Any = session if not isinstance(session, _Clients) else session._session
        self._clients: dict[tuple[str, str | None], Any] = {}

    def client(self, service: str, region_name: str | None = None) -> Any:
        key = (service, region_name)
        if key not in self._clients:
            self._clients[key] = self._session.client(service, region_name=region_name)
        return self._clients[key]


def flow_definition(model: str, guardrail: dict[str, str] | None, kb_id: str = "KB00000001") -> dict[str, Any]:
    """A flow's definition (CreateFlow's ``FlowDefinition``): input -> an inline prompt node -> a knowledge-base node
    that generates an answer with ``model`` -> output; both generating nodes with ``guardrail``
    (``guardrailIdentifier``, ``guardrailVersion``) when given."""
    guarded = {"guardrailConfiguration": guardrail} if guardrail else {}
    prompt = {
        "sourceConfiguration": {
            "inline": {
                "modelId": model,
                "templateType": "TEXT",
                "templateConfiguration": {"text": {"text": "Rewrite as a search query: {{question}}"}},
            }
        },
        **guarded,
    }
    return {
        "nodes": [
            {
                "name": "FlowInput",
                "type": "Input",
                "configuration": {"input": {}},
                "outputs": [{"name": "document", "type": "String"}],
            },
            {
                "name": "Rewrite",
                "type": "Prompt",
                "configuration": {"prompt": prompt},
                "inputs": [{"name": "question", "type": "String", "expression": "$.data"}],
                "outputs": [{"name": "modelCompletion", "type": "String"}],
            },
            {
                "name": "Answer",
                "type": "KnowledgeBase",
                "configuration": {"knowledgeBase": {"knowledgeBaseId": kb_id, "modelId": model, **guarded}},
                "inputs": [{"name": "retrievalQuery", "type": "String", "expression": "$.data"}],
                "outputs": [{"name": "outputText", "type": "String"}],
            },
            {
                "name": "FlowOutput",
                "type": "Output",
                "configuration": {"output": {}},
                "inputs": [{"name": "document", "type": "String", "expression": "$.data"}],
            },
        ],
        "connections": [
            {
                "name": "InputToRewrite",
                "source": "FlowInput",
                "target": "Rewrite",
                "type": "Data",
                "configuration": {"data": {"sourceOutput": "document", "targetInput": "question"}},
            },
            {
                "name": "RewriteToAnswer",
                "source": "Rewrite",
                "target": "Answer",
                "type": "Data",
                "configuration": {"data": {"sourceOutput": "modelCompletion", "targetInput": "retrievalQuery"}},
            },
            {
                "name": "AnswerToOutput",
                "source": "Answer",
                "target": "FlowOutput",
                "type": "Data",
                "configuration": {"data": {"sourceOutput": "outputText", "targetInput": "document"}},
            },
        ],
    }


def deploy_flow(
    session: Any,
    region: str,
    name: str,
    *,
    role_arn: str,
    guardrail: dict[str, str] | None = None,
    versions: int = 1,
    tags: dict[str, str] | None = None,
) -> dict[str, Any]:
    """A Bedrock flow (``flow_definition``: a prompt node and a text-generating knowledge-base node, guarded by
    ``guardrail`` when given) run by the role ``role_arn``, with ``versions`` published versions of it."""
    ab = session.client("bedrock-agent", region_name=region)
    model = "anthropic.claude-3-haiku-20240307-v1:0"
    flow = ab.create_flow(
        name=name,
        executionRoleArn=role_arn,
        definition=flow_definition(model, guardrail),
        tags=dict(TAGS if tags is None else tags),
    )
    published = [ab.create_flow_version(flowIdentifier=flow["id"])["version"] for _ in range(versions)]
    return {"flow": flow["arn"], "flow_id": flow["id"], "versions": published}
