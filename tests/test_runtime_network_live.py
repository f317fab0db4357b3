"""AG304 on live AgentCore runtimes: the audit follows a VPC-mode runtime's subnets (DescribeSubnets) to the route
table each follows (DescribeRouteTables: its association, else the VPC's main table) and fails a route to an
internet gateway (moto, completed by agentgov.demo.awsmock)."""

from __future__ import annotations

import pytest

pytest.importorskip("moto")

import agentgov.demo.awsmock as S  # noqa: E402
from agentgov.audit.run import AuditOptions, run_audit  # noqa: E402

REGION = "us-east-1"


def _verdicts(pack, params):
    result = run_audit(AuditOptions(role_name=S.AUDIT_ROLE, regions=[REGION], workers=2), pack, params, only=["AG304"])
    return {f.resource_name or f.resource_id: f for f in result.findings if f.policy_id == "AG304"}


def _runtime(c, account: str, name: str, subnets: list[str] | None) -> str:
    network = {"networkMode": "VPC", "networkModeConfig": {"subnets": subnets, "securityGroups": ["sg-0123456789abcdef0"]}}
    return c.create_agent_runtime(
        agentRuntimeName=name,
        roleArn=f"arn:aws:iam::{account}:role/runtime",
        networkConfiguration=network if subnets is not None else {"networkMode": "PUBLIC"},
        agentRuntimeArtifact={"containerConfiguration": {"containerUri": f"{account}.dkr.ecr.{REGION}.amazonaws.com/a:1"}},
    )["agentRuntimeArn"]


def _network(session):
    ec2 = session.client("ec2", region_name=REGION)
    vpc = ec2.create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]
    igw = ec2.create_internet_gateway()["InternetGateway"]["InternetGatewayId"]
    ec2.attach_internet_gateway(InternetGatewayId=igw, VpcId=vpc)
    subnet = {
        n: ec2.create_subnet(VpcId=vpc, CidrBlock=f"10.0.{i}.0/24")["Subnet"]["SubnetId"]
        for i, n in enumerate(("pub", "priv", "plain"))
    }
    public = ec2.create_route_table(VpcId=vpc)["RouteTable"]["RouteTableId"]
    ec2.create_route(RouteTableId=public, DestinationCidrBlock="0.0.0.0/0", GatewayId=igw)
    ec2.associate_route_table(RouteTableId=public, SubnetId=subnet["pub"])
    private = ec2.create_route_table(VpcId=vpc)["RouteTable"]["RouteTableId"]
    ec2.create_route(RouteTableId=private, DestinationCidrBlock="0.0.0.0/0", NatGatewayId="nat-0123456789abcdef0")
    ec2.associate_route_table(RouteTableId=private, SubnetId=subnet["priv"])
    return ec2, vpc, igw, subnet


def test_runtime_subnets_are_followed_to_their_route_tables_live(aws, pack, params):
    (member,) = S.organization(1)
    session = S.session_in(member)
    ec2, vpc, igw, subnet = _network(session)
    c = session.client("bedrock-agentcore-control", region_name=REGION)
    names = {
        _runtime(c, member, "private", [subnet["priv"]]): "private",
        _runtime(c, member, "public", [subnet["priv"], subnet["pub"]]): "public",
        _runtime(c, member, "main_table", [subnet["plain"]]): "main_table",  # no association: the VPC's main table
        _runtime(c, member, "open", None): "open",
        _runtime(c, member, "elsewhere", ["subnet-0000000000000000f"]): "elsewhere",
    }
    v = {names[k]: f for k, f in _verdicts(pack, params).items()}
    assert {k: f.status.value for k, f in v.items()} == {
        "private": "PASS",
        "public": "FAIL",
        "main_table": "PASS",  # the main table moto gives a VPC has its local route only
        "open": "FAIL",
        "elsewhere": "UNKNOWN",
    }, {k: f.message for k, f in v.items()}
    assert f"subnet {subnet['pub']} routes 0.0.0.0/0 to internet gateway {igw}" in v["public"].message
    assert "subnet-0000000000000000f is not among the resources read" in v["elsewhere"].message
    # a route to the internet gateway in the VPC's main table reaches the subnets without an association
    main = ec2.describe_route_tables(
        Filters=[{"Name": "vpc-id", "Values": [vpc]}, {"Name": "association.main", "Values": ["true"]}]
    )
    ec2.create_route(RouteTableId=main["RouteTables"][0]["RouteTableId"], DestinationCidrBlock="0.0.0.0/0", GatewayId=igw)
    v = {names[k]: f for k, f in _verdicts(pack, params).items()}
    assert v["main_table"].status.value == "FAIL" and "(route table rtb-" in v["main_table"].message
    assert v["private"].status.value == "PASS"


def test_unread_route_tables_make_vpc_runtimes_unknown_naming_the_call(aws, pack, params):
    (member,) = S.organization(1)
    session = S.session_in(member)
    _, _, _, subnet = _network(session)
    c = session.client("bedrock-agentcore-control", region_name=REGION)
    arn = _runtime(c, member, "private", [subnet["priv"]])
    S.deny(member, "ec2", "DescribeRouteTables")
    (f,) = [f for k, f in _verdicts(pack, params).items() if k in (arn, "private")]
    assert f.status.value == "UNKNOWN", f.message
    assert "ec2 DescribeRouteTables denied" in f.message and "IAM action ec2:DescribeRouteTables" in f.message
