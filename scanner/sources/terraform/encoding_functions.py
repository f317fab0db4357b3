"""Terraform functions for encodings, hashes, regular expressions and CIDR math.

``jsonencode(x)`` returns ``x`` itself, not a string, so an IAM policy written
with ``jsonencode({...})`` stays a structure the analyzers can read (and
references inside it stay ``Ref``). Where a string is required later
(``md5(jsonencode(x))``, interpolation), :func:`values.to_str` produces the
exact text Terraform would.
"""

from __future__ import annotations

import base64
import csv
import hashlib
import io
import ipaddress
import json
import re
import sys
import urllib.parse
import uuid
from collections.abc import Callable
from typing import Any

from agentgov.scanner.model import Unknown

from .values import (
    MAX_COLLECTION,
    EvalError,
    Namespace,
    known,
    to_int,
    to_str,
)

FUNCTIONS: dict[str, Callable[[Any, list[Any]], Any]] = {}


def _one(name: str) -> Callable[[Callable[[Any], Any]], None]:
    def deco(f: Callable[[Any], Any]) -> None:
        def call(scope: Any, args: list[Any]) -> Any:
            if len(args) != 1:
                raise EvalError(f"{name}() takes one argument")
            v = args[0].materialize() if isinstance(args[0], Namespace) else args[0]
            return f(v)

        FUNCTIONS[name] = call

    return deco


def _count_nodes(v: Any, limit: int) -> int:
    """Nodes of a decoded structure, stopping past ``limit`` (YAML aliases can explode)."""
    n = 0
    stack = [v]
    while stack:
        x = stack.pop()
        n += 1
        if n > limit:
            break
        if isinstance(x, dict):
            stack.extend(x.values())
        elif isinstance(x, list):
            stack.extend(x)
    return n


def _json_loads(text: str) -> Any:
    try:
        return json.loads(text)
    except RecursionError:
        raise EvalError("jsondecode(): nested too deeply") from None
    except json.JSONDecodeError as exc:
        raise EvalError(f"jsondecode(): invalid JSON ({exc.msg} at line {exc.lineno})") from None
    except ValueError:  # int() of a number beyond sys.get_int_max_str_digits()
        raise EvalError(f"jsondecode(): number too long to convert (more than {sys.get_int_max_str_digits()} digits)") from None


@_one("jsonencode")
def _jsonencode(v: Any) -> Any:
    return v


@_one("jsondecode")
def _jsondecode(v: Any) -> Any:
    if isinstance(v, (dict, list)):  # the result of our jsonencode()
        return v
    value = _json_loads(to_str(v))
    if _count_nodes(value, MAX_COLLECTION * 10) > MAX_COLLECTION * 10:
        raise EvalError("jsondecode(): document too large")
    return value


@_one("yamlencode")
def _yamlencode(v: Any) -> Any:
    import yaml

    return yaml.safe_dump(known(v), sort_keys=True, default_flow_style=False, allow_unicode=True)


@_one("yamldecode")
def _yamldecode(v: Any) -> Any:
    import yaml

    if isinstance(v, (dict, list)):
        return v
    text = to_str(v)
    try:
        value = yaml.safe_load(text)
    except (yaml.YAMLError, RecursionError) as exc:
        raise EvalError(f"yamldecode(): invalid YAML ({str(exc).splitlines()[0][:80]})") from None
    if _count_nodes(value, MAX_COLLECTION * 10) > MAX_COLLECTION * 10:
        raise EvalError("yamldecode(): document too large (aliases expanded)")
    return _yaml_plain(value)


def _yaml_plain(v: Any, depth: int = 0) -> Any:
    if depth > 60:
        raise EvalError("yamldecode(): nested too deeply")
    if isinstance(v, dict):
        return {str(k): _yaml_plain(x, depth + 1) for k, x in v.items()}
    if isinstance(v, list):
        return [_yaml_plain(x, depth + 1) for x in v]
    if isinstance(v, (str, int, float, bool)) or v is None:
        return v
    return str(v)  # dates and other YAML scalars Terraform reads as strings


@_one("base64encode")
def _b64e(v: Any) -> Any:
    return base64.b64encode(to_str(v).encode()).decode()


@_one("base64decode")
def _b64d(v: Any) -> Any:
    try:
        return base64.b64decode(to_str(v), validate=True).decode("utf-8")
    except (ValueError, UnicodeDecodeError):
        raise EvalError("base64decode(): not base64 of UTF-8 text") from None


@_one("urlencode")
def _urlencode(v: Any) -> Any:
    return urllib.parse.quote(to_str(v), safe="")


@_one("csvdecode")
def _csvdecode(v: Any) -> Any:
    rows = list(csv.reader(io.StringIO(to_str(v))))
    if not rows:
        return []
    if len(rows) > MAX_COLLECTION:
        raise EvalError("csvdecode(): too many rows")
    head = rows[0]
    return [dict(zip(head, r)) for r in rows[1:]]


def _hex_digest(algo: str) -> Callable[[Any], Any]:
    return lambda v: hashlib.new(algo, to_str(v).encode()).hexdigest()


def _base64_digest(algo: str) -> Callable[[Any], Any]:
    return lambda v: base64.b64encode(hashlib.new(algo, to_str(v).encode()).digest()).decode()


for _name, _algo in (("md5", "md5"), ("sha1", "sha1"), ("sha256", "sha256"), ("sha512", "sha512")):
    _one(_name)(_hex_digest(_algo))
for _name, _algo in (("base64sha256", "sha256"), ("base64sha512", "sha512")):
    _one(_name)(_base64_digest(_algo))
FUNCTIONS["base64gzip"] = lambda scope, args: Unknown("base64gzip() is not evaluated")
FUNCTIONS["textencodebase64"] = lambda scope, args: Unknown("textencodebase64() is not evaluated")
FUNCTIONS["textdecodebase64"] = lambda scope, args: Unknown("textdecodebase64() is not evaluated")
FUNCTIONS["formatdate"] = lambda scope, args: Unknown("formatdate() is not evaluated")
FUNCTIONS["timeadd"] = lambda scope, args: Unknown("timeadd() is not evaluated")
FUNCTIONS["timecmp"] = lambda scope, args: Unknown("timecmp() is not evaluated")


def _uuidv5(scope: Any, args: list[Any]) -> Any:
    if len(args) != 2:
        raise EvalError("uuidv5() takes two arguments")
    ns, name = to_str(args[0]), to_str(args[1])
    spaces = {"dns": uuid.NAMESPACE_DNS, "url": uuid.NAMESPACE_URL, "oid": uuid.NAMESPACE_OID, "x500": uuid.NAMESPACE_X500}
    try:
        space = spaces.get(ns) or uuid.UUID(ns)
    except ValueError:
        raise EvalError(f"uuidv5(): bad namespace {ns!r}") from None
    return str(uuid.uuid5(space, name))


FUNCTIONS["uuidv5"] = _uuidv5


# --- regular expressions (RE2 in Terraform; guarded against catastrophic backtracking) --------

_NESTED_QUANTIFIER = re.compile(r"\((?:[^()\\]|\\.)*[*+}](?:[^()\\]|\\.)*\)[*+{]")
_regex_cache: dict[str, Any] = {}

_regex_mod: Any = None  # the `regex` package (a declared dependency): a timeout bounds hostile patterns


def _engine() -> Any:
    """`regex`, imported on first use (start-up time); plain `re` with a pattern check without it."""
    global _regex_mod
    if _regex_mod is None:
        try:
            import regex

            _regex_mod = regex
        except ImportError:  # pragma: no cover - regex is a dependency
            _regex_mod = False
    return _regex_mod or None


def compile_regex(pattern: str) -> Any:
    if len(pattern) > 1000:
        raise EvalError("regular expression too long")
    pat = _regex_cache.get(pattern)
    if pat is not None:
        return pat
    engine = _engine()
    if engine is None and _NESTED_QUANTIFIER.search(pattern):
        raise EvalError("regular expression with nested repetition is not evaluated (backtracking risk)")
    py = re.sub(r"\(\?P?<(\w+)>", r"(?P<\1>", pattern)
    try:
        pat = (engine or re).compile(py)
    except Exception as exc:
        raise EvalError(f"invalid regular expression: {exc}") from None
    if len(_regex_cache) > 256:
        _regex_cache.clear()
    _regex_cache[pattern] = pat
    return pat


def regex_call(thunk: Callable[[], Any]) -> Any:
    if _engine() is None:
        return thunk()
    try:
        return thunk()
    except TimeoutError:
        raise EvalError("regular expression took too long") from None


def _search(pat: Any, s: str, all_: bool) -> Any:
    kwargs = {"timeout": 0.25} if _engine() is not None else {}
    if all_:
        return list(pat.finditer(s, **kwargs))
    return pat.search(s, **kwargs)


def _match_value(pat: Any, m: Any) -> Any:
    if pat.groupindex:
        return {name: m.group(name) for name in pat.groupindex}
    if pat.groups:
        return list(m.groups())
    return m.group(0)


def _regex(scope: Any, args: list[Any]) -> Any:
    if len(args) != 2:
        raise EvalError("regex() takes two arguments")
    pat = compile_regex(to_str(args[0]))
    s = to_str(args[1])
    m = regex_call(lambda: _search(pat, s, False))
    if m is None:
        raise EvalError("regex(): no match")
    return _match_value(pat, m)


def _regexall(scope: Any, args: list[Any]) -> Any:
    if len(args) != 2:
        raise EvalError("regexall() takes two arguments")
    pat = compile_regex(to_str(args[0]))
    s = to_str(args[1])
    ms = regex_call(lambda: _search(pat, s, True))
    if len(ms) > MAX_COLLECTION:
        raise EvalError("regexall(): too many matches")
    return [_match_value(pat, m) for m in ms]


FUNCTIONS["regex"] = _regex
FUNCTIONS["regexall"] = _regexall


# --- CIDR ---------------------------------------------------------------------------------------


def _net(v: Any) -> Any:
    try:
        return ipaddress.ip_network(to_str(v), strict=False)
    except ValueError as exc:
        raise EvalError(f"invalid CIDR: {exc}") from None


def _subnet(net: Any, newbits: int, num: int) -> Any:
    plen = net.prefixlen + newbits
    if newbits < 0 or plen > net.max_prefixlen:
        raise EvalError("cidrsubnet(): not enough address space")
    if num < 0 or num >= 2**newbits:
        raise EvalError("cidrsubnet(): netnum out of range")
    base = int(net.network_address) + (num << (net.max_prefixlen - plen))
    return ipaddress.ip_network((base, plen))


def _cidrsubnet(scope: Any, args: list[Any]) -> Any:
    if len(args) != 3:
        raise EvalError("cidrsubnet() takes three arguments")
    return str(_subnet(_net(args[0]), to_int(args[1]), to_int(args[2])))


def _cidrhost(scope: Any, args: list[Any]) -> Any:
    if len(args) != 2:
        raise EvalError("cidrhost() takes two arguments")
    net, n = _net(args[0]), to_int(args[1])
    size = net.num_addresses
    if n < -size or n >= size:
        raise EvalError("cidrhost(): host number out of range")
    return str(net.network_address + (n % size))


def _cidrnetmask(scope: Any, args: list[Any]) -> Any:
    if len(args) != 1:
        raise EvalError("cidrnetmask() takes one argument")
    net = _net(args[0])
    if net.version != 4:
        raise EvalError("cidrnetmask() is only for IPv4")
    return str(net.netmask)


def _cidrsubnets(scope: Any, args: list[Any]) -> Any:
    if not args:
        raise EvalError("cidrsubnets() needs a prefix")
    net = _net(args[0])
    out = []
    cursor = int(net.network_address)
    for nb in args[1:]:
        plen = net.prefixlen + to_int(nb)
        if plen > net.max_prefixlen or to_int(nb) < 1:
            raise EvalError("cidrsubnets(): not enough address space")
        size = 1 << (net.max_prefixlen - plen)
        cursor = (cursor + size - 1) // size * size
        sub = ipaddress.ip_network((cursor, plen))
        if not sub.subnet_of(net):
            raise EvalError("cidrsubnets(): not enough address space")
        out.append(str(sub))
        cursor += size
    return out


FUNCTIONS.update(cidrsubnet=_cidrsubnet, cidrhost=_cidrhost, cidrnetmask=_cidrnetmask, cidrsubnets=_cidrsubnets)
