"""IAM service-specific credentials (Bedrock API keys among them): CreateServiceSpecificCredential and
ListServiceSpecificCredentials, which moto 5.2 lacks, answered as botocore's iam model shapes them
(ServiceSpecificCredential / ServiceSpecificCredentialMetadata; ExpirationDate only for a key created with
CredentialAgeDays; ListServiceSpecificCredentials takes UserName or AllUsers, filters by ServiceName, pages by Marker)."""

from __future__ import annotations

import secrets
from datetime import timedelta
from typing import Any

from agentgov.demo.awsmock._common import NotFound, Refused, _id, _now, _page, _state

#: the services IAM issues service-specific credentials for
SERVICES = ("bedrock.amazonaws.com", "codecommit.amazonaws.com", "cassandra.amazonaws.com")


class CredentialState:
    def __init__(self) -> None:
        self.credentials: list[dict[str, Any]] = []  # ServiceSpecificCredentialMetadata records, in creation order


def _creds(resp: Any) -> list[dict[str, Any]]:
    return _state(resp.backend, CredentialState).credentials


def _create(self: Any, p: dict[str, Any]) -> dict[str, Any]:
    user, service = p["UserName"], p["ServiceName"]
    if user not in self.backend.users:
        raise NotFound(f"The user with name {user} cannot be found.", "NoSuchEntity")
    if service not in SERVICES:
        raise Refused(f"Service {service} is not supported for service-specific credentials.", "NotSupportedService")
    mine = [c for c in _creds(self) if c["UserName"] == user and c["ServiceName"] == service]
    if len(mine) >= 2:
        raise Refused("You can have a maximum of two sets of service-specific credentials per service per user.", "LimitExceeded")
    now = _now()
    cred_id = "ACCA" + _id()[:10] + _id()[:6]
    rec: dict[str, Any] = {
        "UserName": user,
        "Status": "Active",
        "CreateDate": now,
        "ServiceSpecificCredentialId": cred_id,
        "ServiceName": service,
    }
    if service == "bedrock.amazonaws.com":
        rec["ServiceCredentialAlias"] = f"{user}-at-{self.current_account}"
    else:
        rec["ServiceUserName"] = f"{user}-at-{self.current_account}"
    if p.get("CredentialAgeDays"):
        rec["ExpirationDate"] = now + timedelta(days=int(p["CredentialAgeDays"]))
    _creds(self).append(rec)
    secret = secrets.token_urlsafe(24)
    out = dict(rec)
    if service == "bedrock.amazonaws.com":
        out["ServiceCredentialSecret"] = secret
    else:
        out["ServicePassword"] = secret
    return {"ServiceSpecificCredential": out}


def _list(self: Any, p: dict[str, Any]) -> dict[str, Any]:
    if p.get("AllUsers") and p.get("UserName"):
        raise Refused("AllUsers cannot be specified together with UserName.", "InvalidInput")
    items = _creds(self)
    if not p.get("AllUsers"):
        user = p.get("UserName")
        if user is None:
            raise Refused("The caller is not an IAM user: name one with UserName.", "InvalidInput")
        if user not in self.backend.users:
            raise NotFound(f"The user with name {user} cannot be found.", "NoSuchEntity")
        items = [c for c in items if c["UserName"] == user]
    if p.get("ServiceName"):
        items = [c for c in items if c["ServiceName"] == p["ServiceName"]]
    return _page(items, p, "ServiceSpecificCredentials", token="Marker", limit="MaxItems", size=100, truncated="IsTruncated")


OPERATIONS = (("CreateServiceSpecificCredential", _create), ("ListServiceSpecificCredentials", _list))
