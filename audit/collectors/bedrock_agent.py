"""Bedrock agents: agents, versions, aliases, action groups, knowledge bases,
their associations, collaborators, data sources and tags.

An alias is read from ``ListAgentAliases`` alone: its summary carries every member a policy reads
(``routingConfiguration``, ``aliasInvocationState``; GetAgentAlias adds only its ARN, which is the agent's
with ``agent-alias/<agent id>/<alias id>``, its history and failure reasons). Collaborators are not listed for
the DRAFT of an agent whose ``agentCollaboration`` is ``DISABLED`` (GetAgent says so; an agent without
collaboration has none); a published version's are always listed (a version keeps the setting it was
published with, which GetAgent does not tell).

Records name the resources they belong to by ARN (``agent_id`` of an alias
or an action group is the agent's ARN), so the graph links them exactly as it
links CloudFormation ``Ref``s. Action groups, knowledge-base links and
collaborators are read for the draft and for every numbered version.
"""

from __future__ import annotations

from typing import Any

from agentgov.audit.collectors.answers import ask
from agentgov.audit.collectors.base import Call, CallFailed, Context, live, tag_dict
from agentgov.audit.collectors.tagging import GET_RESOURCES, tags_of
from agentgov.scanner.model import Unknown

AREA = "bedrock-agent"
SCOPE = "regional"
SERVICE = "bedrock-agent"

CALLS = tuple(
    Call(SERVICE, op, f"bedrock:{op}")
    for op in (
        "ListAgents",
        "GetAgent",
        "ListAgentVersions",
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
) + (GET_RESOURCES,)

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
    with ctx.enumeration():  # a failed list of agents is a gap of its own: the knowledge bases are still read
        for summary in ctx.items(SERVICE, "ListAgents", "agentSummaries"):
            with ctx.reading(SERVICE, "ListAgents", summary):
                _agent(ctx, summary)
    with ctx.enumeration():
        for summary in ctx.items(SERVICE, "ListKnowledgeBases", "knowledgeBaseSummaries"):
            with ctx.reading(SERVICE, "ListKnowledgeBases", summary):
                _knowledge_base(ctx, summary)


def _agent(ctx: Context, summary: dict[str, Any]) -> None:
    agent_id = summary["agentId"]
    answer = ask(ctx, SERVICE, "GetAgent", agentId=agent_id)
    if isinstance(answer, Unknown):
        props = live(summary)
        props.update({k: answer for k in _DETAIL_ONLY})
        arn = f"arn:{ctx.partition}:bedrock:{ctx.region}:{ctx.account}:agent/{agent_id}"
    else:
        props = live(answer["agent"])
        arn = answer["agent"]["agentArn"]
    tags = _tags(ctx, arn)
    ctx.add("agent", "AWS::Bedrock::Agent", arn, props, tags=tags, name=summary.get("agentName"))
    # "DISABLED" only when GetAgent answered so: a denied GetAgent leaves the DRAFT's collaborators to be listed
    collaboration = None if isinstance(answer, Unknown) else answer["agent"].get("agentCollaboration")
    try:
        _agent_parts(ctx, agent_id, arn, tags, draft_collaborates=collaboration != "DISABLED")
    except CallFailed as exc:  # this agent's versions, aliases or tools were not all seen: a gap, and on to the next agent
        ctx.gap(exc, arn)


def _agent_parts(ctx: Context, agent_id: str, arn: str, agent_tags: Any, draft_collaborates: bool = True) -> None:
    versions = ["DRAFT"]
    for v in ctx.items(SERVICE, "ListAgentVersions", "agentVersionSummaries", agentId=agent_id):
        with ctx.reading(SERVICE, "ListAgentVersions", v):
            if v["agentVersion"] != "DRAFT":
                versions.append(v["agentVersion"])
                vp = live(v)
                vp["agent_id"] = arn
                ctx.add("agent_version", "AWS::Bedrock::AgentVersion", f"{arn}/version/{v['agentVersion']}", vp, parent=arn)
    for version in versions:
        _version_parts(ctx, agent_id, arn, version, collaborators=version != "DRAFT" or draft_collaborates)
    for a in ctx.items(SERVICE, "ListAgentAliases", "agentAliasSummaries", agentId=agent_id):
        with ctx.reading(SERVICE, "ListAgentAliases", a):
            alias_arn = arn.replace(":agent/", ":agent-alias/") + f"/{a['agentAliasId']}"
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


def _version_parts(ctx: Context, agent_id: str, agent_arn: str, version: str, collaborators: bool = True) -> None:
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
    if not collaborators:
        return
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
