"""Managed resources of a module instance, evaluated into RawResources.

Attributes become Python values, nested blocks lists of dicts (as in plan
JSON), ``dynamic`` blocks are expanded, ``count``/``for_each`` give one
resource per instance. Every attribute and nested block gets a location,
and so do the keys of object/tuple constructors inside attributes
(``environment.0.variables.DB_PASSWORD``, ``policy.Statement.0.Action``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from agentgov.scanner.model import Location, ParseError, RawResource, Unknown

from . import syntax as S
from .evaluate import evaluate, evaluate_safely
from .hcl import Attribute, Block, Body, suppressions_for
from .modules import ModuleInstance
from .scope import Scope, iterate
from .values import OVER_LIMIT, SYMBOLIC, BudgetExhausted, EvalError, NeedKnown, ValueTooLarge, finalize, unknown_from

META_ATTRS = frozenset({"count", "for_each", "provider", "depends_on"})
META_BLOCKS = frozenset({"lifecycle", "provisioner", "connection"})
MAX_LOCATIONS = 5000  # per resource
MAX_RESOURCES = 20_000  # per root


@dataclass(slots=True)
class EmitContext:
    stack: str
    default_tags: dict[str, Any] = field(default_factory=dict)  # root provider key -> tags
    default_tags_at: dict[str, Location] = field(default_factory=dict)
    variables_seen: set[tuple[str, int]] = field(default_factory=set)  # (file, line) of emitted variable blocks


# --- bodies --------------------------------------------------------------------------------------


def attribute_value(attr: Attribute, scope: Scope, path: str) -> Any:
    try:
        value = scope.session.measure(evaluate(attr.expr, scope))
    except BudgetExhausted:
        raise
    except ValueTooLarge:
        scope.session.note_too_large(attr.file.display, attr.line, path)
        value = OVER_LIMIT
    except EvalError as exc:
        value = Unknown(f"cannot evaluate {path}: {exc}")
    except RecursionError:
        value = Unknown(f"cannot evaluate {path}: nested too deeply")
    except Exception as exc:  # a scanner bug must not lose the resource
        value = Unknown(f"scanner error evaluating {path}: {type(exc).__name__}: {exc}")
    return finalize(value)


def evaluate_body(
    body: Body, scope: Scope, prefix: str, locations: dict[str, Location] | None, skip_meta: bool = False
) -> dict[str, Any]:
    props: dict[str, Any] = {}
    unknown_blocks: set[str] = set()
    for item in body.items:
        if isinstance(item, Attribute):
            if skip_meta and item.name in META_ATTRS:
                continue
            path = prefix + item.name
            props[item.name] = attribute_value(item, scope, path)
            if locations is not None and len(locations) < MAX_LOCATIONS:
                locations[path] = item.location
                _locate(item.expr, path, locations, item.file.display, 0)
            continue
        block = item
        if skip_meta and block.type in META_BLOCKS:
            continue
        if block.type == "dynamic":
            _dynamic(block, scope, prefix, props, locations, unknown_blocks)
            continue
        if block.type in unknown_blocks:
            continue
        items = props.setdefault(block.type, [])
        if not isinstance(items, list):
            continue
        path = f"{prefix}{block.type}.{len(items)}"
        if locations is not None and len(locations) < MAX_LOCATIONS:
            locations[path] = block.location
        items.append(evaluate_body(block.body, scope, path + ".", locations))
    return props


def _dynamic(
    block: Block,
    scope: Scope,
    prefix: str,
    props: dict[str, Any],
    locations: dict[str, Location] | None,
    unknown_blocks: set[str],
) -> None:
    if not block.labels:
        return
    label = block.labels[0]
    attrs = block.body.attributes
    content = next((b for b in block.body.blocks if b.type == "content"), None)
    if content is None or "for_each" not in attrs:
        return
    iterator = attrs["iterator"].text.strip() if "iterator" in attrs else label
    coll = evaluate_safely(attrs["for_each"].expr, scope, f"for_each of dynamic {label}")
    try:
        pairs = iterate(coll, f"dynamic {label}")
    except (NeedKnown, EvalError) as exc:
        why = unknown_from(exc.value, "it").reason if isinstance(exc, NeedKnown) else str(exc)
        props[label] = Unknown(f"dynamic block over an unknown collection ({prefix}{label}: {why})")
        unknown_blocks.add(label)
        if locations is not None:
            locations[prefix + label] = block.location
        return
    if label in unknown_blocks:
        return
    items = props.setdefault(label, [])
    if not isinstance(items, list):
        return
    for k, v in pairs:
        inner = scope.child(**{iterator: {"key": k, "value": v}})
        path = f"{prefix}{label}.{len(items)}"
        if locations is not None and len(locations) < MAX_LOCATIONS:
            locations[path] = content.location
        items.append(evaluate_body(content.body, inner, path + ".", locations))


def _locate(expr: S.Syntax, path: str, locations: dict[str, Location], file: str, depth: int) -> None:
    """Locations of the keys/elements written literally inside an attribute value."""
    if depth > 12 or len(locations) >= MAX_LOCATIONS:
        return
    if isinstance(expr, S.Call) and expr.name in ("jsonencode", "tomap", "tolist") and len(expr.args) == 1:
        _locate(expr.args[0], path, locations, file, depth + 1)
    elif isinstance(expr, S.ObjectCons):
        for key, value, (line, column) in zip(expr.keys, expr.values, expr.positions):
            if isinstance(key, S.Lit) and isinstance(key.value, str):
                p = f"{path}.{key.value}"
                locations.setdefault(p, Location(file=file, line=line, column=column))
                _locate(value, p, locations, file, depth + 1)
    elif isinstance(expr, S.TupleCons):
        for i, (item, (line, column)) in enumerate(zip(expr.items, expr.positions)):
            p = f"{path}.{i}"
            locations.setdefault(p, Location(file=file, line=line, column=column))
            _locate(item, p, locations, file, depth + 1)


# --- resources -----------------------------------------------------------------------------------


def emit_module(inst: ModuleInstance, ctx: EmitContext, out: list[RawResource]) -> None:
    """All managed resources of ``inst`` and of the local modules it calls."""
    session = inst.session
    for (type_, name), block in inst.config.resources.items():
        address = f"{inst.prefix}{type_}.{name}"
        try:
            _emit_resource(inst, block, type_, address, ctx, out)
        except BudgetExhausted:
            raise
        except Exception as exc:  # pragma: no cover - a scanner bug, reported, never raised
            session.errors.append(
                ParseError(
                    file=block.file.display,
                    line=block.line,
                    column=block.column,
                    reason=f"scanner error while evaluating {address}: {type(exc).__name__}: {exc}",
                )
            )
    for name in inst.config.module_calls:
        _exp, children, _problem = inst.children(name)
        for _suffix, child in children:
            emit_module(child, ctx, out)
    if not inst.prefix:
        emit_variables(inst, ctx, out)


def _emit_resource(
    inst: ModuleInstance, block: Block, type_: str, address: str, ctx: EmitContext, out: list[RawResource]
) -> None:
    session = inst.session
    exp = inst.expansion("resource", block, address)
    suppressions = suppressions_for(block)
    provider = _provider_of(inst, block, type_)
    for suffix, bindings in exp.instances():
        session.resources += 1
        if session.resources > MAX_RESOURCES:
            if session.resources == MAX_RESOURCES + 1:
                session.errors.append(
                    ParseError(
                        file=block.file.display,
                        line=block.line,
                        column=block.column,
                        reason=f"more than {MAX_RESOURCES} resources; the rest of the module is not scanned",
                    )
                )
            return
        scope = inst.scope.child(**bindings) if bindings else inst.scope
        locations: dict[str, Location] = {}
        props = evaluate_body(block.body, scope, "", locations, skip_meta=True)
        if provider is not None and ctx.default_tags:
            _add_tags_all(props, locations, provider, ctx)
        out.append(
            RawResource(
                source="terraform",
                type=type_,
                local_id=address + suffix,
                properties=props,
                location=block.location,
                stack=ctx.stack,
                display_name=address + suffix,
                locations=locations,
                suppressions=[dict(s) for s in suppressions],
            )
        )


def emit_variables(inst: ModuleInstance, ctx: EmitContext, out: list[RawResource]) -> None:
    """Input ``variable`` blocks of the root module as resources of type ``variable`` (kind template_parameter).

    Only the root's: they are what a person sets when deploying (the
    counterpart of CloudFormation parameters); a child module's inputs are set
    by its caller's code, and a module directory is judged when it is scanned
    as a root. Each block once: its declaration (default, ``sensitive``) is
    what policies judge, not a value.
    """
    for name, block in inst.config.variables.items():
        seen = (block.file.display, block.line)
        if seen in ctx.variables_seen:
            continue
        ctx.variables_seen.add(seen)
        attrs = block.body.attributes
        props: dict[str, Any] = {"name": name, "has_default": "default" in attrs}
        locations: dict[str, Location] = {}
        for key in ("default", "sensitive", "description"):
            if key in attrs:
                try:
                    props[key] = attribute_value(attrs[key], inst.scope, f"{key} of var.{name}")
                except BudgetExhausted:
                    raise
                locations[key] = attrs[key].location
        if "type" in attrs:
            props["type"] = attrs["type"].text.strip()
            locations["type"] = attrs["type"].location
        address = f"{inst.prefix}var.{name}"
        out.append(
            RawResource(
                source="terraform",
                type="variable",
                local_id=address,
                properties=props,
                location=block.location,
                stack=ctx.stack,
                display_name=address,
                locations=locations,
                suppressions=[dict(s) for s in suppressions_for(block)],
            )
        )


def _provider_of(inst: ModuleInstance, block: Block, type_: str) -> str | None:
    """The root ``aws`` provider configuration key of a resource, or None if not aws."""
    attr = block.body.attributes.get("provider")
    local = attr.text.strip() if attr is not None else type_.split("_", 1)[0]
    if local.split(".", 1)[0] != "aws":
        return None
    return inst.provider_key(local)


def _add_tags_all(props: dict[str, Any], locations: dict[str, Location], provider: str, ctx: EmitContext) -> None:
    defaults = ctx.default_tags.get(provider, {})
    tags = props.get("tags")
    if isinstance(defaults, Unknown):
        props["tags_all"] = defaults
    elif isinstance(tags, SYMBOLIC):
        props["tags_all"] = unknown_from(tags, "tags")
    elif not isinstance(defaults, dict) or (tags is not None and not isinstance(tags, dict)):
        props["tags_all"] = Unknown("default_tags or tags is not a map")
    else:
        props["tags_all"] = {**defaults, **(tags or {})}
    where = locations.get("tags") or ctx.default_tags_at.get(provider)
    if where is not None:
        locations["tags_all"] = where


def root_default_tags(root: ModuleInstance) -> tuple[dict[str, Any], dict[str, Location]]:
    """default_tags of the root module's aws provider configurations, by key (``aws``, ``aws.west``)."""
    tags: dict[str, Any] = {}
    where: dict[str, Location] = {}
    for p in root.config.providers:
        if p.labels[0] != "aws":
            continue
        key = provider_config_key(p, root.scope)
        for b in p.body.blocks:
            if b.type == "default_tags" and "tags" in b.body.attributes:
                attr = b.body.attributes["tags"]
                tags[key] = attribute_value(attr, root.scope, f"provider {key} default_tags")
                where[key] = attr.location
    return tags, where


def provider_config_key(p: Block, scope: Scope) -> str:
    alias = p.body.attributes.get("alias")
    if alias is None:
        return p.labels[0]
    v = evaluate_safely(alias.expr, scope)
    name = v if isinstance(v, str) else alias.text.strip().strip('"')
    return f"{p.labels[0]}.{name}"
