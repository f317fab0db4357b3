"""Where in a policy file a value is: line numbers for load-time errors (composed on error only: no cost on success)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import yaml

try:
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]


def compose(text: str) -> yaml.Node | None:
    try:
        return yaml.compose(text, Loader=_Loader)
    except yaml.YAMLError:
        return None


def _line(node: yaml.Node) -> int:
    return node.start_mark.line + 1


def line_for_loc(root: yaml.Node | None, loc: Iterable[Any]) -> int | None:
    """The line of the value at a pydantic error location (keys and indexes; a step that is not in the file, such as a
    union's tag, is skipped); the deepest node reached."""
    node = root
    if node is None:
        return None
    for step in loc:
        if isinstance(node, yaml.MappingNode):
            for k, v in node.value:
                if isinstance(k, yaml.ScalarNode) and k.value == str(step):
                    node = v
                    break
        elif isinstance(node, yaml.SequenceNode) and isinstance(step, int) and 0 <= step < len(node.value):
            node = node.value[step]
    return _line(node)


def line_for_pair(root: yaml.Node | None, key: str, value: Any = None) -> int | None:
    """The line of the first ``key: value`` pair (any ``value`` when None; a value in a flow list counts), depth first."""
    if root is None:
        return None
    stack = [root]
    while stack:
        node = stack.pop()
        if isinstance(node, yaml.MappingNode):
            for k, v in node.value:
                if isinstance(k, yaml.ScalarNode) and k.value == key:
                    if value is None or (isinstance(v, yaml.ScalarNode) and v.value == str(value)):
                        return _line(v)
                    if isinstance(v, yaml.SequenceNode):
                        for item in v.value:
                            if isinstance(item, yaml.ScalarNode) and item.value == str(value):
                                return _line(item)
            stack.extend(v for _, v in reversed(node.value))
        elif isinstance(node, yaml.SequenceNode):
            stack.extend(reversed(node.value))
    return None


def at(path: Any, text: str | None, key: str | None = None, value: Any = None, loc: Iterable[Any] | None = None) -> str:
    """``path:LINE`` (``path`` alone when the line cannot be found)."""
    if text is None:
        return str(path)
    root = compose(text)
    line = line_for_loc(root, loc) if loc is not None else (line_for_pair(root, key, value) if key else None)
    return f"{path}:{line}" if line else str(path)
