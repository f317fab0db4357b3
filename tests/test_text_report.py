"""Text output: an audit grouped by account and region, each location once, PASS only when asked, and the last
line's counts by severity with the threshold used (reports/text.py)."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from agentgov.cli.main import main

REPO = Path(__file__).resolve().parents[1]
ACCOUNTS = ("111111111111", "222222222222")
REGIONS = ("eu-west-1", "us-east-1")


@pytest.fixture
def work(tmp_path, monkeypatch):
    shutil.copytree(REPO / "examples", tmp_path / "examples")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def _audit_report() -> dict:
    """The examples' scan report made into an audit's: each finding live in an account and region (IAM roles global)."""
    assert main(["scan", "examples", "-f", "json", "-o", "scan.json"]) == 1
    report = json.loads(Path("scan.json").read_text())
    findings = []
    for i, acct in enumerate(ACCOUNTS):
        for f in report["findings"]:
            region = None if f["resource_type"] == "AWS::IAM::Role" or "iam_role" in f["resource_id"] else REGIONS[i % 2]
            arn = f"arn:aws:x:{region or ''}:{acct}:{f['resource_id']}"
            findings.append({**f, "account": acct, "region": region, "resource_id": arn, "fingerprint": f"{acct}{f['fingerprint']}",
                             "location": {"file": f"aws://{acct}/{region or 'global'}/{arn}", "line": None, "column": None,
                                          "end_line": None}})  # fmt: skip
    report["findings"] = findings
    report["agents"] = []
    report["summary"]["files_scanned"] = 0
    report["audit"] = {"run_id": "r1", "shard": None, "accounts": 2, "regions": 2, "calls": 10, "failed_calls": 0,
                       "calls_by_service": {}, "failed_calls_by_operation": {}, "seconds": 1.0, "coverage_gaps": []}  # fmt: skip
    Path("audit.json").write_text(json.dumps(report))
    return report


def _text(capsys, *extra: str) -> str:
    capsys.readouterr()
    main(["merge", "audit.json", "-f", "text", *extra])
    return capsys.readouterr().out


def test_an_audit_is_grouped_by_account_and_region_and_says_each_location_once(work, capsys):
    report = _audit_report()
    text = _text(capsys)
    body = text[: text.index("\nAudited ")]
    assert re.findall(r"^Account (\d{12})$", body, re.M) == list(ACCOUNTS)  # one heading per account
    for i, acct in enumerate(ACCOUNTS):
        part = body[body.index(f"Account {acct}") :]
        part = part[: part.index("\nAccount ")] if acct != ACCOUNTS[-1] else part
        assert re.findall(r"^  (\S+)", part, re.M) == [REGIONS[i % 2], "global"]
    assert "aws://" not in body  # the location is the account, region and ARN headings
    shown = [f for f in report["findings"] if f["status"] != "PASS"]
    for f in shown:
        assert len(re.findall(re.escape(f["resource_id"]) + r"(?![\w-])", body)) == 1, f["resource_id"]  # on its heading
    assert len(re.findall(r"^      (CRITICAL|HIGH|MEDIUM|LOW|INFO|UNKNOWN|ERROR) ", body, re.M)) == len(shown)
    assert "PASS" not in body
    # a policy's fix hint once per account
    fixes = re.findall(r"^ +fix: (.*)$", body, re.M)
    per_account = {f["policy_id"] for f in shown if f["status"] == "FAIL" and f.get("remediation")}
    assert len(fixes) == len(ACCOUNTS) * len(per_account)


def test_pass_only_when_asked(work, capsys):
    report = _audit_report()
    text = _text(capsys, "--show-pass")
    passes = [f for f in report["findings"] if f["status"] == "PASS"]
    assert len(re.findall(r"^      PASS     AG\d{3} ", text, re.M)) == len(passes) > 0


def test_the_last_line_counts_failures_by_severity_with_the_threshold(work, capsys):
    report = _audit_report()
    fails = [f for f in report["findings"] if f["status"] == "FAIL"]
    n = {s: sum(1 for f in fails if f["severity"] == s) for s in ("critical", "high", "medium", "low", "info")}
    last = _text(capsys, "--severity-threshold", "high").rstrip("\n").splitlines()[-1]
    counts = ", ".join(f"{v} {k}" for k, v in n.items())
    assert last == f"FAIL by severity: {counts}; severity threshold high: {n['critical'] + n['high']} at or above it fail the run"
    capsys.readouterr()
    assert main(["scan", "examples"]) == 1  # the configuration's threshold (default low) when no option says one
    last = capsys.readouterr().out.rstrip("\n").splitlines()[-1]
    assert (
        last
        == "FAIL by severity: 2 critical, 9 high, 14 medium, 4 low, 0 info; severity threshold low: 29 at or above it fail the run"
    )
    Path("agentgov.toml").write_text('[agentgov]\nseverity_threshold = "critical"\n')
    main(["scan", "examples", "--skip-policy", "AG402"])
    assert capsys.readouterr().out.rstrip("\n").endswith("severity threshold critical: nothing at or above it failed")
