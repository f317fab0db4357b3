"""The live audit on answers shaped exactly as AWS sends them (botocore's output shapes), not as our moto completion does.

Each test answers the collectors' calls in process (``tests/live_answers.py``: every
answer is validated against the operation's output shape) and checks the verdicts
the policies give; each was written for a defect the audit had on real AWS
(issue 13) and fails on the code before its fix.
"""

from __future__ import annotations

import datetime as dt

import pytest
from live_answers import ACCOUNT, audit_answers, findings

from agentgov.scanner.findings import Status

pytestmark = pytest.mark.filterwarnings("ignore::UserWarning")

REGION = "us-east-1"
T0 = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
AGENT_ID = "AGENT12345"
AGENT_ARN = f"arn:aws:bedrock:{REGION}:{ACCOUNT}:agent/{AGENT_ID}"
ROLE_ARN = f"arn:aws:iam::{ACCOUNT}:role/agent-role"


def agent_answers(**agent: object) -> dict[str, object]:
    """One agent (its DRAFT), as ListAgents and GetAgent answer."""
    return {
        "bedrock-agent ListAgents": {
            "agentSummaries": [{"agentId": AGENT_ID, "agentName": "orders", "agentStatus": "PREPARED", "updatedAt": T0}]
        },
        "bedrock-agent GetAgent": {
            "agent": {
                "agentId": AGENT_ID,
                "agentName": "orders",
                "agentArn": AGENT_ARN,
                "agentVersion": "DRAFT",
                "agentStatus": "PREPARED",
                "idleSessionTTLInSeconds": 600,
                "agentResourceRoleArn": ROLE_ARN,
                "foundationModel": "anthropic.claude-3-haiku-20240307-v1:0",
                "createdAt": T0,
                "updatedAt": T0,
                **agent,
            }
        },
    }


# ------------------------------------------------------------------ 1: AG502 reads parentActionSignature


def test_ag502_fails_a_live_code_interpreter_action_group_named_as_get_agent_action_group_names_it(pack, params):
    group = {
        "agentId": AGENT_ID,
        "agentVersion": "DRAFT",
        "actionGroupId": "AG1",
        "actionGroupName": "analysis",
        "actionGroupState": "ENABLED",
        "parentActionSignature": "AMAZON.CodeInterpreter",  # the output member (CreateAgentActionGroup's input is ...GroupSignature)
        "createdAt": T0,
        "updatedAt": T0,
    }
    answers = {
        **agent_answers(),
        "bedrock-agent ListAgentActionGroups": lambda p: {
            "actionGroupSummaries": [
                {"actionGroupId": "AG1", "actionGroupName": "analysis", "actionGroupState": "ENABLED", "updatedAt": T0}
            ]
            if p.get("agentVersion") == "DRAFT"
            else []
        },
        "bedrock-agent GetAgentActionGroup": {"agentActionGroup": group},
    }
    result = audit_answers(answers, pack, params)
    (f,) = findings(result, "AG502")
    assert f.status == Status.FAIL and "AMAZON.CodeInterpreter" in f.message
    # the record has the one name the IaC sources give it
    (ag,) = [r for r in result.inventory if r.kind == "action_group"]
    assert ag.properties["parent_action_group_signature"] == "AMAZON.CodeInterpreter"
