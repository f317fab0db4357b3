"""Which resources agent policies judge beyond agent roles and functions.

Computed from the edges once they are resolved (``graph.resolve_edges`` calls
``qualify_scopes`` last), as qualifiers like ``agent_role``:

* ``agent_vpc_endpoint`` - an interface VPC endpoint (or one whose type is
  known only at deploy time) in a VPC that hosts an agent function or a
  VPC-mode AgentCore runtime, or to a Bedrock service (``bedrock*``) wherever
  it is: the PrivateLink paths agents use (AG303).
* ``agent_secret`` - a Secrets Manager secret that agents read: referenced
  (by reference, or by literal name / ARN) from an agent function's
  environment, from an Allow statement of an agent role, or from an agentic
  resource's properties (agent, knowledge base, data source, AgentCore
  runtime, gateway, gateway target, memory) (AG403).
* ``secret_parameter`` - a CloudFormation parameter or Terraform input
  variable whose name says it holds a secret, or whose default looks like one
  (AG404).

The VPC that hosts a resource is found through its subnets
(``hosting_vpcs``); the network analyzer shares it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from .model import Choice, Edge, Expr, Inventory, Ref, Resource, Unknown

#: a VPC: the key of a scanned ``vpc`` resource, or ``"id:vpc-..."`` for a literal VPC id
VpcId = str

_AGENTIC_READERS = ("agent", "knowledge_base", "data_source", "agent_runtime", "gateway", "gateway_target", "memory")
_NON_INTERFACE = {"gateway", "gatewayloadbalancer", "resource", "servicenetwork"}


# ----------------------------------------------------------------- VPCs


def hosting_vpcs(inv: Inventory, res: Resource) -> tuple[list[VpcId], list[str]]:
    """The VPCs ``res`` (a function or runtime with subnet edges) runs in, and why some are unknown."""
    vpcs: list[VpcId] = []
    unknown: list[str] = []
    config = res.properties.get("vpc_config")
    blocks = config if isinstance(config, list) else [config]
    named = next((b["vpc_id"] for b in blocks if isinstance(b, dict) and isinstance(b.get("vpc_id"), str) and b["vpc_id"]), None)
    if named:  # the function's VPC as the API names it (Lambda ListFunctions' VpcConfig.VpcId): no subnet to follow
        return [f"id:{named}"], []
    for e in inv.out_edges(res.key, "subnet"):
        if isinstance(e.dst, Unknown):
            unknown.append(e.dst.reason)
            continue
        subnet = inv.resources[e.dst]
        found = False
        for ve in inv.out_edges(subnet.key, "vpc"):
            if isinstance(ve.dst, str):
                found = True
                if ve.dst not in vpcs:
                    vpcs.append(ve.dst)
        if found:
            continue
        vid = subnet.properties.get("vpc_id")
        if isinstance(vid, str) and vid:
            if f"id:{vid}" not in vpcs:
                vpcs.append(f"id:{vid}")
        else:
            reason = next((ve.dst.reason for ve in inv.out_edges(subnet.key, "vpc") if isinstance(ve.dst, Unknown)), None)
            unknown.append(f"the VPC of subnet {subnet.label} is not known ({reason or 'no VPC id'})")
    return vpcs, unknown


def vpc_label(inv: Inventory, vpc: VpcId) -> str:
    if vpc.startswith("id:"):
        return vpc[3:]
    return inv.resources[vpc].label


def endpoints_of(inv: Inventory, vpc: VpcId) -> list[Resource]:
    if vpc.startswith("id:"):
        lit = vpc[3:]
        return [r for r in inv.of_kind("vpc_endpoint") if r.properties.get("vpc_id") == lit]
    out = []
    for t in inv.related(inv.resources[vpc], "vpc_endpoint"):
        if isinstance(t, Resource) and t not in out:
            out.append(t)
    return out


def endpoint_type(ep: Resource) -> Any:
    """The endpoint's type: a lower-case string (absent: ``gateway``, AWS's default) or a symbolic value."""
    t = ep.properties.get("vpc_endpoint_type")
    if t is None:
        return "gateway"
    if isinstance(t, str):
        return t.lower()
    return t


def service_of(ep: Resource) -> str | Unknown:
    """The service an endpoint connects to (``bedrock-runtime``, ``ecr.api``), from the literal tail of ServiceName."""
    name = ep.properties.get("service_name")
    return service_name_tail(name)


def service_name_tail(name: Any) -> str | Unknown:
    if isinstance(name, str):
        m = re.match(r"^(?:com\.amazonaws|aws\.api|aws\.sagemaker)\.(?:[a-z]{2}(?:-[a-z]+)+-\d+)\.(.+)$", name)
        if m:
            return m.group(1)
        m = re.match(r"^com\.amazonaws\.(.+)$", name)
        return m.group(1) if m else name
    if isinstance(name, Expr):
        last = name.parts[-1]
        if isinstance(last, str) and last.startswith(".") and len(last) > 1:
            return last[1:]
        u = name.unknowns
        return u[0] if u else Unknown(f"service name {name} is known only at deploy time")
    if isinstance(name, Unknown):
        return name
    return Unknown("the endpoint's service name is known only at deploy time")


# ---------------------------------------------------------------- scopes


def qualify_scopes(inv: Inventory) -> None:
    _endpoints(inv)
    _secrets(inv)
    _parameters(inv)


def _agent_compute(inv: Inventory) -> Iterable[Resource]:
    for f in inv.of_kind("function"):
        if inv.has_qualifier(f, "agent_function"):
            yield f
    yield from inv.of_kind("agent_runtime")  # only VPC-mode runtimes have subnet edges


def _endpoints(inv: Inventory) -> None:
    in_agent_vpc: set[str] = set()
    for res in _agent_compute(inv):
        vpcs, _ = hosting_vpcs(inv, res)
        for vpc in vpcs:
            in_agent_vpc.update(ep.key for ep in endpoints_of(inv, vpc))
    for ep in inv.of_kind("vpc_endpoint"):
        t = endpoint_type(ep)
        if isinstance(t, str) and t in _NON_INTERFACE:
            continue
        svc = service_of(ep)
        if ep.key in in_agent_vpc or (isinstance(svc, str) and svc.startswith("bedrock")):
            inv.roles_of.setdefault(ep.key, set()).add("agent_vpc_endpoint")


def refs_in(value: Any) -> Iterable[Any]:
    """Every Ref and literal string inside a (nested) value."""
    stack = [value]
    while stack:
        v = stack.pop()
        if isinstance(v, (Ref, str)):
            yield v
        elif isinstance(v, Expr):
            stack.extend(p for p in v.parts if isinstance(p, Ref))
            if v.literal:
                yield v.literal
        elif isinstance(v, Choice):
            stack.extend(v.options)
        elif isinstance(v, dict):
            stack.extend(v.values())
        elif isinstance(v, list):
            stack.extend(v)


def _secret_target(inv: Inventory, src: Resource, v: Any, by_name: dict[tuple[str, str], str]) -> str | None:
    if isinstance(v, Ref):
        key = v.target if "#" in v.target else f"{src.stack}#{v.target}"
        t = inv.resources.get(key)
        return key if t is not None and t.kind == "secret" else None
    if isinstance(v, str) and v:
        name = v
        if ":secret:" in v:
            name = v.split(":secret:", 1)[1].rstrip("*")
            name = re.sub(r"-[A-Za-z0-9]{0,6}$", "", name) if (src.stack, name) not in by_name else name
        return by_name.get((src.stack, name))
    return None


def _secrets(inv: Inventory) -> None:
    secrets = inv.of_kind("secret")
    if not secrets:
        return
    by_name = {(s.stack, s.name): s.key for s in secrets if s.name}
    readers: list[tuple[Resource, Any]] = []
    for f in inv.of_kind("function"):
        if inv.has_qualifier(f, "agent_function"):
            readers.append((f, f.properties.get("environment")))
    for kind in _AGENTIC_READERS:
        for r in inv.of_kind(kind):
            readers.append((r, r.properties))
    found: dict[str, set[str]] = {}
    for src, value in readers:
        for v in refs_in(value):
            key = _secret_target(inv, src, v, by_name)
            if key:
                found.setdefault(key, set()).add(src.key)
    from .iam_policies import role_statements

    for role in inv.of_kind("role"):
        if not inv.has_qualifier(role, "agent_role"):
            continue
        for st in role_statements(role, inv).statements:
            if st.effect != "Allow":
                continue
            for v in st.resources:
                for item in refs_in(v):
                    key = _secret_target(inv, role, item, by_name)
                    if key:
                        found.setdefault(key, set()).add(role.key)
    for key, srcs in found.items():
        inv.roles_of.setdefault(key, set()).add("agent_secret")
        for reader in sorted(srcs):
            inv.add_edge(Edge(key, "read_by", reader, via="reference"))


def _parameters(inv: Inventory) -> None:
    from .secret_detection import secret_parameter

    for p in inv.of_kind("template_parameter"):
        if secret_parameter(p):
            inv.roles_of.setdefault(p.key, set()).add("secret_parameter")
