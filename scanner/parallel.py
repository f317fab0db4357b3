"""Loading a scan's files in worker processes (``agentgov scan --jobs N``).

The work that depends on one file or one Terraform root module only (reading,
parsing, resolving a template's intrinsics, evaluating a root module and the
local modules it calls, normalizing the resources) runs in a process pool;
the parent joins the results in the order a single process would have
produced them, builds the inventory's edges across files and judges the
policies. So the findings are the same, byte for byte, whatever the number
of processes.

A worker sends its result back as one pickled blob of plain model objects
(``Resource``, ``Location``, ``ParseError``: see ``model._pickled_by_fields``),
never the parse trees, scopes or templates it built. The parent unpickles it
with the cyclic collector paused (the objects are new and acyclic: the
collector would only traverse them again and again while they arrive).

Small scans stay in the process: starting workers costs more than it saves
below :data:`FANOUT_BYTES` of input (measured in bench/RESULTS.md). Workers
are forked where the platform allows it (Linux), else spawned; a unit that
fails in a worker (a broken pool, a result that cannot be pickled) is loaded
again in the parent, so a pool problem never loses a file.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:
    from concurrent.futures import Future, ProcessPoolExecutor

from . import heap

#: input size (bytes of the CloudFormation and Terraform files) from which a scan fans out
FANOUT_BYTES = 1_500_000

A = TypeVar("A")
B = TypeVar("B")


def default_jobs() -> int:
    return os.cpu_count() or 1


def _in_worker(fn: Callable[..., Any], args: tuple[Any, ...]) -> bytes:
    """One unit in a worker, with the cyclic collector paused while it loads and pickles (the sources build no reference
    cycles: tests/test_scan_memory.py; the collector's passes over the unit's objects were 0.49 s of the workers' CPU
    on the whole corpus). What the unit leaves alive (the parse cache's files, the IAM data's caches) is then frozen,
    out of the collector's sight: a young-generation pass over it after each unit was 0.27 s of the workers' CPU on the
    corpus, and it is freed by reference counting when the cache lets it go. A worker lives for one scan."""
    import gc
    import pickle

    with heap.paused():
        blob = pickle.dumps(fn(*args), protocol=pickle.HIGHEST_PROTOCOL)
        gc.freeze()
    return blob


class _Done:
    __slots__ = ("value",)

    def __init__(self, value: Any) -> None:
        self.value = value


class Loader:
    """Runs load units in a pool (``jobs`` > 1 and ``work_bytes`` at least :data:`FANOUT_BYTES`) or in-process."""

    def __init__(self, jobs: int, work_bytes: int, units: int) -> None:
        self.pool: ProcessPoolExecutor | None = None
        workers = min(jobs, units)
        if workers > 1 and work_bytes >= FANOUT_BYTES:  # only then: a small scan imports no pool machinery
            import multiprocessing
            from concurrent.futures import ProcessPoolExecutor

            method = "fork" if sys.platform == "linux" else "spawn"
            self.pool = ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context(method))

    def __enter__(self) -> Loader:
        return self

    def __exit__(self, *exc: object) -> None:
        if self.pool is not None:
            self.pool.shutdown(wait=True, cancel_futures=True)

    @property
    def parallel(self) -> bool:
        return self.pool is not None

    def submit(self, fn: Callable[..., Any], *args: Any) -> tuple[Callable[..., Any], tuple[Any, ...], Future[bytes] | _Done]:
        if self.pool is None:
            return fn, args, _Done(fn(*args))
        try:
            return fn, args, self.pool.submit(_in_worker, fn, args)
        except RuntimeError:  # the pool broke: load in the parent
            return fn, args, _Done(fn(*args))

    def result(self, handle: tuple[Callable[..., Any], tuple[Any, ...], Future[bytes] | _Done]) -> Any:
        fn, args, pending = handle
        if isinstance(pending, _Done):
            return pending.value
        try:
            blob = pending.result()
        except Exception:  # a worker died or the result could not be pickled: the parent loads the unit itself
            return fn(*args)
        import pickle  # only with a pool (start-up time)

        with heap.paused():
            value = pickle.loads(blob)
        heap.settle()
        return value


def in_fork(mine: Callable[[], A], theirs: Callable[[], B]) -> tuple[A, B]:
    """``(mine(), theirs())``, with ``theirs`` run in a forked child while ``mine`` runs here (the policy evaluation of a
    large scan: the child sees the parent's inventory without it being copied or pickled, and sends its result back
    pickled). Where there is no fork (not Linux), or when the child cannot start, dies or cannot pickle its result,
    ``theirs`` runs here after ``mine``: the result is the same, only slower."""
    if sys.platform != "linux":
        return mine(), theirs()
    import multiprocessing
    import pickle

    ctx = multiprocessing.get_context("fork")
    receive, send = ctx.Pipe(duplex=False)
    child = ctx.Process(target=_forked, args=(send, theirs), daemon=True)
    try:
        child.start()
    except OSError:
        return mine(), theirs()
    send.close()
    try:
        a = mine()
    except BaseException:
        child.kill()
        raise
    b: Any = _FAILED
    try:
        blob = receive.recv_bytes()
        with heap.paused():
            b = pickle.loads(blob)
    except (EOFError, OSError, pickle.UnpicklingError):
        pass
    finally:
        receive.close()
        child.join()
    if b is _FAILED or child.exitcode != 0:
        b = theirs()
    heap.settle()
    return a, b


_FAILED = object()


def shared(n: int, work: Callable[[int], A]) -> list[A]:
    """``[work(0), ..., work(n - 1)]``, the items taken one at a time from a shared counter by this process and a forked
    child, so that the two finish together whatever each item costs (a fixed half left the parent waiting for the child
    0.18 s of a 0.49 s evaluation: the child's first touch of each page of the parent's memory is a copy). Where there
    is no fork, or the child cannot start, dies or cannot pickle its results, the items it took are done here: the
    result is the same, only slower."""
    if n < 2 or sys.platform != "linux":
        return [work(i) for i in range(n)]
    import multiprocessing

    counter = multiprocessing.get_context("fork").Value("i", 0)  # (with its lock, shared across the fork)

    def take() -> int:
        with counter.get_lock():
            i = int(counter.value)
            counter.value = i + 1
        return i

    def drain() -> dict[int, A]:
        done: dict[int, A] = {}
        while (i := take()) < n:
            done[i] = work(i)
        return done

    here, there = in_fork(drain, drain)
    got = {**there, **here}
    for i in range(n):
        if i not in got:  # taken by a child that did not send its results
            got[i] = work(i)
    return [got[i] for i in range(n)]


def _forked(send: Any, fn: Callable[[], Any]) -> None:
    import pickle

    try:
        blob = pickle.dumps(fn(), protocol=pickle.HIGHEST_PROTOCOL)
    except BaseException:  # the parent runs ``fn`` itself
        send.close()
        os._exit(1)
    send.send_bytes(blob)
    send.close()
