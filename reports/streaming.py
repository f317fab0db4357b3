"""JSON written piece by piece, byte for byte what ``json.dumps(doc, indent=2)`` writes of the whole document.

A report's long lists (findings, agents, results) are given as iterables: the
document is dumped with a placeholder in their place, and each item is dumped
on its own at the placeholder's depth as it comes. So a report of a large
audit is written without the whole list in memory.
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
            yield ("[" if first else ",") + pad + json.dumps(value, indent=indent, **kw).replace("\n", pad)
            first = False
        yield "[]" if first else "\n" + " " * depth + "]"
        pos = at + len(mark) + 2
    yield text[pos:]
