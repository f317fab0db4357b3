"""``agentgov scan``: IaC (CloudFormation, SAM, CDK output, Terraform HCL or plan JSON) against the policy pack.

Exit codes:
  0  nothing at or above the severity threshold failed (or --write-baseline wrote the baseline asked for)
  1  findings at or above the threshold failed
  2  usage or configuration error (a path that does not exist: the others are still scanned and reported)
  3  the run could not assess everything it was asked to (a file could not be
     scanned: an ERROR finding), and nothing failed

Only the standard library, pydantic and PyYAML are imported on the scan path; boto3, cfn-lint and checkov never
are, nor the audit, drift, checkov-pack or demo modules (tests/test_scan_imports.py).
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from agentgov.cli import options
from agentgov.cli.common import EPILOG, EXIT_OK, EXIT_USAGE, err, finish, load_pack, outputs_error

NAME = "scan"


def add_parser(sub: Any) -> None:
    s = sub.add_parser(
        NAME,
        help="scan CloudFormation, SAM, CDK output and Terraform (HCL or plan JSON)",
        description="Scan IaC for the agent policy pack and report findings with file:line.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    s.add_argument("paths", nargs="+", type=Path, metavar="PATH", help="files or directories to scan")
    options.add_formats(s, options.FORMATS, "text")
    options.add_fail_on(s)
    options.add_policy_selection(s)
    options.add_policies(s)
    options.add_config(s)
    options.add_pass_output(s)
    s.add_argument(
        "--waivers",
        type=Path,
        metavar="FILE",
        help="waiver file (policy, resource, owner, reason, expires); expired waivers FAIL",
    )
    s.add_argument("--baseline", type=Path, metavar="FILE", help="fail only on findings that are not in this baseline")
    s.add_argument(
        "--write-baseline",
        type=Path,
        metavar="FILE",
        help="write the FAIL/UNKNOWN findings of this run as a baseline; exits 0 once it is written (the findings are "
        "what it accepts), 2 when it cannot be",
    )
    options.add_evidence(s)
    s.add_argument(
        "--jobs",
        "-j",
        type=_jobs,
        default=None,
        metavar="N",
        help="processes that load the files of a large scan (default: the number of CPUs; 1: this process only);"
        " the findings are the same",
    )


def _jobs(text: str) -> int:
    try:
        n = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number of processes: {text!r}") from None
    if n < 1:
        raise argparse.ArgumentTypeError(f"must be 1 or more, not {n}")
    return n


def run(args: argparse.Namespace) -> int:
    from agentgov.scanner import heap

    # the inventory and findings live until the reports are written: out of the cyclic collector's way
    with heap.long_lived():
        return _run(args)


def _run(args: argparse.Namespace) -> int:
    from agentgov.scanner.config import effective, effective_parameters, load_config
    from agentgov.scanner.engine import UnknownPolicyError, scan
    from agentgov.scanner.findings import Severity
    from agentgov.scanner.outcome import exit_code, write_outputs
    from agentgov.scanner.parallel import default_jobs
    from agentgov.scanner.suppress import SuppressionError, load_baseline, load_waivers

    from .render import render

    formats = args.format or ["text"]
    outputs = args.output or []
    bad = outputs_error(formats, outputs)
    if bad:
        err(bad)
        return EXIT_USAGE
    from agentgov.scanner.outcome import check_outputs

    scan_inputs = [*args.paths, args.config, args.waivers, args.baseline]
    if not check_outputs([*outputs, *([args.write_baseline] if args.write_baseline else [])], scan_inputs, err):
        return EXIT_USAGE
    missing = missing_paths(args.paths)  # said now, one line each; the others are still scanned, and the run exits 2
    pack = load_pack(args)
    cfg = load_config(args.config, pack.parameters)
    threshold = Severity(args.severity_threshold or cfg.severity_threshold)
    only = [p.upper() for p in (list(args.policy) or list(cfg.policies))]
    skip = [p.upper() for p in list(args.skip_policy) + list(cfg.skip_policies)]
    waivers_file = args.waivers or (Path(cfg.waivers) if cfg.waivers else None)
    baseline_file = args.baseline or (Path(cfg.baseline) if cfg.baseline else None)
    try:
        waivers = load_waivers(waivers_file, cfg.waiver_max_days) if waivers_file else None
        baseline = load_baseline(baseline_file) if baseline_file else None
    except SuppressionError as exc:
        err(str(exc))
        return EXIT_USAGE
    try:
        result = scan(
            args.paths,
            pack,
            effective_parameters(cfg, pack.parameters),
            only=only,
            skip=skip,
            max_file_bytes=cfg.max_file_size_mb * 1024 * 1024,
            waivers=waivers,
            baseline=baseline,
            jobs=args.jobs or default_jobs(),
        )
    except UnknownPolicyError as exc:
        err(f"unknown policy id(s): {exc.args[0]} (see 'agentgov policies list')")
        return EXIT_USAGE
    if _nothing_scanned(result, args.paths) and not missing:
        return EXIT_USAGE
    result.configuration = effective(cfg, pack.parameters, pack)
    if not _report_suppressions(result, args, baseline_file):
        return EXIT_USAGE
    if not write_outputs(formats, outputs, lambda fmt, to_stdout: render(fmt, result, args, to_stdout), err):
        return EXIT_USAGE
    if args.evidence:
        rc = _evidence(result, args)
        if rc != EXIT_OK:
            return rc
    if missing:
        return EXIT_USAGE
    if args.write_baseline:
        return finish(EXIT_OK, pack)  # asked to record the findings as accepted, and did: they are the baseline, not a failure
    live_only = frozenset(p.id for p in result.policies if p.live_only)  # settled by `audit`: IaC cannot, whatever is written
    rc = exit_code(result.findings, threshold, args.fail_on_unknown or cfg.fail_on_unknown, unknown_never_fails=live_only)
    return finish(rc, pack)


def missing_paths(paths: list[Path]) -> list[Path]:
    """The paths that do not exist (a broken symlink exists: the scan reports it), each said in one line."""
    missing = [p for p in paths if not p.exists() and not p.is_symlink()]
    for p in missing:
        err(f"{p}: no such file or directory")
    return missing


def _report_suppressions(result: Any, args: argparse.Namespace, baseline_file: Path | None) -> bool:
    """Say which waivers matched nothing or expired, write ``--write-baseline``; False when it cannot be written."""
    from agentgov.scanner.suppress import SuppressionError, write_baseline

    if result.waivers is not None:
        for w in result.waivers.unused:
            err(f"warning: {w.describe()} matched no FAIL or UNKNOWN finding; remove it if it is obsolete")
        for w in result.waivers.expired:
            err(f"{w.describe()} has expired: its findings FAIL")
    if args.write_baseline:
        try:
            n = write_baseline(args.write_baseline, result.findings)
        except SuppressionError as exc:
            err(str(exc))
            return False
        err(f"wrote {n} finding(s) to baseline {args.write_baseline}")
    if result.baseline is not None:
        b = result.baseline
        err(f"baseline {baseline_file}: {b.new} new, {b.unchanged} unchanged, {b.absent} no longer found")
    return True


def _evidence(result: Any, args: argparse.Namespace) -> int:
    import json

    from agentgov.reports import json_report

    from .evidence import write_bundle

    return write_bundle(json.loads(json_report.render(result)), args.evidence, args, args.config)


def _nothing_scanned(result: Any, paths: list[Path]) -> bool:
    """True when directories to scan hold no IaC file: a wrong path must not pass as a clean scan. Whenever no IaC
    file was found, one line says so with the files skipped, how many for each reason and the first names."""
    if result.files_scanned or result.inventory.errors:
        return False
    skipped = result.inventory.skipped
    why = f"; skipped {skipped.total()} file(s): {skipped.describe()}" if skipped.total() else "; no file at all"
    shown = ", ".join(str(p) for p in paths)
    if not all(Path(p).is_dir() for p in paths):
        # files named one by one (a pre-commit hook's) may simply not be IaC: said, not an error
        err(f"note: no IaC file among {shown}: nothing was scanned{why}")
        return False
    err(f"no IaC files found in {shown} (CloudFormation/SAM/CDK templates, Terraform files or plans): nothing was scanned{why}")
    return True
