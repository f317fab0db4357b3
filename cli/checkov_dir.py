"""``agentgov checkov-dir``: write the checkov pack's directory (``checkov --external-checks-dir``), print its path."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from agentgov.cli import options
from agentgov.cli.common import EXIT_OK, EXIT_USAGE, err, load_pack

NAME = "checkov-dir"


def add_parser(sub: Any) -> None:
    ckv = sub.add_parser(
        NAME,
        help="write checkov checks that run the pack's single-resource policies; print the directory",
        description="Write a directory for `checkov --external-checks-dir` (needs agentgov in checkov's environment: "
        "from the agentgov repository, CHECKOV_ENV/bin/pip install -e '.[checkov]') and print its path.",
    )
    ckv.add_argument("--out", type=Path, metavar="DIR", help="directory to write (default: under the agentgov cache directory)")
    options.add_policies(ckv)
    options.add_config(ckv, "policy_paths and overrides")


def run(args: argparse.Namespace) -> int:
    from agentgov.integrations.checkov_pack import default_dir, write_dir
    from agentgov.scanner import __version__

    pack = load_pack(args)
    if pack.not_loaded:
        err("nothing written: fix the user policies above (a checks directory without them would pass their resources silently)")
        return EXIT_USAGE
    out = args.out or default_dir(pack, __version__)
    try:
        write_dir(out, pack, __version__)
    except OSError as exc:
        err(f"cannot write {out}: {exc.strerror or exc}")
        return EXIT_USAGE
    sys.stdout.write(f"{out}\n")
    return EXIT_OK
