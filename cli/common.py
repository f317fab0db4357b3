"""What every ``agentgov`` command shares: exit codes, the parser class, the error line, the pack.

Standard library only at import (the parser of every command is built on each start).
"""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

from agentgov.scanner.outcome import EXIT_COVERAGE, EXIT_FAIL, EXIT_OK, EXIT_USAGE

if TYPE_CHECKING:
    from agentgov.policies.registry import Pack

__all__ = ["EXIT_COVERAGE", "EXIT_FAIL", "EXIT_OK", "EXIT_USAGE", "EPILOG", "Parser", "err", "load_pack"]

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


def load_pack() -> Pack:
    from agentgov.scanner.pack import load_pack as _load

    return _load()  # a PackError is the user's (a policy file): main() says so, exit 2
