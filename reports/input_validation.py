"""Files a command reads, checked against their JSON Schema before anything uses them.

A file that does not match is a one-line reason naming where in the file it goes wrong; no
traceback, and nothing of it is used. Validation runs on the raw text (pydantic's JSON parser:
its nesting limit turns a 100,000-deep document into a reason, not a RecursionError).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any


class InputInvalid(Exception):
    """The file's content does not match its schema; ``str()`` is the one-line reason."""


def first_error(exc: Any) -> str:
    """One line from a pydantic ``ValidationError``: where (a dotted path) and what."""
    errors = exc.errors(include_url=False, include_input=False)
    if not errors:
        return "does not match its schema"
    e = errors[0]
    where = ".".join(p if p.isprintable() else repr(p) for p in map(str, e.get("loc", ())))
    more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
    msg = " ".join(str(e.get("msg", "invalid")).split())
    return f"{where + ': ' if where else ''}{msg}{more}"


def validate_text(text: str | bytes, model: Any) -> Any:
    """The JSON value of ``text`` when it matches pydantic ``model`` (strict, JSON mode), else InputInvalid."""
    from pydantic import ValidationError

    try:
        model.model_validate_json(text, strict=True)
    except ValidationError as exc:
        raise InputInvalid(first_error(exc)) from None
    try:
        return json.loads(text)
    except (ValueError, RecursionError) as exc:  # pragma: no cover - pydantic parsed it already
        raise InputInvalid(f"invalid JSON: {exc}") from None


def read_report(path: Path, max_bytes: int = 2 * 1024**3) -> dict[str, Any]:
    """An agentgov JSON report (``scan``/``audit``/``merge --format json``), validated against its schema."""
    from .report_schema import Report

    try:
        if path.is_dir():
            raise InputInvalid("is a directory, not a JSON report")
        if path.stat().st_size > max_bytes:
            raise InputInvalid(f"larger than {max_bytes} bytes")
        data = path.read_bytes()
    except OSError as exc:
        raise InputInvalid(f"cannot read: {exc.strerror or exc}") from None
    value = validate_text(data, Report)
    for i, f in enumerate(value.get("findings") or ()):
        problem = suppression_problem(f.get("suppression")) if isinstance(f, dict) else None
        if problem:
            raise InputInvalid(f"findings.{i}.suppression{problem}")
    return value


def suppression_problem(s: Any) -> str | None:
    """What is wrong with a finding's ``suppression`` record (the schema types it only as an object; the reports
    render its kind, reason and source): ``.key: reason``; None when it is absent or right."""
    if s is None:
        return None
    if not isinstance(s, dict):
        return ": an object or null is required"
    for key in ("kind", "reason", "source"):
        if not isinstance(s.get(key), str):
            return f".{key}: {'a string is required' if key in s else 'missing'}"
    if s["kind"] not in ("inline", "waiver"):
        return f".kind: 'inline' or 'waiver' is required, not {s['kind'][:40]!r}"
    for key in ("owner", "expires"):
        if s.get(key) is not None and not isinstance(s[key], str):
            return f".{key}: a string or null is required"
    return None


def live_result_model() -> Any:
    """What ``agentgov drift`` reads of a live audit result: the tool, the findings and the resource inventory
    (each as the report's schema says); the rest of the report is not needed and not required."""
    from pydantic import BaseModel, ConfigDict

    from agentgov.scanner.findings import Finding

    from .report_schema import LiveInventory

    class LiveTool(BaseModel):
        model_config = ConfigDict(extra="allow")
        policy_pack_digest: str

    class LiveResult(BaseModel):
        model_config = ConfigDict(extra="allow")
        tool: LiveTool
        findings: list[Finding]
        live_inventory: LiveInventory | None = None

    return LiveResult
