"""S3 buckets: versioning, Object Lock, public access block, encryption, tags.

Listed once per account (``ListBuckets`` is global, asked with ``MaxBuckets``: S3 answers each bucket's
``BucketRegion`` to a request that expresses pagination); each bucket's details are read in the bucket's
own region and its record carries that region; its tags come from that region's ``GetResources``
(``tagging``), else from ``GetBucketTagging``. A
bucket no agentic resource reaches (``reach``) is recorded from the list, its details unknown. A
configuration the bucket does not have (no Object Lock, no public access
block, no tags) is absent, not unknown; a denied read is unknown.
"""

from __future__ import annotations

from typing import Any

from agentgov.audit.collectors.answers import ask
from agentgov.audit.collectors.base import Call, Context, live, tag_dict
from agentgov.audit.collectors.reach import unread
from agentgov.audit.collectors.tagging import GET_RESOURCES, tags_of
from agentgov.scanner.model import Unknown
from agentgov.scanner.normalize import retention_days

AREA = "s3"
SCOPE = "global"
SERVICE = "s3"
#: runs after the account's other collectors: details only of the buckets they reach (``reach``)
REACHED = True

CALLS = (
    Call(SERVICE, "ListBuckets", "s3:ListAllMyBuckets"),
    Call(SERVICE, "GetBucketLocation", "s3:GetBucketLocation"),
    Call(SERVICE, "GetBucketVersioning", "s3:GetBucketVersioning"),
    Call(SERVICE, "GetObjectLockConfiguration", "s3:GetBucketObjectLockConfiguration"),
    Call(SERVICE, "GetPublicAccessBlock", "s3:GetBucketPublicAccessBlock"),
    Call(SERVICE, "GetBucketEncryption", "s3:GetEncryptionConfiguration"),
    Call(SERVICE, "GetBucketTagging", "s3:GetBucketTagging"),
    GET_RESOURCES,
)
#: ListBuckets' page (MaxBuckets' maximum): one call answers up to 10,000 buckets with their regions
_MAX_BUCKETS = 10000


def _or_unknown(answer: Any, key: str) -> Any:
    if isinstance(answer, Unknown):
        return answer
    return live(answer.get(key)) if answer else None


#: GetBucketLocation's LocationConstraint -> the region: null (or empty) is us-east-1, the legacy EU is eu-west-1
_LEGACY_LOCATIONS = {None: "us-east-1", "": "us-east-1", "EU": "eu-west-1"}


def _region(ctx: Context, bucket: dict[str, Any]) -> str | None:
    """The bucket's region: ListBuckets' BucketRegion (AWS sends it only to a request with a parameter: here
    MaxBuckets), else GetBucketLocation's answer; None when that is denied (the details are then read
    from the default region, and answer there or fail naming the call)."""
    if bucket.get("BucketRegion"):
        return str(bucket["BucketRegion"])
    loc = ctx.detail(SERVICE, "GetBucketLocation", Bucket=bucket["Name"])
    if isinstance(loc, Unknown) or loc is None:
        return None
    constraint = loc.get("LocationConstraint")
    return _LEGACY_LOCATIONS.get(constraint, constraint)


def collect(ctx: Context) -> None:
    for b in ctx.items(SERVICE, "ListBuckets", "Buckets", PaginationConfig={"PageSize": ctx.page_size or _MAX_BUCKETS}):
        with ctx.reading(SERVICE, "ListBuckets", b):
            _bucket(ctx, b)


def _bucket(ctx: Context, b: dict[str, Any]) -> None:
    name = b["Name"]
    arn = f"arn:{ctx.partition}:s3:::{name}"
    region = _region(ctx, b)
    tags: Any = tags_of(ctx, arn, region) if region else None
    if tags is None:  # (the Tagging API did not answer for the bucket's region)
        got = ctx.detail(SERVICE, "GetBucketTagging", Bucket=name, region=region, absent=frozenset({"NoSuchTagSet"}))
        tags = got if isinstance(got, Unknown) else tag_dict((got or {}).get("TagSet") or [])
    props: dict[str, Any] = {"bucket_name": name}
    if ctx.reach is not None and not ctx.reach.reaches(name, arn, tags=tags):  # no agentic resource uses it: listed only
        props.update({k: unread() for k in _DETAILS})
    else:
        _details(ctx, name, region, props)
    ctx.add("bucket", "AWS::S3::Bucket", arn, props, tags=tags, name=name, region=region)


#: the properties the detail reads give
_DETAILS = (
    "versioning_configuration",
    "object_lock_configuration",
    "object_lock_enabled",
    "public_access_block_configuration",
    "bucket_encryption",
)


def _details(ctx: Context, name: str, region: str | None, props: dict[str, Any]) -> None:
    versioning = ask(ctx, SERVICE, "GetBucketVersioning", Bucket=name, region=region)
    props["versioning_configuration"] = (
        versioning
        if isinstance(versioning, Unknown)
        else {"status": versioning.get("Status"), "mfa_delete": versioning.get("MFADelete")}
    )
    lock = _setting(ctx, "GetObjectLockConfiguration", name, region, "ObjectLockConfigurationNotFoundError")
    props["object_lock_configuration"] = _or_unknown(lock, "ObjectLockConfiguration")
    retention_days(props)  # Days or Years -> default_retention.retention_days, as for IaC
    props["object_lock_enabled"] = (
        lock
        if isinstance(lock, Unknown)
        else bool(lock and (lock.get("ObjectLockConfiguration") or {}).get("ObjectLockEnabled") == "Enabled")
    )
    pab = _setting(ctx, "GetPublicAccessBlock", name, region, "NoSuchPublicAccessBlockConfiguration")
    props["public_access_block_configuration"] = _or_unknown(pab, "PublicAccessBlockConfiguration")
    enc = _setting(ctx, "GetBucketEncryption", name, region, "ServerSideEncryptionConfigurationNotFoundError")
    props["bucket_encryption"] = _or_unknown(enc, "ServerSideEncryptionConfiguration")


def _setting(ctx: Context, operation: str, bucket: str, region: str | None, not_set: str) -> Any:
    """One bucket setting read in the bucket's region: None when S3 answers ``not_set`` (the setting does not exist)."""
    return ctx.detail(SERVICE, operation, Bucket=bucket, region=region, absent=frozenset({not_set}))
