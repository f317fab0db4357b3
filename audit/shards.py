"""Whether the reports given to ``agentgov merge`` are the shards of one audit.

Each report must be an audit's JSON report (a scan report has no ``audit`` block) made with the
same policy pack, policy selection and configuration; the shards (``--shard i/n``) must share
``n``, none may come twice, and the accounts of each must belong to it. A set missing shards is
merged, and the missing ones are named (exit 3).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .run import in_shard


class NotOneRun(Exception):
    """The reports cannot be merged (one line: which reports and why)."""


@dataclass
class RunShape:
    """What the reports must agree on, taken from the first, and the shards seen so far."""

    n: int | None = None
    digest: str | None = None
    policies: list[str] | None = None
    configuration: Any = None
    first: Path | None = None
    shards: dict[int, Path] = field(default_factory=dict)
    whole: list[Path] = field(default_factory=list)  # audits of every account (no --shard)

    def missing(self) -> list[str]:
        if self.n is None:
            return []
        return [f"{i}/{self.n}" for i in range(1, self.n + 1) if i not in self.shards]


_SHARD = re.compile(r"(\d+)/(\d+)")
_ACCOUNT = re.compile(r"\d{12}")


def _shards_of(path: Path, text: Any) -> list[tuple[int, int]]:
    if text is None:
        return []
    out = []
    for part in str(text).split(","):
        m = _SHARD.fullmatch(part.strip())
        if not m or not 1 <= int(m.group(1)) <= int(m.group(2)):
            raise NotOneRun(f"{path}: audit.shard {part.strip()!r} is not i/n with 1 <= i <= n")
        out.append((int(m.group(1)), int(m.group(2))))
    return out


def add_report(shape: RunShape, path: Path, report: dict[str, Any]) -> None:
    """Check ``report`` (already valid against the report schema) against the reports before it."""
    audit = report.get("audit")
    if not isinstance(audit, dict):
        raise NotOneRun(f"{path}: a scan report, not an audit's; merge joins the JSON reports of audit shards")
    digest = report["tool"]["policy_pack_digest"]
    if shape.first is None:
        shape.first, shape.digest, shape.policies = path, digest, list(report["policies"])
        shape.configuration = report.get("configuration")
    elif digest != shape.digest:
        raise NotOneRun(f"{path}: made with another policy pack than {shape.first} (policy_pack_digest differs)")
    elif sorted(report["policies"]) != sorted(shape.policies or []):
        raise NotOneRun(f"{path}: ran other policies than {shape.first} (--policy/--skip-policy differ)")
    elif report.get("configuration") != shape.configuration:
        raise NotOneRun(f"{path}: made with another configuration than {shape.first}")
    shards = _shards_of(path, audit.get("shard"))
    if not shards:
        if shape.shards or shape.whole:
            raise NotOneRun(f"{path}: an audit of every account cannot be merged with other reports")
        shape.whole.append(path)
        return
    if shape.whole:
        raise NotOneRun(f"{shape.whole[0]}: an audit of every account cannot be merged with shards")
    for i, n in shards:
        if shape.n is None:
            shape.n = n
        elif n != shape.n:
            raise NotOneRun(f"{path}: shard {i}/{n} is not one of the {shape.n} shards of {shape.first}")
        if i in shape.shards:
            raise NotOneRun(f"{path}: shard {i}/{n} is given twice (also {shape.shards[i]})")
        shape.shards[i] = path
    _check_accounts(path, report, shards)


def _check_accounts(path: Path, report: dict[str, Any], shards: list[tuple[int, int]]) -> None:
    """Every account the report speaks of belongs to one of its shards (a renamed or edited shard does not)."""
    accounts = {f.get("account") for f in report["findings"]}
    for gap in report["audit"].get("coverage_gaps") or []:
        accounts.add(gap.get("account"))
    for a in sorted(a for a in accounts if isinstance(a, str) and _ACCOUNT.fullmatch(a)):
        if not any(in_shard(a, s) for s in shards):
            named = ",".join(f"{i}/{n}" for i, n in shards)
            raise NotOneRun(f"{path}: account {a} is not in shard {named}; the report is not that shard's")
