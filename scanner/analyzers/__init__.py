"""Analyzers written once and named by policies (``check: {analyzer: NAME}``).

The registry is this explicit table; a policy naming an analyzer that is not
here fails when the pack loads.
"""

from __future__ import annotations

from typing import Any, Callable

from . import least_privilege, network, oversight, secrets

Analyzer = Callable[..., Any]

ANALYZERS: dict[str, Analyzer] = {
    "least_privilege": least_privilege.check,
    "secrets_in_environment": secrets.check_environment,
    "vpc_interface_endpoints": network.check_endpoints,
    "vpc_endpoint_hardening": network.check_endpoint_hardening,
    "secrets_in_agent_text": secrets.check_agent_text,
    "secret_parameter": secrets.check_parameter,
    "secret_protection": secrets.check_secret_protection,
    "irreversible_actions": oversight.check_confirmation,
}
