"""``related`` (the resources a relation reaches satisfy a condition, or only exist) and ``used_by`` (judge, and name
the resources that point at the judged one: which agents use this guardrail)."""

from __future__ import annotations

from agentgov.policies.compiled import Related, UsedBy

from ..model import Resource, Unknown, Unlisted
from .verdict import FAIL, PASS, UNKNOWN, EvalContext, Evaluate, Verdict, all_of, any_of


def related(cond: Related, res: Resource, ctx: EvalContext, evaluate: Evaluate) -> Verdict:
    targets = ctx.inventory.related(res, cond.related)
    if not targets:
        if cond.if_none == "pass":
            return Verdict(PASS)
        if cond.if_none == "unknown":
            return Verdict(UNKNOWN, [cond.message or f"no {cond.related} found in the scanned files"])
        return Verdict(FAIL, [cond.message or f"no {cond.related}"])
    verdicts = []
    for t in targets:
        if isinstance(t, Unlisted):  # members not listed live: maybe some, maybe none
            verdicts.append(Verdict(UNKNOWN, [f"{cond.related}: {t.reason}"]))
            continue
        if cond.check is None:
            verdicts.append(Verdict(PASS))  # the relation exists (in the scan or outside it)
            continue
        if isinstance(t, Unknown):
            verdicts.append(Verdict(UNKNOWN, [f"{cond.related}: {t.reason}"]))
            continue
        v = evaluate(cond.check, t, ctx)
        loc = v.location or t.attr_location(v.path)
        msgs = [f"{cond.related} {t.label}: {m}" for m in v.messages if m]  # "" is silent
        verdicts.append(Verdict(v.status, msgs, None, loc, v.evidence))
    return all_of(verdicts) if cond.quantifier == "all" else any_of(verdicts)


def used_by(cond: UsedBy, res: Resource, ctx: EvalContext, evaluate: Evaluate) -> Verdict:
    v = evaluate(cond.check, res, ctx)
    users = sorted(
        {
            f"{r.kind.replace('_', ' ')} {r.label}"
            for r in ctx.inventory.referrers(res, cond.rel)
            if not cond.kinds or r.kind in cond.kinds
        }
    )
    what = " or ".join(k.replace("_", " ") for k in cond.kinds) or "resource"
    msgs = list(v.messages)
    if v.status in (FAIL, UNKNOWN) and msgs:
        nobody = (
            f"no {what} of account {res.account} references it" if res.source == "aws" else f"no scanned {what} references it"
        )
        msgs.append(f"used by {', '.join(users)}" if users else nobody)
    return Verdict(v.status, msgs, v.path, v.location, {**v.evidence, "used_by": users})
