"""Human oversight of agent tools (AG501): irreversible actions need a person's confirmation.

An action is irreversible when the action it performs is one of the
configured verbs (``irreversible_verbs``), read as ``tools.py`` reads tools:
its name says it (``deleteOrder``, ``cancel_booking``; a name that starts
with a read verb, ``get_refunds``, is a read; a ``drop-off`` drops nothing),
or its description's *leading* verb does ("Sends the invoice"; not "Returns
the drop-off points", not "Send a query to retrieve information": asking is a
read). OpenAPI operations count by their HTTP method: DELETE always; POST,
PUT and PATCH by their operationId, summary and description; GET, HEAD and
OPTIONS by their operationId only. A disabled
action group passes: it cannot be invoked. Such an action passes when it requires user
confirmation (function schemas: ``RequireConfirmation: ENABLED``; OpenAPI:
``x-requireConfirmation: ENABLED`` on the operation) or when its action group
returns control to the application (``CustomControl: RETURN_CONTROL``).

An inline OpenAPI payload (JSON or YAML) is parsed; a schema stored in S3, or
built from values known only at deploy time, is UNKNOWN.
"""

from __future__ import annotations

import json
from typing import Any

import yaml

from ..conditions import FAIL, PASS, UNKNOWN, EvalContext, Verdict
from ..model import Choice, Expr, Ref, Resource, Unknown, walk
from ._tools import READ_VERBS, inflections, leading_verb, verb_in_name, words

_METHODS = ("get", "put", "post", "delete", "patch", "head", "options", "trace")
_SAFE_METHODS = ("get", "head", "options")  # read-only by HTTP semantics: only their operationId is judged


def irreversible_words(text: Any, verbs: list[str]) -> list[str]:
    """The irreversible verbs (any inflection) among the words of a name or sentence (camelCase and
    snake_case split, as AG902's gateway tools are read: one word matcher, ``_tools.py``)."""
    if not isinstance(text, str):
        return []
    forms = {f: v for v in verbs for f in inflections(v)}
    return sorted({forms[w] for w in words(text) if w in forms})


def action_verbs(name: Any, description: Any, verbs: list[str]) -> list[str]:
    """The irreversible verbs of the action a function or operation performs: its name's, else the leading
    verb of its description (a name that starts with a read verb is a read)."""
    out: list[str] = []
    if isinstance(name, str) and name:
        if _read_name(name):
            return []
        v = verb_in_name(name, verbs)
        if v:
            return [v]
    if isinstance(description, str):
        v = leading_verb(description, verbs)
        if v:
            out.append(v)
    return out


#: a name ending in one of these names data about something (refund_status, payment_history): a read
_DATA_NOUNS = frozenset(
    {"status", "state", "history", "details", "detail", "info", "information", "summary", "report", "eligibility", "options"}
)


def _read_name(name: Any) -> bool:
    ws = words(name) if isinstance(name, str) else ()
    return bool(ws) and (ws[0] in READ_VERBS or (len(ws) > 1 and ws[-1] in _DATA_NOUNS))


def _operation_verbs(method: str, op: dict[str, Any], verbs: list[str]) -> list[str]:
    """The irreversible verbs of an OpenAPI operation, by its method first."""
    op_id = op.get("operationId")
    hits = ["delete"] if method == "delete" else []
    if method in _SAFE_METHODS:  # a GET reads, whatever its summary says; only its name can act
        return hits + action_verbs(op_id, None, verbs)
    hits += action_verbs(op_id, op.get("summary"), verbs)
    if not hits and not _read_name(op_id) and not isinstance(op.get("summary"), str):
        hits += action_verbs(None, op.get("description"), verbs)  # the summary, when there is one, says it
    return hits


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
    out: list[tuple[str, str, dict[str, Any]]] = []
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


def _judge_functions(
    res: Resource,
    verbs: list[str],
    returns: bool | None,
    fails: list[str],
    paths: list[str],
    unknowns: list[str],
    needing: list[str],
) -> None:
    """The function schema's irreversible functions, judged into the lists given."""
    funcs = res.properties.get("function_schema")
    flist = list(walk(funcs, "functions")) if funcs is not None else []
    for i, f in enumerate(flist):
        if isinstance(f, Unknown):
            unknowns.append(f"function schema: {f.reason}")
            continue
        if not isinstance(f, dict):
            continue
        name = f.get("name")
        hits = action_verbs(name, f.get("description"), verbs)
        if not hits:
            continue
        shown = name if isinstance(name, str) else f"function {i}"
        needing.append(shown)
        conf = _enabled(f.get("require_confirmation"))
        if conf:
            continue
        if returns:
            continue
        if conf is None or returns is None:
            unknowns.append(
                f"function {shown} ({', '.join(sorted(set(hits)))}): confirmation or return of control is known only at deploy time"
            )
            continue
        fails.append(
            f"function {shown} is irreversible ({', '.join(sorted(set(hits)))}) but does not require user confirmation"
            " (RequireConfirmation is not ENABLED) and the action group does not return control"
        )
        paths.append(
            f"function_schema.functions.{i}.require_confirmation"
            if "require_confirmation" in f
            else f"function_schema.functions.{i}"
        )


def _judge_api_schema(
    res: Resource,
    verbs: list[str],
    returns: bool | None,
    fails: list[str],
    paths: list[str],
    unknowns: list[str],
    needing: list[str],
) -> None:
    """The OpenAPI schema's irreversible operations, judged into the lists given."""
    schema = res.properties.get("api_schema")
    if schema is not None:
        payloads = [p for p in walk(schema, "payload") if p is not None]
        s3 = [s for s in walk(schema, "s3") if s is not None]
        if s3 and not payloads:
            if not returns:
                unknowns.append("the API schema is stored in S3; its operations are not in the scanned files")
        for payload in payloads:
            text = _payload_text(payload)
            if isinstance(text, Unknown):
                if not returns:
                    unknowns.append(f"API schema: {text.reason}")
                continue
            if text is None:
                continue
            doc = parse_openapi(text)
            if doc is None:
                unknowns.append("the API schema is neither JSON nor YAML that agentgov can read")
                continue
            for path, method, op in _operations(doc):
                op_id = op.get("operationId")
                hits = _operation_verbs(method, op, verbs)
                if not hits:
                    continue
                shown = f"{method.upper()} {path}" + (f" ({op_id})" if isinstance(op_id, str) else "")
                needing.append(shown)
                if _enabled(op.get("x-requireConfirmation")) or returns:
                    continue
                if returns is None:
                    unknowns.append(f"operation {shown}: return of control is known only at deploy time")
                    continue
                fails.append(
                    f"operation {shown} is irreversible ({', '.join(sorted(set(hits)))}) but does not require"
                    " user confirmation (x-requireConfirmation is not ENABLED) and the action group does not return control"
                )
                paths.append("api_schema.payload")


def check(res: Resource, ctx: EvalContext, params: dict[str, Any]) -> Verdict:
    """AG501: irreversible actions of this action group require confirmation or return control."""
    verbs = params.get("verbs")
    if verbs is None:
        return Verdict(UNKNOWN, ["parameter irreversible_verbs is not configured"])
    verbs = [str(v) for v in verbs]
    state = res.properties.get("action_group_state")
    if isinstance(state, str) and state.upper() == "DISABLED":
        return Verdict(PASS, ["the action group is disabled: the agent cannot invoke its actions"])
    returns = _returns_control(res)
    fails: list[str] = []
    paths: list[str] = []
    unknowns: list[str] = []
    needing: list[str] = []
    _judge_functions(res, verbs, returns, fails, paths, unknowns, needing)
    _judge_api_schema(res, verbs, returns, fails, paths, unknowns, needing)
    evidence: dict[str, Any] = {"irreversible_actions": needing} if needing else {}
    if fails:
        return Verdict(FAIL, fails, path=paths[0], evidence=evidence)
    if unknowns:
        return Verdict(UNKNOWN, unknowns[:3], evidence=evidence)
    if needing and returns:
        return Verdict(
            PASS, ["the action group returns control to the application for its irreversible actions"], evidence=evidence
        )
    return Verdict(PASS, evidence=evidence)
