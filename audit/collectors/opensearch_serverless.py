"""OpenSearch Serverless: collections (knowledge-base vector stores) and the network security policies that cover
them by name.

A collection's key is ListCollections' ``kmsKeyArn`` (a KMS key ARN, or ``auto`` for the AWS-owned key), read into
the encryption configuration CreateCollection and CloudFormation name (``encryption_config.kms_key_arn`` /
``aws_owned_key``), so AG808 reads one path in IaC and live. Security policies have no ARN: a record's identity is
``aoss-security-policy/<type>/<name>``, its ``policy`` the document GetSecurityPolicy answers. The service has no
paginators in botocore: the list calls are paged here with ``nextToken``.

Encryption policies are not read: they apply only when a collection is created, and the key a collection was
created with is ListCollections' ``kmsKeyArn``, which AG808 judges on a live account (two calls per collection
fewer).

Read only in a region whose collections a knowledge base names as its vector store (``WHEN``): the security
policies serve the collections alone.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from agentgov.audit.collectors.answers import ask
from agentgov.audit.collectors.base import UNEXPECTED_ANSWER, Call, CallFailed, Context, live
from agentgov.audit.collectors.resolve import When
from agentgov.scanner.model import Unknown

AREA = "opensearchserverless"
SCOPE = "regional"
SERVICE = "opensearchserverless"
KINDS = ("aoss_collection", "aoss_security_policy")
WHEN = When("names an OpenSearch Serverless collection (a knowledge base's vector store)", referenced=("aoss_collection",))

CALLS = tuple(
    Call(SERVICE, op, f"aoss:{op}")
    for op in (
        "ListCollections",
        "ListSecurityPolicies",
        "GetSecurityPolicy",
    )
)
#: the security policies read (a network policy decides access now; an encryption policy only decided the key)
POLICY_TYPES = ("network",)


def _paged(ctx: Context, operation: str, key: str, **params: Any) -> Iterator[dict[str, Any]]:
    """Every item of a list call botocore has no paginator for; a ``nextToken`` that comes back twice ends the list
    as a failed call (a coverage gap), never as a loop."""
    token: str | None = None
    seen: set[str] = set()
    while True:
        answer = ctx.call(SERVICE, operation, **params, **({"nextToken": token} if token else {}))
        yield from answer.get(key) or []
        token = answer.get("nextToken")
        if not token:
            return
        if token in seen:
            call = next(c for c in CALLS if c.operation == operation)
            raise CallFailed(call, UNEXPECTED_ANSWER, f"nextToken {token!r} came back twice: the list does not advance")
        seen.add(token)


def _encryption(key: Any) -> dict[str, Any] | None:
    if not isinstance(key, str) or not key:
        return None
    if key == "auto":  # the AWS-owned key
        return {"aws_owned_key": True}
    return {"kms_key_arn": key, "aws_owned_key": False}  # otherwise the customer managed key's ARN


def collect(ctx: Context) -> None:
    with ctx.enumeration("aoss_collection"):
        for c in _paged(ctx, "ListCollections", "collectionSummaries"):
            with ctx.reading(SERVICE, "ListCollections", c):
                props = live({k: v for k, v in c.items() if k != "kmsKeyArn"})
                enc = _encryption(c.get("kmsKeyArn"))
                if enc:
                    props["encryption_config"] = enc
                ctx.add("aoss_collection", "AWS::OpenSearchServerless::Collection", c["arn"], props, name=c["name"])
    with ctx.enumeration("aoss_security_policy"):
        for ptype in POLICY_TYPES:
            for sp in _paged(ctx, "ListSecurityPolicies", "securityPolicySummaries", type=ptype):
                with ctx.reading(SERVICE, "ListSecurityPolicies", sp):
                    detail = ask(ctx, SERVICE, "GetSecurityPolicy", name=sp["name"], type=ptype)
                    props = live({k: v for k, v in sp.items() if k not in ("createdDate", "lastModifiedDate")})
                    props["type"] = ptype
                    # the document is data (rule keys as the service spells them): kept as answered
                    props["policy"] = detail if isinstance(detail, Unknown) else detail["securityPolicyDetail"].get("policy")
                    ctx.add(
                        "aoss_security_policy",
                        "AWS::OpenSearchServerless::SecurityPolicy",
                        f"aoss-security-policy/{ptype}/{sp['name']}",
                        props,
                        name=sp["name"],
                    )
