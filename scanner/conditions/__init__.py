"""The declarative condition language of policy checks, evaluated in three-valued logic.

A condition yields a ``Verdict``: PASS, FAIL or UNKNOWN, with the messages
that explain a FAIL or UNKNOWN, the attribute path the finding should point
at, and evidence. ``all`` fails when any part fails (else is unknown when any
part is unknown); ``any`` passes when any part passes; ``not`` swaps PASS and
FAIL. An attribute whose value cannot be resolved makes its condition UNKNOWN
with the value's reason: nothing passes silently.

Two further forms:

* element matching: an ``attr`` condition with ``where`` reads the list
  elements at ``attr`` (through lists and Choices, like any path), judges each
  with the ``where`` condition (its paths are relative to the element) and is
  ``present`` (some element matches) or ``absent`` (none does). An element
  ``where`` cannot settle makes the verdict UNKNOWN unless another element
  already decides it; a variant without the list (``MISSING``) fails
  ``present``. The finding points at the matching element. Example, "some
  content filter of type PROMPT_ATTACK has input strength HIGH"::

      attr: content_policy_config.filters_config
      where:
        all:
          - {attr: type, op: equals, value: PROMPT_ATTACK}
          - {attr: input_strength, op: equals, value: HIGH}
      op: present

* applicability: ``when``/``then``/``message`` judges ``then`` only when
  ``when`` holds, and is PASS with ``message`` (why it does not apply) when it
  does not; when applicability is unknown, a passing ``then`` still passes and
  anything else is UNKNOWN.

A ``related`` condition without ``check`` only asks that the relation exist,
and ``used_by``/``check`` judges with ``check`` and names the resources that
point at the judged one through that relation (which agents use this guardrail).

Each condition kind is one function, declared once in ``CONDITIONS`` (compiled condition type -> function); the
operators of ``attr`` are one class each in ``operators.OPERATORS``. A kind's function gets ``evaluate`` to judge the
conditions nested in it, so the kinds need not import each other.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from agentgov.policies.compiled import All, AnalyzerCall, AnyOf, Attr, Exists, Not, Related, UsedBy, When

from ..model import Resource
from .analyzer import analyzer
from .attr import attr
from .exists import exists
from .logic import all_, any_, not_, when
from .operators import OPERATORS
from .relations import related, used_by
from .values import unknown_reason
from .verdict import FAIL, PASS, UNKNOWN, EvalContext, Evaluate, Verdict, all_of, any_of

__all__ = [
    "CONDITIONS",
    "FAIL",
    "OPERATORS",
    "PASS",
    "UNKNOWN",
    "EvalContext",
    "Evaluate",
    "Verdict",
    "all_of",
    "any_of",
    "evaluate",
    "unknown_reason",
]

#: compiled condition type -> the function that judges it
CONDITIONS: dict[type, Callable[[Any, Resource, EvalContext, Evaluate], Verdict]] = {
    Attr: attr,
    All: all_,
    AnyOf: any_,
    Not: not_,
    Related: related,
    When: when,
    UsedBy: used_by,
    Exists: exists,
    AnalyzerCall: analyzer,
}


def evaluate(cond: Any, res: Resource, ctx: EvalContext) -> Verdict:
    fn = CONDITIONS.get(type(cond))
    if fn is None:
        raise TypeError(f"unknown condition {type(cond).__name__}")
    return fn(cond, res, ctx, evaluate)
