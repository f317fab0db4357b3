"""Resource policy of an action-group function (AG106): only the agent may invoke it.

The function's resource policy is the set of permission resources that point
at it (``AWS::Lambda::Permission``, ``aws_lambda_permission``). Each must
let ``bedrock.amazonaws.com`` invoke the function, with a ``SourceArn`` that
names an agent (or, for ``bedrock-agentcore.amazonaws.com``, the AgentCore
gateway whose target the function is): a reference to an agent of the scan (``!GetAtt Agent.AgentArn``,
``aws_bedrockagent_agent.x.agent_arn``) or an ARN of the form
``arn:<partition>:bedrock:<region>:<account>:agent/<id>`` where neither the
account nor the id is a wildcard. A permission for another principal (``*``,
another service, an account) opens the agent's tool to callers that bypass
the agent, its guardrail and its confirmation steps: it fails.

A function the scan finds no permission for is UNKNOWN when an action group
names it (its permission may live in another stack or be added by the
console); a function only AgentCore gateway targets call needs no resource
policy (the gateway invokes it with its own role) and passes.
"""

from __future__ import annotations

import re
from typing import Any

from ..conditions import FAIL, PASS, UNKNOWN, EvalContext, Verdict
from ..model import Expr, Inventory, Ref, Resource, Unknown

BEDROCK = "bedrock.amazonaws.com"
AGENTCORE = "bedrock-agentcore.amazonaws.com"

# principal -> (kind its SourceArn must name, ARN attributes of that kind, ARN pattern)
_SOURCES: dict[str, tuple[str, tuple[str, ...], re.Pattern[str]]] = {
    BEDROCK: (
        "agent",
        ("agent_arn", "AgentArn"),
        re.compile(r"^arn:[^:*]+:bedrock:[^:]*:(?P<account>[^:]*):agent/(?P<id>[^/]+)$"),
    ),
    AGENTCORE: (
        "gateway",
        ("gateway_arn", "GatewayArn"),
        re.compile(r"^arn:[^:*]+:bedrock-agentcore:[^:]*:(?P<account>[^:]*):gateway/(?P<id>[^/]+)$"),
    ),
}


def show(value: Any) -> str:
    """A value for a message: deploy-time parts as ${AWS::Region} or ${...}."""
    if isinstance(value, Expr):
        out = []
        for p in value.parts:
            if isinstance(p, str):
                out.append(p)
            elif isinstance(p, Unknown) and p.origin:
                out.append("${" + p.origin.split(":", 1)[-1] + "}")
            elif isinstance(p, Ref):
                out.append(str(p))
            else:
                out.append("${...}")
        return "".join(out)
    return str(value)


def _source_arn_verdict(value: Any, inv: Inventory, perm: Resource, principal: str) -> tuple[str, str]:
    """(status, message) for the SourceArn of a Bedrock / AgentCore permission."""
    kind, attrs, pattern = _SOURCES[principal]
    article = "an" if kind[0] in "aeiou" else "a"
    if value is None or value == "":
        if perm.properties.get("source_account") not in (None, ""):
            return (
                FAIL,
                f"no SourceArn (SourceAccount only): every {kind} of the account may invoke the function through {principal}",
            )
        return FAIL, f"no SourceArn: any {kind} of any account could invoke the function through {principal}"
    if isinstance(value, Unknown):
        return UNKNOWN, f"SourceArn: {value.reason}"
    if isinstance(value, Ref):
        key = value.target if "#" in value.target else f"{perm.stack}#{value.target}"
        target = inv.resources.get(key)
        if target is None:
            if value.attr in attrs:  # e.g. awscc_bedrock_agent.x.agent_arn: a type agentgov does not model
                return PASS, f"SourceArn is the {kind} {value.target}"
            return UNKNOWN, f"SourceArn refers to {value.target}, which agentgov does not model"
        if target.kind == kind:
            return PASS, f"SourceArn is {kind} {target.label}"
        return FAIL, f"SourceArn is the {target.kind} {target.label}, not {article} {kind}"
    if isinstance(value, Expr):
        text = "".join(p if isinstance(p, str) else "x" for p in value.parts)
        literal = value.literal
    elif isinstance(value, str):
        text = literal = value
    else:
        return UNKNOWN, "SourceArn of an unexpected type"
    m = pattern.match(text)
    if m is None:
        if isinstance(value, Expr) and ":" not in literal:
            return UNKNOWN, f"SourceArn {show(value)} is known only at deploy time"
        return FAIL, f"SourceArn {show(value)} is not the ARN of {article} {kind}"
    if "*" in m.group("account") or "*" in m.group("id") or "?" in m.group("id"):
        return (
            FAIL,
            f"SourceArn {show(value)} matches every {kind} of {'any account' if '*' in m.group('account') else 'the account'}, not one {kind}",
        )
    return PASS, f"SourceArn {show(value)}"


def judge_permission(perm: Resource, inv: Inventory) -> tuple[str, str, str]:
    """(status, message, attribute) for one permission resource."""
    principal = perm.properties.get("principal")
    if isinstance(principal, Unknown):
        return UNKNOWN, f"permission {perm.label}: principal {principal.reason}", "principal"
    if isinstance(principal, (Ref, Expr)):
        return UNKNOWN, f"permission {perm.label}: principal {principal} is known only at deploy time", "principal"
    if principal not in _SOURCES:
        who = "anyone" if principal == "*" else repr(principal)
        return (
            FAIL,
            (
                f"permission {perm.label} lets {who} invoke the function, bypassing the agent"
                f" (only {BEDROCK}, or {AGENTCORE} for a gateway target, should)"
            ),
            "principal",
        )
    status, msg = _source_arn_verdict(perm.properties.get("source_arn"), inv, perm, principal)
    return status, f"permission {perm.label}: {msg}", "source_arn"


def check(res: Resource, ctx: EvalContext, params: dict[str, Any]) -> Verdict:
    inv = ctx.inventory
    perms = [
        inv.resources[e.src] for e in inv.in_edges(res.key, "function") if inv.resources[e.src].kind == "function_permission"
    ]
    groups = [inv.resources[e.src] for e in inv.in_edges(res.key, "function") if inv.resources[e.src].kind == "action_group"]
    targets = [inv.resources[e.src] for e in inv.in_edges(res.key, "function") if inv.resources[e.src].kind == "gateway_target"]
    evidence: dict[str, Any] = {
        "action_groups": sorted(g.label for g in groups),
        "permissions": sorted(p.label for p in perms),
    }
    if targets:
        evidence["gateway_targets"] = sorted(t.label for t in targets)
    if not perms and res.source == "aws":  # GetPolicy answered that the function has no resource policy
        return Verdict(
            PASS,
            ["the function has no resource policy (lambda GetPolicy): no other service or account may invoke it"],
            evidence=evidence,
        )
    if not perms:
        if groups:
            return Verdict(
                UNKNOWN,
                ["no Lambda permission for this function is in the scanned files (it may be granted in another stack)"],
                evidence=evidence,
            )
        if targets:
            return Verdict(
                PASS,
                ["only AgentCore gateway targets call the function, with the gateway's role: no resource policy is needed"],
                evidence=evidence,
            )
        return Verdict(UNKNOWN, ["no Lambda permission for this function is in the scanned files"], evidence=evidence)
    fails: list[tuple[str, Resource, str]] = []
    unknowns: list[str] = []
    passes: list[str] = []
    for p in perms:
        status, msg, attr = judge_permission(p, inv)
        if status == FAIL:
            fails.append((msg, p, attr))
        elif status == UNKNOWN:
            unknowns.append(msg)
        else:
            passes.append(msg)
    if fails:
        if unknowns:
            evidence["not_assessed"] = unknowns
        _, perm, attr = fails[0]
        return Verdict(FAIL, [m for m, _, _ in fails], location=perm.attr_location(attr), evidence=evidence)
    if unknowns:
        return Verdict(UNKNOWN, unknowns[:3], evidence=evidence)
    return Verdict(PASS, passes[:1], evidence=evidence)
