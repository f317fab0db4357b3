"""IAM service last accessed of the agent roles (AG111): when each role last used each service its policies allow.

IAM answers it as a job: ``GenerateServiceLastAccessedDetails`` (the role's ARN; SERVICE_LEVEL granularity, which
every service reports: action-level data covers a few services, Bedrock not among them) returns a ``JobId``, and
``GetServiceLastAccessedDetails`` answers ``JobStatus`` (IN_PROGRESS, COMPLETED, FAILED) and, once COMPLETED,
``ServicesLastAccessed[]`` (``ServiceNamespace``, ``LastAuthenticated`` absent when the service was not used in IAM's
tracking period), in pages (``Marker`` while ``IsTruncated``).

Only the account's agent roles that may hold a Bedrock or AgentCore action are read (``reach.agent_roles``, computed
from what the account's other collectors read, so this collector runs after them): two calls per role when the jobs
are done by the first poll. Every job is started first, then each is polled, up to ``POLL_ROUNDS`` rounds ``POLL_WAIT``
seconds apart; a job still running then is recorded as not complete (AG111 says UNKNOWN naming the call), as is a job
that FAILED (with IAM's error) or a call that failed.
"""

from __future__ import annotations

import time
from typing import Any

from agentgov.audit.collectors.base import UNEXPECTED_ANSWER, Call, CallFailed, Context
from agentgov.scanner.model import Unknown

AREA = "iam_last_accessed"
SCOPE = "global"
SERVICE = "iam"
#: runs after the account's other collectors, for the agent roles they find (``reach.agent_roles``), in every run
AGENT_ROLES = True

CALLS = (
    Call(SERVICE, "GenerateServiceLastAccessedDetails", "iam:GenerateServiceLastAccessedDetails"),
    Call(SERVICE, "GetServiceLastAccessedDetails", "iam:GetServiceLastAccessedDetails"),
)
#: how often, and how far apart (seconds, doubling), a job still IN_PROGRESS is asked again
POLL_ROUNDS = 6
POLL_WAIT = 1.0


def collect(ctx: Context) -> None:
    roles = sorted(ctx.reach.agent_roles) if ctx.reach is not None else []
    jobs: dict[str, str] = {}
    for arn in roles:
        try:
            answer = ctx.call(SERVICE, "GenerateServiceLastAccessedDetails", Arn=arn, Granularity="SERVICE_LEVEL")
            jobs[arn] = answer["JobId"]
        except CallFailed as exc:
            ctx.failures.append(exc)
            _record(ctx, arn, {"job_status": exc.unknown(), "services_last_accessed": exc.unknown()})
        except (KeyError, TypeError) as exc:
            _unexpected(ctx, arn, "GenerateServiceLastAccessedDetails", f"no JobId ({type(exc).__name__})")
    wait = POLL_WAIT
    for round_ in range(POLL_ROUNDS):
        for arn in list(jobs):
            done = _poll(ctx, arn, jobs[arn])
            if done:
                del jobs[arn]
        if not jobs:
            return
        if round_ < POLL_ROUNDS - 1:
            time.sleep(wait)
            wait *= 2
    waited = sum(POLL_WAIT * 2**i for i in range(POLL_ROUNDS - 1))
    for arn in jobs:  # still running: not known, and said so
        why = Unknown(
            f"iam GetServiceLastAccessedDetails: job {jobs[arn]} was still IN_PROGRESS after {POLL_ROUNDS} polls"
            f" over {waited:.0f} s (IAM action iam:GetServiceLastAccessedDetails)",
            origin="api:iam:GetServiceLastAccessedDetails",
        )
        _record(ctx, arn, {"job_status": "IN_PROGRESS", "services_last_accessed": why})


def _poll(ctx: Context, arn: str, job: str) -> bool:
    """One poll of ``job`` (every page once it is done); True when it is settled and recorded."""
    services: list[dict[str, Any]] = []
    marker: str | None = None
    seen: set[str] = set()
    while True:
        params: dict[str, Any] = {"JobId": job}
        if marker:
            params["Marker"] = marker
        try:
            page = ctx.call(SERVICE, "GetServiceLastAccessedDetails", **params)
        except CallFailed as exc:
            ctx.failures.append(exc)
            _record(ctx, arn, {"job_status": exc.unknown(), "services_last_accessed": exc.unknown()})
            return True
        status = page.get("JobStatus")
        if status == "IN_PROGRESS":
            return False
        if status != "COMPLETED":
            err = page.get("Error") or {}
            why = Unknown(
                f"iam GetServiceLastAccessedDetails: the job {status or 'answered no status'}"
                + (f" ({err.get('Code')}: {err.get('Message')})" if err else ""),
                origin="api:iam:GetServiceLastAccessedDetails",
            )
            _record(ctx, arn, {"job_status": status, "services_last_accessed": why})
            return True
        for s in page.get("ServicesLastAccessed") or []:
            services.append(
                {
                    "service_namespace": s.get("ServiceNamespace"),
                    "service_name": s.get("ServiceName"),
                    "last_authenticated": str(s["LastAuthenticated"]) if s.get("LastAuthenticated") else None,
                    "last_authenticated_region": s.get("LastAuthenticatedRegion"),
                }
            )
        marker = page.get("Marker") if page.get("IsTruncated") else None
        if not marker:
            done = page.get("JobCompletionDate")
            _record(
                ctx,
                arn,
                {"job_status": status, "job_completion_date": str(done) if done else None, "services_last_accessed": services},
            )
            return True
        if marker in seen:  # an answer that does not advance: the list is not whole
            _unexpected(ctx, arn, "GetServiceLastAccessedDetails", f"Marker {marker!r} came back twice")
            return True
        seen.add(marker)


def _unexpected(ctx: Context, arn: str, operation: str, what: str) -> None:
    call = next(c for c in CALLS if c.operation == operation)
    exc = CallFailed(call, UNEXPECTED_ANSWER, what)
    ctx.failures.append(exc)
    _record(ctx, arn, {"job_status": exc.unknown(), "services_last_accessed": exc.unknown()})


def _record(ctx: Context, arn: str, props: dict[str, Any]) -> None:
    ctx.add(
        "role_last_accessed",
        "AWS::IAM::ServiceLastAccessed",
        f"service-last-accessed/{arn}",  # (no ARN of its own: named by the role's)
        {"role_arn": arn, **props},
        name=arn.rsplit("/", 1)[-1],
    )
