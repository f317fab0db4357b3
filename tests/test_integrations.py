"""pre-commit hook and GitHub action: well-formed, and what they run is an agentgov command that exists."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import yaml

from agentgov.scanner.cli import _parser

REPO = Path(__file__).resolve().parents[1]


def test_pre_commit_hook_runs_agentgov_scan_on_iac_files():
    (hook,) = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text())
    assert hook["id"] == "agentgov-scan" and hook["language"] == "python"
    args = _parser().parse_args(shlex.split(hook["entry"])[1:] + ["main.tf"])
    assert args.command == "scan"
    rx = re.compile(hook["files"])
    assert all(rx.search(f) for f in ("infra/main.tf", "stack.yaml", "cdk.out/App.template.json", "t.template"))
    assert not rx.search("README.md")


def test_github_action_scans_uploads_sarif_and_keeps_the_exit_code():
    action = yaml.safe_load((REPO / "action.yml").read_text())
    assert action["runs"]["using"] == "composite"
    steps = action["runs"]["steps"]
    scan = next(s for s in steps if s.get("id") == "scan")["run"]
    cmd = scan.split("agentgov scan", 1)[1].split("\n")[0:2]
    argv = ["scan", "infra/"] + shlex.split(" ".join(cmd).replace("\\", " ").replace('"${{ inputs.severity-threshold }}"', "high")
                                             .replace("${{ inputs.paths }}", ""))  # fmt: skip
    args = _parser().parse_args(argv)
    assert args.format == ["sarif", "text"] and [str(o) for o in args.output] == ["agentgov.sarif"]
    assert any(s.get("uses", "").startswith("github/codeql-action/upload-sarif") for s in steps)
    assert steps[-1]["run"].strip() == "exit ${{ steps.scan.outputs.exit }}"
    workflow = yaml.safe_load((REPO / "examples" / "github" / "agentgov.yml").read_text())
    assert workflow["permissions"]["security-events"] == "write"
