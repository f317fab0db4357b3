"""How often a scan reads each file: counts, never time (the speed itself is in bench/).

A ``.tf`` file is read once to find the module calls that decide which
directories are root modules, and once when its root module is loaded; a
module shared by two roots is parsed again only when the parse cache has let
it go. Before issue 16 every file was read three to eight times.
"""

from __future__ import annotations

import builtins
import collections
import io
from pathlib import Path

import pytest

from agentgov.scanner.discover import build_inventory
from agentgov.scanner.sources.terraform import hcl

ROLE = """
resource "aws_iam_role" "r" {{
  name               = "{name}"
  assume_role_policy = jsonencode({{ Version = "2012-10-17", Statement = [] }})
}}
"""


def _tree(tmp_path: Path) -> Path:
    base = tmp_path / "repo"
    (base / "modules" / "a").mkdir(parents=True)
    (base / "modules" / "b").mkdir(parents=True)
    (base / "live" / "one").mkdir(parents=True)
    (base / "live" / "two").mkdir(parents=True)
    (base / "modules" / "b" / "main.tf").write_text(ROLE.format(name="b") + 'variable "n" {\n  default = "x"\n}\n')
    (base / "modules" / "a" / "main.tf").write_text('module "b" {\n  source = "../b"\n}\n' + ROLE.format(name="a"))
    (base / "modules" / "a" / "variables.tf").write_text('variable "v" {\n  default = 1\n}\n')
    for root in ("one", "two"):
        (base / "live" / root / "main.tf").write_text(
            'module "a" {\n  source = "../../modules/a"\n}\nmodule "b" {\n  source = "../../modules/b"\n}\n'
        )
        (base / "live" / root / "outputs.tf").write_text('output "x" {\n  value = module.a\n}\n')
    return base


@pytest.fixture
def opened(monkeypatch: pytest.MonkeyPatch) -> collections.Counter[str]:
    counts: collections.Counter[str] = collections.Counter()
    real_open = io.open  # pathlib's Path.open and read_bytes open through io.open too

    def counting_open(file, mode="r", *args, **kwargs):  # type: ignore[no-untyped-def]
        if isinstance(file, str | Path) and "r" in mode:
            counts[str(Path(file).resolve())] += 1
        return real_open(file, mode, *args, **kwargs)

    monkeypatch.setattr(builtins, "open", counting_open)
    monkeypatch.setattr(io, "open", counting_open)
    return counts


def test_each_tf_file_is_read_at_most_twice(tmp_path: Path, opened: collections.Counter[str]) -> None:
    base = _tree(tmp_path)
    hcl.clear_cache()
    inv = build_inventory([base])
    assert not inv.errors
    assert {r.id for r in inv.of_kind("role")} >= {"module.a.aws_iam_role.r", "module.a.module.b.aws_iam_role.r"}
    tf = {Path(k).relative_to(base.resolve()).as_posix(): n for k, n in opened.items() if k.endswith(".tf")}
    assert set(tf) == {p.relative_to(base).as_posix() for p in base.rglob("*.tf")}  # every file was read ...
    assert max(tf.values()) <= 2, tf  # ... at most twice (module a and b are used by both roots)
