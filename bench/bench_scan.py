"""Speed and peak memory of ``agentgov scan``, side by side with checkov.

Run by hand: ``python bench/bench_scan.py [--quick]``. Nothing here is a test:
speed is never asserted. The script prints a markdown table; bench/RESULTS.md
is written by hand from it.

Every measured run is a subprocess under ``/usr/bin/time -f '%e %M'`` (wall
seconds, peak RSS in KB of the process tree's largest process), with stdout
and the report written under ``bench/out/`` (gitignored):

1. agentgov over the whole shared corpus, every file, no exclusions;
2. checkov 3.3.30 (its own venv, ``bench/.venv-checkov``, never a dependency
   of agentgov) over the corpus minus the files listed in
   ``bench/checkov_exclusions.txt`` (files that crash or hang checkov), copied
   to ``bench/out/checkov-subset/``; hard timeout, the process group is
   killed if it hangs;
3. agentgov over that same directory, so ``checkov_wall / agentgov_wall``
   compares like with like;
4. one small template, start to exit (the pre-commit case), 7 times each tool
   and output format (each tool's default output - agentgov text, checkov
   cli - and JSON): median and min wall; ``python -X importtime`` top modules
   when an agentgov median is over 0.3 s.

``--quick`` runs only 1 and 4 for agentgov.

Issue 16 additions: every run also records CPU time (user + system of the
process and the workers it waited for, from ``/usr/bin/time``); 2 and 3 are
repeated on ``agentic/`` of the subset (the Terraform-heavy part), and
agentgov's whole-corpus run is repeated with ``--jobs 1``. ``--steps REV...``
measures the whole corpus at each given commit of this repository
(``git archive`` into ``bench/out/steps/``, imported through ``PYTHONPATH``),
interleaved, 3 runs each, so the speed-up of each step is measured under the
same load. ``--profile`` prints the share of CPU of each phase of a
one-process whole-corpus scan (cProfile, cumulative time) and the parent /
worker CPU split of a ``--jobs 2`` scan. The load average before and after
each section is printed: the machine is shared.

agentgov's policy pack cache lives in ``AGENTGOV_CACHE_DIR``; the script points
it at ``bench/out/agentgov-cache`` and warms it before the big runs; for the
small template it empties the cache, measures one cold run (which fills it)
and says so, then measures the warm runs.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import signal
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "corpus"
BENCH = ROOT / "bench"
OUT = BENCH / "out"
VENV = BENCH / ".venv-checkov"
CHECKOV = VENV / "bin" / "checkov"
CHECKOV_VERSION = "3.3.30"
EXCLUSIONS = BENCH / "checkov_exclusions.txt"
SUBSET = OUT / "checkov-subset"
SMALL = ROOT / "examples" / "cloudformation" / "orders-agent.yaml"
# the real console script of this interpreter (not a pyenv shim, which adds a bash + pyenv start)
AGENTGOV = Path(sys.executable).parent / "agentgov"
CACHE = OUT / "agentgov-cache"
TIME = "/usr/bin/time"
CHECKOV_TIMEOUT = 2400  # the machine is shared: checkov took 10.9 min at load 2
REPS = 7
STARTUP_TARGET = 0.3


def log(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


def tree_pss_kb(pgid: int) -> int:
    """Sum of PSS (proportional set size: shared pages split between sharers) of the processes of a group."""
    total = 0
    for d in Path("/proc").iterdir():
        if not d.name.isdigit():
            continue
        try:
            stat = (d / "stat").read_text()
            if int(stat.rsplit(")", 1)[1].split()[2]) != pgid:  # field 5: pgrp
                continue
            for ln in (d / "smaps_rollup").read_text().splitlines():
                if ln.startswith("Pss:"):
                    total += int(ln.split()[1])
                    break
        except (OSError, ValueError, IndexError):
            continue
    return total


def measure(
    name: str, argv: list[str], *, env: dict[str, str] | None = None, timeout: float = 600, cwd: Path = OUT, sample: bool = False
) -> dict:
    """Run ``argv`` under /usr/bin/time; stdout to bench/out/NAME.stdout.

    ``%M`` is the peak RSS of the largest single process (getrusage of waited-for children), not the sum over
    a tool's worker processes; ``sample`` also records the peak of the process group's summed PSS, read from
    /proc every 0.5 s (checkov forks workers; agentgov is one process).
    """
    timefile = OUT / f"{name}.time"
    timefile.unlink(missing_ok=True)
    cmd = [TIME, "-f", "%e %M %U %S", "-o", str(timefile), *argv]
    # as on a user's machine, both tools run with bytecode caches (pip writes them at install;
    # a session environment with PYTHONDONTWRITEBYTECODE=1 would recompile agentgov on every start)
    base_env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    peak_pss = 0
    with open(OUT / f"{name}.stdout", "wb") as so, open(OUT / f"{name}.stderr", "wb") as se:
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=so, stderr=se, cwd=cwd, env={**base_env, **(env or {})}, start_new_session=True)
        timed_out = False
        deadline = start + timeout
        while True:
            try:
                rc = proc.wait(timeout=0.5 if sample else max(0.0, deadline - time.perf_counter()))
                break
            except subprocess.TimeoutExpired:
                if sample:
                    peak_pss = max(peak_pss, tree_pss_kb(proc.pid))
                if time.perf_counter() >= deadline:
                    timed_out = True
                    os.killpg(proc.pid, signal.SIGKILL)  # the whole group: checkov's workers too
                    rc = proc.wait()
                    break
        elapsed = time.perf_counter() - start
    wall, rss_kb, cpu = elapsed, None, None
    if timefile.exists():
        last = [ln for ln in timefile.read_text().splitlines() if ln.strip()]
        if last:
            parts = last[-1].split()
            if len(parts) == 4:
                wall, rss_kb, cpu = float(parts[0]), int(parts[1]), float(parts[2]) + float(parts[3])
    return {
        "name": name,
        "rc": rc,
        "wall": wall,
        "rss_kb": rss_kb,
        "cpu": cpu,
        "timed_out": timed_out,
        "pss_kb": peak_pss or None,
    }


def mb(kb: int | None) -> str:
    return "?" if kb is None else f"{kb / 1024:.0f} MB"


# ---------------------------------------------------------------- agentgov


def agentgov_env() -> dict[str, str]:
    return {"AGENTGOV_CACHE_DIR": str(CACHE), "NO_COLOR": "1"}


def agentgov_version() -> str:
    out = subprocess.run([str(AGENTGOV), "--version"], capture_output=True, text=True)
    return out.stdout.strip() or out.stderr.strip()


def run_agentgov_dir(name: str, directory: Path, reps: int = 3, extra: tuple[str, ...] = ()) -> dict:
    """``reps`` runs; the row shows the median wall and CPU, the largest peak RSS, all walls in ``walls``."""
    report = OUT / f"{name}.json"
    runs = []
    for i in range(reps):
        report.unlink(missing_ok=True)
        log(f"[{name}] ({i + 1}/{reps}) agentgov scan {directory} --format json --output {report} {' '.join(extra)}")
        runs.append(
            measure(
                name,
                [str(AGENTGOV), "scan", str(directory), "--format", "json", "--output", str(report), *extra],
                env=agentgov_env(),
                sample=True,
            )
        )
    r = dict(runs[-1])
    r["walls"] = [x["wall"] for x in runs]
    r["wall"] = statistics.median(r["walls"])
    r["cpus"] = [x["cpu"] or 0.0 for x in runs]
    r["cpu"] = statistics.median(r["cpus"])
    r["rss_kb"] = max(x["rss_kb"] or 0 for x in runs)
    r["pss_kb"] = max(x["pss_kb"] or 0 for x in runs)
    try:
        data = json.loads(report.read_text())
    except (OSError, ValueError) as exc:
        r["note"] = f"no JSON report ({exc})"
        return r
    s = data["summary"]
    kinds = s.get("resources_by_kind", {})
    r.update(
        files=s["files_scanned"],
        skipped=s.get("files_skipped", 0),
        resources=s["resources"],
        agents=kinds.get("agent", 0),
        roles=kinds.get("role", 0),
        functions=kinds.get("function", 0),
        errors=s["findings_by_status"].get("ERROR", 0),
        findings=sum(s["findings_by_status"].values()),
    )
    return r


def startup_agentgov(fmt: str) -> dict:
    """The pre-commit case: one small template, start to exit, in output format ``fmt``."""
    argv = [str(AGENTGOV), "scan", str(SMALL)] + ([] if fmt == "text" else ["--format", fmt])
    # cold: the pack cache emptied, then one run (it validates the pack and fills the cache)
    shutil.rmtree(CACHE, ignore_errors=True)
    cold = measure(f"agentgov-small-{fmt}-cold", argv, env=agentgov_env())
    log(
        f"[startup] {fmt}: pack cache {CACHE} emptied; the cold run ({cold['wall']:.2f} s) filled it; "
        f"the {REPS} measured runs use the warm cache"
    )
    walls, rss = [], []
    for i in range(REPS):
        r = measure(f"agentgov-small-{fmt}-{i}", argv, env=agentgov_env())
        walls.append(r["wall"])
        rss.append(r["rss_kb"] or 0)
    return {
        "walls": walls,
        "median": statistics.median(walls),
        "min": min(walls),
        "rss_kb": max(rss),
        "cold": cold["wall"],
        "rc": r["rc"],
        "fmt": fmt,
    }


def importtime_top(fmt: str, n: int = 12) -> list[tuple[int, int, str]]:
    """Top-level imports (and agentgov's own, one level down) by cumulative time (us), one small-template run."""
    env = {**os.environ, **agentgov_env()}
    fmt_args = [] if fmt == "text" else ["--format", fmt]
    proc = subprocess.run(
        [sys.executable, "-X", "importtime", str(AGENTGOV), "scan", str(SMALL), *fmt_args],
        capture_output=True,
        text=True,
        env=env,
        cwd=OUT,
    )
    rows = []
    for line in proc.stderr.splitlines():
        if not line.startswith("import time:") or "self [us]" in line:
            continue
        self_us, cum_us, mod = line[len("import time:") :].split("|", 2)
        depth = (len(mod) - len(mod.lstrip(" "))) // 2
        if depth == 0:  # " name" has one leading space
            rows.append((int(cum_us), int(self_us), mod.strip()))
        elif depth <= 1 and mod.strip().startswith("agentgov"):
            rows.append((int(cum_us), int(self_us), mod.strip()))
    rows.sort(reverse=True)
    return rows[:n]


# ---------------------------------------------------------------- checkov


def ensure_checkov() -> None:
    if CHECKOV.exists():
        return
    print(
        f"checkov venv not found at {VENV}: creating it "
        f"(python -m venv {VENV} && {VENV}/bin/pip install checkov=={CHECKOV_VERSION}); this takes a few minutes",
        flush=True,
    )
    subprocess.run([sys.executable, "-m", "venv", str(VENV)], check=True)
    subprocess.run([str(VENV / "bin" / "pip"), "install", "--quiet", f"checkov=={CHECKOV_VERSION}"], check=True)


def checkov_env() -> dict[str, str]:
    # BC_SKIP_MAPPING: do not fetch the Bridgecrew guideline mapping (no network)
    return {"BC_SKIP_MAPPING": "TRUE", "NO_COLOR": "1", "LOG_LEVEL": "WARNING"}


def checkov_version() -> str:
    out = subprocess.run([str(CHECKOV), "--version"], capture_output=True, text=True, env={**os.environ, **checkov_env()})
    return out.stdout.strip()


def read_exclusions() -> list[tuple[str, str]]:
    """``relative/path<TAB>reason`` lines; ``#`` starts a comment line."""
    rows = []
    for line in EXCLUSIONS.read_text().splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        path, _, reason = line.partition("\t")
        rows.append((path.strip(), reason.strip()))
    return rows


def build_subset(excluded: set[str]) -> int:
    """Copy the corpus minus the excluded files to bench/out/checkov-subset/ (copies: no symlink questions)."""
    shutil.rmtree(SUBSET, ignore_errors=True)

    def ignore(directory: str, names: list[str]) -> set[str]:
        rel = Path(directory).relative_to(CORPUS)
        return {n for n in names if (rel / n).as_posix() in excluded}

    shutil.copytree(CORPUS, SUBSET, symlinks=True, ignore=ignore)
    missing = [p for p in excluded if not (CORPUS / p).exists()]
    if missing:
        log(f"warning: {len(missing)} excluded paths are not in the corpus: {missing[:3]}...")
    return sum(1 for p in SUBSET.rglob("*") if p.is_file())


def checkov_summary(path: Path) -> dict:
    data = json.loads(path.read_text())
    reports = data if isinstance(data, list) else [data]
    out = {}
    for rep in reports:
        if "check_type" not in rep:  # an empty run prints a bare summary
            continue
        s = rep.get("summary", {})
        res = rep.get("results", {})
        files = {c.get("file_path") for key in ("passed_checks", "failed_checks", "skipped_checks") for c in res.get(key, [])}
        out[rep["check_type"]] = {
            "resources": s.get("resource_count", 0),
            "passed": s.get("passed", 0),
            "failed": s.get("failed", 0),
            "parsing_errors": s.get("parsing_errors", 0),
            "files_with_results": len(files),
        }
    return out


def run_checkov_subset(part: str = "") -> dict:
    """checkov over the subset, or over its folder ``part`` (``agentic``)."""
    name = f"checkov-subset{'-' + part if part else ''}"
    report = OUT / f"{name}.stdout"
    argv = [
        str(CHECKOV),
        "-d",
        f"{SUBSET.name}/{part}" if part else SUBSET.name,
        "--framework",
        "terraform",
        "cloudformation",
        "--skip-download",
        "-o",
        "json",
        "--quiet",
    ]
    log(f"[{name}] (cd {OUT} && BC_SKIP_MAPPING=TRUE {' '.join(argv)}) - timeout {CHECKOV_TIMEOUT} s; {load()}")
    r = measure(name, argv, env=checkov_env(), timeout=CHECKOV_TIMEOUT, cwd=OUT, sample=True)
    log(f"[{name}] {r['wall']:.1f} s wall, {r['cpu'] or 0:.1f} s CPU; {load()}")
    if r["timed_out"]:
        r["note"] = f"killed after {CHECKOV_TIMEOUT} s (hung)"
        return r
    try:
        r["frameworks"] = checkov_summary(report)
    except (OSError, ValueError) as exc:
        r["note"] = f"no JSON report ({exc})"
        return r
    fw = r["frameworks"]
    r["resources"] = sum(v["resources"] for v in fw.values())
    r["files"] = sum(v["files_with_results"] for v in fw.values())
    r["errors"] = sum(v["parsing_errors"] for v in fw.values())
    if "cloudformation" not in fw:
        r["note"] = "no CloudFormation results: a file in the subset broke checkov's CloudFormation runner"
    return r


def startup_checkov(fmt: str) -> dict:
    """``fmt`` is ``cli`` (checkov's default output) or ``json``."""
    argv = [str(CHECKOV), "-f", str(SMALL), "--framework", "cloudformation", "--skip-download", "-o", fmt, "--quiet"]
    measure(f"checkov-small-{fmt}-warmup", argv, env=checkov_env())  # page cache and .pyc warm, as for agentgov
    walls, rss = [], []
    for i in range(REPS):
        r = measure(f"checkov-small-{fmt}-{i}", argv, env=checkov_env())
        walls.append(r["wall"])
        rss.append(r["rss_kb"] or 0)
    return {"walls": walls, "median": statistics.median(walls), "min": min(walls), "rss_kb": max(rss), "rc": r["rc"], "fmt": fmt}


# ---------------------------------------------------------------- issue 16: load, steps, profile


def load() -> str:
    try:
        return "load average " + " ".join(Path("/proc/loadavg").read_text().split()[:3])
    except OSError:
        return "load average ?"


def _step_tree(rev: str) -> tuple[str, Path]:
    """The repository at ``rev``, importable as ``agentgov`` from bench/out/steps/<sha>/ (PYTHONPATH)."""
    sha = subprocess.run(["git", "rev-parse", "--short", rev], cwd=ROOT, capture_output=True, text=True, check=True)
    short = sha.stdout.strip()
    base = OUT / "steps" / short
    tree = base / "agentgov"
    if not tree.is_dir():
        tree.mkdir(parents=True)
        archive = subprocess.run(["git", "archive", short], cwd=ROOT, capture_output=True, check=True)
        subprocess.run(["tar", "-x", "-C", str(tree)], input=archive.stdout, check=True)
    return short, base


def run_steps(revs: list[str], reps: int = 3) -> list[dict]:
    """The whole corpus at each commit of ``revs``, interleaved (rep 1 of every step, then rep 2, ...)."""
    trees = [_step_tree(r) for r in revs]
    runs: dict[str, list[dict]] = {short: [] for short, _ in trees}
    for i in range(reps):
        for short, base in trees:
            report = OUT / f"step-{short}.json"
            argv = [sys.executable, "-c", "import sys, agentgov.cli.main as m; sys.exit(getattr(m, 'entry', m.main)())"]
            argv += ["scan", str(CORPUS), "--format", "json", "--output", str(report)]
            log(f"[steps] ({i + 1}/{reps}) {short}; {load()}")
            env = {**agentgov_env(), "PYTHONPATH": str(base)}
            runs[short].append(measure(f"step-{short}", argv, env=env))
    out = []
    for (short, _base), rev in zip(trees, revs):
        rs = runs[short]
        subject = subprocess.run(["git", "log", "-1", "--format=%s", short], cwd=ROOT, capture_output=True, text=True)
        out.append(
            {
                "rev": rev,
                "sha": short,
                "subject": subject.stdout.strip(),
                "wall": statistics.median(r["wall"] for r in rs),
                "cpu": statistics.median(r["cpu"] or 0.0 for r in rs),
                "rss_kb": max(r["rss_kb"] or 0 for r in rs),
                "walls": [r["wall"] for r in rs],
                "cpus": [r["cpu"] or 0.0 for r in rs],
            }
        )
    return out


_PHASES = [  # (label, function name pattern in the profile, as cumulative time)
    ("walk the paths (collect)", "discover.py", "collect"),
    ("CloudFormation: read, parse, resolve (load_indexed)", "cloudformation.py", "load_indexed"),
    ("Terraform: find root modules", "terraform/__init__.py", "find_root_modules"),
    ("Terraform: load root modules (load_terraform)", "terraform/__init__.py", "load_terraform"),
    ("normalize", "discover.py", "normalize_all"),
    ("edges across files (resolve_edges)", "graph.py", "resolve_edges"),
    ("policy evaluation (engine.run)", "engine.py", "run"),
    ("reports (write_outputs)", "outcome.py", "write_outputs"),
]


def profile_phases() -> list[tuple[str, float, float]]:
    """(phase, seconds, share of the whole) of a ``--jobs 1`` whole-corpus scan under cProfile (one run)."""
    import pstats

    prof = OUT / "scan.prof"
    code = f"import cProfile, sys; from agentgov.cli.main import main; cProfile.run('main(sys.argv[1:])', {str(prof)!r})"
    argv = [sys.executable, "-c", code, "scan", str(CORPUS), "--jobs", "1", "--format", "json", "--output", str(OUT / "p.json")]
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    subprocess.run(argv, env={**env, **agentgov_env()}, cwd=OUT, stdout=subprocess.DEVNULL, check=False)
    stats = pstats.Stats(str(prof))
    total = max(ct for (_f, _l, _n), (_cc, _nc, _tt, ct, _c) in stats.stats.items())  # type: ignore[attr-defined]
    rows = []
    for label, file_part, func in _PHASES:
        cum = sum(
            ct
            for (f, _l, n), (_cc, _nc, _tt, ct, _c) in stats.stats.items()  # type: ignore[attr-defined]
            if n == func and f.replace("\\", "/").endswith(file_part)
        )
        rows.append((label, cum, cum / total))
    scan_total = sum(c for _l, c, _s in rows)
    rows.append(
        (
            "the rest: interpreter start, imports, pack and configuration, GC outside phases",
            total - scan_total,
            1 - scan_total / total,
        )
    )
    return rows


def jobs_split() -> dict:
    """Parent and worker CPU of one ``--jobs 2`` whole-corpus scan (getrusage self / children)."""
    code = (
        "import resource, sys, json; from agentgov.cli.main import main\n"
        "try:\n    main(sys.argv[1:])\nexcept SystemExit:\n    pass\n"
        "s = resource.getrusage(resource.RUSAGE_SELF); c = resource.getrusage(resource.RUSAGE_CHILDREN)\n"
        "print(json.dumps({'parent': s.ru_utime + s.ru_stime, 'workers': c.ru_utime + c.ru_stime,"
        " 'parent_rss_kb': s.ru_maxrss, 'worker_rss_kb': c.ru_maxrss}), file=sys.stderr)"
    )
    argv = [sys.executable, "-c", code, "scan", str(CORPUS), "--jobs", "2", "--format", "json", "--output", str(OUT / "j.json")]
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    proc = subprocess.run(argv, env={**env, **agentgov_env()}, cwd=OUT, capture_output=True, text=True, check=False)
    return json.loads(proc.stderr.strip().splitlines()[-1])


def _print_issue16(steps: list[dict], phases: list, split: dict | None, extra: dict) -> None:
    if steps:
        print()
        print("| step | commit | wall median | CPU median | peak RSS | walls | CPU |")
        print("| --- | --- | --- | --- | --- | --- | --- |")
        first = steps[0]
        for st in steps:
            print(
                row(
                    [
                        st["subject"][:80],
                        st["sha"],
                        f"{st['wall']:.2f} s ({first['wall'] / st['wall']:.2f}x)",
                        f"{st['cpu']:.2f} s ({first['cpu'] / st['cpu']:.2f}x)",
                        mb(st["rss_kb"]),
                        ", ".join(f"{w:.2f}" for w in st["walls"]),
                        ", ".join(f"{c:.2f}" for c in st["cpus"]),
                    ]
                )
            )
    if phases:
        print()
        print("| phase (--jobs 1, cProfile cumulative) | seconds | share |")
        print("| --- | --- | --- |")
        for label, secs, share in phases:
            print(row([label, f"{secs:.2f}", f"{share:.0%}"]))
    if split:
        print()
        print(
            f"--jobs 2 whole corpus: parent CPU {split['parent']:.2f} s, workers {split['workers']:.2f} s; "
            f"peak RSS parent {mb(split['parent_rss_kb'])}, largest worker {mb(split['worker_rss_kb'])}"
        )
    for k, v in extra.items():
        print(f"{k}: {v}")


# ---------------------------------------------------------------- main


def machine() -> list[str]:
    lines = [f"python {platform.python_version()} ({sys.executable})", f"nproc {os.cpu_count()}"]
    try:
        for ln in Path("/proc/cpuinfo").read_text().splitlines():
            if ln.startswith("model name"):
                lines.append("cpu " + ln.split(":", 1)[1].strip())
                break
        for ln in Path("/proc/meminfo").read_text().splitlines():
            if ln.startswith("MemTotal"):
                lines.append(f"memory {int(ln.split()[1]) / 1024 / 1024:.1f} GiB")
                break
    except OSError:
        pass
    return lines


def row(cells: list[object]) -> str:
    return "| " + " | ".join(str(c) for c in cells) + " |"


def _missing_tools() -> int | None:
    """The exit code when the corpus, time(1) or agentgov is missing (with a line saying which); else None."""
    if not CORPUS.is_dir():
        print(f"corpus not found at {CORPUS}; nothing to measure")
        return 0
    if not Path(TIME).exists():
        print(f"{TIME} not found (apt-get install time); cannot measure")
        return 0
    if not AGENTGOV.exists():
        print(f"{AGENTGOV} not found: install agentgov in this interpreter (pip install -e .)")
        return 1
    return None


def _compile_bytecode() -> None:
    # bytecode caches written once, as pip does at install (see measure())
    subprocess.run(
        [
            sys.executable,
            "-m",
            "compileall",
            "-q",
            *(
                str(ROOT / d)
                for d in (
                    "scanner",
                    "policies",
                    "reports",
                    "scps",
                    "config_rules",
                    "cli",
                    "audit",
                    "drift",
                    "integrations",
                    "demo",
                )
            ),
        ],
        check=False,
    )


def _print_table(
    ag_all: dict | None, ck: dict | None, ag_sub: dict | None, n_excluded: int, n_subset: int, st_ag: list, st_ck: list
) -> None:
    # ------------------------------------------------------------ report
    print()
    print(
        "| run | tool | files | resources | agents / roles / functions | ERROR / parse errors | exit | wall | peak RSS "
        "(largest process) | peak PSS (process group, sampled) |"
    )
    print("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |")

    def ag_row(label: str, r: dict) -> str:
        files = f"{r.get('files', '?')} scanned, {r.get('skipped', 0)} skipped"
        kinds = f"{r.get('agents', '?')} / {r.get('roles', '?')} / {r.get('functions', '?')}"
        return row(
            [
                label,
                "agentgov",
                files,
                r.get("resources", "?"),
                kinds,
                r.get("errors", "?"),
                r["rc"],
                f"{r['wall']:.2f} s (median of {len(r['walls'])}; CPU {r['cpu']:.2f} s)",
                mb(r["rss_kb"]),
                mb(r["pss_kb"]),
            ]
        )

    if ag_all is not None:
        print(ag_row("1. whole corpus", ag_all))
    if ck is not None:
        fw = ck.get("frameworks", {})
        per = "; ".join(f"{k}: {v['resources']}" for k, v in sorted(fw.items()))
        files = f"{ck.get('files', '?')} with results"
        note = f" ({ck['note']})" if ck.get("note") else ""
        print(
            row(
                [
                    f"2. corpus minus {n_excluded} ({n_subset} files)",
                    "checkov",
                    files,
                    f"{ck.get('resources', '?')} ({per})",
                    "-",
                    ck.get("errors", "?"),
                    ck["rc"],
                    f"{ck['wall']:.2f} s (CPU {ck['cpu'] or 0:.2f} s){note}",
                    mb(ck["rss_kb"]),
                    mb(ck["pss_kb"]),
                ]
            )
        )
        print(ag_row("3. same subset", ag_sub))
    for tool, runs in (("agentgov", st_ag), ("checkov", st_ck)):
        for st in runs:
            print(
                row(
                    [
                        f"4. small template, -o {st['fmt']}, median (min) of {REPS}",
                        tool,
                        1,
                        "",
                        "",
                        "",
                        st["rc"],
                        f"{st['median']:.2f} s ({st['min']:.2f} s)",
                        mb(st["rss_kb"]),
                        "-",
                    ]
                )
            )
    print()


def _print_summary(ag_all: dict | None, ag_sub: dict | None, ck: dict | None, st_ag: list, st_ck: list) -> None:
    for r in (ag_all, ag_sub):  # None when not run
        if r is not None:
            print(f"{r['name']}: walls {', '.join(f'{w:.2f}' for w in r['walls'])} s")
    for st in st_ag:
        print(
            f"agentgov small template {st['fmt']}: cold (empty pack cache) {st['cold']:.2f} s; "
            f"warm runs {', '.join(f'{w:.2f}' for w in st['walls'])}"
        )
    for st in st_ck:
        print(f"checkov small template {st['fmt']}: runs {', '.join(f'{w:.2f}' for w in st['walls'])}")
    if ck is not None and ag_sub is not None and not ck.get("timed_out") and ag_sub["wall"] > 0:
        ratio = ck["wall"] / ag_sub["wall"]
        print(
            f"ratio = checkov_wall / agentgov_wall = {ck['wall']:.2f} / {ag_sub['wall']:.2f} = {ratio:.1f}x "
            f"(target >= 20x: {'met' if ratio >= 20 else 'NOT met'})"
        )
        print(
            f"peak RSS (largest process): checkov {mb(ck['rss_kb'])}, agentgov {mb(ag_sub['rss_kb'])} on the subset, "
            f"{mb(ag_all['rss_kb'])} on the whole corpus; peak PSS of the process group: checkov {mb(ck['pss_kb'])}, "
            f"agentgov {mb(ag_sub['pss_kb'])}"
        )
        for a, c in zip(st_ag, st_ck):
            print(
                f"startup ratio (median, {c['fmt']} / {a['fmt']}) = {c['median']:.2f} / {a['median']:.2f} = "
                f"{c['median'] / a['median']:.1f}x"
            )
    if ck is None:
        for a, c in zip(st_ag, st_ck):
            print(
                f"startup ratio (median, {c['fmt']} / {a['fmt']}) = {c['median']:.2f} / {a['median']:.2f} = "
                f"{c['median'] / a['median']:.1f}x"
            )
    runs = [r for r in (ag_all, ag_sub) if r is not None]
    if runs:
        peak = max(r["rss_kb"] or 0 for r in runs)
        print(f"agentgov peak memory {peak / 1024:.0f} MB (target < 400 MB: {'met' if peak < 400 * 1024 else 'NOT met'})")
    for st in st_ag:
        print(
            f"agentgov small template ({st['fmt']}) median {st['median']:.2f} s "
            f"(target < {STARTUP_TARGET} s: {'met' if st['median'] < STARTUP_TARGET else 'NOT met'})"
        )
    for st in st_ag:
        if st["median"] > STARTUP_TARGET:
            print()
            print(f"python -X importtime, --format {st['fmt']}, top imports by cumulative time (one run):")
            print()
            print("| cumulative | self | module |")
            print("| --- | --- | --- |")
            for cum, own, mod in importtime_top(st["fmt"]):
                print(row([f"{cum / 1000:.0f} ms", f"{own / 1000:.1f} ms", mod]))


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="agentgov only: whole corpus and the small template")
    ap.add_argument("--startup", action="store_true", help="only the small-template start-up runs (both tools)")
    ap.add_argument("--steps", nargs="+", metavar="REV", default=[], help="also: the whole corpus at each commit")
    ap.add_argument("--profile", action="store_true", help="also: phase shares (cProfile) and the --jobs 2 CPU split")
    ap.add_argument("--only-steps", action="store_true", help="only --steps and --profile")
    ap.add_argument(
        "--agentic-checkov",
        action="store_true",
        help="checkov side by side on agentic/ of the subset only (not the whole subset: about 11 min on an idle machine)",
    )
    ap.add_argument("--no-startup", action="store_true", help="leave out the small-template runs")
    args = ap.parse_args()
    if args.only_steps:
        args.quick = args.startup = args.no_startup = True

    missing = _missing_tools()
    if missing is not None:
        return missing
    OUT.mkdir(parents=True, exist_ok=True)
    if not args.quick or args.agentic_checkov:
        ensure_checkov()
    _compile_bytecode()

    for ln in machine():
        log(ln)
    versions = [agentgov_version()] + ([] if args.quick and not args.agentic_checkov else [f"checkov {checkov_version()}"])
    log("versions: " + ", ".join(versions))

    # warm the pack cache before the big run too (the small-template section measures the cold start)
    CACHE.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        [str(AGENTGOV), "scan", str(SMALL), "--format", "json"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env={**os.environ, **agentgov_env()},
    )

    ck = ag_sub = ag_all = None
    n_excluded = n_subset = 0
    extra: dict[str, str] = {}
    steps = run_steps(args.steps) if args.steps else []
    if not args.startup or args.agentic_checkov:
        log(f"[agentgov-all] {load()}")
        ag_all = run_agentgov_dir("agentgov-all", CORPUS)
        one = run_agentgov_dir("agentgov-all-jobs1", CORPUS, extra=("--jobs", "1"))
        extra["whole corpus, --jobs 1"] = (
            f"wall median {one['wall']:.2f} s ({', '.join(f'{w:.2f}' for w in one['walls'])}), "
            f"CPU median {one['cpu']:.2f} s, peak RSS {mb(one['rss_kb'])}"
        )
        extra["whole corpus, default --jobs"] = (
            f"wall median {ag_all['wall']:.2f} s, CPU median {ag_all['cpu']:.2f} s (parent and workers), "
            f"peak RSS of the largest process {mb(ag_all['rss_kb'])}, peak PSS of all {mb(ag_all['pss_kb'])}"
        )
    if (not args.quick and not args.startup) or args.agentic_checkov:
        excluded = read_exclusions()
        n_excluded = len(excluded)
        n_subset = build_subset({p for p, _ in excluded})
        log(f"[subset] {SUBSET}: {n_subset} files (corpus minus {n_excluded} in {EXCLUSIONS.name})")
        pairs = []
        if not args.agentic_checkov:
            ck = run_checkov_subset()
            ag_sub = run_agentgov_dir("agentgov-subset", SUBSET)
            pairs.append(("subset", ck, ag_sub))
        ck_ag = run_checkov_subset("agentic")
        ag_ag = run_agentgov_dir("agentgov-subset-agentic", SUBSET / "agentic")
        pairs.append(("agentic/ of the subset", ck_ag, ag_ag))
        for label, c, a in pairs:
            extra[f"checkov / agentgov, {label}"] = (
                f"wall {c['wall']:.2f} / {a['wall']:.2f} = {c['wall'] / a['wall']:.1f}x; "
                f"CPU {c['cpu'] or 0:.2f} / {a['cpu']:.2f} = {(c['cpu'] or 0) / a['cpu']:.1f}x; "
                f"peak RSS {mb(c['rss_kb'])} / {mb(a['rss_kb'])}" + (f" ({c['note']})" if c.get("note") else "")
            )
    phases: list = []
    split = None
    if args.profile:
        log(f"[profile] {load()}")
        phases = profile_phases()
        split = jobs_split()
    log(f"[end of the scan runs] {load()}")

    st_ag: list = []
    st_ck: list = []
    if not args.no_startup:
        log("[startup] agentgov, small template (text = the default output, what a pre-commit hook prints; json)")
        st_ag = [startup_agentgov("text"), startup_agentgov("json")]
    if not args.quick and not args.no_startup:
        log("[startup] checkov, small template (cli = its default output; json)")
        st_ck = [startup_checkov("cli"), startup_checkov("json")]

    _print_table(ag_all, ck, ag_sub, n_excluded, n_subset, st_ag, st_ck)
    _print_summary(ag_all, ag_sub, ck, st_ag, st_ck)
    _print_issue16(steps, phases, split, extra)
    return 0


if __name__ == "__main__":
    sys.exit(main())
