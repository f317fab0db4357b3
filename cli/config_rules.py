"""``agentgov config-rules build | package``: the detective side of the pack as an AWS Config conformance pack, and the
Lambda deployment zip of its periodic rule."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from agentgov.cli import options
from agentgov.cli.common import EXIT_FAIL, EXIT_OK, EXIT_USAGE, Parser
from agentgov.config_rules.outputs import PACK_FILE, RUNTIME_FILE  # names only: the module imports the standard library
from agentgov.config_rules.package import ZIP_NAME  # the standard library only at import

NAME = "config-rules"


def add_parser(sub: Any) -> None:
    cr = sub.add_parser(NAME, help="compile the detective side of the pack into an AWS Config conformance pack")
    csub = cr.add_subparsers(dest="config_rules_command", metavar="ACTION", parser_class=Parser)
    b = csub.add_parser("build", help=f"write {PACK_FILE} and {RUNTIME_FILE}, and list each policy's form")
    options.add_config(b)
    options.add_policies(b)
    options.add_out(b, "config-rules-out")
    options.add_check(b)
    pk = csub.add_parser(
        "package",
        help=f"write {ZIP_NAME}, the periodic rule's Lambda deployment zip, built from this agentgov (upload it to the "
        f"CodeBucket of {RUNTIME_FILE})",
    )
    pk.add_argument("--out", type=Path, required=True, help="directory to write the zip into (required; no default)")


def run(args: Any) -> int:
    from agentgov.config_rules.compiler import ConfigRulesError
    from agentgov.config_rules.outputs import generate, write

    if args.config_rules_command == "package":
        return _package(args.out)
    if args.config_rules_command != "build":
        sys.stderr.write("agentgov: config-rules: give an action (build, package)\n")
        return EXIT_USAGE
    from agentgov.audit.aws_dependency import missing_boto3

    missing = missing_boto3("agentgov config-rules build (it reads botocore's AWS Config model)")
    if missing:
        sys.stderr.write(f"agentgov: {missing}\n")
        return EXIT_USAGE
    try:
        files, forms = generate(args.config, args.policies)
    except ConfigRulesError as exc:  # PackError / ConfigError: the CLI names the file and the reason (exit 2)
        sys.stderr.write(f"agentgov: {exc}\n")
        return EXIT_USAGE
    for f in forms:
        sys.stderr.write(f"{f.policy_id}  {f.kind:8}  {f.rule_name}  ({f.reason})\n")
    stale = write(files, args.out, args.check)
    for name in stale:
        sys.stdout.write(f"{'stale' if args.check else 'wrote'} {args.out / name}\n")
    return EXIT_FAIL if (args.check and stale) else EXIT_OK


def _package(out: Path) -> int:
    from agentgov.config_rules.package import PackageError, build

    if out.exists() and not out.is_dir():
        sys.stderr.write(f"agentgov: config-rules package: --out {out} is not a directory\n")
        return EXIT_USAGE
    try:
        path, count = build(out)
    except (PackageError, OSError) as exc:
        sys.stderr.write(f"agentgov: config-rules package: {exc}\n")
        return EXIT_USAGE
    sys.stderr.write(f"{count} files; upload it to the CodeBucket of {RUNTIME_FILE} (its CodeKey defaults to {ZIP_NAME})\n")
    sys.stdout.write(f"wrote {path}\n")
    return EXIT_OK
