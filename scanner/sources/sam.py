"""SAM (``AWS::Serverless-2016-10-31``): what the transform would produce, for policies.

``AWS::Serverless::Function`` becomes an ``AWS::Lambda::Function`` plus, when it
names no ``Role``, the implied ``<Function>Role`` (an ``AWS::IAM::Role``) whose
policies are the function's ``Policies``: AWS managed policy names or ARNs,
inline documents, and SAM policy templates expanded from the template data
that ships with aws-sam-translator (read as JSON, never imported).
"""

from __future__ import annotations

import copy
import json
from functools import lru_cache
from importlib.util import find_spec
from pathlib import Path
from typing import Any

from ..model import Ref, Unknown
from .intrinsics import Context, resolve

_GLOBAL_SECTIONS = {
    "AWS::Serverless::Function": "Function",
    "AWS::Serverless::Api": "Api",
    "AWS::Serverless::HttpApi": "HttpApi",
    "AWS::Serverless::SimpleTable": "SimpleTable",
    "AWS::Serverless::StateMachine": "StateMachine",
}
_MERGED_MAPS = {"Environment", "Tags", "VpcConfig"}

LAMBDA_TRUST = {
    "Version": "2012-10-17",
    "Statement": [{"Effect": "Allow", "Principal": {"Service": ["lambda.amazonaws.com"]}, "Action": ["sts:AssumeRole"]}],
}


def apply_globals(rtype: str, props: dict[str, Any], globals_: dict[str, Any]) -> dict[str, Any]:
    section = globals_.get(_GLOBAL_SECTIONS.get(rtype, ""))
    if not isinstance(section, dict):
        return props
    merged = copy.deepcopy(section)
    for k, v in props.items():
        if k in merged and isinstance(merged[k], dict) and isinstance(v, dict) and k in _MERGED_MAPS:
            merged[k] = _deep_merge(merged[k], v)
        else:
            merged[k] = v
    return merged


def _deep_merge(a: dict[str, Any], b: dict[str, Any]) -> dict[str, Any]:
    out = dict(a)
    for k, v in b.items():
        if k in out and isinstance(out[k], dict) and isinstance(v, dict):
            out[k] = _deep_merge(out[k], v)
        else:
            out[k] = v
    return out


@lru_cache(maxsize=1)
def policy_templates() -> dict[str, Any]:
    """SAM policy templates from aws-sam-translator's data file (not imported)."""
    spec = find_spec("samtranslator")
    if spec is None or not spec.submodule_search_locations:
        return {}
    for base in spec.submodule_search_locations:
        p = Path(base) / "policy_templates_data" / "policy_templates.json"
        if p.is_file():
            return json.loads(p.read_text(encoding="utf-8")).get("Templates", {})
    return {}


def _substitute(node: Any, params: dict[str, Any]) -> Any:
    """Replace ``{"Ref": <template parameter>}`` with the value the function gave."""
    if isinstance(node, dict):
        if len(node) == 1 and "Ref" in node and node["Ref"] in params:
            return params[node["Ref"]]
        return {k: _substitute(v, params) for k, v in node.items()}
    if isinstance(node, list):
        return [_substitute(v, params) for v in node]
    return node


def _expand_policy_template(name: str, args: Any, ctx: Context) -> Any:
    templates = policy_templates()
    tpl = templates.get(name)
    if tpl is None:
        return Unknown(f"SAM policy template {name} is not known to this version of aws-sam-translator")
    params = args if isinstance(args, dict) else {}
    missing = [p for p in tpl.get("Parameters", {}) if p not in params]
    if missing:
        return Unknown(f"SAM policy template {name} is missing parameter(s) {', '.join(missing)}")
    doc = _substitute(tpl["Definition"], params)
    return resolve(doc, ctx)


def _managed_arn(name: str) -> str:
    if name.startswith("arn:"):
        return name
    return f"arn:aws:iam::aws:policy/{name}"


def implied_role(fn: Any, ctx: Context) -> Any:
    """The RawResource of the role SAM creates for function ``fn``."""
    from ..model import RawResource

    props = fn.properties
    managed: list[Any] = ["arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole"]
    if props.get("VpcConfig"):
        managed.append("arn:aws:iam::aws:policy/service-role/AWSLambdaVPCAccessExecutionRole")
    if props.get("Tracing") == "Active":
        managed.append("arn:aws:iam::aws:policy/AWSXrayWriteOnlyAccess")
    inline: list[dict[str, Any]] = []
    policies = props.get("Policies")
    if isinstance(policies, (str, dict)):
        policies = [policies]
    if isinstance(policies, Unknown):
        inline.append({"PolicyName": f"{fn.local_id}Policies", "PolicyDocument": policies})
        policies = []
    for i, p in enumerate(policies or []):
        if isinstance(p, str):
            managed.append(_managed_arn(p))
        elif isinstance(p, dict) and "Statement" in p:
            inline.append({"PolicyName": f"{fn.local_id}RolePolicy{i}", "PolicyDocument": p})
        elif isinstance(p, dict) and len(p) == 1:
            ((name, args),) = p.items()
            doc = _expand_policy_template(name, args, ctx)
            inline.append({"PolicyName": f"{fn.local_id}RolePolicy{i}", "PolicyDocument": doc, "SamPolicyTemplate": name})
        else:
            managed.append(p if not isinstance(p, dict) else Unknown("SAM policy entry of an unknown shape"))
    role_props: dict[str, Any] = {
        "AssumeRolePolicyDocument": LAMBDA_TRUST,
        "ManagedPolicyArns": managed,
        "Policies": inline,
    }
    if "PermissionsBoundary" in props:
        role_props["PermissionsBoundary"] = props["PermissionsBoundary"]
    tags = props.get("Tags")
    if isinstance(tags, dict):
        role_props["Tags"] = [{"Key": k, "Value": v} for k, v in tags.items()] + [{"Key": "lambda:createdBy", "Value": "SAM"}]
    locations = {}
    if "Policies" in fn.locations:
        locations["Policies"] = fn.locations["Policies"]
        for k, v in fn.locations.items():
            if k.startswith("Policies."):
                locations[k] = v
    return RawResource(
        source=fn.source,
        type="AWS::IAM::Role",
        local_id=f"{fn.local_id}Role",
        properties=role_props,
        location=fn.locations.get("Policies", fn.location),
        stack=fn.stack,
        display_name=f"{fn.display_name or fn.local_id}Role (implied by SAM)",
        locations=locations,
        suppressions=list(fn.suppressions),
    )


def expand(raw: Any, ctx: Context) -> list[Any]:
    """SAM resources -> the CloudFormation resources policies judge."""
    if raw.type != "AWS::Serverless::Function":
        return [raw]
    props = dict(raw.properties)
    out = []
    if "Role" not in props:
        role = implied_role(raw, ctx)
        out.append(role)
        props["Role"] = Ref(ctx.ref_prefix + role.local_id, "Arn")
    raw.properties = props
    out.insert(0, raw)
    return out
