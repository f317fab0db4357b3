"""The Terraform source: HCL parsing, evaluation, modules, policy documents, plan JSON."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from agentgov.cli.main import main
from agentgov.scanner.model import Choice, Expr, Location, Ref, Unknown
from agentgov.scanner.sources.terraform import (
    find_root_modules,
    is_plan_json,
    load_plan,
    load_terraform,
    module_dirs_called,
)
from agentgov.scanner.sources.terraform.evaluate import evaluate
from agentgov.scanner.sources.terraform.hcl import parse_bytes
from agentgov.scanner.sources.terraform.scope import Scope, Session
from agentgov.scanner.sources.terraform.values import EvalError, finalize

FIXTURES = Path(__file__).parent / "fixtures" / "terraform"


def load(root: Path, display_root: Path | None = None):
    return load_terraform(root, sorted(root.glob("*.tf")), display_root or root)


def by_id(resources):
    """Managed resources by address (input variables, emitted as type ``variable``, left out)."""
    return {r.local_id: r for r in resources if r.type != "variable"}


def write(d: Path, files: dict[str, str | bytes]) -> Path:
    for name, content in files.items():
        p = d / name
        p.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            p.write_bytes(content)
        else:
            p.write_text(content)
    return d


def ev(text: str, root: Path | None = None, **bindings):
    """Evaluate one expression (as ``x = <text>``) with no module around it."""
    f = parse_bytes(f"x = {text}\n".encode(), Path("t.tf"), "t.tf")
    assert f.error is None, f.error
    root = root or Path("/nonexistent-root")
    session = Session(root_dir=root, allowed_root=root, display_root=root)
    try:
        return finalize(evaluate(f.body.attributes["x"].expr, Scope(None, session, bindings)))
    except EvalError as exc:
        return ("error", str(exc))


# --- expressions ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, expected",
    [
        (r'"a\nb\"c\u0041 $${x} %%{y}"', 'a\nb"cA ${x} %{y}'),
        ("<<-EOT\n    hello\n      world\n    ${1+1} x\n  EOT", "hello\n  world\n2 x\n"),
        ("<<EOT\n  keep\nEOT", "  keep\n"),
        ('"%{ for i in [1,2,3] }${i},%{ endfor }"', "1,2,3,"),
        ('"%{ for k, v in {a=1,b=2} ~}\n${k}=${v}\n%{~ endfor }"', "a=1b=2"),
        ('"%{if false}yes%{else}no%{endif}"', "no"),
        ('"x ${~ "  y  " ~} z"', "x  y  z"),
        ('"${1}"', 1),  # a lone interpolation keeps the value's type
        ('[for k, v in {b=2, a=1}: "${k}${v}"]', ["a1", "b2"]),
        ('{for s in ["a","bb","a"]: s => length(s)...}', {"a": [1, 1], "bb": [2]}),
        ("[for x in range(5): x if x % 2 == 0]", [0, 2, 4]),
        ("false ? 1 : false ? 2 : false ? 3 : 4", 4),  # right-associative (tree-sitter-hcl parses it left)
        ("true ? 1 : false ? 2 : 3", 1),
        ("(true ? false : true) ? 1 : 2", 2),
        ("1 + 2 * 3", 7),
        ("(1 + 2) * 3", 9),
        ("10 / 4", 2.5),
        ("!true || false && true", False),
        ('"1" == 1', False),
        ("[1, {a = 2}] == [1, {a = 2}]", True),
        ("{a={b=[10,20]}}.a.b[1]", 20),
        ("[1,2].0", 1),
        ("[{a=1},{a=2}][*].a", [1, 2]),
        ("null[*]", []),
        ("[{a=[1,2]},{a=[3,4]}][*].a[0]", [1, 3]),
        ("[{a=[1,2]},{a=[3,4]}].*.a[0]", [1, 2]),  # an attribute-only splat stops at the index
        ('format("%s-%03d-%.2f-%q-%v", "a", 7, 3.14159, "q", true)', 'a-007-3.14-"q"-true'),
        ('replace("hello world", "/o(\\\\w)/", "0$1")', "hello w0rld"),
        ('regex("^(\\\\d+)-(\\\\w+)$", "12-ab")', ["12", "ab"]),
        ("merge({a=1,b=2},{b=3},null)", {"a": 1, "b": 3}),
        ("flatten([[1,[2]],[],3])", [1, 2, 3]),
        ('distinct([1,1,"1",true])', [1, "1", True]),
        ('toset(["b","a","b"])', ["a", "b"]),
        ('setproduct(["a","b"],[1,2])', [["a", 1], ["a", 2], ["b", 1], ["b", 2]]),
        ('lookup({a=1},"b","d")', "d"),
        ('coalesce(null, "", "x")', "x"),
        ("one([])", None),
        ('cidrsubnet("10.0.0.0/16", 8, 2)', "10.0.2.0/24"),
        ('cidrsubnets("10.0.0.0/16", 8, 4)', ["10.0.0.0/24", "10.0.16.0/20"]),
        ("jsonencode({b=1, a=[1,2]})", {"b": 1, "a": [1, 2]}),  # the structure, not a string
        ('jsondecode("{\\"a\\": [1, {\\"b\\": null}]}")', {"a": [1, {"b": None}]}),
        ("md5(jsonencode({a=1}))", "bb6cb5c68df4652941caf652a366f2d8"),  # md5 of Terraform's text {"a":1}
        ('yamldecode("a: [1, 2]")', {"a": [1, 2]}),
        ('try({a=1}.b, "fallback")', "fallback"),
        ("can({a=1}.b)", False),
        ('"a${null}"', ("error", "null value in a string template")),
        ('element(["a","b"], 3)', "b"),
        ("sum([1, 2.5])", 3.5),
    ],
)
def test_expression(text, expected):
    assert ev(text) == expected


def test_jsondecode_of_bad_json_is_an_evaluation_error():
    assert ev('jsondecode("{")') == (
        "error",
        "jsondecode(): invalid JSON (Expecting property name enclosed in double quotes at line 1)",
    )
    # a ValueError that is not a JSONDecodeError: an integer beyond Python's int-string conversion limit
    assert ev(f'jsondecode("{"1" * 5000}")') == ("error", "jsondecode(): number too long to convert (more than 4300 digits)")


def test_unknown_and_refs_propagate_through_functions_and_operators():
    u = Unknown("variable var.x has no default and no tfvars value", origin="variable:x")
    role = Ref("aws_iam_role.r", "arn")
    assert ev("upper(v)", v=u) is u
    assert ev("v + 1", v=u) is u
    assert ev("[v, 1]", v=u) == [u, 1]
    assert ev('"arn:${v}/x"', v=role) == Expr(("arn:", role, "/x"))
    assert ev('join(":", ["a", v])', v=role) == Expr(("a:", role))
    assert ev('format("%s/*", v)', v=role) == Expr((role, "/*"))
    assert ev("upper(v)", v=role) == Unknown("upper() depends on aws_iam_role.r.arn, known only after apply")
    assert ev('coalesce(v, "d")', v=u) is u
    assert ev("coalesce(null, v)", v=role) == role
    assert ev("try(v.a, 1)", v=u) is u  # unknown is not an error: try() cannot pick
    assert ev("length([v, v])", v=u) == 2
    assert ev("concat([v], [1])", v=role) == [role, 1]
    assert ev("v[0]", v=u) is u
    assert ev("false && v", v=u) is False
    assert ev("v == 1", v=u) is u
    assert ev("[for x in v: x]", v=u) is u


def test_a_collection_holding_unknowns_is_not_null():
    u = Unknown("variable var.x has no default and no tfvars value")
    role = Ref("aws_iam_role.r", "arn")
    assert ev("{a = v} != null", v=u) is True
    assert ev("[v] == null", v=role) is False
    assert ev("null == {a = v}", v=role) is False
    assert ev("v == null", v=u) is u  # the value itself may be null


def test_unknown_condition_gives_a_choice_of_both_branches():
    u = Unknown("variable var.admin has no default and no tfvars value")
    assert ev('v ? ["*"] : ["s3:GetObject"]', v=u) == Choice("v", (["*"], ["s3:GetObject"]))
    assert ev('v ? "same" : "same"', v=u) == "same"
    assert ev('(v ? {a = "x"} : {a = "y"}).a', v=u) == Choice("v", ("x", "y"))
    assert ev('upper(v ? "a" : "b")', v=u) == Unknown("upper() depends on condition v")


def test_work_is_bounded():
    assert ev("range(1000000000)") == Unknown("range() of 1000000000 elements exceeds the scanner's limit of 10000")
    assert ev("[for i in range(100000): i]") == Unknown("range() of 100000 elements exceeds the scanner's limit of 10000")
    nested = "(" * 300 + "1" + ")" * 300
    assert ev(nested) == Unknown("expression nested too deeply")
    # a huge string cannot be built by joining big strings
    big = 'join("", [for i in range(2000): format("%0999d", i)])'
    assert ev(big) == ("error", "string longer than 1000000 characters")


def test_evaluation_budget_stops_a_hostile_root(tmp_path, monkeypatch):
    from agentgov.scanner.sources.terraform import scope

    monkeypatch.setattr(scope, "DEFAULT_BUDGET", 20_000)
    root = write(
        tmp_path,
        {
            "main.tf": """
resource "aws_s3_bucket" "first" { bucket = "ok" }
resource "aws_s3_bucket" "b" {
  bucket = length([for i in range(5000) : [for j in range(5000) : j]])
}
"""
        },
    )
    resources, errors = load(root)
    assert [r.local_id for r in resources] == ["aws_s3_bucket.first"]
    assert [(e.file, e.reason) for e in errors] == [
        (
            ".",
            "evaluation stopped after 20000 steps (the scanner's limit"
            " for one root module); 1 resources were evaluated, the rest"
            " are not reported",
        )
    ]


def test_file_functions_stay_inside_the_scanned_tree(tmp_path):
    root = write(
        tmp_path / "repo",
        {
            "policy.json": '{"Statement": []}',
            "t.tpl": "Hello ${name}!\n%{ for a in items ~}\n- ${a}\n%{ endfor ~}\n",
        },
    )
    (tmp_path / "secret.txt").write_text("outside")
    (root / "link.txt").symlink_to(tmp_path / "secret.txt")
    assert ev('file("policy.json")', root=root) == '{"Statement": []}'
    assert ev('jsondecode(file("policy.json"))', root=root) == {"Statement": []}
    assert ev('templatefile("t.tpl", {name = "you", items = ["a", "b"]})', root=root) == "Hello you!\n- a\n- b\n"
    assert ev('fileexists("nope")', root=root) is False
    assert ev('file("../secret.txt")', root=root) == Unknown("file(../secret.txt): the file is outside the scanned directory")
    assert ev('file("link.txt")', root=root) == Unknown("file(link.txt): the file is outside the scanned directory")
    assert ev('file("/etc/passwd")', root=root) == Unknown("file(/etc/passwd): the file is outside the scanned directory")
    assert ev('try(file("missing.json"), "none")', root=root) == "none"


# --- a root module with local modules, tfvars, provider default_tags ------------------------------


@pytest.fixture(scope="module")
def stack():
    resources, errors = load(FIXTURES / "agent_stack", FIXTURES)
    assert [(e.file, e.reason) for e in errors] == [
        (
            "agent_stack/main.tf",
            "remote module terraform-aws-modules/lambda/aws (module.remote) is not downloaded (run terraform init);"
            " the resources it defines are not assessed",
        )
    ]
    return by_id(resources)


def test_addresses_of_every_instance(stack):
    assert sorted(stack) == [
        'aws_bedrockagent_agent.this["billing"]',
        'aws_bedrockagent_agent.this["orders"]',
        "aws_iam_role.agent",
        "aws_iam_role_policy.invoke",
        "aws_lambda_function.uses_outputs",
        "module.fn[0].aws_lambda_function.this",
        "module.fn[1].aws_lambda_function.this",
    ]
    r = stack['aws_bedrockagent_agent.this["orders"]']
    assert (r.source, r.type, r.display_name, r.stack) == (
        "terraform",
        "aws_bedrockagent_agent",
        'aws_bedrockagent_agent.this["orders"]',
        "agent_stack",
    )


def test_variable_blocks_are_emitted_once_each(stack):
    """The root module's input variables are resources of type ``variable`` (kind template_parameter)."""
    resources, _ = load(FIXTURES / "agent_stack", FIXTURES)
    emitted = {r.local_id: r for r in resources if r.type == "variable"}
    variables = sorted(emitted)
    assert variables == ["var.agents", "var.env", "var.external_role_arn", "var.model_id"]
    v = emitted["var.external_role_arn"]
    assert v.properties["name"] == "external_role_arn" and "sensitive" not in v.properties


def test_variables_tfvars_objects_and_for_each(stack):
    orders = stack['aws_bedrockagent_agent.this["orders"]'].properties
    billing = stack['aws_bedrockagent_agent.this["billing"]'].properties
    assert orders["agent_name"] == "prod-agents-orders"  # env from terraform.tfvars
    assert orders["idle_session_ttl_in_seconds"] == 600  # optional(number, 600)
    assert billing["idle_session_ttl_in_seconds"] == 900
    assert orders["agent_resource_role_arn"] == Ref("aws_iam_role.agent", "arn")
    assert "provider" not in orders and "for_each" not in orders
    # *.auto.tfvars wins over terraform.tfvars
    policy = stack["aws_iam_role_policy.invoke"].properties["policy"]
    assert policy == {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Action": ["bedrock:InvokeModel", "bedrock:InvokeModel"],
                "Resource": "arn:aws:bedrock:*::foundation-model/from-auto-tfvars",
            }
        ],
    }
    assert stack["aws_iam_role_policy.invoke"].properties["role"] == Ref("aws_iam_role.agent", "id")


def test_policy_document_data_source(stack):
    role = stack["aws_iam_role.agent"].properties
    assert role["assume_role_policy"] == {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Sid": "Trust",
                "Effect": "Allow",
                "Action": ["sts:AssumeRole"],
                "Principal": {"Service": ["bedrock.amazonaws.com"]},
                "Condition": {
                    "StringEquals": {
                        "aws:SourceAccount": [
                            Unknown(
                                "data source data.aws_caller_identity.current is read at apply time",
                                origin="data:aws_caller_identity",
                            )
                        ]
                    }
                },
            }
        ],
    }


def test_tags_all_merges_provider_default_tags(stack):
    assert stack["aws_iam_role.agent"].properties["tags_all"] == {
        "Owner": "ai-platform",
        "Env": "prod",
        "Name": "prod-agents-role",
    }
    # provider = aws.us uses that alias's default_tags
    assert stack['aws_bedrockagent_agent.this["orders"]'].properties["tags_all"] == {"Owner": "us-team"}
    # modules inherit the default provider
    assert stack["module.fn[0].aws_lambda_function.this"].properties["tags_all"] == {"Owner": "ai-platform", "Env": "prod"}


def test_local_module_with_count_dynamic_blocks_and_outputs(stack):
    fn0 = stack["module.fn[0].aws_lambda_function.this"]
    fn1 = stack["module.fn[1].aws_lambda_function.this"]
    assert fn0.properties["function_name"] == "fn-0"
    assert fn0.properties["role"] == Ref("aws_iam_role.agent", "arn")  # input evaluated in the caller
    assert fn0.properties["runtime"] == "python3.12"
    assert fn0.properties["environment"] == [{"variables": {"DB_PASSWORD": "hunter2"}}]
    assert fn0.properties["vpc_config"] == [{"subnet_ids": ["subnet-1"]}]
    assert fn1.properties["vpc_config"] == []
    user = stack["aws_lambda_function.uses_outputs"].properties
    assert user["function_name"] == Ref("module.fn[1].aws_lambda_function.this", "function_name")
    assert user["role"] == Unknown("remote module terraform-aws-modules/lambda/aws (module.remote) is not downloaded")
    assert user["environment"] == [{"variables": {"POLICY": "Read"}}]


def test_locations(stack):
    fn0 = stack["module.fn[0].aws_lambda_function.this"]
    assert fn0.location == Location("agent_stack/modules/agent/main.tf", 8, 1, 23)
    assert fn0.locations["environment.0.variables.DB_PASSWORD"] == Location("agent_stack/modules/agent/main.tf", 14, 7)
    assert fn0.locations["environment.0"] == Location("agent_stack/modules/agent/main.tf", 12, 3, 16)
    assert fn0.locations["vpc_config.0"] == Location("agent_stack/modules/agent/main.tf", 19, 5, 21)
    assert fn0.locations["role"] == Location("agent_stack/modules/agent/main.tf", 10, 3)
    invoke = stack["aws_iam_role_policy.invoke"]
    assert invoke.locations["policy.Statement.0.Action"] == Location("agent_stack/main.tf", 41, 7)
    role = stack["aws_iam_role.agent"]
    assert role.locations["tags.Name"] == Location("agent_stack/main.tf", 30, 5)
    assert role.locations["tags_all"] == Location("agent_stack/main.tf", 29, 3)


def test_suppression_comments(stack):
    assert stack["aws_iam_role.agent"].suppressions == [
        {"policy": "AG101", "reason": "reviewed by security", "line": 25, "file": "agent_stack/main.tf"}
    ]
    assert stack["module.fn[1].aws_lambda_function.this"].suppressions == [
        {"policy": "AG402", "reason": "secrets are test values", "line": 7, "file": "agent_stack/modules/agent/main.tf"},
        {"policy": "AG301", "reason": "secrets are test values", "line": 7, "file": "agent_stack/modules/agent/main.tf"},
    ]
    assert stack["aws_iam_role_policy.invoke"].suppressions == []


def test_module_dirs_called_and_roots():
    root = FIXTURES / "agent_stack"
    called = module_dirs_called(root, sorted(root.glob("*.tf")))
    assert called == {(root / "modules" / "agent").resolve(), (root / "modules" / "policy").resolve()}
    dirs = {d: sorted(d.glob("*.tf")) for d in (root, root / "modules" / "agent", root / "modules" / "policy")}
    assert find_root_modules(dirs) == [root]


def test_providers_passed_to_modules_choose_default_tags(tmp_path):
    root = write(
        tmp_path,
        {
            "main.tf": """
provider "aws" {
  default_tags { tags = { Region = "eu" } }
}
provider "aws" {
  alias = "us"
  default_tags { tags = { Region = "us" } }
}
provider "awscc" {}
module "us" {
  source    = "./m"
  providers = { aws = aws.us }
}
module "eu" {
  source = "./m"
}
resource "awscc_bedrock_agent" "cc" { agent_name = "x" }
""",
            "m/main.tf": 'resource "aws_sqs_queue" "q" {\n  tags = { Name = "q" }\n}\n',
        },
    )
    got = by_id(load(root, tmp_path)[0])
    assert got["module.us.aws_sqs_queue.q"].properties["tags_all"] == {"Region": "us", "Name": "q"}
    assert got["module.eu.aws_sqs_queue.q"].properties["tags_all"] == {"Region": "eu", "Name": "q"}
    assert "tags_all" not in got["awscc_bedrock_agent.cc"].properties


def test_no_tags_all_without_default_tags(tmp_path):
    root = write(tmp_path, {"main.tf": 'provider "aws" {}\nresource "aws_sqs_queue" "q" {\n  tags = { A = "b" }\n}\n'})
    assert load(root)[0][0].properties == {"tags": {"A": "b"}}


def test_suppression_comment_forms(tmp_path):
    root = write(
        tmp_path,
        {
            "main.tf": """
# a description of the bucket
// agentgov:ignore AG701, AG702
# more words
resource "aws_s3_bucket" "a" {
  bucket = "a" # agentgov:ignore AG703 reason=inline
}

# agentgov:ignore AG704 reason="not for b"

resource "aws_s3_bucket" "b" {}
"""
        },
    )
    got = by_id(load(root)[0])
    assert got["aws_s3_bucket.a"].suppressions == [
        {"policy": "AG701", "reason": None, "line": 3, "file": "main.tf"},
        {"policy": "AG702", "reason": None, "line": 3, "file": "main.tf"},
        {"policy": "AG703", "reason": "inline", "line": 6, "file": "main.tf"},
    ]
    assert got["aws_s3_bucket.b"].suppressions == []  # a blank line separates the comment


# --- policy documents ----------------------------------------------------------------------------


def test_policy_document_merging_follows_the_provider(tmp_path):
    root = write(
        tmp_path,
        {
            "main.tf": (FIXTURES / "agent_stack/modules/policy/main.tf").read_text()
            + """
resource "aws_iam_policy" "p" {
  policy = data.aws_iam_policy_document.merged.minified_json
}
data "aws_iam_policy_document" "dyn" {
  dynamic "statement" {
    for_each = { read = "s3:GetObject", write = "s3:PutObject" }
    content {
      sid       = statement.key
      actions   = [statement.value]
      resources = ["*"]
    }
  }
  statement {
    effect = "Deny"
    not_actions = ["iam:*"]
    not_resources = ["arn:aws:iam::*:role/x"]
    principals {
      type        = "*"
      identifiers = ["*"]
    }
  }
  statement {
    principals {
      type        = "AWS"
      identifiers = ["arn:aws:iam::111122223333:root"]
    }
    principals {
      type        = "AWS"
      identifiers = ["arn:aws:iam::444455556666:root"]
    }
    condition {
      test     = "StringLike"
      variable = "aws:PrincipalTag/team"
      values   = ["a"]
    }
    condition {
      test     = "StringLike"
      variable = "aws:PrincipalTag/team"
      values   = ["b"]
    }
  }
}
resource "aws_iam_policy" "dyn" {
  policy = data.aws_iam_policy_document.dyn.json
}
"""
        },
    )
    resources, errors = load(root)
    assert errors == []
    got = by_id(resources)
    assert got["aws_iam_policy.p"].properties["policy"] == {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Sid": "Read",
                "Effect": "Allow",
                "Action": ["s3:GetObject", "s3:ListBucket"],
                "Resource": ["arn:aws:s3:::bucket/*"],
            },
            {"Sid": "Write", "Effect": "Deny", "Action": "s3:PutObject", "Resource": "*"},
            {"Effect": "Allow", "Action": ["kms:Decrypt"], "Resource": ["*"]},
        ],
    }
    assert got["aws_iam_policy.dyn"].properties["policy"]["Statement"] == [
        {"Sid": "read", "Effect": "Allow", "Action": ["s3:GetObject"], "Resource": ["*"]},
        {"Sid": "write", "Effect": "Allow", "Action": ["s3:PutObject"], "Resource": ["*"]},
        {"Effect": "Deny", "NotAction": ["iam:*"], "NotResource": ["arn:aws:iam::*:role/x"], "Principal": "*"},
        {
            "Effect": "Allow",
            "Principal": {"AWS": ["arn:aws:iam::111122223333:root", "arn:aws:iam::444455556666:root"]},
            "Condition": {"StringLike": {"aws:PrincipalTag/team": ["a", "b"]}},
        },
    ]


def test_heredoc_policy_stays_a_string(tmp_path):
    root = write(tmp_path, {"main.tf": 'resource "aws_iam_policy" "p" {\n  policy = <<EOF\n{"Version": "2012-10-17"}\nEOF\n}\n'})
    resources, _ = load(root)
    assert resources[0].properties["policy"] == '{"Version": "2012-10-17"}\n'


# --- variables, locals, count, dynamic blocks -----------------------------------------------------


def test_tfvars_precedence_and_unknown_variables(tmp_path):
    root = write(
        tmp_path,
        {
            "main.tf": """
variable "a" { default = "default" }
variable "b" { default = "default" }
variable "c" { default = "default" }
variable "secret" {}
resource "aws_lambda_function" "f" {
  function_name = "${var.a}/${var.b}/${var.c}"
  environment {
    variables = { DB_PASSWORD = var.secret }
  }
}
""",
            "terraform.tfvars": 'a = "tfvars"\nb = "tfvars"\nc = "tfvars"\n',
            "b.auto.tfvars": 'b = "auto-b"\nc = "auto-b"\n',
            "c.auto.tfvars": 'c = "auto-c"\n',
        },
    )
    resources, errors = load(root)
    assert errors == []
    props = resources[0].properties
    assert props["function_name"] == "tfvars/auto-b/auto-c"
    assert props["environment"][0]["variables"]["DB_PASSWORD"] == Unknown(
        "variable var.secret has no default and no tfvars value", origin="variable:secret"
    )


def test_non_auto_tfvars_used_only_when_alone(tmp_path):
    main = 'variable "v" {}\nresource "aws_s3_bucket" "b" {\n  bucket = var.v\n}\n'
    one = write(tmp_path / "one", {"main.tf": main, "prod.tfvars": 'v = "from-prod"\n'})
    assert load(one)[0][0].properties["bucket"] == "from-prod"
    two = write(tmp_path / "two", {"main.tf": main, "prod.tfvars": 'v = "p"\n', "dev.tfvars": 'v = "d"\n'})
    assert load(two)[0][0].properties["bucket"] == Unknown(
        "variable var.v has no default and no tfvars value (the .tfvars files dev.tfvars, prod.tfvars were not"
        " loaded: Terraform reads them only with -var-file, and more than one exists)",
        origin="variable:v",
    )


def test_locals_in_any_order_and_cycles(tmp_path):
    root = write(
        tmp_path,
        {
            "main.tf": """
locals {
  c = "${local.b}-c"
  b = "${local.a}-b"
  a = "a"
  x = local.y
  y = local.x
}
resource "aws_s3_bucket" "b" {
  bucket = local.c
  tags   = { X = local.x }
}
"""
        },
    )
    resources, _ = load(root)
    assert resources[0].properties["bucket"] == "a-b-c"
    assert resources[0].properties["tags"] == {"X": Unknown("local.x refers to itself (a cycle)")}


def test_count_expansion_and_references(tmp_path):
    root = write(
        tmp_path,
        {
            "main.tf": """
variable "n" {}
resource "aws_iam_role" "r" {
  count = 2
  name  = "r${count.index}"
}
resource "aws_iam_role" "none" {
  count = 0
  name  = "never"
}
resource "aws_iam_role" "maybe" {
  count = var.n
  name  = "m${count.index}"
}
resource "aws_lambda_function" "f" {
  role       = aws_iam_role.r[1].arn
  all        = aws_iam_role.r[*].name
  first      = aws_iam_role.r[0]
  maybe      = aws_iam_role.maybe[0].arn
  one        = one(aws_iam_role.none[*].arn)
}
"""
        },
    )
    resources, errors = load(root)
    assert errors == []
    got = by_id(resources)
    assert sorted(got) == ["aws_iam_role.maybe", "aws_iam_role.r[0]", "aws_iam_role.r[1]", "aws_lambda_function.f"]
    reason = "count of aws_iam_role.maybe is unknown: variable var.n has no default and no tfvars value"
    assert got["aws_iam_role.maybe"].properties["name"] == Expr(("m", Unknown(reason)))
    f = got["aws_lambda_function.f"].properties
    assert f == {
        "role": Ref("aws_iam_role.r[1]", "arn"),
        "all": [Ref("aws_iam_role.r[0]", "name"), Ref("aws_iam_role.r[1]", "name")],
        "first": Ref("aws_iam_role.r[0]"),
        "maybe": Ref("aws_iam_role.maybe", "arn"),
        "one": None,
    }


def test_dynamic_block_over_unknown_collection(tmp_path):
    root = write(
        tmp_path,
        {
            "main.tf": """
variable "rules" {}
resource "aws_security_group" "g" {
  dynamic "ingress" {
    for_each = var.rules
    content {
      from_port = ingress.value
    }
  }
  dynamic "egress" {
    for_each = [443, 80]
    iterator = port
    content {
      to_port = port.value
      idx     = port.key
    }
  }
}
"""
        },
    )
    resources, _ = load(root)
    props = resources[0].properties
    assert props["egress"] == [{"to_port": 443, "idx": 0}, {"to_port": 80, "idx": 1}]
    assert props["ingress"] == Unknown(
        "dynamic block over an unknown collection (ingress: variable var.rules has no default and no tfvars value)"
    )


def test_data_sources_other_than_policy_documents_are_unknown(tmp_path):
    root = write(
        tmp_path,
        {
            "main.tf": """
data "aws_iam_role" "existing" { name = "x" }
resource "aws_lambda_function" "f" {
  role = data.aws_iam_role.existing.arn
  arn  = "arn:aws:iam::${data.aws_iam_role.existing.id}:x"
}
"""
        },
    )
    props = load(root)[0][0].properties
    reason = "data source data.aws_iam_role.existing is read at apply time"
    assert props["role"] == Unknown(reason, origin="data:aws_iam_role")
    assert props["arn"] == Expr(("arn:aws:iam::", Unknown(reason, origin="data:aws_iam_role"), ":x"))


# --- modules: nesting, cycles, remote --------------------------------------------------------------


def test_module_for_each_and_nested_outputs(tmp_path):
    root = write(
        tmp_path,
        {
            "main.tf": """
module "team" {
  for_each = toset(["a", "b"])
  source   = "./team"
  name     = each.key
}
resource "aws_s3_bucket" "b" {
  bucket = module.team["b"].role_name
  arns   = [for k, m in module.team : m.role_arn]
}
""",
            "team/main.tf": """
variable "name" {}
module "role" {
  source = "../role"
  name   = "team-${var.name}"
}
output "role_name" { value = module.role.name }
output "role_arn" { value = module.role.arn }
""",
            "role/main.tf": """
variable "name" {}
resource "aws_iam_role" "this" { name = var.name }
output "name" { value = aws_iam_role.this.name }
output "arn" { value = aws_iam_role.this.arn }
""",
        },
    )
    resources, errors = load(root, tmp_path)
    assert errors == []
    got = by_id(resources)
    assert got['module.team["a"].module.role.aws_iam_role.this'].properties == {"name": "team-a"}
    assert got['module.team["a"].module.role.aws_iam_role.this'].location.file == "role/main.tf"
    assert got["aws_s3_bucket.b"].properties == {
        "bucket": Ref('module.team["b"].module.role.aws_iam_role.this', "name"),
        "arns": [
            Ref('module.team["a"].module.role.aws_iam_role.this', "arn"),
            Ref('module.team["b"].module.role.aws_iam_role.this', "arn"),
        ],
    }
    dirs = {d: sorted(d.glob("*.tf")) for d in (tmp_path, tmp_path / "team", tmp_path / "role")}
    assert find_root_modules(dirs) == [tmp_path]


def test_module_cycle_and_depth_are_errors_not_hangs(tmp_path):
    cyc = write(
        tmp_path / "cyc",
        {
            "a/main.tf": 'module "b" {\n  source = "../b"\n}\nresource "aws_s3_bucket" "a" {}\n',
            "b/main.tf": 'module "a" {\n  source = "../a"\n}\nresource "aws_s3_bucket" "b" {}\n',
        },
    )
    resources, errors = load(cyc / "a", cyc)
    assert sorted(r.local_id for r in resources) == ["aws_s3_bucket.a", "module.b.aws_s3_bucket.b"]
    assert [(e.file, e.line, e.reason) for e in errors] == [
        ("b/main.tf", 1, "module module.b.module.a calls itself (a -> b -> a)")
    ]
    dirs = {cyc / "a": [cyc / "a/main.tf"], cyc / "b": [cyc / "b/main.tf"]}
    assert find_root_modules(dirs) == [cyc / "a"]  # only callers of each other: still scanned once

    deep = tmp_path / "deep"
    for i in range(13):
        write(deep, {f"m{i}/main.tf": f'module "next" {{\n  source = "../m{i + 1}"\n}}\nresource "aws_s3_bucket" "b" {{}}\n'})
    write(deep, {"m13/main.tf": 'resource "aws_s3_bucket" "b" {}\n'})
    resources, errors = load(deep / "m0", deep)
    assert len(resources) == 11
    assert [e.reason for e in errors] == ["modules nested more than 10 deep at " + ".".join(["module.next"] * 11)]


def test_module_source_outside_scan_root_is_not_read(tmp_path):
    write(tmp_path / "outside", {"main.tf": 'resource "aws_s3_bucket" "x" {}\noutput "o" { value = "x" }\n'})
    root = write(
        tmp_path / "scan" / "root",
        {
            "main.tf": """
module "out" {
  source = "../../outside"
}
resource "aws_s3_bucket" "b" {
  bucket = module.out.o
}
"""
        },
    )
    resources, errors = load(root, tmp_path / "scan")
    assert [r.local_id for r in resources] == ["aws_s3_bucket.b"]
    assert resources[0].properties["bucket"] == Unknown(
        "module module.out: source ../../outside is outside the scanned directory"
    )
    # the module's resources are not silently dropped: an error names the call and the reason (AG000)
    assert [(e.file, e.line, e.reason) for e in errors] == [
        (
            "root/main.tf",
            2,
            "module module.out: source ../../outside is outside the scanned directory; the resources it defines are not assessed",
        )
    ]


def test_a_module_call_that_is_not_read_is_an_ag000_naming_the_call(tmp_path):
    write(tmp_path / "outside", {"main.tf": 'resource "aws_iam_role" "x" {}\n'})
    write(
        tmp_path / "scan",
        {
            "main.tf": 'module "out" {\n  source = "../outside"\n}\n'
            'module "remote" {\n  source = "terraform-aws-modules/iam/aws"\n}\n'
            'module "dyn" {\n  source = var.where\n}\nvariable "where" {}\n'
        },
    )
    out = tmp_path / "r.json"
    assert main(["scan", str(tmp_path / "scan"), "--format", "json", "--output", str(out)]) == 3
    errors = [f for f in json.loads(out.read_text())["findings"] if f["policy_id"] == "AG000"]
    messages = sorted(f["message"] for f in errors)
    assert len(messages) == 3, messages
    assert any("module.out: source ../outside is outside the scanned directory" in m for m in messages)
    assert any("remote module terraform-aws-modules/iam/aws (module.remote) is not downloaded" in m for m in messages)
    assert any("module module.dyn has no literal source" in m for m in messages)


def test_remote_module_downloaded_by_terraform_init_is_scanned(tmp_path):
    root = write(
        tmp_path,
        {
            "main.tf": """
module "lambda" {
  source  = "terraform-aws-modules/lambda/aws"
  version = "7.0.0"
  name    = "fn"
}
module "missing" {
  source = "git::https://example.com/x.git"
}
resource "aws_s3_bucket" "b" {
  bucket = module.lambda.role
  other  = module.missing.x
}
""",
            ".terraform/modules/modules.json": json.dumps(
                {
                    "Modules": [
                        {"Key": "", "Source": "", "Dir": "."},
                        {
                            "Key": "lambda",
                            "Source": "registry.terraform.io/terraform-aws-modules/lambda/aws",
                            "Version": "7.0.0",
                            "Dir": ".terraform/modules/lambda",
                        },
                    ]
                }
            ),
            ".terraform/modules/lambda/main.tf": """
variable "name" {}
resource "aws_iam_role" "this" { name = var.name }
output "role" { value = aws_iam_role.this.arn }
""",
        },
    )
    resources, errors = load(root)
    assert [(e.file, e.line, e.reason) for e in errors] == [
        (
            "main.tf",
            7,
            "remote module git::https://example.com/x.git (module.missing) is not downloaded (run terraform init);"
            " the resources it defines are not assessed",
        )
    ]
    got = by_id(resources)
    assert got["module.lambda.aws_iam_role.this"].properties == {"name": "fn"}
    assert got["module.lambda.aws_iam_role.this"].location.file == ".terraform/modules/lambda/main.tf"
    assert got["aws_s3_bucket.b"].properties == {
        "bucket": Ref("module.lambda.aws_iam_role.this", "arn"),
        "other": Unknown("remote module git::https://example.com/x.git (module.missing) is not downloaded"),
    }


def test_scan_root_widens_where_modules_may_be_read(tmp_path):
    write(tmp_path, {"modules/m/main.tf": 'resource "aws_s3_bucket" "m" {}\n'})
    root = write(tmp_path / "envs" / "dev", {"main.tf": 'module "m" {\n  source = "../../modules/m"\n}\n'})
    files = sorted(root.glob("*.tf"))
    assert load_terraform(root, files, root)[0] == []  # outside the display root: not read
    resources, errors = load_terraform(root, files, root, scan_root=tmp_path)
    assert (errors, [r.local_id for r in resources]) == ([], ["module.m.aws_s3_bucket.m"])
    assert resources[0].location.file == "../../modules/m/main.tf"


# --- bad input -------------------------------------------------------------------------------------


def test_bad_files_are_errors_and_the_rest_of_the_module_is_used(tmp_path):
    root = write(
        tmp_path,
        {
            "good.tf": 'resource "aws_s3_bucket" "ok" {\n  bucket = local.name\n}\n',
            "locals.tf": 'locals {\n  name = "fine"\n}\n',
            "broken.tf": 'resource "aws_s3_bucket" "b" {\n  bucket = \n}\n',
            "latin1.tf": b'# caf\xe9\nresource "aws_s3_bucket" "c" {}\n',
            "binary.tf": bytes(range(256)),
        },
    )
    resources, errors = load(root)
    assert [(r.local_id, r.properties) for r in resources] == [("aws_s3_bucket.ok", {"bucket": "fine"})]
    assert sorted((e.file, e.line, e.column, e.reason) for e in errors) == [
        ("binary.tf", 1, None, "binary file (contains NUL bytes)"),
        ("broken.tf", 2, 3, "syntax error: unexpected 'bucket ='"),
        ("latin1.tf", 1, 6, "not valid UTF-8 (byte 0xe9)"),
    ]


def test_special_files_are_never_opened_for_reading(tmp_path):
    root = write(tmp_path, {"main.tf": 'resource "aws_s3_bucket" "b" {\n  bucket = file("pipe.json")\n}\n'})
    os.mkfifo(root / "pipe.tf")
    os.mkfifo(root / "pipe.json")
    resources, errors = load(root)  # would block forever if a FIFO were read
    assert [(e.file, e.reason) for e in errors] == [("pipe.tf", "cannot read: pipe.tf is not a regular file")]
    assert resources[0].properties["bucket"] == Unknown(
        "cannot evaluate bucket: file: cannot read 'pipe.json' (pipe.json is not a regular file)"
    )


def test_tf_files_linked_from_outside_the_scan_are_not_read(tmp_path):
    write(tmp_path, {"outside/secret.tf": 'resource "aws_s3_bucket" "s" {}\n'})
    root = write(tmp_path / "scan", {"main.tf": 'module "m" {\n  source = "./m"\n}\n', "m/ok.tf": ""})
    (root / "m" / "link.tf").symlink_to(tmp_path / "outside" / "secret.tf")
    (root / "top.tf").symlink_to(tmp_path / "outside" / "secret.tf")
    resources, errors = load(root)
    assert resources == []
    assert sorted((e.file, e.reason) for e in errors) == [
        ("m/link.tf", "a link to a file outside the scanned directory; not read"),
        ("top.tf", "a link to a file outside the scanned directory; not read"),
    ]


def test_valid_hcl_with_comments_inside_for_expressions_parses():
    f = parse_bytes(b"x = [\n  # why\n  for a in b :\n  // more\n  a\n]\ny = { /* c */ a = 1 }\n", Path("c.tf"), "c.tf")
    assert f.error is None
    assert sorted(f.body.attributes) == ["x", "y"]


def test_nothing_escapes_on_garbage(tmp_path):
    root = write(tmp_path, {"main.tf": "resource {{{{ \x01 \n", "x.tfvars": "=\n"})
    resources, errors = load(root)
    assert resources == []
    assert [(e.file, e.line, e.column, e.reason) for e in errors] == [
        ("main.tf", 1, 1, r"syntax error: unexpected 'resource {{{{ \x01'"),
        ("x.tfvars", 1, 1, "syntax error: unexpected '='"),
    ]


def test_non_ascii_columns_count_characters(tmp_path):
    root = write(tmp_path, {"main.tf": 'resource "aws_s3_bucket" "b" {\n  tags = { "é" = "x", n = "ü" }\n}\n'})
    r = load(root)[0][0]
    assert r.locations["tags.n"] == Location("main.tf", 2, 23)


# --- plan JSON ---------------------------------------------------------------------------------------


def test_plan_json_values_after_unknown_and_references():
    path = FIXTURES / "plan" / "agent_plan.json"
    obj = json.loads(path.read_text())
    assert is_plan_json(obj) and not is_plan_json({"Resources": {}})
    resources, errors = load_plan(path, obj, FIXTURES)
    assert errors == []
    got = by_id(resources)
    assert sorted(got) == ["aws_bedrockagent_agent.this", "aws_iam_role.agent", "module.fn.aws_lambda_function.this[0]"]
    agent = got["aws_bedrockagent_agent.this"]
    assert (agent.source, agent.stack, agent.location) == (
        "terraform-plan",
        "plan/agent_plan.json",
        Location("plan/agent_plan.json", 20),
    )
    assert agent.properties == {
        "agent_name": "orders",
        "foundation_model": "anthropic.claude-v2",
        "agent_resource_role_arn": Ref("aws_iam_role.agent", "arn"),
        "agent_arn": Unknown("known only after apply"),
        "guardrail_configuration": [
            {"guardrail_identifier": Unknown("known only after apply (from aws_bedrock_guardrail.g.guardrail_id, var.suffix)")}
        ],
    }
    fn = got["module.fn.aws_lambda_function.this[0]"].properties
    assert fn["role"] == Ref("aws_iam_role.agent", "arn")  # through the module input's reference
    assert fn["environment"] == [{"variables": {"A": "b"}}]


@pytest.mark.parametrize(
    ("planned_values", "said"),
    [
        ({"root_module": {"resources": "aws_bedrockagent_agent.a"}}, "planned_values.root_module.resources is a str"),
        ({"root_module": {"resources": [], "child_modules": {"address": "module.x"}}}, "child_modules is a dict"),
        ({"root_module": ["resources"]}, "planned_values.root_module is a list"),
        ({"root_module": {"resources": ["aws_iam_role.r"]}}, "resources[0] is a str"),
        ("planned", "planned_values is a str"),
    ],
)
def test_plan_json_of_the_wrong_shape_is_an_ag000_naming_the_file(tmp_path, planned_values, said):
    from agentgov.scanner.config import Config, effective_parameters
    from agentgov.scanner.engine import scan
    from agentgov.scanner.pack import load_pack

    (tmp_path / "tfplan.json").write_text(json.dumps({"format_version": "1.2", "planned_values": planned_values}))
    pack = load_pack()
    result = scan([tmp_path / "tfplan.json"], pack, effective_parameters(Config(), pack.parameters), only=["AG201"])
    errors = [f for f in result.findings if f.policy_id == "AG000"]
    assert len(errors) == 1 and said in errors[0].message, [f.message for f in result.findings]
    assert errors[0].location.file.endswith("tfplan.json")


def test_files_terraform_ignores_are_not_loaded(tmp_path):
    """Terraform loads no hidden file or editor leftover (configs.IsIgnoredFile): neither does the scan."""
    from agentgov.scanner.discover import build_inventory

    agent = 'resource "aws_bedrockagent_agent" "%s" {\n  agent_name = "%s"\n  foundation_model = "m"\n}\n'
    (tmp_path / "main.tf").write_text(agent % ("real", "real"))
    for i, name in enumerate((".main.tf", "main.tf~", "#main.tf#", ".terraform.tf")):
        (tmp_path / name).write_text(agent % (f"shadow{i}", f"shadow{i}"))
    (tmp_path / "mod").mkdir()
    (tmp_path / "mod" / ".hidden.tf").write_text(agent % ("in_module", "in_module"))
    (tmp_path / "mod" / "main.tf").write_text("")
    (tmp_path / "root.tf").write_text('module "m" {\n  source = "./mod"\n}\n')
    inv = build_inventory([tmp_path])
    assert sorted(r.id for r in inv.of_kind("agent")) == ["aws_bedrockagent_agent.real"]
    assert not inv.errors


# --- the resource types the scan evaluates -------------------------------------------------------


def test_only_the_types_asked_for_are_evaluated_and_references_to_the_others_stay_refs(tmp_path, monkeypatch):
    from agentgov.scanner.sources.terraform import resources as tf_resources

    write(
        tmp_path,
        {
            "main.tf": 'resource "aws_instance" "vm" {\n  ami = "ami-1"\n  count = 2\n}\n'
            'resource "aws_iam_role" "r" {\n  name = "r"\n  description = aws_instance.vm[0].id\n'
            '  assume_role_policy = "{}"\n}\n'
        },
    )
    evaluated: list[str] = []
    body = tf_resources.evaluate_body

    def spy(b, scope, prefix, locations, **kw):
        evaluated.append(next(iter(b.attributes), ""))
        return body(b, scope, prefix, locations, **kw)

    monkeypatch.setattr(tf_resources, "evaluate_body", spy)
    every, errors = load(tmp_path)
    assert not errors and set(by_id(every)) == {"aws_instance.vm[0]", "aws_instance.vm[1]", "aws_iam_role.r"}
    evaluated.clear()
    only, errors = load_terraform(tmp_path, sorted(tmp_path.glob("*.tf")), tmp_path, types={"aws_iam_role"})
    assert not errors and set(by_id(only)) == {"aws_iam_role.r"}
    assert evaluated == ["name"]  # the role's body only; the instances' bodies are not evaluated
    assert by_id(only)["aws_iam_role.r"].properties == by_id(every)["aws_iam_role.r"].properties
    ref = by_id(only)["aws_iam_role.r"].properties["description"]
    assert isinstance(ref, Ref) and ref.target == "aws_instance.vm[0]"


@pytest.mark.parametrize("types", [None, {"aws_iam_role"}])
def test_instances_not_returned_still_count_against_the_resource_limit(tmp_path, monkeypatch, types):
    from agentgov.scanner.sources.terraform import resources as tf_resources

    monkeypatch.setattr(tf_resources, "MAX_RESOURCES", 5)
    write(
        tmp_path,
        {"main.tf": 'resource "aws_instance" "vm" {\n  count = 6\n}\nresource "aws_iam_role" "r" {\n  name = "r"\n}\n'},
    )
    got, errors = load_terraform(tmp_path, sorted(tmp_path.glob("*.tf")), tmp_path, types=types)
    assert "aws_iam_role.r" not in by_id(got)
    assert [(e.file, e.line, e.reason) for e in errors] == [
        ("main.tf", 1, "more than 5 resources; the rest of the module is not scanned")
    ]
