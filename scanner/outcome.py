"""What ``scan``, ``audit`` and ``merge`` share at the end of a run: writing the outputs, the exit code."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from .findings import Status
from .safe_write import output_conflict, write_text

EXIT_OK, EXIT_FAIL, EXIT_USAGE, EXIT_COVERAGE = 0, 1, 2, 3


def write_outputs(
    formats: list[str], outputs: list[Path], produce: Callable[[str, bool], str | Iterable[str]], err: Callable[[str], None]
) -> bool:
    """Each format to its ``--output`` at the same position (the last one may go to stdout); False if a file cannot be written.

    ``produce`` gives the text, or its pieces (written as they come: a large audit's report is never whole in memory)."""
    for i, fmt in enumerate(formats):
        out = outputs[i] if i < len(outputs) else None
        text = produce(fmt, out is None)
        pieces = [text] if isinstance(text, str) else text
        if out is None:
            for piece in pieces:
                sys.stdout.write(piece)
            continue
        try:
            out.parent.mkdir(parents=True, exist_ok=True)
            write_text(out, pieces)  # whole or not at all: a temporary file beside it, renamed when complete
        except OSError as exc:
            err(f"cannot write {out}: {exc.strerror or exc}")
            return False
    return True


def check_outputs(outputs: list[Path], inputs: Iterable[Path | None], err: Callable[[str], None]) -> bool:
    """False (said in one line) when an ``--output`` is also an input or two formats share one path."""
    problem = output_conflict(outputs, inputs)
    if problem is not None:
        err(problem)
        return False
    return True


def exit_code(
    findings: Iterable[Any], threshold: Any, fail_on_unknown: bool, unknown_never_fails: frozenset[str] = frozenset()
) -> int:
    """1 when a FAIL (or, with ``fail_on_unknown``, an UNKNOWN of a policy not in ``unknown_never_fails``) at or above
    ``threshold`` is not already in the baseline; else 3 when something could not be assessed (ERROR); else 0."""
    errors = False
    for f in findings:  # one pass: an audit's findings are read back from disk
        if (
            f.severity.rank >= threshold.rank
            and (
                f.status == Status.FAIL
                or (fail_on_unknown and f.status == Status.UNKNOWN and f.policy_id not in unknown_never_fails)
            )
            and f.baseline_state != "unchanged"  # against a baseline, only new findings fail the run
        ):
            return EXIT_FAIL
        errors = errors or f.status == Status.ERROR
    return EXIT_COVERAGE if errors else EXIT_OK
