"""Helpers shared by the built-in function modules: registration, limits, set keys."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from agentgov.scanner.model import Choice, Expr, Ref, Unknown

from .values import MAX_COLLECTION, MAX_STRING, EvalError, Namespace, type_name

Fn = Callable[[Any, list[Any]], Any]


def registry(FUNCTIONS: dict[str, Fn]) -> Callable[..., Callable[[Fn], Fn]]:
    """A ``fn(name, nargs)`` decorator that registers into ``FUNCTIONS``."""

    def fn(name: str, nargs: int | tuple[int, int | None] | None = None) -> Callable[[Fn], Fn]:
        """Register a function; ``nargs``: exact count or (min, max or None)."""

        def deco(f: Fn) -> Fn:
            if nargs is None:
                FUNCTIONS[name] = f
                return f
            lo, hi = (nargs, nargs) if isinstance(nargs, int) else nargs

            def checked(scope: Any, args: list[Any]) -> Any:
                if len(args) < lo or (hi is not None and len(args) > hi):
                    want = str(lo) if lo == hi else f"{lo} to {hi}" if hi is not None else f"at least {lo}"
                    raise EvalError(f"{name}() takes {want} arguments, got {len(args)}")
                return f(scope, args)

            FUNCTIONS[name] = checked
            return checked

        return deco

    return fn


def plain(v: Any) -> Any:
    return v.materialize() if isinstance(v, Namespace) else v


def cap(n: int, what: str) -> None:
    if n > MAX_COLLECTION:
        raise EvalError(f"{what}: more than {MAX_COLLECTION} elements")


def hash_key(v: Any) -> Any:
    """A hashable key for set-like operations (type-aware: 1 and "1" and true differ)."""
    if isinstance(v, dict):
        return ("o", tuple(sorted((k, hash_key(x)) for k, x in v.items())))
    if isinstance(v, list):
        return ("l", tuple(hash_key(x) for x in v))
    if isinstance(v, (Unknown, Ref, Expr)):
        return ("s", v)
    if isinstance(v, Choice):
        return ("c", id(v))
    if isinstance(v, Namespace):
        return ("n", id(v))
    return (type_name(v), v)


def str_result(s: str) -> str:
    if len(s) > MAX_STRING:
        raise EvalError(f"string longer than {MAX_STRING} characters")
    return s
