"""AG604 on live log groups: DescribeLogGroups' kmsKeyId and dataProtectionStatus, GetDataProtectionPolicy's document
(moto, completed by agentgov.demo.awsmock: moto 5.2 has no data-protection policies)."""

from __future__ import annotations

import json

import pytest

pytest.importorskip("moto")

import agentgov.demo.awsmock as S  # noqa: E402
from agentgov.audit.run import AuditOptions, run_audit  # noqa: E402

pytestmark = pytest.mark.slow


def _doc(operation: dict) -> str:
    return json.dumps(
        {
            "Name": "p",
            "Version": "2021-06-01",
            "Statement": [
                {
                    "Sid": "s",
                    "DataIdentifier": ["arn:aws:dataprotection::aws:data-identifier/EmailAddress"],
                    "Operation": operation,
                }
            ],
        }
    )


MASK = _doc({"Deidentify": {"MaskConfig": {}}})
AUDIT = _doc({"Audit": {"FindingsDestination": {}}})


def _verdicts(pack, params):
    result = run_audit(AuditOptions(role_name=S.AUDIT_ROLE, regions=["us-east-1"], workers=2), pack, params, only=["AG604"])
    return {f.resource_id.split(":log-group:", 1)[1]: f for f in result.findings if f.policy_id == "AG604"}


def _estate(member):
    session = S.session_in(member)
    logs = session.client("logs", region_name="us-east-1")
    key = session.client("kms", region_name="us-east-1").create_key()["KeyMetadata"]["Arn"]
    logs.create_log_group(logGroupName="/aws/bedrock/model-invocations", kmsKeyId=key)
    logs.put_data_protection_policy(logGroupIdentifier="/aws/bedrock/model-invocations", policyDocument=MASK)
    logs.create_log_group(logGroupName="/aws/bedrock-agentcore/runtimes/orders-DEFAULT")  # no key
    logs.put_data_protection_policy(logGroupIdentifier="/aws/bedrock-agentcore/runtimes/orders-DEFAULT", policyDocument=MASK)
    logs.create_log_group(logGroupName="invocations", kmsKeyId=key)  # invocation logging's, under a name of its own
    logs.put_data_protection_policy(logGroupIdentifier="invocations", policyDocument=AUDIT)
    logs.create_log_group(logGroupName="/app/web")  # not an agent log group
    session.client("bedrock", region_name="us-east-1").put_model_invocation_logging_configuration(
        loggingConfig={
            "cloudWatchConfig": {"logGroupName": "invocations", "roleArn": f"arn:aws:iam::{member}:role/bedrock-logging"},
            "textDataDeliveryEnabled": True,
        }
    )


def test_agent_log_groups_are_judged_on_key_and_masking(aws, pack, params):
    (member,) = S.organization(1)
    _estate(member)
    v = _verdicts(pack, params)
    assert {k: f.status.value for k, f in v.items()} == {
        "/aws/bedrock/model-invocations": "PASS",
        "/aws/bedrock-agentcore/runtimes/orders-DEFAULT": "FAIL",
        "invocations": "FAIL",
    }
    assert "kms_key_id names no customer-managed KMS key" in v["/aws/bedrock-agentcore/runtimes/orders-DEFAULT"].message
    assert "no Deidentify statement" in v["invocations"].message


def test_a_denied_policy_read_makes_it_unknown_naming_the_call(aws, pack, params):
    (member,) = S.organization(1)
    _estate(member)
    S.deny(member, "logs", "GetDataProtectionPolicy")
    v = _verdicts(pack, params)
    assert v["/aws/bedrock/model-invocations"].status.value == "UNKNOWN"
    assert "GetDataProtectionPolicy" in v["/aws/bedrock/model-invocations"].message
    assert v["/aws/bedrock-agentcore/runtimes/orders-DEFAULT"].status.value == "FAIL"  # no key: fails whatever the policy
