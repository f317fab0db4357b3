"""Secrets Manager: every secret's metadata (rotation, key, resource policy, tags), never its value.

``GetSecretValue`` is not declared, so the audit role cannot read a secret and
the declared-calls test fails if a collector ever tries.
"""

from __future__ import annotations

from agentgov.audit.collectors.answers import ask
from agentgov.audit.collectors.base import Call, Context, live, tag_dict
from agentgov.scanner.model import Unknown
from agentgov.scanner.normalize import parse_policy_document

AREA = "secretsmanager"
SCOPE = "regional"
SERVICE = "secretsmanager"

CALLS = (
    Call(SERVICE, "ListSecrets", "secretsmanager:ListSecrets"),
    Call(SERVICE, "GetResourcePolicy", "secretsmanager:GetResourcePolicy"),
)


def collect(ctx: Context) -> None:
    for sec in ctx.items(SERVICE, "ListSecrets", "SecretList"):
        with ctx.reading(SERVICE, "ListSecrets", sec):
            arn = sec["ARN"]
            props = live({k: v for k, v in sec.items() if k not in ("Tags", "SecretVersionsToStages")})
            policy = ask(ctx, SERVICE, "GetResourcePolicy", SecretId=arn)
            props["resource_policy"] = (
                policy if isinstance(policy, Unknown) else parse_policy_document(policy.get("ResourcePolicy"))
            )
            ctx.add("secret", "AWS::SecretsManager::Secret", arn, props, tags=tag_dict(sec.get("Tags")), name=sec.get("Name"))
