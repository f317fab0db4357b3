"""``agentgov drift --format markdown``: the comparison as a Markdown page (a pull request comment, a job summary).

``res`` is a ``agentgov.drift.compare.DriftResult`` (read by its attributes: the reports sit below drift).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any


def _md(s: Any) -> str:
    return str(s if s is not None else "").replace("|", "\\|").replace("\n", " ")


def render(res: Any, fail_on: Iterable[str]) -> str:
    c = res.counts()
    out = [
        "# agentgov drift",
        "",
        f"{len(res.scan.inventory)} IaC resources against {len(res.live.resources)} live resources "
        f"({len(res.live.accounts)} accounts, {len(res.live.regions)} regions); {c['matched']} matches.",
        "",
        f"## Unmanaged agents ({c['unmanaged']})",
        "",
    ]
    if res.unmanaged:
        out += ["| kind | name | account | region | location | note |", "| --- | --- | --- | --- | --- | --- |"]
        out += [
            f"| {u['kind']} | {_md(u['name'])} | {u['account']} | {u['region']} | `{_md(u['location'])}` | {_md(u.get('note'))} |"
            for u in res.unmanaged
        ]
    else:
        out.append("None.")
    out += ["", f"## Not deployed ({c['undeployed']})", ""]
    if res.undeployed:
        out += ["| kind | name | location | reason |", "| --- | --- | --- | --- |"]
        out += [
            f"| {u['kind']} | {_md(u['name'] or u['id'])} | `{_md(u['location'])}` | {_md(u['reason'])} |" for u in res.undeployed
        ]
    else:
        out.append("None.")
    if res.not_assessed:
        out += [
            "",
            f"## Not assessed ({c['not_assessed']})",
            "",
            "| kind | name | location | reason |",
            "| --- | --- | --- | --- |",
        ]
        out += [
            f"| {u['kind']} | {_md(u['name'] or u['id'])} | `{_md(u['location'])}` | {_md(u['reason'])} |"
            for u in res.not_assessed
        ]
    out += ["", f"## Verdicts that differ ({c['verdicts']})", ""]
    if res.verdicts:
        out += ["| policy | severity | IaC | live |", "| --- | --- | --- | --- |"]
        out += [
            f"| {v['policy_id']} {_md(v['title'])} | {v['severity']} | {v['iac']['status']} `{_md(v['iac']['location'])}` | "
            f"{v['live']['status']} `{_md(v['live']['location'])}` |"
            for v in res.verdicts
        ]
    else:
        out.append("None.")
    if res.ignored:
        out += [
            "",
            f"## Differences ignored ({c['ignored_verdicts']})",
            "",
            "| policy | resource | IaC | live | reason |",
            "| --- | --- | --- | --- | --- |",
        ]
        out += [
            f"| {v['policy_id']} | `{_md(v['iac']['location'])}` | {v['iac']['status']} | {v['live']['status']} | {_md(v['reason'])} |"
            for v in res.ignored
        ]
    if res.notes:
        out += ["", "## Notes", ""] + [f"- {_md(n)}" for n in res.notes]
    out += ["", f"**{'Drift' if res.drifted(fail_on) else 'No drift'}.**"]
    return "\n".join(out) + "\n"
