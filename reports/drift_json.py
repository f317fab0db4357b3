"""``agentgov drift --format json``: the comparison as a JSON document (``agentgov schema drift``).

``res`` is a ``agentgov.drift.compare.DriftResult`` (read by its attributes: the reports sit below drift).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any


def render(res: Any, fail_on: Iterable[str]) -> dict[str, Any]:
    from agentgov.scanner import __version__

    by_rule: dict[str, int] = {}
    for m in res.matches:
        by_rule[m.by] = by_rule.get(m.by, 0) + 1
    return {
        "schema_version": "1",
        "tool": {"name": "agentgov", "version": __version__, "policy_pack_digest": res.scan.pack_digest},
        "iac": {
            "paths": res.iac_paths,
            "files_scanned": res.scan.inventory.files_scanned,
            "resources": len(res.scan.inventory),
            "terraform_state_files": res.state_files,
        },
        "live": {
            "reports": res.live.reports,
            "accounts": sorted(res.live.accounts),
            "regions": sorted(res.live.regions),
            "resources": len(res.live.resources),
        },
        "options": {"strict": res.options.strict, "all_kinds": res.options.all_kinds, "fail_on": list(fail_on)},
        "summary": {**res.counts(), "matched_by": dict(sorted(by_rule.items())), "drift": res.drifted(fail_on)},
        "matches": res.match_records(),
        "unmanaged": res.unmanaged,
        "undeployed": res.undeployed,
        "not_assessed": res.not_assessed,
        "verdicts": res.verdicts,
        "ignored_verdicts": res.ignored,
        "notes": res.notes,
    }
