"""``agentgov drift`` as text (the default format).

``res`` is a ``agentgov.drift.compare.DriftResult`` (read by its attributes: the reports sit below drift).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any


def render(res: Any, fail_on: Iterable[str]) -> str:
    c = res.counts()
    kinds = "every named kind" if res.options.all_kinds else "agents, AgentCore runtimes, gateways"
    lines = [
        f"agentgov drift: {len(res.scan.inventory)} IaC resource(s) in {res.scan.inventory.files_scanned} file(s) against "
        f"{len(res.live.resources)} live resource(s) in {len(res.live.accounts)} account(s), {len(res.live.regions)} region(s)",
        f"{c['matched']} match(es); scope of unmanaged / not deployed: {kinds}",
        "",
        f"Unmanaged: live, no scanned IaC defines them ({c['unmanaged']})",
    ]
    lines += [
        f"  {u['kind']:14} {u['name'] or u['id']}  {u['location']}" + (f"\n                 {u['note']}" if u.get("note") else "")
        for u in res.unmanaged
    ] or ["  none"]
    lines += ["", f"Not deployed: in IaC, not found live ({c['undeployed']})"]
    lines += [f"  {u['kind']:14} {u['name'] or u['id']}  {u['location']}  ({u['reason']})" for u in res.undeployed] or ["  none"]
    if res.not_assessed:
        lines += ["", f"Not assessed: whether these IaC agents are deployed ({c['not_assessed']})"]
        lines += [f"  {u['kind']:14} {u['name'] or u['id']}  {u['location']}  ({u['reason']})" for u in res.not_assessed]
    lines += ["", f"Verdicts that differ on matched resources ({c['verdicts']})"]
    for v in res.verdicts or []:
        lines.append(f"  {v['policy_id']} {v['severity']:8} {v['title']}")
        lines.append(f"    IaC  {v['iac']['status']:8} {v['iac']['location']}  {v['iac']['message']}")
        lines.append(f"    live {v['live']['status']:8} {v['live']['location']}  {v['live']['message']}")
    if not res.verdicts:
        lines.append("  none")
    if res.ignored:
        lines += ["", f"Differences ignored ({c['ignored_verdicts']})"]
        for v in res.ignored:
            lines.append(
                f"  {v['policy_id']} IaC {v['iac']['status']} / live {v['live']['status']}  {v['iac']['resource']}: {v['reason']}"
            )
    if res.notes:
        lines += ["", "Notes"] + [f"  {n}" for n in res.notes]
    lines += [
        "",
        "drift"
        if res.drifted(fail_on)
        else "no drift" + (" (of: " + ", ".join(fail_on) + ")" if list(fail_on) != list(res.default_fail_on) else ""),
    ]
    return "\n".join(lines) + "\n"
