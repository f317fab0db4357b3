"""Loading the policy pack against the engine's names: the one ``load_pack`` every command uses.

The pack (``agentgov.policies``) sits below the engine and cannot import it; this hands it the resource kinds,
relations, analyzers and condition operators the engine defines, so a policy naming one that does not exist fails when the pack loads,
naming its file and the reason.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from agentgov.policies.registry import Pack, PackError, Vocabulary
from agentgov.policies.registry import load_pack as _load

__all__ = ["Pack", "PackError", "load_pack", "vocabulary"]


def vocabulary() -> Vocabulary:
    from .analyzers import ANALYZERS
    from .conditions.operators import OPERATORS
    from .graph import RELATIONS
    from .kinds import ALL_KINDS

    return Vocabulary(kinds=ALL_KINDS, relations=RELATIONS, analyzers=ANALYZERS, operators=OPERATORS)


def load_pack(directory: Path | None = None, ids: Iterable[str] | None = None, use_cache: bool = True) -> Pack:
    """Load and check the pack (the built-in one by default); a ``PackError`` names the file and the reason."""
    return _load(directory, ids, use_cache, vocabulary=vocabulary())
