"""The expression syntax tree :mod:`.evaluate` walks (built by :mod:`.convert`)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


class Syntax:
    __slots__ = ()


@dataclass(slots=True, frozen=True, eq=False)
class Lit(Syntax):
    value: Any


@dataclass(slots=True, frozen=True, eq=False)
class Bad(Syntax):
    """An expression that cannot be converted (evaluates to Unknown)."""

    reason: str


@dataclass(slots=True, frozen=True, eq=False)
class Name(Syntax):
    name: str


@dataclass(slots=True, frozen=True, eq=False)
class GetAttr(Syntax):
    obj: Syntax
    name: str


@dataclass(slots=True, frozen=True, eq=False)
class Index(Syntax):
    obj: Syntax
    key: Syntax


@dataclass(slots=True, frozen=True, eq=False)
class Splat(Syntax):
    obj: Syntax
    ops: tuple[tuple[str, Any], ...]  # ("attr", name) | ("index", Syntax)


@dataclass(slots=True, frozen=True, eq=False)
class Call(Syntax):
    name: str
    args: tuple[Syntax, ...]
    expand: bool  # last argument followed by "..."
    line: int
    column: int


@dataclass(slots=True, frozen=True, eq=False)
class TupleCons(Syntax):
    items: tuple[Syntax, ...]
    positions: tuple[tuple[int, int], ...]


@dataclass(slots=True, frozen=True, eq=False)
class ObjectCons(Syntax):
    keys: tuple[Syntax, ...]
    values: tuple[Syntax, ...]
    positions: tuple[tuple[int, int], ...]  # of each key
    key_texts: tuple[str, ...]  # source text of each key (``aws.west`` in ``providers``)
    value_texts: tuple[str, ...]


@dataclass(slots=True, frozen=True, eq=False)
class ForTuple(Syntax):
    key_var: str | None
    value_var: str
    collection: Syntax
    value: Syntax
    cond: Syntax | None


@dataclass(slots=True, frozen=True, eq=False)
class ForObject(Syntax):
    key_var: str | None
    value_var: str
    collection: Syntax
    key: Syntax
    value: Syntax
    group: bool
    cond: Syntax | None


@dataclass(slots=True, frozen=True, eq=False)
class Conditional(Syntax):
    cond: Syntax
    then: Syntax
    other: Syntax
    text: str  # the condition's source text (names a Choice)


@dataclass(slots=True, frozen=True, eq=False)
class BinaryOp(Syntax):
    op: str
    left: Syntax
    right: Syntax


@dataclass(slots=True, frozen=True, eq=False)
class UnaryOp(Syntax):
    op: str
    operand: Syntax


@dataclass(slots=True, frozen=True, eq=False)
class Template(Syntax):
    parts: tuple[Any, ...]  # str | Syntax | TemplateIf | TemplateFor


@dataclass(slots=True, frozen=True, eq=False)
class TemplateIf:
    cond: Syntax
    then: tuple[Any, ...]
    other: tuple[Any, ...]


@dataclass(slots=True, frozen=True, eq=False)
class TemplateFor:
    key_var: str | None
    value_var: str
    collection: Syntax
    body: tuple[Any, ...]
