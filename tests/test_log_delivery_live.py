"""AG605 on live AgentCore resources: DescribeDeliverySources / DescribeDeliveries / DescribeDeliveryDestinations
(moto, completed by agentgov.demo.awsmock: moto 5.2 refuses AgentCore delivery sources and X-Ray destinations)."""

from __future__ import annotations

import pytest

pytest.importorskip("moto")

import agentgov.demo.awsmock as S  # noqa: E402
from agentgov.audit.run import AuditOptions, run_audit  # noqa: E402

pytestmark = pytest.mark.slow


def _verdicts(pack, params, arns):
    result = run_audit(AuditOptions(role_name=S.AUDIT_ROLE, regions=["us-east-1"], workers=2), pack, params, only=["AG605"])
    return {arns.get(f.resource_id, f.resource_id): f for f in result.findings if f.policy_id == "AG605"}


def _deliver(logs, name, arn, log_type, destination_arn):
    logs.put_delivery_source(name=name, resourceArn=arn, logType=log_type)
    logs.create_delivery(deliverySourceName=name, deliveryDestinationArn=destination_arn)


def _estate(member):
    session = S.session_in(member)
    made = S.deploy_agentcore(session, "us-east-1", "orders")
    logs = session.client("logs", region_name="us-east-1")
    logs.create_log_group(logGroupName="/aws/vendedlogs/bedrock-agentcore/orders")
    group = logs.describe_log_groups()["logGroups"][0]["logGroupArn"]
    to_logs = logs.put_delivery_destination(name="logs", deliveryDestinationConfiguration={"destinationResourceArn": group})
    to_xray = logs.put_delivery_destination(name="xray", deliveryDestinationType="XRAY")
    logs_arn, xray_arn = to_logs["deliveryDestination"]["arn"], to_xray["deliveryDestination"]["arn"]
    _deliver(logs, "runtime-logs", made["runtime"], "APPLICATION_LOGS", logs_arn)  # the runtime: both
    _deliver(logs, "runtime-traces", made["runtime"], "TRACES", xray_arn)
    _deliver(logs, "gateway-logs", made["gateway"], "APPLICATION_LOGS", logs_arn)  # the gateway: logs only
    return {made["runtime"]: "runtime", made["gateway"]: "gateway", made["memory"]: "memory"}


def test_agentcore_resources_are_judged_on_their_deliveries(aws, pack, params):
    (member,) = S.organization(1)
    arns = _estate(member)
    v = _verdicts(pack, params, arns)
    assert {k: f.status.value for k, f in v.items()} == {"runtime": "PASS", "gateway": "FAIL", "memory": "FAIL"}
    assert "no traces (TRACES to X-Ray)" in v["gateway"].message and "application logs" not in v["gateway"].message
    assert "no application logs" in v["memory"].message


def test_denied_deliveries_make_them_unknown_naming_the_call(aws, pack, params):
    (member,) = S.organization(1)
    arns = _estate(member)
    S.deny(member, "logs", "DescribeDeliveries")
    v = _verdicts(pack, params, arns)
    assert {f.status.value for f in v.values()} == {"UNKNOWN"}
    assert all("DescribeDeliveries" in f.message for f in v.values()), [f.message for f in v.values()]
