"""AG807 on live Bedrock models and jobs (moto, completed by agentgov.demo.awsmock): custom models and their
customization jobs, imported models and batch-inference jobs, each judged by the key it names, which the audit
resolves through DescribeKey (a customer-managed key passes, an AWS-managed one fails, one it cannot read is
UNKNOWN with the reason)."""

from __future__ import annotations

import pytest

pytest.importorskip("moto")

import agentgov.demo.awsmock as S  # noqa: E402
from agentgov.audit.run import AuditOptions, run_audit  # noqa: E402

ROLE = "arn:aws:iam::{account}:role/bedrock-jobs"
FOREIGN_KEY = "arn:aws:kms:us-east-1:999999999999:key/1234abcd-12ab-34cd-56ef-1234567890ab"


def _verdicts(pack, params, names=None):
    result = run_audit(AuditOptions(role_name=S.AUDIT_ROLE, regions=["us-east-1"], workers=2), pack, params, only=["AG807"])
    # resource ids are ARNs: a custom model's or a customization job's name is its last part; ``names`` names the rest
    found = {}
    for f in result.findings:
        if f.policy_id == "AG807":
            found[(f.resource_kind, (names or {}).get(f.resource_id) or f.resource_id.rsplit("/", 1)[-1])] = f
    return found


def _aws_managed_key(session, account):
    """A key that AWS manages (moto creates customer keys only: its record is changed as KMS would answer it)."""
    from moto.kms.models import kms_backends

    key_id = session.client("kms", region_name="us-east-1").create_key(Description="aws/bedrock")["KeyMetadata"]["KeyId"]
    kms_backends[account]["us-east-1"].keys[key_id].key_manager = "AWS"
    return key_id


def _customize(br, account, name, key=None):
    br.create_model_customization_job(
        jobName=f"{name}-job",
        customModelName=name,
        roleArn=ROLE.format(account=account),
        baseModelIdentifier="amazon.titan-text-express-v1",
        trainingDataConfig={"s3Uri": "s3://training/data.jsonl"},
        outputDataConfig={"s3Uri": "s3://training-output/"},
        hyperParameters={"epochCount": "1"},
        **({"customModelKmsKeyId": key} if key else {}),
    )


def _batch(br, account, name, key=None):
    out = {"s3Uri": f"s3://batch-output/{name}/", **({"s3EncryptionKeyId": key} if key else {})}
    return br.create_model_invocation_job(
        jobName=name,
        modelId="amazon.nova-lite-v1:0",
        roleArn=ROLE.format(account=account),
        inputDataConfig={"s3InputDataConfig": {"s3Uri": f"s3://batch-input/{name}/"}},
        outputDataConfig={"s3OutputDataConfig": out},
    )["jobArn"]


def test_models_and_jobs_are_judged_by_the_key_they_name(aws, pack, params):
    (member,) = S.organization(1)
    session = S.session_in(member)
    br = session.client("bedrock", region_name="us-east-1")
    cmk = session.client("kms", region_name="us-east-1").create_key()["KeyMetadata"]
    aws_managed = _aws_managed_key(session, member)
    _customize(br, member, "tuned-cmk", cmk["Arn"])
    _customize(br, member, "tuned-default")
    _customize(br, member, "tuned-foreign", FOREIGN_KEY)
    br.create_model_import_job(
        jobName="import-aws-key",
        importedModelName="imported-aws-key",
        roleArn=ROLE.format(account=member),
        modelDataSource={"s3DataSource": {"s3Uri": "s3://weights/llama/"}},
        importedModelKmsKeyId=aws_managed,
    )
    br.create_model_import_job(
        jobName="import-cmk",
        importedModelName="imported-cmk",
        roleArn=ROLE.format(account=member),
        modelDataSource={"s3DataSource": {"s3Uri": "s3://weights/mistral/"}},
        importedModelKmsKeyId=cmk["KeyId"],
    )
    _batch(br, member, "batch-cmk-id", cmk["KeyId"])
    _batch(br, member, "batch-alias", "alias/batch-output")
    _batch(br, member, "batch-bucket-default")
    stopped = _batch(br, member, "batch-aws-alias-stopped", "alias/aws/s3")
    br.stop_model_invocation_job(jobIdentifier=stopped)
    names = {m["modelArn"]: m["modelName"] for m in br.list_imported_models()["modelSummaries"]}
    names.update({j["jobArn"]: j["jobName"] for j in br.list_model_invocation_jobs()["invocationJobSummaries"]})
    v = _verdicts(pack, params, names)
    assert {k: f.status.value for k, f in v.items()} == {
        ("custom_model", "tuned-cmk"): "PASS",
        ("custom_model", "tuned-default"): "FAIL",
        ("custom_model", "tuned-foreign"): "UNKNOWN",
        ("model_customization_job", "tuned-cmk-job"): "PASS",
        ("model_customization_job", "tuned-default-job"): "FAIL",
        ("model_customization_job", "tuned-foreign-job"): "UNKNOWN",
        ("imported_model", "imported-aws-key"): "FAIL",
        ("imported_model", "imported-cmk"): "PASS",
        ("model_invocation_job", "batch-cmk-id"): "PASS",
        ("model_invocation_job", "batch-alias"): "PASS",
        ("model_invocation_job", "batch-bucket-default"): "FAIL",
        ("model_invocation_job", "batch-aws-alias-stopped"): "FAIL",
    }
    assert "AWS-managed key" in v[("imported_model", "imported-aws-key")].message
    assert "not among the KMS keys the audit listed" in v[("custom_model", "tuned-foreign")].message
    assert "bucket's default encryption" in v[("model_invocation_job", "batch-bucket-default")].message
    assert v[("model_invocation_job", "batch-aws-alias-stopped")].evidence["status"] == "Stopped"


def test_a_denied_model_read_makes_it_unknown_naming_the_call(aws, pack, params):
    (member,) = S.organization(1)
    br = S.session_in(member).client("bedrock", region_name="us-east-1")
    _customize(br, member, "tuned")
    S.deny(member, "bedrock", "GetCustomModel")
    v = _verdicts(pack, params)
    assert v[("custom_model", "tuned")].status.value == "UNKNOWN"
    assert "GetCustomModel" in v[("custom_model", "tuned")].message
    assert v[("model_customization_job", "tuned-job")].status.value == "FAIL"  # the job's own read was allowed
