"""The explicit registry of the policy pack: which files, loaded how, checked how.

The pack is the list ``PACK`` below, not whatever files happen to be in the
folder (a meta-test checks the two agree). Loading fails fast, naming the
file and the reason, on: invalid YAML, a schema violation (pydantic, see
``schema.py``), a duplicate id, an unknown resource kind, an unknown analyzer,
an unknown relation, an unknown parameter, a file whose name differs from
its id, or a framework mapping (``frameworks.yaml``) that names a policy the
pack does not have.

The names a policy may use that the engine defines (resource kinds, relations,
analyzers) are not known here, the lowest layer: the engine hands them in as a
``Vocabulary`` (``agentgov.scanner.pack.load_pack`` does; use that one).

Validated data is cached as JSON under the user's cache directory, keyed by
the SHA-256 of every pack file and the agentgov version, so a scan's start-up
does not pay for building pydantic validators; any edit to a policy file
misses the cache and is validated again.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from collections.abc import Callable, Container, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from . import compiled
from .compiled import AnalyzerCall, Attr, Exists, ParameterSpec, PolicySpec, Related, UsedBy

try:
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

PACK_DIR = Path(__file__).resolve().parent

#: the policies of the built-in pack, in catalog order
PACK: tuple[str, ...] = (
    "AG101",
    "AG102",
    "AG103",
    "AG104",
    "AG105",
    "AG106",
    "AG107",
    "AG108",
    "AG109",
    "AG110",
    "AG111",
    "AG201",
    "AG202",
    "AG203",
    "AG204",
    "AG205",
    "AG206",
    "AG207",
    "AG208",
    "AG209",
    "AG210",
    "AG301",
    "AG302",
    "AG303",
    "AG304",
    "AG305",
    "AG306",
    "AG307",
    "AG401",
    "AG402",
    "AG403",
    "AG404",
    "AG501",
    "AG502",
    "AG601",
    "AG602",
    "AG603",
    "AG604",
    "AG605",
    "AG651",
    "AG701",
    "AG702",
    "AG703",
    "AG704",
    "AG705",
    "AG801",
    "AG802",
    "AG803",
    "AG804",
    "AG805",
    "AG806",
    "AG807",
    "AG808",
    "AG809",
    "AG901",
    "AG902",
    "AG903",
    "AG904",
    "AG905",
    "AG906",
    "AG907",
)


@dataclass(frozen=True)
class Vocabulary:
    """The names the engine defines that a policy may use; every one a policy names is checked when the pack loads."""

    kinds: Container[str]
    relations: Container[str]
    analyzers: Container[str]
    #: the operators of ``attr`` conditions the engine implements (the schema's ``AttrOp`` names them too)
    operators: Container[str]
    #: why an attribute path is not one of a kind (None: it is); user policies are checked with it
    attribute_path: Callable[[str, str], str | None] | None = None
    #: why a ``matches`` pattern is refused (None: it is accepted); user policies are checked with it
    pattern: Callable[[str], str | None] | None = None


class PackError(Exception):
    """The policy pack cannot be loaded; the message names the file and the reason."""

    usage_prefix = "policy pack error"  # the CLI prints "agentgov: policy pack error: ..." and exits 2


@dataclass
class Pack:
    policies: dict[str, PolicySpec]
    parameters: dict[str, ParameterSpec]
    files: dict[str, Path] = field(default_factory=dict)
    digest: str = ""
    #: framework id -> {"title", "url", "controls": {control id -> {"title", "policies"}}}
    frameworks: dict[str, Any] = field(default_factory=dict)
    #: policy id -> where it comes from: "built-in" or the user pack's directory (``policy_paths`` / ``--policies``)
    sources: dict[str, str] = field(default_factory=dict)
    #: user policies (or whole user packs) that could not be loaded: one line each, "file:line: reason"
    not_loaded: list[str] = field(default_factory=list)
    #: what the configuration changed in the built-in pack ("overrides"): policy id -> {disabled, severity, parameters}
    tuning: dict[str, Any] = field(default_factory=dict)
    #: the user packs that were read: {"path", "policies", "digest"}
    user_packs: list[dict[str, Any]] = field(default_factory=list)

    def mappings(self, pid: str) -> list[compiled.Mapping]:
        """The framework controls policy ``pid`` gives evidence toward, in file order."""
        out = []
        for fid, fw in self.frameworks.items():
            for cid, ctl in fw["controls"].items():
                if pid in ctl["policies"]:
                    out.append(compiled.Mapping(fid, fw["title"], cid, ctl["title"]))
        return out

    def __iter__(self):
        return iter(self.policies.values())

    def get(self, pid: str) -> PolicySpec | None:
        return self.policies.get(pid)


def cache_dir() -> Path:
    base = os.environ.get("AGENTGOV_CACHE_DIR") or os.path.join(
        os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache"), "agentgov"
    )
    return Path(base)


def _parse(path: Path, raw: bytes) -> Any:
    try:
        return yaml.load(raw.decode("utf-8"), Loader=_Loader)
    except (UnicodeDecodeError, yaml.YAMLError) as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"{path}:{mark.line + 1}" if mark is not None else str(path)
        reason = getattr(exc, "problem", None) or exc
        raise PackError(f"{where}: cannot read policy file: {reason}") from None


def _validation_errors(exc: Any) -> str:
    parts = []
    for e in exc.errors()[:5]:
        loc = ".".join(str(x) for x in e["loc"])
        parts.append(f"{loc}: {e['msg']}")
    return "; ".join(parts)


def validation_error(path: Path, raw: bytes, exc: Any) -> PackError:
    """A pydantic error as ``file:line: reason`` (the line of the first error's location)."""
    from .yaml_lines import at

    errors = exc.errors()
    loc = errors[0]["loc"] if errors else None
    return PackError(f"{at(path, raw.decode('utf-8', 'replace'), loc=loc)}: {_validation_errors(exc)}")


def _validate(
    files: dict[str, tuple[Path, bytes]], param_path: Path, param_raw: bytes, fw_path: Path, fw_raw: bytes | None
) -> dict[str, Any]:
    """Validate every file with the pydantic schema; return the validated data."""
    from pydantic import ValidationError

    from .schema import FrameworkFile, ParameterFile, Policy

    try:
        params = ParameterFile.model_validate(_parse(param_path, param_raw))
    except ValidationError as exc:
        raise validation_error(param_path, param_raw, exc) from None
    frameworks: dict[str, Any] = {}
    if fw_raw is not None:
        try:
            frameworks = FrameworkFile.model_validate(_parse(fw_path, fw_raw)).model_dump(mode="json")["frameworks"]
        except ValidationError as exc:
            raise validation_error(fw_path, fw_raw, exc) from None
    policies = []
    for _pid, (path, raw) in files.items():
        try:
            p = Policy.model_validate(_parse(path, raw))
        except ValidationError as exc:
            raise validation_error(path, raw, exc) from None
        policies.append(p.model_dump(mode="json", by_alias=True, exclude_unset=True))
    return {
        "parameters": {k: v.model_dump(mode="json") for k, v in params.parameters.items()},
        "policies": policies,
        "frameworks": frameworks,
    }


def _fail(path: Path, reason: str, key: str | None = None, value: Any = None) -> PackError:
    """A load error naming the file, the line of ``key: value`` in it (read again only now) and the reason."""
    from .yaml_lines import at

    try:
        text: str | None = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        text = None
    return PackError(f"{at(path, text, key, value)}: {reason}")


def _check(pid: str, path: Path, policy: PolicySpec, parameters: dict[str, ParameterSpec], vocabulary: Vocabulary) -> None:
    if policy.id != pid:
        raise _fail(path, f"file is named {pid} but declares id {policy.id}", "id", policy.id)
    for kind in policy.resource:
        if kind not in vocabulary.kinds:
            raise _fail(path, f"unknown resource kind {kind!r}", "resource", kind)
    for kind in policy.iac_only:
        if kind not in vocabulary.kinds:
            raise _fail(path, f"iac_only names unknown resource kind {kind!r}", kind)
    for name in policy.parameters:
        if name not in parameters:
            raise _fail(path, f"unknown parameter {name!r} (declare it in parameters.yaml)", "parameters", name)
    for cond in compiled.conditions(policy.check):
        _check_condition(path, policy, cond, vocabulary)
    for st in policy.scp_statements:
        _check_scp_statement(path, policy, st)


def _check_condition(path: Path, policy: PolicySpec, cond: Any, vocabulary: Vocabulary) -> None:
    """One condition's names: the analyzers, relations, kinds, operators and parameters it uses exist."""
    if isinstance(cond, AnalyzerCall):
        if cond.analyzer not in vocabulary.analyzers:
            raise _fail(path, f"unknown analyzer {cond.analyzer!r}", "analyzer", cond.analyzer)
        for k, v in cond.params.items():
            if isinstance(v, str) and v.startswith("$") and v[1:] not in policy.parameters:
                raise _fail(path, f"analyzer parameter {v!r} is not declared by the policy", k, v)
    if isinstance(cond, Related) and cond.related not in vocabulary.relations:
        raise _fail(path, f"unknown relation {cond.related!r}", "related", cond.related)
    if isinstance(cond, UsedBy):
        if cond.rel not in vocabulary.relations:
            raise _fail(path, f"unknown relation {cond.rel!r}", "used_by", cond.rel)
        for kind in cond.kinds:
            if kind not in vocabulary.kinds:
                raise _fail(path, f"unknown resource kind {kind!r}", "kinds", kind)
    if isinstance(cond, Exists) and cond.kind not in vocabulary.kinds:
        raise _fail(path, f"exists names unknown resource kind {cond.kind!r}", "kind", cond.kind)
    if isinstance(cond, Attr):
        if cond.op not in vocabulary.operators:
            raise _fail(path, f"unknown operator {cond.op!r}", "op", cond.op)
        if cond.param and cond.param not in policy.parameters:
            raise _fail(path, f"condition uses parameter {cond.param!r} that the policy does not declare", "param", cond.param)


def _check_scp_statement(path: Path, policy: PolicySpec, st: dict[str, Any]) -> None:
    names = set(re.findall(r"\$\{([A-Za-z_][A-Za-z0-9_]*)", json.dumps(st)))
    names |= {st["foreach"]} if st.get("foreach") else set()
    names |= set(st.get("requires") or ())
    names.discard("item")
    if "${item}" in json.dumps(st) and not st.get("foreach"):
        raise _fail(path, f"preventive statement {st['sid']} uses ${{item}} without foreach", "sid", st["sid"])
    for name in sorted(names - set(policy.parameters)):
        raise _fail(
            path, f"preventive statement {st['sid']} uses parameter {name!r} that the policy does not declare", "sid", st["sid"]
        )


def load_pack(
    directory: Path | None = None, ids: Iterable[str] | None = None, use_cache: bool = True, *, vocabulary: Vocabulary
) -> Pack:
    """Load and check the pack (the built-in one by default) against the engine's ``vocabulary``."""
    from agentgov.policies import __version__

    directory = directory or PACK_DIR
    param_path = directory / "parameters.yaml"
    try:
        param_raw = param_path.read_bytes()
    except OSError as exc:
        raise PackError(f"{param_path}: cannot read: {exc.strerror or exc}") from None
    fw_path = directory / "frameworks.yaml"
    try:
        fw_raw: bytes | None = fw_path.read_bytes()
    except FileNotFoundError:
        fw_raw = None  # a third-party pack may map no framework
    except OSError as exc:
        raise PackError(f"{fw_path}: cannot read: {exc.strerror or exc}") from None
    h = hashlib.sha256(f"agentgov {__version__}\0".encode() + param_raw + b"\0" + (fw_raw or b"") + b"\0")
    files: dict[str, tuple[Path, bytes]] = {}
    for pid in ids if ids is not None else PACK:
        if pid in files:
            raise PackError(f"{directory}: duplicate policy id {pid} in the pack list")
        path = directory / f"{pid}.yaml"
        try:
            raw = path.read_bytes()
        except OSError:
            raise PackError(f"{path}: policy {pid} is listed in the pack but its file cannot be read") from None
        h.update(pid.encode() + b"\0" + raw + b"\0")
        files[pid] = (path, raw)
    digest = h.hexdigest()

    cache = cache_dir() / f"pack-{digest}.json"
    data = None
    if use_cache:
        try:
            data = json.loads(cache.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            data = None
    if data is None:
        data = _validate(files, param_path, param_raw, fw_path, fw_raw)
        if use_cache:
            try:
                cache.parent.mkdir(parents=True, exist_ok=True)
                tmp = cache.with_suffix(f".{os.getpid()}.tmp")
                tmp.write_text(json.dumps(data), encoding="utf-8")
                os.replace(tmp, cache)
            except OSError:
                pass  # a read-only home is fine: validate every time
    parameters = {k: compiled.parameter(v) for k, v in data["parameters"].items()}
    policies: dict[str, PolicySpec] = {}
    for pid, d in zip(files, data["policies"]):
        policy = compiled.policy(d)
        path = files[pid][0]
        if policy.id in policies:
            raise PackError(f"{path}: duplicate policy id {policy.id} (also in {files[policy.id][0]})")
        _check(pid, path, policy, parameters, vocabulary)
        policies[policy.id] = policy
    frameworks = data.get("frameworks") or {}
    for fid, fw in frameworks.items():  # every mapping names a policy of this pack
        for cid, ctl in fw["controls"].items():
            missing = [p for p in ctl["policies"] if p not in policies and not (directory / f"{p}.yaml").is_file()]
            if missing:
                raise PackError(f"{fw_path}: {fid} control {cid!r} names policies the pack does not have: {', '.join(missing)}")
    return Pack(
        policies=policies,
        parameters=parameters,
        files={k: v[0] for k, v in files.items()},
        digest=digest,
        frameworks=frameworks,
    )
