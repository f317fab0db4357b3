"""Bedrock model artifacts and jobs that moto 5.2 lacks or answers wrongly (AG807).

* Imported models: ``CreateModelImportJob`` (the job completes at once and makes the imported model, with the key
  it names as ``modelKmsKeyArn``), ``ListImportedModels``, ``GetImportedModel``.
* Batch-inference jobs: ``CreateModelInvocationJob``, ``ListModelInvocationJobs`` (summaries with their
  ``outputDataConfig``, as ModelInvocationJobSummary has), ``GetModelInvocationJob``, ``StopModelInvocationJob``.
* Customization jobs: ``by_arn`` lets GetModelCustomizationJob take the job's ARN, as Bedrock does (moto looks
  the still URL-encoded identifier up by name); and moto answers every job and its custom model with a made-up key ARN
  (``key/<model>-kms-key``) whatever the request named; ``with_requested_key`` gives them the key the request named
  (``customModelKmsKeyId``), or none, as Bedrock does (no key: an AWS-managed one, which the answers do not name).

A key is answered as its ARN: a key id or alias name given in the request becomes ``arn:aws:kms:<region>:<account>:
key/<id>`` or ``...:alias/<name>``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import unquote

from agentgov.demo.awsmock._common import _LOCK, NotFound, Refused, _id, _now, _page


class ModelState:
    """Imported models and batch-inference jobs of one account and region."""

    def __init__(self) -> None:
        self.imported: dict[str, dict[str, Any]] = {}  # model ARN -> GetImportedModel's answer
        self.invocation_jobs: dict[str, dict[str, Any]] = {}  # job ARN -> GetModelInvocationJob's answer


def _st(resp: Any) -> ModelState:
    """The backend's ModelState (its own attribute: ``_common._state`` keeps one state per backend, which on the
    bedrock backend is the guardrails')."""
    backend = resp.bedrock_backend
    with _LOCK:
        st = backend.__dict__.get("_agentgov_models")
        if st is None:
            st = backend.__dict__["_agentgov_models"] = ModelState()
        return st


def key_arn(key: str | None, region: str, account: str) -> str | None:
    """A KMS key as an ARN (Bedrock's answers name keys by ARN)."""
    if not key or key.startswith("arn:"):
        return key or None
    kind = "" if key.startswith("alias/") else "key/"
    return f"arn:aws:kms:{region}:{account}:{kind}{key}"


def _arn(resp: Any, what: str, name: str) -> str:
    return f"arn:aws:bedrock:{resp.region}:{resp.current_account}:{what}/{name}"


# ------------------------------------------------------------------ imported models


def _create_model_import_job(self: Any, p: dict[str, Any]) -> dict[str, Any]:
    st = _st(self)
    name = p["importedModelName"]
    if any(m["modelName"] == name for m in st.imported.values()):
        raise Refused(f"Imported model {name} already exists", "ConflictException")
    job_arn = _arn(self, "model-import-job", _id().lower())
    model: dict[str, Any] = {
        "modelArn": _arn(self, "imported-model", _id().lower()),
        "modelName": name,
        "jobName": p["jobName"],
        "jobArn": job_arn,
        "modelDataSource": p["modelDataSource"],
        "creationTime": _now(),
        "modelArchitecture": "llama3",
        "instructSupported": True,
    }
    key = key_arn(p.get("importedModelKmsKeyId"), self.region, self.current_account)
    if key:
        model["modelKmsKeyArn"] = key
    st.imported[model["modelArn"]] = model
    return {"jobArn": job_arn}


def _imported(self: Any, ident: str) -> dict[str, Any]:
    st = _st(self)
    for m in st.imported.values():
        if ident in (m["modelArn"], m["modelName"]):
            return m
    raise NotFound(f"Imported model {ident} not found")


def _list_imported_models(self: Any, p: dict[str, Any]) -> dict[str, Any]:
    keep = ("modelArn", "modelName", "creationTime", "instructSupported", "modelArchitecture")
    items = [{k: m[k] for k in keep if k in m} for m in _st(self).imported.values()]
    return _page(items, p, "modelSummaries")


def _get_imported_model(self: Any, p: dict[str, Any]) -> dict[str, Any]:
    return dict(_imported(self, p["modelIdentifier"]))


# ------------------------------------------------------------------ batch inference

#: members of GetModelInvocationJob's answer that ModelInvocationJobSummary also has (all of them, today)
_SUMMARY = (
    "jobArn",
    "jobName",
    "modelId",
    "clientRequestToken",
    "roleArn",
    "status",
    "message",
    "submitTime",
    "lastModifiedTime",
    "endTime",
    "inputDataConfig",
    "outputDataConfig",
    "vpcConfig",
    "timeoutDurationInHours",
    "jobExpirationTime",
)


def _create_model_invocation_job(self: Any, p: dict[str, Any]) -> dict[str, Any]:
    st = _st(self)
    if any(j["jobName"] == p["jobName"] for j in st.invocation_jobs.values()):
        raise Refused(f"Model invocation job {p['jobName']} already exists", "ConflictException")
    arn = _arn(self, "model-invocation-job", _id().lower())
    out = dict(p["outputDataConfig"])
    s3 = dict(out.get("s3OutputDataConfig") or {})
    if s3.get("s3EncryptionKeyId"):
        s3["s3EncryptionKeyId"] = key_arn(s3["s3EncryptionKeyId"], self.region, self.current_account)
    out["s3OutputDataConfig"] = s3
    now = _now()
    job: dict[str, Any] = {
        "jobArn": arn,
        "jobName": p["jobName"],
        "modelId": p["modelId"],
        "roleArn": p["roleArn"],
        "status": "Submitted",
        "submitTime": now,
        "lastModifiedTime": now,
        "inputDataConfig": p["inputDataConfig"],
        "outputDataConfig": out,
    }
    for k in ("clientRequestToken", "vpcConfig", "timeoutDurationInHours"):
        if k in p:
            job[k] = p[k]
    st.invocation_jobs[arn] = job
    return {"jobArn": arn}


def _invocation_job(self: Any, ident: str) -> dict[str, Any]:
    for j in _st(self).invocation_jobs.values():
        if ident in (j["jobArn"], j["jobArn"].rsplit("/", 1)[-1]):
            return j
    raise NotFound(f"Model invocation job {ident} not found")


def _list_model_invocation_jobs(self: Any, p: dict[str, Any]) -> dict[str, Any]:
    jobs = list(_st(self).invocation_jobs.values())
    if p.get("statusEquals"):
        jobs = [j for j in jobs if j["status"] == p["statusEquals"]]
    items = [{k: j[k] for k in _SUMMARY if k in j} for j in jobs]
    return _page(items, p, "invocationJobSummaries")


def _get_model_invocation_job(self: Any, p: dict[str, Any]) -> dict[str, Any]:
    return dict(_invocation_job(self, p["jobIdentifier"]))


def _stop_model_invocation_job(self: Any, p: dict[str, Any]) -> dict[str, Any]:
    job = _invocation_job(self, p["jobIdentifier"])
    if job["status"] in ("Completed", "Failed", "Stopped", "Expired", "PartiallyCompleted"):
        raise Refused(f"Model invocation job {p['jobIdentifier']} has ended ({job['status']})")
    job["status"] = "Stopped"
    job["endTime"] = job["lastModifiedTime"] = _now()
    return {}


# ------------------------------------------------------------------ customization jobs


def with_requested_key(original: Callable[..., str]) -> Callable[..., str]:
    """BedrockBackend.create_model_customization_job: the job and its custom model keep the key the request named
    (as an ARN), or none; and the job's ``outputModelArn`` is its custom model's (moto makes up another name)."""

    def create_model_customization_job(self: Any, *args: Any, **kwargs: Any) -> str:
        job_arn = original(self, *args, **kwargs)
        job = next(j for j in self.model_customization_jobs.values() if j.job_arn == job_arn)
        model = self.custom_models[job.custom_model_name]
        key = key_arn(job.custom_model_kms_key_id, self.region_name, self.account_id)
        job.output_model_kms_key_arn = model.model_kms_key_arn = key
        job.output_model_name, job.output_model_arn = model.model_name, model.model_arn
        return job_arn

    return create_model_customization_job


def by_arn(original: Callable[..., Any]) -> Callable[..., Any]:
    """BedrockBackend.get_model_customization_job taking the job's name or ARN (URL-encoded, as the path carries it)."""

    def get_model_customization_job(self: Any, job_identifier: str) -> Any:
        ident = unquote(job_identifier)
        for job in self.model_customization_jobs.values():
            if job.job_arn == ident:
                return job
        return original(self, ident)

    return get_model_customization_job


OPERATIONS = (
    ("CreateModelImportJob", _create_model_import_job),
    ("ListImportedModels", _list_imported_models),
    ("GetImportedModel", _get_imported_model),
    ("CreateModelInvocationJob", _create_model_invocation_job),
    ("ListModelInvocationJobs", _list_model_invocation_jobs),
    ("GetModelInvocationJob", _get_model_invocation_job),
    ("StopModelInvocationJob", _stop_model_invocation_job),
)
