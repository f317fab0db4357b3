"""CloudWatch Logs data-protection policies, which moto 5.2 lacks: ``PutDataProtectionPolicy``,
``GetDataProtectionPolicy``, ``DeleteDataProtectionPolicy`` on moto's own log groups, and DescribeLogGroups'
``dataProtectionStatus`` (ACTIVATED while a group has a policy, DELETED after it is removed), as AWS answers them."""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from typing import Any

from agentgov.demo.awsmock._common import NotFound, Refused


def _group(resp: Any, identifier: str) -> Any:
    name = identifier.split(":log-group:", 1)[1].removesuffix(":*") if identifier.startswith("arn:") else identifier
    group = resp.logs_backend.groups.get(name)
    if group is None:
        raise NotFound("The specified log group does not exist.")
    return group


def _put(self: Any, p: dict[str, Any]) -> dict[str, Any]:
    group = _group(self, p["logGroupIdentifier"])
    try:
        json.loads(p["policyDocument"])
    except ValueError:
        raise Refused("policyDocument is not valid JSON", "InvalidParameterException") from None
    group._agentgov_dpp = {"policyDocument": p["policyDocument"], "lastUpdatedTime": int(time.time() * 1000)}
    group._agentgov_dpp_status = "ACTIVATED"
    return {"logGroupIdentifier": p["logGroupIdentifier"], **group._agentgov_dpp}


def _get(self: Any, p: dict[str, Any]) -> dict[str, Any]:
    group = _group(self, p["logGroupIdentifier"])
    policy = getattr(group, "_agentgov_dpp", None)
    if policy is None:
        raise NotFound("No data protection policy is attached to the log group.")
    return {"logGroupIdentifier": p["logGroupIdentifier"], **policy}


def _delete(self: Any, p: dict[str, Any]) -> dict[str, Any]:
    group = _group(self, p["logGroupIdentifier"])
    if getattr(group, "_agentgov_dpp", None) is None:
        raise NotFound("No data protection policy is attached to the log group.")
    group._agentgov_dpp = None
    group._agentgov_dpp_status = "DELETED"
    return {}


def with_protection_status(original: Callable[..., dict[str, Any]]) -> Callable[..., dict[str, Any]]:
    """LogGroup.to_describe_dict with the group's ``dataProtectionStatus`` once it has had a policy."""

    def to_describe_dict(self: Any) -> dict[str, Any]:
        out = original(self)
        status = getattr(self, "_agentgov_dpp_status", None)
        if status:
            out["dataProtectionStatus"] = status
        return out

    return to_describe_dict


OPERATIONS = (
    ("PutDataProtectionPolicy", _put),
    ("GetDataProtectionPolicy", _get),
    ("DeleteDataProtectionPolicy", _delete),
)
