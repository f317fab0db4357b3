"""Bedrock: guardrails (the draft and every published version) and the region's model invocation logging.

A guardrail's record has CreateGuardrail's member names (``content_policy_config.filters_config``),
which are CloudFormation's and Terraform's, not GetGuardrail's (``content_policy.filters``),
so a guardrail policy reads one shape whichever source found the guardrail.
"""

from __future__ import annotations

from typing import Any

from agentgov.audit.collectors.base import Call, Context, live, tag_dict
from agentgov.scanner.model import Unknown

AREA = "bedrock"
#: the kinds this collector collects whole: when it completes without a gap and finds none, there are none
KINDS = ("guardrail", "invocation_logging")
SCOPE = "regional"
SERVICE = "bedrock"

CALLS = tuple(
    Call(SERVICE, op, f"bedrock:{op}")
    for op in ("ListGuardrails", "GetGuardrail", "ListTagsForResource", "GetModelInvocationLoggingConfiguration")
)

# GetGuardrail's output members -> CreateGuardrail's input members (the IaC names)
_POLICY_IN = {
    "topicPolicy": ("topicPolicyConfig", {"topics": "topicsConfig"}),
    "contentPolicy": ("contentPolicyConfig", {"filters": "filtersConfig"}),
    "wordPolicy": ("wordPolicyConfig", {"words": "wordsConfig", "managedWordLists": "managedWordListsConfig"}),
    "sensitiveInformationPolicy": (
        "sensitiveInformationPolicyConfig",
        {"piiEntities": "piiEntitiesConfig", "regexes": "regexesConfig"},
    ),
    "contextualGroundingPolicy": ("contextualGroundingPolicyConfig", {"filters": "filtersConfig"}),
}


def _as_input_shape(g: dict[str, Any]) -> dict[str, Any]:
    out = dict(g)
    for src, (dst, members) in _POLICY_IN.items():
        if src in out:
            value = out.pop(src)
            out[dst] = {members.get(k, k): v for k, v in value.items()} if isinstance(value, dict) else value
    return out


def collect(ctx: Context) -> None:
    for g in ctx.items(SERVICE, "ListGuardrails", "guardrails"):
        with ctx.reading(SERVICE, "ListGuardrails", g):
            _guardrail(ctx, g)
    logging = ctx.detail(SERVICE, "GetModelInvocationLoggingConfiguration")
    config = logging if isinstance(logging, Unknown) else live(logging.get("loggingConfig") or {})
    if isinstance(config, dict) and "cloud_watch_config" in config:  # Terraform's (and the console's) name
        config["cloudwatch_config"] = config.pop("cloud_watch_config")
    identity = f"arn:{ctx.partition}:bedrock:{ctx.region}:{ctx.account}:model-invocation-logging-configuration"
    ctx.add(
        "invocation_logging",
        "AWS::Bedrock::ModelInvocationLoggingConfiguration",
        identity,
        {"logging_config": config, "enabled": bool(config) if not isinstance(config, Unknown) else config},
        arn=identity,
    )


def _guardrail(ctx: Context, summary: dict[str, Any]) -> None:
    arn = summary["arn"]
    detail = ctx.detail(SERVICE, "GetGuardrail", guardrailIdentifier=summary["id"])
    if isinstance(detail, Unknown):
        props = live(summary)
        for k in (
            "content_policy_config",
            "topic_policy_config",
            "word_policy_config",
            "sensitive_information_policy_config",
            "contextual_grounding_policy_config",
        ):
            props[k] = detail
    else:
        props = live(_as_input_shape(detail))
    tags = ctx.detail(SERVICE, "ListTagsForResource", resourceARN=arn)
    ctx.add(
        "guardrail",
        "AWS::Bedrock::Guardrail",
        arn,
        props,
        tags=tags if isinstance(tags, Unknown) else tag_dict(tags.get("tags")),
        name=summary.get("name"),
    )
    for v in ctx.items(SERVICE, "ListGuardrails", "guardrails", guardrailIdentifier=summary["id"]):
        with ctx.reading(SERVICE, "ListGuardrails", v):
            if v.get("version") in (None, "DRAFT"):
                continue
            vp = live(v)
            vp["guardrail_identifier"] = arn
            ctx.add("guardrail_version", "AWS::Bedrock::GuardrailVersion", f"{arn}/version/{v['version']}", vp, parent=arn)
