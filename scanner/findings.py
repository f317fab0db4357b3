"""Finding: the one record every output format renders and evidence signs."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from enum import Enum
from typing import Any

from .model import Location


class Status(str, Enum):
    PASS = "PASS"
    FAIL = "FAIL"
    UNKNOWN = "UNKNOWN"
    SUPPRESSED = "SUPPRESSED"
    ERROR = "ERROR"


class Severity(str, Enum):
    INFO = "info"
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"
    CRITICAL = "critical"

    @property
    def rank(self) -> int:
        return _RANK[self]


_RANK = {
    Severity.INFO: 0,
    Severity.LOW: 1,
    Severity.MEDIUM: 2,
    Severity.HIGH: 3,
    Severity.CRITICAL: 4,
}

#: policy id of the findings that say a file could not be scanned
PARSE_ERROR_ID = "AG000"


def fingerprint(policy_id: str, account: str | None, region: str | None, identity: str) -> str:
    """Stable id of a finding: policy + account + region + resource identity.

    ``identity`` is the ARN (live) or ``<stack>#<logical id or address>`` (IaC);
    line numbers never enter it, so baselines and waivers survive edits.
    """
    raw = "\x1f".join((policy_id, account or "", region or "", identity))
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()[:32]


@dataclass(frozen=True, slots=True, kw_only=True)
class Finding:
    """One verdict of one policy on one resource.

    A plain frozen dataclass (no pydantic import on the scan path); the JSON
    report's schema is generated from it by pydantic in ``reports/json_report.py``.
    """

    policy_id: str
    title: str
    severity: Severity
    status: Status
    message: str
    resource_id: str  # logical id, Terraform address or ARN
    resource_kind: str
    resource_type: str  # native type (AWS::Bedrock::Agent, aws_iam_role, ...)
    location: Location
    fingerprint: str
    resource_name: str | None = None  # display name (aws:cdk:path, ...)
    evidence: dict[str, Any] = field(default_factory=dict)
    remediation: str | None = None
    account: str | None = None
    region: str | None = None
    suppression: dict[str, Any] | None = None  # {kind, reason, owner?, expires?, source}
    baseline_state: str | None = None  # against a baseline: "new" or "unchanged" (FAIL/UNKNOWN only)

    @property
    def failed(self) -> bool:
        return self.status == Status.FAIL
