"""Scopes, sessions, and the access operations every evaluation uses.

A :class:`Session` is what one ``load_terraform`` call shares (limits, the
directories files may be read from, errors); a :class:`Scope` is the names an
expression sees. ``get_attr``/``get_index``/``iterate`` implement ``a.b``,
``a[k]`` and collection iteration over plain values, ``Ref`` (extended into
``Ref(target, "attr.sub")``), ``Unknown`` (propagated), ``Choice``
(distributed over its options) and namespaces.
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from agentgov.scanner.model import Choice, Expr, ParseError, Ref, Unknown

from . import values as _values
from .values import (
    MAX_COLLECTION,
    SYMBOLIC,
    EvalError,
    Namespace,
    NeedKnown,
    to_str,
    type_name,
    unknown_from,
)

DEFAULT_BUDGET = 3_000_000  # evaluation steps per loaded root module


@dataclass(slots=True, eq=False)
class Session:
    """What one ``load_terraform`` call shares: limits, file access, errors."""

    root_dir: Path  # resolved; Terraform's working directory (relative paths start here)
    allowed_root: Path  # resolved; files outside it are never read
    display_root: Path
    budget: int = DEFAULT_BUDGET
    steps: int = 0
    depth: int = 0
    errors: list[ParseError] = field(default_factory=list)
    budget_reported: bool = False
    module_instances: int = 0
    resources: int = 0
    installed_modules: dict[str, Path] = field(default_factory=dict)  # from .terraform/modules/modules.json
    reported: set[str] = field(default_factory=set)  # limits already reported as errors
    # value sizes (see values.value_size): the cache, the work done, the largest value, the first overrun
    sizes: dict[int, tuple[Any, int]] = field(default_factory=dict)
    value_work: int = 0
    largest_value: int = 0
    too_large: list[tuple[str, int | None, str]] = field(default_factory=list)  # (file, line, what) of overruns
    deadline: float = field(default_factory=lambda: time.monotonic() + _values.MAX_SECONDS)

    def measure(self, v: Any) -> Any:
        """``v``, after checking its size and counting it against the work budget."""
        n = _values.value_size(v, self.sizes)
        self.largest_value = max(self.largest_value, n)
        self.value_work += n
        if self.value_work > _values.MAX_VALUE_WORK:
            raise _values.BudgetExhausted(f"values of more than {_values.MAX_VALUE_WORK} units built")
        return v

    def note_too_large(self, file: str, line: int | None, what: str) -> None:
        if len(self.too_large) < 20:
            self.too_large.append((file, line, what))

    def display(self, path: Path) -> str:
        return display_path(path, self.display_root)


def display_path(path: Path, display_root: Path) -> str:
    """``path`` relative to ``display_root`` in posix form (with ``..`` when outside it)."""
    try:
        return path.relative_to(display_root).as_posix() or "."
    except ValueError:
        try:
            return Path(os.path.relpath(path, display_root)).as_posix()
        except ValueError:  # another drive on Windows
            return path.as_posix()


class Scope:
    """Names visible to an expression: the module's globals and local bindings."""

    __slots__ = ("module", "bindings", "session")

    def __init__(self, module: Any, session: Session, bindings: dict[str, Any] | None = None) -> None:
        self.module = module  # provides lookup(name) for var, local, module, data, resources...
        self.session = session
        self.bindings = bindings or {}

    def child(self, **binds: Any) -> Scope:
        return Scope(self.module, self.session, {**self.bindings, **binds})

    def lookup(self, name: str) -> Any:
        b = self.bindings
        if name in b:
            return b[name]
        if self.module is None:
            raise EvalError(f"unknown name {name!r}")
        return self.module.lookup(name)


# --- attribute and index access -----------------------------------------------------------


def _each_option(obj: Choice, access: Any) -> Any:
    options = []
    for o in obj.options:
        try:
            options.append(access(o))
        except EvalError as exc:
            options.append(Unknown(f"cannot evaluate: {exc}"))
    return Choice(obj.condition, tuple(options))


def get_attr(obj: Any, name: str) -> Any:
    if isinstance(obj, dict):
        if name in obj:
            return obj[name]
        raise EvalError(f"object has no attribute {name!r}")
    if isinstance(obj, Namespace):
        return obj.get_attr(name)
    if isinstance(obj, Ref):
        return Ref(obj.target, f"{obj.attr}.{name}" if obj.attr else name)
    if isinstance(obj, Unknown):
        return obj
    if isinstance(obj, Choice):
        return _each_option(obj, lambda o: get_attr(o, name))
    if isinstance(obj, Expr):
        return unknown_from(obj, f"attribute {name!r}")
    if obj is None:
        raise EvalError(f"attribute {name!r} of a null value")
    raise EvalError(f"a {type_name(obj)} has no attribute {name!r}")


def get_index(obj: Any, key: Any) -> Any:
    if isinstance(obj, Namespace):
        return obj.get_index(key)
    if isinstance(obj, Unknown):
        return obj
    if isinstance(obj, Choice) and not isinstance(key, SYMBOLIC):
        return _each_option(obj, lambda o: get_index(o, key))
    if isinstance(key, SYMBOLIC):
        if isinstance(obj, Ref):
            return unknown_from(key, f"an index of {obj}")
        return unknown_from(key, "an index")
    if isinstance(obj, list):
        if isinstance(key, bool):
            raise EvalError("a bool is not a list index")
        try:
            i = int(key) if isinstance(key, (int, str)) else int(key) if float(key).is_integer() else None
        except (TypeError, ValueError):
            i = None
        if i is None:
            raise EvalError(f"invalid list index {key!r}")
        if 0 <= i < len(obj):
            return obj[i]
        raise EvalError(f"index {i} out of range for a list of {len(obj)}")
    if isinstance(obj, dict):
        k = to_str(key, "a map key") if not isinstance(key, str) else key
        if k in obj:
            return obj[k]
        raise EvalError(f"map has no element {k!r}")
    if isinstance(obj, Ref):
        k = key if isinstance(key, str) else to_str(key)
        return Ref(obj.target, f"{obj.attr}.{k}" if obj.attr else k)
    if isinstance(obj, Expr):
        return unknown_from(obj, "an index")
    if obj is None:
        raise EvalError("index of a null value")
    raise EvalError(f"a {type_name(obj)} cannot be indexed")


def iterate(coll: Any, what: str) -> list[tuple[Any, Any]]:
    """(key, value) pairs of a collection in Terraform's order; raises NeedKnown if unknown."""
    if isinstance(coll, Namespace):
        coll = coll.materialize()
    if isinstance(coll, SYMBOLIC):
        raise NeedKnown(coll)
    if isinstance(coll, list):
        if len(coll) > MAX_COLLECTION:
            raise EvalError(f"{what}: collection larger than {MAX_COLLECTION}")
        return list(enumerate(coll))
    if isinstance(coll, dict):
        if len(coll) > MAX_COLLECTION:
            raise EvalError(f"{what}: collection larger than {MAX_COLLECTION}")
        return [(k, coll[k]) for k in sorted(coll)]
    if coll is None:
        raise EvalError(f"{what}: cannot iterate over null")
    raise EvalError(f"{what}: cannot iterate over a {type_name(coll)}")
