"""Live AWS collectors, one module per service area, listed once here.

No module here imports boto3 at import time or creates a client outside a
``Context``; ``agentgov scan`` never imports this package.
"""

from __future__ import annotations

from types import ModuleType

from agentgov.audit.collectors import (
    agentcore,
    bedrock,
    bedrock_agent,
    bedrock_enforced,
    bedrock_flows,
    bedrock_models,
    cloudtrail,
    cloudwatch_alarms,
    cost_controls,
    dynamodb,
    ecr,
    iam,
    iam_last_accessed,
    kms_keys,
    lambda_functions,
    log_deliveries,
    logs,
    opensearch_serverless,
    organizations,
    s3_buckets,
    secrets_manager,
    subnets,
    vpc_endpoints,
)
from agentgov.audit.collectors.base import Call

#: every collector, in the order they run for an account and region
COLLECTORS: tuple[ModuleType, ...] = (
    iam,
    bedrock_agent,
    bedrock,
    bedrock_models,
    bedrock_flows,
    lambda_functions,
    opensearch_serverless,
    agentcore,
    ecr,
    vpc_endpoints,
    subnets,
    cloudtrail,
    cloudwatch_alarms,
    cost_controls,
    logs,
    log_deliveries,
    dynamodb,
    s3_buckets,
    secrets_manager,
    kms_keys,
    bedrock_enforced,
    organizations,
    iam_last_accessed,
)

#: calls the audit itself makes (not a collector's): finding accounts and regions
ORCHESTRATOR_CALLS: tuple[Call, ...] = (
    Call("organizations", "ListAccounts", "organizations:ListAccounts"),
    Call("sts", "AssumeRole", "sts:AssumeRole"),
)
#: calls the audit makes with the member-account role, outside the collectors
MEMBER_CALLS: tuple[Call, ...] = (Call("ec2", "DescribeRegions", "ec2:DescribeRegions"),)


def _check() -> None:
    for c in COLLECTORS:
        for attr in ("AREA", "SCOPE", "CALLS", "collect"):
            if not hasattr(c, attr):
                raise TypeError(f"collector {c.__name__} has no {attr}")
        if c.SCOPE not in ("regional", "global", "organization"):
            raise TypeError(f"collector {c.__name__}: SCOPE must be regional, global or organization, not {c.SCOPE!r}")
        if hasattr(c, "WHEN") and c.SCOPE != "regional":
            raise TypeError(f"collector {c.__name__}: a WHEN collector is regional (it runs where it is needed)")


_check()


def member_calls() -> list[Call]:
    """Every call made with the member-account audit role (what its policy must allow)."""
    return sorted({*MEMBER_CALLS, *(call for c in COLLECTORS if c.SCOPE != "organization" for call in c.CALLS)})


def organization_calls() -> list[Call]:
    """Every call the collectors make with the auditing principal's own credentials (``SCOPE`` "organization":
    the Organization's policies in force for each audited account), which the orchestrator's policy must allow."""
    return sorted({call for c in COLLECTORS if c.SCOPE == "organization" for call in c.CALLS})
