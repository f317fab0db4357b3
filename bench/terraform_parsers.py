"""tree-sitter-hcl vs python-hcl2 on every .tf file of the shared corpus.

Prints, for each parser, files/s and MB/s (CPU time of this process) and the
files it fails on. Three measurements:

* ``tree-sitter``          - ``Parser.parse`` alone (a concrete syntax tree);
* ``tree-sitter+agentgov`` - what the scanner does per file: parse, check for
                             ERROR/MISSING nodes, build the light block/attribute
                             structure with positions (expressions are
                             converted later, only when evaluated);
* ``python-hcl2``          - ``hcl2.loads`` (Lark LALR), the usual Python choice,
                             which returns dicts without positions.

Run: ``python bench/terraform_parsers.py [corpus-dir]``. Skips (exit 0) when the
corpus is absent.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path


def _corpus() -> Path:
    if len(sys.argv) > 1:
        return Path(sys.argv[1])
    return Path(__file__).resolve().parents[1].parent / "shared" / "corpus"


def _report(name: str, seconds: float, files: int, size: int, failures: list[tuple[str, str]]) -> None:
    print(
        f"{name:22} {files / seconds:8.0f} files/s {size / seconds / 1e6:6.2f} MB/s "
        f"{seconds:6.2f} s CPU  failures: {len(failures)}"
    )
    for path, why in failures:
        print(f"    {path}: {why}")


def main() -> int:
    corpus = _corpus()
    if not corpus.is_dir():
        print(f"corpus not found at {corpus}; nothing to measure")
        return 0
    paths = sorted(p for p in corpus.rglob("*.tf") if p.is_file())
    blobs = [(p.relative_to(corpus).as_posix(), p.read_bytes()) for p in paths]
    size = sum(len(b) for _, b in blobs)
    print(f"{len(blobs)} .tf files, {size / 1e6:.2f} MB, in {corpus}")

    import tree_sitter_hcl
    from tree_sitter import Language, Parser

    parser = Parser(Language(tree_sitter_hcl.language()))
    failures: list[tuple[str, str]] = []
    start = time.process_time()
    for name, data in blobs:
        if parser.parse(data).root_node.has_error:
            failures.append((name, "ERROR/MISSING node in the tree"))
    _report("tree-sitter", time.process_time() - start, len(blobs), size, failures)

    from agentgov.scanner.sources.terraform.hcl import parse_bytes

    failures = []
    start = time.process_time()
    for name, data in blobs:
        f = parse_bytes(data, Path(name), name)
        if f.error is not None:
            failures.append((name, f"{f.error.reason} at {f.error.line}:{f.error.column}"))
    _report("tree-sitter+agentgov", time.process_time() - start, len(blobs), size, failures)

    try:
        import hcl2
    except ImportError:
        print("python-hcl2 is not installed (pip install python-hcl2); not measured")
        return 0
    failures = []
    start = time.process_time()
    for name, data in blobs:
        try:
            hcl2.loads(data.decode("utf-8"))
        except Exception as exc:  # noqa: BLE001 - any failure counts
            first = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
            failures.append((name, f"{type(exc).__name__}: {first[:100]}"))
    _report("python-hcl2", time.process_time() - start, len(blobs), size, failures)
    return 0


if __name__ == "__main__":
    sys.exit(main())
