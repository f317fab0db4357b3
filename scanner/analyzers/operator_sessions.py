"""AG110: only operator principals may open a command, browser-automation or interpreter session on agent compute.

Every IAM role and user the scan (or the audit) holds is judged by its identity policies (inline, attached customer
and AWS managed policies), read as AG103 reads them (``privilege_escalation.grants``: wildcards and ``NotAction``
expanded with the IAM action data, an unconditional ``Deny`` takes a grant away, ``iam:PassedToService`` narrows
``iam:PassRole``). A principal opens a session on agent compute when it is granted one of ``SESSION_PATHS``
(``_escalation_paths.py``):

* ``bedrock-agentcore:InvokeAgentRuntimeCommand`` (a shell command inside a runtime, acting with its role);
* ``StartBrowserSession`` with ``ConnectBrowserAutomationStream`` (driving a browser);
* ``CreateBrowser`` / ``CreateCodeInterpreter`` / ``CreateAgentRuntime`` / ``CreateHarness`` with ``iam:PassRole``
  of an agent role to ``bedrock-agentcore.amazonaws.com`` (new compute that runs with an agent's permissions):
  PassRole on every role, or on a role of the scan that is an agent role.

A grant on any resource counts (a grant on one runtime opens a session on that runtime), except one only on AWS's
own built-in browser or code interpreter (account ``aws``), which runs with no role of the account.

An operator is named in ``operator_principals`` (a role or user name, ARN, or shell-style glob of either) or
carries ``operator_tag`` (``key=value`` or ``key``: the tag the SCP form lets through). An operator passes; so does a
principal that may open no session. A principal that may open one fails, unless both parameters are empty
(UNKNOWN: ``operator_principals`` is not configured) or its tags are known only at deploy time. What the scan does
not settle (a policy that cannot be read, an action or resource known only at deploy time, a group of a user's that
the scan does not hold, a passed role outside the scan) makes a PASS UNKNOWN, naming it. A user's groups' policies
are the user's (``iam_policies.role_statements``).
"""

from __future__ import annotations

import fnmatch
from typing import Any

from ..conditions import FAIL, PASS, UNKNOWN, EvalContext, Verdict
from ..iam_data import wildcard_match
from ..iam_policies import Statement, on_role, role_statements
from ..model import Expr, Inventory, Ref, Resource, Unknown
from ._escalation_paths import SESSION_PATHS, Path
from .privilege_escalation import ALL, ANY, SURE, _Grant, _need_status, grants

PASSROLE = "iam:passrole"


#: the actions the session paths need: ``grants`` looks for these only (AG103 looks for every path's)
_SESSION_NEEDED = frozenset(a.lower() for p in SESSION_PATHS for a in p.actions)


def _aws_owned(value: Any) -> bool:
    return isinstance(value, str) and value.split(":")[4:5] == ["aws"]


def _on_agent_compute(gs: dict[str, list[_Grant]]) -> dict[str, list[_Grant]]:
    """The grants without those only on AWS-owned resources (built-in browsers and code interpreters)."""
    out: dict[str, list[_Grant]] = {}
    for action, items in gs.items():
        kept = [
            g
            for g in items
            if action == PASSROLE
            or g.statement.not_resources is not None
            or not g.statement.resources
            or not all(_aws_owned(r) for r in g.statement.resources)
        ]
        if kept:
            out[action] = kept
    return out


def _operator_rule(params: dict[str, Any]) -> tuple[list[str], tuple[str, str | None] | None]:
    names = [p for p in (params.get("operators") or ()) if isinstance(p, str) and p]
    tag = params.get("operator_tag")
    if not isinstance(tag, str) or not tag.strip():
        return names, None
    key, sep, value = tag.strip().partition("=")
    return names, (key, value if sep else None)


def _is_operator(res: Resource, names: list[str], tag: tuple[str, str | None] | None) -> tuple[str | None, str | None]:
    """(why the principal is an operator, why that is not known); (None, None): it is not one."""
    ids = [n for n in (res.name, res.id, res.arn) if isinstance(n, str)]
    for pattern in names:
        if any(fnmatch.fnmatchcase(n, pattern) for n in ids):
            return f"named in operator_principals ({pattern})", None
    if tag is None:
        return None, None
    key, value = tag
    tags = res.tags
    if isinstance(tags, Unknown):
        return None, f"whether it carries the operator tag {key} is not known: {tags.reason}"
    if isinstance(tags, dict) and key in tags:
        have = tags[key]
        if value is None or (isinstance(have, str) and have.lower() == value.lower()):
            return f"it carries the operator tag {key}" + (f"={value}" if value is not None else ""), None
        if not isinstance(have, str):
            return None, f"the value of its tag {key} is known only at deploy time"
    return None, None


def _roles_by_id(inv: Inventory) -> dict[str, list[Resource]]:
    out: dict[str, list[Resource]] = {}
    for r in inv.of_kind("role"):
        out.setdefault(r.id, []).append(r)
    return out


def _roles_matching(inv: Inventory, pattern: str) -> list[Resource]:
    """The scan's roles whose ARN, or whose name (for a pattern naming ``:role/``), matches a PassRole pattern."""
    tail = pattern.split(":role/", 1)[1] if ":role/" in pattern else None
    out: list[Resource] = []
    for r in inv.of_kind("role"):
        arn_match = isinstance(r.arn, str) and wildcard_match(r.arn, pattern)
        name_match = tail is not None and isinstance(r.name, str) and wildcard_match(r.name, tail.rsplit("/", 1)[-1])
        if arn_match or name_match:
            out.append(r)
    return out


def _roles_named(value: Any, s: Statement, res: Resource, inv: Inventory) -> tuple[list[Resource], str | None]:
    """The scan's roles a PassRole resource names, and why it is not known when it names one outside the scan."""
    if isinstance(value, Unknown):
        return [], f"a passed role is known only at deploy time ({value.reason})"
    refs = (
        [value] if isinstance(value, Ref) else [p for p in value.parts if isinstance(p, Ref)] if isinstance(value, Expr) else []
    )
    roles: list[Resource] = []
    by_id = inv.index("operator_sessions.roles_by_id", _roles_by_id)
    for ref in refs:
        for r in by_id.get(ref.target, ()):
            if r.stack == res.stack or r.location.file == s.location.file:
                roles.append(r)
    if roles:
        return roles, None
    if isinstance(value, Expr):
        pattern = "".join(p if isinstance(p, str) else "*" for p in value.parts)
    elif isinstance(value, str):
        pattern = value
    else:
        return [], f"the passed role {value} is not among the scanned resources"
    if _aws_owned(pattern):
        return [], None
    roles = list(inv.index(f"operator_sessions.roles_matching:{pattern}", lambda inv: _roles_matching(inv, pattern)))
    if roles:
        return roles, None
    return [], f"the passed role {pattern} is not among the scanned resources: whether it is an agent role is not known"


def _pass_agent_role(
    path: Path, gs: dict[str, list[_Grant]], res: Resource, inv: Inventory
) -> tuple[str, list[_Grant], list[str]]:
    """iam:PassRole of an agent role to AgentCore: (PASS | FAIL | UNKNOWN, the grants, the agent roles or why unknown)."""
    st_every, every = _need_status("iam:PassRole", ALL, gs, path)
    if st_every == FAIL:
        return FAIL, every, ["every role"]
    _, candidates = _need_status("iam:PassRole", ANY, gs, path)  # (narrowed by iam:PassedToService)
    hits: list[_Grant] = []
    maybe: list[_Grant] = []
    named: list[str] = []
    unsure: list[str] = []
    for g in candidates:
        if g.statement.not_resources is not None or g.scope != "some":
            continue
        agent_roles: list[str] = []
        for value in g.statement.resources:
            roles, why = _roles_named(value, g.statement, res, inv)
            agent_roles += [r.label for r in roles if inv.has_qualifier(r, "agent_role")]
            if why:
                unsure.append(why)
        if agent_roles:
            (hits if g.level == SURE else maybe).append(g)
            named += agent_roles
    if hits:
        return FAIL, hits, sorted(set(named))
    if st_every == UNKNOWN or maybe or unsure:
        return UNKNOWN, every + maybe, unsure
    return PASS, [], []


def _via(action: str, how: str, gs: list[_Grant]) -> list[dict[str, Any]]:
    return [
        {
            "action": action,
            "on": "every resource" if how == ALL else "any resource",
            "policy": g.statement.policy,
            "statement": g.statement.index,
            "location": str(g.statement.location),
            **(
                {"note": "the statement has a Condition; it narrows but does not remove the grant"}
                if g.statement.has_condition
                else {}
            ),
        }
        for g in gs[:2]
    ]


def sessions(
    res: Resource, inv: Inventory, statements: list[Statement]
) -> tuple[list[dict[str, Any]], list[dict[str, Any]], list[str]]:
    """(session paths held for sure, paths that may be held, unknown reasons) of a principal's statements."""
    found, unknown, _ = grants(statements, _SESSION_NEEDED)
    gs = _on_agent_compute(found)
    held: list[dict[str, Any]] = []
    maybe: list[dict[str, Any]] = []
    for path in SESSION_PATHS:
        statuses: list[str] = []
        via: list[dict[str, Any]] = []
        roles: list[str] = []
        for action, how in path.needs:
            if action.lower() == PASSROLE:
                st, used, extra = _pass_agent_role(path, gs, res, inv)
                if st == FAIL:
                    roles = extra
                elif st == UNKNOWN:
                    unknown += extra
            else:
                st, used = _need_status(action, how, gs, path)
            statuses.append(st)
            if st == PASS:
                break
            via += _via(action, how, used)
        if PASS in statuses:
            continue
        record: dict[str, Any] = {"id": path.id, "name": path.name, "actions": list(path.actions), "granted_by": via}
        if roles:
            record["passes"] = roles
        (held if all(s == FAIL for s in statuses) else maybe).append(record)
    return held, maybe, list(dict.fromkeys(unknown))


def check(res: Resource, ctx: EvalContext, params: dict[str, Any]) -> Verdict:
    inv = ctx.inventory
    who = "role" if res.kind == "role" else "user"
    names, tag = _operator_rule(params)
    operator, op_unknown = _is_operator(res, names, tag)
    evidence: dict[str, Any] = {"operator_principals": names, "operator_tag": params.get("operator_tag") or None}
    if operator:
        return Verdict(PASS, [f"the {who} is an operator principal: {operator}"], evidence=evidence)
    rs = role_statements(res, inv)
    held, maybe, unknown = sessions(res, inv, rs.statements)
    if rs.aws_managed:
        evidence["aws_managed"] = rs.aws_managed
    if held:
        evidence["sessions"] = held
        what = ", ".join(
            f"{h['name']} ({' + '.join(h['actions'])}" + (f", passing {', '.join(h['passes'])}" if h.get("passes") else "") + ")"
            for h in held
        )
        if not names and tag is None:
            return Verdict(
                UNKNOWN,
                [f"parameter operator_principals is not configured (and operator_tag is empty): the {who} may open {what}"],
                evidence=evidence,
            )
        if op_unknown:
            return Verdict(UNKNOWN, [f"the {who} may open {what}; {op_unknown}"], evidence=evidence)
        first = held[0]["granted_by"][0] if held[0]["granted_by"] else None
        loc = next(
            (s.location for s in rs.statements if first and s.policy == first["policy"] and s.index == first["statement"]),
            None,
        )
        msg = f"the {who} is not an operator principal and may open sessions on agent compute: {what}"
        return Verdict(FAIL, [msg], location=on_role(res, loc, evidence), evidence=evidence)
    reasons = list(rs.unknown) + unknown
    if maybe:
        evidence["possible_sessions"] = maybe
        reasons.insert(
            0,
            f"the {who} may open " + ", ".join(m["name"] for m in maybe) + " (a grant depends on what the scan does not settle)",
        )
    if reasons:
        evidence["not_assessed"] = reasons
        return Verdict(UNKNOWN, reasons[:3], evidence=evidence)
    return Verdict(
        PASS, [f"the {who} may open no command, browser-automation or interpreter session on agent compute"], evidence=evidence
    )
