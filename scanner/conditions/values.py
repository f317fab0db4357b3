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


#: the longest text a ``matches`` pattern is searched in: a longer value is UNKNOWN (not searched), with that reason
MAX_MATCH_INPUT = 100_000
#: the longest pattern a user policy may carry
MAX_PATTERN = 1_000

_RE2: list[Any] = []  # [module or None, options]: imported on first use (start-up time)


def _re2() -> tuple[Any, Any]:
    """RE2 (google-re2, a declared dependency): linear-time matching, no backtracking; (None, None) without it."""
    if not _RE2:
        try:
            import re2

            opts = re2.Options()
            opts.log_errors = False  # a pattern RE2 refuses is reported by us, once, not logged on stderr
            _RE2.extend([re2, opts])
        except ImportError:  # pragma: no cover - the dependency is declared; a broken install still matches with `re`
            _RE2.extend([None, None])
    return _RE2[0], _RE2[1]


# what makes a backtracking engine's time explode (used only when RE2 is not installed): backreferences, lookaround,
# and a quantified group that itself holds a quantifier, such as (a+)+ or (a|aa)*
_UNSAFE = re.compile(r"\\[1-9]|\(\?<?[=!]|\([^()]*[*+}][^()]*\)\s*[*+{]")


def pattern_problem(pattern: str) -> str | None:
    """Why a user policy's pattern is refused: too long, or not a pattern the linear-time engine (RE2) runs
    (backreferences, lookahead and lookbehind have no linear-time algorithm); None when it is accepted."""
    if len(pattern) > MAX_PATTERN:
        return f"longer than {MAX_PATTERN} characters"
    engine, opts = _re2()
    if engine is None:
        try:
            re.compile(pattern)
        except re.error as exc:
            return f"invalid regular expression: {exc}"
        if _UNSAFE.search(pattern):
            return "backreferences, lookaround and nested quantifiers can take exponential time"
        return None
    try:
        engine.compile(pattern, opts)
    except engine.error as exc:
        reason = exc.args[0].decode() if exc.args and isinstance(exc.args[0], bytes) else str(exc)
        return f"RE2 (linear-time matching) cannot run it: {reason} (backreferences and lookaround are not supported)"
    return None


@lru_cache(maxsize=512)
def rx(pattern: str) -> Any:
    """A compiled pattern: RE2's (linear time in the input, whatever the pattern) when RE2 can run it; else Python's
    (a pattern of the built-in pack or the configuration that RE2 cannot run: user policies' patterns never are)."""
    engine, opts = _re2()
    if engine is not None:
        try:
            return engine.compile(pattern, opts)
        except engine.error:
            pass
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
