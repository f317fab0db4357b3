"""DynamoDB tables: point-in-time recovery, encryption, deletion protection, tags.

``point_in_time_recovery_specification.point_in_time_recovery_enabled`` and
``sse_specification.sse_enabled`` have CloudFormation's names (the API
answers ``PointInTimeRecoveryStatus`` and ``SSEDescription.Status``).
"""

from __future__ import annotations

from typing import cast

from agentgov.audit.collectors.answers import ask
from agentgov.audit.collectors.base import Call, Context, live, tag_dict
from agentgov.scanner.model import Unknown

AREA = "dynamodb"
SCOPE = "regional"
SERVICE = "dynamodb"

CALLS = (
    Call(SERVICE, "ListTables", "dynamodb:ListTables"),
    Call(SERVICE, "DescribeTable", "dynamodb:DescribeTable"),
    Call(SERVICE, "DescribeContinuousBackups", "dynamodb:DescribeContinuousBackups"),
    Call(SERVICE, "ListTagsOfResource", "dynamodb:ListTagsOfResource"),
)


def collect(ctx: Context) -> None:
    for item in ctx.items(SERVICE, "ListTables", "TableNames"):
        # ListTables' TableNames holds strings; Context.items types every item of a list as a dict
        name = cast(str, item)
        with ctx.reading(SERVICE, "ListTables", name):
            arn = f"arn:{ctx.partition}:dynamodb:{ctx.region}:{ctx.account}:table/{name}"
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
            tags = ctx.all_items(SERVICE, "ListTagsOfResource", "Tags", ResourceArn=arn)
            ctx.add(
                "table", "AWS::DynamoDB::Table", arn, props, tags=tags if isinstance(tags, Unknown) else tag_dict(tags), name=name
            )
