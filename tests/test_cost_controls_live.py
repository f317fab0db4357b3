"""AG651 on live accounts: besides a CloudWatch alarm on Bedrock's metrics, an AWS Budgets budget that notifies on
Bedrock's spend (DescribeBudgets, DescribeNotificationsForBudget) or a Cost Anomaly Detection subscription on a
monitor of every service (GetAnomalyMonitors, GetAnomalySubscriptions) satisfies it (moto, completed by
agentgov.demo.awsmock)."""

from __future__ import annotations

import pytest

pytest.importorskip("moto")

import agentgov.demo.awsmock as S  # noqa: E402
from agentgov.audit.run import AuditOptions, run_audit  # noqa: E402

REGION = "us-east-1"
NOTIFY = [
    {
        "Notification": {"NotificationType": "ACTUAL", "ComparisonOperator": "GREATER_THAN", "Threshold": 80.0},
        "Subscribers": [{"SubscriptionType": "EMAIL", "Address": "finops@example.com"}],
    }
]


def _budget(session, account: str, name: str, filters: dict | None, notify: bool = True) -> None:
    budget = {
        "BudgetName": name,
        "BudgetLimit": {"Amount": "500", "Unit": "USD"},
        "TimeUnit": "MONTHLY",
        "BudgetType": "COST",
        **({"CostFilters": filters} if filters is not None else {}),
    }
    session.client("budgets", region_name=REGION).create_budget(
        AccountId=account, Budget=budget, **({"NotificationsWithSubscribers": NOTIFY} if notify else {})
    )


def _verdicts(pack, params, accounts):
    result = run_audit(
        AuditOptions(role_name=S.AUDIT_ROLE, accounts=accounts, regions=[REGION], workers=2), pack, params, only=["AG651"]
    )
    return {f.account: f for f in result.findings if f.policy_id == "AG651" and f.resource_kind == "agent"}


def test_budgets_and_anomaly_monitors_settle_ag651_live(aws, pack, params):
    members = S.organization(5)
    for m in members:
        S.deploy_agent(S.session_in(m), REGION, "spender", guardrail=False)
    none, budgeted, anomaly, tagged, silent = members
    _budget(S.session_in(budgeted), budgeted, "bedrock", {"Service": ["Amazon Bedrock"]})
    _budget(S.session_in(budgeted), budgeted, "compute", {"Service": ["Amazon Elastic Compute Cloud - Compute"]})
    ce = S.session_in(anomaly).client("ce", region_name=REGION)
    monitor = ce.create_anomaly_monitor(
        AnomalyMonitor={"MonitorName": "services", "MonitorType": "DIMENSIONAL", "MonitorDimension": "SERVICE"}
    )["MonitorArn"]
    ce.create_anomaly_subscription(
        AnomalySubscription={
            "SubscriptionName": "daily",
            "MonitorArnList": [monitor],
            "Subscribers": [{"Type": "EMAIL", "Address": "finops@example.com"}],
            "Frequency": "DAILY",
        }
    )
    _budget(S.session_in(tagged), tagged, "team", {"TagKeyValue": ["user:team$agents"]})
    _budget(S.session_in(silent), silent, "everything", None, notify=False)
    v = _verdicts(pack, params, members)
    got = {a: v[a].status.value for a in members}
    assert got == {none: "FAIL", budgeted: "PASS", anomaly: "PASS", tagged: "UNKNOWN", silent: "FAIL"}, {
        a: v[a].message for a in members
    }
    assert f"covers Bedrock in account {none}" in v[none].message
    assert "budget everything notifies nobody" in v[silent].message
    assert "narrowed by TagKeyValue" in v[tagged].message
    assert v[budgeted].evidence == {"budget": "bedrock"}


def test_unread_budgets_leave_ag651_unknown_naming_the_call(aws, pack, params):
    (member,) = S.organization(1)
    S.deploy_agent(S.session_in(member), REGION, "spender", guardrail=False)
    S.deny(member, "budgets", "DescribeBudgets")
    (f,) = _verdicts(pack, params, [member]).values()
    assert f.status.value == "UNKNOWN", f.message
    assert "budgets DescribeBudgets denied" in f.message and "IAM action budgets:ViewBudget" in f.message
