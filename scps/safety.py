"""What keeps the compiled SCPs from being walked around: a scoped, protected break glass, a protected agent tag,
and the residual gaps that no SCP can close, stated for ``agentgov scp explain``.

* **Break glass.** The exemption (``ArnNotLike aws:PrincipalArn``) names roles under one IAM path
  (``scp_break_glass_role_path``, default ``/agentgov/break-glass/``) in the accounts you name
  (``scp_break_glass_accounts``), plus explicit ARN patterns (``scp_break_glass_principals``) that each name an
  account. A pattern that matches a role in *every* account (``arn:aws:iam::*:role/x``) is refused: anyone who can
  create a role of that name anywhere would escape every SCP. The roles under the path are protected: nobody but the
  break-glass principals and ``scp_break_glass_admins`` may create, change, tag or delete them.
* **The agent tag.** The denies that only an agent's resources should meet (AG102's boundary, AG301's VPC, AG206's
  guardrail) are scoped by ``agent_tag_key``. Removing the tag is denied, and so is omitting it where an SCP can tell
  an agent's resource from others: a role passed to Bedrock or AgentCore (``iam:PassedToService``), and a Lambda
  function that Bedrock is allowed to invoke (``lambda:AddPermission`` with ``lambda:Principal``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

DEFAULT_PATH = "/agentgov/break-glass/"
_ACCOUNT = re.compile(r"^\d{12}$")
_PATH = re.compile(r"^/([A-Za-z0-9+=,.@_-]+/)+$")
#: arn:PARTITION:iam::ACCOUNT:role/PATH-AND-NAME, the account a 12-digit id
_ROLE_PATTERN = re.compile(r"^arn:[a-z*-]+:iam::(?P<account>[^:]*):role/(?P<rest>.+)$")

#: what a principal could do to a break-glass role to take it over, or to lock responders out
BREAK_GLASS_ROLE_ACTIONS = [
    "iam:AttachRolePolicy", "iam:CreateRole", "iam:DeleteRole", "iam:DeleteRolePermissionsBoundary", "iam:DeleteRolePolicy",
    "iam:DetachRolePolicy", "iam:PutRolePermissionsBoundary", "iam:PutRolePolicy", "iam:TagRole", "iam:UntagRole",
    "iam:UpdateAssumeRolePolicy", "iam:UpdateRole", "iam:UpdateRoleDescription",
]  # fmt: skip
#: services a role is passed to when it becomes an agent's (or an AgentCore runtime's, gateway's, tool's) role
AGENT_SERVICES = ["bedrock.amazonaws.com", "bedrock-agentcore.amazonaws.com"]


class SafetyError(ValueError):
    """A break-glass setting that would open a hole in every SCP; the message names the parameter and the value."""


@dataclass(frozen=True)
class BreakGlass:
    principals: list[str]  # ArnNotLike aws:PrincipalArn values added to every Deny
    role_resources: list[str]  # the break-glass roles the protection statement covers
    admins: list[str]  # who may manage those roles besides the break-glass principals themselves
    path: str
    accounts: list[str]


def _role_pattern(param: str, value: str) -> re.Match[str]:
    m = _ROLE_PATTERN.match(value)
    if not m:
        raise SafetyError(
            f"{param}: {value!r} is not an IAM role ARN pattern (arn:aws:iam::111122223333:role/PATH/NAME); "
            "only roles can be scoped to an account and a path"
        )
    if not _ACCOUNT.match(m.group("account")):
        raise SafetyError(
            f"{param}: {value!r} does not name one account (12 digits): a role of that name in any account would be exempt "
            "from every SCP; name the account, or list the accounts in scp_break_glass_accounts"
        )
    return m


def break_glass(params: dict[str, Any]) -> BreakGlass:
    """The break-glass exemption and the roles it protects, from the parameters (SafetyError when unsafe)."""
    path = str(params.get("scp_break_glass_role_path") or DEFAULT_PATH)
    if not _PATH.match(path):
        raise SafetyError(f"scp_break_glass_role_path: {path!r} is not an IAM path (/name/ or /a/b/)")
    accounts = [str(a) for a in (params.get("scp_break_glass_accounts") or [])]
    bad = [a for a in accounts if not _ACCOUNT.match(a)]
    if bad:
        raise SafetyError(f"scp_break_glass_accounts: {', '.join(map(repr, bad))} not a 12-digit account id")
    explicit = [str(p) for p in (params.get("scp_break_glass_principals") or [])]
    resources: list[str] = []
    for p in explicit:
        _role_pattern("scp_break_glass_principals", p)
        resources.append(p)
    admins = [str(p) for p in (params.get("scp_break_glass_admins") or [])]
    for p in admins:
        _role_pattern("scp_break_glass_admins", p)
    derived = [f"arn:*:iam::{a}:role{path}*" for a in accounts]
    principals = explicit + [d for d in derived if d not in explicit]
    if principals:
        resources.insert(0, f"arn:*:iam::*:role{path}*")  # under the path in every account: none may be made elsewhere
    return BreakGlass(principals, list(dict.fromkeys(resources)), admins, path, accounts)


def _exempt(principals: list[str]) -> dict[str, Any]:
    return {"ArnNotLike": {"aws:PrincipalArn": list(principals)}} if principals else {}


def protection_statements(bg: BreakGlass, tag_key: str | None) -> list[tuple[str, str, dict[str, Any]]]:
    """(Sid, explanation, statement) of the statements that protect the break glass and the agent tag."""
    out: list[tuple[str, str, dict[str, Any]]] = []
    if bg.principals:
        out.append(
            (
                "AgentgovProtectBreakGlassRoles",
                f"creating, changing, tagging or deleting a break-glass role ({', '.join(bg.role_resources)}), "
                "except by the break-glass principals" + (" and scp_break_glass_admins" if bg.admins else ""),
                {
                    "Effect": "Deny",
                    "Action": sorted(BREAK_GLASS_ROLE_ACTIONS),
                    "Resource": list(bg.role_resources),
                    "Condition": _exempt(bg.principals + [a for a in bg.admins if a not in bg.principals]),
                },
            )
        )
    if tag_key:
        exempt = _exempt(bg.principals)
        out += [
            (
                "AgentgovProtectAgentTagOnRoles",
                f"removing the tag {tag_key} from an IAM role",
                {
                    "Effect": "Deny",
                    "Action": ["iam:UntagRole"],
                    "Resource": "*",
                    "Condition": {"ForAnyValue:StringEquals": {"aws:TagKeys": [tag_key]}, **exempt},
                },
            ),
            (
                "AgentgovProtectAgentTagOnFunctions",
                f"removing the tag {tag_key} from a Lambda function",
                {
                    "Effect": "Deny",
                    "Action": ["lambda:UntagResource"],
                    "Resource": "*",
                    "Condition": {"ForAnyValue:StringEquals": {"aws:TagKeys": [tag_key]}, **exempt},
                },
            ),
            (
                "AgentgovRequireAgentTagOnPassRole",
                f"passing a role without the tag {tag_key} to Bedrock or AgentCore (every role those services assume, "
                "including knowledge-base and logging roles, carries the tag)",
                {
                    "Effect": "Deny",
                    "Action": ["iam:PassRole"],
                    "Resource": "*",
                    "Condition": {
                        "StringEquals": {"iam:PassedToService": list(AGENT_SERVICES)},
                        "Null": {f"aws:ResourceTag/{tag_key}": "true"},
                        **exempt,
                    },
                },
            ),
            (
                "AgentgovRequireAgentTagOnBedrockPermission",
                f"letting Bedrock invoke a Lambda function that does not carry the tag {tag_key} (an action group's executor)",
                {
                    "Effect": "Deny",
                    "Action": ["lambda:AddPermission"],
                    "Resource": "*",
                    "Condition": {
                        "StringEquals": {"lambda:Principal": list(AGENT_SERVICES)},
                        "Null": {f"aws:ResourceTag/{tag_key}": "true"},
                        **exempt,
                    },
                },
            ),
        ]
    return out


def uses_tag(statement: dict[str, Any], tag_key: str) -> bool:
    """Whether a statement's condition is scoped by the agent tag (request, resource or principal tag)."""
    return any(tag_key in key for block in (statement.get("Condition") or {}).values() for key in block)


def residual_gaps(bg: BreakGlass, tag_scoped: list[str], tag_key: str, without_form: list[str]) -> list[str]:
    """What the SCPs as built do not prevent, one sentence each, for ``scp explain``."""
    gaps = [
        "SCPs do not apply to the organization's management account or to service-linked roles: agents there are "
        "governed by agentgov scan, audit and AWS Config only; deploy no agents in the management account.",
    ]
    if bg.principals:
        gaps.append(
            f"break glass: {', '.join(bg.principals)} are exempt from every statement; only the break-glass principals"
            + (f" and {', '.join(bg.admins)}" if bg.admins else "")
            + f" may manage roles under {bg.path} (AgentgovProtectBreakGlassRoles); review who may assume them."
        )
    else:
        gaps.append(
            "break glass: nobody is exempt (scp_break_glass_accounts and scp_break_glass_principals are empty): "
            "an incident responder cannot bypass these SCPs except from the management account."
        )
    if tag_scoped:
        gaps.append(
            f"{', '.join(tag_scoped)} judge only resources tagged {tag_key}. Removing the tag is denied, and so is omitting it "
            "on a role passed to Bedrock or AgentCore and on a Lambda function Bedrock may invoke; a function that an "
            "AgentCore gateway invokes through its role's lambda:InvokeFunction needs no resource policy, so it can "
            "omit the tag: AG301 and AG801 in scan and audit catch it."
        )
    if any(sid.startswith("AG206") for sid in tag_scoped):
        gaps.append(
            f"AG206's deny judges model calls from principals tagged {tag_key}; a role that carries no tag and is not "
            "passed to Bedrock (a user's or an application's) is not judged: the Organizations Bedrock policy "
            "(org_enforced_guardrails) covers every caller."
        )
    if without_form:
        gaps.append(
            f"{len(without_form)} policies have no preventive form (an SCP cannot see the setting): "
            f"{', '.join(without_form)}; scan, audit and AWS Config enforce them."
        )
    return gaps
