"""Registries a resource must be in: registered guardrails (AG206), approved models (AG802).

Both lists come from configuration and have no default: until one is
configured the analyzer is UNKNOWN with that reason, never PASS.

Guardrails match by identity, whichever way either side names it: a registry
entry may be a guardrail id (``gr1abc2def3``), its ARN
(``arn:aws:bedrock:<region>:<account>:guardrail/<id>``, a ``:<version>``
suffix as in ``bedrock:GuardrailIdentifier`` is ignored: AG202 judges
versions) or its name; the
agent's guardrail matches when its literal identifier (id or ARN; an ARN is
reduced to its id) equals an entry (an ARN entry is reduced to its id too), or
when it references a guardrail resource of the scan whose name (or, live, ARN)
is an entry.

On a live agent (audit) whose own configuration does not pass, an account-level
control that applies a registered guardrail to every model invocation passes it:
an enforced guardrail configuration of the account in the agent's region
(``enforced_guardrail``, its ``model_enforcement`` covering the agent's model),
or the Organizations Bedrock policy in force for the account
(``org_effective_policy``: ``bedrock.guardrail_inference.<region>``). When one
of them could not be read, a FAIL becomes UNKNOWN naming it. IaC files show
neither, so a scan judges the agent's own configuration alone.

Models match after normalization: a foundation-model ARN becomes its model id
(``anthropic.claude-3-haiku-20240307-v1:0``), an inference-profile ARN its
profile id, and a cross-region profile id (``us.``, ``eu.``, ``apac.``,
``us-gov.``, ``global.``, ``jp.``, ``au.``, ``ca.`` + model id) also counts as
its base model id. An entry is an exact id or a shell-style glob
(``anthropic.claude-3-5-*``) matched case-sensitively against the value as
written, its id, and its base model id; an ARN entry is reduced to its id
first. So ``anthropic.claude-3-haiku-*`` approves the model and its
cross-region profiles, while ``us.anthropic.claude-3-haiku-*`` approves only
the US profile. Application inference profiles and provisioned throughput
route to a model the files do not show: UNKNOWN unless an entry names them
(an application inference profile defined in the scan is followed to the model
it copies from).
Custom and imported models are models in their own right: listed, or FAIL.
"""

from __future__ import annotations

import re
from fnmatch import fnmatchcase
from typing import Any

from ..conditions import FAIL, PASS, UNKNOWN, EvalContext, Verdict, _unknown_reason
from ..model import MISSING, Expr, Ref, Resource, Unknown, walk

# ------------------------------------------------------------------ guardrails

GUARDRAIL_PATH = "guardrail_configuration.guardrail_identifier"
_GUARDRAIL_ARN = re.compile(r"^arn:aws[a-zA-Z-]*:bedrock:[^:]*:[^:]*:guardrail/(?P<id>[^/:]+)(?::[^/:]*)?$")


def guardrail_forms(text: str) -> set[str]:
    """The forms a guardrail reference can be matched by: itself, and the id of an ARN."""
    forms = {text}
    m = _GUARDRAIL_ARN.match(text)
    if m:
        forms.add(m.group("id"))
    return forms


def ref_target(ctx: EvalContext, res: Resource, value: Any) -> Resource | None:
    """The scanned resource a Ref (or an Expr built on one) points at."""
    if isinstance(value, Expr) and value.refs:
        value = value.refs[-1]
    if not isinstance(value, Ref):
        return None
    key = value.target if "#" in value.target else f"{res.stack}#{value.target}"
    return ctx.inventory.resources.get(key)


def _resource_forms(r: Resource) -> set[str]:
    forms: set[str] = set()
    name = r.properties.get("name")  # a guardrail's name (Resource.name may be a symbolic value's text)
    if isinstance(name, str) and name:
        forms.add(name)
    if isinstance(r.arn, str):
        forms |= guardrail_forms(r.arn)
    return forms


def _guardrail_by_literal(ctx: EvalContext, res: Resource, text: str) -> Resource | None:
    """The scanned guardrail a literal identifier resolved to (the graph made that edge)."""
    tail = text.rsplit("/", 1)[-1]
    for t in ctx.inventory.related(res, "guardrail"):
        if isinstance(t, Resource) and (t.arn == text or t.properties.get("name") in (text, tail)):
            return t
    return None


def check_registered_guardrail(res: Resource, ctx: EvalContext, params: dict[str, Any]) -> Verdict:
    registered = params.get("registered")
    if registered is None:
        return Verdict(
            UNKNOWN,
            ["parameter registered_guardrails is not configured: list the guardrails (id, ARN or name) allowed in production"],
            GUARDRAIL_PATH,
        )
    entries: set[str] = set()
    for e in registered:
        if isinstance(e, str) and e:
            entries |= guardrail_forms(e)
    own = _own_guardrail(res, ctx, entries, registered)
    if own.status == PASS or res.source != "aws":  # the files show no account-level control: IaC judges the agent alone
        return own
    return _with_account_controls(res, ctx, entries, own)


def _with_account_controls(res: Resource, ctx: EvalContext, entries: set[str], own: Verdict) -> Verdict:
    """A live agent its own configuration does not settle: an enforced guardrail configuration of its account in its
    region, or the Organizations Bedrock policy in force for its account, that applies a registered guardrail passes it."""
    applied, unknowns = account_guardrails(ctx.inventory, res)
    registered = [(what, ident) for what, ident in applied if guardrail_forms(ident) & entries]
    if registered:
        what, ident = registered[0]
        return Verdict(PASS, path=GUARDRAIL_PATH, evidence={**own.evidence, "enforced_by": what, "guardrail": ident})
    others = [f"{what} applies {ident}, which is not a registered guardrail" for what, ident in applied]
    if own.status == FAIL and unknowns:  # what was not read may apply a registered guardrail
        return Verdict(UNKNOWN, [*own.messages, *others, *unknowns], GUARDRAIL_PATH, evidence=own.evidence)
    if own.status == FAIL:
        where = f"account {res.account} in {res.region}"
        tail = others or [
            f"no enforced guardrail configuration or Organizations Bedrock policy applies a registered guardrail to {where}"
        ]
        return Verdict(FAIL, [*own.messages, *tail], GUARDRAIL_PATH, evidence=own.evidence)
    return Verdict(own.status, [*own.messages, *others, *unknowns], GUARDRAIL_PATH, evidence=own.evidence)


def _covers_model(config: Resource, agent: Resource) -> bool:
    """Whether an enforced guardrail configuration's ``model_enforcement`` covers the agent's foundation model
    (no model enforcement: every model; an excluded model, or one outside a non-empty included list: not covered)."""
    me = config.properties.get("model_enforcement")
    if not isinstance(me, dict):
        return True
    model = agent.properties.get("foundation_model")
    forms = model_forms(model)[0] if isinstance(model, str) else set()
    excluded = [m for m in me.get("excluded_models") or [] if isinstance(m, str)]
    included = [m for m in me.get("included_models") or [] if isinstance(m, str)]
    if any(fnmatchcase(f, p) for f in forms for p in _entry_patterns(excluded)):
        return False
    if included and not any(p in ("ALL", "*") for p in included):
        return any(fnmatchcase(f, p) for f in forms for p in _entry_patterns(included))
    return True


def _policy_identifiers(content: Any, region: str | None) -> list[str]:
    """The guardrails a Bedrock policy (effective, or with ``@@assign`` operators) applies in ``region``."""
    if not isinstance(content, dict) or not region:
        return []
    per_region = ((content.get("bedrock") or {}).get("guardrail_inference") or {}).get(region)
    out: list[str] = []
    for config in (per_region or {}).values() if isinstance(per_region, dict) else ():
        ident = config.get("identifier") if isinstance(config, dict) else None
        if isinstance(ident, dict):
            ident = ident.get("@@assign")
        if isinstance(ident, str) and ident:
            out.append(ident)
    return out


def account_guardrails(inv: Any, res: Resource) -> tuple[list[tuple[str, str]], list[str]]:
    """([(what, guardrail identifier)] applied to every model invocation of ``res``'s account in its region by an
    enforced guardrail configuration or the Organizations Bedrock policy in force, [why some could not be read])."""
    applied: list[tuple[str, str]] = []
    unknowns: list[str] = []
    for c in inv.of_kind("enforced_guardrail"):
        if c.account == res.account and c.region == res.region and _covers_model(c, res):
            ident = c.properties.get("guardrail_arn") or c.properties.get("guardrail_identifier")
            version = c.properties.get("guardrail_version")
            if isinstance(ident, str):
                applied.append(
                    (
                        f"the account's enforced guardrail configuration {c.properties.get('config_id') or c.id}",
                        f"{ident}:{version}" if isinstance(version, str) and ":" not in ident.rsplit("/", 1)[-1] else ident,
                    )
                )
    live_account = any(a == res.account for a, _, _ in inv.collected)
    if live_account and (res.account, res.region, "enforced_guardrail") not in inv.collected:
        unknowns.append(
            f"the enforced guardrail configuration of account {res.account} in {res.region} was not read "
            "(bedrock ListEnforcedGuardrailsConfiguration: see the coverage gap)"
        )
    for e in inv.of_kind("org_effective_policy"):
        if e.account != res.account:
            continue
        content = e.properties.get("content")
        if isinstance(content, Unknown):
            unknowns.append(f"the Organizations Bedrock policy in force for account {res.account}: {content.reason}")
            continue
        for ident in _policy_identifiers(content, res.region):
            applied.append(
                (f"the Organizations Bedrock policy in force for account {res.account} (guardrail_inference {res.region})", ident)
            )
    return applied, unknowns


def _own_guardrail(res: Resource, ctx: EvalContext, entries: set[str], registered: list[Any]) -> Verdict:
    values = [v for v in walk(res.properties, GUARDRAIL_PATH) if v is not None and v != ""]
    if not values or all(v is MISSING for v in values):
        return Verdict(FAIL, ["the agent has no guardrail, so no registered guardrail screens it"], GUARDRAIL_PATH)
    fails: list[str] = []
    unknowns: list[str] = []
    for v in values:
        if v is MISSING:
            fails.append("a deployable variant of the agent has no guardrail")
            continue
        if isinstance(v, str):
            forms = guardrail_forms(v)
            target = _guardrail_by_literal(ctx, res, v)
            label = v
            if target is not None:
                forms |= _resource_forms(target)
                label = f"{v} ({target.label})"
        else:
            target = ref_target(ctx, res, v)
            if target is None:
                unknowns.append(f"the agent's guardrail: {_unknown_reason(v) or v}")
                continue
            forms = _resource_forms(target)
            name = target.properties.get("name")
            label = target.label + (f" (name {name})" if isinstance(name, str) else "")
            if not forms:
                unknowns.append(f"the name of guardrail {target.label} is known only at deploy time")
                continue
        if forms & entries:
            continue
        fails.append(f"the agent's guardrail {label} is not a registered guardrail (registered_guardrails)")
    evidence = {"registered_guardrails": list(registered)}
    if fails:
        return Verdict(FAIL, fails, GUARDRAIL_PATH, evidence=evidence)
    if unknowns:
        return Verdict(UNKNOWN, unknowns, GUARDRAIL_PATH, evidence=evidence)
    return Verdict(PASS, path=GUARDRAIL_PATH, evidence=evidence)


# ---------------------------------------------------------------------- models

_BEDROCK_ARN = re.compile(r"^arn:aws[a-zA-Z-]*:bedrock:[^:]*:[^:]*:(?P<type>[a-z-]+)/(?P<rest>.+)$")
_TAIL = re.compile(r"(?:^|:)(?P<type>foundation-model|inference-profile)/(?P<rest>[^/]+)$")
_GEO = re.compile(r"^(?:us|us-gov|eu|apac|global|jp|au|ca)\.(?=[a-z0-9-]+\.)")
#: ARN types that route to a model the files do not show, as messages name them
_OPAQUE_ROUTES = {
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


def _entry_patterns(entries: list[Any]) -> list[str]:
    out: list[str] = []
    for e in entries:
        if not isinstance(e, str) or not e:
            continue
        out.append(e)
        m = _BEDROCK_ARN.match(e)
        if m and m.group("type") in ("foundation-model", "inference-profile"):
            out.append(m.group("rest"))
    return out


def _judge_model(v: Any, patterns: list[str], res: Resource, ctx: EvalContext, depth: int = 0) -> tuple[str, str | None]:
    """(status, message) of one model value; an application inference profile of the
    scan is followed to the model it copies."""
    target = ref_target(ctx, res, v) if isinstance(v, (Ref, Expr)) and depth == 0 else None
    if target is not None and target.kind == "inference_profile":
        sources = [s for s in walk(target.properties, "model_source.copy_from") if s is not None and s is not MISSING]
        if not sources:
            return UNKNOWN, f"the application inference profile {target.label} names no model it copies"
        results = [_judge_model(s, patterns, target, ctx, depth + 1) for s in sources]
        for status in (FAIL, UNKNOWN):
            msgs = [m for st, m in results if st == status and m]
            if msgs:
                return status, f"application inference profile {target.label}: " + "; ".join(msgs)
        return PASS, None
    if isinstance(v, Expr):
        tail = v.parts[-1] if v.parts and isinstance(v.parts[-1], str) else ""
        m = _TAIL.search(tail)
        if not m:
            return UNKNOWN, f"the foundation model {v} is known only at deploy time"
        text = m.group("rest")
    elif isinstance(v, str):
        text = v
    else:
        return UNKNOWN, f"the foundation model: {_unknown_reason(v) or v}"
    forms, kind = model_forms(text)
    if any(fnmatchcase(f, p) for f in forms for p in patterns):
        return PASS, None
    if kind in _OPAQUE_ROUTES:
        return (
            UNKNOWN,
            f"{text} is {_OPAQUE_ROUTES[kind]}, whose model the scanned files do not show; list it in approved_models to approve it",
        )
    return FAIL, f"the foundation model {text} is not in approved_models"


def check_approved_model(res: Resource, ctx: EvalContext, params: dict[str, Any]) -> Verdict:
    path = params.get("path") or "foundation_model"
    approved = params.get("approved")
    if approved is None:
        return Verdict(
            UNKNOWN,
            ["parameter approved_models is not configured: list the approved model ids (globs allowed)"],
            path,
        )
    patterns = _entry_patterns(approved)
    values = [v for v in walk(res.properties, path) if v is not None and v != ""]
    if not values or all(v is MISSING for v in values):
        return Verdict(UNKNOWN, [f"the {res.kind} names no foundation model in the scanned files ({path} is not set)"], path)
    fails: list[str] = []
    unknowns: list[str] = []
    for v in values:
        if v is MISSING:
            unknowns.append(f"a deployable variant of the {res.kind} names no foundation model")
            continue
        status, msg = _judge_model(v, patterns, res, ctx)
        if status == FAIL and msg:
            fails.append(msg)
        elif status == UNKNOWN and msg:
            unknowns.append(msg)
    evidence = {"approved_models": list(approved)}
    if fails:
        return Verdict(FAIL, fails, path, evidence=evidence)
    if unknowns:
        return Verdict(UNKNOWN, unknowns, path, evidence=evidence)
    return Verdict(PASS, path=path, evidence=evidence)
