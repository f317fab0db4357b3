"""Lambda: every function's configuration (role, VPC, environment, tracing, ...),
its tags and its resource policy (each statement a ``function_permission``,
as ``AWS::Lambda::Permission`` is in CloudFormation, so a function Bedrock
may invoke is an action-group function however it was found).
"""

from __future__ import annotations

import json
from typing import Any

from agentgov.audit.collectors.answers import ask
from agentgov.audit.collectors.base import NOT_FOUND_CODES, Call, CallFailed, Context, live
from agentgov.scanner.model import Unknown

AREA = "lambda"
SCOPE = "regional"
SERVICE = "lambda"

CALLS = (
    Call(SERVICE, "ListFunctions", "lambda:ListFunctions"),
    Call(SERVICE, "ListTags", "lambda:ListTags"),
    Call(SERVICE, "GetPolicy", "lambda:GetPolicy"),
    Call(SERVICE, "GetFunctionConcurrency", "lambda:GetFunctionConcurrency"),
)


def collect(ctx: Context) -> None:
    for fn in ctx.items(SERVICE, "ListFunctions", "Functions"):
        with ctx.reading(SERVICE, "ListFunctions", fn):
            _function(ctx, fn)


def _function(ctx: Context, fn: dict[str, Any]) -> None:
    arn = fn["FunctionArn"]
    props = live(fn)
    concurrency = ask(ctx, SERVICE, "GetFunctionConcurrency", FunctionName=arn)
    props["reserved_concurrent_executions"] = (
        concurrency if isinstance(concurrency, Unknown) else concurrency.get("ReservedConcurrentExecutions")
    )
    tags = ask(ctx, SERVICE, "ListTags", Resource=arn)
    ctx.add(
        "function",
        "AWS::Lambda::Function",
        arn,
        props,
        tags=tags if isinstance(tags, Unknown) else dict(tags.get("Tags") or {}),
        name=fn.get("FunctionName"),
    )
    try:
        policy = ctx.call(SERVICE, "GetPolicy", FunctionName=arn)
    except CallFailed as exc:
        if exc.code in NOT_FOUND_CODES:
            return  # no resource policy: nothing may invoke it but its account
        ctx.failures.append(exc)
        # who may invoke the function is not known: one record says so
        ctx.add(
            "function_permission",
            "AWS::Lambda::Permission",
            f"{arn}#policy",
            {"function_name": arn, "principal": exc.unknown()},
            parent=arn,
        )
        return
    try:
        doc = json.loads(policy.get("Policy") or "{}")
    except json.JSONDecodeError:
        return
    statements = doc.get("Statement") or []
    for i, st in enumerate(statements if isinstance(statements, list) else [statements]):
        principal = st.get("Principal")
        if isinstance(principal, dict):
            principal = principal.get("Service") or principal.get("AWS")
        condition = st.get("Condition") or {}
        source_arn = (condition.get("ArnLike") or {}).get("AWS:SourceArn") or (condition.get("ArnEquals") or {}).get(
            "AWS:SourceArn"
        )
        source_account = (condition.get("StringEquals") or {}).get("AWS:SourceAccount")
        props = {
            "function_name": arn,
            "statement_id": st.get("Sid"),
            "action": st.get("Action"),
            "principal": principal,
            "source_arn": source_arn,
            "source_account": source_account,
            "effect": st.get("Effect"),
        }
        ctx.add("function_permission", "AWS::Lambda::Permission", f"{arn}#permission/{st.get('Sid') or i}", props, parent=arn)
