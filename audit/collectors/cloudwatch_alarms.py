"""CloudWatch metric alarms (what is watched, and who is told)."""

from __future__ import annotations

from agentgov.audit.collectors.answers import ask
from agentgov.audit.collectors.base import Call, Context, live, tag_dict
from agentgov.scanner.model import Unknown

AREA = "cloudwatch-alarms"
#: the kinds this collector collects whole: when it completes without a gap and finds none, there are none
KINDS = ("alarm",)
SCOPE = "regional"
SERVICE = "cloudwatch"

CALLS = (
    Call(SERVICE, "DescribeAlarms", "cloudwatch:DescribeAlarms"),
    Call(SERVICE, "ListTagsForResource", "cloudwatch:ListTagsForResource"),
)


def collect(ctx: Context) -> None:
    for page in ctx.pages(SERVICE, "DescribeAlarms", AlarmTypes=["MetricAlarm"]):
        for a in page.get("MetricAlarms") or []:
            arn = a["AlarmArn"]
            tags = ask(ctx, SERVICE, "ListTagsForResource", ResourceARN=arn)
            ctx.add(
                "alarm",
                "AWS::CloudWatch::Alarm",
                arn,
                live(a),
                tags=tags if isinstance(tags, Unknown) else tag_dict(tags.get("Tags")),
                name=a.get("AlarmName"),
            )
