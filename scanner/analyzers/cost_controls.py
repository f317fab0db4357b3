"""Budgets and cost anomaly detection that cover Bedrock spend (AG651's alternatives to a CloudWatch alarm).

An account's runaway Bedrock spend is caught by a CloudWatch alarm on Bedrock's metrics (the policy's own
``exists``), by an AWS Budgets budget, or by a Cost Anomaly Detection subscription. A budget counts when it
notifies someone (a notification: AWS requires a subscriber on each) and measures Bedrock's spend: a COST budget
without filters covers every service; a COST or USAGE budget whose ``Service`` filter (or ``FilterExpression``
SERVICE dimension) names Amazon Bedrock covers it; a budget narrowed by other filters (tags, cost categories, ...)
is not judged to cover it (the filter's reach is not known), which is said. A subscription counts when it notifies
subscribers about a monitor of every AWS service (``DIMENSIONAL`` / ``SERVICE``) or a custom monitor whose
specification names Amazon Bedrock's service.

Both are account-level: a scan looks in the same template or Terraform root module, the live audit in the agent's
account (Budgets and Cost Explorer are global). Nothing found is UNKNOWN in the files (it may live in another
stack) and FAIL on a live account whose budgets and monitors were read.
"""

from __future__ import annotations

import json
from typing import Any

from ..conditions import FAIL, PASS, UNKNOWN, EvalContext, Verdict
from ..model import Inventory, Resource, Unknown

_BEDROCK = "bedrock"


def _names_bedrock(values: Any) -> bool | None:
    """Whether a filter's values name Bedrock (None: not known)."""
    if isinstance(values, str):
        values = [values]
    if not isinstance(values, list):
        return None
    known = [v for v in values if isinstance(v, str)]
    if any(_BEDROCK in v.lower() for v in known):
        return True
    return False if len(known) == len(values) else None


def _expression_service(expr: Any) -> bool | None:
    """A FilterExpression's SERVICE dimension names Bedrock (None: the expression is not one agentgov reads)."""
    if not isinstance(expr, dict):
        return None
    dims = expr.get("dimensions")
    if isinstance(dims, dict) and str(dims.get("key", "")).upper() == "SERVICE":
        return _names_bedrock(dims.get("values"))
    for k in ("and", "or"):
        parts = expr.get(k)
        if isinstance(parts, list):
            found = [_expression_service(x) for x in parts]
            if any(f is True for f in found):
                return True
    return None


def budget_covers(b: Resource) -> tuple[bool | None, str]:
    """(the budget notifies on Bedrock spend: True / False / None unknown, why not)."""
    label = b.name or b.label
    notes = b.properties.get("notifications_with_subscribers")
    if isinstance(notes, Unknown):
        return None, f"budget {label}'s notifications were not read: {notes.reason}"
    if not notes:
        return False, f"budget {label} notifies nobody (no notification)"
    btype = b.properties.get("budget_type")
    if not isinstance(btype, str):
        return None, f"budget {label}'s type is known only at deploy time"
    if btype.upper() not in ("COST", "USAGE"):
        return False, f"budget {label} is a {btype} budget"
    expr = b.properties.get("filter_expression")
    if expr:
        hit = _expression_service(expr)
        if hit is None:
            return None, f"budget {label}'s filter expression is not one agentgov reads (whether it covers Bedrock)"
        return hit, f"budget {label}'s filter expression does not select Amazon Bedrock"
    filters = b.properties.get("cost_filters")
    if isinstance(filters, str):  # CloudFormation allows a JSON text
        try:
            filters = json.loads(filters)
        except ValueError:
            return None, f"budget {label}'s cost filters are not JSON"
    if filters in (None, {}):
        if btype.upper() == "COST":
            return True, ""
        return False, f"budget {label} is a USAGE budget of no service"
    if not isinstance(filters, dict):
        return None, f"budget {label}'s cost filters are known only at deploy time"
    service = next((v for k, v in filters.items() if str(k).lower() == "service"), None)
    others = sorted(str(k) for k in filters if str(k).lower() != "service")
    if others:
        return (
            None,
            f"budget {label} is narrowed by {', '.join(others)}: whether it covers this account's Bedrock spend is not judged",
        )
    hit = _names_bedrock(service)
    if hit is None:
        return None, f"budget {label}'s Service filter is known only at deploy time"
    return hit, f"budget {label}'s Service filter does not name Amazon Bedrock"


def monitor_covers(m: Resource) -> tuple[bool | None, str]:
    label = m.name or m.label
    mtype = m.properties.get("monitor_type")
    if not isinstance(mtype, str):
        return None, f"anomaly monitor {label}'s type is known only at deploy time"
    if mtype.upper() == "DIMENSIONAL":
        dim = m.properties.get("monitor_dimension")
        if isinstance(dim, str) and dim.upper() == "SERVICE":
            return True, ""
        return None if not isinstance(dim, str) else False, f"anomaly monitor {label} watches the {dim} dimension"
    spec = m.properties.get("monitor_specification")
    if isinstance(spec, (dict, list)):
        spec = json.dumps(spec)
    if not isinstance(spec, str):
        return None, f"anomaly monitor {label}'s specification is known only at deploy time"
    if "SERVICE" in spec.upper() and _BEDROCK in spec.lower():
        return True, ""
    return False, f"anomaly monitor {label}'s specification does not select Amazon Bedrock"


def _subscription_covers(inv: Inventory, s: Resource) -> tuple[bool | None, str]:
    label = s.name or s.label
    if not s.properties.get("subscribers"):
        return False, f"anomaly subscription {label} has no subscriber"
    whys: list[str] = []
    unsure = False
    for e in inv.out_edges(s.key, "monitor"):
        if isinstance(e.dst, Unknown):
            unsure = True
            whys.append(f"a monitor of anomaly subscription {label}: {e.dst.reason}")
            continue
        hit, why = monitor_covers(inv.resources[e.dst])
        if hit:
            return True, ""
        unsure = unsure or hit is None
        whys.append(why)
    return (None if unsure else False), "; ".join(whys) or f"anomaly subscription {label} names no monitor"


def _same_scope(r: Resource, res: Resource) -> bool:
    if res.source == "aws":
        return r.source == "aws" and r.account == res.account
    return r.source != "aws" and r.stack == res.stack


def check(res: Resource, ctx: EvalContext, params: dict[str, Any]) -> Verdict:
    inv = ctx.inventory
    unknowns: list[str] = []
    fails: list[str] = []
    if res.source == "aws":
        for kind in ("anomaly_monitor", "anomaly_subscription", "budget"):  # global kinds: read once per account
            gap = inv.uncollected_of(res.account, kind)
            if gap:
                unknowns.append(f"the account's {kind.replace('_', ' ')}s were not read: {gap[2]}")
    for b in (r for r in inv.of_kind("budget") if _same_scope(r, res)):
        hit, why = budget_covers(b)
        if hit:
            return Verdict(PASS, evidence={"budget": b.name or b.label})
        (unknowns if hit is None else fails).append(why)
    for s in (r for r in inv.of_kind("anomaly_subscription") if _same_scope(r, res)):
        hit, why = _subscription_covers(inv, s)
        if hit:
            return Verdict(PASS, evidence={"anomaly_subscription": s.name or s.label})
        (unknowns if hit is None else fails).append(why)
    if unknowns:
        return Verdict(UNKNOWN, unknowns[:3])
    if res.source != "aws":
        return Verdict(
            UNKNOWN,
            [
                "no AWS Budgets budget or Cost Anomaly Detection subscription covering Bedrock is declared in the scanned"
                " files (this agent's template or Terraform root module)" + (f" ({fails[0]})" if fails else "")
            ],
        )
    what = f" ({'; '.join(fails[:2])})" if fails else ""
    return Verdict(
        FAIL, [f"no AWS Budgets budget or Cost Anomaly Detection subscription covers Bedrock in account {res.account}{what}"]
    )
