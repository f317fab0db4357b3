"""The AgentCore control-plane resources moto 5.2 lacks: code interpreters, browsers, policy engines and their policies.

Kept on moto's own ``bedrock-agentcore-control`` backend (per account and
region) next to its runtimes and gateways, with tags in moto's tagging
service for that backend (so ``TagResource`` / ``ListTagsForResource`` answer
them as they answer a gateway), ids and ARNs in the forms of the service
model's patterns (``name-0123456789``, ``code-interpreter-custom/<id>``,
``policy-engine/<id>/policy/<id>``). The list calls answer in pages of
``maxResults`` (``nextToken`` is an offset), as the other AgentCore lists do
here. ``ListCodeInterpreters`` / ``ListBrowsers`` also answer the AWS-managed
(``SYSTEM``) tool unless ``type`` is ``CUSTOM``. A policy engine in use by a
gateway cannot be deleted.
"""

from __future__ import annotations

import json
import random
import string
from typing import Any

from agentgov.demo.awsmock._common import _LOCK, NotFound, Refused, _now, _page

_SYSTEM = {"code_interpreter": "aws.codeinterpreter.v1", "browser": "aws.browser.v1"}


class ToolState:
    def __init__(self) -> None:
        self.code_interpreters: dict[str, dict[str, Any]] = {}
        self.browsers: dict[str, dict[str, Any]] = {}
        self.policy_engines: dict[str, dict[str, Any]] = {}
        self.policies: dict[str, dict[str, dict[str, Any]]] = {}  # policy engine id -> policy id -> record
        self.resource_policies: dict[str, str] = {}  # runtime, endpoint or gateway ARN -> policy document


def _core(resp: Any) -> tuple[Any, ToolState]:
    backend = resp.backend
    with _LOCK:
        st = backend.__dict__.get("_agentgov_tools")
        if st is None:
            st = backend.__dict__["_agentgov_tools"] = ToolState()
    return backend, st


def _suffix() -> str:
    return "".join(random.choices(string.ascii_letters + string.digits, k=10))


def _arn(resp: Any, path: str) -> str:
    return f"arn:aws:bedrock-agentcore:{resp.region}:{resp.current_account}:{path}"


def _tag(backend: Any, arn: str, tags: dict[str, str] | None) -> None:
    if tags:
        backend.tag_resource(arn, tags)


def _network(p: dict[str, Any], modes: tuple[str, ...]) -> dict[str, Any]:
    net = p["networkConfiguration"]
    if net.get("networkMode") not in modes:
        raise Refused(f"networkMode must be one of {', '.join(modes)}")
    if net["networkMode"] == "VPC" and not (net.get("vpcConfig") or {}).get("subnets"):
        raise Refused("networkMode VPC needs vpcConfig with subnets and securityGroups")
    return net


_COMMON = ("description", "executionRoleArn", "certificates")


def _create_code_interpreter(self: Any, p: dict[str, Any]) -> dict[str, Any]:
    backend, st = _core(self)
    if any(c["name"] == p["name"] for c in st.code_interpreters.values()):
        raise Refused(f"A code interpreter named {p['name']} already exists", "ConflictException")
    cid = f"{p['name']}-{_suffix()}"
    rec = {
        "codeInterpreterId": cid,
        "codeInterpreterArn": _arn(self, f"code-interpreter-custom/{cid}"),
        "name": p["name"],
        "networkConfiguration": _network(p, ("PUBLIC", "SANDBOX", "VPC")),
        "status": "READY",
        "createdAt": _now(),
        "lastUpdatedAt": _now(),
        **{k: p[k] for k in _COMMON if k in p},
    }
    st.code_interpreters[cid] = rec
    _tag(backend, rec["codeInterpreterArn"], p.get("tags"))
    return {k: rec[k] for k in ("codeInterpreterId", "codeInterpreterArn", "createdAt")} | {"status": "CREATING"}


def _get_code_interpreter(self: Any, p: dict[str, Any]) -> dict[str, Any]:
    _, st = _core(self)
    if p["codeInterpreterId"] not in st.code_interpreters:
        raise NotFound(f"Code interpreter {p['codeInterpreterId']} not found")
    return st.code_interpreters[p["codeInterpreterId"]]


def _summaries(
    self: Any, p: dict[str, Any], kind: str, records: dict[str, dict[str, Any]], idk: str, arnk: str
) -> list[dict[str, Any]]:
    keys = (idk, arnk, "name", "description", "status", "createdAt", "lastUpdatedAt")
    out = []
    if p.get("type") in (None, "SYSTEM"):
        sid = _SYSTEM[kind]
        out.append(
            {
                idk: sid,
                arnk: f"arn:aws:bedrock-agentcore:{self.region}:aws:{kind.replace('_', '-')}/{sid}",
                "name": sid,
                "status": "READY",
                "createdAt": _now(),
            }
        )
    if p.get("type") in (None, "CUSTOM"):
        out.extend({k: r[k] for k in keys if k in r} for r in records.values())
    return out


def _list_code_interpreters(self: Any, p: dict[str, Any]) -> dict[str, Any]:
    _, st = _core(self)
    return _page(
        _summaries(self, p, "code_interpreter", st.code_interpreters, "codeInterpreterId", "codeInterpreterArn"),
        p,
        "codeInterpreterSummaries",
    )


def _delete_code_interpreter(self: Any, p: dict[str, Any]) -> dict[str, Any]:
    rec = _get_code_interpreter(self, p)
    _, st = _core(self)
    del st.code_interpreters[rec["codeInterpreterId"]]
    return {"codeInterpreterId": rec["codeInterpreterId"], "status": "DELETING", "lastUpdatedAt": _now()}


def _create_browser(self: Any, p: dict[str, Any]) -> dict[str, Any]:
    backend, st = _core(self)
    if any(b["name"] == p["name"] for b in st.browsers.values()):
        raise Refused(f"A browser named {p['name']} already exists", "ConflictException")
    recording = p.get("recording")
    if recording and recording.get("enabled") and not recording.get("s3Location"):
        raise Refused("recording needs an s3Location when enabled")
    bid = f"{p['name']}-{_suffix()}"
    rec = {
        "browserId": bid,
        "browserArn": _arn(self, f"browser-custom/{bid}"),
        "name": p["name"],
        "networkConfiguration": _network(p, ("PUBLIC", "VPC")),
        "status": "READY",
        "createdAt": _now(),
        "lastUpdatedAt": _now(),
        **{k: p[k] for k in (*_COMMON, "recording", "browserSigning", "enterprisePolicies") if k in p},
    }
    st.browsers[bid] = rec
    _tag(backend, rec["browserArn"], p.get("tags"))
    return {k: rec[k] for k in ("browserId", "browserArn", "createdAt")} | {"status": "CREATING"}


def _get_browser(self: Any, p: dict[str, Any]) -> dict[str, Any]:
    _, st = _core(self)
    if p["browserId"] not in st.browsers:
        raise NotFound(f"Browser {p['browserId']} not found")
    return st.browsers[p["browserId"]]


def _list_browsers(self: Any, p: dict[str, Any]) -> dict[str, Any]:
    _, st = _core(self)
    return _page(_summaries(self, p, "browser", st.browsers, "browserId", "browserArn"), p, "browserSummaries")


def _delete_browser(self: Any, p: dict[str, Any]) -> dict[str, Any]:
    rec = _get_browser(self, p)
    _, st = _core(self)
    del st.browsers[rec["browserId"]]
    return {"browserId": rec["browserId"], "status": "DELETING", "lastUpdatedAt": _now()}


def _create_policy_engine(self: Any, p: dict[str, Any]) -> dict[str, Any]:
    backend, st = _core(self)
    if any(e["name"] == p["name"] for e in st.policy_engines.values()):
        raise Refused(f"A policy engine named {p['name']} already exists", "ConflictException")
    pid = f"{p['name']}-{_suffix()}"
    rec: dict[str, Any] = {
        "policyEngineId": pid,
        "name": p["name"],
        "createdAt": _now(),
        "updatedAt": _now(),
        "policyEngineArn": _arn(self, f"policy-engine/{pid}"),
        "status": "ACTIVE",
        "statusReasons": [],
        **{k: p[k] for k in ("description", "encryptionKeyArn") if k in p},
    }
    st.policy_engines[pid] = rec
    st.policies[pid] = {}
    _tag(backend, rec["policyEngineArn"], p.get("tags"))
    return rec


def _engine(self: Any, engine_id: str) -> dict[str, Any]:
    _, st = _core(self)
    if engine_id not in st.policy_engines:
        raise NotFound(f"Policy engine {engine_id} not found")
    return st.policy_engines[engine_id]


def _get_policy_engine(self: Any, p: dict[str, Any]) -> dict[str, Any]:
    return _engine(self, p["policyEngineId"])


def _list_policy_engines(self: Any, p: dict[str, Any]) -> dict[str, Any]:
    _, st = _core(self)
    return _page(list(st.policy_engines.values()), p, "policyEngines")


def _delete_policy_engine(self: Any, p: dict[str, Any]) -> dict[str, Any]:
    rec = _engine(self, p["policyEngineId"])
    backend, st = _core(self)
    for gw in backend.gateways.values():
        if (gw.policy_engine_configuration or {}).get("arn") == rec["policyEngineArn"]:
            raise Refused(f"Policy engine {rec['policyEngineId']} is in use by gateway {gw.gateway_id}", "ConflictException")
    del st.policy_engines[rec["policyEngineId"]]
    st.policies.pop(rec["policyEngineId"], None)
    return {**rec, "status": "DELETING"}


def _create_policy(self: Any, p: dict[str, Any]) -> dict[str, Any]:
    engine = _engine(self, p["policyEngineId"])
    _, st = _core(self)
    if not (p["definition"].get("cedar") or {}).get("statement"):
        raise Refused("definition.cedar.statement is required here (policy generation is not modelled)")
    pid = f"{p['name']}-{_suffix()}"
    rec = {
        "policyId": pid,
        "name": p["name"],
        "policyEngineId": engine["policyEngineId"],
        "createdAt": _now(),
        "updatedAt": _now(),
        "policyArn": f"{engine['policyEngineArn']}/policy/{pid}",
        "status": "ACTIVE",
        "definition": p["definition"],
        "statusReasons": [],
        **({"description": p["description"]} if "description" in p else {}),
    }
    st.policies[engine["policyEngineId"]][pid] = rec
    return rec


def _list_policies(self: Any, p: dict[str, Any]) -> dict[str, Any]:
    engine = _engine(self, p["policyEngineId"])
    _, st = _core(self)
    return _page(list(st.policies[engine["policyEngineId"]].values()), p, "policies")


def _get_policy(self: Any, p: dict[str, Any]) -> dict[str, Any]:
    engine = _engine(self, p["policyEngineId"])
    _, st = _core(self)
    policy = st.policies[engine["policyEngineId"]].get(p["policyId"])
    if policy is None:
        raise NotFound(f"Policy {p['policyId']} not found")
    return policy


def _known_arn(backend: Any, arn: str) -> bool:
    """A runtime (its ARN with or without the version), one of its endpoints, or a gateway of the backend."""
    known = [r.agent_runtime_arn for r in backend.agent_runtimes.values()]
    known += [e.agent_runtime_endpoint_arn for e in backend.agent_runtime_endpoints.values()]
    known += [g.gateway_arn for g in backend.gateways.values()]
    return any(arn == a or (":agent/" in a and arn == a.rsplit(":", 1)[0]) for a in known)


def _put_resource_policy(self: Any, p: dict[str, Any]) -> dict[str, Any]:
    """Runtimes, their endpoints and gateways only (the operation's documented scope); the document must be JSON."""
    backend, st = _core(self)
    if not _known_arn(backend, p["resourceArn"]):
        raise NotFound(f"Resource {p['resourceArn']} not found")
    try:
        json.loads(p["policy"])
    except ValueError:
        raise Refused("policy is not valid JSON") from None
    st.resource_policies[p["resourceArn"]] = p["policy"]
    return {"policy": p["policy"]}


def _get_resource_policy(self: Any, p: dict[str, Any]) -> dict[str, Any]:
    _, st = _core(self)
    if p["resourceArn"] not in st.resource_policies:
        raise NotFound(f"No resource policy found for {p['resourceArn']}")
    return {"policy": st.resource_policies[p["resourceArn"]]}


def _delete_resource_policy(self: Any, p: dict[str, Any]) -> dict[str, Any]:
    _, st = _core(self)
    if st.resource_policies.pop(p["resourceArn"], None) is None:
        raise NotFound(f"No resource policy found for {p['resourceArn']}")
    return {}


OPERATIONS = (
    ("CreateCodeInterpreter", _create_code_interpreter),
    ("GetCodeInterpreter", _get_code_interpreter),
    ("ListCodeInterpreters", _list_code_interpreters),
    ("DeleteCodeInterpreter", _delete_code_interpreter),
    ("CreateBrowser", _create_browser),
    ("GetBrowser", _get_browser),
    ("ListBrowsers", _list_browsers),
    ("DeleteBrowser", _delete_browser),
    ("CreatePolicyEngine", _create_policy_engine),
    ("GetPolicyEngine", _get_policy_engine),
    ("ListPolicyEngines", _list_policy_engines),
    ("DeletePolicyEngine", _delete_policy_engine),
    ("CreatePolicy", _create_policy),
    ("ListPolicies", _list_policies),
    ("GetPolicy", _get_policy),
    ("PutResourcePolicy", _put_resource_policy),
    ("GetResourcePolicy", _get_resource_policy),
    ("DeleteResourcePolicy", _delete_resource_policy),
)
