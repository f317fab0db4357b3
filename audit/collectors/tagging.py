"""Tags of a region's resources from the Resource Groups Tagging API, read once per account and region.

``GetResources`` answers "all the tagged or previously tagged resources that are located in the
specified Region" of the types asked for (``ResourceTypeFilters``), in pages of up to 100, with all
their tags; it "does not return untagged resources". So for a resource of one of those types, in a
region whose ``GetResources`` answered every page, being absent means having no tags. When the call
is denied or fails, nothing is concluded from it: ``tags_of`` answers None and the collector reads
the resource's tags with the service's own call, as it would without the Tagging API (a denied read
there makes the tags unknown, never "none").

Asked for: Bedrock agents, agent aliases, knowledge bases and guardrails, CloudWatch alarms, DynamoDB
tables, KMS keys and S3 buckets (a bucket in its own region). Not asked for: AgentCore resources (their
tags are read per resource: the Tagging API's coverage of AgentCore types was not established), Lambda
functions (``GetFunction`` answers their tags), IAM (``GetAccountAuthorizationDetails`` does).
"""

from __future__ import annotations

import threading
from typing import Any

from agentgov.audit.collectors.base import Call, CallFailed, Context, tag_dict

SERVICE = "resourcegroupstaggingapi"
GET_RESOURCES = Call(SERVICE, "GetResources", "tag:GetResources")

#: the Tagging API's resource types asked for (``service[:resourceType]``)
TYPES = (
    "bedrock:agent",
    "bedrock:agent-alias",
    "bedrock:knowledge-base",
    "bedrock:guardrail",
    "cloudwatch:alarm",
    "dynamodb:table",
    "kms:key",
    "s3",
)
_PER_PAGE = 100  # ResourcesPerPage's maximum


def resource_type(arn: str) -> str | None:
    """The Tagging API's ``service:resourceType`` of an ARN (``s3`` for a bucket); None when it is not an ARN."""
    parts = arn.split(":", 5)
    if len(parts) < 6 or parts[0] != "arn":
        return None
    service, resource = parts[2], parts[5]
    if service == "s3":
        return "s3" if "/" not in resource else None
    for sep in ("/", ":"):
        resource = resource.split(sep, 1)[0]
    return f"{service}:{resource}"


def covered(arn: str) -> bool:
    """Whether ``GetResources`` is asked for the type of ``arn`` (so its absence there means no tags)."""
    kind = resource_type(arn)
    return kind is not None and (kind in TYPES or kind.split(":", 1)[0] in TYPES)


class RegionTags:
    """One region's answer, read by the first collector that needs it; the others wait for it."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.read = False
        self.tags: dict[str, dict[str, Any]] | None = None  # None: the call did not answer whole
        self.failed: CallFailed | None = None

    def get(self, ctx: Context, region: str) -> dict[str, dict[str, Any]] | None:
        with self.lock:
            if not self.read:
                self.read = True
                per_page = min(ctx.page_size or _PER_PAGE, _PER_PAGE)
                try:
                    found: dict[str, dict[str, Any]] = {}
                    for page in ctx.pages(
                        SERVICE,
                        "GetResources",
                        region=region,
                        ResourceTypeFilters=list(TYPES),
                        PaginationConfig={"PageSize": per_page},
                    ):
                        for m in page.get("ResourceTagMappingList") or []:
                            found[m["ResourceARN"]] = tag_dict(m.get("Tags") or [])
                    self.tags = found
                except CallFailed as exc:  # each resource's tags are read by its own call
                    self.failed = exc
                except (KeyError, TypeError, AttributeError):  # an answer of another shape: not relied upon
                    self.tags = None
            return self.tags


class AccountTags:
    """The Tagging API's answers of one account, by region (shared by the account's collectors)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._regions: dict[str, RegionTags] = {}

    def region(self, region: str) -> RegionTags:
        with self._lock:
            return self._regions.setdefault(region, RegionTags())


def tags_of(ctx: Context, arn: str, region: str | None = None) -> dict[str, Any] | None:
    """The tags of the resource ``arn`` (in ``region``, default the context's) from ``GetResources``: ``{}`` when
    it lists them not; None when it cannot say (not asked for that type, no shared answers, the call failed):
    the caller then reads them with the service's own call."""
    where = region or ctx.region
    if ctx.tags is None or where is None or not covered(arn):
        return None
    table = ctx.tags.region(where).get(ctx, where)
    if table is None:
        return None
    return dict(table.get(arn) or {})
