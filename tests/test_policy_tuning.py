"""Tuning built-in policies without forking them (issue 18, item 2): ``[agentgov.overrides.ID]`` disables a policy,
changes its severity or sets a parameter for it alone; ``config show``, the reports and the evidence record it, and the
pack digest covers it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from agentgov.cli.main import main
from agentgov.scanner.pack import load_effective

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


@pytest.fixture
def repo(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    Path("agent.yaml").write_text(TEMPLATE)
    return tmp_path


def _toml(text: str) -> None:
    Path("agentgov.toml").write_text("[agentgov]\n" + text)


def _scan(capsys, *extra: str) -> tuple[int, dict, str]:
    capsys.readouterr()
    rc = main(["scan", "agent.yaml", "--format", "json", *extra])
    out, err = capsys.readouterr()
    return rc, json.loads(out) if out.strip() else {}, err


def _of(report: dict, pid: str) -> list[dict]:
    return [f for f in report["findings"] if f["policy_id"] == pid]


def test_disable_a_builtin(repo, capsys):
    _, before, _ = _scan(capsys)
    assert _of(before, "AG201")
    _toml("[agentgov.overrides.AG201]\nenabled = false\n")
    _, after, _ = _scan(capsys)
    assert not _of(after, "AG201")
    assert "AG201" not in after["policies"]
    assert after["configuration"]["policies"]["tuning"] == {"AG201": {"disabled": True}}
    assert after["tool"]["policy_pack_digest"] != before["tool"]["policy_pack_digest"]


def test_change_a_builtins_severity(repo, capsys):
    _, before, _ = _scan(capsys)
    assert {f["severity"] for f in _of(before, "AG201")} == {"high"}
    _toml('[agentgov.overrides.AG201]\nseverity = "low"\n')
    _, after, _ = _scan(capsys)
    assert {f["severity"] for f in _of(after, "AG201")} == {"low"}
    assert after["configuration"]["policies"]["tuning"] == {"AG201": {"severity": "high -> low"}}
    capsys.readouterr()
    main(["scan", "agent.yaml", "--format", "sarif"])
    sarif = json.loads(capsys.readouterr()[0])
    assert sarif["runs"][0]["properties"]["policies"]["tuning"] == {"AG201": {"severity": "high -> low"}}
    rule = next(r for r in sarif["runs"][0]["tool"]["driver"]["rules"] if r["id"] == "AG201")
    assert rule["defaultConfiguration"]["level"] == "note"


def test_a_parameter_for_one_policy_only(repo, capsys):
    _, before, _ = _scan(capsys)
    assert {f["status"] for f in _of(before, "AG802")} == {"UNKNOWN"}  # approved_models has no default
    _toml('[agentgov.overrides.AG802]\nparameters = { approved_models = ["anthropic.claude-v2"] }\n')
    _, after, _ = _scan(capsys)
    assert {f["status"] for f in _of(after, "AG802")} == {"PASS"}
    assert after["configuration"]["parameters"]["approved_models"]["value"] is None  # the global one is unchanged
    assert after["configuration"]["policies"]["tuning"] == {"AG802": {"parameters": {"approved_models": ["anthropic.claude-v2"]}}}
    capsys.readouterr()
    assert main(["config", "show"]) == 0
    shown = capsys.readouterr()[0]
    assert '#   AG802: parameters { "approved_models" = ["anthropic.claude-v2"] }' in shown
    import tomllib

    assert tomllib.loads(shown)["agentgov"]["overrides"] == {
        "AG802": {"enabled": True, "parameters": {"approved_models": ["anthropic.claude-v2"]}}
    }  # what config show prints is a configuration that does the same


@pytest.mark.parametrize(
    ("toml", "reason"),
    [
        ("[agentgov.overrides.AG999]\nenabled = false\n", "overrides.AG999: no policy AG999"),
        ("[agentgov.overrides.AG201]\nparameters = { approved_models = [] }\n", "AG201 reads no parameter 'approved_models'"),
        ('[agentgov.overrides.AG802]\nparameters = { approved_models = "x" }\n', "expected a list, got str"),
        ('[agentgov.overrides.AG201]\nseverity = "urgent"\n', "overrides.AG201.severity"),
        ("[agentgov.overrides.AG201]\nenable = false\n", "enable"),
    ],
)
def test_a_bad_override_is_a_configuration_error(repo, capsys, toml, reason):
    _toml(toml)
    rc, _, err = _scan(capsys)
    assert rc == 2 and "configuration error" in err and reason in err, err


def test_config_show_and_the_evidence_record_the_tuning(repo, capsys):
    from agentgov.reports.evidence.sign import keygen

    keygen(repo / "keys")
    _toml('[agentgov.overrides.AG201]\nseverity = "low"\n[agentgov.overrides.AG803]\nenabled = false\n')
    capsys.readouterr()
    assert main(["config", "show", "--format", "json"]) == 0
    shown = json.loads(capsys.readouterr()[0])
    assert shown["policies"]["tuning"] == {"AG201": {"severity": "high -> low"}, "AG803": {"disabled": True}}
    assert shown["settings"]["overrides"]["value"]["AG803"]["enabled"] is False
    main(["scan", "agent.yaml", "--evidence", "ev", "--signing-key", "keys/agentgov-evidence.key.pem", "--format", "json"])
    conf = json.loads((repo / "ev" / "configuration.json").read_text())
    assert conf["policies"]["tuning"]["AG803"] == {"disabled": True}
    cov = json.loads((repo / "ev" / "coverage.json").read_text())
    assert cov["policy_tuning"]["AG201"] == {"severity": "high -> low"}
    html = (repo / "ev" / "report.html").read_text()
    assert "AG803 tuned by the configuration: disabled True" in html


def test_the_digest_covers_tuning_and_user_packs(repo):
    plain = load_effective(None).digest
    _toml('[agentgov.overrides.AG201]\nseverity = "low"\n')
    low = load_effective(Path("agentgov.toml")).digest
    _toml('[agentgov.overrides.AG201]\nseverity = "medium"\n')
    medium = load_effective(Path("agentgov.toml")).digest
    assert len({plain, low, medium}) == 3
