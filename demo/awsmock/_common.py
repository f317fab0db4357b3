"""What the added operations share: the lock, the error answers, the state kept on moto's backends, request parsing, pages."""

from __future__ import annotations

import threading
import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from moto.core.exceptions import ServiceException
from moto.core.responses import ActionResult, BaseResponse
from moto.core.utils import camelcase_to_underscores

_LOCK = threading.RLock()


class Refused(Exception):
    """An error answer of an added operation (turned into the service's error shape)."""

    code = "ValidationException"

    def __init__(self, message: str, code: str | None = None):
        super().__init__(message)
        self.message = message
        if code:
            self.code = code


class NotFound(Refused):
    code = "ResourceNotFoundException"


def _service_error(resp: Any, code: str, message: str) -> ServiceException:
    """A moto ServiceException moto serializes with ``resp``'s service model
    (moto finds the model from the exception's module, so it must be the service's)."""
    from moto.core.utils import get_service_model, service_name_from_moto_package_name

    package = type(resp).__module__.split(".")[1]
    try:
        get_service_model(service_name_from_moto_package_name(package))
    except Exception:  # moto's package is not named like the service (awslambda): any loadable one will do,
        package = "sts"  # the request's own service model is searched first
    cls = type(code, (ServiceException,), {"__module__": f"moto.{package}.exceptions", "code": code})
    return cls(code, message)


def _now() -> datetime:
    return datetime.now(UTC)


def _id(prefix: str = "") -> str:
    return (prefix + uuid.uuid4().hex)[:10].upper()


# ------------------------------------------------------------------ state


class AgentState:
    """What moto's bedrock-agent backend does not keep, per account and region."""

    def __init__(self) -> None:
        self.extras: dict[str, dict[str, Any]] = {}  # agent id -> guardrailConfiguration, ...
        self.versions: dict[str, list[dict[str, Any]]] = {}  # agent id -> numbered versions
        self.action_groups: dict[tuple[str, str], list[dict[str, Any]]] = {}  # (agent id, version)
        self.kb_links: dict[tuple[str, str], list[dict[str, Any]]] = {}
        self.collaborators: dict[tuple[str, str], list[dict[str, Any]]] = {}
        self.aliases: dict[str, list[dict[str, Any]]] = {}
        self.data_sources: dict[str, list[dict[str, Any]]] = {}  # knowledge base id -> data sources


class GuardrailState:
    def __init__(self) -> None:
        self.guardrails: dict[str, dict[str, dict[str, Any]]] = {}  # id -> version ("DRAFT", "1", ...) -> record


def _state(backend: Any, cls: type) -> Any:
    with _LOCK:
        st = backend.__dict__.get("_agentgov_state")
        if st is None:
            st = backend.__dict__["_agentgov_state"] = cls()
        return st


# --------------------------------------------------------------- plumbing


def _params(resp: BaseResponse) -> dict[str, Any]:
    """The request, parsed by moto with the operation's botocore input shape."""
    resp.parse_parameters(resp._agentgov_request)  # type: ignore[attr-defined]  # set by patches._remember_request
    return dict(resp.params)


def _page(
    items: list[dict[str, Any]],
    params: dict[str, Any],
    key: str,
    *,
    token: str = "nextToken",
    limit: str = "maxResults",
    size: int = 10,
    truncated: str | None = None,
) -> dict[str, Any]:
    """One page of ``items`` under ``key``: from the offset ``token`` carries, ``limit`` items (``size`` by default);
    the next offset in ``token`` when more follow, and ``truncated`` (IAM's IsTruncated) saying whether they do."""
    start = int(params.get(token) or 0)
    size = int(params.get(limit) or size)
    more = start + size < len(items)
    out: dict[str, Any] = {key: items[start : start + size]}
    if more:
        out[token] = str(start + size)
    if truncated:
        out[truncated] = more
    return out


#: every operation ``_add`` added: (moto response class, botocore operation name)
ADDED: list[tuple[type, str]] = []
#: called as (moto response, operation, answer) with every answer of an added operation before moto serializes it
#: (the serializer drops members the output shape lacks: the tests check the answer itself against the model)
ANSWER_CHECKS: list[Callable[[Any, str, dict[str, Any]], None]] = []


def _add(cls: type, operation: str, impl: Callable[[Any, dict[str, Any]], dict[str, Any]]) -> None:
    def handler(self: Any) -> ActionResult:
        try:
            answer = impl(self, _params(self))
        except Refused as exc:
            return ActionResult(_service_error(self, exc.code, exc.message))
        for check in ANSWER_CHECKS:
            check(self, operation, answer)
        return ActionResult(answer)

    ADDED.append((cls, operation))

    handler.__name__ = camelcase_to_underscores(operation)
    setattr(cls, handler.__name__, handler)


def _remember_request(original: Callable[..., Any]) -> Callable[..., Any]:
    def setup_class(self: Any, request: Any, *args: Any, **kwargs: Any) -> Any:
        self._agentgov_request = request
        return original(self, request, *args, **kwargs)

    return setup_class
