"""JUnit XML: one test suite per policy, one test case per judged resource."""

from __future__ import annotations

import itertools
import json
from collections.abc import Iterator
from typing import Any
from xml.etree import ElementTree as ET

from agentgov.scanner.findings import Status

_COUNTS = ("tests", "failures", "errors", "skipped")


def render(result: Any) -> str:
    return "".join(chunks(result))


def _case(f: Any, pid: str) -> tuple[ET.Element, str | None]:
    case = ET.Element(
        "testcase", name=f"{f.resource_name or f.resource_id}", classname=f"{pid}.{f.resource_kind}", file=f.location.file
    )
    if f.location.line:
        case.set("line", str(f.location.line))
    text = f"{f.message}\nat {f.location}\nseverity: {f.severity.value}\nremediation: {f.remediation or ''}"
    if f.status == Status.FAIL:
        ET.SubElement(case, "failure", message=f.message, type=f.severity.value).text = text
        return case, "failures"
    if f.status == Status.ERROR:
        ET.SubElement(case, "error", message=f.message, type="ERROR").text = text
        return case, "errors"
    if f.status in (Status.UNKNOWN, Status.SUPPRESSED):
        reason = f.message if f.status == Status.UNKNOWN else f"suppressed: {(f.suppression or {}).get('reason', '')}"
        ET.SubElement(case, "skipped", message=f"{f.status.value}: {reason}")
        return case, "skipped"
    return case, None


def _start_tag(tag: str, attrs: dict[str, str]) -> str:
    """The start tag ElementTree writes for ``tag`` with ``attrs`` (its escaping, its attribute order)."""
    el = ET.Element(tag, attrs)
    el.text = "\x00"
    return ET.tostring(el, encoding="unicode").split("\x00", 1)[0]


class _Suite:
    def __init__(self, title: str, spool_dir: Any, pid: str):
        self.title = title
        self.counts = dict.fromkeys(_COUNTS, 0)
        self.path = spool_dir / f"junit-{pid}.xml" if spool_dir is not None else None
        self.fh = self.path.open("w+", encoding="utf-8") if self.path is not None else None
        self.cases: list[str] = []

    def add(self, text: str) -> None:
        if self.fh is not None:
            self.fh.write(json.dumps(text) + "\n")  # one line per case
        else:
            self.cases.append(text)

    def read(self) -> Iterator[str]:
        if self.fh is None:
            yield from self.cases
            return
        self.fh.seek(0)
        for line in self.fh:
            yield json.loads(line)
        self.fh.close()


def chunks(result: Any) -> Iterator[str]:
    """The JUnit XML as ``ET.indent`` + ``ET.tostring`` of the whole tree writes it, piece by piece.

    Test cases are grouped by policy: an audit's (read from its spool) are kept in one file per policy
    in the spool's directory until they are written; a scan's in memory.
    """
    spool_dir = getattr(getattr(result, "spool", None), "dir", None)
    suites: dict[str, _Suite] = {}
    for f in result.iter_findings():
        suite = suites.get(f.policy_id)
        if suite is None:
            suite = suites[f.policy_id] = _Suite(f.title, spool_dir, f.policy_id)
        case, counted = _case(f, f.policy_id)
        ET.indent(case, level=2)
        suite.add(ET.tostring(case, encoding="unicode"))
        suite.counts["tests"] += 1
        if counted:
            suite.counts[counted] += 1
    totals = dict.fromkeys(_COUNTS, 0)
    for suite in suites.values():
        for k, v in suite.counts.items():
            totals[k] += v
    agents = iter(result.agent_records())
    first_agent = next(agents, None)
    head = '<?xml version="1.0" encoding="UTF-8"?>\n'
    top = {"name": "agentgov", **{k: str(v) for k, v in totals.items()}}
    if not suites and first_agent is None:
        yield head + ET.tostring(ET.Element("testsuites", top), encoding="unicode") + "\n"
        return
    yield head + _start_tag("testsuites", top)
    for pid in sorted(suites):
        suite = suites[pid]
        yield "\n  " + _start_tag("testsuite", {"name": f"{pid} {suite.title}", **{k: str(v) for k, v in suite.counts.items()}})
        for case_xml in suite.read():
            yield "\n    " + case_xml
        yield "\n  </testsuite>"
    if first_agent is not None:  # informational: no test cases, one property per agent
        from agentgov.scanner import blast_radius

        yield "\n  " + _start_tag(
            "testsuite", {"name": "agent blast radius", "tests": "0", "failures": "0", "errors": "0", "skipped": "0"}
        )
        yield "\n    <properties>"
        for rec in itertools.chain([first_agent], agents):
            prop = ET.Element(
                "property", name=f"{rec['id']} ({rec['location']})", value=blast_radius.summary(rec["blast_radius"])
            )
            yield "\n      " + ET.tostring(prop, encoding="unicode")
        yield "\n    </properties>\n  </testsuite>"
    yield "\n</testsuites>\n"
