"""Unit cases of the off-switch analyzer (AG705): which grants let a role read the parameter."""

from __future__ import annotations

import pytest

from agentgov.scanner.analyzers.off_switch import _grants, _pattern
from agentgov.scanner.conditions import EvalContext
from agentgov.scanner.model import Expr, Inventory, Location, Resource, Unknown

PATH = "/agentgov/orders-agent/enabled"


def _role(action, resource) -> Resource:
    doc = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": action, "Resource": resource}]}
    return Resource(
        kind="role",
        id="R",
        key="t#R",
        source="cloudformation",
        source_type="AWS::IAM::Role",
        stack="t",
        location=Location("t", 1),
        properties={"inline_policies": [{"name": "p", "document": doc}]},
    )


@pytest.mark.parametrize(
    "action, resource, ok",
    [
        ("ssm:GetParameter", f"arn:aws:ssm:us-east-1:123456789012:parameter{PATH}", True),
        ("ssm:GetParameter*", "arn:aws:ssm:*:*:parameter/agentgov/*", True),
        ("ssm:*", "*", True),
        ("ssm:GetParameters", "arn:aws:ssm:us-east-1:123456789012:*", True),
        ("ssm:GetParameter", Expr(("arn:aws:ssm:", Unknown("region"), ":", Unknown("account"), f":parameter{PATH}")), True),
        ("ssm:GetParameter", "arn:aws:ssm:us-east-1:123456789012:parameter/agentgov/other-agent/enabled", False),
        ("ssm:PutParameter", "*", False),
        ("s3:GetObject", "*", False),
    ],
)
def test_grants(action, resource, ok):
    role = _role(action, resource)
    inv = Inventory()
    inv.add(role)
    got, unknown = _grants(role, PATH, None, EvalContext(inventory=inv, params={}))
    assert got is ok and not unknown


def test_unknown_resource_is_unknown_not_fail():
    role = _role("ssm:GetParameter", Unknown("parameter ParamArn has no default"))
    inv = Inventory()
    inv.add(role)
    got, unknown = _grants(role, PATH, None, EvalContext(inventory=inv, params={}))
    assert got is False and unknown


@pytest.mark.parametrize(
    "template, name, path, hit",
    [
        ("/agentgov/<agent>/enabled", "orders-agent", PATH, True),
        ("/agentgov/<agent>/enabled", "orders", PATH, False),
        ("/agentgov/<agent>/*", "orders-agent", "/agentgov/orders-agent/kill", True),
        ("/ops/*/<agent>", "a", "/ops/prod/a", True),
        ("/agentgov/<agent>/enabled", Unknown("agent name from a variable"), PATH, True),
    ],
)
def test_pattern(template, name, path, hit):
    assert bool(_pattern(template, name).fullmatch(path)) is hit
