"""``agentgov audit``: the live estate of an AWS Organization (every account and region) with the same policies;
``audit iam-policy`` and ``audit role-template`` print what the audit's roles need.

Standard library only at import: the parser is built on every start, and boto3 (and the audit modules) are loaded
only when an audit runs.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path
from typing import Any

from agentgov.cli import options
from agentgov.cli.common import EPILOG, EXIT_COVERAGE, EXIT_OK, EXIT_USAGE, Parser, err, finish, load_pack, outputs_error
from agentgov.scanner.outcome import check_outputs as _check_outputs

NAME = "audit"


def _seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = -1.0
    if not 0 < value < 10**7:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of seconds greater than 0")
    return value


def add_parser(sub: Any) -> None:
    a = sub.add_parser(
        NAME,
        help="audit the live estate of an AWS Organization (every account and region) with the same policies",
        description="Assume a read-only role in every account, collect agents, guardrails, roles and functions, "
        "and evaluate the policy pack on what is deployed.",
        epilog=EPILOG,
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
    options.add_formats(a, options.LIVE_FORMATS, "text")  # ASFF needs accounts: live findings
    options.add_fail_on(a)
    options.add_policy_selection(a)
    options.add_policies(a)
    options.add_config(a)
    options.add_pass_output(a)
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
    options.add_security_hub_region(a)
    options.add_evidence(a)
    asub = a.add_subparsers(dest="audit_command", metavar="ACTION", parser_class=Parser)
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


def run(args: argparse.Namespace) -> int:
    from agentgov.audit.iam import iam_policy, role_template
    from agentgov.audit.workers import stop_on_signals

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
            err("audit --demo needs moto: in the agentgov repository, pip install '.[demo]'")
            return EXIT_USAGE
    elif not args.role_name:
        err("audit: --role-name is required")
        return EXIT_USAGE
    elif not args.org and not args.accounts:
        err("audit: give --org, --accounts FILE or --demo")
        return EXIT_USAGE
    from agentgov.audit.run import (
        AuditOptions,
        AuditUsageError,
        OrganizationUnavailable,
        parse_shard,
        read_accounts_file,
        run_audit,
    )
    from agentgov.scanner.config import effective_parameters, load_config
    from agentgov.scanner.engine import UnknownPolicyError

    formats = args.format or ["text"]
    outputs = args.output or []
    bad = outputs_error(formats, outputs)
    if bad:
        err(bad)
        return EXIT_USAGE
    if not _check_outputs(outputs, [args.accounts, args.config], err):
        return EXIT_USAGE
    pack = load_pack(args)
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
                # (importing moto and building the estate take a while: say so before the progress bar starts)
                print("agentgov: building the demo Organization (in-process moto)...", file=sys.stderr, flush=True)
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
                    imported = security_hub_import(args, result, opts)  # while the demo Organization is alive
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
                imported = security_hub_import(args, result, opts)
    except UnknownPolicyError as exc:
        err(f"unknown policy id(s): {exc.args[0]} (see 'agentgov policies list')")
        return EXIT_USAGE
    except OrganizationUnavailable as exc:  # nothing was audited
        err(f"audit: cannot list the accounts of the Organization (organizations ListAccounts): {exc}")
        return EXIT_COVERAGE
    with stop_on_signals(), result:  # its spooled findings are deleted when the outputs are written (or on a signal)
        if result.stopped:
            err(f"audit: {result.stopped}: the accounts not complete are coverage gaps")
        if result.configuration is None:
            from agentgov.scanner.config import effective

            result.configuration = effective(cfg, pack.parameters, pack)
        return finish(_finish(result, args, cfg, formats, outputs, imported), pack)


def _finish(
    result: Any,
    args: argparse.Namespace,
    cfg: Any,
    formats: list[str],
    outputs: list[Path],
    imported: Any = None,
) -> int:
    from agentgov.scanner.findings import Severity as Sev
    from agentgov.scanner.outcome import exit_code, write_outputs

    from .render import render

    info = result.audit
    err(
        f"audit {info['run_id']}: {info['accounts']} account(s), {info['regions']} region(s), {info['calls']} API call(s), "
        f"{info['failed_calls']} failed, {len(info['coverage_gaps'])} coverage gap(s)"
    )
    for line in info.get("not_offered") or []:  # once per service and region, whatever the number of accounts
        err(f"audit: {line}")
    import_ok = report_import(imported) if imported is not None else True
    if not write_outputs(formats, outputs, lambda fmt, to_stdout: render(fmt, result, args, to_stdout), err):
        return EXIT_USAGE
    if args.evidence:  # the signed bundle holds the whole report (and its HTML rendering): it is built in memory
        import json as _json

        from agentgov.cli.evidence import write_bundle
        from agentgov.reports import json_report

        if not args.scope:  # the chain of an organization's audits
            args.scope = "organization:demo" if args.demo else f"organization:{args.role_name or 'accounts'}"
        rc = write_bundle(_json.loads(json_report.render(result)), args.evidence, args, args.config)
        if rc != EXIT_OK:
            return rc
    rc = exit_code(
        result.iter_findings(),
        Sev(args.severity_threshold or cfg.severity_threshold),
        args.fail_on_unknown or cfg.fail_on_unknown,
    )
    if not import_ok and rc == EXIT_OK:
        return EXIT_COVERAGE  # a refused import counts as an ERROR finding does: exit 1 if something failed, else 3
    return rc


def security_hub_import(args: argparse.Namespace, result: Any, opts: Any) -> Any:
    """``--security-hub-import``: None when not asked, else what Security Hub took and refused (``securityhub.Outcome``)."""
    if not getattr(args, "security_hub_import", False):
        return None
    import dataclasses

    from agentgov.audit import securityhub

    if getattr(args, "security_hub_role", None):
        opts = dataclasses.replace(opts, role_name=args.security_hub_role)
    return securityhub.import_findings(result, opts, home_region=getattr(args, "security_hub_region", None))


def report_import(outcome: Any) -> bool:
    from agentgov.audit import securityhub

    return securityhub.report(outcome, err)
