"""IAM: every role (trust, inline policies, attached policies, boundary, tags)
and every customer managed policy (its default version), from one paginated
``GetAccountAuthorizationDetails`` per account instead of thousands of
per-role calls.

Records have the normalized names the CloudFormation and Terraform sources
give roles: ``name``, ``assume_role_policy``, ``inline_policies[].name`` /
``.document``, ``managed_policy_arns``, ``permissions_boundary``.
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import unquote

from agentgov.audit.collectors.base import Call, Context, tag_dict
from agentgov.scanner.normalize import parse_policy_document

AREA = "iam"
SCOPE = "global"
SERVICE = "iam"

CALLS = (Call(SERVICE, "GetAccountAuthorizationDetails", "iam:GetAccountAuthorizationDetails"),)


def _document(value: Any) -> Any:
    """boto3 decodes IAM documents into dicts; a URL-encoded JSON string is decoded here."""
    if isinstance(value, str) and value.lstrip().startswith("%7B"):
        value = unquote(value)
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except json.JSONDecodeError:
            return parse_policy_document(value)
    return parse_policy_document(value)


def collect(ctx: Context) -> None:
    for page in ctx.pages(SERVICE, "GetAccountAuthorizationDetails", Filter=["Role", "LocalManagedPolicy"]):
        for r in page.get("RoleDetailList") or []:
            _role(ctx, r)
        for p in page.get("Policies") or []:
            _policy(ctx, p)


def _role(ctx: Context, r: dict[str, Any]) -> None:
    boundary = r.get("PermissionsBoundary") or {}
    props = {
        "name": r["RoleName"],
        "path": r.get("Path"),
        "role_id": r.get("RoleId"),
        "assume_role_policy": _document(r.get("AssumeRolePolicyDocument")),
        "inline_policies": [
            {"name": p.get("PolicyName"), "document": _document(p.get("PolicyDocument"))} for p in r.get("RolePolicyList") or []
        ],
        "managed_policy_arns": [p["PolicyArn"] for p in r.get("AttachedManagedPolicies") or []],
        "permissions_boundary": boundary.get("PermissionsBoundaryArn"),
        "max_session_duration": r.get("MaxSessionDuration"),
        "role_last_used": {k: str(v) for k, v in (r.get("RoleLastUsed") or {}).items()},
    }
    ctx.add("role", "AWS::IAM::Role", r["Arn"], props, tags=tag_dict(r.get("Tags")), name=r["RoleName"])


def _policy(ctx: Context, p: dict[str, Any]) -> None:
    default = next((v for v in p.get("PolicyVersionList") or [] if v.get("IsDefaultVersion")), {})
    props = {
        "name": p["PolicyName"],
        "path": p.get("Path"),
        "document": _document(default.get("Document")),
        "default_version_id": p.get("DefaultVersionId"),
        "attachment_count": p.get("AttachmentCount"),
        "permissions_boundary_usage_count": p.get("PermissionsBoundaryUsageCount"),
        "roles": [],  # attachments are read from the roles (managed_policy_arns)
    }
    ctx.add("managed_policy", "AWS::IAM::ManagedPolicy", p["Arn"], props, tags=tag_dict(p.get("Tags")), name=p["PolicyName"])
