"""``agentgov drift --format sarif``: SARIF 2.1.0 in its own analysis category (``agentgov-drift/``).

``res`` is a ``agentgov.drift.compare.DriftResult`` (read by its attributes: the reports sit below drift).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

_SARIF_LEVEL = {"critical": "error", "high": "error", "medium": "warning", "low": "note", "info": "note"}
_SARIF_RULES = {
    "DRIFT-UNMANAGED": (
        "A live agent no scanned IaC defines",
        "The agent is deployed, but no template or Terraform configuration that was scanned defines it: "
        "no pull request checked it. Bring it under IaC, or delete it.",
    ),
    "DRIFT-UNDEPLOYED": (
        "An IaC agent that is not deployed",
        "The IaC defines the agent, but the live audit found no resource with its ARN, stack tags or name "
        "where it collected agents whole.",
    ),
}


def _sarif_location(loc: str) -> dict[str, Any]:
    m = re.match(r"^(.*?):(\d+)(?::(\d+))?$", loc)
    physical: dict[str, Any] = {"artifactLocation": {"uri": m.group(1) if m else loc}}
    if m:
        physical["region"] = {"startLine": int(m.group(2)), **({"startColumn": int(m.group(3))} if m.group(3) else {})}
    return {"physicalLocation": physical}


def render(res: Any, fail_on: Iterable[str]) -> dict[str, Any]:
    """SARIF 2.1.0 (its own analysis category, ``agentgov-drift/``): differing verdicts and IaC agents not deployed at
    their IaC file:line; unmanaged live agents with the ARN as logical location only (they have no file)."""
    from agentgov.scanner import __version__

    policies = {p.id: p for p in res.scan.policies}
    rule_ids = ["DRIFT-UNMANAGED", "DRIFT-UNDEPLOYED", *sorted({v["policy_id"] for v in res.verdicts})]
    rules = []
    for rid in rule_ids:
        if rid in _SARIF_RULES:
            short, full = _SARIF_RULES[rid]
            rules.append(
                {
                    "id": rid,
                    "name": rid,
                    "shortDescription": {"text": short},
                    "fullDescription": {"text": full},
                    "defaultConfiguration": {"level": "warning"},
                    "properties": {"tags": ["agentgov", "drift"]},
                }
            )
        else:
            p = policies[rid]
            rules.append(
                {
                    "id": rid,
                    "name": rid,
                    "shortDescription": {"text": p.title},
                    "fullDescription": {"text": p.rationale},
                    "defaultConfiguration": {"level": _SARIF_LEVEL[p.severity]},
                    "properties": {"tags": ["agentgov", "drift", p.pillar]},
                }
            )
    index = {rid: i for i, rid in enumerate(rule_ids)}
    results: list[dict[str, Any]] = []
    for v in res.verdicts:
        results.append(
            {
                "ruleId": v["policy_id"],
                "ruleIndex": index[v["policy_id"]],
                "level": _SARIF_LEVEL[v["severity"]],
                "message": {
                    "text": f"IaC {v['iac']['status']} but live {v['live']['status']} at {v['live']['location']}: {v['live']['message']}"
                },
                "locations": [
                    {
                        **_sarif_location(v["iac"]["location"]),
                        "logicalLocations": [{"fullyQualifiedName": v["iac"]["resource"], "kind": "resource"}],
                    }
                ],
                "relatedLocations": [
                    {
                        "id": 1,
                        "message": {"text": "live"},
                        "physicalLocation": {"artifactLocation": {"uri": v["live"]["location"]}},
                    }
                ],
                "properties": {"matchedBy": v["matched_by"], "account": v["live"]["account"], "region": v["live"]["region"]},
            }
        )
    for u in res.undeployed:
        results.append(
            {
                "ruleId": "DRIFT-UNDEPLOYED",
                "ruleIndex": index["DRIFT-UNDEPLOYED"],
                "level": "warning",
                "message": {"text": f"{u['kind']} {u['name'] or u['id']} is not deployed: {u['reason']}"},
                "locations": [
                    {**_sarif_location(u["location"]), "logicalLocations": [{"fullyQualifiedName": u["id"], "kind": "resource"}]}
                ],
            }
        )
    for u in res.unmanaged:
        results.append(
            {
                "ruleId": "DRIFT-UNMANAGED",
                "ruleIndex": index["DRIFT-UNMANAGED"],
                "level": "warning",
                "message": {
                    "text": f"{u['kind']} {u['name'] or u['id']} in account {u['account']} region {u['region']} is not defined "
                    f"by any scanned IaC{': ' + u['note'] if u.get('note') else ''}"
                },
                "locations": [
                    {"logicalLocations": [{"fullyQualifiedName": u["id"], "name": u["name"] or u["id"], "kind": "resource"}]}
                ],
            }
        )
    return {
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [
            {
                "tool": {"driver": {"name": "agentgov", "version": __version__, "rules": rules}},
                "automationDetails": {"id": "agentgov-drift/"},
                "results": results,
                "properties": {"summary": {**res.counts(), "drift": res.drifted(fail_on)}},
            }
        ],
    }
