"""The Bedrock operations moto 5.2 lacks (agents' versions, aliases, action groups, knowledge-base links,
collaborators, data sources; guardrails), on moto's own bedrock-agent and bedrock backends."""

from __future__ import annotations

import copy
import json
import uuid
from collections.abc import Callable
from datetime import datetime
from typing import Any

from moto.bedrock.models import BedrockBackend
from moto.bedrockagent.models import AgentsforBedrockBackend

from agentgov.demo.awsmock._common import AgentState, GuardrailState, NotFound, Refused, _id, _now, _page, _state

# ------------------------------------------------------------ bedrock-agent

_AGENT_EXTRAS = ("guardrailConfiguration", "memoryConfiguration", "agentCollaboration", "orchestrationType")


def _ab(resp: Any) -> tuple[AgentsforBedrockBackend, AgentState]:
    backend = resp.bedrockagent_backend
    return backend, _state(backend, AgentState)


def _agent(resp: Any, agent_id: str) -> Any:
    backend, _ = _ab(resp)
    if agent_id not in backend.agents:
        raise NotFound(f"Agent {agent_id} not found")
    return backend.agents[agent_id]


def _agent_record(resp: Any, agent_id: str) -> dict[str, Any]:
    backend, st = _ab(resp)
    agent = _agent(resp, agent_id)
    rec = agent.to_dict()
    rec["agentVersion"] = "DRAFT"  # GetAgent always describes the working draft
    rec.update(copy.deepcopy(st.extras.get(agent_id, {})))
    rec.setdefault("agentCollaboration", "DISABLED")  # what Bedrock answers for an agent created without collaboration
    return rec


def _version_key(resp: Any, params: dict[str, Any]) -> tuple[str, str]:
    agent_id, version = params["agentId"], params.get("agentVersion", "DRAFT")
    _agent(resp, agent_id)
    _, st = _ab(resp)
    if version != "DRAFT" and not any(v["version"] == version for v in st.versions.get(agent_id, [])):
        raise NotFound(f"Version {version} of agent {agent_id} not found")
    return agent_id, version


def _create_agent(original: Callable[..., str]) -> Callable[..., str]:
    def create_agent(self: Any) -> str:
        body = json.loads(self.body)
        out = json.loads(original(self))
        agent_id = out["agent"]["agentId"]
        _, st = _ab(self)
        st.extras[agent_id] = {k: body[k] for k in _AGENT_EXTRAS if k in body}
        return json.dumps({"agent": _json_safe(_agent_record(self, agent_id))})

    return create_agent


def _json_safe(d: Any) -> Any:
    return json.loads(json.dumps(d, default=lambda o: o.timestamp() if isinstance(o, datetime) else str(o)))


def _get_agent(self: Any, p: dict[str, Any]) -> dict[str, Any]:
    return {"agent": _agent_record(self, p["agentId"])}


def _update_agent(self: Any, p: dict[str, Any]) -> dict[str, Any]:
    agent = _agent(self, p["agentId"])
    _, st = _ab(self)
    for key, attr in (
        ("agentName", "agent_name"),
        ("instruction", "instruction"),
        ("foundationModel", "foundation_model"),
        ("description", "description"),
        ("idleSessionTTLInSeconds", "idle_session_ttl_in_seconds"),
        ("agentResourceRoleArn", "agent_resource_role_arn"),
        ("customerEncryptionKeyArn", "customer_encryption_key_arn"),
    ):
        if key in p:
            setattr(agent, attr, p[key])
    extras = st.extras.setdefault(p["agentId"], {})
    for k in _AGENT_EXTRAS:
        if k in p:
            extras[k] = p[k]
        else:
            extras.pop(k, None)  # UpdateAgent replaces the configuration
    agent.agent_status = "NOT_PREPARED"
    return {"agent": _agent_record(self, p["agentId"])}


def _prepare_agent(self: Any, p: dict[str, Any]) -> dict[str, Any]:
    agent = _agent(self, p["agentId"])
    agent.agent_status = "PREPARED"
    return {"agentId": agent.agent_id, "agentStatus": "PREPARED", "agentVersion": "DRAFT", "preparedAt": _now()}


def _create_action_group(self: Any, p: dict[str, Any]) -> dict[str, Any]:
    agent_id, version = _version_key(self, p)
    if version != "DRAFT":
        raise Refused("action groups can only be added to the DRAFT version")
    _, st = _ab(self)
    rec = {k: v for k, v in p.items() if k not in ("clientToken",)}
    if "parentActionGroupSignature" in rec:  # the input member; GetAgentActionGroup answers parentActionSignature
        rec["parentActionSignature"] = rec.pop("parentActionGroupSignature")
    rec.update(actionGroupId=_id(), actionGroupState=p.get("actionGroupState", "ENABLED"), createdAt=_now(), updatedAt=_now())
    st.action_groups.setdefault((agent_id, version), []).append(rec)
    return {"agentActionGroup": rec}


def _find(items: list[dict[str, Any]], key: str, value: str, what: str) -> dict[str, Any]:
    for item in items:
        if item[key] == value:
            return item
    raise NotFound(f"{what} {value} not found")


def _get_action_group(self: Any, p: dict[str, Any]) -> dict[str, Any]:
    agent_id, version = _version_key(self, p)
    _, st = _ab(self)
    return {
        "agentActionGroup": _find(
            st.action_groups.get((agent_id, version), []), "actionGroupId", p["actionGroupId"], "Action group"
        )
    }


def _list_action_groups(self: Any, p: dict[str, Any]) -> dict[str, Any]:
    agent_id, version = _version_key(self, p)
    _, st = _ab(self)
    summaries: list[dict[str, Any]] = [
        {k: g[k] for k in ("actionGroupId", "actionGroupName", "actionGroupState", "description", "updatedAt") if k in g}
        for g in st.action_groups.get((agent_id, version), [])
    ]
    return _page(summaries, p, "actionGroupSummaries")


def _publish_version(self: Any, agent_id: str) -> str:
    """A numbered version: a snapshot of the draft, its action groups and knowledge bases."""
    _, st = _ab(self)
    versions = st.versions.setdefault(agent_id, [])
    number = str(len(versions) + 1)
    snapshot = _as_version(_agent_record(self, agent_id))
    snapshot.update(version=number, agentStatus="PREPARED", createdAt=_now(), updatedAt=_now())
    versions.append(snapshot)
    for table in (st.action_groups, st.kb_links, st.collaborators):
        table[(agent_id, number)] = copy.deepcopy(table.get((agent_id, "DRAFT"), []))
        for item in table[(agent_id, number)]:
            if "agentVersion" in item:
                item["agentVersion"] = number
    return number


def _as_version(agent: dict[str, Any]) -> dict[str, Any]:
    """An agent record as GetAgentVersion's ``AgentVersion``: ``version``, and no member the shape lacks
    (``clientToken``, ``preparedAt`` are GetAgent's only)."""
    rec = {k: v for k, v in agent.items() if k not in ("clientToken", "preparedAt", "agentVersion")}
    rec["version"] = agent.get("agentVersion", "DRAFT")
    return rec


def _alias_arn(self: Any, agent_id: str, alias_id: str) -> str:
    agent = _agent(self, agent_id)
    return agent.agent_arn.replace(":agent/", ":agent-alias/") + f"/{alias_id}"


def _create_alias(self: Any, p: dict[str, Any]) -> dict[str, Any]:
    agent_id = p["agentId"]
    backend, st = _ab(self)
    _agent(self, agent_id)
    routing = p.get("routingConfiguration")
    if not routing:
        routing = [{"agentVersion": _publish_version(self, agent_id)}]
    for r in routing:
        _version_key(self, {"agentId": agent_id, "agentVersion": r.get("agentVersion", "DRAFT")})
    alias_id = _id()
    rec = {
        "agentId": agent_id,
        "agentAliasId": alias_id,
        "agentAliasName": p["agentAliasName"],
        "agentAliasArn": _alias_arn(self, agent_id, alias_id),
        "description": p.get("description"),
        "routingConfiguration": routing,
        "agentAliasStatus": "PREPARED",
        "createdAt": _now(),
        "updatedAt": _now(),
    }
    rec = {k: v for k, v in rec.items() if v is not None}
    st.aliases.setdefault(agent_id, []).append(rec)
    if p.get("tags"):
        backend.tag_resource(rec["agentAliasArn"], p["tags"])
    return {"agentAlias": rec}


def _aliases(self: Any, agent_id: str) -> list[dict[str, Any]]:
    """The agent's aliases: Bedrock's test alias (``TSTALIASID``, on every agent, routing to DRAFT) and those created."""
    _agent(self, agent_id)
    _, st = _ab(self)
    test = {
        "agentId": agent_id,
        "agentAliasId": "TSTALIASID",
        "agentAliasName": "AgentTestAlias",
        "agentAliasArn": _alias_arn(self, agent_id, "TSTALIASID"),
        "description": "Test Alias for Agent",
        "routingConfiguration": [{"agentVersion": "DRAFT"}],
        "agentAliasStatus": "PREPARED",
        "createdAt": _now(),
        "updatedAt": _now(),
    }
    return [test, *st.aliases.get(agent_id, [])]


def _get_alias(self: Any, p: dict[str, Any]) -> dict[str, Any]:
    return {"agentAlias": _find(_aliases(self, p["agentId"]), "agentAliasId", p["agentAliasId"], "Alias")}


def _list_aliases(self: Any, p: dict[str, Any]) -> dict[str, Any]:
    keys = ("agentAliasId", "agentAliasName", "description", "routingConfiguration", "agentAliasStatus", "createdAt", "updatedAt")
    return _page([{k: a[k] for k in keys if k in a} for a in _aliases(self, p["agentId"])], p, "agentAliasSummaries")


def _list_versions(self: Any, p: dict[str, Any]) -> dict[str, Any]:
    draft = _agent_record(self, p["agentId"])
    _, st = _ab(self)
    keys = ("agentName", "agentStatus", "description", "createdAt", "updatedAt", "guardrailConfiguration")
    items = [{"agentVersion": "DRAFT", **{k: draft[k] for k in keys if k in draft}}]
    for v in st.versions.get(p["agentId"], []):
        items.append({"agentVersion": v["version"], **{k: v[k] for k in keys if k in v}})
    return _page(items, p, "agentVersionSummaries")


def _get_version(self: Any, p: dict[str, Any]) -> dict[str, Any]:
    agent_id, version = _version_key(self, p)
    _, st = _ab(self)
    if version == "DRAFT":
        return {"agentVersion": _as_version(_agent_record(self, agent_id))}
    return {"agentVersion": _find(st.versions[agent_id], "version", version, "Version")}


def _associate_kb(self: Any, p: dict[str, Any]) -> dict[str, Any]:
    agent_id, version = _version_key(self, p)
    backend, st = _ab(self)
    backend.get_knowledge_base(p["knowledgeBaseId"])  # moto raises when it does not exist
    rec = {
        "agentId": agent_id,
        "agentVersion": version,
        "knowledgeBaseId": p["knowledgeBaseId"],
        "description": p.get("description", ""),
        "knowledgeBaseState": p.get("knowledgeBaseState", "ENABLED"),
        "createdAt": _now(),
        "updatedAt": _now(),
    }
    st.kb_links.setdefault((agent_id, version), []).append(rec)
    return {"agentKnowledgeBase": rec}


def _list_kbs(self: Any, p: dict[str, Any]) -> dict[str, Any]:
    agent_id, version = _version_key(self, p)
    _, st = _ab(self)
    keys = ("knowledgeBaseId", "description", "knowledgeBaseState", "updatedAt")
    return _page(
        [{k: x[k] for k in keys if k in x} for x in st.kb_links.get((agent_id, version), [])], p, "agentKnowledgeBaseSummaries"
    )


def _associate_collaborator(self: Any, p: dict[str, Any]) -> dict[str, Any]:
    agent_id, version = _version_key(self, p)
    _, st = _ab(self)
    rec = {k: v for k, v in p.items() if k != "clientToken"}
    rec.update(agentVersion=version, collaboratorId=_id(), createdAt=_now(), lastUpdatedAt=_now())
    rec.setdefault("relayConversationHistory", "DISABLED")
    st.collaborators.setdefault((agent_id, version), []).append(rec)
    return {"agentCollaborator": rec}


def _list_collaborators(self: Any, p: dict[str, Any]) -> dict[str, Any]:
    agent_id, version = _version_key(self, p)
    _, st = _ab(self)
    return _page(list(st.collaborators.get((agent_id, version), [])), p, "agentCollaboratorSummaries")


def _create_data_source(self: Any, p: dict[str, Any]) -> dict[str, Any]:
    backend, st = _ab(self)
    backend.get_knowledge_base(p["knowledgeBaseId"])
    rec = {k: v for k, v in p.items() if k != "clientToken"}
    rec.update(dataSourceId=_id(), status="AVAILABLE", createdAt=_now(), updatedAt=_now())
    rec.setdefault("dataDeletionPolicy", "DELETE")
    st.data_sources.setdefault(p["knowledgeBaseId"], []).append(rec)
    return {"dataSource": rec}


def _get_data_source(self: Any, p: dict[str, Any]) -> dict[str, Any]:
    backend, st = _ab(self)
    backend.get_knowledge_base(p["knowledgeBaseId"])
    return {"dataSource": _find(st.data_sources.get(p["knowledgeBaseId"], []), "dataSourceId", p["dataSourceId"], "Data source")}


def _list_data_sources(self: Any, p: dict[str, Any]) -> dict[str, Any]:
    backend, st = _ab(self)
    backend.get_knowledge_base(p["knowledgeBaseId"])
    keys = ("knowledgeBaseId", "dataSourceId", "name", "status", "description", "updatedAt")
    return _page(
        [{k: d[k] for k in keys if k in d} for d in st.data_sources.get(p["knowledgeBaseId"], [])], p, "dataSourceSummaries"
    )


# ------------------------------------------------------------ bedrock (guardrails)

# CreateGuardrail's input members -> GetGuardrail's output members
_POLICY_OUT = {
    "topicPolicyConfig": ("topicPolicy", {"topicsConfig": "topics", "tierConfig": "tier"}),
    "contentPolicyConfig": ("contentPolicy", {"filtersConfig": "filters", "tierConfig": "tier"}),
    "wordPolicyConfig": ("wordPolicy", {"wordsConfig": "words", "managedWordListsConfig": "managedWordLists"}),
    "sensitiveInformationPolicyConfig": (
        "sensitiveInformationPolicy",
        {"piiEntitiesConfig": "piiEntities", "regexesConfig": "regexes"},
    ),
    "contextualGroundingPolicyConfig": ("contextualGroundingPolicy", {"filtersConfig": "filters"}),
}


def _gr(resp: Any) -> tuple[BedrockBackend, GuardrailState]:
    backend = resp.bedrock_backend
    return backend, _state(backend, GuardrailState)


def _guardrail(resp: Any, identifier: str, version: str | None = None) -> dict[str, Any]:
    _, st = _gr(resp)
    gid = identifier.rsplit("/", 1)[-1]
    versions = st.guardrails.get(gid)
    if not versions or (version or "DRAFT") not in versions:
        raise NotFound(f"Guardrail {identifier} version {version or 'DRAFT'} not found")
    return versions[version or "DRAFT"]


def _create_guardrail(self: Any, p: dict[str, Any]) -> dict[str, Any]:
    backend, st = _gr(self)
    gid = uuid.uuid4().hex[:12]
    arn = f"arn:aws:bedrock:{self.region}:{self.current_account}:guardrail/{gid}"
    rec: dict[str, Any] = {
        "name": p["name"],
        "guardrailId": gid,
        "guardrailArn": arn,
        "version": "DRAFT",
        "status": "READY",
        "blockedInputMessaging": p["blockedInputMessaging"],
        "blockedOutputsMessaging": p["blockedOutputsMessaging"],
        "createdAt": _now(),
        "updatedAt": _now(),
    }
    if p.get("description"):
        rec["description"] = p["description"]
    if p.get("kmsKeyId"):
        rec["kmsKeyArn"] = p["kmsKeyId"]
    for src, (dst, members) in _POLICY_OUT.items():
        if src in p:
            rec[dst] = {members.get(k, k): v for k, v in p[src].items()}
    profile = (p.get("crossRegionConfig") or {}).get("guardrailProfileIdentifier")
    if profile:  # an id ("us.guardrail.v1:0") or an ARN; GetGuardrail answers both forms
        pid = profile.rsplit("/", 1)[-1]
        rec["crossRegionDetails"] = {
            "guardrailProfileId": pid,
            "guardrailProfileArn": profile
            if profile.startswith("arn:")
            else f"arn:aws:bedrock:{self.region}:{self.current_account}:guardrail-profile/{pid}",
        }
    st.guardrails[gid] = {"DRAFT": rec}
    if p.get("tags"):
        backend.tag_resource(arn, p["tags"])
    return {"guardrailId": gid, "guardrailArn": arn, "version": "DRAFT", "createdAt": rec["createdAt"]}


def _create_guardrail_version(self: Any, p: dict[str, Any]) -> dict[str, Any]:
    draft = _guardrail(self, p["guardrailIdentifier"])
    _, st = _gr(self)
    versions = st.guardrails[draft["guardrailId"]]
    number = str(len(versions))
    rec = copy.deepcopy(draft)
    rec.update(version=number, createdAt=_now(), updatedAt=_now())
    if p.get("description"):
        rec["description"] = p["description"]
    versions[number] = rec
    return {"guardrailId": draft["guardrailId"], "version": number}


def _get_guardrail(self: Any, p: dict[str, Any]) -> dict[str, Any]:
    return _guardrail(self, p["guardrailIdentifier"], p.get("guardrailVersion"))


def _list_guardrails(self: Any, p: dict[str, Any]) -> dict[str, Any]:
    _, st = _gr(self)
    items = []
    for gid, versions in st.guardrails.items():
        if p.get("guardrailIdentifier"):
            if gid != p["guardrailIdentifier"].rsplit("/", 1)[-1]:
                continue
            chosen = list(versions.values())
        else:
            chosen = [versions["DRAFT"]]  # without an identifier: the DRAFT of every guardrail
        for g in chosen:
            items.append(
                {
                    "id": g["guardrailId"],
                    "arn": g["guardrailArn"],
                    "status": g["status"],
                    "name": g["name"],
                    "version": g["version"],
                    "createdAt": g["createdAt"],
                    "updatedAt": g["updatedAt"],
                    **({"description": g["description"]} if "description" in g else {}),
                }
            )
    return _page(items, p, "guardrails")
