"""IAM: every role (trust, inline policies, attached policies, boundary, tags),
every user (inline and attached policies, groups), every group (inline and attached policies) and every customer managed
policy (its default version), from one paginated ``GetAccountAuthorizationDetails``
per account instead of thousands of per-role calls; and every Bedrock API key
(service-specific credentials for bedrock.amazonaws.com, of all users), from
``ListServiceSpecificCredentials`` with ``AllUsers``.

Records have the normalized names the CloudFormation and Terraform sources
give roles: ``name``, ``assume_role_policy``, ``inline_policies[].name`` /
``.document``, ``managed_policy_arns``, ``permissions_boundary``.
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import unquote

from agentgov.audit.collectors.base import UNEXPECTED_ANSWER, Call, CallFailed, Context, live, tag_dict
from agentgov.scanner.model import Unknown
from agentgov.scanner.normalize import parse_policy_document

AREA = "iam"
SCOPE = "global"
SERVICE = "iam"

CALLS = (
    Call(SERVICE, "GetAccountAuthorizationDetails", "iam:GetAccountAuthorizationDetails"),
    Call(SERVICE, "ListServiceSpecificCredentials", "iam:ListServiceSpecificCredentials"),
)
#: kinds whose absence AG109 reads as "none exist" (a user without a Bedrock API key): a failed list says why not
KINDS = ("service_credential",)
#: the service whose service-specific credentials are Bedrock API keys (AG109)
BEDROCK = "bedrock.amazonaws.com"


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
    with ctx.enumeration("service_credential"):  # a failed list is a gap of its own: the roles are still read
        _bedrock_api_keys(ctx)
    _authorization_details(ctx)


def _authorization_details(ctx: Context) -> None:
    filters = ["Role", "User", "Group", "LocalManagedPolicy"]
    for page in ctx.pages(SERVICE, "GetAccountAuthorizationDetails", Filter=filters):
        for r in page.get("RoleDetailList") or []:
            with ctx.reading(SERVICE, "GetAccountAuthorizationDetails", r):
                _role(ctx, r)
        for u in page.get("UserDetailList") or []:
            with ctx.reading(SERVICE, "GetAccountAuthorizationDetails", u):
                _user(ctx, u)
        for g in page.get("GroupDetailList") or []:
            with ctx.reading(SERVICE, "GetAccountAuthorizationDetails", g):
                _group(ctx, g)
        for p in page.get("Policies") or []:
            with ctx.reading(SERVICE, "GetAccountAuthorizationDetails", p):
                _policy(ctx, p)


def _policies(detail: dict[str, Any], inline: str) -> dict[str, Any]:
    """A role's, user's or group's identity policies (``inline``: RolePolicyList, UserPolicyList, GroupPolicyList),
    under the names the IaC sources give them."""
    return {
        "inline_policies": [
            {"name": p.get("PolicyName"), "document": _document(p.get("PolicyDocument"))} for p in detail.get(inline) or []
        ],
        "managed_policy_arns": [p["PolicyArn"] for p in detail.get("AttachedManagedPolicies") or [] if p.get("PolicyArn")],
    }


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
        **_policies(r, "RolePolicyList"),
        # (RoleDetail has no MaxSessionDuration: GetRole alone answers it, and no policy reads it)
        "role_last_used": {k: str(v) for k, v in (r.get("RoleLastUsed") or {}).items()},
        "create_date": str(r["CreateDate"]) if r.get("CreateDate") else None,  # (AG111: a young role cannot be long unused)
    }
    if boundary.get("PermissionsBoundaryArn"):  # (absent, not null: the role has none)
        props["permissions_boundary"] = boundary["PermissionsBoundaryArn"]
    ctx.add("role", "AWS::IAM::Role", arn, props, tags=tag_dict(r.get("Tags")), name=name)


def _user(ctx: Context, u: dict[str, Any]) -> None:
    arn = u["Arn"]
    name = u.get("UserName") or _tail(arn)
    props = {
        "name": name,
        "path": u.get("Path"),
        "user_id": u.get("UserId"),
        **_policies(u, "UserPolicyList"),
        "groups": list(u.get("GroupList") or []),
    }
    if (u.get("PermissionsBoundary") or {}).get("PermissionsBoundaryArn"):
        props["permissions_boundary"] = u["PermissionsBoundary"]["PermissionsBoundaryArn"]
    ctx.add("user", "AWS::IAM::User", arn, props, tags=tag_dict(u.get("Tags")), name=name)


def _group(ctx: Context, g: dict[str, Any]) -> None:
    """A group and its identity policies (GroupDetail), which count as its users' own (``groups`` of a user names
    them; ``graph`` joins them by name)."""
    arn = g["Arn"]
    name = g.get("GroupName") or _tail(arn)
    props = {
        "name": name,
        "path": g.get("Path"),
        "group_id": g.get("GroupId"),
        **_policies(g, "GroupPolicyList"),
    }
    # GroupDetail has no Tags (a group cannot be tagged): none, as IAM says
    ctx.add("group", "AWS::IAM::Group", arn, props, tags={}, name=name)


def _bedrock_api_keys(ctx: Context) -> None:
    """Every user's service-specific credentials for Bedrock (ListServiceSpecificCredentials pages by Marker, and
    botocore has no paginator for it)."""
    marker: str | None = None
    seen: set[str] = set()
    while True:
        params: dict[str, Any] = {"AllUsers": True, "ServiceName": BEDROCK}
        if marker:
            params["Marker"] = marker
        page = ctx.call(SERVICE, "ListServiceSpecificCredentials", **params)
        for c in page.get("ServiceSpecificCredentials") or []:
            with ctx.reading(SERVICE, "ListServiceSpecificCredentials", c):
                props = live(c)  # service_name, user_name, status, create_date, expiration_date, ...
                for k in ("create_date", "expiration_date"):
                    if props.get(k) is not None:
                        props[k] = str(props[k])
                ctx.add(  # a credential has no ARN: named by its user and id
                    "service_credential",
                    "AWS::IAM::ServiceSpecificCredential",
                    f"{c['UserName']}/service-specific-credential/{c['ServiceSpecificCredentialId']}",
                    props,
                    name=c.get("ServiceCredentialAlias") or c["ServiceSpecificCredentialId"],
                )
        marker = page.get("Marker") if page.get("IsTruncated") else None
        if not marker:
            return
        if marker in seen:  # an answer that does not advance: stop, and say the list is not whole
            call = next(c for c in CALLS if c.operation == "ListServiceSpecificCredentials")
            raise CallFailed(call, UNEXPECTED_ANSWER, f"Marker {marker!r} came back twice: the list does not advance")
        seen.add(marker)


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
