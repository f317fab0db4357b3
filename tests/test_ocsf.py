"""``--format ocsf``: OCSF 1.6.0 Detection Findings, validated against the class's JSON Schema built from the
OCSF schema export that ``ocsf-json-schema`` ships (schema.ocsf.io's ``/1.6.0/export/schema``), not a hand-written one."""

from __future__ import annotations

import copy
import datetime as dt
import json
from pathlib import Path

import jsonschema
import pytest

from agentgov.cli.main import main
from agentgov.reports import ocsf
from agentgov.scanner.config import Config, effective_parameters
from agentgov.scanner.engine import scan
from agentgov.scanner.findings import Status
from agentgov.scanner.suppress import load_waivers

REPO = Path(__file__).resolve().parents[1]

SOON = (dt.date.today() + dt.timedelta(days=90)).isoformat()  # within waiver_max_days


@pytest.fixture(scope="module")
def validator():
    from ocsf_json_schema import OcsfJsonSchemaEmbedded, get_ocsf_schema

    raw = get_ocsf_schema(version=ocsf.OCSF_VERSION)
    assert raw["version"] == ocsf.OCSF_VERSION == "1.6.0"
    schema = OcsfJsonSchemaEmbedded(raw).get_class_schema(class_name="detection_finding", profiles=ocsf.PROFILES)
    assert schema["properties"]["class_uid"] == {"title": "Class ID", "type": "integer", "const": 2004}
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


def _errors(validator, doc) -> list[str]:
    return [f"{list(e.absolute_path)}: {e.message[:200]}" for e in validator.iter_errors(doc)]


@pytest.fixture(scope="module")
def result(examples_result):
    return examples_result


def test_scan_findings_are_valid_detection_findings_with_the_fingerprint_as_uid(result, validator, pack):
    events = ocsf.build(result)
    assert len(events) == len(result.findings) > 50
    for e in events:
        assert not _errors(validator, e), _errors(validator, e)[:3]
    by_uid = {e["finding_info"]["uid"]: e for e in events}
    assert set(by_uid) == {f.fingerprint for f in result.findings}
    fail = next(
        f for f in result.findings if f.policy_id == "AG201" and f.status == Status.FAIL and f.resource_id == "OrdersAgent"
    )
    e = by_uid[fail.fingerprint]
    assert (e["class_uid"], e["category_uid"], e["type_uid"], e["activity_id"]) == (2004, 2, 200401, 1)
    assert (e["status_id"], e["status_code"], e["severity_id"], e["severity"]) == (1, "FAIL", 4, "High")
    assert e["finding_info"]["analytic"] == {"uid": "AG201", "name": fail.title, "type_id": 1, "type": "Rule"}
    assert e["finding_info"]["uid_alt"] == f"agentgov/AG201/{fail.fingerprint}"  # the ASFF Id of the same finding
    assert e["metadata"]["version"] == "1.6.0" and e["metadata"]["product"]["name"] == "agentgov"
    assert e["resources"][0]["uid"] == "OrdersAgent" and e["resources"][0]["type"] == "AWS::Bedrock::Agent"
    assert e["unmapped"]["agentgov"]["location"] == {"file": "examples/cloudformation/orders-agent.yaml", "line": fail.location.line,
                                                     **({"column": fail.location.column} if fail.location.column else {})}  # fmt: skip
    assert e["remediation"]["desc"] == pack.policies["AG201"].remediation.summary
    assert e["remediation"]["references"] == list(pack.policies["AG201"].references)
    # the framework controls of policies/frameworks.yaml (Detection Finding has no compliance object)
    want = {m.framework: [] for m in pack.mappings("AG201")}
    for m in pack.mappings("AG201"):
        want[m.framework].append(m.control)
    assert {k: [c["control"] for c in v] for k, v in e["unmapped"]["compliance"].items()} == want
    passed = next(x for x in events if x["status_code"] == "PASS")
    assert (passed["status_id"], passed["status"], passed["severity_id"]) == (4, "Resolved", 1)
    unknown = next(x for x in events if x["status_code"] == "UNKNOWN")
    assert unknown["status_id"] == 1 and unknown["status_detail"]


def test_the_validation_rejects_a_wrong_class_a_missing_required_field_and_an_unknown_attribute(result, validator):
    good = ocsf.build(result)[0]
    assert not _errors(validator, good)
    wrong_class = dict(good, class_uid=2003)
    assert any("class_uid" in e for e in _errors(validator, wrong_class))
    for required in ("finding_info", "metadata", "cloud", "severity_id", "time", "type_uid"):
        missing = {k: v for k, v in good.items() if k != required}
        assert any(required in e for e in _errors(validator, missing)), required
    no_uid = copy.deepcopy(good)
    del no_uid["finding_info"]["uid"]
    assert any("uid" in e for e in _errors(validator, no_uid))
    assert _errors(validator, dict(good, compliance={"status": "FAIL"}))  # not an attribute of Detection Finding
    assert _errors(validator, dict(good, status_id=7))  # not in the enum
    bad_version = copy.deepcopy(good)
    del bad_version["metadata"]["version"]
    assert _errors(validator, bad_version)


def test_a_waived_finding_is_suppressed_with_the_waiver_in_comment_and_unmapped(tmp_path, monkeypatch, pack, validator):
    (tmp_path / "stack.yaml").write_text(
        "Resources:\n  Agent:\n    Type: AWS::Bedrock::Agent\n    Properties:\n      AgentName: a\n"
    )
    (tmp_path / "w.yaml").write_text(
        "waivers:\n  - policy: AG201\n    resource: Agent\n    owner: secops@example.com\n"
        f"    reason: guardrail enforced by an Organizations Bedrock policy\n    expires: {SOON}\n"
    )
    monkeypatch.chdir(tmp_path)
    r = scan([Path("stack.yaml")], pack, effective_parameters(Config(), pack.parameters), only=["AG201"],
             waivers=load_waivers(Path("w.yaml")))  # fmt: skip
    (e,) = ocsf.build(r)
    assert not _errors(validator, e)
    assert (e["status_id"], e["status"], e["status_code"]) == (3, "Suppressed", "SUPPRESSED")
    assert e["unmapped"]["agentgov"]["suppression"]["owner"] == "secops@example.com"
    assert "guardrail enforced" in e["comment"] and SOON in e["comment"]


def test_scan_cli_writes_a_json_array_and_no_pass_leaves_passes_out(tmp_path, monkeypatch, validator):
    monkeypatch.chdir(REPO)
    out = tmp_path / "f.ocsf.json"
    rc = main(["scan", "examples/cloudformation", "--format", "ocsf", "--output", str(out), "--no-pass"])
    assert rc == 1
    events = json.loads(out.read_text())
    assert isinstance(events, list) and events
    assert {e["status_code"] for e in events} <= {"FAIL", "UNKNOWN", "ERROR", "SUPPRESSED"}
    assert all(not _errors(validator, e) for e in events)


def test_audit_demo_events_carry_account_and_region_and_the_demo_imports_into_security_hub(
    tmp_path, monkeypatch, capsys, validator
):
    pytest.importorskip("moto")
    monkeypatch.chdir(tmp_path)
    rc = main(["audit", "--demo", "--format", "ocsf", "--output", "f.ocsf.json", "--format", "json", "--output", "r.json",
               "--security-hub-import"])  # fmt: skip
    assert rc == 1
    events = json.loads((tmp_path / "f.ocsf.json").read_text())
    report = json.loads((tmp_path / "r.json").read_text())
    assert len(events) == len(report["findings"])
    for e in events:
        assert not _errors(validator, e), _errors(validator, e)[:3]
    by_uid = {e["finding_info"]["uid"]: e for e in events}
    for f in report["findings"]:
        e = by_uid[f["fingerprint"]]
        assert e["cloud"].get("account", {}).get("uid") == f["account"] and e["cloud"].get("region") == f["region"]
        assert e["resources"][0]["uid"] == f["resource_id"]
    assert {e["cloud"]["region"] for e in events if "region" in e["cloud"]} == {"us-east-1", "eu-west-1"}
    assert all(e["cloud"]["account"]["type_id"] == 10 for e in events if "account" in e["cloud"])
    assert any(e["resources"][0].get("cloud_partition") == "aws" for e in events)
    err = capsys.readouterr().err
    live = sum(1 for f in report["findings"] if f["account"])
    assert f"security hub: {live} finding(s) imported" in err and f"({live} new, 0 updated, 0 archived), 0 failed" in err
