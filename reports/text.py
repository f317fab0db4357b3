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


def render(result: Any, color: bool = False, show_pass: bool = False) -> str:
    return "".join(chunks(result, color, show_pass))


def chunks(result: Any, color: bool = False, show_pass: bool = False) -> Iterator[str]:
    """The report piece by piece: each group of findings (an audit's account) is grouped by resource and written."""

    def c(key: str, text: str) -> str:
        return f"{_COLORS[key]}{text}{_RESET}" if color else text

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
                if f.status == Status.FAIL:
                    tag = c(f.severity.value, f"{f.severity.value.upper():8}")
                else:
                    tag = c(f.status.value, f"{f.status.value:8}")
                where = f"{f.location.file}:{f.location.line}" if f.location.line else f.location.file
                mark = c("dim", " (in baseline)") if f.baseline_state == "unchanged" else ""
                lines.append(f"  {tag} {f.policy_id} {f.title}{mark}")
                lines.append(f"           {f.message}")
                lines.append(c("dim", f"           at {where}"))
                if f.status == Status.FAIL and f.remediation:
                    lines.append(c("dim", f"           fix: {f.remediation}"))
                if f.status == Status.SUPPRESSED and f.suppression:
                    who = (
                        f", owner {f.suppression['owner']}, expires {f.suppression.get('expires')}"
                        if f.suppression.get("owner")
                        else ""
                    )
                    lines.append(
                        c("dim", f"           suppressed: {f.suppression.get('reason')} ({f.suppression.get('source')}{who})")
                    )
            lines.append("")
        if lines:
            yield "\n".join(lines) + "\n"
    from agentgov.scanner import blast_radius

    lines = []
    had_agents = False
    for rec in result.agent_records():
        if not had_agents:
            had_agents = True
            lines.append(c("bold", "Agent blast radius (what each agent's roles may do together)"))
        lines.append(f"  {rec['id']}  {c('dim', rec['location'])}")
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
            c(k if k != "FAIL" else "high", f"{s.get(k, 0)} {k}") if s.get(k, 0) and color else f"{s.get(k, 0)} {k}"
            for k in ("FAIL", "UNKNOWN", "ERROR", "SUPPRESSED", "PASS")
        )
    )
    yield "\n".join(lines) + "\n"
