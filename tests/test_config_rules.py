"""AWS Config compiler: the form each policy takes (from data), Guard rules run against configuration
items, the conformance pack and the rule-runtime stack pass cfn-lint, the checked-in baseline is fresh,
and the rule runtime maps findings to evaluations."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import yaml

from agentgov.cli.main import main
from agentgov.config_rules import compiler, outputs
from agentgov.config_rules.runtime import ANNOTATION_MAX, evaluations, put
from agentgov.scanner.config import Config, effective_parameters

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def built(pack):
    return compiler.build(pack, effective_parameters(Config(), pack.parameters))


def _cfn_lint(text: str) -> list[str]:
    from cfnlint.api import lint
    from cfnlint.config import ManualArgs

    return [f"{m.rule.id} {m.message}" for m in lint(text, config=ManualArgs(regions=["us-east-1"])) if m.rule.id.startswith("E")]


def test_every_policy_with_a_detective_form_has_one_rule(pack, built):
    template, forms = built
    want = sorted(p.id for p in pack if p.detective)
    assert sorted(f.policy_id for f in forms) == want
    assert sorted(template["Resources"]) == [f"Agentgov{p}" for p in want]
    names = [r["Properties"]["ConfigRuleName"] for r in template["Resources"].values()]
    assert len(set(names)) == len(names) and all(len(n) <= 128 and n.startswith("agentgov-") for n in names)


def test_the_form_is_decided_by_data(pack, built, monkeypatch):
    forms = {f.policy_id: f for f in built[1]}
    assert forms["AG301"].kind == "guard" and forms["AG301"].resource_types == ["AWS::Lambda::Function"]
    assert forms["AG201"].kind == "periodic" and "AWS Config does not record AWS::Bedrock::Agent" in forms["AG201"].reason
    assert forms["AG402"].kind == "periodic" and "analyzer" in forms["AG402"].reason
    # the same policy with the Lambda paths gone from the data falls back to the periodic rule
    monkeypatch.setattr(compiler, "ci_paths", lambda: {})
    f = compiler.form_of(pack.get("AG301"), {})
    assert f.kind == "periodic" and "no configuration-item paths known for AWS::Lambda::Function" in f.reason
    assert "AWS::Lambda::Function" in compiler.recorded_types() and "AWS::Bedrock::Agent" not in compiler.recorded_types()


def _ci(configuration, tags=None, supplementary=None):
    return {"resourceType": "AWS::Lambda::Function", "configuration": configuration, "tags": tags or {},
            "supplementaryConfiguration": supplementary or {}}  # fmt: skip


@pytest.mark.parametrize(
    "ci, status",
    [
        (_ci({"vpcConfig": {"subnetIds": ["subnet-1"], "securityGroupIds": ["sg-1"]}}), "PASS"),
        (_ci({"vpcConfig": {"subnetIds": [], "securityGroupIds": []}}), "FAIL"),
        (_ci({"functionName": "f"}), "FAIL"),
    ],
)
def test_the_generated_guard_rule_judges_configuration_items_like_scan(built, ci, status):
    cfn_guard_rs = pytest.importorskip("cfn_guard_rs")
    guard = next(f.guard for f in built[1] if f.policy_id == "AG301")
    assert cfn_guard_rs.run_checks(ci, guard).status == status


def test_guard_rules_parse(built):
    cfn_guard_rs = pytest.importorskip("cfn_guard_rs")
    for f in built[1]:
        if f.guard:
            cfn_guard_rs.run_checks({"resourceType": "AWS::Other::Thing"}, f.guard)  # raises on a syntax error


def test_templates_pass_cfn_lint_and_use_valid_owner_and_frequency(pack, tmp_path):
    files, _ = outputs.generate(None)
    for name, text in files.items():
        assert _cfn_lint(text) == [], name
    pack_doc = yaml.safe_load(files[outputs.PACK_FILE])
    for r in pack_doc["Resources"].values():
        src = r["Properties"]["Source"]
        assert src["Owner"] in ("CUSTOM_LAMBDA", "CUSTOM_POLICY")
        if src["Owner"] == "CUSTOM_LAMBDA":
            assert r["Properties"]["MaximumExecutionFrequency"] in compiler.FREQUENCIES
            assert src["SourceIdentifier"] == {"Ref": "AgentgovRuleFunctionArn"}
        else:
            assert src["CustomPolicyDetails"]["PolicyRuntime"] == "guard-2.x.x"
    assert set(pack_doc) <= {"AWSTemplateFormatVersion", "Description", "Parameters", "Resources"}
    assert {r["Type"] for r in pack_doc["Resources"].values()} == {"AWS::Config::ConfigRule"}  # all a pack may hold


def test_a_bad_frequency_is_refused(pack):
    with pytest.raises(compiler.ConfigRulesError, match="config_rule_frequency = 'Daily'"):
        compiler.build(pack, {**effective_parameters(Config(), pack.parameters), "config_rule_frequency": "Daily"})


def test_checked_in_conformance_pack_is_fresh():
    files, _ = outputs.generate(None)
    stale = outputs.write(files, REPO / "config_rules", check=True)
    assert not stale, f"config_rules/ is stale ({stale}): run 'agentgov config-rules build --out config_rules'"


def test_cli_build(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    assert main(["config-rules", "build", "--out", "out"]) == 0
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["conformance-pack.yaml", "rule-runtime.yaml"]
    err = capsys.readouterr().err
    assert "AG301  guard" in err and "AG201  periodic" in err
    assert main(["config-rules", "build", "--out", "out", "--check"]) == 0


def test_the_runtime_maps_every_status_to_an_evaluation(tmp_path, monkeypatch, pack):
    from agentgov.scanner.engine import scan

    (tmp_path / "t.yaml").write_text(
        "Parameters: {G: {Type: String}}\nResources:\n"
        "  Good: {Type: AWS::Bedrock::Agent, Properties: {AgentName: g, GuardrailConfiguration: {GuardrailIdentifier: x, GuardrailVersion: '1'}}}\n"
        "  Bad: {Type: AWS::Bedrock::Agent, Properties: {AgentName: b, Instruction: " + "x" * 300 + "}}\n"
        "  Open: {Type: AWS::Bedrock::Agent, Properties: {AgentName: o, GuardrailConfiguration: {GuardrailIdentifier: !Ref G, GuardrailVersion: !Ref G}}}\n"
    )
    monkeypatch.chdir(tmp_path)
    r = scan([Path(".")], pack, effective_parameters(Config(), pack.parameters), only=["AG201"])
    when = dt.datetime(2026, 12, 1, tzinfo=dt.UTC)
    ev = {e["ComplianceResourceId"]: e for e in evaluations(r.findings, when)}
    assert ev["Good"]["ComplianceType"] == "COMPLIANT"
    assert ev["Bad"]["ComplianceType"] == "NON_COMPLIANT"
    assert ev["Open"]["ComplianceType"] == "NON_COMPLIANT" and ev["Open"]["Annotation"].startswith("UNKNOWN: ")
    assert all(
        len(e["Annotation"]) <= ANNOTATION_MAX and e["ComplianceResourceType"] == "AWS::Bedrock::Agent" for e in ev.values()
    )

    class Recorder:
        def __init__(self):
            self.calls = []

        def put_evaluations(self, Evaluations, ResultToken):
            self.calls.append((len(Evaluations), ResultToken))
            return {"FailedEvaluations": []}

    rec = Recorder()
    put(rec, list(ev.values()) * 70, "token")
    assert rec.calls == [(100, "token"), (100, "token"), (10, "token")]


def test_the_rule_runtime_role_may_make_exactly_the_calls_the_collectors_declare():
    """Least privilege for agentgov itself: the declared reads, no AWS-managed ReadOnlyAccess (which reads
    S3 objects and may lag behind new Bedrock and AgentCore actions)."""
    from agentgov.audit.collectors import member_calls
    from agentgov.config_rules.compiler import rule_runtime_template

    role = rule_runtime_template()["Resources"]["RuntimeRole"]["Properties"]
    assert not any("ReadOnlyAccess" in str(arn) for arn in role["ManagedPolicyArns"])
    allowed = {a for p in role["Policies"] for s in p["PolicyDocument"]["Statement"] for a in _as_list(s["Action"])}
    assert allowed == {c.action for c in member_calls()} | {"config:PutEvaluations"}
    assert not any(a.startswith("organizations:") for a in allowed)  # a member account cannot read the Organization's policies


def _as_list(v):
    return v if isinstance(v, list) else [v]
