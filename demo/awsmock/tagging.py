"""What moto 5.2's Resource Groups Tagging API and S3 bucket list lack, as AWS answers them.

- ``GetResources`` lists no Bedrock resource: here agents, agent aliases and knowledge bases (moto's
  bedrock-agent backend, the aliases awsmock adds) and guardrails (awsmock's) are listed too, as
  ``{"ResourceARN", "Tags": [{"Key", "Value"}]}`` (botocore's ``ResourceTagMapping``), for the type
  filters ``bedrock``, ``bedrock:agent``, ``bedrock:agent-alias``, ``bedrock:knowledge-base`` and
  ``bedrock:guardrail``; a resource without tags is not listed (AWS: "GetResources does not return
  untagged resources").
- moto lists every bucket in every region's ``GetResources``; AWS lists the resources "located in the
  specified Region": a bucket is listed in its own region only.
- ``ListBuckets`` answers ``BucketRegion`` for every bucket when the request has a parameter
  (``MaxBuckets``, ``ContinuationToken``, ``Prefix`` or ``BucketRegion``: S3 sends the region to a
  request "that expresses pagination"); moto never sends it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

#: the Tagging API's resource types of what awsmock lists, by the ARN's resource part
_BEDROCK_TYPES = {"agent": "bedrock:agent", "agent-alias": "bedrock:agent-alias", "knowledge-base": "bedrock:knowledge-base",
                  "guardrail": "bedrock:guardrail"}  # fmt: skip


def _wanted(arn: str, filters: list[str] | None) -> bool:
    kind = _BEDROCK_TYPES.get(arn.split(":", 5)[-1].split("/", 1)[0])
    if kind is None:
        return False
    return not filters or "bedrock" in filters or kind in filters


def _tag_match(tags: list[dict[str, str]], tag_filters: list[dict[str, Any]] | None) -> bool:
    for f in tag_filters or []:
        values = f.get("Values") or []
        if not any(t["Key"] == f["Key"] and (not values or t["Value"] in values) for t in tags):
            return False
    return True


def _bedrock_resources(self: Any, tag_filters: Any, type_filters: Any) -> Iterator[dict[str, Any]]:
    from moto.bedrock.models import bedrock_backends
    from moto.bedrockagent.models import bedrockagent_backends

    agents = bedrockagent_backends[self.account_id][self.region_name]
    for arn in agents._list_arns():
        tags = [{"Key": k, "Value": v} for k, v in agents.tagger.get_tag_dict_for_resource(arn).items()]
        if tags and _wanted(arn, type_filters) and _tag_match(tags, tag_filters):
            yield {"ResourceARN": arn, "Tags": tags}
    guardrails = bedrock_backends[self.account_id][self.region_name]
    for arn in guardrails._list_arns():
        tags = guardrails.tagger.list_tags_for_resource(arn)["Tags"]
        if tags and _wanted(arn, type_filters) and _tag_match(tags, tag_filters):
            yield {"ResourceARN": arn, "Tags": tags}


def _in_region(self: Any, arn: str) -> bool:
    """Whether the resource of ``arn`` is located in the backend's region (buckets: their own region)."""
    if not arn.startswith("arn:aws:s3:::"):
        return True
    from moto.s3.models import s3_backends

    bucket = s3_backends[self.account_id]["global"].buckets.get(arn.split(":::", 1)[1])
    return bucket is None or bucket.region_name == self.region_name


def _resources(original: Callable[..., Iterator[dict[str, Any]]]) -> Callable[..., Iterator[dict[str, Any]]]:
    def generator(self: Any, tag_filters: Any = None, resource_type_filters: Any = None) -> Iterator[dict[str, Any]]:
        for item in original(self, tag_filters=tag_filters, resource_type_filters=resource_type_filters):
            if _in_region(self, item["ResourceARN"]):
                yield item
        yield from _bedrock_resources(self, tag_filters, resource_type_filters)

    return generator


def _all_buckets(original: Callable[..., Any]) -> Callable[..., Any]:
    def all_buckets(self: Any) -> Any:
        status, headers, body = original(self)
        asked = any(self._get_param(p) for p in ("prefix", "bucket-region", "max-buckets", "continuation-token"))
        if not asked or status != 200:
            return status, headers, body
        text = body.decode() if isinstance(body, bytes) else body
        for bucket in self.backend.buckets.values():
            name = f"<Name>{bucket.name}</Name>"
            text = text.replace(name, f"{name}<BucketRegion>{bucket.region_name}</BucketRegion>", 1)
        return status, headers, text.encode() if isinstance(body, bytes) else text

    return all_buckets


def install() -> None:
    from moto.resourcegroupstaggingapi.models import ResourceGroupsTaggingAPIBackend
    from moto.s3.responses import S3Response

    gen = ResourceGroupsTaggingAPIBackend._get_resources_generator
    ResourceGroupsTaggingAPIBackend._get_resources_generator = _resources(gen)  # type: ignore[method-assign]
    S3Response.all_buckets = _all_buckets(S3Response.all_buckets)  # type: ignore[method-assign]
