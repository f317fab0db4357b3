"""OCSF Detection Finding output (Open Cybersecurity Schema Framework 1.6.0), for SIEMs, data lakes and Security Hub.

One OCSF Detection Finding (class_uid 2004, category 2 Findings) per agentgov
finding, of a scan or a live audit, as one JSON array. The ``cloud`` and
``datetime`` profiles are applied (``metadata.profiles``). 1.6 is the OCSF
version AWS Security Hub reads.

  finding_info.uid      the stable fingerprint (``uid_alt``: the ASFF finding Id)
  finding_info.analytic the policy (type Rule, uid = policy id)
  status_code           agentgov's verdict: PASS, FAIL, UNKNOWN, ERROR, SUPPRESSED
  status_id             FAIL / UNKNOWN / ERROR -> New (1), PASS -> Resolved (4),
                        SUPPRESSED (a waiver or an inline suppression) -> Suppressed (3)
  severity_id           the policy's severity (Informational for a PASS, as in ASFF)

Detection Finding has no ``compliance`` object (that is the Compliance Finding
class): the framework controls of ``policies/frameworks.yaml`` go to
``unmapped.compliance``, and what else has no OCSF attribute (resource kind,
file and line, evidence, waiver, baseline state) to ``unmapped.agentgov``.

Validated in tests against the Detection Finding JSON Schema generated from
the OCSF 1.6.0 schema export (``ocsf-json-schema``).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from enum import Enum
from typing import Any

from agentgov.scanner import __version__
from agentgov.scanner.findings import Finding, Status

OCSF_VERSION = "1.6.0"
PROFILES = ["cloud", "datetime"]
CLASS_UID, CATEGORY_UID = 2004, 2
ACTIVITY_CREATE = 1  # every finding is reported as observed by this run (agentgov keeps no state between runs)

_SEVERITY = {
    "info": (1, "Informational"),
    "low": (2, "Low"),
    "medium": (3, "Medium"),
    "high": (4, "High"),
    "critical": (5, "Critical"),
}
_STATUS = {Status.FAIL: (1, "New"), Status.UNKNOWN: (1, "New"), Status.ERROR: (1, "New"),
           Status.PASS: (4, "Resolved"), Status.SUPPRESSED: (3, "Suppressed")}  # fmt: skip
_TYPES = ["Software and Configuration Checks/AWS Security Best Practices"]


def _default(o: Any) -> Any:
    if isinstance(o, Enum):
        return o.value
    return str(o)  # a symbolic value in evidence (Unknown, Ref, Expr): its text


def _plain(value: Any) -> Any:
    """JSON-safe copy (evidence may hold symbolic values), as the JSON report writes it."""
    return json.loads(json.dumps(value, default=_default))


def _partition(arn: str | None) -> str | None:
    if arn and arn.startswith("arn:"):
        p = arn.split(":", 2)[1]
        if p in ("aws", "aws-cn", "aws-us-gov"):
            return p
    return None


def _iso(ms: int) -> str:
    return dt.datetime.fromtimestamp(ms / 1000, dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"


def compliance(pid: str, frameworks: dict[str, Any]) -> dict[str, list[dict[str, str]]]:
    """framework id -> the controls policy ``pid`` gives evidence toward (``policies/frameworks.yaml``)."""
    out: dict[str, list[dict[str, str]]] = {}
    for fid, fw in (frameworks or {}).items():
        for cid, ctl in fw["controls"].items():
            if pid in ctl["policies"]:
                out.setdefault(fid, []).append({"control": cid, "title": ctl["title"], "framework": fw["title"]})
    return out


def finding(f: Finding, now_ms: int, policies: dict[str, Any], frameworks: dict[str, Any]) -> dict[str, Any]:
    policy = policies.get(f.policy_id)
    sev_id, sev = _SEVERITY[f.severity.value] if f.status != Status.PASS else _SEVERITY["info"]
    status_id, status = _STATUS[f.status]
    stamp = _iso(now_ms)
    info: dict[str, Any] = {
        "uid": f.fingerprint,
        "uid_alt": f"agentgov/{f.policy_id}/{f.fingerprint}",
        "title": f"{f.policy_id}: {f.title}",
        "types": list(_TYPES),
        "analytic": {"uid": f.policy_id, "name": f.title, "type_id": 1, "type": "Rule"},
        "created_time": now_ms,
        "created_time_dt": stamp,
        "first_seen_time": now_ms,
        "first_seen_time_dt": stamp,
        "last_seen_time": now_ms,
        "last_seen_time_dt": stamp,
        "product": {"name": "agentgov", "uid": "agentgov", "vendor_name": "agentgov", "version": __version__},
    }
    if policy is not None and policy.rationale:
        info["desc"] = policy.rationale
    resource: dict[str, Any] = {
        "uid": f.resource_id,
        "type": f.resource_type,
        "data": {"kind": f.resource_kind},
    }
    if f.resource_name:
        resource["name"] = f.resource_name
    if f.region:
        resource["region"] = f.region
    partition = _partition(f.resource_id)
    if partition:
        resource["cloud_partition"] = partition
    cloud: dict[str, Any] = {"provider": "AWS"}
    if f.account:
        cloud["account"] = {"uid": f.account, "type_id": 10, "type": "AWS Account"}
    if f.region:
        cloud["region"] = f.region
    if partition:
        cloud["cloud_partition"] = partition
    agentgov: dict[str, Any] = {
        "status": f.status.value,
        "policy_id": f.policy_id,
        "resource_kind": f.resource_kind,
        "location": {
            k: v
            for k, v in (("file", f.location.file), ("line", f.location.line), ("column", f.location.column))
            if v is not None
        },
    }
    if f.evidence:
        agentgov["evidence"] = _plain(f.evidence)
    if f.suppression:
        agentgov["suppression"] = _plain(f.suppression)
    if f.baseline_state:
        agentgov["baseline_state"] = f.baseline_state
    unmapped: dict[str, Any] = {"agentgov": agentgov}
    controls = compliance(f.policy_id, frameworks)
    if controls:
        unmapped["compliance"] = controls
    out: dict[str, Any] = {
        "class_uid": CLASS_UID,
        "class_name": "Detection Finding",
        "category_uid": CATEGORY_UID,
        "category_name": "Findings",
        "activity_id": ACTIVITY_CREATE,
        "activity_name": "Create",
        "type_uid": CLASS_UID * 100 + ACTIVITY_CREATE,
        "type_name": "Detection Finding: Create",
        "time": now_ms,
        "time_dt": stamp,
        "severity_id": sev_id,
        "severity": sev,
        "status_id": status_id,
        "status": status,
        "status_code": f.status.value,
        "status_detail": f.message,
        "message": f.message,
        "finding_info": info,
        "resources": [resource],
        "cloud": cloud,
        "metadata": {
            "version": OCSF_VERSION,
            "product": {"name": "agentgov", "uid": "agentgov", "vendor_name": "agentgov", "version": __version__},
            "profiles": list(PROFILES),
            "event_code": f.policy_id,
            "uid": f.fingerprint,
        },
        "unmapped": unmapped,
    }
    remediation = (policy.remediation.summary if policy is not None else None) or f.remediation
    if remediation:
        out["remediation"] = {"desc": remediation}
        if policy is not None and policy.references:
            out["remediation"]["references"] = list(policy.references)
    if f.status == Status.SUPPRESSED and f.suppression:
        s = f.suppression
        out["comment"] = f"{s.get('reason')} (owner {s.get('owner', '-')}, expires {s.get('expires', '-')})"[:512]
    return out


def _frameworks() -> dict[str, Any]:
    from agentgov.scanner.pack import load_pack

    return load_pack().frameworks


def build(result: Any, include_pass: bool = True, now: dt.datetime | None = None,
          frameworks: dict[str, Any] | None = None) -> list[dict[str, Any]]:  # fmt: skip
    """The OCSF Detection Findings of ``result`` (a scan's or an audit's), in its order."""
    moment = now or dt.datetime.now(dt.UTC)
    now_ms = int(moment.timestamp() * 1000)
    policies = {p.id: p for p in result.policies}
    fws = _frameworks() if frameworks is None else frameworks
    return list(_findings(result, include_pass, now_ms, policies, fws))


def _findings(
    result: Any, include_pass: bool, now_ms: int, policies: dict[str, Any], fws: dict[str, Any]
) -> Iterator[dict[str, Any]]:
    for f in result.iter_findings():  # an audit's are read back from its spool, one account at a time
        if include_pass or f.status != Status.PASS:
            yield finding(f, now_ms, policies, fws)


def chunks(result: Any, include_pass: bool = True) -> Iterator[str]:
    """``render`` piece by piece (findings written as they are read)."""
    from .streaming import Streamed, dumps

    now_ms = int(dt.datetime.now(dt.UTC).timestamp() * 1000)
    found = _findings(result, include_pass, now_ms, {p.id: p for p in result.policies}, _frameworks())
    yield from dumps(Streamed(found), indent=2, ensure_ascii=False)
    yield "\n"


def render(result: Any, include_pass: bool = True) -> str:
    return "".join(chunks(result, include_pass))
