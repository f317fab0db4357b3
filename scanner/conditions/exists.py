"""``exists``: some resource of a kind, in scope of the judged one, satisfies a condition (``schema.ExistsSpec``)."""

from __future__ import annotations

from agentgov.policies.compiled import Exists

from ..kinds import QUALIFIED_KINDS
from ..model import Inventory, Resource
from .verdict import FAIL, PASS, UNKNOWN, EvalContext, Evaluate, Verdict


def _in_scope(scope: str, cand: Resource, res: Resource) -> bool:
    if scope == "stack":
        return cand.stack == res.stack
    if scope == "stack_region":
        if cand.stack != res.stack:
            return False
        live = cand.source == "aws" and res.source == "aws"
        return not live or cand.region is None or res.region is None or cand.region == res.region
    if scope in ("account", "region"):
        if cand.account and res.account and cand.account != res.account:
            return False
        if scope == "region" and cand.region and res.region and cand.region != res.region:
            return False
    return True


def _candidates(cond: Exists, res: Resource, inv: Inventory) -> list[Resource]:
    base = QUALIFIED_KINDS.get(cond.kind)
    pool = inv.of_kind(base) if base else inv.of_kind(cond.kind)
    out = []
    for r in pool:
        if base and not inv.has_qualifier(r, cond.kind):
            continue
        if r.key != res.key and _in_scope(cond.scope, r, res):
            out.append(r)
    return out


def _collected_none(cond: Exists, res: Resource, inv: Inventory) -> bool:
    """The live collection of ``cond.kind`` completed where the judged resource is (so none means none)."""
    if res.source != "aws" or not res.account or not inv.collected:
        return False
    regions = {res.region, None} if cond.scope == "stack_region" else {r for (a, r, k) in inv.collected if a == res.account}
    return any((res.account, r, cond.kind) in inv.collected for r in regions)


def _not_collected(cond: Exists, res: Resource, inv: Inventory) -> str:
    """Why a live resource's account (and region) has no record of ``cond.kind``: the call that failed."""
    what = cond.kind.replace("_", " ")
    regions = (
        [res.region, None]
        if cond.scope == "stack_region"
        else sorted({r for (a, r, _) in inv.uncollected if a == res.account}, key=str)
    )
    for region in regions:
        why = inv.uncollected.get((res.account, region, cond.kind)) if res.account is not None else None
        if why:
            return f"the {what} of account {res.account}" + (f" in {region}" if region else "") + f" was not read: {why}"
    return f"no {what} of account {res.account} was read (its collector did not run for this account or region)"


def exists(cond: Exists, res: Resource, ctx: EvalContext, evaluate: Evaluate) -> Verdict:
    """PASS when a resource of ``kind`` in scope satisfies ``check``; see ``schema.ExistsSpec``."""
    cands = _candidates(cond, res, ctx.inventory)
    passed_over: list[str] = []
    if cond.where is not None:
        kept: list[Resource] = []
        failed: list[Resource] = []
        for c in cands:
            (kept if evaluate(cond.where, c, ctx).status != FAIL else failed).append(c)
        cands, passed_over = kept, [c.label for c in failed]
    if not cands and _collected_none(cond, res, ctx.inventory):
        where = f"account {res.account}" + (f" {res.region}" if res.region and cond.scope != "stack" else "")
        return Verdict(
            FAIL,
            [
                f"{where} has no {cond.kind.replace('_', ' ')} (collected live)"
                + (f"; not counted: {', '.join(passed_over[:3])}" if passed_over else "")
            ],
        )
    if not cands and res.source == "aws" and res.account and cond.if_none not in ("pass", "fail"):
        return Verdict(UNKNOWN, [_not_collected(cond, res, ctx.inventory)])  # (the IaC message speaks of files)
    if not cands:
        msg = cond.message or f"no {cond.kind} found in the scanned files"
        if passed_over:
            shown = ", ".join(passed_over[:3]) + (f" and {len(passed_over) - 3} more" if len(passed_over) > 3 else "")
            msg = f"{msg} (not counted: {cond.kind} {shown})"
        status = {"pass": PASS, "fail": FAIL}.get(cond.if_none, UNKNOWN)
        return Verdict(status, [msg] if status != PASS else [])
    verdicts: list[tuple[Resource, Verdict]] = []
    for c in cands:
        v = evaluate(cond.check, c, ctx) if cond.check is not None else Verdict(PASS)
        verdicts.append((c, v))
        if v.status == PASS:
            return Verdict(
                PASS,
                [f"{c.kind} {c.label} ({c.location}) settles it"],
                evidence={"settled_by": c.label, "settled_by_location": str(c.location)},
            )
    status = UNKNOWN if any(v.status == UNKNOWN for _, v in verdicts) else FAIL
    chosen = [(c, v) for c, v in verdicts if v.status == status]
    msgs: list[str] = []
    for c, v in chosen:
        for m in [m for m in v.messages if m] or ["does not satisfy the check"]:
            text = f"{c.kind} {c.label}: {m}"
            if text not in msgs:
                msgs.append(text)
    first_c, first_v = chosen[0]
    loc = first_v.location or first_c.attr_location(first_v.path)
    return Verdict(status, msgs, None, loc, {"candidates": [c.label for c, _ in verdicts]})
