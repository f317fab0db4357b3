"""The inventory's indexes answer what the joins they replace answered (issue 16 step 3).

``agents_using_role`` and the policy attachments of a role were joins over
every agent or attachment for every role; they are built once per inventory
and rebuilt when the inventory changes.
"""

from __future__ import annotations

from agentgov.scanner import agents as agent_graph
from agentgov.scanner.iam_policies import attachments_of
from agentgov.scanner.model import Edge, Inventory, Location, Resource, Unknown


def _res(kind: str, rid: str) -> Resource:
    return Resource(
        kind=kind, id=rid, key=f"s#{rid}", source="terraform", source_type=kind, stack="s", location=Location("m.tf", 1)
    )


def _inventory() -> Inventory:
    inv = Inventory()
    for kind, rid in [
        ("agent", "a1"),
        ("agent", "a2"),
        ("action_group", "g1"),
        ("function", "f1"),
        ("role", "r1"),
        ("role", "r2"),
        ("policy_attachment", "p1"),
        ("policy_attachment", "p2"),
    ]:
        inv.add(_res(kind, rid))
    for src, rel, dst in [
        ("a1", "role", "r1"),
        ("a1", "action_group", "g1"),
        ("g1", "function", "f1"),
        ("f1", "role", "r2"),
        ("a2", "role", "r2"),
        ("p1", "role", "r1"),
        ("p1", "role", "r1"),  # the same role twice: the attachment is listed once
        ("p2", "role", "r2"),
        ("p2", "policy", "r1"),
    ]:
        inv.add_edge(Edge(f"s#{src}", rel, f"s#{dst}"))
    inv.add_edge(Edge("s#a2", "role", Unknown("outside")))
    return inv


def test_agents_using_a_role_in_agent_then_role_order() -> None:
    inv = _inventory()
    r1, r2 = inv.resources["s#r1"], inv.resources["s#r2"]
    assert [(a.id, via) for a, via in agent_graph.agents_using_role(inv, r1)] == [("a1", "agent role")]
    assert [(a.id, via) for a, via in agent_graph.agents_using_role(inv, r2)] == [
        ("a1", "action group g1 -> function f1"),
        ("a2", "agent role"),
    ]


def test_attachments_of_a_role() -> None:
    inv = _inventory()
    assert [a.id for a in attachments_of(inv.resources["s#r1"], inv)] == ["p1"]
    assert [a.id for a in attachments_of(inv.resources["s#r2"], inv)] == ["p2"]  # p2's policy edge is not a role edge


def test_an_index_is_rebuilt_when_the_inventory_changes() -> None:
    inv = _inventory()
    r1 = inv.resources["s#r1"]
    assert [a.id for a, _via in agent_graph.agents_using_role(inv, r1)] == ["a1"]
    inv.add_edge(Edge("s#a2", "role", "s#r1"))
    assert [a.id for a, _via in agent_graph.agents_using_role(inv, r1)] == ["a1", "a2"]
    inv.add(_res("policy_attachment", "p3"))
    inv.add_edge(Edge("s#p3", "role", "s#r1"))
    assert [a.id for a in attachments_of(r1, inv)] == ["p1", "p3"]


def test_edges_by_relation_keep_insertion_order() -> None:
    inv = _inventory()
    assert [e.dst for e in inv.out_edges("s#p1", "role")] == ["s#r1", "s#r1"]
    assert [e.rel for e in inv.out_edges("s#p2")] == ["role", "policy"]
    assert [e.src for e in inv.in_edges("s#r2", "role")] == ["s#f1", "s#a2", "s#p2"]
    assert inv.out_edges("s#a2", "role")[1].dst == Unknown("outside")
    got = inv.out_edges("s#p1", "role")
    got.clear()  # a copy: the caller may change it
    assert len(inv.out_edges("s#p1", "role")) == 2
