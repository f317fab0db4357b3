"""Safe YAML/JSON loading that keeps line marks, on libyaml's C parser.

The document is composed into nodes by libyaml (C), then turned into plain
Python values here, recording the position of every mapping value by its
dotted path. Only CloudFormation's short-form tags are understood; any other
tag (``!!python/object`` ...) is an error, so loading a hostile file executes
nothing. Alias expansion is bounded (a "billion laughs" file is an error, not
an out-of-memory).
"""

from __future__ import annotations

import json
from typing import Any

import yaml

try:  # libyaml's C parser; the pure-Python one is a fallback, not a requirement
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - depends on the PyYAML build
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

MAX_NODES = 2_000_000  # expanded node count above which a file is refused


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
_BOOL_TRUE = {"true", "True", "TRUE", "yes", "Yes", "YES", "on", "On", "ON", "y", "Y"}


def _scalar(node: ScalarNode) -> Any:
    tag = node.tag
    v = node.value
    if tag == _STD + "str":
        return v
    if tag == _STD + "int":
        digits = v.lstrip("+-")
        if len(digits) > 1 and digits[0] == "0":
            return v  # 0755, 0x1F, 012345678901 (an account id): keep the text
        try:
            return int(v.replace("_", ""))
        except ValueError:
            return v
    if tag == _STD + "float":
        try:
            return float(v.replace("_", ""))
        except ValueError:
            return v
    if tag == _STD + "bool":
        return v in _BOOL_TRUE
    if tag == _STD + "null":
        return None
    # timestamps, binary, ...: keep the text (CloudFormation treats them as strings)
    return v


class _Builder:
    """Turns composed nodes into Python values and a path -> (line, col) map."""

    __slots__ = ("marks", "count", "seen")

    def __init__(self) -> None:
        self.marks: dict[str, tuple[int, int]] = {}
        self.count = 0

    def build(self, node: Node, path: str, depth: int = 0) -> Any:
        self.count += 1
        if self.count > MAX_NODES:
            raise LoadError(
                f"document expands to more than {MAX_NODES:,} nodes (YAML alias bomb?)",
            )
        if depth > 200:
            raise LoadError("document nesting deeper than 200 levels", node.start_mark.line + 1)
        tag = node.tag
        if isinstance(node, ScalarNode):
            if tag.startswith("!"):
                return self._cfn_tag(node, tag, path, depth)
            if tag not in _SCALAR_TAGS:
                raise LoadError(f"unsupported YAML tag {tag!r}", node.start_mark.line + 1, node.start_mark.column + 1)
            return _scalar(node)
        if tag.startswith("!"):
            return self._cfn_tag(node, tag, path, depth)
        if isinstance(node, SequenceNode):
            if tag not in (_STD + "seq",):
                raise LoadError(f"unsupported YAML tag {tag!r}", node.start_mark.line + 1, node.start_mark.column + 1)
            out = []
            for i, child in enumerate(node.value):
                p = f"{path}.{i}" if path else str(i)
                self.marks[p] = (child.start_mark.line + 1, child.start_mark.column + 1)
                out.append(self.build(child, p, depth + 1))
            return out
        if isinstance(node, MappingNode):
            if tag not in (_STD + "map",):
                raise LoadError(f"unsupported YAML tag {tag!r}", node.start_mark.line + 1, node.start_mark.column + 1)
            d: dict[Any, Any] = {}
            for knode, vnode in node.value:
                if knode.tag == _STD + "merge":
                    raise LoadError("YAML merge keys (<<) are not supported in templates", knode.start_mark.line + 1)
                key = self.build(knode, path, depth + 1) if not isinstance(knode, ScalarNode) else _scalar(knode) if not knode.tag.startswith("!") else self.build(knode, path, depth + 1)
                if isinstance(key, (dict, list)):
                    raise LoadError("a mapping key is not a scalar", knode.start_mark.line + 1, knode.start_mark.column + 1)
                if not isinstance(key, str):
                    key = str(key)
                p = f"{path}.{key}" if path else key
                self.marks[p] = (knode.start_mark.line + 1, knode.start_mark.column + 1)
                d[key] = self.build(vnode, p, depth + 1)
            return d
        raise LoadError(f"unexpected YAML node {type(node).__name__}")

    def _cfn_tag(self, node: Node, tag: str, path: str, depth: int) -> Any:
        fn = _CFN_TAGS.get(tag)
        if fn is None:
            raise LoadError(
                f"unsupported YAML tag {tag!r} (only CloudFormation intrinsic tags are allowed)",
                node.start_mark.line + 1,
                node.start_mark.column + 1,
            )
        if isinstance(node, ScalarNode):
            value: Any = node.value
            if fn == "Fn::GetAtt" and isinstance(value, str):
                value = value.split(".", 1) if "." in value else [value]
            elif fn == "Fn::GetAZs" and value == "":
                value = ""
        elif isinstance(node, SequenceNode):
            value = [self.build(c, f"{path}.{fn}.{i}", depth + 1) for i, c in enumerate(node.value)]
        else:
            value = self.build(MappingNode(_STD + "map", node.value, node.start_mark, node.end_mark), f"{path}.{fn}", depth + 1)
        return {fn: value}


def _mark_error(exc: yaml.MarkedYAMLError) -> LoadError:
    mark = exc.problem_mark or exc.context_mark
    problem = exc.problem or exc.context or "invalid YAML"
    if mark is not None:
        return LoadError(f"invalid YAML: {problem}", mark.line + 1, mark.column + 1)
    return LoadError(f"invalid YAML: {problem}")


def load_yaml(text: str) -> tuple[Any, dict[str, tuple[int, int]]]:
    """Load one YAML (or JSON) document; return the value and its marks by path."""
    try:
        loader = _Loader(text)
        try:
            node = loader.get_single_node()
        finally:
            loader.dispose()
    except yaml.MarkedYAMLError as exc:
        raise _mark_error(exc) from None
    except yaml.YAMLError as exc:
        raise LoadError(f"invalid YAML: {exc}") from None
    except RecursionError:
        raise LoadError("document nesting too deep") from None
    if node is None:
        return None, {}
    builder = _Builder()
    try:
        value = builder.build(node, "")
    except RecursionError:
        raise LoadError("document nesting too deep") from None
    return value, builder.marks


def load_json(text: str) -> tuple[Any, dict[str, tuple[int, int]]]:
    """Load JSON with positions through libyaml; plain ``json`` when libyaml can't.

    libyaml reads nearly all JSON (it is YAML); what it refuses (tabs in
    indentation, some escapes) is read by ``json`` without positions.
    """
    if "\t" not in text:
        try:
            return load_yaml(text)
        except LoadError:
            pass
    try:
        return json.loads(text), {}
    except json.JSONDecodeError as exc:
        raise LoadError(f"invalid JSON: {exc.msg}", exc.lineno, exc.colno) from None
    except RecursionError:
        raise LoadError("document nesting too deep") from None
