"""What an account's agentic resources reach: the buckets, KMS keys and tables whose details are read.

An account holds hundreds of buckets, keys and tables that have nothing to do with its agents. The
collectors of everything else (agents, knowledge bases and their data sources, guardrails, Lambda
functions, AgentCore, IAM roles and policies, trails, secrets, ...) run first; every string in their
records is a reference (an ARN, a name, an environment value, a policy's ``Resource``), and so is each
part of it between ``:`` and ``/``. A bucket, key or table is *reached* when its name, id or ARN is one
of them, or when it carries a tag the policies select by (the audit-evidence tag of AG804); a
collector marked ``REACHED`` then reads its details, and records any other from its list call alone,
with each detail property an ``Unknown`` saying why: a policy that would judge one of those says
UNKNOWN, never PASS. The edges the graph draws (a data source's bucket, a role's or a function's
table, an agent's key) are all such references, so what a policy judges is read.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from agentgov.scanner.model import Unknown

#: why a resource's details were not read
UNREAD = (
    "not read: no agent, knowledge base, data source, function, role, trail or other resource the audit read in the "
    "account references it (details are read for what the agentic resources reach)"
)
_SPLIT = re.compile(r"[:/\s,]+")


def unread() -> Unknown:
    return Unknown(UNREAD, origin="audit:reach")


#: records that are no agentic resource's reference: an alarm's dimensions name what it watches, not what agents use
NOT_REFERENCES = frozenset({"alarm"})


def references(resources: Iterable[Any]) -> frozenset[str]:
    """Every string of the records' properties, and each of its parts between ``:``, ``/``, commas and spaces."""
    out: set[str] = set()
    stack: list[Any] = [r.properties for r in resources if r.kind not in NOT_REFERENCES]
    while stack:
        v = stack.pop()
        if isinstance(v, str):
            if v not in out:
                out.add(v)
                out.update(p for p in _SPLIT.split(v) if p)
        elif isinstance(v, dict):
            stack.extend(v.values())
        elif isinstance(v, (list, tuple)):
            stack.extend(v)
    return frozenset(out)


def tag_interest(spec: Any) -> tuple[tuple[str, str | None], ...]:
    """``key=value`` (value compared case-insensitively) or ``key`` (any value), as AG804's ``audit_bucket_tag``."""
    if not isinstance(spec, str) or not spec.strip():
        return ()
    key, eq, value = spec.strip().partition("=")
    return ((key.strip(), value.strip() if eq else None),)


@dataclass(frozen=True)
class Reach:
    """The references of an account's agentic resources, and the tags that make a resource worth reading."""

    tokens: frozenset[str]
    tags: tuple[tuple[str, str | None], ...] = ()

    def reaches(self, *names: str | None, tags: Any = None) -> bool:
        """Whether a resource named ``names`` (its name, id, ARN) with ``tags`` is reached; tags that could not be
        read count as reaching when a tag selects (whether it carries one is not known)."""
        if any(n and n in self.tokens for n in names):
            return True
        if not self.tags:
            return False
        if not isinstance(tags, dict):
            return tags is not None and isinstance(tags, Unknown)
        for key, value in self.tags:
            if key in tags and (value is None or str(tags[key]).lower() == value.lower()):
                return True
        return False
