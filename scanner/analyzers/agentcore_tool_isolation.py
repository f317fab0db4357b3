"""Isolation of AgentCore tools that run code or drive a browser (AG904).

A code interpreter runs code an agent wrote from text anyone may have
influenced; a browser opens pages such text points at. Both must sit in a VPC
(network mode ``VPC``), where security groups, NACLs and endpoints govern what
they reach. ``PUBLIC`` fails. A code interpreter's ``SANDBOX`` mode (no
network at all, the AWS default) is isolated but outside the organisation's
network controls: it fails with the note that it needs a waiver, so the
waiver file records who accepted it. A browser also records its sessions
(``RecordingConfig.Enabled`` with an S3 location, Terraform ``recording``),
the only trace of what an agent did on a web page.

Absent values are judged by the AWS defaults: a code interpreter without a
network mode is SANDBOX, a browser PUBLIC, recording off.
"""

from __future__ import annotations

from typing import Any

from ..conditions import FAIL, PASS, UNKNOWN, EvalContext, Verdict, unknown_reason
from ..model import MISSING, Resource, walk

_DEFAULT_MODE = {"code_interpreter": "SANDBOX", "browser": "PUBLIC"}
_MODE = "network_configuration.network_mode"


def _strings(res: Resource, path: str, default: Any) -> tuple[list[str], list[str]]:
    """(known string values, unknown reasons) at ``path``; absent gives ``default``."""
    values = [v for v in walk(res.properties, path) if v is not None]
    if not values:
        values = [default]
    known, unknown = [], []
    for v in values:
        if v is MISSING:
            v = default
        if isinstance(v, bool):
            known.append(str(v).lower())
            continue
        reason = unknown_reason(v)
        if reason is not None:
            unknown.append(reason)
        elif isinstance(v, str):
            known.append(v.upper())
        else:
            unknown.append(f"{path} has an unexpected value")
    return known, unknown


def _network(res: Resource) -> tuple[list[str], list[str]]:
    """(failure messages, unknown reasons) of the network mode."""
    what = "code interpreter" if res.kind == "code_interpreter" else "browser"
    known, unknown = _strings(res, _MODE, _DEFAULT_MODE[res.kind])
    fails: list[str] = []
    for mode in dict.fromkeys(known):
        if mode == "VPC":
            continue
        if mode == "PUBLIC":
            fails.append(f"the {what} has network mode PUBLIC: it reaches the internet outside the VPC's controls")
        elif mode == "SANDBOX":
            fails.append(
                "the code interpreter has network mode SANDBOX (the default): isolated, but outside the VPC's "
                "controls; use VPC, or record a waiver for it"
            )
        else:
            fails.append(f"the {what} has network mode {mode}, not VPC")
    return fails, [f"{_MODE}: {r}" for r in unknown]


def _recording(res: Resource) -> tuple[list[str], list[str]]:
    enabled, unknown = _strings(res, "recording_config.enabled", False)
    fails: list[str] = []
    if any(e not in ("TRUE", "true") for e in enabled):
        fails.append("browser session recording is off (RecordingConfig.Enabled is not true)")
    elif not unknown:
        buckets = [v for v in walk(res.properties, "recording_config.s3_location.bucket") if v not in (None, "", MISSING)]
        if not buckets:
            fails.append("browser session recording has no S3 location (RecordingConfig.S3Location.Bucket)")
    return fails, [f"recording_config.enabled: {r}" for r in unknown]


def check(res: Resource, ctx: EvalContext, params: dict[str, Any]) -> Verdict:
    fails, unknown = _network(res)
    path = _MODE
    if res.kind == "browser":
        rf, ru = _recording(res)
        if rf and not fails:
            path = "recording_config.enabled" if "off" in rf[0] else "recording_config"
        fails += rf
        unknown += ru
    if fails:
        return Verdict(FAIL, fails, path, evidence={"not_assessed": unknown} if unknown else {})
    if unknown:
        return Verdict(UNKNOWN, unknown, path)
    return Verdict(PASS, [], path)
