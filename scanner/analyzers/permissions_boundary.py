"""Permissions boundary of a role (AG102): set, and equal to the required one when configured.

``required`` (the ``permissions_boundary_arn`` parameter) is optional: without
it any boundary passes. With it, a literal ARN must equal it; an ARN built
from values known only at deploy time is UNKNOWN unless its literal parts
cannot form the required ARN (then it fails). A boundary that one variant of
an unresolved condition leaves out (``Fn::If`` with ``AWS::NoValue``) fails:
that variant can be deployed.
"""

from __future__ import annotations

import re
from typing import Any

from ..conditions import FAIL, PASS, UNKNOWN, EvalContext, Verdict
from ..model import MISSING, Expr, Ref, Resource, Unknown, walk
from ._roles import role_users

_ATTR = "permissions_boundary"


def _could_be(value: Expr, required: str) -> bool:
    rx = "".join(re.escape(p) if isinstance(p, str) else ".+" for p in value.parts)
    return re.fullmatch(rx, required) is not None


def check(res: Resource, ctx: EvalContext, params: dict[str, Any]) -> Verdict:
    required = params.get("required")
    required = required if isinstance(required, str) and required else None
    inv = ctx.inventory
    used_by = role_users(res, inv)
    users = f" (used by {', '.join(used_by)})" if used_by else ""
    evidence: dict[str, Any] = {"used_by": used_by}
    if required:
        evidence["required"] = required
    values = [v for v in walk(res.properties.get(_ATTR), "")] if _ATTR in res.properties else []
    values = [v for v in values if v is not None]
    if not values or all(v is MISSING or v == "" for v in values):
        if _ATTR in res.properties:
            # Terraform: permissions_boundary = var.x whose default is null (a module's caller may set it)
            return Verdict(
                FAIL,
                [f"the role's permissions boundary is null in the scanned configuration{users}"],
                path=_ATTR,
                evidence=evidence,
            )
        return Verdict(FAIL, [f"the role has no permissions boundary{users}"], path=_ATTR, evidence=evidence)
    if any(v is MISSING or v == "" for v in values):
        return Verdict(
            FAIL, [f"one deployable variant of the role has no permissions boundary{users}"], path=_ATTR, evidence=evidence
        )
    unknown: list[str] = []
    for v in values:
        if isinstance(v, Unknown):
            if required:
                unknown.append(f"the permissions boundary is {v.reason}")
            continue
        if required is None:
            continue
        if isinstance(v, str):
            if v != required:
                return Verdict(
                    FAIL, [f"the permissions boundary {v} is not the required {required}{users}"], path=_ATTR, evidence=evidence
                )
        elif isinstance(v, Expr):
            if not _could_be(v, required):
                return Verdict(
                    FAIL,
                    [f"the permissions boundary {v} cannot be the required {required}{users}"],
                    path=_ATTR,
                    evidence=evidence,
                )
            unknown.append(f"the permissions boundary {v} is known only at deploy time")
        elif isinstance(v, Ref):
            unknown.append(
                f"the permissions boundary is the policy {v.target} of the scan, whose ARN is known only at deploy time"
            )
        else:
            unknown.append("the permissions boundary is of an unexpected type")
    if unknown:
        return Verdict(UNKNOWN, unknown[:2], path=_ATTR, evidence=evidence)
    return Verdict(PASS, path=_ATTR, evidence=evidence)
