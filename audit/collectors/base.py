"""What every live collector shares.

A collector is a module with ``AREA`` (its name), ``SCOPE`` (``"regional"``,
``"global"``: IAM is read once per account, or ``"organization"``: read once per
audited account with the auditing principal's own session, not the member
role's: the Organization's policies in force for the account), ``CALLS`` (every API call it
makes, with the IAM action that authorizes it: the scanner's read-only policy
is generated from these) and ``collect(ctx)``. It reads the API only through
its ``Context``, which refuses an undeclared call, turns a failed call into a
``CallFailed`` (enumeration: a coverage gap) or an ``Unknown`` (one
resource's detail: the policies that depend on it report UNKNOWN), and builds
the normalized ``Resource`` records with ``aws://account/region/arn``
locations and ARNs as identities.

Property names are the API's, snake-cased by the normalizer's own rule, so a
record read from ``GetAgent`` has the same attribute paths as one written in
CloudFormation (``guardrailConfiguration.guardrailIdentifier`` and
``GuardrailConfiguration.GuardrailIdentifier`` are both
``guardrail_configuration.guardrail_identifier``).
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from agentgov.scanner.model import Location, Resource, Unknown
from agentgov.scanner.normalize import _snake_tree  # the one casing rule every source shares

_CLIENT_LOCK = threading.Lock()

#: error codes that mean "the audit role may not do this"
DENIED_CODES = frozenset(
    {
        "AccessDenied",
        "AccessDeniedException",
        "UnauthorizedOperation",
        "UnauthorizedException",
        "AuthorizationError",
        "AuthorizationErrorException",
        "UnrecognizedClientException",
    }
)
#: what reading an answer of a shape the collector does not expect raises (a member absent, of another type)
SHAPE_ERRORS = (KeyError, TypeError, AttributeError, ValueError, IndexError)
#: the error code of a gap that is an answer of an unexpected shape, not a failed call
UNEXPECTED_ANSWER = "UnexpectedAnswer"

#: what a "no such thing" answer looks like (a function without a resource policy, ...)
NOT_FOUND_CODES = frozenset({"ResourceNotFoundException", "NoSuchEntity", "NotFoundException"})


@dataclass(frozen=True, order=True)
class Call:
    """One API operation a collector calls, and the IAM action that authorizes it."""

    service: str  # botocore service name: bedrock-agent, iam, lambda, ...
    operation: str  # botocore operation name: ListAgents
    action: str  # IAM action: bedrock:ListAgents


class CallFailed(Exception):
    """An API call that did not answer: denied, throttled past the retries, unreachable."""

    def __init__(self, call: Call, code: str, message: str):
        super().__init__(f"{call.service} {call.operation} failed: {code}: {message}")
        self.call = call
        self.code = code
        self.message = message

    @property
    def denied(self) -> bool:
        return self.code in DENIED_CODES

    def unknown(self) -> Unknown:
        what = "denied" if self.denied else "failed"
        return Unknown(
            f"{self.call.service} {self.call.operation} {what} ({self.code}; IAM action {self.call.action})",
            origin=f"api:{self.call.action}",
        )


@dataclass
class Gap:
    """Something the run was asked to assess and could not (an ERROR finding, exit 3)."""

    account: str
    region: str | None
    what: str  # "account", "agents", ...
    api: str  # "sts AssumeRole", "bedrock-agent ListAgents"
    code: str
    message: str


def live(value: Any, drop: tuple[str, ...] = ("ResponseMetadata",)) -> Any:
    """An API answer in normalized form: snake_case keys (policy documents, variables and tags kept as they are)."""
    if isinstance(value, dict):
        value = {k: v for k, v in value.items() if k not in drop}
    return _snake_tree(value)


def tag_dict(value: Any) -> Any:
    """Tags in any of the API's shapes ({k: v}, [{Key, Value}], [{key, value}], [{TagKey, TagValue}]) as a dict."""
    if isinstance(value, Unknown) or value is None:
        return value if value is not None else {}
    if isinstance(value, dict):
        return dict(value)
    out = {}
    for item in value:
        key = item.get("Key", item.get("key", item.get("TagKey")))
        out[key] = item.get("Value", item.get("value", item.get("TagValue")))
    return out


@dataclass
class Context:
    """One collector's view of one account and region (``region`` None: a global service)."""

    session: Any  # boto3.session.Session of the assumed role
    account: str
    region: str | None
    calls: frozenset[Call]
    config: Any = None  # botocore Config (retries, timeouts)
    partition: str = "aws"
    page_size: int | None = None  # PaginationConfig PageSize (None: each API's default)
    resources: list[Resource] = field(default_factory=list)
    failures: list[CallFailed] = field(default_factory=list)  # per-resource calls that failed (became Unknowns)
    #: enumerations that failed (an agent's aliases, a region's guardrails, ...): coverage gaps, and the collector goes on;
    #: the resource they were under (None: the account or region)
    gaps: list[tuple[CallFailed, str | None]] = field(default_factory=list)
    #: the collector's ``KINDS`` not collected whole (None: any of them may be incomplete)
    incomplete: set[str] | None = field(default_factory=set)
    #: the account's Resource Groups Tagging API answers, shared by its collectors (``tagging.AccountTags``; None:
    #: every resource's tags are read by its own call)
    tags: Any = None
    #: what the account's other collectors reference (``reach.Reach``), for a ``REACHED`` collector; None: read everything
    reach: Any = None
    _clients: dict[str, Any] = field(default_factory=dict)

    # -------------------------------------------------------------- calls

    def _declared(self, service: str, operation: str) -> Call:
        for c in self.calls:
            if c.service == service and c.operation == operation:
                return c
        raise RuntimeError(f"collector called {service} {operation}, which it does not declare in CALLS")

    def client(self, service: str, region: str | None = None) -> Any:
        region = region or self.region or ("us-east-1" if self.partition == "aws" else None)
        key = f"{service}@{region}"
        if key not in self._clients:
            with _CLIENT_LOCK:  # a boto3 Session is not thread-safe: clients of one session are made one at a time
                self._clients[key] = self.session.client(service, region_name=region, config=self.config)
        return self._clients[key]

    def gap(self, exc: CallFailed, resource: str | None) -> None:
        """An enumeration under ``resource`` failed: what it would have listed was not assessed."""
        self.gaps.append((exc, resource))
        self.incomplete = None

    @contextmanager
    def enumeration(self, *kinds: str) -> Iterator[None]:
        """One enumeration of the collector (a region's guardrails): when a call of it fails, it is a coverage gap
        of the account or region and of ``kinds`` alone; the collector goes on with its other enumerations."""
        try:
            yield
        except CallFailed as exc:
            self.gaps.append((exc, None))
            if self.incomplete is not None:
                self.incomplete |= set(kinds)

    @contextmanager
    def reading(self, service: str, operation: str, item: Any) -> Iterator[None]:
        """Reading one item of ``operation``'s answer: when it has a shape the collector does not expect (a member
        absent, of another type), that item alone is a coverage gap naming the call and what was wrong; the
        collector goes on with the next item."""
        try:
            yield
        except SHAPE_ERRORS as exc:
            what = f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
            failed = CallFailed(self._declared(service, operation), UNEXPECTED_ANSWER, f"an item of an unexpected shape ({what})")
            self.gap(failed, item_label(item, operation))

    def call(self, service: str, operation: str, *, region: str | None = None, **params: Any) -> dict[str, Any]:
        """One call (in ``region`` when given: S3 answers a bucket's details in the bucket's region); ``CallFailed`` when it does not answer."""
        from botocore.exceptions import BotoCoreError, ClientError
        from botocore.parsers import ResponseParserError

        c = self._declared(service, operation)
        client = self.client(service, region)
        method = getattr(client, _python_name(client, operation))
        try:
            return method(**params)
        except ClientError as exc:
            err = exc.response.get("Error", {})
            raise CallFailed(
                c,
                str(err.get("Code") or exc.response.get("ResponseMetadata", {}).get("HTTPStatusCode")),
                str(err.get("Message", "")),
            ) from None
        except (BotoCoreError, ResponseParserError) as exc:  # endpoint unreachable, timeouts, retries exhausted, an answer
            raise CallFailed(c, type(exc).__name__, str(exc)) from None  # botocore cannot parse (not a BotoCoreError)

    def pages(self, service: str, operation: str, *, region: str | None = None, **params: Any) -> Iterator[dict[str, Any]]:
        """Every page of a paginated list call (in ``region`` when given); ``CallFailed`` when one does not answer."""
        from botocore.exceptions import BotoCoreError, ClientError
        from botocore.parsers import ResponseParserError

        c = self._declared(service, operation)
        client = self.client(service, region)
        paginator = client.get_paginator(_python_name(client, operation))
        # (not every paginated API takes a page size; a caller's own PaginationConfig is kept)
        limit_key = getattr(paginator, "_limit_key", None)
        if self.page_size and limit_key and "PaginationConfig" not in params:
            size = _page_size(client, operation, limit_key, self.page_size)
            params = {**params, "PaginationConfig": {"PageSize": size}}
        try:
            yield from paginator.paginate(**params)
        except ClientError as exc:
            err = exc.response.get("Error", {})
            raise CallFailed(c, str(err.get("Code")), str(err.get("Message", ""))) from None
        except (BotoCoreError, ResponseParserError) as exc:
            raise CallFailed(c, type(exc).__name__, str(exc)) from None

    def items(self, service: str, operation: str, key: str, **params: Any) -> Iterator[dict[str, Any]]:
        for page in self.pages(service, operation, **params):
            yield from page.get(key) or []

    def detail(
        self, service: str, operation: str, *, absent: frozenset[str] = frozenset(), region: str | None = None, **params: Any
    ) -> dict[str, Any] | Unknown | None:
        """A call about one resource: its answer, an ``Unknown`` naming the API and the error code, or None
        when the error code is one of ``absent`` (the resource has no such configuration)."""
        try:
            return self.call(service, operation, region=region, **params)
        except CallFailed as exc:
            if exc.code in absent:
                return None
            self.failures.append(exc)
            return exc.unknown()

    def all_items(self, service: str, operation: str, key: str, **params: Any) -> list[Any] | Unknown:
        """Every item of a paginated call about one resource (its tags), or an ``Unknown`` naming the API and the error code."""
        try:
            return list(self.items(service, operation, key, **params))
        except CallFailed as exc:
            self.failures.append(exc)
            return exc.unknown()

    # ------------------------------------------------------------ records

    def add(
        self,
        kind: str,
        native_type: str,
        identity: str,
        properties: dict[str, Any],
        *,
        tags: Any = None,
        name: str | None = None,
        arn: str | None = None,
        parent: str | None = None,
        region: str | None = None,
    ) -> Resource:
        """One normalized record; ``identity`` is the ARN (or, for what has none, the parent's ARN and a path).

        ``region``: where the resource lives when a global call found it (an S3 bucket)."""
        stack = f"aws://{self.account}"
        region = region or self.region
        res = Resource(
            kind=kind,
            id=identity,
            key=f"{stack}#{identity}",
            source="aws",
            source_type=native_type,
            stack=stack,
            location=Location(file=f"aws://{self.account}/{region or 'global'}/{identity}"),
            name=name,
            properties=properties,
            tags=tags,
            account=self.account,
            region=region,
            arn=arn if arn is not None else (identity if identity.startswith("arn:") else None),
            parent=f"{stack}#{parent}" if parent else None,
        )
        self.resources.append(res)
        return res


def item_label(item: Any, operation: str) -> str:
    """What names an item of an answer: its ARN, else its id or name, else "an item of <operation>"."""
    if isinstance(item, dict):
        for want in ("arn", "id", "name"):
            for k, v in item.items():
                if isinstance(v, str) and v and k.lower().endswith(want):
                    return v
    if isinstance(item, str) and item:
        return item
    return f"an item of {operation}"


def _page_size(client: Any, operation: str, limit_key: str, wanted: int) -> int:
    """``wanted`` within the bounds the operation's model sets on its page size (DescribeSubnets takes 5 to 1000)."""
    member = client.meta.service_model.operation_model(operation).input_shape.members.get(limit_key)
    if member is None:
        return wanted
    low, high = member.metadata.get("min"), member.metadata.get("max")
    if low is not None:
        wanted = max(wanted, int(low))
    if high is not None:
        wanted = min(wanted, int(high))
    return wanted


def _python_name(client: Any, operation: str) -> str:
    from botocore import xform_name

    return xform_name(operation)
