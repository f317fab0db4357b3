"""Analyzers written once and named by policies (``check: {analyzer: NAME}``).

An analyzer is the module of this package named as the policies name it (``analyzer: least_privilege`` is
``least_privilege.py``) with one entry function, ``check(resource, ctx, params) -> Verdict``. Modules whose name
starts with ``_`` hold what several analyzers share; they are not analyzers.

The registry is the package's listing, read once (no table to keep in step): a policy naming an analyzer that has
no module here fails when the pack loads, naming the policy file and the reason; a module without a callable
``check`` fails the first time a policy calls it (tests/test_pack.py calls every one). A module is imported the
first time a policy calls it, so a scan pays only for the analyzers its resources need.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from importlib import import_module
from pkgutil import iter_modules
from typing import Any

Analyzer = Callable[..., Any]

#: the entry function every analyzer module defines
ENTRY = "check"


class _Registry(Mapping[str, Analyzer]):
    def __init__(self, names: frozenset[str]):
        self._names = names
        self._loaded: dict[str, Analyzer] = {}

    def __getitem__(self, name: str) -> Analyzer:
        fn = self._loaded.get(name)
        if fn is None:
            if name not in self._names:
                raise KeyError(name)
            module = import_module(f"{__name__}.{name}")
            fn = getattr(module, ENTRY, None)
            if not callable(fn):
                raise TypeError(f"analyzer module {module.__name__} has no {ENTRY}() function")
            self._loaded[name] = fn
        return fn

    def __iter__(self) -> Iterator[str]:
        return iter(sorted(self._names))

    def __len__(self) -> int:
        return len(self._names)

    def __contains__(self, name: object) -> bool:
        return name in self._names


def _names() -> frozenset[str]:
    return frozenset(m.name for m in iter_modules(__path__) if not m.ispkg and not m.name.startswith("_"))


ANALYZERS: Mapping[str, Analyzer] = _Registry(_names())
