"""What an account's agentic resources reach: the buckets, KMS keys and tables whose details are read.

An account holds hundreds of buckets, keys and tables that have nothing to do with its agents. The
collectors of everything else (agents, knowledge bases and their data sources, guardrails, Lambda
functions, AgentCore, IAM roles and policies, trails, secrets, ...) run first; every string in their
records is a reference (an ARN, a name, an environment value, a policy's ``Resource``), and so is each
part of it between ``:`` and ``/``. A bucket, key or table is *reached* when its name, id or ARN is one
of them, or when it carries a tag the policies select by (the audit-evidence tag of AG804); a
collector marked ``REACHED`` then reads its details, and records any other from its list call alone,
with each detail property an ``Unknown`` saying why: a policy that would judge one of those says
UNKNOWN, never PASS. The edges the graph draws (a data source's bucket, a role's or a function's
table, an agent's key) are all such references, so what a policy judges is read.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from agentgov.scanner import aws_managed_policies as amp
from agentgov.scanner.analyzers.unused_permissions import when
from agentgov.scanner.graph import AGENT_ROLE_USERS, BEDROCK_PRINCIPALS, REFERENCES
from agentgov.scanner.iam_data import wildcard_match
from agentgov.scanner.iam_policies import aws_managed_name
from agentgov.scanner.model import Unknown, walk

#: why a resource's details were not read
UNREAD = (
    "not read: no agent, knowledge base, data source, function, role, trail or other resource the audit read in the "
    "account references it (details are read for what the agentic resources reach)"
)
_SPLIT = re.compile(r"[:/\s,]+")


def unread() -> Unknown:
    return Unknown(UNREAD, origin="audit:reach")


#: records that are no agentic resource's reference: an alarm's dimensions name what it watches, not what agents use
NOT_REFERENCES = frozenset({"alarm"})


def references(resources: Iterable[Any]) -> frozenset[str]:
    """Every string of the records' properties, and each of its parts between ``:``, ``/``, commas and spaces."""
    out: set[str] = set()
    stack: list[Any] = [r.properties for r in resources if r.kind not in NOT_REFERENCES]
    while stack:
        v = stack.pop()
        if isinstance(v, str):
            if v not in out:
                out.add(v)
                out.update(p for p in _SPLIT.split(v) if p)
        elif isinstance(v, dict):
            stack.extend(v.values())
        elif isinstance(v, (list, tuple)):
            stack.extend(v)
    return frozenset(out)


def tag_interest(spec: Any) -> tuple[tuple[str, str | None], ...]:
    """``key=value`` (value compared case-insensitively) or ``key`` (any value), as AG804's ``audit_bucket_tag``."""
    if not isinstance(spec, str) or not spec.strip():
        return ()
    key, eq, value = spec.strip().partition("=")
    return ((key.strip(), value.strip() if eq else None),)


@dataclass(frozen=True)
class Reach:
    """The references of an account's agentic resources, and the tags that make a resource worth reading."""

    tokens: frozenset[str]
    tags: tuple[tuple[str, str | None], ...] = ()
    #: ARNs of the account's agent roles that may hold Bedrock or AgentCore actions (``agent_roles``)
    agent_roles: frozenset[str] = frozenset()

    def reaches(self, *names: str | None, tags: Any = None) -> bool:
        """Whether a resource named ``names`` (its name, id, ARN) with ``tags`` is reached; tags that could not be
        read count as reaching when a tag selects (whether it carries one is not known)."""
        if any(n and n in self.tokens for n in names):
            return True
        if not self.tags:
            return False
        if not isinstance(tags, dict):
            return tags is not None and isinstance(tags, Unknown)
        for key, value in self.tags:
            if key in tags and (value is None or str(tags[key]).lower() == value.lower()):
                return True
        return False


#: the IAM service namespaces of Bedrock and AgentCore (AG111 judges the use of these)
BEDROCK_NAMESPACES = ("bedrock", "bedrock-agentcore")


def agent_roles(resources: Iterable[Any], young_days: float | None = None) -> frozenset[str]:
    """ARNs of the roles the graph will judge as agent roles (what an agent, agent version, knowledge base or AgentCore
    resource names as its role, the role of a function an action group or gateway target names, a role that trusts
    Bedrock or AgentCore), among those whose policies may allow a Bedrock or AgentCore action (read from the
    records as written: an Allow whose Action pattern's service matches a namespace of ``BEDROCK_NAMESPACES``, a
    NotAction, or what cannot be read). A superset of what AG111 judges, so a role it judges is read; one left out
    holds no such permission (AG111 passes it on its own reading of the policies).

    ``young_days`` (AG111's ``max_unused_days`` less a day, the margin between this read and the judgment): a role
    whose CreateDate is fewer days ago is left out, since a role that young cannot have left a permission
    unused that long and AG111 passes it on its age alone (``analyzers/unused_permissions.py``)."""
    items = list(resources)
    named: set[str] = set()
    callers: set[str] = set()
    for r in items:
        for src, attr, rel, _dst, _rev in REFERENCES:
            if r.kind != src:
                continue
            if rel == "role" and src in AGENT_ROLE_USERS:
                named.update(v for v in walk(r.properties, attr) if isinstance(v, str))
            elif rel == "function" and src in ("action_group", "gateway_target"):
                callers.update(v for v in walk(r.properties, attr) if isinstance(v, str))
    policies = {r.arn: r.properties.get("document") for r in items if r.kind == "managed_policy" and isinstance(r.arn, str)}
    for r in items:
        if r.kind == "function" and (r.arn in callers or any(c.startswith(f"{r.arn}:") for c in callers if r.arn)):
            named.update(v for v in walk(r.properties, "role") if isinstance(v, str))
    out: set[str] = set()
    for r in items:
        if r.kind != "role" or not isinstance(r.arn, str):
            continue
        trusts = _trusted_services(r.properties.get("assume_role_policy")) & set(BEDROCK_PRINCIPALS)
        if (r.arn in named or trusts) and _may_allow_bedrock(r, policies) and not _younger(r, young_days):
            out.add(r.arn)
    return frozenset(out)


def _younger(role: Any, days: float | None) -> bool:
    if days is None or days <= 0:
        return False
    created = when(role.properties.get("create_date"))
    return created is not None and (datetime.now(UTC) - created).total_seconds() < days * 86400


def _trusted_services(doc: Any) -> set[str]:
    return {
        p for st in walk(doc, "Statement") if isinstance(st, dict) for p in walk(st, "Principal.Service") if isinstance(p, str)
    }


def _may_allow_bedrock(role: Any, policies: dict[str, Any]) -> bool:
    inline = role.properties.get("inline_policies") or []
    if not isinstance(inline, list):
        return True  # not read: may allow anything
    docs: list[Any] = [p.get("document") if isinstance(p, dict) else p for p in inline]
    for arn in role.properties.get("managed_policy_arns") or []:
        name = aws_managed_name(arn)
        doc = amp.document(name) if name else policies.get(arn)
        docs.append(doc if doc is not None else Unknown(f"policy {arn} was not read"))
    return any(_doc_may_allow_bedrock(d) for d in docs)


def _doc_may_allow_bedrock(doc: Any) -> bool:
    if not isinstance(doc, dict):
        return doc is not None  # a document that could not be read may allow anything
    for st in walk(doc, "Statement"):
        if not isinstance(st, dict) or st.get("Effect") != "Allow":
            continue
        if "NotAction" in st:
            return True
        for a in walk(st, "Action"):
            if not isinstance(a, str):
                return True
            service = a.split(":", 1)[0].lower()
            if any(wildcard_match(ns, service) for ns in BEDROCK_NAMESPACES):
                return True
    return False
