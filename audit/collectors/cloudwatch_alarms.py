"""CloudWatch metric alarms (what is watched, and who is told)."""

from __future__ import annotations

from typing import Any

from agentgov.audit.collectors.answers import ask
from agentgov.audit.collectors.base import Call, Context, live, tag_dict
from agentgov.audit.collectors.tagging import GET_RESOURCES, tags_of
from agentgov.scanner.model import Unknown

AREA = "cloudwatch-alarms"
#: the kinds this collector collects whole: when it completes without a gap and finds none, there are none
KINDS = ("alarm",)
SCOPE = "regional"
SERVICE = "cloudwatch"

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
