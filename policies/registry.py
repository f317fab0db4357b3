"""The explicit registry of the policy pack: which files, loaded how, checked how.

The pack is the list ``PACK`` below, not whatever files happen to be in the
folder (a meta-test checks the two agree). Loading fails fast, naming the
file and the reason, on: invalid YAML, a schema violation, a duplicate id, an
unknown resource kind, an unknown analyzer, an unknown parameter, or a file
whose name differs from its id.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable

import yaml
from pydantic import ValidationError

from .schema import (
    AllCondition,
    AnalyzerCondition,
    AnyCondition,
    AttrCondition,
    NotCondition,
    Parameter,
    ParameterFile,
    Policy,
    RelatedCondition,
)

try:
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

PACK_DIR = Path(__file__).resolve().parent

#: the policies of the built-in pack, in catalog order
PACK: tuple[str, ...] = (
    "AG101",
    "AG201",
    "AG301",
    "AG402",
    "AG701",
    "AG801",
)


class PackError(Exception):
    """The policy pack cannot be loaded; the message names the file and the reason."""


@dataclass
class Pack:
    policies: dict[str, Policy]
    parameters: dict[str, Parameter]
    files: dict[str, Path] = field(default_factory=dict)
    digest: str = ""

    def __iter__(self):
        return iter(self.policies.values())

    def get(self, pid: str) -> Policy | None:
        return self.policies.get(pid)


def _read(path: Path) -> Any:
    try:
        return yaml.load(path.read_text(encoding="utf-8"), Loader=_Loader)
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise PackError(f"{path}: cannot read policy file: {exc}") from None


def _errors(exc: ValidationError) -> str:
    parts = []
    for e in exc.errors()[:5]:
        loc = ".".join(str(x) for x in e["loc"])
        parts.append(f"{loc}: {e['msg']}")
    return "; ".join(parts)


def _conditions(cond: Any) -> Iterable[Any]:
    yield cond
    if isinstance(cond, AllCondition):
        for c in cond.all:
            yield from _conditions(c)
    elif isinstance(cond, AnyCondition):
        for c in cond.any:
            yield from _conditions(c)
    elif isinstance(cond, NotCondition):
        yield from _conditions(cond.not_)
    elif isinstance(cond, RelatedCondition):
        yield from _conditions(cond.check)


def load_parameters(path: Path | None = None) -> dict[str, Parameter]:
    path = path or PACK_DIR / "parameters.yaml"
    data = _read(path)
    try:
        return ParameterFile.model_validate(data).parameters
    except ValidationError as exc:
        raise PackError(f"{path}: {_errors(exc)}") from None


def load_pack(directory: Path | None = None, ids: Iterable[str] | None = None) -> Pack:
    """Load and check the pack (the built-in one by default)."""
    from agentgov.scanner.analyzers import ANALYZERS
    from agentgov.scanner.graph import RELATIONS
    from agentgov.scanner.kinds import ALL_KINDS

    directory = directory or PACK_DIR
    parameters = load_parameters(directory / "parameters.yaml")
    policies: dict[str, Policy] = {}
    files: dict[str, Path] = {}
    h = hashlib.sha256()
    for pid in ids if ids is not None else PACK:
        path = directory / f"{pid}.yaml"
        if not path.is_file():
            raise PackError(f"{path}: policy {pid} is listed in the pack but its file is missing")
        raw = path.read_bytes()
        h.update(pid.encode() + b"\0" + raw + b"\0")
        data = _read(path)
        try:
            policy = Policy.model_validate(data)
        except ValidationError as exc:
            raise PackError(f"{path}: {_errors(exc)}") from None
        if policy.id != pid:
            raise PackError(f"{path}: file is named {pid} but declares id {policy.id}")
        if policy.id in policies:
            raise PackError(f"{path}: duplicate policy id {policy.id} (also in {files[policy.id]})")
        for kind in policy.resource:
            if kind not in ALL_KINDS:
                raise PackError(f"{path}: unknown resource kind {kind!r}")
        for name in policy.parameters:
            if name not in parameters:
                raise PackError(f"{path}: unknown parameter {name!r} (declare it in parameters.yaml)")
        for cond in _conditions(policy.check):
            if isinstance(cond, AnalyzerCondition) and cond.analyzer not in ANALYZERS:
                raise PackError(f"{path}: unknown analyzer {cond.analyzer!r}")
            if isinstance(cond, RelatedCondition) and cond.related not in RELATIONS:
                raise PackError(f"{path}: unknown relation {cond.related!r}")
            if isinstance(cond, AttrCondition) and cond.param and cond.param not in policy.parameters:
                raise PackError(f"{path}: condition uses parameter {cond.param!r} that the policy does not declare")
            if isinstance(cond, AnalyzerCondition):
                for v in cond.params.values():
                    if isinstance(v, str) and v.startswith("$") and v[1:] not in policy.parameters:
                        raise PackError(f"{path}: analyzer parameter {v!r} is not declared by the policy")
        policies[policy.id] = policy
        files[policy.id] = path
    return Pack(policies=policies, parameters=parameters, files=files, digest=h.hexdigest())
