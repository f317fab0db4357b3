"""OpenSearch Serverless lists page by hand (botocore has no paginator): an answer whose nextToken does not
advance ends the list as a coverage gap naming the call, never as an endless loop (the contract test hung on it)."""

from __future__ import annotations

from typing import Any

import pytest

pytest.importorskip("botocore")

from aws_models import fake_answers, fake_session  # noqa: E402

from agentgov.audit.collectors import opensearch_serverless  # noqa: E402
from agentgov.audit.run import AuditOptions, _collect  # noqa: E402


def test_a_next_token_that_does_not_advance_is_a_gap() -> None:
    def answer(service: str, operation: str, _request: dict[str, Any]) -> dict[str, Any]:
        key = "collectionSummaries" if operation == "ListCollections" else "securityPolicySummaries"
        return {key: [], "nextToken": "same"}

    session = fake_session(fake_answers(answer))
    records, gaps, _failures, kinds = _collect(
        opensearch_serverless, session, "111122223333", "us-east-1", AuditOptions(role_name="t", max_attempts=1)
    )
    assert records == []
    assert [g.api for g in gaps] == ["opensearchserverless ListCollections", "opensearchserverless ListSecurityPolicies"]
    assert all("came back twice" in g.message for g in gaps)
    assert kinds["aoss_collection"] and kinds["aoss_security_policy"]  # neither collected whole: why, not None
