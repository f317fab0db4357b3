"""Lambda: every function's configuration (role, VPC, environment, tracing, ...),
its reserved concurrency and tags (one ``GetFunction``: its ``Concurrency`` and ``Tags``; ``TagsError``
when the role may not read the tags, which are then unknown) and its resource policy (each statement a ``function_permission``,
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
    Call(SERVICE, "GetFunction", "lambda:GetFunction"),
    Call(SERVICE, "GetPolicy", "lambda:GetPolicy"),
    # GetFunction answers Tags only to a role that may also lambda:ListTags; on its TagsError the tags are asked
    # once more, alone (so the audit role's policy carries the action, and a passing error is not a gap)
    Call(SERVICE, "ListTags", "lambda:ListTags"),
)


def collect(ctx: Context) -> None:
    for fn in ctx.items(SERVICE, "ListFunctions", "Functions"):
        with ctx.reading(SERVICE, "ListFunctions", fn):
            _function(ctx, fn)


def _function(ctx: Context, fn: dict[str, Any]) -> None:
    arn = fn["FunctionArn"]
    props = live(fn)
    got = ask(ctx, SERVICE, "GetFunction", FunctionName=arn)
    tags: Any
    if isinstance(got, Unknown):
        props["reserved_concurrent_executions"] = tags = got
    else:
        props["reserved_concurrent_executions"] = (got.get("Concurrency") or {}).get("ReservedConcurrentExecutions")
        if got.get("TagsError"):  # the tags were not answered: asked alone, and unknown if that fails too, never "none"
            alone = ask(ctx, SERVICE, "ListTags", Resource=arn)
            tags = alone if isinstance(alone, Unknown) else dict(alone.get("Tags") or {})
        else:
            tags = dict(got.get("Tags") or {})
    ctx.add("function", "AWS::Lambda::Function", arn, props, tags=tags, name=fn.get("FunctionName"))
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
