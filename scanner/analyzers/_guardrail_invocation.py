"""AG206 on agent roles: a role that may invoke models does so only with a registered guardrail (IAM's
``bedrock:GuardrailIdentifier`` condition key), as AWS documents for InvokeModel, InvokeModelWithResponseStream,
Converse and ConverseStream (the Converse APIs are authorized by the InvokeModel actions).

An Allow of ``bedrock:InvokeModel`` / ``InvokeModelWithResponseStream`` (by name, wildcard or NotAction, from an
inline, customer or AWS managed policy) is gated when it carries a positive condition on
``bedrock:GuardrailIdentifier`` (StringEquals/StringLike/ArnEquals/ArnLike) naming only registered guardrails, or
when a Deny of those actions refuses every other guardrail (StringNotEquals/StringNotLike/ArnNotEquals/ArnNotLike
naming only registered guardrails: a negated operator also matches a call without the key). A role Bedrock itself assumes (an agent's or knowledge base's
service role, or one that trusts bedrock.amazonaws.com alone) is not judged here: Bedrock makes those calls with
the agent's guardrail configuration, which AG206 judges on the agent.
"""

from __future__ import annotations

from typing import Any

from ..conditions import FAIL, PASS, UNKNOWN, EvalContext, Verdict
from ..iam_policies import Statement, condition_tests, covers, role_statements
from ..model import Inventory, Resource, Unknown, walk
from ._guardrails import guardrail_forms
from ._roles import SERVICE_OF_USER

INVOKE = ("bedrock:invokemodel", "bedrock:invokemodelwithresponsestream")
KEY = "bedrock:guardrailidentifier"
_POSITIVE = ("stringequals", "stringlike", "arnequals", "arnlike")
_NEGATIVE = ("stringnotequals", "stringnotlike", "arnnotequals", "arnnotlike")
#: what Bedrock itself assumes a role for: its calls carry the agent's (or knowledge base's) own configuration
_BEDROCK_USERS = ("agent", "agent_version", "knowledge_base")


def _grants(s: Statement) -> bool | None:
    """The statement names an invoke action (None: its actions are known only at deploy time)."""
    hits = [covers(s, action) for action in INVOKE]
    return True if True in hits else (None if None in hits else False)


def _guardrail_values(cond: Any, operators: tuple[str, ...]) -> list[Any] | None:
    """The values ``cond`` gives ``bedrock:GuardrailIdentifier`` under ``operators`` (None: the key is not there)."""
    found: list[Any] | None = None
    for op, v in condition_tests(cond, KEY):
        name = op.lower().removeprefix("forallvalues:").removeprefix("foranyvalue:").removesuffix("ifexists")
        if name in operators:
            found = (found or []) + (list(v) if isinstance(v, list) else [v])
    return found


def _registered(values: list[Any], entries: set[str]) -> bool | None:
    """Every value names a registered guardrail (None: a value is known only at deploy time)."""
    if any(not isinstance(v, str) for v in values):
        return None
    return bool(values) and all(guardrail_forms(v) & entries for v in values)


def _bedrock_assumed(role: Resource, inv: Inventory) -> bool:
    users = {k for e in inv.in_edges(role.key, "role") if (k := inv.resources[e.src].kind) in SERVICE_OF_USER}
    if users:
        return users <= set(_BEDROCK_USERS)
    trusted = [v for v in walk(role.properties.get("assume_role_policy"), "Statement.Principal.Service") if v is not None]
    flat = [x for v in trusted for x in (v if isinstance(v, list) else [v])]
    return bool(flat) and all(isinstance(x, str) and x == "bedrock.amazonaws.com" for x in flat)


def _where(s: Statement) -> str:
    return f"policy {s.policy} statement {s.index}" + (f" ({s.sid})" if s.sid else "")


def judge_role(role: Resource, ctx: EvalContext, entries: set[str]) -> Verdict:
    inv = ctx.inventory
    if _bedrock_assumed(role, inv):
        return Verdict(PASS, ["Bedrock assumes this role for an agent or knowledge base: AG206 judges the agent's guardrail"])
    rs = role_statements(role, inv)
    fails: list[str] = []
    unknowns: list[str] = list(rs.unknown[:2])
    gated_by_deny = False
    for s in rs.statements:
        if s.effect == "Deny" and _grants(s):
            # (a negated operator matches a request without the key too: the Deny refuses calls with no guardrail)
            values = _guardrail_values(s.condition, _NEGATIVE)
            if values is not None and _registered(values, entries):
                gated_by_deny = True
    grants = 0
    for s in rs.statements:
        if s.effect != "Allow":
            continue
        hit = _grants(s)
        if hit is None:
            unknowns.append(f"{_where(s)}: its actions are known only at deploy time")
            continue
        if not hit:
            continue
        grants += 1
        values = _guardrail_values(s.condition, _POSITIVE)
        if values is None:
            if not gated_by_deny:
                fails.append(f"{_where(s)} allows bedrock:InvokeModel without a bedrock:GuardrailIdentifier condition")
            continue
        ok = _registered(values, entries)
        if ok is None:
            unknowns.append(f"{_where(s)}: its bedrock:GuardrailIdentifier values are known only at deploy time")
        elif not ok and not gated_by_deny:
            fails.append(f"{_where(s)} allows bedrock:InvokeModel with guardrail {values[0]}, which is not registered")
    evidence = {"aws_managed": rs.aws_managed} if rs.aws_managed else {}
    if fails:
        return Verdict(FAIL, fails[:3], evidence=evidence)
    if unknowns:
        return Verdict(UNKNOWN, unknowns[:3], evidence=evidence)
    if not grants:
        return Verdict(PASS, ["the role may not invoke models (bedrock:InvokeModel)"], evidence=evidence)
    return Verdict(PASS, ["every model invocation the role may make names a registered guardrail"], evidence=evidence)


def live_account_controls(inv: Inventory, role: Resource) -> list[str]:
    """Where an enforced guardrail configuration or an Organizations Bedrock policy applies a guardrail in the role's
    account (regions): they may settle the role's ungated calls there, not elsewhere."""
    regions = sorted({c.region for c in inv.of_kind("enforced_guardrail") if c.account == role.account and c.region})
    for e in inv.of_kind("org_effective_policy"):
        content = e.properties.get("content")
        if e.account == role.account and not isinstance(content, Unknown) and isinstance(content, dict):
            per_region = (content.get("bedrock") or {}).get("guardrail_inference") or {}
            regions += sorted(r for r in per_region if isinstance(r, str) and r not in regions)
    return regions
