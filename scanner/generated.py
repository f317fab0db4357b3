"""Generated artifacts (docs, SCP baseline, conformance pack): write them, or tell which are stale.

One function for every ``agentgov ... --check`` and for the tests that fail when a
checked-in copy differs from what the code generates.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path


def write_generated(files: dict[str, str], out: Path, check: bool = False, obsolete: Iterable[Path] = ()) -> list[str]:
    """Write ``files`` (relative path -> text) under ``out``, or with ``check`` only compare;
    return the relative paths that differ. ``obsolete``: generated files no longer wanted
    (removed, or reported stale with ``check``)."""
    stale = []
    for rel, text in files.items():
        path = out / rel
        current = path.read_text(encoding="utf-8") if path.exists() else None
        if current != text:
            stale.append(rel)
            if not check:
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_text(text, encoding="utf-8")
    for old in obsolete:
        stale.append(old.name)
        if not check:
            old.unlink()
    return stale
