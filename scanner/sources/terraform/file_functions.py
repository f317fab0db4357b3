"""Terraform functions that read files: ``file``, ``templatefile``, ``fileset``...

Only files inside the scanned directory tree are read (symlinks resolved
first); anything outside is ``Unknown``. Relative paths start at the root
module directory, as Terraform's working directory would be, which is why
``path.module`` is the module's path relative to the root.
"""

from __future__ import annotations

import base64
import fnmatch
import hashlib
import os
import posixpath
from collections.abc import Callable
from pathlib import Path
from typing import Any

from agentgov.scanner.model import Unknown

from .hcl import read_regular
from .values import MAX_COLLECTION, MAX_STRING, EvalError, to_map, to_str

FUNCTIONS: dict[str, Callable[[Any, list[Any]], Any]] = {}
_TEMPLATE_MARKER = "AGENTGOV_TEMPLATE_END"


class _Outside(Exception):
    def __init__(self, unknown: Unknown) -> None:
        super().__init__(unknown.reason)
        self.unknown = unknown


def _resolve(scope: Any, raw: Any, what: str) -> Path:
    session = scope.session
    p = to_str(raw, f"{what} path")
    if "\x00" in p:
        raise EvalError(f"{what}: invalid path")
    path = Path(p)
    if not path.is_absolute():
        path = session.root_dir / path
    try:
        resolved = path.resolve()
    except (OSError, RuntimeError):
        raise _Outside(Unknown(f"{what}({p}): the path cannot be resolved")) from None
    if not resolved.is_relative_to(session.allowed_root):
        raise _Outside(Unknown(f"{what}({p}): the file is outside the scanned directory"))
    return resolved


def _read(scope: Any, raw: Any, what: str) -> bytes:
    path = _resolve(scope, raw, what)
    try:
        if path.stat().st_size > MAX_STRING:
            raise _Outside(Unknown(f"{what}({to_str(raw)}): the file is larger than {MAX_STRING} bytes"))
        return read_regular(path, MAX_STRING)
    except FileNotFoundError:
        raise EvalError(f"{what}: no file {to_str(raw)!r}") from None
    except IsADirectoryError:
        raise EvalError(f"{what}: {to_str(raw)!r} is a directory") from None
    except OSError as exc:
        raise EvalError(f"{what}: cannot read {to_str(raw)!r} ({exc.strerror or exc})") from None


def _text(scope: Any, raw: Any, what: str) -> str:
    data = _read(scope, raw, what)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        raise EvalError(f"{what}: {to_str(raw)!r} is not UTF-8 text") from None


def _guarded(name: str, nargs: int) -> Callable[[Callable[..., Any]], None]:
    def deco(f: Callable[..., Any]) -> None:
        def call(scope: Any, args: list[Any]) -> Any:
            if len(args) != nargs:
                raise EvalError(f"{name}() takes {nargs} argument{'s' if nargs > 1 else ''}")
            try:
                return f(scope, *args)
            except _Outside as out:
                return out.unknown

        FUNCTIONS[name] = call

    return deco


@_guarded("file", 1)
def _file(scope: Any, p: Any) -> Any:
    return _text(scope, p, "file")


@_guarded("filebase64", 1)
def _filebase64(scope: Any, p: Any) -> Any:
    return base64.b64encode(_read(scope, p, "filebase64")).decode()


for _name, _algo, _b64 in (
    ("filemd5", "md5", False),
    ("filesha1", "sha1", False),
    ("filesha256", "sha256", False),
    ("filesha512", "sha512", False),
    ("filebase64sha256", "sha256", True),
    ("filebase64sha512", "sha512", True),
):

    def _hash(scope: Any, p: Any, _algo: str = _algo, _b64: bool = _b64, _name: str = _name) -> Any:
        digest = hashlib.new(_algo, _read(scope, p, _name))
        return base64.b64encode(digest.digest()).decode() if _b64 else digest.hexdigest()

    _guarded(_name, 1)(_hash)


@_guarded("fileexists", 1)
def _fileexists(scope: Any, p: Any) -> Any:
    path = _resolve(scope, p, "fileexists")
    return path.is_file()


@_guarded("fileset", 2)
def _fileset(scope: Any, p: Any, pattern: Any) -> Any:
    base = _resolve(scope, p, "fileset")
    pat = to_str(pattern)
    out: list[str] = []
    if not base.is_dir():
        return out
    seen = 0
    for dirpath, dirnames, filenames in os.walk(base):
        dirnames[:] = sorted(d for d in dirnames if not os.path.islink(os.path.join(dirpath, d)))
        for fname in sorted(filenames):
            seen += 1
            if seen > MAX_COLLECTION * 5:
                return Unknown("fileset(): too many files to list")
            rel = Path(dirpath, fname).relative_to(base).as_posix()
            if _glob_match(rel, pat):
                out.append(rel)
                if len(out) > MAX_COLLECTION:
                    return Unknown(f"fileset(): more than {MAX_COLLECTION} files")
    return sorted(out)


def _glob_match(rel: str, pattern: str) -> bool:
    if "**" not in pattern:
        return rel.count("/") == pattern.count("/") and fnmatch.fnmatchcase(rel, pattern)
    # "**/" matches zero or more directories
    regex = fnmatch.translate(pattern).replace(".*.*/", "(?:.*/)?")
    import re

    return re.match(regex, rel) is not None


def templatefile_parts(scope: Any, args: list[Any]) -> tuple[Any, dict[str, Any]] | Unknown:
    """``templatefile(path, vars)``: the parsed template and its variables, or an Unknown (a path outside the scanned
    tree). The evaluator renders it (``evaluate._templatefile``): it is the one that evaluates expressions."""
    if len(args) != 2:
        raise EvalError("templatefile() takes 2 arguments")
    p, variables = args
    try:
        text = _text(scope, p, "templatefile")
        tpl = parse_template(text, to_str(p))
        names = to_map(variables, "templatefile() variables")
    except _Outside as out:
        return out.unknown
    return tpl, dict(names)


_template_cache: dict[str, Any] = {}


def parse_template(text: str, name: str) -> Any:
    """A template file's syntax tree (the text is parsed as the body of a heredoc)."""
    from .hcl import parse_bytes
    from .syntax import Bad, Template

    cached = _template_cache.get(text)
    if cached is not None:
        return cached
    marker = _TEMPLATE_MARKER
    while marker in text:
        marker += "_"
    wrapped = f"x = <<{marker}\n{text}\n{marker}\n".encode()
    f = parse_bytes(wrapped, Path(name), name)
    attr = f.body.attributes.get("x")
    if f.error is not None or attr is None:
        why = f.error.reason if f.error else "no content"
        line = f" at line {f.error.line - 1}" if f.error and f.error.line else ""
        tpl: Any = Bad(f"template {name} does not parse: {why}{line}")
    else:
        tpl = attr.expr
        if isinstance(tpl, Template) and tpl.parts and isinstance(tpl.parts[-1], str):
            last = tpl.parts[-1][:-1] if tpl.parts[-1].endswith("\n") else tpl.parts[-1]
            tpl = Template(tpl.parts[:-1] + ((last,) if last else ()))
            if not tpl.parts:
                from .syntax import Lit

                tpl = Lit("")
    if len(_template_cache) > 128:
        _template_cache.clear()
    _template_cache[text] = tpl
    return tpl


# --- path strings (no file access) -------------------------------------------------------------

FUNCTIONS["basename"] = lambda scope, args: (
    posixpath.basename(to_str(args[0]).rstrip("/")) if len(args) == 1 else _arity("basename")
)
FUNCTIONS["dirname"] = lambda scope, args: (posixpath.dirname(to_str(args[0])) or ".") if len(args) == 1 else _arity("dirname")
FUNCTIONS["pathexpand"] = lambda scope, args: Unknown("pathexpand() depends on the home directory of the run")


def _abspath(scope: Any, args: list[Any]) -> Any:
    if len(args) != 1:
        _arity("abspath")
    p = Path(to_str(args[0]))
    if not p.is_absolute():
        p = scope.session.root_dir / p
    return os.path.normpath(p.as_posix())


FUNCTIONS["abspath"] = _abspath


def _arity(name: str) -> Any:
    raise EvalError(f"{name}() takes one argument")
