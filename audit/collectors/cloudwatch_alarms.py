"""CloudWatch metric alarms (what is watched, and who is told).

AG651 alone judges alarms, of an agent or AgentCore runtime in the alarm's own region (``stack_region``): they are
read only in a region that holds one (``WHEN``)."""

from __future__ import annotations

from typing import Any

from agentgov.audit.collectors.answers import ask
from agentgov.audit.collectors.base import Call, Context, live, tag_dict
from agentgov.audit.collectors.resolve import When
from agentgov.audit.collectors.tagging import GET_RESOURCES, tags_of
from agentgov.scanner.model import Unknown

AREA = "cloudwatch-alarms"
#: the kinds this collector collects whole: when it completes without a gap and finds none, there are none
KINDS = ("alarm",)
SCOPE = "regional"
SERVICE = "cloudwatch"
WHEN = When("is an agent or an AgentCore runtime (what AG651 judges)", holding=("agent", "agent_runtime"))

CALLS = (
    Call(SERVICE, "DescribeAlarms", "cloudwatch:DescribeAlarms"),
    Call(SERVICE, "ListTagsForResource", "cloudwatch:ListTagsForResource"),
    GET_RESOURCES,
)


def collect(ctx: Context) -> None:
    for page in ctx.pages(SERVICE, "DescribeAlarms", AlarmTypes=["MetricAlarm"]):
        for a in page.get("MetricAlarms") or []:
            arn = a["AlarmArn"]
            tags: Any = tags_of(ctx, arn)  # the region's GetResources, else (denied, failed) the alarm's own tags
            if tags is None:
                answer = ask(ctx, SERVICE, "ListTagsForResource", ResourceARN=arn)
                tags = answer if isinstance(answer, Unknown) else tag_dict(answer.get("Tags"))
            ctx.add(
                "alarm",
                "AWS::CloudWatch::Alarm",
                arn,
                live(a),
                tags=tags,
                name=a.get("AlarmName"),
            )
