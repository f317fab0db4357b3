"""The agentgov pack as checkov checks: which policies checkov can run, and the files that run them.

``agentgov checkov-dir`` writes a directory that ``checkov --external-checks-dir``
loads. It holds one generated module per policy that checkov's single-resource
model can express; each defines a CloudFormation and/or a Terraform check class
(checkov's ``BaseResourceCheck``) whose id is the agentgov id and whose name is
the policy title. The classes hold no logic of their own: they hand checkov's
resource configuration to ``checkov_runtime``, which turns it into agentgov's
``Resource`` record (with agentgov's CloudFormation resolver and normalizer)
and judges it with agentgov's condition evaluator (``engine.judge``). The pack
stays the one source of truth; regenerating is only needed when the pack's
list of policies changes (the modules name policies, not their conditions).

What a check reads beyond the resource checkov hands it:
* CloudFormation: the template's ``Parameters`` (defaults), ``Mappings`` and
  ``Conditions``, and the ``Type`` of the other resources (so that a ``Ref``
  is a reference and ``!GetAtt Guardrail.Version`` is known to be ``DRAFT``).
  Never another resource's properties.
* Terraform: nothing. A reference names the type of what it references
  (``aws_bedrock_guardrail.g.version``), which is all it is used for.
* the agentgov configuration (``agentgov.toml`` / ``pyproject.toml`` found in
  the working directory, as ``agentgov scan`` finds it): parameter values.

What checkov cannot express (``plan()`` says why, per policy):
* a resource kind agentgov computes from edges (``agent_role``,
  ``agent_function``...: which roles and functions are an agent's);
* ``related`` / ``used_by`` conditions (another resource's attributes);
* ``exists`` (some resource in the stack or account satisfies a check);
* analyzers that read other resources (see ``CROSS_RESOURCE_ANALYZERS``);
* policies settled only by ``agentgov audit`` (``live_only``).

This module imports neither checkov nor boto3.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from agentgov.policies.compiled import AnalyzerCall, Attr, Exists, PolicySpec, Related, UsedBy, conditions
from agentgov.scanner.kinds import AWSCC_TYPES, KINDS, QUALIFIED_KINDS
from agentgov.scanner.model import Expr, Inventory, Location, RawResource, Ref, Resource, Unknown, make_expr

#: analyzers that read only the judged resource (and, for a reference, the type of what it references)
SINGLE_RESOURCE_ANALYZERS: dict[str, str] = {
    "secrets_in_agent_text": "reads the agent's instruction and prompts, or the action group's schema",
    "irreversible_actions": "reads the action group's own functions or API schema and confirmation settings",
    "customer_managed_key": "reads the resource's key attribute; a reference is a key by the referenced resource's type",
    "agentcore_tool_isolation": "reads the code interpreter's or browser's own network and recording settings",
    "harmful_content_filters": "reads the guardrail's own content filters",
}

#: every other analyzer, with what makes it cross-resource
CROSS_RESOURCE_ANALYZERS: dict[str, str] = {
    "least_privilege": "judges the permissions of a role from its inline policies and the policies attached to it by other resources",
    "permissions_boundary": "judges roles found through the graph (agent roles)",
    "privilege_escalation": "follows escalation paths over the role's attached policies and the roles it can pass",
    "trust_policy": "judges roles found through the graph (agent roles)",
    "broad_managed_policies": "reads managed policies attached by other resources",
    "function_invoke_policy": "reads the Lambda permissions (other resources) of a function found through the graph",
    "secrets_in_environment": "judges functions found through the graph (agent functions)",
    "registered_guardrail": "reads the name and ARN of the guardrail resource the agent references, and the policies attached to an agent role",
    "approved_model": "follows an application inference profile the agent references to the model it copies",
    "collaborator_guardrails": "reads the guardrails of the collaborator agents (other resources)",
    "gateway_write_tools": "reads the gateway's targets (other resources)",
    "vpc_interface_endpoints": "looks for VPC endpoints (other resources) in the function's VPC",
    "vpc_endpoint_hardening": "judges endpoints found through the graph and their separate endpoint policies",
    "secret_parameter": "judges template parameters and input variables, which checkov does not hand to resource checks",
    "secret_protection": "judges secrets found through the graph, with their rotation schedules (other resources)",
    "off_switch": "looks at the aliases, versions and invocation permissions (other resources) of the agent",
    "legacy_model": "follows an application inference profile the agent references to the model it copies",
    "log_delivery": "reads the log delivery sources, deliveries and destinations (other resources) that name the resource",
    "vector_store_public": "follows the knowledge base to its collection and the network policies (other resources) covering it",
    "agentcore_resource_policy": "reads the resource policies (other resources) attached to the runtime or gateway",
    "runtime_image_repository": "follows the runtime's container URI to its ECR repository and the registry's scanning configuration",
    "gateway_web_acl": "looks for the web ACL associations (other resources) that name the gateway",
    "vector_store_key": "follows the knowledge base to its collection and the encryption policies (other resources) covering it",
    "bedrock_api_keys": "reads the permissions of the key's IAM user (another resource) for the evidence",
    "marketplace_subscribe": "judges a role's permissions from its inline policies and the policies other resources attach to it",
    "operator_sessions": "judges a role's or user's permissions from its policies (other resources) and resolves the roles it may pass",
    "unused_permissions": "reads IAM service last accessed, which only `agentgov audit` collects",
    "shared_execution_role": "compares the agent's role with the roles of every other agent and runtime (other resources)",
    "runtime_network": "follows the runtime's subnets to their route tables and routes (other resources)",
    "cost_controls": "looks for budgets and cost anomaly subscriptions (other resources) of the account",
    "flow_guardrails": "judges a flow version on the definition of the flow (another resource) it is published from",
}

#: kinds whose resources CloudFormation declares inside another resource (normalize._inline_action_groups)
INLINE_CFN_KINDS: dict[str, tuple[str, ...]] = {"action_group": ("AWS::Bedrock::Agent",)}
#: the same for Terraform: the awscc provider's agent holds its action groups as CloudFormation does
INLINE_TF_KINDS: dict[str, tuple[str, ...]] = {"action_group": ("awscc_bedrock_agent",)}


@dataclass
class Plan:
    """What checkov can run of one policy: resource types per framework, or the reasons it cannot."""

    policy: PolicySpec
    cfn_types: tuple[str, ...] = ()
    tf_types: tuple[str, ...] = ()
    kinds: tuple[str, ...] = ()  # the kinds judged inside checkov
    not_run: list[str] = field(default_factory=list)  # why the policy (or part of it) does not run in checkov

    @property
    def expressible(self) -> bool:
        return bool(self.cfn_types or self.tf_types)


def _folded_properties() -> dict[str, dict[str, str]]:
    """kind -> {property: Terraform type of the separate resource the graph folds into it}."""
    from agentgov.scanner.graph import _SPLIT_RESOURCES

    out: dict[str, dict[str, str]] = {}
    for split_kind, target_kind, prop in _SPLIT_RESOURCES:
        out.setdefault(target_kind, {})[prop] = ", ".join(KINDS[split_kind][1])
    return out


def plan(policy: PolicySpec, parameters: dict[str, Any] | None = None) -> Plan:
    """What checkov can run of ``policy``; ``parameters``: the pack's parameter specs (default: the built-in pack's)."""
    p = Plan(policy)
    blockers: list[str] = []
    if policy.live_only:
        blockers.append("settled only by `agentgov audit` (the control lives in the account, not in the stack)")
    attrs: list[str] = []
    for c in conditions(policy.check):
        if isinstance(c, Related):
            blockers.append(f"judges the resource's {c.related} (another resource, through the graph)")
        elif isinstance(c, UsedBy):
            blockers.append(f"names the resources that use it through {c.rel} (a graph relation)")
        elif isinstance(c, Exists):
            blockers.append(
                f"looks for any {c.kind.replace('_', ' ')} in the {c.scope.replace('_', ' and ')} (several resources)"
            )
        elif isinstance(c, AnalyzerCall):
            if c.analyzer in CROSS_RESOURCE_ANALYZERS:
                blockers.append(f"its analyzer {c.analyzer} {CROSS_RESOURCE_ANALYZERS[c.analyzer]}")
            elif c.analyzer not in SINGLE_RESOURCE_ANALYZERS:
                blockers.append(f"its analyzer {c.analyzer} is not classified for checkov")
        elif isinstance(c, Attr):
            attrs.append(c.attr)
    if parameters is None:
        from agentgov.scanner.pack import load_pack

        parameters = load_pack().parameters
    no_default = [name for name in policy.parameters if name in parameters and parameters[name].default is None]
    if blockers:
        p.not_run.extend(dict.fromkeys(blockers))
        p.not_run.extend(f"its parameter {name} has no default (agentgov.toml must set it)" for name in no_default)
        return p
    p.not_run.extend(
        f"parameter {name} has no default: UNKNOWN (SKIPPED in checkov) until agentgov.toml sets it" for name in no_default
    )
    kinds: list[str] = []
    for kind in policy.resource:
        if kind in QUALIFIED_KINDS:
            p.not_run.append(
                f"{kind.replace('_', ' ')}s: which {QUALIFIED_KINDS[kind]}s are {kind.replace('_', ' ')}s is computed from references between resources (the graph)"
            )
        else:
            kinds.append(kind)
    folded = _folded_properties()
    cfn: list[str] = []
    tf: list[str] = []
    for kind in kinds:
        cfn.extend(KINDS[kind][0] or INLINE_CFN_KINDS.get(kind, ()))
        split = {prop: t for prop, t in folded.get(kind, {}).items() if any(a == prop or a.startswith(prop + ".") for a in attrs)}
        if split:
            p.not_run.append(
                f"Terraform {kind.replace('_', ' ')}s: {', '.join(sorted(split))} may be set by a separate resource "
                f"({', '.join(sorted(set(split.values())))}), which agentgov's graph folds into the {kind.replace('_', ' ')}"
            )
        else:
            tf.extend(KINDS[kind][1] + tuple(t for t, k in AWSCC_TYPES.items() if k == kind) + INLINE_TF_KINDS.get(kind, ()))
    p.kinds = tuple(kinds)
    p.cfn_types = tuple(dict.fromkeys(cfn))
    p.tf_types = tuple(dict.fromkeys(tf))
    return p


def plans(pack) -> list[Plan]:
    return [plan(pol, pack.parameters) for pol in pack]


# ------------------------------------------------------------------ judging


class Refused(Exception):
    """The check cannot judge (its reason becomes a SKIPPED comment)."""


_STATE: dict[str, Any] = {}
#: the user packs the generated modules name (``use_policy_dirs``): their policies are judged too
_POLICY_DIRS: list[str] = []


def use_policy_dirs(dirs: tuple[str, ...]) -> None:
    """Called by a generated module of a pack with user policies: load these packs with the built-in one."""
    new = [d for d in dirs if d not in _POLICY_DIRS]
    if new:
        _POLICY_DIRS.extend(new)
        _STATE.clear()  # loaded again, with them


def _pack_and_params() -> tuple[Any, dict[str, Any]]:
    """The pack (built-in, the user packs of the generated modules and of the configuration, its overrides) and the
    effective parameters (agentgov.toml/pyproject.toml of the working directory), once."""
    if "error" in _STATE:
        raise Refused(_STATE["error"])
    if "pack" not in _STATE:
        from agentgov.scanner.config import ConfigError, effective_parameters, load_config
        from agentgov.scanner.pack import PackError, load_effective

        try:
            pack = load_effective(None, [Path(d) for d in _POLICY_DIRS])
            cfg = load_config(None, pack.parameters)
        except (PackError, ConfigError) as exc:
            _STATE["error"] = f"agentgov configuration error: {exc}"
            raise Refused(_STATE["error"]) from None
        _STATE["pack"] = pack
        _STATE["params"] = effective_parameters(cfg, pack.parameters)
    return _STATE["pack"], _STATE["params"]


_ORDER = ("FAIL", "ERROR", "UNKNOWN", "SUPPRESSED", "PASS")


def judge(policy_id: str, kinds: tuple[str, ...], resources: list, inv, pack=None, params=None) -> tuple[str | None, list[str]]:
    """agentgov's verdict (worst over the judged resources) and its messages; (None, []) when nothing applies.

    ``pack``/``params`` default to the built-in pack and the configuration of the working directory."""
    from agentgov.scanner.analyzers import ANALYZERS
    from agentgov.scanner.conditions import EvalContext
    from agentgov.scanner.engine import judge as judge_one

    if pack is None or params is None:
        pack, params = _pack_and_params()
    policy = pack.get(policy_id)
    if policy is None:  # a user policy whose pack no longer loads it (an error in its file): never a pass
        dirs = ", ".join(_POLICY_DIRS) or "the built-in pack"
        raise Refused(f"policy {policy_id} is not in the policy packs loaded ({dirs}): run `agentgov policies list` there")
    ctx = EvalContext(inventory=inv, params=params, policy_id=policy_id, analyzers=ANALYZERS)
    findings = [judge_one(policy, r, ctx) for r in resources if r.kind in kinds]
    if not findings:
        return None, []
    worst = min((f.status.value for f in findings), key=_ORDER.index)
    msgs = []
    for f in findings:
        if f.status.value == worst:
            where = f"{f.resource_id}: " if len(findings) > 1 else ""
            text = f.message if worst != "SUPPRESSED" else ((f.suppression or {}).get("reason") or "no reason given")
            msgs.append(where + text)
    return worst, msgs


# ------------------------------------------------------------------ the directory

_HEADER = '''"""{pid}: {title}

Generated by `agentgov checkov-dir` (agentgov {version}, pack {digest}); do not edit.
The check judges with agentgov's policy {pid} (agentgov.policies, agentgov.scanner.conditions).
"""
from agentgov.integrations.checkov_runtime import AgentgovCfnCheck, AgentgovTfCheck
'''

_USER = """from agentgov.integrations.checkov_pack import use_policy_dirs

use_policy_dirs({dirs!r})  # the user policy packs of `agentgov checkov-dir --policies` / policy_paths
"""

_CLASS = """

class {cls}({base}):
    def __init__(self) -> None:
        super().__init__(policy_id={pid!r}, name={name!r}, supported_resources={types!r}, kinds={kinds!r})


{var} = {cls}()
"""


def module_text(p: Plan, version: str, digest: str, policy_dirs: tuple[str, ...] = ()) -> str:
    pol = p.policy
    # a title is a user's text inside generated Python: escaped, so that it stays inside the docstring
    title = json.dumps(pol.title)[1:-1].replace('"', "'")
    text = _HEADER.format(pid=pol.id, title=title, version=version, digest=digest[:12])
    if policy_dirs:
        text += _USER.format(dirs=tuple(policy_dirs))
    if p.cfn_types:
        text += _CLASS.format(
            cls=f"{pol.id}CloudFormation",
            base="AgentgovCfnCheck",
            pid=pol.id,
            name=pol.title,
            types=p.cfn_types,
            kinds=p.kinds,
            var="cloudformation_check",
        )
    if p.tf_types:
        text += _CLASS.format(
            cls=f"{pol.id}Terraform",
            base="AgentgovTfCheck",
            pid=pol.id,
            name=pol.title,
            types=p.tf_types,
            kinds=p.kinds,
            var="terraform_check",
        )
    return text


def manifest(pack, version: str) -> dict[str, Any]:
    """What the directory holds and what it leaves out, with the reasons (written as ``agentgov-checks.json``)."""
    run, not_run = [], []
    for p in plans(pack):
        if p.expressible:
            run.append(
                {
                    "id": p.policy.id,
                    "title": p.policy.title,
                    "cloudformation": list(p.cfn_types),
                    "terraform": list(p.tf_types),
                    "not_covered": p.not_run,
                }
            )
        else:
            not_run.append({"id": p.policy.id, "title": p.policy.title, "reasons": p.not_run})
    return {"agentgov": version, "pack": pack.digest, "checks": run, "not_run": not_run}


def default_dir(pack, version: str) -> Path:
    from agentgov.policies.registry import cache_dir

    return cache_dir() / f"checkov-{version}-{pack.digest[:12]}"


def write_dir(out: Path, pack, version: str) -> list[Path]:
    """Write the check modules into ``out`` (created; stale agentgov modules removed). Returns the files written."""
    out.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    init = out / "__init__.py"
    init.write_text(
        "# agentgov checks for checkov --external-checks-dir (generated by `agentgov checkov-dir`)\n", encoding="utf-8"
    )
    written.append(init)
    keep = set()
    for p in plans(pack):
        if not p.expressible:
            continue
        f = out / f"agentgov_{p.policy.id.lower()}.py"
        dirs = tuple(str(Path(u["path"]).resolve()) for u in getattr(pack, "user_packs", []))
        f.write_text(module_text(p, version, pack.digest, dirs), encoding="utf-8")
        keep.add(f.name)
        written.append(f)
    for old in out.glob("agentgov_*.py"):
        if old.name not in keep:
            old.unlink()
    for stale in (out / "agentgov-checks.json",):  # an earlier layout: checkov reads .json/.yaml files here as policies
        if stale.exists():
            stale.unlink()
    m = out / "README.txt"  # not .json/.yaml: checkov would try to load it as a custom policy
    m.write_text(readme_text(manifest(pack, version)), encoding="utf-8")
    written.append(m)
    return written


def readme_text(man: dict[str, Any]) -> str:
    lines = [
        f"agentgov {man['agentgov']} checks for `checkov --external-checks-dir` (pack {man['pack'][:12]}).",
        "Generated by `agentgov checkov-dir`; regenerate after upgrading agentgov.",
        "",
        "Run inside checkov:",
    ]
    for c in man["checks"]:
        fw = ", ".join(f for f, t in (("CloudFormation", c["cloudformation"]), ("Terraform", c["terraform"])) if t)
        lines.append(f"  {c['id']}  {c['title']}  [{fw}]")
        lines.extend(f"         not covered: {r}" for r in c["not_covered"])
    lines += ["", "Not run inside checkov (run `agentgov scan` for these):"]
    for c in man["not_run"]:
        lines.append(f"  {c['id']}  {c['title']}")
        lines.extend(f"         {r}" for r in c["reasons"])
    return "\n".join(lines) + "\n"


# ------------------------------------------------------- checkov's conf -> Resource

_CHECKOV_MARKS = ("__file__", "__startline__", "__endline__")


def _strip_marks(v: Any) -> Any:
    if isinstance(v, dict):
        return {k: _strip_marks(x) for k, x in v.items() if k not in _CHECKOV_MARKS}
    if isinstance(v, list):
        return [_strip_marks(x) for x in v]
    return v


@dataclass
class _TemplateContext:
    body: dict[str, Any]  # the template without Resources
    types: dict[str, str]  # logical id -> Type of every resource


_TEMPLATES: dict[str, _TemplateContext | None] = {}


def _template_context(file: str | None) -> _TemplateContext | None:
    """Parameters, Mappings, Conditions and resource types of the template checkov read (None: unreadable)."""
    if not file:
        return None
    if file in _TEMPLATES:
        return _TEMPLATES[file]
    ctx = None
    try:
        from agentgov.scanner.discover import read_text
        from agentgov.scanner.sources.cloudformation import parse_template

        path = Path(file)
        tpl = parse_template(path, path.as_posix(), read_text(path, path.as_posix()))
        body = {k: v for k, v in tpl.body.items() if k != "Resources"}
        types = {
            lid: r["Type"] for lid, r in tpl.body["Resources"].items() if isinstance(r, dict) and isinstance(r.get("Type"), str)
        }
        ctx = _TemplateContext(body, types)
    except Exception:  # checkov parsed it; agentgov cannot: judge the resource on its own
        ctx = None
    _TEMPLATES[file] = ctx
    return ctx


def cfn_resources(conf: dict[str, Any], logical_id: str, scanned_file: str) -> tuple[list[Resource], Inventory, str | None]:
    """checkov's CloudFormation resource (``{Type, Properties, ...}``) -> agentgov Resources.

    Returns the resources to judge (the resource and the inline parts it holds),
    the inventory they are judged in (them, plus a typed stub of every other
    resource of the template: references resolve to a type, never to properties),
    and a note when the template could not be read (judged without its parameters).
    """
    from agentgov.scanner.normalize import normalize
    from agentgov.scanner.sources.cloudformation import Template, template_resources

    props = conf.get("Properties")
    file = props.get("__file__") if isinstance(props, dict) else None
    clean = _strip_marks(conf)
    if isinstance(clean.get("Properties"), dict):
        clean["Properties"].pop("resource_type", None)  # checkov's own key, not a property
    context = _template_context(file)
    note = None
    if context is None:
        note = "the template's parameters and conditions could not be read: judged on the resource alone"
        body: dict[str, Any] = {}
        types: dict[str, str] = {}
    else:
        body, types = dict(context.body), dict(context.types)
    resources = {lid: {"Type": t} for lid, t in types.items() if lid != logical_id}
    resources[logical_id] = clean
    body["Resources"] = resources
    display = scanned_file.lstrip("/") or "template"
    tpl = Template(path=Path(file or display), display=display, body=body, marks={})
    raws, errors = template_resources(tpl)
    inv = Inventory()
    for raw in raws:
        for r in normalize(raw):
            inv.add(r)
    key = f"{display}#{logical_id}"
    judged = [r for r in inv if r.key == key or r.parent == key]
    if not judged and errors:
        note = "; ".join(e.reason for e in errors[:2])
    return judged, inv, note


# Terraform: checkov wraps every attribute value in a list ({"name": ["x"]}); blocks are lists of
# such dicts; references and interpolations stay as text ("aws_bedrock_guardrail.g.version").
_META_ARGS = {"count", "for_each", "depends_on", "lifecycle", "provider", "provisioner", "connection", "dynamic"}
_TRAVERSAL = r"[A-Za-z_][\w-]*(?:\[[^\]]*\]|\.[A-Za-z_*][\w-]*|\.\d+)+"
_FULL_REF = re.compile(rf"\$\{{\s*({_TRAVERSAL})\s*\}}|({_TRAVERSAL})")
_INTERP = re.compile(r"\$\{([^{}]*)\}")
_SYMBOLIC_ROOTS = ("var", "local", "module", "data", "each", "count", "path", "self", "terraform")
_RESOURCE_TYPE = re.compile(r"[a-z][a-z0-9]*_[a-z0-9_]+")


def _reference(text: str) -> Any:
    """The value of a Terraform traversal checkov left as text, or None when ``text`` is not one."""
    head, _, rest = text.partition(".")
    head = head.split("[", 1)[0]
    if head == "var":
        name = re.split(r"[.\[]", rest, maxsplit=1)[0]
        return Unknown(
            f"variable var.{name} has no value in checkov's configuration (no default, no tfvars)", origin=f"variable:{name}"
        )
    if head in _SYMBOLIC_ROOTS:
        return Unknown(f"{text} is not resolved in checkov's configuration")
    if not _RESOURCE_TYPE.fullmatch(head):
        return None
    m = re.match(r"([a-z][a-z0-9_]*\.[A-Za-z_][\w-]*(?:\[[^\]]*\])?)(?:\.(.+))?$", text)
    if not m:
        return None
    return Ref(m.group(1), m.group(2))


def tf_value(v: Any) -> Any:
    """One attribute value (already unwrapped) in agentgov's terms: text references become Ref/Unknown/Expr."""
    if isinstance(v, str):
        m = _FULL_REF.fullmatch(v.strip())
        if m:
            ref = _reference(m.group(1) or m.group(2))
            if ref is not None and (m.group(1) or "." in v):
                return ref
        if "${" in v:
            parts: list[Any] = []
            pos = 0
            for im in _INTERP.finditer(v):
                parts.append(v[pos : im.start()])
                inner = im.group(1).strip()
                ref = _reference(inner) if re.fullmatch(_TRAVERSAL, inner) else None
                parts.append(ref if ref is not None else Unknown(f"${{{inner}}} is not evaluated in checkov's configuration"))
                pos = im.end()
            parts.append(v[pos:])
            return make_expr(parts)
        return v
    if isinstance(v, list):
        return [tf_value(x) for x in v]
    if isinstance(v, dict):
        return {k: tf_value(x) for k, x in v.items()}
    return v


def _is_block(d: Any) -> bool:
    return isinstance(d, dict) and all(isinstance(x, list) for k, x in d.items() if not k.startswith("__"))


def tf_body(conf: dict[str, Any]) -> dict[str, Any]:
    """checkov's list-wrapped body -> agentgov's: attributes unwrapped, blocks as lists of bodies."""
    out: dict[str, Any] = {}
    dynamic: set[str] = set()
    for d in conf.get("dynamic") or []:
        if isinstance(d, dict):
            dynamic.update(d)
    for k, v in conf.items():
        if k.startswith("__") or k in _META_ARGS:
            continue
        if k in dynamic:
            out[k] = Unknown(
                f"{k} is a dynamic block: checkov's configuration does not carry its for_each, so whether it exists is unknown"
            )
            continue
        if isinstance(v, list) and v and all(_is_block(b) for b in v):  # blocks (a map of lists reads as one: rare)
            out[k] = [tf_body(b) for b in v]
        elif isinstance(v, list) and len(v) == 1:
            out[k] = tf_value(v[0])
        else:
            out[k] = tf_value(v)
    return out


def _refs(v: Any) -> list[Ref]:
    if isinstance(v, Ref):
        return [v]
    if isinstance(v, Expr):
        return list(v.refs)
    if isinstance(v, dict):
        return [r for x in v.values() for r in _refs(x)]
    if isinstance(v, list):
        return [r for x in v for r in _refs(x)]
    return []


def tf_resources(conf: dict[str, Any], rtype: str, name: str, scanned_file: str) -> tuple[list[Resource], Inventory, str | None]:
    """checkov's Terraform resource -> agentgov Resources, in an inventory with a typed stub per referenced address."""
    from agentgov.scanner.kinds import TYPE_TO_KIND
    from agentgov.scanner.normalize import normalize

    given = conf.get("__address__")
    address = given if isinstance(given, str) else f"{rtype}.{name}"
    display = scanned_file.lstrip("/")
    stack = display.rsplit("/", 1)[0] if "/" in display else "."
    props = tf_body(conf)
    line = conf.get("__start_line__")
    raw = RawResource(
        source="terraform",
        type=rtype,
        local_id=address,
        properties=props,
        location=Location(file=display, line=line if isinstance(line, int) else None),
        stack=stack,
        display_name=address,
    )
    judged = normalize(raw)
    inv = Inventory()
    for r in judged:
        inv.add(r)
    for ref in _refs(props):
        stype = ref.target.split(".", 1)[0]
        kind = TYPE_TO_KIND.get(stype)
        key = f"{stack}#{ref.target}"
        if kind and key not in inv.resources:
            inv.add(
                Resource(
                    kind=kind,
                    id=ref.target,
                    key=key,
                    source="terraform",
                    source_type=stype,
                    stack=stack,
                    location=Location(file=display),
                )
            )
    return judged, inv, None
