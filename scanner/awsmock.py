"""moto, completed with what moto 5.2 lacks for agentgov's live audit.

Used by the tests, ``agentgov audit --demo`` and the benchmark alike; it
imports moto, so only those import it (moto is the ``demo`` extra).

moto implements Bedrock agents and knowledge bases but raises
NotImplementedError for agent versions, aliases, action groups, knowledge-base
associations, collaborators, data sources and every guardrail call, drops an
agent's guardrail configuration, and lets anyone assume any role (even one
that does not exist). ``install()`` adds those operations to moto's own
response classes once, for every test (in-process ``mock_aws`` or moto's
server alike):

* requests are parsed and responses serialized by moto's botocore-model
  machinery (``parse_parameters`` / ``ActionResult``), so both have exactly
  the shapes of botocore's service model;
* the state lives on moto's own backends (per account and region), next to
  moto's agents and knowledge bases: an action group can only be added to an
  agent moto knows, an alias created without routing publishes a numbered
  version (a snapshot of the draft, its action groups and knowledge bases),
  as Bedrock does; ``mock_aws`` resets it with everything else;
* Lambda ``ListFunctions``, IAM ``GetAccountAuthorizationDetails``, KMS
  ``ListKeys``/``ListResourceTags`` and the AgentCore list calls answer in pages (``MaxItems``/``Marker``), as AWS does and moto does not;
* S3 ``ListBuckets`` with ``MaxBuckets`` answers every bucket (moto cuts
  the list without a continuation token);
* ``enable_regions(account, regions)`` makes EC2 ``DescribeRegions`` answer
  only those regions in that account (moto answers every region; AWS only
  the enabled ones);
* ``strict_sts()`` makes AssumeRole fail (AccessDenied) for a role that does
  not exist or whose trust policy requires another external id;
* ``throttle(account, service, operation, times)`` answers the next calls
  with the service's throttling error;
* ``deny(account, service, operation)`` makes one API answer
  AccessDenied(Exception) in one account, with the error shape of the
  service's model (a permission the audit role lacks).
"""

from __future__ import annotations

import contextlib
import copy
import json
import threading
import uuid
import warnings
from datetime import datetime, timezone
from typing import Any, Callable, Iterator

from moto.bedrock.models import BedrockBackend
from moto.bedrock.responses import BedrockResponse
from moto.bedrockagent.models import AgentsforBedrockBackend
from moto.bedrockagent.responses import AgentsforBedrockResponse
from moto.core.exceptions import ServiceException
from moto.core.responses import ActionResult, BaseResponse
from moto.core.utils import camelcase_to_underscores
from moto.iam.models import iam_backends
from moto.sts.exceptions import STSClientError
from moto.sts.models import STSBackend

_LOCK = threading.RLock()
_INSTALLED = False
_DENIED: set[tuple[str, str, str]] = set()  # (account, botocore service name, operation)
_STRICT_STS = False
_ENABLED_REGIONS: dict[str, list[str]] = {}
_THROTTLED: dict[tuple[str, str, str], int] = {}  # (account, service, operation) -> how many more calls to throttle  # account -> the regions DescribeRegions answers


class Refused(Exception):
    """An error answer of an added operation (turned into the service's error shape)."""

    code = "ValidationException"

    def __init__(self, message: str, code: str | None = None):
        super().__init__(message)
        self.message = message
        if code:
            self.code = code


class NotFound(Refused):
    code = "ResourceNotFoundException"


def _service_error(resp: Any, code: str, message: str) -> ServiceException:
    """A moto ServiceException moto serializes with ``resp``'s service model
    (moto finds the model from the exception's module, so it must be the service's)."""
    from moto.core.utils import get_service_model, service_name_from_moto_package_name

    package = type(resp).__module__.split(".")[1]
    try:
        get_service_model(service_name_from_moto_package_name(package))
    except Exception:  # moto's package is not named like the service (awslambda): any loadable one will do,
        package = "sts"  # the request's own service model is searched first
    cls = type(code, (ServiceException,), {"__module__": f"moto.{package}.exceptions", "code": code})
    return cls(code, message)


def _now() -> datetime:
    return datetime.now(timezone.utc)


def _id(prefix: str = "") -> str:
    return (prefix + uuid.uuid4().hex)[:10].upper()


# ------------------------------------------------------------------ state


class AgentState:
    """What moto's bedrock-agent backend does not keep, per account and region."""

    def __init__(self) -> None:
        self.extras: dict[str, dict[str, Any]] = {}  # agent id -> guardrailConfiguration, ...
        self.versions: dict[str, list[dict[str, Any]]] = {}  # agent id -> numbered versions
        self.action_groups: dict[tuple[str, str], list[dict[str, Any]]] = {}  # (agent id, version)
        self.kb_links: dict[tuple[str, str], list[dict[str, Any]]] = {}
        self.collaborators: dict[tuple[str, str], list[dict[str, Any]]] = {}
        self.aliases: dict[str, list[dict[str, Any]]] = {}
        self.data_sources: dict[str, list[dict[str, Any]]] = {}  # knowledge base id -> data sources


class GuardrailState:
    def __init__(self) -> None:
        self.guardrails: dict[str, dict[str, dict[str, Any]]] = {}  # id -> version ("DRAFT", "1", ...) -> record


def _state(backend: Any, cls: type) -> Any:
    with _LOCK:
        st = backend.__dict__.get("_agentgov_state")
        if st is None:
            st = backend.__dict__["_agentgov_state"] = cls()
        return st


# --------------------------------------------------------------- plumbing


def _params(resp: BaseResponse) -> dict[str, Any]:
    """The request, parsed by moto with the operation's botocore input shape."""
    resp.parse_parameters(resp._agentgov_request)  # type: ignore[attr-defined]
    return dict(resp.params)


def _page(items: list[dict[str, Any]], params: dict[str, Any], key: str) -> dict[str, Any]:
    start = int(params.get("nextToken") or 0)
    size = int(params.get("maxResults") or 10)
    out: dict[str, Any] = {key: items[start : start + size]}
    if start + size < len(items):
        out["nextToken"] = str(start + size)
    return out


def _add(cls: type, operation: str, impl: Callable[[Any, dict[str, Any]], dict[str, Any]]) -> None:
    def handler(self: Any) -> ActionResult:
        try:
            return ActionResult(impl(self, _params(self)))
        except Refused as exc:
            return ActionResult(_service_error(self, exc.code, exc.message))

    handler.__name__ = camelcase_to_underscores(operation)
    setattr(cls, handler.__name__, handler)


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
    return rec


def _version_key(resp: Any, params: dict[str, Any]) -> tuple[str, str]:
    agent_id, version = params["agentId"], params.get("agentVersion", "DRAFT")
    _agent(resp, agent_id)
    _, st = _ab(resp)
    if version != "DRAFT" and not any(v["version"] == version for v in st.versions.get(agent_id, [])):
        raise NotFound(f"Version {version} of agent {agent_id} not found")
    return agent_id, version


def _create_agent(original: Callable[[Any], str]) -> Callable[[Any], str]:
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
    return {"agentActionGroup": _find(st.action_groups.get((agent_id, version), []), "actionGroupId", p["actionGroupId"], "Action group")}


def _list_action_groups(self: Any, p: dict[str, Any]) -> dict[str, Any]:
    agent_id, version = _version_key(self, p)
    _, st = _ab(self)
    summaries = [
        {k: g[k] for k in ("actionGroupId", "actionGroupName", "actionGroupState", "description", "updatedAt") if k in g}
        for g in st.action_groups.get((agent_id, version), [])
    ]
    return _page(summaries, p, "actionGroupSummaries")


def _publish_version(self: Any, agent_id: str) -> str:
    """A numbered version: a snapshot of the draft, its action groups and knowledge bases."""
    _, st = _ab(self)
    versions = st.versions.setdefault(agent_id, [])
    number = str(len(versions) + 1)
    snapshot = _agent_record(self, agent_id)
    snapshot.update(version=number, agentStatus="PREPARED", createdAt=_now(), updatedAt=_now())
    snapshot.pop("agentVersion", None)
    versions.append(snapshot)
    for table in (st.action_groups, st.kb_links, st.collaborators):
        table[(agent_id, number)] = copy.deepcopy(table.get((agent_id, "DRAFT"), []))
        for item in table[(agent_id, number)]:
            if "agentVersion" in item:
                item["agentVersion"] = number
    return number


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


def _get_alias(self: Any, p: dict[str, Any]) -> dict[str, Any]:
    _agent(self, p["agentId"])
    _, st = _ab(self)
    return {"agentAlias": _find(st.aliases.get(p["agentId"], []), "agentAliasId", p["agentAliasId"], "Alias")}


def _list_aliases(self: Any, p: dict[str, Any]) -> dict[str, Any]:
    _agent(self, p["agentId"])
    _, st = _ab(self)
    keys = ("agentAliasId", "agentAliasName", "description", "routingConfiguration", "agentAliasStatus", "createdAt", "updatedAt")
    return _page([{k: a[k] for k in keys if k in a} for a in st.aliases.get(p["agentId"], [])], p, "agentAliasSummaries")


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
        rec = _agent_record(self, agent_id)
        rec["version"] = rec.pop("agentVersion")
        return {"agentVersion": rec}
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
    return _page([{k: x[k] for k in keys if k in x} for x in st.kb_links.get((agent_id, version), [])], p, "agentKnowledgeBaseSummaries")


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
    return _page([{k: d[k] for k in keys if k in d} for d in st.data_sources.get(p["knowledgeBaseId"], [])], p, "dataSourceSummaries")


# ------------------------------------------------------------ bedrock (guardrails)

# CreateGuardrail's input members -> GetGuardrail's output members
_POLICY_OUT = {
    "topicPolicyConfig": ("topicPolicy", {"topicsConfig": "topics"}),
    "contentPolicyConfig": ("contentPolicy", {"filtersConfig": "filters"}),
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
            items.append({"id": g["guardrailId"], "arn": g["guardrailArn"], "status": g["status"], "name": g["name"],
                          "version": g["version"], "createdAt": g["createdAt"], "updatedAt": g["updatedAt"],
                          **({"description": g["description"]} if "description" in g else {})})
    return _page(items, p, "guardrails")


# ------------------------------------------------------------------ STS, denials


def _strict_assume_role(original: Callable[..., Any]) -> Callable[..., Any]:
    def assume_role(self: STSBackend, **kwargs: Any) -> Any:
        if _STRICT_STS:
            arn = kwargs["role_arn"]
            account, name = arn.split(":")[4], arn.rsplit("/", 1)[-1]
            roles = {r.name: r for r in iam_backends[account]["aws"].roles.values()}
            role = roles.get(name)
            denied = STSClientError("AccessDenied", f"User is not authorized to perform: sts:AssumeRole on resource: {arn}")
            if role is None:
                raise denied
            trust = json.loads(role.assume_role_policy_document)
            wanted = [
                v
                for st in trust.get("Statement", [])
                for v in [((st.get("Condition") or {}).get("StringEquals") or {}).get("sts:ExternalId")]
                if v is not None
            ]
            if wanted and kwargs.get("external_id") not in wanted:
                raise denied
        return original(self, **kwargs)

    return assume_role


def _denying_call_action(original: Callable[[Any], Any]) -> Callable[[Any], Any]:
    def call_action(self: BaseResponse) -> Any:
        if _THROTTLED:
            try:
                key = (self.current_account, self.boto3_service_name, self._get_action())
            except Exception:
                key = None
            with _LOCK:
                left = _THROTTLED.get(key, 0) if key else 0
                if left:
                    _THROTTLED[key] = left - 1
            if left:
                from moto.core.utils import get_service_model

                model = get_service_model(self.boto3_service_name)
                code = "ThrottlingException" if model.protocol in ("json", "rest-json") else "Throttling"
                err = _service_error(self, code, "Rate exceeded (agentgov test throttling)")
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore")
                    _, headers, body = self.serialized(ActionResult(err))
                return 400, headers, body
        if _DENIED:
            try:
                action = self._get_action()
                account = self.current_account
            except Exception:  # not a request moto can name: leave it to moto
                return original(self)
            if (account, self.boto3_service_name, action) in _DENIED:
                from moto.core.utils import get_service_model

                model = get_service_model(self.boto3_service_name)
                # what AWS answers: JSON services AccessDeniedException, query ones AccessDenied, EC2 its own
                code = {"ec2": "UnauthorizedOperation"}.get(
                    self.boto3_service_name, "AccessDeniedException" if model.protocol in ("json", "rest-json") else "AccessDenied"
                )
                err = _service_error(self, code, f"not authorized to perform {self.boto3_service_name}:{action} (agentgov test denial)")
                with warnings.catch_warnings():  # IAM's model has no AccessDenied shape; AWS sends it anyway
                    warnings.simplefilter("ignore")
                    _, headers, body = self.serialized(ActionResult(err))
                return 403, headers, body
        return original(self)

    return call_action


def _remember_request(original: Callable[..., Any]) -> Callable[..., Any]:
    def setup_class(self: Any, request: Any, *args: Any, **kwargs: Any) -> Any:
        self._agentgov_request = request
        return original(self, request, *args, **kwargs)

    return setup_class


def _with_alias_arns(original: Callable[[Any], list[str]]) -> Callable[[Any], list[str]]:
    def _list_arns(self: Any) -> list[str]:
        st = _state(self, AgentState)
        return original(self) + [a["agentAliasArn"] for aliases in st.aliases.values() for a in aliases]

    return _list_arns


def _paged_list_functions(original: Callable[[Any], str]) -> Callable[[Any], str]:
    def list_functions(self: Any) -> str:
        out = json.loads(original(self))
        start = int((self.querystring.get("Marker") or ["0"])[0])
        size = int((self.querystring.get("MaxItems") or ["50"])[0])
        functions = out.get("Functions", [])
        out["Functions"] = functions[start : start + size]
        if start + size < len(functions):
            out["NextMarker"] = str(start + size)
        return json.dumps(out)

    return list_functions


def _paged_answer(
    original: Callable[[Any], Any], key: str, token: str = "nextToken", next_token: str = "nextToken",
    limit: str = "maxResults", truncated: str | None = None,
) -> Callable[[Any], Any]:
    """A list operation moto answers in one piece, answered in pages of ``limit`` items (``token`` in, ``next_token`` out)."""

    def paged(self: Any) -> Any:
        answer = original(self)
        full = dict(answer.result if isinstance(answer, ActionResult) else json.loads(answer))
        start = int(self._get_param(token) or 0)
        size = int(self._get_param(limit) or 100)
        items = full.get(key) or []
        full[key] = items[start : start + size]
        full.pop(next_token, None)
        more = start + size < len(items)
        if more:
            full[next_token] = str(start + size)
        if truncated:
            full[truncated] = more
        return ActionResult(full)

    paged.__name__ = original.__name__
    return paged


def _paged_authorization_details(original: Callable[[Any], ActionResult]) -> Callable[[Any], ActionResult]:
    def get_account_authorization_details(self: Any) -> ActionResult:
        full = original(self).result
        keys = ("UserDetailList", "GroupDetailList", "RoleDetailList", "Policies")
        items = [(k, item) for k in keys for item in full.get(k, [])]
        start = int(self._get_param("Marker") or 0)
        size = int(self._get_param("MaxItems") or 100)
        page: dict[str, Any] = {k: [] for k in keys}
        for k, item in items[start : start + size]:
            page[k].append(item)
        page["IsTruncated"] = start + size < len(items)
        if page["IsTruncated"]:
            page["Marker"] = str(start + size)
        return ActionResult(page)

    return get_account_authorization_details


def install() -> None:
    """Add the missing operations to moto (idempotent; process-wide)."""
    global _INSTALLED
    with _LOCK:
        if _INSTALLED:
            return
        # STS's and IAM's models have no AccessDenied shape; AWS sends the error anyway, and so does moto
        warnings.filterwarnings("ignore", message=r"Exception\(\w+\) with code AccessDenied does not match", category=UserWarning)
        for cls in (AgentsforBedrockResponse, BedrockResponse):
            cls.setup_class = _remember_request(cls.setup_class)  # type: ignore[method-assign]
        AgentsforBedrockResponse.create_agent = _create_agent(AgentsforBedrockResponse.create_agent)  # type: ignore[method-assign]
        for op, impl in (
            ("GetAgent", _get_agent),
            ("UpdateAgent", _update_agent),
            ("PrepareAgent", _prepare_agent),
            ("CreateAgentActionGroup", _create_action_group),
            ("GetAgentActionGroup", _get_action_group),
            ("ListAgentActionGroups", _list_action_groups),
            ("CreateAgentAlias", _create_alias),
            ("GetAgentAlias", _get_alias),
            ("ListAgentAliases", _list_aliases),
            ("ListAgentVersions", _list_versions),
            ("GetAgentVersion", _get_version),
            ("AssociateAgentKnowledgeBase", _associate_kb),
            ("ListAgentKnowledgeBases", _list_kbs),
            ("AssociateAgentCollaborator", _associate_collaborator),
            ("ListAgentCollaborators", _list_collaborators),
            ("CreateDataSource", _create_data_source),
            ("GetDataSource", _get_data_source),
            ("ListDataSources", _list_data_sources),
        ):
            _add(AgentsforBedrockResponse, op, impl)
        for op, impl in (
            ("CreateGuardrail", _create_guardrail),
            ("CreateGuardrailVersion", _create_guardrail_version),
            ("GetGuardrail", _get_guardrail),
            ("ListGuardrails", _list_guardrails),
        ):
            _add(BedrockResponse, op, impl)
        AgentsforBedrockBackend._list_arns = _with_alias_arns(AgentsforBedrockBackend._list_arns)  # type: ignore[method-assign]
        _orig_bedrock_arns = BedrockBackend._list_arns

        def _bedrock_arns(self: Any) -> list[str]:
            st = _state(self, GuardrailState)
            return _orig_bedrock_arns(self) + [v["DRAFT"]["guardrailArn"] for v in st.guardrails.values()]

        BedrockBackend._list_arns = _bedrock_arns  # type: ignore[method-assign]
        from moto.awslambda.responses import LambdaResponse
        from moto.iam.responses import IamResponse

        LambdaResponse.list_functions = _paged_list_functions(LambdaResponse.list_functions)  # type: ignore[method-assign]
        IamResponse.get_account_authorization_details = _paged_authorization_details(  # type: ignore[method-assign]
            IamResponse.get_account_authorization_details
        )
        from moto.bedrockagentcorecontrol.responses import BedrockAgentCoreControlResponse as Core

        for method, key in (("list_agent_runtimes", "agentRuntimes"), ("list_gateways", "items"),
                            ("list_gateway_targets", "items"), ("list_memories", "memories")):
            setattr(Core, method, _paged_answer(getattr(Core, method), key))
        from moto.s3.models import S3Backend

        _list_buckets = S3Backend.list_buckets

        def list_buckets(self: Any, prefix: str | None, bucket_region: str | None, max_buckets: str | None) -> Any:
            # moto cuts the list at MaxBuckets without a ContinuationToken (the rest would be lost): answer it whole
            return _list_buckets(self, prefix, bucket_region, None)

        S3Backend.list_buckets = list_buckets  # type: ignore[method-assign]
        from moto.kms.responses import KmsResponse

        for method, key in (("list_keys", "Keys"), ("list_resource_tags", "Tags")):
            setattr(KmsResponse, method, _paged_answer(getattr(KmsResponse, method), key, "Marker", "NextMarker", "Limit", "Truncated"))
        from moto.ec2.models.availability_zones_and_regions import RegionsAndZonesBackend

        _describe_regions = RegionsAndZonesBackend.describe_regions

        def describe_regions(self: Any, region_names: list[str] | None = None) -> Any:
            regions = _describe_regions(self, region_names)
            enabled = _ENABLED_REGIONS.get(self.account_id)
            return regions if enabled is None else [r for r in regions if r.name in enabled]

        RegionsAndZonesBackend.describe_regions = describe_regions  # type: ignore[method-assign]
        STSBackend.assume_role = _strict_assume_role(STSBackend.assume_role)  # type: ignore[method-assign]
        BaseResponse.call_action = _denying_call_action(BaseResponse.call_action)  # type: ignore[method-assign]
        _INSTALLED = True


@contextlib.contextmanager
def strict_sts() -> Iterator[None]:
    """AssumeRole fails for a missing role or a wrong external id while this is active."""
    global _STRICT_STS
    _STRICT_STS = True
    try:
        yield
    finally:
        _STRICT_STS = False


def deny(account: str, service: str, operation: str) -> None:
    """``service`` (botocore name, e.g. ``bedrock-agent``) ``operation`` answers AccessDenied in ``account``."""
    _DENIED.add((account, service, operation))


def enable_regions(account: str, regions: list[str]) -> None:
    """Only ``regions`` are enabled in ``account`` (what DescribeRegions answers there)."""
    _ENABLED_REGIONS[account] = list(regions)


def throttle(account: str, service: str, operation: str, times: int) -> None:
    """The next ``times`` calls of ``operation`` in ``account`` answer a throttling error (then it answers again)."""
    _THROTTLED[(account, service, operation)] = times


def reset() -> None:
    """Forget denials, throttling and enabled regions (the fixture calls it after each test)."""
    _DENIED.clear()
    _THROTTLED.clear()
    _ENABLED_REGIONS.clear()


# ------------------------------------------------------------ an estate to audit

AUDIT_ROLE = "AgentgovAudit"
MANAGEMENT = "123456789012"  # moto's default account: the Organization's management account


def trust(principal: dict[str, Any], external_id: str | None = None) -> str:
    st: dict[str, Any] = {"Effect": "Allow", "Principal": principal, "Action": "sts:AssumeRole"}
    if external_id:
        st["Condition"] = {"StringEquals": {"sts:ExternalId": external_id}}
    return json.dumps({"Version": "2012-10-17", "Statement": [st]})


def session_in(account: str) -> Any:
    """A boto3 session in ``account`` (through the OrganizationAccountAccessRole moto creates)."""
    import boto3

    if account == MANAGEMENT:
        return boto3.session.Session(region_name="us-east-1")
    creds = boto3.client("sts", region_name="us-east-1").assume_role(
        RoleArn=f"arn:aws:iam::{account}:role/OrganizationAccountAccessRole", RoleSessionName="agentgov-test-setup"
    )["Credentials"]
    return boto3.session.Session(
        aws_access_key_id=creds["AccessKeyId"],
        aws_secret_access_key=creds["SecretAccessKey"],
        aws_session_token=creds["SessionToken"],
        region_name="us-east-1",
    )


def organization(members: int, audit_role: bool | list[bool] = True, external_id: str | None = None) -> list[str]:
    """An Organization with ``members`` member accounts; the audit role in those ``audit_role`` says."""
    import boto3

    org = boto3.client("organizations", region_name="us-east-1")
    org.create_organization(FeatureSet="ALL")
    accounts = []
    for i in range(members):
        accounts.append(org.create_account(Email=f"member{i}@example.com", AccountName=f"member{i}")["CreateAccountStatus"]["AccountId"])
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
) -> dict[str, str]:
    """An agent as a team deploys it: roles, an action-group function Bedrock may invoke, a guardrail, an alias.

    ``alias_version`` "DRAFT" routes the alias to the draft; None publishes a version (no routing given).
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
        PolicyDocument=json.dumps({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": actions, "Resource": resource}]}),
    )
    fn_role = iam.create_role(
        RoleName=f"{name}-function-role",
        AssumeRolePolicyDocument=trust({"Service": "lambda.amazonaws.com"}),
        Tags=[{"Key": k, "Value": v} for k, v in tags.items()],
    )["Role"]["Arn"]
    iam.put_role_policy(
        RoleName=f"{name}-function-role",
        PolicyName="orders-table",
        PolicyDocument=json.dumps({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": ["dynamodb:GetItem"],
                                   "Resource": f"arn:aws:dynamodb:{region}:{account}:table/orders"}]}),
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
        FunctionName=f"{name}-actions", Runtime="python3.12", Role=fn_role, Handler="index.handler", Code={"ZipFile": _zip()},
        Timeout=30, Environment={"Variables": env}, Tags=tags, **kwargs,
    )["FunctionArn"]
    ab = session.client("bedrock-agent", region_name=region)
    agent_kwargs: dict[str, Any] = {}
    out: dict[str, str] = {"agent_role": agent_role, "function_role": fn_role, "function": fn}
    if guardrail:
        br = session.client("bedrock", region_name=region)
        g = br.create_guardrail(
            name=f"{name}-guardrail", blockedInputMessaging="Sorry.", blockedOutputsMessaging="Sorry.",
            contentPolicyConfig={"filtersConfig": [{"type": "PROMPT_ATTACK", "inputStrength": "HIGH", "outputStrength": "NONE"}]},
            tags=[{"key": k, "value": v} for k, v in tags.items()],
        )
        version = br.create_guardrail_version(guardrailIdentifier=g["guardrailId"])["version"]
        agent_kwargs["guardrailConfiguration"] = {"guardrailIdentifier": g["guardrailArn"], "guardrailVersion": version}
        out["guardrail"] = g["guardrailArn"]
    agent = ab.create_agent(
        agentName=name, agentResourceRoleArn=agent_role, foundationModel="anthropic.claude-3-haiku-20240307-v1:0",
        instruction="You help customers look up, change and cancel their orders.", idleSessionTTLInSeconds=600, tags=tags,
        **agent_kwargs,
    )["agent"]
    out["agent"] = agent["agentArn"]
    ab.create_agent_action_group(
        agentId=agent["agentId"], agentVersion="DRAFT", actionGroupName="orders", actionGroupExecutor={"lambda": fn},
        functionSchema={"functions": [{"name": "get_order", "description": "Look up an order",
                                       "parameters": {"order_id": {"type": "string", "required": True}}}]},
    )
    lam.add_permission(FunctionName=fn, StatementId="bedrock", Action="lambda:InvokeFunction", Principal="bedrock.amazonaws.com",
                       SourceArn=agent["agentArn"])
    alias_kwargs: dict[str, Any] = {}
    if alias_version:
        alias_kwargs["routingConfiguration"] = [{"agentVersion": alias_version}]
    alias = ab.create_agent_alias(agentId=agent["agentId"], agentAliasName="live", tags=tags, **alias_kwargs)["agentAlias"]
    out["alias"] = alias["agentAliasArn"]
    return out


def deploy_agentcore(session: Any, region: str, name: str, *, tags: dict[str, str] | None = None, targets: int = 2) -> dict[str, str]:
    """An AgentCore runtime (its own role), a gateway with Lambda targets, and a memory."""
    tags = dict(TAGS if tags is None else tags)
    iam = session.client("iam")
    role = iam.create_role(
        RoleName=f"{name}-runtime-role", AssumeRolePolicyDocument=trust({"Service": "bedrock-agentcore.amazonaws.com"}),
        Tags=[{"Key": k, "Value": v} for k, v in tags.items()],
    )["Role"]["Arn"]
    iam.put_role_policy(RoleName=f"{name}-runtime-role", PolicyName="runtime", PolicyDocument=json.dumps(
        {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": "*"}]}))
    c = session.client("bedrock-agentcore-control", region_name=region)
    account = session.client("sts").get_caller_identity()["Account"]
    rt = c.create_agent_runtime(
        agentRuntimeName=name.replace("-", "_"), roleArn=role, networkConfiguration={"networkMode": "PUBLIC"},
        agentRuntimeArtifact={"containerConfiguration": {"containerUri": f"{account}.dkr.ecr.{region}.amazonaws.com/{name}:1"}},
        environmentVariables={"LOG_LEVEL": "info"}, tags=tags,
    )
    gw = c.create_gateway(name=f"{name}-gw", roleArn=role, protocolType="MCP", authorizerType="NONE", tags=tags)
    for i in range(targets):
        c.create_gateway_target(gatewayIdentifier=gw["gatewayId"], name=f"{name}-t{i}", targetConfiguration={"mcp": {"lambda": {
            "lambdaArn": f"arn:aws:lambda:{region}:{account}:function:{name}-tool{i}", "toolSchema": {"inlinePayload": []}}}})
    mem = c.create_memory(name=f"{name}_memory", eventExpiryDuration=30, memoryExecutionRoleArn=role, tags=tags)
    return {"runtime": rt["agentRuntimeArn"], "gateway": gw["gatewayArn"], "memory": mem["memory"]["arn"], "role": role}


def deploy_controls(session: Any, region: str, name: str) -> dict[str, str]:
    """What surrounds agents in an account: PrivateLink endpoints, a trail, an alarm, a table, buckets (one with Object Lock)."""
    account = session.client("sts").get_caller_identity()["Account"]
    ec2 = session.client("ec2", region_name=region)
    vpc = ec2.create_vpc(CidrBlock="10.1.0.0/16")["Vpc"]["VpcId"]
    for svc in ("bedrock-runtime", "bedrock-agent-runtime"):
        ec2.create_vpc_endpoint(VpcId=vpc, ServiceName=f"com.amazonaws.{region}.{svc}", VpcEndpointType="Interface",
                                TagSpecifications=[{"ResourceType": "vpc-endpoint", "Tags": [{"Key": "owner", "Value": name}]}])
    s3 = session.client("s3", region_name=region)
    where = {} if region == "us-east-1" else {"CreateBucketConfiguration": {"LocationConstraint": region}}
    logs = f"{name}-{account}-{region}-trail"
    s3.create_bucket(Bucket=logs, **where)
    evidence = f"{name}-{account}-{region}-evidence"
    s3.create_bucket(Bucket=evidence, ObjectLockEnabledForBucket=True, **where)
    s3.put_object_lock_configuration(Bucket=evidence, ObjectLockConfiguration={
        "ObjectLockEnabled": "Enabled", "Rule": {"DefaultRetention": {"Mode": "COMPLIANCE", "Days": 365}}})
    s3.put_public_access_block(Bucket=evidence, PublicAccessBlockConfiguration={
        "BlockPublicAcls": True, "IgnorePublicAcls": True, "BlockPublicPolicy": True, "RestrictPublicBuckets": True})
    s3.put_bucket_tagging(Bucket=evidence, Tagging={"TagSet": [{"Key": "owner", "Value": name}]})
    ct = session.client("cloudtrail", region_name=region)
    trail = ct.create_trail(Name=f"{name}-trail", S3BucketName=logs, IsMultiRegionTrail=False, EnableLogFileValidation=True,
                            TagsList=[{"Key": "owner", "Value": name}])["TrailARN"]
    ct.start_logging(Name=f"{name}-trail")  # (moto accepts only the name here; AWS either)
    cw = session.client("cloudwatch", region_name=region)
    cw.put_metric_alarm(AlarmName=f"{name}-guardrail-interventions", MetricName="InvocationsIntervened", Namespace="AWS/Bedrock/Guardrails",
                        Statistic="Sum", Period=300, EvaluationPeriods=1, Threshold=10, ComparisonOperator="GreaterThanThreshold",
                        Tags=[{"Key": "owner", "Value": name}])
    ddb = session.client("dynamodb", region_name=region)
    table = ddb.create_table(TableName=f"{name}-sessions", BillingMode="PAY_PER_REQUEST",
                             AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}],
                             KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}], Tags=[{"Key": "owner", "Value": name}])
    ddb.update_continuous_backups(TableName=f"{name}-sessions",
                                  PointInTimeRecoverySpecification={"PointInTimeRecoveryEnabled": True})
    kms = session.client("kms", region_name=region)
    key = kms.create_key(Description=f"{name} sessions", Tags=[{"TagKey": "owner", "TagValue": name},
                                                               {"TagKey": "purpose", "TagValue": "sessions"}])["KeyMetadata"]["Arn"]
    kms.enable_key_rotation(KeyId=key)
    sm = session.client("secretsmanager", region_name=region)
    secret = sm.create_secret(Name=f"{name}/payments-api-key", SecretString="never-read-by-agentgov", KmsKeyId=key,
                              Tags=[{"Key": "owner", "Value": name}])["ARN"]
    return {"trail": trail, "table": table["TableDescription"]["TableArn"], "evidence_bucket": evidence, "log_bucket": logs,
            "key": key, "secret": secret}
