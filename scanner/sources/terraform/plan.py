"""Terraform plan (and state) JSON, as printed by ``terraform show -json``.

Resources come from ``planned_values`` (or ``values`` for a state), with
``child_modules`` walked. Attributes the plan marks ``after_unknown`` become
``Unknown("known only after apply")``, except where the configuration section
shows the expression was a single reference to a resource attribute: then
it is that ``Ref`` (``role = aws_iam_role.agent.arn`` is unknown in a plan,
but the edge from the agent to the role must still be found). References
through a module output are followed into the module when it has no
count/for_each.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from agentgov.scanner.model import Location, ParseError, RawResource, Ref, Unknown

from .hcl import read_regular
from .scope import display_path

AFTER_APPLY = "known only after apply"
_NOT_RESOURCE = ("var.", "local.", "module.", "data.", "count.", "each.", "path.", "terraform.", "self.")
_MODULE_SEGMENT = re.compile(r'module\.([A-Za-z0-9_-]+)(\[(?:"(?:[^"\\]|\\.)*"|\d+)\])?\.')
_REF = re.compile(r'^([A-Za-z0-9_-]+\.[A-Za-z0-9_-]+)(\[(?:"(?:[^"\\]|\\.)*"|\d+)\])?(?:\.(.+))?$')
_ADDRESS = re.compile(r'"address"\s*:\s*("(?:[^"\\]|\\.)*")')
MAX_MODULE_NESTING = 50


def is_plan_json(obj: Any) -> bool:
    if not isinstance(obj, dict) or not ("format_version" in obj or "terraform_version" in obj):
        return False
    if "planned_values" in obj or isinstance(obj.get("resource_changes"), list):
        return True  # a planned_values of the wrong shape is a broken plan, reported, not a JSON file to skip
    values = obj.get("values")
    return isinstance(values, dict) and isinstance(values.get("root_module"), dict)


def load_plan(
    path: Path, obj: dict[str, Any], display_root: Path, text: str | None = None
) -> tuple[list[RawResource], list[ParseError]]:
    """The resources of a plan already parsed (``obj``); ``text``: the file's text when the caller has read it (the lines
    of the resources are found in it; else the file is read again)."""
    path = Path(path)
    try:
        shown = display_path(path.resolve(), Path(display_root).resolve())
    except (ValueError, OSError):
        shown = path.as_posix()
    try:
        return _load(path, obj, shown, text)
    except Exception as exc:  # never a traceback for a malformed plan
        return [], [ParseError(file=shown, reason=f"cannot read the plan: {type(exc).__name__}: {exc}")]


def _load(path: Path, obj: dict[str, Any], shown: str, text: str | None) -> tuple[list[RawResource], list[ParseError]]:
    errors: list[ParseError] = []
    lines = _AddressLines(path, text)
    changes: dict[str, dict[str, Any]] = {}
    for rc in obj.get("resource_changes") or []:
        if isinstance(rc, dict) and isinstance(rc.get("address"), str):
            changes[rc["address"]] = rc
    configs = _module_configs(obj.get("configuration"))

    entries = list(_planned_resources(obj, errors, shown))
    if not entries and not isinstance(obj.get("planned_values"), dict) and not isinstance(obj.get("values"), dict):
        entries = list(_from_changes(changes.values()))

    out: list[RawResource] = []
    for res in entries:
        address, type_ = res.get("address"), res.get("type")
        if not isinstance(address, str) or not isinstance(type_, str):
            errors.append(ParseError(file=shown, reason="a resource without address or type is ignored"))
            continue
        if res.get("mode", "managed") != "managed":
            continue
        values = res.get("values")
        props = dict(values) if isinstance(values, dict) else {}
        name = res.get("name") if isinstance(res.get("name"), str) else address.rsplit(".", 1)[-1]
        cut = address.rfind(f"{type_}.{name}")
        module_prefix = address[:cut] if cut > 0 else ""
        change = (changes.get(address) or {}).get("change") or {}
        after_unknown = change.get("after_unknown")
        if isinstance(after_unknown, dict):
            exprs = _resource_expressions(configs, module_prefix, f"{type_}.{name}")
            for key, au in after_unknown.items():
                filled = _fill(props.get(key), au, exprs.get(key) if isinstance(exprs, dict) else None, module_prefix, configs, 0)
                if filled is not _KEEP:
                    props[key] = filled
        out.append(
            RawResource(
                source="terraform-plan",
                type=type_,
                local_id=address,
                properties=props,
                location=Location(file=shown, line=lines.line_of(address)),
                stack=shown,
                display_name=address,
            )
        )
    return out, errors


def _planned_resources(obj: dict[str, Any], errors: list[ParseError], shown: str) -> Any:
    key = "planned_values" if "planned_values" in obj else "values"
    section = obj.get(key)
    if section is None and key == "values":
        return
    if not isinstance(section, dict):
        errors.append(
            ParseError(file=shown, reason=f"{key} is {_shape(section)}, not an object: the plan's resources are not read")
        )
        return
    stack = [(section.get("root_module"), f"{key}.root_module", 0)]
    while stack:
        module, where, depth = stack.pop()
        if module is None and depth == 0:
            continue  # an empty plan
        if not isinstance(module, dict):
            errors.append(
                ParseError(file=shown, reason=f"{where} is {_shape(module)}, not an object: its resources are not read")
            )
            continue
        if depth > MAX_MODULE_NESTING:
            errors.append(ParseError(file=shown, reason=f"modules nested more than {MAX_MODULE_NESTING} deep"))
            continue
        resources = module.get("resources")
        if resources is not None and not isinstance(resources, list):
            errors.append(ParseError(file=shown, reason=f"{where}.resources is {_shape(resources)}, not a list: not read"))
            resources = None
        for i, res in enumerate(resources or []):
            if isinstance(res, dict):
                yield res
            else:
                errors.append(ParseError(file=shown, reason=f"{where}.resources[{i}] is {_shape(res)}, not an object: not read"))
        children = module.get("child_modules")
        if children is not None and not isinstance(children, list):
            errors.append(ParseError(file=shown, reason=f"{where}.child_modules is {_shape(children)}, not a list: not read"))
            children = None
        stack.extend((c, f"{where}.child_modules[{i}]", depth + 1) for i, c in reversed(list(enumerate(children or []))))


def _shape(value: Any) -> str:
    return "null" if value is None else f"a {type(value).__name__}"


def _from_changes(changes: Any) -> Any:
    for rc in changes:
        change = rc.get("change") or {}
        if change.get("actions") == ["delete"]:
            continue
        yield {
            "address": rc.get("address"),
            "type": rc.get("type"),
            "name": rc.get("name"),
            "mode": rc.get("mode", "managed"),
            "values": change.get("after"),
        }


# --- after_unknown and references ----------------------------------------------------------------


class _Keep:
    pass


_KEEP = _Keep()


def _fill(value: Any, au: Any, expr: Any, module_prefix: str, configs: dict[str, Any], depth: int) -> Any:
    """``value`` with the parts ``au`` marks unknown replaced (Ref where the config shows one)."""
    if depth > 30:
        return _KEEP
    if au is True:
        if value is not None:
            return _KEEP
        return _ref_or_unknown(expr, module_prefix, configs)
    if isinstance(au, dict) and au:
        if not isinstance(value, dict):
            if value is None:
                value = {}
            else:
                return _KEEP
        out = dict(value)
        for k, sub in au.items():
            r = _fill(out.get(k), sub, expr.get(k) if isinstance(expr, dict) else None, module_prefix, configs, depth + 1)
            if r is not _KEEP:
                out[k] = r
        return out
    if isinstance(au, list) and au:
        lst = list(value) if isinstance(value, list) else []
        changed = False
        for i, sub in enumerate(au):
            cur = lst[i] if i < len(lst) else None
            sub_expr = expr[i] if isinstance(expr, list) and i < len(expr) else None
            r = _fill(cur, sub, sub_expr, module_prefix, configs, depth + 1)
            if r is not _KEEP:
                while len(lst) <= i:
                    lst.append(None)
                lst[i] = r
                changed = True
        return lst if changed else _KEEP
    return _KEEP


def _ref_or_unknown(expr: Any, module_prefix: str, configs: dict[str, Any]) -> Any:
    refs = expr.get("references") if isinstance(expr, dict) else None
    if not isinstance(refs, list) or not refs:
        return Unknown(AFTER_APPLY)
    ref = _single_reference([r for r in refs if isinstance(r, str)], module_prefix, configs, 0)
    if ref is not None:
        return ref
    names = [r for r in refs if isinstance(r, str)]
    longest = [r for r in names if not any(o != r and (o.startswith(r + ".") or o.startswith(r + "[")) for o in names)]
    return Unknown(f"{AFTER_APPLY} (from {', '.join(longest[:3])})")


def _single_reference(refs: list[str], module_prefix: str, configs: dict[str, Any], depth: int) -> Ref | None:
    """The Ref when all ``refs`` are one reference (with its shorter forms), else None."""
    if not refs or depth > 10:
        return None
    first = refs[0]
    if not all(first == r or first.startswith(r + ".") or first.startswith(r + "[") for r in refs):
        return None
    if first.startswith("module."):
        return _through_output(first, module_prefix, configs, depth)
    if first.startswith("var.") and module_prefix:
        return _through_input(first, module_prefix, configs, depth)
    if first.startswith(_NOT_RESOURCE):
        return None
    m = _REF.match(first)
    if not m:
        return None
    return Ref(target=module_prefix + m.group(1) + (m.group(2) or ""), attr=m.group(3))


def _through_output(ref: str, module_prefix: str, configs: dict[str, Any], depth: int) -> Ref | None:
    parts = ref.split(".")
    if len(parts) < 3:
        return None
    call_name, output = parts[1], parts[2]
    config_path = _config_path(module_prefix)
    module = configs.get(config_path)
    call = (module or {}).get("module_calls", {}).get(call_name) if isinstance(module, dict) else None
    if not isinstance(call, dict) or "count_expression" in call or "for_each_expression" in call:
        return None
    child = call.get("module") or {}
    out = (child.get("outputs") or {}).get(output) if isinstance(child, dict) else None
    refs = ((out or {}).get("expression") or {}).get("references") if isinstance(out, dict) else None
    if not isinstance(refs, list):
        return None
    return _single_reference([r for r in refs if isinstance(r, str)], f"{module_prefix}module.{call_name}.", configs, depth + 1)


def _through_input(ref: str, module_prefix: str, configs: dict[str, Any], depth: int) -> Ref | None:
    """``var.x`` inside a module: the reference the caller passed as input ``x``."""
    segments = list(_MODULE_SEGMENT.finditer(module_prefix))
    if not segments:
        return None
    last = segments[-1]
    parent_prefix = module_prefix[: last.start()]
    parent = configs.get(_config_path(parent_prefix))
    call = (parent.get("module_calls") or {}).get(last.group(1)) if isinstance(parent, dict) else None
    exprs = call.get("expressions") if isinstance(call, dict) else None
    expr = exprs.get(ref.split(".")[1]) if isinstance(exprs, dict) else None
    refs = expr.get("references") if isinstance(expr, dict) else None
    if not isinstance(refs, list):
        return None
    return _single_reference([r for r in refs if isinstance(r, str)], parent_prefix, configs, depth + 1)


def _config_path(module_prefix: str) -> str:
    """``module.a[0].module.b.`` -> ``module.a.module.b`` (instance keys dropped)."""
    return ".".join(f"module.{m.group(1)}" for m in _MODULE_SEGMENT.finditer(module_prefix))


def _module_configs(configuration: Any) -> dict[str, Any]:
    """Module config sections by config path ("" is the root)."""
    out: dict[str, Any] = {}
    if not isinstance(configuration, dict):
        return out
    stack = [("", configuration.get("root_module"), 0)]
    while stack:
        path, module, depth = stack.pop()
        if not isinstance(module, dict) or depth > MAX_MODULE_NESTING:
            continue
        out[path] = module
        for name, call in (module.get("module_calls") or {}).items():
            if isinstance(call, dict):
                child_path = f"{path}.module.{name}" if path else f"module.{name}"
                stack.append((child_path, call.get("module"), depth + 1))
    return out


def _resource_expressions(configs: dict[str, Any], module_prefix: str, address: str) -> Any:
    module = configs.get(_config_path(module_prefix))
    if not isinstance(module, dict):
        return None
    for res in module.get("resources") or []:
        if isinstance(res, dict) and res.get("address") == address:
            return res.get("expressions")
    return None


# --- positions -------------------------------------------------------------------------------------


class _AddressLines:
    """Line of each resource's ``"address"`` in the plan text (planned_values first)."""

    def __init__(self, path: Path, text: str | None = None) -> None:
        self.first: dict[str, int] = {}
        self.lines: dict[str, int] = {}
        if text is None:
            try:
                text = read_regular(path, 512 * 1024 * 1024).decode("utf-8", "replace")
            except OSError:
                return
        start = text.find('"planned_values"')
        for m in _ADDRESS.finditer(text):
            try:
                addr = json.loads(m.group(1))
            except ValueError:
                continue
            pos = m.start()
            prev = self.first.get(addr)
            if prev is None or (start >= 0 and prev < start <= pos):
                self.first[addr] = pos
        # each address's line, counting the newlines between one address and the next (in C, whatever the plan's size)
        line, last = 1, 0
        for addr, pos in sorted(self.first.items(), key=lambda kv: kv[1]):
            line += text.count("\n", last, pos)
            last = pos
            self.lines[addr] = line

    def line_of(self, address: str) -> int | None:
        return self.lines.get(address)
