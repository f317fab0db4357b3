"""agentgov's copy of the AWS managed policy documents (scanner/data/aws_managed_policies.json.gz).

Refresh it with ``python -m agentgov.scanner.aws_managed_policies --refresh`` when a test here fails for age or size.
"""

from __future__ import annotations

import datetime as dt
import json

import pytest

from agentgov.scanner import aws_managed_policies as amp


def test_copy_is_fresh_and_complete():
    head = amp.header()
    assert amp.problems(head, dt.date.today().isoformat()) == [], (
        f"{amp.problems(head, dt.date.today().isoformat())}: run python -m agentgov.scanner.aws_managed_policies --refresh"
    )
    assert head["count"] == len(amp.names())
    assert head["source"].startswith("moto ")


@pytest.mark.parametrize(
    ("head", "words"),
    [
        ({"format": 2, "count": 1485, "source_date": "2025-09-30"}, "stale"),
        ({"format": 2, "count": 900, "source_date": "2026-11-01"}, "shrunken"),
        ({"format": 2, "count": 1485, "source_date": None}, "not a date"),
        ({"format": 1, "count": 1485, "source_date": "2026-11-01"}, "format 1"),
    ],
)
def test_problems_notices_a_stale_shrunken_or_foreign_copy(head, words):
    found = amp.problems(head, "2026-12-06")
    assert len(found) == 1 and words in found[0], found


def test_documents_by_arn_path_and_by_bare_name():
    full = amp.document("AmazonBedrockFullAccess")
    assert any("bedrock:*" in (s.get("Action") or []) for s in full["Statement"])
    basic = amp.document("service-role/AWSLambdaBasicExecutionRole")
    assert basic is not None and amp.document("AWSLambdaBasicExecutionRole") == basic
    assert amp.document("AmazonBedrockPolicyPublishedAfterTheCopy") is None


def test_a_document_is_found_by_its_whole_key_only():
    """Lines are found by key: a key that is the tail or head of another, or holds a line break, finds nothing else."""
    assert amp.document("AmazonBedrockFullAcces") is None  # a prefix of a real key
    assert amp.document("mazonBedrockFullAccess") is None  # a suffix
    assert amp.document("AmazonBedrockFullAccess\nAdministratorAccess") is None
    assert amp.document("") is None
    assert len(amp.names()) == len(set(amp.names())) == amp.header()["count"]


def test_the_decompressed_copy_is_cached_and_a_truncated_cache_is_not_used(tmp_path, monkeypatch):
    monkeypatch.setenv("AGENTGOV_CACHE_DIR", str(tmp_path))
    fresh = amp._decompressed()
    (cached,) = tmp_path.glob("aws-managed-policies-*.txt")
    assert cached.read_bytes() == fresh and fresh.startswith(b"{")
    assert bytes(amp._decompressed()[:]) == fresh  # from the cache (a memory map of it)
    cached.write_bytes(fresh[: len(fresh) // 2])  # a torn copy (a full disk, another writer)
    assert bytes(amp._decompressed()[:]) == fresh


def test_copy_matches_the_installed_moto_source():
    """The documents are moto's, not edited: every policy of the copy is moto's with the same document."""
    pytest.importorskip("moto", reason="moto is in the test extras")
    from moto.iam.aws_managed_policies import aws_managed_policies_data

    theirs = json.loads(aws_managed_policies_data)
    for key in ("AmazonBedrockFullAccess", "AdministratorAccess", "service-role/AWSLambdaBasicExecutionRole"):
        name = key.rsplit("/", 1)[-1]
        assert amp.document(key) == theirs[name]["Document"], key
    if amp.header()["source"].split()[1] == __import__("moto").__version__:
        assert len(theirs) == amp.header()["count"]
