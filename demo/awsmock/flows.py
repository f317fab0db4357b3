"""Bedrock Flows, which moto 5.2 lacks: ``CreateFlow``, ``UpdateFlow``, ``GetFlow``, ``ListFlows``,
``CreateFlowVersion``, ``ListFlowVersions`` and ``GetFlowVersion``, on moto's own bedrock-agent backend
(per account and region).

A flow's working draft is what ``GetFlow`` answers (``version`` ``DRAFT``); ``CreateFlowVersion`` publishes a
numbered version, a snapshot of the draft's definition and settings that later updates of the draft leave as
it was, as Bedrock does. ``ListFlowVersions`` answers the numbered versions (its ``FlowVersionSummary.version``
is a ``NumericalVersion``). A flow's tags (``CreateFlow``'s ``tags``) are kept by moto's tagger, so
``ListTagsForResource`` answers them (``flow_arns`` lists the flows for moto's ARN check).
"""

from __future__ import annotations

import copy
from typing import Any

from agentgov.demo.awsmock._common import _LOCK, NotFound, _id, _now, _page

#: what a flow record keeps from CreateFlow / UpdateFlow (their request members that GetFlow answers)
_SETTINGS = ("name", "description", "executionRoleArn", "customerEncryptionKeyArn", "definition")


class FlowState:
    def __init__(self) -> None:
        self.flows: dict[str, dict[str, Any]] = {}  # flow id -> GetFlow's answer (the draft)
        self.versions: dict[str, list[dict[str, Any]]] = {}  # flow id -> GetFlowVersion's answers


def _st(backend: Any) -> FlowState:
    with _LOCK:
        st = backend.__dict__.get("_agentgov_flows")
        if st is None:
            st = backend.__dict__["_agentgov_flows"] = FlowState()
        return st


def _backend(resp: Any) -> Any:
    return resp.bedrockagent_backend


def _flow(resp: Any, identifier: str) -> dict[str, Any]:
    """The draft of the flow ``identifier`` (its id or ARN)."""
    flow = _st(_backend(resp)).flows.get(identifier.rsplit("/", 1)[-1])
    if flow is None:
        raise NotFound(f"Flow {identifier} not found")
    return flow


def flow_arns(backend: Any) -> list[str]:
    return [f["arn"] for f in _st(backend).flows.values()]


def _create(self: Any, p: dict[str, Any]) -> dict[str, Any]:
    backend = _backend(self)
    flow_id = _id()
    rec: dict[str, Any] = {k: p[k] for k in _SETTINGS if k in p}
    rec.update(
        id=flow_id,
        arn=f"arn:aws:bedrock:{self.region}:{self.current_account}:flow/{flow_id}",
        status="NotPrepared",
        createdAt=_now(),
        updatedAt=_now(),
        version="DRAFT",
    )
    _st(backend).flows[flow_id] = rec
    if p.get("tags"):
        backend.tag_resource(rec["arn"], p["tags"])
    return copy.deepcopy(rec)


def _update(self: Any, p: dict[str, Any]) -> dict[str, Any]:
    rec = _flow(self, p["flowIdentifier"])
    for k in _SETTINGS:  # UpdateFlow replaces the flow's settings: what it leaves out is removed
        if k in p:
            rec[k] = p[k]
        elif k != "name" and k != "executionRoleArn":
            rec.pop(k, None)
    rec.update(status="NotPrepared", updatedAt=_now())
    return copy.deepcopy(rec)


def _get(self: Any, p: dict[str, Any]) -> dict[str, Any]:
    return copy.deepcopy(_flow(self, p["flowIdentifier"]))


def _list(self: Any, p: dict[str, Any]) -> dict[str, Any]:
    keys = ("name", "description", "id", "arn", "status", "createdAt", "updatedAt", "version")
    items = [{k: f[k] for k in keys if k in f} for f in _st(_backend(self)).flows.values()]
    return _page(items, p, "flowSummaries")


def _create_version(self: Any, p: dict[str, Any]) -> dict[str, Any]:
    draft = _flow(self, p["flowIdentifier"])
    versions = _st(_backend(self)).versions.setdefault(draft["id"], [])
    rec = {k: copy.deepcopy(draft[k]) for k in (*_SETTINGS, "id", "arn") if k in draft}
    rec.update(status="Prepared", createdAt=_now(), version=str(len(versions) + 1))
    if p.get("description"):
        rec["description"] = p["description"]
    versions.append(rec)
    return copy.deepcopy(rec)


def _versions(self: Any, identifier: str) -> list[dict[str, Any]]:
    return _st(_backend(self)).versions.get(_flow(self, identifier)["id"], [])


def _list_versions(self: Any, p: dict[str, Any]) -> dict[str, Any]:
    keys = ("id", "arn", "status", "createdAt", "version")
    return _page([{k: v[k] for k in keys} for v in _versions(self, p["flowIdentifier"])], p, "flowVersionSummaries")


def _get_version(self: Any, p: dict[str, Any]) -> dict[str, Any]:
    for v in _versions(self, p["flowIdentifier"]):
        if v["version"] == p["flowVersion"]:
            return copy.deepcopy(v)
    raise NotFound(f"Version {p['flowVersion']} of flow {p['flowIdentifier']} not found")


OPERATIONS = (
    ("CreateFlow", _create),
    ("UpdateFlow", _update),
    ("GetFlow", _get),
    ("ListFlows", _list),
    ("CreateFlowVersion", _create_version),
    ("ListFlowVersions", _list_versions),
    ("GetFlowVersion", _get_version),
)
