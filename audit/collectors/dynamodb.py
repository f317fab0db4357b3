"""DynamoDB tables: point-in-time recovery, encryption, deletion protection, tags.

``point_in_time_recovery_specification.point_in_time_recovery_enabled`` and
``sse_specification.sse_enabled`` have CloudFormation's names (the API
answers ``PointInTimeRecoveryStatus`` and ``SSEDescription.Status``).

Every table of ``ListTables`` is recorded; its details are read when the account's agentic resources reach
it (``reach``: a function's or runtime's environment, a role's policy names it), and are unknown otherwise,
with the reason. Its tags come from the region's ``GetResources``.
"""

from __future__ import annotations

from typing import Any, cast

from agentgov.audit.collectors.answers import ask
from agentgov.audit.collectors.base import Call, Context, live, tag_dict
from agentgov.audit.collectors.reach import unread
from agentgov.audit.collectors.tagging import GET_RESOURCES, tags_of
from agentgov.scanner.model import Unknown

AREA = "dynamodb"
SCOPE = "regional"
SERVICE = "dynamodb"
#: runs after the account's other collectors: details only of the tables they reach (``reach``)
REACHED = True

CALLS = (
    Call(SERVICE, "ListTables", "dynamodb:ListTables"),
    Call(SERVICE, "DescribeTable", "dynamodb:DescribeTable"),
    Call(SERVICE, "DescribeContinuousBackups", "dynamodb:DescribeContinuousBackups"),
    Call(SERVICE, "ListTagsOfResource", "dynamodb:ListTagsOfResource"),
    GET_RESOURCES,
)


#: what the detail reads give
_DETAILS = ("sse_specification", "deletion_protection_enabled", "point_in_time_recovery_specification", "billing_mode")


def collect(ctx: Context) -> None:
    for item in ctx.items(SERVICE, "ListTables", "TableNames"):
        # ListTables' TableNames holds strings; Context.items types every item of a list as a dict
        name = cast(str, item)
        with ctx.reading(SERVICE, "ListTables", name):
            arn = f"arn:{ctx.partition}:dynamodb:{ctx.region}:{ctx.account}:table/{name}"
            if ctx.reach is not None and not ctx.reach.reaches(name, arn):  # no agentic resource uses it: listed only
                props: dict[str, Any] = {"table_name": name}
                props.update({p: unread() for p in _DETAILS})
                listed: Any = tags_of(ctx, arn)
                ctx.add("table", "AWS::DynamoDB::Table", arn, props, tags=listed if listed is not None else unread(), name=name)
                continue
            d = ask(ctx, SERVICE, "DescribeTable", TableName=name)
            if isinstance(d, Unknown):
                props = {"table_name": name, "sse_specification": d, "deletion_protection_enabled": d}
            else:
                table = d["Table"]
                arn = table.get("TableArn", arn)
                props = live(table)
                sse = table.get("SSEDescription") or {}
                props["sse_specification"] = {
                    "sse_enabled": sse.get("Status") in ("ENABLED", "ENABLING"),
                    "sse_type": sse.get("SSEType"),
                    "kms_master_key_id": sse.get("KMSMasterKeyArn"),
                }
                props["billing_mode"] = (table.get("BillingModeSummary") or {}).get("BillingMode", "PROVISIONED")
            backups = ask(ctx, SERVICE, "DescribeContinuousBackups", TableName=name)
            if isinstance(backups, Unknown):
                props["point_in_time_recovery_specification"] = backups
            else:
                pitr = (backups.get("ContinuousBackupsDescription") or {}).get("PointInTimeRecoveryDescription") or {}
                props["point_in_time_recovery_specification"] = {
                    "point_in_time_recovery_enabled": pitr.get("PointInTimeRecoveryStatus") == "ENABLED"
                }
            tags: Any = tags_of(ctx, arn)  # the region's GetResources, else (denied, failed) the table's own tags
            if tags is None:
                listed = ctx.all_items(SERVICE, "ListTagsOfResource", "Tags", ResourceArn=arn)
                tags = listed if isinstance(listed, Unknown) else tag_dict(listed)
            ctx.add("table", "AWS::DynamoDB::Table", arn, props, tags=tags, name=name)
