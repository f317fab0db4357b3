"""Trust policy of an agent role (AG104): who may assume it, and on what condition.

What uses the role decides the service principal it must trust (edges of the
graph): agents and knowledge bases -> ``bedrock.amazonaws.com``; AgentCore
runtimes, gateways, memories, code interpreters and browsers ->
``bedrock-agentcore.amazonaws.com``; an action-group function's role is a
Lambda execution role -> ``lambda.amazonaws.com``. A role that nothing in the
scan uses but that a Bedrock service may assume is judged on what it trusts.

It fails when the trust policy
* lets a service assume it that nothing using it needs, or misses the one that does
  (a runtime's role that trusts ``bedrock.amazonaws.com`` only: the runtime cannot assume it);
* trusts both ``bedrock.amazonaws.com`` and ``bedrock-agentcore.amazonaws.com`` (one role for two services);
* lets a Bedrock service assume it without ``aws:SourceAccount`` or ``aws:SourceArn``
  (confused deputy), or with a SourceArn whose account is a wildcard;
* trusts ``*`` (without an ``aws:PrincipalOrgID`` / ``aws:PrincipalAccount`` condition), a federated
  principal, or an AWS account that is not this one.

Accounts: an account built from ``AWS::AccountId`` or ``data.aws_caller_identity`` is this
account. A literal account id cannot be told apart from a foreign one by the files: it is
compared with the ``trusted_accounts`` parameter (accounts of the organization); while that is
empty, a literal account id is UNKNOWN. A trust document the files do not settle is UNKNOWN.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from ..conditions import FAIL, PASS, UNKNOWN, EvalContext, Verdict
from ..model import MISSING, Choice, Expr, Ref, Resource, Unknown, seen_in, walk
from ._roles import AGENTCORE, BEDROCK, expected_services

_DEPUTY_KEYS = ("aws:sourceaccount", "aws:sourcearn")


_ORG_KEYS = ("aws:principalorgid", "aws:principalaccount", "aws:principalorgpaths")


_ACCOUNT = re.compile(r"^(?:arn:[^:]*:iam::)?(\d{12})(?::|$)")


_OWN_ORIGINS = ("pseudo:AWS::AccountId", "data:aws_caller_identity")


def _values(v: Any) -> list[Any]:
    return [x for x in walk(v, "") if x is not None and x is not MISSING]


def _condition_keys(cond: Any) -> dict[str, list[Any]]:
    out: dict[str, list[Any]] = {}
    if not isinstance(cond, dict):
        return out
    for _op, kv in cond.items():
        if not isinstance(kv, dict):
            continue
        for key, val in kv.items():
            if isinstance(key, str):
                out.setdefault(key.lower(), []).extend(val if isinstance(val, list) else [val])
    return out


def _is_own_account(v: Any) -> bool:
    return isinstance(v, Unknown) and bool(v.origin and v.origin.startswith(_OWN_ORIGINS))


def _account_of(principal: Any) -> tuple[str, Any]:
    """("own" | "literal" | "any" | "unknown" | "other", account or reason)."""
    if isinstance(principal, str):
        if principal == "*":
            return "any", "*"
        m = _ACCOUNT.match(principal)
        if m:
            return "literal", m.group(1)
        return "other", principal
    if isinstance(principal, Ref):
        return "own", str(principal)  # a role or user of this stack
    if isinstance(principal, Expr):
        parts = principal.parts
        segs: list[tuple[int, Any]] = []
        pos = 0
        for p in parts:
            segs.append((pos, p))
            pos += len(p) if isinstance(p, str) else 1
        text = "".join(p if isinstance(p, str) else "\x00" for p in parts)
        # the account is the field after arn:<partition>:iam:: (or the whole value)
        m = re.match(r"^arn:[^:]*:iam::", text)
        idx = m.end() if m else (0 if not text.startswith("arn:") else None)
        if idx is not None:
            for start, p in reversed(segs):
                if start <= idx:
                    if isinstance(p, str):
                        d = re.match(r"\d{12}", p[idx - start :])
                        if d:
                            return "literal", d.group(0)
                    elif _is_own_account(p):
                        return "own", "this account"
                    break
        u = principal.unknowns
        return "unknown", (f"{principal}: {u[0].reason}" if u else f"{principal} is known only at deploy time")
    if isinstance(principal, Unknown):
        if _is_own_account(principal):
            return "own", "this account"
        return "unknown", principal.reason
    return "unknown", "a principal of an unexpected type"


def _weak_source_arn(values: list[Any]) -> bool:
    """Every SourceArn value leaves the account open (``arn:aws:bedrock:*:*:agent/*``)."""
    if not values:
        return False
    for v in values:
        if not isinstance(v, str):
            return False
        fields = v.split(":")
        if len(fields) < 6 or fields[4] not in ("*", ""):
            return False
    return True


@dataclass
class _Reading:
    """What the statements say, in statement order: problems (message, statement path), what cannot be assessed,
    and the trusted service principals (service -> the statement that trusts it)."""

    trusted_accounts: set[str]
    problems: list[tuple[str, str]] = field(default_factory=list)
    unknown: list[str] = field(default_factory=list)
    services: dict[str, str] = field(default_factory=dict)


def check(res: Resource, ctx: EvalContext, params: dict[str, Any]) -> Verdict:
    inv = ctx.inventory
    doc = res.properties.get("assume_role_policy")
    expected = expected_services(res, inv)
    evidence: dict[str, Any] = {"used_by": sorted({u for v in expected.values() for u in v})}
    if doc is None:
        return Verdict(UNKNOWN, [f"the role's trust policy is not {seen_in(res)}"], path="assume_role_policy", evidence=evidence)
    if isinstance(doc, Unknown):
        return Verdict(UNKNOWN, [f"trust policy: {doc.reason}"], path="assume_role_policy", evidence=evidence)
    if isinstance(doc, Choice):
        evidence["note"] = f"the trust policy depends on condition {doc.condition}: every variant is judged"
    statements = [s for s in walk(doc, "Statement")]
    if not statements:
        return Verdict(
            UNKNOWN, ["the trust policy has no statements the scan can read"], path="assume_role_policy", evidence=evidence
        )
    reading = _Reading({str(a) for a in (params.get("trusted_accounts") or ())})
    for i, st in enumerate(statements):
        _read_statement(i, st, reading)
    _check_services(expected, reading)
    evidence["trusted_services"] = sorted(reading.services)
    if expected:
        evidence["expected_services"] = sorted(expected)
    return _verdict(reading, evidence)


def _read_statement(i: int, st: Any, reading: _Reading) -> None:
    spath = f"assume_role_policy.Statement.{i}"
    if isinstance(st, Unknown):
        reading.unknown.append(f"trust statement {i}: {st.reason}")
        return
    if not isinstance(st, dict) or st.get("Effect") != "Allow":
        if isinstance(st, dict) and not isinstance(st.get("Effect"), str):
            reading.unknown.append(f"trust statement {i}: Effect known only at deploy time")
        return
    keys = _condition_keys(st.get("Condition"))
    principal = st.get("Principal")
    if isinstance(principal, Unknown):
        reading.unknown.append(f"trust statement {i}: Principal {principal.reason}")
        return
    if principal == "*" or (isinstance(principal, dict) and "AWS" in principal and "*" in _values(principal.get("AWS"))):
        if not any(k in keys for k in _ORG_KEYS):
            reading.problems.append(('anyone may assume the role (Principal "*")', spath))
    if "NotPrincipal" in st:
        reading.problems.append(("an Allow with NotPrincipal lets every other principal assume the role", spath))
    if not isinstance(principal, dict):
        return
    _read_services(i, spath, principal, keys, reading)
    for fed in _values(principal.get("Federated")):
        reading.problems.append((f"a federated principal ({fed}) may assume an agent service role", spath))
    _read_accounts(i, spath, principal, reading)


def _read_services(i: int, spath: str, principal: dict[str, Any], keys: dict[str, list[Any]], reading: _Reading) -> None:
    """Service principals: each trusted one; Bedrock and AgentCore need a confused-deputy condition."""
    for svc in _values(principal.get("Service")):
        if not isinstance(svc, str):
            reading.unknown.append(f"trust statement {i}: a service principal known only at deploy time")
            continue
        reading.services.setdefault(svc, spath)
        if svc not in (BEDROCK, AGENTCORE):
            continue
        present = [k for k in _DEPUTY_KEYS if k in keys]
        if not present:
            reading.problems.append(
                (f"{svc} may assume the role without an aws:SourceAccount or aws:SourceArn condition (confused deputy)", spath)
            )
        elif present == ["aws:sourcearn"] and _weak_source_arn(keys["aws:sourcearn"]):
            reading.problems.append((f"the aws:SourceArn condition for {svc} leaves the account open (confused deputy)", spath))


def _read_accounts(i: int, spath: str, principal: dict[str, Any], reading: _Reading) -> None:
    """AWS principals: another account is a problem unless trusted_accounts names it (unknown without the parameter)."""
    trusted = reading.trusted_accounts
    for p in _values(principal.get("AWS")):
        if p == "*":
            continue
        kind, what = _account_of(p)
        if kind in ("own", "any"):
            continue
        if kind != "literal":
            reading.unknown.append(f"trust statement {i}: AWS principal {what}")
        elif trusted and what not in trusted:
            reading.problems.append((f"account {what} may assume the role and is not one of trusted_accounts", spath))
        elif not trusted:
            reading.unknown.append(
                f"trust statement {i}: account {what} may assume the role; whether it is yours needs the trusted_accounts parameter"
            )


def _check_services(expected: dict[str, list[str]], reading: _Reading) -> None:
    """The trusted services against what uses the role: one service per role, none missing, none extra."""
    services = reading.services
    users_msg = "; ".join(f"{svc} for {', '.join(sorted(u))}" for svc, u in sorted(expected.items()))
    if BEDROCK in services and AGENTCORE in services:
        reading.problems.append(
            (f"the role trusts both {BEDROCK} and {AGENTCORE}: use one role per service", services[AGENTCORE])
        )
    if expected:
        for svc, spath in sorted(services.items()):
            if svc not in expected:
                reading.problems.append((f"the role trusts {svc}, which nothing using it needs (it needs {users_msg})", spath))
        for svc, users in sorted(expected.items()):
            if svc not in services:
                reading.problems.append(
                    (f"{', '.join(sorted(users))} cannot assume the role: it does not trust {svc}", "assume_role_policy")
                )
    elif services and not (set(services) & {BEDROCK, AGENTCORE}):
        reading.unknown.append("nothing in the scan uses the role")


def _verdict(reading: _Reading, evidence: dict[str, Any]) -> Verdict:
    if reading.problems:
        msgs: list[str] = []
        for m, _ in reading.problems:
            if m not in msgs:
                msgs.append(m)
        if reading.unknown:
            evidence["not_assessed"] = reading.unknown
        return Verdict(FAIL, msgs, path=reading.problems[0][1], evidence=evidence)
    if reading.unknown:
        evidence["not_assessed"] = reading.unknown
        return Verdict(UNKNOWN, reading.unknown[:3], path="assume_role_policy", evidence=evidence)
    return Verdict(PASS, path="assume_role_policy", evidence=evidence)
