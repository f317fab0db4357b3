"""CloudWatch Logs: log groups (their KMS key and data-protection policy), what AG604 judges of agent log groups.

Read in every region: a group named like Bedrock's or AgentCore's is an agent log group wherever it is. The log
deliveries of AgentCore resources are ``log_deliveries``' (read only where such a resource is).

DescribeLogGroups tells each group's key (``kmsKeyId``), whether it has a data-protection policy
(``dataProtectionStatus`` ACTIVATED) and whether an account-level one applies (``inheritedProperties``
ACCOUNT_DATA_PROTECTION). The policy document is read (GetDataProtectionPolicy) only for a group that has one, so
an account with thousands of log groups costs one call per page and one per protected group.
"""

from __future__ import annotations

from typing import Any

from agentgov.audit.collectors.answers import ask
from agentgov.audit.collectors.base import Call, Context, live
from agentgov.scanner.model import Unknown
from agentgov.scanner.normalize import parse_policy_document

AREA = "logs"
#: the kinds this collector collects whole: when it completes without a gap and finds none, there are none
KINDS = ("log_group",)
SCOPE = "regional"
SERVICE = "logs"

CALLS = (
    Call(SERVICE, "DescribeLogGroups", "logs:DescribeLogGroups"),
    Call(SERVICE, "GetDataProtectionPolicy", "logs:GetDataProtectionPolicy"),
)


def _policy(ctx: Context, g: dict[str, Any]) -> Any:
    """The group's data-protection policy (parsed), None when it has none, an Unknown when it cannot be read."""
    if g.get("dataProtectionStatus") == "ACTIVATED":
        got = ask(ctx, SERVICE, "GetDataProtectionPolicy", logGroupIdentifier=g["logGroupName"])
        if isinstance(got, Unknown):
            return got
        return parse_policy_document(got.get("policyDocument"))
    if "ACCOUNT_DATA_PROTECTION" in (g.get("inheritedProperties") or []):
        return Unknown("an account-level data-protection policy applies to the log group (its masking is not read)")
    return None


def collect(ctx: Context) -> None:
    with ctx.enumeration("log_group"):
        for g in ctx.items(SERVICE, "DescribeLogGroups", "logGroups"):
            with ctx.reading(SERVICE, "DescribeLogGroups", g):
                props = live(g)
                policy = _policy(ctx, g)
                if policy is not None:
                    props["data_protection_policy"] = policy
                arn = g.get("logGroupArn") or str(g.get("arn", "")).removesuffix(":*")
                ctx.add("log_group", "AWS::Logs::LogGroup", arn, props, name=g.get("logGroupName"))
