"""``agentgov audit``: the same policies on what is deployed, across an Organization.

The walk: the ACTIVE accounts of the Organization (``--org``) or of a file
(``--accounts FILE``); in each, the audit role is assumed (``--role-name``,
``--external-id``) with a session name that identifies the run; the regions
are the ones asked for, or every region enabled in the account; the
collectors (``audit/collectors``) run over accounts x regions on a bounded pool of
workers, through botocore's adaptive retries and per-call timeouts. Each
account's records form one inventory (IAM is global, agents are regional:
edges resolve within the account), evaluated by the engine exactly as an IaC
inventory is.

Nothing passes silently: an account whose role cannot be assumed, a region or
an enumeration call that fails is a coverage gap, an ERROR finding (``AG000``)
in every report, and the exit code is 3 when nothing failed; a denied call
about one resource is an ``Unknown`` naming the API and the error code, so
the policies that need it report UNKNOWN.

boto3 is imported only when an audit runs: ``agentgov scan`` never loads it.
"""

from __future__ import annotations

import dataclasses
import re
import secrets
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from agentgov.audit.collectors.tagging import AccountTags
from agentgov.audit.workers import DaemonPool, stop_reason
from agentgov.scanner.findings import PARSE_ERROR_ID, Finding, Severity, Status, fingerprint
from agentgov.scanner.model import Inventory, Location

ACCOUNT_ID = re.compile(r"^\d{12}$")
GAP_TITLE = "Account or region could not be audited"
GAP_REMEDIATION = (
    "Deploy the audit role in the account (see 'agentgov audit iam-policy') with a trust policy for the auditing account, "
    "or grant the missing action; then run the audit again."
)


class OrganizationUnavailable(Exception):
    """The accounts of the Organization could not be listed: nothing was audited (exit 3)."""

    def __init__(self, code: str, message: str):
        super().__init__(f"{code}: {message}")
        self.code, self.message = code, message


class AuditUsageError(Exception):
    """Bad input to the audit (an accounts file that cannot be read, ...): exit 2."""


@dataclass
class AuditOptions:
    role_name: str
    org: bool = False
    accounts: list[str] | None = None  # instead of --org
    regions: list[str] | None = None  # None: every region enabled in each account
    external_id: str | None = None
    workers: int = 8
    #: accounts collected at once (0: half the workers, at least 2); the others wait, so memory does not grow with the Organization
    accounts_in_flight: int = 0
    run_id: str = ""
    session: Any = None  # the caller's boto3 Session (default: boto3's default credentials)
    #: botocore event handlers (event name, handler) registered on every session the audit creates
    hooks: list[tuple[str, Callable[..., Any]]] = field(default_factory=list)
    page_size: int | None = None  # list calls' page size (None: each API's default)
    shard: tuple[int, int] | None = None  # (i, n): this run audits the i-th of n deterministic parts of the accounts
    #: called as (accounts done, accounts in total, AuditStats) when the accounts are known and as each one completes
    progress: Callable[[int, int, AuditStats], None] | None = None
    assume_role: bool = True  # False: collect with the session's own credentials (the Config rule runtime, in the account)
    keep_inventory: bool = False  # keep every account's records on the result (tests look at them; memory grows with the estate)
    max_attempts: int = 8
    connect_timeout: float = 5.0
    read_timeout: float = 30.0
    #: seconds one account may take (a call that is never answered costs minutes of retries); then it is a coverage gap
    account_timeout: float | None = 900.0
    timeout: float | None = None  # seconds the whole run may take; then every unfinished account is a coverage gap
    #: buckets, KMS keys and tables: details read only for those the account's agentic resources reference (False: all)
    reach: bool = True
    #: tags that make a bucket worth reading whoever references it ((key, value or None), AG804's audit_bucket_tag)
    detail_tags: tuple[tuple[str, str | None], ...] = ()
    #: IAM service last accessed (AG111) is read for the agent roles (False: AG111 is not among the policies run)
    last_accessed: bool = True
    #: agent roles created fewer days ago are not read (AG111 passes them on their age: its max_unused_days less a day)
    young_role_days: float | None = None


@dataclass
class Gap:
    account: str
    region: str | None
    api: str
    code: str
    message: str
    resource: str | None = None  # what the failed enumeration was under (an agent whose aliases could not be listed)
    action: str | None = None  # the IAM action that authorizes the call

    def reason(self) -> str:
        """The call, what it answered and the IAM action it needs: ``bedrock ListGuardrails denied (AccessDeniedException;
        IAM action bedrock:ListGuardrails)``."""
        from agentgov.audit.collectors.base import DENIED_CODES

        what = "denied" if self.code in DENIED_CODES else "failed"
        return f"{self.api} {what} ({self.code}" + (f"; IAM action {self.action})" if self.action else ")")

    def finding(self) -> Finding:
        where = f"aws://{self.account}/{self.region or 'global'}" + (f"/{self.resource}" if self.resource else "")
        scope = (
            f"account {self.account}"
            + (f" region {self.region}" if self.region else "")
            + (f" {self.resource}" if self.resource else "")
        )
        return Finding(
            policy_id=PARSE_ERROR_ID,
            title=GAP_TITLE,
            severity=Severity.HIGH,
            status=Status.ERROR,
            message=f"{scope} not fully audited: {self.reason()}: {self.message}",
            resource_id=where,
            resource_kind="resource" if self.resource else "region" if self.region else "account",
            resource_type="AWS::Organizations::Account",
            location=Location(file=where),
            fingerprint=fingerprint(
                PARSE_ERROR_ID, self.account, self.region, f"{self.api}\x1fcoverage\x1f{self.resource or ''}"
            ),
            remediation=GAP_REMEDIATION,
            account=self.account,
            region=self.region,
            evidence={"api": self.api, "error_code": self.code},
        )


@dataclass
class AuditStats:
    accounts: int = 0
    regions: int = 0
    calls: int = 0
    failed_calls: int = 0
    calls_by_service: dict[str, int] = field(default_factory=dict)  # botocore service name -> calls
    failed_by_operation: dict[str, int] = field(default_factory=dict)  # "<service>.<Operation> <error code>" -> answers
    not_offered: set[tuple[str, str]] = field(default_factory=set)  # (service, region) skipped: the service is not offered there
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def count_call(self, model: Any = None, **_: Any) -> None:
        service = getattr(getattr(model, "service_model", None), "service_name", None) or "unknown"
        with self._lock:
            self.calls += 1
            self.calls_by_service[service] = self.calls_by_service.get(service, 0) + 1

    def count_response(
        self, response_dict: Any = None, exception: Any = None, parsed_response: Any = None, event_name: str = "", **_: Any
    ) -> None:
        """Every attempt's answer (retries included): throttled, denied, failed ones are counted, by operation and error."""
        status = (response_dict or {}).get("status_code", 200) if isinstance(response_dict, dict) else 200
        if exception is not None or status >= 400:
            error = (parsed_response or {}).get("Error", {}) if isinstance(parsed_response, dict) else {}
            code = type(exception).__name__ if exception is not None else str(error.get("Code") or f"HTTP {status}")
            operation = ".".join(event_name.split(".")[1:]) or "unknown"  # response-received.<service>.<Operation>
            key = f"{operation} {code}"
            with self._lock:
                self.failed_calls += 1
                self.failed_by_operation[key] = self.failed_by_operation.get(key, 0) + 1

    def count_unparsed(self, exception: Any = None, event_name: str = "", **_: Any) -> None:
        """An answer botocore could not parse: it emits no ``response-received`` for it, only ``after-call-error``."""
        from botocore.parsers import ResponseParserError

        if isinstance(exception, ResponseParserError):
            operation = ".".join(event_name.split(".")[1:]) or "unknown"  # after-call-error.<service>.<Operation>
            key = f"{operation} ResponseParserError"
            with self._lock:
                self.failed_calls += 1
                self.failed_by_operation[key] = self.failed_by_operation.get(key, 0) + 1


def new_run_id() -> str:
    return f"{datetime.now(UTC):%Y%m%dT%H%M%SZ}-{secrets.token_hex(3)}"


def session_name(run_id: str) -> str:
    """The STS session name: ``agentgov-audit-<run id>`` (CloudTrail shows which run made each call)."""
    return f"agentgov-audit-{run_id}"[:64]


def parse_shard(text: str) -> tuple[int, int]:
    """``i/n`` (1 <= i <= n) -> (i, n)."""
    m = re.fullmatch(r"(\d+)/(\d+)", text.strip())
    if not m or not (1 <= int(m.group(1)) <= int(m.group(2))):
        raise AuditUsageError(f"--shard {text!r}: expected i/n with 1 <= i <= n, such as 2/8")
    return int(m.group(1)), int(m.group(2))


def in_shard(account: str, shard: tuple[int, int] | None) -> bool:
    """Whether ``account`` belongs to shard i of n: by a hash of the id, so a shard keeps its accounts
    when others join or leave the Organization, and every account is in exactly one shard."""
    if shard is None:
        return True
    import hashlib

    i, n = shard
    return int(hashlib.sha256(account.encode()).hexdigest(), 16) % n == i - 1


def read_accounts_file(path: Path) -> list[str]:
    """Account ids, one per line (a CSV's first column; ``#`` comments and blank lines ignored)."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise AuditUsageError(f"cannot read accounts file {path}: {exc.strerror or exc}") from None
    out: list[str] = []
    for n, line in enumerate(text.splitlines(), 1):
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        first = line.split(",", 1)[0].strip().strip('"')
        if not ACCOUNT_ID.match(first):
            raise AuditUsageError(f"{path}:{n}: {first!r} is not a 12-digit AWS account id")
        if first not in out:
            out.append(first)
    if not out:
        raise AuditUsageError(f"{path}: no account ids in the file: nothing to audit")
    return out


# --------------------------------------------------------------- sessions


def _config(opts: AuditOptions) -> Any:
    from botocore.config import Config

    from agentgov.scanner import __version__

    return Config(
        retries={"mode": "adaptive", "max_attempts": opts.max_attempts},
        connect_timeout=opts.connect_timeout,
        read_timeout=opts.read_timeout,
        user_agent_extra=f"agentgov/{__version__}",
    )


def _hooked(session: Any, opts: AuditOptions) -> Any:
    for event, handler in opts.hooks:
        session.events.register(event, handler)
    return session


def _base_session(opts: AuditOptions) -> Any:
    if opts.session is not None:
        return _hooked(opts.session, opts)
    import boto3

    return _hooked(boto3.session.Session(), opts)


def _error_code(exc: Exception) -> tuple[str, str]:
    response = getattr(exc, "response", None)
    if isinstance(response, dict):
        err = response.get("Error", {})
        return str(err.get("Code") or "Error"), str(err.get("Message") or exc)
    return type(exc).__name__, str(exc)


def list_accounts(session: Any, opts: AuditOptions) -> list[str]:
    """ACTIVE accounts of the Organization, in a stable order."""
    client = session.client("organizations", config=_config(opts))
    out = []
    for page in client.get_paginator("list_accounts").paginate(
        **({"PaginationConfig": {"PageSize": opts.page_size}} if opts.page_size else {})
    ):
        for a in page.get("Accounts", []):
            state = a.get("State") or a.get("Status")
            if state == "ACTIVE":
                out.append(a["Id"])
    return sorted(out)


def assume(session: Any, account: str, opts: AuditOptions, partition: str = "aws") -> Any:
    import boto3

    sts = session.client("sts", config=_config(opts))
    kwargs: dict[str, Any] = {
        "RoleArn": f"arn:{partition}:iam::{account}:role/{opts.role_name}",
        "RoleSessionName": session_name(opts.run_id),
    }
    if opts.external_id:
        kwargs["ExternalId"] = opts.external_id
    creds = sts.assume_role(**kwargs)["Credentials"]
    return _hooked(
        boto3.session.Session(
            aws_access_key_id=creds["AccessKeyId"],
            aws_secret_access_key=creds["SecretAccessKey"],
            aws_session_token=creds["SessionToken"],
            botocore_session=_sharing_models(session),
        ),
        opts,
    )


_LOADER_LOCK = threading.Lock()


def _sharing_models(base: Any) -> Any:
    """A new botocore session that reads service models through ``base``'s loader: each model (EC2's is
    megabytes of JSON) is parsed once per run, not once per account."""
    import botocore.session

    fresh = botocore.session.Session()
    core = getattr(base, "_session", None)
    if core is None:
        return fresh
    loader = core.get_component("data_loader")
    fresh.register_component("data_loader", loader)
    with _LOADER_LOCK:  # boto3 appends its own data path to the loader of every Session it makes: once is enough
        paths = loader.search_paths
        unique = list(dict.fromkeys(paths))
        if len(unique) != len(paths):
            paths[:] = unique
    return fresh


def enabled_regions(session: Any, opts: AuditOptions) -> list[str]:
    """The account's enabled regions (DescribeRegions answers only those), within the commercial partition."""
    ec2 = session.client("ec2", region_name="us-east-1", config=_config(opts))
    known = set(session.get_available_regions("ec2"))
    names = [r["RegionName"] for r in ec2.describe_regions()["Regions"]]
    return sorted(n for n in names if n in known)


# ------------------------------------------------------------ collection


@dataclass
class AccountResult:
    account: str
    inventory: Inventory
    gaps: list[Gap]
    failures: list[Any]  # CallFailed of per-resource calls (they are Unknowns in the records)


def _collect(
    collector: Any, session: Any, account: str, region: str | None, opts: AuditOptions, tags: Any = None, reach: Any = None
) -> tuple[list[Any], list[Gap], list[Any], dict[str, str | None]]:
    """The collector's records, gaps and failed per-resource calls, and for each of its ``KINDS`` None (collected
    whole) or why not (the call that failed)."""
    from agentgov.audit.collectors.base import CallFailed, Context

    ctx = Context(
        session=session,
        account=account,
        region=region,
        calls=frozenset(collector.CALLS),
        config=_config(opts),
        page_size=opts.page_size,
        tags=tags,
        reach=reach,
    )
    gaps: list[Gap] = []
    kinds = set(getattr(collector, "KINDS", ()))
    whole = set(kinds)
    stopped = False
    try:
        collector.collect(ctx)
    except CallFailed as exc:
        gaps.append(_gap(account, region, exc, None))
        whole = set()
        stopped = True
    for failed, resource in ctx.gaps:
        gaps.append(_gap(account, region, failed, resource))
    whole = set() if ctx.incomplete is None else whole - ctx.incomplete
    cause = next((g for g in gaps if g.resource is None), gaps[0] if gaps else None)
    why = cause.reason() if cause else f"collector {collector.AREA} did not complete"
    said = {k: why for k in kinds - whole} | {k: None for k in whole}
    if stopped:  # the collector's only enumeration failed: what else it records was not read either (why, never "none")
        said |= {k: why for k in _area_kinds(collector) if k not in said}
    return ctx.resources, gaps, ctx.failures, said


def _area_kinds(collector: Any) -> tuple[str, ...]:
    from agentgov.audit.live_inventory import AREA_KINDS

    return AREA_KINDS.get(collector.AREA, ())


def _gap(account: str, region: str | None, exc: Any, resource: str | None) -> Gap:
    call = exc.call
    return Gap(account, region, f"{call.service} {call.operation}", exc.code, exc.message or call.action, resource, call.action)


#: services botocore's endpoint data does not list (their endpoints come from rule sets), offered only where the
#: service they are part of is: not offered where that one is not
OFFERED_WITH = {"bedrock-agent": "bedrock", "bedrock-agentcore-control": "bedrock"}


def offered(session: Any, service: str, region: str) -> bool | None:
    """Whether botocore's endpoint (partition) data offers ``service`` in ``region``: None when it does not say."""
    regions = session.get_available_regions(service)
    if regions:
        return region in regions
    parent = OFFERED_WITH.get(service)
    if parent and (within := session.get_available_regions(parent)) and region not in within:
        return False
    return None


def _regional(collector: Any, session: Any, region: str) -> bool:
    """Whether the collector's service may be offered in ``region``; unknown (botocore's endpoint data is empty
    for services with endpoint rule sets) counts as offered, so a failure is seen, never skipped."""
    return offered(session, collector.CALLS[0].service, region) is not False


def _offered_regions(collector: Any, session: Any, regions: list[str], stats: AuditStats) -> list[str]:
    """The regions the collector's service may be offered in; the others are noted once on ``stats``."""
    out = []
    for r in regions:
        if _regional(collector, session, r):
            out.append(r)
        else:
            with stats._lock:
                stats.not_offered.add((collector.CALLS[0].service, r))
    return out


class _Account:
    """One account in flight: its session, its pending tasks, what they found."""

    def __init__(self, account: str, deadline: float | None = None):
        self.account = account
        self.resources: list[Any] = []
        self.gaps: list[Gap] = []
        self.failures: list[Any] = []
        self.collected: set[tuple[str, str | None, str]] = set()  # (account, region, kind) collected whole
        self.uncollected: dict[tuple[str, str | None, str], str] = {}  # (account, region, kind) not: the call that failed
        self.unfinished: set[str] = {"sts AssumeRole"}  # what it still waits for (named when it runs out of time)
        self.deadline = deadline
        self.closed = False  # complete, timed out or dropped: late answers are ignored
        self.lock = threading.Lock()
        self.tags = AccountTags()  # the Resource Groups Tagging API's answers, read once per region
        self.stage_left = 0  # collections of the running stage still to finish before the next stage starts
        #: the stages not started yet, in order: ("resolving", the collections of a ``WHEN`` collector, run where what the
        #: first stage found needs them), then ("deferred", buckets, keys, tables and the agent roles' last access)
        self.stages: list[tuple[str, list[tuple[Any, str | None, Any]]]] = []

    def kinds(self, region: str | None, kinds: dict[str, str | None]) -> None:
        """What a collector said of its ``KINDS`` in ``region``: None collected whole, or why not."""
        for kind, why in kinds.items():
            if why is None:
                self.collected.add((self.account, region, kind))
            else:
                self.uncollected[(self.account, region, kind)] = why


def _collect_safely(
    collector: Any, session: Any, account: str, region: str | None, opts: AuditOptions, tags: Any = None, reach: Any = None
) -> tuple[list[Any], list[Gap], list[Any], dict[str, str | None]]:
    """(records, gaps, failed calls, kind -> why it was not collected whole (None: it was))."""
    try:
        return _collect(collector, session, account, region, opts, tags, reach)
    except Exception as exc:  # a collector bug is a coverage gap, never a lost account
        gap = Gap(account, region, f"collector {collector.AREA}", type(exc).__name__, str(exc))
        return [], [gap], [], {k: gap.reason() for k in (*getattr(collector, "KINDS", ()), *_area_kinds(collector))}


class _Schedule:
    """The accounts in flight, and how the run ends: every account complete, or stopped (time, signal)."""

    def __init__(self, on_account: Callable[[AccountResult], None]) -> None:
        self.on_account = on_account
        self.cond = threading.Condition()
        self.in_flight: dict[str, _Account] = {}
        self.completing = 0  # on_account calls running in workers
        self.stopping = False
        self.errors: list[BaseException] = []

    def complete(self, state: _Account, gaps: list[Gap] | None = None, forced: bool = False) -> None:
        """Hand the account over (once); ``gaps`` instead of what was collected when it is given up.

        Once the run is stopping, only the stop itself (``forced``) hands accounts over."""
        with self.cond:
            if state.closed or (self.stopping and not forced):
                return
            state.closed = True
            self.completing += 1
        try:
            if gaps is not None:
                self.on_account(AccountResult(state.account, Inventory(), gaps, []))
            else:
                inv = Inventory()
                for r in state.resources:
                    if r.key not in inv.resources:  # (a multi-region trail is seen from every region: one record)
                        inv.add(r)
                inv.collected |= state.collected
                inv.uncollected.update(state.uncollected)
                self.on_account(AccountResult(state.account, inv, state.gaps, state.failures))
        except BaseException as exc:  # surfaced by the caller
            self.errors.append(exc)
        finally:
            with self.cond:  # its place is free once it is handed over: only so many accounts are held at once
                self.in_flight.pop(state.account, None)
                self.completing -= 1
                self.cond.notify_all()

    def guarded(self, step: Callable[[_Account], None], state: _Account) -> None:
        """``step(state)``; a bug in it is surfaced by the caller, and the account is not lost silently."""
        try:
            step(state)
        except BaseException as exc:
            self.errors.append(exc)
            self.give_up(state, type(exc).__name__, f"internal error: {exc}")

    def give_up(self, state: _Account, code: str, why: str, forced: bool = False) -> None:
        with state.lock:
            waiting = sorted(state.unfinished)
        shown = ", ".join(waiting[:6]) + (f" and {len(waiting) - 6} more" if len(waiting) > 6 else "")
        message = f"{why}; the account is not assessed" + (f" (unfinished: {shown})" if shown else "")
        self.complete(state, [Gap(state.account, None, "agentgov audit", code, message)], forced)


def _plan(state: _Account, session: Any, base: Any, opts: AuditOptions, stats: AuditStats) -> list[tuple[Any, str | None, Any]]:
    """The account's collections (collector, region, session), after finding its regions; gaps go on ``state``."""
    from agentgov.audit.collectors import COLLECTORS

    account = state.account
    try:
        enabled: list[str] | None = enabled_regions(session, opts)
    except Exception as exc:
        code, message = _error_code(exc)
        if opts.regions is None:  # nothing to audit without knowing the regions
            state.gaps.append(Gap(account, None, "ec2 DescribeRegions", code, message, action="ec2:DescribeRegions"))
            return []
        enabled = None  # the regions asked for are tried: a disabled one fails its calls, and says so
    if opts.regions is None:
        regions = list(enabled or [])
    else:
        regions = [r for r in opts.regions if enabled is None or r in enabled]
        for r in opts.regions:
            if r not in regions:
                state.gaps.append(
                    Gap(
                        account,
                        r,
                        "ec2 DescribeRegions",
                        "RegionDisabled",
                        f"{r} is not enabled in this account; enable it or leave it out of --regions",
                    )
                )
    with stats._lock:
        stats.regions = max(stats.regions, len(regions))
    plan: list[tuple[Any, str | None, Any]] = []
    for collector in COLLECTORS:
        if collector.SCOPE == "organization":  # the auditing principal's view of the Organization, for this account
            if opts.assume_role:  # (the Config rule runtime, inside the account, has none)
                plan.append((collector, None, base))
        elif collector.SCOPE == "global":
            plan.append((collector, None, session))
        else:
            plan.extend((collector, r, session) for r in _offered_regions(collector, session, regions, stats))
    return plan


def _stages(plan: list[tuple[Any, str | None, Any]], opts: AuditOptions) -> tuple[list[Any], list[tuple[str, list[Any]]]]:
    """The account's first collections, and the stages that wait for them: the resolving collectors (``WHEN``), then
    the deferred ones (buckets, keys, tables, the agent roles' last access)."""
    # (a collector that reads only for the agent roles, IAM service last accessed, waits for them even when the run
    # reads every bucket, key and table whole: the Config rule runtime's; so do the resolving collectors, run where
    # they are needed, unless the run reads everything whole)
    deferred = [p for p in plan if (opts.reach and getattr(p[0], "REACHED", False)) or getattr(p[0], "AGENT_ROLES", False)]
    resolving = [p for p in plan if opts.reach and hasattr(p[0], "WHEN") and p not in deferred]
    first = [p for p in plan if p not in deferred and p not in resolving]
    return first, [("resolving", resolving), ("deferred", deferred)]


def _stage_tasks(state: _Account, opts: AuditOptions) -> list[tuple[Any, str | None, Any, Any]]:
    """The collections of the account's next stage (collector, region, session, reach), its lock held.

    Resolving collectors (``WHEN``) run only in the regions where what the stages before found needs them: in the
    others their kinds are recorded as not read, with why. The deferred ones (buckets, keys, tables, the agent roles'
    last access) read details only of what the others reference (``collectors.reach``)."""
    from agentgov.audit.collectors.reach import Reach, agent_roles, references
    from agentgov.audit.collectors.resolve import Found, needed, not_needed

    stage, items = state.stages.pop(0)
    found = Found.of(state.resources, state.gaps)
    reach = None
    if stage == "deferred":
        roles = agent_roles(state.resources, opts.young_role_days) if opts.last_accessed else frozenset()
        reach = Reach(references(state.resources), opts.detail_tags, roles)
    run: list[tuple[Any, str | None, Any, Any]] = []
    for collector, region, who in items:
        when = getattr(collector, "WHEN", None) if opts.reach else None
        if when is not None and region is not None and not needed(when, found, region):
            why = not_needed(when, state.account, region)
            state.kinds(region, {k: why for k in (*getattr(collector, "KINDS", ()), *_area_kinds(collector))})
            state.unfinished.discard(_label(collector, region))
        else:
            run.append((collector, region, who, reach))
    return run


def _label(collector: Any, region: str | None) -> str:
    return f"{collector.AREA}@{region or 'global'}"


def collect_accounts(
    accounts: list[str], opts: AuditOptions, on_account: Callable[[AccountResult], None], stats: AuditStats, base: Any = None
) -> str | None:
    """Collect every account (bounded workers over accounts x regions); ``on_account`` gets each one when it is complete.

    Each account has ``opts.account_timeout`` seconds, the run ``opts.timeout``; an account that runs out of
    time, and on SIGINT/SIGTERM/SIGHUP (or the run's timeout) every account not complete, is handed over as a
    coverage gap, without waiting for the calls in flight. Returns why the run stopped early, or None.
    """
    base = base if base is not None else _base_session(opts)
    stats.accounts = len(accounts)
    if not accounts:
        return None
    sched = _Schedule(on_account)
    # an account's records are held until its last task is done: only so many accounts are started at once
    cap = max(1, opts.accounts_in_flight or max(2, opts.workers // 2))
    pool = DaemonPool(opts.workers)

    def task(state: _Account, collector: Any, session: Any, region: str | None, reach: Any = None) -> None:
        """One collection; ``reach`` (a deferred collector's): what the account's other collectors reference."""
        if state.closed:
            return
        # the member role's collectors share the account's Tagging API answers (not the Organization's: another principal)
        tags = state.tags if collector.SCOPE != "organization" else None
        res, gaps, failures, kinds = _collect_safely(collector, session, state.account, region, opts, tags, reach)
        with state.lock:
            state.resources.extend(res)
            state.gaps.extend(gaps)
            state.failures.extend(failures)
            state.kinds(region, kinds)
            state.unfinished.discard(_label(collector, region))
            state.stage_left -= 1
            done = state.stage_left == 0
        if done:
            advance(state)

    def advance(state: _Account) -> None:
        sched.guarded(_advance, state)

    def _advance(state: _Account) -> None:
        """The account's next stage, once the one before is done; the account is complete after its last one."""
        while True:
            with state.lock:
                if state.closed or not state.stages:
                    break
                run = _stage_tasks(state, opts)
                state.stage_left = len(run)
            if run:
                for collector, region, who, reach in run:
                    pool.submit(task, state, collector, who, region, reach)
                return
        sched.complete(state)

    def start(state: _Account) -> None:
        sched.guarded(_start, state)

    def _start(state: _Account) -> None:
        account = state.account
        try:
            session = assume(base, account, opts) if opts.assume_role else _hooked(base, opts)
        except Exception as exc:
            code, message = _error_code(exc)
            state.gaps.append(Gap(account, None, "sts AssumeRole", code, message, action="sts:AssumeRole"))
            sched.complete(state)
            return
        with state.lock:
            state.unfinished = {"ec2 DescribeRegions"}
        plan = _plan(state, session, base, opts, stats)
        first, stages = _stages(plan, opts)
        with state.lock:
            state.stages = stages
            state.stage_left = len(first)
            state.unfinished = {_label(c, r) for c, r, _ in plan}
        if not first:
            advance(state)
            return
        for collector, region, who in first:
            pool.submit(task, state, collector, who, region)

    todo = list(reversed(accounts))
    t0 = time.monotonic()
    stopped: tuple[str, str] | None = None
    try:
        stopped = _drive(sched, todo, cap, pool, start, opts, t0)
    except KeyboardInterrupt as exc:  # SIGINT, or SIGTERM/SIGHUP under workers.stop_on_signals
        stopped = ("Interrupted", f"the audit was stopped by {stop_reason(exc)}")
    finally:
        pool.shutdown()  # what has not started never will; calls in flight are not waited for
    if stopped is not None:
        _stop(sched, todo, stopped)
    if sched.errors:
        raise sched.errors[0]
    return stopped[1] if stopped else None


def _drive(
    sched: _Schedule,
    todo: list[str],
    cap: int,
    pool: DaemonPool,
    start: Callable[[_Account], None],
    opts: AuditOptions,
    t0: float,
) -> tuple[str, str] | None:
    """Start accounts as places free up and give up those past their deadline, until all are done or time is up."""
    while True:
        now = time.monotonic()
        with sched.cond:
            while todo and len(sched.in_flight) < cap and not sched.errors:
                state = _Account(todo.pop(), now + opts.account_timeout if opts.account_timeout else None)
                sched.in_flight[state.account] = state
                pool.submit(start, state)
            if (not todo or sched.errors) and not sched.in_flight and not sched.completing:
                return None
            sched.cond.wait(0.1)
            expired = [s for s in sched.in_flight.values() if not s.closed and s.deadline is not None and now > s.deadline]
        for state in expired:
            sched.give_up(state, "Timeout", f"not audited within the per-account deadline of {opts.account_timeout:g} s")
        if opts.timeout is not None and time.monotonic() - t0 > opts.timeout:
            return ("Timeout", f"the audit's --timeout of {opts.timeout:g} s ran out")


def _stop(sched: _Schedule, todo: list[str], stopped: tuple[str, str]) -> None:
    """Every account not handed over yet becomes a coverage gap (after the hand-overs running in workers end)."""
    code, why = stopped
    with sched.cond:
        sched.stopping = True
        unfinished = [s for s in sched.in_flight.values() if not s.closed]
        while sched.completing:  # evaluating an account already collected: CPU work, it ends
            sched.cond.wait(0.1)
    for state in unfinished:
        sched.give_up(state, code, why, forced=True)
    for account in reversed(todo):
        sched.give_up(_Account(account), code, f"{why} before it started", forced=True)
    todo.clear()


# ------------------------------------------------------------ evaluation


def _young_role_days(params: dict[str, Any]) -> float | None:
    """AG111's ``max_unused_days`` less a day (the margin between the audit's read and its judgment), or None."""
    days = params.get("max_unused_days")
    if not isinstance(days, (int, float)) or isinstance(days, bool) or days <= 1:
        return None
    return float(days) - 1


def run_audit(opts: AuditOptions, pack: Any, params: dict[str, Any], only: Iterable[str] = (), skip: Iterable[str] = ()) -> Any:
    """The audit as a ``ScanResult``: every report renders it as it renders a scan."""
    from agentgov.scanner import engine
    from agentgov.scanner.graph import resolve_edges

    t0 = time.perf_counter()
    policies = engine.select(pack, only, skip)
    stats = AuditStats()
    # the run's own counters join the caller's hooks (on a copy: the caller's options are left as they were)
    from agentgov.audit.collectors.reach import tag_interest

    opts = dataclasses.replace(
        opts,
        run_id=opts.run_id or new_run_id(),
        detail_tags=opts.detail_tags or tag_interest(params.get("audit_bucket_tag")),
        last_accessed=opts.last_accessed and any(p.id == "AG111" for p in policies),
        young_role_days=opts.young_role_days if opts.young_role_days is not None else _young_role_days(params),
        hooks=[
            *opts.hooks,
            ("before-call", stats.count_call),
            ("response-received", stats.count_response),
            ("after-call-error", stats.count_unparsed),
        ],
    )
    base = _base_session(opts)  # one caller session: its hooks are registered once
    if opts.accounts is not None:
        accounts = list(opts.accounts)
    else:
        try:
            accounts = list_accounts(base, opts)
        except Exception as exc:
            raise OrganizationUnavailable(*_error_code(exc)) from exc
    accounts = [a for a in accounts if in_shard(a, opts.shard)]
    from agentgov.audit import live_inventory
    from agentgov.audit.results import AuditResult
    from agentgov.scanner import agent_inventory

    result = AuditResult(policies, pack.digest, keep_inventory=opts.keep_inventory)
    gaps: list[Gap] = []
    lock = threading.Lock()

    done = [0]
    if opts.progress:
        opts.progress(0, len(accounts), stats)

    def on_account(account: AccountResult) -> None:
        inv = account.inventory
        resolve_edges(inv)
        found = engine.run(inv, policies, params)
        found.extend(g.finding() for g in account.gaps)
        kinds: dict[str, int] = {}
        for r in inv:
            kinds[r.kind] = kinds.get(r.kind, 0) + 1
        # the account's findings, agents and resource identities go to disk; its inventory is let go when this returns
        result.add(found, agent_inventory.records(inv), kinds, inv)
        result.add_live(
            live_inventory.resource_records(inv), live_inventory.collected_records(inv, [dict(g.__dict__) for g in account.gaps])
        )
        with lock:
            gaps.extend(account.gaps)
            done[0] += 1
            if opts.progress:
                opts.progress(done[0], len(accounts), stats)

    try:
        result.stopped = collect_accounts(accounts, opts, on_account, stats, base)
    except BaseException:
        result.close()
        raise
    result.seconds = time.perf_counter() - t0
    gaps.sort(key=lambda g: (g.account, g.region or "", g.api, g.resource or ""))
    result.audit = {
        "run_id": opts.run_id,
        "shard": f"{opts.shard[0]}/{opts.shard[1]}" if opts.shard else None,
        "accounts": len(accounts),
        "regions": stats.regions,
        "calls": stats.calls,
        "failed_calls": stats.failed_calls,
        "calls_by_service": dict(sorted(stats.calls_by_service.items())),
        "failed_calls_by_operation": dict(sorted(stats.failed_by_operation.items())),
        "seconds": round(result.seconds, 3),
        "coverage_gaps": [dict(g.__dict__) for g in gaps],
        # regions where a service is not offered (botocore's endpoint data): neither audited nor a gap, said once
        "not_offered": [f"{service} not offered in {region}" for service, region in sorted(stats.not_offered)],
    }
    return result


def collect_account(account: str | None = None, region: str | None = None, session: Any = None) -> Inventory:
    """This account and region, with the caller's own credentials, as one inventory with its edges.

    What the AWS Config rule runtime evaluates (its Lambda function runs in the
    account). A coverage gap is an error of the inventory (an AG000 ERROR
    finding), never a silently smaller estate.
    """
    import boto3

    from agentgov.scanner.graph import resolve_edges
    from agentgov.scanner.model import ParseError

    base = session or boto3.session.Session(region_name=region)
    if account is None:
        account = base.client("sts").get_caller_identity()["Account"]
    # (every bucket, key and table read whole: the rule's policies and parameters are not known here)
    opts = AuditOptions(role_name="", accounts=[account], regions=[region] if region else None, session=base,
                        assume_role=False, run_id=new_run_id(), reach=False)  # fmt: skip
    out: dict[str, Any] = {}
    collect_accounts([account], opts, lambda r: out.setdefault("result", r), AuditStats(), base)
    result = out["result"]
    inv = result.inventory
    resolve_edges(inv)
    for g in result.gaps:
        inv.errors.append(ParseError(f"aws://{g.account}/{g.region or 'global'}", f"{g.api}: {g.code}: {g.message}"))
    return inv
