"""Guardrail identifiers and references, shared by the guardrail analyzers (AG206, AG806) and the KMS key one."""

from __future__ import annotations

import re
from typing import Any

from ..conditions import EvalContext
from ..model import Expr, Ref, Resource

GUARDRAIL_PATH = "guardrail_configuration.guardrail_identifier"


_GUARDRAIL_ARN = re.compile(r"^arn:aws[a-zA-Z-]*:bedrock:[^:]*:[^:]*:guardrail/(?P<id>[^/:]+)(?::[^/:]*)?$")


def guardrail_forms(text: str) -> set[str]:
    """The forms a guardrail reference can be matched by: itself, and the id of an ARN."""
    forms = {text}
    m = _GUARDRAIL_ARN.match(text)
    if m:
        forms.add(m.group("id"))
    return forms


def ref_target(ctx: EvalContext, res: Resource, value: Any) -> Resource | None:
    """The scanned resource a Ref (or an Expr built on one) points at."""
    if isinstance(value, Expr) and value.refs:
        value = value.refs[-1]
    if not isinstance(value, Ref):
        return None
    key = value.target if "#" in value.target else f"{res.stack}#{value.target}"
    return ctx.inventory.resources.get(key)


def resource_forms(r: Resource) -> set[str]:
    forms: set[str] = set()
    name = r.properties.get("name")  # a guardrail's name (Resource.name may be a symbolic value's text)
    if isinstance(name, str) and name:
        forms.add(name)
    if isinstance(r.arn, str):
        forms |= guardrail_forms(r.arn)
    return forms


def guardrail_by_literal(ctx: EvalContext, res: Resource, text: str) -> Resource | None:
    """The scanned guardrail a literal identifier resolved to (the graph made that edge)."""
    tail = text.rsplit("/", 1)[-1]
    for t in ctx.inventory.related(res, "guardrail"):
        if not isinstance(t, Resource):
            continue
        # (live, the agent's guardrail is the version it pins: ``<arn>:<version>``, with the guardrail's ARN and id)
        if text in (t.arn, t.properties.get("guardrail_arn")) or tail == t.properties.get("guardrail_id"):
            return t
        if t.properties.get("name") in (text, tail):
            return t
    return None
