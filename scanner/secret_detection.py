"""What looks like a secret: detectors, secret-looking names and free text, secret-looking parameters.

Shared by the secret analyzers (AG401, AG402, AG404) and by the graph (``scopes``: which template parameters are
secret, for AG404's readers). Values are never printed: a finding carries a ``fingerprint`` (detector, length, first
and last two characters at most).
"""

from __future__ import annotations

import functools
import math
import re
from collections import Counter
from dataclasses import dataclass
from typing import Any

from .model import Resource


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
PLACEHOLDER_DEFAULT = re.compile(
    r"(?i)^(?:.*<[^<>]+>.*|\$\{[^}]*\}|.*\byour\b.*|.*your[_-].*|.*placeholder.*|.*replace[ _-]?(?:me|this|with).*|"
    r".*[ _-]here|example.*|x{3,}|\*{3,}|none|null|n/?a|tbd|todo|-)$"
)


def param_fields(p: Resource) -> dict[str, Any]:
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
    f = param_fields(p)
    name = f["name"] if isinstance(f["name"], str) else ""
    default, kind = f["default"], f["type"]
    if (default is None or isinstance(default, (str, bool, int, float))) and (kind is None or isinstance(kind, str)):
        return _secret_parameter(name, default, kind)  # (the corpus's 8,695 parameters have far fewer distinct forms)
    return _secret_parameter.__wrapped__(name, default, kind)


@functools.lru_cache(maxsize=4096, typed=True)  # typed: a default of True is not one of 1
def _secret_parameter(name: str, default: Any, kind: Any) -> bool:
    from .normalize import snake

    if isinstance(default, str) and detect(default):
        return True
    if _non_secret_type(kind) or isinstance(default, bool):
        return False
    if isinstance(default, str) and default.strip().lower() in ("true", "false", "yes", "no"):
        return False  # a switch about a secret (AllowUsersToChangePassword), not one
    return _secret_words(snake(name))
