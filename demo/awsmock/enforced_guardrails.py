"""Bedrock's account-level enforced guardrail configuration, which moto 5.2 lacks.

``PutEnforcedGuardrailConfiguration`` (create, or update with a ``configId``),
``ListEnforcedGuardrailsConfiguration`` and ``DeleteEnforcedGuardrailConfiguration``,
kept next to the guardrails on moto's own bedrock backend (per account and
region): a configuration can only name a guardrail (id or ARN) and a published
version that exist there, as Bedrock requires. The list answers in pages of
``PAGE`` configurations (the operation takes no page size: AWS chooses it).
"""

from __future__ import annotations

import uuid
from typing import Any

from agentgov.demo.awsmock._common import _LOCK, NotFound, Refused, _now
from agentgov.demo.awsmock.bedrock import _gr, _guardrail

PAGE = 10


class EnforcedState:
    def __init__(self) -> None:
        self.configs: dict[str, dict[str, Any]] = {}  # configId -> ListEnforcedGuardrailsConfiguration's item


def _st(resp: Any) -> EnforcedState:
    backend, _ = _gr(resp)
    return _state_of(backend)


def _state_of(backend: Any) -> EnforcedState:
    with _LOCK:
        st = backend.__dict__.get("_agentgov_enforced")
        if st is None:
            st = backend.__dict__["_agentgov_enforced"] = EnforcedState()
        return st


def _put(self: Any, p: dict[str, Any]) -> dict[str, Any]:
    cfg = p["guardrailInferenceConfig"]
    version = cfg.get("guardrailVersion")
    if not version or version == "DRAFT":
        raise Refused("guardrailVersion must be a published version of the guardrail")
    g = _guardrail(self, cfg["guardrailIdentifier"], version)  # NotFound when it does not exist
    st = _st(self)
    who = f"arn:aws:iam::{self.current_account}:root"
    config_id = p.get("configId")
    if config_id and config_id not in st.configs:
        raise NotFound(f"Enforced guardrail configuration {config_id} not found")
    config_id = config_id or uuid.uuid4().hex[:12]
    old = st.configs.get(config_id, {})
    rec: dict[str, Any] = {
        "configId": config_id,
        "guardrailArn": g["guardrailArn"],
        "guardrailId": g["guardrailId"],
        "guardrailVersion": version,
        "inputTags": "IGNORE",
        "createdAt": old.get("createdAt", _now()),
        "createdBy": old.get("createdBy", who),
        "updatedAt": _now(),
        "updatedBy": who,
        "owner": "ACCOUNT",
    }
    for key in ("selectiveContentGuarding", "modelEnforcement"):
        if cfg.get(key):
            rec[key] = cfg[key]
    st.configs[config_id] = rec
    return {"configId": config_id, "updatedAt": rec["updatedAt"], "updatedBy": who}


def _list(self: Any, p: dict[str, Any]) -> dict[str, Any]:
    items = list(_st(self).configs.values())
    start = int(p.get("nextToken") or 0)
    out: dict[str, Any] = {"guardrailsConfig": items[start : start + PAGE]}
    if start + PAGE < len(items):
        out["nextToken"] = str(start + PAGE)
    return out


def _delete(self: Any, p: dict[str, Any]) -> dict[str, Any]:
    st = _st(self)
    if p["configId"] not in st.configs:
        raise NotFound(f"Enforced guardrail configuration {p['configId']} not found")
    del st.configs[p["configId"]]
    return {}


OPERATIONS = (
    ("PutEnforcedGuardrailConfiguration", _put),
    ("ListEnforcedGuardrailsConfiguration", _list),
    ("DeleteEnforcedGuardrailConfiguration", _delete),
)
