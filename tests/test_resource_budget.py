"""The scan's resource budget: value size, evaluation steps and time per file (issue 15, high 1 and 2).

A few KB of Terraform locals or nested ``Fn::Sub`` that double a value 25 to 47 times must end
small and fast with an ``AG000`` naming the file, never cost 2**47 of anything. The bounds are
asserted on the work counters the evaluators keep, never on wall-clock time.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from agentgov.scanner.model import Unknown
from agentgov.scanner.sources import cloudformation, intrinsics
from agentgov.scanner.sources import terraform as tf
from agentgov.scanner.sources.terraform import scope as tf_scope
from agentgov.scanner.sources.terraform import values as tf_values


def _record_sessions(monkeypatch: pytest.MonkeyPatch) -> list[tf_scope.Session]:
    seen: list[tf_scope.Session] = []

    def make(*args: Any, **kwargs: Any) -> tf_scope.Session:
        s = tf_scope.Session(*args, **kwargs)
        seen.append(s)
        return s

    monkeypatch.setattr(tf, "Session", make)
    return seen


def _doubling_tf(levels: int, start: str, step: str) -> str:
    lines = ['variable "x" {}', "locals {", f"  l0 = {start}"]
    lines += [f"  l{i} = {step.format(p=f'local.l{i - 1}')}" for i in range(1, levels + 1)]
    lines.append("}")
    lines.append(
        f'resource "aws_iam_role" "r" {{\n  name = "${{local.l{levels}}}"\n  assume_role_policy = jsonencode(local.l{levels})\n}}'
    )
    return "\n".join(lines) + "\n"


BOMBS = {
    "known string": ('"abcdefgh"', '"${{{p}}}${{{p}}}"'),
    "unknown template": ("var.x", '"${{{p}}}${{{p}}}"'),
    "unknown template with text": ("var.x", '"a${{{p}}}b${{{p}}}"'),
    "list": ("[1]", "[{p}, {p}]"),
    "object": ('{a = "x"}', "{{a = {p}, b = {p}}}"),
    "conditional": ("var.x", '{p} == "" ? {p} : ["${{{p}}}"]'),
}


@pytest.mark.parametrize("bomb", sorted(BOMBS))
def test_terraform_locals_doubling_47_times_end_small_with_an_ag000(tmp_path: Path, monkeypatch, bomb: str) -> None:
    start, step = BOMBS[bomb]
    (tmp_path / "main.tf").write_text(_doubling_tf(47, start, step))
    sessions = _record_sessions(monkeypatch)
    resources, errors = tf.load_terraform(tmp_path, [tmp_path / "main.tf"], tmp_path)
    role = next(r for r in resources if r.local_id == "aws_iam_role.r")
    assert isinstance(role.properties["name"], Unknown)
    assert isinstance(role.properties["assume_role_policy"], Unknown)
    assert len(errors) == 1, errors
    assert errors[0].file == "main.tf" and errors[0].line is not None
    assert "beyond the scanner's size limits" in errors[0].reason and "local.l" in errors[0].reason
    (s,) = sessions
    assert s.largest_value <= tf_values.MAX_VALUE
    assert s.value_work <= 20 * tf_values.MAX_VALUE  # the whole file: a few values at the limit, then nothing
    assert s.steps < 2_000


def test_a_terraform_value_over_the_limit_is_not_caught_by_try(tmp_path: Path) -> None:
    text = _doubling_tf(30, '"abcdefgh"', '"${{{p}}}${{{p}}}"').replace(
        'name = "${local.l30}"', 'name = try("${local.l30}", "fallback")'
    )
    (tmp_path / "main.tf").write_text(text)
    resources, errors = tf.load_terraform(tmp_path, [tmp_path / "main.tf"], tmp_path)
    role = next(r for r in resources if r.local_id == "aws_iam_role.r")
    assert isinstance(role.properties["name"], Unknown)  # not "fallback": the scanner's limit is no Terraform error
    assert [e.file for e in errors] == ["main.tf"]


def test_terraform_evaluation_time_per_root_module_is_bounded(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(tf_values, "MAX_SECONDS", -1.0)  # the deadline has passed before the first step
    (tmp_path / "main.tf").write_text('resource "aws_s3_bucket" "b" {\n  bucket = length([for i in range(3000) : i])\n}\n')
    resources, errors = tf.load_terraform(tmp_path, [tmp_path / "main.tf"], tmp_path)
    assert resources == []
    assert [(e.file, e.reason) for e in errors] == [
        (
            ".",
            "evaluation stopped after the time allowed for one root module (the scanner's limit for one root"
            " module); 0 resources were evaluated, the rest are not reported",
        )
    ]


def test_terraform_value_work_per_root_module_is_bounded(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(tf_values, "MAX_VALUE_WORK", 100_000)
    (tmp_path / "main.tf").write_text(
        'locals {\n  big = [for i in range(5000) : "item-${i}"]\n}\n'
        'resource "aws_s3_bucket" "b" {\n  count = 50\n  bucket = length([for x in local.big : x])\n}\n'
    )
    _resources, errors = tf.load_terraform(tmp_path, [tmp_path / "main.tf"], tmp_path)
    assert [e.reason.split(" (")[0] for e in errors] == ["evaluation stopped values of more than 100000 units built"]


# --- CloudFormation ------------------------------------------------------------------------


def _record_contexts(monkeypatch: pytest.MonkeyPatch) -> list[intrinsics.Context]:
    seen: list[intrinsics.Context] = []

    def make(*args: Any, **kwargs: Any) -> intrinsics.Context:
        c = intrinsics.Context(*args, **kwargs)
        seen.append(c)
        return c

    monkeypatch.setattr(cloudformation, "Context", make)
    return seen


def _sub_bomb(levels: int, text: str) -> dict:
    node: Any = {"Fn::Sub": "ab"}
    for _ in range(levels):
        node = {"Fn::Sub": [text, {"a": node}]}
    return node


@pytest.mark.parametrize("levels", [25, 40])
@pytest.mark.parametrize("text", ["${a}${a}", "${AWS::Region}${a}-${a}"])
def test_nested_fn_sub_doubling_ends_small_with_an_ag000(tmp_path: Path, monkeypatch, levels: int, text: str) -> None:
    body = {
        "AWSTemplateFormatVersion": "2010-09-09",
        "Resources": {
            "Role": {"Type": "AWS::IAM::Role", "Properties": {"RoleName": _sub_bomb(levels, text)}},
            "Other": {"Type": "AWS::IAM::Role", "Properties": {"RoleName": {"Fn::Sub": "plain-${AWS::Partition}"}}},
        },
    }
    path = tmp_path / "t.json"
    path.write_text(json.dumps(body))
    assert len(path.read_text()) < 2_600
    contexts = _record_contexts(monkeypatch)
    raws, errors, scanned, _ = cloudformation.load_templates([(path, "t.json")], lambda p, d: p.read_text())
    assert scanned == 1
    by_id = {r.local_id: r for r in raws}
    assert isinstance(by_id["Role"].properties["RoleName"], Unknown)
    assert by_id["Other"].properties["RoleName"] == "plain-aws"  # the rest of the template is still evaluated
    assert [(e.file, e.reason) for e in errors] == [
        (
            "t.json",
            f"evaluation stopped at a Fn::Sub result longer than {intrinsics.MAX_STRING} characters"
            " (the scanner's limit for one template); the values beyond it are unknown",
        )
    ]
    (ctx,) = contexts
    assert ctx.largest <= 2 * intrinsics.MAX_STRING
    assert ctx.units <= 2 * intrinsics.MAX_STRING
    assert ctx.steps < 500


def test_shared_structure_in_a_template_is_bounded_by_the_step_budget(monkeypatch) -> None:
    monkeypatch.setattr(intrinsics, "MAX_STEPS", 10_000)
    node: Any = {"Fn::Join": ["", ["ab"]]}
    for _ in range(40):  # what YAML aliases can build: one node used twice at each level
        node = {"Fn::Join": ["", [node, node]]}
    ctx = intrinsics.Context()
    value = intrinsics.resolve(node, ctx)
    assert isinstance(value, Unknown)
    assert ctx.limit_hit == "more than 10000 intrinsic function evaluations"
    assert ctx.steps <= 10_000 + 100
