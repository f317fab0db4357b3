"""``--format html`` of scan, audit, merge and drift; the evidence bundle's copy; escaping; no external request;
and, in headless Chromium, the layout (no column overflows at 1,280 px or at a printed page's width), the filters,
and the screenshots of docs/ (tests/report_browser.py)."""

from __future__ import annotations

import base64
import hashlib
import json
import re
import shutil
from html.parser import HTMLParser
from pathlib import Path

import pytest
import report_browser as rb
from markupsafe import escape

from agentgov.cli.main import main
from agentgov.reports import html_report

REPO = Path(__file__).resolve().parents[1]
needs_chromium = pytest.mark.skipif(rb.CHROMIUM is None, reason="chromium not installed (.ci/run installs Debian's chromium)")


@pytest.fixture
def examples(tmp_path, monkeypatch):
    shutil.copytree(REPO / "examples", tmp_path / "examples")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def _scan_html(*extra: str) -> tuple[str, dict]:
    assert main(["scan", "examples", "-f", "json", "-o", "r.json", "-f", "html", "-o", "r.html", *extra]) == 1
    return Path("r.html").read_text(encoding="utf-8"), json.loads(Path("r.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    """One demo audit for the module: its JSON and HTML reports, and the HTML of a merge of the JSON."""
    pytest.importorskip("moto")
    d = tmp_path_factory.mktemp("demo")
    rc = main(["audit", "--demo", "-f", "json", "-o", str(d / "r.json"), "-f", "html", "-o", str(d / "r.html")])
    assert rc == 1
    assert main(["merge", str(d / "r.json"), "-f", "html", "-o", str(d / "m.html")]) == 1
    return {"dir": d, "report": json.loads((d / "r.json").read_text()), "html": (d / "r.html").read_text(),
            "merged": (d / "m.html").read_text()}  # fmt: skip


class _Refs(HTMLParser):
    """Every attribute that could load or navigate somewhere, and the scripts' text."""

    def __init__(self) -> None:
        super().__init__()
        self.refs: list[tuple[str, str, str]] = []
        self.scripts: list[str] = []
        self.csp = ""
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        for k in ("src", "href", "action", "formaction", "poster", "data", "srcset", "xlink:href"):
            if a.get(k):
                self.refs.append((tag, k, a[k] or ""))
        if tag == "meta" and (a.get("http-equiv") or "").lower() == "content-security-policy":
            self.csp = a.get("content") or ""
        self._in_script = tag == "script"
        if tag == "script":
            assert "src" not in a, "no external script"
            self.scripts.append("")

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._in_script = False

    def handle_data(self, data: str) -> None:
        if self._in_script:
            self.scripts[-1] += data


def _assert_self_contained(page: str) -> None:
    p = _Refs()
    p.feed(page)
    assert not [r for r in p.refs if not r[2].startswith("#")], p.refs  # in-page anchors only
    assert "url(" not in page and "@import" not in page, "no stylesheet request"
    assert "default-src 'none'" in p.csp, p.csp
    for text in p.scripts:  # the page runs only the scripts its CSP names by hash
        digest = base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode()
        assert f"'sha256-{digest}'" in p.csp


# ------------------------------------------------------------------ scan


def test_scan_writes_an_html_report_summary_first_with_agent_cards(examples):
    page, report = _scan_html()
    _assert_self_contained(page)
    order = [page.index(s) for s in ('id="summary"', 'id="gaps"', 'id="pass-rate"', 'id="agents"', 'id="findings"')]
    assert order == sorted(order), "the executive summary (coverage and gaps, pass rate) comes first"
    counts = report["summary"]["findings_by_status"]
    for status in ("FAIL", "PASS", "UNKNOWN"):
        assert f'id="count-{status}">{counts.get(status, 0)}<' in page
    settled = sum(counts.get(s, 0) for s in ("PASS", "FAIL", "UNKNOWN", "ERROR"))
    assert f"<strong>{round(100 * counts['PASS'] / settled, 1)}%</strong> of {settled} checks pass" in page
    assert page.count('<section class="card"') == len(report["agents"]) == 2
    for a in report["agents"]:
        assert escape(a["model"]) in page and escape(a["role"]) in page
    assert "IaC files scanned" in page and 'id="account-matrix"' not in page  # no accounts in a scan
    rows = re.findall(r'<tr data-status="(\w+)" data-severity="(\w+)" data-policy="(AG\d+)"', page)
    assert len(rows) == len(report["findings"])  # every finding, PASS too (the filters hide PASS at first)
    for f in (f for f in report["findings"] if f["status"] == "UNKNOWN"):
        assert escape(f["message"]) in page  # UNKNOWN reasons shown


def _hostile(report: dict) -> dict:
    bad = '<script>document.title="pwned"</script><img src=x onerror="document.title=\'pwned\'">'
    for f in report["findings"]:
        f["message"] = bad + f["message"]
        f["resource_id"] = '"><svg onload=alert(1)>' + f["resource_id"]
        f["account"] = '"><b id=acct>'
    for a in report["agents"]:
        a["name"] = bad
        a["model"] = bad
    return report


def test_everything_from_a_report_is_escaped(examples):
    _, report = _scan_html()
    page = html_report.render(html_report.context(_hostile(report)))
    assert "<script>document.title" not in page and "<img src=x" not in page and "<svg onload" not in page
    assert "&lt;script&gt;document.title=&#34;pwned&#34;&lt;/script&gt;" in page
    assert 'data-account="&#34;&gt;&lt;b id=acct&gt;"' in page
    assert page.count("<script") == 1  # the filters' own script, nothing else
    _assert_self_contained(page)


def test_a_chained_evidence_bundle_shows_the_trend_since_the_previous(examples):
    from agentgov.reports.evidence.sign import keygen

    keygen(examples / "keys")
    key = "keys/agentgov-evidence.key.pem"
    assert (
        main(["scan", "examples", "--skip-policy", "AG402", "--evidence", "b1", "--signing-key", key, "--scope", "repo:x"]) == 1
    )
    assert main(["scan", "examples", "--evidence", "b2", "--signing-key", key, "--scope", "repo:x", "--previous", "b1"]) == 1
    first, second = Path("b1/report.html").read_text(), Path("b2/report.html").read_text()
    assert 'id="trend"' not in first and "agentgov evidence report" in first
    before = json.loads(Path("b1/findings.json").read_text())["summary"]["findings_by_status"]
    now = json.loads(Path("b2/findings.json").read_text())["summary"]["findings_by_status"]
    trend = second[second.index('id="trend"') :]
    assert "since bundle 0" in trend
    delta = now["FAIL"] - before["FAIL"]
    assert delta > 0  # AG402 fails on the examples
    assert f'<td>FAIL</td><td class="n">{before["FAIL"]}</td><td class="n">{now["FAIL"]}</td><td class="n">+{delta}</td>' in trend
    new = re.search(r"<p>(\d+) finding\(s\) failing or unsettled that were not before; (\d+) no longer are", trend)
    assert new and int(new.group(1)) >= delta and new.group(2) == "0"


# ------------------------------------------------------------------ audit, merge, drift


def test_audit_html_states_the_runs_facts_a_matrix_and_one_card_per_agent(demo):
    page, report = demo["html"], demo["report"]
    _assert_self_contained(page)
    audit = report["audit"]
    assert "files scanned" not in page  # an audit says what it walked
    facts = page[page.index('id="facts"') :]
    for label, value in (
        ("run id", audit["run_id"]),
        ("API calls", audit["calls"]),
        ("coverage gaps", len(audit["coverage_gaps"])),
    ):
        assert f"<dt>{label}</dt><dd>{value}" in facts
    assert f"<dt>failed calls</dt><dd>{audit['failed_calls']} (" in facts
    accounts = sorted({f["account"] for f in report["findings"] if f.get("account")})
    matrix = page[page.index('id="account-matrix"') : page.index("</table>", page.index('id="account-matrix"'))]
    assert re.findall(r'<td class="acct"><code>(\d{12})</code>', matrix) == accounts
    regions = sorted({f["region"] for f in report["findings"] if f.get("region")})
    assert re.findall(r"<th>([a-z0-9-]+)</th>", matrix) == ["account", *regions, "global"]
    assert page.count('<section class="card"') == len(report["agents"]) == 5
    for a in report["agents"]:
        assert a["id"] in page and (a["guardrail"] is None or a["guardrail"] in page)
    for acct in accounts:
        assert f'<option value="{acct}">' in page  # the account filter
    reasons = page[page.index('id="unknown-reasons"') :]
    for f in (f for f in report["findings"] if f["status"] == "UNKNOWN"):
        assert escape(f["message"]) in reasons


def test_merge_renders_the_same_report_as_the_audit(demo):
    def body(page: str) -> str:  # the creation time differs
        return re.sub(r"created [0-9T:+-]+", "", page)

    assert body(demo["merged"]) == body(demo["html"])


def test_drift_writes_html(demo, examples, capsys):
    out = examples / "drift.html"
    rc = main(["drift", "--iac", "examples", "--live", str(demo["dir"] / "r.json"), "-f", "json", "-o", "d.json",
               "-f", "html", "-o", str(out)])  # fmt: skip
    assert rc == 1
    doc = json.loads(Path("d.json").read_text())
    page = out.read_text()
    _assert_self_contained(page)
    assert f'id="count-unmanaged">{doc["summary"]["unmanaged"]}<' in page
    assert f'id="count-not-deployed">{doc["summary"]["undeployed"]}<' in page
    for u in doc["unmanaged"]:
        assert escape(u["location"]) in page
    assert "<strong>Drift.</strong>" in page


# ------------------------------------------------------------------ in headless Chromium


@needs_chromium
def test_no_column_overflows_at_1280_px_or_at_print_width(demo, examples, tmp_path):
    """Every cell's content fits its box and nothing sticks out of the page (the old report's 'what is wrong' column did)."""
    scan_page, _ = _scan_html()
    for name, page in (("audit", demo["html"]), ("scan", scan_page)):
        for width in (1280, 800):  # 800 px: about an A4 page's printable width
            seen = rb.probe_layout(page, tmp_path, width)
            assert seen["count"] == 0 and seen["page"] <= width, (name, width, seen)


@needs_chromium
def test_the_filters_hide_pass_at_first_and_no_console_error(demo, tmp_path):
    r = rb.dump_dom(demo["html"], tmp_path)
    dom = r.stdout
    n = len(demo["report"]["findings"])
    shown = n - demo["report"]["summary"]["findings_by_status"]["PASS"]
    assert f'<span id="shown">{shown} of {n} finding(s) shown</span>' in dom
    assert len(re.findall(r'<tr data-status="PASS"[^>]* hidden=""', dom)) == n - shown
    assert '<form id="filters">' in dom  # shown once the script runs
    assert not [ln for ln in r.stderr.splitlines() if "CONSOLE" in ln or "Refused to" in ln]


@needs_chromium
def test_a_hostile_finding_does_not_run_in_chromium(examples, tmp_path):
    _, report = _scan_html()
    r = rb.dump_dom(html_report.render(html_report.context(_hostile(report))), tmp_path)
    assert "<title>agentgov report</title>" in r.stdout and "pwned</title>" not in r.stdout
    assert '<img src="x"' not in r.stdout and 'id="acct"' not in r.stdout


@needs_chromium
def test_screenshots_of_the_summary_an_agent_card_and_the_account_matrix(demo, tmp_path):
    for section, (name, height) in rb.SHOTS.items():
        png = rb.screenshot(demo["html"], section, tmp_path / name, height, tmp_path)
        assert rb.png_size(png) == (rb.WIDTH, height) and png.stat().st_size > 20_000, name
    for name in ("report-summary.png", "report-agent-card.png", "report-account-matrix.png"):  # checked in, kept small
        assert rb.png_size(REPO / "docs" / name)[0] == rb.WIDTH and (REPO / "docs" / name).stat().st_size < 300_000


@needs_chromium
def test_the_print_preview(demo, tmp_path):
    if rb.PDFTOPPM is None:
        pytest.skip("pdftoppm (poppler-utils) not installed: the PDF is printed and checked, its page 1 is not rasterized")
    png = rb.print_preview(demo["html"], tmp_path / "print.png", tmp_path)
    assert png is not None
    w, h = rb.png_size(png)
    assert 380 <= w <= 440 and h > w and png.stat().st_size > 10_000  # a portrait page at 50 dpi


def test_no_pass_leaves_the_pass_rows_out_but_not_the_counts(examples):
    page, report = _scan_html("--no-pass")
    assert 'data-status="PASS"' not in page and 'data-status="FAIL"' in page
    assert f'id="count-PASS">{report["summary"]["findings_by_status"]["PASS"]}<' in page
