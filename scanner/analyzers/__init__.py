"""Analyzers written once and named by policies (``check: {analyzer: NAME}``).

The registry is this explicit table of names to ``module:function``; a policy
naming an analyzer that is not here fails when the pack loads. An analyzer's
module is imported the first time a policy calls it, so a scan pays only for
the analyzers its resources need (start-up time of the pre-commit case).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from importlib import import_module
from typing import Any

Analyzer = Callable[..., Any]

#: analyzer name -> "module:function" (modules of this package)
TABLE: dict[str, str] = {
    "least_privilege": "least_privilege:check",
    "secrets_in_environment": "secrets:check_environment",
    "registered_guardrail": "registries:check_registered_guardrail",
    "approved_model": "registries:check_approved_model",
    "customer_managed_key": "encryption:check_customer_managed_key",
    "collaborator_guardrails": "multi_agent:check_collaborator_guardrails",
    "gateway_write_tools": "gateway_tools:check",
    "agentcore_tool_isolation": "sandbox:check",
    "permissions_boundary": "boundary:check",
    "privilege_escalation": "escalation:check",
    "trust_policy": "trust:check",
    "broad_managed_policies": "managed_policies:check_broad",
    "function_invoke_policy": "function_policy:check",
    "vpc_interface_endpoints": "network:check_endpoints",
    "vpc_endpoint_hardening": "network:check_endpoint_hardening",
    "secrets_in_agent_text": "secrets:check_agent_text",
    "secret_parameter": "secrets:check_parameter",
    "secret_protection": "secrets:check_secret_protection",
    "irreversible_actions": "oversight:check_confirmation",
    "off_switch": "off_switch:check",
    "harmful_content_filters": "harmful_content_filters:check",
}


class _Registry(Mapping[str, Analyzer]):
    def __init__(self, table: dict[str, str]):
        self._table = table
        self._loaded: dict[str, Analyzer] = {}

    def __getitem__(self, name: str) -> Analyzer:
        fn = self._loaded.get(name)
        if fn is None:
            module, _, attr = self._table[name].partition(":")
            fn = getattr(import_module(f"{__name__}.{module}"), attr)
            self._loaded[name] = fn
        return fn

    def __iter__(self) -> Iterator[str]:
        return iter(self._table)

    def __len__(self) -> int:
        return len(self._table)

    def __contains__(self, name: object) -> bool:
        return name in self._table


ANALYZERS: Mapping[str, Analyzer] = _Registry(TABLE)
