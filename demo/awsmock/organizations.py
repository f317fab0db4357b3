"""Organizations as moto 5.2 lacks it: the ``BEDROCK_POLICY`` type, and ``DescribeEffectivePolicy``.

moto knows SCPs, RCPs, tag, backup and AI opt-out policies, and refuses any
other type. Bedrock policies become one more type of moto's own
``FakePolicy`` (created, attached, listed and described by moto's code, so
``ListPoliciesForTarget`` and ``DescribePolicy`` answer them as they answer
SCPs), with the ARN AWS gives them. ``DescribeEffectivePolicy`` merges the
management policies of one type attached from the root down to the account,
as Organizations' inheritance does for the ``@@assign`` operator (a child's
``@@assign`` replaces what its parents set; keys it does not name are
inherited), and answers the result without the operators, or
``EffectivePolicyNotFoundException`` when nothing of that type applies.
"""

from __future__ import annotations

import copy
import json
import re
from typing import Any

from agentgov.demo.awsmock._common import NotFound, Refused, _now

#: the management policy types added to moto's list, and their ARN's type segment
ADDED_TYPES = {"BEDROCK_POLICY": "bedrock_policy"}
#: the types DescribeEffectivePolicy answers here (management policies; SCPs have no effective policy)
EFFECTIVE_TYPES = {"BEDROCK_POLICY", "TAG_POLICY", "BACKUP_POLICY", "AISERVICES_OPT_OUT_POLICY"}


def _backend(resp: Any) -> Any:
    return resp.organizations_backend


def _chain(backend: Any, account_id: str) -> list[Any]:
    """The account's ancestry, root first, the account last (moto's own objects)."""
    account = next((a for a in backend.accounts if a.id == account_id), None)
    if account is None:
        raise Refused("You specified a target that doesn't exist.", "TargetNotFoundException")
    chain = [account]
    parent = account.parent_id
    while parent:
        ou = next((o for o in backend.ou if o.id == parent), None)
        if ou is None:
            break
        chain.append(ou)
        parent = getattr(ou, "parent_id", None) if ou.type != "ROOT" else None
    return list(reversed(chain))


def _merge(into: dict[str, Any], child: dict[str, Any]) -> None:
    """Inheritance of management policies for ``@@assign``: the child's value replaces the parent's."""
    for key, value in child.items():
        if key.startswith("@@"):
            continue
        if isinstance(value, dict) and "@@assign" in value:
            into[key] = copy.deepcopy(value["@@assign"])
        elif isinstance(value, dict):
            sub = into.get(key)
            if not isinstance(sub, dict):
                sub = into[key] = {}
            _merge(sub, value)
        else:
            into[key] = copy.deepcopy(value)


def _describe_effective_policy(self: Any, p: dict[str, Any]) -> dict[str, Any]:
    backend = _backend(self)
    if backend.org is None:
        raise Refused("Your account is not a member of an organization.", "AWSOrganizationsNotInUseException")
    policy_type = p["PolicyType"]
    if policy_type not in EFFECTIVE_TYPES:
        raise Refused(f"{policy_type} has no effective policy here", "InvalidInputException")
    target = p.get("TargetId") or self.current_account
    if not re.fullmatch(r"\d{12}", target):
        raise Refused(
            "Specifying an organization root or organizational unit as the target is not supported.", "InvalidInputException"
        )
    effective: dict[str, Any] = {}
    found = False
    for node in _chain(backend, target):
        for policy in getattr(node, "attached_policies", []):
            if policy.type != policy_type:
                continue
            found = True
            try:
                content = json.loads(policy.content or "{}")
            except ValueError:
                continue
            if isinstance(content, dict):
                _merge(effective, content)
    if not found:
        raise NotFound(f"No effective policy of type {policy_type} applies to {target}.")
    return {
        "EffectivePolicy": {
            "PolicyContent": json.dumps(effective, sort_keys=True),
            "LastUpdatedTimestamp": _now(),
            "TargetId": target,
            "PolicyType": policy_type,
        }
    }


class _EffectiveNotFound(NotFound):
    code = "EffectivePolicyNotFoundException"


def install() -> None:
    """Bedrock policies in moto's Organizations; DescribeEffectivePolicy (called once, from ``patches.install``)."""
    from moto.organizations import models as OM
    from moto.organizations.responses import OrganizationsResponse

    from agentgov.demo.awsmock._common import _add, _remember_request

    for cls in (OM.FakePolicy, OM.FakeRoot):
        for t in ADDED_TYPES:
            if t not in cls.SUPPORTED_POLICY_TYPES:
                cls.SUPPORTED_POLICY_TYPES.append(t)
    original_init = OM.FakePolicy.__init__

    def init(self: Any, organization: Any, **kwargs: Any) -> None:
        wanted = kwargs.get("Type", "")
        if wanted not in ADDED_TYPES:
            original_init(self, organization, **kwargs)
            return
        original_init(self, organization, **{**kwargs, "Type": "TAG_POLICY"})  # moto's code for a management policy
        self.type = wanted
        self._arn_format = "arn:{0}:organizations::{1}:policy/{2}/" + ADDED_TYPES[wanted] + "/{3}"

    # the ignores of method-assign here and below: replacing moto's methods is what the completion does
    OM.FakePolicy.__init__ = init  # type: ignore[method-assign]
    OrganizationsResponse.setup_class = _remember_request(OrganizationsResponse.setup_class)  # type: ignore[method-assign]

    def effective(self: Any, p: dict[str, Any]) -> dict[str, Any]:
        try:
            return _describe_effective_policy(self, p)
        except NotFound as exc:
            raise _EffectiveNotFound(exc.message) from None

    _add(OrganizationsResponse, "DescribeEffectivePolicy", effective)
