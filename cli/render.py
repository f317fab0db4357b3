"""One report format of a scan's, audit's or merge's result, as pieces (an audit's findings stream from its spool)."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Iterable
from typing import Any


def render(fmt: str, result: Any, args: argparse.Namespace, to_stdout: bool) -> str | Iterable[str]:
    from agentgov.reports import formats

    if fmt in formats.RENDERERS:  # html, markdown: reports/formats.py
        return formats.render(fmt, result, args)
    if fmt == "text":
        from agentgov.reports import text
        from agentgov.reports.pr_markdown import threshold_of

        color = to_stdout and sys.stdout.isatty() and not os.environ.get("NO_COLOR")
        return text.chunks(result, color=color, show_pass=args.show_pass, threshold=threshold_of(result, args))
    if fmt == "json":
        from agentgov.reports import json_report

        return json_report.chunks(result, include_pass=not args.no_pass)
    if fmt == "sarif":
        from agentgov.reports import sarif

        return sarif.chunks(result, include_pass=not args.no_pass)
    if fmt == "junit":
        from agentgov.reports import junit

        return junit.chunks(result)
    if fmt == "asff":
        from agentgov.reports import asff

        return asff.chunks(
            result, include_pass=not args.no_pass, home=getattr(args, "security_hub_region", None) or asff.GLOBAL_REGION
        )
    if fmt == "ocsf":
        from agentgov.reports import ocsf

        return ocsf.chunks(result, include_pass=not args.no_pass)
    raise ValueError(fmt)
