"""Where a region's resolving reads are needed: what the account's agentic resources name, region by region.

A real account has many enabled regions and agentic resources in few of them. Some region-level reads serve only
to resolve what those resources name: the subnets and route tables of VPC-mode compute, the ECR repositories of
AgentCore runtimes' images, the OpenSearch Serverless collections of knowledge bases, the log deliveries of
AgentCore resources, the secrets agents read, the alarms on the agents' Bedrock metrics. A collector marked with a
``WHEN`` (a ``When``) runs in a region only once the account's first collections are done, and only where they
found something that needs it; elsewhere its kinds are recorded as not read, with why (``Inventory.uncollected``),
so whatever would have named one says UNKNOWN with that reason, never "none" or PASS.

When the first collections had a coverage gap in a region, what they would have found there is not known: every
resolving read runs there; so it does in every region when the account's roles and policies could not be read (an
agent role's policy may name a secret or a key of any region). The other global gaps (the Organization's policies,
budgets, cost anomaly monitors, service-specific credentials) name nothing of a region.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from agentgov.audit.collectors.reach import references
from agentgov.scanner.graph import REFERENCES
from agentgov.scanner.iam_data import wildcard_match
from agentgov.scanner.model import walk

#: the global reads whose gaps leave every region's references unknown: the roles' and policies' documents, and a
#: global collector's own failure (``Gap.api`` "collector <area>")
GLOBAL_ANCHORS = ("iam GetAccountAuthorizationDetails", "collector ")


@dataclass(frozen=True)
class When:
    """Where a resolving collector is needed (any one of these): a record of the region names one of ``referenced``
    (kinds, through the graph's ``REFERENCES``; an ARN names its own region), the region holds a record of
    ``holding``, or a reference of the account is an ARN of one of ``arn_services`` in the region (a region
    pattern, ``*``, matches); ``what`` says it for the record of what was not read."""

    what: str
    referenced: tuple[str, ...] = ()
    holding: tuple[str, ...] = ()
    arn_services: tuple[str, ...] = ()


@dataclass
class Found:
    """The account's records after its first collections, and the regions where those had a gap."""

    resources: list[Any]
    gap_regions: set[str | None] = field(default_factory=set)
    _kinds: dict[str | None, set[str]] | None = None
    _named: dict[str, set[str | None]] = field(default_factory=dict)  # target kind -> regions named (None: any)
    _arns: dict[str, set[str | None]] | None = None  # service -> regions its ARNs among the references name

    @classmethod
    def of(cls, resources: Iterable[Any], gaps: Iterable[Any]) -> Found:
        """From the account's records and coverage gaps (``run.Gap``: its region, its ``api`` "service Operation")."""
        regions = {g.region for g in gaps if g.region is not None or g.api.startswith(GLOBAL_ANCHORS)}
        return cls(list(resources), regions)

    def kinds_in(self, region: str) -> set[str]:
        if self._kinds is None:
            self._kinds = {}
            for r in self.resources:
                self._kinds.setdefault(r.region, set()).add(r.kind)
        return self._kinds.get(region, set())

    def names(self, region: str, kinds: tuple[str, ...]) -> bool:
        """Whether a record names a resource of ``kinds`` in ``region`` (an Unknown may name one)."""
        return any(_matches(region, where) for kind in kinds for where in self._named_regions(kind))

    def _named_regions(self, kind: str) -> set[str | None]:
        """The regions (or patterns; None: any) in which the records name a resource of ``kind``, computed once: an
        ARN names its own region, anything else (a subnet id, an Unknown) the region of the record that holds it."""
        if kind not in self._named:
            sources = {(src, attr) for src, attr, _rel, targets, _rev in REFERENCES if kind in targets}
            out: set[str | None] = set()
            for r in self.resources:
                for src, attr in sources:
                    if r.kind != src:
                        continue
                    for v in walk(r.properties, attr):
                        if v is None or v == "" or v == []:
                            continue
                        where = arn_region(v) if isinstance(v, str) else None
                        out.add(where if where is not None else r.region)
            self._named[kind] = out
        return self._named[kind]

    def arn_in(self, region: str, services: tuple[str, ...]) -> bool:
        """Whether a reference of the account is an ARN of one of ``services`` in ``region`` (or a pattern matching it)."""
        if self._arns is None:
            self._arns = {}
            for t in references(self.resources):
                if t.startswith("arn:"):
                    parts = t.split(":", 5)
                    if len(parts) >= 4:
                        self._arns.setdefault(parts[2], set()).add(parts[3] or None)
        return any(_matches(region, where) for s in services for where in self._arns.get(s, ()))


def arn_region(value: str) -> str | None:
    """The region of an ARN (None: not an ARN, or one with no region)."""
    if not value.startswith("arn:"):
        return None
    parts = value.split(":", 5)
    return parts[3] or None if len(parts) >= 4 else None


def _matches(region: str, where: str | None) -> bool:
    """``where`` (a region, a pattern, or None: any region, as a global record's name) covers ``region``."""
    return where is None or wildcard_match(region, where)


def needed(when: When, found: Found, region: str) -> bool:
    """Whether the collector of ``when`` must run in ``region``."""
    if region in found.gap_regions or None in found.gap_regions:
        return True
    if when.holding and found.kinds_in(region).intersection(when.holding):
        return True
    if when.referenced and found.names(region, when.referenced):
        return True
    return bool(when.arn_services) and found.arn_in(region, when.arn_services)


def not_needed(when: When, account: str, region: str) -> str:
    """Why the collector of ``when`` did not run in ``region`` (what its kinds' records say)."""
    return f"not needed: no resource the audit read in account {account} {region} {when.what}"
