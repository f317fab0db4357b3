"""``agentgov scp build | explain | deploy``: the preventive side of the pack as Service Control Policies."""

from __future__ import annotations

import sys
from typing import Any

from agentgov.cli import options
from agentgov.cli.common import EXIT_FAIL, EXIT_OK, EXIT_USAGE, Parser
from agentgov.cli.common import err as _err

NAME = "scp"


def add_parser(sub: Any) -> None:
    scp = sub.add_parser(NAME, help="compile the preventive side of the pack into Service Control Policies")
    ssub = scp.add_subparsers(dest="scp_command", metavar="ACTION", parser_class=Parser)
    b = ssub.add_parser("build", help="write the SCP documents (JSON) built from the policies and the configuration")
    options.add_config(b)
    options.add_policies(b)
    options.add_out(b, "scps-out")
    options.add_check(b)
    options.add_policy_selection(b, skip=False, verb="compile")
    e = ssub.add_parser("explain", help="each statement: the policy it comes from and what it denies, in plain words")
    options.add_config(e)
    options.add_policies(e)
    options.add_policy_selection(e, skip=False, verb="compile")
    d = ssub.add_parser("deploy", help="create or update the SCPs in AWS Organizations and attach them (idempotent)")
    d.add_argument("--target", required=True, metavar="OU_OR_ACCOUNT", help="root id, OU id or account id")
    d.add_argument("--dry-run", action="store_true", help="print what would change, change nothing")
    options.add_config(d)
    options.add_policies(d)
    options.add_policy_selection(d, skip=False, verb="compile")


def run(args: Any) -> int:
    from agentgov.scps.compiler import ScpError
    from agentgov.scps.outputs import compile_from, explain, write

    try:
        b = compile_from(getattr(args, "config", None), getattr(args, "policy", []), getattr(args, "policies", []))
    except ScpError as exc:
        _err(str(exc))
        return EXIT_USAGE
    for sk in b.skipped:
        _err(f"not built: {sk.policy_id} {sk.sid}: {sk.reason}")
    if args.scp_command in (None, "explain"):
        sys.stdout.write(explain(b))
        return EXIT_OK
    if args.scp_command == "build":
        stale = write(b, args.out, check=args.check)
        for name in stale:
            sys.stdout.write(f"{'stale' if args.check else 'wrote'} {args.out / name}\n")
        return EXIT_FAIL if (args.check and stale) else EXIT_OK
    if args.scp_command == "deploy":
        from agentgov.audit.aws_dependency import missing_boto3

        missing = missing_boto3("agentgov scp deploy")
        if missing:
            _err(missing)
            return EXIT_USAGE
        from agentgov.scps.deploy import deploy

        try:
            actions = deploy(b.documents, args.target, dry_run=args.dry_run)
        except Exception as exc:  # botocore errors: a clear line, not a traceback
            _err(f"deploy to {args.target} failed: {type(exc).__name__}: {exc}")
            return EXIT_FAIL
        for a in actions:
            sys.stdout.write(f"{'(dry run) ' if args.dry_run else ''}{a}\n")
        return EXIT_OK
    return EXIT_USAGE
