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
from agentgov.scanner.model import Unknown
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
            with ctx.reading(SERVICE, "GetAccountAuthorizationDetails", r):
                _role(ctx, r)
        for p in page.get("Policies") or []:
            with ctx.reading(SERVICE, "GetAccountAuthorizationDetails", p):
                _policy(ctx, p)


def _tail(arn: str) -> str:
    return arn.rsplit("/", 1)[-1]


def _role(ctx: Context, r: dict[str, Any]) -> None:
    arn = r["Arn"]  # what names the record: without it the role is a gap of its own
    name = r.get("RoleName") or _tail(arn)
    boundary = r.get("PermissionsBoundary") or {}
    props = {
        "name": name,
        "path": r.get("Path"),
        "role_id": r.get("RoleId"),
        "assume_role_policy": _document(r.get("AssumeRolePolicyDocument")),
        "inline_policies": [
            {"name": p.get("PolicyName"), "document": _document(p.get("PolicyDocument"))} for p in r.get("RolePolicyList") or []
        ],
        "managed_policy_arns": [p["PolicyArn"] for p in r.get("AttachedManagedPolicies") or [] if p.get("PolicyArn")],
        # (RoleDetail has no MaxSessionDuration: GetRole alone answers it, and no policy reads it)
        "role_last_used": {k: str(v) for k, v in (r.get("RoleLastUsed") or {}).items()},
    }
    if boundary.get("PermissionsBoundaryArn"):  # (absent, not null: the role has none)
        props["permissions_boundary"] = boundary["PermissionsBoundaryArn"]
    ctx.add("role", "AWS::IAM::Role", arn, props, tags=tag_dict(r.get("Tags")), name=name)


def _policy(ctx: Context, p: dict[str, Any]) -> None:
    arn = p["Arn"]
    if ":iam::aws:policy/" in arn:  # an AWS managed policy, outside the LocalManagedPolicy filter asked for: not the account's
        return
    name = p.get("PolicyName") or _tail(arn)
    default: dict[str, Any] = next((v for v in p.get("PolicyVersionList") or [] if v.get("IsDefaultVersion")), {})
    props = {
        "name": name,
        "path": p.get("Path"),
        "document": _document(default.get("Document")),
        "default_version_id": p.get("DefaultVersionId"),
        "attachment_count": p.get("AttachmentCount"),
        "permissions_boundary_usage_count": p.get("PermissionsBoundaryUsageCount"),
        "roles": [],  # attachments are read from the roles (managed_policy_arns)
    }
    # ManagedPolicyDetail has no Tags (iam ListPolicyTags answers them, and no policy reads them): not known, not none
    tags = Unknown("GetAccountAuthorizationDetails does not answer a managed policy's tags (iam ListPolicyTags is not called)")
    ctx.add("managed_policy", "AWS::IAM::ManagedPolicy", arn, props, tags=tags, name=name)
