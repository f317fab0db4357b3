"""AG109: no long-term Bedrock API keys (IAM service-specific credentials for ``bedrock.amazonaws.com``).

A service-specific credential reads as CreateServiceSpecificCredential's input and ListServiceSpecificCredentials'
output (Terraform's ``aws_iam_service_specific_credential`` uses the same names): ``service_name``, ``user_name``,
``status`` (Active, the default; Inactive; Expired), and how long it lives: ``credential_age_days`` (IaC: absent
means it never expires) or ``expiration_date`` (live: absent means it never expires). A credential for another
service (CodeCommit, Keyspaces) is not a Bedrock API key; an Inactive or Expired one cannot be used.

An IAM user fails when the scan holds an active Bedrock API key of it; on live accounts it passes when the account's
keys were listed whole (UNKNOWN naming the call when not); in IaC it is UNKNOWN: CloudFormation cannot declare a key
and keys are usually made outside the files, so the live audit settles it.

Every active Bedrock API key fails: it is a long-lived bearer secret that acts with its user's permissions. The
evidence says why it is critical when it is: it never expires, or its user holds administrator access (``*``), a
privilege-escalation path (AG103's table) or ``bedrock:*``. The user's permissions are read from its inline and
attached policies where the scan has them; group policies, Terraform's separate user-policy resources and a user the
scan does not hold are named as not assessed (the verdict is FAIL either way). A value known only at deploy time
(the service name, the status) makes the verdict UNKNOWN.
"""

from __future__ import annotations

from typing import Any

from ..conditions import FAIL, PASS, UNKNOWN, EvalContext, Verdict
from ..iam_data import wildcard_match
from ..iam_policies import Statement, is_any_resource, role_statements
from ..model import MISSING, Inventory, Resource, Unknown
from .privilege_escalation import find_paths

BEDROCK = "bedrock.amazonaws.com"


def _text(v: Any) -> str | None | Unknown:
    if v is None or v is MISSING:
        return None
    if isinstance(v, str):
        return v
    return v if isinstance(v, Unknown) else Unknown(f"{v} is known only at deploy time")


def _lifetime(props: dict[str, Any]) -> tuple[str | None, str | None]:
    """(how long the key lives, unknown reason); None: it never expires."""
    for attr, what in (("expiration_date", "expires {}"), ("credential_age_days", "expires {} days after creation")):
        v = props.get(attr)
        if v is None or v is MISSING:
            continue
        if isinstance(v, (Unknown,)) or not isinstance(v, (str, int, float)):
            return None, f"its {attr} is known only at deploy time"
        return what.format(v), None
    return None, None


def _broad(statements: list[Statement]) -> list[str]:
    """ "administrator access" / "bedrock:*" when an Allow grants it on every resource."""
    out: list[str] = []
    for s in statements:
        if s.effect != "Allow" or not (s.not_resources is not None or any(is_any_resource(r) for r in s.resources)):
            continue
        if s.not_actions is not None:
            out.append("administrator access (Allow with NotAction on *)")
            continue
        actions = [a.strip().lower() for a in s.actions if isinstance(a, str)]
        if "*" in actions:
            out.append("administrator access (* on *)")
        elif any(wildcard_match("bedrock:*", a) for a in actions):
            out.append("bedrock:* on *")
    return sorted(set(out))


def _user_access(inv: Inventory, res: Resource) -> tuple[list[str], list[str]]:
    """(why the key's user makes it critical, what of the user's permissions was not assessed)."""
    users = [e.dst for e in inv.out_edges(res.key, "user")]
    if not users:
        return [], ["the key's user is not named"]
    if not isinstance(users[0], str):
        return [], [f"the key's user is not among the scanned resources ({users[0].reason})"]
    user = inv.resources[users[0]]
    rs = role_statements(user, inv)
    why = _broad(rs.statements)
    held = [] if any(w.startswith("administrator") for w in why) else find_paths(rs.statements)[0]
    if held:  # (an administrator holds every path: not listed again)
        why.append("a privilege-escalation path (" + ", ".join(sorted({h["name"] for h in held})[:3]) + ")")
    return why, list(rs.unknown)  # (a user's groups' policies are among its statements)


def _check_user(res: Resource, inv: Inventory) -> Verdict:
    """An IAM user holds no active Bedrock API key: FAIL naming the scan's keys of the user; on live accounts PASS
    when the account's keys were listed whole; in IaC UNKNOWN (CloudFormation cannot declare a key, and keys are
    usually made outside the files: the live audit settles it)."""
    keys = [
        inv.resources[e.src]
        for e in inv.in_edges(res.key, "user")
        if inv.resources[e.src].kind == "service_credential" and check_key(inv.resources[e.src], inv).status == FAIL
    ]
    if keys:
        names = ", ".join(k.label for k in keys)
        return Verdict(FAIL, [f"the user holds {len(keys)} active long-term Bedrock API key(s): {names}"])
    if res.source == "aws":
        gap = inv.uncollected_of(res.account, "service_credential")  # IAM is global: its region is None
        if gap:
            return Verdict(UNKNOWN, [f"the account's Bedrock API keys were not listed: {gap[2]}"])
        return Verdict(PASS, ["the user holds no active Bedrock API key"])
    form = (
        "CloudFormation has no resource type for service-specific credentials"
        if res.source == "cloudformation"
        else "no aws_iam_service_specific_credential of the scanned files names this user"
    )
    return Verdict(
        UNKNOWN,
        [
            f"whether the user holds a Bedrock API key is settled on live accounts by agentgov audit ({form}; keys are made outside the files)"
        ],
    )


def check(res: Resource, ctx: EvalContext, params: dict[str, Any]) -> Verdict:
    if res.kind == "user":
        return _check_user(res, ctx.inventory)
    return check_key(res, ctx.inventory)


def check_key(res: Resource, inv: Inventory) -> Verdict:
    """One service-specific credential."""
    props = res.properties
    service = _text(props.get("service_name"))
    if isinstance(service, Unknown):
        return Verdict(UNKNOWN, [f"the credential's service is {service.reason}"], path="service_name")
    if service != BEDROCK:
        return Verdict(PASS, [f"not a Bedrock API key (a credential for {service})"], path="service_name")
    status = _text(props.get("status"))
    if isinstance(status, Unknown):
        return Verdict(UNKNOWN, [f"the Bedrock API key's status is {status.reason}"], path="status")
    if status in ("Inactive", "Expired"):
        return Verdict(PASS, [f"the Bedrock API key is {status}"], path="status")
    lifetime, unsure = _lifetime(props)
    why, not_assessed = _user_access(inv, res)
    if lifetime is None and unsure is None:
        why.insert(0, "it never expires")
    evidence: dict[str, Any] = {"service_name": BEDROCK, "user_name": str(props.get("user_name"))}
    if lifetime:
        evidence["lifetime"] = lifetime
    if why:
        evidence["critical_because"] = why
    if not_assessed or unsure:
        evidence["not_assessed"] = [*([unsure] if unsure else []), *not_assessed]
    msg = "an active long-term Bedrock API key (service-specific credential for bedrock.amazonaws.com)"
    msg += f" of user {props.get('user_name')}" if isinstance(props.get("user_name"), str) else ""
    msg += f"; critical: {'; '.join(why)}" if why else f" ({lifetime})" if lifetime else ""
    return Verdict(FAIL, [msg], path="service_name", evidence=evidence)
