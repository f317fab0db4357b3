"""boto3 is the optional extra ``aws``: the commands that need it say so and exit 2 when it is missing or too old."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from agentgov.audit import aws_dependency
from agentgov.cli.main import main

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture
def no_boto3(monkeypatch):
    real = aws_dependency.find_spec
    monkeypatch.setattr(aws_dependency, "find_spec", lambda name: None if name in ("boto3", "botocore") else real(name))


@pytest.mark.parametrize(
    "argv, what",
    [
        (["audit", "--demo"], "agentgov audit needs boto3"),
        (["audit", "--org"], "agentgov audit needs boto3"),
        (["scp", "deploy", "--target", "r-abcd", "--dry-run"], "agentgov scp deploy needs boto3"),
        (
            ["config-rules", "build", "--out", "unused"],
            "agentgov config-rules build (it reads botocore's AWS Config model) needs boto3",
        ),
        (["evidence", "publish", "bundle", "--bucket", "b"], "agentgov evidence publish needs boto3"),
        (["evidence", "verify", "s3://b/p"], "agentgov evidence verify s3://... needs boto3"),
    ],
)
def test_commands_that_talk_to_aws_name_the_extra(no_boto3, capsys, tmp_path, monkeypatch, argv, what):
    monkeypatch.chdir(tmp_path)
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert (
        f"{what}: install agentgov with its aws extra (in the agentgov repository: pip install '.[aws]')" in err
        and "Traceback" not in err
    )
    assert not (tmp_path / "unused").exists()


def test_kms_signing_names_the_extra(no_boto3, capsys, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "t.yaml").write_text("Resources:\n  B: {Type: AWS::S3::Bucket}\n")
    assert main(["scan", "t.yaml", "--evidence", str(tmp_path / "ev"), "--kms-key-id", "alias/x"]) == 2
    assert "signing with --kms-key-id needs boto3: install agentgov with its aws extra" in capsys.readouterr().err


def test_scan_and_local_commands_do_not_need_boto3(no_boto3, capsys, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "t.yaml").write_text("Resources:\n  A: {Type: AWS::Bedrock::Agent, Properties: {AgentName: a}}\n")
    assert main(["scan", "t.yaml", "--policy", "AG201"]) == 1  # the agent has no guardrail
    assert main(["evidence", "verify", str(tmp_path / "absent")]) != 0
    assert "needs boto3" not in capsys.readouterr().err
    assert main(["audit", "role-template", "--auditor-account", "123456789012"]) == 0


def test_audit_refuses_a_boto3_without_agentcore(monkeypatch, capsys):
    import botocore
    import botocore.loaders

    monkeypatch.setattr(botocore.loaders.Loader, "list_available_services", lambda self, type_name: ["s3", "iam"])
    assert main(["audit", "--demo"]) == 2
    err = capsys.readouterr().err
    assert f"needs a newer boto3 (1.42 or later): this environment's botocore {botocore.__version__} lacks" in err
    assert "bedrock-agentcore-control (the whole service)" in err and "in the agentgov repository, pip install -U '.[aws]'" in err


def test_audit_refuses_a_botocore_that_lacks_one_operation_the_collectors_call(monkeypatch, capsys):
    """A botocore that has the AgentCore client but not yet an operation of it (policy engines came later) is
    refused up front, naming the operation, rather than failing as a coverage gap in every account."""
    import botocore.loaders

    real = botocore.loaders.Loader.load_service_model

    def older(self, service, type_name, api_version=None):
        model = real(self, service, type_name, api_version)
        if service == "bedrock-agentcore-control":
            model = {**model, "operations": {k: v for k, v in model["operations"].items() if k != "ListPolicyEngines"}}
        return model

    monkeypatch.setattr(botocore.loaders.Loader, "load_service_model", older)
    assert aws_dependency.missing_operations() == ["bedrock-agentcore-control ListPolicyEngines"]
    assert main(["audit", "--demo"]) == 2
    assert "lacks bedrock-agentcore-control ListPolicyEngines" in capsys.readouterr().err


def test_every_call_the_collectors_declare_exists_in_the_installed_botocore():
    from agentgov.audit.collectors import member_calls, organization_calls

    assert aws_dependency.missing_operations() == []
    everything = [*member_calls(), *organization_calls()]
    assert aws_dependency.missing_operations(everything, services=("",)) == []  # every service, EC2 included


def test_the_agentcore_check_reads_no_profile(monkeypatch):
    monkeypatch.setenv("AWS_PROFILE", "must-not-be-used")  # the demo sets its own environment later
    assert aws_dependency.missing_boto3("agentgov audit", agentcore=True) is None


def test_the_config_rule_runtime_names_the_extra(no_boto3):
    from agentgov.config_rules.runtime import handler

    with pytest.raises(
        RuntimeError,
        match=r"needs boto3: install agentgov with its aws extra \(in the agentgov repository: pip install '\.\[aws\]'\)",
    ):
        handler({"ruleParameters": '{"policy": "AG201"}', "resultToken": "t"})


def test_boto3_is_an_extra_not_a_core_dependency():
    project = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]
    core = [d.replace(" ", "") for d in project["dependencies"]]
    assert not any(d.startswith(("boto3", "botocore")) for d in core)
    extras = project["optional-dependencies"]
    for name in ("aws", "demo"):
        assert "boto3>=1.42,<2" in extras[name], name
    # the test extra pins the release its expected values were made from, inside the range users get
    (pinned,) = [d for d in extras["test"] if d.startswith("boto3")]
    version = tuple(int(x) for x in pinned.removeprefix("boto3==").split("."))
    assert pinned.startswith("boto3==") and (1, 42) <= version < (2,), pinned
    assert f"botocore=={pinned.removeprefix('boto3==')}" in extras["test"]
    assert extras["checkov"] == ["checkov>=3.2,<4"]  # nothing else: checkov's environment keeps its own boto3 and hcl2
