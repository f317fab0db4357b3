"""An audit's results, spooled to disk account by account: memory stays flat as the Organization grows.

When an account is evaluated, its findings and its agent records (with their
blast radius) are written, sorted, to JSON Lines files in a directory the run
owns (``agentgov-audit-*`` under the temporary directory, deleted when the
result is closed or collected); only counters stay in memory. The reports
read the files back in account order, so they are written as streams, in the
order one sorted list of every finding would give.

``merge`` builds the same result from shard reports, so its reports (text,
SARIF, JUnit, ASFF as well as JSON) have the shards' agents and blast radius.
"""

from __future__ import annotations

import dataclasses
import heapq
import itertools
import json
import shutil
import tempfile
import threading
import weakref
from collections import Counter
from collections.abc import Iterable, Iterator
from enum import Enum
from pathlib import Path
from typing import Any

from agentgov.scanner.findings import PARSE_ERROR_ID, Finding, Severity, Status
from agentgov.scanner.model import Inventory, Location


def finding_key(f: Finding) -> tuple[str, str, str, str, str]:
    """The order of an audit's findings (by account, region, location, policy, resource)."""
    return (f.account or "", f.region or "", f.location.file, f.policy_id, f.resource_id)


def agent_key(rec: dict[str, Any]) -> tuple[str, str]:
    """The order of the agent inventory (``agent_inventory.records``)."""
    return (rec["location"], rec["id"])


def live_key(rec: dict[str, Any]) -> tuple[str, str, str, str]:
    """The order of the live resource inventory (``live_inventory.resource_records``)."""
    return (rec.get("account") or "", rec.get("region") or "", rec["kind"], rec["id"])


def _default(o: Any) -> Any:
    if isinstance(o, Enum):
        return o.value
    return str(o)  # a symbolic value in evidence (Unknown, Ref, Expr): its text, as the JSON report writes it


def finding_to_dict(f: Finding) -> dict[str, Any]:
    return dataclasses.asdict(f)


def finding_from_dict(d: dict[str, Any]) -> Finding:
    """A finding read back from a JSON report or the spool (unknown keys ignored)."""
    kw = {k: v for k, v in d.items() if k in _FIELDS}
    kw["location"] = Location(**kw["location"])
    kw["severity"] = Severity(kw["severity"])
    kw["status"] = Status(kw["status"])
    return Finding(**kw)


_FIELDS = {f.name for f in dataclasses.fields(Finding)}


class Spool:
    """Sorted chunks of JSON lines per stream ("findings", "agents") and bucket (the account), in a directory of its own."""

    def __init__(self) -> None:
        self.dir = Path(tempfile.mkdtemp(prefix="agentgov-audit-"))
        self._cleanup = weakref.finalize(self, shutil.rmtree, str(self.dir), True)
        self._chunks: dict[str, dict[str, list[Path]]] = {}
        self._lock = threading.Lock()
        self._n = itertools.count()

    def write(self, stream: str, bucket: str, rows: Iterable[str]) -> None:
        """One chunk: ``rows`` (JSON texts, already in order) of ``bucket``."""
        path = self.dir / f"{stream}-{next(self._n):07d}.jsonl"
        with path.open("w", encoding="utf-8") as fh:
            for row in rows:
                fh.write(row)
                fh.write("\n")
        with self._lock:
            self._chunks.setdefault(stream, {}).setdefault(bucket, []).append(path)

    def buckets(self, stream: str, key: Any) -> Iterator[Iterator[Any]]:
        """Each bucket in order, as its rows (parsed) merged in ``key`` order."""
        chunks = self._chunks.get(stream, {})
        for bucket in sorted(chunks):
            paths = chunks[bucket]
            if len(paths) == 1:
                yield _rows(paths[0])
            else:
                yield heapq.merge(*(_rows(p) for p in paths), key=key)

    def close(self) -> None:
        self._cleanup()


def _rows(path: Path) -> Iterator[Any]:
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            yield json.loads(line)


class AuditResult:
    """What every report renders of an audit (the interface of ``engine.ScanResult``), its findings on disk.

    ``findings`` reads them all back as a list (for tests and callers that
    want one); the reports use ``iter_findings()`` / ``finding_groups()``.
    """

    waivers = None
    baseline = None
    configuration = None
    stopped: str | None = None  # why the audit stopped before every account was complete (they are coverage gaps)

    def __init__(self, policies: list[Any], pack_digest: str, keep_inventory: bool = False):
        self.policies = policies
        self.pack_digest = pack_digest
        self.seconds = 0.0
        self.stats: dict[str, int] = {s.value: 0 for s in Status}
        self.audit: dict[str, Any] = {}
        self.spool = Spool()
        self._kinds: Counter[str] = Counter()
        self._policy_counts: Counter[str] = Counter()
        self._fail_severity: dict[str, dict[str, int]] = {}  # bucket -> severity -> FAIL count (first-seen order)
        self._lock = threading.Lock()
        #: the whole estate, kept only when asked (tests look at the records); memory then grows with the estate
        self.inventory: Inventory | None = Inventory() if keep_inventory else None
        #: (account, region) -> kinds collected whole there (small: accounts x regions); live resources are spooled
        self._live_collected: dict[tuple[str, str | None], set[str]] = {}
        self.has_live = False

    # ------------------------------------------------------------ writing

    def add(
        self,
        findings: list[Finding],
        agents: list[dict[str, Any]],
        kinds: Counter[str] | dict[str, int],
        inventory: Inventory | None = None,
    ) -> None:
        """One account's results (any order): spooled, sorted; counted."""
        by_bucket: dict[str, list[Finding]] = {}
        for f in findings:
            by_bucket.setdefault(f.account or "", []).append(f)
        sev: dict[str, dict[str, int]] = {}
        for bucket, fs in by_bucket.items():
            fs.sort(key=finding_key)
            self.spool.write(
                "findings", bucket, (json.dumps(finding_to_dict(f), default=_default, ensure_ascii=False) for f in fs)
            )
            for f in fs:
                if f.status == Status.FAIL:
                    counts = sev.setdefault(bucket, {})
                    counts[f.severity.value] = counts.get(f.severity.value, 0) + 1
        self._spool_records("agents", agents, agent_key)
        with self._lock:
            for f in findings:
                self.stats[f.status.value] += 1
                self._policy_counts[f.policy_id] += 1
            for bucket, counts in sev.items():
                mine = self._fail_severity.setdefault(bucket, {})
                for k, v in counts.items():
                    mine[k] = mine.get(k, 0) + v
            self._kinds.update(kinds)
            if self.inventory is not None and inventory is not None:
                self.inventory.merge(inventory)

    def add_live(self, resources: list[dict[str, Any]], collected: Iterable[dict[str, Any]]) -> None:
        """One account's (or one shard's) live resource inventory, for the report's ``live_inventory`` (``agentgov drift``)."""
        self._spool_records("live", resources, live_key)
        with self._lock:
            self.has_live = True
            for c in collected:
                self._live_collected.setdefault((c["account"], c.get("region")), set()).update(c.get("kinds") or [])

    def _spool_records(self, stream: str, records: Iterable[dict[str, Any]], key: Any) -> None:
        """JSON records (agents, live resources) to ``stream``, one sorted chunk per account."""
        by_account: dict[str, list[dict[str, Any]]] = {}
        for rec in records:
            by_account.setdefault(rec.get("account") or "", []).append(rec)
        for bucket, recs in by_account.items():
            recs.sort(key=key)
            self.spool.write(stream, bucket, (json.dumps(r, default=_default, ensure_ascii=False) for r in recs))

    def close(self) -> None:
        """Delete the spooled findings (also done when the result is garbage-collected)."""
        self.spool.close()

    def __enter__(self) -> AuditResult:
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    # ------------------------------------------------------------ reading (what the reports call)

    def finding_groups(self) -> Iterator[Iterator[Finding]]:
        """The findings, account by account, each account's in order."""
        for rows in self.spool.buckets("findings", key=_row_key):
            yield (finding_from_dict(d) for d in rows)

    def iter_findings(self) -> Iterator[Finding]:
        for group in self.finding_groups():
            yield from group

    @property
    def findings(self) -> list[Finding]:
        return list(self.iter_findings())

    def agent_records(self) -> Iterator[dict[str, Any]]:
        for rows in self.spool.buckets("agents", key=agent_key):
            yield from rows

    def live_records(self) -> Iterator[dict[str, Any]]:
        """The live resources, account by account (a resource two shards both gave is written once)."""
        for rows in self.spool.buckets("live", key=live_key):
            last = None
            for row in rows:
                k = live_key(row)
                if k != last:
                    yield row
                last = k

    def live_collected(self) -> list[dict[str, Any]]:
        """Per account and region (None: global), the kinds collected whole."""
        return [
            {"account": a, "region": r, "kinds": sorted(k)}
            for (a, r), k in sorted(self._live_collected.items(), key=lambda x: (x[0][0] or "", x[0][1] or ""))
        ]

    def live_inventory(self) -> dict[str, Any] | None:
        """The report's ``live_inventory`` section (``agentgov drift`` matches IaC to it). The live resources are read
        back from the spool; a result with an audit block but no spooled resources gives them from its inventory."""
        if self.has_live:
            return {"resources": self.live_records(), "collected": self.live_collected()}
        if not self.audit or self.inventory is None:
            return None
        from .live_inventory import collected_records, resource_records

        gaps = list(self.audit.get("coverage_gaps") or [])
        return {"resources": resource_records(self.inventory), "collected": collected_records(self.inventory, gaps)}

    def resource_kinds(self) -> dict[str, int]:
        return dict(self._kinds)

    def resource_count(self) -> int:
        return sum(self._kinds.values())

    files_scanned = 0
    files_skipped = 0

    def failures_by_severity(self) -> dict[str, int]:
        out: dict[str, int] = {}
        for bucket in sorted(self._fail_severity):
            for k, v in self._fail_severity[bucket].items():
                out[k] = out.get(k, 0) + v
        return out

    def has_coverage_findings(self) -> bool:
        return self._policy_counts.get(PARSE_ERROR_ID, 0) > 0

    def has_agents(self) -> bool:
        return any(True for _ in self.agent_records())


def _row_key(d: dict[str, Any]) -> tuple[str, str, str, str, str]:
    return (d.get("account") or "", d.get("region") or "", d["location"]["file"], d["policy_id"], d["resource_id"])
