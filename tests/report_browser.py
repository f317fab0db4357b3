"""Headless Chromium on the HTML report: screenshots of its sections, a print preview, and a layout probe.

Used by tests/test_report_chromium.py; run it to refresh the screenshots in docs/ from the demo audit:

    python tests/report_browser.py docs        # writes docs/report-{summary,agent-card,account-matrix,print}.png
"""

from __future__ import annotations

import json
import re
import shutil
import struct
import subprocess
import sys
import tempfile
from pathlib import Path

CHROMIUM = next((c for c in ("chromium", "chromium-browser", "google-chrome") if shutil.which(c)), None)
PDFTOPPM = shutil.which("pdftoppm")
WIDTH = 1280
#: section id -> (docs file name, viewport height)
SHOTS = {"sec-summary": ("report-summary.png", 820), "sec-agents": ("report-agent-card.png", 720),
         "sec-matrix": ("report-account-matrix.png", 420)}  # fmt: skip

#: records every table cell, card or table whose content is wider than its box, or that sticks out of the page body
PROBE = """(function () {
  var body = document.body.getBoundingClientRect(), bad = [];
  var els = document.querySelectorAll("table, th, td, .card, .tile, svg, dl, form, section");
  for (var i = 0; i < els.length; i++) {
    var el = els[i], r = el.getBoundingClientRect();
    if (el.hidden || r.width === 0) { continue; }
    if (el.scrollWidth > el.clientWidth + 1 || r.right > body.right + 1) {
      var t = el.closest("table");
      bad.push((t && t.id ? "#" + t.id + " " : "") + el.tagName.toLowerCase() + " right " + Math.round(r.right) +
               " > " + Math.round(body.right) + " or content " + el.scrollWidth + " > " + el.clientWidth);
    }
  }
  var out = document.createElement("pre");
  out.id = "layout-probe";
  out.textContent = JSON.stringify({page: document.documentElement.scrollWidth, viewport: window.innerWidth,
                                    overflow: bad.slice(0, 20), count: bad.length});
  document.body.appendChild(out);
})();"""


def _flags(profile: Path) -> list[str]:
    assert CHROMIUM
    return [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--hide-scrollbars",
            "--disable-background-networking", "--disable-component-update", "--disable-sync", f"--user-data-dir={profile}",
            "--enable-logging=stderr", "--v=0"]  # fmt: skip


def _run(args: list[str]) -> subprocess.CompletedProcess[str]:
    r = subprocess.run(args, capture_output=True, text=True, timeout=180)
    assert r.returncode == 0, r.stderr[-2000:]
    return r


def without_csp(html: str) -> str:
    """The page with its Content-Security-Policy removed, so a test can add a script of its own."""
    return re.sub(r'<meta http-equiv="Content-Security-Policy"[^>]*>', "", html, count=1)


def only_section(html: str, section: str) -> str:
    """The page showing only the title and one ``<section id=...>`` (so a viewport screenshot shows that section)."""
    style = f"<style>body > :not(h1):not(#{section}) {{ display: none !important; }}</style>"
    return html.replace("</head>", style + "</head>", 1)


def dump_dom(html: str, work: Path, width: int = WIDTH, name: str = "page.html") -> subprocess.CompletedProcess[str]:
    page = work / name
    page.write_text(html, encoding="utf-8")
    return _run([*_flags(work / "profile"), f"--window-size={width},900", "--virtual-time-budget=3000", "--dump-dom",
                 page.resolve().as_uri()])  # fmt: skip


def probe_layout(html: str, work: Path, width: int = WIDTH) -> dict:
    """What the layout probe saw at ``width`` px: {page, viewport, overflow: [...], count}."""
    page = without_csp(html).replace("</body>", f"<script>{PROBE}</script></body>", 1)
    dom = dump_dom(page, work, width, name=f"probe-{width}.html").stdout
    m = re.search(r'<pre id="layout-probe">(.*?)</pre>', dom, re.S)
    assert m, "the layout probe did not run"
    return json.loads(m.group(1).replace("&gt;", ">").replace("&lt;", "<").replace("&amp;", "&"))


def screenshot(html: str, section: str, out: Path, height: int, work: Path) -> Path:
    page = work / f"{section}.html"
    page.write_text(only_section(html, section), encoding="utf-8")
    _run([*_flags(work / "profile"), f"--window-size={WIDTH},{height}", f"--screenshot={out}", page.resolve().as_uri()])
    return out


def print_preview(html: str, out_png: Path, work: Path) -> Path | None:
    """Page 1 of the report printed to PDF (A4/Letter, Chromium's default), as a PNG at 50 dpi; None without pdftoppm."""
    page = work / "print.html"
    page.write_text(html, encoding="utf-8")
    pdf = work / "report.pdf"
    _run([*_flags(work / "profile"), "--no-pdf-header-footer", f"--print-to-pdf={pdf}", page.resolve().as_uri()])
    assert pdf.read_bytes().startswith(b"%PDF")
    if not PDFTOPPM:
        return None
    _run([PDFTOPPM, "-png", "-r", "50", "-f", "1", "-l", "1", "-singlefile", str(pdf), str(out_png.with_suffix(""))])
    return out_png


def png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()[:24]
    assert data[:8] == b"\x89PNG\r\n\x1a\n", f"{path}: not a PNG"
    return struct.unpack(">II", data[16:24])


def shoot_all(html: str, out_dir: Path, work: Path) -> dict[str, Path | None]:
    out_dir.mkdir(parents=True, exist_ok=True)
    shots: dict[str, Path | None] = {}
    for section, (name, height) in SHOTS.items():
        shots[name] = screenshot(html, section, out_dir / name, height, work)
    shots["report-print.png"] = print_preview(html, out_dir / "report-print.png", work)
    return shots


def demo_html(work: Path) -> str:
    """``agentgov audit --demo --format html`` (needs moto)."""
    from agentgov.cli.main import main

    out = work / "demo.html"
    main(["audit", "--demo", "--format", "html", "--output", str(out)])
    return out.read_text(encoding="utf-8")


if __name__ == "__main__":  # pragma: no cover - a maintainer's command
    target = Path(sys.argv[1] if len(sys.argv) > 1 else "docs")
    with tempfile.TemporaryDirectory() as tmp:
        for name, path in shoot_all(demo_html(Path(tmp)), target, Path(tmp)).items():
            print(f"{'wrote' if path else 'skipped (no pdftoppm)'} {target / name}")
