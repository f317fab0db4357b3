"""``docs/policy-language.md``: the condition language as users write it, generated from the code that defines it.

Every part comes from its one declaration: the policy file's fields from the pydantic schema (``schema.UserPolicy``),
the condition kinds from the schema's models, the operators from ``conditions.operators.OPERATORS`` (each class's
description and example; every example is validated here, so a wrong one fails ``agentgov docs``), the relations
from the graph's ``REFERENCES``, the analyzers from ``analyzers.NAMES`` (the parameters each reads from its code, and
how the built-in policies call it), and the attribute paths of each kind from ``scanner/data/attribute_paths.json``
(generated from the normalizer).
"""

from __future__ import annotations

import json
import re
from importlib import import_module
from pathlib import Path
from typing import Any

#: the version of the policy language this document describes; a change that can break a user policy raises it
LANGUAGE_VERSION = "1"

_CONDITIONS = (
    ("attr", "AttrCondition", "{attr: foundation_model, op: in, param: approved_models}"),
    ("all", "AllCondition", "{all: [{attr: agent_name, op: present}, {attr: tags, op: has_tag, value: owner}]}"),
    (
        "any",
        "AnyCondition",
        "{any: [{attr: customer_encryption_key_arn, op: present}, {attr: tags, op: has_tag, value: 'data=public'}]}",
    ),
    ("not", "NotCondition", "{not: {attr: agent_version, op: equals, value: DRAFT}, message: the alias routes to the draft}"),
    (
        "when",
        "WhenCondition",
        "{when: {attr: tags, op: has_tag, value: environment=production}, then: {attr: guardrail_configuration, op: present}, message: not a production agent}",
    ),
    ("related", "RelatedCondition", "{related: guardrail, check: {attr: blocked_input_messaging, op: present}, if_none: fail}"),
    ("used_by", "UsedByCondition", "{used_by: guardrail, kinds: [agent], check: {attr: content_policy_config, op: present}}"),
    (
        "exists",
        "ExistsSpec",
        "{exists: {kind: trail, scope: account, check: {attr: is_multi_region_trail, op: truthy}, if_none: fail}}",
    ),
    ("analyzer", "AnalyzerCondition", "{analyzer: approved_model, params: {approved: $approved_models}}"),
)


_FIELDS = {
    "title": "one line: what holds when the policy passes",
    "severity": "of its FAIL findings (the configuration's overrides may change it)",
    "pillar": "the governance pillar it belongs to",
    "resource": "the resource kinds it judges (see the kinds below)",
    "rationale": "why it matters: shown in the policy reference",
    "remediation": "`summary`, `cloudformation` and `terraform`: how to fix a FAIL",
    "references": "https links",
    "parameters": "the parameters its conditions read (built-in, or declared in the pack's parameters.yaml)",
    "live_only": "only `agentgov audit` can settle it (IaC is UNKNOWN unless the files declare what settles it)",
    "preventive": "its Service Control Policy form: `summary` and `statements` (agentgov scp build)",
    "detective": "its AWS Config form: `summary` (agentgov config-rules build judges the policy on configuration items)",
    "check": "the condition (below)",
}


def _schema_fields() -> list[str]:
    from agentgov.policies.schema import UserPolicy

    schema = UserPolicy.model_json_schema(by_alias=True)
    required = set(schema.get("required", []))
    out = ["| field | required | type | description |", "| --- | --- | --- | --- |"]
    for name, prop in schema["properties"].items():
        typ = prop.get("type") or (
            "/".join(x.get("type", x.get("$ref", "").rsplit("/", 1)[-1]) for x in prop.get("anyOf", []))
            or prop.get("$ref", "").rsplit("/", 1)[-1]
            or "condition"
        )
        if "enum" in prop:
            typ = " \\| ".join(prop["enum"])
        desc = (prop.get("description") or _FIELDS.get(name, "")).replace("\n", " ")
        out.append(f"| `{name}` | {'yes' if name in required else 'no'} | {typ} | {desc} |")
    return out


def _conditions() -> list[str]:
    import yaml

    from agentgov.policies import schema

    out: list[str] = []
    for key, model_name, example in _CONDITIONS:
        model = getattr(schema, model_name)
        doc = " ".join((model.__doc__ or "").split())
        data = yaml.safe_load(example)
        from pydantic import TypeAdapter

        TypeAdapter(schema.Condition).validate_python(data)  # a wrong example fails the generation
        if key == "exists":
            doc = "`exists: {kind, where, check, scope, if_none, message}`. " + doc
        out += [f"### `{key}`", "", doc or f"The `{key}` condition.", "", "```yaml", example, "```", ""]
    return out


def _operators() -> list[str]:
    import yaml
    from pydantic import TypeAdapter

    from agentgov.policies.schema import Condition
    from agentgov.scanner.conditions.operators import OPERATORS

    out = ["| op | meaning | absent attribute | example |", "| --- | --- | --- | --- |"]
    for name, op in OPERATORS.items():
        if not op.example:
            raise ValueError(f"operator {name} has no example (operators.py)")
        TypeAdapter(Condition).validate_python(yaml.safe_load(op.example))
        doc = " ".join((type(op).__doc__ or "").split())
        absent = "holds" if op.negative or name == "absent" else "fails"
        doc = doc.replace("|", "\\|")
        example = op.example.replace("|", "\\|")
        out.append(f"| `{name}` | {doc} | {absent} | `{example}` |")
    return out


def _relations() -> list[str]:
    from agentgov.scanner.graph import REFERENCES, RELATIONS

    out = ["| from kind | attribute | relation | to kinds | reverse (on the target) |", "| --- | --- | --- | --- | --- |"]
    for kind, path, rel, targets, reverse in REFERENCES:
        out.append(f"| {kind} | `{path}` | `{rel}` | {', '.join(targets)} | {f'`{reverse}`' if reverse else ''} |")
    listed = {r for _, _, r, _, _ in REFERENCES} | {r for *_, r in REFERENCES if r}
    more = sorted(RELATIONS - listed)
    out += ["", "Computed by the graph (not from one attribute): " + ", ".join(f"`{r}`" for r in more) + "."]
    return out


def _analyzers(pack: Any) -> list[str]:
    from agentgov.policies.compiled import AnalyzerCall, conditions
    from agentgov.scanner.analyzers import NAMES

    calls: dict[str, list[str]] = {}
    for p in pack:
        for c in conditions(p.check):
            if isinstance(c, AnalyzerCall):
                calls.setdefault(c.analyzer, []).append(
                    f"{p.id} on {', '.join(p.resource)}" + (f": `{json.dumps(c.params)}`" if c.params else "")
                )
    out: list[str] = []
    for name in NAMES:
        module = import_module(f"agentgov.scanner.analyzers.{name}")
        doc = " ".join((module.__doc__ or "").split("\n\n")[0].split())
        source = Path(module.__file__ or "").read_text(encoding="utf-8")
        params = sorted(set(re.findall(r"params\.get\(\"([a-z_]+)\"", source)))
        out += [f"### `{name}`", "", doc, ""]
        out.append("Parameters: " + (", ".join(f"`{x}`" for x in params) if params else "none") + ".")
        if calls.get(name):
            out += ["", "Called by: " + "; ".join(calls[name]) + "."]
        out.append("")
    return out


def _kinds() -> list[str]:
    from agentgov.scanner.attribute_paths import table
    from agentgov.scanner.kinds import AWSCC_TYPES, KINDS, QUALIFIED_KINDS

    paths = table()["kinds"]
    out = [
        "Paths are snake_case and dotted; a list is walked through (`action_groups.action_group_name` reads every "
        "action group's name). A path ending in `*` is a map or a document: anything below it may be read "
        "(`environment.variables.DB_HOST`). Every kind also has `tags` (and `tags.KEY`), `@kind` and `@id`. A user policy "
        "whose `attr` is not a path of its kind fails to load (kinds without a list below are not checked).",
        "",
        "Live records (`agentgov audit`) carry the same paths: each collector writes an API answer under the snake_case "
        "name of the CloudFormation property (tests/test_audit_contract.py checks that every path a policy reads on a "
        "live kind is produced by a collector).",
        "",
        "Kinds computed by the graph: "
        + "; ".join(f"`{k}` (a {b} the graph finds behind an agent)" for k, b in QUALIFIED_KINDS.items())
        + ".",
        "",
    ]
    for kind, (cfn, tf) in KINDS.items():
        tf_all = (*tf, *(t for t, k in AWSCC_TYPES.items() if k == kind))
        out += [f"### `{kind}`", ""]
        out.append(f"CloudFormation: {', '.join(cfn) or 'none'}. Terraform: {', '.join(tf_all) or 'none'}.")
        entry = paths.get(kind)
        if entry:
            out += ["", "<details><summary>" + f"{len(entry['paths'])} attribute paths" + "</summary>", ""]
            out += [f"`{p}`<br>" for p in entry["paths"]]
            out += ["", "</details>"]
        else:
            out += ["", "Attribute paths: not declared (not checked when a user policy loads)."]
        out.append("")
    return out


def language_reference() -> str:
    from agentgov.scanner.pack import load_pack

    pack = load_pack()
    out = [
        "# The policy language",
        "",
        f"Language version {LANGUAGE_VERSION}. Generated by `agentgov docs --out docs` from the schema, the operator registry, the "
        "graph, the analyzers and the normalizer; do not edit by hand. The JSON Schema of a user policy file is "
        "[schemas/user-policy.schema.json](schemas/user-policy.schema.json); how to write, test and load one is in "
        "[user-policies.md](user-policies.md).",
        "",
        "A verdict is PASS, FAIL or UNKNOWN: a value the files cannot settle (a reference known only at deploy time, a "
        "parameter without a value) makes its condition UNKNOWN with the reason, never PASS.",
        "",
        "## A policy file",
        "",
        *_schema_fields(),
        "",
        "A user policy's id is a prefix of the team's (2-8 capital letters, not starting with `AG`) and 3-4 digits; the "
        "file is named after it (`ORG001.yaml`). Parameters a user policy reads are the built-in ones or those its pack "
        "declares in `parameters.yaml`.",
        "",
        "## Conditions",
        "",
        *_conditions(),
        "## Operators of `attr`",
        "",
        "`value:` gives the operand, or `param:` a parameter's value; `quantifier: any` (default `all`) judges a path "
        "that reads several values; `default:` is the value AWS applies when the attribute is absent; `message:` is "
        "the FAIL message (`{value}` is the offending value).",
        "",
        *_operators(),
        "",
        "## Relations",
        "",
        "`related: REL` follows the edges named REL from the judged resource; `used_by: REL` names the resources whose "
        "REL edge points at it.",
        "",
        *_relations(),
        "",
        "## Analyzers",
        "",
        "Checks written once in Python (`agentgov.scanner.analyzers`) that a policy calls by name with "
        "`analyzer: NAME` and `params:` (a value, or `$parameter`). A user policy can call them; it cannot add one.",
        "",
        *_analyzers(pack),
        "## Resource kinds and their attribute paths",
        "",
        *_kinds(),
    ]
    return "\n".join(out).rstrip() + "\n"
