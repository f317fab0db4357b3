"""Network isolation of agent compute (AG302): in a VPC, with PrivateLink interface endpoints for the services it calls.

Agent compute is an agent function (in a VPC when its ``vpc_config`` names subnets) and an AgentCore runtime, code
interpreter or browser in network mode VPC (its subnets: ``network_mode_config.subnets`` for a runtime,
``vpc_config.subnets`` for the tools). Compute outside a VPC passes here: AG301, AG304 and AG904 judge that.
"""

from __future__ import annotations

import posixpath
from typing import Any

from ..conditions import FAIL, PASS, UNKNOWN, EvalContext, Verdict
from ..model import Choice, Expr, Ref, Resource, Unknown, walk
from ..scopes import endpoint_type, endpoints_of, hosting_vpcs, service_of, vpc_label

_SUBNETS = {
    "function": "vpc_config.subnet_ids",
    "agent_runtime": "network_configuration.network_mode_config.subnets",
    "code_interpreter": "network_configuration.vpc_config.subnets",
    "browser": "network_configuration.vpc_config.subnets",
}
_OUTSIDE = {
    "function": "the function is not attached to a VPC (AG301 judges that)",
    "agent_runtime": "the runtime is not in network mode VPC (AG304 judges that)",
    "code_interpreter": "the code interpreter is not in network mode VPC (AG904 judges that)",
    "browser": "the browser is not in network mode VPC (AG904 judges that)",
}


def _in_vpc(res: Resource) -> tuple[bool, str | None]:
    """(the compute declares subnets, reason when that is known only at deploy time)."""
    values = [v for v in walk(res.properties, _SUBNETS.get(res.kind, "vpc_config.subnet_ids")) if v is not None]
    if not values:
        return False, None
    for v in values:
        if isinstance(v, Unknown):
            return True, None  # the subnet edge carries the reason
        if isinstance(v, (Ref, Expr, Choice)) or (isinstance(v, str) and v):
            return True, None
    return False, None


def check(res: Resource, ctx: EvalContext, params: dict[str, Any]) -> Verdict:
    """AG302: the VPCs hosting this agent compute have interface endpoints for the required services."""
    required = params.get("required")
    if required is None:
        return Verdict(UNKNOWN, ["parameter required_endpoints is not configured"])
    required = [str(r) for r in required]
    inv = ctx.inventory
    path = _SUBNETS.get(res.kind, "vpc_config.subnet_ids")
    what = "function" if res.kind == "function" else res.kind.replace("_", " ")
    in_vpc, _ = _in_vpc(res)
    if not in_vpc:
        return Verdict(
            PASS, [f"{_OUTSIDE.get(res.kind, _OUTSIDE['function'])}: no VPC endpoints to check"], path=path.rsplit(".", 1)[0]
        )
    vpcs, unknown = hosting_vpcs(inv, res)
    if not vpcs and not unknown:
        unknown = ["its subnets are known only at deploy time"]
    fails: list[str] = []
    unknowns: list[str] = [f"the VPC hosting the {what} cannot be checked for endpoints ({u})" for u in unknown]
    evidence: dict[str, Any] = {"vpcs": [vpc_label(inv, v) for v in vpcs], "required": required}
    for vpc in vpcs:
        present: set[str] = set()
        unsure: list[str] = []
        for ep in endpoints_of(inv, vpc):
            svc = service_of(ep)
            if isinstance(svc, Unknown):
                unsure.append(f"endpoint {ep.label}: {svc.reason}")
                continue
            t = endpoint_type(ep)
            if isinstance(t, str) and t != "interface" and svc in required:
                unsure.append(f"endpoint {ep.label} to {svc} is of type {t}, not Interface")
                continue
            present.add(svc)
        missing = [s for s in required if s not in present]
        evidence.setdefault("endpoints", {})[vpc_label(inv, vpc)] = sorted(present)
        if not missing:
            continue
        where = f"VPC {vpc_label(inv, vpc)}"
        floating = _floating_endpoints(inv, missing, res)
        covered = {service_of(ep) for ep in floating}
        if floating:
            unknowns.append(
                f"{where}: endpoints for {', '.join(s for s in missing if s in covered)} exist in the"
                f" scanned files (e.g. {floating[0].label} in {floating[0].location.file}) in a VPC that cannot"
                " be resolved; they may be this VPC's"
            )
            missing = [s for s in missing if s not in covered]
            if not missing:
                continue
        if unsure and not any(u.endswith("not Interface") for u in unsure):
            unknowns.append(f"{where} may lack interface endpoints for {', '.join(missing)} ({unsure[0]})")
        else:
            fails.append(
                f"{where}, which hosts this {what}, has no interface endpoint for {', '.join(missing)}"
                + (f" ({unsure[0]})" if unsure else "")
            )
    if fails:
        return Verdict(FAIL, fails, path=path, evidence=evidence)
    if unknowns:
        return Verdict(UNKNOWN, unknowns[:3], path=path, evidence=evidence)
    return Verdict(PASS, path=path, evidence=evidence)


def _floating_endpoints(inv: Any, services: list[str], res: Resource) -> list[Resource]:
    """Endpoints for ``services`` whose VPC is not known (an import, a parameter): maybe the VPC at hand.

    Only those of the same stack, or of a template in the same directory (a network stack next to
    the application stack that imports from it, or the other way round).
    """
    here = posixpath.dirname(res.location.file)
    out = []
    for ep in inv.of_kind("vpc_endpoint"):
        if ep.stack != res.stack and (ep.source != "cloudformation" or posixpath.dirname(ep.location.file) != here):
            continue
        if any(isinstance(e.dst, str) for e in inv.out_edges(ep.key, "vpc")):
            continue
        if isinstance(ep.properties.get("vpc_id"), str):
            continue  # a literal VPC id: a known other VPC
        svc = service_of(ep)
        if isinstance(svc, str) and svc in services:
            out.append(ep)
    return out
