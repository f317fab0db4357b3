"""One module's configuration: its files' top-level blocks sorted by kind.

``override.tf`` / ``*_override.tf`` files are merged into the blocks they
override (top-level attributes replace, nested blocks of a type replace all
blocks of that type), as Terraform does.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from agentgov.scanner.model import ParseError

from .hcl import Attribute, Block, Body, SourceFile, load_file


@dataclass(slots=True, eq=False)
class ModuleConfig:
    dir: Path  # resolved
    files: list[SourceFile] = field(default_factory=list)
    variables: dict[str, Block] = field(default_factory=dict)
    locals: dict[str, Attribute] = field(default_factory=dict)
    outputs: dict[str, Block] = field(default_factory=dict)
    resources: dict[tuple[str, str], Block] = field(default_factory=dict)
    data: dict[tuple[str, str], Block] = field(default_factory=dict)
    module_calls: dict[str, Block] = field(default_factory=dict)
    providers: list[Block] = field(default_factory=list)
    errors: list[ParseError] = field(default_factory=list)
    resource_types: set[str] = field(default_factory=set)


def is_override_file(path: Path) -> bool:
    return path.name == "override.tf" or path.name.endswith("_override.tf")


def ignored_by_terraform(name: str) -> bool:
    """Files Terraform itself does not load (hidden files and editor leftovers: ``.x.tf``, ``x.tf~``,
    ``#x.tf#``; configs.IsIgnoredFile): they must not shadow the module's real files."""
    return name.startswith(".") or name.endswith("~") or (name.startswith("#") and name.endswith("#"))


def module_tf_files(directory: Path) -> list[Path]:
    try:
        return sorted(p for p in directory.iterdir() if p.suffix == ".tf" and p.is_file() and not ignored_by_terraform(p.name))
    except OSError:
        return []


def load_config(directory: Path, files: list[Path], display: Callable[[Path], str], allowed: Path | None = None) -> ModuleConfig:
    """Parse ``files`` (all in ``directory``) into a ModuleConfig; never raises.

    A file that is a link to outside ``allowed`` is not read (an error says so).
    """
    cfg = ModuleConfig(dir=directory)
    ordered = sorted(files, key=lambda p: (is_override_file(p), p.name))
    for path in ordered:
        if allowed is not None and path.is_symlink():
            try:
                inside = path.resolve().is_relative_to(allowed)
            except (OSError, RuntimeError):
                inside = False
            if not inside:
                cfg.errors.append(
                    ParseError(file=display(path), reason="a link to a file outside the scanned directory; not read")
                )
                continue
        f = load_file(path, display(path))
        if f.error is not None:
            cfg.errors.append(f.error)
            continue
        cfg.files.append(f)
        override = is_override_file(path)
        for block in f.body.blocks:
            _add_block(cfg, block, override)
    return cfg


def _duplicate(cfg: ModuleConfig, what: str, block: Block, first: Block) -> None:
    cfg.errors.append(
        ParseError(
            file=block.file.display,
            reason=f"duplicate {what} (first declared at {first.file.display}:{first.line}); this one is ignored",
            line=block.line,
            column=block.column,
        )
    )


def _add_block(cfg: ModuleConfig, block: Block, override: bool) -> None:
    t, labels = block.type, block.labels
    if t == "locals":
        for name, attr in block.body.attributes.items():
            if name in cfg.locals and not override:
                first = cfg.locals[name]
                cfg.errors.append(
                    ParseError(
                        file=attr.file.display,
                        reason=f"duplicate local.{name} (first declared at {first.file.display}:{first.line}); this one is ignored",
                        line=attr.line,
                        column=attr.column,
                    )
                )
                continue
            cfg.locals[name] = attr
        return
    if t == "provider" and labels:
        cfg.providers.append(block)
        return
    table: dict | None = None
    key: object = None
    what = ""
    if t == "resource" and len(labels) == 2:
        table, key, what = cfg.resources, (labels[0], labels[1]), f"resource {labels[0]}.{labels[1]}"
    elif t == "data" and len(labels) == 2:
        table, key, what = cfg.data, (labels[0], labels[1]), f"data source data.{labels[0]}.{labels[1]}"
    elif t == "module" and len(labels) == 1:
        table, key, what = cfg.module_calls, labels[0], f"module {labels[0]}"
    elif t == "variable" and len(labels) == 1:
        table, key, what = cfg.variables, labels[0], f"variable {labels[0]}"
    elif t == "output" and len(labels) == 1:
        table, key, what = cfg.outputs, labels[0], f"output {labels[0]}"
    if table is None:
        return  # terraform, moved, import, check, removed...: nothing to evaluate
    if key in table:
        if override:
            table[key] = merge_override(table[key], block)
        else:
            _duplicate(cfg, what, block, table[key])
        return
    table[key] = block
    if t == "resource":
        cfg.resource_types.add(labels[0])


def merge_override(base: Block, over: Block) -> Block:
    attrs = dict(base.body.attributes)
    attrs.update(over.body.attributes)
    over_types = {b.type for b in over.body.blocks}
    blocks = [b for b in base.body.blocks if b.type not in over_types] + list(over.body.blocks)
    items: list[Attribute | Block] = list(attrs.values()) + blocks
    body = Body(attributes=attrs, blocks=blocks, items=items)
    return Block(base.type, base.labels, body, base.file, base.line, base.column, base.end_line)
