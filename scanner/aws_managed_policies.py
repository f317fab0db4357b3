"""The documents of AWS managed policies (``arn:aws:iam::aws:policy/...``), read from a data file.

``data/aws_managed_policies.json.gz`` holds every AWS managed policy's default
version, keyed by its path and name as the ARN writes it
(``service-role/AmazonBedrockAgentCoreMemoryBedrockModelInferenceExecutionRolePolicy``,
``AmazonBedrockFullAccess``). Its header says where the documents come from
(``source``), how new the newest of them is (``source_date``), when the file was
made (``generated``) and how many policies it holds (``count``).

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
import json
import sys
from functools import lru_cache
from pathlib import Path
from typing import Any

DATA_FILE = Path(__file__).resolve().parent / "data" / "aws_managed_policies.json.gz"
FORMAT = 1
#: a copy older than this (by the date of its newest document) is stale
MAX_AGE_MONTHS = 12
#: AWS publishes about 1,500 managed policies and adds more each month; fewer means a broken copy
MIN_COUNT = 1400


@lru_cache(maxsize=1)
def _load() -> dict[str, Any]:
    try:
        with gzip.open(DATA_FILE, "rt", encoding="utf-8") as fh:
            data = json.load(fh)
    except (OSError, ValueError):
        return {"format": FORMAT, "source": "unavailable", "source_date": None, "count": 0, "policies": {}}
    return data if isinstance(data, dict) and isinstance(data.get("policies"), dict) else {"policies": {}}


def header() -> dict[str, Any]:
    """The data file's header (everything but the documents)."""
    return {k: v for k, v in _load().items() if k != "policies"}


def data_version() -> str:
    """How evidence names the copy: ``"<source>, documents up to <source_date>"``."""
    h = header()
    return f"{h.get('source', 'unavailable')}, documents up to {h.get('source_date') or 'unknown'}"


def document(name: str) -> dict[str, Any] | None:
    """The document of the AWS managed policy ``path/Name`` (as ``aws_managed_name`` returns it), or None."""
    policies = _load()["policies"]
    doc = policies.get(name)
    if doc is None and "/" not in name:
        # an ARN without its path (arn:aws:iam::aws:policy/AWSLambdaBasicExecutionRole is service-role/...)
        # is refused by IAM; a unique bare name still tells which policy was meant
        matches = [k for k in policies if k.rsplit("/", 1)[-1] == name]
        doc = policies[matches[0]] if len(matches) == 1 else None
    return doc


def names() -> list[str]:
    return sorted(_load()["policies"])


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
        "format": 1,
        "source": f"moto {moto.__version__} moto/iam/aws_managed_policies.py",
        "source_date": newest[:10],
        "generated": dt.date.today().isoformat(),
        "count": len(policies),
        "policies": policies,
    }


def refresh() -> int:
    """Write the data file from moto's copy: keys sorted, no time in the gzip header (a diff shows what AWS changed)."""
    data = build()
    text = json.dumps(data, sort_keys=True, separators=(",", ":")).encode()
    DATA_FILE.parent.mkdir(parents=True, exist_ok=True)
    tmp = DATA_FILE.with_suffix(".tmp")
    with open(tmp, "wb") as fh, gzip.GzipFile(fileobj=fh, mode="wb", compresslevel=9, mtime=0) as gz:
        gz.write(text)
    tmp.replace(DATA_FILE)
    print(f"{DATA_FILE}: {data['count']} policies from {data['source']}, documents up to {data['source_date']}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    if sys.argv[1:] != ["--refresh"]:
        print("usage: python -m agentgov.scanner.aws_managed_policies --refresh", file=sys.stderr)
        raise SystemExit(2)
    raise SystemExit(refresh())
