"""User policy packs: a team's own policies beside the built-in pack (``policy_paths`` in agentgov.toml, ``--policies``).

A user pack is a directory. Its policies are every ``*.yaml`` file directly in it (not in sub-directories, where
fixtures live), except ``parameters.yaml`` (the parameters its policies declare, optional) and ``frameworks.yaml``
(framework mappings of its policies, optional). Every file, not a list of them: a policy file a team adds is never
silently left out of the run because a list was not updated, and a stray YAML file is a load error, not ignored.

Each file is validated with the built-in schema (``schema.UserPolicy``: the same fields, an id in the team's own
namespace: 2-8 capital letters not starting with ``AG``, and 3-4 digits) and the built-in checks (kinds, relations,
analyzers, operators, parameters), plus what only user policies must meet: every ``attr`` path is an attribute
path of the kind it is read on, and every ``matches`` pattern is one the engine accepts. A policy that fails is not
loaded; its error (``file:line: reason``) is collected, the other policies and the built-in pack still run.
Policies are data: YAML is read with the safe loader (no tags that build objects) and nothing in a file is code.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import compiled
from .compiled import ParameterSpec, PolicySpec
from .registry import PackError, Vocabulary, _check, _parse, validation_error
from .yaml_lines import at

RESERVED = ("parameters.yaml", "frameworks.yaml")


@dataclass
class UserPack:
    directory: Path
    policies: dict[str, PolicySpec] = field(default_factory=dict)
    parameters: dict[str, ParameterSpec] = field(default_factory=dict)
    files: dict[str, Path] = field(default_factory=dict)
    frameworks: dict[str, Any] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    digest: str = ""


def policy_files(directory: Path) -> list[Path]:
    """The policy files of a user pack, by name."""
    return sorted(p for p in [*directory.glob("*.yaml"), *directory.glob("*.yml")] if p.is_file() and p.name not in RESERVED)


def load_user_pack(
    directory: Path, taken: dict[str, str], builtin_parameters: dict[str, ParameterSpec], vocabulary: Vocabulary
) -> UserPack:
    """Load one user pack; ``taken`` maps the ids already loaded (built-in and earlier user packs) to their source."""
    pack = UserPack(directory)
    h = hashlib.sha256(b"agentgov user pack\0")
    if not directory.is_dir():
        pack.errors.append(f"{directory}: user policy pack is not a directory")
        return pack
    try:
        pack.parameters = _parameters(directory, builtin_parameters, h)
        pack.frameworks = _frameworks(directory, h)
    except PackError as exc:
        pack.errors.append(f"{exc} (no policy of {directory} was loaded)")
        pack.digest = h.hexdigest()
        return pack
    parameters = {**builtin_parameters, **pack.parameters}
    for path in policy_files(directory):
        try:
            raw = path.read_bytes()
        except OSError as exc:
            pack.errors.append(f"{path}: cannot read: {exc.strerror or exc}")
            continue
        h.update(path.name.encode() + b"\0" + raw + b"\0")
        try:
            policy = _load_one(path, raw, taken, parameters, vocabulary)
        except PackError as exc:
            pack.errors.append(str(exc))
            continue
        taken[policy.id] = str(directory)
        pack.policies[policy.id] = policy
        pack.files[policy.id] = path
    for fid, fw in pack.frameworks.items():
        for cid, ctl in fw["controls"].items():
            missing = [p for p in ctl["policies"] if p not in pack.policies]
            if missing:
                pack.errors.append(
                    f"{directory / 'frameworks.yaml'}: {fid} control {cid!r} names policies this pack does not have: {', '.join(missing)}"
                )
                ctl["policies"] = [p for p in ctl["policies"] if p in pack.policies]
    pack.digest = h.hexdigest()
    return pack


def _parameters(directory: Path, builtin: dict[str, ParameterSpec], h: Any) -> dict[str, ParameterSpec]:
    from pydantic import ValidationError

    from .schema import ParameterFile

    path = directory / "parameters.yaml"
    if not path.is_file():
        return {}
    raw = path.read_bytes()
    h.update(b"parameters.yaml\0" + raw + b"\0")
    try:
        params = ParameterFile.model_validate(_parse(path, raw))
    except ValidationError as exc:
        raise validation_error(path, raw, exc) from None
    text = raw.decode("utf-8", "replace")
    for name in params.parameters:
        if name in builtin:
            raise PackError(
                f"{at(path, text, name)}: parameter {name!r} is the built-in pack's: read it without declaring it again"
            )
        if "__" in name or not name.replace("_", "a").isalnum() or not name[:1].isalpha():
            raise PackError(f"{at(path, text, name)}: parameter name {name!r} is not snake_case (letters, digits, single _)")
    return {k: compiled.parameter(v.model_dump(mode="json")) for k, v in params.parameters.items()}


def _frameworks(directory: Path, h: Any) -> dict[str, Any]:
    from pydantic import ValidationError

    from .schema import FrameworkFile

    path = directory / "frameworks.yaml"
    if not path.is_file():
        return {}
    raw = path.read_bytes()
    h.update(b"frameworks.yaml\0" + raw + b"\0")
    try:
        frameworks: dict[str, Any] = FrameworkFile.model_validate(_parse(path, raw)).model_dump(mode="json")["frameworks"]
    except ValidationError as exc:
        raise validation_error(path, raw, exc) from None
    return frameworks


def _load_one(
    path: Path, raw: bytes, taken: dict[str, str], parameters: dict[str, ParameterSpec], vocabulary: Vocabulary
) -> PolicySpec:
    from pydantic import ValidationError

    from .schema import UserPolicy

    data = _parse(path, raw)
    text = raw.decode("utf-8", "replace")
    pid = data.get("id") if isinstance(data, dict) else None
    if isinstance(pid, str) and pid in taken:
        where = "the built-in pack" if taken[pid] == "built-in" else taken[pid]
        raise PackError(f"{at(path, text, 'id', pid)}: duplicate policy id {pid}: {where} has a policy with this id")
    try:
        model = UserPolicy.model_validate(data)
    except ValidationError as exc:
        raise validation_error(path, raw, exc) from None
    policy = compiled.policy(model.model_dump(mode="json", by_alias=True, exclude_unset=True))
    _check(path.stem, path, policy, parameters, vocabulary)
    _check_paths(path, text, policy, vocabulary)
    return policy


def _check_paths(path: Path, text: str, policy: PolicySpec, vocabulary: Vocabulary) -> None:
    """Every ``attr`` path is an attribute path of the kind it is read on; every literal pattern is accepted."""
    problems: list[tuple[str, str, str]] = []  # (key, value) the line is found by, reason

    for c, kinds, prefix in compiled.attribute_reads(policy.check, policy.resource):
        full = prefix + c.attr
        if kinds is not None and vocabulary.attribute_path is not None and not c.attr.startswith("@"):
            found = [vocabulary.attribute_path(k, full) for k in kinds]
            if found and all(found):
                problems.append(("attr", c.attr, str(found[0])))
        if c.op in ("matches", "not_matches") and isinstance(c.value, str) and vocabulary.pattern is not None:
            why = vocabulary.pattern(c.value)
            if why:
                shown = c.value if len(c.value) <= 80 else c.value[:77] + "..."
                problems.append(("value", c.value, f"pattern {shown!r} refused: {why}"))
    if problems:
        key, value, reason = problems[0]
        raise PackError(f"{at(path, text, key, value)}: {reason}")
