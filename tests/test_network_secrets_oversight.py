"""Unit cases of the network, secret-text, secret-parameter and oversight helpers (AG302-AG304, AG401, AG404, AG501)."""

from __future__ import annotations

import random
import string

import pytest

from agentgov.scanner.analyzers.irreversible_actions import irreversible_words, parse_openapi, words
from agentgov.scanner.analyzers.vpc_endpoint_hardening import full_access_statements
from agentgov.scanner.model import Expr, Ref, Unknown
from agentgov.scanner.normalize import snake
from agentgov.scanner.scopes import service_name_tail
from agentgov.scanner.secret_detection import _secret_words, find_secrets_in_text, high_entropy_tokens

VERBS = ["delete", "cancel", "send", "drop", "pay", "remove", "refund", "publish"]


@pytest.mark.parametrize(
    "text, expected",
    [
        ("deleteOrder", ["delete"]),
        ("cancel_booking", ["cancel"]),
        ("Sends the invoice to the customer", ["send"]),
        ("CancelledOrders", ["cancel"]),
        ("dropTable", ["drop"]),
        ("getOrder", []),
        ("payment_status", []),  # a noun, not the verb
        ("sender", []),
        ("dropdown of senders", []),
        ("publishes a post", ["publish"]),
    ],
)
def test_irreversible_words(text, expected):
    assert irreversible_words(text, VERBS) == expected


def test_words_split_camel_and_snake():
    assert words("deleteOrderItems") == ("delete", "order", "items")
    assert words("HTTPDeleteRequest_v2") == ("http", "delete", "request", "v", "2")


def test_openapi_json_and_yaml():
    assert parse_openapi('{"paths": {}}') == {"paths": {}}
    assert parse_openapi("paths:\n  /x:\n    get: {}\n") == {"paths": {"/x": {"get": {}}}}
    assert parse_openapi("not: [valid") is None


@pytest.mark.parametrize(
    "text, detector",
    [
        ("use AKIAIOSFODNN7EXAMPLE to call S3", "AWS access key id"),
        ("db password: Sup3rS3cr3t!2024", "password assignment"),
        ("header X-Api-Key q8Zr3LkW9vPx2TnB7yHc4JmD6sFa1GeQ", "high-entropy string"),
        ("-----BEGIN RSA PRIVATE KEY-----", "private key"),
    ],
)
def test_secrets_in_text_found(text, detector):
    assert detector in [d for d, _ in find_secrets_in_text(text)]


@pytest.mark.parametrize(
    "text",
    [
        "arn:aws:iam::123456789012:role/service-role/AmazonBedrockExecutionRoleForAgents_ABCDEF123",
        "model anthropic.claude-3-5-sonnet-20240620-v1:0",
        "tenant 123e4567-e89b-12d3-a456-426614174000",
        "https://example.com/docs/3f786850e387550fdab836ed7e6dc881de23001b/index.html",
        "BedrockAossDemoLambdaLayerBucketE577035B",  # a CDK logical id
        "LogRetentionaae0aa3c5b4d4f87b02d85b201efdd8aFD4BFC8A",
        "API_SF_CRUD-tf_APIIntChildRes200",
        "source_code_hash: FnTw8KlqP3xZr2mB7vYc4JnD6sHa1GeQzz9",
        "password = var.db_password",
        "secret: random_password.db.result",
        "password: {password}",
        "password: required",
        "Resource: arn:aws:secretsmanager:us-east-1:1:secret:bedrock-agentcore-identity!default/oauth2/app*",
        "redis_password: os.environ/REDIS_PASSWORD",
        "getCustomerOrderHistoryByIdentifier",
    ],
)
def test_not_secrets_in_text(text):
    assert find_secrets_in_text(text) == []


def test_high_entropy_recall_on_random_tokens():
    rng = random.Random(7)
    alphabet = string.ascii_letters + string.digits
    tokens = ["".join(rng.choice(alphabet) for _ in range(40)) for _ in range(300)]
    found = sum(bool(high_entropy_tokens(f"key {t} end")) for t in tokens)
    assert found / len(tokens) >= 0.85


@pytest.mark.parametrize(
    "name, secret",
    [
        ("DatabasePassword", True),
        ("JiraAPIToken", True),
        ("OpenWeatherAPIKey", True),
        ("client_secret", True),
        ("secret_key", True),
        ("DatabasePasswordSecretArn", False),
        ("EnableSecretRotation", False),
        ("TokenTtlSeconds", False),
        ("ApiKeyParameterName", False),
        ("user_token_configurations", False),
        ("analysis_tokenizer", False),
        ("memory_client_token", False),  # an idempotency token
        ("Q05pMaxTokens", False),
        ("aws_access_key_id", False),
        ("connection_string", False),  # for Bedrock knowledge bases: an endpoint URL
    ],
)
def test_secret_parameter_names(name, secret):
    assert _secret_words(snake(name)) is secret


@pytest.mark.parametrize(
    "value, tail",
    [
        ("com.amazonaws.us-east-1.bedrock-runtime", "bedrock-runtime"),
        ("com.amazonaws.eu-west-1.ecr.api", "ecr.api"),
        (Expr(("com.amazonaws.", Ref("AWS::Region"), ".sts")), "sts"),
        (Expr(("com.amazonaws.", Unknown("var.region"), ".bedrock-agent-runtime")), "bedrock-agent-runtime"),
    ],
)
def test_endpoint_service_tail(value, tail):
    assert service_name_tail(value) == tail


def test_endpoint_service_unknown():
    assert isinstance(service_name_tail(Unknown("var.service")), Unknown)
    assert isinstance(service_name_tail(Expr(("com.amazonaws.us-east-1.", Unknown("each.value")))), Unknown)


@pytest.mark.parametrize(
    "doc, full",
    [
        ({"Statement": [{"Effect": "Allow", "Principal": "*", "Action": "*", "Resource": "*"}]}, [0]),
        ({"Statement": {"Effect": "Allow", "Principal": {"AWS": "*"}, "Action": ["*"], "Resource": "*"}}, [0]),
        (
            {
                "Statement": [
                    {
                        "Effect": "Allow",
                        "Principal": "*",
                        "Action": "*",
                        "Resource": "*",
                        "Condition": {"StringEquals": {"aws:PrincipalAccount": "1"}},
                    }
                ]
            },
            [],
        ),
        ({"Statement": [{"Effect": "Allow", "Principal": "*", "Action": "bedrock:InvokeModel", "Resource": "*"}]}, []),
        ({"Statement": [{"Effect": "Deny", "Principal": "*", "Action": "*", "Resource": "*"}]}, []),
    ],
)
def test_full_access_endpoint_policy(doc, full):
    assert full_access_statements(doc) == (full, None)


@pytest.mark.parametrize("name", ["pAllowUsersToChangePassword", "ParentSecretStack", "PasswordMaxAge"])
def test_parameters_about_secrets_are_not_secrets(name):
    assert _secret_words(snake(name)) is False
