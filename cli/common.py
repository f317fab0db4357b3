"""What every ``agentgov`` command shares: exit codes, the parser class, the error line, the pack.

Standard library only at import (the parser of every command is built on each start).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from agentgov.scanner.outcome import EXIT_COVERAGE, EXIT_FAIL, EXIT_OK, EXIT_USAGE

if TYPE_CHECKING:
    from agentgov.policies.registry import Pack

__all__ = ["EXIT_COVERAGE", "EXIT_FAIL", "EXIT_OK", "EXIT_USAGE", "EPILOG", "Parser", "err", "load_pack", "outputs_error"]

EPILOG = """exit codes:
  0  nothing at or above the severity threshold failed
  1  findings at or above the threshold failed
  2  usage or configuration error
  3  the run could not assess everything it was asked to (ERROR findings), and nothing failed
"""


class Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]  # exit 2 with a one-line reason, as argparse does
        self.print_usage(sys.stderr)
        self.exit(EXIT_USAGE, f"agentgov: error: {message}\n")


def err(msg: str) -> None:
    sys.stderr.write(f"agentgov: {msg}\n")


def outputs_error(formats: list[str], outputs: list[Path]) -> str | None:
    """Why the ``--format`` / ``--output`` pairs cannot be written (each output is for the format at its position; at
    most one format goes to stdout); None when they can."""
    if len(outputs) > len(formats):
        return "more --output than --format options"
    if len(formats) - len(outputs) > 1:
        return "several formats would go to stdout: give each --format its own --output"
    return None


def load_pack(args: argparse.Namespace | None = None) -> Pack:
    """The pack the command runs: built-in, the user packs (``policy_paths`` of the configuration, ``--policies``) and
    the configuration's overrides. A user policy that cannot be loaded is named here (one line each) and left out; the
    command goes on with the rest and ends with exit 2 (``finish``). A PackError / ConfigError is the user's: main()
    says so, exit 2."""
    from agentgov.scanner.pack import load_effective

    pack = load_effective(getattr(args, "config", None), getattr(args, "policies", None) or [])
    for line in pack.not_loaded:
        err(f"policy pack error: {line}")
    return pack


def finish(rc: int, pack: Pack) -> int:
    """The exit code: 2 when a user policy could not be loaded (the run went on without it and said so), else ``rc``."""
    return EXIT_USAGE if pack.not_loaded else rc
