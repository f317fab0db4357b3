"""The live audit on answers shaped exactly as AWS sends them (botocore's output shapes), not as our moto completion does.

Each test answers the collectors' calls in process (``tests/live_answers.py``: every
answer is validated against the operation's output shape) and checks the verdicts
the policies give; each was written for a defect the audit had on real AWS
(issue 13) and fails on the code before its fix.
"""

from __future__ import annotations

import datetime as dt

import pytest
from live_answers import ACCOUNT, Error, audit_answers, findings

from agentgov.scanner.findings import Status

pytestmark = pytest.mark.filterwarnings("ignore::UserWarning")

REGION = "us-east-1"
T0 = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
AGENT_ID = "AGENT12345"
AGENT_ARN = f"arn:aws:bedrock:{REGION}:{ACCOUNT}:agent/{AGENT_ID}"
ROLE_ARN = f"arn:aws:iam::{ACCOUNT}:role/agent-role"


def agent_answers(**agent: object) -> dict[str, object]:
    """One agent (its DRAFT), as ListAgents and GetAgent answer."""
    return {
        "bedrock-agent ListAgents": {
            "agentSummaries": [{"agentId": AGENT_ID, "agentName": "orders", "agentStatus": "PREPARED", "updatedAt": T0}]
        },
        "bedrock-agent GetAgent": {
            "agent": {
                "agentId": AGENT_ID,
                "agentName": "orders",
                "agentArn": AGENT_ARN,
                "agentVersion": "DRAFT",
                "agentStatus": "PREPARED",
                "idleSessionTTLInSeconds": 600,
                "agentResourceRoleArn": ROLE_ARN,
                "foundationModel": "anthropic.claude-3-haiku-20240307-v1:0",
                "createdAt": T0,
                "updatedAt": T0,
                **agent,
            }
        },
    }


# ------------------------------------------------------------------ 1: AG502 reads parentActionSignature


def test_ag502_fails_a_live_code_interpreter_action_group_named_as_get_agent_action_group_names_it(pack, params):
    group = {
        "agentId": AGENT_ID,
        "agentVersion": "DRAFT",
        "actionGroupId": "AG1",
        "actionGroupName": "analysis",
        "actionGroupState": "ENABLED",
        "parentActionSignature": "AMAZON.CodeInterpreter",  # the output member (CreateAgentActionGroup's input is ...GroupSignature)
        "createdAt": T0,
        "updatedAt": T0,
    }
    answers = {
        **agent_answers(),
        "bedrock-agent ListAgentActionGroups": lambda p: {
            "actionGroupSummaries": [
                {"actionGroupId": "AG1", "actionGroupName": "analysis", "actionGroupState": "ENABLED", "updatedAt": T0}
            ]
            if p.get("agentVersion") == "DRAFT"
            else []
        },
        "bedrock-agent GetAgentActionGroup": {"agentActionGroup": group},
    }
    result = audit_answers(answers, pack, params)
    (f,) = findings(result, "AG502")
    assert f.status == Status.FAIL and "AMAZON.CodeInterpreter" in f.message
    # the record has the one name the IaC sources give it
    (ag,) = [r for r in result.inventory if r.kind == "action_group"]
    assert ag.properties["parent_action_group_signature"] == "AMAZON.CodeInterpreter"


# ------------------------------------------------------------------ 3, 7: VPC endpoints and the function's VPC

FN_ARN = f"arn:aws:lambda:{REGION}:{ACCOUNT}:function:orders-actions"


def vpc_function_answers(endpoint_policy: dict[str, object]) -> dict[str, object]:
    """An action-group function in VPC vpc-0a1 (ListFunctions names the VPC; no subnet record exists) and the
    VPC's interface endpoints for every required service, private DNS on, each with ``endpoint_policy``."""
    import json

    services = ("bedrock-runtime", "bedrock-agent-runtime", "secretsmanager", "sts")
    return {
        "lambda ListFunctions": {
            "Functions": [
                {
                    "FunctionName": "orders-actions",
                    "FunctionArn": FN_ARN,
                    "Runtime": "python3.12",
                    "Role": f"arn:aws:iam::{ACCOUNT}:role/fn-role",
                    "VpcConfig": {"SubnetIds": ["subnet-0b2"], "SecurityGroupIds": ["sg-0c3"], "VpcId": "vpc-0a1"},
                }
            ]
        },
        "lambda GetPolicy": {
            "Policy": json.dumps(
                {
                    "Version": "2012-10-17",
                    "Statement": [
                        {
                            "Sid": "bedrock",
                            "Effect": "Allow",
                            "Principal": {"Service": "bedrock.amazonaws.com"},
                            "Action": "lambda:InvokeFunction",
                            "Resource": FN_ARN,
                            "Condition": {"ArnLike": {"AWS:SourceArn": AGENT_ARN}},
                        }
                    ],
                }
            )
        },
        "ec2 DescribeVpcEndpoints": {
            "VpcEndpoints": [
                {
                    "VpcEndpointId": f"vpce-0{i}",
                    "VpcEndpointType": "Interface",
                    "VpcId": "vpc-0a1",
                    "ServiceName": f"com.amazonaws.{REGION}.{svc}",
                    "State": "available",
                    "PolicyDocument": json.dumps(endpoint_policy),
                    "PrivateDnsEnabled": True,
                    "SubnetIds": ["subnet-0b2"],
                    "Groups": [{"GroupId": "sg-0c3", "GroupName": "endpoints"}],
                }
                for i, svc in enumerate(services)
            ]
        },
    }


NARROW = {
    "Version": "2012-10-17",
    "Statement": [
        {
            "Effect": "Allow",
            "Principal": "*",
            "Action": ["bedrock:InvokeModel"],
            "Resource": "*",
            "Condition": {"StringEquals": {"aws:PrincipalAccount": ACCOUNT}},
        }
    ],
}
OPEN = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": "*", "Action": "*", "Resource": "*"}]}


def test_ag303_judges_a_live_endpoints_own_policy(pack, params):
    narrow = audit_answers(vpc_function_answers(NARROW), pack, params)
    verdicts = {f.resource_id.rsplit("/", 1)[-1]: f for f in findings(narrow, "AG303")}
    assert set(verdicts) == {"vpce-00", "vpce-01", "vpce-02", "vpce-03"}
    assert {f.status for f in verdicts.values()} == {Status.PASS}, [f.message for f in verdicts.values()]
    wide = audit_answers(vpc_function_answers(OPEN), pack, params)
    assert {f.status for f in findings(wide, "AG303")} == {Status.FAIL}
    assert all("allows Principal *, Action *" in f.message for f in findings(wide, "AG303"))


def test_ag302_finds_a_live_functions_vpc_from_list_functions_vpc_id(pack, params):
    result = audit_answers(vpc_function_answers(NARROW), pack, params)
    (f,) = findings(result, "AG302", FN_ARN)
    assert f.status == Status.PASS, f.message
    assert f.evidence["vpcs"] == ["vpc-0a1"]
    # without the sts endpoint the same VPC fails, naming it
    answers = vpc_function_answers(NARROW)
    answers["ec2 DescribeVpcEndpoints"]["VpcEndpoints"].pop()  # type: ignore[index]
    (f,) = findings(audit_answers(answers, pack, params), "AG302", FN_ARN)
    assert f.status == Status.FAIL and "VPC vpc-0a1" in f.message and "sts" in f.message


# ------------------------------------------------------------------ 4, 10: S3 Object Lock retention, bucket regions


def bucket_answers(lock: dict[str, object], location: str | None = None) -> dict[str, object]:
    """One audit-evidence bucket (ListBuckets without BucketRegion: the request has no parameter) with ``lock``."""
    return {
        "s3 ListBuckets": {"Buckets": [{"Name": "evidence", "CreationDate": T0}]},
        "s3 GetBucketLocation": {"LocationConstraint": location} if location is not None else {},
        "s3 GetObjectLockConfiguration": {"ObjectLockConfiguration": {"ObjectLockEnabled": "Enabled", "Rule": lock}},
        "s3 GetBucketTagging": {"TagSet": [{"Key": "agentgov:evidence", "Value": "true"}]},
        # (the bucket's tags as its region's GetResources lists them: the collector reads them there first)
        "resourcegroupstaggingapi GetResources": {
            "ResourceTagMappingList": [
                {"ResourceARN": "arn:aws:s3:::evidence", "Tags": [{"Key": "agentgov:evidence", "Value": "true"}]}
            ]
        },
    }


@pytest.mark.parametrize(
    "retention, status",
    [
        ({"Days": 365}, Status.PASS),
        ({"Years": 1}, Status.PASS),
        ({"Days": 30}, Status.FAIL),
        ({"Years": 0, "Days": 365}, Status.PASS),
    ],
    ids=["days", "years", "too-short", "moto-years-0"],
)
def test_ag804_reads_live_object_lock_retention_in_days_or_years(pack, params, retention, status):
    answers = bucket_answers({"DefaultRetention": {"Mode": "COMPLIANCE", **retention}})
    (f,) = findings(audit_answers(answers, pack, params), "AG804")
    assert f.status == status, f.message
    if status == Status.FAIL:
        assert "is 30, less than 365" in f.message


@pytest.mark.parametrize(
    "location, region", [("EU", "eu-west-1"), (None, "us-east-1"), ("", "us-east-1"), ("eu-central-1", "eu-central-1")]
)
def test_a_buckets_legacy_location_is_its_region(pack, params, location, region):
    answers = bucket_answers({"DefaultRetention": {"Mode": "COMPLIANCE", "Days": 365}}, location)
    answers["s3 GetBucketLocation"] = {"LocationConstraint": location} if location is not None else {}
    result = audit_answers(answers, pack, params)
    (bucket,) = [r for r in result.inventory if r.kind == "bucket"]
    assert bucket.region == region
    # each detail was asked in the bucket's region
    details = {where for k, _, where in result.seen if k.startswith("s3 Get") and k != "s3 GetBucketLocation"}
    assert details == {region} and not findings(result, "AG000")


# ------------------------------------------------------------------ 11, 12: IAM as GetAccountAuthorizationDetails sends it


def _role(name: str, **extra: object) -> dict[str, object]:
    import json

    trust = {
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Principal": {"Service": "bedrock.amazonaws.com"}, "Action": "sts:AssumeRole"}],
    }
    return {
        "RoleName": name,
        "RoleId": f"AROA{name.upper().replace('-', '')}".ljust(21, "X"),
        "Arn": f"arn:aws:iam::{ACCOUNT}:role/{name}",
        "Path": "/",
        "CreateDate": T0,
        "AssumeRolePolicyDocument": json.dumps(trust),
        "RolePolicyList": [
            {
                "PolicyName": "all",
                "PolicyDocument": json.dumps(
                    {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}
                ),
            }
        ],
        "AttachedManagedPolicies": [{"PolicyName": "team", "PolicyArn": f"arn:aws:iam::{ACCOUNT}:policy/team"}],
        "Tags": [{"Key": "owner", "Value": "team-a"}],
        **extra,
    }


def iam_answers() -> dict[str, object]:
    return {
        "iam GetAccountAuthorizationDetails": {
            "RoleDetailList": [
                _role("agent-a"),
                {k: v for k, v in _role("agent-b").items() if k != "Arn"},  # valid for the model (no member is required)
                _role("agent-c"),
            ],
            "Policies": [
                # an AWS managed policy (stock moto sends them whatever the filter) without PolicyName
                {"Arn": "arn:aws:iam::aws:policy/ReadOnlyAccess", "DefaultVersionId": "v1", "AttachmentCount": 1},
                # the account's own policy, as AWS sends it: no Tags member in ManagedPolicyDetail
                {
                    "PolicyName": "team",
                    "Arn": f"arn:aws:iam::{ACCOUNT}:policy/team",
                    "DefaultVersionId": "v1",
                    "PolicyVersionList": [
                        {"VersionId": "v1", "IsDefaultVersion": True, "Document": '{"Version": "2012-10-17", "Statement": []}'}
                    ],
                },
            ],
        }
    }


def test_one_iam_item_of_an_unexpected_shape_is_a_gap_of_its_own_and_the_rest_is_judged(pack, params):
    result = audit_answers(iam_answers(), pack, params)
    (gap,) = findings(result, "AG000")
    assert gap.resource_id.endswith("/AROAAGENTBXXXXXXXXXXX")  # the role without an ARN, by its id
    assert gap.evidence["api"] == "iam GetAccountAuthorizationDetails" and gap.evidence["error_code"] == "UnexpectedAnswer"
    assert "unexpected shape" in gap.message
    for name in ("agent-a", "agent-c"):  # the other roles of the account keep every finding
        arn = f"arn:aws:iam::{ACCOUNT}:role/{name}"
        judged = {f.policy_id for f in result.findings if f.resource_id == arn}
        assert {"AG101", "AG102", "AG103", "AG104", "AG105"} <= judged, (name, judged)
        assert next(f for f in findings(result, "AG101", arn)).status == Status.FAIL


def test_what_get_account_authorization_details_never_sends_is_not_read(pack, params):
    from agentgov.scanner.model import Unknown

    result = audit_answers(iam_answers(), pack, params)
    roles = {r.name: r for r in result.inventory if r.kind == "role"}
    assert set(roles) == {"agent-a", "agent-c"}
    assert "max_session_duration" not in roles["agent-a"].properties  # RoleDetail has no MaxSessionDuration
    (policy,) = [r for r in result.inventory if r.kind == "managed_policy"]  # the AWS managed one is not the account's
    assert policy.name == "team"
    assert isinstance(policy.tags, Unknown) and "ListPolicyTags" in policy.tags.reason  # ManagedPolicyDetail has no Tags


# ------------------------------------------------------------------ 13: one failed enumeration keeps its siblings

LOGGING = {
    "loggingConfig": {
        "cloudWatchConfig": {"logGroupName": "bedrock-invocations", "roleArn": f"arn:aws:iam::{ACCOUNT}:role/logs"},
        "textDataDeliveryEnabled": True,
    }
}


def test_a_denied_guardrail_list_leaves_the_regions_invocation_logging_judged(pack, params):
    guardrail = f"arn:aws:bedrock:{REGION}:{ACCOUNT}:guardrail/gr1abc2def3g"
    answers = {
        **agent_answers(guardrailConfiguration={"guardrailIdentifier": guardrail, "guardrailVersion": "1"}),
        "bedrock ListGuardrails": Error("AccessDeniedException", "denied by a service control policy"),
        "bedrock GetModelInvocationLoggingConfiguration": LOGGING,
        # a knowledge base: AG205 judges the agent's guardrail
        "bedrock-agent ListAgentKnowledgeBases": {
            "agentKnowledgeBaseSummaries": [{"knowledgeBaseId": "KB12345678", "knowledgeBaseState": "ENABLED", "updatedAt": T0}]
        },
    }
    result = audit_answers(answers, pack, params)
    (gap,) = findings(result, "AG000")
    assert gap.evidence == {"api": "bedrock ListGuardrails", "error_code": "AccessDeniedException"}
    assert "bedrock ListGuardrails denied (AccessDeniedException; IAM action bedrock:ListGuardrails)" in gap.message
    (f,) = findings(result, "AG601", AGENT_ARN)
    assert f.status == Status.PASS, f.message
    # what needed the guardrails says which call failed, never "scanned files"
    unknowns = [x for x in result.findings if x.status == Status.UNKNOWN]
    assert unknowns and all("scanned files" not in x.message for x in unknowns), [x.message for x in unknowns]
    assert any(
        "bedrock ListGuardrails denied (AccessDeniedException; IAM action bedrock:ListGuardrails)" in x.message for x in unknowns
    )


# ------------------------------------------------------------------ 2: AG602 counts the Organization's trail

MANAGEMENT = "999988887777"
ORG_TRAIL = f"arn:aws:cloudtrail:us-east-1:{MANAGEMENT}:trail/organization"


def org_trail_answers() -> dict[str, object]:
    """A member account covered only by its Organization's trail (home us-east-1, in the management account):
    DescribeTrails answers it only with includeShadowTrails, as the model's documentation says."""
    trail = {
        "Name": "organization",
        "S3BucketName": "org-trail-logs",
        "IsMultiRegionTrail": True,
        "HomeRegion": "us-east-1",
        "TrailARN": ORG_TRAIL,
        "LogFileValidationEnabled": True,
        "HasCustomEventSelectors": True,
        "IsOrganizationTrail": True,
    }
    selectors = {
        "TrailARN": ORG_TRAIL,
        "AdvancedEventSelectors": [
            {
                "Name": "bedrock-agents",
                "FieldSelectors": [
                    {"Field": "eventCategory", "Equals": ["Data"]},
                    {"Field": "resources.type", "Equals": ["AWS::Bedrock::AgentAlias"]},
                ],
            }
        ],
    }
    return {
        **agent_answers(),
        "cloudtrail DescribeTrails": lambda p: {"trailList": [trail] if p.get("includeShadowTrails", True) else []},
        "cloudtrail GetTrailStatus": lambda p: (
            {"IsLogging": True} if p.get("Name") == ORG_TRAIL else Error("TrailNotFoundException")
        ),
        "cloudtrail GetEventSelectors": lambda p: (
            selectors if p.get("TrailName") == ORG_TRAIL else Error("TrailNotFoundException")
        ),
    }


@pytest.mark.parametrize("region", ["us-east-1", "eu-west-1"])
def test_ag602_passes_a_member_account_covered_by_the_organization_trail(pack, params, region):
    answers = org_trail_answers()
    answers["bedrock-agent GetAgent"]["agent"]["agentArn"] = AGENT_ARN.replace(REGION, region)  # type: ignore[index]
    result = audit_answers(answers, pack, params, regions=(region,))
    (f,) = findings(result, "AG602")
    assert f.status == Status.PASS, f.message
    (trail,) = [r for r in result.inventory if r.kind == "trail"]
    assert trail.id == ORG_TRAIL and trail.region == "us-east-1"
    # the organization trail's details are asked with its ARN, in its home region; its tags are not the member's
    asked = {(k, w) for k, p, w in result.seen if k in ("cloudtrail GetTrailStatus", "cloudtrail GetEventSelectors")}
    assert asked == {("cloudtrail GetTrailStatus", "us-east-1"), ("cloudtrail GetEventSelectors", "us-east-1")}
    assert not [k for k, *_ in result.seen if k == "cloudtrail ListTags"]


@pytest.mark.parametrize(
    ("types", "status"), [(["AWS::Bedrock::KnowledgeBase"], Status.PASS), (["AWS::S3::Object"], Status.FAIL)]
)
def test_ag602_counts_knowledge_base_data_events(pack, params, types, status):
    """A trail recording a knowledge base's Retrieve / RetrieveAndGenerate data events counts; one recording S3 only does not."""
    answers = org_trail_answers()
    selectors = answers["cloudtrail GetEventSelectors"]({"TrailName": ORG_TRAIL})
    selectors["AdvancedEventSelectors"][0]["FieldSelectors"][1]["Equals"] = types
    answers["cloudtrail GetEventSelectors"] = lambda p: (
        selectors if p.get("TrailName") == ORG_TRAIL else Error("TrailNotFoundException")
    )
    (f,) = findings(audit_answers(answers, pack, params), "AG602")
    assert f.status == status, f.message


def test_a_multi_region_trail_seen_from_two_regions_is_one_record(pack, params):
    result = audit_answers(org_trail_answers(), pack, params, regions=("us-east-1", "eu-west-1"))
    assert [r.id for r in result.inventory if r.kind == "trail"] == [ORG_TRAIL]


# ------------------------------------------------------------------ 8: a guardrail set by bare id

GUARDRAIL_ID = "gr1abc2def3g"
GUARDRAIL_ARN = f"arn:aws:bedrock:{REGION}:{ACCOUNT}:guardrail/{GUARDRAIL_ID}"
KB_ANSWER = {
    "bedrock-agent ListAgentKnowledgeBases": {
        "agentKnowledgeBaseSummaries": [{"knowledgeBaseId": "KB12345678", "knowledgeBaseState": "ENABLED", "updatedAt": T0}]
    }
}


def guardrail(version: str, grounding: bool) -> dict[str, object]:
    """GetGuardrail's answer for ``version`` of the guardrail (output member names: contextualGroundingPolicy.filters)."""
    out: dict[str, object] = {
        "name": "orders-guardrail",
        "guardrailId": GUARDRAIL_ID,
        "guardrailArn": GUARDRAIL_ARN,
        "version": version,
        "status": "READY",
        "createdAt": T0,
        "updatedAt": T0,
        "blockedInputMessaging": "Sorry.",
        "blockedOutputsMessaging": "Sorry.",
    }
    if grounding:
        out["contextualGroundingPolicy"] = {
            "filters": [
                {"type": "GROUNDING", "threshold": 0.75, "action": "BLOCK", "enabled": True},
                {"type": "RELEVANCE", "threshold": 0.75, "action": "BLOCK", "enabled": True},
            ]
        }
    return out


def guardrail_answers(versions: dict[str, bool], **agent: object) -> dict[str, object]:
    """An agent with a knowledge base and the guardrail ``agent`` configures; ``versions``: version -> has grounding."""
    summary = {
        "id": GUARDRAIL_ID,
        "arn": GUARDRAIL_ARN,
        "status": "READY",
        "name": "orders-guardrail",
        "createdAt": T0,
        "updatedAt": T0,
    }
    return {
        **agent_answers(**agent),
        **KB_ANSWER,
        "bedrock ListGuardrails": lambda p: {
            "guardrails": [{**summary, "version": v} for v in versions]
            if p.get("guardrailIdentifier")
            else [{**summary, "version": "DRAFT"}]
        },
        "bedrock GetGuardrail": lambda p: guardrail(
            p.get("guardrailVersion", "DRAFT"), versions[p.get("guardrailVersion", "DRAFT")]
        ),
    }


@pytest.mark.parametrize("identifier", [GUARDRAIL_ID, GUARDRAIL_ARN], ids=["bare-id", "arn"])
def test_an_agents_guardrail_set_by_bare_id_resolves(pack, params, identifier):
    answers = guardrail_answers(
        {"DRAFT": True}, guardrailConfiguration={"guardrailIdentifier": identifier, "guardrailVersion": "DRAFT"}
    )
    result = audit_answers(answers, pack, params)
    agent = next(r for r in result.inventory if r.kind == "agent")
    assert [t.id for t in result.inventory.related(agent, "guardrail")] == [GUARDRAIL_ARN]
    (f,) = findings(result, "AG205", AGENT_ARN)
    assert f.status == Status.PASS, f.message


# ------------------------------------------------------------------ 5: the guardrail version the agent pins


@pytest.mark.parametrize("pinned, status", [("1", Status.PASS), ("2", Status.FAIL)])
def test_ag205_judges_the_guardrail_version_the_agent_pins_not_the_draft(pack, params, pinned, status):
    # version 1 has a grounding filter, version 2 does not, the DRAFT has one again
    answers = guardrail_answers(
        {"DRAFT": True, "1": True, "2": False},
        guardrailConfiguration={"guardrailIdentifier": GUARDRAIL_ARN, "guardrailVersion": pinned},
    )
    result = audit_answers(answers, pack, params)
    (f,) = findings(result, "AG205", AGENT_ARN)
    assert f.status == status, f.message
    # each version's policies were read with its version: GetGuardrail without one answers the DRAFT
    asked = sorted(p.get("guardrailVersion", "DRAFT") for k, p, _ in result.seen if k == "bedrock GetGuardrail")
    assert asked == ["1", "2", "DRAFT"]
    # AG203/AG204 judge each version as the guardrail it is, naming the agents that pin it
    judged = {x.resource_id for x in findings(result, "AG203")}
    assert judged == {GUARDRAIL_ARN, f"{GUARDRAIL_ARN}:1", f"{GUARDRAIL_ARN}:2"}
    used = next(x for x in findings(result, "AG204") if x.resource_id == f"{GUARDRAIL_ARN}:{pinned}")
    assert used.evidence["used_by"] == [f"agent {AGENT_ARN}"]


def test_a_pinned_version_whose_versions_were_not_listed_is_unknown_naming_the_call(pack, params):
    answers = guardrail_answers(
        {"DRAFT": True, "1": True}, guardrailConfiguration={"guardrailIdentifier": GUARDRAIL_ID, "guardrailVersion": "1"}
    )
    listing = answers["bedrock ListGuardrails"]
    answers["bedrock ListGuardrails"] = lambda p: Error("ThrottlingException") if p.get("guardrailIdentifier") else listing(p)  # type: ignore[operator]
    result = audit_answers(answers, pack, params)
    (f,) = findings(result, "AG205", AGENT_ARN)
    assert f.status == Status.UNKNOWN
    assert "bedrock ListGuardrails failed (ThrottlingException; IAM action bedrock:ListGuardrails)" in f.message


# ------------------------------------------------------------------ 6: AG701 and Bedrock's test alias


def test_ag701_passes_the_test_alias_every_agent_has_and_fails_a_production_alias_on_draft(pack, params):
    def alias(alias_id: str, name: str) -> dict[str, object]:
        return {
            "agentAliasId": alias_id,
            "agentAliasName": name,
            "routingConfiguration": [{"agentVersion": "DRAFT"}],
            "agentAliasStatus": "PREPARED",
            "createdAt": T0,
            "updatedAt": T0,
        }

    aliases = [alias("TSTALIASID", "AgentTestAlias"), alias("PROD123456", "live")]
    answers = {
        **agent_answers(),
        "bedrock-agent ListAgentAliases": {"agentAliasSummaries": aliases},
        # (no GetAgentAlias: the summary carries what is read, the ARN is the agent's; no GetResources answer: the
        # agent and its aliases have no tags, and the test alias is given the agent's without a call of its own)
        "resourcegroupstaggingapi GetResources": Error("AccessDeniedException", status=403),
    }
    result = audit_answers(answers, pack, params)
    verdicts = {f.resource_id.rsplit("/", 1)[-1]: f.status for f in findings(result, "AG701")}
    assert verdicts == {"TSTALIASID": Status.PASS, "PROD123456": Status.FAIL}
    # the test alias is part of the agent: it carries the agent's tags (AG801 judges them once, as the agent's)
    tagged = [p["resourceArn"] for k, p, _ in result.seen if k == "bedrock-agent ListTagsForResource"]
    assert not [t for t in tagged if t.endswith("/TSTALIASID")]
    test_alias = next(f for f in findings(result, "AG801") if f.resource_id.endswith("/TSTALIASID"))
    assert test_alias.status == findings(result, "AG801", AGENT_ARN)[0].status


def test_the_moto_completion_has_the_test_alias_on_every_agent(aws):
    import agentgov.demo.awsmock as S

    (member,) = S.organization(1)
    session = S.session_in(member)
    out = S.deploy_agent(session, "us-east-1", "orders")
    ab = session.client("bedrock-agent", region_name="us-east-1")
    agent_id = out["agent"].rsplit("/", 1)[-1]
    listed = ab.list_agent_aliases(agentId=agent_id)["agentAliasSummaries"]
    assert [a["agentAliasId"] for a in listed][0] == "TSTALIASID" and len(listed) == 2
    test = ab.get_agent_alias(agentId=agent_id, agentAliasId="TSTALIASID")["agentAlias"]
    assert test["agentAliasName"] == "AgentTestAlias" and test["routingConfiguration"] == [{"agentVersion": "DRAFT"}]


# ------------------------------------------------------------------ 9: AG206 and the Bedrock policy's model_enforcement

HAIKU = "anthropic.claude-3-haiku-20240307-v1:0"


def _judge_ag206(pack, params, model_enforcement):
    from agentgov.scanner import engine
    from agentgov.scanner.graph import resolve_edges
    from agentgov.scanner.model import Inventory, Location, Resource

    def live(kind, ident, props):
        stack = f"aws://{ACCOUNT}"
        return Resource(kind=kind, id=ident, key=f"{stack}#{ident}", source="aws", source_type=kind, stack=stack,
                        location=Location(file=f"{stack}/{REGION}/{ident}"), properties=props, account=ACCOUNT,
                        region=REGION, arn=ident if ident.startswith("arn:") else None)  # fmt: skip

    config = {"identifier": {"@@assign": f"{GUARDRAIL_ARN}:1"}}
    if model_enforcement is not None:
        config["model_enforcement"] = model_enforcement
    content = {"bedrock": {"guardrail_inference": {REGION: {"config_1": config}}}}
    inv = Inventory()
    inv.add(live("agent", AGENT_ARN, {"agent_name": "orders", "foundation_model": HAIKU}))
    inv.add(live("org_effective_policy", f"account/{ACCOUNT}/effective-policy/BEDROCK_POLICY", {"content": content}))
    inv.collected = {(ACCOUNT, REGION, "enforced_guardrail"), (ACCOUNT, None, "org_effective_policy")}
    resolve_edges(inv)
    policies = [p for p in pack if p.id == "AG206"]
    (f,) = [
        f for f in engine.run(inv, policies, {**params, "registered_guardrails": [GUARDRAIL_ID]}) if f.resource_id == AGENT_ARN
    ]
    return f


@pytest.mark.parametrize(
    "model_enforcement, status",
    [
        (None, Status.PASS),
        ({"included_models": {"@@assign": ["ALL"]}, "excluded_models": {"@@assign": [HAIKU]}}, Status.FAIL),
        ({"included_models": {"@@assign": ["amazon.nova-pro-v1:0"]}}, Status.FAIL),
        ({"included_models": {"@@assign": ["anthropic.claude-3-haiku-*"]}}, Status.PASS),
        ({"included_models": ["ALL"], "excluded_models": [HAIKU]}, Status.FAIL),  # the effective policy: operators resolved
    ],
    ids=["every-model", "excluded", "not-included", "included-by-glob", "effective-excluded"],
)
def test_ag206_honours_the_bedrock_policys_model_enforcement(pack, params, model_enforcement, status):
    f = _judge_ag206(pack, params, model_enforcement)
    assert f.status == status, f.message


# ------------------------------------------------------------------ the demo: its first step, its live messages


def test_the_demo_says_it_builds_its_organization_before_the_progress_bar_and_names_calls_in_its_messages(
    tmp_path, monkeypatch, capsys
):
    import contextlib
    import json
    import re
    import sys

    pytest.importorskip("moto")
    import agentgov.cli.audit as cli_audit
    from agentgov.cli.main import main

    monkeypatch.setenv("AWS_PROFILE", "must-not-be-used")

    def bar(stream):
        def progress(done, total, stats):
            if done == 0:
                print("PROGRESS BAR STARTS", file=sys.stderr)

        return contextlib.nullcontext(progress)

    monkeypatch.setattr(cli_audit, "progress_bar", bar)
    rc = main(["audit", "--demo", "--format", "json", "--output", str(tmp_path / "demo.json")])
    assert rc == 1
    err = capsys.readouterr().err
    assert 0 <= err.index("building the demo Organization") < err.index("PROGRESS BAR STARTS")
    report = json.loads((tmp_path / "demo.json").read_text())
    open_ = [f for f in report["findings"] if f["status"] in ("UNKNOWN", "ERROR")]
    assert all("scanned" not in f["message"] for f in report["findings"]), [f["message"] for f in open_]
    # an UNKNOWN for want of an answer names the call, its error code and the IAM action to grant
    named = re.compile(r"\b[a-z0-9-]+ [A-Z][A-Za-z]+ (denied|failed) \([A-Za-z]+; IAM action [a-z0-9-]+:[A-Z][A-Za-z]+\)")
    calls = [f for f in open_ if "parameter" not in f["message"]]
    assert calls and all(named.search(f["message"]) for f in calls), [f["message"] for f in calls]


def test_a_denied_agent_list_leaves_the_knowledge_bases_and_agentcore_lists_read(pack, params):
    answers = {
        "bedrock-agent ListAgents": Error("AccessDeniedException"),
        "bedrock-agent ListKnowledgeBases": {
            "knowledgeBaseSummaries": [{"knowledgeBaseId": "KB12345678", "name": "docs", "status": "ACTIVE", "updatedAt": T0}]
        },
        "bedrock-agent GetKnowledgeBase": Error("AccessDeniedException"),
        "bedrock-agentcore-control ListAgentRuntimes": Error("ThrottlingException"),
        "bedrock-agentcore-control ListMemories": {
            "memories": [
                {
                    "arn": f"arn:aws:bedrock-agentcore:{REGION}:{ACCOUNT}:memory/mem-0123456789",
                    "id": "mem-0123456789",
                    "status": "ACTIVE",
                    "createdAt": T0,
                    "updatedAt": T0,
                }
            ]
        },
    }
    result = audit_answers(answers, pack, params)
    gaps = {g.evidence["api"] for g in findings(result, "AG000")}
    assert gaps == {"bedrock-agent ListAgents", "bedrock-agentcore-control ListAgentRuntimes"}
    kinds = {r.kind for r in result.inventory}
    assert {"knowledge_base", "memory"} <= kinds


def test_a_live_action_group_function_without_a_resource_policy_passes_ag106_naming_the_call(pack, params):
    group = {
        "agentId": AGENT_ID,
        "agentVersion": "DRAFT",
        "actionGroupId": "AG1",
        "actionGroupName": "orders",
        "actionGroupState": "ENABLED",
        "actionGroupExecutor": {"lambda": FN_ARN},
        "createdAt": T0,
        "updatedAt": T0,
    }
    answers = {
        **agent_answers(),
        "bedrock-agent ListAgentActionGroups": lambda p: {
            "actionGroupSummaries": [
                {"actionGroupId": "AG1", "actionGroupName": "orders", "actionGroupState": "ENABLED", "updatedAt": T0}
            ]
            if p.get("agentVersion") == "DRAFT"
            else []
        },
        "bedrock-agent GetAgentActionGroup": {"agentActionGroup": group},
        "lambda ListFunctions": {"Functions": [{"FunctionName": "orders-actions", "FunctionArn": FN_ARN, "Role": ROLE_ARN}]},
        "lambda GetPolicy": Error("ResourceNotFoundException", "The resource you requested does not exist.", 404),
    }
    result = audit_answers(answers, pack, params)
    (f,) = findings(result, "AG106", FN_ARN)
    assert f.status == Status.PASS and "lambda GetPolicy" in f.message and "scanned" not in f.message


def test_the_moto_completion_answers_parent_action_signature_as_aws_does(aws, pack, params):
    import agentgov.demo.awsmock as S
    from agentgov.audit.run import AuditOptions, run_audit

    (member,) = S.organization(1)
    session = S.session_in(member)
    out = S.deploy_agent(session, "us-east-1", "analyst")
    ab = session.client("bedrock-agent", region_name="us-east-1")
    agent_id = out["agent"].rsplit("/", 1)[-1]
    group = ab.create_agent_action_group(
        agentId=agent_id, agentVersion="DRAFT", actionGroupName="code", parentActionGroupSignature="AMAZON.CodeInterpreter"
    )["agentActionGroup"]
    assert group["parentActionSignature"] == "AMAZON.CodeInterpreter"  # CreateAgentActionGroup's input is ...GroupSignature
    got = ab.get_agent_action_group(agentId=agent_id, agentVersion="DRAFT", actionGroupId=group["actionGroupId"])
    assert got["agentActionGroup"]["parentActionSignature"] == "AMAZON.CodeInterpreter"
    opts = AuditOptions(role_name=S.AUDIT_ROLE, accounts=[member], regions=["us-east-1"], workers=2)
    result = run_audit(opts, pack, params)
    verdicts = {f.resource_id.rsplit("/", 1)[-1]: f.status for f in result.findings if f.policy_id == "AG502"}
    assert verdicts[group["actionGroupId"]] == Status.FAIL


# ------------------------------------------------------------------ AG109: Bedrock API keys in pages (Marker)


def _key(user: str, n: int, **extra: object) -> dict[str, object]:
    return {
        "UserName": user,
        "Status": "Active",
        "CreateDate": dt.datetime(2026, 1, 2, tzinfo=dt.UTC),
        "ServiceSpecificCredentialId": f"ACCA{n:016d}",
        "ServiceName": "bedrock.amazonaws.com",
        **extra,
    }


def _users(*names: str) -> dict[str, object]:
    return {
        "UserDetailList": [
            {"UserName": n, "Arn": f"arn:aws:iam::{ACCOUNT}:user/{n}", "UserId": f"AIDA{n.upper():0<16}"} for n in names
        ],
        "RoleDetailList": [],
        "Policies": [],
        "IsTruncated": False,
    }


def test_bedrock_api_keys_are_read_from_every_page(pack, params):
    pages = {
        None: {"ServiceSpecificCredentials": [_key("alice", 1)], "IsTruncated": True, "Marker": "m1"},
        "m1": {"ServiceSpecificCredentials": [_key("bob", 2, ExpirationDate=dt.datetime(2026, 2, 1, tzinfo=dt.UTC))]},
    }
    answers = {
        "iam GetAccountAuthorizationDetails": _users("alice", "bob", "carol"),
        "iam ListServiceSpecificCredentials": lambda p: pages[p.get("Marker")],
    }
    result = audit_answers(answers, pack, params)
    got = {f.resource_id.split("/")[-1].split(":")[-1]: f.status for f in findings(result, "AG109")}
    assert got == {
        "ACCA0000000000000001": Status.FAIL,
        "ACCA0000000000000002": Status.FAIL,
        "alice": Status.FAIL,
        "bob": Status.FAIL,
        "carol": Status.PASS,  # the list was read whole: carol holds no key
    }
    asked = [p for k, p, _ in result.seen if k == "iam ListServiceSpecificCredentials"]
    assert asked == [
        {"AllUsers": True, "ServiceName": "bedrock.amazonaws.com"},
        {"AllUsers": True, "ServiceName": "bedrock.amazonaws.com", "Marker": "m1"},
    ]


def test_a_marker_that_does_not_advance_stops_the_list_and_users_are_unknown(pack, params):
    answers = {
        "iam GetAccountAuthorizationDetails": _users("carol"),
        "iam ListServiceSpecificCredentials": {"ServiceSpecificCredentials": [], "IsTruncated": True, "Marker": "same"},
    }
    result = audit_answers(answers, pack, params)
    (carol,) = findings(result, "AG109")
    assert carol.status == Status.UNKNOWN and "ListServiceSpecificCredentials failed (UnexpectedAnswer" in carol.message
    gaps = [f.message for f in result.findings if f.policy_id == "AG000"]
    assert any("came back twice" in m for m in gaps), gaps
    assert len([k for k, _p, _r in result.seen if k == "iam ListServiceSpecificCredentials"]) == 2
