"""The compiled (run-time) form of policies: small frozen dataclasses.

``schema.py`` (pydantic) is the contract a policy file must meet and what
validates it; this module is what the engine evaluates. The registry turns
validated data into these objects, and caches that data (as JSON, keyed by
the SHA-256 of the pack files) so that ``agentgov scan`` does not import or
build pydantic validators on every start: a cached pack was validated when
the cache was written, and any change to a policy file changes the key.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Union


@dataclass(frozen=True, slots=True)
class Attr:
    attr: str
    op: str
    value: Any = None
    param: str | None = None
    quantifier: str = "all"
    message: str | None = None
    default: Any = None


@dataclass(frozen=True, slots=True)
class Related:
    related: str
    check: "Cond"
    quantifier: str = "all"
    if_none: str = "fail"
    message: str | None = None


@dataclass(frozen=True, slots=True)
class Exists:
    kind: str
    check: "Cond | None" = None
    scope: str = "stack"
    if_none: str = "unknown"
    message: str | None = None
    where: "Cond | None" = None


@dataclass(frozen=True, slots=True)
class AnalyzerCall:
    analyzer: str
    params: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class All:
    items: tuple["Cond", ...]


@dataclass(frozen=True, slots=True)
class AnyOf:
    items: tuple["Cond", ...]


@dataclass(frozen=True, slots=True)
class Not:
    cond: "Cond"
    message: str | None = None


Cond = Union[Attr, Related, Exists, AnalyzerCall, All, AnyOf, Not]


@dataclass(frozen=True, slots=True)
class Remediation:
    summary: str
    cloudformation: str
    terraform: str


@dataclass(frozen=True, slots=True)
class PolicySpec:
    id: str
    title: str
    severity: str
    pillar: str
    resource: tuple[str, ...]
    rationale: str
    remediation: Remediation
    check: Cond
    references: tuple[str, ...] = ()
    parameters: tuple[str, ...] = ()
    live_only: bool = False


@dataclass(frozen=True, slots=True)
class ParameterSpec:
    description: str
    type: str
    default: Any = None


def condition(d: dict[str, Any]) -> Cond:
    """A condition from validated data (``Policy.model_dump(by_alias=True)``)."""
    if "all" in d:
        return All(tuple(condition(c) for c in d["all"]))
    if "any" in d:
        return AnyOf(tuple(condition(c) for c in d["any"]))
    if "not" in d:
        return Not(condition(d["not"]), d.get("message"))
    if "related" in d:
        return Related(
            d["related"], condition(d["check"]), d.get("quantifier", "all"), d.get("if_none", "fail"), d.get("message")
        )
    if "exists" in d:
        e = d["exists"]
        check = e.get("check")
        return Exists(
            e["kind"], condition(check) if check is not None else None, e.get("scope", "stack"),
            e.get("if_none", "unknown"), e.get("message"),
            condition(e["where"]) if e.get("where") is not None else None,
        )
    if "analyzer" in d:
        return AnalyzerCall(d["analyzer"], dict(d.get("params") or {}))
    return Attr(
        d["attr"], d["op"], d.get("value"), d.get("param"), d.get("quantifier", "all"), d.get("message"), d.get("default")
    )


def policy(d: dict[str, Any]) -> PolicySpec:
    r = d["remediation"]
    return PolicySpec(
        id=d["id"],
        title=d["title"],
        severity=d["severity"],
        pillar=d["pillar"],
        resource=tuple(d["resource"]),
        rationale=d["rationale"],
        remediation=Remediation(r["summary"], r["cloudformation"], r["terraform"]),
        check=condition(d["check"]),
        references=tuple(d.get("references") or ()),
        parameters=tuple(d.get("parameters") or ()),
        live_only=bool(d.get("live_only", False)),
    )


def parameter(d: dict[str, Any]) -> ParameterSpec:
    return ParameterSpec(d["description"], d["type"], d.get("default"))


def conditions(cond: Cond):
    """Every condition in ``cond``, depth first."""
    yield cond
    if isinstance(cond, (All, AnyOf)):
        for c in cond.items:
            yield from conditions(c)
    elif isinstance(cond, Not):
        yield from conditions(cond.cond)
    elif isinstance(cond, Related):
        yield from conditions(cond.check)
    elif isinstance(cond, Exists):
        for c in (cond.where, cond.check):
            if c is not None:
                yield from conditions(c)
