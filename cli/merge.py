"""``agentgov merge``: the JSON reports of audit shards (``audit --shard i/n``) joined into one report."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from agentgov.cli import options
from agentgov.cli.common import EPILOG, EXIT_COVERAGE, EXIT_OK, EXIT_USAGE, err, load_pack, outputs_error

NAME = "merge"


def add_parser(sub: Any) -> None:
    m = sub.add_parser(
        NAME,
        help="join the JSON reports of audit shards (--shard i/n) into one report",
        description="Join JSON reports (agentgov audit --shard i/n --format json) into one report in any format.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    m.add_argument(
        "reports", nargs="+", type=Path, metavar="REPORT.json", help="the JSON reports of the shards (agentgov audit --shard i/n)"
    )
    options.add_formats(m, options.LIVE_FORMATS, "json")
    options.add_fail_on(m)
    options.add_config(m, "the severity threshold and fail_on_unknown")
    options.add_pass_output(m)
    m.add_argument(
        "--security-hub-import",
        action="store_true",
        help="also send the merged findings (ASFF) to AWS Security Hub in each account (needs --role-name)",
    )
    m.add_argument(
        "--role-name",
        dest="security_hub_role",
        metavar="NAME",
        help="with --security-hub-import: the role to assume in each account",
    )
    m.add_argument(
        "--external-id", metavar="ID", help="with --security-hub-import: the external id the role's trust policy requires"
    )
    options.add_security_hub_region(m)


def _finding(d: dict[str, Any]) -> Any:
    from agentgov.audit.results import finding_from_dict

    return finding_from_dict(d)


def _merge_audit(blocks: list[dict[str, Any]]) -> dict[str, Any] | None:
    """The shards' audit blocks as one (accounts and calls added up; regions the most any shard saw)."""
    if not blocks:
        return None
    services: dict[str, int] = {}
    failed: dict[str, int] = {}
    for b in blocks:
        for k, v in (b.get("calls_by_service") or {}).items():
            services[k] = services.get(k, 0) + v
        for k, v in (b.get("failed_calls_by_operation") or {}).items():
            failed[k] = failed.get(k, 0) + v
    gaps = [g for b in blocks for g in b.get("coverage_gaps") or []]
    gaps.sort(key=lambda g: (g.get("account") or "", g.get("region") or "", g.get("api") or "", g.get("resource") or ""))
    return {
        "run_id": ",".join(dict.fromkeys(str(b.get("run_id")) for b in blocks)),
        "shard": ",".join(str(b["shard"]) for b in blocks if b.get("shard")) or None,
        "accounts": sum(int(b.get("accounts") or 0) for b in blocks),
        "regions": max(int(b.get("regions") or 0) for b in blocks),
        "calls": sum(int(b.get("calls") or 0) for b in blocks),
        "failed_calls": sum(int(b.get("failed_calls") or 0) for b in blocks),
        "calls_by_service": dict(sorted(services.items())),
        "failed_calls_by_operation": dict(sorted(failed.items())),
        "seconds": round(sum(float(b.get("seconds") or 0) for b in blocks), 3),
        "coverage_gaps": gaps,
        "not_offered": sorted({x for b in blocks for x in b.get("not_offered") or []}),
    }


def run(args: argparse.Namespace) -> int:
    from agentgov.audit.results import AuditResult
    from agentgov.audit.run import AuditOptions
    from agentgov.scanner.findings import Severity as Sev
    from agentgov.scanner.outcome import exit_code, write_outputs

    from .audit import report_import, security_hub_import
    from .render import render

    formats = args.format or ["json"]
    outputs = args.output or []
    if args.security_hub_import and not args.security_hub_role:
        err("merge --security-hub-import: give --role-name, the role to assume in each account for the import")
        return EXIT_USAGE
    bad = outputs_error(formats, outputs)
    if bad:
        err(bad)
        return EXIT_USAGE
    from agentgov.scanner.outcome import check_outputs

    if not check_outputs(outputs, [*args.reports, args.config], err):
        return EXIT_USAGE
    from agentgov.reports.input_validation import InputInvalid, read_report
    from agentgov.scanner.config import load_config

    pack = load_pack()
    cfg = load_config(args.config, pack.parameters)
    missing = _check_shards(args.reports)
    if missing is None:
        return EXIT_USAGE
    policy_ids: list[str] = []
    digests: set[str] = set()
    blocks: list[dict[str, Any]] = []
    seen: set[str] = set()  # fingerprints: a resource seen by two shards is one finding
    result = AuditResult([], "")
    with result:  # each shard's findings and agents are spooled, then every report streams them
        for path in args.reports:
            try:
                report = read_report(path)  # valid: _check_shards read it
                digests.add(report["tool"]["policy_pack_digest"])
                for pid in report["policies"]:
                    if pid not in policy_ids:
                        policy_ids.append(pid)
                found = []
                for d in report["findings"]:
                    f = _finding(d)
                    if f.fingerprint not in seen:
                        seen.add(f.fingerprint)
                        found.append(f)
                result.add(found, list(report.get("agents") or []), report["summary"].get("resources_by_kind") or {})
                live = report.get("live_inventory")
                if isinstance(live, dict):  # the shards' resource inventories (agentgov drift reads them)
                    result.add_live(list(live.get("resources") or []), live.get("collected") or [])
                result.seconds += float(report["summary"].get("seconds") or 0)
                if isinstance(report.get("audit"), dict):
                    blocks.append(report["audit"])
            except (InputInvalid, OSError, ValueError, KeyError, TypeError) as exc:
                err(f"{path}: not an agentgov JSON report ({type(exc).__name__}: {exc})")
                return EXIT_USAGE
            del report
        if len(digests) > 1:
            err("the reports were made with different policy packs (policy_pack_digest differs); merge reports of one run")
            return EXIT_USAGE
        result.policies = [pack.policies[p] for p in policy_ids if p in pack.policies]
        result.pack_digest = digests.pop() if digests else pack.digest
        merged = _merge_audit(blocks)
        if merged is not None:
            result.audit = merged
        if not write_outputs(formats, outputs, lambda fmt, to_stdout: render(fmt, result, args, to_stdout), err):
            return EXIT_USAGE
        imported = None
        if args.security_hub_import:
            imported = security_hub_import(
                args, result, AuditOptions(role_name=args.security_hub_role, external_id=args.external_id)
            )
        rc = exit_code(
            result.iter_findings(),
            Sev(args.severity_threshold or cfg.severity_threshold),
            args.fail_on_unknown or cfg.fail_on_unknown,
        )
        if imported is not None and not report_import(imported) and rc == EXIT_OK:
            return EXIT_COVERAGE
        if missing:
            err(f"merge: shard(s) {', '.join(missing)} missing: the merged report lacks their accounts")
            return EXIT_COVERAGE if rc == EXIT_OK else rc
        return rc


def _check_shards(paths: list[Path]) -> list[str] | None:
    """The shards missing from ``paths`` (valid reports of one audit), or None (said) when they cannot be merged."""
    from agentgov.audit.shards import NotOneRun, RunShape, add_report
    from agentgov.reports.input_validation import InputInvalid, read_report

    shape = RunShape()
    for path in paths:
        try:
            add_report(shape, path, read_report(path))
        except InputInvalid as exc:
            err(f"{path}: not an agentgov JSON report: {exc}")
            return None
        except NotOneRun as exc:
            err(str(exc))
            return None
    return shape.missing()
