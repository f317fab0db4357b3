"""The ``agentgov`` command.

Exit codes (``agentgov scan``):
  0  nothing at or above the severity threshold failed
  1  findings at or above the threshold failed
  2  usage or configuration error
  3  the run could not assess everything it was asked to (a file could not be
     scanned: an ERROR finding), and nothing failed

Only the standard library, pydantic and PyYAML are imported on the scan path;
boto3, cfn-lint and checkov never are.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from agentgov.scanner import __version__

FORMATS = ("text", "json", "sarif", "junit", "ocsf")
SEVERITIES = ("info", "low", "medium", "high", "critical")

EXIT_OK, EXIT_FAIL, EXIT_USAGE, EXIT_COVERAGE = 0, 1, 2, 3

EPILOG = """exit codes:
  0  nothing at or above the severity threshold failed
  1  findings at or above the threshold failed
  2  usage or configuration error
  3  the run could not assess everything it was asked to (ERROR findings), and nothing failed
"""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # exit 2 with a one-line reason, as argparse does
        self.print_usage(sys.stderr)
        self.exit(EXIT_USAGE, f"agentgov: error: {message}\n")


def _parser() -> argparse.ArgumentParser:
    p = _Parser(prog="agentgov", description="Policy-as-code governance scanner for agentic AI on AWS.")
    p.add_argument("--version", action="version", version=f"agentgov {__version__}")
    sub = p.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    s = sub.add_parser(
        "scan",
        help="scan CloudFormation, SAM, CDK output and Terraform (HCL or plan JSON)",
        description="Scan IaC for the agent policy pack and report findings with file:line.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    s.add_argument("paths", nargs="+", type=Path, metavar="PATH", help="files or directories to scan")
    s.add_argument("--format", "-f", action="append", choices=FORMATS, help="output format (repeatable; default text)")
    s.add_argument(
        "--output", "-o", action="append", type=Path, help="output file for the --format at the same position (default stdout)"
    )
    s.add_argument("--severity-threshold", choices=SEVERITIES, help="fail (exit 1) on FAIL findings at or above this severity")
    s.add_argument("--policy", action="append", default=[], metavar="ID", help="run only this policy (repeatable)")
    s.add_argument("--skip-policy", action="append", default=[], metavar="ID", help="do not run this policy (repeatable)")
    s.add_argument("--config", type=Path, help="agentgov.toml or pyproject.toml (default: discovered in the working directory)")
    s.add_argument("--show-pass", action="store_true", help="text output: list passing checks too")
    s.add_argument("--no-pass", action="store_true", help="JSON/SARIF output: leave out PASS results")
    s.add_argument("--fail-on-unknown", action="store_true", help="UNKNOWN findings at or above the threshold also fail")
    s.add_argument(
        "--waivers",
        type=Path,
        metavar="FILE",
        help="waiver file (policy, resource, owner, reason, expires); expired waivers FAIL",
    )
    s.add_argument("--baseline", type=Path, metavar="FILE", help="fail only on findings that are not in this baseline")
    s.add_argument(
        "--write-baseline", type=Path, metavar="FILE", help="write the FAIL/UNKNOWN findings of this run as a baseline"
    )
    s.add_argument(
        "--evidence", type=Path, metavar="DIR", help="also write a signed evidence bundle into DIR (see 'agentgov evidence')"
    )
    from agentgov.reports.evidence.commands import add_signing_options

    add_signing_options(s)

    inv = sub.add_parser(
        "inventory",
        help="the agent inventory of IaC (JSON or CSV): agents, aliases, model, role, guardrail, tools, blast radius",
        description="List every agent (Bedrock agents, AgentCore runtimes) found in the files, with what it is made of.",
    )
    inv.add_argument("paths", nargs="+", type=Path, metavar="PATH", help="files or directories to read")
    inv.add_argument("--format", "-f", choices=("json", "csv"), default="json", help="output format (default json)")
    inv.add_argument("--output", "-o", type=Path, help="output file (default stdout)")
    inv.add_argument("--config", type=Path, help="agentgov.toml or pyproject.toml")

    from agentgov.config_rules.commands import add_parser as _config_rules_parser
    from agentgov.reports.evidence.commands import add_parser as _evidence_parser
    from agentgov.scps.commands import add_parser as _scp_parser

    _scp_parser(sub, _Parser)
    _config_rules_parser(sub, _Parser)
    _evidence_parser(sub, _Parser)

    cfg = sub.add_parser("config", help="show the effective configuration")
    csub = cfg.add_subparsers(dest="config_command", metavar="ACTION", parser_class=_Parser)
    cshow = csub.add_parser("show", help="every setting and parameter with its value and where it comes from")
    cshow.add_argument(
        "--config", type=Path, help="agentgov.toml or pyproject.toml (default: discovered in the working directory)"
    )
    cshow.add_argument("--format", "-f", choices=("toml", "json"), default="toml")

    pol = sub.add_parser("policies", help="list or show the policies of the pack")
    psub = pol.add_subparsers(dest="policies_command", metavar="ACTION", parser_class=_Parser)
    psub.add_parser("list", help="one line per policy")
    show = psub.add_parser("show", help="one policy in full")
    show.add_argument("id")

    sch = sub.add_parser("schema", help="print a generated JSON Schema (report, policy, config, agentgov-toml, waivers, drift)")
    sch.add_argument("name", choices=("report", "policy", "config", "agentgov-toml", "waivers", "drift"))

    from agentgov.cli.audit import add_merge_parser  # stdlib only: boto3 loads when an audit runs
    from agentgov.cli.audit import add_parser as add_audit_parser

    add_audit_parser(sub, FORMATS + ("asff",), SEVERITIES, EPILOG, _Parser)  # ASFF needs accounts: live findings
    add_merge_parser(sub, FORMATS + ("asff",), SEVERITIES, EPILOG, _Parser)
    from agentgov.cli.drift import add_parser as add_drift_parser

    add_drift_parser(sub, _Parser)

    ckv = sub.add_parser(
        "checkov-dir",
        help="write checkov checks that run the pack's single-resource policies; print the directory",
        description="Write a directory for `checkov --external-checks-dir` (needs agentgov in checkov's environment: "
        "pip install 'agentgov[checkov]') and print its path.",
    )
    ckv.add_argument("--out", type=Path, metavar="DIR", help="directory to write (default: under the agentgov cache directory)")

    docs = sub.add_parser("docs", help="regenerate docs/ (policy reference, JSON Schemas)")
    docs.add_argument("--out", type=Path, default=Path("docs"), help="docs directory (default: docs)")
    docs.add_argument("--check", action="store_true", help="write nothing; exit 1 if a generated file is stale")
    return p


def _err(msg: str) -> None:
    sys.stderr.write(f"agentgov: {msg}\n")


def _load_pack():
    from agentgov.policies.registry import load_pack

    return load_pack()  # a PackError is the user's (a policy file): main() says so, exit 2


def cmd_scan(args: argparse.Namespace) -> int:
    from agentgov.scanner.config import effective_parameters, load_config
    from agentgov.scanner.engine import UnknownPolicyError, scan
    from agentgov.scanner.findings import Severity

    formats = args.format or ["text"]
    outputs = args.output or []
    if len(outputs) > len(formats):
        _err("more --output than --format options")
        return EXIT_USAGE
    if sum(1 for i in range(len(formats)) if i >= len(outputs)) > 1:
        _err("several formats would go to stdout: give each --format its own --output")
        return EXIT_USAGE
    from agentgov.scanner.outcome import check_outputs

    scan_inputs = [*args.paths, args.config, args.waivers, args.baseline]
    if not check_outputs([*outputs, *([args.write_baseline] if args.write_baseline else [])], scan_inputs, _err):
        return EXIT_USAGE
    pack = _load_pack()
    cfg = load_config(args.config, pack.parameters)
    threshold = Severity(args.severity_threshold or cfg.severity_threshold)
    only = [p.upper() for p in (list(args.policy) or list(cfg.policies))]
    skip = [p.upper() for p in list(args.skip_policy) + list(cfg.skip_policies)]
    from agentgov.scanner.suppress import SuppressionError, load_baseline, load_waivers, write_baseline

    waivers_file = args.waivers or (Path(cfg.waivers) if cfg.waivers else None)
    baseline_file = args.baseline or (Path(cfg.baseline) if cfg.baseline else None)
    try:
        waivers = load_waivers(waivers_file) if waivers_file else None
        baseline = load_baseline(baseline_file) if baseline_file else None
    except SuppressionError as exc:
        _err(str(exc))
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
        )
    except UnknownPolicyError as exc:
        _err(f"unknown policy id(s): {exc.args[0]} (see 'agentgov policies list')")
        return EXIT_USAGE
    if _nothing_scanned(result, args.paths):
        return EXIT_USAGE
    from agentgov.scanner.config import effective

    result.configuration = effective(cfg, pack.parameters)
    if result.waivers is not None:
        for w in result.waivers.unused:
            _err(f"warning: {w.describe()} matched no FAIL or UNKNOWN finding; remove it if it is obsolete")
        for w in result.waivers.expired:
            _err(f"{w.describe()} has expired: its findings FAIL")
    if args.write_baseline:
        try:
            n = write_baseline(args.write_baseline, result.findings)
        except SuppressionError as exc:
            _err(str(exc))
            return EXIT_USAGE
        _err(f"wrote {n} finding(s) to baseline {args.write_baseline}")
    if result.baseline is not None:
        b = result.baseline
        _err(f"baseline {baseline_file}: {b.new} new, {b.unchanged} unchanged, {b.absent} no longer found")

    from agentgov.scanner.outcome import exit_code, write_outputs

    if not write_outputs(formats, outputs, lambda fmt, to_stdout: _render(fmt, result, args, to_stdout), _err):
        return EXIT_USAGE

    if args.evidence:
        import json

        from agentgov.reports import json_report
        from agentgov.reports.evidence.commands import write_bundle

        rc = write_bundle(json.loads(json_report.render(result)), args.evidence, args, args.config)
        if rc != EXIT_OK:
            return rc
    live_only = frozenset(p.id for p in result.policies if p.live_only)  # settled by `audit`: IaC cannot, whatever is written
    return exit_code(result.findings, threshold, args.fail_on_unknown or cfg.fail_on_unknown, unknown_never_fails=live_only)


def _nothing_scanned(result, paths: list[Path]) -> bool:
    """True (said in one line) when directories to scan hold no IaC file: a wrong path must not pass as a clean scan."""
    if result.files_scanned or result.inventory.errors or not all(Path(p).is_dir() for p in paths):
        return False  # files named one by one (a pre-commit hook's) may simply not be IaC
    shown = ", ".join(str(p) for p in paths)
    _err(f"no IaC files found in {shown} (CloudFormation/SAM/CDK templates, Terraform files or plans): nothing was scanned")
    return True


def _render(fmt: str, result, args: argparse.Namespace, to_stdout: bool):
    """The output of one format, as pieces (an audit's findings are streamed from its spool)."""
    if fmt == "text":
        from agentgov.reports import text

        color = to_stdout and sys.stdout.isatty() and not os.environ.get("NO_COLOR")
        return text.chunks(result, color=color, show_pass=args.show_pass)
    if fmt == "json":
        from agentgov.reports import json_report

        return json_report.chunks(result, include_pass=not args.no_pass)
    if fmt == "sarif":
        from agentgov.reports import sarif

        return sarif.chunks(result, include_pass=not args.no_pass)
    if fmt == "junit":
        from agentgov.reports import junit

        return junit.chunks(result)
    if fmt == "asff":
        from agentgov.reports import asff

        return asff.chunks(
            result, include_pass=not args.no_pass, home=getattr(args, "security_hub_region", None) or asff.GLOBAL_REGION
        )
    if fmt == "ocsf":
        from agentgov.reports import ocsf

        return ocsf.chunks(result, include_pass=not args.no_pass)
    raise ValueError(fmt)


def cmd_policies(args: argparse.Namespace) -> int:
    pack = _load_pack()
    if args.policies_command in (None, "list"):
        for p in pack:
            sys.stdout.write(f"{p.id}  {p.severity:8}  {p.pillar:8}  {p.title}\n")
        return EXIT_OK
    p = pack.get(args.id.upper())
    if p is None:
        _err(f"no policy {args.id} (see 'agentgov policies list')")
        return EXIT_USAGE
    sys.stdout.write(pack.files[p.id].read_text(encoding="utf-8"))
    return EXIT_OK


def cmd_inventory(args: argparse.Namespace) -> int:
    from agentgov.scanner import agent_inventory
    from agentgov.scanner.config import load_config
    from agentgov.scanner.discover import MAX_FILE_BYTES, build_inventory

    pack = _load_pack()
    cfg = load_config(args.config, pack.parameters)
    inv = build_inventory(args.paths, cfg.max_file_size_mb * 1024 * 1024 or MAX_FILE_BYTES)
    rows = agent_inventory.records(inv)
    if args.format == "csv":
        text = agent_inventory.to_csv(rows)
    else:
        import json

        text = (
            json.dumps(
                {
                    "agents": rows,
                    "files_scanned": inv.files_scanned,
                    "not_scanned": [{"file": e.file, "reason": e.reason} for e in inv.errors],
                },
                indent=2,
            )
            + "\n"
        )
    for e in inv.errors:
        _err(f"{e.file}{':' + str(e.line) if e.line else ''}: not scanned: {e.reason}")
    if args.output:
        from agentgov.scanner.safe_write import write_text

        try:
            args.output.parent.mkdir(parents=True, exist_ok=True)
            write_text(args.output, text)
        except OSError as exc:
            _err(f"cannot write {args.output}: {exc.strerror or exc}")
            return EXIT_USAGE
    else:
        sys.stdout.write(text)
    return EXIT_COVERAGE if inv.errors else EXIT_OK


def cmd_config(args: argparse.Namespace) -> int:
    from agentgov.scanner.config import effective, load_config, to_toml

    pack = _load_pack()
    cfg = load_config(getattr(args, "config", None), pack.parameters)
    eff = effective(cfg, pack.parameters)
    if getattr(args, "format", "toml") == "json":
        import json

        sys.stdout.write(json.dumps(eff, indent=2) + "\n")
    else:
        sys.stdout.write(to_toml(eff))
    return EXIT_OK


def cmd_schema(args: argparse.Namespace) -> int:
    import json

    sys.stdout.write(json.dumps(schemas()[args.name], indent=2) + "\n")
    return EXIT_OK


def cmd_docs(args: argparse.Namespace) -> int:
    from agentgov.cli.docs import write

    stale = write(args.out, check=args.check)
    for rel in stale:
        sys.stdout.write(f"{'stale' if args.check else 'wrote'} {args.out / rel}\n")
    return EXIT_FAIL if (args.check and stale) else EXIT_OK


def schemas() -> dict[str, dict]:
    from agentgov.policies.schema import Policy
    from agentgov.reports import json_report
    from agentgov.reports.report_schema import drift_schema
    from agentgov.scanner.config import config_adapter
    from agentgov.scanner.suppress import waiver_model

    config = config_adapter().json_schema()
    return {
        "report": json_report.schema(),
        "policy": Policy.model_json_schema(by_alias=True),
        "config": config,
        "agentgov-toml": config_file_schema(config),
        "waivers": waiver_model().model_json_schema(),
        "drift": drift_schema(),
    }


def config_file_schema(config: dict) -> dict:
    """The whole ``agentgov.toml`` file (its ``[agentgov]`` table is ``config``): for editors."""
    table = {k: v for k, v in config.items() if k != "$defs"}
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "agentgov.toml",
        "description": "agentgov configuration file; the same settings go under [tool.agentgov] in pyproject.toml.",
        "type": "object",
        "properties": {"agentgov": table},
        "additionalProperties": False,
        **({"$defs": config["$defs"]} if "$defs" in config else {}),
    }


#: sub-command -> "module:function" (imported when the command runs: start-up stays light)
COMMANDS = {
    "scan": "agentgov.cli.main:cmd_scan",
    "policies": "agentgov.cli.main:cmd_policies",
    "schema": "agentgov.cli.main:cmd_schema",
    "docs": "agentgov.cli.main:cmd_docs",
    "inventory": "agentgov.cli.main:cmd_inventory",
    "config": "agentgov.cli.main:cmd_config",
    "evidence": "agentgov.reports.evidence.commands:main",
    "config-rules": "agentgov.config_rules.commands:main",
    "scp": "agentgov.scps.commands:main",
    "audit": "agentgov.cli.main:cmd_audit",
    "merge": "agentgov.cli.main:cmd_merge",
    "drift": "agentgov.cli.drift:main",
    "checkov-dir": "agentgov.integrations.checkov_pack:cmd_checkov_dir",
}


def cmd_audit(args: argparse.Namespace) -> int:
    from agentgov.cli.audit import cmd_audit as run

    return run(args, _load_pack, _render, _err)


def cmd_merge(args: argparse.Namespace) -> int:
    from agentgov.cli.audit import cmd_merge as run

    return run(args, _load_pack, _render, _err)


def _command(name: str):
    from importlib import import_module

    module, _, func = COMMANDS[name].partition(":")
    return getattr(import_module(module), func)


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.command is None:
        _parser().print_help(sys.stderr)
        return EXIT_USAGE
    try:
        return _command(args.command)(args)
    except BrokenPipeError:  # the reader went away (| head): before `except Exception`, which would re-raise it
        _quiet_stdout()
        return EXIT_BROKEN_PIPE
    except Exception as exc:
        # a user's mistake (a policy file, agentgov.toml, ...): its exception class says so with a
        # ``usage_prefix`` (ConfigError, PackError); one line naming the file and the reason, exit 2
        prefix = getattr(type(exc), "usage_prefix", None)
        if prefix is None:
            raise
        _err(f"{prefix}: {exc}")
        return EXIT_USAGE
    except KeyboardInterrupt:
        _err("interrupted")
        return 130


EXIT_BROKEN_PIPE = 141  # 128 + SIGPIPE, what a shell reports for a command whose reader went away


def _quiet_stdout() -> None:
    """Point stdout at /dev/null: the interpreter's last flush must not raise BrokenPipeError again."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
