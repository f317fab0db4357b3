"""The report as one self-contained HTML file: inline CSS, SVG and script, no external request, printable.

``render(ctx)`` is what an evidence bundle writes (``report.html``); ``chunks(result, args)`` is ``--format html``
of ``scan``, ``audit`` and ``merge``: both render ``templates/report.html.j2`` from the JSON report. The one
script (``templates/report.js``, the findings filters) is allowed by its hash in the page's Content-Security-Policy;
nothing else can run, and every value from a report is escaped (autoescape).
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from . import html_view
from .report_context import environment, view

SCRIPT = Path(__file__).resolve().parent / "templates" / "report.js"


def script() -> tuple[str, str]:
    """The filter script and its CSP source ('sha256-...')."""
    text = SCRIPT.read_text(encoding="utf-8")
    digest = base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii")
    return text, f"sha256-{digest}"


def render(ctx: dict[str, Any]) -> str:
    """The HTML of a context (``report``, ``coverage``; optional ``scope``, ``sequence``, ``previous_report``, ...)."""
    from markupsafe import Markup

    text, digest = script()
    ctx = {
        "heading": "agentgov evidence report" if ctx.get("scope") else "agentgov report",
        "scope": None,
        "sequence": None,
        "previous_sequence": None,
        "previous_report": None,
        "created": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        **ctx,
        "script": Markup(text),
        "script_hash": digest,
    }
    return environment(autoescape=True).get_template("report.html.j2").render(**html_view.extend(view(ctx)))


def context(report: dict[str, Any], policies: Any = ()) -> dict[str, Any]:
    """The context of a report outside a bundle: coverage, and the pillar and title of each policy that ran."""
    from .report_context import coverage

    titles = {p.id: {"title": p.title, "pillar": p.pillar, "severity": str(p.severity)} for p in policies}
    return {"report": report, "coverage": coverage(report), "titles": titles, "frameworks": {}}


def chunks(result: Any, args: Any = None) -> Iterator[str]:
    """``--format html`` of a scan, an audit or a merge (the report is built whole: an HTML page is)."""
    from . import json_report

    report = _plain(json_report.build(result, include_pass=not getattr(args, "no_pass", False)))
    yield render(context(report, result.policies))


def _plain(report: dict[str, Any]) -> dict[str, Any]:
    """The report as its JSON has it (enums as values, evidence values as text)."""
    import json

    from .json_report import _default

    return json.loads(json.dumps(report, default=_default))
