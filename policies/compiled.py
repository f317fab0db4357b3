"""The compiled (run-time) form of policies: small frozen dataclasses.

``schema.py`` (pydantic) is the contract a policy file must meet and what
validates it; this module is what the engine evaluates. The registry turns
validated data into these objects, and caches that data (as JSON, keyed by
the SHA-256 of the pack files) so that ``agentgov scan`` does not import or
build pydantic validators on every start: a cached pack was validated when
the cache was written, and any change to a policy file changes the key.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True, slots=True)
class Attr:
    attr: str
    op: str
    value: Any = None
    param: str | None = None
    quantifier: str = "all"
    message: str | None = None
    where: Cond | None = None  # element matching: selects the list elements at ``attr``
    default: Any = None


@dataclass(frozen=True, slots=True)
class Related:
    related: str
    check: Cond | None  # None: the relation only has to exist
    quantifier: str = "all"
    if_none: str = "fail"
    message: str | None = None


@dataclass(frozen=True, slots=True)
class Exists:
    kind: str
    check: Cond | None = None
    scope: str = "stack"
    if_none: str = "unknown"
    message: str | None = None
    where: Cond | None = None


@dataclass(frozen=True, slots=True)
class AnalyzerCall:
    analyzer: str
    params: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class All:
    items: tuple[Cond, ...]


@dataclass(frozen=True, slots=True)
class AnyOf:
    items: tuple[Cond, ...]


@dataclass(frozen=True, slots=True)
class Not:
    cond: Cond
    message: str | None = None


@dataclass(frozen=True, slots=True)
class When:
    cond: Cond  # applicability
    then: Cond
    message: str | None = None  # why the policy does not apply (the PASS message)


@dataclass(frozen=True, slots=True)
class UsedBy:
    rel: str  # the relation other resources point at the judged one with
    check: Cond
    kinds: tuple[str, ...] = ()  # only referrers of these kinds (empty: any)


Cond = Attr | Related | Exists | AnalyzerCall | All | AnyOf | Not | When | UsedBy


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
    preventive: str | None = None  # summary of the SCP form
    scp_statements: tuple[dict[str, Any], ...] = ()  # its statement templates (schema.ScpStatement, as dicts)
    detective: str | None = None  # summary of the AWS Config form
    iac_only: dict[str, tuple[str, ...]] = field(default_factory=dict)  # kind -> paths read only on IaC records


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
        check = condition(d["check"]) if d.get("check") is not None else None
        return Related(d["related"], check, d.get("quantifier", "all"), d.get("if_none", "fail"), d.get("message"))
    if "exists" in d:
        e = d["exists"]
        check = e.get("check")
        return Exists(
            e["kind"],
            condition(check) if check is not None else None,
            e.get("scope", "stack"),
            e.get("if_none", "unknown"),
            e.get("message"),
            condition(e["where"]) if e.get("where") is not None else None,
        )
    if "analyzer" in d:
        return AnalyzerCall(d["analyzer"], dict(d.get("params") or {}))
    if "when" in d:
        return When(condition(d["when"]), condition(d["then"]), d.get("message"))
    if "used_by" in d:
        return UsedBy(d["used_by"], condition(d["check"]), tuple(d.get("kinds") or ()))
    where = condition(d["where"]) if d.get("where") is not None else None
    return Attr(
        d["attr"],
        d["op"],
        d.get("value"),
        d.get("param"),
        d.get("quantifier", "all"),
        d.get("message"),
        where=where,
        default=d.get("default"),
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
        preventive=(d.get("preventive") or {}).get("summary"),
        scp_statements=tuple((d.get("preventive") or {}).get("statements") or ()),
        detective=(d.get("detective") or {}).get("summary"),
        iac_only={k: tuple(v) for k, v in (d.get("iac_only") or {}).items()},
    )


@dataclass(frozen=True, slots=True)
class Mapping:
    """A policy's place in a framework: ``framework`` id, ``control`` id and title."""

    framework: str
    framework_title: str
    control: str
    control_title: str


def parameter(d: dict[str, Any]) -> ParameterSpec:
    return ParameterSpec(d["description"], d["type"], d.get("default"))


def conditions(cond: Cond) -> Iterator[Cond]:
    """Every condition in ``cond``, depth first."""
    yield cond
    if isinstance(cond, (All, AnyOf)):
        for c in cond.items:
            yield from conditions(c)
    elif isinstance(cond, Not):
        yield from conditions(cond.cond)
    elif isinstance(cond, Related):
        if cond.check is not None:
            yield from conditions(cond.check)
    elif isinstance(cond, Attr):
        if cond.where is not None:
            yield from conditions(cond.where)
    elif isinstance(cond, When):
        yield from conditions(cond.cond)
        yield from conditions(cond.then)
    elif isinstance(cond, UsedBy):
        yield from conditions(cond.check)
    elif isinstance(cond, Exists):
        for sub in (cond.where, cond.check):
            if sub is not None:
                yield from conditions(sub)


def attribute_reads(cond: Cond, kinds: tuple[str, ...] | None) -> Iterator[tuple[Attr, tuple[str, ...] | None, str]]:
    """Every ``attr`` condition in ``cond`` with the kinds it reads (None: a related resource's, which the graph
    decides) and the path prefix a ``where`` puts before it (``a.b.``), depth first.

    A conjunction guarded by ``@kind equals/in`` reads the kinds it names only; ``exists`` reads its own kind."""
    if isinstance(cond, Attr):
        yield cond, kinds, ""
        if cond.where is not None:
            for a, k, prefix in attribute_reads(cond.where, kinds):
                yield a, k, f"{cond.attr}.{prefix}"
    elif isinstance(cond, (All, AnyOf)):
        if isinstance(cond, All) and kinds is not None:
            for c in cond.items:
                if isinstance(c, Attr) and c.attr == "@kind" and c.op in ("equals", "in"):
                    named = c.value if isinstance(c.value, list) else [c.value]
                    kinds = tuple(k for k in kinds if k in named)
        for c in cond.items:
            yield from attribute_reads(c, kinds)
    elif isinstance(cond, Not):
        yield from attribute_reads(cond.cond, kinds)
    elif isinstance(cond, When):
        yield from attribute_reads(cond.cond, kinds)
        yield from attribute_reads(cond.then, kinds)
    elif isinstance(cond, UsedBy):
        yield from attribute_reads(cond.check, kinds)
    elif isinstance(cond, Exists):
        for sub in (cond.where, cond.check):
            if sub is not None:
                yield from attribute_reads(sub, (cond.kind,))
    elif isinstance(cond, Related) and cond.check is not None:
        yield from attribute_reads(cond.check, None)
