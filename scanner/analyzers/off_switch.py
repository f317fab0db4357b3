"""Emergency off switch (AG705): a production agent's tools read an SSM parameter they can be stopped by.

An agent is production unless its ``environment`` tag says otherwise
(``non_production_environment_pattern``), or its name or every alias it has in
the scan is non-production (``non_production_alias_pattern``). Each of its action-group
functions must name, in its environment, an SSM parameter whose name matches
``off_switch_parameter`` (``<agent>`` stands for the agent's name, ``*`` for
any characters within one path segment), and its role must be allowed
``ssm:GetParameter`` on it. An action group without a Lambda executor (return
of control) has no function to stop here; a function or role outside the scan
makes the verdict UNKNOWN.
"""

from __future__ import annotations

import re
from typing import Any

from ..conditions import FAIL, PASS, UNKNOWN, EvalContext, Verdict
from ..iam_data import wildcard_match
from ..iam_policies import role_statements
from ..model import Expr, Ref, Resource, Unknown, seen_in, walk

_READ_ACTIONS = ("ssm:getparameter", "ssm:getparameters", "ssm:getparametersbypath")
#: AWS managed policies that allow ssm:GetParameter on every parameter
_MANAGED_READERS = (
    "AdministratorAccess",
    "PowerUserAccess",
    "ReadOnlyAccess",
    "AmazonSSMReadOnlyAccess",
    "AmazonSSMFullAccess",
    "AmazonSSMManagedInstanceCore",
)
_ENV_KEYS = ("environment", "env", "stage")


def _part(p: Any) -> str:
    if isinstance(p, str):
        return p
    if isinstance(p, Unknown):
        if p.origin:
            return "${" + p.origin.split(":", 1)[-1] + "}"
        if p.reason.startswith("pseudo parameter "):
            return "${" + p.reason.split()[2] + "}"
        return "${?}"
    return str(p)  # a Ref: ${Target.Attr}


def _text(v: Any) -> str | None:
    """A name as text: literal, or with its deploy-time parts as ``${Name}`` (the same parts render alike)."""
    if isinstance(v, str):
        return v
    if isinstance(v, Expr):
        return "".join(_part(p) for p in v.parts)
    return None


def _param_path(name: str) -> str:
    if name.startswith("arn:") and ":parameter" in name:
        name = name.split(":parameter", 1)[1]
    return name if name.startswith("/") else "/" + name


def _pattern(template: str, agent_name: Any) -> re.Pattern[str]:
    agent = _text(agent_name)
    agent_rx = re.escape(agent) if agent else r"[^/]+"
    pieces = []
    for i, part in enumerate(template.split("<agent>")):
        if i:
            pieces.append(agent_rx)
        pieces.append(re.escape(part).replace("\\*", "[^/]*"))
    return re.compile("".join(pieces))


def _env_parameters(fn: Resource, ctx: EvalContext) -> list[tuple[str, str, Resource | None]]:
    """(variable, parameter path, parameter resource) for each environment value naming an SSM parameter."""
    inv = ctx.inventory
    out: list[tuple[str, str, Resource | None]] = []
    for env in walk(fn.properties, "environment.variables"):
        if not isinstance(env, dict):
            continue
        for var, v in env.items():
            target = None
            refs = v.refs if isinstance(v, Expr) else (v,) if isinstance(v, Ref) else ()
            for ref in refs:
                key = ref.target if "#" in ref.target else f"{fn.stack}#{ref.target}"
                r = inv.resources.get(key)
                if r is not None and r.kind == "ssm_parameter":
                    target = r
            if target is not None:
                name = _text(target.properties.get("name"))
                if name:
                    out.append((var, _param_path(name), target))
                continue
            name = _text(v)
            if name and ("/" in name or name.startswith("arn:")):
                out.append((var, _param_path(name), None))
    return out


def _glob(v: Any) -> str | None:
    if isinstance(v, str):
        return v
    if isinstance(v, Expr):
        return "".join(p if isinstance(p, str) else "*" for p in v.parts)
    return None


def _grants(role: Resource, path: str, param: Resource | None, ctx: EvalContext) -> tuple[bool, list[str]]:
    rs = role_statements(role, ctx.inventory)
    unknown = list(rs.unknown)
    for arn in rs.aws_managed:
        if arn.rsplit("/", 1)[-1] in _MANAGED_READERS:
            return True, []
    for s in rs.statements:
        if s.effect != "Allow" or s.not_actions is not None:
            continue
        acts = [a.lower() for a in s.actions if isinstance(a, str)]
        if not any(wildcard_match(r, a) for a in acts for r in _READ_ACTIONS):
            if any(not isinstance(a, str) for a in s.actions):
                unknown.append(f"policy {s.policy} statement {s.index}: action known only at deploy time")
            continue
        for r in s.resources:
            if isinstance(r, Unknown):
                unknown.append(f"policy {s.policy} statement {s.index}: Resource {r.reason}")
                continue
            if param is not None and isinstance(r, (Ref, Expr)):
                refs = r.refs if isinstance(r, Expr) else (r,)
                if any(ref.target == param.id or ref.target == param.key for ref in refs):
                    return True, []
            g = _glob(r)
            if g is None:
                continue
            if g == "*":
                return True, []
            fields = g.split(":", 5)  # arn:partition:service:region:account:resource (region/account: same account assumed)
            if (
                len(fields) == 6
                and fields[0] == "arn"
                and wildcard_match("ssm", fields[2])
                and wildcard_match("parameter" + path, fields[5])
            ):
                return True, []
    return False, unknown


def _production(res: Resource, ctx: EvalContext, params: dict[str, Any]) -> str | None:
    """Why the agent is not production, or None when it is (or cannot be told apart)."""
    env_rx = params.get("non_production_environment_pattern")
    if isinstance(res.tags, dict) and env_rx:
        for k, v in res.tags.items():
            if isinstance(k, str) and k.lower() in _ENV_KEYS and isinstance(v, str) and re.search(env_rx, v):
                return f"its {k} tag is {v!r} (not production)"
    alias_rx = params.get("non_production_alias_pattern")
    name = res.properties.get("agent_name")
    if alias_rx and isinstance(name, str) and re.search(alias_rx, name):
        return f"its name {name!r} says it is not production"
    aliases = [a for a in ctx.inventory.related(res, "alias") if isinstance(a, Resource)]
    if aliases and alias_rx:
        given = [a.properties.get("agent_alias_name") for a in aliases]
        names = [n for n in given if isinstance(n, str)]
        if len(names) == len(given) and all(re.search(alias_rx, n) for n in names):
            return f"all its aliases ({', '.join(names)}) are non-production"
    return None


def check(res: Resource, ctx: EvalContext, params: dict[str, Any]) -> Verdict:
    template = params.get("parameter")
    if not template:
        return Verdict(UNKNOWN, ["parameter off_switch_parameter is not configured"])
    why = _production(res, ctx, params)
    if why:
        return Verdict(PASS, [f"not a production agent: {why}"])
    inv = ctx.inventory
    unknown: list[str] = []
    functions: list[Resource] = []
    for ag in inv.related(res, "action_group"):
        if isinstance(ag, Unknown):
            unknown.append(f"action group: {ag.reason}")
            continue
        for e in inv.out_edges(ag.key, "function"):
            if isinstance(e.dst, Unknown):
                unknown.append(f"action group {ag.label}: function {e.dst.reason}")
            elif e.dst not in [f.key for f in functions]:
                functions.append(inv.resources[e.dst])
    rx = _pattern(template, res.properties.get("agent_name"))
    wanted = template.replace("<agent>", _text(res.properties.get("agent_name")) or "<agent>")
    fails: list[str] = []
    fail_loc = None
    evidence: dict[str, Any] = {"functions": [f.label for f in functions], "off_switch_parameter": wanted}
    for fn in functions:
        found = [(var, path, p) for var, path, p in _env_parameters(fn, ctx) if rx.fullmatch(path)]
        if not found:
            fails.append(f"function {fn.label}'s environment names no off-switch parameter {wanted}")
            fail_loc = fail_loc or fn.attr_location("environment.variables")
            continue
        var, path, param = found[0]
        roles = inv.related(fn, "role")
        if not roles:
            unknown.append(f"function {fn.label} has no role {seen_in(fn)}")
            continue
        for role in roles:
            if isinstance(role, Unknown):
                unknown.append(f"function {fn.label}'s role: {role.reason}")
                continue
            ok, why_unknown = _grants(role, path, param, ctx)
            if not ok:
                if why_unknown:
                    unknown.extend(why_unknown)
                else:
                    fails.append(
                        f"function {fn.label} reads {path} ({var}) but its role {role.label} may not ssm:GetParameter on it"
                    )
                    fail_loc = fail_loc or role.location
    if fails:
        return Verdict(FAIL, fails, location=fail_loc, evidence=evidence)
    if unknown:
        return Verdict(UNKNOWN, unknown[:3], evidence=evidence)
    if not functions:
        return Verdict(PASS, ["the agent has no action-group functions to stop"], evidence=evidence)
    return Verdict(PASS, evidence=evidence)
