"""Human-readable text: findings grouped by resource, with file:line, severity and a fix hint.

Colour only when writing to a terminal (and ``NO_COLOR`` is not set).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from agentgov.scanner.findings import Status

_COLORS = {
    "critical": "\033[1;31m",
    "high": "\033[31m",
    "medium": "\033[33m",
    "low": "\033[36m",
    "info": "\033[37m",
    "UNKNOWN": "\033[35m",
    "ERROR": "\033[1;35m",
    "PASS": "\033[32m",
    "SUPPRESSED": "\033[2m",
    "dim": "\033[2m",
    "bold": "\033[1m",
}
_RESET = "\033[0m"
_ORDER = {Status.ERROR: 0, Status.FAIL: 1, Status.UNKNOWN: 2, Status.SUPPRESSED: 3, Status.PASS: 4}


def render(result: Any, color: bool = False, show_pass: bool = False, threshold: str | None = None) -> str:
    return "".join(chunks(result, color, show_pass, threshold))


def chunks(result: Any, color: bool = False, show_pass: bool = False, threshold: str | None = None) -> Iterator[str]:
    """The report piece by piece: each group of findings (an audit's account) is grouped by resource and written.

    A scan groups by file and resource; an audit by account, region and resource, each location once. The
    last lines: what was scanned or audited, the counts by status, FAIL by severity and the threshold used."""

    def c(key: str, text: str) -> str:
        return f"{_COLORS[key]}{text}{_RESET}" if color else text

    if getattr(result, "audit", None):
        yield from _audit_findings(result, c, show_pass)
    else:
        yield from _scan_findings(result, c, show_pass)
    yield from _closing(result, c, threshold)


def _finding_lines(f: Any, c: Any, at: str | None, fix: bool = True) -> list[str]:
    if f.status == Status.FAIL:
        tag = c(f.severity.value, f"{f.severity.value.upper():8}")
    else:
        tag = c(f.status.value, f"{f.status.value:8}")
    mark = c("dim", " (in baseline)") if f.baseline_state == "unchanged" else ""
    lines = [f"  {tag} {f.policy_id} {f.title}{mark}", f"           {f.message}"]
    if at:
        lines.append(c("dim", f"           at {at}"))
    if fix and f.status == Status.FAIL and f.remediation:
        lines.append(c("dim", f"           fix: {f.remediation}"))
    if f.status == Status.SUPPRESSED and f.suppression:
        who = f", owner {f.suppression['owner']}, expires {f.suppression.get('expires')}" if f.suppression.get("owner") else ""
        lines.append(c("dim", f"           suppressed: {f.suppression.get('reason')} ({f.suppression.get('source')}{who})"))
    return lines


def _audit_findings(result: Any, c: Any, show_pass: bool) -> Iterator[str]:
    """Account, then region, then resource (its ARN once); a policy's fix hint once per account."""
    account = None
    for part in result.finding_groups():
        rows = sorted(
            (f for f in part if show_pass or f.status != Status.PASS),
            key=lambda f: (f.account or "", f.region or "~", f.resource_id, _ORDER[f.status], -f.severity.rank, f.policy_id),
        )
        lines: list[str] = []
        region = resource = None
        fixed: set[str] = set()
        for f in rows:
            if f.account != account:
                account, region, resource, fixed = f.account, None, None, set()
                lines += ([""] if lines else []) + [c("bold", f"Account {f.account or '(none)'}")]
            if (f.region or "global") != region:
                region, resource = f.region or "global", None
                lines.append(c("bold", f"  {region}" + ("" if f.region else " (IAM and account-wide)")))
            if f.resource_id != resource:
                resource = f.resource_id
                lines.append(f"    {f.resource_type} {f.resource_id}")
            here = f"aws://{f.account}/{f.region or 'global'}/"  # said by the lines above
            at = None if f.location.file == here + f.resource_id else f.location.file.removeprefix(here)
            lines += ["    " + ln for ln in _finding_lines(f, c, at, fix=f.policy_id not in fixed)]
            fixed.add(f.policy_id)
        if lines:
            yield "\n".join(lines) + "\n\n"


def _scan_findings(result: Any, c: Any, show_pass: bool) -> Iterator[str]:
    for part in result.finding_groups():
        groups: dict[tuple[str, str], list] = {}
        for f in part:
            if show_pass or f.status != Status.PASS:
                groups.setdefault((f.location.file, f.resource_id), []).append(f)
        lines: list[str] = []
        for (file, rid), findings in sorted(groups.items(), key=lambda kv: (kv[0][0], min(f.location.line or 0 for f in kv[1]))):
            first = findings[0]
            name = first.resource_name or rid
            lines.append(c("bold", f"{file}  {first.resource_type} {name}"))
            for f in sorted(findings, key=lambda f: (_ORDER[f.status], -f.severity.rank, f.policy_id)):
                lines += _finding_lines(f, c, f"{f.location.file}:{f.location.line}" if f.location.line else f.location.file)
            lines.append("")
        if lines:
            yield "\n".join(lines) + "\n"


def _closing(result: Any, c: Any, threshold: str | None) -> Iterator[str]:
    from agentgov.scanner import blast_radius

    lines = []
    had_agents = False
    for rec in result.agent_records():
        if not had_agents:
            had_agents = True
            lines.append(c("bold", "Agent blast radius (what each agent's roles may do together)"))
        live = rec["location"] == f"aws://{rec.get('account')}/{rec.get('region')}/{rec['id']}"  # an audit: the ARN says it
        lines.append(f"  {rec['id']}" + ("" if live else f"  {c('dim', rec['location'])}"))
        lines.append(f"           {blast_radius.summary(rec['blast_radius'])}")
        if len(lines) >= 1000:
            yield "\n".join(lines) + "\n"
            lines = []
    if had_agents:
        lines.append("")
    s = result.stats
    kinds = result.resource_kinds()
    agents = kinds.get("agent", 0) + kinds.get("agent_runtime", 0)
    audit = getattr(result, "audit", None)  # a live audit (agentgov audit) says what it walked, not files
    scope = (
        f"Audited {audit['accounts']} account(s) x {audit['regions']} region(s) ({audit['calls']} API calls, "
        f"{len(audit['coverage_gaps'])} coverage gap(s))"
        if audit
        else f"Scanned {result.files_scanned} IaC file(s) ({result.files_skipped} other YAML/JSON skipped)"
    )
    lines.append(
        f"{scope}: "
        f"{result.resource_count()} resources, {agents} agent(s), {kinds.get('role', 0)} role(s), {kinds.get('function', 0)} function(s) "
        f"in {result.seconds:.2f}s"
    )
    lines.append(
        f"{len(result.policies)} policies: "
        + ", ".join(
            c(k if k != "FAIL" else "high", f"{s.get(k, 0)} {k}") if s.get(k, 0) else f"{s.get(k, 0)} {k}"
            for k in ("FAIL", "UNKNOWN", "ERROR", "SUPPRESSED", "PASS")
        )
    )
    ran = (getattr(result, "configuration", None) or {}).get("policies") or {}  # user packs, tuning, load errors
    for up in ran.get("user_packs") or []:
        lines.append(f"  user pack {up['path']}: {len(up['policies'])} policies ({', '.join(up['policies']) or 'none loaded'})")
    if ran.get("tuning"):
        lines.append(f"  tuned by the configuration: {', '.join(ran['tuning'])}")
    for line in ran.get("not_loaded") or []:
        lines.append(c("high", f"  NOT LOADED (did not run): {line}"))
    if threshold is not None:
        lines.append(_severity_line(result, c, threshold))
    yield "\n".join(lines) + "\n"


def _severity_line(result: Any, c: Any, threshold: str) -> str:
    """FAIL by severity, and how many at or above the threshold fail the run (not those already in a baseline)."""
    from agentgov.scanner.findings import Severity

    by_sev = {s: 0 for s in ("critical", "high", "medium", "low", "info")}
    failing = 0
    rank = Severity(threshold).rank
    for f in result.iter_findings():
        if f.status == Status.FAIL:
            by_sev[f.severity.value] += 1
            failing += f.severity.rank >= rank and f.baseline_state != "unchanged"
    counts = ", ".join(c(s, f"{n} {s}") if n and s in ("critical", "high") else f"{n} {s}" for s, n in by_sev.items())
    verdict = f"{failing} at or above it fail the run" if failing else "nothing at or above it failed"
    return f"FAIL by severity: {counts}; severity threshold {threshold}: {verdict}"
