"""The attribute paths of each resource kind, generated from the normalizer: ``scanner/data/attribute_paths.json``.

For every kind with a CloudFormation type, a sample resource holding every property of the type's registry schema
(cfn-lint's copy: read-only attributes too, which the live collectors' records carry under the same snake_case
names) goes through agentgov's normalizer (``normalize``: the snake_case names and the per-kind renames policies
read); every dotted path of the result is a path of the kind. A path ending in ``*`` is a map or a document whose keys
are data (tags, environment variables, policy documents): anything below it is accepted. The paths every built-in
policy reads on a kind are added (they are read on live records or Terraform-only arguments, and the pack's golden
fixtures prove them). User policies are checked against this table when they load (``agentgov.scanner.pack``).

Regenerate after a normalizer or cfn-lint change, then review the diff:

    python tests/attribute_paths.py
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
OUT = HERE.parent / "scanner" / "data" / "attribute_paths.json"
MAX_DEPTH = 7
OPAQUE = "\x00opaque"


def _resolve(schema: dict[str, Any], node: dict[str, Any]) -> dict[str, Any]:
    seen = 0
    while "$ref" in node and seen < 10:
        ref = node["$ref"]
        if not ref.startswith("#/definitions/"):
            return {}
        node = schema.get("definitions", {}).get(ref.rsplit("/", 1)[1], {})
        seen += 1
    return node


def _sample(schema: dict[str, Any], node: dict[str, Any], depth: int, stack: tuple[str, ...]) -> Any:
    ref = node.get("$ref")
    if ref is not None and ref in stack:
        return OPAQUE  # a recursive definition: below it, anything
    node_r = _resolve(schema, node)
    stack = (*stack, ref) if ref else stack
    for key in ("oneOf", "anyOf", "allOf"):
        if key in node_r and "properties" not in node_r:
            merged: dict[str, Any] = {}
            for option in node_r[key]:
                v = _sample(schema, option, depth, stack)
                if isinstance(v, dict):
                    merged.update(v)
            return merged or "x"
    t = node_r.get("type")
    if isinstance(t, list):
        t = "object" if "object" in t else ("array" if "array" in t else t[0])
    if t == "array" or "items" in node_r:
        return [_sample(schema, node_r.get("items") or {}, depth + 1, stack)]
    if "properties" in node_r:
        if depth >= MAX_DEPTH:
            return OPAQUE
        return {k: _sample(schema, v, depth + 1, stack) for k, v in node_r["properties"].items()}
    if t == "object" or "patternProperties" in node_r or "additionalProperties" in node_r:
        return OPAQUE  # a map whose keys are data, or a free document
    return "x"


def _paths(value: Any, prefix: str, out: set[str]) -> None:
    if isinstance(value, list):
        for v in value:
            _paths(v, prefix, out)
        return
    if value == OPAQUE or (isinstance(value, dict) and not value):
        out.add(f"{prefix}.*" if prefix else "*")
        return
    if isinstance(value, dict):
        for k, v in value.items():
            p = f"{prefix}.{k}" if prefix else k
            out.add(p)
            _paths(v, p, out)
        return
    if prefix:
        out.add(prefix)


def _iac_paths(kind: str, cfn_types: tuple[str, ...]) -> set[str]:
    from cfnlint.schema.manager import PROVIDER_SCHEMA_MANAGER

    from agentgov.scanner.model import Location, RawResource
    from agentgov.scanner.normalize import normalize

    out: set[str] = set()
    for t in cfn_types:
        if t == "AWS::Serverless::Function":
            continue  # SAM's transform turns it into AWS::Lambda::Function, whose schema is read
        try:
            schema = PROVIDER_SCHEMA_MANAGER.get_resource_schema("us-east-1", t).schema
        except Exception:  # noqa: BLE001 - a type cfn-lint does not know: no paths from it
            continue
        props = {k: _sample(schema, v, 1, ()) for k, v in schema.get("properties", {}).items()}
        raw = RawResource(
            source="cloudformation",
            type=t,
            local_id="R",
            properties=_opaque_to_map(props),
            location=Location("t.yaml", 1),
            stack="t.yaml",
        )
        try:
            resources = normalize(raw)
        except Exception as exc:  # noqa: BLE001 - a hook that cannot take the sample: say so and keep the plain names
            print(
                f"{kind} ({t}): normalizer hook failed on the sample ({type(exc).__name__}); snake_case names only",
                file=sys.stderr,
            )
            from agentgov.scanner.normalize import _snake_tree

            resources = []
            _paths(_snake_tree(_opaque_to_map(props)), "", out)
        for r in resources:
            if r.kind == kind:
                _paths(r.properties, "", out)
    return out


def _opaque_to_map(v: Any) -> Any:
    if v == OPAQUE:
        return {}
    if isinstance(v, dict):
        return {k: _opaque_to_map(x) for k, x in v.items()}
    if isinstance(v, list):
        return [_opaque_to_map(x) for x in v]
    return v


def _pack_paths() -> dict[str, set[str]]:
    """kind -> the attribute paths the built-in policies read on it (top-level kinds, and ``exists``' kinds)."""
    from agentgov.policies.compiled import attribute_reads
    from agentgov.scanner.kinds import QUALIFIED_KINDS
    from agentgov.scanner.pack import load_pack

    out: dict[str, set[str]] = {}
    for p in load_pack(use_cache=False):
        for c, kinds, prefix in attribute_reads(p.check, p.resource):
            if kinds is None or c.attr.startswith("@") or c.attr.startswith("tags"):
                continue  # a related resource's (the graph decides its kind), the engine's, the tags
            for k in kinds:
                out.setdefault(QUALIFIED_KINDS.get(k, k), set()).add(prefix + c.attr)
        for kind, paths in p.iac_only.items():
            out.setdefault(QUALIFIED_KINDS.get(kind, kind), set()).update(paths)
    return out


def table() -> dict[str, Any]:
    from agentgov.scanner.kinds import KINDS

    pack = _pack_paths()
    kinds: dict[str, Any] = {}
    for kind, (cfn, _tf) in sorted(KINDS.items()):
        iac = _iac_paths(kind, cfn)
        if not iac and kind not in pack:
            continue
        kinds[kind] = {
            "cloudformation_types": list(cfn),
            "paths": sorted(iac | pack.get(kind, set())),
        }
    return {
        "generated_by": "tests/attribute_paths.py (cfn-lint's resource schemas through agentgov's normalizer, "
        "and the paths the built-in policies read); do not edit",
        "kinds": kinds,
    }


def text() -> str:
    return json.dumps(table(), indent=1, sort_keys=True) + "\n"


if __name__ == "__main__":
    sys.path.insert(0, str(HERE.parent))
    OUT.write_text(text(), encoding="utf-8")
    t = json.loads(OUT.read_text())
    print(f"{len(t['kinds'])} kinds, {sum(len(k['paths']) for k in t['kinds'].values())} paths -> {OUT.relative_to(HERE.parent)}")
