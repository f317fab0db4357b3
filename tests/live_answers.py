"""AWS answers written as botocore's output shapes name them, for the audit's collectors (no moto, no network).

``answering(answers)`` is a boto3 Session whose every API call is answered in
process: ``answers`` maps ``"service Operation"`` to a dict (the answer), a
callable ``(params) -> dict``, or an ``Error(code)``. Every answer is checked
against the operation's output shape (a member the shape lacks, a wrong type,
a missing required member fail the test), so a test cannot agree with a
collector on a member name AWS never sends. A call the test does not answer
gets the smallest answer its output shape allows (its required members only:
empty lists, no resources).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

ACCOUNT = "111122223333"


@dataclass
class Error:
    code: str
    message: str = "refused by the test"
    status: int = 400


def minimal(shape: Any) -> Any:
    """The smallest value of ``shape`` that botocore's validator accepts."""
    t = shape.type_name
    if t == "structure":
        return {name: minimal(shape.members[name]) for name in shape.required_members}
    if t == "list":
        return []
    if t == "map":
        return {}
    if t == "string":
        return shape.enum[0] if shape.enum else "x" * max(1, shape.metadata.get("min", 1))
    if t in ("integer", "long"):
        return int(shape.metadata.get("min", 0))
    if t in ("float", "double"):
        return float(shape.metadata.get("min", 0))
    if t == "boolean":
        return False
    if t == "timestamp":
        return dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    if t == "blob":
        return b""
    raise TypeError(t)


def answering(answers: dict[str, Any], regions: tuple[str, ...] = ("us-east-1",)) -> Any:
    """A boto3 Session answering every call from ``answers`` (see the module); ``seen`` lists (key, params, region) asked."""
    import boto3
    from botocore.awsrequest import AWSResponse
    from botocore.validate import validate_parameters

    session = boto3.session.Session(aws_access_key_id="AKIDEXAMPLE", aws_secret_access_key="secret", region_name="us-east-1")
    answers = {"ec2 DescribeRegions": {"Regions": [{"RegionName": r} for r in regions]}, **answers}
    seen: list[tuple[str, dict[str, Any], str]] = []

    def params(params: dict[str, Any], context: dict[str, Any], **_: Any) -> None:
        context["agentgov_params"] = dict(params)

    def answer(model: Any, context: dict[str, Any], request_signer: Any = None, **_: Any) -> tuple[Any, dict[str, Any]]:
        key = f"{model.service_model.service_name} {model.name}"
        asked = context.get("agentgov_params", {})
        seen.append((key, asked, getattr(request_signer, "region_name", "")))
        value: Any = answers.get(key)
        if callable(value) and not isinstance(value, Error):
            value = value(asked)
        if isinstance(value, Error):
            parsed = {
                "Error": {"Code": value.code, "Message": value.message},
                "ResponseMetadata": {"HTTPStatusCode": value.status},
            }
            return AWSResponse(None, value.status, {}, None), parsed
        if value is None:
            value = minimal(model.output_shape) if model.output_shape is not None else {}
        if model.output_shape is not None:
            validate_parameters(value, model.output_shape)  # the answer as AWS would send it, or the test fails
        return AWSResponse(None, 200, {}, None), {**value, "ResponseMetadata": {"HTTPStatusCode": 200}}

    session.events.register_first("before-parameter-build", params)
    session.events.register_first("before-call", answer)
    session.seen = seen  # type: ignore[attr-defined]
    return session


def audit_answers(
    answers: dict[str, Any],
    pack: Any,
    params: dict[str, Any],
    regions: tuple[str, ...] = ("us-east-1",),
    **kw: Any,
) -> Any:
    """``run_audit`` of one account (its own credentials, no role to assume) on ``answers``."""
    from agentgov.audit.run import AuditOptions, run_audit

    session = answering(answers, regions)
    opts = AuditOptions(
        role_name="",
        accounts=[ACCOUNT],
        regions=list(regions),
        session=session,
        assume_role=False,
        keep_inventory=True,
        workers=2,
        max_attempts=1,
        **kw,
    )
    result = run_audit(opts, pack, params)
    result.seen = session.seen
    return result


def findings(result: Any, policy: str, resource: str | None = None) -> list[Any]:
    return [f for f in result.findings if f.policy_id == policy and (resource is None or f.resource_id == resource)]


Answer = dict[str, Any] | Callable[[dict[str, Any]], Any] | Error
