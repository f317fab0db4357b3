"""``agentgov policies test``: each policy against its fixtures, expectations matched both ways.

A policy's fixtures are a directory (``<fixtures root>/<ID>/``: CloudFormation in ``cfn/``, Terraform in ``tf/`` by
convention; every IaC file below is scanned, as ``agentgov scan`` would, with only that policy; an ``agentgov.toml``
there sets parameters). Expectations come from one of two sources:

* ``expected.yaml`` in the directory (the built-in pack's golden files, written by tests/golden.py): every finding of
  the policy, as ``{file, resource, status, line}``; the run must produce exactly these.
* inline, in the fixture itself: a comment ``agentgov:expect STATUS ID [ID ...]`` (``#`` in YAML and HCL, ``//`` in
  HCL too) on a resource's first line or on a line above it binds to that resource (the first one declared at or
  below the comment). JSON cannot carry comments: ``NAME.json.expect.yaml`` beside ``NAME.json`` lists
  ``{resource, status, policy}``; a JSON fixture without one is skipped, and the run says so.

Matched both ways: a finding not expected and an expectation with no finding are both mismatches. With inline
expectations, PASS findings need no comment (a PASS is no finding, as in semgrep), but an expected PASS must happen;
FAIL, UNKNOWN, ERROR and SUPPRESSED findings must each be expected.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

EXPECT = re.compile(
    r"(?:#|//)\s*agentgov:expect\s+(PASS|FAIL|UNKNOWN|ERROR|SUPPRESSED)\s+([A-Z][A-Z0-9]*(?:[\s,]+[A-Z][A-Z0-9]*)*)"
)
SIDECAR = ".expect.yaml"
STATUSES = ("PASS", "FAIL", "UNKNOWN", "ERROR", "SUPPRESSED")


@dataclass
class PolicyTest:
    policy_id: str
    source: str  # "expected.yaml", "inline", or "none"
    files: int = 0
    expected: int = 0
    matched: int = 0
    missing: list[str] = field(default_factory=list)
    unexpected: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.source != "none" and not self.missing and not self.unexpected


def run_all(pack: Any, fixtures_root: Path, ids: list[str]) -> list[PolicyTest]:
    return [run_one(pack, pid, fixtures_root / pid) for pid in ids]


def run_one(pack: Any, pid: str, folder: Path) -> PolicyTest:
    if not folder.is_dir():
        return PolicyTest(pid, "none", notes=[f"no fixtures: {folder} does not exist"])
    result = _scan(pack, pid, folder)
    findings = [f for f in result.findings if f.policy_id == pid]
    files = sorted({p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file() and _is_fixture(p)})
    expected_file = folder / "expected.yaml"
    if expected_file.is_file():
        return _against_expected(pid, folder, expected_file, findings, len(files))
    return _against_inline(pid, folder, files, findings, result)


def _is_fixture(p: Path) -> bool:
    return (
        p.suffix in (".yaml", ".yml", ".json", ".tf", ".template") and p.name != "agentgov.toml" and not p.name.endswith(SIDECAR)
    )


def _scan(pack: Any, pid: str, folder: Path) -> Any:
    from .config import Config, effective_parameters, load_config
    from .engine import scan

    old = os.getcwd()
    os.chdir(folder)  # findings name files relative to the fixture folder, as expected.yaml does
    try:
        cfg = load_config(Path("agentgov.toml"), pack.parameters) if Path("agentgov.toml").is_file() else Config()
        return scan([Path(".")], pack, effective_parameters(cfg, pack.parameters), only=[pid])
    finally:
        os.chdir(old)


def _row(file: str, resource: str, status: str, line: Any = None) -> str:
    return f"{file}: {resource} {status}" + (f" (line {line})" if line is not None else "")


def _against_expected(pid: str, folder: Path, path: Path, findings: list[Any], nfiles: int) -> PolicyTest:
    rows = yaml.safe_load(path.read_text(encoding="utf-8")) or []
    want = {(r["file"], r["resource"], r["status"], r["line"]) for r in rows}
    have = {(f.location.file, f.resource_id, f.status.value, f.location.line) for f in findings}
    t = PolicyTest(pid, "expected.yaml", files=nfiles, expected=len(want), matched=len(want & have))
    t.missing = [_row(*k) for k in sorted(want - have, key=str)]
    t.unexpected = [_row(*k) for k in sorted(have - want, key=str)]
    return t


def inline_expectations(text: str) -> Iterator[tuple[int, str, list[str]]]:
    """(line, status, policy ids) of every ``agentgov:expect`` comment in a fixture's text."""
    for n, line in enumerate(text.splitlines(), start=1):
        for m in EXPECT.finditer(line):
            yield n, m.group(1), [x for x in re.split(r"[\s,]+", m.group(2)) if x]


def _against_inline(pid: str, folder: Path, files: list[str], findings: list[Any], result: Any) -> PolicyTest:
    t = PolicyTest(pid, "inline", files=len(files))
    decls: dict[str, list[tuple[int, str]]] = {}
    for r in result.inventory:
        if r.location.line is not None:
            decls.setdefault(r.location.file, []).append((r.location.line, r.id))
    want: set[tuple[str, str, str]] = set()
    skipped: set[str] = set()
    for rel in files:
        path = folder / rel
        if path.suffix == ".json":
            side = path.with_name(path.name + SIDECAR)
            if not side.is_file():
                t.notes.append(f"{rel}: skipped (JSON cannot carry comments: write the expectations in {side.name})")
                skipped.add(rel)
                continue
            for e in yaml.safe_load(side.read_text(encoding="utf-8")) or []:
                if e.get("policy") == pid:
                    want.add((rel, str(e["resource"]), str(e["status"])))
            continue
        text = path.read_text(encoding="utf-8", errors="replace")
        for line, status, ids in inline_expectations(text):
            if pid not in ids:
                continue
            below = sorted(d for d in decls.get(rel, []) if d[0] >= line)
            if not below:
                t.missing.append(f"{rel}:{line}: agentgov:expect {status} {pid} is below every resource of the file")
                continue
            want.add((rel, below[0][1], status))
    findings = [f for f in findings if f.location.file not in skipped]
    have = {(f.location.file, f.resource_id, f.status.value) for f in findings}
    t.expected = len(want)
    t.matched = len(want & have)
    t.missing += [_row(*k) for k in sorted(want - have)]
    t.unexpected = [_row(*k) for k in sorted(have - want) if k[2] != "PASS"]
    if not want and not t.missing:
        t.source = "none"
        t.notes.append(f"no expectations: neither {folder / 'expected.yaml'} nor an agentgov:expect comment for {pid}")
    return t


def table(tests: list[PolicyTest]) -> str:
    """The per-policy table, then each mismatch."""
    head = f"{'policy':10} {'source':14} {'files':>5} {'expected':>8} {'matched':>7} {'missing':>7} {'unexpected':>10}  result"
    lines = [head, "-" * len(head)]
    for t in tests:
        result = "ok" if t.ok else ("NO EXPECTATIONS" if t.source == "none" else "MISMATCH")
        lines.append(
            f"{t.policy_id:10} {t.source:14} {t.files:>5} {t.expected:>8} {t.matched:>7} {len(t.missing):>7} {len(t.unexpected):>10}  {result}"
        )
    for t in tests:
        for m in t.missing:
            lines.append(f"{t.policy_id}: missing: {m}")
        for u in t.unexpected:
            lines.append(f"{t.policy_id}: unexpected: {u}")
        for n in t.notes:
            lines.append(f"{t.policy_id}: {n}")
    bad = sum(1 for t in tests if not t.ok)
    lines.append(f"{len(tests)} policies tested: {len(tests) - bad} ok, {bad} with a mismatch or no expectations")
    return "\n".join(lines) + "\n"
