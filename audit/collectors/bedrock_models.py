"""Bedrock model artifacts and jobs: custom models, imported models, customization jobs and batch-inference (model
invocation) jobs, with the KMS key each is encrypted with (AG807).

Calls, per region: each list call once per page (up to 1,000 items a page: the model's maxResults bound), plus
GetCustomModel per custom model, GetImportedModel per imported model and GetModelCustomizationJob per customization
job, because their list summaries (CustomModelSummary, ImportedModelSummary, ModelCustomizationJobSummary) carry no
key (a completed job's key is its model's too, but GetModelCustomizationJob also answers the job's ``roleArn``, which
tells that a role trusting Bedrock serves a customization job and not an agent). A batch-inference job's summary
(ModelInvocationJobSummary) carries its ``outputDataConfig`` with the key, so GetModelInvocationJob is never called.
A region with none of them costs four list calls.

Records keep the API's member names in snake_case (``model_kms_key_arn``, ``output_model_kms_key_arn``,
``output_data_config.s3_output_data_config.s3_encryption_key_id``), which are the names the normalizer gives
Terraform's ``aws_bedrock_custom_model`` and ``aws_bedrock_model_invocation_job``. A detail call that fails leaves the
key an ``Unknown`` naming the call, never absent (absent is a FAIL).
"""

from __future__ import annotations

from typing import Any

from agentgov.audit.collectors.answers import ask
from agentgov.audit.collectors.base import Call, Context, live
from agentgov.scanner.model import Unknown

AREA = "bedrock_models"
#: the kinds this collector collects whole: when it completes without a gap and finds none, there are none
KINDS = ("custom_model", "imported_model", "model_customization_job", "model_invocation_job")
SCOPE = "regional"
SERVICE = "bedrock"

CALLS = tuple(
    Call(SERVICE, op, f"bedrock:{op}")
    for op in (
        "ListCustomModels",
        "GetCustomModel",
        "ListImportedModels",
        "GetImportedModel",
        "ListModelCustomizationJobs",
        "GetModelCustomizationJob",
        "ListModelInvocationJobs",
    )
)

#: (kind, record type (CloudFormation has none: the service's name for it), list call, its items' key, detail call,
#: the summary's ARN member, the record's key attribute)
_DETAILED = (
    (
        "custom_model",
        "AWS::Bedrock::CustomModel",
        "ListCustomModels",
        "modelSummaries",
        "GetCustomModel",
        "modelArn",
        "model_kms_key_arn",
    ),
    (
        "imported_model",
        "AWS::Bedrock::ImportedModel",
        "ListImportedModels",
        "modelSummaries",
        "GetImportedModel",
        "modelArn",
        "model_kms_key_arn",
    ),
    (
        "model_customization_job",
        "AWS::Bedrock::ModelCustomizationJob",
        "ListModelCustomizationJobs",
        "modelCustomizationJobSummaries",
        "GetModelCustomizationJob",
        "jobArn",
        "output_model_kms_key_arn",
    ),
)
_IDENTIFIER = {
    "GetCustomModel": "modelIdentifier",
    "GetImportedModel": "modelIdentifier",
    "GetModelCustomizationJob": "jobIdentifier",
}


def _record(ctx: Context, kind: str, native: str, summary: dict[str, Any], detail: str, arn_key: str, key: str) -> None:
    arn = summary[arn_key]
    props = live(summary)
    got = ask(ctx, SERVICE, detail, **{_IDENTIFIER[detail]: arn})
    if isinstance(got, Unknown):
        props[key] = got
    else:
        props.update(live(got))
    ctx.add(kind, native, arn, props, name=summary.get("modelName") or summary.get("jobName"))


def collect(ctx: Context) -> None:
    for kind, native, listing, items, detail, arn_key, key in _DETAILED:
        with ctx.enumeration(kind):
            for s in ctx.items(SERVICE, listing, items):
                with ctx.reading(SERVICE, listing, s):
                    _record(ctx, kind, native, s, detail, arn_key, key)
    with ctx.enumeration("model_invocation_job"):
        for s in ctx.items(SERVICE, "ListModelInvocationJobs", "invocationJobSummaries"):
            with ctx.reading(SERVICE, "ListModelInvocationJobs", s):
                arn = s["jobArn"]
                ctx.add("model_invocation_job", "AWS::Bedrock::ModelInvocationJob", arn, live(s), name=s.get("jobName"))
