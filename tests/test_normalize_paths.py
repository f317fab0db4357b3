"""``normalize._relocate`` moves attribute locations from one path to another; a pattern anchored at the start is
tried only on the paths that begin with its literal head. These tests compare it with the plain substitution."""

from __future__ import annotations

import re
from pathlib import Path

from agentgov.scanner import normalize
from agentgov.scanner.model import Location

SOURCE = Path(normalize.__file__).read_text(encoding="utf-8")
#: every pattern normalize.py relocates with
PATTERNS = sorted(set(re.findall(r'_relocate\(\s*\w+,\s*r"([^"]+)"', SOURCE)))

KEYS = [
    "inline_policies.0.policy_name",
    "inline_policies.12.policy_document.Statement.0",
    "inline_policies.x.policy",
    "role",
    "role.0",
    "roles.0",
    "role_name",
    "budget.limit",
    "budgets",
    "cost_filter.0.name",
    "cost_filters",
    "function_schema.0.member_functions.0.functions.1.name",
    "versioning.0.enabled",
    "versioning.3.enabled",
    "a.tool_filter.b",
    "a.tool_filters",
    "action_group.0.api_schema.0.open_api_schema.0.inline_payload.0.payload",
    "route.0.cidr_block",
    "routes",
    "point_in_time_recovery.0.enabled",
    "0.role",
    "",
]


def _plain(locs: dict[str, Location], pattern: str, repl: str) -> None:
    rx = re.compile(pattern)
    for key in list(locs):
        new = rx.sub(repl, key, count=1)
        if new != key:
            locs[new] = locs.pop(key)


def test_the_patterns_are_found():
    assert len(PATTERNS) >= 20


def test_relocating_with_the_literal_head_is_the_plain_substitution():
    for pattern in PATTERNS:
        mine = {k: Location("f", i) for i, k in enumerate(KEYS)}
        plain = dict(mine)
        normalize._relocate(mine, pattern, "moved")
        _plain(plain, pattern, "moved")
        assert mine == plain, pattern


def test_the_head_of_an_anchored_pattern():
    assert normalize._relocation(r"^inline_policies\.(\d+)\.policy_name")[1] == "inline_policies."
    assert normalize._relocation(r"^role(?=\.|$)")[1] == "role"
    assert normalize._relocation(r"^ab?c")[1] == "a"  # b is optional: not part of every match
    assert normalize._relocation(r"\.tool_filter(?=\.|$)")[1] == ""  # not anchored: every path is tried
