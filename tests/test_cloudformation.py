"""CloudFormation, SAM and CDK output: intrinsics, normalization, edges, locations."""

from __future__ import annotations

from pathlib import Path

import pytest

from agentgov.scanner.discover import build_inventory
from agentgov.scanner.model import MISSING, Choice, Expr, Ref, Unknown
from agentgov.scanner.sources.intrinsics import Context, resolve

HERE = Path(__file__).resolve().parent


def _ctx(**kw):
    base = dict(
        parameters={"Env": "prod", "NoDefault": Unknown("parameter NoDefault has no default value")},
        mappings={"Models": {"prod": {"Id": "claude"}, "dev": {"Id": "haiku"}}},
        conditions={"IsProd": {"Fn::Equals": [{"Ref": "Env"}, "prod"]}, "Maybe": {"Fn::Equals": [{"Ref": "NoDefault"}, "x"]}},
        resources={"Role": "AWS::IAM::Role", "Fn": "AWS::Lambda::Function"},
    )
    base.update(kw)
    return Context(**base)


@pytest.mark.parametrize(
    "node, expected",
    [
        ({"Ref": "Env"}, "prod"),
        ({"Ref": "Role"}, Ref("Role")),
        ({"Fn::GetAtt": ["Role", "Arn"]}, Ref("Role", "Arn")),
        ({"Fn::GetAtt": "Role.Arn"}, Ref("Role", "Arn")),
        ({"Ref": "AWS::Partition"}, "aws"),
        ({"Fn::Sub": "agent-${Env}"}, "agent-prod"),
        ({"Fn::Sub": "${!Literal}-${Env}"}, "${Literal}-prod"),
        ({"Fn::Sub": ["${A}-x", {"A": {"Ref": "Env"}}]}, "prod-x"),
        ({"Fn::Join": ["-", ["a", {"Ref": "Env"}]]}, "a-prod"),
        ({"Fn::FindInMap": ["Models", {"Ref": "Env"}, "Id"]}, "claude"),
        ({"Fn::FindInMap": ["Models", "qa", "Id", {"DefaultValue": "none"}]}, "none"),
        ({"Fn::Select": [1, ["a", "b"]]}, "b"),
        ({"Fn::Split": [",", "a,b"]}, ["a", "b"]),
        ({"Fn::If": ["IsProd", "big", "small"]}, "big"),
        ({"Fn::If": ["Maybe", "big", {"Ref": "AWS::NoValue"}]}, Choice("Maybe", ("big", MISSING))),
        ({"a": {"Ref": "AWS::NoValue"}, "b": 1}, {"b": 1}),
    ],
)
def test_intrinsics_resolve(node, expected):
    assert resolve(node, _ctx()) == expected


@pytest.mark.parametrize(
    "node, reason",
    [
        ({"Ref": "NoDefault"}, "parameter NoDefault has no default value"),
        ({"Fn::ImportValue": "shared-arn"}, "Fn::ImportValue shared-arn: exported by another stack"),
        ({"Ref": "AWS::AccountId"}, "pseudo parameter AWS::AccountId is known only at deploy time"),
        ({"Fn::GetAZs": ""}, "Fn::GetAZs is known only at deploy time"),
        ({"Fn::FindInMap": ["Models", "qa", "Id"]}, "Fn::FindInMap: no entry Models/qa/Id"),
        ({"Fn::GetAtt": ["Nope", "Arn"]}, "Fn::GetAtt of 'Nope', which is not a resource of this template"),
    ],
)
def test_what_cannot_resolve_is_unknown_with_reason(node, reason):
    v = resolve(node, _ctx())
    assert isinstance(v, Unknown) and v.reason == reason


def test_sub_with_resource_and_pseudo_parameter_is_an_expression():
    v = resolve({"Fn::Sub": "arn:${AWS::Partition}:iam::${AWS::AccountId}:role/${Role}"}, _ctx())
    assert isinstance(v, Expr)
    assert v.refs == (Ref("Role"),)
    assert v.literal == "arn:aws:iam:::role/"


def test_cdk_output_display_names_nested_stacks_and_assets(monkeypatch):
    monkeypatch.chdir(HERE / "fixtures" / "cdk")
    inv = build_inventory([Path("cdk.out")])
    ids = {r.id for r in inv}
    assert "ShouldNotBeSeen" not in ids  # cdk.out/asset.* is skipped
    agent = next(r for r in inv if r.kind == "agent")
    assert agent.display_name == "AgentStack/Agents/OrdersAgent"
    assert agent.stack == "cdk.out/AgentStackAgentsNestedStack1234.nested.template.json"
    # the nested stack's parameters come from the parent: the version, and the role across stacks
    assert agent.properties["guardrail_configuration"]["guardrail_version"] == "3"
    (role,) = inv.related(agent, "role")
    assert role.id == "AgentRoleB1E4" and role.display_name == "AgentStack/AgentRole/Resource"
    assert inv.has_qualifier(role, "agent_role")
    assert not inv.errors


def test_sam_function_implies_a_role_with_its_policies(tmp_path, monkeypatch):
    (tmp_path / "template.yaml").write_text(
        """
Transform: AWS::Serverless-2016-10-31
Globals:
  Function:
    Timeout: 30
    Environment: { Variables: { SHARED: "1" } }
Resources:
  Tool:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.12
      Handler: app.handler
      Tracing: Active
      Environment: { Variables: { OWN: "2" } }
      Policies:
        - AmazonS3ReadOnlyAccess
        - S3ReadPolicy: { BucketName: docs }
        - SQSSendMessagePolicy: {}
"""
    )
    monkeypatch.chdir(tmp_path)
    inv = build_inventory([Path("template.yaml")])
    fn = next(r for r in inv if r.kind == "function")
    assert fn.properties["environment"]["variables"] == {"SHARED": "1", "OWN": "2"}
    assert fn.properties["timeout"] == 30
    assert fn.properties["tracing_config"] == {"mode": "Active"}
    (role,) = inv.related(fn, "role")
    assert role.id == "ToolRole"
    assert "arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess" in role.properties["managed_policy_arns"]
    assert "arn:aws:iam::aws:policy/AWSXrayWriteOnlyAccess" in role.properties["managed_policy_arns"]
    docs = role.properties["inline_policies"]
    s3 = docs[0]["document"]["Statement"][0]
    assert "s3:GetObject" in s3["Action"]
    assert s3["Resource"][0] == "arn:aws:s3:::docs"
    # a policy template missing its parameter is unknown with the reason, not a guess
    assert isinstance(docs[1]["document"], Unknown) and "QueueName" in docs[1]["document"].reason


def test_locations_point_at_attributes(tmp_path, monkeypatch):
    (tmp_path / "t.yaml").write_text(
        "Resources:\n  Fn:\n    Type: AWS::Lambda::Function\n    Properties:\n      Environment:\n        Variables:\n          A: b\n"
    )
    monkeypatch.chdir(tmp_path)
    inv = build_inventory([Path("t.yaml")])
    fn = next(iter(inv))
    assert (fn.location.line, fn.location.column) == (2, 3)
    assert fn.attr_location("environment.variables.A").line == 7


def test_resource_with_false_condition_is_not_created(tmp_path, monkeypatch):
    (tmp_path / "t.yaml").write_text(
        """
Parameters: { Env: { Type: String, Default: dev } }
Conditions: { IsProd: !Equals [!Ref Env, prod] }
Resources:
  ProdAgent: { Type: AWS::Bedrock::Agent, Condition: IsProd, Properties: { AgentName: p } }
  Agent: { Type: AWS::Bedrock::Agent, Properties: { AgentName: !If [IsProd, p, d] } }
"""
    )
    monkeypatch.chdir(tmp_path)
    inv = build_inventory([Path("t.yaml")])
    agents = [r for r in inv if r.kind == "agent"]
    assert [a.id for a in agents] == ["Agent"] and agents[0].name == "d"


FOREACH = """\
AWSTemplateFormatVersion: "2010-09-09"
Transform: AWS::LanguageExtensions
Parameters:
  Tools: {Type: CommaDelimitedList, Default: "orders,refunds"}
  Later: {Type: CommaDelimitedList}
Resources:
  Fn::ForEach::Tools:
    - Tool
    - !Ref Tools
    - "${Tool}Function":
        Type: AWS::Lambda::Function
        Properties:
          FunctionName: !Sub "agent-${Tool}"
          Role: !GetAtt ToolRole.Arn
          Environment: {Variables: {TOOL: !Ref Tool}}
      Fn::ForEach::Stages:
        - Stage
        - [dev, prod-eu]
        - "${Tool}&{Stage}Alias":
            Type: AWS::Lambda::Alias
            Properties: {FunctionName: !Ref Tool, Name: !Sub "${Stage}"}
  Fn::ForEach::Deferred:
    - X
    - !Ref Later
    - "${X}Bucket": {Type: AWS::S3::Bucket}
  ToolRole:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument: {Statement: [{Effect: Allow, Principal: {Service: lambda.amazonaws.com}, Action: sts:AssumeRole}]}
"""


def test_fn_foreach_loops_are_expanded_and_a_deploy_time_collection_is_stamped_once(tmp_path, monkeypatch):
    (tmp_path / "loops.yaml").write_text(FOREACH)
    monkeypatch.chdir(tmp_path)
    inv = build_inventory([Path(".")])
    fns = {r.id: r for r in inv.of_kind("function")}
    assert sorted(fns) == ["ordersFunction", "refundsFunction"]
    f = fns["refundsFunction"]
    assert f.properties["function_name"] == "agent-refunds"
    assert f.properties["environment"]["variables"] == {"TOOL": "refunds"}
    assert f.location.line == 7  # the loop's line: the stamped resources have no lines of their own
    assert [e.dst for e in inv.out_edges(f.key, "role")] == ["loops.yaml#ToolRole"]
    # a collection known only at deploy time: the fragment once, as written, judged with an unknown element
    assert inv.errors == []
    (bucket,) = inv.of_kind("bucket")
    assert bucket.id == "${X}Bucket" and bucket.location.line == 22
