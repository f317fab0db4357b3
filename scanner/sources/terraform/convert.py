"""tree-sitter nodes -> the syntax tree of :mod:`.syntax`.

tree-sitter-hcl 1.x keeps expression terms flat (``expression`` holds a
primary followed by ``get_attr``/``index``/``splat`` postfixes, parentheses
appear as tokens), so the converter regroups them.

Template literal text is always taken from the source bytes between the
template's child nodes (tree-sitter leaves whitespace out of its literal
nodes), then unescaped: ``\\n``, ``\\"``, ``\\uXXXX`` in quoted strings only,
``$${`` / ``%%{`` in both quoted strings and heredocs. ``<<-`` heredocs lose
their common leading whitespace as HCL specifies. The most common leaves
(plain strings, integers, ``a.b.c`` traversals) are recognised from their
text without walking their nodes.
"""

from __future__ import annotations

import re
from typing import Any

from tree_sitter import Node

from .language import LANGUAGE
from .syntax import (
    Bad,
    BinaryOp,
    Call,
    Conditional,
    ForObject,
    ForTuple,
    GetAttr,
    Index,
    Lit,
    Name,
    ObjectCons,
    Splat,
    Syntax,
    Template,
    TemplateFor,
    TemplateIf,
    TupleCons,
    UnaryOp,
)

MAX_SYNTAX_DEPTH = 120

_COMMENT = LANGUAGE.id_for_node_kind("comment", True)
_CONDITIONAL = LANGUAGE.id_for_node_kind("conditional", True)
_EXPRESSION = LANGUAGE.id_for_node_kind("expression", True)
_OBJECT_ELEM = LANGUAGE.id_for_node_kind("object_elem", True)
_BARE_KEY = re.compile(rb"[A-Za-z_][A-Za-z0-9_-]*")


class _TooDeep(Exception):
    pass


class _Converter:
    __slots__ = ("f", "src", "depth")

    def __init__(self, f: Any) -> None:
        self.f = f
        self.src: bytes = f.source
        self.depth = 0

    # -- helpers
    def text(self, node: Node) -> str:
        return self.src[node.start_byte : node.end_byte].decode("utf-8", "replace")

    @staticmethod
    def kids(node: Node) -> list[Node]:
        return [c for c in node.children if c.kind_id != _COMMENT]

    # -- expressions
    def expression(self, node: Node) -> Syntax:
        start, end = node.start_byte, node.end_byte
        if end - start < 256:  # fast paths: plain strings, numbers, traversals (most leaves)
            fast = _fast_expression(self.src[start:end])
            if fast is not None:
                return fast
        self.depth += 1
        try:
            if self.depth > MAX_SYNTAX_DEPTH:
                raise _TooDeep
            kids = self.kids(node)
            if len(kids) == 1 and kids[0].kind_id == _CONDITIONAL:
                return self.conditional(kids[0])
            result, i = self.term(kids, 0)
            if i != len(kids):  # pragma: no cover - grammar guarantees one term
                return Bad(f"unexpected {kids[i].type} in expression")
            return result
        finally:
            self.depth -= 1

    def conditional(self, node: Node) -> Syntax:
        cond, then, other = [c for c in self.kids(node) if c.kind_id == _EXPRESSION]
        return self._conditional(cond, self.expression(then), self.expression(other))

    def _conditional(self, cond: Node, then: Syntax, other: Syntax) -> Syntax:
        """HCL's ``?:`` is right-associative; tree-sitter-hcl 1.x parses it left-associative.

        ``a ? b : c ? d : e`` arrives as ``(a ? b : c) ? d : e`` (no parentheses in
        the source) and becomes ``a ? b : (c ? d : e)``.
        """
        kids = self.kids(cond)
        if len(kids) == 1 and kids[0].kind_id == _CONDITIONAL:
            c2, t2, o2 = [c for c in self.kids(kids[0]) if c.kind_id == _EXPRESSION]
            rest = Conditional(self.expression(o2), then, other, self._cond_text(o2))
            return self._conditional(c2, self.expression(t2), rest)
        return Conditional(self.expression(cond), then, other, self._cond_text(cond))

    def _cond_text(self, node: Node) -> str:
        text = " ".join(self.text(node).split())
        return text if len(text) <= 80 else text[:77] + "..."

    def term(self, kids: list[Node], i: int) -> tuple[Syntax, int]:
        """A primary expression at ``kids[i]`` and the postfixes after it."""
        node = kids[i]
        t = node.type
        if t == "(":
            result = self.expression(kids[i + 1])
            i += 3
        else:
            result = self.primary(node)
            i += 1
        n = len(kids)
        while i < n:
            t = kids[i].type
            if t == "get_attr":
                result = GetAttr(result, self.text(kids[i].children[-1]))
            elif t == "index":
                result = Index(result, self.index_key(kids[i]))
            elif t == "splat":
                result = self.splat(result, kids[i])
            else:
                break
            i += 1
        return result, i

    def index_key(self, node: Node) -> Syntax:
        inner = node.children[0]
        if inner.type == "legacy_index":
            return Lit(int(self.text(inner)[1:]))
        exprs = [c for c in inner.children if c.type == "expression"]
        return self.expression(exprs[0])

    def splat(self, obj: Syntax, node: Node) -> Syntax:
        """``a[*].b[0]`` applies ``.b[0]`` to each element; ``a.*.b[0]`` only ``.b``
        (an attribute-only splat ends at the first index, which applies to the result)."""
        inner = node.children[0]
        full = inner.type == "full_splat"
        ops: list[tuple[str, Any]] = []
        after: list[tuple[str, Any]] = []
        for c in inner.children:
            if c.type == "get_attr":
                (ops if full or not after else after).append(("attr", self.text(c.children[-1])))
            elif c.type == "index":
                (ops if full else after).append(("index", self.index_key(c)))
        result: Syntax = Splat(obj, tuple(ops))
        for kind, arg in after:
            result = GetAttr(result, arg) if kind == "attr" else Index(result, arg)
        return result

    def primary(self, node: Node) -> Syntax:
        t = node.type
        if t == "literal_value":
            return self.literal(node.children[0])
        if t == "variable_expr":
            return Name(self.text(node))
        if t == "template_expr":
            inner = node.children[0]
            if inner.type == "heredoc_template":
                return self.heredoc(inner)
            return self.quoted(inner)
        if t == "collection_value":
            inner = node.children[0]
            return self.tuple_cons(inner) if inner.type == "tuple" else self.object_cons(inner)
        if t == "function_call":
            return self.call(node)
        if t == "for_expr":
            return self.for_expr(node.children[0])
        if t == "operation":
            return self.operation(node.children[0])
        if t == "expression":
            return self.expression(node)
        if t == "conditional":
            return self.conditional(node)
        return Bad(f"unsupported expression {t}")

    def literal(self, node: Node) -> Syntax:
        t = node.type
        if t == "numeric_lit":
            return Lit(parse_number(self.text(node)))
        if t == "bool_lit":
            return Lit(self.text(node) == "true")
        if t == "null_lit":
            return Lit(None)
        if t == "string_lit":
            kids = node.children
            raw = self.src[kids[0].end_byte : kids[-1].start_byte].decode("utf-8", "replace")
            return Lit(unescape_quoted(raw))
        return Bad(f"unsupported literal {t}")  # pragma: no cover

    def tuple_cons(self, node: Node) -> Syntax:
        items = []
        positions = []
        for c in node.children:
            if c.type == "expression":
                items.append(self.expression(c))
                positions.append(self.f.position(c))
        return TupleCons(tuple(items), tuple(positions))

    def object_cons(self, node: Node) -> Syntax:
        keys: list[Syntax] = []
        values: list[Syntax] = []
        positions: list[tuple[int, int]] = []
        ktexts: list[str] = []
        vtexts: list[str] = []
        src = self.src
        for c in node.children:
            if c.kind_id != _OBJECT_ELEM:
                continue
            if c.child_count == 3:
                knode, vnode = c.child(0), c.child(2)
            else:  # comments inside the element
                exprs = [e for e in c.children if e.kind_id == _EXPRESSION]
                if len(exprs) != 2:  # pragma: no cover
                    continue
                knode, vnode = exprs
            kraw = src[knode.start_byte : knode.end_byte]
            ktext = kraw.decode("utf-8", "replace")
            if _BARE_KEY.fullmatch(kraw):
                keys.append(Lit(ktext))  # a bare name is a literal key
            else:
                keys.append(self.expression(knode))
            values.append(self.expression(vnode))
            positions.append(self.f.position(knode))
            # source texts are kept for short entries only (``providers = { aws = aws.west }``)
            ktexts.append(ktext if len(kraw) <= 200 else "")
            vtexts.append(self.text(vnode) if vnode.end_byte - vnode.start_byte <= 200 else "")
        return ObjectCons(tuple(keys), tuple(values), tuple(positions), tuple(ktexts), tuple(vtexts))

    def call(self, node: Node) -> Syntax:
        kids = node.children
        name = self.text(kids[0])
        args: list[Syntax] = []
        expand = False
        for c in kids:
            if c.type == "function_arguments":
                for a in c.children:
                    if a.type == "expression":
                        args.append(self.expression(a))
                    elif a.type == "ellipsis":
                        expand = True
        line, column = self.f.position(node)
        return Call(name, tuple(args), expand, line, column)

    def for_intro(self, node: Node) -> tuple[str | None, str, Syntax]:
        names = [self.text(c) for c in node.children if c.type == "identifier"]
        coll = [c for c in node.children if c.type == "expression"][0]
        if len(names) == 2:
            return names[0], names[1], self.expression(coll)
        return None, names[0], self.expression(coll)

    def for_expr(self, node: Node) -> Syntax:
        kids = self.kids(node)
        intro = next(c for c in kids if c.type == "for_intro")
        key_var, value_var, coll = self.for_intro(intro)
        exprs = [c for c in kids if c.type == "expression"]
        cond_node = next((c for c in kids if c.type == "for_cond"), None)
        cond = None
        if cond_node is not None:
            cond = self.expression([c for c in cond_node.children if c.type == "expression"][0])
        if node.type == "for_tuple_expr":
            return ForTuple(key_var, value_var, coll, self.expression(exprs[0]), cond)
        group = any(c.type == "ellipsis" for c in kids)
        return ForObject(key_var, value_var, coll, self.expression(exprs[0]), self.expression(exprs[1]), group, cond)

    def operation(self, node: Node) -> Syntax:
        kids = self.kids(node)
        if node.type == "unary_operation":
            operand, _ = self.term(kids, 1)
            return UnaryOp(kids[0].type, operand)
        left, i = self.term(kids, 0)
        op = kids[i].type
        right, _ = self.term(kids, i + 1)
        return BinaryOp(op, left, right)

    # -- templates
    def quoted(self, node: Node) -> Syntax:
        kids = node.children
        return self.template(kids[1:-1], kids[0].end_byte, kids[-1].start_byte, quoted=True, flush=0)

    def heredoc(self, node: Node) -> Syntax:
        kids = node.children
        flush = self.text(kids[0]) == "<<-"
        open_id, close_id = kids[1], kids[-1]
        nl = self.src.find(b"\n", open_id.end_byte)
        start = nl + 1 if 0 <= nl < close_id.start_byte else close_id.start_byte
        end = self.src.rfind(b"\n", 0, close_id.start_byte) + 1
        if end < start:
            end = start
        inner = [c for c in kids[2:-1] if c.type != "comment"]
        indent = _min_indent(self.src[start:end].decode("utf-8", "replace")) if flush else 0
        return self.template(inner, start, end, quoted=False, flush=indent)

    def template(self, kids: list[Node], start: int, end: int, quoted: bool, flush: int) -> Template:
        parts = self.template_parts(kids, start, end, quoted, flush)
        return Template(tuple(parts))

    def literal_text(self, a: int, b: int, quoted: bool, flush: int) -> str:
        raw = self.src[a:b].decode("utf-8", "replace")
        if flush:
            at_line_start = a == 0 or self.src[a - 1 : a] == b"\n"
            raw = _dedent(raw, flush, at_line_start)
        return unescape_quoted(raw) if quoted else raw.replace("$${", "${").replace("%%{", "%{")

    def template_parts(self, kids: list[Node], start: int, end: int, quoted: bool, flush: int) -> list[Any]:
        """Literal text (from the gaps between ``kids``) and the interpolations/directives."""
        parts: list[Any] = []
        strip: list[tuple[int, bool, bool]] = []  # (index in parts, strip before, strip after)
        pos = start
        for c in kids:
            t = c.type
            if t == "template_literal":
                continue
            if c.start_byte > pos:
                parts.append(self.literal_text(pos, c.start_byte, quoted, flush))
            pos = max(pos, c.end_byte)
            if t == "template_interpolation":
                ck = c.children
                exprs = [x for x in ck if x.type == "expression"]
                before = len(ck) > 1 and ck[1].type == "strip_marker"
                after = len(ck) > 1 and ck[-2].type == "strip_marker"
                parts.append(self.expression(exprs[0]) if exprs else Lit(""))
                strip.append((len(parts) - 1, before, after))
            elif t == "template_directive":
                directive, before, after = self.directive(c.children[0], quoted, flush)
                parts.append(directive)
                strip.append((len(parts) - 1, before, after))
        if end > pos:
            parts.append(self.literal_text(pos, end, quoted, flush))
        for idx, before, after in strip:
            if before and idx > 0 and isinstance(parts[idx - 1], str):
                parts[idx - 1] = parts[idx - 1].rstrip()
            if after and idx + 1 < len(parts) and isinstance(parts[idx + 1], str):
                parts[idx + 1] = parts[idx + 1].lstrip()
        return parts

    @staticmethod
    def _markers(node: Node) -> tuple[bool, bool]:
        ck = node.children
        return (len(ck) > 1 and ck[1].type == "strip_marker", len(ck) > 1 and ck[-2].type == "strip_marker")

    def directive(self, node: Node, quoted: bool, flush: int) -> tuple[Any, bool, bool]:
        kids = [c for c in node.children if c.type != "comment"]
        first, last = kids[0], kids[-1]
        before = self._markers(first)[0]
        after = self._markers(last)[1]
        if node.type == "template_for":
            key_var, value_var, coll = self.for_intro(first)
            body = self.segment(kids[1:-1], first, last, quoted, flush)
            return TemplateFor(key_var, value_var, coll, tuple(body)), before, after
        # template_if
        cond = self.expression([c for c in first.children if c.type == "expression"][0])
        else_i = next((i for i, c in enumerate(kids) if c.type == "template_else_intro"), None)
        if else_i is None:
            then = self.segment(kids[1:-1], first, last, quoted, flush)
            other: list[Any] = []
        else:
            mid = kids[else_i]
            then = self.segment(kids[1:else_i], first, mid, quoted, flush)
            other = self.segment(kids[else_i + 1 : -1], mid, last, quoted, flush)
        return TemplateIf(cond, tuple(then), tuple(other)), before, after

    def segment(self, kids: list[Node], opener: Node, closer: Node, quoted: bool, flush: int) -> list[Any]:
        parts = self.template_parts(kids, opener.end_byte, closer.start_byte, quoted, flush)
        if parts and isinstance(parts[0], str) and self._markers(opener)[1]:
            parts[0] = parts[0].lstrip()
        if parts and isinstance(parts[-1], str) and self._markers(closer)[0]:
            parts[-1] = parts[-1].rstrip()
        return parts


def convert_expression(node: Node, f: Any) -> Syntax:
    """Convert a tree-sitter ``expression`` node of file ``f``; never raises."""
    try:
        return _Converter(f).expression(node)
    except (_TooDeep, RecursionError):
        return Bad("expression nested too deeply")
    except Exception as exc:  # a grammar shape this converter does not know
        return Bad(f"unsupported expression syntax ({type(exc).__name__})")


# --- fast paths for the most common leaf expressions -------------------------------------------

_FAST_STRING = re.compile(rb'"((?:[^"\\$%\n]|\$(?!\{)|%(?!\{))*)"')
_FAST_TRAVERSAL = re.compile(rb"[A-Za-z_][A-Za-z0-9_-]*(?:\.[A-Za-z_][A-Za-z0-9_-]*)*")
_FAST_INT = re.compile(rb"[0-9]{1,18}")
_FAST_WORDS: dict[bytes, Syntax] = {}


def _fast_expression(raw: bytes) -> Syntax | None:
    first = raw[:1]
    if first == b'"':
        m = _FAST_STRING.fullmatch(raw)
        if m is not None:
            return Lit(m.group(1).decode("utf-8", "replace"))
        return None
    if first.isdigit():
        if _FAST_INT.fullmatch(raw):
            return Lit(int(raw))
        return None
    if _FAST_TRAVERSAL.fullmatch(raw):
        if raw == b"true":
            return Lit(True)
        if raw == b"false":
            return Lit(False)
        if raw == b"null":
            return Lit(None)
        names = raw.decode("utf-8", "replace").split(".")
        result: Syntax = Name(names[0])
        for n in names[1:]:
            result = GetAttr(result, n)
        return result
    return None


# --- literal helpers --------------------------------------------------------------------------

_ESCAPE = re.compile(r"\\(u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}|.)|\$\$\{|%%\{", re.S)
_SIMPLE = {"n": "\n", "r": "\r", "t": "\t", '"': '"', "\\": "\\"}


def _unescape_one(m: re.Match[str]) -> str:
    s = m.group(0)
    if s == "$${":
        return "${"
    if s == "%%{":
        return "%{"
    e = m.group(1)
    if e in _SIMPLE:
        return _SIMPLE[e]
    if e[0] in "uU" and len(e) > 1:
        try:
            return chr(int(e[1:], 16))
        except (ValueError, OverflowError):
            return s
    return s


def unescape_quoted(raw: str) -> str:
    if "\\" not in raw and "$${" not in raw and "%%{" not in raw:
        return raw
    return _ESCAPE.sub(_unescape_one, raw)


def parse_number(text: str) -> int | float:
    try:
        if text.lower().startswith("0x"):
            return int(text, 16)
        if "." not in text and "e" not in text.lower():
            return int(text)
        v = float(text)
        return int(v) if v.is_integer() and abs(v) < 2**63 else v
    except ValueError:
        return 0  # pragma: no cover - the grammar only yields valid numerals


def _min_indent(body: str) -> int:
    """HCL ``<<-``: the fewest leading whitespace characters of the non-blank lines."""
    best: int | None = None
    for line in body.split("\n"):
        stripped = line.lstrip()
        if not stripped:
            continue
        n = len(line) - len(stripped)
        if best is None or n < best:
            best = n
            if best == 0:
                break
    return best or 0


def _dedent(text: str, n: int, at_line_start: bool) -> str:
    lines = text.split("\n")
    out = []
    for i, line in enumerate(lines):
        # whitespace-only lines are left alone, except the piece before an interpolation
        if (i > 0 or at_line_start) and (line.strip() or i == len(lines) - 1):
            k = 0
            while k < n and k < len(line) and line[k] in " \t":
                k += 1
            line = line[k:]
        out.append(line)
    return "\n".join(out)
