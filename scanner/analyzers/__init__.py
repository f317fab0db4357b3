"""Analyzers written once and named by policies (``check: {analyzer: NAME}``).

The registry is this explicit table; a policy naming an analyzer that is not
here fails when the pack loads.
"""

from __future__ import annotations

from typing import Any, Callable

from . import least_privilege, off_switch, secrets

Analyzer = Callable[..., Any]

ANALYZERS: dict[str, Analyzer] = {
    "least_privilege": least_privilege.check,
    "secrets_in_environment": secrets.check_environment,
    "off_switch": off_switch.check,
}
