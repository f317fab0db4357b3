"""Terraform collection, number and type-conversion functions.

Functions that only move values around (``concat``, ``merge``, ``lookup``,
``element``...) let ``Ref``/``Unknown`` elements through untouched."""

from __future__ import annotations

import math
from typing import Any

from agentgov.scanner.model import Choice, Expr, Ref, Unknown

from .function_helpers import Fn, hash_key, registry
from .function_helpers import cap as _cap
from .function_helpers import plain as _plain
from .values import (
    MAX_COLLECTION,
    SYMBOLIC,
    EvalError,
    NeedKnown,
    has_symbolic,
    known,
    normalize_number,
    tf_equal,
    to_bool,
    to_int,
    to_list,
    to_map,
    to_number,
    to_str,
    type_name,
)

FUNCTIONS: dict[str, Fn] = {}
fn = registry(FUNCTIONS)


# --- collections ------------------------------------------------------------------------------


@fn("length", 1)
def _length(scope: Any, args: list[Any]) -> Any:
    v = _plain(args[0])
    if isinstance(v, (list, dict)):
        return len(v)
    if isinstance(v, str):
        return len(v)
    if isinstance(v, SYMBOLIC):
        raise NeedKnown(v)
    raise EvalError(f"length() of a {type_name(v)}")


@fn("concat", (0, None))
def _concat(scope: Any, args: list[Any]) -> Any:
    out: list[Any] = []
    for a in args:
        out.extend(to_list(_plain(a), "concat() argument"))
        _cap(len(out), "concat()")
    return out


@fn("merge", (0, None))
def _merge(scope: Any, args: list[Any]) -> Any:
    out: dict[str, Any] = {}
    for a in args:
        a = _plain(a)
        if a is None:
            continue
        out.update(to_map(a, "merge() argument"))
        _cap(len(out), "merge()")
    return out


@fn("flatten", 1)
def _flatten(scope: Any, args: list[Any]) -> Any:
    out: list[Any] = []

    def walk(v: Any, depth: int) -> None:
        if depth > 50:
            raise EvalError("flatten(): nested too deeply")
        v = _plain(v)
        if isinstance(v, list):
            for x in v:
                walk(x, depth + 1)
        elif isinstance(v, (Unknown,)) and depth > 0:
            raise NeedKnown(v)  # an unknown element might be a list: the shape is unknown
        else:
            out.append(v)
            _cap(len(out), "flatten()")

    walk(to_list(_plain(args[0])), 0)
    return out


@fn("distinct", 1)
def _distinct(scope: Any, args: list[Any]) -> Any:
    seen: set[Any] = set()
    out = []
    for x in to_list(_plain(args[0])):
        k = hash_key(x)
        if k not in seen:
            seen.add(k)
            out.append(x)
    return out


@fn("compact", 1)
def _compact(scope: Any, args: list[Any]) -> Any:
    return [x for x in to_list(_plain(args[0])) if x is not None and x != ""]


@fn("contains", 2)
def _contains(scope: Any, args: list[Any]) -> Any:
    lst, v = to_list(_plain(args[0])), _plain(args[1])
    unsure = None
    for x in lst:
        r = tf_equal(x, v)
        if r is True:
            return True
        if not isinstance(r, bool):
            unsure = x if has_symbolic(x) else v
    if unsure is not None:
        raise NeedKnown(unsure)
    return False


@fn("element", 2)
def _element(scope: Any, args: list[Any]) -> Any:
    lst, i = to_list(_plain(args[0])), to_int(args[1])
    if not lst:
        raise EvalError("element() of an empty list")
    if i < 0:
        raise EvalError("element(): negative index")
    return lst[i % len(lst)]


@fn("index", 2)
def _index(scope: Any, args: list[Any]) -> Any:
    lst, v = to_list(_plain(args[0])), _plain(args[1])
    for i, x in enumerate(lst):
        r = tf_equal(x, v)
        if r is True:
            return i
        if not isinstance(r, bool):
            raise NeedKnown(r)
    raise EvalError("index(): value not in list")


@fn("keys", 1)
def _keys(scope: Any, args: list[Any]) -> Any:
    return sorted(to_map(_plain(args[0])))


@fn("values", 1)
def _values(scope: Any, args: list[Any]) -> Any:
    m = to_map(_plain(args[0]))
    return [m[k] for k in sorted(m)]


@fn("lookup", (2, 3))
def _lookup(scope: Any, args: list[Any]) -> Any:
    m = to_map(_plain(args[0]))
    key = to_str(args[1])
    if key in m:
        return m[key]
    if len(args) == 3:
        return args[2]
    raise EvalError(f"lookup(): no key {key!r} and no default")


@fn("coalesce", (1, None))
def _coalesce(scope: Any, args: list[Any]) -> Any:
    for a in args:
        a = _plain(a)
        if isinstance(a, Unknown):
            return a  # it might be null: which argument wins is unknown
        if isinstance(a, Choice):
            return Unknown(f"coalesce() depends on condition {a.condition}")
        if a is None or a == "":
            continue
        return a
    raise EvalError("coalesce(): no non-null, non-empty argument")


@fn("coalescelist", (1, None))
def _coalescelist(scope: Any, args: list[Any]) -> Any:
    for a in args:
        a = _plain(a)
        if isinstance(a, SYMBOLIC):
            raise NeedKnown(a)
        if a:
            return to_list(a)
    raise EvalError("coalescelist(): all lists are empty")


@fn("one", 1)
def _one(scope: Any, args: list[Any]) -> Any:
    v = _plain(args[0])
    if v is None:
        return None
    lst = to_list(v)
    if len(lst) > 1:
        raise EvalError(f"one() of a list of {len(lst)} elements")
    return lst[0] if lst else None


@fn("range", (1, 3))
def _range(scope: Any, args: list[Any]) -> Any:
    nums = [to_number(a) for a in args]
    start: int | float = 0
    step: int | float = 1
    if len(nums) == 1:
        end = nums[0]
    else:
        start, end = nums[0], nums[1]
        step = nums[2] if len(nums) == 3 else (1 if end >= start else -1)
    if step == 0:
        raise EvalError("range(): step of zero")
    count = math.ceil((end - start) / step)
    if count > MAX_COLLECTION:
        return Unknown(f"range() of {count} elements exceeds the scanner's limit of {MAX_COLLECTION}")
    return [normalize_number(start + i * step) for i in range(max(0, count))]


@fn("reverse", 1)
def _reverse(scope: Any, args: list[Any]) -> Any:
    return list(reversed(to_list(_plain(args[0]))))


@fn("slice", 3)
def _slice(scope: Any, args: list[Any]) -> Any:
    lst, a, b = to_list(_plain(args[0])), to_int(args[1]), to_int(args[2])
    if a < 0 or b > len(lst) or a > b:
        raise EvalError("slice(): indexes out of range")
    return lst[a:b]


@fn("sort", 1)
def _sort(scope: Any, args: list[Any]) -> Any:
    return sorted(to_str(x) for x in to_list(_plain(args[0])))


def _setify(lst: list[Any]) -> list[Any]:
    out = _distinct(None, [lst])
    if all(isinstance(x, str) for x in out):
        return sorted(out)
    return out


@fn("toset", 1)
def _toset(scope: Any, args: list[Any]) -> Any:
    v = _plain(args[0])
    if v is None:
        return None
    return _setify(to_list(v))


@fn("tolist", 1)
def _tolist(scope: Any, args: list[Any]) -> Any:
    v = _plain(args[0])
    return None if v is None else list(to_list(v))


@fn("tomap", 1)
def _tomap(scope: Any, args: list[Any]) -> Any:
    v = _plain(args[0])
    return None if v is None else dict(to_map(v))


@fn("tostring", 1)
def _tostring(scope: Any, args: list[Any]) -> Any:
    v = _plain(args[0])
    if v is None or isinstance(v, (Ref, Expr)):
        return v
    if isinstance(v, (dict, list)):
        raise EvalError("tostring() of a collection")
    return to_str(v)


@fn("tonumber", 1)
def _tonumber(scope: Any, args: list[Any]) -> Any:
    v = _plain(args[0])
    return None if v is None else to_number(v)


@fn("tobool", 1)
def _tobool(scope: Any, args: list[Any]) -> Any:
    v = _plain(args[0])
    return None if v is None else to_bool(v)


@fn("zipmap", 2)
def _zipmap(scope: Any, args: list[Any]) -> Any:
    ks, vs = to_list(_plain(args[0])), to_list(_plain(args[1]))
    if len(ks) != len(vs):
        raise EvalError("zipmap(): lists of different lengths")
    return {to_str(k): v for k, v in zip(ks, vs)}


@fn("setunion", (1, None))
def _setunion(scope: Any, args: list[Any]) -> Any:
    out: list[Any] = []
    for a in args:
        out.extend(to_list(_plain(a)))
        _cap(len(out), "setunion()")
    return _setify(out)


@fn("setintersection", (1, None))
def _setintersection(scope: Any, args: list[Any]) -> Any:
    lists = [to_list(_plain(a)) for a in args]
    for lst in lists:
        known(lst)
    keep = {hash_key(x) for x in lists[0]}
    for lst in lists[1:]:
        keep &= {hash_key(x) for x in lst}
    return _setify([x for x in lists[0] if hash_key(x) in keep])


@fn("setsubtract", 2)
def _setsubtract(scope: Any, args: list[Any]) -> Any:
    a, b = known(to_list(_plain(args[0]))), known(to_list(_plain(args[1])))
    drop = {hash_key(x) for x in b}
    return _setify([x for x in a if hash_key(x) not in drop])


@fn("setproduct", (1, None))
def _setproduct(scope: Any, args: list[Any]) -> Any:
    lists = [to_list(_plain(a)) for a in args]
    total = 1
    for lst in lists:
        total *= len(lst)
        _cap(total, "setproduct()")
    out: list[list[Any]] = [[]]
    for lst in lists:
        out = [prefix + [x] for prefix in out for x in lst]
    return out


@fn("transpose", 1)
def _transpose(scope: Any, args: list[Any]) -> Any:
    out: dict[str, list[Any]] = {}
    m = to_map(_plain(args[0]))
    for k in sorted(m):
        for v in to_list(_plain(m[k])):
            out.setdefault(to_str(v), []).append(k)
    return out


@fn("chunklist", 2)
def _chunklist(scope: Any, args: list[Any]) -> Any:
    lst, size = to_list(_plain(args[0])), to_int(args[1])
    if size < 0:
        raise EvalError("chunklist(): negative size")
    if size == 0:
        return [lst]
    return [lst[i : i + size] for i in range(0, len(lst), size)]


@fn("matchkeys", 3)
def _matchkeys(scope: Any, args: list[Any]) -> Any:
    vals, ks, search = (to_list(_plain(a)) for a in args)
    if len(vals) != len(ks):
        raise EvalError("matchkeys(): lists of different lengths")
    want = {hash_key(x) for x in known(search)}
    known(ks)
    return [v for v, k in zip(vals, ks) if hash_key(k) in want]


@fn("alltrue", 1)
def _alltrue(scope: Any, args: list[Any]) -> Any:
    return all(to_bool(x) for x in to_list(_plain(args[0])))


@fn("anytrue", 1)
def _anytrue(scope: Any, args: list[Any]) -> Any:
    lst = to_list(_plain(args[0]))
    pending = None
    for x in lst:
        if isinstance(x, SYMBOLIC):
            pending = x
            continue
        if to_bool(x):
            return True
    if pending is not None:
        raise NeedKnown(pending)
    return False


# --- numbers ----------------------------------------------------------------------------------


def _num_list(args: list[Any], name: str) -> list[int | float]:
    if not args:
        raise EvalError(f"{name}() needs at least one number")
    return [to_number(a) for a in args]


FUNCTIONS["max"] = lambda scope, args: max(_num_list(args, "max"))
FUNCTIONS["min"] = lambda scope, args: min(_num_list(args, "min"))
fn("abs", 1)(lambda scope, args: abs(to_number(args[0])))
fn("ceil", 1)(lambda scope, args: math.ceil(to_number(args[0])))
fn("floor", 1)(lambda scope, args: math.floor(to_number(args[0])))
fn("signum", 1)(lambda scope, args: (lambda x: (x > 0) - (x < 0))(to_number(args[0])))


@fn("sum", 1)
def _sum(scope: Any, args: list[Any]) -> Any:
    nums = [to_number(x) for x in to_list(_plain(args[0]))]
    if not nums:
        raise EvalError("sum() of an empty list")
    return normalize_number(sum(nums))


@fn("pow", 2)
def _pow(scope: Any, args: list[Any]) -> Any:
    x, y = to_number(args[0]), to_number(args[1])
    if abs(y) > 1024:
        raise EvalError("pow(): exponent out of range")
    return normalize_number(float(x) ** y if isinstance(y, float) or y < 0 else x**y)


@fn("log", 2)
def _log(scope: Any, args: list[Any]) -> Any:
    return normalize_number(math.log(to_number(args[0]), to_number(args[1])))


@fn("parseint", 2)
def _parseint(scope: Any, args: list[Any]) -> Any:
    s, base = to_str(args[0]), to_int(args[1])
    try:
        return int(s, base)
    except ValueError:
        raise EvalError(f"parseint(): {s[:40]!r} is not a base-{base} number") from None


# --- values that are not computed -------------------------------------------------------------


def _not_known(reason: str) -> Fn:
    return lambda scope, args: Unknown(reason)


for _n in ("timestamp", "plantimestamp"):
    FUNCTIONS[_n] = _not_known(f"{_n}() is the time of the run")
for _n in ("uuid", "bcrypt"):
    FUNCTIONS[_n] = _not_known(f"{_n}() is random")
FUNCTIONS["type"] = _not_known("type() is only for the console")
FUNCTIONS["sensitive"] = lambda scope, args: args[0] if len(args) == 1 else Unknown("sensitive() takes one argument")
FUNCTIONS["nonsensitive"] = FUNCTIONS["sensitive"]
FUNCTIONS["issensitive"] = _not_known("issensitive() is not evaluated")
FUNCTIONS["ephemeralasnull"] = _not_known("ephemeral values are not known to the scanner")
