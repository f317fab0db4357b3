"""``agentgov policies list | show ID``: the policies of the pack."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from agentgov.cli.common import EXIT_OK, EXIT_USAGE, Parser, err, load_pack

NAME = "policies"


def add_parser(sub: Any) -> None:
    pol = sub.add_parser(NAME, help="list or show the policies of the pack")
    psub = pol.add_subparsers(dest="policies_command", metavar="ACTION", parser_class=Parser)
    psub.add_parser("list", help="one line per policy")
    show = psub.add_parser("show", help="one policy in full")
    show.add_argument("id", help="the policy id (AG201; case does not matter)")


def run(args: argparse.Namespace) -> int:
    pack = load_pack()
    if args.policies_command in (None, "list"):
        for p in pack:
            sys.stdout.write(f"{p.id}  {p.severity:8}  {p.pillar:8}  {p.title}\n")
        return EXIT_OK
    p = pack.get(args.id.upper())
    if p is None:
        err(f"no policy {args.id} (see 'agentgov policies list')")
        return EXIT_USAGE
    sys.stdout.write(pack.files[p.id].read_text(encoding="utf-8"))
    return EXIT_OK
