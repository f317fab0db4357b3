"""Human oversight of agent tools (AG501): irreversible actions need a person's confirmation.

An action is irreversible when its name or description uses one of the
configured verbs (``irreversible_verbs``) as a word: ``deleteOrder``,
``cancel_booking``, "Sends the invoice" (camelCase and snake_case names are
split into words; -s/-es/-ed/-ing forms count). OpenAPI operations also count
when their method is DELETE (the summary and description of a GET, HEAD or
OPTIONS operation do not count: "Send a query" there reads). A disabled
action group passes: it cannot be invoked. Such an action passes when it requires user
confirmation (function schemas: ``RequireConfirmation: ENABLED``; OpenAPI:
``x-requireConfirmation: ENABLED`` on the operation) or when its action group
returns control to the application (``CustomControl: RETURN_CONTROL``).

An inline OpenAPI payload (JSON or YAML) is parsed; a schema stored in S3, or
built from values known only at deploy time, is UNKNOWN.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

import yaml

from ..conditions import FAIL, PASS, UNKNOWN, EvalContext, Verdict
from ..model import Choice, Expr, Ref, Resource, Unknown, walk
from ._tools import inflections, words

_METHODS = ("get", "put", "post", "delete", "patch", "head", "options", "trace")
_SAFE_METHODS = ("get", "head", "options")  # read-only by HTTP semantics: only their operationId is judged


def irreversible_words(text: Any, verbs: list[str]) -> list[str]:
    """The irreversible verbs (any inflection) among the words of a name or sentence (camelCase and
    snake_case split, as AG902's gateway tools are read: one word matcher, ``_tools.py``)."""
    if not isinstance(text, str):
        return []
    forms = {f: v for v in verbs for f in inflections(v)}
    return sorted({forms[w] for w in words(text) if w in forms})


def _enabled(v: Any) -> bool | None:
    if isinstance(v, str):
        return v.strip().upper() == "ENABLED"
    if v is None:
        return False
    if isinstance(v, bool):
        return v
    return None


def _returns_control(res: Resource) -> bool | None:
    vals = [v for v in walk(res.properties.get("action_group_executor"), "custom_control") if v is not None]
    if not vals:
        return False
    if any(isinstance(v, str) and v.upper() == "RETURN_CONTROL" for v in vals):
        return True
    if any(isinstance(v, (Unknown, Expr, Ref, Choice)) for v in vals):
        return None
    return False


def _payload_text(payload: Any) -> str | Unknown | None:
    if payload is None:
        return None
    if isinstance(payload, str):
        return payload
    if isinstance(payload, dict):
        return json.dumps(payload)
    if isinstance(payload, Expr):
        # a schema with a few interpolated values is still readable; mark the holes
        return "".join(p if isinstance(p, str) else "UNRESOLVED" for p in payload.parts)
    if isinstance(payload, Unknown):
        return payload
    return Unknown("the API schema is known only at deploy time")


def parse_openapi(text: str) -> dict[str, Any] | None:
    try:
        doc = json.loads(text)
    except (ValueError, RecursionError):
        try:
            doc = yaml.safe_load(text)
        except yaml.YAMLError:
            return None
    return doc if isinstance(doc, dict) else None


def _operations(doc: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    out = []
    paths = doc.get("paths")
    if not isinstance(paths, dict):
        return out
    for path, item in paths.items():
        if not isinstance(item, dict):
            continue
        for method, op in item.items():
            if str(method).lower() in _METHODS and isinstance(op, dict):
                out.append((str(path), str(method).lower(), op))
    return out


@dataclass
class _Judged:
    """The action group's irreversible actions: which need oversight, which lack it (with the attribute to fix),
    which cannot be assessed."""

    verbs: list[str]
    returns: bool | None  # the action group returns control to the application (None: known only at deploy time)
    fails: list[str] = field(default_factory=list)
    paths: list[str] = field(default_factory=list)
    unknowns: list[str] = field(default_factory=list)
    needing: list[str] = field(default_factory=list)


def check(res: Resource, ctx: EvalContext, params: dict[str, Any]) -> Verdict:
    """AG501: irreversible actions of this action group require confirmation or return control."""
    verbs = params.get("verbs")
    if verbs is None:
        return Verdict(UNKNOWN, ["parameter irreversible_verbs is not configured"])
    state = res.properties.get("action_group_state")
    if isinstance(state, str) and state.upper() == "DISABLED":
        return Verdict(PASS, ["the action group is disabled: the agent cannot invoke its actions"])
    j = _Judged([str(v) for v in verbs], _returns_control(res))
    funcs = res.properties.get("function_schema")
    for i, f in enumerate(list(walk(funcs, "functions")) if funcs is not None else []):
        _judge_function(i, f, j)
    schema = res.properties.get("api_schema")
    if schema is not None:
        _judge_api_schema(schema, j)
    evidence: dict[str, Any] = {"irreversible_actions": j.needing} if j.needing else {}
    if j.fails:
        return Verdict(FAIL, j.fails, path=j.paths[0], evidence=evidence)
    if j.unknowns:
        return Verdict(UNKNOWN, j.unknowns[:3], evidence=evidence)
    if j.needing and j.returns:
        return Verdict(
            PASS, ["the action group returns control to the application for its irreversible actions"], evidence=evidence
        )
    return Verdict(PASS, evidence=evidence)


def _judge_function(i: int, f: Any, j: _Judged) -> None:
    if isinstance(f, Unknown):
        j.unknowns.append(f"function schema: {f.reason}")
        return
    if not isinstance(f, dict):
        return
    name = f.get("name")
    hits = irreversible_words(name, j.verbs) + irreversible_words(f.get("description"), j.verbs)
    if not hits:
        return
    shown = name if isinstance(name, str) else f"function {i}"
    j.needing.append(shown)
    conf = _enabled(f.get("require_confirmation"))
    if conf or j.returns:
        return
    if conf is None or j.returns is None:
        j.unknowns.append(
            f"function {shown} ({', '.join(sorted(set(hits)))}): confirmation or return of control is known only at deploy time"
        )
        return
    j.fails.append(
        f"function {shown} is irreversible ({', '.join(sorted(set(hits)))}) but does not require user confirmation"
        " (RequireConfirmation is not ENABLED) and the action group does not return control"
    )
    j.paths.append(
        f"function_schema.functions.{i}.require_confirmation" if "require_confirmation" in f else f"function_schema.functions.{i}"
    )


def _judge_api_schema(schema: Any, j: _Judged) -> None:
    payloads = [p for p in walk(schema, "payload") if p is not None]
    s3 = [s for s in walk(schema, "s3") if s is not None]
    if s3 and not payloads and not j.returns:
        j.unknowns.append("the API schema is stored in S3; its operations are not in the scanned files")
    for payload in payloads:
        text = _payload_text(payload)
        if isinstance(text, Unknown):
            if not j.returns:
                j.unknowns.append(f"API schema: {text.reason}")
            continue
        if text is None:
            continue
        doc = parse_openapi(text)
        if doc is None:
            j.unknowns.append("the API schema is neither JSON nor YAML that agentgov can read")
            continue
        for path, method, op in _operations(doc):
            _judge_operation(path, method, op, j)


def _judge_operation(path: str, method: str, op: dict[str, Any], j: _Judged) -> None:
    op_id = op.get("operationId")
    hits = (["delete"] if method == "delete" else []) + irreversible_words(op_id, j.verbs)
    if method not in _SAFE_METHODS:  # "Send a query" on a GET reads; on a POST it may act
        hits += irreversible_words(op.get("summary"), j.verbs) + irreversible_words(op.get("description"), j.verbs)
    if not hits:
        return
    shown = f"{method.upper()} {path}" + (f" ({op_id})" if isinstance(op_id, str) else "")
    j.needing.append(shown)
    if _enabled(op.get("x-requireConfirmation")) or j.returns:
        return
    if j.returns is None:
        j.unknowns.append(f"operation {shown}: return of control is known only at deploy time")
        return
    j.fails.append(
        f"operation {shown} is irreversible ({', '.join(sorted(set(hits)))}) but does not require"
        " user confirmation (x-requireConfirmation is not ENABLED) and the action group does not return control"
    )
    j.paths.append("api_schema.payload")
