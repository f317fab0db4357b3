"""``attr``: the values at a path compared by an operator (``operators.OPERATORS``), and element matching
(``attr`` with ``where``: some / no list element satisfies a condition)."""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any

from agentgov.policies.compiled import Attr

from ..graph import known_attribute
from ..model import MISSING, Ref, Resource
from .operators import OPERATORS, Operator
from .values import elements, unknown_reason, values_at
from .verdict import FAIL, PASS, UNKNOWN, EvalContext, Evaluate, Verdict

_REL = re.compile(r"\{rel:([a-z_]+)\}")


def attr(cond: Attr, res: Resource, ctx: EvalContext, evaluate: Evaluate) -> Verdict:
    if cond.where is not None:
        return _attr_where(cond, res, ctx, evaluate)
    op = OPERATORS.get(cond.op)
    if op is None:
        raise ValueError(f"unknown op {cond.op}")
    operand = cond.value
    if cond.param is not None:
        operand = ctx.params.get(cond.param)
        if operand is None:
            return Verdict(UNKNOWN, [f"parameter {cond.param} is not configured"], cond.attr)
    return op.judge_values(_judged_values(cond, op, res, ctx), operand, cond, _message(cond, res, ctx, operand))


def _judged_values(cond: Attr, op: Operator, res: Resource, ctx: EvalContext) -> list[Any]:
    values = values_at(res, cond.attr, ctx)
    if values and all(v is MISSING for v in values):
        values = []
    if cond.default is not None and op.uses_default:
        # absent (in every variant, or in some): AWS applies the documented default
        values = [cond.default if v is MISSING else v for v in values] or [cond.default]
    return values


def _message(cond: Attr, res: Resource, ctx: EvalContext, operand: Any) -> str:
    msg = (
        cond.message
        if cond.message is not None
        else f"{cond.attr} {cond.op.replace('_', ' ')}" + (f" {operand!r}" if operand is not None else "")
    )
    if "{rel:" in msg:
        msg = _REL.sub(lambda m: _labels(res, m.group(1), ctx), msg)
    if "{operand}" in msg:
        msg = msg.replace("{operand}", ", ".join(map(str, operand)) if isinstance(operand, list) else str(operand))
    return msg


def _labels(res: Resource, rel: str, ctx: EvalContext) -> str:
    """``{rel:NAME}`` in a message: the resources ``res``'s NAME edges reach, by kind and label."""
    names = []
    for t in ctx.inventory.related(res, rel):
        text = f"{t.kind} {t.label}" if isinstance(t, Resource) else str(t)
        if text not in names:
            names.append(text)
    return ", ".join(names[:3]) + (f" and {len(names) - 3} more" if len(names) > 3 else "") if names else "nothing scanned"


# ------------------------------------------------------ element matching


def _attr_where(cond: Attr, res: Resource, ctx: EvalContext, evaluate: Evaluate) -> Verdict:
    root: Any = {"tags": res.tags} if cond.attr == "tags" or cond.attr.startswith("tags.") else res.properties
    msg = cond.message if cond.message is not None else f"{cond.attr}: {'no' if cond.op == 'present' else 'an'} element matches"
    selected: list[str] = []
    maybe: list[str] = []  # reasons
    variant_without = False
    for value, at in elements(root, cond.attr):
        if value is MISSING:
            variant_without = True
            continue
        if value is None:
            continue
        if isinstance(value, Ref):
            value = known_attribute(ctx.inventory, res, value)
        reason = unknown_reason(value)
        if reason is not None:
            maybe.append(reason)
            continue
        assert cond.where is not None
        v = evaluate(cond.where, replace(res, properties=value if isinstance(value, dict) else {}), ctx)
        if v.status == PASS:
            selected.append(at)
        elif v.status == UNKNOWN:
            maybe.append(v.messages[0] if v.messages else "an element cannot be judged")
    evidence = {"matching": selected} if selected else {}
    if cond.op == "present":
        if variant_without:
            return Verdict(FAIL, [msg], cond.attr)  # a deployable variant has no such list
        if selected:
            return Verdict(PASS, path=selected[0], evidence=evidence)
    elif selected:  # absent
        return Verdict(FAIL, [msg], selected[0], evidence=evidence)
    if maybe:
        return Verdict(UNKNOWN, [f"{cond.attr}: {maybe[0]}"], cond.attr)
    if cond.op == "present":
        return Verdict(FAIL, [msg], cond.attr)
    return Verdict(PASS, path=cond.attr)
