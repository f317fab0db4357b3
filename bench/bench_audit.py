"""Speed and peak memory of ``agentgov audit`` against a moto server on loopback, side by side with Prowler.

Run by hand: ``python bench/bench_audit.py [--quick] [--sizes 100 200 400] [--prowler-accounts N] [--no-prowler]``.
Nothing here is a test: speed is never asserted. It prints a markdown table and
writes every figure to ``bench/out/audit/results.json``; bench/RESULTS.md is
written by hand from them.

1. A completed moto server (``python -m agentgov.demo.awsmock.server``:
   moto plus the operations ``agentgov.demo.awsmock`` adds) runs in its own
   process on 127.0.0.1.
2. The Organization grows in stages to each size of ``--sizes`` (member
   accounts; default 100, 200, 400; ``--quick`` 5, 10, 20). Every member gets
   the audit role, ``deploy_controls`` (trail, alarm, buckets, table, key,
   secret, endpoints) in its first region, and in each of 3 regions 5 agents
   from ``awsmock.seed_agents`` (each with its role, action-group Lambda
   function, guardrail and knowledge base, good and bad settings in turn).
   Seeding goes through the server (HTTP, 4 threads) and is timed apart.
3. After each stage, ``agentgov audit --org`` runs as a subprocess under
   ``/usr/bin/time`` with ``AWS_ENDPOINT_URL`` pointed at the server and fake
   credentials (wall time, peak RSS), JSON report to ``bench/out/audit/``; the
   API calls come from the report's ``audit`` block.
4. Prowler (its own venv ``bench/.venv-prowler``, installed here when missing,
   never a dependency) runs ``prowler aws --service bedrock iam`` on the first
   ``--prowler-accounts`` members (one run per account: Prowler audits the
   account of its credentials, ``-R`` assumes the audit role in it) over the
   same 3 regions, against the same server; then ``agentgov audit --accounts``
   on the same accounts, for the ratio.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BENCH = ROOT / "bench"
OUT = BENCH / "out" / "audit"
VENV = BENCH / ".venv-prowler"
PROWLER = VENV / "bin" / "prowler"
PROWLER_VERSION = "5.46.0"
TIME = "/usr/bin/time"
REGIONS = ["us-east-1", "us-west-2", "eu-west-1"]
AGENTS_PER_REGION = 5
ROLE = "AgentgovAudit"
FAKE = {"AWS_ACCESS_KEY_ID": "bench", "AWS_SECRET_ACCESS_KEY": "bench", "AWS_DEFAULT_REGION": "us-east-1"}


def log(msg: str) -> None:
    sys.stderr.write(f"[{time.strftime('%H:%M:%S')}] {msg}\n")
    sys.stderr.flush()


def start_server(env: dict[str, str]) -> tuple[subprocess.Popen, str]:
    proc = subprocess.Popen([sys.executable, "-m", "agentgov.demo.awsmock.server"], stdout=subprocess.PIPE, env=env, text=True,
                            start_new_session=True)  # fmt: skip
    line = proc.stdout.readline() if proc.stdout else ""
    m = re.match(r"ready (http://\S+)", line)
    if not m:
        proc.kill()
        raise SystemExit(f"moto server did not start: {line!r}")
    return proc, m.group(1)


def clean_env(url: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_") and k != "PYTHONDONTWRITEBYTECODE"}
    env.update(FAKE, AWS_ENDPOINT_URL=url)
    return env


_SETUP = threading.Lock()


def seed_account(account: str, agents: int, unrelated: int = 0) -> None:
    import agentgov.demo.awsmock as M

    with _SETUP:  # session_in uses boto3's default session, which is not made for threads
        session = M.session_in(account)
    M.deploy_controls(session, REGIONS[0], f"ctl-{account}")
    for region in REGIONS:
        M.seed_agents(session, region, agents, prefix=f"{region}-agent")
    if unrelated:  # what a real account holds besides its agents: buckets, keys, tables, alarms no agent uses
        M.deploy_unrelated(session, REGIONS[0], unrelated)


def grow(existing: int, target: int, agents: int, unrelated: int = 0) -> tuple[list[str], float]:
    """The Organization grown to ``target`` members; (the new members, seconds)."""
    import boto3

    import agentgov.demo.awsmock as M

    t0 = time.perf_counter()
    if existing == 0:
        new = M.organization(target)
        boto3.client("iam").create_role(
            RoleName=ROLE, AssumeRolePolicyDocument=M.trust({"AWS": f"arn:aws:iam::{M.MANAGEMENT}:root"})
        )
    else:
        new = M.organization(target - existing, first=existing)
    with ThreadPoolExecutor(4) as pool:
        for f in [pool.submit(seed_account, a, agents, unrelated) for a in new]:
            f.result()
    return new, time.perf_counter() - t0


def timed(cmd: list[str], env: dict[str, str], log_to: Path, timeout: float) -> tuple[int, float, int]:
    """(exit code, wall seconds, peak RSS KB) of ``cmd`` under /usr/bin/time."""
    timing = log_to.with_suffix(".time")
    with log_to.open("w") as fh:
        try:
            proc = subprocess.run([TIME, "-f", "%e %M", "-o", str(timing), *cmd], stdout=fh, stderr=subprocess.STDOUT, env=env,
                                  timeout=timeout)  # fmt: skip
            rc = proc.returncode
        except subprocess.TimeoutExpired:
            return -1, timeout, 0
    wall, rss = timing.read_text().split()[-2:]
    return rc, float(wall), int(rss)


def run_audit(env: dict[str, str], name: str, extra: list[str]) -> dict:
    report = OUT / f"{name}.json"
    cmd = [sys.executable, "-m", "agentgov.cli", "audit", "--role-name", ROLE, "--regions", *REGIONS, "--format", "json",
           "--output", str(report), *extra]  # fmt: skip
    load = os.getloadavg()[0]
    rc, wall, rss = timed(cmd, env, OUT / f"{name}.log", 7200)
    doc = json.loads(report.read_text())
    kinds = doc["summary"]["resources_by_kind"]
    agents = kinds.get("agent", 0)
    info = doc["audit"]
    return {"name": name, "exit": rc, "wall": wall, "peak_rss_mb": round(rss / 1024, 1), "accounts": info["accounts"],
            "regions": info["regions"], "calls": info["calls"], "failed_calls": info["failed_calls"], "agents": agents,
            "calls_per_agent": round(info["calls"] / agents, 1) if agents else None, "resources": doc["summary"]["resources"],
            "findings": len(doc["findings"]), "gaps": len(info["coverage_gaps"]), "report_mb": round(report.stat().st_size / 2**20, 1),
            "calls_by_service": info["calls_by_service"], "load_before": round(load, 2)}  # fmt: skip


def ensure_prowler() -> str:
    if not PROWLER.exists():
        log(f"installing prowler {PROWLER_VERSION} into {VENV}")
        subprocess.run([sys.executable, "-m", "venv", str(VENV)], check=True)
        subprocess.run([str(VENV / "bin" / "pip"), "install", "-q", f"prowler=={PROWLER_VERSION}"], check=True)
    out = subprocess.run([str(PROWLER), "--version"], capture_output=True, text=True)
    return out.stdout.strip().splitlines()[-1] if out.stdout.strip() else "prowler (version unknown)"


def run_prowler(env: dict[str, str], accounts: list[str]) -> dict:
    version = ensure_prowler()
    pout = OUT / "prowler"
    pout.mkdir(parents=True, exist_ok=True)
    penv = {**{k: v for k, v in env.items() if k != "PYTHONPATH"}, "HOME": str(pout)}
    runs = []
    for account in accounts:
        cmd = [str(PROWLER), "aws", "--service", "bedrock", "iam", "-f", *REGIONS, "-R", f"arn:aws:iam::{account}:role/{ROLE}",
               "--output-formats", "json-ocsf", "-o", str(pout), "-F", f"prowler-{account}", "--no-banner"]  # fmt: skip
        rc, wall, rss = timed(cmd, penv, pout / f"{account}.log", 1800)
        found = pout / f"prowler-{account}.ocsf.json"
        findings = len(json.loads(found.read_text())) if found.exists() else None
        errors = sum(1 for line in (pout / f"{account}.log").read_text(errors="replace").splitlines() if "ERROR" in line)
        runs.append({"account": account, "exit": rc, "wall": wall, "peak_rss_mb": round(rss / 1024, 1), "findings": findings,
                     "error_lines": errors})  # fmt: skip
        log(f"prowler {account}: exit {rc}, {wall:.1f} s, {findings} findings, {errors} ERROR lines")
    return {"version": version, "runs": runs, "wall": round(sum(r["wall"] for r in runs), 2)}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="5, 10, 20 accounts (a smoke check)")
    ap.add_argument("--sizes", type=int, nargs="+", help="member accounts at each stage (default 100 200 400)")
    ap.add_argument("--agents", type=int, default=AGENTS_PER_REGION, help="agents per account and region (default 5)")
    ap.add_argument("--prowler-accounts", type=int, default=2, help="accounts Prowler audits, one run each (default 2)")
    ap.add_argument("--no-prowler", action="store_true")
    ap.add_argument("--unrelated", type=int, default=0, help="buckets, KMS keys, tables and alarms per account no agent uses")
    args = ap.parse_args(argv)
    sizes = args.sizes or ([5, 10, 20] if args.quick else [100, 200, 400])
    OUT.mkdir(parents=True, exist_ok=True)
    pythonpath = os.environ.get("PYTHONPATH", "")
    server_env = {k: v for k, v in clean_env("").items() if k != "AWS_ENDPOINT_URL"}
    server, url = start_server({**server_env, "PYTHONPATH": pythonpath})
    env = {**clean_env(url), "PYTHONPATH": pythonpath}
    os.environ.update(FAKE, AWS_ENDPOINT_URL=url)  # this process seeds through the server too
    results: dict = {"machine": f"{platform.processor() or platform.machine()}, {os.cpu_count()} cores, {platform.platform()}",
                     "python": platform.python_version(), "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
                     "regions": REGIONS, "agents_per_region": args.agents, "unrelated_per_account": args.unrelated,
                     "stages": []}  # fmt: skip
    try:
        members: list[str] = []
        for size in sizes:
            log(f"seeding to {size} member accounts x {len(REGIONS)} regions x {args.agents} agents")
            new, seconds = grow(len(members), size, args.agents, args.unrelated)
            members += new
            log(f"seeded {len(new)} accounts in {seconds:.1f} s; auditing the Organization")
            stage = run_audit(env, f"audit-{size}", ["--org"])
            stage.update(members=size, seed_seconds=round(seconds, 1), seeded_accounts=len(new))
            results["stages"].append(stage)
            log(json.dumps({k: v for k, v in stage.items() if k != "calls_by_service"}))
            (OUT / "results.json").write_text(json.dumps(results, indent=2))
        if not args.no_prowler and args.prowler_accounts:
            chosen = members[: args.prowler_accounts]
            (OUT / "prowler-accounts.txt").write_text("\n".join(chosen) + "\n")
            log(f"prowler on {len(chosen)} account(s)")
            try:
                results["prowler"] = run_prowler(env, chosen)
            except Exception as exc:  # written down, never lost: the stages' figures stand
                results["prowler_error"] = f"{type(exc).__name__}: {exc}"
                raise
            same = run_audit(env, f"audit-prowler-accounts-{len(chosen)}", ["--accounts", str(OUT / "prowler-accounts.txt")])
            results["prowler"]["agentgov"] = same
            results["prowler"]["ratio"] = round(results["prowler"]["wall"] / same["wall"], 1) if same["wall"] else None
            (OUT / "results.json").write_text(json.dumps(results, indent=2))
    finally:
        server.terminate()
        server.wait(timeout=30)
    print(table(results))
    return 0


def table(results: dict) -> str:
    rows = ["| member accounts (+ management) | agents | seeding | audit wall | API calls | calls/agent | failed calls | peak RSS "
            "| findings | report | load before |", "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |"]  # fmt: skip
    for s in results["stages"]:
        rows.append(f"| {s['members']} (+1) | {s['agents']} | {s['seed_seconds']} s | {s['wall']:.1f} s | {s['calls']} | "
                    f"{s['calls_per_agent']} | {s['failed_calls']} | {s['peak_rss_mb']} MB | {s['findings']} | {s['report_mb']} MB | "
                    f"{s['load_before']} |")  # fmt: skip
    p = results.get("prowler")
    if p:
        a = p["agentgov"]
        rows.append("")
        rows.append(f"{p['version']} on {len(p['runs'])} account(s): {p['wall']:.1f} s "
                    f"({', '.join('{:.1f} s'.format(r['wall']) for r in p['runs'])}); agentgov audit of the same accounts: {a['wall']:.1f} s "
                    f"({a['calls']} calls); ratio {p['ratio']}x")  # fmt: skip
    return "\n".join(rows)


if __name__ == "__main__":
    raise SystemExit(main())
