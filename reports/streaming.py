"""JSON written piece by piece: the document ``json.dumps(doc, indent=2)`` writes of the whole.

A report's long lists (findings, agents, results) are given as iterables: the
document is dumped with a placeholder in their place, and each item is dumped
on its own at the placeholder's depth as it comes. So a report of a large
audit is written without the whole list in memory.

From the 201st item on, each item is dumped by orjson (``ensure_ascii=False``,
indent 2: the reports' form; importing it costs 8 ms, more than a small report's
items take), in the standard library's layout: with an indent, ``json`` encodes in
pure Python, which was most of the time a report of the whole corpus took to
write (8,324 findings: 0.23 s of a 4 s scan, serial at its end). The text is
byte for byte ``json.dumps``'s except for what orjson writes otherwise: a float
json writes in exponent form (``0.00001`` for ``1e-05``, ``1e16`` for
``1e+16``: the same number) and NaN or an infinity (``null``, where ``json``
writes tokens JSON does not have). An item
orjson refuses (an integer beyond 64 bits, a lone surrogate, a key that is not
text) is dumped by ``json``.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable, Iterable, Iterator
from typing import Any


class Streamed:
    """A list to write item by item (``items`` is iterated once, when the document is written)."""

    def __init__(self, items: Iterable[Any], render: Callable[[Any], Any] | None = None):
        self.items = items
        self.render = render  # each item -> what is dumped (default: the item)
        self.mark = f"@@agentgov-streamed-{uuid.uuid4().hex}@@"


def _replace(doc: Any, found: dict[str, Streamed]) -> Any:
    if isinstance(doc, Streamed):
        found[doc.mark] = doc
        return doc.mark
    if isinstance(doc, dict):
        return {k: _replace(v, found) for k, v in doc.items()}
    if isinstance(doc, list):
        return [_replace(v, found) for v in doc]
    return doc


def dumps(doc: Any, indent: int = 2, **kw: Any) -> Iterator[str]:
    """The pieces of ``json.dumps(doc, indent=indent, **kw)`` (with every ``Streamed`` as the list of its items)."""
    found: dict[str, Streamed] = {}
    text = json.dumps(_replace(doc, found), indent=indent, **kw)
    dump = _item_dumper(indent, kw)
    pos = 0
    while found:
        at, mark = min((text.index(f'"{m}"', pos), m) for m in found)
        stream = found.pop(mark)
        line_start = text.rfind("\n", 0, at) + 1
        depth = len(text[line_start:at]) - len(text[line_start:at].lstrip(" "))
        yield text[pos:at]
        pad = "\n" + " " * (depth + indent)
        first = True
        for item in stream.items:
            value = stream.render(item) if stream.render else item
            yield ("[" if first else ",") + pad + dump(value).replace("\n", pad)
            first = False
        yield "[]" if first else "\n" + " " * depth + "]"
        pos = at + len(mark) + 2
    yield text[pos:]


def _item_dumper(indent: int, kw: dict[str, Any]) -> Callable[[Any], str]:
    """How each streamed item is dumped: orjson in the reports' form (indent 2, ``ensure_ascii=False``), ``json``
    for any other form and for an item orjson refuses."""

    def with_json(value: Any) -> str:
        return json.dumps(value, indent=indent, **kw)

    if indent != 2 or kw.get("ensure_ascii", True) or not set(kw) <= {"ensure_ascii", "default"}:
        return with_json
    fast: list[Callable[[Any], str]] = []
    count = [0]

    def dump(value: Any) -> str:
        # the first items by json: importing orjson costs 8 ms, more than json takes for a small report's items
        # (the pre-commit case); from the ORJSON_AFTER-th item on, orjson
        if fast:
            return fast[0](value)
        count[0] += 1
        if count[0] > ORJSON_AFTER:
            fast.append(_orjson_dumper(with_json, kw.get("default")))
            return fast[0](value)
        return with_json(value)

    return dump


#: streamed items dumped by ``json`` before orjson takes over (a report of a few templates never imports it)
ORJSON_AFTER = 200


def _orjson_dumper(with_json: Callable[[Any], str], default: Any) -> Callable[[Any], str]:
    try:
        import orjson
    except ImportError:  # pragma: no cover - a dependency; json writes the same document, slower
        return with_json
    # dataclasses and datetimes go to ``default``, as ``json`` sends them there (orjson would write them itself)
    option = orjson.OPT_INDENT_2 | orjson.OPT_PASSTHROUGH_DATACLASS | orjson.OPT_PASSTHROUGH_DATETIME
    dumps, refused = orjson.dumps, orjson.JSONEncodeError

    def with_orjson(value: Any) -> str:
        try:
            return dumps(value, default=default, option=option).decode()
        except refused:
            return with_json(value)

    return with_orjson
