"""SARIF 2.1.0, as GitHub code scanning accepts it.

``ruleId`` is the policy id; rule metadata carries help text and severity
(``security-severity`` for GitHub); ``level`` follows severity; ``kind`` is
fail / pass / open for FAIL / PASS / UNKNOWN; ``locations[0]`` has the file
and region and, as logical location, the CloudFormation logical id or the
Terraform address of the resource the policy judges; ``partialFingerprints``
carry the stable fingerprint; suppressed findings carry SARIF ``suppressions``.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from agentgov.scanner import __version__
from agentgov.scanner.findings import PARSE_ERROR_ID, Finding, Status

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
_LEVEL = {"critical": "error", "high": "error", "medium": "warning", "low": "note", "info": "note"}
_SECURITY_SEVERITY = {"critical": "9.5", "high": "8.0", "medium": "5.5", "low": "3.0", "info": "0.0"}
_KIND = {
    Status.FAIL: "fail",
    Status.PASS: "pass",
    Status.UNKNOWN: "open",
    Status.SUPPRESSED: "fail",
    Status.ERROR: "fail",
}


def _rule(policy: Any) -> dict[str, Any]:
    help_text = f"{policy.rationale}\n\nRemediation: {policy.remediation.summary}"
    help_md = (
        f"**{policy.title}**\n\n{policy.rationale}\n\n**Remediation:** {policy.remediation.summary}\n\n"
        f"CloudFormation:\n```yaml\n{policy.remediation.cloudformation}```\n\n"
        f"Terraform:\n```hcl\n{policy.remediation.terraform}```\n"
    )
    return {
        "id": policy.id,
        "name": policy.id,
        "shortDescription": {"text": policy.title},
        "fullDescription": {"text": policy.rationale},
        "help": {"text": help_text, "markdown": help_md},
        "helpUri": policy.references[0] if policy.references else "https://docs.aws.amazon.com/bedrock/",
        "defaultConfiguration": {"level": _LEVEL[policy.severity]},
        "properties": {
            "tags": ["security", "agentgov", policy.pillar],
            "security-severity": _SECURITY_SEVERITY[policy.severity],
            "precision": "high",
        },
    }


_PARSE_RULE = {
    "id": PARSE_ERROR_ID,
    "name": PARSE_ERROR_ID,
    "shortDescription": {"text": "Input could not be assessed (coverage gap)"},
    "fullDescription": {
        "text": "A file could not be read or parsed (scan), or an account, a region or an API could not be "
        "collected (audit), so no policy was evaluated on what it holds."
    },
    "help": {
        "text": "scan: fix the file so it parses, or exclude it from the scan. audit: give the audit role the "
        "permission the message names (agentgov audit iam-policy), or make the account assumable."
    },
    "defaultConfiguration": {"level": "error"},
    "properties": {"tags": ["agentgov"], "security-severity": "8.0"},
}


def _result(f: Finding, rule_index: dict[str, int]) -> dict[str, Any]:
    region: dict[str, Any] = {}
    if f.location.line:
        region["startLine"] = f.location.line
        if f.location.column:
            region["startColumn"] = f.location.column
    physical: dict[str, Any] = {"artifactLocation": {"uri": f.location.file}}
    if region:
        physical["region"] = region
    level = _LEVEL[f.severity.value] if f.status in (Status.FAIL, Status.SUPPRESSED, Status.ERROR) else "none"
    if f.status == Status.ERROR:
        level = "error"
    result: dict[str, Any] = {
        "ruleId": f.policy_id,
        "ruleIndex": rule_index[f.policy_id],
        "kind": _KIND[f.status],
        "level": level,
        "message": {"text": f"{f.message} [{f.resource_kind} {f.resource_name or f.resource_id}]"},
        "locations": [
            {
                "physicalLocation": physical,
                "logicalLocations": [
                    {
                        "fullyQualifiedName": f.resource_id,
                        "name": f.resource_name or f.resource_id,
                        "kind": "resource",
                    }
                ],
            }
        ],
        "partialFingerprints": {"agentgovFingerprint/v1": f.fingerprint},
        "properties": {"status": f.status.value, "severity": f.severity.value, "resourceType": f.resource_type},
    }
    if f.baseline_state:
        result["baselineState"] = f.baseline_state
    if f.evidence:
        result["properties"]["evidence"] = f.evidence
    if f.status == Status.SUPPRESSED and f.suppression:
        result["suppressions"] = [
            {
                "kind": "inSource" if f.suppression.get("kind") == "inline" else "external",
                "status": "accepted",
                "justification": f.suppression.get("reason", ""),
                **(
                    {
                        "properties": {
                            "owner": f.suppression["owner"],
                            "expires": f.suppression.get("expires"),
                            "source": f.suppression.get("source"),
                        }
                    }
                    if f.suppression.get("owner")
                    else {}
                ),
            }
        ]
    return result


def render(result: Any, include_pass: bool = True) -> dict[str, Any]:
    """The SARIF log as one dict."""
    return _log(result, include_pass, stream=False)


def chunks(result: Any, include_pass: bool = True) -> Iterator[str]:
    """``json.dumps(render(result), indent=2)`` and a newline, piece by piece (results written as they are read)."""
    from .streaming import dumps

    yield from dumps(_log(result, include_pass, stream=True), indent=2)
    yield "\n"


def _log(result: Any, include_pass: bool, stream: bool) -> dict[str, Any]:
    from .streaming import Streamed

    policies = {p.id: p for p in result.policies}
    rules = [_rule(p) for p in result.policies]
    rule_index = {p.id: i for i, p in enumerate(result.policies)}
    if result.has_coverage_findings():
        rule_index[PARSE_ERROR_ID] = len(rules)
        rules.append(_PARSE_RULE)
    results = (
        _result(f, rule_index)
        for f in result.iter_findings()
        if (include_pass or f.status != Status.PASS) and (f.policy_id in policies or f.policy_id == PARSE_ERROR_ID)
    )
    radius = (r["blast_radius"] for r in result.agent_records())
    return {
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "agentgov",
                        "version": __version__,
                        "rules": rules,
                    }
                },
                "results": Streamed(results) if stream else list(results),
                "properties": {
                    "policyPackDigest": result.pack_digest,
                    # user packs, the configuration's tuning of policies and what could not be loaded (what ran)
                    "policies": (getattr(result, "configuration", None) or {}).get("policies"),
                    # every agent's blast radius (what its roles may do together); see docs/schemas/report.schema.json
                    "agentBlastRadius": Streamed(radius) if stream else list(radius),
                },
            }
        ],
    }
