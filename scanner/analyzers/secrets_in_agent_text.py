"""Secrets in agent text (AG401): no secret in agent instructions, prompt templates or action-group schemas."""

from __future__ import annotations

from typing import Any

from ..conditions import FAIL, PASS, UNKNOWN, EvalContext, Verdict
from ..model import Choice, Expr, Resource, Unknown, walk
from ..secret_detection import (
    find_secrets_in_text,
    fingerprint,
)


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


def check(res: Resource, ctx: EvalContext, params: dict[str, Any]) -> Verdict:
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
