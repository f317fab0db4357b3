"""The documents of AWS managed policies (``arn:aws:iam::aws:policy/...``), read from a data file.

``data/aws_managed_policies.json.gz`` holds every AWS managed policy's default
version, keyed by its path and name as the ARN writes it
(``service-role/AmazonBedrockAgentCoreMemoryBedrockModelInferenceExecutionRolePolicy``,
``AmazonBedrockFullAccess``). Its first line is a JSON header saying where the
documents come from (``source``), how new the newest of them is
(``source_date``), when the file was made (``generated``) and how many policies
it holds (``count``); then one line per policy, sorted: its key, a tab, its
document as compact JSON (JSON text holds no raw tab or line break, so a line is
found by its key without parsing the others: a scan that needs three documents
parses three, not 1,500, which took a quarter of a small template's start-up).

The file is generated from the copy moto's maintainers refresh from AWS
(``moto/iam/aws_managed_policies.py``) by ``python -m agentgov.scanner.aws_managed_policies --refresh`` (a maintainer's
command: it needs moto, from the test extras);
tests/test_aws_managed_policies.py fails when the copy is older than
``MAX_AGE_MONTHS`` by its ``source_date`` or holds fewer than ``MIN_COUNT`` policies.
The scan reads the file once, lazily, and never imports moto.
"""

from __future__ import annotations

import datetime as dt
import gzip
import hashlib
import io
import json
import os
import sys
import zlib
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

DATA_FILE = Path(__file__).resolve().parent / "data" / "aws_managed_policies.json.gz"
#: 2: a header line, then one line per policy (1 was one JSON object, parsed whole on every scan)
FORMAT = 2
#: a copy older than this (by the date of its newest document) is stale
MAX_AGE_MONTHS = 12
#: AWS publishes about 1,500 managed policies and adds more each month; fewer means a broken copy
MIN_COUNT = 1400


@lru_cache(maxsize=1)
def _load() -> tuple[dict[str, Any], Any]:
    """(the header, the data file's text): bytes, or a read-only memory map of the cached copy (a lookup reads the
    pages it searches, not the whole 2.8 MB: a quarter of the lookup's time was reading and splitting it). Every
    line but the first is a policy, found as ``\n<key>\t``."""
    try:
        text = _decompressed()
        end = text.find(b"\n")
        head = json.loads(text[: end if end >= 0 else len(text)])
    except (OSError, ValueError, EOFError, zlib.error):
        return {"format": FORMAT, "source": "unavailable", "source_date": None, "count": 0}, b""
    return (head if isinstance(head, dict) else {}), text


def _decompressed() -> Any:
    """The data file, decompressed: from the cache directory of the policy pack when an earlier run left it there
    (decompressing takes 7 ms of a small template's start-up), else decompressed now and left there for the next run
    (under a name holding the SHA-256 of the compressed file: a new copy gets a new name; a cached copy whose size is
    not the one the gzip trailer gives is not used)."""
    from agentgov.policies.registry import cache_dir

    packed = DATA_FILE.read_bytes()
    cached = cache_dir() / f"aws-managed-policies-{hashlib.sha256(packed).hexdigest()[:32]}.txt"
    try:
        with open(cached, "rb") as fh:
            size = os.fstat(fh.fileno()).st_size
            if size and size == int.from_bytes(packed[-4:], "little"):  # gzip's trailer: the size (mod 2**32)
                import mmap

                return mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ)
    except (OSError, ValueError):
        pass
    text = gzip.decompress(packed)
    try:
        cached.parent.mkdir(parents=True, exist_ok=True)
        tmp = cached.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_bytes(text)
        os.replace(tmp, cached)
    except OSError:
        pass  # a read-only home is fine: decompress every time
    return text


def header() -> dict[str, Any]:
    """The data file's header (everything but the documents)."""
    return dict(_load()[0])


def data_version() -> str:
    """How evidence names the copy: ``"<source>, documents up to <source_date>"``."""
    h = header()
    return f"{h.get('source', 'unavailable')}, documents up to {h.get('source_date') or 'unknown'}"


@cache
def document(name: str) -> dict[str, Any] | None:
    """The document of the AWS managed policy ``path/Name`` (as ``aws_managed_name`` returns it), or None."""
    body = _load()[1]
    key = name.encode("utf-8", "replace")
    at = body.find(b"\n" + key + b"\t") if key and b"\t" not in key and b"\n" not in key else -1
    if at < 0 and "/" not in name:
        # an ARN without its path (arn:aws:iam::aws:policy/AWSLambdaBasicExecutionRole is service-role/...)
        # is refused by IAM; a unique bare name still tells which policy was meant
        matches = [k for k in names() if k.rsplit("/", 1)[-1] == name]
        return document(matches[0]) if len(matches) == 1 else None
    if at < 0:
        return None
    start = at + len(key) + 2
    end = body.find(b"\n", start)
    doc = json.loads(body[start : end if end >= 0 else len(body)])
    return doc if isinstance(doc, dict) else None


@lru_cache(maxsize=1)
def _names() -> tuple[str, ...]:
    lines = bytes(_load()[1][:]).splitlines()[1:]  # the first line is the header
    return tuple(sorted(line.partition(b"\t")[0].decode() for line in lines if line))


def names() -> list[str]:
    return list(_names())


def problems(head: dict[str, Any], today: str) -> list[str]:
    """Why the copy described by ``head`` should be refreshed (stale, shrunken, unreadable); ``today``: YYYY-MM-DD."""
    out: list[str] = []
    count = head.get("count")
    if not isinstance(count, int) or count < MIN_COUNT:
        out.append(f"{count} AWS managed policies, fewer than {MIN_COUNT}: the copy is shrunken or broken")
    date = head.get("source_date")
    if not isinstance(date, str) or len(date) < 7 or not date[:4].isdigit() or not date[5:7].isdigit():
        out.append(f"source_date {date!r} is not a date")
    else:
        months = (int(today[:4]) - int(date[:4])) * 12 + int(today[5:7]) - int(date[5:7])
        if months > MAX_AGE_MONTHS:
            out.append(f"documents up to {date}, {months} months before {today} (more than {MAX_AGE_MONTHS}): stale")
    if head.get("format") != FORMAT:
        out.append(f"format {head.get('format')!r}, this agentgov reads format {FORMAT}")
    return out


# ------------------------------------------------------------ refresh (maintainers; needs moto)


def build() -> dict[str, Any]:
    """The data file's content from the installed moto's copy (imported here only, never by a scan)."""
    import moto
    from moto.iam.aws_managed_policies import aws_managed_policies_data

    raw = json.loads(aws_managed_policies_data)
    policies = {}
    newest = ""
    for name, entry in raw.items():
        path = (entry.get("Path") or "/").strip("/")
        policies[f"{path}/{name}" if path else name] = entry["Document"]
        newest = max(newest, entry.get("UpdateDate") or entry.get("CreateDate") or "")
    return {
        "format": FORMAT,
        "source": f"moto {moto.__version__} moto/iam/aws_managed_policies.py",
        "source_date": newest[:10],
        "generated": dt.date.today().isoformat(),
        "count": len(policies),
        "policies": policies,
    }


def encode(data: dict[str, Any]) -> bytes:
    """The data file's bytes: the header line, then ``key<TAB>document`` lines sorted by key; no time in the gzip
    header (a diff of the decompressed text shows what AWS changed)."""
    policies = data["policies"]
    head = {k: v for k, v in data.items() if k != "policies"}
    lines = [json.dumps(head, sort_keys=True, separators=(",", ":"))]
    lines += [f"{key}\t{json.dumps(policies[key], sort_keys=True, separators=(',', ':'))}" for key in sorted(policies)]
    buf = io.BytesIO()
    with gzip.GzipFile(fileobj=buf, mode="wb", compresslevel=9, mtime=0) as gz:
        gz.write(("\n".join(lines) + "\n").encode())
    return buf.getvalue()


def refresh() -> int:
    """Write the data file from moto's copy."""
    data = build()
    DATA_FILE.parent.mkdir(parents=True, exist_ok=True)
    tmp = DATA_FILE.with_suffix(".tmp")
    tmp.write_bytes(encode(data))
    tmp.replace(DATA_FILE)
    print(f"{DATA_FILE}: {data['count']} policies from {data['source']}, documents up to {data['source_date']}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    if sys.argv[1:] != ["--refresh"]:
        print("usage: python -m agentgov.scanner.aws_managed_policies --refresh", file=sys.stderr)
        raise SystemExit(2)
    raise SystemExit(refresh())
