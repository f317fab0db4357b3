"""The live audit on answers shaped exactly as AWS sends them (botocore's output shapes), not as our moto completion does.

Each test answers the collectors' calls in process (``tests/live_answers.py``: every
answer is validated against the operation's output shape) and checks the verdicts
the policies give; each was written for a defect the audit had on real AWS
(issue 13) and fails on the code before its fix.
"""

from __future__ import annotations

import datetime as dt

import pytest
from live_answers import ACCOUNT, audit_answers, findings

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
