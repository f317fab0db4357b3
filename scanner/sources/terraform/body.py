"""A block's body evaluated into properties: attributes as Python values, nested blocks as lists of dicts (as in plan
JSON), ``dynamic`` blocks expanded, and a location for every attribute, nested block and constructor key.

Used for managed resources (``resources``) and for the data sources a module evaluates (``modules``).
"""

from __future__ import annotations

from typing import Any

from agentgov.scanner.model import Location, Unknown

from . import syntax as S
from .evaluate import evaluate, evaluate_safely
from .hcl import Attribute, Block, Body
from .scope import Scope, iterate
from .values import OVER_LIMIT, BudgetExhausted, EvalError, NeedKnown, ValueTooLarge, finalize, unknown_from

META_ATTRS = frozenset({"count", "for_each", "provider", "depends_on"})
META_BLOCKS = frozenset({"lifecycle", "provisioner", "connection"})
MAX_LOCATIONS = 5000  # per resource


# --- bodies --------------------------------------------------------------------------------------


def attribute_value(attr: Attribute, scope: Scope, path: str) -> Any:
    try:
        value = scope.session.measure(evaluate(attr.expr, scope))
    except BudgetExhausted:
        raise
    except ValueTooLarge:
        scope.session.note_too_large(attr.file.display, attr.line, path)
        value = OVER_LIMIT
    except EvalError as exc:
        value = Unknown(f"cannot evaluate {path}: {exc}")
    except RecursionError:
        value = Unknown(f"cannot evaluate {path}: nested too deeply")
    except Exception as exc:  # a scanner bug must not lose the resource
        value = Unknown(f"scanner error evaluating {path}: {type(exc).__name__}: {exc}")
    return finalize(value)


def evaluate_body(
    body: Body, scope: Scope, prefix: str, locations: dict[str, Location] | None, skip_meta: bool = False
) -> dict[str, Any]:
    props: dict[str, Any] = {}
    unknown_blocks: set[str] = set()
    for item in body.items:
        if isinstance(item, Attribute):
            if skip_meta and item.name in META_ATTRS:
                continue
            path = prefix + item.name
            props[item.name] = attribute_value(item, scope, path)
            if locations is not None and len(locations) < MAX_LOCATIONS:
                locations[path] = item.location
                _locate(item.expr, path, locations, item.file.display, 0)
            continue
        block = item
        if skip_meta and block.type in META_BLOCKS:
            continue
        if block.type == "dynamic":
            _dynamic(block, scope, prefix, props, locations, unknown_blocks)
            continue
        if block.type in unknown_blocks:
            continue
        items = props.setdefault(block.type, [])
        if not isinstance(items, list):
            continue
        path = f"{prefix}{block.type}.{len(items)}"
        if locations is not None and len(locations) < MAX_LOCATIONS:
            locations[path] = block.location
        items.append(evaluate_body(block.body, scope, path + ".", locations))
    return props


def _dynamic(
    block: Block,
    scope: Scope,
    prefix: str,
    props: dict[str, Any],
    locations: dict[str, Location] | None,
    unknown_blocks: set[str],
) -> None:
    if not block.labels:
        return
    label = block.labels[0]
    attrs = block.body.attributes
    content = next((b for b in block.body.blocks if b.type == "content"), None)
    if content is None or "for_each" not in attrs:
        return
    iterator = attrs["iterator"].text.strip() if "iterator" in attrs else label
    coll = evaluate_safely(attrs["for_each"].expr, scope, f"for_each of dynamic {label}")
    try:
        pairs = iterate(coll, f"dynamic {label}")
    except (NeedKnown, EvalError) as exc:
        why = unknown_from(exc.value, "it").reason if isinstance(exc, NeedKnown) else str(exc)
        props[label] = Unknown(f"dynamic block over an unknown collection ({prefix}{label}: {why})")
        unknown_blocks.add(label)
        if locations is not None:
            locations[prefix + label] = block.location
        return
    if label in unknown_blocks:
        return
    items = props.setdefault(label, [])
    if not isinstance(items, list):
        return
    for k, v in pairs:
        inner = scope.child(**{iterator: {"key": k, "value": v}})
        path = f"{prefix}{label}.{len(items)}"
        if locations is not None and len(locations) < MAX_LOCATIONS:
            locations[path] = content.location
        items.append(evaluate_body(content.body, inner, path + ".", locations))


def _locate(expr: S.Syntax, path: str, locations: dict[str, Location], file: str, depth: int) -> None:
    """Locations of the keys/elements written literally inside an attribute value."""
    if depth > 12 or len(locations) >= MAX_LOCATIONS:
        return
    if isinstance(expr, S.Call) and expr.name in ("jsonencode", "tomap", "tolist") and len(expr.args) == 1:
        _locate(expr.args[0], path, locations, file, depth + 1)
    elif isinstance(expr, S.ObjectCons):
        for key, value, (line, column) in zip(expr.keys, expr.values, expr.positions):
            if isinstance(key, S.Lit) and isinstance(key.value, str):
                p = f"{path}.{key.value}"
                locations.setdefault(p, Location(file=file, line=line, column=column))
                _locate(value, p, locations, file, depth + 1)
    elif isinstance(expr, S.TupleCons):
        for i, (item, (line, column)) in enumerate(zip(expr.items, expr.positions)):
            p = f"{path}.{i}"
            locations.setdefault(p, Location(file=file, line=line, column=column))
            _locate(item, p, locations, file, depth + 1)
