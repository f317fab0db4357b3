"""Analyzers written once and named by policies (``check: {analyzer: NAME}``).

The registry is this explicit table; a policy naming an analyzer that is not
here fails when the pack loads.
"""

from __future__ import annotations

from typing import Any, Callable

from . import boundary, encryption, escalation, function_policy, least_privilege, managed_policies, multi_agent, network, off_switch, oversight, registries, secrets, trust
from . import gateway_tools, sandbox  # AgentCore (AG902, AG904)

Analyzer = Callable[..., Any]

ANALYZERS: dict[str, Analyzer] = {
    "least_privilege": least_privilege.check,
    "secrets_in_environment": secrets.check_environment,
    "registered_guardrail": registries.check_registered_guardrail,
    "approved_model": registries.check_approved_model,
    "customer_managed_key": encryption.check_customer_managed_key,
    "collaborator_guardrails": multi_agent.check_collaborator_guardrails,
    "gateway_write_tools": gateway_tools.check,
    "agentcore_tool_isolation": sandbox.check,
    "permissions_boundary": boundary.check,
    "privilege_escalation": escalation.check,
    "trust_policy": trust.check,
    "broad_managed_policies": managed_policies.check_broad,
    "function_invoke_policy": function_policy.check,
    "vpc_interface_endpoints": network.check_endpoints,
    "vpc_endpoint_hardening": network.check_endpoint_hardening,
    "secrets_in_agent_text": secrets.check_agent_text,
    "secret_parameter": secrets.check_parameter,
    "secret_protection": secrets.check_secret_protection,
    "irreversible_actions": oversight.check_confirmation,
    "off_switch": off_switch.check,
}
