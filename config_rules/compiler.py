"""Policies -> an AWS Config conformance pack (``agentgov config-rules build``).

Each policy with a detective form becomes one AWS Config rule:

* a **Guard 2.x custom policy rule** (``Owner: CUSTOM_POLICY``) when every
  resource kind it judges is a type AWS Config records (botocore's Config
  ``ResourceType`` list) and its check is declarative with every attribute
  mapped to a configuration-item path in ``ci_paths.yaml``;
* otherwise the **periodic agentgov rule** (``Owner: CUSTOM_LAMBDA``,
  ``ScheduledNotification``): the rule runtime (``config_rules/runtime.py``)
  runs the same engine over the account and reports each resource with
  ``PutEvaluations``. Its Lambda function is not part of the pack (a pack
  may only hold Config rules); ``rule_runtime_template`` builds the stack
  that deploys it, and the pack takes its ARN as a parameter.

Which form each policy takes is decided by that data, and listed by the
build (``forms``), with the reason.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from agentgov.policies.compiled import All, AnyOf, Attr, Cond

HERE = Path(__file__).resolve().parent
FREQUENCIES = ("One_Hour", "Three_Hours", "Six_Hours", "Twelve_Hours", "TwentyFour_Hours")
OWNERS = ("AWS", "CUSTOM_LAMBDA", "CUSTOM_POLICY")
GUARD_RUNTIME = "guard-2.x.x"
#: normalized kind -> the CloudFormation type AWS Config reports it as
KIND_TYPES = {
    "agent": "AWS::Bedrock::Agent", "agent_alias": "AWS::Bedrock::AgentAlias", "knowledge_base": "AWS::Bedrock::KnowledgeBase",
    "data_source": "AWS::Bedrock::DataSource", "guardrail": "AWS::Bedrock::Guardrail", "agent_runtime": "AWS::BedrockAgentCore::Runtime",
    "gateway": "AWS::BedrockAgentCore::Gateway", "memory": "AWS::BedrockAgentCore::Memory",
    "code_interpreter": "AWS::BedrockAgentCore::CodeInterpreterCustom", "browser": "AWS::BedrockAgentCore::BrowserCustom",
    "role": "AWS::IAM::Role", "agent_role": "AWS::IAM::Role", "function": "AWS::Lambda::Function",
    "agent_function": "AWS::Lambda::Function", "vpc_endpoint": "AWS::EC2::VPCEndpoint", "secret": "AWS::SecretsManager::Secret",
    "bucket": "AWS::S3::Bucket", "trail": "AWS::CloudTrail::Trail", "alarm": "AWS::CloudWatch::Alarm", "table": "AWS::DynamoDB::Table",
    "kms_key": "AWS::KMS::Key", "flow": "AWS::Bedrock::Flow", "flow_version": "AWS::Bedrock::FlowVersion",
}  # fmt: skip


class ConfigRulesError(Exception):
    pass


@lru_cache(maxsize=1)
def recorded_types() -> frozenset[str]:
    """The resource types AWS Config can record, from botocore's service model (maintained data)."""
    import botocore.session

    return frozenset(botocore.session.get_session().get_service_model("config").shape_for("ResourceType").enum)


@lru_cache(maxsize=1)
def ci_paths() -> dict[str, Any]:
    import yaml

    return yaml.safe_load((HERE / "ci_paths.yaml").read_text(encoding="utf-8"))["types"]


@dataclass
class Form:
    policy_id: str
    kind: str  # "guard" | "periodic"
    reason: str
    rule_name: str
    resource_types: list[str] = field(default_factory=list)
    guard: str | None = None


class NotExpressible(Exception):
    pass


def _q(v: Any) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, (int, float)):
        return str(v)
    if isinstance(v, list):
        return "[" + ", ".join(_q(x) for x in v) + "]"
    return json.dumps(str(v))


def _clause(cond: Attr, paths: dict[str, str], params: dict[str, Any]) -> str:
    path = paths.get(cond.attr)
    if path is None:
        raise NotExpressible(f"attribute {cond.attr} is not in a configuration item agentgov knows")
    operand = params.get(cond.param) if cond.param else cond.value
    if cond.param and operand is None:
        raise NotExpressible(f"parameter {cond.param} is not configured")
    msg = re.sub(r"\s*\(\{value\}[^)]*\)", "", cond.message or "")  # Guard reports the value itself
    msg = msg.replace(">>", "> >").replace("{operand}", str(operand)).replace("{value}", "the value")
    tail = f" << {msg} >>" if msg else ""
    op = cond.op
    if op in ("present", "not_empty"):
        return f"{path} exists{tail}\n    {path} !empty{tail}"
    if op == "absent":
        return f"{path} !exists{tail}"
    if op == "equals":
        return f"{path} == {_q(operand)}{tail}"
    if op == "not_equals":
        return f"{path} != {_q(operand)}{tail}"
    if op == "in":
        return f"{path} in {_q(operand)}{tail}"
    if op == "not_in":
        return f"{path} not in {_q(operand)}{tail}"
    if op in ("lt", "le", "gt", "ge"):
        sym = {"lt": "<", "le": "<=", "gt": ">", "ge": ">="}[op]
        default = getattr(cond, "default", None)
        if default is not None and _num_ok(op, default, operand):  # absent = AWS's default, which passes
            return f"when {path} exists {{\n        {path} {sym} {_q(operand)}{tail}\n    }}"
        return f"{path} exists{tail}\n    {path} {sym} {_q(operand)}{tail}"
    if op == "truthy":
        return f"{path} == true{tail}"
    if op == "has_keys" and path == "tags":
        keys = operand or []
        return "\n    ".join(f"tags.{_tag_key(k)} exists{tail}" for k in keys)
    raise NotExpressible(f"operator {op} has no Guard form agentgov emits")


def _num_ok(op: str, a: Any, b: Any) -> bool:
    try:
        x, y = float(a), float(b)
    except (TypeError, ValueError):
        return False
    return {"lt": x < y, "le": x <= y, "gt": x > y, "ge": x >= y}[op]


def _tag_key(k: str) -> str:
    return k if re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", k) else f'"{k}"'


def _guard_body(cond: Cond, paths: dict[str, str], params: dict[str, Any]) -> str:
    if isinstance(cond, Attr):
        return _clause(cond, paths, params)
    if isinstance(cond, All):
        return "\n    ".join(_guard_body(c, paths, params) for c in cond.items)
    if isinstance(cond, AnyOf):
        parts = [_guard_body(c, paths, params) for c in cond.items]
        if any("\n" in p for p in parts):
            raise NotExpressible("an 'any' of compound conditions")
        return "\n    or ".join(parts)
    what = {"AnalyzerCall": "an analyzer", "Related": "a relation to other resources", "Not": "a negation"}.get(
        type(cond).__name__, "a condition"
    )
    raise NotExpressible(f"{what} needs the agentgov engine")


def rule_name(policy: Any) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", policy.title.lower()).strip("-")
    name = f"agentgov-{policy.id.lower()}-{slug}"
    if len(name) > 96:  # Config allows 128; keep names readable, cut at a word
        name = name[:96].rsplit("-", 1)[0]
    return name


def form_of(policy: Any, params: dict[str, Any]) -> Form:
    name = rule_name(policy)
    types = sorted({KIND_TYPES.get(k, "") for k in policy.resource})
    unrecorded = [t for t in types if t not in recorded_types()]
    if unrecorded or "" in types:
        # a kind without a type here: computed from references (agent_secret...), inline (an agent's action groups) or newer
        from agentgov.scanner.kinds import QUALIFIED_KINDS

        why = {
            k: "found through references between resources" if k in QUALIFIED_KINDS else "a type AWS Config does not record"
            for k in policy.resource
            if not KIND_TYPES.get(k)
        }
        what = [t for t in unrecorded if t] + [f"{k} ({w})" for k, w in sorted(why.items())]
        return Form(policy.id, "periodic", f"AWS Config does not record {', '.join(what)}", name, types)
    known = ci_paths()
    missing = [t for t in types if known.get(t) is None]
    if missing:
        return Form(policy.id, "periodic", f"no configuration-item paths known for {', '.join(missing)}", name, types)
    if len(types) != 1:
        return Form(policy.id, "periodic", "judges several resource types", name, types)
    try:
        body = _guard_body(policy.check, known[types[0]]["paths"], params)
    except NotExpressible as exc:
        return Form(policy.id, "periodic", f"not expressible in Guard: {exc}", name, types)
    rule = re.sub(r"[^a-z0-9_]", "_", policy.id.lower())
    guard = (
        f"# {policy.id}: {policy.title} (generated by agentgov config-rules build)\n"
        f'rule {rule} when resourceType == "{types[0]}" {{\n    {body}\n}}\n'
    )
    return Form(policy.id, "guard", "every attribute is in the configuration item", name, types, guard)


def _rule_resource(policy: Any, form: Form, params: dict[str, Any], frequency: str) -> dict[str, Any]:
    props: dict[str, Any] = {
        "ConfigRuleName": form.rule_name,
        "Description": f"{policy.id}: {policy.title}"[:256],
    }
    if form.kind == "guard":
        props["Scope"] = {"ComplianceResourceTypes": form.resource_types}
        spec = ci_paths()[form.resource_types[0]]
        if spec.get("scope_by_agent_tag") and any(k.startswith("agent_") for k in policy.resource):
            props["Scope"]["TagKey"] = params.get("agent_tag_key") or "agentgov:agent"
        props["Source"] = {
            "Owner": "CUSTOM_POLICY",
            "SourceDetails": [
                {"EventSource": "aws.config", "MessageType": "ConfigurationItemChangeNotification"},
                {"EventSource": "aws.config", "MessageType": "OversizedConfigurationItemChangeNotification"},
            ],
            "CustomPolicyDetails": {"PolicyRuntime": GUARD_RUNTIME, "PolicyText": form.guard, "EnableDebugLogDelivery": False},
        }
    else:
        props["InputParameters"] = {"policy": policy.id}
        props["MaximumExecutionFrequency"] = frequency
        props["Source"] = {
            "Owner": "CUSTOM_LAMBDA",
            "SourceIdentifier": {"Ref": "AgentgovRuleFunctionArn"},
            "SourceDetails": [
                {"EventSource": "aws.config", "MessageType": "ScheduledNotification", "MaximumExecutionFrequency": frequency}
            ],
        }
    return {"Type": "AWS::Config::ConfigRule", "Properties": props}


def _logical_id(pid: str) -> str:
    return f"Agentgov{pid}"


def build(pack: Any, params: dict[str, Any]) -> tuple[dict[str, Any], list[Form]]:
    """(conformance pack template, the form each policy took)."""
    frequency = str(params.get("config_rule_frequency") or "TwentyFour_Hours")
    if frequency not in FREQUENCIES:
        raise ConfigRulesError(f"config_rule_frequency = {frequency!r}: must be one of {', '.join(FREQUENCIES)}")
    forms: list[Form] = []
    resources: dict[str, Any] = {}
    for policy in pack:
        if not policy.detective:
            continue
        form = form_of(policy, params)
        forms.append(form)
        resources[_logical_id(policy.id)] = _rule_resource(policy, form, params, frequency)
    template: dict[str, Any] = {
        "AWSTemplateFormatVersion": "2010-09-09",
        "Description": "agentgov detective controls: one AWS Config rule per policy (generated by agentgov config-rules build)",
    }
    if any(f.kind == "periodic" for f in forms):
        template["Parameters"] = {
            "AgentgovRuleFunctionArn": {
                "Type": "String",
                "Description": "ARN of the agentgov rule runtime Lambda function (deploy rule-runtime.yaml first)",
            }
        }
    template["Resources"] = resources
    for f in forms:
        props = resources[_logical_id(f.policy_id)]["Properties"]
        if props["Source"]["Owner"] not in OWNERS:
            raise ConfigRulesError(f"{f.policy_id}: invalid Owner {props['Source']['Owner']}")
        if len(props["ConfigRuleName"]) > 128:
            raise ConfigRulesError(f"{f.policy_id}: rule name longer than 128 characters")
    return template, forms


def rule_runtime_template() -> dict[str, Any]:
    """The stack that deploys the periodic rule's Lambda function (its code: the zip of ``package.build``)."""
    from agentgov.audit.iam import iam_policy

    from .package import CACHE_DIR, TASK_ROOT, ZIP_NAME

    return {
        "AWSTemplateFormatVersion": "2010-09-09",
        "Description": "agentgov AWS Config rule runtime: runs the agentgov policies over this account (generated)",
        "Parameters": {
            "CodeBucket": {
                "Type": "String",
                "Description": f"S3 bucket holding the zip that 'agentgov config-rules package --out DIR' writes ({ZIP_NAME}, "
                "built from the agentgov repository; upload it first)",
            },
            "CodeKey": {"Type": "String", "Default": ZIP_NAME, "Description": "S3 key of that zip in CodeBucket"},
        },
        "Resources": {
            "RuntimeRole": {
                "Type": "AWS::IAM::Role",
                "Properties": {
                    "AssumeRolePolicyDocument": {
                        "Version": "2012-10-17",
                        "Statement": [
                            {"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole"}
                        ],
                    },
                    "ManagedPolicyArns": [
                        {"Fn::Sub": "arn:${AWS::Partition}:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole"},
                    ],
                    "Policies": [
                        {
                            # exactly the reads the collectors declare (the audit role's policy), not ReadOnlyAccess:
                            # an AWS-managed policy may lag behind new Bedrock/AgentCore actions, and grants far more
                            "PolicyName": "agentgov-collectors",
                            "PolicyDocument": iam_policy(),
                        },
                        {
                            "PolicyName": "put-evaluations",
                            "PolicyDocument": {
                                "Version": "2012-10-17",
                                "Statement": [{"Effect": "Allow", "Action": "config:PutEvaluations", "Resource": "*"}],
                            },
                        },
                    ],
                },
            },
            "RuntimeFunction": {
                "Type": "AWS::Lambda::Function",
                "Properties": {
                    "Runtime": "python3.12",
                    "Handler": "agentgov.config_rules.runtime.handler",
                    "Role": {"Fn::GetAtt": ["RuntimeRole", "Arn"]},
                    "Timeout": 900,
                    "MemorySize": 1024,
                    "Code": {"S3Bucket": {"Ref": "CodeBucket"}, "S3Key": {"Ref": "CodeKey"}},
                    # the validated pack and the decompressed managed policies the zip carries (config_rules/package.py)
                    "Environment": {"Variables": {"AGENTGOV_CACHE_DIR": f"{TASK_ROOT}/{CACHE_DIR}"}},
                },
            },
            "ConfigInvoke": {
                "Type": "AWS::Lambda::Permission",
                "Properties": {
                    "FunctionName": {"Ref": "RuntimeFunction"},
                    "Action": "lambda:InvokeFunction",
                    "Principal": "config.amazonaws.com",
                    "SourceAccount": {"Ref": "AWS::AccountId"},
                },
            },
        },
        "Outputs": {"AgentgovRuleFunctionArn": {"Value": {"Fn::GetAtt": ["RuntimeFunction", "Arn"]}}},
    }
