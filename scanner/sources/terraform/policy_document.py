"""``data "aws_iam_policy_document"`` evaluated to an IAM policy document dict.

Follows the AWS provider: statements from ``source_policy_documents`` (and
the older ``source_json``) first, then this document's own statements, then
``override_policy_documents`` (and ``override_json``); a statement whose
``Sid`` matches an earlier one replaces it in place, others are appended.
``principals { type = "*", identifiers = ["*"] }`` is the bare ``"*"``.

Lists stay lists (``"Action": ["s3:GetObject"]``); duplicates are dropped.
Anything unknown stays ``Unknown`` at the place it occurs, and a source or
override document that is unknown makes the whole document unknown (which
statements survive the merge cannot be known).
"""

from __future__ import annotations

import json
from typing import Any

from agentgov.scanner.model import Choice, Expr, Ref, Unknown

from .functions import hash_key

_SYMBOLIC = (Unknown, Ref, Expr, Choice)
_LISTS = (("actions", "Action"), ("not_actions", "NotAction"), ("resources", "Resource"), ("not_resources", "NotResource"))


def build_policy_document(props: dict[str, Any], address: str) -> Any:
    merged: dict[str, Any] = {"Version": "", "Statement": []}
    for key in ("source_policy_documents", "override_policy_documents"):
        if isinstance(props.get(key), _SYMBOLIC):
            return Unknown(f"{address}: {key} is unknown")
    sources: list[Any] = []
    if props.get("source_json") is not None:
        sources.append(props["source_json"])
    sources += _as_list(props.get("source_policy_documents"))
    for i, src in enumerate(sources):
        doc = _as_document(src, f"{address}: source_policy_documents[{i}]")
        if isinstance(doc, Unknown):
            return doc
        _merge(merged, doc)

    own: dict[str, Any] = {"Version": props.get("version") or "2012-10-17"}
    if props.get("policy_id"):
        own["Id"] = props["policy_id"]
    statements = props.get("statement")
    if isinstance(statements, Unknown):
        return statements
    own["Statement"] = [_statement(s) for s in _as_list(statements) if isinstance(s, dict)]
    _merge(merged, own)

    overrides = _as_list(props.get("override_policy_documents"))
    if props.get("override_json") is not None:
        overrides.append(props["override_json"])
    for i, ov in enumerate(overrides):
        doc = _as_document(ov, f"{address}: override_policy_documents[{i}]")
        if isinstance(doc, Unknown):
            return doc
        _merge(merged, doc)

    out: dict[str, Any] = {"Version": merged["Version"] or "2012-10-17"}
    if "Id" in merged:
        out["Id"] = merged["Id"]
    out["Statement"] = merged["Statement"]
    return out


def _as_list(v: Any) -> list[Any]:
    if v is None or isinstance(v, _SYMBOLIC):
        return []
    return list(v) if isinstance(v, list) else [v]


def _as_document(v: Any, what: str) -> Any:
    if isinstance(v, Unknown):
        return Unknown(f"{what} is unknown: {v.reason}")
    if isinstance(v, (Ref, Expr)):
        return Unknown(f"{what} is known only after apply")
    if isinstance(v, str):
        try:
            v = json.loads(v)
        except (ValueError, RecursionError):
            return Unknown(f"{what} is not valid JSON")
    if not isinstance(v, dict):
        return Unknown(f"{what} is not a policy document")
    stmts = v.get("Statement", [])
    if isinstance(stmts, dict):
        stmts = [stmts]
    if not isinstance(stmts, list):
        return Unknown(f"{what} has Statement of an unknown shape")
    doc = {"Version": v.get("Version") if isinstance(v.get("Version"), str) else "", "Statement": list(stmts)}
    if isinstance(v.get("Id"), str) and v["Id"]:
        doc["Id"] = v["Id"]
    return doc


def _merge(into: dict[str, Any], doc: dict[str, Any]) -> None:
    if doc.get("Id"):
        into["Id"] = doc["Id"]
    if isinstance(doc.get("Version"), str) and doc["Version"] > into["Version"]:
        into["Version"] = doc["Version"]
    stmts = into["Statement"]
    for new in doc["Statement"]:
        sid = new.get("Sid") if isinstance(new, dict) else None
        if not isinstance(sid, str) or not sid:
            stmts.append(new)
            continue
        for i, old in enumerate(stmts):
            if isinstance(old, dict) and old.get("Sid") == sid:
                stmts[i] = new
                break
        else:
            stmts.append(new)


def _dedup(values: list[Any]) -> list[Any]:
    seen: set[Any] = set()
    out = []
    for v in values:
        k = hash_key(v)
        if k not in seen:
            seen.add(k)
            out.append(v)
    return out


def _string_list(v: Any) -> Any:
    if isinstance(v, _SYMBOLIC):
        return v
    if isinstance(v, list):
        return _dedup(v)
    return [v]


def _statement(s: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    sid = s.get("sid")
    if sid:
        out["Sid"] = sid
    effect = s.get("effect")
    out["Effect"] = "Allow" if effect is None else effect
    for key, name in _LISTS:
        v = s.get(key)
        if v is None or v == []:
            continue
        out[name] = _string_list(v)
    for key, name in (("principals", "Principal"), ("not_principals", "NotPrincipal")):
        p = _principals(s.get(key))
        if p is not None:
            out[name] = p
    cond = _conditions(s.get("condition"))
    if cond is not None:
        out["Condition"] = cond
    return out


def _principals(blocks: Any) -> Any:
    if blocks is None or blocks == []:
        return None
    if isinstance(blocks, Unknown):
        return blocks
    out: dict[str, Any] = {}
    items = [b for b in blocks if isinstance(b, dict)]
    if len(items) == 1 and items[0].get("type") == "*" and items[0].get("identifiers") == ["*"]:
        return "*"
    for b in items:
        t = b.get("type")
        ids = b.get("identifiers")
        if isinstance(t, _SYMBOLIC):
            return t if isinstance(t, Unknown) else Unknown("principal type is known only after apply")
        if not isinstance(t, str):
            continue
        if isinstance(ids, _SYMBOLIC):
            out[t] = ids
            continue
        prev = out.get(t)
        if isinstance(prev, Unknown):
            continue
        out[t] = _dedup((prev or []) + _string_list(ids))
    return out


def _conditions(blocks: Any) -> Any:
    if blocks is None or blocks == []:
        return None
    if isinstance(blocks, Unknown):
        return blocks
    out: dict[str, dict[str, Any]] = {}
    for b in blocks:
        if not isinstance(b, dict):
            continue
        test, var, values = b.get("test"), b.get("variable"), b.get("values")
        if isinstance(var, Expr):
            var = str(var)  # e.g. "${aws_iam_openid_connect_provider.x.url}:sub": the shape is known
        for part in (test, var):
            if isinstance(part, _SYMBOLIC):
                return part if isinstance(part, Unknown) else Unknown("condition key is known only after apply")
        if not isinstance(test, str) or not isinstance(var, str):
            continue
        by_var = out.setdefault(test, {})
        prev = by_var.get(var)
        if isinstance(values, _SYMBOLIC) or isinstance(prev, Unknown):
            by_var[var] = values if not isinstance(prev, Unknown) else prev
            continue
        by_var[var] = _dedup((prev or []) + _string_list(values))
    return out
