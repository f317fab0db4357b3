"""Policies -> Service Control Policies (``agentgov scp build``).

Each policy with a preventive form carries Deny statement templates
(``preventive.statements`` in its YAML). The compiler:

1. fills them from configuration (``${parameter}``; a list parameter inside a
   string yields one string per element; ``foreach`` yields one statement per
   element, as ``${item}``; ``${name:key}`` / ``${name:value}`` split a
   ``key=value`` parameter; ``${name:id}`` is the resource id of an ARN). A statement whose ``requires`` parameters are
   not configured is not built, and the result says so (never a silent gap);
2. adds the break-glass exemption (``ArnNotLike aws:PrincipalArn``) to every
   Deny: roles under ``scp_break_glass_role_path`` in ``scp_break_glass_accounts``
   and ``scp_break_glass_principals``, each scoped to one account; adds the
   statements that protect those roles and the agent tag (``safety.py``), and
   states the residual gaps;
3. validates every action and condition key against the IAM data (the key
   must apply to every action of its statement) and every condition operator;
4. packs the statements into as few documents as fit the SCP size quota
   (5,120 characters with whitespace removed), never more than
   ``scp_max_documents`` (5 SCPs per target, one of them usually
   FullAWSAccess); what does not fit is an error naming the statements.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

from .safety import SafetyError, break_glass, protection_statements, residual_gaps, uses_tag
from .validate import validate_statement

SCP_MAX_CHARS = 5120
VERSION = "2012-10-17"
_PARAM = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)(?::(key|value|id))?\}")


class ScpError(Exception):
    """The SCPs cannot be built as configured; the message says which statements and why."""


@dataclass(frozen=True)
class BuiltStatement:
    policy_id: str
    sid: str
    explain: str
    statement: dict[str, Any]

    @property
    def size(self) -> int:
        return len(minified(self.statement))


@dataclass
class Skipped:
    policy_id: str
    sid: str
    reason: str


@dataclass
class Build:
    documents: list[dict[str, Any]]  # {"name", "statements": [BuiltStatement], "document": {...}}
    skipped: list[Skipped] = field(default_factory=list)
    policies_without_preventive_form: list[str] = field(default_factory=list)
    bedrock_policy: dict[str, Any] | None = None  # AG206's Organizations BEDROCK_POLICY document
    residual_gaps: list[str] = field(default_factory=list)  # what the SCPs as built do not prevent (scp explain)

    @property
    def statements(self) -> list[BuiltStatement]:
        return [s for d in self.documents for s in d["statements"]]


def minified(doc: Any) -> str:
    """What the SCP quota counts: the JSON with whitespace removed."""
    return json.dumps(doc, separators=(",", ":"), ensure_ascii=False)


def _param_text(name: str, part: str | None, params: dict[str, Any], item: str | None) -> list[str]:
    value = item if name == "item" else params.get(name)
    if value is None:
        raise KeyError(name)
    values = value if isinstance(value, list) else [value]
    out = []
    for v in values:
        v = str(v)
        if part == "id":  # the resource id of an ARN or an id: ".../guardrail/abc:3" -> "abc"
            v = v.rsplit("/", 1)[-1].split(":", 1)[0] if v.startswith("arn:") else v.split(":", 1)[0]
        elif part is not None:
            k, sep, val = v.partition("=")
            if not sep:
                raise ValueError(f"parameter {name} = {v!r} is not of the form key=value")
            v = k if part == "key" else val
        out.append(v)
    return out


def _fill(text: str, params: dict[str, Any], item: str | None) -> list[str]:
    """Every string ``text`` stands for (a list parameter multiplies them)."""
    m = _PARAM.search(text)
    if not m:
        return [text]
    out: list[str] = []
    for v in _param_text(m.group(1), m.group(2), params, item):
        head = text[: m.start()] + v
        out.extend(head + rest for rest in _fill(text[m.end() :], params, item))
    return out


def _fill_value(value: Any, params: dict[str, Any], item: str | None) -> Any:
    if isinstance(value, str):
        filled = _fill(value, params, item)
        return filled[0] if len(filled) == 1 and not _is_list_param(value, params) else filled
    if isinstance(value, list):
        out: list[str] = []
        for v in value:
            out.extend(_fill(v, params, item))
        return out
    raise TypeError(f"unexpected template value {value!r}")


def _is_list_param(text: str, params: dict[str, Any]) -> bool:
    return any(isinstance(params.get(m.group(1)), list) for m in _PARAM.finditer(text))


def _unique_sid(base: str, used: set[str]) -> str:
    sid = base[:100]
    n = 2
    while sid in used:
        sid = f"{base[:96]}{n}"
        n += 1
    used.add(sid)
    return sid


def statements_of(policy: Any, params: dict[str, Any], break_glass: list[str]) -> tuple[list[BuiltStatement], list[Skipped]]:
    """The filled, validated statements of one policy's preventive form."""
    built: list[BuiltStatement] = []
    skipped: list[Skipped] = []
    for tpl in policy.scp_statements:
        sid = tpl["sid"]
        missing = [r for r in tpl.get("requires", []) if params.get(r) in (None, [], "")]
        if missing:
            skipped.append(Skipped(policy.id, sid, f"parameter {', '.join(missing)} is not configured"))
            continue
        items: list[str | None] = [None]
        if tpl.get("foreach"):
            values = params.get(tpl["foreach"])
            if not isinstance(values, list) or not values:
                skipped.append(Skipped(policy.id, sid, f"parameter {tpl['foreach']} is empty"))
                continue
            items = [str(v) for v in values]
        for item in items:
            try:
                stmt: dict[str, Any] = {"Sid": "", "Effect": "Deny", "Action": sorted(set(tpl["action"]))}
                if tpl.get("not_resource"):
                    stmt["NotResource"] = _fill_value(tpl["not_resource"], params, item)
                else:
                    stmt["Resource"] = _fill_value(tpl.get("resource", "*"), params, item)
                cond: dict[str, dict[str, Any]] = {}
                for op, block in (tpl.get("condition") or {}).items():
                    for key, val in block.items():
                        for k in _fill(key, params, item):
                            cond.setdefault(op, {})[k] = _fill_value(val, params, item)
            except KeyError as exc:
                raise ScpError(
                    f"{policy.id} statement {sid}: template names parameter {exc.args[0]!r}, which is not declared"
                ) from None
            except ValueError as exc:
                raise ScpError(f"{policy.id} statement {sid}: {exc}") from None
            if break_glass:
                cond.setdefault("ArnNotLike", {}).setdefault("aws:PrincipalArn", [])
                existing = cond["ArnNotLike"]["aws:PrincipalArn"]
                existing = existing if isinstance(existing, list) else [existing]
                cond["ArnNotLike"]["aws:PrincipalArn"] = existing + [b for b in break_glass if b not in existing]
            if cond:
                stmt["Condition"] = cond
            suffix = re.sub(r"[^A-Za-z0-9]", "", item.title()) if item else ""
            stmt["Sid"] = f"{policy.id}{sid}{suffix}"
            explain = "; ".join(_fill(tpl["explain"], params, item))
            problems = validate_statement(stmt)
            if problems:
                raise ScpError(f"{policy.id} statement {stmt['Sid']}: " + "; ".join(problems))
            built.append(BuiltStatement(policy.id, stmt["Sid"], explain, stmt))
    return built, skipped


def pack_documents(statements: list[BuiltStatement], max_documents: int, prefix: str = "agentgov-scp") -> list[dict[str, Any]]:
    """First-fit decreasing into documents of at most SCP_MAX_CHARS characters."""
    empty = len(minified({"Version": VERSION, "Statement": []}))
    bins: list[list[BuiltStatement]] = []
    sizes: list[int] = []
    too_big = [s for s in statements if empty + s.size > SCP_MAX_CHARS]
    if too_big:
        raise ScpError(
            "statements larger than one SCP can hold (5,120 characters): "
            + ", ".join(f"{s.sid} ({s.size} chars)" for s in too_big)
        )
    for s in sorted(statements, key=lambda s: (-s.size, s.sid)):
        for i in range(len(bins)):
            if sizes[i] + 1 + s.size <= SCP_MAX_CHARS:
                bins[i].append(s)
                sizes[i] += 1 + s.size
                break
        else:
            bins.append([s])
            sizes.append(empty + s.size)
    if len(bins) > max_documents:
        overflow = [s.sid for b in bins[max_documents:] for s in b]
        raise ScpError(
            f"the statements need {len(bins)} SCPs, more than scp_max_documents = {max_documents} "
            f"(AWS allows 5 per target); these do not fit: {', '.join(overflow)}. "
            "Skip policies, lower the number of list values (required tags, models), or raise scp_max_documents."
        )
    docs = []
    for i, b in enumerate(bins, 1):
        b.sort(key=lambda s: s.sid)
        doc = {"Version": VERSION, "Statement": [s.statement for s in b]}
        docs.append({"name": f"{prefix}-{i}", "statements": b, "document": doc})
    return docs


def build(pack: Any, params: dict[str, Any], only: list[str] | None = None) -> Build:
    """Compile the pack's preventive forms with ``params`` (the effective parameters)."""
    try:
        bg = break_glass(params)
    except SafetyError as exc:
        raise ScpError(str(exc)) from None
    max_docs = int(params.get("scp_max_documents") or 4)
    statements: list[BuiltStatement] = []
    skipped: list[Skipped] = []
    without: list[str] = []
    for policy in pack:
        if only and policy.id not in only:
            continue
        if not policy.scp_statements:
            without.append(policy.id)
            continue
        b, s = statements_of(policy, params, bg.principals)
        statements.extend(b)
        skipped.extend(s)
    tag_key = str(params.get("agent_tag_key") or "")
    tag_scoped = [s.sid for s in statements if tag_key and uses_tag(s.statement, tag_key)]
    for sid, explain, stmt in protection_statements(bg, tag_key if tag_scoped else None):
        stmt = {"Sid": sid, **stmt}
        if not stmt.get("Condition"):
            stmt.pop("Condition", None)
        problems = validate_statement(stmt)
        if problems:
            raise ScpError(f"statement {sid}: " + "; ".join(problems))
        statements.append(BuiltStatement("agentgov", sid, explain, stmt))
    used: set[str] = set()
    for st in statements:
        if st.sid in used:
            raise ScpError(f"two statements have the Sid {st.sid}")
        used.add(st.sid)
    bedrock = bedrock_policy(params) if (not only or "AG206" in only) and pack.get("AG206") else None
    gaps = residual_gaps(bg, tag_scoped, tag_key, without)
    return Build(pack_documents(statements, max_docs), skipped, without, bedrock, gaps)


_GUARDRAIL_ARN = re.compile(r"^arn:aws[a-z-]*:bedrock:([a-z0-9-]+):(\d{12}):guardrail/([a-z0-9]+):(\d+)$")


def bedrock_policy(params: dict[str, Any]) -> dict[str, Any] | None:
    """AG206's Organizations Bedrock policy (``BEDROCK_POLICY``): the guardrail enforced per region.

    From ``org_enforced_guardrails`` (guardrail ARNs with a published version, one per region, owned
    by the management account). A malformed identifier makes every Bedrock call of the organization
    fail, so each one is checked here: an ARN, of a guardrail, with a numbered version (never DRAFT),
    at most one per region. None when the parameter is not configured.
    """
    arns = params.get("org_enforced_guardrails")
    if not arns:
        return None
    by_region: dict[str, str] = {}
    for arn in arns:
        m = _GUARDRAIL_ARN.match(str(arn))
        if not m:
            raise ScpError(
                f"org_enforced_guardrails: {arn!r} is not a guardrail ARN with a published version "
                "(arn:aws:bedrock:REGION:ACCOUNT:guardrail/ID:VERSION); a malformed identifier makes every Bedrock call fail"
            )
        region = m.group(1)
        if region in by_region:
            raise ScpError(f"org_enforced_guardrails: two guardrails for {region} ({by_region[region]}, {arn})")
        by_region[region] = str(arn)
    return {
        "bedrock": {
            "guardrail_inference": {
                region: {
                    "config_1": {
                        "identifier": {"@@assign": arn},
                        "selective_content_guarding": {
                            "system": {"@@assign": "comprehensive"},
                            "messages": {"@@assign": "comprehensive"},
                        },
                    }
                }
                for region, arn in sorted(by_region.items())
            }
        }
    }
