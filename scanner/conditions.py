"""The declarative condition language of policy checks, evaluated in three-valued logic.

A condition yields a ``Verdict``: PASS, FAIL or UNKNOWN, with the messages
that explain a FAIL or UNKNOWN, the attribute path the finding should point
at, and evidence. ``all`` fails when any part fails (else is unknown when any
part is unknown); ``any`` passes when any part passes; ``not`` swaps PASS and
FAIL. An attribute whose value cannot be resolved makes its condition UNKNOWN
with the value's reason: nothing passes silently.

Two further forms:

* element matching: an ``attr`` condition with ``where`` reads the list
  elements at ``attr`` (through lists and Choices, like any path), judges each
  with the ``where`` condition (its paths are relative to the element) and is
  ``present`` (some element matches) or ``absent`` (none does). An element
  ``where`` cannot settle makes the verdict UNKNOWN unless another element
  already decides it; a variant without the list (``MISSING``) fails
  ``present``. The finding points at the matching element. Example, "some
  content filter of type PROMPT_ATTACK has input strength HIGH"::

      attr: content_policy_config.filters_config
      where:
        all:
          - {attr: type, op: equals, value: PROMPT_ATTACK}
          - {attr: input_strength, op: equals, value: HIGH}
      op: present

* applicability: ``when``/``then``/``message`` judges ``then`` only when
  ``when`` holds, and is PASS with ``message`` (why it does not apply) when it
  does not; when applicability is unknown, a passing ``then`` still passes and
  anything else is UNKNOWN.

A ``related`` condition without ``check`` only asks that the relation exist,
and ``used_by``/``check`` judges with ``check`` and names the resources that
point at the judged one through that relation (which agents use this guardrail).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from dataclasses import replace as _replace
from functools import lru_cache
from typing import Any

from agentgov.policies.compiled import All, AnalyzerCall, AnyOf, Attr, Exists, Not, Related, UsedBy, When

from .graph import known_attribute
from .model import MISSING, Choice, Expr, Inventory, Location, Ref, Resource, ShapedUnknown, Unknown, walk

PASS, FAIL, UNKNOWN = "PASS", "FAIL", "UNKNOWN"


@dataclass
class Verdict:
    status: str
    messages: list[str] = field(default_factory=list)
    path: str | None = None  # attribute of the judged resource the finding points at
    location: Location | None = None  # explicit location (e.g. a statement in another resource)
    evidence: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def passed(cls, **kw: Any) -> Verdict:
        return cls(PASS, **kw)


@dataclass
class EvalContext:
    inventory: Inventory
    params: dict[str, Any]  # effective parameter values (configuration over defaults)
    policy_id: str = ""
    #: analyzer name -> function, for ``analyzer:`` conditions (the engine gives ``analyzers.ANALYZERS``: the analyzers
    #: are written on top of this language, which knows them only by the names the policies use)
    analyzers: Mapping[str, Callable[..., Verdict]] = field(default_factory=dict)


def evaluate(cond: Any, res: Resource, ctx: EvalContext) -> Verdict:
    if isinstance(cond, Attr):
        return _attr(cond, res, ctx)
    if isinstance(cond, All):
        return _all([evaluate(c, res, ctx) for c in cond.items])
    if isinstance(cond, AnyOf):
        return _any([evaluate(c, res, ctx) for c in cond.items])
    if isinstance(cond, Not):
        v = evaluate(cond.cond, res, ctx)
        if v.status == UNKNOWN:
            return v
        if v.status == PASS:
            return Verdict(FAIL, [cond.message or "a condition that must not hold holds"], v.path, v.location, v.evidence)
        return Verdict(PASS, [], v.path, v.location, v.evidence)
    if isinstance(cond, Related):
        return _related(cond, res, ctx)
    if isinstance(cond, When):
        return _when(cond, res, ctx)
    if isinstance(cond, UsedBy):
        return _used_by(cond, res, ctx)
    if isinstance(cond, Exists):
        return _exists(cond, res, ctx)
    if isinstance(cond, AnalyzerCall):
        fn = ctx.analyzers.get(cond.analyzer)
        if fn is None:  # the pack checks the names at load: this is a caller that gave no analyzers
            raise LookupError(f"analyzer {cond.analyzer!r} is not among the analyzers given to this evaluation")
        params = {k: (ctx.params.get(v[1:]) if isinstance(v, str) and v.startswith("$") else v) for k, v in cond.params.items()}
        return fn(res, ctx, params)
    raise TypeError(f"unknown condition {type(cond).__name__}")


def _all(vs: list[Verdict]) -> Verdict:
    fails = [v for v in vs if v.status == FAIL]
    if fails:
        return _merge(FAIL, fails)
    unknowns = [v for v in vs if v.status == UNKNOWN]
    if unknowns:
        return _merge(UNKNOWN, unknowns)
    return _merge(PASS, vs)


def _any(vs: list[Verdict]) -> Verdict:
    passes = [v for v in vs if v.status == PASS]
    if passes:
        return _merge(PASS, passes)
    unknowns = [v for v in vs if v.status == UNKNOWN]
    if unknowns:
        return _merge(UNKNOWN, unknowns)
    return _merge(FAIL, vs)


def _merge(status: str, vs: list[Verdict]) -> Verdict:
    messages: list[str] = []
    evidence: dict[str, Any] = {}
    for v in vs:
        for m in v.messages:
            if m and m not in messages:
                messages.append(m)
        evidence.update(v.evidence)
    # point at what the messages are about (a silent alternative of ``any`` is not)
    first = next((v for v in vs if any(v.messages)), vs[0] if vs else None)
    return Verdict(status, messages, first.path if first else None, first.location if first else None, evidence)


# ------------------------------------------------------------ attributes


def _values(res: Resource, path: str, ctx: EvalContext) -> list[Any]:
    if path == "@kind":  # the judged resource's kind (policies that judge several kinds)
        return [res.kind]
    if path == "@id":  # its logical id / Terraform address / ARN (what a name-based scope reads)
        return [res.id] + ([res.display_name] if res.display_name else [])
    if path == "tags" or path.startswith("tags."):
        root: Any = {"tags": res.tags}
    else:
        root = res.properties
    out = []
    for v in walk(root, path):
        if isinstance(v, Ref):
            v = known_attribute(ctx.inventory, res, v)
        if v is None:
            continue
        out.append(v)  # MISSING: absent in one variant of an unresolved condition
    return out


def _unknown_reason(v: Any) -> str | None:
    if isinstance(v, Unknown):
        return v.reason
    if isinstance(v, Expr):
        u = v.unknowns
        if u:
            return u[0].reason
        return f"{v} is known only at deploy time"
    if isinstance(v, Ref):
        return f"{v} is known only at deploy time"
    if isinstance(v, Choice):
        return f"depends on condition {v.condition}"
    return None


@lru_cache(maxsize=512)
def _rx(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern)


def _num(v: Any) -> float | None:
    if isinstance(v, bool):
        return None
    if isinstance(v, (int, float)):
        return float(v)
    if isinstance(v, str):
        try:
            return float(v)
        except ValueError:
            return None
    return None


def _cmp(op: str, v: Any, operand: Any) -> bool | None:
    """One value against the operand; None means the value cannot be judged."""
    if op == "present":
        return not (v == "" or v == [] or v == {})
    if op == "not_empty":
        return not (v == "" or v == [] or v == {})
    if op == "truthy":
        return v is True or (isinstance(v, str) and v.lower() in ("true", "enabled", "yes", "1"))
    if op == "falsy":
        return v is False or (isinstance(v, str) and v.lower() in ("false", "disabled", "no", "0"))
    if op in ("equals", "not_equals"):
        eq = _norm(v) == _norm(operand)
        return eq if op == "equals" else not eq
    if op in ("in", "not_in"):
        items = operand if isinstance(operand, list) else [operand]
        hit = _norm(v) in [_norm(i) for i in items]
        return hit if op == "in" else not hit
    if op in ("matches", "not_matches"):
        if not operand:  # an empty pattern matches nothing (the parameter is switched off)
            return op == "not_matches"
        if not isinstance(v, str):
            v = str(v)
        hit = _rx(str(operand)).search(v) is not None
        return hit if op == "matches" else not hit
    if op in ("lt", "le", "gt", "ge"):
        a, b = _num(v), _num(operand)
        if a is None or b is None:
            return None
        return {"lt": a < b, "le": a <= b, "gt": a > b, "ge": a >= b}[op]
    if op == "has_keys":
        if not isinstance(v, dict):
            return None
        return all(k in v for k in (operand or []))
    if op in ("has_tag", "not_has_tag"):
        if not isinstance(v, dict):
            return None
        hit = _has_tag(v, str(operand))
        if hit is None:
            return None
        return hit if op == "has_tag" else not hit
    raise ValueError(f"unknown op {op}")


def _has_tag(tags: dict[str, Any], spec: str) -> bool | None:
    """``spec`` is ``key=value`` (value compared case-insensitively) or ``key`` (any value)."""
    key, sep, want = spec.partition("=")
    if key not in tags:
        return False
    if not sep:
        return True
    v = tags[key]
    if _unknown_reason(v) is not None:
        return None
    return str(_norm(v)).lower() == want.lower()


def _norm(v: Any) -> Any:
    if isinstance(v, bool):
        return str(v).lower()
    if isinstance(v, (int, float)):
        return str(v)
    return v


_REL = re.compile(r"\{rel:([a-z_]+)\}")


def _labels(res: Resource, rel: str, ctx: EvalContext) -> str:
    """``{rel:NAME}`` in a message: the resources ``res``'s NAME edges reach, by kind and label."""
    names = []
    for t in ctx.inventory.related(res, rel):
        text = f"{t.kind} {t.label}" if isinstance(t, Resource) else str(t)
        if text not in names:
            names.append(text)
    return ", ".join(names[:3]) + (f" and {len(names) - 3} more" if len(names) > 3 else "") if names else "nothing scanned"


def _attr(cond: Attr, res: Resource, ctx: EvalContext) -> Verdict:
    if cond.where is not None:
        return _attr_where(cond, res, ctx)
    operand = cond.value
    if cond.param is not None:
        operand = ctx.params.get(cond.param)
        if operand is None:
            return Verdict(UNKNOWN, [f"parameter {cond.param} is not configured"], cond.attr)
    values = _values(res, cond.attr, ctx)
    msg = (
        cond.message
        if cond.message is not None
        else f"{cond.attr} {cond.op.replace('_', ' ')}" + (f" {operand!r}" if operand is not None else "")
    )
    if "{rel:" in msg:
        msg = _REL.sub(lambda m: _labels(res, m.group(1), ctx), msg)
    if "{operand}" in msg:
        msg = msg.replace("{operand}", ", ".join(map(str, operand)) if isinstance(operand, list) else str(operand))
    if values and all(v is MISSING for v in values):
        values = []
    if cond.default is not None and cond.op != "absent":
        # absent (in every variant, or in some): AWS applies the documented default
        values = [cond.default if v is MISSING else v for v in values] or [cond.default]
    if cond.op == "absent":
        values = [v for v in values if v is not MISSING]
        if not values:
            return Verdict(PASS, path=cond.attr)
        reasons = [r for r in map(_unknown_reason, values) if r]
        if len(reasons) == len(values):
            return Verdict(UNKNOWN, [f"{cond.attr}: {reasons[0]}"], cond.attr)
        return Verdict(FAIL, [msg.replace("{value}", ", ".join(map(str, values)))], cond.attr)
    if not values:
        if cond.op in ("not_equals", "not_in", "not_matches", "not_has_tag"):
            return Verdict(PASS, path=cond.attr)
        return Verdict(FAIL, [msg.replace("{value}", "absent")], cond.attr)
    results: list[bool | None] = []
    reasons: list[str] = []
    negative = cond.op in ("not_equals", "not_in", "not_matches", "not_has_tag")
    for v in values:
        if v is MISSING:  # absent in one deployable variant
            results.append(negative)
            continue
        if cond.op in ("present", "not_empty") and isinstance(v, (Ref, Expr, ShapedUnknown)):
            results.append(True)  # a reference or a built string is a value, known or not
            continue
        if isinstance(v, ShapedUnknown):
            r = _shape_cmp(cond.op, v, operand)
            if r is not None:
                results.append(r)
                continue
        if cond.op in ("has_tag", "not_has_tag") and isinstance(v, dict) and operand is not None:
            tag_value = v.get(str(operand).partition("=")[0])
            if _unknown_reason(tag_value) is not None:
                results.append(None)
                reasons.append(f"tag {str(operand).partition('=')[0]}: {_unknown_reason(tag_value)}")
                continue
        reason = _unknown_reason(v)
        if reason is not None:
            if cond.op in ("not_equals", "not_in", "not_matches") and isinstance(v, Expr) and isinstance(operand, (str, list)):
                # an ARN built from refs is still not the literal "DRAFT"
                lits = operand if isinstance(operand, list) else [operand]
                if v.literal and all(isinstance(x, str) and v.literal not in x and x not in v.literal for x in lits):
                    results.append(True)
                    continue
            results.append(None)
            reasons.append(reason)
            continue
        if cond.op == "has_keys" and isinstance(v, dict):
            missing = [k for k in (operand or []) if k not in v]
            if missing:
                return Verdict(FAIL, [f"{msg}: missing {', '.join(missing)}"], cond.attr, evidence={"missing": missing})
            results.append(True)
            continue
        r = _cmp(cond.op, v, operand)
        if r is None:
            reasons.append(f"{cond.attr} is not comparable")
        results.append(r)
    if cond.quantifier == "all":
        if any(r is False for r in results):
            if "{value}" in msg:  # the offending value(s) in the message
                bad = [v for v, r in zip(values, results) if r is False]
                msg = msg.replace("{value}", ", ".join("absent" if v is MISSING else str(v) for v in bad))
            return Verdict(FAIL, [msg], cond.attr)
        if any(r is None for r in results):
            return Verdict(UNKNOWN, [f"{cond.attr}: {reasons[0]}"], cond.attr)
        return Verdict(PASS, path=cond.attr)
    if any(r is True for r in results):
        return Verdict(PASS, path=cond.attr)
    if any(r is None for r in results):
        return Verdict(UNKNOWN, [f"{cond.attr}: {reasons[0]}"], cond.attr)
    return Verdict(FAIL, [msg.replace("{value}", "none matches")], cond.attr)


def _shape_cmp(op: str, v: ShapedUnknown, operand: Any) -> bool | None:
    """Equality against literals that a value of ``v``'s shape can never be; else None."""
    if op not in ("equals", "not_equals", "in", "not_in") or not v.shape:
        return None
    items = operand if isinstance(operand, list) else [operand]
    if not all(isinstance(i, (str, int, float)) and not isinstance(i, bool) for i in items):
        return None
    if any(_rx(f"(?:{v.shape})\\Z").match(str(_norm(i))) for i in items):
        return None  # the value may be one of them
    return op in ("not_equals", "not_in")


# ------------------------------------------------------ element matching


def _elements(root: Any, path: str) -> list[tuple[Any, str]]:
    """(value, indexed path) at ``path``, through lists and Choices like ``walk``.

    ``MISSING`` marks a deployable variant without the list; an element that is
    absent in a variant (a list item ``!If [c, {...}, !Ref AWS::NoValue]``) is
    simply not an element.
    """
    parts = path.split(".") if path else []
    out: list[tuple[Any, str]] = []
    # (node, index in parts, indexed path, inside a Choice, an element of the final list)
    stack: list[tuple[Any, int, str, bool, bool]] = [(root, 0, "", False, False)]
    while stack:
        node, i, at, alt, elem = stack.pop()
        if isinstance(node, Choice):
            stack.extend((o, i, at, True, elem) for o in reversed(node.options))
            continue
        if isinstance(node, list):
            last = i == len(parts)
            stack.extend((x, i, f"{at}.{n}" if at else str(n), alt, elem or last) for n, x in reversed(list(enumerate(node))))
            continue
        if node is MISSING:
            if not elem:
                out.append((MISSING, at))
            continue
        if i == len(parts) or isinstance(node, Unknown):
            out.append((node, at))
            continue
        if isinstance(node, dict) and parts[i] in node:
            stack.append((node[parts[i]], i + 1, f"{at}.{parts[i]}" if at else parts[i], alt, False))
        elif alt:
            out.append((MISSING, at))
    return out


def _attr_where(cond: Attr, res: Resource, ctx: EvalContext) -> Verdict:
    root: Any = {"tags": res.tags} if cond.attr == "tags" or cond.attr.startswith("tags.") else res.properties
    msg = cond.message if cond.message is not None else f"{cond.attr}: {'no' if cond.op == 'present' else 'an'} element matches"
    selected: list[str] = []
    maybe: list[str] = []  # reasons
    variant_without = False
    for value, at in _elements(root, cond.attr):
        if value is MISSING:
            variant_without = True
            continue
        if value is None:
            continue
        if isinstance(value, Ref):
            value = known_attribute(ctx.inventory, res, value)
        reason = _unknown_reason(value)
        if reason is not None:
            maybe.append(reason)
            continue
        v = evaluate(cond.where, _replace(res, properties=value if isinstance(value, dict) else {}), ctx)
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


# ---------------------------------------------------------- applicability


def _when(cond: When, res: Resource, ctx: EvalContext) -> Verdict:
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


def _used_by(cond: UsedBy, res: Resource, ctx: EvalContext) -> Verdict:
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
        msgs.append(f"used by {', '.join(users)}" if users else f"no scanned {what} references it")
    return Verdict(v.status, msgs, v.path, v.location, {**v.evidence, "used_by": users})


# ------------------------------------------------------------- relations


def _related(cond: Related, res: Resource, ctx: EvalContext) -> Verdict:
    targets = ctx.inventory.related(res, cond.related)
    if not targets:
        if cond.if_none == "pass":
            return Verdict(PASS)
        if cond.if_none == "unknown":
            return Verdict(UNKNOWN, [cond.message or f"no {cond.related} found in the scanned files"])
        return Verdict(FAIL, [cond.message or f"no {cond.related}"])
    verdicts = []
    for t in targets:
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
    return _all(verdicts) if cond.quantifier == "all" else _any(verdicts)


# ---------------------------------------------------------------- exists


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
    from .kinds import QUALIFIED_KINDS

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


def _exists(cond: Exists, res: Resource, ctx: EvalContext) -> Verdict:
    """PASS when a resource of ``kind`` in scope satisfies ``check``; see ``schema.ExistsSpec``."""
    cands = _candidates(cond, res, ctx.inventory)
    passed_over: list[str] = []
    if cond.where is not None:
        kept = []
        for c in cands:
            (kept if evaluate(cond.where, c, ctx).status != FAIL else passed_over).append(c)
        cands, passed_over = kept, [c.label for c in passed_over]
    if not cands and _collected_none(cond, res, ctx.inventory):
        where = f"account {res.account}" + (f" {res.region}" if res.region and cond.scope != "stack" else "")
        return Verdict(
            FAIL,
            [
                f"{where} has no {cond.kind.replace('_', ' ')} (collected live)"
                + (f"; not counted: {', '.join(passed_over[:3])}" if passed_over else "")
            ],
        )
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
