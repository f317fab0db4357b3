"""Who uses a role: the services that assume it, by the kind of what uses it (trust, boundary, managed policies,
escalation).
"""

from __future__ import annotations

from ..model import Inventory, Resource

BEDROCK = "bedrock.amazonaws.com"


AGENTCORE = "bedrock-agentcore.amazonaws.com"


LAMBDA = "lambda.amazonaws.com"


#: which service assumes the role, by the kind of what uses it
SERVICE_OF_USER: dict[str, str] = {
    "agent": BEDROCK,
    "agent_version": BEDROCK,
    "knowledge_base": BEDROCK,
    "agent_runtime": AGENTCORE,
    "gateway": AGENTCORE,
    "memory": AGENTCORE,
    "code_interpreter": AGENTCORE,
    "browser": AGENTCORE,
    "function": LAMBDA,
}


def role_users(role: Resource, inv: Inventory) -> list[str]:
    """What in the scan assumes ``role`` ("agent OrdersAgent", "function Tool"), for messages."""
    return sorted(
        {
            f"{u.kind} {u.label}"
            for e in inv.in_edges(role.key, "role")
            for u in [inv.resources[e.src]]
            if u.kind in SERVICE_OF_USER
        }
    )


def expected_services(role: Resource, inv: Inventory) -> dict[str, list[str]]:
    """Service principal -> what in the scan makes the role need it."""
    out: dict[str, list[str]] = {}
    for e in inv.in_edges(role.key, "role"):
        user = inv.resources[e.src]
        svc = SERVICE_OF_USER.get(user.kind)
        if svc is None:
            continue
        if user.kind == "function" and not inv.has_qualifier(user, "agent_function"):
            continue
        out.setdefault(svc, []).append(f"{user.kind} {user.label}")
    return out
