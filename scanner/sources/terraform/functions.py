"""Terraform built-in functions, by name (:data:`FUNCTIONS`).

Each function takes ``(scope, args)``. A function that needs a concrete value
and gets a symbolic one raises ``NeedKnown`` (through the ``to_*`` helpers);
the caller turns that into an ``Unknown`` that keeps the original reason.
Functions that only move values around (``concat``, ``merge``, ``lookup``,
``element``...) let ``Ref``/``Unknown`` elements through untouched, and
``join``/``format`` build an ``Expr`` around them, so references survive.

They live in :mod:`.string_functions`, :mod:`.collection_functions`,
:mod:`.encoding_functions` (JSON/YAML, hashes, regex, CIDR) and
:mod:`.file_functions`; ``try`` and ``can`` are in the evaluator (they take
unevaluated arguments).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from . import collection_functions, encoding_functions, file_functions, string_functions
from .function_helpers import hash_key

__all__ = ["FUNCTIONS", "hash_key"]

FUNCTIONS: dict[str, Callable[[Any, list[Any]], Any]] = {}
for _module in (string_functions, collection_functions, encoding_functions, file_functions):
    FUNCTIONS.update(_module.FUNCTIONS)
