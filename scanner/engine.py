"""Policies x Inventory -> Findings.

Each policy judges every resource of the kinds it names (``agent_role`` and
``agent_function`` are roles and functions the graph found behind an agent).
A policy that crashes on a resource is an ERROR finding on that resource, not
a crash of the run; a file that could not be scanned is an ERROR finding of
``AG000`` naming the file and the reason.
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from agentgov.policies.compiled import PolicySpec as Policy
from agentgov.policies.registry import Pack

from . import heap, parallel, suppress
from .analyzers import ANALYZERS
from .conditions import FAIL, PASS, UNKNOWN, EvalContext, Verdict, evaluate
from .findings import PARSE_ERROR_ID, Finding, Severity, Status, fingerprint
from .kinds import QUALIFIED_KINDS
from .model import Inventory, Location, Resource


@dataclass
class ScanResult:
    inventory: Inventory
    findings: list[Finding]
    policies: list[Policy]
    pack_digest: str = ""
    seconds: float = 0.0
    stats: dict[str, int] = field(default_factory=dict)
    waivers: suppress.WaiverOutcome | None = None
    baseline: suppress.BaselineOutcome | None = None
    configuration: dict | None = None  # the effective configuration (config.effective), when the caller sets it

    # What the reports read (an audit's ``audit_results.AuditResult`` answers the same from its spool).
    def iter_findings(self) -> Iterable[Finding]:
        return iter(self.findings)

    def finding_groups(self) -> Iterable[Iterable[Finding]]:
        """The findings in groups no text-report resource group spans (one group: all of them)."""
        return iter([self.findings])

    def agent_records(self) -> list[dict]:
        from . import agent_inventory

        return agent_inventory.records(self.inventory)

    def resource_kinds(self) -> dict[str, int]:
        kinds: dict[str, int] = {}
        for r in self.inventory:
            kinds[r.kind] = kinds.get(r.kind, 0) + 1
        return kinds

    def resource_count(self) -> int:
        return len(self.inventory)

    @property
    def files_scanned(self) -> int:
        return self.inventory.files_scanned

    @property
    def files_skipped(self) -> int:
        return self.inventory.files_skipped

    def failures_by_severity(self) -> dict[str, int]:
        by_sev: dict[str, int] = {}
        for f in self.findings:
            if f.status == Status.FAIL:
                by_sev[f.severity.value] = by_sev.get(f.severity.value, 0) + 1
        return by_sev

    def has_coverage_findings(self) -> bool:
        return any(f.policy_id == PARSE_ERROR_ID for f in self.findings)

    def has_agents(self) -> bool:
        return bool(self.agent_records())


def targets(policy: Policy, inv: Inventory) -> Iterable[Resource]:
    seen: set[str] = set()
    for kind in policy.resource:
        base = QUALIFIED_KINDS.get(kind)
        if base is None:
            candidates: Iterable[Resource] = inv.of_kind(kind)
        else:
            candidates = (r for r in inv.of_kind(base) if inv.has_qualifier(r, kind))
        for r in candidates:
            if r.key not in seen:
                seen.add(r.key)
                yield r


def _identity(res: Resource) -> str:
    if isinstance(res.arn, str) and res.arn.startswith("arn:"):
        return res.arn
    return res.key


def judge(policy: Policy, res: Resource, ctx: EvalContext) -> Finding:
    try:
        verdict = evaluate(policy.check, res, ctx)
    except Exception as exc:  # a policy bug is an ERROR finding, never a crash
        verdict = Verdict("ERROR", [f"policy {policy.id} failed on this resource: {type(exc).__name__}: {exc}"])
    status = Status(verdict.status)
    evidence = verdict.evidence
    why = ctx.inventory.cache.get("agent_role_why", {}).get(res.key)
    if why and "agent_role" in policy.resource:
        evidence = {**(evidence or {}), "agent_role": why}  # a role judged for its trust alone says so
    location = verdict.location or res.attr_location(verdict.path)
    message = "; ".join(verdict.messages) if verdict.messages else ("compliant" if status == Status.PASS else policy.title)
    suppression, refusal = (None, None)
    if status in (Status.FAIL, Status.UNKNOWN):
        suppression, refusal = suppress.inline(policy.id, res.suppressions)
        if suppression is not None:
            status = Status.SUPPRESSED
        elif refusal:
            message = f"{message} ({refusal})"
    return Finding(
        policy_id=policy.id,
        title=policy.title,
        severity=Severity(policy.severity),
        status=status,
        message=message,
        resource_id=res.id,
        resource_kind=res.kind,
        resource_type=res.source_type,
        resource_name=res.display_name,
        location=location,
        fingerprint=fingerprint(policy.id, res.account, res.region, _identity(res)),
        evidence=evidence,
        remediation=policy.remediation.summary,
        account=res.account,
        region=res.region,
        suppression=suppression,
    )


def error_findings(inv: Inventory) -> list[Finding]:
    out = []
    for err in inv.errors:
        out.append(
            Finding(
                policy_id=PARSE_ERROR_ID,
                title="File could not be scanned",
                severity=Severity.HIGH,
                status=Status.ERROR,
                message=err.reason,
                resource_id=err.file,
                resource_kind="file",
                resource_type="file",
                location=Location(file=err.file, line=err.line, column=err.column),
                fingerprint=fingerprint(PARSE_ERROR_ID, None, None, f"{err.file}\x1f{err.reason}"),
                remediation="Fix the file so it parses, or exclude it from the scan.",
            )
        )
    return out


class UnknownPolicyError(KeyError):
    """``only``/``skip`` name policy ids the pack does not have (a usage error)."""


def select(pack: Pack, only: Iterable[str] = (), skip: Iterable[str] = ()) -> list[Policy]:
    only = list(only)
    skip = set(skip)
    unknown = [p for p in list(only) + list(skip) if p not in pack.policies]
    if unknown:
        raise UnknownPolicyError(", ".join(unknown))
    chosen = [p for p in pack if (not only or p.id in only) and p.id not in skip]
    return chosen


def roles_outside(policy: Policy, inv: Inventory) -> list[Finding]:
    """UNKNOWN for a policy about agent roles on each agent, runtime, knowledge base, ... (or agent tool)
    whose role is not in the scanned files: the role cannot be judged, and no finding at all would read as
    nothing to judge."""
    from .graph import AGENT_ROLE_USERS

    if list(policy.resource) != ["agent_role"]:
        return []
    out: list[Finding] = []
    users = [r for kind in AGENT_ROLE_USERS for r in inv.of_kind(kind)]
    users += [f for f in inv.of_kind("function") if inv.has_qualifier(f, "agent_function")]
    for user in users:
        outside = [e for e in inv.out_edges(user.key, "role") if not isinstance(e.dst, str)]
        if not outside:
            continue
        reasons = sorted({e.dst.reason for e in outside if not isinstance(e.dst, str)})
        what = user.kind.replace("_", " ")
        where = (
            f"is not among the resources read from account {user.account}"
            if user.source == "aws"
            else "is defined outside the scanned files"
        )
        message = f"the {what}'s role {where}, so it cannot be judged: {'; '.join(reasons)}"
        suppression, refusal = suppress.inline(policy.id, user.suppressions)
        out.append(
            Finding(
                policy_id=policy.id,
                title=policy.title,
                severity=Severity(policy.severity),
                status=Status.SUPPRESSED if suppression is not None else Status.UNKNOWN,
                message=f"{message} ({refusal})" if refusal and suppression is None else message,
                resource_id=user.id,
                resource_kind=user.kind,
                resource_type=user.source_type,
                resource_name=user.display_name,
                location=user.attr_location(outside[0].via),
                fingerprint=fingerprint(policy.id, user.account, user.region, _identity(user) + "\x1frole outside the scan"),
                evidence={"role": where.removeprefix("is "), "reasons": reasons},
                remediation=policy.remediation.summary,
                account=user.account,
                region=user.region,
                suppression=suppression,
            )
        )
    return out


#: resources from which ``run`` with ``jobs`` > 1 shares the policies with a forked process (the whole corpus has
#: 18,774; below this the fork and the findings' transfer cost more than they save)
FORK_RESOURCES = 4000


def run(inv: Inventory, policies: list[Policy], params: dict, jobs: int = 1) -> list[Finding]:
    """Every policy's findings on ``inv``, sorted by file, line, policy and resource. With ``jobs`` > 1 and a large
    inventory, the policies are shared with a forked process, each taking the next one (those with the most candidate
    resources first) until none is left: each policy's findings are the same as in one process (a policy reads the
    inventory, never another policy's findings, and is judged whole in one process), and so is the sorted list."""
    findings = error_findings(inv)
    if jobs > 1 and len(inv) >= FORK_RESOURCES and len(policies) > 1:
        order = sorted(policies, key=lambda p: -_candidates(p, inv))
        for part in parallel.shared(len(order), lambda i: _judge_all(inv, [order[i]], params)):
            findings += part
    else:
        findings += _judge_all(inv, policies, params)
    findings.sort(key=lambda f: (f.location.file, f.location.line or 0, f.policy_id, f.resource_id))
    return findings


def _candidates(policy: Policy, inv: Inventory) -> int:
    """The resources of the kinds ``policy`` judges (qualified kinds counted by their base kind): its cost, roughly."""
    return sum(len(inv.of_kind(QUALIFIED_KINDS.get(kind, kind))) for kind in policy.resource)


def _judge_all(inv: Inventory, policies: list[Policy], params: dict) -> list[Finding]:
    findings: list[Finding] = []
    for policy in policies:
        ctx = EvalContext(inventory=inv, params=params, policy_id=policy.id, analyzers=ANALYZERS)
        for res in targets(policy, inv):
            findings.append(judge(policy, res, ctx))
        findings.extend(roles_outside(policy, inv))
        heap.settle()
    return findings


def scan(
    paths: list[Path],
    pack: Pack,
    params: dict,
    only: Iterable[str] = (),
    skip: Iterable[str] = (),
    max_file_bytes: int | None = None,
    waivers: list[suppress.Waiver] | None = None,
    baseline: set[str] | None = None,
    jobs: int = 1,
) -> ScanResult:
    """Scan ``paths``; then waivers (expired ones FAIL) and, against a baseline, mark findings new/unchanged.

    ``jobs``: worker processes that load the files of a large scan (1: all in this process); same findings."""
    from .discover import MAX_FILE_BYTES, build_inventory

    t0 = time.perf_counter()
    policies = select(pack, only, skip)
    with heap.long_lived():
        inv = build_inventory(paths, max_file_bytes or MAX_FILE_BYTES, jobs)
        findings = run(inv, policies, params, jobs)
    waived = bl = None
    if waivers is not None:
        waived = suppress.apply_waivers(findings, waivers)
        findings = waived.findings
    if baseline is not None:
        bl = suppress.apply_baseline(findings, baseline)
        findings = bl.findings
    stats = {s.value: 0 for s in Status}
    for f in findings:
        stats[f.status.value] += 1
    return ScanResult(inv, findings, policies, pack.digest, time.perf_counter() - t0, stats, waived, bl)


__all__ = ["scan", "run", "ScanResult", "PASS", "FAIL", "UNKNOWN"]
