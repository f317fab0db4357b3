"""AG907 on live AgentCore runtimes: the audit follows a runtime's containerUri to the ECR repository
(DescribeRepositories), reads the registry's scanning configuration (GetRegistryScanningConfiguration) and the
repository key's manager (KMS DescribeKey) (moto, completed by agentgov.demo.awsmock)."""

from __future__ import annotations

import pytest

pytest.importorskip("moto")

import agentgov.demo.awsmock as S  # noqa: E402
from agentgov.audit.run import AuditOptions, run_audit  # noqa: E402

REGION = "us-east-1"


def _verdicts(pack, params):
    result = run_audit(AuditOptions(role_name=S.AUDIT_ROLE, regions=[REGION], workers=2), pack, params, only=["AG907"])
    return {f.resource_name or f.resource_id: f for f in result.findings if f.policy_id == "AG907"}


def _runtime(c, account: str, name: str, uri: str) -> str:
    return c.create_agent_runtime(
        agentRuntimeName=name,
        roleArn=f"arn:aws:iam::{account}:role/runtime",
        networkConfiguration={"networkMode": "PUBLIC"},
        agentRuntimeArtifact={"containerConfiguration": {"containerUri": uri}},
    )["agentRuntimeArn"]


def test_runtime_image_repositories_are_judged_live(aws, pack, params):
    (member,) = S.organization(1)
    session = S.session_in(member)
    ecr, key = S.scanned_registry(session, REGION)
    good = ecr.create_repository(repositoryName="agents/orders", encryptionConfiguration={"encryptionType": "KMS", "kmsKey": key})
    plain = ecr.create_repository(repositoryName="agents/plain")
    unscanned = ecr.create_repository(
        repositoryName="tools/unscanned",
        encryptionConfiguration={"encryptionType": "KMS", "kmsKey": key},
        imageScanningConfiguration={"scanOnPush": True},  # ignored under enhanced scanning
    )
    c = session.client("bedrock-agentcore-control", region_name=REGION)
    names = {
        _runtime(c, member, "good", f"{good['repository']['repositoryUri']}:1"): "good",
        _runtime(c, member, "plain", f"{plain['repository']['repositoryUri']}:1"): "plain",
        _runtime(c, member, "unscanned", f"{unscanned['repository']['repositoryUri']}:1"): "unscanned",
        _runtime(c, member, "elsewhere", f"{member}.dkr.ecr.{REGION}.amazonaws.com/other/agent:1"): "elsewhere",
    }
    v = {names[k]: f for k, f in _verdicts(pack, params).items()}
    assert {k: f.status.value for k, f in v.items()} == {
        "good": "PASS",
        "plain": "FAIL",
        "unscanned": "FAIL",
        "elsewhere": "UNKNOWN",
    }, {k: f.message for k, f in v.items()}
    assert "AES256" in v["plain"].message
    assert "enhanced scanning and no rule covers it" in v["unscanned"].message


def test_a_denied_registry_read_makes_it_unknown_naming_the_call(aws, pack, params):
    (member,) = S.organization(1)
    session = S.session_in(member)
    ecr = session.client("ecr", region_name=REGION)
    key = session.client("kms", region_name=REGION).create_key()["KeyMetadata"]["Arn"]
    repo = ecr.create_repository(repositoryName="agents/orders", encryptionConfiguration={"encryptionType": "KMS", "kmsKey": key})
    c = session.client("bedrock-agentcore-control", region_name=REGION)
    _runtime(c, member, "good", f"{repo['repository']['repositoryUri']}:1")
    S.deny(member, "ecr", "GetRegistryScanningConfiguration")
    (f,) = _verdicts(pack, params).values()
    assert f.status.value == "UNKNOWN" and "GetRegistryScanningConfiguration" in f.message, f.message
