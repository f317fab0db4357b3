"""EC2 VPC endpoints (which PrivateLink endpoints exist in which VPC, with their policies) and subnets (which VPC
each is in: an AgentCore runtime, code interpreter or browser names only its subnets, and AG302 follows them to
the VPC whose endpoints it judges) and route tables (where each subnet's traffic goes: AG304 fails a VPC-mode
runtime whose subnet routes to an internet gateway)."""

from __future__ import annotations

from agentgov.audit.collectors.base import Call, Context, live, tag_dict
from agentgov.scanner.normalize import parse_policy_document

AREA = "ec2-vpc-endpoints"
SCOPE = "regional"
SERVICE = "ec2"
#: the kinds this collector collects whole (``vpc_endpoint`` is the area's, in ``live_inventory.AREA_KINDS``)
KINDS = ("subnet", "route_table")

CALLS = (
    Call(SERVICE, "DescribeVpcEndpoints", "ec2:DescribeVpcEndpoints"),
    Call(SERVICE, "DescribeSubnets", "ec2:DescribeSubnets"),
    Call(SERVICE, "DescribeRouteTables", "ec2:DescribeRouteTables"),
)


def collect(ctx: Context) -> None:
    with ctx.enumeration("subnet"):
        for sn in ctx.items(SERVICE, "DescribeSubnets", "Subnets"):
            with ctx.reading(SERVICE, "DescribeSubnets", sn):
                sid = sn["SubnetId"]
                arn = sn.get("SubnetArn") or f"arn:{ctx.partition}:ec2:{ctx.region}:{ctx.account}:subnet/{sid}"
                props = live({k: v for k, v in sn.items() if k != "Tags"})
                ctx.add("subnet", "AWS::EC2::Subnet", arn, props, tags=tag_dict(sn.get("Tags")), name=sid)
    with ctx.enumeration("route_table"):  # where each subnet's traffic goes (AG304): routes and associations
        for rt in ctx.items(SERVICE, "DescribeRouteTables", "RouteTables"):
            with ctx.reading(SERVICE, "DescribeRouteTables", rt):
                rid = rt["RouteTableId"]
                arn = f"arn:{ctx.partition}:ec2:{ctx.region}:{ctx.account}:route-table/{rid}"
                props = live({k: v for k, v in rt.items() if k != "Tags"})
                ctx.add("route_table", "AWS::EC2::RouteTable", arn, props, tags=tag_dict(rt.get("Tags")), name=rid)
    with ctx.enumeration("vpc_endpoint"):
        for ep in ctx.items(SERVICE, "DescribeVpcEndpoints", "VpcEndpoints"):
            with ctx.reading(SERVICE, "DescribeVpcEndpoints", ep):
                arn = f"arn:{ctx.partition}:ec2:{ctx.region}:{ctx.account}:vpc-endpoint/{ep['VpcEndpointId']}"
                props = live({k: v for k, v in ep.items() if k not in ("Tags", "PolicyDocument", "Groups")})
                # CloudFormation's PolicyDocument and Terraform's policy are one ``policy`` (what AG303 reads)
                props["policy"] = parse_policy_document(ep.get("PolicyDocument"))
                props["security_group_ids"] = [g["GroupId"] for g in ep.get("Groups") or []]
                ctx.add(
                    "vpc_endpoint", "AWS::EC2::VPCEndpoint", arn, props, tags=tag_dict(ep.get("Tags")), name=ep["VpcEndpointId"]
                )
