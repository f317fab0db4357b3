"""The ``agentgov audit`` and ``agentgov merge`` commands (arguments, output, exit codes).

Standard library only at import: ``cli.py`` builds its parser from here on
every run, and boto3 is loaded only when an audit runs.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from agentgov.audit.run import AuditOptions, AuditUsageError, OrganizationUnavailable, parse_shard, read_accounts_file, run_audit
from agentgov.audit.workers import stop_on_signals
from agentgov.reports.input_validation import InputInvalid, read_report
from agentgov.scanner.outcome import check_outputs as _check_outputs
from agentgov.scanner.outcome import exit_code as _exit_code
from agentgov.scanner.outcome import write_outputs as _write


def _seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = -1.0
    if not 0 < value < 10**7:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of seconds greater than 0")
    return value


def add_parser(sub: Any, formats: tuple[str, ...], severities: tuple[str, ...], epilog: str, parser_class: type) -> None:
    a = sub.add_parser(
        "audit",
        help="audit the live estate of an AWS Organization (every account and region) with the same policies",
        description="Assume a read-only role in every account, collect agents, guardrails, roles and functions, "
        "and evaluate the policy pack on what is deployed.",
        epilog=epilog,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    which = a.add_mutually_exclusive_group()
    which.add_argument(
        "--org", action="store_true", help="every ACTIVE account of the Organization (needs organizations:ListAccounts)"
    )
    which.add_argument("--accounts", type=Path, metavar="FILE", help="the accounts to audit, one 12-digit id per line")
    which.add_argument(
        "--demo",
        action="store_true",
        help="audit an in-process moto Organization (3 accounts x 2 regions; needs agentgov[demo]), no AWS account needed",
    )
    a.add_argument("--role-name", metavar="NAME", help="the audit role to assume in each account")
    a.add_argument("--external-id", metavar="ID", help="external id the audit role's trust policy requires")
    a.add_argument("--regions", nargs="+", metavar="REGION", help="regions to audit, or all-enabled (default)")
    a.add_argument(
        "--shard",
        metavar="I/N",
        help="audit only the I-th of N deterministic parts of the accounts (join them with agentgov merge)",
    )
    a.add_argument("--workers", type=int, default=8, help="concurrent API workers over accounts x regions (default 8)")
    a.add_argument(
        "--timeout",
        type=_seconds,
        metavar="SECONDS",
        help="stop the audit after SECONDS: the accounts not complete are coverage gaps (exit 3 unless something fails)",
    )
    a.add_argument(
        "--account-timeout",
        type=_seconds,
        default=900.0,
        metavar="SECONDS",
        help="seconds one account may take before it is a coverage gap (default 900; calls that hang are not waited for)",
    )
    a.add_argument("--format", "-f", action="append", choices=formats, help="output format (repeatable; default text)")
    a.add_argument("--output", "-o", action="append", type=Path, help="output file for the --format at the same position")
    a.add_argument("--severity-threshold", choices=severities, help="fail (exit 1) on FAIL findings at or above this severity")
    a.add_argument("--policy", action="append", default=[], metavar="ID", help="run only this policy (repeatable)")
    a.add_argument("--skip-policy", action="append", default=[], metavar="ID", help="do not run this policy (repeatable)")
    a.add_argument("--config", type=Path, help="agentgov.toml or pyproject.toml")
    a.add_argument("--show-pass", action="store_true", help="text output: list passing checks too")
    a.add_argument("--no-pass", action="store_true", help="JSON/SARIF output: leave out PASS results")
    a.add_argument("--fail-on-unknown", action="store_true", help="UNKNOWN findings at or above the threshold also fail")
    a.add_argument(
        "--evidence", type=Path, metavar="DIR", help="also write a signed evidence bundle into DIR (see 'agentgov evidence')"
    )
    a.add_argument(
        "--security-hub-import",
        action="store_true",
        help="also send the findings (ASFF) to AWS Security Hub in each account with BatchImportFindings; re-runs update them",
    )
    a.add_argument(
        "--security-hub-role",
        metavar="NAME",
        help="with --security-hub-import: the role to assume in each account for the import (default the --role-name)",
    )
    a.add_argument(
        "--security-hub-region",
        metavar="REGION",
        help="the region whose Security Hub gets the findings of global resources (IAM roles, account-level checks), in the "
        "import and in --format asff (default us-east-1; give your Security Hub home or aggregation region)",
    )
    from agentgov.reports.evidence.commands import add_signing_options

    add_signing_options(a)
    asub = a.add_subparsers(dest="audit_command", metavar="ACTION", parser_class=parser_class)
    pol = asub.add_parser("iam-policy", help="print the read-only IAM policy the audit needs, generated from the collectors")
    pol.add_argument(
        "--orchestrator",
        action="store_true",
        help="the policy of the auditing principal (ListAccounts, AssumeRole) instead of the member role",
    )
    pol.add_argument(
        "--role-name",
        dest="policy_role_name",
        metavar="NAME",
        help="with --orchestrator: the audit role it may assume (default any)",
    )
    pol.add_argument(
        "--security-hub-import",
        dest="policy_security_hub",
        action="store_true",
        help="add securityhub:GetFindings and BatchImportFindings (what 'audit --security-hub-import' calls with the role)",
    )
    tpl = asub.add_parser(
        "role-template", help="print a CloudFormation template (for a StackSet) of the member-account audit role"
    )
    tpl.add_argument(
        "--auditor-account", required=True, metavar="ID", help="the account the audit runs from (trusted by the role)"
    )
    tpl.add_argument(
        "--role-name", dest="template_role_name", default="AgentgovAudit", metavar="NAME", help="default AgentgovAudit"
    )
    tpl.add_argument("--external-id", dest="template_external_id", metavar="ID", help="require this external id in AssumeRole")
    tpl.add_argument(
        "--security-hub-import",
        dest="template_security_hub",
        action="store_true",
        help="let the role import agentgov's findings into Security Hub (securityhub:GetFindings, BatchImportFindings)",
    )


class ProgressBar:
    """Accounts done/total, API calls and failed calls, on ``stream`` (stderr) when it is a terminal."""

    def __init__(self, stream: Any):
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

        self.progress = Progress(
            TextColumn("auditing accounts"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("{task.fields[calls]} calls, {task.fields[errors]} failed"),
            TimeElapsedColumn(),
            console=Console(file=stream, force_terminal=True),
            transient=True,
        )
        self.task: Any = None

    def __enter__(self) -> ProgressBar:
        self.progress.start()
        self.task = self.progress.add_task("accounts", total=None, calls=0, errors=0)
        return self

    def __exit__(self, *exc: Any) -> None:
        self.progress.stop()

    def __call__(self, done: int, total: int, stats: Any) -> None:
        self.progress.update(self.task, completed=done, total=total, calls=stats.calls, errors=stats.failed_calls)


def progress_bar(stream: Any) -> Any:
    """A ProgressBar on a terminal, else a context that shows nothing (CI logs, pipes, files)."""
    import contextlib

    isatty = getattr(stream, "isatty", None)
    return ProgressBar(stream) if isatty and isatty() else contextlib.nullcontext(None)


def iam_policy(orchestrator: bool = False, role_name: str = "*", security_hub_import: bool = False) -> dict[str, Any]:
    """The audit's IAM policy, from the collectors' declarations (``member``) or the orchestrator's calls."""
    from agentgov.audit.collectors import ORCHESTRATOR_CALLS, member_calls, organization_calls

    if orchestrator:
        statements = [
            {"Sid": "AgentgovListAccounts", "Effect": "Allow", "Action": ["organizations:ListAccounts"], "Resource": "*"},
            {
                "Sid": "AgentgovAssumeAuditRole",
                "Effect": "Allow",
                "Action": ["sts:AssumeRole"],
                "Resource": f"arn:aws:iam::*:role/{role_name}",
            },
            # the SCPs and Bedrock policies in force for each audited account (the organizations collector)
            {
                "Sid": "AgentgovOrganizationPolicies",
                "Effect": "Allow",
                "Action": sorted({c.action for c in organization_calls()}),
                "Resource": "*",
            },
        ]
        declared = {c.action for c in (*ORCHESTRATOR_CALLS, *organization_calls())}
        assert declared == {a for s in statements for a in s["Action"]}, declared
        return {"Version": "2012-10-17", "Statement": statements}
    actions = sorted({c.action for c in member_calls()})
    statements = [{"Sid": "AgentgovReadOnlyAudit", "Effect": "Allow", "Action": actions, "Resource": "*"}]
    if security_hub_import:  # the import's calls, made with the member role (audit/securityhub.py)
        from agentgov.audit.securityhub import iam_statement

        statements.append(iam_statement())
    return {"Version": "2012-10-17", "Statement": statements}


def role_template(auditor_account: str, role_name: str = "AgentgovAudit", external_id: str | None = None,
                  security_hub_import: bool = False) -> dict[str, Any]:  # fmt: skip
    """The member-account audit role as a CloudFormation template (deploy it to every account with a StackSet)."""
    statement: dict[str, Any] = {
        "Effect": "Allow",
        "Principal": {"AWS": f"arn:${{AWS::Partition}}:iam::{auditor_account}:root"},
        "Action": "sts:AssumeRole",
    }
    if external_id:
        statement["Condition"] = {"StringEquals": {"sts:ExternalId": external_id}}
    return {
        "AWSTemplateFormatVersion": "2010-09-09",
        "Description": f"agentgov read-only audit role, trusted by account {auditor_account} (generated by 'agentgov audit role-template')",
        "Resources": {
            "AgentgovAuditRole": {
                "Type": "AWS::IAM::Role",
                "Properties": {
                    "RoleName": role_name,
                    "MaxSessionDuration": 3600,
                    "AssumeRolePolicyDocument": {
                        "Version": "2012-10-17",
                        "Statement": [{**statement, "Principal": {"AWS": {"Fn::Sub": statement["Principal"]["AWS"]}}}],
                    },
                    "Policies": [
                        {
                            "PolicyName": "agentgov-read-only-audit",
                            "PolicyDocument": iam_policy(security_hub_import=security_hub_import),
                        }
                    ],
                    "Tags": [{"Key": "managed-by", "Value": "agentgov"}],
                },
            }
        },
        "Outputs": {"AuditRoleArn": {"Value": {"Fn::GetAtt": ["AgentgovAuditRole", "Arn"]}}},
    }


def cmd_audit(
    args: argparse.Namespace, load_pack: Callable[[], Any], render: Callable[..., str], err: Callable[[str], None]
) -> int:
    from agentgov.cli.main import EXIT_COVERAGE, EXIT_OK, EXIT_USAGE

    if getattr(args, "audit_command", None) == "role-template":
        if not re.fullmatch(r"\d{12}", args.auditor_account):
            err(f"audit role-template: --auditor-account {args.auditor_account!r} is not a 12-digit account id")
            return EXIT_USAGE
        doc = role_template(args.auditor_account, args.template_role_name, args.template_external_id, args.template_security_hub)
        sys.stdout.write(json.dumps(doc, indent=2) + "\n")
        return EXIT_OK
    if getattr(args, "audit_command", None) == "iam-policy":
        sys.stdout.write(
            json.dumps(
                iam_policy(
                    args.orchestrator,
                    args.policy_role_name or args.role_name or "*",
                    security_hub_import=args.policy_security_hub and not args.orchestrator,
                ),
                indent=2,
            )
            + "\n"
        )
        return EXIT_OK
    from agentgov.audit.aws_dependency import missing_boto3

    missing = missing_boto3("agentgov audit", agentcore=True)
    if missing:
        err(missing)
        return EXIT_USAGE
    if args.demo:
        try:
            import moto  # noqa: F401
        except ImportError:
            err("audit --demo needs moto: pip install 'agentgov[demo]'")
            return EXIT_USAGE
    elif not args.role_name:
        err("audit: --role-name is required")
        return EXIT_USAGE
    elif not args.org and not args.accounts:
        err("audit: give --org, --accounts FILE or --demo")
        return EXIT_USAGE
    from agentgov.scanner.config import effective_parameters, load_config
    from agentgov.scanner.engine import UnknownPolicyError

    formats = args.format or ["text"]
    outputs = args.output or []
    if len(outputs) > len(formats) or len(formats) - len(outputs) > 1:
        err("give each --format but one its own --output")
        return EXIT_USAGE
    if not _check_outputs(outputs, [args.accounts, args.config], err):
        return EXIT_USAGE
    pack = load_pack()
    cfg = load_config(args.config, pack.parameters)
    regions = None
    if args.regions and args.regions != ["all-enabled"]:
        if "all-enabled" in args.regions:
            err("audit: --regions all-enabled cannot be combined with region names")
            return EXIT_USAGE
        regions = list(dict.fromkeys(args.regions))
    try:
        accounts = read_accounts_file(args.accounts) if args.accounts else None
        shard = parse_shard(args.shard) if args.shard else None
    except AuditUsageError as exc:
        err(str(exc))
        return EXIT_USAGE
    only = [p.upper() for p in (list(args.policy) or list(cfg.policies))]
    skip = [p.upper() for p in list(args.skip_policy) + list(cfg.skip_policies)]
    try:
        with stop_on_signals(), progress_bar(sys.stderr) as bar:
            if args.demo:
                from agentgov.demo import organization as demo

                with demo.estate():
                    opts = demo.options(
                        workers=args.workers,
                        shard=shard,
                        progress=bar,
                        timeout=args.timeout,
                        account_timeout=args.account_timeout,
                    )
                    result = run_audit(opts, pack, effective_parameters(cfg, pack.parameters), only, skip)
                    imported = _security_hub(args, result, opts, err)  # while the demo Organization is alive
            else:
                opts = AuditOptions(
                    timeout=args.timeout,
                    account_timeout=args.account_timeout,
                    role_name=args.role_name,
                    org=args.org,
                    accounts=accounts,
                    regions=regions,
                    external_id=args.external_id,
                    workers=args.workers,
                    shard=shard,
                    progress=bar,
                )
                result = run_audit(opts, pack, effective_parameters(cfg, pack.parameters), only, skip)
                imported = _security_hub(args, result, opts, err)
    except UnknownPolicyError as exc:
        err(f"unknown policy id(s): {exc.args[0]} (see 'agentgov policies list')")
        return EXIT_USAGE
    except OrganizationUnavailable as exc:  # nothing was audited
        err(f"audit: cannot list the accounts of the Organization (organizations ListAccounts): {exc}")
        return EXIT_COVERAGE
    with stop_on_signals(), result:  # its spooled findings are deleted when the outputs are written (or on a signal)
        if result.stopped:
            err(f"audit: {result.stopped}: the accounts not complete are coverage gaps")
        return _finish(result, args, cfg, formats, outputs, render, err, imported)


def _finish(
    result: Any,
    args: argparse.Namespace,
    cfg: Any,
    formats: list[str],
    outputs: list[Path],
    render: Callable[..., Any],
    err: Callable[[str], None],
    imported: Any = None,
) -> int:
    from agentgov.cli.main import EXIT_COVERAGE, EXIT_OK, EXIT_USAGE
    from agentgov.scanner.findings import Severity as Sev

    info = result.audit
    err(
        f"audit {info['run_id']}: {info['accounts']} account(s), {info['regions']} region(s), {info['calls']} API call(s), "
        f"{info['failed_calls']} failed, {len(info['coverage_gaps'])} coverage gap(s)"
    )
    import_ok = _report_import(imported, err) if imported is not None else True
    if not _write(formats, outputs, lambda fmt, to_stdout: render(fmt, result, args, to_stdout), err):
        return EXIT_USAGE
    if args.evidence:  # the signed bundle holds the whole report (and its HTML rendering): it is built in memory
        import json as _json

        from agentgov.reports import json_report
        from agentgov.reports.evidence.commands import write_bundle

        if not args.scope:  # the chain of an organization's audits
            args.scope = "organization:demo" if args.demo else f"organization:{args.role_name or 'accounts'}"
        rc = write_bundle(_json.loads(json_report.render(result)), args.evidence, args, args.config)
        if rc != EXIT_OK:
            return rc
    rc = _exit_code(
        result.iter_findings(),
        Sev(args.severity_threshold or cfg.severity_threshold),
        args.fail_on_unknown or cfg.fail_on_unknown,
    )
    if not import_ok and rc == EXIT_OK:
        return EXIT_COVERAGE  # a refused import counts as an ERROR finding does: exit 1 if something failed, else 3
    return rc


def _security_hub(args: argparse.Namespace, result: Any, opts: Any, err: Callable[[str], None]) -> Any:
    """``--security-hub-import``: None when not asked, else what Security Hub took and refused (``securityhub.Outcome``)."""
    if not getattr(args, "security_hub_import", False):
        return None
    import dataclasses

    from agentgov.audit import securityhub

    if getattr(args, "security_hub_role", None):
        opts = dataclasses.replace(opts, role_name=args.security_hub_role)
    return securityhub.import_findings(result, opts, home_region=getattr(args, "security_hub_region", None))


def _report_import(outcome: Any, err: Callable[[str], None]) -> bool:
    from agentgov.audit import securityhub

    return securityhub.report(outcome, err)


def add_merge_parser(sub: Any, formats: tuple[str, ...], severities: tuple[str, ...], epilog: str, parser_class: type) -> None:
    m = sub.add_parser(
        "merge",
        help="join the JSON reports of audit shards (--shard i/n) into one report",
        description="Join JSON reports (agentgov audit --shard i/n --format json) into one report in any format.",
        epilog=epilog,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    m.add_argument("reports", nargs="+", type=Path, metavar="REPORT.json")
    m.add_argument("--format", "-f", action="append", choices=formats, help="output format (repeatable; default json)")
    m.add_argument("--output", "-o", action="append", type=Path, help="output file for the --format at the same position")
    m.add_argument("--severity-threshold", choices=severities, help="fail (exit 1) on FAIL findings at or above this severity")
    m.add_argument("--config", type=Path, help="agentgov.toml or pyproject.toml (severity threshold, fail_on_unknown)")
    m.add_argument("--fail-on-unknown", action="store_true", help="UNKNOWN findings at or above the threshold also fail")
    m.add_argument("--show-pass", action="store_true", help="text output: list passing checks too")
    m.add_argument("--no-pass", action="store_true", help="JSON/SARIF output: leave out PASS results")
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
    m.add_argument(
        "--security-hub-region",
        metavar="REGION",
        help="the region whose Security Hub gets the findings of global resources (IAM roles, account-level checks), in the "
        "import and in --format asff (default us-east-1; give your Security Hub home or aggregation region)",
    )


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
    }


def cmd_merge(
    args: argparse.Namespace, load_pack: Callable[[], Any], render: Callable[..., Any], err: Callable[[str], None]
) -> int:
    from agentgov.audit.results import AuditResult
    from agentgov.cli.main import EXIT_COVERAGE, EXIT_OK, EXIT_USAGE
    from agentgov.scanner.findings import Severity as Sev

    formats = args.format or ["json"]
    outputs = args.output or []
    if args.security_hub_import and not args.security_hub_role:
        err("merge --security-hub-import: give --role-name, the role to assume in each account for the import")
        return EXIT_USAGE
    if len(outputs) > len(formats) or len(formats) - len(outputs) > 1:
        err("give each --format but one its own --output")
        return EXIT_USAGE
    if not _check_outputs(outputs, [*args.reports, args.config], err):
        return EXIT_USAGE
    from agentgov.scanner.config import load_config

    pack = load_pack()
    cfg = load_config(args.config, pack.parameters)
    missing = _check_shards(args.reports, err)
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
        if not _write(formats, outputs, lambda fmt, to_stdout: render(fmt, result, args, to_stdout), err):
            return EXIT_USAGE
        imported = None
        if args.security_hub_import:
            imported = _security_hub(
                args, result, AuditOptions(role_name=args.security_hub_role, external_id=args.external_id), err
            )
        rc = _exit_code(
            result.iter_findings(),
            Sev(args.severity_threshold or cfg.severity_threshold),
            args.fail_on_unknown or cfg.fail_on_unknown,
        )
        if imported is not None and not _report_import(imported, err) and rc == EXIT_OK:
            return EXIT_COVERAGE
        if missing:
            err(f"merge: shard(s) {', '.join(missing)} missing: the merged report lacks their accounts")
            return EXIT_COVERAGE if rc == EXIT_OK else rc
        return rc


def _check_shards(paths: list[Path], err: Callable[[str], None]) -> list[str] | None:
    """The shards missing from ``paths`` (valid reports of one audit), or None (said) when they cannot be merged."""
    from agentgov.audit.shards import NotOneRun, RunShape, add_report

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
