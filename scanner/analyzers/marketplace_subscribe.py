"""AG108: an agent role may subscribe to AWS Marketplace products (``aws-marketplace:Subscribe``, how a third-party
Bedrock model is enabled) only with an ``aws-marketplace:ProductId`` condition that names approved products.

AG101 cannot see this grant: the action has no resource type, so ``Resource: "*"`` is its only form. An ``Allow``
grants Subscribe when an ``Action`` pattern (``*``, ``aws-marketplace:*``, ``aws-marketplace:Sub*``) matches it or a
``NotAction`` does not name it. The grant is narrowed when its Condition holds a positive string test
(``StringEquals``, ``StringLike`` without wildcards, with ``ForAnyValue:``/``ForAllValues:``) of
``aws-marketplace:ProductId`` whose values are product ids, each in ``approved_marketplace_products`` when that
parameter is set (empty: any list of named products counts). A negated operator, a wildcard product or a product
outside the list fails. An unconditional ``Deny`` of Subscribe takes the grant away. A value known only at deploy
time, or a part of the role's permissions that cannot be read, makes the verdict UNKNOWN, naming it.
"""

from __future__ import annotations

from typing import Any

from ..conditions import FAIL, PASS, UNKNOWN, EvalContext, Verdict
from ..iam_policies import Statement, condition_tests, covers, is_any_resource, on_role, role_statements
from ..model import Resource

ACTION = "aws-marketplace:subscribe"
KEY = "aws-marketplace:productid"
_POSITIVE = ("stringequals", "stringequalsignorecase", "stringlike")


def _grants(s: Statement) -> str:
    """ "yes", "no" or "unknown": does the statement's action part cover Subscribe."""
    hit = covers(s, ACTION)
    return "unknown" if hit is None else ("yes" if hit else "no")


def _product_tests(cond: Any) -> list[tuple[str, Any]]:
    return condition_tests(cond, KEY)


def _judge_test(op: str, value: Any, approved: list[str]) -> tuple[str | None, str | None]:
    """(failure, unknown reason) of one ProductId test; (None, None) when it names approved products only."""
    base = op.split(":")[-1].lower().removesuffix("ifexists")
    if base not in _POSITIVE:
        return f"the aws-marketplace:ProductId test is {op}, which allows every product it does not name", None
    values = value if isinstance(value, list) else [value]
    if any(not isinstance(v, str) for v in values):
        return None, "the aws-marketplace:ProductId values are known only at deploy time"
    if base == "stringlike" and any("*" in v or "?" in v for v in values):
        return f"the aws-marketplace:ProductId test matches products by wildcard ({', '.join(values)})", None
    outside = [v for v in values if approved and v not in approved]
    if outside:
        return f"product{'s' if len(outside) > 1 else ''} {', '.join(outside)} not in approved_marketplace_products", None
    return None, None


def _judge(s: Statement, approved: list[str]) -> tuple[str | None, str | None]:
    """(failure, unknown reason) of one Allow that grants Subscribe."""
    tests = _product_tests(s.condition)
    if not tests:
        return "no aws-marketplace:ProductId condition", None
    failures, unknown = [], []
    for op, value in tests:
        bad, why = _judge_test(op, value, approved)
        if bad is None and why is None:
            return None, None  # one positive test naming approved products narrows the grant (tests are ANDed)
        if bad:
            failures.append(bad)
        if why:
            unknown.append(why)
    if unknown:
        return None, unknown[0]
    return "; ".join(failures), None


def _where(s: Statement) -> str:
    return f"policy {s.policy} statement {s.index}{f' ({s.sid})' if s.sid else ''}"


def check(res: Resource, ctx: EvalContext, params: dict[str, Any]) -> Verdict:
    approved = [p for p in (params.get("approved") or ()) if isinstance(p, str)]
    rs = role_statements(res, ctx.inventory)
    denied = any(
        s.effect == "Deny"
        and not s.has_condition
        and _grants(s) == "yes"
        and s.not_resources is None
        and any(is_any_resource(r) for r in s.resources)
        for s in rs.statements
    )
    failures: list[tuple[Statement, str]] = []
    unknown: list[str] = list(rs.unknown)
    granted = False
    for s in rs.statements:
        if s.effect != "Allow":
            continue
        grant = _grants(s)
        if grant == "no":
            continue
        if grant == "unknown":
            unknown.append(f"{_where(s)}: an action is known only at deploy time")
            continue
        granted = True
        bad, why = _judge(s, approved)
        if bad:
            failures.append((s, bad))
        elif why:
            unknown.append(f"{_where(s)}: {why}")
    evidence: dict[str, Any] = {"approved_marketplace_products": approved or "any product the condition names"}
    if denied:
        return Verdict(PASS, ["an unconditional Deny takes aws-marketplace:Subscribe away"], evidence=evidence)
    if failures:
        evidence["statements"] = [{"statement": _where(s), "problem": why, "location": str(s.location)} for s, why in failures]
        msgs = [f"{_where(s)} allows aws-marketplace:Subscribe: {why}" for s, why in failures]
        if unknown:
            evidence["not_assessed"] = unknown
        return Verdict(FAIL, msgs, location=on_role(res, failures[0][0].location, evidence), evidence=evidence)
    if unknown:
        evidence["not_assessed"] = unknown
        return Verdict(UNKNOWN, unknown[:3], evidence=evidence)
    if granted:
        return Verdict(PASS, ["aws-marketplace:Subscribe is limited to named products"], evidence=evidence)
    return Verdict(PASS, evidence=evidence)
