"""AG102 and AG104 with their parameters configured (the golden fixtures use the defaults)."""

from __future__ import annotations

from pathlib import Path

import pytest

from agentgov.scanner.config import Config, effective_parameters
from agentgov.scanner.engine import scan
from agentgov.scanner.pack import load_pack

HERE = Path(__file__).resolve().parent

BOUNDARY = """
AWSTemplateFormatVersion: "2010-09-09"
Parameters:
  Boundary:
    Type: String
Resources:
  Exact:
    Type: AWS::IAM::Role
    Properties:
      PermissionsBoundary: arn:aws:iam::111122223333:policy/agent-boundary
      AssumeRolePolicyDocument:
        Statement:
          - { Effect: Allow, Principal: { Service: bedrock.amazonaws.com }, Action: sts:AssumeRole }
  Other:
    Type: AWS::IAM::Role
    Properties:
      PermissionsBoundary: arn:aws:iam::111122223333:policy/something-else
      AssumeRolePolicyDocument:
        Statement:
          - { Effect: Allow, Principal: { Service: bedrock.amazonaws.com }, Action: sts:AssumeRole }
  Built:
    Type: AWS::IAM::Role
    Properties:
      PermissionsBoundary: !Sub arn:aws:iam::${AWS::AccountId}:policy/agent-boundary
      AssumeRolePolicyDocument:
        Statement:
          - { Effect: Allow, Principal: { Service: bedrock.amazonaws.com }, Action: sts:AssumeRole }
  BuiltWrong:
    Type: AWS::IAM::Role
    Properties:
      PermissionsBoundary: !Sub arn:aws:iam::${AWS::AccountId}:policy/legacy
      AssumeRolePolicyDocument:
        Statement:
          - { Effect: Allow, Principal: { Service: bedrock.amazonaws.com }, Action: sts:AssumeRole }
  FromParameter:
    Type: AWS::IAM::Role
    Properties:
      PermissionsBoundary: !Ref Boundary
      AssumeRolePolicyDocument:
        Statement:
          - { Effect: Allow, Principal: { Service: bedrock.amazonaws.com }, Action: sts:AssumeRole }
"""

TRUST = """
AWSTemplateFormatVersion: "2010-09-09"
Resources:
  Ours:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Statement:
          - { Effect: Allow, Principal: { Service: bedrock.amazonaws.com }, Action: sts:AssumeRole, Condition: { StringEquals: { aws:SourceAccount: "111122223333" } } }
          - { Effect: Allow, Principal: { AWS: "arn:aws:iam::111122223333:role/ops" }, Action: sts:AssumeRole }
  Theirs:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Statement:
          - { Effect: Allow, Principal: { Service: bedrock.amazonaws.com }, Action: sts:AssumeRole, Condition: { StringEquals: { aws:SourceAccount: "111122223333" } } }
          - { Effect: Allow, Principal: { AWS: "444455556666" }, Action: sts:AssumeRole }
"""


def _scan(tmp_path: Path, text: str, pid: str, **params) -> dict[str, str]:
    (tmp_path / "t.yaml").write_text(text)
    pack = load_pack()
    result = scan([tmp_path], pack, effective_parameters(Config(parameters=params), pack.parameters), only=[pid])
    return {f.resource_id: f.status.value for f in result.findings}


def test_required_boundary(tmp_path):
    got = _scan(tmp_path, BOUNDARY, "AG102", permissions_boundary_arn="arn:aws:iam::111122223333:policy/agent-boundary")
    assert got == {"Exact": "PASS", "Other": "FAIL", "Built": "UNKNOWN", "BuiltWrong": "FAIL", "FromParameter": "UNKNOWN"}


def test_any_boundary_by_default(tmp_path):
    got = _scan(tmp_path, BOUNDARY, "AG102")
    assert set(got.values()) == {"PASS"}


@pytest.mark.parametrize("accounts, ours, theirs", [([], "UNKNOWN", "UNKNOWN"), (["111122223333"], "PASS", "FAIL")])
def test_trusted_accounts(tmp_path, accounts, ours, theirs):
    got = _scan(tmp_path, TRUST, "AG104", trusted_accounts=accounts)
    assert got == {"Ours": ours, "Theirs": theirs}


# ---- sources: what AG104/AG105 read from Terraform


def test_terraform_own_account_and_managed_policy_data_sources(tmp_path):
    from agentgov.scanner.sources.terraform import load_terraform

    (tmp_path / "main.tf").write_text("""
data "aws_caller_identity" "current" {}
data "aws_iam_policy" "by_name" { name = "AmazonBedrockFullAccess" }
data "aws_iam_policy" "by_arn" { arn = "arn:aws:iam::aws:policy/ReadOnlyAccess" }
resource "aws_lambda_function" "f" {
  function_name = "f"
  role          = "arn:aws:iam::${data.aws_caller_identity.current.account_id}:role/x"
  description   = data.aws_iam_policy.by_name.arn
  handler       = data.aws_iam_policy.by_arn.arn
  runtime       = data.aws_iam_policy.by_name.policy
}
""")
    props = load_terraform(tmp_path, [tmp_path / "main.tf"], tmp_path)[0][0].properties
    assert props["role"].parts[1].origin == "data:aws_caller_identity"
    assert props["description"].origin == "data:aws_iam_policy:AmazonBedrockFullAccess"
    assert props["handler"] == "arn:aws:iam::aws:policy/ReadOnlyAccess"
    assert props["runtime"].origin == "data:aws_iam_policy"  # the document is not in the files
