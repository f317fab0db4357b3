"""Analyzers written once and named by policies (``check: {analyzer: NAME}``).

The registry is this explicit table; a policy naming an analyzer that is not
here fails when the pack loads.
"""

from __future__ import annotations

from typing import Any, Callable

from . import least_privilege, secrets
from . import gateway_tools, kms, sandbox  # AgentCore (AG902-AG904)

Analyzer = Callable[..., Any]

ANALYZERS: dict[str, Analyzer] = {
    "least_privilege": least_privilege.check,
    "secrets_in_environment": secrets.check_environment,
    "gateway_write_tools": gateway_tools.check,
    "customer_managed_key": kms.customer_managed_key,
    "agentcore_tool_isolation": sandbox.check,
}
