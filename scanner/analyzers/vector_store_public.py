"""AG305: a knowledge base's OpenSearch Serverless collection is not reachable from the public internet: no network
policy rule set with ``AllowFromPublic: true`` has a collection or dashboard rule whose pattern covers it.

A collection that no network policy covers has no network access at all (a live account lists every policy: PASS);
in IaC the covering policy may be made in another stack, so no cover found in the collection's stack is UNKNOWN.
"""

from __future__ import annotations

from typing import Any

from ..conditions import FAIL, PASS, UNKNOWN, EvalContext, Verdict
from ..model import Resource
from ._vector_stores import (
    collection_name,
    collection_or_verdict,
    covering_rules,
    document,
    label,
    policies,
    policy_type_known,
    unreadable_policies,
)

PATH = "storage_configuration.opensearch_serverless_configuration.collection_arn"


def _public(value: Any) -> bool | None:
    if value is True or (isinstance(value, str) and value.lower() == "true"):
        return True
    if value is None or value is False or (isinstance(value, str) and value.lower() == "false"):
        return False
    return None


def check(res: Resource, ctx: EvalContext, params: dict[str, Any]) -> Verdict:
    inv = ctx.inventory
    coll, settled = collection_or_verdict(inv, res, PATH)
    if settled is not None or coll is None:
        return settled or Verdict(UNKNOWN, path=PATH)
    name = collection_name(coll)
    evidence: dict[str, Any] = {"collection": coll.label}
    if name is None:
        return Verdict(UNKNOWN, [f"collection {coll.label}'s name is known only at deploy time"], path=PATH, evidence=evidence)
    why = unreadable_policies(inv, coll)
    if why:
        return Verdict(UNKNOWN, [f"the network policies of collection {name} were not read: {why}"], path=PATH, evidence=evidence)
    public: list[str] = []
    private: list[str] = []
    unknown: list[str] = []
    for p in policies(inv, coll, "network"):
        doc, reason = document(p)
        if reason:
            unknown.append(reason)
            continue
        found, unsure = covering_rules(doc, name, ("collection", "dashboard"))
        unknown += [f"network policy {label(p)}: {u}" for u in unsure]
        if found and not policy_type_known(p):
            unknown.append(f"security policy {label(p)} covers collection {name} and its type is known only at deploy time")
            continue
        for rule_set, pattern in found:
            allow = _public(rule_set.get("AllowFromPublic"))
            if allow:
                public.append(f"network policy {label(p)} allows access from the public internet ({pattern})")
            elif allow is False:
                private.append(label(p))
            else:
                unknown.append(f"network policy {label(p)}'s AllowFromPublic is known only at deploy time")
    evidence["network_policies"] = sorted(set(private)) + [m.split(" allows", 1)[0] for m in public]
    if public:
        return Verdict(
            FAIL,
            [f"the knowledge base's vector store, collection {name}, is reachable from the public internet: {'; '.join(public)}"],
            path=PATH,
            evidence=evidence,
        )
    if unknown:
        return Verdict(UNKNOWN, unknown[:3], path=PATH, evidence=evidence)
    if private:
        return Verdict(PASS, path=PATH, evidence=evidence)
    if coll.source == "aws":
        return Verdict(
            PASS, [f"no network policy covers collection {name}: it has no network access"], path=PATH, evidence=evidence
        )
    return Verdict(
        UNKNOWN,
        [f"no network policy of its stack covers collection {name}: its network access is set outside it"],
        path=PATH,
        evidence=evidence,
    )
