"""The auditor's report as one self-contained HTML file: inline CSS and SVG, no external request, printable."""

from __future__ import annotations

from typing import Any

from .report_context import environment, view


def render(ctx: dict[str, Any]) -> str:
    return environment(autoescape=True).get_template("report.html.j2").render(**view(ctx))
