"""JUnit XML: one test suite per policy, one test case per judged resource."""

from __future__ import annotations

from typing import Any
from xml.etree import ElementTree as ET

from agentgov.scanner import agent_inventory
from agentgov.scanner.analyzers import blast_radius
from agentgov.scanner.findings import Status


def render(result: Any) -> str:
    suites = ET.Element("testsuites", name="agentgov")
    by_policy: dict[str, list] = {}
    for f in result.findings:
        by_policy.setdefault(f.policy_id, []).append(f)
    totals = {"tests": 0, "failures": 0, "errors": 0, "skipped": 0}
    for pid, findings in sorted(by_policy.items()):
        suite = ET.SubElement(suites, "testsuite", name=f"{pid} {findings[0].title}")
        counts = {"tests": 0, "failures": 0, "errors": 0, "skipped": 0}
        for f in findings:
            counts["tests"] += 1
            case = ET.SubElement(
                suite,
                "testcase",
                name=f"{f.resource_name or f.resource_id}",
                classname=f"{pid}.{f.resource_kind}",
                file=f.location.file,
            )
            if f.location.line:
                case.set("line", str(f.location.line))
            text = f"{f.message}\nat {f.location}\nseverity: {f.severity.value}\nremediation: {f.remediation or ''}"
            if f.status == Status.FAIL:
                counts["failures"] += 1
                ET.SubElement(case, "failure", message=f.message, type=f.severity.value).text = text
            elif f.status == Status.ERROR:
                counts["errors"] += 1
                ET.SubElement(case, "error", message=f.message, type="ERROR").text = text
            elif f.status in (Status.UNKNOWN, Status.SUPPRESSED):
                counts["skipped"] += 1
                reason = f.message if f.status == Status.UNKNOWN else f"suppressed: {(f.suppression or {}).get('reason', '')}"
                ET.SubElement(case, "skipped", message=f"{f.status.value}: {reason}")
        for k, v in counts.items():
            suite.set(k, str(v))
            totals[k] += v
    agents = agent_inventory.records(result.inventory)
    if agents:  # informational: no test cases, one property per agent
        suite = ET.SubElement(suites, "testsuite", name="agent blast radius", tests="0", failures="0", errors="0", skipped="0")
        props = ET.SubElement(suite, "properties")
        for rec in agents:
            ET.SubElement(props, "property", name=f"{rec['id']} ({rec['location']})", value=blast_radius.summary(rec["blast_radius"]))
    for k, v in totals.items():
        suites.set(k, str(v))
    ET.indent(suites)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(suites, encoding="unicode") + "\n"
