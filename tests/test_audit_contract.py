"""The collectors against botocore's service models: what a policy reads on a live kind, some collector produces.

For every call the collectors declare, a shape-complete answer is built from the
operation's output shape (``aws_models.operation_answer``: every member, valid enum
values, one element per list; one variant per member of the widest tagged union) and
every collector runs on those answers (a botocore ``before-call`` handler answers: no
request, no network). The records it produces are the live side of the contract.

The reading side: every attribute path a policy's declarative conditions name for a kind
(static), and every path the analyzers and conditions actually read while judging the
golden IaC fixtures (``read_trace``: recorded per policy and kind). A path read on a kind a
collector produces must be produced by some collector, or be declared IaC-only by that
policy (``iac_only: {kind: [paths]}``). Inside a policy document, a map (tags,
environment variables) or a value the model types as a document, the paths are data, not
model members.

A path that names an input-only member (a member of a request shape that no answer has:
``parent_action_group_signature`` where GetAgentActionGroup answers
``parentActionSignature``) says so in the failure.
"""

from __future__ import annotations

import copy
from collections import defaultdict
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("boto3")

from aws_models import ACCOUNT, REGION, fake_answers, fake_session, operation_answer, service_model, union_width, walk_paths  # noqa: E402
from read_trace import ReadLog, traced  # noqa: E402

from agentgov.audit.collectors import COLLECTORS, member_calls, organization_calls  # noqa: E402
from agentgov.scanner.normalize import snake  # noqa: E402

FIXTURES = Path(__file__).parent / "policies"
DEFECT = "issue 13 defect {n}: {what}"

#: policies whose reads on live kinds break the contract today, by the defect of issue 13 that fixes them
XFAIL: dict[str, tuple[int, str]] = {}  # (defects 1, 3 and 4 were fixed: the contract holds for every policy)


def _calls() -> list[Any]:
    return sorted({*member_calls(), *organization_calls()} - {c for c in member_calls() if c.operation == "DescribeRegions"})


def _collector_calls() -> list[Any]:
    return sorted({c for col in COLLECTORS for c in col.CALLS})


# ------------------------------------------------------------ live side


class LiveSide:
    def __init__(self) -> None:
        self.paths: dict[str, set[str]] = defaultdict(set)  # kind -> every dotted path of its records
        self.free: dict[str, set[str]] = defaultdict(set)  # kind -> paths whose value is data (documents, maps)
        self.records: dict[str, list[Any]] = defaultdict(list)
        self.variants = 0
        self.by_area: dict[str, int] = defaultdict(int)  # collector -> records it produced
        self.failures: list[str] = []


def _is_free(value: Any) -> bool:
    """A value whose keys are data, not model members: a policy document, a map of names, an Unknown."""
    from agentgov.scanner.model import Unknown

    if isinstance(value, Unknown):
        return True
    if isinstance(value, dict):
        return "Statement" in value or "Version" in value or any(k in ("mapKey0", "map_key0") for k in value)
    return isinstance(value, str) and value.startswith("{")  # a JSON text member (a policy, an inline schema payload)


@pytest.fixture(scope="module")
def live_side() -> LiveSide:
    from agentgov.audit.collectors.reach import Reach
    from agentgov.audit.run import AuditOptions, _collect

    calls = _collector_calls()
    shapes = [service_model(c.service).operation_model(c.operation).output_shape for c in calls]
    side = LiveSide()
    side.variants = max(union_width(s) for s in shapes if s is not None)
    opts = AuditOptions(role_name="contract", max_attempts=1)
    for variant in range(side.variants):
        cache: dict[tuple[str, str], dict[str, Any]] = {}

        def answer(
            service: str, operation: str, _request: dict[str, Any], v: int = variant, cache: dict = cache
        ) -> dict[str, Any]:
            if (service, operation) not in cache:
                cache[(service, operation)] = operation_answer(service, operation, v)
                if operation == "GetServiceLastAccessedDetails":  # a done job (the model's first JobStatus is IN_PROGRESS)
                    cache[(service, operation)]["JobStatus"] = "COMPLETED"
            return copy.deepcopy(cache[(service, operation)])

        session = fake_session(fake_answers(answer))
        roles: set[str] = set()
        for collector in COLLECTORS:
            region = REGION if collector.SCOPE == "regional" else None
            # a collector that reads for the agent roles (IAM service last accessed) reads every role read so far
            reach = Reach(frozenset(), (), frozenset(roles)) if getattr(collector, "AGENT_ROLES", False) else None
            resources, gaps, failures, _kinds = _collect(collector, session, ACCOUNT, region, opts, reach=reach)
            roles.update(r.arn for r in resources if r.kind == "role" and isinstance(r.arn, str))
            side.failures += [f"{collector.AREA}: gap {g.api} {g.code} {g.message}" for g in gaps]
            side.failures += [f"{collector.AREA}: {f}" for f in failures]
            side.by_area[collector.AREA] += len(resources)
            for r in resources:
                side.records[r.kind].append(r)
                for path, value in walk_paths(r.properties):
                    side.paths[r.kind].add(path)
                    if _is_free(value):
                        side.free[r.kind].add(path)
    return side


def produced(side: LiveSide, kind: str, path: str) -> bool:
    if path in side.paths[kind]:
        return True
    parts = path.split(".")
    return any(".".join(parts[:i]) in side.free[kind] for i in range(1, len(parts)))


# ------------------------------------------------------------ reading side


def _static_reads(pack: Any) -> set[tuple[str, str, str]]:
    """(policy, kind, path) for every attribute path a policy's declarative conditions name."""
    from agentgov.policies.compiled import attribute_reads
    from agentgov.scanner.kinds import QUALIFIED_KINDS

    out: set[tuple[str, str, str]] = set()
    for p in pack:
        kinds = tuple(QUALIFIED_KINDS.get(k, k) for k in p.resource)
        for c, read, prefix in attribute_reads(p.check, kinds):
            # (a related resource's reads are the graph's: traced by ``_traced_reads``)
            if read is None or c.attr.startswith("@") or c.attr == "tags" or c.attr.startswith("tags."):
                continue
            for k in read:
                out.add((p.id, QUALIFIED_KINDS.get(k, k), prefix + c.attr))
    return out


def _traced_reads(pack: Any, params: dict[str, Any]) -> set[tuple[str, str, str]]:
    """(policy, kind, path) for every path read (and found) while judging the golden IaC fixtures."""
    import agentgov.scanner.discover as discover
    from agentgov.scanner import engine

    log = ReadLog()
    original = discover.resolve_edges

    def resolve(inv: Any) -> None:
        traced(inv, log)
        original(inv)

    discover.resolve_edges = resolve
    try:
        inv = discover.build_inventory(sorted(p for p in FIXTURES.glob("AG*/*") if p.is_dir()), 5_000_000)
    finally:
        discover.resolve_edges = original
    for policy in pack:
        log.policy = policy.id
        engine.run(inv, [policy], params)
    log.policy = ""
    return log.reads


@pytest.fixture(scope="module")
def reads(pack, params, live_side) -> dict[str, set[tuple[str, str]]]:
    """policy -> {(kind, path)} read on kinds some collector produces."""
    out: dict[str, set[tuple[str, str]]] = defaultdict(set)
    for pid, kind, path in _static_reads(pack) | _traced_reads(pack, params):
        if kind in live_side.records:
            out[pid].add((kind, path))
    return out


def _input_only_names() -> dict[str, str]:
    """snake name -> "service Shape.member" for members of request shapes that no answer of the service has."""
    inputs: dict[str, str] = {}
    outputs: set[str] = set()
    for service in sorted({c.service for c in _collector_calls()}):
        model = service_model(service)
        for op_name in model.operation_names:
            op = model.operation_model(op_name)
            for shape, into in ((op.input_shape, "in"), (op.output_shape, "out")):
                stack, seen = ([shape] if shape is not None else []), set()
                while stack:
                    s = stack.pop()
                    if s.name in seen:
                        continue
                    seen.add(s.name)
                    if s.type_name == "structure":
                        for m, ms in s.members.items():
                            if into == "out":
                                outputs.add(snake(m))
                            else:
                                inputs.setdefault(snake(m), f"{service} {s.name}.{m}")
                            stack.append(ms)
                    elif s.type_name == "list":
                        stack.append(s.member)
                    elif s.type_name == "map":
                        stack.append(s.value)
    return {k: v for k, v in inputs.items() if k not in outputs}


# ------------------------------------------------------------------ tests


def test_every_declared_call_has_a_model_and_the_collectors_run_whole_on_shape_complete_answers(live_side):
    for c in _calls():
        model = service_model(c.service)
        assert c.operation in model.operation_names, f"{c.service} has no operation {c.operation} in botocore's model"
    assert live_side.failures == []
    assert {c.service for c in _collector_calls()} >= {"bedrock-agent", "bedrock", "iam", "lambda"}
    # every collector produced records (one that produces nothing from a complete answer reads the wrong members)
    assert [c.AREA for c in COLLECTORS if not live_side.by_area[c.AREA]] == []


def test_iac_only_declarations_name_paths_that_are_read_and_not_produced(pack, reads, live_side):
    """An ``iac_only`` path that some collector produces, or that the policy never reads, is a stale declaration."""
    stale = []
    for p in pack:
        for kind, paths in (p.iac_only or {}).items():
            for path in paths:
                if produced(live_side, kind, path):
                    stale.append(f"{p.id}: {kind}.{path} is produced live (drop it from iac_only)")
                elif (kind, path) not in reads.get(p.id, set()):
                    stale.append(f"{p.id}: {kind}.{path} is not read by the policy (drop it from iac_only)")
    assert stale == []


def _policy_ids() -> list[Any]:
    from agentgov.policies.registry import PACK

    out = []
    for pid in PACK:
        if pid in XFAIL:
            n, what = XFAIL[pid]
            out.append(pytest.param(pid, marks=pytest.mark.xfail(strict=True, reason=DEFECT.format(n=n, what=what))))
        else:
            out.append(pid)
    return out


@pytest.mark.parametrize("pid", _policy_ids())
def test_what_a_policy_reads_on_a_live_kind_is_produced_by_a_collector_or_declared_iac_only(pid, pack, reads, live_side):
    policy = pack.get(pid)
    declared = {(k, p) for k, ps in (policy.iac_only or {}).items() for p in ps}
    inputs = _input_only_names()
    missing = []
    for kind, path in sorted(reads.get(pid, set())):
        if produced(live_side, kind, path) or (kind, path) in declared:
            continue
        last = path.split(".")[-1]
        why = f" ({last} is an input-only member name: {inputs[last]})" if last in inputs else ""
        missing.append(f"{kind}.{path}{why}")
    assert missing == [], f"{pid} reads on live kinds what no collector produces: {missing}"


def test_record_attributes_are_output_member_names_or_declared_renames(live_side):
    """A record attribute named after an input-only member would be filled from nothing AWS sends (defect 1's class)."""
    inputs = _input_only_names()
    wrong = []
    for kind, paths in live_side.paths.items():
        for path in paths:
            last = path.split(".")[-1]
            if (
                last in inputs
                and (kind, path) not in _RENAMES
                and not any(path.startswith(f + ".") for f in live_side.free[kind])
            ):
                wrong.append(f"{kind}.{path}: {inputs[last]} is an input member no answer has")
    assert sorted(wrong) == []


#: record attributes a collector deliberately names after the request (CloudFormation / Terraform) member,
#: -> the output member (service, shape, member) it is filled from
_RENAMES: dict[tuple[str, str], tuple[str, str, str]] = {
    ("action_group", "parent_action_group_signature"): ("bedrock-agent", "AgentActionGroup", "parentActionSignature"),
    ("guardrail", "content_policy_config.tier_config"): ("bedrock", "GuardrailContentPolicy", "tier"),
    ("guardrail", "topic_policy_config.tier_config"): ("bedrock", "GuardrailTopicPolicy", "tier"),
    ("guardrail", "cross_region_config"): ("bedrock", "GetGuardrailResponse", "crossRegionDetails"),
    ("guardrail", "cross_region_config.guardrail_profile_identifier"): (
        "bedrock",
        "GuardrailCrossRegionDetails",
        "guardrailProfileArn",
    ),
    ("bucket", "versioning_configuration"): ("s3", "GetBucketVersioningOutput", "Status"),
    # Days or Years in days (normalize.retention_days): a name of agentgov's, which CloudWatch Logs also has as an input
    ("bucket", "object_lock_configuration.rule.default_retention.retention_days"): ("s3", "DefaultRetention", "Days"),
    ("function_permission", "source_account"): ("lambda", "GetPolicyResponse", "Policy"),
    ("gateway_target", "gateway_identifier"): ("bedrock-agentcore-control", "GetGatewayTargetResponse", "gatewayArn"),
    ("table", "point_in_time_recovery_specification"): (
        "dynamodb",
        "PointInTimeRecoveryDescription",
        "PointInTimeRecoveryStatus",
    ),
    ("table", "point_in_time_recovery_specification.point_in_time_recovery_enabled"): (
        "dynamodb",
        "PointInTimeRecoveryDescription",
        "PointInTimeRecoveryStatus",
    ),
    ("trail", "enable_log_file_validation"): ("cloudtrail", "Trail", "LogFileValidationEnabled"),
    ("trail", "trail_name"): ("cloudtrail", "Trail", "Name"),
    # a budget's notifications (DescribeNotificationsForBudget) as CloudFormation's NotificationsWithSubscribers
    ("budget", "notifications_with_subscribers"): ("budgets", "DescribeNotificationsForBudgetResponse", "Notifications"),
    ("budget", "notifications_with_subscribers.notification"): (
        "budgets",
        "DescribeNotificationsForBudgetResponse",
        "Notifications",
    ),
    # the ARN of the web ACL GetWebACLForResource answers, as CloudFormation's WebACLAssociation names it
    ("gateway", "web_acl_arn"): ("wafv2", "WebACL", "ARN"),
    # ListCollections' kmsKeyArn ("auto" or a key ARN) as CreateCollection and CloudFormation name the setting
    ("aoss_collection", "encryption_config"): ("opensearchserverless", "CollectionSummary", "kmsKeyArn"),
    ("aoss_collection", "encryption_config.kms_key_arn"): ("opensearchserverless", "CollectionSummary", "kmsKeyArn"),
    ("aoss_collection", "encryption_config.aws_owned_key"): ("opensearchserverless", "CollectionSummary", "kmsKeyArn"),
    **{
        ("guardrail", f"{policy}{member}"): ("bedrock", "GetGuardrailResponse", source)
        for policy, members, source in (
            ("content_policy_config", ("", ".filters_config"), "contentPolicy"),
            ("contextual_grounding_policy_config", ("", ".filters_config"), "contextualGroundingPolicy"),
            (
                "sensitive_information_policy_config",
                ("", ".pii_entities_config", ".regexes_config"),
                "sensitiveInformationPolicy",
            ),
            ("topic_policy_config", ("", ".topics_config"), "topicPolicy"),
            ("word_policy_config", ("", ".managed_word_lists_config", ".words_config"), "wordPolicy"),
        )
        for member in members
    },
}


def test_every_declared_rename_is_filled_from_a_member_aws_sends():
    for (kind, path), (service, shape, member) in _RENAMES.items():
        assert member in service_model(service).shape_for(shape).members, f"{kind}.{path}: {service} {shape} has no {member}"


def test_contract_counts(pack, reads, live_side, capsys):
    """The figures the issue's closing note gives (printed; -s shows them)."""
    checked = sum(len(v) for v in reads.values())
    iac_only = sum(len(ps) for p in pack for ps in (p.iac_only or {}).values())
    calls = len(_calls())
    with capsys.disabled():
        print(
            f"\ncontract: {calls} calls, {live_side.variants} answer variants, {checked} paths checked, {iac_only} paths IaC-only"
        )
    assert calls >= len(_collector_calls()) and checked > 0


@pytest.mark.parametrize(
    ("iac_only", "error"),
    [
        ("{nonsense: [a.b]}", "iac_only names unknown resource kind 'nonsense'"),
        ("{gateway_target: [Target.Bad]}", "not attribute paths"),
    ],
)
def test_a_bad_iac_only_declaration_is_a_load_error_naming_the_file(tmp_path, iac_only, error):
    import shutil

    from agentgov.policies.registry import PACK_DIR, PackError
    from agentgov.scanner.pack import load_pack

    shutil.copytree(PACK_DIR, tmp_path / "pack", ignore=shutil.ignore_patterns("*.py", "__pycache__"))
    path = tmp_path / "pack" / "AG902.yaml"
    text = path.read_text(encoding="utf-8")
    start = text.index("iac_only:")
    path.write_text(text[:start] + f"iac_only: {iac_only}\n" + text[text.index("check:", start) :], encoding="utf-8")
    with pytest.raises(PackError, match=error) as exc:
        load_pack(tmp_path / "pack", use_cache=False)
    assert "AG902.yaml" in str(exc.value)
