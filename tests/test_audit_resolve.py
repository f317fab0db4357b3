"""Where a resolving collector runs (``audit.collectors.resolve``): what the account's first collections name, by region."""

from __future__ import annotations

from typing import Any

from agentgov.audit.collectors import ecr, kms_keys, log_deliveries, secrets_manager, subnets
from agentgov.audit.collectors.resolve import Found, needed
from agentgov.audit.run import Gap
from agentgov.scanner.model import Location, Resource, Unknown

ACCOUNT = "111122223333"


def _res(kind: str, region: str | None, **props: Any) -> Resource:
    ident = f"arn:aws:test:{region or ''}:{ACCOUNT}:{kind}/{len(props)}"
    return Resource(
        kind=kind,
        id=ident,
        key=f"aws://{ACCOUNT}#{ident}",
        source="aws",
        source_type="test",
        stack=f"aws://{ACCOUNT}",
        location=Location(file=f"aws://{ACCOUNT}/{region or 'global'}/{ident}"),
        properties=props,
        account=ACCOUNT,
        region=region,
        arn=ident,
    )


def _where(collector: Any, *records: Resource, gaps: tuple[Gap, ...] = ()) -> set[str]:
    found = Found.of(records, gaps)
    return {r for r in ("us-east-1", "us-west-2", "eu-west-1") if needed(collector.WHEN, found, r)}


def test_a_subnet_is_read_where_the_compute_that_names_it_is():
    runtime = _res("agent_runtime", "us-west-2", network_configuration={"network_mode_config": {"subnets": ["subnet-1"]}})
    public = _res("agent_runtime", "eu-west-1", network_configuration={"network_mode": "PUBLIC"})
    assert _where(subnets, runtime, public) == {"us-west-2"}
    # a function outside a VPC names none
    assert _where(subnets, _res("function", "us-east-1", vpc_config={"subnet_ids": []})) == set()


def test_an_image_repository_is_read_in_the_region_its_arn_names():
    runtime = _res("agent_runtime", "us-east-1", container_repository=f"arn:aws:ecr:eu-west-1:{ACCOUNT}:repository/agents/x")
    assert _where(ecr, runtime) == {"eu-west-1"}
    # a runtime whose detail could not be read may name any repository of its region
    unread = _res("agent_runtime", "us-west-2", container_repository=Unknown("GetAgentRuntime denied"))
    assert _where(ecr, unread) == {"us-west-2"}


def test_deliveries_are_read_where_an_agentcore_resource_is():
    assert _where(log_deliveries, _res("memory", "eu-west-1"), _res("agent", "us-east-1")) == {"eu-west-1"}


def test_secrets_and_keys_are_read_where_an_arn_of_the_account_names_them_even_by_pattern():
    role = _res("role", None, inline_policies=[{"document": {"Statement": [
        {"Effect": "Allow", "Action": "secretsmanager:GetSecretValue", "Resource": f"arn:aws:secretsmanager:us-west-2:{ACCOUNT}:secret:db-*"},
        {"Effect": "Allow", "Action": "kms:Decrypt", "Resource": f"arn:aws:kms:eu-*:{ACCOUNT}:key/*"},
    ]}}])  # fmt: skip
    assert _where(secrets_manager, role) == {"us-west-2"}
    assert _where(kms_keys, role) == {"eu-west-1"}
    # an agentic resource of a region may name either by bare name or id
    assert _where(secrets_manager, _res("agent", "us-east-1")) == {"us-east-1"}
    assert _where(kms_keys, _res("gateway", "us-east-1")) == {"us-east-1"}


def test_a_gap_of_the_first_collections_reads_its_region_whole_and_a_roles_gap_every_region():
    regional = Gap(ACCOUNT, "eu-west-1", "bedrock-agentcore-control ListAgentRuntimes", "AccessDeniedException", "")
    assert _where(ecr, gaps=(regional,)) == {"eu-west-1"}
    roles = Gap(ACCOUNT, None, "iam GetAccountAuthorizationDetails", "AccessDenied", "")
    assert _where(subnets, gaps=(roles,)) == {"us-east-1", "us-west-2", "eu-west-1"}
    other = Gap(ACCOUNT, None, "iam ListServiceSpecificCredentials", "AccessDenied", "")
    assert _where(subnets, gaps=(other,)) == set()
