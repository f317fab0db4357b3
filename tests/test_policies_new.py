"""``agentgov policies new ID --kind KIND`` (issue 18, item 5): a policy and a failing and a passing fixture in both IaC
languages, which ``agentgov policies test`` passes right after scaffolding."""

from __future__ import annotations

import pytest

from agentgov.cli.main import main
from agentgov.cli.policy_scaffold import KINDS


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_a_scaffold_passes_policies_test_at_once(tmp_path, capsys, kind):
    d = tmp_path / "governance"
    assert main(["policies", "new", "ORG001", "--kind", kind, "--dir", str(d)]) == 0
    fx = d / "fixtures" / "ORG001"
    assert sorted(p.relative_to(fx).as_posix() for p in fx.rglob("*") if p.is_file()) == [
        "cfn/fail_untagged.yaml",
        "cfn/pass_tagged.yaml",
        "tf/fail_untagged.tf",
        "tf/pass_tagged.tf",
    ]
    capsys.readouterr()
    assert main(["policies", "test", str(d)]) == 0
    out = capsys.readouterr()[0]
    assert "ORG001     inline             4        4       4       0          0  ok" in out  # 2 FAIL + 2 PASS matched


def test_the_scaffold_fails_when_its_fixture_stops_failing(tmp_path, capsys):
    d = tmp_path / "p"
    assert main(["policies", "new", "ORG002", "--kind", "agent", "--dir", str(d)]) == 0
    tf = d / "fixtures" / "ORG002" / "tf" / "fail_untagged.tf"
    tf.write_text(tf.read_text().replace("\n}", '\n  tags = { owner = "x" }\n}'))
    assert main(["policies", "test", str(d)]) == 1


def test_new_refuses_an_ag_id_an_unknown_kind_and_overwriting(tmp_path, capsys):
    d = tmp_path / "p"
    assert main(["policies", "new", "AG001", "--kind", "agent", "--dir", str(d)]) == 2
    assert main(["policies", "new", "ORG003", "--kind", "agnet", "--dir", str(d)]) == 2
    assert not d.exists()
    assert main(["policies", "new", "ORG003", "--kind", "agent", "--dir", str(d)]) == 0
    before = (d / "ORG003.yaml").read_text()
    (d / "ORG003.yaml").write_text(before + "# edited\n")
    capsys.readouterr()
    assert main(["policies", "new", "ORG003", "--kind", "agent", "--dir", str(d)]) == 2
    assert "would overwrite" in capsys.readouterr()[1]
    assert (d / "ORG003.yaml").read_text().endswith("# edited\n")
