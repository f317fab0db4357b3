"""The audit's worker threads, and the signals that stop a run.

The workers are daemon threads that nothing joins: a call that hangs (an endpoint that stopped
answering; botocore retries an unanswered call for minutes) never holds up the end of the run,
Ctrl-C, or the interpreter's exit. Pending work is dropped when the run stops.

``stop_on_signals()`` turns SIGTERM and SIGHUP into :class:`Stopped` (a KeyboardInterrupt, as
SIGINT is) in the main thread for the ``with`` block: the audit then writes what it collected,
with the unfinished accounts as coverage gaps, and removes its spool.
"""

from __future__ import annotations

import contextlib
import queue
import signal
import threading
from collections.abc import Callable, Iterator
from typing import Any


class Stopped(KeyboardInterrupt):
    """The run was asked to stop by a signal (``str()`` names it)."""


def stop_reason(exc: BaseException) -> str:
    return str(exc) if isinstance(exc, Stopped) and str(exc) else "SIGINT (Ctrl-C)"


@contextlib.contextmanager
def stop_on_signals() -> Iterator[None]:
    """SIGTERM and SIGHUP raise :class:`Stopped` in the main thread within the block (elsewhere: nothing is changed)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous: dict[int, Any] = {}

    def handler(signum: int, _frame: Any) -> None:
        raise Stopped(signal.Signals(signum).name)

    for name in ("SIGTERM", "SIGHUP"):
        sig = getattr(signal, name, None)
        if sig is not None:
            previous[sig] = signal.signal(sig, handler)
    try:
        yield
    finally:
        for sig, old in previous.items():
            signal.signal(sig, old)


class DaemonPool:
    """``workers`` daemon threads running submitted calls in order; ``shutdown()`` drops what has not started."""

    def __init__(self, workers: int, name: str = "agentgov-audit") -> None:
        self._queue: queue.SimpleQueue[tuple[Callable[..., Any], tuple[Any, ...]] | None] = queue.SimpleQueue()
        self._stopped = threading.Event()
        self._threads = [threading.Thread(target=self._work, name=f"{name}-{i}", daemon=True) for i in range(max(1, workers))]
        for t in self._threads:
            t.start()

    def submit(self, fn: Callable[..., Any], *args: Any) -> None:
        if not self._stopped.is_set():
            self._queue.put((fn, args))

    def _work(self) -> None:
        while True:
            item = self._queue.get()
            if item is None or self._stopped.is_set():
                return
            fn, args = item
            fn(*args)  # the callers' functions handle their own errors

    def shutdown(self) -> None:
        """Drop the calls not started; the threads end after their current call (never waited for)."""
        self._stopped.set()
        for _ in self._threads:
            self._queue.put(None)
