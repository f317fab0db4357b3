"""Bedrock Flows: each flow's working draft (``GetFlow``) and every published version (``GetFlowVersion``), with
their definitions, so a flow is judged by the nodes it runs (AG210).

A flow's record is ``GetFlow``'s answer (its definition under the API's names, snake-cased: the attribute paths
of CloudFormation's and Terraform's flows); a published version's is ``GetFlowVersion``'s, named
``<flow ARN>/version/<n>`` (the API answers a version with the flow's own ARN) and linked to its flow by
``flow_arn``. A denied ``GetFlow`` or ``GetFlowVersion`` leaves the definition unknown with the reason, never
empty. A region without flows costs one ``ListFlows`` page.
"""

from __future__ import annotations

from typing import Any

from agentgov.audit.collectors.answers import ask
from agentgov.audit.collectors.base import Call, CallFailed, Context, live, tag_dict
from agentgov.audit.collectors.tagging import tags_of
from agentgov.scanner.model import Resource, Unknown

AREA = "bedrock-flows"
SCOPE = "regional"
SERVICE = "bedrock-agent"
#: the kinds this collector collects whole: when it completes without a gap and finds none, there are none
KINDS = ("flow", "flow_version")

CALLS = tuple(
    Call(SERVICE, op, f"bedrock:{op}")
    for op in ("ListFlows", "GetFlow", "ListFlowVersions", "GetFlowVersion", "ListTagsForResource")
)

#: what GetFlow / GetFlowVersion tell beyond the list's summary: Unknown when the call is denied
_DETAIL_ONLY = ("definition", "execution_role_arn", "customer_encryption_key_arn")


def _tags(ctx: Context, arn: str) -> Any:
    """From the region's ``GetResources`` when it covers flows, else the flow's own ``ListTagsForResource``."""
    listed = tags_of(ctx, arn)
    if listed is not None:
        return listed
    answer = ask(ctx, SERVICE, "ListTagsForResource", resourceArn=arn)
    return answer if isinstance(answer, Unknown) else tag_dict(answer.get("tags"))


def collect(ctx: Context) -> None:
    with ctx.enumeration("flow", "flow_version"):
        for summary in ctx.items(SERVICE, "ListFlows", "flowSummaries"):
            with ctx.reading(SERVICE, "ListFlows", summary):
                _flow(ctx, summary)


def _detail(summary: dict[str, Any], answer: dict[str, Any] | Unknown) -> dict[str, Any]:
    """The record's properties: the detail call's answer, or the summary with the detail's members unknown."""
    if isinstance(answer, Unknown):
        props = live(summary)
        props.update({k: answer for k in _DETAIL_ONLY})
        return props
    return live(answer)


def _flow(ctx: Context, summary: dict[str, Any]) -> None:
    flow_id, arn = summary["id"], summary["arn"]
    props = _detail(summary, ask(ctx, SERVICE, "GetFlow", flowIdentifier=flow_id))
    tags = _tags(ctx, arn)
    record = ctx.add("flow", "AWS::Bedrock::Flow", arn, props, tags=tags, name=summary.get("name"))
    try:
        _versions(ctx, flow_id, record, tags)
    except CallFailed as exc:  # the flow's versions were not all listed: a gap under the flow
        ctx.gap(exc, arn)


def _versions(ctx: Context, flow_id: str, record: Resource, tags: Any) -> None:
    arn = record.id
    for v in ctx.items(SERVICE, "ListFlowVersions", "flowVersionSummaries", flowIdentifier=flow_id):
        with ctx.reading(SERVICE, "ListFlowVersions", v):
            number = v["version"]
            if not str(number).isdigit():  # the working draft is the flow's own record (GetFlow)
                continue
            got = ask(ctx, SERVICE, "GetFlowVersion", flowIdentifier=flow_id, flowVersion=number)
            props = _detail({**v, "name": record.name}, got)
            props["flow_arn"] = arn
            ctx.add(
                "flow_version",
                "AWS::Bedrock::FlowVersion",
                f"{arn}/version/{number}",
                props,
                tags=tags,  # a version is not tagged on its own: the flow's tags
                name=record.name,
                parent=arn,
            )
