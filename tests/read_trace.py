"""Which attribute paths the engine reads, per policy and kind (a test helper).

``TracingDict`` is a dict that records every key read that finds a value (``d[k]``,
``d.get(k)``, ``k in d``) with its dotted path from the record's properties (lists are
transparent, as the condition language reads them). ``traced(inv)`` wraps every record
of an inventory; ``ReadLog.policy`` is the policy being judged (set by the caller), so a
read is attributed to (policy, kind, path).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass
class ReadLog:
    policy: str = ""
    reads: set[tuple[str, str, str]] = field(default_factory=set)  # (policy, kind, path)


class TracingDict(dict):
    __slots__ = ("_log", "_kind", "_path")

    def __init__(self, data: dict, log: ReadLog, kind: str, path: str = ""):
        super().__init__({k: _wrap(v, log, kind, f"{path}.{k}" if path else str(k)) for k, v in data.items()})
        self._log, self._kind, self._path = log, kind, path

    def _hit(self, key: Any) -> None:
        if isinstance(key, str) and self._log.policy and dict.__contains__(self, key):
            self._log.reads.add((self._log.policy, self._kind, f"{self._path}.{key}" if self._path else key))

    def __getitem__(self, key: Any) -> Any:
        self._hit(key)
        return dict.__getitem__(self, key)

    def get(self, key: Any, default: Any = None) -> Any:
        self._hit(key)
        return dict.get(self, key, default)

    def __contains__(self, key: Any) -> bool:
        self._hit(key)
        return dict.__contains__(self, key)


def _wrap(value: Any, log: ReadLog, kind: str, path: str) -> Any:
    if type(value) is dict:
        return TracingDict(value, log, kind, path)
    if type(value) is list:
        return [_wrap(v, log, kind, path) for v in value]
    return value


def traced(inv: Any, log: ReadLog) -> None:
    for r in inv:
        if type(r.properties) is dict:
            r.properties = TracingDict(r.properties, log, r.kind)
