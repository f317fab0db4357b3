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

import re
from typing import Any

from ..conditions import FAIL, PASS, UNKNOWN, EvalContext, Verdict
from ..model import Choice, Expr, Ref, Resource, Unknown, walk
from ..secret_detection import (
    PLACEHOLDER_DEFAULT,
    VALUE_ATTRIBUTES,
    detect_match,
    find_secrets_in_text,
    fingerprint,
    looks_like_literal_secret,
    param_fields,
    secret_named,
)


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


# ------------------------------------------------ secrets in free text (AG401)


def _texts(value: Any, path: str) -> list[tuple[str, Any]]:
    """(path, str | Unknown) leaves of ``value``: strings, literal parts of built strings, unknowns."""
    out: list[tuple[str, Any]] = []
    stack: list[tuple[str, Any]] = [(path, value)]
    while stack:
        p, v = stack.pop()
        if isinstance(v, str):
            out.append((p, v))
        elif isinstance(v, Expr):
            out.extend((p, part) for part in v.parts if isinstance(part, str))
        elif isinstance(v, Unknown):
            out.append((p, v))
        elif isinstance(v, Choice):
            stack.extend((p, o) for o in v.options)
        elif isinstance(v, dict):
            stack.extend((f"{p}.{k}", x) for k, x in v.items())
        elif isinstance(v, list):
            stack.extend((f"{p}.{i}", x) for i, x in enumerate(v))
    return out


# agent and action-group attributes that carry text the model sees
AGENT_TEXT = ("instruction", "prompt_override_configuration")
ACTION_GROUP_TEXT = ("description", "api_schema.payload", "function_schema.functions")


def check_agent_text(res: Resource, ctx: EvalContext, params: dict[str, Any]) -> Verdict:
    """AG401: no secret in agent instructions, prompt templates or action-group schemas."""
    roots = ACTION_GROUP_TEXT if res.kind == "action_group" else AGENT_TEXT
    fails: list[str] = []
    fail_paths: list[str] = []
    unknowns: list[str] = []
    for root in roots:
        head, _, rest = root.partition(".")
        values = [res.properties.get(head)]
        if rest:
            values = list(walk(res.properties.get(head), rest))
        for value in values:
            if value is None:
                continue
            for p, leaf in _texts(value, root):
                if isinstance(leaf, Unknown):
                    if root in ("instruction", "api_schema.payload") or "template" in p:
                        unknowns.append(f"{_shown(p)}: {leaf.reason}")
                    continue
                if root == "prompt_override_configuration" and not p.endswith("base_prompt_template"):
                    continue
                for detector, secret in find_secrets_in_text(leaf):
                    fails.append(f"{_shown(p)} holds a secret-looking value ({fingerprint(secret, detector)})")
                    fail_paths.append(p)
    if res.kind == "action_group":
        s3 = list(walk(res.properties.get("api_schema"), "s3"))
        if s3 and not fails:
            unknowns.append("the API schema is stored in S3; its content is not in the scanned files")
    if fails:
        return Verdict(FAIL, fails, path=_plain(fail_paths[0]), evidence={"attributes": sorted({_shown(p) for p in fail_paths})})
    if unknowns:
        return Verdict(UNKNOWN, unknowns[:3])
    return Verdict(PASS)


def _plain(path: str) -> str:
    return ".".join(s for s in path.split(".") if not s.isdigit())


def _shown(path: str) -> str:
    return _plain(path).replace("function_schema.functions", "function schema").replace("api_schema.payload", "API schema")


# ------------------------------------------ secret-looking parameters (AG404)


def _truthy(v: Any) -> bool | None:
    if isinstance(v, bool):
        return v
    if isinstance(v, str):
        return v.strip().lower() == "true"
    if v is None:
        return False
    return None


def check_parameter(res: Resource, ctx: EvalContext, params: dict[str, Any]) -> Verdict:
    """AG404: a secret-looking parameter has no default and is masked (NoEcho / sensitive)."""
    f = param_fields(res)
    kind = "parameter" if res.source == "cloudformation" else "variable"
    fails: list[str] = []
    paths: list[str] = []
    unknowns: list[str] = []
    default = f["default"]
    if isinstance(default, str) and PLACEHOLDER_DEFAULT.match(default.strip()):
        default = None  # "your-api-key-here": the deployer must replace it; nothing secret is committed
    if f["has_default"] and default not in (None, "", [], {}):
        if isinstance(default, str):
            m = detect_match(default)
            shown = fingerprint(m[1], m[0]) if m else fingerprint(default, "literal")
        else:
            shown = f"a {type(default).__name__} value"
        fails.append(f"secret-looking {kind} {f['name']} has a default value ({shown}): it is stored in the template")
        paths.append(f["default_path"])
    prot = _truthy(f["protected"])
    if prot is None:
        unknowns.append(f"{kind} {f['name']}: {f['protection']} is set from a value known only at deploy time")
    elif not prot:
        fails.append(
            f"secret-looking {kind} {f['name']} lacks {f['protection']}: its value is shown in the console, plans and logs"
        )
        paths.append(f["protection_path"])
    if fails:
        return Verdict(FAIL, fails, path=paths[0])
    if unknowns:
        return Verdict(UNKNOWN, unknowns)
    return Verdict(PASS)


# ------------------------------------------- secrets agents read (AG403)

_AWS_MANAGED_KEY = re.compile(r"(?:^|[:/])alias/aws/secretsmanager$")


def _kms_verdict(v: Any) -> tuple[str, str | None]:
    """(status, message) of one KmsKeyId value."""
    if v is None or v == "":
        return FAIL, "the secret is encrypted with the AWS-managed key aws/secretsmanager (no KmsKeyId / kms_key_id)"
    if isinstance(v, Choice):
        results = [_kms_verdict(o) for o in v.options]
        for status in (FAIL, UNKNOWN):
            for r in results:
                if r[0] == status:
                    return r
        return PASS, None
    if isinstance(v, str):
        if _AWS_MANAGED_KEY.search(v):
            return FAIL, "the secret is encrypted with the AWS-managed key aws/secretsmanager"
        return PASS, None
    if isinstance(v, Expr):
        if _AWS_MANAGED_KEY.search(v.literal):
            return FAIL, "the secret is encrypted with the AWS-managed key aws/secretsmanager"
        if v.unknowns and not v.refs and not re.search(r"(key/|alias/)$", v.literal):
            return UNKNOWN, f"kms_key_id: {v.unknowns[0].reason}"
        return PASS, None
    if isinstance(v, Ref):
        return PASS, None  # a key (or alias) resource of the template: customer managed
    if isinstance(v, Unknown):
        return UNKNOWN, f"kms_key_id: {v.reason}"
    return UNKNOWN, "kms_key_id of an unexpected type"


def check_secret_protection(res: Resource, ctx: EvalContext, params: dict[str, Any]) -> Verdict:
    """AG403: a secret agents read has a customer-managed KMS key and a rotation schedule."""
    fails: list[str] = []
    paths: list[str] = []
    unknowns: list[str] = []
    status, msg = _kms_verdict(res.properties.get("kms_key_id"))
    if status == FAIL:
        fails.append(msg or "")
        paths.append("kms_key_id")
    elif status == UNKNOWN:
        unknowns.append(msg or "")
    rotations = [r for r in ctx.inventory.related(res, "rotation")]
    inline = res.properties.get("rotation_rules") or res.properties.get("rotation_lambda_arn")
    if not rotations and not inline:
        fails.append(
            "rotation is off: no rotation schedule for this secret in the scanned files"
            " (AWS::SecretsManager::RotationSchedule / aws_secretsmanager_secret_rotation)"
        )
        paths.append("name")
    readers = sorted({f"{r.kind} {r.label}" for r in ctx.inventory.related(res, "read_by") if isinstance(r, Resource)})
    evidence: dict[str, Any] = {"read_by": readers}
    if fails:
        who = f" (read by {', '.join(readers[:3])}{' and more' if len(readers) > 3 else ''})" if readers else ""
        return Verdict(FAIL, [fails[0] + who] + fails[1:], path=paths[0], evidence=evidence)
    if unknowns:
        return Verdict(UNKNOWN, unknowns, evidence=evidence)
    return Verdict(PASS, evidence=evidence)
