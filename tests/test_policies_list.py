"""``agentgov policies list`` (issue 17's line, issue 18 item 8): columns id, title, severity, pillar, forms (IaC /
live / SCP / Config) and source; filters; JSON; user policies listed with their pack."""

from __future__ import annotations

import json

from agentgov.cli.main import main
from agentgov.policies.registry import PACK


def _list(capsys, *argv: str) -> tuple[int, str]:
    capsys.readouterr()
    rc = main(["policies", "list", *argv])
    return rc, capsys.readouterr()[0]


def _user_pack(tmp_path):
    import test_user_packs

    d = tmp_path / "team"
    d.mkdir()
    (d / "ORG001.yaml").write_text(test_user_packs.POLICY.format(id="ORG001"))
    return d


def test_json_has_every_column_and_every_builtin(capsys):
    rc, out = _list(capsys, "--format", "json")
    rows = json.loads(out)
    assert rc == 0 and [r["id"] for r in rows] == list(PACK)
    assert set(rows[0]) == {"id", "title", "severity", "pillar", "forms", "source"}
    by = {r["id"]: r for r in rows}
    assert by["AG201"]["source"] == "built-in"
    assert by["AG102"]["forms"] == ["iac", "live", "scp", "config"]  # an SCP (boundary) and a Config rule
    assert by["AG201"]["forms"] == ["iac", "live", "config"]
    assert by["AG601"]["forms"] == ["live", "scp", "config"]  # settled on live accounts only
    assert by["AG404"]["forms"] == ["iac"]  # template parameters exist only in IaC


def test_filters(capsys):
    rows = json.loads(_list(capsys, "--format", "json", "--severity", "critical")[1])
    assert rows and {r["severity"] for r in rows} == {"critical"}
    rows = json.loads(_list(capsys, "--format", "json", "--pillar", "observe", "--form", "scp")[1])
    assert all(r["pillar"] == "observe" and "scp" in r["forms"] for r in rows)
    rows = json.loads(_list(capsys, "--format", "json", "--form", "config")[1])
    assert rows and all("config" in r["forms"] for r in rows)


def test_user_policies_appear_with_their_pack_and_filter_by_source(tmp_path, capsys):
    d = _user_pack(tmp_path)
    rc, out = _list(capsys, "--policies", str(d))
    assert rc == 0
    line = next(x for x in out.splitlines() if x.startswith("ORG001"))
    assert "Agents use one of our approved models" in line and "high" in line and "iac live" in line and line.endswith(str(d))
    assert out.splitlines()[0].split() == ["id", "title", "severity", "pillar", "forms", "source"]
    rows = json.loads(_list(capsys, "--policies", str(d), "--source", "user", "--format", "json")[1])
    assert [r["id"] for r in rows] == ["ORG001"]
    rows = json.loads(_list(capsys, "--policies", str(d), "--source", str(d), "--format", "json")[1])
    assert [r["id"] for r in rows] == ["ORG001"]
    rows = json.loads(_list(capsys, "--policies", str(d), "--source", "built-in", "--format", "json")[1])
    assert "ORG001" not in [r["id"] for r in rows] and len(rows) == len(PACK)


def test_policies_without_an_action_lists_them_all(capsys):
    capsys.readouterr()
    assert main(["policies"]) == 0
    out = capsys.readouterr()[0]
    assert [line.split()[0] for line in out.splitlines()[1:]] == list(PACK)
