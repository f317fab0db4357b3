"""``agentgov inventory``: the agent inventory of IaC (JSON or CSV)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from agentgov.cli import options
from agentgov.cli.common import EXIT_COVERAGE, EXIT_OK, EXIT_USAGE, err, load_pack

NAME = "inventory"


def add_parser(sub: Any) -> None:
    inv = sub.add_parser(
        NAME,
        help="the agent inventory of IaC (JSON or CSV): agents, aliases, model, role, guardrail, tools, blast radius",
        description="List every agent (Bedrock agents, AgentCore runtimes) found in the files, with what it is made of.",
    )
    inv.add_argument("paths", nargs="+", type=Path, metavar="PATH", help="files or directories to read")
    inv.add_argument("--format", "-f", choices=("json", "csv"), default="json", help="output format (default json)")
    inv.add_argument("--output", "-o", type=Path, help="output file (default stdout)")
    options.add_config(inv)


def run(args: argparse.Namespace) -> int:
    from agentgov.scanner import agent_inventory
    from agentgov.scanner.config import load_config
    from agentgov.scanner.discover import MAX_FILE_BYTES, build_inventory

    pack = load_pack()
    cfg = load_config(args.config, pack.parameters)
    inv = build_inventory(args.paths, cfg.max_file_size_mb * 1024 * 1024 or MAX_FILE_BYTES)
    rows = agent_inventory.records(inv)
    if args.format == "csv":
        text = agent_inventory.to_csv(rows)
    else:
        import json

        doc = {
            "agents": rows,
            "files_scanned": inv.files_scanned,
            "not_scanned": [{"file": e.file, "reason": e.reason} for e in inv.errors],
        }
        text = json.dumps(doc, indent=2) + "\n"
    for e in inv.errors:
        err(f"{e.file}{':' + str(e.line) if e.line else ''}: not scanned: {e.reason}")
    if args.output:
        try:
            args.output.parent.mkdir(parents=True, exist_ok=True)
            from agentgov.scanner.safe_write import write_text

            write_text(args.output, text)
        except OSError as exc:
            err(f"cannot write {args.output}: {exc.strerror or exc}")
            return EXIT_USAGE
    else:
        sys.stdout.write(text)
    return EXIT_COVERAGE if inv.errors else EXIT_OK
