"""Security Hub's ``BatchImportFindings`` and ``GetFindings`` as AWS documents them, on moto's own backend.

moto 5.2.1 implements both, but:

* ``BatchImportFindings`` accepts findings in an account or region where Security Hub is not enabled (AWS
  answers each with ``InvalidAccess`` in ``FailedFindings``), for another account's ``AwsAccountId`` or
  ``ProductArn`` (with the default product, AWS imports only the caller's own findings), and more than 100
  findings in one request (the model's maximum);
* an update merges the new finding into the stored one (``dict.update``), so an attribute the provider
  dropped stays; AWS replaces the finding with the provider's, except the attributes customers own and
  ``BatchImportFindings`` cannot change after creation (``Note``, ``UserDefinedFields``,
  ``VerificationState``, ``Workflow``), and it takes ``Severity`` and ``Types`` from
  ``FindingProviderFields`` when the provider sends them there;
* it applies an update whatever its ``UpdatedAt``: AWS ignores one whose ``UpdatedAt`` is not later than the
  stored finding's;
* it does not reset the workflow status: AWS sets ``NOTIFIED`` or ``RESOLVED`` back to ``NEW`` when
  ``RecordState`` goes from ``ARCHIVED`` to ``ACTIVE`` or ``Compliance.Status`` from ``PASSED`` to
  ``FAILED``, ``WARNING`` or ``NOT_AVAILABLE``;
* ``GetFindings`` ignores ``Filters`` (every finding of the region comes back) and answers an account
  where Security Hub is not enabled.

``install()`` replaces those two backend methods; the findings stay in moto's own list
(``SecurityHubBackend.findings``, per account and region), so moto's other operations see them.
Where AWS does not document the error code of a refusal (another account's finding), the answer is
``InvalidInput`` with the reason.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from moto.securityhub.exceptions import InvalidInputException, SecurityHubClientError
from moto.securityhub.models import Finding, SecurityHubBackend
from moto.utilities.paginator import paginate

MAX_FINDINGS = 100  # BatchImportFindings' Findings: max 100 in botocore's model
MAX_FINDING_BYTES = 240 * 1024  # "The maximum allowed size for a finding is 240 Kb"
CUSTOMER_OWNED = ("Note", "UserDefinedFields", "VerificationState", "Workflow", "WorkflowState")
PROVIDER_FIELDS = ("Severity", "Types", "Confidence", "Criticality", "RelatedFindings")

#: AwsSecurityFindingFilters keys this completion answers, and where each reads the finding
_FILTER_PATHS: dict[str, tuple[str, ...]] = {
    "Id": ("Id",),
    "ProductArn": ("ProductArn",),
    "GeneratorId": ("GeneratorId",),
    "AwsAccountId": ("AwsAccountId",),
    "Title": ("Title",),
    "Region": ("Region",),
    "RecordState": ("RecordState",),
    "ComplianceStatus": ("Compliance", "Status"),
    "WorkflowStatus": ("Workflow", "Status"),
    "SeverityLabel": ("Severity", "Label"),
    "ResourceId": ("Resources", "Id"),
    "ResourceType": ("Resources", "Type"),
}


def _now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"


def _values(data: Any, path: tuple[str, ...]) -> list[str]:
    if not path:
        return [data] if isinstance(data, str) else []
    if isinstance(data, list):
        return [v for item in data for v in _values(item, path)]
    if isinstance(data, dict) and path[0] in data:
        return _values(data[path[0]], path[1:])
    return []


def _matches(data: dict[str, Any], filters: dict[str, Any] | None) -> bool:
    """AWS's rule: filters on different keys AND; EQUALS / PREFIX / CONTAINS values of one key OR;
    NOT_EQUALS / PREFIX_NOT_EQUALS / NOT_CONTAINS values of one key AND."""
    for key, conditions in (filters or {}).items():
        if not conditions:
            continue
        if key not in _FILTER_PATHS:
            raise InvalidInputException(op="GetFindings", msg=f"the filter {key} is not answered by agentgov's moto completion")
        values = _values(data, _FILTER_PATHS[key])
        positive: list[Callable[[Any], bool]] = []
        negative: list[Callable[[Any], bool]] = []
        for c in conditions:
            v, op = c.get("Value", ""), c.get("Comparison", "EQUALS")
            test = {
                "EQUALS": lambda x, v=v: x == v, "NOT_EQUALS": lambda x, v=v: x != v,
                "PREFIX": lambda x, v=v: x.startswith(v), "PREFIX_NOT_EQUALS": lambda x, v=v: not x.startswith(v),
                "CONTAINS": lambda x, v=v: v in x, "NOT_CONTAINS": lambda x, v=v: v not in x,
                "CONTAINS_WORD": lambda x, v=v: v in x.split(),
            }.get(op)  # fmt: skip
            if test is None:
                raise InvalidInputException(op="GetFindings", msg=f"unknown Comparison {op!r}")
            (negative if op in ("NOT_EQUALS", "PREFIX_NOT_EQUALS", "NOT_CONTAINS") else positive).append(test)
        if positive and not any(t(x) for t in positive for x in values):
            return False
        if negative and not all(t(x) for t in negative for x in values):
            return False
    return True


def _refusal(backend: SecurityHubBackend, data: dict[str, Any]) -> tuple[str, str] | None:
    account, region = backend.account_id, backend.region_name
    if not backend.enabled:
        return "InvalidAccess", f"Account {account} is not subscribed to AWS Security Hub in {region}"
    if not isinstance(data.get("Resources"), list) or not data["Resources"]:
        return "InvalidInput", "Finding must contain at least one resource in the Resources array"
    if data.get("AwsAccountId") != account:
        return "InvalidInput", f"AwsAccountId {data.get('AwsAccountId')} is not the calling account {account}"
    arn = str(data.get("ProductArn", ""))
    parts = arn.split(":")
    if len(parts) != 6 or parts[2] != "securityhub" or parts[3] != region or parts[5] != f"product/{account}/default":
        return "InvalidInput", f"ProductArn {arn} is not this account's default product in {region} " \
                               f"(arn:aws:securityhub:{region}:{account}:product/{account}/default)"  # fmt: skip
    if len(json.dumps(data)) > MAX_FINDING_BYTES:
        return "InvalidInput", "The finding is larger than 240 KB"
    return None


def _time(text: Any) -> datetime | None:
    try:
        return datetime.fromisoformat(str(text).replace("Z", "+00:00"))
    except ValueError:
        return None


def _later(new: Any, old: Any) -> bool:
    a, b = _time(new), _time(old)
    return a is None or b is None or a > b


def _created(data: dict[str, Any], stamp: str) -> dict[str, Any]:
    out = dict(data)
    provided = out.get("FindingProviderFields") or {}
    for key in PROVIDER_FIELDS:
        if key not in out and key in provided:
            out[key] = provided[key]
    out.setdefault("RecordState", "ACTIVE")
    out.setdefault("Workflow", {"Status": "NEW"})
    out["ProcessedAt"] = stamp
    return out


def _updated(old: dict[str, Any], data: dict[str, Any], stamp: str) -> dict[str, Any]:
    out = {k: v for k, v in data.items() if k not in CUSTOMER_OWNED}
    for key in CUSTOMER_OWNED:  # what customers own stays as it was
        if key in old:
            out[key] = old[key]
    provided = out.get("FindingProviderFields") or {}
    for key in PROVIDER_FIELDS:
        if key in provided:
            out[key] = provided[key]
        elif key not in out and key in old:
            out[key] = old[key]
    out.setdefault("RecordState", old.get("RecordState", "ACTIVE"))
    workflow = dict(out.get("Workflow") or {"Status": "NEW"})
    reopened = old.get("RecordState") == "ARCHIVED" and out["RecordState"] == "ACTIVE"
    failing = (old.get("Compliance") or {}).get("Status") == "PASSED" and (out.get("Compliance") or {}).get("Status") in (
        "FAILED", "WARNING", "NOT_AVAILABLE")  # fmt: skip
    if workflow.get("Status") in ("NOTIFIED", "RESOLVED") and (reopened or failing):
        workflow["Status"] = "NEW"
    out["Workflow"] = workflow
    out["ProcessedAt"] = stamp
    return out


def batch_import_findings(self: SecurityHubBackend, findings: list[dict[str, Any]]) -> tuple[int, int, list[dict[str, Any]]]:
    if len(findings) > MAX_FINDINGS:
        raise InvalidInputException(
            op="BatchImportFindings", msg=f"at most {MAX_FINDINGS} findings in one request, not {len(findings)}"
        )
    stamp = _now()
    index = {(f.data.get("ProductArn"), f.id): f for f in self.findings}
    failed: list[dict[str, Any]] = []
    ok = 0
    for data in findings:
        refused = _refusal(self, data)
        if refused:
            failed.append({"Id": data.get("Id", ""), "ErrorCode": refused[0], "ErrorMessage": refused[1]})
            continue
        key = (data["ProductArn"], data["Id"])
        existing = index.get(key)
        if existing is None:
            new = Finding(data["Id"], _created(data, stamp))
            self.findings.append(new)
            index[key] = new
        elif _later(data.get("UpdatedAt"), existing.data.get("UpdatedAt")):
            existing.data = _updated(existing.data, data, stamp)
        # else: "If UpdatedAt on the update matches or occurs before UpdatedAt on the existing finding,
        # Security Hub ignores the update request" (not a failure)
        ok += 1
    return len(failed), ok, failed


@paginate(pagination_model=SecurityHubBackend.PAGINATION_MODEL)
def get_findings(self: SecurityHubBackend, filters: dict[str, Any] | None = None, sort_criteria: Any = None,
                 max_results: int | None = None) -> list[dict[str, Any]]:  # fmt: skip
    if not self.enabled:
        raise SecurityHubClientError("InvalidAccessException", f"Account {self.account_id} is not subscribed to AWS Security Hub")
    if max_results is not None and not 1 <= int(max_results) <= 100:
        raise InvalidInputException(op="GetFindings", msg="MaxResults must be a number between 1 and 100")
    return [f.as_dict() for f in self.findings if _matches(f.data, filters)]


_INSTALLED = False


def install() -> None:
    global _INSTALLED
    if _INSTALLED:
        return
    # the ignores of method-assign: replacing moto's methods is what the completion does
    SecurityHubBackend.batch_import_findings = batch_import_findings  # type: ignore[method-assign]
    SecurityHubBackend.get_findings = get_findings  # type: ignore[method-assign]
    _INSTALLED = True
