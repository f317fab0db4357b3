"""Log and trace delivery (AG605): an AgentCore runtime, gateway, memory, code interpreter or browser has a CloudWatch
Logs delivery of its APPLICATION_LOGS (to a log group, bucket or stream) and of its TRACES to X-Ray.

The graph links a delivery source to the resource its ``resource_arns`` name (relation ``delivery_source`` from the
resource), a delivery to its source (``delivery``) and to its destination (``destination``). A delivery's destination
type is the delivery's own ``delivery_destination_type`` (CloudFormation, live), else its destination's, else what
the destination resource's ARN says (a log group: CWL, a bucket: S3, a stream: FH).
"""

from __future__ import annotations

from typing import Any

from ..conditions import FAIL, PASS, UNKNOWN, EvalContext, Verdict, unknown_reason
from ..model import MISSING, Inventory, Resource, Unknown, seen_in, walk

_BY_SERVICE = {"logs": "CWL", "s3": "S3", "firehose": "FH"}
#: (log type, destination types that count, what the message calls it)
_NEEDS = (
    ("APPLICATION_LOGS", ("CWL", "S3", "FH"), "application logs (APPLICATION_LOGS to a log group, bucket or stream)"),
    ("TRACES", ("XRAY",), "traces (TRACES to X-Ray)"),
)


def _destination_type(inv: Inventory, delivery: Resource) -> tuple[str | None, str | None]:
    own = delivery.properties.get("delivery_destination_type")
    if isinstance(own, str):
        return own, None
    edges = inv.out_edges(delivery.key, "destination")
    if not edges:
        return None, f"delivery {delivery.label} names no delivery destination"
    dst = edges[0].dst
    if isinstance(dst, Unknown):
        return None, f"delivery {delivery.label}: {dst.reason}"
    dest = inv.resources[dst]
    kind = dest.properties.get("delivery_destination_type")
    if isinstance(kind, str):
        return kind, None
    arns = [a for a in walk(dest.properties, "delivery_destination_configuration.destination_resource_arn") if a is not MISSING]
    arn = arns[0] if arns else None
    if isinstance(arn, str) and arn.startswith("arn:"):
        return _BY_SERVICE.get(arn.split(":")[2]), None
    if arn is not None and not isinstance(arn, str):
        edge = inv.out_edges(dest.key, "log_group")
        if edge and isinstance(edge[0].dst, str):
            return "CWL", None
        return None, f"the destination of delivery destination {dest.label}: {unknown_reason(arn) or arn}"
    if isinstance(kind, Unknown):
        return None, f"delivery destination {dest.label}: {kind.reason}"
    return None, f"delivery destination {dest.label} names no type and no destination resource"


def _not_collected(res: Resource, inv: Inventory) -> str | None:
    for kind in ("log_delivery_source", "log_delivery", "log_delivery_destination"):
        for region in (res.region, None):
            why = inv.uncollected.get((res.account, region, kind)) if res.account else None
            if why:
                return f"the log deliveries of account {res.account} were not read: {why}"
    return None


def check(res: Resource, ctx: EvalContext, params: dict[str, Any]) -> Verdict:
    inv = ctx.inventory
    what = res.kind.replace("_", " ")
    by_type: dict[str, list[str | None]] = {}
    unknowns: list[str] = []
    untyped_sources: list[str] = []
    for e in inv.out_edges(res.key, "delivery_source"):
        if not isinstance(e.dst, str):
            continue
        source = inv.resources[e.dst]
        log_type = source.properties.get("log_type")
        if not isinstance(log_type, str):
            unknowns.append(f"the log type of delivery source {source.label}: {unknown_reason(log_type) or 'not set'}")
            untyped_sources.append(source.label)
            continue
        for d in inv.out_edges(source.key, "delivery"):
            if isinstance(d.dst, str):
                kind, why = _destination_type(inv, inv.resources[d.dst])
                by_type.setdefault(log_type, []).append(kind)
                if why:
                    unknowns.append(why)
    untyped = bool(untyped_sources)  # a source whose log type is not known may be the missing one
    missing: list[str] = []
    unsure: list[str] = []
    for log_type, good, label in _NEEDS:
        kinds = by_type.get(log_type, [])
        if any(k in good for k in kinds):
            continue
        (unsure if None in kinds or untyped else missing).append(label)
    if (missing or unsure) and res.source == "aws":
        why = _not_collected(res, inv)
        if why:
            return Verdict(UNKNOWN, [why])
    if missing:
        return Verdict(FAIL, [f"the {what} delivers no {' and no '.join(missing)} {seen_in(res)}"])
    if unsure:
        return Verdict(UNKNOWN, unknowns[:3] or [f"the {what}'s deliveries cannot be read"])
    return Verdict(PASS)
