"""``all``, ``any``, ``not`` and applicability (``when``/``then``/``message``)."""

from __future__ import annotations

from agentgov.policies.compiled import All, AnyOf, Not, When

from ..model import Resource
from .verdict import FAIL, PASS, UNKNOWN, EvalContext, Evaluate, Verdict, all_of, any_of


def all_(cond: All, res: Resource, ctx: EvalContext, evaluate: Evaluate) -> Verdict:
    return all_of([evaluate(c, res, ctx) for c in cond.items])


def any_(cond: AnyOf, res: Resource, ctx: EvalContext, evaluate: Evaluate) -> Verdict:
    return any_of([evaluate(c, res, ctx) for c in cond.items])


def not_(cond: Not, res: Resource, ctx: EvalContext, evaluate: Evaluate) -> Verdict:
    v = evaluate(cond.cond, res, ctx)
    if v.status == UNKNOWN:
        return v
    if v.status == PASS:
        return Verdict(FAIL, [cond.message or "a condition that must not hold holds"], v.path, v.location, v.evidence)
    return Verdict(PASS, [], v.path, v.location, v.evidence)


def when(cond: When, res: Resource, ctx: EvalContext, evaluate: Evaluate) -> Verdict:
    w = evaluate(cond.cond, res, ctx)
    if w.status == PASS:
        return evaluate(cond.then, res, ctx)
    if w.status == FAIL:
        return Verdict(PASS, [cond.message] if cond.message else [])
    t = evaluate(cond.then, res, ctx)
    if t.status == PASS:
        return t  # passes whether or not the policy applies
    msgs = [f"whether this applies is unknown: {m}" for m in w.messages] or ["whether this applies is unknown"]
    msgs += [f"if it applies: {m}" for m in t.messages if m]
    return Verdict(UNKNOWN, msgs, t.path, t.location, t.evidence)
