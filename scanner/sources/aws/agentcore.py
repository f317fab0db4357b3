"""AgentCore control plane: agent runtimes, gateways and their targets, memories, with tags.

Environment variables of a runtime keep their names (they are data, not
attribute names), as ``EnvironmentVariables`` does in CloudFormation.
"""

from __future__ import annotations

from typing import Any

from ...model import Unknown
from .base import Call, CallFailed, Context, live, tag_dict

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
    )
)


def _tags(ctx: Context, arn: str) -> Any:
    answer = ctx.detail(SERVICE, "ListTagsForResource", resourceArn=arn)
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
    for rt in ctx.items(SERVICE, "ListAgentRuntimes", "agentRuntimes"):
        detail = ctx.detail(SERVICE, "GetAgentRuntime", agentRuntimeId=rt["agentRuntimeId"])
        props = _record(rt, detail, ("role_arn", "network_configuration", "authorizer_configuration", "environment_variables"))
        arn = rt["agentRuntimeArn"]
        ctx.add("agent_runtime", "AWS::BedrockAgentCore::Runtime", arn, props, tags=_tags(ctx, arn), name=rt.get("agentRuntimeName"))
    for gw in ctx.items(SERVICE, "ListGateways", "items"):
        detail = ctx.detail(SERVICE, "GetGateway", gatewayIdentifier=gw["gatewayId"])
        props = _record(gw, detail, ("role_arn", "authorizer_type", "authorizer_configuration", "kms_key_arn"))
        arn = detail["gatewayArn"] if not isinstance(detail, Unknown) else (
            f"arn:{ctx.partition}:bedrock-agentcore:{ctx.region}:{ctx.account}:gateway/{gw['gatewayId']}")
        ctx.add("gateway", "AWS::BedrockAgentCore::Gateway", arn, props, tags=_tags(ctx, arn), name=gw.get("name"))
        try:
            _targets(ctx, gw["gatewayId"], arn)
        except CallFailed as exc:  # this gateway's targets were not seen: a gap, and on to the next gateway
            ctx.gap(exc, arn)
    _memories(ctx)


def _targets(ctx: Context, gateway_id: str, arn: str) -> None:
    for t in ctx.items(SERVICE, "ListGatewayTargets", "items", gatewayIdentifier=gateway_id):
        td = ctx.detail(SERVICE, "GetGatewayTarget", gatewayIdentifier=gateway_id, targetId=t["targetId"])
        tp = _record(t, td, ("target_configuration", "credential_provider_configurations"))
        tp["gateway_identifier"] = arn
        ctx.add("gateway_target", "AWS::BedrockAgentCore::GatewayTarget", f"{arn}/target/{t['targetId']}", tp,
                name=t.get("name"), parent=arn)


def _memories(ctx: Context) -> None:
    for m in ctx.items(SERVICE, "ListMemories", "memories"):
        detail = ctx.detail(SERVICE, "GetMemory", memoryId=m["id"])
        props = _record(m, detail if isinstance(detail, Unknown) else detail["memory"],
                        ("memory_execution_role_arn", "encryption_key_arn", "event_expiry_duration"))
        arn = m["arn"]
        ctx.add("memory", "AWS::BedrockAgentCore::Memory", arn, props, tags=_tags(ctx, arn), name=props.get("name") if isinstance(props.get("name"), str) else None)
