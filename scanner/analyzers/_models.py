"""Model identifiers and approved-list patterns, shared by the approved-model (AG802) and registered-guardrail (AG206)
analyzers (an account-level guardrail covers the models it names).
"""

from __future__ import annotations

import re
from typing import Any

_BEDROCK_ARN = re.compile(r"^arn:aws[a-zA-Z-]*:bedrock:[^:]*:[^:]*:(?P<type>[a-z-]+)/(?P<rest>.+)$")


TAIL = re.compile(r"(?:^|:)(?P<type>foundation-model|inference-profile)/(?P<rest>[^/]+)$")


_GEO = re.compile(r"^(?:us|us-gov|eu|apac|global|jp|au|ca)\.(?=[a-z0-9-]+\.)")


#: ARN types that route to a model the files do not show, as messages name them
OPAQUE_ROUTES = {
    "application-inference-profile": "an application inference profile",
    "provisioned-model": "a provisioned throughput",
    "default-prompt-router": "a prompt router",
    "prompt-router": "a prompt router",
}


def model_forms(text: str) -> tuple[set[str], str | None]:
    """(forms to match, ARN type) of a model identifier."""
    forms = {text}
    kind = None
    m = _BEDROCK_ARN.match(text)
    if m:
        kind = m.group("type")
        if kind in ("foundation-model", "inference-profile"):
            forms.add(m.group("rest"))
    for f in list(forms):
        base = _GEO.sub("", f, count=1)
        if base != f:
            forms.add(base)
    return forms, kind


def entry_patterns(entries: list[Any]) -> list[str]:
    out: list[str] = []
    for e in entries:
        if not isinstance(e, str) or not e:
            continue
        out.append(e)
        m = _BEDROCK_ARN.match(e)
        if m and m.group("type") in ("foundation-model", "inference-profile"):
            out.append(m.group("rest"))
    return out


def foundation_model_id(text: str) -> str | None:
    """The foundation model id a model identifier names (a model id, a foundation-model ARN, a cross-region inference
    profile id or ARN: its base model), or None for what routes to a model the identifier does not show (an
    application inference profile, a provisioned or custom model, a prompt router)."""
    m = _BEDROCK_ARN.match(text)
    if m:
        if m.group("type") not in ("foundation-model", "inference-profile"):
            return None
        text = m.group("rest")
    elif text.startswith("arn:"):
        return None
    base = _GEO.sub("", text, count=1)
    return base if re.match(r"^[a-z0-9-]+\.[A-Za-z0-9.:_-]+$", base) else None
