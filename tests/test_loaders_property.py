"""Property: mutated real IaC never makes a loader raise anything but its documented errors.

Real files from the shared corpus (CloudFormation YAML/JSON, Terraform HCL and
plan JSON) are damaged — byte flips, truncation, inserted, deleted and
duplicated lines, random unicode, tabs — and fed to every loader:

* ``yamlload.load_yaml`` / ``load_json``: value or ``LoadError``;
* ``cloudformation.parse_template``: template, ``LoadError`` or ``NotATemplate``;
  ``template_resources`` on what parsed: records and errors, never an exception;
* ``terraform.load_terraform`` / ``load_plan``: records and errors, never an
  exception, and never the catch-all "scanner error" that means an internal
  exception was caught at the last line of defence.

Examples are derandomized and the example database is off, so CI sees the same
inputs on every run.
"""

from __future__ import annotations

import csv
import json
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from agentgov.scanner.sources import terraform
from agentgov.scanner.sources.cloudformation import NotATemplate, parse_template, template_resources
from agentgov.scanner.sources.yamlload import LoadError, load_json, load_yaml

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"
PER_KIND = 40  # files sampled per kind
MAX_BYTES = 24_000  # keep each example cheap

SETTINGS = settings(
    max_examples=150,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


def _sample(kinds: tuple[str, ...]) -> list[Path]:
    """A fixed, spread-out sample of corpus files of these kinds."""
    if not CORPUS.is_dir():
        return []
    manifest = CORPUS / "MANIFEST.tsv"
    rows: list[tuple[str, Path]] = []
    if manifest.is_file():
        with manifest.open(encoding="utf-8", newline="") as fh:
            for row in csv.DictReader(fh, delimiter="\t"):
                if row.get("kind") in kinds:
                    rows.append((row["kind"], CORPUS / row["path_in_corpus"]))
    else:  # no manifest: go by suffix
        suffixes = {"cfn-yaml": (".yaml", ".yml", ".template"), "cfn-json": (".json",), "terraform": (".tf",)}
        for kind in kinds:
            for p in sorted(CORPUS.rglob("*")):
                if p.suffix in suffixes.get(kind, ()):
                    rows.append((kind, p))
    out: list[Path] = []
    for kind in kinds:
        files = sorted(p for k, p in rows if k == kind and p.is_file() and 64 <= p.stat().st_size <= MAX_BYTES)
        if files:
            step = max(1, len(files) // PER_KIND)
            out.extend(files[::step][:PER_KIND])
    return out


def _require(files: list[Path]) -> list[Path]:
    if not CORPUS.is_dir():
        pytest.skip(f"the shared corpus is not present at {CORPUS} (shared/ beside the clone)")
    if not files:
        pytest.skip(f"no sample files of this kind in {CORPUS}")
    return files


CFN_FILES = _sample(("cfn-yaml", "cfn-json"))
TF_FILES = _sample(("terraform",))
PLAN_FILES = _sample(("terraform-plan",))

# fragments that reach the loaders' corner cases when inserted as lines
FRAGMENTS = [
    b"&a [*a]",
    b"*undefined",
    b"<<: *base",
    b"? [complex, key]",
    b"!!python/object/apply:os.system [id]",
    b"!Ref",
    b"!GetAtt X.Y",
    b"!Sub '${AWS::Region}'",
    b"!If [c, a, b]",
    b"Fn::ForEach::Loop: [x, [a], {}]",
    b"Type: 42",
    b"Type: [a]",
    b"Properties: x",
    b"Resources: []",
    b"Resources:",
    b"  Resources: null",
    b"---",
    b"...",
    b"%YAML 1.1",
    b"- - - -",
    b"{",
    b"}",
    b"[",
    b"]",
    b'"',
    b"'",
    b"\\",
    b"\x00",
    b'resource "aws_iam_role" "r" {',
    b'module "m" { source = "./m" }',
    b'module "up" { source = "../" }',
    b'variable "v" {}',
    b"locals { a = local.a }",
    b"x = ${",
    b'a = "${var.nope}"',
    b'dynamic "x" {',
    b"for_each = toset([1,2])",
    b"count = 1e9",
    b"<<EOT",
    b"EOT",
    b"# comment",
    b"/* open comment",
    b'"format_version": "1.2",',
    b'"planned_values": {"root_module": {"resources": [{"type": 1}]}}',
]

# one mutation: (operation, position in [0, 1], argument)
MUTATION = st.one_of(
    st.tuples(st.just("flip"), st.floats(0, 1), st.integers(1, 255)),
    st.tuples(st.just("truncate"), st.floats(0, 1), st.none()),
    st.tuples(st.just("insert_line"), st.floats(0, 1), st.sampled_from(FRAGMENTS)),
    st.tuples(st.just("insert_line"), st.floats(0, 1), st.binary(max_size=40)),
    st.tuples(st.just("delete_lines"), st.floats(0, 1), st.integers(1, 8)),
    st.tuples(st.just("duplicate_block"), st.floats(0, 1), st.integers(1, 12)),
    st.tuples(st.just("unicode"), st.floats(0, 1), st.text(min_size=1, max_size=12)),
    st.tuples(st.just("tabs"), st.floats(0, 1), st.integers(1, 6)),
)


def mutate(data: bytes, mutations: list[tuple]) -> bytes:
    for op, where, arg in mutations:
        n = len(data)
        at = min(n, int(where * n))
        if op == "flip" and n:
            i = min(at, n - 1)
            data = data[:i] + bytes([data[i] ^ arg]) + data[i + 1 :]
        elif op == "truncate":
            data = data[:at]
        elif op in ("insert_line", "delete_lines", "duplicate_block", "tabs"):
            lines = data.split(b"\n")
            k = min(len(lines) - 1, int(where * len(lines)))
            if op == "insert_line":
                indent = lines[k][: len(lines[k]) - len(lines[k].lstrip(b" "))]
                lines.insert(k, indent + arg)
            elif op == "delete_lines":
                del lines[k : k + arg]
            elif op == "duplicate_block":
                lines[k:k] = lines[k : k + arg]
            else:  # tabs: indentation becomes tabs
                for j in range(k, min(len(lines), k + arg)):
                    stripped = lines[j].lstrip(b" ")
                    lines[j] = b"\t" * ((len(lines[j]) - len(stripped) + 1) // 2) + stripped
            data = b"\n".join(lines)
        elif op == "unicode":
            data = data[:at] + arg.encode("utf-8", "surrogatepass") + data[at:]
    return data


def _text(data: bytes) -> str:
    # the scanner refuses bytes that are not UTF-8 before any loader sees them;
    # what reaches a loader is text, so undecodable bytes become U+FFFD here
    return data.decode("utf-8", errors="replace")


@pytest.mark.skipif(not CFN_FILES, reason=f"the shared corpus is not present or empty at {CORPUS} (shared/ beside the clone)")
@SETTINGS
@given(source=st.sampled_from(CFN_FILES or [Path("none")]), mutations=st.lists(MUTATION, min_size=1, max_size=4))
def test_cloudformation_loaders_raise_only_documented_errors(source, mutations):
    _require(CFN_FILES)
    text = _text(mutate(source.read_bytes(), mutations))
    for loader in (load_yaml, load_json):
        try:
            value, marks = loader(text)
        except LoadError as exc:
            assert isinstance(exc.reason, str) and exc.reason
            assert exc.line is None or exc.line >= 1
        else:
            assert isinstance(marks, dict)
    # a .json template is also YAML; a YAML one read as JSON would only be "invalid JSON"
    for suffix in (source.suffix, ".yaml") if source.suffix == ".json" else (source.suffix,):
        path = Path("mutated").with_suffix(suffix)
        try:
            tpl = parse_template(path, path.name, text)
        except (LoadError, NotATemplate):
            continue
        raws, errors = template_resources(tpl)
        for e in errors:
            assert e.file == path.name and e.reason
        for r in raws:
            assert r.location.file == path.name


def _write_tree(root: Path, files: dict[str, bytes]) -> list[Path]:
    out = []
    for name, data in files.items():
        p = root / name
        p.write_bytes(data)
        out.append(p)
    return out


@pytest.mark.skipif(not TF_FILES, reason=f"the shared corpus is not present or empty at {CORPUS} (shared/ beside the clone)")
@SETTINGS
@given(
    sources=st.lists(st.sampled_from(TF_FILES or [Path("none")]), min_size=1, max_size=3, unique=True),
    mutations=st.lists(MUTATION, min_size=1, max_size=4),
    target=st.integers(0, 2),
)
def test_terraform_loader_raises_nothing(sources, mutations, target):
    _require(TF_FILES)
    contents = {f"f{i}.tf": src.read_bytes() for i, src in enumerate(sources)}
    name = f"f{min(target, len(sources) - 1)}.tf"
    contents[name] = mutate(contents[name], mutations)
    with tempfile.TemporaryDirectory(prefix="agentgov-prop-") as tmp:
        root = Path(tmp) / "root"
        root.mkdir()
        files = _write_tree(root, contents)
        raws, errors = terraform.load_terraform(root, files, Path(tmp))
    internal = [e.reason for e in errors if e.reason.startswith("scanner error:")]
    assert not internal, f"an internal exception reached load_terraform's last line of defence: {internal}"
    for e in errors:
        assert e.reason and e.file


@pytest.mark.skipif(not PLAN_FILES, reason=f"the shared corpus is not present or empty at {CORPUS} (shared/ beside the clone)")
@SETTINGS
@given(source=st.sampled_from(PLAN_FILES or [Path("none")]), mutations=st.lists(MUTATION, min_size=1, max_size=4))
def test_terraform_plan_loader_raises_nothing(source, mutations):
    _require(PLAN_FILES)
    text = _text(mutate(source.read_bytes(), mutations))
    try:
        obj = json.loads(text)
    except (ValueError, RecursionError):
        return  # not JSON: the directory walker reports it before the plan loader runs
    if not terraform.is_plan_json(obj):
        return
    with tempfile.TemporaryDirectory(prefix="agentgov-plan-") as tmp:
        path = Path(tmp) / "plan.json"
        path.write_text(text, encoding="utf-8")
        raws, errors = terraform.load_plan(path, obj, Path(tmp))
    internal = [e.reason for e in errors if e.reason.startswith("cannot read the plan:")]
    assert not internal, f"an internal exception reached load_plan's last line of defence: {internal}"
