"""Hostile or mistaken inputs of every command: one line naming the file and the reason, the right exit code,
no traceback, nothing half-written (issue 15, the low list)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from agentgov.cli.main import main

REPO = Path(__file__).resolve().parents[1]
EXAMPLE = REPO / "examples/cloudformation/orders-agent.yaml"
DEEP_JSON = "[" * 100_000 + "]" * 100_000


def assert_usage_error(capsys, argv: list[str], *expect: str) -> str:
    capsys.readouterr()
    assert main(argv) == 2
    err = capsys.readouterr().err
    lines = [ln for ln in err.splitlines() if ln.strip()]
    assert len(lines) == 1 and "Traceback" not in err, err
    for e in expect:
        assert e in lines[0], lines[0]
    return lines[0]


def _waiver(tmp_path: Path, owner: str = "team", expires: str = "2027-02-01") -> Path:
    p = tmp_path / "w.yaml"
    p.write_text(
        f'waivers:\n  - policy: AG201\n    resource: "*"\n    reason: accepted\n    owner: "{owner}"\n    expires: {expires}\n'
    )
    return p


def test_a_waiver_date_the_calendar_does_not_have(tmp_path, capsys):
    assert_usage_error(
        capsys, ["scan", str(EXAMPLE), "--waivers", str(_waiver(tmp_path, expires="2027-02-30"))], "w.yaml", "day is out of range"
    )


def test_a_blank_waiver_owner(tmp_path, capsys):
    assert_usage_error(
        capsys, ["scan", str(EXAMPLE), "--waivers", str(_waiver(tmp_path, owner=" "))], "w.yaml", "waivers.0.owner"
    )


def test_a_pyproject_whose_tool_is_not_a_table(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "pyproject.toml").write_text("tool = 5\n")
    assert main(["scan", str(EXAMPLE)]) == 1  # no [tool.agentgov]: the defaults, as without a pyproject
    assert "Traceback" not in capsys.readouterr().err
    assert_usage_error(
        capsys, ["scan", str(EXAMPLE), "--config", "pyproject.toml"], "pyproject.toml", "no [tool.agentgov] section"
    )


@pytest.mark.parametrize(
    ("toml", "expect"),
    [
        ("required_tags = [1, 2]", "parameters.required_tags: item 0 is a int, expected a string"),
        ('session_table_pattern = "(["', "parameters.session_table_pattern: not a valid regular expression"),
        ('non_production_alias_pattern = "*x"', "parameters.non_production_alias_pattern: not a valid regular expression"),
    ],
)
def test_parameter_values_are_checked_one_by_one(tmp_path, capsys, toml, expect):
    cfg = tmp_path / "agentgov.toml"
    cfg.write_text(f"[agentgov.parameters]\n{toml}\n")
    assert_usage_error(capsys, ["scan", str(EXAMPLE), "--config", str(cfg)], "agentgov.toml", expect)


def test_a_configuration_nested_100k_deep(tmp_path, capsys):
    cfg = tmp_path / "agentgov.toml"
    cfg.write_text("[agentgov]\nx = " + "[" * 100_000 + "]" * 100_000 + "\n")
    assert_usage_error(capsys, ["scan", str(EXAMPLE), "--config", str(cfg)], "agentgov.toml")


def test_a_baseline_nested_100k_deep(tmp_path, capsys):
    b = tmp_path / "baseline.json"
    b.write_text(DEEP_JSON)
    assert_usage_error(capsys, ["scan", str(EXAMPLE), "--baseline", str(b)], "baseline.json", "nested too deeply")


def _live_report(tmp_path: Path) -> dict:
    def res(**kw):
        r = {"id": "arn:aws:bedrock:us-east-1:111122223333:agent/A", "arn": "arn:aws:bedrock:us-east-1:111122223333:agent/A",
             "kind": "agent", "type": "AWS::Bedrock::Agent", "name": "a", "account": "111122223333", "region": "us-east-1",
             "location": "aws://111122223333/us-east-1/a", "cloudformation": None, "tags_unknown": None, "parent": None}  # fmt: skip
        r.update(kw)
        return r

    return {
        "tool": {"name": "agentgov", "version": "x", "policy_pack_digest": "d"},
        "findings": [],
        "live_inventory": {"resources": [res()], "collected": [{"account": "111122223333", "region": "us-east-1", "kinds": []}]},
        "_res": res,
    }


@pytest.mark.parametrize(
    ("field", "value"), [("arn", ["arn:aws:x"]), ("account", 111122223333), ("name", {"a": 1}), ("region", 5)]
)
def test_drift_refuses_a_live_resource_of_the_wrong_types(tmp_path, capsys, field, value):
    doc = _live_report(tmp_path)
    res = doc.pop("_res")
    doc["live_inventory"]["resources"] = [res(**{field: value})]
    live = tmp_path / "live.json"
    live.write_text(json.dumps(doc))
    assert_usage_error(capsys, ["drift", "--iac", str(EXAMPLE), "--live", str(live)], "live.json: malformed live result", field)


def test_drift_refuses_a_live_result_nested_100k_deep(tmp_path, capsys):
    live = tmp_path / "live.json"
    live.write_text('{"tool": {}, "findings": ' + DEEP_JSON + "}")
    assert_usage_error(capsys, ["drift", "--iac", str(EXAMPLE), "--live", str(live)], "live.json", "nested too deeply")


def test_an_empty_accounts_file_is_a_usage_error(tmp_path, capsys):
    accounts = tmp_path / "accounts.txt"
    accounts.write_text("# nobody\n\n")
    assert_usage_error(capsys, ["audit", "--accounts", str(accounts), "--role-name", "R"], "accounts.txt: no account ids")


def test_a_directory_without_iac_is_not_a_clean_scan(tmp_path, capsys):
    (tmp_path / "README.md").write_text("nothing to scan\n")
    out = tmp_path / "r.json"
    assert_usage_error(capsys, ["scan", str(tmp_path), "--format", "json", "--output", str(out)], "no IaC files found")
    assert not out.exists()


# ------------------------------------------------------------------ evidence


@pytest.fixture
def bundle(tmp_path, monkeypatch):
    from agentgov.reports.evidence.sign import keygen

    monkeypatch.chdir(tmp_path)
    keygen(tmp_path / "keys")
    shutil.copy(EXAMPLE, tmp_path / "t.yaml")
    assert main(["scan", "t.yaml", "--evidence", "b1", "--signing-key", "keys/agentgov-evidence.key.pem"]) == 1
    return tmp_path / "b1"


PUB = "keys/agentgov-evidence.pub.pem"


def test_verify_refuses_a_private_or_non_pem_key(bundle, tmp_path, capsys):
    assert_usage_error(
        capsys, ["evidence", "verify", "b1", "--public-key", "keys/agentgov-evidence.key.pem"], "not a PEM public key"
    )
    (tmp_path / "x.pem").write_text("not a key\n")
    assert_usage_error(capsys, ["evidence", "verify", "b1", "--public-key", "x.pem"], "x.pem: not a PEM public key")


@pytest.mark.parametrize(
    ("edit", "expect"),
    [
        (lambda m: m["files"].__setitem__(0, 5), "files.0"),
        (lambda m: m.update(sequence="abc"), "sequence"),
        (lambda m: m.update(files={"a": 1}), "files"),
        (lambda m: m["files"][0].update(size="big"), "files.0.size"),
        (lambda m: m.update(signature=None), "signature"),
    ],
)
def test_verify_names_a_manifest_of_the_wrong_shape(bundle, capsys, edit, expect):
    m = json.loads((bundle / "manifest.json").read_text())
    edit(m)
    (bundle / "manifest.json").write_text(json.dumps(m))
    capsys.readouterr()
    assert main(["evidence", "verify", "b1", "--public-key", PUB]) == 1
    out, err = capsys.readouterr()
    assert "not an agentgov evidence manifest" in out and expect in out and "Traceback" not in err


def test_verify_of_a_manifest_nested_100k_deep(bundle, capsys):
    (bundle / "manifest.json").write_text('{"files": ' + DEEP_JSON + "}")
    assert main(["evidence", "verify", "b1", "--public-key", PUB]) == 1
    assert "not an agentgov evidence manifest" in capsys.readouterr().out


def test_verify_checks_the_signer_and_sizes_before_hashing(bundle, tmp_path, capsys, monkeypatch):
    from agentgov.reports.evidence import verify
    from agentgov.reports.evidence.sign import keygen

    hashed: list[str] = []
    real = verify.sha256_file
    monkeypatch.setattr(verify, "sha256_file", lambda p: hashed.append(p.name) or real(p))
    with (bundle / "report.html").open("a") as fh:
        fh.write("x" * 1_000_000)  # grown: the size says so without reading it
    assert main(["evidence", "verify", "b1", "--public-key", PUB]) == 1
    assert "report.html: size" in capsys.readouterr().out
    assert "report.html" not in hashed
    keygen(tmp_path / "other", name="other")
    hashed.clear()
    assert main(["evidence", "verify", "b1", "--public-key", "other/other.pub.pem"]) == 1
    assert "which is not a trusted key" in capsys.readouterr().out
    assert hashed == []  # nothing hashed for a signer nobody trusts


def test_publish_refuses_a_retention_that_ends_in_the_past(bundle, capsys):
    assert_usage_error(capsys, ["evidence", "publish", "b1", "--bucket", "b", "--retention-days", "0"], "--retention-days 0")


def test_build_refuses_a_crafted_report_and_leaves_no_directory(bundle, tmp_path, capsys):
    crafted = tmp_path / "crafted.json"
    crafted.write_text(json.dumps({"tool": {}, "findings": [5], "summary": 3}))
    assert_usage_error(
        capsys,
        ["evidence", "build", "--from", str(crafted), "--out", "b9", "--signing-key", "keys/agentgov-evidence.key.pem"],
        "crafted.json: not an agentgov JSON report",
    )
    assert not (tmp_path / "b9").exists()


def _receipt(bundle: Path, prefix: str, names: list[str]) -> None:
    objects = [{"key": f"{prefix}/{n}", "version_id": "v1"} for n in names]
    (bundle / "receipt.json").write_text(json.dumps({"bucket": "b", "prefix": prefix, "objects": objects}))


def test_a_receipt_that_is_not_this_bundles_upload_fails_verification(bundle, capsys):
    from agentgov.reports.evidence.bundle import manifest_hash

    m = json.loads((bundle / "manifest.json").read_text())
    names = [f["path"] for f in m["files"]] + ["manifest.json", "manifest.sig", "signer.pub.pem"]
    tail = f"{m['sequence']:06d}-{manifest_hash(bundle).split(':', 1)[1][:16]}"
    _receipt(bundle, f"shop/{tail}", names)
    assert main(["evidence", "verify", "b1", "--public-key", PUB]) == 0
    _receipt(bundle, "shop/000000-0123456789abcdef", names)  # another bundle's upload
    capsys.readouterr()
    assert main(["evidence", "verify", "b1", "--public-key", PUB]) == 1
    assert "receipt.json: its prefix" in capsys.readouterr().out
    _receipt(bundle, f"shop/{tail}", names[1:])  # a file missing from the upload
    assert main(["evidence", "verify", "b1", "--public-key", PUB]) == 1
    assert "receipt.json: its objects are not this bundle's files" in capsys.readouterr().out
    (bundle / "receipt.json").write_text("[1]")
    assert main(["evidence", "verify", "b1", "--public-key", PUB]) == 1
    assert "receipt.json: not a publish receipt" in capsys.readouterr().out


def test_a_reader_that_goes_away_is_exit_141_without_a_traceback(tmp_path):
    import subprocess
    import sys

    proc = subprocess.Popen(
        [sys.executable, "-m", "agentgov.cli", "scan", str(REPO / "examples"), "--format", "json"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert proc.stdout is not None and proc.stderr is not None
    proc.stdout.read(10)
    proc.stdout.close()  # as `| head -c 10` does
    err = proc.stderr.read().decode()
    assert proc.wait(120) == 141
    assert "Traceback" not in err and "BrokenPipeError" not in err
