"""Every enforcement point honours user policies (issue 18, item 6): scan, audit (live records), checkov-dir (the
single-resource ones), scp build and config-rules build (the policies with those forms), SARIF rule metadata, docs.
The example pack (examples/policies) is the user pack here; a broken one never reaches a generated artifact."""

from __future__ import annotations

import ast
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from agentgov.cli.main import main
from agentgov.integrations import checkov_pack

REPO = Path(__file__).resolve().parents[1]
EXAMPLE = REPO / "examples" / "policies"
FIXTURES = EXAMPLE / "fixtures"


def _run(capsys, *argv: str) -> tuple[int, str, str]:
    capsys.readouterr()
    rc = main(list(argv))
    out, err = capsys.readouterr()
    return rc, out, err


def test_scan_and_sarif_carry_the_user_policies(capsys):
    rc, out, _ = _run(capsys, "scan", str(FIXTURES / "ORG003"), "--policies", str(EXAMPLE), "--format", "sarif")
    run = json.loads(out)["runs"][0]
    rules = {r["id"]: r for r in run["tool"]["driver"]["rules"]}
    assert {"ORG001", "ORG002", "ORG003", "ORG004"} <= set(rules)
    assert rules["ORG003"]["shortDescription"]["text"] == "Gateway targets call MCP servers inside our private network only"
    failing = {
        (r["ruleId"], r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"])
        for r in run["results"]
        if r["level"] == "error"
    }
    assert any(rule == "ORG003" for rule, _ in failing)
    assert run["properties"]["policies"]["user_packs"][0]["policies"] == ["ORG001", "ORG002", "ORG003", "ORG004"]


def test_scp_build_compiles_a_user_policys_preventive_form(tmp_path, capsys):
    rc, out, err = _run(capsys, "scp", "build", "--policies", str(EXAMPLE), "--out", str(tmp_path))
    assert rc == 0, err
    statements = [s for f in tmp_path.glob("agentgov-scp-*.json") for s in json.loads(f.read_text())["Statement"]]
    mine = [s for s in statements if s["Sid"] == "ORG004OrgDenyAgentWithoutDataClassification"]  # the policy id first
    assert len(mine) == 1
    assert mine[0]["Action"] == "bedrock:CreateAgent" or mine[0]["Action"] == ["bedrock:CreateAgent"]
    assert mine[0]["Condition"]["Null"] == {"aws:RequestTag/data-classification": "true"}
    assert mine[0]["Effect"] == "Deny" and mine[0]["Resource"] == "*"  # compiled as the built-ins' statements are
    rc, out, _ = _run(capsys, "scp", "explain", "--policies", str(EXAMPLE))
    assert "ORG004OrgDenyAgentWithoutDataClassification  [ORG004]" in out


def test_config_rules_build_has_a_rule_per_user_policy_with_a_detective_form(tmp_path, capsys):
    pytest.importorskip("boto3")
    import yaml

    rc, _, err = _run(capsys, "config-rules", "build", "--policies", str(EXAMPLE), "--out", str(tmp_path))
    assert rc == 0, err
    pack = yaml.safe_load((tmp_path / "conformance-pack.yaml").read_text())
    params = {r["Properties"].get("InputParameters", {}).get("policy") for r in pack["Resources"].values()}
    assert {"ORG001", "ORG002", "ORG003", "ORG004"} <= params


def test_the_config_rule_runtime_loads_the_packaged_user_pack(monkeypatch):
    from agentgov.config_rules.runtime import evaluate
    from agentgov.scanner.discover import build_inventory

    inv = build_inventory([FIXTURES / "ORG004" / "cfn"])
    with pytest.raises(ValueError, match="not a policy of agentgov's pack"):
        evaluate("ORG004", inv)
    monkeypatch.setenv("AGENTGOV_POLICY_PATHS", str(EXAMPLE))
    findings = evaluate("ORG004", inv)
    assert sorted((f.resource_id, f.status.value) for f in findings) == [
        ("Classified", "PASS"),
        ("Runtime", "FAIL"),
        ("Unclassified", "FAIL"),
    ]


def test_generators_refuse_a_broken_user_pack(tmp_path, capsys):
    broken = tmp_path / "pack"
    shutil.copytree(EXAMPLE, broken, ignore=shutil.ignore_patterns("fixtures"))
    (broken / "ORG004.yaml").write_text((broken / "ORG004.yaml").read_text().replace("[agent, agent_runtime]", "[agnet]"))
    for argv in (
        ["scp", "build", "--out", str(tmp_path / "scp")],
        ["checkov-dir", "--out", str(tmp_path / "ckv")],
        ["docs", "--out", str(tmp_path / "docs")],
    ):
        rc, _, err = _run(capsys, *argv, "--policies", str(broken))
        assert rc == 2 and "ORG004.yaml:5: unknown resource kind 'agnet'" in err, (argv, err)
        assert not (tmp_path / argv[argv.index("--out") + 1]).exists(), argv


def test_checkov_dir_writes_checks_for_the_single_resource_user_policies(tmp_path, capsys):
    rc, out, err = _run(capsys, "checkov-dir", "--policies", str(EXAMPLE), "--out", str(tmp_path))
    assert rc == 0, err
    names = {p.name for p in tmp_path.glob("agentgov_org*.py")}
    assert names == {"agentgov_org001.py", "agentgov_org003.py", "agentgov_org004.py"}  # ORG002 judges agent functions
    text = (tmp_path / "agentgov_org003.py").read_text()
    assert f"use_policy_dirs(({str(EXAMPLE.resolve())!r},))" in text
    readme = (tmp_path / "README.txt").read_text()
    assert "ORG002" in readme and "agent function" in readme


def test_a_title_cannot_inject_code_into_a_generated_check(tmp_path, capsys):
    pack = tmp_path / "pack"
    pack.mkdir()
    evil = (
        (EXAMPLE / "ORG004.yaml")
        .read_text()
        .replace(
            "title: Every agent carries a data-classification tag",
            'title: \'x"""; import os; os.system("touch pwned"); """\'',
        )
    )
    (pack / "ORG004.yaml").write_text(evil)
    rc, _, err = _run(capsys, "checkov-dir", "--policies", str(pack), "--out", str(tmp_path / "ckv"))
    assert rc == 0, err
    tree = ast.parse((tmp_path / "ckv" / "agentgov_org004.py").read_text())
    calls = [n for n in ast.walk(tree) if isinstance(n, ast.Call)]
    assert {c.func.id if isinstance(c.func, ast.Name) else c.func.attr for c in calls} <= {
        "use_policy_dirs",
        "ORG004CloudFormation",
        "ORG004Terraform",
        "__init__",
        "super",
    }  # no os.system: the title stayed inside the docstring
    assert "os.system" in ast.get_docstring(tree)


def test_the_checkov_runtime_judges_a_user_policy(monkeypatch):
    monkeypatch.setattr(checkov_pack, "_POLICY_DIRS", [])
    monkeypatch.setattr(checkov_pack, "_STATE", {})
    conf = {"AgentName": "a", "FoundationModel": "amazon.nova-pro-v1:0", "Tags": {"owner": "x"}}
    res, inv, _ = checkov_pack.cfn_resources({"Type": "AWS::Bedrock::Agent", "Properties": conf}, "Agent", "/t.yaml")
    checkov_pack.use_policy_dirs((str(EXAMPLE.resolve()),))
    status, msgs = checkov_pack.judge("ORG004", ("agent",), res, inv)
    assert status == "FAIL" and msgs == ["the agent has no data-classification tag"]


def _checkov_python() -> str | None:
    import os

    env = os.environ.get("AGENTGOV_CHECKOV_PYTHON")
    ci = REPO / ".ci" / ".venv-checkov" / "bin" / "python"
    return env or (str(ci) if ci.exists() else None)


@pytest.mark.slow
def test_checkov_runs_the_user_checks(tmp_path):
    py = _checkov_python()
    if py is None:
        pytest.skip("no checkov environment: set AGENTGOV_CHECKOV_PYTHON, or run .ci/run (creates .ci/.venv-checkov)")
    work = tmp_path / "work"
    shutil.copytree(FIXTURES / "ORG003", work)
    checks = tmp_path / "checks"
    r = subprocess.run(
        [sys.executable, "-m", "agentgov.cli", "checkov-dir", "--policies", str(EXAMPLE), "--out", str(checks)],
        capture_output=True,
        text=True,
        cwd=work,
    )
    assert r.returncode == 0, r.stderr
    r = subprocess.run(
        [
            py,
            "-m",
            "checkov.main",
            "-d",
            ".",
            "--external-checks-dir",
            str(checks),
            "--framework",
            "cloudformation",
            "terraform",
            "--check",
            "ORG003",
            "-o",
            "json",
            "--skip-download",
        ],  # fmt: skip
        capture_output=True,
        text=True,
        cwd=work,
        timeout=300,
    )
    assert r.returncode in (0, 1), r.stderr[-2000:]
    data = json.loads(r.stdout)
    reports = data if isinstance(data, list) else [data]
    got = set()
    for rep in reports:
        for kind, key in (("failed_checks", "FAILED"), ("passed_checks", "PASSED")):
            for c in rep.get("results", {}).get(kind, []):
                got.add((c["check_id"], c["resource"].rsplit(".", 1)[-1] if "." in c["resource"] else c["resource"], key))
    assert ("ORG003", "VendorTools", "FAILED") in got and ("ORG003", "InternalTools", "PASSED") in got, got
    assert ("ORG003", "vendor", "FAILED") in got and ("ORG003", "internal", "PASSED") in got, got


@pytest.mark.slow
def test_audit_judges_live_records_with_a_user_policy(tmp_path, capsys):
    pytest.importorskip("moto")
    pack = tmp_path / "pack"
    shutil.copytree(EXAMPLE, pack, ignore=shutil.ignore_patterns("fixtures"))
    rc, out, err = _run(capsys, "audit", "--demo", "--policies", str(pack), "--policy", "ORG004", "--format", "json")
    report = json.loads(out)
    mine = [f for f in report["findings"] if f["policy_id"] == "ORG004"]
    assert mine, err[-2000:]
    assert {f["status"] for f in mine} <= {"PASS", "FAIL"}
    assert all(f["account"] for f in mine)  # live records: each finding names its account
    assert report["configuration"]["policies"]["user_packs"][0]["policies"] == ["ORG001", "ORG002", "ORG003", "ORG004"]
