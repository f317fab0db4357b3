"""AG111: agent roles have used their Bedrock / AgentCore permissions within ``max_unused_days``.

Live only. The audit reads IAM's service last accessed of each agent role that may hold a Bedrock or AgentCore action
(a ``role_last_accessed`` record, ``audit/collectors/iam_last_accessed.py``): for each service namespace the role's
policies allow, when the role last authenticated to it (absent: not in IAM's tracking period). A namespace of
``NAMESPACES`` the role may use and has not used for more than ``max_unused_days`` days (counted to when IAM
computed the report) fails; so does one never used, unless the role was created less than ``max_unused_days`` days
ago (its CreateDate): a role that young cannot have left a permission unused that long, and passes, saying so (the
audit does not read the report of a role younger than ``max_unused_days`` less a day).

A role whose policies allow no Bedrock or AgentCore action has nothing to leave unused and passes (read as AG103
reads permissions: wildcards, NotAction and AWS managed policies expanded with the IAM data); one whose report was
not read (the call failed or was denied, the job failed or was still running, the role was not among those read)
is UNKNOWN naming why. In IaC it is UNKNOWN: use is recorded by AWS, not written in templates.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from .. import iam_data
from ..conditions import FAIL, PASS, UNKNOWN, EvalContext, Verdict
from ..iam_policies import role_statements
from ..model import Resource, Unknown

#: the IAM service namespaces of Bedrock and AgentCore
NAMESPACES = ("bedrock", "bedrock-agentcore")


def when(text: Any) -> datetime | None:
    if not isinstance(text, str) or not text:
        return None
    try:
        t = datetime.fromisoformat(text.replace("Z", "+00:00").replace(" ", "T", 1))
    except ValueError:
        return None
    return t if t.tzinfo else t.replace(tzinfo=UTC)


def _allows(res: Resource, ctx: EvalContext) -> tuple[list[str], list[str]]:
    """(namespaces of ``NAMESPACES`` the role's policies allow some action of, why that is not known)."""
    rs = role_statements(res, ctx.inventory)
    found: set[str] = set()
    unknown = list(rs.unknown)
    for s in rs.statements:
        if s.effect != "Allow":
            continue
        if s.not_actions is not None:
            found.update(NAMESPACES)  # (a NotAction naming all of Bedrock is rare: counted as allowing)
            continue
        for a in s.actions:
            if not isinstance(a, str):
                unknown.append(f"policy {s.policy}: an action known only at deploy time")
                continue
            if a.strip() == "*":
                found.update(NAMESPACES)
                continue
            exp = iam_data.expand(a)
            found.update(ns for info in exp.actions if (ns := info.name.split(":", 1)[0].lower()) in NAMESPACES)
    return sorted(found), unknown


def _report(res: Resource, ctx: EvalContext) -> Resource | None:
    for e in ctx.inventory.in_edges(res.key, "role"):
        src = ctx.inventory.resources[e.src]
        if src.kind == "role_last_accessed":
            return src
    return None


def check(res: Resource, ctx: EvalContext, params: dict[str, Any]) -> Verdict:
    if res.source != "aws":
        return Verdict(
            UNKNOWN,
            [
                "live only: whether the role used its Bedrock / AgentCore permissions is IAM's service last accessed,"
                " which agentgov audit reads (templates do not record use)"
            ],
        )
    limit = params.get("max_unused_days")
    if not isinstance(limit, (int, float)) or isinstance(limit, bool):
        return Verdict(UNKNOWN, ["parameter max_unused_days is not configured"])
    allowed, not_read = _allows(res, ctx)
    report = _report(res, ctx)
    created = when(res.properties.get("create_date"))
    if report is None and not allowed and not not_read:
        return Verdict(PASS, ["the role's policies allow no Bedrock or AgentCore action: nothing to leave unused"])
    if report is None and created is not None and (days := (datetime.now(UTC) - created).days) < limit:
        # the audit does not read the report of a role this young (audit/collectors/reach.py: agent_roles)
        return Verdict(
            PASS,
            [
                f"the role was created {days} days ago, less than {limit}: it cannot have left a permission unused that"
                " long (its service last accessed is not read)"
            ],
            evidence={"max_unused_days": limit, "role_created": created.isoformat()},
        )
    if report is None:
        return Verdict(
            UNKNOWN,
            [
                "IAM service last accessed of the role was not read (the audit reads it for the agent roles whose"
                " policies may allow a Bedrock or AgentCore action)"
            ]
            + not_read[:2],
        )
    services = report.properties.get("services_last_accessed")
    if isinstance(services, Unknown) or not isinstance(services, list):
        reason = services.reason if isinstance(services, Unknown) else "no ServicesLastAccessed in the answer"
        return Verdict(UNKNOWN, [f"IAM service last accessed of the role is not known: {reason}"])
    as_of = when(report.properties.get("job_completion_date")) or datetime.now(UTC)
    age = (as_of - created).days if created else None
    used: dict[str, datetime | None] = {}
    for s in services:
        ns = s.get("service_namespace") if isinstance(s, dict) else None
        if ns in NAMESPACES:
            used[ns] = when(s.get("last_authenticated"))
    evidence: dict[str, Any] = {
        "max_unused_days": limit,
        "report_as_of": as_of.isoformat(),
        "role_created": created.isoformat() if created else None,
        "last_used": {ns: (t.isoformat() if t else None) for ns, t in used.items()},
    }
    if not used:
        return Verdict(
            PASS, ["IAM reports no Bedrock or AgentCore permission of the role: nothing to leave unused"], evidence=evidence
        )
    stale: list[str] = []
    young: list[str] = []
    for ns, last in sorted(used.items()):
        if last is not None:
            days = (as_of - last).days
            if days > limit:
                stale.append(f"{ns} last used {days} days ago ({last.date()})")
        elif age is not None and age < limit:
            young.append(ns)
        elif age is None:
            return Verdict(
                UNKNOWN,
                [f"{ns} was never used in IAM's tracking period, and the role's creation date is not known"],
                evidence=evidence,
            )
        else:
            stale.append(f"{ns} never used in IAM's tracking period (the role is {age} days old)")
    if stale:
        evidence["unused"] = stale
        return Verdict(
            FAIL, [f"the role has left permissions unused for more than {limit} days: " + "; ".join(stale)], evidence=evidence
        )
    parts = []
    recent = sorted(ns for ns, last in used.items() if last is not None)
    if recent:
        parts.append(f"the role used {', '.join(recent)} within {limit} days")
    if young:
        parts.append(
            f"{', '.join(young)} not used yet, but the role was created {age} days ago, less than {limit}: it cannot have"
            " left them unused that long"
        )
    return Verdict(PASS, ["; ".join(parts)], evidence=evidence)
