"""AG210: a Bedrock flow applies a guardrail to every prompt node and every knowledge-base node that generates text.

A flow's definition reads as the API's ``FlowDefinition`` in snake_case (the normalizer gives CloudFormation's
``Definition``/``DefinitionString``, Terraform's ``definition`` blocks and a live ``GetFlow``/``GetFlowVersion``
answer that one shape): ``definition.nodes.N.configuration.prompt`` (``PromptFlowNodeConfiguration``) and
``definition.nodes.N.configuration.knowledge_base`` (``KnowledgeBaseFlowNodeConfiguration``) each have an optional
``guardrail_configuration`` (``guardrail_identifier``, ``guardrail_version``). Every prompt node runs a model (an
inline prompt's ``model_id``, or the variant of a Prompt-management prompt); a knowledge-base node generates text
only when it has a ``model_id`` (without one it returns the retrieved results). A node's guardrail needs both the
identifier and the version. Only their presence is judged here: what the guardrail filters is AG207-AG209's.

A loop node (``configuration.loop.definition``) runs a flow definition of its own: its nodes are judged as the
flow's are. A flow version is judged on its own definition (a live ``GetFlowVersion``); in IaC a version is published from the
definition of the flow it names (``FlowArn``), so it is judged on that flow's definition as the files give it.
A definition, a node or a value known only at deploy time (a ``DefinitionS3Location``, an unresolved intrinsic)
makes the verdict UNKNOWN, never PASS; a node that one variant of an unresolved condition leaves without a
guardrail fails (that variant can be deployed).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ..conditions import FAIL, PASS, UNKNOWN, EvalContext, Verdict
from ..model import MISSING, Choice, Expr, Ref, Resource, ShapedUnknown, Unknown

#: the node configurations AG210 judges: configuration member -> what a message calls the node
JUDGED = {"prompt": "prompt node", "knowledge_base": "knowledge-base node"}
#: FlowNode ``type`` -> configuration member (a node whose configuration is absent is known by its type)
_TYPES = {"Prompt": "prompt", "KnowledgeBase": "knowledge_base"}
_SKIP = "SKIP"  # a node AG210 does not judge (not a prompt node, a knowledge-base node that returns results only)
_ORDER = {FAIL: 3, UNKNOWN: 2, PASS: 1, _SKIP: 0}

#: one node's result: (status, what is wrong or unknown, the configuration member judged)
Judged = tuple[str, str | None, str | None]


def _worst(results: list[Judged]) -> Judged:
    return max(results, key=lambda r: _ORDER[r[0]]) if results else (_SKIP, None, None)


def _each(value: Any, judge: Callable[[Any], Judged]) -> Judged:
    """``judge`` of ``value``, or of each option of an unresolved condition (the worst counts)."""
    if isinstance(value, Choice):
        worst = _worst([_each(o, judge) for o in value.options])
        if worst[0] == FAIL and worst[1]:
            return FAIL, f"{worst[1]} (in one variant of condition {value.condition})", worst[2]
        return worst
    return judge(value)


def _set(value: Any) -> bool | None:
    """Whether a value is set: a reference or a built string counts; None when it is known only at deploy time.
    A value of an unresolved condition is set only when every option is (an option without it can be deployed)."""
    if isinstance(value, Choice):
        options = [_set(o) for o in value.options]
        return False if False in options else None if None in options else True
    if isinstance(value, (Ref, Expr, ShapedUnknown)):
        return True
    if isinstance(value, Unknown):
        return None
    return value is not None and value is not MISSING and value != "" and value != {} and value != []


def _guardrail(config: Any) -> tuple[str, str | None]:
    """(PASS/FAIL/UNKNOWN, why) of one node's ``guardrail_configuration``."""
    if isinstance(config, Unknown):
        return UNKNOWN, f"its guardrail configuration is {config.reason}"
    if not isinstance(config, dict) or not config:
        return FAIL, "no guardrail configuration"
    ident, version = config.get("guardrail_identifier"), config.get("guardrail_version")
    has_ident, has_version = _set(ident), _set(version)
    variant = {
        what: f" in one variant of condition {value.condition}"
        for what, value in (("identifier", ident), ("version", version))
        if isinstance(value, Choice)
    }
    if has_ident is False:
        return FAIL, f"a guardrail configuration without a guardrail identifier{variant.get('identifier', '')}"
    if has_version is False:
        return FAIL, f"a guardrail without a version{variant.get('version', '')}"
    if has_ident is None or has_version is None:
        what, value = ("identifier", ident) if has_ident is None else ("version", version)
        reason = value.reason if isinstance(value, Unknown) else "known only at deploy time"
        return UNKNOWN, f"its guardrail {what} is {reason}"
    return PASS, None


def _block(kind: str, block: Any) -> Judged:
    """One prompt or knowledge-base node configuration."""
    if isinstance(block, Unknown):
        return UNKNOWN, f"its configuration is {block.reason}", kind
    if not isinstance(block, dict):
        block = {}
    generates: bool | None = True
    model: Any = None
    if kind == "knowledge_base":
        model = block.get("model_id")
        if isinstance(model, Choice):
            return _each(model, lambda m: _block(kind, {**block, "model_id": m}))
        generates = _set(model)
        if generates is False:
            return _SKIP, None, kind  # returns the retrieved results: no text generated
    config = block.get("guardrail_configuration")
    status, why = _worst_guardrail(config)
    if status == PASS:
        return PASS, None, kind
    if generates is None:  # no guardrail (or one not known), and whether it generates text is not known either
        reason = model.reason if isinstance(model, Unknown) else "known only at deploy time"
        return UNKNOWN, f"whether it generates text is not known (its model_id is {reason})", kind
    return status, why, kind


def _worst_guardrail(config: Any) -> tuple[str, str | None]:
    if isinstance(config, Choice):
        results = [_worst_guardrail(o) for o in config.options]
        fail = next((r for r in results if r[0] == FAIL), None)
        if fail:
            return FAIL, f"{fail[1]} in one variant of condition {config.condition}"
        return next((r for r in results if r[0] == UNKNOWN), (PASS, None))
    return _guardrail(config)


def _node(node: Any) -> Judged:
    if not isinstance(node, dict):
        why = node.reason if isinstance(node, Unknown) else "of an unexpected shape"
        return UNKNOWN, f"a node of the definition is {why}", None
    conf = node.get("configuration")
    if isinstance(conf, Choice):
        return _each(conf, lambda c: _node({**node, "configuration": c}))
    node_type = node.get("type")
    if isinstance(conf, dict):
        judged = next((k for k in JUDGED if k in conf), None)
        if judged is None and conf:
            return _SKIP, None, None
        if judged is not None:
            return _each(conf[judged], lambda b: _block(judged, b))
    if isinstance(node_type, str):
        kind = _TYPES.get(node_type)
        if kind is None:
            return _SKIP, None, None
        if isinstance(conf, Unknown):
            return UNKNOWN, f"its configuration is {conf.reason}", kind
        return _block(kind, {})
    return UNKNOWN, "its type and configuration are known only at deploy time", None


def _name(node: Any, i: int) -> str:
    name = node.get("name") if isinstance(node, dict) else None
    return f"'{name}'" if isinstance(name, str) and name else f"#{i + 1}"


def judge_definition(definition: Any) -> tuple[str, list[str], dict[str, Any], int | None]:
    """(status, messages, evidence, index of the first failing node) of a flow definition."""
    if isinstance(definition, Choice):
        verdicts = [judge_definition(o) for o in definition.options]
        worst = max(verdicts, key=lambda v: _ORDER[v[0]])
        if worst[0] == FAIL:
            return FAIL, [f"{m} (in one variant of condition {definition.condition})" for m in worst[1]], worst[2], worst[3]
        return worst
    if isinstance(definition, Unknown):
        return UNKNOWN, [definition.reason], {}, None
    if definition is None or definition is MISSING:
        definition = {}
    if not isinstance(definition, dict):
        return UNKNOWN, ["the flow's definition is of an unexpected shape"], {}, None
    nodes = definition.get("nodes")
    if isinstance(nodes, (Unknown, Choice)) or (nodes is not None and nodes is not MISSING and not isinstance(nodes, list)):
        shape = nodes.reason if isinstance(nodes, Unknown) else "known only at deploy time"
        return UNKNOWN, [f"the flow's nodes are {shape}"], {}, None
    failing: list[str] = []
    unknown: list[str] = []
    guarded: list[str] = []
    first: int | None = None
    for i, node in enumerate(nodes or []):
        conf = node.get("configuration") if isinstance(node, dict) else None
        if isinstance(conf, dict) and "loop" in conf:  # a loop runs a definition of its own: its nodes are judged too
            loop = conf["loop"]
            inner, messages, ev, _ = judge_definition(loop.get("definition") if isinstance(loop, dict) else loop)
            prefix = f"in loop {_name(node, i)}, "
            failing += [prefix + x for x in ev.get("unguarded", [])]
            unknown += [prefix + x for x in ev.get("unknown") or (messages if inner == UNKNOWN else [])]
            guarded += [prefix + x for x in ev.get("guarded", [])]
            first = i if first is None and inner == FAIL else first
            continue
        status, why, kind = _node(node)
        label = f"{JUDGED.get(kind or '', 'node')} {_name(node, i)}"
        if status == FAIL:
            failing.append(f"{label}: {why}")
            first = i if first is None else first
        elif status == UNKNOWN:
            unknown.append(f"{label}: {why}")
        elif status == PASS:
            guarded.append(label)
    evidence: dict[str, Any] = {"guarded": guarded} if guarded else {}
    if failing:
        evidence["unguarded"] = failing
        return (
            FAIL,
            [f"not every prompt or text-generating knowledge-base node applies a guardrail: {'; '.join(failing)}"],
            evidence,
            first,
        )
    if unknown:
        evidence["unknown"] = unknown
        return UNKNOWN, unknown[:3], evidence, None
    if not guarded:
        return PASS, ["no prompt or text-generating knowledge-base node"], evidence, None
    return PASS, [], evidence, None


def _flow_of(res: Resource, ctx: EvalContext) -> Resource | Unknown:
    """The flow an IaC flow version is published from (its ``FlowArn``)."""
    related = ctx.inventory.related(res, "flow")
    flows = [r for r in related if isinstance(r, Resource)]
    if flows:
        return flows[0]
    unknowns = [r for r in related if isinstance(r, Unknown)]
    if unknowns:
        return Unknown(f"the flow it publishes ({unknowns[0].reason}) is not in the scanned files")
    return Unknown("it names no flow the scan can read (FlowArn)")


def check(res: Resource, ctx: EvalContext, params: dict[str, Any]) -> Verdict:
    evidence: dict[str, Any] = {}
    if res.kind == "flow_version" and res.source != "aws":  # a live version answers its own definition (or none)
        flow = _flow_of(res, ctx)
        if isinstance(flow, Unknown):
            return Verdict(UNKNOWN, [f"the version's definition is not known: {flow.reason}"], path="flow_arn")
        evidence["published_from"] = flow.label
        status, messages, more, _ = judge_definition(flow.properties.get("definition"))
        return Verdict(status, messages, path="flow_arn", evidence={**evidence, **more})
    status, messages, more, first = judge_definition(res.properties.get("definition"))
    path = f"definition.nodes.{first}.configuration" if first is not None else "definition"
    return Verdict(status, messages, path=path, evidence=more)
