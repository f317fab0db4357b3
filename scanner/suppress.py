"""Suppressions (inline, waiver file) and baselines.

* **Inline**: ``Metadata.agentgov.ignore`` in CloudFormation, an
  ``# agentgov:ignore ID reason="..."`` comment in Terraform. The sources
  attach them to resources; ``inline`` applies them. A suppression without a
  reason is refused: the finding stays and says so.
* **Waiver file** (``--waivers FILE`` or ``waivers = "FILE"`` in the
  configuration): entries with policy, resource (id, Terraform address or ARN;
  a glob) or fingerprint, optional file glob, owner, reason and expiry date.
  A waived FAIL/UNKNOWN is SUPPRESSED with the waiver's owner and expiry; an
  **expired** waiver turns the finding into a FAIL that names the waiver.
* **Baseline** (``--write-baseline FILE``, ``--baseline FILE``): the
  fingerprints of the FAIL/UNKNOWN findings of a run. Against a baseline,
  each such finding is ``new`` or ``unchanged`` (SARIF ``baselineState``) and
  only new ones decide the exit code, so a pre-merge check fails only on
  what the change introduced.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import fnmatch
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .findings import Finding, Status
from .safe_write import write_text


class SuppressionError(Exception):
    """A waiver or baseline file cannot be used; the message names the file and the reason (exit 2)."""


# ------------------------------------------------------------------ inline


def inline(policy_id: str, suppressions: list[dict[str, Any]]) -> tuple[dict | None, str | None]:
    """(suppression record, refusal note) of the inline suppressions of a resource for ``policy_id``."""
    refusal = None
    for s in suppressions:
        ids = s.get("policy")
        ids = ids if isinstance(ids, list) else [ids]
        if "*" in ids:
            refusal = f"suppression at {s.get('file')}:{s.get('line')} refused: '*' would suppress every policy; name the policy"
            continue
        if policy_id in ids:
            if not s.get("reason"):
                refusal = f"suppression at {s.get('file')}:{s.get('line')} refused: it gives no reason"
                continue
            return {"kind": "inline", "reason": s["reason"], "source": f"{s.get('file')}:{s.get('line')}"}, None
    return None, refusal


# ------------------------------------------------------------------ waivers


@dataclass(frozen=True)
class Waiver:
    policy: str
    owner: str
    reason: str
    expires: dt.date
    source: str  # file:entry
    resource: str | None = None
    fingerprint: str | None = None
    file: str | None = None

    def matches(self, f: Finding) -> bool:
        if self.policy != f.policy_id and self.policy != "*":
            return False
        if self.fingerprint is not None and self.fingerprint != f.fingerprint:
            return False
        if self.resource is not None:
            names = {f.resource_id, f.resource_name or f.resource_id}
            if not any(fnmatch.fnmatchcase(n, self.resource) for n in names):
                return False
        if self.file is not None and not fnmatch.fnmatchcase(f.location.file, self.file):
            return False
        return True

    def describe(self) -> str:
        target = self.resource or f"fingerprint {self.fingerprint}"
        return f"waiver {self.source} ({self.policy} on {target}, owner {self.owner}, expires {self.expires.isoformat()})"


def waiver_model() -> Any:
    """pydantic model of the waiver file (built on demand: it is off the scan path without waivers); its class
    is made here, so the checker knows its fields only as Any."""
    from pydantic import BaseModel, ConfigDict, Field, model_validator

    class WaiverEntry(BaseModel):
        model_config = ConfigDict(extra="forbid")
        policy: str = Field(pattern=r"^AG\d{3}$", description="the one policy id waived (a waiver never covers every policy)")
        resource: str | None = Field(None, description="logical id, Terraform address, ARN or display name; * and ? globs")
        fingerprint: str | None = Field(None, description="the finding's stable fingerprint")
        file: str | None = Field(None, description="only findings in files matching this glob")
        owner: str = Field(pattern=r"\S", description="who answers for the waiver (not blank)")
        reason: str = Field(pattern=r"\S", description="why the finding is accepted (not blank)")
        expires: dt.date = Field(description="last day the waiver applies (YYYY-MM-DD); after it the finding FAILs")

        @model_validator(mode="after")
        def _target(self) -> WaiverEntry:
            if self.resource is None and self.fingerprint is None:
                raise ValueError("a waiver needs a 'resource' or a 'fingerprint'")
            return self

    class WaiverFile(BaseModel):
        """agentgov waiver file."""

        model_config = ConfigDict(extra="forbid")
        waivers: list[WaiverEntry]

    return WaiverFile


def _one_line(exc: Exception) -> str:
    """A YAML error (problem, context and a drawing of the place, over several lines) in one line."""
    mark = getattr(exc, "problem_mark", None)
    problem = getattr(exc, "problem", None)
    if problem and mark is not None:
        return f"{problem} at line {mark.line + 1} column {mark.column + 1}"
    return " ".join(str(exc).split())


#: the longest a waiver may run, from the day it is read (``waiver_max_days`` in the configuration)
DEFAULT_MAX_DAYS = 365


def _refuse_wide(path: Path, data: Any, lines: list[int], max_days: int, today: dt.date) -> None:
    """A waiver wider than one policy, or one that runs longer than ``max_days`` from today, is refused."""
    entries = data.get("waivers") if isinstance(data, dict) else None
    for i, entry in enumerate(entries if isinstance(entries, list) else []):
        where = f"{path}:{lines[i]}" if i < len(lines) else f"{path}: waivers.{i}"
        if not isinstance(entry, dict):
            continue
        if str(entry.get("policy", "")).strip() == "*":
            raise SuppressionError(
                f"{where}: policy '*' would waive every policy on its resources; name the one policy (AGnnn) the waiver accepts"
            )
        expires = entry.get("expires")
        if isinstance(expires, dt.date) and (expires - today).days > max_days:
            raise SuppressionError(
                f"{where}: expires {expires.isoformat()} is more than {max_days} days away (waiver_max_days): "
                "waivers are reviewed at least that often; set an earlier date and renew it then"
            )


def load_waivers(path: Path, max_days: int = DEFAULT_MAX_DAYS, today: dt.date | None = None) -> list[Waiver]:
    import yaml
    from pydantic import ValidationError

    lines: list[int] = []
    try:
        text = path.read_text(encoding="utf-8")
        data = yaml.safe_load(text)
        node = yaml.compose(text, Loader=yaml.SafeLoader)
        if isinstance(node, yaml.MappingNode):
            for k, v in node.value:
                if k.value == "waivers" and isinstance(v, yaml.SequenceNode):
                    lines = [item.start_mark.line + 1 for item in v.value]
    except OSError as exc:
        raise SuppressionError(f"{path}: cannot read waiver file: {exc.strerror or exc}") from None
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        raise SuppressionError(f"{path}: invalid YAML: {_one_line(exc)}") from None
    except ValueError as exc:  # a date YAML reads but the calendar has not (2027-02-30)
        raise SuppressionError(f"{path}: invalid value: {exc}") from None
    except RecursionError:
        raise SuppressionError(f"{path}: invalid YAML: nested too deeply") from None
    _refuse_wide(path, data, lines, max_days, today or dt.date.today())
    try:
        parsed = waiver_model().model_validate(data if data is not None else {"waivers": []})
    except ValidationError as exc:
        from .keys import validation_message

        model = waiver_model()
        entry = model.model_fields["waivers"].annotation.__args__[0]  # list[WaiverEntry]
        allowed = {(): list(model.model_fields), ("waivers", "*"): list(entry.model_fields)}
        raise SuppressionError(f"{path}: {validation_message(exc, allowed)}") from None
    from .discover import display_path

    shown = display_path(path)
    return [
        Waiver(
            policy=w.policy.upper(),
            owner=w.owner,
            reason=w.reason,
            expires=w.expires,
            source=f"{shown}:{lines[i]}" if i < len(lines) else f"{shown}#{i}",
            resource=w.resource,
            fingerprint=w.fingerprint,
            file=w.file,
        )
        for i, w in enumerate(parsed.waivers)
    ]


@dataclass
class WaiverOutcome:
    findings: list[Finding]
    unused: list[Waiver] = field(default_factory=list)
    expired: list[Waiver] = field(default_factory=list)


def apply_waivers(findings: Iterable[Finding], waivers: list[Waiver], today: dt.date | None = None) -> WaiverOutcome:
    today = today or dt.date.today()
    used: set[str] = set()
    expired: dict[str, Waiver] = {}
    out: list[Finding] = []
    for f in findings:
        if f.status not in (Status.FAIL, Status.UNKNOWN):
            out.append(f)
            continue
        w = next((w for w in waivers if w.matches(f)), None)
        if w is None:
            out.append(f)
            continue
        used.add(w.source)
        record = {
            "kind": "waiver",
            "reason": w.reason,
            "owner": w.owner,
            "expires": w.expires.isoformat(),
            "source": w.source,
        }
        if w.expires < today:
            expired[w.source] = w
            evidence = dict(f.evidence)
            evidence["expired_waiver"] = record
            out.append(
                dataclasses.replace(
                    f,
                    status=Status.FAIL,
                    message=f"{w.describe()} expired: renew or remove it; the finding stands: {f.message}",
                    evidence=evidence,
                )
            )
            continue
        out.append(dataclasses.replace(f, status=Status.SUPPRESSED, suppression=record))
    return WaiverOutcome(out, [w for w in waivers if w.source not in used], list(expired.values()))


# ------------------------------------------------------------------ baselines

BASELINE_FORMAT = 1


def write_baseline(path: Path, findings: Iterable[Finding]) -> int:
    rows = sorted(
        (
            {"fingerprint": f.fingerprint, "policy": f.policy_id, "resource": f.resource_id, "status": f.status.value}
            for f in findings
            if f.status in (Status.FAIL, Status.UNKNOWN)
        ),
        key=lambda r: (r["policy"], r["resource"], r["fingerprint"]),
    )
    doc = {"agentgov_baseline": BASELINE_FORMAT, "findings": rows}
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        write_text(path, json.dumps(doc, indent=1) + "\n")  # whole or not at all
    except OSError as exc:
        raise SuppressionError(f"{path}: cannot write baseline: {exc.strerror or exc}") from None
    return len(rows)


def load_baseline(path: Path) -> set[str]:
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise SuppressionError(f"{path}: cannot read baseline: {exc.strerror or exc}") from None
    except (ValueError, UnicodeDecodeError) as exc:
        raise SuppressionError(f"{path}: baseline is not JSON: {exc}") from None
    except RecursionError:
        raise SuppressionError(f"{path}: baseline is not JSON: nested too deeply") from None
    if not isinstance(doc, dict) or doc.get("agentgov_baseline") != BASELINE_FORMAT or not isinstance(doc.get("findings"), list):
        raise SuppressionError(f"{path}: not an agentgov baseline (write one with --write-baseline)")
    out = set()
    for i, row in enumerate(doc["findings"]):
        fp = row.get("fingerprint") if isinstance(row, dict) else None
        if not isinstance(fp, str):
            raise SuppressionError(f"{path}: findings[{i}] has no fingerprint")
        out.add(fp)
    return out


@dataclass
class BaselineOutcome:
    findings: list[Finding]
    new: int
    unchanged: int
    absent: int  # in the baseline, not found any more (fixed or gone)


def apply_baseline(findings: Iterable[Finding], baseline: set[str]) -> BaselineOutcome:
    out = []
    new = unchanged = 0
    seen: set[str] = set()
    for f in findings:
        if f.status in (Status.FAIL, Status.UNKNOWN):
            state = "unchanged" if f.fingerprint in baseline else "new"
            seen.add(f.fingerprint)
            if state == "new":
                new += 1
            else:
                unchanged += 1
            f = dataclasses.replace(f, baseline_state=state)
        out.append(f)
    return BaselineOutcome(out, new, unchanged, len(baseline - seen))
