"""AG305 and AG808 on live knowledge bases: the audit reads the account's OpenSearch Serverless collections
(ListCollections' kmsKeyArn) and security policies (ListSecurityPolicies, GetSecurityPolicy) and follows a knowledge
base's collectionArn to its collection; patterns such as collection/kb-* cover by prefix (moto, completed by
agentgov.demo.awsmock)."""

from __future__ import annotations

import json

import pytest

pytest.importorskip("moto")

import agentgov.demo.awsmock as S  # noqa: E402
from agentgov.audit.run import AuditOptions, run_audit  # noqa: E402

REGION = "us-east-1"


def _verdicts(pack, params, only):
    result = run_audit(AuditOptions(role_name=S.AUDIT_ROLE, regions=[REGION], workers=2), pack, params, only=only)
    return {(f.policy_id, f.resource_name or f.resource_id): f for f in result.findings if f.policy_id in only}


def _policy(aoss, name: str, kind: str, doc) -> None:
    aoss.create_security_policy(name=name, type=kind, policy=json.dumps(doc))


def _kb(session, account: str, name: str, collection_arn: str) -> str:
    ab = session.client("bedrock-agent", region_name=REGION)
    return ab.create_knowledge_base(
        name=name,
        roleArn=f"arn:aws:iam::{account}:role/kb",
        knowledgeBaseConfiguration={
            "type": "VECTOR",
            "vectorKnowledgeBaseConfiguration": {
                "embeddingModelArn": f"arn:aws:bedrock:{REGION}::foundation-model/amazon.titan-embed-text-v2:0"
            },
        },
        storageConfiguration={
            "type": "OPENSEARCH_SERVERLESS",
            "opensearchServerlessConfiguration": {
                "collectionArn": collection_arn,
                "vectorIndexName": "docs",
                "fieldMapping": {"vectorField": "v", "textField": "t", "metadataField": "m"},
            },
        },
    )["knowledgeBase"]["knowledgeBaseArn"]


def test_public_and_aws_owned_vector_stores_are_judged_live(aws, pack, params):
    (member,) = S.organization(1)
    session = S.session_in(member)
    aoss = session.client("opensearchserverless", region_name=REGION)
    key = f"arn:aws:kms:{REGION}:{member}:key/1234abcd-12ab-34cd-56ef-1234567890ab"
    _policy(
        aoss,
        "kb-owned",
        "encryption",
        {"Rules": [{"ResourceType": "collection", "Resource": ["collection/kb-*"]}], "AWSOwnedKey": True},
    )
    _policy(
        aoss,
        "secure-cmk",
        "encryption",
        {"Rules": [{"ResourceType": "collection", "Resource": ["collection/secure-*"]}], "AWSOwnedKey": False, "KmsARN": key},
    )
    _policy(
        aoss,
        "kb-public",
        "network",
        [{"Rules": [{"ResourceType": "collection", "Resource": ["collection/kb-*"]}], "AllowFromPublic": True}],
    )
    _policy(
        aoss,
        "secure-vpc",
        "network",
        [
            {
                "Rules": [{"ResourceType": "collection", "Resource": ["collection/secure-docs"]}],
                "AllowFromPublic": False,
                "SourceVPCEs": ["vpce-050f79086ee71ac05"],
            }
        ],
    )
    public = aoss.create_collection(name="kb-open", type="VECTORSEARCH")["createCollectionDetail"]
    secure = aoss.create_collection(name="secure-docs", type="VECTORSEARCH")["createCollectionDetail"]
    own = aoss.create_collection(name="own-key", type="VECTORSEARCH", encryptionConfig={"kmsKeyArn": key})[
        "createCollectionDetail"
    ]
    assert public["kmsKeyArn"] == "auto" and secure["kmsKeyArn"] == key
    names = {
        _kb(session, member, "open", public["arn"]): "open",
        _kb(session, member, "secure", secure["arn"]): "secure",
        _kb(session, member, "own", own["arn"]): "own",
        _kb(session, member, "elsewhere", f"arn:aws:aoss:{REGION}:{member}:collection/zzzzzzzzzz0000000000"): "elsewhere",
    }
    v = {(pid, names[r]): f for (pid, r), f in _verdicts(pack, params, ["AG305", "AG808"]).items()}
    assert {k: f.status.value for k, f in v.items()} == {
        ("AG305", "open"): "FAIL",
        ("AG808", "open"): "FAIL",
        ("AG305", "secure"): "PASS",
        ("AG808", "secure"): "PASS",
        ("AG305", "own"): "PASS",  # no network policy covers own-key: it has no network access
        ("AG808", "own"): "PASS",
        ("AG305", "elsewhere"): "UNKNOWN",
        ("AG808", "elsewhere"): "UNKNOWN",
    }
    assert "network policy kb-public allows access from the public internet" in v[("AG305", "open")].message
    assert "AWS-owned key" in v[("AG808", "open")].message
    assert "no network access" in v[("AG305", "own")].message


def test_denied_policy_reads_make_them_unknown_naming_the_call(aws, pack, params):
    (member,) = S.organization(1)
    session = S.session_in(member)
    aoss = session.client("opensearchserverless", region_name=REGION)
    _policy(
        aoss,
        "kb-owned",
        "encryption",
        {"Rules": [{"ResourceType": "collection", "Resource": ["collection/kb-*"]}], "AWSOwnedKey": True},
    )
    _policy(
        aoss,
        "kb-public",
        "network",
        [{"Rules": [{"ResourceType": "collection", "Resource": ["collection/kb-*"]}], "AllowFromPublic": True}],
    )
    coll = aoss.create_collection(name="kb-open", type="VECTORSEARCH")["createCollectionDetail"]
    _kb(session, member, "open", coll["arn"])
    S.deny(member, "opensearchserverless", "GetSecurityPolicy")
    (f,) = [f for (pid, _), f in _verdicts(pack, params, ["AG305"]).items()]
    assert f.status.value == "UNKNOWN" and "GetSecurityPolicy" in f.message, f.message
    S.deny(member, "opensearchserverless", "ListSecurityPolicies")
    (f,) = [f for (pid, _), f in _verdicts(pack, params, ["AG305"]).items()]
    assert f.status.value == "UNKNOWN" and "ListSecurityPolicies" in f.message, f.message
