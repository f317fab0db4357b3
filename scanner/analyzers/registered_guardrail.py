"""Registered guardrails (AG206): an agent's guardrail is one the organization registered, or an
account-level enforced guardrail covers it.
"""

from __future__ import annotations

from fnmatch import fnmatchcase
from typing import Any

from ..conditions import FAIL, PASS, UNKNOWN, EvalContext, Verdict, unknown_reason
from ..model import MISSING, Resource, Unknown, walk
from ._guardrail_invocation import judge_role, live_account_controls
from ._guardrails import GUARDRAIL_PATH, guardrail_by_literal, guardrail_forms, ref_target, resource_forms
from ._models import entry_patterns, model_forms


def check(res: Resource, ctx: EvalContext, params: dict[str, Any]) -> Verdict:
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
    if res.kind == "role":
        return _role(res, ctx, entries)
    own = _own_guardrail(res, ctx, entries, registered)
    if own.status == PASS or res.source != "aws":  # the files show no account-level control: IaC judges the agent alone
        return own
    return _with_account_controls(res, ctx, entries, own)


def _role(res: Resource, ctx: EvalContext, entries: set[str]) -> Verdict:
    """An agent role's own model invocations (``_guardrail_invocation``); on a live account, an enforced guardrail or
    Organizations Bedrock policy applies in the regions it names only: the role's calls elsewhere are not covered."""
    v = judge_role(res, ctx, entries)
    if v.status != FAIL or res.source != "aws":
        return v
    regions = live_account_controls(ctx.inventory, res)
    if regions:
        return Verdict(
            UNKNOWN,
            [
                *v.messages,
                f"an enforced guardrail or Organizations Bedrock policy applies a guardrail in {', '.join(regions)}: whether"
                " the role calls models elsewhere is not judged",
            ],
            evidence=v.evidence,
        )
    return v


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
    """Whether an enforced guardrail configuration's ``model_enforcement`` covers the agent's foundation model."""
    return _covers(config.properties.get("model_enforcement"), agent)


def _assigned(value: Any) -> Any:
    """A Bedrock policy's value with or without its ``@@assign`` operator (a policy as written, or the effective one)."""
    return value.get("@@assign") if isinstance(value, dict) and "@@assign" in value else value


def _covers(me: Any, agent: Resource) -> bool:
    """Whether ``model_enforcement`` (``included_models``/``excluded_models``) covers the agent's foundation model
    (none: every model; an excluded model, or one outside a non-empty included list other than ALL: not covered)."""
    if not isinstance(me, dict):
        return True
    model = agent.properties.get("foundation_model")
    forms = model_forms(model)[0] if isinstance(model, str) else set()
    excluded = [m for m in _assigned(me.get("excluded_models")) or [] if isinstance(m, str)]
    included = [m for m in _assigned(me.get("included_models")) or [] if isinstance(m, str)]
    if any(fnmatchcase(f, p) for f in forms for p in entry_patterns(excluded)):
        return False
    if included and not any(p in ("ALL", "*") for p in included):
        return any(fnmatchcase(f, p) for f in forms for p in entry_patterns(included))
    return True


def _policy_identifiers(content: Any, region: str | None, agent: Resource) -> list[str]:
    """The guardrails a Bedrock policy (effective, or with ``@@assign`` operators) applies in ``region`` to the
    agent's model (a configuration whose ``model_enforcement`` excludes the model, or does not include it, does not)."""
    if not isinstance(content, dict) or not region:
        return []
    per_region = ((content.get("bedrock") or {}).get("guardrail_inference") or {}).get(region)
    out: list[str] = []
    for config in (per_region or {}).values() if isinstance(per_region, dict) else ():
        ident = _assigned(config.get("identifier")) if isinstance(config, dict) else None
        if isinstance(ident, str) and ident and _covers(config.get("model_enforcement"), agent):
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
        for ident in _policy_identifiers(content, res.region, res):
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
            target = guardrail_by_literal(ctx, res, v)
            label = v
            if target is not None:
                forms |= resource_forms(target)
                label = f"{v} ({target.label})"
        else:
            target = ref_target(ctx, res, v)
            if target is None:
                unknowns.append(f"the agent's guardrail: {unknown_reason(v) or v}")
                continue
            forms = resource_forms(target)
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
