"""HCL files parsed with tree-sitter into a light structure with exact positions.

A :class:`SourceFile` holds the top-level :class:`Body` of one ``.tf`` file:
attributes and blocks (type, labels, nested body), each with its 1-based line
and column. Expressions are converted to the syntax tree of
:mod:`.syntax` lazily, the first time an attribute's value is asked for, so
the many attributes nothing reads (variable descriptions, validations) cost
nothing beyond the tree-sitter parse.

A file that is not UTF-8, is binary, is too large or has a syntax error gets a
``ParseError`` with the position of the first problem and an empty body: a
file that only half parses is never used, so nothing is guessed from it.
"""

from __future__ import annotations

import re
import stat
import threading
from collections import OrderedDict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tree_sitter import Node, Parser

from agentgov.scanner.model import Location, ParseError

from .language import LANGUAGE

MAX_FILE_BYTES = 4 * 1024 * 1024

_local = threading.local()


def _parser() -> Parser:
    p = getattr(_local, "parser", None)
    if p is None:
        p = _local.parser = Parser(LANGUAGE)
    return p


@dataclass(slots=True, eq=False)
class Attribute:
    name: str
    node: Node  # the tree-sitter ``expression`` node
    file: FileText
    line: int
    column: int
    end_line: int
    _expr: Any = None

    @property
    def expr(self) -> Any:
        """The value's syntax tree (converted on first use)."""
        if self._expr is None:
            from .convert import convert_expression

            self._expr = convert_expression(self.node, self.file)
        return self._expr

    @property
    def location(self) -> Location:
        return Location(file=self.file.display, line=self.line, column=self.column)

    @property
    def text(self) -> str:
        """The expression's source text (for traversals read as names: ``aws.west``)."""
        return self.file.text_of(self.node)


@dataclass(slots=True, eq=False)
class Block:
    type: str
    labels: list[str]
    body: Body
    file: FileText
    line: int
    column: int
    end_line: int

    @property
    def location(self) -> Location:
        return Location(file=self.file.display, line=self.line, column=self.column, end_line=self.end_line)


@dataclass(slots=True, eq=False)
class Body:
    attributes: dict[str, Attribute] = field(default_factory=dict)
    blocks: list[Block] = field(default_factory=list)
    items: list[Attribute | Block] = field(default_factory=list)  # both, in source order


@dataclass(slots=True, eq=False)
class Suppression:
    line: int
    policies: list[str]
    reason: str | None


@dataclass(slots=True, eq=False)
class FileText:
    """What the attributes and blocks of a file point back to: its text and where it is shown.

    It holds no attribute or block, so a file's parsed structure has no reference cycle and is freed by
    reference counting as soon as nothing uses it (the cyclic garbage collector never has to find it)."""

    path: Path  # resolved
    display: str  # relative to the scan root, posix
    source: bytes
    ascii: bool
    suppressions: list[Suppression] = field(default_factory=list)
    comment_lines: frozenset[int] = frozenset()  # lines holding only a comment

    def position(self, node: Node) -> tuple[int, int]:
        """1-based (line, column in characters) of ``node``'s start."""
        row, col = node.start_point
        if col and not self.ascii:
            start = node.start_byte
            col = len(self.source[start - col : start].decode("utf-8", "replace"))
        return row + 1, col + 1

    def text_of(self, node: Node) -> str:
        return self.source[node.start_byte : node.end_byte].decode("utf-8", "replace")


class SourceFile:
    """One parsed ``.tf`` file: its text (:class:`FileText`), top-level body and parse error."""

    __slots__ = ("text", "body", "error", "tree")

    def __init__(self, path: Path, display: str, source: bytes, ascii: bool, error: ParseError | None = None) -> None:
        self.text = FileText(path, display, source, ascii)
        self.body = Body()
        self.error = error
        self.tree: Any = None  # the tree-sitter tree (the attributes' nodes keep it alive too)

    @property
    def path(self) -> Path:
        return self.text.path

    @property
    def display(self) -> str:
        return self.text.display

    @display.setter
    def display(self, value: str) -> None:
        self.text.display = value

    @property
    def source(self) -> bytes:
        return self.text.source

    @property
    def ascii(self) -> bool:
        return self.text.ascii

    @property
    def suppressions(self) -> list[Suppression]:
        return self.text.suppressions

    @property
    def comment_lines(self) -> frozenset[int]:
        return self.text.comment_lines

    def position(self, node: Node) -> tuple[int, int]:
        return self.text.position(node)

    def text_of(self, node: Node) -> str:
        return self.text.text_of(node)


# --- parsing -----------------------------------------------------------------------------


def parse_bytes(data: bytes, path: Path, display: str) -> SourceFile:
    """Parse one file's bytes; never raises for bad input."""
    f = SourceFile(path=path, display=display, source=data, ascii=data.isascii())
    problem = _check_bytes(data)
    if problem is not None:
        reason, line, column = problem
        f.error = ParseError(file=display, reason=reason, line=line, column=column)
        return f
    if data.startswith(b"\xef\xbb\xbf"):  # a BOM: blank it, keeping byte offsets
        data = b"   " + data[3:]
        f.text.source = data
    try:
        tree = _parser().parse(data)
    except Exception as exc:  # pragma: no cover - tree-sitter does not raise on bad input
        f.error = ParseError(file=display, reason=f"tree-sitter failed: {exc}")
        return f
    root = tree.root_node
    if root.has_error:
        node = _first_error(root)
        if node is not None:
            line, column = f.position(node)
            f.error = ParseError(file=display, reason=_error_reason(node, f), line=line, column=column)
        else:  # pragma: no cover
            f.error = ParseError(file=display, reason="syntax error")
        return f
    f.tree = tree
    try:
        for child in root.children:
            if child.type == "body":
                f.body = _body(child, f.text)
            elif child.type == "object":  # a JSON-like file: not Terraform configuration
                f.error = ParseError(file=display, reason="not Terraform configuration (a bare object)", line=1, column=1)
                return f
        if b"agentgov:ignore" in data:
            _read_suppressions(root, f.text)
    except RecursionError:
        f.body = Body()
        f.error = ParseError(file=display, reason="blocks nested too deeply")
    return f


def _check_bytes(data: bytes) -> tuple[str, int | None, int | None] | None:
    if len(data) > MAX_FILE_BYTES:
        return f"file too large ({len(data)} bytes; limit {MAX_FILE_BYTES})", None, None
    nul = data.find(b"\x00")
    if nul >= 0:
        return "binary file (contains NUL bytes)", data.count(b"\n", 0, nul) + 1, None
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        return f"not valid UTF-8 (byte 0x{data[exc.start]:02x})", line, column
    return None


def _first_error(root: Node) -> Node | None:
    """The first ERROR or MISSING node in document order (iterative)."""
    stack = [root]
    while stack:
        node = stack.pop()
        if node.is_missing or node.type == "ERROR":
            return node
        if node.has_error:
            stack.extend(reversed(node.children))
    return None


def _error_reason(node: Node, f: SourceFile) -> str:
    if node.is_missing:
        return f"syntax error: missing {node.type!r}"
    text = f.text_of(node).strip()
    first = text.splitlines()[0] if text else ""
    if len(first) > 40:
        first = first[:40] + "..."
    return f"syntax error: unexpected {first!r}" if first else "syntax error: unexpected end of input"


_ATTRIBUTE = LANGUAGE.id_for_node_kind("attribute", True)
_BLOCK = LANGUAGE.id_for_node_kind("block", True)
_BODY = LANGUAGE.id_for_node_kind("body", True)
_EXPRESSION = LANGUAGE.id_for_node_kind("expression", True)
_STRING_LIT = LANGUAGE.id_for_node_kind("string_lit", True)
_IDENTIFIER = LANGUAGE.id_for_node_kind("identifier", True)


def _body(node: Node, f: FileText) -> Body:
    body = Body()
    src = f.source
    ascii_ = f.ascii
    attributes = body.attributes
    items = body.items
    for child in node.children:
        kind = child.kind_id
        if kind == _ATTRIBUTE:
            name_node = child.child(0)
            expr: Node | None = child.child(2)  # None past the last child (the stub says Node)
            if expr is None or expr.kind_id != _EXPRESSION:
                expr = next((c for c in child.children if c.kind_id == _EXPRESSION), None)
                if expr is None:  # pragma: no cover - only in trees with errors
                    continue
            name = src[name_node.start_byte : name_node.end_byte].decode("utf-8", "replace")
            row, col = child.start_point
            if ascii_:
                line, column = row + 1, col + 1
            else:
                line, column = f.position(child)
            a = Attribute(name, expr, f, line, column, child.end_point[0] + 1)
            if name not in attributes:  # HCL forbids duplicates; the first one wins
                attributes[name] = a
            items.append(a)
        elif kind == _BLOCK:
            b = _block(child, f)
            body.blocks.append(b)
            items.append(b)
    return body


def _block(node: Node, f: FileText) -> Block:
    kids = node.children
    src = f.source
    type_ = src[kids[0].start_byte : kids[0].end_byte].decode("utf-8", "replace")
    labels: list[str] = []
    inner = Body()
    for child in kids[1:]:
        kind = child.kind_id
        if kind == _STRING_LIT:
            labels.append(src[child.start_byte + 1 : child.end_byte - 1].decode("utf-8", "replace"))
        elif kind == _IDENTIFIER:
            labels.append(src[child.start_byte : child.end_byte].decode("utf-8", "replace"))
        elif kind == _BODY:
            inner = _body(child, f)
    line, column = f.position(node)
    return Block(type_, labels, inner, f, line, column, node.end_point[0] + 1)


# --- suppression comments ------------------------------------------------------------------

_IGNORE = re.compile(
    r"agentgov:ignore\s+(?P<ids>[A-Za-z][\w-]*(?:\s*,\s*[A-Za-z][\w-]*)*)"
    r"(?:\s+reason\s*=\s*(?:\"(?P<dq>[^\"]*)\"|'(?P<sq>[^']*)'|(?P<bare>\S+)))?"
)


def parse_suppression(text: str) -> tuple[list[str], str | None] | None:
    m = _IGNORE.search(text)
    if not m:
        return None
    ids = [i.strip() for i in m.group("ids").split(",") if i.strip()]
    reason = m.group("dq") if m.group("dq") is not None else m.group("sq") if m.group("sq") is not None else m.group("bare")
    return ids, reason


def _read_suppressions(root: Node, f: FileText) -> None:
    comment_lines: set[int] = set()
    stack = [root]
    while stack:
        node = stack.pop()
        if node.type == "comment":
            text = f.text_of(node)
            line, column = f.position(node)
            if not text.startswith("/*"):
                # a comment alone on its line (only blanks before it)
                start = node.start_byte - node.start_point[1]
                if not f.source[start : node.start_byte].strip():
                    comment_lines.add(line)
            parsed = parse_suppression(text) if text.startswith(("#", "//")) else None
            if parsed:
                f.suppressions.append(Suppression(line, parsed[0], parsed[1]))
        else:
            stack.extend(node.children)
    f.suppressions.sort(key=lambda s: s.line)
    f.comment_lines = frozenset(comment_lines)


def suppressions_for(block: Block) -> list[dict[str, Any]]:
    """Suppression comments inside ``block`` or in the comment lines right above it."""
    f = block.file
    out: list[dict[str, Any]] = []
    for s in f.suppressions:
        inside = block.line <= s.line <= block.end_line
        above = (
            s.line < block.line
            and s.line in f.comment_lines
            and all(ln in f.comment_lines for ln in range(s.line + 1, block.line))
        )
        if inside or above:
            for pid in s.policies:
                out.append({"policy": pid, "reason": s.reason, "line": s.line, "file": f.display})
    return out


def read_regular(path: Path, limit: int) -> bytes:
    """The bytes of a regular file of at most ``limit`` bytes.

    Raises OSError otherwise: a FIFO or device would block or never end, so
    nothing but a regular file is ever opened.
    """
    st = path.stat()
    if not stat.S_ISREG(st.st_mode):
        raise OSError(f"{path.name} is not a regular file")
    if st.st_size > limit:
        raise OSError(f"{path.name} is larger than {limit} bytes")
    with path.open("rb") as fh:
        data = fh.read(limit + 1)
    if len(data) > limit:
        raise OSError(f"{path.name} is larger than {limit} bytes")
    return data


# --- reading files (with a small cache: a module called by several roots is parsed once) ----

# Parsed trees are large (about 70 bytes of memory per byte of source), so the cache is
# bounded by the source bytes it holds; a module shared by sibling roots stays in it.
_CACHE: OrderedDict[tuple[Any, ...], SourceFile] = OrderedDict()
CACHE_SOURCE_BYTES = 1024 * 1024
_cache_bytes = 0
_cache_lock = threading.Lock()


def clear_cache() -> None:
    """Forget every parsed file (and the bytes the cache counts as held)."""
    global _cache_bytes
    with _cache_lock:
        _CACHE.clear()
        _cache_bytes = 0


def load_file(path: Path, display: str, data: bytes | None = None) -> SourceFile:
    """Read and parse ``path`` (``data``: its bytes, already read); I/O problems become the file's ``error``."""
    try:
        st = path.stat()
        key = (str(path), st.st_mtime_ns, st.st_size, st.st_ino)
    except OSError as exc:
        return SourceFile(
            path=path,
            display=display,
            source=b"",
            ascii=True,
            error=ParseError(file=display, reason=f"cannot read: {exc.strerror or exc}"),
        )
    with _cache_lock:
        hit = _CACHE.get(key)
        if hit is not None:
            _CACHE.move_to_end(key)
            if hit.display != display:  # the same file shown from another scan root
                hit.display = display
                if hit.error is not None:
                    e = hit.error
                    hit.error = ParseError(file=display, reason=e.reason, line=e.line, column=e.column)
            return hit
    try:
        if st.st_size > MAX_FILE_BYTES:
            data = b""
            f = SourceFile(
                path=path,
                display=display,
                source=b"",
                ascii=True,
                error=ParseError(file=display, reason=f"file too large ({st.st_size} bytes; limit {MAX_FILE_BYTES})"),
            )
        else:
            if data is None:
                data = read_regular(path, MAX_FILE_BYTES)
            f = parse_bytes(data, path, display)
    except OSError as exc:
        return SourceFile(
            path=path,
            display=display,
            source=b"",
            ascii=True,
            error=ParseError(file=display, reason=f"cannot read: {exc.strerror or exc}"),
        )
    global _cache_bytes
    with _cache_lock:
        if key not in _CACHE:
            _CACHE[key] = f
            _cache_bytes += len(f.source)
        while _cache_bytes > CACHE_SOURCE_BYTES and len(_CACHE) > 1:
            _, old = _CACHE.popitem(last=False)
            _cache_bytes -= len(old.source)
    return f


_MODULE_BLOCK = re.compile(rb"(?m)^[ \t]*module[ \t]+[\"A-Za-z_]")


def may_call_modules(data: bytes) -> bool:
    """False when a file of these bytes certainly has no ``module`` block (saves a parse)."""
    return _MODULE_BLOCK.search(data) is not None
