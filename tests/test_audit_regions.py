"""Regions where a service is not offered: decided from botocore's endpoint data, said once, neither a gap nor a hang."""

from __future__ import annotations

import json

import pytest

pytest.importorskip("moto", reason="moto is in the test extras")

import agentgov.demo.awsmock as S  # noqa: E402

#: the regions moto 5.2 serves AgentCore in (botocore has no endpoint data for it: moto's own list); an
#: AgentCore call elsewhere fails inside moto, so the test's Organization enables these and one without Bedrock
MOTO_AGENTCORE_REGIONS = (
    "us-east-1", "us-east-2", "us-west-1", "us-west-2", "ap-south-1", "ap-northeast-1", "ap-northeast-2", "ap-southeast-1",
    "ap-southeast-2", "ca-central-1", "eu-central-1", "eu-west-1", "eu-west-2", "eu-west-3", "eu-north-1", "sa-east-1",
)  # fmt: skip


def _enabled_regions() -> list[str]:
    """17 regions of the commercial partition, among them one where botocore's data has no Bedrock (ap-east-1)."""
    import boto3

    session = boto3.session.Session()
    every = sorted(session.get_available_regions("ec2"))
    without = sorted(set(every) - set(session.get_available_regions("bedrock")))
    assert without, "botocore's endpoint data offers Bedrock in every EC2 region: pick another service to test"
    return without[:1] + [r for r in MOTO_AGENTCORE_REGIONS if r in every]


def test_offered_reads_botocores_endpoint_data_and_says_when_it_does_not_know():
    import boto3

    from agentgov.audit.run import offered

    session = boto3.session.Session()
    region_without = sorted(set(session.get_available_regions("ec2")) - set(session.get_available_regions("bedrock")))[0]
    assert offered(session, "bedrock", "us-east-1") is True
    assert offered(session, "bedrock", region_without) is False
    # Bedrock Agents and AgentCore have no endpoint data (rule sets): not offered where Bedrock is not, else unknown
    assert offered(session, "bedrock-agent", region_without) is False
    assert offered(session, "bedrock-agentcore-control", region_without) is False
    assert offered(session, "bedrock-agent", "us-east-1") is None
    assert offered(session, "lambda", "us-east-1") is True


def test_all_enabled_regions_of_an_organization_with_17_regions(aws, tmp_path, capsys):
    from agentgov.cli.main import main

    regions = _enabled_regions()
    assert len(regions) >= 17
    members = S.organization(2)
    S.session_in(S.MANAGEMENT).client("iam").create_role(
        RoleName=S.AUDIT_ROLE, AssumeRolePolicyDocument=S.trust({"AWS": f"arn:aws:iam::{S.MANAGEMENT}:root"})
    )
    for m in [S.MANAGEMENT, *members]:
        S.enable_regions(m, regions)
    S.deploy_agent(S.session_in(members[0]), "us-east-1", "east", guardrail=False)
    out = tmp_path / "audit.json"
    rc = main(
        [
            "audit",
            "--org",
            "--role-name",
            S.AUDIT_ROLE,
            "--regions",
            "all-enabled",
            "--workers",
            "8",
            "-f",
            "json",
            "-o",
            str(out),
        ]
    )
    err = capsys.readouterr().err
    doc = json.loads(out.read_text(encoding="utf-8"))
    info = doc["audit"]
    assert info["coverage_gaps"] == [], info["coverage_gaps"]
    assert rc != 3
    assert info["regions"] == len(regions)
    without = regions[0]
    expected = [f"{s} not offered in {without}" for s in ("bedrock", "bedrock-agent", "bedrock-agentcore-control")]
    assert info["not_offered"] == expected
    for line in expected:  # once, for the three accounts
        assert err.count(line) == 1, err
    assert not any(f["region"] == without and f["policy_id"] == "AG000" for f in doc["findings"])
    assert any(f["policy_id"] == "AG201" and f["region"] == "us-east-1" for f in doc["findings"])
