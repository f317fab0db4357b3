"""A typed view of ``Context.detail`` for the calls that list no ``absent`` error codes.

``Context.detail`` answers None only for an error code in ``absent``; a call that lists none gets an answer or
an ``Unknown``, never None. ``ask`` says so in its type, so a collector reads the answer without a None check
that could never fire.
"""

from __future__ import annotations

from typing import Any, cast

from agentgov.audit.collectors.base import Context
from agentgov.scanner.model import Unknown


def ask(ctx: Context, service: str, operation: str, *, region: str | None = None, **params: Any) -> dict[str, Any] | Unknown:
    """``ctx.detail(service, operation, ...)`` with no ``absent`` codes: the answer, or an ``Unknown`` naming the error."""
    got = ctx.detail(service, operation, region=region, **params)
    # detail() returns None only for an error code listed in `absent`, and none is listed here
    return cast("dict[str, Any] | Unknown", got)
