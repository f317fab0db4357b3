"""The agent inventory: every agent with what it is made of (``agentgov inventory``).

One record per Bedrock agent and AgentCore runtime: id and name, aliases and
the versions they route to, published versions, model, role, guardrail and
its version, knowledge bases, action groups and their functions,
collaborators, owner tag, account, region and source location; with the
agent's blast radius. The JSON report, the inventory command (JSON, CSV) and
the evidence bundle render these records; they are computed once.
"""

from __future__ import annotations

import io
from typing import Any

from . import agents as agent_graph
from . import blast_radius
from .graph import known_attribute
from .model import Choice, Expr, Inventory, Ref, Resource, Unknown, walk

CSV_COLUMNS = (
    "id",
    "name",
    "kind",
    "type",
    "location",
    "account",
    "region",
    "model",
    "role",
    "guardrail",
    "guardrail_version",
    "aliases",
    "versions",
    "knowledge_bases",
    "action_groups",
    "functions",
    "collaborators",
    "owner",
    "blast_radius",
)


def show(value: Any) -> str | None:
    """A property value as an inventory shows it (references by name, unknowns with their reason)."""
    if value is None or value == "":
        return None
    if isinstance(value, str):
        return value
    if isinstance(value, Unknown):
        return f"<unknown: {value.reason}>"
    if isinstance(value, (Ref, Expr, Choice)):
        return str(value)
    if isinstance(value, (int, float, bool)):
        return str(value)
    return None


def _label(t: Resource | Unknown | None) -> str | None:
    if t is None:
        return None
    if isinstance(t, Unknown):
        return f"<unknown: {t.reason}>"
    return t.label


def _first(res: Resource, path: str) -> Any:
    for v in walk(res.properties, path):
        if v is not None:
            return v
    return None


def _model(agent: Resource) -> str | None:
    for path in ("foundation_model", "agent_runtime_artifact.container_configuration.container_uri"):
        v = _first(agent, path)
        if v is not None:
            return show(v)
    return None


def record(inv: Inventory, agent: Resource) -> dict[str, Any]:
    role_targets = inv.related(agent, "role")
    gr, gr_version = agent_graph.guardrail(inv, agent)
    aliases = []
    for alias in agent_graph.aliases(inv, agent):
        routes = [
            show(known_attribute(inv, alias, v) if isinstance(v, Ref) else v)
            for v in walk(alias.properties, "routing_configuration.agent_version")
            if v is not None
        ]
        aliases.append({"name": alias.name or alias.label, "routes_to": [r for r in routes if r] or None})
    groups = []
    for ag in agent_graph.action_groups(inv, agent):
        fns = [_label(f) for f in inv.related(ag, "function")]
        signature = show(_first(ag, "parent_action_group_signature"))
        groups.append({"name": ag.name or ag.label, "functions": fns, "signature": signature})
    functions = sorted({label for _, fn in agent_graph.functions(inv, agent) if fn is not None and (label := _label(fn))})
    tags = agent.tags if isinstance(agent.tags, dict) else {}
    owner = show(tags.get("owner")) if tags else None
    if isinstance(agent.tags, Unknown):
        owner = f"<unknown: {agent.tags.reason}>"
    return {
        "id": agent.id,
        "name": agent.name,
        "kind": agent.kind,
        "type": agent.source_type,
        "location": str(agent.location),
        "account": agent.account,
        "region": agent.region,
        "model": _model(agent),
        "role": _label(role_targets[0]) if role_targets else None,
        "guardrail": _label(gr),
        "guardrail_version": show(gr_version),
        "aliases": aliases,
        "versions": [v.label for v in agent_graph.versions(inv, agent)],
        "knowledge_bases": [_label(k) for k in agent_graph.knowledge_bases(inv, agent)],
        "action_groups": groups,
        "functions": functions,
        "collaborators": [_label(c) for c in agent_graph.collaborators(inv, agent)],
        "owner": owner,
        "blast_radius": blast_radius.of(inv, agent),
    }


def records(inv: Inventory) -> list[dict[str, Any]]:
    key = "agent_inventory"
    if key not in inv.cache:
        inv.cache[key] = sorted((record(inv, a) for a in agent_graph.agents(inv)), key=lambda r: (r["location"], r["id"]))
    return inv.cache[key]


def to_csv(rows: list[dict[str, Any]]) -> str:
    """One line per agent; list cells joined with "; "; the blast radius as its one-line summary."""
    import csv  # only for this output (start-up time of a scan)

    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(CSV_COLUMNS)
    for r in rows:
        cells = []
        for col in CSV_COLUMNS:
            v: Any = r.get(col)
            if col == "aliases":
                v = "; ".join(f"{a['name']}->{','.join(a['routes_to'] or ['(default)'])}" for a in v)
            elif col == "action_groups":
                v = "; ".join(a["name"] for a in v)
            elif col == "blast_radius":
                v = blast_radius.summary(v)
            elif isinstance(v, list):
                v = "; ".join(str(x) for x in v)
            cells.append(_csv_safe("" if v is None else str(v)))
        w.writerow(cells)
    return buf.getvalue()


def _csv_safe(cell: str) -> str:
    """A cell a spreadsheet will not run as a formula (values come from scanned files)."""
    return "'" + cell if cell[:1] in ("=", "+", "-", "@", "\t", "\r") else cell
