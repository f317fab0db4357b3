"""Secrets in environment variables (AG402): no literal credential in a function's or runtime's environment.

A value is a finding when it *looks like* a credential, or when its *name* says it is a secret and it holds a literal
that is not a reference; a reference to a secret's *value* is, too (it puts the plaintext in the configuration).
Values are never printed (``secret_detection.fingerprint``).
"""

from __future__ import annotations

from typing import Any

from ..conditions import FAIL, PASS, UNKNOWN, EvalContext, Verdict
from ..model import Choice, Expr, Ref, Resource, Unknown, walk
from ..secret_detection import (
    VALUE_ATTRIBUTES,
    _non_secret_type,
    _secret_words,
    detect_match,
    fingerprint,
    looks_like_literal_secret,
    param_fields,
    secret_named,
)
from .secret_parameter import _truthy


def _ref_kind(ctx: EvalContext, res: Resource, ref: Ref) -> str | None:
    key = ref.target if "#" in ref.target else f"{res.stack}#{ref.target}"
    target = ctx.inventory.resources.get(key)
    if target is not None:
        return target.kind
    t = ref.target.rsplit("#", 1)[-1]
    if "aws_secretsmanager_secret_version." in t:
        return "secret_version"
    return None


def _judge_unknown(name: str, value: Unknown, res: Resource, ctx: EvalContext) -> tuple[str, str] | None:
    """A value known only at deploy time: a secret when its name or its parameter's name says so."""
    r = _secret_input(name, value, res, ctx)
    if r is not None:
        return r
    if secret_named(name):
        if value.origin and value.origin.split(":", 1)[0] in ("parameter", "variable"):
            kind, _, src = value.origin.partition(":")
            what = "template parameter" if kind == "parameter" else "input variable"
            return FAIL, (
                f"{name} takes its value from {what} {src}: whatever is passed lands in plaintext "
                "in the function's configuration (pass a Secrets Manager or SSM SecureString reference instead)"
            )
        return UNKNOWN, f"{name}: {value.reason}"
    return None


def judge_value(name: str, value: Any, res: Resource, ctx: EvalContext) -> tuple[str, str] | None:
    """(status, description) for one named value; None when it is fine."""
    if isinstance(value, Choice):
        for opt in value.options:
            r = judge_value(name, opt, res, ctx)
            if r is not None:
                return r
        return None
    if isinstance(value, (int, float, bool)) or value is None:
        return None
    if isinstance(value, str):
        m = detect_match(value)
        if m:
            return FAIL, f"{name} holds a literal secret ({fingerprint(m[1], m[0])})"
        if secret_named(name) and looks_like_literal_secret(value):
            return FAIL, f"{name} is named like a secret and holds a literal value ({fingerprint(value, 'literal')})"
        return None
    if isinstance(value, Ref):
        kind = _ref_kind(ctx, res, value)
        if (
            value.attr
            and (kind, value.attr) in VALUE_ATTRIBUTES
            or (value.attr in ("secret_string", "secret_binary") and "secret_version" in value.target)
        ):
            return FAIL, f"{name} reads the secret's value ({value.attr} of {value.target}) into the configuration in plaintext"
        return None
    if isinstance(value, Expr):
        lit = value.literal
        m = detect_match(lit)
        if m:
            return FAIL, f"{name} holds a literal secret ({fingerprint(m[1], m[0])})"
        for ref in value.refs:
            r = judge_value(name, ref, res, ctx)
            if r is not None:
                return r
        for u in value.unknowns:
            r = _secret_input(name, u, res, ctx)
            if r is not None:
                return r
        if value.unknowns and secret_named(name):
            return UNKNOWN, f"{name}: {value.unknowns[0].reason}"
        return None
    if isinstance(value, Unknown):
        return _judge_unknown(name, value, res, ctx)
    if isinstance(value, (dict, list)):
        return None
    return None


def _input_parameter(origin: str, res: Resource, ctx: EvalContext) -> Resource | None:
    """The template parameter / input variable an Unknown's ``origin`` names, in ``res``'s stack."""
    kind, _, src = origin.partition(":")
    for p in ctx.inventory.of_kind("template_parameter"):
        if p.stack == res.stack and param_fields(p)["name"] == src:
            return p
    return None


def _secret_input(name: str, value: Unknown, res: Resource, ctx: EvalContext) -> tuple[str, str] | None:
    """FAIL when ``value`` comes from a parameter / variable whose own name says secret (``openai_api_key``,
    ``DbPassword``): whatever is passed lands in plaintext in the configuration, masked or not."""
    from ..normalize import snake

    kind, _, src = (value.origin or "").partition(":")
    if kind not in ("parameter", "variable") or not src or not _secret_words(snake(src)):
        return None
    param = _input_parameter(value.origin or "", res, ctx)
    fields = param_fields(param) if param is not None else None
    if fields is not None and _non_secret_type(fields["type"]):
        return None  # an SSM parameter type or a number: not a secret passed in
    what = "template parameter" if kind == "parameter" else "input variable"
    masked = fields is not None and _truthy(fields["protected"]) is True
    how = (
        f" (marked {fields['protection']}, which masks it in {'the console' if kind == 'parameter' else 'plans'} only)"
        if masked and fields is not None
        else ""
    )
    return FAIL, (
        f"{name} takes its value from {what} {src}, whose name says it is a secret{how}: the value lands in plaintext"
        " in the function's configuration (pass a Secrets Manager or SSM SecureString reference instead)"
    )


def check(res: Resource, ctx: EvalContext, params: dict[str, Any]) -> Verdict:
    """AG402: no secret in a function's environment variables."""
    path = params.get("path", "environment.variables")
    fails: list[str] = []
    unknowns: list[str] = []
    fail_paths: list[str] = []
    found = False
    for variables in walk(res.properties, path):
        found = True
        if isinstance(variables, Unknown):
            unknowns.append(f"environment variables: {variables.reason}")
            continue
        if isinstance(variables, (Ref, Expr)):
            unknowns.append("environment variables are known only at deploy time")
            continue
        if not isinstance(variables, dict):
            continue
        for name, value in variables.items():
            r = judge_value(str(name), value, res, ctx)
            if r is None:
                continue
            status, text = r
            if status == FAIL:
                fails.append(text)
                fail_paths.append(f"{path}.{name}")
            else:
                unknowns.append(text)
    if fails:
        return Verdict(FAIL, fails, path=fail_paths[0], evidence={"variables": [p.rsplit(".", 1)[-1] for p in fail_paths]})
    if unknowns:
        return Verdict(UNKNOWN, unknowns)
    return Verdict(PASS, [] if found else ["no environment variables"])
