"""The periodic agentgov AWS Config rule: its Lambda handler (the "rule runtime").

AWS Config invokes ``handler`` on schedule with the rule's ``InputParameters``
(``{"policy": "AG201"}``). The handler builds this account and region's
inventory with agentgov's live collectors (the same ones ``agentgov audit``
uses), evaluates that one policy with the same engine, and reports each
judged resource with ``PutEvaluations``:

  PASS        -> COMPLIANT
  FAIL        -> NON_COMPLIANT
  UNKNOWN     -> NON_COMPLIANT, annotated "UNKNOWN: <reason>" (Config accepts no
                 INSUFFICIENT_DATA from custom rules, and nothing passes silently)
  ERROR       -> NON_COMPLIANT, annotated "ERROR: <reason>"
  SUPPRESSED  -> COMPLIANT, annotated with the waiver (owner, expiry)

Findings that have no resource Config knows (a file, an account) are not
reported as evaluations; a collection failure is raised, so the rule's run
shows as failed in Config instead of as compliant.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

ANNOTATION_MAX = 256
BATCH = 100
_COMPLIANCE = {
    "PASS": "COMPLIANT",
    "FAIL": "NON_COMPLIANT",
    "UNKNOWN": "NON_COMPLIANT",
    "ERROR": "NON_COMPLIANT",
    "SUPPRESSED": "COMPLIANT",
}


def _annotation(f: Any) -> str:
    status = f.status.value
    if status == "SUPPRESSED" and f.suppression:
        s = f.suppression
        text = f"SUPPRESSED: {s.get('reason')}" + (f" (owner {s['owner']}, expires {s.get('expires')})" if s.get("owner") else "")
    elif status in ("UNKNOWN", "ERROR"):
        text = f"{status}: {f.message}"
    else:
        text = f.message
    return text if len(text) <= ANNOTATION_MAX else text[: ANNOTATION_MAX - 1] + "…"


def evaluations(findings: Iterable[Any], when: dt.datetime) -> list[dict[str, Any]]:
    out = []
    for f in findings:
        if f.policy_id == "AG000" or not f.resource_type or "::" not in f.resource_type:
            continue
        out.append(
            {
                "ComplianceResourceType": f.resource_type.split(".", 1)[0],  # a sub-resource reports as its parent's type
                "ComplianceResourceId": f.resource_id,
                "ComplianceType": _COMPLIANCE[f.status.value],
                "Annotation": _annotation(f),
                "OrderingTimestamp": when,
            }
        )
    return out


def evaluate(policy_id: str, inventory: Any, params: dict[str, Any] | None = None) -> list[Any]:
    """Findings of one policy on an inventory (the engine ``scan`` and ``audit`` use)."""
    from agentgov.scanner.config import Config, effective_parameters
    from agentgov.scanner.engine import run
    from agentgov.scanner.pack import load_effective, refuse_partial

    # the built-in pack, and the user packs packaged with the function: AGENTGOV_POLICY_PATHS (directories, separated
    # by os.pathsep) and policy_paths of an agentgov.toml in the function's working directory
    dirs = [Path(p) for p in os.environ.get("AGENTGOV_POLICY_PATHS", "").split(os.pathsep) if p]
    pack = refuse_partial(load_effective(None, dirs))
    policy = pack.get(policy_id.upper())
    if policy is None:
        raise ValueError(f"rule parameter policy={policy_id!r} is not a policy of agentgov's pack or of AGENTGOV_POLICY_PATHS")
    eff = effective_parameters(Config(), pack.parameters)
    eff.update(params or {})
    return run(inventory, [policy], eff)


def put(client: Any, evals: list[dict[str, Any]], token: str) -> list[dict[str, Any]]:
    failed: list[dict[str, Any]] = []
    for i in range(0, len(evals), BATCH):
        resp = client.put_evaluations(Evaluations=evals[i : i + BATCH], ResultToken=token)
        failed.extend(resp.get("FailedEvaluations", []))
    return failed


def handler(
    event: dict[str, Any], context: Any = None, *, collect: Callable[..., Any] | None = None, client: Any = None
) -> dict[str, Any]:
    """Entry point of the Config rule's Lambda function."""
    params = json.loads(event.get("ruleParameters") or "{}")
    policy_id = params.pop("policy", None)
    if not policy_id:
        raise ValueError("the Config rule has no 'policy' input parameter")
    region = os.environ.get("AWS_REGION") or os.environ.get("AWS_DEFAULT_REGION")
    if client is None or collect is None:
        from agentgov.audit.aws_dependency import missing_boto3

        missing = missing_boto3("the agentgov Config rule", agentcore=collect is None)
        if missing:
            raise RuntimeError(missing)
    if collect is None:
        from agentgov.audit.run import collect_account  # the audit's collectors, in this account

        collect = collect_account
    inventory = collect(account=event.get("accountId"), region=region)
    findings = evaluate(policy_id, inventory, params)
    when = dt.datetime.now(dt.UTC)
    evals = evaluations(findings, when)
    if client is None:
        import boto3

        client = boto3.client("config", region_name=region)
    failed = put(client, evals, event["resultToken"]) if evals else []
    gaps = [e for e in inventory.errors]
    if gaps:  # what was judged is reported; the run still fails, so Config shows it was incomplete
        raise RuntimeError(
            "agentgov rule: not everything could be collected: " + "; ".join(f"{e.file}: {e.reason}" for e in gaps[:5])
        )
    return {"policy": policy_id, "evaluations": len(evals), "failed": failed}
