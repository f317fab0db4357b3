"""Keep Python's cyclic garbage collector off the data a scan builds and keeps.

A scan builds its inventory, raw resources and findings in one process: a
few hundred thousand containers that live until the scan ends. The cyclic
collector runs a full collection whenever the objects that survived into its
oldest generation grew by a quarter, and each one traverses all of them
again: on the whole shared corpus that was 13 full collections and about a
quarter of the CPU time, finding almost nothing (the sources build no
reference cycles: tests/test_scan_memory.py checks it).

Inside :func:`long_lived` the objects alive at each :func:`settle` point (after
a template, a Terraform root module, a policy) are moved out of the
collector's sight with ``gc.freeze()``; they are still freed by reference
counting when the scan drops them, and ``gc.unfreeze()`` at the end hands
everything back to the collector. Only garbage that is part of a reference
cycle created inside the block waits until then, which is why cycles are
kept out of the scanner's data.

A process that froze objects itself (``gc.get_freeze_count()`` not 0) or
turned the collector off keeps its own arrangement: nothing is done.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

_lock = threading.Lock()
_owner: int | None = None  # the thread whose scan froze the heap


@contextmanager
def long_lived() -> Iterator[None]:
    global _owner
    with _lock:
        mine = _owner is None and gc.isenabled() and gc.get_freeze_count() == 0
        if mine:
            _owner = threading.get_ident()
            gc.freeze()
    try:
        yield
    finally:
        if mine:
            with _lock:
                _owner = None
                gc.unfreeze()


@contextmanager
def paused() -> Iterator[None]:
    """No cyclic collection while a block builds objects known to be acyclic (unpickling a worker's results):
    the collections it would trigger traverse them for nothing. Reference counting still frees."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


def settle() -> None:
    """Everything alive now stays alive for the rest of the scan, or is freed by reference counting."""
    if _owner is not None and _owner == threading.get_ident():
        gc.freeze()
