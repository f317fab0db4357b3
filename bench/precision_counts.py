"""Per-policy FAIL/PASS/UNKNOWN counts of the pack over a corpus folder (the table of bench/precision.md).

    python bench/precision_counts.py [../shared/corpus/agentic]

Runs `agentgov scan DIR --format json` once (the default configuration) and prints a Markdown table
with the totals; the hand review in precision.md reads the FAILs of that same run.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def main(argv: list[str]) -> int:
    target = Path(argv[0]) if argv else REPO.parent / "shared" / "corpus" / "agentic"
    if not target.is_dir():
        print(f"no corpus at {target}: nothing to count", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "report.json"
        t0 = time.perf_counter()
        run = subprocess.run([sys.executable, "-m", "agentgov.cli", "scan", str(target), "--format", "json", "--output", str(out)],
                             capture_output=True, text=True)  # fmt: skip
        wall = time.perf_counter() - t0
        if run.returncode not in (0, 1, 3):
            print(run.stderr, file=sys.stderr)
            return run.returncode
        report = json.loads(out.read_text())
    counts: dict[str, Counter] = {}
    for f in report["findings"]:
        counts.setdefault(f["policy_id"], Counter())[f["status"]] += 1
    summary = report["summary"]
    total = Counter(f["status"] for f in report["findings"] if f["policy_id"] != "AG000")
    print(
        f"{summary['files_scanned']} IaC files, {summary['resources']} resources, {wall:.1f} s wall; "
        f"totals {total['FAIL']:,} FAIL, {total['PASS']:,} PASS, {total['UNKNOWN']:,} UNKNOWN, "
        f"{total['ERROR']} policy ERROR; AG000 (files not scanned): {sum(counts.get('AG000', Counter()).values())}\n"
    )
    print("| policy | FAIL | PASS | UNKNOWN |\n| --- | --- | --- | --- |")
    for pid in sorted(p for p in counts if p != "AG000"):
        c = counts[pid]
        print(f"| {pid} | {c['FAIL']} | {c['PASS']} | {c['UNKNOWN']} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
