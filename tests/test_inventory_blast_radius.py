"""The agent inventory (``agentgov inventory``) and each agent's blast radius, in every output format."""

from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from agentgov.cli.main import main
from agentgov.scanner import blast_radius
from agentgov.scanner.discover import build_inventory

EXIT_OK, EXIT_FAIL, EXIT_COVERAGE = 0, 1, 3

STACK = """\
AWSTemplateFormatVersion: "2010-09-09"
Resources:
  AgentRole:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Statement: [{Effect: Allow, Principal: {Service: bedrock.amazonaws.com}, Action: sts:AssumeRole}]
      Policies:
        - PolicyName: model
          PolicyDocument:
            Statement:
              - {Effect: Allow, Action: bedrock:InvokeModel, Resource: "arn:aws:bedrock:us-east-1::foundation-model/m"}
  ToolRole:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Statement: [{Effect: Allow, Principal: {Service: lambda.amazonaws.com}, Action: sts:AssumeRole}]
      Policies:
        - PolicyName: tool
          PolicyDocument:
            Statement:
              - {Effect: Allow, Action: "dynamodb:*", Resource: "*"}
              - {Effect: Deny, Action: "dynamodb:DeleteTable", Resource: "*"}
              - {Effect: Allow, Action: "iam:PutRolePolicy", Resource: "arn:aws:iam::123456789012:role/x"}
  KbRole:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Statement: [{Effect: Allow, Principal: {Service: bedrock.amazonaws.com}, Action: sts:AssumeRole}]
      ManagedPolicyArns: [arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess]
  Tool:
    Type: AWS::Lambda::Function
    Properties:
      Role: !GetAtt ToolRole.Arn
      Runtime: python3.12
      Handler: index.handler
      Code: {ZipFile: "def handler(e, c): return {}"}
  Kb:
    Type: AWS::Bedrock::KnowledgeBase
    Properties:
      Name: kb
      RoleArn: !GetAtt KbRole.Arn
      KnowledgeBaseConfiguration: {Type: VECTOR}
      StorageConfiguration: {Type: OPENSEARCH_SERVERLESS}
  Agent:
    Type: AWS::Bedrock::Agent
    Properties:
      AgentName: orders
      AgentResourceRoleArn: !GetAtt AgentRole.Arn
      FoundationModel: anthropic.claude-3-haiku-20240307-v1:0
      GuardrailConfiguration: {GuardrailIdentifier: gr-1, GuardrailVersion: "2"}
      KnowledgeBases: [{KnowledgeBaseId: !Ref Kb, Description: docs}]
      ActionGroups:
        - ActionGroupName: orders
          ActionGroupExecutor: {Lambda: !GetAtt Tool.Arn}
        - ActionGroupName: external
          ActionGroupExecutor: {Lambda: !ImportValue shared-tool-arn}
      Tags: {owner: team-orders}
  Alias:
    Type: AWS::Bedrock::AgentAlias
    Properties:
      AgentId: !GetAtt Agent.AgentId
      AgentAliasName: prod
      RoutingConfiguration: [{AgentVersion: "3"}]
"""


@pytest.fixture
def work(tmp_path, monkeypatch):
    (tmp_path / "stack.yaml").write_text(STACK)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def _radius(work):
    inv = build_inventory([Path(".")])
    (agent,) = inv.of_kind("agent")
    return blast_radius.compute(inv, agent)


def test_blast_radius_is_the_union_of_the_agent_function_and_knowledge_base_roles(work):
    r = _radius(work)
    assert [(x["role"], x["via"]) for x in r["roles"]] == [
        ("AgentRole", "agent role"),
        ("ToolRole", "action group orders -> function Tool"),
        (None, "action group external -> function outside the scan"),
        ("KbRole", "knowledge base Kb"),
    ]
    # AmazonS3ReadOnlyAccess is read from agentgov's copy of the AWS managed documents: s3 and s3-object-lambda
    assert r["services"] == ["bedrock", "dynamodb", "iam", "s3", "s3-object-lambda"]
    assert not r["all_actions"]
    assert r["any_resource"] is True
    # dynamodb:* on * minus the unconditional Deny of DeleteTable
    assert "dynamodb:DeleteTable" not in r["write_actions_on_any_resource"]
    assert "dynamodb:DeleteItem" in r["write_actions_on_any_resource"]
    assert {"dynamodb:PutResourcePolicy", "iam:PutRolePolicy"} <= set(r["permissions_management_actions"])
    assert "iam:PutRolePolicy" not in r["write_actions_on_any_resource"]  # granted on one role ARN, not on *
    assert r["actions_by_level"]["write"] > 20
    # the function outside the scan is named as not assessed, never left out; the AWS managed policy is assessed
    assert any("outside the scan" in n for n in r["not_assessed"])
    assert not any("AmazonS3ReadOnlyAccess" in n for n in r["not_assessed"])
    assert r["aws_managed_policies"] == ["arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess"]


def test_a_star_action_is_every_action(work):
    (work / "stack.yaml").write_text(
        STACK.replace(
            'Action: bedrock:InvokeModel, Resource: "arn:aws:bedrock:us-east-1::foundation-model/m"', 'Action: "*", Resource: "*"'
        )
    )
    r = _radius(work)
    assert r["all_actions"] and r["services"] == ["*"] and r["actions_by_level"] is None
    assert blast_radius.summary(r).startswith("every action of every service (*)")


def test_ag101_cites_the_blast_radius_of_the_agents_using_the_role(work, capsys):
    assert main(["scan", ".", "--policy", "AG101", "-f", "json"]) == EXIT_FAIL
    report = json.loads(capsys.readouterr().out)
    tool = next(f for f in report["findings"] if f["resource_id"] == "ToolRole")
    assert tool["status"] == "FAIL"
    assert tool["evidence"]["agents"] == [
        {
            "agent": "Agent",
            "via": "action group orders -> function Tool",
            "blast_radius": blast_radius.summary(_radius(work), "ToolRole"),
        }
    ]


def test_blast_radius_and_inventory_are_in_every_output_format(work, capsys):
    main(
        [
            "scan",
            ".",
            "-f",
            "json",
            "-o",
            "r.json",
            "-f",
            "sarif",
            "-o",
            "r.sarif",
            "-f",
            "junit",
            "-o",
            "r.xml",
            "-f",
            "text",
            "-o",
            "r.txt",
        ]
    )
    report = json.loads((work / "r.json").read_text())
    assert [a["id"] for a in report["agents"]] == ["Agent"]
    assert report["agents"][0]["blast_radius"]["services"] == ["bedrock", "dynamodb", "iam", "s3", "s3-object-lambda"]
    props = json.loads((work / "r.sarif").read_text())["runs"][0]["properties"]
    assert props["agentBlastRadius"][0]["agent"] == "Agent"
    suite = next(s for s in ET.parse(work / "r.xml").getroot() if s.get("name") == "agent blast radius")
    assert suite.find("properties/property").get("value") == blast_radius.summary(_radius(work))
    text = (work / "r.txt").read_text()
    assert "Agent blast radius" in text and blast_radius.summary(_radius(work)) in text


def test_inventory_json_names_everything_an_auditor_asks_for(work, capsys):
    assert main(["inventory", "."]) == EXIT_OK
    (rec,) = json.loads(capsys.readouterr().out)["agents"]
    assert rec["id"] == "Agent" and rec["name"] == "orders" and rec["type"] == "AWS::Bedrock::Agent"
    assert rec["location"] == f"stack.yaml:{STACK.splitlines().index('  Agent:') + 1}:3"
    assert rec["model"] == "anthropic.claude-3-haiku-20240307-v1:0"
    assert rec["role"] == "AgentRole"
    assert rec["guardrail_version"] == "2"
    assert rec["guardrail"].startswith("<unknown: gr-1")
    assert rec["aliases"] == [{"name": "prod", "routes_to": ["3"]}]
    assert rec["knowledge_bases"] == ["Kb"]
    assert [g["name"] for g in rec["action_groups"]] == ["orders", "external"]
    assert rec["functions"][0].startswith("<unknown:") and rec["functions"][1] == "Tool"
    assert rec["owner"] == "team-orders"


def test_inventory_csv_one_line_per_agent_and_formula_safe(work, capsys):
    (work / "stack.yaml").write_text(STACK.replace("owner: team-orders", 'owner: "=HYPERLINK(1)"'))
    assert main(["inventory", ".", "--format", "csv", "-o", "inv.csv"]) == EXIT_OK
    rows = list(csv.DictReader(io.StringIO((work / "inv.csv").read_text())))
    assert len(rows) == 1
    assert rows[0]["aliases"] == "prod->3"
    assert rows[0]["owner"] == "'=HYPERLINK(1)"  # a spreadsheet does not run it
    assert rows[0]["blast_radius"].startswith("5 service(s)")


def test_inventory_of_the_bundled_examples_and_a_broken_file(work, capsys):
    (work / "broken.yaml").write_text("Resources: [\n")
    assert main(["inventory", "."]) == EXIT_COVERAGE
    captured = capsys.readouterr()
    assert "broken.yaml" in captured.err and "Traceback" not in captured.err
    assert json.loads(captured.out)["not_scanned"][0]["file"] == "broken.yaml"


def test_ag103_cites_the_blast_radius_too(work, capsys):
    main(["scan", ".", "--policy", "AG103", "-f", "json"])
    report = json.loads(capsys.readouterr().out)
    tool = next(f for f in report["findings"] if f["resource_id"] == "ToolRole")
    assert tool["evidence"]["agents"][0]["agent"] == "Agent"
    assert tool["evidence"]["agents"][0]["blast_radius"] == blast_radius.summary(_radius(work), "ToolRole")
