"""CloudWatch Logs deliveries (sources, deliveries, destinations): where AgentCore resources send their application
logs and traces (AG605), and which log groups receive them (agent log groups, AG604).

A delivery source names the resource it delivers for, in its own region: the deliveries are read only in a region
that holds an AgentCore runtime, gateway, memory, code interpreter or browser (``WHEN``).
"""

from __future__ import annotations

from agentgov.audit.collectors.base import Call, Context, live
from agentgov.audit.collectors.resolve import When
from agentgov.scanner.graph import DELIVERING_KINDS

AREA = "logs-deliveries"
#: the kinds this collector collects whole: when it completes without a gap and finds none, there are none
KINDS = ("log_delivery_source", "log_delivery", "log_delivery_destination")
SCOPE = "regional"
SERVICE = "logs"
WHEN = When(
    "is an AgentCore runtime, gateway, memory, code interpreter or browser (what delivers logs)", holding=DELIVERING_KINDS
)

CALLS = (
    Call(SERVICE, "DescribeDeliverySources", "logs:DescribeDeliverySources"),
    Call(SERVICE, "DescribeDeliveries", "logs:DescribeDeliveries"),
    Call(SERVICE, "DescribeDeliveryDestinations", "logs:DescribeDeliveryDestinations"),
)

#: (operation, answer key, kind, CloudFormation type)
_DELIVERY = (
    ("DescribeDeliverySources", "deliverySources", "log_delivery_source", "AWS::Logs::DeliverySource"),
    ("DescribeDeliveries", "deliveries", "log_delivery", "AWS::Logs::Delivery"),
    ("DescribeDeliveryDestinations", "deliveryDestinations", "log_delivery_destination", "AWS::Logs::DeliveryDestination"),
)


def collect(ctx: Context) -> None:
    for operation, key, kind, cfn_type in _DELIVERY:
        with ctx.enumeration(kind):
            for item in ctx.items(SERVICE, operation, key):
                with ctx.reading(SERVICE, operation, item):
                    ctx.add(kind, cfn_type, item["arn"], live(item), name=item.get("name"))
