"""Multi-agent collaboration (AG806): collaborators meet the supervisor's guardrail policy.

A supervisor's collaborators are the agent aliases its ``collaborator`` edges
name (inline ``AgentCollaborators`` in CloudFormation, the
``aws_bedrockagent_agent_collaborator`` resource in Terraform); each alias
leads to its agent through the alias' ``agent`` edge. Each collaborator agent
must have a guardrail pinned to a published version (the AG201/AG202 test,
evaluated on the collaborator), and when the supervisor has a guardrail, the
collaborator must use the same one (and, when both versions are literal
numbers, the same version). A collaborator alias or agent outside the scan
is UNKNOWN: its guardrail cannot be seen. An agent with no collaborators
passes as not applicable.
"""

from __future__ import annotations

from typing import Any

from agentgov.policies.compiled import All, Attr, When

from ..conditions import FAIL, PASS, UNKNOWN, EvalContext, Verdict, all_of, evaluate
from ..model import MISSING, Resource, Unknown, seen_in, walk
from ._guardrails import GUARDRAIL_PATH, guardrail_by_literal, guardrail_forms, ref_target

VERSION_PATH = "guardrail_configuration.guardrail_version"

#: the guardrail test a collaborator must meet: a guardrail, pinned to a published version
PINNED_GUARDRAIL = All(
    (
        Attr(GUARDRAIL_PATH, "present", message="has no guardrail"),
        When(
            Attr(GUARDRAIL_PATH, "present"),
            All(
                (
                    Attr(VERSION_PATH, "present", message="names no guardrail version"),
                    Attr(VERSION_PATH, "not_equals", "DRAFT", message="uses the DRAFT version of its guardrail"),
                )
            ),
        ),
    )
)


def guardrail_identity(agent: Resource, ctx: EvalContext) -> tuple[str, str] | Unknown | None:
    """("resource", key) or ("id", guardrail id) of the agent's guardrail; None: it has none."""
    values = [v for v in walk(agent.properties, GUARDRAIL_PATH) if v is not None and v is not MISSING and v != ""]
    if not values:
        return None
    if len(values) > 1:
        return Unknown("its guardrail depends on a condition")
    v = values[0]
    if isinstance(v, str):
        target = guardrail_by_literal(ctx, agent, v)
        if target is not None:
            return ("resource", target.key)
        forms = guardrail_forms(v)
        return ("id", min(forms, key=len))
    target = ref_target(ctx, agent, v)
    if target is not None:
        return ("resource", target.key)
    return Unknown(f"its guardrail {v} is not {seen_in(agent)}")


def _literal_version(agent: Resource) -> str | None:
    values = [v for v in walk(agent.properties, VERSION_PATH) if v is not None]
    if len(values) == 1 and isinstance(values[0], str) and values[0].isdigit():
        return values[0]
    return None


def _collaborators(sup: Resource, ctx: EvalContext) -> list[tuple[str, Resource | Unknown]]:
    """(how it is reached, collaborator agent or Unknown) for each collaborator alias."""
    out: list[tuple[str, Resource | Unknown]] = []
    for alias in ctx.inventory.related(sup, "collaborator"):
        if isinstance(alias, Unknown):
            out.append(("an alias outside the scan", Unknown(f"{alias.reason}: its agent's guardrail cannot be seen")))
            continue
        agents = ctx.inventory.related(alias, "agent")
        if not agents:
            out.append(
                (f"alias {alias.label}", Unknown(f"alias {alias.label} names no agent {seen_in(alias, 'of the scanned files')}"))
            )
        for a in agents:
            if isinstance(a, Unknown):
                out.append((f"alias {alias.label}", Unknown(f"the agent of alias {alias.label} is outside the scan: {a.reason}")))
            else:
                out.append((f"alias {alias.label}", a))
    return out


def check(res: Resource, ctx: EvalContext, params: dict[str, Any]) -> Verdict:
    collaborators = _collaborators(res, ctx)
    if not collaborators:
        return Verdict(PASS, ["not applicable: the agent has no collaborator agents"])
    supervisor = guardrail_identity(res, ctx)
    sup_version = _literal_version(res)
    verdicts: list[Verdict] = []
    evidence: list[dict[str, Any]] = []
    for via, agent in collaborators:
        if isinstance(agent, Unknown):
            verdicts.append(Verdict(UNKNOWN, [f"collaborator ({via}): {agent.reason}"]))
            evidence.append({"via": via, "status": UNKNOWN})
            continue
        who = f"collaborator agent {agent.label} ({via})"
        v = evaluate(PINNED_GUARDRAIL, agent, ctx)
        loc = agent.attr_location(v.path)
        if v.status != PASS:
            verdicts.append(Verdict(v.status, [f"{who} {m}" for m in v.messages], location=loc))
            evidence.append({"agent": agent.label, "via": via, "status": v.status})
            continue
        if supervisor is not None:
            mine = guardrail_identity(agent, ctx)
            loc = agent.attr_location(GUARDRAIL_PATH)
            if isinstance(supervisor, Unknown) or isinstance(mine, Unknown):
                why = supervisor.reason if isinstance(supervisor, Unknown) else mine.reason  # type: ignore[union-attr]
                verdicts.append(
                    Verdict(UNKNOWN, [f"cannot tell whether {who} uses the supervisor's guardrail: {why}"], location=loc)
                )
                evidence.append({"agent": agent.label, "via": via, "status": UNKNOWN})
                continue
            if mine is not None and mine[0] != supervisor[0]:
                verdicts.append(
                    Verdict(
                        UNKNOWN,
                        [
                            f"cannot tell whether {who} uses the supervisor's guardrail (one is named by id, the other is a resource)"
                        ],
                        location=loc,
                    )
                )
                evidence.append({"agent": agent.label, "via": via, "status": UNKNOWN})
                continue
            if mine != supervisor:
                verdicts.append(Verdict(FAIL, [f"{who} uses a different guardrail than the supervisor"], location=loc))
                evidence.append({"agent": agent.label, "via": via, "status": FAIL})
                continue
            theirs = _literal_version(agent)
            if sup_version and theirs and sup_version != theirs:
                verdicts.append(
                    Verdict(
                        FAIL,
                        [f"{who} uses version {theirs} of the supervisor's guardrail, the supervisor version {sup_version}"],
                        location=agent.attr_location(VERSION_PATH),
                    )
                )
                evidence.append({"agent": agent.label, "via": via, "status": FAIL})
                continue
        verdicts.append(Verdict(PASS))
        evidence.append({"agent": agent.label, "via": via, "status": PASS})
    out = all_of(verdicts)
    out.evidence = {"collaborators": evidence}
    return out
