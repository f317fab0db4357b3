"""CloudFormation (YAML/JSON), SAM and CDK output -> RawResource records.

A template is recognised by a ``Resources`` mapping whose entries have a
``Type`` (or by ``AWSTemplateFormatVersion``); YAML/JSON that is not a
template is counted and skipped. SAM templates are expanded by ``sam.py``;
CDK nested stacks (``AWS::CloudFormation::Stack`` with ``aws:asset:path``
metadata) are loaded with the parameters their parent passes.
"""

from __future__ import annotations

import posixpath
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .. import heap
from ..kinds import TYPE_TO_KIND
from ..model import Location, ParseError, RawResource, Ref, Unknown
from . import foreach, sam
from .intrinsics import Context, resolve
from .yamlload import LoadError, load_json, load_yaml

SAM_TRANSFORM = "AWS::Serverless-2016-10-31"


class NotATemplate(Exception):
    """YAML/JSON that is not a CloudFormation template (skipped, not an error)."""


@dataclass
class Template:
    path: Path
    display: str  # path shown in findings (relative, posix)
    body: dict[str, Any]
    marks: dict[str, tuple[int, int]]
    nested: dict[str, str] = field(default_factory=dict)  # logical id -> nested template display path


def looks_like_template(text: str) -> bool:
    """Cheap pre-filter before parsing: a template names ``Resources``."""
    return "Resources" in text or "AWSTemplateFormatVersion" in text


def keep_resource(rtype: str) -> bool:
    """Whether a resource's body is needed: modeled kinds, SAM, nested stacks."""
    return rtype in TYPE_TO_KIND or rtype.startswith("AWS::Serverless::") or rtype == "AWS::CloudFormation::Stack"


def parse_template(path: Path, display: str, text: str) -> Template:
    """Parse ``text``; raise ``LoadError`` (bad input) or ``NotATemplate``."""
    if path.suffix.lower() == ".json":
        body, marks = load_json(text, keep_resource)
    else:
        body, marks = load_yaml(text, keep_resource)
    if not isinstance(body, dict):
        raise NotATemplate()
    resources = body.get("Resources")
    if resources is None:
        if "AWSTemplateFormatVersion" in body:
            raise LoadError("template has no Resources section")
        raise NotATemplate()
    if not isinstance(resources, dict):
        if (
            "AWSTemplateFormatVersion" in body
            or isinstance(resources, list)
            and any(isinstance(r, dict) and "Type" in r for r in resources)
        ):
            line = marks.get("Resources", (None, None))[0]
            raise LoadError(
                f"Resources must be a mapping of logical ids to resources, not a {type(resources).__name__}",
                line,
            )
        raise NotATemplate()
    if "AWSTemplateFormatVersion" not in body and not any(isinstance(r, dict) and "Type" in r for r in resources.values()):
        raise NotATemplate()
    tpl = Template(path=path, display=display, body=body, marks=marks)
    for lid, res in resources.items():
        if isinstance(res, dict) and res.get("Type") == "AWS::CloudFormation::Stack":
            meta = res.get("Metadata")
            asset = meta.get("aws:asset:path") if isinstance(meta, dict) else None
            if isinstance(asset, str) and "/" not in asset and "\\" not in asset:
                tpl.nested[lid] = posixpath.join(posixpath.dirname(display), asset)
    return tpl


def _is_sam(body: dict[str, Any]) -> bool:
    t = body.get("Transform")
    if isinstance(t, str):
        return t == SAM_TRANSFORM
    if isinstance(t, list):
        return SAM_TRANSFORM in t
    return False


def _loc(tpl: Template, path: str) -> Location:
    mark = tpl.marks.get(path)
    if mark is None:
        return Location(file=tpl.display)
    return Location(file=tpl.display, line=mark[0], column=mark[1])


def _parameters(tpl: Template, passed: dict[str, Any] | None) -> tuple[dict[str, Any], list[RawResource]]:
    values: dict[str, Any] = {}
    raws: list[RawResource] = []
    params = tpl.body.get("Parameters")
    if not isinstance(params, dict):
        return values, raws
    for name, spec in params.items():
        if not isinstance(spec, dict):
            continue
        ptype = spec.get("Type")
        if passed is not None and name in passed:
            values[name] = passed[name]
        elif isinstance(ptype, str) and ptype.startswith("AWS::SSM::Parameter::Value"):
            values[name] = Unknown(f"parameter {name} is read from SSM Parameter Store at deploy time")
        elif "Default" in spec:
            default = spec["Default"]
            if isinstance(ptype, str) and ptype.startswith("List<") or ptype == "CommaDelimitedList":
                if isinstance(default, str):
                    default = [d.strip() for d in default.split(",")] if default else []
            values[name] = default
        else:
            values[name] = Unknown(f"parameter {name} has no default value", origin=f"parameter:{name}")
        raws.append(
            RawResource(
                source="cloudformation",
                type="AWS::CloudFormation::Parameter",
                local_id=f"Parameters/{name}",
                properties={
                    "Name": name,
                    "Type": ptype,
                    "NoEcho": spec.get("NoEcho"),
                    "HasDefault": "Default" in spec,
                    "Default": spec.get("Default"),
                    "Description": spec.get("Description"),
                },
                location=_loc(tpl, f"Parameters.{name}"),
                stack=tpl.display,
                locations={"Default": _loc(tpl, f"Parameters.{name}.Default")} if "Default" in spec else {},
            )
        )
    return values, raws


def _suppressions(meta: Any, tpl: Template, lid: str) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    if not isinstance(meta, dict):
        return out
    ag = meta.get("agentgov")
    if not isinstance(ag, dict):
        return out
    ignore = ag.get("ignore")
    if not isinstance(ignore, list):
        ignore = [ignore] if ignore is not None else []
    line = tpl.marks.get(f"Resources.{lid}.Metadata.agentgov", (None, None))[0]
    for entry in ignore:
        if isinstance(entry, str):
            out.append({"policy": entry, "reason": None, "line": line, "file": tpl.display})
        elif isinstance(entry, dict):
            pid = entry.get("id") or entry.get("policy")
            out.append({"policy": pid, "reason": entry.get("reason"), "line": line, "file": tpl.display})
    return out


def _section(body: dict[str, Any], name: str) -> dict[str, Any]:
    """A top-level section of the template that must be a mapping (empty when absent or malformed)."""
    value = body.get(name)
    return value if isinstance(value, dict) else {}


def _resource_types(resources: dict[str, Any]) -> dict[str, str]:
    """Logical id -> resource type ("" when the resource names none); Ref and GetAtt only test membership."""
    return {k: v.get("Type") or "" for k, v in resources.items() if isinstance(v, dict)}


def _expand_loops(
    tpl: Template, resources: dict[str, Any], ctx: Context, errors: list[ParseError]
) -> tuple[dict[str, Any], dict[str, str]]:
    """``Fn::ForEach`` loops expanded (a loop over a deploy-time collection: its fragment once, its identifier
    an unknown element); the loops that cannot be expanded are errors."""
    if not any(isinstance(k, str) and k.startswith(foreach.PREFIX) for k in resources):
        return resources, {}
    deferred: dict[str, str] = {}
    resources, loop_origin, failed = foreach.expand(resources, lambda node: _collection(node, ctx), deferred=deferred)
    for ident, key in deferred.items():  # one element of a collection known only at deploy time
        ctx.parameters.setdefault(
            ident,
            Unknown(f"{ident} is an element of the collection of {key}, known only at deploy time", origin=f"loop:{key}"),
        )
    for key, reason in failed:
        line = tpl.marks.get(f"Resources.{key}", (None, None))[0]
        errors.append(
            ParseError(
                tpl.display,
                f"{key}: Fn::ForEach loop not expanded: {reason}; the resources it defines were not assessed",
                line,
            )
        )
    return resources, loop_origin


def template_resources(
    tpl: Template,
    passed_parameters: dict[str, Any] | None = None,
    ref_prefix: str = "",
) -> tuple[list[RawResource], list[ParseError]]:
    """Resolve one template's resources into RawResource records."""
    body = tpl.body
    resources = body["Resources"]
    errors: list[ParseError] = []
    values, raws = _parameters(tpl, passed_parameters)
    ctx = Context(
        parameters=values,
        mappings=_section(body, "Mappings"),
        conditions=_section(body, "Conditions"),
        resources={},
        ref_prefix=ref_prefix,
    )
    resources, loop_origin = _expand_loops(tpl, resources, ctx, errors)
    ctx.resources = _resource_types(resources)
    is_sam = _is_sam(body)
    if is_sam:  # roles the transform will create can be referenced
        for lid, res in resources.items():
            if isinstance(res, dict) and res.get("Type") == "AWS::Serverless::Function":
                p = res.get("Properties")
                if not (isinstance(p, dict) and "Role" in p):
                    ctx.resources.setdefault(f"{lid}Role", "AWS::IAM::Role")
    globals_ = _section(body, "Globals") if is_sam else {}
    marks_by_resource: dict[str, dict[str, Location]] = {}
    for p, m in tpl.marks.items():
        if p.startswith("Resources."):
            parts = p.split(".", 3)
            if len(parts) == 4 and parts[2] == "Properties":
                marks_by_resource.setdefault(parts[1], {})[parts[3]] = Location(tpl.display, m[0], m[1])
    for lid, res in resources.items():
        line, col = tpl.marks.get(f"Resources.{loop_origin.get(lid, lid)}", (None, None))
        if not isinstance(res, dict):
            errors.append(ParseError(tpl.display, f"resource {lid} is not a mapping", line, col))
            continue
        rtype = res.get("Type")
        if not isinstance(rtype, str):
            errors.append(
                ParseError(tpl.display, f"resource {lid} has a Type that is not a string ({type(rtype).__name__})", line, col)
            )
            continue
        cond = res.get("Condition")
        if isinstance(cond, str) and ctx.condition(cond) is False:
            continue  # not created with the values the template resolves to
        props = res.get("Properties", {})
        if props is None:
            props = {}
        if not isinstance(props, dict):
            errors.append(ParseError(tpl.display, f"resource {lid}: Properties is not a mapping", line, col))
            continue
        if is_sam and rtype.startswith("AWS::Serverless::"):
            props = sam.apply_globals(rtype, props, globals_)
        try:
            resolved = resolve(props, ctx)
        except RecursionError:
            errors.append(ParseError(tpl.display, f"resource {lid}: properties nested too deeply", line, col))
            continue
        if not isinstance(resolved, dict):
            resolved = {}
        locations = marks_by_resource.get(lid, {})
        meta = res.get("Metadata")
        display = meta.get("aws:cdk:path") if isinstance(meta, dict) and isinstance(meta.get("aws:cdk:path"), str) else None
        raw = RawResource(
            source="cloudformation",
            type=rtype,
            local_id=lid,
            properties=resolved,
            location=Location(file=tpl.display, line=line, column=col),
            stack=tpl.display,
            display_name=display,
            locations=locations,
            suppressions=_suppressions(meta, tpl, lid),
        )
        if is_sam and rtype.startswith("AWS::Serverless::"):
            raws.extend(sam.expand(raw, ctx))
        else:
            raws.append(raw)
    errors.extend(_limit_errors(tpl, ctx))
    return raws, errors


def _limit_errors(tpl: Template, ctx: Context) -> list[ParseError]:
    """An error naming the template when its intrinsics went over the scanner's limits."""
    if ctx.limit_hit is None:
        return []
    reason = f"evaluation stopped at {ctx.limit_hit} (the scanner's limit for one template); the values beyond it are unknown"
    return [ParseError(tpl.display, reason)]


def _collection(node: Any, ctx: Context) -> list[str] | None:
    """A loop's collection as strings, or None when it is known only at deploy time."""
    value = resolve(node, ctx)
    if isinstance(value, str):  # a CommaDelimitedList parameter's default
        value = value.split(",")
    if isinstance(value, list) and all(isinstance(v, (str, int)) and not isinstance(v, bool) for v in value):
        return [str(v).strip() for v in value]
    return None


def nested_parameters(tpl: Template, lid: str) -> dict[str, Any]:
    """Parameters an ``AWS::CloudFormation::Stack`` passes to its nested template,
    resolved in the parent; Refs to parent resources become cross-stack Refs."""
    res = tpl.body["Resources"][lid]
    params = res.get("Properties", {}).get("Parameters") if isinstance(res.get("Properties"), dict) else None
    if not isinstance(params, dict):
        return {}
    ctx = Context(
        parameters=_parameters(tpl, None)[0],
        mappings=_section(tpl.body, "Mappings"),
        conditions=_section(tpl.body, "Conditions"),
        resources=_resource_types(tpl.body["Resources"]),
        ref_prefix=tpl.display + "#",
    )
    out = {}
    for k, v in params.items():
        r = resolve(v, ctx)
        out[k] = r
    return out


@dataclass
class TemplateLoad:
    """What :func:`load_indexed` found, each part tagged with the index of its file in the scan."""

    parse_errors: list[tuple[int, ParseError]] = field(default_factory=list)
    resolved: list[tuple[int, list[RawResource], list[ParseError]]] = field(default_factory=list)  # in file order
    templates: int = 0
    skipped: int = 0
    skipped_names: list[str] = field(default_factory=list)  # the files that are not templates (said when nothing is IaC)


def load_indexed(files: list[tuple[int, Path, str]], read_text: Callable[[Path, str], str]) -> TemplateLoad:
    """Load every template among ``files`` ((index, path, display), in index order).

    A nested stack's template is found next to its parent's (the same directory of the display path), so
    the files of one directory can be loaded apart from the others' (in a worker process).
    """
    out = TemplateLoad()
    templates: dict[str, tuple[int, Template]] = {}
    for i, path, display in files:
        try:
            text = read_text(path, display)
            if not looks_like_template(text):
                out.skipped += 1
                out.skipped_names.append(display)
                continue
            templates[display] = (i, parse_template(path, display, text))
            heap.settle()
        except NotATemplate:
            out.skipped += 1
            out.skipped_names.append(display)
        except LoadError as exc:
            out.parse_errors.append((i, ParseError(display, exc.reason, exc.line, exc.column)))
        except Exception as exc:  # a loader bug must not end the run
            out.parse_errors.append((i, ParseError(display, f"internal error while loading: {type(exc).__name__}: {exc}")))

    # nested stacks: load children with what their parent passes
    parent_of: dict[str, tuple[str, str]] = {}
    for display, (_i, tpl) in templates.items():
        for lid, child in tpl.nested.items():
            if child in templates and child not in parent_of and child != display:
                parent_of[child] = (display, lid)

    for display, (i, tpl) in templates.items():
        errors: list[ParseError] = []
        raws: list[RawResource] = []
        out.resolved.append((i, raws, errors))
        passed = None
        if display in parent_of:
            pdisplay, plid = parent_of[display]
            try:
                passed = nested_parameters(templates[pdisplay][1], plid)
            except Exception as exc:
                errors.append(ParseError(pdisplay, f"nested stack {plid}: parameters could not be resolved ({exc})"))
        try:
            r, e = template_resources(tpl, passed)
        except Exception as exc:
            errors.append(ParseError(display, f"internal error while resolving: {type(exc).__name__}: {exc}"))
            continue
        raws.extend(r)
        errors.extend(e)
        heap.settle()
    out.templates = len(templates)
    return out


def load_templates(
    files: list[tuple[Path, str]], read_text: Callable[[Path, str], str]
) -> tuple[list[RawResource], list[ParseError], int, int]:
    """Load every template among ``files`` ((path, display) pairs).

    ``read_text(path, display)`` returns the text or raises ``LoadError``.
    Returns raw resources, errors, templates scanned, files skipped (not IaC).
    """
    got = load_indexed([(i, path, display) for i, (path, display) in enumerate(files)], read_text)
    raws = [r for _i, rs, _e in got.resolved for r in rs]
    errors = [e for _i, e in got.parse_errors] + [e for _i, _r, es in got.resolved for e in es]
    return raws, errors, got.templates, got.skipped


__all__ = ["load_templates", "load_indexed", "TemplateLoad", "parse_template", "template_resources", "NotATemplate", "Ref"]
