"""``agentgov schema NAME``: the generated JSON Schemas (also written to docs/ by ``agentgov docs``)."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from agentgov.cli.common import EXIT_OK

NAMES = ("report", "policy", "user-policy", "config", "agentgov-toml", "waivers", "drift")
NAME = "schema"


def add_parser(sub: Any) -> None:
    sch = sub.add_parser(NAME, help=f"print a generated JSON Schema ({', '.join(NAMES)})")
    sch.add_argument("name", choices=NAMES, help="which schema: " + ", ".join(NAMES))


def schemas() -> dict[str, dict[str, Any]]:
    from agentgov.policies.schema import Policy, UserPolicy
    from agentgov.reports import json_report
    from agentgov.reports.report_schema import drift_schema
    from agentgov.scanner.config import config_adapter
    from agentgov.scanner.suppress import waiver_model

    config = config_adapter().json_schema()
    return {
        "report": json_report.schema(),
        "policy": Policy.model_json_schema(by_alias=True),
        "user-policy": UserPolicy.model_json_schema(by_alias=True),
        "config": config,
        "agentgov-toml": config_file_schema(config),
        "waivers": waiver_model().model_json_schema(),
        "drift": drift_schema(),
    }


def config_file_schema(config: dict[str, Any]) -> dict[str, Any]:
    """The whole ``agentgov.toml`` file (its ``[agentgov]`` table is ``config``): for editors."""
    table = {k: v for k, v in config.items() if k != "$defs"}
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "agentgov.toml",
        "description": "agentgov configuration file; the same settings go under [tool.agentgov] in pyproject.toml.",
        "type": "object",
        "properties": {"agentgov": table},
        "additionalProperties": False,
        **({"$defs": config["$defs"]} if "$defs" in config else {}),
    }


def run(args: argparse.Namespace) -> int:
    sys.stdout.write(json.dumps(schemas()[args.name], indent=2) + "\n")
    return EXIT_OK
