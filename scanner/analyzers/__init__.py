"""Analyzers written once and named by policies (``check: {analyzer: NAME}``).

An analyzer is the module of this package named as the policies name it (``analyzer: least_privilege`` is
``least_privilege.py``) with one entry function, ``check(resource, ctx, params) -> Verdict``. Modules whose name
starts with ``_`` hold what several analyzers share; they are not analyzers.

The registry is ``NAMES`` below: the names are the modules, so there is no table of where each one's code is (and
no discovery by file name: a meta-test checks that ``NAMES`` and the package's modules agree). A policy naming an
analyzer that is not here fails when the pack loads, naming the policy file and the reason; a module without a
callable ``check`` fails the first time it is called (tests/test_pack.py calls every one). A module is imported
the first time a policy calls it, so a scan pays only for the analyzers its resources need.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from importlib import import_module
from typing import Any

Analyzer = Callable[..., Any]

#: the entry function every analyzer module defines
ENTRY = "check"

#: the analyzers: each name is the module of this package that implements it
NAMES: tuple[str, ...] = (
    "agentcore_resource_policy",
    "agentcore_tool_isolation",
    "approved_model",
    "bedrock_api_keys",
    "broad_managed_policies",
    "collaborator_guardrails",
    "cost_controls",
    "customer_managed_key",
    "flow_guardrails",
    "function_invoke_policy",
    "gateway_web_acl",
    "gateway_write_tools",
    "harmful_content_filters",
    "irreversible_actions",
    "least_privilege",
    "legacy_model",
    "log_delivery",
    "marketplace_subscribe",
    "off_switch",
    "operator_sessions",
    "permissions_boundary",
    "privilege_escalation",
    "registered_guardrail",
    "runtime_image_repository",
    "runtime_network",
    "secret_parameter",
    "secret_protection",
    "secrets_in_agent_text",
    "secrets_in_environment",
    "shared_execution_role",
    "trust_policy",
    "unused_permissions",
    "vpc_endpoint_hardening",
    "vector_store_key",
    "vector_store_public",
    "vpc_interface_endpoints",
)


class _Registry(Mapping[str, Analyzer]):
    def __init__(self, names: tuple[str, ...]):
        self._names = names
        self._known = frozenset(names)
        self._loaded: dict[str, Analyzer] = {}

    def __getitem__(self, name: str) -> Analyzer:
        fn = self._loaded.get(name)
        if fn is None:
            if name not in self._known:
                raise KeyError(name)
            module = import_module(f"{__name__}.{name}")
            fn = getattr(module, ENTRY, None)
            if not callable(fn):
                raise TypeError(f"analyzer module {module.__name__} has no {ENTRY}() function")
            self._loaded[name] = fn
        return fn

    def __iter__(self) -> Iterator[str]:
        return iter(self._names)

    def __len__(self) -> int:
        return len(self._names)

    def __contains__(self, name: object) -> bool:
        return name in self._known


ANALYZERS: Mapping[str, Analyzer] = _Registry(NAMES)
