"""EC2 subnets (which VPC each is in: an AgentCore runtime, code interpreter or browser names only its subnets, and
AG302 follows them to the VPC whose endpoints it judges) and route tables (where each subnet's traffic goes: AG304
fails a VPC-mode runtime whose subnet routes to an internet gateway).

Read only in a region where a function, runtime, code interpreter or browser names a subnet (``WHEN``): nothing
else the policies judge reaches a subnet or a route table.
"""

from __future__ import annotations

from agentgov.audit.collectors.base import Call, Context, live, tag_dict
from agentgov.audit.collectors.resolve import When

AREA = "ec2-subnets"
SCOPE = "regional"
SERVICE = "ec2"
#: the kinds this collector collects whole
KINDS = ("subnet", "route_table")
#: read where a record names a subnet (the route tables serve the subnets' routes alone)
WHEN = When("names a subnet (a VPC-mode function, AgentCore runtime, code interpreter or browser)", referenced=("subnet",))

CALLS = (
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
