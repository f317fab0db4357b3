"""Evaluate SCP documents against a concrete request: is it denied, and by which statement?

An SCP never grants; it only sets the ceiling. agentgov's SCPs are Deny
statements, so the question a test asks is "does any statement deny this
request?". Implemented for the operators the compiler emits and the ones
AWS's evaluation examples use, with IAM's documented semantics
(https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html):

* within a statement, every operator must hold; within an operator, every
  key; within a key, any of the values (negated operators: none of them);
* a key missing from the request: positive operators are false, negated
  operators (``StringNotLike``, ``ArnNotLike``, ...) are **true**;
  ``...IfExists`` is true; ``Null: "true"`` is true;
* ``ForAnyValue:`` holds when some request value matches (false when the key
  is missing); ``ForAllValues:`` when every request value matches (true when
  the key is missing or empty);
* ARN matching (``Resource``, ``ArnLike``) is per colon-delimited segment:
  a wildcard never spans segments. Action names match case-insensitively.
"""

from __future__ import annotations

import datetime as dt
import fnmatch
import ipaddress
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

_NEGATED = {"StringNotEquals", "StringNotEqualsIgnoreCase", "StringNotLike", "ArnNotEquals", "ArnNotLike", "NumericNotEquals",
            "DateNotEquals", "NotIpAddress"}  # fmt: skip


@dataclass(frozen=True)
class Request:
    action: str
    principal_arn: str = "arn:aws:iam::111122223333:role/app"
    resource: str = "*"
    context: dict[str, Any] = field(default_factory=dict)  # condition keys -> str | list[str]

    def value(self, key: str) -> Any:
        for k, v in self.context.items():  # condition key names are case-insensitive
            if k.lower() == key.lower():
                return v
        if key.lower() == "aws:principalarn":
            return self.principal_arn
        return None


@dataclass(frozen=True)
class Decision:
    denied: bool
    statement: str | None = None  # the Sid of the statement that denies

    def __bool__(self) -> bool:
        return self.denied


def _glob(pattern: str, value: str, ignore_case: bool = False) -> bool:
    rx = "".join(".*" if c == "*" else "." if c == "?" else re.escape(c) for c in pattern)
    return re.fullmatch(rx, value, re.I | re.S if ignore_case else re.S) is not None


def arn_like(pattern: str, arn: str) -> bool:
    if pattern == "*":
        return True
    p, a = pattern.split(":", 5), arn.split(":", 5)
    if len(p) != 6 or len(a) != 6:
        return _glob(pattern, arn)
    return all(_glob(ps, vs) for ps, vs in zip(p, a))


def _date(v: str) -> float:
    """An IAM date: ISO 8601 or epoch seconds."""
    try:
        return float(v)
    except ValueError:
        return dt.datetime.fromisoformat(v.replace("Z", "+00:00")).timestamp()


def _match_one(base: str, policy_value: str, value: str) -> bool:
    if base in ("StringEquals", "StringNotEquals"):
        return value == policy_value
    if base in ("StringEqualsIgnoreCase", "StringNotEqualsIgnoreCase"):
        return value.lower() == policy_value.lower()
    if base in ("StringLike", "StringNotLike"):
        return _glob(policy_value, value)
    if base in ("ArnEquals", "ArnNotEquals"):
        return value == policy_value
    if base in ("ArnLike", "ArnNotLike"):
        return arn_like(policy_value, value)
    if base == "Bool":
        return value.lower() == policy_value.lower()
    if base in ("IpAddress", "NotIpAddress"):
        return ipaddress.ip_address(value) in ipaddress.ip_network(policy_value, strict=False)
    if base == "BinaryEquals":
        return value == policy_value  # both base64 text
    if base.startswith("Date"):
        a, b = _date(value), _date(policy_value)
        return {
            "DateEquals": a == b, "DateNotEquals": a == b, "DateLessThan": a < b,
            "DateLessThanEquals": a <= b, "DateGreaterThan": a > b, "DateGreaterThanEquals": a >= b,
        }[base]  # fmt: skip
    if base.startswith("Numeric"):
        a, b = float(value), float(policy_value)
        return {
            "NumericEquals": a == b, "NumericNotEquals": a == b, "NumericLessThan": a < b,
            "NumericLessThanEquals": a <= b, "NumericGreaterThan": a > b, "NumericGreaterThanEquals": a >= b,
        }[base]  # fmt: skip
    raise ValueError(f"unknown condition operator {base}")  # validate.operator_ok refuses it before an SCP is built


def _holds(op: str, key: str, policy_values: Any, req: Request) -> bool:
    values = policy_values if isinstance(policy_values, list) else [policy_values]
    values = [str(v) for v in values]
    actual = req.value(key)
    if op == "Null":
        want_absent = values[0].lower() == "true"
        return (actual is None or actual == []) == want_absent
    qualifier = None
    for q in ("ForAllValues:", "ForAnyValue:"):
        if op.startswith(q):
            qualifier, op = q[:-1], op[len(q) :]
    if_exists = op.endswith("IfExists")
    base = op[: -len("IfExists")] if if_exists else op
    negated = base in _NEGATED
    if actual is None:
        if qualifier == "ForAllValues":
            return True
        if qualifier == "ForAnyValue":
            return False
        return True if (if_exists or negated) else False
    items = actual if isinstance(actual, list) else [actual]
    items = [str(i) for i in items]

    def single(v: str) -> bool:
        hit = any(_match_one(base, pv, v) for pv in values)
        return not hit if negated else hit

    if qualifier == "ForAllValues":
        return all(single(v) for v in items)
    if qualifier == "ForAnyValue":
        return any(single(v) for v in items)
    return all(single(v) for v in items) if negated else any(single(v) for v in items)


def _action_matches(patterns: Iterable[str], action: str) -> bool:
    return any(fnmatch.fnmatchcase(action.lower(), p.lower()) for p in patterns)


def statement_denies(stmt: dict[str, Any], req: Request) -> bool:
    if stmt.get("Effect") != "Deny":
        return False
    actions = stmt.get("Action")
    if actions is not None:
        if not _action_matches(actions if isinstance(actions, list) else [actions], req.action):
            return False
    elif "NotAction" in stmt:
        na = stmt["NotAction"]
        if _action_matches(na if isinstance(na, list) else [na], req.action):
            return False
    if "Resource" in stmt:
        rs = stmt["Resource"] if isinstance(stmt["Resource"], list) else [stmt["Resource"]]
        if not any(arn_like(r, req.resource) for r in rs):
            return False
    elif "NotResource" in stmt:
        rs = stmt["NotResource"] if isinstance(stmt["NotResource"], list) else [stmt["NotResource"]]
        if any(arn_like(r, req.resource) for r in rs):
            return False
    for op, block in (stmt.get("Condition") or {}).items():
        for key, vals in block.items():
            if not _holds(op, key, vals, req):
                return False
    return True


def evaluate(documents: Iterable[dict[str, Any]], req: Request) -> Decision:
    """Whether the SCP ``documents`` deny ``req`` (explicit Deny), and the first statement that does."""
    for doc in documents:
        stmts = doc.get("Statement", [])
        for stmt in stmts if isinstance(stmts, list) else [stmts]:
            if statement_denies(stmt, req):
                return Decision(True, stmt.get("Sid"))
    return Decision(False)
