"""``--format markdown`` for pull-request comments and $GITHUB_STEP_SUMMARY (reports/pr_markdown.py)."""

from __future__ import annotations

import copy
import json
import re
import shutil
from pathlib import Path

import pytest

from agentgov.cli.main import main
from agentgov.reports.pr_markdown import LIMIT, render_report

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture
def examples(tmp_path, monkeypatch):
    shutil.copytree(REPO / "examples", tmp_path / "examples")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def _scan(*extra: str) -> tuple[str, dict]:
    main(["scan", "examples", "-f", "json", "-o", "r.json", "-f", "markdown", "-o", "r.md", *extra])
    return Path("r.md").read_text(encoding="utf-8"), json.loads(Path("r.json").read_text(encoding="utf-8"))


def _rows(md: str, title: str) -> list[list[str]]:
    """The table rows of the <details> section called ``title``."""
    m = re.search(rf"<summary><b>{re.escape(title)}</b> \(\d+\)</summary>\n(.*?)</details>", md, re.S)
    assert m, title
    lines = [ln for ln in m.group(1).splitlines() if ln.startswith("| ") and not ln.startswith(("| severity", "| ---"))]
    return [[c.strip() for c in re.split(r"(?<!\\)\|", ln)[1:-1]] for ln in lines]


def _balanced(md: str) -> None:
    assert md.count("<details") == md.count("</details>") and md.count("<summary>") == md.count("</summary>")
    for ln in md.splitlines():
        if ln.startswith("|"):
            assert ln.endswith("|"), ln  # no row cut in half


def test_scan_markdown_counts_table_and_collapsed_failures(examples):
    md, report = _scan()
    _balanced(md)
    fails = [f for f in report["findings"] if f["status"] == "FAIL"]
    assert md.startswith("## agentgov\n\n**29 finding(s) at or above `low` fail the run.**") and len(fails) == 29
    for sev in ("critical", "high", "medium", "low", "info"):
        n = sum(1 for f in fails if f["severity"] == sev)
        assert re.search(rf"^\| {sev}( ⬅ threshold)? \| {n} \|$", md, re.M), sev
    rows = _rows(md, "Failing")
    assert len(rows) == len(fails)
    assert rows[0][:2] == ["critical", "AG402"]  # worst first
    assert "examples/cloudformation/orders-agent.yaml:" in md
    unknown = _rows(md, "UNKNOWN: what the inputs cannot settle")
    assert len(unknown) == report["summary"]["findings_by_status"]["UNKNOWN"]
    assert "PASS" not in {r[0] for r in rows + unknown}


def test_with_a_baseline_the_new_findings_come_first(examples, capsys):
    main(["scan", "examples", "--skip-policy", "AG402", "--write-baseline", "base.json"])
    md, report = _scan("--baseline", "base.json")
    _balanced(md)
    new = _rows(md, "New since the baseline")
    assert {r[1] for r in new} == {"AG402"} and len(new) == 2
    assert md.index("New since the baseline") < md.index("Failing, already in the baseline")
    assert "**2 finding(s) at or above `low` fail the run.**" in md  # only new findings fail against a baseline
    assert re.search(r"^\| critical \| 2 \| 2 \|$", md, re.M)  # severity, FAIL, new
    assert "Baseline: 2 new, " in md


def test_markdown_says_the_threshold_it_used(examples, capsys):
    # (merge takes audit shards only since issue 15: a scan report is refused there, so the threshold is shown on a scan)
    assert main(["scan", "examples", "-f", "markdown", "--severity-threshold", "critical"]) == 1
    md = capsys.readouterr().out
    assert md.startswith("## agentgov\n\n**2 finding(s) at or above `critical` fail the run.**")
    assert re.search(r"^\| critical ⬅ threshold \| 2 \|$", md, re.M)


def test_the_comment_stays_under_githubs_limit_and_says_what_was_cut(examples):
    _, report = _scan()
    big = copy.deepcopy(report)
    template = next(f for f in report["findings"] if f["status"] == "FAIL")
    big["findings"] = [
        {**template, "resource_id": f"Resource{i}", "message": "x" * 300 + f" #{i}", "fingerprint": str(i)} for i in range(3000)
    ]
    md = render_report(big, "low")
    assert len(md) <= LIMIT
    _balanced(md)
    shown = len(_rows(md, "Failing")) - 1  # the last row says how many more
    assert 100 < shown < 3000
    assert f"| … | {3000 - shown} more not shown | | | |" in md
    assert f"_{3000 - shown} finding(s) not shown: a GitHub comment holds at most 65,536 characters." in md


def test_cells_cannot_break_the_table_or_carry_html(examples):
    _, report = _scan()
    f = next(f for f in report["findings"] if f["status"] == "FAIL")
    f["message"] = "a | b\nc <script>alert(1)</script>"
    f["resource_id"] = "Res`|x"
    f["resource_name"] = None
    md = render_report(report, "low")
    _balanced(md)
    line = next(ln for ln in md.splitlines() if "alert(1)" in ln)
    assert "a \\| b c &lt;script&gt;alert(1)&lt;/script&gt;" in line and "<script>" not in md
    assert "`Res'\\|x`" in line
