"""AgentCore control plane: agent runtimes and their endpoints, gateways and their targets, memories,
code interpreters, browsers, policy engines (with their Cedar policies), with tags.

A gateway's ``policyEngineConfiguration`` (engine ARN and mode) is GetGateway's, and the
engine it names is collected here too, so the gateway's edge to its policy engine resolves.
Code interpreters and browsers are the custom ones (``type`` CUSTOM: the AWS-managed
``aws.codeinterpreter.v1`` / ``aws.browser.v1`` have no configuration of the account's);
a browser's ``recording`` is CloudFormation's ``RecordingConfig`` (``recording_config``),
as Terraform's ``recording`` block is normalized.

Environment variables of a runtime keep their names (they are data, not
attribute names), as ``EnvironmentVariables`` does in CloudFormation.
"""

from __future__ import annotations

from typing import Any

from agentgov.audit.collectors.answers import ask
from agentgov.audit.collectors.base import Call, CallFailed, Context, live, tag_dict
from agentgov.scanner.model import Unknown
from agentgov.scanner.normalize import container_repository, parse_policy_document

AREA = "bedrock-agentcore"
SCOPE = "regional"
SERVICE = "bedrock-agentcore-control"

CALLS = tuple(
    Call(SERVICE, op, f"bedrock-agentcore:{op}")
    for op in (
        "ListAgentRuntimes",
        "GetAgentRuntime",
        "ListGateways",
        "GetGateway",
        "ListGatewayTargets",
        "GetGatewayTarget",
        "ListMemories",
        "GetMemory",
        "ListTagsForResource",
        "ListAgentRuntimeEndpoints",
        "ListCodeInterpreters",
        "GetCodeInterpreter",
        "ListBrowsers",
        "GetBrowser",
        "ListPolicyEngines",
        "ListPolicies",
        "GetResourcePolicy",
    )
) + (
    # a gateway's web ACL: WAF's call, which AgentCore authorizes too (GatewayGetWebACLForResource)
    Call("wafv2", "GetWebACLForResource", "wafv2:GetWebACLForResource"),
    Call("wafv2", "GetWebACLForResource", "bedrock-agentcore:GatewayGetWebACLForResource"),
)
#: GetResourcePolicy's answer for a resource without a resource policy
_NO_POLICY = frozenset({"ResourceNotFoundException"})


def _web_acl(ctx: Context, arn: str) -> Any:
    """The ARN of the AWS WAF web ACL associated with a gateway (None: none), or an Unknown naming the call."""
    answer = ctx.detail("wafv2", "GetWebACLForResource", absent=frozenset({"WAFNonexistentItemException"}), ResourceArn=arn)
    if answer is None or isinstance(answer, Unknown):
        return answer
    return (answer.get("WebACL") or {}).get("ARN")


def _resource_policy(ctx: Context, arn: str) -> Any:
    """The resource-based policy of a runtime, endpoint or gateway (None: it has none), or an Unknown naming the call."""
    answer = ctx.detail(SERVICE, "GetResourcePolicy", absent=_NO_POLICY, resourceArn=arn)
    if answer is None or isinstance(answer, Unknown):
        return answer
    return parse_policy_document(answer.get("policy"))


def _tags(ctx: Context, arn: str) -> Any:
    answer = ask(ctx, SERVICE, "ListTagsForResource", resourceArn=arn)
    return answer if isinstance(answer, Unknown) else tag_dict(answer.get("tags"))


def _record(summary: dict[str, Any], detail: Any, unknown_keys: tuple[str, ...]) -> dict[str, Any]:
    if isinstance(detail, Unknown):
        props = live(summary)
        props.update({k: detail for k in unknown_keys})
        return props
    detail = dict(detail)
    env = detail.pop("environmentVariables", None)
    props = live(detail)
    if env is not None:
        props["environment_variables"] = dict(env)
    return props


def collect(ctx: Context) -> None:
    with ctx.enumeration():  # a failed list is a gap of its own: the others are still read
        for rt in ctx.items(SERVICE, "ListAgentRuntimes", "agentRuntimes"):
            with ctx.reading(SERVICE, "ListAgentRuntimes", rt):
                detail = ask(ctx, SERVICE, "GetAgentRuntime", agentRuntimeId=rt["agentRuntimeId"])
                props = _record(
                    rt,
                    detail,
                    (
                        "role_arn",
                        "network_configuration",
                        "authorizer_configuration",
                        "environment_variables",
                        "agent_runtime_artifact",
                        "container_repository",
                    ),
                )
                if not isinstance(detail, Unknown):  # the image's repository, as the normalizer derives it in IaC
                    uri = (detail.get("agentRuntimeArtifact") or {}).get("containerConfiguration", {}).get("containerUri")
                    if uri:
                        props["container_repository"] = container_repository(uri)
                arn = rt["agentRuntimeArn"]
                props["resource_policy"] = _resource_policy(ctx, arn)
                ctx.add(
                    "agent_runtime",
                    "AWS::BedrockAgentCore::Runtime",
                    arn,
                    props,
                    tags=_tags(ctx, arn),
                    name=rt.get("agentRuntimeName"),
                )
                try:
                    _endpoints(ctx, rt["agentRuntimeId"], arn)
                except CallFailed as exc:  # this runtime's endpoints were not seen: a gap, and on to the next runtime
                    ctx.gap(exc, arn)
    with ctx.enumeration():  # a failed list is a gap of its own: the others are still read
        for gw in ctx.items(SERVICE, "ListGateways", "items"):
            with ctx.reading(SERVICE, "ListGateways", gw):
                detail = ask(ctx, SERVICE, "GetGateway", gatewayIdentifier=gw["gatewayId"])
                props = _record(
                    gw,
                    detail,
                    ("role_arn", "authorizer_type", "authorizer_configuration", "kms_key_arn", "policy_engine_configuration"),
                )
                arn = (
                    detail["gatewayArn"]
                    if not isinstance(detail, Unknown)
                    else (f"arn:{ctx.partition}:bedrock-agentcore:{ctx.region}:{ctx.account}:gateway/{gw['gatewayId']}")
                )
                props["resource_policy"] = _resource_policy(ctx, arn)
                props["web_acl_arn"] = _web_acl(ctx, arn)
                record = ctx.add(
                    "gateway", "AWS::BedrockAgentCore::Gateway", arn, props, tags=_tags(ctx, arn), name=gw.get("name")
                )
                try:
                    _targets(ctx, gw["gatewayId"], arn)
                except CallFailed as exc:  # this gateway's targets were not seen: a gap, unknown targets, on to the next
                    ctx.gap(exc, arn)
                    record.unlisted = {"target": f"the gateway's targets were not all listed: {exc.unknown().reason}"}
    with ctx.enumeration():  # a failed list is a gap of its own: the others are still read
        _memories(ctx)
    with ctx.enumeration():  # a failed list is a gap of its own: the others are still read
        _policy_engines(ctx)
    with ctx.enumeration():  # a failed list is a gap of its own: the others are still read
        _code_interpreters(ctx)
    with ctx.enumeration():  # a failed list is a gap of its own: the others are still read
        _browsers(ctx)


def _targets(ctx: Context, gateway_id: str, arn: str) -> None:
    for t in ctx.items(SERVICE, "ListGatewayTargets", "items", gatewayIdentifier=gateway_id):
        with ctx.reading(SERVICE, "ListGatewayTargets", t):
            td = ask(ctx, SERVICE, "GetGatewayTarget", gatewayIdentifier=gateway_id, targetId=t["targetId"])
            tp = _record(t, td, ("target_configuration", "credential_provider_configurations"))
            tp["gateway_identifier"] = arn
            ctx.add(
                "gateway_target",
                "AWS::BedrockAgentCore::GatewayTarget",
                f"{arn}/target/{t['targetId']}",
                tp,
                name=t.get("name"),
                parent=arn,
            )


def _memories(ctx: Context) -> None:
    for m in ctx.items(SERVICE, "ListMemories", "memories"):
        with ctx.reading(SERVICE, "ListMemories", m):
            detail = ask(ctx, SERVICE, "GetMemory", memoryId=m["id"])
            props = _record(
                m,
                detail if isinstance(detail, Unknown) else detail["memory"],
                ("memory_execution_role_arn", "encryption_key_arn", "event_expiry_duration"),
            )
            arn = m["arn"]
            ctx.add(
                "memory",
                "AWS::BedrockAgentCore::Memory",
                arn,
                props,
                tags=_tags(ctx, arn),
                name=props.get("name") if isinstance(props.get("name"), str) else None,
            )


def _endpoints(ctx: Context, runtime_id: str, runtime_arn: str) -> None:
    for ep in ctx.items(SERVICE, "ListAgentRuntimeEndpoints", "runtimeEndpoints", agentRuntimeId=runtime_id):
        with ctx.reading(SERVICE, "ListAgentRuntimeEndpoints", ep):
            props = live(ep)
            props["agent_runtime_id"] = runtime_arn  # CloudFormation's AgentRuntimeId: the edge to the runtime
            props["resource_policy"] = _resource_policy(ctx, ep["agentRuntimeEndpointArn"])
            ctx.add(
                "agent_runtime_endpoint",
                "AWS::BedrockAgentCore::RuntimeEndpoint",
                ep["agentRuntimeEndpointArn"],
                props,
                name=ep.get("name"),
                parent=runtime_arn,
            )


def _policy_engines(ctx: Context) -> None:
    # ListPolicyEngines answers every member of GetPolicyEngine: no call per engine
    for pe in ctx.items(SERVICE, "ListPolicyEngines", "policyEngines"):
        with ctx.reading(SERVICE, "ListPolicyEngines", pe):
            props = live(pe)
            policies = ctx.all_items(SERVICE, "ListPolicies", "policies", policyEngineId=pe["policyEngineId"])
            props["policies"] = policies if isinstance(policies, Unknown) else live(policies)
            arn = pe["policyEngineArn"]
            ctx.add("policy_engine", "AWS::BedrockAgentCore::PolicyEngine", arn, props, tags=_tags(ctx, arn), name=pe.get("name"))


def _tool(ctx: Context, kind: str, native: str, summary: dict[str, Any], detail: Any, arn: str) -> None:
    if isinstance(detail, Unknown):
        props = live(summary)
        for k in ("network_configuration", "execution_role_arn") + (("recording_config",) if kind == "browser" else ()):
            props[k] = detail
    else:
        detail = dict(detail)
        if "recording" in detail:
            detail["recordingConfig"] = detail.pop("recording")
        props = live(detail)
    ctx.add(kind, native, arn, props, tags=_tags(ctx, arn), name=summary.get("name"))


def _code_interpreters(ctx: Context) -> None:
    for ci in ctx.items(SERVICE, "ListCodeInterpreters", "codeInterpreterSummaries", type="CUSTOM"):
        with ctx.reading(SERVICE, "ListCodeInterpreters", ci):
            detail = ask(ctx, SERVICE, "GetCodeInterpreter", codeInterpreterId=ci["codeInterpreterId"])
            _tool(ctx, "code_interpreter", "AWS::BedrockAgentCore::CodeInterpreterCustom", ci, detail, ci["codeInterpreterArn"])


def _browsers(ctx: Context) -> None:
    for b in ctx.items(SERVICE, "ListBrowsers", "browserSummaries", type="CUSTOM"):
        with ctx.reading(SERVICE, "ListBrowsers", b):
            detail = ask(ctx, SERVICE, "GetBrowser", browserId=b["browserId"])
            _tool(ctx, "browser", "AWS::BedrockAgentCore::BrowserCustom", b, detail, b["browserArn"])
