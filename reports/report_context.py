"""What the auditor's report shows, computed once for the Markdown and the HTML renderers."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import jinja2

SEVERITIES = ("critical", "high", "medium", "low", "info")
PILLARS = ("protect", "observe", "monitor", "restore", "govern")
STATUSES = ("FAIL", "UNKNOWN", "ERROR", "SUPPRESSED", "PASS")
LEVELS = ("write", "permissions_management", "tagging", "read", "list")


def view(ctx: dict[str, Any]) -> dict[str, Any]:
    report = ctx["report"]
    findings = report.get("findings", [])
    titles = ctx.get("titles") or {}
    by_pillar: dict[str, dict[str, int]] = {p: {s: 0 for s in STATUSES} for p in PILLARS}
    by_severity: dict[str, int] = {s: 0 for s in SEVERITIES}
    for f in findings:
        pillar = titles.get(f["policy_id"], {}).get("pillar")
        if pillar in by_pillar:
            by_pillar[pillar][f["status"]] += 1
        if f["status"] == "FAIL":
            by_severity[f["severity"]] = by_severity.get(f["severity"], 0) + 1
    controls = []
    for _fid, fw in (ctx.get("frameworks") or {}).items():
        for cid, ctl in fw["controls"].items():
            fs = [f for f in findings if f["policy_id"] in ctl["policies"]]
            controls.append(
                {
                    "framework": fw["title"],
                    "control": cid,
                    "title": ctl["title"],
                    "policies": ctl["policies"],
                    "fail": sum(1 for f in fs if f["status"] == "FAIL"),
                    "unknown": sum(1 for f in fs if f["status"] in ("UNKNOWN", "ERROR")),
                    "pass": sum(1 for f in fs if f["status"] == "PASS"),
                    "failures": [f for f in fs if f["status"] == "FAIL"][:20],
                }
            )
    waivers = [
        {
            "policy": f["policy_id"],
            "resource": f["resource_id"],
            "kind": (f.get("suppression") or {}).get("kind"),
            "owner": (f.get("suppression") or {}).get("owner"),
            "expires": (f.get("suppression") or {}).get("expires"),
            "reason": (f.get("suppression") or {}).get("reason"),
            "source": (f.get("suppression") or {}).get("source"),
        }
        for f in findings
        if f["status"] == "SUPPRESSED"
    ]
    expired = [f for f in findings if f["status"] == "FAIL" and (f.get("evidence") or {}).get("expired_waiver")]
    agents = report.get("agents", [])
    peak = max([sum((a["blast_radius"].get("actions_by_level") or {}).values()) for a in agents] + [1])
    bars = []
    for a in agents:
        br = a["blast_radius"]
        levels = br.get("actions_by_level")
        bars.append({"agent": a["id"], "all": br["all_actions"], "levels": levels, "total": sum(levels.values()) if levels else None,
                     "any_resource": br["any_resource"], "not_assessed": len(br["not_assessed"])})  # fmt: skip
    failures = sorted(
        (f for f in findings if f["status"] == "FAIL"),
        key=lambda f: (SEVERITIES.index(f["severity"]) if f["severity"] in SEVERITIES else 9, f["policy_id"], f["resource_id"]),
    )
    return {
        **ctx,
        "summary": report.get("summary", {}),
        "status_counts": {s: report.get("summary", {}).get("findings_by_status", {}).get(s, 0) for s in STATUSES},
        "by_pillar": by_pillar,
        "by_severity": by_severity,
        "controls": controls,
        "waivers": waivers,
        "expired_waivers": expired,
        "agents": agents,
        "bars": bars,
        "peak": peak,
        "failures": failures,
        "levels": LEVELS,
        "severities": SEVERITIES,
        "pillars": PILLARS,
        "statuses": STATUSES,
    }


def environment(autoescape: bool) -> jinja2.Environment:
    from pathlib import Path

    import jinja2

    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(Path(__file__).resolve().parent / "templates"),
        autoescape=autoescape,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


def coverage(report: dict[str, Any]) -> dict[str, Any]:
    """What a report could and could not assess (the coverage section of every human report and of a bundle)."""
    findings = report.get("findings", [])
    not_scanned = [
        {"file": f["location"]["file"], "line": f["location"].get("line"), "reason": f["message"]}
        for f in findings
        if f["status"] == "ERROR" and f["policy_id"] == "AG000"
    ]
    check_errors = [
        {"policy": f["policy_id"], "resource": f["resource_id"], "reason": f["message"]}
        for f in findings
        if f["status"] == "ERROR" and f["policy_id"] != "AG000"
    ]
    unknown: dict[str, list[dict[str, Any]]] = {}
    for f in findings:
        if f["status"] == "UNKNOWN":
            unknown.setdefault(f["policy_id"], []).append({"resource": f["resource_id"], "reason": f["message"]})
    s = report.get("summary", {})
    ran = ((report.get("configuration") or {}).get("policies")) or {}  # what the pack was: user packs, tuning
    return {
        "files_scanned": s.get("files_scanned"),
        "files_skipped_not_iac": s.get("files_skipped"),
        "resources": s.get("resources"),
        "policies_run": report.get("policies", []),
        "not_scanned": not_scanned,
        "check_errors": check_errors,
        "unknown_by_policy": {k: {"count": len(v), "findings": v} for k, v in sorted(unknown.items())},
        "accounts_not_assessed": report.get("coverage", {}).get("accounts_not_assessed", [])
        if isinstance(report.get("coverage"), dict)
        else [],
        "policies_not_loaded": list(ran.get("not_loaded") or []),
        "policy_tuning": dict(ran.get("tuning") or {}),
        "user_packs": list(ran.get("user_packs") or []),
        "complete": not not_scanned and not check_errors and not unknown and not ran.get("not_loaded"),
    }
