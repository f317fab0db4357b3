"""Managed resources of a module instance, evaluated into RawResources.

Attributes become Python values, nested blocks lists of dicts (as in plan
JSON), ``dynamic`` blocks are expanded, ``count``/``for_each`` give one
resource per instance. Every attribute and nested block gets a location,
and so do the keys of object/tuple constructors inside attributes
(``environment.0.variables.DB_PASSWORD``, ``policy.Statement.0.Action``).
"""

from __future__ import annotations

from collections.abc import Container
from dataclasses import dataclass, field
from typing import Any

from agentgov.scanner.model import Location, ParseError, RawResource, Unknown

from .body import attribute_value, evaluate_body
from .evaluate import evaluate_safely
from .hcl import Block, suppressions_for
from .modules import ModuleInstance
from .scope import Scope, Session
from .values import SYMBOLIC, BudgetExhausted, unknown_from

MAX_RESOURCES = 20_000  # per root


@dataclass(slots=True)
class EmitContext:
    stack: str
    default_tags: dict[str, Any] = field(default_factory=dict)  # root provider key -> tags
    default_tags_at: dict[str, Location] = field(default_factory=dict)
    variables_seen: set[tuple[str, int]] = field(default_factory=set)  # (file, line) of emitted variable blocks
    types: Container[str] | None = None  # the resource types to evaluate and return (None: all)


# --- resources -----------------------------------------------------------------------------------


def emit_module(inst: ModuleInstance, ctx: EmitContext, out: list[RawResource]) -> None:
    """All managed resources of ``inst`` and of the local modules it calls."""
    session = inst.session
    types = ctx.types
    for (type_, name), block in inst.config.resources.items():
        address = f"{inst.prefix}{type_}.{name}"
        try:
            if types is not None and type_ not in types:  # not returned; its instances count against MAX_RESOURCES
                for _ in inst.expansion("resource", block, address).instances():
                    if not _counted(session, block):
                        break
                continue
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
        if not _counted(session, block):
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


def _counted(session: Session, block: Block) -> bool:
    """Count one more resource instance: False (and one error, the first time) past ``MAX_RESOURCES``."""
    session.resources += 1
    if session.resources <= MAX_RESOURCES:
        return True
    if session.resources == MAX_RESOURCES + 1:
        session.errors.append(
            ParseError(
                file=block.file.display,
                line=block.line,
                column=block.column,
                reason=f"more than {MAX_RESOURCES} resources; the rest of the module is not scanned",
            )
        )
    return False


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
