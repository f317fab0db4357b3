"""The operators of an ``attr`` condition (``op:``), one class each, declared once in ``OPERATORS``.

An operator judges one value of the attribute against the operand: True, False, or None (cannot be judged, with the
reason). The common steps are the base class's: an unknown value is unknown, a value the operator cannot compare is
"not comparable". ``judge_values`` turns the values' results into the verdict by the condition's quantifier. The
names the policy schema accepts (``policies.schema.AttrOp``) are checked against ``OPERATORS`` (the list at the end,
the one place an operator is registered) when the pack loads.
"""

from __future__ import annotations

from typing import Any, ClassVar

from agentgov.policies.compiled import Attr

from ..model import MISSING, Expr, Ref, ShapedUnknown
from .values import MAX_MATCH_INPUT, norm, num, rx, unknown_reason
from .verdict import FAIL, PASS, UNKNOWN, Verdict

#: one value's result: True / False / None (cannot be judged), and the reason when None
Judged = tuple[bool | None, str | None]


class Operator:
    name: ClassVar[str] = ""
    #: an ``attr`` condition using the operator (YAML flow mapping; docs/policy-language.md shows it, a test validates it)
    example: ClassVar[str] = ""
    #: holds where the attribute is absent (in every variant, or in some): the negations
    negative: ClassVar[bool] = False
    #: the condition's ``default`` (the value AWS applies when the attribute is absent) is judged in its place
    uses_default: ClassVar[bool] = True

    def compare(self, v: Any, operand: Any) -> bool | None:
        raise NotImplementedError

    def judge(self, v: Any, operand: Any, cond: Attr, msg: str) -> Judged | Verdict:
        """One value (never MISSING); a Verdict settles the whole condition at once."""
        reason = unknown_reason(v)
        if reason is not None:
            return None, reason
        r = self.compare(v, operand)
        return r, (f"{cond.attr} is not comparable" if r is None else None)

    def judge_values(self, values: list[Any], operand: Any, cond: Attr, msg: str) -> Verdict:
        if not values:
            if self.negative:
                return Verdict(PASS, path=cond.attr)
            return Verdict(FAIL, [msg.replace("{value}", "absent")], cond.attr)
        results: list[bool | None] = []
        reasons: list[str] = []
        for v in values:
            if v is MISSING:  # absent in one deployable variant
                results.append(self.negative)
                continue
            judged = self.judge(v, operand, cond, msg)
            if isinstance(judged, Verdict):
                return judged
            r, reason = judged
            results.append(r)
            if reason is not None:
                reasons.append(reason)
        return _quantified(cond, values, results, reasons, msg)


def _quantified(cond: Attr, values: list[Any], results: list[bool | None], reasons: list[str], msg: str) -> Verdict:
    if cond.quantifier == "all":
        if any(r is False for r in results):
            if "{value}" in msg:  # the offending value(s) in the message
                bad = [v for v, r in zip(values, results) if r is False]
                msg = msg.replace("{value}", ", ".join("absent" if v is MISSING else str(v) for v in bad))
            return Verdict(FAIL, [msg], cond.attr)
        if any(r is None for r in results):
            return Verdict(UNKNOWN, [f"{cond.attr}: {reasons[0]}"], cond.attr)
        return Verdict(PASS, path=cond.attr)
    if any(r is True for r in results):
        return Verdict(PASS, path=cond.attr)
    if any(r is None for r in results):
        return Verdict(UNKNOWN, [f"{cond.attr}: {reasons[0]}"], cond.attr)
    return Verdict(FAIL, [msg.replace("{value}", "none matches")], cond.attr)


def _empty(v: Any) -> bool:
    return v == "" or v == [] or v == {}


# ------------------------------------------------------------------ presence


class Present(Operator):
    """The attribute is set to a non-empty value (a reference or a built string counts)."""

    name = "present"
    example = "{attr: guardrail_configuration.guardrail_identifier, op: present}"

    def judge(self, v: Any, operand: Any, cond: Attr, msg: str) -> Judged | Verdict:
        if isinstance(v, (Ref, Expr, ShapedUnknown)):
            return True, None  # a reference or a built string is a value, known or not
        return super().judge(v, operand, cond, msg)

    def compare(self, v: Any, operand: Any) -> bool | None:
        return not _empty(v)


class NotEmpty(Present):
    """Same as `present`: set and not empty."""

    name = "not_empty"
    example = "{attr: knowledge_bases, op: not_empty}"


class Absent(Operator):
    """The attribute is not set (no default is judged in its place)."""

    name = "absent"
    example = "{attr: custom_orchestration, op: absent}"
    uses_default = False

    def judge_values(self, values: list[Any], operand: Any, cond: Attr, msg: str) -> Verdict:
        values = [v for v in values if v is not MISSING]
        if not values:
            return Verdict(PASS, path=cond.attr)
        reasons = [r for r in map(unknown_reason, values) if r]
        if len(reasons) == len(values):
            return Verdict(UNKNOWN, [f"{cond.attr}: {reasons[0]}"], cond.attr)
        return Verdict(FAIL, [msg.replace("{value}", ", ".join(map(str, values)))], cond.attr)


class Truthy(Operator):
    """true, or the text true/enabled/yes/1."""

    name = "truthy"
    example = "{attr: auto_prepare, op: truthy}"

    def compare(self, v: Any, operand: Any) -> bool | None:
        return v is True or (isinstance(v, str) and v.lower() in ("true", "enabled", "yes", "1"))


class Falsy(Operator):
    """false, or the text false/disabled/no/0."""

    name = "falsy"
    example = "{attr: skip_resource_in_use_check_on_delete, op: falsy, default: false}"

    def compare(self, v: Any, operand: Any) -> bool | None:
        return v is False or (isinstance(v, str) and v.lower() in ("false", "disabled", "no", "0"))


# ------------------------------------------------------------------ equality


class _Negation(Operator):
    """``not_*``: true where the attribute is absent; a string built from references whose literal text is none of
    the literal operands is not one of them (an ARN built from refs is still not the literal "DRAFT")."""

    negative = True

    def judge(self, v: Any, operand: Any, cond: Attr, msg: str) -> Judged | Verdict:
        if isinstance(v, Expr) and isinstance(operand, (str, list)):
            lits = operand if isinstance(operand, list) else [operand]
            if v.literal and all(isinstance(x, str) and v.literal not in x and x not in v.literal for x in lits):
                return True, None
        return super().judge(v, operand, cond, msg)


class _Equality(Operator):
    """Equality against literals: a value whose shape none of them can have is settled without being known."""

    def judge(self, v: Any, operand: Any, cond: Attr, msg: str) -> Judged | Verdict:
        if isinstance(v, ShapedUnknown):
            r = self._shape(v, operand)
            if r is not None:
                return r, None
        return super().judge(v, operand, cond, msg)

    def _shape(self, v: ShapedUnknown, operand: Any) -> bool | None:
        if not v.shape:
            return None
        items = operand if isinstance(operand, list) else [operand]
        if not all(isinstance(i, (str, int, float)) and not isinstance(i, bool) for i in items):
            return None
        if any(rx(f"(?:{v.shape})\\Z").match(str(norm(i))) for i in items):
            return None  # the value may be one of them
        return self.negative


class Equals(_Equality):
    """Equal to the operand (numbers and booleans compared as text)."""

    name = "equals"
    example = "{attr: orchestration_type, op: equals, value: DEFAULT}"

    def compare(self, v: Any, operand: Any) -> bool | None:
        return norm(v) == norm(operand)


class NotEquals(_Negation, _Equality):
    """Not equal to the operand; holds where the attribute is absent."""

    name = "not_equals"
    example = "{attr: agent_version, op: not_equals, value: DRAFT}"

    def compare(self, v: Any, operand: Any) -> bool | None:
        return norm(v) != norm(operand)


class In(_Equality):
    """One of the operand list (a list parameter with `param:`)."""

    name = "in"
    example = "{attr: foundation_model, op: in, value: [amazon.nova-pro-v1:0, anthropic.claude-3-5-sonnet-20240620-v1:0]}"

    def compare(self, v: Any, operand: Any) -> bool | None:
        items = operand if isinstance(operand, list) else [operand]
        return norm(v) in [norm(i) for i in items]


class NotIn(_Negation, _Equality):
    """None of the operand list; holds where the attribute is absent."""

    name = "not_in"
    example = "{attr: memory_configuration.enabled_memory_types, op: not_in, value: [SESSION_SUMMARY]}"

    def compare(self, v: Any, operand: Any) -> bool | None:
        items = operand if isinstance(operand, list) else [operand]
        return norm(v) not in [norm(i) for i in items]


# ------------------------------------------------------------------ patterns


class Matches(Operator):
    """The pattern is found in the value (RE2 syntax: linear-time; values over 100,000 characters are UNKNOWN)."""

    name = "matches"
    example = '{attr: agent_name, op: matches, value: "^(prod|shared)-[a-z0-9-]+$"}'

    def judge(self, v: Any, operand: Any, cond: Attr, msg: str) -> Judged | Verdict:
        if isinstance(v, str) and len(v) > MAX_MATCH_INPUT:  # bounded work per value, whatever the pattern
            return None, f"{cond.attr} is longer than {MAX_MATCH_INPUT} characters: not searched"
        return super().judge(v, operand, cond, msg)

    def compare(self, v: Any, operand: Any) -> bool | None:
        if not operand:  # an empty pattern matches nothing (the parameter is switched off)
            return self.negative
        hit = rx(str(operand)).search(v if isinstance(v, str) else str(v)) is not None
        return hit != self.negative


class NotMatches(_Negation, Matches):
    """The pattern is not found; holds where the attribute is absent."""

    name = "not_matches"
    example = '{attr: instruction, op: not_matches, value: "(?i)ignore (all|previous) instructions"}'


# ------------------------------------------------------------------ numbers


class _Order(Operator):
    def compare(self, v: Any, operand: Any) -> bool | None:
        a, b = num(v), num(operand)
        if a is None or b is None:
            return None
        return self.holds(a, b)

    def holds(self, a: float, b: float) -> bool:
        raise NotImplementedError


class Lt(_Order):
    """A number below the operand (numbers in text count)."""

    name = "lt"
    example = "{attr: idle_session_ttl_in_seconds, op: lt, value: 3600}"

    def holds(self, a: float, b: float) -> bool:
        return a < b


class Le(_Order):
    """A number at most the operand."""

    name = "le"
    example = "{attr: idle_session_ttl_in_seconds, op: le, value: 1800}"

    def holds(self, a: float, b: float) -> bool:
        return a <= b


class Gt(_Order):
    """A number above the operand."""

    name = "gt"
    example = "{attr: memory_configuration.storage_days, op: gt, value: 0}"

    def holds(self, a: float, b: float) -> bool:
        return a > b


class Ge(_Order):
    """A number at least the operand."""

    name = "ge"
    example = "{attr: memory_configuration.storage_days, op: ge, value: 1}"

    def holds(self, a: float, b: float) -> bool:
        return a >= b


# ------------------------------------------------------------------ maps and tags


class HasKeys(Operator):
    """A map holding every key of the operand list."""

    name = "has_keys"
    example = "{attr: tags, op: has_keys, value: [owner, cost-center]}"

    def judge(self, v: Any, operand: Any, cond: Attr, msg: str) -> Judged | Verdict:
        if isinstance(v, dict) and unknown_reason(v) is None:
            missing = [k for k in (operand or []) if k not in v]
            if missing:
                return Verdict(FAIL, [f"{msg}: missing {', '.join(missing)}"], cond.attr, evidence={"missing": missing})
            return True, None
        return super().judge(v, operand, cond, msg)

    def compare(self, v: Any, operand: Any) -> bool | None:
        if not isinstance(v, dict):
            return None
        return all(k in v for k in (operand or []))


class HasTag(Operator):
    """``key=value`` (the value compared case-insensitively) or ``key`` (any value)."""

    name = "has_tag"
    example = '{attr: tags, op: has_tag, value: "environment=production"}'

    def judge(self, v: Any, operand: Any, cond: Attr, msg: str) -> Judged | Verdict:
        if isinstance(v, dict) and operand is not None:
            key = str(operand).partition("=")[0]
            reason = unknown_reason(v.get(key))
            if reason is not None:
                return None, f"tag {key}: {reason}"
        return super().judge(v, operand, cond, msg)

    def compare(self, v: Any, operand: Any) -> bool | None:
        if not isinstance(v, dict):
            return None
        hit = _has_tag(v, str(operand))
        if hit is None:
            return None
        return hit != self.negative


class NotHasTag(HasTag):
    """The tag (`key` or `key=value`) is not there."""

    name = "not_has_tag"
    example = '{attr: tags, op: not_has_tag, value: "data-classification=restricted"}'
    negative = True


def _has_tag(tags: dict[str, Any], spec: str) -> bool | None:
    key, sep, want = spec.partition("=")
    if key not in tags:
        return False
    if not sep:
        return True
    v = tags[key]
    if unknown_reason(v) is not None:
        return None
    return str(norm(v)).lower() == want.lower()


#: the operators, by the ``op:`` name each class declares
OPERATORS: dict[str, Operator] = {
    op.name: op
    for op in (
        Present(),
        NotEmpty(),
        Absent(),
        Truthy(),
        Falsy(),
        Equals(),
        NotEquals(),
        In(),
        NotIn(),
        Matches(),
        NotMatches(),
        Lt(),
        Le(),
        Gt(),
        Ge(),
        HasKeys(),
        HasTag(),
        NotHasTag(),
    )
}
