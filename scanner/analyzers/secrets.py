"""Secret detection (AG402 and, later, AG401/AG404): detectors plus context.

A value is a finding when it *looks like* a credential (AWS key, token,
private key, connection string with a password, ...), or when its *name* says
it is a secret and it holds a literal that is not a reference. Context keeps
the noise out: ``*_SECRET_ARN`` holding an ARN, ``{{resolve:secretsmanager:...}}``
dynamic references, SSM parameter names, references to a Secrets Manager
secret resource are not findings; a reference to a secret's *value*
(``aws_secretsmanager_secret_version.x.secret_string``, an SSM parameter's
``value``) is, because it puts the plaintext in the function's configuration.

Values are never printed: findings carry a fingerprint (detector, length,
first and last two characters at most).
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass
from typing import Any

from ..conditions import FAIL, PASS, UNKNOWN, EvalContext, Verdict
from ..graph import walk
from ..model import Choice, Expr, Ref, Resource, Unknown


@dataclass(frozen=True)
class Detector:
    name: str
    pattern: re.Pattern[str]


DETECTORS: tuple[Detector, ...] = (
    Detector("AWS access key id", re.compile(r"\b(?:AKIA|ASIA|ABIA|ACCA|A3T[A-Z0-9])[A-Z0-9]{16}\b")),
    Detector("private key", re.compile(r"-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----")),
    Detector("GitHub token", re.compile(r"\b(?:gh[pousr]_[A-Za-z0-9]{36,}|github_pat_[A-Za-z0-9_]{50,})\b")),
    Detector("Slack token", re.compile(r"\bxox[abposr]-[A-Za-z0-9-]{10,}")),
    Detector("Stripe secret key", re.compile(r"\b[rs]k_live_[0-9A-Za-z]{20,}\b")),
    Detector("Google API key", re.compile(r"\bAIza[0-9A-Za-z_\-]{35}\b")),
    Detector("OpenAI API key", re.compile(r"\bsk-(?:proj-|svcacct-)?[A-Za-z0-9_\-]{20,}T3BlbkFJ[A-Za-z0-9_\-]{20,}\b")),
    Detector("Anthropic API key", re.compile(r"\bsk-ant-(?:api|admin)\d{2}-[A-Za-z0-9_\-]{80,}")),
    Detector("JSON web token", re.compile(r"\beyJ[A-Za-z0-9_-]{10,}\.eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}")),
    Detector(
        "connection string with password",
        re.compile(r"\b[a-z][a-z0-9+.\-]{1,20}://[^\s:/@]{1,128}:(?!\$\{|\{\{|<|\*+@)[^\s@/]{3,128}@[^\s]+", re.I),
    ),
    Detector("Slack webhook", re.compile(r"https://hooks\.slack\.com/services/T[A-Z0-9]+/B[A-Z0-9]+/[A-Za-z0-9]{20,}")),
)

SECRET_NAME = re.compile(
    r"(?i)(pass(?:word|wd|phrase)?|pwd|secret|token|api[_-]?key|apikey|private[_-]?key|credential|"
    r"auth[_-]?key|access[_-]?key|client[_-]?secret|conn(?:ection)?[_-]?str(?:ing)?|signing[_-]?key)"
)
# names that hold a pointer to a secret, or metadata about it, not the secret
POINTER_NAME = re.compile(
    r"(?i)(?:_|^)(arn|name|names|id|ids|path|param|parameter|parameter_name|ssm|key_id|url|uri|endpoint|region|"
    r"ttl|length|expiry|expiration|expires|enabled|enable|header|type|location|file|version|store|manager|"
    r"prefix|table|bucket|field|policy|rotation|count|timeout|duration|limit|mode|format)$"
)
PLACEHOLDER = re.compile(
    r"(?i)^(?:<[^>]*>|\$\{[^}]*\}|\{\{[^}]*\}\}|%[^%]+%|x{3,}|\*{3,}|changeme|change[_-]?me|replace[_-]?me|"
    r"your[_-].*|example.*|dummy.*|placeholder.*|todo|tbd|none|null|nil|n/?a|test|true|false|yes|no|"
    r"enabled|disabled|on|off|\d+)$"
)
REFERENCE_VALUE = re.compile(r"^(?:arn:|\{\{resolve:(?:secretsmanager|ssm-secure|ssm):|/[\w./-]+$|ssm:|secretsmanager:)")
# Terraform attributes that are a secret's value, not a pointer to it
VALUE_ATTRIBUTES = {
    ("secret_version", "secret_string"),
    ("secret_version", "secret_binary"),
    ("ssm_parameter", "value"),
    ("ssm_parameter", "insecure_value"),
}


def entropy(s: str) -> float:
    if not s:
        return 0.0
    counts = Counter(s)
    n = len(s)
    return -sum(c / n * math.log2(c / n) for c in counts.values())


def fingerprint(value: str, detector: str) -> str:
    """What a report may show of a secret: detector, length, at most 2+2 characters."""
    n = len(value)
    if n >= 12:
        return f"{detector}, {n} chars, {value[:2]}…{value[-2:]}"
    return f"{detector}, {n} chars"


def detect(value: str) -> str | None:
    """Name of the first detector that matches ``value``."""
    for d in DETECTORS:
        if d.pattern.search(value):
            return d.name
    return None


def detect_match(value: str) -> tuple[str, str] | None:
    for d in DETECTORS:
        m = d.pattern.search(value)
        if m:
            return d.name, m.group(0)
    return None


def secret_named(name: str) -> bool:
    return bool(SECRET_NAME.search(name)) and not POINTER_NAME.search(name)


def looks_like_literal_secret(value: str) -> bool:
    v = value.strip()
    if len(v) < 6 or PLACEHOLDER.match(v) or REFERENCE_VALUE.match(v):
        return False
    if re.fullmatch(r"[A-Za-z]+(?:[ _-][A-Za-z]+)*", v) and len(v) < 12:
        return True  # a short word: "hunter2"-like passwords still count below
    return True


def _ref_kind(ctx: EvalContext, res: Resource, ref: Ref) -> str | None:
    key = ref.target if "#" in ref.target else f"{res.stack}#{ref.target}"
    target = ctx.inventory.resources.get(key)
    if target is not None:
        return target.kind
    t = ref.target.rsplit("#", 1)[-1]
    if "aws_secretsmanager_secret_version." in t:
        return "secret_version"
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
        if value.attr and (kind, value.attr) in VALUE_ATTRIBUTES or (
            value.attr in ("secret_string", "secret_binary") and "secret_version" in value.target
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
        if value.unknowns and secret_named(name):
            return UNKNOWN, f"{name}: {value.unknowns[0].reason}"
        return None
    if isinstance(value, Unknown):
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
    if isinstance(value, (dict, list)):
        return None
    return None


def check_environment(res: Resource, ctx: EvalContext, params: dict[str, Any]) -> Verdict:
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
