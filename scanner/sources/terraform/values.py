"""Values during evaluation: limits, errors, conversions, equality, finalization.

Evaluated values are JSON-like Python values plus the model's ``Unknown``,
``Ref`` and ``Expr``, plus :class:`Namespace` objects (``var``, ``module.x``,
a resource with an unknown count...) that only live during evaluation;
:func:`finalize` turns whatever is left of them into plain values before a
resource is handed out.
"""

from __future__ import annotations

import json
import math
from typing import Any

from agentgov.scanner.model import Choice, Expr, Ref, Unknown

MAX_COLLECTION = 10_000  # elements of one list/map
MAX_STRING = 1_000_000  # characters of one string
MAX_DEPTH = 100  # nested evaluation (expressions inside expressions, locals through locals)
# The size of a value, in units: a character of a string, one per element, key character and
# symbolic part (the parts of an unknown template count too). A few lines of locals that double a
# value 47 times must not cost 2**47 of anything.
MAX_VALUE = 2_000_000  # units of one value (shared parts counted every time they appear)
MAX_VALUE_WORK = 200_000_000  # units of all the values built while loading one root module
MAX_TEMPLATE_PARTS = 20_000  # parts of one string template (literal text, references, unknowns)
MAX_VALUE_NESTING = 200  # levels of lists/objects inside each other
MAX_SECONDS = 120.0  # evaluation time of one root module
_SIZE_CACHE_MIN = 64  # values at least this large remember their size (shared parts are measured once)
_SIZE_CACHE_ENTRIES = 200_000


class EvalError(Exception):
    """An expression Terraform itself would reject (caught by ``try``/``can``)."""


class BudgetExhausted(Exception):
    """The evaluation budget of one load (steps, value work, time) is spent; the rest is not evaluated."""


class ValueTooLarge(EvalError):
    """A value beyond the scanner's size limit (not a Terraform error: ``try``/``can`` do not catch it)."""


# What a value over the size limit becomes; anything built from it is over the limit too (at no cost).
OVER_LIMIT = Unknown("not evaluated: a value beyond the scanner's size limits")


def value_size(v: Any, cache: dict[int, tuple[Any, int]], limit: int = MAX_VALUE, depth: int = 0) -> int:
    """The size of ``v`` in units (see MAX_VALUE); raises ValueTooLarge beyond ``limit``.

    Parts shared between values are measured once (``cache``), counted every time.
    """
    if isinstance(v, str):
        return len(v) or 1
    if v is OVER_LIMIT:
        raise ValueTooLarge("built from a value over the scanner's size limit")
    if not isinstance(v, (list, tuple, dict, Expr, Choice)):
        return 1
    hit = cache.get(id(v))
    if hit is not None and hit[0] is v:
        return hit[1]
    if depth > MAX_VALUE_NESTING:
        raise ValueTooLarge(f"a value nested more than {MAX_VALUE_NESTING} levels deep")
    total = 1
    if isinstance(v, dict):
        for k, x in v.items():
            total += len(k) + value_size(x, cache, limit, depth + 1)
            if total > limit:
                break
    else:
        for x in v.parts if isinstance(v, Expr) else v.options if isinstance(v, Choice) else v:
            total += value_size(x, cache, limit, depth + 1)
            if total > limit:
                break
    if total > limit:
        raise ValueTooLarge(f"a value larger than the scanner's limit of {limit} units")
    if total >= _SIZE_CACHE_MIN:
        if len(cache) >= _SIZE_CACHE_ENTRIES:
            cache.clear()
        cache[id(v)] = (v, total)
    return total


class NeedKnown(Exception):
    """Raised by a function that needs a concrete value and got a symbolic one."""

    def __init__(self, value: Any) -> None:
        super().__init__("symbolic value")
        self.value = value


class Namespace:
    """A name that is not a value by itself: ``var``, ``module.x``, ``data.t``..."""

    __slots__ = ()

    def get_attr(self, name: str) -> Any:
        raise EvalError(f"{self.describe()} has no attribute {name!r}")

    def get_index(self, key: Any) -> Any:
        raise EvalError(f"{self.describe()} cannot be indexed")

    def materialize(self) -> Any:
        """The value to use when this object is used as a whole."""
        return Unknown(f"{self.describe()} is not a value")

    def describe(self) -> str:
        return type(self).__name__


SYMBOLIC = (Unknown, Ref, Expr, Choice)


def is_symbolic(v: Any) -> bool:
    return isinstance(v, SYMBOLIC)


def has_symbolic(v: Any, _depth: int = 0) -> bool:
    if isinstance(v, SYMBOLIC) or isinstance(v, Namespace):
        return True
    if _depth > 60:
        return True
    if isinstance(v, dict):
        return any(has_symbolic(x, _depth + 1) for x in v.values())
    if isinstance(v, list):
        return any(has_symbolic(x, _depth + 1) for x in v)
    return False


def unknown_from(v: Any, what: str) -> Unknown:
    """An Unknown for ``what`` computed from the symbolic value ``v`` (keeps its reason)."""
    if isinstance(v, Unknown):
        return v
    if isinstance(v, Ref):
        return Unknown(f"{what} depends on {_ref_text(v)}, known only after apply")
    if isinstance(v, Choice):
        return Unknown(f"{what} depends on condition {v.condition}")
    if isinstance(v, Expr):
        if v.unknowns:
            return v.unknowns[0]
        refs = ", ".join(_ref_text(r) for r in v.refs[:3])
        return Unknown(f"{what} depends on {refs}, known only after apply")
    if isinstance(v, Namespace):
        m = v.materialize()
        if isinstance(m, SYMBOLIC):
            return unknown_from(m, what)
        return Unknown(f"{what} depends on {v.describe()}")
    if isinstance(v, (dict, list)):
        inner = _first_symbolic(v)
        if inner is not None:
            return unknown_from(inner, what)
    return Unknown(f"{what} is unknown")


def _first_symbolic(v: Any, depth: int = 0) -> Any:
    if isinstance(v, SYMBOLIC) or isinstance(v, Namespace):
        return v
    if depth > 60:
        return None
    items = v.values() if isinstance(v, dict) else v if isinstance(v, list) else ()
    for x in items:
        s = _first_symbolic(x, depth + 1)
        if s is not None:
            return s
    return None


def _ref_text(r: Ref) -> str:
    return f"{r.target}.{r.attr}" if r.attr else r.target


# --- type names and conversions -------------------------------------------------------------


def type_name(v: Any) -> str:
    if v is None:
        return "null"
    if isinstance(v, bool):
        return "bool"
    if isinstance(v, (int, float)):
        return "number"
    if isinstance(v, str):
        return "string"
    if isinstance(v, list):
        return "list"
    if isinstance(v, dict):
        return "object"
    return "unknown"


def format_number(v: int | float) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int):
        return str(v)
    if math.isfinite(v) and v.is_integer() and abs(v) < 1e21:
        return str(int(v))
    return repr(v)


def normalize_number(v: int | float) -> int | float:
    if isinstance(v, float) and math.isfinite(v) and v.is_integer() and abs(v) < 2**63:
        return int(v)
    return v


def to_str(v: Any, what: str = "value") -> str:
    """A string, converting as Terraform does; symbolic values raise NeedKnown."""
    if isinstance(v, str):
        return v
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, (int, float)):
        return format_number(v)
    if isinstance(v, SYMBOLIC) or isinstance(v, Namespace):
        raise NeedKnown(v)
    if v is None:
        raise EvalError(f"{what} is null where a string is required")
    if isinstance(v, (dict, list)):
        # jsonencode()/yamlencode() give the structure itself; a string is asked for here
        return json_text(v)
    raise EvalError(f"cannot convert {type_name(v)} to string")


def to_number(v: Any, what: str = "value") -> int | float:
    if isinstance(v, bool):
        raise EvalError(f"{what}: a bool is not a number")
    if isinstance(v, (int, float)):
        return v
    if isinstance(v, str):
        try:
            return normalize_number(float(v)) if any(c in v for c in ".eE") else int(v, 10)
        except ValueError:
            raise EvalError(f"{what}: {v[:40]!r} is not a number") from None
    if isinstance(v, SYMBOLIC) or isinstance(v, Namespace):
        raise NeedKnown(v)
    raise EvalError(f"{what}: a {type_name(v)} is not a number")


def to_int(v: Any, what: str = "value") -> int:
    n = to_number(v, what)
    if isinstance(n, float):
        if not math.isfinite(n):
            raise EvalError(f"{what}: {n} is not a whole number")
        n = int(n)
    return n


def to_bool(v: Any, what: str = "value") -> bool:
    if isinstance(v, bool):
        return v
    if v == "true":
        return True
    if v == "false":
        return False
    if isinstance(v, SYMBOLIC) or isinstance(v, Namespace):
        raise NeedKnown(v)
    raise EvalError(f"{what}: a {type_name(v)} is not a bool")


def to_list(v: Any, what: str = "value") -> list[Any]:
    if isinstance(v, list):
        return v
    if isinstance(v, SYMBOLIC):
        raise NeedKnown(v)
    if isinstance(v, Namespace):
        m = v.materialize()
        if isinstance(m, list):
            return m
        raise NeedKnown(m if isinstance(m, SYMBOLIC) else v)
    raise EvalError(f"{what}: a {type_name(v)} is not a list")


def to_map(v: Any, what: str = "value") -> dict[str, Any]:
    if isinstance(v, dict):
        return v
    if isinstance(v, SYMBOLIC):
        raise NeedKnown(v)
    if isinstance(v, Namespace):
        m = v.materialize()
        if isinstance(m, dict):
            return m
        raise NeedKnown(m if isinstance(m, SYMBOLIC) else v)
    raise EvalError(f"{what}: a {type_name(v)} is not a map")


def known(v: Any) -> Any:
    """``v`` itself, or raise NeedKnown when it (or anything inside it) is symbolic."""
    if has_symbolic(v):
        raise NeedKnown(_first_symbolic(v))
    return v


def check_size(v: Any) -> Any:
    if isinstance(v, str) and len(v) > MAX_STRING:
        raise EvalError(f"string longer than {MAX_STRING} characters")
    if isinstance(v, (list, dict)) and len(v) > MAX_COLLECTION:
        raise EvalError(f"collection larger than {MAX_COLLECTION} elements")
    return v


def tf_equal(a: Any, b: Any) -> bool | Unknown:
    """Terraform ``==``: values of different types are never equal."""
    if (a is None and isinstance(b, (dict, list))) or (b is None and isinstance(a, (dict, list))):
        return False  # a collection is not null, whatever unknowns it holds (``var.x != null`` is known)
    if has_symbolic(a) or has_symbolic(b):
        if isinstance(a, Ref) and isinstance(b, Ref) and a == b:
            return True
        return unknown_from(a if has_symbolic(a) else b, "a comparison")
    return _eq(a, b)


def _eq(a: Any, b: Any) -> bool:
    if type_name(a) != type_name(b):
        return False
    if isinstance(a, dict):
        return a.keys() == b.keys() and all(_eq(a[k], b[k]) for k in a)
    if isinstance(a, list):
        return len(a) == len(b) and all(_eq(x, y) for x, y in zip(a, b))
    return bool(a == b)


def json_text(v: Any) -> str:
    """Terraform's ``jsonencode`` text of a known value (sorted keys, no spaces)."""
    known(v)
    try:
        text = json.dumps(v, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False)
    except (TypeError, ValueError) as exc:
        raise EvalError(f"cannot encode as JSON: {exc}") from None
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    if len(text) > MAX_STRING:
        raise EvalError(f"string longer than {MAX_STRING} characters")
    return text


def finalize(v: Any, depth: int = 0) -> Any:
    """A fresh plain value: Namespaces materialized, containers copied."""
    if depth > 60:
        return Unknown("value nested too deeply")
    if isinstance(v, dict):
        return {str(k): finalize(x, depth + 1) for k, x in v.items()}
    if isinstance(v, (list, tuple)):
        return [finalize(x, depth + 1) for x in v]
    if isinstance(v, Namespace):
        try:
            return finalize(v.materialize(), depth + 1)
        except (EvalError, RecursionError) as exc:
            return Unknown(str(exc))
    if isinstance(v, float):
        return normalize_number(v)
    if isinstance(v, Choice):
        return Choice(v.condition, tuple(finalize(o, depth + 1) for o in v.options))
    return v
