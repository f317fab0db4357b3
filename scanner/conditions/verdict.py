"""What a condition yields (``Verdict``: PASS, FAIL or UNKNOWN, messages, path, evidence), what it is evaluated in
(``EvalContext``), and how verdicts combine in three-valued logic (``all_of``, ``any_of``)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from ..model import Inventory, Location, Resource

PASS, FAIL, UNKNOWN = "PASS", "FAIL", "UNKNOWN"


@dataclass
class Verdict:
    status: str
    messages: list[str] = field(default_factory=list)
    path: str | None = None  # attribute of the judged resource the finding points at
    location: Location | None = None  # explicit location (e.g. a statement in another resource)
    evidence: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def passed(cls, **kw: Any) -> Verdict:
        return cls(PASS, **kw)


@dataclass
class EvalContext:
    inventory: Inventory
    params: dict[str, Any]  # effective parameter values (configuration over defaults)
    policy_id: str = ""
    #: analyzer name -> function, for ``analyzer:`` conditions (the engine gives ``analyzers.ANALYZERS``: the analyzers
    #: are written on top of this language, which knows them only by the names the policies use)
    analyzers: Mapping[str, Callable[..., Verdict]] = field(default_factory=dict)


#: the evaluator of a whole condition, handed to each condition kind so nested conditions are judged the same way
Evaluate = Callable[[Any, Resource, EvalContext], Verdict]


def all_of(vs: list[Verdict]) -> Verdict:
    fails = [v for v in vs if v.status == FAIL]
    if fails:
        return _merge(FAIL, fails)
    unknowns = [v for v in vs if v.status == UNKNOWN]
    if unknowns:
        return _merge(UNKNOWN, unknowns)
    return _merge(PASS, vs)


def any_of(vs: list[Verdict]) -> Verdict:
    passes = [v for v in vs if v.status == PASS]
    if passes:
        return _merge(PASS, passes)
    unknowns = [v for v in vs if v.status == UNKNOWN]
    if unknowns:
        merged = _merge(UNKNOWN, unknowns)
        # the alternatives that fail are said too (an alarm declared here that notifies nobody), after the unknowns
        for v in vs:
            if v.status == FAIL:
                merged.messages += [f"not satisfied either: {m}" for m in v.messages if m and m not in merged.messages]
        return merged
    return _merge(FAIL, vs)


def _merge(status: str, vs: list[Verdict]) -> Verdict:
    messages: list[str] = []
    evidence: dict[str, Any] = {}
    for v in vs:
        for m in v.messages:
            if m and m not in messages:
                messages.append(m)
        evidence.update(v.evidence)
    # point at what the messages are about (a silent alternative of ``any`` is not)
    first = next((v for v in vs if any(v.messages)), vs[0] if vs else None)
    return Verdict(status, messages, first.path if first else None, first.location if first else None, evidence)
