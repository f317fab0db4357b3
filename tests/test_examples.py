"""The templates in examples/ are valid and call agentgov with options it has."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parents[1]
BATCH = REPO / "examples" / "audit-at-scale" / "batch-array-job.yaml"


def _cfn_errors(text: str) -> list[str]:
    from cfnlint.api import lint
    from cfnlint.config import ManualArgs

    return [f"{m.rule.id} {m.message} (line {m.linenumber})" for m in lint(text, config=ManualArgs(regions=["us-east-1"]))
            if m.rule.id.startswith(("E", "W"))]  # fmt: skip


def test_the_batch_array_job_template_passes_cfn_lint():
    assert _cfn_errors(BATCH.read_text()) == []


def _loader():
    class L(yaml.SafeLoader):
        pass

    L.add_multi_constructor("!", lambda loader, suffix, node: None)  # CloudFormation short forms: not needed here
    return L


def test_the_jobs_call_agentgov_with_options_it_has():
    from agentgov.cli.main import _parser

    doc = yaml.load(BATCH.read_text(), Loader=_loader())
    commands = []
    for name in ("ShardJob", "MergeJob"):
        script = doc["Resources"][name]["Properties"]["ContainerProperties"]["Command"][-1]
        for part in script.split(";"):
            part = part.strip()
            if part.startswith("agentgov "):
                commands.append(part)
    assert len(commands) == 2
    for cmd in commands:
        argv = shlex.split(re.sub(r'"\$[A-Z_]+"', "AgentgovAudit", cmd.replace('"$i/$SHARDS"', "1/8")))[1:]
        argv = [a.replace("/tmp/shards/*.json", "/tmp/shards/a.json") for a in argv]
        args = _parser().parse_args(argv)  # exits 2 on an option agentgov does not have
        assert args.command in ("audit", "merge")


def test_the_job_role_allows_every_action_of_the_orchestrator_policy():
    from agentgov.audit.iam import iam_policy

    doc = yaml.load(BATCH.read_text(), Loader=_loader())
    (policy,) = doc["Resources"]["AuditJobRole"]["Properties"]["Policies"]
    allowed = set()
    for st in policy["PolicyDocument"]["Statement"]:
        allowed |= {st["Action"]} if isinstance(st["Action"], str) else set(st["Action"])
    needed = {a for st in iam_policy(orchestrator=True)["Statement"] for a in st["Action"]}
    assert needed - allowed == set(), f"the job role lacks {sorted(needed - allowed)}"
