"""Walk the paths to scan, read files safely, and build one Inventory from every IaC source.

Skipped: ``.git``, ``.terraform``, ``node_modules``, ``cdk.out/asset.*``, a user policy pack's ``fixtures``,
``.aws-sam`` (build copies of templates). Symlinked directories are not
followed (no loops); a symlinked file is read when it resolves to a file.
YAML/JSON that is not IaC is counted and skipped. A file that cannot be read
or parsed becomes a ``ParseError``; the walk goes on.
"""

from __future__ import annotations

import errno
import json
import os
import posixpath
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import heap
from .graph import resolve_edges
from .kinds import TYPE_TO_KIND
from .model import Inventory, ParseError, RawResource, Resource, Skipped
from .normalize import normalize
from .sources.yamlload import LoadError

SKIP_DIRS = {".git", ".terraform", "node_modules", ".aws-sam", "__pycache__", ".venv"}
CFN_SUFFIXES = {".yaml", ".yml", ".json", ".template"}
MAX_FILE_BYTES = 10 * 1024 * 1024
#: why a file was not scanned (``Inventory.skipped``; said when a scan finds no IaC file)
NOT_IAC_NAME = "not IaC by their extension"
NOT_TEMPLATE = "YAML/JSON that is not a CloudFormation template"
NOT_PLAN = "JSON that is neither a CloudFormation template nor a Terraform plan"
TF_IGNORED = "hidden or backup .tf files, which Terraform ignores"


@dataclass
class Files:
    cfn: list[tuple[Path, str]] = field(default_factory=list)  # (path, display)
    tf_dirs: dict[Path, list[Path]] = field(default_factory=dict)
    errors: list[ParseError] = field(default_factory=list)
    seen: set[Path] = field(default_factory=set)  # resolved paths: a file named twice is scanned once
    skipped: Skipped = field(default_factory=Skipped)


def display_path(path: Path, follow: bool = True, resolved: Path | None = None) -> str:
    """Path as findings show it: relative to the working directory (with ``..`` when outside it).

    ``follow=False``: a symlink is shown as itself, not as its target. ``resolved``: ``path.resolve()``,
    when the caller knows it."""
    try:
        if resolved is None:
            resolved = path.resolve() if follow else path.parent.resolve() / path.name
    except (OSError, RuntimeError):  # a looping symlink: show the link itself
        try:
            resolved = path.parent.resolve() / path.name
        except (OSError, RuntimeError):
            return path.as_posix()
    cwd = _resolved_cwd()
    try:
        return resolved.relative_to(cwd).as_posix()
    except ValueError:
        pass
    try:  # a link inside the working directory to something outside it: name the link
        return path.absolute().relative_to(cwd).as_posix()
    except ValueError:  # outside: relative with "..", as the Terraform source shows it
        try:
            return Path(os.path.relpath(resolved, cwd)).as_posix()
        except ValueError:  # another drive (Windows)
            return path.as_posix()


_cwd: tuple[str, Path] = ("", Path())


def _resolved_cwd() -> Path:
    """The working directory, resolved (once per working directory, not once per file)."""
    global _cwd
    here = os.getcwd()
    if _cwd[0] != here:
        _cwd = (here, Path(here).resolve())
    return _cwd[1]


def _skip_dir(name: str, parent: Path) -> bool:
    if name in SKIP_DIRS:
        return True
    if name == "fixtures" and _is_policy_pack_fixtures(parent / name):
        return True
    return name.startswith("asset.") and parent.name == "cdk.out"


def _is_policy_pack_fixtures(d: Path) -> bool:
    """``PACK/fixtures`` of a user policy pack (``agentgov policies test``): IaC written to fail on purpose, not the
    estate's. Recognized by a sub-directory named as a policy file beside it (``fixtures/ORG001`` and ``ORG001.yaml``)."""
    try:
        subs = [e.name for e in os.scandir(d) if e.is_dir(follow_symlinks=False)]
    except OSError:
        return False
    return any((d.parent / f"{s}.yaml").is_file() for s in subs)


def _add_file(path: Path, files: Files, resolved_dir: Path | None = None) -> None:
    """``resolved_dir``: ``path.parent.resolve()``, when the caller knows it (a directory walk resolves each
    directory once, not each file)."""
    link = path.is_symlink()
    if link:
        try:
            path.resolve(strict=True)
        except (OSError, RuntimeError) as exc:  # RuntimeError: ELOOP before Python 3.13
            if isinstance(exc, RuntimeError) or exc.errno == errno.ELOOP:
                reason = "symlink loop (the link leads back to itself); not read"
            else:
                reason = f"broken symlink: {exc.strerror or exc}; not read"
            files.errors.append(ParseError(display_path(path, follow=False), reason))
            return
    suffix = path.suffix.lower()
    if suffix != ".tf" and suffix not in CFN_SUFFIXES:
        files.skipped.add(NOT_IAC_NAME, lambda: display_path(path, follow=False))
        return
    key = resolved_dir / path.name if resolved_dir is not None and not link else path.resolve()
    if key in files.seen:
        return
    files.seen.add(key)
    if not path.is_file():  # reading a named pipe blocks, a device may never end
        files.errors.append(ParseError(display_path(path), "not a regular file (a named pipe, socket or device); not read"))
        return
    if suffix == ".tf":
        from .sources.terraform.config import ignored_by_terraform  # the Terraform source loads when a .tf file is seen

        if ignored_by_terraform(path.name):
            files.skipped.add(TF_IGNORED, lambda: display_path(path, follow=False))
            return
        files.tf_dirs.setdefault(path.parent, []).append(path)
    elif suffix in CFN_SUFFIXES:
        files.cfn.append((path, display_path(path, resolved=key)))


def collect(paths: list[Path]) -> Files:
    files = Files()
    for root in paths:
        if not root.exists() and not root.is_symlink():
            files.errors.append(ParseError(display_path(root), "no such file or directory"))
            continue
        if not root.is_dir():  # a file, a link to one, a pipe: _add_file decides
            _add_file(root, files)
            continue

        def unreadable(exc: OSError, root: Path = root) -> None:  # a directory that cannot be listed is a coverage gap
            where = Path(exc.filename) if exc.filename else root
            files.errors.append(ParseError(display_path(where), f"cannot read directory: {exc.strerror or exc}"))

        real: dict[str, Path | None] = {}  # each walked directory's real path
        for dirpath, dirnames, filenames in os.walk(root, followlinks=False, onerror=unreadable):
            d = Path(dirpath)
            dirnames[:] = sorted(n for n in dirnames if not _skip_dir(n, d))
            parent, _, base = dirpath.rpartition(os.sep)
            up = real.get(parent)
            if up is not None and base:
                rd: Path | None = up / base  # the walk does not enter linked directories: a real child of a real parent
            else:
                try:
                    rd = d.resolve()
                except (OSError, RuntimeError):
                    rd = None
            real[dirpath] = rd
            for name in sorted(filenames):
                _add_file(d / name, files, rd)
    return files


def read_text(path: Path, display: str, limit: int = MAX_FILE_BYTES) -> str:
    """The file's text, or ``LoadError`` saying why it cannot be scanned."""
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise LoadError(f"cannot read file: {exc.strerror or exc}") from None
    if size > limit:
        raise LoadError(f"file is {size / 1048576:.1f} MB, larger than the {limit // 1048576} MB limit")
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise LoadError(f"cannot read file: {exc.strerror or exc}") from None
    if b"\x00" in data[:8192]:
        raise LoadError("binary file (contains NUL bytes)")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise LoadError(f"not UTF-8 text (invalid byte at offset {exc.start})", line) from None


def _is_plan(text: str) -> bool:
    head = text[:4096]
    return '"format_version"' in head and ('"planned_values"' in text or '"resource_changes"' in text)


def build_inventory(paths: list[Path], max_file_bytes: int = MAX_FILE_BYTES, jobs: int = 1) -> Inventory:
    """Every IaC source under ``paths`` -> one Inventory with edges.

    ``jobs`` > 1: templates (by directory) and Terraform root modules are loaded and normalized in that many
    worker processes when the scan is large enough (see :mod:`.parallel`); the inventory is the same."""
    from .parallel import Loader

    files = collect(paths)
    inv = Inventory()
    inv.errors.extend(files.errors)
    inv.skipped = files.skipped

    plan_files: list[tuple[Path, str, str]] = []
    cfn_files: list[tuple[int, Path, str, str | None]] = []  # (index, path, display, the text when already read)
    for path, display in files.cfn:
        text = None
        if path.suffix.lower() == ".json":
            try:
                text = read_text(path, display, max_file_bytes)
            except LoadError as exc:
                inv.errors.append(ParseError(display, exc.reason, exc.line, exc.column))
                continue
            if _is_plan(text):
                plan_files.append((path, display, text))
                continue
        cfn_files.append((len(cfn_files), path, display, text))

    # a nested stack's template is next to its parent's: the templates of one directory load together
    groups: dict[str, list[tuple[int, Path, str, str | None]]] = {}
    for f in cfn_files:
        groups.setdefault(posixpath.dirname(f[2]), []).append(f)
    sizes = {f[1]: _size(f[1]) for f in cfn_files} | {p: _size(p) for fs in files.tf_dirs.values() for p in fs}
    work = sum(sizes.values())
    with Loader(jobs, work, len(groups) + len(files.tf_dirs)) as loader:
        # the largest directories first (see _terraform); joined in directory order
        by_size = sorted(groups, key=lambda g: -sum(sizes[f[1]] for f in groups[g])) if loader.parallel else list(groups)
        submitted = {g: loader.submit(_load_cfn_unit, groups[g], max_file_bytes) for g in by_size}
        cfn = [submitted[g] for g in groups]
        tf: list[tuple[Path, list[Path], Any]] = []
        plans: list[RawResource] = []
        cfn_errors = len(inv.errors)  # the templates' errors go here, before the Terraform part's
        if plan_files or files.tf_dirs:
            plans, tf = _terraform(files, plan_files, inv, paths, loader, sizes)
        # joined in the order of one process: parse errors by file, then each template's resolution
        parse_errors: list[tuple[int, ParseError]] = []
        resolved: list[tuple[int, list[Resource], list[ParseError], list[ParseError]]] = []
        for handle in cfn:
            pe, res, n_templates, not_templates = loader.result(handle)
            parse_errors.extend(pe)
            resolved.extend(res)
            inv.files_scanned += n_templates
            inv.files_skipped += len(not_templates)
            for display in not_templates:
                inv.skipped.add(NOT_TEMPLATE, display)
        parse_errors.sort(key=lambda x: x[0])
        resolved.sort(key=lambda x: x[0])
        load_errors = [e for _i, e in parse_errors] + [e for _i, _r, es, _n in resolved for e in es]
        inv.errors[cfn_errors:cfn_errors] = load_errors
        norm_errors: list[ParseError] = []
        for _i, resources, _es, ne in resolved:
            for res in resources:
                inv.add(res)
            norm_errors.extend(ne)
        resources, ne = normalize_all(plans)
        for res in resources:
            inv.add(res)
        norm_errors.extend(ne)
        for _d, _files, handle in tf:
            resources, errors, ne = loader.result(handle)
            for res in resources:
                inv.add(res)
            inv.errors.extend(errors)
            norm_errors.extend(ne)
    inv.errors.extend(norm_errors)
    heap.settle()
    resolve_edges(inv)
    return inv


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0


def normalize_all(raws: list[RawResource]) -> tuple[list[Resource], list[ParseError]]:
    """The normalized resources of ``raws``, in order, and an error for each one the normalizer failed on."""
    out: list[Resource] = []
    errors: list[ParseError] = []
    for n, raw in enumerate(raws, 1):
        if n % 1000 == 0:
            heap.settle()
        try:
            out.extend(normalize(raw))
        except Exception as exc:  # a normalizer bug must not end the run
            errors.append(
                ParseError(
                    raw.location.file,
                    f"internal error normalizing {raw.local_id}: {type(exc).__name__}: {exc}",
                    raw.location.line,
                )
            )
    return out, errors


def _load_cfn_unit(
    files: list[tuple[int, Path, str, str | None]], max_file_bytes: int
) -> tuple[list[tuple[int, ParseError]], list[tuple[int, list[Resource], list[ParseError], list[ParseError]]], int, list[str]]:
    """Load and normalize the templates of ``files`` (one directory's): parse errors and, per template,
    (index, resources, load errors, normalization errors)."""
    from .sources.cloudformation import load_indexed

    texts = {display: text for _i, _p, display, text in files if text is not None}

    def _read(path: Path, display: str) -> str:
        if display in texts:
            return texts.pop(display)
        return read_text(path, display, max_file_bytes)

    got = load_indexed([(i, path, display) for i, path, display, _t in files], _read)
    resolved = []
    for i, raws, errors in got.resolved:
        resources, norm_errors = normalize_all(raws)
        resolved.append((i, resources, errors, norm_errors))
    return got.parse_errors, resolved, got.templates, got.skipped_names


def _load_tf_unit(
    d: Path, tf_files: list[Path], cwd: Path, scan_root: Path
) -> tuple[list[Resource], list[ParseError], list[ParseError]]:
    """Load and normalize one Terraform root module: resources, load errors, normalization errors."""
    from .sources import terraform

    raws, errors = terraform.load_terraform(d, tf_files, cwd, scan_root=scan_root, types=TYPE_TO_KIND)
    resources, norm_errors = normalize_all(raws)
    return resources, errors, norm_errors


def _terraform(
    files: Files,
    plan_files: list[tuple[Path, str, str]],
    inv: Inventory,
    paths: list[Path],
    loader: Any,
    sizes: dict[Path, int],
) -> tuple[list[RawResource], list[tuple[Path, list[Path], Any]]]:
    """Plans (loaded here) and the Terraform root modules (handed to ``loader``, the largest first: ``sizes`` of the
    files, read once for the scan)."""
    from .sources import terraform

    raws: list[RawResource] = []
    cwd = Path.cwd()
    for path, display, text in plan_files:
        try:
            obj = json.loads(text)
        except (json.JSONDecodeError, RecursionError) as exc:
            inv.errors.append(ParseError(display, f"invalid JSON: {exc}"))
            continue
        if not terraform.is_plan_json(obj):
            inv.files_skipped += 1
            inv.skipped.add(NOT_PLAN, display)
            continue
        r, e = terraform.load_plan(path, obj, cwd, text)
        raws.extend(r)
        inv.errors.extend(e)
        inv.files_scanned += 1
    try:
        roots = set(terraform.find_root_modules(files.tf_dirs))
    except Exception as exc:  # never lose the Terraform part of a scan to the module walk
        inv.errors.append(
            ParseError(
                ".", f"Terraform module graph could not be built ({type(exc).__name__}); every directory scanned as a root"
            )
        )
        roots = set(files.tf_dirs)
    scan_roots = [(p.resolve() if p.is_dir() else p.resolve().parent) for p in paths]
    todo: list[tuple[Path, list[Path], Path]] = []
    for d, tf_files in sorted(files.tf_dirs.items()):
        inv.files_scanned += len(tf_files)
        if d not in roots:
            continue  # a module: scanned through the root that calls it
        rd = d.resolve()
        scan_root = next((r for r in sorted(scan_roots, key=lambda r: len(r.parts)) if rd.is_relative_to(r)), rd)
        todo.append((d, tf_files, scan_root))
    # the largest roots first: with workers, the last ones to finish are small (their results are joined in order)
    handles: dict[Path, Any] = {}
    order = sorted(todo, key=lambda u: -sum(sizes.get(p, 0) for p in u[1])) if loader.parallel else todo
    for d, tf_files, scan_root in order:
        handles[d] = loader.submit(_load_tf_unit, d, sorted(tf_files), cwd, scan_root)
    return raws, [(d, tf_files, handles[d]) for d, tf_files, _root in todo]
