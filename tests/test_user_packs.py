"""User policy packs (issue 18, item 1): loaded from ``policy_paths`` and ``--policies``, checked at load time like the
built-in pack (file, line and reason), and a broken user policy never silences the built-in pack."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from agentgov.cli.main import main
from agentgov.scanner.pack import load_effective

REPO = Path(__file__).resolve().parents[1]
EXIT_USAGE = 2

POLICY = """\
id: {id}
title: Agents use one of our approved models
severity: high
pillar: govern
resource: [agent]
rationale: The platform team supports two models; any other is unreviewed.
remediation:
  summary: Use one of the approved models.
  cloudformation: "FoundationModel: anthropic.claude-3-5-sonnet-20240620-v1:0"
  terraform: 'foundation_model = "anthropic.claude-3-5-sonnet-20240620-v1:0"'
check:
  attr: foundation_model
  op: in
  value: [anthropic.claude-3-5-sonnet-20240620-v1:0, amazon.nova-pro-v1:0]
  message: "model {{value}} is not an approved model"
"""

TEMPLATE = """\
AWSTemplateFormatVersion: "2010-09-09"
Resources:
  Agent:
    Type: AWS::Bedrock::Agent
    Properties:
      AgentName: support
      FoundationModel: anthropic.claude-v2
      AgentResourceRoleArn: arn:aws:iam::123456789012:role/agent
"""


def _pack(tmp_path: Path, files: dict[str, str], name: str = "team") -> Path:
    d = tmp_path / name
    d.mkdir(parents=True, exist_ok=True)
    for fname, text in files.items():
        (d / fname).write_text(text)
    return d


def _run(capsys, argv: list[str]) -> tuple[int, str, str]:
    rc = main(argv)
    out, err = capsys.readouterr()
    return rc, out, err


def test_policy_paths_in_the_configuration_are_relative_to_the_config_file(tmp_path, monkeypatch, capsys):
    repo = tmp_path / "repo"
    _pack(repo / "governance", {"ORG001.yaml": POLICY.format(id="ORG001")}, "policies")
    (repo / "agentgov.toml").write_text('[agentgov]\npolicy_paths = ["governance/policies"]\n')
    (tmp_path / "agent.yaml").write_text(TEMPLATE)
    monkeypatch.chdir(tmp_path)  # elsewhere: the path is the config file's, not the working directory's
    rc, out, _ = _run(capsys, ["scan", "agent.yaml", "--config", "repo/agentgov.toml", "--format", "json"])
    report = json.loads(out)
    org = [f for f in report["findings"] if f["policy_id"] == "ORG001"]
    assert [f["status"] for f in org] == ["FAIL"] and "anthropic.claude-v2 is not an approved model" in org[0]["message"]
    assert rc == 1
    packs = report["configuration"]["policies"]["user_packs"]
    assert [p["policies"] for p in packs] == [["ORG001"]]


def test_policies_option_is_repeatable_and_sources_are_recorded(tmp_path):
    a = _pack(tmp_path, {"ORG001.yaml": POLICY.format(id="ORG001")}, "a")
    b = _pack(tmp_path, {"SEC010.yaml": POLICY.format(id="SEC010")}, "b")
    pack = load_effective(None, [a, b])
    assert pack.sources["ORG001"] == str(a) and pack.sources["SEC010"] == str(b) and pack.sources["AG101"] == "built-in"
    assert not pack.not_loaded


def test_user_policies_change_the_pack_digest(tmp_path):
    base = load_effective(None, [])
    one = load_effective(None, [_pack(tmp_path, {"ORG001.yaml": POLICY.format(id="ORG001")})])
    assert one.digest != base.digest
    (tmp_path / "team" / "ORG001.yaml").write_text(POLICY.format(id="ORG001").replace("severity: high", "severity: low"))
    assert load_effective(None, [tmp_path / "team"]).digest != one.digest


BAD = [
    # (file name, text, the line the error names, what the reason says)
    (
        "ORG001.yaml",
        POLICY.format(id="ORG001").replace("resource: [agent]", "resource: [agnet]"),
        5,
        "unknown resource kind 'agnet'",
    ),
    (
        "ORG001.yaml",
        POLICY.format(id="ORG001").split("check:")[0] + "check:\n  analyzer: least_privileges\n",
        12,
        "unknown analyzer 'least_privileges'",
    ),
    (
        "ORG001.yaml",
        POLICY.format(id="ORG001").replace("attr: foundation_model", "attr: foundation_modle"),
        12,
        "'foundation_modle' is not an attribute path of kind agent",
    ),
    (
        "ORG001.yaml",
        POLICY.format(id="ORG001").replace(
            "  op: in\n  value: [anthropic.claude-3-5-sonnet-20240620-v1:0, amazon.nova-pro-v1:0]",
            "  op: in\n  param: our_models",
        ),
        14,
        "condition uses parameter 'our_models' that the policy does not declare",
    ),
    (
        "ORG001.yaml",
        POLICY.format(id="ORG001").replace("check:", "parameters: [our_models]\ncheck:"),
        11,
        "unknown parameter 'our_models'",
    ),
    ("ORG001.yaml", POLICY.format(id="ORG001").replace("severity: high", "severity: urgent"), 3, "severity"),
    ("AG101.yaml", POLICY.format(id="AG101"), 1, "duplicate policy id AG101: the built-in pack has a policy with this id"),
    ("AG999.yaml", POLICY.format(id="AG999"), 1, "in the AG namespace"),
    ("org1.yaml", POLICY.format(id="org1"), 1, "not a team prefix"),
    ("ORG002.yaml", POLICY.format(id="ORG001"), 1, "file is named ORG002 but declares id ORG001"),
]


@pytest.mark.parametrize(("name", "text", "line", "reason"), BAD, ids=[b[3][:40] for b in BAD])
def test_a_load_error_names_file_line_and_reason(tmp_path, name, text, line, reason):
    d = _pack(tmp_path, {name: text})
    pack = load_effective(None, [d])
    assert len(pack.not_loaded) == 1, pack.not_loaded
    msg = pack.not_loaded[0]
    assert msg.startswith(f"{d / name}:{line}: "), msg
    assert reason in msg
    assert "AG101" in pack.policies and pack.sources["AG101"] == "built-in"  # the built-in pack is whole


def test_a_duplicate_id_across_user_packs_is_refused(tmp_path):
    a = _pack(tmp_path, {"ORG001.yaml": POLICY.format(id="ORG001")}, "a")
    b = _pack(tmp_path, {"ORG001.yaml": POLICY.format(id="ORG001")}, "b")
    pack = load_effective(None, [a, b])
    assert pack.sources["ORG001"] == str(a)
    assert pack.not_loaded == [f"{b / 'ORG001.yaml'}:1: duplicate policy id ORG001: {a} has a policy with this id"]


def test_yaml_tags_that_build_objects_are_refused_not_run(tmp_path):
    marker = tmp_path / "ran"
    evil = POLICY.format(id="ORG001").replace(
        "title: Agents use one of our approved models",
        f"title: !!python/object/apply:os.system ['touch {marker}']",
    )
    pack = load_effective(None, [_pack(tmp_path, {"ORG001.yaml": evil})])
    assert not marker.exists()
    assert len(pack.not_loaded) == 1 and "cannot read policy file" in pack.not_loaded[0]
    assert "ORG001" not in pack.policies


def test_a_broken_user_policy_exits_2_but_the_builtins_run_and_report(tmp_path, capsys):
    d = _pack(
        tmp_path,
        {
            "ORG001.yaml": POLICY.format(id="ORG001"),
            "ORG002.yaml": POLICY.format(id="ORG002").replace("resource: [agent]", "resource: [agnet]"),
        },
    )
    (tmp_path / "agent.yaml").write_text(TEMPLATE)
    rc, out, err = _run(capsys, ["scan", str(tmp_path / "agent.yaml"), "--policies", str(d), "--format", "json"])
    assert rc == EXIT_USAGE
    assert err.count("policy pack error") == 1 and f"{d / 'ORG002.yaml'}:5: unknown resource kind 'agnet'" in err
    report = json.loads(out)
    ran = {f["policy_id"] for f in report["findings"]}
    assert "ORG001" in ran and "AG201" in ran  # the other user policy and the built-ins judged the agent
    assert report["configuration"]["policies"]["not_loaded"] == [f"{d / 'ORG002.yaml'}:5: unknown resource kind 'agnet'"]


def test_the_text_report_says_what_ran_and_what_was_not_loaded(tmp_path, capsys):
    d = _pack(
        tmp_path,
        {
            "ORG001.yaml": POLICY.format(id="ORG001"),
            "ORG002.yaml": POLICY.format(id="ORG002").replace("resource: [agent]", "resource: [agnet]"),
        },
    )
    (tmp_path / "agent.yaml").write_text(TEMPLATE)
    rc, out, _ = _run(capsys, ["scan", str(tmp_path / "agent.yaml"), "--policies", str(d)])
    assert rc == EXIT_USAGE
    assert f"  user pack {d}: 1 policies (ORG001)" in out
    assert f"  NOT LOADED (did not run): {d / 'ORG002.yaml'}:5: unknown resource kind 'agnet'" in out


def test_a_user_pack_that_is_not_a_directory_is_named(tmp_path, capsys):
    (tmp_path / "agent.yaml").write_text(TEMPLATE)
    rc, out, err = _run(capsys, ["scan", str(tmp_path / "agent.yaml"), "--policies", str(tmp_path / "nope"), "--format", "json"])
    assert rc == EXIT_USAGE and "nope: user policy pack is not a directory" in err
    assert json.loads(out)["findings"]


def test_severity_pillar_remediation_and_frameworks_work_as_for_builtins(tmp_path, capsys):
    d = _pack(
        tmp_path,
        {
            "ORG001.yaml": POLICY.format(id="ORG001"),
            "frameworks.yaml": "frameworks:\n  internal:\n    title: Platform standard\n    url: https://example.com/std\n"
            "    controls:\n      PS-1:\n        title: Approved models\n        policies: [ORG001]\n",
        },
    )
    pack = load_effective(None, [d])
    assert [m.control for m in pack.mappings("ORG001")] == ["PS-1"]
    (tmp_path / "agent.yaml").write_text(TEMPLATE)
    rc, out, _ = _run(capsys, ["scan", str(tmp_path / "agent.yaml"), "--policies", str(d), "--format", "sarif"])
    rules = {r["id"]: r for r in json.loads(out)["runs"][0]["tool"]["driver"]["rules"]}
    assert "ORG001" in rules and rules["ORG001"]["shortDescription"]["text"] == "Agents use one of our approved models"
    assert "approved models" in json.dumps(rules["ORG001"]).lower()
    os.environ.pop("AGENTGOV_TEST_UNUSED", None)


@pytest.mark.slow
def test_the_attribute_path_table_is_generated_from_the_normalizer():
    """scanner/data/attribute_paths.json is what tests/attribute_paths.py generates (after a normalizer or cfn-lint
    change: python tests/attribute_paths.py, then review the diff)."""
    pytest.importorskip("cfnlint")
    import attribute_paths

    assert attribute_paths.OUT.read_text(encoding="utf-8") == attribute_paths.text(), "run: python tests/attribute_paths.py"
