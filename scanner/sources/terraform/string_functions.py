"""Terraform string functions (``format`` and ``join`` build an ``Expr`` around references)."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from agentgov.scanner.model import Expr, Ref, Unknown, make_expr

from .function_helpers import Fn, registry
from .function_helpers import cap as _cap
from .function_helpers import plain as _plain
from .function_helpers import str_result as _str_result
from .values import (
    MAX_STRING,
    SYMBOLIC,
    EvalError,
    Namespace,
    NeedKnown,
    to_bool,
    to_int,
    to_list,
    to_number,
    to_str,
)

FUNCTIONS: dict[str, Fn] = {}
fn = registry(FUNCTIONS)


# --- strings ----------------------------------------------------------------------------------


def _of_string(f: Callable[[str], str]) -> Fn:
    return lambda scope, args: f(to_str(args[0]))


_STRING_TO_STRING: dict[str, Callable[[str], str]] = {
    "upper": str.upper,
    "lower": str.lower,
    "trimspace": str.strip,
    "strrev": lambda s: s[::-1],
    "chomp": lambda s: re.sub(r"(\r\n|\n|\r)+$", "", s),
    "title": lambda s: re.sub(r"\b[a-z]", lambda m: m.group(0).upper(), s),
}
for _n, _f in _STRING_TO_STRING.items():
    fn(_n, 1)(_of_string(_f))


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
    return _pad(_verb_text(verb, flags, prec, v), verb, flags, width)


def _verb_text(verb: str, flags: str, prec: str | None, v: Any) -> str:
    """One ``%`` verb's text of a known value, before padding to the width."""
    if verb in ("s", "v"):
        if verb == "v" and isinstance(v, (dict, list)):
            from .values import json_text

            text = json_text(v)
        else:
            text = to_str(v)
        return text[: int(prec)] if prec is not None else text
    if verb == "q":
        import json

        return json.dumps(to_str(v), ensure_ascii=False)
    if verb == "d":
        text = str(to_int(v))
        return "+" + text if "+" in flags and not text.startswith("-") else text
    if verb in "fFeEgG":
        x = float(to_number(v))
        return format(x, f"{'+' if '+' in flags else ''}.{prec if prec is not None else 6}{verb}")
    if verb == "t":
        return "true" if to_bool(v) else "false"
    if verb == "x" or verb == "X":
        text = v.encode().hex() if isinstance(v, str) else format(to_int(v), "x")
        return text.upper() if verb == "X" else text
    if verb == "o":
        return format(to_int(v), "o")
    if verb == "b":
        return format(to_int(v), "b")
    raise EvalError(f"format(): unsupported verb %{verb}")


def _pad(text: str, verb: str, flags: str, width: int) -> str:
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
