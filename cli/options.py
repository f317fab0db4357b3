"""The options several ``agentgov`` commands share, each declared once here (name, type, help, default).

Standard library only: every command's parser is built on each start.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from agentgov.reports.formats import NAMES as _REPORT_FORMATS  # stdlib only: renderers load when asked

#: report formats of scan (audit and merge add ASFF: live findings have accounts)
FORMATS = ("text", "json", "sarif", "junit", "ocsf", *_REPORT_FORMATS)
LIVE_FORMATS = (*FORMATS, "asff")
SEVERITIES = ("info", "low", "medium", "high", "critical")

CONFIG_HELP = "agentgov.toml or pyproject.toml (default: discovered in the working directory)"


def add_formats(p: argparse.ArgumentParser, choices: tuple[str, ...], default: str) -> None:
    """``--format`` (repeatable) and ``--output`` for the format at the same position."""
    p.add_argument("--format", "-f", action="append", choices=choices, help=f"output format (repeatable; default {default})")
    p.add_argument(
        "--output", "-o", action="append", type=Path, help="output file for the --format at the same position (default stdout)"
    )


def add_config(p: argparse.ArgumentParser, what: str | None = None) -> None:
    """``--config``; ``what`` says what the command reads from it."""
    p.add_argument("--config", type=Path, help=CONFIG_HELP + (f"; read for {what}" if what else ""))


def add_policies(p: argparse.ArgumentParser) -> None:
    """``--policies DIR``: a user policy pack, beside the built-in pack and ``policy_paths`` of the configuration."""
    p.add_argument(
        "--policies",
        action="append",
        type=Path,
        default=[],
        metavar="DIR",
        help="also run the user policies in DIR (repeatable; added to policy_paths of the configuration)",
    )


def add_policy_selection(p: argparse.ArgumentParser, skip: bool = True, verb: str = "run") -> None:
    """``--policy`` (only these) and ``--skip-policy``; ``verb`` is what the command does with a policy."""
    p.add_argument("--policy", action="append", default=[], metavar="ID", help=f"{verb} only this policy (repeatable)")
    if skip:
        p.add_argument("--skip-policy", action="append", default=[], metavar="ID", help=f"do not {verb} this policy (repeatable)")


def add_fail_on(p: argparse.ArgumentParser) -> None:
    """What fails the run (exit 1): the severity threshold, and whether UNKNOWN counts."""
    p.add_argument("--severity-threshold", choices=SEVERITIES, help="fail (exit 1) on FAIL findings at or above this severity")
    p.add_argument("--fail-on-unknown", action="store_true", help="UNKNOWN findings at or above the threshold also fail")


def add_pass_output(p: argparse.ArgumentParser) -> None:
    """Whether passing checks are listed (text) or left out (JSON/SARIF)."""
    p.add_argument("--show-pass", action="store_true", help="text output: list passing checks too")
    p.add_argument("--no-pass", action="store_true", help="JSON/SARIF output: leave out PASS results")


def add_evidence(p: argparse.ArgumentParser) -> None:
    """``--evidence DIR`` and how the bundle is signed and chained."""
    p.add_argument(
        "--evidence", type=Path, metavar="DIR", help="also write a signed evidence bundle into DIR (see 'agentgov evidence')"
    )
    add_signing(p)


def add_signing(p: argparse.ArgumentParser) -> None:
    """How an evidence bundle is signed, and the chain it joins."""
    p.add_argument("--signing-key", type=Path, metavar="KEY.pem", help="Ed25519 private key (agentgov evidence keygen)")
    p.add_argument("--kms-key-id", metavar="KEY", help="sign with this AWS KMS asymmetric key (kms:Sign) instead")
    p.add_argument("--previous", type=Path, metavar="DIR", help="the previous bundle of the same scope: this one chains to it")
    p.add_argument("--scope", help="what the chain is about (default: repository:<working directory name>)")


def add_security_hub_region(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--security-hub-region",
        metavar="REGION",
        help="the region whose Security Hub gets the findings of global resources (IAM roles, account-level checks), in the "
        "import and in --format asff (default us-east-1; give your Security Hub home or aggregation region)",
    )


def add_out(p: argparse.ArgumentParser, default: str, what: str = "output directory") -> None:
    """``--out DIR`` of a command that writes generated files."""
    p.add_argument("--out", type=Path, default=Path(default), help=f"{what} (default {default})")


def add_check(p: argparse.ArgumentParser) -> None:
    """``--check``: compare the generated files with what is there."""
    p.add_argument("--check", action="store_true", help="write nothing; exit 1 if a generated file in --out differs")
