"""CloudFormation intrinsic functions, resolved as far as the template allows.

What resolves: ``Ref`` and ``Fn::GetAtt`` to resources of the template (as
``Ref`` values the graph turns into edges), parameters with defaults, pseudo
parameters that do not depend on the deployment, ``Fn::Sub``, ``Fn::Join``,
``Fn::If`` (a ``Choice`` of both branches when the condition is unknown),
``Fn::FindInMap``, ``Fn::Select``, ``Fn::Split``, ``Fn::Base64``,
``Fn::Length``, ``Fn::ToJsonString``, condition functions.

What does not is an ``Unknown`` with its reason: ``Fn::ImportValue``,
parameters without default, SSM-typed parameters, deployment pseudo
parameters (account, region, stack name), ``Fn::GetAZs``, ``Fn::Cidr``,
``Fn::Transform``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from ..model import MISSING, Choice, Expr, Ref, Unknown, make_expr

_PSEUDO_KNOWN = {"AWS::Partition": "aws", "AWS::URLSuffix": "amazonaws.com"}
_PSEUDO_UNKNOWN = {
    "AWS::AccountId",
    "AWS::Region",
    "AWS::StackName",
    "AWS::StackId",
    "AWS::NotificationARNs",
}
_SUB_VAR = re.compile(r"\$\{([^}!][^}]*)\}")
MAX_DEPTH = 64
# The work one template may cost (a few KB of nested Fn::Sub can otherwise double a string 40 times):
MAX_STRING = 1_000_000  # characters (and unknown parts) of one Fn::Sub / Fn::Join result
MAX_STEPS = 2_000_000  # intrinsic resolutions per template
MAX_UNITS = 50_000_000  # characters produced by Fn::Sub / Fn::Join per template


@dataclass
class Context:
    """What a template's intrinsics can see."""

    parameters: dict[str, Any] = field(default_factory=dict)  # name -> value | Unknown
    mappings: dict[str, Any] = field(default_factory=dict)
    conditions: dict[str, Any] = field(default_factory=dict)  # name -> raw condition
    resources: dict[str, str] = field(default_factory=dict)  # logical id -> type
    ref_prefix: str = ""  # set for cross-stack Refs ("<stack>#")
    steps: int = 0  # resolutions so far (bounded by MAX_STEPS)
    units: int = 0  # characters produced by Fn::Sub / Fn::Join so far (bounded by MAX_UNITS)
    largest: int = 0  # the longest Fn::Sub / Fn::Join result asked for (characters and unknown parts)
    limit_hit: str | None = None  # the first limit reached: the template's values after it are Unknown
    _limit_value: Unknown | None = None  # what a value over the limit becomes (absorbs what is built from it)
    _cond_cache: dict[str, bool | None] = field(default_factory=dict)
    _cond_busy: set[str] = field(default_factory=set)

    def over_limit(self, reason: str) -> Unknown:
        """The Unknown a value beyond the scanner's limits becomes; the first reason is kept for the report."""
        if self.limit_hit is None:
            self.limit_hit = reason
            self._limit_value = Unknown(f"not evaluated: {reason} (the scanner's limit)")
        assert self._limit_value is not None
        return self._limit_value

    def condition(self, name: Any) -> bool | None:
        """True/False, or None when the condition cannot be settled."""
        if not isinstance(name, str) or name not in self.conditions:
            return None
        if name in self._cond_cache:
            return self._cond_cache[name]
        if name in self._cond_busy:  # a cycle: unknown
            return None
        self._cond_busy.add(name)
        try:
            result = self.eval_condition(self.conditions[name], 0)
        finally:
            self._cond_busy.discard(name)
        self._cond_cache[name] = result
        return result

    def eval_condition(self, node: Any, depth: int) -> bool | None:
        if depth > MAX_DEPTH:
            return None
        if isinstance(node, bool):
            return node
        if isinstance(node, str):
            return {"true": True, "false": False}.get(node.lower())
        if not isinstance(node, dict) or len(node) != 1:
            return None
        ((fn, arg),) = node.items()
        if fn == "Condition":
            return self.condition(arg)
        if fn == "Fn::Equals" and isinstance(arg, list) and len(arg) == 2:
            a = resolve(arg[0], self, depth + 1)
            b = resolve(arg[1], self, depth + 1)
            if _is_concrete(a) and _is_concrete(b):
                return _norm_eq(a) == _norm_eq(b)
            return None
        if fn == "Fn::Not" and isinstance(arg, list) and len(arg) == 1:
            v = self.eval_condition(arg[0], depth + 1)
            return None if v is None else not v
        if fn in ("Fn::And", "Fn::Or") and isinstance(arg, list):
            vals = [self.eval_condition(a, depth + 1) for a in arg]
            if fn == "Fn::And":
                if any(v is False for v in vals):
                    return False
                return None if any(v is None for v in vals) else True
            if any(v is True for v in vals):
                return True
            return None if any(v is None for v in vals) else False
        return None


def _norm_eq(v: Any) -> Any:
    if isinstance(v, bool):
        return str(v).lower()
    if isinstance(v, (int, float)):
        return str(v)
    return v


def _is_concrete(v: Any) -> bool:
    if isinstance(v, (Unknown, Ref, Expr, Choice)) or v is MISSING:
        return False
    if isinstance(v, list):
        return all(_is_concrete(x) for x in v)
    if isinstance(v, dict):
        return all(_is_concrete(x) for x in v.values())
    return True


def resolve(node: Any, ctx: Context, depth: int = 0) -> Any:
    """Resolve intrinsics in ``node`` (recursively)."""
    if depth > MAX_DEPTH:
        return Unknown("intrinsic functions nested too deeply")
    ctx.steps += 1
    if ctx.steps > MAX_STEPS:
        return ctx.over_limit(f"more than {MAX_STEPS} intrinsic function evaluations")
    if isinstance(node, dict):
        if len(node) == 1:
            ((key, arg),) = node.items()
            if key == "Ref" or (key.startswith("Fn::") and key != "Fn::Transform") or key == "Condition":
                if key == "Condition":
                    return node  # a condition reference outside Fn::If: leave as data
                return _call(key, arg, ctx, depth)
            if key == "Fn::Transform":
                return Unknown("Fn::Transform (macro) output is known only at deploy time")
        out = {}
        for k, v in node.items():
            r = resolve(v, ctx, depth + 1)
            if r is not MISSING:
                out[k] = r
        return out
    if isinstance(node, list):
        out_l = []
        for v in node:
            r = resolve(v, ctx, depth + 1)
            if r is not MISSING:
                out_l.append(r)
        return out_l
    return node


def _ref(name: Any, ctx: Context) -> Any:
    if not isinstance(name, str):
        return Unknown("Ref to a non-string name")
    if name in _PSEUDO_KNOWN:
        return _PSEUDO_KNOWN[name]
    if name == "AWS::NoValue":
        return MISSING
    if name in _PSEUDO_UNKNOWN:
        return Unknown(f"pseudo parameter {name} is known only at deploy time", origin=f"pseudo:{name}")
    if name in ctx.parameters:
        return ctx.parameters[name]
    if name in ctx.resources:
        return Ref(ctx.ref_prefix + name)
    fn = _sam_alias_or_version(name, ctx)
    if fn is not None:
        return Ref(ctx.ref_prefix + fn)
    return Unknown(f"Ref to {name!r}, which is neither a parameter nor a resource of this template")


def _sam_alias_or_version(name: str, ctx: Context) -> str | None:
    """The SAM function whose AutoPublishAlias resources ``name`` refers to: ``Fn.Alias`` / ``Fn.Version``
    (SAM's referenceable properties) or the generated ``FnAlias<AliasName>`` / ``FnVersion<hash>``."""
    base, dot, prop = name.partition(".")
    if dot and prop in ("Alias", "Version") and ctx.resources.get(base) == "AWS::Serverless::Function":
        return base
    for rid, rtype in ctx.resources.items():
        if rtype == "AWS::Serverless::Function" and name.startswith(rid) and name[len(rid) :].startswith(("Alias", "Version")):
            return rid
    return None


def _getatt(arg: Any, ctx: Context, depth: int) -> Any:
    if isinstance(arg, str):
        arg = arg.split(".", 1)
    if not isinstance(arg, list) or len(arg) < 2:
        return Unknown("malformed Fn::GetAtt")
    name = arg[0]
    attr = resolve(arg[1], ctx, depth + 1) if not isinstance(arg[1], str) else ".".join(str(a) for a in arg[1:])
    if not isinstance(name, str) or name not in ctx.resources:
        return Unknown(f"Fn::GetAtt of {name!r}, which is not a resource of this template")
    if not isinstance(attr, str):
        return Unknown(f"Fn::GetAtt {name} with an attribute known only at deploy time")
    return Ref(ctx.ref_prefix + name, attr)


def _sub(arg: Any, ctx: Context, depth: int) -> Any:
    variables: dict[str, Any] = {}
    if isinstance(arg, list):
        if len(arg) != 2 or not isinstance(arg[0], str) or not isinstance(arg[1], dict):
            return Unknown("malformed Fn::Sub")
        text = arg[0]
        variables = {k: resolve(v, ctx, depth + 1) for k, v in arg[1].items()}
    elif isinstance(arg, str):
        text = arg
    else:
        return Unknown("malformed Fn::Sub")
    parts: list[Any] = []
    pos = 0
    for m in _SUB_VAR.finditer(text):
        parts.append(text[pos : m.start()])
        var = m.group(1).strip()
        if var in variables:
            parts.append(variables[var])
        elif "." in var and var.split(".", 1)[0] in ctx.resources:
            rid, attr = var.split(".", 1)
            parts.append(Ref(ctx.ref_prefix + rid, attr))
        else:
            parts.append(_ref(var, ctx))
        pos = m.end()
    parts.append(text[pos:])
    # ${!Literal} escapes
    parts = [p.replace("${!", "${") if isinstance(p, str) else p for p in parts]
    return _concat(parts, "Fn::Sub", ctx)


def _part_size(p: Any) -> int:
    if isinstance(p, str):
        return len(p)
    if isinstance(p, Expr):
        return sum(len(x) if isinstance(x, str) else 1 for x in p.parts)
    return 1


def _holds(p: Any, value: Any) -> bool:
    return p is value or (isinstance(p, Expr) and any(x is value for x in p.parts))


def _concat(parts: list[Any], fn: str, ctx: Context) -> Any:
    flat: list[Any] = []
    size = 0
    for p in parts:
        if p is MISSING:
            continue
        if isinstance(p, Choice):
            return Unknown(f"{fn} over a value that depends on condition {p.condition}")
        if isinstance(p, (list, dict)):
            return Unknown(f"{fn} of a list or object")
        if ctx.limit_hit is not None and _holds(p, ctx._limit_value):
            return ctx._limit_value  # built from a value over the limit: over it too, at no cost
        size += _part_size(p)
        flat.append(p)
    ctx.largest = max(ctx.largest, size)
    if size > MAX_STRING:
        return ctx.over_limit(f"a {fn} result longer than {MAX_STRING} characters")
    ctx.units += size
    if ctx.units > MAX_UNITS:
        return ctx.over_limit(f"more than {MAX_UNITS} characters produced by Fn::Sub and Fn::Join")
    return make_expr(flat)


def _join(arg: Any, ctx: Context, depth: int) -> Any:
    if not isinstance(arg, list) or len(arg) != 2:
        return Unknown("malformed Fn::Join")
    delim = resolve(arg[0], ctx, depth + 1)
    items = resolve(arg[1], ctx, depth + 1)
    if not isinstance(delim, str):
        return Unknown("Fn::Join delimiter is not a literal string")
    if isinstance(items, Unknown):
        return items
    if not isinstance(items, list):
        return Unknown("Fn::Join over a list known only at deploy time")
    parts: list[Any] = []
    for i, item in enumerate(items):
        if i:
            parts.append(delim)
        parts.append(item)
    return _concat(parts, "Fn::Join", ctx)


def _find_in_map(arg: Any, ctx: Context, depth: int) -> Any:
    if not isinstance(arg, list) or len(arg) not in (3, 4):
        return Unknown("malformed Fn::FindInMap")
    keys = [resolve(a, ctx, depth + 1) for a in arg[:3]]
    default = MISSING
    if len(arg) == 4 and isinstance(arg[3], dict) and "DefaultValue" in arg[3]:
        default = resolve(arg[3]["DefaultValue"], ctx, depth + 1)
    for k in keys:
        if not isinstance(k, (str, int)) or isinstance(k, bool):
            reason = k.reason if isinstance(k, Unknown) else "a key known only at deploy time"
            return default if default is not MISSING else Unknown(f"Fn::FindInMap with {reason}")
    node: Any = ctx.mappings
    for k in keys:
        if isinstance(node, dict) and str(k) in node:
            node = node[str(k)]
        else:
            if default is not MISSING:
                return default
            return Unknown(f"Fn::FindInMap: no entry {'/'.join(str(x) for x in keys)}")
    return resolve(node, ctx, depth + 1)


def _select(arg: Any, ctx: Context, depth: int) -> Any:
    if not isinstance(arg, list) or len(arg) != 2:
        return Unknown("malformed Fn::Select")
    idx = resolve(arg[0], ctx, depth + 1)
    items = resolve(arg[1], ctx, depth + 1)
    try:
        i = int(idx)
    except (TypeError, ValueError):
        return Unknown("Fn::Select with an index known only at deploy time")
    if isinstance(items, Unknown):
        return items
    if not isinstance(items, list):
        return Unknown("Fn::Select over a list known only at deploy time")
    if 0 <= i < len(items):
        return items[i]
    return Unknown(f"Fn::Select index {i} out of range")


def _split(arg: Any, ctx: Context, depth: int) -> Any:
    if not isinstance(arg, list) or len(arg) != 2:
        return Unknown("malformed Fn::Split")
    delim = resolve(arg[0], ctx, depth + 1)
    text = resolve(arg[1], ctx, depth + 1)
    if isinstance(delim, str) and isinstance(text, str) and delim:
        return text.split(delim)
    if isinstance(text, Unknown):
        return text
    return Unknown("Fn::Split of a value known only at deploy time")


def _if(arg: Any, ctx: Context, depth: int) -> Any:
    if not isinstance(arg, list) or len(arg) != 3:
        return Unknown("malformed Fn::If")
    cond = ctx.condition(arg[0])
    if cond is True:
        return resolve(arg[1], ctx, depth + 1)
    if cond is False:
        return resolve(arg[2], ctx, depth + 1)
    a = resolve(arg[1], ctx, depth + 1)
    b = resolve(arg[2], ctx, depth + 1)
    if a == b:
        return a
    return Choice(str(arg[0]), (a, b))


def _call(fn: str, arg: Any, ctx: Context, depth: int) -> Any:
    if fn == "Ref":
        return _ref(arg, ctx)
    if fn == "Fn::GetAtt":
        return _getatt(arg, ctx, depth)
    if fn == "Fn::Sub":
        return _sub(arg, ctx, depth)
    if fn == "Fn::Join":
        return _join(arg, ctx, depth)
    if fn == "Fn::If":
        return _if(arg, ctx, depth)
    if fn == "Fn::FindInMap":
        return _find_in_map(arg, ctx, depth)
    if fn == "Fn::Select":
        return _select(arg, ctx, depth)
    if fn == "Fn::Split":
        return _split(arg, ctx, depth)
    if fn == "Fn::Base64":
        return resolve(arg, ctx, depth + 1)
    if fn == "Fn::ToJsonString":
        return resolve(arg, ctx, depth + 1)
    if fn == "Fn::Length":
        v = resolve(arg, ctx, depth + 1)
        return len(v) if isinstance(v, list) else Unknown("Fn::Length of a list known only at deploy time")
    if fn == "Fn::ImportValue":
        name = resolve(arg, ctx, depth + 1)
        return Unknown(f"Fn::ImportValue {name}: exported by another stack")
    if fn == "Fn::GetAZs":
        return Unknown("Fn::GetAZs is known only at deploy time")
    if fn == "Fn::Cidr":
        return Unknown("Fn::Cidr is computed at deploy time")
    if fn in ("Fn::Equals", "Fn::And", "Fn::Or", "Fn::Not"):
        v = ctx.eval_condition({fn: arg}, depth + 1)
        return Unknown(f"{fn} depends on deploy-time values") if v is None else v
    # not an intrinsic we know: a plain key that happens to start with Fn::
    return {fn: resolve(arg, ctx, depth + 1)}
