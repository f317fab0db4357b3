"""Reading the values a condition judges: the values at a path of the judged resource, the elements of a list, why a
value is not known, and the normalizations comparisons share."""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from ..graph import known_attribute
from ..model import MISSING, Choice, Expr, Ref, Resource, Unknown, walk
from .verdict import EvalContext


def values_at(res: Resource, path: str, ctx: EvalContext) -> list[Any]:
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


def unknown_reason(v: Any) -> str | None:
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
def rx(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern)


def num(v: Any) -> float | None:
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


def norm(v: Any) -> Any:
    if isinstance(v, bool):
        return str(v).lower()
    if isinstance(v, (int, float)):
        return str(v)
    return v


def elements(root: Any, path: str) -> list[tuple[Any, str]]:
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
