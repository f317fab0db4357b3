"""CloudTrail: the trails whose home is the region, whether they log, and what they select."""

from __future__ import annotations

from agentgov.audit.collectors.base import Call, Context, live, tag_dict
from agentgov.scanner.model import Unknown

AREA = "cloudtrail"
#: the kinds this collector collects whole: when it completes without a gap and finds none, there are none
KINDS = ("trail",)
SCOPE = "regional"
SERVICE = "cloudtrail"

CALLS = (
    Call(SERVICE, "DescribeTrails", "cloudtrail:DescribeTrails"),
    Call(SERVICE, "GetTrailStatus", "cloudtrail:GetTrailStatus"),
    Call(SERVICE, "GetEventSelectors", "cloudtrail:GetEventSelectors"),
    Call(SERVICE, "ListTags", "cloudtrail:ListTags"),
)


def collect(ctx: Context) -> None:
    trails = ctx.call(SERVICE, "DescribeTrails", includeShadowTrails=False).get("trailList") or []  # not paginated
    for t in trails:
        arn = t["TrailARN"]
        props = live(t)
        props["trail_name"] = props.pop("name", t.get("Name"))
        props["enable_log_file_validation"] = props.pop("log_file_validation_enabled", None)
        status = ctx.detail(SERVICE, "GetTrailStatus", Name=arn)
        props["is_logging"] = status if isinstance(status, Unknown) else status.get("IsLogging")
        selectors = ctx.detail(SERVICE, "GetEventSelectors", TrailName=arn)
        if isinstance(selectors, Unknown):
            props["event_selectors"] = props["advanced_event_selectors"] = selectors
        else:
            props["event_selectors"] = live(selectors.get("EventSelectors") or [])
            props["advanced_event_selectors"] = live(selectors.get("AdvancedEventSelectors") or [])
        tags = ctx.detail(SERVICE, "ListTags", ResourceIdList=[arn])
        if not isinstance(tags, Unknown):
            tags = tag_dict(
                next((x.get("TagsList") for x in tags.get("ResourceTagList") or [] if x.get("ResourceId") == arn), [])
            )
        ctx.add("trail", "AWS::CloudTrail::Trail", arn, props, tags=tags, name=t.get("Name"))
