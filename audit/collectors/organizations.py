"""Organizations: the SCPs and Bedrock policies in force for each audited account, and its effective Bedrock policy.

Read with the auditing principal's own credentials (the management account or a
delegated administrator: member accounts cannot list the Organization's
policies), once per audited account, not per region (``SCOPE`` "organization").

* ``org_effective_policy``: the account's effective ``BEDROCK_POLICY``
  (``DescribeEffectivePolicy``: what Organizations computes from every Bedrock
  policy attached from the root down to the account), its ``content`` parsed; None
  when no Bedrock policy applies; an ``Unknown`` naming the API and the error code
  when it cannot be read. AG206 counts ``bedrock.guardrail_inference.<region>``
  configurations that name a registered guardrail.
* ``org_policy``: every SCP and Bedrock policy attached to the account or to one
  of its parents up to the root (``ListParents``, ``ListPoliciesForTarget``,
  ``DescribePolicy``), with ``content`` parsed and ``targets``: where it is
  attached on the account's path (``{target_id, target_type}``, root first).

The root's and the OUs' parents, policies and policy documents are the same for
every account under them: they are read once per run (cached on the auditing
session, for ``CACHE_SECONDS`` at most: a session reused for another run later reads
them again), so an Organization of N accounts costs about four calls per account
(``DescribeEffectivePolicy``, ``ListParents`` and ``ListPoliciesForTarget``
per policy type for the account itself) plus one set per OU and policy.
Organizations' API is throttled per Organization, so this matters at scale.

An account outside the auditing principal's Organization (an ``--accounts``
audit outside one) has no such policies: nothing is recorded and nothing is missing. A denied call is a
coverage gap of the account naming the API and the error code.
"""

from __future__ import annotations

import json
import threading
import time
import weakref
from collections.abc import Callable
from functools import partial
from typing import Any

from agentgov.audit.collectors.base import Call, CallFailed, Context, live
from agentgov.scanner.model import Unknown

AREA = "organizations"
#: run with the auditing principal's session, once per audited account
SCOPE = "organization"
KINDS = ("org_policy", "org_effective_policy")
SERVICE = "organizations"
#: the policy types read (SCPs decide what principals may do; Bedrock policies which guardrails apply)
POLICY_TYPES = ("SERVICE_CONTROL_POLICY", "BEDROCK_POLICY")
#: the auditing principal's Organization does not hold the account (an --accounts audit outside it): no policy of it applies
NOT_IN_USE = frozenset(
    {"AWSOrganizationsNotInUseException", "TargetNotFoundException", "AccountNotFoundException", "ChildNotFoundException"}
)

#: per auditing session: what the root and the OUs answered (the same for every account under them)
_CACHE: weakref.WeakKeyDictionary[Any, dict[tuple[str, ...], Any]] = weakref.WeakKeyDictionary()
_CACHE_LOCK = threading.Lock()
CACHE_SECONDS = 600.0

CALLS = tuple(
    Call(SERVICE, op, f"organizations:{op}")
    for op in ("DescribeEffectivePolicy", "ListParents", "ListPoliciesForTarget", "DescribePolicy")
)


def _parsed(text: Any) -> Any:
    if not isinstance(text, str):
        return text
    try:
        return json.loads(text)
    except ValueError:
        return Unknown("the policy's content is not JSON")


def collect(ctx: Context) -> None:
    account = ctx.account
    try:
        answer: Any = ctx.call(SERVICE, "DescribeEffectivePolicy", PolicyType="BEDROCK_POLICY", TargetId=account)
    except CallFailed as exc:
        if exc.code in NOT_IN_USE:
            return
        if exc.code == "EffectivePolicyNotFoundException":
            answer = None
        else:
            ctx.failures.append(exc)
            ctx.gap(exc, f"account/{account}")
            answer = exc.unknown()
    if isinstance(answer, dict):
        eff = answer.get("EffectivePolicy") or {}
        content: Any = _parsed(eff.get("PolicyContent"))
        updated = eff.get("LastUpdatedTimestamp")
    else:
        content, updated = answer, None
    ctx.add(
        "org_effective_policy",
        "AWS::Organizations::EffectivePolicy",
        f"account/{account}/effective-policy/BEDROCK_POLICY",
        {"policy_type": "BEDROCK_POLICY", "target_id": account, "content": content, "last_updated_timestamp": updated},
        name=f"effective BEDROCK_POLICY of {account}",
    )
    try:
        path = _path(ctx, account)
    except CallFailed as exc:
        if exc.code in NOT_IN_USE:
            return
        raise
    seen: dict[str, dict[str, Any]] = {}
    for target_id, target_type in path:
        for policy_type in POLICY_TYPES:
            listed = _shared(
                ctx,
                ("policies", target_id, policy_type),
                target_type != "ACCOUNT",
                partial(_listed, ctx, "ListPoliciesForTarget", "Policies", TargetId=target_id, Filter=policy_type),
            )
            for summary in listed:
                rec = seen.get(summary["Id"])
                if rec is None:
                    rec = seen[summary["Id"]] = {"summary": summary, "targets": []}
                rec["targets"].append({"target_id": target_id, "target_type": target_type})
    for policy_id, rec in seen.items():
        detail = _shared(ctx, ("policy", policy_id), True, partial(ctx.detail, SERVICE, "DescribePolicy", PolicyId=policy_id))
        props = live(rec["summary"])
        props["content"] = detail if isinstance(detail, Unknown) else _parsed((detail.get("Policy") or {}).get("Content"))
        props["targets"] = rec["targets"]
        arn = rec["summary"]["Arn"]
        ctx.add("org_policy", "AWS::Organizations::Policy", arn, props, name=rec["summary"].get("Name"))


def _path(ctx: Context, account: str) -> list[tuple[str, str]]:
    """The root, the OUs down to the account, and the account: where a policy in force for it can be attached."""
    path = [(account, "ACCOUNT")]
    child = account
    for _ in range(8):  # an Organization nests OUs five deep at most
        parents = _shared(
            ctx,
            ("parents", child),
            child != account,
            partial(_listed, ctx, "ListParents", "Parents", ChildId=child),
        )
        if not parents:
            break
        parent = parents[0]
        path.append((parent["Id"], parent["Type"]))
        if parent["Type"] == "ROOT":
            break
        child = parent["Id"]
    return list(reversed(path))


def _listed(ctx: Context, operation: str, key: str, **params: Any) -> list[Any]:
    """Every item of a paginated Organizations call."""
    return list(ctx.items(SERVICE, operation, key, **params))


def _shared(ctx: Context, key: tuple[str, ...], shared: bool, read: Callable[[], Any]) -> Any:
    """``read()``, remembered for the run when ``shared`` (about the root, an OU or a policy; never a failure)."""
    if not shared:
        return read()
    now = time.monotonic()
    with _CACHE_LOCK:
        cache = _CACHE.setdefault(ctx.session, {})
        hit = cache.get(key)
        if hit is not None and now - hit[0] < CACHE_SECONDS:
            return hit[1]
    value = read()
    if not isinstance(value, Unknown):
        with _CACHE_LOCK:
            cache[key] = (now, value)
    return value
