"""A scan builds no reference cycles: what it drops is freed by reference counting.

scanner/heap.py keeps the cyclic garbage collector away from the objects a
scan keeps; that is only safe while the scanner's own data holds no cycles
(a cycle created during a scan waits for the end of the scan to be freed).
These tests collect with ``gc.DEBUG_SAVEALL`` around one loading step and
fail when an object of the scanner is among the cyclic garbage: a Terraform
file's attributes pointing back at their file, module instances with their
scopes and namespaces, a template's nodes.
"""

from __future__ import annotations

import gc
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from agentgov.scanner import heap
from agentgov.scanner.discover import build_inventory
from agentgov.scanner.sources.terraform import hcl, load_terraform

FIXTURES = Path(__file__).resolve().parent / "fixtures"
TF_STACK = FIXTURES / "terraform" / "agent_stack"
CDK = FIXTURES / "cdk" / "cdk.out"


@pytest.fixture
def no_collector() -> Iterator[None]:
    was = gc.isenabled()
    gc.collect()
    gc.disable()
    try:
        yield
    finally:
        gc.set_debug(0)
        gc.garbage.clear()
        if was:
            gc.enable()


def cyclic_garbage(step: Callable[[], object]) -> list[str]:
    """Type names of the scanner's objects that only the cyclic collector could free after ``step``."""
    gc.collect()
    gc.set_debug(gc.DEBUG_SAVEALL)
    try:
        step()
        gc.collect()
        return sorted({type(o).__qualname__ for o in gc.garbage if type(o).__module__.startswith("agentgov.scanner")})
    finally:
        gc.set_debug(0)
        gc.garbage.clear()


@pytest.mark.usefixtures("no_collector")
def test_a_terraform_root_with_modules_leaves_no_cycles(tmp_path: Path) -> None:
    root = tmp_path / "stack"
    shutil.copytree(TF_STACK, root)
    hcl.clear_cache()  # the files are parsed by this load, not taken from an earlier test's cache

    def load() -> None:
        raws, errors = load_terraform(root, sorted(root.glob("*.tf")), tmp_path)
        assert any(r.local_id.startswith("module.") for r in raws)  # the root and its local modules were evaluated
        hcl.clear_cache()  # what the cache held is dropped too

    assert cyclic_garbage(load) == []


@pytest.mark.usefixtures("no_collector")
def test_a_parsed_terraform_file_is_freed_without_the_cyclic_collector() -> None:
    def parse() -> None:
        f = hcl.parse_bytes(b'resource "aws_iam_role" "r" {\n  name = "x"\n  tags = { a = 1 }\n}\n', Path("m.tf"), "m.tf")
        assert f.body.blocks[0].body.attributes["tags"].expr is not None

    assert cyclic_garbage(parse) == []


@pytest.mark.usefixtures("no_collector")
def test_a_whole_inventory_leaves_no_cycles(tmp_path: Path) -> None:
    shutil.copytree(TF_STACK, tmp_path / "tf")
    shutil.copytree(CDK, tmp_path / "cdk")
    hcl.clear_cache()

    def build() -> None:
        inv = build_inventory([tmp_path])
        assert len(inv) > 10
        hcl.clear_cache()

    assert cyclic_garbage(build) == []


def test_long_lived_freezes_only_when_it_owns_the_collector() -> None:
    assert gc.get_freeze_count() == 0
    with heap.long_lived():
        kept = [{"x": i} for i in range(100)]
        heap.settle()
        assert gc.get_freeze_count() > 0
        with heap.long_lived():  # nested: the outer block stays in charge
            heap.settle()
        assert gc.get_freeze_count() > 0
    assert gc.get_freeze_count() == 0  # everything handed back to the collector
    assert len(kept) == 100
    gc.freeze()  # a process that froze objects itself keeps its own arrangement
    try:
        # The freeze count is not a stable figure (a frozen object freed by reference counting leaves it), so the
        # test asks whether an object made inside the block was frozen, and whether the process's own freeze
        # survived the block.
        with heap.long_lived():
            probe: list[object] = [{}]
            heap.settle()
            assert any(o is probe for o in gc.get_objects())  # still in the collector's sight: not frozen
        assert gc.get_freeze_count() > 0  # the process's frozen objects were not handed back
        assert heap._owner is None
    finally:
        gc.unfreeze()
