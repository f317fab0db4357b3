"""Hardened VPC endpoints (AG303): the endpoint policy of an agent's PrivateLink endpoint does not grant full access."""

from __future__ import annotations

from typing import Any

from ..conditions import FAIL, PASS, UNKNOWN, EvalContext, Verdict
from ..model import Choice, Expr, Ref, Resource, Unknown, walk
from ..scopes import endpoint_type, service_of


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


def check(res: Resource, ctx: EvalContext, params: dict[str, Any]) -> Verdict:
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
