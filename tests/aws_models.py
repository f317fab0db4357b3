"""AWS answers from botocore's service models, and checks of answers against them (test helpers).

* ``complete_answer``: for one operation, a shape-complete answer: every member of the output shape
  present (nested lists with one element, maps with one entry), enum members with a valid value,
  every scalar of its model type; deterministic. A tagged union (``union: true``) can hold one member
  only: ``variant`` picks which (``union_width`` says how many variants cover every member). The
  pagination token of a paginated operation is left out (one page).
* ``check_answer``: the ways a value breaks a shape (a member the shape lacks, a wrong casing, a wrong
  type, a missing required member, a value outside the enum), as messages with the member path; for a
  parsed (Python) answer or a JSON body as it is sent (``wire=True``: rest-json's ``locationName``,
  members sent in headers skipped).
* ``fake_answers``: a botocore ``before-call`` handler that answers every call from a table of
  answers or errors, without a request (no network, no credentials).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from typing import Any

ACCOUNT = "123456789012"
REGION = "us-east-1"

#: a policy document as the API sends one (a JSON string)
POLICY_JSON = json.dumps(
    {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Sid": "s0",
                "Effect": "Allow",
                "Principal": {"Service": "bedrock.amazonaws.com"},
                "Action": "s3:GetObject",
                "Resource": "*",
                "Condition": {
                    "ArnLike": {"AWS:SourceArn": "arn:aws:bedrock:us-east-1:123456789012:agent/A1"},
                    "StringEquals": {"AWS:SourceAccount": "123456789012"},
                },
            }
        ],
    }
)

_models: dict[str, Any] = {}
_shared: dict[str, Any] = {}


def _botocore() -> Any:
    """One botocore session for reading models (creating one registers hundreds of handlers and lists every service:
    about 10 ms each, which the contract test's thousands of lookups paid again and again)."""
    if "session" not in _shared:
        import botocore.session

        _shared["session"] = botocore.session.get_session()
    return _shared["session"]


def service_model(service: str) -> Any:
    if service not in _models:
        _models[service] = _botocore().get_service_model(service)
    return _models[service]


#: list calls that page by Marker / IsTruncated but that botocore has no paginator for (the collector loops itself)
MANUAL_PAGINATION: dict[tuple[str, str], dict[str, Any]] = {
    # OpenSearch Serverless lists page by nextToken, but botocore has no paginator for them
    ("opensearchserverless", "ListCollections"): {
        "input_token": "nextToken",
        "output_token": "nextToken",
        "limit_key": "maxResults",
    },
    ("opensearchserverless", "ListSecurityPolicies"): {
        "input_token": "nextToken",
        "output_token": "nextToken",
        "limit_key": "maxResults",
    },
    ("iam", "ListServiceSpecificCredentials"): {
        "input_token": "Marker",
        "output_token": "Marker",
        "more_results": "IsTruncated",
        "limit_key": "MaxItems",
    },
    ("iam", "GetServiceLastAccessedDetails"): {
        "input_token": "Marker",
        "output_token": "Marker",
        "more_results": "IsTruncated",
        "limit_key": "MaxItems",
    },
}


_paginators: dict[tuple[str, str], dict[str, Any] | None] = {}


def paginator_config(service: str, operation: str) -> dict[str, Any] | None:
    if (service, operation) in MANUAL_PAGINATION:
        return MANUAL_PAGINATION[(service, operation)]
    if (service, operation) not in _paginators:
        try:
            found = _botocore().get_paginator_model(service).get_paginator(operation)
        except Exception:  # no paginators for the service, or not this operation
            found = None
        _paginators[(service, operation)] = found
    return _paginators[(service, operation)]


def is_union(shape: Any) -> bool:
    return bool(getattr(shape, "metadata", {}).get("union"))


def union_width(shape: Any, seen: frozenset[str] = frozenset()) -> int:
    """How many variants ``complete_answer`` needs for every member of every union under ``shape``
    (variant 0 sets every member of a union at once; variant i the i-th, for answers a union-aware parser accepts)."""
    if shape.name in seen:
        return 1
    seen = seen | {shape.name}
    if shape.type_name == "structure":
        inner = max([union_width(m, seen) for m in shape.members.values()] or [1])
        return max(inner, len(shape.members) + 1 if is_union(shape) else 1)
    if shape.type_name == "list":
        return union_width(shape.member, seen)
    if shape.type_name == "map":
        return union_width(shape.value, seen)
    return 1


def _string(name: str, shape: Any, path: str) -> str:
    if shape.enum:
        return shape.enum[0]
    low = name.lower()
    if "policy" in low or "document" in low or low in ("content", "policycontent"):
        return POLICY_JSON
    if "payload" in low or low.endswith("schema") or "definition" in low:
        return json.dumps({"openapi": "3.0.0", "paths": {}})  # a JSON text member: its content is data
    if low.endswith("arn") or low.endswith("arns") or low == "arn":
        return f"arn:aws:service:{REGION}:{ACCOUNT}:{name}/{path.replace('.', '-')}"
    if low in ("region", "bucketregion", "regionname"):
        return REGION
    if low in ("accountid", "owner", "ownerid"):
        return ACCOUNT
    text = f"{name}-value"
    least, most = shape.metadata.get("min"), shape.metadata.get("max")
    if least is not None and len(text) < int(least):
        text = text.ljust(int(least), "0")
    if most is not None and len(text) > int(most):
        text = text[: int(most)]
    return text


def complete_answer(
    shape: Any, variant: int = 0, name: str = "", path: str = "", depth: int = 0, drop: frozenset[str] = frozenset()
) -> Any:
    """A value of ``shape`` with every member present (see the module's docstring)."""
    t = shape.type_name
    if shape.metadata.get("document"):  # a document type (botocore: a structure without members): its keys are data
        return {"mapKey0": "document-value"}
    if t == "structure":
        if depth > 12:  # a recursive shape (a document tree): deep enough
            return {}
        members = [(k, v) for k, v in shape.members.items() if not (depth == 0 and k in drop)]
        if is_union(shape) and members and variant > 0:  # variant 0: every member of a union at once
            members = [members[(variant - 1) % len(members)]]
        return {k: complete_answer(v, variant, k, f"{path}.{k}" if path else k, depth + 1) for k, v in members}
    if t == "list":
        return [complete_answer(shape.member, variant, name, path, depth + 1)]
    if t == "map":
        return {"mapKey0": complete_answer(shape.value, variant, name, f"{path}.mapKey0", depth + 1)}
    if t == "string":
        return _string(name, shape, path)
    if t in ("integer", "long"):
        low = shape.metadata.get("min")
        return max(1, int(low)) if low is not None else 1
    if t in ("double", "float"):
        return 1.0
    if t == "boolean":
        return True
    if t == "timestamp":
        return datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)
    if t == "blob":
        return b"blob"
    return {}  # document


def operation_answer(service: str, operation: str, variant: int = 0) -> dict[str, Any]:
    """``complete_answer`` for an operation's output, one page only (no continuation token)."""
    op = service_model(service).operation_model(operation)
    if op.output_shape is None:
        return {}
    drop: set[str] = set()
    cfg = paginator_config(service, operation)
    if cfg:
        for key in ("output_token", "more_results"):
            v = cfg.get(key)
            for one in [v] if isinstance(v, str) else (v or []):
                drop.add(one.split(".")[0])
    answer = complete_answer(op.output_shape, variant, drop=frozenset(drop))
    if cfg and isinstance(cfg.get("more_results"), str):
        answer[cfg["more_results"]] = False
    return answer


# --------------------------------------------------------------- checking

_PY_TYPES: dict[str, tuple[type, ...]] = {
    "string": (str,),
    "integer": (int,),
    "long": (int,),
    "boolean": (bool,),
    "double": (int, float),
    "float": (int, float),
    "blob": (bytes, bytearray, str),
    "timestamp": (datetime, str, int, float),
}


def check_answer(shape: Any, value: Any, path: str = "", wire: bool = False, top: bool = True) -> list[str]:
    """Messages for every way ``value`` breaks ``shape`` (empty: it conforms)."""
    out: list[str] = []
    here = path or "<answer>"
    t = shape.type_name
    if value is None or shape.metadata.get("document"):  # a document type holds any JSON value
        return out
    if t == "structure":
        if not isinstance(value, dict):
            return [f"{here}: a {type(value).__name__}, the model has a structure {shape.name}"]
        names: dict[str, str] = {}  # the name in the answer -> member
        for member, mshape in shape.members.items():
            if wire and top and mshape.serialization.get("location") in ("header", "headers", "statusCode", "querystring", "uri"):
                continue
            names[(mshape.serialization.get("name") if wire else None) or member] = member
        lower = {k.lower(): k for k in names}
        for key, v in value.items():
            if key not in names:
                near = lower.get(key.lower())
                hint = f" (the model's casing is {near!r})" if near else ""
                out.append(f"{path + '.' if path else ''}{key}: not a member of {shape.name}{hint}")
                continue
            member = names[key]
            out += check_answer(shape.members[member], v, f"{path}.{member}" if path else member, wire, False)
        required = [m for m in shape.required_members if m in names.values()]
        for m in required:
            wire_name = next(k for k, v in names.items() if v == m)
            if value.get(wire_name) is None:
                out.append(f"{path + '.' if path else ''}{m}: required by {shape.name}, missing")
        if is_union(shape) and sum(1 for k in value if k in names and value[k] is not None) > 1:
            out.append(f"{here}: a tagged union ({shape.name}) holds one member, the answer has {sorted(value)}")
        return out
    if t == "list":
        if not isinstance(value, list):
            return [f"{here}: a {type(value).__name__}, the model has a list"]
        for i, v in enumerate(value):
            out += check_answer(shape.member, v, f"{path}[{i}]", wire, False)
        return out
    if t == "map":
        if not isinstance(value, dict):
            return [f"{here}: a {type(value).__name__}, the model has a map"]
        for k, v in value.items():
            out += check_answer(shape.value, v, f"{path}.{k}", wire, False)
        return out
    if t == "document":
        return out
    want = _PY_TYPES.get(t)
    if want and (not isinstance(value, want) or (t != "boolean" and isinstance(value, bool))):
        return [f"{here}: {value!r} is a {type(value).__name__}, the model has a {t}"]
    if t == "string" and shape.enum and value not in shape.enum:
        out.append(f"{here}: {value!r} is not one of the model's values {list(shape.enum)}")
    return out


# ------------------------------------------------------------ fake answers


class _Http:
    def __init__(self, status: int):
        self.status_code = status
        self.headers: dict[str, str] = {}
        self.content = b""
        self.text = ""
        self.raw = None


Answer = dict[str, Any] | Callable[[str, str, dict[str, Any]], dict[str, Any]]


def error(code: str, status: int, message: str = "injected") -> dict[str, Any]:
    return {"Error": {"Code": code, "Message": message}, "ResponseMetadata": {"HTTPStatusCode": status}}


def fake_answers(answer: Callable[[str, str, dict[str, Any]], dict[str, Any]]) -> Callable[..., Any]:
    """A ``before-call`` handler: ``answer(service, operation, params)`` is the parsed answer (``error(...)`` for an
    error; an HTTP status >= 300 makes botocore raise it, after its retries when the code is a retryable one)."""

    def handler(model: Any, params: Any = None, **_: Any) -> tuple[_Http, dict[str, Any]]:
        body = (params or {}).get("body")
        request = {"body": body, "url_path": (params or {}).get("url_path"), "query": (params or {}).get("query_string")}
        parsed = answer(model.service_model.service_name, model.name, request)
        status = (parsed.get("ResponseMetadata") or {}).get("HTTPStatusCode", 200)
        parsed.setdefault("ResponseMetadata", {"HTTPStatusCode": status})
        return _Http(status), parsed

    return handler


def fake_session(handler: Callable[..., Any]) -> Any:
    """A boto3 Session with made-up credentials whose every call ``handler`` answers (no request is sent)."""
    import boto3
    import botocore.session

    core = botocore.session.get_session()
    # the models' loader (and its cache of parsed JSON) is shared: each session loading them again cost ~30 ms a client
    core.register_component("data_loader", _botocore().get_component("data_loader"))
    session = boto3.session.Session(
        aws_access_key_id="AKIDFAKE", aws_secret_access_key="fake", region_name=REGION, botocore_session=core
    )
    session.events.register("before-call", handler)
    return session


def walk_paths(value: Any, prefix: str = "") -> Iterator[tuple[str, Any]]:
    """Every (dotted path, value) of a record's properties; lists are transparent, as the condition language reads them."""
    if isinstance(value, dict):
        for k, v in value.items():
            if not isinstance(k, str):
                continue
            if v is None:  # a member the answer did not have: nothing was produced
                continue
            p = f"{prefix}.{k}" if prefix else k
            yield p, v
            yield from walk_paths(v, p)
    elif isinstance(value, list):
        for v in value:
            yield from walk_paths(v, prefix)
