"""Regenerate scanner/data/aws_managed_policies.json.gz from moto's copy of the AWS managed policies.

    pip install -U 'moto>=5.2'          # moto's maintainers refresh the documents from AWS
    python tools/refresh_aws_managed_policies.py
    pytest -p no:randomly tests/test_aws_managed_policies.py tests/test_policy_fixtures.py

The file keeps each policy's default-version document under its ARN path and name, and a header:
``source`` (moto's version and module), ``source_date`` (the newest UpdateDate among the documents),
``generated`` (today) and ``count``. Keys are sorted and the gzip header carries no time, so two
refreshes from one moto copy differ only in ``generated``.
"""

from __future__ import annotations

import datetime as dt
import gzip
import json
import sys
from pathlib import Path

OUT = Path(__file__).resolve().parents[1] / "scanner" / "data" / "aws_managed_policies.json.gz"


def build() -> dict:
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


def main() -> int:
    data = build()
    text = json.dumps(data, sort_keys=True, separators=(",", ":")).encode()
    OUT.parent.mkdir(parents=True, exist_ok=True)
    tmp = OUT.with_suffix(".tmp")
    with open(tmp, "wb") as fh, gzip.GzipFile(fileobj=fh, mode="wb", compresslevel=9, mtime=0) as gz:
        gz.write(text)
    tmp.replace(OUT)
    print(f"{OUT}: {data['count']} policies from {data['source']}, documents up to {data['source_date']}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
