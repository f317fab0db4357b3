"""``agentgov policies new ID --kind KIND [--dir DIR]``: a user policy and its fixtures, ready for ``policies test``.

It writes ``DIR/ID.yaml`` (a working policy: the resource carries an ``owner`` tag, to be edited into the team's own
check) and, under ``DIR/fixtures/ID/``, a failing and a passing fixture in CloudFormation (``cfn/``) and Terraform
(``tf/``) with their ``agentgov:expect`` comments. ``agentgov policies test DIR`` passes right after. Nothing is
overwritten.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

from agentgov.cli.common import EXIT_OK, EXIT_USAGE, err

# kind -> (CloudFormation type, its tags as YAML (indented under Properties), minimal properties,
#          Terraform type, minimal arguments)
KINDS: dict[str, tuple[str, str, str, str, str]] = {
    "agent": (
        "AWS::Bedrock::Agent",
        "Tags:\n        owner: platform-team",
        "AgentName: {name}\n      FoundationModel: amazon.nova-pro-v1:0\n      AgentResourceRoleArn: arn:aws:iam::123456789012:role/agent",
        "aws_bedrockagent_agent",
        'agent_name              = "{name}"\n  foundation_model        = "amazon.nova-pro-v1:0"\n'
        '  agent_resource_role_arn = "arn:aws:iam::123456789012:role/agent"',
    ),
    "agent_runtime": (
        "AWS::BedrockAgentCore::Runtime",
        "Tags:\n        owner: platform-team",
        "AgentRuntimeName: {name}\n      RoleArn: arn:aws:iam::123456789012:role/runtime",
        "aws_bedrockagentcore_agent_runtime",
        'agent_runtime_name = "{name}"\n  role_arn           = "arn:aws:iam::123456789012:role/runtime"',
    ),
    "guardrail": (
        "AWS::Bedrock::Guardrail",
        "Tags:\n        - Key: owner\n          Value: platform-team",
        "Name: {name}\n      BlockedInputMessaging: blocked\n      BlockedOutputsMessaging: blocked",
        "aws_bedrock_guardrail",
        'name                      = "{name}"\n  blocked_input_messaging   = "blocked"\n  blocked_outputs_messaging = "blocked"',
    ),
    "function": (
        "AWS::Lambda::Function",
        "Tags:\n        - Key: owner\n          Value: platform-team",
        "FunctionName: {name}\n      Runtime: python3.12\n      Handler: app.handler\n"
        "      Role: arn:aws:iam::123456789012:role/tool\n      Code: {{ZipFile: 'def handler(e, c): return e'}}",
        "aws_lambda_function",
        'function_name = "{name}"\n  runtime       = "python3.12"\n  handler       = "app.handler"\n'
        '  role          = "arn:aws:iam::123456789012:role/tool"\n  filename      = "app.zip"',
    ),
    "role": (
        "AWS::IAM::Role",
        "Tags:\n        - Key: owner\n          Value: platform-team",
        "RoleName: {name}\n      AssumeRolePolicyDocument:\n        Version: '2012-10-17'\n        Statement:\n"
        "          - Effect: Allow\n            Principal: {{Service: bedrock.amazonaws.com}}\n            Action: sts:AssumeRole",
        "aws_iam_role",
        'name = "{name}"\n  assume_role_policy = jsonencode({{\n    Version = "2012-10-17"\n'
        '    Statement = [{{ Effect = "Allow", Principal = {{ Service = "bedrock.amazonaws.com" }}, Action = "sts:AssumeRole" }}]\n  }})',
    ),
}

POLICY = """\
id: {id}
title: Every {what} carries an owner tag
severity: medium
pillar: govern
resource: [{kind}]
rationale: >-
  A {what} without an owner cannot be routed to the team that answers for it. Edit this
  policy into your team's own rule; `agentgov policies test {dir}` checks it against the
  fixtures in fixtures/{id}/.
remediation:
  summary: Tag the {what} with owner = the team that runs it.
  cloudformation: |
    Tags: ...  # owner: platform-team
  terraform: |
    tags = {{ owner = "platform-team" }}
check:
  attr: tags
  op: has_tag
  value: owner
  message: the {what} has no owner tag
"""


def scaffold(pid: str, kind: str, directory: Path) -> int:
    from agentgov.policies.schema import USER_ID

    if not re.fullmatch(USER_ID, pid):
        err(f"policies new: {pid!r} is not a user policy id: your team's prefix (2-8 capital letters, not AG) and 3-4 digits")
        return EXIT_USAGE
    if kind not in KINDS:
        err(f"policies new: no scaffold for kind {kind!r}; choose one of {', '.join(KINDS)} (then edit resource: in the file)")
        return EXIT_USAGE
    cfn_type, cfn_tags, cfn_props, tf_type, tf_args = KINDS[kind]
    what = kind.replace("_", " ")
    fx = directory / "fixtures" / pid
    files = {
        directory / f"{pid}.yaml": POLICY.format(id=pid, kind=kind, what=what, dir=directory),
        fx / "cfn" / "fail_untagged.yaml": _cfn(pid, "FAIL", cfn_type, cfn_props.format(name="untagged"), None),
        fx / "cfn" / "pass_tagged.yaml": _cfn(pid, "PASS", cfn_type, cfn_props.format(name="tagged"), cfn_tags),
        fx / "tf" / "fail_untagged.tf": _tf(pid, "FAIL", tf_type, "untagged", tf_args.format(name="untagged"), False),
        fx / "tf" / "pass_tagged.tf": _tf(pid, "PASS", tf_type, "tagged", tf_args.format(name="tagged"), True),
    }
    existing = [str(p) for p in files if p.exists()]
    if existing:
        err(f"policies new: would overwrite {', '.join(existing)}: nothing written")
        return EXIT_USAGE
    for path, text in files.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        sys.stdout.write(f"wrote {path}\n")
    sys.stdout.write(f"next: edit {directory / (pid + '.yaml')} and its fixtures, then run: agentgov policies test {directory}\n")
    return EXIT_OK


def _cfn(pid: str, status: str, cfn_type: str, props: str, tags: str | None) -> str:
    body = f"      {props}" + (f"\n      {tags}" if tags else "")
    return (
        'AWSTemplateFormatVersion: "2010-09-09"\nResources:\n'
        f"  # agentgov:expect {status} {pid}\n"
        f"  Resource:\n    Type: {cfn_type}\n    Properties:\n{body}\n"
    )


def _tf(pid: str, status: str, tf_type: str, name: str, args: str, tagged: bool) -> str:
    tags = '\n  tags = { owner = "platform-team" }' if tagged else ""
    return f'# agentgov:expect {status} {pid}\nresource "{tf_type}" "{name}" {{\n  {args}{tags}\n}}\n'
