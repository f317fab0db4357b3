"""What ``scan``, ``audit`` and ``merge`` share at the end of a run: writing the outputs, the exit code."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any, Callable, Iterable

from .findings import Status

EXIT_OK, EXIT_FAIL, EXIT_USAGE, EXIT_COVERAGE = 0, 1, 2, 3


def write_outputs(formats: list[str], outputs: list[Path], produce: Callable[[str, bool], str], err: Callable[[str], None]) -> bool:
    """Each format to its ``--output`` at the same position (the last one may go to stdout); False if a file cannot be written."""
    for i, fmt in enumerate(formats):
        out = outputs[i] if i < len(outputs) else None
        text = produce(fmt, out is None)
        if out is None:
            sys.stdout.write(text)
            continue
        try:
            out.parent.mkdir(parents=True, exist_ok=True)
            out.write_text(text, encoding="utf-8")
        except OSError as exc:
            err(f"cannot write {out}: {exc.strerror or exc}")
            return False
    return True


def exit_code(findings: Iterable[Any], threshold: Any, fail_on_unknown: bool, unknown_never_fails: frozenset[str] = frozenset()) -> int:
    """1 when a FAIL (or, with ``fail_on_unknown``, an UNKNOWN of a policy not in ``unknown_never_fails``) at or above
    ``threshold`` is not already in the baseline; else 3 when something could not be assessed (ERROR); else 0."""
    findings = list(findings)
    failed = any(
        f.severity.rank >= threshold.rank
        and (f.status == Status.FAIL or (fail_on_unknown and f.status == Status.UNKNOWN and f.policy_id not in unknown_never_fails))
        and f.baseline_state != "unchanged"  # against a baseline, only new findings fail the run
        for f in findings
    )
    if failed:
        return EXIT_FAIL
    if any(f.status == Status.ERROR for f in findings):
        return EXIT_COVERAGE
    return EXIT_OK
