"""AWS managed policies attached to a role (AG105), and whether they are broad.

Attached managed policies come from the role itself (CloudFormation
``ManagedPolicyArns``, Terraform ``managed_policy_arns``, SAM ``Policies``
entries that name a managed policy, which ``sources/sam.py`` turns into the
implied role's ``ManagedPolicyArns``) and from attachment resources
(``aws_iam_role_policy_attachment``, ``aws_iam_policy_attachment``,
``aws_iam_role_policy_attachments_exclusive``) that point at the role.

An ARN built with an unknown partition (``arn:${data.aws_partition.current.partition}:iam::aws:policy/X``)
is still the AWS managed policy X. A value the files cannot settle (a
parameter, a variable, a data source) is UNKNOWN when the policy judges it;
a Ref to a policy of the scan is a customer managed policy (AG101 reads it).
"""

from __future__ import annotations

import fnmatch
from typing import Any

from ..conditions import FAIL, PASS, UNKNOWN, EvalContext, Verdict
from ..iam_policies import attached, aws_managed_name
from ..model import MISSING, Expr, Location, Ref, Resource, Unknown
from ._roles import role_users


def _reason(v: Any) -> str | None:
    if isinstance(v, Unknown):
        return v.reason
    if isinstance(v, Expr):
        u = v.unknowns
        return u[0].reason if u else f"{v} is known only at deploy time"
    return None


def check(res: Resource, ctx: EvalContext, params: dict[str, Any]) -> Verdict:
    patterns = [p for p in (params.get("broad") or ()) if isinstance(p, str)]
    inv = ctx.inventory
    used_by = role_users(res, inv)
    broad: list[tuple[str, Location]] = []
    unknown: list[str] = []
    seen: list[str] = []
    for v, loc in attached(res, inv):
        if v is None or v is MISSING or v == "":
            continue
        name = aws_managed_name(v)
        if name is not None:
            seen.append(name)
            bare = name.rsplit("/", 1)[-1]
            if any(fnmatch.fnmatchcase(bare, p) or fnmatch.fnmatchcase(name, p) for p in patterns):
                broad.append((name, loc))
            continue
        if isinstance(v, Unknown) and (v.origin or "").startswith("data:aws_iam_policy:"):
            # data "aws_iam_policy" looked up by name: AWS's policy of that name (a customer policy
            # named like an AWS managed one is not a case worth an UNKNOWN)
            name = (v.origin or "").split(":", 2)[2]
            seen.append(name)
            if any(fnmatch.fnmatchcase(name, p) for p in patterns):
                broad.append((name, loc))
            continue
        if isinstance(v, Ref):
            continue  # a policy resource of the scan: a customer managed policy
        if isinstance(v, str):
            continue  # a customer managed policy ARN (another account's or this one's)
        r = _reason(v)
        if r is not None:
            if isinstance(v, Expr) and ":iam::aws:policy/" not in v.literal and v.literal.startswith("arn:"):
                continue  # an ARN of this account's own policy, e.g. arn:aws:iam::${account}:policy/x
            unknown.append(f"an attached policy ARN is not known: {r}")
    evidence: dict[str, Any] = {"used_by": used_by}
    if seen:
        evidence["aws_managed"] = sorted(set(seen))
    users = f" (used by {', '.join(used_by)})" if used_by else ""
    if broad:
        names = sorted({n for n, _ in broad})
        evidence["broad"] = names
        msg = f"the role has broad AWS managed polic{'y' if len(names) == 1 else 'ies'} {', '.join(names)} attached{users}"
        if unknown:
            evidence["not_assessed"] = unknown
        from ..iam_policies import on_role

        return Verdict(FAIL, [msg], location=on_role(res, broad[0][1], evidence), evidence=evidence)
    if unknown:
        evidence["not_assessed"] = unknown
        return Verdict(UNKNOWN, unknown[:3], evidence=evidence)
    return Verdict(PASS, evidence=evidence)
