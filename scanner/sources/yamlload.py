"""Safe YAML/JSON loading that keeps line marks, on libyaml's C parser.

Values are built straight from libyaml's event stream (no node graph, no
PyYAML constructor), recording the position of every mapping key and
sequence item by its dotted path. Only CloudFormation's short-form tags are
understood; any other tag (``!!python/object`` ...) is an error, so loading a
hostile file executes nothing. Aliases are bounded: a "billion laughs" file is
an error, not an out-of-memory.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any

import yaml
from yaml.events import (
    AliasEvent,
    MappingEndEvent,
    MappingStartEvent,
    ScalarEvent,
    SequenceEndEvent,
    SequenceStartEvent,
)

try:  # libyaml's C parser; the pure-Python one is a fallback, not a requirement
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - depends on the PyYAML build
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]  # same interface, another class

MAX_NODES = 2_000_000  # values (aliases expanded) above which a file is refused
MAX_DEPTH = 200


class LoadError(Exception):
    """The file cannot be loaded; ``line``/``column`` are 1-based when known."""

    def __init__(self, reason: str, line: int | None = None, column: int | None = None):
        super().__init__(reason)
        self.reason = reason
        self.line = line
        self.column = column


# CloudFormation short-form tags -> long form key
_CFN_TAGS = {
    "!Ref": "Ref",
    "!Condition": "Condition",
    "!Base64": "Fn::Base64",
    "!Cidr": "Fn::Cidr",
    "!FindInMap": "Fn::FindInMap",
    "!GetAtt": "Fn::GetAtt",
    "!GetAZs": "Fn::GetAZs",
    "!ImportValue": "Fn::ImportValue",
    "!Join": "Fn::Join",
    "!Select": "Fn::Select",
    "!Split": "Fn::Split",
    "!Sub": "Fn::Sub",
    "!Transform": "Fn::Transform",
    "!And": "Fn::And",
    "!Equals": "Fn::Equals",
    "!If": "Fn::If",
    "!Not": "Fn::Not",
    "!Or": "Fn::Or",
    "!Length": "Fn::Length",
    "!ToJsonString": "Fn::ToJsonString",
    "!ForEach": "Fn::ForEach",
    "!Contains": "Fn::Contains",
    "!EachMemberEquals": "Fn::EachMemberEquals",
    "!EachMemberIn": "Fn::EachMemberIn",
    "!RefAll": "Fn::RefAll",
    "!ValueOf": "Fn::ValueOf",
    "!ValueOfAll": "Fn::ValueOfAll",
    "!GetParam": "Fn::GetParam",
}

_STD = "tag:yaml.org,2002:"
_SCALAR_TAGS = {_STD + t for t in ("str", "int", "float", "bool", "null", "timestamp", "binary")}
_BOOL = {
    **dict.fromkeys("true True TRUE yes Yes YES on On ON y Y".split(), True),
    **dict.fromkeys("false False FALSE no No NO off Off OFF n N".split(), False),
}
_NULL = {"~", "null", "Null", "NULL", ""}
_INT = re.compile(r"[-+]?(0|[1-9][0-9_]*)$")
_FLOAT = re.compile(r"[-+]?(\.[0-9]+|[0-9][0-9_]*(\.[0-9_]*)?)([eE][-+]?[0-9]+)?$")


def _plain(value: str) -> Any:
    """A plain (unquoted) scalar as YAML 1.1 reads it, minus exotic forms.

    Numbers with a leading zero (``0755``, an account id ``012345678901``),
    hex, sexagesimal and timestamps stay text: CloudFormation reads them as
    strings, and so must a scanner that compares them.
    """
    if not value or value in _NULL:
        return None
    first = value[0]
    if first.isalpha():  # not a number: a boolean, or text
        if first in "yYnNoOtTfF":
            b = _BOOL.get(value)
            if b is not None:
                return b
        return value
    b = _BOOL.get(value)
    if b is not None:
        return b
    digits = value.lstrip("+-")
    if len(digits) > 1 and digits[0] == "0" and digits[1] != ".":
        return value
    if _INT.match(value):
        return int(value.replace("_", ""))
    if _FLOAT.match(value) and any(c.isdigit() for c in value):
        try:
            return float(value.replace("_", ""))
        except ValueError:
            return value
    if value in (".inf", ".Inf", ".INF", "+.inf"):
        return float("inf")
    return value


def _scalar(ev: ScalarEvent) -> Any:
    tag = ev.tag
    if tag is None or tag == "!":
        return _plain(ev.value) if ev.implicit[0] else ev.value
    if tag in _SCALAR_TAGS:
        if tag == _STD + "str":
            return ev.value
        return _plain(ev.value)
    hint = " (only CloudFormation intrinsic tags are allowed)" if tag.startswith("!") else ""
    mark = ev.start_mark  # the parser sets it on every event
    line, column = (mark.line + 1, mark.column + 1) if mark is not None else (None, None)
    raise LoadError(f"unsupported YAML tag {tag!r}{hint}", line, column)


def _check_tag(ev: Any, std: str) -> str | None:
    """Validate a collection's tag; return the CloudFormation function it stands for."""
    tag = ev.tag
    if tag is None or tag == "!" or tag == _STD + std:
        return None
    fn = _CFN_TAGS.get(tag)
    if fn is None:
        hint = " (only CloudFormation intrinsic tags are allowed)" if tag.startswith("!") else ""
        raise LoadError(f"unsupported YAML tag {tag!r}{hint}", ev.start_mark.line + 1, ev.start_mark.column + 1)
    return fn


class _Frame:
    __slots__ = ("container", "path", "fn", "key", "is_map", "anchor", "size")

    def __init__(self, container: Any, path: str, fn: str | None, is_map: bool, anchor: str | None):
        self.container = container
        self.path = path
        self.fn = fn
        self.key: Any = _NO_KEY
        self.is_map = is_map
        self.anchor = anchor
        self.size = 1  # values in this collection's subtree, aliases expanded


_NO_KEY = object()


# one loop over libyaml's events with its state in locals: split into methods (a builder class) it loaded 6% slower (CPU time)
def _build(loader: Any, keep_resource: Callable[[str], bool] | None) -> tuple[Any, dict[str, tuple[int, int]]]:  # noqa: C901
    marks: dict[str, tuple[int, int]] = {}
    anchors: dict[str, tuple[Any, int]] = {}
    stack: list[_Frame] = []
    count = 0
    root: Any = None
    done = False
    skip = 0  # depth of a pruned subtree being skipped

    def attach(value: Any, mark: Any, fn: str | None = None, new: int = 1, size: int = 1) -> None:
        """Attach a finished value; ``new`` values were created, ``size`` is its expanded weight."""
        nonlocal root, done, count
        count += new
        if count > MAX_NODES:
            raise LoadError(f"document expands to more than {MAX_NODES:,} values (YAML alias bomb?)")
        if fn is not None:
            value = {fn: value}
        if not stack:
            root = value
            done = True
            return
        top = stack[-1]
        top.size += size  # (never above ``count``, which is checked: the subtree's values were all counted)
        if top.is_map:
            if top.key is _NO_KEY:
                if isinstance(value, (dict, list)):
                    raise LoadError("a mapping key is not a scalar", mark.line + 1 if mark else None)
                key = (
                    value
                    if isinstance(value, str)
                    else ("null" if value is None else str(value).lower() if isinstance(value, bool) else str(value))
                )
                if key == "<<":
                    raise LoadError("YAML merge keys (<<) are not supported in templates", mark.line + 1)
                top.key = key
                p = f"{top.path}.{key}" if top.path else key
                marks[p] = (mark.line + 1, mark.column + 1)
            else:
                top.container[top.key] = value
                top.key = _NO_KEY
        else:
            if mark is not None:
                p = f"{top.path}.{len(top.container)}" if top.path else str(len(top.container))
                marks[p] = (mark.line + 1, mark.column + 1)
            top.container.append(value)

    get_event = loader.get_event  # None after the stream's end
    while not done:
        ev = get_event()
        if ev is None:
            break
        cls = ev.__class__
        if skip:
            if cls is MappingStartEvent or cls is SequenceStartEvent:
                skip += 1
            elif cls is MappingEndEvent or cls is SequenceEndEvent:
                skip -= 1
            if skip == 0:
                stack[-1].key = _NO_KEY  # the pruned key is left out
            continue
        if cls is ScalarEvent:
            tag = ev.tag
            if tag is None and not ev.anchor and stack:
                # the common case, inlined (a quarter of the load's time): an untagged scalar in a collection
                value: Any = _plain(ev.value) if ev.implicit[0] else ev.value
                count += 1
                if count > MAX_NODES:
                    raise LoadError(f"document expands to more than {MAX_NODES:,} values (YAML alias bomb?)")
                top = stack[-1]
                top.size += 1
                mark = ev.start_mark
                if top.is_map:
                    if top.key is _NO_KEY:
                        key = (
                            value
                            if value.__class__ is str
                            else ("null" if value is None else str(value).lower() if isinstance(value, bool) else str(value))
                        )
                        if key == "<<":
                            raise LoadError("YAML merge keys (<<) are not supported in templates", mark.line + 1)
                        top.key = key
                        marks[f"{top.path}.{key}" if top.path else key] = (mark.line + 1, mark.column + 1)
                    else:
                        top.container[top.key] = value
                        top.key = _NO_KEY
                else:
                    container = top.container
                    marks[f"{top.path}.{len(container)}" if top.path else str(len(container))] = (mark.line + 1, mark.column + 1)
                    container.append(value)
                continue
            if tag is not None and tag != "!" and tag in _CFN_TAGS:
                short_fn = _CFN_TAGS[tag]
                value = ev.value
                if short_fn == "Fn::GetAtt":
                    value = value.split(".", 1) if "." in value else [value]
                attach(value, ev.start_mark, short_fn)
            else:
                attach(_scalar(ev), ev.start_mark)
            if ev.anchor:
                anchors[ev.anchor] = (_last_value(stack, root), 1)
            continue
        if cls is MappingStartEvent or cls is SequenceStartEvent:
            is_map = cls is MappingStartEvent
            fn = _check_tag(ev, "map" if is_map else "seq")
            if len(stack) >= MAX_DEPTH:
                raise LoadError(f"document nesting deeper than {MAX_DEPTH} levels", ev.start_mark.line + 1)
            if stack:
                top = stack[-1]
                if top.is_map:
                    if top.key is _NO_KEY:
                        raise LoadError("a mapping key is not a scalar", ev.start_mark.line + 1, ev.start_mark.column + 1)
                    path = f"{top.path}.{top.key}" if top.path else top.key
                else:
                    idx = len(top.container)
                    path = f"{top.path}.{idx}" if top.path else str(idx)
                    marks[path] = (ev.start_mark.line + 1, ev.start_mark.column + 1)
                if (
                    keep_resource is not None
                    and top.is_map
                    and len(stack) == 3
                    and stack[1].path == "Resources"
                    and top.key not in ("Type", "Condition")
                    and not _wanted(top.container, keep_resource)
                ):
                    skip = 1
                    continue
            else:
                path = ""
            if fn is not None:
                path = f"{path}.{fn}" if path else fn
            stack.append(_Frame({} if is_map else [], path, fn, is_map, ev.anchor))
            continue
        if cls is MappingEndEvent or cls is SequenceEndEvent:
            frame = stack.pop()
            value = frame.container
            if frame.anchor:
                anchors[frame.anchor] = ({frame.fn: value} if frame.fn else value, frame.size)
            attach(value, None, frame.fn, new=1, size=frame.size)
            continue
        if cls is AliasEvent:
            if ev.anchor not in anchors:
                raise LoadError(f"unknown YAML alias *{ev.anchor}", ev.start_mark.line + 1)
            value, size = anchors[ev.anchor]
            if stack and stack[-1].is_map and stack[-1].key is _NO_KEY and isinstance(value, (dict, list)):
                raise LoadError("a mapping key is not a scalar", ev.start_mark.line + 1)
            # the value is shared, not copied; what it would weigh copied is what counts
            attach(value, ev.start_mark, new=size, size=size)
            continue
        # stream/document start and end events carry nothing
    return root, marks


def _last_value(stack: list[_Frame], root: Any) -> Any:
    if not stack:
        return root
    top = stack[-1]
    if top.is_map:
        if top.key is not _NO_KEY:
            return top.key
        return top.container[next(reversed(top.container))] if top.container else None
    return top.container[-1]


def _wanted(resource: dict[str, Any], keep_resource: Callable[[str], bool]) -> bool:
    t = resource.get("Type")
    return not isinstance(t, str) or keep_resource(t)


def _mark_error(exc: yaml.MarkedYAMLError) -> LoadError:
    mark = exc.problem_mark or exc.context_mark
    problem = exc.problem or exc.context or "invalid YAML"
    if mark is not None:
        return LoadError(f"invalid YAML: {problem}", mark.line + 1, mark.column + 1)
    return LoadError(f"invalid YAML: {problem}")


def load_yaml(text: str, keep_resource: Callable[[str], bool] | None = None) -> tuple[Any, dict[str, tuple[int, int]]]:
    """Load the first YAML (or JSON) document; return the value and its marks by path.

    ``keep_resource(type)`` (optional): for each ``Resources.<id>`` mapping
    whose ``Type`` comes before its body, whether the body is built; a
    resource of a type no policy reads keeps only ``Type`` and ``Condition``.
    """
    loader = _Loader(text)
    try:
        return _build(loader, keep_resource)
    except yaml.MarkedYAMLError as exc:
        raise _mark_error(exc) from None
    except yaml.YAMLError as exc:
        raise LoadError(f"invalid YAML: {exc}") from None
    except RecursionError:
        raise LoadError("document nesting too deep") from None
    finally:
        loader.dispose()


_ESCAPED_SLASH = re.compile(r"(?<!\\)((?:\\\\)*)\\/")


def load_json(text: str, keep_resource: Callable[[str], bool] | None = None) -> tuple[Any, dict[str, tuple[int, int]]]:
    """Load JSON with positions through libyaml; plain ``json`` when libyaml can't.

    YAML accepts what JSON does not (``{"a": }``, comments, trailing commas), so
    ``json`` decides first whether the text is JSON at all. Positions then come
    from libyaml: tabs (whitespace only, in valid JSON) become spaces and ``\\/``
    escapes become ``/``, which keeps every line and column; what libyaml still
    refuses is returned without positions.
    """
    try:
        value = json.loads(text)
    except json.JSONDecodeError as exc:
        raise LoadError(f"invalid JSON: {exc.msg}", exc.lineno, exc.colno) from None
    except RecursionError:
        raise LoadError("document nesting too deep") from None
    ytext = text.replace("\t", " ")
    if "\\/" in ytext:
        ytext = _ESCAPED_SLASH.sub(r"\1/", ytext)
    try:
        return load_yaml(ytext, keep_resource)
    except LoadError:
        return value, {}
