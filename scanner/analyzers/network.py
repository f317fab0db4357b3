"""Network isolation of agent compute (AG302, AG303): the VPC and its PrivateLink endpoints.

The VPC that hosts a function is found through its subnets
(``vpc_config.subnet_ids`` -> subnet -> VPC, see ``scanner/scopes.py``); the
interface endpoints of that VPC are the ``vpc_endpoint`` resources whose
``vpc_id`` points at it (by reference, or by the same literal VPC id). An
endpoint's service is the literal tail of its service name, so
``!Sub com.amazonaws.${AWS::Region}.bedrock-runtime`` and
``"com.amazonaws.${var.region}.sts"`` both name their service.

A subnet or VPC that is not defined in the scanned files (subnet ids from a
parameter, an import or a remote module) makes the verdict UNKNOWN with that
reason: the endpoints may well exist, in a stack that was not scanned.
"""

from __future__ import annotations

import posixpath
from typing import Any

from ..conditions import FAIL, PASS, UNKNOWN, EvalContext, Verdict
from ..model import Choice, Expr, Ref, Resource, Unknown, walk
from ..scopes import endpoint_type, endpoints_of, hosting_vpcs, service_of, vpc_label


def _in_vpc(res: Resource) -> tuple[bool, str | None]:
    """(the function declares subnets, reason when that is known only at deploy time)."""
    values = [v for v in walk(res.properties.get("vpc_config"), "subnet_ids") if v is not None]
    if not values:
        return False, None
    for v in values:
        if isinstance(v, Unknown):
            return True, None  # the subnet edge carries the reason
        if isinstance(v, (Ref, Expr, Choice)) or (isinstance(v, str) and v):
            return True, None
    return False, None


def check_endpoints(res: Resource, ctx: EvalContext, params: dict[str, Any]) -> Verdict:
    """AG302: the VPCs hosting this agent function have interface endpoints for the required services."""
    required = params.get("required")
    if required is None:
        return Verdict(UNKNOWN, ["parameter required_endpoints is not configured"])
    required = [str(r) for r in required]
    inv = ctx.inventory
    in_vpc, _ = _in_vpc(res)
    if not in_vpc:
        return Verdict(
            PASS, ["the function is not attached to a VPC (AG301 judges that): no VPC endpoints to check"], path="vpc_config"
        )
    vpcs, unknown = hosting_vpcs(inv, res)
    if not vpcs and not unknown:
        unknown = ["its subnets are known only at deploy time"]
    fails: list[str] = []
    unknowns: list[str] = [f"the VPC hosting the function cannot be checked for endpoints ({u})" for u in unknown]
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
                f"{where}, which hosts this function, has no interface endpoint for {', '.join(missing)}"
                + (f" ({unsure[0]})" if unsure else "")
            )
    if fails:
        return Verdict(FAIL, fails, path="vpc_config.subnet_ids", evidence=evidence)
    if unknowns:
        return Verdict(UNKNOWN, unknowns[:3], path="vpc_config.subnet_ids", evidence=evidence)
    return Verdict(PASS, path="vpc_config.subnet_ids", evidence=evidence)


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


# ------------------------------------------------------------- AG303


def _any_value(v: Any, any_values: tuple[str, ...]) -> bool | None:
    """True when ``v`` (a Principal or Action) grants everything; None when unknown."""
    items = list(walk(v, ""))
    result: bool | None = False
    for x in items:
        if isinstance(x, dict):  # Principal: {"AWS": "*"}
            for inner in walk(list(x.values()), ""):
                if inner == "*":
                    return True
                if isinstance(inner, (Unknown, Expr, Ref)):
                    result = None
            continue
        if isinstance(x, str) and x in any_values:
            return True
        if isinstance(x, (Unknown, Expr, Ref)):
            result = None
    return result


def full_access_statements(doc: Any) -> tuple[list[int], str | None]:
    """Indexes of Allow statements equivalent to full access (Principal *, Action *, Resource *, no Condition)."""
    if isinstance(doc, Unknown):
        return [], doc.reason
    if isinstance(doc, Choice):
        out: list[int] = []
        for opt in doc.options:
            s, u = full_access_statements(opt)
            if u:
                return [], u
            out.extend(s)
        return out, None
    if not isinstance(doc, dict):
        return [], "the endpoint policy is not a JSON object"
    stmts = doc.get("Statement")
    if isinstance(stmts, dict):
        stmts = [stmts]
    if isinstance(stmts, Unknown):
        return [], stmts.reason
    if not isinstance(stmts, list):
        return [], None
    out = []
    unknown: str | None = None
    for i, st in enumerate(stmts):
        if not isinstance(st, dict) or st.get("Effect") != "Allow" or st.get("Condition"):
            continue
        if "NotPrincipal" in st or "NotAction" in st:
            continue
        principal = _any_value(st.get("Principal", "*"), ("*",))
        action = _any_value(st.get("Action"), ("*", "*:*"))
        resource = _any_value(st.get("Resource", "*"), ("*", "arn:aws:*:*:*:*"))
        verdicts = (principal, action, resource)
        if all(v is True for v in verdicts):
            out.append(i)
        elif None in verdicts and False not in verdicts:
            unknown = f"statement {i} is built from values known only at deploy time"
    return out, unknown


def check_endpoint_hardening(res: Resource, ctx: EvalContext, params: dict[str, Any]) -> Verdict:
    """AG303: the interface endpoint has private DNS on and a policy narrower than full access."""
    fails: list[str] = []
    paths: list[str] = []
    unknowns: list[str] = []
    t = endpoint_type(res)
    if not isinstance(t, str):
        unknowns.append(f"the endpoint's type is known only at deploy time ({getattr(t, 'reason', t)})")
    dns = res.properties.get("private_dns_enabled")
    if dns is None:
        fails.append(
            "private DNS is off (PrivateDnsEnabled / private_dns_enabled is not set; AWS's default is false):"
            " clients resolve the service's public endpoint and bypass the VPC endpoint"
        )
        paths.append("private_dns_enabled")
    elif isinstance(dns, bool) or isinstance(dns, str):
        if str(dns).lower() != "true":
            fails.append("private DNS is off (PrivateDnsEnabled / private_dns_enabled is false)")
            paths.append("private_dns_enabled")
    else:
        reason = dns.reason if isinstance(dns, Unknown) else f"{dns} is known only at deploy time"
        unknowns.append(f"private DNS: {reason}")
    docs = []
    if "policy" in res.properties and res.properties.get("policy") is not None:
        docs.append((res, res.properties.get("policy")))
    for pol in ctx.inventory.related(res, "endpoint_policy"):
        if isinstance(pol, Resource):
            docs.append((pol, pol.properties.get("policy")))
    evidence: dict[str, Any] = {}
    location = None
    svc = service_of(res)
    if isinstance(svc, str):
        evidence["service"] = svc
    if not docs:
        fails.append("the endpoint has no policy: the default policy allows every principal every action through it")
        paths.append("policy")
    for where, doc in docs:
        if doc is None:
            fails.append("the endpoint has no policy: the default policy allows every principal every action through it")
            paths.append("policy")
            continue
        full, unknown = full_access_statements(doc)
        if full:
            extra = f" (in {where.kind} {where.label})" if where is not res else ""
            fails.append(
                f"the endpoint policy allows Principal *, Action * on every resource (statement {full[0]}){extra}:"
                " it is as open as no policy"
            )
            paths.append(f"policy.Statement.{full[0]}")
            if where is not res and location is None:
                location = where.attr_location("policy")
        elif unknown:
            unknowns.append(f"endpoint policy: {unknown}")
    if fails:
        loc = location if paths[0].startswith("policy.") and location is not None else None
        return Verdict(FAIL, fails, path=paths[0], location=loc, evidence=evidence)
    if unknowns:
        return Verdict(UNKNOWN, unknowns, evidence=evidence)
    return Verdict(PASS, evidence=evidence)
