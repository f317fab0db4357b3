"""AG107: each agent and AgentCore runtime has its own execution role; no two of them share one.

An agent's role is its ``agent_resource_role_arn`` (GetAgent's ``agentResourceRoleArn``: the draft's), plus, on live
accounts, the role of each numbered version an alias routes to (GetAgentVersion: a version keeps the role it was
published with); a runtime's is its ``role_arn``. Two of them share a role when their role edges reach the same role
resource, or when they name the same role the scan does not hold (the same literal ARN, the same parameter or
variable, the same built ARN). The versions and draft of one agent are one agent: they may share its role.

A role that only deploy time names (a parameter, a variable, a data source) cannot be compared with another such
role: when another agent or runtime of the same stack (template, Terraform root module, live account) also names its
role that way, the verdict is UNKNOWN, naming both. A role of the scan (created by the files) is not taken to be one
of those inputs; unrelated stacks scanned together are not compared through their inputs.
"""

from __future__ import annotations

from typing import Any

from ..conditions import FAIL, PASS, UNKNOWN, EvalContext, Verdict
from ..model import MISSING, Expr, Inventory, Ref, Resource, Unknown, walk

#: the kinds AG107 compares, with the attribute naming their execution role
ROLE_ATTR = {"agent": "agent_resource_role_arn", "agent_runtime": "role_arn"}
#: a numbered version of an agent (live: GetAgentVersion's role) counts as the agent
VERSION_ROLE_ATTR = ("agent_version", "agent_resource_role_arn")

# an identity is ("role", key) for a role resource of the scan; ("name", text) for a role named by a literal ARN, or by a
# built ARN whose role name is literal; ("input", text) for a role a deploy-time input names (a parameter, a variable,
# a data source): the same input twice is one role, two inputs may or may not be; ("unknown", reason) otherwise
Identity = tuple[str, str]


def _identity(owner: Resource, value: Any, dst: Any) -> Identity | None:
    if isinstance(dst, str):
        return ("role", dst)
    if value is None or value is MISSING or value == "":
        return None
    if isinstance(value, str):
        return ("name", value)
    if isinstance(value, Unknown):
        kind, _, name = (value.origin or "").partition(":")
        if kind in ("parameter", "variable"):
            return ("input", f"{owner.stack}#{'parameter ' + name if kind == 'parameter' else 'var.' + name}")
        if kind == "data":
            return ("input", f"{owner.stack}#{value.reason}")
        return ("unknown", value.reason)
    if isinstance(value, Expr):
        tail = value.parts[-1]
        if isinstance(tail, str) and "/" in tail and tail.rsplit("/", 1)[-1]:
            return ("name", f"{owner.stack}#{value}")  # arn:${Partition}:iam::${AccountId}:role/NAME
        if all(isinstance(p, str) or (isinstance(p, Unknown) and p.origin) for p in value.parts):
            return ("input", f"{owner.stack}#{value}")
        return ("unknown", f"{value} is known only at deploy time")
    if isinstance(value, Ref):
        return ("unknown", f"{value.target} is not a role agentgov models")
    return ("unknown", "the role is known only at deploy time")


def _comparable(a: Identity, b: Identity) -> bool:
    """Whether two different identities are surely two roles."""
    if a[0] == "unknown" or b[0] == "unknown":
        return False
    if a[0] == "role" or b[0] == "role":
        return True  # a role the files create is not what an input or another ARN names (the graph matched those)
    return a[0] == "name" and b[0] == "name"


def _role_edges(inv: Inventory, r: Resource, attr: str) -> list[Identity]:
    """The identities of the roles ``r`` runs with (its ``attr``'s edges, or its raw value when no edge was made)."""
    out: list[Identity] = []
    edges = {e.via: e.dst for e in inv.out_edges(r.key, "role")}
    for value in walk(r.properties, attr):
        ident = _identity(r, value, edges.get(attr))
        if ident is not None:
            out.append(ident)
    return out


def _roles(inv: Inventory, r: Resource) -> list[Identity]:
    """Every role identity of an agent (draft and numbered versions) or of a runtime."""
    out = _role_edges(inv, r, ROLE_ATTR[r.kind])
    if r.kind == "agent":
        for e in inv.in_edges(r.key, "agent"):
            v = inv.resources[e.src]
            if v.kind == VERSION_ROLE_ATTR[0]:
                out.extend(_role_edges(inv, v, VERSION_ROLE_ATTR[1]))
    return sorted(set(out))


def _index(inv: Inventory) -> dict[str, list[Identity]]:
    cached = inv.cache.get("ag107_roles")
    if cached is None:
        cached = {r.key: _roles(inv, r) for kind in ROLE_ATTR for r in inv.of_kind(kind)}
        inv.cache["ag107_roles"] = cached
    return cached


def _shown(ident: Identity, inv: Inventory) -> str:
    kind, text = ident
    if kind == "role":
        return f"role {inv.resources[text].label}"
    if kind == "name":
        return f"role {text.split('#', 1)[-1]}"
    if kind == "input":
        return f"the role that {text.split('#', 1)[1]} names"
    return f"a role that is not known ({text})"


def check(res: Resource, ctx: EvalContext, params: dict[str, Any]) -> Verdict:
    inv = ctx.inventory
    path = ROLE_ATTR.get(res.kind, "role_arn")
    index = _index(inv)
    mine = index.get(res.key, [])
    if not mine:
        return Verdict(PASS, [f"the {res.kind.replace('_', ' ')} names no execution role"], path=path)
    others = {k: v for k, v in index.items() if k != res.key}
    shared: dict[Identity, list[str]] = {}
    unsure: dict[Identity, list[str]] = {}
    for ident in mine:
        for k, ids in others.items():
            other = inv.resources[k]
            who = f"{other.kind.replace('_', ' ')} {other.label}"
            if ident in ids and ident[0] != "unknown":  # two unread roles are not one role
                shared.setdefault(ident, []).append(who)
            elif other.stack == res.stack:
                for i in ids:
                    if not _comparable(ident, i):
                        unsure.setdefault(ident, []).append(
                            f"{who} (its role is not known: {i[1]})" if i[0] == "unknown" else who
                        )
    evidence: dict[str, Any] = {"roles": [_shown(i, inv) for i in mine]}
    if shared:
        evidence["shared_with"] = {_shown(i, inv): sorted(set(v)) for i, v in shared.items()}
        msgs = [f"{_shown(i, inv)} is also the execution role of {', '.join(sorted(set(v)))}" for i, v in shared.items()]
        return Verdict(FAIL, msgs, path=path, evidence=evidence)
    if unsure:
        msgs = [
            f"{_shown(i, inv)} may be the role of {', '.join(sorted(set(v)))}: the roles cannot be told apart"
            for i, v in unsure.items()
        ]
        evidence["not_assessed"] = msgs
        return Verdict(UNKNOWN, msgs[:3], path=path, evidence=evidence)
    return Verdict(PASS, path=path, evidence=evidence)
