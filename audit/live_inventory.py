"""The resource inventory of a live audit, as the JSON report carries it (``live_inventory``).

Only what tells a deployed resource apart and what matches it to the IaC that
defines it (``agentgov drift``): its ARN, kind, native type, physical name,
account, region, the CloudFormation stack tags AWS puts on what a stack
creates, and what the audit collected whole (so an IaC resource absent from a
complete collection is "not deployed", and one absent from an incomplete one
is "not assessed"). Tag values other than the ``aws:cloudformation:*`` ones
are not copied: the findings already judge them.
"""

from __future__ import annotations

from typing import Any

from agentgov.scanner.model import Inventory, Unknown

#: the tags CloudFormation puts on what a stack creates -> the record's names
STACK_TAGS = {
    "aws:cloudformation:stack-name": "stack_name",
    "aws:cloudformation:logical-id": "logical_id",
    "aws:cloudformation:stack-id": "stack_id",
}


def _stack(tags: Any) -> dict[str, str] | None:
    if not isinstance(tags, dict):
        return None
    out = {STACK_TAGS[k]: v for k, v in tags.items() if k in STACK_TAGS and isinstance(v, str)}
    return out or None


def _parent(r: Any) -> str | None:
    """The id of the resource ``r`` is part of: its parent, or the agent an alias names."""
    if r.parent and "#" in r.parent:
        return r.parent.split("#", 1)[1]
    agent = r.properties.get("agent_id") if r.kind == "agent_alias" else None
    return agent if isinstance(agent, str) and agent.startswith("arn:") else None


def resource_records(inv: Inventory) -> list[dict[str, Any]]:
    out = []
    for r in inv:
        if r.source != "aws":
            continue
        out.append(
            {
                "id": r.id,
                "arn": r.arn if isinstance(r.arn, str) else None,
                "kind": r.kind,
                "type": r.source_type,
                "name": r.name if isinstance(r.name, str) else None,
                "account": r.account,
                "region": r.region,
                "location": str(r.location),
                "cloudformation": _stack(r.tags),
                "tags_unknown": r.tags.reason if isinstance(r.tags, Unknown) else None,
                "parent": _parent(r),
            }
        )
    out.sort(key=lambda d: (d["account"] or "", d["region"] or "", d["kind"], d["id"]))
    return out


#: what each collector produces besides its ``KINDS`` declaration (``KINDS`` is kept for the kinds whose absence a
#: policy may read as "none exist": declaring more there would change verdicts)
AREA_KINDS = {
    "bedrock-agent": (
        "agent",
        "agent_alias",
        "agent_version",
        "action_group",
        "knowledge_base",
        "knowledge_base_association",
        "agent_collaborator",
        "data_source",
    ),
    "bedrock": ("guardrail_version",),  # besides its KINDS
    "bedrock-agentcore": (
        "agent_runtime",
        "agent_runtime_endpoint",
        "gateway",
        "gateway_target",
        "memory",
        "code_interpreter",
        "browser",
        "policy_engine",
    ),
    "iam": ("role", "managed_policy", "user", "group"),  # besides its KINDS
    "iam_last_accessed": ("role_last_accessed",),
    "lambda": ("function", "function_permission"),
    "dynamodb": ("table",),
    "kms": ("kms_key",),
    "s3": ("bucket",),
    "secretsmanager": ("secret",),
    "ec2-vpc-endpoints": ("vpc_endpoint",),
}
_WHOLE_ACCOUNT = ("sts AssumeRole", "ec2 DescribeRegions")


def collected_records(inv: Inventory, gaps: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Per account and region (None: global), the kinds collected whole, from an audit's inventory (one
    account's, as the audit evaluates them, or several) and its coverage gaps (as the report writes them).

    A region counts as audited in an account when the audit left a trace there (a resource, a collection
    declared complete, a coverage gap); a kind is collected whole there when its collector had no coverage
    gap in that account and region (an account whose role could not be assumed has none).
    """
    from agentgov.audit.collectors import COLLECTORS

    gaps = [g for g in gaps if isinstance(g, dict)]
    lost = {g.get("account") for g in gaps if g.get("region") is None and g.get("api") in _WHOLE_ACCOUNT}
    regions: dict[str | None, set[str | None]] = {}  # a gap may name no account
    for a, r, _ in inv.collected:
        regions.setdefault(a, set()).add(r)
    for g in gaps:
        regions.setdefault(g.get("account"), set()).add(g.get("region"))
    for res in inv:
        if res.source == "aws" and res.account:
            regions.setdefault(res.account, set()).add(res.region)
    failed: set[tuple[str | None, str | None, str]] = set()
    for g in gaps:
        api = str(g.get("api") or "")
        head, _, rest = api.partition(" ")
        failed.add((g.get("account"), g.get("region"), f"collector:{rest}" if head == "collector" else head))
    out: dict[tuple[str, str | None], set[str]] = {}
    for account, seen in regions.items():
        if account is None or account in lost:
            continue
        regional = sorted(r for r in seen if r)
        for c in COLLECTORS:
            kinds = (*getattr(c, "KINDS", ()), *AREA_KINDS.get(c.AREA, ()))
            services = {call.service for call in c.CALLS} | {f"collector:{c.AREA}"}
            for region in [None] if c.SCOPE in ("global", "organization") else regional:
                if any((account, region, svc) in failed for svc in services):
                    continue
                out.setdefault((account, region), set()).update(kinds)
    for a, r, k in inv.collected:  # what the collectors themselves declared complete
        if a not in lost:
            out.setdefault((a, r), set()).add(k)
    for a, r, k in inv.uncollected:  # what they declared not read (a failed call, not needed in the region)
        if (a, r) in out:
            out[(a, r)].discard(k)
    return [
        {"account": a, "region": r, "kinds": sorted(k)}
        for (a, r), k in sorted(out.items(), key=lambda x: (x[0][0], x[0][1] or ""))
    ]
