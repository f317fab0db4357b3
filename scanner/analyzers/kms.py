"""Customer-managed KMS keys (AG903, reusable for any "encrypted with a CMK" policy).

The attribute that names the key differs by kind (``encryption_key_arn`` of a
memory or a policy engine, ``kms_key_arn`` of a gateway): the policy gives the
path per kind. A value is judged as follows:

* absent: the service encrypts with a key AWS owns — FAIL;
* an AWS-managed alias (``alias/aws/...``, bare or in an ARN) — FAIL;
* a key or alias resource of the scanned files (``AWS::KMS::Key``,
  ``aws_kms_key``, ``aws_kms_alias``), or a literal key / alias ARN, key id or
  customer alias — PASS (AWS-managed keys cannot be created or aliased by a
  customer, and AgentCore is never given one by key id in practice);
* anything the files cannot settle (a parameter without default, a data
  source, a reference to a resource agentgov does not model) — UNKNOWN.
"""

from __future__ import annotations

import re
from typing import Any

from ..conditions import FAIL, PASS, UNKNOWN, EvalContext, Verdict
from ..graph import walk
from ..model import MISSING, Expr, Ref, Resource, Unknown

_AWS_MANAGED = re.compile(r"(?:^|:|/)(alias/aws/[\w/.-]*)")
_KEY_ID = re.compile(r"^(mrk-)?[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$|^mrk-[0-9a-f]{32}$")
_KEY_ARN = re.compile(r"^arn:aws[a-z-]*:kms:[^:]*:[^:]*:(key|alias)/.+")
_KEY_TYPES = ("AWS::KMS::Key", "AWS::KMS::ReplicaKey", "AWS::KMS::Alias", "aws_kms_key", "aws_kms_replica_key", "aws_kms_alias", "aws_kms_external_key")


def judge_key(value: Any, res: Resource, ctx: EvalContext) -> tuple[str, str]:
    """(status, explanation) of one key value."""
    if value is None or value is MISSING or value == "":
        return FAIL, "names no customer-managed KMS key, so AgentCore encrypts it with a key AWS owns"
    if isinstance(value, Unknown):
        return UNKNOWN, value.reason
    if isinstance(value, Ref):
        key = value.target if "#" in value.target else f"{res.stack}#{value.target}"
        target = ctx.inventory.resources.get(key)
        if target is not None:
            if target.kind == "kms_key" or target.source_type in _KEY_TYPES:
                return PASS, f"customer-managed key {target.label}"
            return UNKNOWN, f"the key is {target.kind} {target.label}, not a KMS key agentgov can judge"
        if set(value.target.split("#")[-1].split(".")) & set(_KEY_TYPES):  # a Terraform address of a key or alias
            return PASS, f"customer-managed key {value.target}"
        return UNKNOWN, f"the key comes from {value.target}, which is not in the scanned files"
    if isinstance(value, Expr):
        lit = value.literal
        m = _AWS_MANAGED.search(lit)
        if m:
            return FAIL, f"is encrypted with the AWS-managed key {m.group(1)}, not a customer-managed key"
        if ":key/" in lit or ":alias/" in lit:
            return PASS, "customer-managed key ARN"
        refs = value.refs
        if refs and not value.unknowns:
            return judge_key(refs[-1], res, ctx)
        u = value.unknowns
        return UNKNOWN, (u[0].reason if u else f"{value} is known only at deploy time")
    if isinstance(value, str):
        v = value.strip()
        m = _AWS_MANAGED.search(v)
        if m:
            return FAIL, f"is encrypted with the AWS-managed key {m.group(1)}, not a customer-managed key"
        if _KEY_ARN.match(v) or _KEY_ID.match(v) or v.startswith("alias/"):
            return PASS, "customer-managed key"
        return UNKNOWN, f"{v!r} is not a KMS key ARN, id or alias"
    return UNKNOWN, "the key is of an unexpected type"


def customer_managed_key(res: Resource, ctx: EvalContext, params: dict[str, Any]) -> Verdict:
    """The resource's key attribute (``attr_by_kind[res.kind]``) names a customer-managed key."""
    path = (params.get("attr_by_kind") or {}).get(res.kind)
    if not path:
        return Verdict(UNKNOWN, [f"no key attribute is known for {res.kind}"])
    values = [v for v in walk(res.properties, path) if v is not None]
    if not values:
        values = [None]
    fails, unknowns, passes = [], [], []
    for v in values:
        status, why = judge_key(v, res, ctx)
        {FAIL: fails, UNKNOWN: unknowns, PASS: passes}[status].append(why)
    if fails:
        return Verdict(FAIL, [f"the {res.kind.replace('_', ' ')} {fails[0]} ({path})"], path)
    if unknowns:
        return Verdict(UNKNOWN, [f"{path}: {unknowns[0]}"], path)
    return Verdict(PASS, [], path, evidence={"key": passes[0]})
