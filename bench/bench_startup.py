"""Start-up of ``agentgov``: one small template, start to exit (the pre-commit case), against the interpreter floor.

Run by hand: ``python bench/bench_startup.py [--runs 21] [--importtime]``. Nothing here is a test: speed is never
asserted. It prints a markdown table; bench/RESULTS.md is written by hand from it.

Every command runs ``--runs`` times (after 2 warm-up runs each), the commands interleaved round-robin so that a change
of the machine's load touches each of them alike. Each run is a subprocess whose wall time is taken around its start
and exit and whose CPU time (user + system) comes from ``os.wait4``. The commands:

- ``floor``: ``python -c pass`` with the same interpreter and site-packages (the editable install's finder included):
  what no agentgov change can remove;
- ``--version``: the console script, the parser's module and nothing else;
- ``scan`` (text, the default output a pre-commit hook prints) and ``scan --format json`` of
  ``examples/cloudformation/orders-agent.yaml`` with the policy pack cache warm (``AGENTGOV_CACHE_DIR`` points at
  ``bench/out/startup-cache``; the first warm-up run fills it).

``--compare REV`` adds the same text scan of another commit, side by side in the same run (what a loaded, shared
machine needs for a before/after): ``git archive REV`` is unpacked under ``bench/out/``, and both that tree and this
checkout are started the same way, by ``python -S`` with a directory whose ``agentgov/`` links to the tree's package
folders first on ``sys.path`` and the environment's site-packages after it (``-S``: no ``.pth`` files, so the editable
install's finder cannot send the other tree's imports to this checkout; both rows pay the same, smaller, floor:
``floor -S``).

As on a user's machine, bytecode caches are used (``PYTHONDONTWRITEBYTECODE`` is removed from the environment: a
session that sets it would recompile agentgov's modules on every start). The load average before and after is
printed: the machine may be shared.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import os
import platform
import site
import statistics
import subprocess
import sys
import tarfile
import time
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "bench" / "out"
CACHE = OUT / "startup-cache"
SMALL = ROOT / "examples" / "cloudformation" / "orders-agent.yaml"
# the real console script of this interpreter (not a pyenv shim, which adds a bash + pyenv start)
AGENTGOV = Path(sys.executable).parent / "agentgov"
TARGET = 0.10


def commands() -> dict[str, list[str]]:
    return {
        "floor (python -c pass)": [sys.executable, "-c", "pass"],
        "agentgov --version": [str(AGENTGOV), "--version"],
        "agentgov scan (text)": [str(AGENTGOV), "scan", str(SMALL)],
        "agentgov scan --format json": [str(AGENTGOV), "scan", str(SMALL), "--format", "json"],
    }


LAUNCH = (
    "import sys; sys.path[:0] = [sys.argv.pop(1)]; sys.path += sys.argv.pop(1).split(':'); "
    "import agentgov.cli.main as m; raise SystemExit(getattr(m, 'entry', m.main)())"
)


def linked_tree(tree: Path, where: Path) -> Path:
    """``where/agentgov/<package>`` -> ``tree/<folder>`` for every package folder pyproject.toml maps; ``where``."""
    mapping = tomllib.loads((tree / "pyproject.toml").read_text())["tool"]["setuptools"]["package-dir"]
    pkg = where / "agentgov"
    pkg.mkdir(parents=True, exist_ok=True)
    for name, folder in mapping.items():
        link = pkg / name.split(".", 1)[1]
        if not link.exists():
            link.symlink_to((tree / folder).resolve())
    return where


def archive(rev: str) -> Path:
    """``git archive rev`` unpacked under bench/out (once); the tree's path."""
    sha = subprocess.run(["git", "rev-parse", rev], cwd=ROOT, capture_output=True, text=True, check=True).stdout.strip()
    tree = OUT / f"startup-tree-{sha[:12]}"
    if not (tree / "pyproject.toml").exists():
        data = subprocess.run(["git", "archive", "--format=tar", sha], cwd=ROOT, capture_output=True, check=True).stdout
        with tarfile.open(fileobj=io.BytesIO(data)) as tf:
            tf.extractall(tree, filter="data")
    return tree


def side_by_side(rev: str) -> dict[str, list[str]]:
    """The text scan of this checkout and of ``rev``, both started with ``python -S`` (see the module docstring)."""
    paths = ":".join(site.getsitepackages())
    old = linked_tree(archive(rev), OUT / f"startup-links-{rev.replace('/', '_')}")
    new = linked_tree(ROOT, OUT / "startup-links-this")
    return {
        "floor -S (python -S -c pass)": [sys.executable, "-S", "-c", "pass"],
        "scan (text), this checkout, -S": [sys.executable, "-S", "-c", LAUNCH, str(new), paths, "scan", str(SMALL)],
        f"scan (text), {rev}, -S": [sys.executable, "-S", "-c", LAUNCH, str(old), paths, "scan", str(SMALL)],
    }


def environment() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env.update(AGENTGOV_CACHE_DIR=str(CACHE), NO_COLOR="1")
    return env


def print_header(load_before: tuple[float, ...], load_after: tuple[float, ...], runs: str) -> None:
    """The machine, the date and the load average before and after, above a benchmark's table."""
    now = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    print(f"{now}; {platform.processor() or platform.machine()}, nproc {os.cpu_count()}, Python {platform.python_version()}")
    print(f"load average (1, 5, 15 min) before {load_before[0]:.2f} {load_before[1]:.2f} {load_before[2]:.2f}, ", end="")
    print(f"after {load_after[0]:.2f} {load_after[1]:.2f} {load_after[2]:.2f}; {runs}\n")


def run_once(argv: list[str], env: dict[str, str]) -> tuple[float, float, int]:
    """(wall s, CPU s, exit code) of one run; output discarded."""
    start = time.perf_counter()
    proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env, cwd=OUT)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)  # already reaped: Popen must not wait again
    return wall, usage.ru_utime + usage.ru_stime, proc.returncode


def importtime(argv: list[str], env: dict[str, str], top: int) -> list[tuple[int, str]]:
    """The ``top`` first-level imports by cumulative time (us) of one run of ``argv`` (a console script)."""
    proc = subprocess.run([sys.executable, "-X", "importtime", *argv], capture_output=True, text=True, env=env, cwd=OUT)
    rows = []
    for line in proc.stderr.splitlines():
        if not line.startswith("import time:") or "self [us]" in line:
            continue
        _, cum, mod = line[len("import time:") :].split("|", 2)
        if not mod.startswith("  "):  # " name": imported by the script itself, not by another module
            rows.append((int(cum), mod.strip()))
    return sorted(rows, reverse=True)[:top]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=21, help="measured runs per command (default 21)")
    ap.add_argument("--importtime", action="store_true", help="also list the top imports of the text scan")
    ap.add_argument("--compare", metavar="REV", help="also the text scan of commit REV, side by side (default: none)")
    args = ap.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    env = environment()
    cmds = commands()
    if args.compare:
        cmds.update(side_by_side(args.compare))
    load_before = os.getloadavg()
    for argv in cmds.values():  # warm-up: bytecode caches written, the pack cache filled
        for _ in range(2):
            run_once(argv, env)
    walls: dict[str, list[float]] = {name: [] for name in cmds}
    cpus: dict[str, list[float]] = {name: [] for name in cmds}
    codes: dict[str, set[int]] = {name: set() for name in cmds}
    for _ in range(args.runs):
        for name, argv in cmds.items():
            wall, cpu, rc = run_once(argv, env)
            walls[name].append(wall)
            cpus[name].append(cpu)
            codes[name].add(rc)
    print_header(load_before, os.getloadavg(), f"{args.runs} runs per command")
    print("| command | wall median | wall min | wall max | CPU median | exit |")
    print("| --- | --- | --- | --- | --- | --- |")
    for name in cmds:
        w, c = walls[name], cpus[name]
        rcs = ",".join(str(x) for x in sorted(codes[name]))
        print(
            f"| {name} | {statistics.median(w):.3f} s | {min(w):.3f} s | {max(w):.3f} s | {statistics.median(c):.3f} s | {rcs} |"
        )
    scan = statistics.median(walls["agentgov scan (text)"])
    floor = statistics.median(walls["floor (python -c pass)"])
    print(f"\nscan (text) median {scan:.3f} s, {scan - floor:.3f} s above the floor; target <= {TARGET:.2f} s: ", end="")
    print("met" if scan <= TARGET else "NOT met")
    if args.importtime:
        print("\ntop imports of the text scan (cumulative, one run):\n")
        for us, mod in importtime(cmds["agentgov scan (text)"], env, 15):
            print(f"- {mod}: {us / 1000:.1f} ms")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
