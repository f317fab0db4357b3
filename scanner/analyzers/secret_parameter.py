"""Secret-looking parameters (AG404): no default, and masked (NoEcho / sensitive)."""

from __future__ import annotations

from typing import Any

from ..conditions import FAIL, PASS, UNKNOWN, EvalContext, Verdict
from ..model import Resource
from ..secret_detection import (
    PLACEHOLDER_DEFAULT,
    detect_match,
    fingerprint,
    param_fields,
)


def _truthy(v: Any) -> bool | None:
    if isinstance(v, bool):
        return v
    if isinstance(v, str):
        return v.strip().lower() == "true"
    if v is None:
        return False
    return None


def check(res: Resource, ctx: EvalContext, params: dict[str, Any]) -> Verdict:
    """AG404: a secret-looking parameter has no default and is masked (NoEcho / sensitive)."""
    f = param_fields(res)
    kind = "parameter" if res.source == "cloudformation" else "variable"
    fails: list[str] = []
    paths: list[str] = []
    unknowns: list[str] = []
    default = f["default"]
    if isinstance(default, str) and PLACEHOLDER_DEFAULT.match(default.strip()):
        default = None  # "your-api-key-here": the deployer must replace it; nothing secret is committed
    if f["has_default"] and default not in (None, "", [], {}):
        if isinstance(default, str):
            m = detect_match(default)
            shown = fingerprint(m[1], m[0]) if m else fingerprint(default, "literal")
        else:
            shown = f"a {type(default).__name__} value"
        fails.append(f"secret-looking {kind} {f['name']} has a default value ({shown}): it is stored in the template")
        paths.append(f["default_path"])
    prot = _truthy(f["protected"])
    if prot is None:
        unknowns.append(f"{kind} {f['name']}: {f['protection']} is set from a value known only at deploy time")
    elif not prot:
        fails.append(
            f"secret-looking {kind} {f['name']} lacks {f['protection']}: its value is shown in the console, plans and logs"
        )
        paths.append(f["protection_path"])
    if fails:
        return Verdict(FAIL, fails, path=paths[0])
    if unknowns:
        return Verdict(UNKNOWN, unknowns)
    return Verdict(PASS)
