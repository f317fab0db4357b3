"""Terraform built-in functions: strings, collections, numbers, type conversion.

Each function takes ``(scope, args)``. A function that needs a concrete value
and gets a symbolic one raises ``NeedKnown`` (through the ``to_*`` helpers);
the caller turns that into an ``Unknown`` that keeps the original reason.
Functions that only move values around (``concat``, ``merge``, ``lookup``,
``element``...) let ``Ref``/``Unknown`` elements through untouched, and
``join``/``format`` build an ``Expr`` around them, so references survive.

File, encoding, hashing and network functions live in
:mod:`.encoding_functions` and :mod:`.file_functions` and are merged into
:data:`FUNCTIONS` at the bottom.
"""

from __future__ import annotations

import math
import re
from typing import Any, Callable

from agentgov.scanner.model import Choice, Expr, Ref, Unknown, make_expr

from .values import (
    MAX_COLLECTION,
    MAX_STRING,
    SYMBOLIC,
    EvalError,
    Namespace,
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

Fn = Callable[[Any, list[Any]], Any]
FUNCTIONS: dict[str, Fn] = {}


def fn(name: str, nargs: int | tuple[int, int | None] | None = None) -> Callable[[Fn], Fn]:
    """Register a function; ``nargs``: exact count or (min, max or None)."""

    def deco(f: Fn) -> Fn:
        if nargs is None:
            FUNCTIONS[name] = f
            return f
        lo, hi = (nargs, nargs) if isinstance(nargs, int) else nargs

        def checked(scope: Any, args: list[Any]) -> Any:
            if len(args) < lo or (hi is not None and len(args) > hi):
                want = str(lo) if lo == hi else f"{lo} to {hi}" if hi is not None else f"at least {lo}"
                raise EvalError(f"{name}() takes {want} arguments, got {len(args)}")
            return f(scope, args)

        FUNCTIONS[name] = checked
        return checked

    return deco


def _plain(v: Any) -> Any:
    return v.materialize() if isinstance(v, Namespace) else v


def _cap(n: int, what: str) -> None:
    if n > MAX_COLLECTION:
        raise EvalError(f"{what}: more than {MAX_COLLECTION} elements")


def hash_key(v: Any) -> Any:
    """A hashable key for set-like operations (type-aware: 1 and "1" and true differ)."""
    if isinstance(v, dict):
        return ("o", tuple(sorted((k, hash_key(x)) for k, x in v.items())))
    if isinstance(v, list):
        return ("l", tuple(hash_key(x) for x in v))
    if isinstance(v, (Unknown, Ref, Expr)):
        return ("s", v)
    if isinstance(v, Namespace):
        return ("n", id(v))
    return (type_name(v), v)


def _str_result(s: str) -> str:
    if len(s) > MAX_STRING:
        raise EvalError(f"string longer than {MAX_STRING} characters")
    return s


# --- strings ----------------------------------------------------------------------------------

for _n, _f in {
    "upper": str.upper,
    "lower": str.lower,
    "trimspace": str.strip,
    "strrev": lambda s: s[::-1],
    "chomp": lambda s: re.sub(r"(\r\n|\n|\r)+$", "", s),
    "title": lambda s: re.sub(r"\b[a-z]", lambda m: m.group(0).upper(), s),
}.items():
    fn(_n, 1)(lambda scope, args, _f=_f: _f(to_str(args[0])))


@fn("trim", 2)
def _trim(scope: Any, args: list[Any]) -> Any:
    return to_str(args[0]).strip(to_str(args[1]))


@fn("trimprefix", 2)
def _trimprefix(scope: Any, args: list[Any]) -> Any:
    return to_str(args[0]).removeprefix(to_str(args[1]))


@fn("trimsuffix", 2)
def _trimsuffix(scope: Any, args: list[Any]) -> Any:
    return to_str(args[0]).removesuffix(to_str(args[1]))


@fn("startswith", 2)
def _startswith(scope: Any, args: list[Any]) -> Any:
    s, p = args
    if isinstance(s, Expr) and isinstance(s.parts[0], str) and not isinstance(p, SYMBOLIC):
        lit = s.parts[0]
        ps = to_str(p)
        if lit.startswith(ps):
            return True
        if len(lit) >= len(ps):
            return False
    return to_str(s).startswith(to_str(p))


@fn("endswith", 2)
def _endswith(scope: Any, args: list[Any]) -> Any:
    return to_str(args[0]).endswith(to_str(args[1]))


@fn("strcontains", 2)
def _strcontains(scope: Any, args: list[Any]) -> Any:
    return to_str(args[1]) in to_str(args[0])


@fn("substr", 3)
def _substr(scope: Any, args: list[Any]) -> Any:
    s = to_str(args[0])
    off, length = to_int(args[1]), to_int(args[2])
    if off < 0:
        off = max(0, len(s) + off)
    if off > len(s):
        raise EvalError("substr(): offset beyond the end of the string")
    return s[off:] if length < 0 else s[off : off + length]


@fn("indent", 2)
def _indent(scope: Any, args: list[Any]) -> Any:
    n, s = to_int(args[0]), to_str(args[1])
    if n < 0 or n > 1000:
        raise EvalError("indent(): unreasonable indentation")
    pad = " " * n
    return _str_result(s.replace("\n", "\n" + pad))


@fn("split", 2)
def _split(scope: Any, args: list[Any]) -> Any:
    sep, s = to_str(args[0]), to_str(args[1])
    if s == "":
        return [""]
    parts = s.split(sep) if sep else list(s)
    _cap(len(parts), "split()")
    return parts


@fn("join", (1, None))
def _join(scope: Any, args: list[Any]) -> Any:
    sep = to_str(args[0])
    items: list[Any] = []
    for lst in args[1:]:
        items.extend(to_list(_plain(lst)))
    _cap(len(items), "join()")
    parts: list[Any] = []
    size = 0
    for i, item in enumerate(items):
        if i:
            parts.append(sep)
            size += len(sep)
        item = _plain(item)
        if isinstance(item, (Unknown, Ref, Expr)):
            parts.append(item)
            continue
        if item is None:
            raise EvalError("join(): null element")
        s = to_str(item)
        size += len(s)
        if size > MAX_STRING:
            raise EvalError(f"string longer than {MAX_STRING} characters")
        parts.append(s)
    return make_expr(parts)


@fn("replace", 3)
def _replace(scope: Any, args: list[Any]) -> Any:
    s, old, new = to_str(args[0]), to_str(args[1]), to_str(args[2])
    if len(old) > 1 and old.startswith("/") and old.endswith("/"):
        from .encoding_functions import compile_regex, regex_call

        pat = compile_regex(old[1:-1])
        repl = re.sub(r"\$(\d+|\{\w+\})", lambda m: "\\g<" + m.group(1).strip("{}") + ">", new.replace("\\", "\\\\"))
        return _str_result(regex_call(lambda: pat.sub(repl, s)))
    if old == "":
        if len(s) * (len(new) + 1) > MAX_STRING:
            raise EvalError(f"string longer than {MAX_STRING} characters")
    elif new and s.count(old) * len(new) > MAX_STRING:
        raise EvalError(f"string longer than {MAX_STRING} characters")
    return _str_result(s.replace(old, new))


_VERB = re.compile(r"%(?P<flags>[-+# 0]*)(?P<width>\d+)?(?:\.(?P<prec>\d+))?(?P<verb>[a-zA-Z%])")


def _format_one(spec: re.Match[str], v: Any) -> Any:
    verb = spec.group("verb")
    flags = spec.group("flags") or ""
    width = int(spec.group("width") or 0)
    prec = spec.group("prec")
    if width > 1000 or (prec is not None and int(prec) > 1000):
        raise EvalError("format(): unreasonable width or precision")
    if isinstance(v, Namespace):
        v = v.materialize()
    if isinstance(v, (Unknown, Ref, Expr)):
        if verb in ("s", "v") and not width and prec is None:
            return v
        raise NeedKnown(v)
    if verb in ("s", "v"):
        if verb == "v" and isinstance(v, (dict, list)):
            from .values import json_text

            text = json_text(v)
        else:
            text = to_str(v)
        if prec is not None:
            text = text[: int(prec)]
    elif verb == "q":
        import json

        text = json.dumps(to_str(v), ensure_ascii=False)
    elif verb == "d":
        text = str(to_int(v))
        if "+" in flags and not text.startswith("-"):
            text = "+" + text
    elif verb in "fFeEgG":
        x = float(to_number(v))
        text = format(x, f"{'+' if '+' in flags else ''}.{prec if prec is not None else 6}{verb}")
    elif verb == "t":
        text = "true" if to_bool(v) else "false"
    elif verb == "x" or verb == "X":
        if isinstance(v, str):
            text = v.encode().hex()
        else:
            text = format(to_int(v), "x")
        if verb == "X":
            text = text.upper()
    elif verb == "o":
        text = format(to_int(v), "o")
    elif verb == "b":
        text = format(to_int(v), "b")
    else:
        raise EvalError(f"format(): unsupported verb %{verb}")
    if width and len(text) < width:
        if "-" in flags:
            text = text.ljust(width)
        elif "0" in flags and verb not in "sq":
            sign = text[0] if text[:1] in "+-" else ""
            text = sign + text[len(sign) :].rjust(width - len(sign), "0")
        else:
            text = text.rjust(width)
    return text


def format_string(fmt: str, values: list[Any]) -> Any:
    parts: list[Any] = []
    pos = 0
    argi = 0
    for m in _VERB.finditer(fmt):
        parts.append(fmt[pos : m.start()])
        pos = m.end()
        if m.group("verb") == "%":
            parts.append("%")
            continue
        if argi >= len(values):
            raise EvalError("format(): not enough arguments for the format string")
        parts.append(_format_one(m, values[argi]))
        argi += 1
    parts.append(fmt[pos:])
    if argi < len(values):
        raise EvalError("format(): too many arguments for the format string")
    return make_expr(parts)


@fn("format", (1, None))
def _format(scope: Any, args: list[Any]) -> Any:
    return format_string(to_str(args[0]), args[1:])


@fn("formatlist", (1, None))
def _formatlist(scope: Any, args: list[Any]) -> Any:
    fmt = to_str(args[0])
    rest = [_plain(a) for a in args[1:]]
    for a in rest:
        if isinstance(a, SYMBOLIC):
            raise NeedKnown(a)
    lengths = {len(a) for a in rest if isinstance(a, list)}
    if len(lengths) > 1:
        raise EvalError("formatlist(): list arguments of different lengths")
    n = lengths.pop() if lengths else 1
    _cap(n, "formatlist()")
    return [format_string(fmt, [a[i] if isinstance(a, list) else a for a in rest]) for i in range(n)]


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
    start, step = 0, 1
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


from . import encoding_functions as _enc  # noqa: E402
from . import file_functions as _files  # noqa: E402

FUNCTIONS.update(_enc.FUNCTIONS)
FUNCTIONS.update(_files.FUNCTIONS)
