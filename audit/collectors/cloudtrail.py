"""CloudTrail: the trails that log the region, whether they log, and what they select.

``DescribeTrails`` is asked with ``includeShadowTrails`` (its default): without it, AWS answers
neither the organization trails of a member account nor the replications of a multi-region
trail whose home is another region, and a member account covered by its Organization's trail
would look unwatched. Each trail is read in its home region (``GetTrailStatus`` and
``GetEventSelectors`` with its ARN, as a member account must for an organization trail), so
every region that sees it records the same trail; the account keeps one record per ARN.
"""

from __future__ import annotations

from typing import Any

from agentgov.audit.collectors.answers import ask
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
    # not paginated; with the shadow trails: the organization's trails and multi-region trails homed elsewhere
    trails = ctx.call(SERVICE, "DescribeTrails", includeShadowTrails=True).get("trailList") or []
    for t in trails:
        with ctx.reading(SERVICE, "DescribeTrails", t):
            _trail(ctx, t)


def _trail(ctx: Context, t: dict[str, Any]) -> None:
    arn = t["TrailARN"]
    home = t.get("HomeRegion") or ctx.region
    if home != ctx.region and not t.get("IsMultiRegionTrail"):
        return  # (a single-region trail of another region does not log this one)
    props = live(t)
    props["trail_name"] = props.pop("name", t.get("Name"))
    props["enable_log_file_validation"] = props.pop("log_file_validation_enabled", None)
    status = ask(ctx, SERVICE, "GetTrailStatus", Name=arn, region=home)
    props["is_logging"] = status if isinstance(status, Unknown) else status.get("IsLogging")
    selectors = ask(ctx, SERVICE, "GetEventSelectors", TrailName=arn, region=home)
    if isinstance(selectors, Unknown):
        props["event_selectors"] = props["advanced_event_selectors"] = selectors
    else:
        props["event_selectors"] = live(selectors.get("EventSelectors") or [])
        props["advanced_event_selectors"] = live(selectors.get("AdvancedEventSelectors") or [])
    owner = arn.split(":")[4] if arn.count(":") >= 5 else ctx.account
    if owner == ctx.account:
        tags = ask(ctx, SERVICE, "ListTags", ResourceIdList=[arn], region=home)
        if not isinstance(tags, Unknown):
            tags = tag_dict(
                next((x.get("TagsList") for x in tags.get("ResourceTagList") or [] if x.get("ResourceId") == arn), [])
            )
    else:  # another account's trail (the Organization's): its tags are its owner's to read
        tags = Unknown(f"the trail belongs to account {owner} (an organization trail): its tags are read there")
    ctx.add("trail", "AWS::CloudTrail::Trail", arn, props, tags=tags, name=t.get("Name"), region=home)
