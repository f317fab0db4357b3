"""The moto completion (demo/awsmock) checked against botocore's models while tests run (a test helper).

Two checks, both recording into ``VIOLATIONS`` (service, operation, message):

* the answer an added operation returns, before moto serializes it (``_common.ANSWER_CHECKS``):
  moto's serializer silently drops a member the output shape lacks, so a record filled from an
  input-only name (issue 13 defect 1) is only visible here;
* the body every completed operation sends, as botocore receives it (a ``before-parse`` handler,
  registered on every botocore session made after ``activate()``): a JSON body against the output
  shape with its wire names; an error's code must be one the operation's model names, or one of
  the errors AWS documents as common to every API.
"""

from __future__ import annotations

import contextlib
import json
import re
import threading
from collections.abc import Iterator
from typing import Any

from aws_models import check_answer, service_model

VIOLATIONS: list[tuple[str, str, str]] = []
#: completed operations whose answers break the model today, by the defect of issue 13 that fixes them
KNOWN_DEFECTS: dict[tuple[str, str], tuple[int, str]] = {}  # (defect 1 was fixed: the completion answers parentActionSignature)
SEEN: set[tuple[str, str]] = set()  # completed operations that answered (service, operation)
_LOCK = threading.Lock()

#: https://docs.aws.amazon.com/.../CommonErrors.html (every AWS API may answer them), and the query/EC2 spellings
COMMON_ERRORS = frozenset(
    {
        "AccessDenied",
        "AccessDeniedException",
        "IncompleteSignature",
        "InternalFailure",
        "InvalidAction",
        "InvalidClientTokenId",
        "NotAuthorized",
        "OptInRequired",
        "RequestExpired",
        "ServiceUnavailable",
        "ThrottlingException",
        "Throttling",
        "ValidationError",
        "ValidationException",
        "UnrecognizedClientException",
        "UnauthorizedOperation",
        "RequestLimitExceeded",
        "MissingAuthenticationToken",
        "MalformedQueryString",
        "SignatureDoesNotMatch",
    }
)

#: operations the completion answers by wrapping moto's own handler (not through ``_add``)
WRAPPED: frozenset[tuple[str, str]] = frozenset(
    {
        ("bedrock-agent", "CreateAgent"),
        ("lambda", "ListFunctions"),
        ("lambda", "GetFunction"),
        ("resourcegroupstaggingapi", "GetResources"),
        ("iam", "GetAccountAuthorizationDetails"),
        ("bedrock-agentcore-control", "ListAgentRuntimes"),
        ("bedrock-agentcore-control", "ListGateways"),
        ("bedrock-agentcore-control", "ListGatewayTargets"),
        ("bedrock-agentcore-control", "ListMemories"),
        ("bedrock-agentcore-control", "ListAgentRuntimeEndpoints"),
        ("kms", "ListKeys"),
        ("kms", "ListResourceTags"),
        ("s3", "ListBuckets"),
        ("ec2", "DescribeRegions"),
        ("securityhub", "BatchImportFindings"),
        ("securityhub", "GetFindings"),
        ("config", "PutEvaluations"),
        ("config", "GetComplianceDetailsByConfigRule"),
    }
)


def _service_of(moto_response: Any) -> str:
    from moto.core.utils import service_name_from_moto_package_name

    return {"awslambda": "lambda"}.get(p := type(moto_response).__module__.split(".")[1], service_name_from_moto_package_name(p))


def completed() -> set[tuple[str, str]]:
    """Every (service, operation) the completion answers."""
    from agentgov.demo.awsmock import _common, install

    install()
    return {(_service_of_class(cls), op) for cls, op in _common.ADDED} | set(WRAPPED)


def _service_of_class(cls: type) -> str:
    from moto.core.utils import service_name_from_moto_package_name

    return service_name_from_moto_package_name(cls.__module__.split(".")[1])


def _record(service: str, operation: str, problems: list[str]) -> None:
    with _LOCK:
        SEEN.add((service, operation))
        VIOLATIONS.extend((service, operation, p) for p in problems)


def check_added_answer(moto_response: Any, operation: str, answer: dict[str, Any]) -> None:
    service = _service_of(moto_response)
    shape = service_model(service).operation_model(operation).output_shape
    problems = check_answer(shape, answer) if shape is not None else ([] if not answer else [f"{operation} has no output"])
    _record(service, operation, [f"answer: {p}" for p in problems])


def _error_code(protocol: str, headers: Any, body: bytes) -> str | None:
    if protocol in ("json", "rest-json"):
        code = (headers or {}).get("x-amzn-errortype") or ""
        if not code:
            try:
                data = json.loads(body or b"{}")
            except ValueError:
                return "<not JSON>"
            code = data.get("__type") or data.get("code") or data.get("Code") or ""
        return code.split(":")[0].split("#")[-1] or None
    m = re.search(rb"<Code>([^<]+)</Code>", body or b"")
    return m.group(1).decode() if m else None


def check_body(operation_model: Any = None, response_dict: Any = None, **_: Any) -> None:
    """``before-parse``: the body of a completed operation against its model."""
    if operation_model is None or response_dict is None or not _CHECKING[0]:
        return
    service = operation_model.service_model.service_name
    key = (service, operation_model.name)
    if key not in _COMPLETED:
        return
    protocol = operation_model.service_model.protocol
    status = response_dict.get("status_code", 200)
    body = response_dict.get("body") or b""
    problems: list[str] = []
    if status >= 300:
        code = _error_code(protocol, response_dict.get("headers"), body)
        allowed = {s.name for s in operation_model.error_shapes} | {
            s.error_code for s in operation_model.error_shapes if getattr(s, "error_code", None)
        }
        if code not in allowed | COMMON_ERRORS:
            problems.append(f"error code {code!r} is neither the operation's ({sorted(allowed)}) nor a common AWS error")
    elif protocol in ("json", "rest-json") and operation_model.output_shape is not None:
        shape = operation_model.output_shape
        payload = shape.serialization.get("payload")
        try:
            data = json.loads(body) if body.strip() else {}
        except ValueError:
            problems.append("the body is not JSON")
            data = None
        if data is not None:
            if payload:
                problems += check_answer(shape.members[payload], data, payload, wire=True, top=False)
            else:
                problems += check_answer(shape, data, wire=True)
    _record(service, operation_model.name, [f"body: {p}" for p in problems])


_COMPLETED: set[tuple[str, str]] = set()
_ACTIVE = False
_CHECKING = [0]  # how many in-process moto scopes with the completion are open (bodies are checked only then)


@contextlib.contextmanager
def checking() -> Iterator[None]:
    """Bodies are the completion's while this is open (in-process moto with the completion installed); a stock
    moto server's answers, in another test, are not."""
    with _LOCK:
        _CHECKING[0] += 1
    try:
        yield
    finally:
        with _LOCK:
            _CHECKING[0] -= 1


def activate() -> None:
    """Both checks on, for every botocore session created from now on (idempotent)."""
    global _ACTIVE
    if _ACTIVE:
        return
    import botocore.handlers

    from agentgov.demo.awsmock import _common

    _COMPLETED.update(completed())
    _common.ANSWER_CHECKS.append(check_added_answer)
    botocore.handlers.BUILTIN_HANDLERS.append(("before-parse", check_body))
    _ACTIVE = True


def new_violations(since: int) -> list[tuple[str, str, str]]:
    """Violations recorded after the first ``since``, but those of a known defect."""
    with _LOCK:
        return [v for v in VIOLATIONS[since:] if (v[0], v[1]) not in KNOWN_DEFECTS]


def violations(service: str | None = None, operation: str | None = None) -> list[tuple[str, str, str]]:
    with _LOCK:
        return [v for v in VIOLATIONS if (service is None or v[0] == service) and (operation is None or v[1] == operation)]
