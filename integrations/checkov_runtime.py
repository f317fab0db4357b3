"""checkov check classes that judge with agentgov's policies (imported by the modules `agentgov checkov-dir` writes).

Only checkov imports this module (it imports checkov). Verdicts:

* agentgov FAIL      -> checkov FAILED (the messages are the check's details)
* agentgov PASS      -> checkov PASSED
* agentgov UNKNOWN   -> checkov SKIPPED, the reason as its comment ("agentgov UNKNOWN: ...").
  checkov's own ``CheckResult.UNKNOWN`` is left out of every checkov report,
  and nothing that cannot be settled may pass silently.
* agentgov SUPPRESSED (an inline ``agentgov`` suppression) -> SKIPPED with its reason
* nothing to judge (an agent without inline action groups, for an action-group
  policy) -> checkov UNKNOWN, i.e. no result, as ``agentgov scan`` reports none.

A CloudFormation agent holds its action groups inline; agentgov judges each one,
and checkov's single result for the agent is the worst of them (FAIL, then
UNKNOWN, then SUPPRESSED, then PASS).
"""

from __future__ import annotations

from typing import Any

from checkov.cloudformation.checks.resource.base_resource_check import BaseResourceCheck as _CfnBase
from checkov.common.models.enums import CheckCategories, CheckResult
from checkov.terraform.checks.resource.base_resource_check import BaseResourceCheck as _TfBase

from agentgov.integrations import checkov_pack
from agentgov.integrations.checkov_pack import Refused, judge


class _AgentgovCheck:
    """What both frameworks share: agentgov's verdict -> checkov's result."""

    policy_id: str
    kinds: tuple[str, ...]

    def _setup(self, policy_id: str, kinds: tuple[str, ...]) -> None:
        self.policy_id = policy_id
        self.kinds = tuple(kinds)
        self._comment: str | None = None
        self._scanned_file = ""
        self._entity_name = ""

    def run(self, scanned_file, entity_configuration, entity_name, entity_type, skip_info):  # noqa: D401
        self._comment = None
        self._scanned_file, self._entity_name = scanned_file, entity_name
        result = super().run(scanned_file, entity_configuration, entity_name, entity_type, skip_info)  # type: ignore[misc]
        if self._comment is not None and result.get("result") == CheckResult.SKIPPED and not skip_info:
            result["suppress_comment"] = self._comment
        return result

    def _verdict(self, resources: list, inv, note: str | None) -> CheckResult:
        try:
            status, msgs = judge(self.policy_id, self.kinds, resources, inv)
        except Refused as exc:
            status, msgs = "UNKNOWN", [str(exc)]
        except Exception as exc:  # an agentgov bug is a visible SKIPPED, never a silent pass
            status, msgs = "ERROR", [f"agentgov policy {self.policy_id} failed on this resource: {type(exc).__name__}: {exc}"]
        if status is None:
            if note:
                self._comment = f"agentgov UNKNOWN: {note}"
                self.details = [note]
                return CheckResult.SKIPPED
            return CheckResult.UNKNOWN
        self.details = list(msgs)
        if status == "FAIL":
            return CheckResult.FAILED
        if status == "PASS":
            return CheckResult.PASSED
        label = "agentgov suppression" if status == "SUPPRESSED" else f"agentgov {status}"
        self._comment = f"{label}: " + "; ".join(msgs)
        return CheckResult.SKIPPED


class AgentgovCfnCheck(_AgentgovCheck, _CfnBase):
    def __init__(self, policy_id: str, name: str, supported_resources: tuple[str, ...], kinds: tuple[str, ...]) -> None:
        self._setup(policy_id, kinds)
        _CfnBase.__init__(
            self, name=name, id=policy_id, categories=(CheckCategories.AI_AND_ML,), supported_resources=supported_resources
        )

    def scan_resource_conf(self, conf: dict[str, Any]) -> CheckResult:
        try:
            resources, inv, note = checkov_pack.cfn_resources(conf, self._entity_name, self._scanned_file)
        except Exception as exc:
            return self._verdict([], None, f"agentgov could not read the resource: {type(exc).__name__}: {exc}")
        return self._verdict(resources, inv, note if not resources else None)


class AgentgovTfCheck(_AgentgovCheck, _TfBase):
    def __init__(self, policy_id: str, name: str, supported_resources: tuple[str, ...], kinds: tuple[str, ...]) -> None:
        self._setup(policy_id, kinds)
        _TfBase.__init__(
            self, name=name, id=policy_id, categories=(CheckCategories.AI_AND_ML,), supported_resources=supported_resources
        )

    def scan_resource_conf(self, conf: dict[str, Any]) -> CheckResult:
        try:
            resources, inv, note = checkov_pack.tf_resources(conf, self.entity_type, self._entity_name, self._scanned_file)
        except Exception as exc:
            return self._verdict([], None, f"agentgov could not read the resource: {type(exc).__name__}: {exc}")
        return self._verdict(resources, inv, note if not resources else None)
