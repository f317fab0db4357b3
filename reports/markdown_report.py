"""The auditor's report as Markdown (``report.md`` of an evidence bundle)."""

from __future__ import annotations

from typing import Any

from .report_context import environment, view


def render(ctx: dict[str, Any]) -> str:
    return environment(autoescape=False).get_template("report.md.j2").render(**view(ctx))
