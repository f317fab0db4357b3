"""Approved models (AG802): the foundation model or inference profile an agent uses is on the approved list."""

from __future__ import annotations

from fnmatch import fnmatchcase
from typing import Any

from ..conditions import FAIL, PASS, UNKNOWN, EvalContext, Verdict, unknown_reason
from ..model import MISSING, Expr, Ref, Resource, seen_in, walk
from ._guardrails import ref_target
from ._models import OPAQUE_ROUTES, TAIL, entry_patterns, model_forms


def _judge_model(v: Any, patterns: list[str], res: Resource, ctx: EvalContext, depth: int = 0) -> tuple[str, str | None]:
    """(status, message) of one model value; an application inference profile of the
    scan is followed to the model it copies."""
    target = ref_target(ctx, res, v) if isinstance(v, (Ref, Expr)) and depth == 0 else None
    if target is not None and target.kind == "inference_profile":
        sources = [s for s in walk(target.properties, "model_source.copy_from") if s is not None and s is not MISSING]
        if not sources:
            return UNKNOWN, f"the application inference profile {target.label} names no model it copies"
        results = [_judge_model(s, patterns, target, ctx, depth + 1) for s in sources]
        for status in (FAIL, UNKNOWN):
            msgs = [m for st, m in results if st == status and m]
            if msgs:
                return status, f"application inference profile {target.label}: " + "; ".join(msgs)
        return PASS, None
    if isinstance(v, Expr):
        tail = v.parts[-1] if v.parts and isinstance(v.parts[-1], str) else ""
        m = TAIL.search(tail)
        if not m:
            return UNKNOWN, f"the foundation model {v} is known only at deploy time"
        text = m.group("rest")
    elif isinstance(v, str):
        text = v
    else:
        return UNKNOWN, f"the foundation model: {unknown_reason(v) or v}"
    forms, kind = model_forms(text)
    if any(fnmatchcase(f, p) for f in forms for p in patterns):
        return PASS, None
    if kind in OPAQUE_ROUTES:
        return (
            UNKNOWN,
            f"{text} is {OPAQUE_ROUTES[kind]}, whose model the scanned files do not show; list it in approved_models to approve it",
        )
    return FAIL, f"the foundation model {text} is not in approved_models"


def check(res: Resource, ctx: EvalContext, params: dict[str, Any]) -> Verdict:
    path = params.get("path") or "foundation_model"
    approved = params.get("approved")
    if approved is None:
        return Verdict(
            UNKNOWN,
            ["parameter approved_models is not configured: list the approved model ids (globs allowed)"],
            path,
        )
    patterns = entry_patterns(approved)
    values = [v for v in walk(res.properties, path) if v is not None and v != ""]
    if not values or all(v is MISSING for v in values):
        return Verdict(UNKNOWN, [f"the {res.kind} names no foundation model {seen_in(res)} ({path} is not set)"], path)
    fails: list[str] = []
    unknowns: list[str] = []
    for v in values:
        if v is MISSING:
            unknowns.append(f"a deployable variant of the {res.kind} names no foundation model")
            continue
        status, msg = _judge_model(v, patterns, res, ctx)
        if status == FAIL and msg:
            fails.append(msg)
        elif status == UNKNOWN and msg:
            unknowns.append(msg)
    evidence = {"approved_models": list(approved)}
    if fails:
        return Verdict(FAIL, fails, path, evidence=evidence)
    if unknowns:
        return Verdict(UNKNOWN, unknowns, path, evidence=evidence)
    return Verdict(PASS, path=path, evidence=evidence)
