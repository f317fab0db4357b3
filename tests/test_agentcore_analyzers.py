"""Unit cases of the AgentCore analyzers: tool verbs, gateway target tools, KMS keys."""

from __future__ import annotations

import pytest

from agentgov.scanner.analyzers._tools import classify, words
from agentgov.scanner.analyzers.customer_managed_key import check as check_customer_managed_key
from agentgov.scanner.analyzers.gateway_write_tools import target_tools
from agentgov.scanner.conditions import FAIL, PASS, UNKNOWN, EvalContext
from agentgov.scanner.model import Expr, Inventory, Location, Ref, Resource, Unknown
from agentgov.scanner.pack import load_pack


@pytest.fixture(scope="module")
def verbs():
    params = load_pack().parameters
    return tuple(params["irreversible_verbs"].default), tuple(params["write_tool_verbs"].default)


@pytest.mark.parametrize(
    "text, expected",
    [
        ("deleteOrder", ("delete", "order")),
        ("DeleteOrder", ("delete", "order")),
        ("delete_order", ("delete", "order")),
        ("delete-order", ("delete", "order")),
        ("HTTPRequestSend", ("http", "request", "send")),
        ("get_v1_search", ("get", "v", "1", "search")),
    ],
)
def test_words(text, expected):
    assert words(text) == expected


@pytest.mark.parametrize(
    "name, description, expected",
    [
        ("deleteOrder", None, ("irreversible", "delete")),
        ("order_cancel", None, ("irreversible", "cancel")),
        ("dropped_tables_cleanup", None, ("irreversible", "drop")),  # inflections match
        ("createTicket", None, ("write", "create")),
        ("ordersCreate", None, ("write", "create")),  # the verb need not come first
        ("hold_transaction", "Places a hold on a transaction", ("write", "hold")),
        ("get_refunds", "Lists refunds", None),  # a read verb first: the nouns after it are not actions
        ("list_transfers", None, None),
        ("search_tickets", "Searches tickets", None),
        ("wikipedia_get_article", "Get full content of an article", None),
        ("tavily_extract", "Extract clean content. Removes ads and boilerplate.", None),  # only the leading verb
        ("payment_handler", "Refunds a captured payment", ("irreversible", "refund")),  # the name says nothing
        ("process", "This tool deletes records", ("irreversible", "delete")),  # filler words skipped
        ("process_request", "Process requests via Lambda", None),
        (None, "Sends an email", ("irreversible", "send")),
    ],
)
def test_classify(verbs, name, description, expected):
    assert classify(name, description, *verbs) == expected


def _target(config: dict) -> Resource:
    return Resource(
        kind="gateway_target",
        id="T",
        key="s#T",
        source="cloudformation",
        source_type="AWS::BedrockAgentCore::GatewayTarget",
        stack="s",
        location=Location("t.yaml", 1),
        properties={"target_configuration": config},
    )


def test_smithy_idl_operations_without_readonly_are_writes(verbs):
    idl = """
    $version: "2"
    namespace example
    @readonly
    @http(method: "GET", uri: "/stock")
    operation GetStock { input: GetStockInput }
    @http(method: "DELETE", uri: "/stock")
    operation DeleteStock { input: DeleteStockInput }
    """
    tools = target_tools(_target({"mcp": {"smithy_model": {"inline_payload": idl}}}), verbs)
    assert tools.read == ["GetStock"]
    assert [(w["tool"], w["kind"]) for w in tools.writes] == [("DeleteStock", "irreversible")]
    assert not tools.unknown


def test_openapi_yaml_and_unknown_payload(verbs):
    spec = "openapi: 3.0.0\npaths:\n  /a:\n    get: {operationId: getA}\n    put: {operationId: putA}\n"
    tools = target_tools(_target({"mcp": {"open_api_schema": {"inline_payload": spec}}}), verbs)
    assert [(w["tool"], w["kind"]) for w in tools.writes] == [("putA", "write")]
    u = Unknown("parameter Spec has no default value")
    tools = target_tools(_target({"mcp": {"open_api_schema": {"inline_payload": u}}}), verbs)
    assert not tools.writes and tools.unknown == ["target T: the OpenAPI schema parameter Spec has no default value"]


def test_http_runtime_targets_are_not_assessed(verbs):
    tools = target_tools(
        _target({"http": {"agentcore_runtime": {"arn": "arn:aws:bedrock-agentcore:us-east-1:1:runtime/x"}}}), verbs
    )
    assert tools.unknown == ["target T: http targets are not assessed (their tools are not declared here)"]


def _ctx(*resources: Resource) -> tuple[Resource, EvalContext]:
    inv = Inventory()
    for r in resources:
        inv.add(r)
    mem = Resource(
        kind="memory",
        id="M",
        key="s#M",
        source="cloudformation",
        source_type="AWS::BedrockAgentCore::Memory",
        stack="s",
        location=Location("t.yaml", 1),
    )
    inv.add(mem)
    return mem, EvalContext(inventory=inv, params={})


@pytest.mark.parametrize(
    "value, status",
    [
        (None, FAIL),
        ("alias/aws/bedrock", FAIL),
        ("arn:aws:kms:us-east-1:123456789012:alias/aws/bedrock", FAIL),
        (Expr(("arn:aws:kms:", Unknown("AWS::Region"), ":alias/aws/bedrock")), FAIL),
        ("alias/agentcore", PASS),
        ("arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab", PASS),
        ("1234abcd-12ab-34cd-56ef-1234567890ab", PASS),
        (Ref("aws_kms_alias.agentcore", "arn"), PASS),  # an alias resource the files create: customer managed
        (Ref("module.keys.aws_kms_key.k", "arn"), PASS),
        (Ref("SomeCustomResource", "Arn"), UNKNOWN),
        (Unknown("parameter KeyArn has no default value"), UNKNOWN),
        ("not-a-key", UNKNOWN),
    ],
)
def test_judge_key(value, status):
    mem, ctx = _ctx()
    if value is not None:
        mem.properties["encryption_key_arn"] = value
    assert check_customer_managed_key(mem, ctx, {"paths": {"memory": "encryption_key_arn"}}).status == status
