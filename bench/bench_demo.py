"""``agentgov audit --demo``: wall time, CPU time and peak RSS, start to exit (issue 16: <= 5 s and <= 250 MB idle).

Run by hand: ``python bench/bench_demo.py [--runs 5] [--workers 8 2] [--compare REV]``. Nothing here is a test:
speed is never asserted. It prints a markdown table; bench/RESULTS.md is written by hand from it.

Each row is ``agentgov audit --demo --format json --output bench/out/demo-<row>.json`` (the console script of this
interpreter), run ``--runs`` times after one warm-up run, the rows interleaved round-robin so that a change of the
machine's load touches each of them alike. Wall time is taken around the subprocess's start and exit; CPU time
(user + system) and peak RSS (``ru_maxrss``) come from ``os.wait4``. ``--workers`` adds a row per value (the audit's
``--workers``; the first row is the default). ``--compare REV`` adds the same command of another commit, side by
side: both trees are started with ``python -S`` and a directory whose ``agentgov/`` links to the tree's packages (as
``bench_startup.py --compare`` does), each through its own process entry (``cli.main.entry`` where the tree has it,
else ``main``). The load average before and after is printed: the machine may be shared.
"""

from __future__ import annotations

import argparse
import os
import site
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_startup import OUT, ROOT, archive, environment, linked_tree, print_header  # noqa: E402

AGENTGOV = Path(sys.executable).parent / "agentgov"
WALL_TARGET = 5.0
RSS_TARGET_MB = 250

LAUNCH = (
    "import sys; sys.path[:0] = [sys.argv.pop(1)]; sys.path += sys.argv.pop(1).split(':'); "
    "import agentgov.cli.main as m; raise SystemExit(getattr(m, 'entry', m.main)())"
)


def demo_args(name: str, workers: int | None = None) -> list[str]:
    out = OUT / f"demo-{name}.json"
    extra = ["--workers", str(workers)] if workers is not None else []
    return ["audit", "--demo", *extra, "--format", "json", "--output", str(out)]


def rows(workers: list[int], compare: str | None) -> dict[str, list[str]]:
    cmds = {"audit --demo": [str(AGENTGOV), *demo_args("default")]}
    for w in workers:
        cmds[f"audit --demo --workers {w}"] = [str(AGENTGOV), *demo_args(f"w{w}", w)]
    if compare:
        paths = ":".join(site.getsitepackages())
        old = linked_tree(archive(compare), OUT / f"startup-links-{compare.replace('/', '_')}")
        new = linked_tree(ROOT, OUT / "startup-links-this")
        cmds["audit --demo, this checkout, -S"] = [sys.executable, "-S", "-c", LAUNCH, str(new), paths, *demo_args("this")]
        cmds[f"audit --demo, {compare}, -S"] = [sys.executable, "-S", "-c", LAUNCH, str(old), paths, *demo_args("old")]
    return cmds


def run_once(argv: list[str], env: dict[str, str]) -> tuple[float, float, float, int]:
    """(wall s, CPU s, peak RSS MB, exit code) of one run; output discarded."""
    start = time.perf_counter()
    proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env, cwd=OUT)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)  # already reaped: Popen must not wait again
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, proc.returncode


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=5, help="measured runs per row (default 5)")
    ap.add_argument("--workers", type=int, nargs="*", default=[], help="also a row per --workers value")
    ap.add_argument("--compare", metavar="REV", help="also the demo of commit REV, side by side (default: none)")
    args = ap.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    env = environment()
    cmds = rows(args.workers, args.compare)
    for argv in cmds.values():  # warm-up: bytecode caches written
        run_once(argv, env)
    load_before = os.getloadavg()
    results: dict[str, list[tuple[float, float, float, int]]] = {name: [] for name in cmds}
    for _ in range(args.runs):
        for name, argv in cmds.items():
            results[name].append(run_once(argv, env))
    print_header(load_before, os.getloadavg(), f"{args.runs} runs per row")
    print("| command | wall median | wall min | wall max | CPU median | peak RSS median | exit |")
    print("| --- | --- | --- | --- | --- | --- | --- |")
    for name, runs in results.items():
        walls, cpus, rss = [r[0] for r in runs], [r[1] for r in runs], [r[2] for r in runs]
        rcs = ",".join(str(x) for x in sorted({r[3] for r in runs}))
        print(
            f"| {name} | {statistics.median(walls):.2f} s | {min(walls):.2f} s | {max(walls):.2f} s | "
            f"{statistics.median(cpus):.2f} s | {statistics.median(rss):.0f} MB | {rcs} |"
        )
    demo = results["audit --demo"]
    wall, rss = statistics.median(r[0] for r in demo), statistics.median(r[2] for r in demo)
    met = wall <= WALL_TARGET and rss <= RSS_TARGET_MB
    print(f"\naudit --demo median {wall:.2f} s, {rss:.0f} MB; target <= {WALL_TARGET:.0f} s and <= {RSS_TARGET_MB} MB: ", end="")
    print("met" if met else "NOT met")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
