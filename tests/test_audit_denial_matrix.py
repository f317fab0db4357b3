"""Denial matrix: for every call the audit declares, a run where only that call is denied and one where it fails.

One small estate (one member account of an Organization, one region: an agent with a guardrail, an
action group, an alias and a knowledge base with a data source; a draft-routed agent without a
guardrail; a flow with a published version; an AgentCore runtime, gateway, memory and tools; the controls
around them; an enforced guardrail, an Organizations Bedrock policy and an SCP) is audited once on moto, every answer
recorded; each run of the matrix replays those answers (a botocore ``before-call`` handler: fast, no
moto) but for the one call, which answers AccessDenied (the protocol's spelling) or HTTP 500
InternalFailure (what the SDK raises once its retries are spent; the retries themselves are
test_audit's throttling test).

What must hold: every finding that does not depend on the call is identical to the full run's; one
that does is UNKNOWN naming the call and the error code; a finding that is gone is a resource of
the failed call's own collector under a coverage gap (AG000) naming the call and the code: no other
area is lost.
"""

from __future__ import annotations

import copy
import json
import os
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest

pytest.importorskip("moto", reason="moto is in the test extras")

from agentgov.audit.collectors import COLLECTORS, member_calls, organization_calls  # noqa: E402

pytestmark = pytest.mark.slow
REGION = "us-east-1"
DEFECT = "issue 13 defect {n}: {what}"

#: (operation, mode) -> (defect number, what): cases that fail today because of a defect the issue lists
XFAIL: dict[tuple[str, str], tuple[int, str]] = {}


def _key(model: Any, params: Any) -> tuple[str, ...]:
    body = params.get("body")
    if isinstance(body, dict):
        body = json.dumps(body, sort_keys=True, default=str)
    elif isinstance(body, bytes):
        body = body.decode("utf-8", "replace")
    return (
        model.service_model.service_name,
        model.name,
        str(params.get("url")),
        str(body or ""),
        str(params.get("query_string")),
    )


class _Http:
    def __init__(self, status: int):
        self.status_code = status
        self.headers: dict[str, str] = {}
        self.content = b""
        self.raw = None


@dataclass
class Tape:
    answers: dict[tuple[str, ...], tuple[int, dict[str, Any]]]
    misses: int = 0


def _denied_code(model: Any) -> str:
    protocol = model.service_model.protocol
    if model.service_model.service_name == "ec2":
        return "UnauthorizedOperation"
    return "AccessDeniedException" if protocol in ("json", "rest-json") else "AccessDenied"


def replay(tape: Tape, target: tuple[str, str] | None, mode: str) -> Any:
    def before_call(model: Any, params: Any = None, **_: Any) -> Any:
        if target is not None and (model.service_model.service_name, model.name) == target:
            if mode == "denied":
                code, status = _denied_code(model), 403
            else:
                code, status = "InternalFailure", 500
            message = f"injected {mode} {target[1]}"
            return _Http(status), {"Error": {"Code": code, "Message": message}, "ResponseMetadata": {"HTTPStatusCode": status}}
        hit = tape.answers.get(_key(model, params or {}))
        if hit is None:
            tape.misses += 1
            return None  # moto answers
        status, parsed = hit
        return _Http(status), copy.deepcopy(parsed)

    return before_call


def _record(tape: Tape) -> list[tuple[str, Any]]:
    def before_call(model: Any, params: Any = None, context: Any = None, **_: Any) -> None:
        if context is not None:
            context["agentgov_tape_key"] = _key(model, params or {})

    def received(response_dict: Any = None, parsed_response: Any = None, context: Any = None, **_: Any) -> None:
        # as parsed, before the after-call handlers (IAM's decodes policy documents in place): replayed, they run again
        key = (context or {}).get("agentgov_tape_key")
        if key is not None and isinstance(parsed_response, dict) and isinstance(response_dict, dict):
            tape.answers[key] = (response_dict.get("status_code", 200), copy.deepcopy(parsed_response))

    return [("before-call", before_call), ("response-received", received)]


@dataclass
class Estate:
    member: str
    tape: Tape
    full: dict[tuple[str, str], Any]
    pack: Any
    params: dict[str, Any]


def _seed(M: Any) -> str:
    (member,) = M.organization(1)
    M.enable_regions(member, [REGION, "eu-west-1"])
    s = M.session_in(member)
    orders = M.deploy_agent(s, REGION, "orders", knowledge_base=True)
    # a flow with a published version, run by the agent's role (a flow's role alone would not be an agent role)
    M.deploy_flow(
        s,
        REGION,
        "support",
        role_arn=orders["agent_role"],
        guardrail={"guardrailIdentifier": orders["guardrail"], "guardrailVersion": "1"},
    )
    M.deploy_agent(s, REGION, "drafty", guardrail=False, alias_version="DRAFT", secret_in_env=True)
    core = M.deploy_agentcore(s, REGION, "runtime", targets=1)
    M.deploy_agentcore_tools(s, REGION, "tools", runtime_id=core["runtime_id"], gateway_role=core["role"])
    M.deploy_controls(s, REGION, "controls")
    M.deploy_enforced_guardrail(s, REGION, "enforced")
    M.deploy_org_bedrock_policy(member, {REGION: M.published_guardrail(M.session_in(M.MANAGEMENT), REGION, "org-guardrail")})
    M.deploy_scp(member, "no-agent-deletes", {"Effect": "Deny", "Action": "bedrock:DeleteAgent", "Resource": "*"})
    return member


def _run(estate_or_member: Any, pack: Any, params: Any, hooks: list[tuple[str, Any]]) -> dict[tuple[str, str], Any]:
    from agentgov.audit.run import AuditOptions, run_audit
    from agentgov.demo import awsmock as M

    member = estate_or_member if isinstance(estate_or_member, str) else estate_or_member.member
    opts = AuditOptions(
        role_name=M.AUDIT_ROLE,
        accounts=[member],
        regions=[REGION],
        run_id="denial-matrix",
        hooks=hooks,
        max_attempts=2,
        workers=4,
    )
    result = run_audit(opts, pack, params)
    try:
        out: dict[tuple[str, str], Any] = {}
        for f in result.findings:
            key = (f.policy_id, f.resource_id if f.policy_id != "AG000" else f"{f.resource_id} {f.evidence.get('api')}")
            out[key] = f
        return out
    finally:
        result.close()


@pytest.fixture(scope="module")
def estate(pack) -> Iterator[Estate]:
    from moto import mock_aws

    from agentgov.demo import awsmock as M
    from agentgov.scanner.config import effective_parameters, load_config

    params = effective_parameters(load_config(None, pack.parameters), pack.parameters)
    saved = {k: os.environ.get(k) for k in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_DEFAULT_REGION", "AWS_PROFILE")}
    os.environ.update(AWS_ACCESS_KEY_ID="testing", AWS_SECRET_ACCESS_KEY="testing", AWS_DEFAULT_REGION=REGION)
    os.environ.pop("AWS_PROFILE", None)
    M.install()
    try:
        with mock_aws(), M.strict_sts():
            member = _seed(M)
            tape = Tape({})
            full = _run(member, pack, params, _record(tape))
            yield Estate(member, tape, full, pack, params)
    finally:
        M.reset()
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v


def _calls() -> list[Any]:
    return sorted({*member_calls(), *organization_calls()})


def _names(msg: str, call: Any, code: str) -> bool:
    return (call.operation in msg or call.action in msg) and code in msg


def _problems(est: Estate, call: Any, mode: str, run: dict[tuple[str, str], Any]) -> list[str]:
    code = ("UnauthorizedOperation" if call.service == "ec2" else None) if mode == "denied" else "InternalFailure"
    gaps = [f for k, f in run.items() if k[0] == "AG000"]
    out = []
    for key, f0 in est.full.items():
        f1 = run.get(key)
        if f1 is None:
            named = [
                g
                for g in gaps
                if call.operation in str(g.evidence.get("api")) and (code is None or g.evidence.get("error_code") == code)
            ]
            if not named:
                out.append(f"{key[0]} {f0.resource_kind} {key[1]}: gone, and no coverage gap names {call.operation}")
            elif f0.resource_type not in _types_of_call(call) and not _qualified(est, f0.policy_id):
                out.append(f"{key[0]} {f0.resource_kind} {key[1]}: gone with {call.operation} (another area: lost whole)")
            continue
        if (f1.status, f1.message) == (f0.status, f0.message):
            continue
        if f1.status == f0.status and (f0.status.value == "FAIL" or _core(f1.message) == _core(f0.message)):
            continue  # the same verdict (a FAIL may name another of its reasons; who uses the resource may be unnamed)
        c = code or _code_of(f1.message)
        if f1.status.value != "UNKNOWN" or not _names(f1.message, call, c or "?"):
            out.append(f"{key[0]} {f0.resource_kind} {key[1]}: {f0.status.value} -> {f1.status.value}: {f1.message[:200]}")
    for key, f1 in run.items():
        if key in est.full:
            continue
        if key[0] == "AG000":
            if call.operation not in str(f1.evidence.get("api")):
                out.append(f"new gap not about {call.operation}: {f1.message[:200]}")
            continue
        c = code or _code_of(f1.message)
        if f1.status.value != "UNKNOWN" or not _names(f1.message, call, c or "?"):
            out.append(f"{key[0]} {f1.resource_kind} {key[1]}: new {f1.status.value}: {f1.message[:200]}")
    return out


def _qualified(est: Estate, policy_id: str) -> bool:
    """Whether the policy judges a kind the graph qualifies from edges (agent_role: a role an agent function
    assumes): when the failed call's resources are not seen, the resource is no longer one, with the gap."""
    from agentgov.scanner.kinds import QUALIFIED_KINDS

    policy = est.pack.get(policy_id)
    return policy is not None and any(k in QUALIFIED_KINDS for k in policy.resource)


def _core(message: str) -> str:
    """A message without its closing "used by ..." / "no scanned ... references it" clause."""
    for tail in (" (used by ", "; used by ", "; no scanned "):
        message = message.split(tail, 1)[0]
    return message


def _code_of(msg: str) -> str | None:
    for code in ("AccessDeniedException", "AccessDenied", "UnauthorizedOperation"):
        if code in msg:
            return code
    return None


def _types_of_call(call: Any) -> set[str]:
    """The native types the collector declaring ``call`` records (its own area)."""
    import re
    from pathlib import Path

    for c in COLLECTORS:
        if call in c.CALLS:
            return set(re.findall(r'"(AWS::[A-Za-z0-9]+::[A-Za-z0-9.]+)"', Path(c.__file__).read_text(encoding="utf-8")))
    return set()


def _cases() -> list[Any]:
    out = []
    for call in _calls():
        for mode in ("denied", "failed"):
            marks = ()
            if (call.operation, mode) in XFAIL or (call.operation, "*") in XFAIL:
                n, what = XFAIL.get((call.operation, mode)) or XFAIL[(call.operation, "*")]
                marks = (pytest.mark.xfail(strict=True, reason=DEFECT.format(n=n, what=what)),)
            out.append(pytest.param(call, mode, marks=marks, id=f"{call.service}.{call.operation}-{mode}"))
    return out


def test_the_replayed_answers_give_the_full_run_again(estate):
    tape = estate.tape
    misses = tape.misses
    again = _run(estate, estate.pack, estate.params, [("before-call", replay(tape, None, "none"))])
    assert tape.misses == misses
    assert {k: (f.status, f.message) for k, f in again.items()} == {k: (f.status, f.message) for k, f in estate.full.items()}


def test_the_full_run_of_the_matrix_estate_has_no_gap_and_judges_every_area(estate):
    gaps = [f.message for k, f in estate.full.items() if k[0] == "AG000"]
    assert gaps == []
    kinds = {f.resource_kind for f in estate.full.values()}
    assert {"agent", "guardrail", "function", "role", "agent_runtime", "gateway", "bucket", "vpc_endpoint"} <= kinds, kinds


@pytest.mark.parametrize(("call", "mode"), _cases())
def test_one_call_denied_or_failing_changes_only_what_depends_on_it(call, mode, estate):
    tape = estate.tape
    run = _run(estate, estate.pack, estate.params, [("before-call", replay(tape, (call.service, call.operation), mode))])
    assert _problems(estate, call, mode, run) == []
