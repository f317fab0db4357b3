"""The ``agentgov drift`` command (arguments, output, exit codes). Standard library only at import."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from agentgov.cli import options
from agentgov.cli.common import EXIT_COVERAGE, EXIT_FAIL, EXIT_OK, EXIT_USAGE, outputs_error
from agentgov.cli.common import err as _err
from agentgov.cli.common import load_pack as _load_pack
from agentgov.reports.formats import DRIFT_NAMES  # stdlib only: renderers load when asked

DRIFT_FORMATS = ("text", "json", "markdown", "sarif", *DRIFT_NAMES)

EPILOG = """exit codes:
  0  no drift of the kinds --fail-on names
  1  drift: unmanaged live agents, IaC agents not deployed, or verdicts that differ (as --fail-on says)
  2  usage or input error (a live result or state file that is missing, malformed, or has no resource inventory)
  3  no drift, but something could not be assessed (an IaC file not scanned, an IaC agent whose deployment
     the live result cannot tell)

matching, strongest first: ARN (stated, or recorded by Terraform state for the address); CloudFormation
stack tags (aws:cloudformation:stack-name + logical-id); physical name of the same kind; an alias or
action group by name under its matched agent. Stack name of a template: --stack-name, the CDK
manifest.json beside it, samconfig.toml beside it, else the file name without suffix.
"""


NAME = "drift"


def add_parser(sub: Any) -> None:
    d = sub.add_parser(
        NAME,
        help="IaC against a live audit: unmanaged live agents, IaC agents not deployed, verdicts that differ",
        description="Scan the IaC as 'agentgov scan' does, read live audit results (agentgov audit --format json), "
        "match resources, and report the live agents no scanned IaC defines, the IaC agents not deployed, "
        "and the policy verdicts that differ between the two.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    d.add_argument("--iac", nargs="+", type=Path, required=True, metavar="PATH", help="IaC files or directories (as for scan)")
    d.add_argument(
        "--live",
        nargs="+",
        type=Path,
        required=True,
        metavar="RESULT.json",
        help="JSON reports of agentgov audit (or agentgov merge of its shards)",
    )
    options.add_formats(d, DRIFT_FORMATS, "text")
    d.add_argument(
        "--stack-name",
        action="append",
        default=[],
        metavar="[TEMPLATE=]NAME",
        help="the CloudFormation stack a template is deployed as (repeatable; a bare NAME is for every template)",
    )
    d.add_argument(
        "--tf-state",
        action="append",
        default=[],
        type=Path,
        metavar="FILE",
        help="a Terraform state (terraform.tfstate or 'terraform show -json') for every Terraform root scanned",
    )
    d.add_argument(
        "--fail-on",
        default="unmanaged,undeployed,verdicts",
        metavar="LIST",
        help="which drift makes exit 1: comma-separated unmanaged, undeployed, verdicts, or none "
        "(default unmanaged,undeployed,verdicts: all three)",
    )
    d.add_argument("--strict", action="store_true", help="UNKNOWN on one side and PASS/FAIL on the other is drift too")
    d.add_argument(
        "--all-kinds",
        action="store_true",
        help="unmanaged / not deployed over every named kind (roles, functions, guardrails, ...), not only agents",
    )
    options.add_policy_selection(d, verb="compare")
    options.add_config(d, "parameters and policies, as for scan")


def _parse_fail_on(text: str) -> list[str] | None:
    from agentgov.drift.compare import FAIL_ON

    items = [t.strip() for t in text.split(",") if t.strip()]
    if items == ["none"]:
        return []
    if not items or any(t not in FAIL_ON for t in items):
        return None
    return items


def run(args: argparse.Namespace) -> int:
    from agentgov.drift.compare import (
        DriftInputError,
        DriftOptions,
        StackNames,
        load_live,
        load_states,
        run,
    )
    from agentgov.scanner.config import effective_parameters, load_config
    from agentgov.scanner.engine import UnknownPolicyError, scan
    from agentgov.scanner.outcome import check_outputs, write_outputs

    formats = args.format or ["text"]
    outputs = args.output or []
    bad = outputs_error(formats, outputs)
    if bad:
        _err(f"drift: {bad}")
        return EXIT_USAGE
    if not check_outputs(outputs, [*args.live, *args.iac, *(args.tf_state or []), args.config], _err):
        return EXIT_USAGE
    fail_on = _parse_fail_on(args.fail_on)
    if fail_on is None:
        _err(f"drift: --fail-on {args.fail_on!r}: expected a comma-separated list of unmanaged, undeployed, verdicts, or none")
        return EXIT_USAGE
    for p in args.iac:
        if not p.exists():
            _err(f"drift: --iac {p}: no such file or directory")
            return EXIT_USAGE
    pack = _load_pack()
    cfg = load_config(args.config, pack.parameters)
    try:
        live = load_live(args.live)
        states = load_states(args.iac, args.tf_state)
    except DriftInputError as exc:
        _err(f"drift: {exc}")
        return EXIT_USAGE
    from agentgov.scanner.suppress import SuppressionError, load_waivers

    try:  # the configuration's waivers, as scan applies them: a waived finding is SUPPRESSED, not drift
        waivers = load_waivers(Path(cfg.waivers), cfg.waiver_max_days) if cfg.waivers else None
    except SuppressionError as exc:
        _err(str(exc))
        return EXIT_USAGE
    only = [p.upper() for p in (list(args.policy) or list(cfg.policies))]
    skip = [p.upper() for p in list(args.skip_policy) + list(cfg.skip_policies)]
    try:
        scanned = scan(
            args.iac,
            pack,
            effective_parameters(cfg, pack.parameters),
            only=only,
            skip=skip,
            max_file_bytes=cfg.max_file_size_mb * 1024 * 1024,
            waivers=waivers,
        )
    except UnknownPolicyError as exc:
        _err(f"unknown policy id(s): {exc.args[0]} (see 'agentgov policies list')")
        return EXIT_USAGE
    for e in scanned.inventory.errors:
        _err(f"{e.file}{':' + str(e.line) if e.line else ''}: not scanned: {e.reason}")
    result = run(
        scanned,
        [str(p) for p in args.iac],
        live,
        states,
        StackNames(args.stack_name),
        DriftOptions(strict=args.strict, all_kinds=args.all_kinds),
    )

    def produce(fmt: str, to_stdout: bool) -> str:
        from agentgov.reports import drift_json, formats

        if fmt in formats.DRIFT_RENDERERS:  # html: reports/formats.py
            return formats.render_drift(fmt, drift_json.render(result, fail_on))
        if fmt == "json":
            return json.dumps(drift_json.render(result, fail_on), indent=2, ensure_ascii=False, default=str) + "\n"
        if fmt == "markdown":
            from agentgov.reports import drift_markdown

            return drift_markdown.render(result, fail_on)
        if fmt == "sarif":
            from agentgov.reports import drift_sarif

            return json.dumps(drift_sarif.render(result, fail_on), indent=2, ensure_ascii=False) + "\n"
        from agentgov.reports import drift_text

        return drift_text.render(result, fail_on)

    if not write_outputs(formats, outputs, produce, _err):
        return EXIT_USAGE
    c = result.counts()
    sys.stderr.write(
        f"agentgov: drift: {c['unmanaged']} unmanaged, {c['undeployed']} not deployed, {c['verdicts']} verdict(s) differ, "
        f"{c['not_assessed']} not assessed\n"
    )
    if result.drifted(fail_on):
        return EXIT_FAIL
    if scanned.inventory.errors or result.not_assessed:
        return EXIT_COVERAGE
    return EXIT_OK
