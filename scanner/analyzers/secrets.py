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
from ..model import Choice, Expr, Ref, Resource, Unknown, seen_in


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
        if p.stack == res.stack and _param_fields(p)["name"] == src:
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
    fields = _param_fields(param) if param is not None else None
    if fields is not None and _non_secret_type(fields["type"]):
        return None  # an SSM parameter type or a number: not a secret passed in
    what = "template parameter" if kind == "parameter" else "input variable"
    masked = fields is not None and _truthy(fields["protected"]) is True
    how = (
        f" (marked {fields['protection']}, which masks it in {'the console' if kind == 'parameter' else 'plans'} only)"
        if masked
        else ""
    )
    return FAIL, (
        f"{name} takes its value from {what} {src}, whose name says it is a secret{how}: the value lands in plaintext"
        " in the function's configuration (pass a Secrets Manager or SSM SecureString reference instead)"
    )


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

# "password: hunter22", "api_key = 'abc123...'" written into a prompt or a schema
ASSIGNMENT = re.compile(
    r"(?i)(?<![A-Za-z:/])(pass(?:word|wd|phrase)?|pwd|secret|token|api[_-]?key|apikey|client[_-]?secret|"
    r"access[_-]?key|private[_-]?key|auth[_-]?token|bearer)[\"']?[ \t]*[:=][ \t]*[\"']?"
    r"([^\s\"'`,;{}()\[\]<>]{6,})"
)
# long base64/hex-ish runs standing alone: not inside an ARN, a URL, a dotted id (model ids), a path
_TOKEN = re.compile(r"(?<![A-Za-z0-9+/=_\-.:@$%{])[A-Za-z0-9+/_\-]{32,}={0,2}(?![A-Za-z0-9+/=_\-.:@}])")
_UUID = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")
_HEX = re.compile(r"^[0-9a-fA-F]+$")
_DIGEST_CONTEXT = re.compile(r"(?i)(hash|sha\d*|digest|checksum|etag|md5)[\"']?\s*[:=]?\s*[\"']?$")
_KEY_CONTEXT = re.compile(r"(?i)(key|token|secret|passw|credential|bearer|auth)")


# values that are a reference in code, not a literal: dotted paths, CONSTANT_NAMES, snake_case names
_CODE_VALUE = re.compile(
    r"^(?:os\.environ|process\.env)|^(?:[A-Za-z_][\w-]*(?:\.[\w-]+)+\.?|[A-Z][A-Z0-9_]+|[a-z][a-z0-9]*(?:_[a-z0-9]+)+)$"
)


def _classes(s: str) -> tuple[bool, bool, bool]:
    return any(c.isupper() for c in s), any(c.islower() for c in s), any(c.isdigit() for c in s)


def _switch_rate(s: str) -> float:
    """How often the character class changes: high for random tokens, low for camelCase words."""

    def cls(c: str) -> int:
        return 0 if c.isupper() else 1 if c.islower() else 2 if c.isdigit() else 3

    if len(s) < 2:
        return 0.0
    return sum(1 for a, b in zip(s, s[1:]) if cls(a) != cls(b)) / (len(s) - 1)


_WORDISH = re.compile(r"[A-Z]?[a-z]{3,}")
_HASH_RUN = re.compile(r"[0-9a-f]{24,}")  # an embedded digest (CDK logical ids, asset hashes)


def _word_share(s: str) -> float:
    """Share of ``s`` made of word-like runs (``Bedrock``, ``Role``): high for CDK logical ids, low for keys."""
    return sum(len(m.group(0)) for m in _WORDISH.finditer(s)) / max(len(s), 1)


def high_entropy_tokens(text: str) -> list[str]:
    """Long random-looking tokens: mixed-case base64 with digits, or hex next to a key/token word."""
    out = []
    for m in _TOKEN.finditer(text):
        tok = m.group(0).rstrip("=")
        if _UUID.match(tok) or "/" in tok and tok.count("/") > 2 or len(tok) > 256:
            continue  # a UUID, a path, an encoded blob
        if _DIGEST_CONTEXT.search(text[max(0, m.start() - 40) : m.start()]):
            continue  # a content hash (source_code_hash, sha256, etag)
        if _HEX.match(tok):
            before = text[max(0, m.start() - 40) : m.start()]
            if len(tok) >= 32 and entropy(tok) >= 3.0 and _KEY_CONTEXT.search(before):
                out.append(tok)
            continue
        upper, lower, digit = _classes(tok)
        if (
            upper
            and lower
            and digit
            and entropy(tok) >= 4.2
            and _switch_rate(tok) >= 0.3
            and _word_share(tok) < 0.4
            and not _HASH_RUN.search(tok)
            and len(re.findall(r"[-_]", tok)) * 12 <= len(tok)
        ):
            out.append(tok)
    return out


def find_secrets_in_text(text: str) -> list[tuple[str, str]]:
    """(detector, matched value) for every secret-looking value in ``text``."""
    found: list[tuple[str, str]] = []
    for d in DETECTORS:
        for m in d.pattern.finditer(text):
            found.append((d.name, m.group(0)))
    for m in ASSIGNMENT.finditer(text):
        value = m.group(2)
        if PLACEHOLDER.match(value) or REFERENCE_VALUE.match(value) or re.fullmatch(r"[A-Za-z]+(?:[_-][A-Za-z]+)*", value):
            continue
        if value.startswith(("$", "{", "%")) or any(value in f[1] or f[1] in value for f in found):
            continue
        if _CODE_VALUE.match(value) or value.endswith("*"):
            continue  # var.x, random_password.db.result, os.environ.get, ENV_NAME, arn patterns
        found.append((f"{m.group(1).lower()} assignment", value))
    for tok in high_entropy_tokens(text):
        if not any(tok in f[1] or f[1] in tok for f in found):
            found.append(("high-entropy string", tok))
    return found


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

# a parameter is secret-named when a word of its snake_case name is one of these, or a pair below is
_SECRET_WORDS = frozenset(
    {
        "password",
        "passwd",
        "pwd",
        "passphrase",
        "pass",
        "secret",
        "token",
        "apikey",
        "credential",
        "credentials",
        "privatekey",
        "clientsecret",
    }
)
_SECRET_PAIRS = frozenset(
    {
        ("api", "key"),
        ("private", "key"),
        ("access", "key"),
        ("auth", "key"),
        ("client", "secret"),
        ("signing", "key"),
        ("secret", "key"),
        ("master", "key"),
        ("encryption", "key"),
        ("bearer", "token"),
    }
)
# ...unless another word says it is about a secret (its name, ARN, length, rotation, configuration)
_NOT_THE_SECRET = frozenset(
    {
        "arn",
        "arns",
        "name",
        "names",
        "id",
        "ids",
        "path",
        "paths",
        "prefix",
        "url",
        "uri",
        "endpoint",
        "header",
        "param",
        "parameter",
        "ssm",
        "kms",
        "type",
        "mode",
        "version",
        "field",
        "policy",
        "tags",
        "description",
        "location",
        "file",
        "bucket",
        "table",
        "map",
        "list",
        "config",
        "configs",
        "configuration",
        "configurations",
        "settings",
        "options",
        "enabled",
        "enable",
        "create",
        "use",
        "manage",
        "generate",
        "rotation",
        "rotate",
        "window",
        "days",
        "ttl",
        "expiry",
        "expiration",
        "duration",
        "timeout",
        "length",
        "size",
        "count",
        "limit",
        "max",
        "min",
        "provider",
        "store",
        "manager",
        "source",
        "validity",
        "exclude",
        "include",
        "characters",
        "chars",
        "requirements",
        "hash",
        "stack",
        "allow",
        "change",
        "require",
        "reuse",
        "age",
        "minimum",
        "maximum",
        "reset",
        "hard",
        "expire",
    }
)
_NOT_SECRET_PAIRS = frozenset({("client", "token")})  # an idempotency token


def _secret_words(sname: str) -> bool:
    words = [w for w in sname.split("_") if w]
    if any(w in _NOT_THE_SECRET for w in words):
        return False
    pairs = set(zip(words, words[1:]))
    if pairs & _NOT_SECRET_PAIRS:
        return False
    return any(w in _SECRET_WORDS for w in words) or bool(pairs & _SECRET_PAIRS)


# defaults that stand for "put yours here" (not "changeme": that one deploys as the password)
_PLACEHOLDER_DEFAULT = re.compile(
    r"(?i)^(?:.*<[^<>]+>.*|\$\{[^}]*\}|.*\byour\b.*|.*your[_-].*|.*placeholder.*|.*replace[ _-]?(?:me|this|with).*|"
    r".*[ _-]here|example.*|x{3,}|\*{3,}|none|null|n/?a|tbd|todo|-)$"
)


def _param_fields(p: Resource) -> dict[str, Any]:
    """Name, type, default, protection of a CloudFormation parameter or a Terraform variable."""
    props = p.properties
    if p.source == "cloudformation":
        return {
            "name": props.get("name") or p.id.split("/", 1)[-1],
            "type": props.get("type"),
            "has_default": bool(props.get("has_default")),
            "default": props.get("default"),
            "protected": props.get("no_echo"),
            "protection": "NoEcho: true",
            "default_path": "default",
            "protection_path": "no_echo",
        }
    return {
        "name": props.get("name") or p.id.rsplit(".", 1)[-1],
        "type": props.get("type"),
        "has_default": bool(props.get("has_default")),
        "default": props.get("default"),
        "protected": props.get("sensitive"),
        "protection": "sensitive = true",
        "default_path": "default",
        "protection_path": "sensitive",
    }


def _non_secret_type(t: Any) -> bool:
    if not isinstance(t, str):
        return False
    t = t.strip().lower()
    return t in ("number", "bool", "list<number>") or t.startswith(("aws::ssm::parameter::value", "aws::ec2::", "list<aws::"))


def secret_parameter(p: Resource) -> bool:
    """Is this template parameter / input variable secret-looking (by name, or by its default)?"""
    from ..normalize import snake

    f = _param_fields(p)
    name = f["name"] if isinstance(f["name"], str) else ""
    default = f["default"]
    if isinstance(default, str) and detect(default):
        return True
    if _non_secret_type(f["type"]) or isinstance(default, bool):
        return False
    if isinstance(default, str) and default.strip().lower() in ("true", "false", "yes", "no"):
        return False  # a switch about a secret (AllowUsersToChangePassword), not one
    return _secret_words(snake(name))


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
    f = _param_fields(res)
    kind = "parameter" if res.source == "cloudformation" else "variable"
    fails: list[str] = []
    paths: list[str] = []
    unknowns: list[str] = []
    default = f["default"]
    if isinstance(default, str) and _PLACEHOLDER_DEFAULT.match(default.strip()):
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
            f"rotation is off: no rotation schedule for this secret {seen_in(res)}"
            + ("" if res.source == "aws" else " (AWS::SecretsManager::RotationSchedule / aws_secretsmanager_secret_rotation)")
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
