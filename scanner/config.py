"""Configuration: ``agentgov.toml`` or ``[tool.agentgov]`` in pyproject.toml.

Validated by pydantic; every parameter a policy reads is declared in
``policies/parameters.yaml`` with its documented default. A bad configuration
is a ``ConfigError`` (exit 2) naming the file, the key and the reason.
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

SeverityName = Literal["info", "low", "medium", "high", "critical"]


class ConfigError(Exception):
    pass


class Config(BaseModel):
    """The effective configuration of a run."""

    model_config = ConfigDict(extra="forbid")

    severity_threshold: SeverityName = Field(
        "low", description="FAIL findings at or above this severity make the exit code 1"
    )
    fail_on_unknown: bool = Field(False, description="UNKNOWN findings at or above the threshold also fail the run")
    policies: list[str] = Field(default_factory=list, description="run only these policy ids (empty: all)")
    skip_policies: list[str] = Field(default_factory=list, description="policy ids not to run")
    max_file_size_mb: int = Field(10, ge=1, le=1024, description="files larger than this are an ERROR finding, not parsed")
    parameters: dict[str, Any] = Field(default_factory=dict, description="policy parameters (see docs/policies.md)")
    source: str | None = Field(None, description="where this configuration was read from", exclude=True)


def _type_ok(kind: str, value: Any) -> bool:
    if kind == "string":
        return isinstance(value, str)
    if kind == "integer":
        return isinstance(value, int) and not isinstance(value, bool)
    if kind == "boolean":
        return isinstance(value, bool)
    if kind == "list":
        return isinstance(value, list)
    return False


def load_config(path: Path | None, parameters_spec: dict[str, Any]) -> Config:
    """Read ``path`` (or discover agentgov.toml / pyproject.toml in the cwd)."""
    data: dict[str, Any] = {}
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
    try:
        cfg = Config.model_validate(data or {})
    except ValidationError as exc:
        e = exc.errors()[0]
        key = ".".join(str(x) for x in e["loc"])
        raise ConfigError(f"{source}: {key}: {e['msg']}") from None
    for name, value in cfg.parameters.items():
        spec = parameters_spec.get(name)
        if spec is None:
            known = ", ".join(sorted(parameters_spec))
            raise ConfigError(f"{source}: parameters.{name}: unknown parameter (known: {known})")
        if not _type_ok(spec.type, value):
            raise ConfigError(f"{source}: parameters.{name}: expected a {spec.type}, got {type(value).__name__}")
    cfg.source = source
    return cfg


def _read(path: Path, explicit: bool) -> dict[str, Any] | None:
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read configuration: {exc.strerror or exc}") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: invalid TOML: {exc}") from None
    if path.name == "pyproject.toml":
        section = raw.get("tool", {}).get("agentgov")
        if section is None:
            if explicit:
                raise ConfigError(f"{path}: no [tool.agentgov] section")
            return None
        return section
    return raw.get("agentgov", raw)


def effective_parameters(cfg: Config, parameters_spec: dict[str, Any]) -> dict[str, Any]:
    values = {name: spec.default for name, spec in parameters_spec.items()}
    values.update(cfg.parameters)
    return values
