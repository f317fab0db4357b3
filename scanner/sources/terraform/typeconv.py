"""Variable type constraints: convert a value as Terraform does before a module sees it.

Only what changes what a module reads is done: optional object attributes
get their default (or null), attributes not in an object type are dropped,
primitive strings/numbers/bools convert. A value that does not fit the type
is passed through unchanged rather than guessed at.
"""

from __future__ import annotations

from typing import Any

from . import syntax as S
from .values import SYMBOLIC, EvalError, Namespace, NeedKnown, format_number, to_bool, to_number


def convert(value: Any, type_expr: S.Syntax | None, scope: Any, depth: int = 0) -> Any:
    """``value`` converted to the type written as ``type_expr`` (best effort, never raises)."""
    if type_expr is None or depth > 30 or isinstance(value, SYMBOLIC) or isinstance(value, Namespace):
        return value
    try:
        return _convert(value, type_expr, scope, depth)
    except (EvalError, NeedKnown, RecursionError, TypeError, ValueError):
        return value


def _convert(value: Any, t: S.Syntax, scope: Any, depth: int) -> Any:
    if value is None or isinstance(value, SYMBOLIC) or isinstance(value, Namespace):
        return value
    if isinstance(t, S.Name):
        name = t.name
        if name == "string" and isinstance(value, (bool, int, float)) and not isinstance(value, str):
            return format_number(value) if not isinstance(value, bool) else ("true" if value else "false")
        if name == "number" and isinstance(value, str):
            return to_number(value)
        if name == "bool" and isinstance(value, str):
            return to_bool(value)
        return value
    if isinstance(t, S.Call):
        name, args = t.name, t.args
        if name in ("list", "set") and len(args) == 1 and isinstance(value, list):
            return [convert(v, args[0], scope, depth + 1) for v in value]
        if name == "map" and len(args) == 1 and isinstance(value, dict):
            return {k: convert(v, args[0], scope, depth + 1) for k, v in value.items()}
        if name == "tuple" and len(args) == 1 and isinstance(args[0], S.TupleCons) and isinstance(value, list):
            types = args[0].items
            return [convert(v, types[i], scope, depth + 1) if i < len(types) else v for i, v in enumerate(value)]
        if name == "object" and len(args) == 1 and isinstance(args[0], S.ObjectCons) and isinstance(value, dict):
            return _object(value, args[0], scope, depth)
        if name == "optional" and args:
            return convert(value, args[0], scope, depth + 1)
    return value


def _object(value: dict[str, Any], spec: S.ObjectCons, scope: Any, depth: int) -> dict[str, Any]:
    from .evaluate import evaluate

    out: dict[str, Any] = {}
    for knode, tnode in zip(spec.keys, spec.values):
        if not isinstance(knode, S.Lit) or not isinstance(knode.value, str):
            return value  # a computed attribute name: leave the value alone
        key = knode.value
        optional = tnode if isinstance(tnode, S.Call) and tnode.name == "optional" else None
        inner = optional.args[0] if optional is not None and optional.args else tnode
        if key in value and value[key] is not None:
            out[key] = convert(value[key], inner, scope, depth + 1)
        elif optional is not None and len(optional.args) > 1:
            default = evaluate(optional.args[1], scope)
            out[key] = convert(default, inner, scope, depth + 1)
        elif key in value or optional is not None:
            out[key] = None
        else:
            return value  # a required attribute is missing: Terraform would reject it
    return out
