"""Terraform source: HCL root modules (and the local modules they call) and plan JSON.

Public API
----------
``load_terraform(root_dir, files, display_root)``
    Every managed resource of the root module in ``root_dir`` and of the local
    modules it calls, plus parse errors. ``files`` are the root's ``*.tf``
    files; ``*.tfvars`` next to them are read here (see :mod:`.variables`).
``module_dirs_called(root_dir, files)`` / ``find_root_modules(dir_files)``
    Directories used as modules by other scanned directories are not roots:
    the directory walker scans only what ``find_root_modules`` returns.
``is_plan_json(obj)`` / ``load_plan(path, obj, display_root)``
    ``terraform show -json`` output (plan or state).

Nothing here executes code, runs Terraform or reaches the network, and no
exception escapes: problems become ``ParseError`` records.
"""

from __future__ import annotations

import json
from collections.abc import Container, Iterable, Mapping
from pathlib import Path

from agentgov.scanner.model import ParseError, RawResource

from . import scope
from .config import load_config, module_tf_files
from .hcl import MAX_FILE_BYTES, load_file, may_call_modules, read_regular
from .modules import MAX_MODULE_DEPTH, ModuleInstance, is_local_source, module_source
from .plan import is_plan_json, load_plan
from .resources import EmitContext, emit_module, provider_config_key, root_default_tags
from .scope import Scope, Session, display_path
from .values import MAX_STRING, MAX_TEMPLATE_PARTS, MAX_VALUE, BudgetExhausted
from .variables import load_tfvars

__all__ = ["load_terraform", "module_dirs_called", "find_root_modules", "is_plan_json", "load_plan"]


def load_terraform(
    root_dir: Path,
    files: list[Path],
    display_root: Path,
    *,
    scan_root: Path | None = None,
    types: Container[str] | None = None,
) -> tuple[list[RawResource], list[ParseError]]:
    """Resources and parse errors of the Terraform root module in ``root_dir``.

    Files (modules, ``file()``, templates) are read only inside ``scan_root``
    (default: ``display_root`` when ``root_dir`` is inside it, else ``root_dir``).
    With ``types``, only the resources of those types are evaluated and returned (the scan passes the types it
    normalizes and judges; a reference to another resource is symbolic, as it is to any resource).
    """
    try:
        return _load(
            Path(root_dir),
            [Path(f) for f in files],
            Path(display_root),
            Path(scan_root) if scan_root is not None else None,
            types,
        )
    except Exception as exc:  # the last line of defence: never a traceback for bad input
        shown = display_path(Path(root_dir).resolve(), Path(display_root).resolve())
        return [], [ParseError(file=shown, reason=f"scanner error: {type(exc).__name__}: {exc}")]


def _load(
    root_dir: Path, files: list[Path], display_root: Path, scan_root: Path | None, types: Container[str] | None
) -> tuple[list[RawResource], list[ParseError]]:
    root = root_dir.resolve()
    shown_root = display_root.resolve()
    limit = scan_root.resolve() if scan_root is not None else shown_root
    allowed = limit if root.is_relative_to(limit) else root
    session = Session(root_dir=root, allowed_root=allowed, display_root=shown_root, budget=scope.DEFAULT_BUDGET)
    errors: list[ParseError] = []

    def display(p: Path) -> str:
        return display_path(p, shown_root)

    tf_files: list[Path] = []
    for f in files:
        # the files of a root are in root_dir: only a link needs resolving on its own
        target = (
            root / f.name if f.parent == root_dir and not f.is_symlink() else (f if f.is_absolute() else Path.cwd() / f).resolve()
        )
        if not target.is_relative_to(allowed):
            errors.append(
                ParseError(file=display(f.absolute()), reason="a link to a file outside the scanned directory; not read")
            )
            continue
        tf_files.append(target)

    session.installed_modules = installed_modules(root, allowed)
    config = load_config(root, tf_files, display)
    errors.extend(config.errors)
    tfvars = load_tfvars(root, display, lambda: Scope(None, session))
    errors.extend(tfvars.errors)
    note = ""
    if tfvars.ignored:
        listed = ", ".join(tfvars.ignored[:5]) + (", ..." if len(tfvars.ignored) > 5 else "")
        note = (
            f" (the .tfvars files {listed} were not loaded: Terraform reads them only with -var-file, and more than one exists)"
        )
    providers = {provider_config_key(p, Scope(None, session)): "" for p in config.providers}
    root_inst = ModuleInstance(
        config, session, "", ".", {}, tfvars.values, 0, (root,), {k: k for k in providers}, missing_var_note=note
    )
    stack = display(root)
    ctx = EmitContext(stack=stack, types=types)
    out: list[RawResource] = []
    try:
        ctx.default_tags, ctx.default_tags_at = root_default_tags(root_inst)
        emit_module(root_inst, ctx, out)
    except BudgetExhausted as exc:
        errors.append(
            ParseError(
                file=stack,
                reason=(
                    f"evaluation stopped {exc} (the scanner's limit for one root module);"
                    f" {len(out)} resources were evaluated, the rest are not reported"
                ),
            )
        )
    finally:
        root_inst.close()
    errors.extend(_too_large_errors(session))
    for e in session.errors:
        if e not in errors:
            errors.append(e)
    return out, errors


def _too_large_errors(session: Session) -> list[ParseError]:
    """One error per file where a value went over the size limit (what depends on it is unknown)."""
    by_file: dict[str, list[tuple[int | None, str]]] = {}
    for file, line, what in session.too_large:
        by_file.setdefault(file, []).append((line, what))
    out = []
    for file, hits in by_file.items():
        named = ", ".join(what for _line, what in hits[:3]) + (", ..." if len(hits) > 3 else "")
        out.append(
            ParseError(
                file=file,
                line=hits[0][0],
                reason=(
                    f"{named}: a value beyond the scanner's size limits ({MAX_STRING} characters or"
                    f" {MAX_TEMPLATE_PARTS} parts per string, {MAX_VALUE} units per value);"
                    " it and what depends on it are unknown"
                ),
            )
        )
    return out


def installed_modules(root: Path, allowed: Path) -> dict[str, Path]:
    """Remote modules ``terraform init`` downloaded for this root, by call key (``a.b``)."""
    manifest = root / ".terraform" / "modules" / "modules.json"
    try:
        if not manifest.is_file():
            return {}
        data = json.loads(read_regular(manifest, 4 * 1024 * 1024).decode("utf-8"))
    except (OSError, ValueError, RecursionError):
        return {}
    out: dict[str, Path] = {}
    entries = data.get("Modules") if isinstance(data, dict) else None
    for m in entries if isinstance(entries, list) else []:
        if not isinstance(m, dict) or not isinstance(m.get("Key"), str) or not isinstance(m.get("Dir"), str):
            continue
        if not m["Key"]:
            continue
        target = (root / m["Dir"]).resolve()
        if target.is_relative_to(allowed) and target.is_dir():
            out[m["Key"]] = target
    return out


# --- roots and modules -----------------------------------------------------------------------------


class _ModuleWalk:
    """What a walk of module calls learns once for all the roots it walks from: each file's local module sources (read
    and parsed once, under every name the file is reached by), each directory's real path (realpath stats every
    component of a path) and each (directory, source) call's resolved target and whether it is a directory."""

    __slots__ = ("sources_of", "real_dirs", "targets")

    def __init__(self) -> None:
        self.sources_of: dict[Path, list[str]] = {}
        self.real_dirs: dict[Path, Path] = {}
        self.targets: dict[tuple[Path, str], tuple[Path, bool]] = {}

    def sources(self, f: Path) -> list[str]:
        """The sources of the local module calls of file ``f``."""
        hit = self.sources_of.get(f)
        if hit is not None:
            return hit
        key = self.real_file(f)
        hit = self.sources_of.get(key)  # the same file, named another way (a root's files as collected, a module's resolved)
        if hit is not None:
            self.sources_of[f] = hit
            return hit
        sources: list[str] = []
        self.sources_of[f] = self.sources_of[key] = sources
        try:
            data = read_regular(key, MAX_FILE_BYTES)
        except OSError:
            return sources
        if not may_call_modules(data):
            return sources
        sf = load_file(key, f.as_posix(), data)
        if sf.error is not None:
            return sources
        for block in sf.body.blocks:
            if block.type != "module" or len(block.labels) != 1:
                continue
            src = module_source(block)
            if src is not None and is_local_source(src):
                sources.append(src)
        return sources

    def real_file(self, f: Path) -> Path:
        """``f.resolve()``: its directory's real path (resolved once per walk) joined with its name, the name itself
        resolved when it is a symlink."""
        parent = f.parent
        d = self.real_dirs.get(parent)
        if d is None:
            d = self.real_dirs[parent] = parent.resolve()
        p = d / f.name
        return p.resolve() if f.name in ("", ".", "..") or p.is_symlink() else p

    def target(self, directory: Path, src: str) -> tuple[Path, bool]:
        """The directory a call of ``src`` from ``directory`` names, resolved, and whether it is one."""
        hit = self.targets.get((directory, src))
        if hit is None:
            target = (directory / src.replace("\\", "/")).resolve()
            hit = self.targets[(directory, src)] = (target, target.is_dir())
        return hit


def module_dirs_called(root_dir: Path, files: Iterable[Path], walk: _ModuleWalk | None = None) -> set[Path]:
    """Resolved directories of the local modules ``root_dir`` calls, directly or not (``walk``: what several calls
    share)."""
    found: set[Path] = set()
    walk = _ModuleWalk() if walk is None else walk
    try:
        start = Path(root_dir).resolve()
        todo: list[tuple[Path, list[Path], int]] = [(start, [Path(f) for f in files], 0)]
        seen = {start}
        while todo:
            directory, tf_files, depth = todo.pop()
            if depth >= MAX_MODULE_DEPTH:
                continue
            for f in tf_files:
                for src in walk.sources(f):
                    target, is_dir = walk.target(directory, src)
                    if target != start:
                        found.add(target)
                    if target not in seen and is_dir:
                        seen.add(target)
                        todo.append((target, module_tf_files(target), depth + 1))
    except Exception:  # never raise; an unreadable directory simply calls nothing
        pass
    return found


def _resolved(p: Path) -> Path:
    try:
        return p.resolve()
    except (OSError, RuntimeError):  # a symlink loop
        return p.absolute()


def find_root_modules(dir_files: Mapping[Path, list[Path]]) -> list[Path]:
    """The directories to load as roots, among directories that hold ``.tf`` files.

    A directory called (directly or not) as a local module by another of these
    directories is not a root; a directory nobody calls is. Directories that
    only call each other in a cycle are all kept, so nothing goes unscanned.
    """
    resolved = {_resolved(Path(d)): Path(d) for d in dir_files}
    walk = _ModuleWalk()
    calls: dict[Path, set[Path]] = {}

    def called(orig: Path) -> set[Path]:
        hit = calls.get(orig)
        if hit is None:
            hit = calls[orig] = module_dirs_called(orig, dir_files[orig], walk)
        return hit

    called_by: dict[Path, set[Path]] = {}
    for rdir, orig in resolved.items():
        for target in called(orig):
            if target in resolved and target != rdir:
                called_by.setdefault(target, set()).add(rdir)
    roots = [orig for rdir, orig in resolved.items() if not called_by.get(rdir)]
    reached: set[Path] = set()
    for r in roots:
        reached.add(_resolved(r))
        reached |= called(r)
    for rdir, orig in resolved.items():
        if rdir not in reached:
            roots.append(orig)  # only reachable through a cycle: scan it as a root too
            reached.add(rdir)
            reached |= called(orig)
    return sorted(roots)
