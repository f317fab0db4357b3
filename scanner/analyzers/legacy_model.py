"""Legacy models (AG809): the agent's foundation model is not one Bedrock has moved to the LEGACY state.

Live, the collector reads the model's lifecycle from Bedrock (GetFoundationModel's ``modelLifecycle``, kept as
``foundation_model_lifecycle``). In IaC the only source is agentgov's copy of the Bedrock lifecycle page
(``agentgov.scanner.model_lifecycle``): a model it lists as LEGACY (or past its end of life) on the day of the scan
fails; any other model is UNKNOWN, since a copy of a page cannot show that a model is still ACTIVE.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from .. import model_lifecycle
from ..conditions import FAIL, PASS, UNKNOWN, EvalContext, Verdict, unknown_reason
from ..model import MISSING, Expr, Ref, Resource, Unknown, seen_in, walk
from ._guardrails import ref_target
from ._models import OPAQUE_ROUTES, TAIL, foundation_model_id, model_forms

_PATH = "foundation_model"


def _model_text(v: Any, res: Resource, ctx: EvalContext) -> tuple[str | None, str | None]:
    """(model identifier, why it is not known) of one value; an application inference profile of the scan is
    followed to the model it copies."""
    target = ref_target(ctx, res, v) if isinstance(v, (Ref, Expr)) else None
    if target is not None and target.kind == "inference_profile":
        sources = [s for s in walk(target.properties, "model_source.copy_from") if s is not None and s is not MISSING]
        if len(sources) != 1:
            return None, f"the application inference profile {target.label} does not name one model it copies"
        return _model_text(sources[0], target, ctx)
    if isinstance(v, Expr):
        tail = v.parts[-1] if v.parts and isinstance(v.parts[-1], str) else ""
        m = TAIL.search(tail)
        return (m.group("rest"), None) if m else (None, f"the foundation model {v} is known only at deploy time")
    if isinstance(v, str):
        return v, None
    return None, f"the foundation model: {unknown_reason(v) or v}"


def _iac(text: str, res: Resource, today: str) -> tuple[str, str]:
    model_id = foundation_model_id(text)
    if model_id is None:
        _, kind = model_forms(text)
        route = OPAQUE_ROUTES.get(kind or "", "not a foundation model")
        return UNKNOWN, f"{text} is {route}; its lifecycle is not in the LEGACY list (the live audit reads it)"
    row = model_lifecycle.lookup(model_id)
    if row is None:
        return UNKNOWN, (
            f"the foundation model {model_id} is not in the LEGACY list ({model_lifecycle.data_version()}); "
            "its lifecycle status is read live (GetFoundationModel)"
        )
    if res.region and row.regions and res.region not in row.regions:
        return UNKNOWN, f"the foundation model {model_id} is LEGACY in {', '.join(row.regions[:5])}, not listed for {res.region}"
    status = row.status(today)
    if status == "ACTIVE":
        return UNKNOWN, f"the foundation model {model_id} becomes LEGACY on {row.legacy} ({model_lifecycle.data_version()})"
    if status == "EOL":
        return (
            FAIL,
            f"the foundation model {model_id} reached end of life on {row.eol} (LEGACY since {row.legacy}): requests to it fail",
        )
    eol = f", end of life {row.eol}" if row.eol else ""
    return FAIL, f"the foundation model {model_id} is LEGACY since {row.legacy}{eol}"


def _live(text: str, lifecycle: Any) -> tuple[str, str | None]:
    if isinstance(lifecycle, Unknown):
        return UNKNOWN, f"the lifecycle of {text}: {lifecycle.reason}"
    if not isinstance(lifecycle, dict):
        _, kind = model_forms(text)
        route = OPAQUE_ROUTES.get(kind or "", "not a foundation model")
        return UNKNOWN, f"{text} is {route}, whose foundation model the agent's record does not show"
    status = lifecycle.get("status")
    if status == "ACTIVE":
        return PASS, None
    if status == "LEGACY":
        eol = lifecycle.get("end_of_life_time")
        when = f" (end of life {eol.date().isoformat() if isinstance(eol, dt.datetime) else eol})" if eol else ""
        return FAIL, f"Bedrock reports the foundation model {text} as LEGACY{when}"
    return UNKNOWN, f"Bedrock reports the foundation model {text} with lifecycle status {status!r}"


def check(res: Resource, ctx: EvalContext, params: dict[str, Any]) -> Verdict:
    values = [v for v in walk(res.properties, _PATH) if v is not None and v != ""]
    if not values or all(v is MISSING for v in values):
        return Verdict(UNKNOWN, [f"the {res.kind} names no foundation model {seen_in(res)} ({_PATH} is not set)"], _PATH)
    today = dt.date.today().isoformat()
    fails: list[str] = []
    unknowns: list[str] = []
    for v in values:
        if v is MISSING:
            unknowns.append(f"a deployable variant of the {res.kind} names no foundation model")
            continue
        text, why = _model_text(v, res, ctx)
        if text is None:
            unknowns.append(why or "the foundation model is not known")
            continue
        if res.source == "aws":
            status, msg = _live(text, res.properties.get("foundation_model_lifecycle"))
        else:
            status, msg = _iac(text, res, today)
        (fails if status == FAIL else unknowns if status == UNKNOWN else []).append(msg or "")
    source = "bedrock:GetFoundationModel" if res.source == "aws" else model_lifecycle.data_version()
    evidence = {"lifecycle_source": source}
    if fails:
        return Verdict(FAIL, fails, _PATH, evidence=evidence)
    if unknowns:
        return Verdict(UNKNOWN, unknowns, _PATH, evidence=evidence)
    return Verdict(PASS, path=_PATH, evidence=evidence)
