"""Secrets agents read (AG403): encrypted with a customer managed key and rotated."""

from __future__ import annotations

import re
from typing import Any

from ..conditions import FAIL, PASS, UNKNOWN, EvalContext, Verdict
from ..model import Choice, Expr, Ref, Resource, Unknown, seen_in

_AWS_MANAGED_KEY = re.compile(r"(?:^|[:/])alias/aws/secretsmanager$")


def _kms_verdict(v: Any) -> tuple[str, str | None]:
    """(status, message) of one KmsKeyId value."""
    if v is None or v == "":
        return FAIL, "the secret is encrypted with the AWS-managed key aws/secretsmanager (no KmsKeyId / kms_key_id)"
    if isinstance(v, Choice):
        results = [_kms_verdict(o) for o in v.options]
        for status in (FAIL, UNKNOWN):
            for r in results:
                if r[0] == status:
                    return r
        return PASS, None
    if isinstance(v, str):
        if _AWS_MANAGED_KEY.search(v):
            return FAIL, "the secret is encrypted with the AWS-managed key aws/secretsmanager"
        return PASS, None
    if isinstance(v, Expr):
        if _AWS_MANAGED_KEY.search(v.literal):
            return FAIL, "the secret is encrypted with the AWS-managed key aws/secretsmanager"
        if v.unknowns and not v.refs and not re.search(r"(key/|alias/)$", v.literal):
            return UNKNOWN, f"kms_key_id: {v.unknowns[0].reason}"
        return PASS, None
    if isinstance(v, Ref):
        return PASS, None  # a key (or alias) resource of the template: customer managed
    if isinstance(v, Unknown):
        return UNKNOWN, f"kms_key_id: {v.reason}"
    return UNKNOWN, "kms_key_id of an unexpected type"


def check(res: Resource, ctx: EvalContext, params: dict[str, Any]) -> Verdict:
    """AG403: a secret agents read has a customer-managed KMS key and a rotation schedule."""
    fails: list[str] = []
    paths: list[str] = []
    unknowns: list[str] = []
    status, msg = _kms_verdict(res.properties.get("kms_key_id"))
    if status == FAIL:
        fails.append(msg or "")
        paths.append("kms_key_id")
    elif status == UNKNOWN:
        unknowns.append(msg or "")
    rotations = [r for r in ctx.inventory.related(res, "rotation")]
    inline = res.properties.get("rotation_rules") or res.properties.get("rotation_lambda_arn")
    if not rotations and not inline:
        fails.append(
            f"rotation is off: no rotation schedule for this secret {seen_in(res)}"
            + ("" if res.source == "aws" else " (AWS::SecretsManager::RotationSchedule / aws_secretsmanager_secret_rotation)")
        )
        paths.append("name")
    readers = sorted({f"{r.kind} {r.label}" for r in ctx.inventory.related(res, "read_by") if isinstance(r, Resource)})
    evidence: dict[str, Any] = {"read_by": readers}
    if fails:
        who = f" (read by {', '.join(readers[:3])}{' and more' if len(readers) > 3 else ''})" if readers else ""
        return Verdict(FAIL, [fails[0] + who] + fails[1:], path=paths[0], evidence=evidence)
    if unknowns:
        return Verdict(UNKNOWN, unknowns, evidence=evidence)
    return Verdict(PASS, evidence=evidence)
