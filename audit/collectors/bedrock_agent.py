"""Bedrock agents: agents, versions, aliases, action groups, knowledge bases,
their associations, collaborators, data sources and tags.

Records name the resources they belong to by ARN (``agent_id`` of an alias
or an action group is the agent's ARN), so the graph links them exactly as it
links CloudFormation ``Ref``s. Action groups, knowledge-base links and
collaborators are read for the draft and for every numbered version.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from agentgov.audit.collectors.answers import ask
from agentgov.audit.collectors.base import Call, CallFailed, Context, live, tag_dict
from agentgov.audit.collectors.tagging import GET_RESOURCES, tags_of
from agentgov.scanner.analyzers._models import foundation_model_id
from agentgov.scanner.model import Resource, Unknown

AREA = "bedrock-agent"
SCOPE = "regional"
SERVICE = "bedrock-agent"

CALLS = tuple(
    Call(SERVICE, op, f"bedrock:{op}")
    for op in (
        "ListAgents",
        "GetAgent",
        "ListAgentVersions",
        "GetAgentVersion",
        "ListAgentAliases",
        "ListAgentActionGroups",
        "GetAgentActionGroup",
        "ListAgentKnowledgeBases",
        "ListAgentCollaborators",
        "ListKnowledgeBases",
        "GetKnowledgeBase",
        "ListDataSources",
        "GetDataSource",
        "ListTagsForResource",
    )
) + (Call("bedrock", "GetFoundationModel", "bedrock:GetFoundationModel"), GET_RESOURCES)

#: the id of the alias Bedrock gives every agent (AgentTestAlias, routing to DRAFT: the console's test route)
TEST_ALIAS = "TSTALIASID"

#: what GetAgent tells beyond ListAgents: Unknown when GetAgent is denied
_DETAIL_ONLY = (
    "agent_resource_role_arn",
    "foundation_model",
    "instruction",
    "guardrail_configuration",
    "idle_session_ttl_in_seconds",
    "customer_encryption_key_arn",
    "memory_configuration",
    "prompt_override_configuration",
)


def _tags(ctx: Context, arn: str) -> Any:
    """From the region's ``GetResources``, else (denied, failed) the resource's own ``ListTagsForResource``."""
    listed = tags_of(ctx, arn)
    if listed is not None:
        return listed
    answer = ask(ctx, SERVICE, "ListTagsForResource", resourceArn=arn)
    return answer if isinstance(answer, Unknown) else tag_dict(answer.get("tags"))


def collect(ctx: Context) -> None:
    lifecycles: dict[str, Any] = {}  # model id -> its modelLifecycle (or Unknown): one GetFoundationModel per model
    with ctx.enumeration():  # a failed list of agents is a gap of its own: the knowledge bases are still read
        for summary in ctx.items(SERVICE, "ListAgents", "agentSummaries"):
            with ctx.reading(SERVICE, "ListAgents", summary):
                _agent(ctx, summary, lifecycles)
    with ctx.enumeration():
        for summary in ctx.items(SERVICE, "ListKnowledgeBases", "knowledgeBaseSummaries"):
            with ctx.reading(SERVICE, "ListKnowledgeBases", summary):
                _knowledge_base(ctx, summary)


def _lifecycle(ctx: Context, model: Any, lifecycles: dict[str, Any]) -> Any:
    """GetFoundationModel's ``modelLifecycle`` of the agent's model (a cross-region profile's base model), an
    ``Unknown`` when it cannot be read, or None when the model is not a foundation model (an application inference
    profile, a provisioned or custom model: AG809 says so)."""
    model_id = foundation_model_id(model) if isinstance(model, str) else None
    if model_id is None:
        return None
    if model_id not in lifecycles:
        got = ctx.detail(
            "bedrock", "GetFoundationModel", absent=frozenset({"ResourceNotFoundException"}), modelIdentifier=model_id
        )
        if got is None:
            got = Unknown(f"Bedrock does not offer the model {model_id} in {ctx.region} (GetFoundationModel: not found)")
        lifecycles[model_id] = got if isinstance(got, Unknown) else live((got.get("modelDetails") or {}).get("modelLifecycle"))
    return lifecycles[model_id]


def _agent(ctx: Context, summary: dict[str, Any], lifecycles: dict[str, Any]) -> None:
    agent_id = summary["agentId"]
    answer = ask(ctx, SERVICE, "GetAgent", agentId=agent_id)
    if isinstance(answer, Unknown):
        props = live(summary)
        props.update({k: answer for k in _DETAIL_ONLY})
        arn = f"arn:{ctx.partition}:bedrock:{ctx.region}:{ctx.account}:agent/{agent_id}"
    else:
        props = live(answer["agent"])
        arn = answer["agent"]["agentArn"]
    lifecycle = _lifecycle(ctx, props.get("foundation_model"), lifecycles)
    if lifecycle is not None:
        props["foundation_model_lifecycle"] = lifecycle
    tags = _tags(ctx, arn)
    record = ctx.add("agent", "AWS::Bedrock::Agent", arn, props, tags=tags, name=summary.get("agentName"))
    # "DISABLED" only when GetAgent answered so: a denied GetAgent leaves the DRAFT's collaborators to be listed
    collaboration = None if isinstance(answer, Unknown) else answer["agent"].get("agentCollaboration")
    _agent_parts(ctx, agent_id, record, tags, draft_collaborates=collaboration != "DISABLED")


@contextmanager
def _listing(ctx: Context, record: Resource, rel: str) -> Iterator[None]:
    """One enumeration of an agent's parts (its versions, aliases, a version's action groups, ...): when it fails,
    a coverage gap under the agent, and the agent's ``rel`` members become unknown (never "it has none");
    the agent's other enumerations still run."""
    try:
        yield
    except CallFailed as exc:
        ctx.gap(exc, record.id)
        why = f"the agent's {rel.replace('_', ' ')}s were not all listed: {exc.unknown().reason}"
        record.unlisted = {**(record.unlisted or {}), rel: why}


def _agent_parts(ctx: Context, agent_id: str, record: Resource, agent_tags: Any, draft_collaborates: bool = True) -> None:
    arn = record.id
    versions = ["DRAFT"]
    numbered: list[dict[str, Any]] = []
    with _listing(ctx, record, "version"):
        for v in ctx.items(SERVICE, "ListAgentVersions", "agentVersionSummaries", agentId=agent_id):
            with ctx.reading(SERVICE, "ListAgentVersions", v):
                if v["agentVersion"] != "DRAFT":
                    versions.append(v["agentVersion"])
                    numbered.append(v)
    routed: set[str] = set()
    with _listing(ctx, record, "alias"):
        _aliases(ctx, agent_id, arn, agent_tags, routed)
    unrouted = (record.unlisted or {}).get("alias")  # which versions aliases route to is not known
    # a version keeps the role it was published with (AG107): only GetAgentVersion tells it, read for each version an
    # alias routes to; its answer also says whether the version collaborates (``agentCollaboration``)
    published: dict[str, Any] = {}
    for v in numbered:
        if not unrouted and v["agentVersion"] in routed:
            with ctx.reading(SERVICE, "ListAgentVersions", v):
                published[v["agentVersion"]] = ask(
                    ctx, SERVICE, "GetAgentVersion", agentId=agent_id, agentVersion=v["agentVersion"]
                )
    for version in versions:
        _version_parts(ctx, agent_id, record, version, collaborators=_collaborates(version, published, draft_collaborates))
    for v in numbered:
        with ctx.reading(SERVICE, "ListAgentVersions", v):
            vp = live(v)
            vp["agent_id"] = arn
            if unrouted:
                vp["agent_resource_role_arn"] = Unknown(unrouted)
            elif v["agentVersion"] in routed:
                got = published[v["agentVersion"]]
                vp["agent_resource_role_arn"] = got if isinstance(got, Unknown) else got["agentVersion"]["agentResourceRoleArn"]
            ctx.add("agent_version", "AWS::Bedrock::AgentVersion", f"{arn}/version/{v['agentVersion']}", vp, parent=arn)


def _collaborates(version: str, published: dict[str, Any], draft_collaborates: bool) -> bool:
    """Whether ``version``'s collaborators are to be listed: not when GetAgent (the DRAFT) or the version's
    GetAgentVersion answered ``agentCollaboration`` DISABLED (Bedrock associates collaborators only with a supervisor);
    a version whose record was not read, or not read whole, is listed."""
    if version == "DRAFT":
        return draft_collaborates
    got = published.get(version)
    detail = got.get("agentVersion") if isinstance(got, dict) else None
    return not isinstance(detail, dict) or detail.get("agentCollaboration") != "DISABLED"


def _aliases(ctx: Context, agent_id: str, arn: str, agent_tags: Any, routed: set[str]) -> None:
    for a in ctx.items(SERVICE, "ListAgentAliases", "agentAliasSummaries", agentId=agent_id):
        with ctx.reading(SERVICE, "ListAgentAliases", a):
            alias_arn = arn.replace(":agent/", ":agent-alias/") + f"/{a['agentAliasId']}"
            routed.update(r["agentVersion"] for r in a.get("routingConfiguration") or () if r.get("agentVersion"))
            props = live(a)
            props.update(agent_id=arn, agent_alias_arn=alias_arn)
            ctx.add(
                "agent_alias",
                "AWS::Bedrock::AgentAlias",
                alias_arn,
                props,
                # Bedrock's test alias is part of every agent (made and deleted with it, never changed): the agent's tags
                tags=agent_tags if a["agentAliasId"] == TEST_ALIAS else _tags(ctx, alias_arn),
                name=a.get("agentAliasName"),
            )


def _version_parts(ctx: Context, agent_id: str, record: Resource, version: str, collaborators: bool = True) -> None:
    agent_arn = record.id
    with _listing(ctx, record, "action_group"):
        _action_groups(ctx, agent_id, agent_arn, version)
    with _listing(ctx, record, "knowledge_base"):
        _knowledge_base_links(ctx, agent_id, agent_arn, version)
    if collaborators:  # a DRAFT whose agentCollaboration is DISABLED has none to list
        with _listing(ctx, record, "collaborator"):
            _collaborators(ctx, agent_id, agent_arn, version)


def _action_groups(ctx: Context, agent_id: str, agent_arn: str, version: str) -> None:
    for g in ctx.items(SERVICE, "ListAgentActionGroups", "actionGroupSummaries", agentId=agent_id, agentVersion=version):
        with ctx.reading(SERVICE, "ListAgentActionGroups", g):
            identity = f"{agent_arn}/version/{version}/action-group/{g['actionGroupId']}"
            detail = ask(
                ctx, SERVICE, "GetAgentActionGroup", agentId=agent_id, agentVersion=version, actionGroupId=g["actionGroupId"]
            )
            if isinstance(detail, Unknown):
                props = live(g)
                props.update(action_group_executor=detail, function_schema=detail, api_schema=detail)
            else:
                props = live(detail["agentActionGroup"])
                # GetAgentActionGroup's output member; CreateAgentActionGroup's input (and CloudFormation's, Terraform's) name
                if "parent_action_signature" in props:
                    props["parent_action_group_signature"] = props.pop("parent_action_signature")
            props["agent_id"] = agent_arn
            props["agent_version"] = version
            ctx.add(
                "action_group",
                "AWS::Bedrock::Agent.ActionGroup",
                identity,
                props,
                name=g.get("actionGroupName"),
                parent=agent_arn,
            )


def _knowledge_base_links(ctx: Context, agent_id: str, agent_arn: str, version: str) -> None:
    for kb in ctx.items(
        SERVICE, "ListAgentKnowledgeBases", "agentKnowledgeBaseSummaries", agentId=agent_id, agentVersion=version
    ):
        with ctx.reading(SERVICE, "ListAgentKnowledgeBases", kb):
            kb_arn = f"arn:{ctx.partition}:bedrock:{ctx.region}:{ctx.account}:knowledge-base/{kb['knowledgeBaseId']}"
            props = live(kb)
            props.update(agent_id=agent_arn, agent_version=version, knowledge_base_id=kb_arn)
            ctx.add(
                "knowledge_base_association",
                "AWS::Bedrock::Agent.KnowledgeBase",
                f"{agent_arn}/version/{version}/knowledge-base/{kb['knowledgeBaseId']}",
                props,
                parent=agent_arn,
            )


def _collaborators(ctx: Context, agent_id: str, agent_arn: str, version: str) -> None:
    for c in ctx.items(SERVICE, "ListAgentCollaborators", "agentCollaboratorSummaries", agentId=agent_id, agentVersion=version):
        with ctx.reading(SERVICE, "ListAgentCollaborators", c):
            props = live(c)
            props.update(agent_id=agent_arn, agent_version=version)
            ctx.add(
                "agent_collaborator",
                "AWS::Bedrock::Agent.AgentCollaborator",
                f"{agent_arn}/version/{version}/collaborator/{c['collaboratorId']}",
                props,
                name=c.get("collaboratorName"),
                parent=agent_arn,
            )


def _knowledge_base(ctx: Context, summary: dict[str, Any]) -> None:
    kb_id = summary["knowledgeBaseId"]
    detail = ask(ctx, SERVICE, "GetKnowledgeBase", knowledgeBaseId=kb_id)
    if isinstance(detail, Unknown):
        props = live(summary)
        props.update(role_arn=detail, knowledge_base_configuration=detail, storage_configuration=detail)
        arn = f"arn:{ctx.partition}:bedrock:{ctx.region}:{ctx.account}:knowledge-base/{kb_id}"
    else:
        props = live(detail["knowledgeBase"])
        arn = detail["knowledgeBase"]["knowledgeBaseArn"]
    ctx.add("knowledge_base", "AWS::Bedrock::KnowledgeBase", arn, props, tags=_tags(ctx, arn), name=summary.get("name"))
    try:
        _data_sources(ctx, kb_id, arn)
    except CallFailed as exc:
        ctx.gap(exc, arn)


def _data_sources(ctx: Context, kb_id: str, arn: str) -> None:
    for ds in ctx.items(SERVICE, "ListDataSources", "dataSourceSummaries", knowledgeBaseId=kb_id):
        with ctx.reading(SERVICE, "ListDataSources", ds):
            d = ask(ctx, SERVICE, "GetDataSource", knowledgeBaseId=kb_id, dataSourceId=ds["dataSourceId"])
            if isinstance(d, Unknown):
                props = live(ds)
                props["data_source_configuration"] = d
            else:
                props = live(d["dataSource"])
            props["knowledge_base_id"] = arn
            ctx.add(
                "data_source",
                "AWS::Bedrock::DataSource",
                f"{arn}/data-source/{ds['dataSourceId']}",
                props,
                name=ds.get("name"),
                parent=arn,
            )
