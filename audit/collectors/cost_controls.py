"""AWS Budgets budgets and Cost Anomaly Detection monitors and subscriptions: the account-level tripwires for
runaway Bedrock spend that AG651 accepts besides a CloudWatch alarm (both services are global: one read per
account).

A budget's notifications are read (DescribeNotificationsForBudget: a budget that notifies nobody does not count);
each notification has at least one subscriber (AWS requires one and refuses to delete the last), so its
subscribers are not read. Property names are the APIs' snake-cased, which are CloudFormation's and Terraform's after
normalization (``budget_type``, ``cost_filters`` with its keys as AWS Budgets names them, ``monitor_type``,
``monitor_dimension``, ``monitor_specification``, ``monitor_arn_list``, ``subscribers``).
"""

from __future__ import annotations

from typing import Any

from agentgov.audit.collectors.base import Call, CallFailed, Context, live

AREA = "cost-controls"
SCOPE = "global"
#: the kinds this collector collects whole: when it completes without a gap and finds none, there are none
KINDS = ("budget", "anomaly_monitor", "anomaly_subscription")

CALLS = (
    Call("budgets", "DescribeBudgets", "budgets:ViewBudget"),
    Call("budgets", "DescribeNotificationsForBudget", "budgets:ViewBudget"),
    Call("ce", "GetAnomalyMonitors", "ce:GetAnomalyMonitors"),
    Call("ce", "GetAnomalySubscriptions", "ce:GetAnomalySubscriptions"),
)


def _notifications(ctx: Context, name: str) -> Any:
    try:
        return [
            {"notification": live(n)}
            for n in ctx.items(
                "budgets", "DescribeNotificationsForBudget", "Notifications", AccountId=ctx.account, BudgetName=name
            )
        ]
    except CallFailed as exc:
        ctx.failures.append(exc)
        return exc.unknown()


def collect(ctx: Context) -> None:
    with ctx.enumeration("budget"):
        for b in ctx.items("budgets", "DescribeBudgets", "Budgets", AccountId=ctx.account, ShowFilterExpression=True):
            with ctx.reading("budgets", "DescribeBudgets", b):
                name = b["BudgetName"]
                props = live({k: v for k, v in b.items() if k not in ("CalculatedSpend", "LastUpdatedTime")})
                # (the notifications as CloudFormation's NotificationsWithSubscribers: each has subscribers)
                props["notifications_with_subscribers"] = _notifications(ctx, name)
                arn = f"arn:{ctx.partition}:budgets::{ctx.account}:budget/{name}"
                ctx.add("budget", "AWS::Budgets::Budget", arn, props, name=name)
    monitors = 0
    with ctx.enumeration("anomaly_monitor", "anomaly_subscription"):
        for m in ctx.items("ce", "GetAnomalyMonitors", "AnomalyMonitors"):
            with ctx.reading("ce", "GetAnomalyMonitors", m):
                ctx.add("anomaly_monitor", "AWS::CE::AnomalyMonitor", m["MonitorArn"], live(m), name=m.get("MonitorName"))
                monitors += 1
    if not monitors and "anomaly_monitor" not in (ctx.incomplete or ()):
        return  # a subscription names monitors that exist: without one, none can cover Bedrock (one call saved)
    with ctx.enumeration("anomaly_subscription"):
        for s in ctx.items("ce", "GetAnomalySubscriptions", "AnomalySubscriptions"):
            with ctx.reading("ce", "GetAnomalySubscriptions", s):
                ctx.add(
                    "anomaly_subscription",
                    "AWS::CE::AnomalySubscription",
                    s["SubscriptionArn"],
                    live(s),
                    name=s.get("SubscriptionName"),
                )
