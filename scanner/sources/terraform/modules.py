"""Module instances: the names an expression can see, evaluated lazily.

A :class:`ModuleInstance` is one instance of a module (the root, or
``module.a[0]``). It answers ``var.*``, ``local.*``, ``module.*``, ``data.*``
and resource references on demand, memoizing each value, so locals may be
declared in any order; a value that refers back to itself becomes Unknown.

Local module calls (``source = "./..."`` or ``"../..."``) inside the scanned
tree are followed; their inputs are evaluated in the caller's scope.
Remote sources are not fetched: every output of such a module is Unknown.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from agentgov.scanner.model import ParseError, Ref, Unknown

from . import syntax as S
from .config import ModuleConfig, load_config, module_tf_files
from .data_sources import ECHO_DATA_SOURCES
from .evaluate import evaluate_safely
from .expansion import Expansion, collect_instances, expand
from .hcl import Attribute, Block
from .scope import Scope, Session
from .typeconv import convert
from .values import EvalError, Namespace

MAX_MODULE_DEPTH = 10
MAX_MODULE_INSTANCES = 2000  # per root


# --- namespaces ----------------------------------------------------------------------------------


class _Names(Namespace):
    __slots__ = ("inst", "getter", "label")

    def __init__(self, inst: ModuleInstance, getter: Callable[[str], Any], label: str) -> None:
        self.inst = inst
        self.getter = getter
        self.label = label

    def get_attr(self, name: str) -> Any:
        return self.getter(name)

    def describe(self) -> str:
        return self.label


class ModuleOutputs(Namespace):
    __slots__ = ("inst",)

    def __init__(self, inst: ModuleInstance) -> None:
        self.inst = inst

    def get_attr(self, name: str) -> Any:
        return self.inst.output(name)

    def materialize(self) -> Any:
        return {name: self.inst.output(name) for name in self.inst.config.outputs}

    def describe(self) -> str:
        return self.inst.prefix.rstrip(".")


class NotLoaded(Namespace):
    """A module call whose code is not available (remote, missing, cyclic...)."""

    __slots__ = ("reason",)

    def __init__(self, reason: str) -> None:
        self.reason = reason

    def get_attr(self, name: str) -> Any:
        return Unknown(self.reason)

    def get_index(self, key: Any) -> Any:
        return self

    def splat_source(self) -> Any:
        return Unknown(self.reason)

    def materialize(self) -> Any:
        return Unknown(self.reason)


def is_local_source(src: str) -> bool:
    return src.startswith(("./", "../", ".\\", "..\\")) or src in (".", "..")


def module_source(call: Block) -> str | None:
    attr = call.body.attributes.get("source")
    if attr is None:
        return None
    expr = attr.expr
    if isinstance(expr, S.Lit) and isinstance(expr.value, str):
        return expr.value
    if isinstance(expr, S.Template) and len(expr.parts) == 1 and isinstance(expr.parts[0], str):
        return expr.parts[0]
    return None


_META_MODULE_ARGS = frozenset({"source", "version", "count", "for_each", "providers", "depends_on"})


def _deferred(attr: Attribute, scope: Scope, what: str) -> Callable[[], Any]:
    """An input of a module call, converted and evaluated in the caller's scope when the module first reads it."""
    return lambda: evaluate_safely(attr.expr, scope, what, attr.location)


class ModuleInstance:
    def __init__(
        self,
        config: ModuleConfig,
        session: Session,
        prefix: str,
        path_module: str,
        inputs: dict[str, Callable[[], Any]],
        root_values: dict[str, Any] | None,
        depth: int,
        chain: tuple[Path, ...],
        providers: dict[str, str],
        missing_var_note: str = "",
    ) -> None:
        self.config = config
        self.session = session
        self.prefix = prefix  # "" or "module.a[0]."
        self.path_module = path_module
        self.inputs = inputs
        self.root_values = root_values  # tfvars, for the root module only
        self.depth = depth
        self.chain = chain
        self.providers = providers  # local provider reference -> root provider key
        self.missing_var_note = missing_var_note
        self.scope = Scope(self, session)
        self._memo: dict[tuple[str, str], Any] = {}
        self._busy: set[tuple[str, str]] = set()
        self._children: dict[str, tuple[Expansion | None, list[tuple[str, ModuleInstance]], Any]] = {}
        self._ns: dict[str, Any] = {  # _Names, and the plain mappings of path and terraform
            "var": _Names(self, self.variable, "var"),
            "local": _Names(self, self.local, "local"),
            "module": _Names(self, self.module_value, "module"),
            "data": _Names(self, lambda t: _Names(self, lambda n: self.data_value(t, n), f"data.{t}"), "data"),
        }

    def close(self) -> None:
        """Break the reference cycles of this instance and of the instances it called (instance <-> scope,
        namespaces, memoized values and deferred inputs), so their memory is freed as soon as the root module
        is evaluated, by reference counting, not by the cyclic garbage collector."""
        todo: list[ModuleInstance] = [self]
        while todo:
            inst = todo.pop()
            for _exp, children, _problem in inst._children.values():
                todo.extend(child for _suffix, child in children)
            inst._children.clear()
            inst._ns.clear()
            inst._memo.clear()
            inst.inputs = {}
            inst.scope.module = None

    # -- name lookup
    def lookup(self, name: str) -> Any:
        ns = self._ns.get(name)
        if ns is not None:
            return ns
        if name == "path":
            ns = {"module": self.path_module, "root": ".", "cwd": self.session.root_dir.as_posix()}
        elif name == "terraform":
            ns = {"workspace": Unknown("terraform.workspace is chosen when Terraform runs")}
        elif name in ("count", "each"):
            raise EvalError(f"{name} is only valid in a block with {'count' if name == 'count' else 'for_each'}")
        elif name == "self":
            return Unknown("self is only known to provisioners")
        elif name in self.config.resource_types:
            ns = _Names(self, lambda n: self.resource_value(name, n), name)
        else:
            raise EvalError(f"reference to undeclared name {name!r}")
        self._ns[name] = ns
        return ns

    def _memoized(self, kind: str, name: str, compute: Callable[[], Any]) -> Any:
        key = (kind, name)
        if key in self._memo:
            return self._memo[key]
        if key in self._busy:
            return Unknown(f"{kind}.{name} refers to itself (a cycle)")
        self._busy.add(key)
        try:
            value = compute()
        finally:
            self._busy.discard(key)
        self._memo[key] = value
        return value

    # -- variables, locals, outputs
    def variable(self, name: str) -> Any:
        block = self.config.variables.get(name)
        if block is None:
            raise EvalError(f"reference to undeclared input variable var.{name}")
        return self._memoized("var", name, lambda: self._variable(name, block))

    def _variable(self, name: str, block: Block) -> Any:
        attrs = block.body.attributes
        value: Any = _MISSING
        if self.root_values is not None:
            if name in self.root_values:
                value = self.root_values[name]
        elif name in self.inputs:
            value = self.inputs[name]()
        nullable = attrs.get("nullable")
        not_nullable = nullable is not None and isinstance(nullable.expr, S.Lit) and nullable.expr.value is False
        if value is _MISSING or (value is None and not_nullable):
            if "default" in attrs:
                value = evaluate_safely(attrs["default"].expr, self.scope, f"default of var.{name}", attrs["default"].location)
            elif self.root_values is not None:
                return Unknown(
                    f"variable var.{name} has no default and no tfvars value{self.missing_var_note}", origin=f"variable:{name}"
                )
            else:
                return Unknown(f"variable var.{name} of {self.prefix.rstrip('.')} is not set by the module call")
        type_attr = attrs.get("type")
        return convert(value, type_attr.expr if type_attr else None, self.scope)

    def local(self, name: str) -> Any:
        attr = self.config.locals.get(name)
        if attr is None:
            raise EvalError(f"reference to undeclared local value local.{name}")
        return self._memoized("local", name, lambda: evaluate_safely(attr.expr, self.scope, f"local.{name}", attr.location))

    def output(self, name: str) -> Any:
        block = self.config.outputs.get(name)
        if block is None:
            raise EvalError(f"module {self.prefix.rstrip('.')} has no output {name!r}")
        attr = block.body.attributes.get("value")
        if attr is None:
            return None
        return self._memoized("output", name, lambda: evaluate_safely(attr.expr, self.scope, f"output {name}", attr.location))

    # -- resources and data sources
    def expansion(self, kind: str, block: Block, address: str) -> Expansion:
        return self._memoized(f"expand-{kind}", address, lambda: expand(block, self.scope, address))

    def resource_value(self, type_: str, name: str) -> Any:
        block = self.config.resources.get((type_, name))
        if block is None:
            raise EvalError(f"reference to undeclared resource {type_}.{name}")
        address = f"{self.prefix}{type_}.{name}"
        exp = self.expansion("resource", block, address)
        return collect_instances(exp, lambda suffix, b: Ref(address + suffix))

    def data_value(self, type_: str, name: str) -> Any:
        block = self.config.data.get((type_, name))
        address = f"{self.prefix}data.{type_}.{name}"
        if block is None:
            raise EvalError(f"reference to undeclared data source data.{type_}.{name}")
        if type_ in ECHO_DATA_SOURCES:
            return self._memoized("data", f"{type_}.{name}", lambda: self._echo_data(block, address, ECHO_DATA_SOURCES[type_]))
        if type_ != "aws_iam_policy_document":
            return Unknown(f"data source {address} is read at apply time", origin=f"data:{type_}")
        return self._memoized("data", f"{type_}.{name}", lambda: self._policy_document(block, address))

    def _echo_data(self, block: Block, address: str, build: Callable[[dict[str, Any], str], dict[str, Any]]) -> Any:
        """A data source whose attributes follow from its arguments (see data_sources.py)."""
        from .body import evaluate_body

        exp = self.expansion("data", block, address)

        def make(suffix: str, bindings: dict[str, Any]) -> Any:
            scope = self.scope.child(**bindings) if bindings else self.scope
            return build(evaluate_body(block.body, scope, "", {}, skip_meta=True), address + suffix)

        return collect_instances(exp, make)

    def _policy_document(self, block: Block, address: str) -> Any:
        from .body import evaluate_body
        from .policy_document import build_policy_document

        exp = self.expansion("data", block, address)

        def make(suffix: str, bindings: dict[str, Any]) -> Any:
            scope = self.scope.child(**bindings) if bindings else self.scope
            props = evaluate_body(block.body, scope, "", {}, skip_meta=True)
            doc = build_policy_document(props, address + suffix)
            return {
                "json": doc,
                "minified_json": doc,
                "id": Unknown(f"the id of {address + suffix} is computed by the provider"),
                **{k: v for k, v in props.items() if k not in ("json", "minified_json", "id")},
            }

        return collect_instances(exp, make)

    # -- module calls
    def module_value(self, name: str) -> Any:
        if name not in self.config.module_calls:
            raise EvalError(f"reference to undeclared module module.{name}")
        exp, insts, problem = self.children(name)
        if problem is not None:
            return problem
        assert exp is not None
        by_suffix = {suffix: inst for suffix, inst in insts}
        return collect_instances(exp, lambda suffix, b: ModuleOutputs(by_suffix[suffix]))

    def children(self, name: str) -> tuple[Expansion | None, list[tuple[str, ModuleInstance]], Any]:
        """The instances of module call ``name`` (created once), or the reason there are none."""
        hit = self._children.get(name)
        if hit is None:
            try:
                hit = self._make_children(name)
            except EvalError as exc:
                hit = (None, [], NotLoaded(f"module {self.prefix}module.{name}: {exc}"))
            self._children[name] = hit
        return hit

    def _make_children(self, name: str) -> tuple[Expansion | None, list[tuple[str, ModuleInstance]], Any]:
        call = self.config.module_calls[name]
        label = f"{self.prefix}module.{name}"
        src = module_source(call)
        if src is None:
            return None, [], self._not_loaded(call, f"module {label} has no literal source")
        if is_local_source(src):
            target = (self.config.dir / src.replace("\\", "/")).resolve()
        else:
            installed = self.session.installed_modules.get(_call_key(label))
            if installed is None:
                return (
                    None,
                    [],
                    self._not_loaded(call, f"remote module {src} ({label}) is not downloaded", " (run terraform init)"),
                )
            target = installed  # fetched by `terraform init` into .terraform/modules
        problem = self._check_target(call, label, src, target)
        if problem is not None:
            return None, [], problem
        session = self.session
        cfg = load_config(target, module_tf_files(target), session.display, session.allowed_root)
        session.errors.extend(e for e in cfg.errors if e not in session.errors)
        exp = self.expansion("module", call, label)
        path_module = Path(os.path.relpath(target, session.root_dir)).as_posix()
        providers = self._child_providers(call)
        insts: list[tuple[str, ModuleInstance]] = []
        for suffix, bindings in exp.instances():
            session.module_instances += 1
            if session.module_instances > MAX_MODULE_INSTANCES:
                if "module instances" not in session.reported:  # say it once
                    session.reported.add("module instances")
                    self._error(
                        call,
                        f"more than {MAX_MODULE_INSTANCES} module instances; {label} and"
                        " the module calls after it are not expanded",
                    )
                return None, [], NotLoaded(f"module {label} is beyond the scanner's limit of module instances")
            scope = self.scope.child(**bindings) if bindings else self.scope
            inputs = {
                arg: _deferred(attr, scope, f"input {arg} of {label}")
                for arg, attr in call.body.attributes.items()
                if arg not in _META_MODULE_ARGS
            }
            child = ModuleInstance(
                cfg, session, f"{label}{suffix}.", path_module, inputs, None, self.depth + 1, self.chain + (target,), providers
            )
            insts.append((suffix, child))
        return exp, insts, None

    def _check_target(self, call: Block, label: str, src: str, target: Path) -> Any:
        session = self.session
        if not target.is_relative_to(session.allowed_root):
            return self._not_loaded(call, f"module {label}: source {src} is outside the scanned directory")
        if target in self.chain:
            cycle = " -> ".join(session.display(p) for p in self.chain + (target,))
            self._error(call, f"module {label} calls itself ({cycle})")
            return NotLoaded(f"module {label} is part of a cycle of module calls")
        if self.depth + 1 > MAX_MODULE_DEPTH:
            self._error(call, f"modules nested more than {MAX_MODULE_DEPTH} deep at {label}")
            return NotLoaded(f"module {label} is nested more than {MAX_MODULE_DEPTH} deep")
        if not target.is_dir() or not module_tf_files(target):
            self._error(call, f"module {label}: source {src} has no .tf files")
            return NotLoaded(f"module {label}: source {src} has no .tf files")
        return None

    def _not_loaded(self, call: Block, reason: str, hint: str = "") -> NotLoaded:
        """A module call whose code is not read: an error naming the call (its resources are not assessed)."""
        self._error(call, f"{reason}{hint}; the resources it defines are not assessed")
        return NotLoaded(reason)

    def _error(self, block: Block, reason: str) -> None:
        err = ParseError(file=block.file.display, reason=reason, line=block.line, column=block.column)
        if err not in self.session.errors:
            self.session.errors.append(err)

    def _child_providers(self, call: Block) -> dict[str, str]:
        attr = call.body.attributes.get("providers")
        if attr is None:
            return {k: v for k, v in self.providers.items() if "." not in k}
        out: dict[str, str] = {}
        expr = attr.expr
        if isinstance(expr, S.ObjectCons):
            for ktext, vtext in zip(expr.key_texts, expr.value_texts):
                k, v = ktext.strip(), vtext.strip()
                out[k] = self.provider_key(v) or v
        return out

    def provider_key(self, local: str) -> str | None:
        """The root provider configuration a local provider reference stands for."""
        if local in self.providers:
            return self.providers[local]
        if self.root_values is not None:
            return local
        return None if "." in local else local


def _call_key(label: str) -> str:
    """``module.a[0].module.b`` -> ``a.b``, the key of ``.terraform/modules/modules.json``."""
    return ".".join(m.group(1) for m in _SEGMENT.finditer(label + "."))


_SEGMENT = re.compile(r'module\.([A-Za-z0-9_-]+)(?:\[(?:"(?:[^"\\]|\\.)*"|\d+)\])?\.')


class _Missing:
    pass


_MISSING = _Missing()
