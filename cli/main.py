"""The ``agentgov`` command: the parser of every sub-command, and the dispatch to the one asked for.

Each sub-command is one module of this package (``NAME``, ``add_parser(sub)``, ``run(args)``); the options several
share are declared once in ``options``. Only the module of the sub-command asked for is imported (its options are
added to the parser, its ``run`` runs it); the others are listed by ``COMMANDS`` with their help line, which is all
``agentgov --help`` shows. ``agentgov scan`` therefore never loads the audit, drift, checkov-pack, SCP, Config rule or
demo modules, nor boto3 (tests/test_scan_imports.py), and ``run`` imports what its command needs.
"""

from __future__ import annotations

import argparse
import gc
import importlib
import os
import sys
from types import ModuleType

from agentgov.cli.common import EXIT_USAGE, Parser, err
from agentgov.scanner import __version__

#: every sub-command, in the order ``agentgov --help`` lists them: (name, module under agentgov.cli, one-line help).
#: The module is imported only when its command is the one asked for (tests/test_cli_help.py checks that each
#: module's own help is the one written here).
COMMANDS: tuple[tuple[str, str, str], ...] = (
    ("scan", "scan", "scan CloudFormation, SAM, CDK output and Terraform (HCL or plan JSON)"),
    (
        "inventory",
        "inventory",
        "the agent inventory of IaC (JSON or CSV): agents, aliases, model, role, guardrail, tools, blast radius",
    ),
    ("scp", "scp", "compile the preventive side of the pack into Service Control Policies"),
    ("config-rules", "config_rules", "compile the detective side of the pack into an AWS Config conformance pack"),
    ("evidence", "evidence", "signed, hash-chained evidence bundles: build, publish to S3 Object Lock, verify"),
    ("config", "config", "show the effective configuration"),
    ("policies", "policies", "list, show, test or scaffold policies (the built-in pack and user packs)"),
    ("schema", "schema", "print a generated JSON Schema (report, policy, user-policy, config, agentgov-toml, waivers, drift)"),
    ("audit", "audit", "audit the live estate of an AWS Organization (every account and region) with the same policies"),
    ("merge", "merge", "join the JSON reports of audit shards (--shard i/n) into one report"),
    ("drift", "drift", "IaC against a live audit: unmanaged live agents, IaC agents not deployed, verdicts that differ"),
    ("checkov-dir", "checkov_dir", "write checkov checks that run the pack's single-resource policies; print the directory"),
    (
        "docs",
        "docs",
        "maintainers: regenerate docs/ (policy reference, policy language, JSON Schemas; agentgov docs --out docs, "
        "in the repository); with --policies: the team's own reference",
    ),
)
_MODULES = {name: module for name, module, _ in COMMANDS}

#: what ``agentgov --help`` shows under "examples:" (tests/test_cli_help.py parses each command line)
EXAMPLES: tuple[tuple[str, str], ...] = (
    ("agentgov scan infra/ --format sarif --output agentgov.sarif", "scan IaC; a SARIF report for code scanning"),
    (
        "agentgov audit --org --role-name AgentgovAudit --regions us-east-1 eu-west-1",
        "the same policies on every account of an AWS Organization",
    ),
    ("agentgov drift --iac infra/ --live audit.json", "what the IaC declares against what the audit found deployed"),
)


def _epilog() -> str:
    lines = ["examples:"]
    for line, what in EXAMPLES:
        lines += [f"  {line}", f"      {what}"]
    lines += ["", "'agentgov COMMAND --help' lists the options of a command, with their defaults."]
    return "\n".join(lines)


def command_module(name: str) -> ModuleType:
    """The module of sub-command ``name`` (imported now if it was not)."""
    return importlib.import_module(f"agentgov.cli.{_MODULES[name]}")


def chosen_command(argv: list[str]) -> str | None:
    """The sub-command ``argv`` asks for: its first word that is not an option (the top level has no option that takes
    a value), when it names one."""
    for word in argv:
        if not word.startswith("-"):
            return word if word in _MODULES else None
    return None


def parser_for(argv: list[str]) -> argparse.ArgumentParser:
    """The parser of ``argv``: the sub-command it asks for gets its options from its module and is the only one the parser
    knows (one start imports one command module); with none asked for, every sub-command gets its name and help line."""
    return _build(chosen_command(argv))


def _parser() -> argparse.ArgumentParser:
    """The parser with every sub-command's options (it imports every command module: tests and documentation)."""
    return _build(None, full=True)


full_parser = _parser


def _build(chosen: str | None, full: bool = False) -> argparse.ArgumentParser:
    p = Parser(
        prog="agentgov",
        description="Policy-as-code governance scanner for agentic AI on AWS.",
        epilog=_epilog(),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("--version", action="version", version=f"agentgov {__version__}")
    sub = p.add_subparsers(dest="command", metavar="COMMAND", parser_class=Parser)
    for name, _, summary in COMMANDS:
        if full or name == chosen:
            command_module(name).add_parser(sub)
        elif chosen is None:  # a command asked for needs no other: each parser costs argparse's set-up (start-up time)
            sub.add_parser(name, help=summary)
    return p


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    parser = parser_for(argv)
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help(sys.stderr)
        return EXIT_USAGE
    try:
        return command_module(args.command).run(args)
    except BrokenPipeError:  # the reader went away (| head): before `except Exception`, which would re-raise it
        _quiet_stdout()
        return EXIT_BROKEN_PIPE
    except Exception as exc:
        # a user's mistake (a policy file, agentgov.toml, ...): its exception class says so with a
        # ``usage_prefix`` (ConfigError, PackError); one line naming the file and the reason, exit 2
        prefix = getattr(type(exc), "usage_prefix", None)
        if prefix is None:
            raise
        err(f"{prefix}: {exc}")
        return EXIT_USAGE
    except KeyboardInterrupt:
        err("interrupted")
        return 130


def entry() -> int:
    """The process's entry point (the ``agentgov`` script, ``python -m agentgov.cli``): ``main``, then an exit that
    does not walk the heap again.

    At exit the interpreter runs several full garbage collections while it clears the modules: 15 ms of a
    one-template scan's 120, 1.4 s after a demo audit (a demo Organization, botocore's service models, moto's
    backends: hundreds of thousands of objects). Everything is written and closed by then, so the remaining objects
    are moved out of the collector's reach (``gc.freeze``) and freed by reference counting alone (atexit handlers
    still run); whatever is left in reference cycles goes with the process. Tests call ``main``, which keeps the
    collector as it is."""
    rc = main()
    gc.freeze()
    return rc


EXIT_BROKEN_PIPE = 141  # 128 + SIGPIPE, what a shell reports for a command whose reader went away


def _quiet_stdout() -> None:
    """Point stdout at /dev/null: the interpreter's last flush must not raise BrokenPipeError again."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(entry())
