"""``--security-hub-import``: the ASFF findings of an audit (or a merge) sent to AWS Security Hub.

Security Hub takes findings of its default product (``arn:aws:securityhub:REGION:ACCOUNT:product/ACCOUNT/default``)
only from the account they belong to (``AwsAccountId`` must be the caller's), so the import assumes the
import role in each account (the audit role by default: ``agentgov audit iam-policy --security-hub-import``
adds the two actions below to it) and calls, per account and region:

1. ``GetFindings`` (agentgov's findings of that product) to see what an earlier run imported;
2. ``BatchImportFindings`` in batches of at most 100:

   * the Id is the fingerprint (``agentgov/<policy>/<fingerprint>``), so a re-run updates the same
     finding: ``CreatedAt`` (and ``FirstObservedAt``) are kept from the imported one, ``UpdatedAt``
     is this run's; ``Severity`` and ``Types`` go in ``FindingProviderFields`` only, and ``Workflow`` and
     ``Note`` are not sent on an update (customers own them after creation, AWS ignores them);
   * a finding that now passes is sent with ``Compliance.Status PASSED``, still ``ACTIVE``: AWS resolves
     the workflow of its own controls' findings only, and sets a ``RESOLVED`` one back to ``NEW`` if it fails again;
   * a finding an earlier run imported that this run no longer produces (the resource is gone) is sent
     again with ``RecordState ARCHIVED``, for the policies this run evaluated and only where the account
     and region were audited without a coverage gap.

PASS findings are always sent (whatever ``--no-pass`` says): they are what marks a fixed finding PASSED.
A finding Security Hub refuses (``FailedFindings``) is reported with its Id and reason and the others are
still sent; throttling is retried (botocore's adaptive retries, then the refused ones again). A failure
makes the run exit non-zero, as an ERROR finding does (1 if something failed, else 3).
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any

from agentgov.audit.collectors.base import Call
from agentgov.scanner.findings import PARSE_ERROR_ID, Status

BATCH = 100
#: the calls the import makes with the import role in each account (and the IAM actions they need)
IMPORT_CALLS: tuple[Call, ...] = (
    Call("securityhub", "GetFindings", "securityhub:GetFindings"),
    Call("securityhub", "BatchImportFindings", "securityhub:BatchImportFindings"),
)
THROTTLING = frozenset({"ThrottlingException", "TooManyRequestsException", "LimitExceededException", "Throttling"})
RESEND_ATTEMPTS = 4


def iam_statement() -> dict[str, Any]:
    """The statement the import role needs (added by ``audit iam-policy --security-hub-import``)."""
    return {
        "Sid": "AgentgovSecurityHubImport",
        "Effect": "Allow",
        "Action": sorted(c.action for c in IMPORT_CALLS),
        "Resource": ["arn:aws:securityhub:*:*:hub/default", "arn:aws:securityhub:*:*:product/*/default"],
    }


@dataclass
class Failure:
    account: str
    region: str
    id: str  # the finding Id, or "" when a whole account or region could not be reached
    code: str
    message: str

    def __str__(self) -> str:
        what = self.id or "every finding"
        return f"{what} in account {self.account} region {self.region}: {self.code}: {self.message}"


@dataclass
class Outcome:
    created: int = 0
    updated: int = 0
    archived: int = 0
    places: set[tuple[str, str]] = field(default_factory=set)
    failures: list[Failure] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def imported(self) -> int:
        return self.created + self.updated + self.archived

    def summary(self) -> str:
        accounts = len({a for a, _ in self.places})
        return (f"security hub: {self.imported} finding(s) imported into {accounts} account(s), {len(self.places)} account-region(s) "
                f"({self.created} new, {self.updated} updated, {self.archived} archived), {len(self.failures)} failed")  # fmt: skip


def _stamp(now: float | None = None) -> str:
    t = time.time() if now is None else now
    return time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(t)) + f".{int(t * 1000) % 1000:03d}Z"


def _code(exc: Exception) -> tuple[str, str]:
    response = getattr(exc, "response", None)
    if isinstance(response, dict):
        e = response.get("Error", {})
        return str(e.get("Code") or type(exc).__name__), str(e.get("Message") or exc)
    return type(exc).__name__, str(exc)


def _region(product_arn: str) -> str:
    return product_arn.split(":")[3]


def _gaps(findings: list[Any]) -> set[tuple[str, str | None]]:
    """(account, region or None for the whole account) that were not fully audited (AG000 ERROR findings)."""
    return {(f.account, f.region) for f in findings if f.policy_id == PARSE_ERROR_ID and f.status == Status.ERROR and f.account}


def _existing(client: Any, product_arn: str) -> dict[str, dict[str, Any]]:
    filters = {"ProductArn": [{"Value": product_arn, "Comparison": "EQUALS"}],
               "GeneratorId": [{"Value": "agentgov/", "Comparison": "PREFIX"}]}  # fmt: skip
    out: dict[str, dict[str, Any]] = {}
    for page in client.get_paginator("get_findings").paginate(Filters=filters, PaginationConfig={"PageSize": 100}):
        for f in page.get("Findings", []):
            out[f["Id"]] = f
    return out


def _after(stamp: str, old: Any) -> str:
    """``stamp``, or a millisecond after ``old`` when that is not earlier (Security Hub ignores an update whose
    ``UpdatedAt`` is not later than the stored finding's: a clock behind, or two runs in one millisecond)."""
    import datetime as dt

    def parse(v: Any) -> Any:
        if isinstance(v, dt.datetime):
            return v if v.tzinfo else v.replace(tzinfo=dt.UTC)
        try:
            return dt.datetime.fromisoformat(str(v).replace("Z", "+00:00"))
        except ValueError:
            return None

    new, prev = parse(stamp), parse(old)
    if new is None or prev is None or new > prev:
        return stamp
    return (prev + dt.timedelta(milliseconds=1)).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"


def _as_update(finding: dict[str, Any], old: dict[str, Any]) -> dict[str, Any]:
    out = {k: v for k, v in finding.items() if k not in ("Severity", "Types", "Workflow", "Note")}
    for key in ("CreatedAt", "FirstObservedAt"):
        if old.get(key):
            out[key] = old[key]
    out["UpdatedAt"] = _after(out["UpdatedAt"], old.get("UpdatedAt"))
    return out


def _as_archived(old: dict[str, Any], stamp: str) -> dict[str, Any]:
    """An earlier run's finding, sent back ARCHIVED (only attributes BatchImportFindings takes)."""
    keep = (
        "SchemaVersion",
        "Id",
        "ProductArn",
        "GeneratorId",
        "AwsAccountId",
        "CreatedAt",
        "FirstObservedAt",
        "Title",
        "Description",
        "Resources",
        "Compliance",
        "ProductFields",
        "ProductName",
        "CompanyName",
        "FindingProviderFields",
        "Remediation",
    )
    out = {k: old[k] for k in keep if k in old}
    for k in ("CreatedAt", "FirstObservedAt"):
        if k in out and not isinstance(out[k], str):  # boto3 parsed the timestamp
            out[k] = out[k].strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"
    out["UpdatedAt"] = _after(stamp, old.get("UpdatedAt"))
    out["RecordState"] = "ARCHIVED"
    return out


def _send(client: Any, batch: list[dict[str, Any]], account: str, region: str, outcome: Outcome,
          sleep: Callable[[float], None]) -> set[str]:  # fmt: skip
    """The Ids Security Hub took; refused ones are in ``outcome.failures`` (throttled ones are sent again first)."""
    ok: set[str] = set()
    pending = batch
    for attempt in range(RESEND_ATTEMPTS):
        try:
            answer = client.batch_import_findings(Findings=pending)
        except Exception as exc:  # botocore already retried throttling; what is left is a refusal of the whole batch
            code, message = _code(exc)
            outcome.failures.extend(Failure(account, region, f["Id"], code, message) for f in pending)
            return ok
        refused = {r.get("Id", ""): r for r in answer.get("FailedFindings", [])}
        ok |= {f["Id"] for f in pending if f["Id"] not in refused}
        retry = [f for f in pending if refused.get(f["Id"], {}).get("ErrorCode") in THROTTLING]
        for f in pending:
            r = refused.get(f["Id"])
            if r is not None and (r.get("ErrorCode") not in THROTTLING or attempt == RESEND_ATTEMPTS - 1):
                outcome.failures.append(Failure(account, region, f["Id"], str(r.get("ErrorCode")), str(r.get("ErrorMessage"))))
        if not retry or attempt == RESEND_ATTEMPTS - 1:
            return ok
        pending = retry
        sleep(min(2.0**attempt, 8.0))
    return ok


def import_findings(result: Any, opts: Any, now: float | None = None, sleep: Callable[[float], None] = time.sleep,
                    home_region: str | None = None) -> Outcome:  # fmt: skip
    """Send ``result``'s live findings to Security Hub in their own accounts (``opts``: the AuditOptions whose
    role, external id, session and ``workers`` reach them; accounts are imported concurrently)."""
    import datetime as dt
    import threading
    from concurrent.futures import ThreadPoolExecutor

    from agentgov.audit.run import _base_session, new_run_id
    from agentgov.reports import asff

    moment = dt.datetime.fromtimestamp(time.time() if now is None else now, dt.UTC)
    home = home_region or asff.GLOBAL_REGION  # where global resources' findings go (the Security Hub home region)
    findings, _ = asff.build(result, include_pass=True, now=moment, home=home)
    by_account: dict[str, dict[str, list[dict[str, Any]]]] = {}
    for f in findings:
        by_account.setdefault(f["AwsAccountId"], {}).setdefault(_region(f["ProductArn"]), []).append(f)
    # where this run collected but found nothing (every resource deleted): only earlier findings to archive there
    for c in result.live_collected() if getattr(result, "has_live", False) else ():  # audited whole there
        by_account.setdefault(c["account"], {}).setdefault(c.get("region") or home, [])
    job = _Job(
        opts=replace(opts, run_id=opts.run_id or getattr(result, "audit", {}).get("run_id") or new_run_id(), progress=None),
        stamp=_stamp(moment.timestamp()),
        gaps=_gaps(result.iter_findings()),
        evaluated={p.id for p in result.policies} | {PARSE_ERROR_ID},
        lock=threading.Lock(),
        sleep=sleep,
    )
    job.base = _base_session(job.opts)
    with ThreadPoolExecutor(max_workers=max(1, min(getattr(opts, "workers", 8), len(by_account) or 1))) as pool:
        parts = list(pool.map(lambda item: _account(job, item[0], item[1]), sorted(by_account.items())))
    outcome = Outcome()
    for part in parts:
        outcome.created += part.created
        outcome.updated += part.updated
        outcome.archived += part.archived
        outcome.places |= part.places
        outcome.failures.extend(part.failures)
        outcome.warnings.extend(part.warnings)
    return outcome


@dataclass
class _Job:
    opts: Any
    stamp: str
    gaps: set[tuple[str, str | None]]
    evaluated: set[str]
    lock: Any
    sleep: Callable[[float], None]
    base: Any = None


def _account(job: _Job, account: str, regions: dict[str, list[dict[str, Any]]]) -> Outcome:
    """One account's regions, in order, with one assumed session."""
    from agentgov.audit.run import _config, assume
    from agentgov.reports import asff

    outcome = Outcome()
    opts = job.opts
    try:
        with job.lock:  # boto3 sessions are not thread-safe: the shared base session creates one client at a time
            session = assume(job.base, account, opts) if opts.assume_role else job.base
    except Exception as exc:
        code, message = _code(exc)
        for region, batch in sorted(regions.items()):
            outcome.failures.extend(
                Failure(account, region, f["Id"], code, f"cannot assume {opts.role_name}: {message}") for f in batch
            )
        return outcome
    for region, batch in sorted(regions.items()):
        if batch:
            outcome.places.add((account, region))
        with job.lock if session is job.base else contextlib.nullcontext():
            client = session.client("securityhub", region_name=region, config=_config(opts))
        product = batch[0]["ProductArn"] if batch else asff.product_arn(account, region)
        try:
            existing: dict[str, dict[str, Any]] | None = _existing(client, product)
        except Exception as exc:
            if not batch:  # nothing to send there, and nothing readable to archive (Security Hub off, say)
                continue
            code, message = _code(exc)
            if code in ("InvalidAccessException", "InvalidAccess"):  # Security Hub is off there: nothing can be imported
                outcome.failures.extend(Failure(account, region, f["Id"], code, message) for f in batch)
                continue
            existing = None
            outcome.warnings.append(f"account {account} region {region}: cannot read the findings imported before (GetFindings {code}: "
                                    f"{message}): updated findings get this run's CreatedAt, and none is archived")  # fmt: skip
        sending: list[dict[str, Any]] = []
        updates: set[str] = set()
        for f in batch:
            old = (existing or {}).get(f["Id"])
            if old is not None:
                sending.append(_as_update(f, old))
                updates.add(f["Id"])
            else:
                sending.append(f)
        archive: set[str] = set()
        if existing is not None and (account, region) not in job.gaps and (account, None) not in job.gaps:
            current = {f["Id"] for f in batch}
            for fid, old in existing.items():
                pid = str(old.get("GeneratorId", "")).partition("/")[2]
                if fid not in current and old.get("RecordState") == "ACTIVE" and pid in job.evaluated:
                    sending.append(_as_archived(old, job.stamp))
                    archive.add(fid)
        for i in range(0, len(sending), BATCH):
            took = _send(client, sending[i : i + BATCH], account, region, outcome, job.sleep)
            outcome.archived += len(took & archive)
            outcome.updated += len(took & updates)
            outcome.created += len(took - archive - updates)
    return outcome


def report(outcome: Outcome, err: Callable[[str], None]) -> bool:
    """Print the outcome (each failure with its Id and reason); True when every finding was taken."""
    for w in outcome.warnings:
        err(f"security hub: warning: {w}")
    for f in outcome.failures:
        err(f"security hub: not imported: {f}")
    err(outcome.summary())
    return not outcome.failures
