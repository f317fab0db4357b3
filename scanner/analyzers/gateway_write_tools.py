"""Which tools an AgentCore gateway exposes, and whether a policy engine enforces on them (AG902).

A gateway's tools come from its targets (``AWS::BedrockAgentCore::GatewayTarget``,
``aws_bedrockagentcore_gateway_target``, found by their ``GatewayIdentifier``).
Each target type declares its tools differently, and each is judged by what
the files declare, never by guessing:

* Lambda targets with an inline tool schema: each tool by its name and
  description (``tools.classify``: irreversible or write verbs). The function's
  own permissions are not consulted: the tool schema is the contract the agent
  and the Cedar policies see, and AG101/AG103 judge the function's role.
* OpenAPI targets: every POST, PUT, PATCH or DELETE operation is a write tool
  (DELETE, or an operation named with an irreversible verb, is irreversible).
* Smithy models: every operation without the ``@readonly`` trait is a write tool.
* API Gateway targets: every tool filter allowing POST, PUT, PATCH or DELETE.
* Connector targets (``Connector``, e.g. the Bedrock knowledge-base connector):
  each enabled or configured operation by its name, like a Lambda tool.
* Tool schemas kept in S3, MCP server targets (tools listed by the server at
  run time), HTTP/runtime targets and target types agentgov does not know:
  UNKNOWN with the reason, unless a write tool elsewhere already settles it.

A gateway whose ``PolicyEngineConfiguration.Mode`` is ENFORCE passes whatever
its tools. A gateway with no target in the scanned files is UNKNOWN (its
targets are created elsewhere, so its tools are not known).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

import yaml

from ..conditions import FAIL, PASS, UNKNOWN, EvalContext, Verdict, unknown_reason
from ..model import MISSING, Choice, Expr, Resource, Unknown, seen_in, walk
from ._tools import classify

WRITE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}
_HTTP_METHODS = {"get", "put", "post", "delete", "options", "head", "patch", "trace"}


@dataclass
class Tools:
    """What one target's declaration says about its tools."""

    writes: list[dict[str, str]]  # {"tool", "kind" (write|irreversible), "why"}
    unknown: list[str]
    read: list[str] = field(default_factory=list)  # tools judged read, by name


def _text(v: Any) -> str | None:
    """A literal string, or the literal text of a built one (names, descriptions, payloads)."""
    if isinstance(v, str):
        return v
    if isinstance(v, Expr) and not v.unknowns:
        return "".join(p if isinstance(p, str) else "x" for p in v.parts)
    return None


def _tool(out: Tools, label: str, name: Any, description: Any, verbs: tuple[Any, Any]) -> None:
    n, d = _text(name), _text(description)
    if n is None and d is None:
        reason = unknown_reason(name) or unknown_reason(description) or "the tool has no name"
        out.unknown.append(f"{label}: tool name {reason}")
        return
    hit = classify(n, d, verbs[0], verbs[1])
    if hit:
        out.writes.append({"tool": n or d or "?", "kind": hit[0], "why": f"says {hit[1]}"})
    elif n is None:
        out.unknown.append(f"{label}: tool name {unknown_reason(name)}")
    else:
        out.read.append(n)


def _lambda(out: Tools, label: str, lam: Any, verbs: tuple[Any, Any]) -> None:
    schemas = [s for s in walk(lam, "tool_schema") if s is not None]
    if not schemas:
        out.unknown.append(f"{label}: the Lambda target declares no tool schema")
    for schema in schemas:
        if not isinstance(schema, dict):
            out.unknown.append(f"{label}: tool schema {unknown_reason(schema) or 'of an unexpected shape'}")
            continue
        if "inline_payload" in schema:
            for tool in walk(schema, "inline_payload"):
                if isinstance(tool, dict):
                    _tool(out, label, tool.get("name"), tool.get("description"), verbs)
                elif tool is not MISSING and tool is not None:
                    out.unknown.append(f"{label}: tool schema {unknown_reason(tool) or 'of an unexpected shape'}")
        elif "s3" in schema:
            uri = next((u for u in walk(schema, "s3.uri") if isinstance(u, str)), None)
            out.unknown.append(
                f"{label}: the tool schema is read from S3{f' ({uri})' if uri else ''}, not from the scanned files"
            )
        else:
            out.unknown.append(f"{label}: the tool schema is neither inline nor in S3")


def _payload(out: Tools, label: str, schema: Any, what: str) -> Any:
    """The parsed inline document of an OpenAPI or Smithy schema block, or None."""
    if not isinstance(schema, dict):
        out.unknown.append(f"{label}: {what} {unknown_reason(schema) or 'of an unexpected shape'}")
        return None
    if "inline_payload" not in schema:
        if "s3" in schema:
            uri = next((u for u in walk(schema, "s3.uri") if isinstance(u, str)), None)
            out.unknown.append(f"{label}: the {what} is read from S3{f' ({uri})' if uri else ''}, not from the scanned files")
        else:
            out.unknown.append(f"{label}: the {what} is neither inline nor in S3")
        return None
    raw = schema["inline_payload"]
    if isinstance(raw, (dict, list)):
        return raw
    text = _text(raw)
    if text is None:
        out.unknown.append(f"{label}: the {what} {unknown_reason(raw) or 'is known only at deploy time'}")
        return None
    try:
        return json.loads(text)
    except ValueError:
        pass
    try:
        return yaml.safe_load(text)
    except yaml.YAMLError:
        return text  # Smithy IDL, or not parseable: the caller decides


def _openapi(out: Tools, label: str, schema: Any, verbs: tuple[Any, Any]) -> None:
    doc = _payload(out, label, schema, "OpenAPI schema")
    if doc is None:
        return
    paths = doc.get("paths") if isinstance(doc, dict) else None
    if not isinstance(paths, dict):
        out.unknown.append(f"{label}: the OpenAPI schema has no paths agentgov can read")
        return
    for path, item in paths.items():
        if not isinstance(item, dict):
            continue
        for method, op in item.items():
            if not isinstance(method, str) or method.lower() not in _HTTP_METHODS:
                continue
            m = method.upper()
            op = op if isinstance(op, dict) else {}
            name = op.get("operationId") or op.get("operation_id") or f"{m} {path}"
            if m not in WRITE_METHODS:
                out.read.append(str(name))
                continue
            hit = classify(_text(name), _text(op.get("summary") or op.get("description")), verbs[0], ())
            kind = "irreversible" if m == "DELETE" or hit else "write"
            out.writes.append({"tool": str(name), "kind": kind, "why": f"{m} {path}"})


_IDL_OPERATION = re.compile(r"((?:@[\w.#]+(?:\([^)]*\))?\s*)*)\boperation\s+(\w+)")


def _smithy(out: Tools, label: str, schema: Any, verbs: tuple[Any, Any]) -> None:
    doc = _payload(out, label, schema, "Smithy model")
    if doc is None:
        return
    if isinstance(doc, dict) and isinstance(doc.get("shapes"), dict):
        for shape_id, shape in doc["shapes"].items():
            if not isinstance(shape, dict) or shape.get("type") != "operation":
                continue
            given = shape.get("traits")
            traits = given if isinstance(given, dict) else {}
            name = str(shape_id).rsplit("#", 1)[-1]
            if "smithy.api#readonly" in traits:
                out.read.append(name)
                continue
            binding = traits.get("smithy.api#http")
            http = binding if isinstance(binding, dict) else {}
            method = str(http.get("method", "")).upper()
            hit = classify(name, None, verbs[0], ())
            kind = "irreversible" if method == "DELETE" or hit else "write"
            out.writes.append({"tool": name, "kind": kind, "why": "operation without @readonly"})
        return
    if isinstance(doc, str):  # Smithy IDL
        ops = _IDL_OPERATION.findall(doc)
        if not ops:
            out.unknown.append(f"{label}: the Smithy model declares no operation agentgov can read")
        for traits, name in ops:
            if "@readonly" in traits:
                out.read.append(name)
            else:
                hit = classify(name, None, verbs[0], ())
                out.writes.append(
                    {"tool": name, "kind": "irreversible" if hit else "write", "why": "operation without @readonly"}
                )
        return
    out.unknown.append(f"{label}: the Smithy model is neither a JSON AST nor IDL agentgov can read")


def _api_gateway(out: Tools, label: str, api: Any) -> None:
    filters = [f for f in walk(api, "api_gateway_tool_configuration.tool_filters") if f is not None and f is not MISSING]
    overrides: dict[str, list[str]] = {}
    for o in walk(api, "api_gateway_tool_configuration.tool_overrides"):
        if isinstance(o, dict) and isinstance(o.get("method"), str) and isinstance(o.get("name"), str):
            overrides.setdefault(o["method"].upper(), []).append(o["name"])
    if not filters:
        out.unknown.append(f"{label}: the API Gateway target declares no tool filters")
    for f in filters:
        if not isinstance(f, dict):
            out.unknown.append(f"{label}: tool filter {unknown_reason(f) or 'of an unexpected shape'}")
            continue
        path = _text(f.get("filter_path")) or "?"
        for m in walk(f, "methods"):
            t = _text(m)
            if t is None:
                if m is not None and m is not MISSING:
                    out.unknown.append(f"{label}: tool filter method {unknown_reason(m)}")
                continue
            if t.upper() in WRITE_METHODS:
                named = overrides.get(t.upper(), [])  # the tools named for this method, when the target names them
                out.writes.append(
                    {
                        "tool": ", ".join(named) if named else f"{t.upper()} {path}",
                        "kind": "irreversible" if t.upper() == "DELETE" else "write",
                        "why": f"API Gateway {t.upper()} {path}",
                    }
                )
            else:
                out.read.append(f"{t.upper()} {path}")


def _connector(out: Tools, label: str, conn: Any, verbs: tuple[Any, Any]) -> None:
    """A managed connector (``ConnectorId: bedrock-knowledge-bases``): its enabled operations are its tools."""
    names = [n for n in walk(conn, "enabled") if n is not None and n is not MISSING]
    names += [n for n in walk(conn, "configurations.name") if n is not None and n is not MISSING]
    if not names:
        out.unknown.append(f"{label}: the connector target names no operation")
    for n in dict.fromkeys(names) if all(isinstance(n, str) for n in names) else names:
        _tool(out, label, n, None, verbs)


def target_tools(target: Resource, verbs: tuple[Any, Any]) -> Tools:
    """The tools one gateway target declares."""
    out = Tools([], [])
    label = f"target {target.label}"
    configs = [c for c in walk(target.properties, "target_configuration") if c is not None]
    if not configs:
        out.unknown.append(f"{label}: no target configuration")
    for cfg in configs:
        if not isinstance(cfg, dict):
            out.unknown.append(f"{label}: target configuration {unknown_reason(cfg) or 'of an unexpected shape'}")
            continue
        for proto, body in cfg.items():
            if proto != "mcp":
                out.unknown.append(f"{label}: {proto} targets are not assessed (their tools are not declared here)")
                continue
            for mcp in walk(body, ""):
                if mcp is None or mcp is MISSING:
                    continue
                if not isinstance(mcp, dict):
                    out.unknown.append(f"{label}: MCP configuration {unknown_reason(mcp) or 'of an unexpected shape'}")
                    continue
                for kind, spec in mcp.items():
                    for one in walk(spec, ""):
                        if one is None or one is MISSING:
                            continue
                        if kind == "lambda":
                            _lambda(out, label, one, verbs)
                        elif kind == "open_api_schema":
                            _openapi(out, label, one, verbs)
                        elif kind == "smithy_model":
                            _smithy(out, label, one, verbs)
                        elif kind == "api_gateway":
                            _api_gateway(out, label, one)
                        elif kind == "connector":
                            _connector(out, label, one, verbs)
                        elif kind == "mcp_server":
                            ep = _text(one.get("endpoint")) if isinstance(one, dict) else None
                            out.unknown.append(f"{label}: the MCP server{f' at {ep}' if ep else ''} lists its tools at run time")
                        else:
                            out.unknown.append(f"{label}: {kind} targets are not assessed")
    return out


def _enforced(res: Resource) -> tuple[bool | None, str]:
    """(ENFORCE?, explanation); None when the mode is not known from the files."""
    values = [v for v in walk(res.properties, "policy_engine_configuration.mode") if v is not None]
    if not values:
        return False, "the gateway has no policy engine"
    for v in values:
        if v is MISSING:
            return False, "in one variant the gateway has no policy engine"
        if isinstance(v, (Unknown, Expr, Choice)) or not isinstance(v, str):
            return None, f"its policy engine mode {unknown_reason(v) or 'is not known'}"
        if v.upper() != "ENFORCE":
            return False, f"its policy engine is in {v} mode, which only logs decisions"
    return True, "its policy engine enforces (ENFORCE)"


def check(res: Resource, ctx: EvalContext, params: dict[str, Any]) -> Verdict:
    path = "policy_engine_configuration.mode"
    irreversible, write = params.get("irreversible_verbs"), params.get("write_tool_verbs")
    missing = [n for n, v in (("irreversible_verbs", irreversible), ("write_tool_verbs", write)) if v is None]
    enforced, how = _enforced(res)
    if enforced:
        return Verdict(PASS, [], path)
    if irreversible is None or write is None:  # (missing names them)
        return Verdict(UNKNOWN, [f"parameter {m} is not configured" for m in missing], path)
    verbs = (tuple(irreversible), tuple(write))
    targets = ctx.inventory.related(res, "target")
    if not targets and res.source == "aws":  # listed live (a listing that failed is an Unlisted target): no tools
        return Verdict(PASS, [], path, evidence={"targets": []})
    if not targets:
        return Verdict(UNKNOWN, [f"no target of this gateway is {seen_in(res)}, so its tools are not known"], path)
    writes: list[dict[str, str]] = []
    unknown: list[str] = []
    read: list[str] = []
    for t in targets:
        if isinstance(t, Unknown):
            unknown.append(t.reason)
            continue
        tools = target_tools(t, verbs)
        writes.extend({"target": t.label, **w} for w in tools.writes)
        unknown.extend(tools.unknown)
        read.extend(f"{r} ({t.label})" for r in tools.read)
    evidence: dict[str, Any] = {"targets": sorted(t.label for t in targets if isinstance(t, Resource))}
    if read:
        evidence["read_tools"] = read[:50]
    if writes:
        evidence["write_tools"] = writes
        if unknown:
            evidence["not_assessed"] = unknown
        irrev = [w for w in writes if w["kind"] == "irreversible"]
        shown = ", ".join(f"{w['tool']} ({w['target']})" for w in (irrev or writes)[:4]) + (
            " and more" if len(writes) > 4 else ""
        )
        what = "irreversible" if irrev else "write"
        if enforced is None:
            return Verdict(UNKNOWN, [f"the gateway exposes {what} tools ({shown}) and {how}"], path, evidence=evidence)
        return Verdict(
            FAIL,
            [f"the gateway exposes {len(writes)} {what} tool(s) ({shown}) but {how}: nothing authorizes each call"],
            path,
            evidence=evidence,
        )
    if unknown:
        evidence["not_assessed"] = unknown
        return Verdict(UNKNOWN, unknown[:3], path, evidence=evidence)
    return Verdict(PASS, ["the gateway's targets declare only read tools"], path, evidence=evidence)
