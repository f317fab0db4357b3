"""What the HTML report adds to the shared view (``report_context.view``): the run's facts, the pass rate and
the gaps first, an account x region matrix, one card per agent with its findings, the filterable finding rows,
the reasons findings are UNKNOWN, and the trend since the previous evidence bundle.

Everything is computed from the JSON report (a dict), so ``scan``, ``audit``, ``merge`` and an evidence bundle
render the same way.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from agentgov.scanner import blast_radius

SEVERITIES = ("critical", "high", "medium", "low", "info")
STATUSES = ("FAIL", "UNKNOWN", "ERROR", "SUPPRESSED", "PASS")
GLOBAL = "global"


def facts(report: dict[str, Any]) -> list[tuple[str, str]]:
    """The run as label/value pairs: an audit says what it walked (never '0 files scanned')."""
    s = report.get("summary", {})
    audit = report.get("audit")
    rows: list[tuple[str, str]] = []
    if audit:
        accounts = sorted({f.get("account") for f in report.get("findings", []) if f.get("account")})
        named = [r for r in regions_of(report) if r != GLOBAL]
        rows += [
            ("run id", str(audit.get("run_id") or "")),
            ("accounts", f"{audit.get('accounts', 0)}" + (f" ({', '.join(accounts)})" if accounts else "")),
            ("regions", f"{audit.get('regions', 0)}" + (f" ({', '.join(named)})" if named else "")),
            ("API calls", str(audit.get("calls", 0))),
            ("failed calls", _failed_calls(audit)),
            ("coverage gaps", str(len(audit.get("coverage_gaps") or []))),
        ]
        if audit.get("shard"):
            rows.append(("shards", str(audit["shard"])))
    else:
        rows += [
            ("IaC files scanned", str(s.get("files_scanned", 0))),
            ("other YAML/JSON skipped", str(s.get("files_skipped", 0))),
        ]
    rows += [
        ("resources", str(s.get("resources", 0))),
        ("agents", str(len(report.get("agents", [])))),
        ("policies run", str(len(report.get("policies", [])))),
        ("seconds", str(s.get("seconds", ""))),
    ]
    return rows


def _failed_calls(audit: dict[str, Any]) -> str:
    n = audit.get("failed_calls", 0)
    ops = audit.get("failed_calls_by_operation") or {}
    return f"{n}" + (" (" + ", ".join(f"{k}: {v}" for k, v in ops.items()) + ")" if ops else "")


def regions_of(report: dict[str, Any]) -> list[str]:
    regions = {f.get("region") or GLOBAL for f in report.get("findings", []) if f.get("account")}
    return sorted(regions - {GLOBAL}) + ([GLOBAL] if GLOBAL in regions else [])


def pass_rate(counts: dict[str, int]) -> dict[str, Any]:
    """PASS over every check that ran on a resource and was not waived (UNKNOWN and ERROR do not pass)."""
    assessed = sum(counts.get(s, 0) for s in ("PASS", "FAIL", "UNKNOWN", "ERROR"))
    rate = round(100.0 * counts.get("PASS", 0) / assessed, 1) if assessed else None
    return {"percent": rate, "passed": counts.get("PASS", 0), "checks": assessed}


def gaps(report: dict[str, Any], coverage: dict[str, Any]) -> list[str]:
    """What the run could not assess, one sentence each (empty when everything was assessed)."""
    out = [f"not scanned: {n['file']}{':' + str(n['line']) if n.get('line') else ''}: {n['reason']}"
           for n in coverage.get("not_scanned", [])]  # fmt: skip
    out += [f"account not assessed: {a}" for a in coverage.get("accounts_not_assessed", [])]
    for g in (report.get("audit") or {}).get("coverage_gaps") or []:
        where = " ".join(str(g[k]) for k in ("account", "region", "api", "resource") if g.get(k))
        out.append(f"coverage gap: {where}: {g.get('reason') or g.get('error') or 'not collected'}")
    out += [f"check error: {e['policy']} on {e['resource']}: {e['reason']}" for e in coverage.get("check_errors", [])]
    out += [f"user policy not loaded (did not run): {line}" for line in coverage.get("policies_not_loaded", [])]
    for pid, t in (coverage.get("policy_tuning") or {}).items():
        out.append(f"{pid} tuned by the configuration: {'; '.join(f'{k} {v}' for k, v in t.items())}")
    unknown = sum(u["count"] for u in coverage.get("unknown_by_policy", {}).values())
    if unknown:
        out.append(f"{unknown} finding(s) UNKNOWN: the inputs cannot settle them (reasons below)")
    return out


def matrix(report: dict[str, Any]) -> dict[str, Any] | None:
    """Account x region: FAIL by severity, UNKNOWN, PASS and agents per cell (None for an IaC scan)."""
    findings = [f for f in report.get("findings", []) if f.get("account")]
    if not report.get("audit") and not findings:
        return None
    regions = regions_of(report)
    accounts = sorted({f["account"] for f in findings} | {a["account"] for a in report.get("agents", []) if a.get("account")})
    cells: dict[tuple[str, str], dict[str, Any]] = {}
    for acct in accounts:
        for reg in regions:
            cells[(acct, reg)] = {"fail": Counter(), "UNKNOWN": 0, "ERROR": 0, "PASS": 0, "agents": 0}
    for f in findings:
        cell = cells[(f["account"], f.get("region") or GLOBAL)]
        if f["status"] == "FAIL":
            cell["fail"][f["severity"]] += 1
        elif f["status"] in cell:
            cell[f["status"]] += 1
    for a in report.get("agents", []):
        key = (a.get("account"), a.get("region") or GLOBAL)
        if key in cells:
            cells[key]["agents"] += 1
    rows = []
    for acct in accounts:
        row = []
        for reg in regions:
            c = cells[(acct, reg)]
            worst = next((s for s in SEVERITIES if c["fail"][s]), None)
            row.append({"region": reg, "fails": [(s, c["fail"][s]) for s in SEVERITIES if c["fail"][s]],
                        "fail": sum(c["fail"].values()), "unknown": c["UNKNOWN"] + c["ERROR"], "pass": c["PASS"],
                        "agents": c["agents"], "worst": worst or ("none" if c["PASS"] else "empty")})  # fmt: skip
        rows.append({"account": acct, "cells": row})
    return {"regions": regions, "rows": rows}


def _related(agent: dict[str, Any]) -> set[str]:
    ids = {agent["id"], agent.get("role"), agent.get("guardrail")}
    ids |= set(agent.get("functions") or []) | set(agent.get("knowledge_bases") or []) | set(agent.get("versions") or [])
    ids |= {r.get("role") for r in (agent.get("blast_radius") or {}).get("roles") or []}
    return {i for i in ids if i}


def cards(report: dict[str, Any]) -> list[dict[str, Any]]:
    """One card per agent: what it is made of, its blast radius and the findings on it and its parts."""
    findings = [f for f in report.get("findings", []) if f["status"] != "PASS"]
    out = []
    for a in report.get("agents", []):
        related = _related(a)
        prefix = a["id"] + "/"
        mine = [f for f in findings if f["resource_id"] in related or f["resource_id"].startswith(prefix)
                and (not a.get("account") or f.get("account") == a.get("account"))]  # fmt: skip
        mine.sort(key=_finding_order)
        br = a.get("blast_radius") or {}
        out.append(
            {
                "agent": a,
                "name": a.get("name") or a["id"].rsplit("/", 1)[-1],
                "where": " · ".join(x for x in (a.get("account"), a.get("region")) if x) or a.get("location", ""),
                "tools": _tools(a),
                "blast": blast_radius.summary(br) if br.get("actions_by_level") is not None or br.get("all_actions") else "",
                "findings": mine,
                "fail": sum(1 for f in mine if f["status"] == "FAIL"),
                "unknown": sum(1 for f in mine if f["status"] in ("UNKNOWN", "ERROR")),
            }
        )
    return out


def _tools(agent: dict[str, Any]) -> list[dict[str, Any]]:
    """The agent's action groups (each name and functions once: an agent's versions repeat them)."""
    seen: dict[tuple[str, tuple[str, ...]], dict[str, Any]] = {}
    for g in agent.get("action_groups") or []:
        fns = tuple(g.get("functions") or [])
        seen.setdefault((g["name"], fns), {"name": g["name"], "functions": list(fns)})
    return list(seen.values())


def _finding_order(f: dict[str, Any]) -> tuple[Any, ...]:
    sev = SEVERITIES.index(f["severity"]) if f["severity"] in SEVERITIES else 9
    return (STATUSES.index(f["status"]) if f["status"] in STATUSES else 9, sev, f["policy_id"], f["resource_id"])


def rows(report: dict[str, Any]) -> list[dict[str, Any]]:
    """Every finding for the filterable table, worst first."""
    out = []
    for f in sorted(report.get("findings", []), key=_finding_order):
        loc = f.get("location") or {}
        where = str(loc.get("file") or "")
        if f.get("account"):
            where = " ".join(x for x in (f["account"], f.get("region") or GLOBAL) if x)
        elif loc.get("line"):
            where += f":{loc['line']}"
        out.append({**f, "where": where, "account_key": f.get("account") or ""})
    return out


def unknown_reasons(report: dict[str, Any]) -> list[dict[str, Any]]:
    """Why findings are UNKNOWN or ERROR: each (policy, reason) once, with how many resources it leaves unsettled."""
    seen: Counter[tuple[str, str, str]] = Counter()
    for f in report.get("findings", []):
        if f["status"] in ("UNKNOWN", "ERROR"):
            seen[(f["status"], f["policy_id"], f["message"])] += 1
    return [{"status": s, "policy": p, "reason": m, "count": n} for (s, p, m), n in sorted(seen.items(), key=lambda kv: -kv[1])]


def trend(report: dict[str, Any], previous: dict[str, Any] | None) -> dict[str, Any] | None:
    """Counts now and in the previous bundle's report, and the findings new and resolved since (by fingerprint)."""
    if not previous:
        return None

    def counts(r: dict[str, Any]) -> dict[str, int]:
        c = Counter(f["status"] for f in r.get("findings", []))
        return {s: c.get(s, 0) for s in STATUSES}

    def failing(r: dict[str, Any]) -> set[str]:
        return {f["fingerprint"] for f in r.get("findings", []) if f["status"] in ("FAIL", "UNKNOWN", "ERROR")}

    now, before = counts(report), counts(previous)
    return {
        "rows": [{"status": s, "before": before[s], "now": now[s], "delta": now[s] - before[s]} for s in STATUSES],
        "new": len(failing(report) - failing(previous)),
        "resolved": len(failing(previous) - failing(report)),
    }


def extend(view: dict[str, Any]) -> dict[str, Any]:
    """``view`` (from ``report_context.view``) with what the HTML report shows."""
    report = view["report"]
    coverage = view.get("coverage") or {}
    return {
        **view,
        "facts": facts(report),
        "is_audit": bool(report.get("audit")),
        "pass_rate": pass_rate(view["status_counts"]),
        "gaps": gaps(report, coverage),
        "matrix": matrix(report),
        "cards": cards(report),
        "rows": rows(report),
        "unknown_reasons": unknown_reasons(report),
        "trend": trend(report, view.get("previous_report")),
        "policy_ids": sorted({f["policy_id"] for f in report.get("findings", [])}),
        "accounts": sorted({f["account"] for f in report.get("findings", []) if f.get("account")}),
    }
