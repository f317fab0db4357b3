"""Agent blast radius: the union of what every role an agent acts through may do.

For each agent (Bedrock agent or AgentCore runtime): its own role, the roles
of its action-group functions and of its knowledge bases (``scanner.agents``
finds them by reference). Their ``Allow`` statements are expanded with the
IAM action data and summed up as services, actions by access level (read,
list, write, tagging, permissions management) and resources, with the write
and permissions-management actions granted on ``Resource: "*"`` named.

An upper bound, stated as such: a ``Deny`` statement without a condition on
``Resource: "*"`` is subtracted; conditions, permissions boundaries and SCPs
are not. What cannot be known (a role outside the scanned files, an AWS
managed policy missing from agentgov's copy of the documents, an action the
data does not know) is listed under ``not_assessed``, never left out silently.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from . import agents as agent_graph
from . import iam_data
from .iam_policies import is_any_resource, role_statements
from .model import Expr, Inventory, Resource, Unknown

_CACHE_KEY = "blast_radius"
#: resources listed in full up to this many (the count is always exact)
MAX_LISTED_RESOURCES = 50


@dataclass
class _Acc:
    all_actions: bool = False
    actions: dict[str, str] = field(default_factory=dict)  # name -> level
    on_any: dict[str, str] = field(default_factory=dict)  # name -> level, granted on "*"
    denied: set[str] = field(default_factory=set)
    resources: set[str] = field(default_factory=set)
    not_assessed: list[str] = field(default_factory=list)
    managed: set[str] = field(default_factory=set)


def _resource_text(r: Any) -> str:
    if isinstance(r, str):
        return r
    if isinstance(r, Unknown):
        return f"<unknown: {r.reason}>"
    return str(r)


def _add_role(acc: _Acc, role: Resource, inv: Inventory) -> None:
    rs = role_statements(role, inv)
    acc.not_assessed.extend(f"role {role.label}: {u}" for u in rs.unknown)
    for arn in rs.aws_managed:
        acc.managed.add(arn)
    for s in rs.statements:
        any_res = s.not_resources is not None or any(is_any_resource(r) for r in s.resources)
        if s.effect == "Deny":
            if any_res and not s.has_condition and s.not_actions is None:
                for a in s.actions:
                    if isinstance(a, str):
                        acc.denied.update(i.name for i in iam_data.expand(a).actions)
            continue
        if s.effect != "Allow":
            continue
        if s.not_resources is not None:
            acc.resources.add("*")
        for r in s.resources:
            acc.resources.add(_resource_text(r))
        if s.not_actions is not None or any(a == "*" for a in s.actions if isinstance(a, str)):
            acc.all_actions = True
            continue
        for a in s.actions:
            if isinstance(a, Unknown):
                acc.not_assessed.append(f"role {role.label}: action {a.reason}")
                continue
            if isinstance(a, Expr) or not isinstance(a, str):
                acc.not_assessed.append(f"role {role.label}: action {a} known only at deploy time")
                continue
            exp = iam_data.expand(a)
            if exp.unknown_service or exp.unknown_action:
                acc.not_assessed.append(f"role {role.label}: action {a!r} is not in the IAM action data")
                continue
            for info in exp.actions:
                acc.actions[info.name] = info.level
                if any_res and info.resource_scoped:
                    acc.on_any[info.name] = info.level


def compute(inv: Inventory, agent: Resource) -> dict[str, Any]:
    """The blast radius record of one agent (JSON-ready)."""
    acc = _Acc()
    roles_out = []
    seen: set[str] = set()
    for use in agent_graph.roles(inv, agent):
        if isinstance(use.role, Unknown):
            acc.not_assessed.append(f"{use.via}: {use.role.reason}")
            roles_out.append({"role": None, "via": use.via, "unknown": use.role.reason})
            continue
        roles_out.append({"role": use.role.label, "via": use.via})
        if use.role.key in seen:
            continue
        seen.add(use.role.key)
        _add_role(acc, use.role, inv)
    actions = {n: lvl for n, lvl in acc.actions.items() if n not in acc.denied}
    on_any = {n: lvl for n, lvl in acc.on_any.items() if n not in acc.denied}
    by_level = {lvl: 0 for lvl in iam_data.LEVELS}
    for lvl in actions.values():
        by_level[lvl] += 1
    resources = sorted(acc.resources)
    return {
        "agent": agent.label,
        "agent_kind": agent.kind,
        "location": str(agent.location),
        "roles": roles_out,
        "all_actions": acc.all_actions,
        "services": ["*"] if acc.all_actions else sorted({n.split(":", 1)[0] for n in actions}),
        "actions_by_level": None if acc.all_actions else by_level,
        "write_actions_on_any_resource": sorted(n for n, lvl in on_any.items() if lvl == iam_data.WRITE),
        "permissions_management_actions": sorted(n for n, lvl in actions.items() if lvl == iam_data.PERMISSIONS),
        "any_resource": "*" in acc.resources or any(is_any_resource(r) for r in acc.resources),
        "resources": resources[:MAX_LISTED_RESOURCES],
        "resource_count": len(resources),
        "aws_managed_policies": sorted(acc.managed),
        "not_assessed": sorted(set(acc.not_assessed)),
    }


def of(inv: Inventory, agent: Resource) -> dict[str, Any]:
    """``compute`` once per agent and inventory."""
    cache = inv.cache.setdefault(_CACHE_KEY, {})
    if agent.key not in cache:
        cache[agent.key] = compute(inv, agent)
    return cache[agent.key]


def all_agents(inv: Inventory) -> list[dict[str, Any]]:
    return [of(inv, a) for a in agent_graph.agents(inv)]


def summary(record: dict[str, Any], role: str | None = None) -> str:
    """One line: what a reader needs to see the size of the radius. With ``role`` (a role's label),
    the parts not assessed are counted apart from that role's own (the role's policy reports those)."""
    if record["all_actions"]:
        head = "every action of every service (*)"
    else:
        lv = record["actions_by_level"]
        head = (
            f"{len(record['services'])} service(s); {lv['write']} write, {lv['permissions_management']} permissions-management, "
            f"{lv['tagging']} tagging, {lv['read']} read, {lv['list']} list action(s)"
        )
    res = "any resource (*)" if record["any_resource"] else f"{record['resource_count']} resource(s)"
    extra = (
        f"; {len(record['write_actions_on_any_resource'])} write action(s) on *"
        if record["write_actions_on_any_resource"]
        else ""
    )
    gaps = f"; {len(record['not_assessed'])} part(s) not assessed" if record["not_assessed"] else ""
    if role is not None:
        others = [g for g in record["not_assessed"] if not g.startswith(f"role {role}: ")]
        gaps = f"; {len(others)} part(s) of the agent's other roles or tools not assessed" if others else ""
    return f"{head} on {res}{extra}{gaps}"


def evidence_for_role(inv: Inventory, role: Resource) -> list[dict[str, Any]]:
    """The blast radius of each agent acting through ``role`` (what AG101/AG103 cite)."""
    out = []
    for agent, via in agent_graph.agents_using_role(inv, role):
        rec = of(inv, agent)
        out.append({"agent": agent.label, "via": via, "blast_radius": summary(rec, role.label)})
    return out
