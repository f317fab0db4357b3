"""Secrets Manager: every secret's metadata (rotation, key, resource policy, tags), never its value.

``GetSecretValue`` is not declared, so the audit role cannot read a secret and
the declared-calls test fails if a collector ever tries.

Read only in a region that holds an agentic resource that may name a secret (an agent, knowledge base, data
source, Lambda function, AgentCore runtime, gateway, gateway target or memory: what ``agent_secret`` follows), or
whose secrets a reference of the account names by ARN (an agent role's policy: ``WHEN``).
"""

from __future__ import annotations

from agentgov.audit.collectors.answers import ask
from agentgov.audit.collectors.base import Call, Context, live, tag_dict
from agentgov.audit.collectors.resolve import When
from agentgov.scanner.model import Unknown
from agentgov.scanner.normalize import parse_policy_document

AREA = "secretsmanager"
SCOPE = "regional"
SERVICE = "secretsmanager"
WHEN = When(
    "may read a secret (no agent, knowledge base, data source, function or AgentCore runtime, gateway or memory; no "
    "Secrets Manager ARN of the region in a policy)",
    holding=("agent", "knowledge_base", "data_source", "function", "agent_runtime", "gateway", "gateway_target", "memory"),
    arn_services=("secretsmanager",),
)

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
