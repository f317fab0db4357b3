"""OpenSearch Serverless collections as the service creates and lists them, which moto 5.2 gets wrong.

moto's ``CreateCollection`` takes the key from the first security policy of *any* type that names the
collection exactly (no ``collection/kb-*`` patterns; a network policy or an AWS-owned-key encryption policy
makes it fail with a KeyError), ignores ``encryptionConfig``, and its ``ListCollections`` omits ``kmsKeyArn``
and does not page. Here, on moto's own backend and collection records:

* ``CreateCollection`` takes the collection's own ``encryptionConfig`` (``kmsKeyArn``, or ``aWSOwnedKey``), else
  the encryption policy whose ``collection`` rule covers the name (a trailing ``*`` is a prefix match): its
  ``KmsARN``, else the AWS-owned key, which the service answers as ``kmsKeyArn`` ``auto`` (the API reference's
  CreateCollection example); without a covering encryption policy it is refused, as the service does;
* ``ListCollections`` answers ``id``, ``name``, ``status``, ``arn`` and ``kmsKeyArn`` per collection, filtered by
  ``collectionFilters`` and in pages of ``maxResults`` (``nextToken``).
"""

from __future__ import annotations

import re
from typing import Any

from agentgov.demo.awsmock._common import _LOCK, Refused, _page


def _covers(pattern: Any, name: str) -> bool:
    if not isinstance(pattern, str) or not pattern.startswith("collection/"):
        return False
    rx = "".join(".*" if ch == "*" else re.escape(ch) for ch in pattern[len("collection/") :])
    return re.fullmatch(rx, name) is not None


def _key(backend: Any, name: str, cfg: dict[str, Any] | None) -> str:
    if cfg and cfg.get("kmsKeyArn"):
        return str(cfg["kmsKeyArn"])
    if cfg and cfg.get("aWSOwnedKey"):
        return "auto"
    for sp in backend.security_policies.values():
        if sp.type != "encryption" or not isinstance(sp.policy, dict):
            continue
        for rule in sp.policy.get("Rules") or []:
            if rule.get("ResourceType") == "collection" and any(_covers(p, name) for p in rule.get("Resource") or []):
                return str(sp.policy.get("KmsARN") or "auto")
    raise Refused(
        f"No matching security policy of encryption type found for collection name: {name}."
        " Please create security policy of encryption type for this collection."
    )


def _create_collection(self: Any, p: dict[str, Any]) -> dict[str, Any]:
    from moto.opensearchserverless.models import Collection

    backend = self.opensearchserverless_backend
    with _LOCK:
        if any(c.name == p["name"] for c in backend.collections.values()):
            raise Refused(f"Collection with name {p['name']} already exists", "ConflictException")
        key = _key(backend, p["name"], p.get("encryptionConfig"))
        coll = Collection(
            client_token=p.get("clientToken") or "",
            description=p.get("description") or "",
            name=p["name"],
            standby_replicas=p.get("standbyReplicas") or "ENABLED",
            tags=p.get("tags") or [],
            type=p.get("type") or "TIMESERIES",
            policy={"KmsARN": key},
            region=self.region,
            account_id=self.current_account,
        )
        backend.collections[coll.id] = coll
        if p.get("tags"):
            backend.tag_resource(coll.arn, p["tags"])
    detail = coll.to_dict()
    detail["status"] = "CREATING"
    return {"createCollectionDetail": detail}


def _list_collections(self: Any, p: dict[str, Any]) -> dict[str, Any]:
    filters = p.get("collectionFilters") or {}
    items = [
        {"id": c.id, "name": c.name, "status": c.status, "arn": c.arn, "kmsKeyArn": c.kms_key_arn}
        for c in self.opensearchserverless_backend.collections.values()
        if filters.get("name") in (None, c.name) and filters.get("status") in (None, c.status)
    ]
    return _page(items, p, "collectionSummaries")


OPERATIONS = (
    ("CreateCollection", _create_collection),
    ("ListCollections", _list_collections),
)
