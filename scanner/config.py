"""Configuration: ``agentgov.toml`` or ``[tool.agentgov]`` in pyproject.toml.

Every parameter a policy reads is declared in ``policies/parameters.yaml``
with its documented default. A configuration file is validated by pydantic
(from the dataclass below: its attribute docstrings are the schema's
descriptions); a bad one is a ``ConfigError`` (exit 2) naming the file, the
key and the reason. Without a file nothing is validated and pydantic is not
imported (start-up time).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

if TYPE_CHECKING:
    from pydantic import TypeAdapter


class ConfigError(Exception):
    """agentgov.toml / pyproject.toml / --config is wrong; the message names the file and the reason."""

    usage_prefix = "configuration error"  # the CLI prints "agentgov: configuration error: ..." and exits 2


@dataclass
class PolicyOverride:
    """Tuning of one policy (``[agentgov.overrides.AG203]``): the pack's file is not forked, the run records it."""

    enabled: bool = True
    """false: the policy does not run (reports and evidence list it as disabled)."""
    severity: Literal["info", "low", "medium", "high", "critical"] | None = None
    """The severity its findings carry instead of the pack's."""
    parameters: dict[str, Any] = field(default_factory=dict)
    """Parameter values for this policy only (a parameter the policy declares), over [agentgov.parameters]."""

    __pydantic_config__ = {"extra": "forbid", "use_attribute_docstrings": True}


@dataclass
class Config:
    """agentgov configuration (``[agentgov]`` in agentgov.toml, ``[tool.agentgov]`` in pyproject.toml)."""

    severity_threshold: Literal["info", "low", "medium", "high", "critical"] = "low"
    """FAIL findings at or above this severity make the exit code 1."""
    fail_on_unknown: bool = False
    """UNKNOWN findings at or above the threshold also make the exit code 1."""
    policies: list[str] = field(default_factory=list)
    """Run only these policy ids (empty: all)."""
    skip_policies: list[str] = field(default_factory=list)
    """Policy ids not to run."""
    max_file_size_mb: int = 10
    """Files larger than this are an ERROR finding instead of being parsed (1-1024)."""
    waivers: str | None = None
    """Waiver file (YAML: policy, resource or fingerprint, owner, reason, expires), relative to the working directory."""
    waiver_max_days: int = 365
    """The longest a waiver may run from the day it is read (1-3650 days): an entry expiring later is refused."""
    baseline: str | None = None
    """Baseline file (written by --write-baseline): only findings not in it decide the exit code."""
    parameters: dict[str, Any] = field(default_factory=dict)
    """Policy parameters by name (see docs/policies.md for each one's default)."""
    policy_paths: list[str] = field(default_factory=list)
    """User policy packs: directories of policy files (docs/user-policies.md), relative to this configuration file."""
    overrides: dict[str, PolicyOverride] = field(default_factory=dict)
    """Tuning by policy id: enabled, severity, per-policy parameters (docs/user-policies.md)."""

    __pydantic_config__ = {"extra": "forbid", "use_attribute_docstrings": True}

    def __post_init__(self) -> None:
        self.source: str | None = None


def config_adapter() -> TypeAdapter[Config]:
    """pydantic's validator (and JSON Schema) for ``Config``; built on demand."""
    from pydantic import TypeAdapter

    return TypeAdapter(Config)


def load_config(path: Path | None, parameters_spec: dict[str, Any] | None) -> Config:
    """Read ``path`` (or discover agentgov.toml / pyproject.toml in the cwd); ``parameters_spec`` None: the parameters
    are not checked yet (the pack they belong to is loaded from ``policy_paths``)."""
    data: dict[str, Any] | None = None
    source = None
    if path is not None:
        data = _read(path, explicit=True)
        source = str(path)
    else:
        for candidate in (Path("agentgov.toml"), Path("pyproject.toml")):
            if candidate.is_file():
                d = _read(candidate, explicit=False)
                if d is not None:
                    data, source = d, str(candidate)
                    break
    if not data:
        cfg = Config()
        cfg.source = source
        return cfg
    from pydantic import ValidationError

    try:
        cfg = config_adapter().validate_python(data)
    except ValidationError as exc:
        import dataclasses

        from .keys import validation_message

        raise ConfigError(f"{source}: {validation_message(exc, {(): [f.name for f in dataclasses.fields(Config)]})}") from None
    if not 1 <= cfg.max_file_size_mb <= 1024:
        raise ConfigError(f"{source}: max_file_size_mb: must be between 1 and 1024")
    if not 1 <= cfg.waiver_max_days <= 3650:
        raise ConfigError(f"{source}: waiver_max_days: must be between 1 and 3650")
    spec_of: dict[str, Any] = parameters_spec if parameters_spec is not None else {}
    for name, value in cfg.parameters.items() if parameters_spec is not None else ():
        spec = spec_of.get(name)
        if spec is None:
            from .keys import unknown_key

            raise ConfigError(f"{source}: parameters.{name}: {unknown_key(name, spec_of, 'parameter')}")
        if not _type_ok(spec.type, value):
            raise ConfigError(f"{source}: parameters.{name}: expected a {spec.type}, got {type(value).__name__}")
        problem = _value_problem(name, spec.type, value)
        if problem is not None:
            raise ConfigError(f"{source}: parameters.{name}: {problem}")
    cfg.source = source
    return cfg


def policy_paths(cfg: Config) -> list[Path]:
    """``policy_paths``, each relative to the configuration file's directory."""
    base = Path(cfg.source).parent if cfg.source else Path(".")
    return [base / p for p in cfg.policy_paths]


def parameter_problem(kind: str, name: str, value: Any) -> str | None:
    """Why ``value`` is not a value of a parameter of type ``kind`` (None: it is)."""
    if not _type_ok(kind, value):
        return f"expected a {kind}, got {type(value).__name__}"
    return _value_problem(name, kind, value)


def _value_problem(name: str, kind: str, value: Any) -> str | None:
    """What is wrong inside a value of the right type: every list parameter holds strings; a ``*_pattern`` compiles."""
    if kind == "list":
        for i, item in enumerate(value):
            if not isinstance(item, str):
                return f"item {i} is a {type(item).__name__}, expected a string"
    if kind == "number" and name.endswith("_threshold") and not 0 <= value <= 1:
        return f"{value} is not between 0 and 1 (a score threshold)"
    if kind == "string" and name.endswith("_pattern") and value:
        import re

        try:
            re.compile(value)
        except re.error as exc:
            return f"not a valid regular expression: {exc}"
    return None


def _type_ok(kind: str, value: Any) -> bool:
    if kind == "string":
        return isinstance(value, str)
    if kind == "integer":
        return isinstance(value, int) and not isinstance(value, bool)
    if kind == "number":
        return isinstance(value, (int, float)) and not isinstance(value, bool)
    if kind == "boolean":
        return isinstance(value, bool)
    if kind == "list":
        return isinstance(value, list)
    return False


def _read(path: Path, explicit: bool) -> dict[str, Any] | None:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read configuration: {exc.strerror or exc}") from None
    if path.name == "pyproject.toml" and b"agentgov" not in data and not explicit:
        return None  # no [tool.agentgov] section can be in it: not parsed (a project's pyproject.toml, start-up time)
    raw = _parsed(data, str(path))
    if path.name == "pyproject.toml":
        tool = raw.get("tool", {})
        section = tool.get("agentgov") if isinstance(tool, dict) else None
        if section is None:
            if explicit:
                raise ConfigError(f"{path}: no [tool.agentgov] section")
            return None
        return section
    return raw.get("agentgov", raw)


#: the TOML of a configuration file by its bytes: a run reads its configuration twice (before and after its pack is
#: known) and parses it once
_PARSED: dict[bytes, dict[str, Any]] = {}


def _parsed(data: bytes, name: str) -> dict[str, Any]:
    import copy
    import tomllib  # only when there is a file (start-up time)

    if data not in _PARSED:
        try:
            text = data.decode("utf-8").replace("\r\n", "\n").replace("\r", "\n")  # as a text-mode read gives it
            _PARSED[data] = tomllib.loads(text)
        except RecursionError:
            raise ConfigError(f"{name}: invalid TOML: nested too deeply") from None
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            raise ConfigError(f"{name}: invalid TOML: {exc}") from None
    return copy.deepcopy(_PARSED[data])


def effective_parameters(cfg: Config, parameters_spec: dict[str, Any]) -> dict[str, Any]:
    values = {name: spec.default for name, spec in parameters_spec.items()}
    values.update(cfg.parameters)
    return values


def effective(cfg: Config, parameters_spec: dict[str, Any], pack: Any = None) -> dict[str, Any]:
    """The whole effective configuration, each value with where it comes from ("default" or the file); with ``pack``,
    what ran: the user packs read, the tuning of policies, what could not be loaded, and the pack digest."""
    import dataclasses

    src = cfg.source or "default"
    defaults = Config()
    out: dict[str, Any] = {"source": cfg.source, "settings": {}, "parameters": {}}
    for f in dataclasses.fields(Config):
        if f.name == "parameters":
            continue
        value = getattr(cfg, f.name)
        if f.name == "overrides":
            value = {k: {a: b for a, b in dataclasses.asdict(v).items() if b is not None} for k, v in value.items()}
        out["settings"][f.name] = {"value": value, "from": "default" if value == getattr(defaults, f.name) else src}
    for name, spec in sorted(parameters_spec.items()):
        if "__" in name:
            continue  # a per-policy value of [overrides] (shown under "policies")
        if name in cfg.parameters:
            out["parameters"][name] = {"value": cfg.parameters[name], "from": src}
        else:
            out["parameters"][name] = {
                "value": spec.default,
                "from": "default" if spec.default is not None else "unset (the policies that read it are UNKNOWN)",
            }
    if pack is not None:
        out["policies"] = {
            "digest": pack.digest,
            "built_in": sum(1 for s in pack.sources.values() if s == "built-in"),
            "user_packs": pack.user_packs,
            "tuning": pack.tuning,
            "not_loaded": pack.not_loaded,
        }
    return out


def _toml_value(v: Any) -> str:
    import json

    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, (int, float)):
        return str(v)
    if isinstance(v, str):
        return json.dumps(v)  # a TOML basic string is JSON's string syntax for these values
    if isinstance(v, list):
        return "[" + ", ".join(_toml_value(x) for x in v) + "]"
    if isinstance(v, dict):
        return "{ " + ", ".join(f"{json.dumps(k)} = {_toml_value(x)}" for k, x in v.items()) + " }"
    return json.dumps(str(v))


def to_toml(eff: dict[str, Any]) -> str:
    """The effective configuration as an agentgov.toml (unset values commented out)."""
    lines = [f"# effective agentgov configuration (from {eff['source'] or 'defaults only'})", "[agentgov]"]
    for name, item in eff["settings"].items():
        v = item["value"]
        line = f"{name} = {_toml_value(v)}" if v is not None else f"# {name} = (unset)"
        lines.append(f"{line}  # {item['from']}")
    lines += ["", "[agentgov.parameters]"]
    for name, item in eff["parameters"].items():
        v = item["value"]
        line = f"{name} = {_toml_value(v)}" if v is not None else f"# {name} = (unset)"
        lines.append(f"{line}  # {item['from']}")
    pol = eff.get("policies")
    if pol:
        lines += ["", f"# policies that run: {pol['built_in']} built-in (pack digest {pol['digest'][:16]})"]
        for up in pol["user_packs"]:
            lines.append(f"#   user pack {up['path']}: {', '.join(up['policies']) or 'no policy loaded'}")
        for pid, t in pol["tuning"].items():
            lines.append(f"#   {pid}: {'; '.join(f'{k} {_toml_value(v)}' for k, v in t.items())}")
        for line in pol["not_loaded"]:
            lines.append(f"#   NOT LOADED: {line}")
    return "\n".join(lines) + "\n"
