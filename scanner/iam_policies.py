"""The permission statements a role holds: inline, attached customer policies, SAM templates.

Shared by every analyzer that reasons about what a role may do (least
privilege, escalation, blast radius). Each statement keeps where it came
from, so a finding can point at the statement to fix.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from .model import Choice, Expr, Inventory, Location, Resource, Unknown, walk


@dataclass(frozen=True)
class Statement:
    policy: str  # policy name or resource label
    index: int
    sid: str | None
    effect: str
    actions: tuple[Any, ...]  # str | Expr | Unknown
    not_actions: tuple[Any, ...] | None
    resources: tuple[Any, ...]
    not_resources: tuple[Any, ...] | None
    has_condition: bool
    location: Location
    condition: Any = None  # the Condition block as written (escalation reads iam:PassedToService)


@dataclass
class RoleStatements:
    statements: list[Statement]
    unknown: list[str]  # reasons why part of the role's permissions is not known
    aws_managed: list[str]  # AWS managed policy ARNs (documents not analyzed here)


def _as_list(v: Any) -> tuple[Any, ...]:
    if v is None:
        return ()
    if isinstance(v, list):
        return tuple(v)
    return (v,)


def statements_of(doc: Any, policy: str, where: Resource, path: str) -> tuple[list[Statement], list[str]]:
    """Statements of one policy document (``path`` locates it in ``where``)."""
    if doc is None:
        return [], []
    if isinstance(doc, Unknown):
        return [], [f"policy {policy}: {doc.reason}"]
    if isinstance(doc, Choice):
        out: list[Statement] = []
        unknown: list[str] = []
        for opt in doc.options:
            s, u = statements_of(opt, policy, where, path)
            out.extend(s)
            unknown.extend(u)
        return out, unknown
    if not isinstance(doc, dict):
        return [], [f"policy {policy}: document is not an object"]
    raw = doc.get("Statement")
    if isinstance(raw, Unknown):
        return [], [f"policy {policy}: {raw.reason}"]
    if isinstance(raw, dict):
        raw = [raw]
    if not isinstance(raw, list):
        return [], []
    out = []
    unknown = []
    for i, st in enumerate(raw):
        if isinstance(st, Unknown):
            unknown.append(f"policy {policy} statement {i}: {st.reason}")
            continue
        if not isinstance(st, dict):
            continue
        effect = st.get("Effect")
        if not isinstance(effect, str):
            unknown.append(f"policy {policy} statement {i}: Effect known only at deploy time")
            continue
        for key in ("Action", "NotAction"):
            if isinstance(st.get(key), Unknown):
                unknown.append(f"policy {policy} statement {i}: {key} known only at deploy time")
        # an unknown Resource matters only for the actions it would grant: the analyzer decides
        out.append(
            Statement(
                policy=policy,
                index=i,
                sid=st.get("Sid") if isinstance(st.get("Sid"), str) else None,
                effect=effect,
                actions=tuple(walk(st.get("Action"), "")) if "Action" in st else (),
                not_actions=tuple(walk(st.get("NotAction"), "")) if "NotAction" in st else None,
                resources=tuple(walk(st.get("Resource"), "")) if "Resource" in st else (),
                not_resources=tuple(walk(st.get("NotResource"), "")) if "NotResource" in st else None,
                has_condition=bool(st.get("Condition")),
                location=where.attr_location(f"{path}.Statement.{i}"),
                condition=st.get("Condition"),
            )
        )
    return out, unknown


def role_statements(role: Resource, inv: Inventory) -> RoleStatements:
    stmts: list[Statement] = []
    unknown: list[str] = []
    aws_managed: list[str] = []
    inline = role.properties.get("inline_policies")
    if isinstance(inline, Unknown):
        unknown.append(f"inline policies: {inline.reason}")
    elif isinstance(inline, list):
        for i, item in enumerate(inline):
            if isinstance(item, Unknown):
                unknown.append(f"inline policy {i}: {item.reason}")
                continue
            if not isinstance(item, dict):
                continue
            name = item.get("name") if isinstance(item.get("name"), str) else f"inline policy {i}"
            s, u = statements_of(item.get("document"), name, role, f"inline_policies.{i}.document")
            stmts.extend(s)
            unknown.extend(u)
    for e in inv.out_edges(role.key, "policy"):
        if isinstance(e.dst, Unknown):
            origin = e.dst.origin or ""
            if origin.startswith("data:aws_iam_policy:"):
                # data "aws_iam_policy" looked up by name: the AWS managed policy of that name
                aws_managed.append("arn:aws:iam::aws:policy/" + origin.split(":", 2)[2])
                continue
            unknown.append(f"attached policy: {e.dst.reason}")
            continue
        pol = inv.resources[e.dst]
        s, u = statements_of(pol.properties.get("document"), pol.name or pol.label, pol, "document")
        stmts.extend(s)
        unknown.extend(u)
    arns = role.properties.get("managed_policy_arns")
    for v in walk(arns, ""):
        if isinstance(v, str) and v.startswith("arn:aws:iam::aws:policy/"):
            aws_managed.append(v)
        elif isinstance(v, Expr) and aws_managed_name(v):  # arn:${partition}:iam::aws:policy/X
            aws_managed.append("arn:aws:iam::aws:policy/" + aws_managed_name(v))
    # live sources and Terraform attachments give AWS managed ARNs on attachment resources
    for att in inv.of_kind("policy_attachment"):
        if any(e.dst == role.key for e in inv.out_edges(att.key, "role")):
            for v in walk(att.properties.get("policy_arns"), ""):
                if isinstance(v, str) and v.startswith("arn:aws:iam::aws:policy/"):
                    aws_managed.append(v)
                elif isinstance(v, Expr) and aws_managed_name(v):
                    aws_managed.append("arn:aws:iam::aws:policy/" + aws_managed_name(v))
    return RoleStatements(stmts, unknown, sorted(set(aws_managed)))


# ------------------------------------------------ AWS managed policies attached to a role

_AWS_MANAGED = re.compile(r"^arn:[^:]*:iam::aws:policy/(?P<path>(?:[^/]+/)*)(?P<name>[^/]+)$")


def aws_managed_name(value: Any) -> str | None:
    """``path/Name`` of an AWS managed policy ARN (a string, or an Expr with an unknown partition)."""
    text = None
    if isinstance(value, str):
        text = value
    elif isinstance(value, Expr):
        # only the partition may be symbolic: arn:<partition>:iam::aws:policy/...
        parts = value.parts
        if len(parts) == 3 and parts[0] == "arn:" and isinstance(parts[2], str) and parts[2].startswith(":iam::aws:policy/"):
            text = "arn:aws" + parts[2]
    if text is None:
        return None
    m = _AWS_MANAGED.match(text)
    return (m.group("path") + m.group("name")) if m else None


def attached(role: Resource, inv: Inventory) -> Iterable[tuple[Any, Location]]:
    """Every managed-policy value attached to ``role``, with where it is written."""
    for v in walk(role.properties.get("managed_policy_arns"), ""):
        yield v, role.attr_location("managed_policy_arns")
    for att in inv.of_kind("policy_attachment"):
        if any(e.dst == role.key for e in inv.out_edges(att.key, "role")):
            for v in walk(att.properties.get("policy_arns"), ""):
                yield v, att.attr_location("policy_arns" if "policy_arns" in att.attr_locations else "policy_arn")


# ------------------------------------------------ resources

_ANY_ARN = re.compile(r"^arn:(\*|aws[a-z-]*):\*(:\*)*$")


def is_any_resource(value: Any) -> bool:
    if not isinstance(value, str):
        return False
    return value == "*" or bool(_ANY_ARN.match(value))
