"""Archive bundles in S3 under Object Lock (COMPLIANCE), and fetch them back for verification.

``publish`` refuses a bucket without Object Lock, or whose default retention
is not COMPLIANCE or is shorter than the configured days; uploads every file
of the bundle with ``ObjectLockMode=COMPLIANCE`` and an explicit
``ObjectLockRetainUntilDate``; never overwrites (an existing key is an
error); and writes ``receipt.json`` with each object's version id and the
retention it set. Nothing here takes S3's word for granted where moto and S3
differ: what was set is recorded in the receipt, and what can be read back
(``HeadObject``'s lock fields) is checked.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from agentgov.scanner.safe_write import write_text

from .bundle import MANIFEST, RECEIPT

PREFIX_FORMAT = "{sequence:06d}-{digest}"


class ArchiveError(Exception):
    """The bundle cannot be archived or fetched; the message names the bucket or key and the reason."""


def _client(client: Any) -> Any:
    if client is not None:
        return client
    import boto3

    return boto3.client("s3")


def check_bucket(s3: Any, bucket: str, min_days: int) -> dict[str, Any]:
    from botocore.exceptions import ClientError

    try:
        cfg = s3.get_object_lock_configuration(Bucket=bucket)["ObjectLockConfiguration"]
    except ClientError as exc:
        code = exc.response.get("Error", {}).get("Code", "")
        if code in ("ObjectLockConfigurationNotFoundError", "InvalidRequest"):
            raise ArchiveError(
                f"s3://{bucket}: Object Lock is not enabled on the bucket; refusing to archive evidence there"
            ) from None
        raise ArchiveError(f"s3://{bucket}: cannot read the Object Lock configuration: {code or exc}") from None
    if cfg.get("ObjectLockEnabled") != "Enabled":
        raise ArchiveError(f"s3://{bucket}: Object Lock is not enabled on the bucket")
    rule = (cfg.get("Rule") or {}).get("DefaultRetention") or {}
    days = rule.get("Days") or (rule.get("Years") or 0) * 365
    if rule.get("Mode") != "COMPLIANCE":
        raise ArchiveError(f"s3://{bucket}: default retention mode is {rule.get('Mode') or 'not set'}, not COMPLIANCE")
    if days < min_days:
        raise ArchiveError(f"s3://{bucket}: default retention is {days} days, shorter than the required {min_days}")
    return {"mode": rule.get("Mode"), "days": days}


@dataclass
class Receipt:
    bucket: str
    prefix: str
    objects: list[dict[str, Any]]
    retain_until: str
    bucket_default: dict[str, Any]

    def to_json(self) -> str:
        return json.dumps(self.__dict__, indent=2) + "\n"


def publish(bundle: Path, bucket: str, prefix: str = "", retention_days: int = 365, client: Any = None,
            now: dt.datetime | None = None) -> Receipt:  # fmt: skip
    s3 = _client(client)
    default = check_bucket(s3, bucket, retention_days)
    manifest = json.loads((bundle / MANIFEST).read_text(encoding="utf-8"))
    from .bundle import manifest_hash

    digest = manifest_hash(bundle).split(":", 1)[1][:16]
    key_prefix = "/".join(
        p for p in (prefix.strip("/"), PREFIX_FORMAT.format(sequence=manifest.get("sequence", 0), digest=digest)) if p
    )
    now = now or dt.datetime.now(dt.UTC)
    until = (now + dt.timedelta(days=retention_days)).replace(microsecond=0)
    names = sorted(p.name for p in bundle.iterdir() if p.is_file() and p.name != RECEIPT)
    from botocore.exceptions import ClientError

    for name in names:  # never overwrite: refuse before writing anything
        try:
            s3.head_object(Bucket=bucket, Key=f"{key_prefix}/{name}")
        except ClientError as exc:
            if exc.response.get("Error", {}).get("Code") in ("404", "NoSuchKey", "NotFound"):
                continue
            raise ArchiveError(f"s3://{bucket}/{key_prefix}/{name}: {exc}") from None
        raise ArchiveError(f"s3://{bucket}/{key_prefix}/{name} already exists; evidence is never overwritten")
    objects = []
    for name in names:
        key = f"{key_prefix}/{name}"
        resp = s3.put_object(
            Bucket=bucket,
            Key=key,
            Body=(bundle / name).read_bytes(),
            ObjectLockMode="COMPLIANCE",
            ObjectLockRetainUntilDate=until,
        )
        head = s3.head_object(Bucket=bucket, Key=key)
        got_mode = head.get("ObjectLockMode")
        if got_mode not in (None, "COMPLIANCE"):
            raise ArchiveError(f"s3://{bucket}/{key}: stored with lock mode {got_mode}, not COMPLIANCE")
        objects.append(
            {
                "key": key,
                "version_id": resp.get("VersionId"),
                "lock_mode_set": "COMPLIANCE",
                "retain_until_set": until.isoformat(),
                "lock_mode_read_back": got_mode,
                "retain_until_read_back": str(head.get("ObjectLockRetainUntilDate") or ""),
            }  # fmt: skip
        )
    receipt = Receipt(bucket, key_prefix, objects, until.isoformat(), default)
    write_text(bundle / RECEIPT, receipt.to_json())
    return receipt


def fetch(url: str, client: Any = None) -> tuple[Path, list[Path], list[str]]:
    """Download every bundle under ``s3://bucket/prefix`` into a temporary directory: (root, bundle dirs, problems).

    Object versions are read, not the current listing: a delete marker over an evidence object (which
    ``s3:DeleteObject`` alone can place, whatever the retention) hides a bundle from a plain listing,
    so it is a problem, and the hidden version is verified all the same. An object with more than one
    version was written over (evidence never is): a problem, and the first version is the one verified.
    The caller removes ``root``.
    """
    if not url.startswith("s3://"):
        raise ArchiveError(f"{url}: not an s3:// URL")
    bucket, _, prefix = url[5:].partition("/")
    s3 = _client(client)
    root = Path(tempfile.mkdtemp(prefix="agentgov-verify-"))
    try:
        dirs, problems = _download(s3, bucket, prefix, root)
    except BaseException:
        shutil.rmtree(root, ignore_errors=True)
        raise
    return root, dirs, problems


def _download(s3: Any, bucket: str, prefix: str, root: Path) -> tuple[list[Path], list[str]]:
    versions: dict[str, list[dict[str, Any]]] = {}
    markers: dict[str, list[dict[str, Any]]] = {}
    for page in s3.get_paginator("list_object_versions").paginate(Bucket=bucket, Prefix=prefix):
        for v in page.get("Versions", []):
            versions.setdefault(v["Key"], []).append(v)
        for m in page.get("DeleteMarkers", []):
            markers.setdefault(m["Key"], []).append(m)
    if not versions and not markers:
        raise ArchiveError(f"s3://{bucket}/{prefix}: no objects")
    problems: list[str] = []
    dirs: set[Path] = set()
    for key in sorted(set(versions) | set(markers)):
        where = f"s3://{bucket}/{key}"
        for m in markers.get(key, []):
            problems.append(
                f"{where}: hidden by a delete marker (version {m.get('VersionId')}, {m.get('LastModified')}):"
                " evidence was deleted after it was published"
            )
        found = versions.get(key, [])  # as listed: the newest version first
        if not found:
            continue
        if len(found) > 1:
            problems.append(f"{where}: {len(found)} versions: evidence is never overwritten; the first one is verified")
        rel = key[len(prefix) :].lstrip("/")
        if not rel or ".." in rel.split("/"):
            continue
        dest = root / rel
        dest.parent.mkdir(parents=True, exist_ok=True)
        first = found[-1]
        kwargs = {"VersionId": first["VersionId"]} if first.get("VersionId") not in (None, "null") else {}
        dest.write_bytes(s3.get_object(Bucket=bucket, Key=key, **kwargs)["Body"].read())
        if dest.name == MANIFEST:
            dirs.add(dest.parent)
    return sorted(dirs), problems
