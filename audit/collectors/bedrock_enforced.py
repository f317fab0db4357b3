"""Bedrock: the account's enforced guardrail configuration in the region (``PutEnforcedGuardrailConfiguration``).

Each configuration applies a guardrail version to every model invocation of the
account in the region (``modelEnforcement`` can include or exclude models), with
no change to the agents: AG206 counts one that applies a registered guardrail.
One record per configuration, with CloudFormation's
``AWS::Bedrock::EnforcedGuardrailConfiguration`` attribute names (``guardrail_arn``,
``guardrail_version``, ``model_enforcement``, ...). Its own collector, so that a
denied ``ListEnforcedGuardrailsConfiguration`` is a coverage gap of this
configuration alone: the region's guardrails and invocation logging are still
collected whole, and AG206 says UNKNOWN where it would have needed the answer.
"""

from __future__ import annotations

from agentgov.audit.collectors.base import Call, Context, live

AREA = "bedrock-enforced-guardrails"
#: collected whole when the list completes: none found means the account enforces none in the region
KINDS = ("enforced_guardrail",)
SCOPE = "regional"
SERVICE = "bedrock"

CALLS = (Call(SERVICE, "ListEnforcedGuardrailsConfiguration", "bedrock:ListEnforcedGuardrailsConfiguration"),)


def collect(ctx: Context) -> None:
    for cfg in ctx.items(SERVICE, "ListEnforcedGuardrailsConfiguration", "guardrailsConfig"):
        with ctx.reading(SERVICE, "ListEnforcedGuardrailsConfiguration", cfg):
            props = live(cfg)
            props.setdefault("guardrail_identifier", cfg.get("guardrailArn"))  # CloudFormation's input member
            identity = (
                f"arn:{ctx.partition}:bedrock:{ctx.region}:{ctx.account}:enforced-guardrail-configuration/{cfg['configId']}"
            )
            ctx.add("enforced_guardrail", "AWS::Bedrock::EnforcedGuardrailConfiguration", identity, props, arn=None)
