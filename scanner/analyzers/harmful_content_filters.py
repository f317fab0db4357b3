"""AG207: the guardrail filters harmful content (HATE, INSULTS, SEXUAL, VIOLENCE, MISCONDUCT) on input and output,
each at least ``min_strength`` (the ``min_content_filter_strength`` parameter) and with a blocking action.

A filter reads as CreateGuardrail's ``GuardrailContentFilterConfig`` (CloudFormation's and Terraform's names, and
the live record's): ``type``, ``input_strength``/``output_strength`` (NONE < LOW < MEDIUM < HIGH), ``input_action``/
``output_action`` (BLOCK, or NONE that only detects; absent is BLOCK, AWS's default) and ``input_enabled``/
``output_enabled`` (absent is enabled). A value known only at deploy time makes the verdict UNKNOWN, naming it;
a filter that one variant of an unresolved condition leaves out fails (that variant can be deployed).
"""

from __future__ import annotations

from typing import Any

from ..conditions import FAIL, PASS, UNKNOWN, EvalContext, Verdict
from ..model import MISSING, Choice, Resource, Unknown

HARMFUL = ("HATE", "INSULTS", "SEXUAL", "VIOLENCE", "MISCONDUCT")
STRENGTHS = ("NONE", "LOW", "MEDIUM", "HIGH")
_PATH = "content_policy_config.filters_config"


def _filters(props: dict[str, Any]) -> tuple[list[Any] | None, str | None]:
    """The content filters as a list, or (None, reason) when they cannot be read."""
    policy = props.get("content_policy_config")
    if isinstance(policy, list):  # Terraform block: a list of one
        policy = policy[0] if len(policy) == 1 else (None if not policy else policy)
    if policy is None or policy is MISSING:
        return [], None
    if isinstance(policy, Unknown):
        return None, f"the content policy is {policy.reason}"
    if isinstance(policy, Choice):
        return None, "the content policy depends on a condition resolved only at deploy time"
    if not isinstance(policy, dict):
        return None, "the content policy is of an unexpected shape"
    filters = policy.get("filters_config")
    if filters is None or filters is MISSING:
        return [], None
    if isinstance(filters, Unknown):
        return None, f"the content filters are {filters.reason}"
    if not isinstance(filters, list):
        return None, "the content filters are known only at deploy time"
    return filters, None


def _judge_side(f: dict[str, Any], side: str, floor: int) -> tuple[str | None, str | None]:
    """(failure, unknown reason) of one side (input/output) of one filter."""
    enabled = f.get(f"{side}_enabled", True)
    action = f.get(f"{side}_action", "BLOCK")
    strength = f.get(f"{side}_strength")
    for name, value in ((f"{side}_enabled", enabled), (f"{side}_action", action), (f"{side}_strength", strength)):
        if isinstance(value, (Unknown, Choice)) or (value is not None and not isinstance(value, (str, bool))):
            return None, f"its {name} is known only at deploy time"
    if enabled is False:
        return f"{side} disabled", None
    if action == "NONE":
        return f"{side} only detects (action NONE)", None
    if strength not in STRENGTHS:
        return f"no {side} strength", None
    if STRENGTHS.index(strength) < floor:
        return f"{side} strength {strength}", None
    return None, None


def check(res: Resource, ctx: EvalContext, params: dict[str, Any]) -> Verdict:
    minimum = str(params.get("min_strength") or "MEDIUM").upper()
    if minimum not in STRENGTHS[1:]:
        return Verdict(UNKNOWN, [f"min_content_filter_strength {minimum!r} is not LOW, MEDIUM or HIGH"], path=_PATH)
    floor = STRENGTHS.index(minimum)
    filters, reason = _filters(res.properties)
    if filters is None:
        return Verdict(UNKNOWN, [reason or "the content filters cannot be read"], path=_PATH)
    by_type: dict[str, dict[str, Any]] = {}
    unknown: list[str] = []
    for f in filters:
        if not isinstance(f, dict):
            unknown.append("a content filter is known only at deploy time")
            continue
        kind = f.get("type")
        if isinstance(kind, str):
            by_type[kind] = f
        else:
            unknown.append("a content filter's type is known only at deploy time")
    failures: list[str] = []
    missing = [t for t in HARMFUL if t not in by_type]
    for t in HARMFUL:
        if t not in by_type:
            continue
        for side in ("input", "output"):
            bad, why = _judge_side(by_type[t], side, floor)
            if bad:
                failures.append(f"{t}: {bad}")
            elif why:
                unknown.append(f"the {t} filter: {why}")
    evidence: dict[str, Any] = {"min_strength": minimum}
    if missing and not unknown:
        failures.insert(0, f"no filter for {', '.join(missing)}")
    if failures:
        evidence["weak"] = failures
        return Verdict(
            FAIL,
            [f"the guardrail does not block harmful content at {minimum} or stronger on input and output: {'; '.join(failures)}"],
            path=_PATH,
            evidence=evidence,
        )
    if unknown:
        return Verdict(UNKNOWN, unknown[:3], path=_PATH, evidence=evidence)
    return Verdict(PASS, path=_PATH, evidence=evidence)
