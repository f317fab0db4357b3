"""AWS Config's PutEvaluations, kept, and GetComplianceDetailsByConfigRule to read them back.

moto answers PutEvaluations only with ``TestMode`` and keeps nothing. Here the
evaluations a custom rule reports are kept on moto's Config backend (per
account and region, reset with the rest by ``mock_aws``), keyed by the result
token; in this double the result token stands for the rule's name (in AWS it
is an opaque token Config maps to the rule run).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from typing import Any

_KEY = "_agentgov_evaluations"


def _stored(backend: Any) -> dict[str, list[dict[str, Any]]]:
    return backend.__dict__.setdefault(_KEY, {})


def keeping_put_evaluations(original: Callable[..., Any]) -> Callable[..., Any]:
    def put_evaluations(self: Any, evaluations: Any = None, result_token: Any = None, test_mode: Any = False) -> Any:
        if test_mode or not evaluations or not result_token:
            return original(self, evaluations, result_token, test_mode)
        by_resource = {(e["ComplianceResourceType"], e["ComplianceResourceId"]): e for e in _stored(self).get(result_token, [])}
        for e in evaluations:
            by_resource[(e["ComplianceResourceType"], e["ComplianceResourceId"])] = e  # a newer evaluation replaces
        _stored(self)[result_token] = list(by_resource.values())
        return {"FailedEvaluations": []}

    return put_evaluations


def _epoch(v: Any) -> float:
    if isinstance(v, (int, float)):
        return float(v)
    if isinstance(v, str):
        try:
            return float(v)
        except ValueError:
            return dt.datetime.fromisoformat(v.replace("Z", "+00:00")).timestamp()
    if isinstance(v, dt.datetime):
        return v.timestamp()
    return 0.0


def get_compliance_details_by_config_rule(self: Any) -> str:
    name = self._get_param("ConfigRuleName")
    wanted = set(self._get_param("ComplianceTypes") or [])
    out = []
    for e in _stored(self.config_backend).get(name, []):
        if wanted and e["ComplianceType"] not in wanted:
            continue
        out.append(
            {
                "EvaluationResultIdentifier": {
                    "EvaluationResultQualifier": {
                        "ConfigRuleName": name,
                        "ResourceType": e["ComplianceResourceType"],
                        "ResourceId": e["ComplianceResourceId"],
                    },
                    "OrderingTimestamp": _epoch(e.get("OrderingTimestamp")),
                },
                "ComplianceType": e["ComplianceType"],
                "ResultRecordedTime": _epoch(e.get("OrderingTimestamp")),
                "ConfigRuleInvokedTime": _epoch(e.get("OrderingTimestamp")),
                **({"Annotation": e["Annotation"]} if e.get("Annotation") else {}),
            }
        )
    return json.dumps({"EvaluationResults": out})
