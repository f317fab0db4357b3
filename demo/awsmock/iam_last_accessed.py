"""IAM service last accessed: GenerateServiceLastAccessedDetails and GetServiceLastAccessedDetails, which moto 5.2
lacks, answered as botocore's iam model shapes them (a JobId; then JobStatus, JobType, JobCreationDate,
JobCompletionDate, ServicesLastAccessed[] with ServiceName, ServiceNamespace, TotalAuthenticatedEntities and, for a
service the entity used, LastAuthenticated, LastAuthenticatedEntity, LastAuthenticatedRegion; pages by Marker with
IsTruncated and MaxItems; an unknown entity or job is NoSuchEntity).

The services listed are those the role's or user's inline and attached policies allow (the service part of each
Allow's Action; ``*``, a wildcard service or NotAction stand for every namespace of ``NAMESPACES``, this mock's
simplification). Which it used, and when, is what ``record_access`` says; a job answers COMPLETED at once unless
``job_status`` scripts another status for the account (IN_PROGRESS: never done; FAILED: with an error).
"""

from __future__ import annotations

import fnmatch
import json
import uuid
from datetime import datetime
from typing import Any
from urllib.parse import unquote

from agentgov.demo.awsmock._common import _LOCK, NotFound, Refused, _now, _page

#: service namespace -> the ServiceName IAM answers for it
NAMESPACES = {
    "bedrock": "Amazon Bedrock",
    "bedrock-agentcore": "Amazon Bedrock AgentCore",
    "dynamodb": "Amazon DynamoDB",
    "iam": "AWS Identity and Access Management",
    "kms": "AWS Key Management Service",
    "lambda": "AWS Lambda",
    "logs": "Amazon CloudWatch Logs",
    "s3": "Amazon S3",
    "secretsmanager": "AWS Secrets Manager",
    "sts": "AWS Security Token Service",
}


class LastAccessState:
    def __init__(self) -> None:
        self.jobs: dict[str, dict[str, Any]] = {}  # JobId -> {"arn", "granularity", "created"}
        self.access: dict[tuple[str, str], tuple[datetime, str]] = {}  # (entity ARN, namespace) -> (when, region)
        self.status: tuple[str, dict[str, str] | None] | None = None  # scripted (JobStatus, Error)


def _st(backend: Any) -> LastAccessState:
    """This module's state on an IAM backend (``_common._state`` keeps one object per backend: the credentials')."""
    with _LOCK:
        st = backend.__dict__.get("_agentgov_last_accessed")
        if st is None:
            st = backend.__dict__["_agentgov_last_accessed"] = LastAccessState()
        return st


def _iam_backend(account: str) -> Any:
    from moto.iam.models import iam_backends

    return iam_backends[account]["aws"]


def record_access(account: str, arn: str, namespace: str, when: datetime, region: str = "us-east-1") -> None:
    """The role or user ``arn`` last used ``namespace`` at ``when`` (what IAM's tracking would have seen)."""
    with _LOCK:
        _st(_iam_backend(account)).access[(arn, namespace)] = (when, region)


def job_status(account: str, status: str | None, error: dict[str, str] | None = None) -> None:
    """Every job of ``account`` answers ``status`` (IN_PROGRESS, FAILED) from now on; None: COMPLETED again."""
    with _LOCK:
        _st(_iam_backend(account)).status = (status, error) if status else None


def _entity(backend: Any, arn: str) -> Any:
    for role in backend.roles.values():
        if role.arn == arn:
            return role
    for user in backend.users.values():
        if user.arn == arn:
            return user
    raise NotFound(f"The entity {arn} cannot be found.", "NoSuchEntity")


def _documents(entity: Any) -> list[Any]:
    docs: list[Any] = list(entity.policies.values())
    for policy in entity.managed_policies.values():
        docs.extend(v.document for v in getattr(policy, "versions", []) if v.is_default)
    out = []
    for d in docs:
        if isinstance(d, str):
            try:
                d = json.loads(unquote(d) if d.lstrip().startswith("%7B") else d)
            except json.JSONDecodeError:
                continue
        if isinstance(d, dict):
            out.append(d)
    return out


def _namespaces(entity: Any) -> list[str]:
    found: set[str] = set()
    for doc in _documents(entity):
        statements = doc.get("Statement") or []
        for st in statements if isinstance(statements, list) else [statements]:
            if not isinstance(st, dict) or st.get("Effect") != "Allow":
                continue
            if "NotAction" in st:
                found.update(NAMESPACES)
                continue
            actions = st.get("Action") or []
            for a in actions if isinstance(actions, list) else [actions]:
                service = str(a).split(":", 1)[0].lower()
                found.update(ns for ns in NAMESPACES if fnmatch.fnmatchcase(ns, service))
    return sorted(found)


def _generate(self: Any, p: dict[str, Any]) -> dict[str, Any]:
    granularity = p.get("Granularity") or "SERVICE_LEVEL"
    if granularity not in ("SERVICE_LEVEL", "ACTION_LEVEL"):
        raise Refused(f"Invalid granularity {granularity}.", "InvalidInput")
    _entity(self.backend, p["Arn"])
    job = str(uuid.uuid4())  # (jobIDType: 36 characters)
    with _LOCK:
        _st(self.backend).jobs[job] = {"arn": p["Arn"], "granularity": granularity, "created": _now()}
    return {"JobId": job}


def _get(self: Any, p: dict[str, Any]) -> dict[str, Any]:
    st = _st(self.backend)
    job = st.jobs.get(p["JobId"])
    if job is None:
        raise NotFound(f"The job {p['JobId']} cannot be found.", "NoSuchEntity")
    out: dict[str, Any] = {
        "JobType": job["granularity"],
        "JobCreationDate": job["created"],
        "JobCompletionDate": _now(),
        "ServicesLastAccessed": [],
        "IsTruncated": False,
    }
    if st.status is not None:
        out["JobStatus"] = st.status[0]
        if st.status[1]:
            out["Error"] = dict(st.status[1])
        return out
    out["JobStatus"] = "COMPLETED"
    entity = _entity(self.backend, job["arn"])
    items = []
    for ns in _namespaces(entity):
        item: dict[str, Any] = {"ServiceName": NAMESPACES[ns], "ServiceNamespace": ns, "TotalAuthenticatedEntities": 0}
        used = st.access.get((job["arn"], ns))
        if used:
            item.update(
                LastAuthenticated=used[0],
                LastAuthenticatedEntity=job["arn"],
                LastAuthenticatedRegion=used[1],
                TotalAuthenticatedEntities=1,
            )
        items.append(item)
    return {**out, **_page(items, p, "ServicesLastAccessed", token="Marker", limit="MaxItems", size=100, truncated="IsTruncated")}


OPERATIONS = (("GenerateServiceLastAccessedDetails", _generate), ("GetServiceLastAccessedDetails", _get))
