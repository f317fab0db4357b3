"""The permission statements a role holds: inline, attached customer policies, SAM templates.

Shared by every analyzer that reasons about what a role may do (least
privilege, escalation, blast radius). Each statement keeps where it came
from, so a finding can point at the statement to fix.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import Any

from .iam_data import wildcard_match
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
    aws_managed: list[str]  # AWS managed policy ARNs (their documents' statements are in ``statements``)


def _as_list(v: Any) -> tuple[Any, ...]:
    if v is None:
        return ()
    if isinstance(v, list):
        return tuple(v)
    return (v,)


def statements_of(
    doc: Any, policy: str, where: Resource, path: str, at: Location | None = None
) -> tuple[list[Statement], list[str]]:
    """Statements of one policy document (``path`` locates it in ``where``; ``at``: one location for all,
    for a document that is not written in the files, such as an AWS managed policy's)."""
    if doc is None:
        return [], []
    if isinstance(doc, Unknown):
        return [], [f"policy {policy}: {doc.reason}"]
    if isinstance(doc, Choice):
        out: list[Statement] = []
        unknown: list[str] = []
        for opt in doc.options:
            s, u = statements_of(opt, policy, where, path, at)
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
        if "Effect" not in st or effect in (None, "") or (isinstance(effect, str) and effect not in ("Allow", "Deny")):
            # IAM refuses the document (Effect is required, "Allow" or "Deny", case-sensitive): the policy
            # cannot be created as written, so what the role would hold once it is fixed is not known
            shown = "has no Effect" if effect in (None, "") else f"has Effect {effect!r}, not 'Allow' or 'Deny'"
            unknown.append(f"policy {policy} statement {i} is invalid: it {shown} (IAM refuses the policy document)")
            continue
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
                location=at or where.attr_location(f"{path}.Statement.{i}"),
                condition=st.get("Condition"),
            )
        )
    return out, unknown


def on_role(role: Resource, loc: Location | None, evidence: dict[str, Any]) -> Location | None:
    """Where a role's finding sits: at ``loc`` (the statement or attachment at fault) when it is in the
    role's own file, else on the role in its file, with ``evidence["policy_location"]`` naming ``loc``
    (the catalog judges the role; a policy resource in another file is where to fix it)."""
    if loc is None or loc.file == role.location.file:
        return loc
    evidence["policy_location"] = str(loc)
    return role.location


def role_statements(role: Resource, inv: Inventory) -> RoleStatements:
    """What ``role`` holds (computed once per inventory state: a dozen analyzers ask for the same role, and this was a
    quarter of the corpus's policy evaluation). Each caller gets its own lists."""
    if inv.resources.get(role.key) is not role:  # (a principal that is not the inventory's own)
        return _role_statements(role, inv)
    cache = inv.cache.setdefault("role_statements", {})
    key = (role.key, len(inv.edges), len(inv.resources))  # an inventory still being built gives another key
    hit = cache.get(key)
    if hit is None:
        hit = cache[key] = _role_statements(role, inv)
    return RoleStatements(list(hit.statements), list(hit.unknown), list(hit.aws_managed))


def _role_statements(role: Resource, inv: Inventory) -> RoleStatements:
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
            given = item.get("name")
            name = given if isinstance(given, str) else f"inline policy {i}"
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
        elif isinstance(v, Expr) and (managed_name := aws_managed_name(v)):  # arn:${partition}:iam::aws:policy/X
            aws_managed.append("arn:aws:iam::aws:policy/" + managed_name)
    # live sources and Terraform attachments give AWS managed ARNs on attachment resources
    for att in attachments_of(role, inv):
        for v in walk(att.properties.get("policy_arns"), ""):
            if isinstance(v, str) and v.startswith("arn:aws:iam::aws:policy/"):
                aws_managed.append(v)
            elif isinstance(v, Expr) and (managed_name := aws_managed_name(v)):
                aws_managed.append("arn:aws:iam::aws:policy/" + managed_name)
    managed = sorted(set(aws_managed))
    s, u = _managed_statements(role, inv, managed)
    stmts += s
    unknown += u
    if role.kind == "user":
        _group_statements(role, inv, stmts, unknown, managed)
    return RoleStatements(stmts, unknown, sorted(set(managed)))


def _group_statements(user: Resource, inv: Inventory, stmts: list[Statement], unknown: list[str], managed: list[str]) -> None:
    """A user's groups' policies, which are the user's too (IAM evaluates the union): each statement named with its
    group, located in the group's policy; a group the scan does not hold makes the user's permissions not whole."""
    for dst in dict.fromkeys(e.dst for e in inv.out_edges(user.key, "group")):
        if isinstance(dst, Unknown):
            unknown.append(f"the user's group {dst.reason}")
            continue
        group = inv.resources[dst]
        named = group.name or group.label
        held = role_statements(group, inv)
        stmts.extend(replace(s, policy=f"{s.policy} (group {named})") for s in held.statements)
        unknown.extend(f"group {named}: {u}" for u in held.unknown)
        managed.extend(held.aws_managed)


def _managed_statements(role: Resource, inv: Inventory, arns: list[str]) -> tuple[list[Statement], list[str]]:
    """The statements of the attached AWS managed policies, from agentgov's copy of their documents;
    each statement is located where the attachment is written. A policy the copy lacks is named as
    not assessed."""
    from . import aws_managed_policies as amp

    if not arns:
        return [], []
    where: dict[str, Location] = {}
    for v, loc in attached(role, inv):
        name = aws_managed_name(v)
        if name is None and isinstance(v, Unknown) and (v.origin or "").startswith("data:aws_iam_policy:"):
            name = (v.origin or "").split(":", 2)[2]
        if name:
            where.setdefault(name, loc)
    out: list[Statement] = []
    unknown: list[str] = []
    for arn in arns:
        name = aws_managed_name(arn) or arn.rsplit("/", 1)[-1]
        doc = amp.document(name)
        if doc is None:
            unknown.append(
                f"AWS managed policy {name}: not in agentgov's copy of the AWS managed policies ({amp.data_version()})"
            )
            continue
        loc = where.get(name) or where.get(name.rsplit("/", 1)[-1]) or role.attr_location("managed_policy_arns")
        s, u = statements_of(doc, f"AWS managed {name}", role, "managed_policy_arns", at=loc)
        out.extend(s)
        unknown.extend(u)
    return out, unknown


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
    for att in attachments_of(role, inv):
        for v in walk(att.properties.get("policy_arns"), ""):
            yield v, att.attr_location("policy_arns" if "policy_arns" in att.attr_locations else "policy_arn")


def attachments_of(role: Resource, inv: Inventory) -> list[Resource]:
    """The policy attachments whose ``role`` (``user``, ``group``) edges name ``role``, in inventory order."""
    return inv.index("attachments_by_role", _attachments_by_role).get(role.key, [])


def _attachments_by_role(inv: Inventory) -> dict[str, list[Resource]]:
    by_role: dict[str, list[Resource]] = {}
    for att in inv.of_kind("policy_attachment"):
        principals = [e.dst for rel in ("role", "user", "group") for e in inv.out_edges(att.key, rel)]
        for key in dict.fromkeys(k for k in principals if isinstance(k, str)):
            by_role.setdefault(key, []).append(att)
    return by_role


# ------------------------------------------------ resources

_ANY_ARN = re.compile(r"^arn:(\*|aws[a-z-]*):\*(:\*)*$")


def is_any_resource(value: Any) -> bool:
    if not isinstance(value, str):
        return False
    return value == "*" or bool(_ANY_ARN.match(value))


def covers(s: Statement, action: str) -> bool | None:
    """Whether the statement's action part names ``action`` (lower case, ``service:name``): an ``Action`` pattern
    matches it or a ``NotAction`` does not; None when a pattern that decides it is known only at deploy time."""
    patterns = s.not_actions if s.not_actions is not None else s.actions
    hit = any(isinstance(p, str) and wildcard_match(action, p.strip().lower()) for p in patterns)
    if hit:
        return s.not_actions is None
    if any(not isinstance(p, str) for p in patterns):
        return None
    return s.not_actions is not None


def condition_tests(cond: Any, key: str) -> list[tuple[str, Any]]:
    """(operator as written, value) of every test of condition key ``key`` (lower case) in a Condition block."""
    if not isinstance(cond, dict):
        return []
    out: list[tuple[str, Any]] = []
    for op, kv in cond.items():
        if isinstance(op, str) and isinstance(kv, dict):
            out.extend((op, v) for k, v in kv.items() if isinstance(k, str) and k.lower() == key)
    return out
