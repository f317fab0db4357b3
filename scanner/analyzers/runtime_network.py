"""AgentCore runtimes in network mode VPC, in subnets without a route to an internet gateway (AG304).

A runtime in ``PUBLIC`` network mode runs with unrestricted internet egress: FAIL. In ``VPC`` mode its network
interfaces sit in the subnets it names (``network_mode_config.subnets``); each subnet's traffic follows its route
table: the one a subnet association names (CloudFormation ``AWS::EC2::SubnetRouteTableAssociation``, Terraform
``aws_route_table_association``, a live route table's ``associations``), else its VPC's main route table (Terraform
``aws_default_route_table`` / ``aws_main_route_table_association``, a live association with ``main``;
CloudFormation cannot declare one). A route whose target is an internet gateway (``igw-``) or an egress-only
internet gateway (``eigw-``, IPv6 egress) puts the subnet on the internet: FAIL, naming the subnet, the route
table, the destination and the gateway. Routes through a NAT gateway, a transit gateway, a VPC endpoint or a
peering connection are the private egress this policy asks for.

What cannot be followed is UNKNOWN with the reason, never PASS: a subnet, route table or gateway known only at
deploy time, a subnet without an association whose VPC's main route table is not in the files.
"""

from __future__ import annotations

from typing import Any

from ..conditions import FAIL, PASS, UNKNOWN, EvalContext, Verdict
from ..model import Choice, Expr, Inventory, Ref, Resource, Unknown, walk
from ._guardrails import ref_target

_MODE = "network_configuration.network_mode"
_SUBNETS = "network_configuration.network_mode_config.subnets"
#: a route's attributes that may name an internet gateway (GatewayId also names virtual private gateways)
_GATEWAYS = ("gateway_id", "egress_only_internet_gateway_id")


def _label(r: Resource) -> str:
    """A live subnet or route table by its id (subnet-..., rtb-...), a scanned one by its label."""
    return r.name if r.source == "aws" and r.name else r.label


def _destination(route: dict[str, Any]) -> str:
    for k in ("destination_cidr_block", "destination_ipv6_cidr_block", "destination_prefix_list_id"):
        v = route.get(k)
        if isinstance(v, str) and v:
            return v
    return "a destination known only at deploy time"


def _gateway(ctx: EvalContext, owner: Resource, value: Any) -> tuple[bool | None, str]:
    """(the value names an internet gateway: True / False / None unknown, its label)."""
    if isinstance(value, str):
        return value.startswith(("igw-", "eigw-")), value
    target = ref_target(ctx, owner, value)
    if target is not None and target.kind == "internet_gateway":
        return True, _label(target)
    if target is not None and target.kind != "template_parameter":
        return False, _label(target)
    if isinstance(value, Expr) and value.literal:
        return value.literal.startswith(("igw-", "eigw-")), value.literal
    why = value.reason if isinstance(value, Unknown) else f"{value}"
    return None, why


def _routes(inv: Inventory, table: Resource) -> list[tuple[Resource, dict[str, Any]]]:
    """The table's routes: inline (Terraform, live) and their own resources (CloudFormation, Terraform aws_route)."""
    out = [(table, r) for r in table.properties.get("routes") or [] if isinstance(r, dict)]
    for e in inv.in_edges(table.key, "route_table"):
        src = inv.resources.get(e.src)
        if src is not None and src.kind == "route":
            out.append((src, src.properties))
    return out


def _subnet_id(subnet: Resource) -> str | None:
    sid = subnet.properties.get("subnet_id")
    return sid if isinstance(sid, str) else None


def _vpc_of(inv: Inventory, subnet: Resource) -> tuple[str | None, str | None]:
    """(the subnet's VPC key, or None; its literal VPC id, or None)."""
    key = next((e.dst for e in inv.out_edges(subnet.key, "vpc") if isinstance(e.dst, str)), None)
    vid = subnet.properties.get("vpc_id")
    return key, vid if isinstance(vid, str) else None


def _same_vpc(inv: Inventory, table_vpc: Any, table: Resource, vpc_key: str | None, vpc_id: str | None) -> bool:
    keys = {e.dst for e in inv.out_edges(table.key, "vpc") if isinstance(e.dst, str)}
    return (vpc_key is not None and vpc_key in keys) or (vpc_id is not None and table_vpc == vpc_id)


def _tables(inv: Inventory, subnet: Resource) -> tuple[list[Resource], str | None]:
    """The route tables the subnet's traffic follows (its associated one, else its VPC's main one), or why unknown."""
    if subnet.source == "aws":
        gap = inv.uncollected_of(subnet.account, "route_table", subnet.region)
        if gap:
            return [], f"the route tables of subnet {_label(subnet)} were not read: {gap[2]}"
    tables: list[Resource] = []
    for e in inv.in_edges(subnet.key, "subnet"):
        assoc = inv.resources.get(e.src)
        if assoc is None or assoc.kind != "route_table_association":
            continue
        for te in inv.out_edges(assoc.key, "route_table"):
            if isinstance(te.dst, Unknown):
                return [], f"the route table associated with subnet {_label(subnet)} is not known ({te.dst.reason})"
            tables.append(inv.resources[te.dst])
    sid = _subnet_id(subnet)
    for table in inv.of_kind("route_table"):  # a live route table lists its associations
        assocs = table.properties.get("associations")
        if sid and isinstance(assocs, list) and any(isinstance(a, dict) and a.get("subnet_id") == sid for a in assocs):
            tables.append(table)
    if tables:
        return tables, None
    vpc_key, vpc_id = _vpc_of(inv, subnet)
    for table in inv.of_kind("route_table"):
        assocs = table.properties.get("associations")
        main = table.properties.get("main") is True or (
            isinstance(assocs, list) and any(isinstance(a, dict) and a.get("main") is True for a in assocs)
        )
        if main and _same_vpc(inv, table.properties.get("vpc_id"), table, vpc_key, vpc_id):
            tables.append(table)
    for assoc in inv.of_kind("route_table_association"):
        if assoc.properties.get("main") is not True:
            continue
        if not any(isinstance(e.dst, str) and e.dst == vpc_key for e in inv.out_edges(assoc.key, "vpc")) and not (
            vpc_id is not None and assoc.properties.get("vpc_id") == vpc_id
        ):
            continue
        tables += [inv.resources[te.dst] for te in inv.out_edges(assoc.key, "route_table") if isinstance(te.dst, str)]
    if tables:
        return tables, None
    where = "in the files" if subnet.source != "aws" else f"among the route tables read from account {subnet.account}"
    return [], (
        f"subnet {_label(subnet)} has no route table association, so it uses its VPC's main route table, which is not {where}"
    )


def _subnet_verdict(ctx: EvalContext, subnet: Resource) -> tuple[list[str], list[str], list[str]]:
    """(fails, unknowns, tables judged) for one subnet."""
    inv = ctx.inventory
    tables, why = _tables(inv, subnet)
    if why:
        return [], [why], []
    fails: list[str] = []
    unknowns: list[str] = []
    for table in tables:
        for owner, route in _routes(inv, table):
            if route.get("state") == "blackhole":  # (live) its target is gone: it carries no traffic
                continue
            for attr in _GATEWAYS:
                value = route.get(attr)
                if value is None or value == "":
                    continue
                igw, label = _gateway(ctx, owner, value)
                if igw:
                    fails.append(
                        f"subnet {_label(subnet)} routes {_destination(route)} to internet gateway {label}"
                        f" (route table {_label(table)})"
                    )
                elif igw is None:
                    unknowns.append(
                        f"route table {_label(table)} of subnet {_label(subnet)} routes {_destination(route)} to a gateway"
                        f" known only at deploy time ({label})"
                    )
    return fails, unknowns, [_label(t) for t in tables]


def check(res: Resource, ctx: EvalContext, params: dict[str, Any]) -> Verdict:
    inv = ctx.inventory
    modes = [m for m in walk(res.properties, _MODE) if m is not None]
    mode = modes[0] if modes else None
    if isinstance(mode, Unknown):  # (live: the call that reads it failed, which its reason names)
        return Verdict(UNKNOWN, [f"the runtime's network mode is not known: {mode.reason}"], path=_MODE)
    if isinstance(mode, (Ref, Expr, Choice)):
        return Verdict(UNKNOWN, ["the runtime's network mode is known only at deploy time"], path=_MODE)
    if mode != "VPC":
        return Verdict(FAIL, ["the runtime's network mode is not VPC (PUBLIC, or no network configuration)"], path=_MODE)
    fails: list[str] = []
    unknowns: list[str] = []
    evidence: dict[str, Any] = {"subnets": {}}
    edges = inv.out_edges(res.key, "subnet")
    if not edges:
        return Verdict(
            UNKNOWN, ["the runtime is in network mode VPC and its subnets are known only at deploy time"], path=_SUBNETS
        )
    for e in edges:
        if isinstance(e.dst, Unknown):
            unknowns.append(f"a subnet of the runtime cannot be followed to its route table: {e.dst.reason}")
            continue
        subnet = inv.resources[e.dst]
        f, u, tables = _subnet_verdict(ctx, subnet)
        fails += f
        unknowns += u
        evidence["subnets"][_label(subnet)] = tables
    if fails:
        return Verdict(FAIL, fails[:5], path=_SUBNETS, evidence=evidence)
    if unknowns:
        return Verdict(UNKNOWN, unknowns[:3], path=_SUBNETS, evidence=evidence)
    return Verdict(PASS, path=_SUBNETS, evidence=evidence)
