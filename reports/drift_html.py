"""``agentgov drift --format html``: the drift document (its JSON form) as one self-contained HTML page."""

from __future__ import annotations

import datetime as dt
from typing import Any

from .report_context import environment


def render(drift: dict[str, Any]) -> str:
    s = drift.get("summary", {})
    tiles = [
        ("unmanaged", s.get("unmanaged", 0), "live, no scanned IaC defines them"),
        ("not deployed", s.get("undeployed", 0), "in IaC, not found live"),
        ("verdicts differ", s.get("verdicts", 0), "same resource, different verdict"),
        ("not assessed", s.get("not_assessed", 0), "the live result cannot tell"),
        ("matched", s.get("matched", 0), "IaC resources found live"),
    ]
    return (
        environment(autoescape=True)
        .get_template("drift.html.j2")
        .render(d=drift, s=s, tiles=tiles, created=dt.datetime.now(dt.UTC).isoformat(timespec="seconds"))
    )
