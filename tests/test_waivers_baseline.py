"""Waiver files (owner, reason, expiry; expired waivers FAIL) and baselines (only new findings fail)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from agentgov.cli.main import main
from agentgov.reports import sarif
from agentgov.scanner.config import Config, effective_parameters
from agentgov.scanner.engine import scan
from agentgov.scanner.findings import Status
from agentgov.scanner.suppress import SuppressionError, apply_waivers, load_baseline, load_waivers

REPO = Path(__file__).resolve().parents[1]
EXIT_OK, EXIT_FAIL, EXIT_USAGE = 0, 1, 2

CFN = """\
Resources:
  Agent:
    Type: AWS::Bedrock::Agent
    Properties:
      AgentName: a
      Tags: {owner: a, environment: b, data-classification: c}
  Other:
    Type: AWS::Bedrock::Agent
    Properties:
      AgentName: b
      Tags: {owner: a, environment: b, data-classification: c}
"""


@pytest.fixture
def work(tmp_path, monkeypatch):
    (tmp_path / "stack.yaml").write_text(CFN)
    monkeypatch.chdir(tmp_path)
    return tmp_path


#: an expiry within the waiver_max_days default (365) of any day the suite runs
SOON = (dt.date.today() + dt.timedelta(days=90)).isoformat()


def _waivers(path: Path, *entries: str) -> Path:
    path.write_text("waivers:\n" + "".join(entries))
    return path


def _entry(resource="Agent", expires=SOON, policy="AG201", extra=""):
    return f"  - policy: {policy}\n    resource: {resource}\n    owner: secops@example.com\n    reason: guardrail enforced by an Organizations Bedrock policy\n    expires: {expires}\n{extra}"


def _scan(pack, **kw):
    return scan([Path(".")], pack, effective_parameters(Config(), pack.parameters), only=["AG201"], **kw)


def test_a_valid_waiver_suppresses_with_owner_and_expiry(work, pack):
    w = load_waivers(_waivers(work / "w.yaml", _entry()))
    r = _scan(pack, waivers=w)
    by_res = {f.resource_id: f for f in r.findings}
    assert by_res["Agent"].status == Status.SUPPRESSED
    assert by_res["Agent"].suppression == {
        "kind": "waiver",
        "reason": "guardrail enforced by an Organizations Bedrock policy",
        "owner": "secops@example.com",
        "expires": SOON,
        "source": "w.yaml:2",
    }
    assert by_res["Other"].status == Status.FAIL  # the waiver names one resource only
    res = sarif.render(r)["runs"][0]["results"]
    sup = next(x for x in res if x["locations"][0]["logicalLocations"][0]["fullyQualifiedName"] == "Agent")
    assert sup["suppressions"][0]["kind"] == "external"
    assert sup["suppressions"][0]["properties"]["owner"] == "secops@example.com"


def test_an_expired_waiver_is_a_fail_naming_the_waiver(work, pack):
    w = load_waivers(_waivers(work / "w.yaml", _entry(expires="2020-01-31")))
    r = _scan(pack, waivers=w)
    f = next(f for f in r.findings if f.resource_id == "Agent")
    assert f.status == Status.FAIL
    assert "w.yaml:2" in f.message and "expired" in f.message and "secops@example.com" in f.message
    assert f.evidence["expired_waiver"]["expires"] == "2020-01-31"
    assert [x.source for x in r.waivers.expired] == ["w.yaml:2"]


def test_the_expiry_day_itself_is_still_covered(work, pack):
    findings = _scan(pack).findings
    w = load_waivers(_waivers(work / "w.yaml", _entry(expires="2026-06-30")))
    on_the_day = apply_waivers(findings, w, today=dt.date(2026, 6, 30)).findings
    day_after = apply_waivers(findings, w, today=dt.date(2026, 7, 1)).findings
    assert {f.status for f in on_the_day if f.resource_id == "Agent"} == {Status.SUPPRESSED}
    assert {f.status for f in day_after if f.resource_id == "Agent"} == {Status.FAIL}


def test_globs_fingerprints_and_files(work, pack):
    fp = next(f.fingerprint for f in _scan(pack).findings if f.resource_id == "Other")
    w = load_waivers(
        _waivers(
            work / "w.yaml",
            f"  - policy: AG201\n    fingerprint: {fp}\n    owner: o\n    reason: r\n    expires: {SOON}\n",
            _entry(resource="Ag*", extra="    file: nothere/*.yaml\n"),
        )
    )
    r = _scan(pack, waivers=w)
    by_res = {f.resource_id: f.status for f in r.findings}
    assert by_res == {"Agent": Status.FAIL, "Other": Status.SUPPRESSED}
    assert [x.source for x in r.waivers.unused] == ["w.yaml:7"]  # the file glob matched nothing


@pytest.mark.parametrize(
    "text, needle",
    [
        (
            f"waivers:\n  - policy: AG201\n    owner: o\n    reason: r\n    expires: {SOON}\n",
            "needs a 'resource' or a 'fingerprint'",
        ),
        (f"waivers:\n  - policy: AG201\n    resource: a\n    owner: o\n    expires: {SOON}\n", "waivers.0.reason"),
        (
            "waivers:\n  - policy: AG201\n    resource: a\n    owner: o\n    reason: r\n    expires: someday\n",
            "waivers.0.expires",
        ),
        (
            f"waivers:\n  - policy: XX1\n    resource: a\n    owner: o\n    reason: r\n    expires: {SOON}\n",
            "waivers.0.policy",
        ),
        ("waivers: [\n", "invalid YAML"),
        (
            f"waivers:\n  - policy: '*'\n    resource: '*'\n    owner: o\n    reason: r\n    expires: {SOON}\n",
            "w.yaml:2: policy '*' would waive every policy",
        ),
        (
            "waivers:\n  - policy: AG201\n    resource: a\n    owner: o\n    reason: r\n    expires: 2099-12-31\n",
            "w.yaml:2: expires 2099-12-31 is more than 365 days away (waiver_max_days)",
        ),
        ("waiver: []\n", "waiver"),
    ],
)
def test_bad_waiver_files_are_usage_errors_naming_file_and_field(work, capsys, text, needle):
    (work / "w.yaml").write_text(text)
    with pytest.raises(SuppressionError, match="w.yaml"):
        load_waivers(work / "w.yaml")
    assert main(["scan", ".", "--waivers", "w.yaml"]) == EXIT_USAGE
    err = capsys.readouterr().err
    assert "w.yaml" in err and needle in err and "Traceback" not in err


def test_cli_waivers_from_configuration(work, capsys):
    _waivers(work / "waivers.yaml", _entry(), _entry(resource="Other"))
    (work / "agentgov.toml").write_text('[agentgov]\nwaivers = "waivers.yaml"\npolicies = ["AG201"]\n')
    assert main(["scan", "."]) == EXIT_OK
    assert "SUPPRESSED" in capsys.readouterr().out


def test_baseline_fails_only_on_new_findings(work, capsys):
    # writing the baseline asked for succeeds (exit 0): its findings are the accepted ones (it was exit 1)
    assert main(["scan", ".", "--policy", "AG201", "--write-baseline", "bl.json"]) == EXIT_OK
    assert "wrote 2 finding(s) to baseline bl.json" in capsys.readouterr().err
    assert len(load_baseline(work / "bl.json")) == 2
    assert main(["scan", ".", "--policy", "AG201", "--baseline", "bl.json"]) == EXIT_OK  # nothing new
    # a change adds a third agent without a guardrail: only that one is new, and it fails the run
    (work / "more.yaml").write_text(CFN.replace("Agent:", "Third:", 1).replace("  Other:", "  Fourth:"))
    assert main(["scan", ".", "--policy", "AG201", "--baseline", "bl.json", "-f", "sarif", "-o", "out.sarif"]) == EXIT_FAIL
    states = {
        r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
        + "#"
        + r["locations"][0]["logicalLocations"][0]["fullyQualifiedName"]: r.get("baselineState")
        for r in json.loads((work / "out.sarif").read_text())["runs"][0]["results"]
    }
    assert states == {
        "stack.yaml#Agent": "unchanged",
        "stack.yaml#Other": "unchanged",
        "more.yaml#Third": "new",
        "more.yaml#Fourth": "new",
    }
    assert "2 new, 2 unchanged, 0 no longer found" in capsys.readouterr().err


def test_baseline_survives_line_changes_and_counts_fixed_findings(work, capsys):
    main(["scan", ".", "--policy", "AG201", "--write-baseline", "bl.json"])
    (work / "stack.yaml").write_text(
        "# moved\n\n"
        + CFN.replace(
            "      AgentName: b\n",
            "      AgentName: b\n      GuardrailConfiguration: {GuardrailIdentifier: g, GuardrailVersion: '1'}\n",
        )
    )
    capsys.readouterr()
    assert main(["scan", ".", "--policy", "AG201", "--baseline", "bl.json", "-f", "json", "-o", "r.json"]) == EXIT_OK
    report = json.loads((work / "r.json").read_text())
    assert report["baseline"] == {"new": 0, "unchanged": 1, "absent": 1}
    assert {f["resource_id"]: f["baseline_state"] for f in report["findings"]} == {"Agent": "unchanged", "Other": None}


@pytest.mark.parametrize("text", ["not json", '{"findings": []}', '{"agentgov_baseline": 1, "findings": [{"policy": "AG201"}]}'])
def test_bad_baseline_is_a_usage_error(work, capsys, text):
    (work / "bl.json").write_text(text)
    assert main(["scan", ".", "--baseline", "bl.json"]) == EXIT_USAGE
    err = capsys.readouterr().err
    assert "bl.json" in err and "Traceback" not in err


def test_config_show_prints_every_parameter_with_its_source(work, capsys):
    (work / "agentgov.toml").write_text(
        '[agentgov]\nseverity_threshold = "high"\n[agentgov.parameters]\nrequired_tags = ["owner"]\n'
    )
    assert main(["config", "show"]) == EXIT_OK
    out = capsys.readouterr().out
    assert 'severity_threshold = "high"  # agentgov.toml' in out
    assert 'required_tags = ["owner"]  # agentgov.toml' in out
    assert "fail_on_unknown = false  # default" in out
    import tomllib

    parsed = tomllib.loads(out)  # what it prints is a valid agentgov.toml
    assert parsed["agentgov"]["parameters"]["required_tags"] == ["owner"]
    assert main(["config", "show", "--format", "json"]) == EXIT_OK
    eff = json.loads(capsys.readouterr().out)
    assert eff["parameters"]["required_tags"] == {"value": ["owner"], "from": "agentgov.toml"}


def test_config_show_reports_a_bad_configuration(work, capsys):
    (work / "agentgov.toml").write_text('[agentgov]\nseverity_threshold = "severe"\n')
    assert main(["config", "show"]) == EXIT_USAGE
    err = capsys.readouterr().err
    assert "agentgov.toml" in err and "severity_threshold" in err


def test_the_longest_waiver_is_configurable(work, capsys):
    far = (dt.date.today() + dt.timedelta(days=500)).isoformat()
    _waivers(work / "waivers.yaml", _entry(expires=far))
    (work / "agentgov.toml").write_text('[agentgov]\nwaivers = "waivers.yaml"\npolicies = ["AG201"]\n')
    assert main(["scan", "."]) == EXIT_USAGE
    assert "is more than 365 days away" in capsys.readouterr().err
    (work / "agentgov.toml").write_text('[agentgov]\nwaivers = "waivers.yaml"\npolicies = ["AG201"]\nwaiver_max_days = 730\n')
    assert main(["scan", "."]) != EXIT_USAGE
    (work / "agentgov.toml").write_text("[agentgov]\nwaiver_max_days = 0\n")
    assert main(["scan", "."]) == EXIT_USAGE
    assert "waiver_max_days: must be between 1 and 3650" in capsys.readouterr().err
