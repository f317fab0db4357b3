"""EC2 VPC endpoints: which PrivateLink endpoints exist in which VPC, with their policies (AG302, AG303).

Read in every region: an endpoint to a Bedrock service is an agent VPC endpoint wherever it is (AG303 judges it
though no agent runs in its region). The subnets and route tables that place agent compute in a VPC are
``subnets``' (read only where something names a subnet).
"""

from __future__ import annotations

from agentgov.audit.collectors.base import Call, Context, live, tag_dict
from agentgov.scanner.normalize import parse_policy_document

AREA = "ec2-vpc-endpoints"
SCOPE = "regional"
SERVICE = "ec2"
#: (``vpc_endpoint`` is the area's, in ``live_inventory.AREA_KINDS``: its absence is never read as "none exist")
KINDS: tuple[str, ...] = ()

CALLS = (Call(SERVICE, "DescribeVpcEndpoints", "ec2:DescribeVpcEndpoints"),)


def collect(ctx: Context) -> None:
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
