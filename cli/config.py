"""``agentgov config show``: every setting and parameter with its value and where it comes from."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from agentgov.cli import options
from agentgov.cli.common import EXIT_OK, Parser, finish, load_pack

NAME = "config"


def add_parser(sub: Any) -> None:
    cfg = sub.add_parser(NAME, help="show the effective configuration")
    csub = cfg.add_subparsers(dest="config_command", metavar="ACTION", parser_class=Parser)
    cshow = csub.add_parser("show", help="every setting and parameter with its value and where it comes from")
    options.add_config(cshow)
    options.add_policies(cshow)
    cshow.add_argument("--format", "-f", choices=("toml", "json"), default="toml", help="output format (default toml)")


def run(args: argparse.Namespace) -> int:
    from agentgov.scanner.config import effective, load_config, to_toml

    pack = load_pack(args)
    cfg = load_config(getattr(args, "config", None), pack.parameters)
    eff = effective(cfg, pack.parameters, pack)
    if getattr(args, "format", "toml") == "json":
        import json

        sys.stdout.write(json.dumps(eff, indent=2) + "\n")
    else:
        sys.stdout.write(to_toml(eff))
    return finish(EXIT_OK, pack)
