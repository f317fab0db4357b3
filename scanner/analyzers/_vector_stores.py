"""What AG305 and AG808 share: a knowledge base's OpenSearch Serverless collection and the security policies that
cover it.

A knowledge base names its vector store in ``storage_configuration`` (``type`` OPENSEARCH_SERVERLESS and
``opensearch_serverless_configuration.collection_arn``); the graph's ``vector_store`` edge leads to the collection.
OpenSearch Serverless applies network and encryption *security policies* to collections by name: each rule of a
policy has a ``ResourceType`` and ``Resource`` patterns ``collection/<name>`` where a trailing ``*`` is a prefix
match (``collection/kb-*``) and ``collection/*`` is every collection. Encryption policies are one object
(``Rules``, ``AWSOwnedKey``, ``KmsARN``); network policies a list of such rule sets with ``AllowFromPublic``.

Which policies can cover a collection: on a live account those of its account and region (every one is listed);
in IaC those of its own stack (template or Terraform root module). A policy of another stack may cover it once
deployed, and a policy of an unrelated project in the same scan must not: so a collection that no policy of its
stack covers is UNKNOWN, never judged on another stack's policies.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from ..conditions import PASS, UNKNOWN, Verdict
from ..model import Choice, Expr, Inventory, Resource, Unknown, walk

AOSS = "OPENSEARCH_SERVERLESS"


@dataclass
class Store:
    """The knowledge base's collection (None with ``reason`` when it cannot be judged, or ``other`` when the store
    is not OpenSearch Serverless)."""

    collection: Resource | None = None
    reason: str | None = None
    other: str | None = None


def store_of(inv: Inventory, kb: Resource) -> Store:
    edges = inv.out_edges(kb.key, "vector_store")
    for e in edges:
        if isinstance(e.dst, str):
            return Store(collection=inv.resources[e.dst])
    if edges:
        dst = edges[0].dst
        why = dst.reason if isinstance(dst, Unknown) else "it cannot be resolved"
        return Store(reason=f"its OpenSearch Serverless collection cannot be read: {why}")
    storage = kb.properties.get("storage_configuration")
    if isinstance(storage, list):  # a Terraform block
        storage = storage[0] if len(storage) == 1 else None
    kind = storage.get("type") if isinstance(storage, dict) else storage
    if isinstance(kind, str) and kind != AOSS:
        return Store(other=kind)
    if isinstance(kind, Unknown):
        return Store(reason=f"its storage type is {kind.reason}")
    if kind is None and storage is None:
        kb_type = next(iter(walk(kb.properties.get("knowledge_base_configuration"), "type")), None)
        if kb_type in ("KENDRA", "SQL"):  # a Kendra index or a structured data store: no vector store
            return Store(other=f"a {kb_type} knowledge base has no vector store")
        if isinstance(kb_type, str):  # VECTOR without a store, or a type the service models do not know (MANAGED)
            return Store(reason=f"the {kb_type} knowledge base declares no storage configuration it can be judged by")
    return Store(reason="its vector store is known only at deploy time")


def collection_name(coll: Resource) -> str | None:
    name = coll.properties.get("name")
    return name if isinstance(name, str) and name else None


def _same_scope(a: Resource, b: Resource) -> bool:
    if a.source == "aws" or b.source == "aws":
        return a.source == b.source and a.account == b.account and a.region == b.region
    return a.stack == b.stack


def policies(inv: Inventory, coll: Resource, kind: str) -> list[Resource]:
    """The security policies of type ``kind`` (network, encryption) that may cover ``coll``; a policy whose type is
    known only at deploy time is among them."""
    out = []
    for p in inv.of_kind("aoss_security_policy"):
        t = p.properties.get("type")
        if (not isinstance(t, str) or t.lower() == kind) and _same_scope(p, coll):
            out.append(p)
    return out


def label(p: Resource) -> str:
    """A security policy as its owner names it (a live record's identity is not its name)."""
    return p.name if p.source == "aws" and p.name else p.label


def policy_type_known(p: Resource) -> bool:
    return isinstance(p.properties.get("type"), str)


def matches(pattern: Any, name: str) -> bool | None:
    """Whether a rule's ``Resource`` entry covers the collection ``name`` (None: the pattern is known only at deploy
    time)."""
    if isinstance(pattern, (Expr, Choice, Unknown)):
        literal = pattern.literal if isinstance(pattern, Expr) else None
        return matches(literal, name) if isinstance(literal, str) else None
    if not isinstance(pattern, str) or not pattern.startswith("collection/"):
        return False
    pat = pattern[len("collection/") :]
    rx = "".join(".*" if ch == "*" else re.escape(ch) for ch in pat)
    return re.fullmatch(rx, name) is not None


def covering_rules(doc: Any, name: str, resource_types: tuple[str, ...]) -> tuple[list[tuple[Any, str]], list[str]]:
    """The rule sets of a parsed policy document with a rule of ``resource_types`` whose patterns cover ``name``:
    [(rule set, the pattern that covers)], and why some could not be read."""
    unknown: list[str] = []
    sets = doc if isinstance(doc, list) else [doc]
    found: list[tuple[Any, str]] = []
    for rs in sets:
        if not isinstance(rs, dict):
            unknown.append("a rule set is known only at deploy time")
            continue
        rules = rs.get("Rules")
        if not isinstance(rules, list):
            unknown.append("its rules are known only at deploy time")
            continue
        for rule in rules:
            if not isinstance(rule, dict):
                unknown.append("a rule is known only at deploy time")
                continue
            rtype = rule.get("ResourceType")
            if isinstance(rtype, str) and rtype not in resource_types:
                continue
            patterns = rule.get("Resource")
            for pat in patterns if isinstance(patterns, list) else [patterns]:
                hit = matches(pat, name)
                if hit is None or not isinstance(rtype, str):
                    unknown.append(f"the resource pattern {pat} is known only at deploy time")
                elif hit:
                    found.append((rs, f"{rtype} rule {pat}"))
                    break
    return found, unknown


def document(p: Resource) -> tuple[Any, str | None]:
    doc = p.properties.get("policy")
    if isinstance(doc, Unknown):
        return None, f"security policy {label(p)}'s document is {doc.reason}"
    if isinstance(doc, (Choice, Expr)) or not isinstance(doc, (dict, list)):
        return None, f"security policy {label(p)}'s document is known only at deploy time"
    return doc, None


def unreadable_policies(inv: Inventory, coll: Resource) -> str | None:
    """Why the account's security policies were not all read (live), else None."""
    gap = inv.uncollected_of(coll.account, "aoss_security_policy", coll.region)
    return gap[2] if gap else None


def collection_or_verdict(inv: Inventory, kb: Resource, path: str) -> tuple[Resource | None, Verdict | None]:
    """The knowledge base's OpenSearch Serverless collection, or the verdict when there is none to judge: PASS for
    another kind of vector store, UNKNOWN (with why) when the store cannot be followed."""
    store = store_of(inv, kb)
    if store.other:
        return None, Verdict(PASS, [f"the knowledge base's vector store is not OpenSearch Serverless ({store.other})"], path=path)
    if store.collection is None:
        return None, Verdict(UNKNOWN, [f"the knowledge base's vector store cannot be judged: {store.reason}"], path=path)
    return store.collection, None
