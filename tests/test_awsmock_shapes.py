"""The moto completion obeys botocore's models: every completed operation is driven once and what it answers is checked.

``completion_check`` checks each answer of an added operation before moto serializes it (a member
the shape lacks, a wrong casing, a wrong type, a missing required member, a value outside the enum)
and every body and error code a completed operation sends, as botocore receives it. The demo
Organization is built, audited, and the operations neither touch are called here; a completed
operation that answered nothing, or answered against its model, fails its case.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

import pytest

pytest.importorskip("moto", reason="moto is in the test extras")

import completion_check as C  # noqa: E402

DEFECT = "issue 13 defect {n}: {what}"
XFAIL = C.KNOWN_DEFECTS


def _drive_leftovers(M: Any, accounts: list[str]) -> None:
    """The completed operations that building and auditing the demo Organization does not call."""
    payments = accounts[0]
    s = M.session_in(payments)
    ba = s.client("bedrock-agent", region_name="us-east-1")
    agent_id = ba.list_agents()["agentSummaries"][0]["agentId"]
    ba.update_agent(
        agentId=agent_id,
        agentName="payments",
        foundationModel="anthropic.claude-3-haiku-20240307-v1:0",
        agentResourceRoleArn=ba.get_agent(agentId=agent_id)["agent"]["agentResourceRoleArn"],
    )
    ba.prepare_agent(agentId=agent_id)
    # the demo's agents do not collaborate (GetAgent and GetAgentVersion answer DISABLED): the audit lists no collaborators
    ba.list_agent_collaborators(agentId=agent_id, agentVersion="DRAFT")
    versions = [v["agentVersion"] for v in ba.list_agent_versions(agentId=agent_id)["agentVersionSummaries"]]
    ba.get_agent_version(agentId=agent_id, agentVersion=next(v for v in versions if v != "DRAFT"))
    with pytest.raises(ba.exceptions.ResourceNotFoundException):
        ba.get_agent(agentId="NOSUCHAGEN")
    other = ba.list_agent_aliases(agentId=agent_id)["agentAliasSummaries"][0]
    alias_arn = ba.get_agent_alias(agentId=agent_id, agentAliasId=other["agentAliasId"])["agentAlias"]["agentAliasArn"]
    ba.associate_agent_collaborator(
        agentId=agent_id,
        agentVersion="DRAFT",
        agentDescriptor={"aliasArn": alias_arn},
        collaboratorName="helper",
        collaborationInstruction="help",
    )
    ba.create_agent_action_group(
        agentId=agent_id, agentVersion="DRAFT", actionGroupName="analysis", parentActionGroupSignature="AMAZON.CodeInterpreter"
    )
    for g in ba.list_agent_action_groups(agentId=agent_id, agentVersion="DRAFT")["actionGroupSummaries"]:
        ba.get_agent_action_group(agentId=agent_id, agentVersion="DRAFT", actionGroupId=g["actionGroupId"])
    M.deploy_agent(s, "us-east-1", "librarian", knowledge_base=True)
    # (the demo has no knowledge base on OpenSearch Serverless: the audit lists collections only where one is named)
    aoss = s.client("opensearchserverless", region_name="us-east-1")
    assert aoss.list_collections()["collectionSummaries"]
    aoss.list_security_policies(type="network")
    for kb in ba.list_knowledge_bases()["knowledgeBaseSummaries"]:
        for ds in ba.list_data_sources(knowledgeBaseId=kb["knowledgeBaseId"])["dataSourceSummaries"]:
            ba.get_data_source(knowledgeBaseId=kb["knowledgeBaseId"], dataSourceId=ds["dataSourceId"])
    role = ba.get_agent(agentId=agent_id)["agent"]["agentResourceRoleArn"]
    flow = M.deploy_flow(
        s, "us-east-1", "shape-check", role_arn=role, guardrail={"guardrailIdentifier": "g1", "guardrailVersion": "1"}
    )
    ba.update_flow(flowIdentifier=flow["flow_id"], name="shape-check", executionRoleArn=role, definition={"nodes": []})
    ba.get_flow(flowIdentifier=flow["flow"])
    assert [v["version"] for v in ba.list_flow_versions(flowIdentifier=flow["flow_id"])["flowVersionSummaries"]] == ["1"]
    ba.get_flow_version(flowIdentifier=flow["flow_id"], flowVersion="1")
    with pytest.raises(ba.exceptions.ResourceNotFoundException):
        ba.get_flow(flowIdentifier="NOSUCHFLOW")
    kms = s.client("kms", region_name="us-east-1")
    key = kms.create_key(Tags=[{"TagKey": "owner", "TagValue": "team"}])["KeyMetadata"]["KeyId"]
    kms.list_resource_tags(KeyId=key)
    core = s.client("bedrock-agentcore-control", region_name="us-east-1")
    tools = M.deploy_agentcore_tools(s, "us-east-1", "payments-tools")
    engines = core.list_policy_engines()["policyEngines"]
    for pe in engines:
        core.get_policy_engine(policyEngineId=pe["policyEngineId"])
        for pol in core.list_policies(policyEngineId=pe["policyEngineId"])["policies"]:
            core.get_policy(policyEngineId=pe["policyEngineId"], policyId=pol["policyId"])
    gw = core.create_gateway(
        name="policy-gw", roleArn=f"arn:aws:iam::{payments}:role/gw", protocolType="MCP", authorizerType="AWS_IAM"
    )
    statement = {"Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{payments}:root"}, "Action": "*", "Resource": "*"}
    core.put_resource_policy(resourceArn=gw["gatewayArn"], policy=json.dumps({"Version": "2012-10-17", "Statement": [statement]}))
    core.delete_resource_policy(resourceArn=gw["gatewayArn"])
    for ci in core.list_code_interpreters(type="CUSTOM")["codeInterpreterSummaries"]:
        core.delete_code_interpreter(codeInterpreterId=ci["codeInterpreterId"])
    for b in core.list_browsers(type="CUSTOM")["browserSummaries"]:
        core.delete_browser(browserId=b["browserId"])
    for pe in engines:
        core.delete_policy_engine(policyEngineId=pe["policyEngineId"])
    assert tools
    br = M.session_in(payments).client("bedrock", region_name="eu-west-1")
    for cfg in br.list_enforced_guardrails_configuration()["guardrailsConfig"]:
        br.delete_enforced_guardrail_configuration(configId=cfg["configId"])
    hub = s.client("securityhub", region_name="us-east-1")
    now = datetime.now(UTC).isoformat().replace("+00:00", "Z")
    hub.batch_import_findings(
        Findings=[
            {
                "SchemaVersion": "2018-10-08",
                "Id": "agentgov-shape-check",
                "ProductArn": f"arn:aws:securityhub:us-east-1:{payments}:product/{payments}/default",
                "GeneratorId": "AG101",
                "AwsAccountId": payments,
                "Types": ["Software and Configuration Checks"],
                "CreatedAt": now,
                "UpdatedAt": now,
                "Severity": {"Label": "HIGH"},
                "Title": "t",
                "Description": "d",
                "Resources": [{"Type": "Other", "Id": "x"}],
            }
        ]
    )
    hub.get_findings(Filters={"GeneratorId": [{"Value": "AG101", "Comparison": "EQUALS"}]})
    config = s.client("config", region_name="us-east-1")
    config.put_evaluations(
        Evaluations=[
            {
                "ComplianceResourceType": "AWS::IAM::Role",
                "ComplianceResourceId": "r",
                "ComplianceType": "NON_COMPLIANT",
                "OrderingTimestamp": datetime.now(UTC),
            }
        ],
        ResultToken="agentgov-AG101",
    )
    config.get_compliance_details_by_config_rule(ConfigRuleName="agentgov-AG101")
    logs = s.client("logs", region_name="us-east-1")
    logs.create_log_group(logGroupName="/aws/bedrock/shape-check")
    document = '{"Name": "p", "Version": "2021-06-01", "Statement": []}'
    logs.put_data_protection_policy(logGroupIdentifier="/aws/bedrock/shape-check", policyDocument=document)
    logs.get_data_protection_policy(logGroupIdentifier="/aws/bedrock/shape-check")
    logs.delete_data_protection_policy(logGroupIdentifier="/aws/bedrock/shape-check")
    with pytest.raises(logs.exceptions.ResourceNotFoundException):
        logs.get_data_protection_policy(logGroupIdentifier="/aws/bedrock/shape-check")
    br = s.client("bedrock", region_name="us-east-1")
    role = f"arn:aws:iam::{accounts[0]}:role/bedrock-jobs"
    br.create_model_import_job(
        jobName="shape-import",
        importedModelName="shape-imported",
        roleArn=role,
        modelDataSource={"s3DataSource": {"s3Uri": "s3://weights/shape/"}},
        importedModelKmsKeyId="alias/models",
    )
    (imported,) = br.list_imported_models()["modelSummaries"]
    br.get_imported_model(modelIdentifier=imported["modelArn"])
    job = br.create_model_invocation_job(
        jobName="shape-batch",
        modelId="amazon.nova-lite-v1:0",
        roleArn=role,
        inputDataConfig={"s3InputDataConfig": {"s3Uri": "s3://batch-input/shape/"}},
        outputDataConfig={"s3OutputDataConfig": {"s3Uri": "s3://batch-output/shape/", "s3EncryptionKeyId": "alias/models"}},
    )["jobArn"]
    br.stop_model_invocation_job(jobIdentifier=job)
    assert br.get_model_invocation_job(jobIdentifier=job)["status"] == "Stopped"
    with pytest.raises(br.exceptions.ResourceNotFoundException):
        br.get_imported_model(modelIdentifier="no-such-model")
    logs.put_delivery_destination(name="shape-check-xray", deliveryDestinationType="XRAY")
    group = logs.describe_log_groups(logGroupNamePrefix="/aws/bedrock/shape-check")["logGroups"][0]["logGroupArn"]
    logs.put_delivery_destination(name="shape-check-cwl", deliveryDestinationConfiguration={"destinationResourceArn": group})
    ce = s.client("ce", region_name="us-east-1")  # Cost Anomaly Detection (AG651)
    monitor = ce.create_anomaly_monitor(
        AnomalyMonitor={"MonitorName": "shape-services", "MonitorType": "DIMENSIONAL", "MonitorDimension": "SERVICE"}
    )["MonitorArn"]
    ce.create_anomaly_subscription(
        AnomalySubscription={
            "SubscriptionName": "shape-daily",
            "MonitorArnList": [monitor],
            "Subscribers": [{"Type": "EMAIL", "Address": "finops@example.com"}],
            "Frequency": "DAILY",
        }
    )
    ce.get_anomaly_monitors()
    ce.get_anomaly_subscriptions(MonitorArn=monitor)
    iam = s.client("iam")  # Bedrock API keys (with and without an age) and another service's credential
    iam.create_user(UserName="shape-check")
    iam.create_service_specific_credential(UserName="shape-check", ServiceName="bedrock.amazonaws.com", CredentialAgeDays=30)
    iam.create_service_specific_credential(UserName="shape-check", ServiceName="codecommit.amazonaws.com")
    iam.list_service_specific_credentials(UserName="shape-check")


@pytest.fixture(scope="module")
def driven() -> tuple[set[tuple[str, str]], list[tuple[str, str, str]]]:
    """The demo Organization built and audited, the other completed operations called: the operations that answered."""
    C.activate()
    from agentgov.demo import awsmock as M
    from agentgov.demo.organization import estate, options
    from agentgov.scanner.pack import load_pack

    start = len(C.VIOLATIONS)
    with estate() as accounts, C.checking():
        from agentgov.audit.run import run_audit

        result = run_audit(options(), load_pack(), {})
        result.close()
        M.throttle(accounts[0], "bedrock-agent", "ListAgents", 1)
        M.session_in(accounts[0]).client("bedrock-agent", region_name="us-east-1").list_agents()  # retried, answered
        _drive_leftovers(M, accounts)
    return set(C.SEEN), C.VIOLATIONS[start:]


def _cases() -> list[Any]:
    out = []
    for key in sorted(C.completed()):
        marks = ()
        if key in XFAIL:
            n, what = XFAIL[key]
            marks = (pytest.mark.xfail(strict=True, reason=DEFECT.format(n=n, what=what)),)
        out.append(pytest.param(*key, marks=marks, id=f"{key[0]}.{key[1]}"))
    return out


@pytest.mark.parametrize(("service", "operation"), _cases())
def test_every_completed_operation_answers_as_its_model_says(service, operation, driven):
    seen, violations = driven
    assert (service, operation) in seen, f"{service} {operation} is completed but no test drove it"
    assert [v for v in violations if v[:2] == (service, operation)] == []


def test_the_checks_catch_what_they_are_for():
    """An input-only member, a wrong casing, a wrong type, a missing required member and an unknown error code are caught."""
    from aws_models import check_answer, service_model

    shape = service_model("bedrock-agent").operation_model("GetAgentActionGroup").output_shape
    good = {
        "agentActionGroup": {
            "agentId": "A",
            "agentVersion": "DRAFT",
            "actionGroupId": "G",
            "actionGroupName": "n",
            "createdAt": datetime.now(UTC),
            "updatedAt": datetime.now(UTC),
            "actionGroupState": "ENABLED",
        }
    }
    assert check_answer(shape, good) == []
    bad = json.loads(json.dumps(good, default=str))
    g = bad["agentActionGroup"]
    g["parentActionGroupSignature"] = "AMAZON.CodeInterpreter"  # the input name
    g["ActionGroupState"] = g.pop("actionGroupState")  # casing
    g["agentVersion"] = 1  # type
    del g["actionGroupName"]  # required
    problems = "\n".join(check_answer(shape, bad))
    assert "parentActionGroupSignature: not a member" in problems
    assert "ActionGroupState: not a member of AgentActionGroup (the model's casing is 'actionGroupState')" in problems
    assert "agentVersion: 1 is a int" in problems
    assert "actionGroupName: required by AgentActionGroup, missing" in problems
    assert "actionGroupState: required" in problems

    agents = service_model("bedrock-agent")

    class Op:
        name = "GetAgent"
        service_model = agents
        error_shapes = agents.operation_model("GetAgent").error_shapes

    C._COMPLETED.add(("bedrock-agent", "GetAgent"))
    n = len(C.VIOLATIONS)
    C.check_body(Op, {"status_code": 404, "headers": {}, "body": b'{"__type": "NoSuchAgent", "message": "x"}'})  # not checking
    with C.checking():
        C.check_body(Op, {"status_code": 404, "headers": {}, "body": b'{"__type": "NoSuchAgent", "message": "x"}'})
        C.check_body(Op, {"status_code": 404, "headers": {}, "body": b'{"__type": "ResourceNotFoundException", "message": "x"}'})
    new = C.VIOLATIONS[n:]
    del C.VIOLATIONS[n:]
    assert [v[2] for v in new] == [
        "body: error code 'NoSuchAgent' is neither the operation's "
        f"({sorted(s.name for s in Op.error_shapes)}) nor a common AWS error"
    ]
