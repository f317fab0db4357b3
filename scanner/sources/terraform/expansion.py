"""``count`` and ``for_each``: the instances a resource, data source or module call expands to.

A known count or collection gives one instance per element (``[0]``,
``["key"]``) with ``count.index`` / ``each.key`` / ``each.value``; an unknown
one gives a single instance with the bare address whose ``count.index`` /
``each.*`` are Unknown, and references to it by any index resolve to that
instance (:class:`UnknownInstances`).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from agentgov.scanner.model import Unknown

from .evaluate import evaluate_safely
from .hcl import Block
from .scope import Scope
from .values import SYMBOLIC, EvalError, Namespace, NeedKnown, finalize, to_int, to_str, unknown_from

MAX_INSTANCES = 1000  # of one resource, data source or module call


class Expansion:
    """How a block expands: its instance keys and the bindings each instance sees."""

    __slots__ = ("kind", "keys", "values", "reason")

    def __init__(self, kind: str, keys: list[Any] | None = None, values: list[Any] | None = None, reason: str = "") -> None:
        self.kind = kind  # "single" | "count" | "for_each" | "unknown_count" | "unknown_for_each"
        self.keys = keys or []
        self.values = values or []
        self.reason = reason

    def instances(self) -> list[tuple[str, dict[str, Any]]]:
        """(address suffix, bindings) of each instance."""
        if self.kind == "single":
            return [("", {})]
        if self.kind == "count":
            return [(f"[{i}]", {"count": {"index": i}}) for i in self.keys]
        if self.kind == "for_each":
            return [
                (f"[{json.dumps(k, ensure_ascii=False)}]", {"each": {"key": k, "value": v}})
                for k, v in zip(self.keys, self.values)
            ]
        unknown = Unknown(self.reason)
        if self.kind == "unknown_count":
            return [("", {"count": {"index": unknown}})]
        return [("", {"each": {"key": unknown, "value": unknown}})]


def expand(block: Block, scope: Scope, address: str) -> Expansion:
    attrs = block.body.attributes
    if "count" in attrs:
        v = finalize(evaluate_safely(attrs["count"].expr, scope, f"count of {address}"))
        if v is None or isinstance(v, SYMBOLIC):
            why = unknown_from(v, f"count of {address}").reason if v is not None else "it is null"
            return Expansion("unknown_count", reason=f"count of {address} is unknown: {why}")
        try:
            n = to_int(v, f"count of {address}")
        except (EvalError, NeedKnown) as exc:
            return Expansion("unknown_count", reason=f"count of {address} is invalid: {exc}")
        if n > MAX_INSTANCES:
            return Expansion("unknown_count", reason=f"count of {address} is {n}, beyond the scanner's limit of {MAX_INSTANCES}")
        return Expansion("count", keys=list(range(max(0, n))))
    if "for_each" in attrs:
        v = evaluate_safely(attrs["for_each"].expr, scope, f"for_each of {address}")
        if isinstance(v, Namespace):
            v = v.materialize()
        try:
            if isinstance(v, dict):
                keys = sorted(v)
                values = [v[k] for k in keys]
            elif isinstance(v, list):
                for x in v:
                    if isinstance(x, SYMBOLIC) or isinstance(x, Namespace):
                        raise NeedKnown(x)
                keys = sorted({to_str(x, f"for_each of {address}") for x in v})
                values = list(keys)
            elif v is None:
                raise EvalError("for_each is null")
            elif isinstance(v, SYMBOLIC):
                raise NeedKnown(v)
            else:
                raise EvalError(f"for_each must be a map or a set of strings, not {type(v).__name__}")
        except NeedKnown as e:
            return Expansion("unknown_for_each", reason=f"for_each of {address} is unknown: {unknown_from(e.value, 'it').reason}")
        except EvalError as exc:
            return Expansion("unknown_for_each", reason=f"for_each of {address} is invalid: {exc}")
        if len(keys) > MAX_INSTANCES:
            return Expansion(
                "unknown_for_each", reason=f"for_each of {address} has {len(keys)} elements, beyond the scanner's limit"
            )
        return Expansion("for_each", keys=keys, values=values)
    return Expansion("single")


def collect_instances(exp: Expansion, make: Callable[[str, dict[str, Any]], Any]) -> Any:
    """The value a reference to an expanded block has: one, a list, a map or unknown-many."""
    insts = exp.instances()
    if exp.kind == "single":
        return make(*insts[0])
    if exp.kind == "count":
        return [make(suffix, b) for suffix, b in insts]
    if exp.kind == "for_each":
        return {k: make(suffix, b) for k, (suffix, b) in zip(exp.keys, insts)}
    return UnknownInstances(lambda: make(*insts[0]), exp.reason)


class UnknownInstances(Namespace):
    """A block whose count/for_each is unknown: any index gives its single bare instance."""

    __slots__ = ("_make", "reason", "_value", "_made")

    def __init__(self, make: Callable[[], Any], reason: str) -> None:
        self._make = make
        self.reason = reason
        self._made = False
        self._value: Any = None

    def instance(self) -> Any:
        if not self._made:
            self._value = self._make()
            self._made = True
        return self._value

    def get_index(self, key: Any) -> Any:
        return self.instance()

    def get_attr(self, name: str) -> Any:
        return Unknown(self.reason)

    def splat_source(self) -> Any:
        return Unknown(self.reason)

    def materialize(self) -> Any:
        return Unknown(self.reason)

    def describe(self) -> str:
        return "a block with unknown count"
