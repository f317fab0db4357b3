"""KMS keys: state, manager, rotation, key policy, tags (``enable_key_rotation`` and
``key_policy`` have CloudFormation's names)."""

from __future__ import annotations

from agentgov.audit.collectors.answers import ask
from agentgov.audit.collectors.base import Call, Context, live, tag_dict
from agentgov.scanner.model import Unknown
from agentgov.scanner.normalize import parse_policy_document

AREA = "kms"
SCOPE = "regional"
SERVICE = "kms"

CALLS = (
    Call(SERVICE, "ListKeys", "kms:ListKeys"),
    Call(SERVICE, "DescribeKey", "kms:DescribeKey"),
    Call(SERVICE, "GetKeyRotationStatus", "kms:GetKeyRotationStatus"),
    Call(SERVICE, "GetKeyPolicy", "kms:GetKeyPolicy"),
    Call(SERVICE, "ListResourceTags", "kms:ListResourceTags"),
)


def collect(ctx: Context) -> None:
    for k in ctx.items(SERVICE, "ListKeys", "Keys"):
        with ctx.reading(SERVICE, "ListKeys", k):
            arn = k["KeyArn"]
            d = ask(ctx, SERVICE, "DescribeKey", KeyId=arn)
            if isinstance(d, Unknown):
                props = {"key_id": k["KeyId"], "enabled": d, "key_manager": d, "key_state": d}
            else:
                props = live(d["KeyMetadata"])
            rotation = ask(ctx, SERVICE, "GetKeyRotationStatus", KeyId=arn)
            props["enable_key_rotation"] = rotation if isinstance(rotation, Unknown) else rotation.get("KeyRotationEnabled")
            policy = ask(ctx, SERVICE, "GetKeyPolicy", KeyId=arn, PolicyName="default")
            props["key_policy"] = policy if isinstance(policy, Unknown) else parse_policy_document(policy.get("Policy"))
            tags = ctx.all_items(SERVICE, "ListResourceTags", "Tags", KeyId=arn)
            ctx.add(
                "kms_key",
                "AWS::KMS::Key",
                arn,
                props,
                tags=tags if isinstance(tags, Unknown) else tag_dict(tags),
                name=k["KeyId"],
            )
