"""AG306: the resource-based policy of an AgentCore runtime, runtime endpoint or gateway grants no public and no
unrestricted cross-account access.

The policy is CloudFormation's ``AWS::BedrockAgentCore::ResourcePolicy`` / Terraform's
``aws_bedrockagentcore_resource_policy`` (``resource_arn``, ``policy``), found by the graph's ``resource_policy``
edge, or on a live account GetResourcePolicy's answer (the record's ``resource_policy``). An endpoint is also
governed by its runtime's policy. Each Allow statement is read with policyuniverse:

* public: a ``*`` principal (or NotPrincipal) that policyuniverse finds internet accessible (no condition that
  limits the caller to an account, organization, ARN, VPC, VPC endpoint or address range);
* unrestricted cross-account: a principal of another account without an ``aws:SourceAccount`` /
  ``aws:PrincipalAccount`` or ``aws:PrincipalOrgID`` / ``aws:PrincipalOrgPaths`` condition.

The resource's own account is the live record's, or in IaC the account the template names through
``AWS::AccountId`` (or Terraform's ``aws_caller_identity``); a literal account in IaC is another account only when
the policy's own resource ARNs name a different one, else the verdict is UNKNOWN naming it.
"""

from __future__ import annotations

import re
from typing import Any

from ..conditions import FAIL, PASS, UNKNOWN, EvalContext, Verdict
from ..model import Choice, Expr, Ref, Resource, Unknown, walk

_ACCOUNT = re.compile(r"^(?:arn:[^:]*:(?:iam|sts)::)?(\d{12})(?::|$)")
_OWN_MARKERS = ("pseudo:AWS::AccountId", "aws_caller_identity")
_OWN = "<own account>"


def _text(value: Any) -> str:
    """A value as policyuniverse reads it: the resource's own account stands for a deploy-time account id."""
    if isinstance(value, str):
        return value
    if _is_own(value):
        return _OWN
    return "<known only at deploy time>"


def _is_own(value: Any) -> bool:
    parts: list[Any] = []
    if isinstance(value, Expr):
        parts = [*value.unknowns, *value.refs]
    elif isinstance(value, (Unknown, Ref)):
        parts = [value]
    for p in parts:
        text = f"{getattr(p, 'origin', '')} {getattr(p, 'target', '')} {getattr(p, 'reason', '')}"
        if any(m in text for m in _OWN_MARKERS):
            return True
    return False


def _plain(node: Any) -> Any:
    """The document with every symbolic value as text (policyuniverse reads plain JSON)."""
    if isinstance(node, dict):
        return {k: _plain(v) for k, v in node.items()}
    if isinstance(node, list):
        return [_plain(v) for v in node]
    if isinstance(node, (str, bool, int, float)) or node is None:
        return node
    return _text(node)


def _documents(inv: Any, res: Resource) -> tuple[list[tuple[str, Any]], list[str]]:
    """(where, document) of every resource policy governing ``res``, and why some cannot be read."""
    docs: list[tuple[str, Any]] = []
    unknown: list[str] = []
    targets = [res]
    if res.kind == "agent_runtime_endpoint":  # the runtime's policy governs its endpoints too
        targets += [r for r in inv.related(res, "agent_runtime") if isinstance(r, Resource)]
    for target in targets:
        where = "" if target is res else f"runtime {target.label}'s "
        if target.source == "aws":
            doc = target.properties.get("resource_policy")
            if isinstance(doc, Unknown):
                unknown.append(f"{where}resource policy was not read: {doc.reason}")
            elif doc is not None:
                docs.append((f"{where}resource policy", doc))
            continue
        for pol in [p for p in inv.related(target, "resource_policy") if isinstance(p, Resource)]:
            doc = pol.properties.get("policy")
            if isinstance(doc, Unknown):
                unknown.append(f"{where}resource policy {pol.label} is {doc.reason}")
            elif isinstance(doc, (Choice, Expr)) or not isinstance(doc, dict):
                unknown.append(f"{where}resource policy {pol.label} is known only at deploy time")
            else:
                docs.append((f"{where}resource policy {pol.label}", doc))
    return docs, unknown


def _own_account(res: Resource, doc: dict[str, Any]) -> str | None:
    if res.source == "aws":
        return res.account
    for v in walk(doc, "Statement"):
        for r in walk(v, "Resource") if isinstance(v, dict) else []:
            m = re.match(r"^arn:[^:]*:bedrock-agentcore:[^:]*:(\d{12}):", r) if isinstance(r, str) else None
            if m:
                return m.group(1)
    return None


def _judge(res: Resource, where: str, doc: dict[str, Any]) -> tuple[list[str], list[str]]:
    from policyuniverse.statement import Statement

    fails: list[str] = []
    unknown: list[str] = []
    own = _own_account(res, doc)
    raw = doc.get("Statement")
    for i, stmt in enumerate(raw if isinstance(raw, list) else [raw]):
        if not isinstance(stmt, dict):
            unknown.append(f"{where}: statement {i} is known only at deploy time")
            continue
        st = Statement(_plain(stmt))
        if st.effect != "Allow":
            continue
        sid = stmt.get("Sid") if isinstance(stmt.get("Sid"), str) else str(i)
        if st.is_internet_accessible():
            fails.append(f"{where} statement {sid} allows any principal (public) without a condition that limits the caller")
            continue
        limited = bool(st.condition_accounts or st.condition_orgids or st.condition_orgpaths)
        for principal in sorted(st.principals):
            if principal == _OWN or principal.endswith(".amazonaws.com") or principal == "*":
                continue
            if principal.startswith("<"):
                unknown.append(f"{where} statement {sid}: a principal is known only at deploy time")
                continue
            m = _ACCOUNT.match(principal)
            if not m or limited:
                continue
            account = m.group(1)
            if own is None:
                unknown.append(
                    f"{where} statement {sid} allows account {account} with no aws:SourceAccount or aws:PrincipalOrgID"
                    " condition, and whether that is another account is known only at deploy time"
                )
            elif account != own:
                fails.append(
                    f"{where} statement {sid} allows account {account} (another account) with no aws:SourceAccount"
                    " or aws:PrincipalOrgID condition"
                )
    return fails, unknown


def check(res: Resource, ctx: EvalContext, params: dict[str, Any]) -> Verdict:
    docs, unknown = _documents(ctx.inventory, res)
    fails: list[str] = []
    for where, doc in docs:
        f, u = _judge(res, where, doc)
        fails += f
        unknown += u
    evidence = {"resource_policies": [w for w, _ in docs]}
    if fails:
        return Verdict(FAIL, fails[:3], evidence=evidence)
    if unknown:
        return Verdict(UNKNOWN, unknown[:3], evidence=evidence)
    if not docs:
        where = "on the account" if res.source == "aws" else "in the scanned files"
        return Verdict(
            PASS, [f"no resource policy is attached {where}: no other account can be granted access"], evidence=evidence
        )
    return Verdict(PASS, evidence=evidence)
