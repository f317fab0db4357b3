"""The condition language as a documented interface (issue 18, item 3): docs/policy-language.md is generated from the
schema, the operator registry, the graph, the analyzers and the normalizer; a JSON Schema covers user policy files."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
import yaml

from agentgov.cli.main import main

REPO = Path(__file__).resolve().parents[1]
DOC = REPO / "docs" / "policy-language.md"
EXAMPLE = REPO / "tests" / "test_user_packs.py"


def test_every_operator_has_a_valid_example_and_is_documented():
    from pydantic import TypeAdapter

    from agentgov.policies.schema import ATTR_OPS, Condition
    from agentgov.scanner.conditions.operators import OPERATORS

    text = DOC.read_text(encoding="utf-8")
    assert set(OPERATORS) == set(ATTR_OPS)
    for name, op in OPERATORS.items():
        cond = TypeAdapter(Condition).validate_python(yaml.safe_load(op.example))
        assert cond.op == name, f"the example of {name} uses {cond.op}"
        assert f"| `{name}` |" in text


def test_the_document_names_every_analyzer_relation_and_kind():
    from agentgov.scanner.analyzers import NAMES
    from agentgov.scanner.graph import RELATIONS
    from agentgov.scanner.kinds import KINDS

    text = DOC.read_text(encoding="utf-8")
    for name in NAMES:
        assert f"### `{name}`" in text
    for rel in RELATIONS:
        assert f"`{rel}`" in text
    for kind in KINDS:
        assert f"### `{kind}`" in text
    assert "`foundation_model`<br>" in text and "`environment.variables.*`<br>" in text  # paths from the normalizer
    assert "Parameters: `approved`, `path`." in text  # what the approved_model analyzer reads


def test_the_user_policy_schema_checks_a_policy_file_for_editors():
    schema = json.loads((REPO / "docs" / "schemas" / "user-policy.schema.json").read_text())
    import test_user_packs

    good = yaml.safe_load(test_user_packs.POLICY.format(id="ORG001"))
    jsonschema.validate(good, schema)
    for bad in ({**good, "id": "AG101"}, {**good, "severity": "urgent"}, {**good, "unknown_key": 1}):
        with pytest.raises(jsonschema.ValidationError):
            jsonschema.validate(bad, schema)


def test_docs_with_policies_writes_the_teams_own_reference(tmp_path, capsys):
    import test_user_packs

    d = tmp_path / "team"
    d.mkdir()
    (d / "ORG001.yaml").write_text(test_user_packs.POLICY.format(id="ORG001"))
    assert main(["docs", "--policies", str(d), "--out", str(tmp_path / "out")]) == 0
    text = (tmp_path / "out" / "policies.md").read_text()
    assert "## ORG001" in text and "Agents use one of our approved models" in text
    assert "## AG101" not in text  # the team's policies, not the built-in reference
    assert main(["docs", "--policies", str(d), "--out", str(tmp_path / "out"), "--check"]) == 0
