"""The ``agentgov`` command: the parser of every sub-command, and the dispatch to the one asked for.

Each sub-command is one module of this package (``NAME``, ``add_parser(sub)``, ``run(args)``); the options several
share are declared once in ``options``. A command module imports only the standard library and this package at
import: building the parser loads none of what the commands use (``agentgov scan`` never loads the audit, drift,
checkov-pack or demo modules, nor boto3: tests/test_scan_imports.py), and ``run`` imports what its command needs.
"""

from __future__ import annotations

import argparse
import os
import sys
from types import ModuleType

from agentgov.cli import (
    audit,
    checkov_dir,
    config,
    config_rules,
    docs,
    drift,
    evidence,
    inventory,
    merge,
    policies,
    scan,
    schema,
    scp,
)
from agentgov.cli.common import EXIT_USAGE, Parser, err
from agentgov.scanner import __version__

#: the sub-commands, in the order ``agentgov --help`` lists them
COMMANDS: tuple[ModuleType, ...] = (
    scan,
    inventory,
    scp,
    config_rules,
    evidence,
    config,
    policies,
    schema,
    audit,
    merge,
    drift,
    checkov_dir,
    docs,
)
_BY_NAME = {m.NAME: m for m in COMMANDS}


def _parser() -> argparse.ArgumentParser:
    p = Parser(prog="agentgov", description="Policy-as-code governance scanner for agentic AI on AWS.")
    p.add_argument("--version", action="version", version=f"agentgov {__version__}")
    sub = p.add_subparsers(dest="command", metavar="COMMAND", parser_class=Parser)
    for command in COMMANDS:
        command.add_parser(sub)
    return p


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.command is None:
        _parser().print_help(sys.stderr)
        return EXIT_USAGE
    try:
        return _BY_NAME[args.command].run(args)
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
