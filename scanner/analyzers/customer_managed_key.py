"""Customer-managed KMS keys (AG803; reusable for any "encrypted with a CMK" policy).

``params.paths`` maps a resource kind to the attribute that holds its key
(``{agent: customer_encryption_key_arn, data_source:
server_side_encryption_configuration.kms_key_arn}``). The verdict:

* absent: FAIL, the service encrypts with a key AWS owns;
* an AWS-managed key (``alias/aws/...``, as an alias or an alias ARN): FAIL;
* a customer alias: PASS (KMS maps an alias only to a customer-managed key; ``alias/aws/`` is reserved);
* a literal key id or ARN: in IaC PASS (only the live account can tell whether a bare key ARN is
  AWS-managed), or UNKNOWN saying so when ``params.literal_keys`` is ``unknown``; on a live account the
  key's record (``key_manager`` from DescribeKey) decides: CUSTOMER PASS, AWS FAIL, a key not read or
  not among the keys listed UNKNOWN with the reason;
* a reference to a KMS key or alias created in the scanned files: PASS (AWS
  keys cannot be created, and ``alias/aws/`` is reserved);
* a reference to anything else, a data source, a parameter without default:
  UNKNOWN with the reason.

``params.absent`` maps a kind to the message when its key attribute is absent (the default says AWS owns the key);
``params.evidence`` names attributes copied into the finding's evidence when the resource has them (a job's status).
"""

from __future__ import annotations

import re
from typing import Any

from ..conditions import FAIL, PASS, UNKNOWN, EvalContext, Verdict, unknown_reason
from ..model import MISSING, Expr, Ref, Resource, Unknown, walk
from ._guardrails import ref_target

_AWS_MANAGED = re.compile(r"(^|[:/])alias/aws/")
_KEY_LIKE = re.compile(r"(^|:)(key|alias)/")
_ALIAS = re.compile(r"(^|:)alias/")
_KEY_ID = re.compile(r"^(mrk-)?[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$|^mrk-[0-9a-f]{32}$")
#: resource types whose reference is a customer-managed key (Terraform addresses name them)
_KEY_TYPES = ("aws_kms_key", "aws_kms_alias", "aws_kms_replica_key", "aws_kms_external_key", "aws_kms_replica_external_key")


def _ref_is_key(ctx: EvalContext, res: Resource, ref: Ref) -> bool | None:
    target = ref_target(ctx, res, ref)
    if target is not None:
        return True if target.kind == "kms_key" else None
    last = ref.target.rsplit("#", 1)[-1].split(".")
    # Terraform address: [module.x.]type.name[index]
    return True if len(last) >= 2 and last[-2] in _KEY_TYPES else None


def _live_key(ctx: EvalContext, res: Resource, key: str, what: str) -> tuple[str, str]:
    """(PASS/FAIL/UNKNOWN, why) of a key id or key ARN a live record names, from the audit's KMS key records."""
    found = [
        k for k in ctx.inventory.of_kind("kms_key") if key in (k.arn, k.properties.get("key_arn"), k.properties.get("key_id"))
    ]
    if _KEY_ID.match(key):  # a bare key id names a key of the resource's own account and region
        found = [k for k in found if k.account == res.account and k.region == res.region]
    manager = found[0].properties.get("key_manager") if found else None
    if manager == "CUSTOMER":
        return PASS, ""
    if manager == "AWS":
        return FAIL, f"the {what} is encrypted with the AWS-managed key {key}, not a customer-managed one"
    why = manager.reason if isinstance(manager, Unknown) else _unlisted(ctx, res, key)
    return UNKNOWN, f"whether the key {key} is customer-managed cannot be told: {why}"


def _unlisted(ctx: EvalContext, res: Resource, key: str) -> str:
    """Why a key is not among the audit's records: its region's keys were not read (and why), or it is not there."""
    parts = key.split(":", 5) if key.startswith("arn:") else []
    region = parts[3] if len(parts) > 4 and parts[3] else res.region
    if len(parts) > 4 and parts[4] != res.account:  # another account's key: not the audit's to list here
        return "it is not among the KMS keys the audit listed"
    gap = ctx.inventory.uncollected_of(res.account, "kms_key", region)
    if gap:
        return f"the KMS keys of account {res.account} in {gap[1] or region} were not read: {gap[2]}"
    return "it is not among the KMS keys the audit listed"


def check(res: Resource, ctx: EvalContext, params: dict[str, Any]) -> Verdict:
    paths = params.get("paths") or {}
    path = paths.get(res.kind)
    if not path:
        raise ValueError(f"customer_managed_key: no key attribute given for kind {res.kind!r}")
    what = res.kind.replace("_", " ")
    evidence = {a: res.properties[a] for a in params.get("evidence") or () if isinstance(res.properties.get(a), str)}
    values = [v for v in walk(res.properties, path) if v is not None and v != ""]
    if not values or all(v is MISSING for v in values):
        absent = (params.get("absent") or {}).get(res.kind)
        return Verdict(
            FAIL,
            [absent or f"the {what} is encrypted with an AWS-owned key: {path} names no customer-managed KMS key"],
            path,
            evidence=evidence,
        )
    fails: list[str] = []
    unknowns: list[str] = []
    for v in values:
        if v is MISSING:
            fails.append(f"a deployable variant of the {what} names no customer-managed KMS key ({path})")
        elif isinstance(v, str):
            if _AWS_MANAGED.search(v):
                fails.append(f"the {what} is encrypted with the AWS-managed key {v}, not a customer-managed one")
            elif not (_KEY_LIKE.search(v) or _KEY_ID.match(v)):
                unknowns.append(f"{path} = {v!r} is not a KMS key id, key ARN or alias")
            elif _ALIAS.search(v):
                continue  # a customer alias: KMS maps aliases only to customer-managed keys
            elif res.source == "aws":
                status, why = _live_key(ctx, res, v, what)
                (fails if status == FAIL else unknowns if status == UNKNOWN else []).append(why)
            elif params.get("literal_keys") == "unknown":
                unknowns.append(
                    f"{path} = {v!r}: whether this key is customer-managed is known only on the account (agentgov audit)"
                )
        elif isinstance(v, Ref):
            if not _ref_is_key(ctx, res, v):
                unknowns.append(f"{path} references {v}, which is not a KMS key or alias agentgov models")
        elif isinstance(v, Expr):
            lit = v.literal
            if _AWS_MANAGED.search(lit):
                shown = "".join(p if isinstance(p, str) else "…" for p in v.parts)
                fails.append(f"the {what} is encrypted with the AWS-managed key {shown}, not a customer-managed one")
            elif v.refs and _ref_is_key(ctx, res, v.refs[-1]):
                continue
            elif not _KEY_LIKE.search(lit):
                unknowns.append(f"{path}: {unknown_reason(v)}")
        else:
            unknowns.append(f"{path}: {unknown_reason(v) or 'a value of an unexpected type'}")
    if fails:
        return Verdict(FAIL, fails, path, evidence=evidence)
    if unknowns:
        return Verdict(UNKNOWN, unknowns, path, evidence=evidence)
    return Verdict(PASS, path=path, evidence=evidence)
