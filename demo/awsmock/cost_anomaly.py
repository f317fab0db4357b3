"""Cost Anomaly Detection monitors and subscriptions, which moto 5.2 lacks: CreateAnomalyMonitor,
GetAnomalyMonitors, CreateAnomalySubscription and GetAnomalySubscriptions, answered as botocore's ce model shapes
them (AnomalyMonitor, AnomalySubscription; pages by NextPageToken). A DIMENSIONAL monitor needs MonitorDimension, a
CUSTOM one a MonitorSpecification; a subscription's monitors must exist."""

from __future__ import annotations

import uuid
from typing import Any

from agentgov.demo.awsmock._common import NotFound, Refused, _page, _state


class AnomalyState:
    def __init__(self) -> None:
        self.monitors: list[dict[str, Any]] = []
        self.subscriptions: list[dict[str, Any]] = []


def _st(resp: Any) -> AnomalyState:
    return _state(resp.ce_backend, AnomalyState)


def _arn(resp: Any, kind: str) -> str:
    return f"arn:aws:ce::{resp.current_account}:{kind}/{uuid.uuid4()}"


def _create_monitor(self: Any, p: dict[str, Any]) -> dict[str, Any]:
    m = dict(p["AnomalyMonitor"])
    if m.get("MonitorType") == "DIMENSIONAL" and not m.get("MonitorDimension"):
        raise Refused("MonitorDimension is required for a DIMENSIONAL monitor")
    if m.get("MonitorType") == "CUSTOM" and not m.get("MonitorSpecification"):
        raise Refused("MonitorSpecification is required for a CUSTOM monitor")
    m["MonitorArn"] = _arn(self, "anomalymonitor")
    m["CreationDate"] = "2026-12-06"
    _st(self).monitors.append(m)
    return {"MonitorArn": m["MonitorArn"]}


def _get_monitors(self: Any, p: dict[str, Any]) -> dict[str, Any]:
    wanted = p.get("MonitorArnList")
    monitors = [m for m in _st(self).monitors if not wanted or m["MonitorArn"] in wanted]
    return _page(monitors, p, "AnomalyMonitors", token="NextPageToken", limit="MaxResults", size=100)


def _create_subscription(self: Any, p: dict[str, Any]) -> dict[str, Any]:
    s = dict(p["AnomalySubscription"])
    known = {m["MonitorArn"] for m in _st(self).monitors}
    for arn in s.get("MonitorArnList") or []:
        if arn not in known:
            raise NotFound(f"No anomaly monitor found for {arn}", "UnknownMonitorException")
    if not s.get("Subscribers"):
        raise Refused("Subscribers must not be empty")
    s["SubscriptionArn"] = _arn(self, "anomalysubscription")
    s["AccountId"] = self.current_account
    _st(self).subscriptions.append(s)
    return {"SubscriptionArn": s["SubscriptionArn"]}


def _get_subscriptions(self: Any, p: dict[str, Any]) -> dict[str, Any]:
    subs = _st(self).subscriptions
    if p.get("MonitorArn"):
        subs = [s for s in subs if p["MonitorArn"] in (s.get("MonitorArnList") or [])]
    if p.get("SubscriptionArnList"):
        subs = [s for s in subs if s["SubscriptionArn"] in p["SubscriptionArnList"]]
    return _page(subs, p, "AnomalySubscriptions", token="NextPageToken", limit="MaxResults", size=100)


OPERATIONS = (
    ("CreateAnomalyMonitor", _create_monitor),
    ("GetAnomalyMonitors", _get_monitors),
    ("CreateAnomalySubscription", _create_subscription),
    ("GetAnomalySubscriptions", _get_subscriptions),
)
