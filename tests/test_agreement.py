"""scan, the SCPs and the Config rules agree: for every policy with a preventive or detective form,
what fails `scan` in its golden fixtures is denied by the SCP evaluator (the request that would
deploy it) and found NON_COMPLIANT by its Config rule; what passes is allowed and COMPLIANT.

Preventive forms that protect a control rather than require it (AG601 deny deleting invocation
logging, AG602 deny stopping the organization trail, AG604 deny removing an agent log group's
data-protection policy or key, AG804 deny weakening Object Lock, AG306 deny changing AgentCore
resource policies outside the deployers) have no
deploy request to compare a fixture with; they are listed in NOT_A_DEPLOY_REQUEST and their
statements are checked against the tampering they deny instead.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from agentgov.config_rules import compiler as cr
from agentgov.config_rules.runtime import evaluations
from agentgov.policies.registry import PACK
from agentgov.scanner.config import Config, effective_parameters, load_config
from agentgov.scanner.engine import scan
from agentgov.scanner.model import MISSING, Unknown, walk
from agentgov.scps.compiler import build as build_scps
from agentgov.scps.evaluator import Request, evaluate

HERE = Path(__file__).resolve().parent
TAG = "agentgov:agent"
NOT_A_DEPLOY_REQUEST = {"AG306", "AG601", "AG602", "AG604", "AG804"}


def _fixture_scan(pack, pid: str):
    base = HERE / "policies" / pid
    old = os.getcwd()
    os.chdir(base)
    try:
        cfg = load_config(Path("agentgov.toml"), pack.parameters) if Path("agentgov.toml").is_file() else Config()
        params = effective_parameters(cfg, pack.parameters)
        params.update({"org_trail_arns": ["arn:aws:cloudtrail:us-east-1:111122223333:trail/org"]})
        return scan([Path(".")], pack, params, only=[pid]), params
    finally:
        os.chdir(old)


def _resource(inv, f):
    """The resource a finding judges (fixtures of one policy reuse logical ids across files)."""
    same = [r for r in inv if r.id == f.resource_id and r.source_type == f.resource_type]
    return next((r for r in same if f.location.file in (r.stack, r.location.file)), same[0])


def _values(res, path: str) -> list[Any]:
    return [v for v in walk(res.properties, path) if v is not None and not isinstance(v, Unknown)]


def _tags(res) -> dict[str, str]:
    return {f"aws:RequestTag/{k}": "x" for k in (res.tags or {})} if isinstance(res.tags, dict) else {}


def _ag301(res, inv) -> Request | None:
    ctx = {f"aws:RequestTag/{TAG}": "orders"}
    if any(v for v in _values(res, "vpc_config.subnet_ids")):
        ctx["lambda:VpcIds"] = ["vpc-of-the-subnets"]
    return Request("lambda:CreateFunction", context=ctx)


_CREATE = {"agent": "bedrock:CreateAgent", "agent_alias": "bedrock:CreateAgentAlias",
           "knowledge_base": "bedrock:CreateKnowledgeBase", "guardrail": "bedrock:CreateGuardrail"}  # fmt: skip


def _ag801(res, inv) -> Request | None:
    action = _CREATE.get(res.kind)
    return Request(action, context=_tags(res)) if action else None  # the SCP covers these four creates


def _ag102(res, inv) -> Request | None:
    ctx = {f"aws:RequestTag/{TAG}": "orders"}
    values = [v for v in walk(res.properties, "permissions_boundary") if v is not None]
    if values and not any(v is MISSING for v in values):  # a variant without one is deployable: judge that one
        ctx["iam:PermissionsBoundary"] = "arn:aws:iam::111122223333:policy/agent-boundary"
    return Request("iam:CreateRole", context=ctx)


def _subnets(res) -> list[str]:
    return [v for v in _values(res, "network_configuration.network_mode_config.subnets") if isinstance(v, str)] or (
        ["subnet-1"] if "VPC" in _values(res, "network_configuration.network_mode") else []
    )


def _ag304(res, inv) -> Request | None:
    from agentgov.scanner.analyzers.runtime_network import check
    from agentgov.scanner.conditions import EvalContext

    if any("internet gateway" in m for m in check(res, EvalContext(inv, {}), {}).messages):
        return None  # a subnet's routes are no condition key: the SCP judges the network mode only
    sub = _subnets(res)
    return Request("bedrock-agentcore:CreateAgentRuntime", context={"bedrock-agentcore:subnets": sub} if sub else {})


def _ag904(res, inv) -> Request | None:
    if res.kind == "browser" and "VPC" in _values(res, "network_configuration.network_mode"):
        return None  # session recording is not a condition key: the SCP judges the network mode only
    action = {"code_interpreter": "bedrock-agentcore:CreateCodeInterpreter", "browser": "bedrock-agentcore:CreateBrowser"}[
        res.kind
    ]
    sub = _subnets(res)
    return Request(action, context={"bedrock-agentcore:subnets": sub} if sub else {})


def _ag903(res, inv) -> Request | None:
    if res.kind != "memory":
        return None  # the SCP covers CreateMemory only (no condition key on gateways)
    key = _values(res, "encryption_key_arn")
    if not key:
        return Request("bedrock-agentcore:CreateMemory")
    value = str(key[0]) if isinstance(key[0], str) else "arn:aws:kms:us-east-1:111122223333:key/k"
    if not isinstance(key[0], str) and "alias/aws/" in str(key[0]):
        value = "arn:aws:kms:us-east-1:111122223333:alias/aws/bedrock"
    return Request("bedrock-agentcore:CreateMemory", context={"bedrock-agentcore:KmsKeyArn": value})


def _ag206_role(res, inv) -> Request | None:
    """A model call from the role (tagged as an agent's): with the guardrail its policies require, or none."""
    from agentgov.scanner.analyzers import _guardrail_invocation as gi
    from agentgov.scanner.iam_policies import role_statements

    if gi._bedrock_assumed(res, inv):
        return None  # Bedrock's calls for the agent: judged on the agent
    statements = role_statements(res, inv).statements
    allows = [s for s in statements if s.effect == "Allow" and gi._grants(s)]
    if not allows:
        return None  # the role cannot invoke models
    named = [
        v
        for s in statements
        if s.effect == "Deny" and gi._grants(s)
        for v in gi._guardrail_values(s.condition, gi._NEGATIVE) or []
    ]
    named += [v for s in allows for v in gi._guardrail_values(s.condition, gi._POSITIVE) or []]
    ungated = any(gi._guardrail_values(s.condition, gi._POSITIVE) is None for s in allows) and not any(
        s.effect == "Deny" and gi._grants(s) and gi._guardrail_values(s.condition, gi._NEGATIVE) for s in statements
    )
    ctx: dict[str, Any] = {f"aws:PrincipalTag/{TAG}": "orders"}
    if named and not ungated and isinstance(named[0], str):
        ctx["bedrock:GuardrailIdentifier"] = named[0].replace("*", "1")
    return Request("bedrock:InvokeModel", resource="arn:aws:bedrock:us-east-1::foundation-model/m", context=ctx)


def _ag206(res, inv) -> Request | None:
    if res.kind == "role":
        return _ag206_role(res, inv)
    ids = [v for v in _values(res, "guardrail_configuration.guardrail_identifier") if isinstance(v, str)]
    targets = [t for t in inv.related(res, "guardrail") if not isinstance(t, Unknown)]
    gid = ids[0] if ids else (targets[0].name if targets else None)
    ctx: dict[str, Any] = {f"aws:PrincipalTag/{TAG}": "orders"}
    if gid:
        arn = gid if gid.startswith("arn:") else f"arn:aws:bedrock:us-east-1:111122223333:guardrail/{gid}"
        ctx["bedrock:GuardrailIdentifier"] = f"{arn}:1"
    return Request("bedrock:InvokeModel", resource="arn:aws:bedrock:us-east-1::foundation-model/m", context=ctx)


def _ag802(res, inv) -> Request | None:
    models = [v for v in _values(res, "foundation_model") if isinstance(v, str)]
    if not models:
        return None
    m = models[0]
    if m.startswith("arn:") or m.split(".", 1)[0] in ("us", "eu", "apac", "global"):
        return None  # a profile: IAM judges the models it routes to, which the file does not name
    return Request("bedrock:InvokeModel", resource=f"arn:aws:bedrock:us-east-1::foundation-model/{m}")


def _ag108(res, inv) -> Request | None:
    """Subscribing to the products the role may subscribe to: those its ProductId test names, else an unapproved one."""
    from agentgov.scanner.analyzers.marketplace_subscribe import _grants, _product_tests
    from agentgov.scanner.iam_policies import is_any_resource, role_statements

    statements = role_statements(res, inv).statements
    if any(s.effect == "Deny" and not s.has_condition and _grants(s) == "yes" and any(map(is_any_resource, s.resources))
           for s in statements):  # fmt: skip
        return None  # the role cannot subscribe at all
    named: list[str] = []
    for s in statements:
        if s.effect != "Allow" or _grants(s) != "yes":
            continue
        tests = [
            v for op, v in _product_tests(s.condition) if op.split(":")[-1].lower() in ("stringequals", "stringequalsignorecase")
        ]
        if not tests:
            return Request("aws-marketplace:Subscribe", context={"aws-marketplace:ProductId": ["prod-notapproved00"]})
        named += [p for v in tests for p in (v if isinstance(v, list) else [v]) if isinstance(p, str)]
    return Request("aws-marketplace:Subscribe", context={"aws-marketplace:ProductId": named}) if named else None


def _ag109(res, inv) -> Request | None:
    """Creating the key (a user, or a deactivated key, is not a creation the SCP judges)."""
    service = _values(res, "service_name")
    if res.kind != "service_credential" or not service or "Inactive" in _values(res, "status"):
        return None
    return Request("iam:CreateServiceSpecificCredential", context={"iam:ServiceSpecificCredentialServiceName": service[0]})


def _ag110(res, inv) -> Request | None:
    """Opening the first session the principal may open, with its tags as principal tags. The SCP knows operators by
    operator_tag only: a principal the scan passes because operator_principals names it (ops-*, the fixture's
    agentgov.toml) is denied by the SCP unless tagged too (stricter, not a hole), so it is not compared."""
    from agentgov.scanner.analyzers.operator_sessions import _is_operator, sessions
    from agentgov.scanner.iam_policies import role_statements

    held = sessions(res, inv, role_statements(res, inv).statements)[0]
    if not held or _is_operator(res, ["ops-*"], None)[0]:
        return None
    tags = res.tags if isinstance(res.tags, dict) else {}
    action = next(a for a in held[0]["actions"] if a != "iam:PassRole")
    return Request(action, context={f"aws:PrincipalTag/{k}": v for k, v in tags.items() if isinstance(v, str)})


BUILDERS: dict[str, Callable[[Any, Any], Request | None]] = {
    "AG102": _ag102, "AG108": _ag108, "AG109": _ag109, "AG110": _ag110, "AG206": _ag206, "AG301": _ag301, "AG304": _ag304,
    "AG801": _ag801, "AG802": _ag802, "AG903": _ag903, "AG904": _ag904,
}  # fmt: skip


def test_every_policy_with_an_scp_has_an_agreement_check(pack):
    with_scp = {p.id for p in pack if p.scp_statements}
    assert with_scp == set(BUILDERS) | NOT_A_DEPLOY_REQUEST


@pytest.mark.parametrize("pid", sorted(BUILDERS))
def test_what_fails_scan_is_denied_by_the_scp_and_what_passes_is_allowed(pack, pid):
    result, params = _fixture_scan(pack, pid)
    docs = [d["document"] for d in build_scps(pack, params, only=[pid]).documents]
    assert docs, f"{pid}: no SCP was built with the fixtures' configuration"
    checked = {"FAIL": 0, "PASS": 0}
    for f in result.findings:
        if f.status.value not in checked:
            continue
        res = _resource(result.inventory, f)
        req = BUILDERS[pid](res, result.inventory)
        if req is None:
            continue
        decision = evaluate(docs, req)
        assert decision.denied == (f.status.value == "FAIL"), (
            f"{pid} {f.location.file} {f.resource_id}: scan says {f.status.value}, the SCP "
            f"{'denies' if decision.denied else 'allows'} {req.action} {req.context}"
        )
        checked[f.status.value] += 1
    assert checked["FAIL"] and checked["PASS"], f"{pid}: agreement compared {checked}"


@pytest.mark.parametrize(
    "pid, request_",
    [
        ("AG306", Request("bedrock-agentcore:PutResourcePolicy")),
        ("AG601", Request("bedrock:DeleteModelInvocationLoggingConfiguration")),
        ("AG602", Request("cloudtrail:StopLogging", resource="arn:aws:cloudtrail:us-east-1:111122223333:trail/org")),
        (
            "AG604",
            Request(
                "logs:DeleteDataProtectionPolicy",
                resource="arn:aws:logs:us-east-1:111122223333:log-group:/aws/bedrock-agentcore/runtimes/orders-DEFAULT",
            ),
        ),
        (
            "AG604",
            Request(
                "logs:DisassociateKmsKey",
                resource="arn:aws:logs:us-east-1:111122223333:log-group:/aws/vendedlogs/bedrock-agentcore/memory/notes",
            ),
        ),
        (
            "AG804",
            Request(
                "s3:BypassGovernanceRetention",
                resource="arn:aws:s3:::evidence/x",
                context={"aws:ResourceTag/agentgov:evidence": "true"},
            ),
        ),
    ],
)
def test_control_protecting_scps_deny_the_tampering(pack, pid, request_):
    params = {
        **effective_parameters(Config(), pack.parameters),
        "org_trail_arns": ["arn:aws:cloudtrail:us-east-1:111122223333:trail/org"],
        "deployer_principals": ["arn:aws:iam::*:role/agent-deployer"],
        "scp_break_glass_accounts": ["111122223333"],
    }
    docs = [d["document"] for d in build_scps(pack, params, only=[pid]).documents]
    assert evaluate(docs, request_).denied
    assert not evaluate(docs, Request(request_.action, principal_arn="arn:aws:iam::111122223333:role/agentgov/break-glass/responder",
                                      resource=request_.resource, context=request_.context)).denied  # fmt: skip


def _ci_of(res, paths: dict[str, str]) -> dict[str, Any]:
    """A configuration item holding the resource's values at the paths Config records them."""
    ci: dict[str, Any] = {"resourceType": "AWS::Lambda::Function"}
    for attr, ci_path in paths.items():
        vals = [v for v in walk(res.properties, attr) if v is not None and not isinstance(v, Unknown)]
        if not vals:
            continue
        node = ci
        parts = ci_path.split(".")
        for p in parts[:-1]:
            node = node.setdefault(p, {})
        node[parts[-1]] = vals if attr.endswith("_ids") else vals[0]
    return ci


def _detective() -> list[str]:
    from agentgov.scanner.pack import load_pack

    pack = load_pack()
    return [pid for pid in PACK if pack.get(pid).detective]


DETECTIVE = _detective()  # policies without a detective form (IaC only) have nothing to agree on


@pytest.mark.parametrize("pid", DETECTIVE)
def test_what_fails_scan_is_non_compliant_in_config_and_what_passes_compliant(pack, pid):
    policy = pack.get(pid)
    result, params = _fixture_scan(pack, pid)
    form = cr.form_of(policy, params)
    if form.kind == "guard":
        cfn_guard_rs = pytest.importorskip("cfn_guard_rs")
        paths = cr.ci_paths()[form.resource_types[0]]["paths"]
        for f in result.findings:
            if f.status.value not in ("FAIL", "PASS"):
                continue
            res = _resource(result.inventory, f)
            got = cfn_guard_rs.run_checks(_ci_of(res, paths), form.guard).status
            assert got == f.status.value, f"{pid} {f.resource_id}: scan {f.status.value}, Guard {got}"
    else:
        import datetime as dt

        ev = evaluations(result.findings, dt.datetime.now(dt.UTC))
        by_id = {e["ComplianceResourceId"]: e["ComplianceType"] for e in ev}
        for f in result.findings:
            want = {"FAIL": "NON_COMPLIANT", "UNKNOWN": "NON_COMPLIANT", "PASS": "COMPLIANT", "SUPPRESSED": "COMPLIANT"}.get(
                f.status.value
            )
            if want and "::" in f.resource_type:
                assert by_id[f.resource_id] in ("NON_COMPLIANT", "COMPLIANT")
                if sum(1 for g in result.findings if g.resource_id == f.resource_id) == 1:
                    assert by_id[f.resource_id] == want, f"{pid} {f.resource_id}"
