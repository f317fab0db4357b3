"""Analyzers written once and named by policies (``check: {analyzer: NAME}``).

The registry is this explicit table; a policy naming an analyzer that is not
here fails when the pack loads.
"""

from __future__ import annotations

from typing import Any, Callable

from . import boundary, escalation, function_policy, least_privilege, managed_policies, secrets, trust

Analyzer = Callable[..., Any]

ANALYZERS: dict[str, Analyzer] = {
    "least_privilege": least_privilege.check,
    "secrets_in_environment": secrets.check_environment,
    "permissions_boundary": boundary.check,
    "privilege_escalation": escalation.check,
    "trust_policy": trust.check,
    "broad_managed_policies": managed_policies.check_broad,
    "function_invoke_policy": function_policy.check,
}
