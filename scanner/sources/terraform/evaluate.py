"""Expression evaluation: syntax tree + scope -> value.

Values that cannot be known from the scanned files are ``Unknown`` with the
reason; references to managed resources are ``Ref``; string templates mixing
literal text with either are ``Expr``. Nothing is guessed: an unknown
condition or collection makes its result unknown, not a default.

Work is bounded per load (:class:`Session`): a step budget, a nesting depth,
and the size limits of :mod:`.values`.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from typing import Any

from agentgov.scanner.model import Choice, Expr, Location, Ref, Unknown, make_expr

from . import syntax as S
from .scope import Scope, get_attr, get_index, iterate
from .values import (
    MAX_COLLECTION,
    MAX_DEPTH,
    MAX_STRING,
    MAX_TEMPLATE_PARTS,
    MAX_VALUE,
    OVER_LIMIT,
    SYMBOLIC,
    BudgetExhausted,
    EvalError,
    Namespace,
    NeedKnown,
    ValueTooLarge,
    check_size,
    has_symbolic,
    json_text,
    normalize_number,
    tf_equal,
    to_bool,
    to_number,
    to_str,
    type_name,
    unknown_from,
    value_size,
)


def evaluate(node: S.Syntax, scope: Scope) -> Any:
    s = scope.session
    s.steps += 1
    if s.steps > s.budget:
        raise BudgetExhausted(f"after {s.budget} steps")
    if not s.steps & 1023 and time.monotonic() > s.deadline:
        raise BudgetExhausted("after the time allowed for one root module")
    s.depth += 1
    try:
        if s.depth > MAX_DEPTH:
            raise EvalError("expression nested too deeply")
        return _DISPATCH[node.__class__](node, scope)
    finally:
        s.depth -= 1


def evaluate_safely(node: S.Syntax, scope: Scope, what: str = "value", at: Location | None = None) -> Any:
    """Evaluate; a Terraform error becomes Unknown with the reason.

    A value over the size limit becomes ``OVER_LIMIT`` and is noted for the report (at ``at``).
    """
    try:
        return scope.session.measure(evaluate(node, scope))
    except ValueTooLarge:
        note_too_large(scope, what, at)
        return OVER_LIMIT
    except EvalError as exc:
        return Unknown(f"cannot evaluate {what}: {exc}")
    except RecursionError:
        return Unknown(f"cannot evaluate {what}: nested too deeply")


def note_too_large(scope: Scope, what: str, at: Location | None) -> None:
    s = scope.session
    s.note_too_large(at.file if at else s.display(s.root_dir), at.line if at else None, what)


def _bounded(v: Any, scope: Scope) -> Any:
    return scope.session.measure(v)


# --- node handlers --------------------------------------------------------------------------


def _lit(node: S.Lit, scope: Scope) -> Any:
    return node.value


def _bad(node: S.Bad, scope: Scope) -> Any:
    return Unknown(node.reason)


def _name(node: S.Name, scope: Scope) -> Any:
    return scope.lookup(node.name)


def _getattr(node: S.GetAttr, scope: Scope) -> Any:
    return get_attr(evaluate(node.obj, scope), node.name)


def _index(node: S.Index, scope: Scope) -> Any:
    obj = evaluate(node.obj, scope)
    return get_index(obj, evaluate(node.key, scope))


def _splat(node: S.Splat, scope: Scope) -> Any:
    obj = evaluate(node.obj, scope)
    if isinstance(obj, Namespace):
        obj = obj.splat_source() if hasattr(obj, "splat_source") else obj.materialize()
    if isinstance(obj, SYMBOLIC):
        return unknown_from(obj, "a splat expression")
    if obj is None:
        return []
    items = obj if isinstance(obj, list) else [obj]
    out = []
    for item in items:
        for kind, arg in node.ops:
            if kind == "attr":
                item = get_attr(item, arg)
            else:
                item = get_index(item, evaluate(arg, scope))
        out.append(item)
    return _bounded(out, scope)


def _tuple(node: S.TupleCons, scope: Scope) -> Any:
    if len(node.items) > MAX_COLLECTION:
        raise EvalError(f"list larger than {MAX_COLLECTION} elements")
    return _bounded([evaluate(i, scope) for i in node.items], scope)


def _object(node: S.ObjectCons, scope: Scope) -> Any:
    out: dict[str, Any] = {}
    for knode, vnode in zip(node.keys, node.values):
        k = knode.value if knode.__class__ is S.Lit else evaluate(knode, scope)
        if isinstance(k, SYMBOLIC) or isinstance(k, Namespace):
            return unknown_from(k, "an object key")
        if k is None:
            raise EvalError("object key is null")
        out[to_str(k, "an object key")] = evaluate(vnode, scope)
    return _bounded(out, scope)


def _for_bindings(node: Any, key: Any, value: Any) -> dict[str, Any]:
    if node.key_var is None:
        return {node.value_var: value}
    return {node.key_var: key, node.value_var: value}


def _for_tuple(node: S.ForTuple, scope: Scope) -> Any:
    coll = evaluate(node.collection, scope)
    try:
        pairs = iterate(coll, "for expression")
    except NeedKnown as e:
        return unknown_from(e.value, "a for expression over an unknown collection")
    out = []
    for k, v in pairs:
        inner = scope.child(**_for_bindings(node, k, v))
        if node.cond is not None:
            c = evaluate(node.cond, inner)
            try:
                if not to_bool(c, "for condition"):
                    continue
            except NeedKnown:
                return unknown_from(c, "a for expression with an unknown condition")
        out.append(evaluate(node.value, inner))
    return _bounded(out, scope)


def _for_object(node: S.ForObject, scope: Scope) -> Any:
    coll = evaluate(node.collection, scope)
    try:
        pairs = iterate(coll, "for expression")
    except NeedKnown as e:
        return unknown_from(e.value, "a for expression over an unknown collection")
    out: dict[str, Any] = {}
    for k, v in pairs:
        inner = scope.child(**_for_bindings(node, k, v))
        if node.cond is not None:
            c = evaluate(node.cond, inner)
            try:
                if not to_bool(c, "for condition"):
                    continue
            except NeedKnown:
                return unknown_from(c, "a for expression with an unknown condition")
        key = evaluate(node.key, inner)
        try:
            ks = to_str(key, "a for expression key")
        except NeedKnown:
            return unknown_from(key, "a for expression with unknown keys")
        value = evaluate(node.value, inner)
        if node.group:
            out.setdefault(ks, []).append(value)
        elif ks in out:
            raise EvalError(f"duplicate key {ks!r} in a for expression (use ... to group)")
        else:
            out[ks] = value
    return _bounded(out, scope)


def _branch(node: S.Syntax, scope: Scope) -> Any:
    try:
        return evaluate(node, scope)
    except EvalError as exc:
        return Unknown(f"cannot evaluate: {exc}")


def _conditional(node: S.Conditional, scope: Scope) -> Any:
    """``c ? a : b``; when ``c`` is unknown, a Choice of both (policies judge each)."""
    c = evaluate(node.cond, scope)
    try:
        chosen = to_bool(c, "condition")
    except NeedKnown:
        a = _branch(node.then, scope)
        b = _branch(node.other, scope)
        if not has_symbolic(a) and not has_symbolic(b) and tf_equal(a, b) is True:
            return a
        return _bounded(Choice(node.text, (a, b)), scope)
    if c is None:
        raise EvalError("condition is null")
    return evaluate(node.then if chosen else node.other, scope)


def _arith(op: str, a: Any, b: Any) -> Any:
    x = to_number(a, f"left operand of {op}")
    y = to_number(b, f"right operand of {op}")
    if op == "+":
        r = x + y
    elif op == "-":
        r = x - y
    elif op == "*":
        r = x * y
    elif op == "/":
        if y == 0:
            raise EvalError("division by zero")
        r = x / y
    elif op == "%":
        if y == 0:
            raise EvalError("modulo by zero")
        r = math.fmod(x, y)
    elif op == ">":
        return x > y
    elif op == ">=":
        return x >= y
    elif op == "<":
        return x < y
    else:  # "<="
        return x <= y
    if isinstance(r, float) and not math.isfinite(r):
        raise EvalError("number out of range")
    if isinstance(r, int) and r.bit_length() > 1024:
        raise EvalError("number out of range")
    return normalize_number(r)


def _binary(node: S.BinaryOp, scope: Scope) -> Any:
    op = node.op
    a = evaluate(node.left, scope)
    if op in ("&&", "||"):
        try:
            x = to_bool(a, f"left operand of {op}")
        except NeedKnown:
            x = None
        if x is not None and ((op == "&&" and not x) or (op == "||" and x)):
            return x
        b = evaluate(node.right, scope)
        try:
            y = to_bool(b, f"right operand of {op}")
        except NeedKnown:
            return unknown_from(b, f"the {op} operation")
        if x is None:
            if (op == "&&" and not y) or (op == "||" and y):
                return y
            return unknown_from(a, f"the {op} operation")
        return y
    b = evaluate(node.right, scope)
    if op == "==":
        return tf_equal(a, b)
    if op == "!=":
        r = tf_equal(a, b)
        return (not r) if isinstance(r, bool) else r
    try:
        return _arith(op, a, b)
    except NeedKnown as e:
        return unknown_from(e.value, f"the {op} operation")


def _unary(node: S.UnaryOp, scope: Scope) -> Any:
    v = evaluate(node.operand, scope)
    try:
        if node.op == "!":
            return not to_bool(v, "operand of !")
        return normalize_number(-to_number(v, "operand of -"))
    except NeedKnown as e:
        return unknown_from(e.value, f"the {node.op} operation")


# --- templates ------------------------------------------------------------------------------


class _Render:
    """The parts of a template; their size (characters, and the parts of unknown templates) is bounded."""

    __slots__ = ("parts", "size", "count", "sizes")

    def __init__(self, sizes: dict[int, tuple[Any, int]]) -> None:
        self.parts: list[Any] = []
        self.size = 0
        self.count = 0  # parts, those of interpolated unknown templates included
        self.sizes = sizes

    def add(self, v: Any) -> None:
        self.size += len(v) if isinstance(v, str) else value_size(v, self.sizes)
        self.count += len(v.parts) if isinstance(v, Expr) else 1
        if self.size > MAX_STRING:
            raise ValueTooLarge(f"string longer than {MAX_STRING} characters")
        if self.count > MAX_TEMPLATE_PARTS:
            raise ValueTooLarge(f"a string template of more than {MAX_TEMPLATE_PARTS} parts")
        self.parts.append(v)


def _interp_value(v: Any) -> Any:
    if isinstance(v, (str, Unknown, Ref, Expr)):
        return v
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, (int, float)):
        return to_str(v)
    if v is None:
        raise EvalError("null value in a string template")
    if isinstance(v, Choice):
        return unknown_from(v, "a string template")
    if isinstance(v, Namespace):
        return _interp_value(v.materialize())
    if isinstance(v, (dict, list)):
        if has_symbolic(v):
            return unknown_from(v, "a structure interpolated into a string")
        return json_text(v)  # only jsonencode()/yamlencode() results get here in valid code
    raise EvalError(f"cannot interpolate a {type_name(v)}")  # pragma: no cover


def _render(parts: tuple[Any, ...], scope: Scope, out: _Render) -> None:
    for p in parts:
        if isinstance(p, str):
            out.add(p)
        elif isinstance(p, S.TemplateIf):
            c = evaluate(p.cond, scope)
            try:
                branch = p.then if to_bool(c, "template condition") else p.other
            except NeedKnown:
                out.add(unknown_from(c, "a template %{if}"))
                continue
            _render(branch, scope, out)
        elif isinstance(p, S.TemplateFor):
            coll = evaluate(p.collection, scope)
            try:
                pairs = iterate(coll, "template %{for}")
            except NeedKnown as e:
                out.add(unknown_from(e.value, "a template %{for}"))
                continue
            for k, v in pairs:
                _render(p.body, scope.child(**_for_bindings(p, k, v)), out)
        else:
            out.add(_interp_value(evaluate(p, scope)))


def _template(node: S.Template, scope: Scope) -> Any:
    parts = node.parts
    if len(parts) == 1 and isinstance(parts[0], S.Syntax):
        return evaluate(parts[0], scope)  # "${x}" is x itself, whatever its type
    out = _Render(scope.session.sizes)
    _render(parts, scope, out)
    return make_expr(out.parts)


# --- function calls -------------------------------------------------------------------------


def _templatefile(scope: Scope, args: list[Any]) -> Any:
    """``templatefile()``: read and parsed by ``file_functions``, rendered here with the template's own variables."""
    from .file_functions import templatefile_parts

    parts = templatefile_parts(scope, args)
    if isinstance(parts, Unknown):
        return parts
    tpl, names = parts
    return evaluate(tpl, Scope(None, scope.session, names))


#: functions that evaluate expressions themselves (``try`` and ``can`` take theirs unevaluated: see ``_call``)
_EVALUATOR_FUNCTIONS = {"templatefile": _templatefile}


def _call(node: S.Call, scope: Scope) -> Any:
    name = node.name
    if name == "try":
        for arg in node.args:
            try:
                return evaluate(arg, scope)
            except ValueTooLarge:
                raise  # the scanner's limit, not an error Terraform would see
            except EvalError:
                continue
        raise EvalError("no argument of try() could be evaluated")
    if name == "can":
        if len(node.args) != 1:
            raise EvalError("can() takes one argument")
        try:
            v = evaluate(node.args[0], scope)
        except ValueTooLarge:
            raise
        except EvalError:
            return False
        if isinstance(v, SYMBOLIC):
            return unknown_from(v, "can()")
        return True
    from .functions import FUNCTIONS

    fn = FUNCTIONS.get(name) or _EVALUATOR_FUNCTIONS.get(name)
    if fn is None:
        if "::" in name:
            return Unknown(f"provider function {name}() is not evaluated")
        return Unknown(f"function {name}() is not supported by the scanner")
    args = [evaluate(a, scope) for a in node.args]
    if node.expand:
        if not args:
            raise EvalError(f"{name}(...): nothing to expand")
        last = args.pop()
        if isinstance(last, Namespace):
            last = last.materialize()
        if isinstance(last, SYMBOLIC):
            return unknown_from(last, f"{name}()")
        if not isinstance(last, list):
            raise EvalError(f"{name}(...): the expanded argument is not a list")
        args.extend(last)
    if sum(value_size(a, scope.session.sizes) for a in args) > MAX_VALUE:
        raise ValueTooLarge(f"{name}() of arguments larger than the scanner's limit of {MAX_VALUE} units")
    try:
        return _bounded(check_size(fn(scope, args)), scope)
    except NeedKnown as e:
        return unknown_from(e.value, f"{name}()")
    except (TypeError, ValueError, OverflowError, IndexError, KeyError) as exc:
        raise EvalError(f"{name}(): {exc}") from None


_DISPATCH: dict[type, Callable[[Any, Scope], Any]] = {
    S.Lit: _lit,
    S.Bad: _bad,
    S.Name: _name,
    S.GetAttr: _getattr,
    S.Index: _index,
    S.Splat: _splat,
    S.TupleCons: _tuple,
    S.ObjectCons: _object,
    S.ForTuple: _for_tuple,
    S.ForObject: _for_object,
    S.Conditional: _conditional,
    S.BinaryOp: _binary,
    S.UnaryOp: _unary,
    S.Template: _template,
    S.Call: _call,
}
