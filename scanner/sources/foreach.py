"""``Fn::ForEach`` (the ``AWS::LanguageExtensions`` transform): loops that stamp out resources.

``"Fn::ForEach::Name": [Identifier, Collection, {OutputKey: Fragment}]`` in
``Resources`` expands to one resource per element of ``Collection``; the
output key holds ``${Identifier}`` (or ``&{Identifier}``, the element with
non-alphanumeric characters removed). In the fragment, ``Ref: Identifier``
and ``${Identifier}`` inside ``Fn::Sub`` take the element's value. Loops nest
(up to five levels, as CloudFormation allows).

The collection is known from the template when it is a literal list, or a
``CommaDelimitedList`` parameter with a default. One that is known only at
deploy time stamps the fragment once, as written (``Tool${Name}``): the
caller makes the loop's identifier an ``Unknown`` element, so the resources
the loop would produce are judged with what they share, and UNKNOWN where
the element decides.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

PREFIX = "Fn::ForEach::"
MAX_NESTING = 5
MAX_EXPANDED = 5000  # resources one template may stamp out through loops


class LoopError(Exception):
    """A loop that cannot be expanded from the template; the message says why."""


def _alnum(value: str) -> str:
    return re.sub(r"[^A-Za-z0-9]", "", value)


def _subst_text(text: str, ident: str, value: str) -> str:
    return text.replace("${" + ident + "}", value).replace("&{" + ident + "}", _alnum(value))


def _subst(node: Any, ident: str, value: str) -> Any:
    """The fragment with the loop variable replaced where CloudFormation replaces it."""
    if isinstance(node, dict):
        if len(node) == 1 and node.get("Ref") == ident:
            return value
        out: dict[Any, Any] = {}
        for k, v in node.items():
            key = _subst_text(k, ident, value) if isinstance(k, str) else k
            if k == "Fn::Sub":
                if isinstance(v, str):
                    out[key] = _subst_text(v, ident, value)
                    continue
                if isinstance(v, list) and v and isinstance(v[0], str):
                    out[key] = [_subst_text(v[0], ident, value)] + [_subst(x, ident, value) for x in v[1:]]
                    continue
            out[key] = _subst(v, ident, value)
        return out
    if isinstance(node, list):
        return [_subst(x, ident, value) for x in node]
    return node


def expand(
    resources: dict[Any, Any],
    collection: Callable[[Any], list[str] | None],
    depth: int = 0,
    deferred: dict[str, str] | None = None,
) -> tuple[dict[Any, Any], dict[str, str], list[tuple[str, str]]]:
    """(expanded resources, logical id -> the loop key it came from, [(loop key, reason)] of loops left out).

    ``collection(node)`` resolves a loop's collection to a list of strings, or
    None when it is known only at deploy time: then the fragment is kept once,
    unsubstituted, and ``deferred`` (when given) maps the loop's identifier to
    the loop's key.
    """
    out: dict[Any, Any] = {}
    origin: dict[str, str] = {}
    failed: list[tuple[str, str]] = []
    for key, val in resources.items():
        if not (isinstance(key, str) and key.startswith(PREFIX)):
            out[key] = val
            continue
        try:
            if depth >= MAX_NESTING:
                raise LoopError(f"loops nested deeper than {MAX_NESTING} levels")
            if not (isinstance(val, list) and len(val) == 3 and isinstance(val[0], str) and isinstance(val[2], dict)):
                raise LoopError("expected [Identifier, Collection, {OutputKey: Fragment}]")
            ident, coll, fragment = val
            items = collection(coll)
            if items is None and deferred is None:
                raise LoopError("its collection is known only at deploy time")
            if items is None:
                deferred.setdefault(ident, key)  # type: ignore[union-attr]
            for stamped in [fragment] if items is None else (_subst(fragment, ident, item) for item in items):
                inner, inner_origin, inner_failed = expand(stamped, collection, depth + 1, deferred)
                failed.extend(inner_failed)
                for lid, res in inner.items():
                    if lid in out:
                        raise LoopError(f"it defines {lid} twice (the output key must contain ${{{ident}}} or &{{{ident}}})")
                    out[lid] = res
                    origin[lid] = inner_origin.get(lid, key)
                if len(out) > MAX_EXPANDED:
                    raise LoopError(f"it defines more than {MAX_EXPANDED} resources")
        except LoopError as exc:
            failed.append((key, str(exc)))
    return out, origin, failed
