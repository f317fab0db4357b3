"""``--format markdown``: a report for a pull-request comment or ``$GITHUB_STEP_SUMMARY``.

The verdict and a counts table first; with a baseline, the findings new since it before anything else; every
list in a collapsed ``<details>``. GitHub refuses a comment over 65,536 characters: the text is kept under
``limit`` by cutting the lists (never a table row or a ``<details>`` in half) and saying what was left out.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

LIMIT = 65_536
SEVERITIES = ("critical", "high", "medium", "low", "info")
RANKS = {s: i for i, s in enumerate(reversed(SEVERITIES))}
_RESERVE = 600  # the closing lines and the note on what was cut


def cell(text: Any) -> str:
    """A value in a table cell or a list line: one line, no table break, no HTML, no code-span break."""
    s = "" if text is None else str(text)
    s = s.replace("\r", " ").replace("\n", " ").replace("|", "\\|").replace("<", "&lt;").replace(">", "&gt;")
    return s


def code(text: Any) -> str:
    """A code span in a table cell: one line, no table break (a code span shows ``<`` as it is: no entity)."""
    s = "" if text is None else str(text)
    return "`" + s.replace("\r", " ").replace("\n", " ").replace("|", "\\|").replace("`", "'") + "`"


def threshold_of(result: Any, args: Any) -> str:
    """The severity threshold the run used: the option, else the configuration's (as the command resolved it)."""
    if getattr(args, "severity_threshold", None):
        return str(args.severity_threshold)
    conf = getattr(result, "configuration", None) or {}
    value = ((conf.get("settings") or {}).get("severity_threshold") or {}).get("value")
    if value:
        return str(value)
    from agentgov.scanner.config import load_config
    from agentgov.scanner.pack import load_pack

    return str(load_config(getattr(args, "config", None), load_pack().parameters).severity_threshold)


class _Budget:
    """Lines up to ``limit`` characters; ``add`` refuses a line that would not fit with the reserve."""

    def __init__(self, limit: int):
        self.limit = limit
        self.lines: list[str] = []
        self.size = 0
        self.cut = 0

    def fits(self, text: str) -> bool:
        return self.size + len(text) + 1 + _RESERVE <= self.limit

    def add(self, text: str, force: bool = False) -> bool:
        if not force and not self.fits(text):
            return False
        self.lines.append(text)
        self.size += len(text) + 1
        return True


def _where(f: dict[str, Any]) -> str:
    loc = f.get("location") or {}
    if f.get("account"):
        return f"{f['account']} {f.get('region') or 'global'}"
    return f"{loc.get('file')}:{loc['line']}" if loc.get("line") else str(loc.get("file") or "")


def _row(f: dict[str, Any]) -> str:
    tag = f["severity"] if f["status"] == "FAIL" else f["status"]
    return f"| {cell(tag)} | {cell(f['policy_id'])} | {code(f.get('resource_name') or f['resource_id'])} | {code(_where(f))} | {cell(f['message'])} |"


def _table(b: _Budget, title: str, findings: list[dict[str, Any]], open_: bool = False) -> None:
    """One collapsed section with a table of ``findings``; rows that do not fit are counted in ``b.cut``."""
    if not findings:
        return
    if not b.fits(f"<details><summary>{title}</summary>") or not b.fits("| a | b | c | d | e |" * 3):
        b.cut += len(findings)
        return
    b.add(f"<details{' open' if open_ else ''}><summary><b>{cell(title)}</b> ({len(findings)})</summary>", force=True)
    b.add("", force=True)
    b.add("| severity / status | policy | resource | where | what is wrong |", force=True)
    b.add("| --- | --- | --- | --- | --- |", force=True)
    shown = 0
    for f in findings:
        if not b.add(_row(f)):
            break
        shown += 1
    if shown < len(findings):
        b.cut += len(findings) - shown
        b.add(f"| … | {len(findings) - shown} more not shown | | | |", force=True)
    b.add("", force=True)
    b.add("</details>", force=True)
    b.add("", force=True)


def _order(f: dict[str, Any]) -> tuple[Any, ...]:
    return (-RANKS.get(f["severity"], -1), f["policy_id"], str(f["resource_id"]))


def render_report(report: dict[str, Any], threshold: str, limit: int = LIMIT) -> str:
    """The Markdown of a JSON report (a dict), at most ``limit`` characters."""
    findings = report.get("findings", [])
    s = report.get("summary", {})
    counts = s.get("findings_by_status") or {}
    rank = RANKS.get(threshold, 0)
    bad = sorted((f for f in findings if f["status"] in ("FAIL", "ERROR")), key=_order)
    unknown = sorted((f for f in findings if f["status"] == "UNKNOWN"), key=_order)
    baseline = report.get("baseline")
    failing = [
        f for f in bad if f["status"] == "FAIL" and RANKS.get(f["severity"], 0) >= rank and f.get("baseline_state") != "unchanged"
    ]
    verdict = (
        f"**{len(failing)} finding(s) at or above `{threshold}` fail the run.**"
        if failing
        else f"**Nothing at or above `{threshold}` fails{' that is not in the baseline' if baseline else ''}.**"
    )
    b = _Budget(limit)
    b.add("## agentgov", force=True)
    b.add("", force=True)
    b.add(verdict, force=True)
    b.add("", force=True)
    audit = report.get("audit")
    scope = (
        f"Audit {code(audit.get('run_id'))}: {audit.get('accounts')} account(s) × {audit.get('regions')} region(s), "
        f"{audit.get('calls')} API calls ({audit.get('failed_calls')} failed), {len(audit.get('coverage_gaps') or [])} coverage gap(s)"
        if audit
        else f"{s.get('files_scanned', 0)} IaC file(s) scanned"
    )
    b.add(
        f"{scope}; {s.get('resources', 0)} resources, {len(report.get('agents', []))} agent(s), {len(report.get('policies', []))} policies.",
        force=True,
    )
    if baseline:
        b.add(
            f"Baseline: {baseline['new']} new, {baseline['unchanged']} unchanged, {baseline['absent']} no longer found.",
            force=True,
        )
    b.add("", force=True)
    fail_sev = {sev: 0 for sev in SEVERITIES}
    new_sev = {sev: 0 for sev in SEVERITIES}
    for f in findings:
        if f["status"] == "FAIL" and f["severity"] in fail_sev:
            fail_sev[f["severity"]] += 1
            new_sev[f["severity"]] += f.get("baseline_state") == "new"
    head = "| severity | FAIL |" + (" new |" if baseline else "")
    b.add(head, force=True)
    b.add("| --- | ---: |" + (" ---: |" if baseline else ""), force=True)
    for sev in SEVERITIES:
        mark = " ⬅ threshold" if sev == threshold else ""
        b.add(f"| {sev}{mark} | {fail_sev[sev]} |" + (f" {new_sev[sev]} |" if baseline else ""), force=True)
    b.add("", force=True)
    b.add(" · ".join(f"{k} {counts.get(k, 0)}" for k in ("FAIL", "UNKNOWN", "ERROR", "SUPPRESSED", "PASS")), force=True)
    b.add("", force=True)
    if baseline:
        new = [f for f in bad + unknown if f.get("baseline_state") == "new"]
        _table(b, "New since the baseline", new, open_=True)
        _table(b, "Failing, already in the baseline", [f for f in bad if f.get("baseline_state") == "unchanged"])
    else:
        _table(b, "Failing", bad, open_=len(bad) <= 20)
    _table(b, "UNKNOWN: what the inputs cannot settle", [f for f in unknown if not baseline or f.get("baseline_state") != "new"])
    agents = report.get("agents", [])
    if agents and b.fits("<details>" + "x" * 200):
        b.add(f"<details><summary><b>Agents</b> ({len(agents)})</summary>", force=True)
        b.add("", force=True)
        b.add("| agent | model | guardrail | role | tools |", force=True)
        b.add("| --- | --- | --- | --- | --- |", force=True)
        for i, a in enumerate(agents):
            tools = ", ".join(dict.fromkeys(g["name"] for g in a.get("action_groups") or []))
            line = f"| {code(a.get('name') or a['id'])} | {cell(a.get('model'))} | {cell(a.get('guardrail') or 'none')} | {cell(a.get('role'))} | {cell(tools)} |"
            if not b.add(line):
                b.add(f"| … {len(agents) - i} more | | | | |", force=True)
                break
        b.add("", force=True)
        b.add("</details>", force=True)
        b.add("", force=True)
    if b.cut:
        b.add(
            f"_{b.cut} finding(s) not shown: a GitHub comment holds at most {LIMIT:,} characters. "
            "The full report: `--format json`, `--format html`._",
            force=True,
        )
    return "\n".join(b.lines).rstrip("\n") + "\n"


def chunks(result: Any, args: Any = None) -> Iterable[str]:
    """``--format markdown`` of a scan, an audit or a merge."""
    import json

    from . import json_report

    report = json.loads(json_report.render(result, include_pass=False))
    yield render_report(report, threshold_of(result, args))
