"""AWS Security Finding Format (ASFF), for ``BatchImportFindings`` into AWS Security Hub.

One ASFF finding per agentgov finding of a live audit (it needs an account and
a region; IaC findings have neither and are left out, with their count). The
finding ``Id`` is the stable fingerprint (``agentgov/<policy>/<fingerprint>``),
so a re-run updates the same Security Hub findings instead of adding copies.

  FAIL -> Compliance FAILED, severity of the policy
  PASS -> Compliance PASSED, severity INFORMATIONAL
  UNKNOWN / ERROR -> Compliance NOT_AVAILABLE (the reason in the description)
  SUPPRESSED -> Compliance FAILED with Workflow SUPPRESSED (the waiver in the note)

The shape is checked against botocore's Security Hub service model in tests.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

from agentgov.scanner import __version__
from agentgov.scanner.findings import PARSE_ERROR_ID, Finding, Status

SCHEMA_VERSION = "2018-10-08"
_SEVERITY = {"critical": "CRITICAL", "high": "HIGH", "medium": "MEDIUM", "low": "LOW", "info": "INFORMATIONAL"}
_COMPLIANCE = {Status.FAIL: "FAILED", Status.PASS: "PASSED", Status.UNKNOWN: "NOT_AVAILABLE", Status.ERROR: "NOT_AVAILABLE",
               Status.SUPPRESSED: "FAILED"}  # fmt: skip
#: normalized kinds -> ASFF resource types (the documented list; others are Other)
_TYPES = {"role": "AwsIamRole", "function": "AwsLambdaFunction", "bucket": "AwsS3Bucket", "table": "AwsDynamoDbTable",
          "kms_key": "AwsKmsKey", "secret": "AwsSecretsManagerSecret", "trail": "AwsCloudTrailTrail",
          "vpc_endpoint": "AwsEc2VpcEndpointService", "alarm": "AwsCloudWatchAlarm"}  # fmt: skip


def _partition(arn: str | None) -> str:
    if arn and arn.startswith("arn:"):
        p = arn.split(":", 2)[1]
        if p in ("aws", "aws-cn", "aws-us-gov"):
            return p
    return "aws"


def _cut(text: str, n: int) -> str:
    return text if len(text) <= n else text[: n - 1] + "…"


GLOBAL_REGION = "us-east-1"  # where the findings of global resources (IAM roles, account-level checks) are imported


def product_arn(account: str, region: str, partition: str = "aws") -> str:
    """The account's default Security Hub product (what BatchImportFindings takes from the account itself)."""
    return f"arn:{partition}:securityhub:{region}:{account}:product/{account}/default"


def finding(f: Finding, now: str, policies: dict[str, Any], home: str = GLOBAL_REGION) -> dict[str, Any]:
    """One ASFF finding; a global resource's (IAM, account-level) goes to the ``home`` region's Security Hub.
    ``f`` has an account (findings without one are left out by the caller: ASFF requires AwsAccountId)."""
    account, region = f.account, f.region or home
    if not account:
        raise ValueError(f"ASFF finding {f.policy_id}/{f.fingerprint} has no account")
    policy = policies.get(f.policy_id)
    partition = _partition(f.resource_id)
    kind = (
        f.resource_kind.replace("agent_", "")
        if f.resource_kind.startswith("agent_") and f.resource_kind[6:] in _TYPES
        else f.resource_kind
    )
    out: dict[str, Any] = {
        "SchemaVersion": SCHEMA_VERSION,
        "Id": f"agentgov/{f.policy_id}/{f.fingerprint}",
        "ProductArn": product_arn(account, region, partition),
        "GeneratorId": f"agentgov/{f.policy_id}",
        "AwsAccountId": account,
        "Types": ["Software and Configuration Checks/AWS Security Best Practices"],
        "CreatedAt": now,
        "UpdatedAt": now,
        "Severity": {
            "Label": "INFORMATIONAL" if f.status == Status.PASS else _SEVERITY[f.severity.value],
            "Original": f.severity.value,
        },
        # where a finding provider's updates of Severity and Types go (customers own the top-level ones after creation)
        "FindingProviderFields": {
            "Severity": {
                "Label": "INFORMATIONAL" if f.status == Status.PASS else _SEVERITY[f.severity.value],
                "Original": f.severity.value,
            },
            "Types": ["Software and Configuration Checks/AWS Security Best Practices"],
        },
        "Title": _cut(f"{f.policy_id}: {f.title}", 256),
        "Description": _cut(f"{f.status.value}: {f.message}", 1024),
        "ProductName": "agentgov",
        "CompanyName": "agentgov",
        "ProductFields": {
            "agentgov/PolicyId": f.policy_id,
            "agentgov/Status": f.status.value,
            "agentgov/Version": __version__,
            "agentgov/ResourceKind": f.resource_kind,
        },  # fmt: skip
        "Resources": [
            {
                "Type": _TYPES.get(kind, "Other"),
                "Id": f.resource_id,
                "Partition": partition,
                "Region": region,
                **({"Details": {"Other": {"agentgovType": f.resource_type}}} if _TYPES.get(kind) is None else {}),
            }
        ],
        "Compliance": {"Status": _COMPLIANCE[f.status]},
        "RecordState": "ACTIVE",
        "Workflow": {
            "Status": "SUPPRESSED" if f.status == Status.SUPPRESSED else ("RESOLVED" if f.status == Status.PASS else "NEW")
        },
    }
    if policy is not None:
        rec: dict[str, Any] = {"Text": _cut(policy.remediation.summary, 512)}
        if policy.references:
            rec["Url"] = policy.references[0]
        out["Remediation"] = {"Recommendation": rec}
    if f.status == Status.SUPPRESSED and f.suppression:
        s = f.suppression
        out["Note"] = {"Text": _cut(f"{s.get('reason')} (owner {s.get('owner', '-')}, expires {s.get('expires', '-')})", 512),
                       "UpdatedBy": "agentgov", "UpdatedAt": now}  # fmt: skip
    return out


def build(result: Any, include_pass: bool = True, now: dt.datetime | None = None,
          home: str = GLOBAL_REGION) -> tuple[list[dict[str, Any]], int]:  # fmt: skip
    """(ASFF findings, number of findings left out because they have no account)."""
    skipped = [0]
    out = list(_findings(result, include_pass, now, skipped, home))
    return out, skipped[0]


def _findings(result: Any, include_pass: bool, now: dt.datetime | None, skipped: list[int],
              home: str = GLOBAL_REGION) -> Iterator[dict[str, Any]]:  # fmt: skip
    stamp = (now or dt.datetime.now(dt.UTC)).strftime("%Y-%m-%dT%H:%M:%S.000Z")
    policies = {p.id: p for p in result.policies}
    for f in result.iter_findings():
        if not include_pass and f.status == Status.PASS:
            continue
        if not f.account or (f.policy_id == PARSE_ERROR_ID and not f.account):
            skipped[0] += 1
            continue
        yield finding(f, stamp, policies, home)


def chunks(result: Any, include_pass: bool = True, home: str = GLOBAL_REGION) -> Iterator[str]:
    """``render`` piece by piece (findings written as they are read)."""
    from .streaming import Streamed, dumps

    yield from dumps(Streamed(_findings(result, include_pass, None, [0], home)), indent=2, ensure_ascii=False)
    yield "\n"


def render(result: Any, include_pass: bool = True, home: str = GLOBAL_REGION) -> str:
    return "".join(chunks(result, include_pass, home))
