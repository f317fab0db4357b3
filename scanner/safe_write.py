"""Writing output files whole or not at all, and refusing outputs that would destroy an input.

Every report, baseline and evidence file goes to a temporary file beside its target and is
renamed over it only when it is complete: an interrupted or crashing run leaves the previous
file (or none), never a truncated one.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO, Any


@contextlib.contextmanager
def atomic_writer(path: Path, binary: bool = False, mode: int | None = None) -> Iterator[IO[Any]]:
    """A file object whose content replaces ``path`` when the block ends without an exception.

    The temporary file is removed when the block raises (KeyboardInterrupt included). ``mode``
    sets the permissions of the new file (default: those a plain ``open`` would give).
    """
    path = Path(path)
    parent = path.parent if str(path.parent) else Path(".")
    fd, tmp = tempfile.mkstemp(dir=parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        os.chmod(tmp, mode if mode is not None else _default_mode())
        fh: Any
        with os.fdopen(fd, "wb") if binary else os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
            yield fh
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def _default_mode() -> int:
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


def write_text(path: Path, text: str | Iterable[str]) -> None:
    """``text`` (or its pieces, written as they come) to ``path``, atomically."""
    with atomic_writer(path) as fh:
        for piece in [text] if isinstance(text, str) else text:
            fh.write(piece)


def write_bytes(path: Path, data: bytes, mode: int | None = None) -> None:
    with atomic_writer(path, binary=True, mode=mode) as fh:
        fh.write(data)


def same_path(a: Path, b: Path) -> bool:
    """True when ``a`` and ``b`` name the same file (links and relative forms resolved)."""
    try:
        if a.exists() and b.exists():
            return os.path.samefile(a, b)
        return a.resolve() == b.resolve()
    except (OSError, RuntimeError):
        return False


def output_conflict(outputs: Iterable[Path], inputs: Iterable[Path | None]) -> str | None:
    """Why these ``--output`` paths cannot be written (one line), or None.

    An output that is also an input would be destroyed by the run that reads it; two formats
    written to one path would leave only the last.
    """
    outs = [Path(o) for o in outputs]
    ins = [Path(i) for i in inputs if i is not None]
    for n, out in enumerate(outs):
        for other in outs[:n]:
            if same_path(out, other):
                return f"--output {out} is given for two formats; give each format its own file"
        if out.is_dir():
            return f"--output {out} is a directory"
        for i in ins:
            if same_path(out, i):
                return f"--output {out} is also an input of this run; write the output to another file"
    return None
