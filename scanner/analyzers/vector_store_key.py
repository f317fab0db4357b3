"""AG808: a knowledge base's OpenSearch Serverless collection is encrypted with a customer-managed KMS key.

The key is fixed when the collection is created: by the collection's own encryption configuration
(CreateCollection's ``encryptionConfig``, CloudFormation's ``EncryptionConfig``: ``KmsKeyArn`` or ``AWSOwnedKey``)
or else by the encryption policy whose ``collection`` rule covers its name (``KmsARN``, which wins over
``AWSOwnedKey``, or ``AWSOwnedKey: true``). On a live account the collection's record carries the key it has
(BatchGetCollection's ``kmsKeyArn``), read into the same encryption configuration by the collector.
"""

from __future__ import annotations

from typing import Any

from ..conditions import FAIL, PASS, UNKNOWN, EvalContext, Verdict
from ..model import MISSING, Choice, Expr, Ref, Resource, Unknown
from ._vector_stores import (
    collection_name,
    collection_or_verdict,
    covering_rules,
    document,
    label,
    policies,
    policy_type_known,
)

PATH = "storage_configuration.opensearch_serverless_configuration.collection_arn"


def _own(coll: Resource) -> tuple[str | None, str | None]:
    """(PASS/FAIL of the collection's own encryption configuration, or None; why it is unknown)."""
    cfg = coll.properties.get("encryption_config")
    if isinstance(cfg, list):
        cfg = cfg[0] if len(cfg) == 1 else None
    if cfg is None or cfg is MISSING:
        return None, None
    if not isinstance(cfg, dict):
        return None, f"collection {coll.label}'s encryption configuration is known only at deploy time"
    key = cfg.get("kms_key_arn")
    if isinstance(key, (str, Ref, Expr)) and key != "":
        return PASS, None
    if isinstance(key, (Unknown, Choice)):
        return None, f"collection {coll.label}'s KMS key is known only at deploy time"
    owned = cfg.get("aws_owned_key")
    if owned is True or (isinstance(owned, str) and owned.lower() == "true"):
        return FAIL, None
    if owned is None or owned is False:
        return None, None
    return None, f"collection {coll.label}'s AWSOwnedKey is known only at deploy time"


def _policy_key(rule_set: Any) -> str | None:
    """CMK, AWS (owned key) or None (unknown) of an encryption policy document."""
    kms = rule_set.get("KmsARN")
    if isinstance(kms, (str, Ref, Expr)) and kms != "":
        return "CMK"
    if kms is not None:
        return None
    owned = rule_set.get("AWSOwnedKey")
    if owned is True or (isinstance(owned, str) and owned.lower() == "true"):
        return "AWS"
    return None


def check(res: Resource, ctx: EvalContext, params: dict[str, Any]) -> Verdict:
    inv = ctx.inventory
    coll, settled = collection_or_verdict(inv, res, PATH)
    if settled is not None or coll is None:
        return settled or Verdict(UNKNOWN, path=PATH)
    evidence: dict[str, Any] = {"collection": coll.label}
    own, why = _own(coll)
    if why:
        return Verdict(UNKNOWN, [why], path=PATH, evidence=evidence)
    if own == PASS:
        evidence["key"] = "the collection's own encryption configuration"
        return Verdict(PASS, path=PATH, evidence=evidence)
    if own == FAIL:
        return Verdict(
            FAIL,
            [
                f"the knowledge base's vector store, collection {coll.label}, is encrypted with an AWS-owned key, not a customer-managed one"
            ],
            path=PATH,
            evidence=evidence,
        )
    name = collection_name(coll)
    if name is None:
        return Verdict(UNKNOWN, [f"collection {coll.label}'s name is known only at deploy time"], path=PATH, evidence=evidence)
    if coll.source == "aws":  # the record carries its key; a record without one was not read whole
        return Verdict(UNKNOWN, [f"collection {name}'s encryption key was not read"], path=PATH, evidence=evidence)
    cmk: list[str] = []
    owned: list[str] = []
    unknown: list[str] = []
    for p in policies(inv, coll, "encryption"):
        doc, reason = document(p)
        if reason:
            unknown.append(reason)
            continue
        found, unsure = covering_rules(doc, name, ("collection",))
        unknown += [f"encryption policy {label(p)}: {u}" for u in unsure]
        if found and not policy_type_known(p):
            unknown.append(f"security policy {label(p)} covers collection {name} and its type is known only at deploy time")
            continue
        for rule_set, _pattern in found:
            key = _policy_key(rule_set)
            if key == "CMK":
                cmk.append(label(p))
            elif key == "AWS":
                owned.append(label(p))
            else:
                unknown.append(f"encryption policy {label(p)}'s key is known only at deploy time")
    evidence["encryption_policies"] = sorted(set(cmk + owned))
    if owned and not cmk:
        return Verdict(
            FAIL,
            [
                f"the knowledge base's vector store, collection {name}, is encrypted with an AWS-owned key"
                f" (encryption policy {', '.join(sorted(set(owned)))})"
            ],
            path=PATH,
            evidence=evidence,
        )
    if owned:
        unknown.insert(
            0,
            f"encryption policies {', '.join(sorted(set(owned)))} (AWS-owned key) and {', '.join(sorted(set(cmk)))}"
            f" (customer-managed key) both cover collection {name}: which applied at its creation is not in the files",
        )
    if unknown:
        return Verdict(UNKNOWN, unknown[:3], path=PATH, evidence=evidence)
    if cmk:
        return Verdict(PASS, path=PATH, evidence=evidence)
    return Verdict(
        UNKNOWN,
        [f"no encryption policy of its stack covers collection {name}: its key is set outside it"],
        path=PATH,
        evidence=evidence,
    )
