"""Bedrock's ``GetFoundationModel``, which moto 5.2 lacks: a model's details with its ``modelLifecycle``.

The catalog is agentgov's LEGACY list (``agentgov.scanner.model_lifecycle``, taken from the Bedrock user guide's
lifecycle page) answered as LEGACY with its legacy and end-of-life times (the API's status enum has ACTIVE and LEGACY
only, so a model past its EOL date is still answered LEGACY here), plus ``ACTIVE`` below: models the demo estate and
the tests use that the page does not list as Legacy. Any other id answers ResourceNotFoundException, as Bedrock does
for a model it does not offer. Tests may add to ``CATALOG`` (model id -> modelLifecycle).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from agentgov.demo.awsmock._common import NotFound
from agentgov.scanner import model_lifecycle

#: models answered ACTIVE (not on the lifecycle page's Legacy list when it was read)
ACTIVE = ("amazon.titan-embed-text-v2:0", "anthropic.claude-haiku-4-5-20251001-v1:0")

#: model id -> the modelLifecycle GetFoundationModel answers; tests may add entries
CATALOG: dict[str, dict[str, Any]] = {}


def _time(day: str | None) -> dt.datetime | None:
    return dt.datetime.fromisoformat(day).replace(tzinfo=dt.UTC) if day else None


def _lifecycle(model_id: str) -> dict[str, Any] | None:
    if model_id in CATALOG:
        return CATALOG[model_id]
    row = model_lifecycle.lookup(model_id)
    if row is not None:
        today = dt.date.today().isoformat()
        out: dict[str, Any] = {"status": "ACTIVE" if row.status(today) == "ACTIVE" else "LEGACY"}
        if out["status"] == "LEGACY":
            out["legacyTime"] = _time(row.legacy)
            if row.eol:
                out["endOfLifeTime"] = _time(row.eol)
        return out
    return {"status": "ACTIVE"} if model_id in ACTIVE else None


def _get_foundation_model(self: Any, p: dict[str, Any]) -> dict[str, Any]:
    ident = p["modelIdentifier"]
    model_id = ident.rsplit("/", 1)[-1] if ident.startswith("arn:") else ident
    lifecycle = _lifecycle(model_id)
    if lifecycle is None:
        raise NotFound(f"The model {ident} is not available in {self.region}")
    return {
        "modelDetails": {
            "modelArn": f"arn:aws:bedrock:{self.region}::foundation-model/{model_id}",
            "modelId": model_id,
            "providerName": model_id.split(".", 1)[0],
            "modelLifecycle": lifecycle,
        }
    }


OPERATIONS = (("GetFoundationModel", _get_foundation_model),)
