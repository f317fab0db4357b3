"""S3 buckets: versioning, Object Lock, public access block, encryption, tags.

Listed once per account (``ListBuckets`` is global); each bucket's details
are read in the bucket's own region and its record carries that region. A
configuration the bucket does not have (no Object Lock, no public access
block, no tags) is absent, not unknown; a denied read is unknown.
"""

from __future__ import annotations

from typing import Any

from agentgov.audit.collectors.answers import ask
from agentgov.audit.collectors.base import Call, Context, live, tag_dict
from agentgov.scanner.model import Unknown
from agentgov.scanner.normalize import retention_days

AREA = "s3"
SCOPE = "global"
SERVICE = "s3"

CALLS = (
    Call(SERVICE, "ListBuckets", "s3:ListAllMyBuckets"),
    Call(SERVICE, "GetBucketLocation", "s3:GetBucketLocation"),
    Call(SERVICE, "GetBucketVersioning", "s3:GetBucketVersioning"),
    Call(SERVICE, "GetObjectLockConfiguration", "s3:GetBucketObjectLockConfiguration"),
    Call(SERVICE, "GetPublicAccessBlock", "s3:GetBucketPublicAccessBlock"),
    Call(SERVICE, "GetBucketEncryption", "s3:GetEncryptionConfiguration"),
    Call(SERVICE, "GetBucketTagging", "s3:GetBucketTagging"),
)


def _or_unknown(answer: Any, key: str) -> Any:
    if isinstance(answer, Unknown):
        return answer
    return live(answer.get(key)) if answer else None


#: GetBucketLocation's LocationConstraint -> the region: null (or empty) is us-east-1, the legacy EU is eu-west-1
_LEGACY_LOCATIONS = {None: "us-east-1", "": "us-east-1", "EU": "eu-west-1"}


def _region(ctx: Context, bucket: dict[str, Any]) -> str | None:
    """The bucket's region: ListBuckets' BucketRegion (AWS sends it only to a request with a BucketRegion or
    Prefix parameter), else GetBucketLocation's answer; None when that is denied (the details are then read
    from the default region, and answer there or fail naming the call)."""
    if bucket.get("BucketRegion"):
        return str(bucket["BucketRegion"])
    loc = ctx.detail(SERVICE, "GetBucketLocation", Bucket=bucket["Name"])
    if isinstance(loc, Unknown) or loc is None:
        return None
    constraint = loc.get("LocationConstraint")
    return _LEGACY_LOCATIONS.get(constraint, constraint)


def collect(ctx: Context) -> None:
    for b in ctx.items(SERVICE, "ListBuckets", "Buckets"):
        with ctx.reading(SERVICE, "ListBuckets", b):
            name = b["Name"]
            arn = f"arn:{ctx.partition}:s3:::{name}"
            region = _region(ctx, b)
            props: dict[str, Any] = {"bucket_name": name}
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
            tags = ctx.detail(SERVICE, "GetBucketTagging", Bucket=name, region=region, absent=frozenset({"NoSuchTagSet"}))
            tags = tags if isinstance(tags, Unknown) else tag_dict((tags or {}).get("TagSet") or [])
            ctx.add("bucket", "AWS::S3::Bucket", arn, props, tags=tags, name=name, region=region)


def _setting(ctx: Context, operation: str, bucket: str, region: str | None, not_set: str) -> Any:
    """One bucket setting read in the bucket's region: None when S3 answers ``not_set`` (the setting does not exist)."""
    return ctx.detail(SERVICE, operation, Bucket=bucket, region=region, absent=frozenset({not_set}))
