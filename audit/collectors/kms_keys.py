"""KMS keys: state, manager, rotation, key policy, tags (``enable_key_rotation`` and
``key_policy`` have CloudFormation's names).

Every key of ``ListKeys`` is recorded (its ARN resolves an agent's, a gateway's, a memory's reference);
its details are read when the account's agentic resources reach it (``reach``), and are unknown
otherwise, with the reason. Its tags come from the region's ``GetResources``.

The keys of a region are listed only where they can be named (``WHEN``): a KMS key ARN of the region among the
account's references (the APIs name a function's, secret's, log group's or trail's key by ARN), or an agentic
resource of the region, which may name one by its bare id (a key of its own region); elsewhere no record names
one of them."""

from __future__ import annotations

from typing import Any

from agentgov.audit.collectors.answers import ask
from agentgov.audit.collectors.base import Call, Context, live, tag_dict
from agentgov.audit.collectors.reach import unread
from agentgov.audit.collectors.resolve import When
from agentgov.audit.collectors.tagging import GET_RESOURCES, tags_of
from agentgov.scanner.model import Unknown
from agentgov.scanner.normalize import parse_policy_document

AREA = "kms"
SCOPE = "regional"
SERVICE = "kms"
#: runs after the account's other collectors: details only of the keys they reach (``reach``)
REACHED = True
#: listed where a reference of the account may name one: a key ARN of the region, or what may name a key by its id
WHEN = When(
    "names a KMS key there (no key ARN of the region among the account's references, no agentic resource in the region)",
    holding=("agent", "knowledge_base", "data_source", "guardrail", "flow", "agent_runtime", "gateway", "memory",
             "policy_engine", "code_interpreter", "browser"),
    arn_services=("kms",),
)  # fmt: skip

CALLS = (
    Call(SERVICE, "ListKeys", "kms:ListKeys"),
    Call(SERVICE, "DescribeKey", "kms:DescribeKey"),
    Call(SERVICE, "GetKeyRotationStatus", "kms:GetKeyRotationStatus"),
    Call(SERVICE, "GetKeyPolicy", "kms:GetKeyPolicy"),
    Call(SERVICE, "ListResourceTags", "kms:ListResourceTags"),
    GET_RESOURCES,
)


def collect(ctx: Context) -> None:
    for k in ctx.items(SERVICE, "ListKeys", "Keys"):
        with ctx.reading(SERVICE, "ListKeys", k):
            arn = k["KeyArn"]
            if ctx.reach is not None and not ctx.reach.reaches(k["KeyId"], arn):  # no agentic resource uses it: listed only
                props: dict[str, Any] = {"key_id": k["KeyId"], "key_arn": arn}
                props.update({p: unread() for p in ("enabled", "key_manager", "key_state", "enable_key_rotation", "key_policy")})
                listed_tags = tags_of(ctx, arn)
                tags: Any = listed_tags if listed_tags is not None else unread()
                ctx.add("kms_key", "AWS::KMS::Key", arn, props, tags=tags, name=k["KeyId"])
                continue
            d = ask(ctx, SERVICE, "DescribeKey", KeyId=arn)
            if isinstance(d, Unknown):
                props = {"key_id": k["KeyId"], "enabled": d, "key_manager": d, "key_state": d}
            else:
                props = live(d["KeyMetadata"])
            rotation = ask(ctx, SERVICE, "GetKeyRotationStatus", KeyId=arn)
            props["enable_key_rotation"] = rotation if isinstance(rotation, Unknown) else rotation.get("KeyRotationEnabled")
            policy = ask(ctx, SERVICE, "GetKeyPolicy", KeyId=arn, PolicyName="default")
            props["key_policy"] = policy if isinstance(policy, Unknown) else parse_policy_document(policy.get("Policy"))
            tags = tags_of(ctx, arn)  # the region's GetResources, else (denied, failed) the key's own tags
            if tags is None:
                listed = ctx.all_items(SERVICE, "ListResourceTags", "Tags", KeyId=arn)
                tags = listed if isinstance(listed, Unknown) else tag_dict(listed)
            ctx.add("kms_key", "AWS::KMS::Key", arn, props, tags=tags, name=k["KeyId"])
