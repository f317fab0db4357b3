"""AG307: an AgentCore gateway is associated with an AWS WAF web ACL.

IaC: a web ACL association (``AWS::WAFv2::WebACLAssociation`` / ``aws_wafv2_web_acl_association``) whose
``resource_arn`` is the gateway (the graph's ``web_acl_association`` edge); an association of the same stack whose
resource cannot be resolved (a parameter, an import) may be the gateway's, so the verdict is then UNKNOWN. Live:
WAF's GetWebACLForResource for the gateway, read by the collector into ``web_acl_arn``.
"""

from __future__ import annotations

from typing import Any

from ..conditions import FAIL, PASS, UNKNOWN, EvalContext, Verdict
from ..model import Resource, Unknown

_NONE = "the gateway has no AWS WAF web ACL"


def check(res: Resource, ctx: EvalContext, params: dict[str, Any]) -> Verdict:
    inv = ctx.inventory
    if res.source == "aws":
        acl = res.properties.get("web_acl_arn")
        if isinstance(acl, Unknown):
            return Verdict(UNKNOWN, [f"the gateway's web ACL was not read: {acl.reason}"], path="web_acl_arn")
        if isinstance(acl, str) and acl:
            return Verdict(PASS, evidence={"web_acl": acl}, path="web_acl_arn")
        return Verdict(FAIL, [f"{_NONE} (GetWebACLForResource names none)"], path="web_acl_arn")
    assocs = [a for a in inv.related(res, "web_acl_association") if isinstance(a, Resource)]
    if assocs:
        return Verdict(PASS, evidence={"web_acl_associations": [a.label for a in assocs]})
    for a in inv.of_kind("waf_association"):
        if a.stack != res.stack:
            continue
        for e in inv.out_edges(a.key, "protects"):
            if not isinstance(e.dst, str):
                why = e.dst.reason if isinstance(e.dst, Unknown) else "it cannot be resolved"
                return Verdict(UNKNOWN, [f"web ACL association {a.label} may protect this gateway: its resource {why}"])
    return Verdict(FAIL, [f"{_NONE} (no web ACL association names it)"])
