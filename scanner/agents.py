"""What belongs to an agent, found by following the inventory's edges.

One place answers "the action groups / functions / knowledge bases / roles of
this agent" for the blast radius, the agent inventory and the policies, so
they can never disagree. Everything is found by reference (edges), never by
name; an edge that leads outside the scanned files is returned as the
``Unknown`` it is.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .kinds import AGENT_KINDS
from .model import Inventory, Resource, Unknown, seen_in, walk


@dataclass(frozen=True)
class RoleUse:
    """A role an agent acts through, and how (``via``: "agent role", "action group X -> function Y", ...)."""

    role: Resource | Unknown
    via: str


def agents(inv: Inventory) -> list[Resource]:
    out: list[Resource] = []
    for kind in AGENT_KINDS:
        out.extend(inv.of_kind(kind))
    return out


def _targets(inv: Inventory, res: Resource, rel: str) -> list[Resource | Unknown]:
    seen: set[str] = set()
    out: list[Resource | Unknown] = []
    for t in inv.related(res, rel):
        if isinstance(t, Resource):
            if t.key in seen:
                continue
            seen.add(t.key)
        out.append(t)
    return out


def action_groups(inv: Inventory, agent: Resource) -> list[Resource]:
    return [t for t in _targets(inv, agent, "action_group") if isinstance(t, Resource)]


def functions(inv: Inventory, agent: Resource) -> list[tuple[Resource, Resource | Unknown]]:
    """(action group, its executor function) pairs; the function may be outside the scan."""
    out = []
    for ag in action_groups(inv, agent):
        for fn in _targets(inv, ag, "function"):
            out.append((ag, fn))
    return out


def knowledge_bases(inv: Inventory, agent: Resource) -> list[Resource | Unknown]:
    return _targets(inv, agent, "knowledge_base")


def roles(inv: Inventory, agent: Resource) -> list[RoleUse]:
    """Every role the agent acts through: its own, its functions', its knowledge bases'."""
    out: list[RoleUse] = []
    for r in _targets(inv, agent, "role"):
        out.append(RoleUse(r, "agent role" if agent.kind == "agent" else f"{agent.kind.replace('_', ' ')} role"))
    for ag, fn in functions(inv, agent):
        if isinstance(fn, Unknown):
            out.append(RoleUse(fn, f"action group {ag.name or ag.label} -> function outside the scan"))
            continue
        for r in _targets(inv, fn, "role"):
            out.append(RoleUse(r, f"action group {ag.name or ag.label} -> function {fn.label}"))
    for kb in knowledge_bases(inv, agent):
        if isinstance(kb, Unknown):
            out.append(RoleUse(kb, "knowledge base outside the scan"))
            continue
        for r in _targets(inv, kb, "role"):
            out.append(RoleUse(r, f"knowledge base {kb.label}"))
    return out


def agents_using_role(inv: Inventory, role: Resource) -> list[tuple[Resource, str]]:
    """(agent, via) for every agent that acts through ``role`` (in the order of ``agents`` and ``roles``)."""
    return list(inv.index("agents_by_role", _agents_by_role).get(role.key, ()))


def _agents_by_role(inv: Inventory) -> dict[str, list[tuple[Resource, str]]]:
    by_role: dict[str, list[tuple[Resource, str]]] = {}
    for agent in agents(inv):
        for use in roles(inv, agent):
            if isinstance(use.role, Resource):
                by_role.setdefault(use.role.key, []).append((agent, use.via))
    return by_role


def aliases(inv: Inventory, agent: Resource) -> list[Resource]:
    return [t for t in _targets(inv, agent, "alias") if isinstance(t, Resource)]


def versions(inv: Inventory, agent: Resource) -> list[Resource]:
    return [t for t in _targets(inv, agent, "version") if isinstance(t, Resource)]


def guardrail(inv: Inventory, agent: Resource) -> tuple[Resource | Unknown | None, Any]:
    """(the guardrail resource or Unknown or None, the configured version value)."""
    targets = _targets(inv, agent, "guardrail")
    versions_ = [v for v in walk(agent.properties, "guardrail_configuration.guardrail_version") if v is not None]
    return (targets[0] if targets else None), (versions_[0] if versions_ else None)


def collaborators(inv: Inventory, agent: Resource) -> list[Resource | Unknown]:
    """The agents a supervisor delegates to (through their aliases)."""
    out: list[Resource | Unknown] = []
    for alias in _targets(inv, agent, "collaborator"):
        if isinstance(alias, Unknown):
            out.append(alias)
            continue
        found = _targets(inv, alias, "agent")
        out.extend(found or [Unknown(f"alias {alias.label} names no agent {seen_in(alias)}")])
    return out
