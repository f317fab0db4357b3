"""Bedrock: guardrails (the draft and every published version) and the region's model invocation logging.

A guardrail's record has CreateGuardrail's member names (``content_policy_config.filters_config``),
which are CloudFormation's and Terraform's, not GetGuardrail's (``content_policy.filters``),
so a guardrail policy reads one shape whichever source found the guardrail.
"""

from __future__ import annotations

from typing import Any

from agentgov.audit.collectors.answers import ask
from agentgov.audit.collectors.base import Call, CallFailed, Context, live, tag_dict
from agentgov.audit.collectors.tagging import GET_RESOURCES, tags_of
from agentgov.scanner.model import Unknown

AREA = "bedrock"
#: the kinds this collector collects whole: when it completes without a gap and finds none, there are none
KINDS = ("guardrail", "invocation_logging")
SCOPE = "regional"
SERVICE = "bedrock"

CALLS = tuple(
    Call(SERVICE, op, f"bedrock:{op}")
    for op in ("ListGuardrails", "GetGuardrail", "ListTagsForResource", "GetModelInvocationLoggingConfiguration")
) + (GET_RESOURCES,)

# GetGuardrail's output members -> CreateGuardrail's input members (the IaC names)
_POLICY_IN = {
    "topicPolicy": ("topicPolicyConfig", {"topics": "topicsConfig", "tier": "tierConfig"}),
    "contentPolicy": ("contentPolicyConfig", {"filters": "filtersConfig", "tier": "tierConfig"}),
    "wordPolicy": ("wordPolicyConfig", {"words": "wordsConfig", "managedWordLists": "managedWordListsConfig"}),
    "sensitiveInformationPolicy": (
        "sensitiveInformationPolicyConfig",
        {"piiEntities": "piiEntitiesConfig", "regexes": "regexesConfig"},
    ),
    "contextualGroundingPolicy": ("contextualGroundingPolicyConfig", {"filters": "filtersConfig"}),
    # the guardrail profile (STANDARD tier): CreateGuardrail takes an identifier, GetGuardrail answers its ARN and id
    "crossRegionDetails": ("crossRegionConfig", {"guardrailProfileArn": "guardrailProfileIdentifier"}),
}


def _as_input_shape(g: dict[str, Any]) -> dict[str, Any]:
    out = dict(g)
    for src, (dst, members) in _POLICY_IN.items():
        if src in out:
            value = out.pop(src)
            out[dst] = {members.get(k, k): v for k, v in value.items()} if isinstance(value, dict) else value
    return out


def collect(ctx: Context) -> None:
    with ctx.enumeration("guardrail"):  # a denied ListGuardrails leaves the region's invocation logging to be read
        for g in ctx.items(SERVICE, "ListGuardrails", "guardrails"):
            with ctx.reading(SERVICE, "ListGuardrails", g):
                _guardrail(ctx, g)
    logging = ask(ctx, SERVICE, "GetModelInvocationLoggingConfiguration")
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


_POLICIES = (
    "content_policy_config",
    "topic_policy_config",
    "word_policy_config",
    "sensitive_information_policy_config",
    "contextual_grounding_policy_config",
    "cross_region_config",
)


def _content(ctx: Context, summary: dict[str, Any], version: str | None) -> dict[str, Any]:
    """GetGuardrail of the DRAFT (``version`` None) or of a published version, in CreateGuardrail's member names."""
    params = {"guardrailIdentifier": summary["id"], **({"guardrailVersion": version} if version else {})}
    detail = ask(ctx, SERVICE, "GetGuardrail", **params)
    if isinstance(detail, Unknown):
        props = live(summary)
        props.update({k: detail for k in _POLICIES})
        if version:
            props["version"] = version
        return props
    return live(_as_input_shape(detail))


def _guardrail(ctx: Context, summary: dict[str, Any]) -> None:
    """The guardrail's DRAFT, and each published version as a guardrail of its own (``<arn>:<version>``, what an
    agent pinning that version runs, with that version's policies: GetGuardrail without a version answers the DRAFT)."""
    arn = summary["arn"]
    props = _content(ctx, summary, None)
    tags: Any = tags_of(ctx, arn)  # the region's GetResources, else (denied, failed) the guardrail's own tags
    if tags is None:
        answer = ask(ctx, SERVICE, "ListTagsForResource", resourceARN=arn)
        tags = answer if isinstance(answer, Unknown) else tag_dict(answer.get("tags"))
    ctx.add("guardrail", "AWS::Bedrock::Guardrail", arn, props, tags=tags, name=summary.get("name"))
    try:
        for v in ctx.items(SERVICE, "ListGuardrails", "guardrails", guardrailIdentifier=summary["id"]):
            with ctx.reading(SERVICE, "ListGuardrails", v):
                version = v.get("version")
                if version in (None, "DRAFT"):
                    continue
                vp = _content(ctx, summary, version)
                vp["guardrail_identifier"] = arn
                ident = f"{arn}:{version}"
                ctx.add("guardrail", "AWS::Bedrock::GuardrailVersion", ident, vp, tags=tags, name=summary.get("name"), parent=arn)
    except CallFailed as exc:  # the versions were not listed: agents pinning one are UNKNOWN, the next guardrail is read
        ctx.gap(exc, arn)
        props["published_versions"] = exc.unknown()
