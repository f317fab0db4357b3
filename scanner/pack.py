"""Loading the policy pack against the engine's names: the one ``load_pack`` every command uses.

The pack (``agentgov.policies``) sits below the engine and cannot import it; this hands it the resource kinds,
relations, analyzers and condition operators the engine defines, so a policy naming one that does not exist fails when the pack loads,
naming its file and the reason.

``load_effective`` is what a run uses: the built-in pack, the user packs (``policy_paths`` in the configuration and
``--policies DIR``) and the configuration's ``overrides`` (a built-in disabled, its severity or a parameter changed
for it alone). A user policy that cannot be loaded is left out and named in ``Pack.not_loaded``: the built-in pack and
the other user policies still run. The digest covers all of it, so a report says exactly what ran.
"""

from __future__ import annotations

import copy
import dataclasses
import hashlib
import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from agentgov.policies import compiled
from agentgov.policies.registry import Pack, PackError, Vocabulary
from agentgov.policies.registry import load_pack as _load

__all__ = ["Pack", "PackError", "load_effective", "load_pack", "vocabulary"]


def vocabulary() -> Vocabulary:
    from .analyzers import ANALYZERS
    from .attribute_paths import problem
    from .conditions.operators import OPERATORS
    from .conditions.values import pattern_problem
    from .graph import RELATIONS
    from .kinds import ALL_KINDS

    return Vocabulary(
        kinds=ALL_KINDS,
        relations=RELATIONS,
        analyzers=ANALYZERS,
        operators=OPERATORS,
        attribute_path=problem,
        pattern=pattern_problem,
    )


def load_pack(
    directory: Path | None = None, ids: Iterable[str] | None = None, use_cache: bool = True, vocab: Vocabulary | None = None
) -> Pack:
    """Load and check the pack (the built-in one by default); a ``PackError`` names the file and the reason."""
    pack = _load(directory, ids, use_cache, vocabulary=vocab or vocabulary())
    pack.sources = {pid: "built-in" for pid in pack.policies}
    return pack


def load_effective(
    config: Path | None = None, policy_dirs: Iterable[Path] = (), use_cache: bool = True, read_config: bool = True
) -> Pack:
    """The pack a run uses: built-in, user packs (configuration first, then ``policy_dirs``) and the overrides
    (``read_config`` False: no configuration at all, as ``policies test`` runs: fixtures judge the policies as written).

    A ``ConfigError`` for a configuration that cannot be read or an override that names no policy or parameter."""
    from .config import Config, load_config, policy_paths

    cfg = load_config(config, None) if read_config else Config()
    vocab = vocabulary()
    builtin = load_pack(use_cache=use_cache, vocab=vocab)
    pack = Pack(
        policies=dict(builtin.policies),
        parameters=dict(builtin.parameters),
        files=dict(builtin.files),
        frameworks=builtin.frameworks,  # a copy of its own before a user pack's mappings are merged into it
        sources=dict(builtin.sources),
    )
    h = hashlib.sha256(builtin.digest.encode())
    taken = dict(pack.sources)
    seen: set[Path] = set()
    for d in [*policy_paths(cfg), *policy_dirs]:
        key = d.resolve()
        if key in seen:
            continue
        seen.add(key)
        from agentgov.policies.user_pack import load_user_pack  # only with a user pack (start-up time)

        up = load_user_pack(d, taken, builtin.parameters, vocab)
        pack.policies.update(up.policies)
        pack.parameters.update(up.parameters)
        pack.files.update(up.files)
        pack.sources.update({pid: str(d) for pid in up.policies})
        if pack.frameworks is builtin.frameworks:
            pack.frameworks = copy.deepcopy(builtin.frameworks)
        _merge_frameworks(pack.frameworks, up.frameworks)
        pack.not_loaded.extend(up.errors)
        pack.user_packs.append({"path": str(d), "policies": sorted(up.policies), "digest": up.digest})
        h.update(b"\0" + str(d).encode() + b"\0" + up.digest.encode())
    _apply_overrides(pack, cfg)
    h.update(b"\0overrides\0" + json.dumps(pack.tuning, sort_keys=True, default=str).encode())
    pack.digest = h.hexdigest() if (pack.user_packs or pack.tuning) else builtin.digest
    return pack


def refuse_partial(pack: Pack) -> Pack:
    """``pack`` when every user policy loaded; else a PackError naming the first that did not (for the commands that
    write files: what they write must not leave a team's policy out)."""
    if pack.not_loaded:
        more = f" (and {len(pack.not_loaded) - 1} more)" if len(pack.not_loaded) > 1 else ""
        raise PackError(f"{pack.not_loaded[0]}{more}; nothing written")
    return pack


def _merge_frameworks(into: dict[str, Any], more: dict[str, Any]) -> None:
    for fid, fw in more.items():
        if fid not in into:
            into[fid] = fw
            continue
        for cid, ctl in fw["controls"].items():
            have = into[fid]["controls"].setdefault(cid, {"title": ctl["title"], "policies": []})
            have["policies"] = [*have["policies"], *(p for p in ctl["policies"] if p not in have["policies"])]


def _apply_overrides(pack: Pack, cfg: Any) -> None:
    from .config import ConfigError, parameter_problem

    where = cfg.source or "configuration"
    for pid, o in cfg.overrides.items():
        policy = pack.policies.get(pid)
        if policy is None:
            raise ConfigError(f"{where}: overrides.{pid}: no policy {pid} (see 'agentgov policies list')")
        tuning: dict[str, Any] = {}
        if o.severity is not None and o.severity != policy.severity:
            tuning["severity"] = f"{policy.severity} -> {o.severity}"
            policy = dataclasses.replace(policy, severity=o.severity)
        for name, value in o.parameters.items():
            if name not in policy.parameters:
                declared = ", ".join(policy.parameters) or "none"
                raise ConfigError(
                    f"{where}: overrides.{pid}.parameters.{name}: {pid} reads no parameter {name!r} (it reads: {declared})"
                )
            spec = pack.parameters[name]
            problem = parameter_problem(spec.type, name, value)
            if problem:
                raise ConfigError(f"{where}: overrides.{pid}.parameters.{name}: {problem}")
            own = f"{name}__{pid}"  # this policy's own copy of the parameter
            pack.parameters[own] = compiled.ParameterSpec(f"{spec.description} ({pid} only)", spec.type, value)
            policy = _rename_parameter(policy, name, own)
            tuning.setdefault("parameters", {})[name] = value
        if not o.enabled:
            tuning["disabled"] = True
            del pack.policies[pid]
        else:
            pack.policies[pid] = policy
        if tuning:
            pack.tuning[pid] = tuning


def _rename_parameter(policy: compiled.PolicySpec, old: str, new: str) -> compiled.PolicySpec:
    """``policy`` reading parameter ``new`` wherever it read ``old`` (conditions, analyzer calls, SCP statements)."""

    def cond(c: Any) -> Any:
        if isinstance(c, compiled.Attr):
            return dataclasses.replace(
                c, param=new if c.param == old else c.param, where=cond(c.where) if c.where is not None else None
            )
        if isinstance(c, compiled.AnalyzerCall):
            return dataclasses.replace(c, params={k: (f"${new}" if v == f"${old}" else v) for k, v in c.params.items()})
        if isinstance(c, (compiled.All, compiled.AnyOf)):
            return dataclasses.replace(c, items=tuple(cond(x) for x in c.items))
        if isinstance(c, compiled.Not):
            return dataclasses.replace(c, cond=cond(c.cond))
        if isinstance(c, compiled.When):
            return dataclasses.replace(c, cond=cond(c.cond), then=cond(c.then))
        if isinstance(c, compiled.UsedBy):
            return dataclasses.replace(c, check=cond(c.check))
        if isinstance(c, (compiled.Related, compiled.Exists)):
            changes = {k: cond(getattr(c, k)) for k in ("check", "where") if hasattr(c, k) and getattr(c, k) is not None}
            return dataclasses.replace(c, **changes)
        return c

    statements = tuple(
        json.loads(
            json.dumps(st)
            .replace("${" + old + "}", "${" + new + "}")
            .replace(f'"foreach": "{old}"', f'"foreach": "{new}"')
            .replace(f'"{old}"', f'"{new}"')  # requires: [name]
        )
        for st in policy.scp_statements
    )
    return dataclasses.replace(
        policy,
        check=cond(policy.check),
        parameters=tuple(new if p == old else p for p in policy.parameters),
        scp_statements=statements,
    )
